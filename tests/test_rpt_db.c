/* test_rpt_db.c: the results database: the schema (STRICT tables, WAL,
 * user_version), forward migrations from every earlier version, refusal of a
 * newer or foreign file without touching it, a crashed run reading as
 * incomplete, the batched writer (100 000 rows, commits at the documented
 * batch size), argument errors naming the field, the read API and the
 * Markdown report. Every file lives under a mkdtemp directory removed at the
 * end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "rpt.h"
#include "rpt_db_int.h"

#define TEST_TMPDIR_TAG "rpt-db"
#include "test_tmpdir.h"
#include "rpt_test_db.h"

static const rpt_run_info k_info = {"scenarios/two_pods.lua", 42, "ws2022", "sim", "0.1.0"};

static void schema_is_strict_wal_latest(void **state) {
  (void)state;
  rpt_db *db;
  assert_int_equal(rpt_db_open(db_path("schema.db"), &db), RPT_OK);
  sqlite3 *sql = db->sql;
  const char *tables[] = {"runs", "log", "expectations", "metrics"};
  for (int i = 0; i < 4; i++) {
    char q[128];
    snprintf(q, sizeof q, "SELECT strict FROM pragma_table_list WHERE name = '%s'", tables[i]);
    assert_int_equal(query_int(sql, q), 1);
  }
  assert_int_equal(query_int(sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'view' AND name = 'run_summary'"), 1);
  int latest;
  assert_int_equal(rpt_db_schema_latest(&latest), RPT_OK);
  assert_int_equal(latest, RPT__SCHEMA_LATEST);
  assert_int_equal(query_int(sql, "PRAGMA user_version"), latest);
  assert_int_equal(query_int(sql, "PRAGMA application_id"), RPT__APPLICATION_ID);
  assert_int_equal(query_int(sql, "PRAGMA foreign_keys"), 1);

  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(sql, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
  sqlite3_finalize(st);

  /* STRICT: a TEXT value in an INTEGER column is refused, not coerced. */
  int64_t run;
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(rpt_db_flush(db), RPT_OK);
  int rc = sqlite3_exec(sql, "INSERT INTO metrics VALUES (1, 'abc', 0, 'm', 1.0)", NULL, NULL, NULL);
  assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
  assert_int_equal(sqlite3_extended_errcode(sql), SQLITE_CONSTRAINT_DATATYPE);
  /* Foreign keys: a row for a run that does not exist is refused. */
  rc = sqlite3_exec(sql, "INSERT INTO log VALUES (999, 1, 0, 'info', 's', 'm')", NULL, NULL, NULL);
  assert_int_equal(sqlite3_extended_errcode(sql), SQLITE_CONSTRAINT_FOREIGNKEY);
  (void)rc;
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* Rows as an hnsim of schema `version` would have written them. */
static void fixture_rows(sqlite3 *sql, int version) {
  if (version < 1) return;
  const char *rows =
      "INSERT INTO runs (id, scenario, seed, profile, backend, wall_start, hnsim_version)"
      " VALUES (1, 'old_running', 7, 'ws2019', 'sim', '2024-01-01T00:00:00.000Z', '0.0.1');"
      "INSERT INTO runs (id, scenario, seed, profile, backend, wall_start, wall_end, sim_end_ns, status,"
      " hnsim_version, digest) VALUES (2, 'old_done', 8, 'ws2022', 'hcn', '2024-01-01T00:00:00.000Z',"
      " '2024-01-01T00:00:01.000Z', 1500, 'failed', '0.0.1',"
      " '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');"
      "INSERT INTO log VALUES (1, 1, 10, 'info', 'scenario', 'hello'), (1, 2, 20, 'warn', 'hns', 'w');"
      "INSERT INTO expectations VALUES (2, 1, 30, 'ping', 0, 'timed out');"
      "INSERT INTO metrics VALUES (2, 1, 40, 'rtt_ms', 0.25);";
  assert_int_equal(sqlite3_exec(sql, rows, NULL, NULL, NULL), SQLITE_OK);
}

