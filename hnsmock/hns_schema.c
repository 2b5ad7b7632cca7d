/* hns_schema.c: the one parser and one writer behind every HNS document (see
 * hns_schema.h for the rules they share and where those rules come from). */
#include "hns_schema.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_addr.h"
#include "hns_guid.h"

char *hns_strdup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

int hns_strv_push(hns_strv *sv, const char *s) {
  char **v = realloc(sv->v, (sv->n + 1) * sizeof *v);
  if (!v) return -1;
  sv->v = v;
  if (!(sv->v[sv->n] = hns_strdup(s))) return -1;
  sv->n++;
  return 0;
}

void hns_strv_free(hns_strv *sv) {
  for (size_t i = 0; i < sv->n; i++) free(sv->v[i]);
  free(sv->v);
  sv->v = NULL;
  sv->n = 0;
}

void hns_perr_set(hns_perr *err, int code, const char *path, const char *fmt, ...) {
  if (!err) return;
  err->code = code;
  snprintf(err->path, sizeof err->path, "%s", path ? path : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
}

const char *hns_enum_name(const hns_enum *t, int v) {
  for (; t && t->name; t++)
    if (t->value == v) return t->name;
  return NULL;
}

int hns_enum_lookup(const hns_enum *t, const char *name, int *out) {
  for (; t && t->name; t++)
    if (!strcasecmp(t->name, name)) {
      *out = t->value;
      return 0;
    }
  return -1;
}

const hns_policy_type *hns_policy_type_find(const hns_policy_scope *scope, const char *name) {
  for (size_t i = 0; i < scope->ntypes; i++)
    if (!strcasecmp(scope->types[i].name, name)) return &scope->types[i];
  return NULL;
}

/* ---- describing a bad value ---------------------------------------------- */

/* A short, printable rendering of a JSON value for messages. */
static void describe(const cJSON *item, char *buf, size_t len) {
  char *text = cJSON_PrintUnformatted(item);
  if (!text) {
    snprintf(buf, len, "(a value)");
    return;
  }
  if (strlen(text) >= len && len > 4)
    snprintf(buf, len, "%.*s...", (int)(len - 4), text);
  else
    snprintf(buf, len, "%s", text);
  free(text);
}

/* Where the parser is in the document: a chain of keys and indexes on the
 * stack, written out ("Policies[1].Settings.InternalPort") only when a value
 * is refused, so that a document that parses costs no formatting. */
#define PATH_LEN sizeof(((hns_perr *)0)->path)

typedef struct hns_path {
  const struct hns_path *up; /* NULL at the document's root */
  const char *key;           /* NULL for an array element */
  size_t index;
} hns_path;

/* Appends to out[*at..len-1], cutting a path too long for the buffer short. */
static void path_append(char *out, size_t len, size_t *at, const char *s) {
  while (*s && *at + 1 < len) out[(*at)++] = *s++;
  out[*at] = '\0';
}

static void path_write(const hns_path *p, char *out, size_t len, size_t *at) {
  if (!p) return;
  path_write(p->up, out, len, at);
  if (p->key) {
    if (*at) path_append(out, len, at, ".");
    path_append(out, len, at, p->key);
  } else {
    char index[24];
    snprintf(index, sizeof index, "[%zu]", p->index);
    path_append(out, len, at, index);
  }
}

/* The path as messages show it: keys joined by '.', indexes in brackets. */
static void path_text(const hns_path *p, char *out) {
  size_t at = 0;
  out[0] = '\0';
  path_write(p, out, PATH_LEN, &at);
}

static int refuse(hns_perr *err, int code, const hns_path *path, const char *want, const cJSON *got) {
  if (!err) return -1;
  char shown[96], where[PATH_LEN];
  describe(got, shown, sizeof shown);
  path_text(path, where);
  hns_perr_set(err, code, where, "expected %s, got %s", want, shown);
  return -1;
}

/* ---- freeing --------------------------------------------------------------- */

static void free_value(const hns_field *f, void *slot);

static void free_fields(const hns_schema *schema, void *doc) {
  for (size_t i = 0; i < schema->nfields; i++) free_value(&schema->fields[i], (char *)doc + schema->fields[i].offset);
  if (schema->extras_offset != HNS_NO_EXTRAS) {
    cJSON **extras = (cJSON **)((char *)doc + schema->extras_offset);
    cJSON_Delete(*extras);
    *extras = NULL;
  }
}

void hns_policy_clear(hns_policy *p) {
  if (p->settings && p->type && p->type->settings) free_fields(p->type->settings, p->settings);
  free(p->settings);
  cJSON_Delete(p->extras);
  memset(p, 0, sizeof *p);
}

static void free_policies(hns_policies *ps) {
  for (size_t i = 0; i < ps->n; i++) hns_policy_clear(&ps->v[i]);
  free(ps->v);
  ps->v = NULL;
  ps->n = 0;
}

static void free_value(const hns_field *f, void *slot) {
  switch (f->kind) {
  case HNS_K_STRING:
  case HNS_K_GUID:
  case HNS_K_IP:
  case HNS_K_PREFIX:
  case HNS_K_MAC:
    free(*(char **)slot);
    *(char **)slot = NULL;
    break;
  case HNS_K_STRINGS:
    hns_strv_free(slot);
    break;
  case HNS_K_OBJECT:
    free_fields(f->aux, slot);
    break;
  case HNS_K_ARRAY: {
    const hns_schema *es = f->aux;
    hns_vec *vec = slot;
    for (size_t i = 0; i < vec->n; i++) free_fields(es, (char *)vec->v + i * es->size);
    free(vec->v);
    vec->v = NULL;
    vec->n = 0;
    break;
  }
  case HNS_K_RAW:
    cJSON_Delete(*(cJSON **)slot);
    *(cJSON **)slot = NULL;
    break;
  case HNS_K_POLICIES:
    free_policies(slot);
    break;
  default: /* numbers, booleans, enums own nothing */
    break;
  }
}

void hns_doc_free(const hns_schema *schema, void *doc) {
  if (!doc) return;
  free_fields(schema, doc);
  memset(doc, 0, schema->size);
}

/* ---- parsing --------------------------------------------------------------- */

static int parse_object(const hns_schema *schema, const cJSON *json, void *out, const hns_parse_opts *opts,
                        const hns_path *path, hns_perr *err);

static int parse_uint(const cJSON *item, uint64_t max, uint64_t *out) {
  if (!cJSON_IsNumber(item)) return -1;
  double d = item->valuedouble;
  /* (double)UINT64_MAX rounds up to 2^64, so that bound is checked exclusively. */
  if (!(d >= 0) || d != floor(d) || (max == UINT64_MAX ? d >= 0x1p64 : d > (double)max)) return -1;
  *out = (uint64_t)d;
  return 0;
}

/* A string that must parse as a GUID, IP, prefix or MAC; stored normalised
 * where HNS normalises it (MACs) and as given otherwise. */
/* A malformed GUID, IP, prefix or MAC: says which, so the caller can pick
 * the HRESULT without reading the message. */
static int refuse_value(hns_perr *err, hns_kind kind, const hns_path *path, const char *want, const cJSON *got) {
  refuse(err, HNS_PERR_VALUE, path, want, got);
  if (err) err->value_kind = kind;
  return -1;
}

static int parse_text(hns_kind kind, const cJSON *item, const hns_path *path, char **slot, hns_perr *err) {
  if (!cJSON_IsString(item)) return refuse(err, HNS_PERR_SHAPE, path, "a string", item);
  const char *s = item->valuestring;
  char buf[40];
  if (*s == '\0' && kind != HNS_K_STRING) return 0; /* "" is absent, as omitempty writes it */
  switch (kind) {
  case HNS_K_GUID: {
    hns_guid g;
    if (hns_guid_parse(s, &g)) return refuse_value(err, kind, path, "a GUID", item);
    size_t n = strlen(s);
    if (s[0] == '{' && n == 38) { /* keep the case as given, without braces */
      memcpy(buf, s + 1, 36);
      buf[36] = '\0';
      s = buf;
    }
    break;
  }
  case HNS_K_IP: {
    sim_ip ip;
    if (sim_ip_parse(s, &ip)) return refuse_value(err, kind, path, "an IP address", item);
    break;
  }
  case HNS_K_PREFIX: {
    sim_prefix p;
    if (sim_prefix_parse(s, &p)) return refuse_value(err, kind, path, "an address prefix such as 10.0.0.0/24", item);
    break;
  }
  case HNS_K_MAC: {
    sim_mac m;
    if (sim_mac_parse(s, &m)) return refuse_value(err, kind, path, "a MAC address such as 00-15-5D-00-00-01", item);
    sim_mac_format(&m, buf);
    s = buf;
    break;
  }
  default:
    break;
  }
  free(*slot);
  if (!(*slot = hns_strdup(s))) return refuse(err, HNS_PERR_SHAPE, path, "memory", item);
  return 0;
}

static int parse_policies(const hns_policy_scope *scope, const cJSON *item, hns_policies *out,
                          const hns_parse_opts *opts, const hns_path *path, hns_perr *err) {
  if (!cJSON_IsArray(item)) return refuse(err, HNS_PERR_SHAPE, path, "an array of policies", item);
  size_t n = (size_t)cJSON_GetArraySize(item);
  hns_policy *v = calloc(n ? n : 1, sizeof *v);
  if (!v) return refuse(err, HNS_PERR_SHAPE, path, "memory", item);
  out->v = v;
  out->n = 0;
  size_t i = 0;
  for (const cJSON *p = item->child; p; p = p->next, i++) {
    const hns_path here_at = {path, NULL, i}, *here = &here_at;
    hns_path sub = {here, "Type", 0};
    if (!cJSON_IsObject(p)) return refuse(err, HNS_PERR_SHAPE, here, "a policy object", p);
    const cJSON *type = NULL, *settings = NULL;
    hns_policy *pol = &v[i];
    out->n = i + 1;
    for (const cJSON *k = p->child; k; k = k->next) {
      if (!strcasecmp(k->string, "Type"))
        type = k;
      else if (!strcasecmp(k->string, "Settings"))
        settings = k;
      else {
        if (!pol->extras && !(pol->extras = cJSON_CreateObject())) return refuse(err, HNS_PERR_SHAPE, here, "memory", p);
        cJSON_AddItemToObject(pol->extras, k->string, cJSON_Duplicate(k, 1));
      }
    }
    if (!type || !cJSON_IsString(type))
      return refuse(err, HNS_PERR_POLICY, &sub, "a policy type name", type ? type : p);
    if (!(pol->type = hns_policy_type_find(scope, type->valuestring))) {
      char where[PATH_LEN];
      path_text(&sub, where);
      hns_perr_set(err, HNS_PERR_POLICY_TYPE, where, "'%s' is not a%s %s policy type", type->valuestring,
                   strchr("aeiou", scope->name[0]) ? "n" : "", scope->name);
      return -1;
    }
    if (!pol->type->settings) { /* a type with no settings keeps any it was given, as unknown content */
      if (settings) {
        if (!pol->extras && !(pol->extras = cJSON_CreateObject())) return refuse(err, HNS_PERR_SHAPE, here, "memory", p);
        cJSON_AddItemToObject(pol->extras, "Settings", cJSON_Duplicate(settings, 1));
      }
      continue;
    }
    if (!(pol->settings = calloc(1, pol->type->settings->size))) return refuse(err, HNS_PERR_SHAPE, here, "memory", p);
    if (!settings || cJSON_IsNull(settings)) continue;
    sub.key = "Settings";
    if (!cJSON_IsObject(settings)) return refuse(err, HNS_PERR_POLICY, &sub, "a settings object", settings);
    if (parse_object(pol->type->settings, settings, pol->settings, opts, &sub, err)) {
      err->code = HNS_PERR_POLICY;
      return -1;
    }
  }
  return 0;
}

static int parse_value(const hns_field *f, const cJSON *item, void *slot, const hns_parse_opts *opts,
                       const hns_path *path, hns_perr *err) {
  uint64_t u;
  switch (f->kind) {
  case HNS_K_STRING:
  case HNS_K_GUID:
  case HNS_K_IP:
  case HNS_K_PREFIX:
  case HNS_K_MAC:
    return parse_text(f->kind, item, path, (char **)slot, err);
  case HNS_K_BOOL:
    if (!cJSON_IsBool(item)) return refuse(err, HNS_PERR_SHAPE, path, "true or false", item);
    *(int *)slot = cJSON_IsTrue(item);
    return 0;
  case HNS_K_U8:
    if (parse_uint(item, UINT8_MAX, &u)) return refuse(err, HNS_PERR_SHAPE, path, "an integer from 0 to 255", item);
    *(uint8_t *)slot = (uint8_t)u;
    return 0;
  case HNS_K_U16:
    if (parse_uint(item, UINT16_MAX, &u)) return refuse(err, HNS_PERR_SHAPE, path, "an integer from 0 to 65535", item);
    *(uint16_t *)slot = (uint16_t)u;
    return 0;
  case HNS_K_U32:
    if (parse_uint(item, UINT32_MAX, &u)) return refuse(err, HNS_PERR_SHAPE, path, "an integer from 0 to 4294967295", item);
    *(uint32_t *)slot = (uint32_t)u;
    return 0;
  case HNS_K_U64:
    if (parse_uint(item, UINT64_MAX, &u)) return refuse(err, HNS_PERR_SHAPE, path, "a non-negative integer", item);
    *(uint64_t *)slot = u;
    return 0;
  case HNS_K_ENUM: {
    const hns_enum *t = f->aux;
    int v;
    if (cJSON_IsString(item) && !hns_enum_lookup(t, item->valuestring, &v)) {
      *(int *)slot = v;
      return 0;
    }
    if (!(f->flags & HNS_F_NAMES_ONLY) && !parse_uint(item, INT32_MAX, &u) && hns_enum_name(t, (int)u)) {
      *(int *)slot = (int)u;
      return 0;
    }
    char want[200] = "one of";
    for (; t->name; t++) {
      size_t used = strlen(want);
      snprintf(want + used, sizeof want - used, " %s", t->name);
    }
    return refuse(err, HNS_PERR_SHAPE, path, want, item);
  }
  case HNS_K_STRINGS: {
    if (!cJSON_IsArray(item)) return refuse(err, HNS_PERR_SHAPE, path, "an array of strings", item);
    hns_strv *sv = slot;
    hns_kind elem = f->aux ? *(const hns_kind *)f->aux : HNS_K_STRING;
    size_t i = 0;
    for (const cJSON *e = item->child; e; e = e->next, i++) {
      const hns_path here = {path, NULL, i};
      char *text = NULL;
      if (parse_text(elem, e, &here, &text, err)) return -1;
      if (!text) continue; /* "" in a typed list: nothing to keep */
      int rc = hns_strv_push(sv, text);
      free(text);
      if (rc) return refuse(err, HNS_PERR_SHAPE, &here, "memory", e);
    }
    return 0;
  }
  case HNS_K_OBJECT:
    if (!cJSON_IsObject(item)) return refuse(err, HNS_PERR_SHAPE, path, "an object", item);
    return parse_object(f->aux, item, slot, opts, path, err);
  case HNS_K_ARRAY: {
    const hns_schema *es = f->aux;
    if (!cJSON_IsArray(item)) return refuse(err, HNS_PERR_SHAPE, path, "an array of objects", item);
    hns_vec *vec = slot;
    size_t n = (size_t)cJSON_GetArraySize(item);
    if (!(vec->v = calloc(n ? n : 1, es->size))) return refuse(err, HNS_PERR_SHAPE, path, "memory", item);
    size_t i = 0;
    for (const cJSON *e = item->child; e; e = e->next, i++) {
      const hns_path here = {path, NULL, i};
      vec->n = i + 1;
      if (!cJSON_IsObject(e)) return refuse(err, HNS_PERR_SHAPE, &here, "an object", e);
      if (parse_object(es, e, (char *)vec->v + i * es->size, opts, &here, err)) return -1;
    }
    return 0;
  }
  case HNS_K_RAW:
    cJSON_Delete(*(cJSON **)slot);
    if (!(*(cJSON **)slot = cJSON_Duplicate(item, 1))) return refuse(err, HNS_PERR_SHAPE, path, "memory", item);
    return 0;
  case HNS_K_POLICIES:
    return parse_policies(f->aux, item, slot, opts, path, err);
  }
  return refuse(err, HNS_PERR_SHAPE, path, "a known kind of value", item);
}

/* strcasecmp, first ruling out keys whose first bytes differ in more than
 * bit 5 (the ASCII case bit): in the C locale, which hnsim never changes,
 * such bytes are never equal ignoring case. Most fields are told apart here. */
static int same_key(const char *a, const char *b) { return ((*a ^ *b) & ~0x20) == 0 && !strcasecmp(a, b); }

static const hns_field *find_field(const hns_schema *schema, const char *key) {
  for (size_t i = 0; i < schema->nfields; i++) {
    const hns_field *f = &schema->fields[i];
    if (same_key(f->json, key) || (f->alias && same_key(f->alias, key))) return f;
  }
  return NULL;
}

static int parse_object(const hns_schema *schema, const cJSON *json, void *out, const hns_parse_opts *opts,
                        const hns_path *path, hns_perr *err) {
  for (const cJSON *item = json->child; item; item = item->next) {
    const hns_field *f = find_field(schema, item->string);
    const hns_path here_at = {path, item->string, 0}, *here = &here_at;
    if (!f) {
      if (schema->extras_offset == HNS_NO_EXTRAS) continue;
      cJSON **extras = (cJSON **)((char *)out + schema->extras_offset);
      if (!*extras && !(*extras = cJSON_CreateObject())) return refuse(err, HNS_PERR_SHAPE, here, "memory", item);
      cJSON_AddItemToObject(*extras, item->string, cJSON_Duplicate(item, 1));
      continue;
    }
    if (cJSON_IsNull(item)) continue; /* null reads as absent, as in Go */
    if ((f->flags & HNS_F_READONLY) && opts && opts->refuse_readonly) {
      char where[PATH_LEN];
      path_text(here, where);
      hns_perr_set(err, HNS_PERR_READONLY, where, "is set by HNS and cannot be given");
      return -1;
    }
    void *slot = (char *)out + f->offset;
    free_value(f, slot); /* a key given twice (say "ID" and "Id"): the later one wins */
    if (parse_value(f, item, slot, opts, here, err)) return -1;
  }
  return 0;
}

int hns_doc_parse(const hns_schema *schema, const cJSON *json, void *out, const hns_parse_opts *opts, hns_perr *err) {
  if (err) *err = (hns_perr){0};
  if (!cJSON_IsObject(json)) {
    refuse(err, HNS_PERR_SHAPE, NULL, "a JSON object", json);
    return -1;
  }
  if (parse_object(schema, json, out, opts, NULL, err)) {
    hns_doc_free(schema, out);
    return -1;
  }
  return 0;
}

/* ---- writing ---------------------------------------------------------------- */

static cJSON *emit_fields(const hns_schema *schema, const void *doc);

static int is_zero(const hns_field *f, const void *slot) {
  switch (f->kind) {
  case HNS_K_STRING:
  case HNS_K_GUID:
  case HNS_K_IP:
  case HNS_K_PREFIX:
  case HNS_K_MAC: {
    const char *s = *(char *const *)slot;
    return !s || !*s;
  }
  case HNS_K_BOOL:
  case HNS_K_ENUM:
    return *(const int *)slot == 0;
  case HNS_K_U8:
    return *(const uint8_t *)slot == 0;
  case HNS_K_U16:
    return *(const uint16_t *)slot == 0;
  case HNS_K_U32:
    return *(const uint32_t *)slot == 0;
  case HNS_K_U64:
    return *(const uint64_t *)slot == 0;
  case HNS_K_STRINGS:
    return ((const hns_strv *)slot)->n == 0;
  case HNS_K_ARRAY:
    return ((const hns_vec *)slot)->n == 0;
  case HNS_K_POLICIES:
    return ((const hns_policies *)slot)->n == 0;
  case HNS_K_RAW:
    return *(cJSON *const *)slot == NULL;
  case HNS_K_OBJECT: { /* empty when every field is (KEEP_ZERO inside does not count) */
    const hns_schema *es = f->aux;
    for (size_t i = 0; i < es->nfields; i++)
      if (!is_zero(&es->fields[i], (const char *)slot + es->fields[i].offset)) return 0;
    return es->extras_offset == HNS_NO_EXTRAS || !*(cJSON *const *)((const char *)slot + es->extras_offset);
  }
  }
  return 1;
}

static cJSON *emit_policies(const hns_policies *ps) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; arr && i < ps->n; i++) {
    const hns_policy *p = &ps->v[i];
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(arr, o);
    cJSON_AddItemToObjectCS(o, "Type", cJSON_CreateString(p->type->name));
    /* Settings is written even when empty: HostRoute's must be "{}" (VDOCS HNS_Schema.md). */
    if (p->type->settings) cJSON_AddItemToObjectCS(o, "Settings", emit_fields(p->type->settings, p->settings));
    for (const cJSON *x = p->extras ? p->extras->child : NULL; x; x = x->next)
      cJSON_AddItemToObject(o, x->string, cJSON_Duplicate(x, 1));
  }
  return arr;
}

