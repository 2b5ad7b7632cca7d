/* sim_nat.h: one host's address translation rules and the NAT stage:
 *
 * - WinNAT, for NAT networks (and ICS networks, modelled the same way,
 *   inferred): containers of the internal prefix reach out
 *   with the host's address and a source port from a range (hns-api-facts.md
 *   §6: "Outbound routed through the host mgmt vNIC bound to WinNAT"; the
 *   WinNAT blog, Jason Messer 2016: the source address becomes the host
 *   vNIC's and a flow-state entry is created);
 * - OutBoundNAT endpoint policies, for L2Bridge and Overlay (§3.8:
 *   {VirtualIP, Exceptions, Destinations}): the endpoint's packets leave with
 *   VirtualIP, or the host's address when it is empty, unless the destination
 *   is in Exceptions; a non-empty Destinations limits the policy to those
 *   prefixes (consumers-and-pain-points.md §2.1: the loopback-DSR policy is
 *   an OutBoundNAT with Destinations [podIP]);
 * - PortMapping endpoint policies and WinNAT static mappings (§3.8
 *   {Protocol, InternalPort, ExternalPort, VIP, Flags}; Add-NetNatStaticMapping):
 *   a packet to (VIP or any host address, protocol, ExternalPort) goes to
 *   the endpoint's InternalPort.
 *
 * Every translation creates a connection in the caller's conntrack table,
 * so replies get the reverse. Invariants: IDs are unique across all rules;
 * a (VIP or "every host address", protocol, ExternalPort) has one port
 * mapping; internal prefixes of two WinNAT rules differ; lookups are hash
 * probes (the source endpoint, the longest WinNAT prefix, the port key),
 * never a scan of the rules. Within one endpoint, its OutBoundNAT policies
 * are tried in the order they were added (an endpoint has one or two). */
#ifndef SIM_NAT_H
#define SIM_NAT_H
#include <stddef.h>
#include <stdint.h>
#include "sim_conntrack.h"
#include "sim_packet.h"
#include "sim_time.h"

typedef struct sim_nat sim_nat;

int sim_nat_create(uint64_t seed, sim_nat **out);
void sim_nat_destroy(sim_nat *nat);

/* The host's own addresses: the first of a family is the SNAT address of
 * rules that name none; all of them are what a port mapping without a VIP
 * listens on. */
int sim_nat_set_host_addresses(sim_nat *nat, const sim_ip *addrs, size_t n);

typedef struct sim_winnat_spec {
  const char *id;         /* 1..63 bytes */
  sim_prefix internal;    /* the NAT network's prefix */
  const sim_ip *external; /* NULL: the host's first address of the family */
  uint16_t port_first, port_last; /* SNAT source ports (and ICMP echo identifiers), inclusive */
} sim_winnat_spec;

typedef struct sim_outbound_spec {
  const char *id;
  sim_ip endpoint;          /* the endpoint the policy is on */
  const sim_ip *virtual_ip; /* NULL: the host's first address of the family */
  const sim_prefix *exceptions;
  size_t n_exceptions;
  const sim_prefix *destinations;
  size_t n_destinations; /* 0: every destination */
  uint16_t port_first, port_last;
} sim_outbound_spec;

/* NatFlags (§3.10). */
enum { SIM_NAT_PM_LOCAL_ROUTED_VIP = 1, SIM_NAT_PM_IPV6 = 2 };

typedef struct sim_portmap_spec {
  const char *id;
  sim_ip endpoint;        /* the container that receives */
  uint8_t protocol;       /* 6 or 17 */
  uint16_t internal_port; /* the container's port */
  uint16_t external_port; /* the host's port */
  const sim_ip *vip;      /* NULL: every host address of the family */
  uint32_t flags;         /* SIM_NAT_PM_*; IPv6 says the family */
  int vfp;                /* 1: on an L2Bridge/Overlay network (VFP); 0: a NAT or ICS network (WinNAT) */
} sim_portmap_spec;

/* Each adds one rule, all or nothing: SIM_E_INVAL (see sim_nat_errmsg),
 * SIM_E_EXISTS (the ID, WinNAT prefix or port key is taken), SIM_E_NOMEM. */
int sim_nat_add_winnat(sim_nat *nat, const sim_winnat_spec *spec);
int sim_nat_add_outbound(sim_nat *nat, const sim_outbound_spec *spec);
int sim_nat_add_portmap(sim_nat *nat, const sim_portmap_spec *spec);
/* SIM_E_NOTFOUND if no rule has that ID. Tracked connections stay until
 * they expire. */
int sim_nat_remove(sim_nat *nat, const char *id);
size_t sim_nat_count(const sim_nat *nat);

enum sim_nat_dir {
  SIM_NAT_OUTBOUND = 1, /* leaving a local endpoint */
  SIM_NAT_INBOUND,      /* arriving for the host (from the network or the host itself) */
  /* OR'd into either: only a tracked connection's translation applies, no
   * rule makes a new one (the answer of a connection that came in
   * untranslated passes untouched, reason SIM_NAT_UNTRACKED_REPLY) */
  SIM_NAT_TRACKED_ONLY = 0x10
};

enum sim_nat_verdict {
  SIM_NAT_PASS = 0,  /* untouched (see reason) */
  SIM_NAT_TRANSLATE, /* `after` is the packet to send */
  SIM_NAT_REPLY,     /* a reply of a tracked connection, reverse-translated */
  SIM_NAT_DROP       /* a rule applies but cannot translate (see reason) */
};

enum sim_nat_reason {
  SIM_NAT_OK = 0,
  SIM_NAT_NO_RULE,              /* no rule for this source (outbound) or port (inbound) */
  SIM_NAT_INSIDE_PREFIX,        /* WinNAT: the destination is inside the NAT network */
  SIM_NAT_EXCEPTED,             /* OutBoundNAT: the destination is in Exceptions */
  SIM_NAT_NOT_IN_DESTINATIONS,  /* OutBoundNAT: Destinations is set and does not hold it */
  SIM_NAT_ICMP_NOT_TRANSLATED,  /* OutBoundNAT does not translate ICMP */
  SIM_NAT_PORTMAP_NOT_APPLIED,  /* a VFP port mapping without LocalRoutedVip */
  SIM_NAT_NO_HOST_ADDRESS,      /* SNAT to the host, which has no address of the family */
  SIM_NAT_PORTS_EXHAUSTED,      /* every port of the range is in use toward this destination */
  SIM_NAT_TUPLE_IN_USE,         /* the translated flow is already another connection's */
  SIM_NAT_UNTRACKED_REPLY       /* SIM_NAT_TRACKED_ONLY and no tracked connection */
};

enum sim_nat_kind { SIM_NAT_WINNAT = 1, SIM_NAT_OUTBOUNDNAT, SIM_NAT_PORTMAP };

typedef struct sim_nat_decision {
  int verdict;                   /* enum sim_nat_verdict */
  int reason;                    /* enum sim_nat_reason */
  int kind;                      /* enum sim_nat_kind of the deciding rule; 0 if none */
  char rule_id[SIM_RULE_ID_MAX]; /* the deciding rule ("" if none) */
  sim_flow before, after;
  int from_conntrack;
} sim_nat_decision;

/* The stage. `ct` (required) holds this stage's connections: a packet of a
 * tracked connection gets its translation or the reverse before any rule is
 * looked at. Returns SIM_OK with *out, or SIM_E_INVAL / SIM_E_PAST with *out
 * untouched. */
int sim_nat_process(sim_nat *nat, sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, int dir, sim_time now,
                    sim_nat_decision *out);

const char *sim_nat_errmsg(const sim_nat *nat);

#endif
