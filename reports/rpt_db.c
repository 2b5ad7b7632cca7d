/* rpt_db.c: a db handle's life (open, close, flush), its error message, its
 * cache of prepared statements and the writer's batch transaction.
 *
 * Opening reads the schema version before anything that could write (WAL mode
 * rewrites the file header), so a database this build must refuse is left
 * byte for byte as it was. Then: WAL, synchronous=NORMAL (in WAL mode a power
 * cut can lose the last commits but never corrupts the file, and a results
 * database is rewritten by running the scenario again), forward migrations.
 *
 * The writer's transaction (BEGIN IMMEDIATE, so the write lock is taken at
 * the start and a commit never fails for a lock) holds a run's rows until
 * the run finishes; see rpt_db.h for when else it commits. Rows reach it
 * through the queue of rpt_queue.c, which is flushed before every commit and
 * every read. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_db_int.h"
#include "rpt_status.h"

#define STR_(x) #x
#define STR(x) STR_(x)

int rpt__err(rpt_db *db, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
  va_end(ap);
  return status;
}

int rpt__status_of(int rc) {
  switch (rc & 0xff) {
  case SQLITE_OK: return RPT_OK;
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return RPT_E_BUSY;
  case SQLITE_NOMEM: return RPT_E_NOMEM;
  default: return RPT_E_SQLITE;
  }
}

int rpt__sqlerr(rpt_db *db, int rc, const char *what) {
  int status = rpt__status_of(rc);
  rpt__err(db, status, "%s: %s", what, db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
  /* A failed statement can make SQLite roll the whole transaction back (full
   * disk, I/O error). Then the rows of the open batch are gone; say so, and
   * refuse further writes rather than leave holes in the runs' sequences. */
  if (db->in_txn && db->sql && sqlite3_get_autocommit(db->sql)) rpt__batch_abandon(db);
  return status;
}

int rpt__enter(rpt_db *db) {
  if (!db) return RPT_E_INVAL;
  if (!db->sql) {
    /* Keep the open failure's message: it is what the caller needs. */
    return RPT_E_STATE;
  }
  db->errmsg[0] = '\0';
  return RPT_OK;
}

int rpt__stmt(rpt_db *db, enum rpt__stmt_id id, const char *sql, sqlite3_stmt **out) {
  sqlite3_stmt *st = db->stmt[id];
  if (!st) {
    int rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) return rpt__sqlerr(db, rc, "preparing a statement");
    db->stmt[id] = st;
  } else if (sqlite3_stmt_busy(st)) {
    return rpt__err(db, RPT_E_STATE,
                    "this query is already running on the handle (called from inside its own "
                    "foreach callback?)");
  }
  *out = st;
  return RPT_OK;
}

void rpt__stmt_done(sqlite3_stmt *st) {
  if (!st) return;
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

int rpt__exec(rpt_db *db, const char *sql, const char *what) {
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? RPT_OK : rpt__sqlerr(db, rc, what);
}

int rpt__batch_begin(rpt_db *db) {
  if (db->walking > 0 || (!db->in_txn && !sqlite3_get_autocommit(db->sql)))
    return rpt__err(db, RPT_E_STATE, "cannot write while a read is in progress on this handle "
                                     "(called from inside a foreach callback?)");
  if (db->broken)
    return rpt__err(db, RPT_E_STATE, "an earlier failure lost rows; this handle writes no more");
  if (db->in_txn) return RPT_OK;
  int status = rpt__exec(db, "BEGIN IMMEDIATE", "starting a write batch");
  if (status == RPT_OK) {
    db->in_txn = 1;
    db->pending = 0;
  }
  return status;
}

int rpt__batch_commit(rpt_db *db) {
  if (!db->in_txn) return RPT_OK;
  int status = rpt__queue_flush(db);
  if (status != RPT_OK) return status;
  int rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
  if (rc == SQLITE_OK) {
    db->in_txn = 0;
    db->pending = 0;
    return RPT_OK;
  }
  char what[96];
  snprintf(what, sizeof what, "committing %" PRId64 " rows", db->pending);
  status = rpt__sqlerr(db, rc, what);
  /* The transaction may have outlived the failed COMMIT: give its rows up. */
  if (db->in_txn) rpt__batch_abandon(db);
  return status;
}

void rpt__batch_abandon(rpt_db *db) {
  if (!db->in_txn) return;
  if (!sqlite3_get_autocommit(db->sql)) sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
  size_t len = strlen(db->errmsg);
  snprintf(db->errmsg + len, sizeof db->errmsg - len,
           "; the open transaction's %" PRId64 " rows were rolled back, no more rows can be written",
           db->pending);
  rpt__queue_clear(db);
  db->in_txn = 0;
  db->pending = 0;
  db->broken = 1;
}

int rpt__read_begin(rpt_db *db, int *started) {
  *started = 0;
  if (!sqlite3_get_autocommit(db->sql)) return rpt__queue_flush(db);
  int status = rpt__exec(db, "BEGIN", "starting a read");
  if (status == RPT_OK) *started = 1;
  return status;
}

void rpt__read_end(rpt_db *db, int started) {
  if (started) sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
}

/* The value of a one-row pragma as text, in `buf`. */
static int pragma_text(rpt_db *db, const char *pragma, char *buf, size_t len) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db->sql, pragma, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const unsigned char *text = sqlite3_column_text(st, 0);
      snprintf(buf, len, "%s", text ? (const char *)text : "");
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      buf[0] = '\0';
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) {
    char what[96];
    snprintf(what, sizeof what, "running %s", pragma);
    return rpt__sqlerr(db, rc, what);
  }
  return RPT_OK;
}

