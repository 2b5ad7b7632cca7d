/* hns_hostdump_v1out.c: the v1 view (Get-HnsNetwork, Get-HnsEndpoint,
 * Get-HnsPolicyList; HNSCall's GETs) of the v2 documents of a host state,
 * field for field as hnsmock's own HNSCall shows a live object
 * (hns_v1_view.c, docs/v1-api.md "The v1 output shape"), but from the
 * document alone: no service holds the objects.
 *
 * Shared with hns_v1_view.c: the document-only parts of a view
 * (hns_v1_viewparts.c: Subnets, MacPools, DNS fields, policies, addresses,
 * gateways, flags) and the policy-list view (hns__v1_policylist_view).
 * Written here from the document where the live view reads the service: a
 * network's Type ("NAT" where v2 has none); an endpoint's
 * VirtualNetworkName and its subnet's gateway from the state's network,
 * State, Namespace {ID}, SharedContainers from Health.Extra. Not written: a
 * network's Extensions (a state does not hold them). Added: the load
 * balancer's State when the state has one, and on every object the Version
 * the profile's HNS stamps (facts §3.1; real output carries it on every
 * object), unless the document has its own. */
#include <stdlib.h>
#include "hns_v1_int.h"
#include "hns_hostdump_int.h"
#include "sim_addr.h"

static void version(const hns__dump_state *s, const cJSON *doc, cJSON *out) {
  uint64_t v = hns__dump_version_of(s->profile);
  if (v && !cJSON_GetObjectItem(doc, "Version")) cJSON_AddNumberToObject(out, "Version", (double)v);
}

static cJSON *network_view(const cJSON *net) {
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(net, "Type"));
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  hns__v1v_copy_key(net, "ID", out, "ID");
  hns__v1v_copy_key(net, "Name", out, "Name");
  cJSON_AddStringToObject(out, "Type", type ? type : "NAT"); /* v2 leaves NAT's Type out (facts §3.1) */
  if (hns__v1v_network_body(net, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  hns__v1v_copy_rest(net, out, hns__v1v_network_skip);
  return out;
}

/* The default route's next hop of the subnet of `net` holding the
 * endpoint's address of `family` (hns_v1_view.c subnet_gateway). */
static const char *subnet_gateway(const cJSON *net, const cJSON *ep, int family) {
  const cJSON *configs = cJSON_GetObjectItem(ep, "IpConfigurations"), *ipams = cJSON_GetObjectItem(net, "Ipams");
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
          return hns__v1v_gateway(cJSON_GetObjectItem(sub, "Routes"), family);
      }
    }
  }
  return NULL;
}

static cJSON *endpoint_view(const hns__dump_state *s, const cJSON *ep) {
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  hns__v1v_copy_key(ep, "ID", out, "ID");
  hns__v1v_copy_key(ep, "Name", out, "Name");
  hns__v1v_copy_key(ep, "HostComputeNetwork", out, "VirtualNetwork");
  const char *net_id = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "HostComputeNetwork"));
  const cJSON *net = net_id ? hns__dump_find(s, HNS_DUMP_NETWORKS, net_id) : NULL;
  hns__v1v_copy_key(net, "Name", out, "VirtualNetworkName");
  const char *const gw[2] = {subnet_gateway(net, ep, 4), subnet_gateway(net, ep, 6)};
  if (hns__v1v_endpoint_body(ep, gw, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  hns__v1v_copy_key(ep, "State", out, "State");
  const char *ns = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "HostComputeNamespace"));
  if (ns) cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "Namespace"), "ID", ns);
  const cJSON *extra = cJSON_GetObjectItem(cJSON_GetObjectItem(ep, "Health"), "Extra");
  hns__v1v_copy_key(extra, "SharedContainers", out, "SharedContainers");
  hns__v1v_copy_rest(ep, out, hns__v1v_endpoint_skip);
  return out;
}

cJSON *hns__dump_v1_view(const hns__dump_state *s, int list, const cJSON *doc) {
  cJSON *out = list == HNS_DUMP_NETWORKS    ? network_view(doc)
               : list == HNS_DUMP_ENDPOINTS ? endpoint_view(s, doc)
                                            : hns__v1_policylist_view(doc, HNS_LOADBALANCER);
  if (!out) return NULL;
  if (list == HNS_DUMP_LBS) hns__v1v_copy_key(doc, "State", out, "State");
  hns__v1v_copy_key(doc, "Version", out, "Version");
  version(s, doc, out);
  return out;
}
