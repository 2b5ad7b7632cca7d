/* test_hns_model.c: hnsmock mirrored into the data-plane model
 * (hnsmock/hns_model.h), as a user sees it: after HCN calls with JSON,
 * probes through the model give the expected verdicts and hops; a call
 * the model refuses fails with E_UNEXPECTED and changes neither side;
 * deletes, HNSCall detaches and a reboot take the objects out again. */
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
#include "sim_net_query.h"
#include "sim_probe.h"
#include "hns_model_host.h"
#include "hns_test_calls.h"

static const char *id_of(hns_handle *h, char out[37]) {
  cJSON *j = query(h);
  snprintf(out, 37, "%s", cJSON_GetObjectItem(j, "ID")->valuestring);
  cJSON_Delete(j);
  return out;
}

static void modify(hns_handle *h, const char *fmt, const char *id) {
  char body[256];
  snprintf(body, sizeof body, fmt, id);
  hns_hr hr = hns_modify(h, body, NULL);
  if (hr != HNS_S_OK) fail_msg("modify 0x%08X", (unsigned)hr);
}

#define ADD_EP "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}"
#define REMOVE_EP "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Remove\",\"Settings\":{\"EndpointId\":\"%s\"}}"
#define L2BRIDGE                                                                                                    \
  "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/24\","      \
  "\"Routes\":[{\"NextHop\":\"10.244.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"

/* An endpoint "name" at ip on network `net`, added to a new namespace. */
static void pod(fx *f, hns_handle *net, const char *name, const char *ip, hns_handle **ep_out, hns_handle **ns_out) {
  char json[256], id[37];
  snprintf(json, sizeof json, "{\"Name\":\"%s\",\"IpConfigurations\":[{\"IpAddress\":\"%s\"}]}", name, ip);
  hns_handle *ep = create(f->svc, HNS_ENDPOINT, net, json);
  hns_handle *ns = create(f->svc, HNS_NAMESPACE, NULL, "{\"Type\":\"HostDefault\"}");
  modify(ns, ADD_EP, id_of(ep, id));
  *ep_out = ep;
  *ns_out = ns;
}

static sim_probe_result probe_from(fx *f, const char *port, const char *dst) {
  sim_probe_spec s = {"node1", port, NULL, {0, {0}}, SIM_IPPROTO_TCP, 80, 0, 0};
  sim_probe_result r;
  assert_int_equal(sim_ip_parse(dst, &s.dst), 0);
  int rc = sim_probe_run(f->net, &s, f->trace, &r);
  if (rc) fail_msg("probe: %s", sim_net_last_error(f->net));
  return r;
}

/* "stage@port stage@port ..." of the request leg. */
static void stages(const sim_trace *t, char *out, size_t cap) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    sim_hop h;
    sim_trace_hop(t, i, &h);
    if (h.leg == SIM_LEG_FORWARD) used += (size_t)snprintf(out + used, cap - used, "%s@%s ", h.stage, h.port);
  }
}

/* Two pods on an L2Bridge network made through HCN JSON reach each other
 * through the vSwitch; the network took the host's only NIC. */
static void test_l2bridge_pods_reach_each_other(void **state) {
  (void)state;
  fx f = setup("ws2022", 7);
  hns_handle *net = create(f.svc, HNS_NETWORK, NULL, L2BRIDGE), *a, *b, *na, *nb;
  pod(&f, net, "pod-a", "10.244.1.5", &a, &na);
  pod(&f, net, "pod-b", "10.244.1.6", &b, &nb);
  sim_iface_info nic;
  assert_int_equal(sim_net_iface_info(f.net, "node1", "Ethernet", &nic), SIM_OK);
  assert_string_equal(nic.network, "cbr0");
  sim_probe_result r = probe_from(&f, "pod-a", "10.244.1.6");
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char text[1024];
  stages(f.trace, text, sizeof text);
  assert_string_equal(text, "route@pod-a port-out@pod-a vswitch@cbr0 port-in@pod-b deliver@pod-b ");
  /* Without Routes, the endpoint's default route is its subnet's gateway. */
  sim_iface_info ep;
  assert_int_equal(sim_net_iface_info(f.net, "node1", "pod-a", &ep), SIM_OK);
  assert_string_equal(ep.compartment, "ns2");
  r = probe_from(&f, "pod-a", "192.0.2.1");
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED); /* nobody answers for 10.244.1.1 on the LAN */
  assert_non_null(strstr(r.reason, "10.244.1.1"));
  hns_close(a), hns_close(b), hns_close(na), hns_close(nb), hns_close(net);
  teardown(&f);
}

