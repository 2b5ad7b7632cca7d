/* test_hns_model_policy.c: HNS policies mirrored into the data-plane model
 * (hnsmock/hns_model_policy.c, hns_model_netpolicy.c, hns_model_lb.c), as
 * a user sees them: after HCN calls with the JSON the CNI plugins and
 * kube-proxy send, probes show an ACL's block with its Id, OutBoundNAT's
 * SNAT and its exceptions, a ClusterIP balanced (ws2019) or tied to the
 * local backend (ws2016's profile), DSR keeping the client's address, a
 * NodePort, overlay VXLAN with VNI = VSID, a remote endpoint's removal
 * ending encapsulation, a refused policy changing neither side, and a
 * restart that loses policies taking them out of the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_lifecycle.h"
#include "hns_model.h"
#include "hns_profile.h"
#include "hns_v1.h"
#include "sim_policy.h"
#include "sim_probe.h"
#include "hns_test_calls.h"

typedef struct fx {
  sim_world *world;
  sim_net *net;
  hns_service *svc[2];
  sim_trace *trace;
} fx;

/* Windows hosts node1 (10.240.0.4) and, with two, node2 (10.240.0.5) on
 * segment "lan" 10.240.0.0/16, each with its own HNS of `profile`; a Linux
 * host "web" at 10.240.0.9 on the same segment, routing the pod /24s to
 * their nodes. */
static fx setup(const char *profile, int hosts) {
  fx f;
  memset(&f, 0, sizeof f);
  assert_int_equal(sim_world_create(1, &f.world), SIM_OK);
  assert_int_equal(sim_net_create(f.world, &f.net), SIM_OK);
  assert_int_equal(sim_net_segment_add(f.net, "lan", SIM_US(100), 0.0), SIM_OK);
  for (int i = 0; i < hosts; i++) {
    char name[16], addr[32], mac[32];
    sim_prefix a;
    sim_mac m;
    snprintf(name, sizeof name, "node%d", i + 1);
    snprintf(addr, sizeof addr, "10.240.0.%d/16", i + 4);
    snprintf(mac, sizeof mac, "00-15-5D-00-00-0%d", i + 4);
    sim_prefix_parse(addr, &a);
    sim_mac_parse(mac, &m);
    assert_int_equal(sim_net_host_add(f.net, name, SIM_HOST_WINDOWS), SIM_OK);
    assert_int_equal(sim_net_nic_add(f.net, name, "Ethernet", "lan", &a, &m), SIM_OK);
    hns_service_config cfg = {hns_profile_find(profile), name, 7 + (uint64_t)i};
    assert_int_equal(hns_service_create(&cfg, &f.svc[i]), HNS_S_OK);
    assert_int_equal(hns_service_attach_model(f.svc[i], f.net, name), HNS_S_OK);
  }
  sim_prefix w;
  sim_mac wm;
  sim_prefix_parse("10.240.0.9/16", &w);
  sim_mac_parse("00-0D-3A-00-00-09", &wm);
  assert_int_equal(sim_net_host_add(f.net, "web", SIM_HOST_LINUX), SIM_OK);
  assert_int_equal(sim_net_nic_add(f.net, "web", "eth0", "lan", &w, &wm), SIM_OK);
  for (int i = 0; i < 2; i++) {
    sim_route_spec r = {SIM_HOST_COMPARTMENT, {{4, {10, 244, (uint8_t)(i + 1), 0}}, 24}, {4, {10, 240, 0, (uint8_t)(i + 4)}},
                        "eth0", 0, NULL};
    assert_int_equal(sim_net_route_add(f.net, "web", &r), SIM_OK);
  }
  assert_int_equal(sim_trace_create(&f.trace), SIM_OK);
  return f;
}

static void teardown(fx *f) {
  sim_trace_destroy(f->trace);
  for (int i = 0; i < 2; i++)
    if (f->svc[i]) hns_service_destroy(f->svc[i]);
  sim_net_destroy(f->net);
  sim_world_destroy(f->world);
}

