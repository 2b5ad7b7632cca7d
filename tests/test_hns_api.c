/* test_hns_api.c: the UTF-8 HCN API of one simulated HNS, as a caller sees
 * it: objects created, found, queried and deleted; each refusal's HRESULT and
 * ErrorRecord; addresses and MACs handed out; state unchanged after every
 * refusal; profile gates; deterministic IDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ctype.h>
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_test_calls.h"
#include "hns_profile.h"

#define NAT_NET                                                                                                       \
  "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"nat\",\"Type\":\"NAT\",\"Ipams\":[{\"Type\":\"Static\"," \
  "\"Subnets\":[{\"IpAddressPrefix\":\"172.20.0.0/29\",\"Routes\":[{\"NextHop\":\"172.20.0.1\",\"DestinationPrefix\":" \
  "\"0.0.0.0/0\"}]}]}]}"

static hns_service *service(const char *profile, uint64_t seed) {
  hns_service_config cfg = {hns_profile_find(profile), "node1", seed};
  hns_service *svc;
  assert_int_equal(hns_service_create(&cfg, &svc), HNS_S_OK);
  return svc;
}

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A refused create: its HRESULT, its exact ErrorRecord, nothing created. */
static void refused(hns_service *svc, hns_object_kind kind, hns_handle *parent, const char *json, hns_hr want,
                    const char *detail_part) {
  char *before = NULL, *after = NULL, *er = NULL;
  hns_handle *h = (hns_handle *)1;
  assert_int_equal(hns_enumerate(svc, kind, NULL, &before, NULL), HNS_S_OK);
  hns_hr hr = hns_create(svc, kind, parent, NULL, json, &h, &er);
  if (hr != want) fail_msg("got 0x%08X (%s), want 0x%08X", (unsigned)hr, hns_service_last_detail(svc), (unsigned)want);
  assert_null(h);
  char *record = hns_error_record(want);
  assert_string_equal(er, record);
  free(record);
  free(er);
  if (detail_part && !strstr(hns_service_last_detail(svc), detail_part))
    fail_msg("detail '%s' lacks '%s'", hns_service_last_detail(svc), detail_part);
  assert_int_equal(hns_enumerate(svc, kind, NULL, &after, NULL), HNS_S_OK);
  assert_string_equal(before, after);
  free(before);
  free(after);
}

static void network_lifecycle(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 1);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  cJSON *doc = query(net);
  assert_string_equal(str(doc, "Name"), "nat");
  assert_null(cJSON_GetObjectItem(doc, "Type")); /* NAT networks come back without Type */
  const char *id = str(doc, "ID");
  assert_non_null(id);
  /* HNS gave the network a MAC pool in Hyper-V's 00-15-5D prefix. */
  const cJSON *range = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "MacPool"), "Ranges"), 0);
  assert_non_null(range);
  assert_memory_equal(str(range, "StartMacAddress"), "00-15-5D-", 9);
  assert_memory_equal(str(range, "EndMacAddress"), "00-15-5D-", 9);
  char *ids = NULL, filter[160];
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL), HNS_S_OK);
  char want[64];
  snprintf(want, sizeof want, "[\"%s\"]", id);
  assert_string_equal(ids, want);
  free(ids);
  snprintf(filter, sizeof filter, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Filter\":\"{\\\"Name\\\":\\\"NAT\\\"}\"}");
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, filter, &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, want); /* names match case-insensitively */
  free(ids);
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, "{\"Filter\":\"{\\\"Name\\\":\\\"other\\\"}\"}", &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, "[]");
  free(ids);
  /* By ID, in another case than written (hcsshim's GetNetworkByID). */
  char lower[37];
  for (int i = 0; i < 37; i++) lower[i] = (char)tolower((unsigned char)id[i]);
  snprintf(filter, sizeof filter, "{\"Filter\":\"{\\\"ID\\\":\\\"%s\\\"}\"}", lower);
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, filter, &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, want);
  free(ids);
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, "{\"Filter\":\"{\\\"ID\\\":\\\"not-a-guid\\\"}\"}", &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, "[]");
  free(ids);
  /* A filter beyond ID or Name is matched field by field. */
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, "{\"Filter\":\"{\\\"Name\\\":\\\"nat\\\",\\\"Flags\\\":0}\"}", &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, "[]"); /* Flags 0 is not written, so it cannot match */
  free(ids);
  hns_guid g;
  assert_int_equal(hns_guid_parse(id, &g), 0);
  hns_handle *again;
  assert_int_equal(hns_open(svc, HNS_NETWORK, &g, &again, NULL), HNS_S_OK);
  assert_int_equal(hns_close(again), HNS_S_OK);
  cJSON_Delete(doc);
  assert_int_equal(hns_delete(svc, HNS_NETWORK, &g, NULL), HNS_S_OK);
  char *er = NULL;
  assert_int_equal(hns_open(svc, HNS_NETWORK, &g, &again, &er), HCN_E_NETWORK_NOT_FOUND);
  char *record = hns_error_record(HCN_E_NETWORK_NOT_FOUND);
  assert_string_equal(er, record);
  assert_non_null(strstr(er, "\"ErrorCode\":2151350273}"));
  free(record);
  free(er);
  char *props = NULL;
  assert_int_equal(hns_query_properties(net, NULL, &props, NULL), HCN_E_NETWORK_NOT_FOUND); /* handle outlives object */
  hns_close(net);
  hns_service_destroy(svc);
}

