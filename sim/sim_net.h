/* sim_net.h: the data plane's model, as hnsmock (or a test) builds it.
 *
 * One sim_net holds the fabric (L2 segments with latency and loss, L3
 * routers with route tables, where cloud user-defined routes live) and the
 * hosts. A host has NICs on segments and compartments, each with a route
 * table (sim_lpm: longest prefix, then lower metric, then first added). A
 * Windows host has HNS networks, each a vSwitch of one type with its
 * endpoints as ports and, for most types, a host vNIC; a Linux host has a
 * bridge whose prefix holds its pods (DESIGN.md "The model"; the seed's
 * mixed clusters). The walk and the probes (sim_probe.h) read only this.
 *
 * Every object is named by a string the model copies: hosts, segments and
 * routers by a name unique in the sim_net; networks, compartments and
 * interfaces (NICs, endpoints, host vNICs, bridges share one namespace, as
 * routes name them) by a name unique in their host. No pointer into the
 * model is handed out.
 *
 * Every function returns SIM_OK or a negative status (SIM_E_INVAL for a
 * NULL or out-of-range argument, SIM_E_NOTFOUND for an unknown name,
 * SIM_E_EXISTS for a duplicate name or address, SIM_E_BUSY for an object
 * still in use, SIM_E_NOMEM); on failure nothing changed and
 * sim_net_last_error names the field and the value. */
#ifndef SIM_NET_H
#define SIM_NET_H
#include <stddef.h>
#include <stdint.h>
#include "sim_addr.h"
#include "sim_packet.h"
#include "sim_status.h"
#include "sim_time.h"
#include "sim_trace.h"
#include "sim_world.h"

typedef struct sim_net sim_net;

/* The data plane of `world`, whose clock and random streams it uses; the
 * world must outlive it. */
int sim_net_create(sim_world *world, sim_net **out);
void sim_net_destroy(sim_net *net);

/* Why the last failed call failed ("" after a success), never NULL. */
const char *sim_net_last_error(const sim_net *net);

/* ---- The fabric -------------------------------------------------------- */

/* An L2 segment (a LAN, a cloud subnet, a point-to-point link). Each
 * crossing takes `latency` and is lost with probability `loss` (0..1),
 * drawn from the world's stream "segment-loss:<name>", so one segment's
 * draws never shift another's. */
int sim_net_segment_add(sim_net *net, const char *name, sim_time latency, double loss);
/* Changes a segment's latency and loss from now on (a fault event). */
int sim_net_segment_set_link(sim_net *net, const char *name, sim_time latency, double loss);

/* Makes a segment a cloud subnet (on 1) or a plain LAN (0, the default).
 * A cloud network has no L2 of its own: its hosts answer every ARP with
 * their gateway's MAC and route every frame by IP (Azure virtual networks
 * answer ARP themselves and carry no broadcast; Microsoft Learn, "Azure
 * Virtual Network frequently asked questions"). On a cloud segment an
 * address that is no NIC's or router interface's is not a neighbour: a
 * frame for it goes to the segment's router (its first interface there,
 * in creation order), which routes it by its destination, through the
 * user-defined routes. An endpoint's address on a Transparent or L2Bridge
 * network is such an address; an L2Tunnel endpoint's is the cloud's own
 * (L2Tunnel hands its traffic to the physical host's SDN, §6), so it
 * stays a neighbour. */
int sim_net_segment_set_cloud(sim_net *net, const char *name, int on);

int sim_net_router_add(sim_net *net, const char *name);
/* An interface of `router` on `segment` with the address and prefix
 * length in `addr`; it adds the connected route of its prefix. */
int sim_net_router_iface_add(sim_net *net, const char *router, const char *iface, const char *segment,
                             const sim_prefix *addr);
/* A static route: `next_hop` must be on the prefix of one of the router's
 * interfaces (a cloud user-defined route such as ACS's pod /24 to its
 * host). `id` names the route in traces; NULL names it by "prefix via hop". */
int sim_net_router_route_add(sim_net *net, const char *router, const sim_prefix *dst, const sim_ip *next_hop,
                             uint32_t metric, const char *id);
int sim_net_router_route_remove(sim_net *net, const char *router, const sim_prefix *dst, const sim_ip *next_hop);

/* ---- Hosts, NICs, compartments, routes -------------------------------- */

typedef enum sim_host_kind { SIM_HOST_WINDOWS = 0, SIM_HOST_LINUX = 1 } sim_host_kind;

/* The name of the compartment every host has (compartment 1 on Windows,
 * the root namespace on Linux). */