static int count_log(void *arg, const rpt_log_row *row) {
  (void)row;
  ++*(int *)arg;
  return 0;
}

static void migrates_from_every_version(void **state) {
  (void)state;
  for (int v = 0; v < RPT__SCHEMA_LATEST; v++) {
    char name[32];
    snprintf(name, sizeof name, "migrate-%d.db", v);
    const char *path = db_path(name);
    sqlite3 *sql;
    assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
    assert_int_equal(rpt__db_migrate_to(sql, v), RPT_OK);
    assert_int_equal(query_int(sql, "PRAGMA user_version"), v);
    fixture_rows(sql, v);
    sqlite3_close(sql);

    rpt_db *db;
    assert_int_equal(rpt_db_open(path, &db), RPT_OK);
    assert_int_equal(query_int(db->sql, "PRAGMA user_version"), RPT__SCHEMA_LATEST);
    int64_t last;
    if (v == 0) {
      assert_int_equal(rpt_run_last(db, &last), RPT_E_NOTFOUND);
      assert_int_equal(rpt_db_close(db), RPT_OK);
      continue;
    }
    assert_int_equal(rpt_run_last(db, &last), RPT_OK);
    assert_int_equal(last, 2);
    rpt_run_summary s;
    assert_int_equal(rpt_run_get(db, 1, &s), RPT_OK);
    assert_string_equal(s.scenario, "old_running");
    assert_int_equal(s.state, RPT_RUN_INCOMPLETE);
    assert_int_equal(s.log_rows, 2);
    assert_null(s.wall_end);
    rpt_run_summary_clear(&s);
    assert_int_equal(rpt_run_get(db, 2, &s), RPT_OK);
    assert_int_equal(s.state, RPT_RUN_FAILED);
    assert_int_equal(s.seed, 8);
    assert_string_equal(s.backend, "hcn");
    assert_int_equal(s.sim_end_ns, 1500);
    assert_int_equal(s.expectations, 1);
    assert_int_equal(s.expectations_failed, 1);
    assert_int_equal(s.metric_rows, 1);
    assert_string_equal(s.digest, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    rpt_run_summary_clear(&s);
    int n = 0;
    assert_int_equal(rpt_log_foreach(db, 1, count_log, &n), RPT_OK);
    assert_int_equal(n, 2);
    int64_t last_run, suite;
    assert_int_equal(rpt_suite_last(db, &last_run, &suite), RPT_OK);
    assert_int_equal(suite, 0); /* runs made before suites belong to none */
    /* The migrated file takes new runs next to the old ones. */
    int64_t run;
    assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
    assert_int_equal(run, 3);
    assert_int_equal(rpt_run_finish(db, run, 0, RPT_RUN_PASSED), RPT_OK);
    assert_int_equal(rpt_db_close(db), RPT_OK);
  }
}

/* A suite groups the runs one command made; the last suite is the last
 * run's. */
static void suites_group_a_commands_runs(void **state) {
  (void)state;
  rpt_db *db;
  int64_t a, b, c, suite, last, ids[4];
  size_t n;
  assert_int_equal(rpt_db_open(db_path("suites.db"), &db), RPT_OK);
  assert_int_equal(rpt_suite_last(db, &last, &suite), RPT_E_NOTFOUND);
  assert_int_equal(rpt_run_begin(db, &k_info, &a), RPT_OK);
  assert_int_equal(rpt_suite_last(db, &last, &suite), RPT_OK);
  assert_int_equal(last, a);
  assert_int_equal(suite, 0);
  assert_int_equal(rpt_suite_begin(db, "", &suite), RPT_E_INVAL);
  assert_msg(db, "rpt_suite_begin: command is empty");
  assert_int_equal(rpt_suite_begin(db, "hnsim run scenarios/", &suite), RPT_OK);
  assert_int_equal(suite, 1);
  assert_int_equal(rpt_run_begin(db, &k_info, &b), RPT_OK);
  assert_int_equal(rpt_run_begin(db, &k_info, &c), RPT_OK);
  assert_int_equal(rpt_suite_last(db, &last, &suite), RPT_OK);
  assert_int_equal(last, c);
  assert_int_equal(suite, 1);
  assert_int_equal(rpt_suite_runs(db, 1, ids, 4, &n), RPT_OK);
  assert_int_equal(n, 2);
  assert_int_equal(ids[0], b);
  assert_int_equal(ids[1], c);
  assert_int_equal(rpt_suite_runs(db, 1, ids, 1, &n), RPT_OK); /* too little room: the count says so */
  assert_int_equal(n, 2);
  assert_int_equal(rpt_suite_runs(db, 9, ids, 4, &n), RPT_E_NOTFOUND);
  assert_msg(db, "no suite 9");
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

static void no_downgrade(void **state) {
  (void)state;
  sqlite3 *sql;
  assert_int_equal(sqlite3_open(db_path("down.db"), &sql), SQLITE_OK);
  assert_int_equal(rpt__db_migrate_to(sql, RPT__SCHEMA_LATEST), RPT_OK);
  assert_int_equal(rpt__db_migrate_to(sql, 1), RPT_E_SCHEMA);
  assert_int_equal(rpt__db_migrate_to(sql, RPT__SCHEMA_LATEST + 1), RPT_E_INVAL);
  assert_int_equal(query_int(sql, "PRAGMA user_version"), RPT__SCHEMA_LATEST);
  sqlite3_close(sql);
}

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc(*len ? *len : 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, *len, f), *len);
  fclose(f);
  return buf;
}

