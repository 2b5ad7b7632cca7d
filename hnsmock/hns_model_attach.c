/* hns_model_attach.c: where an endpoint's port is attached in the model
 * (hns_model.h): a namespace's compartment, a v1 container's, or the
 * host's, with the routes the endpoint gives its compartment.
 *
 * Routes: the endpoint's Routes as given (win-bridge's v2 path writes the
 * pod's default route there, consumers §2.1; a v1 GatewayAddress becomes
 * one, hns_v1_request.c); without any, a default route via the gateway of
 * the subnet holding each of its addresses (facts §3.3: a subnet's Routes
 * carry its gateway). A NextHop of 0.0.0.0 or :: is on-link (inferred). A
 * route of a family the port has no address of is not added (inferred:
 * Windows keeps no route on an interface without an address of its
 * family). The host compartment keeps its own routes: a host attach adds
 * none (inferred; the SDN scripts' host endpoint says Gateway 0.0.0.0,
 * consumers §3.1).
 *
 * Invariant: ep->model_comp names the compartment the port is attached to
 * exactly while it is attached; an attach either ends attached with all
 * its routes or leaves everything as before. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_model_int.h"

static int on_link(const sim_ip *ip) {
  for (int i = 0; i < 16; i++)
    if (ip->b[i]) return 0;
  return 1;
}

static int add_route(hns_service *svc, hns_object *ep, const char *compartment, const sim_prefix *dst, const sim_ip *nh,
                     uint32_t metric) {
  sim_route_spec r = {compartment, *dst, {0, {0}}, hns__model_port_name(ep), metric, NULL};
  if (nh && !on_link(nh)) r.next_hop = *nh;
  return sim_net_route_add(svc->model->net, svc->model->host, &r);
}

static int has_family(const hns_endpoint_doc *d, int family) {
  for (size_t i = 0; i < d->ip_configurations.n; i++) {
    sim_ip ip;
    const char *text = HNS_VEC_AT(d->ip_configurations, hns_ip_config_doc, i)->ip_address;
    if (text && !sim_ip_parse(text, &ip) && ip.family == family) return 1;
  }
  return 0;
}

/* The subnet of the endpoint's network that holds ip, or NULL. */
static const hns_subnet_doc *subnet_of(const hns_object *ep, const sim_ip *ip) {
  const hns_network_doc *net = ep->network->doc;
  for (size_t i = 0; i < net->ipams.n; i++) {
    const hns_ipam_doc *ipam = HNS_VEC_AT(net->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      const hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      sim_prefix p;
      if (s->ip_address_prefix && !sim_prefix_parse(s->ip_address_prefix, &p) && sim_prefix_contains(&p, ip)) return s;
    }
  }
  return NULL;
}

static int add_routes(hns_service *svc, hns_object *ep, const char *compartment) {
  const hns_endpoint_doc *d = ep->doc;
  for (size_t i = 0; i < d->routes.n; i++) {
    const hns_route_doc *r = HNS_VEC_AT(d->routes, hns_route_doc, i);
    sim_prefix dst;
    sim_ip nh = {0, {0}};
    if (!r->destination_prefix || sim_prefix_parse(r->destination_prefix, &dst) || !has_family(d, dst.addr.family))
      continue;
    if (r->next_hop && *r->next_hop && sim_ip_parse(r->next_hop, &nh)) continue;
    if (add_route(svc, ep, compartment, &dst, &nh, r->metric)) return -1;
  }
  if (d->routes.n) return 0;
  for (size_t i = 0; i < d->ip_configurations.n; i++) {
    sim_ip ip, gw;
    const char *text = HNS_VEC_AT(d->ip_configurations, hns_ip_config_doc, i)->ip_address;
    if (!text || sim_ip_parse(text, &ip)) continue;
    const hns_subnet_doc *s = subnet_of(ep, &ip);
    if (!s || !hns__subnet_gateway(s, &gw)) continue;
    sim_prefix any = {{ip.family, {0}}, 0};
    if (add_route(svc, ep, compartment, &any, &gw, 0)) return -1;
  }
  return 0;
}

