/* rpt_db_int.h: the results layer's private view of a db handle, shared by
 * the files of reports/ and by its tests; nothing outside reports/ and tests/
 * includes it.
 *
 * Invariants: `sql` is NULL only for a handle whose open failed. `in_txn` is
 * true exactly while the writer's transaction is open, and `pending` counts
 * the rows written in it (queued or not); rows are queued (rpt_queue.h) only
 * while it is open. Every cached statement is reset (and its
 * bindings cleared) when the function that used it returns; a statement that
 * is still stepping belongs to a foreach whose callback is running. */
#ifndef RPT_DB_INT_H
#define RPT_DB_INT_H
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "rpt_db.h"
#include "rpt_intern.h"
#include "rpt_queue.h"

/* The schema version this build knows (see rpt_schema.c for the steps). */
#define RPT__SCHEMA_LATEST 5

/* PRAGMA application_id of an hnsim results database: "hnsR" in ASCII. */
#define RPT__APPLICATION_ID 0x686e7352

#define RPT__ERRMSG_SIZE 512

/* A new file's page size, and the page cache of every connection (in KiB,
 * hence negative, as PRAGMA cache_size takes it). Big pages cut the b-tree
 * work per row: a million short log rows went in 1.4 times as fast with
 * 65536-byte pages as with SQLite's 4096 (docs/results-schema.md, "How
 * fast"); the cache holds the paths the writer's inserts walk. */
#define RPT__PAGE_SIZE 65536
#define RPT__CACHE_SIZE -65536

/* The tables whose rows carry a per-run sequence number. Hops and truth
 * cells are numbered within their probe or table instead (see
 * struct rpt__open_run's cursors). */
enum rpt__table {
  RPT__T_LOG,
  RPT__T_EXPECTATIONS,
  RPT__T_METRICS,
  RPT__T_HCN_CALLS,
  RPT__T_PROBES,
  RPT__T_TRUTH_TABLES,
  RPT__T_FAULTS,
  RPT__T_SNAPSHOTS,
  RPT__TABLE_COUNT
};

/* Every statement a handle prepares; each is prepared once, on first use. */
enum rpt__stmt_id {
  RPT__ST_RUN_INSERT,
  RPT__ST_RUN_FINISH,
  RPT__ST_RUN_HEAD,
  RPT__ST_DIGEST_LOG,
  RPT__ST_DIGEST_EXPECTATIONS,
  RPT__ST_DIGEST_METRICS,
  RPT__ST_SUMMARY,
  RPT__ST_LAST_RUN,
  RPT__ST_RUN_EXISTS,
  RPT__ST_READ_LOG,
  RPT__ST_READ_EXPECTATIONS,
  RPT__ST_READ_EXPECTATIONS_FAILED_FIRST,
  RPT__ST_READ_METRICS,
  /* rpt_rows_write.c, rpt_rows_read.c, rpt_digest.c: the detailed rows */
  RPT__ST_HOP_NEXT_IDX,
  RPT__ST_CELL_NEXT_IDX,
  RPT__ST_JSON_VALID,
  RPT__ST_DIGEST_HCN_CALLS,
  RPT__ST_DIGEST_PROBES,
  RPT__ST_DIGEST_HOPS,
  RPT__ST_DIGEST_TRUTH_TABLES,
  RPT__ST_DIGEST_TRUTH_CELLS,
  RPT__ST_DIGEST_FAULTS,
  RPT__ST_DIGEST_SNAPSHOTS,
  RPT__ST_STRINGS_WINDOW, /* rpt_strings.c: the digest's and the readers' */
  RPT__ST_READ_HCN_CALLS,
  RPT__ST_READ_PROBES,
  RPT__ST_READ_HOPS,
  RPT__ST_READ_HOPS_ALL,
  RPT__ST_READ_TRUTH_TABLES,
  RPT__ST_READ_TRUTH_CELLS,
  RPT__ST_READ_TRUTH_CELLS_ALL,
  RPT__ST_READ_FAULTS,
  RPT__ST_READ_SNAPSHOTS,
  RPT__ST_READ_SNAPSHOTS_LABEL,
  RPT__STMT_COUNT
};

/* A run this handle began and has not finished: the next seq of each table,
 * and two cursors: the probe whose hops were written last, the idx its next
 * hop gets and the highest probe that has had a hop (likewise the truth
 * table and its cells). A hop for a probe past that highest one is its
 * first; a hop for another probe asks the database where that probe's hops
 * stopped, so hops may come in any order of probes, while the usual case (a
 * probe, then its hops) costs no query. Zeroed when the run begins: probe 0
 * is no probe. `strings` are the texts its hops and cells have named
 * (rpt_intern.h). */
struct rpt__open_run {
  int64_t id;
  int64_t next_seq[RPT__TABLE_COUNT];
  int64_t hop_probe, hop_next, hop_probe_max;
  int64_t cell_table, cell_next, cell_table_max;
  struct rpt__intern strings;
};

