/* test_hns_backend.c: the backend a scenario drives (hnsmock/hns_backend.h)
 * as its caller sees it: HCN and HNSCall JSON in, HRESULT, JSON, ErrorRecord
 * and detail out; refusals of bad documents, IDs and requests; each fault
 * (FAIL, HANG, NO_EFFECT), its filters, its count and hits, and the IDs
 * later calls get; restart and reboot; the model attached; and the same
 * calls giving the same answers byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "hns_backend.h"
#include "hns_profile.h"
#include "sim_net_query.h"
#include "sim_time.h"

#define NAT_NET                                                                                                      \
  "{\"Name\":\"nat\",\"Type\":\"NAT\",\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":"           \
  "\"172.20.0.0/24\",\"Routes\":[{\"NextHop\":\"172.20.0.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"
#define V1_NAT                                                                                                       \
  "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\",\"GatewayAddress\":"        \
  "\"172.20.0.1\"}]}"
#define ADD_ACL                                                                                                      \
  "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":\"ACL\",\"Settings\":" \
  "{\"Protocols\":\"6\",\"Action\":\"Block\",\"Direction\":\"In\",\"RemotePorts\":\"80\",\"Priority\":200}}]}}"
#define GIVEN_ID "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
#define ABSENT_ID "11111111-2222-4333-8444-555555555555"

typedef hns_backend_request req_t;

static hns_backend *backend(const char *profile, uint64_t seed) {
  hns_service_config cfg = {hns_profile_find(profile), "node1", seed};
  hns_backend *b = NULL;
  assert_int_equal(hns_backend_sim_create(&cfg, NULL, NULL, &b), HNS_S_OK);
  return b;
}

/* One call; the caller frees the answer. */
static hns_backend_answer call(hns_backend *b, req_t r) {
  hns_backend_answer a;
  hns_hr hr = hns_backend_call(b, &r, &a);
  assert_int_equal(hr, a.hr);
  return a;
}

/* A call that must succeed with no fault: its output (the caller frees it). */
static char *ok(hns_backend *b, req_t r) {
  hns_backend_answer a = call(b, r);
  if (a.hr != HNS_S_OK) fail_msg("%s failed 0x%08X: %s", hns_backend_op_name(r.op), (unsigned)a.hr, a.detail);
  assert_null(a.error_record);
  assert_null(a.detail);
  assert_int_equal(a.fault_id, 0);
  assert_int_equal(a.elapsed, 0);
  char *out = a.output;
  a.output = NULL;
  hns_backend_answer_free(&a);
  return out;
}

static cJSON *ok_json(hns_backend *b, req_t r) {
  char *text = ok(b, r);
  cJSON *j = cJSON_Parse(text);
  free(text);
  assert_non_null(j);
  return j;
}

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  assert_true(cJSON_IsString(v));
  return v->valuestring;
}

/* Creates an object; returns its ID (free it). */
static char *create(hns_backend *b, hns_object_kind kind, const char *parent, const char *doc) {
  cJSON *j = ok_json(b, (req_t){.op = HNS_OP_CREATE, .kind = kind, .parent_id = parent, .document = doc});
  char *id = strdup(str(j, "ID"));
  cJSON_Delete(j);
  return id;
}

/* The JSON array enumerate answers, as text (free it). */
static char *listed(hns_backend *b, hns_object_kind kind) {
  return ok(b, (req_t){.op = HNS_OP_ENUMERATE, .kind = kind});
}

static void assert_listed(hns_backend *b, hns_object_kind kind, const char *want) {
  char *ids = listed(b, kind);
  assert_string_equal(ids, want);
  free(ids);
}

/* A failed answer: hr, HNS's ErrorRecord for it, a detail containing `words`. */
static void assert_refused(const hns_backend_answer *a, hns_hr hr, const char *words) {
  if (a->hr != hr) fail_msg("want 0x%08X, got 0x%08X: %s", (unsigned)hr, (unsigned)a->hr, a->detail);
  char *record = hns_error_record(hr);
  assert_non_null(a->error_record);
  assert_string_equal(a->error_record, record);
  free(record);
  assert_non_null(a->detail);
  if (!strstr(a->detail, words)) fail_msg("detail '%s' lacks '%s'", a->detail, words);
}

static void refused(hns_backend *b, req_t r, hns_hr hr, const char *words) {
  hns_backend_answer a = call(b, r);
  assert_refused(&a, hr, words);
  if (r.op != HNS_OP_HNSCALL) assert_null(a.output);
  hns_backend_answer_free(&a);
}

static int add_fault(hns_backend *b, hns_fault_spec s) {
  int id = 0;
  hns_hr hr = hns_backend_fault_add(b, &s, &id);
  if (hr != HNS_S_OK) fail_msg("fault_add 0x%08X: %s", (unsigned)hr, hns_backend_last_detail(b));
  return id;
}

static uint32_t hits(hns_backend *b, int id) {
  uint32_t n = 99;
  assert_int_equal(hns_backend_fault_hits(b, id, &n), HNS_S_OK);
  return n;
}

/* The ID the first NAT network gets on a fresh backend with `seed`. */
static char *first_nat_id(uint64_t seed) {
  hns_backend *b = backend("ws2022", seed);
  char *id = create(b, HNS_NETWORK, NULL, NAT_NET);
  hns_backend_destroy(b);
  return id;
}

