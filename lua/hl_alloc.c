/* hl_alloc.c: the sandbox's capped allocator.
 *
 * Every byte of the Lua heap goes through hl__alloc, which keeps
 * memory_used <= memory_cap: a request that would grow the heap past the cap
 * returns NULL without touching the C heap. Lua then collects garbage and
 * asks once more; if that fails too it raises "not enough memory". Shrinking
 * and freeing always succeed, as Lua requires.
 *
 * A refusal is described on the spot (where, and a traceback): the memory
 * error that follows unwinds the stack without calling a message handler, so
 * afterwards nobody could tell where it happened. */
#include <stdlib.h>
#include <string.h>
#include "hl_sandbox_int.h"

static void describe_refusal(hl_sandbox *sb, size_t bytes) {
  sb->refusals++;
  sb->refused_bytes = bytes;
  sb->refused_where[0] = '\0';
  sb->refused_traceback[0] = '\0';
  if (!sb->L) return; /* lua_newstate is still building the state */
  hl__where(sb->L, 0, sb->refused_where, sizeof sb->refused_where);
  hl__traceback(sb->L, 0, sb->refused_traceback, sizeof sb->refused_traceback);
}

void *hl__alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  hl_sandbox *sb = ud;
  size_t old = ptr ? osize : 0; /* with no block, osize names the object type */
  if (nsize == 0) {
    free(ptr);
    sb->memory_used -= old;
    return NULL;
  }
  if (nsize > old && nsize - old > sb->memory_cap - sb->memory_used) {
    describe_refusal(sb, nsize - old);
    return NULL;
  }
  void *block = realloc(ptr, nsize);
  if (!block) return NULL;
  sb->memory_used = sb->memory_used - old + nsize;
  if (sb->memory_used > sb->memory_peak) sb->memory_peak = sb->memory_used;
  return block;
}

int hl__is_memory_error(lua_State *L, int idx) {
  if (hl__sandbox_of(L)->refusals == 0 || lua_type(L, idx) != LUA_TSTRING) return 0;
  return strcmp(lua_tostring(L, idx), "not enough memory") == 0;
}
