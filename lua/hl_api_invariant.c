/* hl_api_invariant.c: expect.invariant([name]) and expect.violation(name
 * [, text]): the invariants of hnsmock/hns_check.h (docs/invariants.md)
 * over the run's Windows hosts as their HNS holds them now, recorded as one
 * expectation row whose detail lists every violation: the first holds when
 * there is none, the second when the check finds one (with `text` in its
 * message), as a pain-point scenario expects. Checks that compare hosts
 * (remote endpoints) see every Windows host of the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_check.h"
#include <lauxlib.h>
#include "hl_scenario_int.h"

/* The report as text (malloc'd): the tally, then one line per violation. */
static char *report_text(const hns_check_report *r, size_t nhosts) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return NULL;
  fprintf(f, "%zu violations of %zu checks over %zu hosts", r->count, r->checks_run, nhosts);
  for (size_t i = 0; i < r->count; i++) {
    const hns_check_violation *v = &r->violations[i];
    fprintf(f, "\n%s %s %s: %s: %s", v->host, v->kind, v->id, v->check, v->message);
  }
  if (fclose(f)) {
    free(text);
    return NULL;
  }
  return text;
}

/* Runs check `name` (NULL: every check) over the run's Windows hosts;
 * pushes the report's text and returns the number of violations (-1 never:
 * a check that cannot run raises). `text_has`, when given, counts only the
 * violations whose line contains it. */
static size_t run_checks(lua_State *L, hl_rt *rt, const char *fn, const char *name, const char *text_has) {
  if (name && !hns_check_find(name)) return (size_t)hl__error(L, "%s: no check '%s' (docs/invariants.md)", fn, name);
  /* No Lua call may raise from here until the report is freed. */
  hns_check_host *hosts = calloc(rt->nhosts + 1, sizeof *hosts);
  if (!hosts) return (size_t)hl__error(L, "%s: out of memory", fn);
  size_t n = 0;
  for (size_t i = 0; i < rt->nhosts; i++)
    if (rt->hosts[i].backend && hns_backend_service(rt->hosts[i].backend))
      hosts[n++] = (hns_check_host){rt->hosts[i].name, hns_backend_service(rt->hosts[i].backend), NULL};
  hns_check_report r;
  hns_hr hr = hns_check_run(hosts, n, name, &r);
  free(hosts);
  if (HNS_FAILED(hr)) {
    char why[sizeof r.error];
    snprintf(why, sizeof why, "%s", r.error);
    hns_check_report_free(&r);
    return (size_t)hl__error(L, "%s: the hosts' HNS state cannot be checked: %s (0x%08X)", fn, why, (unsigned)hr);
  }
  size_t matching = 0;
  for (size_t i = 0; i < r.count; i++) matching += !text_has || strstr(r.violations[i].message, text_has) != NULL;
  char *text = report_text(&r, n);
  hns_check_report_free(&r);
  if (!text) return (size_t)hl__error(L, "%s: out of memory", fn);
  hl__push_owned(L, text);
  return matching;
}

int hl__expect_invariant(lua_State *L) {
  hl_rt *rt = hl__api(L, "expect.invariant");
  const char *name = luaL_optstring(L, 1, NULL);
  int passed = run_checks(L, rt, "expect.invariant", name, NULL) == 0;
  const char *row = hl__pushf(L, "invariant %s", name ? name : "(every check)");
  lua_pushboolean(L, hl__expect_row(rt, L, row, passed, lua_tostring(L, -2)));
  return 1;
}

int hl__expect_violation(lua_State *L) {
  hl_rt *rt = hl__api(L, "expect.violation");
  const char *name = luaL_checkstring(L, 1);
  const char *text_has = luaL_optstring(L, 2, NULL);
  int passed = run_checks(L, rt, "expect.violation", name, text_has) > 0;
  const char *row = text_has ? hl__pushf(L, "violation of %s: %s", name, text_has) : hl__pushf(L, "violation of %s", name);
  lua_pushboolean(L, hl__expect_row(rt, L, row, passed, lua_tostring(L, -2)));
  return 1;
}

/* snapshot([label]): every Windows host's HNS state now, as snapshot rows
 * labelled `label` (default "snapshot"), for reports and `hnsim check --run`;
 * the run's end takes one labelled "end" by itself. */
static int api_snapshot(lua_State *L) {
  hl_rt *rt = hl__api(L, "snapshot");
  const char *label = luaL_optstring(L, 1, "snapshot");
  if (!label[0]) return hl__error(L, "snapshot: label '': give a text, or leave it out");
  if (!strcmp(label, "end")) return hl__error(L, "snapshot: label 'end' is the run's own, taken when it ends");
  hl__row_snapshots(rt, label);
  return 0;
}

void hl__open_api_snapshot(lua_State *L) {
  lua_pushcfunction(L, api_snapshot);
  lua_setglobal(L, "snapshot");
}
