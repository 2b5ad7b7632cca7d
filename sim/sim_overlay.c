/* sim_overlay.c: an Overlay network's VXLAN settings and remote endpoints,
 * and the encap and decap stages of its uplink.
 *
 * Sources: VXLAN (RFC 7348) with the network's VSID as the VNI (the VSID
 * subnet policy, "VXLAN VNI, e.g. 4096", hns-api-facts.md §3.8) and UDP
 * 4789 unless a VxlanPort policy says otherwise (§3.8; "Flannel on Windows:
 * VNI 4096, UDP port 4789 only", §6); outer addresses are provider
 * addresses: kube-proxy gives each remote endpoint a ProviderAddress
 * policy, the peer node's IP, and flannel programs RemoteSubnetRoute
 * policies {DestinationPrefix, IsolationId, ProviderAddress,
 * DistributedRouterMacAddress} (consumers-and-pain-points.md §1.5); the
 * outer source port is a hash of the inner flow in 49152-65535 (RFC 7348
 * §5). The inner destination MAC becomes the remote endpoint's (or the
 * route's distributed-router MAC) and, when the network has a DrMacAddress
 * policy, the inner source MAC becomes it, as the distributed router that
 * forwarded the packet (inferred). The receiver decapsulates only what is
 * addressed to its provider address, on its port and VNI (inferred: the
 * RFC's VTEP rule).
 *
 * Invariant: every live remote entry is in the network's sim_lpm under its
 * prefix with its slot as value, so a /32 remote endpoint wins over a
 * subnet route holding it (longest prefix). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_policy_int.h"

#define VNI_MAX 0xFFFFFFu

static int find_overlay(sim_net *net, const char *host, const char *network, uint32_t *v) {
  uint32_t h;
  int rc = net_find_in_host(net, host, SCOPE_NETWORK, network, "network", "network", &h, v);
  if (rc) return rc;
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, *v);
  if (vs->type != SIM_NET_OVERLAY)
    return net_fail(net, SIM_E_INVAL, "network \"%s\": a %s network, not Overlay", network,
                    sim_net_type_name(vs->type));
  return SIM_OK;
}

static int opol_get(sim_net *net, uint32_t v, net_opol **out) {
  net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, v);
  if (!vs->ovl) {
    net_opol *o = calloc(1, sizeof(*o));
    if (!o || sim_lpm_create(&o->remote)) {
      free(o);
      return net_fail(net, SIM_E_NOMEM, "network \"%s\": out of memory", vs->name);
    }
    vs->ovl = o;
  }
  *out = vs->ovl;
  return SIM_OK;
}

int sim_policy_overlay_set(sim_net *net, const char *host, const char *network, const sim_overlay_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t v;
  int rc = find_overlay(net, host, network, &v);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "overlay: NULL");
  if (spec->vsid == 0 || spec->vsid > VNI_MAX)
    return net_fail(net, SIM_E_INVAL, "vsid %u: not a VNI (1..16777215)", (unsigned)spec->vsid);
  const net_iface *up = NET_AT(net->ifaces, net_iface, NET_AT(net->vswitches, net_vswitch, v)->uplink);
  const sim_prefix *a = net_iface_addr(up, spec->provider_address.family);
  if (!a || !sim_ip_equal(&a->addr, &spec->provider_address)) {
    char t[46];
    sim_ip_format(&spec->provider_address, t);
    return net_fail(net, SIM_E_INVAL, "provider_address %s: not an address of uplink \"%s\"", t, up->name);
  }
  net_opol *o = NULL;
  if ((rc = opol_get(net, v, &o))) return rc;
  o->spec = *spec;
  if (!o->spec.udp_port) o->spec.udp_port = 4789;
  o->set = 1;
  return net_ok(net);
}

static int find_remote(const net_opol *o, const char *id, uint32_t *out) {
  for (uint32_t k = 0; o && k < o->nrem; k++)
    if (o->rem[k].live && !strcmp(o->rem[k].id, id)) {
      *out = k;
      return 1;
    }
  return 0;
}

int sim_policy_remote_add(sim_net *net, const char *host, const char *network, const sim_remote_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t v, k;
  int rc = find_overlay(net, host, network, &v);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "remote: NULL");
  if (!spec->id || !spec->id[0] || strlen(spec->id) >= SIM_RULE_ID_MAX)
    return net_fail(net, SIM_E_INVAL, "id: must be 1..%d bytes", SIM_RULE_ID_MAX - 1);
  const sim_prefix *d = &spec->dst;
  if ((d->addr.family != 4 && d->addr.family != 6) || d->len > (d->addr.family == 4 ? 32 : 128))
    return net_fail(net, SIM_E_INVAL, "dst: family %u length %u is not a prefix", (unsigned)d->addr.family,
                    (unsigned)d->len);
  if ((rc = net_iface_addr_ok(net, "pa", &(sim_prefix){spec->pa, 0}))) return rc;
  net_opol *o = NET_AT(net->vswitches, net_vswitch, v)->ovl;
  if (find_remote(o, spec->id, &k))
    return net_fail(net, SIM_E_EXISTS, "id \"%s\": network \"%s\" has that remote entry already", spec->id, network);
  if ((rc = opol_get(net, v, &o))) return rc;
  if (net_array_reserve(&o->rem, o->nrem, &o->cap_rem, sizeof(*o->rem), 8))
    return net_fail(net, SIM_E_NOMEM, "remote: out of memory");
  if ((rc = sim_lpm_add(o->remote, d, 0, o->nrem))) return net_fail(net, rc, "remote: out of memory");
  net_remote *r = &o->rem[o->nrem++];
  memset(r, 0, sizeof(*r));
  snprintf(r->id, sizeof(r->id), "%s", spec->id);
  r->dst = *d;
  r->mac = spec->mac;
  r->pa = spec->pa;
  r->live = 1;
  return net_ok(net);
}

int sim_policy_remote_remove(sim_net *net, const char *host, const char *network, const char *id) {
  if (!net) return SIM_E_INVAL;
  uint32_t v, k;
  int rc = find_overlay(net, host, network, &v);
  if (rc) return rc;
  if (!id) return net_fail(net, SIM_E_INVAL, "id: NULL");
  net_opol *o = NET_AT(net->vswitches, net_vswitch, v)->ovl;
  if (!find_remote(o, id, &k))
    return net_fail(net, SIM_E_NOTFOUND, "id \"%s\": network \"%s\" has no such remote entry", id, network);
  sim_lpm_remove(o->remote, &o->rem[k].dst, k);
  o->rem[k].live = 0;
  return net_ok(net);
}

int net_overlay_find(const sim_net *net, uint32_t v, const sim_ip *dst, uint32_t *entry) {
  const net_opol *o = NET_AT(net->vswitches, net_vswitch, v)->ovl;
  sim_lpm_entry e;
  if (!o || !o->set || sim_lpm_lookup(o->remote, dst, &e)) return 0;
  *entry = (uint32_t)e.value;
  return 1;
}

static int mac_set(const sim_mac *m) {
  static const sim_mac zero;
  return memcmp(m, &zero, sizeof(zero)) != 0;
}

void net_overlay_encap(sim_net *net, uint32_t v, uint32_t entry, sim_packet *pkt, net_pol_out *o) {
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, v);
  const net_opol *ov = vs->ovl;
  const net_remote *r = &ov->rem[entry];
  char a[46], b[46];
  pkt->eth_dst = r->mac;
  if (mac_set(&ov->spec.dr_mac)) pkt->eth_src = ov->spec.dr_mac;
  memset(&pkt->outer, 0, sizeof(pkt->outer));
  pkt->outer.eth_src = NET_AT(net->ifaces, net_iface, vs->uplink)->mac;
  pkt->outer.src = ov->spec.provider_address;
  pkt->outer.dst = r->pa;
  pkt->outer.sport = (uint16_t)(49152 + sim_flow_hash(&pkt->flow, sim_world_seed(net->world)) % 16384);
  pkt->outer.dport = ov->spec.udp_port;
  pkt->outer.vni = ov->spec.vsid;
  pkt->encapsulated = 1;
  if (!o->words) return; /* it never drops: words only for a trace */
  snprintf(o->rule, sizeof(o->rule), "%s", r->id);
  snprintf(o->why, sizeof(o->why), "VXLAN VNI %u, %s -> %s udp/%u", (unsigned)pkt->outer.vni,
           (sim_ip_format(&pkt->outer.src, a), a), (sim_ip_format(&pkt->outer.dst, b), b),
           (unsigned)pkt->outer.dport);
}

