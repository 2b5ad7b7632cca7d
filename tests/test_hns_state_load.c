/* test_hns_state_load.c: a host's state (hns_check_state) loaded into an
 * empty simulated HNS (hnsmock/hns_state_load.h), as a caller sees it: the
 * loaded service writes the same state back (IDs kept, attachments made
 * again) and its data plane gives the same probe traces; a load the
 * profile refuses, a malformed document or a dangling reference fails
 * naming the object and the HRESULT and leaves the service empty, its
 * model clean and its ID counter where it was; later IDs never repeat the
 * loaded ones; the document's Profile is read. */
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
#include "hns_check.h"
#include "hns_model.h"
#include "hns_profile.h"
#include "hns_state_load.h"
#include "hns_v1.h"
#include "sim_probe.h"
#include "hns_model_host.h"
#include "hns_test_calls.h"

static void id_of(hns_handle *h, char out[37]) {
  cJSON *j = query(h);
  snprintf(out, 37, "%s", cJSON_GetObjectItem(j, "ID")->valuestring);
  cJSON_Delete(j);
}

static void v1(hns_service *svc, const char *path, const char *body) {
  char *response = NULL;
  hns_hr hr = hns_call(svc, "POST", path, body, &response);
  if (hr != HNS_S_OK) fail_msg("HNSCall %s: 0x%08X %s", path, (unsigned)hr, response);
  free(response);
}

#define L2BRIDGE                                                                                                    \
  "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/24\","      \
  "\"Routes\":[{\"NextHop\":\"10.244.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}],"                              \
  "\"Policies\":[{\"Type\":\"NetAdapterName\",\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"}}]}"
#define ADD_EP "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}"

/* An endpoint `name` at `ip`; its ID in id. */
static hns_handle *endpoint(hns_service *svc, hns_handle *net, const char *name, const char *ip, const char *extra,
                            char id[37]) {
  char json[512];
  snprintf(json, sizeof json, "{\"Name\":\"%s\",\"IpConfigurations\":[{\"IpAddress\":\"%s\"}]%s}", name, ip, extra);
  hns_handle *ep = create(svc, HNS_ENDPOINT, net, json);
  id_of(ep, id);
  return ep;
}

/* A pod: an endpoint with its default route via the host endpoint, added
 * to a new namespace. */
static void pod(hns_service *svc, hns_handle *net, const char *name, const char *ip, char id[37]) {
  hns_handle *ep = endpoint(svc, net, name, ip,
                            ",\"Routes\":[{\"NextHop\":\"10.244.1.2\",\"DestinationPrefix\":\"0.0.0.0/0\"}]", id);
  hns_handle *ns = create(svc, HNS_NAMESPACE, NULL, "{\"Type\":\"HostDefault\"}");
  char body[160];
  snprintf(body, sizeof body, ADD_EP, id);
  assert_int_equal(hns_modify(ns, body, NULL), HNS_S_OK);
  hns_close(ns);
  hns_close(ep);
}

/* A node as the SDN scripts and a CNI leave it, every kind of attachment
 * the state implies: the host endpoint (attached to the host, State 2),
 * two pods in namespaces (3), an endpoint shared by two containers (3), one
 * attached and detached again (4), one never attached (1), a remote
 * endpoint, and a load balancer with `lb_flags` (1: DSR) over a pod and
 * the remote endpoint. */
