/* test_sim_addr.c: IPv4/IPv6 parse and canonical print, prefixes (bounds,
 * containment, overlap, n-th address at the edges, size), MACs in both
 * spellings, and refusal of bad text with the output left as it was. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "sim_addr.h"

static sim_ip ip_of(const char *s) {
  sim_ip ip;
  assert_int_equal(sim_ip_parse(s, &ip), 0);
  return ip;
}

static sim_prefix prefix_of(const char *s) {
  sim_prefix p;
  assert_int_equal(sim_prefix_parse(s, &p), 0);
  return p;
}

static void ip_round_trips(void **state) {
  (void)state;
  static const char *in[][2] = {
    {"10.0.0.1", "10.0.0.1"},
    {"0.0.0.0", "0.0.0.0"},
    {"255.255.255.255", "255.255.255.255"},
    {"::", "::"},
    {"::1", "::1"},
    {"FD00:0:0:0:0:0:0:1", "fd00::1"},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, /* first longest run (RFC 5952 4.2.3) */
    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, /* one zero field is not compressed */
    {"::ffff:10.0.0.1", "::ffff:10.0.0.1"},
  };
  for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
    sim_ip ip = ip_of(in[i][0]);
    char out[46];
    sim_ip_format(&ip, out);
    assert_string_equal(out, in[i][1]);
  }
  sim_ip v4 = ip_of("10.1.2.3");
  assert_int_equal(v4.family, 4);
  static const uint8_t rest[12] = {0};
  assert_memory_equal(v4.b + 4, rest, 12);
  assert_int_equal(ip_of("fd00::1").family, 6);
}

/* The hand-written dotted quad is inet_ntop's, for every byte value in
 * every position. */
static void ipv4_format_is_inet_ntops(void **state) {
  (void)state;
  for (unsigned v = 0; v < 256; v++) {
    for (int pos = 0; pos < 4; pos++) {
      sim_ip ip;
      memset(&ip, 0, sizeof ip);
      ip.family = 4;
      for (int i = 0; i < 4; i++) ip.b[i] = (uint8_t)(i == pos ? v : (v * 37 + (unsigned)i * 101) & 255);
      char want[INET_ADDRSTRLEN], got[46];
      assert_non_null(inet_ntop(AF_INET, ip.b, want, sizeof want));
      sim_ip_format(&ip, got);
      assert_string_equal(got, want);
    }
  }
}

static void ip_bad_inputs(void **state) {
  (void)state;
  static const char *bad[] = {
    "", "10.0.0", "10.0.0.256", "10.0.0.01", "10.1", "0x0a.0.0.1", " 10.0.0.1",
    "10.0.0.1 ", "10.0.0.1/24", "fe80::1%eth0", ":::", "1::2::3", "g::1", "10.0.0.-1",
  };
  sim_ip sentinel, ip;
  memset(&sentinel, 0x5A, sizeof sentinel);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ip = sentinel;
    assert_int_equal(sim_ip_parse(bad[i], &ip), -1);
    assert_memory_equal(&ip, &sentinel, sizeof ip);
  }
}

static void ip_compare_and_equal(void **state) {
  (void)state;
  sim_ip a = ip_of("10.0.0.1"), b = ip_of("10.0.0.2"), c = ip_of("::1"), d = ip_of("0:0::1");
  assert_true(sim_ip_compare(&a, &b) < 0);
  assert_true(sim_ip_compare(&b, &a) > 0);
  assert_true(sim_ip_compare(&b, &c) < 0); /* v4 before v6 */
  assert_true(sim_ip_equal(&c, &d));
  assert_false(sim_ip_equal(&a, &b));
}

