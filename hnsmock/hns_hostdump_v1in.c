/* hns_hostdump_v1in.c: HNS v1 objects, as Get-HnsNetwork, Get-HnsEndpoint,
 * Get-HnsPolicyList and HNSCall's GETs show them, -> the v2 documents of
 * the same objects, by the one mapping hnsmock has (docs/v1-api.md, both
 * ways): networks and policy lists through hnsmock's own request
 * conversions (hns__v1_network_in, hns__v1_policylist_in), which report a
 * refusal through a service, here a scratch one that holds nothing;
 * endpoints by the same table applied here, because hns__v1_endpoint_in
 * looks the endpoint's network up in the service and a dump's endpoint may
 * name a network the dump lacks.
 *
 * What a dump holds beyond a request (HNS wrote it, no client sends it):
 *  - a v1 policy type with no v2 counterpart (VNET, Isolation, ...) is
 *    left out with a note, where a request is refused: the host has it,
 *    the state cannot hold it (inferred);
 *  - an endpoint's State is the v2 State (facts §3.1 Base fields), its
 *    SharedContainers go where hnsmock keeps them (Health.Extra, VDOCS
 *    ExtraParams; docs/v1-api.md), its Namespace's ID is its
 *    HostComputeNamespace; a policy list's State and Version are kept
 *    (real v1 lists show State 2, facts §5.4);
 *  - a policy list without policies (hnsdiag's rows, or a list whose ELB
 *    policies were cut off) is a load balancer without port mappings
 *    (inferred);
 *  - every other key is kept as it is (Version, ActivityId, Resources, ...),
 *    as hnsmock echoes unknown keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_v1_int.h"
#include "hns_hostdump_int.h"
#include "sim_addr.h"

#define REF_PREFIX "/endpoints/"

static hns_hr refused(hns_dump_import *im, hns_hr hr, const char *where) {
  if (hr == HNS_E_OUTOFMEMORY) return hns__dump_oom(im);
  return hns__dump_fail(im, "%s: %s", where, hns_service_last_detail(im->scratch));
}

/* Leaves out the policies of owner.Policies that hnsmock's table has no v2
 * type for at `scope` (nor at `alt`, when not 0: a network-level VLAN or
 * VSID is a subnet policy in v2). Other faults are left for the
 * conversion to refuse with its own message. */
static void drop_unmapped(hns_dump_import *im, cJSON *owner, unsigned scope, unsigned alt, const char *where,
                          const char *at) {
  cJSON *list = cJSON_GetObjectItem(owner, "Policies");
  size_t i = 0;
  for (cJSON *p = cJSON_IsArray(list) ? list->child : NULL, *next; p; p = next, i++) {
    char path[64];
    cJSON *tmp = NULL;
    next = p->next;
    snprintf(path, sizeof path, "%sPolicies[%zu]", at, i);
    hns_hr hr = hns__v1_policy_in(im->scratch, p, scope, path, &tmp);
    cJSON_Delete(tmp);
    tmp = NULL;
    if (hr == HCN_E_INVALID_POLICY_TYPE && alt) hr = hns__v1_policy_in(im->scratch, p, alt, path, &tmp);
    cJSON_Delete(tmp);
    if (hr != HCN_E_INVALID_POLICY_TYPE) continue;
    hns__dump_note(im, HNS_DUMP_NOTE_WARN, "'%s': %s: %s: %s; left out", im->file, where, path,
                   hns_service_last_detail(im->scratch));
    cJSON_Delete(cJSON_DetachItemViaPointer(list, p));
  }
}

hns_hr hns__dump_v1_network(hns_dump_import *im, const cJSON *v1, const char *where, cJSON **v2) {
  cJSON *copy = cJSON_Duplicate(v1, 1);
  *v2 = NULL;
  if (!copy) return hns__dump_oom(im);
  drop_unmapped(im, copy, HNS_V1_NETWORK, HNS_V1_SUBNET, where, "");
  const cJSON *subnets = cJSON_GetObjectItem(copy, "Subnets");
  size_t i = 0;
  for (cJSON *s = cJSON_IsArray(subnets) ? subnets->child : NULL; s; s = s->next, i++) {
    char at[32];
    snprintf(at, sizeof at, "Subnets[%zu].", i);
    drop_unmapped(im, s, HNS_V1_SUBNET, 0, where, at);
  }
  hns_hr hr = hns__v1_network_in(im->scratch, copy, v2);
  cJSON_Delete(copy);
  return HNS_SUCCEEDED(hr) ? hr : refused(im, hr, where);
}

/* ---- endpoints: the table of hns_v1_request.c, on a document alone ---- */

