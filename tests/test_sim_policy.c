/* test_sim_policy.c: the policy stages in the walk (sim_policy.h) on the
 * seed's ACS cluster: ACLs with the deciding rule in the hop and the
 * reason, load balancing (balanced on ws2019, tied to the local backend on
 * ws2016, DSR keeping the client's address, NodePort from outside, the
 * host and VIPs, a service whose backend is its client: the hairpin with
 * and without DSR and loopback DSR), OutBoundNAT and WinNAT with their replies, port
 * mappings, SDN routes, L2Tunnel's hairpin, a missing UDR after
 * translation, and refusals that change nothing. */
#include "policy_fixture.h"

static int setup(void **state) {
  cluster *c = calloc(1, sizeof(*c));
  assert_non_null(c);
  assert_int_equal(sim_world_create(11, &c->world), SIM_OK);
  c->net = acs_cluster(c->world);
  assert_int_equal(sim_trace_create(&c->trace), SIM_OK);
  *state = c;
  return 0;
}

static sim_acl_rule_text rule(const char *id, uint16_t prio, sim_acl_dir dir, sim_acl_action act, const char *protos,
                              const char *lports) {
  sim_acl_rule_text r = {id, protos, NULL, NULL, lports, NULL, prio, dir, act, SIM_ACL_SWITCH};
  return r;
}

static void acl_block_names_its_rule(void **state) {
  cluster *c = *state;
  sim_acl_rule_text rules[] = {rule("deny-web", 100, SIM_ACL_IN, SIM_ACL_BLOCK, "6", "80"),
                               rule("allow-in", 1000, SIM_ACL_IN, SIM_ACL_ALLOW, NULL, NULL),
                               rule("allow-out", 1000, SIM_ACL_OUT, SIM_ACL_ALLOW, NULL, NULL)};
  NET_OK(c->net, sim_policy_acl_set(c->net, "node1", "ep-b", SIM_ACL_PROFILE_PROCESS, rules, 3));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "dropped by stage acl rule deny-web at ep-b of host node1: Switch (VFP) rules block it");
  sim_hop h = hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-b", "acl");
  assert_string_equal(h.rule, "deny-web");
  assert_int_equal(h.verdict, SIM_STAGE_DROP);
  assert_false(has_stage(c->trace, SIM_LEG_FORWARD, "port-in")); /* it never got past the ACL */

  r = probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 443), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-b", "acl").rule, "allow-in");
  /* The reply leaves ep-b as a packet of the allowed connection. */
  h = hop_at(c->trace, SIM_LEG_REPLY, "node1", "ep-b", "acl");
  assert_string_equal(h.reason, "reply of an allowed connection");

  /* A bad rule changes nothing: the old set still decides. */
  sim_acl_rule_text bad[] = {rules[1], rule("x", 10, SIM_ACL_IN, SIM_ACL_ALLOW, "6", "0")};
  assert_int_equal(sim_policy_acl_set(c->net, "node1", "ep-b", SIM_ACL_PROFILE_PROCESS, bad, 2), SIM_E_INVAL);
  assert_non_null(strstr(sim_net_last_error(c->net), "rules[1] LocalPorts"));
  r = probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);

  /* Any rule switches the port to default deny: one Out rule, and inbound
   * TCP that the Windows default would allow is blocked. */
  sim_acl_rule_text out_only[] = {rule("out-dns", 100, SIM_ACL_OUT, SIM_ACL_ALLOW, "17", NULL)};
  NET_OK(c->net, sim_policy_acl_set(c->net, "node1", "ep-b", SIM_ACL_PROFILE_PROCESS, out_only, 1));
  r = probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 443), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-b", "acl").rule, "default");

  /* No rules: the profile's defaults (WS2016 blocks inbound, later ones allow TCP). */
  NET_OK(c->net, sim_policy_acl_set(c->net, "node1", "ep-b", SIM_ACL_PROFILE_PROCESS, NULL, 0));
  assert_int_equal(probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 443), c->trace).verdict,
                   SIM_PROBE_DELIVERED);
  NET_OK(c->net, sim_policy_acl_set(c->net, "node1", "ep-b", SIM_ACL_PROFILE_PRE_1709, NULL, 0));
  assert_int_equal(probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 443), c->trace).verdict,
                   SIM_PROBE_DROPPED);
  NET_OK(c->net, sim_policy_acl_clear(c->net, "node1", "ep-b"));
  assert_int_equal(probe(c->net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 443), c->trace).verdict,
                   SIM_PROBE_DELIVERED);
  assert_false(has_stage(c->trace, SIM_LEG_FORWARD, "acl"));
}

