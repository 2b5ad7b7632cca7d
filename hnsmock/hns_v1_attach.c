/* hns_v1_attach.c: which containers, host compartment or VM NIC an endpoint
 * is attached to, as HNS v1 reports it (State, SharedContainers), the
 * /attach and /detach requests and HCS's hot attach (hns_v1.h), and the v1
 * namespace requests (POST /namespaces, /addresource, /removeresource).
 *
 * Where the state lives: the containers in the endpoint document's
 * Health.Extra.SharedContainers, the slot the v2 schema gives them (VDOCS
 * HNS_Schema.md ExtraParams.SharedContainers, facts §3.1), so the v2 view
 * shows them too; a host or VM attach in hns_object.attach_system.
 *
 * State (EndpointState, hcsshim internal/hns; facts §5.2): Created 1 until
 * the first attach; Attached 2 with one container, the host or a VM NIC;
 * AttachedSharing 3 with several containers or inside a namespace (SDN
 * networkhealth.ps1 expects 3 of every pod endpoint, consumers §3.4);
 * Detached 4 once nothing holds it. The mapping is (inferred) from those.
 *
 * Refusals (codes by their names, (inferred)): a remote endpoint cannot be
 * attached (HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION); HNSCall attaches an
 * endpoint to one container, host or VM (HCN_E_ENDPOINT_ALREADY_ATTACHED),
 * sharing being HCS's hot attach; a detach of what is not attached is
 * HCN_E_ENDPOINT_NOT_ATTACHED.
 *
 * The data-plane model (hns_model.h) follows an endpoint's first attach
 * and its last detach: a container's compartment is named by its ID, and
 * containers sharing an endpoint share the compartment of the first, as
 * the pause container's network is shared by a pod's others (consumers
 * §2.4) (inferred). A VM NIC attach reaches no compartment of the host
 * and is not modelled. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_model_int.h"
#include "hns_v1_int.h"

enum { SYSTEM_NONE = 0, SYSTEM_HOST = 1, SYSTEM_VM = 2, SYSTEM_CONTAINER = 3 };
#define REMOTE_ENDPOINT 1u

static const char *const system_names[] = {"", "Host", "VirtualMachine", "Container"};

static hns_hr oom(hns_service *svc) { return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory"); }

const cJSON *hns__v1_shared_containers(const hns_object *ep) {
  const hns_endpoint_doc *d = ep->doc;
  const cJSON *extra = cJSON_GetObjectItemCaseSensitive(d->health, "Extra");
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(extra, "SharedContainers");
  return cJSON_IsArray(list) && list->child ? list : NULL;
}

int hns__v1_endpoint_state(const hns_object *ep) {
  const cJSON *list = hns__v1_shared_containers(ep);
  int n = list ? cJSON_GetArraySize(list) : 0;
  if (((const hns_endpoint_doc *)ep->doc)->host_compute_namespace || n > 1) return 3;
  if (n == 1 || ep->attach_system) return 2;
  return ep->was_attached ? 4 : 1;
}

/* Container IDs compare in any case, as hcsshim's IsAttached does. */
static int find_container(const cJSON *list, const char *id) {
  int i = 0;
  for (const cJSON *c = list ? list->child : NULL; c; c = c->next, i++)
    if (cJSON_IsString(c) && !strcasecmp(c->valuestring, id)) return i;
  return -1;
}

static cJSON *child_object(cJSON *parent, const char *key) {
  cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);
  if (cJSON_IsObject(o)) return o;
  cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
  return cJSON_AddObjectToObject(parent, key);
}

/* Adds the container; Health is HNS's, so anything but an object there is
 * replaced (inferred). */
static hns_hr add_container(hns_service *svc, hns_object *ep, const char *id) {
  hns_endpoint_doc *d = ep->doc;
  if (!cJSON_IsObject(d->health)) {
    cJSON_Delete(d->health);
    if (!(d->health = cJSON_CreateObject())) return oom(svc);
  }
  cJSON *extra = child_object(d->health, "Extra");
  cJSON *list = extra ? cJSON_GetObjectItemCaseSensitive(extra, "SharedContainers") : NULL;
  if (extra && !cJSON_IsArray(list)) {
    cJSON_DeleteItemFromObjectCaseSensitive(extra, "SharedContainers");
    list = cJSON_AddArrayToObject(extra, "SharedContainers");
  }
  cJSON *item = list ? cJSON_CreateString(id) : NULL;
  if (!item) return oom(svc);
  cJSON_AddItemToArray(list, item);
  ep->was_attached = 1;
  return HNS_S_OK;
}

