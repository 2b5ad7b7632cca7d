/* rpt_read.c: the read API: one run's summary (through the run_summary view,
 * so 'running' arrives as incomplete), the last run, and walks over a run's
 * log, expectation and metric rows. */
#include "rpt_read.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_db_int.h"
#include "rpt_strings.h"

/* A copy of a text column, or NULL for SQL NULL; *status set to RPT_E_NOMEM
 * if the copy fails. */
static char *dup_column(sqlite3_stmt *st, int col, int *status) {
  const unsigned char *s = sqlite3_column_text(st, col);
  if (!s) return NULL;
  size_t n = (size_t)sqlite3_column_bytes(st, col);
  char *copy = malloc(n + 1);
  if (!copy) {
    *status = RPT_E_NOMEM;
    return NULL;
  }
  memcpy(copy, s, n);
  copy[n] = '\0';
  return copy;
}

int rpt_run_summary_clear(rpt_run_summary *s) {
  if (!s) return RPT_E_INVAL;
  free(s->scenario);
  free(s->profile);
  free(s->backend);
  free(s->hnsim_version);
  free(s->wall_start);
  free(s->wall_end);
  memset(s, 0, sizeof *s);
  return RPT_OK;
}

int rpt_run_get(rpt_db *db, int64_t run_id, rpt_run_summary *out) {
  sqlite3_stmt *st;
  int status = rpt__enter(db);
  if (status == RPT_OK) status = rpt__queue_flush(db); /* the counts include queued rows */
  if (status != RPT_OK) return status;
  if (!out) return rpt__err(db, RPT_E_INVAL, "rpt_run_get: out is NULL");
  memset(out, 0, sizeof *out);
  status = rpt__stmt(db, RPT__ST_SUMMARY,
                     "SELECT id, scenario, seed, profile, backend, hnsim_version, wall_start,"
                     " wall_end, sim_end_ns, state, digest, log_rows, expectations,"
                     " expectations_failed, metric_rows, hcn_calls, probes, probes_failed,"
                     " faults, snapshots FROM run_summary WHERE id = ?1",
                     &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_int64(st, 1, run_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    out->scenario = dup_column(st, 1, &status);
    out->seed = (uint64_t)sqlite3_column_int64(st, 2);
    out->profile = dup_column(st, 3, &status);
    out->backend = dup_column(st, 4, &status);
    out->hnsim_version = dup_column(st, 5, &status);
    out->wall_start = dup_column(st, 6, &status);
    out->wall_end = dup_column(st, 7, &status);
    out->has_sim_end = sqlite3_column_type(st, 8) != SQLITE_NULL;
    out->sim_end_ns = out->has_sim_end ? sqlite3_column_int64(st, 8) : 0;
    const unsigned char *state = sqlite3_column_text(st, 9);
    if (rpt_run_state_parse((const char *)state, &out->state) != RPT_OK && status == RPT_OK)
      status = rpt__err(db, RPT_E_SCHEMA, "run %" PRId64 " has an unknown state '%s'", run_id,
                        state ? (const char *)state : "(null)");
    const unsigned char *digest = sqlite3_column_text(st, 10);
    if (digest && sqlite3_column_bytes(st, 10) == RPT_SHA256_HEX_SIZE - 1)
      memcpy(out->digest, digest, RPT_SHA256_HEX_SIZE);
    out->log_rows = sqlite3_column_int64(st, 11);
    out->expectations = sqlite3_column_int64(st, 12);
    out->expectations_failed = sqlite3_column_int64(st, 13);
    out->metric_rows = sqlite3_column_int64(st, 14);
    out->hcn_calls = sqlite3_column_int64(st, 15);
    out->probes = sqlite3_column_int64(st, 16);
    out->probes_failed = sqlite3_column_int64(st, 17);
    out->faults = sqlite3_column_int64(st, 18);
    out->snapshots = sqlite3_column_int64(st, 19);
  } else if (rc == SQLITE_DONE) {
    status = rpt__err(db, RPT_E_NOTFOUND, "no run with id %" PRId64, run_id);
  } else {
    status = rpt__sqlerr(db, rc, "reading the run");
  }
  rpt__stmt_done(st);
  if (status == RPT_E_NOMEM) rpt__err(db, status, "rpt_run_get: out of memory");
  if (status != RPT_OK) rpt_run_summary_clear(out);
  return status;
}

int rpt_run_last(rpt_db *db, int64_t *out_run_id) {
  sqlite3_stmt *st;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!out_run_id) return rpt__err(db, RPT_E_INVAL, "rpt_run_last: out_run_id is NULL");
  status = rpt__stmt(db, RPT__ST_LAST_RUN, "SELECT max(id) FROM runs", &st);
  if (status != RPT_OK) return status;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
    *out_run_id = sqlite3_column_int64(st, 0);
  else if (rc == SQLITE_ROW)
    status = rpt__err(db, RPT_E_NOTFOUND, "the database has no runs");
  else
    status = rpt__sqlerr(db, rc, "finding the last run");
  rpt__stmt_done(st);
  return status;
}

