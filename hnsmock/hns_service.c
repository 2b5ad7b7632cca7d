/* hns_service.c: one simulated HNS: its object tables and indexes, handles,
 * and the API calls of hns_api.h, which dispatch to the per-kind modules.
 *
 * Every call validates completely before it changes anything, so a refused
 * call leaves every object as it was. IDs the service chooses derive from its
 * seed and a counter, so the same calls give the same IDs on every run. */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_model_int.h"
#include "hns_service_int.h"

static const char *const kind_names[HNS_KINDS] = {"network", "endpoint", "namespace", "load balancer", "SDN route"};

/* ---- refusals ---- */

hns_hr hns__fail(hns_service *svc, char **error_record, hns_hr hr, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(svc->detail, sizeof svc->detail, fmt, ap);
  va_end(ap);
  if (error_record) *error_record = hns_error_record(hr);
  return hr;
}

/* Which HRESULT a malformed document gets. HNS's own choice is documented
 * only for a few cases; the rest follow the code's name: (inferred), see
 * docs/profiles.md "Error choices". */
hns_hr hns__perr_hr(hns_object_kind kind, const hns_perr *err) {
  switch (err->code) {
  case HNS_PERR_POLICY_TYPE:
    return HCN_E_INVALID_POLICY_TYPE;
  case HNS_PERR_POLICY:
    return HCN_E_INVALID_POLICY;
  case HNS_PERR_READONLY:
    return HNS_E_INVALIDARG;
  case HNS_PERR_VALUE:
    switch (err->value_kind) {
    case HNS_K_IP: return HCN_E_INVALID_IP;
    case HNS_K_PREFIX: return HCN_E_INVALID_PREFIX;
    case HNS_K_GUID: return HCN_E_GUID_CONVERSION_FAILURE;
    default: return HNS_E_INVALIDARG; /* a MAC: no HCN code names it (inferred) */
    }
  default:
    if (kind == HNS_NETWORK && !strcmp(err->path, "Type")) return HCN_E_INVALID_NETWORK_TYPE;
    return HCN_E_INVALID_JSON;
  }
}

hns_hr hns__refuse_doc(hns_service *svc, char **error_record, hns_object_kind kind, const hns_perr *err) {
  return hns__fail(svc, error_record, hns__perr_hr(kind, err), "%s%s%s", err->path, *err->path ? ": " : "", err->msg);
}

hns_hr hns__parse(hns_service *svc, char **error_record, hns_object_kind kind, const hns_schema *schema,
                  const char *text, void *out) {
  cJSON *json = cJSON_Parse(text ? text : "");
  if (!json) {
    const char *at = cJSON_GetErrorPtr();
    return hns__fail(svc, error_record, HCN_E_INVALID_JSON, "%s settings are not valid JSON (near '%.24s')",
                     kind_names[kind], at ? at : "");
  }
  hns_perr err;
  hns_parse_opts opts = {1};
  int rc = hns_doc_parse(schema, json, out, &opts, &err);
  cJSON_Delete(json);
  return rc ? hns__refuse_doc(svc, error_record, kind, &err) : HNS_S_OK;
}

/* ---- tables and indexes ---- */

static void id_key(const hns_guid *id, char out[37]) { hns_guid_format(id, 0, out); }

void hns__name_key(char *out, size_t len, hns_object_kind kind, const char *name) {
  int n = snprintf(out, len, "%d|", (int)kind);
  for (size_t i = 0; name[i] && (size_t)n + i + 1 < len; i++) out[n + i] = (char)tolower((unsigned char)name[i]);
  size_t end = (size_t)n + strlen(name);
  out[end < len ? end : len - 1] = '\0';
}

hns_object *hns__lookup(hns_service *svc, hns_object_kind kind, const hns_guid *id) {
  char key[37];
  id_key(id, key);
  return hns_map_get(&svc->by_id[kind], key);
}

hns_object *hns__lookup_text(hns_service *svc, hns_object_kind kind, const char *id_text) {
  hns_guid g;
  return id_text && !hns_guid_parse(id_text, &g) ? hns__lookup(svc, kind, &g) : NULL;
}

