/* sim_probe.h: probes, the question the data plane answers: sent from an
 * endpoint, a compartment or a host (an external address is a host of its
 * own) to an IP, protocol and port, does it get there and back, by which
 * hops, and if not, where and why does it stop?
 *
 * A probe walks its request to the receiver and, if it arrives, the
 * receiver's reply back (a TCP SYN-ACK or RST, a UDP answer or ICMP port
 * unreachable, an ICMP echo reply). Inside a host a walk takes no time;
 * each segment crossing takes the segment's latency, so a probe that
 * succeeds completes after the sum of the latencies both ways. A packet
 * lost on a segment makes the probe time out `timeout` after it started.
 *
 * sim_probe_start runs a probe as simulated events (one per crossing) and
 * calls back when it completes; sim_probe_run computes the same result at
 * once without touching the event queue (truth tables), with the same hop
 * times and the same random draws, in call order. */
#ifndef SIM_PROBE_H
#define SIM_PROBE_H
#include <stdint.h>
#include "sim_net.h"
#include "sim_trace.h"

typedef enum sim_probe_verdict {
  SIM_PROBE_DELIVERED = 0, /* reached a listener and the reply came back */
  SIM_PROBE_DROPPED,       /* a stage, a vSwitch or the fabric dropped it; or the reply reached
                              another compartment, or came back with a 5-tuple that is not the
                              request's reversed (a translation missing on the way back), which
                              the sender's stack would drop */
  SIM_PROBE_NO_ROUTE,      /* a compartment or router had no route */
  SIM_PROBE_REFUSED,       /* reached the receiver, nothing listens there; the refusal came back */
  SIM_PROBE_TIMED_OUT      /* lost on a segment */
} sim_probe_verdict;

/* "delivered", "dropped", "no route", "refused", "timed out". */
const char *sim_probe_verdict_name(sim_probe_verdict v);

#define SIM_PROBE_DEFAULT_TIMEOUT SIM_S(1)
#define SIM_PROBE_DEFAULT_SPORT 49152 /* the first ephemeral port (docs/profiles.md) */

/* At most one of from_port and from_compartment; neither: the host
 * compartment. From an endpoint the source is the endpoint's address of
 * the destination's family; otherwise it is the address of the interface
 * the route leaves by. */
typedef struct sim_probe_spec {
  const char *host;
  const char *from_port;
  const char *from_compartment;
  sim_ip dst;
  uint8_t proto;    /* SIM_IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
  uint16_t dport;   /* ignored for ICMP */
  uint16_t sport;   /* 0: SIM_PROBE_DEFAULT_SPORT; the ICMP echo identifier for ICMP */
  sim_time timeout; /* 0: SIM_PROBE_DEFAULT_TIMEOUT */
} sim_probe_spec;

#define SIM_PROBE_REASON 512

typedef struct sim_probe_result {
  uint64_t id;               /* 1, 2, ... per sim_net: the packets' id */
  sim_probe_verdict verdict;
  sim_leg leg;               /* the leg that decided the verdict */
  char reason[SIM_PROBE_REASON]; /* where and why it stopped; "" when delivered */
  sim_flow sent;             /* the request as the sender sent it */
  int reached;               /* 1 when the request reached the receiver */
  sim_flow received;         /* the request as the receiver saw it */
  int replied;               /* 1 when the reply reached the sender */
  sim_flow reply_received;   /* the reply as the sender saw it */
  sim_time started, finished;
} sim_probe_result;

/* Runs a probe now. `trace` (may be NULL) is reset and receives the hops.
 * Returns SIM_OK with *out filled, or a status and sim_net_last_error for
 * a bad spec (unknown host, endpoint or compartment; an endpoint that is
 * not attached; no source address; a bad protocol). */
int sim_probe_run(sim_net *net, const sim_probe_spec *spec, sim_trace *trace, sim_probe_result *out);

/* Called when a started probe completes; `result` is valid during the call. */
typedef void (*sim_probe_done_fn)(void *ctx, const sim_probe_result *result);

/* Starts a probe as events on the world's queue: the crossings happen at
 * their simulated times and `done` runs when the reply arrives or the
 * timeout expires. `trace` (may be NULL) must live until then, and so
 * must `net`: destroy it only when no started probe is pending. `out_id`
 * (may be NULL) receives the probe's id. */
int sim_probe_start(sim_net *net, const sim_probe_spec *spec, sim_trace *trace, sim_probe_done_fn done, void *ctx,
                    uint64_t *out_id);

#endif
