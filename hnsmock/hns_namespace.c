/* hns_namespace.c: namespaces (network compartments): creation with a
 * compartment ID, and the modify requests that add and remove endpoints and
 * containers. Sources: hns-api-facts.md §3.5 (ModifyNamespaceSettingRequest,
 * hcsshim AddNamespaceEndpoint); error codes by name where marked (inferred). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "hns_model_int.h"
#include "hns_service_int.h"

static const char *resource_id(const hns_ns_resource_doc *r) {
  const cJSON *v = r->data ? cJSON_GetObjectItem(r->data, "ID") : NULL; /* case-insensitive: "Id" too */
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Endpoint IDs compare as GUIDs (any case); container IDs as given. */
static int resource_is(const hns_ns_resource_doc *r, int type, const char *id) {
  const char *have = r->type == type ? resource_id(r) : NULL;
  if (!have) return 0;
  hns_guid a, b;
  if (!hns_guid_parse(have, &a) && !hns_guid_parse(id, &b)) return hns_guid_equal(&a, &b);
  return !strcmp(have, id);
}

static ssize_t find_resource(const hns_namespace_doc *ns, int type, const char *id) {
  for (size_t i = 0; i < ns->resources.n; i++)
    if (resource_is(HNS_VEC_AT(ns->resources, hns_ns_resource_doc, i), type, id)) return (ssize_t)i;
  return -1;
}

static int add_resource(hns_namespace_doc *ns, int type, const char *id) {
  hns_ns_resource_doc *v = realloc(ns->resources.v, (ns->resources.n + 1) * sizeof *v);
  if (!v) return -1;
  ns->resources.v = v;
  cJSON *data = cJSON_CreateObject();
  if (!data || !cJSON_AddStringToObject(data, "ID", id)) {
    cJSON_Delete(data);
    return -1;
  }
  v[ns->resources.n++] = (hns_ns_resource_doc){type, data, NULL};
  return 0;
}

static void drop_resource(hns_namespace_doc *ns, size_t i) {
  hns_ns_resource_doc *v = ns->resources.v;
  cJSON_Delete(v[i].data);
  cJSON_Delete(v[i].extras);
  memmove(&v[i], &v[i + 1], (ns->resources.n - i - 1) * sizeof *v);
  ns->resources.n--;
}

enum { RES_CONTAINER = 0, RES_ENDPOINT = 1 };

/* Adds (add=1) or removes an endpoint; validates before changing anything. */
static hns_hr attach(hns_service *svc, char **er, hns_object *nsobj, const char *endpoint_id, int add) {
  hns_namespace_doc *ns = nsobj->doc;
  hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, endpoint_id);
  if (!ep) return hns__fail(svc, er, HCN_E_ENDPOINT_NOT_FOUND, "Settings.EndpointId: no endpoint with ID %s", endpoint_id);
  hns_endpoint_doc *epd = ep->doc;
  if (add) {
    /* An endpoint lives in one namespace at a time (facts §3.5, (inferred) from the code's name). */
    if (epd->host_compute_namespace)
      return hns__fail(svc, er, HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "endpoint %s is already in namespace %s",
                       ep->id_text, epd->host_compute_namespace);
    char compartment[24];
    hns__model_namespace_name(nsobj, compartment);
    hns_hr hr = hns__model_attach(svc, ep, HNS_MODEL_IN_NAMESPACE, compartment, er);
    if (HNS_FAILED(hr)) return hr;
    char *ns_id = hns_strdup(nsobj->id_text);
    if (!ns_id || add_resource(ns, RES_ENDPOINT, ep->id_text)) {
      free(ns_id);
      hns__model_detach(svc, ep, NULL);
      return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
    }
    epd->host_compute_namespace = ns_id;
    ep->was_attached = 1; /* the v1 view's State (hns_v1_attach.c) */
    return HNS_S_OK;
  }
  ssize_t at = find_resource(ns, RES_ENDPOINT, ep->id_text);
  if (at < 0) /* HCN_E_ENDPOINT_NOT_ATTACHED exists only in the docs: (inferred) */
    return hns__fail(svc, er, HCN_E_ENDPOINT_NOT_ATTACHED, "endpoint %s is not in namespace %s", ep->id_text, nsobj->id_text);
  hns_hr hr = hns__model_detach(svc, ep, er);
  if (HNS_FAILED(hr)) return hr;
  drop_resource(ns, (size_t)at);
  free(epd->host_compute_namespace);
  epd->host_compute_namespace = NULL;
  return HNS_S_OK;
}


