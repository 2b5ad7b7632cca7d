/* hcn_wide_v1.c: HNSCall with its Windows signature (vmcompute.h) over
 * hns_call (hns_v1.h), on the service hnsim_hcn_bind chose: UTF-16 in,
 * CoTaskMemAlloc'd UTF-16 out, as hcn_wide.c does for the Hcn* functions.
 *
 * (inferred), as in hcn_wide.c: no bound service is HCN_E_MANAGER_STOPPED;
 * a NULL Response is E_POINTER; a NULL Method or Path, or a string that is
 * not UTF-16 (an unpaired surrogate), is E_INVALIDARG. Those refusals still
 * come with an envelope when Response can take one, since psm1 reads only
 * the envelope. */
#include "vmcompute.h"

#include <stdlib.h>

#include "hcn_utf16.h"
#include "hns_v1.h"
#include "hnsim_hcn.h"

/* Hands `text` (malloc'd UTF-8) to the caller as CoTaskMem UTF-16. */
static HRESULT hcn__give_v1(HRESULT hr, char *text, PWSTR *response) {
  HRESULT conv = text ? hcn_utf8_to_utf16(text, CoTaskMemAlloc, response) : S_OK;
  free(text);
  return FAILED(hr) ? hr : conv;
}

/* A refusal made here, before the service: its envelope is the same
 * {"Success":false,"Error":...,"ErrorCode":...} the service writes. */
static HRESULT hcn__refuse_v1(HRESULT hr, PWSTR *response) { return hcn__give_v1(hr, hns_error_record(hr), response); }

/* An optional input string: NULL stays NULL. */
static HRESULT hcn__narrow_v1(PCWSTR in, char **out) {
  *out = NULL;
  return in ? hcn_utf16_to_utf8(in, out) : S_OK;
}

HRESULT WINAPI HNSCall(PCWSTR Method, PCWSTR Path, PCWSTR Request, PWSTR *Response) {
  if (!Response) return E_POINTER;
  *Response = NULL;
  struct hns_service *svc = hnsim_hcn_bound();
  if (!svc) return hcn__refuse_v1(HCN_E_MANAGER_STOPPED, Response);
  if (!Method || !Path) return hcn__refuse_v1(E_INVALIDARG, Response);
  char *method = NULL, *path = NULL, *request = NULL, *text = NULL;
  HRESULT hr = hcn__narrow_v1(Method, &method);
  if (SUCCEEDED(hr)) hr = hcn__narrow_v1(Path, &path);
  if (SUCCEEDED(hr)) hr = hcn__narrow_v1(Request, &request);
  if (SUCCEEDED(hr)) hr = hns_call(svc, method, path, request, &text);
  else text = hns_error_record(hr);
  free(method);
  free(path);
  free(request);
  return hcn__give_v1(hr, text, Response);
}
