/* hns_state_load.c: a host's state document (hns_check.h) loaded into an
 * empty simulated HNS (hns_state_load.h): the document read, its networks,
 * endpoints and load balancers created in its order with their IDs, and
 * everything deleted again when one is refused.
 *
 * IDs: the state's own, as written. hns_create keeps the ID a create's
 * settings give (hns__assign_id), in the case given; the load passes no
 * GUID of its own and leaves the document's "ID" in place. No other
 * mechanism keeps IDs: an HNS restart (hns_persist.c) re-creates nothing,
 * it drops what is lost and keeps the rest in place.
 *
 * All or nothing: what a load made is deleted backwards through hns_delete
 * (load balancers, then namespaces, endpoints, networks: dependents first),
 * and the service's counters (IDs drawn, networks made, compartment IDs,
 * insertions) are put back, so a refused load leaves the service as it
 * was. A delete of an object made moments before by the same load is never
 * refused: the model accepted it and nothing else names it. Notifications
 * (NetworkCreate, NetworkDelete, ...) reach callbacks registered before the
 * load, for the creates and for the rollback.
 *
 * Afterwards the service draws the IDs it chooses from a sequence of its
 * own: a recorded host's run drew its IDs from the service's seed and
 * counter, which a new run with the same seed and host name would repeat,
 * handing out the loaded IDs again (inferred: a real HNS's GUIDs do not
 * repeat either). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_profile.h"
#include "hns_state_load_int.h"

static const char *const lists[] = {"Networks", "Endpoints", "LoadBalancers"};

/* ---- failures ---- */

static hns_hr set_detail(hns__sl *l, hns_hr hr, const char *text) {
  free(l->detail);
  l->detail = hns_strdup(text);
  return hr;
}

hns_hr hns__sl_bad(hns__sl *l, hns_hr hr, const char *fmt, ...) {
  char text[640];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  return set_detail(l, hr, text);
}

hns_hr hns__sl_refused(hns__sl *l, hns_hr hr, const char *where, const char *call) {
  const char *name = hns_hr_name(hr), *why = hns_service_last_detail(l->svc);
  const char *message = hns_hr_text(hr);
  return hns__sl_bad(l, hr, "%s: %s answered 0x%08X %s: %s", where, call, (unsigned)hr, name ? name : "(unknown)",
                     *why ? why : message ? message : "no detail");
}

hns_hr hns__sl_created(hns__sl *l, hns_object_kind kind, const hns_guid *id, const char *where) {
  if (l->nmade == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    hns__sl_made *v = realloc(l->made, cap * sizeof *v);
    if (!v) {
      hns_delete(l->svc, kind, id, NULL);
      return hns__sl_bad(l, HNS_E_OUTOFMEMORY, "%s: out of memory", where);
    }
    l->made = v;
    l->cap = cap;
  }
  l->made[l->nmade++] = (hns__sl_made){kind, *id};
  l->report.created[kind]++;
  return HNS_S_OK;
}

/* ---- one object ---- */

/* "Endpoints[2] 'web-1_cbr0' <ID>", for sentences. */
static void describe(char *out, size_t len, const char *list, size_t i, const cJSON *doc) {
  const cJSON *name = cJSON_GetObjectItem(doc, "Name"), *id = cJSON_GetObjectItem(doc, "ID");
  int n = snprintf(out, len, "%s[%zu]", list, i);
  if (n >= 0 && (size_t)n < len && cJSON_IsString(name) && *name->valuestring)
    n += snprintf(out + n, len - (size_t)n, " '%.80s'", name->valuestring);
  if (n >= 0 && (size_t)n < len && cJSON_IsString(id)) snprintf(out + n, len - (size_t)n, " %.40s", id->valuestring);
}

/* The object's ID: a loaded object keeps the state's, so it must have one. */
static hns_hr object_id(hns__sl *l, const cJSON *doc, const char *where, hns_guid *out) {
  const cJSON *id = cJSON_GetObjectItem(doc, "ID");
  if (!cJSON_IsString(id))
    return hns__sl_bad(l, HCN_E_GUID_CONVERSION_FAILURE, "%s: ID: missing; a loaded object keeps the state's ID", where);
  if (hns_guid_parse(id->valuestring, out) || hns_guid_is_zero(out))
    return hns__sl_bad(l, HCN_E_GUID_CONVERSION_FAILURE, "%s: ID: '%.40s' is not a GUID other than zero", where,
                       id->valuestring);
  return HNS_S_OK;
}

/* HcnCreate<kind> with `doc` as its settings, `parent` the network for an
 * endpoint. */
