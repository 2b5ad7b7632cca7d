/* rpt_queue.c: the writer's queue of rows (rpt_queue.h): the queued tables'
 * columns, the copies of the rows' values, the rpt_queued virtual table
 * that hands them to SQLite, and the flush. */
#include "rpt_queue.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_db_int.h"

/* Each queued table: its name and its columns, in the order a writer hands
 * its values to rpt__queue_add. */
static const struct qtable {
  const char *name;
  int ncols;
  const char *cols;
} k_tables[RPT__Q_COUNT] = {
    [RPT__Q_STRINGS] = {"strings", 3, "run_id, id, text"},
    [RPT__Q_LOG] = {"log", 6, "run_id, seq, sim_time_ns, level, source, message"},
    [RPT__Q_EXPECTATIONS] = {"expectations", 6, "run_id, seq, sim_time_ns, name, passed, detail"},
    [RPT__Q_METRICS] = {"metrics", 5, "run_id, seq, sim_time_ns, name, value"},
    [RPT__Q_HCN_CALLS] = {"hcn_calls", 17,
                          "run_id, seq, sim_time_ns, host, op, object_type, object_id, method, path,"
                          " request, response, hresult, error_record, detail, cost_ns, fault_id, origin"},
    [RPT__Q_PROBES] = {"probe_rows", 15,
                       "run_id, seq, sim_time_ns, from_name, to_name, proto, dport, verdict, leg, reason,"
                       " sent, received, reply, finished_ns, origin"},
    [RPT__Q_HOPS] = {"hop_rows", 14,
                     "run_id, probe_seq, idx, sim_time_ns, leg, host, compartment, port, stage, rule,"
                     " reason, verdict, flow_before, flow_after"},
    [RPT__Q_TRUTH_TABLES] = {"truth_tables", 7, "run_id, seq, sim_time_ns, name, origin, n_rows, n_cols"},
    [RPT__Q_CELLS] = {"cell_rows", 11,
                      "run_id, table_seq, idx, row_name, col_name, proto, dport, expected, actual,"
                      " outcome, probe_seq"},
    [RPT__Q_FAULTS] = {"faults", 8, "run_id, seq, sim_time_ns, host, kind, target, detail, origin"},
    [RPT__Q_SNAPSHOTS] = {"snapshots", 6, "run_id, seq, sim_time_ns, host, label, document"},
};

/* --- the rpt_queued virtual table ------------------------------------------
 * Eponymous only (no CREATE VIRTUAL TABLE): columns c0 .. c16 and the hidden
 * column `queue`, which a query must pin with `queue = <enum rpt__qtable>`.
 * It reads the handle's queue as it is; nothing is queued during a flush. */

#define QUEUE_COLUMN RPT__QUEUE_MAX_COLS

struct qvtab {
  sqlite3_vtab base;
  rpt_db *db;
};

struct qcursor {
  sqlite3_vtab_cursor base;
  const struct rpt__queue_rows *rows;
  int ncols;
  size_t row;
};

static int q_connect(sqlite3 *sql, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                     char **err) {
  (void)argc;
  (void)argv;
  (void)err;
  int rc = sqlite3_declare_vtab(sql, "CREATE TABLE x(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11,"
                                     " c12, c13, c14, c15, c16, queue HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  struct qvtab *v = sqlite3_malloc(sizeof *v);
  if (!v) return SQLITE_NOMEM;
  memset(v, 0, sizeof *v);
  v->db = aux;
  *out = &v->base;
  return SQLITE_OK;
}

static int q_disconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static int q_best_index(sqlite3_vtab *v, sqlite3_index_info *info) {
  (void)v;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->iColumn == QUEUE_COLUMN && c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->usable) {
      info->aConstraintUsage[i].argvIndex = 1;
      info->aConstraintUsage[i].omit = 1;
      info->estimatedCost = 1;
      return SQLITE_OK;
    }
  }
  return SQLITE_CONSTRAINT; /* only ever read one queue at a time */
}

