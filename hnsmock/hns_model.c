/* hns_model.c: the bridge from hnsmock's objects to the data-plane model
 * (hns_model.h): attaching a service to a host of a sim_net, networks as
 * vSwitches, endpoints as ports, and what a restart or reboot takes away.
 * Attachments (namespaces, containers, the host) are in hns_model_attach.c.
 *
 * Policies (what each object's policies make in the model) are in
 * hns_model_policy.c, hns_model_netpolicy.c and hns_model_lb.c.
 *
 * Invariant: an object is in the model exactly while hnsmock holds it and
 * its in_model flag is set; a hook either changes the model completely or
 * not at all. Sources: hns-api-facts.md §3.3 (NetAdapterName policy, subnet
 * Routes), §3.4 (IpConfigurations, MacAddress, RemoteEndpoint), §6 (which
 * networks are external vSwitches; NAT's host vNIC holds the gateway). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_doc_policy.h"
#include "hns_model_int.h"
#include "hns_types.h"
#include "sim_net_query.h"

#define REMOTE_ENDPOINT 1u /* EndpointFlags.RemoteEndpoint */
#define MAX_NICS 32        /* NICs considered when choosing an uplink */

hns_hr hns_service_attach_model(hns_service *svc, sim_net *net, const char *host) {
  if (!svc || !net || !host) return HNS_E_POINTER;
  svc->detail[0] = '\0';
  if (svc->model) return hns__fail(svc, NULL, HNS_E_INVALIDARG, "the service is attached to host '%s' already", svc->model->host);
  for (int k = 0; k < HNS_KINDS; k++)
    if (svc->count[k])
      return hns__fail(svc, NULL, HNS_E_INVALIDARG, "attach the model before the service holds objects (it holds %zu)",
                       svc->count[k]);
  if (!*host || strlen(host) >= sizeof svc->model->host)
    return hns__fail(svc, NULL, HNS_E_INVALIDARG, "host: '%s' is not a host name the model can hold", host);
  struct hns_model *m = calloc(1, sizeof *m);
  if (!m) return HNS_E_OUTOFMEMORY;
  m->net = net;
  snprintf(m->host, sizeof m->host, "%s", host);
  svc->model = m;
  if (hns__model_host_profile(svc)) { /* the Windows version's LB differences (hns_model_lb.c) */
    hns_hr hr = hns__model_refused(svc, NULL, "the host's profile");
    svc->model = NULL;
    free(m);
    return hr;
  }
  return HNS_S_OK;
}

const char *hns__model_port_name(const hns_object *ep) {
  const hns_endpoint_doc *d = ep->doc;
  return d->name && *d->name ? d->name : ep->id_text;
}

hns_hr hns__model_refused(hns_service *svc, char **er, const char *what) {
  /* HNS has no code for "the data path could not be programmed"; a
   * failure of its own below the API reads as E_UNEXPECTED (inferred). */
  return hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused %s: %s", what,
                   sim_net_last_error(svc->model->net));
}

/* ---- networks ---- */

/* The two enums list the same types (hns_types.h, sim_net.h). */
static sim_net_type type_of(int t) {
  switch (t) {
  case HNS_NET_ICS: return SIM_NET_ICS;
  case HNS_NET_TRANSPARENT: return SIM_NET_TRANSPARENT;
  case HNS_NET_L2BRIDGE: return SIM_NET_L2BRIDGE;
  case HNS_NET_L2TUNNEL: return SIM_NET_L2TUNNEL;
  case HNS_NET_OVERLAY: return SIM_NET_OVERLAY;
  case HNS_NET_PRIVATE: return SIM_NET_PRIVATE;
  case HNS_NET_INTERNAL: return SIM_NET_INTERNAL;
  default: return SIM_NET_NAT;
  }
}

static int is_external(int t) {
  return t == HNS_NET_TRANSPARENT || t == HNS_NET_L2BRIDGE || t == HNS_NET_L2TUNNEL || t == HNS_NET_OVERLAY;
}

/* The NetAdapterName network policy (facts §3.3; Docker's -o
 * com.docker.network.windowsshim.interface, §6), or NULL. */
