/* hns_doc.c: the schemas of the HCN v2 documents (hns_doc.h): networks,
 * endpoints, namespaces, load balancers, SDN routes, queries and modify
 * requests. Keys, types and enum ordinals: hns-api-facts.md §3 (hcsshim
 * the hcn package, VDOCS HNS_Schema.md, SDN hns.v2.psm1 for resource ordinals). */
#include "hns_doc.h"
#include "hns_doc_policy.h"
#include "hns_types.h"

#define F HNS_FIELD
#define FX HNS_FIELD_X
#define KEEP HNS_F_KEEP_ZERO

static const hns_kind guid_kind = HNS_K_GUID, ip_kind = HNS_K_IP;

/* Ordinals after Transparent follow the docs' list order: (inferred), facts §3.10. */
const hns_enum hns_network_types[] = {
    {"NAT", HNS_NET_NAT},         {"ICS", HNS_NET_ICS},         {"Transparent", HNS_NET_TRANSPARENT},
    {"L2Bridge", HNS_NET_L2BRIDGE}, {"L2Tunnel", HNS_NET_L2TUNNEL}, {"Overlay", HNS_NET_OVERLAY},
    {"Private", HNS_NET_PRIVATE}, {"Internal", HNS_NET_INTERNAL}, {0, 0}};
const hns_enum hns_ipam_types[] = {{"Static", 0}, {"Dhcp", 1}, {0, 0}};
const hns_enum hns_namespace_types[] = {{"Host", 0}, {"HostDefault", 1}, {"Guest", 2}, {"GuestDefault", 3}, {0, 0}};
const hns_enum hns_ns_resource_types[] = {{"Container", 0}, {"Endpoint", 1}, {0, 0}};
const hns_enum hns_request_types[] = {{"Add", 0}, {"Remove", 1}, {"Update", 2}, {"Refresh", 3}, {"Reset", 4}, {0, 0}};
const hns_enum hns_network_resource_types[] = {
    {"DNS", 0}, {"Extension", 1}, {"Policy", 2}, {"Subnet", 3}, {"IPSubnet", 4}, {0, 0}};
const hns_enum hns_endpoint_resource_types[] = {{"Port", 0}, {"Policy", 1}, {0, 0}};

/* ---- shared parts ---- */

static const hns_field version_f[] = {
    FX("Major", HNS_K_U32, hns_version_doc, major, KEEP, NULL, NULL),
    FX("Minor", HNS_K_U32, hns_version_doc, minor, KEEP, NULL, NULL),
};
const hns_schema hns_version_schema = HNS_SCHEMA("Version", hns_version_doc, version_f);

static const hns_field route_f[] = {
    F("NextHop", HNS_K_IP, hns_route_doc, next_hop),
    F("DestinationPrefix", HNS_K_PREFIX, hns_route_doc, destination_prefix),
    F("Metric", HNS_K_U16, hns_route_doc, metric),
};
const hns_schema hns_route_schema = HNS_SCHEMA("Route", hns_route_doc, route_f);

/* The 2018 docs call Domain "Suffix": accepted as an alias. */
static const hns_field dns_f[] = {
    FX("Domain", HNS_K_STRING, hns_dns_doc, domain, 0, NULL, "Suffix"),
    F("Search", HNS_K_STRINGS, hns_dns_doc, search),
    FX("ServerList", HNS_K_STRINGS, hns_dns_doc, server_list, 0, &ip_kind, NULL),
    F("Options", HNS_K_STRINGS, hns_dns_doc, options),
};
const hns_schema hns_dns_schema = HNS_SCHEMA("Dns", hns_dns_doc, dns_f);

#define SCHEMA_VERSION_FIELD(type) FX("SchemaVersion", HNS_K_OBJECT, type, schema_version, 0, &hns_version_schema, NULL)

/* ---- HostComputeNetwork ---- */

static const hns_field ip_subnet_f[] = {
    FX("ID", HNS_K_GUID, hns_ip_subnet_doc, id, 0, NULL, "Id"),
    F("IpAddressPrefix", HNS_K_PREFIX, hns_ip_subnet_doc, ip_address_prefix),
    F("Flags", HNS_K_U32, hns_ip_subnet_doc, flags),
};
const hns_schema hns_ip_subnet_schema = HNS_SCHEMA("IpSubnet", hns_ip_subnet_doc, ip_subnet_f);