/* ---- the operations ---- */

/* A NAT network and an endpoint made, read, changed, listed and deleted
 * through JSON documents, as a CNI plugin would through HCN. */
static void nat_network_and_endpoint(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 1);
  assert_string_equal(hns_backend_name(b), "sim");
  assert_non_null(hns_backend_service(b));
  cJSON *net = ok_json(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = NAT_NET});
  assert_string_equal(str(net, "Name"), "nat");
  char *net_id = strdup(str(net, "ID"));
  cJSON_Delete(net);
  cJSON *q = ok_json(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_NETWORK, .id = net_id});
  assert_string_equal(str(q, "ID"), net_id);
  cJSON_Delete(q);

  cJSON *ep = ok_json(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .parent_id = net_id,
                                 .document = "{\"Name\":\"pod1\"}"});
  assert_int_equal(strcasecmp(str(ep, "HostComputeNetwork"), net_id), 0);
  const cJSON *ipc = cJSON_GetArrayItem(cJSON_GetObjectItem(ep, "IpConfigurations"), 0);
  assert_string_equal(str(ipc, "IpAddress"), "172.20.0.2");
  char *ep_id = strdup(str(ep, "ID"));
  cJSON_Delete(ep);

  assert_null(ok(b, (req_t){.op = HNS_OP_MODIFY, .kind = HNS_ENDPOINT, .id = ep_id, .document = ADD_ACL}));
  q = ok_json(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_ENDPOINT, .id = ep_id});
  assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(q, "Policies"), 0), "Type"), "ACL");
  cJSON_Delete(q);

  char want[64];
  snprintf(want, sizeof want, "[\"%s\"]", ep_id);
  assert_listed(b, HNS_ENDPOINT, want);
  char *by_name = ok(b, (req_t){.op = HNS_OP_ENUMERATE, .kind = HNS_NETWORK,
                                .document = "{\"Filter\":\"{\\\"Name\\\":\\\"nat\\\"}\"}"});
  snprintf(want, sizeof want, "[\"%s\"]", net_id);
  assert_string_equal(by_name, want);
  free(by_name);

  /* HNS refuses to delete a network its endpoint still names. */
  refused(b, (req_t){.op = HNS_OP_DELETE, .kind = HNS_NETWORK, .id = net_id}, HCN_E_ENTITY_HAS_REFERENCES,
          "still referenced");
  assert_null(ok(b, (req_t){.op = HNS_OP_DELETE, .kind = HNS_ENDPOINT, .id = ep_id}));
  assert_null(ok(b, (req_t){.op = HNS_OP_DELETE, .kind = HNS_NETWORK, .id = net_id}));
  assert_listed(b, HNS_ENDPOINT, "[]");
  assert_listed(b, HNS_NETWORK, "[]");
  free(ep_id);
  free(net_id);
  hns_backend_destroy(b);
}

/* POST /networks then GET through HNSCall: the envelope is the output,
 * and a failed HNSCall's envelope is its ErrorRecord too. */
static void hnscall_post_then_get(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 2);
  cJSON *env = ok_json(b, (req_t){.op = HNS_OP_HNSCALL, .method = "POST", .path = "/networks", .document = V1_NAT});
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(env, "Success")));
  char *id = strdup(str(cJSON_GetObjectItem(env, "Output"), "ID"));
  cJSON_Delete(env);
  char path[80];
  snprintf(path, sizeof path, "/networks/%s", id);
  env = ok_json(b, (req_t){.op = HNS_OP_HNSCALL, .method = "GET", .path = path});
  assert_string_equal(str(cJSON_GetObjectItem(env, "Output"), "Name"), "nat");
  cJSON_Delete(env);
  char want[64];
  snprintf(want, sizeof want, "[\"%s\"]", id);
  assert_listed(b, HNS_NETWORK, want); /* one object model: v2 lists what v1 made */

  hns_backend_answer a = call(b, (req_t){.op = HNS_OP_HNSCALL, .method = "GET", .path = "/networks/" ABSENT_ID});
  assert_true(HNS_FAILED(a.hr));
  assert_non_null(a.output);
  assert_string_equal(a.output, a.error_record);
  assert_non_null(strstr(a.output, "\"Success\":false"));
  assert_non_null(a.detail);
  hns_backend_answer_free(&a);
  free(id);
  hns_backend_destroy(b);
}

/* A document HNS refuses: its HRESULT, its ErrorRecord, hnsim's detail,
 * nothing made, and no ID used up. */
