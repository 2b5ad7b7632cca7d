/* test_sim_lpm.c: longest-prefix match as a route table answers it: the
 * longest prefix wins, /0 is the default, /32 and /128 host routes, equal
 * prefixes by metric then by insertion (kept across replace), removal
 * falling back to the shorter prefix, the families kept apart, bad input
 * refused with the table unchanged, and randomised checks against a
 * brute-force reference (IPv4, and IPv6 with lengths on both sides of the
 * 64-bit boundary while prefixes come and go). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "sim_lpm.h"
#include "sim_rng.h"
#include "sim_test_values.h"

static sim_ip ip_of(const char *s) {
  sim_ip ip;
  assert_int_equal(sim_ip_parse(s, &ip), 0);
  return ip;
}

static void add(sim_lpm *t, const char *p, uint32_t metric, uint64_t value) {
  sim_prefix x = pfx(p);
  assert_int_equal(sim_lpm_add(t, &x, metric, value), SIM_OK);
}

/* The value found for `ip`, or -1 when nothing matches. */
static int64_t find(const sim_lpm *t, const char *ip) {
  sim_ip a = ip_of(ip);
  sim_lpm_entry e;
  int rc = sim_lpm_lookup(t, &a, &e);
  if (rc == SIM_E_NOTFOUND) return -1;
  assert_int_equal(rc, SIM_OK);
  return (int64_t)e.value;
}

static void longest_prefix_wins_with_default_and_host_routes(void **state) {
  (void)state;
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  assert_int_equal(find(t, "10.0.0.1"), -1);
  add(t, "0.0.0.0/0", 10, 1);
  add(t, "10.0.0.0/8", 10, 2);
  add(t, "10.244.1.0/24", 10, 3);
  add(t, "10.244.1.7/32", 10, 4);
  add(t, "10.244.1.128/25", 10, 5);
  assert_int_equal(find(t, "8.8.8.8"), 1);
  assert_int_equal(find(t, "10.1.2.3"), 2);
  assert_int_equal(find(t, "10.244.1.6"), 3);
  assert_int_equal(find(t, "10.244.1.7"), 4);
  assert_int_equal(find(t, "10.244.1.200"), 5);
  assert_int_equal(find(t, "10.244.2.1"), 2);
  assert_int_equal(sim_lpm_count(t), 5);

  sim_ip a = ip_of("10.244.1.9");
  sim_lpm_entry e;
  assert_int_equal(sim_lpm_lookup(t, &a, &e), SIM_OK);
  char text[50];
  sim_prefix_format(&e.prefix, text);
  assert_string_equal(text, "10.244.1.0/24");
  assert_int_equal(e.metric, 10);
  sim_lpm_destroy(t);
}

static void host_bits_are_ignored(void **state) {
  (void)state;
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  add(t, "10.244.1.5/24", 1, 7); /* an interface address with its length */
  sim_ip a = ip_of("10.244.1.200");
  sim_lpm_entry e;
  assert_int_equal(sim_lpm_lookup(t, &a, &e), SIM_OK);
  char text[50];
  sim_prefix_format(&e.prefix, text);
  assert_string_equal(text, "10.244.1.0/24");
  sim_prefix other = pfx("10.244.1.0/24");
  assert_int_equal(sim_lpm_add(t, &other, 1, 7), SIM_E_EXISTS);
  sim_lpm_destroy(t);
}

static void ipv6_and_families_apart(void **state) {
  (void)state;
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  add(t, "::/0", 1, 60);
  add(t, "fd00::/8", 1, 61);
  add(t, "fd00:10:244:1::/64", 1, 62);
  add(t, "fd00:10:244:1::7/128", 1, 63);
  assert_int_equal(find(t, "2001:db8::1"), 60);
  assert_int_equal(find(t, "fd12::1"), 61);
  assert_int_equal(find(t, "fd00:10:244:1::8"), 62);
  assert_int_equal(find(t, "fd00:10:244:1::7"), 63);
  /* An IPv6 default does not answer for IPv4, nor the reverse. */
  assert_int_equal(find(t, "10.0.0.1"), -1);
  add(t, "0.0.0.0/0", 1, 40);
  assert_int_equal(find(t, "10.0.0.1"), 40);
  assert_int_equal(find(t, "2001:db8::1"), 60);
  sim_lpm_destroy(t);
}

