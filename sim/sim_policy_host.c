/* sim_policy_host.c: the lifetime of the policy state (sim_policy_int.h):
 * a host's profile, LB and NAT tables with their conntrack tables and the
 * NIC addresses they answer on; an endpoint's policy block; freeing all of
 * it with its object or the model.
 *
 * Invariants: a host's seed for its tables comes from the world's stream
 * "policy:<host>", so no table depends on another host's calls; the
 * profile changes only while the host has no LB or NAT table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_policy_int.h"
#include "sim_portkey.h"

/* NAT and ICS networks translate with the host's NAT, not VFP: "NAT
 * networks use WinNAT ... All other network types use VFP" (VDOCS
 * architecture, hns-api-facts.md §6); an ICS network shares the host's
 * connection through Internet Connection Sharing's NAT (NatName
 * "ICS<guid>", §5.1), and the HNS output of WSL's ICS networks (Flags 11,
 * §4) lists the VFP extension with IsEnabled false (microsoft/WSL#6457,
 * #6913). ICS's own NAT is modelled as WinNAT is (inferred). */
int net_pol_vfp(sim_net_type t) { return t != SIM_NET_NAT && t != SIM_NET_ICS; }

sim_time net_ct_now(net_ct *c, sim_time now) {
  if (now > c->last) c->last = now;
  return c->last;
}

int net_ct_make(net_ct *c, size_t cap, uint64_t seed) {
  if (c->ct) return SIM_OK;
  int rc = sim_ct_create(cap, seed, NULL, &c->ct);
  if (rc) return rc;
  c->last = INT64_MIN;
  return SIM_OK;
}

static void ct_free(net_ct *c) {
  sim_ct_destroy(c->ct);
  c->ct = NULL;
}

int net_hpol_get(sim_net *net, uint32_t h, net_hpol **out) {
  net_host *host = NET_AT(net->hosts, net_host, h);
  if (host->kind != SIM_HOST_WINDOWS)
    return net_fail(net, SIM_E_INVAL, "host \"%s\": a Linux host has no HNS policies", host->name);
  if (!host->pol) {
    net_hpol *p = calloc(1, sizeof(*p));
    if (!p) return net_fail(net, SIM_E_NOMEM, "host \"%s\": out of memory", host->name);
    /* Balanced VIPs; the host reaches neither VIPs nor its own NodePort
     * (docs/profiles.md, Windows Server 2019 RTM's column). */
    p->prof.service_vip_balanced = 1;
    p->ct_cap = SIM_POLICY_CT_DEFAULT;
    char stream[300];
    sim_rng rng;
    snprintf(stream, sizeof(stream), "policy:%s", host->name);
    sim_world_stream(net->world, stream, &rng);
    p->seed = sim_rng_u64(&rng);
    NET_AT(net->hosts, net_host, h)->pol = p;
  }
  *out = NET_AT(net->hosts, net_host, h)->pol;
  return SIM_OK;
}

int net_ppol_get(sim_net *net, uint32_t i, net_ppol **out) {
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  if (!f->pol) {
    f->pol = calloc(1, sizeof(*f->pol));
    if (!f->pol) return net_fail(net, SIM_E_NOMEM, "endpoint \"%s\": out of memory", f->name);
  }
  *out = f->pol;
  return SIM_OK;
}

void net_ppol_free(net_ppol *p) {
  if (!p) return;
  sim_acl_set_free(p->acl);
  ct_free(&p->dsr_ct);
  sim_lpm_destroy(p->routes);
  free(p->rt);
  free(p);
}

void net_opol_free(net_opol *o) {
  if (!o) return;
  sim_lpm_destroy(o->remote);
  free(o->rem);
  free(o);
}

static void hpol_free(net_hpol *p) {
  if (!p) return;
  sim_lb_table_destroy(p->lb);
  sim_nat_destroy(p->nat);
  ct_free(&p->lb_ct);
  ct_free(&p->nat_ct);
  free(p);
}

void net_policy_free_all(sim_net *net) {
  for (uint32_t i = 0; i < net->hosts.n; i++)
    if (net->hosts.used[i]) hpol_free(NET_AT(net->hosts, net_host, i)->pol);
  for (uint32_t i = 0; i < net->ifaces.n; i++)
    if (net->ifaces.used[i]) net_ppol_free(NET_AT(net->ifaces, net_iface, i)->pol);
  for (uint32_t i = 0; i < net->vswitches.n; i++)
    if (net->vswitches.used[i]) net_opol_free(NET_AT(net->vswitches, net_vswitch, i)->ovl);
}

/* The addresses of the host's NICs, in the order of their slots (which
 * follows the order of calls), at most SIM_HOSTADDRS_MAX (inferred: a
 * host has a handful). Configuration time only: it scans the interfaces. */
void net_policy_host_addrs(sim_net *net, uint32_t h) {
  net_hpol *p = NET_AT(net->hosts, net_host, h)->pol;
  if (!p || (!p->lb && !p->nat)) return;
  sim_ip a[SIM_HOSTADDRS_MAX];
  size_t n = 0;
  for (uint32_t i = 0; i < net->ifaces.n; i++) {
    if (!net->ifaces.used[i]) continue;
    const net_iface *f = NET_AT(net->ifaces, net_iface, i);
    if (f->kind != IF_NIC || f->host != h) continue;
    for (int k = 0; k < 2 && n < SIM_HOSTADDRS_MAX; k++)
      if (f->addr[k].addr.family) a[n++] = f->addr[k].addr;
  }
  /* NIC addresses are unique on their segments and valid, so the tables
   * accept them; a repeat across segments keeps the tables' old set. */
  if (p->lb) sim_lb_set_host_addresses(p->lb, a, n);
  if (p->nat) sim_nat_set_host_addresses(p->nat, a, n);
}

int net_pol_find_port(sim_net *net, const char *host, const char *port, uint32_t *h, uint32_t *i) {
  int rc = net_find_in_host(net, host, SCOPE_IFACE, port, "endpoint", "endpoint", h, i);
  if (rc) return rc;
  if (NET_AT(net->ifaces, net_iface, *i)->kind != IF_PORT)
    return net_fail(net, SIM_E_INVAL, "endpoint \"%s\": an interface of host \"%s\" but not an endpoint", port, host);
  return SIM_OK;
}

int sim_policy_host_set(sim_net *net, const char *host, const sim_policy_host_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t h;
  net_hpol *p;
  int rc = net_find_host(net, host, &h);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "spec: NULL");
  if (spec->ct_capacity > ((size_t)1 << 30))
    return net_fail(net, SIM_E_INVAL, "ct_capacity %zu: above 2^30", spec->ct_capacity);
  const sim_lb_profile *l = &spec->lb;
  if ((l->service_vip_balanced & ~1) || (l->host_reaches_service_vip & ~1) || (l->host_reaches_local_nodeport & ~1))
    return net_fail(net, SIM_E_INVAL, "lb: profile fields are 0 or 1 (%d, %d, %d)", l->service_vip_balanced,
                    l->host_reaches_service_vip, l->host_reaches_local_nodeport);
  if ((rc = net_hpol_get(net, h, &p))) return rc;
  if (p->lb || p->nat)
    return net_fail(net, SIM_E_BUSY, "host \"%s\": has load balancers or NAT rules already; set its profile first",
                    host);
  p->prof = *l;
  p->ct_cap = spec->ct_capacity ? spec->ct_capacity : SIM_POLICY_CT_DEFAULT;
  return net_ok(net);
}
