/* hns_hresult.c: the table of known HRESULTs (value, Windows name, message)
 * and the ErrorRecord JSON built from it.
 *
 * Where the messages come from:
 *  - HCN_E_* / GCN_E_*: the Windows SDK's message table is not public in any
 *    source we can read, but VDOCS Reference/HCNHResult.md gives a description
 *    per code, and every HCN message seen in real output is that description
 *    with a final period:
 *      0x803B0006 "An adapter was not found. " (microsoft/SDN#269,
 *                 kubernetes-sigs/sig-windows-tools#291, ErrorCode 2151350278)
 *      0x803B000D "...invalid or missing parameters." (projectcalico/calico#8465,
 *                 aws/containers-roadmap#240)
 *      0x803B0013 "The specified port already exists." (VDOCS common-problems.md
 *                 @074c6dd9, kubernetes/community#8883)
 *      0x803B0015 "The specified request is unsupported. " (WSL output; SDN
 *                 scripts quote it with HRESULT=2151350293)
 *      0x803B001B "Invalid JSON document string. " (hns.v2.psm1 New-HnsNamespace
 *                 output in mtelvers' hcn-namespace write-up)
 *      0x803B002E "The requested operation for attach namespace failed."
 *                 (projectcalico/calico#5189)
 *      0x803B002F "An address provided is invalid or reserved. "
 *                 (kubernetes-sigs/sig-windows-tools#71, kubernetes#100962)
 *    The others follow the same rule (doc text + "."), which is (inferred);
 *    docs/errors.md marks each one.
 *  - Win32 codes: the system message table's English text, as FormatMessage
 *    returns it (MicrosoftDocs/win32 desktop-src/Debug/system-error-codes--*.md,
 *    which says that is where the texts come from). ERROR_NOT_ENOUGH_MEMORY
 *    and ERROR_OUTOFMEMORY use current Windows' "memory resources" wording
 *    (containernetworking/plugins#613; the docs page still has the older
 *    "Not enough storage is available ..."). Wine's own message file
 *    paraphrases ("Invalid parameter.") and is not a source for these.
 *  - COM codes of FACILITY_NULL: winerror.h's MessageText, which has no final
 *    period ("Not implemented", "Catastrophic failure").
 *
 * The trailing space: FormatMessage ends a system message with "\r\n"; HNS
 * puts the message into the ErrorRecord with that "\r\n" turned into a single
 * space, so every real record reads "...incorrect. ","ErrorCode":...
 * (kubernetes-sigs/sig-windows-tools#249 for E_INVALIDARG; the HCN samples
 * above show the same). hnsmock applies the rule to every message. */
#include "hns_hresult.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hns__hr_entry {
  hns_hr hr;
  const char *name;
  const char *record; /* message + " ", as in an ErrorRecord */
  const char *text;   /* message alone */
} hns__hr_entry;

#define HR(code, name, msg) {code, name, msg " ", msg}

