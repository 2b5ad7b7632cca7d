/* test_sim_net.c: building the model: every refusal names the field and
 * the value and leaves the model as it was (a probe afterwards walks the
 * same hops), removals free names and addresses for reuse, and the rules
 * of network types (external ones need their own NIC, internal ones take
 * none, Private has no host vNIC, Linux hosts have bridges); listing
 * hosts and interfaces in name order. */
#include "net_fixture.h"
#include "sim_net_query.h"

typedef struct cluster {
  sim_world *world;
  sim_net *net;
} cluster;

static int setup(void **state) {
  cluster *c = calloc(1, sizeof(*c));
  assert_non_null(c);
  assert_int_equal(sim_world_create(7, &c->world), SIM_OK);
  c->net = acs_cluster(c->world);
  *state = c;
  return 0;
}

static int teardown(void **state) {
  cluster *c = *state;
  sim_net_destroy(c->net);
  sim_world_destroy(c->world);
  free(c);
  return 0;
}

/* The hops of a reference probe, to show that a refusal changed nothing. */
static void reference_hops(sim_net *net, char *out, size_t cap) {
  sim_trace *t;
  assert_int_equal(sim_trace_create(&t), SIM_OK);
  sim_probe_result r = probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), t);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  hop_lines(t, out, cap);
  sim_trace_destroy(t);
}

#define REFUSED(net, call, status, message)                   \
  do {                                                        \
    assert_int_equal((call), (status));                       \
    assert_string_equal(sim_net_last_error(net), (message));  \
  } while (0)

