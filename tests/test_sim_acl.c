/* test_sim_acl.c: the ACL stage (sim/sim_acl.h): HNS's list strings parsed
 * or refused with messages naming field and value; priority order,
 * direction and the endpoint-is-local mapping, protocol sets, v4/v6 address
 * lists, port lists and ranges, Block over Allow over Pass at one priority,
 * the profiles' defaults and the default block once rules exist; bad rules
 * refused with the set unchanged; and the index checked against a
 * brute-force scan over thousands of random rules and flows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "sim_acl.h"
#include "sim_rng.h"
#include "sim_status.h"
#include "sim_test_values.h"

/* A rule from HNS's strings, added to s; fails the test if refused. */
static void add(sim_acl_set *s, sim_acl_rule_text t) {
  sim_acl_parsed p;
  char err[SIM_ACL_ERRLEN] = "";
  assert_int_equal(sim_acl_rule_parse(&t, &p, err), SIM_OK);
  assert_int_equal(sim_acl_set_add(s, &p.rule, err), SIM_OK);
  sim_acl_parsed_free(&p);
}

static sim_acl_rule_text rule(const char *id, uint16_t prio, sim_acl_dir dir, sim_acl_action act) {
  sim_acl_rule_text t;
  memset(&t, 0, sizeof t);
  t.id = id, t.priority = prio, t.direction = dir, t.action = act, t.rule_type = SIM_ACL_SWITCH;
  return t;
}

/* Builds s and decides f; returns the action, and the deciding rule's Id in
 * id ("" for the default). */
static sim_acl_action decide(sim_acl_set *s, sim_acl_dir dir, sim_flow f, char id[64]) {
  sim_acl_decision d;
  assert_int_equal(sim_acl_set_build(s), SIM_OK);
  assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, dir, &f, &d), SIM_OK);
  id[0] = '\0';
  if (d.rule >= 0) assert_true(sim_acl_rule_id(s, d.rule, id, 64) >= 0);
  return d.action;
}

static void protocols_parse(void **state) {
  (void)state;
  sim_acl_protos p;
  char err[SIM_ACL_ERRLEN];
  assert_int_equal(sim_acl_parse_protocols("6,17", &p, err), SIM_OK);
  assert_true(p.bits[0] == ((uint64_t)1 << 6 | (uint64_t)1 << 17) && !p.bits[1] && !p.bits[2] && !p.bits[3]);
  assert_int_equal(sim_acl_parse_protocols("255", &p, err), SIM_OK);
  assert_true(p.bits[3] == (uint64_t)1 << 63);
  static const char *any[] = {"", "256", "6,256"};
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(sim_acl_parse_protocols(any[i], &p, err), SIM_OK);
    assert_true(!p.bits[0] && !p.bits[1] && !p.bits[2] && !p.bits[3]);
  }
  assert_int_equal(sim_acl_parse_protocols(NULL, &p, err), SIM_OK);
  sim_acl_protos keep = {{7, 7, 7, 7}};
  static const char *bad[] = {"TCP", "6,,17", "6,", " 6", "257", "-1", "06", "6;17"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    p = keep;
    assert_int_equal(sim_acl_parse_protocols(bad[i], &p, err), SIM_E_INVAL);
    assert_memory_equal(&p, &keep, sizeof p);
  }
  sim_acl_parse_protocols("6,TCP", &p, err);
  assert_string_equal(err, "Protocols: \"TCP\" is not a protocol number (0..255, or 256 for any)");
  sim_acl_parse_protocols("6,,17", &p, err);
  assert_string_equal(err, "Protocols: \"\" is not a protocol number (0..255, or 256 for any)");
}

static void addresses_parse(void **state) {
  (void)state;
  sim_prefix *a = NULL;
  size_t n = 99;
  char err[SIM_ACL_ERRLEN], text[50];
  assert_int_equal(sim_acl_parse_addrs("RemoteAddresses", "10.0.0.0/24,10.1.0.5,fd00::/64,fd00::1", &a, &n, err),
                   SIM_OK);
  assert_int_equal(n, 4);
  static const char *want[] = {"10.0.0.0/24", "10.1.0.5/32", "fd00::/64", "fd00::1/128"};
  for (size_t i = 0; i < 4; i++) {
    sim_prefix_format(&a[i], text);
    assert_string_equal(text, want[i]);
  }
  free(a);
  a = NULL;
  assert_int_equal(sim_acl_parse_addrs("LocalAddresses", "", &a, &n, err), SIM_OK);
  assert_int_equal(n, 0);
  assert_null(a);
  static const char *bad[] = {"Any", "10.0.0.0/33", "10.0.0.1,", "*", "10.0.0.0/24,,10.0.0.1", "10.0.0.0 /24",
                              "fd00::/129", "10.1"};
  sim_prefix sentinel;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    a = &sentinel, n = 77;
    assert_int_equal(sim_acl_parse_addrs("RemoteAddresses", bad[i], &a, &n, err), SIM_E_INVAL);
    assert_ptr_equal(a, &sentinel);
    assert_int_equal(n, 77);
  }
  sim_acl_parse_addrs("RemoteAddresses", "Any", &a, &n, err);
  assert_string_equal(err, "RemoteAddresses: \"Any\" is not an IP address or prefix");
  sim_acl_parse_addrs("LocalAddresses", "10.0.0.5,10.0.0.0/33", &a, &n, err);
  assert_string_equal(err, "LocalAddresses: \"10.0.0.0/33\" is not an IP address or prefix");
}

