/* test_sim_overlay.c: Overlay networks between two hosts (sim_policy.h):
 * pod to pod across hosts VXLAN-encapsulated on the uplink OUT and
 * decapsulated on the peer's uplink IN, the outer headers (provider
 * addresses, VNI = VSID, UDP 4789 or the VxlanPort), the inner packet the
 * receiver sees, a VNI mismatch dropped at decap, OutBoundNAT traffic
 * leaving unencapsulated by the host's routes, and refusals. */
#include "policy_fixture.h"
#include "sim_frame.h"

/* Two Windows nodes on "vnet" with an Overlay network "vxlan0" on their
 * NIC: node1 10.240.0.4 holds pods 10.244.1.0/24 (pod-a .5), node2
 * 10.240.0.5 holds 10.244.2.0/24 (pod-c .5); each knows the other's pods
 * as a RemoteSubnetRoute to its provider address (flannel's shape). */
static void overlay_node(sim_net *net, const char *host, const char *addr, const char *mac, const char *gw,
                         uint32_t vsid, uint16_t port) {
  NET_OK(net, sim_net_host_add(net, host, SIM_HOST_WINDOWS));
  nic(net, host, "Ethernet", "vnet", addr, mac);
  sim_prefix v = pfx(gw);
  sim_network_spec n = {"vxlan0", SIM_NET_OVERLAY, "Ethernet", "vEthernet (vxlan0)", &v};
  NET_OK(net, sim_net_network_add(net, host, &n));
  sim_overlay_spec o = {vsid, port, pfx(addr).addr, mac_of("00-15-5D-AA-00-01")};
  NET_OK(net, sim_policy_overlay_set(net, host, "vxlan0", &o));
}

static sim_net *overlay_cluster(sim_world *world, uint32_t vsid2, uint16_t port) {
  sim_net *net;
  assert_int_equal(sim_net_create(world, &net), SIM_OK);
  NET_OK(net, sim_net_segment_add(net, "vnet", VNET_LATENCY, 0.0));
  overlay_node(net, "node1", "10.240.0.4/16", "00-15-5D-00-00-04", "10.244.1.1/24", 4096, port);
  overlay_node(net, "node2", "10.240.0.5/16", "00-15-5D-00-00-05", "10.244.2.1/24", vsid2, port);
  pod(net, "node1", "vxlan0", "pod-a", "ep-a", "10.244.1.5/24", "0E-2A-0A-F4-01-05", "10.244.1.1");
  pod(net, "node2", "vxlan0", "pod-c", "ep-c", "10.244.2.5/24", "0E-2A-0A-F4-02-05", "10.244.2.1");
  sim_remote_spec to2 = {"node2-pods", pfx("10.244.2.0/24"), mac_of("02-11-0A-F0-00-05"), ip_of("10.240.0.5")};
  sim_remote_spec to1 = {"node1-pods", pfx("10.244.1.0/24"), mac_of("02-11-0A-F0-00-04"), ip_of("10.240.0.4")};
  NET_OK(net, sim_policy_remote_add(net, "node1", "vxlan0", &to2));
  NET_OK(net, sim_policy_remote_add(net, "node2", "vxlan0", &to1));
  return net;
}

static int setup(void **state) {
  cluster *c = calloc(1, sizeof(*c));
  assert_non_null(c);
  assert_int_equal(sim_world_create(3, &c->world), SIM_OK);
  c->net = overlay_cluster(c->world, 4096, 0);
  assert_int_equal(sim_trace_create(&c->trace), SIM_OK);
  *state = c;
  return 0;
}

/* What the wire carried at each nic-out. */
typedef struct wire {
  int n;
  sim_packet pkt[4];
  char host[4][16];
} wire;

static void on_wire(void *ctx, sim_time time, const sim_capture_place *place, const sim_packet *pkt) {
  (void)time;
  wire *w = ctx;
  if (strcmp(place->point, "nic-out") || w->n == 4) return;
  w->pkt[w->n] = *pkt;
  snprintf(w->host[w->n], sizeof w->host[0], "%s", place->host);
  w->n++;
}

