/* rpt_test_db.h: what the results-database tests share, on top of
 * test_tmpdir.h (include that first): a fresh database path in the test
 * folder, opening one (also with a second connection), an error message
 * check, and one integer read straight from SQLite. Header-only: each test binary includes it once. */
#ifndef RPT_TEST_DB_H
#define RPT_TEST_DB_H
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "rpt.h"
#include "rpt_db_int.h"

/* A fresh path in the test directory (any earlier file of that name removed). */
static inline const char *db_path(const char *name) {
  static char path[512];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s%s", g_dir, name, suffix[i]);
    unlink(path);
  }
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  return path;
}

static inline rpt_db *open_db(const char *name) {
  rpt_db *db;
  int rc = rpt_db_open(db_path(name), &db);
  if (rc != RPT_OK) fail_msg("%s: %s", name, rpt_db_errmsg(db));
  return db;
}

/* A writer on a fresh database `name` with run *run begun (with `info`), and
 * *peek, a second connection to the same file, reading it as another
 * process would. */
static inline rpt_db *open_db_with_peek(const char *name, const rpt_run_info *info, int64_t *run,
                                        sqlite3 **peek) {
  rpt_db *db = open_db(name);
  assert_int_equal(rpt_run_begin(db, info, run), RPT_OK);
  char path[512];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  assert_int_equal(sqlite3_open(path, peek), SQLITE_OK);
  return db;
}

static inline void assert_msg(const rpt_db *db, const char *needle) {
  const char *msg = rpt_db_errmsg(db);
  if (!strstr(msg, needle)) fail_msg("message \"%s\" does not contain \"%s\"", msg, needle);
}

static inline int64_t query_int(sqlite3 *sql, const char *q) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(sql, q, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", q, sqlite3_errmsg(sql));
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

#endif