static int q_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out) {
  (void)v;
  struct qcursor *c = sqlite3_malloc(sizeof *c);
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static int q_close(sqlite3_vtab_cursor *c) {
  sqlite3_free(c);
  return SQLITE_OK;
}

static int q_filter(sqlite3_vtab_cursor *cur, int idx_num, const char *idx_str, int argc,
                    sqlite3_value **argv) {
  (void)idx_num;
  (void)idx_str;
  struct qcursor *c = (struct qcursor *)cur;
  rpt_db *db = ((struct qvtab *)cur->pVtab)->db;
  sqlite3_int64 q = argc == 1 ? sqlite3_value_int64(argv[0]) : -1;
  c->rows = NULL;
  c->row = 0;
  if (q < 0 || q >= RPT__Q_COUNT) return SQLITE_OK; /* no such queue: no rows */
  c->rows = &db->queue.t[q];
  c->ncols = k_tables[q].ncols;
  return SQLITE_OK;
}

static int q_next(sqlite3_vtab_cursor *cur) {
  ((struct qcursor *)cur)->row++;
  return SQLITE_OK;
}

static int q_eof(sqlite3_vtab_cursor *cur) {
  const struct qcursor *c = (const struct qcursor *)cur;
  return !c->rows || c->row >= c->rows->rows;
}

static int q_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  const struct qcursor *c = (const struct qcursor *)cur;
  if (col >= c->ncols) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  const struct rpt__qval *v = &c->rows->vals[c->row * (size_t)c->ncols + (size_t)col];
  rpt_db *db = ((struct qvtab *)cur->pVtab)->db;
  switch (v->type) {
  case SQLITE_INTEGER: sqlite3_result_int64(ctx, v->i); break;
  case SQLITE_FLOAT: sqlite3_result_double(ctx, v->d); break;
  case SQLITE_TEXT: sqlite3_result_text(ctx, db->queue.text + v->off, v->len, SQLITE_STATIC); break;
  default: sqlite3_result_null(ctx); break;
  }
  return SQLITE_OK;
}

static int q_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out) {
  *out = (sqlite3_int64)((const struct qcursor *)cur)->row;
  return SQLITE_OK;
}

static const sqlite3_module k_module = {
    .iVersion = 1,
    .xCreate = NULL, /* eponymous only */
    .xConnect = q_connect,
    .xBestIndex = q_best_index,
    .xDisconnect = q_disconnect,
    .xOpen = q_open,
    .xClose = q_close,
    .xFilter = q_filter,
    .xNext = q_next,
    .xEof = q_eof,
    .xColumn = q_column,
    .xRowid = q_rowid,
};

int rpt__queue_init(rpt_db *db) {
  int rc = sqlite3_create_module_v2(db->sql, "rpt_queued", &k_module, db, NULL);
  return rc == SQLITE_OK ? RPT_OK : rpt__sqlerr(db, rc, "registering the writer's queue");
}

/* --- queueing ------------------------------------------------------------------ */

/* Grows *buf (of *cap elements of `size` bytes) to hold `need`. */
static int grow(void **buf, size_t *cap, size_t need, size_t size, size_t first) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap : first;
  while (n < need) n *= 2;
  void *p = realloc(*buf, n * size);
  if (!p) return 0;
  *buf = p;
  *cap = n;
  return 1;
}

