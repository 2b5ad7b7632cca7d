/* test_sim_conntrack.c: connections found in both directions with the
 * translation or its reverse, idle timeouts per protocol and TCP state,
 * uniqueness of translated tuples and the port cursor, capacity and
 * eviction, refusals that change nothing, and results that do not depend
 * on the seed. Also the index and prefix map the stages share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "sim_conntrack.h"
#include "sim_prefix_map.h"
#include "sim_status.h"
#include "sim_test_values.h"

static sim_ct *table(size_t cap, uint64_t seed) {
  sim_ct *ct = NULL;
  assert_int_equal(sim_ct_create(cap, seed, NULL, &ct), SIM_OK);
  return ct;
}

/* A SNAT: container 172.16.0.5:1234 -> 8.8.8.8:53 leaves as 192.168.1.10:50000. */
#define ORIG flow("172.16.0.5", 1234, "8.8.8.8", 53, SIM_IPPROTO_UDP)
#define XLAT flow("192.168.1.10", 50000, "8.8.8.8", 53, SIM_IPPROTO_UDP)

static void both_directions(void **state) {
  (void)state;
  sim_ct *ct = table(16, 1);
  sim_flow o = ORIG, x = XLAT, reply, back;
  assert_int_equal(sim_ct_insert(ct, &o, &x, "nat-1", SIM_CT_DSR, 7, 0, SIM_S(5)), SIM_OK);
  sim_ct_hit h;
  assert_int_equal(sim_ct_lookup(ct, &o, 0, SIM_S(6), &h), 1);
  assert_int_equal(h.dir, SIM_CT_ORIGINAL);
  assert_true(sim_flow_equal(&h.out, &x));
  assert_string_equal(h.entry.owner, "nat-1");
  assert_int_equal(h.entry.flags, SIM_CT_DSR);
  assert_int_equal(h.entry.aux, 7);
  assert_int_equal(h.entry.created, SIM_S(5));
  sim_flow_reverse(&x, &reply); /* 8.8.8.8:53 -> 192.168.1.10:50000 */
  assert_int_equal(sim_ct_lookup(ct, &reply, 0, SIM_S(7), &h), 1);
  assert_int_equal(h.dir, SIM_CT_REPLY);
  sim_flow_reverse(&o, &back); /* 8.8.8.8:53 -> 172.16.0.5:1234 */
  assert_true(sim_flow_equal(&h.out, &back));
  /* The untranslated reply is no key. */
  assert_int_equal(sim_ct_lookup(ct, &back, 0, SIM_S(8), &h), 0);
  assert_int_equal(sim_ct_count(ct), 1);
  sim_ct_destroy(ct);
}

static void udp_and_icmp_idle_timeouts(void **state) {
  (void)state;
  sim_ct *ct = table(16, 1);
  sim_flow o = ORIG, x = XLAT;
  sim_flow io = flow("172.16.0.5", 77, "8.8.4.4", 0, SIM_IPPROTO_ICMP), ix = io;
  assert_int_equal(sim_ct_insert(ct, &o, &x, "n", 0, 0, 0, 0), SIM_OK);
  assert_int_equal(sim_ct_insert(ct, &io, &ix, "n", 0, 0, 0, 0), SIM_OK);
  sim_ct_hit h;
  /* ICMP 30 s: alive just before, gone at 30 s. */
  assert_int_equal(sim_ct_lookup(ct, &io, 0, SIM_S(30) - 1, &h), 1);
  assert_int_equal(h.entry.expires, SIM_S(60) - 1);
  assert_int_equal(sim_ct_lookup(ct, &io, 0, SIM_S(60) - 1, &h), 0);
  /* UDP 120 s, pushed back by each packet. */
  assert_int_equal(sim_ct_lookup(ct, &o, 0, SIM_S(119), &h), 1);
  assert_int_equal(sim_ct_lookup(ct, &o, 0, SIM_S(238), &h), 1);
  assert_int_equal(sim_ct_lookup(ct, &o, 0, SIM_S(358), &h), 0);
  assert_int_equal(sim_ct_count(ct), 0);
  sim_ct_stats st;
  sim_ct_get_stats(ct, &st);
  assert_int_equal(st.inserted, 2);
  assert_int_equal(st.expired, 2);
  sim_ct_destroy(ct);
}