static void newer_version_refused_untouched(void **state) {
  (void)state;
  const char *path = db_path("newer.db");
  char keep[512];
  snprintf(keep, sizeof keep, "%s", path);
  rpt_db *db;
  int64_t run;
  assert_int_equal(rpt_db_open(keep, &db), RPT_OK);
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(rpt_db_close(db), RPT_OK);
  sqlite3 *sql;
  assert_int_equal(sqlite3_open(keep, &sql), SQLITE_OK);
  assert_int_equal(sqlite3_exec(sql, "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(sql);

  size_t len_before, len_after;
  unsigned char *before = read_file(keep, &len_before);
  assert_int_equal(rpt_db_open(keep, &db), RPT_E_SCHEMA);
  assert_non_null(db);
  assert_msg(db, "database schema version 7 is newer than this hnsim supports (5)");
  assert_msg(db, keep);
  /* A handle whose open failed refuses everything but errmsg and close. */
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_E_STATE);
  assert_msg(db, "newer than this hnsim supports");
  assert_int_equal(rpt_db_close(db), RPT_OK);
  unsigned char *after = read_file(keep, &len_after);
  assert_int_equal(len_before, len_after);
  assert_memory_equal(before, after, len_before);
  free(before);
  free(after);
}

static void foreign_files_refused(void **state) {
  (void)state;
  rpt_db *db;
  char path[512];
  snprintf(path, sizeof path, "%s", db_path("foreign.db"));
  sqlite3 *sql;
  assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
  assert_int_equal(sqlite3_exec(sql, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(sql);
  assert_int_equal(rpt_db_open(path, &db), RPT_E_SCHEMA);
  assert_msg(db, "not an hnsim results database");
  rpt_db_close(db);

  snprintf(path, sizeof path, "%s", db_path("text.db"));
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("this is not a database, it is a text file long enough to have a header............\n", f);
  fclose(f);
  assert_int_equal(rpt_db_open(path, &db), RPT_E_SQLITE);
  assert_msg(db, "not a database");
  rpt_db_close(db);

  /* A directory cannot be opened; the message names the path. */
  assert_true(rpt_db_open(g_dir, &db) < 0);
  assert_msg(db, g_dir);
  rpt_db_close(db);
}

/* The child begins a run, writes more rows than the writer queues at once
 * (so some have gone into the open transaction), then dies without closing
 * or finishing: what a crash leaves. */
static void crashing_writer(const char *path, int rows) {
  rpt_db *db;
  int64_t run;
  if (rpt_db_open(path, &db) != RPT_OK || rpt_run_begin(db, &k_info, &run) != RPT_OK) _exit(2);
  for (int i = 0; i < rows; i++)
    if (rpt_log(db, run, i, RPT_LOG_INFO, "child", "line") != RPT_OK) _exit(3);
  _exit(0);
}

static void crashed_run_reads_incomplete(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s", db_path("crash.db"));
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) crashing_writer(path, 3 * RPT__QUEUE_ROWS + 10);
  int wstatus;
  assert_int_equal(waitpid(pid, &wstatus, 0), pid);
  assert_true(WIFEXITED(wstatus));
  assert_int_equal(WEXITSTATUS(wstatus), 0);

  rpt_db *db;
  int64_t run;
  assert_int_equal(rpt_db_open(path, &db), RPT_OK);
  assert_int_equal(rpt_run_last(db, &run), RPT_OK);
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, run, &s), RPT_OK);
  assert_int_equal(s.state, RPT_RUN_INCOMPLETE);
  assert_string_equal(rpt_run_state_name(s.state), "incomplete");
  assert_int_equal(s.has_sim_end, 0);
  assert_null(s.wall_end);
  assert_string_equal(s.digest, "");
  /* The run itself was committed when it began; its rows were in its one
   * open transaction and died with the writer: none is half there. */
  assert_int_equal(s.log_rows, 0);
  rpt_run_summary_clear(&s);
  /* The view never shows the raw status. */
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM run_summary WHERE state = 'running'"), 0);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM run_summary WHERE state = 'incomplete'"), 1);
  char hex[RPT_SHA256_HEX_SIZE];
  assert_int_equal(rpt_run_digest(db, run, hex), RPT_E_STATE);
  assert_msg(db, "incomplete");
  /* Another writer cannot finish a run it did not begin. */
  assert_int_equal(rpt_run_finish(db, run, 5, RPT_RUN_PASSED), RPT_E_STATE);
  assert_msg(db, "not open for writing");
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* How many rows of the three tables another connection sees. */
static int64_t rows_seen(sqlite3 *peek) {
  return query_int(peek, "SELECT (SELECT count(*) FROM log) + (SELECT count(*) FROM expectations)"
                         " + (SELECT count(*) FROM metrics)");
}

