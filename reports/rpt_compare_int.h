/* rpt_compare_int.h: what the files of a comparison (rpt_compare.h) share,
 * private to reports/ and its tests. rpt_compare.c builds one (the frame:
 * the two runs, their read snapshots, the message of a failure) with the
 * parts rpt_compare_objects.c, rpt_compare_truth.c and rpt_compare_calls.c;
 * rpt_compare_norm.c normalises GUIDs and MACs; rpt_compare_match.c pairs
 * things by key and aligns sequences; rpt_compare_text.c, _md.c and _html.c
 * write it.
 *
 * A comparison keeps only what differs (and the tallies of everything), in
 * the order the writers print it, so writing is a walk over arrays. */
#ifndef RPT_COMPARE_INT_H
#define RPT_COMPARE_INT_H
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "rpt_compare.h"
#include "rpt_read.h"

/* How a thing in one run stands to the other run. */
enum rpt__cmp_state { RPT__CMP_DIFFER = 1, RPT__CMP_ONLY_A = 2, RPT__CMP_ONLY_B = 3 };

/* One field of a matched object that differs: its JSON path and the two
 * normalised values as compact JSON; NULL on the side that lacks it. */
struct rpt__cmp_field {
  char *path, *a, *b;
};

/* An object that differs (state DIFFER, with its fields) or that one run
 * has and the other has not. */
struct rpt__cmp_object {
  char *host;
  const char *kind; /* "network", "endpoint", "loadbalancer", "namespace" */
  char *name;       /* its Name, else its address key, else its place ("[2]") */
  const char *by;   /* DIFFER: how it was matched, "name" or "address" */
  int state;
  struct rpt__cmp_field *fields;
  size_t n_fields, cap_fields;
};

/* A truth cell whose observed verdict differs, or in one run only. */
struct rpt__cmp_cell {
  char *table, *row, *col, *proto;
  int dport;
  char *a, *b; /* the verdicts observed; NULL on the side without the cell */
  int state;
};

/* An HCN call whose HRESULT differs, or in one run only. */
struct rpt__cmp_call {
  char *host;
  char *what;             /* "create endpoint", "hnscall POST /endpoints/<guid>/attach" */
  int64_t seq_a, seq_b;   /* 0 on the side without the call */
  uint32_t hr_a, hr_b;
  int state;
};

/* The calls of one operation in both runs and what they cost (simulated ns). */
struct rpt__cmp_op {
  char *op;
  int64_t n_a, n_b, cost_a, cost_b;
};

struct rpt_compare {
  rpt_run_summary a, b;
  char *label;
  int64_t hosts_a, hosts_b; /* hosts with a snapshot under the label */
  rpt_compare_tally tally[3];
  struct rpt__cmp_object *objects;
  size_t n_objects, cap_objects;
  struct rpt__cmp_cell *cells;
  size_t n_cells, cap_cells;
  struct rpt__cmp_call *calls;
  size_t n_calls, cap_calls;
  struct rpt__cmp_op *ops; /* by op name, byte order */
  size_t n_ops, cap_ops;
  char **notes; /* sentences on what could not be compared as the rest */
  size_t n_notes, cap_notes;
};

/* What the parts build with: the comparison, the two databases and runs
 * (index 0 is A, 1 is B). */
struct rpt__cmp_ctx {
  rpt_compare *c;
  rpt_db *db[2];
  int64_t run[2];
};

/* ---- the frame (rpt_compare.c) ---- */

/* Ends a part's failure: `status` came from side `side`'s database (or is
 * RPT_E_NOMEM from anywhere); makes sure db[0] holds its message. Returns
 * status. */
int rpt__cmp_failed(struct rpt__cmp_ctx *x, int side, int status);

/* `items` (of `*cap` elements of `size` bytes, `n` used) with room for one
 * more: the same or a larger block, or NULL when out of memory (then
 * `items` is still valid). */