static void bad_documents_refused(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 3);
  refused(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = "{\"Name\":"}, HCN_E_INVALID_JSON,
          "not valid JSON");
  refused(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = "{\"Name\":\"x\",\"Type\":\"Bogus\"}"},
          HCN_E_INVALID_NETWORK_TYPE, "Type");
  refused(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .id = "not-a-guid", .document = NAT_NET},
          HCN_E_GUID_CONVERSION_FAILURE, "request.id: 'not-a-guid' is not a GUID");
  refused(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .parent_id = ABSENT_ID, .document = "{}"},
          HCN_E_NETWORK_NOT_FOUND, ABSENT_ID);
  refused(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_ENDPOINT, .id = ABSENT_ID}, HCN_E_ENDPOINT_NOT_FOUND, ABSENT_ID);
  assert_listed(b, HNS_NETWORK, "[]");
  char *id = create(b, HNS_NETWORK, NULL, NAT_NET), *fresh = first_nat_id(3);
  assert_string_equal(id, fresh);
  free(id);
  free(fresh);
  /* An ID the caller gives is the object's, written in upper case. */
  cJSON *j = ok_json(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NAMESPACE, .id = GIVEN_ID, .document = "{}"});
  assert_int_equal(strcasecmp(str(j, "ID"), GIVEN_ID), 0);
  cJSON_Delete(j);
  hns_backend_destroy(b);
}

/* A request the backend cannot make: E_INVALIDARG naming the field, no
 * fault consulted, nothing changed; NULLs: E_POINTER. */
static void malformed_requests(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 4);
  int watch = add_fault(b, (hns_fault_spec){.op = HNS_OP_COUNT, .any_kind = 1, .action = HNS_FAULT_HANG,
                                            .duration = SIM_MS(1)});
  static const struct {
    req_t r;
    const char *words;
  } cases[] = {
      {{.op = (hns_backend_op)99}, "request.op: 99"},
      {{.op = HNS_OP_QUERY, .kind = (hns_object_kind)9, .id = GIVEN_ID}, "request.kind: 9"},
      {{.op = HNS_OP_CREATE, .kind = HNS_NETWORK}, "request.document: missing"},
      {{.op = HNS_OP_MODIFY, .kind = HNS_NETWORK, .document = "{}"}, "request.id: missing"},
      {{.op = HNS_OP_MODIFY, .kind = HNS_NETWORK, .id = GIVEN_ID}, "request.document: missing"},
      {{.op = HNS_OP_QUERY, .kind = HNS_ENDPOINT}, "request.id: missing"},
      {{.op = HNS_OP_DELETE, .kind = HNS_ENDPOINT, .id = GIVEN_ID, .document = "{}"}, "request.document"},
      {{.op = HNS_OP_ENUMERATE, .kind = HNS_NETWORK, .id = GIVEN_ID}, "request.id: '" GIVEN_ID "'"},
      {{.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .parent_id = GIVEN_ID, .document = "{}"}, "request.parent_id"},
      {{.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .document = "{}"}, "request.parent_id: missing"},
      {{.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = "{}", .method = "POST"}, "request.method: 'POST'"},
      {{.op = HNS_OP_QUERY, .kind = HNS_NETWORK, .id = GIVEN_ID, .path = "/networks"}, "request.path"},
      {{.op = HNS_OP_HNSCALL, .path = "/networks"}, "request.method: missing"},
      {{.op = HNS_OP_HNSCALL, .method = "GET"}, "request.path: missing"},
      {{.op = HNS_OP_HNSCALL, .method = "GET", .path = "/networks", .id = GIVEN_ID}, "request.id"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hns_backend_answer a = call(b, cases[i].r);
    assert_refused(&a, HNS_E_INVALIDARG, cases[i].words);
    assert_string_equal(hns_backend_last_detail(b), a.detail);
    hns_backend_answer_free(&a);
  }
  hns_backend_answer a;
  assert_int_equal(hns_backend_call(NULL, &cases[0].r, &a), HNS_E_POINTER);
  assert_refused(&a, HNS_E_POINTER, "backend");
  hns_backend_answer_free(&a);
  assert_int_equal(hns_backend_call(b, NULL, &a), HNS_E_POINTER);
  assert_refused(&a, HNS_E_POINTER, "request");
  hns_backend_answer_free(&a);
  assert_int_equal(hns_backend_call(b, &cases[0].r, NULL), HNS_E_POINTER);
  assert_int_equal(hits(b, watch), 0);
  hns_backend_destroy(b);
}

/* ---- faults ---- */

/* FAIL twice, then the real call: the failures carry HNS's record for the
 * code and change nothing, so the network then gets the ID it gets on a
 * run without the fault. */
static void fault_fail_twice_then_real(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 5);
  int f = add_fault(b, (hns_fault_spec){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .action = HNS_FAULT_FAIL,
                                        .hr = HCN_E_MANAGER_STOPPED, .times = 2});
  assert_int_equal(f, 1);
  req_t r = {.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = NAT_NET};
  for (int i = 1; i <= 2; i++) {
    hns_backend_answer a = call(b, r);
    char words[128];
    snprintf(words, sizeof words, "fault 1 (hit %d of 2): answered 0x803B0020 (HCN_E_MANAGER_STOPPED)", i);
    assert_refused(&a, HCN_E_MANAGER_STOPPED, words);
    assert_null(a.output);
    assert_int_equal(a.fault_id, 1);
    hns_backend_answer_free(&a);
    assert_listed(b, HNS_NETWORK, "[]");
  }
  char *id = create(b, HNS_NETWORK, NULL, NAT_NET), *fresh = first_nat_id(5);
  assert_string_equal(id, fresh);
  assert_int_equal(hits(b, f), 2);
  free(create(b, HNS_NAMESPACE, NULL, "{}")); /* spent: another create goes through */
  assert_int_equal(hits(b, f), 2);
  free(id);
  free(fresh);
  hns_backend_destroy(b);
}