hns_object *hns__find_name(hns_service *svc, hns_object_kind kind, const char *name) {
  char key[320];
  hns__name_key(key, sizeof key, kind, name);
  return hns_map_get(&svc->names, key);
}

static uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

static void next_guid(hns_service *svc, hns_guid *out) {
  uint64_t n = ++svc->ids_issued;
  hns_guid_from_u64(mix(svc->seed ^ mix(n)), mix(~svc->seed ^ mix(n + 0x5151)), out);
}

void hns__new_guid_text(hns_service *svc, char out[37]) {
  hns_guid g;
  next_guid(svc, &g);
  hns_guid_format(&g, 1, out);
}

/* Generated IDs are written in upper case, as HNS writes network IDs in v1
 * output (facts §3.1); an ID the caller gives keeps its case. */
int hns__assign_id(hns_service *svc, const hns_guid *given, const char *doc_id, hns_object *obj) {
  if (given && !hns_guid_is_zero(given)) {
    obj->id = *given;
    hns_guid_format(given, 1, obj->id_text);
  } else if (doc_id && !hns_guid_parse(doc_id, &obj->id) && !hns_guid_is_zero(&obj->id)) {
    snprintf(obj->id_text, sizeof obj->id_text, "%.36s", doc_id);
  } else {
    next_guid(svc, &obj->id);
    hns_guid_format(&obj->id, 1, obj->id_text);
  }
  return hns__lookup(svc, obj->kind, &obj->id) ? -1 : 0;
}

const hns_schema *hns__schema_of(hns_object_kind kind) {
  static const hns_schema *const schemas[HNS_KINDS] = {&hns_network_schema, &hns_endpoint_schema, &hns_namespace_schema,
                                                       &hns_loadbalancer_schema, &hns_sdnroute_schema};
  return schemas[kind];
}

static const char *doc_name(const hns_object *obj) {
  if (obj->kind == HNS_NETWORK) return ((hns_network_doc *)obj->doc)->name;
  if (obj->kind == HNS_ENDPOINT) return ((hns_endpoint_doc *)obj->doc)->name;
  return NULL;
}

int hns__insert(hns_service *svc, hns_object *obj) {
  hns_object_kind k = obj->kind;
  if (svc->count[k] == svc->cap[k]) {
    size_t cap = svc->cap[k] ? svc->cap[k] * 2 : 16;
    hns_object **v = realloc(svc->objects[k], cap * sizeof *v);
    if (!v) return -1;
    svc->objects[k] = v;
    svc->cap[k] = cap;
  }
  char key[37];
  id_key(&obj->id, key);
  if (hns_map_put(&svc->by_id[k], key, obj)) return -1;
  const char *name = doc_name(obj);
  if (name && *name) {
    char nkey[320];
    hns__name_key(nkey, sizeof nkey, k, name);
    if (hns_map_put(&svc->names, nkey, obj)) {
      hns_map_del(&svc->by_id[k], key);
      return -1;
    }
  }
  obj->seq = ++svc->inserted;
  svc->objects[k][svc->count[k]++] = obj;
  return 0;
}

void hns__object_free(hns_object *obj) {
  if (!obj) return;
  if (obj->doc) hns_doc_free(hns__schema_of(obj->kind), obj->doc);
  free(obj->doc);
  free(obj->model_comp);
  free(obj);
}

void hns__remove(hns_service *svc, hns_object *obj) {
  hns_object_kind k = obj->kind;
  char key[37];
  id_key(&obj->id, key);
  hns_map_del(&svc->by_id[k], key);
  const char *name = doc_name(obj);
  if (name && *name) {
    char nkey[320];
    hns__name_key(nkey, sizeof nkey, k, name);
    if (hns_map_get(&svc->names, nkey) == obj) hns_map_del(&svc->names, nkey);
  }
  /* objects[k] is in insertion order, so sorted by seq: found by bisection,
   * not by a scan of every object of the kind. */
  size_t lo = 0, hi = svc->count[k];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (svc->objects[k][mid]->seq < obj->seq) lo = mid + 1;
    else hi = mid;
  }
  if (lo < svc->count[k] && svc->objects[k][lo] == obj) {
    memmove(&svc->objects[k][lo], &svc->objects[k][lo + 1], (svc->count[k] - lo - 1) * sizeof(hns_object *));
    svc->count[k]--;
  }
  hns__object_free(obj);
}