/* kube-proxy's ClusterIP LB on node1: 10.96.0.10:80 -> 8080 on pod-b
 * (local) and pod-c (on node2). */
static void add_service(sim_net *net, const char *host, uint32_t lb_flags) {
  static const sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_ip vip = ip_of("10.96.0.10");
  sim_lb_backend b[2] = {{ip_of("10.244.1.6"), !strcmp(host, "node1")}, {ip_of("10.244.2.5"), !strcmp(host, "node2")}};
  sim_lb_spec s = {"svc", &vip, 1, &m, 1, b, 2, lb_flags, NULL, 0, 0};
  NET_OK(net, sim_policy_lb_add(net, host, &s));
}

/* Probes the VIP from pod-a with 32 source ports; counts the backends. */
static void spread(cluster *c, int *local, int *remote) {
  char f[SIM_FLOW_TEXT];
  *local = *remote = 0;
  for (uint16_t sport = 40000; sport < 40032; sport++) {
    sim_probe_spec s = from_port("node1", "ep-a", "10.96.0.10", SIM_IPPROTO_TCP, 80);
    s.sport = sport;
    sim_probe_result r = probe(c->net, s, c->trace);
    assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
    assert_int_equal(r.received.dport, 8080);
    assert_true(sim_ip_equal(&r.received.src, &r.sent.src)); /* no SourceVIP: the pod's address */
    /* The reply comes back from the VIP, whichever backend answered. */
    sim_flow want;
    sim_flow_reverse(&r.sent, &want);
    assert_string_equal(flow_text(&r.reply_received, f), flow_text(&want, (char[SIM_FLOW_TEXT]){0}));
    char a[46];
    sim_ip_format(&r.received.dst, a);
    if (!strcmp(a, "10.244.1.6")) (*local)++;
    else if (!strcmp(a, "10.244.2.5")) (*remote)++;
    else fail_msg("backend %s", a);
  }
}

static void service_vip_is_balanced_on_ws2019(void **state) {
  cluster *c = *state;
  add_service(c->net, "node1", 0);
  int local, remote;
  spread(c, &local, &remote);
  assert_true(local > 0 && remote > 0);
  assert_int_equal(local + remote, 32);
  /* The hop names the LB; the remote backend's reply is reverse-translated
   * where it enters node1. */
  sim_probe_spec s = from_port("node1", "ep-a", "10.96.0.10", SIM_IPPROTO_TCP, 80);
  for (s.sport = 40000;; s.sport++) {
    if (s.sport == 40032) fail_msg("no flow went to the remote backend");
    sim_probe_result r = probe(c->net, s, c->trace);
    char a[46];
    if (strcmp((sim_ip_format(&r.received.dst, a), a), "10.244.2.5")) continue;
    sim_hop h = hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-a", "lb");
    assert_string_equal(h.rule, "svc");
    char f[SIM_FLOW_TEXT];
    assert_string_equal(flow_text(&h.after, f), "tcp 10.244.1.5:40000 -> 10.244.2.5:8080");
    h = hop_at(c->trace, SIM_LEG_REPLY, "node1", "Ethernet", "lb");
    assert_string_equal(h.rule, "svc");
    assert_string_equal(flow_text(&h.after, f), "tcp 10.96.0.10:80 -> 10.244.1.5:40000");
    break;
  }
}

static void service_vip_is_tied_to_the_local_backend_on_ws2016(void **state) {
  cluster *c = *state;
  sim_policy_host_spec ws2016 = {{0, 0, 0}, 0};
  NET_OK(c->net, sim_policy_host_set(c->net, "node1", &ws2016));
  add_service(c->net, "node1", 0);
  int local, remote;
  spread(c, &local, &remote);
  assert_int_equal(local, 32);
  assert_int_equal(remote, 0);
  /* Its profile is fixed once the host has a load balancer. */
  REFUSED(c->net, sim_policy_host_set(c->net, "node1", &ws2016), SIM_E_BUSY,
          "host \"node1\": has load balancers or NAT rules already; set its profile first");
}

