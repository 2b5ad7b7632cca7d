/* hns_model_netpolicy.c: a network's policies in the data-plane model
 * (hns_model.h), through sim/sim_policy.h:
 *
 *  - a NAT network: WinNAT for its first IPv4 subnet, named
 *    "<network> WinNAT[0]", leaving with the host's NIC address ("Outbound
 *    routed through the host mgmt vNIC bound to WinNAT", hns-api-facts.md
 *    §6; the WinNAT blog, Jason Messer 2016);
 *  - an ICS network (Hyper-V's Default Switch, WSL) the same: it shares
 *    the host's connection through Internet Connection Sharing's NAT
 *    (NatName "ICS<guid>", §5.1, §6), whose own mechanism is modelled as
 *    WinNAT (inferred);
 *  - an Overlay network: its VXLAN settings, VNI = the IsolationId of the
 *    first subnet's VSID policy (§3.8: "VXLAN VNI, e.g. 4096"; flannel's
 *    vxlan backend writes 4096 there), UDP port = the VxlanPort policy or
 *    4789 (§3.8, §6), provider address = the ProviderAddress network policy
 *    (the ManagementIP HNS reports and flannel reads back,
 *    flannel-io/flannel pkg/backend/vxlan/device_windows.go) or else the
 *    uplink NIC's address (inferred: HNS takes the management IP from the
 *    NIC), DR MAC = the DrMacAddress policy's Address (real HNS output
 *    carries "DrMacAddress":"00-15-5D-...", facts §5.1, and flannel
 *    advertises it as its VTEP MAC) or none when the network has no such
 *    policy (inferred: which MAC HNS picks by itself is not documented).
 *    An Overlay network without a VSID gets no VXLAN settings, so nothing
 *    is encapsulated (inferred);
 *  - each RemoteSubnetRoute {DestinationPrefix, ProviderAddress,
 *    DistributedRouterMacAddress} -> a remote entry named
 *    "RemoteSubnetRoute <prefix>" (flannel's one per peer lease,
 *    vxlan_network_windows.go; consumers §1.5); its IsolationId is not
 *    checked against the network's VSID (inferred). A change that takes
 *    the VSID away keeps the VXLAN settings the network had (inferred: the
 *    model has no call to take them back).
 *  - NetworkACL and L4Proxy apply rules to every endpoint of the network,
 *    which the model cannot hold: refused with E_UNEXPECTED (inferred).
 *  - HostRoute on an Overlay network: the host's on-link routes to the
 *    network's subnets (host_routes below).
 *    SetPolicy, SourceMacAddress, VSwitchExtension, AutomaticDNS,
 *    InterfaceConstraint, LayerConstraint and VLAN change nothing in the
 *    model (inferred).
 *
 * Invariant: the model's entries of a network are exactly those its
 * document makes, so the entries of the document before a change can be
 * found by name and taken out. */
#include <stdio.h>
#include <string.h>
#include "hns_doc_policy.h"
#include "hns_model_int.h"
#include "hns_types.h"
#include "sim_net_query.h"
#include "sim_policy.h"

#define MAX_NICS 32

typedef struct net_ctx {
  hns_service *svc;
  hns_object *obj;
  const char *name;
  char why[200];
} net_ctx;

static int is_type(const hns_policy *p, const char *name) { return !strcmp(p->type->name, name); }

static const hns_subnet_doc *first_subnet(const hns_network_doc *d, int family) {
  for (size_t i = 0; i < d->ipams.n; i++) {
    const hns_ipam_doc *ipam = HNS_VEC_AT(d->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      const hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      sim_prefix p;
      if (s->ip_address_prefix && !sim_prefix_parse(s->ip_address_prefix, &p) && (!family || p.addr.family == family))
        return s;
    }
  }
  return NULL;
}

static void winnat_id(char out[64], const net_ctx *c) { hns__model_rule_id(out, c->obj, c->name, "WinNAT", 0); }

static int add_winnat(net_ctx *c, const hns_network_doc *d) {
  const hns_subnet_doc *s = first_subnet(d, 4);
  char id[64];
  sim_policy_winnat_spec spec = {id, {{0, {0}}, 0}, NULL, 0, 0};
  if (!s) return SIM_OK; /* no IPv4 prefix to translate */
  sim_prefix_parse(s->ip_address_prefix, &spec.internal);
  winnat_id(id, c);
  return sim_policy_winnat_add(c->svc->model->net, c->svc->model->host, d->name, &spec);
}

