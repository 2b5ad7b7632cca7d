/* computenetwork.h (hnsim, for Linux): the Windows HCN client API, so that C
 * written for Windows against the SDK's computenetwork.h compiles here
 * unchanged except for how it spells wide string literals (use HNSIM_W("...")
 * or TEXT("...") instead of L"...", because wchar_t is 4 bytes on Linux).
 *
 * It owns the Windows names a HCN client uses: the base types (WCHAR is a
 * 16-bit unit, HRESULT a 32-bit signed value, GUID the 16-byte struct), the
 * HRESULT macros and codes, CoTaskMemAlloc/CoTaskMemFree, the HCN handle
 * types, HCN_NOTIFICATIONS and the Hcn* functions. hcn_wide.c implements the
 * functions over one simulated HNS (hns_api.h); hnsim_hcn.h chooses which.
 *
 * Sources: the declarations follow mingw-w64's computenetwork.h (MINGW-REPO,
 * DEB-MINGW in hns-api-facts.md §0), the in/out rules the VDOCS Reference
 * pages' SAL (§1.2), the notification values VDOCS HCN_NOTIFICATIONS.md and
 * windows-rs (§1.3). Conventions (§1.1): every document is UTF-16 JSON;
 * output strings, ErrorRecord included, are the caller's to free with
 * CoTaskMemFree; ErrorRecord may be NULL and is set to NULL on success.
 *
 * Not here (see hcn_wide.c for why): the guest network service functions and
 * port reservations, HcnQueryEndpointStats, HcnQueryEndpointAddresses,
 * HcnRegister/UnregisterNetworkCallback.
 *
 * Meant for non-Windows builds only: on Windows use the SDK's header. */
#ifndef HNSIM_COMPUTENETWORK_H
#define HNSIM_COMPUTENETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "hns_guid.h"
#include "hns_hresult.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Base types (Windows is LLP64: LONG/ULONG/DWORD are 32-bit) --------- */

typedef uint16_t WCHAR; /* UTF-16 code unit; not wchar_t (4 bytes here) */
typedef WCHAR *PWSTR;
typedef const WCHAR *PCWSTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef int32_t HRESULT;
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef int INT;
typedef unsigned int UINT;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint64_t UINT64;
typedef size_t SIZE_T;
typedef void *PVOID;
typedef void *LPVOID;
typedef void *HANDLE;
typedef int BOOL;
#ifndef VOID
#define VOID void
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* GUID is hnsmock's GUID, which has the Windows layout (hns_guid.h). REFGUID
 * is `const GUID *`, as in C on Windows (`const GUID &` only in C++). */
typedef hns_guid GUID;
typedef const GUID *REFGUID;
#ifndef __cplusplus
_Static_assert(sizeof(GUID) == 16, "GUID must be 16 bytes, as on Windows");
#endif

/* Calling conventions: stdcall matters on 32-bit x86 Windows only. */
#ifndef WINAPI
#define WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif

/* A UTF-16 string literal as a `const WCHAR *`: HNSIM_W("Name") is u"Name".
 * In portable code write HNSIM_W("...") and, for the Windows build, define
 * HNSIM_W(s) as L"" s before using it. TEXT() is the same, for programs
 * built with UNICODE defined (every HCN client: the API is wide only). */
#ifndef HNSIM_W
#define HNSIM_W(s) ((const WCHAR *)(u"" s))
#endif
#ifndef TEXT
#define TEXT(s) HNSIM_W(s)
#endif

/* ---- HRESULTs ----------------------------------------------------------- */

#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#define S_OK ((HRESULT)0x00000000)
#define S_FALSE ((HRESULT)0x00000001)
#define E_FAIL ((HRESULT)0x80004005)
#define E_INVALIDARG HNS_E_INVALIDARG
#define E_NOTIMPL HNS_E_NOTIMPL
#define E_OUTOFMEMORY HNS_E_OUTOFMEMORY
#define E_POINTER HNS_E_POINTER
#define E_HANDLE HNS_E_HANDLE
#define E_UNEXPECTED HNS_E_UNEXPECTED
#define E_ACCESSDENIED HNS_E_ACCESSDENIED
/* winerror.h: a Win32 error code as an HRESULT of FACILITY_WIN32 (7). */
#define FACILITY_WIN32 7
#define HRESULT_FROM_WIN32(x) \
  ((HRESULT)(x) <= 0 ? (HRESULT)(x) : (HRESULT)(((uint32_t)(x) & 0x0000FFFFu) | 0x80070000u))
