/* sim_fabric.c: the underlay between hosts: L2 segments (latency, loss and
 * the addresses each one's neighbours answer for) and L3 routers with their
 * interfaces and route tables (connected routes and static ones, such as
 * the user-defined routes ACS programs per host: the seed document).
 * Invariants: every address on a segment names one neighbour (a router
 * interface, a NIC, or an endpoint of an external vSwitch); a router route
 * leaves by an interface whose prefix holds its next hop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_net_int.h"

static int link_ok(sim_net *net, const char *name, sim_time latency, double loss) {
  if (latency < 0) return net_fail(net, SIM_E_INVAL, "segment \"%s\" latency %lld: negative", name, (long long)latency);
  if (!(loss >= 0.0 && loss <= 1.0)) return net_fail(net, SIM_E_INVAL, "segment \"%s\" loss %g: not in 0..1", name, loss);
  return SIM_OK;
}

int sim_net_segment_add(sim_net *net, const char *name, sim_time latency, double loss) {
  if (!net) return SIM_E_INVAL;
  int rc = net_name_ok(net, "segment", name);
  if (rc || (rc = link_ok(net, name, latency, loss))) return rc;
  uint32_t i;
  if (sim_map_get(net->names, SCOPE_SEGMENT, name, strlen(name), NULL))
    return net_fail(net, SIM_E_EXISTS, "segment \"%s\": exists", name);
  char *copy = net_strdup(name);
  if (!copy || net_pool_take(&net->segments, &i)) {
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "segment \"%s\": out of memory", name);
  }
  if (sim_map_put(net->names, SCOPE_SEGMENT, name, strlen(name), i)) {
    net_pool_put(&net->segments, i);
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "segment \"%s\": out of memory", name);
  }
  net_segment *s = NET_AT(net->segments, net_segment, i);
  s->name = copy;
  s->latency = latency;
  s->loss = loss;
  char stream[300];
  snprintf(stream, sizeof(stream), "segment-loss:%s", name);
  sim_world_stream(net->world, stream, &s->rng);
  return net_ok(net);
}

int sim_net_segment_set_link(sim_net *net, const char *name, sim_time latency, double loss) {
  if (!net) return SIM_E_INVAL;
  uint32_t i;
  int rc = net_find(net, SCOPE_SEGMENT, name, "segment", "segment", &i);
  if (rc || (rc = link_ok(net, name, latency, loss))) return rc;
  net_segment *s = NET_AT(net->segments, net_segment, i);
  s->latency = latency;
  s->loss = loss;
  return net_ok(net);
}

int sim_net_segment_set_cloud(sim_net *net, const char *name, int on) {
  if (!net) return SIM_E_INVAL;
  uint32_t i;
  int rc = net_find(net, SCOPE_SEGMENT, name, "segment", "segment", &i);
  if (rc) return rc;
  if (on != 0 && on != 1) return net_fail(net, SIM_E_INVAL, "segment \"%s\": cloud %d is not 0 or 1", name, on);
  NET_AT(net->segments, net_segment, i)->cloud = on;
  return net_ok(net);
}

int sim_net_router_add(sim_net *net, const char *name) {
  if (!net) return SIM_E_INVAL;
  int rc = net_name_ok(net, "router", name);
  if (rc) return rc;
  if (sim_map_get(net->names, SCOPE_ROUTER, name, strlen(name), NULL))
    return net_fail(net, SIM_E_EXISTS, "router \"%s\": exists", name);
  uint32_t i;
  sim_lpm *routes = NULL;
  char *copy = net_strdup(name);
  if (!copy || sim_lpm_create(&routes) || net_pool_take(&net->routers, &i)) {
    free(copy);
    sim_lpm_destroy(routes);
    return net_fail(net, SIM_E_NOMEM, "router \"%s\": out of memory", name);
  }
  if (sim_map_put(net->names, SCOPE_ROUTER, name, strlen(name), i)) {
    net_pool_put(&net->routers, i);
    free(copy);
    sim_lpm_destroy(routes);
    return net_fail(net, SIM_E_NOMEM, "router \"%s\": out of memory", name);
  }
  net_router *r = NET_AT(net->routers, net_router, i);
  r->name = copy;
  r->routes = routes;
  return net_ok(net);
}

/* The key of a router route: its network, length and next hop. */
static size_t rroute_key(const sim_prefix *dst, const sim_ip *nh, uint8_t key[35]) {
  sim_ip network;
  sim_prefix_network(dst, &network);
  key[0] = network.family;
  memcpy(key + 1, network.b, 16);
  key[17] = dst->len;
  key[18] = nh ? nh->family : 0;
  memset(key + 19, 0, 16);
  if (nh) memcpy(key + 19, nh->b, 16);
  return 35;
}

