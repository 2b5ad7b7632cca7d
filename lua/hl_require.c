/* hl_require.c: require(name) for the project's own Lua modules only.
 *
 * A name is words of [a-z0-9_] joined by single dots ("cni.win_bridge"); it
 * maps to <module_dir>/cni/win_bridge.lua, loaded in text mode (a binary
 * chunk is refused) and run once in the sandbox's globals with the name as
 * its argument. Its result (true if it returns nothing) is cached in the
 * registry, out of scripts' reach, for the sandbox's life. Every other name
 * (a path, "..", upper case, a standard library) is refused, so no file
 * outside the folder can be reached and no C library can be loaded.
 *
 * While a module's chunk runs its cache entry holds a mark, so a require
 * cycle is reported instead of recursing until the C stack overflows. A
 * to-be-closed guard removes the mark if the chunk fails, so that a script
 * that caught the error can try again. */
#include <lauxlib.h>
#include "hl_sandbox_int.h"

static const char modules_key[] = "hnsim.modules";             /* registry: name -> result */
static const char guard_metatable[] = "hnsim.require_guard"; /* registry: the guard's metatable */
static const char loading_mark; /* its address, as a light userdata: "still loading" */

static int is_module_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

static int is_module_name(const char *name, size_t len) {
  if (len == 0 || name[0] == '.' || name[len - 1] == '.') return 0;
  for (size_t i = 0; i < len; i++) {
    if (name[i] == '.' ? name[i + 1] == '.' : !is_module_word_char(name[i])) return 0;
  }
  return 1;
}

static int is_loading_mark(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TLIGHTUSERDATA && lua_touserdata(L, idx) == &loading_mark;
}

/* The guard's __close(guard, error): guard[1] is the module's name. */
static int forget_unfinished_module(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, modules_key);
  lua_rawgeti(L, 1, 1);
  lua_pushvalue(L, -1);
  lua_rawget(L, -3);
  if (is_loading_mark(L, -1)) {
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_rawset(L, -3);
  }
  return 0;
}

static int sandbox_require(lua_State *L) {
  hl_sandbox *sb = hl__sandbox_of(L);
  size_t len;
  const char *name = luaL_checklstring(L, 1, &len);
  if (!is_module_name(name, len))
    return luaL_error(L, "require: '%s' is not a project module name (words of a-z, 0-9 and '_', joined by '.')",
                      name);
  if (!sb->module_dir)
    return luaL_error(L, "require: no module folder is configured, so module '%s' cannot be loaded", name);
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, modules_key); /* 2 */
  lua_pushvalue(L, 1);
  if (lua_rawget(L, 2) != LUA_TNIL) {
    if (is_loading_mark(L, -1))
      return luaL_error(L, "require: module '%s' is required again while it is still loading (a require cycle)",
                        name);
    return 1;
  }
  lua_pop(L, 1);
  const char *path = lua_pushfstring(L, "%s/%s.lua", sb->module_dir, luaL_gsub(L, name, ".", "/")); /* 4 */
  lua_pushvalue(L, 1);
  lua_pushlightuserdata(L, (void *)&loading_mark);
  lua_rawset(L, 2);
  lua_createtable(L, 1, 0); /* 5: the guard */
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, 1);
  luaL_setmetatable(L, guard_metatable);
  lua_toclose(L, 5);
  int status = luaL_loadfilex(L, path, "t");
  if (status == LUA_ERRFILE) return luaL_error(L, "require: no project module '%s' (%s)", name, lua_tostring(L, -1));
  if (status == LUA_ERRMEM) return lua_error(L);
  if (status != LUA_OK)
    return luaL_error(L, "require: module '%s' cannot be loaded: %s", name, lua_tostring(L, -1));
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -2);
  lua_rawset(L, 2); /* replaces the mark, so the guard leaves it */
  return 1;
}

void hl__open_require(lua_State *L) {
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, modules_key);
  luaL_newmetatable(L, guard_metatable);
  lua_pushcfunction(L, forget_unfinished_module);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  lua_pushcfunction(L, sandbox_require);
  lua_setglobal(L, "require");
}
