/* rpt_rows_write.c: the writers of rpt_rows.h: HCN calls, probes and their
 * hops, truth tables and their cells, faults, snapshots.
 *
 * Owns the checks every such row passes before anything is written (the
 * schema's CHECKs in rpt_schema.c repeat them, so the file holds other
 * writers to the same rules) and the numbering of hops and cells within
 * their probe or table. Rows join the writer's queue (rpt_queue.h) and
 * transaction exactly as rpt_write.c's do; a hop's or a cell's strings go
 * into the run's strings table, each once (rpt_intern.h), and the row holds
 * their ids.
 *
 * Invariant: a call that returns an error has written no row and has not
 * moved any sequence number or cursor, so the next good row takes the
 * number the refused one would have had. (A string it had already queued
 * for its row may stay: no row names it, so no reader sees it.) */
#include "rpt_rows.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "rpt_db_int.h"

/* --- checks ---------------------------------------------------------------- */

enum text_rule { ANY_TEXT, NOT_EMPTY };

static int check_text(rpt_db *db, const char *fn, const char *field, const char *value,
                      enum text_rule rule) {
  if (!value) return rpt__err(db, RPT_E_INVAL, "%s: %s is NULL", fn, field);
  if (rule == NOT_EMPTY && !*value) return rpt__err(db, RPT_E_INVAL, "%s: %s is empty", fn, field);
  return RPT_OK;
}

static int check_time(rpt_db *db, const char *fn, const char *field, int64_t v) {
  if (v < 0) return rpt__err(db, RPT_E_INVAL, "%s: %s %" PRId64 " is negative", fn, field, v);
  return RPT_OK;
}

static int check_port(rpt_db *db, const char *fn, const char *field, int port) {
  if (port < 0 || port > 65535)
    return rpt__err(db, RPT_E_INVAL, "%s: %s %d is not a port (0 .. 65535)", fn, field, port);
  return RPT_OK;
}

/* `value` must be one of the NULL-terminated `names`. */
static int check_in(rpt_db *db, const char *fn, const char *field, const char *value,
                    const char *const *names) {
  int status = check_text(db, fn, field, value, NOT_EMPTY);
  if (status != RPT_OK) return status;
  char list[128] = "";
  size_t len = 0;
  for (const char *const *n = names; *n; n++) {
    if (strcmp(*n, value) == 0) return RPT_OK;
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", n == names ? "" : ", ", *n);
    if (len >= sizeof list) len = sizeof list - 1;
  }
  return rpt__err(db, RPT_E_INVAL, "%s: %s '%s' is not one of %s", fn, field, value, list);
}

static const char *const k_ops[] = {"create", "modify", "query", "delete", "enumerate", "hnscall", NULL};
static const char *const k_legs[] = {"request", "reply", NULL};
static const char *const k_outcomes[] = {"correct", "wrong", "unexpected_pass", "ignored", NULL};

/* `seq` must name a row already written to table `t` of the run: 1 .. next-1
 * (or 0 when `zero_ok`). */
static int check_ref(rpt_db *db, const char *fn, const char *field, int64_t seq, int zero_ok,
                     const struct rpt__open_run *run, enum rpt__table t, const char *what) {
  int64_t last = run->next_seq[t] - 1;
  if ((seq == 0 && zero_ok) || (seq >= 1 && seq <= last)) return RPT_OK;
  if (last == 0)
    return rpt__err(db, RPT_E_INVAL, "%s: %s %" PRId64 " names no %s of run %" PRId64
                    " (none written yet)", fn, field, seq, what, run->id);
  return rpt__err(db, RPT_E_INVAL, "%s: %s %" PRId64 " names no %s of run %" PRId64
                  " (written: 1 .. %" PRId64 "%s)", fn, field, seq, what, run->id, last,
                  zero_ok ? ", or 0 for none" : "");
}

/* --- writing ----------------------------------------------------------------- */

static int open_run(rpt_db *db, const char *fn, int64_t run_id, struct rpt__open_run **out) {
  for (size_t i = 0; i < db->n_runs; i++)
    if (db->runs[i].id == run_id) {
      *out = &db->runs[i];
      return RPT_OK;
    }
  return rpt__err(db, RPT_E_STATE,
                  "%s: run %" PRId64 " is not open for writing on this handle "
                  "(not begun here, or already finished)",
                  fn, run_id);
}

/* Queues a row of table `q` (values 0 .. n-1, the run first) in the open
 * transaction, and moves `*counter` (a seq or a cursor) on once it is in. */
