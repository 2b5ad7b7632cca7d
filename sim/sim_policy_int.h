/* sim_policy_int.h: the policy state the model keeps (per host, per
 * endpoint, per Overlay network) and the built-in stages the walk calls;
 * shared by sim_policy_*.c, sim_overlay.c, sim_walk.c, sim_host.c,
 * sim_vswitch.c and sim_net.c. Nothing outside sim/ includes it.
 *
 * Invariants: state is made on the first configuration call and freed with
 * its object; the LB and NAT tables of a host always hold the addresses of
 * the host's NICs (net_policy_host_addrs after every NIC change); a stage
 * allocates nothing per packet (a DSR endpoint's table is made once, at its
 * first DSR connection). */
#ifndef SIM_POLICY_INT_H
#define SIM_POLICY_INT_H
#include "sim_conntrack.h"
#include "sim_net_int.h"
#include "sim_policy.h"

/* A conntrack table and the latest packet time it saw: sim_probe_run
 * computes a probe at once, so a later probe may start before an earlier
 * one's last crossing; the table then sees that later time (inferred: the
 * difference is one probe's flight, far below any timeout). */
typedef struct net_ct {
  sim_ct *ct;
  sim_time last;
} net_ct;

typedef struct net_hpol {
  sim_lb_profile prof;
  size_t ct_cap;
  uint64_t seed;
  sim_lb_table *lb; /* NULL until the first LB */
  net_ct lb_ct;
  sim_nat *nat; /* NULL until the first NAT rule */
  net_ct nat_ct;
} net_hpol;

typedef struct net_sdn_route {
  char id[SIM_RULE_ID_MAX];
  sim_prefix dst;
  sim_ip nh;
  int encap, live;
} net_sdn_route;

typedef struct net_ppol {
  sim_acl_set *acl;
  net_ct dsr_ct; /* DSR connections this endpoint started */
  sim_lpm *routes; /* value: index in rt */
  net_sdn_route *rt;
  uint32_t nrt, cap_rt;
} net_ppol;

typedef struct net_remote {
  char id[SIM_RULE_ID_MAX];
  sim_prefix dst;
  sim_mac mac;
  sim_ip pa;
  int live;
} net_remote;

typedef struct net_opol {
  int set;
  sim_overlay_spec spec;
  sim_lpm *remote; /* value: index in rem */
  net_remote *rem;
  uint32_t nrem, cap_rem;
} net_opol;

/* What a built-in stage decided: the hook's decision plus the words of the
 * hop and, for SDN routes, where the vSwitch sends the packet. `words` is
 * the walk's request: 1 when it records the hop, and the stage then writes
 * rule and why whatever it decides; 0 (no trace), and it writes them only
 * for a drop, whose reason the probe reports. So an untraced walk formats
 * no text for the stages it passes. */
typedef struct net_pol_out {
  int words;
  sim_stage_verdict verdict;
  int translated;
  char rule[SIM_RULE_ID_MAX];
  char why[160];
  int to_host;  /* sdn-route with NeedEncap: into the host */
  int has_nh;   /* sdn-route with a next hop */
  sim_ip nh;
} net_pol_out;

/* Where an LB stage runs. */
typedef enum net_lb_place { LB_PORT_OUT, LB_PORT_IN, LB_HOST_OUT, LB_HOST_IN } net_lb_place;

/* Each returns 1 when the stage ran (*o filled, a hop to record), 0 when
 * it has nothing configured here, or a negative status (drop). The ACL
 * stage passes a reply (`reply` 1) of a connection its rules allowed
 * without looking the rules up. */
int net_pol_acl(sim_net *net, uint32_t port, sim_dir dir, int reply, const sim_packet *pkt, net_pol_out *o);
int net_pol_route(sim_net *net, uint32_t port, const sim_packet *pkt, net_pol_out *o);
int net_pol_lb(sim_net *net, uint32_t host, uint32_t port, net_lb_place where, sim_packet *pkt, sim_time now,
               net_pol_out *o);
/* The NAT stage: at an endpoint's port (VFP networks: OutBoundNAT and the
 * replies of port mappings), at host ingress (inbound) or host egress
 * (WinNAT). */
int net_pol_nat(sim_net *net, uint32_t host, int nat_dir, sim_packet *pkt, sim_time now, net_pol_out *o);

/* Overlay (sim_overlay.c). net_overlay_find: 1 with the remote entry's
 * index when vswitch v has its VXLAN settings and a remote entry for dst. */
int net_overlay_find(const sim_net *net, uint32_t v, const sim_ip *dst, uint32_t *entry);
void net_overlay_encap(sim_net *net, uint32_t v, uint32_t entry, sim_packet *pkt, net_pol_out *o);
/* 1 when the stage ran (the packet is encapsulated and v has settings). */
int net_overlay_decap(sim_net *net, uint32_t v, sim_packet *pkt, net_pol_out *o);

/* A network type whose policies VFP applies: every type but NAT, which
 * uses WinNAT and the Windows Firewall (hns-api-facts.md §6), and ICS,
 * whose NAT is modelled as WinNAT (sim_policy_host.c). */
int net_pol_vfp(sim_net_type t);

/* Lifetime (sim_policy_host.c). */
int net_hpol_get(sim_net *net, uint32_t h, net_hpol **out);
int net_ppol_get(sim_net *net, uint32_t i, net_ppol **out);
void net_ppol_free(net_ppol *p);
void net_opol_free(net_opol *o);
void net_policy_free_all(sim_net *net);
/* Gives the host's LB and NAT tables the addresses of its NICs. */
void net_policy_host_addrs(sim_net *net, uint32_t h);
/* The current time for a table (see net_ct). */
sim_time net_ct_now(net_ct *c, sim_time now);
int net_ct_make(net_ct *c, size_t cap, uint64_t seed);

/* Finds an endpoint by name for a policy call. */
int net_pol_find_port(sim_net *net, const char *host, const char *port, uint32_t *h, uint32_t *i);

#endif
