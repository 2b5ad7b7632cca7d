/* test_hns_v1.c: HNSCall's UTF-8 API (hnsmock/hns_v1.h) as a v1 client
 * sees it: every route, the envelope and HRESULT of each refusal, nothing
 * changed by a refusal, the v1 and v2 views of the same objects both ways,
 * the v1 policies of Microsoft's CNI samples, /globals/version per profile,
 * and the v1 flow on WS2016, which has no v2 API. */
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
#include "hns_profile.h"
#include "hns_v1.h"

#ifndef HNSIM_CORPUS_DIR
#define HNSIM_CORPUS_DIR "tests/corpus/cni-samples"
#endif

#define BRIDGE_NET                                                                                              \
  "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Subnets\":[{\"AddressPrefix\":\"10.244.1.0/24\",\"GatewayAddress\":" \
  "\"10.244.1.1\"}]}"

static hns_service *service(const char *profile) {
  hns_service_config cfg = {hns_profile_find(profile), "node1", 7};
  hns_service *svc;
  assert_int_equal(hns_service_create(&cfg, &svc), HNS_S_OK);
  return svc;
}

/* A call that must succeed: returns the envelope's Output (NULL when none). */
static cJSON *call(hns_service *svc, const char *method, const char *path, const char *body) {
  char *response = NULL;
  hns_hr hr = hns_call(svc, method, path, body, &response);
  if (hr != HNS_S_OK) fail_msg("%s %s: 0x%08X %s (%s)", method, path, (unsigned)hr, response, hns_service_last_detail(svc));
  cJSON *env = cJSON_Parse(response);
  free(response);
  assert_non_null(env);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(env, "Success")));
  assert_null(cJSON_GetObjectItemCaseSensitive(env, "Error"));
  cJSON *out = cJSON_DetachItemFromObjectCaseSensitive(env, "Output");
  cJSON_Delete(env);
  return out;
}

/* Everything a v1 client can list, as one string. */
static char *snapshot(hns_service *svc) {
  static const char *const paths[] = {"/networks", "/endpoints", "/policylists", "/namespaces"};
  cJSON *all = cJSON_CreateArray();
  for (size_t i = 0; i < 4; i++) cJSON_AddItemToArray(all, call(svc, "GET", paths[i], NULL));
  char *text = cJSON_PrintUnformatted(all);
  cJSON_Delete(all);
  return text;
}

/* A refused call: its HRESULT, the exact envelope, the detail, no change. */
static void refused(hns_service *svc, const char *method, const char *path, const char *body, hns_hr want,
                    const char *detail_part) {
  char *before = snapshot(svc), *response = NULL;
  hns_hr hr = hns_call(svc, method, path, body, &response);
  if (hr != want)
    fail_msg("%s %s: got 0x%08X (%s), want 0x%08X", method, path, (unsigned)hr, hns_service_last_detail(svc), (unsigned)want);
  char *record = hns_error_record(want);
  assert_string_equal(response, record);
  free(record);
  free(response);
  if (detail_part && !strstr(hns_service_last_detail(svc), detail_part))
    fail_msg("detail '%s' lacks '%s'", hns_service_last_detail(svc), detail_part);
  char *after = snapshot(svc);
  assert_string_equal(before, after);
  free(before);
  free(after);
}

static const char *str(const cJSON *o, const char *key) {
  return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static double num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!cJSON_IsNumber(v)) fail_msg("%s is not a number", key);
  return v->valuedouble;
}

static char *path_of(const char *collection, const char *id, const char *action) {
  static char buf[4][160];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, 160, "/%s/%s%s%s", collection, id, action ? "/" : "", action ? action : "");
  return p;
}

/* The v2 (or v1, schema_major 1) document of an object, through HCN. */
static cJSON *v2_doc(hns_service *svc, hns_object_kind kind, const char *id, int schema_major) {
  hns_guid g;
  hns_handle *h;
  char *props = NULL, query[64];
  assert_int_equal(hns_guid_parse(id, &g), 0);
  assert_int_equal(hns_open(svc, kind, &g, &h, NULL), HNS_S_OK);
  snprintf(query, sizeof query, "{\"SchemaVersion\":{\"Major\":%d,\"Minor\":0}}", schema_major);
  assert_int_equal(hns_query_properties(h, query, &props, NULL), HNS_S_OK);
  hns_close(h);
  cJSON *doc = cJSON_Parse(props);
  free(props);
  assert_non_null(doc);
  return doc;
}

static void assert_enumerated(hns_service *svc, hns_object_kind kind, const char *id) {
  char *ids = NULL;
  assert_int_equal(hns_enumerate(svc, kind, NULL, &ids, NULL), HNS_S_OK);
  if (!strstr(ids, id)) fail_msg("%s not in %s", id, ids);
  free(ids);
}

/* POSTs and returns the new object's ID (strdup'd). */
static char *create(hns_service *svc, const char *collection, const char *body) {
  char path[32];
  snprintf(path, sizeof path, "/%s/", collection);
  cJSON *out = call(svc, "POST", path, body);
  char *id = strdup(str(out, "ID"));
  cJSON_Delete(out);
  return id;
}

static char *endpoint_on(hns_service *svc, const char *network, const char *ip) {
  char body[256];
  snprintf(body, sizeof body, "{\"VirtualNetworkName\":\"%s\",\"IPAddress\":\"%s\"}", network, ip);
  return create(svc, "endpoints", body);
}

/* ---- networks ---- */

