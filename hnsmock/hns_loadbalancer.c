/* hns_loadbalancer.c: load balancers: backends that must exist, one owner
 * per (VIP, protocol, port), the feature gates of DSR, IPv6 and session
 * affinity, the backend limit and the ephemeral port blocks non-DSR load
 * balancers hold. Sources: hns-api-facts.md §3.6 and §4, §6 (64-port blocks,
 * "The specified port already exists"), and the profile's fields
 * (docs/profiles.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_model_int.h"
#include "hns_service_int.h"

#define LB_DSR 1u
#define LB_IPV6 2u
#define DISTRIBUTION_SOURCE_IP 2u

static void frontend_key(char *out, size_t len, const char *vip, const hns_lb_port_mapping_doc *pm) {
  /* An empty frontend list means the host's own address (NodePort, facts §3.6). */
  if (snprintf(out, len, "%s|%u|%u", vip ? vip : "node", (unsigned)pm->protocol, (unsigned)pm->external_port) < 0)
    out[0] = '\0';
}

/* Calls fn for each (frontend, mapping) key of the document. */
static int each_frontend(const hns_loadbalancer_doc *lb, int (*fn)(const char *key, void *arg), void *arg) {
  char key[96];
  size_t nv = lb->frontend_vips.n ? lb->frontend_vips.n : 1;
  for (size_t i = 0; i < nv; i++)
    for (size_t j = 0; j < lb->port_mappings.n; j++) {
      frontend_key(key, sizeof key, lb->frontend_vips.n ? lb->frontend_vips.v[i] : NULL,
                   HNS_VEC_AT(lb->port_mappings, hns_lb_port_mapping_doc, j));
      int rc = fn(key, arg);
      if (rc) return rc;
    }
  return 0;
}

typedef struct clash_ctx {
  hns_service *svc;
  const hns_object *self; /* a modify may keep its own frontends */
  char key[96];
} clash_ctx;

static int clashes(const char *key, void *arg) {
  clash_ctx *c = arg;
  hns_object *owner = hns_map_get(&c->svc->frontends, key);
  if (!owner || owner == c->self) return 0;
  snprintf(c->key, sizeof c->key, "%s", key);
  return 1;
}

typedef struct index_ctx {
  hns_service *svc;
  hns_object *obj;
  int add;
} index_ctx;

static int index_one(const char *key, void *arg) {
  index_ctx *c = arg;
  if (!c->add) {
    if (hns_map_get(&c->svc->frontends, key) == c->obj) hns_map_del(&c->svc->frontends, key);
    return 0;
  }
  return hns_map_put(&c->svc->frontends, key, c->obj);
}

static uint32_t port_blocks_total(const hns_profile *p) {
  if (!p->lb_port_block) return 0;
  return (uint32_t)(p->ephemeral_port_last - p->ephemeral_port_first + 1) / (uint32_t)p->lb_port_block;
}

/* Everything a load balancer document must satisfy; `self` is the object a
 * modify replaces, NULL on create. Changes nothing. */
