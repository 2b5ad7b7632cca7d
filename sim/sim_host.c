/* sim_host.c: hosts, their interfaces (NICs, Linux bridges, and the parts
 * of endpoints and host vNICs that are interfaces), compartments with their
 * route tables and listeners.
 *
 * Invariants: an interface in a compartment has each of its addresses in
 * that compartment's local-address index and a connected route for each
 * of its prefixes; every route of a compartment leaves by an interface in
 * that compartment and is on that interface's route list, so taking the
 * interface out removes exactly its routes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_policy_int.h"

/* Windows gives on-link routes the metric 256 (inferred: what route print
 * and Get-NetRoute show for them); only the order among a prefix's routes
 * depends on it. */
#define CONNECTED_METRIC 256

const sim_prefix *net_iface_addr(const net_iface *f, int family) {
  for (int k = 0; k < 2; k++)
    if (f->addr[k].addr.family == family) return &f->addr[k];
  return NULL;
}

static int comp_new(sim_net *net, uint32_t h, const char *name, uint32_t *out) {
  const net_host *host = NET_AT(net->hosts, net_host, h);
  if (sim_map_get(net->names, SCOPE_COMP | h, name, strlen(name), NULL))
    return net_fail(net, SIM_E_EXISTS, "compartment \"%s\": host \"%s\" has it already", name, host->name);
  uint32_t c;
  sim_lpm *routes = NULL;
  char *copy = net_strdup(name);
  if (!copy || sim_lpm_create(&routes) || net_pool_take(&net->comps, &c)) {
    free(copy);
    sim_lpm_destroy(routes);
    return net_fail(net, SIM_E_NOMEM, "compartment \"%s\": out of memory", name);
  }
  if (sim_map_put(net->names, SCOPE_COMP | h, name, strlen(name), c)) {
    free(copy);
    sim_lpm_destroy(routes);
    net_pool_put(&net->comps, c);
    return net_fail(net, SIM_E_NOMEM, "compartment \"%s\": out of memory", name);
  }
  net_comp *cp = NET_AT(net->comps, net_comp, c);
  cp->name = copy;
  cp->host = h;
  cp->routes = routes;
  cp->serial = net->next_serial++;
  *out = c;
  return SIM_OK;
}

int sim_net_host_add(sim_net *net, const char *name, sim_host_kind kind) {
  if (!net) return SIM_E_INVAL;
  int rc = net_name_ok(net, "host", name);
  if (rc) return rc;
  if (kind != SIM_HOST_WINDOWS && kind != SIM_HOST_LINUX)
    return net_fail(net, SIM_E_INVAL, "kind %d: not SIM_HOST_WINDOWS or SIM_HOST_LINUX", (int)kind);
  if (sim_map_get(net->names, SCOPE_HOST, name, strlen(name), NULL))
    return net_fail(net, SIM_E_EXISTS, "host \"%s\": exists", name);
  uint32_t h, c;
  char *copy = net_strdup(name);
  if (!copy || net_pool_take(&net->hosts, &h)) {
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "host \"%s\": out of memory", name);
  }
  net_host *host = NET_AT(net->hosts, net_host, h);
  host->name = copy;
  host->kind = kind;
  if ((rc = comp_new(net, h, SIM_HOST_COMPARTMENT, &c)) == SIM_OK) {
    if (sim_map_put(net->names, SCOPE_HOST, name, strlen(name), h) == SIM_OK) {
      host->comp = c;
      return net_ok(net);
    }
    net_comp *cp = NET_AT(net->comps, net_comp, c);
    sim_map_del(net->names, SCOPE_COMP | h, cp->name, strlen(cp->name));
    free(cp->name);
    sim_lpm_destroy(cp->routes);
    net_pool_put(&net->comps, c);
  }
  free(copy);
  net_pool_put(&net->hosts, h);
  return net_fail(net, SIM_E_NOMEM, "host \"%s\": out of memory", name);
}

int net_iface_new(sim_net *net, uint32_t h, const char *name, net_if_kind kind, uint32_t *out) {
  const net_host *host = NET_AT(net->hosts, net_host, h);
  if (sim_map_get(net->names, SCOPE_IFACE | h, name, strlen(name), NULL))
    return net_fail(net, SIM_E_EXISTS, "interface \"%s\": host \"%s\" has one of that name", name, host->name);
  uint32_t i;
  char *copy = net_strdup(name);
  if (!copy || net_pool_take(&net->ifaces, &i)) {
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "interface \"%s\": out of memory", name);
  }
  if (sim_map_put(net->names, SCOPE_IFACE | h, name, strlen(name), i)) {
    free(copy);
    net_pool_put(&net->ifaces, i);
    return net_fail(net, SIM_E_NOMEM, "interface \"%s\": out of memory", name);
  }
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  f->name = copy;
  f->kind = kind;
  f->host = h;
  f->comp = f->vswitch = f->segment = f->routes = NET_NONE;
  *out = i;
  return SIM_OK;
}