static void dsr_keeps_the_client_address_and_its_reply_gets_the_vip_at_the_client(void **state) {
  cluster *c = *state;
  static const sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_ip vip = ip_of("10.96.0.10");
  sim_lb_backend b = {ip_of("10.244.2.5"), 0};
  sim_lb_spec s = {"svc-dsr", &vip, 1, &m, 1, &b, 1, SIM_LB_DSR, NULL, 0, 0};
  NET_OK(c->net, sim_policy_lb_add(c->net, "node1", &s));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.96.0.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 10.244.2.5:8080");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.96.0.10:80 -> 10.244.1.5:49152");
  /* The reply is given the VIP back at the client's port, not by the host. */
  sim_hop h = hop_at(c->trace, SIM_LEG_REPLY, "node1", "ep-a", "lb");
  assert_string_equal(h.rule, "svc-dsr");
  assert_non_null(strstr(h.reason, "DSR"));
  assert_string_equal(flow_text(&h.before, f), "tcp 10.244.2.5:8080 -> 10.244.1.5:49152");
  assert_string_equal(hop_at(c->trace, SIM_LEG_REPLY, "node1", "Ethernet", "lb").reason, "no frontend");
}

/* A service whose only backend is the client itself (consumers P8). */
static void add_self_service(sim_net *net, uint32_t lb_flags) {
  static const sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_ip vip = ip_of("10.96.0.10");
  sim_lb_backend b = {ip_of("10.244.1.5"), 1};
  sim_lb_spec s = {"svc-self", &vip, 1, &m, 1, &b, 1, lb_flags, NULL, 0, 0};
  NET_OK(net, sim_policy_lb_add(net, "node1", &s));
}

static void a_hairpin_answers_without_dsr(void **state) {
  cluster *c = *state;
  add_self_service(c->net, 0);
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.96.0.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT];
  /* The pod sees the VIP as the source, so its answer leaves its stack. */
  assert_string_equal(flow_text(&r.received, f), "tcp 10.96.0.10:49152 -> 10.244.1.5:8080");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.96.0.10:80 -> 10.244.1.5:49152");
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "node1", NULL, "hairpin").reason,
                      "back to endpoint ep-a, its sender");
  assert_string_equal(hop_at(c->trace, SIM_LEG_REPLY, "node1", "ep-a", "lb").rule, "svc-self");
}

static void a_dsr_hairpin_times_out_without_loopback_dsr(void **state) {
  cluster *c = *state;
  add_self_service(c->net, SIM_LB_DSR);
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.96.0.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_int_equal(r.leg, SIM_LEG_REPLY);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 10.244.1.5:8080");
  assert_non_null(strstr(r.reason, "does not answer the request"));
  assert_non_null(strstr(r.reason, "a hairpin"));
  assert_non_null(strstr(r.reason, "calico#5522"));
  assert_string_equal(hop_at(c->trace, SIM_LEG_REPLY, "node1", "ep-a", "local").reason,
                      "10.244.1.5 is an address of this compartment: the packet stays in it");
}

static void a_dsr_hairpin_answers_with_loopback_dsr(void **state) {
  cluster *c = *state;
  add_self_service(c->net, SIM_LB_DSR);
  /* What the CNI plugins add for loopbackDSR: OutBoundNAT, Destinations [pod IP]. */
  sim_prefix self = pfx("10.244.1.5/32");
  sim_policy_outbound_spec o = {"loopback-dsr", 0, NULL, NULL, 0, &self, 1, 0, 0};
  NET_OK(c->net, sim_policy_outbound_nat_add(c->net, "node1", "ep-a", &o));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.96.0.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.240.0.4:49152 -> 10.244.1.5:8080");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.96.0.10:80 -> 10.244.1.5:49152");
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-a", "nat").rule, "loopback-dsr");
  /* The answer is un-NATed, hair-pinned back, and given the VIP by the DSR table. */
  assert_non_null(strstr(hop_at(c->trace, SIM_LEG_REPLY, "node1", "ep-a", "nat").reason, "OutBoundNAT"));
  assert_non_null(strstr(hop_at(c->trace, SIM_LEG_REPLY, "node1", NULL, "hairpin").reason, "ep-a"));
  sim_hop h;
  int dsr_reply = 0;
  for (size_t i = 0; i < sim_trace_count(c->trace); i++) {
    assert_int_equal(sim_trace_hop(c->trace, i, &h), SIM_OK);
    if (h.leg == SIM_LEG_REPLY && !strcmp(h.stage, "lb") && !strcmp(h.rule, "svc-self")) {
      assert_non_null(strstr(h.reason, "DSR"));
      dsr_reply = 1;
    }
  }
  assert_true(dsr_reply);
}

