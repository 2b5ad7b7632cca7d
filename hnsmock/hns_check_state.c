/* hns_check_state.c: a host's state for the checks: read from a live HNS
 * through hns_api.h only (HcnEnumerate*, HcnOpen*, HcnQuery*Properties),
 * written as one JSON document, and read back from such a document into
 * checked, indexed records (hns_check_int.h).
 *
 * What is read: networks, endpoints and load balancers as v2 documents
 * (SchemaVersion 2.0), in the order HNS lists them. The v2 schema gives
 * every top-level object a State (VDOCS HNS_Schema.md Base fields, facts
 * §3.1), but hnsmock's v2 documents of endpoints and load balancers carry
 * none; their v1 view does (the endpoint's State, which networkhealth.ps1
 * reads through Get-HnsEndpoint), so it is copied in where the v2 document
 * has no State (inferred: where a real host puts it in v2 is not known).
 * Namespaces and SDN routes are not read: no check needs them.
 *
 * Loading checks every field a check reads and names the field and value
 * it refuses ("host 'node1': Endpoints[2].IpConfigurations[0].IpAddress:
 * '10.1' is not an IP address"). Keys are matched in any case, as Go's
 * JSON decoder does for the documents clients read (consumers §2.5). */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_check_int.h"

/* ---- reading a live host ---- */

static const char *const kind_calls[] = {"Networks", "Endpoints", "Namespaces", "LoadBalancers", "SdnRoutes"};
static const char *const query_calls[] = {"Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute"};

static hns_hr call_failed(hns_service *svc, hns_hr hr, char *err, size_t len, const char *call) {
  const char *name = hns_hr_name(hr);
  snprintf(err, len, "%s failed with 0x%08X (%s): %s", call, (unsigned)hr, name ? name : "unknown",
           hns_service_last_detail(svc));
  return hr;
}

