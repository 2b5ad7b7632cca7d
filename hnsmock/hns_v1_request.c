/* hns_v1_request.c: HNS v1 request bodies (hcsshim internal/hns HNSNetwork,
 * HNSEndpoint, PolicyList, namespaceRequest; facts §5) turned into the v2
 * documents hns_create takes, so that an object POSTed through HNSCall is
 * the object HcnCreate* would have made.
 *
 * Fields are checked here under their v1 names ("Subnets[0].GatewayAddress:
 * expected an IP address, got ..."), with the HRESULT the v2 parser gives
 * the same fault. Keys this file does not translate are carried over as
 * they are (ID, Name, Flags, AdditionalParams, and keys hnsmock does not
 * know, which both views then echo) (inferred). Fields only HNS writes
 * (State, SharedContainers, Namespace, Extensions, IsApplied, ResourceList,
 * CompartmentId) are ignored on input, so a document read with GET can be
 * POSTed back, as hcsshim's HNSEndpoint.Update does (inferred). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_addr.h"
#include "hns_v1_int.h"

static hns_hr oom(hns_service *svc) { return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory"); }

static hns_hr wrong_type(hns_service *svc, const char *where, const char *key, const cJSON *v, const char *want) {
  char *shown = cJSON_PrintUnformatted(v);
  hns_hr hr = hns__fail(svc, NULL, HCN_E_INVALID_JSON, "%s%s: expected %s, got %.64s", where, key, want, shown ? shown : "?");
  free(shown);
  return hr;
}

hns_hr hns__v1_text(hns_service *svc, const cJSON *body, const char *key, int kind, const char *where, const char **out) {
  const cJSON *v = cJSON_GetObjectItem(body, key); /* keys match in any case, as in the v2 schema */
  *out = NULL;
  if (!v || cJSON_IsNull(v)) return HNS_S_OK;
  if (!cJSON_IsString(v)) return wrong_type(svc, where, key, v, "a string");
  const char *s = v->valuestring;
  sim_ip ip;
  sim_prefix prefix;
  sim_mac mac;
  hns_guid guid;
  if (!*s) return HNS_S_OK;
  if (kind == HNS_K_IP && sim_ip_parse(s, &ip))
    return hns__fail(svc, NULL, HCN_E_INVALID_IP, "%s%s: expected an IP address, got \"%.64s\"", where, key, s);
  if (kind == HNS_K_PREFIX && sim_prefix_parse(s, &prefix))
    return hns__fail(svc, NULL, HCN_E_INVALID_PREFIX, "%s%s: expected an address prefix such as 10.0.0.0/24, got \"%.64s\"",
                     where, key, s);
  if (kind == HNS_K_MAC && sim_mac_parse(s, &mac))
    return hns__fail(svc, NULL, HNS_E_INVALIDARG, "%s%s: expected a MAC address such as 00-15-5D-00-00-01, got \"%.64s\"",
                     where, key, s);
  if (kind == HNS_K_GUID && hns_guid_parse(s, &guid))
    return hns__fail(svc, NULL, HCN_E_GUID_CONVERSION_FAILURE, "%s%s: expected a GUID, got \"%.64s\"", where, key, s);
  *out = s;
  return HNS_S_OK;
}

hns_hr hns__v1_bool(hns_service *svc, const cJSON *body, const char *key, const char *where, int *out) {
  const cJSON *v = cJSON_GetObjectItem(body, key);
  *out = 0;
  if (!v || cJSON_IsNull(v)) return HNS_S_OK;
  if (!cJSON_IsBool(v)) return wrong_type(svc, where, key, v, "true or false");
  *out = cJSON_IsTrue(v);
  return HNS_S_OK;
}

hns_hr hns__v1_u32(hns_service *svc, const cJSON *body, const char *key, const char *where, uint32_t *out) {
  const cJSON *v = cJSON_GetObjectItem(body, key);
  *out = 0;
  if (!v || cJSON_IsNull(v)) return HNS_S_OK;
  if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 4294967295.0) ||
      (double)(uint32_t)v->valuedouble != v->valuedouble)
    return wrong_type(svc, where, key, v, "an integer from 0 to 4294967295");
  *out = (uint32_t)v->valuedouble;
  return HNS_S_OK;
}

/* v1 writes address lists as one comma-separated string (DNSServerList);
 * v2 as an array. */
