/* run_recorder.c: writes one run's results as the scenario produces them. */
#include "run_recorder.h"
#include <stdarg.h>
#include <stdio.h>
#include "hnsim_version.h"

int run_recorder_begin(run_recorder *rec, rpt_db *db, const rpt_run_info *info) {
  *rec = (run_recorder){.db = db};
  int rc = sim_world_create(info->seed, &rec->world);
  if (rc) return rc;
  rc = rpt_run_begin(db, info, &rec->run_id);
  if (rc) {
    sim_world_destroy(rec->world);
    rec->world = NULL;
  }
  return rc;
}

static void note_db(run_recorder *rec, int rc) {
  if (rc && !rec->db_status) rec->db_status = rc;
}

void rec_log(run_recorder *rec, int level, const char *source, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  note_db(rec, rpt_log(rec->db, rec->run_id, sim_now(rec->world), level, source, msg));
}

void rec_expect(run_recorder *rec, const char *name, int passed, const char *fmt, ...) {
  char detail[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  rec->expectations++;
  if (!passed) rec->failures++;
  note_db(rec, rpt_expectation(rec->db, rec->run_id, sim_now(rec->world), name, passed ? 1 : 0, detail));
}

void rec_metric(run_recorder *rec, const char *name, double value) {
  note_db(rec, rpt_metric(rec->db, rec->run_id, sim_now(rec->world), name, value));
}

int run_recorder_finish(run_recorder *rec, int error) {
  int state = error ? RPT_RUN_ERROR : rec->failures ? RPT_RUN_FAILED : RPT_RUN_PASSED;
  note_db(rec, rpt_run_finish(rec->db, rec->run_id, sim_now(rec->world), state));
  sim_world_destroy(rec->world);
  rec->world = NULL;
  return rec->db_status ? rec->db_status : state;
}