static void network_routes(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  cJSON *net = call(svc, "POST", "/networks/",
                    "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\",\"GatewayAddress\":"
                    "\"172.20.0.1\"}],\"MacPools\":[{\"StartMacAddress\":\"00-15-5D-52-C0-00\",\"EndMacAddress\":"
                    "\"00-15-5D-52-CF-FF\"}],\"DNSServerList\":\"8.8.8.8, 1.1.1.1\",\"DNSSuffix\":\"corp.example\","
                    "\"Policies\":[{\"Type\":\"VLAN\",\"VLAN\":1}]}");
  const char *id = str(net, "ID");
  assert_non_null(id);
  assert_string_equal(str(net, "Type"), "nat"); /* as the creator wrote it */
  const cJSON *subnet = cJSON_GetArrayItem(cJSON_GetObjectItem(net, "Subnets"), 0);
  assert_string_equal(str(subnet, "AddressPrefix"), "172.20.0.0/24");
  assert_string_equal(str(subnet, "GatewayAddress"), "172.20.0.1");
  assert_non_null(str(subnet, "ID"));
  char *vlan = cJSON_PrintUnformatted(cJSON_GetObjectItem(subnet, "Policies"));
  assert_string_equal(vlan, "[{\"Type\":\"VLAN\",\"VLAN\":1}]");
  free(vlan);
  assert_string_equal(str(net, "DNSServerList"), "8.8.8.8,1.1.1.1");
  assert_string_equal(str(net, "DNSSuffix"), "corp.example");
  assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(net, "MacPools"), 0), "StartMacAddress"), "00-15-5D-52-C0-00");
  const cJSON *wfp = cJSON_GetArrayItem(cJSON_GetObjectItem(net, "Extensions"), 0);
  assert_string_equal(str(wfp, "Name"), "Microsoft Windows Filtering Platform");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(wfp, "IsEnabled")));
  /* Lists, and GET by ID in any case and with any slashes. */
  cJSON *all = call(svc, "get", "networks", NULL);
  assert_int_equal(cJSON_GetArraySize(all), 1);
  assert_true(cJSON_Compare(cJSON_GetArrayItem(all, 0), net, 1));
  cJSON_Delete(all);
  char lower[37], path[96];
  for (int i = 0; i < 37; i++) lower[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] + 32 : id[i]);
  snprintf(path, sizeof path, "//NETWORKS/%s/", lower);
  cJSON *again = call(svc, "GET", path, NULL);
  assert_true(cJSON_Compare(again, net, 1));
  cJSON_Delete(again);
  /* The same object through v2: HcnEnumerateNetworks, HostComputeNetwork. */
  assert_enumerated(svc, HNS_NETWORK, id);
  cJSON *v2 = v2_doc(svc, HNS_NETWORK, id, 2);
  assert_null(cJSON_GetObjectItem(v2, "Type")); /* NAT has no Type in v2 */
  const cJSON *s2 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(v2, "Ipams"), 0), "Subnets"), 0);
  assert_string_equal(str(s2, "IpAddressPrefix"), "172.20.0.0/24");
  assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(s2, "Routes"), 0), "NextHop"), "172.20.0.1");
  const cJSON *p2 = cJSON_GetArrayItem(cJSON_GetObjectItem(s2, "Policies"), 0);
  assert_string_equal(str(p2, "Type"), "VLAN");
  assert_int_equal(num(cJSON_GetObjectItem(p2, "Settings"), "IsolationId"), 1);
  assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(v2, "Dns"), "ServerList"), 1)->valuestring,
                      "1.1.1.1");
  cJSON_Delete(v2);
  /* QueryProperties with SchemaVersion 1 answers the v1 view. */
  cJSON *v1 = v2_doc(svc, HNS_NETWORK, id, 1);
  assert_true(cJSON_Compare(v1, net, 1));
  cJSON_Delete(v1);
  cJSON *deleted = call(svc, "DELETE", path_of("networks", id, NULL), NULL);
  assert_null(deleted); /* DELETE answers no Output */
  refused(svc, "GET", path_of("networks", lower, NULL), NULL, HNS_E_ELEMENT_NOT_FOUND, lower);
  cJSON_Delete(net);
  hns_service_destroy(svc);
}

/* A network made through HCN v2 reads through v1, network policies as v1 fields. */
static void v2_network_through_v1(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  hns_handle *h;
  assert_int_equal(hns_create(svc, HNS_NETWORK, NULL, NULL,
                              "{\"Name\":\"overlay\",\"Type\":\"Overlay\",\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{"
                              "\"IpAddressPrefix\":\"10.0.0.0/24\",\"Routes\":[{\"NextHop\":\"10.0.0.1\",\"DestinationPrefix\":"
                              "\"0.0.0.0/0\"}],\"Policies\":[{\"Type\":\"VSID\",\"Settings\":{\"IsolationId\":4096}}]}]}],"
                              "\"Policies\":[{\"Type\":\"NetAdapterName\",\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"}},"
                              "{\"Type\":\"ProviderAddress\",\"Settings\":{\"ProviderAddress\":\"192.168.1.5\"}},"
                              "{\"Type\":\"VxlanPort\",\"Settings\":{\"Port\":4789}}]}",
                              &h, NULL),
                   HNS_S_OK);
  char *ids = NULL;
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL), HNS_S_OK);
  cJSON *arr = cJSON_Parse(ids);
  const char *id = cJSON_GetArrayItem(arr, 0)->valuestring;
  cJSON *net = call(svc, "GET", path_of("networks", id, NULL), NULL);
  assert_string_equal(str(net, "ID"), id);
  assert_string_equal(str(net, "Type"), "Overlay");
  assert_string_equal(str(net, "NetworkAdapterName"), "Ethernet");
  assert_string_equal(str(net, "ManagementIP"), "192.168.1.5");
  char *subnet = cJSON_PrintUnformatted(cJSON_GetArrayItem(cJSON_GetObjectItem(net, "Subnets"), 0));
  assert_non_null(strstr(subnet, "\"AddressPrefix\":\"10.0.0.0/24\",\"GatewayAddress\":\"10.0.0.1\",\"Policies\":[{\"Type\":\"VSID\",\"VSID\":4096}]"));
  free(subnet);
  /* A v2-only policy keeps its v2 shape in v1 and posts back as it is. */
  char *policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(net, "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"VxlanPort\",\"Settings\":{\"Port\":4789}}]");
  free(policies);
  /* The v1 view posted back makes the same network (under a new name and ID). */
  cJSON_ReplaceItemInObject(net, "Name", cJSON_CreateString("overlay2"));
  cJSON_DeleteItemFromObject(net, "ID");
  char *text = cJSON_PrintUnformatted(net);
  cJSON *copy = call(svc, "POST", "/networks", text);
  free(text);
  cJSON_DeleteItemFromObject(copy, "ID");
  cJSON *sub_a = cJSON_GetArrayItem(cJSON_GetObjectItem(copy, "Subnets"), 0), *sub_b = cJSON_GetArrayItem(cJSON_GetObjectItem(net, "Subnets"), 0);
  cJSON_DeleteItemFromObject(sub_a, "ID");
  cJSON_DeleteItemFromObject(sub_b, "ID");
  cJSON_DeleteItemFromObject(copy, "MacPools"); /* each network gets its own pool */
  cJSON_DeleteItemFromObject(net, "MacPools");
  assert_true(cJSON_Compare(copy, net, 1));
  cJSON_Delete(copy);
  cJSON_Delete(net);
  cJSON_Delete(arr);
  free(ids);
  hns_close(h);
  hns_service_destroy(svc);
}

/* ---- endpoints ---- */