/* Adds a route of router r through rif; the caller has validated it. */
static int rroute_insert(sim_net *net, uint32_t r, uint32_t rif, const sim_prefix *dst, const sim_ip *nh,
                         uint32_t metric, const char *id) {
  net_router *router = NET_AT(net->routers, net_router, r);
  uint8_t key[35];
  size_t klen = rroute_key(dst, nh, key);
  char text[50], hop[46], made[160];
  sim_prefix network = *dst;
  sim_prefix_network(dst, &network.addr);
  sim_prefix_format(&network, text);
  if (sim_map_get(net->addrs, SCOPE_RROUTE | r, key, klen, NULL))
    return net_fail(net, SIM_E_EXISTS, "route %s: router \"%s\" has it already", text, router->name);
  if (!id) {
    const net_rif *f = NET_AT(net->rifs, net_rif, rif);
    if (nh && nh->family) {
      sim_ip_format(nh, hop);
      snprintf(made, sizeof(made), "%s via %s", text, hop);
    } else {
      snprintf(made, sizeof(made), "connected %s dev %s", text, f->name);
    }
    id = made;
  }
  uint32_t i;
  char *copy = net_strdup(id);
  if (!copy || net_pool_take(&net->rroutes, &i)) {
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "route %s: out of memory", text);
  }
  int rc = sim_map_put(net->addrs, SCOPE_RROUTE | r, key, klen, i);
  if (!rc && (rc = sim_lpm_add(router->routes, dst, metric, i))) sim_map_del(net->addrs, SCOPE_RROUTE | r, key, klen);
  if (rc) {
    net_pool_put(&net->rroutes, i);
    free(copy);
    return net_fail(net, rc, "route %s: out of memory", text);
  }
  net_rroute *rr = NET_AT(net->rroutes, net_rroute, i);
  rr->router = r;
  rr->rif = rif;
  rr->dst.len = dst->len;
  sim_prefix_network(dst, &rr->dst.addr);
  if (nh) rr->nh = *nh;
  rr->id = copy;
  return SIM_OK;
}

int sim_net_router_iface_add(sim_net *net, const char *router, const char *iface, const char *segment,
                             const sim_prefix *addr) {
  if (!net) return SIM_E_INVAL;
  uint32_t r, s, i;
  int rc = net_find(net, SCOPE_ROUTER, router, "router", "router", &r);
  if (rc || (rc = net_find(net, SCOPE_SEGMENT, segment, "segment", "segment", &s))) return rc;
  if ((rc = net_name_ok(net, "iface", iface)) || (rc = net_iface_addr_ok(net, "addr", addr))) return rc;
  if (sim_map_get(net->names, SCOPE_RIF | r, iface, strlen(iface), NULL))
    return net_fail(net, SIM_E_EXISTS, "iface \"%s\": router \"%s\" has it already", iface, router);
  char text[46];
  sim_ip_format(&addr->addr, text);
  if (net_addr_get(net, SCOPE_NEIGH | s, &addr->addr, NULL))
    return net_fail(net, SIM_E_EXISTS, "addr %s: already on segment \"%s\"", text, segment);
  char *copy = net_strdup(iface);
  if (!copy || net_pool_take(&net->rifs, &i)) {
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "iface \"%s\": out of memory", iface);
  }
  net_rif *f = NET_AT(net->rifs, net_rif, i);
  f->name = copy;
  f->router = r;
  f->segment = s;
  f->addr = *addr;
  if ((rc = sim_map_put(net->names, SCOPE_RIF | r, iface, strlen(iface), i)) == SIM_OK) {
    if ((rc = net_addr_put(net, SCOPE_NEIGH | s, &addr->addr, NEIGH_RIF | i)) == SIM_OK) {
      net_router *rt = NET_AT(net->routers, net_router, r);
      uint32_t *list = realloc(rt->rifs, (rt->nrifs + 1) * sizeof(uint32_t));
      if (list) {
        rt->rifs = list;
        rt->rifs[rt->nrifs] = i;
        /* The connected route sets its own message when it fails. */
        if ((rc = rroute_insert(net, r, i, addr, NULL, 0, NULL)) == SIM_OK) {
          rt->nrifs++;
          return net_ok(net);
        }
      }
      net_addr_del(net, SCOPE_NEIGH | s, &addr->addr);
    }
    sim_map_del(net->names, SCOPE_RIF | r, iface, strlen(iface));
  }
  free(copy);
  net_pool_put(&net->rifs, i);
  if (rc && rc != SIM_E_NOMEM) return rc;
  return net_fail(net, SIM_E_NOMEM, "iface \"%s\": out of memory", iface);
}