void net_iface_free(sim_net *net, uint32_t i) {
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  net_iface_leave(net, i);
  sim_map_del(net->names, SCOPE_IFACE | f->host, f->name, strlen(f->name));
  free(f->name);
  net_stages_fini(&f->stages[0]);
  net_stages_fini(&f->stages[1]);
  net_ppol_free(f->pol);
  f->pol = NULL;
  net_pool_put(&net->ifaces, i);
}

/* The key of a compartment route: network, length, next hop, interface. */
static size_t route_key(const sim_prefix *dst, const sim_ip *nh, uint32_t iface, uint8_t key[39]) {
  sim_ip network;
  sim_prefix_network(dst, &network);
  key[0] = network.family;
  memcpy(key + 1, network.b, 16);
  key[17] = dst->len;
  key[18] = nh->family;
  memset(key + 19, 0, 16);
  if (nh->family) memcpy(key + 19, nh->b, 16);
  memcpy(key + 35, &iface, 4);
  return 39;
}

static int route_insert(sim_net *net, uint32_t c, uint32_t i, const sim_prefix *dst, const sim_ip *nh, uint32_t metric,
                        const char *id) {
  net_comp *cp = NET_AT(net->comps, net_comp, c);
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  uint8_t key[39];
  size_t klen = route_key(dst, nh, i, key);
  char text[50], hop[46], made[200];
  sim_prefix network = *dst;
  sim_prefix_network(dst, &network.addr);
  sim_prefix_format(&network, text);
  if (sim_map_get(net->addrs, SCOPE_ROUTE | c, key, klen, NULL))
    return net_fail(net, SIM_E_EXISTS, "route %s dev %s: compartment \"%s\" has it already", text, f->name, cp->name);
  if (!id) {
    if (nh->family) {
      sim_ip_format(nh, hop);
      snprintf(made, sizeof(made), "%s via %s dev %s", text, hop, f->name);
    } else {
      snprintf(made, sizeof(made), "%s on-link dev %s", text, f->name);
    }
    id = made;
  }
  uint32_t r;
  char *copy = net_strdup(id);
  if (!copy || net_pool_take(&net->routes, &r)) {
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "route %s: out of memory", text);
  }
  int rc = sim_map_put(net->addrs, SCOPE_ROUTE | c, key, klen, r);
  if (!rc && (rc = sim_lpm_add(cp->routes, dst, metric, r))) sim_map_del(net->addrs, SCOPE_ROUTE | c, key, klen);
  if (rc) {
    free(copy);
    net_pool_put(&net->routes, r);
    return net_fail(net, SIM_E_NOMEM, "route %s: out of memory", text);
  }
  net_route *rt = NET_AT(net->routes, net_route, r);
  rt->comp = c;
  rt->iface = i;
  rt->dst.len = dst->len;
  sim_prefix_network(dst, &rt->dst.addr);
  if (nh->family) rt->nh = *nh;
  rt->metric = metric;
  rt->id = copy;
  rt->next_on_iface = f->routes;
  f->routes = r;
  return SIM_OK;
}

static void route_delete(sim_net *net, uint32_t r) {
  net_route *rt = NET_AT(net->routes, net_route, r);
  net_comp *cp = NET_AT(net->comps, net_comp, rt->comp);
  net_iface *f = NET_AT(net->ifaces, net_iface, rt->iface);
  uint8_t key[39];
  sim_lpm_remove(cp->routes, &rt->dst, r);
  sim_map_del(net->addrs, SCOPE_ROUTE | rt->comp, key, route_key(&rt->dst, &rt->nh, rt->iface, key));
  uint32_t *at = &f->routes;
  while (*at != r) at = &NET_AT(net->routes, net_route, *at)->next_on_iface;
  *at = rt->next_on_iface;
  free(rt->id);
  net_pool_put(&net->routes, r);
}

