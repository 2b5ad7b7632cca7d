/* hl_api_fabric.c: the fabric and the hosts, laid through sim_net as
 * hnsim's own setup (HNS objects never: those go through the backend,
 * hl_api_hns.c):
 *   segment(name, {latency=, loss=})
 *   router(name, {{name=, segment=, address=}, ...})
 *   route(router, prefix, via[, {metric=, id=}])   a cloud user-defined route
 *   route_remove(router, prefix, via)
 *   host(name, {os=, profile=, nics={{name=, segment=, address=, mac=}}, gateway=, bridge={name=, address=}})
 * and the host object's own methods: h:route(prefix, via[, {dev=, compartment=, metric=, id=}])
 * and h:listen(where, proto, port). A Windows host gets its own simulated
 * HNS, seeded from the run's seed and the host's name through the stream
 * "hns:<name>", attached to the model, and the run's profile unless
 * host{profile=} names another. A Windows host the run has a preloaded
 * state for (hl_scenario_preload) takes that state's profile unless
 * host{profile=} names one, and its HNS is loaded with the state right
 * after it is made (hnsmock/hns_state_load.h). Arguments are all checked
 * before the model is touched; every step is logged (source "fabric"; the
 * load "hns"). */
#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hl_scenario_int.h"
#include "hns_state_load.h"
#include "sim_net_query.h"

#define HOST_META "hnsim.host"

static char *copy_string(lua_State *L, const char *s) {
  char *c = strdup(s);
  if (!c) hl__error(L, "out of memory");
  return c;
}

static int api_segment(lua_State *L) {
  static const char *const fields[] = {"latency", "loss", "cloud", NULL};
  hl_rt *rt = hl__api(L, "segment");
  const char *name = luaL_checkstring(L, 1);
  sim_time latency = 0;
  double loss = 0;
  int cloud = 0;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    hl__check_fields(L, 2, "segment", fields);
    latency = hl__field_duration(L, 2, "segment", "latency", 0);
    loss = hl__field_probability(L, 2, "segment", "loss", 0);
    lua_getfield(L, 2, "cloud");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1)) return hl__error(L, "segment: cloud: not true or false");
    cloud = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  if (rt->nsegments == rt->cap_segments) {
    size_t cap = rt->cap_segments ? rt->cap_segments * 2 : 8;
    hl_segment *v = realloc(rt->segments, cap * sizeof *v);
    if (!v) return hl__error(L, "segment: out of memory");
    rt->segments = v;
    rt->cap_segments = cap;
  }
  char *copy = copy_string(L, name);
  if (sim_net_segment_add(rt->net, name, latency, loss) || (cloud && sim_net_segment_set_cloud(rt->net, name, 1))) {
    free(copy);
    return hl__net_error(L, rt, "segment", name);
  }
  rt->segments[rt->nsegments++] = (hl_segment){copy, latency, loss};
  hl__log(rt, RPT_LOG_INFO, "fabric", "segment %s: latency %lld ns, loss %g%s", name, (long long)latency, loss,
          cloud ? ", cloud" : "");
  return 0;
}

static int api_router(lua_State *L) {
  static const char *const fields[] = {"name", "segment", "address", NULL};
  hl_rt *rt = hl__api(L, "router");
  const char *name = luaL_checkstring(L, 1);
  lua_Integer n = hl__list_len(L, 2, "router", "interfaces");
  sim_prefix addr;
  for (lua_Integer i = 1; i <= n; i++) { /* every interface checked before the router is made */
    lua_rawgeti(L, 2, i);
    if (!lua_istable(L, -1))
      hl__error(L, "router: interfaces[%lld] must be a table {name=, segment=, address=}", (long long)i);
    hl__check_fields(L, -1, "router", fields);
    hl__field_string(L, -1, "router", "segment", 1);
    hl__field_string(L, -1, "router", "name", 0);
    lua_getfield(L, -1, "address");
    hl__prefix(L, -1, "router", "address", &addr);
    lua_pop(L, 2);
  }
  if (sim_net_router_add(rt->net, name)) return hl__net_error(L, rt, "router", name);
  hl__log(rt, RPT_LOG_INFO, "fabric", "router %s", name);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 2, i);
    const char *segment = hl__field_string(L, -1, "router", "segment", 1);
    const char *iface = hl__field_string(L, -1, "router", "name", 0);
    lua_getfield(L, -1, "address");
    hl__prefix(L, -1, "router", "address", &addr);
    if (sim_net_router_iface_add(rt->net, name, iface ? iface : segment, segment, &addr))
      return hl__net_error(L, rt, "router", lua_tostring(L, -1));
    hl__log(rt, RPT_LOG_INFO, "fabric", "router %s: interface %s on %s, %s", name, iface ? iface : segment, segment,
            lua_tostring(L, -1));
    lua_pop(L, 2);
  }
  return 0;
}