/* The VSID of the network's first subnet that has one, or 0. */
static uint32_t vsid_of(const hns_network_doc *d) {
  for (size_t i = 0; i < d->ipams.n; i++) {
    const hns_ipam_doc *ipam = HNS_VEC_AT(d->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      const hns_policy *p = hns_policy_find(&HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j)->policies, "VSID");
      if (p && p->settings) return ((const hns_u32_policy *)p->settings)->value;
    }
  }
  return 0;
}

/* The first IPv4 address of the NIC the network is bound to. */
static int uplink_address(net_ctx *c, sim_ip *out) {
  sim_iface_info nics[MAX_NICS];
  size_t n = 0;
  if (sim_net_host_nics(c->svc->model->net, c->svc->model->host, nics, MAX_NICS, &n)) return -1;
  for (size_t i = 0; i < n && i < MAX_NICS; i++)
    for (int k = 0; k < 2 && !strcmp(nics[i].network, c->name); k++)
      if (nics[i].addr[k].addr.family == 4) {
        *out = nics[i].addr[k].addr;
        return 0;
      }
  return -1;
}

static int text_setting(net_ctx *c, const hns_policy *p, const char *what, int (*parse)(const char *, void *), void *out) {
  const hns_text_policy *t = p->settings;
  if (t && t->value && !parse(t->value, out)) return 0;
  snprintf(c->why, sizeof c->why, "%s: '%.60s' cannot be read", what, t && t->value ? t->value : "");
  return -1;
}

static int parse_ip(const char *s, void *out) { return sim_ip_parse(s, out); }
static int parse_mac(const char *s, void *out) { return sim_mac_parse(s, out); }

static int set_overlay(net_ctx *c, const hns_network_doc *d) {
  sim_overlay_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.vsid = vsid_of(d);
  if (!spec.vsid) return SIM_OK;
  int have_pa = 0;
  for (size_t i = 0; i < d->policies.n; i++) {
    const hns_policy *p = &d->policies.v[i];
    if (is_type(p, "VxlanPort") && p->settings) spec.udp_port = ((const hns_u16_policy *)p->settings)->value;
    if (is_type(p, "ProviderAddress")) {
      if (text_setting(c, p, "ProviderAddress", parse_ip, &spec.provider_address)) return SIM_E_INVAL;
      have_pa = 1;
    }
    if (is_type(p, "DrMacAddress") && text_setting(c, p, "DrMacAddress", parse_mac, &spec.dr_mac)) return SIM_E_INVAL;
  }
  if (!have_pa && uplink_address(c, &spec.provider_address)) {
    snprintf(c->why, sizeof c->why, "network '%s': its NIC has no IPv4 address to be the provider address", c->name);
    return SIM_E_INVAL;
  }
  return sim_policy_overlay_set(c->svc->model->net, c->svc->model->host, c->name, &spec);
}

static void route_id(char out[64], const hns_remote_subnet_route_policy *r) {
  snprintf(out, 64, "RemoteSubnetRoute %.40s", r && r->destination_prefix ? r->destination_prefix : "");
}

static int add_route(net_ctx *c, const hns_remote_subnet_route_policy *r) {
  sim_remote_spec spec;
  char id[64];
  memset(&spec, 0, sizeof spec);
  route_id(id, r);
  spec.id = id;
  if (!r || !r->destination_prefix || sim_prefix_parse(r->destination_prefix, &spec.dst) || !r->provider_address ||
      sim_ip_parse(r->provider_address, &spec.pa) ||
      (r->distributed_router_mac_address && sim_mac_parse(r->distributed_router_mac_address, &spec.mac))) {
    snprintf(c->why, sizeof c->why, "RemoteSubnetRoute: DestinationPrefix, ProviderAddress and DistributedRouterMacAddress must be set");
    return SIM_E_INVAL;
  }
  return sim_policy_remote_add(c->svc->model->net, c->svc->model->host, c->name, &spec);
}

static void remove_routes(net_ctx *c, const hns_network_doc *d, size_t n) {
  char id[64];
  for (size_t i = 0; d && i < d->policies.n && n; i++)
    if (is_type(&d->policies.v[i], "RemoteSubnetRoute")) {
      route_id(id, d->policies.v[i].settings);
      sim_policy_remote_remove(c->svc->model->net, c->svc->model->host, c->name, id);
      n--;
    }
}

/* The HostRoute policy, "for local host to local pod connectivity"
 * (flannel-io/flannel pkg/backend/vxlan/device_windows.go, which adds it
 * to its Overlay network): the host compartment gets an on-link route to
 * each of the network's subnets by the uplink, so the host reaches its
 * pods through the vSwitch (how HNS realises it is not documented: the
 * route is inferred). Routes are named "<network> HostRoute <prefix>". */
