/* hns_hresult.h: the HRESULTs hnsmock returns, their Windows names, the
 * messages HNS gives for them, and the ErrorRecord JSON a failing HCN call
 * hands back.
 *
 * Values: HCN facility 0x3B codes from VDOCS Reference/HCNHResult.md (also in
 * GOSYS zerrors_windows.go for 0x01..0x20 and 0x2A..0x2F); the Win32 and COM
 * codes clients check from hns-api-facts.md §2.2. Messages and where each one
 * comes from: docs/errors.md.
 *
 * Invariants: every code defined here has a name and a message (tests check
 * it); nothing here allocates except hns_error_record*, and nothing keeps
 * state. */
#ifndef HNS_HRESULT_H
#define HNS_HRESULT_H
#include <stddef.h>
#include <stdint.h>

/* An HRESULT: negative is failure, as on Windows (HRESULT is a signed long). */
typedef int32_t hns_hr;

#define HNS_SUCCEEDED(hr) ((hns_hr)(hr) >= 0)
#define HNS_FAILED(hr) ((hns_hr)(hr) < 0)

#define HNS_S_OK ((hns_hr)0x00000000)

/* Win32 and COM codes that HCN clients test for (hns-api-facts.md §2.2). The
 * HNS_ prefix keeps them apart from a Windows header's E_* macros. */
#define HNS_E_INVALIDARG        ((hns_hr)0x80070057) /* E_INVALIDARG */
#define HNS_E_NOTIMPL           ((hns_hr)0x80004001) /* E_NOTIMPL */
#define HNS_E_OUTOFMEMORY       ((hns_hr)0x8007000E) /* E_OUTOFMEMORY */
#define HNS_E_POINTER           ((hns_hr)0x80004003) /* E_POINTER */
#define HNS_E_HANDLE            ((hns_hr)0x80070006) /* E_HANDLE */
#define HNS_E_UNEXPECTED        ((hns_hr)0x8000FFFF) /* E_UNEXPECTED */
#define HNS_E_ACCESSDENIED      ((hns_hr)0x80070005) /* E_ACCESSDENIED */
#define HNS_E_ELEMENT_NOT_FOUND ((hns_hr)0x80070490) /* HRESULT_FROM_WIN32(ERROR_NOT_FOUND) */
#define HNS_E_INVALID_DATA      ((hns_hr)0x8007000D) /* HRESULT_FROM_WIN32(ERROR_INVALID_DATA) */
#define HNS_E_ALREADY_EXISTS    ((hns_hr)0x800700B7) /* HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS) */
#define HNS_E_NOT_ENOUGH_MEMORY ((hns_hr)0x80070008) /* HRESULT_FROM_WIN32(ERROR_NOT_ENOUGH_MEMORY) */
#define HNS_E_NOT_SUPPORTED     ((hns_hr)0x80070032) /* HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED) */
#define HNS_E_TIMEOUT           ((hns_hr)0x800705B4) /* HRESULT_FROM_WIN32(ERROR_TIMEOUT) */
#define HNS_E_MOD_NOT_FOUND     ((hns_hr)0x8007007E) /* HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND) */

/* HCN facility 0x3B, with the Windows SDK's names so that our Linux
 * computenetwork.h can re-export them. Each is guarded: a Windows header that
 * already defines one (newer SDKs' winerror.h do) wins, with the same value.
 * Debian 12's mingw-w64 winerror.h has none of them (hns-api-facts.md §1.4).
 * Beware third-party copies with wrong values: ENDPOINT_NOT_FOUND is 0x...02. */