/* The record FAIL gives is HNS's standard one for the code, whatever the
 * code: a known message, or "Unknown error" for one HNS does not name. */
static void fault_fail_records(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 6);
  add_fault(b, (hns_fault_spec){.op = HNS_OP_DELETE, .any_kind = 1, .action = HNS_FAULT_FAIL,
                                .hr = HNS_E_ACCESSDENIED, .times = 1});
  add_fault(b, (hns_fault_spec){.op = HNS_OP_HNSCALL, .any_kind = 1, .action = HNS_FAULT_FAIL,
                                .hr = (hns_hr)0x803B00FF});
  hns_backend_answer a = call(b, (req_t){.op = HNS_OP_DELETE, .kind = HNS_LOADBALANCER, .id = ABSENT_ID});
  assert_int_equal(a.hr, HNS_E_ACCESSDENIED);
  assert_string_equal(a.error_record, "{\"Success\":false,\"Error\":\"Access is denied. \",\"ErrorCode\":2147942405}");
  hns_backend_answer_free(&a);
  a = call(b, (req_t){.op = HNS_OP_HNSCALL, .method = "GET", .path = "/globals/version"});
  assert_int_equal(a.hr, (hns_hr)0x803B00FF);
  assert_string_equal(a.error_record,
                      "{\"Success\":false,\"Error\":\"Unknown error 0x803B00FF\",\"ErrorCode\":2151350527}");
  assert_string_equal(a.output, a.error_record); /* HNSCall's envelope */
  assert_non_null(strstr(a.detail, "a code hnsmock does not name"));
  hns_backend_answer_free(&a);
  hns_backend_destroy(b);
}

/* HANG: the call takes its duration, then is made as usual, with its real
 * effect and answer, refusals included. */
static void fault_hang(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 7);
  int f = add_fault(b, (hns_fault_spec){.op = HNS_OP_CREATE, .any_kind = 1, .action = HNS_FAULT_HANG,
                                        .duration = SIM_S(5), .times = 2});
  hns_backend_answer a = call(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = NAT_NET});
  assert_int_equal(a.hr, HNS_S_OK);
  assert_int_equal(a.elapsed, SIM_S(5));
  assert_int_equal(a.fault_id, f);
  assert_null(a.error_record);
  assert_string_equal(a.detail, "fault 1: the call hung 5000000000 ns, then HNS answered");
  cJSON *net = cJSON_Parse(a.output);
  char *fresh = first_nat_id(7), want[64];
  assert_string_equal(str(net, "ID"), fresh);
  snprintf(want, sizeof want, "[\"%s\"]", fresh);
  assert_listed(b, HNS_NETWORK, want);
  cJSON_Delete(net);
  hns_backend_answer_free(&a);

  a = call(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = "{\"Name\":"});
  assert_refused(&a, HCN_E_INVALID_JSON, "fault 1: the call hung 5000000000 ns, then HNS refused it: network settings");
  assert_int_equal(a.elapsed, SIM_S(5));
  hns_backend_answer_free(&a);
  free(ok(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_NETWORK, .id = fresh})); /* not a create: no hang */
  free(create(b, HNS_NAMESPACE, NULL, "{}"));                                  /* spent */
  assert_int_equal(hits(b, f), 2);
  free(fresh);
  hns_backend_destroy(b);
}

/* NO_EFFECT on create: S_OK and the document with an ID, but nothing is
 * there: not listed, not found, and the next real create gets the ID it
 * gets without the fault. */
static void fault_no_effect_create(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 8);
  int f = add_fault(b, (hns_fault_spec){.op = HNS_OP_CREATE, .any_kind = 1, .action = HNS_FAULT_NO_EFFECT,
                                        .times = 4});
  hns_backend_answer a = call(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = NAT_NET});
  assert_int_equal(a.hr, HNS_S_OK);
  assert_null(a.error_record);
  assert_int_equal(a.fault_id, f);
  assert_string_equal(a.detail, "fault 1 (hit 1 of 4): answered S_OK without making the call; nothing changed");
  cJSON *net = cJSON_Parse(a.output);
  assert_string_equal(str(net, "Name"), "nat");
  assert_string_equal(str(net, "Type"), "NAT");
  assert_string_equal(net->child->string, "ID"); /* first, as HNS writes it */
  char *phantom = strdup(str(net, "ID"));
  hns_guid g;
  assert_int_equal(hns_guid_parse(phantom, &g), 0);
  assert_false(hns_guid_is_zero(&g));
  cJSON_Delete(net);
  hns_backend_answer_free(&a);
  assert_listed(b, HNS_NETWORK, "[]");
  refused(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_NETWORK, .id = phantom}, HCN_E_NETWORK_NOT_FOUND,
          "no network with ID");

  /* An endpoint's echo names its network; a given ID is echoed. */
  a = call(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .id = GIVEN_ID, .parent_id = ABSENT_ID,
                      .document = "{\"Name\":\"pod1\"}"});
  assert_int_equal(a.hr, HNS_S_OK);
  char want[200];
  snprintf(want, sizeof want, "{\"ID\":\"%s\",\"Name\":\"pod1\",\"HostComputeNetwork\":\"%s\"}",
           "0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0", ABSENT_ID);
  assert_string_equal(a.output, want);
  hns_backend_answer_free(&a);
  /* A third phantom differs from the first. */
  a = call(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = "[1]"});
  assert_int_equal(a.hr, HNS_S_OK);
  snprintf(want, sizeof want, "{\"ID\":\"%s\"}", phantom);
  assert_string_not_equal(a.output, want);
  assert_int_equal(strlen(a.output), strlen(want));
  hns_backend_answer_free(&a);
  /* An ID in the document is echoed as written. */
  a = call(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NAMESPACE,
                      .document = "{\"Type\":\"Host\",\"Id\":\"" GIVEN_ID "\"}"});
  assert_string_equal(a.output, "{\"ID\":\"" GIVEN_ID "\",\"Type\":\"Host\"}");
  hns_backend_answer_free(&a);
  assert_int_equal(hits(b, f), 4);
  assert_listed(b, HNS_NAMESPACE, "[]");

  char *id = create(b, HNS_NETWORK, NULL, NAT_NET), *fresh = first_nat_id(8);
  assert_string_equal(id, fresh);
  assert_string_not_equal(id, phantom);
  free(id);
  free(fresh);
  free(phantom);
  hns_backend_destroy(b);
}