static int api_route(lua_State *L) {
  static const char *const fields[] = {"metric", "id", NULL};
  hl_rt *rt = hl__api(L, "route");
  const char *router = luaL_checkstring(L, 1);
  sim_prefix dst;
  sim_ip via;
  hl__prefix(L, 2, "route", "prefix", &dst);
  hl__ip(L, 3, "route", "via", &via);
  lua_Integer metric = 0;
  const char *id = NULL;
  if (!lua_isnoneornil(L, 4)) {
    luaL_checktype(L, 4, LUA_TTABLE);
    hl__check_fields(L, 4, "route", fields);
    metric = hl__field_integer(L, 4, "route", "metric", 0, UINT32_MAX, 0);
    id = hl__field_string(L, 4, "route", "id", 0);
  }
  if (!id) id = hl__pushf(L, "udr %s", lua_tostring(L, 2));
  if (sim_net_router_route_add(rt->net, router, &dst, &via, (uint32_t)metric, id))
    return hl__net_error(L, rt, "route", router);
  hl__log(rt, RPT_LOG_INFO, "fabric", "router %s: route %s via %s (%s)", router, lua_tostring(L, 2), lua_tostring(L, 3),
          id);
  return 0;
}

static int api_route_remove(lua_State *L) {
  hl_rt *rt = hl__api(L, "route_remove");
  const char *router = luaL_checkstring(L, 1);
  sim_prefix dst;
  sim_ip via;
  hl__prefix(L, 2, "route_remove", "prefix", &dst);
  hl__ip(L, 3, "route_remove", "via", &via);
  if (sim_net_router_route_remove(rt->net, router, &dst, &via)) return hl__net_error(L, rt, "route_remove", router);
  hl__log(rt, RPT_LOG_INFO, "fabric", "router %s: route %s via %s removed", router, lua_tostring(L, 2),
          lua_tostring(L, 3));
  return 0;
}

/* ---- hosts ---- */

typedef struct nic_spec {
  const char *name, *segment;
  sim_prefix addr;
  sim_mac mac;
} nic_spec;

/* nics[i], checked; a MAC when none is given: Hyper-V's prefix 00-15-5D
 * and three bytes from the stream "mac:<host>/<nic>". */
static void read_nic(lua_State *L, hl_rt *rt, const char *host, lua_Integer i, nic_spec *out) {
  static const char *const fields[] = {"name", "segment", "address", "mac", NULL};
  if (!lua_istable(L, -1))
    hl__error(L, "host: nics[%lld] must be a table {name=, segment=, address=, mac=}", (long long)i);
  hl__check_fields(L, -1, "host", fields);
  out->name = hl__field_string(L, -1, "host", "name", 1);
  out->segment = hl__field_string(L, -1, "host", "segment", 1);
  lua_getfield(L, -1, "address");
  hl__prefix(L, -1, "host", "nics.address", &out->addr);
  lua_pop(L, 1);
  const char *mac = hl__field_string(L, -1, "host", "mac", 0);
  if (mac && sim_mac_parse(mac, &out->mac))
    hl__error(L, "host: nics[%lld].mac: '%s' is not a MAC address", (long long)i, mac);
  if (!mac) {
    char stream[300];
    sim_rng rng;
    snprintf(stream, sizeof stream, "mac:%s/%s", host, out->name);
    sim_world_stream(rt->world, stream, &rng);
    sim_mac_from_u64((UINT64_C(0x00155D) << 24) | (sim_rng_u64(&rng) & 0xFFFFFF), &out->mac);
  }
}