static void endpoint_routes(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  char *net = create(svc, "networks", BRIDGE_NET);
  char body[1024];
  snprintf(body, sizeof body,
           "{\"Name\":\"pod1_cbr0\",\"VirtualNetwork\":\"%s\",\"IPAddress\":\"10.244.1.5\",\"MacAddress\":\"00-15-5D-AA-00-05\","
           "\"DNSServerList\":\"10.96.0.10\",\"DNSSuffix\":\"default.svc.cluster.local,svc.cluster.local\","
           "\"GatewayAddress\":\"10.244.1.2\",\"DisableICC\":true,\"EnableLowMetric\":true,\"EncapOverhead\":50,"
           "\"Policies\":[{\"Type\":\"NAT\",\"Protocol\":\"tcp\",\"InternalPort\":80,\"ExternalPort\":8080},"
           "{\"Type\":\"PA\",\"PA\":\"192.168.1.5\"},{\"Type\":\"L2Driver\"},{\"Type\":\"QOS\",\"MaximumOutgoingBandwidthInBytes\":1000}]}",
           net);
  cJSON *ep = call(svc, "POST", "/endpoints", body);
  const char *id = str(ep, "ID");
  assert_string_equal(str(ep, "VirtualNetwork"), net);
  assert_string_equal(str(ep, "VirtualNetworkName"), "cbr0");
  assert_string_equal(str(ep, "IPAddress"), "10.244.1.5");
  assert_int_equal(num(ep, "PrefixLength"), 24);
  assert_string_equal(str(ep, "MacAddress"), "00-15-5D-AA-00-05");
  assert_string_equal(str(ep, "DNSSuffix"), "default.svc.cluster.local,svc.cluster.local");
  assert_string_equal(str(ep, "GatewayAddress"), "10.244.1.2");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ep, "DisableICC")));
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ep, "EnableLowMetric")));
  assert_null(cJSON_GetObjectItem(ep, "IsRemoteEndpoint"));
  assert_int_equal(num(ep, "EncapOverhead"), 50);
  assert_int_equal(num(ep, "State"), 1); /* Created */
  assert_null(cJSON_GetObjectItem(ep, "SharedContainers"));
  char *policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(ep, "Policies"));
  assert_string_equal(policies,
                      "[{\"Type\":\"NAT\",\"Protocol\":\"TCP\",\"InternalPort\":80,\"ExternalPort\":8080},"
                      "{\"Type\":\"PA\",\"PA\":\"192.168.1.5\"},{\"Type\":\"L2Driver\"},"
                      "{\"Type\":\"QOS\",\"MaximumOutgoingBandwidthInBytes\":1000}]");
  free(policies);
  /* The v2 view of the same endpoint. */
  assert_enumerated(svc, HNS_ENDPOINT, id);
  cJSON *v2 = v2_doc(svc, HNS_ENDPOINT, id, 2);
  assert_string_equal(str(v2, "HostComputeNetwork"), net);
  assert_int_equal(num(v2, "Flags"), 10); /* DisableICC 2 | EnableLowMetric 8 */
  const cJSON *cfg = cJSON_GetArrayItem(cJSON_GetObjectItem(v2, "IpConfigurations"), 0);
  assert_string_equal(str(cfg, "IpAddress"), "10.244.1.5");
  assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(v2, "Dns"), "Search"), 1)->valuestring,
                      "svc.cluster.local");
  const cJSON *route = cJSON_GetArrayItem(cJSON_GetObjectItem(v2, "Routes"), 0);
  assert_string_equal(str(route, "DestinationPrefix"), "0.0.0.0/0");
  assert_string_equal(str(route, "NextHop"), "10.244.1.2");
  char *p2 = cJSON_PrintUnformatted(cJSON_GetObjectItem(v2, "Policies"));
  assert_string_equal(p2,
                      "[{\"Type\":\"PortMapping\",\"Settings\":{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":8080}},"
                      "{\"Type\":\"ProviderAddress\",\"Settings\":{\"ProviderAddress\":\"192.168.1.5\"}},{\"Type\":\"L2Driver\"},"
                      "{\"Type\":\"QOS\",\"Settings\":{\"MaximumOutgoingBandwidthInBytes\":1000}},"
                      "{\"Type\":\"EncapOverhead\",\"Settings\":{\"Overhead\":50}}]");
  free(p2);
  cJSON_Delete(v2);
  /* Update (hcsshim ApplyACLPolicy): the posted Policies replace the list. */
  snprintf(body, sizeof body,
           "{\"ID\":\"%s\",\"Policies\":[{\"Type\":\"ACL\",\"Protocol\":6,\"Action\":\"Allow\",\"Direction\":\"In\","
           "\"LocalPort\":80,\"RuleType\":\"Switch\",\"Priority\":200}]}",
           id);
  cJSON *updated = call(svc, "POST", path_of("endpoints", id, NULL), body);
  policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(updated, "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"ACL\",\"Protocols\":\"6\",\"Action\":\"Allow\",\"Direction\":\"In\","
                                "\"LocalPorts\":\"80\",\"RuleType\":\"Switch\",\"Priority\":200}]");
  free(policies);
  assert_string_equal(str(updated, "IPAddress"), "10.244.1.5");
  v2 = v2_doc(svc, HNS_ENDPOINT, id, 2);
  const cJSON *acl = cJSON_GetArrayItem(cJSON_GetObjectItem(v2, "Policies"), 0);
  assert_string_equal(str(acl, "Type"), "ACL");
  assert_string_equal(str(cJSON_GetObjectItem(acl, "Settings"), "LocalPorts"), "80");
  cJSON_Delete(v2);
  cJSON *got = call(svc, "GET", path_of("endpoints", id, NULL), NULL);
  assert_true(cJSON_Compare(got, updated, 1));
  cJSON_Delete(got);
  /* 0 is hcsshim's unset uint16, as HNS echoes it (a Calico ACL in a
   * collectlogs dump: "LocalPort": 0, "Protocol": 256): no port constraint. */
  snprintf(body, sizeof body,
           "{\"ID\":\"%s\",\"Policies\":[{\"Type\":\"ACL\",\"Protocol\":256,\"Action\":\"Allow\",\"Direction\":\"In\","
           "\"LocalPort\":0,\"RemotePort\":0,\"RuleType\":\"Switch\",\"Priority\":900}]}",
           id);
  got = call(svc, "POST", path_of("endpoints", id, NULL), body);
  policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(got, "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"ACL\",\"Protocols\":\"256\",\"Action\":\"Allow\",\"Direction\":\"In\","
                                "\"RuleType\":\"Switch\",\"Priority\":900}]");
  free(policies);
  cJSON_Delete(got);
  /* A GET'ed endpoint posts back unchanged (hcsshim's Update does). */
  char *again = cJSON_PrintUnformatted(updated);
  got = call(svc, "POST", path_of("endpoints", id, NULL), again);
  assert_true(cJSON_Compare(got, updated, 1));
  cJSON_Delete(got);
  free(again);
  /* Stats: every counter, all 0 (no traffic yet). */
  cJSON *stats = call(svc, "GET", path_of("endpointstats", id, NULL), NULL);
  char *stats_text = cJSON_PrintUnformatted(stats);
  char want[512];
  snprintf(want, sizeof want,
           "{\"BytesReceived\":0,\"BytesSent\":0,\"DroppedPacketsIncoming\":0,\"DroppedPacketsOutgoing\":0,\"EndpointId\":\"%s\","
           "\"PacketsReceived\":0,\"PacketsSent\":0}",
           id);
  assert_string_equal(stats_text, want);
  free(stats_text);
  cJSON_Delete(stats);
  cJSON *list = call(svc, "GET", "/endpoints/", NULL);
  assert_int_equal(cJSON_GetArraySize(list), 1);
  cJSON_Delete(list);
  assert_null(call(svc, "DELETE", path_of("endpoints", id, NULL), NULL));
  refused(svc, "GET", path_of("endpointstats", id, NULL), NULL, HNS_E_ELEMENT_NOT_FOUND, "no endpoint");
  cJSON_Delete(updated);
  cJSON_Delete(ep);
  free(net);
  hns_service_destroy(svc);
}

