/* hns_backend.c: the backend's front (hns_backend.h): the backend object,
 * the checks every request passes, the road a call takes, the answer, and
 * the lifecycle calls.
 *
 * A call goes: the request's checks (a malformed request reaches neither
 * the faults nor the service, so it counts no fault hit), then the faults
 * in the order added (hns_backend_fault.c), then, unless a fault answered
 * it whole, the service (hns_backend_sim.c). Whatever answers writes its
 * words into b->detail; the answer's detail is a copy of them.
 *
 * The refusals made here, before any HNS, are hnsim's (inferred): an
 * E_INVALIDARG or E_POINTER as the HCN layer gives for a malformed
 * argument (hcn_wide.c), or, for ID text that is not a GUID, the
 * HCN_E_GUID_CONVERSION_FAILURE hnsmock gives for GUID text everywhere
 * (hns_v1_call.c, hns__perr_hr). Each carries the ErrorRecord HNS writes
 * for its HRESULT, as hcn_wide.c gives one for its own refusals. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_backend_int.h"
#include "hns_model.h"
#include "hns_schema.h"

static const char *const op_names[HNS_OP_COUNT] = {"enumerate", "create", "modify", "query", "delete", "hnscall"};
static const char *const kind_names[HNS_LIFECYCLE_KINDS] = {"network", "endpoint", "namespace", "load balancer",
                                                            "SDN route"};

const char *hns_backend_op_name(hns_backend_op op) { return (unsigned)op < HNS_OP_COUNT ? op_names[op] : NULL; }

void hns__backend_say(hns_backend *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->detail, sizeof b->detail, fmt, ap);
  va_end(ap);
}

/* ---- the backend ---- */

hns_hr hns_backend_sim_create(const hns_service_config *cfg, sim_net *model, const char *host, hns_backend **out) {
  if (!out) return HNS_E_POINTER;
  *out = NULL;
  if (!model != !host) return HNS_E_INVALIDARG;
  hns_backend *b = calloc(1, sizeof *b);
  if (!b) return HNS_E_OUTOFMEMORY;
  hns_hr hr = hns_service_create(cfg, &b->svc);
  if (HNS_SUCCEEDED(hr) && model) hr = hns_service_attach_model(b->svc, model, host);
  if (HNS_FAILED(hr)) {
    hns_service_destroy(b->svc);
    free(b);
    return hr;
  }
  b->seed = cfg ? cfg->seed : 0;
  *out = b;
  return HNS_S_OK;
}

void hns_backend_destroy(hns_backend *b) {
  if (!b) return;
  hns__fault_list_free(b);
  hns_service_destroy(b->svc);
  free(b);
}

const char *hns_backend_name(const hns_backend *b) { return b ? "sim" : NULL; }
hns_service *hns_backend_service(hns_backend *b) { return b ? b->svc : NULL; }
const char *hns_backend_last_detail(const hns_backend *b) { return b ? b->detail : ""; }

void hns_backend_answer_free(hns_backend_answer *a) {
  if (!a) return;
  free(a->output);
  free(a->error_record);
  free(a->detail);
  a->output = a->error_record = a->detail = NULL;
}

/* ---- the request's checks ---- */

static hns_hr check_guid(hns_backend *b, const char *field, const char *text) {
  hns_guid g;
  if (!hns_guid_parse(text, &g)) return HNS_S_OK;
  hns__backend_say(b, "request.%s: '%.64s' is not a GUID (8-4-4-4-12 hex digits)", field, text);
  return HCN_E_GUID_CONVERSION_FAILURE;
}

#define REFUSE(...) (hns__backend_say(b, __VA_ARGS__), HNS_E_INVALIDARG)

static hns_hr check_hnscall(hns_backend *b, const hns_backend_request *r) {
  if (!r->method) return REFUSE("request.method: missing; hnscall needs GET, POST or DELETE");
  if (!r->path) return REFUSE("request.path: missing; hnscall needs a route such as /networks (docs/v1-api.md)");
  if (r->id) return REFUSE("request.id: '%.64s': hnscall names its object in the path", r->id);
  if (r->parent_id) return REFUSE("request.parent_id: '%.64s': hnscall takes no parent", r->parent_id);
  return HNS_S_OK;
}

