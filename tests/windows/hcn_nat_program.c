/* hcn_nat_program.c: a Windows C program written against the SDK's
 * computenetwork.h, used as is on both sides: built with mingw-w64 against
 * Debian's Windows headers and import library (it then runs on Windows),
 * and built on Linux against hnsim's headers and linked with hnsmock and
 * hcn_machine.c (it then drives a simulated HNS). Nothing in it is hnsim's;
 * wide literals are spelled TEXT("..."), as Windows code built with UNICODE
 * spells them.
 *
 * It does what a container tool does on one host (the NAT network of
 * Microsoft's HCN docs, an endpoint, a namespace), checks every HRESULT and
 * document it gets back, checks that a second network of the same name is
 * refused with HCN_E_NETWORK_ALREADY_EXISTS, closes its handles, and exits 0
 * only if everything was as HNS documents it. On failure it prints the HRESULT and
 * the ErrorRecord and exits 1. */
#include <windows.h>
#include <computenetwork.h>
#include <stdio.h>
#include <string.h>

/* From the HCN HRESULT reference (facility 0x3B); the SDK's winerror.h
 * does not name them. */
#define HCN_E_NETWORK_ALREADY_EXISTS_CODE ((HRESULT)0x803B0010L)

static const WCHAR *const nat_network_settings = TEXT(
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"WinNat\",\"Type\":\"NAT\",\"Ipams\":[{\"Type\":\"Static\","
    "\"Subnets\":[{\"IpAddressPrefix\":\"192.168.100.0/24\",\"Routes\":[{\"NextHop\":\"192.168.100.1\","
    "\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}");
static const WCHAR *const endpoint_settings =
    TEXT("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"container1_eth0\"}");
static const WCHAR *const namespace_settings = TEXT("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Type\":\"Host\"}");

static int failures;

/* Prints a UTF-16 string; every character HNS writes in these documents is ASCII. */
static void print_wide(const WCHAR *s) {
  for (; s && *s; s++) putchar(*s < 128 ? (char)*s : '?');
}

/* Whether the UTF-16 text contains the ASCII needle. */
static int contains(const WCHAR *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; hay && *hay; hay++) {
    size_t i = 0;
    while (i < n && hay[i] == (WCHAR)(unsigned char)needle[i]) i++;
    if (i == n) return 1;
  }
  return 0;
}

/* Reports a call's result; frees the ErrorRecord. 1 if it was `want`. */
static int expect(const char *what, HRESULT hr, HRESULT want, PWSTR error_record) {
  int ok = hr == want && (SUCCEEDED(hr) ? error_record == NULL : error_record != NULL);
  printf("%s %s: 0x%08X", ok ? "ok  " : "FAIL", what, (unsigned int)hr);
  if (error_record) {
    printf(" ");
    print_wide(error_record);
    CoTaskMemFree(error_record);
  }
  printf("\n");
  if (!ok) failures++;
  return ok;
}

static void check(const char *what, int ok) {
  printf("%s %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) failures++;
}

int main(void) {
  GUID let_hns_choose;
  memset(&let_hns_choose, 0, sizeof let_hns_choose);
  HCN_NETWORK network = NULL, duplicate = NULL;
  HCN_ENDPOINT endpoint = NULL;
  HCN_NAMESPACE ns = NULL;
  PWSTR error_record = NULL, properties = NULL, list = NULL;

  HRESULT hr = HcnCreateNetwork(&let_hns_choose, nat_network_settings, &network, &error_record);
  if (!expect("HcnCreateNetwork WinNat", hr, S_OK, error_record)) return 1;

  hr = HcnCreateNetwork(&let_hns_choose, nat_network_settings, &duplicate, &error_record);
  expect("HcnCreateNetwork WinNat again is refused", hr, HCN_E_NETWORK_ALREADY_EXISTS_CODE, error_record);
  check("no handle for the refused network", duplicate == NULL);

  hr = HcnEnumerateNetworks(TEXT("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Filter\":\"{\\\"Name\\\":\\\"WinNat\\\"}\"}"),
                            &list, &error_record);
  if (expect("HcnEnumerateNetworks by Name", hr, S_OK, error_record)) {
    check("one network called WinNat", list && list[0] == '[' && contains(list, "-") && !contains(list, ","));
    CoTaskMemFree(list);
  }

  hr = HcnCreateEndpoint(network, &let_hns_choose, endpoint_settings, &endpoint, &error_record);
  if (!expect("HcnCreateEndpoint", hr, S_OK, error_record)) return 1;
  hr = HcnCreateNamespace(&let_hns_choose, namespace_settings, &ns, &error_record);
  if (!expect("HcnCreateNamespace", hr, S_OK, error_record)) return 1;

  hr = HcnQueryEndpointProperties(endpoint, NULL, &properties, &error_record);
  if (expect("HcnQueryEndpointProperties", hr, S_OK, error_record)) {
    printf("     ");
    print_wide(properties);
    printf("\n");
    check("the endpoint got an address from 192.168.100.0/24", contains(properties, "\"IpAddress\":\"192.168.100."));
    check("the gateway was not handed out", !contains(properties, "\"IpAddress\":\"192.168.100.1\""));
    check("the endpoint got a Hyper-V MAC", contains(properties, "\"MacAddress\":\"00-15-5D-"));
    CoTaskMemFree(properties);
  }

  /* Attach the endpoint to the namespace: the endpoint's ID is in its
   * properties; a container tool takes it from there. */
  hr = HcnQueryEndpointProperties(endpoint, NULL, &properties, &error_record);
  expect("HcnQueryEndpointProperties again", hr, S_OK, error_record);
  WCHAR request[256];
  const char *head = "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"";
  size_t n = 0;
  for (const char *c = head; *c; c++) request[n++] = (WCHAR)*c;
  const WCHAR *id = properties;
  while (id && *id && !(id[0] == '"' && id[1] == 'I' && id[2] == 'D' && id[3] == '"')) id++;
  for (id = id && *id ? id + 6 : id; id && *id && *id != '"' && n < 240; id++) request[n++] = *id;
  for (const char *c = "\"}}"; *c; c++) request[n++] = (WCHAR)*c;
  request[n] = 0;
  CoTaskMemFree(properties);
  hr = HcnModifyNamespace(ns, request, &error_record);
  expect("HcnModifyNamespace add the endpoint", hr, S_OK, error_record);
  hr = HcnQueryEndpointProperties(endpoint, NULL, &properties, &error_record);
  if (expect("HcnQueryEndpointProperties after attach", hr, S_OK, error_record)) {
    check("the endpoint names its namespace", contains(properties, "\"HostComputeNamespace\":\""));
    CoTaskMemFree(properties);
  }

  hr = HcnQueryNetworkProperties(network, NULL, &properties, &error_record);
  expect("HcnQueryNetworkProperties", hr, S_OK, error_record);
  check("a NAT network is written without its Type", properties && contains(properties, "\"Name\":\"WinNat\"") &&
                                                        !contains(properties, "\"Type\":\"NAT\""));
  CoTaskMemFree(properties);
  hr = HcnCloseEndpoint(endpoint);
  expect("HcnCloseEndpoint", hr, S_OK, NULL);
  hr = HcnCloseNamespace(ns);
  expect("HcnCloseNamespace", hr, S_OK, NULL);
  hr = HcnCloseNetwork(network);
  expect("HcnCloseNetwork", hr, S_OK, NULL);

  printf("%s: %d failure%s\n", failures ? "FAILED" : "PASSED", failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