static void ports_parse(void **state) {
  (void)state;
  sim_acl_port_range *p = NULL;
  size_t n = 0;
  char err[SIM_ACL_ERRLEN];
  assert_int_equal(sim_acl_parse_ports("LocalPorts", "80,443,8000-8080,65535", &p, &n, err), SIM_OK);
  assert_int_equal(n, 4);
  assert_true(p[0].lo == 80 && p[0].hi == 80 && p[1].lo == 443 && p[2].lo == 8000 && p[2].hi == 8080 &&
              p[3].hi == 65535);
  free(p);
  static const char *bad[] = {"0", "65536", "90-80", "80-", "-80", "a", "80,", "1-2-3", "080", "80 "};
  sim_acl_port_range sentinel;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    p = &sentinel, n = 5;
    assert_int_equal(sim_acl_parse_ports("RemotePorts", bad[i], &p, &n, err), SIM_E_INVAL);
    assert_ptr_equal(p, &sentinel);
    assert_int_equal(n, 5);
  }
  sim_acl_parse_ports("LocalPorts", "80,90-80", &p, &n, err);
  assert_string_equal(err, "LocalPorts: \"90-80\" is a range whose low end is above its high end");
  sim_acl_parse_ports("RemotePorts", "0", &p, &n, err);
  assert_string_equal(err, "RemotePorts: \"0\" is not a port (1..65535) or a range LOW-HIGH");
}

static void rule_parse_names_the_field(void **state) {
  (void)state;
  sim_acl_rule_text t = rule("r1", 100, SIM_ACL_IN, SIM_ACL_ALLOW);
  t.protocols = "6", t.local_ports = "80", t.remote_addresses = "10.0.0.0/8", t.remote_ports = "1-65535x";
  sim_acl_parsed p, keep;
  memset(&keep, 0x5A, sizeof keep);
  p = keep;
  char err[SIM_ACL_ERRLEN];
  assert_int_equal(sim_acl_rule_parse(&t, &p, err), SIM_E_INVAL);
  assert_string_equal(err, "RemotePorts: \"1-65535x\" is not a port (1..65535) or a range LOW-HIGH");
  assert_memory_equal(&p, &keep, sizeof p);
  t.remote_ports = NULL;
  assert_int_equal(sim_acl_rule_parse(&t, &p, err), SIM_OK);
  assert_string_equal(p.rule.id, "r1");
  assert_int_equal(p.rule.n_local_ports, 1);
  assert_int_equal(p.rule.n_remote_addrs, 1);
  assert_int_equal(p.rule.n_remote_ports, 0);
  assert_int_equal(p.rule.priority, 100);
  sim_acl_parsed_free(&p);
}

/* Lower priority numbers are evaluated first, whatever the insertion order. */
static void priority_order(void **state) {
  (void)state;
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  char id[64];
  add(s, rule("allow-all", 1000, SIM_ACL_OUT, SIM_ACL_ALLOW));
  sim_acl_rule_text b = rule("block-dns", 500, SIM_ACL_OUT, SIM_ACL_BLOCK);
  b.remote_addresses = "10.0.0.10", b.remote_ports = "53";
  add(s, b);
  sim_acl_rule_text a = rule("allow-dns-tcp", 400, SIM_ACL_OUT, SIM_ACL_ALLOW);
  a.protocols = "6", a.remote_addresses = "10.0.0.10", a.remote_ports = "53";
  add(s, a);
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.1.0.5", 40000, "10.0.0.10", 53, SIM_IPPROTO_UDP), id),
                   SIM_ACL_BLOCK);
  assert_string_equal(id, "block-dns");
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.1.0.5", 40000, "10.0.0.10", 53, SIM_IPPROTO_TCP), id),
                   SIM_ACL_ALLOW);
  assert_string_equal(id, "allow-dns-tcp");
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.1.0.5", 40000, "10.0.0.11", 53, SIM_IPPROTO_UDP), id),
                   SIM_ACL_ALLOW);
  assert_string_equal(id, "allow-all");
  sim_acl_set_free(s);
}

/* In: the endpoint is the destination; Out: the source. Local fields are the
 * endpoint's side in both. */