int net_iface_join(sim_net *net, uint32_t i, uint32_t c) {
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  net_comp *cp = NET_AT(net->comps, net_comp, c);
  int k, rc = SIM_OK;
  static const sim_ip none;
  for (k = 0; k < 2 && f->addr[k].addr.family; k++) {
    if (net_addr_get(net, SCOPE_LOCAL | c, &f->addr[k].addr, NULL)) {
      char text[46];
      sim_ip_format(&f->addr[k].addr, text);
      rc = net_fail(net, SIM_E_EXISTS, "address %s of \"%s\": compartment \"%s\" has it already", text, f->name,
                    cp->name);
      break;
    }
    if (net_addr_put(net, SCOPE_LOCAL | c, &f->addr[k].addr, i)) {
      rc = net_fail(net, SIM_E_NOMEM, "interface \"%s\": out of memory", f->name);
      break;
    }
  }
  f->comp = c;
  for (int j = 0; !rc && j < k; j++) rc = route_insert(net, c, i, &f->addr[j], &none, CONNECTED_METRIC, NULL);
  if (!rc) {
    cp->nifaces++;
    return SIM_OK;
  }
  while (f->routes != NET_NONE) route_delete(net, f->routes);
  for (int j = 0; j < k; j++) net_addr_del(net, SCOPE_LOCAL | c, &f->addr[j].addr);
  f->comp = NET_NONE;
  return rc;
}

void net_iface_leave(sim_net *net, uint32_t i) {
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  if (f->comp == NET_NONE) return;
  while (f->routes != NET_NONE) route_delete(net, f->routes);
  for (int k = 0; k < 2 && f->addr[k].addr.family; k++) net_addr_del(net, SCOPE_LOCAL | f->comp, &f->addr[k].addr);
  NET_AT(net->comps, net_comp, f->comp)->nifaces--;
  f->comp = NET_NONE;
}

int sim_net_nic_add(sim_net *net, const char *host, const char *nic, const char *segment, const sim_prefix *addr,
                    const sim_mac *mac) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, s, i;
  int rc = net_find_host(net, host, &h);
  if (rc || (rc = net_name_ok(net, "nic", nic))) return rc;
  if ((rc = net_find(net, SCOPE_SEGMENT, segment, "segment", "segment", &s))) return rc;
  if ((rc = net_iface_addr_ok(net, "addr", addr))) return rc;
  if (!mac) return net_fail(net, SIM_E_INVAL, "mac: NULL");
  if (net_addr_get(net, SCOPE_NEIGH | s, &addr->addr, NULL)) {
    char text[46];
    sim_ip_format(&addr->addr, text);
    return net_fail(net, SIM_E_EXISTS, "addr %s: already on segment \"%s\"", text, segment);
  }
  if ((rc = net_iface_new(net, h, nic, IF_NIC, &i))) return rc;
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  f->segment = s;
  f->mac = *mac;
  f->addr[0] = *addr;
  if ((rc = net_iface_join(net, i, NET_AT(net->hosts, net_host, h)->comp)) == SIM_OK) {
    if (net_addr_put(net, SCOPE_NEIGH | s, &addr->addr, i) == SIM_OK) {
      net_policy_host_addrs(net, h); /* NodePorts and SNAT answer on it */
      return net_ok(net);
    }
    rc = net_fail(net, SIM_E_NOMEM, "nic \"%s\": out of memory", nic);
  }
  net_iface_free(net, i);
  return rc;
}

int sim_net_bridge_add(sim_net *net, const char *host, const char *bridge, const sim_prefix *addr) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = net_find_host(net, host, &h);
  if (rc || (rc = net_name_ok(net, "bridge", bridge)) || (rc = net_iface_addr_ok(net, "addr", addr))) return rc;
  if (NET_AT(net->hosts, net_host, h)->kind != SIM_HOST_LINUX)
    return net_fail(net, SIM_E_INVAL, "host \"%s\": a Windows host; bridges are for Linux hosts (use an HNS network)",
                    host);
  if ((rc = net_iface_new(net, h, bridge, IF_BRIDGE, &i))) return rc;
  NET_AT(net->ifaces, net_iface, i)->addr[0] = *addr;
  if ((rc = net_iface_join(net, i, NET_AT(net->hosts, net_host, h)->comp))) {
    net_iface_free(net, i);
    return rc;
  }
  return net_ok(net);
}

int sim_net_compartment_add(sim_net *net, const char *host, const char *compartment) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, c;
  int rc = net_find_host(net, host, &h);
  if (rc || (rc = net_name_ok(net, "compartment", compartment))) return rc;
  if ((rc = comp_new(net, h, compartment, &c))) return rc;
  return net_ok(net);
}

int sim_net_compartment_remove(sim_net *net, const char *host, const char *compartment) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, c;
  int rc = net_find_in_host(net, host, SCOPE_COMP, compartment, "compartment", "compartment", &h, &c);
  if (rc) return rc;
  net_comp *cp = NET_AT(net->comps, net_comp, c);
  if (c == NET_AT(net->hosts, net_host, h)->comp)
    return net_fail(net, SIM_E_INVAL, "compartment \"%s\": the host compartment stays while its host exists",
                    compartment);
  if (cp->nifaces)
    return net_fail(net, SIM_E_BUSY, "compartment \"%s\": %u endpoint(s) still attached", compartment,
                    (unsigned)cp->nifaces);
  sim_map_del(net->names, SCOPE_COMP | h, cp->name, strlen(cp->name));
  free(cp->name);
  free(cp->listen);
  sim_lpm_destroy(cp->routes);
  net_pool_put(&net->comps, c);
  return net_ok(net);
}