static void network_refusals(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 1);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  refused(svc, HNS_NETWORK, NULL, NAT_NET, HCN_E_NETWORK_ALREADY_EXISTS, "'nat' already exists");
  refused(svc, HNS_NETWORK, NULL, "{\"Name\":\"x\",", HCN_E_INVALID_JSON, "not valid JSON");
  refused(svc, HNS_NETWORK, NULL, "{\"Name\":\"x\",\"Type\":\"Bridge\"}", HCN_E_INVALID_NETWORK_TYPE, "Type");
  refused(svc, HNS_NETWORK, NULL, "{\"Name\":\"x\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"Frob\"}]}",
          HCN_E_INVALID_POLICY_TYPE, "Policies[0].Type");
  refused(svc, HNS_NETWORK, NULL,
          "{\"Name\":\"x\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"VxlanPort\",\"Settings\":{\"Port\":\"x\"}}]}",
          HCN_E_INVALID_POLICY, "Policies[0].Settings.Port");
  refused(svc, HNS_NETWORK, NULL, "{\"Name\":\"x\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.0.0.0/33\"}]}]}",
          HCN_E_INVALID_PREFIX, "IpAddressPrefix");
  refused(svc, HNS_NETWORK, NULL, "{\"Name\":\"x\",\"ID\":\"not-a-guid\"}", HCN_E_GUID_CONVERSION_FAILURE, "ID");
  refused(svc, HNS_NETWORK, NULL,
          "{\"Name\":\"x\",\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-00-00\"}]}}", HNS_E_INVALIDARG,
          "StartMacAddress");
  refused(svc, HNS_NETWORK, NULL, "{\"Name\":\"x\",\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-00-00-10\",\"EndMacAddress\":\"00-15-5D-00-00-01\"}]}}",
          HNS_E_INVALIDARG, "MacPool");
  hns_close(net);
  hns_service_destroy(svc);
}