static void nodeport_from_outside_and_its_reply(void **state) {
  cluster *c = *state;
  static const sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 30080, SIM_LB_DIST_NONE, SIM_LB_PM_LOCAL_ROUTED_VIP};
  sim_lb_backend b = {ip_of("10.244.1.6"), 1};
  sim_lb_spec s = {"np", NULL, 0, &m, 1, &b, 1, 0, NULL, 0, 0};
  NET_OK(c->net, sim_policy_lb_add(c->net, "node1", &s));
  sim_probe_result r = probe(c->net, from_host("web", "10.240.0.4", SIM_IPPROTO_TCP, 30080), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.received, f), "tcp 203.0.113.10:49152 -> 10.244.1.6:8080");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.240.0.4:30080 -> 203.0.113.10:49152");
  sim_hop h = hop_at(c->trace, SIM_LEG_FORWARD, "node1", "Ethernet", "lb");
  assert_string_equal(h.rule, "np");
  assert_non_null(strstr(h.reason, "NodePort"));
  /* The backend's reply is reversed at its own port. */
  assert_string_equal(hop_at(c->trace, SIM_LEG_REPLY, "node1", "ep-b", "lb").rule, "np");
  /* The node itself does not reach its own NodePort on this profile. */
  r = probe(c->net, from_host("node1", "10.240.0.4", SIM_IPPROTO_TCP, 30080), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_non_null(strstr(r.reason, "does not let the host reach its own NodePort"));
}

static void the_host_reaches_vips_where_its_profile_says(void **state) {
  cluster *c = *state;
  add_service(c->net, "node1", 0);
  sim_probe_result r = probe(c->net, from_host("node1", "10.96.0.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "dropped by stage lb rule svc at  of host node1: this Windows version does not let "
                                "the host reach service VIPs");
  sim_policy_host_spec ws2022 = {{1, 1, 1}, 0};
  NET_OK(c->net, sim_policy_host_set(c->net, "node2", &ws2022));
  add_service(c->net, "node2", 0);
  for (uint16_t sport = 1000; sport < 1016; sport++) {
    sim_probe_spec s = from_host("node2", "10.96.0.10", SIM_IPPROTO_TCP, 80);
    s.sport = sport;
    r = probe(c->net, s, c->trace);
    assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
    char f[SIM_FLOW_TEXT];
    flow_text(&r.reply_received, f);
    assert_non_null(strstr(f, "tcp 10.96.0.10:80 -> 10.240.0.5:"));
  }
}

static void a_missing_udr_drops_the_translated_packet_at_the_router(void **state) {
  cluster *c = *state;
  static const sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  sim_ip vip = ip_of("10.96.0.10");
  sim_lb_backend b = {ip_of("10.244.2.5"), 0};
  sim_lb_spec s = {"svc", &vip, 1, &m, 1, &b, 1, 0, NULL, 0, 0};
  NET_OK(c->net, sim_policy_lb_add(c->net, "node1", &s));
  sim_prefix d = pfx("10.244.2.0/24");
  sim_ip h = ip_of("10.240.0.5");
  NET_OK(c->net, sim_net_router_route_remove(c->net, "azure", &d, &h));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.96.0.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_string_equal(r.reason, "no route to 10.244.2.5 at router azure");
}

static void outbound_nat_to_the_internet_and_back(void **state) {
  cluster *c = *state;
  sim_prefix exc[] = {pfx("10.244.0.0/16"), pfx("10.240.0.0/16")};
  sim_policy_outbound_spec o = {"onat-a", 0, NULL, exc, 2, NULL, 0, 0, 0};
  NET_OK(c->net, sim_policy_outbound_nat_add(c->net, "node1", "ep-a", &o));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.240.0.4:49152 -> 203.0.113.10:80");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 203.0.113.10:80 -> 10.244.1.5:49152");
  sim_hop h = hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-a", "nat");
  assert_string_equal(h.rule, "onat-a");
  assert_string_equal(h.reason, "OutBoundNAT, translated");
  assert_string_equal(hop_at(c->trace, SIM_LEG_REPLY, "node1", "Ethernet", "nat").reason,
                      "reply of a tracked OutBoundNAT connection, translated");
  /* A second connection gets the next port. */
  sim_probe_spec s = from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 80);
  s.sport = 50000;
  r = probe(c->net, s, c->trace);
  assert_string_equal(flow_text(&r.received, f), "tcp 10.240.0.4:49153 -> 203.0.113.10:80");
  /* Pods are an exception; ICMP is not translated. */
  r = probe(c->net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), c->trace);
  assert_string_equal(flow_text(&r.received, f), "tcp 10.244.1.5:49152 -> 10.244.2.5:80");
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-a", "nat").reason,
                      "the destination is an exception");
  r = probe(c->net, from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_ICMP, 0), c->trace);
  assert_string_equal(flow_text(&r.received, f), "icmp 10.244.1.5 -> 203.0.113.10");
  REFUSED(c->net, sim_policy_outbound_nat_add(c->net, "node1", "ep-a", &o), SIM_E_EXISTS,
          "nat: id \"onat-a\" already exists");
}