static void build(hns_service *svc, unsigned lb_flags) {
  char id[37], pod_a[37], remote[37], path[96], json[512];
  hns_handle *net = create(svc, HNS_NETWORK, NULL, L2BRIDGE);
  hns_close(endpoint(svc, net, "cbr0_ep", "10.244.1.2", "", id));
  snprintf(path, sizeof path, "/endpoints/%s/attach", id);
  v1(svc, path, "{\"SystemType\":\"Host\",\"CompartmentId\":1}");
  pod(svc, net, "pod-a_cbr0", "10.244.1.5", pod_a);
  pod(svc, net, "pod-b_cbr0", "10.244.1.6", id);
  hns_close(endpoint(svc, net, "shared_cbr0", "10.244.1.7", "", id));
  snprintf(path, sizeof path, "/endpoints/%s/attach", id);
  v1(svc, path, "{\"SystemType\":\"Container\",\"ContainerId\":\"pause-1\"}");
  assert_int_equal(hns_hot_attach(svc, "app-1", id), HNS_S_OK);
  hns_close(endpoint(svc, net, "gone_cbr0", "10.244.1.8", "", id));
  snprintf(path, sizeof path, "/endpoints/%s/attach", id);
  v1(svc, path, "{\"SystemType\":\"Host\"}");
  snprintf(path, sizeof path, "/endpoints/%s/detach", id);
  v1(svc, path, "{\"SystemType\":\"Host\"}");
  hns_close(endpoint(svc, net, "idle_cbr0", "10.244.1.9", "", id));
  hns_close(endpoint(svc, net, "remote_web", "10.244.2.6", ",\"Flags\":1,\"MacAddress\":\"00-11-22-33-44-55\"", remote));
  snprintf(json, sizeof json,
           "{\"HostComputeEndpoints\":[\"%s\",\"%s\"],\"FrontendVIPs\":[\"10.96.0.20\"],\"Flags\":%u,"
           "\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":80}]}",
           pod_a, remote, lb_flags);
  hns_close(create(svc, HNS_LOADBALANCER, NULL, json));
  hns_close(net);
}

static char *state_of(hns_service *svc) {
  char *json = NULL;
  hns_hr hr = hns_check_state(svc, &json);
  if (hr != HNS_S_OK) fail_msg("hns_check_state 0x%08X: %s", (unsigned)hr, hns_service_last_detail(svc));
  return json;
}

static int holds_nothing(hns_service *svc) {
  for (int k = HNS_NETWORK; k <= HNS_SDNROUTE; k++) {
    char *ids = NULL;
    assert_int_equal(hns_enumerate(svc, (hns_object_kind)k, NULL, &ids, NULL), HNS_S_OK);
    int empty = !strcmp(ids, "[]");
    free(ids);
    if (!empty) return 0;
  }
  return 1;
}

/* The probe from pod-a's port to dst:80, its verdict and every hop as
 * "host/compartment/port stage rule verdict". */
static void trace(fx *f, const char *dst, char *out, size_t cap) {
  sim_probe_spec s = {"node1", "pod-a_cbr0", NULL, {0, {0}}, SIM_IPPROTO_TCP, 80, 0, 0};
  sim_probe_result r;
  assert_int_equal(sim_ip_parse(dst, &s.dst), 0);
  sim_trace_reset(f->trace);
  if (sim_probe_run(f->net, &s, f->trace, &r)) fail_msg("probe: %s", sim_net_last_error(f->net));
  size_t used = (size_t)snprintf(out, cap, "verdict %d %s\n", (int)r.verdict, r.reason);
  for (size_t i = 0; i < sim_trace_count(f->trace) && used < cap; i++) {
    sim_hop h;
    sim_trace_hop(f->trace, i, &h);
    used += (size_t)snprintf(out + used, cap - used, "%s/%s/%s %s %s %d\n", h.host, h.compartment, h.port, h.stage,
                             h.rule ? h.rule : "", (int)h.verdict);
  }
}

static char *load_ok(hns_service *svc, const char *state, hns_state_load_report *report) {
  char *detail = (char *)1;
  hns_hr hr = hns_state_load(svc, state, &detail, report);
  if (hr != HNS_S_OK) fail_msg("hns_state_load 0x%08X: %s", (unsigned)hr, detail);
  assert_null(detail);
  return state_of(svc);
}

/* Saved, loaded into an empty service with another seed: the same state
 * document (IDs, MACs, subnet IDs, attachments, States), the same report,
 * and the same probe traces through the model. */
static void test_round_trip(void **state) {
  (void)state;
  fx a = setup("ws2022", 7), b = setup("ws2022", 99);
  build(a.svc, 1);
  char *saved = state_of(a.svc);
  hns_state_load_report r;
  char *loaded = load_ok(b.svc, saved, &r);
  assert_string_equal(loaded, saved);
  assert_int_equal(r.created[HNS_NETWORK], 1);
  assert_int_equal(r.created[HNS_ENDPOINT], 7);
  assert_int_equal(r.created[HNS_NAMESPACE], 2);
  assert_int_equal(r.created[HNS_LOADBALANCER], 1);
  assert_int_equal(r.created[HNS_SDNROUTE], 0);
  assert_int_equal(r.host_attached, 1);
  assert_int_equal(r.container_attached, 1);
  const char *targets[] = {"10.244.1.6", "10.244.1.7", "10.96.0.20", "10.240.0.4"};
  for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
    char ta[4096], tb[4096];
    trace(&a, targets[i], ta, sizeof ta);
    trace(&b, targets[i], tb, sizeof tb);
    assert_string_equal(tb, ta);
  }
  char pod_b[4096];
  trace(&b, "10.244.1.6", pod_b, sizeof pod_b);
  assert_non_null(strstr(pod_b, "verdict 0 \n")); /* delivered, to pod-b in its namespace ns3 */
  assert_non_null(strstr(pod_b, "node1/ns3/pod-b_cbr0"));
  free(saved);
  free(loaded);
  teardown(&a);
  teardown(&b);
}