/* One object's v2 document, with the v1 State when it has none. */
static hns_hr read_object(hns_service *svc, hns_object_kind kind, const char *id, cJSON **doc, char *err, size_t len) {
  char call[64];
  hns_guid g;
  hns_handle *h = NULL;
  *doc = NULL;
  if (hns_guid_parse(id, &g)) {
    snprintf(err, len, "HcnEnumerate%s listed '%s', which is not a GUID", kind_calls[kind], id);
    return HNS_E_UNEXPECTED;
  }
  hns_hr hr = hns_open(svc, kind, &g, &h, NULL);
  if (HNS_FAILED(hr)) {
    snprintf(call, sizeof call, "HcnOpen%s %s", query_calls[kind], id);
    return call_failed(svc, hr, err, len, call);
  }
  char *text = NULL;
  hr = hns_query_properties(h, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", &text, NULL);
  if (HNS_SUCCEEDED(hr) && !(*doc = cJSON_Parse(text))) hr = HNS_E_OUTOFMEMORY;
  free(text);
  if (HNS_SUCCEEDED(hr) && kind != HNS_NETWORK && !cJSON_GetObjectItem(*doc, "State")) {
    hr = hns_query_properties(h, "{\"SchemaVersion\":{\"Major\":1,\"Minor\":0}}", &text, NULL);
    cJSON *v1 = HNS_SUCCEEDED(hr) ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *state = cJSON_GetObjectItem(v1, "State");
    if (HNS_SUCCEEDED(hr) && !v1) hr = HNS_E_OUTOFMEMORY;
    if (cJSON_IsNumber(state) && !cJSON_AddNumberToObject(*doc, "State", state->valuedouble)) hr = HNS_E_OUTOFMEMORY;
    cJSON_Delete(v1);
  }
  hns_close(h);
  if (HNS_SUCCEEDED(hr)) return hr;
  cJSON_Delete(*doc);
  *doc = NULL;
  if (hr == HNS_E_OUTOFMEMORY) {
    snprintf(err, len, "out of memory");
    return hr;
  }
  snprintf(call, sizeof call, "HcnQuery%sProperties %s", query_calls[kind], id);
  return call_failed(svc, hr, err, len, call);
}

static hns_hr read_kind(hns_service *svc, hns_object_kind kind, cJSON *into, char *err, size_t len) {
  char *text = NULL, call[32];
  hns_hr hr = hns_enumerate(svc, kind, NULL, &text, NULL);
  if (HNS_FAILED(hr)) {
    snprintf(call, sizeof call, "HcnEnumerate%s", kind_calls[kind]);
    return call_failed(svc, hr, err, len, call);
  }
  cJSON *ids = cJSON_Parse(text);
  free(text);
  if (!ids) {
    snprintf(err, len, "out of memory");
    return HNS_E_OUTOFMEMORY;
  }
  for (const cJSON *id = ids->child; id && HNS_SUCCEEDED(hr); id = id->next) {
    cJSON *doc = NULL;
    hr = read_object(svc, kind, cJSON_IsString(id) ? id->valuestring : "", &doc, err, len);
    if (HNS_SUCCEEDED(hr)) cJSON_AddItemToArray(into, doc);
  }
  cJSON_Delete(ids);
  return hr;
}

hns_hr hns__ck_collect(hns_service *svc, cJSON **root, char *err, size_t len) {
  static const hns_object_kind kinds[] = {HNS_NETWORK, HNS_ENDPOINT, HNS_LOADBALANCER};
  cJSON *out = cJSON_CreateObject();
  hns_hr hr =
      out && cJSON_AddStringToObject(out, "Profile", hns_service_profile(svc)->name) ? HNS_S_OK : HNS_E_OUTOFMEMORY;
  for (size_t i = 0; HNS_SUCCEEDED(hr) && i < sizeof kinds / sizeof kinds[0]; i++) {
    cJSON *list = cJSON_AddArrayToObject(out, kind_calls[kinds[i]]);
    hr = list ? read_kind(svc, kinds[i], list, err, len) : HNS_E_OUTOFMEMORY;
  }
  if (hr == HNS_E_OUTOFMEMORY) snprintf(err, len, "out of memory");
  if (HNS_FAILED(hr)) {
    cJSON_Delete(out);
    out = NULL;
  }
  *root = out;
  return hr;
}

hns_hr hns_check_state(hns_service *svc, char **out_json) {
  if (!svc || !out_json) return HNS_E_POINTER;
  *out_json = NULL;
  char err[256];
  cJSON *root = NULL;
  hns_hr hr = hns__ck_collect(svc, &root, err, sizeof err);
  if (HNS_FAILED(hr)) return hr;
  *out_json = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return *out_json ? HNS_S_OK : HNS_E_OUTOFMEMORY;
}

/* ---- loading a state document ---- */

typedef struct loader {
  hns__ck_host *h;
  char *err;
  size_t len;
} loader;

static hns_hr refuse(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static hns_hr refuse(loader *l, const char *fmt, ...) {
  int used = snprintf(l->err, l->len, "host '%s': ", l->h->name);
  va_list ap;
  va_start(ap, fmt);
  if (used >= 0 && (size_t)used < l->len) vsnprintf(l->err + used, l->len - (size_t)used, fmt, ap);
  va_end(ap);
  return HNS_E_INVALIDARG;
}

static hns_hr oom(loader *l) {
  snprintf(l->err, l->len, "out of memory");
  return HNS_E_OUTOFMEMORY;
}

/* An optional string field: *out is NULL when absent. */
static hns_hr opt_string(loader *l, const cJSON *o, const char *where, const char *key, const char **out) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  *out = NULL;
  if (!v || cJSON_IsNull(v)) return HNS_S_OK;
  if (!cJSON_IsString(v)) return refuse(l, "%s.%s is not a string", where, key);
  *out = v->valuestring;
  return HNS_S_OK;
}

/* An optional unsigned integer field; *has says whether it is there. */
static hns_hr opt_uint(loader *l, const cJSON *o, const char *where, const char *key, int *has, uint32_t *out) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  *has = 0;
  *out = 0;
  if (!v || cJSON_IsNull(v)) return HNS_S_OK;
  if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 4294967295.0 ||
      v->valuedouble != (uint32_t)v->valuedouble)
    return refuse(l, "%s.%s is not an unsigned integer", where, key);
  *has = 1;
  *out = (uint32_t)v->valuedouble;
  return HNS_S_OK;
}