static void endpoints_addresses_and_macs(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 3);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  /* 172.20.0.0/29: .0 network, .1 gateway, .7 broadcast: .2 to .6 are free. */
  const char *want[] = {"172.20.0.2", "172.20.0.3", "172.20.0.4"};
  char *macs[3];
  for (int i = 0; i < 3; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"Name\":\"ep%d\"}", i);
    hns_handle *ep = create(svc, HNS_ENDPOINT, net, json);
    cJSON *doc = query(ep);
    cJSON *ipc = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "IpConfigurations"), 0);
    assert_string_equal(str(ipc, "IpAddress"), want[i]);
    assert_int_equal(cJSON_GetObjectItem(ipc, "PrefixLength")->valueint, 29);
    macs[i] = strdup(str(doc, "MacAddress"));
    assert_int_equal(strlen(macs[i]), 17);
    assert_memory_equal(macs[i], "00-15-5D-", 9);
    cJSON_Delete(doc);
    hns_close(ep);
  }
  assert_string_not_equal(macs[0], macs[1]);
  for (int i = 0; i < 3; i++) free(macs[i]);
  refused(svc, HNS_ENDPOINT, net, "{\"Name\":\"ep0\"}", HNS_E_ALREADY_EXISTS, "'ep0'");
  refused(svc, HNS_ENDPOINT, net, "{\"IpConfigurations\":[{\"IpAddress\":\"10.9.9.9\"}]}", HCN_E_INVALID_IP,
          "10.9.9.9 is outside every subnet of network 'nat'");
  refused(svc, HNS_ENDPOINT, net, "{\"IpConfigurations\":[{\"IpAddress\":\"172.20.0.3\"}]}", HCN_E_ADDR_INVALID_OR_RESERVED,
          "already used");
  refused(svc, HNS_ENDPOINT, net, "{\"IpConfigurations\":[{\"IpAddress\":\"172.20.0.1\"}]}", HCN_E_ADDR_INVALID_OR_RESERVED,
          "gateway");
  refused(svc, HNS_ENDPOINT, net, "{\"IpConfigurations\":[{\"IpAddress\":\"172.20.0.300\"}]}", HCN_E_INVALID_IP, "IpAddress");
  refused(svc, HNS_ENDPOINT, net, "{\"HostComputeNamespace\":\"0f0e0d0c-0b0a-4908-8706-050403020100\"}", HNS_E_INVALIDARG,
          "HostComputeNamespace");
  /* The pool: two addresses left (.5, .6), then it is exhausted. */
  hns_close(create(svc, HNS_ENDPOINT, net, "{}"));
  hns_close(create(svc, HNS_ENDPOINT, net, "{\"IpConfigurations\":[{\"IpAddress\":\"172.20.0.6\"}]}"));
  refused(svc, HNS_ENDPOINT, net, "{}", HNS_E_OUTOFMEMORY, "no free IPv4 address");
  /* An endpoint on a network: the network cannot go first. */
  char *ids;
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL), HNS_S_OK);
  cJSON *arr = cJSON_Parse(ids);
  hns_guid g;
  assert_int_equal(hns_guid_parse(cJSON_GetArrayItem(arr, 0)->valuestring, &g), 0);
  /* hcsshim's ListEndpointsOfNetwork filters with the v1 key VirtualNetwork. */
  char filter[160], *eps = NULL;
  snprintf(filter, sizeof filter, "{\"Filter\":\"{\\\"VirtualNetwork\\\":\\\"%s\\\"}\"}", cJSON_GetArrayItem(arr, 0)->valuestring);
  assert_int_equal(hns_enumerate(svc, HNS_ENDPOINT, filter, &eps, NULL), HNS_S_OK);
  cJSON *eparr = cJSON_Parse(eps);
  assert_int_equal(cJSON_GetArraySize(eparr), 5);
  cJSON_Delete(eparr);
  free(eps);
  char *er = NULL;
  assert_int_equal(hns_delete(svc, HNS_NETWORK, &g, &er), HCN_E_ENTITY_HAS_REFERENCES);
  free(er);
  cJSON_Delete(arr);
  free(ids);
  hns_close(net);
  hns_service_destroy(svc);
}

static char *id_of(hns_handle *h);

/* kube-proxy gives every remote endpoint the same made-up MAC (facts §5.6):
 * remote endpoints may share one, and do not take it from a local endpoint. */
static void remote_endpoints_share_macs(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 11);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  hns_close(create(svc, HNS_ENDPOINT, net, "{\"MacAddress\":\"00-11-22-33-44-55\"}"));
  hns_handle *r1 = create(svc, HNS_ENDPOINT, net, "{\"Flags\":1,\"MacAddress\":\"00:11:22:33:44:55\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.2.5\"}]}");
  hns_handle *r2 = create(svc, HNS_ENDPOINT, net, "{\"Flags\":1,\"MacAddress\":\"00:11:22:33:44:55\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.2.6\"}]}");
  char *ids[2] = {id_of(r1), id_of(r2)};
  for (int i = 0; i < 2; i++) {
    hns_guid g;
    assert_int_equal(hns_guid_parse(ids[i], &g), 0);
    assert_int_equal(hns_delete(svc, HNS_ENDPOINT, &g, NULL), HNS_S_OK);
    free(ids[i]);
  }
  /* The local endpoint still owns its MAC. */
  refused(svc, HNS_ENDPOINT, net, "{\"MacAddress\":\"00-11-22-33-44-55\"}", HCN_E_ADDR_INVALID_OR_RESERVED, "already used");
  hns_close(r1);
  hns_close(r2);
  hns_close(net);
  hns_service_destroy(svc);
}

