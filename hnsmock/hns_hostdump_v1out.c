/* hns_hostdump_v1out.c: the v1 view (Get-HnsNetwork, Get-HnsEndpoint,
 * Get-HnsPolicyList; HNSCall's GETs) of the v2 documents of a host state,
 * field for field as hnsmock's own HNSCall shows a live object
 * (hns_v1_view.c, docs/v1-api.md "The v1 output shape"), but from the
 * document alone: no service holds the objects.
 *
 * Shared with hns_v1_view.c: the policy table (hns__v1_policies_out) and
 * the policy-list view (hns__v1_policylist_view). Written here again, from
 * the document: a network's Type ("NAT" where v2 has none), Subnets with
 * AddressPrefix and the default route's GatewayAddress, MacPools, DNS
 * fields; an endpoint's VirtualNetwork and VirtualNetworkName, addresses,
 * GatewayAddress (its own default route, else its subnet's, as hnsmock's
 * view does), flags as v1's booleans, State, Namespace {ID},
 * SharedContainers; unknown keys echoed. Not written: a network's
 * Extensions (a state does not hold them). Added: the load balancer's
 * State when the state has one, and on every object the Version the
 * profile's HNS stamps (facts §3.1; real output carries it on every
 * object), unless the document has its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_v1_int.h"
#include "hns_hostdump_int.h"
#include "sim_addr.h"

static void copy_key(const cJSON *from, const char *key, cJSON *to, const char *as) {
  const cJSON *v = cJSON_GetObjectItem(from, key);
  if (v && !cJSON_GetObjectItemCaseSensitive(to, as)) cJSON_AddItemToObject(to, as, cJSON_Duplicate(v, 1));
}

/* The keys of `from` that neither `skip` names nor `to` has. */
static void copy_rest(const cJSON *from, cJSON *to, const char *const *skip) {
  for (const cJSON *k = from ? from->child : NULL; k; k = k->next) {
    int skipped = cJSON_GetObjectItem(to, k->string) != NULL;
    for (size_t i = 0; !skipped && skip[i]; i++) skipped = !strcasecmp(skip[i], k->string);
    if (!skipped) cJSON_AddItemToObject(to, k->string, cJSON_Duplicate(k, 1));
  }
}

/* ["a","b"] -> "a,b" (v1's DNSServerList, DNSSuffix). */
static void join_key(const cJSON *from, const char *key, cJSON *to, const char *as) {
  const cJSON *list = cJSON_GetObjectItem(from, key);
  char text[1024] = "";
  size_t used = 0;
  for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next)
    if (cJSON_IsString(e) && used < sizeof text)
      used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", used ? "," : "", e->valuestring);
  if (used) cJSON_AddStringToObject(to, as, text);
}

/* The next hop of the default route of `family` in a v2 Routes list. */
static const char *gateway(const cJSON *routes, int family) {
  for (const cJSON *r = cJSON_IsArray(routes) ? routes->child : NULL; r; r = r->next) {
    const char *dest = cJSON_GetStringValue(cJSON_GetObjectItem(r, "DestinationPrefix"));
    const char *hop = cJSON_GetStringValue(cJSON_GetObjectItem(r, "NextHop"));
    sim_prefix p;
    if (dest && hop && !sim_prefix_parse(dest, &p) && p.len == 0 && p.addr.family == family) return hop;
  }
  return NULL;
}

static int policies_view(const cJSON *v2, unsigned scope, cJSON *to) {
  cJSON *list = cJSON_CreateArray();
  if (!list || hns__v1_policies_out(cJSON_GetObjectItem(v2, "Policies"), scope, list, to)) {
    cJSON_Delete(list);
    return -1;
  }
  if (list->child)
    cJSON_AddItemToObject(to, "Policies", list);
  else
    cJSON_Delete(list);
  return 0;
}

static void version(const hns__dump_state *s, const cJSON *doc, cJSON *out) {
  uint64_t v = hns__dump_version_of(s->profile);
  if (v && !cJSON_GetObjectItem(doc, "Version")) cJSON_AddNumberToObject(out, "Version", (double)v);
}