#define SIM_HOST_COMPARTMENT "host"

/* A host with its host compartment. Hosts forward between interfaces
 * (IP forwarding on), as the seed's routed pod networks need (inferred for
 * Windows: HNS's L2Bridge routes cross-subnet pod traffic through the
 * management vNIC, hns-api-facts.md §6; kubenet needs it on Linux). */
int sim_net_host_add(sim_net *net, const char *name, sim_host_kind kind);

/* A physical NIC in the host compartment, on `segment`, with `addr` (the
 * address and the prefix length) and `mac`; adds its connected route. */
int sim_net_nic_add(sim_net *net, const char *host, const char *nic, const char *segment, const sim_prefix *addr,
                    const sim_mac *mac);

/* A Linux host's bridge (cbr0, cni0) in the host compartment: `addr` is the
 * bridge's own address and the pod prefix behind it; every other address
 * of that prefix is a pod on that host. Adds the connected route. */
int sim_net_bridge_add(sim_net *net, const char *host, const char *bridge, const sim_prefix *addr);

/* A compartment (an HNS namespace, a pod). */
int sim_net_compartment_add(sim_net *net, const char *host, const char *compartment);
/* SIM_E_BUSY while an endpoint is attached; the host compartment stays. */
int sim_net_compartment_remove(sim_net *net, const char *host, const char *compartment);

/* What a compartment answers. By default it accepts every port (a probe
 * that arrives is delivered). Once any listener is added, TCP and UDP
 * probes to other ports are refused (RST, ICMP port unreachable); ICMP is
 * always answered. */
int sim_net_listen(sim_net *net, const char *host, const char *compartment, uint8_t proto, uint16_t port);

/* A route in a compartment through one of its interfaces. A next hop of
 * family 0 means on-link (the destination itself is the next hop). `id`
 * names the route in traces (NULL: "prefix via hop dev iface"). The
 * interface must be in the compartment and have an address of the route's
 * family. */
typedef struct sim_route_spec {
  const char *compartment;
  sim_prefix dst;
  sim_ip next_hop;
  const char *iface;
  uint32_t metric;
  const char *id;
} sim_route_spec;
int sim_net_route_add(sim_net *net, const char *host, const sim_route_spec *route);
/* Removes the route (compartment, dst, iface, next_hop). */
int sim_net_route_remove(sim_net *net, const char *host, const sim_route_spec *route);

/* ---- HNS networks (vSwitches) and endpoints (ports) -------------------- */

/* hns-api-facts.md §3.10 and §6. */
typedef enum sim_net_type {
  SIM_NET_NAT = 0,
  SIM_NET_ICS,
  SIM_NET_TRANSPARENT,
  SIM_NET_L2BRIDGE,
  SIM_NET_L2TUNNEL,
  SIM_NET_OVERLAY,
  SIM_NET_PRIVATE,
  SIM_NET_INTERNAL
} sim_net_type;

/* "NAT", "ICS", "Transparent", "L2Bridge", "L2Tunnel", "Overlay",
 * "Private", "Internal"; "" for another value. */
const char *sim_net_type_name(sim_net_type type);

/* An HNS network. External types (Transparent, L2Bridge, L2Tunnel,
 * Overlay) bind the vSwitch to the uplink NIC, which serves one network
 * only; the others are internal vSwitches and take none (hns-api-facts.md
 * §6). A host vNIC (the "vEthernet (...)" adapter in the host compartment,
 * holding the gateway on NAT networks) is optional and not allowed on
 * Private networks, which reach no host. */
typedef struct sim_network_spec {
  const char *name;
  sim_net_type type;
  const char *uplink;         /* a NIC of the host, or NULL */
  const char *host_vnic;      /* the host vNIC's interface name, or NULL for none */
  const sim_prefix *vnic_addr; /* its address and prefix length; required with host_vnic */
} sim_network_spec;
int sim_net_network_add(sim_net *net, const char *host, const sim_network_spec *spec);
/* SIM_E_BUSY while the network has endpoints. */
int sim_net_network_remove(sim_net *net, const char *host, const char *network);

/* An endpoint: a port of `network` with up to two addresses (dual stack:
 * one IPv4 and one IPv6; family 0 for none) and a MAC. It carries traffic
 * once attached to a compartment. */
typedef struct sim_port_spec {
  const char *name;
  const char *network;
  sim_prefix addr[2];
  sim_mac mac;
} sim_port_spec;
int sim_net_port_add(sim_net *net, const char *host, const sim_port_spec *spec);
/* Removes the endpoint and the routes through it. */
int sim_net_port_remove(sim_net *net, const char *host, const char *port);
/* Attaches the endpoint to a compartment (adding its connected routes);
 * SIM_E_BUSY when it is attached already. */