static void run_commits_once(void **state) {
  (void)state;
  int64_t run;
  sqlite3 *peek;
  rpt_db *db = open_db_with_peek("batch.db", &k_info, &run, &peek);
  /* The run is visible at once, as running. */
  assert_int_equal(query_int(peek, "SELECT count(*) FROM run_summary WHERE state = 'incomplete'"), 1);

  const int n = 100000;
  for (int i = 0; i < n; i++) {
    int rc;
    if (i % 100 == 0) rc = rpt_log(db, run, i, RPT_LOG_DEBUG, "test", "tick");
    else if (i % 100 == 1) rc = rpt_expectation(db, run, i, "ok", 1, NULL);
    else rc = rpt_metric(db, run, i, "x", (double)i * 0.5);
    assert_int_equal(rc, RPT_OK);
    /* Another connection sees none of the run's rows while it runs, many
     * flushes of the writer's queue later. */
    if (i + 1 == 5 * RPT__QUEUE_ROWS + 7) assert_int_equal(rows_seen(peek), 0);
  }
  /* This handle reads them all, queued ones included. */
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, run, &s), RPT_OK);
  assert_int_equal(s.log_rows + s.expectations + s.metric_rows, n);
  rpt_run_summary_clear(&s);
  assert_int_equal(rows_seen(peek), 0);
  /* Finishing commits them all at once, with the digest. */
  assert_int_equal(rpt_run_finish(db, run, n, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(rows_seen(peek), n);
  assert_int_equal(query_int(peek, "SELECT count(*) FROM metrics"), n - 2 * (n / 100));
  assert_int_equal(query_int(peek, "SELECT count(*) FROM runs WHERE digest IS NOT NULL"), 1);

  /* rpt_db_flush commits mid-run, for a caller that wants rows seen early. */
  int64_t second;
  assert_int_equal(rpt_run_begin(db, &k_info, &second), RPT_OK);
  assert_int_equal(rpt_log(db, second, 0, RPT_LOG_INFO, "test", "early"), RPT_OK);
  assert_int_equal(rows_seen(peek), n);
  assert_int_equal(rpt_db_flush(db), RPT_OK);
  assert_int_equal(rows_seen(peek), n + 1);
  assert_int_equal(rpt_run_finish(db, second, 1, RPT_RUN_PASSED), RPT_OK);
  sqlite3_close(peek);
  assert_int_equal(rpt_db_close(db), RPT_OK);

  /* Opened again, the file holds what the first handle committed. */
  char path[512];
  snprintf(path, sizeof path, "%s/batch.db", g_dir);
  assert_int_equal(rpt_db_open(path, &db), RPT_OK);
  assert_int_equal(rpt_run_get(db, run, &s), RPT_OK);
  assert_int_equal(s.state, RPT_RUN_PASSED);
  assert_int_equal(s.log_rows + s.expectations + s.metric_rows, n);
  assert_int_equal(s.log_rows, n / 100);
  assert_int_equal(s.sim_end_ns, n);
  rpt_run_summary_clear(&s);
  /* Sequence numbers are 1..count per table, without gaps. */
  assert_int_equal(query_int(db->sql, "SELECT max(seq) FROM metrics"), n - 2 * (n / 100));
  assert_int_equal(query_int(db->sql, "SELECT min(seq) FROM log WHERE run_id = 1"), 1);
  assert_int_equal(query_int(db->sql, "SELECT max(seq) FROM log WHERE run_id = 1"), n / 100);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* A queued row SQLite refuses when the queue is flushed (here: a row put
 * under the writer's feet with the same key) cannot be given back to its
 * caller, whose call returned long ago: the run's transaction is rolled
 * back, the message says so, and the handle writes no more. */
static void refused_flush_abandons_the_transaction(void **state) {
  (void)state;
  rpt_db *db;
  int64_t run;
  assert_int_equal(rpt_db_open(db_path("refused.db"), &db), RPT_OK);
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(rpt_log(db, run, 0, RPT_LOG_INFO, "test", "first"), RPT_OK);
  assert_int_equal(sqlite3_exec(db->sql, "INSERT INTO log VALUES (1, 2, 0, 'info', 'intruder', 'x')", NULL, NULL,
                                NULL),
                   SQLITE_OK);
  assert_int_equal(rpt_log(db, run, 1, RPT_LOG_INFO, "test", "second"), RPT_OK); /* queued as seq 2 */
  assert_int_equal(rpt_db_flush(db), RPT_E_SQLITE);
  assert_msg(db, "writing 2 queued rows of log");
  assert_msg(db, "UNIQUE");
  assert_msg(db, "rolled back, no more rows can be written");
  assert_int_equal(rpt_log(db, run, 2, RPT_LOG_INFO, "test", "third"), RPT_E_STATE);
  assert_msg(db, "writes no more");
  /* Nothing of the transaction is left: the intruder went with it. */
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM log"), 0);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM runs"), 1);
  rpt_db_close(db);
}

static void bad_arguments_name_the_field(void **state) {
  (void)state;
  rpt_db *db;
  assert_int_equal(rpt_db_open(NULL, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_db_open(NULL, &db), RPT_E_INVAL);
  assert_msg(db, "database path is NULL");
  rpt_db_close(db);
  assert_int_equal(rpt_db_open("", &db), RPT_E_INVAL);
  assert_msg(db, "database path is empty");
  rpt_db_close(db);
  assert_string_equal(rpt_db_errmsg(NULL), "no database handle (it could not be allocated, or was never opened)");

  assert_int_equal(rpt_db_open(db_path("args.db"), &db), RPT_OK);
  int64_t run = -1;
  rpt_run_info info = k_info;
  assert_int_equal(rpt_run_begin(NULL, &info, &run), RPT_E_INVAL);
  assert_int_equal(rpt_run_begin(db, NULL, &run), RPT_E_INVAL);
  assert_msg(db, "info is NULL");
  assert_int_equal(rpt_run_begin(db, &info, NULL), RPT_E_INVAL);
  assert_msg(db, "out_run_id is NULL");
  info.scenario = NULL;
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_E_INVAL);
  assert_msg(db, "rpt_run_begin: info.scenario is NULL");
  info.scenario = "";
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_E_INVAL);
  assert_msg(db, "rpt_run_begin: info.scenario is empty");
  info = k_info;
  info.profile = "";
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_E_INVAL);
  assert_msg(db, "info.profile is empty");
  info = k_info;
  info.backend = NULL;
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_E_INVAL);
  assert_msg(db, "info.backend is NULL");
  info = k_info;
  info.hnsim_version = "";
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_E_INVAL);
  assert_msg(db, "info.hnsim_version is empty");
  info = k_info;
  info.seed = UINT64_MAX;
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_E_INVAL);
  assert_msg(db, "info.seed 18446744073709551615 is larger than INT64_MAX");
  info.seed = (uint64_t)INT64_MAX;
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_OK);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM runs"), 1);
  assert_int_equal(query_int(db->sql, "SELECT seed FROM runs"), INT64_MAX);

  assert_int_equal(rpt_log(db, run, -1, RPT_LOG_INFO, "s", "m"), RPT_E_INVAL);
  assert_msg(db, "rpt_log: sim_time_ns -1 is negative");
  assert_int_equal(rpt_log(db, run, 0, 9, "s", "m"), RPT_E_INVAL);
  assert_msg(db, "level 9 is not a log level");
  assert_int_equal(rpt_log(db, run, 0, RPT_LOG_INFO, NULL, "m"), RPT_E_INVAL);
  assert_msg(db, "rpt_log: source is NULL");
  assert_int_equal(rpt_log(db, run, 0, RPT_LOG_INFO, "s", NULL), RPT_E_INVAL);
  assert_msg(db, "rpt_log: message is NULL");
  assert_int_equal(rpt_log(db, run + 1, 0, RPT_LOG_INFO, "s", "m"), RPT_E_STATE);
  assert_msg(db, "not open for writing");
  assert_int_equal(rpt_expectation(db, run, 0, "", 1, NULL), RPT_E_INVAL);
  assert_msg(db, "rpt_expectation: name is empty");
  assert_int_equal(rpt_expectation(db, run, 0, "e", 2, NULL), RPT_E_INVAL);
  assert_msg(db, "passed is 2");
  assert_int_equal(rpt_metric(db, run, 0, NULL, 1.0), RPT_E_INVAL);
  assert_msg(db, "rpt_metric: name is NULL");
  assert_int_equal(rpt_metric(db, run, 0, "lat", NAN), RPT_E_INVAL);
  assert_msg(db, "value of metric 'lat' is NaN");
  assert_int_equal(rpt_run_finish(db, run, -5, RPT_RUN_PASSED), RPT_E_INVAL);
  assert_msg(db, "sim_end_ns -5 is negative");
  assert_int_equal(rpt_run_finish(db, run, 5, RPT_RUN_INCOMPLETE), RPT_E_INVAL);
  assert_msg(db, "state 0 is not one a run finishes in");
  /* Nothing was written by the refused calls. */
  assert_int_equal(rpt_db_flush(db), RPT_OK);
  assert_int_equal(query_int(db->sql, "SELECT (SELECT count(*) FROM log) + (SELECT count(*) FROM"
                                      " expectations) + (SELECT count(*) FROM metrics)"),
                   0);
  /* A finished run takes no more rows. */
  assert_int_equal(rpt_run_finish(db, run, 5, RPT_RUN_PASSED), RPT_OK);
  assert_string_equal(rpt_db_errmsg(db), "no error");
  assert_int_equal(rpt_metric(db, run, 6, "late", 1.0), RPT_E_STATE);
  assert_int_equal(rpt_run_finish(db, run, 6, RPT_RUN_PASSED), RPT_E_STATE);

  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, 99, &s), RPT_E_NOTFOUND);
  assert_msg(db, "no run with id 99");
  assert_null(s.scenario);
  assert_int_equal(rpt_run_get(db, run, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_log_foreach(db, 99, count_log, NULL), RPT_E_NOTFOUND);
  assert_int_equal(rpt_log_foreach(db, run, NULL, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_expectation_foreach(db, run, 7, NULL, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_report_markdown(db, run, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_run_summary_clear(NULL), RPT_E_INVAL);
  assert_string_equal(rpt_strerror(RPT_E_SCHEMA), "unsupported database schema");
  assert_string_equal(rpt_strerror(12345), "unknown status");
  assert_int_equal(rpt_db_close(db), RPT_OK);

  assert_int_equal(rpt_db_open(db_path("empty.db"), &db), RPT_OK);
  assert_int_equal(rpt_run_last(db, &run), RPT_E_NOTFOUND);
  assert_msg(db, "no runs");
  assert_int_equal(rpt_db_close(db), RPT_OK);
  assert_int_equal(rpt_db_close(NULL), RPT_OK);
}

struct reenter {
  rpt_db *db;
  int64_t run;
  int inner_same, inner_write, inner_other;
};

static int metric_seen(void *arg, const rpt_metric_row *row) {
  (void)arg;
  (void)row;
  return 0;
}

static int reenter_log(void *arg, const rpt_log_row *row) {
  struct reenter *r = arg;
  (void)row;
  r->inner_same = rpt_log_foreach(r->db, r->run, reenter_log, arg);
  r->inner_other = rpt_metric_foreach(r->db, r->run, metric_seen, NULL);
  r->inner_write = rpt_log(r->db, r->run, 1, RPT_LOG_INFO, "s", "inside");
  return 42;
}

static void foreach_callbacks(void **state) {
  (void)state;
  struct reenter r = {0};
  int64_t other;
  assert_int_equal(rpt_db_open(db_path("reenter.db"), &r.db), RPT_OK);
  assert_int_equal(rpt_run_begin(r.db, &k_info, &other), RPT_OK);
  assert_int_equal(rpt_run_begin(r.db, &k_info, &r.run), RPT_OK);
  assert_int_equal(rpt_log(r.db, r.run, 0, RPT_LOG_INFO, "s", "one"), RPT_OK);
  assert_int_equal(rpt_log(r.db, r.run, 0, RPT_LOG_INFO, "s", "two"), RPT_OK);
  assert_int_equal(rpt_db_flush(r.db), RPT_OK);
  /* The callback's non-zero return stops the walk and is returned. */
  assert_int_equal(rpt_log_foreach(r.db, r.run, reenter_log, &r), 42);
  assert_int_equal(r.inner_same, RPT_E_STATE);
  assert_int_equal(r.inner_other, RPT_OK);
  assert_int_equal(r.inner_write, RPT_E_STATE);
  /* The same with the writer's batch open (no read transaction of its own). */
  assert_int_equal(rpt_log(r.db, r.run, 0, RPT_LOG_INFO, "s", "three"), RPT_OK);
  r.inner_write = RPT_OK;
  assert_int_equal(rpt_log_foreach(r.db, r.run, reenter_log, &r), 42);
  assert_int_equal(r.inner_write, RPT_E_STATE);
  assert_int_equal(query_int(r.db->sql, "SELECT count(*) FROM log WHERE message = 'inside'"), 0);
  /* Two runs open on one handle keep their own sequences. */
  assert_int_equal(rpt_log(r.db, other, 0, RPT_LOG_INFO, "s", "other"), RPT_OK);
  assert_int_equal(rpt_run_finish(r.db, r.run, 3, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(rpt_run_finish(r.db, other, 3, RPT_RUN_ERROR), RPT_OK);
  assert_int_equal(query_int(r.db->sql, "SELECT seq FROM log WHERE message = 'other'"), 1);
  assert_int_equal(query_int(r.db->sql, "SELECT seq FROM log WHERE message = 'three'"), 3);
  int64_t last;
  assert_int_equal(rpt_run_last(r.db, &last), RPT_OK);
  assert_int_equal(last, r.run);
  assert_int_equal(rpt_db_close(r.db), RPT_OK);
}

static char *markdown_of(rpt_db *db, int64_t run) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(rpt_report_markdown(db, run, f), RPT_OK);
  fclose(f);
  return buf;
}

static void markdown_report(void **state) {
  (void)state;
  rpt_db *db;
  int64_t run;
  assert_int_equal(rpt_db_open(db_path("md.db"), &db), RPT_OK);
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(rpt_log(db, run, 1500, RPT_LOG_WARN, "hns", "line one\nline | two"), RPT_OK);
  assert_int_equal(rpt_expectation(db, run, 1000, "reach S", 1, "3 hops"), RPT_OK);
  assert_int_equal(rpt_expectation(db, run, 2000, "deny <x>", 0, "a|b\r\nc\\d"), RPT_OK);
  assert_int_equal(rpt_metric(db, run, 3000, "rtt_ms", 0.1), RPT_OK);
  assert_int_equal(rpt_metric(db, run, 3000, "big", 1e300), RPT_OK);

  /* While running, the report says incomplete. */
  char *md = markdown_of(db, run);
  assert_non_null(strstr(md, "| state | **incomplete** |"));
  assert_non_null(strstr(md, "This run is **incomplete**"));
  assert_null(strstr(md, "running"));
  free(md);

  assert_int_equal(rpt_run_finish(db, run, 2500000000, RPT_RUN_FAILED), RPT_OK);
  md = markdown_of(db, run);
  assert_non_null(strstr(md, "# hnsim run 1: scenarios/two\\_pods.lua\n")); /* "_" escaped: no emphasis */
  assert_non_null(strstr(md, "| state | **failed** |"));
  assert_non_null(strstr(md, "| seed | 42 |"));
  assert_non_null(strstr(md, "| simulated end (s) | 2.500000000 |"));
  assert_non_null(strstr(md, "## Expectations: 1 of 2 failed"));
  const char *fail_row = strstr(md, "| 2 | 0.000002000 | **FAIL** | deny &lt;x&gt; | a\\|b<br>c\\\\d |");
  const char *pass_row = strstr(md, "| 1 | 0.000001000 | pass | reach S | 3 hops |");
  assert_non_null(fail_row);
  assert_non_null(pass_row);
  assert_true(fail_row < pass_row); /* failed first */
  assert_non_null(strstr(md, "| 1 | 0.000003000 | rtt\\_ms | 0.1 |"));
  assert_non_null(strstr(md, "| 2 | 0.000003000 | big | 1e+300 |"));
  assert_non_null(strstr(md, "| 1 | 0.000001500 | warn | hns | line one<br>line \\| two |"));
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, run, &s), RPT_OK);
  char want[128];
  snprintf(want, sizeof want, "| digest (SHA-256) | `%s` |", s.digest);
  assert_non_null(strstr(md, want));
  rpt_run_summary_clear(&s);
  assert_null(strstr(md, "incomplete"));

  /* Apart from the wall-clock lines, the report depends only on the rows. */
  char *again = markdown_of(db, run);
  assert_string_equal(md, again);
  free(again);
  free(md);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(schema_is_strict_wal_latest),
      cmocka_unit_test(migrates_from_every_version),
      cmocka_unit_test(suites_group_a_commands_runs),
      cmocka_unit_test(no_downgrade),
      cmocka_unit_test(newer_version_refused_untouched),
      cmocka_unit_test(foreign_files_refused),
      cmocka_unit_test(crashed_run_reads_incomplete),
      cmocka_unit_test(run_commits_once),
      cmocka_unit_test(refused_flush_abandons_the_transaction),
      cmocka_unit_test(bad_arguments_name_the_field),
      cmocka_unit_test(foreach_callbacks),
      cmocka_unit_test(markdown_report),
  };
  return cmocka_run_group_tests(tests, tmpdir_create, tmpdir_remove);
}
