/* hcn_wide.c: computenetwork.h's Hcn* functions, with their exact Windows
 * signatures, over hnsmock's UTF-8 API (hns_api.h), plus CoTaskMemAlloc /
 * CoTaskMemFree and the service binding of hnsim_hcn.h.
 *
 * It owns: the bound service (the layer's one global, see hnsim_hcn.h), the
 * UTF-16 <-> UTF-8 crossing of every document, and the Windows calling
 * conventions (hns-api-facts.md §1.1; VDOCS Reference SAL):
 *  - outputs (results and ErrorRecords) are CoTaskMemAlloc'd UTF-16;
 *  - ErrorRecord is _Outptr_opt_: NULL is allowed; otherwise it is set to
 *    NULL on entry, stays NULL on success (hcsshim's checkForErrors treats any
 *    non-empty record as a failure, hcn/hcnerrors.go) and holds
 *    {"Success":false,"Error":...,"ErrorCode":N} on failure;
 *  - a required out-pointer (_Out_ / _Outptr_) that is NULL gives E_POINTER;
 *    a required out-handle is set to NULL on entry, so it is NULL after any
 *    failure;
 *  - a NULL REFGUID to Create means the zero GUID: "let the service choose"
 *    (hcsshim passes guid.GUID{}, hns.v2.psm1 [Guid]::Empty, §1.1).
 *
 * Decisions no source states, marked (inferred) where they are made below:
 *  - no bound service -> HCN_E_MANAGER_STOPPED;
 *  - failures found here, before the service, still give an ErrorRecord;
 *  - a handle of the wrong kind -> E_HANDLE; a NULL REFGUID to Open/Delete ->
 *    E_POINTER; a NULL Settings -> E_INVALIDARG; a NULL callback ->
 *    E_INVALIDARG.
 *
 * Left out (not declared in computenetwork.h either):
 *  - HcnQueryEndpointStats: hns_api.h has no traffic counters to report, and
 *    an all-zero document would pass for a measurement;
 *  - HcnQueryEndpointAddresses: its output document is not documented
 *    anywhere we can read (windows-rs gives only the signature), and Debian's
 *    import library does not even export it (§1.4);
 *  - the guest network service functions and port reservations: hns_api.h
 *    has no such object and hnsim's scenarios (CNI, kube-proxy) do not use
 *    them (§1.2); HcnRegister/UnregisterNetworkCallback: no known signature. */
#include "computenetwork.h"

#include <stdlib.h>

#include "hcn_utf16.h"
#include "hns_api.h"
#include "hnsim_hcn.h"

/* ---- The bound service and task memory ---------------------------------- */

static hns_service *hcn__service;

void hnsim_hcn_bind(struct hns_service *svc) { hcn__service = svc; }

struct hns_service *hnsim_hcn_bound(void) { return hcn__service; }

/* CoTaskMemAlloc(0) returns a valid pointer on Windows; malloc(0) may not. */
LPVOID CoTaskMemAlloc(SIZE_T cb) { return malloc(cb ? cb : 1); }

void CoTaskMemFree(LPVOID pv) { free(pv); }

/* ---- Crossing helpers ---------------------------------------------------- */

/* A failed call: hands `record8` (the service's ErrorRecord, or NULL to build
 * one for hr here) to the caller as CoTaskMem UTF-16 when they asked for it.
 * Takes ownership of record8. If memory runs out the record stays NULL and
 * the caller still gets hr. (inferred: that the layer's own refusals, such as
 * E_POINTER, also come with a record; a client that logs the record, as
 * hcsshim does, then always has one.) */
static HRESULT hcn__fail(HRESULT hr, char *record8, PWSTR *errorRecord) {
  if (errorRecord) {
    if (!record8) record8 = hns_error_record(hr);
    if (record8) (void)hcn_utf8_to_utf16(record8, CoTaskMemAlloc, errorRecord);
  }
  free(record8);
  return hr;
}

/* A succeeded call that returns a document: converts and frees result8. */
static HRESULT hcn__give(char *result8, PWSTR *out, PWSTR *errorRecord) {
  HRESULT hr = result8 ? hcn_utf8_to_utf16(result8, CoTaskMemAlloc, out) : S_OK;
  free(result8);
  return FAILED(hr) ? hcn__fail(hr, NULL, errorRecord) : S_OK;
}