#define ERROR_SUCCESS 0L
#define ERROR_NOT_FOUND 1168L /* HRESULT_FROM_WIN32: 0x80070490, "Element not found." */
#define ERROR_ALREADY_EXISTS 183L
#define ERROR_INVALID_DATA 13L
/* HCN_E_* (facility 0x3B) come from hns_hresult.h with the SDK's names. */

/* ---- COM task memory (combaseapi.h on Windows): frees every output ----- */

LPVOID CoTaskMemAlloc(SIZE_T cb);
void CoTaskMemFree(LPVOID pv);

/* ---- Handles (opaque, void * as in the SDK) ----------------------------- */

typedef void *HCN_NETWORK;
typedef HCN_NETWORK *PHCN_NETWORK;
typedef void *HCN_NAMESPACE;
typedef HCN_NAMESPACE *PHCN_NAMESPACE;
typedef void *HCN_ENDPOINT;
typedef HCN_ENDPOINT *PHCN_ENDPOINT;
typedef void *HCN_LOADBALANCER;
typedef HCN_LOADBALANCER *PHCN_LOADBALANCER;
typedef void *HCN_SERVICE;
typedef HCN_SERVICE *PHCN_SERVICE;
typedef void *HCN_GUESTNETWORKSERVICE;
typedef HCN_GUESTNETWORKSERVICE *PHCN_GUESTNETWORKSERVICE;
typedef void *HCN_CALLBACK;
/* The SDN route handle has no typedef in the SDK (its functions are missing
 * from the header, see below); hcsshim uses a plain handle (`hcnRoute
 * syscall.Handle`, hcn/hcn.go). HCN_SDNROUTE is the name the SDK's own rule
 * gives it: HCN_ + the exports' object name in capitals, as HcnCreateLoadBalancer
 * takes a PHCN_LOADBALANCER. hnsim's name, not Microsoft's. */
typedef void *HCN_SDNROUTE;
typedef HCN_SDNROUTE *PHCN_SDNROUTE;

/* ---- Notifications (VDOCS HCN_NOTIFICATIONS.md; values are hex: 0x10 is
 * 16, confirmed in decimal by windows-rs) -------------------------------- */

typedef enum HCN_NOTIFICATIONS {
  HcnNotificationInvalid = 0x00000000,
  HcnNotificationNetworkPreCreate = 0x00000001,
  HcnNotificationNetworkCreate = 0x00000002,
  HcnNotificationNetworkPreDelete = 0x00000003,
  HcnNotificationNetworkDelete = 0x00000004,
  HcnNotificationNamespaceCreate = 0x00000005,
  HcnNotificationNamespaceDelete = 0x00000006,
  HcnNotificationGuestNetworkServiceCreate = 0x00000007,
  HcnNotificationGuestNetworkServiceDelete = 0x00000008,
  HcnNotificationNetworkEndpointAttached = 0x00000009,
  HcnNotificationNetworkEndpointDetached = 0x00000010,
  HcnNotificationGuestNetworkServiceStateChanged = 0x00000011,
  HcnNotificationGuestNetworkServiceInterfaceStateChanged = 0x00000012,
  HcnNotificationServiceDisconnect = 0x01000000,
  /* 0xF0000000 does not fit a C int enumerator; MSVC stores it as this int
   * anyway, and (DWORD)HcnNotificationFlagsReserved == 0xF0000000. */
  HcnNotificationFlagsReserved = (int)0xF0000000
} HCN_NOTIFICATIONS;

/* NotificationData is JSON {"ID":"<guid>","Flags":0} (WSDOCS "HCN
 * notification schema"), valid only during the call. */
typedef void(CALLBACK *HCN_NOTIFICATION_CALLBACK)(DWORD NotificationType, void *Context,
                                                  HRESULT NotificationStatus, PCWSTR NotificationData);

