/* hl_sorted.c: sorted_pairs(t), the iteration a scenario uses wherever the
 * order can reach a result. pairs() follows the hash order, which Lua seeds
 * from the clock and addresses, so it changes from run to run;
 * sorted_pairs visits numbers in ascending order (integers and floats
 * compared by value), then strings in byte order (never the locale's), then
 * false and true. Other keys (tables, functions) have no stable order and
 * are refused. The keys are those present when the iteration starts; a key
 * whose value has become nil by the time it is reached is skipped. */
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "hl_sandbox_int.h"

typedef struct sort_key {
  int type; /* LUA_TNUMBER, LUA_TSTRING or LUA_TBOOLEAN */
  int is_integer;
  lua_Integer integer;
  lua_Number number;
  const char *text; /* anchored by the table of keys while sorting */
  size_t len;
  int boolean;
  lua_Integer slot; /* where the key is in the table of keys */
} sort_key;

static int type_rank(int type) { return type == LUA_TNUMBER ? 0 : type == LUA_TSTRING ? 1 : 2; }

/* i < f, for a float key f: Lua stores a float with an integral value in
 * integer range as an integer key, so here f is either out of that range or
 * not integral, and never equal to i. */
static int integer_below_float(lua_Integer i, lua_Number f) {
  if (f >= 0x1p63) return 1;
  if (f < -0x1p63) return 0;
  lua_Integer truncated = (lua_Integer)f; /* toward zero; f is not integral */
  return f > 0 ? i <= truncated : i < truncated;
}

static int compare_numbers(const sort_key *a, const sort_key *b) {
  if (a->is_integer && b->is_integer) return (a->integer > b->integer) - (a->integer < b->integer);
  if (!a->is_integer && !b->is_integer) return (a->number > b->number) - (a->number < b->number);
  if (a->is_integer) return integer_below_float(a->integer, b->number) ? -1 : 1;
  return integer_below_float(b->integer, a->number) ? 1 : -1;
}

/* A total order without ties (keys are distinct), so qsort's lack of
 * stability cannot show. */
static int compare_keys(const void *pa, const void *pb) {
  const sort_key *a = pa, *b = pb;
  if (a->type != b->type) return type_rank(a->type) - type_rank(b->type);
  if (a->type == LUA_TNUMBER) return compare_numbers(a, b);
  if (a->type == LUA_TBOOLEAN) return a->boolean - b->boolean;
  int c = memcmp(a->text, b->text, a->len < b->len ? a->len : b->len);
  return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

static void describe_key(lua_State *L, int idx, lua_Integer slot, sort_key *key) {
  key->type = lua_type(L, idx);
  key->slot = slot;
  if (key->type == LUA_TNUMBER) {
    key->is_integer = lua_isinteger(L, idx);
    key->integer = lua_tointeger(L, idx);
    key->number = lua_tonumber(L, idx);
  } else if (key->type == LUA_TSTRING) {
    key->text = lua_tolstring(L, idx, &key->len);
  } else {
    key->boolean = lua_toboolean(L, idx);
  }
}

/* Upvalues: the table, its keys in order, the position reached. */
static int sorted_next(lua_State *L) {
  lua_Integer position = lua_tointeger(L, lua_upvalueindex(3));
  while (lua_rawgeti(L, lua_upvalueindex(2), ++position) != LUA_TNIL) {
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
      lua_pushinteger(L, position);
      lua_replace(L, lua_upvalueindex(3));
      return 2;
    }
    lua_pop(L, 2);
  }
  return 0;
}

static int sorted_pairs(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newtable(L); /* 2: the keys, in traversal order */
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    int type = lua_type(L, -1);
    if (type != LUA_TNUMBER && type != LUA_TSTRING && type != LUA_TBOOLEAN)
      return luaL_error(L, "sorted_pairs: a key of type %s has no stable order (use numbers, strings or booleans)",
                        luaL_typename(L, -1));
    lua_pushvalue(L, -1);
    lua_rawseti(L, 2, ++n);
  }
  sort_key *keys = lua_newuserdatauv(L, (size_t)n * sizeof *keys, 0);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 2, i);
    describe_key(L, -1, i, &keys[i - 1]);
    lua_pop(L, 1);
  }
  qsort(keys, (size_t)n, sizeof *keys, compare_keys);
  lua_pushvalue(L, 1);
  lua_createtable(L, n > INT_MAX ? INT_MAX : (int)n, 0);
  for (lua_Integer i = 0; i < n; i++) {
    lua_rawgeti(L, 2, keys[i].slot);
    lua_rawseti(L, -2, i + 1);
  }
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, sorted_next, 3);
  return 1;
}

void hl__open_sorted_pairs(lua_State *L) {
  lua_pushcfunction(L, sorted_pairs);
  lua_setglobal(L, "sorted_pairs");
}