/* A NAT network's host vNIC holds its gateway: a pod reaches the host. */
static void test_nat_gateway_is_the_host_vnic(void **state) {
  (void)state;
  fx f = setup("ws2022", 7);
  hns_handle *net = create(f.svc, HNS_NETWORK, NULL,
                           "{\"Name\":\"nat\",\"Type\":\"NAT\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"172.20.0.0/24\","
                           "\"Routes\":[{\"NextHop\":\"172.20.0.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}");
  hns_handle *ep, *ns;
  pod(&f, net, "c1", "172.20.0.2", &ep, &ns);
  sim_probe_result r = probe_from(&f, "c1", "10.240.0.4");
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  char text[1024];
  stages(f.trace, text, sizeof text);
  assert_non_null(strstr(text, "vswitch@nat deliver@vEthernet (nat)"));
  hns_close(ep), hns_close(ns), hns_close(net);
  teardown(&f);
}

/* The model refuses (an external network on a NIC that does not exist,
 * an endpoint named like the host's NIC): the call fails with
 * E_UNEXPECTED, the model's reason in the detail, and neither side
 * changed: the same calls done right afterwards succeed. */
static void test_refused_call_changes_nothing(void **state) {
  (void)state;
  fx f = setup("ws2022", 7);
  hns_handle *h = NULL;
  char *ids = NULL;
  hns_hr hr = hns_create(f.svc, HNS_NETWORK, NULL, NULL,
                         "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"NetAdapterName\","
                         "\"Settings\":{\"NetworkAdapterName\":\"Ethernet 2\"}}]}",
                         &h, NULL);
  assert_int_equal(hr, HNS_E_UNEXPECTED);
  assert_non_null(strstr(hns_service_last_detail(f.svc), "the data-plane model refused the network"));
  assert_non_null(strstr(hns_service_last_detail(f.svc), "Ethernet 2"));
  assert_int_equal(hns_enumerate(f.svc, HNS_NETWORK, NULL, &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, "[]");
  free(ids);
  sim_iface_info nic;
  assert_int_equal(sim_net_iface_info(f.net, "node1", "Ethernet", &nic), SIM_OK);
  assert_string_equal(nic.network, "");
  hns_handle *net = create(f.svc, HNS_NETWORK, NULL, L2BRIDGE);
  hr = hns_create(f.svc, HNS_ENDPOINT, net, NULL, "{\"Name\":\"Ethernet\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.5\"}]}",
                  &h, NULL);
  assert_int_equal(hr, HNS_E_UNEXPECTED);
  assert_non_null(strstr(hns_service_last_detail(f.svc), "the data-plane model refused the endpoint"));
  assert_int_equal(hns_enumerate(f.svc, HNS_ENDPOINT, NULL, &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, "[]");
  free(ids);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "Ethernet", &nic), SIM_OK);
  assert_int_equal(nic.kind, SIM_IFACE_NIC);
  /* The address the refused endpoint asked for is still free on both sides. */
  hns_handle *ep = create(f.svc, HNS_ENDPOINT, net, "{\"Name\":\"pod-a\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.5\"}]}");
  assert_int_equal(sim_net_iface_info(f.net, "node1", "pod-a", &nic), SIM_OK);
  assert_int_equal(nic.addr[0].len, 24);
  /* Attaching a model to a service that already holds objects is refused. */
  assert_int_equal(hns_service_attach_model(f.svc, f.net, "node1"), HNS_E_INVALIDARG);
  hns_close(ep), hns_close(net);
  teardown(&f);
}

