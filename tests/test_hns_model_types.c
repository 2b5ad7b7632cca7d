/* test_hns_model_types.c: one test per HNS network type, end to end
 * through the simulated HNS (hnsmock/hns_model*.c into sim/): a network
 * of the type made with HCN v2 JSON on a Windows host whose NIC sits on
 * the fabric `hnsim trace` uses (cli/topology_build.c topo_fabric: the VNet
 * 10.240.0.0/16 behind router "azure", the internet behind it with "web"
 * at 203.0.113.10), two endpoints in namespaces of their own, and what a
 * user reads from probes: the verdict, the reason where it is not
 * delivered, the 5-tuple the receiver got (SNAT shows there) and the hops
 * that mark the type, in order. Each type's behaviour and its source are
 * in docs/dataplane.md "Network types". */
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_model.h"
#include "hns_profile.h"
#include "net_fixture.h"
#include "hns_test_calls.h"

#define ADD_EP "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}"
#define PORT_MAPPING_8080_TO_80                                                                  \
  "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":\"PortMapping\"," \
  "\"Settings\":{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":8080}}]}}"
#define WEB "203.0.113.10"
#define NODE1 "10.240.0.4"

typedef struct fx {
  sim_world *world;
  sim_net *net;
  hns_service *svc[2];
  sim_trace *trace;
  hns_handle *h[12]; /* closed at teardown */
  size_t nh;
} fx;

/* The fabric of topo_fabric with `hosts` Windows hosts on the VNet: nodeN
 * at 10.240.0.(N+3)/16, default route via the router, its own HNS
 * (ws2022, where every type exists: hns_profile.c) attached to the model. */
static fx setup(int hosts) {
  fx f;
  memset(&f, 0, sizeof f);
  assert_int_equal(sim_world_create(1, &f.world), SIM_OK);
  assert_int_equal(sim_net_create(f.world, &f.net), SIM_OK);
  sim_net *net = f.net;
  NET_OK(net, sim_net_segment_add(net, "vnet", VNET_LATENCY, 0.0));
  NET_OK(net, sim_net_segment_add(net, "internet", INET_LATENCY, 0.0));
  NET_OK(net, sim_net_router_add(net, "azure"));
  sim_prefix gw = pfx("10.240.0.1/16"), inet = pfx("203.0.113.1/24");
  NET_OK(net, sim_net_router_iface_add(net, "azure", "vnet", "vnet", &gw));
  NET_OK(net, sim_net_router_iface_add(net, "azure", "internet", "internet", &inet));
  NET_OK(net, sim_net_host_add(net, "web", SIM_HOST_LINUX));
  nic(net, "web", "eth0", "internet", WEB "/24", "00-0D-3A-00-00-10");
  route(net, "web", SIM_HOST_COMPARTMENT, "0.0.0.0/0", "203.0.113.1", "eth0", 0);
  for (int i = 0; i < hosts; i++) {
    char name[16], addr[32], mac[32];
    snprintf(name, sizeof name, "node%d", i + 1);
    snprintf(addr, sizeof addr, "10.240.0.%d/16", i + 4);
    snprintf(mac, sizeof mac, "00-15-5D-00-00-0%d", i + 4);
    NET_OK(net, sim_net_host_add(net, name, SIM_HOST_WINDOWS));
    nic(net, name, "Ethernet", "vnet", addr, mac);
    route(net, name, SIM_HOST_COMPARTMENT, "0.0.0.0/0", "10.240.0.1", "Ethernet", 0);
    hns_service_config cfg = {hns_profile_find("ws2022"), name, 7 + (uint64_t)i};
    assert_int_equal(hns_service_create(&cfg, &f.svc[i]), HNS_S_OK);
    assert_int_equal(hns_service_attach_model(f.svc[i], net, name), HNS_S_OK);
  }
  assert_int_equal(sim_trace_create(&f.trace), SIM_OK);
  return f;
}

static void teardown(fx *f) {
  for (size_t i = 0; i < f->nh; i++) hns_close(f->h[i]);
  sim_trace_destroy(f->trace);
  for (int i = 0; i < 2; i++)
    if (f->svc[i]) hns_service_destroy(f->svc[i]);
  sim_net_destroy(f->net);
  sim_world_destroy(f->world);
}

static hns_handle *keep(fx *f, hns_handle *h) {
  assert_true(f->nh < sizeof f->h / sizeof f->h[0]);
  return f->h[f->nh++] = h;
}