static const hns_field subnet_f[] = {
    FX("ID", HNS_K_GUID, hns_subnet_doc, id, 0, NULL, "Id"),
    F("IpAddressPrefix", HNS_K_PREFIX, hns_subnet_doc, ip_address_prefix),
    FX("Policies", HNS_K_POLICIES, hns_subnet_doc, policies, 0, &hns_subnet_policies, NULL),
    FX("Routes", HNS_K_ARRAY, hns_subnet_doc, routes, 0, &hns_route_schema, NULL),
    F("Flags", HNS_K_U32, hns_subnet_doc, flags),
    FX("IpSubnets", HNS_K_ARRAY, hns_subnet_doc, ip_subnets, 0, &hns_ip_subnet_schema, NULL),
};
const hns_schema hns_subnet_schema = HNS_SCHEMA("Subnet", hns_subnet_doc, subnet_f);

static const hns_field ipam_f[] = {
    FX("Type", HNS_K_ENUM, hns_ipam_doc, type, KEEP, hns_ipam_types, NULL),
    FX("Subnets", HNS_K_ARRAY, hns_ipam_doc, subnets, 0, &hns_subnet_schema, NULL),
};
const hns_schema hns_ipam_schema = HNS_SCHEMA("Ipam", hns_ipam_doc, ipam_f);

static const hns_field mac_range_f[] = {
    F("StartMacAddress", HNS_K_MAC, hns_mac_range_doc, start_mac_address),
    F("EndMacAddress", HNS_K_MAC, hns_mac_range_doc, end_mac_address),
};
static const hns_schema mac_range_s = HNS_SCHEMA("MacRange", hns_mac_range_doc, mac_range_f);

static const hns_field mac_pool_f[] = {FX("Ranges", HNS_K_ARRAY, hns_mac_pool_doc, ranges, 0, &mac_range_s, NULL)};
static const hns_schema mac_pool_s = HNS_SCHEMA("MacPool", hns_mac_pool_doc, mac_pool_f);

/* Type is omitted for NAT (ordinal 0), as HNS omits it (facts §3.1). */
static const hns_field network_f[] = {
    FX("ID", HNS_K_GUID, hns_network_doc, id, 0, NULL, "Id"),
    F("Name", HNS_K_STRING, hns_network_doc, name),
    FX("Type", HNS_K_ENUM, hns_network_doc, type, 0, hns_network_types, NULL),
    FX("Policies", HNS_K_POLICIES, hns_network_doc, policies, 0, &hns_network_policies, NULL),
    FX("MacPool", HNS_K_OBJECT, hns_network_doc, mac_pool, 0, &mac_pool_s, NULL),
    FX("Dns", HNS_K_OBJECT, hns_network_doc, dns, 0, &hns_dns_schema, NULL),
    FX("Ipams", HNS_K_ARRAY, hns_network_doc, ipams, 0, &hns_ipam_schema, NULL),
    F("Flags", HNS_K_U32, hns_network_doc, flags),
    F("Health", HNS_K_RAW, hns_network_doc, health),
    SCHEMA_VERSION_FIELD(hns_network_doc),
    F("Owner", HNS_K_STRING, hns_network_doc, owner),
    F("Version", HNS_K_U64, hns_network_doc, version),
    F("AdditionalParams", HNS_K_RAW, hns_network_doc, additional_params),
    F("State", HNS_K_U32, hns_network_doc, state),
};
const hns_schema hns_network_schema = HNS_SCHEMA("HostComputeNetwork", hns_network_doc, network_f);

/* ---- HostComputeEndpoint ---- */

static const hns_field ip_config_f[] = {
    F("IpAddress", HNS_K_IP, hns_ip_config_doc, ip_address),
    F("PrefixLength", HNS_K_U8, hns_ip_config_doc, prefix_length),
    F("IpSubnetId", HNS_K_GUID, hns_ip_config_doc, ip_subnet_id),
};
const hns_schema hns_ip_config_schema = HNS_SCHEMA("IpConfig", hns_ip_config_doc, ip_config_f);

/* HostComputeNamespace is read-only (hcsshim refuses it on create). */
static const hns_field endpoint_f[] = {
    FX("ID", HNS_K_GUID, hns_endpoint_doc, id, 0, NULL, "Id"),
    F("Name", HNS_K_STRING, hns_endpoint_doc, name),
    F("HostComputeNetwork", HNS_K_GUID, hns_endpoint_doc, host_compute_network),
    FX("HostComputeNamespace", HNS_K_GUID, hns_endpoint_doc, host_compute_namespace, HNS_F_READONLY, NULL, NULL),
    FX("Policies", HNS_K_POLICIES, hns_endpoint_doc, policies, 0, &hns_endpoint_policies, NULL),
    FX("IpConfigurations", HNS_K_ARRAY, hns_endpoint_doc, ip_configurations, 0, &hns_ip_config_schema, NULL),
    FX("Dns", HNS_K_OBJECT, hns_endpoint_doc, dns, 0, &hns_dns_schema, NULL),
    FX("Routes", HNS_K_ARRAY, hns_endpoint_doc, routes, 0, &hns_route_schema, NULL),
    F("MacAddress", HNS_K_MAC, hns_endpoint_doc, mac_address),
    F("Flags", HNS_K_U32, hns_endpoint_doc, flags),
    F("Health", HNS_K_RAW, hns_endpoint_doc, health),
    SCHEMA_VERSION_FIELD(hns_endpoint_doc),
    F("AdditionalParams", HNS_K_RAW, hns_endpoint_doc, additional_params),
};
const hns_schema hns_endpoint_schema = HNS_SCHEMA("HostComputeEndpoint", hns_endpoint_doc, endpoint_f);