static hns_hr validate(hns_service *svc, char **er, const hns_loadbalancer_doc *lb, const hns_object *self) {
  const hns_profile *p = svc->profile;
  if (!p->max_lb_backends) /* WS2016 has no HNS load balancer (docs/profiles.md) */
    return hns__fail(svc, er, HCN_E_REQUEST_UNSUPPORTED, "%s has no HNS load balancer", p->name);
  for (size_t i = 0; i < lb->host_compute_endpoints.n; i++)
    if (!hns__lookup_text(svc, HNS_ENDPOINT, lb->host_compute_endpoints.v[i]))
      return hns__fail(svc, er, HCN_E_ENDPOINT_NOT_FOUND, "HostComputeEndpoints[%zu]: no endpoint with ID %s", i,
                       lb->host_compute_endpoints.v[i]);
  /* kubernetes#98680: "Unable to initialize VFP LB rule: invalid number of destinations." */
  if (lb->host_compute_endpoints.n > (size_t)p->max_lb_backends)
    return hns__fail(svc, er, HNS_E_INVALIDARG, "HostComputeEndpoints: %zu backends, %s takes at most %d",
                     lb->host_compute_endpoints.n, p->name, p->max_lb_backends);
  if ((lb->flags & LB_DSR) && !hns_profile_has(p, HNS_FEATURE_DSR))
    return hns__fail(svc, er, HNS_E_INVALIDARG, "Flags: DSR needs HNS 9.3 or 10.2+, %s has %d.%d (inferred code)", p->name,
                     p->hns_major, p->hns_minor);
  if ((lb->flags & LB_IPV6) && !hns_profile_has(p, HNS_FEATURE_IPV6_DUAL_STACK))
    return hns__fail(svc, er, HNS_E_INVALIDARG, "Flags: IPv6 load balancers need HNS 11.10+, %s has %d.%d (inferred code)",
                     p->name, p->hns_major, p->hns_minor);
  if (!lb->port_mappings.n) return hns__fail(svc, er, HNS_E_INVALIDARG, "PortMappings: a load balancer needs one");
  for (size_t j = 0; j < lb->port_mappings.n; j++) {
    const hns_lb_port_mapping_doc *pm = HNS_VEC_AT(lb->port_mappings, hns_lb_port_mapping_doc, j);
    if (!pm->internal_port) /* HCN_E_INVALID_INTERNAL_PORT: "internal port must exist and be non-zero" */
      return hns__fail(svc, er, HCN_E_INVALID_INTERNAL_PORT, "PortMappings[%zu].InternalPort must be non-zero", j);
    if (pm->distribution_type == DISTRIBUTION_SOURCE_IP && !hns_profile_has(p, HNS_FEATURE_SESSION_AFFINITY))
      return hns__fail(svc, er, HNS_E_INVALIDARG, "PortMappings[%zu].DistributionType: session affinity needs HNS 12.0+, %s has %d.%d",
                       j, p->name, p->hns_major, p->hns_minor);
  }
  clash_ctx c = {svc, self, ""};
  if (each_frontend(lb, clashes, &c))
    return hns__fail(svc, er, HCN_E_PORT_ALREADY_EXISTS, "frontend %s (VIP|protocol|port) belongs to another load balancer", c.key);
  /* Non-DSR load balancers each hold a block of ephemeral ports; when they
   * run out HNS says "The specified port already exists" (VDOCS
   * common-problems @074c6dd9). Port-pool sharing lifts the limit (modelled
   * as no limit: (inferred)). */
  int holds_block = self && !(((const hns_loadbalancer_doc *)self->doc)->flags & LB_DSR);
  int needs_block = !(lb->flags & LB_DSR) && !holds_block;
  if (needs_block && !p->lb_port_pool_sharing && svc->lb_port_blocks >= port_blocks_total(p))
    return hns__fail(svc, er, HCN_E_PORT_ALREADY_EXISTS, "no ephemeral port block left: %u non-DSR load balancers hold all %u blocks of %d ports",
                     svc->lb_port_blocks, port_blocks_total(p), p->lb_port_block);
  return HNS_S_OK;
}

static void hold(hns_service *svc, hns_object *obj, int add) {
  hns_loadbalancer_doc *lb = obj->doc;
  for (size_t i = 0; i < lb->host_compute_endpoints.n; i++) {
    hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, lb->host_compute_endpoints.v[i]);
    if (ep) ep->refs += add ? 1u : (uint32_t)-1;
  }
  index_ctx c = {svc, obj, add};
  each_frontend(lb, index_one, &c);
  if (!(lb->flags & LB_DSR)) svc->lb_port_blocks += add ? 1u : (uint32_t)-1;
}

hns_hr hns__loadbalancer_create(hns_service *svc, hns_object *obj, char **er) {
  hns_loadbalancer_doc *lb = obj->doc;
  hns_hr hr = validate(svc, er, lb, NULL);
  if (HNS_FAILED(hr)) return hr;
  if (!lb->schema_version.major) lb->schema_version = (hns_version_doc){2, 0, NULL};
  hr = hns__model_lb_add(svc, obj, er); /* before hold(): the model's SNAT block is the next one */
  if (HNS_FAILED(hr)) return hr;
  if (hns__insert(svc, obj)) {
    hns__model_lb_remove(svc, obj);
    return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  }
  hold(svc, obj, 1);
  return HNS_S_OK;
}

void hns__loadbalancer_release(hns_service *svc, hns_object *obj) { hold(svc, obj, 0); }

/* HcnModifyLoadBalancer takes a whole HostComputeLoadBalancer (hcsshim
 * Update). The call exists from HNS 15.4, where hcsshim's ModifyLoadbalancer
 * range starts; before that the request is unsupported (inferred code).
 * hnslib, which kube-proxy uses, only calls it from 15.5 because at 15.4
 * (WS2025) HNS answers success but keeps the old backends
 * (kubernetes#131466): no profile has a modify that takes effect, so a valid
 * request is checked and then changes nothing. Whether a client calls it at
 * all is its own gate (HNS_FEATURE_MODIFY_LOADBALANCER). */
hns_hr hns__loadbalancer_modify(hns_service *svc, hns_object *obj, const char *settings, char **er) {
  const hns_profile *p = svc->profile;
  if (p->hns_major < 15 || (p->hns_major == 15 && p->hns_minor < 4))
    return hns__fail(svc, er, HCN_E_REQUEST_UNSUPPORTED, "modifying a load balancer needs HNS 15.4+, %s has %d.%d",
                     p->name, p->hns_major, p->hns_minor);
  hns_loadbalancer_doc next = {0};
  hns_hr hr = hns__parse(svc, er, HNS_LOADBALANCER, &hns_loadbalancer_schema, settings, &next);
  if (HNS_SUCCEEDED(hr)) hr = validate(svc, er, &next, obj);
  hns_doc_free(&hns_loadbalancer_schema, &next);
  return hr;
}