static int queue_row(rpt_db *db, enum rpt__qtable q, const struct rpt__qin *values, int64_t *counter) {
  int status = rpt__batch_begin(db);
  if (status == RPT_OK) status = rpt__queue_add(db, q, values);
  if (status == RPT_OK) ++*counter;
  return status;
}

/* The idx the next child row of `parent` gets (hops of a probe, cells of a
 * table): from the run's cursor when `parent` is the one written last, 1
 * when no parent this far has had a child yet, else one past the highest
 * idx the database holds for it (inside the transaction, with the queue
 * flushed, so rows not yet committed count). */
static int next_idx(rpt_db *db, enum rpt__stmt_id which, const char *sql, int64_t run_id,
                    int64_t parent, int64_t *cur_parent, int64_t *cur_next, int64_t *max_parent) {
  if (*cur_parent == parent) return RPT_OK;
  if (parent > *max_parent) {
    *cur_parent = *max_parent = parent;
    *cur_next = 1;
    return RPT_OK;
  }
  sqlite3_stmt *st;
  int status = rpt__queue_flush(db);
  if (status == RPT_OK) status = rpt__stmt(db, which, sql, &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_int64(st, 1, run_id);
  sqlite3_bind_int64(st, 2, parent);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *cur_parent = parent;
    *cur_next = sqlite3_column_int64(st, 0);
  } else {
    status = rpt__sqlerr(db, rc, "numbering a row within its parent");
  }
  rpt__stmt_done(st);
  return status;
}

/* Where the text columns of each kind of row start among the intern
 * table's columns (rpt_intern.h). */
enum intern_columns { PROBE_TEXTS = 0, HOP_TEXTS = 10, CELL_TEXTS = 20 };

/* The ids of a probe's, a hop's or a cell's `n` strings (into ids[0 ..
 * n-1]): a string the run has not named yet is queued into its strings
 * table first. A NULL string has no id (SQL NULL). */
static int intern_texts(rpt_db *db, struct rpt__open_run *run, enum intern_columns first,
                        const char *const *texts, size_t n, struct rpt__qin *ids) {
  for (size_t i = 0; i < n; i++) {
    if (!texts[i]) {
      ids[i] = (struct rpt__qin){SQLITE_NULL, 0, 0, NULL};
      continue;
    }
    int is_new;
    unsigned column = (unsigned)first + (unsigned)i;
    int64_t id = rpt__intern_find(&run->strings, texts[i], column, &is_new);
    if (is_new) {
      const struct rpt__qin v[] = {RPT__QI(run->id), RPT__QI(id), RPT__QT(texts[i])};
      int status = rpt__queue_add(db, RPT__Q_STRINGS, v);
      if (status != RPT_OK) return status;
      /* Out of memory here only means the string is written again when met
       * again (rpt_intern.h). */
      (void)rpt__intern_keep(&run->strings, texts[i], column);
    }
    ids[i] = RPT__QI(id);
  }
  return RPT_OK;
}

/* Writes *out_seq when the caller asked for it. */
static int give_seq(int status, int64_t seq, int64_t *out_seq) {
  if (status == RPT_OK && out_seq) *out_seq = seq;
  return status;
}

/* --- the rows ------------------------------------------------------------------ */

