/* rpt_rows_read.c: the readers of rpt_rows.h: walks over a run's HCN calls,
 * probes, hops, truth tables and cells, faults and snapshots.
 *
 * Each walk (rpt__walk, rpt_read.c) reads from one snapshot (a read
 * transaction, or the writer's own), checks that the run exists, and hands
 * the rows to the callback in seq order (hops and cells by parent, then
 * idx). A column that may be NULL
 * arrives as a NULL pointer; every other string is never NULL. As in
 * rpt_read.c, strings point into SQLite's row (or, for probes, hops and
 * cells, into the walk's copy of the row's texts, read by id from the
 * stored rows as the digest reads them: rpt_strings.h) and are valid
 * during the callback only. */
#include "rpt_rows.h"
#include <inttypes.h>
#include <stddef.h>
#include "rpt_db_int.h"
#include "rpt_strings.h"

/* A NOT NULL text column ("" should the file hold a NULL anyway). */
static const char *text(sqlite3_stmt *st, int col) {
  const unsigned char *s = sqlite3_column_text(st, col);
  return s ? (const char *)s : "";
}

/* A text column that may be NULL. */
static const char *text_or_null(sqlite3_stmt *st, int col) {
  return (const char *)sqlite3_column_text(st, col);
}

static int64_t i64(sqlite3_stmt *st, int col) { return sqlite3_column_int64(st, col); }

/* A string column of a stored row, by id: its text ("" for none in a NOT
 * NULL column, which the walk has left out already). */
static const char *id_text(const struct rpt__row_texts *t, int col) {
  const char *s = rpt__row_text(t, col, NULL);
  return s ? s : "";
}

/* --- HCN calls ------------------------------------------------------------------ */

static int decode_hcn_call(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                           void *arg) {
  (void)texts;
  (void)db;
  rpt_hcn_call r;
  r.seq = i64(st, 0);
  r.sim_time_ns = i64(st, 1);
  r.host = text(st, 2);
  r.op = text(st, 3);
  r.object_type = text(st, 4);
  r.object_id = text_or_null(st, 5);
  r.method = text_or_null(st, 6);
  r.path = text_or_null(st, 7);
  r.request = text_or_null(st, 8);
  r.response = text_or_null(st, 9);
  r.hresult = (uint32_t)i64(st, 10);
  r.error_record = text_or_null(st, 11);
  r.detail = text_or_null(st, 12);
  r.cost_ns = i64(st, 13);
  r.fault_id = i64(st, 14);
  r.origin = text(st, 15);
  return ((rpt_hcn_call_fn)fn)(arg, &r);
}

int rpt_hcn_call_foreach(rpt_db *db, int64_t run_id, rpt_hcn_call_fn fn, void *arg) {
  return rpt__walk(db, "rpt_hcn_call_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_HCN_CALLS,
              "SELECT seq, sim_time_ns, host, op, object_type, object_id, method, path, request,"
              " response, hresult, error_record, detail, cost_ns, fault_id, origin FROM hcn_calls"
              " WHERE run_id = ?1 ORDER BY seq",
              NULL, decode_hcn_call, (rpt__any_fn)fn, arg);
}

/* --- probes and hops ---------------------------------------------------------------- */

/* Which columns of the probe, hop and cell statements below are string
 * ids (rpt__strings_row's letters). */
#define PROBE_IDS "IIXXXIXXXxxxIX"

static int decode_probe(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                        void *arg) {
  (void)db;
  rpt_probe r;
  r.seq = i64(st, 0);
  r.sim_time_ns = i64(st, 1);
  r.from = id_text(texts, 2);
  r.to = id_text(texts, 3);
  r.proto = id_text(texts, 4);
  r.dport = sqlite3_column_int(st, 5);
  r.verdict = id_text(texts, 6);
  r.leg = id_text(texts, 7);
  r.reason = id_text(texts, 8);
  r.sent = rpt__row_text(texts, 9, NULL);
  r.received = rpt__row_text(texts, 10, NULL);
  r.reply = rpt__row_text(texts, 11, NULL);
  r.finished_ns = i64(st, 12);
  r.origin = id_text(texts, 13);
  return ((rpt_probe_fn)fn)(arg, &r);
}

