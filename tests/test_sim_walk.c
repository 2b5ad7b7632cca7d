/* test_sim_walk.c: the seed's paths without policies, as a user reads
 * them: verdict, reason, the ordered hops (host/compartment/port stage),
 * the 5-tuple the receiver sees, the reply path, and the time a probe
 * takes (the sum of the segment latencies both ways). */
#include "net_fixture.h"

typedef struct cluster {
  sim_world *world;
  sim_net *net;
  sim_trace *trace;
} cluster;

static int setup(void **state) {
  cluster *c = calloc(1, sizeof(*c));
  assert_non_null(c);
  assert_int_equal(sim_world_create(7, &c->world), SIM_OK);
  c->net = acs_cluster(c->world);
  assert_int_equal(sim_trace_create(&c->trace), SIM_OK);
  *state = c;
  return 0;
}

static int teardown(void **state) {
  cluster *c = *state;
  sim_trace_destroy(c->trace);
  sim_net_destroy(c->net);
  sim_world_destroy(c->world);
  free(c);
  return 0;
}

static void pod_to_pod_on_one_host(void **state) {
  cluster *c = *state;
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(r.reason, "");
  char f[SIM_FLOW_TEXT], lines[4096];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 10.244.1.6:80");
  assert_true(r.replied);
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.244.1.6:80 -> 10.244.1.5:49152");
  assert_int_equal(r.finished - r.started, 0); /* no segment crossed */
  hop_lines(c->trace, lines, sizeof lines);
  assert_string_equal(lines,
                      "fwd node1/pod-a/ep-a route\n"
                      "fwd node1/pod-a/ep-a port-out\n"
                      "fwd node1//cbr0 vswitch\n"
                      "fwd node1/pod-b/ep-b port-in\n"
                      "fwd node1/pod-b/ep-b deliver\n"
                      "rep node1/pod-b/ep-b route\n"
                      "rep node1/pod-b/ep-b port-out\n"
                      "rep node1//cbr0 vswitch\n"
                      "rep node1/pod-a/ep-a port-in\n"
                      "rep node1/pod-a/ep-a deliver\n");
  sim_hop h;
  assert_int_equal(sim_trace_hop(c->trace, 0, &h), SIM_OK);
  assert_string_equal(h.rule, "10.244.1.0/24 on-link dev ep-a"); /* the connected route */
}

static void pod_to_pod_across_hosts_through_the_udrs(void **state) {
  cluster *c = *state;
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT], lines[8192];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 10.244.2.5:80"); /* no NAT */
  /* Two crossings of vnet each way. */
  assert_int_equal(r.finished - r.started, 4 * VNET_LATENCY);
  hop_lines(c->trace, lines, sizeof lines);
  assert_non_null(strstr(lines,
                         "fwd node1/pod-a/ep-a route\n"
                         "fwd node1/pod-a/ep-a port-out\n"
                         "fwd node1//cbr0 vswitch\n"
                         "fwd node1/host/vEthernet (cbr0) forward\n"
                         "fwd node1/host/Ethernet route\n"
                         "fwd node1/host/Ethernet host-vnic\n"
                         "fwd node1//cbr0 vswitch\n"
                         "fwd node1//Ethernet nic-out\n"
                         "fwd //vnet segment\n"
                         "fwd azure//gw router\n"
                         "fwd //vnet segment\n"
                         "fwd node2//Ethernet nic-in\n"
                         "fwd node2//cbr0 vswitch\n"
                         "fwd node2//cbr0 mac-rewrite\n"
                         "fwd node2/pod-c/ep-c port-in\n"
                         "fwd node2/pod-c/ep-c deliver\n"
                         "rep node2/pod-c/ep-c route\n"));
  assert_non_null(strstr(lines, "rep azure//gw router\n"));
  assert_non_null(strstr(lines, "rep node1/pod-a/ep-a deliver\n"));
  /* The router hop names the UDR that decided, at the time it crossed. */
  for (size_t i = 0; i < sim_trace_count(c->trace); i++) {
    sim_hop h;
    assert_int_equal(sim_trace_hop(c->trace, i, &h), SIM_OK);
    if (h.leg == SIM_LEG_FORWARD && !strcmp(h.stage, "router")) {
      assert_string_equal(h.rule, "udr-10.244.2.0/24");
      assert_int_equal(h.time, r.started + VNET_LATENCY);
    }
    if (h.leg == SIM_LEG_FORWARD && !strcmp(h.stage, "deliver")) assert_int_equal(h.time, r.started + 2 * VNET_LATENCY);
  }
}

