/* test_hcn_wide_calls.c: the success path of every Hcn* function that
 * test_hcn_wide.c does not already walk: HcnOpen/HcnModify for networks,
 * HcnEnumerate/Open/Modify for endpoints, and every call for namespaces,
 * load balancers and SDN routes. Each test is a Windows program's sequence
 * (create, enumerate, open, modify, query, close, delete), with every output
 * freed by CoTaskMemFree and no ErrorRecord after any success. HcnModifySdnRoute
 * has no success path (HNS does not implement it, hcsshim hcnroute.go); its
 * refusal is in test_hns_errors.c, as are the failures of all the others. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <computenetwork.h>

#include "hcn_utf16.h"
#include "hns_api.h"
#include "hns_profile.h"
#include "hnsim_hcn.h"

static const GUID kNetworkId = {0x6e000000, 0, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 0x01}};
static const GUID kEndpointId = {0x0e000000, 0, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 0x01}};
static const GUID kNamespaceId = {0x5e000000, 0, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 0x01}};
static const GUID kLoadBalancerId = {0x1b000000, 0, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 0x01}};
static const GUID kRouteId = {0x2e000000, 0, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 0x01}};
#define NETWORK_ID "6E000000-0000-4000-8000-000000000001"
#define ENDPOINT_ID "0E000000-0000-4000-8000-000000000001"
#define NAMESPACE_ID "5E000000-0000-4000-8000-000000000001"
#define LOADBALANCER_ID "1B000000-0000-4000-8000-000000000001"
#define ROUTE_ID "2E000000-0000-4000-8000-000000000001"

#define NAT_SETTINGS                                                                                         \
  HNSIM_W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"WinNAT\",\"Type\":\"NAT\",\"Ipams\":[{" \
          "\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"192.168.100.0/24\",\"Routes\":[{"     \
          "\"NextHop\":\"192.168.100.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}")
#define ENDPOINT_SETTINGS HNSIM_W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"WinNAT-ep1\"}")
#define LB_SETTINGS(vip)                                                                                           \
  HNSIM_W("{\"HostComputeEndpoints\":[\"" ENDPOINT_ID "\"],\"FrontendVIPs\":[\"" vip "\"],\"PortMappings\":[{" \
          "\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":80}]}")

/* ---- helpers a Windows program would write around the API ---------------- */

/* An output document as UTF-8, freed as the API requires (CoTaskMemFree). */
static char *Take(PWSTR document) {
  char *utf8 = NULL;
  assert_non_null(document);
  assert_int_equal(hcn_utf16_to_utf8(document, &utf8), HNS_S_OK);
  CoTaskMemFree(document);
  return utf8;
}

static void AssertContains(char *utf8, const char *part) {
  if (!strstr(utf8, part)) fail_msg("'%s' lacks '%s'", utf8, part);
  free(utf8);
}

static void AssertLacks(char *utf8, const char *part) {
  if (strstr(utf8, part)) fail_msg("'%s' still has '%s'", utf8, part);
  free(utf8);
}

/* A NAT network with one endpoint, both kept open. */
static void MakeNetworkAndEndpoint(HCN_NETWORK *network, HCN_ENDPOINT *endpoint) {
  PWSTR errorRecord = NULL;
  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, network, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnCreateEndpoint(*network, &kEndpointId, ENDPOINT_SETTINGS, endpoint, &errorRecord), S_OK);
  assert_null(errorRecord);
}

static void DropNetworkAndEndpoint(HCN_NETWORK network, HCN_ENDPOINT endpoint) {
  PWSTR errorRecord = NULL;
  assert_int_equal(HcnCloseEndpoint(endpoint), S_OK);
  assert_int_equal(HcnDeleteEndpoint(&kEndpointId, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnCloseNetwork(network), S_OK);
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, &errorRecord), S_OK);
  assert_null(errorRecord);
}

/* ---- fixture: one simulated HNS of the given profile, bound ----------------- */

static int Bind(void **state, const char *profile) {
  hns_service_config config = {hns_profile_find(profile), "node1", 7};
  hns_service *svc = NULL;
  if (!config.profile || HNS_FAILED(hns_service_create(&config, &svc))) return -1;
  hnsim_hcn_bind(svc);
  *state = svc;
  return 0;
}
static int BindWs2022(void **state) { return Bind(state, "ws2022"); }
static int BindWs2025(void **state) { return Bind(state, "ws2025"); }
static int Unbind(void **state) {
  hnsim_hcn_bind(NULL);
  hns_service_destroy(*state);
  return 0;
}

/* ---- the programs ------------------------------------------------------------ */

