/* test_sim_nat.c: the NAT stage: WinNAT SNAT with its port range and
 * exhaustion, the NAT network's own prefix, ICMP through WinNAT, inbound
 * static mappings and port-mapping policies (LocalRoutedVip on VFP
 * networks), OutBoundNAT exceptions, destinations, VirtualIP and ICMP,
 * replies reverse-translated, rule uniqueness and removal, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "sim_nat.h"
#include "sim_status.h"
#include "sim_test_values.h"

typedef struct fixture {
  sim_nat *nat;
  sim_ct *ct;
} fixture;

/* The host 192.168.1.10 (and fd00::10). */
static int setup(void **state) {
  static fixture fx;
  assert_int_equal(sim_nat_create(1, &fx.nat), SIM_OK);
  assert_int_equal(sim_ct_create(256, 1, NULL, &fx.ct), SIM_OK);
  sim_ip host[2] = {ip("192.168.1.10"), ip("fd00::10")};
  assert_int_equal(sim_nat_set_host_addresses(fx.nat, host, 2), SIM_OK);
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  sim_ct_destroy(fx->ct);
  sim_nat_destroy(fx->nat);
  return 0;
}

static sim_nat_decision run(fixture *fx, sim_flow f, int dir, sim_time now) {
  sim_nat_decision d;
  assert_int_equal(sim_nat_process(fx->nat, fx->ct, &f, 0, dir, now, &d), SIM_OK);
  return d;
}

static void add_winnat(fixture *fx, uint16_t first, uint16_t last) {
  sim_winnat_spec w = {"nat", pfx("172.16.0.0/16"), NULL, first, last};
  assert_int_equal(sim_nat_add_winnat(fx->nat, &w), SIM_OK);
}