/* ---- Networks ----------------------------------------------------------- */

HRESULT WINAPI HcnEnumerateNetworks(PCWSTR Query, PWSTR *Networks, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateNetwork(REFGUID Id, PCWSTR Settings, PHCN_NETWORK Network, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenNetwork(REFGUID Id, PHCN_NETWORK Network, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyNetwork(HCN_NETWORK Network, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNetworkProperties(HCN_NETWORK Network, PCWSTR Query, PWSTR *Properties,
                                         PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNetwork(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNetwork(HCN_NETWORK Network);

/* ---- Namespaces --------------------------------------------------------- */

HRESULT WINAPI HcnEnumerateNamespaces(PCWSTR Query, PWSTR *Namespaces, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateNamespace(REFGUID Id, PCWSTR Settings, PHCN_NAMESPACE Namespace, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenNamespace(REFGUID Id, PHCN_NAMESPACE Namespace, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyNamespace(HCN_NAMESPACE Namespace, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNamespaceProperties(HCN_NAMESPACE Namespace, PCWSTR Query, PWSTR *Properties,
                                           PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNamespace(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNamespace(HCN_NAMESPACE Namespace);

/* ---- Endpoints (Create takes the parent network's handle) --------------- */

HRESULT WINAPI HcnEnumerateEndpoints(PCWSTR Query, PWSTR *Endpoints, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateEndpoint(HCN_NETWORK Network, REFGUID Id, PCWSTR Settings, PHCN_ENDPOINT Endpoint,
                                 PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenEndpoint(REFGUID Id, PHCN_ENDPOINT Endpoint, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyEndpoint(HCN_ENDPOINT Endpoint, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointProperties(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Properties,
                                          PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteEndpoint(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseEndpoint(HCN_ENDPOINT Endpoint);

/* ---- Load balancers ----------------------------------------------------- */

HRESULT WINAPI HcnEnumerateLoadBalancers(PCWSTR Query, PWSTR *LoadBalancer, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateLoadBalancer(REFGUID Id, PCWSTR Settings, PHCN_LOADBALANCER LoadBalancer,
                                     PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenLoadBalancer(REFGUID Id, PHCN_LOADBALANCER LoadBalancer, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyLoadBalancer(HCN_LOADBALANCER LoadBalancer, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryLoadBalancerProperties(HCN_LOADBALANCER LoadBalancer, PCWSTR Query, PWSTR *Properties,
                                              PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteLoadBalancer(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseLoadBalancer(HCN_LOADBALANCER LoadBalancer);

/* ---- SDN routes ----------------------------------------------------------
 * Exported by computenetwork.dll and by mingw's libcomputenetwork.a but
 * ABSENT FROM THE SDK HEADER (and so from mingw's header and windows-rs):
 * declared here from hcsshim's hcn/hcn.go //sys lines and SDN hns.v2.psm1
 * (hns-api-facts.md §1.2). hcsshim passes the ID as *GUID; REFGUID is the same
 * pointer in C. hcsshim notes that HNS does not implement modify for routes
 * (hcnroute.go); callers delete and re-create. */

HRESULT WINAPI HcnEnumerateSdnRoutes(PCWSTR Query, PWSTR *Routes, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateSdnRoute(REFGUID Id, PCWSTR Settings, PHCN_SDNROUTE Route, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenSdnRoute(REFGUID Id, PHCN_SDNROUTE Route, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifySdnRoute(HCN_SDNROUTE Route, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQuerySdnRouteProperties(HCN_SDNROUTE Route, PCWSTR Query, PWSTR *Properties,
                                          PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteSdnRoute(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseSdnRoute(HCN_SDNROUTE Route);

/* ---- Service notifications ---------------------------------------------- */

HRESULT WINAPI HcnRegisterServiceCallback(HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                          HCN_CALLBACK *CallbackHandle);
HRESULT WINAPI HcnUnregisterServiceCallback(HCN_CALLBACK CallbackHandle);

#ifdef __cplusplus
}
#endif

#endif /* HNSIM_COMPUTENETWORK_H */
