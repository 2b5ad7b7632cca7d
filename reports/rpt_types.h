/* rpt_types.h: the small value types that the writer and the readers share:
 * a run's state and a log line's level, with their names as stored. */
#ifndef RPT_TYPES_H
#define RPT_TYPES_H

/* A run's state as readers see it. The database column `runs.status` holds
 * 'running' while a writer has the run open; a reader cannot tell a writer
 * that is still going from one that died, so it always sees such a run as
 * RPT_RUN_INCOMPLETE ("incomplete"). A writer finishes a run with one of the
 * other three. */
enum rpt_run_state {
  RPT_RUN_INCOMPLETE = 0,
  RPT_RUN_PASSED = 1,
  RPT_RUN_FAILED = 2,
  RPT_RUN_ERROR = 3 /* the run could not be carried out (bad scenario, backend failure) */
};

enum rpt_log_level { RPT_LOG_DEBUG = 0, RPT_LOG_INFO = 1, RPT_LOG_WARN = 2, RPT_LOG_ERROR = 3 };

/* "incomplete", "passed", "failed", "error"; NULL for a value out of range. */
const char *rpt_run_state_name(int state);
/* "debug", "info", "warn", "error"; NULL for a value out of range. */
const char *rpt_log_level_name(int level);

/* Parses a name as above into *out; RPT_E_INVAL (and *out untouched) if unknown. */
int rpt_run_state_parse(const char *name, int *out);
int rpt_log_level_parse(const char *name, int *out);

#endif
