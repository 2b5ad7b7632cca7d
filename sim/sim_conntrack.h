/* sim_conntrack.h: connection tracking for the translating stages (load
 * balancer, NAT): each connection remembers the flow as its initiator sent
 * it and as the stage rewrote it, so later packets of either direction get
 * the same translation or its reverse (hns-api-facts.md §6: WinNAT and VFP
 * keep flow state; the WinNAT blog of 2016 describes the "NAT flow state
 * table" that replies are matched against).
 *
 * Keys: a connection is found by its original tuple (packets of the
 * initiator) and by the reverse of its translated tuple (replies). Both are
 * hashed with sim_flow_hash under the table's seed; nothing is ever iterated
 * into a result.
 *
 * Timeouts (simulated time, idle: each packet pushes the expiry back), by
 * default those a Windows host's WinNAT reports with Get-NetNat:
 * TcpEstablishedConnectionTimeout 1800 s, TcpTransientConnectionTimeout
 * 120 s, UdpIdleSessionTimeout 120 s, IcmpQueryTimeout 30 s (a captured
 * Get-NetNat listing, pastebin.com/J8R97TS1; the parameter names are those of
 * Set-NetNat, learn.microsoft.com/powershell/module/netnat/set-netnat). That
 * VFP uses the same values, and that other protocols get the UDP value, is
 * (inferred). TCP is transient until the first packet in the reply direction
 * (the handshake was answered), established after it, and transient again
 * once a FIN or RST is seen (inferred: a minimal reading of "established"
 * and "transient").
 *
 * Capacity is fixed at creation. When full, expired connections go first;
 * if none has expired, the one closest to expiry is evicted (ties: the
 * class listed first in sim_ct_class, then least recently used) and counted
 * in the stats (inferred: what VFP or WinNAT do when their tables fill is
 * not documented). Each timeout class keeps its connections in order of
 * last use, which is also their order of expiry, so expiring and evicting
 * never scan the table.
 *
 * Time only moves forward: a call with an earlier `now` than a previous one
 * is refused (SIM_E_PAST). */
#ifndef SIM_CONNTRACK_H
#define SIM_CONNTRACK_H
#include <stddef.h>
#include <stdint.h>
#include "sim_packet.h"
#include "sim_time.h"

/* Rule and policy IDs (HNS GUIDs are 36 characters) up to 63 bytes. */
#define SIM_RULE_ID_MAX 64

typedef struct sim_ct sim_ct;

typedef struct sim_ct_timeouts {
  sim_time tcp_established, tcp_transient, udp, icmp, other;
} sim_ct_timeouts;

/* The timeout classes, in eviction tie order. */
enum sim_ct_class { SIM_CT_TCP_TRANSIENT, SIM_CT_TCP_ESTABLISHED, SIM_CT_UDP, SIM_CT_ICMP, SIM_CT_OTHER, SIM_CT_NCLASS };

/* Entry flags a stage sets for itself. */
enum { SIM_CT_DSR = 1 }; /* a DSR load-balancer connection: replies bypass the LB (sim_lb.h) */

typedef struct sim_ct_entry {
  sim_flow orig;                  /* as the initiator sent it */
  sim_flow xlat;                  /* the same packet after translation */
  char owner[SIM_RULE_ID_MAX];    /* the rule or policy that created it */
  uint32_t flags;                 /* SIM_CT_DSR, ... */
  uint32_t aux;                   /* the owner's own datum (an LB's backend index) */
  int cls;                        /* enum sim_ct_class, now */
  sim_time created, expires;
} sim_ct_entry;

enum sim_ct_dir { SIM_CT_ORIGINAL = 1, SIM_CT_REPLY = 2 };

typedef struct sim_ct_hit {
  int dir;          /* which key the packet matched */
  sim_flow out;     /* the packet's flow after translation (xlat, or the reverse of orig for a reply) */
  sim_ct_entry entry;
} sim_ct_hit;

typedef struct sim_ct_stats {
  uint64_t inserted, expired, evicted;
} sim_ct_stats;

/* The defaults above. */
void sim_ct_default_timeouts(sim_ct_timeouts *out);

/* A table for at most `capacity` connections (1 ..  2^30); timeouts NULL for
 * the defaults, otherwise each must be > 0. SIM_E_INVAL, SIM_E_NOMEM. */
int sim_ct_create(size_t capacity, uint64_t seed, const sim_ct_timeouts *timeouts, sim_ct **out);
void sim_ct_destroy(sim_ct *ct);

/* Records a connection. tcp_flags are those of its first packet (TCP
 * only). SIM_E_EXISTS when its original tuple, or the reverse of its
 * translated tuple, is already a live key; SIM_E_INVAL for a flow that is
 * not valid (sim_flow_is_valid), orig and xlat of different protocols, or an
 * owner that is NULL, empty or too long; SIM_E_NOMEM when its index cannot
 * grow. The table is then unchanged. */
int sim_ct_insert(sim_ct *ct, const sim_flow *orig, const sim_flow *xlat, const char *owner, uint32_t flags,
                  uint32_t aux, uint8_t tcp_flags, sim_time now);

/* Finds the connection a packet belongs to and refreshes it: returns 1 with
 * *out filled, 0 when none (or a status). */
int sim_ct_lookup(sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, sim_time now, sim_ct_hit *out);

/* 1 if a live connection already uses the tuple `f` in either direction
 * (as an original tuple, or as its translated one), else 0; nothing is
 * refreshed. This is what makes a translated tuple unique. */
int sim_ct_tuple_taken(sim_ct *ct, const sim_flow *f, sim_time now);

/* The source port for a translated flow `tmpl` (its sport ignored): the
 * first port of [first, first + count) from *cursor on whose tuple is not
 * taken; *cursor moves past it, so allocations go round the range. ICMP
 * uses the echo identifier the same way. Returns 1 with *port, 0 when every
 * port of the range is taken (or a status). */
int sim_ct_pick_port(sim_ct *ct, const sim_flow *tmpl, uint16_t first, uint32_t count, uint32_t *cursor, sim_time now,
                     uint16_t *port);

/* Removes every connection whose expiry is <= now; returns how many. */
int sim_ct_expire(sim_ct *ct, sim_time now);

size_t sim_ct_count(const sim_ct *ct);
size_t sim_ct_capacity(const sim_ct *ct);
void sim_ct_get_stats(const sim_ct *ct, sim_ct_stats *out);

/* The last refusal in words, naming the field and value ("" if none). */
const char *sim_ct_errmsg(const sim_ct *ct);

#endif
