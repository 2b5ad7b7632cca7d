/* hl_api_hcs.c: the host methods for what HCS, not HNS, does to a
 * container's network: h:hot_attach(container, endpoint) and
 * h:hot_detach(container, endpoint), hcsshim's HotAttachEndpoint and
 * HotDetachEndpoint, which add an endpoint to a running container (or take
 * it away) through ModifyComputeSystem; dockershim's app containers share
 * their pause container's endpoint this way (hnsmock/hns_v1.h,
 * hns_hot_attach). On the sim backend they act on its simulated host;
 * each is recorded as a log row of source "hcs". They return a result
 * table like the HNS calls' ({ok, hr, hr_name, what}) and never raise for
 * a refusal. */
#include <lauxlib.h>
#include <stdio.h>
#include "hl_scenario_int.h"
#include "hns_v1.h"

static int hot(lua_State *L, int attach) {
  const char *fn = attach ? "hot_attach" : "hot_detach";
  hl_rt *rt = hl__api(L, fn);
  hl_host *h = hl__host_arg(L, 1, fn);
  const char *container = luaL_checkstring(L, 2);
  const char *id = NULL;
  if (lua_type(L, 3) == LUA_TTABLE) {
    lua_getfield(L, 3, "id");
    id = lua_tostring(L, -1);
    lua_pop(L, 1); /* anchored by the table */
  } else if (lua_type(L, 3) == LUA_TSTRING) {
    id = lua_tostring(L, 3);
  }
  if (!id) return hl__error(L, "%s: endpoint must be an endpoint's ID or the result that made it", fn);
  hns_service *svc = h->backend ? hns_backend_service(h->backend) : NULL;
  if (!svc) return hl__error(L, "%s: host %s has no simulated HCS (a Linux host, or not the sim backend)", fn, h->name);
  hns_hr hr = attach ? hns_hot_attach(svc, container, id) : hns_hot_detach(svc, container, id);
  char line[128];
  hl__line(L, line, sizeof line);
  const char *name = hns_hr_name(hr) ? hns_hr_name(hr) : "unknown";
  hl__log(rt, HNS_SUCCEEDED(hr) ? RPT_LOG_INFO : RPT_LOG_WARN, "hcs", "%s %s(%s, %s) (%s): 0x%08X %s%s%s", h->name,
          attach ? "HotAttachEndpoint" : "HotDetachEndpoint", container, id, line, (unsigned)hr, name,
          HNS_FAILED(hr) ? "; " : "", HNS_FAILED(hr) ? hns_service_last_detail(svc) : "");
  lua_createtable(L, 0, 5);
  lua_pushboolean(L, HNS_SUCCEEDED(hr));
  lua_setfield(L, -2, "ok");
  lua_pushinteger(L, (lua_Integer)(uint32_t)hr);
  lua_setfield(L, -2, "hr");
  lua_pushstring(L, name);
  lua_setfield(L, -2, "hr_name");
  hl__pushf(L, "%s %s to container %s", attach ? "hot attach of" : "hot detach of", id, container);
  lua_setfield(L, -2, "what");
  if (HNS_FAILED(hr)) {
    lua_pushstring(L, hns_service_last_detail(svc));
    lua_setfield(L, -2, "detail");
  }
  return 1;
}

static int m_hot_attach(lua_State *L) { return hot(L, 1); }
static int m_hot_detach(lua_State *L) { return hot(L, 0); }

void hl__host_hcs_methods(lua_State *L) {
  static const luaL_Reg methods[] = {{"hot_attach", m_hot_attach}, {"hot_detach", m_hot_detach}, {NULL, NULL}};
  luaL_setfuncs(L, methods, 0);
}
