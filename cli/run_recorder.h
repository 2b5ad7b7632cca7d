/* run_recorder.h: one run in progress, tied to its row in the results
 * database: log lines, expectation outcomes and metrics stamped with the
 * world's simulated time, and the tally that decides passed or failed. */
#ifndef RUN_RECORDER_H
#define RUN_RECORDER_H
#include <stdint.h>
#include "rpt_write.h"
#include "sim_world.h"

typedef struct run_recorder {
  rpt_db *db;
  int64_t run_id;
  sim_world *world;
  int expectations, failures;
  int db_status; /* first database failure, 0 if none */
} run_recorder;

/* Creates the world from info->seed and records the run as begun. On failure
 * returns an rpt_ or sim_ status and leaves nothing to finish. */
int run_recorder_begin(run_recorder *rec, rpt_db *db, const rpt_run_info *info);

void rec_log(run_recorder *rec, int level, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rec_expect(run_recorder *rec, const char *name, int passed, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rec_metric(run_recorder *rec, const char *name, double value);

/* Ends the run: `error` set means it could not be carried out. Stores the
 * final state and digest, frees the world, and returns the state
 * (RPT_RUN_PASSED / _FAILED / _ERROR) or a negative status if the database
 * failed at any point. */
int run_recorder_finish(run_recorder *rec, int error);

#endif