/* ---- the service ---- */

hns_hr hns_service_create(const hns_service_config *config, hns_service **out) {
  if (!out) return HNS_E_POINTER;
  *out = NULL;
  const hns_profile *profile = config && config->profile ? config->profile : hns_profile_find(hns_profile_default_name());
  hns_service *svc = calloc(1, sizeof *svc);
  if (!svc) return HNS_E_OUTOFMEMORY;
  svc->profile = profile;
  svc->seed = config ? config->seed : 0;
  svc->next_compartment = 2; /* 1 is the host's default compartment (inferred) */
  snprintf(svc->host, sizeof svc->host, "%s", config && config->host ? config->host : "host");
  *out = svc;
  return HNS_S_OK;
}

void hns_service_destroy(hns_service *svc) {
  if (!svc) return;
  for (int k = HNS_KINDS - 1; k >= 0; k--) {
    for (size_t i = 0; i < svc->count[k]; i++) hns__object_free(svc->objects[k][i]);
    free(svc->objects[k]);
    hns_map_free(&svc->by_id[k]);
  }
  hns_map_free(&svc->names);
  hns_map_free(&svc->addresses);
  hns_map_free(&svc->frontends);
  for (hns_callback *cb = svc->callbacks, *next; cb; cb = next) {
    next = cb->next;
    free(cb);
  }
  free(svc->model); /* the model itself is the caller's and stays as it is */
  free(svc);
}

const struct hns_profile *hns_service_profile(const hns_service *svc) { return svc->profile; }
const char *hns_service_last_detail(const hns_service *svc) { return svc ? svc->detail : ""; }
hns_object_kind hns_handle_kind(const hns_handle *h) { return h->kind; }

/* Every call starts with no ErrorRecord (hcsshim reads any as a failure) and no detail. */
static void begin(hns_service *svc, char **error_record) {
  if (error_record) *error_record = NULL;
  svc->detail[0] = '\0';
}

static int valid_kind(hns_object_kind kind) { return (unsigned)kind < HNS_KINDS; }

/* Builds before 1809 have no computenetwork.dll (VDOCS "Schema Version Map":
 * schema 2.0 arrived with 1809). A caller that loads it lazily, as hcsshim
 * does (hcn/zsyscall_windows.go), gets the loader's ERROR_MOD_NOT_FOUND; a
 * program linked to it would not start at all. HNSCall, which every build
 * has, reaches the same operations with via_v1 set and is not refused. */
static hns_hr require_v2_api(hns_service *svc, char **er) {
  if (svc->profile->has_v2_api || svc->via_v1) return HNS_S_OK;
  return hns__fail(svc, er, HNS_E_MOD_NOT_FOUND, "%s (HNS %d.%d) has no HCN v2 API (computenetwork.dll); use HNSCall",
                   svc->profile->name, svc->profile->hns_major, svc->profile->hns_minor);
}

/* The HRESULT for "no such object": HNS has codes for networks and endpoints;
 * for the others hcsshim sees ERROR_NOT_FOUND (facts §7.3, (inferred)). */
static hns_hr not_found_hr(hns_object_kind kind) {
  return kind == HNS_NETWORK ? HCN_E_NETWORK_NOT_FOUND : kind == HNS_ENDPOINT ? HCN_E_ENDPOINT_NOT_FOUND : HNS_E_ELEMENT_NOT_FOUND;
}

static hns_hr not_found(hns_service *svc, char **er, hns_object_kind kind, const hns_guid *id) {
  char text[37];
  hns_guid_format(id, 0, text);
  return hns__fail(svc, er, not_found_hr(kind), "no %s with ID %s", kind_names[kind], text);
}

/* The object a handle names. A handle opened before a service restart or
 * host reboot (hns_persist.c) is stale: HCN handles are RPC context handles
 * (facts §1.1), owned by the service process that issued them, and RPC
 * answers a context handle it does not know with ERROR_INVALID_HANDLE
 * (RPC_X_SS_CONTEXT_MISMATCH): (inferred). */