static void winnat_snat_ports_and_reply(void **state) {
  fixture *fx = *state;
  add_winnat(fx, 50000, 50002);
  const char *src[] = {"172.16.0.5", "172.16.0.6", "172.16.0.7", "172.16.0.8"};
  for (int i = 0; i < 3; i++) {
    sim_nat_decision d = run(fx, flow(src[i], 1234, "8.8.8.8", 53, SIM_IPPROTO_UDP), SIM_NAT_OUTBOUND, 0);
    assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
    assert_int_equal(d.kind, SIM_NAT_WINNAT);
    assert_string_equal(d.rule_id, "nat");
    sim_flow want = flow("192.168.1.10", (uint16_t)(50000 + i), "8.8.8.8", 53, SIM_IPPROTO_UDP);
    assert_true(sim_flow_equal(&d.after, &want));
  }
  /* The range is used up toward 8.8.8.8:53, not toward another server. */
  sim_nat_decision d = run(fx, flow(src[3], 1234, "8.8.8.8", 53, SIM_IPPROTO_UDP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_DROP);
  assert_int_equal(d.reason, SIM_NAT_PORTS_EXHAUSTED);
  d = run(fx, flow(src[3], 1234, "1.1.1.1", 53, SIM_IPPROTO_UDP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_int_equal(d.after.sport, 50000);
  /* The reply to the second container. */
  d = run(fx, flow("8.8.8.8", 53, "192.168.1.10", 50001, SIM_IPPROTO_UDP), SIM_NAT_INBOUND, SIM_S(1));
  assert_int_equal(d.verdict, SIM_NAT_REPLY);
  assert_true(d.from_conntrack);
  assert_int_equal(d.kind, SIM_NAT_WINNAT);
  sim_flow back = flow("8.8.8.8", 53, "172.16.0.6", 1234, SIM_IPPROTO_UDP);
  assert_true(sim_flow_equal(&d.after, &back));
  /* A reply to a port nobody holds is not translated. */
  d = run(fx, flow("8.8.8.8", 53, "192.168.1.10", 50002, SIM_IPPROTO_UDP), SIM_NAT_INBOUND, SIM_S(1));
  assert_int_equal(d.verdict, SIM_NAT_REPLY);
  d = run(fx, flow("9.9.9.9", 53, "192.168.1.10", 50002, SIM_IPPROTO_UDP), SIM_NAT_INBOUND, SIM_S(1));
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_NO_RULE);
  /* UDP sessions idle for 120 s are gone, and their ports free. */
  d = run(fx, flow(src[3], 1234, "8.8.8.8", 53, SIM_IPPROTO_UDP), SIM_NAT_OUTBOUND, SIM_S(122));
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
}

/* SIM_NAT_TRACKED_ONLY (a reply leg): a tracked connection still gets its
 * translation both ways; an untracked packet, which a rule would have
 * translated, passes untouched and makes no connection. */
static void tracked_only_makes_no_new_translation(void **state) {
  fixture *fx = *state;
  add_winnat(fx, 50000, 50002);
  sim_nat_decision d =
      run(fx, flow("172.16.0.5", 80, "8.8.8.8", 4000, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND | SIM_NAT_TRACKED_ONLY, 0);
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_UNTRACKED_REPLY);
  sim_flow same = flow("172.16.0.5", 80, "8.8.8.8", 4000, SIM_IPPROTO_TCP);
  assert_true(sim_flow_equal(&d.after, &same));
  /* Nothing was tracked: the same packet without the flag is a new connection on the first port. */
  d = run(fx, flow("172.16.0.5", 80, "8.8.8.8", 4000, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_int_equal(d.after.sport, 50000);
  assert_false(d.from_conntrack);
  d = run(fx, flow("8.8.8.8", 4000, "192.168.1.10", 50000, SIM_IPPROTO_TCP), SIM_NAT_INBOUND | SIM_NAT_TRACKED_ONLY, 0);
  assert_int_equal(d.verdict, SIM_NAT_REPLY);
  sim_flow back = flow("8.8.8.8", 4000, "172.16.0.5", 80, SIM_IPPROTO_TCP);
  assert_true(sim_flow_equal(&d.after, &back));
  sim_flow f = flow("172.16.0.5", 80, "8.8.8.8", 4000, SIM_IPPROTO_TCP);
  assert_int_equal(sim_nat_process(fx->nat, fx->ct, &f, 0, 3 | SIM_NAT_TRACKED_ONLY, 0, &d), SIM_E_INVAL);
  assert_string_equal(sim_nat_errmsg(fx->nat), "dir 3 is not 1 or 2 (with or without SIM_NAT_TRACKED_ONLY)");
}

static void winnat_leaves_its_own_prefix_alone(void **state) {
  fixture *fx = *state;
  add_winnat(fx, 50000, 60000);
  sim_flow f = flow("172.16.0.5", 1234, "172.16.0.9", 80, SIM_IPPROTO_TCP);
  sim_nat_decision d = run(fx, f, SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_INSIDE_PREFIX);
  assert_true(sim_flow_equal(&d.after, &f));
  /* ICMP echo through WinNAT: the identifier comes from the range. */
  d = run(fx, flow("172.16.0.5", 7, "8.8.8.8", 0, SIM_IPPROTO_ICMP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_int_equal(d.after.sport, 50000);
  d = run(fx, flow("8.8.8.8", 0, "192.168.1.10", 50000, SIM_IPPROTO_ICMP), SIM_NAT_INBOUND, 1);
  assert_int_equal(d.verdict, SIM_NAT_REPLY);
  assert_int_equal(d.after.dport, 7);
}

static void static_mapping_inbound(void **state) {
  fixture *fx = *state;
  add_winnat(fx, 50000, 60000);
  sim_portmap_spec any = {"web", ip("172.16.0.5"), SIM_IPPROTO_TCP, 80, 8080, NULL, 0, 0};
  assert_int_equal(sim_nat_add_portmap(fx->nat, &any), SIM_OK);
  sim_ip vip = ip("192.168.1.10");
  sim_portmap_spec only = {"api", ip("172.16.0.6"), SIM_IPPROTO_TCP, 443, 8443, &vip, 0, 0};
  assert_int_equal(sim_nat_add_portmap(fx->nat, &only), SIM_OK);
  sim_flow f = flow("203.0.113.7", 5555, "192.168.1.10", 8080, SIM_IPPROTO_TCP);
  sim_nat_decision d = run(fx, f, SIM_NAT_INBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_int_equal(d.kind, SIM_NAT_PORTMAP);
  sim_flow want = flow("203.0.113.7", 5555, "172.16.0.5", 80, SIM_IPPROTO_TCP);
  assert_true(sim_flow_equal(&d.after, &want));
  /* The container's reply leaves as the host's port. */
  d = run(fx, flow("172.16.0.5", 80, "203.0.113.7", 5555, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 1);
  assert_int_equal(d.verdict, SIM_NAT_REPLY);
  assert_true(sim_ip_equal(&d.after.src, &vip));
  assert_int_equal(d.after.sport, 8080);
  /* Another address of the host (IPv6) does not carry an IPv4 mapping; a
   * non-host address carries none. */
  assert_int_equal(run(fx, flow("fd00::99", 1, "fd00::10", 8080, SIM_IPPROTO_TCP), SIM_NAT_INBOUND, 1).verdict,
                   SIM_NAT_PASS);
  assert_int_equal(run(fx, flow("203.0.113.7", 1, "192.168.1.11", 8080, SIM_IPPROTO_TCP), SIM_NAT_INBOUND, 1).verdict,
                   SIM_NAT_PASS);
  d = run(fx, flow("203.0.113.7", 1, "192.168.1.10", 8443, SIM_IPPROTO_TCP), SIM_NAT_INBOUND, 1);
  assert_string_equal(d.rule_id, "api");
  assert_int_equal(d.after.dport, 443);
  /* One (address, protocol, port) has one mapping. */
  sim_portmap_spec again = {"web2", ip("172.16.0.7"), SIM_IPPROTO_TCP, 81, 8080, NULL, 0, 0};
  assert_int_equal(sim_nat_add_portmap(fx->nat, &again), SIM_E_EXISTS);
  assert_non_null(strstr(sim_nat_errmsg(fx->nat), "web's"));
}

/* On L2Bridge/Overlay a PortMapping works only with LocalRoutedVip. */
static void vfp_portmap_needs_local_routed_vip(void **state) {
  fixture *fx = *state;
  sim_portmap_spec plain = {"pm1", ip("10.244.1.5"), SIM_IPPROTO_TCP, 80, 8081, NULL, 0, 1};
  sim_portmap_spec routed = {"pm2", ip("10.244.1.5"), SIM_IPPROTO_TCP, 80, 8082, NULL, SIM_NAT_PM_LOCAL_ROUTED_VIP, 1};
  assert_int_equal(sim_nat_add_portmap(fx->nat, &plain), SIM_OK);
  assert_int_equal(sim_nat_add_portmap(fx->nat, &routed), SIM_OK);
  sim_nat_decision d = run(fx, flow("203.0.113.7", 1, "192.168.1.10", 8081, SIM_IPPROTO_TCP), SIM_NAT_INBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_PORTMAP_NOT_APPLIED);
  assert_string_equal(d.rule_id, "pm1");
  d = run(fx, flow("203.0.113.7", 1, "192.168.1.10", 8082, SIM_IPPROTO_TCP), SIM_NAT_INBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_int_equal(d.after.dport, 80);
}

/* win-bridge's two OutBoundNAT policies: one with the cluster's prefixes as
 * exceptions, one (loopback DSR) limited to the pod's own address. */
static void outbound_exceptions_and_destinations(void **state) {
  fixture *fx = *state;
  sim_prefix exc[2] = {pfx("10.244.0.0/16"), pfx("10.96.0.0/12")};
  sim_prefix self[1] = {pfx("10.244.1.5/32")};
  sim_outbound_spec p1 = {"onat", ip("10.244.1.5"), NULL, exc, 2, NULL, 0, 49152, 65535};
  sim_outbound_spec p2 = {"loopback", ip("10.244.1.5"), NULL, NULL, 0, self, 1, 49152, 65535};
  assert_int_equal(sim_nat_add_outbound(fx->nat, &p1), SIM_OK);
  assert_int_equal(sim_nat_add_outbound(fx->nat, &p2), SIM_OK);
  /* Outside the exceptions: the host's address. */
  sim_nat_decision d = run(fx, flow("10.244.1.5", 40000, "93.184.216.34", 443, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_int_equal(d.kind, SIM_NAT_OUTBOUNDNAT);
  assert_string_equal(d.rule_id, "onat");
  assert_true(sim_ip_equal(&d.after.src, &(sim_ip){4, {192, 168, 1, 10}}));
  assert_int_equal(d.after.sport, 49152);
  /* Another pod: excepted by the first, not a destination of the second. */
  d = run(fx, flow("10.244.1.5", 40000, "10.244.2.7", 80, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_EXCEPTED);
  assert_string_equal(d.rule_id, "onat");
  /* Itself (hairpin through a service): the second policy applies. */
  d = run(fx, flow("10.244.1.5", 40001, "10.244.1.5", 80, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_string_equal(d.rule_id, "loopback");
  /* ICMP is not translated. */
  d = run(fx, flow("10.244.1.5", 9, "8.8.8.8", 0, SIM_IPPROTO_ICMP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_ICMP_NOT_TRANSLATED);
  /* Another endpoint has no policy. */
  d = run(fx, flow("10.244.1.6", 40000, "93.184.216.34", 443, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_NO_RULE);
  assert_string_equal(d.rule_id, "");
  /* Removing the first leaves the second in charge. */
  assert_int_equal(sim_nat_remove(fx->nat, "onat"), SIM_OK);
  d = run(fx, flow("10.244.1.5", 40002, "93.184.216.34", 443, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_PASS);
  assert_int_equal(d.reason, SIM_NAT_NOT_IN_DESTINATIONS);
  assert_string_equal(d.rule_id, "loopback");
  /* The connection made before the removal keeps its translation. */
  d = run(fx, flow("10.244.1.5", 40000, "93.184.216.34", 443, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 1);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_true(d.from_conntrack);
}

static void outbound_virtual_ip(void **state) {
  fixture *fx = *state;
  sim_ip vip = ip("192.168.1.200");
  sim_outbound_spec p = {"onat", ip("10.244.1.5"), &vip, NULL, 0, NULL, 0, 1024, 1024};
  assert_int_equal(sim_nat_add_outbound(fx->nat, &p), SIM_OK);
  sim_nat_decision d = run(fx, flow("10.244.1.5", 40000, "10.244.2.7", 80, SIM_IPPROTO_UDP), SIM_NAT_OUTBOUND, 0);
  assert_int_equal(d.verdict, SIM_NAT_TRANSLATE);
  assert_true(sim_ip_equal(&d.after.src, &vip));
  assert_int_equal(d.after.sport, 1024);
  d = run(fx, flow("10.244.2.7", 80, "192.168.1.200", 1024, SIM_IPPROTO_UDP), SIM_NAT_INBOUND, 1);
  assert_int_equal(d.verdict, SIM_NAT_REPLY);
  assert_true(sim_ip_equal(&d.after.dst, &(sim_ip){4, {10, 244, 1, 5}}));
  /* An IPv6 flow from a v4 policy's endpoint address family does not match;
   * an endpoint with no host address of its family cannot be translated. */
  sim_nat_destroy(fx->nat);
  assert_int_equal(sim_nat_create(1, &fx->nat), SIM_OK);
  sim_outbound_spec q = {"onat6", ip("fd00:244::5"), NULL, NULL, 0, NULL, 0, 1024, 2048};
  assert_int_equal(sim_nat_add_outbound(fx->nat, &q), SIM_OK);
  d = run(fx, flow("fd00:244::5", 1, "2001:db8::1", 443, SIM_IPPROTO_TCP), SIM_NAT_OUTBOUND, 2);
  assert_int_equal(d.verdict, SIM_NAT_DROP);
  assert_int_equal(d.reason, SIM_NAT_NO_HOST_ADDRESS);
}

static void rules_unique_and_bad_input(void **state) {
  fixture *fx = *state;
  add_winnat(fx, 50000, 50010);
  sim_winnat_spec same = {"nat2", pfx("172.16.9.9/16"), NULL, 1, 2};
  assert_int_equal(sim_nat_add_winnat(fx->nat, &same), SIM_E_EXISTS);
  sim_winnat_spec dupid = {"nat", pfx("172.17.0.0/16"), NULL, 1, 2};
  assert_int_equal(sim_nat_add_winnat(fx->nat, &dupid), SIM_E_EXISTS);
  sim_winnat_spec norange = {"nat3", pfx("172.18.0.0/16"), NULL, 10, 9};
  assert_int_equal(sim_nat_add_winnat(fx->nat, &norange), SIM_E_INVAL);
  assert_non_null(strstr(sim_nat_errmsg(fx->nat), "10-9"));
  sim_ip v6 = ip("fd00::10");
  sim_winnat_spec fam = {"nat4", pfx("172.19.0.0/16"), &v6, 1, 2};
  assert_int_equal(sim_nat_add_winnat(fx->nat, &fam), SIM_E_INVAL);
  assert_non_null(strstr(sim_nat_errmsg(fx->nat), "external"));
  sim_prefix v6p = pfx("fd00::/64");
  sim_outbound_spec mixed = {"o", ip("10.244.1.5"), NULL, &v6p, 1, NULL, 0, 1, 2};
  assert_int_equal(sim_nat_add_outbound(fx->nat, &mixed), SIM_E_INVAL);
  assert_non_null(strstr(sim_nat_errmsg(fx->nat), "exceptions[0]"));
  sim_portmap_spec icmp = {"p", ip("172.16.0.5"), SIM_IPPROTO_ICMP, 1, 1, NULL, 0, 0};
  assert_int_equal(sim_nat_add_portmap(fx->nat, &icmp), SIM_E_INVAL);
  assert_non_null(strstr(sim_nat_errmsg(fx->nat), "protocol 1"));
  sim_portmap_spec flags = {"p", ip("172.16.0.5"), SIM_IPPROTO_TCP, 1, 1, NULL, 8, 0};
  assert_int_equal(sim_nat_add_portmap(fx->nat, &flags), SIM_E_INVAL);
  assert_int_equal(sim_nat_count(fx->nat), 1);
  assert_int_equal(sim_nat_remove(fx->nat, "nope"), SIM_E_NOTFOUND);
  sim_nat_decision d;
  memset(&d, 0x5A, sizeof d);
  sim_nat_decision before = d;
  sim_flow f = flow("172.16.0.5", 1, "8.8.8.8", 53, SIM_IPPROTO_UDP);
  assert_int_equal(sim_nat_process(fx->nat, fx->ct, &f, 0, 3, 0, &d), SIM_E_INVAL);
  assert_int_equal(sim_nat_process(fx->nat, NULL, &f, 0, SIM_NAT_OUTBOUND, 0, &d), SIM_E_INVAL);
  assert_int_equal(sim_nat_process(fx->nat, fx->ct, &f, 0, SIM_NAT_OUTBOUND, SIM_S(5), &d), SIM_OK);
  memset(&d, 0x5A, sizeof d);
  assert_int_equal(sim_nat_process(fx->nat, fx->ct, &f, 0, SIM_NAT_OUTBOUND, SIM_S(4), &d), SIM_E_PAST);
  assert_memory_equal(&d, &before, sizeof d);
  /* Removing the NAT network: new flows are no longer translated. */
  assert_int_equal(sim_nat_remove(fx->nat, "nat"), SIM_OK);
  sim_flow g = flow("172.16.0.6", 1, "8.8.8.8", 53, SIM_IPPROTO_UDP);
  assert_int_equal(run(fx, g, SIM_NAT_OUTBOUND, SIM_S(5)).verdict, SIM_NAT_PASS);
  assert_int_equal(sim_nat_add_winnat(fx->nat, &same), SIM_OK);
  assert_int_equal(run(fx, g, SIM_NAT_OUTBOUND, SIM_S(5)).verdict, SIM_NAT_TRANSLATE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(winnat_snat_ports_and_reply, setup, teardown),
    cmocka_unit_test_setup_teardown(tracked_only_makes_no_new_translation, setup, teardown),
    cmocka_unit_test_setup_teardown(winnat_leaves_its_own_prefix_alone, setup, teardown),
    cmocka_unit_test_setup_teardown(static_mapping_inbound, setup, teardown),
    cmocka_unit_test_setup_teardown(vfp_portmap_needs_local_routed_vip, setup, teardown),
    cmocka_unit_test_setup_teardown(outbound_exceptions_and_destinations, setup, teardown),
    cmocka_unit_test_setup_teardown(outbound_virtual_ip, setup, teardown),
    cmocka_unit_test_setup_teardown(rules_unique_and_bad_input, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