/* "a,b" (v1's DNSServerList, DNSSuffix) -> ["a","b"] in into[as]. */
static hns_hr comma_list(hns_dump_import *im, const cJSON *v1, const char *key, int ips, cJSON *into, const char *as,
                         const char *where) {
  const char *text;
  if (HNS_FAILED(hns__v1_text(im->scratch, v1, key, HNS_K_STRING, "", &text)))
    return refused(im, HNS_E_INVALIDARG, where);
  if (!text) return HNS_S_OK;
  cJSON *arr = cJSON_AddArrayToObject(into, as);
  if (!arr) return hns__dump_oom(im);
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, ",");
    char item[256];
    sim_ip ip;
    snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item ? n : sizeof item - 1), p);
    char *s = item + strspn(item, " ");
    for (size_t k = strlen(s); k && s[k - 1] == ' ';) s[--k] = '\0';
    if (*s && ips && sim_ip_parse(s, &ip))
      return hns__dump_fail(im, "%s: %s: '%s' is not an IP address", where, key, s);
    if (*s) cJSON_AddItemToArray(arr, cJSON_CreateString(s));
    p += n + (p[n] == ',');
  }
  return HNS_S_OK;
}

static hns_hr address_in(hns_dump_import *im, const cJSON *v1, const char *ip_key, const char *len_key, cJSON *configs,
                         const char *where) {
  const char *ip;
  if (HNS_FAILED(hns__v1_text(im->scratch, v1, ip_key, HNS_K_IP, "", &ip))) return refused(im, HNS_E_INVALIDARG, where);
  const cJSON *len = cJSON_GetObjectItem(v1, len_key);
  if (!ip) return HNS_S_OK;
  if (len && !cJSON_IsNull(len) && (!cJSON_IsNumber(len) || len->valuedouble < 0 || len->valuedouble > 128))
    return hns__dump_fail(im, "%s: %s is not a prefix length from 0 to 128", where, len_key);
  cJSON *c = cJSON_CreateObject();
  if (!c) return hns__dump_oom(im);
  cJSON_AddItemToArray(configs, c);
  cJSON_AddStringToObject(c, "IpAddress", ip);
  if (cJSON_IsNumber(len) && len->valuedouble > 0) cJSON_AddNumberToObject(c, "PrefixLength", len->valuedouble);
  return HNS_S_OK;
}

/* GatewayAddress(V6) is the default route (psm1 and the CNI plugins' v2 path, facts §3.4). */
static hns_hr gateway_in(hns_dump_import *im, const cJSON *v1, const char *key, const char *dest, cJSON *v2,
                         const char *where) {
  const char *gw;
  if (HNS_FAILED(hns__v1_text(im->scratch, v1, key, HNS_K_IP, "", &gw))) return refused(im, HNS_E_INVALIDARG, where);
  if (!gw) return HNS_S_OK;
  cJSON *routes = cJSON_GetObjectItem(v2, "Routes");
  if (!routes) routes = cJSON_AddArrayToObject(v2, "Routes");
  cJSON *r = cJSON_CreateObject();
  if (!routes || !r) {
    cJSON_Delete(r);
    return hns__dump_oom(im);
  }
  cJSON_AddItemToArray(routes, r);
  cJSON_AddStringToObject(r, "NextHop", gw);
  cJSON_AddStringToObject(r, "DestinationPrefix", dest);
  return HNS_S_OK;
}

/* IsRemoteEndpoint, DisableICC, EnableLowMetric: EndpointFlags 1, 2, 8 (facts §3.10). */
static hns_hr flags_in(hns_dump_import *im, const cJSON *v1, cJSON *v2, const char *where) {
  static const struct {
    const char *key;
    uint32_t bit;
  } bits[] = {{"IsRemoteEndpoint", 1}, {"DisableICC", 2}, {"EnableLowMetric", 8}};
  uint32_t flags;
  if (HNS_FAILED(hns__v1_u32(im->scratch, v1, "Flags", "", &flags))) return refused(im, HNS_E_INVALIDARG, where);
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
    int on;
    if (HNS_FAILED(hns__v1_bool(im->scratch, v1, bits[i].key, "", &on))) return refused(im, HNS_E_INVALIDARG, where);
    if (on) flags |= bits[i].bit;
  }
  if (flags && !cJSON_AddNumberToObject(v2, "Flags", flags)) return hns__dump_oom(im);
  return HNS_S_OK;
}