static void a_missing_udr_drops_at_the_router(void **state) {
  cluster *c = *state;
  sim_prefix d = pfx("10.244.2.0/24");
  sim_ip h = ip_of("10.240.0.5");
  NET_OK(c->net, sim_net_router_route_remove(c->net, "azure", &d, &h));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_int_equal(r.leg, SIM_LEG_FORWARD);
  assert_false(r.reached);
  assert_string_equal(r.reason, "no route to 10.244.2.5 at router azure");
  sim_hop last;
  assert_int_equal(sim_trace_hop(c->trace, sim_trace_count(c->trace) - 1, &last), SIM_OK);
  assert_string_equal(last.host, "azure");
  assert_string_equal(last.stage, "router");
  assert_int_equal(last.verdict, SIM_STAGE_DROP);
  /* The reverse direction lost its UDR too: node2's pod can't be answered. */
  r = probe(c->net, from_port("node2", "ep-c", "10.244.1.5", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_int_equal(r.leg, SIM_LEG_REPLY);
  assert_true(r.reached);
  assert_string_equal(r.reason, "no route to 10.244.2.5 at router azure");
}

static void host_to_pod(void **state) {
  cluster *c = *state;
  sim_probe_result r = probe(c->net, from_host("node1", "10.244.1.5", SIM_IPPROTO_ICMP, 0), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT], lines[4096];
  /* The host's source is the address of the interface its route leaves by. */
  assert_string_equal(flow_text(&r.received, f), "icmp 10.244.1.2 -> 10.244.1.5");
  hop_lines(c->trace, lines, sizeof lines);
  assert_string_equal(lines,
                      "fwd node1/host/vEthernet (cbr0) route\n"
                      "fwd node1/host/vEthernet (cbr0) host-vnic\n"
                      "fwd node1//cbr0 vswitch\n"
                      "fwd node1/pod-a/ep-a port-in\n"
                      "fwd node1/pod-a/ep-a deliver\n"
                      "rep node1/pod-a/ep-a route\n"
                      "rep node1/pod-a/ep-a port-out\n"
                      "rep node1//cbr0 vswitch\n"
                      "rep node1/host/vEthernet (cbr0) deliver\n");
}

static void pod_to_external_via_the_host_nic(void **state) {
  cluster *c = *state;
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 443), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT], lines[8192];
  /* ACS's pod IPs are routable: the server sees the pod's own address. */
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 203.0.113.10:443");
  assert_int_equal(r.finished - r.started, 2 * (VNET_LATENCY + INET_LATENCY));
  hop_lines(c->trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd node1//Ethernet nic-out\n"
                                "fwd //vnet segment\n"
                                "fwd azure//inet router\n"
                                "fwd //internet segment\n"
                                "fwd web//eth0 nic-in\n"
                                "fwd web/host/eth0 deliver\n"
                                "rep web/host/eth0 route\n"
                                "rep web//eth0 nic-out\n"
                                "rep //internet segment\n"
                                "rep azure//gw router\n"));
}

static void pod_to_linux_pod_behind_its_bridge(void **state) {
  cluster *c = *state;
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.244.3.7", SIM_IPPROTO_UDP, 53), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char lines[8192];
  hop_lines(c->trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd lnx//eth0 nic-in\n"
                                "fwd lnx/host/eth0 forward\n"
                                "fwd lnx/host/cbr0 route\n"
                                "fwd lnx/host/cbr0 bridge\n"
                                "fwd lnx/host/cbr0 deliver\n"
                                "rep lnx/host/eth0 route\n"));
}

