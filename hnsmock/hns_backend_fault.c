/* hns_backend_fault.c: the faults a scenario injects at the backend
 * (hns_backend.h): the list (add, remove, hits), which fault decides a
 * call, and what each action answers. docs/backend.md "Faults" gives the
 * semantics and their sources.
 *
 * Invariants: faults are matched in the order added and the first unspent
 * match decides; a fault is spent once it has decided `times` calls
 * (never, for times 0) and then matches nothing, but stays listed with its
 * hits until removed; a FAIL or NO_EFFECT answer never reaches the
 * service, so the service's state, its ID counter included, is what it
 * would be had the call never been made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>
#include "hns_backend_int.h"
#include "hns_schema.h"

/* ---- the list ---- */

#define REFUSE(...) (hns__backend_say(b, __VA_ARGS__), HNS_E_INVALIDARG)

static hns_hr check_fields(hns_backend *b, const hns_fault_spec *s) {
  const char *op = hns_backend_op_name(s->op);
  if ((unsigned)s->op > HNS_OP_COUNT)
    return REFUSE("spec.op: %d is not an operation (HNS_OP_COUNT for every one)", (int)s->op);
  if (!s->any_kind && s->op == HNS_OP_HNSCALL) return REFUSE("spec.kind: hnscall calls have no kind; set any_kind");
  if (!s->any_kind && (unsigned)s->kind >= HNS_LIFECYCLE_KINDS)
    return REFUSE("spec.kind: %d is not an object kind (0 network .. 4 SDN route)", (int)s->kind);
  if (s->path_prefix && s->op != HNS_OP_HNSCALL)
    return REFUSE("spec.path_prefix: '%.64s' filters hnscall calls only, not %s", s->path_prefix,
                  op ? op : "every op");
  switch (s->action) {
  case HNS_FAULT_FAIL:
    if (!HNS_FAILED(s->hr))
      return REFUSE("spec.hr: 0x%08X is not a failure HRESULT (one with the high bit set)", (unsigned)s->hr);
    break;
  case HNS_FAULT_HANG:
    if (s->duration <= 0) return REFUSE("spec.duration: %lld; a hang takes a duration > 0 ns", (long long)s->duration);
    break;
  case HNS_FAULT_NO_EFFECT:
    if (s->op == HNS_OP_ENUMERATE || s->op == HNS_OP_QUERY)
      return REFUSE("spec.op: %s changes nothing, so it cannot succeed without effect", op);
    break;
  default: return REFUSE("spec.action: %d is not fail (0), hang (1) or no-effect (2)", (int)s->action);
  }
  if (s->action != HNS_FAULT_FAIL && s->hr) return REFUSE("spec.hr: 0x%08X; only a fail takes one", (unsigned)s->hr);
  if (s->action != HNS_FAULT_HANG && s->duration)
    return REFUSE("spec.duration: %lld; only a hang takes one", (long long)s->duration);
  return HNS_S_OK;
}

hns_hr hns_backend_fault_add(hns_backend *b, const hns_fault_spec *spec, int *id) {
  if (id) *id = 0;
  if (!b || !spec || !id) return HNS_E_POINTER;
  b->detail[0] = '\0';
  hns_hr hr = check_fields(b, spec);
  if (HNS_FAILED(hr)) return hr;
  if (b->nfaults == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 8;
    hns__fault *v = realloc(b->faults, cap * sizeof *v);
    if (!v) return HNS_E_OUTOFMEMORY;
    b->faults = v;
    b->cap = cap;
  }
  hns__fault f = {++b->last_fault_id, *spec, NULL, 0};
  if (spec->path_prefix && !(f.path_prefix = hns_strdup(spec->path_prefix))) {
    b->last_fault_id--;
    return HNS_E_OUTOFMEMORY;
  }
  f.spec.path_prefix = f.path_prefix;
  b->faults[b->nfaults++] = f;
  *id = f.id;
  return HNS_S_OK;
}

static hns__fault *find(const hns_backend *b, int id) {
  for (size_t i = 0; i < b->nfaults; i++)
    if (b->faults[i].id == id) return &b->faults[i];
  return NULL;
}