/* Removing the endpoint from its namespace detaches the port; deleting
 * the endpoint, the namespace and the network removes them. */
static void test_delete_removes_model_objects(void **state) {
  (void)state;
  fx f = setup("ws2022", 7);
  hns_handle *net = create(f.svc, HNS_NETWORK, NULL, L2BRIDGE), *a, *b, *na, *nb;
  pod(&f, net, "pod-a", "10.244.1.5", &a, &na);
  pod(&f, net, "pod-b", "10.244.1.6", &b, &nb);
  char id[37], nsid[37];
  modify(nb, REMOVE_EP, id_of(b, id));
  sim_probe_result r = probe_from(&f, "pod-a", "10.244.1.6");
  assert_int_equal(r.verdict, SIM_PROBE_DROPPED);
  assert_non_null(strstr(r.reason, "not attached"));
  hns_guid g;
  sim_iface_info info;
  hns_guid_parse(id, &g);
  assert_int_equal(hns_delete(f.svc, HNS_ENDPOINT, &g, NULL), HNS_S_OK);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "pod-b", &info), SIM_E_NOTFOUND);
  /* Deleting a namespace detaches its endpoint and takes its compartment. */
  hns_guid_parse(id_of(na, nsid), &g);
  assert_int_equal(hns_delete(f.svc, HNS_NAMESPACE, &g, NULL), HNS_S_OK);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "pod-a", &info), SIM_OK);
  assert_string_equal(info.compartment, "");
  sim_probe_spec s = {"node1", NULL, "ns2", {0, {0}}, SIM_IPPROTO_ICMP, 0, 0, 0};
  sim_ip_parse("10.240.0.4", &s.dst);
  assert_int_equal(sim_probe_run(f.net, &s, NULL, &r), SIM_E_NOTFOUND);
  hns_guid_parse(id_of(a, id), &g);
  assert_int_equal(hns_delete(f.svc, HNS_ENDPOINT, &g, NULL), HNS_S_OK);
  hns_guid_parse(id_of(net, id), &g);
  assert_int_equal(hns_delete(f.svc, HNS_NETWORK, &g, NULL), HNS_S_OK);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "Ethernet", &info), SIM_OK);
  assert_string_equal(info.network, "");
  hns_close(a), hns_close(b), hns_close(na), hns_close(nb), hns_close(net);
  teardown(&f);
}

/* WS2016's two endpoints per container through HNSCall: the container's
 * compartment comes with its first endpoint and goes with its last. */