static hns_hr handle_object(hns_service *svc, char **er, const hns_handle *h, hns_object **out) {
  *out = NULL;
  if (h->epoch != svc->epoch)
    return hns__fail(svc, er, HNS_E_HANDLE, "the %s handle was opened before the HNS service restarted; open it again",
                     kind_names[h->kind]);
  if (!(*out = hns__lookup(svc, h->kind, &h->id))) return not_found(svc, er, h->kind, &h->id);
  return HNS_S_OK;
}

static hns_hr new_handle(hns_service *svc, hns_object *obj, hns_handle **out) {
  hns_handle *h = malloc(sizeof *h);
  if (!h) return HNS_E_OUTOFMEMORY;
  *h = (hns_handle){svc, obj->kind, obj->id, svc->epoch};
  *out = h;
  return HNS_S_OK;
}

/* ---- the API ---- */

/* hns_create reads and replaces a new object's ID through its document's
 * first member, whatever its kind. */
_Static_assert(offsetof(hns_network_doc, id) == 0, "ID first");
_Static_assert(offsetof(hns_endpoint_doc, id) == 0, "ID first");
_Static_assert(offsetof(hns_namespace_doc, id) == 0, "ID first");
_Static_assert(offsetof(hns_loadbalancer_doc, id) == 0, "ID first");
_Static_assert(offsetof(hns_sdnroute_doc, id) == 0, "ID first");

hns_hr hns_create(hns_service *svc, hns_object_kind kind, hns_handle *parent, const hns_guid *id, const char *settings,
                  hns_handle **out, char **error_record) {
  if (!svc || !out) return HNS_E_POINTER;
  *out = NULL;
  begin(svc, error_record);
  hns_hr gate = require_v2_api(svc, error_record);
  if (HNS_FAILED(gate)) return gate;
  if (!valid_kind(kind)) return hns__fail(svc, error_record, HNS_E_INVALIDARG, "unknown object kind %d", (int)kind);
  hns_object *network = NULL;
  if (kind == HNS_ENDPOINT) {
    if (!parent || parent->kind != HNS_NETWORK)
      return hns__fail(svc, error_record, HNS_E_HANDLE, "an endpoint is created on a network handle");
    hns_hr found = handle_object(svc, error_record, parent, &network);
    if (HNS_FAILED(found)) return found;
  }
  hns_object *obj = calloc(1, sizeof *obj);
  const hns_schema *schema = hns__schema_of(kind);
  if (!obj || !(obj->doc = calloc(1, schema->size))) {
    free(obj);
    return hns__fail(svc, error_record, HNS_E_OUTOFMEMORY, "out of memory");
  }
  obj->kind = kind;
  /* A refused create gives back the IDs it drew, so the next object gets
   * the ID it would have had without the refusal. */
  uint64_t ids_issued = svc->ids_issued;
  hns_hr hr = hns__parse(svc, error_record, kind, schema, settings, obj->doc);
  if (HNS_SUCCEEDED(hr)) {
    const char *doc_id = *(char **)obj->doc; /* see the _Static_asserts above */
    if (hns__assign_id(svc, id, doc_id, obj))
      hr = hns__fail(svc, error_record, kind == HNS_NETWORK ? HCN_E_NETWORK_ALREADY_EXISTS : HNS_E_ALREADY_EXISTS,
                     "a %s with ID %s already exists", kind_names[kind], obj->id_text);
  }
  if (HNS_SUCCEEDED(hr)) {
    char **doc_id = (char **)obj->doc;
    free(*doc_id);
    *doc_id = hns_strdup(obj->id_text);
    switch (kind) {
    case HNS_NETWORK: hr = hns__network_create(svc, obj, error_record); break;
    case HNS_ENDPOINT: hr = hns__endpoint_create(svc, obj, network, error_record); break;
    case HNS_NAMESPACE: hr = hns__namespace_create(svc, obj, error_record); break;
    case HNS_LOADBALANCER: hr = hns__loadbalancer_create(svc, obj, error_record); break;
    case HNS_SDNROUTE: hr = hns__sdnroute_create(svc, obj, error_record); break;
    }
  }
  if (HNS_FAILED(hr)) {
    svc->ids_issued = ids_issued;
    hns__object_free(obj);
    return hr;
  }
  hr = new_handle(svc, obj, out);
  if (kind == HNS_NETWORK) hns__notify(svc, 2 /* HcnNotificationNetworkCreate */, obj->id_text);
  if (kind == HNS_NAMESPACE) hns__notify(svc, 5 /* HcnNotificationNamespaceCreate */, obj->id_text);
  return hr;
}