static void prefix_parse_bounds(void **state) {
  (void)state;
  sim_prefix p;
  char out[50];
  p = prefix_of("10.0.0.0/24");
  assert_int_equal(p.len, 24);
  sim_prefix_format(&p, out);
  assert_string_equal(out, "10.0.0.0/24");
  p = prefix_of("0.0.0.0/0");
  assert_int_equal(p.len, 0);
  p = prefix_of("10.0.0.1/32");
  assert_int_equal(p.len, 32);
  p = prefix_of("FD00::/64");
  sim_prefix_format(&p, out);
  assert_string_equal(out, "fd00::/64");
  p = prefix_of("::/128");
  sim_prefix_format(&p, out);
  assert_string_equal(out, "::/128");
  /* Host bits are kept as given; network() masks them. */
  p = prefix_of("10.0.0.77/24");
  sim_prefix_format(&p, out);
  assert_string_equal(out, "10.0.0.77/24");
  sim_ip net;
  sim_prefix_network(&p, &net);
  sim_ip_format(&net, out);
  assert_string_equal(out, "10.0.0.0");
  p = prefix_of("fd00:1:2:3:4:5:6:7/61");
  sim_prefix_network(&p, &net);
  sim_ip_format(&net, out);
  assert_string_equal(out, "fd00:1:2::");

  static const char *bad[] = {
    "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/+8",
    "10.0.0.0/08", "10.0.0.0/24/1", "/24", "10.0.0.0/2a", "10.0.0.0 /24", "10.0.0.0/1000",
    "10.0.0.256/24",
  };
  sim_prefix sentinel;
  memset(&sentinel, 0x77, sizeof sentinel);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    p = sentinel;
    assert_int_equal(sim_prefix_parse(bad[i], &p), -1);
    assert_memory_equal(&p, &sentinel, sizeof p);
  }
}

static void prefix_contains_and_overlaps(void **state) {
  (void)state;
  sim_prefix p = prefix_of("10.0.0.0/24");
  sim_ip in1 = ip_of("10.0.0.0"), in2 = ip_of("10.0.0.255"), out1 = ip_of("10.0.1.0"),
         out2 = ip_of("9.255.255.255"), v6 = ip_of("::ffff:10.0.0.1");
  assert_true(sim_prefix_contains(&p, &in1));
  assert_true(sim_prefix_contains(&p, &in2));
  assert_false(sim_prefix_contains(&p, &out1));
  assert_false(sim_prefix_contains(&p, &out2));
  assert_false(sim_prefix_contains(&p, &v6));
  sim_prefix all = prefix_of("0.0.0.0/0");
  assert_true(sim_prefix_contains(&all, &out2));
  sim_prefix odd = prefix_of("10.0.0.0/23");
  sim_ip x = ip_of("10.0.1.200");
  assert_true(sim_prefix_contains(&odd, &x));
  sim_prefix v6p = prefix_of("fd00::/64");
  sim_ip a6 = ip_of("fd00::ffff:ffff:ffff:ffff"), b6 = ip_of("fd00:0:0:1::");
  assert_true(sim_prefix_contains(&v6p, &a6));
  assert_false(sim_prefix_contains(&v6p, &b6));

  sim_prefix q = prefix_of("10.0.0.128/25"), r = prefix_of("10.0.1.0/24"), s = prefix_of("10.0.0.0/16");
  assert_true(sim_prefix_overlaps(&p, &q));
  assert_true(sim_prefix_overlaps(&q, &p));
  assert_false(sim_prefix_overlaps(&p, &r));
  assert_true(sim_prefix_overlaps(&s, &r));
  assert_false(sim_prefix_overlaps(&p, &v6p));
}

