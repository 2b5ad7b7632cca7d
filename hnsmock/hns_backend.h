/* hns_backend.h: one host's HNS as a scenario drives it: every change is a
 * call with a JSON document in, an HRESULT and JSON out, as HCN and HNSCall
 * take them, so the same scenario can drive the simulated HNS here or the
 * real one on Windows (DESIGN.md "backend: one interface, two
 * implementations"). This build has the "sim" implementation: a simulated
 * hns_service in process, its objects mirrored into the data-plane model
 * when one is given. The "hcn" one (computenetwork.dll) exists only in the
 * Windows build.
 *
 * The faults a scenario injects at this boundary live here too: a call
 * that fails N times with a chosen HRESULT, a call that takes simulated
 * time before it answers (a hang), a call that answers S_OK and changes
 * nothing. Restart and reboot of the service are the lifecycle calls of
 * hns_lifecycle.h, reached through the backend.
 *
 * Conventions: every call returns an HRESULT; a failed call changes
 * nothing; outputs in an hns_backend_answer are malloc'd and freed with
 * hns_backend_answer_free. The backend never writes to a database and
 * knows no Lua: the layer above records each call and its answer.
 * docs/backend.md describes the operations, the faults and how the "hcn"
 * implementation maps onto computenetwork.dll. */
#ifndef HNS_BACKEND_H
#define HNS_BACKEND_H
#include <stdint.h>
#include "hns_api.h"
#include "hns_lifecycle.h"
#include "sim_net.h"

typedef struct hns_backend hns_backend;

typedef enum hns_backend_op {
  HNS_OP_ENUMERATE = 0, /* document: a HostComputeQuery or NULL; output: the JSON array of IDs */
  HNS_OP_CREATE,        /* id: the GUID to give or NULL; parent_id: an endpoint's network;
                           document: the settings; output: the created object's properties
                           (v2, as QueryProperties without a query gives them) */
  HNS_OP_MODIFY,        /* id, document: the ModifyRequest; output: NULL */
  HNS_OP_QUERY,         /* id, document: the query or NULL; output: the properties */
  HNS_OP_DELETE,        /* id; output: NULL */
  HNS_OP_HNSCALL,       /* method, path, document: the request body or NULL; output: the
                           HNSCall response envelope {"Success":...}, on failure too; the
                           HRESULT is HNSCall's, the failure's when Success is false
                           (hns_v1.h), and error_record then repeats the envelope */
  HNS_OP_COUNT
} hns_backend_op;

/* "enumerate", "create", "modify", "query", "delete", "hnscall"; NULL for
 * another value. */
const char *hns_backend_op_name(hns_backend_op op);

typedef struct hns_backend_request {
  hns_backend_op op;
  hns_object_kind kind; /* not used by HNS_OP_HNSCALL */
  const char *id;
  const char *parent_id;
  const char *document;
  const char *method, *path; /* HNS_OP_HNSCALL only */
} hns_backend_request;

typedef struct hns_backend_answer {
  hns_hr hr;
  char *output;        /* see hns_backend_op; NULL when none, and on failure but for
                          HNSCall's envelope */
  char *error_record;  /* the ErrorRecord HNS gives on failure, else NULL */
  char *detail;        /* hnsim's own words on a refusal: the field and value
                          (hns_service_last_detail), or which fault decided; else NULL */
  sim_time elapsed;    /* simulated time the call took (a hang's duration, else 0) */
  int fault_id;        /* the injected fault that decided the answer, or 0 */
} hns_backend_answer;

void hns_backend_answer_free(hns_backend_answer *a);

/* A simulated HNS for one host: `cfg` as hns_service_create takes it;
 * `model` and `host` (both or neither: E_INVALIDARG for one alone) attach
 * the data-plane model (hns_model.h). Returns S_OK with *out, or the
 * HRESULT of the failure (E_POINTER for a NULL out). */