int rpt_probe_foreach(rpt_db *db, int64_t run_id, rpt_probe_fn fn, void *arg) {
  return rpt__walk(db, "rpt_probe_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_PROBES,
              "SELECT seq, sim_time_ns, from_name, to_name, proto, dport, verdict, leg, reason, sent,"
              " received, reply, finished_ns, origin FROM probe_rows WHERE run_id = ?1 ORDER BY seq",
              PROBE_IDS, decode_probe, (rpt__any_fn)fn, arg);
}

static int decode_hop(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                      void *arg) {
  (void)db;
  rpt_hop r;
  r.probe_seq = i64(st, 0);
  r.idx = i64(st, 1);
  r.sim_time_ns = i64(st, 2);
  r.leg = id_text(texts, 3);
  r.host = id_text(texts, 4);
  r.compartment = id_text(texts, 5);
  r.port = id_text(texts, 6);
  r.stage = id_text(texts, 7);
  r.rule = id_text(texts, 8);
  r.reason = id_text(texts, 9);
  r.verdict = id_text(texts, 10);
  r.before = id_text(texts, 11);
  r.after = id_text(texts, 12);
  return ((rpt_hop_fn)fn)(arg, &r);
}

#define HOP_COLUMNS                                                                       \
  "SELECT probe_seq, idx, sim_time_ns, leg, host, compartment, port, stage, rule, reason," \
  " verdict, flow_before, flow_after FROM hop_rows"
#define HOP_IDS "IIIXXXXXXXXXX"

/* A parent seq to walk the children of: 0 (all) or a seq, never negative. */
static int check_parent(rpt_db *db, const char *name, const char *field, int64_t seq) {
  int status = rpt__enter(db);
  if (status == RPT_OK && seq < 0)
    status = rpt__err(db, RPT_E_INVAL, "%s: %s %" PRId64 " is negative (0 walks them all)", name, field, seq);
  return status;
}

int rpt_hop_foreach(rpt_db *db, int64_t run_id, int64_t probe_seq, rpt_hop_fn fn, void *arg) {
  int status = check_parent(db, "rpt_hop_foreach", "probe_seq", probe_seq);
  if (status != RPT_OK) return status;
  if (probe_seq == 0)
    return rpt__walk(db, "rpt_hop_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_HOPS_ALL,
                HOP_COLUMNS " WHERE run_id = ?1 ORDER BY probe_seq, idx", HOP_IDS, decode_hop, (rpt__any_fn)fn, arg);
  struct rpt__bind b = {'I', probe_seq, NULL};
  return rpt__walk(db, "rpt_hop_foreach", run_id, b, RPT__ST_READ_HOPS,
              HOP_COLUMNS " WHERE run_id = ?1 AND probe_seq = ?2 ORDER BY idx", HOP_IDS, decode_hop, (rpt__any_fn)fn,
              arg);
}

/* --- truth tables and cells ------------------------------------------------------------ */

static int decode_truth_table(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                              void *arg) {
  (void)texts;
  (void)db;
  rpt_truth_table r;
  r.seq = i64(st, 0);
  r.sim_time_ns = i64(st, 1);
  r.name = text(st, 2);
  r.origin = text(st, 3);
  r.rows = i64(st, 4);
  r.cols = i64(st, 5);
  return ((rpt_truth_table_fn)fn)(arg, &r);
}

int rpt_truth_table_foreach(rpt_db *db, int64_t run_id, rpt_truth_table_fn fn, void *arg) {
  return rpt__walk(db, "rpt_truth_table_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_TRUTH_TABLES,
              "SELECT seq, sim_time_ns, name, origin, n_rows, n_cols FROM truth_tables"
              " WHERE run_id = ?1 ORDER BY seq",
              NULL, decode_truth_table, (rpt__any_fn)fn, arg);
}

