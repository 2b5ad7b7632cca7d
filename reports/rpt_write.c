/* rpt_write.c: the writer: beginning a run, its rows, finishing it. Owns the
 * handle's list of open runs and their next sequence numbers, and the only
 * read of the wall clock in hnsim's results (wall_start, wall_end; both are
 * left out of the digest). */
#include "rpt_write.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rpt_db_int.h"

#define WALL_SIZE 40

/* The current UTC time as ISO-8601 with milliseconds: 2025-01-31T12:34:56.789Z */
static void wall_now(char out[WALL_SIZE]) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(out, WALL_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, WALL_SIZE - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

static struct rpt__open_run *find_run(rpt_db *db, int64_t run_id) {
  for (size_t i = 0; i < db->n_runs; i++)
    if (db->runs[i].id == run_id) return &db->runs[i];
  return NULL;
}

static int open_run(rpt_db *db, const char *fn, int64_t run_id, struct rpt__open_run **out) {
  *out = find_run(db, run_id);
  if (!*out)
    return rpt__err(db, RPT_E_STATE,
                    "%s: run %" PRId64 " is not open for writing on this handle "
                    "(not begun here, or already finished)",
                    fn, run_id);
  return RPT_OK;
}

static int check_text(rpt_db *db, const char *fn, const char *field, const char *value,
                      int may_be_empty) {
  if (!value) return rpt__err(db, RPT_E_INVAL, "%s: %s is NULL", fn, field);
  if (!may_be_empty && !*value) return rpt__err(db, RPT_E_INVAL, "%s: %s is empty", fn, field);
  return RPT_OK;
}

static int check_time(rpt_db *db, const char *fn, const char *field, int64_t t) {
  if (t < 0) return rpt__err(db, RPT_E_INVAL, "%s: %s %" PRId64 " is negative", fn, field, t);
  return RPT_OK;
}

/* The checks a named row (expectation, metric) starts with. */
static int check_named_row(rpt_db *db, const char *fn, int64_t sim_time_ns, const char *name) {
  int status = rpt__enter(db);
  if (status == RPT_OK) status = check_time(db, fn, "sim_time_ns", sim_time_ns);
  if (status == RPT_OK) status = check_text(db, fn, "name", name, 0);
  return status;
}

/* Queues a row of table `t`: opens the run, starts the transaction, puts
 * the run and the table's next seq in values 0 and 1 (the caller has filled
 * in the rest) and moves the seq on once the row is queued. */
static int queue_row(rpt_db *db, const char *fn, int64_t run_id, enum rpt__table t, enum rpt__qtable q,
                     struct rpt__qin *values) {
  struct rpt__open_run *run;
  int status;
  if ((status = open_run(db, fn, run_id, &run)) != RPT_OK || (status = rpt__batch_begin(db)) != RPT_OK)
    return status;
  values[0] = RPT__QI(run_id);
  values[1] = RPT__QI(run->next_seq[t]);
  if ((status = rpt__queue_add(db, q, values)) == RPT_OK) run->next_seq[t]++;
  return status;
}

int rpt_suite_begin(rpt_db *db, const char *command, int64_t *out_suite) {
  static const char fn[] = "rpt_suite_begin";
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!out_suite) return rpt__err(db, RPT_E_INVAL, "%s: out_suite is NULL", fn);
  if ((status = check_text(db, fn, "command", command, 0)) != RPT_OK) return status;
  char wall[WALL_SIZE];
  wall_now(wall);
  sqlite3_stmt *st = NULL;
  if ((status = rpt__batch_begin(db)) != RPT_OK) return status;
  int rc = sqlite3_prepare_v2(db->sql, "INSERT INTO suites (wall_start, command) VALUES (?1, ?2)", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, wall, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, command, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return rpt__sqlerr(db, rc, "rpt_suite_begin: inserting the suite");
  int64_t id = sqlite3_last_insert_rowid(db->sql);
  if ((status = rpt__batch_commit(db)) != RPT_OK) return status;
  db->suite = id;
  *out_suite = id;
  return RPT_OK;
}

int rpt_run_begin(rpt_db *db, const rpt_run_info *info, int64_t *out_run_id) {
  static const char fn[] = "rpt_run_begin";
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!info) return rpt__err(db, RPT_E_INVAL, "%s: info is NULL", fn);
  if (!out_run_id) return rpt__err(db, RPT_E_INVAL, "%s: out_run_id is NULL", fn);
  if ((status = check_text(db, fn, "info.scenario", info->scenario, 0)) != RPT_OK ||
      (status = check_text(db, fn, "info.profile", info->profile, 0)) != RPT_OK ||
      (status = check_text(db, fn, "info.backend", info->backend, 0)) != RPT_OK ||
      (status = check_text(db, fn, "info.hnsim_version", info->hnsim_version, 0)) != RPT_OK)
    return status;
  if (info->seed > (uint64_t)INT64_MAX)
    return rpt__err(db, RPT_E_INVAL, "%s: info.seed %" PRIu64 " is larger than INT64_MAX (%" PRId64 ")",
                    fn, info->seed, INT64_MAX);

  if (db->n_runs == db->cap_runs) {
    size_t cap = db->cap_runs ? 2 * db->cap_runs : 4;
    struct rpt__open_run *runs = realloc(db->runs, cap * sizeof *runs);
    if (!runs) return rpt__err(db, RPT_E_NOMEM, "%s: out of memory", fn);
    db->runs = runs;
    db->cap_runs = cap;
  }

  char wall[WALL_SIZE];
  wall_now(wall);
  sqlite3_stmt *st;
  if ((status = rpt__batch_begin(db)) != RPT_OK) return status;
  status = rpt__stmt(db, RPT__ST_RUN_INSERT,
                     "INSERT INTO runs (scenario, seed, profile, backend, wall_start, hnsim_version, suite)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                     &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_text(st, 1, info->scenario, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, (int64_t)info->seed);
  sqlite3_bind_text(st, 3, info->profile, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, info->backend, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, wall, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, info->hnsim_version, -1, SQLITE_STATIC);
  if (db->suite) sqlite3_bind_int64(st, 7, db->suite);
  else sqlite3_bind_null(st, 7);
  int rc = sqlite3_step(st);
  status = rc == SQLITE_DONE ? RPT_OK : rpt__sqlerr(db, rc, "rpt_run_begin: inserting the run");
  rpt__stmt_done(st);
  if (status != RPT_OK) return status;
  int64_t id = sqlite3_last_insert_rowid(db->sql);
  /* Commit now, so that a run whose writer dies is still there to read as
   * incomplete. */
  if ((status = rpt__batch_commit(db)) != RPT_OK) return status;

  struct rpt__open_run *run = &db->runs[db->n_runs++];
  memset(run, 0, sizeof *run);
  run->id = id;
  for (int t = 0; t < RPT__TABLE_COUNT; t++) run->next_seq[t] = 1;
  *out_run_id = id;
  return RPT_OK;
}

int rpt_log(rpt_db *db, int64_t run_id, int64_t sim_time_ns, int level, const char *source,
            const char *message) {
  static const char fn[] = "rpt_log";
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  const char *level_name = rpt_log_level_name(level);
  if ((status = check_time(db, fn, "sim_time_ns", sim_time_ns)) != RPT_OK) return status;
  if (!level_name)
    return rpt__err(db, RPT_E_INVAL, "%s: level %d is not a log level (%d debug .. %d error)", fn,
                    level, RPT_LOG_DEBUG, RPT_LOG_ERROR);
  if ((status = check_text(db, fn, "source", source, 1)) != RPT_OK ||
      (status = check_text(db, fn, "message", message, 1)) != RPT_OK)
    return status;
  struct rpt__qin v[] = {{0}, {0}, RPT__QI(sim_time_ns), RPT__QT(level_name), RPT__QT(source), RPT__QT(message)};
  return queue_row(db, fn, run_id, RPT__T_LOG, RPT__Q_LOG, v);
}

int rpt_expectation(rpt_db *db, int64_t run_id, int64_t sim_time_ns, const char *name, int passed,
                    const char *detail) {
  static const char fn[] = "rpt_expectation";
  int status = check_named_row(db, fn, sim_time_ns, name);
  if (status != RPT_OK) return status;
  if (passed != 0 && passed != 1)
    return rpt__err(db, RPT_E_INVAL, "%s: passed is %d, not 0 or 1", fn, passed);
  struct rpt__qin v[] = {{0}, {0}, RPT__QI(sim_time_ns), RPT__QT(name), RPT__QI(passed), RPT__QT(detail ? detail : "")};
  return queue_row(db, fn, run_id, RPT__T_EXPECTATIONS, RPT__Q_EXPECTATIONS, v);
}

int rpt_metric(rpt_db *db, int64_t run_id, int64_t sim_time_ns, const char *name, double value) {
  static const char fn[] = "rpt_metric";
  int status = check_named_row(db, fn, sim_time_ns, name);
  if (status != RPT_OK) return status;
  if (isnan(value)) return rpt__err(db, RPT_E_INVAL, "%s: value of metric '%s' is NaN", fn, name);
  struct rpt__qin v[] = {{0}, {0}, RPT__QI(sim_time_ns), RPT__QT(name), RPT__QD(value)};
  return queue_row(db, fn, run_id, RPT__T_METRICS, RPT__Q_METRICS, v);
}

int rpt_run_finish(rpt_db *db, int64_t run_id, int64_t sim_end_ns, int state) {
  static const char fn[] = "rpt_run_finish";
  struct rpt__open_run *run;
  sqlite3_stmt *st;
  char digest[65], wall[WALL_SIZE];
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if ((status = check_time(db, fn, "sim_end_ns", sim_end_ns)) != RPT_OK) return status;
  if (state != RPT_RUN_PASSED && state != RPT_RUN_FAILED && state != RPT_RUN_ERROR)
    return rpt__err(db, RPT_E_INVAL,
                    "%s: state %d is not one a run finishes in (%d passed, %d failed, %d error)", fn,
                    state, RPT_RUN_PASSED, RPT_RUN_FAILED, RPT_RUN_ERROR);
  if ((status = open_run(db, fn, run_id, &run)) != RPT_OK ||
      (status = rpt__batch_begin(db)) != RPT_OK)
    return status;
  /* The digest is taken inside the transaction (its read flushes the queue),
   * so it covers the rows not yet committed, and is committed together with
   * them and the end fields. */
  const char *state_name = rpt_run_state_name(state);
  if ((status = rpt__digest_compute(db, run_id, sim_end_ns, state_name, digest)) != RPT_OK)
    return status;
  wall_now(wall);
  status = rpt__stmt(db, RPT__ST_RUN_FINISH,
                     "UPDATE runs SET status = ?1, sim_end_ns = ?2, wall_end = ?3, digest = ?4"
                     " WHERE id = ?5 AND status = 'running'",
                     &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_text(st, 1, state_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, sim_end_ns);
  sqlite3_bind_text(st, 3, wall, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, digest, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, run_id);
  int rc = sqlite3_step(st);
  status = rc == SQLITE_DONE ? RPT_OK : rpt__sqlerr(db, rc, "rpt_run_finish: updating the run");
  rpt__stmt_done(st);
  if (status != RPT_OK) return status;
  if (sqlite3_changes(db->sql) != 1)
    return rpt__err(db, RPT_E_STATE, "%s: run %" PRId64 " is no longer running in the database", fn,
                    run_id);
  if ((status = rpt__batch_commit(db)) != RPT_OK) return status;
  rpt__intern_free(&run->strings);
  *run = db->runs[--db->n_runs];
  return RPT_OK;
}