static hl_host *host_new(lua_State *L, hl_rt *rt, const char *name, sim_host_kind kind, const hns_profile *profile) {
  if (rt->nhosts == rt->cap_hosts) {
    size_t cap = rt->cap_hosts ? rt->cap_hosts * 2 : 8;
    hl_host *v = realloc(rt->hosts, cap * sizeof *v);
    if (!v) hl__error(L, "host: out of memory");
    rt->hosts = v;
    rt->cap_hosts = cap;
  }
  hl_host *h = &rt->hosts[rt->nhosts];
  *h = (hl_host){copy_string(L, name), kind, profile, NULL};
  rt->nhosts++;
  return h;
}

static void push_host(lua_State *L, size_t index) {
  size_t *ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = index;
  luaL_setmetatable(L, HOST_META);
}

/* The NIC of `host` whose prefix holds `ip`, or NULL. */
static const char *nic_for(const nic_spec *nics, lua_Integer n, const sim_ip *ip) {
  for (lua_Integer i = 0; i < n; i++)
    if (sim_prefix_contains(&nics[i].addr, ip)) return nics[i].name;
  return NULL;
}

static void attach_backend(lua_State *L, hl_rt *rt, hl_host *h) {
  char stream[300];
  sim_rng rng;
  snprintf(stream, sizeof stream, "hns:%s", h->name);
  sim_world_stream(rt->world, stream, &rng);
  hns_service_config cfg = {h->profile, h->name, sim_rng_u64(&rng)};
  hns_hr hr = hns_backend_sim_create(&cfg, rt->net, h->name, &h->backend);
  if (HNS_FAILED(hr)) hl__error(L, "host: %s: the simulated HNS could not start: 0x%08X", h->name, (unsigned)hr);
}

/* ---- preloaded host states ---- */

/* The index of the state preloaded for host `name`, or -1. */
static long preload_of(const hl_rt *rt, const char *name) {
  for (size_t i = 0; rt->preload && i < rt->preload->n; i++)
    if (!strcmp(rt->preload->hosts[i].host, name)) return (long)i;
  return -1;
}

static const char *preload_origin(const hl_rt *rt) {
  return rt->preload->origin ? rt->preload->origin : "given to the run";
}

/* Ends the run as an error: "file:line: " and the message become the run's
 * error, and every later API call raises, so that a script catching this
 * one cannot carry on without the host's state. */
