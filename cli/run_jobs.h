/* run_jobs.h: what `hnsim run` carries out: a list of jobs, each one run
 * recorded in the results database — a built-in scenario, or a Lua
 * scenario file on one profile with one seed (a file becomes one job per
 * profile it runs across: its scenario{profiles=}, or --profile) — and the
 * host states a recorded run's snapshots give its Lua scenarios to start
 * from (--from-run). */
#ifndef RUN_JOBS_H
#define RUN_JOBS_H
#include <stddef.h>
#include <stdint.h>
#include "cli_options.h"
#include "hl_scenario.h"
#include "rpt_db.h"

#define BUILTIN_PREFIX "builtin:"

typedef struct run_job {
  const char *target;              /* "builtin:NAME" or the file's path (owned by the caller) */
  char name[HL_SCENARIO_NAME_MAX]; /* the run's scenario name */
  const char *profile;             /* a static profile name */
  uint64_t seed;
} run_job;

typedef struct run_jobs {
  run_job *v;
  size_t n, cap;
} run_jobs;

/* How the command was asked to run. */
typedef struct run_settings {
  const cli_common *common; /* common->profile NULL: each scenario's own, else the default */
  hl_limits limits;
  const char *module_dir;
  int echo;                           /* print() lines of the scenarios also go to stdout */
  const hl_scenario_preload *preload; /* host states every Lua scenario starts from, or NULL */
} run_settings;

/* The host states of a recorded run (its snapshots with one label), as
 * preloads for the runs of `hnsim run --from-run`. */
typedef struct run_preload {
  hl_scenario_preload preload; /* points into hosts and origin */
  hl_host_state *hosts;        /* owned strings */
  size_t cap;
  char origin[256]; /* "--from-run 12: scenario service-lb on ws2019, backend sim, snapshot 'end'" */
  char profile[64]; /* the recorded run's profile, as its row names it */
} run_preload;

/* Reads run `run_id`'s snapshots labelled `label` from the database at
 * `db_path` (which must exist: it is not created), one state per host (a
 * host's last snapshot with that label). CLI_EXIT_OK; CLI_EXIT_USAGE when
 * there is no such database, run or snapshot; CLI_EXIT_INTERNAL when the
 * database or memory failed. A message is printed for each failure. Free
 * with run_preload_free, also after a failure. */
int run_preload_read(const char *db_path, int64_t run_id, const char *label, run_preload *out);
void run_preload_free(run_preload *p);

/* Adds the jobs of one target (a built-in name or a *.lua path): a file's
 * metadata is read first (hl_scenario_inspect); a file that cannot be read
 * that far still gets one job, whose run records the error. -1 when memory
 * runs out. */
int run_jobs_add(run_jobs *jobs, const run_settings *s, const char *target);
void run_jobs_free(run_jobs *jobs);

/* The outcome of one job. */
typedef struct job_result {
  int64_t run_id;     /* 0 when no run was recorded */
  int state;          /* RPT_RUN_* */
  int scenario_error; /* a Lua scenario's error (syntax, runtime, budget): exit 2 */
} job_result;

/* Runs one job into `db` and prints its line (and, when it did not pass,
 * its failed expectations with their details, or its error on stderr).
 * 0, or -1 when the database or memory failed (message printed). */
int run_job_execute(rpt_db *db, const run_settings *s, const run_job *job, job_result *out);

#endif