int sim_net_port_attach(sim_net *net, const char *host, const char *port, const char *compartment);
/* Detaches it and removes the routes through it. */
int sim_net_port_detach(sim_net *net, const char *host, const char *port);

/* ---- The pipeline hook ------------------------------------------------- *
 *
 * Every endpoint has two ordered stage tables, one per direction, and every
 * network two more for its uplink (where overlay encapsulation and
 * decapsulation go). Directions are the endpoint's, as HNS ACLs name them:
 * OUT is from the container into the vSwitch, IN is from the vSwitch to
 * the container; on an uplink OUT is towards the wire.
 *
 * Contract of a stage:
 *   - It is called with the packet, the direction and where it runs, and
 *     fills a decision. It may rewrite the packet (addresses, ports, MACs,
 *     the VXLAN outer header); it then sets `translated`.
 *   - It returns SIM_OK; any other status drops the packet with the reason
 *     "stage <name> failed: <status>".
 *   - It never records trace hops, schedules events or changes the model:
 *     the walk records one hop per stage call (stage name, `rule`, the flow
 *     before and after, the verdict).
 *   - `rule` is the ID of the rule or policy that decided ("" or NULL when
 *     none did); the walk copies it at once, so it may point into the
 *     stage's state.
 *   - PASS: the next stage runs, then the vSwitch switches the packet on
 *     its (possibly rewritten) destination. DROP: the walk ends with the
 *     probe verdict "dropped" and this stage's name and rule as the reason.
 *     CONSUMED: the stage has taken the packet over (a proxy, a queue); the
 *     walk ends and the probe reports "dropped" with the reason "consumed
 *     by stage <name>".
 *   - Its result depends only on the packet, the direction, the place and
 *     its own state (no clock, no addresses, no hash order), so walks stay
 *     deterministic. A stage added to a table runs after those added
 *     before it.
 */
/* Besides these tables, the walk runs the built-in policy stages of
 * sim_policy.h with the same contract and one hop each: at an endpoint
 * (OUT: before the table's stages; IN: after them), on the uplink (encap
 * after the OUT table, decap before the IN table), and at three points of
 * a host that have no table: host OUT (the host's own packet, before its
 * route lookup), host ingress (a packet from a NIC, after nic-in and the
 * uplink's IN stages) and host egress (a packet of the host's stack, before
 * nic-out). */
typedef enum sim_dir { SIM_DIR_IN = 0, SIM_DIR_OUT = 1 } sim_dir;

typedef struct sim_stage_decision {
  sim_stage_verdict verdict;
  const char *rule;
  int translated;
} sim_stage_decision;

/* Where a stage runs. The strings are valid during the call only. */
typedef struct sim_stage_place {
  const char *host;
  const char *network;
  const char *port; /* the endpoint, or the uplink NIC for network stages */
  sim_time now;
} sim_stage_place;

typedef int (*sim_stage_fn)(void *state, sim_packet *pkt, sim_dir dir, const sim_stage_place *place,
                            sim_stage_decision *out);

/* Appends a stage named `stage` (it appears in traces) to the endpoint's
 * table for `dir`. `state` is passed back on each call; the model does not
 * own it. */
int sim_net_port_stage_add(sim_net *net, const char *host, const char *port, sim_dir dir, const char *stage,
                           sim_stage_fn fn, void *state);
/* The same on a network's uplink. */
int sim_net_network_stage_add(sim_net *net, const char *host, const char *network, sim_dir dir, const char *stage,
                              sim_stage_fn fn, void *state);

/* ---- The capture hook -------------------------------------------------- *
 *
 * One callback sees every packet where a capture on a real system would:
 * leaving and entering an endpoint (OUT before its stages, IN after them),
 * leaving and entering a NIC, and on each router. `point` names the
 * place: "port-out", "port-in", "nic-out", "nic-in", "router". The packet
 * is the walk's own: read it during the call, never keep it. */
typedef struct sim_capture_place {
  const char *host;  /* host or router name */
  const char *iface; /* endpoint, NIC or router interface name */
  const char *point;
  sim_leg leg;
} sim_capture_place;
typedef void (*sim_capture_fn)(void *ctx, sim_time time, const sim_capture_place *place, const sim_packet *pkt);

/* Sets (or, with fn NULL, clears) the capture callback. */
void sim_net_set_capture(sim_net *net, sim_capture_fn fn, void *ctx);

#endif