/* An optional input document: NULL stays NULL. */
static HRESULT hcn__narrow(PCWSTR in, char **out) {
  *out = NULL;
  return in ? hcn_utf16_to_utf8(in, out) : S_OK;
}

/* The service for a call that needs one. (inferred) With no service bound
 * the real client's RPC to HNS would fail; HCN_E_MANAGER_STOPPED ("service
 * stopping", VDOCS HCNHResult.md) is the closest documented HCN code. */
static HRESULT hcn__svc(hns_service **svc) {
  *svc = hcn__service;
  return *svc ? S_OK : HCN_E_MANAGER_STOPPED;
}

/* A handle argument: NULL or of another kind is E_HANDLE (inferred: the
 * real DLL's RPC context handles would fail the call on a foreign handle;
 * E_HANDLE is what hns_close gives for NULL). */
static HRESULT hcn__handle(void *h, hns_object_kind kind, hns_handle **out) {
  *out = h;
  if (!h || hns_handle_kind(*out) != kind) return E_HANDLE;
  return S_OK;
}

/* ---- The seven operations, generic over the kind ------------------------- */

static HRESULT hcn__enumerate(hns_object_kind kind, PCWSTR query, PWSTR *result, PWSTR *errorRecord) {
  if (errorRecord) *errorRecord = NULL;
  if (!result) return hcn__fail(E_POINTER, NULL, errorRecord);
  *result = NULL;
  hns_service *svc;
  char *q8;
  HRESULT hr = hcn__svc(&svc);
  if (FAILED(hr)) return hcn__fail(hr, NULL, errorRecord);
  if (FAILED(hr = hcn__narrow(query, &q8))) return hcn__fail(hr, NULL, errorRecord);
  char *ids8 = NULL, *rec8 = NULL;
  hr = hns_enumerate(svc, kind, q8, &ids8, &rec8);
  free(q8);
  if (FAILED(hr)) {
    free(ids8);
    return hcn__fail(hr, rec8, errorRecord);
  }
  free(rec8);
  return hcn__give(ids8, result, errorRecord);
}

/* (inferred) NULL Settings is E_INVALIDARG: the parameter is _In_. */
static HRESULT hcn__create(hns_object_kind kind, void *parent, REFGUID id, PCWSTR settings, void **out,
                           PWSTR *errorRecord) {
  if (errorRecord) *errorRecord = NULL;
  if (!out) return hcn__fail(E_POINTER, NULL, errorRecord);
  *out = NULL;
  hns_service *svc;
  hns_handle *p = NULL;
  HRESULT hr = hcn__svc(&svc);
  if (FAILED(hr)) return hcn__fail(hr, NULL, errorRecord);
  if (kind == HNS_ENDPOINT && FAILED(hr = hcn__handle(parent, HNS_NETWORK, &p)))
    return hcn__fail(hr, NULL, errorRecord);
  if (!settings) return hcn__fail(E_INVALIDARG, NULL, errorRecord);
  char *s8;
  if (FAILED(hr = hcn_utf16_to_utf8(settings, &s8))) return hcn__fail(hr, NULL, errorRecord);
  const GUID zero = {0};
  hns_handle *h = NULL;
  char *rec8 = NULL;
  hr = hns_create(svc, kind, p, id ? id : &zero, s8, &h, &rec8);
  free(s8);
  if (FAILED(hr)) return hcn__fail(hr, rec8, errorRecord);
  free(rec8);
  *out = h;
  return hr;
}

/* (inferred) A NULL REFGUID to Open or Delete is E_POINTER: the ID is _In_
 * and, unlike Create's, has no "let the service choose" meaning. */
static HRESULT hcn__open(hns_object_kind kind, REFGUID id, void **out, PWSTR *errorRecord) {
  if (errorRecord) *errorRecord = NULL;
  if (!out) return hcn__fail(E_POINTER, NULL, errorRecord);
  *out = NULL;
  hns_service *svc;
  HRESULT hr = hcn__svc(&svc);
  if (FAILED(hr)) return hcn__fail(hr, NULL, errorRecord);
  if (!id) return hcn__fail(E_POINTER, NULL, errorRecord);
  hns_handle *h = NULL;
  char *rec8 = NULL;
  hr = hns_open(svc, kind, id, &h, &rec8);
  if (FAILED(hr)) return hcn__fail(hr, rec8, errorRecord);
  free(rec8);
  *out = h;
  return hr;
}