int rpt__queue_add(rpt_db *db, enum rpt__qtable q, const struct rpt__qin *values) {
  struct rpt__queue *qu = &db->queue;
  struct rpt__queue_rows *t = &qu->t[q];
  size_t ncols = (size_t)k_tables[q].ncols, text = 0;
  for (size_t c = 0; c < ncols; c++)
    if (values[c].type == SQLITE_TEXT && values[c].s) text += strlen(values[c].s);
  if (text > (size_t)INT32_MAX)
    return rpt__err(db, RPT_E_INVAL, "a row of %s with %zu bytes of text is too long (at most 2 GiB)",
                    k_tables[q].name, text);
  /* Room first, so that a failure leaves the queue as it was. */
  if (!grow((void **)&t->vals, &t->cap, (t->rows + 1) * ncols, sizeof *t->vals, 64 * ncols) ||
      !grow((void **)&qu->text, &qu->text_cap, qu->text_len + text, 1, 1u << 16))
    return rpt__err(db, RPT_E_NOMEM, "out of memory queueing a row of %s", k_tables[q].name);
  struct rpt__qval *row = &t->vals[t->rows * ncols];
  for (size_t c = 0; c < ncols; c++) {
    const struct rpt__qin *in = &values[c];
    struct rpt__qval *v = &row[c];
    memset(v, 0, sizeof *v);
    v->type = in->type == SQLITE_TEXT && !in->s ? SQLITE_NULL : in->type;
    if (v->type == SQLITE_INTEGER) v->i = in->i;
    else if (v->type == SQLITE_FLOAT) v->d = in->d;
    else if (v->type == SQLITE_TEXT) {
      size_t len = strlen(in->s);
      memcpy(qu->text + qu->text_len, in->s, len);
      v->off = qu->text_len;
      v->len = (int)len;
      qu->text_len += len;
    }
  }
  t->rows++;
  qu->rows++;
  db->pending++;
  if (qu->rows >= RPT__QUEUE_ROWS || qu->text_len >= RPT__QUEUE_TEXT) return rpt__queue_flush(db);
  return RPT_OK;
}

/* --- flushing ------------------------------------------------------------------- */

static int flush_table(rpt_db *db, enum rpt__qtable q) {
  struct rpt__queue_rows *t = &db->queue.t[q];
  if (!t->flush) {
    char sql[640], sel[160];
    size_t n = 0;
    for (int c = 0; c < k_tables[q].ncols; c++)
      n += (size_t)snprintf(sel + n, sizeof sel - n, "%sc%d", c ? ", " : "", c);
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s) SELECT %s FROM rpt_queued WHERE queue = %d",
             k_tables[q].name, k_tables[q].cols, sel, (int)q);
    int rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &t->flush, NULL);
    if (rc != SQLITE_OK) return rpt__sqlerr(db, rc, "preparing the writer's queue");
  }
  int rc = sqlite3_step(t->flush);
  sqlite3_reset(t->flush);
  if (rc == SQLITE_DONE) return RPT_OK;
  char what[96];
  snprintf(what, sizeof what, "writing %zu queued rows of %s", t->rows, k_tables[q].name);
  return rpt__sqlerr(db, rc, what);
}

int rpt__queue_flush(rpt_db *db) {
  if (db->queue.rows == 0) return RPT_OK;
  if (!db->in_txn) { /* cannot happen: rows are queued inside it (rpt__batch_begin first) */
    rpt__queue_clear(db);
    db->broken = 1;
    return rpt__err(db, RPT_E_STATE, "rows were queued outside the writer's transaction; they are dropped");
  }
  int status = RPT_OK;
  for (int q = 0; q < RPT__Q_COUNT && status == RPT_OK; q++)
    if (db->queue.t[q].rows) status = flush_table(db, (enum rpt__qtable)q);
  if (status != RPT_OK) {
    rpt__batch_abandon(db); /* nothing more to do if rpt__sqlerr has done it */
    return status;
  }
  rpt__queue_clear(db);
  return RPT_OK;
}

void rpt__queue_clear(rpt_db *db) {
  for (int q = 0; q < RPT__Q_COUNT; q++) db->queue.t[q].rows = 0;
  db->queue.rows = 0;
  db->queue.text_len = 0;
}

void rpt__queue_free(rpt_db *db) {
  for (int q = 0; q < RPT__Q_COUNT; q++) {
    sqlite3_finalize(db->queue.t[q].flush);
    free(db->queue.t[q].vals);
  }
  free(db->queue.text);
  memset(&db->queue, 0, sizeof db->queue);
}