void *rpt__cmp_grow(void *items, size_t *cap, size_t n, size_t size);
/* A copy of s (NULL gives NULL; so does running out of memory). */
char *rpt__cmp_dup(const char *s);
/* Adds a note (printf-style); RPT_E_NOMEM on failure. */
int rpt__cmp_note(rpt_compare *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the parts: each fills its section of x->c; an rpt_status ---- */

int rpt__cmp_objects(struct rpt__cmp_ctx *x, const char *label);
int rpt__cmp_truth(struct rpt__cmp_ctx *x);
int rpt__cmp_calls(struct rpt__cmp_ctx *x);

/* ---- normalising (rpt_compare_norm.c) ---- */

/* The role of each object of one host's snapshot, by its GUID. */
struct rpt__cmp_role {
  char guid[37]; /* upper case */
  char *role;    /* "<endpoint web_cbr0>" */
};
struct rpt__cmp_roles {
  struct rpt__cmp_role *v;
  size_t n, cap;
};

/* Adds guid's role (a string that is not a GUID is ignored); call
 * rpt__cmp_roles_sort before looking anything up. RPT_E_NOMEM on failure. */
int rpt__cmp_roles_add(struct rpt__cmp_roles *r, const char *guid, const char *role);
void rpt__cmp_roles_sort(struct rpt__cmp_roles *r);
void rpt__cmp_roles_free(struct rpt__cmp_roles *r);

/* s with every GUID (8-4-4-4-12 hex digits, any case) replaced by its role
 * in `roles`, or "<guid>" when it has none (roles may be NULL), and every
 * MAC address (six pairs of hex digits joined by '-' or ':') by "<mac>".
 * malloc'd; NULL when out of memory. */
char *rpt__cmp_norm(const char *s, const struct rpt__cmp_roles *roles);

/* A deep copy of `doc` with every string value normalised as above and the
 * top-level members named in `skip` (a NULL-terminated list, compared in
 * any case; may be NULL) left out. NULL when out of memory. */
cJSON *rpt__cmp_norm_tree(const cJSON *doc, const struct rpt__cmp_roles *roles, const char *const *skip);

/* ---- matching (rpt_compare_match.c) ---- */

/* Pairs keys_a[i] with keys_b[j] when the keys are equal: the k-th A of a
 * key with the k-th B of it, in index order. A NULL key takes no part.
 * Sets a_to_b[i] = j and b_to_a[j] = i for each pair and leaves every other
 * entry as it was. RPT_E_NOMEM on failure. */
int rpt__cmp_pair(const char *const *keys_a, size_t na, const char *const *keys_b, size_t nb, ptrdiff_t *a_to_b,
                  ptrdiff_t *b_to_a);

/* One step of an alignment: a[a] with b[b], or -1 for the side without it. */
struct rpt__cmp_step {
  ptrdiff_t a, b;
};

/* Aligns two sequences of keys by a shortest edit script (Myers, "An O(ND)
 * Difference Algorithm and Its Variations", 1986): equal keys paired in
 * order, the rest on one side only. Returns 0 with *steps (malloc'd; *n
 * of them) in order; 1 when more than max_d keys would be on one side only
 * (nothing allocated: the time and memory grow with that count squared);
 * RPT_E_NOMEM on failure. */
int rpt__cmp_align(const char *const *a, size_t na, const char *const *b, size_t nb, size_t max_d,
                   struct rpt__cmp_step **steps, size_t *n);

/* ---- writing (rpt_compare_text.c, _md.c, _html.c) ---- */

void rpt__cmp_write_text(const rpt_compare *c, FILE *out);
void rpt__cmp_write_md(const rpt_compare *c, FILE *out);
void rpt__cmp_write_html(const rpt_compare *c, FILE *out);

/* A call's HRESULT as the writers print it: "0x803B0013". */
void rpt__cmp_hr(char buf[11], uint32_t hr);
/* "tally" as the summary prints it: "12 same, 1 differ, 0 only in A, 0 only in B". */
void rpt__cmp_tally_text(FILE *out, const rpt_compare_tally *t, const char *same);
/* Simulated nanoseconds as seconds with nine decimals, "2.500000000". */
void rpt__cmp_secs(char buf[32], int64_t ns);
/* B's total over A's, "1.500" (three decimals), or "n/a" when A's is 0. */
void rpt__cmp_ratio(char buf[32], int64_t a, int64_t b);

#endif