static void tcp_transient_established_closing(void **state) {
  (void)state;
  sim_ct *ct = table(16, 1);
  sim_flow o = flow("10.244.1.5", 40000, "10.96.0.10", 80, SIM_IPPROTO_TCP);
  sim_flow x = flow("10.244.1.5", 40000, "10.244.2.7", 8080, SIM_IPPROTO_TCP), r;
  sim_flow_reverse(&x, &r);
  sim_ct_hit h;
  assert_int_equal(sim_ct_insert(ct, &o, &x, "lb", 0, 0, SIM_TCP_SYN, 0), SIM_OK);
  assert_int_equal(sim_ct_lookup(ct, &o, SIM_TCP_SYN, SIM_S(1), &h), 1);
  assert_int_equal(h.entry.cls, SIM_CT_TCP_TRANSIENT);
  assert_int_equal(h.entry.expires, SIM_S(121));
  /* The SYN-ACK: established, 1800 s. */
  assert_int_equal(sim_ct_lookup(ct, &r, SIM_TCP_SYN | SIM_TCP_ACK, SIM_S(2), &h), 1);
  assert_int_equal(h.entry.cls, SIM_CT_TCP_ESTABLISHED);
  assert_int_equal(h.entry.expires, SIM_S(1802));
  assert_int_equal(sim_ct_lookup(ct, &o, SIM_TCP_ACK, SIM_S(1000), &h), 1);
  /* A FIN: transient again, and a later reply does not re-establish it. */
  assert_int_equal(sim_ct_lookup(ct, &o, SIM_TCP_FIN | SIM_TCP_ACK, SIM_S(1001), &h), 1);
  assert_int_equal(h.entry.cls, SIM_CT_TCP_TRANSIENT);
  assert_int_equal(sim_ct_lookup(ct, &r, SIM_TCP_ACK, SIM_S(1002), &h), 1);
  assert_int_equal(h.entry.cls, SIM_CT_TCP_TRANSIENT);
  assert_int_equal(h.entry.expires, SIM_S(1122));
  assert_int_equal(sim_ct_lookup(ct, &o, SIM_TCP_ACK, SIM_S(1122), &h), 0);
  /* A handshake never answered lasts 120 s. */
  assert_int_equal(sim_ct_insert(ct, &o, &x, "lb", 0, 0, SIM_TCP_SYN, SIM_S(2000)), SIM_OK);
  assert_int_equal(sim_ct_expire(ct, SIM_S(2119)), 0);
  assert_int_equal(sim_ct_expire(ct, SIM_S(2120)), 1);
  sim_ct_destroy(ct);
}

static void translated_tuples_are_unique(void **state) {
  (void)state;
  sim_ct *ct = table(16, 1);
  sim_flow o = ORIG, x = XLAT;
  assert_int_equal(sim_ct_insert(ct, &o, &x, "n", 0, 0, 0, 0), SIM_OK);
  /* Same original tuple again. */
  sim_flow x2 = x;
  x2.sport = 50001;
  assert_int_equal(sim_ct_insert(ct, &o, &x2, "n", 0, 0, 0, 0), SIM_E_EXISTS);
  /* Another container whose translation would take the same tuple. */
  sim_flow o2 = flow("172.16.0.6", 1234, "8.8.8.8", 53, SIM_IPPROTO_UDP);
  assert_int_equal(sim_ct_insert(ct, &o2, &x, "n", 0, 0, 0, 0), SIM_E_EXISTS);
  assert_string_not_equal(sim_ct_errmsg(ct), "");
  assert_int_equal(sim_ct_count(ct), 1);
  assert_int_equal(sim_ct_tuple_taken(ct, &x, 0), 1);
  assert_int_equal(sim_ct_tuple_taken(ct, &x2, 0), 0);
  sim_ct_destroy(ct);
}

/* Ports go round the range from the cursor; a port is free again toward
 * another destination, or once its connection expired. */
static void port_cursor_and_exhaustion(void **state) {
  (void)state;
  sim_ct *ct = table(16, 1);
  sim_flow tmpl = XLAT;
  uint32_t cursor = 0;
  uint16_t p;
  const char *src[] = {"172.16.0.5", "172.16.0.6", "172.16.0.7", "172.16.0.8"};
  uint16_t want[] = {60000, 60001, 60002};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(sim_ct_pick_port(ct, &tmpl, 60000, 3, &cursor, 0, &p), 1);
    assert_int_equal(p, want[i]);
    sim_flow o = flow(src[i], 1234, "8.8.8.8", 53, SIM_IPPROTO_UDP), x = tmpl;
    x.sport = p;
    assert_int_equal(sim_ct_insert(ct, &o, &x, "n", 0, 0, 0, 0), SIM_OK);
  }
  assert_int_equal(sim_ct_pick_port(ct, &tmpl, 60000, 3, &cursor, 0, &p), 0);
  sim_flow other = tmpl;
  other.dst.b[3] = 9; /* 8.8.8.9 */
  assert_int_equal(sim_ct_pick_port(ct, &other, 60000, 3, &cursor, 0, &p), 1);
  assert_int_equal(p, 60000);
  /* All three expire at 120 s; the cursor continues where it was. */
  assert_int_equal(sim_ct_pick_port(ct, &tmpl, 60000, 3, &cursor, SIM_S(120), &p), 1);
  assert_int_equal(p, 60001);
  assert_int_equal(sim_ct_pick_port(ct, &tmpl, 0, 3, &cursor, SIM_S(120), &p), SIM_E_INVAL);
  assert_int_equal(sim_ct_pick_port(ct, &tmpl, 65535, 2, &cursor, SIM_S(120), &p), SIM_E_INVAL);
  sim_ct_destroy(ct);
}