/* WS2016's NAT network (the seed): a container behind WinNAT. */
static void nat_host(sim_net *net) {
  NET_OK(net, sim_net_host_add(net, "natnode", SIM_HOST_WINDOWS));
  nic(net, "natnode", "Ethernet", "vnet", "10.240.0.7/16", "00-15-5D-00-00-07");
  route(net, "natnode", SIM_HOST_COMPARTMENT, "0.0.0.0/0", "10.240.0.1", "Ethernet", 0);
  sim_prefix natgw = pfx("172.16.0.1/16");
  sim_network_spec n = {"nat", SIM_NET_NAT, NULL, "vEthernet (nat)", &natgw};
  NET_OK(net, sim_net_network_add(net, "natnode", &n));
  pod(net, "natnode", "nat", "pod-x", "ep-x", "172.16.0.5/16", "00-15-5D-02-00-05", "172.16.0.1");
}

static void winnat_to_the_internet_and_an_inbound_port_mapping(void **state) {
  cluster *c = *state;
  nat_host(c->net);
  sim_probe_spec s = {"natnode", "ep-x", NULL, ip_of("203.0.113.10"), SIM_IPPROTO_TCP, 80, 0, 0};
  sim_probe_result r = probe(c->net, s, c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE); /* without WinNAT nobody routes 172.16.0.5 back */

  sim_policy_winnat_spec w = {"winnat", pfx("172.16.0.0/16"), NULL, 0, 0};
  NET_OK(c->net, sim_policy_winnat_add(c->net, "natnode", "nat", &w));
  r = probe(c->net, s, c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&r.received, f), "tcp 10.240.0.7:49152 -> 203.0.113.10:80");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 203.0.113.10:80 -> 172.16.0.5:49152");
  sim_hop h = hop_at(c->trace, SIM_LEG_FORWARD, "natnode", "Ethernet", "nat");
  assert_string_equal(h.rule, "winnat");
  assert_string_equal(h.compartment, SIM_HOST_COMPARTMENT);
  /* WinNAT is the host's, not the port's: no nat stage at ep-x. */
  assert_false(has_stage(c->trace, SIM_LEG_FORWARD, "lb"));

  sim_policy_portmap_spec pm = {"pm-8080", SIM_IPPROTO_TCP, 80, 8080, NULL, 0};
  NET_OK(c->net, sim_policy_portmap_add(c->net, "natnode", "ep-x", &pm));
  r = probe(c->net, from_host("web", "10.240.0.7", SIM_IPPROTO_TCP, 8080), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(flow_text(&r.received, f), "tcp 203.0.113.10:49152 -> 172.16.0.5:80");
  assert_string_equal(flow_text(&r.reply_received, f), "tcp 10.240.0.7:8080 -> 203.0.113.10:49152");
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "natnode", "Ethernet", "nat").rule, "pm-8080");

  /* Removing the mapping leaves its tracked connection until it expires;
   * a new connection reaches the host itself. */
  NET_OK(c->net, sim_policy_nat_remove(c->net, "natnode", "pm-8080"));
  r = probe(c->net, from_host("web", "10.240.0.7", SIM_IPPROTO_TCP, 8080), c->trace);
  assert_string_equal(flow_text(&r.received, f), "tcp 203.0.113.10:49152 -> 172.16.0.5:80");
  sim_probe_spec again = from_host("web", "10.240.0.7", SIM_IPPROTO_TCP, 8080);
  again.sport = 50001;
  r = probe(c->net, again, c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(flow_text(&r.received, f), "tcp 203.0.113.10:50001 -> 10.240.0.7:8080");
}