static void id_of(hns_handle *h, char out[37]) {
  cJSON *j = query(h);
  snprintf(out, 37, "%s", cJSON_GetObjectItem(j, "ID")->valuestring);
  cJSON_Delete(j);
}

static hns_hr modify(hns_handle *h, const char *body) { return hns_modify(h, body, NULL); }

#define ADD_EP "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}"

/* The SDN scripts' L2Bridge node (consumers §3.1): network cbr0 on
 * 10.244.N.0/24, the host endpoint cbr0_ep at .2 attached to the host. */
static hns_handle *l2bridge(fx *f, int i) {
  char json[512], id[37], path[80], *resp = NULL;
  snprintf(json, sizeof json,
           "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.%d.0/24\","
           "\"Routes\":[{\"NextHop\":\"10.244.%d.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}",
           i + 1, i + 1);
  hns_handle *net = create(f->svc[i], HNS_NETWORK, NULL, json);
  snprintf(json, sizeof json, "{\"Name\":\"cbr0_ep\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.%d.2\"}]}", i + 1);
  hns_handle *ep = create(f->svc[i], HNS_ENDPOINT, net, json);
  id_of(ep, id);
  snprintf(path, sizeof path, "/endpoints/%s/attach", id);
  assert_int_equal(hns_call(f->svc[i], "POST", path, "{\"SystemType\":\"Host\",\"CompartmentId\":1}", &resp), HNS_S_OK);
  free(resp);
  hns_close(ep);
  return net;
}

/* A pod as win-bridge's v2 path makes it (consumers §2.1): its endpoint
 * "name" at ip with the gateway `gw` and `policies` (a JSON array), in a
 * namespace of its own. Returns the endpoint; its ID in id. */
static hns_handle *pod(fx *f, int i, hns_handle *net, const char *name, const char *ip, const char *gw,
                       const char *policies, char id[37]) {
  char json[2048], body[160];
  snprintf(json, sizeof json,
           "{\"Name\":\"%s\",\"IpConfigurations\":[{\"IpAddress\":\"%s\"}],"
           "\"Routes\":[{\"NextHop\":\"%s\",\"DestinationPrefix\":\"0.0.0.0/0\"}],\"Policies\":%s}",
           name, ip, gw, policies);
  hns_handle *ep = create(f->svc[i], HNS_ENDPOINT, net, json);
  hns_handle *ns = create(f->svc[i], HNS_NAMESPACE, NULL, "{\"Type\":\"HostDefault\"}");
  id_of(ep, id);
  snprintf(body, sizeof body, ADD_EP, id);
  assert_int_equal(modify(ns, body), HNS_S_OK);
  hns_close(ns);
  return ep;
}

static sim_probe_result probe(fx *f, const char *host, const char *port, const char *dst, uint8_t proto, uint16_t dport,
                              uint16_t sport) {
  sim_probe_spec s = {host, port, NULL, {0, {0}}, proto, dport, sport, 0};
  sim_probe_result r;
  assert_int_equal(sim_ip_parse(dst, &s.dst), 0);
  if (sim_probe_run(f->net, &s, f->trace, &r)) fail_msg("probe: %s", sim_net_last_error(f->net));
  return r;
}

static const char *ip_text(const sim_ip *ip, char out[46]) {
  sim_ip_format(ip, out);
  return out;
}

/* The first hop of the request leg at `stage`, or NULL. */
static int find_hop(fx *f, const char *stage, sim_hop *out) {
  for (size_t i = 0; i < sim_trace_count(f->trace); i++)
    if (!sim_trace_hop(f->trace, i, out) && out->leg == SIM_LEG_FORWARD && !strcmp(out->stage, stage)) return 1;
  return 0;
}

/* Calico-shaped rules (docs/dataplane.md "ACL stage"): TCP 81 blocked at
 * 100 above allow-all at 1000, both ways. */