static int uplink_nic(net_ctx *c, sim_iface_info *out) {
  sim_iface_info nics[MAX_NICS];
  size_t n = 0;
  if (sim_net_host_nics(c->svc->model->net, c->svc->model->host, nics, MAX_NICS, &n)) return -1;
  for (size_t i = 0; i < n && i < MAX_NICS; i++)
    if (!strcmp(nics[i].network, c->name)) {
      *out = nics[i];
      return 0;
    }
  return -1;
}

/* Adds (add 1) or removes (add 0) the host routes of d, one per subnet of
 * a family the NIC has an address of; on a failed add the ones added go
 * again. */
static int host_routes(net_ctx *c, const hns_network_doc *d, int add) {
  sim_iface_info nic;
  char id[SIM_QUERY_NAME + 80];
  if (!d || !hns_policy_find(&d->policies, "HostRoute") || uplink_nic(c, &nic)) return SIM_OK;
  int rc = SIM_OK;
  for (size_t i = 0; i < d->ipams.n; i++) {
    const hns_ipam_doc *ipam = HNS_VEC_AT(d->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      const hns_subnet_doc *sub = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      sim_prefix p;
      if (!sub->ip_address_prefix || sim_prefix_parse(sub->ip_address_prefix, &p) ||
          (nic.addr[0].addr.family != p.addr.family && nic.addr[1].addr.family != p.addr.family))
        continue;
      snprintf(id, sizeof id, "%s HostRoute %s", c->name, sub->ip_address_prefix);
      sim_route_spec r = {SIM_HOST_COMPARTMENT, p, {0, {0}}, nic.name, 0, id};
      if (!add) {
        sim_net_route_remove(c->svc->model->net, c->svc->model->host, &r);
      } else if ((rc = sim_net_route_add(c->svc->model->net, c->svc->model->host, &r))) {
        host_routes(c, d, 0);
        return rc;
      }
    }
  }
  return rc;
}

/* NAT and ICS networks translate their prefix to the host's address. */
static int has_winnat(const hns_network_doc *d) { return d->type == HNS_NET_NAT || d->type == HNS_NET_ICS; }

static void remove_all(net_ctx *c, const hns_network_doc *d) {
  char id[64];
  if (!d) return;
  if (has_winnat(d)) {
    winnat_id(id, c);
    sim_policy_nat_remove(c->svc->model->net, c->svc->model->host, id);
  }
  remove_routes(c, d, SIZE_MAX);
  host_routes(c, d, 0);
}

static int add_all(net_ctx *c, const hns_network_doc *d) {
  if (!d) return SIM_OK;
  if (has_winnat(d)) return add_winnat(c, d);
  if (d->type != HNS_NET_OVERLAY) return SIM_OK;
  /* The routes first: a refused setting then leaves the old settings. */
  int rc = SIM_OK;
  size_t added = 0;
  for (size_t i = 0; !rc && i < d->policies.n; i++)
    if (is_type(&d->policies.v[i], "RemoteSubnetRoute") && !(rc = add_route(c, d->policies.v[i].settings))) added++;
  if (!rc) rc = set_overlay(c, d);
  if (!rc) rc = host_routes(c, d, 1);
  if (rc) remove_routes(c, d, added);
  return rc;
}

static const char *unmodelled(const hns_network_doc *d) {
  for (size_t i = 0; i < d->policies.n; i++)
    if (is_type(&d->policies.v[i], "NetworkACL") || is_type(&d->policies.v[i], "L4Proxy")) return d->policies.v[i].type->name;
  return NULL;
}

hns_hr hns__model_network_policies(hns_service *svc, hns_object *obj, const hns_network_doc *old,
                                   const hns_network_doc *next, char **er) {
  if (!svc->model) return HNS_S_OK;
  net_ctx c = {svc, obj, next->name, ""};
  const char *bad = unmodelled(next);
  if (bad)
    return hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the network's policies: %s has no stage in the model",
                     bad);
  remove_all(&c, old);
  int rc = add_all(&c, next);
  if (!rc) return HNS_S_OK;
  hns_hr hr = c.why[0] ? hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the network's policies: %s", c.why)
                       : hns__model_refused(svc, er, "the network's policies");
  add_all(&c, old); /* accepted before, so accepted again */
  return hr;
}

void hns__model_network_policies_drop(hns_service *svc, hns_object *obj) {
  if (!svc->model) return;
  net_ctx c = {svc, obj, ((hns_network_doc *)obj->doc)->name, ""};
  remove_all(&c, obj->doc);
}
