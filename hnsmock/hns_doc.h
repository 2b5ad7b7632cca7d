/* hns_doc.h: the HCN v2 documents as C structs, with the schemas that parse
 * and write them (hns_schema.h). Field names follow HNS's JSON; every struct
 * keeps the keys it does not know in `extras`. Sources: hns-api-facts.md §3
 * (VDOCS HNS_Schema.md and the structs of hcsshim's hcn package). */
#ifndef HNS_DOC_H
#define HNS_DOC_H
#include "hns_schema.h"

/* ---- shared parts ---- */

typedef struct hns_version_doc {
  uint32_t major, minor;
  cJSON *extras;
} hns_version_doc;

typedef struct hns_route_doc { /* Route {NextHop, DestinationPrefix, Metric} */
  char *next_hop;
  char *destination_prefix;
  uint16_t metric;
  cJSON *extras;
} hns_route_doc;

typedef struct hns_dns_doc { /* Dns {Domain, Search, ServerList, Options} */
  char *domain;
  hns_strv search, server_list, options;
  cJSON *extras;
} hns_dns_doc;

/* ---- HostComputeNetwork ---- */

typedef struct hns_ip_subnet_doc {
  char *id;
  char *ip_address_prefix;
  uint32_t flags; /* IPSubnetFlags: EnableBroadcast 1, ReserveNetworkAddress 2 */
  cJSON *extras;
} hns_ip_subnet_doc;

typedef struct hns_subnet_doc {
  char *id;
  char *ip_address_prefix;
  hns_policies policies; /* subnet policies: VLAN, VSID */
  hns_vec routes;        /* hns_route_doc */
  uint32_t flags;        /* SubnetFlags: DoNotReserveGatewayAddress 1 */
  hns_vec ip_subnets;    /* hns_ip_subnet_doc */
  cJSON *extras;
} hns_subnet_doc;

typedef struct hns_ipam_doc {
  int type;        /* hns_ipam_types */
  hns_vec subnets; /* hns_subnet_doc */
  cJSON *extras;
} hns_ipam_doc;

typedef struct hns_mac_range_doc {
  char *start_mac_address, *end_mac_address;
  cJSON *extras;
} hns_mac_range_doc;

typedef struct hns_mac_pool_doc {
  hns_vec ranges; /* hns_mac_range_doc */
  cJSON *extras;
} hns_mac_pool_doc;

typedef struct hns_network_doc {
  char *id;
  char *name;
  int type; /* enum hns_network_type; NAT (0) is written without "Type", as HNS does */
  hns_policies policies;
  hns_mac_pool_doc mac_pool;
  hns_dns_doc dns;
  hns_vec ipams; /* hns_ipam_doc */
  uint32_t flags; /* NetworkFlags */
  cJSON *health;
  hns_version_doc schema_version;
  char *owner;
  uint64_t version;
  cJSON *additional_params;
  uint32_t state;
  cJSON *extras;
} hns_network_doc;

/* ---- HostComputeEndpoint ---- */

typedef struct hns_ip_config_doc {
  char *ip_address;
  uint8_t prefix_length;
  char *ip_subnet_id;
  cJSON *extras;
} hns_ip_config_doc;

typedef struct hns_endpoint_doc {
  char *id;
  char *name;
  char *host_compute_network;
  char *host_compute_namespace; /* read-only: set by attaching to a namespace */
  hns_policies policies;
  hns_vec ip_configurations; /* hns_ip_config_doc */
  hns_dns_doc dns;
  hns_vec routes; /* hns_route_doc */
  char *mac_address;
  uint32_t flags; /* EndpointFlags: RemoteEndpoint 1, DisableICC 2, ... */
  cJSON *health;
  hns_version_doc schema_version;
  cJSON *additional_params;
  cJSON *extras;
} hns_endpoint_doc;

/* ---- HostComputeNamespace ---- */

typedef struct hns_ns_resource_doc {
  int type; /* hns_ns_resource_types: Container 0, Endpoint 1 */
  cJSON *data;
  cJSON *extras;
} hns_ns_resource_doc;

typedef struct hns_namespace_doc {
  char *id;
  uint32_t namespace_id; /* the compartment ID */
  char *namespace_guid;
  int type; /* hns_namespace_types: Host 0, HostDefault 1, Guest 2, GuestDefault 3 */
  hns_vec resources; /* hns_ns_resource_doc */
  int create_with_compartment;
  hns_version_doc schema_version;
  cJSON *extras;
} hns_namespace_doc;