static hns_hr policies_in(hns_dump_import *im, cJSON *copy, const cJSON *v1, cJSON *v2, const char *where) {
  drop_unmapped(im, copy, HNS_V1_ENDPOINT, 0, where, "");
  const cJSON *given = cJSON_GetObjectItem(copy, "Policies");
  cJSON *policies = NULL;
  hns_hr hr = given && !cJSON_IsNull(given)
                  ? hns__v1_policies_in(im->scratch, given, HNS_V1_ENDPOINT, "Policies", &policies)
                  : ((policies = cJSON_CreateArray()) ? HNS_S_OK : HNS_E_OUTOFMEMORY);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_fields_in(im->scratch, v1, HNS_V1_ENDPOINT, policies);
  if (HNS_FAILED(hr)) {
    cJSON_Delete(policies);
    return refused(im, hr, where);
  }
  if (policies->child)
    cJSON_AddItemToObject(v2, "Policies", policies);
  else
    cJSON_Delete(policies);
  return HNS_S_OK;
}

/* SharedContainers -> Health.Extra.SharedContainers; the Namespace's ID ->
 * HostComputeNamespace; v1's own Health (LastErrorCode, ...) is kept. */
static hns_hr held_in(hns_dump_import *im, const cJSON *v1, cJSON *v2) {
  const cJSON *health = cJSON_GetObjectItem(v1, "Health"), *shared = cJSON_GetObjectItem(v1, "SharedContainers");
  const char *ns = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(v1, "Namespace"), "ID"));
  if (ns && !cJSON_AddStringToObject(v2, "HostComputeNamespace", ns)) return hns__dump_oom(im);
  if (!cJSON_IsObject(health) && !(cJSON_IsArray(shared) && shared->child)) return HNS_S_OK;
  cJSON *h = cJSON_IsObject(health) ? cJSON_Duplicate(health, 1) : cJSON_CreateObject();
  if (!h) return hns__dump_oom(im);
  cJSON_AddItemToObject(v2, "Health", h);
  if (!cJSON_IsArray(shared) || !shared->child) return HNS_S_OK;
  cJSON *extra = cJSON_GetObjectItem(h, "Extra");
  if (!cJSON_IsObject(extra)) {
    cJSON_DeleteItemFromObject(h, "Extra");
    extra = cJSON_AddObjectToObject(h, "Extra");
  }
  cJSON *copy = cJSON_Duplicate(shared, 1);
  if (!extra || !copy) {
    cJSON_Delete(copy);
    return hns__dump_oom(im);
  }
  cJSON_AddItemToObject(extra, "SharedContainers", copy);
  return HNS_S_OK;
}

hns_hr hns__dump_v1_endpoint(hns_dump_import *im, const cJSON *v1, const char *where, cJSON **v2) {
  static const char *const handled[] = {
      "VirtualNetwork",   "VirtualNetworkName", "IPAddress",  "PrefixLength",    "IPv6Address",
      "IPv6PrefixLength", "DNSServerList",      "DNSSuffix",  "DNSDomain",       "GatewayAddress",
      "GatewayAddressV6", "IsRemoteEndpoint",   "DisableICC", "EnableLowMetric", "Flags",
      "Policies",         "SharedContainers",   "Namespace",  "Health",          NULL};
  const char *network, *network_name, *mac, *domain;
  cJSON *out = cJSON_CreateObject(), *copy = cJSON_Duplicate(v1, 1), *configs = cJSON_CreateArray(),
        *dns = cJSON_CreateObject();
  *v2 = NULL;
  hns_hr hr = out && copy && configs && dns ? HNS_S_OK : hns__dump_oom(im);
  if (HNS_SUCCEEDED(hr) &&
      (HNS_FAILED(hns__v1_text(im->scratch, v1, "VirtualNetwork", HNS_K_GUID, "", &network)) ||
       HNS_FAILED(hns__v1_text(im->scratch, v1, "VirtualNetworkName", HNS_K_STRING, "", &network_name)) ||
       HNS_FAILED(hns__v1_text(im->scratch, v1, "MacAddress", HNS_K_MAC, "", &mac)) ||
       HNS_FAILED(hns__v1_text(im->scratch, v1, "DNSDomain", HNS_K_STRING, "", &domain))))
    hr = refused(im, HNS_E_INVALIDARG, where);
  /* A network known by its name only (an hnsdiag row) is resolved when the host is finished. */
  if (HNS_SUCCEEDED(hr) && (network || network_name))
    hr = cJSON_AddStringToObject(out, network ? "HostComputeNetwork" : "VirtualNetworkName",
                                 network ? network : network_name)
             ? HNS_S_OK
             : hns__dump_oom(im);
  if (HNS_SUCCEEDED(hr)) hr = address_in(im, v1, "IPAddress", "PrefixLength", configs, where);
  if (HNS_SUCCEEDED(hr)) hr = address_in(im, v1, "IPv6Address", "IPv6PrefixLength", configs, where);
  if (HNS_SUCCEEDED(hr)) hr = comma_list(im, v1, "DNSServerList", 1, dns, "ServerList", where);
  if (HNS_SUCCEEDED(hr)) hr = comma_list(im, v1, "DNSSuffix", 0, dns, "Search", where);
  if (HNS_SUCCEEDED(hr) && domain) hr = cJSON_AddStringToObject(dns, "Domain", domain) ? HNS_S_OK : hns__dump_oom(im);
  if (HNS_SUCCEEDED(hr)) hr = gateway_in(im, v1, "GatewayAddress", "0.0.0.0/0", out, where);
  if (HNS_SUCCEEDED(hr)) hr = gateway_in(im, v1, "GatewayAddressV6", "::/0", out, where);
  if (HNS_SUCCEEDED(hr)) hr = flags_in(im, v1, out, where);
  if (HNS_SUCCEEDED(hr)) hr = policies_in(im, copy, v1, out, where);
  if (HNS_SUCCEEDED(hr)) hr = held_in(im, v1, out);
  if (HNS_SUCCEEDED(hr) && configs->child) {
    cJSON_AddItemToObject(out, "IpConfigurations", configs);
    configs = NULL;
  }
  if (HNS_SUCCEEDED(hr) && dns->child) {
    cJSON_AddItemToObject(out, "Dns", dns);
    dns = NULL;
  }
  for (const cJSON *k = HNS_SUCCEEDED(hr) ? v1->child : NULL; k; k = k->next) {
    int skip = hns__v1_is_policy_field(k->string, HNS_V1_ENDPOINT) || cJSON_GetObjectItem(out, k->string);
    for (size_t i = 0; !skip && handled[i]; i++) skip = !strcasecmp(handled[i], k->string);
    if (!skip) cJSON_AddItemToObject(out, k->string, cJSON_Duplicate(k, 1));
  }
  cJSON_Delete(copy);
  cJSON_Delete(configs);
  cJSON_Delete(dns);
  if (HNS_FAILED(hr)) {
    cJSON_Delete(out);
    return hr;
  }
  *v2 = out;
  return HNS_S_OK;
}