int rpt_suite_last(rpt_db *db, int64_t *out_run_id, int64_t *out_suite) {
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!out_run_id || !out_suite) return rpt__err(db, RPT_E_INVAL, "rpt_suite_last: an out argument is NULL");
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, "SELECT id, suite FROM runs ORDER BY id DESC LIMIT 1", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *out_run_id = sqlite3_column_int64(st, 0);
    *out_suite = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 1);
  } else if (rc == SQLITE_DONE) {
    status = rpt__err(db, RPT_E_NOTFOUND, "the database has no runs");
  } else {
    status = rpt__sqlerr(db, rc, "finding the last run's suite");
  }
  sqlite3_finalize(st);
  return status;
}

int rpt_suite_runs(rpt_db *db, int64_t suite, int64_t *ids, size_t cap, size_t *count) {
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!count || (cap && !ids)) return rpt__err(db, RPT_E_INVAL, "rpt_suite_runs: ids or count is NULL");
  sqlite3_stmt *st = NULL;
  int started = 0;
  if ((status = rpt__read_begin(db, &started)) != RPT_OK) return status;
  int rc = sqlite3_prepare_v2(db->sql, "SELECT 1 FROM suites WHERE id = ?1", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, suite);
    rc = sqlite3_step(st);
  }
  sqlite3_finalize(st);
  st = NULL;
  if (rc == SQLITE_DONE) status = rpt__err(db, RPT_E_NOTFOUND, "no suite %" PRId64, suite);
  else if (rc != SQLITE_ROW) status = rpt__sqlerr(db, rc, "finding the suite");
  size_t n = 0;
  if (status == RPT_OK) {
    rc = sqlite3_prepare_v2(db->sql, "SELECT id FROM runs WHERE suite = ?1 ORDER BY id", -1, &st, NULL);
    if (rc == SQLITE_OK) sqlite3_bind_int64(st, 1, suite);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
      if (n < cap) ids[n] = sqlite3_column_int64(st, 0);
      n++;
      rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) status = rpt__sqlerr(db, rc, "listing the suite's runs");
    sqlite3_finalize(st);
  }
  rpt__read_end(db, started);
  *count = n;
  return status;
}

int rpt__run_exists(rpt_db *db, int64_t run_id) {
  sqlite3_stmt *st;
  int status = rpt__stmt(db, RPT__ST_RUN_EXISTS, "SELECT 1 FROM runs WHERE id = ?1", &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_int64(st, 1, run_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) status = rpt__err(db, RPT_E_NOTFOUND, "no run with id %" PRId64, run_id);
  else if (rc != SQLITE_ROW) status = rpt__sqlerr(db, rc, "looking the run up");
  rpt__stmt_done(st);
  return status;
}

/* Steps `st` and decodes its rows, looking their texts up first when
 * `strings` is given (`ids` then says which columns are string ids). */
static int walk_rows(rpt_db *db, const char *name, sqlite3_stmt *st, const char *ids, struct rpt__strings *strings,
                     rpt__decode_fn decode, rpt__any_fn fn, void *arg) {
  struct rpt__row_texts texts = {0};
  int rc, status = RPT_OK;
  db->walking++;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (strings && !rpt__strings_row(strings, st, ids, &texts, &status)) {
      if (status != RPT_OK) break;
      continue; /* a string of the row is missing: the view has no such row */
    }
    if ((status = decode(db, st, strings ? &texts : NULL, fn, arg)) != RPT_OK) break;
  }
  db->walking--;
  if (status == RPT_OK && rc != SQLITE_DONE) status = rpt__sqlerr(db, rc, name);
  rpt__row_texts_free(&texts);
  return status;
}

