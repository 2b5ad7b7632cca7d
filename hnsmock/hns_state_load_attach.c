/* hns_state_load_attach.c: where a loaded endpoint is attached, made true
 * through the calls that attach one (hns_state_load.h). A state document
 * carries no namespaces and no container list of its own; it says where an
 * endpoint is through three fields beside the create document:
 *
 *  - HostComputeNamespace (read-only on create, hns_doc.c): the endpoint is
 *    added to that namespace with a ModifyNamespaceSettingRequest, as
 *    containerd does (hcsshim AddNamespaceEndpoint). The namespace is
 *    created with that ID, Type HostDefault (what containerd's CRI makes for
 *    a pod), on its first endpoint. Its NamespaceId, the "ns<N>" of the
 *    compartment in traces, is not in the state: namespaces get 2, 3, ... in
 *    the order the endpoints first name them, as hnsmock numbers
 *    compartments (inferred; the recorded host may have numbered them
 *    otherwise).
 *  - Health.Extra.SharedContainers (hns_v1_attach.c): the first container
 *    through HNSCall's POST /endpoints/<id>/attach, the others through HCS's
 *    hot attach, as dockershim shared a pause container's endpoint. An
 *    endpoint in a namespace as well (a real containerd pod lists its
 *    containers too) stays in the namespace only: its containers joined the
 *    namespace, which the load cannot replay (inferred).
 *  - State, the v1 view's EndpointState that hns_check_state copies in
 *    (1 created, 2 attached, 3 attached sharing, 4 detached): with neither
 *    of the above, 2 is taken for an attach to the host compartment (POST
 *    /endpoints/<id>/attach {"SystemType":"Host"}, the host vNIC endpoint
 *    of the SDN scripts); a VM NIC attach reads the same and is not told
 *    apart (inferred). 4 is an attach to the host and its detach, so the
 *    endpoint reads "detached" again. Remote endpoints are never attached.
 *
 * State is HNS's to set: it is taken out of the create document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_state_load_int.h"
#include "hns_v1.h"

enum { STATE_ATTACHED = 2, STATE_DETACHED = 4 };

void hns__sl_attach_free(hns__sl_attach *a) {
  cJSON_Delete(a->ns_id);
  cJSON_Delete(a->containers);
  memset(a, 0, sizeof *a);
}

/* Health.Extra.SharedContainers out of doc; Extra and Health go when that
 * leaves them empty, as hns_v1_attach.c drops what it made. */
static cJSON *take_containers(cJSON *doc) {
  cJSON *health = cJSON_GetObjectItem(doc, "Health");
  cJSON *extra = cJSON_IsObject(health) ? cJSON_GetObjectItem(health, "Extra") : NULL;
  cJSON *list = cJSON_IsObject(extra) ? cJSON_DetachItemFromObject(extra, "SharedContainers") : NULL;
  if (list && !extra->child) cJSON_DeleteItemFromObject(health, "Extra");
  if (list && !health->child) cJSON_DeleteItemFromObject(doc, "Health");
  return list;
}

hns_hr hns__sl_endpoint_split(hns__sl *l, cJSON *doc, const char *where, hns__sl_attach *a) {
  memset(a, 0, sizeof *a);
  cJSON *state = cJSON_DetachItemFromObject(doc, "State");
  a->has_state = cJSON_IsNumber(state);
  a->state = a->has_state ? state->valuedouble : 0;
  int bad_state = state && !a->has_state && !cJSON_IsNull(state);
  cJSON_Delete(state);
  if (bad_state) return hns__sl_bad(l, HCN_E_INVALID_JSON, "%s: State is not a number", where);
  a->ns_id = cJSON_DetachItemFromObject(doc, "HostComputeNamespace");
  if (cJSON_IsNull(a->ns_id)) {
    cJSON_Delete(a->ns_id);
    a->ns_id = NULL;
  }
  hns_guid g;
  if (a->ns_id && (!cJSON_IsString(a->ns_id) || hns_guid_parse(a->ns_id->valuestring, &g)))
    return hns__sl_bad(l, HCN_E_GUID_CONVERSION_FAILURE, "%s: HostComputeNamespace is not a GUID", where);
  a->containers = take_containers(doc);
  size_t i = 0;
  if (a->containers && !cJSON_IsArray(a->containers))
    return hns__sl_bad(l, HCN_E_INVALID_JSON, "%s: Health.Extra.SharedContainers is not an array", where);
  for (const cJSON *c = a->containers ? a->containers->child : NULL; c; c = c->next, i++)
    if (!cJSON_IsString(c) || !*c->valuestring)
      return hns__sl_bad(l, HCN_E_INVALID_JSON, "%s: Health.Extra.SharedContainers[%zu] is not a container ID", where, i);
  return HNS_S_OK;
}

