/* rpt_json_int.h: what the two files of the JSON report share: a builder
 * that remembers whether an allocation failed (so the callbacks can add
 * fields without checking each one), and the detailed rows' part. */
#ifndef RPT_JSON_INT_H
#define RPT_JSON_INT_H
#include <stdint.h>
#include <cjson/cJSON.h>
#include "rpt_db.h"

typedef struct rpt__json {
  rpt_db *db;
  int oom;       /* an allocation failed: the document is incomplete */
  cJSON *array;  /* where the current walk's rows go */
} rpt__json;

/* A new object appended to b->array (NULL, with b->oom set, on failure). */
cJSON *rpt__json_row(rpt__json *b);
/* Fields: a string (NULL gives null), an exact integer, a boolean. */
void rpt__json_str(rpt__json *b, cJSON *o, const char *key, const char *s);
void rpt__json_i64(rpt__json *b, cJSON *o, const char *key, int64_t v);
void rpt__json_bool(rpt__json *b, cJSON *o, const char *key, int v);
/* A new array field of o, made b->array. */
cJSON *rpt__json_array(rpt__json *b, cJSON *o, const char *key);
/* What a row callback returns: RPT_E_NOMEM once an allocation failed, else 0. */
static inline int rpt__json_status(const rpt__json *b) { return b->oom ? RPT_E_NOMEM : 0; }

/* Adds hcn_calls, probes (with hops), truth_tables (with cells), faults and
 * snapshots of run `run_id` to `run` (rpt_json_rows.c). */
int rpt__json_detail(rpt__json *b, cJSON *run, int64_t run_id);

#endif