/* Ascending by the code read as unsigned; hns_hr_known_at relies on it. */
static const hns__hr_entry hns__hr_table[] = {
  HR(HNS_S_OK, "S_OK", "The operation completed successfully."),
  /* COM codes of FACILITY_NULL: winerror.h MessageText, without a period. */
  HR(HNS_E_NOTIMPL, "E_NOTIMPL", "Not implemented"),
  HR(HNS_E_POINTER, "E_POINTER", "Invalid pointer"),
  HR(HNS_E_UNEXPECTED, "E_UNEXPECTED", "Catastrophic failure"),
  /* FACILITY_WIN32: FormatMessage gives the Win32 code's text
   * (MicrosoftDocs/win32 system-error-codes pages; wording of 8 and 14 as
   * current Windows prints it, containernetworking/plugins#613). */
  HR(HNS_E_ACCESSDENIED, "E_ACCESSDENIED", "Access is denied."),
  HR(HNS_E_HANDLE, "E_HANDLE", "The handle is invalid."),
  HR(HNS_E_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY",
     "Not enough memory resources are available to process this command."),
  HR(HNS_E_INVALID_DATA, "ERROR_INVALID_DATA", "The data is invalid."),
  HR(HNS_E_OUTOFMEMORY, "E_OUTOFMEMORY",
     "Not enough memory resources are available to complete this operation."),
  HR(HNS_E_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED", "The request is not supported."),
  /* The one real sample of a whole ErrorRecord (sig-windows-tools#249). */
  HR(HNS_E_INVALIDARG, "E_INVALIDARG", "The parameter is incorrect."),
  /* What a lazily loaded computenetwork.dll gives on builds without it
   * (hcsshim hcn/zsyscall_windows.go: NewLazySystemDLL, proc.Find()). */
  HR(HNS_E_MOD_NOT_FOUND, "ERROR_MOD_NOT_FOUND", "The specified module could not be found."),
  /* kubernetes#139519: network create after an HNS restart. */
  HR(HNS_E_ALREADY_EXISTS, "ERROR_ALREADY_EXISTS",
     "Cannot create a file when that file already exists."),
  /* hcsshim IsElementNotFoundError; antrea#2301, moby#34696. */
  HR(HNS_E_ELEMENT_NOT_FOUND, "ERROR_NOT_FOUND", "Element not found."),
  HR(HNS_E_TIMEOUT, "ERROR_TIMEOUT", "This operation returned because the timeout period expired."),
  /* VDOCS Reference/HCNHResult.md; see the file comment for which texts were
   * seen in real output. */
  HR(HCN_E_NETWORK_NOT_FOUND, "HCN_E_NETWORK_NOT_FOUND", "The network was not found."),
  HR(HCN_E_ENDPOINT_NOT_FOUND, "HCN_E_ENDPOINT_NOT_FOUND", "The endpoint was not found."),
  HR(HCN_E_LAYER_NOT_FOUND, "HCN_E_LAYER_NOT_FOUND", "The network's underlying layer was not found."),
  HR(HCN_E_SWITCH_NOT_FOUND, "HCN_E_SWITCH_NOT_FOUND", "The virtual switch was not found."),
  HR(HCN_E_SUBNET_NOT_FOUND, "HCN_E_SUBNET_NOT_FOUND",
     "The network does not have a subnet for this endpoint."),
  HR(HCN_E_ADAPTER_NOT_FOUND, "HCN_E_ADAPTER_NOT_FOUND", "An adapter was not found."),
  HR(HCN_E_PORT_NOT_FOUND, "HCN_E_PORT_NOT_FOUND", "The switch-port was not found."),
  HR(HCN_E_POLICY_NOT_FOUND, "HCN_E_POLICY_NOT_FOUND", "An expected policy was not found."),
  HR(HCN_E_VFP_PORTSETTING_NOT_FOUND, "HCN_E_VFP_PORTSETTING_NOT_FOUND",
     "A required VFP port setting was not found."),
  HR(HCN_E_INVALID_NETWORK, "HCN_E_INVALID_NETWORK",
     "The provided network configuration is invalid or missing parameters."),
  HR(HCN_E_INVALID_NETWORK_TYPE, "HCN_E_INVALID_NETWORK_TYPE", "Invalid network type."),
  HR(HCN_E_INVALID_ENDPOINT, "HCN_E_INVALID_ENDPOINT",
     "The provided endpoint configuration is invalid or missing parameters."),
  HR(HCN_E_INVALID_POLICY, "HCN_E_INVALID_POLICY",
     "The provided policy configuration is invalid or missing parameters."),
  HR(HCN_E_INVALID_POLICY_TYPE, "HCN_E_INVALID_POLICY_TYPE", "Invalid policy type."),
  HR(HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION, "HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION",
     "This requested operation is invalid for a remote endpoint."),
  HR(HCN_E_NETWORK_ALREADY_EXISTS, "HCN_E_NETWORK_ALREADY_EXISTS",
     "A network with this name already exists."),
  /* The docs give 0x11 the same text as 0x10 (a copy-paste there or in the
   * SDK); kept as published. */
  HR(HCN_E_LAYER_ALREADY_EXISTS, "HCN_E_LAYER_ALREADY_EXISTS",
     "A network with this name already exists."),
  HR(HCN_E_POLICY_ALREADY_EXISTS, "HCN_E_POLICY_ALREADY_EXISTS",
     "Policy information already exists on this object."),
  HR(HCN_E_PORT_ALREADY_EXISTS, "HCN_E_PORT_ALREADY_EXISTS", "The specified port already exists."),
  HR(HCN_E_ENDPOINT_ALREADY_ATTACHED, "HCN_E_ENDPOINT_ALREADY_ATTACHED",
     "This endpoint is already attached to the switch."),
  HR(HCN_E_REQUEST_UNSUPPORTED, "HCN_E_REQUEST_UNSUPPORTED", "The specified request is unsupported."),
  HR(HCN_E_MAPPING_NOT_SUPPORTED, "HCN_E_MAPPING_NOT_SUPPORTED",
     "Port mapping is not supported on the given network."),
  HR(HCN_E_DEGRADED_OPERATION, "HCN_E_DEGRADED_OPERATION",
     "There was an operation attempted on a degraded object."),
  HR(HCN_E_SHARED_SWITCH_MODIFICATION, "HCN_E_SHARED_SWITCH_MODIFICATION",
     "Cannot modify a switch shared by multiple networks."),
  HR(HCN_E_GUID_CONVERSION_FAILURE, "HCN_E_GUID_CONVERSION_FAILURE",
     "Failed to interpret a parameter as a GUID."),
  HR(HCN_E_REGKEY_FAILURE, "HCN_E_REGKEY_FAILURE", "Failed to process registry key."),
  HR(HCN_E_INVALID_JSON, "HCN_E_INVALID_JSON", "Invalid JSON document string."),
  HR(HCN_E_INVALID_JSON_REFERENCE, "HCN_E_INVALID_JSON_REFERENCE",
     "The reference is invalid in the JSON document."),
  HR(HCN_E_ENDPOINT_SHARING_DISABLED, "HCN_E_ENDPOINT_SHARING_DISABLED",
     "Endpoint sharing is disabled."),
  HR(HCN_E_INVALID_IP, "HCN_E_INVALID_IP",
     "IP address is either invalid or not part of any configured subnet(s)."),
  HR(HCN_E_SWITCH_EXTENSION_NOT_FOUND, "HCN_E_SWITCH_EXTENSION_NOT_FOUND",
     "The specified switch extension does not exist on this switch."),
  HR(HCN_E_MANAGER_STOPPED, "HCN_E_MANAGER_STOPPED",
     "Operation cannot be performed while service is stopping."),
  HR(GCN_E_MODULE_NOT_FOUND, "GCN_E_MODULE_NOT_FOUND",
     "Operation cannot be performed while service module not found."),
  HR(GCN_E_NO_REQUEST_HANDLERS, "GCN_E_NO_REQUEST_HANDLERS",
     "Request Handlers not present to handle the JSON request."),
  HR(GCN_E_REQUEST_UNSUPPORTED, "GCN_E_REQUEST_UNSUPPORTED", "The specified request is unsupported."),
  HR(GCN_E_RUNTIMEKEYS_FAILED, "GCN_E_RUNTIMEKEYS_FAILED", "Add runtime keys to container failed."),
  HR(GCN_E_NETADAPTER_TIMEOUT, "GCN_E_NETADAPTER_TIMEOUT",
     "Timeout while waiting for network adapter with the given instance id."),
  HR(GCN_E_NETADAPTER_NOT_FOUND, "GCN_E_NETADAPTER_NOT_FOUND",
     "Network adapter not found for the given instance id."),
  HR(GCN_E_NETCOMPARTMENT_NOT_FOUND, "GCN_E_NETCOMPARTMENT_NOT_FOUND",
     "Network compartment not found for the given id."),
  HR(GCN_E_NETINTERFACE_NOT_FOUND, "GCN_E_NETINTERFACE_NOT_FOUND",
     "Network interface not found for the given id."),
  HR(GCN_E_DEFAULTNAMESPACE_EXISTS, "GCN_E_DEFAULTNAMESPACE_EXISTS",
     "Default Namespace already exists."),
  HR(HCN_E_ICS_DISABLED, "HCN_E_ICS_DISABLED",
     "Internet Connection Sharing service (SharedAccess) is disabled and cannot be started."),
  HR(HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS",
     "This requested operation is invalid as endpoint is already part of a network namespace."),
  HR(HCN_E_ENTITY_HAS_REFERENCES, "HCN_E_ENTITY_HAS_REFERENCES",
     "The specified entity cannot be removed while it still has references."),
  HR(HCN_E_INVALID_INTERNAL_PORT, "HCN_E_INVALID_INTERNAL_PORT",
     "The internal port must exist and cannot be zero."),
  HR(HCN_E_NAMESPACE_ATTACH_FAILED, "HCN_E_NAMESPACE_ATTACH_FAILED",
     "The requested operation for attach namespace failed."),
  HR(HCN_E_ADDR_INVALID_OR_RESERVED, "HCN_E_ADDR_INVALID_OR_RESERVED",
     "An address provided is invalid or reserved."),
  HR(HCN_E_INVALID_PREFIX, "HCN_E_INVALID_PREFIX", "The prefix provided is invalid."),
  HR(HCN_E_OBJECT_USED_AFTER_UNLOAD, "HCN_E_OBJECT_USED_AFTER_UNLOAD",
     "A call was performed against an object that was torn down."),
  HR(HCN_E_INVALID_SUBNET, "HCN_E_INVALID_SUBNET",
     "The provided subnet configuration is invalid or missing parameters."),
  /* The docs read "he provided IP subnet ..."; the dropped "T" is taken for
   * a typo in the page (inferred). */
  HR(HCN_E_INVALID_IP_SUBNET, "HCN_E_INVALID_IP_SUBNET",
     "The provided IP subnet configuration is invalid or missing parameters."),
  HR(HCN_E_ENDPOINT_NOT_ATTACHED, "HCN_E_ENDPOINT_NOT_ATTACHED",
     "The endpoint must be attached to complete the operation."),
  HR(HCN_E_ENDPOINT_NOT_LOCAL, "HCN_E_ENDPOINT_NOT_LOCAL",
     "The endpoint must be local to complete the operation."),
  HR(HCN_INTERFACEPARAMETERS_ALREADY_APPLIED, "HCN_INTERFACEPARAMETERS_ALREADY_APPLIED",
     "Cannot apply more than one InterfaceParameters policy."),
  HR(HCN_E_VFP_NOT_ALLOWED, "HCN_E_VFP_NOT_ALLOWED",
     "A network of this type can not be created because VFP is not available."),
};

#define HNS__HR_COUNT (sizeof hns__hr_table / sizeof hns__hr_table[0])

static const hns__hr_entry *hns__hr_find(hns_hr hr) {
  for (size_t i = 0; i < HNS__HR_COUNT; i++)
    if (hns__hr_table[i].hr == hr) return &hns__hr_table[i];
  return NULL;
}

const char *hns_hr_name(hns_hr hr) {
  const hns__hr_entry *e = hns__hr_find(hr);
  return e ? e->name : NULL;
}

const char *hns_hr_message(hns_hr hr) {
  const hns__hr_entry *e = hns__hr_find(hr);
  return e ? e->record : NULL;
}

const char *hns_hr_text(hns_hr hr) {
  const hns__hr_entry *e = hns__hr_find(hr);
  return e ? e->text : NULL;
}

/* An unknown code has no FormatMessage text, so there is no "\r\n" to turn
 * into a space; the wording is ours (inferred: what HNS writes for a code
 * without a message is not documented). */
void hns_hr_describe(hns_hr hr, char *buf, size_t len) {
  if (!buf || len == 0) return;
  const char *m = hns_hr_message(hr);
  if (m)
    snprintf(buf, len, "%s", m);
  else
    snprintf(buf, len, "Unknown error 0x%08X", (unsigned)(uint32_t)hr);
}

/* Length of s written as the inside of a JSON string. Bytes >= 0x80 pass
 * through (UTF-8 stays UTF-8); control bytes become escapes. */
static size_t hns__json_escaped_len(const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\' || *p == '\b' || *p == '\f' || *p == '\n' || *p == '\r' ||
        *p == '\t')
      n += 2;
    else if (*p < 0x20)
      n += 6;
    else
      n += 1;
  }
  return n;
}

