/* hns_v1_viewparts.c: the parts of a v1 view that come from the v2
 * document alone (keys copied or renamed, lists joined, default gateways,
 * policies, subnets, addresses, endpoint flags), shared by the live views
 * of hns_v1_view.c and the exported host dumps of hns_hostdump_v1out.c.
 * Keys of the v2 document are matched in any case (an imported document
 * may spell them otherwise); a key already in the view is never added
 * twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_v1_int.h"
#include "sim_addr.h"

void hns__v1v_copy_key(const cJSON *from, const char *key, cJSON *to, const char *as) {
  const cJSON *v = cJSON_GetObjectItem(from, key);
  if (v && !cJSON_GetObjectItemCaseSensitive(to, as)) cJSON_AddItemToObject(to, as, cJSON_Duplicate(v, 1));
}

const char *const hns__v1v_network_skip[] = {"Ipams", "MacPool", "Dns", "Policies", "SchemaVersion", "Health", NULL};
const char *const hns__v1v_endpoint_skip[] = {"HostComputeNetwork", "HostComputeNamespace", "Policies", "IpConfigurations",
                                              "Dns", "Routes", "Flags", "Health", "SchemaVersion", NULL};

void hns__v1v_copy_rest(const cJSON *from, cJSON *to, const char *const *skip) {
  for (const cJSON *k = from ? from->child : NULL; k; k = k->next) {
    int skipped = cJSON_GetObjectItem(to, k->string) != NULL;
    for (size_t i = 0; !skipped && skip[i]; i++) skipped = !strcasecmp(skip[i], k->string);
    if (!skipped) cJSON_AddItemToObject(to, k->string, cJSON_Duplicate(k, 1));
  }
}

void hns__v1v_join_key(const cJSON *from, const char *key, cJSON *to, const char *as) {
  const cJSON *list = cJSON_GetObjectItem(from, key);
  size_t len = 1;
  for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next)
    if (cJSON_IsString(e)) len += strlen(e->valuestring) + 1;
  if (len == 1) return;
  char *text = malloc(len);
  if (!text) return;
  text[0] = '\0';
  for (const cJSON *e = list->child; e; e = e->next)
    if (cJSON_IsString(e)) {
      if (*text) strcat(text, ",");
      strcat(text, e->valuestring);
    }
  cJSON_AddStringToObject(to, as, text);
  free(text);
}

const char *hns__v1v_gateway(const cJSON *routes, int family) {
  for (const cJSON *r = cJSON_IsArray(routes) ? routes->child : NULL; r; r = r->next) {
    const char *dest = cJSON_GetStringValue(cJSON_GetObjectItem(r, "DestinationPrefix"));
    const char *hop = cJSON_GetStringValue(cJSON_GetObjectItem(r, "NextHop"));
    sim_prefix p;
    if (dest && hop && !sim_prefix_parse(dest, &p) && p.len == 0 && p.addr.family == family) return hop;
  }
  return NULL;
}

int hns__v1v_policies(const cJSON *v2, unsigned scope, cJSON *to) {
  cJSON *list = cJSON_CreateArray();
  if (!list || hns__v1_policies_out(cJSON_GetObjectItem(v2, "Policies"), scope, list, to)) {
    cJSON_Delete(list);
    return -1;
  }
  if (list->child) cJSON_AddItemToObject(to, "Policies", list);
  else cJSON_Delete(list);
  return 0;
}

/* One v2 subnet as v1's {AddressPrefix, GatewayAddress, Policies, ...}. */
static cJSON *subnet_view(const cJSON *sub) {
  static const char *const skip[] = {"IpAddressPrefix", "Routes", "Policies", NULL};
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  hns__v1v_copy_key(sub, "IpAddressPrefix", out, "AddressPrefix");
  const cJSON *routes = cJSON_GetObjectItem(sub, "Routes");
  const char *gw = hns__v1v_gateway(routes, 4) ? hns__v1v_gateway(routes, 4) : hns__v1v_gateway(routes, 6);
  if (gw) cJSON_AddStringToObject(out, "GatewayAddress", gw);
  if (hns__v1v_policies(sub, HNS_V1_SUBNET, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  hns__v1v_copy_rest(sub, out, skip);
  return out;
}

int hns__v1v_network_body(const cJSON *v2, cJSON *out) {
  cJSON *subnets = cJSON_CreateArray();
  if (!subnets) return -1;
  const cJSON *ipams = cJSON_GetObjectItem(v2, "Ipams");
  for (const cJSON *ipam = cJSON_IsArray(ipams) ? ipams->child : NULL; ipam; ipam = ipam->next) {
    const cJSON *list = cJSON_GetObjectItem(ipam, "Subnets");
    for (const cJSON *sub = cJSON_IsArray(list) ? list->child : NULL; sub; sub = sub->next)
      cJSON_AddItemToArray(subnets, subnet_view(sub));
  }
  if (subnets->child) cJSON_AddItemToObject(out, "Subnets", subnets);
  else cJSON_Delete(subnets);
  hns__v1v_copy_key(cJSON_GetObjectItem(v2, "MacPool"), "Ranges", out, "MacPools");
  const cJSON *dns = cJSON_GetObjectItem(v2, "Dns");
  hns__v1v_copy_key(dns, "Domain", out, "DNSSuffix");
  hns__v1v_join_key(dns, "ServerList", out, "DNSServerList");
  return hns__v1v_policies(v2, HNS_V1_NETWORK, out);
}

/* The first IpConfiguration of `family`, written as v1's address fields. */
static void address_view(const cJSON *v2, int family, cJSON *out, const char *ip_key, const char *len_key) {
  const cJSON *configs = cJSON_GetObjectItem(v2, "IpConfigurations");
  for (const cJSON *c = cJSON_IsArray(configs) ? configs->child : NULL; c; c = c->next) {
    const char *ip = cJSON_GetStringValue(cJSON_GetObjectItem(c, "IpAddress"));
    sim_ip parsed;
    if (!ip || sim_ip_parse(ip, &parsed) || parsed.family != family) continue;
    cJSON_AddStringToObject(out, ip_key, ip);
    hns__v1v_copy_key(c, "PrefixLength", out, len_key);
    return;
  }
}

static void flags_view(const cJSON *v2, cJSON *out) {
  static const struct {
    const char *key;
    uint32_t bit;
  } bits[] = {{"IsRemoteEndpoint", 1}, {"DisableICC", 2}, {"EnableLowMetric", 8}};
  const cJSON *flags = cJSON_GetObjectItem(v2, "Flags");
  uint32_t left = cJSON_IsNumber(flags) && flags->valuedouble >= 0 ? (uint32_t)flags->valuedouble : 0u;
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
    if (left & bits[i].bit) {
      cJSON_AddTrueToObject(out, bits[i].key);
      left &= ~bits[i].bit;
    }
  if (left) cJSON_AddNumberToObject(out, "Flags", left);
}

int hns__v1v_endpoint_body(const cJSON *v2, const char *const subnet_gateway[2], cJSON *out) {
  if (hns__v1v_policies(v2, HNS_V1_ENDPOINT, out)) return -1;
  hns__v1v_copy_key(v2, "MacAddress", out, "MacAddress");
  address_view(v2, 4, out, "IPAddress", "PrefixLength");
  address_view(v2, 6, out, "IPv6Address", "IPv6PrefixLength");
  const cJSON *dns = cJSON_GetObjectItem(v2, "Dns");
  hns__v1v_join_key(dns, "Search", out, "DNSSuffix");
  hns__v1v_join_key(dns, "ServerList", out, "DNSServerList");
  hns__v1v_copy_key(dns, "Domain", out, "DNSDomain");
  static const char *const keys[2] = {"GatewayAddress", "GatewayAddressV6"};
  for (int k = 0; k < 2; k++) {
    const char *own = hns__v1v_gateway(cJSON_GetObjectItem(v2, "Routes"), k ? 6 : 4);
    const char *gw = own ? own : subnet_gateway[k];
    if (gw) cJSON_AddStringToObject(out, keys[k], gw);
  }
  flags_view(v2, out);
  return 0;
}
