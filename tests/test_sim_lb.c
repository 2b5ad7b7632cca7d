/* test_sim_lb.c: the load-balancing stage: backend choice per distribution
 * (pinned counts, since it is deterministic), DSR and non-DSR translations
 * and their replies, NodePort on the host's addresses, PreserveDIP, ILB,
 * the host as a sender per profile, ws2016's unbalanced VIPs, SourceVIP
 * port blocks, uniqueness of frontends, refusals and determinism, and
 * sim_lb_new_dsr against the decisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "sim_lb.h"
#include "sim_status.h"
#include "sim_test_values.h"

static const sim_lb_profile WS2022 = {1, 1, 1};

/* The node 10.0.0.4; three backends, two on this node. */
static sim_lb_backend BACKENDS[3];
static sim_ip NODE, VIP, SVIP;

static sim_lb_table *node_table(const sim_lb_profile *prof, uint64_t seed) {
  BACKENDS[0] = (sim_lb_backend){ip("10.244.1.2"), 1};
  BACKENDS[1] = (sim_lb_backend){ip("10.244.1.3"), 1};
  BACKENDS[2] = (sim_lb_backend){ip("10.244.2.2"), 0};
  NODE = ip("10.0.0.4"), VIP = ip("10.96.0.10"), SVIP = ip("10.244.1.250");
  sim_lb_table *t = NULL;
  assert_int_equal(sim_lb_table_create(prof, seed, &t), SIM_OK);
  assert_int_equal(sim_lb_set_host_addresses(t, &NODE, 1), SIM_OK);
  return t;
}

static sim_lb_spec spec(const char *id, const sim_ip *vip, const sim_lb_mapping *m, uint32_t flags) {
  sim_lb_spec s;
  memset(&s, 0, sizeof s);
  s.id = id;
  s.vips = vip;
  s.n_vips = vip ? 1 : 0;
  s.mappings = m;
  s.n_mappings = 1;
  s.backends = BACKENDS;
  s.n_backends = 3;
  s.flags = flags;
  return s;
}

static sim_lb_decision run(sim_lb_table *t, sim_ct *ct, sim_flow f, int origin, sim_time now) {
  sim_lb_decision d;
  assert_int_equal(sim_lb_process(t, ct, &f, 0, origin, now, &d), SIM_OK);
  return d;
}

static void no_frontend_no_change(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("svc", &VIP, &m, 0);
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  sim_flow other_port = flow("10.244.1.9", 40000, "10.96.0.10", 81, SIM_IPPROTO_TCP);
  sim_flow other_proto = flow("10.244.1.9", 40000, "10.96.0.10", 80, SIM_IPPROTO_UDP);
  sim_lb_decision d = run(t, NULL, other_port, SIM_LB_FROM_LOCAL, 0);
  assert_int_equal(d.verdict, SIM_LB_NONE);
  assert_true(sim_flow_equal(&d.after, &other_port));
  assert_string_equal(d.rule_id, "");
  d = run(t, NULL, other_proto, SIM_LB_FROM_LOCAL, 0);
  assert_int_equal(d.verdict, SIM_LB_NONE);
  sim_lb_table_destroy(t);
}

/* None: per connection. Over 3000 client ports the three backends share
 * the flows; the counts are pinned (seed 1). */
static void distribution_none_spreads(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("svc", &VIP, &m, 0);
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  int count[3] = {0, 0, 0};
  for (int i = 0; i < 3000; i++) {
    sim_lb_decision d = run(t, NULL, flow("10.244.1.9", (uint16_t)(40000 + i), "10.96.0.10", 80, SIM_IPPROTO_TCP),
                            SIM_LB_FROM_LOCAL, 0);
    assert_int_equal(d.verdict, SIM_LB_FORWARD);
    count[d.backend]++;
  }
  /* Pinned under seed 1: a change of hash or choice shows here. */
  assert_int_equal(count[0], 1022);
  assert_int_equal(count[1], 993);
  assert_int_equal(count[2], 985);
  sim_lb_table_destroy(t);
}

/* SourceIP: one client, one backend, across ports and protocols of two
 * services with the same backends; other clients spread. */