static char *hns__json_escape_into(char *out, const char *s) {
  static const char hex[] = "0123456789abcdef";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': *out++ = '\\'; *out++ = '"'; break;
    case '\\': *out++ = '\\'; *out++ = '\\'; break;
    case '\b': *out++ = '\\'; *out++ = 'b'; break;
    case '\f': *out++ = '\\'; *out++ = 'f'; break;
    case '\n': *out++ = '\\'; *out++ = 'n'; break;
    case '\r': *out++ = '\\'; *out++ = 'r'; break;
    case '\t': *out++ = '\\'; *out++ = 't'; break;
    default:
      if (*p < 0x20) {
        memcpy(out, "\\u00", 4);
        out[4] = hex[*p >> 4];
        out[5] = hex[*p & 0xF];
        out += 6;
      } else {
        *out++ = (char)*p;
      }
    }
  }
  return out;
}

/* Built by hand rather than with cJSON so that the bytes are fixed: key
 * order, no spaces, and ErrorCode as an exact unsigned integer (cJSON keeps
 * numbers as doubles). The layout is the real one (WSDOCS "Result error
 * schema"; sig-windows-tools#249 sample). */
char *hns_error_record_detail(hns_hr hr, const char *detail) {
  static const char head[] = "{\"Success\":false,\"Error\":\"";
  char msg[64];
  const char *m = hns_hr_message(hr);
  if (!m) {
    hns_hr_describe(hr, msg, sizeof msg);
    m = msg;
  }
  if (!detail) detail = "";
  char code[32];
  int codelen = snprintf(code, sizeof code, "\",\"ErrorCode\":%lu}",
                         (unsigned long)(uint32_t)hr);
  size_t total = (sizeof head - 1) + hns__json_escaped_len(m) + hns__json_escaped_len(detail) +
                 (size_t)codelen + 1;
  char *out = malloc(total);
  if (!out) return NULL;
  char *p = out;
  memcpy(p, head, sizeof head - 1);
  p += sizeof head - 1;
  p = hns__json_escape_into(p, m);
  p = hns__json_escape_into(p, detail);
  memcpy(p, code, (size_t)codelen + 1);
  return out;
}

char *hns_error_record(hns_hr hr) { return hns_error_record_detail(hr, NULL); }

/* winerror.h HRESULT_FROM_WIN32: (x <= 0) ? x : (x & 0xFFFF) | 0x80070000. */
hns_hr hns_hr_from_win32(uint32_t code) {
  if ((int32_t)code <= 0) return (hns_hr)code;
  return (hns_hr)((code & 0xFFFFu) | 0x80070000u);
}

/* hcsshim (internal/hcserror) prints "%s (0x%x)" with the Errno it got from
 * the syscall layer, which for a FACILITY_WIN32 HRESULT is the Win32 code:
 * E_INVALIDARG shows as "(0x57)" (sig-windows-tools#249) while HCN codes
 * show whole ("(0x803b002f)", sig-windows-tools#71). */
uint32_t hns_hr_win32_code(hns_hr hr) {
  uint32_t u = (uint32_t)hr;
  if ((u & 0xFFFF0000u) == 0x80070000u) return u & 0xFFFFu;
  return u;
}

size_t hns_hr_known_count(void) { return HNS__HR_COUNT; }

hns_hr hns_hr_known_at(size_t i) { return i < HNS__HR_COUNT ? hns__hr_table[i].hr : HNS_S_OK; }