/* Full: the connection nearest expiry goes (ICMP's 30 s before UDP's 120 s),
 * whatever the order of insertion. */
static void capacity_evicts_nearest_expiry(void **state) {
  (void)state;
  sim_ct *ct = table(2, 1);
  sim_flow u = ORIG, ux = XLAT;
  sim_flow i = flow("172.16.0.5", 9, "1.1.1.1", 0, SIM_IPPROTO_ICMP);
  sim_flow t = flow("172.16.0.5", 5555, "1.1.1.1", 443, SIM_IPPROTO_TCP);
  assert_int_equal(sim_ct_insert(ct, &u, &ux, "n", 0, 0, 0, 0), SIM_OK);
  assert_int_equal(sim_ct_insert(ct, &i, &i, "n", 0, 0, 0, 0), SIM_OK);
  assert_int_equal(sim_ct_insert(ct, &t, &t, "n", 0, 0, SIM_TCP_SYN, SIM_S(1)), SIM_OK);
  assert_int_equal(sim_ct_count(ct), 2);
  sim_ct_hit h;
  assert_int_equal(sim_ct_lookup(ct, &i, 0, SIM_S(1), &h), 0);
  assert_int_equal(sim_ct_lookup(ct, &u, 0, SIM_S(1), &h), 1);
  assert_int_equal(sim_ct_lookup(ct, &t, 0, SIM_S(1), &h), 1);
  sim_ct_stats st;
  sim_ct_get_stats(ct, &st);
  assert_int_equal(st.evicted, 1);
  assert_int_equal(sim_ct_capacity(ct), 2);
  sim_ct_destroy(ct);
}

static void refusals_change_nothing(void **state) {
  (void)state;
  sim_ct *ct = NULL;
  assert_int_equal(sim_ct_create(0, 1, NULL, &ct), SIM_E_INVAL);
  sim_ct_timeouts bad;
  sim_ct_default_timeouts(&bad);
  bad.icmp = 0;
  assert_int_equal(sim_ct_create(4, 1, &bad, &ct), SIM_E_INVAL);
  assert_null(ct);
  ct = table(4, 1);
  sim_flow o = ORIG, x = XLAT;
  sim_flow junk = o;
  junk.src.b[7] = 1; /* IPv4 with a stray byte */
  assert_int_equal(sim_ct_insert(ct, &junk, &x, "n", 0, 0, 0, 0), SIM_E_INVAL);
  assert_non_null(strstr(sim_ct_errmsg(ct), "orig"));
  sim_flow mixed = x;
  sim_ip_parse("fd00::1", &mixed.dst);
  assert_int_equal(sim_ct_insert(ct, &o, &mixed, "n", 0, 0, 0, 0), SIM_E_INVAL);
  assert_non_null(strstr(sim_ct_errmsg(ct), "xlat"));
  char longid[SIM_RULE_ID_MAX + 1];
  memset(longid, 'a', SIM_RULE_ID_MAX);
  longid[SIM_RULE_ID_MAX] = 0;
  assert_int_equal(sim_ct_insert(ct, &o, &x, longid, 0, 0, 0, 0), SIM_E_INVAL);
  assert_non_null(strstr(sim_ct_errmsg(ct), "owner"));
  assert_int_equal(sim_ct_insert(ct, &o, &x, "", 0, 0, 0, 0), SIM_E_INVAL);
  sim_flow tcp = x;
  tcp.proto = SIM_IPPROTO_TCP;
  assert_int_equal(sim_ct_insert(ct, &o, &tcp, "n", 0, 0, 0, 0), SIM_E_INVAL);
  assert_int_equal(sim_ct_insert(ct, NULL, &x, "n", 0, 0, 0, 0), SIM_E_INVAL);
  assert_int_equal(sim_ct_count(ct), 0);
  assert_int_equal(sim_ct_insert(ct, &o, &x, "n", 0, 0, 0, SIM_S(10)), SIM_OK);
  sim_ct_hit h;
  assert_int_equal(sim_ct_lookup(ct, &o, 0, SIM_S(9), &h), SIM_E_PAST);
  assert_non_null(strstr(sim_ct_errmsg(ct), "now"));
  assert_int_equal(sim_ct_lookup(ct, &junk, 0, SIM_S(10), &h), SIM_E_INVAL);
  assert_int_equal(sim_ct_lookup(ct, &o, 0, SIM_S(10), NULL), SIM_E_INVAL);
  assert_int_equal(sim_ct_count(ct), 1);
  sim_ct_destroy(ct);
}

