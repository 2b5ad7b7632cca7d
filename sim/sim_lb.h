/* sim_lb.h: one host's load balancers (HostComputeLoadBalancer,
 * hns-api-facts.md §3.6) and the load-balancing stage of its data plane.
 *
 * A load balancer has frontend VIPs (none: every address of the host, which
 * is how kube-proxy asks for a NodePort, §5.6), port mappings {protocol,
 * InternalPort (the backend's port), ExternalPort (the frontend's port),
 * DistributionType, Flags}, backends (the endpoints' addresses, each local
 * to this host or remote; the backend port is the mapping's InternalPort),
 * LB flags DSR and IPv6, and a SourceVIP.
 *
 * Invariants: every (frontend address, protocol, ExternalPort) belongs to
 * one mapping of one load balancer on the host, NodePorts included (a
 * second is refused with SIM_E_EXISTS; hnsmock turns that into
 * HCN_E_PORT_ALREADY_EXISTS, docs/profiles.md). IDs are unique. A lookup is
 * two hash probes at most (the packet's address, then "every host address"
 * if the address is the host's), never a scan of the load balancers.
 *
 * What the stage decides is in sim_lb_process and in docs/dataplane.md
 * ("Load balancing, NAT and connection tracking"), each rule with its
 * source. The Windows version's differences arrive as sim_lb_profile, filled
 * by the caller from its profile (hnsmock/hns_profile.h); sim knows nothing
 * of hnsmock. */
#ifndef SIM_LB_H
#define SIM_LB_H
#include <stddef.h>
#include <stdint.h>
#include "sim_conntrack.h"
#include "sim_packet.h"
#include "sim_time.h"

/* LoadBalancerFlags. */
enum { SIM_LB_DSR = 1, SIM_LB_IPV6 = 2 };
/* LoadBalancerPortMappingFlags. UseMux is kept but changes nothing here. */
enum { SIM_LB_PM_ILB = 1, SIM_LB_PM_LOCAL_ROUTED_VIP = 2, SIM_LB_PM_USE_MUX = 4, SIM_LB_PM_PRESERVE_DIP = 8 };
/* LoadBalancerDistribution. */
enum { SIM_LB_DIST_NONE = 0, SIM_LB_DIST_SOURCE_IP_PROTOCOL = 1, SIM_LB_DIST_SOURCE_IP = 2 };

typedef struct sim_lb_mapping {
  uint8_t protocol;       /* 6 TCP, 17 UDP, 132 SCTP */
  uint16_t internal_port; /* the backend's port, 1..65535 */
  uint16_t external_port; /* the frontend's port, 1..65535 */
  uint32_t distribution;  /* SIM_LB_DIST_* */
  uint32_t flags;         /* SIM_LB_PM_* */
} sim_lb_mapping;

typedef struct sim_lb_backend {
  sim_ip ip;
  int local; /* 1 if the endpoint is on this host */
} sim_lb_backend;

typedef struct sim_lb_spec {
  const char *id; /* 1..63 bytes */
  const sim_ip *vips;
  size_t n_vips; /* 0: NodePort, every host address of the LB's family */
  const sim_lb_mapping *mappings;
  size_t n_mappings; /* at least 1 */
  const sim_lb_backend *backends;
  size_t n_backends; /* 0 allowed: matching packets are dropped */
  uint32_t flags;    /* SIM_LB_DSR | SIM_LB_IPV6; IPv6 says the family of every address */
  const sim_ip *source_vip; /* NULL: none */
  /* The ephemeral-port block a non-DSR LB reserved on the host (hnsmock
   * assigns it); SNAT to source_vip takes source ports from it. count 0:
   * the client's source port is kept. */
  uint16_t snat_port_first;
  uint16_t snat_port_count;
} sim_lb_spec;

/* What the Windows version decides (docs/profiles.md rows "service VIP
 * load-balanced across hosts", "node reaches service VIPs", "node reaches
 * its own NodePort"). */
typedef struct sim_lb_profile {
  int service_vip_balanced;
  int host_reaches_service_vip;
  int host_reaches_local_nodeport;
} sim_lb_profile;

typedef struct sim_lb_table sim_lb_table;