hns_hr hns_open(hns_service *svc, hns_object_kind kind, const hns_guid *id, hns_handle **out, char **error_record) {
  if (!svc || !out || !id) return HNS_E_POINTER;
  *out = NULL;
  begin(svc, error_record);
  hns_hr gate = require_v2_api(svc, error_record);
  if (HNS_FAILED(gate)) return gate;
  if (!valid_kind(kind)) return hns__fail(svc, error_record, HNS_E_INVALIDARG, "unknown object kind %d", (int)kind);
  hns_object *obj = hns__lookup(svc, kind, id);
  if (!obj) return not_found(svc, error_record, kind, id);
  return new_handle(svc, obj, out);
}

hns_hr hns_close(hns_handle *h) {
  if (!h) return HNS_E_HANDLE;
  free(h);
  return HNS_S_OK;
}

hns_hr hns_modify(hns_handle *h, const char *settings, char **error_record) {
  if (!h) return HNS_E_HANDLE;
  hns_service *svc = h->svc;
  begin(svc, error_record);
  hns_hr gate = require_v2_api(svc, error_record);
  if (HNS_FAILED(gate)) return gate;
  hns_object *obj;
  hns_hr found = handle_object(svc, error_record, h, &obj);
  if (HNS_FAILED(found)) return found;
  switch (h->kind) {
  case HNS_NETWORK: return hns__network_modify(svc, obj, settings, error_record);
  case HNS_ENDPOINT: return hns__endpoint_modify(svc, obj, settings, error_record);
  case HNS_NAMESPACE: return hns__namespace_modify(svc, obj, settings, error_record);
  case HNS_LOADBALANCER: return hns__loadbalancer_modify(svc, obj, settings, error_record);
  case HNS_SDNROUTE: break;
  }
  /* hcsshim: "HCNRoute doesn't implement modify functionality" (facts §1.2) */
  return hns__fail(svc, error_record, HNS_E_NOTIMPL, "SDN routes cannot be modified; delete and create again");
}

static hns_hr parse_query(hns_service *svc, char **er, const char *query, hns_query_doc *q) {
  memset(q, 0, sizeof *q);
  if (!query || !*query) return HNS_S_OK;
  cJSON *json = cJSON_Parse(query);
  if (!json) return hns__fail(svc, er, HCN_E_INVALID_JSON, "the query is not valid JSON");
  hns_perr err;
  int rc = hns_doc_parse(&hns_query_schema, json, q, NULL, &err);
  cJSON_Delete(json);
  return rc ? hns__fail(svc, er, HCN_E_INVALID_JSON, "query %s: %s", err.path, err.msg) : HNS_S_OK;
}

hns_hr hns_query_properties(hns_handle *h, const char *query, char **out_properties, char **error_record) {
  if (!h) return HNS_E_HANDLE;
  if (!out_properties) return HNS_E_POINTER;
  *out_properties = NULL;
  hns_service *svc = h->svc;
  begin(svc, error_record);
  hns_hr gate = require_v2_api(svc, error_record);
  if (HNS_FAILED(gate)) return gate;
  hns_object *obj;
  hns_hr found = handle_object(svc, error_record, h, &obj);
  if (HNS_FAILED(found)) return found;
  hns_query_doc q;
  hns_hr hr = parse_query(svc, error_record, query, &q);
  if (HNS_FAILED(hr)) return hr;
  int v1 = q.schema_version.major == 1, detailed = (q.flags & 1u) != 0;
  hns_doc_free(&hns_query_schema, &q);
  /* SchemaVersion 1.x asks for the v1 document (facts §1.1; hns_v1_view.c);
   * the Detailed flag adds what HNS keeps beside an endpoint's document. */
  cJSON *json = v1 ? hns__v1_view(svc, obj) : hns_doc_emit(hns__schema_of(h->kind), obj->doc);
  if (json && detailed && !v1 && h->kind == HNS_ENDPOINT && hns__endpoint_add_detail(obj, json)) {
    cJSON_Delete(json);
    json = NULL;
  }
  *out_properties = json ? cJSON_PrintUnformatted(json) : NULL;
  cJSON_Delete(json);
  return *out_properties ? HNS_S_OK : hns__fail(svc, error_record, HNS_E_OUTOFMEMORY, "out of memory");
}

