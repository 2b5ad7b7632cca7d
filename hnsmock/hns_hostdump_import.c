/* hns_hostdump_import.c: one file of a host's dump, from its bytes to the
 * objects it holds: which format it is (hns_hostdump.h), the HNSCall
 * envelope and the host state document unwrapped, the rest handed object by
 * object to hns_hostdump_merge.c. Also the import's life cycle, its notes
 * and its error text.
 *
 * Detection, in order: an empty file holds nothing (ConvertTo-Json prints
 * nothing for no input); text that is not JSON but has hnsdiag's section
 * titles or object blocks is hnsdiag's; otherwise the JSON values, from the
 * first line that starts with '{' or '[' (a Format-Table preamble, as
 * collectlogs.ps1 writes network.txt, comes before); one object with
 * "Success" is HNSCall's envelope (HCSSHIM internal/hns hnsResponse,
 * docs/v1-api.md); one with the state's lists is a host state; else each
 * object says what it is (hns_hostdump_classify.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"

hns_hr hns_dump_import_create(hns_dump_note_fn note, void *ctx, hns_dump_import **out) {
  if (!out) return HNS_E_POINTER;
  *out = NULL;
  hns_dump_import *im = calloc(1, sizeof *im);
  if (!im) return HNS_E_OUTOFMEMORY;
  im->note = note;
  im->ctx = ctx;
  hns_hr hr = hns_service_create(NULL, &im->scratch);
  for (int l = 0; HNS_SUCCEEDED(hr) && l < HNS_DUMP_LISTS; l++)
    if (!(im->lists[l] = cJSON_CreateArray()) || !(im->pending[l] = cJSON_CreateArray())) hr = HNS_E_OUTOFMEMORY;
  if (HNS_FAILED(hr)) {
    hns_dump_import_destroy(im);
    return hr;
  }
  *out = im;
  return HNS_S_OK;
}

void hns_dump_import_destroy(hns_dump_import *im) {
  if (!im) return;
  for (int l = 0; l < HNS_DUMP_LISTS; l++) {
    cJSON_Delete(im->lists[l]);
    cJSON_Delete(im->pending[l]);
  }
  hns_service_destroy(im->scratch);
  free(im->state_profile);
  free(im);
}

const char *hns_dump_import_error(const hns_dump_import *im) { return im ? im->error : "no import"; }

hns_hr hns__dump_fail(hns_dump_import *im, const char *fmt, ...) {
  int used = snprintf(im->error, sizeof im->error, "'%s': ", im->file ? im->file : "(no file)");
  va_list ap;
  va_start(ap, fmt);
  if (used >= 0 && (size_t)used < sizeof im->error)
    vsnprintf(im->error + used, sizeof im->error - (size_t)used, fmt, ap);
  va_end(ap);
  return HNS_E_INVALIDARG;
}

hns_hr hns__dump_oom(hns_dump_import *im) {
  snprintf(im->error, sizeof im->error, "out of memory");
  return HNS_E_OUTOFMEMORY;
}

void hns__dump_note(hns_dump_import *im, int level, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  if (!im->note) return;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  im->note(im->ctx, level, text);
}

/* ---- the two wrappers ---- */

static int is_envelope(const cJSON *o) { return cJSON_IsObject(o) && cJSON_IsBool(cJSON_GetObjectItem(o, "Success")); }

/* {"Profile", "Networks", "Endpoints", "LoadBalancers"}; networkhealth's
 * load-balancer data has an "Endpoints" array too, and an Identifier. */
static int is_state(const cJSON *o) {
  if (!cJSON_IsObject(o) || cJSON_GetObjectItem(o, "ID") || cJSON_GetObjectItem(o, "Identifier")) return 0;
  return cJSON_IsString(cJSON_GetObjectItem(o, "Profile")) || cJSON_IsArray(cJSON_GetObjectItem(o, "Networks")) ||
         cJSON_IsArray(cJSON_GetObjectItem(o, "LoadBalancers"));
}

/* {"Success":true,"Output":<object|array>}; {"Success":false,...} is HNS
 * refusing the call that was to be dumped. */