/* `seed` keys backend choice (the run's seed, so a run is reproducible and
 * another seed spreads flows differently). */
int sim_lb_table_create(const sim_lb_profile *profile, uint64_t seed, sim_lb_table **out);
void sim_lb_table_destroy(sim_lb_table *t);

/* The host's own addresses, which NodePort frontends stand for. Replacing
 * them changes which packets match, not the load balancers. */
int sim_lb_set_host_addresses(sim_lb_table *t, const sim_ip *addrs, size_t n);

/* Adds a load balancer; all or nothing. SIM_E_INVAL (bad field; see
 * sim_lb_errmsg), SIM_E_EXISTS (ID, or a frontend key, already present), SIM_E_NOMEM. */
int sim_lb_add(sim_lb_table *t, const sim_lb_spec *spec);
/* SIM_E_NOTFOUND if no load balancer has that ID. Connections already
 * tracked keep their translation until they expire. */
int sim_lb_remove(sim_lb_table *t, const char *id);
size_t sim_lb_count(const sim_lb_table *t);

/* Where the packet comes from, as the port pipeline sees it. */
enum sim_lb_origin {
  SIM_LB_FROM_LOCAL = 1, /* a container on this host */
  SIM_LB_FROM_HOST,      /* the host's own compartment */
  SIM_LB_FROM_NETWORK    /* another machine */
};

enum sim_lb_verdict {
  SIM_LB_NONE = 0, /* no frontend: the packet goes on untouched */
  SIM_LB_FORWARD,  /* to a backend: `after` is the packet to send */
  SIM_LB_REPLY,    /* a reply of a tracked connection, reverse-translated */
  SIM_LB_DROP      /* a frontend matched but cannot serve this packet (see reason) */
};

enum sim_lb_reason {
  SIM_LB_OK = 0,
  SIM_LB_NO_BACKEND,        /* the LB has no backend (or, unbalanced, no local one) */
  SIM_LB_ILB_EXTERNAL,      /* an ILB mapping, and the sender is another machine */
  SIM_LB_HOST_NO_VIP,       /* the host itself, and this Windows does not let it reach VIPs */
  SIM_LB_HOST_NO_NODEPORT,  /* the host itself to its own NodePort, not allowed */
  SIM_LB_PORTS_EXHAUSTED,   /* SNAT to SourceVIP: every port of the block is in use */
  SIM_LB_TUPLE_IN_USE       /* the translated flow is already another connection's */
};

typedef struct sim_lb_decision {
  int verdict;                   /* enum sim_lb_verdict */
  int reason;                    /* enum sim_lb_reason */
  char rule_id[SIM_RULE_ID_MAX]; /* the LB that decided ("" for NONE) */
  sim_flow before, after;        /* after == before unless translated */
  int backend;                   /* index in the LB's backends, -1 if none */
  int backend_local;             /* the chosen backend is on this host */
  int nodeport;                  /* matched through "every host address" */
  int dsr;                       /* a DSR connection: replies go straight to the client */
  int hairpin;                   /* the chosen backend is the sender itself */
  int from_conntrack;            /* decided by a tracked connection */
} sim_lb_decision;

/* The stage. `ct` holds this stage's connections (NULL: decide only, record
 * nothing; SNAT then reports the first port the block would give). A packet
 * of a tracked connection gets its translation (ORIGINAL) or the reverse
 * (REPLY) before any frontend is looked at. Returns SIM_OK with *out filled,
 * or SIM_E_INVAL / SIM_E_PAST with *out untouched. */
int sim_lb_process(sim_lb_table *t, sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, int origin, sim_time now,
                   sim_lb_decision *out);

/* 1 when sim_lb_process with no table would forward a new connection of
 * `flow` from `origin` through a DSR load balancer, else 0 (no frontend, a
 * refusal, not DSR, a bad flow): whether the connection belongs in the
 * client's own table. Looks at the frontends only and changes nothing. */
int sim_lb_new_dsr(const sim_lb_table *t, const sim_flow *flow, int origin);

/* The last refusal in words, naming the field and value ("" if none). */
const char *sim_lb_errmsg(const sim_lb_table *t);

#endif