static HRESULT hcn__modify(hns_object_kind kind, void *handle, PCWSTR settings, PWSTR *errorRecord) {
  if (errorRecord) *errorRecord = NULL;
  hns_handle *h;
  HRESULT hr = hcn__handle(handle, kind, &h);
  if (FAILED(hr)) return hcn__fail(hr, NULL, errorRecord);
  if (!settings) return hcn__fail(E_INVALIDARG, NULL, errorRecord);
  char *s8;
  if (FAILED(hr = hcn_utf16_to_utf8(settings, &s8))) return hcn__fail(hr, NULL, errorRecord);
  char *rec8 = NULL;
  hr = hns_modify(h, s8, &rec8);
  free(s8);
  if (FAILED(hr)) return hcn__fail(hr, rec8, errorRecord);
  free(rec8);
  return hr;
}

static HRESULT hcn__query(hns_object_kind kind, void *handle, PCWSTR query, PWSTR *properties,
                          PWSTR *errorRecord) {
  if (errorRecord) *errorRecord = NULL;
  if (!properties) return hcn__fail(E_POINTER, NULL, errorRecord);
  *properties = NULL;
  hns_handle *h;
  char *q8;
  HRESULT hr = hcn__handle(handle, kind, &h);
  if (FAILED(hr)) return hcn__fail(hr, NULL, errorRecord);
  if (FAILED(hr = hcn__narrow(query, &q8))) return hcn__fail(hr, NULL, errorRecord);
  char *props8 = NULL, *rec8 = NULL;
  hr = hns_query_properties(h, q8, &props8, &rec8);
  free(q8);
  if (FAILED(hr)) {
    free(props8);
    return hcn__fail(hr, rec8, errorRecord);
  }
  free(rec8);
  return hcn__give(props8, properties, errorRecord);
}

static HRESULT hcn__delete(hns_object_kind kind, REFGUID id, PWSTR *errorRecord) {
  if (errorRecord) *errorRecord = NULL;
  hns_service *svc;
  HRESULT hr = hcn__svc(&svc);
  if (FAILED(hr)) return hcn__fail(hr, NULL, errorRecord);
  if (!id) return hcn__fail(E_POINTER, NULL, errorRecord);
  char *rec8 = NULL;
  hr = hns_delete(svc, kind, id, &rec8);
  if (FAILED(hr)) return hcn__fail(hr, rec8, errorRecord);
  free(rec8);
  return hr;
}

/* Close needs no service: the handle knows its own, and a handle outlives a
 * rebind (hnsim_hcn.h). */
static HRESULT hcn__close(hns_object_kind kind, void *handle) {
  hns_handle *h;
  HRESULT hr = hcn__handle(handle, kind, &h);
  return FAILED(hr) ? hr : hns_close(h);
}

/* ---- The Windows signatures --------------------------------------------- */

#define HCN__FAMILY(Name, kind, Handle, PHandle)                                                             \
  HRESULT WINAPI HcnEnumerate##Name##s(PCWSTR Query, PWSTR *Result, PWSTR *ErrorRecord) {                    \
    return hcn__enumerate(kind, Query, Result, ErrorRecord);                                                 \
  }                                                                                                          \
  HRESULT WINAPI HcnOpen##Name(REFGUID Id, PHandle Out, PWSTR *ErrorRecord) {                                \
    return hcn__open(kind, Id, Out, ErrorRecord);                                                            \
  }                                                                                                          \
  HRESULT WINAPI HcnModify##Name(Handle H, PCWSTR Settings, PWSTR *ErrorRecord) {                            \
    return hcn__modify(kind, H, Settings, ErrorRecord);                                                      \
  }                                                                                                          \
  HRESULT WINAPI HcnQuery##Name##Properties(Handle H, PCWSTR Query, PWSTR *Properties, PWSTR *ErrorRecord) { \
    return hcn__query(kind, H, Query, Properties, ErrorRecord);                                              \
  }                                                                                                          \
  HRESULT WINAPI HcnDelete##Name(REFGUID Id, PWSTR *ErrorRecord) { return hcn__delete(kind, Id, ErrorRecord); } \
  HRESULT WINAPI HcnClose##Name(Handle H) { return hcn__close(kind, H); }

