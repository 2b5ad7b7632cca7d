/* hl_scenario_api.c: ties a run to its sandbox and sets the scenario API's
 * globals; the gate every API function passes first (hl__api).
 *
 * The gate is where inspection ends: while a runner only reads a file's
 * metadata, the first API call other than scenario{} (or scenario{} once
 * it has filled the metadata) raises a private mark that ends the chunk,
 * and nothing else happens. It is also where a run that a callback ended
 * stays ended, should the script have caught the error run{} raised. */
#include <lauxlib.h>
#include <string.h>
#include "hl_json.h"
#include "hl_scenario_int.h"

static const char rt_key[] = "hnsim.scenario.run"; /* registry: the hl_rt, a light userdata */

hl_rt *hl__rt(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, rt_key);
  hl_rt *rt = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return rt;
}

int hl__inspect_stop(lua_State *L, hl_rt *rt) {
  rt->inspect_stopped = 1;
  lua_pushlightuserdata(L, rt); /* the mark: not a string, so no script message can look like it */
  return lua_error(L);
}

hl_rt *hl__api(lua_State *L, const char *fn) {
  hl_rt *rt = hl__rt(L);
  if (rt->inspecting && strcmp(fn, "scenario")) hl__inspect_stop(L, rt);
  if (rt->fatal_status)
    luaL_error(L, "%s: the run has ended: a callback failed (%s)", fn, hl_strerror(rt->fatal_status));
  if (strcmp(fn, "scenario")) rt->api_used = 1;
  return rt;
}

void hl__open_scenario_api(hl_rt *rt) {
  lua_State *L = rt->L;
  lua_pushlightuserdata(L, rt);
  lua_setfield(L, LUA_REGISTRYINDEX, rt_key);
  hl__open_json(L);
  hl__open_api_meta(L);
  hl__open_api_fabric(L);
  hl__open_api_time(L);
  hl__open_api_fault(L);
  hl__open_api_probe(L);
  hl__open_api_expect(L);
  hl__open_api_file(L);
  hl__open_api_snapshot(L);
}