static hns_hr comma_list(hns_service *svc, const cJSON *body, const char *key, int ips, cJSON *into, const char *as) {
  const char *text;
  hns_hr hr = hns__v1_text(svc, body, key, HNS_K_STRING, "", &text);
  if (HNS_FAILED(hr) || !text) return hr;
  cJSON *arr = cJSON_AddArrayToObject(into, as);
  if (!arr) return oom(svc);
  for (const char *p = text; *p;) {
    size_t n = strcspn(p, ",");
    char item[256]; /* a DNS name is at most 253 characters */
    sim_ip ip;
    while (n && (*p == ' ')) p++, n--;
    while (n && p[n - 1] == ' ') n--;
    snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item ? n : sizeof item - 1), p);
    if (*item && ips && sim_ip_parse(item, &ip))
      return hns__fail(svc, NULL, HCN_E_INVALID_IP, "%s: \"%s\" is not an IP address", key, item);
    if (*item) cJSON_AddItemToArray(arr, cJSON_CreateString(item));
    p += strcspn(p, ",");
    if (*p == ',') p++;
  }
  return HNS_S_OK;
}

/* Copies every key of v1 that `skip` does not name and v2 lacks. */
static void copy_rest(const cJSON *v1, cJSON *v2, const char *const *skip, unsigned scope) {
  for (const cJSON *k = v1->child; k; k = k->next) {
    int skipped = hns__v1_is_policy_field(k->string, scope) || cJSON_GetObjectItem(v2, k->string);
    for (size_t i = 0; !skipped && skip[i]; i++) skipped = !strcasecmp(skip[i], k->string);
    if (!skipped) cJSON_AddItemToObject(v2, k->string, cJSON_Duplicate(k, 1));
  }
}

static cJSON *default_route(const char *gateway) {
  sim_ip ip;
  cJSON *r = cJSON_CreateObject();
  if (!r || sim_ip_parse(gateway, &ip)) return r;
  cJSON_AddStringToObject(r, "NextHop", gateway);
  cJSON_AddStringToObject(r, "DestinationPrefix", ip.family == 6 ? "::/0" : "0.0.0.0/0");
  return r;
}

/* ---- networks ---- */

static int is_isolation(const cJSON *p) {
  const cJSON *type = cJSON_GetObjectItem(p, "Type");
  return cJSON_IsString(type) && !cJSON_GetObjectItem(p, "Settings") &&
         (!strcasecmp(type->valuestring, "VLAN") || !strcasecmp(type->valuestring, "VSID"));
}

/* Subnets[i] -> an Ipam subnet. `isolation` holds the network-level VLAN and
 * VSID policies, which v2 has only on subnets (facts §3.8): every subnet
 * gets them (inferred). */
static hns_hr subnet_in(hns_service *svc, const cJSON *s, size_t i, const cJSON *isolation, cJSON **out) {
  static const char *const skip[] = {"AddressPrefix", "GatewayAddress", "Policies", NULL};
  char where[48];
  const char *prefix, *gateway;
  snprintf(where, sizeof where, "Subnets[%zu].", i);
  *out = NULL;
  if (!cJSON_IsObject(s)) return wrong_type(svc, "Subnets", "", s, "an array of subnet objects");
  hns_hr hr = hns__v1_text(svc, s, "AddressPrefix", HNS_K_PREFIX, where, &prefix);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, s, "GatewayAddress", HNS_K_IP, where, &gateway);
  if (HNS_FAILED(hr)) return hr;
  if (!prefix) return hns__fail(svc, NULL, HCN_E_INVALID_SUBNET, "%sAddressPrefix is missing", where);
  cJSON *v2 = cJSON_CreateObject(), *policies = NULL;
  if (!v2) return oom(svc);
  cJSON_AddStringToObject(v2, "IpAddressPrefix", prefix);
  if (gateway) cJSON_AddItemToArray(cJSON_AddArrayToObject(v2, "Routes"), default_route(gateway));
  const cJSON *given = cJSON_GetObjectItem(s, "Policies");
  snprintf(where, sizeof where, "Subnets[%zu].Policies", i);
  hr = given && !cJSON_IsNull(given) ? hns__v1_policies_in(svc, given, HNS_V1_SUBNET, where, &policies)
                                     : ((policies = cJSON_CreateArray()) ? HNS_S_OK : oom(svc));
  for (const cJSON *p = isolation->child; p && HNS_SUCCEEDED(hr); p = p->next) {
    cJSON *one;
    if (HNS_SUCCEEDED(hr = hns__v1_policy_in(svc, p, HNS_V1_SUBNET, "Policies", &one))) cJSON_AddItemToArray(policies, one);
  }
  if (HNS_FAILED(hr)) {
    cJSON_Delete(policies);
    cJSON_Delete(v2);
    return hr;
  }
  if (policies->child) cJSON_AddItemToObject(v2, "Policies", policies);
  else cJSON_Delete(policies);
  copy_rest(s, v2, skip, 0);
  *out = v2;
  return HNS_S_OK;
}