static void refusals_name_the_field_and_change_nothing(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  char before[8192], after[8192];
  reference_hops(net, before, sizeof before);

  sim_prefix a = pfx("10.240.0.9/16"), bad_len = a;
  bad_len.len = 40;
  sim_mac m = mac_of("00-15-5D-00-00-09");
  REFUSED(net, sim_net_host_add(net, "node1", SIM_HOST_WINDOWS), SIM_E_EXISTS, "host \"node1\": exists");
  REFUSED(net, sim_net_host_add(net, NULL, SIM_HOST_WINDOWS), SIM_E_INVAL, "host: NULL");
  REFUSED(net, sim_net_host_add(net, "", SIM_HOST_WINDOWS), SIM_E_INVAL, "host: empty");
  REFUSED(net, sim_net_host_add(net, "x", (sim_host_kind)7), SIM_E_INVAL,
          "kind 7: not SIM_HOST_WINDOWS or SIM_HOST_LINUX");
  REFUSED(net, sim_net_segment_add(net, "vnet", 0, 0.0), SIM_E_EXISTS, "segment \"vnet\": exists");
  REFUSED(net, sim_net_segment_add(net, "s", -1, 0.0), SIM_E_INVAL, "segment \"s\" latency -1: negative");
  REFUSED(net, sim_net_segment_add(net, "s", 0, 1.5), SIM_E_INVAL, "segment \"s\" loss 1.5: not in 0..1");
  REFUSED(net, sim_net_segment_set_link(net, "nowhere", 0, 0.0), SIM_E_NOTFOUND,
          "segment \"nowhere\": no such segment");
  REFUSED(net, sim_net_nic_add(net, "node1", "Ethernet", "vnet", &a, &m), SIM_E_EXISTS,
          "interface \"Ethernet\": host \"node1\" has one of that name");
  REFUSED(net, sim_net_nic_add(net, "node1", "eth1", "nowhere", &a, &m), SIM_E_NOTFOUND,
          "segment \"nowhere\": no such segment");
  REFUSED(net, sim_net_nic_add(net, "node1", "eth1", "vnet", &bad_len, &m), SIM_E_INVAL,
          "addr 10.240.0.9/40: prefix length out of range");
  sim_prefix taken = pfx("10.240.0.5/16");
  REFUSED(net, sim_net_nic_add(net, "node1", "eth1", "vnet", &taken, &m), SIM_E_EXISTS,
          "addr 10.240.0.5: already on segment \"vnet\"");

  /* Routes: to a missing interface, through another compartment's, bad next hops. */
  sim_route_spec r = {"pod-a", pfx("10.0.0.0/8"), ip_of("10.244.1.2"), "ep-nowhere", 0, NULL};
  REFUSED(net, sim_net_route_add(net, "node1", &r), SIM_E_NOTFOUND,
          "iface \"ep-nowhere\": no such interface on host \"node1\"");
  r.iface = "ep-b";
  REFUSED(net, sim_net_route_add(net, "node1", &r), SIM_E_INVAL, "iface \"ep-b\": not in compartment \"pod-a\"");
  r.iface = "ep-a";
  r.next_hop = ip_of("fd00::1");
  REFUSED(net, sim_net_route_add(net, "node1", &r), SIM_E_INVAL, "next_hop: family 6 differs from dst's 4");
  r.dst = pfx("fd00::/64");
  REFUSED(net, sim_net_route_add(net, "node1", &r), SIM_E_INVAL, "iface \"ep-a\": has no IPv6 address for dst");
  r = (sim_route_spec){"pod-a", pfx("0.0.0.0/0"), ip_of("10.244.1.2"), "ep-a", 0, NULL};
  REFUSED(net, sim_net_route_add(net, "node1", &r), SIM_E_EXISTS,
          "route 0.0.0.0/0 dev ep-a: compartment \"pod-a\" has it already");
  r.compartment = "pod-q";
  REFUSED(net, sim_net_route_add(net, "node1", &r), SIM_E_NOTFOUND,
          "compartment \"pod-q\": no such compartment on host \"node1\"");
  REFUSED(net, sim_net_route_add(net, "node1", NULL), SIM_E_INVAL, "route: NULL");
  sim_prefix d = pfx("10.99.0.0/16");
  sim_ip far = ip_of("192.168.9.9");
  REFUSED(net, sim_net_router_route_add(net, "azure", &d, &far, 0, NULL), SIM_E_INVAL,
          "next_hop 192.168.9.9: not on any interface of router \"azure\"");
  sim_prefix udr = pfx("10.244.1.0/24");
  sim_ip node1 = ip_of("10.240.0.4");
  REFUSED(net, sim_net_router_route_add(net, "azure", &udr, &node1, 0, NULL), SIM_E_EXISTS,
          "route 10.244.1.0/24: router \"azure\" has it already");
  REFUSED(net, sim_net_router_route_remove(net, "azure", &d, &node1), SIM_E_NOTFOUND,
          "route 10.99.0.0/16: router \"azure\" has no such route");

  /* Endpoints. */
  sim_port_spec p = {"ep-a", "cbr0", {pfx("10.244.1.50/24"), {{0, {0}}, 0}}, m};
  REFUSED(net, sim_net_port_add(net, "node1", &p), SIM_E_EXISTS,
          "interface \"ep-a\": host \"node1\" has one of that name");
  p.name = "ep-new";
  p.addr[0] = pfx("10.244.1.6/24");
  REFUSED(net, sim_net_port_add(net, "node1", &p), SIM_E_EXISTS,
          "addr 10.244.1.6: endpoint \"ep-b\" of network \"cbr0\" has it already");
  p.addr[0] = pfx("10.240.0.5/16"); /* node2's address, on the L2Bridge's segment */
  REFUSED(net, sim_net_port_add(net, "node1", &p), SIM_E_EXISTS, "addr 10.240.0.5: already on segment \"vnet\"");
  p.addr[0] = pfx("10.244.1.50/24");
  p.addr[1] = pfx("10.244.1.51/24");
  REFUSED(net, sim_net_port_add(net, "node1", &p), SIM_E_INVAL,
          "addr[1]: a second IPv4 address; dual stack is one IPv4 and one IPv6");
  p.addr[1].addr.family = 0;
  p.network = "nat";
  REFUSED(net, sim_net_port_add(net, "node1", &p), SIM_E_NOTFOUND, "network \"nat\": no such network on host \"node1\"");
  REFUSED(net, sim_net_port_attach(net, "node1", "ep-a", "pod-b"), SIM_E_BUSY,
          "endpoint \"ep-a\": attached to compartment \"pod-a\" already");
  REFUSED(net, sim_net_port_attach(net, "node1", "Ethernet", "pod-b"), SIM_E_INVAL,
          "endpoint \"Ethernet\": an interface of host \"node1\" but not an endpoint");

  /* Networks. */
  sim_network_spec n = {"second", SIM_NET_TRANSPARENT, "Ethernet", NULL, NULL};
  REFUSED(net, sim_net_network_add(net, "node1", &n), SIM_E_BUSY,
          "uplink \"Ethernet\": bound to network \"cbr0\" already (one NIC per external network)");
  n.uplink = NULL;
  REFUSED(net, sim_net_network_add(net, "node1", &n), SIM_E_INVAL,
          "network \"second\" uplink: NULL; a Transparent network needs a NIC");
  n = (sim_network_spec){"nat", SIM_NET_NAT, "Ethernet", NULL, NULL};
  REFUSED(net, sim_net_network_add(net, "node1", &n), SIM_E_INVAL,
          "network \"nat\" uplink \"Ethernet\": a NAT network is an internal vSwitch, with no NIC");
  sim_prefix v = pfx("192.168.0.1/24");
  n = (sim_network_spec){"priv", SIM_NET_PRIVATE, NULL, "vEthernet (priv)", &v};
  REFUSED(net, sim_net_network_add(net, "node1", &n), SIM_E_INVAL,
          "network \"priv\" host_vnic \"vEthernet (priv)\": a Private network reaches no host");
  n = (sim_network_spec){"cbr0", SIM_NET_NAT, NULL, NULL, NULL};
  REFUSED(net, sim_net_network_add(net, "node1", &n), SIM_E_EXISTS, "network \"cbr0\": host \"node1\" has it already");
  n = (sim_network_spec){"x", (sim_net_type)42, NULL, NULL, NULL};
  REFUSED(net, sim_net_network_add(net, "node1", &n), SIM_E_INVAL, "network \"x\" type 42: not a network type");
  n = (sim_network_spec){"x", SIM_NET_NAT, NULL, "Ethernet", &v};
  REFUSED(net, sim_net_network_add(net, "node1", &n), SIM_E_EXISTS,
          "interface \"Ethernet\": host \"node1\" has one of that name");
  REFUSED(net, sim_net_network_add(net, "lnx", &n), SIM_E_INVAL,
          "host \"lnx\": a Linux host has no HNS networks (use a bridge)");
  REFUSED(net, sim_net_bridge_add(net, "node1", "br0", &v), SIM_E_INVAL,
          "host \"node1\": a Windows host; bridges are for Linux hosts (use an HNS network)");
  REFUSED(net, sim_net_network_remove(net, "node1", "cbr0"), SIM_E_BUSY, "network \"cbr0\": 2 endpoint(s) still on it");
  REFUSED(net, sim_net_compartment_remove(net, "node1", "pod-a"), SIM_E_BUSY,
          "compartment \"pod-a\": 1 endpoint(s) still attached");
  REFUSED(net, sim_net_compartment_remove(net, "node1", SIM_HOST_COMPARTMENT), SIM_E_INVAL,
          "compartment \"host\": the host compartment stays while its host exists");
  REFUSED(net, sim_net_listen(net, "node1", "pod-a", SIM_IPPROTO_ICMP, 0), SIM_E_INVAL,
          "proto 1: only TCP (6) and UDP (17) listen on ports");
  REFUSED(net, sim_net_port_stage_add(net, "node1", "ep-a", (sim_dir)3, "acl", NULL, NULL), SIM_E_INVAL,
          "dir 3: not SIM_DIR_IN or SIM_DIR_OUT");
  REFUSED(net, sim_net_port_stage_add(net, "node1", "ep-a", SIM_DIR_IN, "acl", NULL, NULL), SIM_E_INVAL,
          "stage \"acl\" fn: NULL");

  assert_int_equal(sim_net_host_add(NULL, "x", SIM_HOST_WINDOWS), SIM_E_INVAL);
  assert_int_equal(sim_net_create(c->world, NULL), SIM_E_INVAL);
  sim_net *none;
  assert_int_equal(sim_net_create(NULL, &none), SIM_E_INVAL);
  assert_null(none);

  reference_hops(net, after, sizeof after);
  assert_string_equal(before, after);
  NET_OK(net, sim_net_host_add(net, "node3", SIM_HOST_WINDOWS));
  assert_string_equal(sim_net_last_error(net), "");
}

