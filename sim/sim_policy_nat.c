/* sim_policy_nat.c: a host's NAT rules by name (WinNAT of NAT and ICS
 * networks, OutBoundNAT and PortMapping endpoint policies) and the NAT
 * stage of the walk (sim_nat underneath, one conntrack table per host).
 *
 * An ICS network (the Hyper-V "Default Switch", WSL) shares the host's
 * connection through Internet Connection Sharing, a NAT of its own (its
 * NatName is "ICS<guid>", hns-api-facts.md §5.1, §6); it is modelled as a
 * WinNAT rule on its prefix, translating at host egress like a NAT
 * network's (inferred: ICS's NAT is not documented beyond that).
 *
 * Where it runs (docs/dataplane.md, "Stages in the walk"):
 *   - endpoint OUT on VFP networks: OutBoundNAT (hns-api-facts.md §6: on
 *     WS2019+ overlay "outbound uses VFP NAT rules"; a Kubernetes blog
 *     post on Windows networking, kubernetes/website: NAT "directly on a
 *     container endpoint", implemented with VFP) and the replies of port
 *     mappings;
 *   - host ingress: port mappings (WinNAT static mappings and VFP
 *     PortMapping, both addressed to the host) and the replies of
 *     translated connections (inferred: where VFP applies a PortMapping on
 *     the way in is not documented; the packet is addressed to the host);
 *   - host egress, where a packet of the host's stack leaves by a NIC:
 *     WinNAT ("outbound routed through the host mgmt vNIC bound to
 *     WinNAT", §6).
 * Port ranges 0-0 are the host's dynamic range 49152-65535
 * (docs/profiles.md). */
#include <stdio.h>
#include <string.h>
#include "sim_policy_int.h"

#define DYN_FIRST 49152
#define DYN_LAST 65535

/* The host's NAT table, made (with its conntrack table) on first use;
 * *made says whether this call made it. */
static int nat_table(sim_net *net, uint32_t h, net_hpol **out, int *made) {
  net_hpol *p;
  int rc = net_hpol_get(net, h, &p);
  if (rc) return rc;
  *made = 0;
  if (!p->nat) {
    if (sim_nat_create(p->seed ^ 0x4e4154u, &p->nat))
      return net_fail(net, SIM_E_NOMEM, "host \"%s\": out of memory", NET_AT(net->hosts, net_host, h)->name);
    if (net_ct_make(&p->nat_ct, p->ct_cap, p->seed ^ 0x4354u)) {
      sim_nat_destroy(p->nat);
      p->nat = NULL;
      return net_fail(net, SIM_E_NOMEM, "host \"%s\": out of memory", NET_AT(net->hosts, net_host, h)->name);
    }
    *made = 1;
    net_policy_host_addrs(net, h);
  }
  *out = p;
  return SIM_OK;
}

/* After a rule call: on failure a table this call made goes again. */
static int nat_done(sim_net *net, net_hpol *p, int made, int rc) {
  if (!rc) return net_ok(net);
  int status = net_fail(net, rc, "nat: %s", sim_nat_errmsg(p->nat));
  if (made) {
    sim_nat_destroy(p->nat);
    p->nat = NULL;
    sim_ct_destroy(p->nat_ct.ct);
    p->nat_ct.ct = NULL;
  }
  return status;
}

static void ports(uint16_t *first, uint16_t *last) {
  if (*first == 0 && *last == 0) {
    *first = DYN_FIRST;
    *last = DYN_LAST;
  }
}

int sim_policy_winnat_add(sim_net *net, const char *host, const char *network, const sim_policy_winnat_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, v;
  int rc = net_find_in_host(net, host, SCOPE_NETWORK, network, "network", "network", &h, &v);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "winnat: NULL");
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, v);
  if (vs->type != SIM_NET_NAT && vs->type != SIM_NET_ICS)
    return net_fail(net, SIM_E_INVAL, "network \"%s\": a %s network; WinNAT serves NAT and ICS networks", network,
                    sim_net_type_name(vs->type));
  sim_winnat_spec w = {spec->id, spec->internal, spec->external, spec->port_first, spec->port_last};
  ports(&w.port_first, &w.port_last);
  net_hpol *p;
  int made;
  if ((rc = nat_table(net, h, &p, &made))) return rc;
  return nat_done(net, p, made, sim_nat_add_winnat(p->nat, &w));
}

/* The endpoint's address of `family` (0: its first). */
static int port_addr(sim_net *net, uint32_t i, int family, sim_ip *out) {
  const net_iface *f = NET_AT(net->ifaces, net_iface, i);
  const sim_prefix *a = family ? net_iface_addr(f, family) : &f->addr[0];
  if (!a || !a->addr.family)
    return net_fail(net, SIM_E_INVAL, "family %d: endpoint \"%s\" has no such address", family, f->name);
  *out = a->addr;
  return SIM_OK;
}