static int end_run(lua_State *L, hl_rt *rt, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int end_run(lua_State *L, hl_rt *rt, const char *fmt, ...) {
  luaL_where(L, 1);
  int n = snprintf(rt->fatal, sizeof rt->fatal, "%s", lua_tostring(L, -1));
  lua_pop(L, 1);
  va_list ap;
  va_start(ap, fmt);
  if (n >= 0 && (size_t)n < sizeof rt->fatal) vsnprintf(rt->fatal + n, sizeof rt->fatal - (size_t)n, fmt, ap);
  va_end(ap);
  rt->fatal_status = HL_E_RUNTIME;
  lua_pushstring(L, rt->fatal);
  return lua_error(L);
}

/* The profile the preloaded state `i` was recorded on (NULL: it names
 * none); a state whose Profile is unknown ends the run. */
static const hns_profile *preload_profile(lua_State *L, hl_rt *rt, const char *name, size_t i) {
  const hns_profile *p = NULL;
  char *detail = NULL, text[512];
  if (HNS_SUCCEEDED(hns_state_profile(rt->preload->hosts[i].state, &p, &detail))) return p;
  snprintf(text, sizeof text, "%s", detail ? detail : "out of memory");
  free(detail);
  end_run(L, rt, "host: %s: its preloaded state (%s) cannot be read: %s", name, preload_origin(rt), text);
  return NULL;
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

/* Loads preloaded state `i` into the new Windows host's HNS; a refusal
 * ends the run, naming the object and the HRESULT. */
static void load_preloaded(lua_State *L, hl_rt *rt, hl_host *h, size_t i, const hns_profile *recorded) {
  rt->preload_used[i] = 1;
  if (recorded && recorded != h->profile)
    hl__log(rt, RPT_LOG_WARN, "hns", "host %s: its state was recorded on %s and is loaded on %s, as host{profile=} asks",
            h->name, recorded->name, h->profile->name);
  hns_state_load_report r;
  char *detail = NULL, text[HL_ERRMSG_SIZE / 2];
  hns_hr hr = hns_state_load(hns_backend_service(h->backend), rt->preload->hosts[i].state, &detail, &r);
  if (HNS_FAILED(hr)) {
    snprintf(text, sizeof text, "%s", detail ? detail : "out of memory");
    free(detail);
    end_run(L, rt, "host: %s: its preloaded state (%s) cannot be loaded on %s: %s", h->name, preload_origin(rt),
            h->profile->name, text);
  }
  hl__log(rt, RPT_LOG_INFO, "hns",
          "host %s: HNS state loaded (%s): %zu network%s, %zu endpoint%s (%zu attached to the host, %zu to containers), "
          "%zu namespace%s, %zu load balancer%s",
          h->name, preload_origin(rt), r.created[HNS_NETWORK], plural(r.created[HNS_NETWORK]), r.created[HNS_ENDPOINT],
          plural(r.created[HNS_ENDPOINT]), r.host_attached, r.container_attached, r.created[HNS_NAMESPACE],
          plural(r.created[HNS_NAMESPACE]), r.created[HNS_LOADBALANCER], plural(r.created[HNS_LOADBALANCER]));
}

static int api_host(lua_State *L) {
  static const char *const fields[] = {"os", "profile", "nics", "gateway", "bridge", NULL};
  static const char *const bridge_fields[] = {"name", "address", NULL};
  hl_rt *rt = hl__api(L, "host");
  const char *name = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  hl__check_fields(L, 2, "host", fields);
  if (hl__host_find(rt, name)) return hl__error(L, "host: '%s' exists already", name);
  const char *os = hl__field_string(L, 2, "host", "os", 0);
  sim_host_kind kind = !os || !strcmp(os, "windows") ? SIM_HOST_WINDOWS : SIM_HOST_LINUX;
  if (os && strcmp(os, "windows") && strcmp(os, "linux"))
    return hl__error(L, "host: os: '%s' is not \"windows\" or \"linux\"", os);
  const char *profile_name = hl__field_string(L, 2, "host", "profile", 0);
  const hns_profile *profile = profile_name ? hns_profile_find(profile_name) : rt->profile;
  if (!profile) return hl__error(L, "host: profile: unknown profile '%s' (docs/profiles.md)", profile_name);
  if (profile_name && kind == SIM_HOST_LINUX) return hl__error(L, "host: profile: a Linux host has no Windows profile");
  long pre = preload_of(rt, name);
  const hns_profile *recorded = NULL;
  if (pre >= 0 && kind == SIM_HOST_LINUX)
    return end_run(L, rt, "host: %s: a state was preloaded for it (%s), but a Linux host has no HNS", name,
                   preload_origin(rt));
  if (pre >= 0 && (recorded = preload_profile(L, rt, name, (size_t)pre)) && !profile_name) profile = recorded;
  lua_getfield(L, 2, "nics");
  lua_Integer n = lua_isnil(L, -1) ? 0 : hl__list_len(L, -1, "host", "nics");
  nic_spec *nics = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *nics, 0);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -2, i);
    read_nic(L, rt, name, i, &nics[i - 1]);
    lua_pop(L, 1);
  }
  sim_route_spec def = {SIM_HOST_COMPARTMENT, {{4, {0}}, 0}, {0, {0}}, NULL, 0, NULL};
  if (lua_getfield(L, 2, "gateway") != LUA_TNIL) {
    hl__ip(L, -1, "host", "gateway", &def.next_hop);
    if (def.next_hop.family == 6) def.dst.addr.family = 6;
    if (!(def.iface = nic_for(nics, n, &def.next_hop)))
      return hl__error(L, "host: gateway: %s is on no NIC's prefix", lua_tostring(L, -1));
  }
  sim_prefix bridge_addr;
  const char *bridge = NULL;
  if (lua_getfield(L, 2, "bridge") != LUA_TNIL) {
    if (kind != SIM_HOST_LINUX)
      return hl__error(L, "host: bridge: only a Linux host has a bridge (Windows pods go through HNS)");
    luaL_checktype(L, -1, LUA_TTABLE);
    hl__check_fields(L, -1, "host", bridge_fields);
    bridge = hl__field_string(L, -1, "host", "name", 1);
    lua_getfield(L, -1, "address");
    hl__prefix(L, -1, "host", "bridge.address", &bridge_addr);
    lua_pop(L, 1);
  }
  if (sim_net_host_add(rt->net, name, kind)) return hl__net_error(L, rt, "host", name);
  hl_host *h = host_new(L, rt, name, kind, kind == SIM_HOST_WINDOWS ? profile : NULL);
  size_t index = (size_t)(h - rt->hosts);
  for (lua_Integer i = 0; i < n; i++)
    if (sim_net_nic_add(rt->net, name, nics[i].name, nics[i].segment, &nics[i].addr, &nics[i].mac))
      return hl__net_error(L, rt, "host", nics[i].name);
  if (bridge && sim_net_bridge_add(rt->net, name, bridge, &bridge_addr)) return hl__net_error(L, rt, "host", bridge);
  if (def.iface && sim_net_route_add(rt->net, name, &def)) return hl__net_error(L, rt, "host", "gateway");
  if (kind == SIM_HOST_WINDOWS) attach_backend(L, rt, h);
  hl__log(rt, RPT_LOG_INFO, "fabric", "host %s: %s%s%s, %lld NIC%s", name,
          kind == SIM_HOST_WINDOWS ? "Windows " : "Linux", kind == SIM_HOST_WINDOWS ? profile->name : "",
          kind == SIM_HOST_WINDOWS ? " (simulated HNS)" : "", (long long)n, n == 1 ? "" : "s");
  if (pre >= 0) load_preloaded(L, rt, &rt->hosts[index], (size_t)pre, recorded);
  push_host(L, index);
  return 1;
}

