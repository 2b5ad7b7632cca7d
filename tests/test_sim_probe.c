/* test_sim_probe.c: probes as simulated events (the callback at the sum of
 * the latencies), loss and timeouts, determinism of traces under one seed,
 * and the pipeline hook's contract: one hop per stage decision, drops and
 * translations as the walk reports them, a failing stage. */
#include "net_fixture.h"

typedef struct done_log {
  int calls;
  sim_time at;
  sim_probe_result r;
  sim_world *world;
} done_log;

static void on_done(void *ctx, const sim_probe_result *r) {
  done_log *d = ctx;
  d->calls++;
  d->at = sim_now(d->world);
  d->r = *r;
}

static void events_complete_at_the_sum_of_latencies(void **state) {
  (void)state;
  sim_world *world;
  assert_int_equal(sim_world_create(3, &world), SIM_OK);
  sim_net *net = acs_cluster(world);
  assert_int_equal(sim_run_until(world, SIM_MS(5), NULL), SIM_OK);
  done_log d = {0, 0, {0}, world};
  sim_probe_spec s = from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 443);
  uint64_t id = 0;
  NET_OK(net, sim_probe_start(net, &s, NULL, on_done, &d, &id));
  assert_int_equal(d.calls, 0); /* nothing completes inside the call */
  assert_int_equal(sim_run_until(world, SIM_MS(5) + 2 * (VNET_LATENCY + INET_LATENCY) - 1, NULL), SIM_OK);
  assert_int_equal(d.calls, 0);
  assert_int_equal(sim_run(world, NULL), SIM_OK);
  assert_int_equal(d.calls, 1);
  assert_int_equal(d.at, SIM_MS(5) + 2 * (VNET_LATENCY + INET_LATENCY));
  assert_int_equal(d.r.id, id);
  assert_int_equal(d.r.verdict, SIM_PROBE_DELIVERED);
  assert_int_equal(d.r.started, SIM_MS(5));
  assert_int_equal(d.r.finished, d.at);
  /* The same probe run at once gives the same result. */
  sim_probe_result now = probe(net, s, NULL);
  assert_int_equal(now.finished - now.started, d.r.finished - d.r.started);
  assert_int_equal(now.id, id + 1);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

static void a_link_losing_everything_times_out(void **state) {
  (void)state;
  sim_world *world;
  assert_int_equal(sim_world_create(3, &world), SIM_OK);
  sim_net *net = acs_cluster(world);
  NET_OK(net, sim_net_segment_set_link(net, "internet", INET_LATENCY, 1.0));
  sim_trace *trace;
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  sim_probe_spec s = from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 443);
  s.timeout = SIM_MS(300);
  sim_probe_result r = probe(net, s, trace);
  assert_int_equal(r.verdict, SIM_PROBE_TIMED_OUT);
  assert_string_equal(r.reason, "lost on segment internet");
  assert_int_equal(r.finished - r.started, SIM_MS(300));
  sim_hop last;
  assert_int_equal(sim_trace_hop(trace, sim_trace_count(trace) - 1, &last), SIM_OK);
  assert_string_equal(last.port, "internet");
  assert_string_equal(last.stage, "segment");
  /* As events: the callback runs at the deadline. */
  done_log d = {0, 0, {0}, world};
  NET_OK(net, sim_probe_start(net, &s, NULL, on_done, &d, NULL));
  assert_int_equal(sim_run(world, NULL), SIM_OK);
  assert_int_equal(d.r.verdict, SIM_PROBE_TIMED_OUT);
  assert_int_equal(d.at, SIM_MS(300));
  /* A reply slower than the timeout times out too, at the deadline. */
  NET_OK(net, sim_net_segment_set_link(net, "internet", SIM_MS(200), 0.0));
  r = probe(net, s, NULL);
  assert_int_equal(r.verdict, SIM_PROBE_TIMED_OUT);
  assert_true(r.reached);
  assert_string_equal(r.reason, "no reply within 300000000 ns");
  assert_int_equal(r.finished - r.started, SIM_MS(300));
  sim_trace_destroy(trace);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