static const char *adapter_name(const hns_network_doc *doc) {
  for (size_t i = 0; i < doc->policies.n; i++)
    if (!strcmp(doc->policies.v[i].type->name, "NetAdapterName") && doc->policies.v[i].settings)
      return ((const hns_text_policy *)doc->policies.v[i].settings)->value;
  return NULL;
}

/* Without a NetAdapterName, the host's first NIC by name that no network
 * is bound to: which adapter HNS picks is not documented (inferred). */
static int free_nic(hns_service *svc, char out[SIM_QUERY_NAME]) {
  sim_iface_info nics[MAX_NICS];
  size_t n = 0;
  if (sim_net_host_nics(svc->model->net, svc->model->host, nics, MAX_NICS, &n)) return -1;
  for (size_t i = 0; i < n && i < MAX_NICS; i++)
    if (!nics[i].network[0]) {
      memcpy(out, nics[i].name, SIM_QUERY_NAME);
      return 0;
    }
  return -1;
}

/* The first IPv4 subnet's gateway with that subnet's length: the host
 * vNIC's address on NAT, ICS and Internal networks (facts §6: the NAT
 * gateway is the host's vNIC; for ICS and Internal (inferred)). */
static int vnic_address(const hns_network_doc *doc, sim_prefix *out) {
  for (size_t i = 0; i < doc->ipams.n; i++) {
    const hns_ipam_doc *ipam = HNS_VEC_AT(doc->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      const hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      sim_prefix p;
      if (!s->ip_address_prefix || sim_prefix_parse(s->ip_address_prefix, &p) || p.addr.family != 4) continue;
      if (!hns__subnet_gateway(s, &out->addr)) return -1;
      out->len = p.len;
      return 0;
    }
  }
  return -1;
}

hns_hr hns__model_network_add(hns_service *svc, hns_object *obj, char **er) {
  if (!svc->model) return HNS_S_OK;
  const hns_network_doc *doc = obj->doc;
  char nic[SIM_QUERY_NAME], vnic[320];
  sim_prefix vnic_addr;
  sim_network_spec spec = {doc->name, type_of(doc->type), NULL, NULL, NULL};
  if (is_external(doc->type)) {
    spec.uplink = adapter_name(doc);
    if (!spec.uplink && free_nic(svc, nic))
      return hns__fail(svc, er, HNS_E_UNEXPECTED,
                       "the data-plane model refused network '%s': host '%s' has no NIC free for a %s network", doc->name,
                       svc->model->host, sim_net_type_name(spec.type));
    if (!spec.uplink) spec.uplink = nic;
  } else if (doc->type != HNS_NET_PRIVATE && !vnic_address(doc, &vnic_addr)) {
    snprintf(vnic, sizeof vnic, "vEthernet (%s)", doc->name); /* the host adapter's name on Windows (facts §6) */
    spec.host_vnic = vnic;
    spec.vnic_addr = &vnic_addr;
  }
  if (sim_net_network_add(svc->model->net, svc->model->host, &spec)) return hns__model_refused(svc, er, "the network");
  hns_hr hr = hns__model_network_policies(svc, obj, NULL, doc, er);
  if (HNS_FAILED(hr)) sim_net_network_remove(svc->model->net, svc->model->host, doc->name);
  return hr;
}

void hns__model_network_undo(hns_service *svc, hns_object *obj) {
  if (!svc->model) return;
  sim_net_network_remove(svc->model->net, svc->model->host, ((hns_network_doc *)obj->doc)->name);
  hns__model_network_policies_drop(svc, obj);
}

hns_hr hns__model_network_remove(hns_service *svc, hns_object *obj, char **er) {
  if (svc->model && sim_net_network_remove(svc->model->net, svc->model->host, ((hns_network_doc *)obj->doc)->name))
    return hns__model_refused(svc, er, "the network's removal");
  hns__model_network_policies_drop(svc, obj); /* its WinNAT rule; remote entries went with it */
  return HNS_S_OK;
}

/* ---- endpoints ---- */

