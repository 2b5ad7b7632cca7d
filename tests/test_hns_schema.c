/* test_hns_schema.c: the schema engine (hns_schema.h) and the v2 documents
 * (hns_doc.h, hns_doc_policy.h), through the public API only.
 *
 * Two kinds of input:
 *  - a corpus of documents written by other people (tests/corpus/hcn-docs,
 *    provenance in its SOURCES.md): every one parses with the schema it is
 *    for and round-trips (parse, emit, parse, emit: the same text twice);
 *    for a few the exact output is pinned;
 *  - small documents written here, one rule each: unknown keys kept, NAT
 *    written without "Type", keys matched in any case, zero values left out,
 *    refusals with a path and a code and the output left zeroed, MACs
 *    normalised, GUIDs kept as given, deep copy, typed policy access.
 *
 * The corpus folder is argv[1] when given, else HNSIM_CORPUS_DIR (set by
 * tests/CMakeLists.txt to the source tree's tests/corpus/hcn-docs), so the
 * binary can also be pointed at another copy of the corpus by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hns_doc.h"
#include "hns_doc_policy.h"
#include "hns_schema.h"
#include "hns_types.h"

#ifndef HNSIM_CORPUS_DIR
#define HNSIM_CORPUS_DIR "tests/corpus/hcn-docs"
#endif

static const char *corpus_dir = HNSIM_CORPUS_DIR;

/* ---- helpers ----------------------------------------------------------------- */

static char *slurp(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", corpus_dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len + 4096 + 1 > cap) {
      cap = (cap ? cap * 2 : 8192);
      char *nb = realloc(buf, cap);
      assert_non_null(nb);
      buf = nb;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) break;
  }
  fclose(f);
  buf[len] = '\0';
  return buf;
}

static int all_zero(const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++)
    if (c[i]) return 0;
  return 1;
}

/* The document's output as compact text (caller frees). */
static char *emit_text(const hns_schema *s, const void *doc) {
  cJSON *j = hns_doc_emit(s, doc);
  assert_non_null(j);
  char *t = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  assert_non_null(t);
  return t;
}

/* Parses `text` with `s` into a fresh struct (caller: hns_doc_free + free);
 * the parse must succeed. */
static void *parse_ok(const hns_schema *s, const char *text, const hns_parse_opts *opts) {
  cJSON *j = cJSON_Parse(text);
  if (!j) fail_msg("not JSON: %s", text);
  void *doc = calloc(1, s->size);
  assert_non_null(doc);
  hns_perr err;
  int rc = hns_doc_parse(s, j, doc, opts, &err);
  cJSON_Delete(j);
  if (rc) fail_msg("%s refused: %s: %s (code %d)", s->name, err.path, err.msg, err.code);
  assert_int_equal(err.code, HNS_PERR_NONE);
  return doc;
}

static void doc_release(const hns_schema *s, void *doc) {
  hns_doc_free(s, doc);
  assert_true(all_zero(doc, s->size));
  free(doc);
}

/* Parse then emit: the output text (caller frees). */
static char *through(const hns_schema *s, const char *text) {
  void *doc = parse_ok(s, text, NULL);
  char *out = emit_text(s, doc);
  doc_release(s, doc);
  return out;
}

/* Parse-then-emit must give `want`; the output is freed before the check,
 * so that a failing check leaks nothing (the known-bug tests fail). */
static void expect_output(const hns_schema *s, const char *in, const char *want) {
  char *out = through(s, in);
  int same = !strcmp(out, want);
  if (!same) print_error("input %s\n  got  %s\n  want %s\n", in, out, want);
  free(out);
  assert_true(same);
}

/* The parse must be refused with `code` at `path`; the message must contain
 * `msg_part` when given; the output struct must be all zero bytes. */
static void expect_refusal(const hns_schema *s, const char *text, const hns_parse_opts *opts, int code,
                           const char *path, const char *msg_part) {
  cJSON *j = cJSON_Parse(text);
  if (!j) fail_msg("not JSON: %s", text);
  void *doc = calloc(1, s->size);
  assert_non_null(doc);
  hns_perr err;
  memset(&err, 0x5A, sizeof err);
  int rc = hns_doc_parse(s, j, doc, opts, &err);
  cJSON_Delete(j);
  if (rc == 0) {
    char *out = emit_text(s, doc);
    print_error("accepted: %s\n  as: %s\n", text, out);
    free(out);
    hns_doc_free(s, doc);
    free(doc);
    fail_msg("expected a refusal at %s", path);
  }
  assert_int_equal(rc, -1);
  if (strcmp(err.path, path) || err.code != code || (msg_part && !strstr(err.msg, msg_part)))
    print_error("input %s\n  got code %d path '%s' msg '%s'\n", text, err.code, err.path, err.msg);
  assert_string_equal(err.path, path);
  assert_int_equal(err.code, code);
  if (msg_part) assert_non_null(strstr(err.msg, msg_part));
  assert_true(all_zero(doc, s->size));
  free(doc);
}

/* ---- the corpus ---------------------------------------------------------------- */

/* Which schema each file is for. `policies` ('e' endpoint, 'n' network):
 * the file is a modify request whose Settings.Policies are parsed again,
 * typed, as the Policies of an endpoint or a network. `refuse_path`: the
 * schema refuses the file there (a sample that is wrong as printed; see
 * SOURCES.md). */
typedef struct corpus_case {
  const char *file;
  const hns_schema *schema;
  char policies;
  const char *refuse_path;
  int refuse_code;
} corpus_case;

static const corpus_case corpus[] = {
    /* MicrosoftDocs/windowsserverdocs hcn-scenarios.md (.fixed: see SOURCES.md) */
    {"create-network-nat-docs.fixed.json", &hns_network_schema, 0, NULL, 0},
    /* Dns.ServerList is a string in the sample; the schema (VDOCS DNS:
     * "<string> array", hcsshim []string) wants an array. */
    {"create-endpoint-docs.fixed.json", &hns_endpoint_schema, 0, "DNS.ServerList", HNS_PERR_SHAPE},
    {"modify-endpoint-add-port-docs.fixed.json", &hns_modify_endpoint_schema, 0, NULL, 0},
    {"create-namespace-docs.fixed.json", &hns_namespace_schema, 0, NULL, 0},
    {"namespace-add-endpoint-docs.json", &hns_modify_namespace_schema, 0, NULL, 0},
    {"create-loadbalancer-docs.fixed.json", &hns_loadbalancer_schema, 0, NULL, 0},
    /* No modify-request schema exists for load balancers; this sample has the
     * namespace request's shape and ordinals (ResourceType 1 = Endpoint). It
     * is also parsed as a HostComputeLoadBalancer in lb_modify_sample. */
    {"loadbalancer-modify-add-endpoint-docs.json", &hns_modify_namespace_schema, 0, NULL, 0},
    {"query-enumerate-networks-docs.fixed.json", &hns_query_schema, 0, NULL, 0},
    {"query-enumerate-endpoints-docs.fixed.json", &hns_query_schema, 0, NULL, 0},
    {"query-future-docs.fixed.json", &hns_query_schema, 0, NULL, 0},
    {"query-loadbalancer-properties-docs.fixed.json", &hns_query_schema, 0, NULL, 0},
    /* microsoft/hcsshim hcn/hcnutils_test.go and the hcn package, as encoding/json writes them */
    {"create-network-nat.hcsshim.json", &hns_network_schema, 0, NULL, 0},
    {"create-network-overlay.hcsshim.json", &hns_network_schema, 0, NULL, 0},
    {"create-network-l2bridge.hcsshim.json", &hns_network_schema, 0, NULL, 0},
    {"create-endpoint.hcsshim.json", &hns_endpoint_schema, 0, NULL, 0},
    {"create-endpoint-with-namespace.hcsshim.json", &hns_endpoint_schema, 0, NULL, 0},
    {"create-namespace.hcsshim.json", &hns_namespace_schema, 0, NULL, 0},
    {"namespace-add-endpoint.hcsshim.json", &hns_modify_namespace_schema, 0, NULL, 0},
    {"modify-endpoint-policy-acl.hcsshim.json", &hns_modify_endpoint_schema, 'e', NULL, 0},
    {"modify-endpoint-policy-l4wfpproxy.hcsshim.json", &hns_modify_endpoint_schema, 'e', NULL, 0},
    {"modify-endpoint-policy-tieracl.hcsshim.json", &hns_modify_endpoint_schema, 'e', NULL, 0},
    {"create-loadbalancer.hcsshim.json", &hns_loadbalancer_schema, 0, NULL, 0},
    {"modify-network-policy-remotesubnetroute.hcsshim.json", &hns_modify_network_schema, 'n', NULL, 0},
    {"modify-network-policy-hostroute.hcsshim.json", &hns_modify_network_schema, 'n', NULL, 0},
    {"create-sdnroute.hcsshim.json", &hns_sdnroute_schema, 0, NULL, 0},
    {"query-network-by-name.hcsshim.json", &hns_query_schema, 0, NULL, 0},
    /* microsoft/SDN Kubernetes/windows/hns.v2.psm1 */
    {"query-schema-v1.psm1.json", &hns_query_schema, 0, NULL, 0},
    {"create-namespace-default.psm1.json", &hns_namespace_schema, 0, NULL, 0},
    {"modify-network-policy-hostroute.psm1.json", &hns_modify_network_schema, 'n', NULL, 0},
};
#define NCORPUS (sizeof corpus / sizeof corpus[0])

