/* test_hcn_wide.c: the Windows-signature layer (computenetwork.h over
 * hns_api.h, hnsmock/hcn_wide.c) and its UTF-16 conversions (hcn_utf16.c).
 *
 * The HCN tests are written as a Windows C program is written against the
 * SDK's computenetwork.h: Hcn* calls, HRESULTs checked with SUCCEEDED/FAILED,
 * every output freed with CoTaskMemFree. Only three things are hnsim's: the
 * wide literals (HNSIM_W("...") where Windows writes L"..."), the small
 * string helpers below (on Windows: wcscmp, StrStrIW, IIDFromString), and
 * the fixture that creates a simulated HNS and binds it (hnsim_hcn.h). The
 * NAT network is the one of Microsoft's HCN docs (WSDOCS hcn-scenarios.md;
 * hns-api-facts.md §3.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <computenetwork.h>

#include "hcn_utf16.h"
#include "hns_api.h"
#include "hnsim_hcn.h"

/* ---- The header's promises that the compiler can check ------------------ */

_Static_assert(sizeof(WCHAR) == 2, "WCHAR is a UTF-16 unit");
_Static_assert(sizeof(HRESULT) == 4 && sizeof(DWORD) == 4 && sizeof(ULONG) == 4, "LLP64 sizes");
_Static_assert(sizeof(GUID) == 16 && offsetof(GUID, Data4) == 8, "Windows GUID layout");
_Static_assert(HcnNotificationNetworkEndpointAttached == 9, "0x09");
_Static_assert(HcnNotificationNetworkEndpointDetached == 16, "0x10 is hex");
_Static_assert(HcnNotificationGuestNetworkServiceStateChanged == 17, "0x11 is hex");
_Static_assert(HcnNotificationGuestNetworkServiceInterfaceStateChanged == 18, "0x12 is hex");
_Static_assert(HcnNotificationServiceDisconnect == 0x01000000, "service disconnect");

/* ---- String helpers a Windows program would take from the CRT ----------- */

static BOOL WcsEqual(PCWSTR a, PCWSTR b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

static WCHAR AsciiLower(WCHAR c) { return (c >= 'A' && c <= 'Z') ? (WCHAR)(c + 32) : c; }

/* StrStrIW for ASCII: GUIDs in HNS output come in either case (§3.1). */
static PCWSTR WcsFindI(PCWSTR hay, PCWSTR needle) {
  for (; *hay; hay++) {
    size_t i = 0;
    while (needle[i] && AsciiLower(hay[i]) == AsciiLower(needle[i])) i++;
    if (!needle[i]) return hay;
  }
  return NULL;
}

static int HexDigit(WCHAR c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = AsciiLower(c);
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* IIDFromString without the braces: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
static BOOL GuidFromWide(PCWSTR s, GUID *g) {
  uint8_t b[16];
  int n = 0;
  for (int i = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return FALSE;
      continue;
    }
    int hi = HexDigit(s[i]);
    if (hi < 0) return FALSE;
    int lo = HexDigit(s[i + 1]);
    if (lo < 0) return FALSE;
    b[n++] = (uint8_t)(hi << 4 | lo);
    i++;
  }
  g->Data1 = (DWORD)b[0] << 24 | (DWORD)b[1] << 16 | (DWORD)b[2] << 8 | b[3];
  g->Data2 = (USHORT)(b[4] << 8 | b[5]);
  g->Data3 = (USHORT)(b[6] << 8 | b[7]);
  memcpy(g->Data4, b + 8, 8);
  return TRUE;
}

/* The ID in a Query*Properties document: the value of "ID". */
static BOOL IdFromProperties(PCWSTR properties, GUID *id) {
  PCWSTR at = WcsFindI(properties, HNSIM_W("\"ID\":\""));
  return at && GuidFromWide(at + 6, id);
}

/* ---- The documents ------------------------------------------------------- */

static const GUID kNetworkId = {0x5f7d8b2a, 0x1c3e, 0x4d6f, {0x9a, 0x0b, 0x1c, 0x2d, 0x3e, 0x4f, 0x50, 0x61}};
#define NETWORK_ID_TEXT "5F7D8B2A-1C3E-4D6F-9A0B-1C2D3E4F5061"
static const GUID kUnknownId = {0x0badf00d, 0x0000, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 0x01}};