static void equal_prefixes_by_metric_then_insertion(void **state) {
  (void)state;
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  add(t, "0.0.0.0/0", 20, 1);
  add(t, "0.0.0.0/0", 5, 2);
  add(t, "0.0.0.0/0", 5, 3);
  assert_int_equal(find(t, "1.1.1.1"), 2); /* lowest metric, first added */

  sim_prefix d = pfx("0.0.0.0/0");
  /* Replacing keeps 2's place: a tie with 3 still goes to 2. */
  assert_int_equal(sim_lpm_replace(t, &d, 2, 5, 22), SIM_OK);
  assert_int_equal(find(t, "1.1.1.1"), 22);
  /* A worse metric moves it behind 3. */
  assert_int_equal(sim_lpm_replace(t, &d, 22, 6, 22), SIM_OK);
  assert_int_equal(find(t, "1.1.1.1"), 3);
  /* Back to 5: earlier insertion beats 3 again. */
  assert_int_equal(sim_lpm_replace(t, &d, 22, 5, 22), SIM_OK);
  assert_int_equal(find(t, "1.1.1.1"), 22);
  assert_int_equal(sim_lpm_replace(t, &d, 22, 5, 3), SIM_E_EXISTS);
  assert_int_equal(sim_lpm_replace(t, &d, 99, 5, 100), SIM_E_NOTFOUND);
  assert_int_equal(sim_lpm_count(t), 3);
  sim_lpm_destroy(t);
}

static void removal_falls_back_and_reuses_memory(void **state) {
  (void)state;
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  add(t, "0.0.0.0/0", 1, 1);
  add(t, "10.244.0.0/16", 1, 2);
  add(t, "10.244.1.0/24", 1, 3);
  sim_prefix p24 = pfx("10.244.1.0/24"), p16 = pfx("10.244.0.0/16");
  assert_int_equal(sim_lpm_remove(t, &p24, 4), SIM_E_NOTFOUND);
  assert_int_equal(sim_lpm_remove(t, &p24, 3), SIM_OK);
  assert_int_equal(sim_lpm_remove(t, &p24, 3), SIM_E_NOTFOUND);
  assert_int_equal(find(t, "10.244.1.5"), 2);
  assert_int_equal(sim_lpm_remove(t, &p16, 2), SIM_OK);
  assert_int_equal(find(t, "10.244.1.5"), 1);
  sim_prefix p0 = pfx("0.0.0.0/0");
  assert_int_equal(sim_lpm_remove(t, &p0, 1), SIM_OK);
  assert_int_equal(find(t, "10.244.1.5"), -1);
  assert_int_equal(sim_lpm_count(t), 0);
  /* Many adds and removes of the same routes: still correct. */
  for (int round = 0; round < 100; round++) {
    add(t, "10.244.1.0/24", 1, 3);
    add(t, "fd00::/64", 1, 4);
    assert_int_equal(find(t, "10.244.1.5"), 3);
    sim_prefix p6 = pfx("fd00::/64");
    assert_int_equal(sim_lpm_remove(t, &p24, 3), SIM_OK);
    assert_int_equal(sim_lpm_remove(t, &p6, 4), SIM_OK);
  }
  assert_int_equal(find(t, "10.244.1.5"), -1);
  sim_lpm_destroy(t);
}

