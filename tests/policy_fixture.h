/* policy_fixture.h: helpers the policy and overlay tests share on top of
 * net_fixture.h: finding a hop by leg, host, port and stage, and a
 * cluster with a trace per test. Header-only: each test binary includes it
 * once. */
#ifndef POLICY_FIXTURE_H
#define POLICY_FIXTURE_H
#include "net_fixture.h"
#include "sim_policy.h"

typedef struct cluster {
  sim_world *world;
  sim_net *net;
  sim_trace *trace;
} cluster;

/* Asserts that `call` fails with `status` and the message `msg`. */
#define REFUSED(net, call, status, msg)                                   \
  do {                                                                    \
    assert_int_equal((call), (status));                                   \
    assert_string_equal(sim_net_last_error(net), (msg));                  \
  } while (0)

/* The first hop of `leg` at host/port with `stage` (port NULL: any), or
 * fails the test. */
static inline sim_hop hop_at(const sim_trace *t, sim_leg leg, const char *host, const char *port, const char *stage) {
  sim_hop h;
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    assert_int_equal(sim_trace_hop(t, i, &h), SIM_OK);
    if (h.leg == leg && !strcmp(h.host, host) && (!port || !strcmp(h.port, port)) && !strcmp(h.stage, stage)) return h;
  }
  fail_msg("no %s hop %s at %s/%s", leg == SIM_LEG_FORWARD ? "fwd" : "rep", stage, host, port ? port : "*");
  return h;
}

/* 1 if the trace has a hop with `stage` on `leg`. */
static inline int has_stage(const sim_trace *t, sim_leg leg, const char *stage) {
  sim_hop h;
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    assert_int_equal(sim_trace_hop(t, i, &h), SIM_OK);
    if (h.leg == leg && !strcmp(h.stage, stage)) return 1;
  }
  return 0;
}

static inline int cluster_teardown(void **state) {
  cluster *c = *state;
  sim_trace_destroy(c->trace);
  sim_net_destroy(c->net);
  sim_world_destroy(c->world);
  free(c);
  return 0;
}

#endif
