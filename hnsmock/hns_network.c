/* hns_network.c: creating and modifying networks: the type and name checks,
 * subnets and their IDs, the MAC pool, and network-level modify requests.
 * Sources: hns-api-facts.md §3.3 (fields, modify requests), §3.10 (enums),
 * §6 (network types per driver). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_addr.h"
#include "hns_doc_policy.h"
#include "hns_service_int.h"
#include "hns_types.h"

/* Gives every subnet and IP subnet an ID, as HNS's output shows them with
 * one (facts §5.1 real output; (inferred) for v2). */
static void name_subnets(hns_service *svc, hns_network_doc *doc) {
  for (size_t i = 0; i < doc->ipams.n; i++) {
    hns_ipam_doc *ipam = HNS_VEC_AT(doc->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      char id[37];
      if (!s->id) {
        hns__new_guid_text(svc, id);
        s->id = hns_strdup(id);
      }
      for (size_t k = 0; k < s->ip_subnets.n; k++) {
        hns_ip_subnet_doc *ips = HNS_VEC_AT(s->ip_subnets, hns_ip_subnet_doc, k);
        if (!ips->id) {
          hns__new_guid_text(svc, id);
          ips->id = hns_strdup(id);
        }
      }
    }
  }
}

/* How far the profile's HNS takes IPv6 on networks of `type`; other types
 * have no statement in any source and are left unchecked. */
static int ipv6_support(const hns_profile *p, int type, int *support) {
  switch (type) {
  case HNS_NET_OVERLAY: *support = p->ipv6_overlay; return 1;
  case HNS_NET_L2BRIDGE: *support = p->ipv6_l2bridge; return 1;
  case HNS_NET_TRANSPARENT: *support = p->ipv6_transparent; return 1;
  default: return 0;
  }
}

/* An IPv6 subnet asks HNS to hand out IPv6 addresses. Builds that have none
 * on this network type (facts §6: no IPv6 on overlay; L2Bridge from WS2022;
 * Transparent self-assigned only) refuse it; the code is not documented,
 * E_INVALIDARG as for the other features a build lacks (inferred). */
static hns_hr check_ipv6(hns_service *svc, char **er, const hns_network_doc *doc, const hns_subnet_doc *s, size_t i,
                         size_t j) {
  hns_prefix p;
  int support;
  if (hns_prefix_parse(s->ip_address_prefix, &p) || p.addr.family != 6 || !ipv6_support(svc->profile, doc->type, &support) ||
      support == HNS_IPV6_FULL)
    return HNS_S_OK;
  return hns__fail(svc, er, HNS_E_INVALIDARG, "Ipams[%zu].Subnets[%zu].IpAddressPrefix: %s: %s networks on %s take no IPv6 subnet%s",
                   i, j, s->ip_address_prefix, hns_enum_name(hns_network_types, doc->type), svc->profile->name,
                   support == HNS_IPV6_SELF_ASSIGNED ? " (containers may only assign IPv6 addresses themselves)" : "");
}

static hns_hr check_subnets(hns_service *svc, char **er, hns_network_doc *doc) {
  for (size_t i = 0; i < doc->ipams.n; i++) {
    hns_ipam_doc *ipam = HNS_VEC_AT(doc->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      char where[96];
      snprintf(where, sizeof where, "Ipams[%zu].Subnets[%zu].Policies", i, j);
      hns_hr hr = hns__check_policy_gates(svc, er, &s->policies, where);
      if (HNS_FAILED(hr)) return hr;
      if (!s->ip_address_prefix)
        return hns__fail(svc, er, HCN_E_INVALID_SUBNET, "Ipams[%zu].Subnets[%zu].IpAddressPrefix is missing", i, j);
      hr = check_ipv6(svc, er, doc, s, i, j);
      if (HNS_FAILED(hr)) return hr;
    }
  }
  return HNS_S_OK;
}

/* HNS gives a network without a MacPool a range of 4096 MACs in Hyper-V's
 * 00-15-5D prefix (real output shows 00-15-5D-52-C0-00..00-15-5D-52-CF-FF,
 * facts §3.3); which range it picks is not documented, so hnsim derives it
 * from the service's seed and the network's ordinal: (inferred). */
static hns_hr default_mac_pool(hns_service *svc, char **er, hns_network_doc *doc) {
  if (doc->mac_pool.ranges.n) {
    for (size_t i = 0; i < doc->mac_pool.ranges.n; i++) {
      hns_mac_range_doc *r = HNS_VEC_AT(doc->mac_pool.ranges, hns_mac_range_doc, i);
      hns_mac a, b;
      if (!r->start_mac_address || !r->end_mac_address || hns_mac_parse(r->start_mac_address, &a) ||
          hns_mac_parse(r->end_mac_address, &b) || hns_mac_to_u64(&a) > hns_mac_to_u64(&b))
        return hns__fail(svc, er, HNS_E_INVALIDARG, "MacPool.Ranges[%zu]: the start must not be after the end", i);
    }
    return HNS_S_OK;
  }
  hns_mac_range_doc *r = calloc(1, sizeof *r);
  if (!r) return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  uint64_t pick = (svc->seed * 0x9E3779B97F4A7C15ull + svc->networks_made * 0x10) & 0xFFF0;
  uint64_t base = 0x00155D000000ull | (pick << 8);
  char text[18];
  hns_mac m;
  hns_mac_from_u64(base, &m);
  hns_mac_format(&m, text);
  r->start_mac_address = hns_strdup(text);
  hns_mac_from_u64(base + 0xFFF, &m);
  hns_mac_format(&m, text);
  r->end_mac_address = hns_strdup(text);
  doc->mac_pool.ranges.v = r;
  doc->mac_pool.ranges.n = 1;
  return HNS_S_OK;
}