/* Samples that are not valid JSON as printed; each has a .fixed.json twin
 * in the table above. */
static const char *const invalid_as_printed[] = {
    "create-network-nat-docs.json",       "create-endpoint-docs.json",
    "modify-endpoint-add-port-docs.json", "create-namespace-docs.json",
    "create-loadbalancer-docs.json",      "query-enumerate-networks-docs.json",
    "query-enumerate-endpoints-docs.json", "query-future-docs.json",
    "query-loadbalancer-properties-docs.json",
};
#define NINVALID (sizeof invalid_as_printed / sizeof invalid_as_printed[0])

static void round_trip_text(const hns_schema *s, const char *text, const char *what) {
  char *first = through(s, text);
  char *second = through(s, first);
  if (strcmp(first, second)) print_error("%s:\n  first:  %s\n  second: %s\n", what, first, second);
  assert_string_equal(first, second);
  free(first);
  free(second);
}

/* Settings.Policies of a modify request, parsed as the Policies of an
 * endpoint or a network (the typed settings), and round-tripped. */
static void check_request_policies(const corpus_case *c, const char *text) {
  cJSON *req = cJSON_Parse(text);
  assert_non_null(req);
  const cJSON *settings = cJSON_GetObjectItemCaseSensitive(req, "Settings");
  const cJSON *pols = cJSON_GetObjectItemCaseSensitive(settings, "Policies");
  assert_true(cJSON_IsArray(pols));
  cJSON *wrap = cJSON_CreateObject();
  cJSON_AddItemToObject(wrap, "Policies", cJSON_Duplicate(pols, 1));
  char *wtext = cJSON_PrintUnformatted(wrap);
  cJSON_Delete(wrap);
  cJSON_Delete(req);
  const hns_schema *s = c->policies == 'e' ? &hns_endpoint_schema : &hns_network_schema;
  round_trip_text(s, wtext, c->file);
  free(wtext);
}

static void corpus_parses_and_round_trips(void **state) {
  (void)state;
  for (size_t i = 0; i < NCORPUS; i++) {
    const corpus_case *c = &corpus[i];
    char *text = slurp(c->file);
    if (c->refuse_path) {
      expect_refusal(c->schema, text, NULL, c->refuse_code, c->refuse_path, NULL);
    } else {
      round_trip_text(c->schema, text, c->file);
      if (c->policies) check_request_policies(c, text);
    }
    free(text);
  }
}

/* Every .json file in the folder is in one of the two lists, and the
 * samples listed as invalid are indeed not JSON (so that a corrected copy
 * is never mistaken for the original). */
static void corpus_is_complete(void **state) {
  (void)state;
  DIR *d = opendir(corpus_dir);
  if (!d) fail_msg("cannot open the corpus folder %s", corpus_dir);
  size_t seen = 0;
  for (struct dirent *e; (e = readdir(d));) {
    size_t n = strlen(e->d_name);
    if (n < 5 || strcmp(e->d_name + n - 5, ".json")) continue;
    int known = 0;
    for (size_t i = 0; i < NCORPUS; i++) known |= !strcmp(corpus[i].file, e->d_name);
    for (size_t i = 0; i < NINVALID; i++) known |= !strcmp(invalid_as_printed[i], e->d_name);
    if (!known) print_error("%s is in the corpus but not in the test's tables\n", e->d_name);
    assert_true(known);
    seen++;
  }
  closedir(d);
  assert_int_equal(seen, NCORPUS + NINVALID);
  for (size_t i = 0; i < NINVALID; i++) {
    char *text = slurp(invalid_as_printed[i]);
    cJSON *j = cJSON_Parse(text);
    if (j) print_error("%s parses as JSON\n", invalid_as_printed[i]);
    assert_null(j);
    free(text);
  }
}

/* The exact output of a few corpus documents: HNS's shape (NAT without
 * Type, PascalCase keys, zero values left out, "Suffix" written "Domain",
 * unknown keys after the known ones in their input order). */
static void corpus_exact_output(void **state) {
  (void)state;
  static const struct {
    const char *file;
    const hns_schema *schema;
    const char *out;
  } golden[] = {
      {"create-network-nat-docs.fixed.json", &hns_network_schema,
       "{\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-52-C0-00\",\"EndMacAddress\":\"00-15-5D-52-CF-FF\"}]},"
       "\"Dns\":{\"Domain\":\"net.home\",\"ServerList\":[\"10.0.0.10\"]},"
       "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"192.168.1.0/24\","
       "\"Policies\":[{\"Type\":\"VLAN\",\"Settings\":{},\"IsolationId\":100}],"
       "\"Routes\":[{\"NextHop\":\"192.168.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}],"
       "\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Owner\":\"WDAGNetwork\"}"},
      {"create-loadbalancer-docs.fixed.json", &hns_loadbalancer_schema,
       "{\"HostComputeEndpoints\":[\"87fdcf16-d210-426e-959d-2a1d4f41d6d1\"],"
       "\"PortMappings\":[{\"InternalPort\":8080,\"ExternalPort\":80}],"
       "\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Owner\":\"Sample\",\"VirtualIPs\":[\"10.0.0.10\"],"
       "\"EnableDirectServerReturn\":true,\"InternalLoadBalancer\":false}"},
      {"create-namespace-docs.fixed.json", &hns_namespace_schema,
       "{\"Type\":\"Host\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Owner\":\"Sample\",\"Flags\":0}"},
      {"namespace-add-endpoint-docs.json", &hns_modify_namespace_schema,
       "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\","
       "\"Settings\":{\"EndpointId\":\"87fdcf16-d210-426e-959d-2a1d4f41d6d1\"}}"},
      {"modify-endpoint-add-port-docs.fixed.json", &hns_modify_endpoint_schema,
       "{\"ResourceType\":\"Port\",\"RequestType\":\"Add\",\"Settings\":{"
       "\"PortName\":\"acbd341a-ec08-44c0-9d5e-61af0ee86902\","
       "\"VirtualNicName\":\"641313e1-7ae8-4ddb-94e5-3215f3a0b218--87fdcf16-d210-426e-959d-2a1d4f41d6d1\","
       "\"VirtualMachineId\":\"641313e1-7ae8-4ddb-94e5-3215f3a0b218\"}}"},
      {"create-network-nat.hcsshim.json", &hns_network_schema,
       "{\"Name\":\"GoTestNat\","
       "\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-52-C0-00\",\"EndMacAddress\":\"00-15-5D-52-CF-FF\"}]},"
       "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"192.168.100.0/24\","
       "\"Routes\":[{\"NextHop\":\"192.168.100.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}],"
       "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"},
      {"create-network-overlay.hcsshim.json", &hns_network_schema,
       "{\"Name\":\"GoTestOverlay\",\"Type\":\"Overlay\","
       "\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-52-C0-00\",\"EndMacAddress\":\"00-15-5D-52-CF-FF\"}]},"
       "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"192.168.100.0/24\","
       "\"Policies\":[{\"Type\":\"VSID\",\"Settings\":{\"IsolationId\":5000}}],"
       "\"Routes\":[{\"NextHop\":\"192.168.100.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}],"
       "\"Flags\":8,\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"},
      {"create-namespace.hcsshim.json", &hns_namespace_schema,
       "{\"NamespaceId\":5,\"Type\":\"HostDefault\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"},
      {"create-namespace-default.psm1.json", &hns_namespace_schema,
       "{\"Type\":\"HostDefault\",\"SchemaVersion\":{\"Major\":2,\"Minor\":2}}"},
      {"create-sdnroute.hcsshim.json", &hns_sdnroute_schema,
       "{\"HostComputeEndpoints\":[\"c4f0f6c1-1a2b-4c3d-8e9f-00000000e001\"],"
       "\"Setting\":[{\"DestinationPrefix\":\"169.254.169.254/24\",\"NextHop\":\"127.10.0.34\"}],"
       "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"},
      {"create-loadbalancer.hcsshim.json", &hns_loadbalancer_schema,
       "{\"HostComputeEndpoints\":[\"c4f0f6c1-1a2b-4c3d-8e9f-00000000e001\"],\"SourceVIP\":\"10.0.0.1\","
       "\"FrontendVIPs\":[\"1.1.1.2\",\"1.1.1.3\"],"
       "\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":8090}],"
       "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"},
      {"query-network-by-name.hcsshim.json", &hns_query_schema,
       "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Filter\":\"{\\\"Name\\\":\\\"GoTestNat\\\"}\"}"},
      {"modify-network-policy-hostroute.psm1.json", &hns_modify_network_schema,
       "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\","
       "\"Settings\":{\"Policies\":[{\"Type\":\"HostRoute\",\"Settings\":{}}]}}"},
  };
  for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
    char *text = slurp(golden[i].file);
    char *out = through(golden[i].schema, text);
    if (strcmp(out, golden[i].out)) print_error("%s\n", golden[i].file);
    assert_string_equal(out, golden[i].out);
    free(out);
    free(text);
  }
}