static void sdn_routes_hand_packets_to_the_host_or_a_next_hop(void **state) {
  cluster *c = *state;
  sim_policy_route_spec to_host = {"to-host", pfx("10.240.0.4/32"), {0, {0}}, 1};
  NET_OK(c->net, sim_policy_sdn_route_add(c->net, "node1", "ep-a", &to_host));
  sim_probe_result r = probe(c->net, from_port("node1", "ep-a", "10.240.0.4", SIM_IPPROTO_TCP, 22), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  sim_hop h = hop_at(c->trace, SIM_LEG_FORWARD, "node1", "ep-a", "sdn-route");
  assert_string_equal(h.rule, "to-host");
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "node1", "cbr0", "vswitch").reason,
                      "to the host by vEthernet (cbr0) (SDN route)");

  sim_policy_route_spec via = {"via-nva", pfx("203.0.113.0/24"), ip_of("10.240.0.99"), 0};
  NET_OK(c->net, sim_policy_sdn_route_add(c->net, "node1", "ep-a", &via));
  r = probe(c->net, from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "no host or router has 10.240.0.99 on segment vnet");
  NET_OK(c->net, sim_policy_sdn_route_remove(c->net, "node1", "ep-a", "via-nva"));
  assert_int_equal(probe(c->net, from_port("node1", "ep-a", "203.0.113.10", SIM_IPPROTO_TCP, 80), c->trace).verdict,
                   SIM_PROBE_DELIVERED);
  REFUSED(c->net, sim_policy_sdn_route_remove(c->net, "node1", "ep-a", "via-nva"), SIM_E_NOTFOUND,
          "id \"via-nva\": endpoint \"ep-a\" has no such route");
}

/* Azure CNI's L2Tunnel: even a neighbour on the same host is reached
 * through the physical host, by the wire. */
static void l2tunnel_hairpins_local_traffic(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  NET_OK(net, sim_net_host_add(net, "tun", SIM_HOST_WINDOWS));
  nic(net, "tun", "Ethernet", "vnet", "10.240.0.8/16", "00-15-5D-00-00-08");
  sim_network_spec n = {"azure", SIM_NET_L2TUNNEL, "Ethernet", NULL, NULL};
  NET_OK(net, sim_net_network_add(net, "tun", &n));
  pod(net, "tun", "azure", "p1", "ep1", "10.240.0.20/16", "00-15-5D-03-00-20", NULL);
  pod(net, "tun", "azure", "p2", "ep2", "10.240.0.21/16", "00-15-5D-03-00-21", NULL);
  sim_probe_result r = probe(net, from_port("tun", "ep1", "10.240.0.21", SIM_IPPROTO_TCP, 80), c->trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_int_equal(r.finished - r.started, 2 * VNET_LATENCY); /* one crossing each way */
  char lines[4096];
  hop_lines(c->trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd tun//azure hairpin\n"
                                "fwd tun//azure vswitch\n"
                                "fwd tun//azure mac-rewrite\n"
                                "fwd tun//Ethernet nic-out\n"
                                "fwd //vnet segment\n"
                                "fwd tun//Ethernet nic-in\n"));
}