/* An endpoint made through HcnCreateEndpoint reads through v1. */
static void v2_endpoint_through_v1(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  char *net = create(svc, "networks", BRIDGE_NET);
  hns_guid g;
  hns_handle *nh, *eh;
  assert_int_equal(hns_guid_parse(net, &g), 0);
  assert_int_equal(hns_open(svc, HNS_NETWORK, &g, &nh, NULL), HNS_S_OK);
  assert_int_equal(hns_create(svc, HNS_ENDPOINT, nh, NULL,
                              "{\"Name\":\"ep\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.9\"}],\"Flags\":1,"
                              "\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"VirtualIP\":\"10.0.0.4\",\"Exceptions\":"
                              "[\"10.244.0.0/16\"],\"Flags\":1}}]}",
                              &eh, NULL),
                   HNS_S_OK);
  cJSON *list = call(svc, "GET", "/endpoints", NULL);
  const cJSON *ep = cJSON_GetArrayItem(list, 0);
  assert_string_equal(str(ep, "VirtualNetwork"), net);
  assert_string_equal(str(ep, "IPAddress"), "10.244.1.9");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ep, "IsRemoteEndpoint")));
  char *policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(ep, "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"OutBoundNAT\",\"VIP\":\"10.0.0.4\",\"ExceptionList\":[\"10.244.0.0/16\"],\"Flags\":1}]");
  free(policies);
  cJSON_Delete(list);
  hns_close(eh);
  hns_close(nh);
  free(net);
  hns_service_destroy(svc);
}

/* ---- attach and detach ---- */

static void attach_detach(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  char *net = create(svc, "networks", BRIDGE_NET);
  char *id = endpoint_on(svc, "cbr0", "10.244.1.7");
  char attach[96], detach[96];
  snprintf(attach, sizeof attach, "/endpoints/%s/attach", id);
  snprintf(detach, sizeof detach, "/endpoints/%s/detach", id);
  assert_null(call(svc, "POST", attach, "{\"ContainerId\":\"c1\",\"SystemType\":\"Container\",\"CompartmentId\":3}"));
  cJSON *ep = call(svc, "GET", path_of("endpoints", id, NULL), NULL);
  assert_int_equal(num(ep, "State"), 2);
  char *shared = cJSON_PrintUnformatted(cJSON_GetObjectItem(ep, "SharedContainers"));
  assert_string_equal(shared, "[\"c1\"]");
  free(shared);
  cJSON_Delete(ep);
  /* The v2 view carries them in Health.Extra.SharedContainers. */
  cJSON *v2 = v2_doc(svc, HNS_ENDPOINT, id, 2);
  assert_string_equal(
      cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(v2, "Health"), "Extra"), "SharedContainers"), 0)
          ->valuestring,
      "c1");
  cJSON_Delete(v2);
  refused(svc, "POST", attach, "{\"ContainerId\":\"C1\",\"SystemType\":\"Container\"}", HCN_E_ENDPOINT_ALREADY_ATTACHED,
          "already attached to container C1");
  refused(svc, "POST", attach, "{\"ContainerId\":\"c2\",\"SystemType\":\"Container\"}", HCN_E_ENDPOINT_ALREADY_ATTACHED,
          "attached to container c1");
  /* HCS's hot attach shares it (dockershim's app containers). */
  assert_int_equal(hns_hot_attach(svc, "c2", id), HNS_S_OK);
  assert_int_equal(hns_hot_attach(svc, "c2", id), HNS_S_OK); /* already in: no change */
  ep = call(svc, "GET", path_of("endpoints", id, NULL), NULL);
  assert_int_equal(num(ep, "State"), 3); /* AttachedSharing */
  shared = cJSON_PrintUnformatted(cJSON_GetObjectItem(ep, "SharedContainers"));
  assert_string_equal(shared, "[\"c1\",\"c2\"]");
  free(shared);
  cJSON_Delete(ep);
  assert_null(call(svc, "POST", detach, "{\"ContainerId\":\"c1\",\"SystemType\":\"Container\"}"));
  refused(svc, "POST", detach, "{\"ContainerId\":\"c1\",\"SystemType\":\"Container\"}", HCN_E_ENDPOINT_NOT_ATTACHED,
          "not attached to container c1");
  assert_int_equal(hns_hot_detach(svc, "c2", id), HNS_S_OK);
  assert_int_equal(hns_hot_detach(svc, "c2", id), HNS_S_OK); /* not in: no change */
  ep = call(svc, "GET", path_of("endpoints", id, NULL), NULL);
  assert_int_equal(num(ep, "State"), 4); /* Detached */
  assert_null(cJSON_GetObjectItem(ep, "SharedContainers"));
  cJSON_Delete(ep);
  v2 = v2_doc(svc, HNS_ENDPOINT, id, 2);
  assert_null(cJSON_GetObjectItem(v2, "Health")); /* nothing left behind */
  cJSON_Delete(v2);
  /* Host attach (hcsshim HostAttach, the cbr0 host endpoint) and VM NICs. */
  assert_null(call(svc, "POST", attach, "{\"SystemType\":\"Host\",\"CompartmentId\":1}"));
  refused(svc, "POST", attach, "{\"SystemType\":\"VirtualMachine\",\"VirtualNicName\":\"nic\"}", HCN_E_ENDPOINT_ALREADY_ATTACHED,
          "attached to the host");
  refused(svc, "POST", detach, "{\"SystemType\":\"VirtualMachine\"}", HCN_E_ENDPOINT_NOT_ATTACHED, "VM NIC");
  assert_null(call(svc, "POST", detach, "{\"SystemType\":\"Host\"}"));
  refused(svc, "POST", attach, "{\"SystemType\":\"VirtualMachine\"}", HNS_E_INVALIDARG, "VirtualNicName");
  assert_null(call(svc, "POST", attach, "{\"SystemType\":\"VirtualMachine\",\"VirtualNicName\":\"vm-nic\"}"));
  ep = call(svc, "GET", path_of("endpoints", id, NULL), NULL);
  assert_int_equal(num(ep, "State"), 2);
  cJSON_Delete(ep);
  refused(svc, "POST", attach, "{\"SystemType\":\"Pod\"}", HNS_E_INVALIDARG, "SystemType");
  refused(svc, "POST", attach, "{\"SystemType\":\"Container\"}", HNS_E_INVALIDARG, "ContainerId");
  refused(svc, "POST", attach, "[1]", HCN_E_INVALID_JSON, "ContainerId");
  /* Remote endpoints are not attached. */
  char body[256];
  snprintf(body, sizeof body, "{\"VirtualNetwork\":\"%s\",\"IPAddress\":\"10.244.9.9\",\"IsRemoteEndpoint\":true}", net);
  char *remote = create(svc, "endpoints", body);
  refused(svc, "POST", path_of("endpoints", remote, "attach"), "{\"ContainerId\":\"c3\",\"SystemType\":\"Container\"}",
          HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION, "remote endpoint");
  assert_int_equal(hns_hot_attach(svc, "c3", remote), HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION);
  assert_int_equal(hns_hot_attach(svc, "c3", "00000000-0000-0000-0000-00000000beef"), HNS_E_ELEMENT_NOT_FOUND);
  free(remote);
  free(id);
  free(net);
  hns_service_destroy(svc);
}