static hns_hr create(hns__sl *l, hns_object_kind kind, hns_handle *parent, const cJSON *doc, const hns_guid *id,
                     const char *where, const char *call) {
  char *settings = cJSON_PrintUnformatted(doc);
  if (!settings) return hns__sl_bad(l, HNS_E_OUTOFMEMORY, "%s: out of memory", where);
  hns_handle *h = NULL;
  hns_hr hr = hns_create(l->svc, kind, parent, NULL, settings, &h, NULL);
  free(settings);
  if (HNS_FAILED(hr)) return hns__sl_refused(l, hr, where, call);
  hns_close(h);
  return hns__sl_created(l, kind, id, where);
}

static hns_hr load_network(hns__sl *l, cJSON *doc, const char *where) {
  hns_guid id;
  hns_hr hr = object_id(l, doc, where, &id);
  return HNS_SUCCEEDED(hr) ? create(l, HNS_NETWORK, NULL, doc, &id, where, "HcnCreateNetwork") : hr;
}

/* HcnOpenNetwork of the endpoint's HostComputeNetwork, then HcnCreateEndpoint
 * (as hcsshim's CreateEndpoint does), then its attachments. */
static hns_hr load_endpoint(hns__sl *l, cJSON *doc, const char *where) {
  hns_guid id, net_id;
  hns__sl_attach a = {0};
  hns_handle *net = NULL;
  const cJSON *network = cJSON_GetObjectItem(doc, "HostComputeNetwork");
  const cJSON *flags = cJSON_GetObjectItem(doc, "Flags");
  int remote = cJSON_IsNumber(flags) && ((unsigned)flags->valuedouble & 1u); /* EndpointFlags.RemoteEndpoint */
  char id_text[48], call[96];
  hns_hr hr = object_id(l, doc, where, &id);
  if (HNS_SUCCEEDED(hr) && !cJSON_IsString(network))
    hr = hns__sl_bad(l, HNS_E_INVALIDARG, "%s: HostComputeNetwork: missing; an endpoint is created on its network", where);
  if (HNS_SUCCEEDED(hr) && hns_guid_parse(network->valuestring, &net_id))
    hr = hns__sl_bad(l, HCN_E_GUID_CONVERSION_FAILURE, "%s: HostComputeNetwork: '%.40s' is not a GUID", where,
                     network->valuestring);
  if (HNS_SUCCEEDED(hr)) {
    snprintf(call, sizeof call, "HcnOpenNetwork %.40s", network->valuestring);
    hr = hns_open(l->svc, HNS_NETWORK, &net_id, &net, NULL);
    if (HNS_FAILED(hr)) hr = hns__sl_refused(l, hr, where, call);
  }
  if (HNS_SUCCEEDED(hr)) hr = hns__sl_endpoint_split(l, doc, where, &a);
  if (HNS_SUCCEEDED(hr)) hr = create(l, HNS_ENDPOINT, net, doc, &id, where, "HcnCreateEndpoint");
  if (net) hns_close(net);
  if (HNS_SUCCEEDED(hr)) {
    hns_guid_format(&id, 1, id_text);
    hr = hns__sl_endpoint_attach(l, where, id_text, remote, &a);
  }
  hns__sl_attach_free(&a);
  return hr;
}

/* A load balancer's State is the v1 view's, which hns_check_state copied
 * in; HNS sets it, so it goes. */
static hns_hr load_lb(hns__sl *l, cJSON *doc, const char *where) {
  hns_guid id;
  hns_hr hr = object_id(l, doc, where, &id);
  cJSON_DeleteItemFromObject(doc, "State");
  return HNS_SUCCEEDED(hr) ? create(l, HNS_LOADBALANCER, NULL, doc, &id, where, "HcnCreateLoadBalancer") : hr;
}

/* ---- the document ---- */

typedef hns_hr (*load_fn)(hns__sl *, cJSON *, const char *);

/* Every object of one of the state's lists, in order. A list that is
 * absent or null is empty. */
static hns_hr load_list(hns__sl *l, cJSON *root, size_t which, load_fn load) {
  cJSON *list = cJSON_GetObjectItem(root, lists[which]);
  if (!list || cJSON_IsNull(list)) return HNS_S_OK;
  if (!cJSON_IsArray(list)) return hns__sl_bad(l, HCN_E_INVALID_JSON, "the state's %s is not an array", lists[which]);
  size_t i = 0;
  for (cJSON *doc = list->child; doc; doc = doc->next, i++) {
    char where[192];
    describe(where, sizeof where, lists[which], i, doc);
    if (!cJSON_IsObject(doc)) return hns__sl_bad(l, HCN_E_INVALID_JSON, "%s is not an object", where);
    hns_hr hr = load(l, doc, where);
    if (HNS_FAILED(hr)) return hr;
  }
  return HNS_S_OK;
}

