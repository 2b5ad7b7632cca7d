/* hns_doc_policy.h: the settings of every endpoint, network and subnet policy
 * type, as C structs, and the three scopes that list them. The data plane
 * reads the typed settings (an ACL's ports, an OutBoundNAT's exceptions);
 * nothing downstream parses JSON. Sources: hns-api-facts.md §3.8 (hcsshim
 * hcn/hcnpolicy.go, VDOCS HNS_Schema.md). */
#ifndef HNS_DOC_POLICY_H
#define HNS_DOC_POLICY_H
#include "hns_doc.h"

/* Names-only enums, numbered from 1 so that 0 means "not given". */
enum { HNS_ACTION_ALLOW = 1, HNS_ACTION_BLOCK, HNS_ACTION_PASS };
enum { HNS_DIRECTION_IN = 1, HNS_DIRECTION_OUT };
enum { HNS_RULE_HOST = 1, HNS_RULE_SWITCH };
enum { HNS_SETPOLICY_IPSET = 1, HNS_SETPOLICY_NESTEDIPSET };

typedef struct hns_port_mapping_policy {
  uint32_t protocol; /* 6 TCP, 17 UDP */
  uint16_t internal_port, external_port;
  char *vip;
  uint32_t flags; /* NatFlags: LocalRoutedVip 1, IPv6 2, ExternalPortReserved 4 */
  cJSON *extras;
} hns_port_mapping_policy;

typedef struct hns_acl_policy { /* ACL and NetworkACL */
  char *id;
  char *protocols; /* "6", "17", "6,17", ... */
  int action, direction, rule_type;
  char *local_addresses, *remote_addresses, *local_ports, *remote_ports;
  uint16_t priority;
  cJSON *extras;
} hns_acl_policy;

typedef struct hns_outbound_nat_policy {
  char *virtual_ip;
  hns_strv exceptions, destinations;
  uint32_t flags;
  uint16_t max_port_pool_usage;
  cJSON *extras;
} hns_outbound_nat_policy;

typedef struct hns_l4_proxy_policy {
  char *ip, *port;
  uint32_t protocol;
  hns_strv exceptions; /* hcsshim "Exceptions", docs "ExceptionList" */
  char *destination;
  int outbound_nat;
  cJSON *extras;
} hns_l4_proxy_policy;

typedef struct hns_five_tuple_doc {
  char *protocols, *local_addresses, *remote_addresses, *local_ports, *remote_ports;
  uint16_t priority;
  cJSON *extras;
} hns_five_tuple_doc;

typedef struct hns_proxy_exceptions_doc {
  hns_strv ip_address_exceptions, port_exceptions;
  cJSON *extras;
} hns_proxy_exceptions_doc;

typedef struct hns_l4_wfp_proxy_policy {
  char *inbound_proxy_port, *outbound_proxy_port;
  hns_five_tuple_doc filter_tuple;
  char *user_sid;
  hns_proxy_exceptions_doc inbound_exceptions, outbound_exceptions;
  cJSON *extras;
} hns_l4_wfp_proxy_policy;

typedef struct hns_tier_acl_rule_doc {
  char *id, *protocols;
  int action;
  char *local_addresses, *remote_addresses, *local_ports, *remote_ports;
  uint16_t priority;
  cJSON *extras;
} hns_tier_acl_rule_doc;

typedef struct hns_tier_acl_policy {
  char *name;
  int direction;
  uint16_t order;
  hns_vec rules; /* hns_tier_acl_rule_doc */
  cJSON *extras;
} hns_tier_acl_policy;

typedef struct hns_remote_subnet_route_policy {
  char *destination_prefix;
  uint32_t isolation_id; /* the VSID; hcsshim uint16, docs uint32 */
  char *provider_address;
  char *distributed_router_mac_address;
  cJSON *extras;
} hns_remote_subnet_route_policy;

typedef struct hns_set_policy {
  char *id, *name;
  int policy_type; /* IPSET, NESTEDIPSET; hcsshim's field Type is written "PolicyType" */
  char *values;    /* comma-separated */
  cJSON *extras;
} hns_set_policy;

/* Single-value settings share one shape each. */
typedef struct hns_text_policy { char *value; cJSON *extras; } hns_text_policy;
typedef struct hns_u16_policy { uint16_t value; cJSON *extras; } hns_u16_policy;
typedef struct hns_u32_policy { uint32_t value; cJSON *extras; } hns_u32_policy;
typedef struct hns_bool_policy { int value; cJSON *extras; } hns_bool_policy;
typedef struct hns_u64_policy { uint64_t value; cJSON *extras; } hns_u64_policy;

extern const hns_policy_scope hns_endpoint_policies, hns_network_policies, hns_subnet_policies;

/* The first policy of type `name` in `ps`, or NULL. */
const hns_policy *hns_policy_find(const hns_policies *ps, const char *name);

#endif
