/* hns_v1_routes.c: the routes of HNSCall (facts §1.5; hcsshim internal/hns,
 * SDN hns.psm1) and what each does, over the v2 operations of hns_api.h.
 *
 * Lists are in creation order, as Enumerate's; /policylists lists load
 * balancers first, then SDN routes (inferred: HNS's own order across the
 * two is not known). An object a path names and that does not exist is
 * "Element not found." (ERROR_NOT_FOUND), the text hcsshim's v1 namespace
 * client looks for and the code it tests with IsElementNotFoundError (facts
 * §1.5, §2.2); that networks, endpoints and policy lists answer the same is
 * (inferred). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_doc_policy.h"
#include "hns_v1_int.h"

static const char *const kind_paths[HNS_KINDS] = {"network", "endpoint", "namespace", "policy list", "policy list"};

static hns_hr oom(hns_service *svc) { return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory"); }

static hns_hr find(hns_service *svc, hns_object_kind kind, const char *id, hns_object **out) {
  *out = hns__lookup_text(svc, kind, id);
  if (!*out && kind == HNS_LOADBALANCER) *out = hns__lookup_text(svc, HNS_SDNROUTE, id);
  return *out ? HNS_S_OK : hns__fail(svc, NULL, HNS_E_ELEMENT_NOT_FOUND, "no %s with ID %s", kind_paths[kind], id);
}

static hns_hr view(hns_service *svc, const hns_object *obj, cJSON **out) {
  *out = hns__v1_view(svc, obj);
  return *out ? HNS_S_OK : oom(svc);
}

static hns_hr list_kind(hns_service *svc, hns_object_kind kind, cJSON *arr) {
  for (size_t i = 0; i < svc->count[kind]; i++) {
    cJSON *one = hns__v1_view(svc, svc->objects[kind][i]);
    if (!one) return oom(svc);
    cJSON_AddItemToArray(arr, one);
  }
  return HNS_S_OK;
}

static hns_hr list(hns_service *svc, hns_object_kind kind, cJSON **out) {
  if (!(*out = cJSON_CreateArray())) return oom(svc);
  hns_hr hr = list_kind(svc, kind, *out);
  if (HNS_SUCCEEDED(hr) && kind == HNS_LOADBALANCER) hr = list_kind(svc, HNS_SDNROUTE, *out);
  return hr;
}

/* Creates through hns_create, as HcnCreate* would, and answers the view. */
static hns_hr create(hns_service *svc, hns_object_kind kind, hns_object *network, cJSON *v2, hns_object **made) {
  char *text = cJSON_PrintUnformatted(v2);
  hns_handle *parent = NULL, *h = NULL;
  cJSON_Delete(v2);
  if (!text) return oom(svc);
  hns_hr hr = network ? hns_open(svc, HNS_NETWORK, &network->id, &parent, NULL) : HNS_S_OK;
  if (HNS_SUCCEEDED(hr)) hr = hns_create(svc, kind, parent, NULL, text, &h, NULL);
  free(text);
  *made = h ? hns__lookup(svc, kind, &h->id) : NULL;
  if (parent) hns_close(parent);
  if (h) hns_close(h);
  return hr;
}

static hns_hr delete_object(hns_service *svc, hns_object_kind kind, const char *id) {
  hns_object *obj;
  hns_hr hr = find(svc, kind, id, &obj);
  return HNS_SUCCEEDED(hr) ? hns_delete(svc, obj->kind, &obj->id, NULL) : hr;
}

/* ---- what every collection does alike ---- */

static hns_hr list_route(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  (void)id, (void)body;
  return list(svc, route->kind, out);
}

static hns_hr get_route(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  hns_object *obj;
  (void)body;
  hns_hr hr = find(svc, route->kind, id, &obj);
  return HNS_SUCCEEDED(hr) ? view(svc, obj, out) : hr;
}

static hns_hr delete_route(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  (void)body, (void)out;
  return delete_object(svc, route->kind, id);
}

/* ---- networks ---- */

