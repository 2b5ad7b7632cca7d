/* hns_hostdump_export.c: a host state document (as hns_check_state writes
 * it) -> the files a format's tool writes: the Get-Hns* JSON that
 * collectlogs.ps1 gathers (`Get-HnsNetwork | ConvertTo-Json -Depth 20`,
 * the same for endpoints and policy lists; hnsim names the files
 * network.json, endpoint.json, policylist.json), hnsdiag's text
 * (hns_hostdump_diag_out.c) or networkhealth's dump (hns_hostdump_nh.c).
 *
 * The state is checked as far as the writers read it: a JSON object with a
 * Profile hnsim knows and lists of objects with string IDs. Objects are
 * written in the state's order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"
#include "sim_addr.h"

const cJSON *hns__dump_find(const hns__dump_state *s, int list, const char *id) {
  for (const cJSON *o = id ? s->lists[list]->child : NULL; o; o = o->next)
    if (!strcasecmp(cJSON_GetStringValue(cJSON_GetObjectItem(o, "ID")), id)) return o;
  return NULL;
}

const char *hns__dump_endpoint_ip(const cJSON *ep) {
  const cJSON *configs = cJSON_GetObjectItem(ep, "IpConfigurations");
  const char *first = NULL;
  for (const cJSON *c = cJSON_IsArray(configs) ? configs->child : NULL; c; c = c->next) {
    const char *ip = cJSON_GetStringValue(cJSON_GetObjectItem(c, "IpAddress"));
    sim_ip parsed;
    if (ip && !sim_ip_parse(ip, &parsed) && parsed.family == 4) return ip;
    if (!first) first = ip;
  }
  return first;
}

int hns__dump_add_file(hns_dump_files *out, const char *name, char *text) {
  hns_dump_file *v = realloc(out->v, (out->n + 1) * sizeof *v);
  char *copy = v ? strdup(name) : NULL;
  if (v) out->v = v;
  if (!copy) {
    free(text);
    return -1;
  }
  out->v[out->n++] = (hns_dump_file){copy, text};
  return 0;
}

void hns_dump_files_free(hns_dump_files *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) {
    free(f->v[i].name);
    free(f->v[i].text);
  }
  free(f->v);
  f->v = NULL;
  f->n = 0;
}

static hns_hr load(const char *json, hns__dump_state *s, cJSON *empty, char *err, size_t len) {
  memset(s, 0, sizeof *s);
  s->root = cJSON_Parse(json);
  const char *profile = cJSON_GetStringValue(cJSON_GetObjectItem(s->root, "Profile"));
  if (!cJSON_IsObject(s->root)) {
    snprintf(err, len, "the state is not a JSON object");
    return HNS_E_INVALIDARG;
  }
  if (!profile || !(s->profile = hns_profile_find(profile))) {
    snprintf(err, len, "the state's Profile %s%.64s%s is not a profile hnsim knows", profile ? "'" : "",
             profile ? profile : "(none)", profile ? "'" : "");
    return HNS_E_INVALIDARG;
  }
  for (int l = 0; l < HNS_DUMP_LISTS; l++) {
    const cJSON *list = cJSON_GetObjectItem(s->root, hns__dump_list_keys[l]);
    size_t i = 0;
    if (list && !cJSON_IsArray(list)) {
      snprintf(err, len, "the state's %s is not an array", hns__dump_list_keys[l]);
      return HNS_E_INVALIDARG;
    }
    for (const cJSON *o = list ? list->child : NULL; o; o = o->next, i++)
      if (!cJSON_IsString(cJSON_GetObjectItem(o, "ID"))) {
        snprintf(err, len, "the state's %s[%zu] has no ID", hns__dump_list_keys[l], i);
        return HNS_E_INVALIDARG;
      }
    s->lists[l] = list ? list : empty;
  }
  return HNS_S_OK;
}

/* network.json, endpoint.json, policylist.json: ConvertTo-Json of the v1 views. */
static int json_files(const hns__dump_state *s, hns_dump_files *out) {
  static const char *const names[HNS_DUMP_LISTS] = {"network.json", "endpoint.json", "policylist.json"};
  for (int l = 0; l < HNS_DUMP_LISTS; l++) {
    cJSON *views = cJSON_CreateArray();
    for (const cJSON *o = s->lists[l]->child; views && o; o = o->next) {
      cJSON *v = hns__dump_v1_view(s, l, o);
      if (!v) {
        cJSON_Delete(views);
        views = NULL;
      } else {
        cJSON_AddItemToArray(views, v);
      }
    }
    char *text = views ? hns__dump_print_pipeline(views) : NULL;
    cJSON_Delete(views);
    if (!text || hns__dump_add_file(out, names[l], text)) return -1;
  }
  return 0;
}

hns_hr hns_dump_export(const char *state_json, hns_dump_format format, hns_dump_files *out, char *err, size_t len) {
  if (!state_json || !out || (!err && len)) return HNS_E_POINTER;
  char scratch[1];
  if (!err) err = scratch, len = sizeof scratch;
  out->v = NULL;
  out->n = 0;
  err[0] = '\0';
  if (format != HNS_DUMP_JSON && format != HNS_DUMP_HNSDIAG && format != HNS_DUMP_NETWORKHEALTH) {
    snprintf(err, len, "hnsim exports json, hnsdiag and networkhealth, not %s",
             hns_dump_format_name(format) ? hns_dump_format_name(format) : "that");
    return HNS_E_INVALIDARG;
  }
  hns__dump_state s = {0};
  cJSON *empty = cJSON_CreateArray();
  hns_hr hr = empty ? load(state_json, &s, empty, err, len) : HNS_E_OUTOFMEMORY;
  if (HNS_SUCCEEDED(hr)) {
    int rc = format == HNS_DUMP_JSON      ? json_files(&s, out)
             : format == HNS_DUMP_HNSDIAG ? hns__dump_hnsdiag_out(&s, out)
                                          : hns__dump_nh_out(&s, out);
    if (rc) hr = HNS_E_OUTOFMEMORY;
  }
  if (hr == HNS_E_OUTOFMEMORY) snprintf(err, len, "out of memory");
  if (HNS_FAILED(hr)) hns_dump_files_free(out);
  cJSON_Delete(s.root);
  cJSON_Delete(empty);
  return hr;
}