/* The seed moves entries between slots, never an answer. */
static void answers_do_not_depend_on_the_seed(void **state) {
  (void)state;
  sim_ct *a = table(64, 1), *b = table(64, 0xDEADBEEF);
  for (int i = 0; i < 200; i++) {
    sim_flow o = flow("172.16.0.5", (uint16_t)(1000 + i), "8.8.8.8", 53, SIM_IPPROTO_UDP), x = o;
    x.src.b[0] = 192;
    sim_ct *t[2] = {a, b};
    for (int k = 0; k < 2; k++) assert_int_equal(sim_ct_insert(t[k], &o, &x, "n", 0, (uint32_t)i, 0, SIM_MS(i)), SIM_OK);
  }
  for (int i = 0; i < 200; i++) {
    sim_flow o = flow("172.16.0.5", (uint16_t)(1000 + i), "8.8.8.8", 53, SIM_IPPROTO_UDP);
    sim_ct_hit ha, hb;
    int ra = sim_ct_lookup(a, &o, 0, SIM_S(1), &ha), rb = sim_ct_lookup(b, &o, 0, SIM_S(1), &hb);
    assert_int_equal(ra, rb);
    assert_int_equal(ra, i >= 136); /* the 64 newest survive eviction */
    if (ra) assert_int_equal(ha.entry.aux, hb.entry.aux);
  }
  sim_ct_destroy(a);
  sim_ct_destroy(b);
}

static void prefix_map_longest_match(void **state) {
  (void)state;
  sim_prefix_map m;
  assert_int_equal(sim_prefix_map_init(&m), SIM_OK);
  sim_prefix p8, p16, p32, p6;
  sim_prefix_parse("10.0.0.1/8", &p8); /* stored as 10.0.0.0/8 */
  sim_prefix_parse("10.244.0.0/16", &p16);
  sim_prefix_parse("10.244.1.5/32", &p32);
  sim_prefix_parse("fd00::/64", &p6);
  assert_int_equal(sim_prefix_map_add(&m, &p8, 8), SIM_OK);
  assert_int_equal(sim_prefix_map_add(&m, &p32, 32), SIM_OK);
  assert_int_equal(sim_prefix_map_add(&m, &p16, 16), SIM_OK);
  assert_int_equal(sim_prefix_map_add(&m, &p6, 6), SIM_OK);
  sim_prefix again;
  sim_prefix_parse("10.9.9.9/8", &again);
  assert_int_equal(sim_prefix_map_add(&m, &again, 99), SIM_E_EXISTS);
  struct { const char *ip; int found; uint32_t v; } cases[] = {
    {"10.244.1.5", 1, 32}, {"10.244.1.6", 1, 16}, {"10.1.2.3", 1, 8}, {"11.0.0.1", 0, 0},
    {"fd00::5", 1, 6},     {"fd01::5", 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sim_ip ip;
    sim_ip_parse(cases[i].ip, &ip);
    uint32_t v = 12345;
    assert_int_equal(sim_prefix_map_lookup(&m, &ip, &v), cases[i].found);
    assert_int_equal(v, cases[i].found ? cases[i].v : 12345);
  }
  assert_int_equal(sim_prefix_map_count(&m), 4);
  sim_prefix_map_fini(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(both_directions),
    cmocka_unit_test(udp_and_icmp_idle_timeouts),
    cmocka_unit_test(tcp_transient_established_closing),
    cmocka_unit_test(translated_tuples_are_unique),
    cmocka_unit_test(port_cursor_and_exhaustion),
    cmocka_unit_test(capacity_evicts_nearest_expiry),
    cmocka_unit_test(refusals_change_nothing),
    cmocka_unit_test(answers_do_not_depend_on_the_seed),
    cmocka_unit_test(prefix_map_longest_match),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