/* The typed view of some corpus documents. */
static void corpus_typed_values(void **state) {
  (void)state;
  char *text = slurp("create-network-nat-docs.fixed.json");
  hns_network_doc *net = parse_ok(&hns_network_schema, text, NULL);
  free(text);
  assert_int_equal(net->type, HNS_NET_NAT);
  assert_string_equal(net->owner, "WDAGNetwork");
  assert_string_equal(net->dns.domain, "net.home");
  assert_int_equal(net->ipams.n, 1);
  hns_ipam_doc *ipam = HNS_VEC_AT(net->ipams, hns_ipam_doc, 0);
  assert_int_equal(ipam->type, 0);
  assert_int_equal(ipam->subnets.n, 1);
  hns_subnet_doc *sub = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, 0);
  assert_string_equal(sub->ip_address_prefix, "192.168.1.0/24");
  assert_int_equal(sub->policies.n, 1);
  /* The 2018 docs put IsolationId beside Type; it is kept as an unknown key
   * of the policy, not read into the typed settings. */
  const hns_policy *vlan = hns_policy_find(&sub->policies, "vlan");
  assert_non_null(vlan);
  assert_int_equal(((const hns_u32_policy *)vlan->settings)->value, 0);
  assert_non_null(cJSON_GetObjectItemCaseSensitive(vlan->extras, "IsolationId"));
  doc_release(&hns_network_schema, net);

  text = slurp("create-network-overlay.hcsshim.json");
  net = parse_ok(&hns_network_schema, text, NULL);
  free(text);
  assert_int_equal(net->type, HNS_NET_OVERLAY);
  assert_int_equal(net->flags, 8);
  sub = HNS_VEC_AT(HNS_VEC_AT(net->ipams, hns_ipam_doc, 0)->subnets, hns_subnet_doc, 0);
  const hns_policy *vsid = hns_policy_find(&sub->policies, "VSID");
  assert_non_null(vsid);
  assert_int_equal(((const hns_u32_policy *)vsid->settings)->value, 5000);
  doc_release(&hns_network_schema, net);

  text = slurp("create-sdnroute.hcsshim.json");
  hns_sdnroute_doc *rt = parse_ok(&hns_sdnroute_schema, text, NULL);
  free(text);
  assert_int_equal(rt->setting.n, 1);
  hns_sdn_route_setting_doc *set = HNS_VEC_AT(rt->setting, hns_sdn_route_setting_doc, 0);
  assert_string_equal(set->destination_prefix, "169.254.169.254/24");
  assert_string_equal(set->next_hop, "127.10.0.34");
  assert_int_equal(set->need_encap, 0);
  doc_release(&hns_sdnroute_schema, rt);

  text = slurp("query-network-by-name.hcsshim.json");
  hns_query_doc *q = parse_ok(&hns_query_schema, text, NULL);
  free(text);
  assert_string_equal(q->filter, "{\"Name\":\"GoTestNat\"}");
  assert_int_equal(q->schema_version.major, 2);
  doc_release(&hns_query_schema, q);
}

/* hcsshim's test endpoint sets the read-only HostComputeNamespace (and
 * hcsshim itself refuses that before calling HNS): accepted by the schema
 * alone, refused when refuse_readonly is set. */
static void corpus_readonly_namespace(void **state) {
  (void)state;
  char *text = slurp("create-endpoint-with-namespace.hcsshim.json");
  hns_endpoint_doc *ep = parse_ok(&hns_endpoint_schema, text, NULL);
  assert_string_equal(ep->host_compute_namespace, "c4f0f6c1-1a2b-4c3d-8e9f-00000000d001");
  assert_string_equal(ep->host_compute_network, "C4F0F6C1-1A2B-4C3D-8E9F-00000000A001");
  doc_release(&hns_endpoint_schema, ep);
  const hns_parse_opts ro = {.refuse_readonly = 1};
  expect_refusal(&hns_endpoint_schema, text, &ro, HNS_PERR_READONLY, "HostComputeNamespace", NULL);
  free(text);
}

/* The docs' load balancer modify sample, parsed as a whole
 * HostComputeLoadBalancer (what hcsshim sends to HcnModifyLoadBalancer):
 * nothing is known, everything is kept and echoed. */
static void lb_modify_sample(void **state) {
  (void)state;
  char *text = slurp("loadbalancer-modify-add-endpoint-docs.json");
  hns_loadbalancer_doc *lb = parse_ok(&hns_loadbalancer_schema, text, NULL);
  assert_int_equal(cJSON_GetArraySize(lb->extras), 3);
  char *out = emit_text(&hns_loadbalancer_schema, lb);
  doc_release(&hns_loadbalancer_schema, lb);
  cJSON *j = cJSON_Parse(out);
  assert_non_null(j);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "ResourceType")->valueint, 1);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(j, "RequestType")->valueint, 0);
  const cJSON *ep = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "Settings"), "EndpointId");
  assert_string_equal(cJSON_GetStringValue(ep), "87fdcf16-d210-426e-959d-2a1d4f41d6d1");
  cJSON_Delete(j);
  free(out);
  round_trip_text(&hns_loadbalancer_schema, text, "loadbalancer-modify-add-endpoint-docs.json as a load balancer");
  free(text);
}

/* ---- unknown keys -------------------------------------------------------------- */

static void unknown_keys_kept(void **state) {
  (void)state;
  char *out = through(&hns_network_schema,
                      "{\"Frobnicate\":{\"x\":1},\"Name\":\"n\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
                      "\"Policies\":[{\"Extra\":[1,2],\"Type\":\"NetAdapterName\","
                      "\"Settings\":{\"Vendor\":\"v\",\"NetworkAdapterName\":\"Ethernet\"}}],\"zz\":null}");
  assert_string_equal(out, "{\"Name\":\"n\",\"Policies\":[{\"Type\":\"NetAdapterName\","
                           "\"Settings\":{\"NetworkAdapterName\":\"Ethernet\",\"Vendor\":\"v\"},\"Extra\":[1,2]}],"
                           "\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Frobnicate\":{\"x\":1},\"zz\":null}");
  free(out);

  /* Inside nested objects and arrays too. */
  out = through(&hns_endpoint_schema,
                "{\"IpConfigurations\":[{\"IpAddress\":\"10.0.0.5\",\"PrefixLength\":24,\"Future\":true}],"
                "\"Dns\":{\"ServerList\":[\"10.0.0.10\"],\"Other\":\"o\"},\"SchemaVersion\":{\"Major\":2,\"Minor\":0,\"Patch\":1}}");
  assert_string_equal(out, "{\"IpConfigurations\":[{\"IpAddress\":\"10.0.0.5\",\"PrefixLength\":24,\"Future\":true}],"
                           "\"Dns\":{\"ServerList\":[\"10.0.0.10\"],\"Other\":\"o\"},"
                           "\"SchemaVersion\":{\"Major\":2,\"Minor\":0,\"Patch\":1}}");
  free(out);

  /* The typed struct holds the unknown keys in extras. */
  hns_network_doc *net = parse_ok(&hns_network_schema, "{\"Frobnicate\":{\"x\":1}}", NULL);
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(net->extras, "Frobnicate");
  assert_non_null(x);
  assert_int_equal(cJSON_GetObjectItemCaseSensitive(x, "x")->valueint, 1);
  doc_release(&hns_network_schema, net);
}

/* ---- network Type ---------------------------------------------------------------- */