#define ACL_ALLOW(dir) \
  "{\"Type\":\"ACL\",\"Settings\":{\"Id\":\"allow-" dir "\",\"Action\":\"Allow\",\"Direction\":\"" dir "\",\"RuleType\":\"Switch\",\"Priority\":1000}}"
#define ACL_DENY_81 \
  "{\"Type\":\"ACL\",\"Settings\":{\"Id\":\"deny-81\",\"Protocols\":\"6\",\"Action\":\"Block\",\"Direction\":\"In\"," \
  "\"LocalPorts\":\"81\",\"RuleType\":\"Switch\",\"Priority\":100}}"

static void test_acl_blocks_with_its_id(void **state) {
  (void)state;
  fx f = setup("ws2019", 1);
  hns_handle *net = l2bridge(&f, 0);
  char a[37], b[37];
  hns_handle *ea = pod(&f, 0, net, "pod-a", "10.244.1.5", "10.244.1.2", "[]", a);
  hns_handle *eb = pod(&f, 0, net, "pod-b", "10.244.1.6", "10.244.1.2", "[" ACL_ALLOW("In") "," ACL_ALLOW("Out") "," ACL_DENY_81 "]", b);
  sim_probe_result r = probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 81, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_non_null(strstr(r.reason, "acl"));
  assert_non_null(strstr(r.reason, "deny-81"));
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 80, 0).verdict, SIM_PROBE_DELIVERED);

  /* A rule the model refuses names its field and value in HNS's answer. */
  assert_int_equal(modify(eb, "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":"
                              "[{\"Type\":\"ACL\",\"Settings\":{\"Id\":\"x\",\"Action\":\"Allow\",\"Direction\":\"In\","
                              "\"LocalPorts\":\"0\",\"RuleType\":\"Switch\",\"Priority\":10}}]}}"),
                   HNS_E_UNEXPECTED);
  assert_non_null(strstr(hns_service_last_detail(f.svc[0]), "LocalPorts: \"0\" is not a port"));
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 81, 0).verdict, SIM_PROBE_DROPPED);

  /* Removing the ACL policies (a modify) takes the block away. */
  assert_int_equal(modify(eb, "{\"ResourceType\":\"Policy\",\"RequestType\":\"Remove\",\"Settings\":{\"Policies\":"
                              "[{\"Type\":\"ACL\",\"Settings\":{}}]}}"),
                   HNS_S_OK);
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 81, 0).verdict, SIM_PROBE_DELIVERED);
  hns_close(ea);
  hns_close(eb);
  hns_close(net);
  teardown(&f);
}

/* An endpoint made with HNSCall (WS2016, 1709: no HCN v2 API) on network
 * `network` at ip with v1 `policies`, attached to the container `name`. */
static void v1_pod(fx *f, const char *network, const char *name, const char *ip, const char *policies) {
  char body[1024], path[80], id[37], *resp = NULL;
  snprintf(body, sizeof body, "{\"Name\":\"%s\",\"VirtualNetworkName\":\"%s\",\"IPAddress\":\"%s\",\"Policies\":%s}", name,
           network, ip, policies);
  if (hns_call(f->svc[0], "POST", "/endpoints", body, &resp) != HNS_S_OK) fail_msg("%s", hns_service_last_detail(f->svc[0]));
  cJSON *j = cJSON_Parse(resp);
  snprintf(id, sizeof id, "%s", cJSON_GetObjectItem(cJSON_GetObjectItem(j, "Output"), "ID")->valuestring);
  cJSON_Delete(j);
  free(resp);
  snprintf(path, sizeof path, "/endpoints/%s/attach", id);
  snprintf(body, sizeof body, "{\"ContainerId\":\"%s\",\"SystemType\":\"Container\"}", name);
  assert_int_equal(hns_call(f->svc[0], "POST", path, body, &resp), HNS_S_OK);
  free(resp);
}