static hns_hr network_policies(hns_service *svc, const cJSON *v1, cJSON *v2, cJSON *isolation) {
  const cJSON *given = cJSON_GetObjectItem(v1, "Policies");
  cJSON *policies = cJSON_AddArrayToObject(v2, "Policies");
  if (!policies) return oom(svc);
  if (given && !cJSON_IsNull(given) && !cJSON_IsArray(given)) return wrong_type(svc, "", "Policies", given, "an array of policies");
  size_t i = 0;
  for (const cJSON *p = given ? given->child : NULL; p; p = p->next, i++) {
    char path[32];
    cJSON *one;
    snprintf(path, sizeof path, "Policies[%zu]", i);
    if (is_isolation(p)) {
      cJSON_AddItemToArray(isolation, cJSON_Duplicate(p, 1));
      continue;
    }
    hns_hr hr = hns__v1_policy_in(svc, p, HNS_V1_NETWORK, path, &one);
    if (HNS_FAILED(hr)) return hr;
    cJSON_AddItemToArray(policies, one);
  }
  return hns__v1_fields_in(svc, v1, HNS_V1_NETWORK, policies);
}

static hns_hr network_subnets(hns_service *svc, const cJSON *v1, cJSON *v2, const cJSON *isolation) {
  const cJSON *subnets = cJSON_GetObjectItem(v1, "Subnets");
  if (!subnets || cJSON_IsNull(subnets)) {
    if (isolation->child) /* (inferred) */
      return hns__fail(svc, NULL, HCN_E_INVALID_POLICY, "Policies: VLAN and VSID policies apply to the network's subnets, and it has none");
    return HNS_S_OK;
  }
  if (!cJSON_IsArray(subnets)) return wrong_type(svc, "", "Subnets", subnets, "an array of subnet objects");
  cJSON *ipam = cJSON_CreateObject();
  if (!ipam) return oom(svc);
  cJSON_AddItemToArray(cJSON_AddArrayToObject(v2, "Ipams"), ipam);
  cJSON_AddStringToObject(ipam, "Type", "Static");
  cJSON *list = cJSON_AddArrayToObject(ipam, "Subnets");
  size_t i = 0;
  for (const cJSON *s = subnets->child; s; s = s->next, i++) {
    cJSON *one;
    hns_hr hr = subnet_in(svc, s, i, isolation, &one);
    if (HNS_FAILED(hr)) return hr;
    cJSON_AddItemToArray(list, one);
  }
  return HNS_S_OK;
}

static hns_hr network_mac_pools(hns_service *svc, const cJSON *v1, cJSON *v2) {
  const cJSON *pools = cJSON_GetObjectItem(v1, "MacPools");
  if (!pools || cJSON_IsNull(pools)) return HNS_S_OK;
  if (!cJSON_IsArray(pools)) return wrong_type(svc, "", "MacPools", pools, "an array of {StartMacAddress, EndMacAddress}");
  cJSON *ranges = cJSON_AddArrayToObject(cJSON_AddObjectToObject(v2, "MacPool"), "Ranges");
  size_t i = 0;
  for (const cJSON *p = pools->child; p; p = p->next, i++) {
    char where[32];
    const char *start, *end;
    snprintf(where, sizeof where, "MacPools[%zu].", i);
    if (!cJSON_IsObject(p)) return wrong_type(svc, where, "", p, "an object");
    hns_hr hr = hns__v1_text(svc, p, "StartMacAddress", HNS_K_MAC, where, &start);
    if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, p, "EndMacAddress", HNS_K_MAC, where, &end);
    if (HNS_FAILED(hr)) return hr;
    cJSON_AddItemToArray(ranges, cJSON_Duplicate(p, 1));
  }
  return HNS_S_OK;
}