static char *id_of(hns_handle *h) {
  cJSON *doc = query(h);
  char *id = strdup(str(doc, "ID"));
  cJSON_Delete(doc);
  return id;
}

static void namespaces_attach_endpoints(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 5);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  hns_handle *ep = create(svc, HNS_ENDPOINT, net, "{\"Name\":\"pod-a\"}");
  hns_handle *ns = create(svc, HNS_NAMESPACE, NULL, "{\"Type\":\"HostDefault\"}");
  char *epid = id_of(ep), *nsid = id_of(ns), req[256];
  snprintf(req, sizeof req, "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}", epid);
  assert_int_equal(hns_modify(ns, req, NULL), HNS_S_OK);
  cJSON *epdoc = query(ep);
  assert_string_equal(str(epdoc, "HostComputeNamespace"), nsid);
  cJSON_Delete(epdoc);
  char *er = NULL;
  assert_int_equal(hns_modify(ns, req, &er), HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS);
  free(er);
  cJSON *nsdoc = query(ns);
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(nsdoc, "Resources")), 1);
  assert_true(cJSON_GetObjectItem(nsdoc, "NamespaceId")->valueint >= 2);
  cJSON_Delete(nsdoc);
  /* by integers, as Microsoft's sample sends them: 1 = Endpoint, 1 = Remove */
  snprintf(req, sizeof req, "{\"ResourceType\":1,\"RequestType\":1,\"Settings\":{\"EndpointId\":\"%s\"}}", epid);
  assert_int_equal(hns_modify(ns, req, NULL), HNS_S_OK);
  epdoc = query(ep);
  assert_null(cJSON_GetObjectItem(epdoc, "HostComputeNamespace"));
  cJSON_Delete(epdoc);
  assert_int_equal(hns_modify(ns, req, NULL), HCN_E_ENDPOINT_NOT_ATTACHED);
  snprintf(req, sizeof req, "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}",
           "01234567-89ab-4def-bedc-ba9876543210");
  assert_int_equal(hns_modify(ns, req, NULL), HCN_E_ENDPOINT_NOT_FOUND);
  /* A namespace created with the endpoint among its Resources attaches it
   * ("Id" spelled as the 2018 docs do). */
  char json[200];
  snprintf(json, sizeof json, "{\"Resources\":[{\"Type\":\"Endpoint\",\"Data\":{\"Id\":\"%s\"}}]}", epid);
  hns_handle *ns2 = create(svc, HNS_NAMESPACE, NULL, json);
  char *ns2id = id_of(ns2);
  epdoc = query(ep);
  assert_string_equal(str(epdoc, "HostComputeNamespace"), ns2id);
  cJSON_Delete(epdoc);
  refused(svc, HNS_NAMESPACE, NULL, json, HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "Resources[0]");
  hns_guid g2;
  assert_int_equal(hns_guid_parse(ns2id, &g2), 0);
  assert_int_equal(hns_delete(svc, HNS_NAMESPACE, &g2, NULL), HNS_S_OK);
  epdoc = query(ep);
  assert_null(cJSON_GetObjectItem(epdoc, "HostComputeNamespace")); /* deleting the namespace lets the endpoint go */
  cJSON_Delete(epdoc);
  free(ns2id);
  hns_close(ns2);
  free(epid);
  free(nsid);
  hns_close(ep);
  hns_close(ns);
  hns_close(net);
  hns_service_destroy(svc);
}

