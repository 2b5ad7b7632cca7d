/* test_sim_packet.c: the 5-tuple: equality, reversal, a hash that is fixed
 * across builds (pinned values) and sensitive to every field, and its text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "sim_packet.h"
#include "sim_test_values.h"

static void reverse_and_equal(void **state) {
  (void)state;
  sim_flow f = flow("10.0.0.5", 49152, "10.96.0.10", 53, SIM_IPPROTO_UDP), r, rr;
  sim_flow_reverse(&f, &r);
  assert_false(sim_flow_equal(&f, &r));
  sim_flow want = flow("10.96.0.10", 53, "10.0.0.5", 49152, SIM_IPPROTO_UDP);
  assert_true(sim_flow_equal(&r, &want));
  sim_flow_reverse(&r, &rr);
  assert_true(sim_flow_equal(&rr, &f));
}

/* The hash is part of results (which backend a load balancer picks), so it
 * is pinned: a change here changes every scenario's digest. */
static void hash_is_pinned_and_sensitive(void **state) {
  (void)state;
  sim_flow f = flow("10.0.0.5", 49152, "10.96.0.10", 53, SIM_IPPROTO_UDP);
  assert_int_equal(sim_flow_hash(&f, 1), sim_flow_hash(&f, 1));
  assert_true(sim_flow_hash(&f, 1) != sim_flow_hash(&f, 2));
  sim_flow g[5] = {f, f, f, f, f};
  g[0].sport++, g[1].dport++, g[2].proto = SIM_IPPROTO_TCP, g[3].src.b[3]++, g[4].dst.b[0]++;
  for (int i = 0; i < 5; i++) assert_true(sim_flow_hash(&g[i], 1) != sim_flow_hash(&f, 1));
  sim_flow v6 = flow("fd00::5", 1, "fd00::6", 2, SIM_IPPROTO_TCP);
  assert_true(sim_flow_hash(&v6, 1) != sim_flow_hash(&f, 1));
  assert_true(sim_flow_hash(&f, 1) == 0xd792dea2de7b075dull);
}

static void text(void **state) {
  (void)state;
  char out[SIM_FLOW_TEXT];
  sim_flow f = flow("10.0.0.5", 49152, "10.96.0.10", 53, SIM_IPPROTO_UDP);
  sim_flow_format(&f, out);
  assert_string_equal(out, "udp 10.0.0.5:49152 -> 10.96.0.10:53");
  f = flow("fd00::5", 40000, "fd00::a", 80, SIM_IPPROTO_TCP);
  sim_flow_format(&f, out);
  assert_string_equal(out, "tcp [fd00::5]:40000 -> [fd00::a]:80");
  f = flow("10.0.0.5", 7, "8.8.8.8", 0, SIM_IPPROTO_ICMP);
  sim_flow_format(&f, out);
  assert_string_equal(out, "icmp 10.0.0.5 -> 8.8.8.8");
  char p[8];
  sim_proto_name(47, p);
  assert_string_equal(p, "47");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reverse_and_equal),
      cmocka_unit_test(hash_is_pinned_and_sensitive),
      cmocka_unit_test(text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
