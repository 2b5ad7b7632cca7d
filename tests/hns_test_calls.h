/* hns_test_calls.h: the two calls almost every hnsmock test makes, with
 * their checks: create an object that must be accepted (no ErrorRecord
 * after success, hcsshim's rule), and read an object's properties as
 * JSON. Include after <cmocka.h>, <cjson/cJSON.h> and "hns_api.h". */
#ifndef HNS_TEST_CALLS_H
#define HNS_TEST_CALLS_H
#include <stdlib.h>

/* Creates the object or fails the test with the HRESULT and hnsmock's detail. */
static inline hns_handle *create(hns_service *svc, hns_object_kind kind, hns_handle *parent, const char *json) {
  hns_handle *h = NULL;
  char *er = (char *)1;
  hns_hr hr = hns_create(svc, kind, parent, NULL, json, &h, &er);
  if (hr != HNS_S_OK) fail_msg("create failed 0x%08X: %s", (unsigned)hr, hns_service_last_detail(svc));
  assert_null(er);
  return h;
}

/* The object's v2 properties, parsed (the caller deletes them). */
static inline cJSON *query(hns_handle *h) {
  char *props = NULL;
  assert_int_equal(hns_query_properties(h, NULL, &props, NULL), HNS_S_OK);
  cJSON *j = cJSON_Parse(props);
  free(props);
  assert_non_null(j);
  return j;
}

#endif
