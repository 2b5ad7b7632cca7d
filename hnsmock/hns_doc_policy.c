/* hns_doc_policy.c: the schemas of every policy type's Settings and the
 * scopes (endpoint, network, subnet) that accept them, with the feature each
 * needs. Field names, types and gates: hns-api-facts.md §3.8 and §4 (hcsshim
 * hcn/hcnpolicy.go and hcnsupport.go, VDOCS HNS_Schema.md). */
#include "hns_doc_policy.h"
#include <strings.h>
#include "hns_profile.h"

#define F HNS_FIELD
#define FX HNS_FIELD_X
#define KEEP HNS_F_KEEP_ZERO
#define NAMES HNS_F_NAMES_ONLY


static const hns_enum actions[] = {{"Allow", HNS_ACTION_ALLOW}, {"Block", HNS_ACTION_BLOCK}, {"Pass", HNS_ACTION_PASS}, {0, 0}};
static const hns_enum directions[] = {{"In", HNS_DIRECTION_IN}, {"Out", HNS_DIRECTION_OUT}, {0, 0}};
static const hns_enum rule_types[] = {{"Host", HNS_RULE_HOST}, {"Switch", HNS_RULE_SWITCH}, {0, 0}};
static const hns_enum set_policy_types[] = {{"IPSET", HNS_SETPOLICY_IPSET}, {"NESTEDIPSET", HNS_SETPOLICY_NESTEDIPSET}, {0, 0}};

/* ---- endpoint policy settings ---- */

static const hns_field port_mapping_f[] = {
    F("Protocol", HNS_K_U32, hns_port_mapping_policy, protocol),
    F("InternalPort", HNS_K_U16, hns_port_mapping_policy, internal_port),
    F("ExternalPort", HNS_K_U16, hns_port_mapping_policy, external_port),
    F("VIP", HNS_K_IP, hns_port_mapping_policy, vip),
    F("Flags", HNS_K_U32, hns_port_mapping_policy, flags),
};
static const hns_schema port_mapping_s = HNS_SCHEMA("PortMappingPolicySetting", hns_port_mapping_policy, port_mapping_f);

static const hns_field acl_f[] = {
    F("Id", HNS_K_STRING, hns_acl_policy, id),
    F("Protocols", HNS_K_STRING, hns_acl_policy, protocols),
    FX("Action", HNS_K_ENUM, hns_acl_policy, action, NAMES, actions, NULL),
    FX("Direction", HNS_K_ENUM, hns_acl_policy, direction, NAMES, directions, NULL),
    F("LocalAddresses", HNS_K_STRING, hns_acl_policy, local_addresses),
    F("RemoteAddresses", HNS_K_STRING, hns_acl_policy, remote_addresses),
    F("LocalPorts", HNS_K_STRING, hns_acl_policy, local_ports),
    F("RemotePorts", HNS_K_STRING, hns_acl_policy, remote_ports),
    FX("RuleType", HNS_K_ENUM, hns_acl_policy, rule_type, NAMES, rule_types, NULL),
    F("Priority", HNS_K_U16, hns_acl_policy, priority),
};
static const hns_schema acl_s = HNS_SCHEMA("AclPolicySetting", hns_acl_policy, acl_f);

static const hns_field qos_f[] = {F("MaximumOutgoingBandwidthInBytes", HNS_K_U64, hns_u64_policy, value)};
static const hns_schema qos_s = HNS_SCHEMA("QosPolicySetting", hns_u64_policy, qos_f);

static const hns_field outbound_nat_f[] = {
    F("VirtualIP", HNS_K_IP, hns_outbound_nat_policy, virtual_ip),
    FX("Exceptions", HNS_K_STRINGS, hns_outbound_nat_policy, exceptions, 0, NULL, "ExceptionList"),
    F("Destinations", HNS_K_STRINGS, hns_outbound_nat_policy, destinations),
    F("Flags", HNS_K_U32, hns_outbound_nat_policy, flags),
    F("MaxPortPoolUsage", HNS_K_U16, hns_outbound_nat_policy, max_port_pool_usage),
};
static const hns_schema outbound_nat_s = HNS_SCHEMA("OutboundNatPolicySetting", hns_outbound_nat_policy, outbound_nat_f);

