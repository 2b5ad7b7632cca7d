/* rpt_queue.h: the writer's queue of rows on their way into the database
 * (private to reports/ and its tests).
 *
 * A writer call checks its row and appends it here, copying its values; the
 * queue goes into the open write transaction as one INSERT ... SELECT per
 * table, reading the queued rows through an eponymous virtual table
 * (rpt_queued), when it holds RPT__QUEUE_ROWS rows or RPT__QUEUE_TEXT bytes
 * of text, and before anything on the handle reads the database or commits.
 * SQLite then runs one statement per table and per flush instead of one per
 * row, which is what lets the writer pass a million rows a second
 * (docs/results-schema.md, "How fast").
 *
 * Invariants: rows wait only inside the writer's transaction (db->in_txn);
 * a table's rows go in the order they were queued; tables are flushed in
 * enum order: a run's strings first, then every parent (probes, truth
 * tables) before its children (hops, cells). */
#ifndef RPT_QUEUE_H
#define RPT_QUEUE_H
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

typedef struct rpt_db rpt_db;

/* The queued tables, in flush order. */
enum rpt__qtable {
  RPT__Q_STRINGS,
  RPT__Q_LOG,
  RPT__Q_EXPECTATIONS,
  RPT__Q_METRICS,
  RPT__Q_HCN_CALLS,
  RPT__Q_PROBES,
  RPT__Q_HOPS,
  RPT__Q_TRUTH_TABLES,
  RPT__Q_CELLS,
  RPT__Q_FAULTS,
  RPT__Q_SNAPSHOTS,
  RPT__Q_COUNT
};

/* The widest queued row (hcn_calls). */
#define RPT__QUEUE_MAX_COLS 17

/* A flush once this many rows, or this many bytes of text, are queued:
 * past a few thousand rows a bigger flush gains nothing, and the text
 * bound keeps big snapshots and HCN documents from piling up. */
#define RPT__QUEUE_ROWS 4096
#define RPT__QUEUE_TEXT (8u << 20)

/* One value of a row handed to rpt__queue_add: SQLITE_INTEGER (i),
 * SQLITE_FLOAT (d), SQLITE_TEXT (s, copied; NULL queues SQL NULL) or
 * SQLITE_NULL. */
struct rpt__qin {
  int type;
  int64_t i;
  double d;
  const char *s;
};
#define RPT__QI(v) ((struct rpt__qin){SQLITE_INTEGER, (v), 0, NULL})
#define RPT__QD(v) ((struct rpt__qin){SQLITE_FLOAT, 0, (v), NULL})
#define RPT__QT(v) ((struct rpt__qin){SQLITE_TEXT, 0, 0, (v)})

/* A stored value: text lives in the queue's arena at `off`. */
struct rpt__qval {
  int64_t i;
  double d;
  size_t off;
  int len;
  int type;
};

struct rpt__queue_rows {
  struct rpt__qval *vals; /* rows * the table's column count */
  size_t rows, cap;
  sqlite3_stmt *flush; /* its INSERT ... SELECT, prepared on first flush */
};

struct rpt__queue {
  struct rpt__queue_rows t[RPT__Q_COUNT];
  char *text;
  size_t text_len, text_cap;
  size_t rows; /* of every table */
};

/* Registers the rpt_queued virtual table on the handle's connection. */
int rpt__queue_init(rpt_db *db);

/* Appends one row of table `q` (exactly as many values as it has columns,
 * in rpt_queue.c's column order). Out of memory: RPT_E_NOMEM, nothing
 * queued. A full queue is flushed after the row is in: a failure then is
 * the flush's (see rpt__queue_flush). */
int rpt__queue_add(rpt_db *db, enum rpt__qtable q, const struct rpt__qin *values);

/* Writes every queued row into the open transaction and empties the queue.
 * Nothing queued: RPT_OK at once. If SQLite refuses a flush the queued rows
 * have their sequence numbers already, so the transaction is rolled back
 * and the handle writes no more (db->broken), as after a failed commit. */
int rpt__queue_flush(rpt_db *db);

/* Drops every queued row (the transaction they were for is gone). */
void rpt__queue_clear(rpt_db *db);

/* Frees the queue and finalizes its statements; the handle is closing. */
void rpt__queue_free(rpt_db *db);

#endif