static hns_hr check_request(hns_backend *b, const hns_backend_request *r) {
  if ((unsigned)r->op >= HNS_OP_COUNT)
    return REFUSE("request.op: %d is not an operation (enumerate, create, modify, query, delete, hnscall)", (int)r->op);
  if (r->op == HNS_OP_HNSCALL) return check_hnscall(b, r);
  const char *op = op_names[r->op];
  if ((unsigned)r->kind >= HNS_LIFECYCLE_KINDS)
    return REFUSE("request.kind: %d is not an object kind (0 network, 1 endpoint, 2 namespace, 3 load balancer, "
                  "4 SDN route)", (int)r->kind);
  const char *kind = kind_names[r->kind];
  if (r->method) return REFUSE("request.method: '%.16s': only hnscall takes one, not %s", r->method, op);
  if (r->path) return REFUSE("request.path: '%.64s': only hnscall takes one, not %s", r->path, op);
  int needs_id = r->op == HNS_OP_MODIFY || r->op == HNS_OP_QUERY || r->op == HNS_OP_DELETE;
  if (needs_id && !r->id) return REFUSE("request.id: missing; %s of a %s needs its ID", op, kind);
  if (r->op == HNS_OP_ENUMERATE && r->id)
    return REFUSE("request.id: '%.64s': enumerate takes no ID (filter with a HostComputeQuery document)", r->id);
  int endpoint_create = r->op == HNS_OP_CREATE && r->kind == HNS_ENDPOINT;
  if (endpoint_create && !r->parent_id)
    return REFUSE("request.parent_id: missing; an endpoint is created on a network");
  if (!endpoint_create && r->parent_id)
    return REFUSE("request.parent_id: '%.64s': only an endpoint's create takes a network, not %s of a %s",
                  r->parent_id, op, kind);
  if ((r->op == HNS_OP_CREATE || r->op == HNS_OP_MODIFY) && !r->document)
    return REFUSE("request.document: missing; %s of a %s needs %s", op, kind,
                  r->op == HNS_OP_CREATE ? "its settings" : "a ModifyRequest");
  if (r->op == HNS_OP_DELETE && r->document) return REFUSE("request.document: delete takes none");
  hns_hr hr = r->id ? check_guid(b, "id", r->id) : HNS_S_OK;
  if (HNS_SUCCEEDED(hr) && r->parent_id) hr = check_guid(b, "parent_id", r->parent_id);
  return hr;
}

/* ---- a call ---- */

/* A hang is told in the detail before the service's own words, if any. */
static void tell_hang(hns_backend *b, const hns_backend_answer *out) {
  char service[sizeof b->detail];
  memcpy(service, b->detail, sizeof service);
  hns__backend_say(b, "fault %d: the call hung %lld ns, then HNS %s%s", out->fault_id, (long long)out->elapsed,
                   HNS_FAILED(out->hr) ? "refused it: " : "answered", service);
}

hns_hr hns_backend_call(hns_backend *b, const hns_backend_request *req, hns_backend_answer *out) {
  if (!out) return HNS_E_POINTER;
  memset(out, 0, sizeof *out);
  if (!b) {
    out->hr = HNS_E_POINTER;
    out->error_record = hns_error_record(HNS_E_POINTER);
    out->detail = hns_strdup("backend: NULL");
    return out->hr;
  }
  b->detail[0] = '\0';
  hns_hr hr = req ? check_request(b, req) : (hns__backend_say(b, "request: NULL"), HNS_E_POINTER);
  if (HNS_FAILED(hr)) {
    out->hr = hr;
    out->error_record = hns_error_record(hr);
  } else if (!hns__fault_decide(b, req, out)) {
    hns__backend_sim_call(b, req, out);
    if (out->fault_id) tell_hang(b, out);
  }
  if (b->detail[0]) out->detail = hns_strdup(b->detail);
  return out->hr;
}

/* ---- lifecycle ---- */

static hns_hr lifecycle_answer(hns_backend *b, hns_hr hr) {
  hns__backend_say(b, "%s", HNS_FAILED(hr) ? hns_service_last_detail(b->svc) : "");
  return hr;
}

hns_hr hns_backend_restart(hns_backend *b, hns_rehydration mode, hns_lifecycle_report *report) {
  if (!b) return HNS_E_POINTER;
  return lifecycle_answer(b, hns_service_restart(b->svc, mode, report));
}

hns_hr hns_backend_reboot(hns_backend *b, hns_lifecycle_report *report) {
  if (!b) return HNS_E_POINTER;
  return lifecycle_answer(b, hns_service_reboot(b->svc, report));
}