static const hns_field sdn_route_f[] = {
    F("DestinationPrefix", HNS_K_PREFIX, hns_sdn_route_setting_doc, destination_prefix),
    F("NextHop", HNS_K_IP, hns_sdn_route_setting_doc, next_hop),
    F("NeedEncap", HNS_K_BOOL, hns_sdn_route_setting_doc, need_encap),
};
static const hns_schema sdn_route_s = HNS_SCHEMA("SDNRoutePolicySetting", hns_sdn_route_setting_doc, sdn_route_f);

/* hcsshim spells the keys Exceptions/OutboundNAT, the docs and psm1
 * ExceptionList/OutboundNat: both are accepted (facts §9). */
static const hns_field l4_proxy_f[] = {
    F("IP", HNS_K_IP, hns_l4_proxy_policy, ip),
    F("Port", HNS_K_STRING, hns_l4_proxy_policy, port),
    F("Protocol", HNS_K_U32, hns_l4_proxy_policy, protocol),
    FX("Exceptions", HNS_K_STRINGS, hns_l4_proxy_policy, exceptions, 0, NULL, "ExceptionList"),
    F("Destination", HNS_K_STRING, hns_l4_proxy_policy, destination),
    F("OutboundNAT", HNS_K_BOOL, hns_l4_proxy_policy, outbound_nat),
};
static const hns_schema l4_proxy_s = HNS_SCHEMA("L4ProxyPolicySetting", hns_l4_proxy_policy, l4_proxy_f);

static const hns_field five_tuple_f[] = {
    F("Protocols", HNS_K_STRING, hns_five_tuple_doc, protocols),
    F("LocalAddresses", HNS_K_STRING, hns_five_tuple_doc, local_addresses),
    F("RemoteAddresses", HNS_K_STRING, hns_five_tuple_doc, remote_addresses),
    F("LocalPorts", HNS_K_STRING, hns_five_tuple_doc, local_ports),
    F("RemotePorts", HNS_K_STRING, hns_five_tuple_doc, remote_ports),
    F("Priority", HNS_K_U16, hns_five_tuple_doc, priority),
};
static const hns_schema five_tuple_s = HNS_SCHEMA("FiveTuple", hns_five_tuple_doc, five_tuple_f);

static const hns_field proxy_exceptions_f[] = {
    F("IpAddressExceptions", HNS_K_STRINGS, hns_proxy_exceptions_doc, ip_address_exceptions),
    F("PortExceptions", HNS_K_STRINGS, hns_proxy_exceptions_doc, port_exceptions),
};
static const hns_schema proxy_exceptions_s = HNS_SCHEMA("ProxyExceptions", hns_proxy_exceptions_doc, proxy_exceptions_f);

static const hns_field l4_wfp_proxy_f[] = {
    F("InboundProxyPort", HNS_K_STRING, hns_l4_wfp_proxy_policy, inbound_proxy_port),
    F("OutboundProxyPort", HNS_K_STRING, hns_l4_wfp_proxy_policy, outbound_proxy_port),
    FX("FilterTuple", HNS_K_OBJECT, hns_l4_wfp_proxy_policy, filter_tuple, 0, &five_tuple_s, NULL),
    F("UserSID", HNS_K_STRING, hns_l4_wfp_proxy_policy, user_sid),
    FX("InboundExceptions", HNS_K_OBJECT, hns_l4_wfp_proxy_policy, inbound_exceptions, 0, &proxy_exceptions_s, NULL),
    FX("OutboundExceptions", HNS_K_OBJECT, hns_l4_wfp_proxy_policy, outbound_exceptions, 0, &proxy_exceptions_s, NULL),
};
static const hns_schema l4_wfp_proxy_s = HNS_SCHEMA("L4WfpProxyPolicySetting", hns_l4_wfp_proxy_policy, l4_wfp_proxy_f);

