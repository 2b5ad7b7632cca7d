/* test_hns_network_modify.c: HcnModifyNetwork's requests through the UTF-8
 * API, as a caller sees them: DNS, Subnet and IPSubnet requests change the
 * network's document; Extension requests are checked against the switch's
 * extensions; every refusal has its HRESULT and leaves the network as it
 * was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_profile.h"

#define L2BRIDGE                                                                                                        \
  "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/24\",\"Routes\":" \
  "[{\"NextHop\":\"10.244.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"

typedef struct fixture {
  hns_service *svc;
  hns_handle *net;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  hns_service_config cfg = {hns_profile_find("ws2022"), "node1", 3};
  assert_int_equal(hns_service_create(&cfg, &f->svc), HNS_S_OK);
  assert_int_equal(hns_create(f->svc, HNS_NETWORK, NULL, NULL, L2BRIDGE, &f->net, NULL), HNS_S_OK);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  hns_close(f->net);
  hns_service_destroy(f->svc);
  free(f);
  return 0;
}

static char *props(hns_handle *h) {
  char *p = NULL;
  assert_int_equal(hns_query_properties(h, NULL, &p, NULL), HNS_S_OK);
  return p;
}

static void modify_ok(fixture *f, const char *request) {
  char *er = (char *)1;
  hns_hr hr = hns_modify(f->net, request, &er);
  if (hr != HNS_S_OK) fail_msg("modify failed 0x%08X: %s", (unsigned)hr, hns_service_last_detail(f->svc));
  assert_null(er);
}

/* A refused request: its HRESULT, an ErrorRecord, the detail, and the
 * network's document unchanged. */
static void modify_refused(fixture *f, const char *request, hns_hr want, const char *detail_part) {
  char *before = props(f->net), *er = NULL;
  assert_int_equal(hns_modify(f->net, request, &er), want);
  assert_non_null(er);
  free(er);
  if (!strstr(hns_service_last_detail(f->svc), detail_part))
    fail_msg("detail '%s' lacks '%s'", hns_service_last_detail(f->svc), detail_part);
  char *after = props(f->net);
  assert_string_equal(before, after);
  free(before);
  free(after);
}

/* The network's subnets as "prefix[ip subnets...]" joined by ';'. */
static void subnets_are(fixture *f, const char *want) {
  char *p = props(f->net), got[512] = "";
  cJSON *doc = cJSON_Parse(p);
  const cJSON *subnets = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "Ipams"), 0), "Subnets"), *s;
  cJSON_ArrayForEach(s, subnets) {
    if (*got) strcat(got, ";");
    strcat(got, cJSON_GetObjectItem(s, "IpAddressPrefix")->valuestring);
    assert_non_null(cJSON_GetObjectItem(s, "ID")); /* HNS names every subnet */
    const cJSON *ips;
    cJSON_ArrayForEach(ips, cJSON_GetObjectItem(s, "IpSubnets")) {
      strcat(got, "[");
      strcat(got, cJSON_GetObjectItem(ips, "IpAddressPrefix")->valuestring);
      strcat(got, "]");
    }
  }
  assert_string_equal(got, want);
  cJSON_Delete(doc);
  free(p);
}

static char *first_subnet_id(fixture *f) {
  char *p = props(f->net);
  cJSON *doc = cJSON_Parse(p);
  const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "Ipams"), 0), "Subnets"), 0);
  char *id = strdup(cJSON_GetObjectItem(s, "ID")->valuestring);
  cJSON_Delete(doc);
  free(p);
  return id;
}

static void dns_add_update_remove(void **state) {
  fixture *f = *state;
  modify_ok(f, "{\"ResourceType\":\"DNS\",\"RequestType\":\"Update\",\"Settings\":{\"Domain\":\"svc.local\",\"ServerList\":[\"10.96.0.10\"]}}");
  char *p = props(f->net);
  assert_non_null(strstr(p, "\"Dns\":{\"Domain\":\"svc.local\",\"ServerList\":[\"10.96.0.10\"]}"));
  free(p);
  modify_ok(f, "{\"ResourceType\":0,\"RequestType\":1}");
  p = props(f->net);
  assert_null(strstr(p, "svc.local"));
  free(p);
  modify_refused(f, "{\"ResourceType\":\"DNS\",\"RequestType\":\"Refresh\",\"Settings\":{}}", HCN_E_REQUEST_UNSUPPORTED, "Refresh");
}

static void subnets_add_and_remove(void **state) {
  fixture *f = *state;
  modify_ok(f, "{\"ResourceType\":\"Subnet\",\"RequestType\":\"Add\",\"Settings\":{\"Subnets\":[{\"IpAddressPrefix\":"
               "\"10.244.2.0/24\",\"Routes\":[{\"NextHop\":\"10.244.2.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}}");
  subnets_are(f, "10.244.1.0/24;10.244.2.0/24");
  /* An endpoint with an address in the new subnet keeps it from going. */
  hns_handle *ep = NULL;
  assert_int_equal(hns_create(f->svc, HNS_ENDPOINT, f->net, NULL, "{\"IpConfigurations\":[{\"IpAddress\":\"10.244.2.7\"}]}", &ep, NULL),
                   HNS_S_OK);
  const char *remove2 = "{\"ResourceType\":\"Subnet\",\"RequestType\":\"Remove\",\"Settings\":{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.2.0/24\"}]}}";
  modify_refused(f, remove2, HCN_E_ENTITY_HAS_REFERENCES, "10.244.2.7");
  hns_close(ep);
  char *er = NULL, *ids = NULL;
  assert_int_equal(hns_enumerate(f->svc, HNS_ENDPOINT, NULL, &ids, NULL), HNS_S_OK);
  cJSON *list = cJSON_Parse(ids);
  hns_guid id;
  assert_int_equal(hns_guid_parse(cJSON_GetArrayItem(list, 0)->valuestring, &id), 0);
  assert_int_equal(hns_delete(f->svc, HNS_ENDPOINT, &id, &er), HNS_S_OK);
  cJSON_Delete(list);
  free(ids);
  modify_ok(f, remove2);
  subnets_are(f, "10.244.1.0/24");
  modify_refused(f, remove2, HCN_E_SUBNET_NOT_FOUND, "10.244.2.0/24");
  modify_refused(f, "{\"ResourceType\":\"Subnet\",\"RequestType\":\"Update\",\"Settings\":{\"Subnets\":[]}}", HCN_E_REQUEST_UNSUPPORTED,
                 "Update");
}