/* A network of `type` named `name` on node(i+1) with one subnet and its
 * default gateway; `subnet_extra` is more of the subnet's JSON. */
static hns_handle *network(fx *f, int i, const char *name, const char *type, const char *prefix, const char *gw,
                           const char *subnet_extra) {
  char json[1024];
  snprintf(json, sizeof json,
           "{\"Name\":\"%s\",\"Type\":\"%s\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
           "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"%s\","
           "\"Routes\":[{\"NextHop\":\"%s\",\"DestinationPrefix\":\"0.0.0.0/0\"}]%s}]}]}",
           name, type, prefix, gw, subnet_extra);
  return keep(f, create(f->svc[i], HNS_NETWORK, NULL, json));
}

/* An endpoint `name` at ip with `policies` (a JSON array), added to a
 * namespace of its own: its default route is the subnet's gateway. */
static hns_handle *ns_endpoint(fx *f, int i, hns_handle *net, const char *name, const char *ip, const char *policies) {
  char json[1024], body[160], id[37];
  snprintf(json, sizeof json, "{\"Name\":\"%s\",\"IpConfigurations\":[{\"IpAddress\":\"%s\"}],\"Policies\":%s}",
           name, ip, policies);
  hns_handle *ep = keep(f, create(f->svc[i], HNS_ENDPOINT, net, json));
  hns_handle *ns = keep(f, create(f->svc[i], HNS_NAMESPACE, NULL, "{\"Type\":\"HostDefault\"}"));
  cJSON *j = query(ep);
  snprintf(id, sizeof id, "%s", cJSON_GetObjectItem(j, "ID")->valuestring);
  cJSON_Delete(j);
  snprintf(body, sizeof body, ADD_EP, id);
  assert_int_equal(hns_modify(ns, body, NULL), HNS_S_OK);
  return ep;
}

/* A TCP probe from host/port (port NULL: the host itself) to dst:dport. */
static sim_probe_result tcp(fx *f, const char *host, const char *port, const char *dst, uint16_t dport,
                            uint16_t sport) {
  sim_probe_spec s = from_port(host, port, dst, SIM_IPPROTO_TCP, dport);
  s.sport = sport;
  return probe(f->net, s, f->trace);
}

/* "stage@port stage@port ..." of one leg, the order a trace shows. */
static const char *stages(const fx *f, sim_leg leg, char *out, size_t cap) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sim_trace_count(f->trace); i++) {
    sim_hop h;
    assert_int_equal(sim_trace_hop(f->trace, i, &h), SIM_OK);
    if (h.leg != leg) continue;
    int n = snprintf(out + used, cap - used, "%s%s@%s", used ? " " : "", h.stage, h.port);
    assert_true(n > 0 && (size_t)n < cap - used);
    used += (size_t)n;
  }
  return out;
}

/* The first hop of `leg` at `stage`; fails the test when there is none. */
static sim_hop hop(const fx *f, sim_leg leg, const char *stage) {
  sim_hop h;
  memset(&h, 0, sizeof h);
  for (size_t i = 0; i < sim_trace_count(f->trace); i++)
    if (!sim_trace_hop(f->trace, i, &h) && h.leg == leg && !strcmp(h.stage, stage)) return h;
  fail_msg("no %s hop on the %s leg", stage, leg == SIM_LEG_FORWARD ? "request" : "reply");
  return h;
}

/* 1 when either leg has a hop at `stage`. */
static int has_stage(const fx *f, const char *stage) {
  sim_hop h;
  for (size_t i = 0; i < sim_trace_count(f->trace); i++)
    if (!sim_trace_hop(f->trace, i, &h) && !strcmp(h.stage, stage)) return 1;
  return 0;
}

/* The probe result's flow `field` reads `text`. */
#define FLOW(r, field, text)                                 \
  do {                                                       \
    char t_[SIM_FLOW_TEXT];                                  \
    assert_string_equal(flow_text(&(r).field, t_), (text));  \
  } while (0)
/* The leg's hops are exactly `text` (see stages). */
#define STAGES(f, leg, text)                                          \
  do {                                                                \
    char s_[2048];                                                    \
    assert_string_equal(stages((f), (leg), s_, sizeof s_), (text));   \
  } while (0)

/* NAT and ICS: an internal vSwitch whose host vNIC holds the gateway, the
 * prefix translated to the host's address at host egress (WinNAT; ICS's
 * NAT is modelled the same way, inferred), no stage at the pod's port (no
 * VFP on either), and no way in from outside but a port mapping. `name`
 * names the network, `p` is the first three octets of `prefix`, whose .1
 * is the gateway. */