/* Removing things frees their names and addresses for reuse, and a probe
 * then sees the new object. */
static void removals_free_names_and_addresses(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  NET_OK(net, sim_net_port_detach(net, "node1", "ep-b"));
  NET_OK(net, sim_net_compartment_remove(net, "node1", "pod-b"));
  NET_OK(net, sim_net_port_remove(net, "node1", "ep-b"));
  pod(net, "node1", "cbr0", "pod-b", "ep-b", "10.244.1.6/24", "00-15-5D-01-01-66", "10.244.1.2");
  sim_probe_result r = probe(net, from_port("node1", "ep-a", "10.244.1.6", SIM_IPPROTO_TCP, 80), NULL);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);

  /* A whole network goes, and its uplink can serve another. */
  NET_OK(net, sim_net_port_remove(net, "node2", "ep-c"));
  NET_OK(net, sim_net_network_remove(net, "node2", "cbr0"));
  sim_network_spec t = {"transparent", SIM_NET_TRANSPARENT, "Ethernet", NULL, NULL};
  NET_OK(net, sim_net_network_add(net, "node2", &t));
  /* Transparent containers sit on the physical network: reachable by
   * their own address from the segment, here in the hosts' subnet. */
  sim_port_spec p = {"ep-t", "transparent", {pfx("10.240.0.50/16"), {{0, {0}}, 0}}, mac_of("00-15-5D-02-00-50")};
  NET_OK(net, sim_net_port_add(net, "node2", &p));
  NET_OK(net, sim_net_compartment_add(net, "node2", "pod-t"));
  NET_OK(net, sim_net_port_attach(net, "node2", "ep-t", "pod-t"));
  sim_trace *trace;
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  r = probe(net, from_host("lnx", "10.240.0.50", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char lines[4096];
  hop_lines(trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd node2//Ethernet nic-in\n"
                                "fwd node2//transparent vswitch\n"
                                "fwd node2/pod-t/ep-t port-in\n"));
  assert_null(strstr(lines, "mac-rewrite"));
  sim_trace_destroy(trace);
  /* Routes come and go by their identity. */
  sim_route_spec rt = {"pod-a", pfx("0.0.0.0/0"), ip_of("10.244.1.2"), "ep-a", 0, NULL};
  NET_OK(net, sim_net_route_remove(net, "node1", &rt));
  assert_int_equal(sim_net_route_remove(net, "node1", &rt), SIM_E_NOTFOUND);
  r = probe(net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), NULL);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  NET_OK(net, sim_net_route_add(net, "node1", &rt));
}