/* NO_EFFECT on modify and delete: S_OK, the object as it was. Reads are
 * never decided by it (they change nothing to leave undone). */
static void fault_no_effect_modify_delete(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 9);
  char *net = create(b, HNS_NETWORK, NULL, NAT_NET);
  char *ep = create(b, HNS_ENDPOINT, net, "{}");
  int f = add_fault(b, (hns_fault_spec){.op = HNS_OP_COUNT, .any_kind = 1, .action = HNS_FAULT_NO_EFFECT});
  char *before = ok(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_ENDPOINT, .id = ep});
  free(listed(b, HNS_ENDPOINT));
  free(ok(b, (req_t){.op = HNS_OP_HNSCALL, .method = "get", .path = "/endpoints"}));
  assert_int_equal(hits(b, f), 0);

  hns_backend_answer a = call(b, (req_t){.op = HNS_OP_MODIFY, .kind = HNS_ENDPOINT, .id = ep, .document = ADD_ACL});
  assert_int_equal(a.hr, HNS_S_OK);
  assert_null(a.output);
  hns_backend_answer_free(&a);
  a = call(b, (req_t){.op = HNS_OP_DELETE, .kind = HNS_ENDPOINT, .id = ep});
  assert_int_equal(a.hr, HNS_S_OK);
  hns_backend_answer_free(&a);
  char *after = ok(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_ENDPOINT, .id = ep});
  assert_string_equal(after, before);
  /* HNSCall: a POST that creates echoes its body; a DELETE answers Success. */
  a = call(b, (req_t){.op = HNS_OP_HNSCALL, .method = "POST", .path = "networks/", .document = V1_NAT});
  cJSON *env = cJSON_Parse(a.output);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(env, "Success")));
  assert_string_equal(str(cJSON_GetObjectItem(env, "Output"), "Name"), "nat");
  cJSON_Delete(env);
  hns_backend_answer_free(&a);
  char path[80];
  snprintf(path, sizeof path, "/networks/%s", net);
  a = call(b, (req_t){.op = HNS_OP_HNSCALL, .method = "DELETE", .path = path});
  assert_string_equal(a.output, "{\"Success\":true}");
  hns_backend_answer_free(&a);
  char want[64];
  snprintf(want, sizeof want, "[\"%s\"]", net);
  assert_listed(b, HNS_NETWORK, want);
  assert_int_equal(hits(b, f), 4);
  free(before);
  free(after);
  free(ep);
  free(net);
  hns_backend_destroy(b);
}

/* Which calls a fault decides: its op, its kind (never an HNSCall's), its
 * path prefix in any case; the first added decides, then the next. */
static void fault_filters(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 10);
  int by_path = add_fault(b, (hns_fault_spec){.op = HNS_OP_HNSCALL, .any_kind = 1, .path_prefix = "/ENDPOINTS",
                                              .action = HNS_FAULT_FAIL, .hr = HNS_E_TIMEOUT});
  int by_kind = add_fault(b, (hns_fault_spec){.op = HNS_OP_COUNT, .kind = HNS_ENDPOINT, .action = HNS_FAULT_FAIL,
                                              .hr = HNS_E_NOT_SUPPORTED, .times = 1});
  int second = add_fault(b, (hns_fault_spec){.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .action = HNS_FAULT_FAIL,
                                             .hr = HNS_E_ACCESSDENIED, .times = 1});
  cJSON *env = ok_json(b, (req_t){.op = HNS_OP_HNSCALL, .method = "POST", .path = "/networks", .document = V1_NAT});
  char *net = strdup(str(cJSON_GetObjectItem(env, "Output"), "ID"));
  cJSON_Delete(env);
  hns_backend_answer a = call(b, (req_t){.op = HNS_OP_HNSCALL, .method = "GET", .path = "/endpoints/"});
  assert_refused(&a, HNS_E_TIMEOUT, "fault 1");
  hns_backend_answer_free(&a);
  refused(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .parent_id = net, .document = "{}"},
          HNS_E_NOT_SUPPORTED, "fault 2");
  refused(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .parent_id = net, .document = "{}"},
          HNS_E_ACCESSDENIED, "fault 3");
  free(create(b, HNS_ENDPOINT, net, "{}"));
  assert_int_equal(hits(b, by_path), 1);
  assert_int_equal(hits(b, by_kind), 1);
  assert_int_equal(hits(b, second), 1);
  free(net);
  hns_backend_destroy(b);
}