static void direction_and_sides(void **state) {
  (void)state;
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  char id[64];
  sim_acl_rule_text in = rule("in-web", 100, SIM_ACL_IN, SIM_ACL_ALLOW);
  in.local_addresses = "10.1.0.5", in.local_ports = "80", in.remote_addresses = "10.2.0.0/16";
  add(s, in);
  sim_acl_rule_text out = rule("out-db", 100, SIM_ACL_OUT, SIM_ACL_ALLOW);
  out.local_addresses = "10.1.0.5", out.remote_ports = "5432", out.remote_addresses = "10.3.0.7";
  add(s, out);
  /* Inbound to the endpoint's port 80 from 10.2/16. */
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.2.9.9", 51000, "10.1.0.5", 80, SIM_IPPROTO_TCP), id),
                   SIM_ACL_ALLOW);
  assert_string_equal(id, "in-web");
  /* The same tuple outbound does not match the inbound rule. */
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.2.9.9", 51000, "10.1.0.5", 80, SIM_IPPROTO_TCP), id),
                   SIM_ACL_BLOCK);
  assert_string_equal(id, "");
  /* Ports swapped: the endpoint's (local) port is 51000, not 80. */
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.2.9.9", 80, "10.1.0.5", 51000, SIM_IPPROTO_TCP), id),
                   SIM_ACL_BLOCK);
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.1.0.5", 41000, "10.3.0.7", 5432, SIM_IPPROTO_TCP), id),
                   SIM_ACL_ALLOW);
  assert_string_equal(id, "out-db");
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.1.0.6", 41000, "10.3.0.7", 5432, SIM_IPPROTO_TCP), id),
                   SIM_ACL_BLOCK);
  sim_acl_set_free(s);
}

static void protocol_sets(void **state) {
  (void)state;
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  char id[64];
  sim_acl_rule_text t = rule("tcp-udp", 10, SIM_ACL_IN, SIM_ACL_ALLOW);
  t.protocols = "6,17";
  add(s, t);
  sim_acl_rule_text g = rule("gre", 20, SIM_ACL_IN, SIM_ACL_ALLOW);
  g.protocols = "47";
  add(s, g);
  sim_acl_rule_text any = rule("any-from-host", 30, SIM_ACL_IN, SIM_ACL_ALLOW);
  any.protocols = "256", any.remote_addresses = "10.0.0.1";
  add(s, any);
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 1, "10.1.0.5", 2, SIM_IPPROTO_UDP), id), SIM_ACL_ALLOW);
  assert_string_equal(id, "tcp-udp");
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 0, "10.1.0.5", 0, 47), id), SIM_ACL_ALLOW);
  assert_string_equal(id, "gre");
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 7, "10.1.0.5", 0, SIM_IPPROTO_ICMP), id), SIM_ACL_BLOCK);
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.0.0.1", 7, "10.1.0.5", 0, SIM_IPPROTO_ICMP), id), SIM_ACL_ALLOW);
  assert_string_equal(id, "any-from-host");
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.0.0.1", 0, "10.1.0.5", 0, 200), id), SIM_ACL_ALLOW);
  assert_string_equal(id, "any-from-host");
  sim_acl_set_free(s);
}