static hns_hr networks_create(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  cJSON *v2;
  hns_object *obj;
  (void)route, (void)id;
  hns_hr hr = hns__v1_network_in(svc, body, &v2);
  if (HNS_SUCCEEDED(hr)) hr = create(svc, HNS_NETWORK, NULL, v2, &obj);
  if (HNS_FAILED(hr)) return hr;
  const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(body, "Type"));
  if (type && strlen(type) < sizeof obj->type_text) strcpy(obj->type_text, type);
  return view(svc, obj, out);
}

/* ---- endpoints ---- */

static hns_hr endpoints_create(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  cJSON *v2;
  hns_object *network, *obj;
  (void)id;
  hns_hr hr = hns__v1_endpoint_in(svc, body, NULL, &network, &v2);
  if (HNS_SUCCEEDED(hr)) hr = create(svc, route->kind, network, v2, &obj);
  return HNS_SUCCEEDED(hr) ? view(svc, obj, out) : hr;
}

/* POST /endpoints/<id> takes the whole HNSEndpoint and applies its Policies
 * (hcsshim ApplyACLPolicy / ApplyProxyPolicy append to Policies and call
 * Update): the list replaces the endpoint's; without "Policies" nothing
 * changes. Other fields are checked but not applied (inferred). */
static hns_hr endpoints_update(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  hns_object *obj, *network;
  cJSON *v2 = NULL;
  hns_hr hr = find(svc, route->kind, id, &obj);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_endpoint_in(svc, body, obj->network, &network, &v2);
  if (HNS_SUCCEEDED(hr) && cJSON_GetObjectItem(body, "Policies")) {
    hns_policy_request_doc req = {0};
    hns_perr err;
    if (hns_doc_parse(&hns_endpoint_policy_request_schema, v2, &req, NULL, &err))
      hr = hns__refuse_doc(svc, NULL, HNS_ENDPOINT, &err);
    else hr = hns__check_policy_gates(svc, NULL, &req.policies, "Policies");
    if (HNS_SUCCEEDED(hr)) { /* swap: the old list goes out with the request */
      hns_endpoint_doc *doc = obj->doc;
      hns_policies old = doc->policies;
      doc->policies = req.policies;
      req.policies = old;
    }
    hns_doc_free(&hns_endpoint_policy_request_schema, &req);
  }
  cJSON_Delete(v2);
  return HNS_SUCCEEDED(hr) ? view(svc, obj, out) : hr;
}

static hns_hr endpoints_attach(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  hns_object *obj;
  (void)out;
  hns_hr hr = find(svc, route->kind, id, &obj);
  return HNS_SUCCEEDED(hr) ? hns__v1_attach(svc, obj, body, route->add) : hr;
}

static hns_hr endpointstats_get(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  hns_object *obj;
  (void)body;
  hns_hr hr = find(svc, route->kind, id, &obj);
  if (HNS_FAILED(hr)) return hr;
  return (*out = hns__v1_stats(obj)) ? HNS_S_OK : oom(svc);
}

/* ---- policy lists ---- */

static hns_hr policylists_create(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  cJSON *v2;
  hns_object_kind kind;
  hns_object *obj;
  (void)route, (void)id;
  hns_hr hr = hns__v1_policylist_in(svc, body, &kind, &v2);
  if (HNS_SUCCEEDED(hr)) hr = create(svc, kind, NULL, v2, &obj);
  return HNS_SUCCEEDED(hr) ? view(svc, obj, out) : hr;
}

/* ---- namespaces ---- */

static hns_hr namespaces_create(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  cJSON *v2;
  hns_object *obj;
  (void)id;
  hns_hr hr = hns__v1_namespace_in(svc, body, &v2);
  if (HNS_SUCCEEDED(hr)) hr = create(svc, route->kind, NULL, v2, &obj);
  return HNS_SUCCEEDED(hr) ? view(svc, obj, out) : hr;
}

static hns_hr namespaces_resource(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  hns_object *obj;
  cJSON *v2 = NULL;
  char *text = NULL;
  hns_handle *h = NULL;
  hns_hr hr = find(svc, route->kind, id, &obj);
  if (HNS_SUCCEEDED(hr)) hr = hns__v1_resource_in(svc, body, route->add, &v2);
  if (HNS_SUCCEEDED(hr)) hr = (text = cJSON_PrintUnformatted(v2)) ? HNS_S_OK : oom(svc);
  if (HNS_SUCCEEDED(hr)) hr = hns_open(svc, HNS_NAMESPACE, &obj->id, &h, NULL);
  if (HNS_SUCCEEDED(hr)) hr = hns_modify(h, text, NULL);
  if (h) hns_close(h);
  free(text);
  cJSON_Delete(v2);
  return HNS_SUCCEEDED(hr) ? view(svc, obj, out) : hr;
}