/* An internal network without a host vNIC: its endpoints reach each other
 * and nothing else; L2Tunnel hair-pins even local traffic to the wire. */
static void private_and_l2tunnel_switching(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  sim_network_spec priv = {"priv", SIM_NET_PRIVATE, NULL, NULL, NULL};
  NET_OK(net, sim_net_network_add(net, "node1", &priv));
  pod(net, "node1", "priv", "vm-1", "p1", "192.168.5.1/24", "00-15-5D-05-00-01", "192.168.5.254");
  pod(net, "node1", "priv", "vm-2", "p2", "192.168.5.2/24", "00-15-5D-05-00-02", NULL);
  assert_int_equal(probe(net, from_port("node1", "p1", "192.168.5.2", SIM_IPPROTO_TCP, 80), NULL).verdict,
                   SIM_PROBE_DELIVERED);
  sim_probe_result r = probe(net, from_port("node1", "p1", "8.8.8.8", SIM_IPPROTO_TCP, 80), NULL);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "no endpoint or host vNIC has 192.168.5.254 on network priv of host node1");

  NET_OK(net, sim_net_host_add(net, "azhost", SIM_HOST_WINDOWS));
  nic(net, "azhost", "Ethernet", "vnet", "10.240.0.8/16", "00-15-5D-00-00-08");
  sim_network_spec tun = {"tunnel", SIM_NET_L2TUNNEL, "Ethernet", NULL, NULL};
  NET_OK(net, sim_net_network_add(net, "azhost", &tun));
  pod(net, "azhost", "tunnel", "t1", "e1", "10.240.0.81/16", "00-15-5D-08-00-01", NULL);
  pod(net, "azhost", "tunnel", "t2", "e2", "10.240.0.82/16", "00-15-5D-08-00-02", NULL);
  sim_trace *trace;
  assert_int_equal(sim_trace_create(&trace), SIM_OK);
  r = probe(net, from_port("azhost", "e1", "10.240.0.82", SIM_IPPROTO_TCP, 80), trace);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_int_equal(r.finished - r.started, 2 * VNET_LATENCY);
  char lines[4096];
  hop_lines(trace, lines, sizeof lines);
  assert_non_null(strstr(lines, "fwd azhost//tunnel vswitch\n"
                                "fwd azhost//tunnel mac-rewrite\n"
                                "fwd azhost//Ethernet nic-out\n"
                                "fwd //vnet segment\n"
                                "fwd azhost//Ethernet nic-in\n"));
  sim_trace_destroy(trace);
}