static const hns_field port_name_f[] = {F("Name", HNS_K_STRING, hns_text_policy, value)};
static const hns_schema port_name_s = HNS_SCHEMA("PortnameEndpointPolicySetting", hns_text_policy, port_name_f);

static const hns_field encap_overhead_f[] = {F("Overhead", HNS_K_U16, hns_u16_policy, value)};
static const hns_schema encap_overhead_s = HNS_SCHEMA("EncapOverheadEndpointPolicySetting", hns_u16_policy, encap_overhead_f);

typedef struct iov_policy {
  uint32_t weight, queue_pairs, interrupt_moderation;
  cJSON *extras;
} iov_policy;
static const hns_field iov_f[] = {
    F("IovOffloadWeight", HNS_K_U32, iov_policy, weight),
    F("QueuePairsRequested", HNS_K_U32, iov_policy, queue_pairs),
    F("InterruptModeration", HNS_K_U32, iov_policy, interrupt_moderation),
};
static const hns_schema iov_s = HNS_SCHEMA("IovPolicySetting", iov_policy, iov_f);

static const hns_field provider_address_f[] = {F("ProviderAddress", HNS_K_IP, hns_text_policy, value)};
static const hns_schema provider_address_s = HNS_SCHEMA("ProviderAddressEndpointPolicySetting", hns_text_policy, provider_address_f);

typedef struct interface_constraint_policy {
  char *guid;
  uint64_t luid;
  uint32_t index, media_type;
  char *alias, *description;
  cJSON *extras;
} interface_constraint_policy;
static const hns_field interface_constraint_f[] = {
    F("InterfaceGuid", HNS_K_GUID, interface_constraint_policy, guid),
    F("InterfaceLuid", HNS_K_U64, interface_constraint_policy, luid),
    F("InterfaceIndex", HNS_K_U32, interface_constraint_policy, index),
    F("InterfaceMediaType", HNS_K_U32, interface_constraint_policy, media_type),
    F("InterfaceAlias", HNS_K_STRING, interface_constraint_policy, alias),
    F("InterfaceDescription", HNS_K_STRING, interface_constraint_policy, description),
};
static const hns_schema interface_constraint_s =
    HNS_SCHEMA("InterfaceConstraintPolicySetting", interface_constraint_policy, interface_constraint_f);

static const hns_field tier_acl_rule_f[] = {
    F("Id", HNS_K_STRING, hns_tier_acl_rule_doc, id),
    F("Protocols", HNS_K_STRING, hns_tier_acl_rule_doc, protocols),
    FX("TierAclRuleAction", HNS_K_ENUM, hns_tier_acl_rule_doc, action, NAMES, actions, NULL),
    F("LocalAddresses", HNS_K_STRING, hns_tier_acl_rule_doc, local_addresses),
    F("RemoteAddresses", HNS_K_STRING, hns_tier_acl_rule_doc, remote_addresses),
    F("LocalPorts", HNS_K_STRING, hns_tier_acl_rule_doc, local_ports),
    F("RemotePorts", HNS_K_STRING, hns_tier_acl_rule_doc, remote_ports),
    F("Priority", HNS_K_U16, hns_tier_acl_rule_doc, priority),
};
static const hns_schema tier_acl_rule_s = HNS_SCHEMA("TierAclRule", hns_tier_acl_rule_doc, tier_acl_rule_f);

static const hns_field tier_acl_f[] = {
    F("Name", HNS_K_STRING, hns_tier_acl_policy, name),
    FX("Direction", HNS_K_ENUM, hns_tier_acl_policy, direction, NAMES, directions, NULL),
    F("Order", HNS_K_U16, hns_tier_acl_policy, order),
    FX("TierAclRules", HNS_K_ARRAY, hns_tier_acl_policy, rules, 0, &tier_acl_rule_s, NULL),
};
static const hns_schema tier_acl_s = HNS_SCHEMA("TierAclPolicySetting", hns_tier_acl_policy, tier_acl_f);