/* Whether obj's document has, for every key of `filter`, an equal value
 * (strings compared case-insensitively, since GUIDs' case varies, facts
 * §3.1). The v1 key VirtualNetwork means HostComputeNetwork (facts §3.2). */
static int matches(const cJSON *doc, const cJSON *filter) {
  for (const cJSON *f = filter->child; f; f = f->next) {
    const char *key = !strcasecmp(f->string, "VirtualNetwork") ? "HostComputeNetwork" : f->string;
    const cJSON *v = cJSON_GetObjectItem(doc, key);
    if (!v) return 0;
    if (cJSON_IsString(f) && cJSON_IsString(v)) {
      hns_guid a, b;
      if (!hns_guid_parse(f->valuestring, &a) && !hns_guid_parse(v->valuestring, &b)) {
        if (!hns_guid_equal(&a, &b)) return 0;
      } else if (strcasecmp(f->valuestring, v->valuestring)) {
        return 0;
      }
    } else if (!cJSON_Compare(f, v, 1)) {
      return 0;
    }
  }
  return 1;
}

/* The filters hcsshim's GetXByID and GetXByName send, a lone ID or Name,
 * are answered from the indexes instead of a scan. 1 if the filter was of
 * that shape (*out is the match or NULL), 0 if it needs the scan. */
static int indexed_filter(hns_service *svc, hns_object_kind kind, const cJSON *filter, hns_object **out) {
  const cJSON *f = filter ? filter->child : NULL;
  if (!f || f->next || !cJSON_IsString(f)) return 0;
  if (!strcasecmp(f->string, "ID")) {
    hns_object *obj = hns__lookup_text(svc, kind, f->valuestring);
    *out = obj;
    return 1;
  }
  if (!strcasecmp(f->string, "Name") && (kind == HNS_NETWORK || kind == HNS_ENDPOINT)) {
    *out = hns__find_name(svc, kind, f->valuestring);
    return 1;
  }
  return 0;
}

hns_hr hns_enumerate(hns_service *svc, hns_object_kind kind, const char *query, char **out_ids, char **error_record) {
  if (!svc || !out_ids) return HNS_E_POINTER;
  *out_ids = NULL;
  begin(svc, error_record);
  hns_hr gate = require_v2_api(svc, error_record);
  if (HNS_FAILED(gate)) return gate;
  if (!valid_kind(kind)) return hns__fail(svc, error_record, HNS_E_INVALIDARG, "unknown object kind %d", (int)kind);
  cJSON *filter = NULL;
  if (query && *query) {
    cJSON *json = cJSON_Parse(query);
    if (!json) return hns__fail(svc, error_record, HCN_E_INVALID_JSON, "the query is not valid JSON");
    /* A HostComputeQuery carries its filter as a string; a bare filter object
     * is accepted too (one third-party caller sends it, facts §1.1, (inferred)). */
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(json, "Filter");
    if (cJSON_IsString(f) && *f->valuestring) {
      filter = cJSON_Parse(f->valuestring);
      if (!filter || !cJSON_IsObject(filter)) {
        cJSON_Delete(filter);
        cJSON_Delete(json);
        return hns__fail(svc, error_record, HCN_E_INVALID_JSON, "the query's Filter is not a JSON object");
      }
      cJSON_Delete(json);
    } else if (!cJSON_GetObjectItemCaseSensitive(json, "SchemaVersion") && !f &&
               !cJSON_GetObjectItemCaseSensitive(json, "Flags")) {
      filter = json;
    } else {
      cJSON_Delete(json);
    }
  }
  cJSON *ids = cJSON_CreateArray();
  hns_object *only = NULL;
  if (ids && indexed_filter(svc, kind, filter, &only)) {
    if (only) cJSON_AddItemToArray(ids, cJSON_CreateString(only->id_text));
  } else {
    for (size_t i = 0; ids && i < svc->count[kind]; i++) {
      hns_object *obj = svc->objects[kind][i];
      if (filter && filter->child) {
        cJSON *doc = hns_doc_emit(hns__schema_of(kind), obj->doc);
        int ok = doc && matches(doc, filter);
        cJSON_Delete(doc);
        if (!ok) continue;
      }
      cJSON_AddItemToArray(ids, cJSON_CreateString(obj->id_text));
    }
  }
  cJSON_Delete(filter);
  *out_ids = ids ? cJSON_PrintUnformatted(ids) : NULL;
  cJSON_Delete(ids);
  return *out_ids ? HNS_S_OK : hns__fail(svc, error_record, HNS_E_OUTOFMEMORY, "out of memory");
}