static void v1_network(fx *f, const char *body) {
  char *resp = NULL;
  if (hns_call(f->svc[0], "POST", "/networks", body, &resp) != HNS_S_OK) fail_msg("%s", hns_service_last_detail(f->svc[0]));
  free(resp);
}

/* 1709 has no network policy (docs/profiles.md): an ACL is accepted and
 * blocks nothing. */
static void test_acl_ignored_without_network_policy(void **state) {
  (void)state;
  fx f = setup("1709", 1);
  v1_network(&f, "{\"Name\":\"cbr0\",\"Type\":\"l2bridge\",\"Subnets\":[{\"AddressPrefix\":\"10.244.1.0/24\","
                 "\"GatewayAddress\":\"10.244.1.1\"}]}");
  v1_pod(&f, "cbr0", "pod-a", "10.244.1.5", "[]");
  v1_pod(&f, "cbr0", "pod-b", "10.244.1.6",
         "[{\"Type\":\"ACL\",\"Id\":\"deny-81\",\"Protocols\":\"6\",\"Action\":\"Block\",\"Direction\":\"In\","
         "\"LocalPorts\":\"81\",\"RuleType\":\"Switch\",\"Priority\":100}]");
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 81, 0).verdict, SIM_PROBE_DELIVERED);
  teardown(&f);
}

/* win-bridge's OutBoundNAT (cniplugins_win-bridge_sample-v2.conf): a pod
 * leaves with the node's address unless the destination is an exception. */