int net_overlay_decap(sim_net *net, uint32_t v, sim_packet *pkt, net_pol_out *o) {
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, v);
  const net_opol *ov = vs->ovl;
  if (!pkt->encapsulated || !ov || !ov->set) return 0;
  char a[46], b[46];
  if (!sim_ip_equal(&pkt->outer.dst, &ov->spec.provider_address) || pkt->outer.dport != ov->spec.udp_port ||
      pkt->outer.vni != ov->spec.vsid) {
    o->verdict = SIM_STAGE_DROP;
    snprintf(o->rule, sizeof(o->rule), "VNI %u", (unsigned)ov->spec.vsid);
    snprintf(o->why, sizeof(o->why), "VXLAN VNI %u to %s udp/%u is not network %s's (VNI %u, udp/%u)",
             (unsigned)pkt->outer.vni, (sim_ip_format(&pkt->outer.dst, b), b), (unsigned)pkt->outer.dport,
             vs->name, (unsigned)ov->spec.vsid, (unsigned)ov->spec.udp_port);
    return 1;
  }
  if (o->words) { /* a pass: words only for a trace */
    snprintf(o->rule, sizeof(o->rule), "VNI %u", (unsigned)ov->spec.vsid);
    snprintf(o->why, sizeof(o->why), "VXLAN VNI %u, %s -> %s udp/%u", (unsigned)pkt->outer.vni,
             (sim_ip_format(&pkt->outer.src, a), a), (sim_ip_format(&pkt->outer.dst, b), b),
             (unsigned)pkt->outer.dport);
  }
  memset(&pkt->outer, 0, sizeof(pkt->outer));
  pkt->encapsulated = 0;
  return 1;
}
