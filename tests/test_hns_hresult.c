/* test_hns_hresult.c: HRESULT names and messages (the texts seen in real HNS
 * output must match byte for byte), the ErrorRecord JSON against the one real
 * sample, and what happens with codes we do not know. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hns_hresult.h"

static void values_are_the_windows_ones(void **state) {
  (void)state;
  assert_int_equal((uint32_t)HCN_E_NETWORK_NOT_FOUND, 0x803B0001u);
  /* Not 0x803B0004, as one third-party binding claims (hns-api-facts §1.4). */
  assert_int_equal((uint32_t)HCN_E_ENDPOINT_NOT_FOUND, 0x803B0002u);
  assert_int_equal((uint32_t)HCN_E_PORT_ALREADY_EXISTS, 0x803B0013u);
  assert_int_equal((uint32_t)HCN_E_ADDR_INVALID_OR_RESERVED, 0x803B002Fu);
  assert_int_equal((uint32_t)HCN_INTERFACEPARAMETERS_ALREADY_APPLIED, 0x803B0036u);
  assert_int_equal((uint32_t)HCN_E_VFP_NOT_ALLOWED, 0x803B0037u);
  assert_int_equal((uint32_t)HNS_E_INVALIDARG, 2147942487u);
  assert_int_equal((uint32_t)HNS_E_ELEMENT_NOT_FOUND, 0x80070490u);
  assert_true(HNS_FAILED(HCN_E_NETWORK_NOT_FOUND));
  assert_true(HNS_SUCCEEDED(HNS_S_OK));
}

static void names(void **state) {
  (void)state;
  assert_string_equal(hns_hr_name(HCN_E_NETWORK_NOT_FOUND), "HCN_E_NETWORK_NOT_FOUND");
  assert_string_equal(hns_hr_name(GCN_E_DEFAULTNAMESPACE_EXISTS), "GCN_E_DEFAULTNAMESPACE_EXISTS");
  assert_string_equal(hns_hr_name(HCN_INTERFACEPARAMETERS_ALREADY_APPLIED),
                      "HCN_INTERFACEPARAMETERS_ALREADY_APPLIED");
  assert_string_equal(hns_hr_name(HNS_E_INVALIDARG), "E_INVALIDARG");
  assert_string_equal(hns_hr_name(HNS_E_ELEMENT_NOT_FOUND), "ERROR_NOT_FOUND");
  assert_string_equal(hns_hr_name(HNS_E_ALREADY_EXISTS), "ERROR_ALREADY_EXISTS");
  assert_string_equal(hns_hr_name(HNS_E_NOTIMPL), "E_NOTIMPL");
  assert_string_equal(hns_hr_name(HNS_S_OK), "S_OK");
  assert_null(hns_hr_name((hns_hr)0x803B00FF));
  assert_null(hns_hr_message((hns_hr)0x803B00FF));
  assert_null(hns_hr_text((hns_hr)0x803B00FF));
}

/* The texts of consumers-and-pain-points.md Appendix A and hns-api-facts
 * §2.2, each as the real output shows it. */
static void messages_seen_in_real_output(void **state) {
  (void)state;
  assert_string_equal(hns_hr_text(HCN_E_PORT_ALREADY_EXISTS), "The specified port already exists.");
  assert_string_equal(hns_hr_text(HCN_E_ADDR_INVALID_OR_RESERVED),
                      "An address provided is invalid or reserved.");
  assert_string_equal(hns_hr_text(HCN_E_INVALID_POLICY),
                      "The provided policy configuration is invalid or missing parameters.");
  assert_string_equal(hns_hr_text(HCN_E_ADAPTER_NOT_FOUND), "An adapter was not found.");
  assert_string_equal(hns_hr_text(HCN_E_PORT_NOT_FOUND), "The switch-port was not found.");
  assert_string_equal(hns_hr_text(HCN_E_REQUEST_UNSUPPORTED), "The specified request is unsupported.");
  assert_string_equal(hns_hr_text(HCN_E_NAMESPACE_ATTACH_FAILED),
                      "The requested operation for attach namespace failed.");
  assert_string_equal(hns_hr_text(HNS_E_ELEMENT_NOT_FOUND), "Element not found.");
  assert_string_equal(hns_hr_text(HNS_E_ALREADY_EXISTS),
                      "Cannot create a file when that file already exists.");
  assert_string_equal(hns_hr_text(HNS_E_INVALIDARG), "The parameter is incorrect.");
  /* Appendix A quotes the start of ERROR_OUTOFMEMORY (0xe). */
  const char *oom = hns_hr_text(HNS_E_OUTOFMEMORY);
  assert_non_null(oom);
  assert_true(strncmp(oom, "Not enough memory resources are available", 41) == 0);
}

/* sig-windows-tools#291: "@{Error=An adapter was not found. ; ErrorCode=2151350278}";
 * sig-windows-tools#71: "Error":"An address provided is invalid or reserved. ". */
