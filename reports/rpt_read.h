/* rpt_read.h: reading runs and their rows back, for `hnsim report` and the
 * report writers.
 *
 * Readers go through the run_summary view and never see the raw status
 * 'running': a run whose writer is still going, and one whose writer died,
 * both read as RPT_RUN_INCOMPLETE. Results come through out-parameters the
 * caller owns. Rows are handed to a callback one at a time; the strings in a
 * row are valid only during that call (copy what must outlive it), which
 * keeps a 100 000-line log from costing 100 000 allocations. */
#ifndef RPT_READ_H
#define RPT_READ_H
#include <stdint.h>
#include "rpt_db.h"
#include "rpt_sha256.h"
#include "rpt_types.h"

/* One run as readers see it. The strings are the caller's (allocated by
 * rpt_run_get, freed by rpt_run_summary_clear). */
typedef struct rpt_run_summary {
  int64_t id;
  char *scenario;
  uint64_t seed;
  char *profile;
  char *backend;
  char *hnsim_version;
  char *wall_start;                     /* ISO-8601 UTC */
  char *wall_end;                       /* NULL while incomplete */
  int has_sim_end;                      /* 0 while incomplete */
  int64_t sim_end_ns;                   /* 0 unless has_sim_end */
  int state;                            /* enum rpt_run_state */
  char digest[RPT_SHA256_HEX_SIZE];     /* "" while incomplete */
  int64_t log_rows, expectations, expectations_failed, metric_rows;
  /* Counts of the detailed rows (rpt_rows.h). probes_failed: probes whose
   * verdict is not "delivered". */
  int64_t hcn_calls, probes, probes_failed, faults, snapshots;
} rpt_run_summary;

/* Fills *out with run `run_id`. RPT_E_NOTFOUND if there is none. On failure
 * *out holds no allocations (it is zeroed). */
int rpt_run_get(rpt_db *db, int64_t run_id, rpt_run_summary *out);

/* Frees the summary's strings and zeroes it; a zeroed summary is fine. */
int rpt_run_summary_clear(rpt_run_summary *s);

/* The id of the most recently begun run (the highest id); RPT_E_NOTFOUND
 * if the database has no run. */
int rpt_run_last(rpt_db *db, int64_t *out_run_id);

/* The suite of the most recently begun run (the highest id), or 0 when
 * that run belongs to none (made before suites, or by a single writer);
 * RPT_E_NOTFOUND if the database has no run. */
int rpt_suite_last(rpt_db *db, int64_t *out_run_id, int64_t *out_suite);

/* The ids of suite `suite`'s runs in id order, into ids[0..cap); *count
 * receives how many there are (more than cap: call again with more room).
 * RPT_E_NOTFOUND when there is no such suite. */
int rpt_suite_runs(rpt_db *db, int64_t suite, int64_t *ids, size_t cap, size_t *count);

typedef struct rpt_log_row {
  int64_t seq;
  int64_t sim_time_ns;
  int level; /* enum rpt_log_level */
  const char *source;
  const char *message;
} rpt_log_row;

typedef struct rpt_expectation_row {
  int64_t seq;
  int64_t sim_time_ns;
  const char *name;
  int passed; /* 0 or 1 */
  const char *detail;
} rpt_expectation_row;

typedef struct rpt_metric_row {
  int64_t seq;
  int64_t sim_time_ns;
  const char *name;
  double value;
} rpt_metric_row;

/* A callback returns 0 to go on; any other value stops the walk, and the
 * foreach returns that value. */
typedef int (*rpt_log_fn)(void *arg, const rpt_log_row *row);
typedef int (*rpt_expectation_fn)(void *arg, const rpt_expectation_row *row);
typedef int (*rpt_metric_fn)(void *arg, const rpt_metric_row *row);

enum rpt_expectation_order {
  RPT_ORDER_SEQ = 0,         /* as written */
  RPT_ORDER_FAILED_FIRST = 1 /* failed ones first, each group in seq order */
};

/* Walk a run's rows in seq order (expectations in `order`), all from one
 * snapshot of the database. RPT_E_NOTFOUND if there is no run `run_id`. A
 * callback may read through the handle (rpt_run_get, another kind of
 * foreach); the same foreach, or a write, gives RPT_E_STATE. */
int rpt_log_foreach(rpt_db *db, int64_t run_id, rpt_log_fn fn, void *arg);
int rpt_expectation_foreach(rpt_db *db, int64_t run_id, int order, rpt_expectation_fn fn,
                            void *arg);
int rpt_metric_foreach(rpt_db *db, int64_t run_id, rpt_metric_fn fn, void *arg);

#endif