static void test_outbound_nat_and_its_exceptions(void **state) {
  (void)state;
  fx f = setup("ws2019", 1);
  hns_handle *net = l2bridge(&f, 0);
  char a[37], b[37], t[46];
  hns_handle *ea = pod(&f, 0, net, "pod-a", "10.244.1.5", "10.244.1.2",
                       "[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.244.0.0/16\",\"10.96.0.0/12\"]}}]", a);
  hns_handle *eb = pod(&f, 0, net, "pod-b", "10.244.1.6", "10.244.1.2",
                       "[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.244.0.0/16\",\"10.240.0.0/16\"]}}]", b);
  sim_probe_result r = probe(&f, "node1", "pod-a", "10.240.0.9", SIM_IPPROTO_TCP, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(ip_text(&r.received.src, t), "10.240.0.4");
  assert_string_equal(ip_text(&r.reply_received.src, t), "10.240.0.9");
  assert_string_equal(ip_text(&r.reply_received.dst, t), "10.244.1.5");
  sim_hop h;
  assert_true(find_hop(&f, "nat", &h));
  assert_string_equal(h.rule, "pod-a OutBoundNAT[0]");
  r = probe(&f, "node1", "pod-b", "10.240.0.9", SIM_IPPROTO_TCP, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(ip_text(&r.received.src, t), "10.244.1.6");
  hns_close(ea);
  hns_close(eb);
  hns_close(net);
  teardown(&f);
}

/* kube-proxy's ClusterIP LB (consumers §1.4): InternalPort = targetPort,
 * ExternalPort = the service port, the backends' endpoint IDs. */
static hns_handle *cluster_ip(fx *f, int i, const char *ids, unsigned flags) {
  char json[512];
  snprintf(json, sizeof json,
           "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"HostComputeEndpoints\":[%s],\"FrontendVIPs\":[\"10.96.0.50\"],"
           "\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":80,\"DistributionType\":0,\"Flags\":0}],"
           "\"Flags\":%u}",
           ids, flags);
  return create(f->svc[i], HNS_LOADBALANCER, NULL, json);
}

static void test_cluster_ip_balanced_on_ws2019(void **state) {
  (void)state;
  fx f = setup("ws2019", 1);
  hns_handle *net = l2bridge(&f, 0);
  char a[37], b[37], c[37], ids[128], t[46];
  hns_handle *ea = pod(&f, 0, net, "pod-a", "10.244.1.5", "10.244.1.2", "[]", a);
  hns_handle *eb = pod(&f, 0, net, "pod-b", "10.244.1.6", "10.244.1.2", "[]", b);
  hns_handle *ec = pod(&f, 0, net, "pod-c", "10.244.1.7", "10.244.1.2", "[]", c);
  snprintf(ids, sizeof ids, "\"%s\",\"%s\"", b, c);
  hns_handle *lb = cluster_ip(&f, 0, ids, 0);
  int seen_b = 0, seen_c = 0;
  for (uint16_t sport = 50000; sport < 50032; sport++) {
    sim_probe_result r = probe(&f, "node1", "pod-a", "10.96.0.50", SIM_IPPROTO_TCP, 80, sport);
    assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
    assert_int_equal(r.received.dport, 8080);
    assert_string_equal(ip_text(&r.reply_received.src, t), "10.96.0.50");
    seen_b += !strcmp(ip_text(&r.received.dst, t), "10.244.1.6");
    seen_c += !strcmp(t, "10.244.1.7");
  }
  assert_int_equal(seen_b + seen_c, 32);
  assert_true(seen_b > 0 && seen_c > 0);

  /* Deleting the LB takes the VIP away from new connections (a tracked one
   * keeps its translation until it expires, docs/dataplane.md). */
  char lb_id[37];
  hns_guid g;
  id_of(lb, lb_id);
  hns_close(lb);
  hns_guid_parse(lb_id, &g);
  assert_int_equal(hns_delete(f.svc[0], HNS_LOADBALANCER, &g, NULL), HNS_S_OK);
  sim_probe_result r = probe(&f, "node1", "pod-a", "10.96.0.50", SIM_IPPROTO_TCP, 80, 51000);
  assert_int_not_equal(r.verdict, SIM_PROBE_DELIVERED);
  hns_close(ea);
  hns_close(eb);
  hns_close(ec);
  hns_close(net);
  teardown(&f);
}

/* ws2016's profile reaches the model: a VIP there is tied to the local
 * backend and never balanced (the seed), whatever the flow. WS2016 has no
 * HNS load balancer, so the LB is put in the model directly, as
 * `hnsim trace service-vip` does for that profile. */
static void test_ws2016_vip_tied_to_the_local_backend(void **state) {
  (void)state;
  fx f = setup("ws2016", 1);
  char t[46];
  v1_network(&f, "{\"Name\":\"transparent\",\"Type\":\"transparent\",\"Subnets\":[{\"AddressPrefix\":\"10.244.1.0/24\"}]}");
  v1_pod(&f, "transparent", "pod-a", "10.244.1.5", "[]");
  v1_pod(&f, "transparent", "pod-b", "10.244.1.6", "[]");
  sim_route_spec svc_route = {"pod-a", {{4, {10, 96, 0, 0}}, 12}, {0, {0}}, "pod-a", 0, NULL};
  assert_int_equal(sim_net_route_add(f.net, "node1", &svc_route), SIM_OK);
  sim_ip vip;
  sim_ip_parse("10.96.0.50", &vip);
  sim_lb_mapping m = {6, 8080, 80, 0, 0};
  sim_lb_backend be[2] = {{{4, {10, 244, 2, 5}}, 0}, {{4, {10, 244, 1, 6}}, 1}};
  sim_lb_spec spec = {"svc", &vip, 1, &m, 1, be, 2, 0, NULL, 0, 0};
  assert_int_equal(sim_policy_lb_add(f.net, "node1", &spec), SIM_OK);
  for (uint16_t sport = 50000; sport < 50016; sport++) {
    sim_probe_result r = probe(&f, "node1", "pod-a", "10.96.0.50", SIM_IPPROTO_TCP, 80, sport);
    assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
    assert_string_equal(ip_text(&r.received.dst, t), "10.244.1.6");
  }
  teardown(&f);
}

/* A DSR LB (kube-proxy --enable-dsr): the backend sees the client's own
 * address, and the client the VIP's reply. */
static void test_dsr_keeps_the_client_address(void **state) {
  (void)state;
  fx f = setup("ws2019", 1);
  hns_handle *net = l2bridge(&f, 0);
  char a[37], b[37], t[46];
  hns_handle *ea = pod(&f, 0, net, "pod-a", "10.244.1.5", "10.244.1.2", "[]", a);
  hns_handle *eb = pod(&f, 0, net, "pod-b", "10.244.1.6", "10.244.1.2", "[]", b);
  char ids[64];
  snprintf(ids, sizeof ids, "\"%s\"", b);
  hns_handle *lb = cluster_ip(&f, 0, ids, 1);
  sim_probe_result r = probe(&f, "node1", "pod-a", "10.96.0.50", SIM_IPPROTO_TCP, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(ip_text(&r.received.src, t), "10.244.1.5");
  assert_string_equal(ip_text(&r.received.dst, t), "10.244.1.6");
  assert_string_equal(ip_text(&r.reply_received.src, t), "10.96.0.50");
  hns_close(lb);
  hns_close(ea);
  hns_close(eb);
  hns_close(net);
  teardown(&f);
}

/* kube-proxy's NodePort LB: no FrontendVIPs, flags VipExternalIP (16, its
 * own) + LocalRoutedVIP (2); a machine on the LAN reaches the pod through
 * the node's address. */
static void test_nodeport_from_outside(void **state) {
  (void)state;
  fx f = setup("ws2019", 1);
  hns_handle *net = l2bridge(&f, 0);
  char b[37], json[512], t[46];
  hns_handle *eb = pod(&f, 0, net, "pod-b", "10.244.1.6", "10.244.1.2", "[]", b);
  snprintf(json, sizeof json,
           "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"HostComputeEndpoints\":[\"%s\"],"
           "\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":30080,\"Flags\":18}]}",
           b);
  hns_handle *lb = create(f.svc[0], HNS_LOADBALANCER, NULL, json);
  sim_probe_result r = probe(&f, "web", NULL, "10.240.0.4", SIM_IPPROTO_TCP, 30080, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(ip_text(&r.received.dst, t), "10.244.1.6");
  assert_int_equal(r.received.dport, 8080);
  assert_string_equal(ip_text(&r.reply_received.src, t), "10.240.0.4");
  assert_int_equal(r.reply_received.sport, 30080);
  hns_close(lb);
  hns_close(eb);
  hns_close(net);
  teardown(&f);
}

/* flannel's vxlan backend (device_windows.go): an Overlay network with the
 * subnet's VSID policy 4096 and the node's lease as its subnet. */
static hns_handle *overlay(fx *f, int i) {
  char json[768];
  snprintf(json, sizeof json,
           "{\"Name\":\"vxlan0\",\"Type\":\"Overlay\",\"Flags\":8,\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
           "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"10.244.%d.0/24\","
           "\"Routes\":[{\"NextHop\":\"10.244.%d.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}],"
           "\"Policies\":[{\"Type\":\"VSID\",\"Settings\":{\"IsolationId\":4096}}]}]}],"
           "\"Policies\":[{\"Type\":\"NetAdapterName\",\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"}}]}",
           i + 1, i + 1);
  return create(f->svc[i], HNS_NETWORK, NULL, json);
}