/* ---- host methods: routes and listeners in the model ---- */

static int host_route(lua_State *L) {
  static const char *const fields[] = {"dev", "compartment", "metric", "id", NULL};
  hl_rt *rt = hl__api(L, "route");
  hl_host *h = hl__host_arg(L, 1, "route");
  sim_route_spec r = {SIM_HOST_COMPARTMENT, {{0, {0}}, 0}, {0, {0}}, NULL, 0, NULL};
  hl__prefix(L, 2, "route", "prefix", &r.dst);
  if (!lua_isnoneornil(L, 3)) hl__ip(L, 3, "route", "via", &r.next_hop);
  if (!lua_isnoneornil(L, 4)) {
    luaL_checktype(L, 4, LUA_TTABLE);
    hl__check_fields(L, 4, "route", fields);
    r.iface = hl__field_string(L, 4, "route", "dev", 0);
    const char *comp = hl__field_string(L, 4, "route", "compartment", 0);
    if (comp) r.compartment = comp;
    r.metric = (uint32_t)hl__field_integer(L, 4, "route", "metric", 0, UINT32_MAX, 0);
    r.id = hl__field_string(L, 4, "route", "id", 0);
  }
  if (!r.iface && r.next_hop.family) { /* the NIC whose prefix holds the next hop */
    sim_iface_info nics[16];
    size_t count = 0;
    sim_net_host_nics(rt->net, h->name, nics, 16, &count);
    for (size_t i = 0; i < count && i < 16 && !r.iface; i++)
      if (sim_prefix_contains(&nics[i].addr[0], &r.next_hop)) r.iface = lua_pushstring(L, nics[i].name);
  }
  if (!r.iface)
    return hl__error(L, "route: give {dev=...}: %s",
                     r.next_hop.family ? "the next hop is on no NIC's prefix" : "an on-link route needs its interface");
  if (sim_net_route_add(rt->net, h->name, &r)) return hl__net_error(L, rt, "route", h->name);
  hl__log(rt, RPT_LOG_INFO, "fabric", "host %s: route %s via %s dev %s in %s", h->name, lua_tostring(L, 2),
          lua_isnoneornil(L, 3) ? "on-link" : lua_tostring(L, 3), r.iface, r.compartment);
  return 0;
}