/* Faults removed and counted; numbers never reused; bad IDs refused. */
static void fault_remove_and_hits(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 11);
  int fail = add_fault(b, (hns_fault_spec){.op = HNS_OP_ENUMERATE, .any_kind = 1, .action = HNS_FAULT_FAIL,
                                           .hr = HNS_E_UNEXPECTED});
  int hang = add_fault(b, (hns_fault_spec){.op = HNS_OP_ENUMERATE, .any_kind = 1, .action = HNS_FAULT_HANG,
                                           .duration = SIM_MS(250)});
  req_t r = {.op = HNS_OP_ENUMERATE, .kind = HNS_NETWORK};
  hns_backend_answer a = call(b, r);
  assert_int_equal(a.hr, HNS_E_UNEXPECTED);
  hns_backend_answer_free(&a);
  assert_int_equal(hits(b, fail), 1);
  assert_int_equal(hits(b, hang), 0);
  assert_int_equal(hns_backend_fault_remove(b, fail), HNS_S_OK);
  a = call(b, r);
  assert_int_equal(a.hr, HNS_S_OK);
  assert_int_equal(a.elapsed, SIM_MS(250));
  assert_string_equal(a.output, "[]");
  hns_backend_answer_free(&a);
  assert_int_equal(hns_backend_fault_remove(b, fail), HNS_E_INVALIDARG);
  assert_string_equal(hns_backend_last_detail(b), "fault 1: there is no such fault");
  uint32_t n = 7;
  assert_int_equal(hns_backend_fault_hits(b, fail, &n), HNS_E_INVALIDARG);
  assert_int_equal(n, 0);
  assert_int_equal(add_fault(b, (hns_fault_spec){.op = HNS_OP_QUERY, .any_kind = 1, .action = HNS_FAULT_HANG,
                                                 .duration = 1}), 3);
  assert_int_equal(hns_backend_fault_remove(b, hang), HNS_S_OK);
  assert_int_equal(hns_backend_fault_remove(NULL, 3), HNS_E_POINTER);
  assert_int_equal(hns_backend_fault_hits(b, 3, NULL), HNS_E_POINTER);
  hns_backend_destroy(b);
}

/* A malformed spec: E_INVALIDARG naming the field, nothing added. */
static void fault_spec_refused(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 12);
  static const struct {
    hns_fault_spec s;
    const char *words;
  } cases[] = {
      {{.op = (hns_backend_op)(HNS_OP_COUNT + 1), .any_kind = 1}, "spec.op: 7"},
      {{.op = HNS_OP_HNSCALL, .kind = HNS_NETWORK, .hr = HNS_E_TIMEOUT}, "spec.kind: hnscall calls have no kind"},
      {{.op = HNS_OP_CREATE, .kind = (hns_object_kind)8, .hr = HNS_E_TIMEOUT}, "spec.kind: 8"},
      {{.op = HNS_OP_CREATE, .any_kind = 1, .path_prefix = "/networks", .hr = HNS_E_TIMEOUT},
       "spec.path_prefix: '/networks' filters hnscall calls only, not create"},
      {{.op = HNS_OP_CREATE, .any_kind = 1, .action = HNS_FAULT_FAIL}, "spec.hr: 0x00000000 is not a failure"},
      {{.op = HNS_OP_CREATE, .any_kind = 1, .hr = HNS_E_TIMEOUT, .duration = 5}, "spec.duration: 5; only a hang"},
      {{.op = HNS_OP_CREATE, .any_kind = 1, .action = HNS_FAULT_HANG}, "spec.duration: 0; a hang takes"},
      {{.op = HNS_OP_CREATE, .any_kind = 1, .action = HNS_FAULT_HANG, .duration = -1}, "spec.duration: -1"},
      {{.op = HNS_OP_CREATE, .any_kind = 1, .action = HNS_FAULT_HANG, .duration = 1, .hr = HNS_E_TIMEOUT},
       "spec.hr: 0x800705B4; only a fail"},
      {{.op = HNS_OP_QUERY, .any_kind = 1, .action = HNS_FAULT_NO_EFFECT}, "spec.op: query changes nothing"},
      {{.op = HNS_OP_ENUMERATE, .any_kind = 1, .action = HNS_FAULT_NO_EFFECT}, "spec.op: enumerate"},
      {{.op = HNS_OP_CREATE, .any_kind = 1, .action = (hns_fault_action)5}, "spec.action: 5"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int id = 9;
    assert_int_equal(hns_backend_fault_add(b, &cases[i].s, &id), HNS_E_INVALIDARG);
    assert_int_equal(id, 0);
    if (!strstr(hns_backend_last_detail(b), cases[i].words))
      fail_msg("case %zu: detail '%s' lacks '%s'", i, hns_backend_last_detail(b), cases[i].words);
  }
  int id;
  hns_fault_spec s = {.op = HNS_OP_COUNT, .any_kind = 1, .action = HNS_FAULT_NO_EFFECT};
  assert_int_equal(hns_backend_fault_add(NULL, &s, &id), HNS_E_POINTER);
  assert_int_equal(hns_backend_fault_add(b, NULL, &id), HNS_E_POINTER);
  assert_int_equal(hns_backend_fault_add(b, &s, NULL), HNS_E_POINTER);
  assert_int_equal(add_fault(b, s), 1); /* nothing was added before */
  hns_backend_destroy(b);
}