int rpt__walk(rpt_db *db, const char *name, int64_t run_id, struct rpt__bind extra, enum rpt__stmt_id id,
              const char *sql, const char *ids, rpt__decode_fn decode, rpt__any_fn fn, void *arg) {
  sqlite3_stmt *st;
  struct rpt__strings strings = {0};
  int started;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!fn) return rpt__err(db, RPT_E_INVAL, "%s: fn is NULL", name);
  if ((status = rpt__read_begin(db, &started)) != RPT_OK) return status;
  status = rpt__run_exists(db, run_id);
  if (status == RPT_OK && ids) status = rpt__strings_open(db, run_id, &strings);
  if (status == RPT_OK) status = rpt__stmt(db, id, sql, &st);
  if (status == RPT_OK) {
    sqlite3_bind_int64(st, 1, run_id);
    if (extra.kind == 'I') sqlite3_bind_int64(st, 2, extra.i);
    else if (extra.kind == 'T') sqlite3_bind_text(st, 2, extra.t, -1, SQLITE_STATIC);
    status = walk_rows(db, name, st, ids, ids ? &strings : NULL, decode, fn, arg);
    rpt__stmt_done(st);
  }
  rpt__strings_close(&strings);
  rpt__read_end(db, started);
  return status;
}

static const char *col_text(sqlite3_stmt *st, int col) {
  const unsigned char *s = sqlite3_column_text(st, col);
  return s ? (const char *)s : "";
}

static int decode_log(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                      void *arg) {
  (void)texts;
  rpt_log_row row;
  row.seq = sqlite3_column_int64(st, 0);
  row.sim_time_ns = sqlite3_column_int64(st, 1);
  if (rpt_log_level_parse(col_text(st, 2), &row.level) != RPT_OK)
    return rpt__err(db, RPT_E_SCHEMA, "log row %" PRId64 " has an unknown level '%s'", row.seq,
                    col_text(st, 2));
  row.source = col_text(st, 3);
  row.message = col_text(st, 4);
  return ((rpt_log_fn)fn)(arg, &row);
}

static int decode_expectation(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                              void *arg) {
  (void)texts;
  (void)db;
  rpt_expectation_row row;
  row.seq = sqlite3_column_int64(st, 0);
  row.sim_time_ns = sqlite3_column_int64(st, 1);
  row.name = col_text(st, 2);
  row.passed = sqlite3_column_int(st, 3) != 0;
  row.detail = col_text(st, 4);
  return ((rpt_expectation_fn)fn)(arg, &row);
}

static int decode_metric(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                         void *arg) {
  (void)texts;
  (void)db;
  rpt_metric_row row;
  row.seq = sqlite3_column_int64(st, 0);
  row.sim_time_ns = sqlite3_column_int64(st, 1);
  row.name = col_text(st, 2);
  row.value = sqlite3_column_double(st, 3);
  return ((rpt_metric_fn)fn)(arg, &row);
}

int rpt_log_foreach(rpt_db *db, int64_t run_id, rpt_log_fn fn, void *arg) {
  return rpt__walk(db, "rpt_log_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_LOG,
              "SELECT seq, sim_time_ns, level, source, message FROM log"
              " WHERE run_id = ?1 ORDER BY seq",
              NULL, decode_log, (rpt__any_fn)fn, arg);
}

int rpt_expectation_foreach(rpt_db *db, int64_t run_id, int order, rpt_expectation_fn fn,
                            void *arg) {
  if (order == RPT_ORDER_SEQ)
    return rpt__walk(db, "rpt_expectation_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_EXPECTATIONS,
                "SELECT seq, sim_time_ns, name, passed, detail FROM expectations"
                " WHERE run_id = ?1 ORDER BY seq",
                NULL, decode_expectation, (rpt__any_fn)fn, arg);
  if (order == RPT_ORDER_FAILED_FIRST)
    return rpt__walk(db, "rpt_expectation_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_EXPECTATIONS_FAILED_FIRST,
                "SELECT seq, sim_time_ns, name, passed, detail FROM expectations"
                " WHERE run_id = ?1 ORDER BY passed, seq",
                NULL, decode_expectation, (rpt__any_fn)fn, arg);
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  return rpt__err(db, RPT_E_INVAL, "rpt_expectation_foreach: order %d is not an expectation order",
                  order);
}

int rpt_metric_foreach(rpt_db *db, int64_t run_id, rpt_metric_fn fn, void *arg) {
  return rpt__walk(db, "rpt_metric_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_METRICS,
              "SELECT seq, sim_time_ns, name, value FROM metrics WHERE run_id = ?1 ORDER BY seq",
              NULL, decode_metric, (rpt__any_fn)fn, arg);
}