static int host_listen(lua_State *L) {
  hl_rt *rt = hl__api(L, "listen");
  hl_host *h = hl__host_arg(L, 1, "listen");
  const char *where = luaL_checkstring(L, 2);
  const char *proto = luaL_checkstring(L, 3);
  lua_Integer port = luaL_checkinteger(L, 4);
  uint8_t p = !strcmp(proto, "tcp") ? SIM_IPPROTO_TCP : !strcmp(proto, "udp") ? SIM_IPPROTO_UDP : 0;
  if (!p) return hl__error(L, "listen: proto: '%s' is not \"tcp\" or \"udp\"", proto);
  if (port < 1 || port > 65535) return hl__error(L, "listen: port: %lld is not from 1 to 65535", (long long)port);
  sim_iface_info info;
  const char *comp = where;
  if (strcmp(where, SIM_HOST_COMPARTMENT) && !sim_net_iface_info(rt->net, h->name, where, &info)) {
    if (!info.compartment[0]) return hl__error(L, "listen: endpoint '%s' is attached to no compartment", where);
    comp = lua_pushstring(L, info.compartment);
  }
  if (sim_net_listen(rt->net, h->name, comp, p, (uint16_t)port)) return hl__net_error(L, rt, "listen", where);
  hl__log(rt, RPT_LOG_INFO, "fabric", "host %s: %s listens on %s/%lld", h->name, where, proto, (long long)port);
  return 0;
}

static int host_index(lua_State *L) {
  hl_host *h = hl__host_arg(L, 1, "host");
  const char *key = luaL_checkstring(L, 2);
  if (!strcmp(key, "name")) {
    lua_pushstring(L, h->name);
  } else if (!strcmp(key, "os")) {
    lua_pushstring(L, h->kind == SIM_HOST_WINDOWS ? "windows" : "linux");
  } else if (!strcmp(key, "profile")) {
    if (h->profile)
      lua_pushstring(L, h->profile->name);
    else
      lua_pushnil(L);
  } else {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_getfield(L, -1, key);
  }
  return 1;
}

static int host_tostring(lua_State *L) {
  hl__pushf(L, "host %s", hl__host_arg(L, 1, "host")->name);
  return 1;
}

void hl__open_api_fabric(lua_State *L) {
  static const luaL_Reg globals[] = {{"segment", api_segment},           {"router", api_router}, {"route", api_route},
                                     {"route_remove", api_route_remove}, {"host", api_host},     {NULL, NULL}};
  static const luaL_Reg methods[] = {{"route", host_route}, {"listen", host_listen}, {NULL, NULL}};
  luaL_newmetatable(L, HOST_META);
  lua_pushcfunction(L, host_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, host_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "host");
  lua_setfield(L, -2, "__metatable");
  luaL_newlib(L, methods);
  hl__host_hns_methods(L);
  hl__host_hcs_methods(L);
  hl__host_vip_methods(L);
  lua_setfield(L, -2, "methods");
  lua_pop(L, 1);
  for (const luaL_Reg *r = globals; r->name; r++) {
    lua_pushcfunction(L, r->func);
    lua_setglobal(L, r->name);
  }
}