static void address_lists_v4_v6(void **state) {
  (void)state;
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  char id[64];
  sim_acl_rule_text t = rule("mixed", 10, SIM_ACL_IN, SIM_ACL_ALLOW);
  t.remote_addresses = "10.0.0.0/24,192.168.1.7,fd00:1::/64,fd00:2::9";
  add(s, t);
  static const struct {
    const char *src, *dst;
    sim_acl_action want;
  } cases[] = {
      {"10.0.0.0", "10.1.0.5", SIM_ACL_ALLOW},     {"10.0.0.255", "10.1.0.5", SIM_ACL_ALLOW},
      {"10.0.1.0", "10.1.0.5", SIM_ACL_BLOCK},     {"192.168.1.7", "10.1.0.5", SIM_ACL_ALLOW},
      {"192.168.1.8", "10.1.0.5", SIM_ACL_BLOCK},  {"fd00:1::ffff", "fd00::5", SIM_ACL_ALLOW},
      {"fd00:1:0:1::", "fd00::5", SIM_ACL_BLOCK},  {"fd00:2::9", "fd00::5", SIM_ACL_ALLOW},
      {"fd00:2::8", "fd00::5", SIM_ACL_BLOCK},     {"::ffff:10.0.0.1", "fd00::5", SIM_ACL_BLOCK},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    assert_int_equal(decide(s, SIM_ACL_IN, flow(cases[i].src, 1, cases[i].dst, 2, SIM_IPPROTO_TCP), id), cases[i].want);
  /* A list of only IPv4 addresses matches no IPv6 flow. */
  sim_acl_rule_text v4 = rule("v4-only-local", 5, SIM_ACL_IN, SIM_ACL_ALLOW);
  v4.local_addresses = "0.0.0.0/0";
  add(s, v4);
  assert_int_equal(decide(s, SIM_ACL_IN, flow("fd00:3::1", 1, "fd00::5", 2, SIM_IPPROTO_TCP), id), SIM_ACL_BLOCK);
  assert_int_equal(decide(s, SIM_ACL_IN, flow("172.16.0.1", 1, "10.1.0.5", 2, SIM_IPPROTO_TCP), id), SIM_ACL_ALLOW);
  assert_string_equal(id, "v4-only-local");
  sim_acl_set_free(s);
}

static void port_lists_and_ranges(void **state) {
  (void)state;
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  char id[64];
  sim_acl_rule_text t = rule("web", 10, SIM_ACL_IN, SIM_ACL_ALLOW);
  t.local_ports = "80,443,8000-8080";
  add(s, t);
  sim_acl_rule_text r = rule("ephemeral-src", 20, SIM_ACL_IN, SIM_ACL_ALLOW);
  r.remote_ports = "49152-65535", r.local_ports = "9000";
  add(s, r);
  static const struct {
    uint16_t sport, dport;
    sim_acl_action want;
  } cases[] = {{1, 80, SIM_ACL_ALLOW},     {1, 443, SIM_ACL_ALLOW},    {1, 8000, SIM_ACL_ALLOW},
               {1, 8080, SIM_ACL_ALLOW},   {1, 7999, SIM_ACL_BLOCK},   {1, 8081, SIM_ACL_BLOCK},
               {1, 81, SIM_ACL_BLOCK},     {49152, 9000, SIM_ACL_ALLOW}, {65535, 9000, SIM_ACL_ALLOW},
               {49151, 9000, SIM_ACL_BLOCK}, {50000, 9001, SIM_ACL_BLOCK}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", cases[i].sport, "10.1.0.5", cases[i].dport, SIM_IPPROTO_UDP), id),
                     cases[i].want);
  /* A port list matches only TCP and UDP: not ICMP, whose echo identifier
   * rides in sport. */
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 80, "10.1.0.5", 80, SIM_IPPROTO_ICMP), id), SIM_ACL_BLOCK);
  sim_acl_set_free(s);
}

/* Lists longer than the short-list scan: every other address and port of a
 * run is listed, so each neighbour of a member is a non-member. */
static void long_lists(void **state) {
  (void)state;
  sim_prefix a4[40], a6[40];
  sim_acl_port_range ports[20];
  for (int i = 0; i < 40; i++) {
    memset(&a4[i], 0, sizeof a4[i]), memset(&a6[i], 0, sizeof a6[i]);
    a4[i].addr.family = 4, a4[i].addr.b[0] = 10, a4[i].addr.b[3] = (uint8_t)(2 * i), a4[i].len = 32;
    a6[i].addr.family = 6, a6[i].addr.b[0] = 0xfd, a6[i].addr.b[15] = (uint8_t)(2 * i), a6[i].len = 128;
  }
  for (int i = 0; i < 20; i++) ports[i].lo = ports[i].hi = (uint16_t)(1000 + 2 * i);
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  char err[SIM_ACL_ERRLEN];
  sim_acl_rule r;
  memset(&r, 0, sizeof r);
  r.id = "long", r.direction = SIM_ACL_IN, r.action = SIM_ACL_ALLOW;
  r.remote_addrs = a4, r.n_remote_addrs = 40, r.local_ports = ports, r.n_local_ports = 20;
  assert_int_equal(sim_acl_set_add(s, &r, err), SIM_OK);
  r.id = "long6", r.remote_addrs = a6, r.local_ports = NULL, r.n_local_ports = 0;
  assert_int_equal(sim_acl_set_add(s, &r, err), SIM_OK);
  assert_int_equal(sim_acl_set_build(s), SIM_OK);
  for (int host = 0; host < 82; host++)
    for (int port = 998; port < 1042; port++) {
      sim_flow f;
      memset(&f, 0, sizeof f);
      f.src = a4[0].addr, f.src.b[3] = (uint8_t)host;
      f.dst = a4[0].addr, f.dst.b[3] = 200;
      f.sport = 5, f.dport = (uint16_t)port, f.proto = SIM_IPPROTO_TCP;
      sim_acl_decision d;
      assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, SIM_ACL_IN, &f, &d), SIM_OK);
      int member = host % 2 == 0 && host < 80 && port % 2 == 0 && port >= 1000 && port < 1040;
      assert_int_equal(d.rule, member ? 0 : -1);
      f.src = a6[0].addr, f.src.b[15] = (uint8_t)host, f.dst = a6[0].addr, f.dst.b[15] = 200;
      assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, SIM_ACL_IN, &f, &d), SIM_OK);
      assert_int_equal(d.rule, host % 2 == 0 && host < 80 ? 1 : -1);
    }
  sim_acl_set_free(s);
}

/* At one priority Block beats Allow and Allow beats Pass, in either
 * insertion order; among one action the first added reports. */