static const hns_field vlan_f[] = {F("IsolationId", HNS_K_U32, hns_u32_policy, value)};
static const hns_schema vlan_s = HNS_SCHEMA("VlanPolicySetting", hns_u32_policy, vlan_f);

static const hns_field interface_parameters_f[] = {F("Mtu", HNS_K_U16, hns_u16_policy, value)};
static const hns_schema interface_parameters_s =
    HNS_SCHEMA("InterfaceParametersPolicySetting", hns_u16_policy, interface_parameters_f);

/* Encryption (docs only, 2.1) is kept whole: no client models its settings. */
typedef struct raw_policy {
  cJSON *extras;
} raw_policy;
static const hns_schema raw_s = {"PolicySetting", sizeof(raw_policy), NULL, 0, offsetof(raw_policy, extras)};

static const hns_policy_type endpoint_types[] = {
    {"PortMapping", &port_mapping_s, -1},
    {"ACL", &acl_s, -1},
    {"QOS", &qos_s, -1},
    {"L2Driver", NULL, -1},
    {"OutBoundNAT", &outbound_nat_s, -1},
    {"SDNRoute", &sdn_route_s, -1},
    {"L4Proxy", &l4_proxy_s, HNS_FEATURE_L4_PROXY},
    {"L4WFPPROXY", &l4_wfp_proxy_s, HNS_FEATURE_L4_WFP_PROXY},
    {"PortName", &port_name_s, -1},
    {"EncapOverhead", &encap_overhead_s, -1},
    {"Iov", &iov_s, -1},
    {"ProviderAddress", &provider_address_s, -1},
    {"InterfaceConstraint", &interface_constraint_s, -1},
    {"TierAcl", &tier_acl_s, HNS_FEATURE_TIER_ACL},
    {"Encryption", &raw_s, -1},
    {"VLAN", &vlan_s, -1},
    {"InterfaceParameters", &interface_parameters_s, -1},
};
const hns_policy_scope hns_endpoint_policies = {"endpoint", endpoint_types, sizeof endpoint_types / sizeof endpoint_types[0]};

/* ---- network policy settings ---- */

static const hns_field source_mac_f[] = {F("SourceMacAddress", HNS_K_MAC, hns_text_policy, value)};
static const hns_schema source_mac_s = HNS_SCHEMA("SourceMacAddressNetworkPolicySetting", hns_text_policy, source_mac_f);

static const hns_field adapter_name_f[] = {F("NetworkAdapterName", HNS_K_STRING, hns_text_policy, value)};
static const hns_schema adapter_name_s = HNS_SCHEMA("NetAdapterNameNetworkPolicySetting", hns_text_policy, adapter_name_f);

typedef struct vswitch_extension_policy {
  char *extension_id;
  int enable;
  cJSON *extras;
} vswitch_extension_policy;
static const hns_field vswitch_extension_f[] = {
    F("ExtensionID", HNS_K_GUID, vswitch_extension_policy, extension_id),
    F("Enable", HNS_K_BOOL, vswitch_extension_policy, enable),
};
static const hns_schema vswitch_extension_s =
    HNS_SCHEMA("VSwitchExtensionNetworkPolicySetting", vswitch_extension_policy, vswitch_extension_f);

static const hns_field dr_mac_f[] = {F("Address", HNS_K_MAC, hns_text_policy, value)};
static const hns_schema dr_mac_s = HNS_SCHEMA("DrMacAddressNetworkPolicySetting", hns_text_policy, dr_mac_f);

static const hns_field automatic_dns_f[] = {F("Enable", HNS_K_BOOL, hns_bool_policy, value)};
static const hns_schema automatic_dns_s = HNS_SCHEMA("AutomaticDNSNetworkPolicySetting", hns_bool_policy, automatic_dns_f);