int rpt_hcn_call_add(rpt_db *db, int64_t run_id, const rpt_hcn_call *c, int64_t *out_seq) {
  static const char fn[] = "rpt_hcn_call_add";
  struct rpt__open_run *run = NULL;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!c) return rpt__err(db, RPT_E_INVAL, "%s: call is NULL", fn);
  if ((status = check_time(db, fn, "call.sim_time_ns", c->sim_time_ns)) != RPT_OK ||
      (status = check_text(db, fn, "call.host", c->host, NOT_EMPTY)) != RPT_OK ||
      (status = check_in(db, fn, "call.op", c->op, k_ops)) != RPT_OK ||
      (status = check_text(db, fn, "call.object_type", c->object_type, ANY_TEXT)) != RPT_OK ||
      (status = check_time(db, fn, "call.cost_ns", c->cost_ns)) != RPT_OK ||
      (status = check_text(db, fn, "call.origin", c->origin, ANY_TEXT)) != RPT_OK)
    return status;
  if (c->fault_id < 0)
    return rpt__err(db, RPT_E_INVAL, "%s: call.fault_id %" PRId64 " is negative", fn, c->fault_id);
  if (strcmp(c->op, "hnscall") != 0) {
    if (c->method || c->path)
      return rpt__err(db, RPT_E_INVAL, "%s: call.%s '%s' is set, but only an hnscall has one (op is '%s')",
                      fn, c->method ? "method" : "path", c->method ? c->method : c->path, c->op);
    if (!*c->object_type)
      return rpt__err(db, RPT_E_INVAL, "%s: call.object_type is empty (op '%s' acts on a type of object)",
                      fn, c->op);
  }
  if ((status = open_run(db, fn, run_id, &run)) != RPT_OK) return status;
  int64_t seq = run->next_seq[RPT__T_HCN_CALLS];
  const struct rpt__qin v[] = {RPT__QI(run_id), RPT__QI(seq), RPT__QI(c->sim_time_ns), RPT__QT(c->host),
                               RPT__QT(c->op), RPT__QT(c->object_type), RPT__QT(c->object_id),
                               RPT__QT(c->method), RPT__QT(c->path), RPT__QT(c->request),
                               RPT__QT(c->response), RPT__QI((int64_t)c->hresult), RPT__QT(c->error_record),
                               RPT__QT(c->detail), RPT__QI(c->cost_ns), RPT__QI(c->fault_id),
                               RPT__QT(c->origin)};
  return give_seq(queue_row(db, RPT__Q_HCN_CALLS, v, &run->next_seq[RPT__T_HCN_CALLS]), seq, out_seq);
}

int rpt_probe_add(rpt_db *db, int64_t run_id, const rpt_probe *p, int64_t *out_seq) {
  static const char fn[] = "rpt_probe_add";
  struct rpt__open_run *run = NULL;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!p) return rpt__err(db, RPT_E_INVAL, "%s: probe is NULL", fn);
  if ((status = check_time(db, fn, "probe.sim_time_ns", p->sim_time_ns)) != RPT_OK ||
      (status = check_text(db, fn, "probe.from", p->from, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "probe.to", p->to, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "probe.proto", p->proto, NOT_EMPTY)) != RPT_OK ||
      (status = check_port(db, fn, "probe.dport", p->dport)) != RPT_OK ||
      (status = check_text(db, fn, "probe.verdict", p->verdict, NOT_EMPTY)) != RPT_OK ||
      (status = check_in(db, fn, "probe.leg", p->leg, k_legs)) != RPT_OK ||
      (status = check_text(db, fn, "probe.reason", p->reason, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "probe.origin", p->origin, ANY_TEXT)) != RPT_OK)
    return status;
  if (p->finished_ns < p->sim_time_ns)
    return rpt__err(db, RPT_E_INVAL,
                    "%s: probe.finished_ns %" PRId64 " is before probe.sim_time_ns %" PRId64, fn,
                    p->finished_ns, p->sim_time_ns);
  if ((status = open_run(db, fn, run_id, &run)) != RPT_OK) return status;
  int64_t seq = run->next_seq[RPT__T_PROBES];
  const char *const texts[] = {p->from, p->to,   p->proto,    p->verdict, p->leg,
                               p->reason, p->sent, p->received, p->reply,   p->origin};
  struct rpt__qin ids[10];
  if ((status = rpt__batch_begin(db)) != RPT_OK ||
      (status = intern_texts(db, run, PROBE_TEXTS, texts, 10, ids)) != RPT_OK)
    return status;
  const struct rpt__qin v[] = {RPT__QI(run_id), RPT__QI(seq), RPT__QI(p->sim_time_ns), ids[0], ids[1], ids[2],
                               RPT__QI(p->dport), ids[3], ids[4], ids[5], ids[6], ids[7], ids[8],
                               RPT__QI(p->finished_ns), ids[9]};
  return give_seq(queue_row(db, RPT__Q_PROBES, v, &run->next_seq[RPT__T_PROBES]), seq, out_seq);
}