/* ---- networks ---- */

static cJSON *subnet_view(const cJSON *sub) {
  static const char *const skip[] = {"IpAddressPrefix", "Routes", "Policies", NULL};
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  copy_key(sub, "IpAddressPrefix", out, "AddressPrefix");
  const cJSON *routes = cJSON_GetObjectItem(sub, "Routes");
  const char *gw = gateway(routes, 4) ? gateway(routes, 4) : gateway(routes, 6);
  if (gw) cJSON_AddStringToObject(out, "GatewayAddress", gw);
  if (policies_view(sub, HNS_V1_SUBNET, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  copy_rest(sub, out, skip);
  return out;
}

static cJSON *network_view(const cJSON *net) {
  static const char *const skip[] = {"Ipams", "MacPool", "Dns", "Policies", "SchemaVersion", "Health", NULL};
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(net, "Type"));
  cJSON *out = cJSON_CreateObject(), *subnets = cJSON_CreateArray();
  if (!out || !subnets) {
    cJSON_Delete(out);
    cJSON_Delete(subnets);
    return NULL;
  }
  copy_key(net, "ID", out, "ID");
  copy_key(net, "Name", out, "Name");
  cJSON_AddStringToObject(out, "Type", type ? type : "NAT"); /* v2 leaves NAT's Type out (facts §3.1) */
  const cJSON *ipams = cJSON_GetObjectItem(net, "Ipams");
  for (const cJSON *ipam = cJSON_IsArray(ipams) ? ipams->child : NULL; ipam; ipam = ipam->next) {
    const cJSON *list = cJSON_GetObjectItem(ipam, "Subnets");
    for (const cJSON *sub = cJSON_IsArray(list) ? list->child : NULL; sub; sub = sub->next)
      cJSON_AddItemToArray(subnets, subnet_view(sub));
  }
  if (subnets->child)
    cJSON_AddItemToObject(out, "Subnets", subnets);
  else
    cJSON_Delete(subnets);
  copy_key(cJSON_GetObjectItem(net, "MacPool"), "Ranges", out, "MacPools");
  const cJSON *dns = cJSON_GetObjectItem(net, "Dns");
  copy_key(dns, "Domain", out, "DNSSuffix");
  join_key(dns, "ServerList", out, "DNSServerList");
  if (policies_view(net, HNS_V1_NETWORK, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  copy_rest(net, out, skip);
  return out;
}

/* ---- endpoints ---- */

static void address_view(const cJSON *ep, int family, cJSON *out, const char *ip_key, const char *len_key) {
  const cJSON *configs = cJSON_GetObjectItem(ep, "IpConfigurations");
  for (const cJSON *c = cJSON_IsArray(configs) ? configs->child : NULL; c; c = c->next) {
    const char *ip = cJSON_GetStringValue(cJSON_GetObjectItem(c, "IpAddress"));
    sim_ip parsed;
    if (!ip || sim_ip_parse(ip, &parsed) || parsed.family != family) continue;
    cJSON_AddStringToObject(out, ip_key, ip);
    copy_key(c, "PrefixLength", out, len_key);
    return;
  }
}

/* Its own default route's next hop, else that of the network subnet its
 * address is in (hns_v1_view.c endpoint_gateway). */
static const char *endpoint_gateway(const hns__dump_state *s, const cJSON *ep, int family) {
  const char *own = gateway(cJSON_GetObjectItem(ep, "Routes"), family);
  const char *net_id = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "HostComputeNetwork"));
  const cJSON *net = net_id ? hns__dump_find(s, HNS_DUMP_NETWORKS, net_id) : NULL;
  const cJSON *configs = cJSON_GetObjectItem(ep, "IpConfigurations"), *ipams = cJSON_GetObjectItem(net, "Ipams");
  if (own || !net) return own;
  for (const cJSON *c = cJSON_IsArray(configs) ? configs->child : NULL; c; c = c->next) {
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(c, "IpAddress"));
    sim_ip ip;
    if (!text || sim_ip_parse(text, &ip) || ip.family != family) continue;
    for (const cJSON *ipam = cJSON_IsArray(ipams) ? ipams->child : NULL; ipam; ipam = ipam->next) {
      const cJSON *subs = cJSON_GetObjectItem(ipam, "Subnets");
      for (const cJSON *sub = cJSON_IsArray(subs) ? subs->child : NULL; sub; sub = sub->next) {
        const char *prefix = cJSON_GetStringValue(cJSON_GetObjectItem(sub, "IpAddressPrefix"));
        sim_prefix p;
        if (prefix && !sim_prefix_parse(prefix, &p) && sim_prefix_contains(&p, &ip))
          return gateway(cJSON_GetObjectItem(sub, "Routes"), family);
      }
    }
  }
  return NULL;
}

