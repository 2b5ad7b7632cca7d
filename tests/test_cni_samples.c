/* test_cni_samples.c: the real CNI configurations of tests/corpus/cni-samples
 * (provenance in its SOURCES.md) as the plugins hand them to HNS.
 *
 * A plugin copies each "EndpointPolicy" entry's value of its netconf (under
 * "policies", or "AdditionalArgs" for sdnbridge and wincni) into the endpoint
 * it creates, and the netconf's dns into the endpoint's Dns; with netconf
 * apiVersion 2 and sdnbridge the values are HCN v2 policies
 * ({Type, Settings}) given to HcnCreateEndpoint (containernetworking/plugins
 * pkg/hns/netconf.go GetHostComputeEndpointPolicies; microsoft/
 * windows-container-networking cni/network.go). This test does exactly that
 * on a network of the plugin's type and checks that HNS accepts the endpoint
 * and writes every policy back as it was given, on each profile where the
 * sample's features exist.
 *
 * The other three samples carry HNS v1 policies ({Type, ExceptionList},
 * ROUTE); those go through HNSCall and are checked in test_hns_v1.c. This
 * test checks that the split is what the files say: two v2 samples, three v1
 * ones, every EndpointPolicy of every file accounted for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_test_calls.h"
#include "hns_profile.h"

#ifndef HNSIM_CNI_SAMPLES_DIR
#define HNSIM_CNI_SAMPLES_DIR "tests/corpus/cni-samples"
#endif

static char *slurp(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", HNSIM_CNI_SAMPLES_DIR, name);
  FILE *f = fopen(path, "rb");
  if (!f) fail_msg("cannot open %s", path);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long len = ftell(f);
  assert_true(len > 0);
  rewind(f);
  char *buf = malloc((size_t)len + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
  buf[len] = '\0';
  fclose(f);
  return buf;
}

/* A member by name in any case, as Go's encoding/json matches netconf keys. */
static cJSON *member(const cJSON *obj, const char *key) {
  for (cJSON *m = obj ? obj->child : NULL; m; m = m->next)
    if (m->string && !strcasecmp(m->string, key)) return m;
  return NULL;
}

/* The netconf the Windows plugin reads: flannel's "delegate", or the file. */
static const cJSON *plugin_conf(const cJSON *file) {
  const cJSON *d = member(file, "delegate");
  return d ? d : file;
}

/* A new array of the values of the EndpointPolicy entries. */
static cJSON *endpoint_policies(const cJSON *conf) {
  cJSON *out = cJSON_CreateArray();
  const cJSON *list = member(conf, "policies");
  if (!list) list = member(conf, "AdditionalArgs");
  const cJSON *entry;
  cJSON_ArrayForEach(entry, list) {
    const cJSON *name = member(entry, "name");
    if (cJSON_IsString(name) && !strcasecmp(name->valuestring, "EndpointPolicy"))
      cJSON_AddItemToArray(out, cJSON_Duplicate(member(entry, "value"), 1));
  }
  return out;
}

/* 1 if every policy has the v2 shape {Type, Settings}. */
static int all_v2(const cJSON *policies) {
  const cJSON *p;
  cJSON_ArrayForEach(p, policies) if (!cJSON_IsObject(member(p, "Settings"))) return 0;
  return cJSON_GetArraySize(policies) > 0;
}

typedef struct sample {
  const char *file;
  int v2;           /* 1: HCN v2 policies; 0: HNS v1 ones */
  int policies;     /* EndpointPolicy entries in the file */
  const char *network; /* the network the plugin works on, for v2 samples */
  const char *ips[2];  /* the addresses its IPAM gives the pod */
  const char *profiles[3];
} sample;

/* win-bridge with flannel host-gw: the node's pod subnet on an L2Bridge
 * network called as the netconf; sdnbridge dual-stack: both ranges, with
 * the netconf's gateways, and an address from each rangeStart. */
#define CBR0                                                                                                          \
  "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/24\","      \
  "\"Routes\":[{\"NextHop\":\"10.244.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"
#define WINL2BRIDGE                                                                                                   \
  "{\"Name\":\"winl2bridge\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"192.168.1.0/24\"," \
  "\"Routes\":[{\"NextHop\":\"192.168.1.2\",\"DestinationPrefix\":\"0.0.0.0/0\"}]},{\"IpAddressPrefix\":"            \
  "\"fd00::100/120\",\"Routes\":[{\"NextHop\":\"fd00::101\",\"DestinationPrefix\":\"::/0\"}]}]}]}"

static const sample samples[] = {
    {"cniplugins_win-bridge_sample-v2.conf", 1, 3, CBR0, {"10.244.1.10", NULL}, {"ws2019", "ws2022", "ws2025"}},
    {"wcn_sdnbridge_dualstack_host-local.conf", 1, 4, WINL2BRIDGE, {"192.168.1.10", "fd00::102"}, {"ws2022", "ws2025", NULL}},
    {"sdn_flannel_l2bridge_cni.conf", 0, 3, NULL, {NULL, NULL}, {NULL, NULL, NULL}},
    {"sdn_flannel_overlay_cni.conf", 0, 2, NULL, {NULL, NULL}, {NULL, NULL, NULL}},
    {"sdn_wincni_l2bridge.conf", 0, 3, NULL, {NULL, NULL}, {NULL, NULL, NULL}},
};

static cJSON *load(const sample *s) {
  char *text = slurp(s->file);
  cJSON *file = cJSON_Parse(text);
  free(text);
  if (!file) fail_msg("%s is not JSON", s->file);
  return file;
}