/* ---- HostComputeNamespace ---- */

static const hns_field ns_resource_f[] = {
    FX("Type", HNS_K_ENUM, hns_ns_resource_doc, type, KEEP, hns_ns_resource_types, NULL),
    F("Data", HNS_K_RAW, hns_ns_resource_doc, data),
};
static const hns_schema ns_resource_s = HNS_SCHEMA("NamespaceResource", hns_ns_resource_doc, ns_resource_f);

static const hns_field namespace_f[] = {
    FX("ID", HNS_K_GUID, hns_namespace_doc, id, 0, NULL, "Id"),
    F("NamespaceId", HNS_K_U32, hns_namespace_doc, namespace_id),
    F("NamespaceGuid", HNS_K_GUID, hns_namespace_doc, namespace_guid),
    FX("Type", HNS_K_ENUM, hns_namespace_doc, type, KEEP, hns_namespace_types, NULL),
    FX("Resources", HNS_K_ARRAY, hns_namespace_doc, resources, 0, &ns_resource_s, NULL),
    F("CreateWithCompartment", HNS_K_BOOL, hns_namespace_doc, create_with_compartment),
    SCHEMA_VERSION_FIELD(hns_namespace_doc),
};
const hns_schema hns_namespace_schema = HNS_SCHEMA("HostComputeNamespace", hns_namespace_doc, namespace_f);

/* ---- HostComputeLoadBalancer ---- */

static const hns_field lb_port_mapping_f[] = {
    F("Protocol", HNS_K_U32, hns_lb_port_mapping_doc, protocol),
    F("InternalPort", HNS_K_U16, hns_lb_port_mapping_doc, internal_port),
    F("ExternalPort", HNS_K_U16, hns_lb_port_mapping_doc, external_port),
    F("DistributionType", HNS_K_U32, hns_lb_port_mapping_doc, distribution_type),
    F("Flags", HNS_K_U32, hns_lb_port_mapping_doc, flags),
};
const hns_schema hns_lb_port_mapping_schema = HNS_SCHEMA("LoadBalancerPortMapping", hns_lb_port_mapping_doc, lb_port_mapping_f);

static const hns_field loadbalancer_f[] = {
    FX("ID", HNS_K_GUID, hns_loadbalancer_doc, id, 0, NULL, "Id"),
    FX("HostComputeEndpoints", HNS_K_STRINGS, hns_loadbalancer_doc, host_compute_endpoints, 0, &guid_kind, NULL),
    F("SourceVIP", HNS_K_IP, hns_loadbalancer_doc, source_vip),
    FX("FrontendVIPs", HNS_K_STRINGS, hns_loadbalancer_doc, frontend_vips, 0, &ip_kind, NULL),
    FX("PortMappings", HNS_K_ARRAY, hns_loadbalancer_doc, port_mappings, 0, &hns_lb_port_mapping_schema, NULL),
    F("Flags", HNS_K_U32, hns_loadbalancer_doc, flags),
    SCHEMA_VERSION_FIELD(hns_loadbalancer_doc),
    F("HostComputeNetwork", HNS_K_GUID, hns_loadbalancer_doc, host_compute_network),
};
const hns_schema hns_loadbalancer_schema = HNS_SCHEMA("HostComputeLoadBalancer", hns_loadbalancer_doc, loadbalancer_f);

/* ---- HostComputeRoute ---- */

static const hns_field sdn_route_setting_f[] = {
    F("DestinationPrefix", HNS_K_PREFIX, hns_sdn_route_setting_doc, destination_prefix),
    F("NextHop", HNS_K_IP, hns_sdn_route_setting_doc, next_hop),
    F("NeedEncap", HNS_K_BOOL, hns_sdn_route_setting_doc, need_encap),
    F("AutomaticEndpointMonitor", HNS_K_BOOL, hns_sdn_route_setting_doc, automatic_endpoint_monitor),
};
static const hns_schema sdn_route_setting_s = HNS_SCHEMA("SDNRoutePolicySetting", hns_sdn_route_setting_doc, sdn_route_setting_f);