hns_hr hns__network_create(hns_service *svc, hns_object *obj, char **er) {
  hns_network_doc *doc = obj->doc;
  const hns_profile *p = svc->profile;
  if (!hns_profile_has_network_type(p, doc->type))
    return hns__fail(svc, er, HCN_E_INVALID_NETWORK_TYPE, "Type: %s networks do not exist on %s",
                     hns_enum_name(hns_network_types, doc->type), p->name);
  if (!doc->name || !*doc->name) /* every client names its networks; (inferred) */
    return hns__fail(svc, er, HCN_E_INVALID_NETWORK, "Name: a network needs a name");
  if (hns__find_name(svc, HNS_NETWORK, doc->name))
    return hns__fail(svc, er, HCN_E_NETWORK_ALREADY_EXISTS, "Name: a network called '%s' already exists", doc->name);
  hns_hr hr = hns__check_policy_gates(svc, er, &doc->policies, "Policies");
  if (HNS_SUCCEEDED(hr)) hr = check_subnets(svc, er, doc);
  if (HNS_SUCCEEDED(hr)) hr = default_mac_pool(svc, er, doc);
  if (HNS_FAILED(hr)) return hr;
  name_subnets(svc, doc);
  if (!doc->schema_version.major) doc->schema_version = (hns_version_doc){2, 0, NULL};
  if (hns__insert(svc, obj)) return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  svc->networks_made++;
  return HNS_S_OK;
}

/* Builds the network's next document from a modify request; the caller
 * swaps it in only if everything succeeded. */
static hns_hr apply_modify(hns_service *svc, char **er, const hns_modify_doc *m, hns_network_doc *next) {
  hns_perr err;
  const cJSON *settings = m->settings;
  if (m->resource_type == 2) { /* Policy */
    hns_policy_request_doc req = {0};
    if (!settings || hns_doc_parse(&hns_network_policy_request_schema, settings, &req, NULL, &err))
      return settings ? hns__refuse_doc(svc, er, HNS_NETWORK, &err)
                      : hns__fail(svc, er, HCN_E_INVALID_POLICY, "Settings: a PolicyNetworkRequest is needed");
    hns_hr hr = hns__check_policy_gates(svc, er, &req.policies, "Settings.Policies");
    if (HNS_SUCCEEDED(hr)) hr = hns__apply_policy_request(svc, er, &next->policies, &req.policies, m->request_type, "network");
    hns_doc_free(&hns_network_policy_request_schema, &req);
    return hr;
  }
  if (m->resource_type == 3 && m->request_type == 0) { /* Subnet Add */
    hns_subnet_request_doc req = {0};
    if (!settings || hns_doc_parse(&hns_subnet_request_schema, settings, &req, NULL, &err))
      return settings ? hns__refuse_doc(svc, er, HNS_NETWORK, &err)
                      : hns__fail(svc, er, HCN_E_INVALID_SUBNET, "Settings: a SubnetNetworkRequest is needed");
    if (!next->ipams.n) {
      hns_doc_free(&hns_subnet_request_schema, &req);
      return hns__fail(svc, er, HCN_E_INVALID_SUBNET, "the network has no Ipams to add subnets to");
    }
    hns_ipam_doc *ipam = HNS_VEC_AT(next->ipams, hns_ipam_doc, 0);
    hns_subnet_doc *v = realloc(ipam->subnets.v, (ipam->subnets.n + req.subnets.n) * sizeof *v);
    if (!v) {
      hns_doc_free(&hns_subnet_request_schema, &req);
      return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
    }
    memcpy(v + ipam->subnets.n, req.subnets.v, req.subnets.n * sizeof *v);
    ipam->subnets.v = v;
    ipam->subnets.n += req.subnets.n;
    free(req.subnets.v);
    hns_hr hr = check_subnets(svc, er, next);
    if (HNS_SUCCEEDED(hr)) name_subnets(svc, next);
    return hr;
  }
  if (m->resource_type == 0 && (m->request_type == 0 || m->request_type == 2)) { /* DNS Add/Update */
    hns_dns_doc dns = {0};
    if (!settings || hns_doc_parse(&hns_dns_schema, settings, &dns, NULL, &err))
      return settings ? hns__refuse_doc(svc, er, HNS_NETWORK, &err)
                      : hns__fail(svc, er, HNS_E_INVALIDARG, "Settings: a Dns document is needed");
    hns_doc_free(&hns_dns_schema, &next->dns);
    next->dns = dns;
    return HNS_S_OK;
  }
  return hns__fail(svc, er, HCN_E_REQUEST_UNSUPPORTED, "ResourceType %s with RequestType %s is not modelled",
                   hns_enum_name(hns_network_resource_types, m->resource_type),
                   hns_enum_name(hns_request_types, m->request_type));
}

hns_hr hns__network_modify(hns_service *svc, hns_object *obj, const char *settings, char **er) {
  hns_modify_doc m = {0};
  hns_hr hr = hns__parse(svc, er, HNS_NETWORK, &hns_modify_network_schema, settings, &m);
  if (HNS_FAILED(hr)) return hr;
  hns_network_doc next = {0};
  if (hns_doc_copy(&hns_network_schema, obj->doc, &next)) hr = hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  if (HNS_SUCCEEDED(hr)) hr = apply_modify(svc, er, &m, &next);
  if (HNS_SUCCEEDED(hr)) {
    hns_doc_free(&hns_network_schema, obj->doc);
    *(hns_network_doc *)obj->doc = next;
  } else {
    hns_doc_free(&hns_network_schema, &next);
  }
  hns_doc_free(&hns_modify_network_schema, &m);
  return hr;
}