/* An optional array field: *out is NULL when absent. */
static hns_hr opt_array(loader *l, const cJSON *o, const char *where, const char *key, const cJSON **out) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  *out = NULL;
  if (!v || cJSON_IsNull(v)) return HNS_S_OK;
  if (!cJSON_IsArray(v)) return refuse(l, "%s.%s is not an array", where, key);
  *out = v;
  return HNS_S_OK;
}

/* The ID in lower case: what lookups compare (GUIDs in any case, facts §3.1). */
static int key_of(const char *id, char out[HNS_CK_KEY]) {
  size_t n = strlen(id);
  if (n >= HNS_CK_KEY) return -1;
  for (size_t i = 0; i <= n; i++) out[i] = (char)tolower((unsigned char)id[i]);
  return 0;
}

static hns_hr lower_key(loader *l, const char *where, const char *key, const char *text, char out[HNS_CK_KEY]) {
  if (key_of(text, out)) return refuse(l, "%s.%s: '%.40s...' is longer than an ID can be", where, key, text);
  return HNS_S_OK;
}

static hns_hr read_id(loader *l, const cJSON *o, const char *where, const char **id, char key[HNS_CK_KEY]) {
  if (!cJSON_IsObject(o)) return refuse(l, "%s is not an object", where);
  hns_hr hr = opt_string(l, o, where, "ID", id);
  if (HNS_SUCCEEDED(hr) && (!*id || !**id)) hr = refuse(l, "%s has no ID", where);
  return HNS_SUCCEEDED(hr) ? lower_key(l, where, "ID", *id, key) : hr;
}

static hns_hr read_ip(loader *l, const char *where, const char *text, sim_ip *out) {
  return sim_ip_parse(text, out) ? refuse(l, "%s: '%s' is not an IP address", where, text) : HNS_S_OK;
}

static hns_hr read_network(loader *l, const cJSON *o, const char *where, hns__ck_network *n) {
  const cJSON *policies = NULL;
  hns_hr hr = read_id(l, o, where, &n->id, n->key);
  if (HNS_SUCCEEDED(hr)) hr = opt_string(l, o, where, "Name", &n->name);
  if (HNS_SUCCEEDED(hr)) hr = opt_array(l, o, where, "Policies", &policies);
  size_t i = 0;
  for (const cJSON *p = policies ? policies->child : NULL; p && HNS_SUCCEEDED(hr); p = p->next, i++) {
    const cJSON *type = cJSON_GetObjectItem(p, "Type");
    if (!cJSON_IsString(type) || strcasecmp(type->valuestring, "ProviderAddress")) continue;
    char at[128];
    const char *pa = NULL;
    snprintf(at, sizeof at, "%s.Policies[%zu].Settings", where, i);
    hr = opt_string(l, cJSON_GetObjectItem(p, "Settings"), at, "ProviderAddress", &pa);
    if (HNS_SUCCEEDED(hr) && pa) {
      snprintf(at, sizeof at, "%s.Policies[%zu].Settings.ProviderAddress", where, i);
      hr = read_ip(l, at, pa, &n->pa);
      n->has_pa = HNS_SUCCEEDED(hr);
    }
  }
  return hr;
}