int sim_policy_outbound_nat_add(sim_net *net, const char *host, const char *endpoint,
                                const sim_policy_outbound_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = net_pol_find_port(net, host, endpoint, &h, &i);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "outbound: NULL");
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, NET_AT(net->ifaces, net_iface, i)->vswitch);
  if (!net_pol_vfp(vs->type))
    return net_fail(net, SIM_E_INVAL, "endpoint \"%s\": on %s network \"%s\", which uses WinNAT, not OutBoundNAT",
                    endpoint, sim_net_type_name(vs->type), vs->name);
  if (spec->family != 0 && spec->family != 4 && spec->family != 6)
    return net_fail(net, SIM_E_INVAL, "family %u: not 0, 4 or 6", (unsigned)spec->family);
  sim_outbound_spec o = {spec->id, {0, {0}}, spec->virtual_ip, spec->exceptions, spec->n_exceptions,
                         spec->destinations, spec->n_destinations, spec->port_first, spec->port_last};
  if ((rc = port_addr(net, i, spec->family, &o.endpoint))) return rc;
  ports(&o.port_first, &o.port_last);
  net_hpol *p;
  int made;
  if ((rc = nat_table(net, h, &p, &made))) return rc;
  return nat_done(net, p, made, sim_nat_add_outbound(p->nat, &o));
}

int sim_policy_portmap_add(sim_net *net, const char *host, const char *endpoint,
                           const sim_policy_portmap_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = net_pol_find_port(net, host, endpoint, &h, &i);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "portmap: NULL");
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, NET_AT(net->ifaces, net_iface, i)->vswitch);
  sim_portmap_spec m = {spec->id, {0, {0}}, spec->protocol, spec->internal_port, spec->external_port, spec->vip,
                        spec->flags, net_pol_vfp(vs->type)};
  if ((rc = port_addr(net, i, (spec->flags & SIM_NAT_PM_IPV6) ? 6 : 4, &m.endpoint))) return rc;
  net_hpol *p;
  int made;
  if ((rc = nat_table(net, h, &p, &made))) return rc;
  return nat_done(net, p, made, sim_nat_add_portmap(p->nat, &m));
}

int sim_policy_nat_remove(sim_net *net, const char *host, const char *id) {
  if (!net) return SIM_E_INVAL;
  uint32_t h;
  int rc = net_find_host(net, host, &h);
  if (rc) return rc;
  if (!id) return net_fail(net, SIM_E_INVAL, "id: NULL");
  net_hpol *p = NET_AT(net->hosts, net_host, h)->pol;
  if (!p || !p->nat) return net_fail(net, SIM_E_NOTFOUND, "NAT rule \"%s\": host \"%s\" has none", id, host);
  if ((rc = sim_nat_remove(p->nat, id))) return net_fail(net, rc, "nat: %s", sim_nat_errmsg(p->nat));
  return net_ok(net);
}

static const char *reason_text(int reason) {
  switch (reason) {
  case SIM_NAT_NO_RULE: return "no rule";
  case SIM_NAT_INSIDE_PREFIX: return "the destination is inside the NAT network";
  case SIM_NAT_EXCEPTED: return "the destination is an exception";
  case SIM_NAT_NOT_IN_DESTINATIONS: return "the destination is not in Destinations";
  case SIM_NAT_ICMP_NOT_TRANSLATED: return "OutBoundNAT does not translate ICMP";
  case SIM_NAT_PORTMAP_NOT_APPLIED: return "a VFP port mapping without LocalRoutedVip is not applied";
  case SIM_NAT_NO_HOST_ADDRESS: return "the host has no address of the family";
  case SIM_NAT_PORTS_EXHAUSTED: return "every port of the range is in use toward this destination";
  case SIM_NAT_TUPLE_IN_USE: return "the translated flow is another connection's";
  case SIM_NAT_UNTRACKED_REPLY: return "a reply of a connection that came in untranslated";
  }
  return "";
}

static const char *kind_text(int kind) {
  switch (kind) {
  case SIM_NAT_WINNAT: return "WinNAT";
  case SIM_NAT_OUTBOUNDNAT: return "OutBoundNAT";
  case SIM_NAT_PORTMAP: return "PortMapping";
  }
  return "";
}

int net_pol_nat(sim_net *net, uint32_t h, int nat_dir, sim_packet *pkt, sim_time now, net_pol_out *o) {
  net_hpol *p = NET_AT(net->hosts, net_host, h)->pol;
  if (!p || !p->nat) return 0;
  sim_nat_decision d;
  int rc = sim_nat_process(p->nat, p->nat_ct.ct, &pkt->flow, pkt->tcp_flags, nat_dir, net_ct_now(&p->nat_ct, now), &d);
  if (rc) return rc;
  if (d.verdict == SIM_NAT_DROP) o->verdict = SIM_STAGE_DROP;
  if (o->words || d.verdict == SIM_NAT_DROP) { /* net_pol_out: words when asked, or for a drop */
    snprintf(o->rule, sizeof(o->rule), "%s", d.rule_id);
    switch (d.verdict) {
    case SIM_NAT_PASS: snprintf(o->why, sizeof(o->why), "%s", reason_text(d.reason)); break;
    case SIM_NAT_DROP: snprintf(o->why, sizeof(o->why), "%s %s", kind_text(d.kind), reason_text(d.reason)); break;
    case SIM_NAT_REPLY: snprintf(o->why, sizeof(o->why), "reply of a tracked %s connection", kind_text(d.kind)); break;
    default: snprintf(o->why, sizeof(o->why), "%s%s", d.from_conntrack ? "tracked " : "", kind_text(d.kind));
    }
  }
  if (d.verdict == SIM_NAT_PASS || d.verdict == SIM_NAT_DROP) return 1;
  o->translated = !sim_flow_equal(&pkt->flow, &d.after);
  pkt->flow = d.after;
  return 1;
}