#define NAT_SETTINGS                                                                              \
  HNSIM_W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"WinNAT\",\"Type\":\"NAT\","      \
          "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"192.168.100.0/24\"," \
          "\"Routes\":[{\"NextHop\":\"192.168.100.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}")
#define ENDPOINT_SETTINGS                                                              \
  HNSIM_W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"WinNAT-ep1\","      \
          "\"HostComputeNetwork\":\"" NETWORK_ID_TEXT "\"}")
#define V2_QUERY HNSIM_W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}")

/* ---- Fixture: one simulated HNS, bound as "the machine's" ---------------- */

static int BindFreshService(void **state) {
  hns_service_config config = {.profile = NULL, .host = "node1", .seed = 42};
  hns_service *svc = NULL;
  if (HNS_FAILED(hns_service_create(&config, &svc))) return -1;
  hnsim_hcn_bind(svc);
  *state = svc;
  return 0;
}

static int UnbindService(void **state) {
  hnsim_hcn_bind(NULL);
  hns_service_destroy(*state);
  return 0;
}

/* ---- The Windows program ------------------------------------------------- */

static void test_nat_network_lifecycle(void **state) {
  (void)state;
  HCN_NETWORK network = NULL;
  HCN_ENDPOINT endpoint = NULL;
  PWSTR errorRecord = NULL;
  PWSTR networks = NULL;
  PWSTR properties = NULL;
  HRESULT hr;

  hr = HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, &network, &errorRecord);
  assert_true(SUCCEEDED(hr));
  assert_non_null(network);
  assert_null(errorRecord);

  /* Enumerate: a JSON array of ID strings that holds ours. */
  hr = HcnEnumerateNetworks(HNSIM_W(""), &networks, &errorRecord);
  assert_int_equal(hr, S_OK);
  assert_null(errorRecord);
  assert_non_null(networks);
  assert_int_equal(networks[0], '[');
  assert_non_null(WcsFindI(networks, HNSIM_W("\"" NETWORK_ID_TEXT "\"")));
  CoTaskMemFree(networks);

  hr = HcnQueryNetworkProperties(network, V2_QUERY, &properties, &errorRecord);
  assert_int_equal(hr, S_OK);
  assert_null(errorRecord);
  assert_non_null(WcsFindI(properties, HNSIM_W("\"Name\":\"WinNAT\"")));
  GUID readBack;
  assert_true(IdFromProperties(properties, &readBack));
  assert_memory_equal(&readBack, &kNetworkId, sizeof(GUID));
  CoTaskMemFree(properties);

  /* An endpoint on it; a NULL Id lets the service choose one. */
  hr = HcnCreateEndpoint(network, NULL, ENDPOINT_SETTINGS, &endpoint, &errorRecord);
  assert_int_equal(hr, S_OK);
  assert_null(errorRecord);
  assert_non_null(endpoint);
  hr = HcnQueryEndpointProperties(endpoint, V2_QUERY, &properties, &errorRecord);
  assert_int_equal(hr, S_OK);
  GUID endpointId;
  assert_true(IdFromProperties(properties, &endpointId));
  assert_true(endpointId.Data1 || endpointId.Data2 || endpointId.Data3);
  assert_non_null(WcsFindI(properties, HNSIM_W(NETWORK_ID_TEXT)));
  CoTaskMemFree(properties);

  /* A second network with the same name. */
  HCN_NETWORK duplicate = NULL;
  hr = HcnCreateNetwork(NULL, NAT_SETTINGS, &duplicate, &errorRecord);
  assert_int_equal(hr, HCN_E_NETWORK_ALREADY_EXISTS);
  assert_true(FAILED(hr));
  assert_null(duplicate);
  assert_non_null(errorRecord);
  assert_true(WcsEqual(errorRecord, HNSIM_W("{\"Success\":false,\"Error\":\"A network with this name already "
                                            "exists. \",\"ErrorCode\":2151350288}")));
  CoTaskMemFree(errorRecord);
  errorRecord = NULL;

  /* An ID nobody created. */
  HCN_NETWORK unknown = NULL;
  hr = HcnOpenNetwork(&kUnknownId, &unknown, &errorRecord);
  assert_int_equal(hr, HCN_E_NETWORK_NOT_FOUND);
  assert_null(unknown);
  assert_non_null(errorRecord);
  assert_non_null(WcsFindI(errorRecord, HNSIM_W("\"ErrorCode\":2151350273}")));
  CoTaskMemFree(errorRecord);
  errorRecord = NULL;

  /* Tear down: endpoint first (a network with endpoints is still in use). */
  assert_int_equal(HcnCloseEndpoint(endpoint), S_OK);
  assert_int_equal(HcnDeleteEndpoint(&endpointId, &errorRecord), S_OK);
  assert_null(errorRecord);
  assert_int_equal(HcnCloseNetwork(network), S_OK);
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, &errorRecord), S_OK);
  assert_null(errorRecord);

  hr = HcnEnumerateNetworks(NULL, &networks, NULL);
  assert_int_equal(hr, S_OK);
  assert_null(WcsFindI(networks, HNSIM_W(NETWORK_ID_TEXT)));
  CoTaskMemFree(networks);
  hr = HcnOpenNetwork(&kNetworkId, &network, NULL);
  assert_int_equal(hr, HCN_E_NETWORK_NOT_FOUND);
}