/* hcsshim's key is "Setting", the docs' "Routes" (facts §3.7): both accepted. */
static const hns_field sdnroute_f[] = {
    FX("ID", HNS_K_GUID, hns_sdnroute_doc, id, 0, NULL, "Id"),
    FX("HostComputeEndpoints", HNS_K_STRINGS, hns_sdnroute_doc, host_compute_endpoints, 0, &guid_kind, NULL),
    FX("Setting", HNS_K_ARRAY, hns_sdnroute_doc, setting, 0, &sdn_route_setting_s, "Routes"),
    SCHEMA_VERSION_FIELD(hns_sdnroute_doc),
    F("HostComputeNetwork", HNS_K_GUID, hns_sdnroute_doc, host_compute_network),
};
const hns_schema hns_sdnroute_schema = HNS_SCHEMA("HostComputeRoute", hns_sdnroute_doc, sdnroute_f);

/* ---- requests ---- */

static const hns_field query_f[] = {
    SCHEMA_VERSION_FIELD(hns_query_doc),
    F("Flags", HNS_K_U32, hns_query_doc, flags),
    F("Filter", HNS_K_STRING, hns_query_doc, filter),
};
const hns_schema hns_query_schema = HNS_SCHEMA("HostComputeQuery", hns_query_doc, query_f);

#define MODIFY_SCHEMA(var, name, resources)                                                        \
  static const hns_field var##_f[] = {                                                             \
      FX("ResourceType", HNS_K_ENUM, hns_modify_doc, resource_type, KEEP, resources, NULL),        \
      FX("RequestType", HNS_K_ENUM, hns_modify_doc, request_type, KEEP, hns_request_types, NULL),  \
      F("Settings", HNS_K_RAW, hns_modify_doc, settings),                                          \
  };                                                                                               \
  const hns_schema var = HNS_SCHEMA(name, hns_modify_doc, var##_f)

MODIFY_SCHEMA(hns_modify_network_schema, "ModifyNetworkSettingRequest", hns_network_resource_types);
MODIFY_SCHEMA(hns_modify_endpoint_schema, "ModifyEndpointSettingRequest", hns_endpoint_resource_types);
MODIFY_SCHEMA(hns_modify_namespace_schema, "ModifyNamespaceSettingRequest", hns_ns_resource_types);

/* The Settings of Policy and Subnet modify requests (facts §3.3, §3.4). */
static const hns_field network_policy_request_f[] = {
    FX("Policies", HNS_K_POLICIES, hns_policy_request_doc, policies, 0, &hns_network_policies, NULL)};
const hns_schema hns_network_policy_request_schema =
    HNS_SCHEMA("PolicyNetworkRequest", hns_policy_request_doc, network_policy_request_f);

static const hns_field endpoint_policy_request_f[] = {
    FX("Policies", HNS_K_POLICIES, hns_policy_request_doc, policies, 0, &hns_endpoint_policies, NULL)};
const hns_schema hns_endpoint_policy_request_schema =
    HNS_SCHEMA("PolicyEndpointRequest", hns_policy_request_doc, endpoint_policy_request_f);

static const hns_field subnet_request_f[] = {FX("Subnets", HNS_K_ARRAY, hns_subnet_request_doc, subnets, 0, &hns_subnet_schema, NULL)};
const hns_schema hns_subnet_request_schema = HNS_SCHEMA("SubnetNetworkRequest", hns_subnet_request_doc, subnet_request_f);

/* The Settings of IPSubnet and Extension modify requests (facts §3.3, VDOCS). */
static const hns_field ip_subnet_request_f[] = {
    F("SubnetId", HNS_K_GUID, hns_ip_subnet_request_doc, subnet_id),
    FX("IpSubnets", HNS_K_ARRAY, hns_ip_subnet_request_doc, ip_subnets, 0, &hns_ip_subnet_schema, NULL),
};
const hns_schema hns_ip_subnet_request_schema =
    HNS_SCHEMA("IPSubnetNetworkRequest", hns_ip_subnet_request_doc, ip_subnet_request_f);

static const hns_field extension_request_f[] = {
    F("Id", HNS_K_GUID, hns_extension_request_doc, id),
    F("IsEnabled", HNS_K_BOOL, hns_extension_request_doc, is_enabled),
};
const hns_schema hns_extension_request_schema = HNS_SCHEMA("Extension", hns_extension_request_doc, extension_request_f);
