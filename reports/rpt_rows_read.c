/* rpt_rows_read.c: the readers of rpt_rows.h: walks over a run's HCN calls,
 * probes, hops, truth tables and cells, faults and snapshots.
 *
 * Each walk (rpt__walk, rpt_read.c) reads from one snapshot (a read
 * transaction, or the writer's own), checks that the run exists, and hands
 * the rows to the callback in seq order (hops and cells by parent, then
 * idx). A column that may be NULL
 * arrives as a NULL pointer; every other string is never NULL. As in
 * rpt_read.c, strings point into SQLite's row and are valid during the
 * callback only. */
#include "rpt_rows.h"
#include <inttypes.h>
#include <stddef.h>
#include "rpt_db_int.h"

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

/* --- HCN calls ------------------------------------------------------------------ */

static int decode_hcn_call(rpt_db *db, sqlite3_stmt *st, rpt__any_fn fn, void *arg) {
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
              decode_hcn_call, (rpt__any_fn)fn, arg);
}

/* --- probes and hops ---------------------------------------------------------------- */

static int decode_probe(rpt_db *db, sqlite3_stmt *st, rpt__any_fn fn, void *arg) {
  (void)db;
  rpt_probe r;
  r.seq = i64(st, 0);
  r.sim_time_ns = i64(st, 1);
  r.from = text(st, 2);
  r.to = text(st, 3);
  r.proto = text(st, 4);
  r.dport = sqlite3_column_int(st, 5);
  r.verdict = text(st, 6);
  r.leg = text(st, 7);
  r.reason = text(st, 8);
  r.sent = text_or_null(st, 9);
  r.received = text_or_null(st, 10);
  r.reply = text_or_null(st, 11);
  r.finished_ns = i64(st, 12);
  r.origin = text(st, 13);
  return ((rpt_probe_fn)fn)(arg, &r);
}

int rpt_probe_foreach(rpt_db *db, int64_t run_id, rpt_probe_fn fn, void *arg) {
  return rpt__walk(db, "rpt_probe_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_PROBES,
              "SELECT seq, sim_time_ns, from_name, to_name, proto, dport, verdict, leg, reason, sent,"
              " received, reply, finished_ns, origin FROM probes WHERE run_id = ?1 ORDER BY seq",
              decode_probe, (rpt__any_fn)fn, arg);
}

static int decode_hop(rpt_db *db, sqlite3_stmt *st, rpt__any_fn fn, void *arg) {
  (void)db;
  rpt_hop r;
  r.probe_seq = i64(st, 0);
  r.idx = i64(st, 1);
  r.sim_time_ns = i64(st, 2);
  r.leg = text(st, 3);
  r.host = text(st, 4);
  r.compartment = text(st, 5);
  r.port = text(st, 6);
  r.stage = text(st, 7);
  r.rule = text(st, 8);
  r.reason = text(st, 9);
  r.verdict = text(st, 10);
  r.before = text(st, 11);
  r.after = text(st, 12);
  return ((rpt_hop_fn)fn)(arg, &r);
}

#define HOP_COLUMNS                                                                       \
  "SELECT probe_seq, idx, sim_time_ns, leg, host, compartment, port, stage, rule, reason," \
  " verdict, flow_before, flow_after FROM probe_hops"

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
                HOP_COLUMNS " WHERE run_id = ?1 ORDER BY probe_seq, idx", decode_hop, (rpt__any_fn)fn, arg);
  struct rpt__bind b = {'I', probe_seq, NULL};
  return rpt__walk(db, "rpt_hop_foreach", run_id, b, RPT__ST_READ_HOPS,
              HOP_COLUMNS " WHERE run_id = ?1 AND probe_seq = ?2 ORDER BY idx", decode_hop, (rpt__any_fn)fn,
              arg);
}

/* --- truth tables and cells ------------------------------------------------------------ */

static int decode_truth_table(rpt_db *db, sqlite3_stmt *st, rpt__any_fn fn, void *arg) {
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
              decode_truth_table, (rpt__any_fn)fn, arg);
}

static int decode_truth_cell(rpt_db *db, sqlite3_stmt *st, rpt__any_fn fn, void *arg) {
  (void)db;
  rpt_truth_cell r;
  r.table_seq = i64(st, 0);
  r.idx = i64(st, 1);
  r.row = text(st, 2);
  r.col = text(st, 3);
  r.proto = text(st, 4);
  r.dport = sqlite3_column_int(st, 5);
  r.expected = text(st, 6);
  r.actual = text(st, 7);
  r.outcome = text(st, 8);
  r.probe_seq = i64(st, 9);
  return ((rpt_truth_cell_fn)fn)(arg, &r);
}

#define CELL_COLUMNS                                                                            \
  "SELECT table_seq, idx, row_name, col_name, proto, dport, expected, actual, outcome, probe_seq" \
  " FROM truth_cells"

int rpt_truth_cell_foreach(rpt_db *db, int64_t run_id, int64_t table_seq, rpt_truth_cell_fn fn,
                           void *arg) {
  int status = check_parent(db, "rpt_truth_cell_foreach", "table_seq", table_seq);
  if (status != RPT_OK) return status;
  if (table_seq == 0)
    return rpt__walk(db, "rpt_truth_cell_foreach", run_id, RPT__NO_BIND, RPT__ST_READ_TRUTH_CELLS_ALL,
                CELL_COLUMNS " WHERE run_id = ?1 ORDER BY table_seq, idx", decode_truth_cell,
                (rpt__any_fn)fn, arg);
  struct rpt__bind b = {'I', table_seq, NULL};
  return rpt__walk(db, "rpt_truth_cell_foreach", run_id, b, RPT__ST_READ_TRUTH_CELLS,
              CELL_COLUMNS " WHERE run_id = ?1 AND table_seq = ?2 ORDER BY idx", decode_truth_cell,
              (rpt__any_fn)fn, arg);
}

/* --- faults and snapshots ------------------------------------------------------------------ */

static int decode_fault(rpt_db *db, sqlite3_stmt *st, rpt__any_fn fn, void *arg) {
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
              decode_fault, (rpt__any_fn)fn, arg);
}

static int decode_snapshot(rpt_db *db, sqlite3_stmt *st, rpt__any_fn fn, void *arg) {
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
                SNAPSHOT_COLUMNS " WHERE run_id = ?1 ORDER BY seq", decode_snapshot, (rpt__any_fn)fn, arg);
  struct rpt__bind b = {'T', 0, label};
  return rpt__walk(db, "rpt_snapshot_foreach", run_id, b, RPT__ST_READ_SNAPSHOTS_LABEL,
              SNAPSHOT_COLUMNS " WHERE run_id = ?1 AND label = ?2 ORDER BY seq", decode_snapshot,
              (rpt__any_fn)fn, arg);
}