static void ip_subnets_add_and_remove(void **state) {
  fixture *f = *state;
  char *sid = first_subnet_id(f), req[512];
  snprintf(req, sizeof req,
           "{\"ResourceType\":\"IPSubnet\",\"RequestType\":\"Add\",\"Settings\":{\"SubnetId\":\"%s\",\"IpSubnets\":"
           "[{\"IpAddressPrefix\":\"10.244.1.128/25\"}]}}", sid);
  modify_ok(f, req);
  subnets_are(f, "10.244.1.0/24[10.244.1.128/25]");
  snprintf(req, sizeof req,
           "{\"ResourceType\":4,\"RequestType\":0,\"Settings\":{\"SubnetId\":\"%s\",\"IpSubnets\":[{\"IpAddressPrefix\":\"10.9.0.0/25\"}]}}", sid);
  modify_refused(f, req, HCN_E_INVALID_PREFIX, "10.9.0.0/25");
  modify_refused(f, "{\"ResourceType\":\"IPSubnet\",\"RequestType\":\"Add\",\"Settings\":{\"SubnetId\":"
                    "\"11111111-2222-3333-4444-555555555555\",\"IpSubnets\":[]}}", HCN_E_SUBNET_NOT_FOUND, "11111111");
  snprintf(req, sizeof req,
           "{\"ResourceType\":\"IPSubnet\",\"RequestType\":\"Remove\",\"Settings\":{\"SubnetId\":\"%s\",\"IpSubnets\":"
           "[{\"IpAddressPrefix\":\"10.244.1.128/25\"}]}}", sid);
  modify_ok(f, req);
  subnets_are(f, "10.244.1.0/24");
  modify_refused(f, req, HCN_E_SUBNET_NOT_FOUND, "no such IP subnet");
  free(sid);
}

/* The switch's extensions as the v1 view lists them: "name=0|1,...". */
static void extensions_are(fixture *f, const char *want) {
  char *p = NULL, got[256] = "";
  assert_int_equal(hns_query_properties(f->net, "{\"SchemaVersion\":{\"Major\":1,\"Minor\":0}}", &p, NULL), HNS_S_OK);
  cJSON *doc = cJSON_Parse(p);
  const cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "Extensions")) {
    if (*got) strcat(got, ",");
    strcat(got, cJSON_GetObjectItem(e, "Name")->valuestring);
    strcat(got, cJSON_IsTrue(cJSON_GetObjectItem(e, "IsEnabled")) ? "=1" : "=0");
  }
  assert_string_equal(got, want);
  cJSON_Delete(doc);
  free(p);
}

static void extensions(void **state) {
  fixture *f = *state;
  /* An L2Bridge switch runs WFP and VFP; NDIS capture is off. */
  extensions_are(f, "Microsoft Windows Filtering Platform=1,Microsoft Azure VFP Switch Extension=1,Microsoft NDIS Capture=0");
  /* NDIS capture, under either ID seen for it; then off again. */
  modify_ok(f, "{\"ResourceType\":\"Extension\",\"RequestType\":\"Update\",\"Settings\":{\"Id\":\"430bdadd-bab0-41ab-a369-94b67fa5be0a\",\"IsEnabled\":true}}");
  extensions_are(f, "Microsoft Windows Filtering Platform=1,Microsoft Azure VFP Switch Extension=1,Microsoft NDIS Capture=1");
  modify_ok(f, "{\"ResourceType\":1,\"RequestType\":2,\"Settings\":{\"Id\":\"EA24CD6C-D17A-4348-9190-09F0D5BE83DD\",\"IsEnabled\":false}}");
  extensions_are(f, "Microsoft Windows Filtering Platform=1,Microsoft Azure VFP Switch Extension=1,Microsoft NDIS Capture=0");
  modify_refused(f, "{\"ResourceType\":\"Extension\",\"RequestType\":\"Update\",\"Settings\":{\"Id\":\"00000000-0000-0000-0000-0000000000ab\",\"IsEnabled\":true}}",
                 HCN_E_SWITCH_EXTENSION_NOT_FOUND, "0000000000ab");
  modify_refused(f, "{\"ResourceType\":\"Extension\",\"RequestType\":\"Remove\",\"Settings\":{}}", HCN_E_REQUEST_UNSUPPORTED, "Remove");
  modify_refused(f, "{\"ResourceType\":\"Extension\",\"RequestType\":\"Update\"}", HNS_E_INVALIDARG, "Settings");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(dns_add_update_remove, setup, teardown),
      cmocka_unit_test_setup_teardown(subnets_add_and_remove, setup, teardown),
      cmocka_unit_test_setup_teardown(ip_subnets_add_and_remove, setup, teardown),
      cmocka_unit_test_setup_teardown(extensions, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
