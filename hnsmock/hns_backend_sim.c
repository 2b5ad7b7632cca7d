/* hns_backend_sim.c: the "sim" backend's calls: each backend operation
 * made on the simulated hns_service with the HCN calls a client makes for
 * it (hns-api-facts.md §1.1, §1.2; hcsshim hcn/hcnnetwork.go
 * createNetwork):
 *   enumerate  Enumerate
 *   create     Open of the parent network (an endpoint's), Create, Query
 *              of the new object's v2 properties, Close of both handles
 *   modify     Open, Modify, Close
 *   query      Open, QueryProperties, Close
 *   delete     Delete (by ID, as HCN takes it)
 *   hnscall    HNSCall (hns_v1.h)
 * The request has passed hns_backend.c's checks: its op, kind, IDs and
 * documents are there as the op needs them, and its IDs parse. No handle
 * outlives a call. */
#include <stdlib.h>
#include "hns_backend_int.h"
#include "hns_schema.h"
#include "hns_v1.h"

static hns_guid guid_of(const char *text) {
  hns_guid g = {0};
  hns_guid_parse(text, &g); /* checked by hns_backend.c */
  return g;
}

static hns_hr create(hns_service *svc, const hns_backend_request *r, char **output, char **er) {
  hns_handle *parent = NULL, *h = NULL;
  hns_hr hr = HNS_S_OK;
  if (r->kind == HNS_ENDPOINT) {
    hns_guid pid = guid_of(r->parent_id);
    hr = hns_open(svc, HNS_NETWORK, &pid, &parent, er);
  }
  hns_guid id = r->id ? guid_of(r->id) : (hns_guid){0};
  if (HNS_SUCCEEDED(hr)) hr = hns_create(svc, r->kind, parent, &id, r->document, &h, er);
  if (HNS_SUCCEEDED(hr)) hr = hns_query_properties(h, NULL, output, er);
  hns_close(h);
  hns_close(parent);
  return hr;
}

/* Modify (document: the ModifyRequest) or query (document: the query) on
 * a handle opened for the call. */
static hns_hr on_handle(hns_service *svc, const hns_backend_request *r, char **output, char **er) {
  hns_handle *h = NULL;
  hns_guid id = guid_of(r->id);
  hns_hr hr = hns_open(svc, r->kind, &id, &h, er);
  if (HNS_SUCCEEDED(hr))
    hr = r->op == HNS_OP_MODIFY ? hns_modify(h, r->document, er) : hns_query_properties(h, r->document, output, er);
  hns_close(h);
  return hr;
}

void hns__backend_sim_call(hns_backend *b, const hns_backend_request *r, hns_backend_answer *out) {
  hns_service *svc = b->svc;
  char *er = NULL;
  hns_hr hr = HNS_E_INVALIDARG;
  hns_guid id;
  switch (r->op) {
  case HNS_OP_ENUMERATE: hr = hns_enumerate(svc, r->kind, r->document, &out->output, &er); break;
  case HNS_OP_CREATE: hr = create(svc, r, &out->output, &er); break;
  case HNS_OP_MODIFY:
  case HNS_OP_QUERY: hr = on_handle(svc, r, &out->output, &er); break;
  case HNS_OP_DELETE:
    id = guid_of(r->id);
    hr = hns_delete(svc, r->kind, &id, &er);
    break;
  case HNS_OP_HNSCALL:
    /* HNSCall's envelope is its answer on failure as well; the record
     * repeats it, so that every failed call has one (hns_backend.h). */
    hr = hns_call(svc, r->method, r->path, r->document, &out->output);
    if (HNS_FAILED(hr) && out->output) er = hns_strdup(out->output);
    break;
  case HNS_OP_COUNT: break; /* refused by hns_backend.c */
  }
  out->hr = hr;
  if (HNS_SUCCEEDED(hr)) {
    free(er);
    return;
  }
  if (r->op != HNS_OP_HNSCALL) {
    free(out->output);
    out->output = NULL;
  }
  out->error_record = er ? er : hns_error_record(hr);
  hns__backend_say(b, "%s", hns_service_last_detail(svc));
}
