/* sim_net_query.h: read-only questions about the model that its builders
 * ask back: what a host's NICs are (to pick an HNS network's uplink), which
 * hosts and interfaces exist (for a truth table over all of them), and
 * what one interface is (its kind, compartment, network, segment,
 * addresses, MAC), so a caller can name an endpoint and learn the address to probe.
 *
 * Answers are copies into the caller's structs, never pointers into the
 * model; a name longer than SIM_QUERY_NAME - 1 bytes is cut there. A failed
 * call leaves *out untouched and sim_net_last_error names the field and
 * value, like every other sim_net call. */
#ifndef SIM_NET_QUERY_H
#define SIM_NET_QUERY_H
#include <stddef.h>
#include "sim_net.h"

#define SIM_QUERY_NAME 128

typedef enum sim_iface_kind {
  SIM_IFACE_NIC = 0,      /* a physical NIC in the host compartment */
  SIM_IFACE_ENDPOINT = 1, /* an HNS endpoint: a port of a network */
  SIM_IFACE_HOST_VNIC = 2, /* a network's host vNIC */
  SIM_IFACE_BRIDGE = 3    /* a Linux host's bridge */
} sim_iface_kind;

typedef struct sim_iface_info {
  char name[SIM_QUERY_NAME];
  sim_iface_kind kind;
  char compartment[SIM_QUERY_NAME]; /* "" for a detached endpoint */
  char network[SIM_QUERY_NAME];     /* an endpoint's or vNIC's network, the network bound to a NIC, or "" */
  char segment[SIM_QUERY_NAME];     /* the segment a NIC is cabled to; "" for every other kind */
  sim_prefix addr[2];               /* family 0: unused */
  sim_mac mac;                      /* zero for bridges */
} sim_iface_info;

/* The interface `iface` of `host`. */
int sim_net_iface_info(sim_net *net, const char *host, const char *iface, sim_iface_info *out);

/* The NICs of `host` in name order (strcmp), so the answer never depends
 * on the order objects were created or removed in: the first min(cap,
 * count) go to out[], and *count receives how many the host has. */
int sim_net_host_nics(sim_net *net, const char *host, sim_iface_info *out, size_t cap, size_t *count);

/* Every interface of `host` (NICs, endpoints, host vNICs, bridges) in name
 * order, the same way. */
int sim_net_host_ifaces(sim_net *net, const char *host, sim_iface_info *out, size_t cap, size_t *count);

typedef struct sim_host_info {
  char name[SIM_QUERY_NAME];
  sim_host_kind kind;
} sim_host_info;

/* Every host of the model in name order, the same way. */
int sim_net_hosts(sim_net *net, sim_host_info *out, size_t cap, size_t *count);

#endif