int rpt_hop_add(rpt_db *db, int64_t run_id, int64_t probe_seq, const rpt_hop *h) {
  static const char fn[] = "rpt_hop_add";
  struct rpt__open_run *run = NULL;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!h) return rpt__err(db, RPT_E_INVAL, "%s: hop is NULL", fn);
  if ((status = check_time(db, fn, "hop.sim_time_ns", h->sim_time_ns)) != RPT_OK ||
      (status = check_in(db, fn, "hop.leg", h->leg, k_legs)) != RPT_OK ||
      (status = check_text(db, fn, "hop.host", h->host, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "hop.compartment", h->compartment, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "hop.port", h->port, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "hop.stage", h->stage, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "hop.rule", h->rule, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "hop.reason", h->reason, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "hop.verdict", h->verdict, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "hop.before", h->before, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "hop.after", h->after, ANY_TEXT)) != RPT_OK ||
      (status = open_run(db, fn, run_id, &run)) != RPT_OK ||
      (status = check_ref(db, fn, "probe_seq", probe_seq, 0, run, RPT__T_PROBES, "probe")) != RPT_OK ||
      (status = rpt__batch_begin(db)) != RPT_OK ||
      (status = next_idx(db, RPT__ST_HOP_NEXT_IDX,
                         "SELECT coalesce(max(idx), 0) + 1 FROM hop_rows"
                         " WHERE run_id = ?1 AND probe_seq = ?2",
                         run_id, probe_seq, &run->hop_probe, &run->hop_next, &run->hop_probe_max)) != RPT_OK)
    return status;
  const char *const texts[] = {h->leg,  h->host, h->compartment, h->port,   h->stage,
                               h->rule, h->reason, h->verdict,  h->before, h->after};
  struct rpt__qin v[14] = {RPT__QI(run_id), RPT__QI(probe_seq), RPT__QI(run->hop_next), RPT__QI(h->sim_time_ns)};
  if ((status = intern_texts(db, run, HOP_TEXTS, texts, 10, v + 4)) != RPT_OK) return status;
  return queue_row(db, RPT__Q_HOPS, v, &run->hop_next);
}

int rpt_truth_table_add(rpt_db *db, int64_t run_id, const rpt_truth_table *t, int64_t *out_seq) {
  static const char fn[] = "rpt_truth_table_add";
  struct rpt__open_run *run = NULL;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!t) return rpt__err(db, RPT_E_INVAL, "%s: table is NULL", fn);
  if ((status = check_time(db, fn, "table.sim_time_ns", t->sim_time_ns)) != RPT_OK ||
      (status = check_text(db, fn, "table.name", t->name, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "table.origin", t->origin, ANY_TEXT)) != RPT_OK)
    return status;
  if (t->rows < 0 || t->cols < 0)
    return rpt__err(db, RPT_E_INVAL, "%s: table.%s %" PRId64 " is negative", fn,
                    t->rows < 0 ? "rows" : "cols", t->rows < 0 ? t->rows : t->cols);
  if ((status = open_run(db, fn, run_id, &run)) != RPT_OK) return status;
  int64_t seq = run->next_seq[RPT__T_TRUTH_TABLES];
  const struct rpt__qin v[] = {RPT__QI(run_id), RPT__QI(seq), RPT__QI(t->sim_time_ns), RPT__QT(t->name),
                               RPT__QT(t->origin), RPT__QI(t->rows), RPT__QI(t->cols)};
  return give_seq(queue_row(db, RPT__Q_TRUTH_TABLES, v, &run->next_seq[RPT__T_TRUTH_TABLES]), seq, out_seq);
}

int rpt_truth_cell_add(rpt_db *db, int64_t run_id, int64_t table_seq, const rpt_truth_cell *c) {
  static const char fn[] = "rpt_truth_cell_add";
  struct rpt__open_run *run = NULL;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!c) return rpt__err(db, RPT_E_INVAL, "%s: cell is NULL", fn);
  if ((status = check_text(db, fn, "cell.row", c->row, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "cell.col", c->col, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "cell.proto", c->proto, NOT_EMPTY)) != RPT_OK ||
      (status = check_port(db, fn, "cell.dport", c->dport)) != RPT_OK ||
      (status = check_text(db, fn, "cell.expected", c->expected, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "cell.actual", c->actual, NOT_EMPTY)) != RPT_OK ||
      (status = check_in(db, fn, "cell.outcome", c->outcome, k_outcomes)) != RPT_OK ||
      (status = open_run(db, fn, run_id, &run)) != RPT_OK ||
      (status = check_ref(db, fn, "table_seq", table_seq, 0, run, RPT__T_TRUTH_TABLES,
                          "truth table")) != RPT_OK ||
      (status = check_ref(db, fn, "cell.probe_seq", c->probe_seq, 1, run, RPT__T_PROBES, "probe")) !=
          RPT_OK ||
      (status = rpt__batch_begin(db)) != RPT_OK ||
      (status = next_idx(db, RPT__ST_CELL_NEXT_IDX,
                         "SELECT coalesce(max(idx), 0) + 1 FROM cell_rows"
                         " WHERE run_id = ?1 AND table_seq = ?2",
                         run_id, table_seq, &run->cell_table, &run->cell_next, &run->cell_table_max)) != RPT_OK)
    return status;
  const char *const texts[] = {c->row, c->col, c->proto, c->expected, c->actual, c->outcome};
  struct rpt__qin ids[6];
  if ((status = intern_texts(db, run, CELL_TEXTS, texts, 6, ids)) != RPT_OK) return status;
  const struct rpt__qin v[] = {RPT__QI(run_id), RPT__QI(table_seq), RPT__QI(run->cell_next), ids[0],
                               ids[1],          ids[2],             RPT__QI(c->dport),         ids[3],
                               ids[4],          ids[5],             RPT__QI(c->probe_seq)};
  return queue_row(db, RPT__Q_CELLS, v, &run->cell_next);
}