/* ---- lifecycle ---- */

/* A restart with a re-hydration mode and a reboot, through the backend;
 * the backend's calls open their handles afresh, so none is stale after. */
static void restart_and_reboot(void **state) {
  (void)state;
  hns_backend *b = backend("ws2022", 13);
  char *net = create(b, HNS_NETWORK, NULL, NAT_NET);
  char *ep = create(b, HNS_ENDPOINT, net, "{}");
  hns_lifecycle_report rep;
  assert_int_equal(hns_backend_restart(b, HNS_REHYDRATE_NETWORKS_ONLY, &rep), HNS_S_OK);
  assert_int_equal(rep.kept[HNS_NETWORK], 1);
  assert_int_equal(rep.dropped[HNS_ENDPOINT], 1);
  assert_listed(b, HNS_ENDPOINT, "[]");
  free(ok(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_NETWORK, .id = net}));
  refused(b, (req_t){.op = HNS_OP_QUERY, .kind = HNS_ENDPOINT, .id = ep}, HCN_E_ENDPOINT_NOT_FOUND,
          "no endpoint with ID");

  assert_int_equal(hns_backend_restart(b, (hns_rehydration)99, NULL), HNS_E_INVALIDARG);
  assert_non_null(strstr(hns_backend_last_detail(b), "rehydration mode 99"));
  /* WS2019 and later do not persist NAT networks across a reboot. */
  assert_int_equal(hns_backend_reboot(b, &rep), HNS_S_OK);
  assert_string_equal(hns_backend_last_detail(b), "");
  assert_int_equal(rep.dropped[HNS_NETWORK], 1);
  assert_listed(b, HNS_NETWORK, "[]");
  assert_int_equal(hns_backend_restart(NULL, HNS_REHYDRATE_ALL, NULL), HNS_E_POINTER);
  assert_int_equal(hns_backend_reboot(NULL, NULL), HNS_E_POINTER);
  free(ep);
  free(net);
  hns_backend_destroy(b);
}

/* WS2016 has no computenetwork.dll: HCN calls fail as they would there,
 * HNSCall works. */
static void ws2016_answers_hnscall_only(void **state) {
  (void)state;
  hns_backend *b = backend("ws2016", 14);
  refused(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK, .document = NAT_NET}, HNS_E_MOD_NOT_FOUND,
          "no HCN v2 API");
  free(ok(b, (req_t){.op = HNS_OP_HNSCALL, .method = "POST", .path = "/networks", .document = V1_NAT}));
  hns_backend_destroy(b);
}

/* ---- the model ---- */

static int has_iface(sim_net *net, const char *name) {
  sim_iface_info v[16];
  size_t n = 0;
  assert_int_equal(sim_net_host_ifaces(net, "node1", v, 16, &n), SIM_OK);
  for (size_t i = 0; i < n && i < 16; i++)
    if (!strcmp(v[i].name, name)) return 1;
  return 0;
}

/* With the model attached, what the backend makes is in the model, and
 * what a fault leaves undone is not. */
static void model_attached(void **state) {
  (void)state;
  sim_world *world;
  sim_net *net;
  sim_prefix a;
  sim_mac m;
  assert_int_equal(sim_world_create(1, &world), SIM_OK);
  assert_int_equal(sim_net_create(world, &net), SIM_OK);
  assert_int_equal(sim_net_segment_add(net, "lan", SIM_US(100), 0.0), SIM_OK);
  assert_int_equal(sim_net_host_add(net, "node1", SIM_HOST_WINDOWS), SIM_OK);
  sim_prefix_parse("10.240.0.4/16", &a);
  sim_mac_parse("00-15-5D-00-00-04", &m);
  assert_int_equal(sim_net_nic_add(net, "node1", "Ethernet", "lan", &a, &m), SIM_OK);
  hns_service_config cfg = {hns_profile_find("ws2022"), "node1", 15};
  hns_backend *b = NULL;
  assert_int_equal(hns_backend_sim_create(&cfg, net, NULL, &b), HNS_E_INVALIDARG);
  assert_null(b);
  assert_int_equal(hns_backend_sim_create(&cfg, NULL, "node1", &b), HNS_E_INVALIDARG);
  assert_int_equal(hns_backend_sim_create(&cfg, net, "node1", NULL), HNS_E_POINTER);
  assert_int_equal(hns_backend_sim_create(&cfg, net, "node1", &b), HNS_S_OK);

  char *id = create(b, HNS_NETWORK, NULL, NAT_NET);
  assert_true(has_iface(net, "vEthernet (nat)"));
  int f = add_fault(b, (hns_fault_spec){.op = HNS_OP_COUNT, .any_kind = 1, .action = HNS_FAULT_NO_EFFECT, .times = 2});
  hns_backend_answer ans = call(b, (req_t){.op = HNS_OP_CREATE, .kind = HNS_NETWORK,
                                           .document = "{\"Name\":\"nat2\",\"Type\":\"NAT\"}"});
  assert_int_equal(ans.hr, HNS_S_OK);
  hns_backend_answer_free(&ans);
  assert_false(has_iface(net, "vEthernet (nat2)"));
  ans = call(b, (req_t){.op = HNS_OP_DELETE, .kind = HNS_NETWORK, .id = id});
  assert_int_equal(ans.hr, HNS_S_OK);
  hns_backend_answer_free(&ans);
  assert_true(has_iface(net, "vEthernet (nat)"));
  assert_int_equal(hits(b, f), 2);
  assert_null(ok(b, (req_t){.op = HNS_OP_DELETE, .kind = HNS_NETWORK, .id = id}));
  assert_false(has_iface(net, "vEthernet (nat)"));
  free(id);
  hns_backend_destroy(b);
  sim_net_destroy(net);
  sim_world_destroy(world);
}