static void load_balancers(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 7);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  hns_handle *ep = create(svc, HNS_ENDPOINT, net, "{}");
  char *epid = id_of(ep), lb[512];
  snprintf(lb, sizeof lb,
           "{\"HostComputeEndpoints\":[\"%s\"],\"FrontendVIPs\":[\"10.96.0.10\"],\"PortMappings\":[{\"Protocol\":6,"
           "\"InternalPort\":8080,\"ExternalPort\":80}]}",
           epid);
  hns_handle *h = create(svc, HNS_LOADBALANCER, NULL, lb);
  refused(svc, HNS_LOADBALANCER, NULL, lb, HCN_E_PORT_ALREADY_EXISTS, "10.96.0.10|6|80");
  refused(svc, HNS_LOADBALANCER, NULL,
          "{\"HostComputeEndpoints\":[\"01234567-89ab-4def-bedc-ba9876543210\"],\"PortMappings\":[{\"Protocol\":6,"
          "\"InternalPort\":1,\"ExternalPort\":2}]}",
          HCN_E_ENDPOINT_NOT_FOUND, "HostComputeEndpoints[0]");
  refused(svc, HNS_LOADBALANCER, NULL, "{\"PortMappings\":[{\"Protocol\":6,\"ExternalPort\":2}]}", HCN_E_INVALID_INTERNAL_PORT,
          "InternalPort");
  /* An endpoint a load balancer names cannot be deleted. */
  hns_guid g;
  assert_int_equal(hns_guid_parse(epid, &g), 0);
  assert_int_equal(hns_delete(svc, HNS_ENDPOINT, &g, NULL), HCN_E_ENTITY_HAS_REFERENCES);
  char *lbid = id_of(h);
  hns_guid lg;
  assert_int_equal(hns_guid_parse(lbid, &lg), 0);
  assert_int_equal(hns_delete(svc, HNS_LOADBALANCER, &lg, NULL), HNS_S_OK);
  assert_int_equal(hns_delete(svc, HNS_LOADBALANCER, &lg, NULL), HNS_E_ELEMENT_NOT_FOUND);
  assert_int_equal(hns_delete(svc, HNS_ENDPOINT, &g, NULL), HNS_S_OK);
  free(lbid);
  free(epid);
  hns_close(h);
  hns_close(ep);
  hns_close(net);
  hns_service_destroy(svc);
}

static void profile_gates(void **state) {
  (void)state;
  const char *dsr = "{\"Flags\":1,\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":80}]}";
  hns_service *rtm = service("ws2019-rtm", 1), *patched = service("ws2019", 1);
  refused(rtm, HNS_LOADBALANCER, NULL, dsr, HNS_E_INVALIDARG, "DSR");
  hns_close(create(patched, HNS_LOADBALANCER, NULL, dsr));
  const char *affinity = "{\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":81,\"DistributionType\":2}]}";
  refused(patched, HNS_LOADBALANCER, NULL, affinity, HNS_E_INVALIDARG, "session affinity");
  const char *hostroute = "{\"Name\":\"l2\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"HostRoute\",\"Settings\":{}}]}";
  refused(rtm, HNS_NETWORK, NULL, hostroute, HCN_E_INVALID_POLICY_TYPE, "HostRoute");
  hns_close(create(patched, HNS_NETWORK, NULL, hostroute));
  hns_service_destroy(rtm);
  hns_service_destroy(patched);
}

/* ws2022 (HNS 13.x) has no HcnModifyLoadBalancer; ws2025 (15.4) checks the
 * new document, answers success and keeps the old one (kubernetes#131466). */
static void load_balancer_modify(void **state) {
  (void)state;
  const char *lb = "{\"FrontendVIPs\":[\"10.96.0.20\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":80}]}";
  const char *moved = "{\"FrontendVIPs\":[\"10.96.0.21\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":80}]}";
  const char *bad = "{\"HostComputeEndpoints\":[\"01234567-89ab-4def-bedc-ba9876543210\"],\"PortMappings\":[{\"Protocol\":6,"
                    "\"InternalPort\":80,\"ExternalPort\":80}]}";
  hns_service *old = service("ws2022", 1), *now = service("ws2025", 1);
  hns_handle *a = create(old, HNS_LOADBALANCER, NULL, lb), *b = create(now, HNS_LOADBALANCER, NULL, lb);
  char *er = NULL;
  assert_int_equal(hns_modify(a, moved, &er), HCN_E_REQUEST_UNSUPPORTED);
  free(er);
  char *before = NULL, *after = NULL;
  assert_int_equal(hns_query_properties(b, NULL, &before, NULL), HNS_S_OK);
  assert_int_equal(hns_modify(b, moved, NULL), HNS_S_OK);
  assert_int_equal(hns_modify(b, bad, NULL), HCN_E_ENDPOINT_NOT_FOUND);
  assert_int_equal(hns_query_properties(b, NULL, &after, NULL), HNS_S_OK);
  assert_string_equal(before, after);
  free(before);
  free(after);
  hns_close(a);
  hns_close(b);
  hns_service_destroy(old);
  hns_service_destroy(now);
}

