/* hl_string.c: the sandbox's string library: Lua's, without string.dump
 * (bytecode must never leave or enter the sandbox), with the string
 * metatable locked (getmetatable("") is false, so no script can reach or
 * replace what string methods resolve to), and with a string.format that
 * cannot print an address: %p is refused, and a table, function or other
 * reference given to it is first turned into its sandbox text ("table"). */
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>
#include "hl_sandbox_int.h"

static int is_conversion_modifier(char c) { return c != '\0' && strchr("-+ #0123456789.", c) != NULL; }

static void refuse_address_conversion(lua_State *L, const char *fmt, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (fmt[i] != '%') continue;
    if (++i < len && fmt[i] == '%') continue;
    while (i < len && is_conversion_modifier(fmt[i])) i++;
    if (i < len && fmt[i] == 'p')
      luaL_error(L, "string.format: %%p is not available in the sandbox (it prints an address, "
                    "which differs from run to run)");
  }
}

static int is_reference(lua_State *L, int idx) {
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
  case LUA_TBOOLEAN:
  case LUA_TNUMBER:
  case LUA_TSTRING: return 0;
  default: return 1;
  }
}

/* Lua's string.format is called from here, so an error it raises names
 * neither the script's line (its caller is this C function) nor itself ('?'):
 * both are put back before the error goes on. An allocation failure goes on
 * untouched, to be reported as the memory cap. */
static int sandbox_format(lua_State *L) {
  size_t len;
  const char *fmt = luaL_checklstring(L, 1, &len);
  refuse_address_conversion(L, fmt, len);
  int n = lua_gettop(L);
  for (int i = 2; i <= n; i++) {
    if (!is_reference(L, i)) continue;
    hl__tostring(L, i, NULL);
    lua_replace(L, i);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (lua_pcall(L, n, 1, 0) == LUA_OK) return 1;
  if (lua_type(L, -1) != LUA_TSTRING || hl__is_memory_error(L, -1)) return lua_error(L);
  luaL_where(L, 1);
  luaL_gsub(L, lua_tostring(L, -2), "to '?'", "to 'format'");
  lua_concat(L, 2);
  return lua_error(L);
}

void hl__open_string(lua_State *L) {
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_getfield(L, -1, "format");
  lua_pushcclosure(L, sandbox_format, 1);
  lua_setfield(L, -2, "format");
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 3);
}