/* ErrorRecord is _Outptr_opt_: NULL is fine; on success it is set to NULL
 * even if the caller left garbage in it. */
static void test_error_record_optional_and_cleared(void **state) {
  (void)state;
  static WCHAR garbage[] = {'x', 0};
  HCN_NETWORK network = NULL;
  PWSTR errorRecord = garbage;

  assert_int_equal(HcnOpenNetwork(&kUnknownId, &network, NULL), HCN_E_NETWORK_NOT_FOUND);
  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, &network, &errorRecord), S_OK);
  assert_null(errorRecord);
  PWSTR properties = NULL;
  errorRecord = garbage;
  assert_int_equal(HcnQueryNetworkProperties(network, NULL, &properties, &errorRecord), S_OK);
  assert_null(errorRecord);
  CoTaskMemFree(properties);
  assert_int_equal(HcnCloseNetwork(network), S_OK);
  errorRecord = garbage;
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, &errorRecord), S_OK);
  assert_null(errorRecord);
}

/* A NULL required out-pointer is E_POINTER; nothing is created. */
static void test_null_out_pointers(void **state) {
  (void)state;
  PWSTR errorRecord = NULL;
  assert_int_equal(HcnEnumerateNetworks(NULL, NULL, &errorRecord), E_POINTER);
  assert_non_null(errorRecord);
  CoTaskMemFree(errorRecord);
  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, NULL, NULL), E_POINTER);
  assert_int_equal(HcnOpenNetwork(&kNetworkId, NULL, NULL), E_POINTER);
  assert_int_equal(HcnRegisterServiceCallback(NULL, NULL, NULL), E_POINTER);

  HCN_NETWORK network = NULL;
  assert_int_equal(HcnOpenNetwork(&kNetworkId, &network, NULL), HCN_E_NETWORK_NOT_FOUND);
  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, &network, NULL), S_OK);
  assert_int_equal(HcnQueryNetworkProperties(network, V2_QUERY, NULL, NULL), E_POINTER);
  assert_int_equal(HcnCloseNetwork(network), S_OK);
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, NULL), S_OK);
}