static void network_type(void **state) {
  (void)state;
  static const char *const v2 = "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}";
  char in[256], want[256];

  /* NAT (ordinal 0) is written without "Type", whether given or not. */
  static const char *const nat[] = {"\"NAT\"", "\"nat\"", "0"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(in, sizeof in, "{\"Name\":\"a\",\"Type\":%s,%s}", nat[i], v2);
    char *out = through(&hns_network_schema, in);
    snprintf(want, sizeof want, "{\"Name\":\"a\",%s}", v2);
    assert_string_equal(out, want);
    free(out);
  }

  static const char *const bridge[] = {"\"L2Bridge\"", "\"l2bridge\"", "\"L2BRIDGE\"", "\"l2BrIdGe\"", "3"};
  for (size_t i = 0; i < sizeof bridge / sizeof bridge[0]; i++) {
    snprintf(in, sizeof in, "{\"Name\":\"a\",\"Type\":%s,%s}", bridge[i], v2);
    hns_network_doc *net = parse_ok(&hns_network_schema, in, NULL);
    assert_int_equal(net->type, HNS_NET_L2BRIDGE);
    char *out = emit_text(&hns_network_schema, net);
    snprintf(want, sizeof want, "{\"Name\":\"a\",\"Type\":\"L2Bridge\",%s}", v2);
    assert_string_equal(out, want);
    free(out);
    doc_release(&hns_network_schema, net);
  }

  /* Every name the table knows, by name and by ordinal. */
  static const struct {
    const char *name;
    int v;
  } types[] = {{"ICS", HNS_NET_ICS},           {"Transparent", HNS_NET_TRANSPARENT}, {"L2Tunnel", HNS_NET_L2TUNNEL},
               {"Overlay", HNS_NET_OVERLAY},   {"Private", HNS_NET_PRIVATE},         {"Internal", HNS_NET_INTERNAL}};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    snprintf(in, sizeof in, "{\"Type\":\"%s\"}", types[i].name);
    hns_network_doc *a = parse_ok(&hns_network_schema, in, NULL);
    snprintf(in, sizeof in, "{\"Type\":%d}", types[i].v);
    hns_network_doc *b = parse_ok(&hns_network_schema, in, NULL);
    assert_int_equal(a->type, types[i].v);
    assert_int_equal(b->type, types[i].v);
    assert_string_equal(hns_enum_name(hns_network_types, types[i].v), types[i].name);
    doc_release(&hns_network_schema, a);
    doc_release(&hns_network_schema, b);
  }
}

/* ---- key spellings ----------------------------------------------------------------- */