static hns_hr read_envelope(hns_dump_import *im, const cJSON *env) {
  if (!cJSON_IsTrue(cJSON_GetObjectItem(env, "Success"))) {
    const char *error = cJSON_GetStringValue(cJSON_GetObjectItem(env, "Error"));
    const cJSON *code = cJSON_GetObjectItem(env, "ErrorCode");
    uint32_t hr = cJSON_IsNumber(code) ? (uint32_t)code->valuedouble : 0u;
    const char *name = hr ? hns_hr_name((hns_hr)hr) : NULL;
    return hns__dump_fail(im, "an HNSCall error envelope, not objects: HNS answered \"%s\" (ErrorCode 0x%08X%s%s)",
                          error ? error : "", (unsigned)hr, name ? " " : "", name ? name : "");
  }
  const cJSON *output = cJSON_GetObjectItem(env, "Output");
  if (!output || cJSON_IsNull(output)) return HNS_S_OK;
  if (cJSON_IsObject(output)) return hns__dump_object(im, output, 1, HNS_DUMP_ANY);
  if (!cJSON_IsArray(output))
    return hns__dump_fail(im, "the HNSCall envelope's Output is neither an object nor an array");
  size_t i = 1;
  for (const cJSON *o = output->child; o; o = o->next, i++) {
    hns_hr hr = hns__dump_object(im, o, i, HNS_DUMP_ANY);
    if (HNS_FAILED(hr)) return hr;
  }
  return HNS_S_OK;
}

/* A host state document: its lists are v2 documents already. */
static hns_hr read_state(hns_dump_import *im, const cJSON *state) {
  const cJSON *profile = cJSON_GetObjectItem(state, "Profile");
  if (profile && !cJSON_IsString(profile)) return hns__dump_fail(im, "the state's Profile is not a string");
  if (profile && !hns_profile_find(profile->valuestring))
    return hns__dump_fail(im, "the state's Profile '%.64s' is not a profile hnsim knows", profile->valuestring);
  for (int l = 0; l < HNS_DUMP_LISTS; l++) {
    const cJSON *list = cJSON_GetObjectItem(state, hns__dump_list_keys[l]);
    if (list && !cJSON_IsNull(list) && !cJSON_IsArray(list))
      return hns__dump_fail(im, "the state's %s is not an array", hns__dump_list_keys[l]);
    size_t i = 0;
    for (const cJSON *o = cJSON_IsArray(list) ? list->child : NULL; o; o = o->next, i++) {
      char where[64];
      snprintf(where, sizeof where, "%s[%zu]", hns__dump_list_keys[l], i);
      if (!cJSON_IsObject(o)) return hns__dump_fail(im, "%s is not an object", where);
      const cJSON *version = cJSON_GetObjectItem(o, "Version");
      if (cJSON_IsNumber(version) && version->valuedouble > (double)im->pending_newest)
        im->pending_newest = (uint64_t)version->valuedouble;
      cJSON *doc = cJSON_Duplicate(o, 1);
      hns_hr hr = doc ? hns__dump_add(im, l, doc, where) : hns__dump_oom(im);
      if (HNS_FAILED(hr)) return hr;
    }
  }
  if (profile) {
    char *copy = strdup(profile->valuestring);
    if (!copy) return hns__dump_oom(im);
    free(im->state_profile);
    im->state_profile = copy;
  }
  return HNS_S_OK;
}

/* ---- a file's text ---- */

static const char *skip_space(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
  return p;
}

static size_t line_of(const char *text, const char *at) {
  size_t line = 1;
  for (const char *p = text; p < at; p++) line += *p == '\n';
  return line;
}

/* The values of the file's JSON, after any preamble; *start where they begin. */
static hns_hr json_values(hns_dump_import *im, const char *text, cJSON **values, const char **start) {
  const char *p = skip_space(text), *fail_at = NULL, *first_fail = NULL;
  const char *from = *p == '{' || *p == '[' ? p : hns__dump_json_line(text, text);
  *values = NULL;
  for (; from; from = hns__dump_json_line(text, strchr(from, '\n') ? strchr(from, '\n') + 1 : NULL)) {
    int rc = hns__dump_json_values(from, values, &fail_at);
    if (rc == -2) return hns__dump_oom(im);
    if (!rc) {
      *start = from;
      return HNS_S_OK;
    }
    if (!first_fail) first_fail = fail_at;
    if (from == p) break; /* the file is JSON from its start: no preamble to skip */
  }
  char first[48];
  size_t n = strcspn(p, "\r\n");
  snprintf(first, sizeof first, "%.*s", (int)(n < sizeof first - 1 ? n : sizeof first - 1), p);
  if (first_fail && !*first_fail)
    return hns__dump_fail(im, "its JSON breaks at line %zu: the text ends inside a value", line_of(text, first_fail));
  if (first_fail)
    return hns__dump_fail(im, "its JSON breaks at line %zu, near '%.24s'", line_of(text, first_fail), first_fail);
  return hns__dump_fail(im,
                        "none of the formats hnsim imports (a host state, Get-Hns* | ConvertTo-Json, an HNSCall "
                        "envelope, HCN v2 JSON, hnsdiag list all, a networkhealth dump): no line starts a JSON value "
                        "and none is an hnsdiag section (its first line: '%s')",
                        first);
}