static void flags_view(const cJSON *ep, cJSON *out) {
  static const struct {
    const char *key;
    uint32_t bit;
  } bits[] = {{"IsRemoteEndpoint", 1}, {"DisableICC", 2}, {"EnableLowMetric", 8}};
  const cJSON *flags = cJSON_GetObjectItem(ep, "Flags");
  uint32_t left = cJSON_IsNumber(flags) && flags->valuedouble >= 0 ? (uint32_t)flags->valuedouble : 0u;
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
    if (left & bits[i].bit) {
      cJSON_AddTrueToObject(out, bits[i].key);
      left &= ~bits[i].bit;
    }
  if (left) cJSON_AddNumberToObject(out, "Flags", left);
}

static cJSON *endpoint_view(const hns__dump_state *s, const cJSON *ep) {
  static const char *const skip[] = {"HostComputeNetwork",
                                     "HostComputeNamespace",
                                     "Policies",
                                     "IpConfigurations",
                                     "Dns",
                                     "Routes",
                                     "Flags",
                                     "Health",
                                     "SchemaVersion",
                                     NULL};
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  copy_key(ep, "ID", out, "ID");
  copy_key(ep, "Name", out, "Name");
  copy_key(ep, "HostComputeNetwork", out, "VirtualNetwork");
  const char *net_id = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "HostComputeNetwork"));
  const cJSON *net = net_id ? hns__dump_find(s, HNS_DUMP_NETWORKS, net_id) : NULL;
  copy_key(net, "Name", out, "VirtualNetworkName");
  if (policies_view(ep, HNS_V1_ENDPOINT, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  copy_key(ep, "MacAddress", out, "MacAddress");
  address_view(ep, 4, out, "IPAddress", "PrefixLength");
  address_view(ep, 6, out, "IPv6Address", "IPv6PrefixLength");
  const cJSON *dns = cJSON_GetObjectItem(ep, "Dns");
  join_key(dns, "Search", out, "DNSSuffix");
  join_key(dns, "ServerList", out, "DNSServerList");
  copy_key(dns, "Domain", out, "DNSDomain");
  const char *gw4 = endpoint_gateway(s, ep, 4), *gw6 = endpoint_gateway(s, ep, 6);
  if (gw4) cJSON_AddStringToObject(out, "GatewayAddress", gw4);
  if (gw6) cJSON_AddStringToObject(out, "GatewayAddressV6", gw6);
  flags_view(ep, out);
  copy_key(ep, "State", out, "State");
  const char *ns = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "HostComputeNamespace"));
  if (ns) cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "Namespace"), "ID", ns);
  const cJSON *extra = cJSON_GetObjectItem(cJSON_GetObjectItem(ep, "Health"), "Extra");
  copy_key(extra, "SharedContainers", out, "SharedContainers");
  copy_rest(ep, out, skip);
  return out;
}

cJSON *hns__dump_v1_view(const hns__dump_state *s, int list, const cJSON *doc) {
  cJSON *out = list == HNS_DUMP_NETWORKS    ? network_view(doc)
               : list == HNS_DUMP_ENDPOINTS ? endpoint_view(s, doc)
                                            : hns__v1_policylist_view(doc, HNS_LOADBALANCER);
  if (!out) return NULL;
  if (list == HNS_DUMP_LBS) copy_key(doc, "State", out, "State");
  copy_key(doc, "Version", out, "Version");
  version(s, doc, out);
  return out;
}