/* A cloud subnet knows only its NICs' addresses: a Transparent endpoint
 * on it is no neighbour. Reached through the router's user-defined route
 * and the host's route to its pods it answers; without the route the
 * router says where it stops; and the router never hands a frame to an
 * address the cloud does not know. */
static void cloud_segment_routes_what_it_does_not_know(void **state) {
  cluster *c = *state;
  sim_net *net = c->net;
  NET_OK(net, sim_net_port_remove(net, "node2", "ep-c"));
  NET_OK(net, sim_net_network_remove(net, "node2", "cbr0"));
  sim_network_spec t = {"transparent", SIM_NET_TRANSPARENT, "Ethernet", NULL, NULL};
  NET_OK(net, sim_net_network_add(net, "node2", &t));
  sim_port_spec p = {"ep-t", "transparent", {pfx("10.244.9.5/24"), {{0, {0}}, 0}}, mac_of("00-15-5D-02-00-95")};
  NET_OK(net, sim_net_port_add(net, "node2", &p));
  NET_OK(net, sim_net_compartment_add(net, "node2", "pod-t"));
  NET_OK(net, sim_net_port_attach(net, "node2", "ep-t", "pod-t"));
  route(net, "node2", "pod-t", "0.0.0.0/0", "10.244.9.1", "ep-t", 0);
  route(net, "lnx", SIM_HOST_COMPARTMENT, "10.244.9.0/24", NULL, "eth0", 0); /* on-link, as on a LAN */
  /* A LAN: the request reaches the endpoint, a neighbour on the segment
   * under its own address (its reply then finds no gateway). */
  sim_probe_result r = probe(net, from_host("lnx", "10.244.9.5", SIM_IPPROTO_ICMP, 0), NULL);
  assert_true(r.reached);
  NET_OK(net, sim_net_segment_set_cloud(net, "vnet", 1));
  /* The cloud: lnx's frame goes to router azure, which has no route. */
  r = probe(net, from_host("lnx", "10.244.9.5", SIM_IPPROTO_ICMP, 0), NULL);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_false(r.reached);
  assert_string_equal(r.reason, "no route to 10.244.9.5 at router azure");
  /* A UDR to an address no VM has: the router does not hand it over. */
  sim_prefix d = pfx("10.244.9.0/24");
  sim_ip wrong = ip_of("10.240.0.99");
  NET_OK(net, sim_net_router_route_add(net, "azure", &d, &wrong, 0, "udr to nobody"));
  r = probe(net, from_host("lnx", "10.244.9.5", SIM_IPPROTO_ICMP, 0), NULL);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "cloud subnet vnet has no NIC with 10.240.0.99 (router azure)");
  /* The UDR to node2 and node2's route to its pods: the endpoint answers. */
  sim_ip node2 = ip_of("10.240.0.5");
  NET_OK(net, sim_net_router_route_remove(net, "azure", &d, &wrong));
  NET_OK(net, sim_net_router_route_add(net, "azure", &d, &node2, 0, "udr 10.244.9.0/24"));
  route(net, "node2", SIM_HOST_COMPARTMENT, "10.244.9.0/24", NULL, "Ethernet", 0);
  route(net, "node2", "pod-t", "10.240.0.0/16", NULL, "ep-t", 0);
  r = probe(net, from_host("lnx", "10.244.9.5", SIM_IPPROTO_ICMP, 0), NULL);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  REFUSED(net, sim_net_segment_set_cloud(net, "vnet", 2), SIM_E_INVAL, "segment \"vnet\": cloud 2 is not 0 or 1");
  REFUSED(net, sim_net_segment_set_cloud(net, "nowhere", 1), SIM_E_NOTFOUND, "segment \"nowhere\": no such segment");
}

