/* sim_policy.h: the HNS policies of the model, as a caller (hnsmock, a
 * test) sets them, by the names sim_net.h gave the objects: an endpoint's
 * ACL rules, OutBoundNAT, PortMapping and SDN routes; a host's load
 * balancers and the Windows version's differences; a NAT or ICS network's
 * WinNAT; an Overlay network's VXLAN settings and its remote endpoints.
 *
 * The walk runs them as built-in stages, in the VFP layer order that
 * docs/dataplane.md ("Stages in the walk") gives with its sources:
 *   endpoint OUT:  acl, sdn-route, lb, nat, then the hook's stages
 *   endpoint IN:   the hook's stages, then lb (a DSR reply), acl
 *   host OUT:      lb (the host's own packets, before its route lookup)
 *   host ingress:  after nic-in (and decap): lb (NodePort, replies), nat
 *                  (port mappings, replies)
 *   host egress:   nat (WinNAT), where a packet of the host's stack leaves
 *                  by a NIC
 *   uplink:        encap after the hook's OUT stages, decap before its IN
 * Each records one trace hop per call, like the hook's stages (stage
 * name, the deciding rule or policy ID, the flow before and after). A
 * stage runs only where it has configuration: an endpoint with an ACL set,
 * a host with load balancers or NAT rules (once made, a host's tables stay
 * and their tracked connections expire).
 *
 * Connection tracking: per host one table for the LB stage and one for the
 * NAT stage; a DSR connection goes in a table of the client's endpoint,
 * where its reply is given the VIP back (docs/dataplane.md). Timeouts run
 * on the packets' simulated times.
 *
 * Every function returns SIM_OK or a negative status (SIM_E_INVAL,
 * SIM_E_NOTFOUND, SIM_E_EXISTS, SIM_E_BUSY, SIM_E_NOMEM); on failure
 * nothing changed and sim_net_last_error names the field and the value.
 * Arrays and strings are copied. */
#ifndef SIM_POLICY_H
#define SIM_POLICY_H
#include <stddef.h>
#include <stdint.h>
#include "sim_acl.h"
#include "sim_lb.h"
#include "sim_nat.h"
#include "sim_net.h"

/* ---- A host's settings ------------------------------------------------ */

/* Connections per conntrack table when the host names none. */
#define SIM_POLICY_CT_DEFAULT 16384

typedef struct sim_policy_host_spec {
  sim_lb_profile lb;  /* the Windows version's LB differences (docs/profiles.md) */
  size_t ct_capacity; /* per table; 0: SIM_POLICY_CT_DEFAULT */
} sim_policy_host_spec;

/* Sets the host's profile. Without a call a host acts as Windows Server
 * 2019 does (VIPs balanced, the host reaches neither VIPs nor its own
 * NodePort; docs/profiles.md). SIM_E_BUSY once the host has load balancers
 * or tracked connections. Windows hosts only. */
int sim_policy_host_set(sim_net *net, const char *host, const sim_policy_host_spec *spec);

/* ---- ACL (endpoint "ACL" policies, network "NetworkACL") ---------------- */

/* Replaces the endpoint's rules: all are parsed (sim_acl_rule_parse) and a
 * new set built before the old one goes, so a bad rule ("rules[2]
 * LocalPorts: ...") changes nothing. `profile` gives the defaults of a
 * rule type with no rules (sim_acl.h). n = 0 keeps only the defaults. */
int sim_policy_acl_set(sim_net *net, const char *host, const char *endpoint, sim_acl_profile profile,
                       const sim_acl_rule_text *rules, size_t n);
/* Takes the endpoint's ACL stage away (no ACL policy at all). */
int sim_policy_acl_clear(sim_net *net, const char *host, const char *endpoint);

/* ---- Load balancers ---------------------------------------------------- */

/* A HostComputeLoadBalancer on `host` (sim_lb_add's rules and refusals).
 * NodePort frontends (no VIP) answer on the addresses of the host's NICs. */
int sim_policy_lb_add(sim_net *net, const char *host, const sim_lb_spec *spec);
int sim_policy_lb_remove(sim_net *net, const char *host, const char *id);

/* ---- NAT ----------------------------------------------------------------
 * Port ranges: 0, 0 is the host's dynamic range, 49152-65535
 * (docs/profiles.md). IDs are unique among a host's NAT rules. */