/* Removes the container, and the Health it made when nothing else is left. */
static void drop_container(hns_object *ep, int at) {
  hns_endpoint_doc *d = ep->doc;
  cJSON *extra = cJSON_GetObjectItemCaseSensitive(d->health, "Extra");
  cJSON *list = cJSON_GetObjectItemCaseSensitive(extra, "SharedContainers");
  cJSON_DeleteItemFromArray(list, at);
  if (list->child) return;
  cJSON_DeleteItemFromObjectCaseSensitive(extra, "SharedContainers");
  if (!extra->child) cJSON_DeleteItemFromObjectCaseSensitive(d->health, "Extra");
  if (!d->health->child) {
    cJSON_Delete(d->health);
    d->health = NULL;
  }
}

/* Adds the container, attaching the endpoint's port in the model to the
 * container's compartment when it is the endpoint's first. */
static hns_hr attach_container(hns_service *svc, hns_object *ep, const char *id) {
  int first = !hns__v1_shared_containers(ep);
  hns_hr hr = first ? hns__model_attach(svc, ep, HNS_MODEL_IN_CONTAINER, id, NULL) : HNS_S_OK;
  if (HNS_SUCCEEDED(hr)) hr = add_container(svc, ep, id);
  if (HNS_FAILED(hr) && first) hns__model_detach(svc, ep, NULL);
  return hr;
}

/* Drops container `at`, detaching the port in the model with the last. */
static hns_hr detach_container(hns_service *svc, hns_object *ep, int at) {
  if (cJSON_GetArraySize(hns__v1_shared_containers(ep)) == 1) {
    hns_hr hr = hns__model_detach(svc, ep, NULL);
    if (HNS_FAILED(hr)) return hr;
  }
  drop_container(ep, at);
  return HNS_S_OK;
}

/* At a reboot every container is gone (VDOCS#1087): the endpoint keeps no
 * container and no host or VM attach, and reports State 4, detached, as
 * after a detach (inferred: moby#47576 shows such endpoints listed, not
 * their State). */
void hns__endpoint_forget_containers(hns_object *ep) {
  const cJSON *list = hns__v1_shared_containers(ep);
  for (int n = list ? cJSON_GetArraySize(list) : 0; n > 0; n--) drop_container(ep, n - 1);
  ep->attach_system = SYSTEM_NONE;
}

typedef struct attach_req {
  int system;
  const char *container, *vnic;
} attach_req;

/* The body hcsshim sends (EndpointAttachDetachRequest, hnsendpoint.go):
 * {ContainerId, SystemType, CompartmentId, VirtualNicName}; SystemType is
 * the one field it always writes. */
static hns_hr parse_request(hns_service *svc, const cJSON *body, attach_req *r) {
  const char *system;
  const cJSON *compartment = cJSON_GetObjectItem(body, "CompartmentId");
  *r = (attach_req){0};
  if (!cJSON_IsObject(body))
    return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "the request: expected {ContainerId, SystemType, CompartmentId, VirtualNicName}");
  hns_hr hr = hns__v1_text(svc, body, "SystemType", HNS_K_STRING, "", &system);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, body, "ContainerId", HNS_K_STRING, "", &r->container);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_text(svc, body, "VirtualNicName", HNS_K_STRING, "", &r->vnic);
  if (HNS_FAILED(hr)) return hr;
  if (compartment && !cJSON_IsNull(compartment) &&
      (!cJSON_IsNumber(compartment) || compartment->valuedouble < 0 || compartment->valuedouble > 65535))
    return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "CompartmentId: expected an integer from 0 to 65535");
  for (int s = SYSTEM_HOST; s <= SYSTEM_CONTAINER && system; s++)
    if (!strcasecmp(system, system_names[s])) r->system = s;
  if (!r->system)
    return hns__fail(svc, NULL, HNS_E_INVALIDARG, "SystemType: expected Container, VirtualMachine or Host, got \"%s\"",
                     system ? system : "");
  if (r->system == SYSTEM_CONTAINER && !r->container)
    return hns__fail(svc, NULL, HNS_E_INVALIDARG, "ContainerId: a Container attach or detach names the container");
  return HNS_S_OK;
}