static void port_blocks_run_out(void **state) {
  (void)state;
  hns_service *svc = service("ws2019-rtm", 1); /* before KB4551853: no port-pool sharing */
  const hns_profile *p = hns_service_profile(svc);
  int blocks = (p->ephemeral_port_last - p->ephemeral_port_first + 1) / p->lb_port_block;
  char json[160];
  for (int i = 0; i < blocks; i++) {
    snprintf(json, sizeof json, "{\"FrontendVIPs\":[\"10.96.%d.%d\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":80}]}",
             i / 250, i % 250 + 1);
    hns_close(create(svc, HNS_LOADBALANCER, NULL, json));
  }
  refused(svc, HNS_LOADBALANCER, NULL,
          "{\"FrontendVIPs\":[\"10.97.0.1\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":80}]}",
          HCN_E_PORT_ALREADY_EXISTS, "ephemeral port block");
  /* Deleting one load balancer gives its block back. */
  char *ids = NULL;
  assert_int_equal(hns_enumerate(svc, HNS_LOADBALANCER, NULL, &ids, NULL), HNS_S_OK);
  cJSON *arr = cJSON_Parse(ids);
  assert_int_equal(cJSON_GetArraySize(arr), blocks);
  hns_guid g;
  assert_int_equal(hns_guid_parse(cJSON_GetArrayItem(arr, 0)->valuestring, &g), 0);
  assert_int_equal(hns_delete(svc, HNS_LOADBALANCER, &g, NULL), HNS_S_OK);
  hns_close(create(svc, HNS_LOADBALANCER, NULL,
                   "{\"FrontendVIPs\":[\"10.97.0.1\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":80}]}"));
  cJSON_Delete(arr);
  free(ids);
  hns_service_destroy(svc);
}

static void same_seed_same_ids(void **state) {
  (void)state;
  char *a[2];
  for (int i = 0; i < 2; i++) {
    hns_service *svc = service("ws2022", 42);
    hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
    hns_handle *ep = create(svc, HNS_ENDPOINT, net, "{}");
    cJSON *doc = query(ep);
    a[i] = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    hns_close(ep);
    hns_close(net);
    hns_service_destroy(svc);
  }
  assert_string_equal(a[0], a[1]);
  free(a[0]);
  free(a[1]);
}

typedef struct seen {
  uint32_t types[8];
  int n;
} seen;

static void on_notify(uint32_t type, void *context, hns_hr status, const char *data) {
  seen *s = context;
  assert_int_equal(status, HNS_S_OK);
  assert_non_null(strstr(data, "\"Flags\":0"));
  s->types[s->n++] = type;
}

static void notifications(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 1);
  seen s = {{0}, 0};
  hns_callback *cb;
  assert_int_equal(hns_register_service_callback(svc, on_notify, &s, &cb), HNS_S_OK);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  hns_handle *ns = create(svc, HNS_NAMESPACE, NULL, "{}");
  char *id = id_of(net);
  hns_guid g;
  hns_guid_parse(id, &g);
  assert_int_equal(hns_delete(svc, HNS_NETWORK, &g, NULL), HNS_S_OK);
  assert_int_equal(hns_unregister_service_callback(cb), HNS_S_OK);
  hns_close(create(svc, HNS_NAMESPACE, NULL, "{}"));
  assert_int_equal(s.n, 3);
  assert_int_equal(s.types[0], 2); /* NetworkCreate */
  assert_int_equal(s.types[1], 5); /* NamespaceCreate */
  assert_int_equal(s.types[2], 4); /* NetworkDelete */
  free(id);
  hns_close(ns);
  hns_close(net);
  hns_service_destroy(svc);
}