hns_hr hns__v1_network_in(hns_service *svc, const cJSON *v1, cJSON **v2) {
  static const char *const skip[] = {"Subnets", "MacPools", "DNSServerList", "DNSSuffix", "Policies", "Extensions", NULL};
  *v2 = NULL;
  if (!cJSON_IsObject(v1)) return wrong_type(svc, "", "the request", v1, "an HNSNetwork object");
  const char *suffix;
  cJSON *out = cJSON_CreateObject(), *isolation = cJSON_CreateArray(), *dns = cJSON_CreateObject();
  hns_hr hr = out && isolation && dns ? HNS_S_OK : oom(svc);
  if (HNS_SUCCEEDED(hr)) hr = network_policies(svc, v1, out, isolation);
  if (HNS_SUCCEEDED(hr)) hr = network_subnets(svc, v1, out, isolation);
  if (HNS_SUCCEEDED(hr)) hr = network_mac_pools(svc, v1, out);
  if (HNS_SUCCEEDED(hr)) hr = comma_list(svc, v1, "DNSServerList", 1, dns, "ServerList");
  /* DNSSuffix is the network's one domain (inferred; endpoints differ). */
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, v1, "DNSSuffix", HNS_K_STRING, "", &suffix);
  if (HNS_SUCCEEDED(hr) && suffix) cJSON_AddStringToObject(dns, "Domain", suffix);
  cJSON_Delete(isolation);
  if (HNS_FAILED(hr)) {
    cJSON_Delete(out);
    cJSON_Delete(dns);
    return hr;
  }
  if (dns->child) cJSON_AddItemToObject(out, "Dns", dns);
  else cJSON_Delete(dns);
  copy_rest(v1, out, skip, HNS_V1_NETWORK);
  *v2 = out;
  return HNS_S_OK;
}

/* ---- endpoints ---- */

static hns_hr endpoint_network(hns_service *svc, const cJSON *v1, hns_object *fixed, hns_object **network) {
  const char *id, *name;
  hns_hr hr = hns__v1_text(svc, v1, "VirtualNetwork", HNS_K_GUID, "", &id);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, v1, "VirtualNetworkName", HNS_K_STRING, "", &name);
  if (HNS_FAILED(hr)) return hr;
  hns_object *by_id = id ? hns__lookup_text(svc, HNS_NETWORK, id) : NULL;
  hns_object *by_name = name && !id ? hns__find_name(svc, HNS_NETWORK, name) : NULL;
  if (id && !by_id) return hns__fail(svc, NULL, HCN_E_NETWORK_NOT_FOUND, "VirtualNetwork: no network with ID %s", id);
  if (name && !id && !by_name)
    return hns__fail(svc, NULL, HCN_E_NETWORK_NOT_FOUND, "VirtualNetworkName: no network called '%s'", name);
  *network = by_id ? by_id : by_name ? by_name : fixed;
  if (!*network) /* (inferred) */
    return hns__fail(svc, NULL, HCN_E_INVALID_ENDPOINT, "VirtualNetwork: an endpoint needs its network (VirtualNetwork or VirtualNetworkName)");
  if (fixed && *network != fixed)
    return hns__fail(svc, NULL, HNS_E_INVALIDARG, "VirtualNetwork: endpoint is on network %s and cannot move", fixed->id_text);
  return HNS_S_OK;
}

static hns_hr endpoint_address(hns_service *svc, const cJSON *v1, const char *ip_key, const char *len_key, cJSON *configs) {
  const char *ip;
  hns_hr hr = hns__v1_text(svc, v1, ip_key, HNS_K_IP, "", &ip);
  const cJSON *len = cJSON_GetObjectItem(v1, len_key);
  if (HNS_FAILED(hr) || !ip) return hr;
  if (len && !cJSON_IsNull(len) && (!cJSON_IsNumber(len) || len->valuedouble < 0 || len->valuedouble > 128))
    return wrong_type(svc, "", len_key, len, "a prefix length from 0 to 128");
  cJSON *c = cJSON_CreateObject();
  if (!c) return oom(svc);
  cJSON_AddStringToObject(c, "IpAddress", ip);
  if (cJSON_IsNumber(len) && len->valuedouble > 0) cJSON_AddNumberToObject(c, "PrefixLength", len->valuedouble);
  cJSON_AddItemToArray(configs, c);
  return HNS_S_OK;
}

/* IsRemoteEndpoint, DisableICC and EnableLowMetric are EndpointFlags bits
 * 1, 2 and 8 in v2 (SDN hns.v2.psm1, facts §3.10). */
static hns_hr endpoint_flags(hns_service *svc, const cJSON *v1, cJSON *v2) {
  static const struct { const char *key; uint32_t bit; } bits[] = {
      {"IsRemoteEndpoint", 1}, {"DisableICC", 2}, {"EnableLowMetric", 8}};
  uint32_t flags;
  hns_hr given = hns__v1_u32(svc, v1, "Flags", "", &flags);
  if (HNS_FAILED(given)) return given;
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
    int on;
    hns_hr hr = hns__v1_bool(svc, v1, bits[i].key, "", &on);
    if (HNS_FAILED(hr)) return hr;
    if (on) flags |= bits[i].bit;
  }
  if (flags) cJSON_AddNumberToObject(v2, "Flags", flags);
  return HNS_S_OK;
}