/* A document with an unpaired surrogate never reaches the service. */
static void test_unpaired_surrogate_refused(void **state) {
  (void)state;
  static const WCHAR bad[] = {'{', '"', 'N', 'a', 'm', 'e', '"', ':', '"', 0xD83D, '"', '}', 0};
  HCN_NETWORK network = NULL;
  PWSTR errorRecord = NULL;
  assert_int_equal(HcnCreateNetwork(&kNetworkId, bad, &network, &errorRecord), E_INVALIDARG);
  assert_null(network);
  assert_non_null(WcsFindI(errorRecord, HNSIM_W("\"ErrorCode\":2147942487}")));
  CoTaskMemFree(errorRecord);
  assert_int_equal(HcnOpenNetwork(&kNetworkId, &network, NULL), HCN_E_NETWORK_NOT_FOUND);
}

/* A handle of the wrong kind is refused and stays usable. */
static void test_wrong_handle_kind(void **state) {
  (void)state;
  HCN_NETWORK network = NULL;
  PWSTR properties = NULL;
  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, &network, NULL), S_OK);
  assert_int_equal(HcnCloseEndpoint(network), E_HANDLE);
  assert_int_equal(HcnQueryEndpointProperties(network, NULL, &properties, NULL), E_HANDLE);
  assert_null(properties);
  assert_int_equal(HcnCloseNetwork(NULL), E_HANDLE);
  assert_int_equal(HcnCloseNetwork(network), S_OK);
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, NULL), S_OK);
}

/* With no HNS bound, calls fail as when the service is stopped. */
static void test_no_service(void **state) {
  HCN_NETWORK network = NULL;
  PWSTR errorRecord = NULL;
  hnsim_hcn_bind(NULL);
  assert_int_equal(HcnOpenNetwork(&kNetworkId, &network, &errorRecord), HCN_E_MANAGER_STOPPED);
  assert_null(network);
  assert_non_null(errorRecord);
  CoTaskMemFree(errorRecord);
  hnsim_hcn_bind(*state);
  assert_ptr_equal(hnsim_hcn_bound(), *state);
}

typedef struct Seen {
  int calls;
  DWORD lastType;
  HRESULT lastStatus;
  BOOL sawOurId;
} Seen;

static void CALLBACK OnNotification(DWORD NotificationType, void *Context, HRESULT NotificationStatus,
                                    PCWSTR NotificationData) {
  Seen *seen = Context;
  seen->calls++;
  seen->lastType = NotificationType;
  seen->lastStatus = NotificationStatus;
  seen->sawOurId = NotificationData && WcsFindI(NotificationData, HNSIM_W(NETWORK_ID_TEXT)) != NULL;
}

/* Service callbacks see NetworkCreate / NetworkDelete with the network's ID
 * (hns-api-facts.md §7.9), by the time the call returns (inferred: the
 * simulated HNS notifies within the call). */
static void test_service_callback(void **state) {
  (void)state;
  Seen seen = {0};
  HCN_CALLBACK callback = NULL;
  HCN_NETWORK network = NULL;
  assert_int_equal(HcnRegisterServiceCallback(NULL, &seen, &callback), E_INVALIDARG);
  assert_int_equal(HcnRegisterServiceCallback(OnNotification, &seen, &callback), S_OK);
  assert_non_null(callback);

  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, &network, NULL), S_OK);
  assert_true(seen.calls >= 1);
  assert_int_equal(seen.lastType, HcnNotificationNetworkCreate);
  assert_int_equal(seen.lastStatus, S_OK);
  assert_true(seen.sawOurId);
  assert_int_equal(HcnCloseNetwork(network), S_OK);
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, NULL), S_OK);
  assert_int_equal(seen.lastType, HcnNotificationNetworkDelete);
  assert_true(seen.sawOurId);

  assert_int_equal(HcnUnregisterServiceCallback(callback), S_OK);
  int before = seen.calls;
  assert_int_equal(HcnCreateNetwork(&kNetworkId, NAT_SETTINGS, &network, NULL), S_OK);
  assert_int_equal(seen.calls, before);
  assert_int_equal(HcnCloseNetwork(network), S_OK);
  assert_int_equal(HcnDeleteNetwork(&kNetworkId, NULL), S_OK);
}

