/* hns_hostdump_classify.c: which tool wrote a JSON object of a dump, and
 * what kind of HNS object it is, from the keys it has. Keys are matched in
 * any case (as Go's and PowerShell's JSON readers do).
 *
 * The marks, most specific first:
 *  - networkhealth.ps1 (microsoft/SDN Kubernetes/windows/debug/networkmonitor):
 *    its classes EndpointData, NetworkData, LoadBalancerPolicyData and
 *    NodeData all say "Identifier" for the ID; NodeData has HNSData;
 *  - HCN v2 (hns-api-facts.md §3.3-3.7): an endpoint has HostComputeNetwork
 *    or IpConfigurations; a load balancer FrontendVIPs, PortMappings or
 *    HostComputeEndpoints; an SDN route Setting; a namespace NamespaceId or
 *    NamespaceGuid; a network Ipams, MacPool or a Dns object;
 *  - HNS v1 (facts §5): a policy list has References, or ELB / ROUTE
 *    policies; a namespace ResourceList; an endpoint VirtualNetwork,
 *    VirtualNetworkName, IPAddress, IPv6Address or IsRemoteEndpoint; a
 *    network Subnets, MacPools, ManagementIP, NetworkAdapterName,
 *    Extensions, NatName or SwitchName;
 *  - {"ID","Name","Type"} alone reads the same in both schemas and is
 *    taken as a v2 network (inferred). */
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"

static int has(const cJSON *o, const char *const *keys) {
  for (size_t i = 0; keys[i]; i++)
    if (cJSON_GetObjectItem(o, keys[i])) return 1;
  return 0;
}

/* A v1 Policies array whose first policy is ELB or ROUTE: a policy list. */
static int has_list_policies(const cJSON *o) {
  const cJSON *p = cJSON_GetObjectItem(o, "Policies");
  const char *type = cJSON_IsArray(p) ? cJSON_GetStringValue(cJSON_GetObjectItem(p->child, "Type")) : NULL;
  return type && (!strcasecmp(type, "ELB") || !strcasecmp(type, "ROUTE"));
}

hns__dk hns__dump_classify(const cJSON *o) {
  static const char *const nh_node[] = {"HNSData", "AvailableTCPDynamicPortRanges", NULL};
  static const char *const nh_ep[] = {"EndpointState", "IsRemoteEndpoint", "VfpPort", NULL};
  static const char *const nh_net[] = {"ManagementIpAddress", "ClusterCidr", "ServiceCidr", "HostVfpPort", NULL};
  static const char *const nh_lb[] = {"EndpointIpAddresses", "ServiceType", "VIP", "ExternalPort", NULL};
  static const char *const v2_route[] = {"Setting", NULL};
  static const char *const v2_ep[] = {"HostComputeNetwork", "IpConfigurations", NULL};
  static const char *const v2_lb[] = {"FrontendVIPs", "PortMappings", "HostComputeEndpoints", NULL};
  static const char *const v2_ns[] = {"NamespaceId", "NamespaceGuid", NULL};
  static const char *const v1_list[] = {"References", NULL};
  static const char *const v1_ns[] = {"ResourceList", NULL};
  static const char *const v1_ep[] = {"VirtualNetwork", "VirtualNetworkName", "IPAddress",
                                      "IPv6Address",    "IsRemoteEndpoint",   NULL};
  static const char *const v2_net[] = {"Ipams", "MacPool", NULL};
  static const char *const v1_net[] = {"Subnets",    "MacPools", "ManagementIP", "NetworkAdapterName",
                                       "Extensions", "NatName",  "SwitchName",   NULL};
  if (!cJSON_IsObject(o)) return HNS_DK_UNKNOWN;
  if (has(o, nh_node)) return HNS_DK_NH_NODE;
  if (cJSON_GetObjectItem(o, "Identifier")) {
    if (has(o, nh_ep)) return HNS_DK_NH_ENDPOINT;
    if (has(o, nh_net)) return HNS_DK_NH_NETWORK;
    if (has(o, nh_lb)) return HNS_DK_NH_LB;
    return HNS_DK_UNKNOWN;
  }
  if (has(o, v2_route)) return HNS_DK_V2_ROUTE;
  if (has(o, v2_ep)) return HNS_DK_V2_ENDPOINT;
  if (has(o, v2_lb)) return HNS_DK_V2_LB;
  if (has(o, v2_ns) || has(o, v1_ns)) return HNS_DK_NAMESPACE;
  if (has(o, v1_list)) return HNS_DK_V1_POLICYLIST;
  if (has(o, v1_ep)) return HNS_DK_V1_ENDPOINT; /* before the next: endpoints have ROUTE policies too */
  if (has_list_policies(o)) return HNS_DK_V1_POLICYLIST;
  if (has(o, v2_net) || cJSON_IsObject(cJSON_GetObjectItem(o, "Dns"))) return HNS_DK_V2_NETWORK;
  if (has(o, v1_net)) return HNS_DK_V1_NETWORK;
  if (cJSON_IsString(cJSON_GetObjectItem(o, "ID")) && cJSON_GetObjectItem(o, "Type")) return HNS_DK_V2_NETWORK;
  return HNS_DK_UNKNOWN;
}

const char *hns__dump_kind_name(hns__dk k) {
  switch (k) {
  case HNS_DK_V1_NETWORK: return "a v1 network";
  case HNS_DK_V1_ENDPOINT: return "a v1 endpoint";
  case HNS_DK_V1_POLICYLIST: return "a v1 policy list";
  case HNS_DK_V2_NETWORK: return "an HCN v2 network";
  case HNS_DK_V2_ENDPOINT: return "an HCN v2 endpoint";
  case HNS_DK_V2_LB: return "an HCN v2 load balancer";
  case HNS_DK_V2_ROUTE: return "an HCN v2 SDN route";
  case HNS_DK_NAMESPACE: return "a namespace";
  case HNS_DK_NH_NETWORK: return "networkhealth network data";
  case HNS_DK_NH_ENDPOINT: return "networkhealth endpoint data";
  case HNS_DK_NH_LB: return "networkhealth load balancer data";
  case HNS_DK_NH_NODE: return "networkhealth node data";
  case HNS_DK_UNKNOWN: break;
  }
  return "no HNS object";
}

hns_dump_format hns__dump_kind_format(hns__dk k) {
  switch (k) {
  case HNS_DK_V1_NETWORK:
  case HNS_DK_V1_ENDPOINT:
  case HNS_DK_V1_POLICYLIST: return HNS_DUMP_JSON;
  case HNS_DK_V2_NETWORK:
  case HNS_DK_V2_ENDPOINT:
  case HNS_DK_V2_LB:
  case HNS_DK_V2_ROUTE: return HNS_DUMP_V2;
  case HNS_DK_NH_NETWORK:
  case HNS_DK_NH_ENDPOINT:
  case HNS_DK_NH_LB:
  case HNS_DK_NH_NODE: return HNS_DUMP_NETWORKHEALTH;
  case HNS_DK_NAMESPACE:
  case HNS_DK_UNKNOWN: break;
  }
  return HNS_DUMP_ANY;
}