HCN__FAMILY(Network, HNS_NETWORK, HCN_NETWORK, PHCN_NETWORK)
HCN__FAMILY(Namespace, HNS_NAMESPACE, HCN_NAMESPACE, PHCN_NAMESPACE)
HCN__FAMILY(Endpoint, HNS_ENDPOINT, HCN_ENDPOINT, PHCN_ENDPOINT)
HCN__FAMILY(LoadBalancer, HNS_LOADBALANCER, HCN_LOADBALANCER, PHCN_LOADBALANCER)
HCN__FAMILY(SdnRoute, HNS_SDNROUTE, HCN_SDNROUTE, PHCN_SDNROUTE)

HRESULT WINAPI HcnCreateNetwork(REFGUID Id, PCWSTR Settings, PHCN_NETWORK Network, PWSTR *ErrorRecord) {
  return hcn__create(HNS_NETWORK, NULL, Id, Settings, Network, ErrorRecord);
}

HRESULT WINAPI HcnCreateNamespace(REFGUID Id, PCWSTR Settings, PHCN_NAMESPACE Namespace, PWSTR *ErrorRecord) {
  return hcn__create(HNS_NAMESPACE, NULL, Id, Settings, Namespace, ErrorRecord);
}

/* The network handle is the endpoint's parent (hns_create's `parent`). */
HRESULT WINAPI HcnCreateEndpoint(HCN_NETWORK Network, REFGUID Id, PCWSTR Settings, PHCN_ENDPOINT Endpoint,
                                 PWSTR *ErrorRecord) {
  return hcn__create(HNS_ENDPOINT, Network, Id, Settings, Endpoint, ErrorRecord);
}

HRESULT WINAPI HcnCreateLoadBalancer(REFGUID Id, PCWSTR Settings, PHCN_LOADBALANCER LoadBalancer,
                                     PWSTR *ErrorRecord) {
  return hcn__create(HNS_LOADBALANCER, NULL, Id, Settings, LoadBalancer, ErrorRecord);
}

HRESULT WINAPI HcnCreateSdnRoute(REFGUID Id, PCWSTR Settings, PHCN_SDNROUTE Route, PWSTR *ErrorRecord) {
  return hcn__create(HNS_SDNROUTE, NULL, Id, Settings, Route, ErrorRecord);
}

/* ---- Service notifications ---------------------------------------------- */

/* An HCN_CALLBACK: the caller's callback and context, and the hns_ callback
 * that calls them through hcn__notify. */
typedef struct hcn__callback {
  HCN_NOTIFICATION_CALLBACK fn;
  void *context;
  hns_callback *inner;
} hcn__callback;

/* The data lives as UTF-16 for the duration of the call only, as the
 * PCWSTR's does on Windows. If it cannot be converted (memory) the callback
 * still runs, with NULL data. Touches nothing of cb after the call, so the
 * callback may unregister itself. */
static void hcn__notify(uint32_t type, void *context, hns_hr status, const char *data) {
  const hcn__callback *cb = context;
  WCHAR *w = NULL;
  if (data) (void)hcn_utf8_to_utf16(data, NULL, &w);
  cb->fn((DWORD)type, cb->context, (HRESULT)status, w);
  free(w);
}

/* (inferred) A NULL callback is E_INVALIDARG; the handle out-pointer is
 * _Outptr_, so NULL there is E_POINTER. No ErrorRecord in this signature. */
HRESULT WINAPI HcnRegisterServiceCallback(HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                          HCN_CALLBACK *CallbackHandle) {
  if (!CallbackHandle) return E_POINTER;
  *CallbackHandle = NULL;
  if (!Callback) return E_INVALIDARG;
  hns_service *svc;
  HRESULT hr = hcn__svc(&svc);
  if (FAILED(hr)) return hr;
  hcn__callback *cb = malloc(sizeof *cb);
  if (!cb) return E_OUTOFMEMORY;
  cb->fn = Callback;
  cb->context = Context;
  cb->inner = NULL;
  hr = hns_register_service_callback(svc, hcn__notify, cb, &cb->inner);
  if (FAILED(hr)) {
    free(cb);
    return hr;
  }
  *CallbackHandle = cb;
  return hr;
}

HRESULT WINAPI HcnUnregisterServiceCallback(HCN_CALLBACK CallbackHandle) {
  hcn__callback *cb = CallbackHandle;
  if (!cb) return E_HANDLE;
  HRESULT hr = hns_unregister_service_callback(cb->inner);
  if (SUCCEEDED(hr)) free(cb);
  return hr;
}