/* ---- UTF-16 <-> UTF-8 (hcn_utf16.h) --------------------------------------- */

static void check_both_ways(const uint16_t *wide, const char *utf8) {
  char *narrow = NULL;
  uint16_t *back = NULL;
  assert_int_equal(hcn_utf16_to_utf8(wide, &narrow), HNS_S_OK);
  assert_string_equal(narrow, utf8);
  assert_int_equal(hcn_utf8_to_utf16(utf8, NULL, &back), HNS_S_OK);
  assert_int_equal(hcn_utf16_len(back), hcn_utf16_len(wide));
  assert_memory_equal(back, wide, (hcn_utf16_len(wide) + 1) * sizeof *wide);
  free(narrow);
  free(back);
}

static void test_utf16_ascii(void **state) {
  (void)state;
  check_both_ways(HNSIM_W("HcnCreateNetwork {\"Name\":\"WinNAT\"}"), "HcnCreateNetwork {\"Name\":\"WinNAT\"}");
}

static void test_utf16_bmp(void **state) {
  (void)state;
  /* U+00E9 (2 bytes), U+20AC (3 bytes), U+4E2D (3 bytes), U+FFFF (3 bytes) */
  static const uint16_t wide[] = {0x00E9, 0x20AC, 0x4E2D, 0xFFFF, 0};
  check_both_ways(wide, "\xC3\xA9\xE2\x82\xAC\xE4\xB8\xAD\xEF\xBF\xBF");
  check_both_ways(HNSIM_W("caf\u00e9"), "caf\xC3\xA9");
}

static void test_utf16_astral(void **state) {
  (void)state;
  static const uint16_t grin[] = {0xD83D, 0xDE00, 0}; /* U+1F600 */
  static const uint16_t first[] = {0xD800, 0xDC00, 0}; /* U+10000 */
  static const uint16_t last[] = {0xDBFF, 0xDFFF, 0};  /* U+10FFFF */
  check_both_ways(grin, "\xF0\x9F\x98\x80");
  check_both_ways(first, "\xF0\x90\x80\x80");
  check_both_ways(last, "\xF4\x8F\xBF\xBF");
  check_both_ways(HNSIM_W("a\U0001F600b"), "a\xF0\x9F\x98\x80" "b");
}

static void test_utf16_unpaired_surrogate(void **state) {
  (void)state;
  static const uint16_t high_at_end[] = {'a', 0xD83D, 0};
  static const uint16_t high_then_ascii[] = {0xD83D, 'a', 0};
  static const uint16_t high_high_low[] = {0xD83D, 0xD83D, 0xDE00, 0};
  static const uint16_t lone_low[] = {0xDE00, 0};
  static const uint16_t reversed[] = {0xDE00, 0xD83D, 0};
  const uint16_t *bad[] = {high_at_end, high_then_ascii, high_high_low, lone_low, reversed};
  static char sentinel[] = "set before the call";
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *narrow = sentinel;
    assert_int_equal(hcn_utf16_to_utf8(bad[i], &narrow), HNS_E_INVALIDARG);
    assert_null(narrow);
  }
  char *narrow = NULL;
  assert_int_equal(hcn_utf16_to_utf8(NULL, &narrow), HNS_E_POINTER);
  assert_int_equal(hcn_utf16_to_utf8(lone_low, NULL), HNS_E_POINTER);
}

