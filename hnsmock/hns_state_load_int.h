/* hns_state_load_int.h: what the two halves of a state load share
 * (hns_state_load.c: the document and the creates; hns_state_load_attach.c:
 * an endpoint's attachments). Private to hnsmock.
 *
 * Invariant: `made` lists every object the load has created so far, in
 * creation order, so that deleting it backwards (dependents first) takes
 * the service back to empty. */
#ifndef HNS_STATE_LOAD_INT_H
#define HNS_STATE_LOAD_INT_H
#include <cjson/cJSON.h>
#include "hns_service_int.h"
#include "hns_state_load.h"

typedef struct hns__sl_made {
  hns_object_kind kind;
  hns_guid id;
} hns__sl_made;

typedef struct hns__sl {
  hns_service *svc;
  hns_state_load_report report;
  hns__sl_made *made;
  size_t nmade, cap;
  char *detail; /* the failure's sentence, malloc'd; NULL until one */
} hns__sl;

/* A document the load cannot read: sets the sentence ("<where>: <why>")
 * and returns hr. */
hns_hr hns__sl_bad(hns__sl *l, hns_hr hr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A call the service refused: "<where>: <call> answered 0x... NAME: <the
 * service's detail>"; returns hr. */
hns_hr hns__sl_refused(hns__sl *l, hns_hr hr, const char *where, const char *call);

/* Notes a created object (for the rollback) and counts it. E_OUTOFMEMORY
 * (with the sentence) when it cannot be noted; the object is then deleted
 * at once, so `made` still lists every object there is. */
hns_hr hns__sl_created(hns__sl *l, hns_object_kind kind, const hns_guid *id, const char *where);

/* What an endpoint's state says beside the document a client sends. */
typedef struct hns__sl_attach {
  cJSON *ns_id;      /* HostComputeNamespace (a string), or NULL */
  cJSON *containers; /* Health.Extra.SharedContainers (an array of strings), or NULL */
  int has_state;
  double state; /* the v1 State hns_check_state copied in */
} hns__sl_attach;

/* Takes those fields out of the endpoint document `doc` into *a (which
 * then owns them), dropping a Health.Extra or Health that is left empty.
 * HCN_E_INVALID_JSON or HCN_E_GUID_CONVERSION_FAILURE (with the sentence)
 * for a field of the wrong shape. */
hns_hr hns__sl_endpoint_split(hns__sl *l, cJSON *doc, const char *where, hns__sl_attach *a);

/* Makes *a true of the endpoint `id`, created just before: its namespace
 * (made with that ID on first use), its containers, or the host. */
hns_hr hns__sl_endpoint_attach(hns__sl *l, const char *where, const char *id, int remote, const hns__sl_attach *a);

void hns__sl_attach_free(hns__sl_attach *a);

#endif