static cJSON *emit_value(const hns_field *f, const void *slot) {
  switch (f->kind) {
  case HNS_K_STRING:
  case HNS_K_GUID:
  case HNS_K_IP:
  case HNS_K_PREFIX:
  case HNS_K_MAC: {
    const char *s = *(char *const *)slot;
    return cJSON_CreateString(s ? s : "");
  }
  case HNS_K_BOOL:
    return cJSON_CreateBool(*(const int *)slot);
  case HNS_K_U8:
    return cJSON_CreateNumber(*(const uint8_t *)slot);
  case HNS_K_U16:
    return cJSON_CreateNumber(*(const uint16_t *)slot);
  case HNS_K_U32:
    return cJSON_CreateNumber(*(const uint32_t *)slot);
  case HNS_K_U64: { /* written digit for digit: a double would round past 2^53 */
    char digits[24];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)*(const uint64_t *)slot);
    return cJSON_CreateRaw(digits);
  }
  case HNS_K_ENUM: {
    const char *name = hns_enum_name(f->aux, *(const int *)slot);
    return name ? cJSON_CreateString(name) : cJSON_CreateNumber(*(const int *)slot);
  }
  case HNS_K_STRINGS: {
    const hns_strv *sv = slot;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < sv->n; i++) cJSON_AddItemToArray(arr, cJSON_CreateString(sv->v[i]));
    return arr;
  }
  case HNS_K_OBJECT:
    return emit_fields(f->aux, slot);
  case HNS_K_ARRAY: {
    const hns_schema *es = f->aux;
    const hns_vec *vec = slot;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < vec->n; i++) cJSON_AddItemToArray(arr, emit_fields(es, (const char *)vec->v + i * es->size));
    return arr;
  }
  case HNS_K_RAW:
    return cJSON_Duplicate(*(cJSON *const *)slot, 1);
  case HNS_K_POLICIES:
    return emit_policies(slot);
  }
  return NULL;
}