/* WinNAT for a NAT or ICS network (ICS's own NAT modelled as WinNAT,
 * sim_policy_nat.c): sources in `internal` leave the host with its NIC
 * address (or `external`). */
typedef struct sim_policy_winnat_spec {
  const char *id;
  sim_prefix internal;
  const sim_ip *external; /* NULL: the host's first NIC address of the family */
  uint16_t port_first, port_last;
} sim_policy_winnat_spec;
int sim_policy_winnat_add(sim_net *net, const char *host, const char *network, const sim_policy_winnat_spec *spec);

/* OutBoundNAT on an endpoint (for its address of `family`, 0: its first). */
typedef struct sim_policy_outbound_spec {
  const char *id;
  uint8_t family;
  const sim_ip *virtual_ip; /* NULL: the host's first NIC address of the family */
  const sim_prefix *exceptions;
  size_t n_exceptions;
  const sim_prefix *destinations;
  size_t n_destinations;
  uint16_t port_first, port_last;
} sim_policy_outbound_spec;
int sim_policy_outbound_nat_add(sim_net *net, const char *host, const char *endpoint,
                                const sim_policy_outbound_spec *spec);

/* A PortMapping policy on an endpoint: (vip or every NIC address, protocol,
 * external_port) goes to the endpoint's address and internal_port. On a NAT
 * or ICS network it is a WinNAT static mapping, elsewhere a VFP rule (which
 * needs SIM_NAT_PM_LOCAL_ROUTED_VIP, sim_nat.h). */
typedef struct sim_policy_portmap_spec {
  const char *id;
  uint8_t protocol;
  uint16_t internal_port, external_port;
  const sim_ip *vip;
  uint32_t flags; /* SIM_NAT_PM_*; IPv6 picks the endpoint's IPv6 address */
} sim_policy_portmap_spec;
int sim_policy_portmap_add(sim_net *net, const char *host, const char *endpoint,
                           const sim_policy_portmap_spec *spec);

/* Removes a WinNAT, OutBoundNAT or PortMapping rule of the host by ID. */
int sim_policy_nat_remove(sim_net *net, const char *host, const char *id);

/* ---- SDN routes (SDNRoute / v1 ROUTE endpoint policies) ----------------- */

/* Packets of the endpoint to `dst` (longest prefix first): with need_encap
 * they are handed to the host (the "let pods reach the host" route of
 * win-bridge and win-overlay); without it, with a next hop, the vSwitch
 * sends them to that next hop. */
typedef struct sim_policy_route_spec {
  const char *id;
  sim_prefix dst;
  sim_ip next_hop; /* family 0: none */
  int need_encap;
} sim_policy_route_spec;
int sim_policy_sdn_route_add(sim_net *net, const char *host, const char *endpoint, const sim_policy_route_spec *spec);
int sim_policy_sdn_route_remove(sim_net *net, const char *host, const char *endpoint, const char *id);

/* ---- Overlay (VXLAN) ---------------------------------------------------- */

typedef struct sim_overlay_spec {
  uint32_t vsid;            /* the VSID policy's IsolationId: the VNI, 1..16777215 */
  uint16_t udp_port;        /* the VxlanPort policy; 0: 4789 */
  sim_ip provider_address;  /* this host's PA: the uplink NIC's address */
  sim_mac dr_mac;           /* the DrMacAddress policy; all zero: none */
} sim_overlay_spec;
/* Sets (or replaces) an Overlay network's VXLAN settings. */
int sim_policy_overlay_set(sim_net *net, const char *host, const char *network, const sim_overlay_spec *spec);

/* A remote endpoint (a /32 or /128: a pod of another host, kube-proxy's
 * RemoteEndpoint with its ProviderAddress policy) or a RemoteSubnetRoute (a
 * prefix, flannel's): inner packets to `dst` go VXLAN-encapsulated to `pa`
 * with `mac` (the endpoint's MAC, or the route's
 * DistributedRouterMacAddress) as their destination MAC. */
typedef struct sim_remote_spec {
  const char *id;
  sim_prefix dst;
  sim_mac mac;
  sim_ip pa;
} sim_remote_spec;
int sim_policy_remote_add(sim_net *net, const char *host, const char *network, const sim_remote_spec *spec);
int sim_policy_remote_remove(sim_net *net, const char *host, const char *network, const char *id);

#endif
