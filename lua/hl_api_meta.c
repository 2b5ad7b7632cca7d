/* hl_api_meta.c: scenario{name=, description=, seed=, profiles={...}},
 * a scenario's metadata. It must come before every other API call, once:
 * a runner learns the profiles to run across by running the file up to
 * that call (hl_scenario_inspect), so a scenario{} after another call would
 * be missed. In a run it is checked again the same way and logged. */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include "hl_scenario_int.h"

static const char *const fields[] = {"name", "description", "seed", "profiles", NULL};

static void read_profiles(lua_State *L, hl_scenario_info *info) {
  if (lua_getfield(L, 1, "profiles") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  lua_Integer n = hl__list_len(L, -1, "scenario", "profiles");
  if (n == 0) hl__error(L, "scenario: profiles is empty (leave it out to run on --profile)");
  if (n > HL_SCENARIO_MAX_PROFILES) hl__error(L, "scenario: profiles: more than %d profiles", HL_SCENARIO_MAX_PROFILES);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    const hns_profile *p = lua_type(L, -1) == LUA_TSTRING ? hns_profile_find(lua_tostring(L, -1)) : NULL;
    if (!p) {
      char known[256] = "";
      size_t used = 0;
      for (const hns_profile *const *k = hns_profiles(); *k && used < sizeof known; k++)
        used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", used ? " " : "", (*k)->name);
      hl__error(L, "scenario: profiles[%lld]: unknown profile '%s' (known: %s)", (long long)i,
                lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1), known);
    }
    for (size_t k = 0; k < info->nprofiles; k++)
      if (info->profiles[k] == p->name)
        hl__error(L, "scenario: profiles[%lld]: '%s' is named twice", (long long)i, p->name);
    info->profiles[info->nprofiles++] = p->name;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Checks the table at 1 into `info` (name and the rest left as they are
 * when absent). */
static void read_metadata(lua_State *L, hl_scenario_info *info) {
  luaL_checktype(L, 1, LUA_TTABLE);
  hl__check_fields(L, 1, "scenario", fields);
  const char *name = hl__field_string(L, 1, "scenario", "name", 0);
  const char *description = hl__field_string(L, 1, "scenario", "description", 0);
  if (name && (!*name || strlen(name) >= sizeof info->name))
    hl__error(L, "scenario: name: '%s' must be 1 to %zu bytes", name, sizeof info->name - 1);
  if (name) snprintf(info->name, sizeof info->name, "%s", name);
  if (description) snprintf(info->description, sizeof info->description, "%s", description);
  lua_getfield(L, 1, "seed");
  if (!lua_isnil(L, -1)) {
    info->has_seed = 1;
    info->seed = (uint64_t)hl__field_integer(L, 1, "scenario", "seed", 0, INT64_MAX, 0);
  }
  lua_pop(L, 1);
  read_profiles(L, info);
}

static int api_scenario(lua_State *L) {
  hl_rt *rt = hl__api(L, "scenario");
  if (rt->api_used) hl__error(L, "scenario: scenario{...} must come before every other call of the scenario API");
  if (rt->meta_seen) hl__error(L, "scenario: scenario{...} is given twice");
  rt->meta_seen = 1;
  if (rt->inspecting) {
    read_metadata(L, rt->info);
    return hl__inspect_stop(L, rt);
  }
  hl_scenario_info info;
  memset(&info, 0, sizeof info);
  read_metadata(L, &info);
  hl__log(rt, RPT_LOG_INFO, "scenario", "%s%s%s (profile %s, seed %llu)", info.name[0] ? info.name : rt->file,
          info.description[0] ? ": " : "", info.description, rt->profile->name, (unsigned long long)rt->seed);
  return 0;
}

void hl__open_api_meta(lua_State *L) {
  lua_pushcfunction(L, api_scenario);
  lua_setglobal(L, "scenario");
}
