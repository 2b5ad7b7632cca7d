/* hns_v1_policylist.c: the v1 PolicyList and the v2 objects it is another
 * view of, both ways.
 *
 *  - A list of ELB policies is a HostComputeLoadBalancer: seen in real
 *    captures, an LB made with HcnCreateLoadBalancer reads back through
 *    Get-HnsPolicyList under the same ID with Policies [{Type:ELB, ...}] and
 *    References ["/endpoints/<id>"] (facts §3.6, §5.4).
 *  - A list of ROUTE policies is a HostComputeRoute (SDN route): hcsshim
 *    builds both from the same inputs (internal/hns hnspolicylist.go AddRoute
 *    and hcn/hcnroute.go AddRoute take endpoints, DestinationPrefix, NextHop
 *    and NeedEncap) and edits both by delete and re-create; that they are one
 *    object in HNS is (inferred) from that and from the ELB case.
 *
 * ELB policy <-> LB (hcsshim ELBPolicy, facts §5.4): VIPs <-> FrontendVIPs,
 * SourceVIP <-> SourceVIP, IsDSR <-> Flags bit 1 (DSR), and each ELB policy's
 * Protocol, InternalPort, ExternalPort, ILB <-> one PortMappings entry (ILB
 * is port-mapping flag 1). The ELB policies of one list must share VIPs,
 * SourceVIP and IsDSR, which an LB has once (inferred; every known client,
 * hcsshim AddLoadBalancer, psm1 New-HnsLoadBalancer, kube-proxy, posts one).
 * Port-mapping settings v1 cannot express (DistributionType, flags other
 * than ILB) are written under their v2 keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_v1_int.h"

#define LB_DSR 1u
#define PORT_ILB 1u
#define REF_PREFIX "/endpoints/"

static hns_hr oom(hns_service *svc) { return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory"); }

/* References are "/endpoints/<guid>" paths, not bare IDs (hcsshim
 * PolicyList.AddEndpoint, facts §5.4); anything else is a bad reference:
 * HCN_E_INVALID_JSON_REFERENCE by its name (inferred). */
static hns_hr references_in(hns_service *svc, const cJSON *refs, cJSON *ids) {
  if (!refs || cJSON_IsNull(refs)) return HNS_S_OK;
  if (!cJSON_IsArray(refs))
    return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "References: expected an array of \"/endpoints/<ID>\" paths");
  size_t i = 0;
  for (const cJSON *r = refs->child; r; r = r->next, i++) {
    const char *s = cJSON_IsString(r) ? r->valuestring : "";
    hns_guid g;
    size_t n = strlen(REF_PREFIX);
    if (strncasecmp(s, REF_PREFIX, n) || hns_guid_parse(s + n, &g)) {
      char *shown = cJSON_PrintUnformatted(r);
      hns_hr hr = hns__fail(svc, NULL, HCN_E_INVALID_JSON_REFERENCE, "References[%zu]: expected \"/endpoints/<ID>\", got %.64s",
                            i, shown ? shown : "?");
      free(shown);
      return hr;
    }
    cJSON_AddItemToArray(ids, cJSON_CreateString(s + n));
  }
  return HNS_S_OK;
}

static hns_hr elb_in(hns_service *svc, const cJSON *p, const char *where, const cJSON *first, cJSON *lb) {
  static const char *const shared[] = {"VIPs", "SourceVIP", "IsDSR"};
  const char *source_vip;
  int ilb, dsr;
  hns_hr hr = hns__v1_text(svc, p, "SourceVIP", HNS_K_IP, where, &source_vip);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_bool(svc, p, "ILB", where, &ilb);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_bool(svc, p, "IsDSR", where, &dsr);
  if (HNS_FAILED(hr)) return hr;
  for (size_t k = 0; first != p && k < sizeof shared / sizeof shared[0]; k++) {
    const cJSON *a = cJSON_GetObjectItem(first, shared[k]), *b = cJSON_GetObjectItem(p, shared[k]);
    if ((a || b) && (!a || !b || !cJSON_Compare(a, b, 1)))
      return hns__fail(svc, NULL, HCN_E_INVALID_POLICY, "%s%s: the ELB policies of one list must share VIPs, SourceVIP and IsDSR",
                       where, shared[k]);
  }
  if (first == p) {
    const cJSON *vips = cJSON_GetObjectItem(p, "VIPs");
    if (source_vip) cJSON_AddStringToObject(lb, "SourceVIP", source_vip);
    if (vips && !cJSON_IsNull(vips)) cJSON_AddItemToObject(lb, "FrontendVIPs", cJSON_Duplicate(vips, 1));
    if (dsr) cJSON_AddNumberToObject(lb, "Flags", LB_DSR);
  }
  cJSON *pm = cJSON_CreateObject();
  if (!pm) return oom(svc);
  cJSON_AddItemToArray(cJSON_GetObjectItem(lb, "PortMappings"), pm);
  for (const cJSON *k = p->child; k; k = k->next) {
    int is_shared = !strcasecmp(k->string, "Type") || !strcasecmp(k->string, "ILB");
    for (size_t j = 0; j < sizeof shared / sizeof shared[0]; j++) is_shared |= !strcasecmp(k->string, shared[j]);
    if (!is_shared) cJSON_AddItemToObject(pm, k->string, cJSON_Duplicate(k, 1));
  }
  uint32_t bits;
  hr = hns__v1_u32(svc, p, "Flags", where, &bits);
  if (HNS_FAILED(hr)) return hr;
  bits |= ilb ? PORT_ILB : 0u;
  cJSON_DeleteItemFromObject(pm, "Flags");
  if (bits) cJSON_AddNumberToObject(pm, "Flags", bits);
  return HNS_S_OK;
}