static void test_overlay_pod_to_pod_and_remote_endpoint_removal(void **state) {
  (void)state;
  fx f = setup("ws2019", 2);
  hns_handle *n1 = overlay(&f, 0), *n2 = overlay(&f, 1);
  char a[37], c[37], t[46];
  hns_handle *ea = pod(&f, 0, n1, "pod-a", "10.244.1.5", "10.244.1.1", "[]", a);
  hns_handle *ec = pod(&f, 1, n2, "pod-c", "10.244.2.5", "10.244.2.1", "[]", c);
  /* flannel on node2 learns node1's lease (vxlan_network_windows.go). */
  assert_int_equal(modify(n2, "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":"
                              "\"RemoteSubnetRoute\",\"Settings\":{\"DestinationPrefix\":\"10.244.1.0/24\",\"IsolationId\":4096,"
                              "\"ProviderAddress\":\"10.240.0.4\",\"DistributedRouterMacAddress\":\"00-15-5D-BB-00-04\"}}]}}"),
                   HNS_S_OK);
  /* kube-proxy on node1 knows pod-c as a remote endpoint with its PA. */
  hns_handle *remote = create(f.svc[0], HNS_ENDPOINT, n1,
                              "{\"Name\":\"remote-pod-c\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.2.5\"}],"
                              "\"MacAddress\":\"02-11-0A-F4-02-05\",\"Flags\":1,"
                              "\"Policies\":[{\"Type\":\"ProviderAddress\",\"Settings\":{\"ProviderAddress\":\"10.240.0.5\"}}]}");
  sim_probe_result r = probe(&f, "node1", "pod-a", "10.244.2.5", SIM_IPPROTO_TCP, 80, 0);
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_string_equal(ip_text(&r.received.src, t), "10.244.1.5");
  sim_hop h;
  assert_true(find_hop(&f, "encap", &h));
  assert_string_equal(h.host, "node1");
  assert_non_null(strstr(h.reason, "VNI 4096"));
  assert_non_null(strstr(h.reason, "10.240.0.4 -> 10.240.0.5"));
  assert_true(find_hop(&f, "decap", &h));
  assert_string_equal(h.host, "node2");
  assert_string_equal(h.rule, "VNI 4096");

  /* The remote endpoint deleted: nothing encapsulates node1's packets. */
  char rid[37];
  hns_guid g;
  id_of(remote, rid);
  hns_close(remote);
  hns_guid_parse(rid, &g);
  assert_int_equal(hns_delete(f.svc[0], HNS_ENDPOINT, &g, NULL), HNS_S_OK);
  r = probe(&f, "node1", "pod-a", "10.244.2.5", SIM_IPPROTO_TCP, 80, 0);
  assert_int_not_equal(r.verdict, SIM_PROBE_DELIVERED);
  assert_false(find_hop(&f, "encap", &h));
  hns_close(ea);
  hns_close(ec);
  hns_close(n1);
  hns_close(n2);
  teardown(&f);
}