static void equal_priority(void **state) {
  (void)state;
  char id[64];
  for (int order = 0; order < 2; order++) {
    sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
    sim_acl_rule_text a = rule("allow", 100, SIM_ACL_IN, SIM_ACL_ALLOW), b = rule("block", 100, SIM_ACL_IN, SIM_ACL_BLOCK);
    sim_acl_rule_text p = rule("pass", 100, SIM_ACL_IN, SIM_ACL_PASS);
    b.local_ports = "22";
    if (order) add(s, p), add(s, a), add(s, b);
    else add(s, b), add(s, a), add(s, p);
    assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 1, "10.1.0.5", 22, SIM_IPPROTO_TCP), id), SIM_ACL_BLOCK);
    assert_string_equal(id, "block");
    assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 1, "10.1.0.5", 23, SIM_IPPROTO_TCP), id), SIM_ACL_ALLOW);
    assert_string_equal(id, "allow");
    sim_acl_set_free(s);
  }
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  add(s, rule("first", 7, SIM_ACL_OUT, SIM_ACL_ALLOW));
  add(s, rule("second", 7, SIM_ACL_OUT, SIM_ACL_ALLOW));
  add(s, rule("pass-earlier", 6, SIM_ACL_OUT, SIM_ACL_PASS));
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.1.0.5", 1, "10.9.0.1", 2, SIM_IPPROTO_TCP), id), SIM_ACL_PASS);
  assert_string_equal(id, "pass-earlier");
  sim_acl_set_free(s);
  s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  add(s, rule("first", 7, SIM_ACL_OUT, SIM_ACL_ALLOW));
  add(s, rule("second", 7, SIM_ACL_OUT, SIM_ACL_ALLOW));
  assert_int_equal(decide(s, SIM_ACL_OUT, flow("10.1.0.5", 1, "10.9.0.1", 2, SIM_IPPROTO_TCP), id), SIM_ACL_ALLOW);
  assert_string_equal(id, "first");
  sim_acl_set_free(s);
}

static sim_acl_action dflt(sim_acl_profile prof, sim_acl_rule_type type, sim_acl_dir dir, uint8_t proto,
                           sim_acl_set *with) {
  sim_acl_set *s = with ? with : sim_acl_set_new(prof);
  sim_acl_decision d;
  sim_flow f = flow("10.9.0.1", 1, "10.1.0.5", 2, proto);
  assert_int_equal(sim_acl_set_build(s), SIM_OK);
  assert_int_equal(sim_acl_lookup(s, type, dir, &f, &d), SIM_OK);
  assert_int_equal(d.rule, -1);
  if (!with) sim_acl_set_free(s);
  return d.action;
}

static void defaults(void **state) {
  (void)state;
  static const uint8_t listed[] = {SIM_IPPROTO_TCP, SIM_IPPROTO_UDP, SIM_IPPROTO_ICMP, 2, SIM_IPPROTO_ICMPV6};
  for (size_t i = 0; i < sizeof listed; i++) {
    assert_int_equal(dflt(SIM_ACL_PROFILE_PROCESS, SIM_ACL_SWITCH, SIM_ACL_IN, listed[i], NULL), SIM_ACL_ALLOW);
    assert_int_equal(dflt(SIM_ACL_PROFILE_PRE_1709, SIM_ACL_SWITCH, SIM_ACL_IN, listed[i], NULL), SIM_ACL_BLOCK);
  }
  assert_int_equal(dflt(SIM_ACL_PROFILE_PROCESS, SIM_ACL_SWITCH, SIM_ACL_IN, 47, NULL), SIM_ACL_BLOCK);
  assert_int_equal(dflt(SIM_ACL_PROFILE_PROCESS, SIM_ACL_HOST, SIM_ACL_IN, 47, NULL), SIM_ACL_BLOCK);
  for (int p = 0; p < 3; p++) assert_int_equal(dflt((sim_acl_profile)p, SIM_ACL_SWITCH, SIM_ACL_OUT, 47, NULL), SIM_ACL_ALLOW);
  assert_int_equal(dflt(SIM_ACL_PROFILE_HYPERV, SIM_ACL_SWITCH, SIM_ACL_IN, 47, NULL), SIM_ACL_ALLOW);
  /* One Switch rule (outbound): unmatched Switch traffic is blocked both
   * ways; the Host rule type, with no rules, keeps the profile's defaults. */
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_HYPERV);
  sim_acl_rule_text b = rule("block-one", 100, SIM_ACL_OUT, SIM_ACL_BLOCK);
  b.remote_addresses = "10.9.9.9";
  add(s, b);
  assert_int_equal(dflt(SIM_ACL_PROFILE_HYPERV, SIM_ACL_SWITCH, SIM_ACL_OUT, SIM_IPPROTO_TCP, s), SIM_ACL_BLOCK);
  assert_int_equal(dflt(SIM_ACL_PROFILE_HYPERV, SIM_ACL_SWITCH, SIM_ACL_IN, SIM_IPPROTO_TCP, s), SIM_ACL_BLOCK);
  assert_int_equal(dflt(SIM_ACL_PROFILE_HYPERV, SIM_ACL_HOST, SIM_ACL_IN, 47, s), SIM_ACL_ALLOW);
  sim_acl_set_free(s);
  assert_null(sim_acl_set_new((sim_acl_profile)3));
}