/* Hosts and a host's interfaces come back in name order, whatever order
 * they were made in, with each interface's kind, compartment and address. */
static void hosts_and_interfaces_listed_in_name_order(void **state) {
  cluster *c = *state;
  sim_host_info hosts[8];
  size_t n;
  NET_OK(c->net, sim_net_hosts(c->net, hosts, 8, &n));
  assert_int_equal(n, 4);
  assert_string_equal(hosts[0].name, "lnx");
  assert_int_equal(hosts[0].kind, SIM_HOST_LINUX);
  assert_string_equal(hosts[1].name, "node1");
  assert_int_equal(hosts[1].kind, SIM_HOST_WINDOWS);
  assert_string_equal(hosts[2].name, "node2");
  assert_string_equal(hosts[3].name, "web");
  NET_OK(c->net, sim_net_hosts(c->net, hosts, 1, &n)); /* a short array: the count, the first ones */
  assert_int_equal(n, 4);
  assert_string_equal(hosts[0].name, "lnx");

  sim_iface_info f[8];
  NET_OK(c->net, sim_net_host_ifaces(c->net, "node1", f, 8, &n));
  assert_int_equal(n, 4);
  assert_string_equal(f[0].name, "Ethernet");
  assert_int_equal(f[0].kind, SIM_IFACE_NIC);
  assert_string_equal(f[0].segment, "vnet"); /* a NIC names the segment it is cabled to */
  assert_string_equal(f[1].name, "ep-a");
  assert_int_equal(f[1].kind, SIM_IFACE_ENDPOINT);
  assert_string_equal(f[1].segment, ""); /* any other interface names none */
  assert_string_equal(f[1].compartment, "pod-a");
  char a[46];
  assert_string_equal((sim_ip_format(&f[1].addr[0].addr, a), a), "10.244.1.5");
  assert_string_equal(f[2].name, "ep-b");
  assert_string_equal(f[3].name, "vEthernet (cbr0)");
  assert_int_equal(f[3].kind, SIM_IFACE_HOST_VNIC);
  NET_OK(c->net, sim_net_host_ifaces(c->net, "lnx", f, 8, &n));
  assert_int_equal(n, 2);
  assert_int_equal(f[0].kind, SIM_IFACE_BRIDGE);
  REFUSED(c->net, sim_net_host_ifaces(c->net, "node9", f, 8, &n), SIM_E_NOTFOUND, "host \"node9\": no such host");
  REFUSED(c->net, sim_net_hosts(c->net, NULL, 1, &n), SIM_E_INVAL, "out or count: NULL");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(refusals_name_the_field_and_change_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(removals_free_names_and_addresses, setup, teardown),
    cmocka_unit_test_setup_teardown(private_and_l2tunnel_switching, setup, teardown),
    cmocka_unit_test_setup_teardown(hosts_and_interfaces_listed_in_name_order, setup, teardown),
    cmocka_unit_test_setup_teardown(cloud_segment_routes_what_it_does_not_know, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