hns_hr hns__model_endpoint_add(hns_service *svc, hns_object *ep, hns_object *network, char **er) {
  const hns_endpoint_doc *d = ep->doc;
  if (!svc->model) return HNS_S_OK;
  if (d->flags & REMOTE_ENDPOINT) /* remote endpoints are policy, not ports */
    return hns__model_endpoint_policies(svc, ep, network, NULL, d, er);
  sim_port_spec spec;
  memset(&spec, 0, sizeof spec);
  spec.name = hns__model_port_name(ep);
  spec.network = ((hns_network_doc *)network->doc)->name;
  size_t n = d->ip_configurations.n;
  if (n > 2)
    return hns__fail(svc, er, HNS_E_UNEXPECTED,
                     "the data-plane model refused the endpoint: %zu IP configurations; a port has one IPv4 and one IPv6", n);
  for (size_t i = 0; i < n; i++) {
    const hns_ip_config_doc *c = HNS_VEC_AT(d->ip_configurations, hns_ip_config_doc, i);
    sim_prefix *p = &spec.addr[i];
    if (!c->ip_address || sim_ip_parse(c->ip_address, &p->addr))
      return hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the endpoint: IpConfigurations[%zu]", i);
    p->len = c->prefix_length ? c->prefix_length : (uint8_t)(p->addr.family == 4 ? 32 : 128);
  }
  if (d->mac_address && sim_mac_parse(d->mac_address, &spec.mac))
    return hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the endpoint: MacAddress %s", d->mac_address);
  if (sim_net_port_add(svc->model->net, svc->model->host, &spec)) return hns__model_refused(svc, er, "the endpoint");
  ep->in_model = 1;
  hns_hr hr = hns__model_endpoint_policies(svc, ep, network, NULL, d, er);
  if (HNS_FAILED(hr)) {
    sim_net_port_remove(svc->model->net, svc->model->host, spec.name);
    ep->in_model = 0;
  }
  return hr;
}

void hns__model_endpoint_undo(hns_service *svc, hns_object *ep) {
  if (!svc->model) return;
  hns__model_endpoint_policies_drop(svc, ep);
  if (!ep->in_model) return;
  sim_net_port_remove(svc->model->net, svc->model->host, hns__model_port_name(ep));
  ep->in_model = 0;
}

/* A container's compartment goes with its last endpoint; another endpoint
 * of the same container keeps it (the model says SIM_E_BUSY). */
static void drop_container_compartment(hns_service *svc, const char *compartment) {
  sim_net_compartment_remove(svc->model->net, svc->model->host, compartment);
}

hns_hr hns__model_endpoint_remove(hns_service *svc, hns_object *ep, char **er) {
  if (!svc->model) return HNS_S_OK;
  if (!ep->in_model) {
    hns__model_endpoint_policies_drop(svc, ep); /* a remote endpoint's entries */
    return HNS_S_OK;
  }
  if (sim_net_port_remove(svc->model->net, svc->model->host, hns__model_port_name(ep)))
    return hns__model_refused(svc, er, "the endpoint's removal");
  hns__model_endpoint_policies_drop(svc, ep); /* its NAT rules; the ACL and SDN routes went with the port */
  if (ep->model_kind == HNS_MODEL_IN_CONTAINER) drop_container_compartment(svc, ep->model_comp);
  ep->in_model = 0;
  ep->model_kind = HNS_MODEL_DETACHED;
  free(ep->model_comp);
  ep->model_comp = NULL;
  return HNS_S_OK;
}

/* ---- restart and reboot ---- */

void hns__model_forget(hns_service *svc, hns_object *obj) {
  if (!svc->model) return;
  switch (obj->kind) {
  case HNS_NETWORK: hns__model_network_undo(svc, obj); break;
  case HNS_ENDPOINT: hns__model_endpoint_remove(svc, obj, NULL); break;
  case HNS_NAMESPACE: hns__model_namespace_remove(svc, obj, NULL); break;
  case HNS_LOADBALANCER: hns__model_lb_remove(svc, obj); break;
  case HNS_SDNROUTE: hns__model_sdnroute_remove(svc, obj); break;
  }
}

void hns__model_forget_containers(hns_service *svc, hns_object *ep) {
  if (ep->model_kind == HNS_MODEL_IN_CONTAINER || ep->model_kind == HNS_MODEL_IN_HOST) hns__model_detach(svc, ep, NULL);
}