/* The first interface (in the order added) of router r whose prefix holds
 * ip; NET_NONE when none does. Routers have a handful of interfaces. */
static uint32_t rif_on_link(const sim_net *net, uint32_t r, const sim_ip *ip) {
  const net_router *rt = NET_AT(net->routers, net_router, r);
  for (uint32_t k = 0; k < rt->nrifs; k++)
    if (sim_prefix_contains(&NET_AT(net->rifs, net_rif, rt->rifs[k])->addr, ip)) return rt->rifs[k];
  return NET_NONE;
}

static int route_args_ok(sim_net *net, const sim_prefix *dst, const sim_ip *nh) {
  if (!dst) return net_fail(net, SIM_E_INVAL, "dst: NULL");
  if ((dst->addr.family != 4 && dst->addr.family != 6) || dst->len > (dst->addr.family == 4 ? 32 : 128))
    return net_fail(net, SIM_E_INVAL, "dst: family %u length %u is not a prefix", (unsigned)dst->addr.family,
                    (unsigned)dst->len);
  if (!nh) return net_fail(net, SIM_E_INVAL, "next_hop: NULL");
  if (nh->family != dst->addr.family)
    return net_fail(net, SIM_E_INVAL, "next_hop: family %u differs from dst's %u", (unsigned)nh->family,
                    (unsigned)dst->addr.family);
  return SIM_OK;
}

int sim_net_router_route_add(sim_net *net, const char *router, const sim_prefix *dst, const sim_ip *next_hop,
                             uint32_t metric, const char *id) {
  if (!net) return SIM_E_INVAL;
  uint32_t r;
  int rc = net_find(net, SCOPE_ROUTER, router, "router", "router", &r);
  if (rc || (rc = route_args_ok(net, dst, next_hop))) return rc;
  uint32_t rif = rif_on_link(net, r, next_hop);
  if (rif == NET_NONE) {
    char hop[46];
    sim_ip_format(next_hop, hop);
    return net_fail(net, SIM_E_INVAL, "next_hop %s: not on any interface of router \"%s\"", hop, router);
  }
  rc = rroute_insert(net, r, rif, dst, next_hop, metric, id);
  return rc ? rc : net_ok(net);
}

int sim_net_router_route_remove(sim_net *net, const char *router, const sim_prefix *dst, const sim_ip *next_hop) {
  if (!net) return SIM_E_INVAL;
  uint32_t r, i;
  int rc = net_find(net, SCOPE_ROUTER, router, "router", "router", &r);
  if (rc || (rc = route_args_ok(net, dst, next_hop))) return rc;
  uint8_t key[35];
  size_t klen = rroute_key(dst, next_hop, key);
  if (!sim_map_get(net->addrs, SCOPE_RROUTE | r, key, klen, &i)) {
    char text[50];
    sim_prefix_format(dst, text);
    return net_fail(net, SIM_E_NOTFOUND, "route %s: router \"%s\" has no such route", text, router);
  }
  net_router *rt = NET_AT(net->routers, net_router, r);
  sim_lpm_remove(rt->routes, dst, i);
  sim_map_del(net->addrs, SCOPE_RROUTE | r, key, klen);
  free(NET_AT(net->rroutes, net_rroute, i)->id);
  net_pool_put(&net->rroutes, i);
  return net_ok(net);
}
