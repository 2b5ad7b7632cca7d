/* rpt_json_rows.c: the detailed rows of a run in the JSON report: HCN
 * calls, probes with their hops, truth tables with their cells, faults, and
 * snapshots with their HNS state embedded as JSON (a document that does not
 * parse is kept as a string, with "document_error" saying so). Hops and
 * cells are read in one walk each (all of the run, by parent then index)
 * and attached to their parent found by seq. */
#include <stdio.h>
#include <stdlib.h>
#include "rpt_rows.h"
#include "rpt_json_int.h"

/* Parents (probes or truth tables) in seq order, for attaching children. */
struct parents {
  rpt__json *b;
  cJSON **items; /* each parent's child array */
  int64_t *seqs;
  size_t n, cap;
};

static int parent_add(struct parents *p, int64_t seq, cJSON *children) {
  if (!children) return p->b->oom = 1, RPT_E_NOMEM;
  if (p->n == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 64;
    cJSON **items = realloc(p->items, cap * sizeof *items);
    if (items) p->items = items;
    int64_t *seqs = realloc(p->seqs, cap * sizeof *seqs);
    if (seqs) p->seqs = seqs;
    if (!items || !seqs) return p->b->oom = 1, RPT_E_NOMEM;
    p->cap = cap;
  }
  p->items[p->n] = children;
  p->seqs[p->n++] = seq;
  return 0;
}

/* The child array of parent `seq`, or NULL if there is none (readers give
 * rows in seq order, so the seqs are sorted). */
static cJSON *parent_find(const struct parents *p, int64_t seq) {
  size_t lo = 0, hi = p->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->seqs[mid] < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < p->n && p->seqs[lo] == seq ? p->items[lo] : NULL;
}

static void parents_free(struct parents *p) {
  free(p->items);
  free(p->seqs);
}

static int hcn_call(void *arg, const rpt_hcn_call *r) {
  rpt__json *b = arg;
  char hr[12];
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "host", r->host);
  rpt__json_str(b, o, "op", r->op);
  rpt__json_str(b, o, "object_type", r->object_type);
  rpt__json_str(b, o, "object_id", r->object_id);
  rpt__json_str(b, o, "method", r->method);
  rpt__json_str(b, o, "path", r->path);
  rpt__json_str(b, o, "request", r->request);
  rpt__json_str(b, o, "response", r->response);
  snprintf(hr, sizeof hr, "0x%08X", (unsigned)r->hresult);
  rpt__json_str(b, o, "hresult", hr);
  rpt__json_str(b, o, "error_record", r->error_record);
  rpt__json_str(b, o, "detail", r->detail);
  rpt__json_i64(b, o, "cost_ns", r->cost_ns);
  rpt__json_i64(b, o, "fault_id", r->fault_id);
  rpt__json_str(b, o, "origin", r->origin);
  return rpt__json_status(b);
}

static int probe(void *arg, const rpt_probe *r) {
  struct parents *p = arg;
  rpt__json *b = p->b;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "from", r->from);
  rpt__json_str(b, o, "to", r->to);
  rpt__json_str(b, o, "proto", r->proto);
  rpt__json_i64(b, o, "dport", r->dport);
  rpt__json_str(b, o, "verdict", r->verdict);
  rpt__json_str(b, o, "leg", r->leg);
  rpt__json_str(b, o, "reason", r->reason);
  rpt__json_str(b, o, "sent", r->sent);
  rpt__json_str(b, o, "received", r->received);
  rpt__json_str(b, o, "reply", r->reply);
  rpt__json_i64(b, o, "finished_ns", r->finished_ns);
  rpt__json_str(b, o, "origin", r->origin);
  cJSON *hops = o ? cJSON_AddArrayToObject(o, "hops") : NULL;
  return b->oom ? RPT_E_NOMEM : parent_add(p, r->seq, hops);
}