static void bad_input_changes_nothing(void **state) {
  (void)state;
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  add(t, "10.0.0.0/8", 1, 1);
  sim_prefix bad = pfx("10.0.0.0/8");
  bad.len = 33;
  assert_int_equal(sim_lpm_add(t, &bad, 1, 2), SIM_E_INVAL);
  bad = pfx("fd00::/8");
  bad.len = 129;
  assert_int_equal(sim_lpm_add(t, &bad, 1, 2), SIM_E_INVAL);
  bad.addr.family = 5;
  bad.len = 8;
  assert_int_equal(sim_lpm_add(t, &bad, 1, 2), SIM_E_INVAL);
  assert_int_equal(sim_lpm_add(t, NULL, 1, 2), SIM_E_INVAL);
  assert_int_equal(sim_lpm_add(NULL, &bad, 1, 2), SIM_E_INVAL);
  sim_ip a = ip_of("10.1.1.1");
  assert_int_equal(sim_lpm_lookup(t, &a, NULL), SIM_E_INVAL);
  a.family = 0;
  sim_lpm_entry e;
  assert_int_equal(sim_lpm_lookup(t, &a, &e), SIM_E_INVAL);
  assert_int_equal(sim_lpm_count(t), 1);
  assert_int_equal(find(t, "10.1.1.1"), 1);
  assert_int_equal(sim_lpm_create(NULL), SIM_E_INVAL);
  sim_lpm_destroy(t);
  sim_lpm_destroy(NULL);
}

/* The best live entry for `a` by a linear scan: the longest prefix, then
 * the lowest metric, then the lowest value (values are added in order). */
static int reference(const sim_prefix *ps, const uint32_t *metric, const int *live, int n, const sim_ip *a) {
  int best = -1;
  for (int i = 0; i < n; i++) {
    if (!live[i] || !sim_prefix_contains(&ps[i], a)) continue;
    if (best < 0 || ps[i].len > ps[best].len || (ps[i].len == ps[best].len && metric[i] < metric[best])) best = i;
  }
  return best;
}

/* Random IPv4 tables of nested prefixes, checked against a linear scan. */
static void random_tables_match_a_reference(void **state) {
  (void)state;
  enum { N = 300, Q = 2000 };
  sim_rng rng;
  sim_rng_init(&rng, 42, "test-lpm");
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  sim_prefix ps[N];
  uint32_t metric[N];
  int live[N];
  for (int i = 0; i < N; i++) {
    memset(&ps[i], 0, sizeof ps[i]);
    ps[i].addr.family = 4;
    uint64_t r = sim_rng_u64(&rng);
    ps[i].addr.b[0] = 10;
    ps[i].addr.b[1] = (uint8_t)(r & 3);
    ps[i].addr.b[2] = (uint8_t)((r >> 8) & 7);
    ps[i].addr.b[3] = (uint8_t)(r >> 16);
    ps[i].len = (uint8_t)(8 + (r >> 24) % 25);
    sim_prefix_network(&ps[i], &ps[i].addr);
    metric[i] = (uint32_t)((r >> 40) % 3);
    live[i] = sim_lpm_add(t, &ps[i], metric[i], (uint64_t)i) == SIM_OK;
  }
  for (int i = 0; i < N; i += 3)
    if (live[i]) {
      assert_int_equal(sim_lpm_remove(t, &ps[i], (uint64_t)i), SIM_OK);
      live[i] = 0;
    }
  for (int q = 0; q < Q; q++) {
    uint64_t r = sim_rng_u64(&rng);
    sim_ip a = {4, {10, (uint8_t)(r & 3), (uint8_t)((r >> 8) & 7), (uint8_t)(r >> 16)}};
    int best = reference(ps, metric, live, N, &a);
    sim_lpm_entry e;
    int rc = sim_lpm_lookup(t, &a, &e);
    if (best < 0) {
      assert_int_equal(rc, SIM_E_NOTFOUND);
    } else {
      assert_int_equal(rc, SIM_OK);
      assert_int_equal(e.value, (uint64_t)best);
    }
  }
  sim_lpm_destroy(t);
}