/* A client that stops listening from inside its callback (a one-shot
 * waiter); the notification loop must not touch it afterwards (ASan). */
typedef struct one_shot {
  hns_callback *cb;
  int calls;
} one_shot;

static void on_notify_once(uint32_t type, void *context, hns_hr status, const char *data) {
  (void)type, (void)status, (void)data;
  one_shot *o = context;
  o->calls++;
  assert_int_equal(hns_unregister_service_callback(o->cb), HNS_S_OK);
}

static void callback_unregisters_itself(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 1);
  one_shot first = {NULL, 0}, second = {NULL, 0};
  assert_int_equal(hns_register_service_callback(svc, on_notify_once, &first, &first.cb), HNS_S_OK);
  assert_int_equal(hns_register_service_callback(svc, on_notify_once, &second, &second.cb), HNS_S_OK);
  hns_close(create(svc, HNS_NAMESPACE, NULL, "{}"));
  hns_close(create(svc, HNS_NAMESPACE, NULL, "{}"));
  assert_int_equal(first.calls, 1);
  assert_int_equal(second.calls, 1);
  hns_service_destroy(svc);
}

/* A Detailed query adds the port's State under Health.Extra.Resources: 1
 * before the endpoint is in a namespace, 3 after; a plain one leaves it out. */
static int detailed_state(hns_handle *ep, const char *query) {
  char *props = NULL;
  assert_int_equal(hns_query_properties(ep, query, &props, NULL), HNS_S_OK);
  cJSON *doc = cJSON_Parse(props);
  free(props);
  const cJSON *state = cJSON_GetObjectItem(
      cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "Health"), "Extra"), "Resources"), "State");
  int v = cJSON_IsNumber(state) ? state->valueint : 0;
  cJSON_Delete(doc);
  return v;
}

static void detailed_query(void **state) {
  (void)state;
  const char *detailed = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Flags\":1}";
  hns_service *svc = service("ws2022", 1);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  hns_handle *ep = create(svc, HNS_ENDPOINT, net, "{}");
  hns_handle *ns = create(svc, HNS_NAMESPACE, NULL, "{}");
  assert_int_equal(detailed_state(ep, NULL), 0);
  assert_int_equal(detailed_state(ep, detailed), 1);
  char *id = id_of(ep), req[256];
  snprintf(req, sizeof req, "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}", id);
  assert_int_equal(hns_modify(ns, req, NULL), HNS_S_OK);
  assert_int_equal(detailed_state(ep, detailed), 3);
  assert_int_equal(detailed_state(ep, "{\"Flags\":0}"), 0);
  free(id);
  hns_close(ns);
  hns_close(ep);
  hns_close(net);
  hns_service_destroy(svc);
}

static int count_policies(hns_handle *h, const char *type) {
  cJSON *doc = query(h);
  int n = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "Policies")) n += !strcmp(str(p, "Type"), type);
  cJSON_Delete(doc);
  return n;
}

/* Before 1809 there is no computenetwork.dll: every v2 call fails as the
 * loader would, with an ErrorRecord, and nothing is created. */
static void no_v2_api_before_1809(void **state) {
  (void)state;
  const char *old[] = {"ws2016", "1709", "1803"};
  for (size_t i = 0; i < 3; i++) {
    hns_service *svc = service(old[i], 1);
    hns_handle *h = (hns_handle *)1;
    char *er = NULL, *ids = NULL;
    assert_int_equal(hns_create(svc, HNS_NETWORK, NULL, NULL, NAT_NET, &h, &er), HNS_E_MOD_NOT_FOUND);
    assert_null(h);
    assert_string_equal(er, "{\"Success\":false,\"Error\":\"The specified module could not be found. \","
                            "\"ErrorCode\":2147942526}");
    free(er);
    assert_non_null(strstr(hns_service_last_detail(svc), "no HCN v2 API"));
    assert_int_equal(hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL), HNS_E_MOD_NOT_FOUND);
    assert_null(ids);
    hns_callback *cb = (hns_callback *)1;
    assert_int_equal(hns_register_service_callback(svc, on_notify, NULL, &cb), HNS_E_MOD_NOT_FOUND);
    assert_null(cb);
    hns_service_destroy(svc);
  }
  hns_service *svc = service("ws2019-rtm", 1); /* 1809: the API exists */
  hns_close(create(svc, HNS_NETWORK, NULL, NAT_NET));
  hns_service_destroy(svc);
}