/* ---- HostComputeLoadBalancer ---- */

typedef struct hns_lb_port_mapping_doc {
  uint32_t protocol;          /* 6 TCP, 17 UDP */
  uint16_t internal_port;     /* the backend's port */
  uint16_t external_port;     /* the VIP's port */
  uint32_t distribution_type; /* 0 None, 1 SourceIPProtocol, 2 SourceIP */
  uint32_t flags;             /* ILB 1, LocalRoutedVIP 2, UseMux 4, PreserveDIP 8 */
  cJSON *extras;
} hns_lb_port_mapping_doc;

typedef struct hns_loadbalancer_doc {
  char *id;
  hns_strv host_compute_endpoints; /* GUIDs */
  char *source_vip;
  hns_strv frontend_vips; /* empty: the host's own address (NodePort) */
  hns_vec port_mappings;  /* hns_lb_port_mapping_doc */
  uint32_t flags;         /* DSR 1, IPv6 2 */
  hns_version_doc schema_version;
  char *host_compute_network;
  cJSON *extras;
} hns_loadbalancer_doc;

/* ---- HostComputeRoute (SDN route) ---- */

typedef struct hns_sdn_route_setting_doc {
  char *destination_prefix;
  char *next_hop;
  int need_encap;
  int automatic_endpoint_monitor;
  cJSON *extras;
} hns_sdn_route_setting_doc;

typedef struct hns_sdnroute_doc {
  char *id;
  hns_strv host_compute_endpoints;
  hns_vec setting; /* hns_sdn_route_setting_doc; hcsshim's key "Setting", the docs' "Routes" */
  hns_version_doc schema_version;
  char *host_compute_network;
  cJSON *extras;
} hns_sdnroute_doc;

/* ---- requests ---- */

typedef struct hns_query_doc { /* HostComputeQuery */
  hns_version_doc schema_version;
  uint32_t flags; /* None 0, Detailed 1 */
  char *filter;   /* a JSON object, as a string */
  cJSON *extras;
} hns_query_doc;

typedef struct hns_modify_doc { /* Modify{Network,Endpoint,Namespace}SettingRequest */
  int resource_type;
  int request_type; /* hns_request_types */
  cJSON *settings;
  cJSON *extras;
} hns_modify_doc;

typedef struct hns_policy_request_doc { /* PolicyNetworkRequest, PolicyEndpointRequest */
  hns_policies policies;
  cJSON *extras;
} hns_policy_request_doc;

typedef struct hns_subnet_request_doc { /* SubnetNetworkRequest */
  hns_vec subnets; /* hns_subnet_doc */
  cJSON *extras;
} hns_subnet_request_doc;

typedef struct hns_ip_subnet_request_doc { /* IPSubnetNetworkRequest */
  char *subnet_id;
  hns_vec ip_subnets; /* hns_ip_subnet_doc */
  cJSON *extras;
} hns_ip_subnet_request_doc;

typedef struct hns_extension_request_doc { /* Extension {Id, IsEnabled} */
  char *id;
  int is_enabled;
  cJSON *extras;
} hns_extension_request_doc;

/* Enum tables (hns-api-facts.md §3.10). */
extern const hns_enum hns_network_types[], hns_ipam_types[], hns_namespace_types[], hns_ns_resource_types[],
    hns_request_types[], hns_network_resource_types[], hns_endpoint_resource_types[];

extern const hns_schema hns_version_schema, hns_route_schema, hns_dns_schema;
extern const hns_schema hns_network_schema, hns_subnet_schema, hns_ip_subnet_schema, hns_ipam_schema;
extern const hns_schema hns_endpoint_schema, hns_ip_config_schema;
extern const hns_schema hns_namespace_schema;
extern const hns_schema hns_loadbalancer_schema, hns_lb_port_mapping_schema;
extern const hns_schema hns_sdnroute_schema;
extern const hns_schema hns_query_schema;
extern const hns_schema hns_modify_network_schema, hns_modify_endpoint_schema, hns_modify_namespace_schema;
extern const hns_schema hns_network_policy_request_schema, hns_endpoint_policy_request_schema, hns_subnet_request_schema;
extern const hns_schema hns_ip_subnet_request_schema, hns_extension_request_schema;

#endif