static void keys_any_case_and_aliases(void **state) {
  (void)state;
  static const char *const ipams[] = {"Ipams", "ipams", "IPAMS", "IpAmS"};
  for (size_t i = 0; i < 4; i++) {
    char in[256];
    snprintf(in, sizeof in, "{\"%s\":[{\"type\":\"dhcp\"}],\"schemaversion\":{\"major\":2,\"MINOR\":0}}", ipams[i]);
    hns_network_doc *net = parse_ok(&hns_network_schema, in, NULL);
    assert_int_equal(net->ipams.n, 1);
    assert_int_equal(HNS_VEC_AT(net->ipams, hns_ipam_doc, 0)->type, 1);
    assert_null(net->extras);
    char *out = emit_text(&hns_network_schema, net);
    assert_string_equal(out, "{\"Ipams\":[{\"Type\":\"Dhcp\"}],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
    free(out);
    doc_release(&hns_network_schema, net);
  }

  /* "Id" (the 2018 docs) and any other case are read as ID and written "ID". */
  static const char *const ids[] = {"Id", "id", "ID", "iD"};
  for (size_t i = 0; i < 4; i++) {
    char in[256];
    snprintf(in, sizeof in,
             "{\"%s\":\"0f3f6c5c-330c-40fc-9d52-aeb44d267c33\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", ids[i]);
    const hns_schema *const schemas[] = {&hns_network_schema, &hns_endpoint_schema, &hns_loadbalancer_schema,
                                         &hns_sdnroute_schema};
    for (size_t k = 0; k < sizeof schemas / sizeof schemas[0]; k++) {
      char *out = through(schemas[k], in);
      assert_string_equal(out, "{\"ID\":\"0f3f6c5c-330c-40fc-9d52-aeb44d267c33\","
                               "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
      free(out);
    }
    /* A namespace always writes its Type (Host, ordinal 0, is kept). */
    char *out = through(&hns_namespace_schema, in);
    assert_string_equal(out, "{\"ID\":\"0f3f6c5c-330c-40fc-9d52-aeb44d267c33\",\"Type\":\"Host\","
                             "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
    free(out);
  }

  /* A HostComputeRoute's settings: hcsshim's "Setting" and the docs' "Routes". */
  static const char *const keys[] = {"Setting", "Routes", "routes", "SETTING"};
  for (size_t i = 0; i < 4; i++) {
    char in[256];
    snprintf(in, sizeof in,
             "{\"%s\":[{\"DestinationPrefix\":\"10.1.0.0/16\",\"NextHop\":\"10.0.0.1\",\"NeedEncap\":true}],"
             "\"SchemaVersion\":{\"Major\":2,\"Minor\":2}}",
             keys[i]);
    hns_sdnroute_doc *rt = parse_ok(&hns_sdnroute_schema, in, NULL);
    assert_int_equal(rt->setting.n, 1);
    hns_sdn_route_setting_doc *s = HNS_VEC_AT(rt->setting, hns_sdn_route_setting_doc, 0);
    assert_string_equal(s->destination_prefix, "10.1.0.0/16");
    assert_string_equal(s->next_hop, "10.0.0.1");
    assert_int_equal(s->need_encap, 1);
    assert_null(rt->extras);
    doc_release(&hns_sdnroute_schema, rt);
  }

  /* The 2018 docs' Dns "Suffix" is Domain. */
  char *out = through(&hns_endpoint_schema, "{\"dns\":{\"suffix\":\"corp\"},\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  assert_string_equal(out, "{\"Dns\":{\"Domain\":\"corp\"},\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  free(out);

  /* Policy "Type"/"Settings" keys and type names in any case. */
  out = through(&hns_endpoint_schema, "{\"policies\":[{\"type\":\"portmapping\",\"settings\":{\"internalport\":80}}],"
                                      "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  assert_string_equal(out, "{\"Policies\":[{\"Type\":\"PortMapping\",\"Settings\":{\"InternalPort\":80}}],"
                           "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  free(out);
}

/* ---- zero values ------------------------------------------------------------------- */

static void zero_values(void **state) {
  (void)state;
  /* Flags 0, Metric 0, PrefixLength 0, NeedEncap false, "" and [] are left out. */
  char *out = through(&hns_endpoint_schema,
                      "{\"Name\":\"\",\"Flags\":0,\"Policies\":[],\"MacAddress\":\"\","
                      "\"Routes\":[{\"NextHop\":\"10.0.0.1\",\"DestinationPrefix\":\"0.0.0.0/0\",\"Metric\":0}],"
                      "\"IpConfigurations\":[{\"IpAddress\":\"10.0.0.5\",\"PrefixLength\":0}],"
                      "\"Dns\":{\"Search\":[],\"ServerList\":[]},\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  assert_string_equal(out, "{\"IpConfigurations\":[{\"IpAddress\":\"10.0.0.5\"}],"
                           "\"Routes\":[{\"NextHop\":\"10.0.0.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}],"
                           "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  free(out);

  /* Version {2,0} keeps Minor 0; {0,0} given explicitly is kept too. */
  out = through(&hns_query_schema, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Flags\":0}");
  assert_string_equal(out, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  free(out);

  /* RemoteSubnetRoute is not omitempty in hcsshim: every field is written. */
  out = through(&hns_network_schema,
                "{\"Policies\":[{\"Type\":\"RemoteSubnetRoute\",\"Settings\":{\"DestinationPrefix\":\"192.168.2.0/24\","
                "\"IsolationId\":0,\"ProviderAddress\":\"1.1.1.1\",\"DistributedRouterMacAddress\":\"00-12-34-56-78-9a\"}},"
                "{\"Type\":\"RemoteSubnetRoute\",\"Settings\":{}}],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  assert_string_equal(out, "{\"Policies\":[{\"Type\":\"RemoteSubnetRoute\",\"Settings\":{"
                           "\"DestinationPrefix\":\"192.168.2.0/24\",\"IsolationId\":0,\"ProviderAddress\":\"1.1.1.1\","
                           "\"DistributedRouterMacAddress\":\"00-12-34-56-78-9A\"}},"
                           "{\"Type\":\"RemoteSubnetRoute\",\"Settings\":{\"DestinationPrefix\":\"\",\"IsolationId\":0,"
                           "\"ProviderAddress\":\"\",\"DistributedRouterMacAddress\":\"\"}}],"
                           "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  free(out);

  /* HostRoute's settings are an empty object that must be present, given or not. */
  out = through(&hns_network_schema, "{\"Policies\":[{\"Type\":\"HostRoute\",\"Settings\":{}},{\"Type\":\"hostroute\"}],"
                                     "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  assert_string_equal(out, "{\"Policies\":[{\"Type\":\"HostRoute\",\"Settings\":{}},{\"Type\":\"HostRoute\",\"Settings\":{}}],"
                           "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  free(out);

  /* Enums marked keep-zero: Ipam Type Static, namespace Type Host, resource Container, request Add. */
  out = through(&hns_namespace_schema, "{\"Type\":0,\"Resources\":[{\"Type\":0,\"Data\":{\"ID\":\"c1\"}}],"
                                       "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  assert_string_equal(out, "{\"Type\":\"Host\",\"Resources\":[{\"Type\":\"Container\",\"Data\":{\"ID\":\"c1\"}}],"
                           "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
  free(out);
}

/* A document that carries no SchemaVersion must not gain one: a zero
 * Version is a zero value (hns_schema.h: zero values are left out), and
 * "SchemaVersion":{"Major":0,"Minor":0} is no version HNS or a client
 * writes. BUG (reported): the Version schema marks Major and Minor
 * KEEP_ZERO, so the embedded object is never empty and is always written. */
static void absent_schema_version_not_invented(void **state) {
  (void)state;
  expect_output(&hns_network_schema, "{\"Name\":\"x\"}", "{\"Name\":\"x\"}");
  expect_output(&hns_query_schema, "{\"Filter\":\"{}\"}", "{\"Filter\":\"{}\"}");
}

/* A policy type the tables give no settings struct (L2Driver) must still
 * keep the Settings it was given: unknown content is kept and echoed.
 * BUG (reported): parse_policies skips "Settings" when the type has no
 * settings schema, and the writer writes none. */
static void settings_of_untyped_policy_kept(void **state) {
  (void)state;
  expect_output(&hns_endpoint_schema,
                "{\"Policies\":[{\"Type\":\"L2Driver\",\"Settings\":{\"x\":1}}],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}",
                "{\"Policies\":[{\"Type\":\"L2Driver\",\"Settings\":{\"x\":1}}],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
}

/* ---- refusals ---------------------------------------------------------------------- */

static void refusals(void **state) {
  (void)state;
  static const struct {
    const hns_schema *schema;
    const char *json;
    int code;
    const char *path;
    const char *msg;
  } cases[] = {
      /* wrong JSON type, inside policy settings: the code says "policy" */
      {&hns_endpoint_schema,
       "{\"Name\":\"e\",\"Policies\":[{\"Type\":\"PortMapping\",\"Settings\":{\"Protocol\":6,\"InternalPort\":\"80\"}}]}",
       HNS_PERR_POLICY, "Policies[0].Settings.InternalPort", "expected an integer from 0 to 65535, got \"80\""},
      /* out of range for a uint16 */
      {&hns_loadbalancer_schema,
       "{\"FrontendVIPs\":[\"10.0.0.1\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":70000}]}", HNS_PERR_SHAPE,
       "PortMappings[0].InternalPort", "expected an integer from 0 to 65535, got 70000"},
      {&hns_endpoint_schema, "{\"Name\":\"e\",\"Flags\":-1}", HNS_PERR_SHAPE, "Flags",
       "expected an integer from 0 to 4294967295, got -1"},
      {&hns_namespace_schema, "{\"Type\":\"Host\",\"NamespaceId\":1.5}", HNS_PERR_SHAPE, "NamespaceId", "got 1.5"},
      {&hns_endpoint_schema, "{\"IpConfigurations\":[{\"IpAddress\":\"10.0.0.5\",\"PrefixLength\":256}]}",
       HNS_PERR_SHAPE, "IpConfigurations[0].PrefixLength", "expected an integer from 0 to 255, got 256"},
      {&hns_network_schema, "{\"Version\":-5}", HNS_PERR_SHAPE, "Version", "expected a non-negative integer, got -5"},
      {&hns_network_schema, "{\"Name\":5}", HNS_PERR_SHAPE, "Name", "expected a string, got 5"},
      {&hns_namespace_schema, "{\"CreateWithCompartment\":\"true\"}", HNS_PERR_SHAPE, "CreateWithCompartment",
       "expected true or false"},
      {&hns_network_schema, "{\"Name\":\"n\",\"Ipams\":{}}", HNS_PERR_SHAPE, "Ipams", "expected an array of objects"},
      {&hns_network_schema, "{\"Name\":\"n\",\"Ipams\":[{\"Subnets\":[1]}]}", HNS_PERR_SHAPE, "Ipams[0].Subnets[0]",
       "expected an object"},
      {&hns_network_schema, "{\"Name\":\"n\",\"Dns\":[]}", HNS_PERR_SHAPE, "Dns", "expected an object"},
      {&hns_network_schema, "{\"Name\":\"n\",\"Policies\":{}}", HNS_PERR_SHAPE, "Policies", "an array of policies"},
      {&hns_network_schema, "{\"Name\":\"n\",\"Policies\":[\"HostRoute\"]}", HNS_PERR_SHAPE, "Policies[0]",
       "a policy object"},
      {&hns_endpoint_schema, "{\"Dns\":{\"ServerList\":[\"10.0.0.10\",7]}}", HNS_PERR_SHAPE, "Dns.ServerList[1]",
       "expected a string, got 7"},
      /* malformed addresses and identifiers */
      {&hns_endpoint_schema, "{\"Name\":\"e\",\"IpConfigurations\":[{\"IpAddress\":\"10.0.0.256\"}]}", HNS_PERR_VALUE,
       "IpConfigurations[0].IpAddress", "expected an IP address, got \"10.0.0.256\""},
      {&hns_endpoint_schema, "{\"Dns\":{\"ServerList\":[\"10.0.0.10\",\"dns.corp\"]}}", HNS_PERR_VALUE,
       "Dns.ServerList[1]", "expected an IP address"},
      {&hns_network_schema,
       "{\"Name\":\"n\",\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"10.0.0.0/33\"}]}]}",
       HNS_PERR_VALUE, "Ipams[0].Subnets[0].IpAddressPrefix", "expected an address prefix"},
      {&hns_network_schema, "{\"Ipams\":[{\"Subnets\":[{\"Routes\":[{\"DestinationPrefix\":\"0.0.0.0\"}]}]}]}",
       HNS_PERR_VALUE, "Ipams[0].Subnets[0].Routes[0].DestinationPrefix", "expected an address prefix"},
      {&hns_endpoint_schema, "{\"Name\":\"e\",\"MacAddress\":\"00-15-5D-00-00\"}", HNS_PERR_VALUE, "MacAddress",
       "expected a MAC address"},
      {&hns_network_schema, "{\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-52-C0-00\","
                            "\"EndMacAddress\":\"00:15-5D-52-CF-FF\"}]}}",
       HNS_PERR_VALUE, "MacPool.Ranges[0].EndMacAddress", "expected a MAC address"},
      {&hns_endpoint_schema, "{\"Name\":\"e\",\"HostComputeNetwork\":\"not-a-guid\"}", HNS_PERR_VALUE,
       "HostComputeNetwork", "expected a GUID, got \"not-a-guid\""},
      {&hns_loadbalancer_schema,
       "{\"HostComputeEndpoints\":[\"87fdcf16-d210-426e-959d-2a1d4f41d6d1\",\"87fdcf16-d210-426e-959d-2a1d4f41d6d\"]}",
       HNS_PERR_VALUE, "HostComputeEndpoints[1]", "expected a GUID"},
      {&hns_network_schema, "{\"ID\":\"{87fdcf16-d210-426e-959d-2a1d4f41d6d1\"}", HNS_PERR_VALUE, "ID",
       "expected a GUID"},
      /* policy types */
      {&hns_endpoint_schema,
       "{\"Policies\":[{\"Type\":\"ACL\",\"Settings\":{\"Action\":\"Allow\"}},{\"Type\":\"Frobnicate\"}]}",
       HNS_PERR_POLICY_TYPE, "Policies[1].Type", "'Frobnicate' is not an endpoint policy type"},
      {&hns_network_schema, "{\"Policies\":[{\"Type\":\"PortMapping\",\"Settings\":{}}]}", HNS_PERR_POLICY_TYPE,
       "Policies[0].Type", "'PortMapping' is not a network policy type"},
      {&hns_network_schema, "{\"Ipams\":[{\"Subnets\":[{\"Policies\":[{\"Type\":\"ACL\"}]}]}]}", HNS_PERR_POLICY_TYPE,
       "Ipams[0].Subnets[0].Policies[0].Type", "'ACL' is not a subnet policy type"},
      /* malformed policies and settings */
      {&hns_endpoint_schema, "{\"Policies\":[{\"Settings\":{}}]}", HNS_PERR_POLICY, "Policies[0].Type",
       "a policy type name"},
      {&hns_endpoint_schema, "{\"Policies\":[{\"Type\":0,\"Settings\":{}}]}", HNS_PERR_POLICY, "Policies[0].Type",
       "a policy type name"},
      {&hns_endpoint_schema, "{\"Policies\":[{\"Type\":\"ACL\",\"Settings\":\"Allow\"}]}", HNS_PERR_POLICY,
       "Policies[0].Settings", "expected a settings object"},
      {&hns_endpoint_schema, "{\"Policies\":[{\"Type\":\"ACL\",\"Settings\":{\"Action\":\"Allow\",\"Priority\":\"high\"}}]}",
       HNS_PERR_POLICY, "Policies[0].Settings.Priority", "expected an integer from 0 to 65535"},
      {&hns_endpoint_schema, "{\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"VirtualIP\":\"1.2.3\"}}]}",
       HNS_PERR_POLICY, "Policies[0].Settings.VirtualIP", "expected an IP address"},
      {&hns_network_schema, "{\"Policies\":[{\"Type\":\"VxlanPort\",\"Settings\":{\"Port\":65536}}]}", HNS_PERR_POLICY,
       "Policies[0].Settings.Port", "expected an integer from 0 to 65535, got 65536"},
      {&hns_endpoint_schema,
       "{\"Policies\":[{\"Type\":\"L4WFPPROXY\",\"Settings\":{\"FilterTuple\":{\"Priority\":-1}}}]}", HNS_PERR_POLICY,
       "Policies[0].Settings.FilterTuple.Priority", "got -1"},
      /* a names-only enum given as an integer */
      {&hns_endpoint_schema, "{\"Policies\":[{\"Type\":\"ACL\",\"Settings\":{\"Action\":1,\"Direction\":\"In\"}}]}",
       HNS_PERR_POLICY, "Policies[0].Settings.Action", "expected one of Allow Block Pass, got 1"},
      {&hns_network_schema, "{\"Policies\":[{\"Type\":\"SetPolicy\",\"Settings\":{\"PolicyType\":0}}]}", HNS_PERR_POLICY,
       "Policies[0].Settings.PolicyType", "expected one of IPSET NESTEDIPSET, got 0"},
      /* enums: unknown names and ordinals */
      {&hns_network_schema, "{\"Type\":\"Bridge\"}", HNS_PERR_SHAPE, "Type", "expected one of NAT ICS Transparent"},
      {&hns_network_schema, "{\"Type\":42}", HNS_PERR_SHAPE, "Type", "got 42"},
      {&hns_network_schema, "{\"Type\":-1}", HNS_PERR_SHAPE, "Type", "got -1"},
      {&hns_modify_namespace_schema, "{\"ResourceType\":\"Port\",\"RequestType\":\"Add\"}", HNS_PERR_SHAPE,
       "ResourceType", "expected one of Container Endpoint, got \"Port\""},
      {&hns_modify_endpoint_schema, "{\"ResourceType\":\"Policy\",\"RequestType\":7}", HNS_PERR_SHAPE, "RequestType",
       "got 7"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect_refusal(cases[i].schema, cases[i].json, NULL, cases[i].code, cases[i].path, cases[i].msg);

  /* A read-only field, when the caller asks for read-only fields to be refused. */
  const hns_parse_opts ro = {.refuse_readonly = 1};
  expect_refusal(&hns_endpoint_schema,
                 "{\"Name\":\"e\",\"Policies\":[{\"Type\":\"ACL\",\"Settings\":{\"Action\":\"Allow\"}}],"
                 "\"HostComputeNamespace\":\"87fdcf16-d210-426e-959d-2a1d4f41d6d1\"}",
                 &ro, HNS_PERR_READONLY, "HostComputeNamespace", NULL);
  /* ... and without the option it is read. */
  hns_endpoint_doc *ep =
      parse_ok(&hns_endpoint_schema, "{\"HostComputeNamespace\":\"87fdcf16-d210-426e-959d-2a1d4f41d6d1\"}", NULL);
  assert_string_equal(ep->host_compute_namespace, "87fdcf16-d210-426e-959d-2a1d4f41d6d1");
  doc_release(&hns_endpoint_schema, ep);

  /* Not an object at all. */
  static const char *const not_objects[] = {"[]", "[{\"Name\":\"n\"}]", "\"network\"", "42", "true", "null"};
  for (size_t i = 0; i < sizeof not_objects / sizeof not_objects[0]; i++)
    expect_refusal(&hns_network_schema, not_objects[i], NULL, HNS_PERR_SHAPE, "", "expected a JSON object");
  /* A NULL document. */
  hns_network_doc net = {0};
  hns_perr err;
  assert_int_equal(hns_doc_parse(&hns_network_schema, NULL, &net, NULL, &err), -1);
  assert_int_equal(err.code, HNS_PERR_SHAPE);
  assert_true(all_zero(&net, sizeof net));
  /* err may be NULL. */
  cJSON *bad = cJSON_Parse("{\"Name\":\"n\",\"Flags\":-1}");
  assert_int_equal(hns_doc_parse(&hns_network_schema, bad, &net, NULL, NULL), -1);
  assert_true(all_zero(&net, sizeof net));
  cJSON_Delete(bad);
}

/* A long value in a message is cut short, not overflowing the buffer. */
static void refusal_message_bounded(void **state) {
  (void)state;
  char in[4096];
  int n = snprintf(in, sizeof in, "{\"Name\":\"");
  for (int i = 0; i < 2000; i++) in[n++] = 'a';
  snprintf(in + n, sizeof in - (size_t)n, "\",\"MacAddress\":\"%.*s\"}", 300,
           "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
           "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
           "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
  expect_refusal(&hns_endpoint_schema, in, NULL, HNS_PERR_VALUE, "MacAddress", "...");
}

/* A uint64 field given 2^64 (18446744073709551616, one more than
 * UINT64_MAX) must be refused; it must not be stored as some other number.
 * BUG (reported): parse_uint compares d > (double)UINT64_MAX, and
 * (double)UINT64_MAX rounds up to 2^64, so 2^64 passes and the cast
 * (uint64_t)d is undefined behaviour (x86-64 gives 0). */
static void u64_out_of_range_refused(void **state) {
  (void)state;
  expect_refusal(&hns_network_schema, "{\"Name\":\"n\",\"Version\":18446744073709551616}", NULL, HNS_PERR_SHAPE,
                 "Version", "expected a non-negative integer");
  expect_refusal(&hns_network_schema, "{\"Name\":\"n\",\"Version\":1e30}", NULL, HNS_PERR_SHAPE, "Version", NULL);
}

/* An integer is written with all its digits. BUG (reported): emit_value
 * writes a U64 with cJSON_CreateNumber, and cJSON prints a double with 15
 * significant digits whenever that reads back "equal" within a relative
 * DBL_EPSILON, so 8000000000000001 (exact in a double, below 2^53) is
 * written "8e+15", which reads back as 8000000000000000. */
static void u64_written_exactly(void **state) {
  (void)state;
  hns_network_doc *net = parse_ok(&hns_network_schema, "{\"Version\":8000000000000001}", NULL);
  assert_true(net->version == UINT64_C(8000000000000001));
  char *out = emit_text(&hns_network_schema, net);
  doc_release(&hns_network_schema, net);
  int exact = strstr(out, "\"Version\":8000000000000001") != NULL;
  if (!exact) print_error("written: %s\n", out);
  free(out);
  assert_true(exact);
}

/* ---- MACs and GUIDs ---------------------------------------------------------------- */

static void macs_and_guids(void **state) {
  (void)state;
  static const char *const spellings[] = {"00-15-5d-aa-bb-0c", "00:15:5D:AA:BB:0C", "00:15:5d:aA:Bb:0c",
                                          "00-15-5D-AA-BB-0C"};
  for (size_t i = 0; i < 4; i++) {
    char in[512];
    snprintf(in, sizeof in,
             "{\"MacAddress\":\"%s\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", spellings[i]);
    hns_endpoint_doc *ep = parse_ok(&hns_endpoint_schema, in, NULL);
    assert_string_equal(ep->mac_address, "00-15-5D-AA-BB-0C");
    doc_release(&hns_endpoint_schema, ep);

    snprintf(in, sizeof in,
             "{\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"%s\",\"EndMacAddress\":\"00:15:5d:aa:bb:ff\"}]},"
             "\"Policies\":[{\"Type\":\"DrMacAddress\",\"Settings\":{\"Address\":\"%s\"}},"
             "{\"Type\":\"SourceMacAddress\",\"Settings\":{\"SourceMacAddress\":\"%s\"}}],"
             "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}",
             spellings[i], spellings[i], spellings[i]);
    char *out = through(&hns_network_schema, in);
    assert_string_equal(out, "{\"Policies\":[{\"Type\":\"DrMacAddress\",\"Settings\":{\"Address\":\"00-15-5D-AA-BB-0C\"}},"
                             "{\"Type\":\"SourceMacAddress\",\"Settings\":{\"SourceMacAddress\":\"00-15-5D-AA-BB-0C\"}}],"
                             "\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-AA-BB-0C\","
                             "\"EndMacAddress\":\"00-15-5D-AA-BB-FF\"}]},\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
    free(out);
  }

  /* GUIDs keep the case given; braces are dropped. */
  static const struct {
    const char *in, *out;
  } guids[] = {
      {"87FDCF16-D210-426E-959D-2A1D4F41D6D1", "87FDCF16-D210-426E-959D-2A1D4F41D6D1"},
      {"87fdcf16-d210-426e-959d-2a1d4f41d6d1", "87fdcf16-d210-426e-959d-2a1d4f41d6d1"},
      {"87fdCF16-d210-426E-959d-2A1D4f41d6d1", "87fdCF16-d210-426E-959d-2A1D4f41d6d1"},
      {"{87FDCF16-D210-426E-959D-2A1D4F41D6D1}", "87FDCF16-D210-426E-959D-2A1D4F41D6D1"},
      {"{87fdcf16-d210-426e-959d-2a1d4f41d6d1}", "87fdcf16-d210-426e-959d-2a1d4f41d6d1"},
  };
  for (size_t i = 0; i < sizeof guids / sizeof guids[0]; i++) {
    char in[512], want[512];
    snprintf(in, sizeof in,
             "{\"ID\":\"%s\",\"HostComputeNetwork\":\"%s\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", guids[i].in,
             guids[i].in);
    snprintf(want, sizeof want,
             "{\"ID\":\"%s\",\"HostComputeNetwork\":\"%s\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", guids[i].out,
             guids[i].out);
    char *out = through(&hns_endpoint_schema, in);
    assert_string_equal(out, want);
    free(out);
    snprintf(in, sizeof in, "{\"HostComputeEndpoints\":[\"%s\"],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}",
             guids[i].in);
    snprintf(want, sizeof want, "{\"HostComputeEndpoints\":[\"%s\"],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}",
             guids[i].out);
    out = through(&hns_loadbalancer_schema, in);
    assert_string_equal(out, want);
    free(out);
  }
}

/* ---- copy and free ----------------------------------------------------------------- */

static const char rich_endpoint[] =
    "{\"ID\":\"87FDCF16-D210-426E-959D-2A1D4F41D6D1\",\"Name\":\"pod-a_eth0\","
    "\"HostComputeNetwork\":\"{c4f0f6c1-1a2b-4c3d-8e9f-00000000a001}\","
    "\"Policies\":[{\"Type\":\"ACL\",\"Settings\":{\"Id\":\"allow-80\",\"Protocols\":\"6\",\"Action\":\"allow\","
    "\"Direction\":\"In\",\"LocalAddresses\":\"10.244.1.0/24\",\"RemoteAddresses\":\"10.0.0.0/8,192.168.0.0/16\","
    "\"LocalPorts\":\"80\",\"RemotePorts\":\"1024-65535\",\"RuleType\":\"Switch\",\"Priority\":200}},"
    "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"VirtualIP\":\"10.0.0.4\",\"Exceptions\":[\"10.244.0.0/16\",\"10.96.0.0/12\"],"
    "\"Destinations\":[\"0.0.0.0/0\"],\"MaxPortPoolUsage\":80}},"
    "{\"Type\":\"PortMapping\",\"Settings\":{\"Protocol\":17,\"InternalPort\":53,\"ExternalPort\":5353,\"VIP\":\"10.0.0.4\",\"Flags\":1}},"
    "{\"Type\":\"EncapOverhead\",\"Settings\":{\"Overhead\":50}},"
    "{\"Type\":\"SDNRoute\",\"Settings\":{\"DestinationPrefix\":\"10.96.0.0/12\",\"NextHop\":\"10.244.1.2\",\"NeedEncap\":true}},"
    "{\"Type\":\"L4Proxy\",\"Settings\":{\"IP\":\"127.0.0.1\",\"Port\":\"15001\",\"Protocol\":6,"
    "\"ExceptionList\":[\"10.0.0.1\"],\"Destination\":\"10.0.0.2\",\"OutboundNAT\":true}},"
    "{\"Type\":\"TierAcl\",\"Settings\":{\"Name\":\"t\",\"Direction\":\"Out\",\"Order\":1001,"
    "\"TierAclRules\":[{\"Id\":\"r1\",\"TierAclRuleAction\":\"Pass\",\"Priority\":2000}]}},"
    "{\"Type\":\"Encryption\",\"Settings\":{\"EncryptionMethodType\":\"Ipsec\",\"Name\":\"e\"}},"
    "{\"Type\":\"L2Driver\"}],"
    "\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.5\",\"PrefixLength\":24},"
    "{\"IpAddress\":\"fd00:10:244:1::5\",\"PrefixLength\":64,\"IpSubnetId\":\"0f3f6c5c-330c-40fc-9d52-aeb44d267c33\"}],"
    "\"Dns\":{\"Domain\":\"svc.cluster.local\",\"Search\":[\"svc.cluster.local\",\"cluster.local\"],"
    "\"ServerList\":[\"10.96.0.10\"],\"Options\":[\"ndots:5\"]},"
    "\"Routes\":[{\"NextHop\":\"10.244.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\",\"Metric\":10}],"
    "\"MacAddress\":\"00-15-5d-01-02-03\",\"Flags\":2,\"Health\":{\"Extra\":{\"Resources\":{}}},"
    "\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"AdditionalParams\":{\"SwitchId\":\"x\"},\"Owner\":\"cni\"}";

static void copy_and_free(void **state) {
  (void)state;
  hns_endpoint_doc *a = parse_ok(&hns_endpoint_schema, rich_endpoint, NULL);
  hns_endpoint_doc *b = calloc(1, sizeof *b);
  assert_non_null(b);
  assert_int_equal(hns_doc_copy(&hns_endpoint_schema, a, b), 0);
  char *ta = emit_text(&hns_endpoint_schema, a);
  char *tb = emit_text(&hns_endpoint_schema, b);
  assert_string_equal(ta, tb);
  /* Deep: the copy shares no memory with the original. */
  assert_ptr_not_equal(a->name, b->name);
  assert_ptr_not_equal(a->policies.v, b->policies.v);
  assert_ptr_not_equal(a->policies.v[0].settings, b->policies.v[0].settings);
  assert_ptr_not_equal(a->ip_configurations.v, b->ip_configurations.v);
  assert_ptr_not_equal(a->extras, b->extras);
  doc_release(&hns_endpoint_schema, a);
  /* The copy outlives the original. */
  char *tb2 = emit_text(&hns_endpoint_schema, b);
  assert_string_equal(ta, tb2);
  round_trip_text(&hns_endpoint_schema, rich_endpoint, "rich endpoint");
  free(ta);
  free(tb);
  free(tb2);
  doc_release(&hns_endpoint_schema, b);

  /* Freeing twice and freeing a zero struct are harmless; NULL is ignored. */
  hns_network_doc net = {0};
  hns_doc_free(&hns_network_schema, &net);
  hns_doc_free(&hns_network_schema, &net);
  assert_true(all_zero(&net, sizeof net));
  hns_doc_free(&hns_network_schema, NULL);

  /* Copying every corpus document gives an equal document. */
  for (size_t i = 0; i < NCORPUS; i++) {
    if (corpus[i].refuse_path) continue;
    const hns_schema *s = corpus[i].schema;
    char *text = slurp(corpus[i].file);
    void *x = parse_ok(s, text, NULL);
    void *y = calloc(1, s->size);
    assert_non_null(y);
    assert_int_equal(hns_doc_copy(s, x, y), 0);
    char *tx = emit_text(s, x), *ty = emit_text(s, y);
    assert_string_equal(tx, ty);
    free(tx);
    free(ty);
    doc_release(s, x);
    doc_release(s, y);
    free(text);
  }
}

/* ---- typed policy access ------------------------------------------------------------ */

static void typed_policies(void **state) {
  (void)state;
  hns_endpoint_doc *ep = parse_ok(&hns_endpoint_schema, rich_endpoint, NULL);
  assert_int_equal(ep->policies.n, 9);

  const hns_policy *p = hns_policy_find(&ep->policies, "acl");
  assert_non_null(p);
  assert_ptr_equal(p, hns_policy_find(&ep->policies, "ACL"));
  assert_string_equal(p->type->name, "ACL");
  const hns_acl_policy *acl = p->settings;
  assert_string_equal(acl->id, "allow-80");
  assert_string_equal(acl->protocols, "6");
  assert_int_equal(acl->action, HNS_ACTION_ALLOW);
  assert_int_equal(acl->direction, HNS_DIRECTION_IN);
  assert_int_equal(acl->rule_type, HNS_RULE_SWITCH);
  assert_string_equal(acl->local_addresses, "10.244.1.0/24");
  assert_string_equal(acl->remote_addresses, "10.0.0.0/8,192.168.0.0/16");
  assert_string_equal(acl->local_ports, "80");
  assert_string_equal(acl->remote_ports, "1024-65535");
  assert_int_equal(acl->priority, 200);

  p = hns_policy_find(&ep->policies, "OutBoundNAT");
  assert_non_null(p);
  const hns_outbound_nat_policy *nat = p->settings;
  assert_string_equal(nat->virtual_ip, "10.0.0.4");
  assert_int_equal(nat->exceptions.n, 2);
  assert_string_equal(nat->exceptions.v[0], "10.244.0.0/16");
  assert_string_equal(nat->exceptions.v[1], "10.96.0.0/12");
  assert_int_equal(nat->destinations.n, 1);
  assert_int_equal(nat->max_port_pool_usage, 80);

  p = hns_policy_find(&ep->policies, "portmapping");
  const hns_port_mapping_policy *pm = p->settings;
  assert_int_equal(pm->protocol, 17);
  assert_int_equal(pm->internal_port, 53);
  assert_int_equal(pm->external_port, 5353);
  assert_string_equal(pm->vip, "10.0.0.4");
  assert_int_equal(pm->flags, 1);

  assert_int_equal(((const hns_u16_policy *)hns_policy_find(&ep->policies, "EncapOverhead")->settings)->value, 50);
  const hns_sdn_route_setting_doc *sdn = hns_policy_find(&ep->policies, "SDNRoute")->settings;
  assert_string_equal(sdn->next_hop, "10.244.1.2");
  assert_int_equal(sdn->need_encap, 1);
  const hns_l4_proxy_policy *l4 = hns_policy_find(&ep->policies, "L4Proxy")->settings;
  assert_string_equal(l4->port, "15001");
  assert_int_equal(l4->exceptions.n, 1);
  assert_string_equal(l4->exceptions.v[0], "10.0.0.1");
  assert_int_equal(l4->outbound_nat, 1);
  const hns_tier_acl_policy *tier = hns_policy_find(&ep->policies, "TierAcl")->settings;
  assert_int_equal(tier->direction, HNS_DIRECTION_OUT);
  assert_int_equal(tier->order, 1001);
  assert_int_equal(tier->rules.n, 1);
  assert_int_equal(HNS_VEC_AT(tier->rules, hns_tier_acl_rule_doc, 0)->action, HNS_ACTION_PASS);
  const hns_policy *l2 = hns_policy_find(&ep->policies, "L2Driver");
  assert_non_null(l2);
  assert_null(l2->settings);
  assert_null(hns_policy_find(&ep->policies, "QOS"));
  assert_null(hns_policy_find(&ep->policies, "Frobnicate"));
  doc_release(&hns_endpoint_schema, ep);

  /* The docs' and psm1's "ExceptionList" spelling fills the same list, and is
   * written back as hcsshim's "Exceptions". */
  static const char *const keys[] = {"Exceptions", "ExceptionList", "exceptionlist"};
  for (size_t i = 0; i < 3; i++) {
    char in[512];
    snprintf(in, sizeof in,
             "{\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"%s\":[\"10.244.0.0/16\",\"10.0.0.0/8\"]}}],"
             "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}",
             keys[i]);
    hns_endpoint_doc *e = parse_ok(&hns_endpoint_schema, in, NULL);
    const hns_outbound_nat_policy *o = hns_policy_find(&e->policies, "outboundnat")->settings;
    assert_int_equal(o->exceptions.n, 2);
    assert_string_equal(o->exceptions.v[0], "10.244.0.0/16");
    assert_string_equal(o->exceptions.v[1], "10.0.0.0/8");
    assert_null(o->extras);
    char *out = emit_text(&hns_endpoint_schema, e);
    assert_string_equal(out, "{\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":"
                             "[\"10.244.0.0/16\",\"10.0.0.0/8\"]}}],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
    free(out);
    doc_release(&hns_endpoint_schema, e);
  }

  /* The ACLs of hcsshim's test request, read typed. */
  char *text = slurp("modify-endpoint-policy-acl.hcsshim.json");
  hns_modify_doc *req = parse_ok(&hns_modify_endpoint_schema, text, NULL);
  free(text);
  assert_int_equal(req->resource_type, 1); /* Policy */
  assert_int_equal(req->request_type, 2);  /* Update */
  cJSON *wrap = cJSON_CreateObject();
  cJSON_AddItemToObject(wrap, "Policies",
                        cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(req->settings, "Policies"), 1));
  char *wtext = cJSON_PrintUnformatted(wrap);
  cJSON_Delete(wrap);
  doc_release(&hns_modify_endpoint_schema, req);
  ep = parse_ok(&hns_endpoint_schema, wtext, NULL);
  free(wtext);
  assert_int_equal(ep->policies.n, 2);
  const hns_acl_policy *in = ep->policies.v[0].settings, *outp = ep->policies.v[1].settings;
  assert_int_equal(in->direction, HNS_DIRECTION_IN);
  assert_int_equal(outp->direction, HNS_DIRECTION_OUT);
  assert_string_equal(in->local_ports, "80,8080");
  assert_string_equal(in->local_addresses, "192.168.100.0/24,10.0.0.21");
  assert_int_equal(in->rule_type, HNS_RULE_SWITCH);
  assert_int_equal(in->priority, 200);
  doc_release(&hns_endpoint_schema, ep);

  /* Network and subnet scopes. */
  hns_network_doc *net = parse_ok(&hns_network_schema,
                                  "{\"Policies\":[{\"Type\":\"VxlanPort\",\"Settings\":{\"Port\":4789}},"
                                  "{\"Type\":\"NetAdapterName\",\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"}},"
                                  "{\"Type\":\"SetPolicy\",\"Settings\":{\"Id\":\"s\",\"Name\":\"n\",\"PolicyType\":\"nestedipset\","
                                  "\"Values\":\"a,b\"}},"
                                  "{\"Type\":\"NetworkACL\",\"Settings\":{\"Action\":\"Block\",\"Direction\":\"Out\"}}],"
                                  "\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.0.0.0/24\",\"Policies\":["
                                  "{\"Type\":\"VLAN\",\"Settings\":{\"IsolationId\":100}}]}]}]}",
                                  NULL);
  assert_int_equal(((const hns_u16_policy *)hns_policy_find(&net->policies, "vxlanport")->settings)->value, 4789);
  assert_string_equal(((const hns_text_policy *)hns_policy_find(&net->policies, "NetAdapterName")->settings)->value,
                      "Ethernet");
  const hns_set_policy *set = hns_policy_find(&net->policies, "SetPolicy")->settings;
  assert_int_equal(set->policy_type, HNS_SETPOLICY_NESTEDIPSET);
  assert_string_equal(set->values, "a,b");
  const hns_acl_policy *nacl = hns_policy_find(&net->policies, "NetworkACL")->settings;
  assert_int_equal(nacl->action, HNS_ACTION_BLOCK);
  const hns_subnet_doc *sub = HNS_VEC_AT(HNS_VEC_AT(net->ipams, hns_ipam_doc, 0)->subnets, hns_subnet_doc, 0);
  assert_int_equal(((const hns_u32_policy *)hns_policy_find(&sub->policies, "VLAN")->settings)->value, 100);
  doc_release(&hns_network_schema, net);

  /* The scope lookup itself. */
  assert_non_null(hns_policy_type_find(&hns_endpoint_policies, "l4wfpproxy"));
  assert_null(hns_policy_type_find(&hns_endpoint_policies, "HostRoute"));
  assert_non_null(hns_policy_type_find(&hns_network_policies, "HOSTROUTE"));
  assert_null(hns_policy_type_find(&hns_subnet_policies, "ACL"));
}

/* ---- small public helpers ---------------------------------------------------------- */

static void helpers(void **state) {
  (void)state;
  int v = -1;
  assert_int_equal(hns_enum_lookup(hns_request_types, "refresh", &v), 0);
  assert_int_equal(v, 3);
  assert_int_equal(hns_enum_lookup(hns_request_types, "Delete", &v), -1);
  assert_int_equal(v, 3);
  assert_null(hns_enum_name(hns_request_types, 99));
  assert_string_equal(hns_enum_name(hns_ipam_types, 0), "Static");

  hns_perr err;
  hns_perr_set(&err, HNS_PERR_VALUE, "A.B", "bad %d", 7);
  assert_int_equal(err.code, HNS_PERR_VALUE);
  assert_string_equal(err.path, "A.B");
  assert_string_equal(err.msg, "bad 7");
  hns_perr_set(NULL, HNS_PERR_VALUE, "x", "y");

  hns_strv sv = {0};
  assert_int_equal(hns_strv_push(&sv, "a"), 0);
  assert_int_equal(hns_strv_push(&sv, "b"), 0);
  assert_int_equal(sv.n, 2);
  assert_string_equal(sv.v[1], "b");
  hns_strv_free(&sv);
  assert_null(sv.v);
  assert_int_equal(sv.n, 0);
  assert_null(hns_strdup(NULL));
  char *d = hns_strdup("xyz");
  assert_string_equal(d, "xyz");
  free(d);
}

int main(int argc, char **argv) {
  if (argc > 1) corpus_dir = argv[1];
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(corpus_is_complete),
      cmocka_unit_test(corpus_parses_and_round_trips),
      cmocka_unit_test(corpus_exact_output),
      cmocka_unit_test(corpus_typed_values),
      cmocka_unit_test(corpus_readonly_namespace),
      cmocka_unit_test(lb_modify_sample),
      cmocka_unit_test(unknown_keys_kept),
      cmocka_unit_test(network_type),
      cmocka_unit_test(keys_any_case_and_aliases),
      cmocka_unit_test(zero_values),
      cmocka_unit_test(absent_schema_version_not_invented),
      cmocka_unit_test(settings_of_untyped_policy_kept),
      cmocka_unit_test(refusals),
      cmocka_unit_test(refusal_message_bounded),
      cmocka_unit_test(u64_out_of_range_refused),
      cmocka_unit_test(u64_written_exactly),
      cmocka_unit_test(macs_and_guids),
      cmocka_unit_test(copy_and_free),
      cmocka_unit_test(typed_policies),
      cmocka_unit_test(helpers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