/* ---- globals ---- */

/* {"Major","Minor"}: the profile's HNS version; builds before 1803 fail
 * (hcsshim GetGlobals: "expected on pre 1803 builds", facts §4). */
static hns_hr globals_version(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body, cJSON **out) {
  const hns_profile *p = svc->profile;
  (void)route, (void)id, (void)body;
  if (!p->has_globals_version)
    return hns__fail(svc, NULL, (hns_hr)p->globals_version_hr, "%s (%s) has no /globals/version", p->name, p->windows);
  if (!(*out = cJSON_CreateObject())) return oom(svc);
  cJSON_AddNumberToObject(*out, "Major", p->hns_major);
  cJSON_AddNumberToObject(*out, "Minor", p->hns_minor);
  return HNS_S_OK;
}

const hns_v1_route hns__v1_routes[] = {
    {"GET", "networks", HNS_V1_NO_ID, NULL, list_route, HNS_NETWORK, 0},
    {"GET", "networks", HNS_V1_ID, NULL, get_route, HNS_NETWORK, 0},
    {"POST", "networks", HNS_V1_NO_ID, NULL, networks_create, HNS_NETWORK, 0},
    {"DELETE", "networks", HNS_V1_ID, NULL, delete_route, HNS_NETWORK, 0},
    {"GET", "endpoints", HNS_V1_NO_ID, NULL, list_route, HNS_ENDPOINT, 0},
    {"GET", "endpoints", HNS_V1_ID, NULL, get_route, HNS_ENDPOINT, 0},
    {"POST", "endpoints", HNS_V1_NO_ID, NULL, endpoints_create, HNS_ENDPOINT, 0},
    {"POST", "endpoints", HNS_V1_ID, NULL, endpoints_update, HNS_ENDPOINT, 0},
    {"DELETE", "endpoints", HNS_V1_ID, NULL, delete_route, HNS_ENDPOINT, 0},
    {"POST", "endpoints", HNS_V1_ID, "attach", endpoints_attach, HNS_ENDPOINT, 1},
    {"POST", "endpoints", HNS_V1_ID, "detach", endpoints_attach, HNS_ENDPOINT, 0},
    {"GET", "endpointstats", HNS_V1_ID, NULL, endpointstats_get, HNS_ENDPOINT, 0},
    {"GET", "policylists", HNS_V1_NO_ID, NULL, list_route, HNS_LOADBALANCER, 0},
    {"GET", "policylists", HNS_V1_ID, NULL, get_route, HNS_LOADBALANCER, 0},
    {"POST", "policylists", HNS_V1_NO_ID, NULL, policylists_create, HNS_LOADBALANCER, 0},
    {"DELETE", "policylists", HNS_V1_ID, NULL, delete_route, HNS_LOADBALANCER, 0},
    {"GET", "namespaces", HNS_V1_NO_ID, NULL, list_route, HNS_NAMESPACE, 0},
    {"GET", "namespaces", HNS_V1_ID, NULL, get_route, HNS_NAMESPACE, 0},
    {"POST", "namespaces", HNS_V1_NO_ID, NULL, namespaces_create, HNS_NAMESPACE, 0},
    {"DELETE", "namespaces", HNS_V1_ID, NULL, delete_route, HNS_NAMESPACE, 0},
    {"POST", "namespaces", HNS_V1_ID, "addresource", namespaces_resource, HNS_NAMESPACE, 1},
    {"POST", "namespaces", HNS_V1_ID, "removeresource", namespaces_resource, HNS_NAMESPACE, 0},
    {"GET", "globals", HNS_V1_VERSION, NULL, globals_version, HNS_NETWORK, 0},
};
const size_t hns__v1_route_count = sizeof hns__v1_routes / sizeof hns__v1_routes[0];
