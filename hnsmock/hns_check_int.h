/* hns_check_int.h: what the check modules share (private to hnsmock): a
 * host's state read into checked, indexed records (hns_check_state.c), the
 * labels violations name objects by (hns_check_label.c), the sink violations go to
 * (hns_check.c), and the families of checks (hns_check_lb.c,
 * hns_check_endpoint.c, hns_check_remote.c, hns_check_host.c).
 *
 * Invariants of a loaded host: every record's ID is non-empty and shorter
 * than HNS_CK_KEY; `key` is the ID in lower case (GUIDs compare in any
 * case, hns-api-facts.md §3.1); nets, eps and lbs are sorted by key with no
 * two equal; every address is parsed. Checks may trust these and never
 * re-validate. */
#ifndef HNS_CHECK_INT_H
#define HNS_CHECK_INT_H
#include <cjson/cJSON.h>
#include "hns_check.h"
#include "hns_profile.h"
#include "sim_addr.h"

#define HNS_CK_KEY 64
#define HNS_CK_LABEL 256
#define HNS_CK_REMOTE_ENDPOINT 1u /* EndpointFlags.RemoteEndpoint (facts §3.10) */
#define HNS_CK_LB_DSR 1u          /* LoadBalancerFlags.EnableDirectServerReturn (facts §3.6) */

typedef struct hns__ck_network {
  const char *id, *name; /* name may be NULL */
  char key[HNS_CK_KEY];
  int has_pa; /* a ProviderAddress network policy: the management IP */
  sim_ip pa;
} hns__ck_network;

typedef struct hns__ck_endpoint {
  const char *id, *name; /* name may be NULL */
  char key[HNS_CK_KEY];
  char network[HNS_CK_KEY]; /* HostComputeNetwork in lower case, "" when absent */
  int remote;               /* Flags has RemoteEndpoint */
  int has_state, state;     /* State, when the document has one */
  int has_mac;
  sim_mac mac;
  sim_ip *ips; /* IpConfigurations[].IpAddress, in order */
  size_t n_ips;
} hns__ck_endpoint;

typedef struct hns__ck_mapping {
  uint32_t protocol, external_port;
} hns__ck_mapping;

typedef struct hns__ck_lb {
  const char *id;
  char key[HNS_CK_KEY];
  const cJSON *backends; /* HostComputeEndpoints: an array of strings, or NULL */
  sim_ip *vips;          /* FrontendVIPs; none: the host's own addresses (NodePort) */
  size_t n_vips;
  hns__ck_mapping *maps; /* PortMappings */
  size_t n_maps;
  uint32_t flags;
  int has_state, state;
} hns__ck_lb;

typedef struct hns__ck_host {
  const char *name;
  const hns_profile *profile;
  cJSON *root; /* owns every string the records point to */
  hns__ck_network *nets;
  hns__ck_endpoint *eps;
  hns__ck_lb *lbs;
  size_t n_nets, n_eps, n_lbs;
  sim_ip *vips; /* every LB's FrontendVIPs, sorted (sim_ip_compare) */
  size_t n_vips;
} hns__ck_host;

/* Reads a live host into *root (hns_check_state's document); on failure
 * `err` names the call and the reason. */
hns_hr hns__ck_collect(hns_service *svc, cJSON **root, char *err, size_t len);
/* Checks and indexes `root` (taking it, freed with the host even on
 * failure); on failure `err` names the host, the field and the value. */
hns_hr hns__ck_host_load(hns__ck_host *h, const char *name, cJSON *root, char *err, size_t len);
void hns__ck_host_free(hns__ck_host *h);

/* Lookups by ID (any case); NULL when absent. */
const hns__ck_endpoint *hns__ck_endpoint_find(const hns__ck_host *h, const char *id);
const hns__ck_network *hns__ck_network_find(const hns__ck_host *h, const char *id);
/* 1 if `ip` is a FrontendVIP of a load balancer on the host. */
int hns__ck_is_vip(const hns__ck_host *h, const sim_ip *ip);

/* "endpoint <ID> '<name>' (<ip>, ...)", "remote endpoint <ID> (<ip>)",
 * "load balancer <ID> (<vip>:<port>/<proto>, ...)" ('*' for no VIP),
 * "network <ID> '<name>'". */
void hns__ck_endpoint_label(const hns__ck_endpoint *e, char out[HNS_CK_LABEL]);
void hns__ck_lb_label(const hns__ck_lb *lb, char out[HNS_CK_LABEL]);
void hns__ck_network_label(const hns__ck_network *n, char out[HNS_CK_LABEL]);
/* The network's name, else its ID, for "on network '<...>'" (a network the
 * state does not have is named by the endpoint's HostComputeNetwork). */
const char *hns__ck_network_name(const hns__ck_host *h, const hns__ck_endpoint *e);

/* Where violations go. A check reports through hns__ck_violation only. */
typedef struct hns__ck_sink hns__ck_sink;
void hns__ck_violation(hns__ck_sink *s, const hns__ck_host *h, const char *kind, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A check that runs out of memory says so; the run then fails with E_OUTOFMEMORY. */
void hns__ck_out_of_memory(hns__ck_sink *s);

/* The checks, by family. Each sees every host; `n` may be 0. */
typedef void hns__ck_fn(const hns__ck_host *hosts, size_t n, hns__ck_sink *s);
hns__ck_fn hns__ck_lb_endpoints_exist, hns__ck_lb_state, hns__ck_dns_vip_both_protocols;
hns__ck_fn hns__ck_endpoint_state, hns__ck_duplicate_ip_mac, hns__ck_remote_shadows_local;
hns__ck_fn hns__ck_remote_endpoints_live, hns__ck_remote_endpoints_referenced;
hns__ck_fn hns__ck_ephemeral_ports, hns__ck_management_ip;

#endif