static void prefix_nth_and_size(void **state) {
  (void)state;
  sim_prefix p = prefix_of("10.0.0.77/24");
  sim_ip ip, sentinel = ip_of("1.2.3.4");
  char out[46];
  assert_int_equal(sim_prefix_size(&p), 256);
  assert_int_equal(sim_prefix_nth(&p, 0, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "10.0.0.0");
  assert_int_equal(sim_prefix_nth(&p, 2, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "10.0.0.2");
  assert_int_equal(sim_prefix_nth(&p, 255, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "10.0.0.255");
  ip = sentinel;
  assert_int_equal(sim_prefix_nth(&p, 256, &ip), -1);
  assert_true(sim_ip_equal(&ip, &sentinel));

  sim_prefix p22 = prefix_of("172.16.4.0/22");
  assert_int_equal(sim_prefix_nth(&p22, 300, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "172.16.5.44");
  assert_int_equal(sim_prefix_nth(&p22, 1023, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "172.16.7.255");
  assert_int_equal(sim_prefix_nth(&p22, 1024, &ip), -1);

  sim_prefix host = prefix_of("10.0.0.9/32");
  assert_int_equal(sim_prefix_size(&host), 1);
  assert_int_equal(sim_prefix_nth(&host, 0, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "10.0.0.9");
  assert_int_equal(sim_prefix_nth(&host, 1, &ip), -1);

  sim_prefix all4 = prefix_of("0.0.0.0/0");
  assert_int_equal(sim_prefix_size(&all4), UINT64_C(4294967296));
  assert_int_equal(sim_prefix_nth(&all4, UINT64_C(4294967295), &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "255.255.255.255");
  assert_int_equal(sim_prefix_nth(&all4, UINT64_C(4294967296), &ip), -1);

  sim_prefix v64 = prefix_of("fd00::/64"), v65 = prefix_of("fd00::/65"), v0 = prefix_of("::/0");
  assert_int_equal(sim_prefix_size(&v64), UINT64_MAX);
  assert_int_equal(sim_prefix_size(&v0), UINT64_MAX);
  assert_int_equal(sim_prefix_size(&v65), UINT64_C(1) << 63);
  assert_int_equal(sim_prefix_nth(&v64, UINT64_MAX, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "fd00::ffff:ffff:ffff:ffff");
  assert_int_equal(sim_prefix_nth(&v65, (UINT64_C(1) << 63) - 1, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "fd00::7fff:ffff:ffff:ffff");
  assert_int_equal(sim_prefix_nth(&v65, UINT64_C(1) << 63, &ip), -1);
  sim_prefix v120 = prefix_of("fd00::1:0/120");
  assert_int_equal(sim_prefix_nth(&v120, 0x1ff, &ip), -1);
  assert_int_equal(sim_prefix_nth(&v120, 0xff, &ip), 0);
  sim_ip_format(&ip, out);
  assert_string_equal(out, "fd00::1:ff");
}

static void mac_both_spellings(void **state) {
  (void)state;
  sim_mac a, b, c;
  char out[18];
  assert_int_equal(sim_mac_parse("00-15-5D-52-C0-00", &a), 0);
  assert_int_equal(sim_mac_parse("00:15:5d:52:c0:00", &b), 0);
  assert_int_equal(sim_mac_parse("00-15-5d-52-C0-00", &c), 0);
  assert_memory_equal(&a, &b, sizeof a);
  assert_memory_equal(&a, &c, sizeof a);
  sim_mac_format(&b, out);
  assert_string_equal(out, "00-15-5D-52-C0-00");
  assert_int_equal(sim_mac_to_u64(&a), UINT64_C(0x00155D52C000));
  sim_mac d;
  sim_mac_from_u64(sim_mac_to_u64(&a) + 0xFFF, &d);
  sim_mac_format(&d, out);
  assert_string_equal(out, "00-15-5D-52-CF-FF");
  sim_mac_from_u64(UINT64_C(0xAB00155D52C001), &d); /* bits above 48 ignored */
  sim_mac_format(&d, out);
  assert_string_equal(out, "00-15-5D-52-C0-01");
  sim_mac_from_u64(UINT64_C(0xFFFFFFFFFFFF), &d);
  assert_int_equal(sim_mac_to_u64(&d), UINT64_C(0xFFFFFFFFFFFF));
}

static void mac_bad_inputs(void **state) {
  (void)state;
  static const char *bad[] = {
    "", "00-15-5D-52-C0", "00-15-5D-52-C0-00-11", "00-15-5D:52-C0-00", "00.15.5D.52.C0.00",
    "00155D52C000", "0-15-5D-52-C0-000", "00-15-5D-52-C0-0G", " 00-15-5D-52-C0-00",
    "00-15-5D-52-C0-00 ",
  };
  sim_mac sentinel, m;
  memset(&sentinel, 0x3C, sizeof sentinel);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    m = sentinel;
    assert_int_equal(sim_mac_parse(bad[i], &m), -1);
    assert_memory_equal(&m, &sentinel, sizeof m);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(ip_round_trips),
    cmocka_unit_test(ipv4_format_is_inet_ntops),
    cmocka_unit_test(ip_bad_inputs),
    cmocka_unit_test(ip_compare_and_equal),
    cmocka_unit_test(prefix_parse_bounds),
    cmocka_unit_test(prefix_contains_and_overlaps),
    cmocka_unit_test(prefix_nth_and_size),
    cmocka_unit_test(mac_both_spellings),
    cmocka_unit_test(mac_bad_inputs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