struct rpt_db {
  sqlite3 *sql;
  int in_txn;
  int64_t pending;
  int broken;  /* a failed commit or rollback lost rows: further writes are refused */
  int walking; /* foreach calls under way: their callbacks may read, not write */
  sqlite3_stmt *stmt[RPT__STMT_COUNT];
  struct rpt__open_run *runs;
  size_t n_runs, cap_runs;
  int64_t suite; /* the suite runs begun on this handle join (rpt_suite_begin), 0 for none */
  struct rpt__queue queue;
  char errmsg[RPT__ERRMSG_SIZE];
};

/* Records a message (printf-style) on the handle and returns `status`. */
int rpt__err(rpt_db *db, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records "<what>: <SQLite's message>" and returns the status for SQLite
 * result code `rc` (RPT_E_BUSY, RPT_E_NOMEM or RPT_E_SQLITE). */
int rpt__sqlerr(rpt_db *db, int rc, const char *what);

/* Maps a SQLite result code to an rpt_status. */
int rpt__status_of(int rc);

/* Starts a public call: RPT_E_INVAL for a NULL handle, RPT_E_STATE for one
 * whose open failed; otherwise clears the message and returns RPT_OK. */
int rpt__enter(rpt_db *db);

/* The handle's statement `id`, prepared from `sql` on first use. RPT_E_STATE
 * if it is still stepping (called again from inside a foreach callback). The
 * caller resets it with rpt__stmt_done. */
int rpt__stmt(rpt_db *db, enum rpt__stmt_id id, const char *sql, sqlite3_stmt **out);
void rpt__stmt_done(sqlite3_stmt *st);

/* Runs SQL without results; on failure records "<what>: ...". */
int rpt__exec(rpt_db *db, const char *sql, const char *what);

/* The writer's transaction: begin (BEGIN IMMEDIATE) if none is open;
 * commit now (the queue first); abandon it after a failure that lost rows
 * already numbered: roll it back, drop the queue, say so in the message and
 * refuse further writes on the handle. */
int rpt__batch_begin(rpt_db *db);
int rpt__batch_commit(rpt_db *db);
void rpt__batch_abandon(rpt_db *db);

/* RPT_OK if run `run_id` exists, RPT_E_NOTFOUND (with a message) if not. */
int rpt__run_exists(rpt_db *db, int64_t run_id);

/* The walk every foreach is (rpt_read.c): a snapshot (rpt__read_begin), the
 * run's existence, statement `id` (prepared from `sql`) with the run bound
 * to ?1 and `extra` to ?2, and each row handed to `decode`, which decodes it
 * and calls the caller's callback `fn` (cast back to its own type). `name`
 * is the public function's, for messages. Callbacks may read, not write.
 * `ids`, for a statement over stored rows of string ids (probe_rows,
 * hop_rows, cell_rows), has rpt__strings_row's letter per column: the walk
 * looks the row's texts up (rpt_strings.h) and hands them to `decode`,
 * leaving out a row the view would; NULL otherwise, and `texts` is NULL. */
struct rpt__row_texts;
typedef void (*rpt__any_fn)(void);
typedef int (*rpt__decode_fn)(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                              void *arg);
struct rpt__bind {
  int kind; /* 0 nothing, 'I' the integer i, 'T' the text t */
  int64_t i;
  const char *t;
};
#define RPT__NO_BIND ((struct rpt__bind){0, 0, NULL})
int rpt__walk(rpt_db *db, const char *name, int64_t run_id, struct rpt__bind extra, enum rpt__stmt_id id,
              const char *sql, const char *ids, rpt__decode_fn decode, rpt__any_fn fn, void *arg);

/* A read transaction so that several queries see one snapshot. Inside the
 * writer's transaction it only flushes the queue (the transaction already is
 * one); *started says whether rpt__read_end must end it. */
int rpt__read_begin(rpt_db *db, int *started);
void rpt__read_end(rpt_db *db, int started);

/* Schema (rpt_schema.c). rpt__schema_check reads, without writing anything,
 * whether `sql` is an hnsim database this build can open, and its version.
 * rpt__schema_migrate applies the steps from the current version up to
 * `version`, one transaction each; `err` gets a message on failure. */
int rpt__schema_check(sqlite3 *sql, int *out_version, char *err, size_t errlen);
int rpt__schema_migrate(sqlite3 *sql, int version, char *err, size_t errlen);

/* For tests: brings a database to schema `version` (0..RPT__SCHEMA_LATEST),
 * as an older hnsim would have left it. */
int rpt__db_migrate_to(sqlite3 *sql, int version);

/* Digest (rpt_digest.c): the digest of run `run_id` as it would be with
 * sim_end_ns and status (a stored status name) as given, hashing its header
 * and rows as they are now in the database. */
int rpt__digest_compute(rpt_db *db, int64_t run_id, int64_t sim_end_ns, const char *status,
                        char out[65]);

#endif