/* WS2016 cannot add an endpoint to a running container (facts §6). */
static void hot_attach_needs_profile(void **state) {
  (void)state;
  hns_service *svc = service("ws2016");
  char *net = create(svc, "networks", "{\"Name\":\"nat\",\"Type\":\"NAT\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\"}]}");
  char *id = endpoint_on(svc, "nat", "172.20.0.5");
  assert_int_equal(hns_hot_attach(svc, "c1", id), HNS_E_NOT_SUPPORTED);
  assert_non_null(strstr(hns_service_last_detail(svc), "ws2016"));
  cJSON *ep = call(svc, "GET", path_of("endpoints", id, NULL), NULL);
  assert_int_equal(num(ep, "State"), 1);
  cJSON_Delete(ep);
  free(id);
  free(net);
  hns_service_destroy(svc);
}

/* ---- policy lists ---- */

static void elb_policylist_is_load_balancer(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  free(create(svc, "networks", BRIDGE_NET));
  char *a = endpoint_on(svc, "cbr0", "10.244.1.10"), *b = endpoint_on(svc, "cbr0", "10.244.1.11");
  char body[512];
  snprintf(body, sizeof body,
           "{\"References\":[\"/endpoints/%s\",\"/endpoints/%s\"],\"Policies\":[{\"Type\":\"ELB\",\"Protocol\":6,"
           "\"InternalPort\":8080,\"ExternalPort\":80,\"VIPs\":[\"10.96.0.20\"],\"ILB\":true,\"IsDSR\":true}]}",
           a, b);
  cJSON *list = call(svc, "POST", "/policylists/", body);
  const char *id = str(list, "ID");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(list, "IsApplied")));
  char want[512];
  snprintf(want, sizeof want, "[\"/endpoints/%s\",\"/endpoints/%s\"]", a, b);
  char *refs = cJSON_PrintUnformatted(cJSON_GetObjectItem(list, "References"));
  assert_string_equal(refs, want);
  free(refs);
  char *policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(list, "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"ELB\",\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":80,"
                                "\"VIPs\":[\"10.96.0.20\"],\"ILB\":true,\"IsDSR\":true}]");
  free(policies);
  /* HcnEnumerateLoadBalancers lists it; v2 shows a HostComputeLoadBalancer. */
  assert_enumerated(svc, HNS_LOADBALANCER, id);
  cJSON *lb = v2_doc(svc, HNS_LOADBALANCER, id, 2);
  assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(lb, "HostComputeEndpoints"), 1)->valuestring, b);
  assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(lb, "FrontendVIPs"), 0)->valuestring, "10.96.0.20");
  assert_int_equal(num(lb, "Flags"), 1); /* DSR */
  const cJSON *pm = cJSON_GetArrayItem(cJSON_GetObjectItem(lb, "PortMappings"), 0);
  assert_int_equal(num(pm, "InternalPort"), 8080);
  assert_int_equal(num(pm, "Flags"), 1); /* ILB */
  cJSON_Delete(lb);
  cJSON *v1 = v2_doc(svc, HNS_LOADBALANCER, id, 1);
  assert_true(cJSON_Compare(v1, list, 1));
  cJSON_Delete(v1);
  /* A load balancer made through HCN is a policy list too. */
  hns_handle *h;
  snprintf(body, sizeof body,
           "{\"HostComputeEndpoints\":[\"%s\"],\"SourceVIP\":\"10.244.1.2\",\"PortMappings\":[{\"Protocol\":17,"
           "\"InternalPort\":53,\"ExternalPort\":53}]}",
           a);
  assert_int_equal(hns_create(svc, HNS_LOADBALANCER, NULL, NULL, body, &h, NULL), HNS_S_OK);
  cJSON *all = call(svc, "GET", "/policylists", NULL);
  assert_int_equal(cJSON_GetArraySize(all), 2);
  const cJSON *second = cJSON_GetArrayItem(all, 1);
  policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(second, "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"ELB\",\"Protocol\":17,\"InternalPort\":53,\"ExternalPort\":53,\"SourceVIP\":\"10.244.1.2\"}]");
  free(policies);
  snprintf(want, sizeof want, "[\"/endpoints/%s\"]", a);
  refs = cJSON_PrintUnformatted(cJSON_GetObjectItem(second, "References"));
  assert_string_equal(refs, want);
  free(refs);
  cJSON *one = call(svc, "GET", path_of("policylists", str(second, "ID"), NULL), NULL);
  assert_true(cJSON_Compare(one, second, 1));
  cJSON_Delete(one);
  /* DELETE through v1 removes the load balancer. */
  assert_null(call(svc, "DELETE", path_of("policylists", str(second, "ID"), NULL), NULL));
  char *ids = NULL;
  assert_int_equal(hns_enumerate(svc, HNS_LOADBALANCER, NULL, &ids, NULL), HNS_S_OK);
  assert_null(strstr(ids, str(second, "ID")));
  free(ids);
  hns_close(h);
  cJSON_Delete(all);
  cJSON_Delete(list);
  free(a);
  free(b);
  hns_service_destroy(svc);
}

static void route_policylist_is_sdn_route(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  free(create(svc, "networks", BRIDGE_NET));
  char *a = endpoint_on(svc, "cbr0", "10.244.1.10");
  char body[512];
  snprintf(body, sizeof body,
           "{\"References\":[\"/endpoints/%s\"],\"Policies\":[{\"Type\":\"ROUTE\",\"DestinationPrefix\":\"10.96.0.0/12\","
           "\"NeedEncap\":true},{\"Type\":\"ROUTE\",\"DestinationPrefix\":\"169.254.169.254/32\",\"NextHop\":\"10.244.1.1\"}]}",
           a);
  cJSON *list = call(svc, "POST", "/policylists", body);
  const char *id = str(list, "ID");
  char *policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(list, "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"ROUTE\",\"DestinationPrefix\":\"10.96.0.0/12\",\"NeedEncap\":true},"
                                "{\"Type\":\"ROUTE\",\"DestinationPrefix\":\"169.254.169.254/32\",\"NextHop\":\"10.244.1.1\"}]");
  free(policies);
  assert_enumerated(svc, HNS_SDNROUTE, id);
  cJSON *route = v2_doc(svc, HNS_SDNROUTE, id, 2);
  const cJSON *setting = cJSON_GetArrayItem(cJSON_GetObjectItem(route, "Setting"), 0);
  assert_string_equal(str(setting, "DestinationPrefix"), "10.96.0.0/12");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(setting, "NeedEncap")));
  assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(route, "HostComputeEndpoints"), 0)->valuestring, a);
  cJSON_Delete(route);
  /* An SDN route made through HCN reads as a ROUTE list. */
  hns_handle *h;
  snprintf(body, sizeof body,
           "{\"HostComputeEndpoints\":[\"%s\"],\"Setting\":[{\"DestinationPrefix\":\"10.0.0.0/8\",\"NextHop\":\"10.244.1.1\"}]}", a);
  assert_int_equal(hns_create(svc, HNS_SDNROUTE, NULL, NULL, body, &h, NULL), HNS_S_OK);
  cJSON *all = call(svc, "GET", "/policylists", NULL);
  assert_int_equal(cJSON_GetArraySize(all), 2);
  policies = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetArrayItem(all, 1), "Policies"));
  assert_string_equal(policies, "[{\"Type\":\"ROUTE\",\"DestinationPrefix\":\"10.0.0.0/8\",\"NextHop\":\"10.244.1.1\"}]");
  free(policies);
  /* The endpoint is held by both: deleting it is refused until they go. */
  refused(svc, "DELETE", path_of("endpoints", a, NULL), NULL, HCN_E_ENTITY_HAS_REFERENCES, "referenced");
  assert_null(call(svc, "DELETE", path_of("policylists", id, NULL), NULL));
  hns_close(h);
  cJSON_Delete(all);
  cJSON_Delete(list);
  free(a);
  hns_service_destroy(svc);
}