/* Bad rules are refused with a message and leave the set as it was. */
static void bad_rules_change_nothing(void **state) {
  (void)state;
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  char err[SIM_ACL_ERRLEN], id[64];
  add(s, rule("ok", 10, SIM_ACL_IN, SIM_ACL_ALLOW));
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 1, "10.1.0.5", 2, SIM_IPPROTO_TCP), id), SIM_ACL_ALLOW);
  sim_acl_rule r;
  memset(&r, 0, sizeof r);
  r.direction = (sim_acl_dir)2;
  assert_int_equal(sim_acl_set_add(s, &r, err), SIM_E_INVAL);
  assert_string_equal(err, "Direction: 2 is not one of its values");
  r.direction = SIM_ACL_IN, r.action = (sim_acl_action)9;
  assert_int_equal(sim_acl_set_add(s, &r, err), SIM_E_INVAL);
  assert_string_equal(err, "Action: 9 is not one of its values");
  r.action = SIM_ACL_BLOCK;
  sim_acl_port_range ports[2] = {{80, 80}, {0, 10}};
  r.local_ports = ports, r.n_local_ports = 2;
  assert_int_equal(sim_acl_set_add(s, &r, err), SIM_E_INVAL);
  assert_string_equal(err, "LocalPorts[1]: \"0-10\" is not a range of ports 1..65535, low end first");
  r.local_ports = NULL, r.n_local_ports = 0;
  sim_prefix pfx;
  memset(&pfx, 0, sizeof pfx);
  r.remote_addrs = &pfx, r.n_remote_addrs = 1;
  assert_int_equal(sim_acl_set_add(s, &r, err), SIM_E_INVAL);
  assert_string_equal(err, "RemoteAddresses[0]: family 0, length 0 is not an IPv4 or IPv6 prefix");
  r.remote_addrs = NULL;
  assert_int_equal(sim_acl_set_add(s, &r, err), SIM_E_INVAL);
  assert_string_equal(err, "RemoteAddresses: 1 entries but no array");
  assert_int_equal(sim_acl_set_count(s), 1);
  assert_int_equal(decide(s, SIM_ACL_IN, flow("10.9.0.1", 1, "10.1.0.5", 2, SIM_IPPROTO_TCP), id), SIM_ACL_ALLOW);
  assert_string_equal(id, "ok");
  sim_acl_set_free(s);
}

static void api_misuse(void **state) {
  (void)state;
  sim_acl_set *s = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  sim_acl_decision d = {SIM_ACL_PASS, 42};
  sim_flow f = flow("10.9.0.1", 1, "10.1.0.5", 2, SIM_IPPROTO_TCP);
  assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, SIM_ACL_IN, &f, &d), SIM_E_INVAL); /* never built */
  assert_int_equal(sim_acl_set_build(s), SIM_OK);
  add(s, rule("a-rather-long-identifier", 1, SIM_ACL_IN, SIM_ACL_BLOCK));
  assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, SIM_ACL_IN, &f, &d), SIM_E_INVAL); /* stale after add */
  assert_int_equal(sim_acl_set_build(s), SIM_OK);
  assert_int_equal(sim_acl_lookup(s, (sim_acl_rule_type)2, SIM_ACL_IN, &f, &d), SIM_E_INVAL);
  assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, (sim_acl_dir)5, &f, &d), SIM_E_INVAL);
  sim_flow mixed = flow("10.9.0.1", 1, "fd00::1", 2, SIM_IPPROTO_TCP);
  assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, SIM_ACL_IN, &mixed, &d), SIM_E_INVAL);
  assert_true(d.action == SIM_ACL_PASS && d.rule == 42);
  assert_int_equal(sim_acl_lookup(s, SIM_ACL_SWITCH, SIM_ACL_IN, &f, &d), SIM_OK);
  assert_true(d.action == SIM_ACL_BLOCK && d.rule == 0);
  char small[6];
  assert_int_equal(sim_acl_rule_id(s, 0, small, sizeof small), 24);
  assert_string_equal(small, "a-rat");
  assert_int_equal(sim_acl_rule_id(s, 1, small, sizeof small), SIM_E_INVAL);
  assert_int_equal(sim_acl_rule_id(s, -1, small, sizeof small), SIM_E_INVAL);
  sim_acl_set_free(s);
}

/* ---- the index against a brute-force reference ---- */

typedef struct ref_rule {
  sim_acl_rule r;
  sim_prefix la[3], ra[3];
  sim_acl_port_range lp[3], rp[3];
} ref_rule;

