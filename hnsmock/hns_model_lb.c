/* hns_model_lb.c: load balancers, SDN route objects and the host's
 * load-balancing profile in the data-plane model (hns_model.h), through
 * sim/sim_policy.h.
 *
 *  - The host's profile: the Windows version's service_vip_balanced,
 *    host_reaches_service_vip and host_reaches_local_nodeport
 *    (hnsmock/hns_profile.h, docs/profiles.md notes 7 and 13), set when the
 *    service is attached, before the host has any table.
 *  - A HostComputeLoadBalancer (hns-api-facts.md §3.6) -> sim_lb_spec: its
 *    ID; FrontendVIPs (none: a NodePort, §5.6); every PortMapping with its
 *    protocol, ports, DistributionType and flags (ILB 1, LocalRoutedVIP 2,
 *    UseMux 4, PreserveDIP 8; kube-proxy's own VipExternalIP 16,
 *    consumers §1.4, changes nothing in the model); Flags DSR and IPv6;
 *    SourceVIP; backends = the address of the LB's family of every
 *    endpoint HostComputeEndpoints names, local unless the endpoint is a
 *    remote one (kube-proxy's view, consumers §1.4). An endpoint without an
 *    address of that family is no backend (inferred). A non-DSR LB SNATs
 *    to its SourceVIP from a block of lb_port_block ports (facts §6); which
 *    block HNS gives is not documented: the n-th LB made gets the n-th
 *    block of the dynamic range, wrapping (inferred).
 *  - HcnModifyLoadBalancer: hnsmock checks it and keeps the old backends
 *    on every profile (hns_loadbalancer.c, kubernetes#131466), so the model
 *    keeps them too.
 *  - A HostComputeRoute {HostComputeEndpoints, Routes} -> each route on
 *    each endpoint it names, as the SDNRoute endpoint policy would be
 *    (facts §3.7; hcsshim builds both from the same fields), named
 *    "<route ID> Route[k]". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_model_int.h"
#include "sim_policy.h"

#define REMOTE_ENDPOINT 1u
#define LB_DSR 1u
#define LB_IPV6 2u
#define MAX_VIPS 16 /* frontend VIPs of one LB (inferred: kube-proxy gives one) */

int hns__model_host_profile(hns_service *svc) {
  const hns_profile *p = svc->profile;
  sim_policy_host_spec spec = {{p->service_vip_balanced, p->host_reaches_service_vip, p->host_reaches_local_nodeport}, 0};
  return sim_policy_host_set(svc->model->net, svc->model->host, &spec);
}

/* The endpoint's first address of `family`. */
static int endpoint_ip(const hns_object *ep, int family, sim_ip *out) {
  const hns_endpoint_doc *d = ep->doc;
  for (size_t i = 0; i < d->ip_configurations.n; i++) {
    const char *text = HNS_VEC_AT(d->ip_configurations, hns_ip_config_doc, i)->ip_address;
    if (text && !sim_ip_parse(text, out) && out->family == family) return 0;
  }
  return -1;
}

static hns_hr not_an_ip(hns_service *svc, char **er, const char *what, size_t i) {
  return hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the load balancer: %s[%zu] is not an IP address",
                   what, i);
}