static cJSON *emit_fields(const hns_schema *schema, const void *doc) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  for (size_t i = 0; i < schema->nfields; i++) {
    const hns_field *f = &schema->fields[i];
    const void *slot = (const char *)doc + f->offset;
    if (!(f->flags & HNS_F_KEEP_ZERO) && is_zero(f, slot)) continue;
    cJSON *v = emit_value(f, slot);
    if (!v) continue;
    if (f->kind == HNS_K_OBJECT && !(f->flags & HNS_F_KEEP_ZERO) && !v->child) {
      cJSON_Delete(v); /* an object with nothing in it is left out */
      continue;
    }
    cJSON_AddItemToObjectCS(o, f->json, v); /* the tables' keys are static: no copy */
  }
  if (schema->extras_offset != HNS_NO_EXTRAS) {
    const cJSON *extras = *(cJSON *const *)((const char *)doc + schema->extras_offset);
    for (const cJSON *x = extras ? extras->child : NULL; x; x = x->next)
      cJSON_AddItemToObject(o, x->string, cJSON_Duplicate(x, 1));
  }
  return o;
}

cJSON *hns_doc_emit(const hns_schema *schema, const void *doc) { return emit_fields(schema, doc); }

int hns_doc_copy(const hns_schema *schema, const void *src, void *dst) {
  cJSON *j = hns_doc_emit(schema, src);
  if (!j) return -1;
  int rc = hns_doc_parse(schema, j, dst, NULL, NULL);
  cJSON_Delete(j);
  return rc;
}