static void distribution_source_ip_is_sticky(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping http = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_SOURCE_IP, 0};
  sim_lb_mapping dns = {SIM_IPPROTO_UDP, 53, 53, SIM_LB_DIST_SOURCE_IP, 0};
  sim_lb_spec a = spec("http", &VIP, &http, 0), b = spec("dns", &VIP, &dns, 0);
  assert_int_equal(sim_lb_add(t, &a), SIM_OK);
  assert_int_equal(sim_lb_add(t, &b), SIM_OK);
  int seen[3] = {0, 0, 0};
  for (int c = 0; c < 30; c++) {
    char client[32];
    snprintf(client, sizeof client, "10.244.3.%d", c + 1);
    int first = -1;
    for (int p = 0; p < 20; p++) {
      int udp = p % 2;
      sim_lb_decision d = run(t, NULL,
                              flow(client, (uint16_t)(30000 + p), "10.96.0.10", udp ? 53 : 80,
                                   udp ? SIM_IPPROTO_UDP : SIM_IPPROTO_TCP),
                              SIM_LB_FROM_NETWORK, 0);
      assert_int_equal(d.verdict, SIM_LB_FORWARD);
      if (first < 0) first = d.backend;
      assert_int_equal(d.backend, first);
    }
    seen[first]++;
  }
  assert_true(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
  sim_lb_table_destroy(t);
}