/* The loaded IDs are the service's now: a later create that lets HNS
 * choose never gets one of them, even with the recorded service's seed
 * and host name (which would draw the same sequence again). */
static void test_later_ids_do_not_repeat(void **state) {
  (void)state;
  fx a = setup("ws2022", 7), b = setup("ws2022", 7);
  build(a.svc, 1);
  char *saved = state_of(a.svc), *loaded = load_ok(b.svc, saved, NULL);
  hns_handle *h = NULL;
  hns_hr hr = hns_create(b.svc, HNS_NETWORK, NULL, NULL,
                         "{\"Name\":\"nat\",\"Type\":\"NAT\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"172.20.0.0/24\"}]}]}",
                         &h, NULL);
  if (hr != HNS_S_OK) fail_msg("create after load 0x%08X: %s", (unsigned)hr, hns_service_last_detail(b.svc));
  char id[37];
  id_of(h, id);
  assert_null(strstr(saved, id));
  hns_close(h);
  free(saved);
  free(loaded);
  teardown(&a);
  teardown(&b);
}

/* ws2019 as released has no DSR: the state of a ws2022 node with a DSR
 * load balancer is refused at that load balancer, by HRESULT and object,
 * and nothing stays behind: no object, no port, compartment or vSwitch in
 * the model (the same service then loads the state without DSR), and the
 * ID counter is where it was (the next ID is a fresh service's). */
static void test_refused_by_profile_leaves_nothing(void **state) {
  (void)state;
  fx src = setup("ws2022", 7), dst = setup("ws2019-rtm", 5), fresh = setup("ws2019-rtm", 5);
  build(src.svc, 1);
  char *saved = state_of(src.svc);
  char *detail = NULL;
  hns_state_load_report r;
  assert_int_equal(hns_state_load(dst.svc, saved, &detail, &r), HNS_E_INVALIDARG);
  assert_non_null(detail);
  assert_non_null(strstr(detail, "LoadBalancers[0] "));
  assert_non_null(strstr(detail, "HcnCreateLoadBalancer answered 0x80070057 E_INVALIDARG: Flags: DSR needs HNS 9.3"));
  assert_string_equal(hns_service_last_detail(dst.svc), detail);
  assert_int_equal(r.created[HNS_ENDPOINT], 0);
  assert_true(holds_nothing(dst.svc));
  free(detail);

  hns_handle *h1 = create(dst.svc, HNS_NAMESPACE, NULL, "{}"), *h2 = create(fresh.svc, HNS_NAMESPACE, NULL, "{}");
  char id1[37], id2[37];
  id_of(h1, id1);
  id_of(h2, id2);
  assert_string_equal(id1, id2);
  hns_guid g;
  hns_guid_parse(id1, &g);
  assert_int_equal(hns_delete(dst.svc, HNS_NAMESPACE, &g, NULL), HNS_S_OK);
  hns_close(h1);
  hns_close(h2);

  fx plain = setup("ws2022", 7);
  build(plain.svc, 0);
  char *no_dsr = state_of(plain.svc);
  free(load_ok(dst.svc, no_dsr, NULL));
  char t[4096];
  trace(&dst, "10.96.0.20", t, sizeof t);
  if (!strstr(t, "/pod-a_cbr0 lb ")) fail_msg("no load balancer on the way: %s", t);
  free(no_dsr);
  free(saved);
  teardown(&plain);
  teardown(&src);
  teardown(&dst);
  teardown(&fresh);
}