static int decode_truth_cell(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                             void *arg) {
  (void)db;
  rpt_truth_cell r;
  r.table_seq = i64(st, 0);
  r.idx = i64(st, 1);
  r.row = id_text(texts, 2);
  r.col = id_text(texts, 3);
  r.proto = id_text(texts, 4);
  r.dport = sqlite3_column_int(st, 5);
  r.expected = id_text(texts, 6);
  r.actual = id_text(texts, 7);
  r.outcome = id_text(texts, 8);
  r.probe_seq = i64(st, 9);
  return ((rpt_truth_cell_fn)fn)(arg, &r);
}

#define CELL_COLUMNS                                                                            \
  "SELECT table_seq, idx, row_name, col_name, proto, dport, expected, actual, outcome, probe_seq" \
  " FROM cell_rows"
#define CELL_IDS "IIXXXIXXXI"

int rpt_truth_cell_foreach(rpt_db *db, int64_t run_id, int64_t table_seq, rpt_truth_cell_fn fn,
                           void *arg) {
  int status = check_parent(db, "rpt_truth_cell_foreach", "table_seq", table_seq);
  if (status != RPT_OK) return status;
  if (table_seq == 0)
    return rpt__walk(db, "rpt_truth_cell_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_TRUTH_CELLS_ALL,
                CELL_COLUMNS " WHERE run_id = ?1 ORDER BY table_seq, idx", CELL_IDS, decode_truth_cell,
                (rpt__any_fn)fn, arg);
  struct rpt__bind b = {'I', table_seq, NULL};
  return rpt__walk(db, "rpt_truth_cell_foreach", run_id, b, RPT__ST_READ_TRUTH_CELLS,
              CELL_COLUMNS " WHERE run_id = ?1 AND table_seq = ?2 ORDER BY idx", CELL_IDS, decode_truth_cell,
              (rpt__any_fn)fn, arg);
}

/* --- faults and snapshots ------------------------------------------------------------------ */

static int decode_fault(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                        void *arg) {
  (void)texts;
  (void)db;
  rpt_fault r;
  r.seq = i64(st, 0);
  r.sim_time_ns = i64(st, 1);
  r.host = text(st, 2);
  r.kind = text(st, 3);
  r.target = text(st, 4);
  r.detail = text(st, 5);
  r.origin = text(st, 6);
  return ((rpt_fault_fn)fn)(arg, &r);
}

int rpt_fault_foreach(rpt_db *db, int64_t run_id, rpt_fault_fn fn, void *arg) {
  return rpt__walk(db, "rpt_fault_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_FAULTS,
              "SELECT seq, sim_time_ns, host, kind, target, detail, origin FROM faults"
              " WHERE run_id = ?1 ORDER BY seq",
              NULL, decode_fault, (rpt__any_fn)fn, arg);
}

static int decode_snapshot(rpt_db *db, sqlite3_stmt *st, const struct rpt__row_texts *texts, rpt__any_fn fn,
                           void *arg) {
  (void)texts;
  (void)db;
  rpt_snapshot r;
  r.seq = i64(st, 0);
  r.sim_time_ns = i64(st, 1);
  r.host = text(st, 2);
  r.label = text(st, 3);
  r.document = text(st, 4);
  return ((rpt_snapshot_fn)fn)(arg, &r);
}

#define SNAPSHOT_COLUMNS "SELECT seq, sim_time_ns, host, label, document FROM snapshots"

int rpt_snapshot_foreach(rpt_db *db, int64_t run_id, const char *label, rpt_snapshot_fn fn,
                         void *arg) {
  if (!label)
    return rpt__walk(db, "rpt_snapshot_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_SNAPSHOTS,
                SNAPSHOT_COLUMNS " WHERE run_id = ?1 ORDER BY seq", NULL, decode_snapshot, (rpt__any_fn)fn, arg);
  struct rpt__bind b = {'T', 0, label};
  return rpt__walk(db, "rpt_snapshot_foreach", run_id, b, RPT__ST_READ_SNAPSHOTS_LABEL,
              SNAPSHOT_COLUMNS " WHERE run_id = ?1 AND label = ?2 ORDER BY seq", NULL, decode_snapshot,
              (rpt__any_fn)fn, arg);
}