static hns_hr read_values(hns_dump_import *im, const cJSON *values, hns_dump_format format) {
  const cJSON *first = values->child;
  int one = first && !first->next;
  if (one && is_envelope(first)) {
    if (format != HNS_DUMP_ANY && format != HNS_DUMP_HNSCALL)
      return hns__dump_fail(im, "an HNSCall envelope, not %s", hns_dump_format_name(format));
    im->family = HNS_DUMP_HNSCALL;
    return read_envelope(im, first);
  }
  if (one && is_state(first)) {
    if (format != HNS_DUMP_ANY && format != HNS_DUMP_STATE)
      return hns__dump_fail(im, "a host state document, not %s", hns_dump_format_name(format));
    im->family = HNS_DUMP_STATE;
    return read_state(im, first);
  }
  if (format == HNS_DUMP_STATE || format == HNS_DUMP_HNSCALL || format == HNS_DUMP_HNSDIAG)
    return hns__dump_fail(im, "not %s: %s", hns_dump_format_name(format),
                          format == HNS_DUMP_STATE     ? "no {\"Profile\",\"Networks\",...} document"
                          : format == HNS_DUMP_HNSCALL ? "no {\"Success\":...} envelope"
                                                       : "JSON, not hnsdiag's text");
  size_t i = 1;
  for (const cJSON *o = first; o; o = o->next, i++) {
    hns_hr hr = hns__dump_object(im, o, i, format);
    if (HNS_FAILED(hr)) return hr;
  }
  return HNS_S_OK;
}

static hns_hr read_text(hns_dump_import *im, const char *text, hns_dump_format format) {
  const char *p = skip_space(text);
  if (!*p) return HNS_S_OK;
  if (format == HNS_DUMP_HNSDIAG || (format == HNS_DUMP_ANY && *p != '{' && *p != '[' && hns__dump_is_hnsdiag(text))) {
    im->family = HNS_DUMP_HNSDIAG;
    return hns__dump_hnsdiag_in(im, text);
  }
  cJSON *values = NULL;
  const char *start = p;
  hns_hr hr = json_values(im, text, &values, &start);
  if (HNS_FAILED(hr)) return hr;
  if (start != p)
    hns__dump_note(im, HNS_DUMP_NOTE_INFO,
                   "'%s': JSON from line %zu on (the lines before it are not JSON: a table, a title)", im->file,
                   line_of(text, start));
  hr = read_values(im, values, format);
  cJSON_Delete(values);
  return hr;
}

hns_hr hns_dump_import_text(hns_dump_import *im, const char *name, const char *bytes, size_t len,
                            hns_dump_format format) {
  if (!im || !name || (!bytes && len)) return HNS_E_POINTER;
  im->error[0] = '\0';
  im->file = name;
  if ((int)format < 0 || format >= HNS_DUMP_FORMAT_COUNT) {
    hns_hr hr = hns__dump_fail(im, "format %d is not one of hns_dump_format", (int)format);
    im->file = NULL;
    return hr;
  }
  im->skipped = 0;
  im->pending_newest = 0;
  im->family = HNS_DUMP_ANY;
  char *text = NULL;
  hns_hr hr = hns__dump_decode(im, bytes ? bytes : "", len, &text);
  if (HNS_SUCCEEDED(hr)) hr = read_text(im, text, format);
  free(text);
  if (HNS_SUCCEEDED(hr))
    hr = hns__dump_commit(im);
  else
    hns__dump_rollback(im);
  im->file = NULL;
  return hr;
}