static void pod_to_pod_across_hosts_through_vxlan(void **state) {
  cluster *c = *state;
  wire seen = {0};
  sim_net_set_capture(c->net, on_wire, &seen);
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT], lines[4096];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 10.244.2.5:80");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.244.2.5:80 -> 10.244.1.5:49152");
  assert_int_equal(r.finished - r.started, 2 * VNET_LATENCY);
  hop_lines(c->trace, lines, sizeof lines);
  assert_string_equal(lines,
                      "fwd node1/pod-a/ep-a route\n"
                      "fwd node1/pod-a/ep-a port-out\n"
                      "fwd node1//vxlan0 vswitch\n"
                      "fwd node1//Ethernet encap\n"
                      "fwd node1//Ethernet nic-out\n"
                      "fwd //vnet segment\n"
                      "fwd node2//Ethernet nic-in\n"
                      "fwd node2//Ethernet decap\n"
                      "fwd node2//vxlan0 vswitch\n"
                      "fwd node2/pod-c/ep-c port-in\n"
                      "fwd node2/pod-c/ep-c deliver\n"
                      "rep node2/pod-c/ep-c route\n"
                      "rep node2/pod-c/ep-c port-out\n"
                      "rep node2//vxlan0 vswitch\n"
                      "rep node2//Ethernet encap\n"
                      "rep node2//Ethernet nic-out\n"
                      "rep //vnet segment\n"
                      "rep node1//Ethernet nic-in\n"
                      "rep node1//Ethernet decap\n"
                      "rep node1//vxlan0 vswitch\n"
                      "rep node1/pod-a/ep-a port-in\n"
                      "rep node1/pod-a/ep-a deliver\n");
  sim_hop h = hop_at(c->trace, SIM_LEG_FORWARD, "node1", "Ethernet", "encap");
  assert_string_equal(h.rule, "node2-pods");
  assert_string_equal(h.reason, "VXLAN VNI 4096, 10.240.0.4 -> 10.240.0.5 udp/4789");
  h = hop_at(c->trace, SIM_LEG_FORWARD, "node2", "Ethernet", "decap");
  assert_string_equal(h.rule, "VNI 4096");
  assert_string_equal(flow_text(&h.after, f), "tcp 10.244.1.5:49152 -> 10.244.2.5:80");

  /* On the wire: outer provider addresses, VNI, port; inner pod addresses
   * and the remote MAC; and the bytes a pcap would hold. */
  assert_int_equal(seen.n, 2);
  const sim_packet *p = &seen.pkt[0];
  assert_string_equal(seen.host[0], "node1");
  assert_true(p->encapsulated);
  char a[46], m[18];
  assert_string_equal((sim_ip_format(&p->outer.src, a), a), "10.240.0.4");
  assert_string_equal((sim_ip_format(&p->outer.dst, a), a), "10.240.0.5");
  assert_int_equal(p->outer.dport, SIM_VXLAN_PORT);
  assert_int_equal(p->outer.vni, 4096);
  assert_true(p->outer.sport >= 49152);
  assert_string_equal((sim_mac_format(&p->outer.eth_src, m), m), "00-15-5D-00-00-04");
  assert_string_equal((sim_mac_format(&p->eth_dst, m), m), "02-11-0A-F0-00-05");
  assert_string_equal((sim_mac_format(&p->eth_src, m), m), "00-15-5D-AA-00-01"); /* the DR MAC */
  assert_string_equal(flow_text(&p->flow, f), "tcp 10.244.1.5:49152 -> 10.244.2.5:80");
  static uint8_t buf[SIM_FRAME_MAX];
  size_t len;
  assert_int_equal(sim_frame_write(p, buf, sizeof buf, &len, NULL), SIM_OK);
  assert_int_equal(buf[14 + 9], SIM_IPPROTO_UDP);                  /* outer IPv4 protocol */
  assert_int_equal(buf[14 + 20 + 2] << 8 | buf[14 + 20 + 3], 4789); /* outer UDP destination */
  assert_string_equal(seen.host[1], "node2");
  assert_string_equal((sim_ip_format(&seen.pkt[1].outer.dst, a), a), "10.240.0.4");
  sim_net_set_capture(c->net, NULL, NULL);

  /* Without the remote entry the packet is not encapsulated: the host's
   * vNIC gets it and nobody routes the pod prefix. */
  NET_OK(c->net, sim_policy_remote_remove(c->net, "node1", "vxlan0", "node2-pods"));
  r = probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_false(has_stage(c->trace, SIM_LEG_FORWARD, "encap"));
}

/* An Overlay network whose gateway is the distributed router, no host
 * vNIC (as HNS makes flannel's): a pod's packet to a non-pod address,
 * SNATed by its OutBoundNAT, leaves unencapsulated with the host's MAC by
 * the host's route; the reply comes back translated. Without a host route
 * to the address it stops at the vSwitch. */