/* The endpoint document the plugin sends: its policies, its DNS, its IPs. */
static char *endpoint_json(const sample *s, const cJSON *conf, const char *name) {
  cJSON *ep = cJSON_CreateObject();
  cJSON_AddStringToObject(ep, "Name", name);
  cJSON *ipcs = cJSON_AddArrayToObject(ep, "IpConfigurations");
  for (int i = 0; i < 2 && s->ips[i]; i++) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "IpAddress", s->ips[i]);
    cJSON_AddItemToArray(ipcs, c);
  }
  const cJSON *dns = member(conf, "dns");
  cJSON *d = cJSON_AddObjectToObject(ep, "Dns");
  cJSON_AddItemToObject(d, "ServerList", cJSON_Duplicate(member(dns, "nameservers"), 1));
  cJSON_AddItemToObject(d, "Search", cJSON_Duplicate(member(dns, "search"), 1));
  cJSON_AddItemToObject(ep, "Policies", endpoint_policies(conf));
  cJSON *schema = cJSON_AddObjectToObject(ep, "SchemaVersion");
  cJSON_AddNumberToObject(schema, "Major", 2);
  cJSON_AddNumberToObject(schema, "Minor", 0);
  char *text = cJSON_PrintUnformatted(ep);
  cJSON_Delete(ep);
  assert_non_null(text);
  return text;
}

/* Creates the sample's endpoint on `profile` and checks what HNS writes
 * back: the policies and DNS as given, the addresses asked for. Then feeds
 * the output's policies to a second endpoint and checks they come back the
 * same again. */
static void apply_v2_sample(const sample *s, const char *profile) {
  cJSON *file = load(s);
  const cJSON *conf = plugin_conf(file);
  hns_service_config cfg = {hns_profile_find(profile), "node1", 7};
  assert_non_null(cfg.profile);
  hns_service *svc;
  assert_int_equal(hns_service_create(&cfg, &svc), HNS_S_OK);
  hns_handle *net = create(svc, HNS_NETWORK, NULL, s->network);
  char *json = endpoint_json(s, conf, "pod1_eth0");
  hns_handle *ep = create(svc, HNS_ENDPOINT, net, json);
  free(json);
  cJSON *out = query(ep);

  cJSON *given = endpoint_policies(conf);
  const cJSON *written = cJSON_GetObjectItemCaseSensitive(out, "Policies");
  if (!cJSON_Compare(given, written, 1)) {
    char *a = cJSON_PrintUnformatted(given), *b = cJSON_PrintUnformatted(written);
    print_error("%s on %s\n given:   %s\n written: %s\n", s->file, profile, a, b);
    free(a);
    free(b);
    fail();
  }
  const cJSON *dns = cJSON_GetObjectItemCaseSensitive(out, "Dns");
  assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(dns, "ServerList"),
                            member(member(conf, "dns"), "nameservers"), 1));
  const cJSON *ipcs = cJSON_GetObjectItemCaseSensitive(out, "IpConfigurations");
  for (int i = 0; i < 2 && s->ips[i]; i++)
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ipcs, i), "IpAddress")->valuestring, s->ips[i]);

  /* Round trip: the written policies, sent again, are written the same. */
  cJSON *again = cJSON_CreateObject();
  cJSON_AddStringToObject(again, "Name", "pod2_eth0");
  cJSON_AddItemToObject(again, "Policies", cJSON_Duplicate(written, 1));
  char *text = cJSON_PrintUnformatted(again);
  hns_handle *ep2 = create(svc, HNS_ENDPOINT, net, text);
  cJSON *out2 = query(ep2);
  assert_true(cJSON_Compare(written, cJSON_GetObjectItemCaseSensitive(out2, "Policies"), 1));

  free(text);
  cJSON_Delete(again);
  cJSON_Delete(out2);
  cJSON_Delete(given);
  cJSON_Delete(out);
  cJSON_Delete(file);
  hns_close(ep2);
  hns_close(ep);
  hns_close(net);
  hns_service_destroy(svc);
}

static void every_sample_is_classified(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
    cJSON *file = load(&samples[i]);
    cJSON *policies = endpoint_policies(plugin_conf(file));
    assert_int_equal(cJSON_GetArraySize(policies), samples[i].policies);
    assert_int_equal(all_v2(policies), samples[i].v2);
    cJSON_Delete(policies);
    cJSON_Delete(file);
  }
}

static void v2_samples_are_accepted_and_round_trip(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
    for (int p = 0; samples[i].v2 && p < 3 && samples[i].profiles[p]; p++) apply_v2_sample(&samples[i], samples[i].profiles[p]);
}

/* The dual-stack sample needs IPv6 on L2Bridge, which HNS has from WS2022
 * (facts §6): on ws2019 the network's IPv6 subnet is refused, with an
 * ErrorRecord, and nothing is created. */
static void dual_stack_sample_needs_ws2022(void **state) {
  (void)state;
  hns_service_config cfg = {hns_profile_find("ws2019"), "node1", 7};
  hns_service *svc;
  assert_int_equal(hns_service_create(&cfg, &svc), HNS_S_OK);
  hns_handle *net = (hns_handle *)1;
  char *er = NULL, *ids = NULL;
  assert_int_equal(hns_create(svc, HNS_NETWORK, NULL, NULL, samples[1].network, &net, &er), HNS_E_INVALIDARG);
  assert_null(net);
  assert_non_null(er);
  assert_non_null(strstr(hns_service_last_detail(svc), "fd00::100/120"));
  assert_int_equal(hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL), HNS_S_OK);
  assert_string_equal(ids, "[]");
  free(ids);
  free(er);
  hns_service_destroy(svc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_sample_is_classified),
      cmocka_unit_test(v2_samples_are_accepted_and_round_trip),
      cmocka_unit_test(dual_stack_sample_needs_ws2022),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