/* SourceIPProtocol: one client and protocol, one backend, whatever the port. */
static void distribution_source_ip_protocol(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_SOURCE_IP_PROTOCOL, 0};
  sim_lb_spec s = spec("svc", &VIP, &m, 0);
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  int first = run(t, NULL, flow("10.244.3.7", 1, "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0).backend;
  for (int p = 2; p < 200; p++)
    assert_int_equal(
        run(t, NULL, flow("10.244.3.7", (uint16_t)p, "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0).backend,
        first);
  sim_lb_table_destroy(t);
}

/* Non-DSR on overlay: DNAT to the backend and SNAT to the SourceVIP with a
 * port of the LB's block; the reply comes back through the LB. */
static void non_dsr_snat_to_source_vip_and_reply(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_ct *ct = NULL;
  assert_int_equal(sim_ct_create(64, 1, NULL, &ct), SIM_OK);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("svc", &VIP, &m, 0);
  s.source_vip = &SVIP;
  s.snat_port_first = 49152;
  s.snat_port_count = 64;
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  sim_flow f = flow("10.244.1.9", 40000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  sim_lb_decision d;
  assert_int_equal(sim_lb_process(t, ct, &f, SIM_TCP_SYN, SIM_LB_FROM_LOCAL, 0, &d), SIM_OK);
  assert_int_equal(d.verdict, SIM_LB_FORWARD);
  assert_string_equal(d.rule_id, "svc");
  assert_false(d.dsr);
  sim_flow want = flow("10.244.1.250", 49152, "10.244.1.2", 8080, SIM_IPPROTO_TCP);
  want.dst = BACKENDS[d.backend].ip;
  assert_true(sim_flow_equal(&d.after, &want));
  /* The reply, backend -> SourceVIP, becomes VIP -> client. */
  sim_flow reply, back;
  sim_flow_reverse(&d.after, &reply);
  assert_int_equal(sim_lb_process(t, ct, &reply, SIM_TCP_SYN | SIM_TCP_ACK, SIM_LB_FROM_LOCAL, SIM_MS(1), &d), SIM_OK);
  assert_int_equal(d.verdict, SIM_LB_REPLY);
  assert_true(d.from_conntrack);
  sim_flow_reverse(&f, &back);
  assert_true(sim_flow_equal(&d.after, &back));
  /* A second client gets the next port of the block. */
  sim_flow g = flow("10.244.1.8", 40000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  assert_int_equal(sim_lb_process(t, ct, &g, SIM_TCP_SYN, SIM_LB_FROM_LOCAL, SIM_MS(2), &d), SIM_OK);
  assert_int_equal(d.after.sport, 49153);
  /* Without a ct table the decision reports the port the block would give. */
  sim_flow h = flow("10.244.1.7", 40000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  assert_int_equal(sim_lb_process(t, NULL, &h, 0, SIM_LB_FROM_LOCAL, SIM_MS(3), &d), SIM_OK);
  assert_int_equal(d.after.sport, 49154);
  sim_ct_destroy(ct);
  sim_lb_table_destroy(t);
}

/* DSR: the source is kept; the reply, straight from the backend, gets the
 * VIP back as its source. */
static void dsr_keeps_source_and_marks_reply(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_ct *ct = NULL;
  assert_int_equal(sim_ct_create(64, 1, NULL, &ct), SIM_OK);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("svc", &VIP, &m, SIM_LB_DSR);
  s.source_vip = &SVIP; /* ignored under DSR */
  s.snat_port_first = 49152;
  s.snat_port_count = 64;
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  sim_flow f = flow("10.244.1.9", 40000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  sim_lb_decision d;
  assert_int_equal(sim_lb_process(t, ct, &f, SIM_TCP_SYN, SIM_LB_FROM_LOCAL, 0, &d), SIM_OK);
  assert_int_equal(d.verdict, SIM_LB_FORWARD);
  assert_true(d.dsr);
  assert_true(sim_ip_equal(&d.after.src, &f.src));
  assert_int_equal(d.after.sport, 40000);
  assert_true(sim_ip_equal(&d.after.dst, &BACKENDS[d.backend].ip));
  assert_int_equal(d.after.dport, 8080);
  int chosen = d.backend;
  sim_flow reply, back;
  sim_flow_reverse(&d.after, &reply);
  assert_int_equal(sim_lb_process(t, ct, &reply, SIM_TCP_ACK, SIM_LB_FROM_LOCAL, 1, &d), SIM_OK);
  assert_int_equal(d.verdict, SIM_LB_REPLY);
  assert_true(d.dsr);
  assert_int_equal(d.backend, chosen);
  sim_flow_reverse(&f, &back);
  assert_true(sim_flow_equal(&d.after, &back));
  /* Later packets of the connection keep their backend. */
  assert_int_equal(sim_lb_process(t, ct, &f, SIM_TCP_ACK, SIM_LB_FROM_LOCAL, 2, &d), SIM_OK);
  assert_int_equal(d.verdict, SIM_LB_FORWARD);
  assert_true(d.from_conntrack);
  assert_int_equal(d.backend, chosen);
  sim_ct_destroy(ct);
  sim_lb_table_destroy(t);
}

/* sim_lb_new_dsr answers what a decision without a table would: DSR
 * frontends that would forward, and nothing else (non-DSR, no frontend, an
 * ILB refusing another machine, no backend, the host refused by the
 * profile, bad input). */
static void new_dsr_agrees_with_a_decision(void **state) {
  (void)state;
  const sim_lb_profile ws2019 = {1, 0, 1};
  sim_lb_table *t = node_table(&ws2019, 1);
  sim_lb_mapping plain = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_mapping ilb = {SIM_IPPROTO_TCP, 8080, 81, SIM_LB_DIST_NONE, SIM_LB_PM_ILB};
  sim_lb_mapping other = {SIM_IPPROTO_TCP, 8080, 82, SIM_LB_DIST_NONE, 0};
  sim_ip vip2 = ip("10.96.0.11");
  sim_lb_spec dsr = spec("dsr", &VIP, &plain, SIM_LB_DSR), dsr_ilb = spec("dsr-ilb", &VIP, &ilb, SIM_LB_DSR);
  sim_lb_spec empty = spec("dsr-empty", &VIP, &other, SIM_LB_DSR), nat = spec("nat", &vip2, &plain, 0);
  empty.n_backends = 0;
  assert_int_equal(sim_lb_add(t, &dsr), SIM_OK);
  assert_int_equal(sim_lb_add(t, &dsr_ilb), SIM_OK);
  assert_int_equal(sim_lb_add(t, &empty), SIM_OK);
  assert_int_equal(sim_lb_add(t, &nat), SIM_OK);
  const char *dsts[] = {"10.96.0.10", "10.96.0.11", "10.96.0.99"};
  int yes = 0;
  for (size_t i = 0; i < 3; i++)
    for (uint16_t port = 80; port <= 83; port++)
      for (int origin = SIM_LB_FROM_LOCAL; origin <= SIM_LB_FROM_NETWORK; origin++) {
        sim_flow f = flow("10.244.1.9", 40000, dsts[i], port, SIM_IPPROTO_TCP);
        sim_lb_decision d = run(t, NULL, f, origin, 0);
        int want = d.verdict == SIM_LB_FORWARD && d.dsr;
        assert_int_equal(sim_lb_new_dsr(t, &f, origin), want);
        yes += want;
      }
  /* dsr :80 from a container or another machine, dsr-ilb :81 from a
   * container; the host may not reach VIPs on ws2019. */
  assert_int_equal(yes, 3);
  sim_flow f = flow("10.244.1.9", 40000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  assert_int_equal(sim_lb_new_dsr(t, &f, 0), 0);
  assert_int_equal(sim_lb_new_dsr(NULL, &f, SIM_LB_FROM_LOCAL), 0);
  f.src.family = 6;
  assert_int_equal(sim_lb_new_dsr(t, &f, SIM_LB_FROM_LOCAL), 0);
  /* With the DSR load balancers gone, nothing is DSR. */
  f.src.family = 4;
  assert_int_equal(sim_lb_new_dsr(t, &f, SIM_LB_FROM_LOCAL), 1);
  assert_int_equal(sim_lb_remove(t, "dsr"), SIM_OK);
  assert_int_equal(sim_lb_remove(t, "dsr-ilb"), SIM_OK);
  assert_int_equal(sim_lb_remove(t, "dsr-empty"), SIM_OK);
  assert_int_equal(sim_lb_new_dsr(t, &f, SIM_LB_FROM_LOCAL), 0);
  assert_int_equal(run(t, NULL, f, SIM_LB_FROM_LOCAL, 0).verdict, SIM_LB_NONE);
  sim_lb_table_destroy(t);
}

/* NodePort: no VIP, so every address of the host, and only those. */
static void nodeport_on_host_addresses(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 30080, SIM_LB_DIST_NONE, SIM_LB_PM_LOCAL_ROUTED_VIP};
  sim_lb_spec s = spec("np", NULL, &m, 0);
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  sim_lb_decision d = run(t, NULL, flow("192.168.5.5", 5000, "10.0.0.4", 30080, SIM_IPPROTO_TCP), SIM_LB_FROM_NETWORK, 0);
  assert_int_equal(d.verdict, SIM_LB_FORWARD);
  assert_true(d.nodeport);
  assert_string_equal(d.rule_id, "np");
  d = run(t, NULL, flow("192.168.5.5", 5000, "10.0.0.5", 30080, SIM_IPPROTO_TCP), SIM_LB_FROM_NETWORK, 0);
  assert_int_equal(d.verdict, SIM_LB_NONE);
  sim_ip two[2] = {ip("10.0.0.4"), ip("10.0.0.5")};
  assert_int_equal(sim_lb_set_host_addresses(t, two, 2), SIM_OK);
  d = run(t, NULL, flow("192.168.5.5", 5000, "10.0.0.5", 30080, SIM_IPPROTO_TCP), SIM_LB_FROM_NETWORK, 0);
  assert_int_equal(d.verdict, SIM_LB_FORWARD);
  /* An IPv4 NodePort does not answer on the host's IPv6 address. */
  sim_ip v6[2] = {ip("10.0.0.4"), ip("fd00::4")};
  assert_int_equal(sim_lb_set_host_addresses(t, v6, 2), SIM_OK);
  d = run(t, NULL, flow("fd00::9", 5000, "fd00::4", 30080, SIM_IPPROTO_TCP), SIM_LB_FROM_NETWORK, 0);
  assert_int_equal(d.verdict, SIM_LB_NONE);
  /* A VIP frontend on the host's own address wins over the NodePort. */
  sim_lb_mapping m2 = {SIM_IPPROTO_TCP, 9090, 30080, SIM_LB_DIST_NONE, 0};
  sim_lb_spec ext = spec("ext", &NODE, &m2, 0);
  assert_int_equal(sim_lb_add(t, &ext), SIM_OK);
  d = run(t, NULL, flow("192.168.5.5", 5000, "10.0.0.4", 30080, SIM_IPPROTO_TCP), SIM_LB_FROM_NETWORK, 0);
  assert_string_equal(d.rule_id, "ext");
  assert_false(d.nodeport);
  assert_int_equal(d.after.dport, 9090);
  sim_lb_table_destroy(t);
}

static void preserve_dip_keeps_the_vip(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, SIM_LB_PM_PRESERVE_DIP | SIM_LB_PM_USE_MUX};
  sim_lb_spec s = spec("ingress", &VIP, &m, SIM_LB_DSR);
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  sim_flow f = flow("192.168.5.5", 5000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  sim_lb_decision d = run(t, NULL, f, SIM_LB_FROM_NETWORK, 0);
  assert_int_equal(d.verdict, SIM_LB_FORWARD);
  assert_true(d.backend >= 0);
  assert_true(sim_ip_equal(&d.after.dst, &VIP));
  assert_int_equal(d.after.dport, 8080);
  assert_true(sim_ip_equal(&d.after.src, &f.src));
  sim_lb_table_destroy(t);
}

static void ilb_serves_only_this_side(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, SIM_LB_PM_ILB};
  sim_lb_spec s = spec("ilb", &VIP, &m, 0);
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  sim_flow f = flow("10.244.1.9", 40000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  sim_lb_decision d = run(t, NULL, f, SIM_LB_FROM_NETWORK, 0);
  assert_int_equal(d.verdict, SIM_LB_DROP);
  assert_int_equal(d.reason, SIM_LB_ILB_EXTERNAL);
  assert_string_equal(d.rule_id, "ilb");
  assert_true(sim_flow_equal(&d.after, &f));
  assert_int_equal(run(t, NULL, f, SIM_LB_FROM_LOCAL, 0).verdict, SIM_LB_FORWARD);
  sim_lb_table_destroy(t);
}

/* The host itself: VIPs per the profile; its own NodePort per the profile
 * and only with LocalRoutedVIP. */
static void host_as_sender_per_profile(void **state) {
  (void)state;
  const sim_lb_profile ws2019 = {1, 0, 1}, ws2022 = {1, 1, 1}, old = {1, 0, 0};
  const sim_lb_profile *profs[3] = {&ws2019, &ws2022, &old};
  int want_vip[3] = {SIM_LB_DROP, SIM_LB_FORWARD, SIM_LB_DROP};
  int want_np[3] = {SIM_LB_FORWARD, SIM_LB_FORWARD, SIM_LB_DROP};
  for (int i = 0; i < 3; i++) {
    sim_lb_table *t = node_table(profs[i], 1);
    sim_lb_mapping cip = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
    sim_lb_mapping np = {SIM_IPPROTO_TCP, 8080, 30080, SIM_LB_DIST_NONE, SIM_LB_PM_LOCAL_ROUTED_VIP};
    sim_lb_mapping np_plain = {SIM_IPPROTO_TCP, 8080, 30081, SIM_LB_DIST_NONE, 0};
    sim_lb_spec a = spec("cip", &VIP, &cip, 0), b = spec("np", NULL, &np, 0), c = spec("np2", NULL, &np_plain, 0);
    assert_int_equal(sim_lb_add(t, &a), SIM_OK);
    assert_int_equal(sim_lb_add(t, &b), SIM_OK);
    assert_int_equal(sim_lb_add(t, &c), SIM_OK);
    sim_lb_decision d = run(t, NULL, flow("10.0.0.4", 5000, "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_HOST, 0);
    assert_int_equal(d.verdict, want_vip[i]);
    if (d.verdict == SIM_LB_DROP) assert_int_equal(d.reason, SIM_LB_HOST_NO_VIP);
    d = run(t, NULL, flow("10.0.0.4", 5000, "10.0.0.4", 30080, SIM_IPPROTO_TCP), SIM_LB_FROM_HOST, 0);
    assert_int_equal(d.verdict, want_np[i]);
    d = run(t, NULL, flow("10.0.0.4", 5000, "10.0.0.4", 30081, SIM_IPPROTO_TCP), SIM_LB_FROM_HOST, 0);
    assert_int_equal(d.verdict, SIM_LB_DROP);
    assert_int_equal(d.reason, SIM_LB_HOST_NO_NODEPORT);
    /* Pods are never refused. */
    d = run(t, NULL, flow("10.244.1.9", 5000, "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0);
    assert_int_equal(d.verdict, SIM_LB_FORWARD);
    sim_lb_table_destroy(t);
  }
}

/* ws2016: a VIP is tied to one host: its first local backend, always. */
static void unbalanced_vip_uses_first_local_backend(void **state) {
  (void)state;
  const sim_lb_profile ws2016 = {0, 0, 0};
  sim_lb_table *t = node_table(&ws2016, 1);
  sim_lb_backend remote_first[3] = {{ip("10.244.2.2"), 0}, {ip("10.244.1.3"), 1}, {ip("10.244.1.2"), 1}};
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("svc", &VIP, &m, 0);
  s.backends = remote_first;
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  for (int i = 0; i < 50; i++)
    assert_int_equal(
        run(t, NULL, flow("10.244.1.9", (uint16_t)(1000 + i), "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0)
            .backend,
        1);
  sim_ip vip2 = ip("10.96.0.11");
  sim_lb_spec r = spec("remote-only", &vip2, &m, 0);
  r.backends = remote_first;
  r.n_backends = 1;
  assert_int_equal(sim_lb_add(t, &r), SIM_OK);
  sim_lb_decision d = run(t, NULL, flow("10.244.1.9", 1000, "10.96.0.11", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0);
  assert_int_equal(d.verdict, SIM_LB_DROP);
  assert_int_equal(d.reason, SIM_LB_NO_BACKEND);
  sim_lb_table_destroy(t);
}

static void no_backend_drops_and_hairpin_is_flagged(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("empty", &VIP, &m, 0);
  s.n_backends = 0;
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  sim_lb_decision d = run(t, NULL, flow("10.244.1.9", 1, "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0);
  assert_int_equal(d.verdict, SIM_LB_DROP);
  assert_int_equal(d.reason, SIM_LB_NO_BACKEND);
  assert_int_equal(d.backend, -1);
  sim_ip vip2 = ip("10.96.0.12");
  sim_lb_spec one = spec("self", &vip2, &m, SIM_LB_DSR);
  one.n_backends = 1; /* 10.244.1.2 */
  assert_int_equal(sim_lb_add(t, &one), SIM_OK);
  d = run(t, NULL, flow("10.244.1.2", 1, "10.96.0.12", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0);
  assert_int_equal(d.verdict, SIM_LB_FORWARD);
  assert_true(d.hairpin);
  assert_true(d.backend_local);
  sim_lb_table_destroy(t);
}

/* A block of two ports toward one backend: the third client is dropped. */
static void snat_block_exhausts(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_ct *ct = NULL;
  assert_int_equal(sim_ct_create(64, 1, NULL, &ct), SIM_OK);
  sim_lb_mapping m = {SIM_IPPROTO_UDP, 53, 53, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("dns", &VIP, &m, 0);
  s.n_backends = 1;
  s.source_vip = &SVIP;
  s.snat_port_first = 50000;
  s.snat_port_count = 2;
  assert_int_equal(sim_lb_add(t, &s), SIM_OK);
  const char *clients[] = {"10.244.1.5", "10.244.1.6", "10.244.1.7"};
  int want[] = {SIM_LB_FORWARD, SIM_LB_FORWARD, SIM_LB_DROP};
  for (int i = 0; i < 3; i++) {
    sim_lb_decision d = run(t, ct, flow(clients[i], 3333, "10.96.0.10", 53, SIM_IPPROTO_UDP), SIM_LB_FROM_LOCAL, 0);
    assert_int_equal(d.verdict, want[i]);
    if (i == 2) assert_int_equal(d.reason, SIM_LB_PORTS_EXHAUSTED);
  }
  /* Two minutes later both UDP connections have expired. */
  assert_int_equal(
      run(t, ct, flow("10.244.1.7", 3333, "10.96.0.10", 53, SIM_IPPROTO_UDP), SIM_LB_FROM_LOCAL, SIM_S(120)).verdict,
      SIM_LB_FORWARD);
  /* Without a block the client's port is kept, so two clients on one port collide. */
  sim_ip vip2 = ip("10.96.0.13");
  sim_lb_spec k = spec("keep", &vip2, &m, 0);
  k.n_backends = 1;
  k.source_vip = &SVIP;
  assert_int_equal(sim_lb_add(t, &k), SIM_OK);
  sim_lb_decision d = run(t, ct, flow("10.244.1.5", 4444, "10.96.0.13", 53, SIM_IPPROTO_UDP), SIM_LB_FROM_LOCAL, SIM_S(121));
  assert_int_equal(d.after.sport, 4444);
  d = run(t, ct, flow("10.244.1.6", 4444, "10.96.0.13", 53, SIM_IPPROTO_UDP), SIM_LB_FROM_LOCAL, SIM_S(121));
  assert_int_equal(d.verdict, SIM_LB_DROP);
  assert_int_equal(d.reason, SIM_LB_TUPLE_IN_USE);
  sim_ct_destroy(ct);
  sim_lb_table_destroy(t);
}

static void frontends_are_unique(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_mapping np = {SIM_IPPROTO_TCP, 8080, 30080, SIM_LB_DIST_NONE, 0};
  sim_lb_spec a = spec("a", &VIP, &m, 0), b = spec("b", &VIP, &m, 0), n1 = spec("n1", NULL, &np, 0),
              n2 = spec("n2", NULL, &np, 0);
  assert_int_equal(sim_lb_add(t, &a), SIM_OK);
  assert_int_equal(sim_lb_add(t, &b), SIM_E_EXISTS);
  assert_non_null(strstr(sim_lb_errmsg(t), "10.96.0.10"));
  assert_non_null(strstr(sim_lb_errmsg(t), "a's"));
  assert_int_equal(sim_lb_add(t, &a), SIM_E_EXISTS); /* the ID */
  assert_int_equal(sim_lb_add(t, &n1), SIM_OK);
  assert_int_equal(sim_lb_add(t, &n2), SIM_E_EXISTS);
  /* A spec repeating its own key is refused whole. */
  sim_lb_mapping twice[2] = {{SIM_IPPROTO_UDP, 1, 99, 0, 0}, {SIM_IPPROTO_UDP, 2, 99, 0, 0}};
  sim_lb_spec dup = spec("dup", &VIP, twice, 0);
  dup.n_mappings = 2;
  assert_int_equal(sim_lb_add(t, &dup), SIM_E_EXISTS);
  assert_non_null(strstr(sim_lb_errmsg(t), "dup's"));
  assert_int_equal(sim_lb_count(t), 2);
  /* Removing frees the key; a removed ID is unknown. */
  assert_int_equal(sim_lb_remove(t, "a"), SIM_OK);
  assert_int_equal(sim_lb_remove(t, "a"), SIM_E_NOTFOUND);
  assert_int_equal(run(t, NULL, flow("10.244.1.9", 1, "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0).verdict,
                   SIM_LB_NONE);
  assert_int_equal(sim_lb_add(t, &b), SIM_OK);
  assert_string_equal(
      run(t, NULL, flow("10.244.1.9", 1, "10.96.0.10", 80, SIM_IPPROTO_TCP), SIM_LB_FROM_LOCAL, 0).rule_id, "b");
  /* The refused "dup" left nothing behind: UDP 99 is free. */
  assert_int_equal(run(t, NULL, flow("10.244.1.9", 1, "10.96.0.10", 99, SIM_IPPROTO_UDP), SIM_LB_FROM_LOCAL, 0).verdict,
                   SIM_LB_NONE);
  assert_int_equal(sim_lb_count(t), 2);
  sim_lb_table_destroy(t);
}

static void bad_input_is_refused(void **state) {
  (void)state;
  sim_lb_table *t = node_table(&WS2022, 1);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  struct {
    sim_lb_mapping m;
    uint32_t flags;
    const char *field;
  } cases[] = {
    {{SIM_IPPROTO_ICMP, 1, 1, 0, 0}, 0, "protocol 1"},
    {{SIM_IPPROTO_TCP, 0, 80, 0, 0}, 0, "port 0"},
    {{SIM_IPPROTO_TCP, 1, 80, 3, 0}, 0, "distribution 3"},
    {{SIM_IPPROTO_TCP, 1, 80, 0, 16}, 0, "flags 16"},
    {{SIM_IPPROTO_TCP, 1, 80, 0, 0}, 4, "flags 4"},
    {{SIM_IPPROTO_TCP, 1, 80, 0, 0}, SIM_LB_IPV6, "vips[0] \"10.96.0.10\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sim_lb_spec s = spec("x", &VIP, &cases[i].m, cases[i].flags);
    assert_int_equal(sim_lb_add(t, &s), SIM_E_INVAL);
    assert_non_null(strstr(sim_lb_errmsg(t), cases[i].field));
  }
  sim_ip zero = ip("0.0.0.0");
  sim_lb_spec s = spec("x", &zero, &m, 0);
  assert_int_equal(sim_lb_add(t, &s), SIM_E_INVAL);
  s = spec("x", &VIP, &m, 0);
  s.snat_port_first = 65535;
  s.snat_port_count = 2;
  assert_int_equal(sim_lb_add(t, &s), SIM_E_INVAL);
  s = spec(NULL, &VIP, &m, 0);
  assert_int_equal(sim_lb_add(t, &s), SIM_E_INVAL);
  assert_int_equal(sim_lb_add(t, NULL), SIM_E_INVAL);
  assert_int_equal(sim_lb_count(t), 0);
  sim_lb_decision d;
  memset(&d, 0x5A, sizeof d);
  sim_lb_decision before = d;
  sim_flow f = flow("10.244.1.9", 1, "10.96.0.10", 80, SIM_IPPROTO_TCP), mixed = f;
  mixed.dst = ip("fd00::1");
  assert_int_equal(sim_lb_process(t, NULL, &mixed, 0, SIM_LB_FROM_LOCAL, 0, &d), SIM_E_INVAL);
  assert_int_equal(sim_lb_process(t, NULL, &f, 0, 0, 0, &d), SIM_E_INVAL);
  assert_non_null(strstr(sim_lb_errmsg(t), "origin 0"));
  assert_memory_equal(&d, &before, sizeof d);
  sim_ip dupes[2] = {NODE, NODE};
  assert_int_equal(sim_lb_set_host_addresses(t, dupes, 2), SIM_E_INVAL);
  /* The refused set changed nothing: the node address is still the host's. */
  sim_lb_mapping np = {SIM_IPPROTO_TCP, 8080, 30080, SIM_LB_DIST_NONE, 0};
  sim_lb_spec n = spec("np", NULL, &np, 0);
  assert_int_equal(sim_lb_add(t, &n), SIM_OK);
  assert_int_equal(run(t, NULL, flow("1.2.3.4", 1, "10.0.0.4", 30080, SIM_IPPROTO_TCP), SIM_LB_FROM_NETWORK, 0).verdict,
                   SIM_LB_FORWARD);
  sim_lb_table_destroy(t);
}

/* Same seed, same choices; another seed, other choices, equally valid. */
static void choices_follow_the_seed(void **state) {
  (void)state;
  int diff = 0;
  sim_lb_table *a = node_table(&WS2022, 7), *b = node_table(&WS2022, 7), *c = node_table(&WS2022, 8);
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_lb_spec s = spec("svc", &VIP, &m, 0);
  assert_int_equal(sim_lb_add(a, &s), SIM_OK);
  assert_int_equal(sim_lb_add(b, &s), SIM_OK);
  assert_int_equal(sim_lb_add(c, &s), SIM_OK);
  for (int i = 0; i < 100; i++) {
    sim_flow f = flow("10.244.1.9", (uint16_t)(2000 + i), "10.96.0.10", 80, SIM_IPPROTO_TCP);
    int ba = run(a, NULL, f, SIM_LB_FROM_LOCAL, 0).backend, bb = run(b, NULL, f, SIM_LB_FROM_LOCAL, 0).backend;
    assert_int_equal(ba, bb);
    diff += ba != run(c, NULL, f, SIM_LB_FROM_LOCAL, 0).backend;
  }
  assert_true(diff > 30);
  sim_lb_table_destroy(a);
  sim_lb_table_destroy(b);
  sim_lb_table_destroy(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(no_frontend_no_change),
    cmocka_unit_test(distribution_none_spreads),
    cmocka_unit_test(distribution_source_ip_is_sticky),
    cmocka_unit_test(distribution_source_ip_protocol),
    cmocka_unit_test(non_dsr_snat_to_source_vip_and_reply),
    cmocka_unit_test(dsr_keeps_source_and_marks_reply),
    cmocka_unit_test(new_dsr_agrees_with_a_decision),
    cmocka_unit_test(nodeport_on_host_addresses),
    cmocka_unit_test(preserve_dip_keeps_the_vip),
    cmocka_unit_test(ilb_serves_only_this_side),
    cmocka_unit_test(host_as_sender_per_profile),
    cmocka_unit_test(unbalanced_vip_uses_first_local_backend),
    cmocka_unit_test(no_backend_drops_and_hairpin_is_flagged),
    cmocka_unit_test(snat_block_exhausts),
    cmocka_unit_test(frontends_are_unique),
    cmocka_unit_test(bad_input_is_refused),
    cmocka_unit_test(choices_follow_the_seed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