static void outbound_nat_leaves_the_overlay_unencapsulated(void **state) {
  (void)state;
  sim_world *world;
  sim_net *net;
  sim_trace *trace;
  assert_int_equal(sim_world_create(3, &world), SIM_OK);
  assert_int_equal(sim_net_create(world, &net), SIM_OK);
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  NET_OK(net, sim_net_segment_add(net, "vnet", VNET_LATENCY, 0.0));
  NET_OK(net, sim_net_host_add(net, "node1", SIM_HOST_WINDOWS));
  nic(net, "node1", "Ethernet", "vnet", "10.240.0.4/16", "00-15-5D-00-00-04");
  sim_network_spec n = {"vxlan0", SIM_NET_OVERLAY, "Ethernet", NULL, NULL};
  NET_OK(net, sim_net_network_add(net, "node1", &n));
  sim_overlay_spec o = {4096, 0, ip_of("10.240.0.4"), mac_of("00-15-5D-AA-00-01")};
  NET_OK(net, sim_policy_overlay_set(net, "node1", "vxlan0", &o));
  pod(net, "node1", "vxlan0", "pod-a", "ep-a", "10.244.1.5/24", "0E-2A-0A-F4-01-05", "10.244.1.1");
  sim_prefix cluster = pfx("10.244.0.0/16");
  sim_policy_outbound_spec out = {"snat", 4, NULL, &cluster, 1, NULL, 0, 0, 0};
  NET_OK(net, sim_policy_outbound_nat_add(net, "node1", "ep-a", &out));
  NET_OK(net, sim_net_host_add(net, "peer", SIM_HOST_LINUX));
  nic(net, "peer", "eth0", "vnet", "10.240.0.9/16", "00-0D-3A-00-00-09");

  sim_probe_result r = probe(net, from_port("node1", "ep-a", "10.240.0.9", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT], lines[4096];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.240.0.4:49152 -> 10.240.0.9:80");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.240.0.9:80 -> 10.244.1.5:49152");
  hop_lines(trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd node1/pod-a/ep-a nat\n"
                                "fwd node1//vxlan0 vswitch\n"
                                "fwd node1//vxlan0 mac-rewrite\n"
                                "fwd node1//Ethernet nic-out\n"
                                "fwd //vnet segment\n"
                                "fwd peer//eth0 nic-in\n"));
  assert_false(has_stage(trace, SIM_LEG_FORWARD, "encap"));
  sim_hop h = hop_at(trace, SIM_LEG_FORWARD, "node1", "vxlan0", "vswitch");
  assert_string_equal(h.reason, "to uplink Ethernet, unencapsulated, via 10.240.0.9");
  h = hop_at(trace, SIM_LEG_FORWARD, "node1", "vxlan0", "mac-rewrite");
  assert_string_equal(h.reason, "source MAC 0E-2A-0A-F4-01-05 -> 00-15-5D-00-00-04 (the host's)");

  r = probe(net, from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_string_equal(r.reason, "no underlay route to 203.0.113.10 by uplink Ethernet of host node1");
  sim_trace_destroy(trace);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

static void vxlan_port_policy_and_vni_mismatch(void **state) {
  (void)state;
  sim_world *world;
  sim_trace *trace;
  assert_int_equal(sim_world_create(3, &world), SIM_OK);
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  sim_net *net = overlay_cluster(world, 4096, 4790);
  wire seen = {0};
  sim_net_set_capture(net, on_wire, &seen);
  sim_probe_result r = probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_UDP, 53), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_int_equal(seen.pkt[0].outer.dport, 4790);
  sim_net_destroy(net);

  net = overlay_cluster(world, 4097, 0);
  r = probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "dropped by stage decap rule VNI 4097 at Ethernet of host node2: VXLAN VNI 4096 to "
                                "10.240.0.5 udp/4789 is not network vxlan0's (VNI 4097, udp/4789)");
  sim_net_destroy(net);
  sim_trace_destroy(trace);
  sim_world_destroy(world);
}

static void refusals(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  sim_overlay_spec o = {4096, 0, ip_of("10.240.0.9"), {{0}}};
  REFUSED(net, sim_policy_overlay_set(net, "node1", "vxlan0", &o), SIM_E_INVAL,
          "provider_address 10.240.0.9: not an address of uplink \"Ethernet\"");
  o.provider_address = ip_of("10.240.0.4");
  o.vsid = 1u << 24;
  REFUSED(net, sim_policy_overlay_set(net, "node1", "vxlan0", &o), SIM_E_INVAL, "vsid 16777216: not a VNI (1..16777215)");
  sim_prefix gw = pfx("172.16.0.1/16");
  sim_network_spec n = {"nat", SIM_NET_NAT, NULL, "vEthernet (nat)", &gw};
  NET_OK(net, sim_net_network_add(net, "node1", &n));
  o.vsid = 4096;
  REFUSED(net, sim_policy_overlay_set(net, "node1", "nat", &o), SIM_E_INVAL, "network \"nat\": a NAT network, not Overlay");
  sim_remote_spec dup = {"node2-pods", pfx("10.244.9.0/24"), mac_of("02-11-00-00-00-01"), ip_of("10.240.0.5")};
  REFUSED(net, sim_policy_remote_add(net, "node1", "vxlan0", &dup), SIM_E_EXISTS,
          "id \"node2-pods\": network \"vxlan0\" has that remote entry already");
  /* Refusals changed nothing: the VNI is still 4096 and traffic flows. */
  assert_int_equal(probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), c->trace).verdict,
                   SIM_PROBE_DELIVERED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(pod_to_pod_across_hosts_through_vxlan, setup, cluster_teardown),
      cmocka_unit_test(outbound_nat_leaves_the_overlay_unencapsulated),
      cmocka_unit_test(vxlan_port_policy_and_vni_mismatch),
      cmocka_unit_test_setup_teardown(refusals, setup, cluster_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