hns_hr hns_delete(hns_service *svc, hns_object_kind kind, const hns_guid *id, char **error_record) {
  if (!svc || !id) return HNS_E_POINTER;
  begin(svc, error_record);
  hns_hr gate = require_v2_api(svc, error_record);
  if (HNS_FAILED(gate)) return gate;
  if (!valid_kind(kind)) return hns__fail(svc, error_record, HNS_E_INVALIDARG, "unknown object kind %d", (int)kind);
  hns_object *obj = hns__lookup(svc, kind, id);
  if (!obj) return not_found(svc, error_record, kind, id);
  /* Deleting what others still name is refused (facts §7.8, (inferred) from
   * the code's name HCN_E_ENTITY_HAS_REFERENCES). */
  if (obj->refs)
    return hns__fail(svc, error_record, HCN_E_ENTITY_HAS_REFERENCES, "%s %s is still referenced by %u object%s",
                     kind_names[kind], obj->id_text, obj->refs, obj->refs == 1 ? "" : "s");
  /* The model goes first: if it refuses, nothing has changed yet. */
  hns_hr hr = kind == HNS_NETWORK     ? hns__model_network_remove(svc, obj, error_record)
              : kind == HNS_ENDPOINT  ? hns__model_endpoint_remove(svc, obj, error_record)
              : kind == HNS_NAMESPACE ? hns__model_namespace_remove(svc, obj, error_record)
                                      : HNS_S_OK;
  if (HNS_FAILED(hr)) return hr;
  char id_text[37];
  memcpy(id_text, obj->id_text, sizeof id_text);
  switch (kind) {
  case HNS_ENDPOINT: hns__endpoint_release(svc, obj); break;
  case HNS_NAMESPACE: hns__namespace_release(svc, obj); break;
  case HNS_LOADBALANCER:
    hns__model_lb_remove(svc, obj);
    hns__loadbalancer_release(svc, obj);
    break;
  case HNS_SDNROUTE:
    hns__model_sdnroute_remove(svc, obj);
    hns__sdnroute_release(svc, obj);
    break;
  case HNS_NETWORK: break;
  }
  hns__remove(svc, obj);
  if (kind == HNS_NETWORK) hns__notify(svc, 4 /* HcnNotificationNetworkDelete */, id_text);
  if (kind == HNS_NAMESPACE) hns__notify(svc, 6 /* HcnNotificationNamespaceDelete */, id_text);
  return HNS_S_OK;
}

/* ---- notifications ---- */

void hns__notify(hns_service *svc, uint32_t type, const char *id_text) {
  char data[96];
  snprintf(data, sizeof data, "{\"ID\":\"%s\",\"Flags\":0}", id_text);
  /* A callback may unregister itself: read the next one before calling. */
  for (hns_callback *cb = svc->callbacks, *next; cb; cb = next) {
    next = cb->next;
    if (!cb->disconnected) cb->fn(type, cb->context, HNS_S_OK, data);
  }
}