int rpt_fault_add(rpt_db *db, int64_t run_id, const rpt_fault *f, int64_t *out_seq) {
  static const char fn[] = "rpt_fault_add";
  struct rpt__open_run *run = NULL;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!f) return rpt__err(db, RPT_E_INVAL, "%s: fault is NULL", fn);
  if ((status = check_time(db, fn, "fault.sim_time_ns", f->sim_time_ns)) != RPT_OK ||
      (status = check_text(db, fn, "fault.host", f->host, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "fault.kind", f->kind, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "fault.target", f->target, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "fault.detail", f->detail, ANY_TEXT)) != RPT_OK ||
      (status = check_text(db, fn, "fault.origin", f->origin, ANY_TEXT)) != RPT_OK ||
      (status = open_run(db, fn, run_id, &run)) != RPT_OK)
    return status;
  int64_t seq = run->next_seq[RPT__T_FAULTS];
  const struct rpt__qin v[] = {RPT__QI(run_id), RPT__QI(seq), RPT__QI(f->sim_time_ns), RPT__QT(f->host),
                               RPT__QT(f->kind), RPT__QT(f->target), RPT__QT(f->detail), RPT__QT(f->origin)};
  return give_seq(queue_row(db, RPT__Q_FAULTS, v, &run->next_seq[RPT__T_FAULTS]), seq, out_seq);
}

/* RPT_OK if `doc` is JSON as SQLite's json_valid (RFC 8259, the schema's
 * CHECK) takes it; else RPT_E_INVAL naming the start of the text. */
static int check_json(rpt_db *db, const char *fn, const char *field, const char *doc) {
  sqlite3_stmt *st;
  int status = rpt__stmt(db, RPT__ST_JSON_VALID, "SELECT json_valid(?1)", &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  int valid = rc == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
  if (rc != SQLITE_ROW) status = rpt__sqlerr(db, rc, "checking a JSON document");
  rpt__stmt_done(st);
  if (status == RPT_OK && !valid)
    status = rpt__err(db, RPT_E_INVAL, "%s: %s is not valid JSON: '%.40s%s'", fn, field, doc,
                      strlen(doc) > 40 ? "..." : "");
  return status;
}

int rpt_snapshot_add(rpt_db *db, int64_t run_id, const rpt_snapshot *s, int64_t *out_seq) {
  static const char fn[] = "rpt_snapshot_add";
  struct rpt__open_run *run = NULL;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!s) return rpt__err(db, RPT_E_INVAL, "%s: snapshot is NULL", fn);
  if ((status = check_time(db, fn, "snapshot.sim_time_ns", s->sim_time_ns)) != RPT_OK ||
      (status = check_text(db, fn, "snapshot.host", s->host, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "snapshot.label", s->label, NOT_EMPTY)) != RPT_OK ||
      (status = check_text(db, fn, "snapshot.document", s->document, NOT_EMPTY)) != RPT_OK ||
      (status = open_run(db, fn, run_id, &run)) != RPT_OK ||
      (status = check_json(db, fn, "snapshot.document", s->document)) != RPT_OK)
    return status;
  int64_t seq = run->next_seq[RPT__T_SNAPSHOTS];
  const struct rpt__qin v[] = {RPT__QI(run_id), RPT__QI(seq), RPT__QI(s->sim_time_ns), RPT__QT(s->host),
                               RPT__QT(s->label), RPT__QT(s->document)};
  return give_seq(queue_row(db, RPT__Q_SNAPSHOTS, v, &run->next_seq[RPT__T_SNAPSHOTS]), seq, out_seq);
}
