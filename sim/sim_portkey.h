/* sim_portkey.h: the key a frontend is found by, (address, protocol, port),
 * shared by load-balancer frontends and port mappings; and the small set of
 * a host's own addresses that a frontend without an address stands for
 * (NodePort: an empty FrontendVIPs list, hns-api-facts.md §3.6; a
 * PortMapping with no VIP, §3.8).
 *
 * A key is written as a sim_flow (destination address and port, protocol;
 * the rest zero) so it is hashed by sim_flow_hash like every other stage
 * key. "Every host address" is the unspecified address of the family
 * (0.0.0.0 or ::), the way a wildcard bind names it; a frontend may not
 * name the unspecified address itself. */
#ifndef SIM_PORTKEY_H
#define SIM_PORTKEY_H
#include <stddef.h>
#include "sim_packet.h"

/* The key of (ip, protocol, port); ip NULL means every host address of
 * `family` (4 or 6). */
void sim_portkey_make(const sim_ip *ip, int family, uint8_t proto, uint16_t port, sim_flow *out);

/* 1 if ip is 0.0.0.0 or ::. */
int sim_ip_is_unspecified(const sim_ip *ip);

/* 1 if ip is a well-formed 4 or 6 address whose unused bytes are zero. */
int sim_ip_is_valid(const sim_ip *ip);

/* 1 if both addresses are valid and of one family, else 0. */
int sim_flow_is_valid(const sim_flow *f);

#define SIM_HOSTADDRS_MAX 16

/* A host's own addresses, in the order given: the first of a family is the
 * one outbound SNAT uses when a rule names none. A linear search over at
 * most SIM_HOSTADDRS_MAX addresses (hosts have a handful). */
typedef struct sim_hostaddrs {
  sim_ip a[SIM_HOSTADDRS_MAX];
  size_t n;
} sim_hostaddrs;

/* Replaces the set. SIM_E_INVAL (set unchanged) for more than
 * SIM_HOSTADDRS_MAX addresses, an invalid or unspecified one, or a
 * duplicate; *bad_index then names it. */
int sim_hostaddrs_set(sim_hostaddrs *h, const sim_ip *addrs, size_t n, size_t *bad_index);
int sim_hostaddrs_contains(const sim_hostaddrs *h, const sim_ip *ip);
/* The first address of `family`, or NULL. */
const sim_ip *sim_hostaddrs_first(const sim_hostaddrs *h, int family);

#endif