#ifndef HCN_E_NETWORK_NOT_FOUND
#define HCN_E_NETWORK_NOT_FOUND ((hns_hr)0x803B0001)
#endif
#ifndef HCN_E_ENDPOINT_NOT_FOUND
#define HCN_E_ENDPOINT_NOT_FOUND ((hns_hr)0x803B0002)
#endif
#ifndef HCN_E_LAYER_NOT_FOUND
#define HCN_E_LAYER_NOT_FOUND ((hns_hr)0x803B0003)
#endif
#ifndef HCN_E_SWITCH_NOT_FOUND
#define HCN_E_SWITCH_NOT_FOUND ((hns_hr)0x803B0004)
#endif
#ifndef HCN_E_SUBNET_NOT_FOUND
#define HCN_E_SUBNET_NOT_FOUND ((hns_hr)0x803B0005)
#endif
#ifndef HCN_E_ADAPTER_NOT_FOUND
#define HCN_E_ADAPTER_NOT_FOUND ((hns_hr)0x803B0006)
#endif
#ifndef HCN_E_PORT_NOT_FOUND
#define HCN_E_PORT_NOT_FOUND ((hns_hr)0x803B0007)
#endif
#ifndef HCN_E_POLICY_NOT_FOUND
#define HCN_E_POLICY_NOT_FOUND ((hns_hr)0x803B0008)
#endif
#ifndef HCN_E_VFP_PORTSETTING_NOT_FOUND
#define HCN_E_VFP_PORTSETTING_NOT_FOUND ((hns_hr)0x803B0009)
#endif
#ifndef HCN_E_INVALID_NETWORK
#define HCN_E_INVALID_NETWORK ((hns_hr)0x803B000A)
#endif
#ifndef HCN_E_INVALID_NETWORK_TYPE
#define HCN_E_INVALID_NETWORK_TYPE ((hns_hr)0x803B000B)
#endif
#ifndef HCN_E_INVALID_ENDPOINT
#define HCN_E_INVALID_ENDPOINT ((hns_hr)0x803B000C)
#endif
#ifndef HCN_E_INVALID_POLICY
#define HCN_E_INVALID_POLICY ((hns_hr)0x803B000D)
#endif
#ifndef HCN_E_INVALID_POLICY_TYPE
#define HCN_E_INVALID_POLICY_TYPE ((hns_hr)0x803B000E)
#endif
#ifndef HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION
#define HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION ((hns_hr)0x803B000F)
#endif
#ifndef HCN_E_NETWORK_ALREADY_EXISTS
#define HCN_E_NETWORK_ALREADY_EXISTS ((hns_hr)0x803B0010)
#endif
#ifndef HCN_E_LAYER_ALREADY_EXISTS
#define HCN_E_LAYER_ALREADY_EXISTS ((hns_hr)0x803B0011)
#endif
#ifndef HCN_E_POLICY_ALREADY_EXISTS
#define HCN_E_POLICY_ALREADY_EXISTS ((hns_hr)0x803B0012)
#endif
#ifndef HCN_E_PORT_ALREADY_EXISTS
#define HCN_E_PORT_ALREADY_EXISTS ((hns_hr)0x803B0013)
#endif
#ifndef HCN_E_ENDPOINT_ALREADY_ATTACHED
#define HCN_E_ENDPOINT_ALREADY_ATTACHED ((hns_hr)0x803B0014)
#endif
#ifndef HCN_E_REQUEST_UNSUPPORTED
#define HCN_E_REQUEST_UNSUPPORTED ((hns_hr)0x803B0015)
#endif
#ifndef HCN_E_MAPPING_NOT_SUPPORTED
#define HCN_E_MAPPING_NOT_SUPPORTED ((hns_hr)0x803B0016)
#endif
#ifndef HCN_E_DEGRADED_OPERATION
#define HCN_E_DEGRADED_OPERATION ((hns_hr)0x803B0017)
#endif
#ifndef HCN_E_SHARED_SWITCH_MODIFICATION
#define HCN_E_SHARED_SWITCH_MODIFICATION ((hns_hr)0x803B0018)
#endif
#ifndef HCN_E_GUID_CONVERSION_FAILURE
#define HCN_E_GUID_CONVERSION_FAILURE ((hns_hr)0x803B0019)
#endif
#ifndef HCN_E_REGKEY_FAILURE
#define HCN_E_REGKEY_FAILURE ((hns_hr)0x803B001A)
#endif
#ifndef HCN_E_INVALID_JSON
#define HCN_E_INVALID_JSON ((hns_hr)0x803B001B)
#endif
#ifndef HCN_E_INVALID_JSON_REFERENCE
#define HCN_E_INVALID_JSON_REFERENCE ((hns_hr)0x803B001C)
#endif
#ifndef HCN_E_ENDPOINT_SHARING_DISABLED
#define HCN_E_ENDPOINT_SHARING_DISABLED ((hns_hr)0x803B001D)
#endif
#ifndef HCN_E_INVALID_IP
#define HCN_E_INVALID_IP ((hns_hr)0x803B001E)
#endif
#ifndef HCN_E_SWITCH_EXTENSION_NOT_FOUND
#define HCN_E_SWITCH_EXTENSION_NOT_FOUND ((hns_hr)0x803B001F)
#endif
#ifndef HCN_E_MANAGER_STOPPED
#define HCN_E_MANAGER_STOPPED ((hns_hr)0x803B0020)
#endif
#ifndef GCN_E_MODULE_NOT_FOUND
#define GCN_E_MODULE_NOT_FOUND ((hns_hr)0x803B0021)
#endif
#ifndef GCN_E_NO_REQUEST_HANDLERS
#define GCN_E_NO_REQUEST_HANDLERS ((hns_hr)0x803B0022)
#endif
#ifndef GCN_E_REQUEST_UNSUPPORTED
#define GCN_E_REQUEST_UNSUPPORTED ((hns_hr)0x803B0023)
#endif
#ifndef GCN_E_RUNTIMEKEYS_FAILED
#define GCN_E_RUNTIMEKEYS_FAILED ((hns_hr)0x803B0024)
#endif
#ifndef GCN_E_NETADAPTER_TIMEOUT
#define GCN_E_NETADAPTER_TIMEOUT ((hns_hr)0x803B0025)
#endif
#ifndef GCN_E_NETADAPTER_NOT_FOUND
#define GCN_E_NETADAPTER_NOT_FOUND ((hns_hr)0x803B0026)
#endif
#ifndef GCN_E_NETCOMPARTMENT_NOT_FOUND
#define GCN_E_NETCOMPARTMENT_NOT_FOUND ((hns_hr)0x803B0027)
#endif
#ifndef GCN_E_NETINTERFACE_NOT_FOUND
#define GCN_E_NETINTERFACE_NOT_FOUND ((hns_hr)0x803B0028)
#endif
#ifndef GCN_E_DEFAULTNAMESPACE_EXISTS
#define GCN_E_DEFAULTNAMESPACE_EXISTS ((hns_hr)0x803B0029)
#endif
#ifndef HCN_E_ICS_DISABLED
#define HCN_E_ICS_DISABLED ((hns_hr)0x803B002A)
#endif
#ifndef HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS
#define HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS ((hns_hr)0x803B002B)
#endif
#ifndef HCN_E_ENTITY_HAS_REFERENCES
#define HCN_E_ENTITY_HAS_REFERENCES ((hns_hr)0x803B002C)
#endif
#ifndef HCN_E_INVALID_INTERNAL_PORT
#define HCN_E_INVALID_INTERNAL_PORT ((hns_hr)0x803B002D)
#endif
#ifndef HCN_E_NAMESPACE_ATTACH_FAILED
#define HCN_E_NAMESPACE_ATTACH_FAILED ((hns_hr)0x803B002E)
#endif
#ifndef HCN_E_ADDR_INVALID_OR_RESERVED
#define HCN_E_ADDR_INVALID_OR_RESERVED ((hns_hr)0x803B002F)
#endif
#ifndef HCN_E_INVALID_PREFIX
#define HCN_E_INVALID_PREFIX ((hns_hr)0x803B0030)
#endif
#ifndef HCN_E_OBJECT_USED_AFTER_UNLOAD
#define HCN_E_OBJECT_USED_AFTER_UNLOAD ((hns_hr)0x803B0031)
#endif
#ifndef HCN_E_INVALID_SUBNET
#define HCN_E_INVALID_SUBNET ((hns_hr)0x803B0032)
#endif
#ifndef HCN_E_INVALID_IP_SUBNET
#define HCN_E_INVALID_IP_SUBNET ((hns_hr)0x803B0033)
#endif
#ifndef HCN_E_ENDPOINT_NOT_ATTACHED
#define HCN_E_ENDPOINT_NOT_ATTACHED ((hns_hr)0x803B0034)
#endif
#ifndef HCN_E_ENDPOINT_NOT_LOCAL
#define HCN_E_ENDPOINT_NOT_LOCAL ((hns_hr)0x803B0035)
#endif
#ifndef HCN_INTERFACEPARAMETERS_ALREADY_APPLIED /* sic: no _E_ (VDOCS HCNHResult.md) */
#define HCN_INTERFACEPARAMETERS_ALREADY_APPLIED ((hns_hr)0x803B0036)
#endif
#ifndef HCN_E_VFP_NOT_ALLOWED
#define HCN_E_VFP_NOT_ALLOWED ((hns_hr)0x803B0037)
#endif