/* 40 probes over a lossy link, as one text: verdicts and every hop. */
static void lossy_run(uint64_t seed, char *out, size_t cap) {
  sim_world *world;
  assert_int_equal(sim_world_create(seed, &world), SIM_OK);
  sim_net *net = acs_cluster(world);
  NET_OK(net, sim_net_segment_set_link(net, "vnet", VNET_LATENCY, 0.2));
  sim_trace *trace;
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  size_t used = 0;
  for (int i = 0; i < 40; i++) {
    sim_probe_result r = probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), trace);
    used += (size_t)snprintf(out + used, cap - used, "%s\n", sim_probe_verdict_name(r.verdict));
    for (size_t h = 0; h < sim_trace_count(trace); h++) {
      sim_hop hop;
      assert_int_equal(sim_trace_hop(trace, h, &hop), SIM_OK);
      used += sim_hop_format(&hop, out + used, cap - used);
      assert_true(used < cap - 1);
      out[used++] = '\n';
      out[used] = '\0';
    }
  }
  sim_trace_destroy(trace);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

static void same_seed_same_traces(void **state) {
  (void)state;
  size_t cap = 1 << 20;
  char *a = malloc(cap), *b = malloc(cap), *c = malloc(cap);
  assert_non_null(a);
  assert_non_null(b);
  assert_non_null(c);
  lossy_run(11, a, cap);
  lossy_run(11, b, cap);
  lossy_run(12, c, cap);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
  assert_non_null(strstr(a, "delivered\n"));
  assert_non_null(strstr(a, "timed out\n"));
  free(a);
  free(b);
  free(c);
}

/* A stage that drops TCP to `port` (its state) under the rule "acl-1". */
static int drop_port(void *state, sim_packet *pkt, sim_dir dir, const sim_stage_place *place, sim_stage_decision *out) {
  (void)dir;
  (void)place;
  uint16_t port = *(const uint16_t *)state;
  if (pkt->flow.proto == SIM_IPPROTO_TCP && pkt->flow.dport == port) {
    out->verdict = SIM_STAGE_DROP;
    out->rule = "acl-1";
  }
  return SIM_OK;
}

/* A stage that rewrites a VIP (10.0.0.10) to pod-b's address. */
static int dnat_vip(void *state, sim_packet *pkt, sim_dir dir, const sim_stage_place *place, sim_stage_decision *out) {
  (void)state;
  (void)dir;
  assert_string_equal(place->network, "cbr0");
  sim_ip vip = ip_of("10.0.0.10");
  if (sim_ip_equal(&pkt->flow.dst, &vip)) {
    pkt->flow.dst = ip_of("10.244.1.6");
    out->rule = "lb-vip";
    out->translated = 1;
  }
  return SIM_OK;
}

static int broken(void *state, sim_packet *pkt, sim_dir dir, const sim_stage_place *place, sim_stage_decision *out) {
  (void)state, (void)pkt, (void)dir, (void)place, (void)out;
  return SIM_E_NOMEM;
}

static int take(void *state, sim_packet *pkt, sim_dir dir, const sim_stage_place *place, sim_stage_decision *out) {
  (void)state, (void)pkt, (void)dir, (void)place;
  out->verdict = SIM_STAGE_CONSUMED;
  out->rule = "proxy";
  return SIM_OK;
}