/* HcnOpenNetwork and HcnModifyNetwork (a policy added, seen on query). */
static void test_network_open_and_modify(void **state) {
  (void)state;
  HCN_NETWORK created = NULL, opened = NULL;
  PWSTR errorRecord = NULL, properties = NULL;
  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, &created, &errorRecord), S_OK);
  assert_int_equal(HcnCloseNetwork(created), S_OK);

  assert_int_equal(HcnOpenNetwork(&kNetworkId, &opened, &errorRecord), S_OK);
  assert_non_null(opened);
  assert_null(errorRecord);
  assert_int_equal(HcnModifyNetwork(opened,
                                    HNSIM_W("{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{"
                                            "\"Policies\":[{\"Type\":\"HostRoute\",\"Settings\":{}}]}}"),
                                    &errorRecord),
                   S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnQueryNetworkProperties(opened, NULL, &properties, &errorRecord), S_OK);
  assert_null(errorRecord);
  AssertContains(Take(properties), "\"Policies\":[{\"Type\":\"HostRoute\",\"Settings\":{}}]");
  assert_int_equal(HcnCloseNetwork(opened), S_OK);
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, &errorRecord), S_OK);
  assert_null(errorRecord);
}

/* HcnEnumerateEndpoints (all, and by the network's ID as hcsshim filters),
 * HcnOpenEndpoint, HcnModifyEndpoint (an ACL added). */
static void test_endpoint_enumerate_open_modify(void **state) {
  (void)state;
  HCN_NETWORK network = NULL;
  HCN_ENDPOINT endpoint = NULL, opened = NULL;
  PWSTR errorRecord = NULL, endpoints = NULL, properties = NULL;
  MakeNetworkAndEndpoint(&network, &endpoint);

  assert_int_equal(HcnEnumerateEndpoints(NULL, &endpoints, &errorRecord), S_OK);
  assert_null(errorRecord);
  AssertContains(Take(endpoints), "[\"" ENDPOINT_ID "\"]");
  assert_int_equal(HcnEnumerateEndpoints(HNSIM_W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Filter\":"
                                                 "\"{\\\"HostComputeNetwork\\\":\\\"" NETWORK_ID "\\\"}\"}"),
                                         &endpoints, &errorRecord),
                   S_OK);
  AssertContains(Take(endpoints), ENDPOINT_ID);

  assert_int_equal(HcnOpenEndpoint(&kEndpointId, &opened, &errorRecord), S_OK);
  assert_non_null(opened);
  assert_null(errorRecord);
  assert_int_equal(HcnModifyEndpoint(opened,
                                     HNSIM_W("{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{"
                                             "\"Policies\":[{\"Type\":\"ACL\",\"Settings\":{\"Action\":\"Block\","
                                             "\"Direction\":\"In\",\"Priority\":200}}]}}"),
                                     &errorRecord),
                   S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnQueryEndpointProperties(opened, NULL, &properties, &errorRecord), S_OK);
  AssertContains(Take(properties), "\"Type\":\"ACL\"");
  assert_int_equal(HcnCloseEndpoint(opened), S_OK);
  DropNetworkAndEndpoint(network, endpoint);
}

/* Every namespace call: the endpoint attached by HcnModifyNamespace shows on
 * both objects; deleting the namespace lets the endpoint go. */
