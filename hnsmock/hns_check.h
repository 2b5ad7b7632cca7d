/* hns_check.h: invariants over the HNS state of one host or a cluster, after
 * Microsoft's networkhealth.ps1 checks and the users' pain points
 * (consumers-and-pain-points.md §3.4 and §4). docs/invariants.md lists every
 * check with its rule, its source and what it cannot see.
 *
 * The checks read only what HNS itself exposes: the objects HcnEnumerate*
 * lists and HcnQuery*Properties returns (hns_api.h), as HostCompute* v2
 * documents, with each endpoint's and load balancer's State from the v1
 * view when the v2 document has none (networkhealth reads the v1 State).
 * hns_check_state writes that as one JSON document, the host's state; a
 * host is checked either live, through its hns_service, or from such a
 * document (a stored snapshot, or a real host's state imported in the same
 * shape), and both give the same answer.
 *
 * Conventions (as the rest of hnsmock): calls return an HRESULT; results go
 * through out-parameters; a report owns its strings and is freed with
 * hns_check_report_free. A run that finds violations succeeds (S_OK): the
 * violations are its answer. A run that cannot be made (an unknown check,
 * a host state it cannot read) fails, with the reason in the report's
 * `error`, naming the check, host, field and value. */
#ifndef HNS_CHECK_H
#define HNS_CHECK_H
#include <stddef.h>
#include "hns_api.h"

/* One check of the catalogue: static data. */
typedef struct hns_check_info {
  const char *name;        /* "lb-endpoints-exist": what expect.invariant and `hnsim check` take */
  const char *description; /* one line: the rule */
  const char *source;      /* where the rule comes from (docs/invariants.md has the addresses) */
} hns_check_info;

/* The number of checks, and the i-th in catalogue order (NULL past the end). */
size_t hns_check_count(void);
const hns_check_info *hns_check_get(size_t i);

/* The check called `name` (exact), or NULL. */
const hns_check_info *hns_check_find(const char *name);

/* One host of the set a run checks. Exactly one of `svc` and `state` is set. */
typedef struct hns_check_host {
  const char *name;  /* the host's name, as violations show it; unique in the set */
  hns_service *svc;  /* a live HNS, read through hns_api.h */
  const char *state; /* or the host's state, as hns_check_state writes it */
} hns_check_host;

typedef struct hns_check_violation {
  const char *check; /* the check's name (static) */
  char *host;        /* the host's name */
  const char *kind;  /* "endpoint", "host", "load balancer" or "network" (static) */
  char *id;          /* the object's ID as HNS wrote it; the host's name for kind "host" */
  char *message;     /* one sentence naming the object, the field and its value */
} hns_check_violation;

typedef struct hns_check_report {
  hns_check_violation *violations; /* sorted by host, kind, ID, check, message */
  size_t count;
  size_t checks_run; /* how many checks the run made */
  char error[512];   /* why the run failed; "" when it succeeded */
} hns_check_report;

/* Runs the check called `name` (NULL: every check, in catalogue order) over
 * the `n` hosts. Checks that compare hosts (remote-endpoints-live) see them
 * all. Returns S_OK with the violations in *out (none: the invariant
 * holds); E_POINTER for a NULL `out` (or NULL `hosts` with n > 0);
 * E_INVALIDARG for an unknown check, a host without a name, two hosts with
 * one name, a host with neither or both of `svc` and `state`, or a state
 * document that is not what hns_check_state writes; the HRESULT of the HCN
 * call that failed when a live host cannot be read (builds without the v2
 * API: ws2016, 1709, 1803); E_OUTOFMEMORY. On failure *out has no
 * violations and `error` says why. */
hns_hr hns_check_run(const hns_check_host *hosts, size_t n, const char *name, hns_check_report *out);

void hns_check_report_free(hns_check_report *r);

/* The host's state, read through hns_api.h, as one JSON document (malloc'd,
 * the caller frees it):
 *   {"Profile":"<profile name>","Networks":[...],"Endpoints":[...],"LoadBalancers":[...]}
 * each array holding the v2 documents in the order HcnEnumerate* lists them.
 * Fails with the HRESULT of the first HCN call that failed
 * (hns_service_last_detail says why); E_POINTER for NULL arguments. */
hns_hr hns_check_state(hns_service *svc, char **out_json);

#endif