hns_hr hns_register_service_callback(hns_service *svc, hns_notify_fn fn, void *context, hns_callback **out) {
  if (!svc || !fn || !out) return HNS_E_POINTER;
  *out = NULL;
  svc->detail[0] = '\0';
  hns_hr gate = require_v2_api(svc, NULL);
  if (HNS_FAILED(gate)) return gate;
  hns_callback *cb = malloc(sizeof *cb);
  if (!cb) return HNS_E_OUTOFMEMORY;
  *cb = (hns_callback){svc, fn, context, 0, NULL};
  hns_callback **tail = &svc->callbacks; /* registration order is call order */
  while (*tail) tail = &(*tail)->next;
  *tail = cb;
  *out = cb;
  return HNS_S_OK;
}

hns_hr hns_unregister_service_callback(hns_callback *cb) {
  if (!cb) return HNS_E_HANDLE;
  for (hns_callback **p = &cb->svc->callbacks; *p; p = &(*p)->next)
    if (*p == cb) {
      *p = cb->next;
      free(cb);
      return HNS_S_OK;
    }
  return HNS_E_HANDLE;
}

/* ---- feature gates of policies ---- */

/* A policy type the profile's HNS does not know is refused as an invalid
 * policy type, as an HNS that predates it would (inferred). */
hns_hr hns__check_policy_gates(hns_service *svc, char **er, const hns_policies *ps, const char *where) {
  for (size_t i = 0; i < ps->n; i++) {
    int f = ps->v[i].type->feature;
    if (f >= 0 && !hns_profile_has(svc->profile, (hns_feature)f))
      return hns__fail(svc, er, HCN_E_INVALID_POLICY_TYPE, "%s[%zu].Type: %s policies need %s, which %s (HNS %d.%d) lacks",
                       where, i, ps->v[i].type->name, hns_feature_name((hns_feature)f), svc->profile->name,
                       svc->profile->hns_major, svc->profile->hns_minor);
  }
  return HNS_S_OK;
}

/* ---- policy requests (PolicyNetworkRequest, PolicyEndpointRequest) ---- */

static int has_type(const hns_policies *ps, const hns_policy_type *t) {
  for (size_t i = 0; i < ps->n; i++)
    if (ps->v[i].type == t) return 1;
  return 0;
}

/* Add appends the request's policies; Remove drops every policy of each
 * named type, refused whole if one type is absent; Update replaces the
 * policies of the named types (hcsshim ApplyPolicy; facts §3.3, §3.4). The
 * request's policies are moved into `target` on success. */
hns_hr hns__apply_policy_request(hns_service *svc, char **er, hns_policies *target, hns_policies *req, int request_type,
                                 const char *owner) {
  if (request_type == 1) {
    for (size_t i = 0; i < req->n; i++)
      if (!has_type(target, req->v[i].type))
        return hns__fail(svc, er, HCN_E_POLICY_NOT_FOUND, "Settings.Policies[%zu]: the %s has no %s policy", i, owner,
                         req->v[i].type->name);
  } else if (request_type != 0 && request_type != 2) {
    return hns__fail(svc, er, HCN_E_REQUEST_UNSUPPORTED, "RequestType %s is not supported for %s policies",
                     hns_enum_name(hns_request_types, request_type), owner);
  }
  hns_policy *v = NULL;
  if (request_type != 1 && !(v = realloc(target->v, (target->n + req->n + 1) * sizeof *v)))
    return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  if (v) target->v = v;
  if (request_type != 0) { /* Remove and Update first drop the named types */
    size_t kept = 0;
    for (size_t j = 0; j < target->n; j++) {
      if (has_type(req, target->v[j].type)) hns_policy_clear(&target->v[j]);
      else target->v[kept++] = target->v[j];
    }
    target->n = kept;
  }
  if (request_type != 1) {
    memcpy(target->v + target->n, req->v, req->n * sizeof *req->v);
    target->n += req->n;
    req->n = 0; /* moved: the request no longer owns them */
  }
  return HNS_S_OK;
}