static void test_v1_container_attach(void **state) {
  (void)state;
  fx f = setup("ws2016", 7);
  char *resp = NULL, path[96], ids[2][37];
  const char *bodies[2] = {"{\"Name\":\"c1_nat\",\"VirtualNetworkName\":\"nat\"}",
                           "{\"Name\":\"c1_l2\",\"VirtualNetworkName\":\"l2\",\"IPAddress\":\"10.244.1.5\"}"};
  assert_int_equal(hns_call(f.svc, "POST", "/networks",
                            "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\","
                            "\"GatewayAddress\":\"172.20.0.1\"}]}",
                            &resp),
                   HNS_S_OK);
  free(resp);
  assert_int_equal(hns_call(f.svc, "POST", "/networks",
                            "{\"Name\":\"l2\",\"Type\":\"transparent\",\"Subnets\":[{\"AddressPrefix\":\"10.244.1.0/24\"}]}",
                            &resp),
                   HNS_S_OK);
  free(resp);
  for (int k = 0; k < 2; k++) {
    assert_int_equal(hns_call(f.svc, "POST", "/endpoints", bodies[k], &resp), HNS_S_OK);
    cJSON *j = cJSON_Parse(resp);
    snprintf(ids[k], 37, "%s", cJSON_GetObjectItem(cJSON_GetObjectItem(j, "Output"), "ID")->valuestring);
    cJSON_Delete(j);
    free(resp);
    snprintf(path, sizeof path, "/endpoints/%s/attach", ids[k]);
    assert_int_equal(hns_call(f.svc, "POST", path, "{\"ContainerId\":\"c1\",\"SystemType\":\"Container\"}", &resp), HNS_S_OK);
    free(resp);
  }
  sim_iface_info info;
  assert_int_equal(sim_net_iface_info(f.net, "node1", "c1_l2", &info), SIM_OK);
  assert_string_equal(info.compartment, "c1");
  /* The NAT endpoint's gateway route leads to the host's vNIC. */
  sim_probe_result r = probe_from(&f, "c1_nat", "10.240.0.4");
  assert_int_equal(r.verdict, SIM_PROBE_DELIVERED);
  snprintf(path, sizeof path, "/endpoints/%s/detach", ids[0]);
  assert_int_equal(hns_call(f.svc, "POST", path, "{\"ContainerId\":\"c1\",\"SystemType\":\"Container\"}", &resp), HNS_S_OK);
  free(resp);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "c1_l2", &info), SIM_OK);
  assert_string_equal(info.compartment, "c1");
  snprintf(path, sizeof path, "/endpoints/%s/detach", ids[1]);
  assert_int_equal(hns_call(f.svc, "POST", path, "{\"ContainerId\":\"c1\",\"SystemType\":\"Container\"}", &resp), HNS_S_OK);
  free(resp);
  sim_probe_spec s = {"node1", NULL, "c1", {0, {0}}, SIM_IPPROTO_ICMP, 0, 0, 0};
  sim_ip_parse("10.240.0.4", &s.dst);
  assert_int_equal(sim_probe_run(f.net, &s, NULL, &r), SIM_E_NOTFOUND);
  teardown(&f);
}

/* A reboot on WS2019 loses the NAT network with its endpoint and every
 * namespace; the L2Bridge network and its endpoint stay, detached. */
static void test_reboot_removes_what_is_lost(void **state) {
  (void)state;
  fx f = setup("ws2019", 7);
  hns_handle *nat = create(f.svc, HNS_NETWORK, NULL,
                           "{\"Name\":\"nat\",\"Type\":\"NAT\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"172.20.0.0/24\","
                           "\"Routes\":[{\"NextHop\":\"172.20.0.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}");
  hns_handle *l2 = create(f.svc, HNS_NETWORK, NULL, L2BRIDGE), *a, *b, *na, *nb;
  pod(&f, nat, "c1", "172.20.0.2", &a, &na);
  pod(&f, l2, "pod-b", "10.244.1.6", &b, &nb);
  char id[37];
  id_of(b, id); /* handles go stale at the reboot */
  hns_lifecycle_report rep;
  assert_int_equal(hns_service_reboot(f.svc, &rep), HNS_S_OK);
  assert_int_equal(rep.dropped[HNS_NETWORK], 1);
  sim_iface_info info;
  assert_int_equal(sim_net_iface_info(f.net, "node1", "c1", &info), SIM_E_NOTFOUND);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "vEthernet (nat)", &info), SIM_E_NOTFOUND);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "pod-b", &info), SIM_OK);
  assert_string_equal(info.compartment, "");
  assert_string_equal(info.network, "cbr0");
  /* A new namespace after the reboot may take the compartment ID again. */
  hns_handle *ns = create(f.svc, HNS_NAMESPACE, NULL, "{}");
  modify(ns, ADD_EP, id);
  assert_int_equal(sim_net_iface_info(f.net, "node1", "pod-b", &info), SIM_OK);
  assert_string_equal(info.compartment, "ns2");
  hns_close(nat), hns_close(l2), hns_close(a), hns_close(b), hns_close(na), hns_close(nb), hns_close(ns);
  teardown(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_l2bridge_pods_reach_each_other), cmocka_unit_test(test_nat_gateway_is_the_host_vnic),
      cmocka_unit_test(test_refused_call_changes_nothing),    cmocka_unit_test(test_delete_removes_model_objects),
      cmocka_unit_test(test_v1_container_attach),             cmocka_unit_test(test_reboot_removes_what_is_lost),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