static hns_hr read_endpoint(loader *l, const cJSON *o, const char *where, hns__ck_endpoint *e) {
  const char *network = NULL, *mac = NULL;
  const cJSON *configs = NULL;
  int has = 0;
  uint32_t flags = 0, state = 0;
  hns_hr hr = read_id(l, o, where, &e->id, e->key);
  if (HNS_SUCCEEDED(hr)) hr = opt_string(l, o, where, "Name", &e->name);
  if (HNS_SUCCEEDED(hr)) hr = opt_string(l, o, where, "HostComputeNetwork", &network);
  if (HNS_SUCCEEDED(hr) && network) hr = lower_key(l, where, "HostComputeNetwork", network, e->network);
  if (HNS_SUCCEEDED(hr)) hr = opt_uint(l, o, where, "Flags", &has, &flags);
  e->remote = (flags & HNS_CK_REMOTE_ENDPOINT) != 0;
  if (HNS_SUCCEEDED(hr)) hr = opt_uint(l, o, where, "State", &e->has_state, &state);
  e->state = (int)state;
  if (HNS_SUCCEEDED(hr)) hr = opt_string(l, o, where, "MacAddress", &mac);
  if (HNS_SUCCEEDED(hr) && mac && *mac) {
    if (sim_mac_parse(mac, &e->mac)) hr = refuse(l, "%s.MacAddress: '%s' is not a MAC address", where, mac);
    e->has_mac = 1;
  }
  if (HNS_SUCCEEDED(hr)) hr = opt_array(l, o, where, "IpConfigurations", &configs);
  size_t n = configs ? (size_t)cJSON_GetArraySize(configs) : 0;
  if (HNS_SUCCEEDED(hr) && n && !(e->ips = calloc(n, sizeof *e->ips))) hr = oom(l);
  for (const cJSON *c = configs ? configs->child : NULL; c && HNS_SUCCEEDED(hr); c = c->next) {
    char at[128];
    const char *ip = NULL;
    snprintf(at, sizeof at, "%s.IpConfigurations[%zu]", where, e->n_ips);
    hr = cJSON_IsObject(c) ? opt_string(l, c, at, "IpAddress", &ip) : refuse(l, "%s is not an object", at);
    if (HNS_SUCCEEDED(hr) && !ip) hr = refuse(l, "%s has no IpAddress", at);
    if (HNS_SUCCEEDED(hr)) {
      snprintf(at, sizeof at, "%s.IpConfigurations[%zu].IpAddress", where, e->n_ips);
      hr = read_ip(l, at, ip, &e->ips[e->n_ips++]);
    }
  }
  return hr;
}

static hns_hr read_lb(loader *l, const cJSON *o, const char *where, hns__ck_lb *lb) {
  const cJSON *vips = NULL, *maps = NULL;
  int has = 0;
  hns_hr hr = read_id(l, o, where, &lb->id, lb->key);
  if (HNS_SUCCEEDED(hr)) hr = opt_array(l, o, where, "HostComputeEndpoints", &lb->backends);
  size_t i = 0;
  for (const cJSON *b = lb->backends ? lb->backends->child : NULL; b && HNS_SUCCEEDED(hr); b = b->next, i++)
    if (!cJSON_IsString(b)) hr = refuse(l, "%s.HostComputeEndpoints[%zu] is not a string", where, i);
  if (HNS_SUCCEEDED(hr)) hr = opt_uint(l, o, where, "Flags", &has, &lb->flags);
  uint32_t state = 0;
  if (HNS_SUCCEEDED(hr)) hr = opt_uint(l, o, where, "State", &lb->has_state, &state);
  lb->state = (int)state;
  if (HNS_SUCCEEDED(hr)) hr = opt_array(l, o, where, "FrontendVIPs", &vips);
  size_t n = vips ? (size_t)cJSON_GetArraySize(vips) : 0;
  if (HNS_SUCCEEDED(hr) && n && !(lb->vips = calloc(n, sizeof *lb->vips))) hr = oom(l);
  for (const cJSON *v = vips ? vips->child : NULL; v && HNS_SUCCEEDED(hr); v = v->next) {
    char at[128];
    snprintf(at, sizeof at, "%s.FrontendVIPs[%zu]", where, lb->n_vips);
    hr = cJSON_IsString(v) ? read_ip(l, at, v->valuestring, &lb->vips[lb->n_vips++])
                           : refuse(l, "%s is not a string", at);
  }
  if (HNS_SUCCEEDED(hr)) hr = opt_array(l, o, where, "PortMappings", &maps);
  n = maps ? (size_t)cJSON_GetArraySize(maps) : 0;
  if (HNS_SUCCEEDED(hr) && n && !(lb->maps = calloc(n, sizeof *lb->maps))) hr = oom(l);
  for (const cJSON *m = maps ? maps->child : NULL; m && HNS_SUCCEEDED(hr); m = m->next) {
    char at[128];
    hns__ck_mapping *pm = &lb->maps[lb->n_maps];
    snprintf(at, sizeof at, "%s.PortMappings[%zu]", where, lb->n_maps++);
    hr = cJSON_IsObject(m) ? opt_uint(l, m, at, "Protocol", &has, &pm->protocol) : refuse(l, "%s is not an object", at);
    if (HNS_SUCCEEDED(hr)) hr = opt_uint(l, m, at, "ExternalPort", &has, &pm->external_port);
  }
  return hr;
}