static void containers_of_one_pod_over_localhost(void **state) {
  cluster *c = *state;
  sim_probe_spec s = {"node1", NULL, "pod-a", ip_of("127.0.0.1"), SIM_IPPROTO_TCP, 8080, 0, 0};
  sim_probe_result r = probe(c->net, s, c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char lines[1024], f[SIM_FLOW_TEXT];
  hop_lines(c->trace, lines, sizeof lines);
  assert_string_equal(lines,
                      "fwd node1/pod-a/loopback local\n"
                      "fwd node1/pod-a/loopback deliver\n"
                      "rep node1/pod-a/loopback local\n"
                      "rep node1/pod-a/loopback deliver\n");
  assert_string_equal(flow_text(&r.received, f), "tcp 127.0.0.1:49152 -> 127.0.0.1:8080");
  /* The pod's own address stays in the compartment too: no port, no vSwitch. */
  r = probe(c->net, from_port("node1", "ep-a", "10.244.1.5", SIM_IPPROTO_TCP, 8080), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  hop_lines(c->trace, lines, sizeof lines);
  assert_string_equal(lines,
                      "fwd node1/pod-a/ep-a local\n"
                      "fwd node1/pod-a/ep-a deliver\n"
                      "rep node1/pod-a/ep-a local\n"
                      "rep node1/pod-a/ep-a deliver\n");
}

static void listeners_refuse_other_ports(void **state) {
  cluster *c = *state;
  NET_OK(c->net, sim_net_listen(c->net, "node2", "pod-c", SIM_IPPROTO_TCP, 80));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 443), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_REFUSED);
  assert_true(r.reached && r.replied);
  assert_string_equal(r.reason, "nothing listens on tcp port 443 in compartment pod-c of host node2");
  assert_int_equal(probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), NULL).verdict,
                   SIM_PROBE_DELIVERED);
  assert_int_equal(probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_UDP, 80), NULL).verdict,
                   SIM_PROBE_REFUSED);
  assert_int_equal(probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_ICMP, 0), NULL).verdict,
                   SIM_PROBE_DELIVERED);
}