/* An ACL whose LocalPorts the model cannot read: the modify fails with
 * E_UNEXPECTED, the endpoint keeps its policies, the model its rules. */
static void test_refused_policy_changes_nothing(void **state) {
  (void)state;
  fx f = setup("ws2019", 1);
  hns_handle *net = l2bridge(&f, 0);
  char a[37], b[37];
  hns_handle *ea = pod(&f, 0, net, "pod-a", "10.244.1.5", "10.244.1.2", "[]", a);
  hns_handle *eb = pod(&f, 0, net, "pod-b", "10.244.1.6", "10.244.1.2",
                       "[" ACL_ALLOW("In") "," ACL_ALLOW("Out") "," ACL_DENY_81 "]", b);
  cJSON *before = query(eb);
  char *er = NULL;
  hns_hr hr = hns_modify(eb,
                         "{\"ResourceType\":\"Policy\",\"RequestType\":\"Update\",\"Settings\":{\"Policies\":[{\"Type\":\"ACL\","
                         "\"Settings\":{\"Id\":\"web\",\"Action\":\"Allow\",\"Direction\":\"In\",\"LocalPorts\":\"http\"}}]}}",
                         &er);
  assert_int_equal(hr, HNS_E_UNEXPECTED);
  assert_non_null(er);
  free(er);
  assert_non_null(strstr(hns_service_last_detail(f.svc[0]), "LocalPorts"));
  cJSON *after = query(eb);
  assert_true(cJSON_Compare(before, after, 1));
  cJSON_Delete(before);
  cJSON_Delete(after);
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 81, 0).verdict, SIM_PROBE_DROPPED);
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 80, 0).verdict, SIM_PROBE_DELIVERED);

  /* A policy type the model has no stage for is refused at create, and the
   * endpoint does not exist afterwards on either side. */
  hns_handle *h = NULL;
  hr = hns_create(f.svc[0], HNS_ENDPOINT, net, NULL,
                  "{\"Name\":\"pod-x\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.9\"}],"
                  "\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"not-a-prefix\"]}}]}",
                  &h, NULL);
  assert_int_equal(hr, HNS_E_UNEXPECTED);
  assert_null(h);
  char *ids = NULL;
  assert_int_equal(hns_enumerate(f.svc[0], HNS_ENDPOINT, "{\"Filter\":\"{\\\"Name\\\":\\\"pod-x\\\"}\"}", &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, "[]");
  free(ids);
  sim_probe_spec s = {"node1", "pod-x", NULL, {4, {10, 244, 1, 5}}, SIM_IPPROTO_TCP, 80, 0, 0};
  sim_probe_result r;
  assert_int_equal(sim_probe_run(f.net, &s, NULL, &r), SIM_E_NOTFOUND);
  hns_close(ea);
  hns_close(eb);
  hns_close(net);
  teardown(&f);
}