static int by_network_key(const void *a, const void *b) {
  return strcmp(((const hns__ck_network *)a)->key, ((const hns__ck_network *)b)->key);
}
static int by_endpoint_key(const void *a, const void *b) {
  return strcmp(((const hns__ck_endpoint *)a)->key, ((const hns__ck_endpoint *)b)->key);
}
static int by_lb_key(const void *a, const void *b) {
  return strcmp(((const hns__ck_lb *)a)->key, ((const hns__ck_lb *)b)->key);
}
static int by_ip(const void *a, const void *b) { return sim_ip_compare(a, b); }

/* Reads one of the state's arrays into *n records of `size` bytes (calloc'd:
 * *n is the array's length even when a record is refused, so that
 * hns__ck_host_free frees what the records read so far hold), sorted by
 * key; an ID given twice is refused. `id_at` is the offset of the record's
 * ID pointer. */
static hns_hr read_list(loader *l, const char *key, size_t size, size_t id_at, void **out, size_t *n,
                        hns_hr (*read)(loader *, const cJSON *, const char *, void *),
                        int (*cmp)(const void *, const void *)) {
  const cJSON *list = NULL;
  hns_hr hr = opt_array(l, l->h->root, "the state", key, &list);
  *n = list ? (size_t)cJSON_GetArraySize(list) : 0;
  char *records = HNS_SUCCEEDED(hr) && *n ? calloc(*n, size) : NULL;
  *out = records;
  if (HNS_SUCCEEDED(hr) && *n && !records) {
    *n = 0;
    return oom(l);
  }
  size_t i = 0;
  for (const cJSON *o = list ? list->child : NULL; o && HNS_SUCCEEDED(hr); o = o->next, i++) {
    char where[48];
    snprintf(where, sizeof where, "%s[%zu]", key, i);
    hr = read(l, o, where, records + i * size);
  }
  if (HNS_FAILED(hr)) return hr;
  if (*n) qsort(records, *n, size, cmp);
  for (i = 1; i < *n; i++)
    if (!cmp(records + (i - 1) * size, records + i * size)) {
      const char *id;
      memcpy(&id, records + i * size + id_at, sizeof id);
      return refuse(l, "%s: two objects have the ID %s", key, id);
    }
  return HNS_S_OK;
}

/* Adapters from the typed readers to read_list's. */
static hns_hr read_network_v(loader *l, const cJSON *o, const char *w, void *r) { return read_network(l, o, w, r); }
static hns_hr read_endpoint_v(loader *l, const cJSON *o, const char *w, void *r) { return read_endpoint(l, o, w, r); }
static hns_hr read_lb_v(loader *l, const cJSON *o, const char *w, void *r) { return read_lb(l, o, w, r); }