/* The namespace `ns_text` (created on first use), and the endpoint added to it. */
static hns_hr join_namespace(hns__sl *l, const char *where, const char *id, const char *ns_text) {
  hns_guid g;
  hns_handle *ns = NULL;
  char call[96], text[160];
  hns_guid_parse(ns_text, &g); /* checked by hns__sl_endpoint_split */
  hns_hr hr = hns_open(l->svc, HNS_NAMESPACE, &g, &ns, NULL);
  if (hr == HNS_E_ELEMENT_NOT_FOUND) {
    snprintf(text, sizeof text, "{\"ID\":\"%s\",\"Type\":\"HostDefault\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}",
             ns_text);
    snprintf(call, sizeof call, "HcnCreateNamespace %.40s", ns_text);
    hr = hns_create(l->svc, HNS_NAMESPACE, NULL, NULL, text, &ns, NULL);
    if (HNS_FAILED(hr)) return hns__sl_refused(l, hr, where, call);
    hr = hns__sl_created(l, HNS_NAMESPACE, &g, where);
    if (HNS_FAILED(hr)) {
      hns_close(ns);
      return hr;
    }
  } else if (HNS_FAILED(hr)) {
    snprintf(call, sizeof call, "HcnOpenNamespace %.40s", ns_text);
    return hns__sl_refused(l, hr, where, call);
  }
  snprintf(text, sizeof text,
           "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}", id);
  hr = hns_modify(ns, text, NULL);
  hns_close(ns);
  snprintf(call, sizeof call, "HcnModifyNamespace %.40s (add the endpoint)", ns_text);
  return HNS_FAILED(hr) ? hns__sl_refused(l, hr, where, call) : HNS_S_OK;
}

/* HNSCall POST /endpoints/<id>/<verb> with `body`. */
static hns_hr v1_attach(hns__sl *l, const char *where, const char *id, const char *verb, const cJSON *body) {
  char path[96], call[128];
  char *text = cJSON_PrintUnformatted(body), *response = NULL;
  if (!text) return hns__sl_bad(l, HNS_E_OUTOFMEMORY, "%s: out of memory", where);
  snprintf(path, sizeof path, "/endpoints/%s/%s", id, verb);
  hns_hr hr = hns_call(l->svc, "POST", path, text, &response);
  free(text);
  free(response);
  snprintf(call, sizeof call, "HNSCall POST %s", path);
  return HNS_FAILED(hr) ? hns__sl_refused(l, hr, where, call) : HNS_S_OK;
}

static hns_hr join_containers(hns__sl *l, const char *where, const char *id, const cJSON *containers) {
  cJSON *body = cJSON_CreateObject();
  if (!body || !cJSON_AddStringToObject(body, "SystemType", "Container") ||
      !cJSON_AddStringToObject(body, "ContainerId", containers->child->valuestring)) {
    cJSON_Delete(body);
    return hns__sl_bad(l, HNS_E_OUTOFMEMORY, "%s: out of memory", where);
  }
  hns_hr hr = v1_attach(l, where, id, "attach", body);
  cJSON_Delete(body);
  for (const cJSON *c = containers->child->next; c && HNS_SUCCEEDED(hr); c = c->next) {
    hr = hns_hot_attach(l->svc, c->valuestring, id);
    if (HNS_FAILED(hr)) {
      char call[160];
      snprintf(call, sizeof call, "HCS hot attach to container %.100s", c->valuestring);
      hr = hns__sl_refused(l, hr, where, call);
    }
  }
  if (HNS_SUCCEEDED(hr)) l->report.container_attached++;
  return hr;
}

/* The host compartment: State 2 stays attached; State 4 is attached and
 * detached again. */
static hns_hr host_attach(hns__sl *l, const char *where, const char *id, int detach) {
  cJSON *body = cJSON_CreateObject();
  if (!body || !cJSON_AddStringToObject(body, "SystemType", "Host")) {
    cJSON_Delete(body);
    return hns__sl_bad(l, HNS_E_OUTOFMEMORY, "%s: out of memory", where);
  }
  hns_hr hr = v1_attach(l, where, id, "attach", body);
  if (HNS_SUCCEEDED(hr) && detach) hr = v1_attach(l, where, id, "detach", body);
  if (HNS_SUCCEEDED(hr) && !detach) l->report.host_attached++;
  cJSON_Delete(body);
  return hr;
}

hns_hr hns__sl_endpoint_attach(hns__sl *l, const char *where, const char *id, int remote, const hns__sl_attach *a) {
  hns_hr hr = HNS_S_OK;
  if (a->ns_id) hr = join_namespace(l, where, id, a->ns_id->valuestring);
  /* In a namespace, its containers joined the namespace, not the endpoint
   * (a containerd pod: the real host lists the pod's containers too); the
   * load cannot replay that, so the endpoint stays in its namespace only. */
  if (HNS_SUCCEEDED(hr) && !a->ns_id && a->containers && a->containers->child)
    hr = join_containers(l, where, id, a->containers);
  if (a->ns_id || (a->containers && a->containers->child) || remote || !a->has_state) return hr;
  if (a->state == STATE_ATTACHED) return host_attach(l, where, id, 0);
  if (a->state == STATE_DETACHED) return host_attach(l, where, id, 1);
  return hr;
}