hns_hr hns_backend_fault_remove(hns_backend *b, int id) {
  if (!b) return HNS_E_POINTER;
  b->detail[0] = '\0';
  hns__fault *f = find(b, id);
  if (!f) return REFUSE("fault %d: there is no such fault", id);
  free(f->path_prefix);
  size_t i = (size_t)(f - b->faults);
  memmove(f, f + 1, (b->nfaults - i - 1) * sizeof *f);
  b->nfaults--;
  return HNS_S_OK;
}

hns_hr hns_backend_fault_hits(const hns_backend *b, int id, uint32_t *hits) {
  if (hits) *hits = 0;
  if (!b || !hits) return HNS_E_POINTER;
  const hns__fault *f = find(b, id);
  if (!f) return HNS_E_INVALIDARG; /* b is const: no detail is written */
  *hits = f->hits;
  return HNS_S_OK;
}

void hns__fault_list_free(hns_backend *b) {
  for (size_t i = 0; i < b->nfaults; i++) free(b->faults[i].path_prefix);
  free(b->faults);
}

/* ---- matching ---- */

/* Whether a call changes something: what NO_EFFECT can leave undone. */
static int changes(const hns_backend_request *r) {
  if (r->op == HNS_OP_HNSCALL) return strcasecmp(r->method, "GET") != 0;
  return r->op == HNS_OP_CREATE || r->op == HNS_OP_MODIFY || r->op == HNS_OP_DELETE;
}

static int matches(const hns__fault *f, const hns_backend_request *r) {
  const hns_fault_spec *s = &f->spec;
  if (s->times && f->hits >= s->times) return 0;
  if (s->op != HNS_OP_COUNT && s->op != r->op) return 0;
  if (!s->any_kind && (r->op == HNS_OP_HNSCALL || r->kind != s->kind)) return 0;
  if (s->path_prefix && strncasecmp(r->path, s->path_prefix, strlen(s->path_prefix))) return 0;
  return s->action != HNS_FAULT_NO_EFFECT || changes(r);
}

/* ---- what a fault answers ---- */

static uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/* The ID a create without effect answers when the request gives none: a
 * GUID shaped as the service's own, drawn from the seed, the fault and
 * its hit, never from the service's counter, so the IDs later objects
 * get are the ones they get without the fault (inferred). */
static void phantom_id(const hns_backend *b, const hns__fault *f, char out[37]) {
  hns_guid g;
  uint64_t k = mix(b->seed ^ 0x6E6F2D6566666563ull /* "no-effec" */ ^ mix((uint64_t)f->id));
  hns_guid_from_u64(k, mix(k ^ f->hits), &g);
  hns_guid_format(&g, 1, out);
}

/* A non-zero GUID in the document's "ID" (or "Id", as HNS reads it), as
 * written, or NULL. */
static const char *doc_id(const cJSON *doc) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "ID");
  if (!v) v = cJSON_GetObjectItemCaseSensitive(doc, "Id");
  hns_guid g;
  return cJSON_IsString(v) && !hns_guid_parse(v->valuestring, &g) && !hns_guid_is_zero(&g) ? v->valuestring : NULL;
}

/* The request's document as the created object's: its own members after
 * an "ID" (the request's ID, else the document's, else a phantom one) and,
 * for an endpoint, its HostComputeNetwork. A document that is not a JSON
 * object adds nothing. NULL when out of memory. */
static cJSON *echo(const hns_backend *b, const hns__fault *f, const hns_backend_request *r) {
  cJSON *doc = r->document ? cJSON_Parse(r->document) : NULL;
  if (doc && !cJSON_IsObject(doc)) {
    cJSON_Delete(doc);
    doc = NULL;
  }
  char id[37];
  hns_guid given;
  const char *written = doc_id(doc);
  if (r->id && !hns_guid_parse(r->id, &given) && !hns_guid_is_zero(&given)) hns_guid_format(&given, 1, id);
  else if (written) snprintf(id, sizeof id, "%.36s", written);
  else phantom_id(b, f, id);
  cJSON *out = cJSON_CreateObject();
  if (!out || !cJSON_AddStringToObject(out, "ID", id)) goto oom;
  while (doc && doc->child) {
    cJSON *m = cJSON_DetachItemViaPointer(doc, doc->child);
    if (!strcmp(m->string, "ID") || !strcmp(m->string, "Id")) {
      cJSON_Delete(m);
    } else if (!cJSON_AddItemToObject(out, m->string, m)) { /* copies the key, then frees m's own */
      cJSON_Delete(m);
      goto oom;
    }
  }
  cJSON_Delete(doc);
  doc = NULL;
  int endpoint = r->op == HNS_OP_CREATE && r->kind == HNS_ENDPOINT;
  if (endpoint && !cJSON_GetObjectItemCaseSensitive(out, "HostComputeNetwork") &&
      !cJSON_AddStringToObject(out, "HostComputeNetwork", r->parent_id))
    goto oom;
  return out;
oom:
  cJSON_Delete(doc);
  cJSON_Delete(out);
  return NULL;
}

