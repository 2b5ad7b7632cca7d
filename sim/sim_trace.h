/* sim_trace.h: the ordered hops of one probe, as a logical-flow tracer
 * shows them: when, on which host, in which compartment, at which port or
 * interface, which stage, the rule or policy that decided, the flow before
 * and after the stage, and why.
 *
 * A trace is a value the caller owns and reuses: sim_trace_reset keeps its
 * memory, so recording a probe allocates nothing once the trace has grown
 * to the size of the longest walk. Hops copy every string they are given,
 * so a trace stays valid after the model objects it names are removed. */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H
#include <stddef.h>
#include "sim_packet.h"
#include "sim_status.h"
#include "sim_time.h"

typedef struct sim_trace sim_trace;

/* Which way the packet goes: the probe's request or the receiver's reply. */
typedef enum sim_leg { SIM_LEG_FORWARD = 0, SIM_LEG_REPLY = 1 } sim_leg;

/* What a stage (or a forwarding step) did with the packet. */
typedef enum sim_stage_verdict {
  SIM_STAGE_PASS = 0,    /* go on */
  SIM_STAGE_DROP = 1,    /* the packet ends here */
  SIM_STAGE_CONSUMED = 2 /* the stage took the packet over; the walk ends */
} sim_stage_verdict;

/* One hop. Strings are never NULL ("" when not applicable) and point into
 * the trace: valid until the next reset or destroy. */
typedef struct sim_hop {
  sim_time time;
  sim_leg leg;
  const char *host;        /* host or router name */
  const char *compartment; /* compartment name, or "" outside a host's stack */
  const char *port;        /* endpoint, interface, network (vswitch hops), segment, or the interface a router hop leaves by */
  const char *stage;       /* "route", "port-out", "vswitch", "segment", ... (docs/dataplane.md) */
  const char *rule;        /* the route, rule or policy ID that decided */
  const char *reason;      /* a sentence for people */
  sim_stage_verdict verdict;
  sim_flow before, after;  /* equal unless the stage translated the packet */
} sim_hop;

int sim_trace_create(sim_trace **out);
void sim_trace_destroy(sim_trace *t);

/* Forgets every hop and keeps the memory. */
void sim_trace_reset(sim_trace *t);

size_t sim_trace_count(const sim_trace *t);

/* Copies hop i into *out; SIM_E_INVAL when i is out of range. */
int sim_trace_hop(const sim_trace *t, size_t i, sim_hop *out);

/* Appends a copy of *hop (NULL strings become ""). On SIM_E_NOMEM the hop
 * is not recorded and the trace says it is truncated. */
int sim_trace_add(sim_trace *t, const sim_hop *hop);

/* 1 when a hop could not be recorded since the last reset. */
int sim_trace_truncated(const sim_trace *t);

/* One line: "+1.500ms fwd node1/ns1/ep1 route [0.0.0.0/0] pass: ..." with the
 * flow, and "flow -> flow" when translated. Writes at most `cap` bytes
 * (NUL included) and returns the length the whole line needs. */
size_t sim_hop_format(const sim_hop *hop, char *out, size_t cap);

#endif