int sim_net_listen(sim_net *net, const char *host, const char *compartment, uint8_t proto, uint16_t port) {
  if (!net) return SIM_E_INVAL;
  uint32_t c;
  int rc = net_find_in_host(net, host, SCOPE_COMP, compartment, "compartment", "compartment", NULL, &c);
  if (rc) return rc;
  if (proto != SIM_IPPROTO_TCP && proto != SIM_IPPROTO_UDP)
    return net_fail(net, SIM_E_INVAL, "proto %u: only TCP (6) and UDP (17) listen on ports", (unsigned)proto);
  net_comp *cp = NET_AT(net->comps, net_comp, c);
  uint32_t key = (uint32_t)proto << 16 | port, at = 0;
  while (at < cp->nlisten && cp->listen[at] < key) at++;
  if (at < cp->nlisten && cp->listen[at] == key)
    return net_fail(net, SIM_E_EXISTS, "port %u/%u: compartment \"%s\" listens already", (unsigned)port,
                    (unsigned)proto, compartment);
  if (cp->nlisten == cp->cap_listen) {
    uint32_t ncap = cp->cap_listen ? cp->cap_listen * 2 : 4;
    uint32_t *v = realloc(cp->listen, ncap * sizeof(*v));
    if (!v) return net_fail(net, SIM_E_NOMEM, "compartment \"%s\": out of memory", compartment);
    cp->listen = v;
    cp->cap_listen = ncap;
  }
  memmove(cp->listen + at + 1, cp->listen + at, (cp->nlisten - at) * sizeof(uint32_t));
  cp->listen[at] = key;
  cp->nlisten++;
  return net_ok(net);
}

/* Finds the compartment and interface a route names and checks they fit. */
static int route_target(sim_net *net, const char *host, const sim_route_spec *spec, uint32_t *c, uint32_t *i) {
  if (!spec) return net_fail(net, SIM_E_INVAL, "route: NULL");
  uint32_t h;
  int rc = net_find_in_host(net, host, SCOPE_COMP, spec->compartment, "compartment", "compartment", &h, c);
  if (rc || (rc = net_find_in_host(net, host, SCOPE_IFACE, spec->iface, "iface", "interface", NULL, i))) return rc;
  const sim_prefix *d = &spec->dst;
  if ((d->addr.family != 4 && d->addr.family != 6) || d->len > (d->addr.family == 4 ? 32 : 128))
    return net_fail(net, SIM_E_INVAL, "dst: family %u length %u is not a prefix", (unsigned)d->addr.family,
                    (unsigned)d->len);
  if (spec->next_hop.family && spec->next_hop.family != d->addr.family)
    return net_fail(net, SIM_E_INVAL, "next_hop: family %u differs from dst's %u", (unsigned)spec->next_hop.family,
                    (unsigned)d->addr.family);
  const net_iface *f = NET_AT(net->ifaces, net_iface, *i);
  if (f->comp != *c)
    return net_fail(net, SIM_E_INVAL, "iface \"%s\": not in compartment \"%s\"", spec->iface, spec->compartment);
  if (!net_iface_addr(f, d->addr.family))
    return net_fail(net, SIM_E_INVAL, "iface \"%s\": has no IPv%u address for dst", spec->iface,
                    (unsigned)d->addr.family);
  return SIM_OK;
}

int sim_net_route_add(sim_net *net, const char *host, const sim_route_spec *route) {
  if (!net) return SIM_E_INVAL;
  uint32_t c, i;
  int rc = route_target(net, host, route, &c, &i);
  if (rc || (rc = route_insert(net, c, i, &route->dst, &route->next_hop, route->metric, route->id))) return rc;
  return net_ok(net);
}

int sim_net_route_remove(sim_net *net, const char *host, const sim_route_spec *route) {
  if (!net) return SIM_E_INVAL;
  uint32_t c, i, r;
  int rc = route_target(net, host, route, &c, &i);
  if (rc) return rc;
  uint8_t key[39];
  if (!sim_map_get(net->addrs, SCOPE_ROUTE | c, key, route_key(&route->dst, &route->next_hop, i, key), &r)) {
    char text[50];
    sim_prefix_format(&route->dst, text);
    return net_fail(net, SIM_E_NOTFOUND, "route %s dev %s: compartment \"%s\" has no such route", text, route->iface,
                    route->compartment);
  }
  route_delete(net, r);
  return net_ok(net);
}
