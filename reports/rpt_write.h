/* rpt_write.h: what a run writes into the results database.
 *
 * A run is begun, receives log lines, expectation outcomes and metric samples,
 * and is finished. Each row gets a sequence number per run and per table,
 * starting at 1, in the order of the calls; with the simulated time it is all
 * a row needs to be ordered, so nothing depends on wall-clock time or
 * addresses. Beginning a run commits it at once; its rows then wait in one
 * transaction, which finishing commits with the run's digest (rpt_db.h,
 * rpt_digest.h). A run whose writer stops before rpt_run_finish stays
 * 'running' in the file, without rows, which readers see as incomplete.
 *
 * Only the handle that began a run writes to it. Arguments are checked before
 * anything is written; a bad one gives RPT_E_INVAL and a message naming the
 * field and the value, and writes nothing. Strings are copied. */
#ifndef RPT_WRITE_H
#define RPT_WRITE_H
#include <stdint.h>
#include "rpt_db.h"
#include "rpt_types.h"

typedef struct rpt_run_info {
  const char *scenario;      /* the scenario's name or path; not empty */
  uint64_t seed;             /* master seed; at most INT64_MAX (SQLite integers are signed) */
  const char *profile;       /* version profile, e.g. "ws2022"; not empty */
  const char *backend;       /* "sim" or "hcn"; not empty */
  const char *hnsim_version; /* the writing build's version; not empty */
} rpt_run_info;

/* Starts a suite: the runs one command makes (`hnsim run` over several
 * files and profiles), so that readers can take them together
 * (rpt_suite_last). Records it with the wall-clock start and `command`
 * (not empty; e.g. the command line) and commits; every run begun on this
 * handle from now on belongs to it. *out_suite is its id. */
int rpt_suite_begin(rpt_db *db, const char *command, int64_t *out_suite);

/* Records a new run as running, with the wall-clock start time (ISO-8601 UTC,
 * millisecond precision), and commits. *out_run_id is its id. */
int rpt_run_begin(rpt_db *db, const rpt_run_info *info, int64_t *out_run_id);

/* One log line. sim_time_ns >= 0; level an rpt_log_level; source and message
 * not NULL (may be empty). */
int rpt_log(rpt_db *db, int64_t run_id, int64_t sim_time_ns, int level, const char *source,
            const char *message);

/* One expectation's outcome. name not empty; passed 0 or 1; detail may be
 * NULL (stored as ""). */
int rpt_expectation(rpt_db *db, int64_t run_id, int64_t sim_time_ns, const char *name, int passed,
                    const char *detail);

/* One metric sample. name not empty; value not NaN (SQLite cannot store it).
 * Infinities are kept; -0.0 reads back as 0.0. */
int rpt_metric(rpt_db *db, int64_t run_id, int64_t sim_time_ns, const char *name, double value);

/* Ends the run: stores sim_end_ns (>= 0), its state (RPT_RUN_PASSED, _FAILED
 * or _ERROR), the wall-clock end time and its digest, and commits them with
 * every row still pending, all in one transaction. The run can take no more
 * rows. */
int rpt_run_finish(rpt_db *db, int64_t run_id, int64_t sim_end_ns, int state);

#endif
