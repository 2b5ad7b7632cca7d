/* hl_api_vip.c: h:service_vip{...}, the seed's service VIP on Windows
 * Server 2016, which is no HNS object: WS2016's HNS has no load balancer
 * (docs/profiles.md), and the seed's kube-proxy of 2017 served a VIP that
 * "can only be associated with one Container Host and will not be
 * load-balanced" (seed-windows-networking-for-kubernetes.txt). The method
 * puts that VIP on the host in the model, outside the backend; the host's
 * profile decides what it does (service_vip_balanced: on WS2016 every
 * connection goes to the first backend on this host, none local drops it;
 * docs/dataplane.md). How kube-proxy implemented it is not modelled: its
 * winuserspace proxier of the time bound the VIP on the host (netsh) and
 * proxied from there (kubernetes pkg/proxy/winuserspace); that a
 * connection reaches a backend with its own source address, as a VFP load
 * balancer gives it, is inferred. Recorded as a log row of source "host". */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include "hl_scenario_int.h"
#include "sim_net_query.h"
#include "sim_policy.h"

#define MAX_BACKENDS 64

/* 1 when `ip` is an address of one of the host's endpoints. */
static int local_to(hl_rt *rt, const char *host, const sim_ip *ip) {
  sim_iface_info ifs[128];
  size_t n = 0;
  if (sim_net_host_ifaces(rt->net, host, ifs, sizeof ifs / sizeof ifs[0], &n)) return 0;
  for (size_t i = 0; i < n && i < sizeof ifs / sizeof ifs[0]; i++)
    for (int f = 0; f < 2; f++)
      if (ifs[i].kind == SIM_IFACE_ENDPOINT && sim_ip_equal(&ifs[i].addr[f].addr, ip)) return 1;
  return 0;
}

static int m_service_vip(lua_State *L) {
  static const char *const fields[] = {"vip", "port", "target_port", "proto", "backends", NULL};
  const char *fn = "service_vip";
  hl_rt *rt = hl__api(L, fn);
  hl_host *h = hl__host_arg(L, 1, fn);
  luaL_checktype(L, 2, LUA_TTABLE);
  hl__check_fields(L, 2, fn, fields);
  if (!h->backend) return hl__error(L, "%s: host %s runs Linux: it has no Windows service VIP", fn, h->name);
  sim_ip vip;
  lua_getfield(L, 2, "vip");
  hl__ip(L, -1, fn, "vip", &vip);
  const char *proto = hl__field_string(L, 2, fn, "proto", 0);
  uint8_t p = !proto || !strcmp(proto, "tcp") ? SIM_IPPROTO_TCP : !strcmp(proto, "udp") ? SIM_IPPROTO_UDP : 0;
  if (!p) return hl__error(L, "%s: proto: '%s' is not \"tcp\" or \"udp\"", fn, proto);
  lua_Integer port = hl__field_integer(L, 2, fn, "port", 1, 65535, 80);
  lua_Integer target = hl__field_integer(L, 2, fn, "target_port", 1, 65535, port);
  if (lua_getfield(L, 2, "backends") != LUA_TTABLE) return hl__error(L, "%s: backends: give a list of addresses", fn);
  lua_Integer n = hl__list_len(L, -1, fn, "backends");
  if (n < 1 || n > MAX_BACKENDS) return hl__error(L, "%s: backends: %lld addresses, not 1 to %d", fn, (long long)n, MAX_BACKENDS);
  sim_lb_backend be[MAX_BACKENDS];
  for (lua_Integer i = 1; i <= n; i++) {
    const char *what = hl__pushf(L, "backends[%lld]", (long long)i);
    lua_rawgeti(L, -2, i);
    hl__ip(L, -1, fn, what, &be[i - 1].ip);
    lua_pop(L, 2);
    if (be[i - 1].ip.family != vip.family) return hl__error(L, "%s: backends[%lld]: not of the VIP's family", fn, (long long)i);
    be[i - 1].local = local_to(rt, h->name, &be[i - 1].ip);
  }
  char id[64], text[46];
  sim_ip_format(&vip, text);
  snprintf(id, sizeof id, "service VIP %s:%lld", text, (long long)port);
  sim_lb_mapping m = {p, (uint16_t)target, (uint16_t)port, SIM_LB_DIST_NONE, 0};
  sim_lb_spec spec = {id, &vip, 1, &m, 1, be, (size_t)n, vip.family == 6 ? SIM_LB_IPV6 : 0, NULL, 0, 0};
  if (sim_policy_lb_add(rt->net, h->name, &spec)) return hl__net_error(L, rt, fn, id);
  char line[128];
  hl__line(L, line, sizeof line);
  hl__log(rt, RPT_LOG_INFO, "host", "host %s (%s): %s -> port %lld on %lld backends, outside HNS", h->name, line, id,
          (long long)target, (long long)n);
  return 0;
}

void hl__host_vip_methods(lua_State *L) {
  static const luaL_Reg methods[] = {{"service_vip", m_service_vip}, {NULL, NULL}};
  luaL_setfuncs(L, methods, 0);
}
