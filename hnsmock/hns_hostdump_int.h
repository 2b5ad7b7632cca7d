/* hns_hostdump_int.h: what the host-dump modules share (private to hnsmock).
 *
 *   hns_hostdump_import.c    a file: its format, its wrappers; the import's life, notes, errors
 *   hns_hostdump_merge.c     an object -> its v2 document -> pending, merged by ID into
 *                            the host's lists when the file is read whole
 *   hns_hostdump_finish.c    the host state document out of the lists; format names
 *   hns_hostdump_decode.c    bytes -> UTF-8 text; sequences of JSON values;
 *                            values ConvertTo-Json cut off
 *   hns_hostdump_classify.c  which tool and which kind of object a JSON object is
 *   hns_hostdump_v1in.c      v1 network, endpoint, policy list -> v2 documents
 *   hns_hostdump_v1out.c     v2 documents of a state -> their v1 views
 *   hns_hostdump_nh.c        networkhealth.ps1's dump files, both ways
 *   hns_hostdump_diag_in.c   hnsdiag text -> objects
 *   hns_hostdump_diag_out.c  a state -> hnsdiag text
 *   hns_hostdump_print.c     JSON as ConvertTo-Json and hnsdiag print it
 *   hns_hostdump_export.c    the export: a state -> the files of a format
 *   hns_hostdump_dir.c       files and folders on disk
 *   hns_hostdump_version.c   an HNS version <-> a profile
 *
 * Invariant: every document in the import's lists and pending lists has an
 * "ID" that is a GUID; no two in one list have the same ID in any case. */
#ifndef HNS_HOSTDUMP_INT_H
#define HNS_HOSTDUMP_INT_H
#include <stdint.h>
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_hostdump.h"
#include "hns_profile.h"

/* The lists of a host state, in its order. */
enum { HNS_DUMP_NETWORKS = 0, HNS_DUMP_ENDPOINTS = 1, HNS_DUMP_LBS = 2, HNS_DUMP_LISTS = 3 };
extern const char *const hns__dump_list_keys[HNS_DUMP_LISTS]; /* "Networks", "Endpoints", "LoadBalancers" */

/* What a JSON object of a dump is (hns_hostdump_classify.c). */
typedef enum hns__dk {
  HNS_DK_UNKNOWN = 0,
  HNS_DK_V1_NETWORK,    /* HNSNetwork (Get-HnsNetwork, GET /networks) */
  HNS_DK_V1_ENDPOINT,   /* HNSEndpoint */
  HNS_DK_V1_POLICYLIST, /* PolicyList (Get-HnsPolicyList) */
  HNS_DK_V2_NETWORK,    /* HostComputeNetwork */
  HNS_DK_V2_ENDPOINT,   /* HostComputeEndpoint */
  HNS_DK_V2_LB,         /* HostComputeLoadBalancer */
  HNS_DK_V2_ROUTE,      /* HostComputeRoute (an SDN route): not part of a host state */
  HNS_DK_NAMESPACE,     /* v1 or v2 namespace: not part of a host state */
  HNS_DK_NH_NETWORK,    /* networkhealth NetworkData */
  HNS_DK_NH_ENDPOINT,   /* networkhealth EndpointData */
  HNS_DK_NH_LB,         /* networkhealth LoadBalancerPolicyData */
  HNS_DK_NH_NODE        /* networkhealth NodeData: no HNS object */
} hns__dk;

hns__dk hns__dump_classify(const cJSON *o);
/* "a v1 endpoint", "an HCN v2 load balancer", ... */
const char *hns__dump_kind_name(hns__dk k);
/* The format an object of that kind belongs to (HNS_DUMP_JSON, _V2,
 * _NETWORKHEALTH); HNS_DUMP_ANY for a namespace (both) and UNKNOWN. */
hns_dump_format hns__dump_kind_format(hns__dk k);

struct hns_dump_import {
  cJSON *lists[HNS_DUMP_LISTS];    /* the host's objects so far, v2 documents */
  cJSON *pending[HNS_DUMP_LISTS];  /* the current file's, merged in when it is read whole */
  hns_service *scratch;            /* hnsmock's v1 conversions report refusals through a service */
  uint64_t newest, pending_newest; /* the largest object Version (HNS version) seen */
  char *state_profile;             /* the Profile of a state document read */
  hns_dump_note_fn note;
  void *ctx;
  const char *file;       /* the file being read, for messages */
  hns_dump_format family; /* what the current file turned out to be; HNS_DUMP_ANY before
                             its first object, HNS_DUMP_FORMAT_COUNT when mixed */
  size_t skipped;         /* objects of the current file left out */
  char error[1024];
};