/* ---- namespaces ---- */

static void namespaces(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  free(create(svc, "networks", BRIDGE_NET));
  char *ep = endpoint_on(svc, "cbr0", "10.244.1.20");
  cJSON *ns = call(svc, "POST", "/namespaces", "{}");
  char *id = strdup(str(ns, "ID"));
  assert_true(num(ns, "CompartmentId") > 1);
  assert_null(cJSON_GetObjectItem(ns, "IsDefault"));
  assert_null(cJSON_GetObjectItem(ns, "ResourceList"));
  char body[160];
  snprintf(body, sizeof body, "{\"Type\":\"Endpoint\",\"Data\":{\"Id\":\"%s\"}}", ep);
  cJSON *after = call(svc, "POST", path_of("namespaces", id, "addresource"), body);
  char want[200], *text = cJSON_PrintUnformatted(cJSON_GetObjectItem(after, "ResourceList"));
  snprintf(want, sizeof want, "[{\"Type\":\"Endpoint\",\"Data\":{\"Id\":\"%s\"}}]", ep);
  assert_string_equal(text, want);
  free(text);
  /* The endpoint, through both APIs, is in the namespace. */
  cJSON *epv = call(svc, "GET", path_of("endpoints", ep, NULL), NULL);
  assert_string_equal(str(cJSON_GetObjectItem(epv, "Namespace"), "ID"), id);
  assert_int_equal(num(cJSON_GetObjectItem(epv, "Namespace"), "CompartmentId"), num(ns, "CompartmentId"));
  assert_int_equal(num(epv, "State"), 3);
  cJSON_Delete(epv);
  cJSON *v2 = v2_doc(svc, HNS_ENDPOINT, ep, 2);
  assert_string_equal(str(v2, "HostComputeNamespace"), id);
  cJSON_Delete(v2);
  assert_enumerated(svc, HNS_NAMESPACE, id);
  cJSON *v1 = v2_doc(svc, HNS_NAMESPACE, id, 1);
  assert_true(cJSON_Compare(v1, after, 1));
  cJSON_Delete(v1);
  refused(svc, "POST", path_of("namespaces", id, "addresource"),
          "{\"Type\":\"Endpoint\",\"Data\":{\"Id\":\"00000000-0000-0000-0000-0000000000aa\"}}", HCN_E_ENDPOINT_NOT_FOUND,
          "Data.Id");
  refused(svc, "POST", path_of("namespaces", id, "addresource"), "{\"Type\":\"Disk\",\"Data\":{}}", HNS_E_INVALIDARG, "Type");
  refused(svc, "POST", path_of("namespaces", id, "addresource"), body, HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, NULL);
  cJSON *with_container = call(svc, "POST", path_of("namespaces", id, "addresource"), "{\"Type\":\"Container\",\"Data\":{\"Id\":\"pause1\"}}");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(with_container, "ResourceList")), 2);
  cJSON_Delete(with_container);
  cJSON *list = call(svc, "GET", "/namespaces/", NULL);
  text = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "ResourceList"));
  assert_non_null(strstr(text, "{\"Type\":\"Container\",\"Data\":{\"Id\":\"pause1\"}}"));
  free(text);
  cJSON_Delete(list);
  cJSON_Delete(call(svc, "POST", path_of("namespaces", id, "removeresource"), body));
  epv = call(svc, "GET", path_of("endpoints", ep, NULL), NULL);
  assert_null(cJSON_GetObjectItem(epv, "Namespace"));
  assert_int_equal(num(epv, "State"), 4);
  cJSON_Delete(epv);
  assert_null(call(svc, "DELETE", path_of("namespaces", id, NULL), NULL));
  /* hcsshim's v1 namespace client looks for this exact text. */
  char *response = NULL;
  assert_int_equal(hns_call(svc, "GET", path_of("namespaces", id, NULL), NULL, &response), HNS_E_ELEMENT_NOT_FOUND);
  assert_non_null(strstr(response, "\"Error\":\"Element not found. \""));
  free(response);
  cJSON *dflt = call(svc, "POST", "/namespaces", "{\"IsDefault\":true}");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(dflt, "IsDefault")));
  cJSON_Delete(dflt);
  cJSON_Delete(after);
  cJSON_Delete(ns);
  free(id);
  free(ep);
  hns_service_destroy(svc);
}

/* ---- globals ---- */

static void globals_version(void **state) {
  (void)state;
  static const struct { const char *profile; int major, minor; } cases[] = {{"ws2019", 9, 3}, {"ws2022", 13, 3}, {"1803", 7, 2}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hns_service *svc = service(cases[i].profile);
    cJSON *v = call(svc, "GET", "/globals/version", NULL);
    char want[48], *text = cJSON_PrintUnformatted(v);
    snprintf(want, sizeof want, "{\"Major\":%d,\"Minor\":%d}", cases[i].major, cases[i].minor);
    assert_string_equal(text, want);
    free(text);
    cJSON_Delete(v);
    hns_service_destroy(svc);
  }
  hns_service *svc = service("ws2016");
  refused(svc, "GET", "/globals/version/", NULL, (hns_hr)hns_profile_find("ws2016")->globals_version_hr, "ws2016");
  hns_service_destroy(svc);
}

/* ---- WS2016: no v2 API, the whole v1 flow ---- */

static void ws2016_v1_flow(void **state) {
  (void)state;
  hns_service *svc = service("ws2016");
  char *ids = NULL;
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL), HNS_E_MOD_NOT_FOUND);
  char *nat = create(svc, "networks", "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/16\",\"GatewayAddress\":\"172.20.0.1\"}]}");
  char *transparent = create(svc, "networks", "{\"Name\":\"ext\",\"Type\":\"Transparent\",\"Subnets\":[{\"AddressPrefix\":\"192.168.5.0/24\",\"GatewayAddress\":\"192.168.5.1\"}]}");
  /* Two endpoints per container, attached as HCS starts it. */
  char *e1 = endpoint_on(svc, "nat", "172.20.0.5"), *e2 = endpoint_on(svc, "ext", "192.168.5.20");
  assert_null(call(svc, "POST", path_of("endpoints", e1, "attach"), "{\"ContainerId\":\"web\",\"SystemType\":\"Container\"}"));
  assert_null(call(svc, "POST", path_of("endpoints", e2, "attach"), "{\"ContainerId\":\"web\",\"SystemType\":\"Container\"}"));
  cJSON *all = call(svc, "GET", "/endpoints", NULL);
  assert_int_equal(cJSON_GetArraySize(all), 2);
  assert_int_equal(num(cJSON_GetArrayItem(all, 0), "State"), 2);
  assert_string_equal(str(cJSON_GetArrayItem(all, 1), "VirtualNetworkName"), "ext");
  cJSON_Delete(all);
  /* A refused v1 call leaves the v2 API still closed. */
  refused(svc, "POST", "/networks", "{\"Name\":\"nat\",\"Type\":\"NAT\"}", HCN_E_NETWORK_ALREADY_EXISTS, "nat");
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL), HNS_E_MOD_NOT_FOUND);
  /* WS2016 has no HNS load balancer. */
  char body[160];
  snprintf(body, sizeof body, "{\"References\":[\"/endpoints/%s\"],\"Policies\":[{\"Type\":\"ELB\",\"InternalPort\":80,\"ExternalPort\":80}]}", e1);
  refused(svc, "POST", "/policylists", body, HCN_E_REQUEST_UNSUPPORTED, "load balancer");
  assert_null(call(svc, "POST", path_of("endpoints", e1, "detach"), "{\"ContainerId\":\"web\",\"SystemType\":\"Container\"}"));
  assert_null(call(svc, "POST", path_of("endpoints", e2, "detach"), "{\"ContainerId\":\"web\",\"SystemType\":\"Container\"}"));
  assert_null(call(svc, "DELETE", path_of("endpoints", e1, NULL), NULL));
  assert_null(call(svc, "DELETE", path_of("endpoints", e2, NULL), NULL));
  assert_null(call(svc, "DELETE", path_of("networks", nat, NULL), NULL));
  assert_null(call(svc, "DELETE", path_of("networks", transparent, NULL), NULL));
  cJSON *none = call(svc, "GET", "/networks", NULL);
  assert_int_equal(cJSON_GetArraySize(none), 0);
  cJSON_Delete(none);
  free(e1);
  free(e2);
  free(nat);
  free(transparent);
  hns_service_destroy(svc);
}