/* The Windows name of a code ("HCN_E_NETWORK_NOT_FOUND", "E_INVALIDARG",
 * "ERROR_NOT_FOUND", "S_OK"), or NULL if hnsmock does not know it. */
const char *hns_hr_name(hns_hr hr);

/* The message exactly as HNS writes it into an ErrorRecord's "Error": the
 * FormatMessage text with its trailing "\r\n" turned into one space ("The
 * parameter is incorrect. "). NULL if the code is unknown. */
const char *hns_hr_message(hns_hr hr);

/* The same message without that trailing space, as clients print it
 * (hcsshim: "hcnCreateNetwork failed in Win32: The parameter is incorrect.
 * (0x57)"). NULL if the code is unknown. */
const char *hns_hr_text(hns_hr hr);

/* What hns_error_record puts in "Error": hns_hr_message for a known code,
 * "Unknown error 0x803B00FF" for another. Always NUL-terminated when len > 0
 * (truncated to fit); does nothing when buf is NULL or len is 0. */
void hns_hr_describe(hns_hr hr, char *buf, size_t len);

/* {"Success":false,"Error":"<hns_hr_describe>","ErrorCode":<hr as unsigned
 * decimal>}, keys in that order, malloc'd; the caller frees it. NULL when
 * memory runs out. Meant for failures: on success an HCN call leaves its
 * ErrorRecord NULL, because hcsshim treats any non-empty record as an error. */
char *hns_error_record(hns_hr hr);

/* The same, with detail appended to the message, as HNS does when it knows
 * more ("Invalid JSON document string. {{CreateWithCompartment,UnknownField}}").
 * detail NULL or "" gives hns_error_record(hr). Any bytes are escaped. */
char *hns_error_record_detail(hns_hr hr, const char *detail);

/* HRESULT_FROM_WIN32: 0 stays 0, a Win32 code becomes 0x8007xxxx, a value
 * that is already an HRESULT (negative) is kept. */
hns_hr hns_hr_from_win32(uint32_t code);

/* The number hcsshim prints in "(0x...)": the Win32 code for facility 7
 * (E_INVALIDARG prints as 0x57), else the HRESULT as unsigned. */
uint32_t hns_hr_win32_code(hns_hr hr);

/* Every code this module knows, in ascending unsigned order: for tables,
 * fault-injection menus and tests. i >= hns_hr_known_count() gives HNS_S_OK. */
size_t hns_hr_known_count(void);
hns_hr hns_hr_known_at(size_t i);

#endif