static void test_namespace_calls(void **state) {
  (void)state;
  HCN_NETWORK network = NULL;
  HCN_ENDPOINT endpoint = NULL;
  HCN_NAMESPACE ns = NULL, opened = NULL;
  PWSTR errorRecord = NULL, list = NULL, properties = NULL;
  MakeNetworkAndEndpoint(&network, &endpoint);

  assert_int_equal(HcnCreateNamespace(&kNamespaceId, HNSIM_W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"), &ns,
                                      &errorRecord),
                   S_OK);
  assert_non_null(ns);
  assert_null(errorRecord);
  assert_int_equal(HcnEnumerateNamespaces(HNSIM_W(""), &list, &errorRecord), S_OK);
  assert_null(errorRecord);
  AssertContains(Take(list), "[\"" NAMESPACE_ID "\"]");
  assert_int_equal(HcnOpenNamespace(&kNamespaceId, &opened, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnModifyNamespace(opened,
                                      HNSIM_W("{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{"
                                              "\"EndpointId\":\"" ENDPOINT_ID "\"}}"),
                                      &errorRecord),
                   S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnQueryNamespaceProperties(ns, NULL, &properties, &errorRecord), S_OK);
  assert_null(errorRecord);
  AssertContains(Take(properties), "{\"Type\":\"Endpoint\",\"Data\":{\"ID\":\"" ENDPOINT_ID "\"}}");
  assert_int_equal(HcnQueryEndpointProperties(endpoint, NULL, &properties, NULL), S_OK);
  AssertContains(Take(properties), "\"HostComputeNamespace\":\"" NAMESPACE_ID "\"");

  assert_int_equal(HcnCloseNamespace(opened), S_OK);
  assert_int_equal(HcnCloseNamespace(ns), S_OK);
  assert_int_equal(HcnDeleteNamespace(&kNamespaceId, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnEnumerateNamespaces(NULL, &list, NULL), S_OK);
  AssertContains(Take(list), "[]");
  assert_int_equal(HcnQueryEndpointProperties(endpoint, NULL, &properties, NULL), S_OK);
  AssertLacks(Take(properties), "HostComputeNamespace");
  DropNetworkAndEndpoint(network, endpoint);
}

/* Every load balancer call. HcnModifyLoadBalancer exists from HNS 15.4
 * (ws2025), where it answers success and keeps the old document
 * (kubernetes#131466). */
static void test_load_balancer_calls(void **state) {
  (void)state;
  HCN_NETWORK network = NULL;
  HCN_ENDPOINT endpoint = NULL;
  HCN_LOADBALANCER lb = NULL, opened = NULL;
  PWSTR errorRecord = NULL, list = NULL, properties = NULL;
  MakeNetworkAndEndpoint(&network, &endpoint);

  assert_int_equal(HcnCreateLoadBalancer(&kLoadBalancerId, LB_SETTINGS("10.96.0.10"), &lb, &errorRecord), S_OK);
  assert_non_null(lb);
  assert_null(errorRecord);
  assert_int_equal(HcnEnumerateLoadBalancers(NULL, &list, &errorRecord), S_OK);
  assert_null(errorRecord);
  AssertContains(Take(list), "[\"" LOADBALANCER_ID "\"]");
  assert_int_equal(HcnOpenLoadBalancer(&kLoadBalancerId, &opened, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnModifyLoadBalancer(opened, LB_SETTINGS("10.96.0.11"), &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnQueryLoadBalancerProperties(opened, NULL, &properties, &errorRecord), S_OK);
  assert_null(errorRecord);
  char *doc = Take(properties);
  assert_non_null(strstr(doc, "\"HostComputeEndpoints\":[\"" ENDPOINT_ID "\"]"));
  AssertContains(doc, "\"FrontendVIPs\":[\"10.96.0.10\"]"); /* the modify changed nothing */

  assert_int_equal(HcnCloseLoadBalancer(opened), S_OK);
  assert_int_equal(HcnCloseLoadBalancer(lb), S_OK);
  assert_int_equal(HcnDeleteLoadBalancer(&kLoadBalancerId, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnEnumerateLoadBalancers(NULL, &list, NULL), S_OK);
  AssertContains(Take(list), "[]");
  DropNetworkAndEndpoint(network, endpoint); /* the endpoint is free again */
}

/* Every SDN route call but Modify (see the top of the file). */
static void test_sdn_route_calls(void **state) {
  (void)state;
  HCN_NETWORK network = NULL;
  HCN_ENDPOINT endpoint = NULL;
  HCN_SDNROUTE route = NULL, opened = NULL;
  PWSTR errorRecord = NULL, list = NULL, properties = NULL;
  MakeNetworkAndEndpoint(&network, &endpoint);

  assert_int_equal(HcnCreateSdnRoute(&kRouteId,
                                     HNSIM_W("{\"HostComputeEndpoints\":[\"" ENDPOINT_ID "\"],\"Setting\":[{"
                                             "\"DestinationPrefix\":\"10.0.0.0/8\",\"NextHop\":\"192.168.100.1\"}]}"),
                                     &route, &errorRecord),
                   S_OK);
  assert_non_null(route);
  assert_null(errorRecord);
  assert_int_equal(HcnEnumerateSdnRoutes(NULL, &list, &errorRecord), S_OK);
  assert_null(errorRecord);
  AssertContains(Take(list), "[\"" ROUTE_ID "\"]");
  assert_int_equal(HcnOpenSdnRoute(&kRouteId, &opened, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnQuerySdnRouteProperties(opened, NULL, &properties, &errorRecord), S_OK);
  assert_null(errorRecord);
  AssertContains(Take(properties), "\"Setting\":[{\"DestinationPrefix\":\"10.0.0.0/8\",\"NextHop\":\"192.168.100.1\"}]");

  assert_int_equal(HcnCloseSdnRoute(opened), S_OK);
  assert_int_equal(HcnCloseSdnRoute(route), S_OK);
  assert_int_equal(HcnDeleteSdnRoute(&kRouteId, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnEnumerateSdnRoutes(NULL, &list, NULL), S_OK);
  AssertContains(Take(list), "[]");
  DropNetworkAndEndpoint(network, endpoint);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_network_open_and_modify, BindWs2022, Unbind),
      cmocka_unit_test_setup_teardown(test_endpoint_enumerate_open_modify, BindWs2022, Unbind),
      cmocka_unit_test_setup_teardown(test_namespace_calls, BindWs2022, Unbind),
      cmocka_unit_test_setup_teardown(test_load_balancer_calls, BindWs2025, Unbind),
      cmocka_unit_test_setup_teardown(test_sdn_route_calls, BindWs2022, Unbind),
  };
  return cmocka_run_group_tests_name("hcn_wide_calls", tests, NULL, NULL);
}