static hns_hr route_in(hns_service *svc, const cJSON *p, const char *where, cJSON *route) {
  const char *prefix, *next_hop;
  int encap;
  hns_hr hr = hns__v1_text(svc, p, "DestinationPrefix", HNS_K_PREFIX, where, &prefix);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, p, "NextHop", HNS_K_IP, where, &next_hop);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_bool(svc, p, "NeedEncap", where, &encap);
  if (HNS_FAILED(hr)) return hr;
  cJSON *setting = cJSON_Duplicate(p, 1);
  if (!setting) return oom(svc);
  cJSON_DeleteItemFromObject(setting, "Type");
  cJSON_AddItemToArray(cJSON_GetObjectItem(route, "Setting"), setting);
  return HNS_S_OK;
}

hns_hr hns__v1_policylist_in(hns_service *svc, const cJSON *v1, hns_object_kind *kind, cJSON **v2) {
  *v2 = NULL;
  if (!cJSON_IsObject(v1)) return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "the request: expected a PolicyList object");
  const cJSON *policies = cJSON_GetObjectItem(v1, "Policies"), *first = policies ? policies->child : NULL;
  const cJSON *type = cJSON_GetObjectItem(first, "Type");
  if (!cJSON_IsArray(policies) || !first) /* (inferred) */
    return hns__fail(svc, NULL, HCN_E_INVALID_POLICY, "Policies: a policy list needs ELB or ROUTE policies");
  int elb = cJSON_IsString(type) && !strcasecmp(type->valuestring, "ELB");
  if (!elb && !(cJSON_IsString(type) && !strcasecmp(type->valuestring, "ROUTE")))
    return hns__fail(svc, NULL, HCN_E_INVALID_POLICY_TYPE, "Policies[0].Type: a policy list holds ELB or ROUTE policies");
  cJSON *out = cJSON_CreateObject();
  if (!out || !cJSON_AddArrayToObject(out, elb ? "PortMappings" : "Setting")) {
    cJSON_Delete(out);
    return oom(svc);
  }
  const cJSON *id = cJSON_GetObjectItem(v1, "ID");
  if (id) cJSON_AddItemToObject(out, "ID", cJSON_Duplicate(id, 1));
  hns_hr hr = references_in(svc, cJSON_GetObjectItem(v1, "References"), cJSON_AddArrayToObject(out, "HostComputeEndpoints"));
  size_t i = 0;
  for (const cJSON *p = first; p && HNS_SUCCEEDED(hr); p = p->next, i++) {
    char where[32];
    const cJSON *t = cJSON_GetObjectItem(p, "Type");
    snprintf(where, sizeof where, "Policies[%zu].", i);
    if (!cJSON_IsString(t) || strcasecmp(t->valuestring, elb ? "ELB" : "ROUTE"))
      hr = hns__fail(svc, NULL, HCN_E_INVALID_POLICY_TYPE, "%sType: a list of %s policies cannot also hold others", where,
                     elb ? "ELB" : "ROUTE");
    else hr = elb ? elb_in(svc, p, where, first, out) : route_in(svc, p, where, out);
  }
  if (HNS_FAILED(hr)) {
    cJSON_Delete(out);
    return hr;
  }
  *kind = elb ? HNS_LOADBALANCER : HNS_SDNROUTE;
  *v2 = out;
  return HNS_S_OK;
}