/* IPv6 prefixes of every length under fd00::/16 (most near /64), added,
 * removed and added back in rounds, so lengths appear and disappear; every
 * round checks random addresses near the prefixes against the scan, and
 * an IPv4 default never answers for them. */
static void random_ipv6_churn_matches_a_reference(void **state) {
  (void)state;
  enum { N = 200, Q = 500, ROUNDS = 6 };
  sim_rng rng;
  sim_rng_init(&rng, 7, "test-lpm-v6");
  sim_lpm *t;
  assert_int_equal(sim_lpm_create(&t), SIM_OK);
  add(t, "0.0.0.0/0", 1, 1000);
  sim_prefix ps[N];
  uint32_t metric[N];
  int live[N];
  for (int i = 0; i < N; i++) {
    memset(&ps[i], 0, sizeof ps[i]);
    ps[i].addr.family = 6;
    ps[i].addr.b[0] = 0xfd;
    for (int b = 2; b < 16; b++) ps[i].addr.b[b] = (uint8_t)(sim_rng_u64(&rng) & 3);
    uint64_t r = sim_rng_u64(&rng);
    ps[i].len = (uint8_t)(r % 4 ? 56 + r % 17 : 16 + r % 113); /* 56..72, else 16..128 */
    sim_prefix_network(&ps[i], &ps[i].addr);
    metric[i] = (uint32_t)((r >> 32) % 3);
    live[i] = 0;
  }
  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < N; i++) {
      int want = (int)((sim_rng_u64(&rng) >> 7) % 3) != 0;
      if (want && !live[i]) {
        int rc = sim_lpm_add(t, &ps[i], metric[i], (uint64_t)i);
        /* An equal prefix added earlier with another value is fine. */
        assert_int_equal(rc, SIM_OK);
        live[i] = 1;
      } else if (!want && live[i]) {
        assert_int_equal(sim_lpm_remove(t, &ps[i], (uint64_t)i), SIM_OK);
        live[i] = 0;
      }
    }
    for (int q = 0; q < Q; q++) {
      sim_ip a = ps[sim_rng_u64(&rng) % N].addr;
      int flips = (int)(sim_rng_u64(&rng) % 4);
      for (int f = 0; f < flips; f++) {
        uint64_t r = sim_rng_u64(&rng);
        a.b[2 + r % 14] ^= (uint8_t)(1u << ((r >> 8) % 8));
      }
      int best = reference(ps, metric, live, N, &a);
      sim_lpm_entry e;
      int rc = sim_lpm_lookup(t, &a, &e);
      if (best < 0) {
        assert_int_equal(rc, SIM_E_NOTFOUND);
      } else {
        assert_int_equal(rc, SIM_OK);
        /* Equal prefixes and metrics: the earlier insertion, which the
         * scan cannot know; compare the prefix and metric instead. */
        assert_int_equal(e.prefix.len, ps[best].len);
        assert_true(sim_ip_equal(&e.prefix.addr, &ps[best].addr));
        assert_int_equal(e.metric, metric[best]);
      }
    }
  }
  for (int i = 0; i < N; i++)
    if (live[i]) assert_int_equal(sim_lpm_remove(t, &ps[i], (uint64_t)i), SIM_OK);
  assert_int_equal(sim_lpm_count(t), 1);
  assert_int_equal(find(t, "fd00::1"), -1);
  assert_int_equal(find(t, "10.0.0.1"), 1000);
  sim_lpm_destroy(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(longest_prefix_wins_with_default_and_host_routes),
    cmocka_unit_test(host_bits_are_ignored),
    cmocka_unit_test(ipv6_and_families_apart),
    cmocka_unit_test(equal_prefixes_by_metric_then_insertion),
    cmocka_unit_test(removal_falls_back_and_reuses_memory),
    cmocka_unit_test(bad_input_changes_nothing),
    cmocka_unit_test(random_tables_match_a_reference),
    cmocka_unit_test(random_ipv6_churn_matches_a_reference),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