hns_hr hns__model_attach(hns_service *svc, hns_object *ep, int kind, const char *compartment, char **er) {
  if (!svc->model || !ep->in_model) return HNS_S_OK;
  sim_net *net = svc->model->net;
  const char *host = svc->model->host, *port = hns__model_port_name(ep);
  char *copy = strdup(compartment);
  if (!copy) return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  /* A container's compartment is made by its first endpoint; the next
   * ones join it (the seed's two endpoints per WS2016 container). */
  int made = kind == HNS_MODEL_IN_CONTAINER && sim_net_compartment_add(net, host, compartment) == SIM_OK;
  if (sim_net_port_attach(net, host, port, compartment)) {
    hns_hr hr = hns__model_refused(svc, er, "the attach");
    if (made) sim_net_compartment_remove(net, host, compartment);
    free(copy);
    return hr;
  }
  if (kind != HNS_MODEL_IN_HOST && add_routes(svc, ep, compartment)) {
    hns_hr hr = hns__model_refused(svc, er, "a route of the endpoint");
    sim_net_port_detach(net, host, port); /* takes the routes added with it */
    if (made) sim_net_compartment_remove(net, host, compartment);
    free(copy);
    return hr;
  }
  free(ep->model_comp);
  ep->model_comp = copy;
  ep->model_kind = (uint8_t)kind;
  return HNS_S_OK;
}

hns_hr hns__model_detach(hns_service *svc, hns_object *ep, char **er) {
  if (!svc->model || !ep->in_model || ep->model_kind == HNS_MODEL_DETACHED) return HNS_S_OK;
  if (sim_net_port_detach(svc->model->net, svc->model->host, hns__model_port_name(ep)))
    return hns__model_refused(svc, er, "the detach");
  /* The container's compartment goes with its last endpoint; while
   * another is attached the model keeps it (SIM_E_BUSY). */
  if (ep->model_kind == HNS_MODEL_IN_CONTAINER) sim_net_compartment_remove(svc->model->net, svc->model->host, ep->model_comp);
  free(ep->model_comp);
  ep->model_comp = NULL;
  ep->model_kind = HNS_MODEL_DETACHED;
  return HNS_S_OK;
}

/* ---- namespaces ---- */

void hns__model_namespace_name(const hns_object *ns, char out[24]) {
  snprintf(out, 24, "ns%u", (unsigned)((const hns_namespace_doc *)ns->doc)->namespace_id);
}

/* The endpoint a namespace resource names, if it is one. */
static hns_object *resource_endpoint(hns_service *svc, const hns_ns_resource_doc *r) {
  const cJSON *id = r->type == 1 && r->data ? cJSON_GetObjectItem(r->data, "ID") : NULL;
  return cJSON_IsString(id) ? hns__lookup_text(svc, HNS_ENDPOINT, id->valuestring) : NULL;
}

/* Detaches the first n endpoints the namespace's Resources name. */
static void detach_resources(hns_service *svc, hns_object *ns, size_t n) {
  const hns_namespace_doc *d = ns->doc;
  for (size_t i = 0; i < n && i < d->resources.n; i++) {
    hns_object *ep = resource_endpoint(svc, HNS_VEC_AT(d->resources, hns_ns_resource_doc, i));
    if (ep) hns__model_detach(svc, ep, NULL);
  }
}

/* Attaches the endpoints the Resources name; 0, or the index that failed
 * + 1 with the ones before it detached again. */
static size_t attach_resources(hns_service *svc, hns_object *ns, const char *name, char **er) {
  const hns_namespace_doc *d = ns->doc;
  for (size_t i = 0; i < d->resources.n; i++) {
    hns_object *ep = resource_endpoint(svc, HNS_VEC_AT(d->resources, hns_ns_resource_doc, i));
    if (ep && HNS_FAILED(hns__model_attach(svc, ep, HNS_MODEL_IN_NAMESPACE, name, er))) {
      detach_resources(svc, ns, i);
      return i + 1;
    }
  }
  return 0;
}

hns_hr hns__model_namespace_add(hns_service *svc, hns_object *ns, char **er) {
  if (!svc->model) return HNS_S_OK;
  char name[24];
  hns__model_namespace_name(ns, name);
  if (sim_net_compartment_add(svc->model->net, svc->model->host, name))
    return hns__model_refused(svc, er, "the namespace's compartment");
  if (attach_resources(svc, ns, name, er)) {
    sim_net_compartment_remove(svc->model->net, svc->model->host, name);
    return HNS_E_UNEXPECTED;
  }
  return HNS_S_OK;
}

void hns__model_namespace_undo(hns_service *svc, hns_object *ns) {
  if (!svc->model) return;
  char name[24];
  hns__model_namespace_name(ns, name);
  detach_resources(svc, ns, SIZE_MAX);
  sim_net_compartment_remove(svc->model->net, svc->model->host, name);
}

hns_hr hns__model_namespace_remove(hns_service *svc, hns_object *ns, char **er) {
  if (!svc->model) return HNS_S_OK;
  char name[24];
  hns__model_namespace_name(ns, name);
  detach_resources(svc, ns, SIZE_MAX);
  if (sim_net_compartment_remove(svc->model->net, svc->model->host, name)) {
    hns_hr hr = hns__model_refused(svc, er, "the namespace's removal");
    attach_resources(svc, ns, name, NULL); /* puts back what was detached */
    return hr;
  }
  return HNS_S_OK;
}