static void policy_requests(void **state) {
  (void)state;
  hns_service *svc = service("ws2022", 9);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, NAT_NET);
  hns_handle *ep = create(svc, HNS_ENDPOINT, net, "{}");
  const char *add_acl =
      "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":\"ACL\",\"Settings\":"
      "{\"Protocols\":\"6\",\"Action\":\"Block\",\"Direction\":\"In\",\"RemotePorts\":\"80\",\"Priority\":200}}]}}";
  assert_int_equal(hns_modify(ep, add_acl, NULL), HNS_S_OK);
  assert_int_equal(hns_modify(ep, add_acl, NULL), HNS_S_OK);
  assert_int_equal(count_policies(ep, "ACL"), 2);
  /* Update replaces the ACLs; Remove of a type the endpoint lacks is refused and changes nothing. */
  const char *update = "{\"ResourceType\":1,\"RequestType\":2,\"Settings\":{\"Policies\":[{\"Type\":\"acl\",\"Settings\":{\"Action\":\"Allow\"}}]}}";
  assert_int_equal(hns_modify(ep, update, NULL), HNS_S_OK);
  assert_int_equal(count_policies(ep, "ACL"), 1);
  char *before = NULL, *after = NULL, *er = NULL;
  assert_int_equal(hns_query_properties(ep, NULL, &before, NULL), HNS_S_OK);
  const char *remove_two = "{\"ResourceType\":\"Policy\",\"RequestType\":\"Remove\",\"Settings\":{\"Policies\":"
                           "[{\"Type\":\"ACL\"},{\"Type\":\"OutBoundNAT\"}]}}";
  assert_int_equal(hns_modify(ep, remove_two, &er), HCN_E_POLICY_NOT_FOUND);
  assert_non_null(strstr(hns_service_last_detail(svc), "no OutBoundNAT policy"));
  free(er);
  assert_int_equal(hns_query_properties(ep, NULL, &after, NULL), HNS_S_OK);
  assert_string_equal(before, after);
  free(before);
  free(after);
  assert_int_equal(hns_modify(ep, "{\"ResourceType\":\"Policy\",\"RequestType\":\"Remove\",\"Settings\":{\"Policies\":[{\"Type\":\"ACL\"}]}}", NULL),
                   HNS_S_OK);
  assert_int_equal(count_policies(ep, "ACL"), 0);
  assert_int_equal(hns_modify(ep, "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":\"Nope\"}]}}", NULL),
                   HCN_E_INVALID_POLICY_TYPE);
  /* Network policies: gated by the profile, as on create. */
  const char *add_route = "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":\"RemoteSubnetRoute\","
                          "\"Settings\":{\"DestinationPrefix\":\"192.168.2.0/24\",\"IsolationId\":5000,\"ProviderAddress\":\"1.1.1.1\","
                          "\"DistributedRouterMacAddress\":\"00-12-34-56-78-9a\"}}]}}";
  assert_int_equal(hns_modify(net, add_route, NULL), HNS_S_OK);
  assert_int_equal(count_policies(net, "RemoteSubnetRoute"), 1);
  hns_close(ep);
  hns_close(net);
  hns_service_destroy(svc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(network_lifecycle),  cmocka_unit_test(network_refusals),
      cmocka_unit_test(endpoints_addresses_and_macs), cmocka_unit_test(namespaces_attach_endpoints),
      cmocka_unit_test(load_balancers),     cmocka_unit_test(profile_gates),
      cmocka_unit_test(port_blocks_run_out), cmocka_unit_test(same_seed_same_ids),
      cmocka_unit_test(notifications),      cmocka_unit_test(policy_requests),
      cmocka_unit_test(remote_endpoints_share_macs), cmocka_unit_test(load_balancer_modify),
      cmocka_unit_test(no_v2_api_before_1809), cmocka_unit_test(callback_unregisters_itself),
      cmocka_unit_test(detailed_query),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