/* ---- the v1 view of a load balancer or an SDN route ---- */

static int references_out(const cJSON *ids, cJSON *list) {
  cJSON *refs = cJSON_AddArrayToObject(list, "References");
  for (const cJSON *e = ids ? ids->child : NULL; refs && e; e = e->next) {
    char path[64];
    snprintf(path, sizeof path, REF_PREFIX "%s", cJSON_IsString(e) ? e->valuestring : "");
    cJSON_AddItemToArray(refs, cJSON_CreateString(path));
  }
  return refs ? 0 : -1;
}

static double number_or_zero(const cJSON *v) { return cJSON_IsNumber(v) ? v->valuedouble : 0; }

/* One ELB policy per port mapping; InternalPort and ExternalPort are
 * written even when 0, as hcsshim's LBPolicy has them without omitempty. */
static cJSON *elb_out(const cJSON *lb, const cJSON *pm) {
  cJSON *p = cJSON_CreateObject();
  const cJSON *vips = cJSON_GetObjectItem(lb, "FrontendVIPs"), *src = cJSON_GetObjectItem(lb, "SourceVIP");
  const cJSON *proto = cJSON_GetObjectItem(pm, "Protocol");
  uint32_t bits = (uint32_t)number_or_zero(cJSON_GetObjectItem(pm, "Flags"));
  if (!p) return NULL;
  cJSON_AddStringToObject(p, "Type", "ELB");
  if (proto) cJSON_AddItemToObject(p, "Protocol", cJSON_Duplicate(proto, 1));
  cJSON_AddNumberToObject(p, "InternalPort", number_or_zero(cJSON_GetObjectItem(pm, "InternalPort")));
  cJSON_AddNumberToObject(p, "ExternalPort", number_or_zero(cJSON_GetObjectItem(pm, "ExternalPort")));
  if (src) cJSON_AddItemToObject(p, "SourceVIP", cJSON_Duplicate(src, 1));
  if (vips) cJSON_AddItemToObject(p, "VIPs", cJSON_Duplicate(vips, 1));
  if (bits & PORT_ILB) cJSON_AddTrueToObject(p, "ILB");
  if ((uint32_t)number_or_zero(cJSON_GetObjectItem(lb, "Flags")) & LB_DSR) cJSON_AddTrueToObject(p, "IsDSR");
  for (const cJSON *k = pm->child; k; k = k->next) {
    if (!strcmp(k->string, "Flags")) {
      if (bits & ~PORT_ILB) cJSON_AddNumberToObject(p, "Flags", bits & ~PORT_ILB);
    } else if (!cJSON_GetObjectItem(p, k->string)) {
      cJSON_AddItemToObject(p, k->string, cJSON_Duplicate(k, 1));
    }
  }
  return p;
}

static cJSON *route_out(const cJSON *setting) {
  cJSON *p = cJSON_CreateObject();
  if (!p) return NULL;
  cJSON_AddStringToObject(p, "Type", "ROUTE");
  for (const cJSON *k = setting->child; k; k = k->next) cJSON_AddItemToObject(p, k->string, cJSON_Duplicate(k, 1));
  return p;
}

cJSON *hns__v1_policylist_view(const cJSON *v2, hns_object_kind kind) {
  cJSON *list = cJSON_CreateObject(), *policies = NULL;
  if (!list) return NULL;
  cJSON_AddItemToObject(list, "ID", cJSON_Duplicate(cJSON_GetObjectItem(v2, "ID"), 1));
  int rc = references_out(cJSON_GetObjectItem(v2, "HostComputeEndpoints"), list);
  if (!rc && !(policies = cJSON_AddArrayToObject(list, "Policies"))) rc = -1;
  const cJSON *items = cJSON_GetObjectItem(v2, kind == HNS_LOADBALANCER ? "PortMappings" : "Setting");
  for (const cJSON *e = items ? items->child : NULL; !rc && e; e = e->next) {
    cJSON *p = kind == HNS_LOADBALANCER ? elb_out(v2, e) : route_out(e);
    if (!p) rc = -1;
    else cJSON_AddItemToArray(policies, p);
  }
  /* HNS applies a list when it is created: real v1 output shows IsApplied (facts §5.4). */
  if (!rc) cJSON_AddTrueToObject(list, "IsApplied");
  if (rc) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}