/* ---- refusals ---- */

static void refusals(void **state) {
  (void)state;
  hns_service *svc = service("ws2022");
  char *net = create(svc, "networks", BRIDGE_NET);
  char *ep = endpoint_on(svc, "cbr0", "10.244.1.30");
  char body[512];
  refused(svc, "GET", "/widgets", NULL, HNS_E_NOTIMPL, "no HNSCall route");
  refused(svc, "PUT", "/networks", NULL, HNS_E_NOTIMPL, "PUT is not a method");
  refused(svc, "POST", path_of("networks", net, NULL), "{}", HNS_E_NOTIMPL, NULL);
  refused(svc, "GET", "/networks/a/b/c/d", NULL, HNS_E_NOTIMPL, NULL);
  refused(svc, "GET", "/networks/not-a-guid", NULL, HCN_E_GUID_CONVERSION_FAILURE, "not-a-guid");
  refused(svc, "DELETE", "/endpoints/00000000-0000-0000-0000-000000000001", NULL, HNS_E_ELEMENT_NOT_FOUND, "no endpoint");
  refused(svc, "POST", "/networks", "{\"Name\":", HCN_E_INVALID_JSON, "not valid JSON");
  refused(svc, "POST", "/networks", "", HCN_E_INVALID_JSON, "not valid JSON");
  refused(svc, "POST", "/networks", "[]", HCN_E_INVALID_JSON, "HNSNetwork");
  refused(svc, "POST", "/networks", "{\"Name\":\"x\",\"Type\":\"Quantum\"}", HCN_E_INVALID_NETWORK_TYPE, "Quantum");
  refused(svc, "POST", "/networks", "{\"Name\":\"x\",\"Type\":\"NAT\",\"Subnets\":[{\"AddressPrefix\":\"10.1.0.0/33\"}]}",
          HCN_E_INVALID_PREFIX, "Subnets[0].AddressPrefix");
  refused(svc, "POST", "/networks", "{\"Name\":\"x\",\"Type\":\"NAT\",\"Subnets\":[{\"GatewayAddress\":\"10.1.0.1\"}]}",
          HCN_E_INVALID_SUBNET, "Subnets[0].AddressPrefix is missing");
  refused(svc, "POST", "/networks", "{\"Name\":\"x\",\"Type\":\"NAT\",\"DNSServerList\":\"8.8.8.8,dns\"}", HCN_E_INVALID_IP, "dns");
  refused(svc, "POST", "/networks", "{\"Name\":\"x\",\"Type\":\"NAT\",\"Policies\":[{\"Type\":\"VLAN\",\"VLAN\":5}]}",
          HCN_E_INVALID_POLICY, "has none");
  refused(svc, "POST", "/networks", "{\"Name\":\"x\",\"Type\":\"NAT\",\"SourceMac\":\"zz\"}", HNS_E_INVALIDARG, "SourceMac");
  snprintf(body, sizeof body, "{\"VirtualNetwork\":\"%s\",\"IPAddress\":\"10.244.1.300\"}", net);
  refused(svc, "POST", "/endpoints", body, HCN_E_INVALID_IP, "IPAddress: expected an IP address, got \"10.244.1.300\"");
  snprintf(body, sizeof body, "{\"VirtualNetwork\":\"%s\",\"IPAddress\":\"10.9.9.9\"}", net);
  refused(svc, "POST", "/endpoints", body, HCN_E_INVALID_IP, "10.9.9.9 is outside every subnet");
  refused(svc, "POST", "/endpoints", "{\"IPAddress\":\"10.244.1.40\"}", HCN_E_INVALID_ENDPOINT, "VirtualNetwork");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"nope\"}", HCN_E_NETWORK_NOT_FOUND, "nope");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetwork\":\"00000000-0000-0000-0000-000000000009\"}", HCN_E_NETWORK_NOT_FOUND, NULL);
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"cbr0\",\"IsRemoteEndpoint\":\"yes\"}", HCN_E_INVALID_JSON,
          "IsRemoteEndpoint");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"cbr0\",\"Flags\":1e30}", HCN_E_INVALID_JSON, "Flags");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"cbr0\",\"Policies\":[{\"Type\":\"VNET\"}]}",
          HCN_E_INVALID_POLICY_TYPE, "Policies[0].Type: 'VNET'");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"cbr0\",\"Policies\":[{\"Type\":\"VSID\",\"VSID\":1}]}",
          HCN_E_INVALID_POLICY_TYPE, "apply to a subnet");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"cbr0\",\"Policies\":[{\"Type\":\"NAT\",\"Protocol\":\"SCTP\"}]}",
          HCN_E_INVALID_POLICY, "Policies[0].Protocol");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"cbr0\",\"Policies\":[{\"ExceptionList\":[]}]}",
          HCN_E_INVALID_POLICY, "Policies[0].Type");
  refused(svc, "POST", "/endpoints", "{\"VirtualNetworkName\":\"cbr0\",\"Policies\":[{\"Type\":\"OutBoundNAT\",\"ExceptionList\":\"10.0.0.0/8\"}]}",
          HCN_E_INVALID_POLICY, "Exceptions");
  snprintf(body, sizeof body, "{\"Policies\":[{\"Type\":\"ACL\",\"Action\":\"Maybe\"}]}");
  refused(svc, "POST", path_of("endpoints", ep, NULL), body, HCN_E_INVALID_POLICY, "Action");
  snprintf(body, sizeof body, "{\"VirtualNetwork\":\"00000000-0000-0000-0000-000000000009\"}");
  refused(svc, "POST", path_of("endpoints", ep, NULL), body, HCN_E_NETWORK_NOT_FOUND, NULL);
  snprintf(body, sizeof body, "{\"References\":[\"%s\"],\"Policies\":[{\"Type\":\"ELB\",\"InternalPort\":80}]}", ep);
  refused(svc, "POST", "/policylists", body, HCN_E_INVALID_JSON_REFERENCE, "References[0]");
  refused(svc, "POST", "/policylists", "{\"References\":[\"/endpoints/00000000-0000-0000-0000-000000000009\"],\"Policies\":[{\"Type\":\"ELB\",\"InternalPort\":80}]}",
          HCN_E_ENDPOINT_NOT_FOUND, NULL);
  snprintf(body, sizeof body, "{\"References\":[\"/endpoints/%s\"],\"Policies\":[{\"Type\":\"ELB\",\"InternalPort\":80},{\"Type\":\"ROUTE\"}]}", ep);
  refused(svc, "POST", "/policylists", body, HCN_E_INVALID_POLICY_TYPE, "Policies[1].Type");
  snprintf(body, sizeof body, "{\"References\":[\"/endpoints/%s\"],\"Policies\":[{\"Type\":\"ELB\",\"InternalPort\":80,\"VIPs\":[\"10.0.0.1\"]},"
                              "{\"Type\":\"ELB\",\"InternalPort\":81,\"VIPs\":[\"10.0.0.2\"]}]}", ep);
  refused(svc, "POST", "/policylists", body, HCN_E_INVALID_POLICY, "Policies[1].VIPs");
  refused(svc, "POST", "/policylists", "{\"Policies\":[]}", HCN_E_INVALID_POLICY, "Policies");
  refused(svc, "POST", "/policylists", "{\"Policies\":[{\"Type\":\"QOS\"}]}", HCN_E_INVALID_POLICY_TYPE, "ELB or ROUTE");
  refused(svc, "POST", "/namespaces", "{\"IsDefault\":1}", HCN_E_INVALID_JSON, "IsDefault");
  refused(svc, "POST", "/namespaces/00000000-0000-0000-0000-000000000009/addresource", "{}", HNS_E_ELEMENT_NOT_FOUND, "namespace");
  refused(svc, "POST", path_of("endpoints", ep, "attach"), "{\"ContainerId\":", HCN_E_INVALID_JSON, NULL);
  refused(svc, "DELETE", path_of("networks", net, NULL), NULL, HCN_E_ENTITY_HAS_REFERENCES, "referenced");
  char *response = (char *)1;
  assert_int_equal(hns_call(svc, NULL, "/networks", NULL, &response), HNS_E_INVALIDARG);
  free(response);
  assert_int_equal(hns_call(svc, "GET", "/networks", NULL, NULL), HNS_E_POINTER);
  assert_int_equal(hns_call(NULL, "GET", "/networks", NULL, &response), HNS_E_POINTER);
  assert_null(response);
  free(ep);
  free(net);
  hns_service_destroy(svc);
}