/* ---- policy lists ---- */

/* A list without policies: a load balancer that names its endpoints only. */
static hns_hr bare_list(hns_dump_import *im, const cJSON *v1, const char *where, cJSON **v2) {
  const cJSON *refs = cJSON_GetObjectItem(v1, "References"), *id = cJSON_GetObjectItem(v1, "ID");
  cJSON *out = cJSON_CreateObject(), *eps = cJSON_AddArrayToObject(out, "HostComputeEndpoints");
  if (!out || !eps || (id && !cJSON_AddItemToObject(out, "ID", cJSON_Duplicate(id, 1)))) {
    cJSON_Delete(out);
    return hns__dump_oom(im);
  }
  size_t i = 0;
  for (const cJSON *r = cJSON_IsArray(refs) ? refs->child : NULL; r; r = r->next, i++) {
    const char *s = cJSON_IsString(r) ? r->valuestring : "";
    hns_guid g;
    if (strncasecmp(s, REF_PREFIX, strlen(REF_PREFIX)) || hns_guid_parse(s + strlen(REF_PREFIX), &g)) {
      cJSON_Delete(out);
      return hns__dump_fail(im, "%s: References[%zu]: '%.64s' is not \"/endpoints/<ID>\"", where, i, s);
    }
    cJSON_AddItemToArray(eps, cJSON_CreateString(s + strlen(REF_PREFIX)));
  }
  *v2 = out;
  return HNS_S_OK;
}

hns_hr hns__dump_v1_policylist(hns_dump_import *im, const cJSON *v1, const char *where, cJSON **v2) {
  static const char *const kept[] = {"State", "Version"};
  const cJSON *policies = cJSON_GetObjectItem(v1, "Policies");
  hns_object_kind kind = HNS_LOADBALANCER;
  *v2 = NULL;
  if (!cJSON_IsArray(policies) || !policies->child) {
    hns_hr hr = bare_list(im, v1, where, v2);
    if (HNS_FAILED(hr)) return hr;
  } else {
    hns_hr hr = hns__v1_policylist_in(im->scratch, v1, &kind, v2);
    if (HNS_FAILED(hr)) return refused(im, hr, where);
  }
  if (kind == HNS_SDNROUTE) {
    cJSON_Delete(*v2);
    *v2 = NULL;
    im->skipped++;
    hns__dump_note(im, HNS_DUMP_NOTE_INFO,
                   "'%s': %s holds ROUTE policies, an SDN route, which a host state does not hold; left out", im->file,
                   where);
    return HNS_S_OK;
  }
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
    const cJSON *v = cJSON_GetObjectItem(v1, kept[i]);
    if (cJSON_IsNumber(v) && !cJSON_AddItemToObject(*v2, kept[i], cJSON_Duplicate(v, 1))) {
      cJSON_Delete(*v2);
      *v2 = NULL;
      return hns__dump_oom(im);
    }
  }
  return HNS_S_OK;
}
