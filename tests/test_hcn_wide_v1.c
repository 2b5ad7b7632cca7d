/* test_hcn_wide_v1.c: HNSCall with its Windows signature (vmcompute.h,
 * hnsmock/hcn_wide_v1.c), written as a Windows C program calls it: wide
 * strings in, a CoTaskMemAlloc'd UTF-16 envelope out, freed with
 * CoTaskMemFree, the HRESULT checked with SUCCEEDED/FAILED. hnsim's own
 * parts: HNSIM_W literals and the fixture that binds a simulated HNS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vmcompute.h>

#include "hcn_utf16.h"
#include "hns_api.h"
#include "hns_profile.h"
#include "hnsim_hcn.h"

static int BindService(void **state) {
  hns_service_config cfg = {hns_profile_find("ws2022"), "node1", 3};
  hns_service *svc;
  if (hns_service_create(&cfg, &svc) != HNS_S_OK) return -1;
  hnsim_hcn_bind(svc);
  *state = svc;
  return 0;
}

static int UnbindService(void **state) {
  hnsim_hcn_bind(NULL);
  hns_service_destroy(*state);
  return 0;
}

/* The response as UTF-8, the wide buffer freed as a Windows caller must. */
static char *Narrow(PWSTR response) {
  char *text = NULL;
  assert_non_null(response);
  assert_int_equal(hcn_utf16_to_utf8(response, &text), HNS_S_OK);
  CoTaskMemFree(response);
  return text;
}

static void test_create_and_list(void **state) {
  (void)state;
  PWSTR response = NULL;
  HRESULT hr = HNSCall(HNSIM_W("POST"), HNSIM_W("/networks/"),
                       HNSIM_W("{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\","
                               "\"GatewayAddress\":\"172.20.0.1\"}]}"),
                       &response);
  assert_true(SUCCEEDED(hr));
  char *text = Narrow(response);
  assert_memory_equal(text, "{\"Success\":true,\"Output\":{\"ID\":\"", 32);
  assert_non_null(strstr(text, "\"Type\":\"nat\""));
  free(text);
  /* A NULL request is no body, as psm1's "" for GET. */
  hr = HNSCall(HNSIM_W("GET"), HNSIM_W("/networks"), NULL, &response);
  assert_int_equal(hr, S_OK);
  text = Narrow(response);
  assert_non_null(strstr(text, "\"Name\":\"nat\""));
  free(text);
  /* The network HNSCall made is the one HcnEnumerateNetworks lists. */
  PWSTR ids = NULL;
  assert_int_equal(HcnEnumerateNetworks(NULL, &ids, NULL), S_OK);
  char *ids8 = Narrow(ids);
  assert_int_equal(strlen(ids8), 40); /* ["<36-char GUID>"] */
  free(ids8);
}

static void test_failure_envelope(void **state) {
  (void)state;
  PWSTR response = NULL;
  HRESULT hr = HNSCall(HNSIM_W("GET"), HNSIM_W("/endpoints/00000000-0000-0000-0000-000000000001"), HNSIM_W(""), &response);
  assert_int_equal(hr, (HRESULT)0x80070490);
  char *text = Narrow(response);
  assert_string_equal(text, "{\"Success\":false,\"Error\":\"Element not found. \",\"ErrorCode\":2147943568}");
  free(text);
}

static void test_globals_version(void **state) {
  (void)state;
  PWSTR response = NULL;
  assert_int_equal(HNSCall(HNSIM_W("GET"), HNSIM_W("/globals/version"), NULL, &response), S_OK);
  char *text = Narrow(response);
  assert_string_equal(text, "{\"Success\":true,\"Output\":{\"Major\":13,\"Minor\":3}}");
  free(text);
}

static void test_argument_refusals(void **state) {
  (void)state;
  PWSTR response = (PWSTR)1;
  assert_int_equal(HNSCall(HNSIM_W("GET"), HNSIM_W("/networks"), NULL, NULL), E_POINTER);
  assert_int_equal(HNSCall(NULL, HNSIM_W("/networks"), NULL, &response), E_INVALIDARG);
  char *text = Narrow(response);
  assert_non_null(strstr(text, "\"ErrorCode\":2147942487"));
  free(text);
  static const WCHAR lone_surrogate[] = {'/', 0xD800, 0};
  assert_int_equal(HNSCall(HNSIM_W("GET"), lone_surrogate, NULL, &response), E_INVALIDARG);
  CoTaskMemFree(response);
  /* No HNS bound: the service is not there. */
  struct hns_service *svc = hnsim_hcn_bound();
  hnsim_hcn_bind(NULL);
  assert_int_equal(HNSCall(HNSIM_W("GET"), HNSIM_W("/networks"), NULL, &response), HCN_E_MANAGER_STOPPED);
  text = Narrow(response);
  assert_non_null(strstr(text, "\"Success\":false"));
  free(text);
  hnsim_hcn_bind(svc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_and_list, BindService, UnbindService),
      cmocka_unit_test_setup_teardown(test_failure_envelope, BindService, UnbindService),
      cmocka_unit_test_setup_teardown(test_globals_version, BindService, UnbindService),
      cmocka_unit_test_setup_teardown(test_argument_refusals, BindService, UnbindService),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