/* Not omitempty in hcsshim: every field is written even when zero. */
static const hns_field remote_subnet_f[] = {
    FX("DestinationPrefix", HNS_K_PREFIX, hns_remote_subnet_route_policy, destination_prefix, KEEP, NULL, NULL),
    FX("IsolationId", HNS_K_U32, hns_remote_subnet_route_policy, isolation_id, KEEP, NULL, NULL),
    FX("ProviderAddress", HNS_K_IP, hns_remote_subnet_route_policy, provider_address, KEEP, NULL, NULL),
    FX("DistributedRouterMacAddress", HNS_K_MAC, hns_remote_subnet_route_policy, distributed_router_mac_address, KEEP,
       NULL, NULL),
};
static const hns_schema remote_subnet_s = HNS_SCHEMA("RemoteSubnetRoutePolicySetting", hns_remote_subnet_route_policy, remote_subnet_f);

static const hns_field vxlan_port_f[] = {F("Port", HNS_K_U16, hns_u16_policy, value)};
static const hns_schema vxlan_port_s = HNS_SCHEMA("VxlanPortPolicySetting", hns_u16_policy, vxlan_port_f);

/* HostRoute's settings are an empty object that must be present (VDOCS). */
static const hns_schema host_route_s = {"HostRoutePolicySetting", sizeof(raw_policy), NULL, 0, offsetof(raw_policy, extras)};

static const hns_field set_policy_f[] = {
    F("Id", HNS_K_STRING, hns_set_policy, id),
    F("Name", HNS_K_STRING, hns_set_policy, name),
    FX("PolicyType", HNS_K_ENUM, hns_set_policy, policy_type, NAMES, set_policy_types, NULL),
    F("Values", HNS_K_STRING, hns_set_policy, values),
};
static const hns_schema set_policy_s = HNS_SCHEMA("SetPolicySetting", hns_set_policy, set_policy_f);

static const hns_field layer_constraint_f[] = {F("LayerId", HNS_K_GUID, hns_text_policy, value)};
static const hns_schema layer_constraint_s = HNS_SCHEMA("LayerConstraintNetworkPolicySetting", hns_text_policy, layer_constraint_f);

static const hns_policy_type network_types[] = {
    {"SourceMacAddress", &source_mac_s, -1},
    {"NetAdapterName", &adapter_name_s, -1},
    {"VSwitchExtension", &vswitch_extension_s, -1},
    {"DrMacAddress", &dr_mac_s, -1},
    {"AutomaticDNS", &automatic_dns_s, -1},
    {"InterfaceConstraint", &interface_constraint_s, -1},
    {"ProviderAddress", &provider_address_s, -1},
    {"RemoteSubnetRoute", &remote_subnet_s, HNS_FEATURE_REMOTE_SUBNET},
    {"VxlanPort", &vxlan_port_s, HNS_FEATURE_VXLAN_PORT},
    {"HostRoute", &host_route_s, HNS_FEATURE_HOST_ROUTE},
    {"SetPolicy", &set_policy_s, HNS_FEATURE_SET_POLICY},
    {"L4Proxy", &l4_proxy_s, HNS_FEATURE_L4_PROXY},
    {"LayerConstraint", &layer_constraint_s, -1},
    {"NetworkACL", &acl_s, HNS_FEATURE_NETWORK_ACL},
};
const hns_policy_scope hns_network_policies = {"network", network_types, sizeof network_types / sizeof network_types[0]};

/* ---- subnet policy settings: VLAN and VSID carry an IsolationId ---- */

static const hns_field vsid_f[] = {F("IsolationId", HNS_K_U32, hns_u32_policy, value)};
static const hns_schema vsid_s = HNS_SCHEMA("VsidPolicySetting", hns_u32_policy, vsid_f);

static const hns_policy_type subnet_types[] = {
    {"VLAN", &vlan_s, -1},
    {"VSID", &vsid_s, -1},
};
const hns_policy_scope hns_subnet_policies = {"subnet", subnet_types, sizeof subnet_types / sizeof subnet_types[0]};

const hns_policy *hns_policy_find(const hns_policies *ps, const char *name) {
  for (size_t i = 0; i < ps->n; i++)
    if (!strcasecmp(ps->v[i].type->name, name)) return &ps->v[i];
  return NULL;
}