/* DNSSuffix is the search list and DNSDomain the domain: the CNI plugins
 * fill DNSSuffix from the same Search list they give v2's Dns.Search
 * (containernetworking/plugins pkg/hns, consumers §2.1). */
static hns_hr endpoint_dns_routes(hns_service *svc, const cJSON *v1, cJSON *v2) {
  const char *domain, *gw4, *gw6;
  cJSON *dns = cJSON_CreateObject();
  hns_hr hr = dns ? comma_list(svc, v1, "DNSServerList", 1, dns, "ServerList") : oom(svc);
  if (HNS_SUCCEEDED(hr)) hr = comma_list(svc, v1, "DNSSuffix", 0, dns, "Search");
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, v1, "DNSDomain", HNS_K_STRING, "", &domain);
  if (HNS_SUCCEEDED(hr) && domain) cJSON_AddStringToObject(dns, "Domain", domain);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, v1, "GatewayAddress", HNS_K_IP, "", &gw4);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, v1, "GatewayAddressV6", HNS_K_IP, "", &gw6);
  if (HNS_FAILED(hr) || !dns->child) cJSON_Delete(dns);
  else cJSON_AddItemToObject(v2, "Dns", dns);
  if (HNS_FAILED(hr)) return hr;
  /* The gateway is the default route (psm1 and the CNI plugins' v2 path write it so, facts §3.4). */
  if (gw4 || gw6) {
    cJSON *routes = cJSON_AddArrayToObject(v2, "Routes");
    if (gw4) cJSON_AddItemToArray(routes, default_route(gw4));
    if (gw6) cJSON_AddItemToArray(routes, default_route(gw6));
  }
  return HNS_S_OK;
}

hns_hr hns__v1_endpoint_in(hns_service *svc, const cJSON *v1, hns_object *fixed, hns_object **network, cJSON **v2) {
  static const char *const skip[] = {"VirtualNetwork", "VirtualNetworkName", "IPAddress", "PrefixLength", "IPv6Address",
                                     "IPv6PrefixLength", "DNSServerList", "DNSSuffix", "DNSDomain", "GatewayAddress",
                                     "GatewayAddressV6", "IsRemoteEndpoint", "DisableICC", "EnableLowMetric", "Policies",
                                     "State", "SharedContainers", "Namespace", NULL};
  *v2 = NULL;
  if (!cJSON_IsObject(v1)) return wrong_type(svc, "", "the request", v1, "an HNSEndpoint object");
  const char *mac;
  const cJSON *given = cJSON_GetObjectItem(v1, "Policies");
  cJSON *out = cJSON_CreateObject(), *configs = cJSON_CreateArray(), *policies = NULL;
  hns_hr hr = out && configs ? endpoint_network(svc, v1, fixed, network) : oom(svc);
  if (HNS_SUCCEEDED(hr)) hr = endpoint_address(svc, v1, "IPAddress", "PrefixLength", configs);
  if (HNS_SUCCEEDED(hr)) hr = endpoint_address(svc, v1, "IPv6Address", "IPv6PrefixLength", configs);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, v1, "MacAddress", HNS_K_MAC, "", &mac);
  if (HNS_SUCCEEDED(hr)) hr = endpoint_flags(svc, v1, out);
  if (HNS_SUCCEEDED(hr)) hr = endpoint_dns_routes(svc, v1, out);
  if (HNS_SUCCEEDED(hr))
    hr = given && !cJSON_IsNull(given) ? hns__v1_policies_in(svc, given, HNS_V1_ENDPOINT, "Policies", &policies)
                                       : ((policies = cJSON_CreateArray()) ? HNS_S_OK : oom(svc));
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_fields_in(svc, v1, HNS_V1_ENDPOINT, policies);
  if (HNS_FAILED(hr)) {
    cJSON_Delete(out);
    cJSON_Delete(configs);
    cJSON_Delete(policies);
    return hr;
  }
  cJSON_AddStringToObject(out, "HostComputeNetwork", (*network)->id_text);
  if (configs->child) cJSON_AddItemToObject(out, "IpConfigurations", configs);
  else cJSON_Delete(configs);
  cJSON_AddItemToObject(out, "Policies", policies);
  copy_rest(v1, out, skip, HNS_V1_ENDPOINT);
  *v2 = out;
  return HNS_S_OK;
}
