/* hl_base.c: the sandbox's base functions. Lua's base library is opened and
 * every global not on the list of safe ones is removed (so a function a
 * later Lua adds stays out until someone decides it is safe); print,
 * tostring, pcall, xpcall and setmetatable are replaced:
 *   - tostring and print never show an address (hl__tostring);
 *   - print hands each line to the host's callback;
 *   - pcall and xpcall do not catch a limit: the run ends;
 *   - setmetatable refuses __gc and __mode (the collector's timing would
 *     reach results). */
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>
#include "hl_sandbox_int.h"

static const char *const kept_base_names[] = {
    "assert", "error",  "getmetatable", "ipairs", "next", "pairs", "rawequal", "rawget",
    "rawlen", "rawset", "select",       "tonumber", "type", "_G", "_VERSION", NULL};

static int is_kept_base_name(const char *name) {
  for (const char *const *kept = kept_base_names; *kept; kept++)
    if (strcmp(name, *kept) == 0) return 1;
  return 0;
}

const char *hl__tostring(lua_State *L, int idx, size_t *len) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
  case LUA_TBOOLEAN:
  case LUA_TNUMBER:
  case LUA_TSTRING: return luaL_tolstring(L, idx, len);
  default:
    if (luaL_callmeta(L, idx, "__tostring")) {
      if (!lua_isstring(L, -1)) luaL_error(L, "'__tostring' must return a string");
      return lua_tolstring(L, -1, len);
    }
    lua_pushstring(L, luaL_typename(L, idx));
    return lua_tolstring(L, -1, len);
  }
}

static int sandbox_tostring(lua_State *L) {
  luaL_checkany(L, 1);
  hl__tostring(L, 1, NULL);
  return 1;
}

/* The line is built even when no callback takes it, so that a __tostring
 * metamethod runs (and may fail) the same way with or without one. */
static int sandbox_print(lua_State *L) {
  hl_sandbox *sb = hl__sandbox_of(L);
  int n = lua_gettop(L);
  luaL_Buffer line;
  luaL_buffinit(L, &line);
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&line, '\t');
    hl__tostring(L, i, NULL);
    luaL_addvalue(&line);
  }
  luaL_pushresult(&line);
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);
  if (sb->print) sb->print(sb->print_ctx, text, len);
  return 0;
}

/* The results of pcall or xpcall once the call returned `status`; `extra`
 * is the number of stack slots below the first result. A limit reached
 * inside the call is raised again, so the script cannot carry on. */
static int finish_protected_call(lua_State *L, int status, int extra) {
  if (status == LUA_OK) return lua_gettop(L) - extra;
  if (hl__sandbox_of(L)->limit != HL_LIMIT_NONE) return lua_error(L);
  if (hl__is_memory_error(L, -1)) return hl__limit_reached(L, HL_LIMIT_MEMORY);
  lua_pushboolean(L, 0);
  lua_pushvalue(L, -2);
  return 2;
}

static int sandbox_pcall(lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1); /* the first result if the call succeeds */
  lua_insert(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
  return finish_protected_call(L, status, 0);
}

static int sandbox_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION); /* the message handler */
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2); /* true and the function below the arguments */
  int status = lua_pcall(L, n - 2, LUA_MULTRET, 2);
  return finish_protected_call(L, status, 2);
}

static int sandbox_setmetatable(lua_State *L) {
  static const char *const collector_fields[] = {"__gc", "__mode"};
  int type = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table");
  for (size_t i = 0; type == LUA_TTABLE && i < sizeof collector_fields / sizeof *collector_fields; i++) {
    lua_pushstring(L, collector_fields[i]);
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "setmetatable: %s is not available in the sandbox (when the garbage collector "
                           "acts depends on the Lua build, so it could change results)",
                        collector_fields[i]);
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

static const luaL_Reg replaced_base[] = {{"print", sandbox_print},
                                         {"tostring", sandbox_tostring},
                                         {"pcall", sandbox_pcall},
                                         {"xpcall", sandbox_xpcall},
                                         {"setmetatable", sandbox_setmetatable},
                                         {NULL, NULL}};

void hl__open_base(lua_State *L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  lua_pushnil(L);
  while (lua_next(L, -2)) { /* clearing a field during the traversal is allowed */
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING || !is_kept_base_name(lua_tostring(L, -1))) {
      lua_pushvalue(L, -1);
      lua_pushnil(L);
      lua_rawset(L, -4);
    }
  }
  luaL_setfuncs(L, replaced_base, 0);
  lua_pop(L, 1);
}
