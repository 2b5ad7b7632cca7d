/* hl_trace.c: where a Lua error happened and the stack traceback, written
 * into C buffers. Nothing here allocates on the Lua heap, so the same code
 * serves an ordinary error, an exhausted budget and a refused allocation
 * (when the heap is full). The traceback has luaL_traceback's shape: the
 * first 10 and the last 11 levels, innermost first; functions are named from
 * the calling code (Lua's global-name lookup would allocate). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "hl_sandbox_int.h"

enum { LEVELS_FIRST = 10, LEVELS_LAST = 11 };

void hl__appendf(char *buf, size_t size, const char *fmt, ...) {
  size_t len = strnlen(buf, size);
  if (len + 1 >= size) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, size - len, fmt, ap);
  va_end(ap);
}

void hl__where(lua_State *L, int level, char *buf, size_t size) {
  lua_Debug ar;
  buf[0] = '\0';
  for (; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      hl__appendf(buf, size, "%s:%d", ar.short_src, ar.currentline);
      return;
    }
  }
}

/* The deepest level that exists, by doubling then bisecting, as lauxlib does:
 * lua_getstack walks from the top, so counting one by one would be quadratic. */
static int last_level(lua_State *L) {
  lua_Debug ar;
  int exists = 1, absent = 1;
  while (lua_getstack(L, absent, &ar)) {
    exists = absent;
    absent *= 2;
  }
  while (exists < absent) {
    int mid = exists + (absent - exists) / 2;
    if (lua_getstack(L, mid, &ar))
      exists = mid + 1;
    else
      absent = mid;
  }
  return absent - 1;
}

static void append_function_name(const lua_Debug *ar, char *buf, size_t size) {
  if (strcmp(ar->namewhat, "global") == 0)
    hl__appendf(buf, size, "function '%s'", ar->name);
  else if (*ar->namewhat)
    hl__appendf(buf, size, "%s '%s'", ar->namewhat, ar->name);
  else if (*ar->what == 'm')
    hl__appendf(buf, size, "main chunk");
  else if (*ar->what != 'C')
    hl__appendf(buf, size, "function <%s:%d>", ar->short_src, ar->linedefined);
  else
    hl__appendf(buf, size, "?");
}

void hl__traceback(lua_State *L, int level, char *buf, size_t size) {
  lua_Debug ar;
  int last = last_level(L);
  int shown_before_skip = last - level > LEVELS_FIRST + LEVELS_LAST ? LEVELS_FIRST : -1;
  hl__appendf(buf, size, "stack traceback:");
  while (lua_getstack(L, level++, &ar)) {
    if (shown_before_skip-- == 0) {
      int skipped = last - level - LEVELS_LAST + 1;
      hl__appendf(buf, size, "\n\t...\t(skipping %d levels)", skipped);
      level += skipped;
      continue;
    }
    lua_getinfo(L, "Slnt", &ar);
    if (ar.currentline <= 0)
      hl__appendf(buf, size, "\n\t%s: in ", ar.short_src);
    else
      hl__appendf(buf, size, "\n\t%s:%d: in ", ar.short_src, ar.currentline);
    append_function_name(&ar, buf, size);
    if (ar.istailcall) hl__appendf(buf, size, "\n\t(...tail calls...)");
  }
}