static hns_hr refuse_busy(hns_service *svc, const hns_object *ep, const char *container) {
  const cJSON *list = hns__v1_shared_containers(ep);
  if (list && container && find_container(list, container) >= 0)
    return hns__fail(svc, NULL, HCN_E_ENDPOINT_ALREADY_ATTACHED, "endpoint %s is already attached to container %s",
                     ep->id_text, container);
  if (list)
    return hns__fail(svc, NULL, HCN_E_ENDPOINT_ALREADY_ATTACHED,
                     "endpoint %s is attached to container %s; only HCS's hot attach shares an endpoint", ep->id_text,
                     list->child->valuestring);
  return hns__fail(svc, NULL, HCN_E_ENDPOINT_ALREADY_ATTACHED, "endpoint %s is attached to the %s", ep->id_text,
                   ep->attach_system == SYSTEM_HOST ? "host" : "VM NIC");
}

static hns_hr refuse_remote(hns_service *svc, const hns_object *ep) {
  return hns__fail(svc, NULL, HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION,
                   "endpoint %s is a remote endpoint (IsRemoteEndpoint) and cannot be attached", ep->id_text);
}

hns_hr hns__v1_attach(hns_service *svc, hns_object *ep, const cJSON *body, int attach) {
  attach_req r;
  hns_hr hr = parse_request(svc, body, &r);
  if (HNS_FAILED(hr)) return hr;
  const cJSON *list = hns__v1_shared_containers(ep);
  int at = r.container && list ? find_container(list, r.container) : -1;
  if (attach) {
    if (((hns_endpoint_doc *)ep->doc)->flags & REMOTE_ENDPOINT) return refuse_remote(svc, ep);
    if (r.system == SYSTEM_VM && !r.vnic)
      return hns__fail(svc, NULL, HNS_E_INVALIDARG, "VirtualNicName: a VirtualMachine attach names the VM's NIC");
    if (list || ep->attach_system) return refuse_busy(svc, ep, r.system == SYSTEM_CONTAINER ? r.container : NULL);
    if (r.system == SYSTEM_CONTAINER) return attach_container(svc, ep, r.container);
    if (r.system == SYSTEM_HOST) {
      hr = hns__model_attach(svc, ep, HNS_MODEL_IN_HOST, SIM_HOST_COMPARTMENT, NULL);
      if (HNS_FAILED(hr)) return hr;
    }
    ep->attach_system = (uint8_t)r.system;
    ep->was_attached = 1;
    return HNS_S_OK;
  }
  if (r.system == SYSTEM_CONTAINER) {
    if (at < 0)
      return hns__fail(svc, NULL, HCN_E_ENDPOINT_NOT_ATTACHED, "endpoint %s is not attached to container %s", ep->id_text,
                       r.container);
    return detach_container(svc, ep, at);
  }
  if (ep->attach_system != r.system)
    return hns__fail(svc, NULL, HCN_E_ENDPOINT_NOT_ATTACHED, "endpoint %s is not attached to the %s", ep->id_text,
                     r.system == SYSTEM_HOST ? "host" : "VM NIC");
  hr = hns__model_detach(svc, ep, NULL);
  if (HNS_FAILED(hr)) return hr;
  ep->attach_system = SYSTEM_NONE;
  return HNS_S_OK;
}

/* ---- HCS's hot attach (hns_v1.h) ---- */

static hns_hr hot(hns_service *svc, const char *container_id, const char *endpoint_id, int attach) {
  if (!svc) return HNS_E_POINTER;
  svc->detail[0] = '\0';
  if (!container_id || !*container_id || !endpoint_id)
    return hns__fail(svc, NULL, HNS_E_INVALIDARG, "a hot attach or detach names a container and an endpoint");
  hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, endpoint_id);
  if (!ep) /* hcsshim first reads the endpoint with GET /endpoints/<id> */
    return hns__fail(svc, NULL, HNS_E_ELEMENT_NOT_FOUND, "no endpoint with ID %s", endpoint_id);
  if (!svc->profile->endpoint_hot_attach)
    return hns__fail(svc, NULL, HNS_E_NOT_SUPPORTED, "%s cannot add or remove an endpoint of a running container",
                     svc->profile->name);
  int at = find_container(hns__v1_shared_containers(ep), container_id);
  if (!attach) return at >= 0 ? detach_container(svc, ep, at) : HNS_S_OK;
  if (at >= 0) return HNS_S_OK;
  if (((hns_endpoint_doc *)ep->doc)->flags & REMOTE_ENDPOINT) return refuse_remote(svc, ep);
  if (ep->attach_system) return refuse_busy(svc, ep, NULL);
  return attach_container(svc, ep, container_id);
}

