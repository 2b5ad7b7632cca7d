/* rpt_db.h: opening and closing a results database.
 *
 * A results database is one SQLite file in WAL mode with foreign keys on and
 * STRICT tables; its schema version is PRAGMA user_version and its
 * PRAGMA application_id marks it as hnsim's (docs/results-schema.md). Opening
 * creates the file if needed and migrates an older schema forwards, one
 * version per transaction, keeping the data; a schema newer than this build
 * knows, or a SQLite file that is not hnsim's, is refused and left untouched.
 *
 * A handle is used by one thread at a time. Several handles (in one process
 * or several) may read the same file while one writes; a second writer waits
 * up to RPT_BUSY_TIMEOUT_MS for the first one's transaction (a run) to commit,
 * then gets RPT_E_BUSY.
 *
 * Errors: every function returns an rpt_status; the handle keeps a message
 * naming what was wrong with the most recent failed call (rpt_db_errmsg). */
#ifndef RPT_DB_H
#define RPT_DB_H
#include "rpt_status.h"

typedef struct rpt_db rpt_db;

/* The writer holds a run's rows in one transaction, from the first row after
 * rpt_run_begin (which commits the run itself, so that a run whose writer
 * dies is still there to read as incomplete) to rpt_run_finish, which
 * commits them with the run's end and digest: a finished run is in the file
 * whole or not at all, and readers on other connections see its rows when
 * it finishes. rpt_db_flush and rpt_db_close commit too, and beginning
 * another run commits the rows of runs still open on the handle. */

/* How long a call waits for another connection's lock before RPT_E_BUSY. */
#define RPT_BUSY_TIMEOUT_MS 5000

/* Opens (creating or migrating as needed) the database at `path`; ":memory:"
 * gives a private in-memory database (not WAL: SQLite has no WAL in memory).
 *
 * On success *out is the handle. On failure *out is still a handle, unless
 * `out` is NULL or the handle itself could not be allocated (then *out is NULL
 * and the status RPT_E_NOMEM): rpt_db_errmsg tells what went wrong, every
 * other call on it returns RPT_E_STATE, and it must be passed to rpt_db_close. */
int rpt_db_open(const char *path, rpt_db **out);

/* Commits the writer's open transaction, if any, and frees the handle (always,
 * even on failure; NULL is accepted). Runs still open stay 'running' in the file
 * and read as incomplete. Returns the status of that final commit: a caller
 * that wants the message for a failure calls rpt_db_flush first. */
int rpt_db_close(rpt_db *db);

/* Commits the writer's open transaction now, so that other connections see
 * every row written so far (a long run may want that; it gives up the run's
 * all-or-nothing commit). Nothing to commit is not an error. */
int rpt_db_flush(rpt_db *db);

/* What was wrong with the most recent failed call on this handle, e.g.
 * "database schema version 7 is newer than this hnsim supports (3)";
 * "no error" if that call succeeded. Never NULL; valid until the next call on
 * the handle. For a NULL handle: a message saying there is none. */
const char *rpt_db_errmsg(const rpt_db *db);

/* The schema version this build creates and migrates to. */
int rpt_db_schema_latest(int *out_version);

#endif