static void test_utf16_empty(void **state) {
  (void)state;
  static const uint16_t empty[] = {0};
  char *narrow = NULL;
  uint16_t *wide = NULL;
  assert_int_equal(hcn_utf16_to_utf8(empty, &narrow), HNS_S_OK);
  assert_non_null(narrow);
  assert_string_equal(narrow, "");
  assert_int_equal(hcn_utf8_to_utf16("", CoTaskMemAlloc, &wide), HNS_S_OK);
  assert_non_null(wide);
  assert_int_equal(wide[0], 0);
  free(narrow);
  CoTaskMemFree(wide);
}

/* Service output that is not UTF-8 becomes U+FFFD, one per maximal subpart
 * (the Unicode 15 §3.9 examples' rules). */
static void test_utf8_ill_formed(void **state) {
  (void)state;
  static const struct {
    const char *in;
    uint16_t out[8];
  } cases[] = {
    {"\xC0\xAF", {0xFFFD, 0xFFFD, 0}},                        /* C0 never leads */
    {"a\xE2\x82", {'a', 0xFFFD, 0}},                           /* cut short by the end */
    {"\xE2\x82z", {0xFFFD, 'z', 0}},                           /* cut short by ASCII */
    {"\xED\xA0\x80", {0xFFFD, 0xFFFD, 0xFFFD, 0}},             /* an encoded surrogate */
    {"\xF4\x90\x80\x80", {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0}}, /* above U+10FFFF */
    {"a\xF0\x9F\x98" "b", {'a', 0xFFFD, 'b', 0}},               /* 3 of 4 bytes */
    {"\x80\xFF", {0xFFFD, 0xFFFD, 0}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint16_t *wide = NULL;
    assert_int_equal(hcn_utf8_to_utf16(cases[i].in, NULL, &wide), HNS_S_OK);
    assert_int_equal(hcn_utf16_len(wide), hcn_utf16_len(cases[i].out));
    assert_memory_equal(wide, cases[i].out, (hcn_utf16_len(cases[i].out) + 1) * sizeof(uint16_t));
    free(wide);
  }
}

static int allocations;
static void *CountingAlloc(size_t size) {
  allocations++;
  return malloc(size);
}

static void test_utf8_uses_given_allocator(void **state) {
  (void)state;
  uint16_t *wide = NULL;
  allocations = 0;
  assert_int_equal(hcn_utf8_to_utf16("{\"ID\":1}", CountingAlloc, &wide), HNS_S_OK);
  assert_int_equal(allocations, 1);
  assert_true(WcsEqual(wide, HNSIM_W("{\"ID\":1}")));
  free(wide);
}

int main(void) {
  const struct CMUnitTest conversions[] = {
    cmocka_unit_test(test_utf16_ascii),
    cmocka_unit_test(test_utf16_bmp),
    cmocka_unit_test(test_utf16_astral),
    cmocka_unit_test(test_utf16_unpaired_surrogate),
    cmocka_unit_test(test_utf16_empty),
    cmocka_unit_test(test_utf8_ill_formed),
    cmocka_unit_test(test_utf8_uses_given_allocator),
  };
  const struct CMUnitTest api[] = {
    cmocka_unit_test_setup_teardown(test_nat_network_lifecycle, BindFreshService, UnbindService),
    cmocka_unit_test_setup_teardown(test_error_record_optional_and_cleared, BindFreshService, UnbindService),
    cmocka_unit_test_setup_teardown(test_null_out_pointers, BindFreshService, UnbindService),
    cmocka_unit_test_setup_teardown(test_unpaired_surrogate_refused, BindFreshService, UnbindService),
    cmocka_unit_test_setup_teardown(test_wrong_handle_kind, BindFreshService, UnbindService),
    cmocka_unit_test_setup_teardown(test_no_service, BindFreshService, UnbindService),
    cmocka_unit_test_setup_teardown(test_service_callback, BindFreshService, UnbindService),
  };
  int failed = cmocka_run_group_tests_name("hcn_utf16", conversions, NULL, NULL);
  failed += cmocka_run_group_tests_name("hcn_wide", api, NULL, NULL);
  return failed;
}