hns_hr hns__ck_host_load(hns__ck_host *h, const char *name, cJSON *root, char *err, size_t len) {
  loader l = {h, err, len};
  memset(h, 0, sizeof *h);
  h->name = name;
  h->root = root;
  const char *profile = NULL;
  if (!cJSON_IsObject(root)) return refuse(&l, "its state is not a JSON object");
  hns_hr hr = opt_string(&l, root, "the state", "Profile", &profile);
  if (HNS_SUCCEEDED(hr) && !profile) hr = refuse(&l, "the state has no Profile");
  if (HNS_SUCCEEDED(hr) && !(h->profile = hns_profile_find(profile)))
    hr = refuse(&l, "the state's Profile '%s' is not a profile hnsim knows", profile);
  void *records = NULL;
  if (HNS_SUCCEEDED(hr)) {
    hr = read_list(&l, "Networks", sizeof *h->nets, offsetof(hns__ck_network, id), &records, &h->n_nets, read_network_v,
                   by_network_key);
    h->nets = records;
  }
  if (HNS_SUCCEEDED(hr)) {
    hr = read_list(&l, "Endpoints", sizeof *h->eps, offsetof(hns__ck_endpoint, id), &records, &h->n_eps,
                   read_endpoint_v, by_endpoint_key);
    h->eps = records;
  }
  if (HNS_SUCCEEDED(hr)) {
    hr = read_list(&l, "LoadBalancers", sizeof *h->lbs, offsetof(hns__ck_lb, id), &records, &h->n_lbs, read_lb_v,
                   by_lb_key);
    h->lbs = records;
  }
  for (size_t i = 0; HNS_SUCCEEDED(hr) && i < h->n_lbs; i++) h->n_vips += h->lbs[i].n_vips;
  if (HNS_SUCCEEDED(hr) && h->n_vips && !(h->vips = malloc(h->n_vips * sizeof *h->vips))) hr = oom(&l);
  if (HNS_FAILED(hr)) return hr;
  for (size_t i = 0, k = 0; i < h->n_lbs; i++)
    for (size_t j = 0; j < h->lbs[i].n_vips; j++) h->vips[k++] = h->lbs[i].vips[j];
  if (h->n_vips) qsort(h->vips, h->n_vips, sizeof *h->vips, by_ip);
  return HNS_S_OK;
}

void hns__ck_host_free(hns__ck_host *h) {
  for (size_t i = 0; h->eps && i < h->n_eps; i++) free(h->eps[i].ips);
  for (size_t i = 0; h->lbs && i < h->n_lbs; i++) {
    free(h->lbs[i].vips);
    free(h->lbs[i].maps);
  }
  free(h->nets);
  free(h->eps);
  free(h->lbs);
  free(h->vips);
  cJSON_Delete(h->root);
  memset(h, 0, sizeof *h);
}

/* ---- lookups ---- */

const hns__ck_endpoint *hns__ck_endpoint_find(const hns__ck_host *h, const char *id) {
  hns__ck_endpoint probe;
  if (!h->n_eps || key_of(id, probe.key)) return NULL;
  return bsearch(&probe, h->eps, h->n_eps, sizeof *h->eps, by_endpoint_key);
}

const hns__ck_network *hns__ck_network_find(const hns__ck_host *h, const char *id) {
  hns__ck_network probe;
  if (!h->n_nets || key_of(id, probe.key)) return NULL;
  return bsearch(&probe, h->nets, h->n_nets, sizeof *h->nets, by_network_key);
}

int hns__ck_is_vip(const hns__ck_host *h, const sim_ip *ip) {
  return h->n_vips && bsearch(ip, h->vips, h->n_vips, sizeof *h->vips, by_ip) != NULL;
}