static void unattached_or_removed_endpoints(void **state) {
  cluster *c = *state;
  sim_port_spec s = {"ep-z", "cbr0", {pfx("10.244.1.9/24"), {{0, {0}}, 0}}, mac_of("00-15-5D-01-01-09")};
  NET_OK(c->net, sim_net_port_add(c->net, "node1", &s));
  sim_probe_result r = probe(c->net, from_host("node1", "10.244.1.9", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "endpoint ep-z of host node1 is not attached to a compartment");
  /* Removing ep-a removes its routes: pod-a has no way out any more. */
  NET_OK(c->net, sim_net_port_remove(c->net, "node1", "ep-a"));
  sim_probe_spec from_a = {"node1", NULL, "pod-a", ip_of("10.244.1.6"), SIM_IPPROTO_TCP, 80, 0, 0};
  r = probe(c->net, from_a, c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_string_equal(r.reason, "no route to 10.244.1.6 in compartment pod-a of host node1");
  /* And nobody on cbr0 answers for its address. */
  r = probe(c->net, from_port("node1", "ep-b", "10.244.1.5", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
}

/* WS2016's two endpoints per pod (the seed): NAT for the outside, a
 * Transparent endpoint with static routes for the pod network. Without
 * the NAT stage (a later module) the outside can't answer 172.16.0.5. */
static void two_endpoint_pod_picks_its_endpoint_by_route(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  NET_OK(net, sim_net_host_add(net, "ws2016", SIM_HOST_WINDOWS));
  nic(net, "ws2016", "Ethernet", "vnet", "10.240.0.7/16", "00-15-5D-00-00-07");
  route(net, "ws2016", SIM_HOST_COMPARTMENT, "0.0.0.0/0", "10.240.0.1", "Ethernet", 0);
  route(net, "ws2016", SIM_HOST_COMPARTMENT, "10.244.4.0/24", NULL, "Ethernet", 0);
  sim_prefix natgw = pfx("172.16.0.1/16");
  sim_network_spec nat = {"nat", SIM_NET_NAT, NULL, "vEthernet (nat)", &natgw};
  sim_network_spec tr = {"transparent", SIM_NET_TRANSPARENT, "Ethernet", NULL, NULL};
  NET_OK(net, sim_net_network_add(net, "ws2016", &nat));
  NET_OK(net, sim_net_network_add(net, "ws2016", &tr));
  pod(net, "ws2016", "nat", "pod-x", "ep-nat", "172.16.0.5/16", "00-15-5D-02-00-05", "172.16.0.1");
  sim_port_spec t = {"ep-t", "transparent", {pfx("10.244.4.5/24"), {{0, {0}}, 0}}, mac_of("00-15-5D-02-01-05")};
  NET_OK(net, sim_net_port_add(net, "ws2016", &t));
  NET_OK(net, sim_net_port_attach(net, "ws2016", "ep-t", "pod-x"));
  route(net, "ws2016", "pod-x", "10.244.0.0/16", "10.240.0.1", "ep-t", 0);
  sim_prefix d = pfx("10.244.4.0/24");
  sim_ip h = ip_of("10.240.0.7");
  NET_OK(net, sim_net_router_route_add(net, "azure", &d, &h, 0, "udr-10.244.4.0/24"));

  sim_probe_spec s = {"ws2016", NULL, "pod-x", ip_of("10.244.1.5"), SIM_IPPROTO_TCP, 80, 0, 0};
  sim_probe_result r = probe(net, s, c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.4.5:49152 -> 10.244.1.5:80");
  sim_hop first;
  assert_int_equal(sim_trace_hop(c->trace, 0, &first), SIM_OK);
  assert_string_equal(first.port, "ep-t");

  s.dst = ip_of("203.0.113.10");
  r = probe(net, s, c->trace);
  assert_int_equal(sim_trace_hop(c->trace, 0, &first), SIM_OK);
  assert_string_equal(first.port, "ep-nat");
  assert_true(r.reached);
  assert_string_equal(flow_text(&r.received, f), "tcp 172.16.0.5:49152 -> 203.0.113.10:80");
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_int_equal(r.leg, SIM_LEG_REPLY);
  assert_string_equal(r.reason, "no route to 172.16.0.5 at router azure");
}

typedef struct seen {
  char lines[2048];
  size_t used;
} seen;

static void record(void *ctx, sim_time time, const sim_capture_place *place, const sim_packet *pkt) {
  seen *s = ctx;
  char mac[18];
  sim_mac_format(&pkt->eth_src, mac);
  int n = snprintf(s->lines + s->used, sizeof s->lines - s->used, "%lld %s %s/%s %s\n", (long long)time,
                   place->leg == SIM_LEG_FORWARD ? "fwd" : "rep", place->host, place->iface, place->point);
  assert_true(n > 0);
  s->used += (size_t)n;
  n = snprintf(s->lines + s->used, sizeof s->lines - s->used, "  src %s\n", mac);
  s->used += (size_t)n;
}

/* Azure CNI's shape: pods in the hosts' own subnet on L2Bridge leave with
 * the host's MAC and come in under it. */
static void captured_frames_show_the_l2bridge_mac_rewrite(void **state) {
  (void)state;
  sim_world *world;
  sim_net *net;
  assert_int_equal(sim_world_create(1, &world), SIM_OK);
  assert_int_equal(sim_net_create(world, &net), SIM_OK);
  NET_OK(net, sim_net_segment_add(net, "subnet", SIM_US(50), 0.0));
  const char *hosts[2] = {"n1", "n2"}, *nics[2] = {"10.240.0.4/16", "10.240.0.5/16"};
  const char *nic_macs[2] = {"00-15-5D-00-00-04", "00-15-5D-00-00-05"};
  const char *pods[2] = {"10.240.0.20/16", "10.240.0.30/16"}, *pod_macs[2] = {"00-15-5D-AA-00-20", "00-15-5D-AA-00-30"};
  for (int i = 0; i < 2; i++) {
    NET_OK(net, sim_net_host_add(net, hosts[i], SIM_HOST_WINDOWS));
    nic(net, hosts[i], "Ethernet", "subnet", nics[i], nic_macs[i]);
    sim_network_spec n = {"azure", SIM_NET_L2BRIDGE, "Ethernet", NULL, NULL};
    NET_OK(net, sim_net_network_add(net, hosts[i], &n));
    pod(net, hosts[i], "azure", "pod", "ep", pods[i], pod_macs[i], NULL);
  }
  seen s = {{0}, 0};
  sim_net_set_capture(net, record, &s);
  sim_trace *trace;
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  sim_probe_result r = probe(net, from_port("n1", "ep", "10.240.0.30", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_int_equal(r.finished - r.started, 2 * SIM_US(50));
  assert_string_equal(s.lines,
                      "0 fwd n1/ep port-out\n  src 00-15-5D-AA-00-20\n"
                      "0 fwd n1/Ethernet nic-out\n  src 00-15-5D-00-00-04\n"
                      "50000 fwd n2/Ethernet nic-in\n  src 00-15-5D-00-00-04\n"
                      "50000 fwd n2/ep port-in\n  src 00-15-5D-00-00-04\n"
                      "50000 rep n2/ep port-out\n  src 00-15-5D-AA-00-30\n"
                      "50000 rep n2/Ethernet nic-out\n  src 00-15-5D-00-00-05\n"
                      "100000 rep n1/Ethernet nic-in\n  src 00-15-5D-00-00-05\n"
                      "100000 rep n1/ep port-in\n  src 00-15-5D-00-00-05\n");
  char lines[4096];
  hop_lines(trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd n1//azure vswitch\n"
                                "fwd n1//azure mac-rewrite\n"
                                "fwd n1//Ethernet nic-out\n"));
  assert_non_null(strstr(lines, "fwd n2//azure vswitch\n"
                                "fwd n2//azure mac-rewrite\n"
                                "fwd n2/pod/ep port-in\n"));
  /* Cleared, the hook sees nothing more. */
  sim_net_set_capture(net, NULL, NULL);
  size_t before = s.used;
  probe(net, from_port("n1", "ep", "10.240.0.30", SIM_IPPROTO_TCP, 80), NULL);
  assert_int_equal(s.used, before);
  sim_trace_destroy(trace);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(pod_to_pod_on_one_host, setup, teardown),
    cmocka_unit_test_setup_teardown(pod_to_pod_across_hosts_through_the_udrs, setup, teardown),
    cmocka_unit_test_setup_teardown(a_missing_udr_drops_at_the_router, setup, teardown),
    cmocka_unit_test_setup_teardown(host_to_pod, setup, teardown),
    cmocka_unit_test_setup_teardown(pod_to_external_via_the_host_nic, setup, teardown),
    cmocka_unit_test_setup_teardown(pod_to_linux_pod_behind_its_bridge, setup, teardown),
    cmocka_unit_test_setup_teardown(containers_of_one_pod_over_localhost, setup, teardown),
    cmocka_unit_test_setup_teardown(listeners_refuse_other_ports, setup, teardown),
    cmocka_unit_test_setup_teardown(unattached_or_removed_endpoints, setup, teardown),
    cmocka_unit_test_setup_teardown(two_endpoint_pod_picks_its_endpoint_by_route, setup, teardown),
    cmocka_unit_test(captured_frames_show_the_l2bridge_mac_rewrite),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