hns_hr hns_backend_sim_create(const hns_service_config *cfg, sim_net *model, const char *host, hns_backend **out);
void hns_backend_destroy(hns_backend *b);

/* "sim" or "hcn". */
const char *hns_backend_name(const hns_backend *b);

/* The simulated service behind a "sim" backend (for the lifecycle calls
 * and reading state), NULL for "hcn". */
hns_service *hns_backend_service(hns_backend *b);

/* One call. `out` is always filled when not NULL (hr repeated there);
 * E_POINTER for a NULL backend, request or answer; E_INVALIDARG for a
 * malformed request (an op or kind out of range, a missing id, parent_id,
 * document, method or path the op needs, or one the op does not take);
 * HCN_E_GUID_CONVERSION_FAILURE for an id or parent_id that is not a GUID,
 * as hnsmock refuses GUID text elsewhere. A malformed request reaches no
 * fault and no service; its answer carries the ErrorRecord for its HRESULT
 * and a detail naming the field and value. */
hns_hr hns_backend_call(hns_backend *b, const hns_backend_request *req, hns_backend_answer *out);

/* The words of the most recent call on `b` (hns_backend_fault_hits, which
 * takes a const backend, leaves them): for hns_backend_call the answer's
 * detail, for the others a refusal's field and value; "" when there are
 * none. This is how a refused fault spec or lifecycle call names them. */
const char *hns_backend_last_detail(const hns_backend *b);

/* ---- faults ---- */

typedef enum hns_fault_action {
  HNS_FAULT_FAIL = 0,  /* answer `hr` (a failure HRESULT) with HNS's ErrorRecord for it; nothing changes */
  HNS_FAULT_HANG,      /* the call takes `duration` of simulated time, then is made as usual */
  HNS_FAULT_NO_EFFECT  /* answer S_OK without changing anything; only calls that change
                          something match it (create, modify, delete, HNSCall other than
                          GET); a create answers the request's document with an ID that
                          names nothing (docs/backend.md) */
} hns_fault_action;

/* Which calls a fault applies to, and how many times. */
typedef struct hns_fault_spec {
  hns_backend_op op;    /* HNS_OP_COUNT: every op */
  int any_kind;         /* 1: every kind; 0: only `kind` */
  hns_object_kind kind;
  const char *path_prefix; /* op HNS_OP_HNSCALL only: only paths starting with it, in any
                              case (copied); NULL: all */
  hns_fault_action action;
  hns_hr hr;            /* HNS_FAULT_FAIL: must be a failure HRESULT; else 0 */
  sim_time duration;    /* HNS_FAULT_HANG: > 0; else 0 */
  uint32_t times;       /* matching calls it decides before it is spent; 0: forever */
} hns_fault_spec;

/* Adds a fault (checked after the ones added before it: the first
 * unspent match decides). *id receives its number, 1, 2, ... per backend,
 * never reused. E_INVALIDARG for a malformed spec, with nothing added and
 * hns_backend_last_detail naming the field. A fault spent (`times` calls
 * decided) matches nothing more but stays, its hits readable, until
 * removed. */
hns_hr hns_backend_fault_add(hns_backend *b, const hns_fault_spec *spec, int *id);
/* Removes fault `id`; E_INVALIDARG when there is none. */
hns_hr hns_backend_fault_remove(hns_backend *b, int id);
/* How many matching calls fault `id` has decided so far; E_INVALIDARG
 * when there is no fault `id`. */
hns_hr hns_backend_fault_hits(const hns_backend *b, int id, uint32_t *hits);

/* ---- lifecycle ---- */

/* The service restarts (re-hydrating as `mode` says) or the host reboots
 * (hns_lifecycle.h); E_NOTIMPL on "hcn". `report` may be NULL. */
hns_hr hns_backend_restart(hns_backend *b, hns_rehydration mode, hns_lifecycle_report *report);
hns_hr hns_backend_reboot(hns_backend *b, hns_lifecycle_report *report);

#endif
