/* hns_backend_int.h: what the backend's files share (hns_backend.c, the
 * front; hns_backend_sim.c, the simulated service; hns_backend_fault.c,
 * the faults and what they answer). Private to hnsmock.
 *
 * Invariants: faults[] is in the order the faults were added (the order
 * they are matched in); fault numbers only grow; a fault's path_prefix is
 * its own copy. */
#ifndef HNS_BACKEND_INT_H
#define HNS_BACKEND_INT_H
#include "hns_backend.h"

typedef struct hns__fault {
  int id;
  hns_fault_spec spec; /* spec.path_prefix points at path_prefix */
  char *path_prefix;
  uint32_t hits;
} hns__fault;

struct hns_backend {
  hns_service *svc;
  uint64_t seed; /* the service's, for the IDs a create without effect answers */
  hns__fault *faults;
  size_t nfaults, cap;
  int last_fault_id;
  char detail[512]; /* hns_backend_last_detail */
};

/* Writes the words of whatever answers a call into b->detail, which the
 * answer's detail copies ("" says nothing). */
void hns__backend_say(hns_backend *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Lets the first unspent fault matching `req` (already validated) decide
 * the call, its hit counted (hns_backend_fault.c). Returns 1 when the
 * fault gave the whole answer (FAIL, NO_EFFECT), 0 when the call is to be
 * made (no fault matched, or a HANG: out->elapsed and out->fault_id set). */
int hns__fault_decide(hns_backend *b, const hns_backend_request *req, hns_backend_answer *out);
void hns__fault_list_free(hns_backend *b);

/* The call made on the simulated service (hns_backend_sim.c): fills
 * out->hr, output and error_record, and on failure says the service's
 * detail. */
void hns__backend_sim_call(hns_backend *b, const hns_backend_request *req, hns_backend_answer *out);

#endif