/* ---- Microsoft's v1 CNI samples ---- */

/* The "Value" of every EndpointPolicy entry of the sample's policy list,
 * wherever the dialect keeps it (delegate.policies, delegate.Policies,
 * AdditionalArgs), key case as the plugins accept it. */
static cJSON *sample_policies(const char *file) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", HNSIM_CORPUS_DIR, file);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot read %s", path);
  static char text[16384];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  cJSON *conf = cJSON_Parse(text);
  assert_non_null(conf);
  const cJSON *delegate = cJSON_GetObjectItem(conf, "delegate");
  const cJSON *list = cJSON_GetObjectItem(delegate ? delegate : conf, delegate ? "policies" : "AdditionalArgs");
  cJSON *out = cJSON_CreateArray();
  for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
    if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "Name")), "EndpointPolicy"))
      cJSON_AddItemToArray(out, cJSON_Duplicate(cJSON_GetObjectItem(e, "Value"), 1));
  cJSON_Delete(conf);
  assert_true(cJSON_GetArraySize(out) >= 2);
  return out;
}

static void cni_sample_policies(void **state) {
  (void)state;
  static const char *const files[] = {"sdn_flannel_l2bridge_cni.conf", "sdn_flannel_overlay_cni.conf", "sdn_wincni_l2bridge.conf"};
  for (size_t i = 0; i < 3; i++) {
    hns_service *svc = service("ws2022");
    free(create(svc, "networks", BRIDGE_NET));
    cJSON *values = sample_policies(files[i]);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "VirtualNetworkName", "cbr0");
    cJSON_AddStringToObject(body, "IPAddress", "10.244.1.50");
    cJSON_AddItemToObject(body, "Policies", cJSON_Duplicate(values, 1));
    char *text = cJSON_PrintUnformatted(body);
    cJSON *ep = call(svc, "POST", "/endpoints", text);
    free(text);
    /* v1: the same policies back. */
    if (!cJSON_Compare(cJSON_GetObjectItem(ep, "Policies"), values, 1)) {
      char *got = cJSON_PrintUnformatted(cJSON_GetObjectItem(ep, "Policies"));
      fail_msg("%s: v1 policies came back as %s", files[i], got);
    }
    /* v2: OutBoundNAT{Settings:{Exceptions}} and SDNRoute{Settings:{DestinationPrefix, NeedEncap}}. */
    cJSON *v2 = v2_doc(svc, HNS_ENDPOINT, str(ep, "ID"), 2);
    const cJSON *p2 = cJSON_GetObjectItem(v2, "Policies");
    assert_int_equal(cJSON_GetArraySize(p2), cJSON_GetArraySize(values));
    for (int k = 0; k < cJSON_GetArraySize(values); k++) {
      const cJSON *v1p = cJSON_GetArrayItem(values, k), *v2p = cJSON_GetArrayItem(p2, k);
      const cJSON *settings = cJSON_GetObjectItem(v2p, "Settings");
      if (!strcmp(str(v1p, "Type"), "OutBoundNAT")) {
        assert_string_equal(str(v2p, "Type"), "OutBoundNAT");
        assert_true(cJSON_Compare(cJSON_GetObjectItem(settings, "Exceptions"), cJSON_GetObjectItem(v1p, "ExceptionList"), 1));
      } else {
        assert_string_equal(str(v1p, "Type"), "ROUTE");
        assert_string_equal(str(v2p, "Type"), "SDNRoute");
        assert_string_equal(str(settings, "DestinationPrefix"), str(v1p, "DestinationPrefix"));
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(settings, "NeedEncap")));
      }
    }
    cJSON_Delete(v2);
    cJSON_Delete(ep);
    cJSON_Delete(body);
    cJSON_Delete(values);
    hns_service_destroy(svc);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(network_routes),
      cmocka_unit_test(v2_network_through_v1),
      cmocka_unit_test(endpoint_routes),
      cmocka_unit_test(v2_endpoint_through_v1),
      cmocka_unit_test(attach_detach),
      cmocka_unit_test(hot_attach_needs_profile),
      cmocka_unit_test(elb_policylist_is_load_balancer),
      cmocka_unit_test(route_policylist_is_sdn_route),
      cmocka_unit_test(namespaces),
      cmocka_unit_test(globals_version),
      cmocka_unit_test(ws2016_v1_flow),
      cmocka_unit_test(refusals),
      cmocka_unit_test(cni_sample_policies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