static void nat_like(const char *type, const char *name, const char *prefix, const char *p) {
  fx f = setup(1);
  char gw[32], a[32], b[32], vnic[64], rule[64], want[1024];
  snprintf(gw, sizeof gw, "%s.1", p);
  snprintf(a, sizeof a, "%s.2", p);
  snprintf(b, sizeof b, "%s.3", p);
  snprintf(vnic, sizeof vnic, "vEthernet (%s)", name);
  snprintf(rule, sizeof rule, "%s WinNAT[0]", name);
  hns_handle *net = network(&f, 0, name, type, prefix, gw, "");
  hns_handle *c1 = ns_endpoint(&f, 0, net, "c1", a, "[]");
  ns_endpoint(&f, 0, net, "c2", b, "[]");

  /* Pod to pod: the vSwitch, untranslated. */
  sim_probe_result r = tcp(&f, "node1", "c1", b, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  snprintf(want, sizeof want, "route@c1 port-out@c1 vswitch@%s port-in@c2 deliver@c2", name);
  STAGES(&f, SIM_LEG_FORWARD, want);
  assert_true(sim_ip_equal(&r.received.src, &r.sent.src));

  /* Pod to the host's vNIC, its gateway. */
  r = tcp(&f, "node1", "c1", gw, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  snprintf(want, sizeof want, "route@c1 port-out@c1 vswitch@%s deliver@%s", name, vnic);
  STAGES(&f, SIM_LEG_FORWARD, want);

  /* Pod to the internet: the host forwards it and translates it where it
   * leaves by the NIC: the source becomes the host's address and a port
   * of the dynamic range; the reply gets the reverse. */
  r = tcp(&f, "node1", "c1", WEB, 80, 33000);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char sent[80];
  snprintf(sent, sizeof sent, "tcp %s:33000 -> " WEB ":80", a);
  FLOW(r, sent, sent);
  FLOW(r, received, "tcp " NODE1 ":49152 -> " WEB ":80");
  snprintf(want, sizeof want, "tcp " WEB ":80 -> %s:33000", a);
  FLOW(r, reply_received, want);
  snprintf(want, sizeof want,
           "route@c1 port-out@c1 vswitch@%s forward@%s route@Ethernet nat@Ethernet nic-out@Ethernet segment@vnet "
           "router@internet segment@internet nic-in@eth0 deliver@eth0",
           name, vnic);
  STAGES(&f, SIM_LEG_FORWARD, want);
  sim_hop h = hop(&f, SIM_LEG_FORWARD, "nat");
  assert_string_equal(h.compartment, SIM_HOST_COMPARTMENT);
  assert_string_equal(h.rule, rule);
  h = hop(&f, SIM_LEG_REPLY, "nat");
  assert_string_equal(h.port, "Ethernet");
  assert_string_equal(h.rule, rule);

  /* From outside: the pod's own address is not routed on the fabric ... */
  r = tcp(&f, "web", NULL, a, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  snprintf(want, sizeof want, "no route to %s at router azure", a);
  assert_string_equal(r.reason, want);
  /* ... and the host's port 8080 is the host's own while no mapping sends
   * it on: the host (listening on 3389 only) refuses it. */
  NET_OK(f.net, sim_net_listen(f.net, "node1", SIM_HOST_COMPARTMENT, SIM_IPPROTO_TCP, 3389));
  r = tcp(&f, "web", NULL, NODE1, 8080, 0);
  assert_int_equal(r.verdict, SIM_PROBE_REFUSED);
  FLOW(r, received, "tcp " WEB ":49152 -> " NODE1 ":8080");
  h = hop(&f, SIM_LEG_FORWARD, "nat");
  assert_string_equal(h.rule, "");
  assert_string_equal(h.reason, "no rule");
  /* A PortMapping (no flags: a WinNAT static mapping needs none) publishes
   * c1's port 80 there. */
  assert_int_equal(hns_modify(c1, PORT_MAPPING_8080_TO_80, NULL), HNS_S_OK);
  r = tcp(&f, "web", NULL, NODE1, 8080, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  snprintf(want, sizeof want, "tcp " WEB ":49152 -> %s:80", a);
  FLOW(r, received, want);
  FLOW(r, reply_received, "tcp " NODE1 ":8080 -> " WEB ":49152");
  h = hop(&f, SIM_LEG_FORWARD, "nat");
  assert_string_equal(h.port, "Ethernet");
  assert_string_equal(h.rule, "c1 PortMapping[0]");
  teardown(&f);
}

/* Docker's default network (facts §6). */
static void test_nat(void **state) {
  (void)state;
  nat_like("NAT", "nat", "172.20.0.0/24", "172.20.0");
}

/* WSL's ICS network, with the prefix and gateway of a real one
 * (microsoft/WSL#6769: "WSL", 172.18.16.0/20, gateway 172.18.16.1). */
static void test_ics(void **state) {
  (void)state;
  nat_like("ICS", "WSL", "172.18.16.0/20", "172.18.16");
}

/* An OutBoundNAT policy on an ICS endpoint is accepted and changes
 * nothing, as on a NAT network (docs/dataplane.md "Policies from HNS to
 * the model": "on a NAT network nothing (WinNAT translates)"). Fails
 * until hnsmock/hns_model_policy.c treats ICS as it treats NAT: it hands
 * the policy to the model, which refuses OutBoundNAT where there is no
 * VFP. */
static void test_ics_outbound_nat_is_accepted_like_nat(void **state) {
  (void)state;
  fx f = setup(1);
  hns_handle *net = network(&f, 0, "WSL", "ICS", "172.18.16.0/20", "172.18.16.1", "");
  ns_endpoint(&f, 0, net, "c1", "172.18.16.2",
              "[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.0.0.0/8\"]}}]");
  sim_probe_result r = tcp(&f, "node1", "c1", WEB, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  FLOW(r, received, "tcp " NODE1 ":49152 -> " WEB ":80");
  sim_hop h = hop(&f, SIM_LEG_FORWARD, "nat");
  assert_string_equal(h.port, "Ethernet");
  assert_string_equal(h.rule, "WSL WinNAT[0]");
  teardown(&f);
}

/* Transparent: the endpoints sit on the physical network with their own
 * addresses and MACs (facts §6): out with the pod's own IP, in straight to
 * it, no MAC rewritten either way. */
static void test_transparent(void **state) {
  (void)state;
  fx f = setup(1);
  hns_handle *net = network(&f, 0, "transparent", "Transparent", "10.240.0.0/16", "10.240.0.1", "");
  ns_endpoint(&f, 0, net, "p1", "10.240.0.20", "[]");
  ns_endpoint(&f, 0, net, "p2", "10.240.0.21", "[]");
  sim_probe_result r = tcp(&f, "node1", "p1", "10.240.0.21", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  STAGES(&f, SIM_LEG_FORWARD, "route@p1 port-out@p1 vswitch@transparent port-in@p2 deliver@p2");

  r = tcp(&f, "node1", "p1", WEB, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  FLOW(r, received, "tcp 10.240.0.20:49152 -> " WEB ":80");
  STAGES(&f, SIM_LEG_FORWARD,
         "route@p1 port-out@p1 vswitch@transparent nic-out@Ethernet segment@vnet router@internet segment@internet "
         "nic-in@eth0 deliver@eth0");
  STAGES(&f, SIM_LEG_REPLY,
         "route@eth0 nic-out@eth0 segment@internet router@vnet segment@vnet nic-in@Ethernet vswitch@transparent "
         "port-in@p1 deliver@p1");
  assert_false(has_stage(&f, "mac-rewrite"));

  r = tcp(&f, "web", NULL, "10.240.0.20", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  FLOW(r, received, "tcp " WEB ":49152 -> 10.240.0.20:80");
  teardown(&f);
}

/* L2Bridge in the host's subnet (facts §6: "same subnet as the host"):
 * the pod's packets leave with the host's MAC and its own IP (no
 * OutBoundNAT asked for), and arrive with the MAC rewritten back. */
static void test_l2bridge(void **state) {
  (void)state;
  fx f = setup(1);
  hns_handle *net = network(&f, 0, "l2bridge", "L2Bridge", "10.240.0.0/16", "10.240.0.1", "");
  ns_endpoint(&f, 0, net, "p1", "10.240.0.30", "[]");
  ns_endpoint(&f, 0, net, "p2", "10.240.0.31", "[]");
  sim_probe_result r = tcp(&f, "node1", "p1", "10.240.0.31", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  STAGES(&f, SIM_LEG_FORWARD, "route@p1 port-out@p1 vswitch@l2bridge port-in@p2 deliver@p2");

  r = tcp(&f, "node1", "p1", WEB, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  FLOW(r, received, "tcp 10.240.0.30:49152 -> " WEB ":80");
  STAGES(&f, SIM_LEG_FORWARD,
         "route@p1 port-out@p1 vswitch@l2bridge mac-rewrite@l2bridge nic-out@Ethernet segment@vnet router@internet "
         "segment@internet nic-in@eth0 deliver@eth0");
  STAGES(&f, SIM_LEG_REPLY,
         "route@eth0 nic-out@eth0 segment@internet router@vnet segment@vnet nic-in@Ethernet vswitch@l2bridge "
         "mac-rewrite@l2bridge port-in@p1 deliver@p1");
  sim_hop h = hop(&f, SIM_LEG_FORWARD, "mac-rewrite");
  assert_non_null(strstr(h.reason, "-> 00-15-5D-00-00-04 (the host's)"));
  h = hop(&f, SIM_LEG_REPLY, "mac-rewrite");
  assert_non_null(strstr(h.reason, "destination MAC 00-15-5D-00-00-04 -> "));
  teardown(&f);
}

/* L2Tunnel (Azure CNI): every packet of an endpoint is hair-pinned to the
 * physical host by the wire (facts §6), even one to a neighbour on the
 * same host: one VNet crossing each way. */
static void test_l2tunnel(void **state) {
  (void)state;
  fx f = setup(1);
  hns_handle *net = network(&f, 0, "azure", "L2Tunnel", "10.240.0.0/16", "10.240.0.1", "");
  ns_endpoint(&f, 0, net, "p1", "10.240.0.40", "[]");
  ns_endpoint(&f, 0, net, "p2", "10.240.0.41", "[]");
  sim_probe_result r = tcp(&f, "node1", "p1", "10.240.0.41", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  FLOW(r, received, "tcp 10.240.0.40:49152 -> 10.240.0.41:80");
  STAGES(&f, SIM_LEG_FORWARD,
         "route@p1 port-out@p1 hairpin@azure vswitch@azure mac-rewrite@azure nic-out@Ethernet segment@vnet "
         "nic-in@Ethernet vswitch@azure mac-rewrite@azure port-in@p2 deliver@p2");
  assert_int_equal(r.finished - r.started, 2 * VNET_LATENCY);
  teardown(&f);
}

/* flannel's Overlay network on two hosts (device_windows.go: VSID 4096 on
 * the subnet; vxlan_network_windows.go: a RemoteSubnetRoute per peer):
 * pod to pod across hosts is VXLAN with VNI = VSID between the hosts'
 * provider addresses, the pod's own source kept inside; a neighbour on
 * the same host is switched without encapsulation. */
static void test_overlay(void **state) {
  (void)state;
  fx f = setup(2);
  hns_handle *net[2];
  for (int i = 0; i < 2; i++) {
    char prefix[32], gw[32], route_json[512];
    snprintf(prefix, sizeof prefix, "10.244.%d.0/24", i + 1);
    snprintf(gw, sizeof gw, "10.244.%d.1", i + 1);
    net[i] = network(&f, i, "vxlan0", "Overlay", prefix, gw,
                     ",\"Policies\":[{\"Type\":\"VSID\",\"Settings\":{\"IsolationId\":4096}}]");
    snprintf(route_json, sizeof route_json,
             "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{"
             "\"Type\":\"RemoteSubnetRoute\",\"Settings\":{\"DestinationPrefix\":\"10.244.%d.0/24\","
             "\"IsolationId\":4096,\"ProviderAddress\":\"10.240.0.%d\","
             "\"DistributedRouterMacAddress\":\"00-15-5D-BB-00-0%d\"}}]}}",
             2 - i, 5 - i, 5 - i);
    assert_int_equal(hns_modify(net[i], route_json, NULL), HNS_S_OK);
  }
  ns_endpoint(&f, 0, net[0], "pod-a", "10.244.1.5", "[]");
  ns_endpoint(&f, 0, net[0], "pod-b", "10.244.1.6", "[]");
  ns_endpoint(&f, 1, net[1], "pod-c", "10.244.2.5", "[]");

  sim_probe_result r = tcp(&f, "node1", "pod-a", "10.244.1.6", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  STAGES(&f, SIM_LEG_FORWARD, "route@pod-a port-out@pod-a vswitch@vxlan0 port-in@pod-b deliver@pod-b");

  r = tcp(&f, "node1", "pod-a", "10.244.2.5", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  FLOW(r, received, "tcp 10.244.1.5:49152 -> 10.244.2.5:80");
  STAGES(&f, SIM_LEG_FORWARD,
         "route@pod-a port-out@pod-a vswitch@vxlan0 encap@Ethernet nic-out@Ethernet segment@vnet nic-in@Ethernet "
         "decap@Ethernet vswitch@vxlan0 port-in@pod-c deliver@pod-c");
  sim_hop h = hop(&f, SIM_LEG_FORWARD, "encap");
  assert_string_equal(h.host, "node1");
  assert_string_equal(h.rule, "RemoteSubnetRoute 10.244.2.0/24");
  assert_non_null(strstr(h.reason, "VNI 4096"));
  assert_non_null(strstr(h.reason, "10.240.0.4 -> 10.240.0.5"));
  h = hop(&f, SIM_LEG_FORWARD, "decap");
  assert_string_equal(h.host, "node2");
  assert_string_equal(h.rule, "VNI 4096");
  h = hop(&f, SIM_LEG_REPLY, "encap");
  assert_string_equal(h.host, "node2");
  assert_non_null(strstr(h.reason, "10.240.0.5 -> 10.240.0.4"));
  teardown(&f);
}

/* Private: no host vNIC (inferred from Hyper-V's Private switch type,
 * which connects only its VMs): endpoints reach each other, and nothing
 * answers for their gateway, so they reach neither the host nor beyond. */
static void test_private(void **state) {
  (void)state;
  fx f = setup(1);
  hns_handle *net = network(&f, 0, "private", "Private", "10.10.0.0/24", "10.10.0.1", "");
  ns_endpoint(&f, 0, net, "p1", "10.10.0.2", "[]");
  ns_endpoint(&f, 0, net, "p2", "10.10.0.3", "[]");
  sim_probe_result r = tcp(&f, "node1", "p1", "10.10.0.3", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  STAGES(&f, SIM_LEG_FORWARD, "route@p1 port-out@p1 vswitch@private port-in@p2 deliver@p2");

  r = tcp(&f, "node1", "p1", NODE1, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_string_equal(r.reason, "no endpoint or host vNIC has 10.10.0.1 on network private of host node1");
  STAGES(&f, SIM_LEG_FORWARD, "route@p1 port-out@p1 vswitch@private");
  assert_false(r.reached);
  teardown(&f);
}

/* Internal: a host-only vSwitch (facts §6: "Internal = host-only"), its
 * host vNIC holding the gateway, and no NAT (inferred). Pods reach each
 * other and the vNIC, and the host reaches them; a packet to the internet
 * leaves untranslated (the host forwards, sim_net.h), so web receives it
 * from the pod's address, and its reply dies at the router, which has no
 * route to the internal prefix: "no route" on the reply leg. */
static void test_internal(void **state) {
  (void)state;
  fx f = setup(1);
  hns_handle *net = network(&f, 0, "internal", "Internal", "192.168.50.0/24", "192.168.50.1", "");
  ns_endpoint(&f, 0, net, "p1", "192.168.50.2", "[]");
  ns_endpoint(&f, 0, net, "p2", "192.168.50.3", "[]");
  sim_probe_result r = tcp(&f, "node1", "p1", "192.168.50.3", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  STAGES(&f, SIM_LEG_FORWARD, "route@p1 port-out@p1 vswitch@internal port-in@p2 deliver@p2");

  r = tcp(&f, "node1", "p1", "192.168.50.1", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  STAGES(&f, SIM_LEG_FORWARD, "route@p1 port-out@p1 vswitch@internal deliver@vEthernet (internal)");
  r = tcp(&f, "node1", NULL, "192.168.50.2", 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  FLOW(r, received, "tcp 192.168.50.1:49152 -> 192.168.50.2:80");

  r = tcp(&f, "node1", "p1", WEB, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_NO_ROUTE);
  assert_int_equal(r.leg, SIM_LEG_REPLY);
  assert_true(r.reached);
  FLOW(r, received, "tcp 192.168.50.2:49152 -> " WEB ":80");
  assert_string_equal(r.reason, "no route to 192.168.50.2 at router azure");
  assert_false(has_stage(&f, "nat"));
  teardown(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nat),
      cmocka_unit_test(test_ics),
      cmocka_unit_test(test_ics_outbound_nat_is_accepted_like_nat),
      cmocka_unit_test(test_transparent),
      cmocka_unit_test(test_l2bridge),
      cmocka_unit_test(test_l2tunnel),
      cmocka_unit_test(test_overlay),
      cmocka_unit_test(test_private),
      cmocka_unit_test(test_internal),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