static void record_messages_end_with_one_space(void **state) {
  (void)state;
  assert_string_equal(hns_hr_message(HCN_E_ADAPTER_NOT_FOUND), "An adapter was not found. ");
  assert_string_equal(hns_hr_message(HNS_E_INVALIDARG), "The parameter is incorrect. ");
  for (size_t i = 0; i < hns_hr_known_count(); i++) {
    hns_hr hr = hns_hr_known_at(i);
    const char *m = hns_hr_message(hr), *t = hns_hr_text(hr);
    assert_non_null(m);
    assert_non_null(t);
    assert_non_null(hns_hr_name(hr));
    size_t n = strlen(m);
    assert_true(n >= 2);
    assert_int_equal(m[n - 1], ' ');
    assert_true(m[n - 2] != ' ');
    assert_int_equal(strlen(t), n - 1);
    assert_true(strncmp(m, t, n - 1) == 0);
  }
}

static void known_codes_ascend_and_are_distinct(void **state) {
  (void)state;
  /* 0x01..0x37 of facility 0x3B plus S_OK and the 14 Win32/COM codes. */
  assert_int_equal(hns_hr_known_count(), 55 + 1 + 14);
  for (size_t i = 1; i < hns_hr_known_count(); i++)
    assert_true((uint32_t)hns_hr_known_at(i - 1) < (uint32_t)hns_hr_known_at(i));
  for (uint32_t c = 0x803B0001u; c <= 0x803B0037u; c++) assert_non_null(hns_hr_name((hns_hr)c));
  assert_int_equal(hns_hr_known_at(hns_hr_known_count()), HNS_S_OK);
}

/* Byte-identical to the real sample (hns-api-facts §1.1, sig-windows-tools#249). */
static void error_record_matches_real_sample(void **state) {
  (void)state;
  char *r = hns_error_record(HNS_E_INVALIDARG);
  assert_non_null(r);
  assert_string_equal(r, "{\"Success\":false,\"Error\":\"The parameter is incorrect. \",\"ErrorCode\":2147942487}");
  free(r);
  r = hns_error_record(HCN_E_ADDR_INVALID_OR_RESERVED);
  assert_string_equal(r, "{\"Success\":false,\"Error\":\"An address provided is invalid or reserved. \","
                         "\"ErrorCode\":2151350319}");
  free(r);
}

static void error_record_detail_is_appended_and_escaped(void **state) {
  (void)state;
  char *r = hns_error_record_detail(HCN_E_INVALID_JSON, "{{CreateWithCompartment,UnknownField}}");
  assert_string_equal(r, "{\"Success\":false,\"Error\":\"Invalid JSON document string. "
                         "{{CreateWithCompartment,UnknownField}}\",\"ErrorCode\":2151350299}");
  free(r);
  r = hns_error_record_detail(HCN_E_INVALID_JSON, "a\"b\\c\nd\x01");
  assert_string_equal(r, "{\"Success\":false,\"Error\":\"Invalid JSON document string. "
                         "a\\\"b\\\\c\\nd\\u0001\",\"ErrorCode\":2151350299}");
  free(r);
  char *a = hns_error_record_detail(HNS_E_INVALIDARG, "");
  char *b = hns_error_record(HNS_E_INVALIDARG);
  assert_string_equal(a, b);
  free(a);
  free(b);
}

static void unknown_code_is_described(void **state) {
  (void)state;
  char buf[64];
  hns_hr_describe((hns_hr)0x803B00FF, buf, sizeof buf);
  assert_string_equal(buf, "Unknown error 0x803B00FF");
  hns_hr_describe(HCN_E_NETWORK_NOT_FOUND, buf, sizeof buf);
  assert_string_equal(buf, "The network was not found. ");
  /* Truncated but terminated. */
  char small[8];
  memset(small, 'x', sizeof small);
  hns_hr_describe((hns_hr)0x803B00FF, small, sizeof small);
  assert_string_equal(small, "Unknown");
  hns_hr_describe(HNS_E_INVALIDARG, NULL, 0); /* does nothing */
  char *r = hns_error_record((hns_hr)0x803B00FF);
  assert_string_equal(r, "{\"Success\":false,\"Error\":\"Unknown error 0x803B00FF\",\"ErrorCode\":2151350527}");
  free(r);
}

static void win32_conversions(void **state) {
  (void)state;
  assert_int_equal(hns_hr_from_win32(0x57), HNS_E_INVALIDARG);
  assert_int_equal(hns_hr_from_win32(1168), HNS_E_ELEMENT_NOT_FOUND);
  assert_int_equal(hns_hr_from_win32(183), HNS_E_ALREADY_EXISTS);
  assert_int_equal(hns_hr_from_win32(0), HNS_S_OK);
  assert_int_equal(hns_hr_from_win32(0x803B0013u), HCN_E_PORT_ALREADY_EXISTS);
  /* hcsshim prints E_INVALIDARG as (0x57) and HCN codes whole. */
  assert_int_equal(hns_hr_win32_code(HNS_E_INVALIDARG), 0x57u);
  assert_int_equal(hns_hr_win32_code(HCN_E_ADDR_INVALID_OR_RESERVED), 0x803B002Fu);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(values_are_the_windows_ones),
    cmocka_unit_test(names),
    cmocka_unit_test(messages_seen_in_real_output),
    cmocka_unit_test(record_messages_end_with_one_space),
    cmocka_unit_test(known_codes_ascend_and_are_distinct),
    cmocka_unit_test(error_record_matches_real_sample),
    cmocka_unit_test(error_record_detail_is_appended_and_escaped),
    cmocka_unit_test(unknown_code_is_described),
    cmocka_unit_test(win32_conversions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
