/* sim_policy_route.c: an endpoint's SDN routes (the SDNRoute policy, v1
 * ROUTE: {DestinationPrefix, NextHop, NeedEncap}, hns-api-facts.md §3.8,
 * §5.3) by name, and the sdn-route stage of the walk.
 *
 * What a route does: win-bridge and win-overlay add a NeedEncap route to
 * the node's own IP (/32) and to the service CIDR so that pods reach the
 * host (consumers-and-pain-points.md §2: "the typical 'let pods reach the
 * host' rule"); the stage hands such packets to the host's stack. A route
 * without NeedEncap and with a NextHop makes the vSwitch send the packet to
 * that next hop (inferred: the field's name). Longest prefix first
 * (sim_lpm); IDs are unique per endpoint.
 *
 * Invariant: every live route is in the endpoint's sim_lpm under its prefix
 * with its slot as value; removed slots stay dead (a handful per endpoint). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_policy_int.h"

static int find_route(const net_ppol *p, const char *id, uint32_t *out) {
  for (uint32_t k = 0; p && k < p->nrt; k++)
    if (p->rt[k].live && !strcmp(p->rt[k].id, id)) {
      *out = k;
      return 1;
    }
  return 0;
}

int sim_policy_sdn_route_add(sim_net *net, const char *host, const char *endpoint, const sim_policy_route_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i, k;
  int rc = net_pol_find_port(net, host, endpoint, &h, &i);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "route: NULL");
  if (!spec->id || !spec->id[0] || strlen(spec->id) >= SIM_RULE_ID_MAX)
    return net_fail(net, SIM_E_INVAL, "id: must be 1..%d bytes", SIM_RULE_ID_MAX - 1);
  const sim_prefix *d = &spec->dst;
  if ((d->addr.family != 4 && d->addr.family != 6) || d->len > (d->addr.family == 4 ? 32 : 128))
    return net_fail(net, SIM_E_INVAL, "dst: family %u length %u is not a prefix", (unsigned)d->addr.family,
                    (unsigned)d->len);
  if (spec->next_hop.family && spec->next_hop.family != d->addr.family)
    return net_fail(net, SIM_E_INVAL, "next_hop: family %u differs from dst's %u", (unsigned)spec->next_hop.family,
                    (unsigned)d->addr.family);
  net_ppol *p = NET_AT(net->ifaces, net_iface, i)->pol;
  if (find_route(p, spec->id, &k))
    return net_fail(net, SIM_E_EXISTS, "id \"%s\": endpoint \"%s\" has that route already", spec->id, endpoint);
  if ((rc = net_ppol_get(net, i, &p))) return rc;
  if (!p->routes && sim_lpm_create(&p->routes)) return net_fail(net, SIM_E_NOMEM, "route: out of memory");
  if (net_array_reserve(&p->rt, p->nrt, &p->cap_rt, sizeof(*p->rt), 4))
    return net_fail(net, SIM_E_NOMEM, "route: out of memory");
  if ((rc = sim_lpm_add(p->routes, d, 0, p->nrt))) return net_fail(net, rc, "route: out of memory");
  net_sdn_route *r = &p->rt[p->nrt++];
  memset(r, 0, sizeof(*r));
  snprintf(r->id, sizeof(r->id), "%s", spec->id);
  r->dst = *d;
  r->nh = spec->next_hop;
  r->encap = spec->need_encap != 0;
  r->live = 1;
  return net_ok(net);
}

int sim_policy_sdn_route_remove(sim_net *net, const char *host, const char *endpoint, const char *id) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i, k;
  int rc = net_pol_find_port(net, host, endpoint, &h, &i);
  if (rc) return rc;
  if (!id) return net_fail(net, SIM_E_INVAL, "id: NULL");
  net_ppol *p = NET_AT(net->ifaces, net_iface, i)->pol;
  if (!find_route(p, id, &k))
    return net_fail(net, SIM_E_NOTFOUND, "id \"%s\": endpoint \"%s\" has no such route", id, endpoint);
  sim_lpm_remove(p->routes, &p->rt[k].dst, k);
  p->rt[k].live = 0;
  return net_ok(net);
}

int net_pol_route(sim_net *net, uint32_t port, const sim_packet *pkt, net_pol_out *o) {
  const net_ppol *p = NET_AT(net->ifaces, net_iface, port)->pol;
  if (!p || !p->routes || !sim_lpm_count(p->routes)) return 0;
  sim_lpm_entry e;
  char a[46], b[50];
  if (sim_lpm_lookup(p->routes, &pkt->flow.dst, &e)) {
    if (o->words) snprintf(o->why, sizeof(o->why), "no SDN route to %s", (sim_ip_format(&pkt->flow.dst, a), a));
    return 1;
  }
  const net_sdn_route *r = &p->rt[e.value];
  if (r->encap) {
    o->to_host = 1;
  } else if (r->nh.family) {
    o->has_nh = 1;
    o->nh = r->nh;
  }
  if (!o->words) return 1; /* it never drops: words only for a trace */
  snprintf(o->rule, sizeof(o->rule), "%s", r->id);
  sim_prefix_format(&r->dst, b);
  if (r->encap) snprintf(o->why, sizeof(o->why), "%s NeedEncap: to the host", b);
  else if (r->nh.family) snprintf(o->why, sizeof(o->why), "%s via %s", b, (sim_ip_format(&r->nh, a), a));
  else snprintf(o->why, sizeof(o->why), "%s: no next hop, switched as routed", b);
  return 1;
}