static int64_t draw(sim_rng *g, int64_t lo, int64_t hi) {
  int64_t v;
  assert_int_equal(sim_rng_range(g, lo, hi, &v), SIM_OK);
  return v;
}

/* An address in a small universe (10.0.0.0/22 or fd00::/118) so rules and
 * flows meet often. */
static sim_ip rand_ip(sim_rng *g, int fam) {
  sim_ip ip;
  memset(&ip, 0, sizeof ip);
  ip.family = (uint8_t)fam;
  uint32_t v = (uint32_t)draw(g, 0, 1023);
  if (fam == 4) {
    ip.b[0] = 10, ip.b[2] = (uint8_t)(v >> 8), ip.b[3] = (uint8_t)v;
  } else {
    ip.b[0] = 0xfd, ip.b[14] = (uint8_t)(v >> 8), ip.b[15] = (uint8_t)v;
  }
  return ip;
}

static void rand_prefixes(sim_rng *g, sim_prefix *p, size_t *n) {
  *n = (size_t)draw(g, 0, 3) == 0 ? 0 : (size_t)draw(g, 1, 3);
  for (size_t i = 0; i < *n; i++) {
    int fam = draw(g, 0, 3) ? 4 : 6;
    p[i].addr = rand_ip(g, fam);
    p[i].len = (uint8_t)((fam == 4 ? 32 : 128) - draw(g, 0, 10));
  }
}

static void rand_ports(sim_rng *g, sim_acl_port_range *p, size_t *n) {
  *n = draw(g, 0, 2) ? 0 : (size_t)draw(g, 1, 3);
  for (size_t i = 0; i < *n; i++) {
    uint16_t a = (uint16_t)draw(g, 1, 120);
    p[i].lo = a;
    p[i].hi = draw(g, 0, 2) ? a : (uint16_t)(a + draw(g, 0, 30));
  }
}

static const uint8_t proto_pool[] = {SIM_IPPROTO_TCP, SIM_IPPROTO_UDP, SIM_IPPROTO_ICMP, 47, SIM_IPPROTO_ICMPV6, 132};

static void rand_rule(sim_rng *g, ref_rule *x) {
  memset(x, 0, sizeof *x);
  x->r.priority = (uint16_t)draw(g, 0, 40);
  x->r.direction = (sim_acl_dir)draw(g, 0, 1);
  x->r.action = (sim_acl_action)draw(g, 0, 2);
  x->r.rule_type = draw(g, 0, 5) ? SIM_ACL_SWITCH : SIM_ACL_HOST;
  int np = draw(g, 0, 2) ? (int)draw(g, 1, 2) : 0;
  for (int i = 0; i < np; i++) {
    unsigned p = proto_pool[draw(g, 0, sizeof proto_pool - 1)];
    x->r.protocols.bits[p >> 6] |= (uint64_t)1 << (p & 63);
  }
  rand_prefixes(g, x->la, &x->r.n_local_addrs);
  rand_prefixes(g, x->ra, &x->r.n_remote_addrs);
  rand_ports(g, x->lp, &x->r.n_local_ports);
  rand_ports(g, x->rp, &x->r.n_remote_ports);
  x->r.local_addrs = x->la, x->r.remote_addrs = x->ra, x->r.local_ports = x->lp, x->r.remote_ports = x->rp;
}

static int ref_in_prefixes(const sim_prefix *p, size_t n, const sim_ip *ip) {
  if (n == 0) return 1;
  for (size_t i = 0; i < n; i++)
    if (sim_prefix_contains(&p[i], ip)) return 1;
  return 0;
}

static int ref_in_ports(const sim_acl_port_range *p, size_t n, uint16_t port, uint8_t proto) {
  if (n == 0) return 1;
  if (proto != SIM_IPPROTO_TCP && proto != SIM_IPPROTO_UDP) return 0;
  for (size_t i = 0; i < n; i++)
    if (port >= p[i].lo && port <= p[i].hi) return 1;
  return 0;
}

/* The specification as a scan: every rule of the type and direction that
 * matches, the least by (priority, Block < Allow < Pass, insertion). */