/* Fails the current file: "'<file>': <message>"; returns E_INVALIDARG. */
hns_hr hns__dump_fail(hns_dump_import *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
hns_hr hns__dump_oom(hns_dump_import *im);
void hns__dump_note(hns_dump_import *im, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* One object of the current file (the `index`-th, from 1): converted to its
 * v2 document and added to the pending lists; namespaces, SDN routes and
 * networkhealth's node data are left out with a note. `force` is the format
 * the caller demands (HNS_DUMP_ANY: any). */
hns_hr hns__dump_object(hns_dump_import *im, const cJSON *o, size_t index, hns_dump_format force);
/* Adds v2 document `doc` (taken, even on failure) to pending list `list`. */
hns_hr hns__dump_add(hns_dump_import *im, int list, cJSON *doc, const char *where);
/* "object 3 (ID 8CC6...)" for messages. */
void hns__dump_where(const cJSON *o, size_t index, char *out, size_t len);
/* Merges the pending lists into the host's (the file was read whole) or
 * drops them. */
hns_hr hns__dump_commit(hns_dump_import *im);
void hns__dump_rollback(hns_dump_import *im);

/* ---- text (hns_hostdump_decode.c) ---- */

/* The file's text as UTF-8 without a byte-order mark (malloc'd). */
hns_hr hns__dump_decode(hns_dump_import *im, const char *bytes, size_t len, char **text);
/* The JSON values `text` holds one after another (hnsdiag -d prints its
 * objects so), to its end: top-level arrays give their items, `null`
 * nothing, and Windows PowerShell's {"value":[...],"Count":n} wrapper its
 * value. 0 with *out a new array; -1 when it is not such a sequence
 * (*fail_at where it broke); -2 out of memory. */
int hns__dump_json_values(const char *text, cJSON **out, const char **fail_at);
/* The first line of `text` from `from` on whose first character is '{' or
 * '[' (where ConvertTo-Json's output starts after a Format-Table
 * preamble, as collectlogs.ps1 writes network.txt), or NULL. */
const char *hns__dump_json_line(const char *text, const char *from);
/* Removes from `o` the values ConvertTo-Json wrote as text because they
 * lay deeper than its -Depth ("@{...}", "System.Object[]", ...); the
 * count, and the first one's path and text in `example`. */
size_t hns__dump_scrub(cJSON *o, char *example, size_t len);

/* ---- conversions in (hns_hostdump_v1in.c, hns_hostdump_nh.c) ---- */

hns_hr hns__dump_v1_network(hns_dump_import *im, const cJSON *v1, const char *where, cJSON **v2);
hns_hr hns__dump_v1_endpoint(hns_dump_import *im, const cJSON *v1, const char *where, cJSON **v2);
/* *v2 is NULL for a list of ROUTE policies (an SDN route), left out. */
hns_hr hns__dump_v1_policylist(hns_dump_import *im, const cJSON *v1, const char *where, cJSON **v2);
/* A networkhealth object of kind `k`; *v2 is NULL for node data. */
hns_hr hns__dump_nh_in(hns_dump_import *im, hns__dk k, const cJSON *o, const char *where, cJSON **v2);

/* ---- hnsdiag (hns_hostdump_diag_in.c) ---- */

/* 1 if `text` looks like hnsdiag's output: a section title ("Networks:",
 * "LoadBalancers:" ...) or an "Endpoint : <ID>" block on a line of its own. */
int hns__dump_is_hnsdiag(const char *text);
hns_hr hns__dump_hnsdiag_in(hns_dump_import *im, const char *text);

/* ---- export ---- */

/* A state document read for export (hns_hostdump_export.c). */
typedef struct hns__dump_state {
  cJSON *root;
  const hns_profile *profile;
  const cJSON *lists[HNS_DUMP_LISTS]; /* arrays of objects, each with a string ID */
} hns__dump_state;

/* The object of `list` with ID `id` (any case), or NULL. */
const cJSON *hns__dump_find(const hns__dump_state *s, int list, const char *id);
/* The first IPv4 address of an endpoint document (else its first), or NULL. */
const char *hns__dump_endpoint_ip(const cJSON *ep);
/* Appends a file (`text` taken, even on failure); -1 when out of memory. */
int hns__dump_add_file(hns_dump_files *out, const char *name, char *text);

/* The v1 view of document `doc` of list `list` (hns_hostdump_v1out.c),
 * as hnsmock's HNSCall shows it (hns_v1_view.c), with the Version the
 * profile's HNS stamps on objects; NULL when out of memory. */
cJSON *hns__dump_v1_view(const hns__dump_state *s, int list, const cJSON *doc);

int hns__dump_nh_out(const hns__dump_state *s, hns_dump_files *out);
int hns__dump_hnsdiag_out(const hns__dump_state *s, hns_dump_files *out);

/* JSON text (malloc'd, ending in a newline) as ConvertTo-Json (PowerShell
 * 7) or hnsdiag -d print it; NULL when out of memory. */
enum { HNS_DUMP_STYLE_PWSH = 0, HNS_DUMP_STYLE_HNSDIAG = 1 };
char *hns__dump_print(const cJSON *v, int style);
/* What `$items | ConvertTo-Json` prints for the items of array `a`:
 * nothing for none, the item itself for one, the array for more. */
char *hns__dump_print_pipeline(const cJSON *a);

/* ---- versions (hns_hostdump_version.c) ---- */

/* The Version HNS stamps on the objects it makes, (major << 32) | minor
 * (facts §3.1), for the profile's HNS; 0 when the profile's is unknown. */
uint64_t hns__dump_version_of(const hns_profile *p);
/* The profile a host whose newest object has Version `v` runs, or NULL. */
const hns_profile *hns__dump_profile_at(uint64_t v);

#endif