/* Everything rpt_db_open does once the file is open. */
static int setup(rpt_db *db, const char *path) {
  char value[32];
  int version = 0;
  int status;
  sqlite3_extended_result_codes(db->sql, 1);
  sqlite3_busy_timeout(db->sql, RPT_BUSY_TIMEOUT_MS);
  status = rpt__exec(db, "PRAGMA foreign_keys = ON", "turning foreign keys on");
  if (status == RPT_OK) status = pragma_text(db, "PRAGMA foreign_keys", value, sizeof value);
  if (status != RPT_OK) return status;
  if (strcmp(value, "1") != 0)
    return rpt__err(db, RPT_E_SQLITE, "this SQLite cannot enforce foreign keys");

  status = rpt__schema_check(db->sql, &version, db->errmsg, sizeof db->errmsg);
  if (status != RPT_OK) return status;

  /* A new file gets big pages (an existing one keeps its own: SQLite fixes
   * the page size at the first write, and in WAL mode for good). */
  status = rpt__exec(db, "PRAGMA page_size = " STR(RPT__PAGE_SIZE), "setting page_size");
  if (status != RPT_OK) return status;
  status = pragma_text(db, "PRAGMA journal_mode = WAL", value, sizeof value);
  if (status != RPT_OK) return status;
  int in_memory = strcmp(path, ":memory:") == 0;
  if (strcmp(value, in_memory ? "memory" : "wal") != 0)
    return rpt__err(db, RPT_E_SQLITE, "could not switch to WAL mode (journal_mode is '%s')", value);
  status = rpt__exec(db, "PRAGMA synchronous = NORMAL", "setting synchronous = NORMAL");
  if (status == RPT_OK) status = rpt__exec(db, "PRAGMA cache_size = " STR(RPT__CACHE_SIZE), "setting cache_size");
  if (status == RPT_OK) status = rpt__queue_init(db);
  if (status != RPT_OK) return status;

  return rpt__schema_migrate(db->sql, RPT__SCHEMA_LATEST, db->errmsg, sizeof db->errmsg);
}

int rpt_db_open(const char *path, rpt_db **out) {
  if (!out) return RPT_E_INVAL;
  rpt_db *db = calloc(1, sizeof *db);
  *out = db;
  if (!db) return RPT_E_NOMEM;
  if (!path || !*path)
    return rpt__err(db, RPT_E_INVAL, "database path is %s", path ? "empty" : "NULL");
  sqlite3 *sql = NULL;
  int rc = sqlite3_open_v2(path, &sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           NULL);
  if (rc != SQLITE_OK) {
    rpt__err(db, rpt__status_of(rc), "%s: opening the database: %s", path,
             sql ? sqlite3_errmsg(sql) : sqlite3_errstr(rc));
    sqlite3_close(sql);
    return rpt__status_of(rc);
  }
  db->sql = sql;
  int status = setup(db, path);
  if (status != RPT_OK) {
    /* Name the file: the caller may have several. */
    char msg[RPT__ERRMSG_SIZE];
    snprintf(msg, sizeof msg, "%s", db->errmsg);
    rpt__err(db, status, "%s: %s", path, msg);
    sqlite3_close(db->sql);
    db->sql = NULL;
  }
  return status;
}

int rpt_db_flush(rpt_db *db) {
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  return rpt__batch_commit(db);
}

int rpt_db_close(rpt_db *db) {
  if (!db) return RPT_OK;
  int status = RPT_OK;
  if (db->sql) {
    status = rpt__batch_commit(db);
    rpt__queue_free(db);
    for (int i = 0; i < RPT__STMT_COUNT; i++) sqlite3_finalize(db->stmt[i]);
    if (sqlite3_close(db->sql) != SQLITE_OK && status == RPT_OK) status = RPT_E_SQLITE;
  }
  for (size_t i = 0; i < db->n_runs; i++) rpt__intern_free(&db->runs[i].strings);
  free(db->runs);
  free(db);
  return status;
}

const char *rpt_db_errmsg(const rpt_db *db) {
  if (!db) return "no database handle (it could not be allocated, or was never opened)";
  return db->errmsg[0] ? db->errmsg : "no error";
}