static void stages_decide_and_the_walk_records_them(void **state) {
  (void)state;
  sim_world *world;
  assert_int_equal(sim_world_create(3, &world), SIM_OK);
  sim_net *net = acs_cluster(world);
  sim_trace *trace;
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  uint16_t ssh = 22;
  NET_OK(net, sim_net_port_stage_add(net, "node1", "ep-b", SIM_DIR_IN, "acl", drop_port, &ssh));
  sim_probe_result r = probe(net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 22), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "dropped by stage acl rule acl-1 at ep-b of host node1");
  char lines[4096];
  hop_lines(trace, lines, sizeof lines);
  assert_string_equal(lines,
                      "fwd node1/pod-a/ep-a route\n"
                      "fwd node1/pod-a/ep-a port-out\n"
                      "fwd node1//cbr0 vswitch\n"
                      "fwd node1/pod-b/ep-b acl\n");
  sim_hop h;
  assert_int_equal(sim_trace_hop(trace, 3, &h), SIM_OK);
  assert_string_equal(h.rule, "acl-1");
  assert_int_equal(h.verdict, SIM_STAGE_DROP);
  /* Port 80 passes: the stage's hop says pass, the packet goes on. */
  r = probe(net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  hop_lines(trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd node1/pod-b/ep-b acl\nfwd node1/pod-b/ep-b port-in\n"));

  /* A translation on ep-a's way out: switched to the new destination.
   * This stage keeps no state, so the reply comes back from 10.244.1.6,
   * which does not answer a request to 10.0.0.10: the sender's stack
   * drops it, and the probe says so. */
  NET_OK(net, sim_net_port_stage_add(net, "node1", "ep-a", SIM_DIR_OUT, "lb", dnat_vip, NULL));
  r = probe(net, from_port("node1", "ep-a", "10.0.0.10", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_int_equal(r.leg, SIM_LEG_REPLY);
  assert_string_equal(r.reason, "the reply tcp 10.244.1.6:80 -> 10.244.1.5:49152 does not answer the request "
                                "tcp 10.244.1.5:49152 -> 10.0.0.10:80, so the sender's stack drops it");
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.sent, f), "tcp 10.244.1.5:49152 -> 10.0.0.10:80");
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 10.244.1.6:80");
  assert_int_equal(sim_trace_hop(trace, 2, &h), SIM_OK);
  assert_string_equal(h.stage, "lb");
  assert_string_equal(h.rule, "lb-vip");
  assert_string_equal(flow_text(&h.before, f), "tcp 10.244.1.5:49152 -> 10.0.0.10:80");
  assert_string_equal(flow_text(&h.after, f), "tcp 10.244.1.5:49152 -> 10.244.1.6:80");
  assert_int_equal(sim_trace_hop(trace, 3, &h), SIM_OK);
  assert_string_equal(h.stage, "vswitch");
  assert_string_equal(h.reason, "to endpoint ep-b");

  /* A failing stage drops with its status; a consuming one ends the walk. */
  NET_OK(net, sim_net_port_stage_add(net, "node2", "ep-c", SIM_DIR_IN, "broken", broken, NULL));
  r = probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "stage broken failed at ep-c of host node2: out of memory");
  NET_OK(net, sim_net_network_stage_add(net, "node2", "cbr0", SIM_DIR_IN, "proxy", take, NULL));
  r = probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "consumed by stage proxy rule proxy at Ethernet of host node2");
  sim_trace_destroy(trace);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

static void bad_probes_are_refused_with_a_message(void **state) {
  (void)state;
  sim_world *world;
  assert_int_equal(sim_world_create(3, &world), SIM_OK);
  sim_net *net = acs_cluster(world);
  sim_probe_result r;
  sim_probe_spec s = from_port("node9", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 80);
  assert_int_equal(sim_probe_run(net, &s, NULL, &r), SIM_E_NOTFOUND);
  assert_string_equal(sim_net_last_error(net), "host \"node9\": no such host");
  s = from_port("node1", "ep-q", "10.244.1.6", SIM_IPPROTO_TCP, 80);
  assert_int_equal(sim_probe_run(net, &s, NULL, &r), SIM_E_NOTFOUND);
  assert_string_equal(sim_net_last_error(net), "from_port \"ep-q\": no such endpoint on host \"node1\"");
  s = from_port("node1", "Ethernet", "10.244.1.6", SIM_IPPROTO_TCP, 80);
  assert_int_equal(sim_probe_run(net, &s, NULL, &r), SIM_E_INVAL);
  assert_string_equal(sim_net_last_error(net), "from_port \"Ethernet\": not an endpoint");
  s = from_port("node1", "ep-a", "fd00::1", SIM_IPPROTO_TCP, 80);
  assert_int_equal(sim_probe_run(net, &s, NULL, &r), SIM_E_INVAL);
  assert_string_equal(sim_net_last_error(net), "from_port \"ep-a\": no IPv6 address to reach fd00::1");
  s = from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_ICMPV6, 0);
  assert_int_equal(sim_probe_run(net, &s, NULL, &r), SIM_E_INVAL);
  assert_string_equal(sim_net_last_error(net), "proto 58: not TCP (6), UDP (17) or ICMP for IPv4 (1)");
  s.proto = SIM_IPPROTO_TCP;
  s.from_compartment = "pod-a";
  assert_int_equal(sim_probe_run(net, &s, NULL, &r), SIM_E_INVAL);
  assert_int_equal(sim_probe_run(net, NULL, NULL, &r), SIM_E_INVAL);
  assert_int_equal(sim_probe_run(net, &s, NULL, NULL), SIM_E_INVAL);
  assert_int_equal(sim_probe_start(net, &s, NULL, NULL, NULL, NULL), SIM_E_INVAL);
  assert_int_equal(sim_pending(world), 0);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(events_complete_at_the_sum_of_latencies),
    cmocka_unit_test(a_link_losing_everything_times_out),
    cmocka_unit_test(same_seed_same_traces),
    cmocka_unit_test(stages_decide_and_the_walk_records_them),
    cmocka_unit_test(bad_probes_are_refused_with_a_message),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
