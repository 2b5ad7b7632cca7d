/* hl_scenario_record.c: what a run writes into the results database while
 * the scenario runs: log rows (HNS calls, faults, probes, print() lines),
 * expectation rows with the scenario line, all stamped with the simulated
 * time. Rows name the scenario file without its folder, so the same file
 * gives the same rows (and digest) however it was named on the command
 * line. The first database failure is kept; the runner reports it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hl_scenario_int.h"

/* "file:line" of a stack frame, the folder left out. */
static void frame_text(const lua_Debug *ar, char *out, size_t size) {
  const char *src = ar->source[0] == '@' || ar->source[0] == '=' ? ar->source + 1 : ar->short_src;
  const char *slash = strrchr(src, '/');
  snprintf(out, size, "%s:%d", slash ? slash + 1 : src, ar->currentline);
}

void hl__line(lua_State *L, char *out, size_t size) {
  lua_Debug ar;
  out[0] = '\0';
  hl_rt *rt = hl__rt(L);
  int level = 1;
  for (; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      frame_text(&ar, out, size);
      break;
    }
  }
  if (!out[0] || !rt || !rt->path) return;
  /* Called from a module: name the scenario file's line that led to it. */
  for (int up = level; lua_getstack(L, up, &ar); up++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline <= 0 || ar.source[0] != '@') continue;
    if (strcmp(ar.source + 1, rt->path)) continue;
    if (up == level) return;
    size_t used = strlen(out);
    if (used + 6 < size) {
      snprintf(out + used, size - used, " via ");
      frame_text(&ar, out + used + 5, size - used - 5);
    }
    return;
  }
}

void hl__note_db(hl_rt *rt, int rc) {
  if (rc && !rt->db_status) rt->db_status = rc;
}

void hl__log(hl_rt *rt, int level, const char *source, const char *fmt, ...) {
  if (!rt->db) return;
  va_list ap, copy;
  va_start(ap, fmt);
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  char *msg = n < 0 ? NULL : malloc((size_t)n + 1);
  if (msg) vsnprintf(msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
  hl__note_db(rt, msg ? rpt_log(rt->db, rt->run_id, sim_now(rt->world), level, source, msg) : RPT_E_NOMEM);
  free(msg);
}

int hl__expect_row(hl_rt *rt, lua_State *L, const char *name, int passed, const char *detail) {
  if (!name[0]) return hl__error(L, "expectation name '': give a text, or leave it out for the default");
  char line[128];
  hl__line(L, line, sizeof line);
  size_t len = strlen(line) + strlen(detail) + 3;
  char *text = malloc(len);
  if (text) snprintf(text, len, "%s%s%s", line, line[0] && detail[0] ? ": " : "", detail);
  rt->expectations++;
  rt->failures += !passed;
  hl__note_db(rt, text ? rpt_expectation(rt->db, rt->run_id, sim_now(rt->world), name, passed, text) : RPT_E_NOMEM);
  free(text);
  return passed;
}

void hl__print_line(void *ctx, const char *text, size_t len) {
  hl_rt *rt = ctx;
  hl__log(rt, RPT_LOG_INFO, "print", "%.*s", (int)(len > (size_t)INT32_MAX ? INT32_MAX : len), text);
  if (rt->echo) rt->echo(rt->echo_ctx, text, len);
}

static int push_text(lua_State *L) {
  lua_pushstring(L, lua_touserdata(L, 1));
  return 1;
}

void hl__push_owned(lua_State *L, char *text) {
  lua_pushcfunction(L, push_text);
  lua_pushlightuserdata(L, text);
  int status = lua_pcall(L, 1, 1, 0);
  free(text);
  if (status != LUA_OK) lua_error(L);
}
