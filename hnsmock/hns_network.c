/* hns_network.c: creating networks: the type and name checks, subnets and
 * their IDs, the MAC pool, the switch extensions a network starts with.
 * Modify requests are in hns_network_modify.c.
 * Sources: hns-api-facts.md §3.3 (fields, modify requests), §3.10 (enums),
 * §6 (network types per driver). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_addr.h"
#include "hns_doc_policy.h"
#include "hns_model_int.h"
#include "hns_service_int.h"
#include "hns_types.h"

/* Gives every subnet and IP subnet an ID, as HNS's output shows them with
 * one (facts §5.1 real output; (inferred) for v2). */
void hns__network_name_subnets(hns_service *svc, hns_network_doc *doc) {
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
  sim_prefix p;
  int support;
  if (sim_prefix_parse(s->ip_address_prefix, &p) || p.addr.family != 6 || !ipv6_support(svc->profile, doc->type, &support) ||
      support == HNS_IPV6_FULL)
    return HNS_S_OK;
  return hns__fail(svc, er, HNS_E_INVALIDARG, "Ipams[%zu].Subnets[%zu].IpAddressPrefix: %s: %s networks on %s take no IPv6 subnet%s",
                   i, j, s->ip_address_prefix, hns_enum_name(hns_network_types, doc->type), svc->profile->name,
                   support == HNS_IPV6_SELF_ASSIGNED ? " (containers may only assign IPv6 addresses themselves)" : "");
}

hns_hr hns__network_check_subnets(hns_service *svc, char **er, hns_network_doc *doc) {
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
      sim_mac a, b;
      if (!r->start_mac_address || !r->end_mac_address || sim_mac_parse(r->start_mac_address, &a) ||
          sim_mac_parse(r->end_mac_address, &b) || sim_mac_to_u64(&a) > sim_mac_to_u64(&b))
        return hns__fail(svc, er, HNS_E_INVALIDARG, "MacPool.Ranges[%zu]: the start must not be after the end", i);
    }
    return HNS_S_OK;
  }
  hns_mac_range_doc *r = calloc(1, sizeof *r);
  if (!r) return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  uint64_t pick = (svc->seed * 0x9E3779B97F4A7C15ull + svc->networks_made * 0x10) & 0xFFF0;
  uint64_t base = 0x00155D000000ull | (pick << 8);
  char text[18];
  sim_mac m;
  sim_mac_from_u64(base, &m);
  sim_mac_format(&m, text);
  r->start_mac_address = hns_strdup(text);
  sim_mac_from_u64(base + 0xFFF, &m);
  sim_mac_format(&m, text);
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
  if (HNS_SUCCEEDED(hr)) hr = hns__network_check_subnets(svc, er, doc);
  if (HNS_SUCCEEDED(hr)) hr = default_mac_pool(svc, er, doc);
  if (HNS_FAILED(hr)) return hr;
  hns__network_name_subnets(svc, doc);
  obj->extensions = hns__network_default_extensions(doc->type);
  if (!doc->schema_version.major) doc->schema_version = (hns_version_doc){2, 0, NULL};
  hr = hns__model_network_add(svc, obj, er);
  if (HNS_FAILED(hr)) return hr;
  if (hns__insert(svc, obj)) {
    hns__model_network_undo(svc, obj);
    return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  }
  svc->networks_made++;
  return HNS_S_OK;
}

/* WFP is on every switch; VFP carries the policies of every type but NAT,
 * whose port forwarding is WinNAT's (VDOCS architecture: "NAT networks use
 * WinNAT ... all other network types use VFP"), and ICS, whose VFP
 * extension real HNS output shows disabled (WSL's ICS networks,
 * microsoft/WSL#6457, #6913); packet capture is off until asked for
 * (inferred). */
unsigned hns__network_default_extensions(int type) {
  return (1u << HNS_EXT_WFP) | (type == HNS_NET_NAT || type == HNS_NET_ICS ? 0u : 1u << HNS_EXT_VFP);
}