hns_hr hns__namespace_create(hns_service *svc, hns_object *obj, char **er) {
  hns_namespace_doc *ns = obj->doc;
  /* Endpoints named in Resources are attached now: check them all first. */
  for (size_t i = 0; i < ns->resources.n; i++) {
    hns_ns_resource_doc *r = HNS_VEC_AT(ns->resources, hns_ns_resource_doc, i);
    const char *id = resource_id(r);
    if (!id) return hns__fail(svc, er, HNS_E_INVALIDARG, "Resources[%zu].Data needs an ID", i);
    if (r->type != RES_ENDPOINT) continue;
    hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, id);
    if (!ep) return hns__fail(svc, er, HCN_E_ENDPOINT_NOT_FOUND, "Resources[%zu]: no endpoint with ID %s", i, id);
    if (((hns_endpoint_doc *)ep->doc)->host_compute_namespace || find_resource(ns, RES_ENDPOINT, id) < (ssize_t)i)
      return hns__fail(svc, er, HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "Resources[%zu]: endpoint %s is already in a namespace", i, id);
  }
  uint32_t next_compartment = svc->next_compartment;
  if (!ns->namespace_id) ns->namespace_id = svc->next_compartment++;
  if (!ns->schema_version.major) ns->schema_version = (hns_version_doc){2, 0, NULL};
  hns_hr hr = hns__model_namespace_add(svc, obj, er);
  if (HNS_FAILED(hr)) {
    svc->next_compartment = next_compartment;
    return hr;
  }
  if (hns__insert(svc, obj)) {
    hns__model_namespace_undo(svc, obj);
    svc->next_compartment = next_compartment;
    return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  }
  for (size_t i = 0; i < ns->resources.n; i++) {
    hns_ns_resource_doc *r = HNS_VEC_AT(ns->resources, hns_ns_resource_doc, i);
    if (r->type != RES_ENDPOINT) continue;
    hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, resource_id(r));
    ((hns_endpoint_doc *)ep->doc)->host_compute_namespace = hns_strdup(obj->id_text);
    ep->was_attached = 1;
  }
  return HNS_S_OK;
}

void hns__namespace_release(hns_service *svc, hns_object *obj) {
  hns_namespace_doc *ns = obj->doc;
  for (size_t i = 0; i < ns->resources.n; i++) {
    hns_ns_resource_doc *r = HNS_VEC_AT(ns->resources, hns_ns_resource_doc, i);
    hns_object *ep = r->type == RES_ENDPOINT ? hns__lookup_text(svc, HNS_ENDPOINT, resource_id(r)) : NULL;
    if (!ep) continue;
    hns_endpoint_doc *epd = ep->doc;
    free(epd->host_compute_namespace);
    epd->host_compute_namespace = NULL;
  }
}

hns_hr hns__namespace_modify(hns_service *svc, hns_object *obj, const char *settings, char **er) {
  hns_modify_doc m = {0};
  hns_hr hr = hns__parse(svc, er, HNS_NAMESPACE, &hns_modify_namespace_schema, settings, &m);
  if (HNS_FAILED(hr)) return hr;
  const char *key = m.resource_type == RES_ENDPOINT ? "EndpointId" : "ContainerId";
  const cJSON *v = m.settings ? cJSON_GetObjectItem(m.settings, key) : NULL;
  if (m.request_type > 1) {
    hr = hns__fail(svc, er, HCN_E_REQUEST_UNSUPPORTED, "RequestType %s is not supported for namespaces",
                   hns_enum_name(hns_request_types, m.request_type));
  } else if (!cJSON_IsString(v)) {
    hr = hns__fail(svc, er, HNS_E_INVALIDARG, "Settings.%s is missing", key);
  } else if (m.resource_type == RES_ENDPOINT) {
    hr = attach(svc, er, obj, v->valuestring, m.request_type == 0);
  } else {
    hns_namespace_doc *ns = obj->doc;
    ssize_t at = find_resource(ns, RES_CONTAINER, v->valuestring);
    if (m.request_type == 0 && at >= 0)
      hr = hns__fail(svc, er, HNS_E_ALREADY_EXISTS, "container %s is already in namespace %s", v->valuestring, obj->id_text);
    else if (m.request_type == 0 && add_resource(ns, RES_CONTAINER, v->valuestring))
      hr = hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
    else if (m.request_type == 1 && at < 0)
      hr = hns__fail(svc, er, HNS_E_ELEMENT_NOT_FOUND, "container %s is not in namespace %s", v->valuestring, obj->id_text);
    else if (m.request_type == 1)
      drop_resource(ns, (size_t)at);
  }
  hns_doc_free(&hns_modify_namespace_schema, &m);
  return hr;
}