hns_hr hns__model_lb_add(hns_service *svc, hns_object *obj, char **er) {
  if (!svc->model) return HNS_S_OK;
  const hns_loadbalancer_doc *d = obj->doc;
  const hns_profile *p = svc->profile;
  int family = (d->flags & LB_IPV6) ? 6 : 4;
  sim_ip vips[MAX_VIPS], source_vip;
  if (d->frontend_vips.n > MAX_VIPS)
    return hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the load balancer: %zu FrontendVIPs, it takes %d",
                     d->frontend_vips.n, MAX_VIPS);
  for (size_t i = 0; i < d->frontend_vips.n; i++)
    if (!d->frontend_vips.v[i] || sim_ip_parse(d->frontend_vips.v[i], &vips[i])) return not_an_ip(svc, er, "FrontendVIPs", i);
  if (d->source_vip && *d->source_vip && sim_ip_parse(d->source_vip, &source_vip))
    return not_an_ip(svc, er, "SourceVIP", 0);
  sim_lb_mapping *maps = calloc(d->port_mappings.n ? d->port_mappings.n : 1, sizeof *maps);
  sim_lb_backend *backends = calloc(d->host_compute_endpoints.n ? d->host_compute_endpoints.n : 1, sizeof *backends);
  if (!maps || !backends) {
    free(maps);
    free(backends);
    return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  }
  for (size_t i = 0; i < d->port_mappings.n; i++) {
    const hns_lb_port_mapping_doc *m = HNS_VEC_AT(d->port_mappings, hns_lb_port_mapping_doc, i);
    maps[i] = (sim_lb_mapping){(uint8_t)(m->protocol > 255 ? 0 : m->protocol), m->internal_port, m->external_port,
                               m->distribution_type,
                               m->flags & (SIM_LB_PM_ILB | SIM_LB_PM_LOCAL_ROUTED_VIP | SIM_LB_PM_USE_MUX | SIM_LB_PM_PRESERVE_DIP)};
  }
  size_t nb = 0;
  for (size_t i = 0; i < d->host_compute_endpoints.n; i++) {
    const hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, d->host_compute_endpoints.v[i]);
    if (!ep || endpoint_ip(ep, family, &backends[nb].ip)) continue;
    backends[nb++].local = !(((const hns_endpoint_doc *)ep->doc)->flags & REMOTE_ENDPOINT);
  }
  sim_lb_spec spec = {obj->id_text, vips, d->frontend_vips.n, maps, d->port_mappings.n, backends, nb,
                      d->flags & (SIM_LB_DSR | SIM_LB_IPV6), NULL, 0, 0};
  if (d->source_vip && *d->source_vip) spec.source_vip = &source_vip;
  uint32_t blocks = p->lb_port_block ? (uint32_t)(p->ephemeral_port_last - p->ephemeral_port_first + 1) / (uint32_t)p->lb_port_block : 0;
  if (!(d->flags & LB_DSR) && blocks) {
    spec.snat_port_first = (uint16_t)(p->ephemeral_port_first + (svc->lb_port_blocks % blocks) * (uint32_t)p->lb_port_block);
    spec.snat_port_count = (uint16_t)p->lb_port_block;
  }
  int rc = sim_policy_lb_add(svc->model->net, svc->model->host, &spec);
  free(maps);
  free(backends);
  return rc ? hns__model_refused(svc, er, "the load balancer") : HNS_S_OK;
}

void hns__model_lb_remove(hns_service *svc, hns_object *obj) {
  if (svc->model) sim_policy_lb_remove(svc->model->net, svc->model->host, obj->id_text);
}

/* ---- SDN route objects ---- */

/* Adds (add 1) or removes (add 0) each route on each endpoint the object
 * names; 1 for a route the model cannot read, else the model's status. */
static int routes(hns_service *svc, hns_object *obj, int add) {
  const hns_sdnroute_doc *d = obj->doc;
  for (size_t e = 0; e < d->host_compute_endpoints.n; e++) {
    hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, d->host_compute_endpoints.v[e]);
    if (!ep || !ep->in_model) continue; /* a remote endpoint has no port */
    for (size_t k = 0; k < d->setting.n; k++) {
      const hns_sdn_route_setting_doc *r = HNS_VEC_AT(d->setting, hns_sdn_route_setting_doc, k);
      char id[64];
      sim_policy_route_spec spec = {id, {{0, {0}}, 0}, {0, {0}}, r->need_encap};
      hns__model_rule_id(id, obj, NULL, "Route", k);
      if (!add) {
        sim_policy_sdn_route_remove(svc->model->net, svc->model->host, hns__model_port_name(ep), id);
        continue;
      }
      if (!r->destination_prefix || sim_prefix_parse(r->destination_prefix, &spec.dst) ||
          (r->next_hop && *r->next_hop && sim_ip_parse(r->next_hop, &spec.next_hop)))
        return 1;
      int rc = sim_policy_sdn_route_add(svc->model->net, svc->model->host, hns__model_port_name(ep), &spec);
      if (rc) return rc;
    }
  }
  return SIM_OK;
}

hns_hr hns__model_sdnroute_add(hns_service *svc, hns_object *obj, char **er) {
  if (!svc->model) return HNS_S_OK;
  int rc = routes(svc, obj, 1);
  if (!rc) return HNS_S_OK;
  hns_hr hr = rc > 0 ? hns__fail(svc, er, HNS_E_UNEXPECTED,
                                 "the data-plane model refused the SDN route: a route needs a DestinationPrefix and an "
                                 "address as its NextHop")
                     : hns__model_refused(svc, er, "the SDN route");
  routes(svc, obj, 0); /* removing a route that was never added does nothing */
  return hr;
}

void hns__model_sdnroute_remove(hns_service *svc, hns_object *obj) {
  if (svc->model) routes(svc, obj, 0);
}