static int is_empty(const hns_service *svc) {
  for (int k = 0; k < HNS_KINDS; k++)
    if (svc->count[k]) return 0;
  return 1;
}

/* splitmix64's finaliser over the seed and a constant of the load's own. */
static uint64_t reseed(uint64_t seed) {
  uint64_t x = seed ^ 0x6C6F616473746174ull; /* "loadstat" */
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

static hns_hr load_all(hns__sl *l, const char *state_json) {
  cJSON *root = cJSON_Parse(state_json);
  hns_hr hr = HNS_S_OK;
  if (!root) {
    const char *at = cJSON_GetErrorPtr();
    return hns__sl_bad(l, HCN_E_INVALID_JSON, "the state is not JSON (near '%.24s')", at ? at : "");
  }
  if (!cJSON_IsObject(root)) hr = hns__sl_bad(l, HCN_E_INVALID_JSON, "the state is not a JSON object");
  if (HNS_SUCCEEDED(hr)) hr = load_list(l, root, 0, load_network);
  if (HNS_SUCCEEDED(hr)) hr = load_list(l, root, 1, load_endpoint);
  if (HNS_SUCCEEDED(hr)) hr = load_list(l, root, 2, load_lb);
  cJSON_Delete(root);
  return hr;
}

hns_hr hns_state_load(hns_service *svc, const char *state_json, char **detail, hns_state_load_report *report) {
  if (detail) *detail = NULL;
  if (report) memset(report, 0, sizeof *report);
  if (!svc || !state_json) return HNS_E_POINTER;
  svc->detail[0] = '\0';
  if (!is_empty(svc)) {
    hns_hr hr = hns__fail(svc, NULL, HNS_E_INVALIDARG, "the service holds objects already; a state loads into an empty HNS");
    if (detail) *detail = hns_strdup(svc->detail);
    return hr;
  }
  uint64_t ids_issued = svc->ids_issued, networks_made = svc->networks_made, inserted = svc->inserted;
  uint32_t next_compartment = svc->next_compartment;
  hns__sl l = {svc, {{0}, 0, 0}, NULL, 0, 0, NULL};
  hns_hr hr = load_all(&l, state_json);
  if (HNS_FAILED(hr)) {
    for (size_t i = l.nmade; i-- > 0;) hns_delete(svc, l.made[i].kind, &l.made[i].id, NULL);
    svc->ids_issued = ids_issued;
    svc->networks_made = networks_made;
    svc->inserted = inserted;
    svc->next_compartment = next_compartment;
    hns__fail(svc, NULL, hr, "%s", l.detail ? l.detail : "out of memory");
    if (detail) *detail = l.detail;
    else free(l.detail);
  } else {
    svc->seed = reseed(svc->seed);
    if (report) *report = l.report;
  }
  free(l.made);
  return hr;
}

hns_hr hns_state_profile(const char *state_json, const hns_profile **out, char **detail) {
  if (detail) *detail = NULL;
  if (!state_json || !out) return HNS_E_POINTER;
  *out = NULL;
  cJSON *root = cJSON_Parse(state_json);
  const cJSON *name = cJSON_IsObject(root) ? cJSON_GetObjectItem(root, "Profile") : NULL;
  char text[512] = "";
  if (!cJSON_IsObject(root)) {
    snprintf(text, sizeof text, "the state is not a JSON object");
  } else if (name && !cJSON_IsNull(name) && !cJSON_IsString(name)) {
    snprintf(text, sizeof text, "the state's Profile is not a string");
  } else if (cJSON_IsString(name) && !(*out = hns_profile_find(name->valuestring))) {
    int n = snprintf(text, sizeof text, "the state's Profile '%.64s' is not a profile hnsim knows (known:", name->valuestring);
    for (const hns_profile *const *p = hns_profiles(); *p && n >= 0 && (size_t)n < sizeof text; p++)
      n += snprintf(text + n, sizeof text - (size_t)n, " %s", (*p)->name);
    if (n >= 0 && (size_t)n < sizeof text) snprintf(text + n, sizeof text - (size_t)n, ")");
  }
  cJSON_Delete(root);
  if (!*text) return HNS_S_OK;
  if (detail) *detail = hns_strdup(text);
  return HNS_E_INVALIDARG;
}