static void refusals_name_the_field_and_change_nothing(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  REFUSED(net, sim_policy_acl_set(net, "node1", "nope", SIM_ACL_PROFILE_PROCESS, NULL, 0), SIM_E_NOTFOUND,
          "endpoint \"nope\": no such endpoint on host \"node1\"");
  REFUSED(net, sim_policy_acl_set(net, "node1", "Ethernet", SIM_ACL_PROFILE_PROCESS, NULL, 0), SIM_E_INVAL,
          "endpoint \"Ethernet\": an interface of host \"node1\" but not an endpoint");
  static const sim_lb_mapping icmp = {SIM_IPPROTO_ICMP, 1, 1, 0, 0};
  sim_ip vip = ip_of("10.96.0.10");
  sim_lb_spec s = {"bad", &vip, 1, &icmp, 1, NULL, 0, 0, NULL, 0, 0};
  REFUSED(net, sim_policy_lb_add(net, "node1", &s), SIM_E_INVAL,
          "load balancer: bad: mappings[0].protocol 1 is not 6, 17 or 132");
  /* The refused LB left no table behind: the host's profile can still be set. */
  sim_policy_host_spec p = {{1, 0, 0}, 128};
  NET_OK(net, sim_policy_host_set(net, "node1", &p));
  REFUSED(net, sim_policy_lb_add(net, "lnx", &s), SIM_E_INVAL, "host \"lnx\": a Linux host has no HNS policies");
  REFUSED(net, sim_policy_lb_remove(net, "node1", "svc"), SIM_E_NOTFOUND,
          "load balancer \"svc\": host \"node1\" has none");
  sim_policy_winnat_spec w = {"w", pfx("10.244.1.0/24"), NULL, 0, 0};
  REFUSED(net, sim_policy_winnat_add(net, "node1", "cbr0", &w), SIM_E_INVAL,
          "network \"cbr0\": a L2Bridge network; WinNAT serves NAT and ICS networks");
  sim_policy_portmap_spec pm = {"pm", 6, 80, 8080, NULL, SIM_NAT_PM_IPV6};
  REFUSED(net, sim_policy_portmap_add(net, "node1", "ep-a", &pm), SIM_E_INVAL,
          "family 6: endpoint \"ep-a\" has no such address");
  sim_policy_route_spec r = {"r", pfx("10.0.0.0/8"), ip_of("fe80::1"), 0};
  REFUSED(net, sim_policy_sdn_route_add(net, "node1", "ep-a", &r), SIM_E_INVAL,
          "next_hop: family 6 differs from dst's 4");
  /* A port mapping on L2Bridge without LocalRoutedVip is accepted and not applied. */
  sim_policy_portmap_spec vfp = {"pm-vfp", 6, 80, 8080, NULL, 0};
  NET_OK(net, sim_policy_portmap_add(net, "node1", "ep-a", &vfp));
  sim_probe_result res = probe(net, from_host("web", "10.240.0.4", SIM_IPPROTO_TCP, 8080), c->trace);
  char f[SIM_FLOW_TEXT];
  assert_string_equal(flow_text(&res.received, f), "tcp 203.0.113.10:49152 -> 10.240.0.4:8080");
  assert_string_equal(hop_at(c->trace, SIM_LEG_FORWARD, "node1", "Ethernet", "nat").reason,
                      "a VFP port mapping without LocalRoutedVip is not applied");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(acl_block_names_its_rule, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(service_vip_is_balanced_on_ws2019, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(service_vip_is_tied_to_the_local_backend_on_ws2016, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(dsr_keeps_the_client_address_and_its_reply_gets_the_vip_at_the_client, setup,
                                      cluster_teardown),
      cmocka_unit_test_setup_teardown(a_hairpin_answers_without_dsr, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(a_dsr_hairpin_times_out_without_loopback_dsr, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(a_dsr_hairpin_answers_with_loopback_dsr, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(nodeport_from_outside_and_its_reply, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(the_host_reaches_vips_where_its_profile_says, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(a_missing_udr_drops_the_translated_packet_at_the_router, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(outbound_nat_to_the_internet_and_back, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(winnat_to_the_internet_and_an_inbound_port_mapping, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(sdn_routes_hand_packets_to_the_host_or_a_next_hop, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(l2tunnel_hairpins_local_traffic, setup, cluster_teardown),
      cmocka_unit_test_setup_teardown(refusals_name_the_field_and_change_nothing, setup, cluster_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