static int hop(void *arg, const rpt_hop *r) {
  struct parents *p = arg;
  rpt__json *b = p->b;
  if (!(b->array = parent_find(p, r->probe_seq))) return 0; /* no such probe: the reader's rule says it cannot be */
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "idx", r->idx);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "leg", r->leg);
  rpt__json_str(b, o, "host", r->host);
  rpt__json_str(b, o, "compartment", r->compartment);
  rpt__json_str(b, o, "port", r->port);
  rpt__json_str(b, o, "stage", r->stage);
  rpt__json_str(b, o, "rule", r->rule);
  rpt__json_str(b, o, "reason", r->reason);
  rpt__json_str(b, o, "verdict", r->verdict);
  rpt__json_str(b, o, "before", r->before);
  rpt__json_str(b, o, "after", r->after);
  return rpt__json_status(b);
}

static int truth_table(void *arg, const rpt_truth_table *r) {
  struct parents *p = arg;
  rpt__json *b = p->b;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "name", r->name);
  rpt__json_str(b, o, "origin", r->origin);
  rpt__json_i64(b, o, "rows", r->rows);
  rpt__json_i64(b, o, "cols", r->cols);
  cJSON *cells = o ? cJSON_AddArrayToObject(o, "cells") : NULL;
  return b->oom ? RPT_E_NOMEM : parent_add(p, r->seq, cells);
}

static int truth_cell(void *arg, const rpt_truth_cell *r) {
  struct parents *p = arg;
  rpt__json *b = p->b;
  if (!(b->array = parent_find(p, r->table_seq))) return 0;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "idx", r->idx);
  rpt__json_str(b, o, "row", r->row);
  rpt__json_str(b, o, "col", r->col);
  rpt__json_str(b, o, "proto", r->proto);
  rpt__json_i64(b, o, "dport", r->dport);
  rpt__json_str(b, o, "expected", r->expected);
  rpt__json_str(b, o, "actual", r->actual);
  rpt__json_str(b, o, "outcome", r->outcome);
  rpt__json_i64(b, o, "probe_seq", r->probe_seq);
  return rpt__json_status(b);
}

static int fault(void *arg, const rpt_fault *r) {
  rpt__json *b = arg;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "host", r->host);
  rpt__json_str(b, o, "kind", r->kind);
  rpt__json_str(b, o, "target", r->target);
  rpt__json_str(b, o, "detail", r->detail);
  rpt__json_str(b, o, "origin", r->origin);
  return rpt__json_status(b);
}

static int snapshot(void *arg, const rpt_snapshot *r) {
  rpt__json *b = arg;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "host", r->host);
  rpt__json_str(b, o, "label", r->label);
  cJSON *doc = cJSON_Parse(r->document);
  if (!o) cJSON_Delete(doc);
  else if (doc) {
    if (!cJSON_AddItemToObject(o, "document", doc)) {
      cJSON_Delete(doc);
      b->oom = 1;
    }
  } else {
    rpt__json_str(b, o, "document", r->document);
    rpt__json_str(b, o, "document_error", "not valid JSON");
  }
  return rpt__json_status(b);
}

int rpt__json_detail(rpt__json *b, cJSON *run, int64_t run_id) {
  int status = RPT_OK;
  struct parents p = {b, NULL, NULL, 0, 0};
  if (rpt__json_array(b, run, "hcn_calls")) status = rpt_hcn_call_foreach(b->db, run_id, hcn_call, b);
  if (status == RPT_OK && rpt__json_array(b, run, "probes")) status = rpt_probe_foreach(b->db, run_id, probe, &p);
  if (status == RPT_OK) status = rpt_hop_foreach(b->db, run_id, 0, hop, &p);
  p.n = 0;
  if (status == RPT_OK && rpt__json_array(b, run, "truth_tables"))
    status = rpt_truth_table_foreach(b->db, run_id, truth_table, &p);
  if (status == RPT_OK) status = rpt_truth_cell_foreach(b->db, run_id, 0, truth_cell, &p);
  if (status == RPT_OK && rpt__json_array(b, run, "faults")) status = rpt_fault_foreach(b->db, run_id, fault, b);
  if (status == RPT_OK && rpt__json_array(b, run, "snapshots"))
    status = rpt_snapshot_foreach(b->db, run_id, NULL, snapshot, b);
  parents_free(&p);
  return b->oom ? RPT_E_NOMEM : status;
}