/* Whether an HNSCall path names a collection only ("/networks"): a POST
 * there creates. */
static int collection_path(const char *path) {
  int segments = 0;
  for (const char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    segments += n > 0;
    p += n;
    p += *p == '/';
  }
  return segments == 1;
}

/* The output of a call that succeeds without effect: a create's echo; for
 * HNSCall the envelope, with the echo as Output for a POST that creates.
 * Returns -1 when out of memory. */
static int no_effect_output(const hns_backend *b, const hns__fault *f, const hns_backend_request *r, char **output) {
  if (r->op != HNS_OP_CREATE && r->op != HNS_OP_HNSCALL) return 0; /* modify and delete answer nothing */
  cJSON *j = NULL;
  if (r->op == HNS_OP_CREATE) {
    j = echo(b, f, r);
  } else if ((j = cJSON_CreateObject()) && !cJSON_AddTrueToObject(j, "Success")) {
    cJSON_Delete(j);
    j = NULL;
  } else if (j && !strcasecmp(r->method, "POST") && collection_path(r->path)) {
    cJSON *o = echo(b, f, r);
    if (!o || !cJSON_AddItemToObject(j, "Output", o)) {
      cJSON_Delete(o);
      cJSON_Delete(j);
      j = NULL;
    }
  }
  *output = j ? cJSON_PrintUnformatted(j) : NULL;
  cJSON_Delete(j);
  return *output ? 0 : -1;
}

static void say_hit(hns_backend *b, const hns__fault *f, const char *what) {
  char of[24] = "";
  if (f->spec.times) snprintf(of, sizeof of, " of %u", (unsigned)f->spec.times);
  hns__backend_say(b, "fault %d (hit %u%s): %s", f->id, (unsigned)f->hits, of, what);
}

int hns__fault_decide(hns_backend *b, const hns_backend_request *req, hns_backend_answer *out) {
  hns__fault *f = NULL;
  for (size_t i = 0; !f && i < b->nfaults; i++)
    if (matches(&b->faults[i], req)) f = &b->faults[i];
  if (!f) return 0;
  f->hits++;
  out->fault_id = f->id;
  if (f->spec.action == HNS_FAULT_HANG) {
    out->elapsed = f->spec.duration;
    return 0;
  }
  if (f->spec.action == HNS_FAULT_NO_EFFECT) {
    if (no_effect_output(b, f, req, &out->output)) {
      out->hr = HNS_E_OUTOFMEMORY;
      out->error_record = hns_error_record(out->hr);
      say_hit(b, f, "out of memory writing the answer; nothing changed");
    } else {
      say_hit(b, f, "answered S_OK without making the call; nothing changed");
    }
    return 1;
  }
  /* FAIL: the record is HNS's standard one for the code (hns_error_record):
   * for an injected HRESULT that HNS never gives for this call, that is the
   * text HNS would write for the code, not one seen from this call. For
   * HNSCall the record is the envelope too (hns_v1.h). */
  char what[128];
  const char *name = hns_hr_name(f->spec.hr);
  snprintf(what, sizeof what, "answered 0x%08X (%s) in place of HNS; nothing changed", (unsigned)f->spec.hr,
           name ? name : "a code hnsmock does not name");
  say_hit(b, f, what);
  out->hr = f->spec.hr;
  out->error_record = hns_error_record(f->spec.hr);
  if (req->op == HNS_OP_HNSCALL) out->output = hns_error_record(f->spec.hr);
  return 1;
}