/* ws2019's HNS restart loses policies (WC#19): the model loses the ACL
 * and the load balancer with them, and the endpoints still carry traffic. */
static void test_restart_losing_policies_leaves_the_model(void **state) {
  (void)state;
  fx f = setup("ws2019", 1);
  hns_handle *net = l2bridge(&f, 0);
  char a[37], b[37], ids[64];
  hns_handle *ea = pod(&f, 0, net, "pod-a", "10.244.1.5", "10.244.1.2", "[]", a);
  hns_handle *eb = pod(&f, 0, net, "pod-b", "10.244.1.6", "10.244.1.2", "[" ACL_ALLOW("In") "," ACL_ALLOW("Out") "," ACL_DENY_81 "]", b);
  snprintf(ids, sizeof ids, "\"%s\"", b);
  hns_handle *lb = cluster_ip(&f, 0, ids, 0);
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 81, 0).verdict, SIM_PROBE_DROPPED);
  assert_int_equal(probe(&f, "node1", "pod-a", "10.96.0.50", SIM_IPPROTO_TCP, 80, 50000).verdict, SIM_PROBE_DELIVERED);
  hns_lifecycle_report rep;
  assert_int_equal(hns_service_restart(f.svc[0], HNS_REHYDRATE_PROFILE, &rep), HNS_S_OK);
  assert_int_equal(probe(&f, "node1", "pod-a", "10.244.1.6", SIM_IPPROTO_TCP, 81, 0).verdict, SIM_PROBE_DELIVERED);
  assert_int_not_equal(probe(&f, "node1", "pod-a", "10.96.0.50", SIM_IPPROTO_TCP, 80, 50001).verdict, SIM_PROBE_DELIVERED);
  hns_close(lb);
  hns_close(ea);
  hns_close(eb);
  hns_close(net);
  teardown(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_acl_blocks_with_its_id),
      cmocka_unit_test(test_acl_ignored_without_network_policy),
      cmocka_unit_test(test_outbound_nat_and_its_exceptions),
      cmocka_unit_test(test_cluster_ip_balanced_on_ws2019),
      cmocka_unit_test(test_ws2016_vip_tied_to_the_local_backend),
      cmocka_unit_test(test_dsr_keeps_the_client_address),
      cmocka_unit_test(test_nodeport_from_outside),
      cmocka_unit_test(test_overlay_pod_to_pod_and_remote_endpoint_removal),
      cmocka_unit_test(test_refused_policy_changes_nothing),
      cmocka_unit_test(test_restart_losing_policies_leaves_the_model),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