static sim_acl_decision reference(const ref_rule *rules, size_t n, sim_acl_profile prof, sim_acl_rule_type type,
                                  sim_acl_dir dir, const sim_flow *f) {
  static const int arank[] = {1, 0, 2}; /* Allow, Block, Pass */
  int typed = 0;
  long best = -1;
  const sim_ip *local = dir == SIM_ACL_OUT ? &f->src : &f->dst, *remote = dir == SIM_ACL_OUT ? &f->dst : &f->src;
  uint16_t lport = dir == SIM_ACL_OUT ? f->sport : f->dport, rport = dir == SIM_ACL_OUT ? f->dport : f->sport;
  for (size_t i = 0; i < n; i++) {
    const sim_acl_rule *r = &rules[i].r;
    if (r->rule_type != type) continue;
    typed = 1;
    if (r->direction != dir) continue;
    const uint64_t *b = r->protocols.bits;
    int any = !(b[0] | b[1] | b[2] | b[3]);
    if (!any && !((b[f->proto >> 6] >> (f->proto & 63)) & 1)) continue;
    if (!ref_in_ports(r->local_ports, r->n_local_ports, lport, f->proto) ||
        !ref_in_ports(r->remote_ports, r->n_remote_ports, rport, f->proto) ||
        !ref_in_prefixes(r->local_addrs, r->n_local_addrs, local) ||
        !ref_in_prefixes(r->remote_addrs, r->n_remote_addrs, remote))
      continue;
    if (best < 0) {
      best = (long)i;
      continue;
    }
    const sim_acl_rule *w = &rules[best].r;
    if (r->priority < w->priority || (r->priority == w->priority && arank[r->action] < arank[w->action]))
      best = (long)i;
  }
  if (best >= 0) return (sim_acl_decision){rules[best].r.action, (int32_t)best};
  if (typed) return (sim_acl_decision){SIM_ACL_BLOCK, -1};
  uint8_t p = f->proto;
  int listed = p == 6 || p == 17 || p == 1 || p == 2 || p == 58;
  sim_acl_action a = dir == SIM_ACL_OUT || prof == SIM_ACL_PROFILE_HYPERV ? SIM_ACL_ALLOW
                     : prof == SIM_ACL_PROFILE_PRE_1709             ? SIM_ACL_BLOCK
                     : listed                                        ? SIM_ACL_ALLOW
                                                                     : SIM_ACL_BLOCK;
  return (sim_acl_decision){a, -1};
}

static void index_matches_brute_force(void **state) {
  (void)state;
  static const size_t sizes[] = {0, 1, 40, 300, 3000};
  for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
    size_t n = sizes[si];
    sim_rng g;
    sim_rng_init(&g, 20240611 + si, "acl-random");
    ref_rule *rules = calloc(n ? n : 1, sizeof *rules);
    sim_acl_profile prof = (sim_acl_profile)(si % 3);
    sim_acl_set *s = sim_acl_set_new(prof);
    char err[SIM_ACL_ERRLEN];
    for (size_t i = 0; i < n; i++) {
      rand_rule(&g, &rules[i]);
      assert_int_equal(sim_acl_set_add(s, &rules[i].r, err), SIM_OK);
    }
    assert_int_equal(sim_acl_set_build(s), SIM_OK);
    size_t decided_by_rule = 0;
    for (int k = 0; k < 20000; k++) {
      int fam = draw(&g, 0, 3) ? 4 : 6;
      sim_flow f;
      memset(&f, 0, sizeof f);
      f.src = rand_ip(&g, fam), f.dst = rand_ip(&g, fam);
      f.proto = draw(&g, 0, 4) ? proto_pool[draw(&g, 0, sizeof proto_pool - 1)] : (uint8_t)draw(&g, 0, 255);
      f.sport = (uint16_t)draw(&g, 0, 160), f.dport = (uint16_t)draw(&g, 0, 160);
      sim_acl_rule_type type = draw(&g, 0, 3) ? SIM_ACL_SWITCH : SIM_ACL_HOST;
      sim_acl_dir dir = (sim_acl_dir)draw(&g, 0, 1);
      sim_acl_decision got, want = reference(rules, n, prof, type, dir, &f);
      assert_int_equal(sim_acl_lookup(s, type, dir, &f, &got), SIM_OK);
      if (got.action != want.action || got.rule != want.rule) {
        char text[SIM_FLOW_TEXT];
        sim_flow_format(&f, text);
        fail_msg("%zu rules, flow %s type %d dir %d: got action %d rule %d, want action %d rule %d", n, text, type,
                 dir, got.action, got.rule, want.action, want.rule);
      }
      decided_by_rule += got.rule >= 0;
    }
    /* The draw is dense enough that rules, not only defaults, decide. */
    if (n >= 40) assert_true(decided_by_rule > 4000);
    if (n >= 300) assert_true(decided_by_rule > 10000);
    sim_acl_set_free(s);
    free(rules);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(protocols_parse),
      cmocka_unit_test(addresses_parse),
      cmocka_unit_test(ports_parse),
      cmocka_unit_test(rule_parse_names_the_field),
      cmocka_unit_test(priority_order),
      cmocka_unit_test(direction_and_sides),
      cmocka_unit_test(protocol_sets),
      cmocka_unit_test(address_lists_v4_v6),
      cmocka_unit_test(port_lists_and_ranges),
      cmocka_unit_test(long_lists),
      cmocka_unit_test(equal_priority),
      cmocka_unit_test(defaults),
      cmocka_unit_test(bad_rules_change_nothing),
      cmocka_unit_test(api_misuse),
      cmocka_unit_test(index_matches_brute_force),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