/* ---- determinism ---- */

/* A run of calls with faults; every answer appended to `out`. */
static void script(hns_backend *b, char *out, size_t cap) {
  add_fault(b, (hns_fault_spec){.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .action = HNS_FAULT_FAIL,
                                .hr = HCN_E_ADDR_INVALID_OR_RESERVED, .times = 1});
  add_fault(b, (hns_fault_spec){.op = HNS_OP_CREATE, .kind = HNS_LOADBALANCER, .action = HNS_FAULT_NO_EFFECT});
  add_fault(b, (hns_fault_spec){.op = HNS_OP_HNSCALL, .any_kind = 1, .action = HNS_FAULT_HANG, .duration = 3});
  char *net = create(b, HNS_NETWORK, NULL, NAT_NET);
  req_t calls[] = {
      {.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .parent_id = net, .document = "{\"Name\":\"a\"}"},
      {.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .parent_id = net, .document = "{\"Name\":\"a\"}"},
      {.op = HNS_OP_CREATE, .kind = HNS_ENDPOINT, .parent_id = net, .document = "{\"Name\":\"b\"}"},
      {.op = HNS_OP_CREATE, .kind = HNS_LOADBALANCER, .document = "{\"FrontendVIPs\":[\"10.0.0.10\"]}"},
      {.op = HNS_OP_CREATE, .kind = HNS_NAMESPACE, .document = "{}"},
      {.op = HNS_OP_HNSCALL, .method = "GET", .path = "/endpoints"},
      {.op = HNS_OP_ENUMERATE, .kind = HNS_ENDPOINT},
  };
  size_t used = (size_t)snprintf(out, cap, "%s\n", net);
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    hns_backend_answer a = call(b, calls[i]);
    used += (size_t)snprintf(out + used, cap - used, "%08X %lld %d|%s|%s|%s\n", (unsigned)a.hr, (long long)a.elapsed,
                             a.fault_id, a.output ? a.output : "-", a.error_record ? a.error_record : "-",
                             a.detail ? a.detail : "-");
    hns_backend_answer_free(&a);
  }
  assert_true(used < cap);
  free(net);
}

static void same_calls_same_answers(void **state) {
  (void)state;
  static char one[16384], two[16384], other[16384];
  hns_backend *b1 = backend("ws2022", 42), *b2 = backend("ws2022", 42), *b3 = backend("ws2022", 43);
  script(b1, one, sizeof one);
  script(b2, two, sizeof two);
  script(b3, other, sizeof other);
  assert_string_equal(one, two);
  assert_string_not_equal(one, other); /* the IDs come from the seed */
  hns_backend_destroy(b1);
  hns_backend_destroy(b2);
  hns_backend_destroy(b3);
}

static void names(void **state) {
  (void)state;
  static const char *const want[] = {"enumerate", "create", "modify", "query", "delete", "hnscall"};
  for (int op = 0; op < HNS_OP_COUNT; op++) assert_string_equal(hns_backend_op_name((hns_backend_op)op), want[op]);
  assert_null(hns_backend_op_name(HNS_OP_COUNT));
  assert_null(hns_backend_name(NULL));
  assert_null(hns_backend_service(NULL));
  assert_string_equal(hns_backend_last_detail(NULL), "");
  hns_backend_answer_free(NULL);
  hns_backend_destroy(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nat_network_and_endpoint),
      cmocka_unit_test(hnscall_post_then_get),
      cmocka_unit_test(bad_documents_refused),
      cmocka_unit_test(malformed_requests),
      cmocka_unit_test(fault_fail_twice_then_real),
      cmocka_unit_test(fault_fail_records),
      cmocka_unit_test(fault_hang),
      cmocka_unit_test(fault_no_effect_create),
      cmocka_unit_test(fault_no_effect_modify_delete),
      cmocka_unit_test(fault_filters),
      cmocka_unit_test(fault_remove_and_hits),
      cmocka_unit_test(fault_spec_refused),
      cmocka_unit_test(restart_and_reboot),
      cmocka_unit_test(ws2016_answers_hnscall_only),
      cmocka_unit_test(model_attached),
      cmocka_unit_test(same_calls_same_answers),
      cmocka_unit_test(names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