hns_hr hns_hot_attach(hns_service *svc, const char *container_id, const char *endpoint_id) {
  return hot(svc, container_id, endpoint_id, 1);
}

hns_hr hns_hot_detach(hns_service *svc, const char *container_id, const char *endpoint_id) {
  return hot(svc, container_id, endpoint_id, 0);
}

/* ---- v1 namespaces (hcsshim internal/hns namespace.go) ---- */

/* {"IsDefault":bool} -> Type HostDefault or Host (inferred: v1 namespaces
 * are host compartments for containers). */
hns_hr hns__v1_namespace_in(hns_service *svc, const cJSON *v1, cJSON **v2) {
  static const char *const output_only[] = {"IsDefault", "ResourceList", "CompartmentId"};
  int is_default;
  *v2 = NULL;
  if (!cJSON_IsObject(v1)) return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "the request: expected {\"IsDefault\":bool}");
  hns_hr hr = hns__v1_bool(svc, v1, "IsDefault", "", &is_default);
  if (HNS_FAILED(hr)) return hr;
  cJSON *out = cJSON_CreateObject();
  if (!out) return oom(svc);
  cJSON_AddStringToObject(out, "Type", is_default ? "HostDefault" : "Host");
  for (const cJSON *k = v1->child; k; k = k->next) {
    int skip = cJSON_GetObjectItem(out, k->string) != NULL;
    for (size_t i = 0; !skip && i < sizeof output_only / sizeof output_only[0]; i++) skip = !strcasecmp(k->string, output_only[i]);
    if (!skip) cJSON_AddItemToObject(out, k->string, cJSON_Duplicate(k, 1));
  }
  *v2 = out;
  return HNS_S_OK;
}

/* {"Type":"Endpoint","Data":{"Id":...}} (hcsshim AddNamespaceEndpoint) ->
 * ModifyNamespaceSettingRequest {ResourceType, RequestType, Settings}. */
hns_hr hns__v1_resource_in(hns_service *svc, const cJSON *v1, int add, cJSON **v2) {
  const char *type, *id;
  *v2 = NULL;
  if (!cJSON_IsObject(v1))
    return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "the request: expected {\"Type\":\"Endpoint\",\"Data\":{\"Id\":...}}");
  hns_hr hr = hns__v1_text(svc, v1, "Type", HNS_K_STRING, "", &type);
  const cJSON *data = cJSON_GetObjectItem(v1, "Data");
  int endpoint = type && !strcasecmp(type, "Endpoint");
  if (HNS_FAILED(hr)) return hr;
  if (!endpoint && !(type && !strcasecmp(type, "Container")))
    return hns__fail(svc, NULL, HNS_E_INVALIDARG, "Type: expected Endpoint or Container, got \"%s\"", type ? type : "");
  if (!cJSON_IsObject(data)) return hns__fail(svc, NULL, HNS_E_INVALIDARG, "Data: expected {\"Id\":...}");
  hr = hns__v1_text(svc, data, "Id", endpoint ? HNS_K_GUID : HNS_K_STRING, "Data.", &id);
  if (HNS_FAILED(hr)) return hr;
  if (!id) return hns__fail(svc, NULL, HNS_E_INVALIDARG, "Data.Id is missing");
  if (endpoint && !hns__lookup_text(svc, HNS_ENDPOINT, id))
    return hns__fail(svc, NULL, HCN_E_ENDPOINT_NOT_FOUND, "Data.Id: no endpoint with ID %s", id);
  cJSON *out = cJSON_CreateObject();
  if (!out) return oom(svc);
  cJSON_AddStringToObject(out, "ResourceType", endpoint ? "Endpoint" : "Container");
  cJSON_AddStringToObject(out, "RequestType", add ? "Add" : "Remove");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "Settings"), endpoint ? "EndpointId" : "ContainerId", id);
  *v2 = out;
  return HNS_S_OK;
}