/* One bad document: the HRESULT, and a detail holding `want`. */
static void refused(const char *profile, const char *doc, hns_hr hr, const char *want) {
  fx f = setup(profile, 3);
  char *detail = NULL;
  hns_hr got = hns_state_load(f.svc, doc, &detail, NULL);
  if (got != hr || !detail || !strstr(detail, want))
    fail_msg("%s: got 0x%08X '%s', want 0x%08X '%s'", doc, (unsigned)got, detail, (unsigned)hr, want);
  assert_true(!hns_service_profile(f.svc)->has_v2_api || holds_nothing(f.svc)); /* ws2016 cannot enumerate */
  free(detail);
  teardown(&f);
}

#define NET_ID "11111111-2222-3333-4444-555555555555"
#define NET_DOC                                                                                                     \
  "{\"ID\":\"" NET_ID "\",\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":" \
  "\"10.244.1.0/24\"}]}]}"

static void test_malformed_documents(void **state) {
  (void)state;
  refused("ws2022", "not json", HCN_E_INVALID_JSON, "the state is not JSON");
  refused("ws2022", "[1]", HCN_E_INVALID_JSON, "the state is not a JSON object");
  refused("ws2022", "{\"Networks\":{}}", HCN_E_INVALID_JSON, "the state's Networks is not an array");
  refused("ws2022", "{\"Networks\":[7]}", HCN_E_INVALID_JSON, "Networks[0] is not an object");
  refused("ws2022", "{\"Networks\":[{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\"}]}", HCN_E_GUID_CONVERSION_FAILURE,
          "Networks[0] 'cbr0': ID: missing; a loaded object keeps the state's ID");
  refused("ws2022", "{\"Networks\":[{\"ID\":\"00000000-0000-0000-0000-000000000000\"}]}", HCN_E_GUID_CONVERSION_FAILURE,
          "is not a GUID other than zero");
  /* An endpoint on a network the state does not hold: HcnOpenNetwork's
   * answer, after the network before it was made and then taken back. */
  refused("ws2022",
          "{\"Networks\":[" NET_DOC "],\"Endpoints\":[{\"ID\":\"AAAAAAAA-2222-3333-4444-555555555555\",\"Name\":\"ep\","
          "\"HostComputeNetwork\":\"99999999-2222-3333-4444-555555555555\"}]}",
          HCN_E_NETWORK_NOT_FOUND,
          "Endpoints[0] 'ep' AAAAAAAA-2222-3333-4444-555555555555: HcnOpenNetwork 99999999-2222-3333-4444-555555555555 "
          "answered 0x803B0001 HCN_E_NETWORK_NOT_FOUND");
  refused("ws2022",
          "{\"Networks\":[" NET_DOC "],\"Endpoints\":[{\"ID\":\"AAAAAAAA-2222-3333-4444-555555555555\","
          "\"HostComputeNetwork\":\"" NET_ID "\",\"HostComputeNamespace\":\"nope\"}]}",
          HCN_E_GUID_CONVERSION_FAILURE, "HostComputeNamespace is not a GUID");
  /* The service's own validation: an address outside the network's subnets. */
  refused("ws2022",
          "{\"Networks\":[" NET_DOC "],\"Endpoints\":[{\"ID\":\"AAAAAAAA-2222-3333-4444-555555555555\","
          "\"HostComputeNetwork\":\"" NET_ID "\",\"IpConfigurations\":[{\"IpAddress\":\"10.9.9.9\"}]}]}",
          HCN_E_INVALID_IP, "HcnCreateEndpoint answered 0x803B001E HCN_E_INVALID_IP: IpConfigurations[0].IpAddress");
  /* A build without the HCN v2 API has no HcnCreateNetwork. */
  refused("ws2016", "{\"Networks\":[" NET_DOC "]}", HNS_E_MOD_NOT_FOUND,
          "Networks[0] 'cbr0' " NET_ID ": HcnCreateNetwork answered 0x8007007E ERROR_MOD_NOT_FOUND");
}

/* What the load does not read is left alone: an unknown key of the state,
 * an unknown field of an object (passed to the create, which keeps it as
 * hnsmock keeps any), an absent or null list. */
static void test_unknown_fields_and_empty_lists(void **state) {
  (void)state;
  fx f = setup("ws2022", 3);
  hns_state_load_report r;
  free(load_ok(f.svc, "{\"Profile\":\"ws2022\",\"Namespaces\":[1,2],\"Endpoints\":null}", &r));
  assert_true(holds_nothing(f.svc));
  char *st = load_ok(f.svc,
                     "{\"Networks\":[{\"ID\":\"" NET_ID "\",\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"FutureField\":{\"x\":1},"
                     "\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/24\"}]}]}]}",
                     &r);
  assert_int_equal(r.created[HNS_NETWORK], 1);
  assert_non_null(strstr(st, "\"ID\":\"" NET_ID "\""));
  free(st);
  teardown(&f);
}

/* A containerd pod as a real host lists it: the endpoint in its namespace
 * and its containers in Health.Extra.SharedContainers. It loads into the
 * namespace only (the containers joined the namespace, which a load cannot
 * replay). */
static void test_namespace_and_containers(void **state) {
  (void)state;
  fx f = setup("ws2022", 4);
  hns_state_load_report r;
  char *st = load_ok(f.svc,
                     "{\"Networks\":[{\"ID\":\"" NET_ID "\",\"Name\":\"cbr0\",\"Type\":\"L2Bridge\","
                     "\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/24\"}]}]}],"
                     "\"Endpoints\":[{\"ID\":\"87632616-4B3D-41C0-A34D-4553C41A151A\",\"Name\":\"pod_cbr0\","
                     "\"HostComputeNetwork\":\"" NET_ID "\",\"HostComputeNamespace\":\"0D04541B-9ED2-4364-BC79-97EFBC2B3B5A\","
                     "\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.6\",\"PrefixLength\":24}],"
                     "\"Health\":{\"Extra\":{\"SharedContainers\":[\"4a625a2b10a3\",\"9f0c1d2e3b4a\"]}}}]}",
                     &r);
  assert_int_equal(r.created[HNS_ENDPOINT], 1);
  assert_non_null(strstr(st, "\"HostComputeNamespace\":\"0D04541B-9ED2-4364-BC79-97EFBC2B3B5A\""));
  free(st);
  teardown(&f);
}

static void test_not_empty_and_null_arguments(void **state) {
  (void)state;
  fx f = setup("ws2022", 3);
  hns_close(create(f.svc, HNS_NAMESPACE, NULL, "{}"));
  char *detail = NULL;
  assert_int_equal(hns_state_load(f.svc, "{}", &detail, NULL), HNS_E_INVALIDARG);
  assert_string_equal(detail, "the service holds objects already; a state loads into an empty HNS");
  free(detail);
  assert_int_equal(hns_state_load(NULL, "{}", NULL, NULL), HNS_E_POINTER);
  assert_int_equal(hns_state_load(f.svc, NULL, NULL, NULL), HNS_E_POINTER);
  teardown(&f);
}

static void test_profile_of_a_state(void **state) {
  (void)state;
  const hns_profile *p = (const hns_profile *)1;
  char *detail = (char *)1;
  assert_int_equal(hns_state_profile("{\"Profile\":\"ws2019\"}", &p, &detail), HNS_S_OK);
  assert_ptr_equal(p, hns_profile_find("ws2019"));
  assert_null(detail);
  assert_int_equal(hns_state_profile("{\"Networks\":[]}", &p, NULL), HNS_S_OK);
  assert_null(p);
  assert_int_equal(hns_state_profile("{\"Profile\":\"ws2018\"}", &p, &detail), HNS_E_INVALIDARG);
  assert_non_null(strstr(detail, "the state's Profile 'ws2018' is not a profile hnsim knows (known: ws2016"));
  free(detail);
  assert_int_equal(hns_state_profile("{\"Profile\":3}", &p, &detail), HNS_E_INVALIDARG);
  assert_string_equal(detail, "the state's Profile is not a string");
  free(detail);
  assert_int_equal(hns_state_profile("nope", &p, NULL), HNS_E_INVALIDARG);
  assert_int_equal(hns_state_profile(NULL, &p, NULL), HNS_E_POINTER);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_namespace_and_containers),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_later_ids_do_not_repeat),
      cmocka_unit_test(test_refused_by_profile_leaves_nothing),
      cmocka_unit_test(test_malformed_documents),
      cmocka_unit_test(test_unknown_fields_and_empty_lists),
      cmocka_unit_test(test_not_empty_and_null_arguments),
      cmocka_unit_test(test_profile_of_a_state),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
