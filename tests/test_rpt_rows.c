/* test_rpt_rows.c: the detailed rows of a run (reports/rpt_rows.h): every
 * table written and read back field by field (NULLs stay NULL), seq
 * numbering per run and per table and idx numbering per probe and per
 * truth table, every argument the writers refuse (the message names the
 * field and the value, and nothing is written), hops and cells naming a
 * probe or table that does not exist, the schema's own CHECKs and foreign
 * keys, the rows' part in the digest (equal rows, equal digests; any field
 * changed, another digest; a golden digest computed outside hnsim from
 * docs/results-schema.md), the run_summary counts, batching, a version-2
 * file migrated with its data, a version-4 file's probes, hops and cells
 * moved to rows of string ids with their digest intact, and the digest's
 * reading of texts by id agreeing with the views'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rpt.h"
#include "rpt_db_int.h"
#include "rpt_rows.h"
#include "rpt_strings.h"

#define TEST_TMPDIR_TAG "rpt-rows"
#include "test_tmpdir.h"
#include "rpt_test_db.h"

/* Every detailed row in the file. */
static int64_t detail_rows(rpt_db *db) {
  return query_int(db->sql, "SELECT (SELECT count(*) FROM hcn_calls) + (SELECT count(*) FROM probes)"
                            " + (SELECT count(*) FROM probe_hops) + (SELECT count(*) FROM truth_tables)"
                            " + (SELECT count(*) FROM truth_cells) + (SELECT count(*) FROM faults)"
                            " + (SELECT count(*) FROM snapshots)");
}

static const rpt_run_info k_info = {"scenarios/rows.lua", 42, "ws2022", "sim", "0.1.0"};

/* --- the rows every test starts from ------------------------------------------- */

static const char k_doc[] = "{\"Networks\":[{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\"}]}";

static rpt_hcn_call full_call(void) {
  rpt_hcn_call c = {0};
  c.sim_time_ns = 1000;
  c.host = "node1";
  c.op = "create";
  c.object_type = "network";
  c.object_id = "5f0c1d52-0000-4000-8000-000000000001";
  c.request = "{\"Name\":\"cbr0\"}";
  c.response = "{\"ID\":\"5f0c1d52-0000-4000-8000-000000000001\"}";
  c.hresult = 0x80070002u;
  c.error_record = "{\"ErrorCode\":2147942402}";
  c.detail = "fault 1 decided";
  c.cost_ns = 2500000;
  c.fault_id = 1;
  c.origin = "rows.lua:12";
  return c;
}

static rpt_hcn_call bare_call(void) {
  rpt_hcn_call c = {0};
  c.sim_time_ns = 0;
  c.host = "node2";
  c.op = "hnscall";
  c.object_type = "";
  c.method = "GET";
  c.path = "/networks/";
  c.hresult = 0xFFFFFFFFu;
  c.origin = "";
  return c;
}

static rpt_probe full_probe(void) {
  rpt_probe p = {0};
  p.sim_time_ns = 5000;
  p.from = "pod-a";
  p.to = "10.244.1.11";
  p.proto = "tcp";
  p.dport = 65535;
  p.verdict = "dropped";
  p.leg = "reply";
  p.reason = "no return route";
  p.sent = "TCP 10.244.0.10:49152 -> 10.244.1.11:65535";
  p.received = "TCP 10.244.0.10:49152 -> 10.244.1.11:65535";
  p.reply = "TCP 10.244.1.11:65535 -> 10.244.0.10:49152";
  p.finished_ns = 5000;
  p.origin = "rows.lua:20";
  return p;
}

static rpt_probe bare_probe(void) {
  rpt_probe p = {0};
  p.sim_time_ns = 6000;
  p.from = "pod-b";
  p.to = "pod-c";
  p.proto = "icmp";
  p.dport = 0;
  p.verdict = "delivered";
  p.leg = "request";
  p.reason = "";
  p.finished_ns = 7000;
  p.origin = "";
  return p;
}

static rpt_hop full_hop(void) {
  rpt_hop h = {0};
  h.sim_time_ns = 5100;
  h.leg = "request";
  h.host = "node1";
  h.compartment = "pod-a";
  h.port = "ep-a";
  h.stage = "route";
  h.rule = "0.0.0.0/0";
  h.reason = "default route";
  h.verdict = "pass";
  h.before = "TCP 10.244.0.10:49152 -> 10.96.0.1:80";
  h.after = "TCP 10.244.0.10:49152 -> 10.244.1.11:8080";
  return h;
}

static rpt_truth_table full_table(void) {
  rpt_truth_table t = {0};
  t.sim_time_ns = 9000;
  t.name = "pods";
  t.origin = "rows.lua:30";
  t.rows = 2;
  t.cols = 3;
  return t;
}

static rpt_truth_cell full_cell(void) {
  rpt_truth_cell c = {0};
  c.row = "pod-a";
  c.col = "pod-b";
  c.proto = "udp";
  c.dport = 53;
  c.expected = "delivered";
  c.actual = "dropped";
  c.outcome = "wrong";
  c.probe_seq = 1;
  return c;
}

static rpt_fault full_fault(void) {
  rpt_fault f = {0};
  f.sim_time_ns = 100;
  f.host = "node1";
  f.kind = "fail";
  f.target = "create network";
  f.detail = "HcnCreateNetwork fails with 0x80070002";
  f.origin = "rows.lua:5";
  return f;
}

static rpt_snapshot full_snapshot(void) {
  rpt_snapshot s = {0};
  s.sim_time_ns = 10000;
  s.host = "node1";
  s.label = "end";
  s.document = k_doc;
  return s;
}

/* --- collecting rows as read --------------------------------------------------- */

#define MAX_ROWS 8
#define SLOT 256

/* Rows as read, each copied into fixed strings ("<NULL>" for a NULL). */
struct seen {
  int n;
  int64_t ints[MAX_ROWS][6];
  char text[MAX_ROWS][12][SLOT];
  int null[MAX_ROWS][12];
};

static void keep(struct seen *s, int col, const char *v) {
  assert_true(s->n < MAX_ROWS);
  s->null[s->n][col] = v == NULL;
  snprintf(s->text[s->n][col], SLOT, "%s", v ? v : "<NULL>");
}

static int seen_call(void *arg, const rpt_hcn_call *r) {
  struct seen *s = arg;
  const char *t[] = {r->host, r->op, r->object_type, r->object_id, r->method, r->path,
                     r->request, r->response, r->error_record, r->detail, r->origin};
  for (int i = 0; i < 11; i++) keep(s, i, t[i]);
  int64_t v[] = {r->seq, r->sim_time_ns, (int64_t)r->hresult, r->cost_ns, r->fault_id};
  memcpy(s->ints[s->n], v, sizeof v);
  /* hresult reads back as the uint32_t it was. */
  s->ints[s->n][5] = r->hresult == 0xFFFFFFFFu;
  s->n++;
  return 0;
}

static int seen_probe(void *arg, const rpt_probe *r) {
  struct seen *s = arg;
  const char *t[] = {r->from, r->to, r->proto, r->verdict, r->leg, r->reason, r->sent, r->received, r->reply, r->origin};
  for (int i = 0; i < 10; i++) keep(s, i, t[i]);
  int64_t v[] = {r->seq, r->sim_time_ns, r->dport, r->finished_ns};
  memcpy(s->ints[s->n], v, sizeof v);
  s->n++;
  return 0;
}

static int seen_hop(void *arg, const rpt_hop *r) {
  struct seen *s = arg;
  const char *t[] = {r->leg, r->host, r->compartment, r->port, r->stage, r->rule, r->reason, r->verdict, r->before, r->after};
  for (int i = 0; i < 10; i++) keep(s, i, t[i]);
  int64_t v[] = {r->probe_seq, r->idx, r->sim_time_ns};
  memcpy(s->ints[s->n], v, sizeof v);
  s->n++;
  return 0;
}

static int seen_table(void *arg, const rpt_truth_table *r) {
  struct seen *s = arg;
  keep(s, 0, r->name);
  keep(s, 1, r->origin);
  int64_t v[] = {r->seq, r->sim_time_ns, r->rows, r->cols};
  memcpy(s->ints[s->n], v, sizeof v);
  s->n++;
  return 0;
}

static int seen_cell(void *arg, const rpt_truth_cell *r) {
  struct seen *s = arg;
  const char *t[] = {r->row, r->col, r->proto, r->expected, r->actual, r->outcome};
  for (int i = 0; i < 6; i++) keep(s, i, t[i]);
  int64_t v[] = {r->table_seq, r->idx, r->dport, r->probe_seq};
  memcpy(s->ints[s->n], v, sizeof v);
  s->n++;
  return 0;
}

static int seen_fault(void *arg, const rpt_fault *r) {
  struct seen *s = arg;
  const char *t[] = {r->host, r->kind, r->target, r->detail, r->origin};
  for (int i = 0; i < 5; i++) keep(s, i, t[i]);
  int64_t v[] = {r->seq, r->sim_time_ns};
  memcpy(s->ints[s->n], v, sizeof v);
  s->n++;
  return 0;
}

static int seen_snapshot(void *arg, const rpt_snapshot *r) {
  struct seen *s = arg;
  const char *t[] = {r->host, r->label, r->document};
  for (int i = 0; i < 3; i++) keep(s, i, t[i]);
  int64_t v[] = {r->seq, r->sim_time_ns};
  memcpy(s->ints[s->n], v, sizeof v);
  s->n++;
  return 0;
}

/* --- round trip ---------------------------------------------------------------- */

static void every_table_round_trips(void **state) {
  (void)state;
  rpt_db *db = open_db("round.db");
  int64_t run, seq;
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);

  rpt_hcn_call c1 = full_call(), c2 = bare_call();
  assert_int_equal(rpt_hcn_call_add(db, run, &c1, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  assert_int_equal(rpt_hcn_call_add(db, run, &c2, NULL), RPT_OK);
  rpt_probe p1 = full_probe(), p2 = bare_probe();
  assert_int_equal(rpt_probe_add(db, run, &p1, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  assert_int_equal(rpt_probe_add(db, run, &p2, &seq), RPT_OK);
  assert_int_equal(seq, 2);
  rpt_hop h = full_hop();
  assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
  h.leg = "reply";
  h.compartment = h.port = h.stage = h.rule = h.reason = h.before = h.after = "";
  h.verdict = "deliver";
  assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
  rpt_truth_table t = full_table();
  assert_int_equal(rpt_truth_table_add(db, run, &t, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  t.name = t.origin = "";
  t.rows = t.cols = 0;
  assert_int_equal(rpt_truth_table_add(db, run, &t, &seq), RPT_OK);
  assert_int_equal(seq, 2);
  rpt_truth_cell cell = full_cell();
  assert_int_equal(rpt_truth_cell_add(db, run, 1, &cell), RPT_OK);
  cell.expected = "";
  cell.outcome = "ignored";
  cell.probe_seq = 0;
  cell.dport = 0;
  assert_int_equal(rpt_truth_cell_add(db, run, 1, &cell), RPT_OK);
  rpt_fault f = full_fault();
  assert_int_equal(rpt_fault_add(db, run, &f, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  f.host = f.target = f.detail = f.origin = "";
  f.kind = "link";
  assert_int_equal(rpt_fault_add(db, run, &f, &seq), RPT_OK);
  assert_int_equal(seq, 2);
  rpt_snapshot snap = full_snapshot();
  assert_int_equal(rpt_snapshot_add(db, run, &snap, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  snap.host = "node2";
  snap.label = "after restart";
  snap.document = "[]";
  assert_int_equal(rpt_snapshot_add(db, run, &snap, &seq), RPT_OK);
  assert_int_equal(seq, 2);

  /* Read back twice: inside the writer's open batch, and committed. */
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) assert_int_equal(rpt_run_finish(db, run, 20000, RPT_RUN_PASSED), RPT_OK);
    struct seen s = {0};
    assert_int_equal(rpt_hcn_call_foreach(db, run, seen_call, &s), RPT_OK);
    assert_int_equal(s.n, 2);
    const char *want_c1[] = {"node1", "create", "network", "5f0c1d52-0000-4000-8000-000000000001", "<NULL>", "<NULL>",
                             "{\"Name\":\"cbr0\"}", "{\"ID\":\"5f0c1d52-0000-4000-8000-000000000001\"}",
                             "{\"ErrorCode\":2147942402}", "fault 1 decided", "rows.lua:12"};
    for (int i = 0; i < 11; i++) assert_string_equal(s.text[0][i], want_c1[i]);
    assert_true(s.null[0][4] && s.null[0][5]);
    int64_t ints_c1[] = {1, 1000, 0x80070002, 2500000, 1, 0};
    assert_memory_equal(s.ints[0], ints_c1, sizeof ints_c1);
    const char *want_c2[] = {"node2", "hnscall", "", "<NULL>", "GET", "/networks/", "<NULL>", "<NULL>", "<NULL>", "<NULL>", ""};
    for (int i = 0; i < 11; i++) assert_string_equal(s.text[1][i], want_c2[i]);
    assert_true(s.null[1][3] && s.null[1][6] && s.null[1][7] && s.null[1][8] && s.null[1][9]);
    assert_false(s.null[1][2] || s.null[1][10]); /* "" stays "", not NULL */
    int64_t ints_c2[] = {2, 0, 0xFFFFFFFF, 0, 0, 1};
    assert_memory_equal(s.ints[1], ints_c2, sizeof ints_c2);

    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_probe_foreach(db, run, seen_probe, &s), RPT_OK);
    assert_int_equal(s.n, 2);
    const char *want_p1[] = {"pod-a", "10.244.1.11", "tcp", "dropped", "reply", "no return route",
                             "TCP 10.244.0.10:49152 -> 10.244.1.11:65535", "TCP 10.244.0.10:49152 -> 10.244.1.11:65535",
                             "TCP 10.244.1.11:65535 -> 10.244.0.10:49152", "rows.lua:20"};
    for (int i = 0; i < 10; i++) assert_string_equal(s.text[0][i], want_p1[i]);
    int64_t ints_p1[] = {1, 5000, 65535, 5000};
    assert_memory_equal(s.ints[0], ints_p1, sizeof ints_p1);
    const char *want_p2[] = {"pod-b", "pod-c", "icmp", "delivered", "request", "", "<NULL>", "<NULL>", "<NULL>", ""};
    for (int i = 0; i < 10; i++) assert_string_equal(s.text[1][i], want_p2[i]);
    assert_true(s.null[1][6] && s.null[1][7] && s.null[1][8]);
    int64_t ints_p2[] = {2, 6000, 0, 7000};
    assert_memory_equal(s.ints[1], ints_p2, sizeof ints_p2);

    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_hop_foreach(db, run, 0, seen_hop, &s), RPT_OK);
    assert_int_equal(s.n, 2);
    const char *want_h1[] = {"request", "node1", "pod-a", "ep-a", "route", "0.0.0.0/0", "default route", "pass",
                             "TCP 10.244.0.10:49152 -> 10.96.0.1:80", "TCP 10.244.0.10:49152 -> 10.244.1.11:8080"};
    for (int i = 0; i < 10; i++) assert_string_equal(s.text[0][i], want_h1[i]);
    int64_t ints_h1[] = {1, 1, 5100};
    assert_memory_equal(s.ints[0], ints_h1, sizeof ints_h1);
    const char *want_h2[] = {"reply", "node1", "", "", "", "", "", "deliver", "", ""};
    for (int i = 0; i < 10; i++) assert_string_equal(s.text[1][i], want_h2[i]);
    int64_t ints_h2[] = {1, 2, 5100};
    assert_memory_equal(s.ints[1], ints_h2, sizeof ints_h2);

    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_truth_table_foreach(db, run, seen_table, &s), RPT_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.text[0][0], "pods");
    assert_string_equal(s.text[0][1], "rows.lua:30");
    int64_t ints_t1[] = {1, 9000, 2, 3}, ints_t2[] = {2, 9000, 0, 0};
    assert_memory_equal(s.ints[0], ints_t1, sizeof ints_t1);
    assert_string_equal(s.text[1][0], "");
    assert_string_equal(s.text[1][1], "");
    assert_memory_equal(s.ints[1], ints_t2, sizeof ints_t2);

    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_truth_cell_foreach(db, run, 1, seen_cell, &s), RPT_OK);
    assert_int_equal(s.n, 2);
    const char *want_cell1[] = {"pod-a", "pod-b", "udp", "delivered", "dropped", "wrong"};
    for (int i = 0; i < 6; i++) assert_string_equal(s.text[0][i], want_cell1[i]);
    int64_t ints_cell1[] = {1, 1, 53, 1}, ints_cell2[] = {1, 2, 0, 0};
    assert_memory_equal(s.ints[0], ints_cell1, sizeof ints_cell1);
    assert_string_equal(s.text[1][3], "");
    assert_string_equal(s.text[1][5], "ignored");
    assert_memory_equal(s.ints[1], ints_cell2, sizeof ints_cell2);

    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_fault_foreach(db, run, seen_fault, &s), RPT_OK);
    assert_int_equal(s.n, 2);
    const char *want_f1[] = {"node1", "fail", "create network", "HcnCreateNetwork fails with 0x80070002", "rows.lua:5"};
    for (int i = 0; i < 5; i++) assert_string_equal(s.text[0][i], want_f1[i]);
    const char *want_f2[] = {"", "link", "", "", ""};
    for (int i = 0; i < 5; i++) assert_string_equal(s.text[1][i], want_f2[i]);
    assert_int_equal(s.ints[1][0], 2);
    assert_int_equal(s.ints[1][1], 100);

    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_snapshot_foreach(db, run, NULL, seen_snapshot, &s), RPT_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.text[0][0], "node1");
    assert_string_equal(s.text[0][1], "end");
    assert_string_equal(s.text[0][2], k_doc);
    assert_string_equal(s.text[1][1], "after restart");
    assert_string_equal(s.text[1][2], "[]");
    int64_t ints_s2[] = {2, 10000};
    assert_memory_equal(s.ints[1], ints_s2, sizeof ints_s2);
    /* Filtered by label. */
    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_snapshot_foreach(db, run, "after restart", seen_snapshot, &s), RPT_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.text[0][0], "node2");
    memset(&s, 0, sizeof s);
    assert_int_equal(rpt_snapshot_foreach(db, run, "none such", seen_snapshot, &s), RPT_OK);
    assert_int_equal(s.n, 0);
  }

  /* The stored digest covers the detailed rows and still verifies. */
  assert_int_equal(rpt_run_verify(db, run), RPT_OK);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* --- numbering ----------------------------------------------------------------- */

static void seq_per_run_and_table_idx_per_parent(void **state) {
  (void)state;
  rpt_db *db = open_db("seq.db");
  int64_t a, b, seq;
  assert_int_equal(rpt_run_begin(db, &k_info, &a), RPT_OK);
  assert_int_equal(rpt_run_begin(db, &k_info, &b), RPT_OK);
  rpt_probe p = full_probe();
  rpt_hcn_call c = full_call();
  rpt_fault f = full_fault();
  rpt_truth_table t = full_table();
  rpt_truth_cell cell = full_cell();
  rpt_hop h = full_hop();
  /* Each table counts on its own, per run, whatever else is written between. */
  for (int i = 1; i <= 3; i++) {
    assert_int_equal(rpt_probe_add(db, a, &p, &seq), RPT_OK);
    assert_int_equal(seq, i);
    assert_int_equal(rpt_log(db, a, 0, RPT_LOG_INFO, "s", "m"), RPT_OK);
    assert_int_equal(rpt_hcn_call_add(db, a, &c, &seq), RPT_OK);
    assert_int_equal(seq, i);
    assert_int_equal(rpt_fault_add(db, b, &f, &seq), RPT_OK);
    assert_int_equal(seq, i);
    assert_int_equal(rpt_truth_table_add(db, a, &t, &seq), RPT_OK);
    assert_int_equal(seq, i);
  }
  assert_int_equal(rpt_probe_add(db, b, &p, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  assert_int_equal(rpt_fault_add(db, a, &f, &seq), RPT_OK);
  assert_int_equal(seq, 1);

  /* Hops: idx within the probe, even when probes' hops interleave; cells
   * likewise within their table. */
  int64_t order[] = {1, 1, 2, 1, 3, 2, 2, 1};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    h.sim_time_ns = (int64_t)i;
    assert_int_equal(rpt_hop_add(db, a, order[i], &h), RPT_OK);
    cell.dport = (int)i;
    assert_int_equal(rpt_truth_cell_add(db, a, order[i], &cell), RPT_OK);
  }
  /* The other run's probe 1 has hops of its own. */
  assert_int_equal(rpt_hop_add(db, b, 1, &h), RPT_OK);
  /* Across a commit too. */
  assert_int_equal(rpt_db_flush(db), RPT_OK);
  h.sim_time_ns = 8;
  assert_int_equal(rpt_hop_add(db, a, 2, &h), RPT_OK);
  assert_int_equal(rpt_hop_add(db, a, 1, &h), RPT_OK);
  assert_int_equal(rpt_db_flush(db), RPT_OK); /* SQL on the connection sees flushed rows */

  sqlite3_stmt *st;
  assert_int_equal(sqlite3_prepare_v2(db->sql,
                                      "SELECT group_concat(probe_seq || '.' || idx || '@' || sim_time_ns, ' ') FROM"
                                      " (SELECT * FROM probe_hops WHERE run_id = ?1 ORDER BY probe_seq, idx)",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_int64(st, 1, a);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0),
                      "1.1@0 1.2@1 1.3@3 1.4@7 1.5@8 2.1@2 2.2@5 2.3@6 2.4@8 3.1@4");
  sqlite3_finalize(st);
  assert_int_equal(sqlite3_prepare_v2(db->sql,
                                      "SELECT group_concat(table_seq || '.' || idx || '@' || dport, ' ') FROM"
                                      " (SELECT * FROM truth_cells WHERE run_id = ?1 ORDER BY table_seq, idx)",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_int64(st, 1, a);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "1.1@0 1.2@1 1.3@3 1.4@7 2.1@2 2.2@5 2.3@6 3.1@4");
  sqlite3_finalize(st);
  assert_int_equal(query_int(db->sql, "SELECT idx FROM probe_hops WHERE run_id = 2"), 1);

  /* The readers walk one probe's hops (or table's cells) in idx order. */
  struct seen s = {0};
  assert_int_equal(rpt_hop_foreach(db, a, 3, seen_hop, &s), RPT_OK);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.ints[0][0], 3);
  memset(&s, 0, sizeof s);
  assert_int_equal(rpt_truth_cell_foreach(db, a, 2, seen_cell, &s), RPT_OK);
  assert_int_equal(s.n, 3);
  for (int i = 0; i < 3; i++) assert_int_equal(s.ints[i][1], i + 1);
  assert_int_equal(rpt_run_finish(db, a, 1, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(rpt_run_finish(db, b, 1, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* --- refused arguments --------------------------------------------------------- */

#define BAD(call, text)                                    \
  do {                                                     \
    assert_int_equal((call), RPT_E_INVAL);                 \
    assert_msg(db, text);                                  \
  } while (0)

static void bad_arguments_name_field_and_value(void **state) {
  (void)state;
  rpt_db *db = open_db("args.db");
  int64_t run, seq = -7;
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);

  /* HCN calls */
  rpt_hcn_call c;
  BAD(rpt_hcn_call_add(db, run, NULL, &seq), "rpt_hcn_call_add: call is NULL");
  c = full_call(), c.sim_time_ns = -3;
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "rpt_hcn_call_add: call.sim_time_ns -3 is negative");
  c = full_call(), c.host = "";
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "rpt_hcn_call_add: call.host is empty");
  c = full_call(), c.host = NULL;
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "rpt_hcn_call_add: call.host is NULL");
  c = full_call(), c.op = "frob";
  BAD(rpt_hcn_call_add(db, run, &c, &seq),
      "rpt_hcn_call_add: call.op 'frob' is not one of create, modify, query, delete, enumerate, hnscall");
  c = full_call(), c.op = NULL;
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.op is NULL");
  c = full_call(), c.object_type = NULL;
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.object_type is NULL");
  c = full_call(), c.object_type = "";
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.object_type is empty (op 'create' acts on a type of object)");
  c = full_call(), c.method = "POST";
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.method 'POST' is set, but only an hnscall has one (op is 'create')");
  c = full_call(), c.path = "/endpoints/";
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.path '/endpoints/' is set");
  c = full_call(), c.cost_ns = -1;
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.cost_ns -1 is negative");
  c = full_call(), c.fault_id = -2;
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.fault_id -2 is negative");
  c = full_call(), c.origin = NULL;
  BAD(rpt_hcn_call_add(db, run, &c, &seq), "call.origin is NULL");

  /* probes */
  rpt_probe p;
  BAD(rpt_probe_add(db, run, NULL, NULL), "rpt_probe_add: probe is NULL");
  p = full_probe(), p.sim_time_ns = -1;
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.sim_time_ns -1 is negative");
  p = full_probe(), p.from = "";
  BAD(rpt_probe_add(db, run, &p, &seq), "rpt_probe_add: probe.from is empty");
  p = full_probe(), p.to = NULL;
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.to is NULL");
  p = full_probe(), p.proto = "";
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.proto is empty");
  p = full_probe(), p.dport = 65536;
  BAD(rpt_probe_add(db, run, &p, &seq), "rpt_probe_add: probe.dport 65536 is not a port (0 .. 65535)");
  p = full_probe(), p.dport = -1;
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.dport -1 is not a port");
  p = full_probe(), p.verdict = "";
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.verdict is empty");
  p = full_probe(), p.leg = "forward";
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.leg 'forward' is not one of request, reply");
  p = full_probe(), p.leg = "";
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.leg is empty");
  p = full_probe(), p.reason = NULL;
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.reason is NULL");
  p = full_probe(), p.origin = NULL;
  BAD(rpt_probe_add(db, run, &p, &seq), "probe.origin is NULL");
  p = full_probe(), p.finished_ns = p.sim_time_ns - 1;
  BAD(rpt_probe_add(db, run, &p, &seq), "rpt_probe_add: probe.finished_ns 4999 is before probe.sim_time_ns 5000");

  /* hops: a probe must exist first */
  rpt_hop h = full_hop();
  BAD(rpt_hop_add(db, run, 1, &h), "rpt_hop_add: probe_seq 1 names no probe of run 1 (none written yet)");
  BAD(rpt_hop_add(db, run, 0, &h), "probe_seq 0 names no probe");
  BAD(rpt_hop_add(db, run, 1, NULL), "rpt_hop_add: hop is NULL");
  h.sim_time_ns = -9;
  BAD(rpt_hop_add(db, run, 1, &h), "hop.sim_time_ns -9 is negative");
  const char *hop_fields[] = {"leg", "host", "compartment", "port", "stage", "rule", "reason", "verdict", "before", "after"};
  for (int i = 0; i < 10; i++) {
    h = full_hop();
    const char **f[] = {&h.leg, &h.host, &h.compartment, &h.port, &h.stage, &h.rule, &h.reason, &h.verdict, &h.before, &h.after};
    char want[64];
    *f[i] = NULL;
    snprintf(want, sizeof want, "rpt_hop_add: hop.%s is NULL", hop_fields[i]);
    BAD(rpt_hop_add(db, run, 1, &h), want);
  }
  h = full_hop(), h.host = "";
  BAD(rpt_hop_add(db, run, 1, &h), "hop.host is empty");
  h = full_hop(), h.verdict = "";
  BAD(rpt_hop_add(db, run, 1, &h), "hop.verdict is empty");
  h = full_hop(), h.leg = "back";
  BAD(rpt_hop_add(db, run, 1, &h), "hop.leg 'back' is not one of request, reply");

  /* truth tables and cells: a table must exist first */
  rpt_truth_table t;
  BAD(rpt_truth_table_add(db, run, NULL, &seq), "rpt_truth_table_add: table is NULL");
  t = full_table(), t.sim_time_ns = -1;
  BAD(rpt_truth_table_add(db, run, &t, &seq), "table.sim_time_ns -1 is negative");
  t = full_table(), t.name = NULL;
  BAD(rpt_truth_table_add(db, run, &t, &seq), "table.name is NULL");
  t = full_table(), t.origin = NULL;
  BAD(rpt_truth_table_add(db, run, &t, &seq), "table.origin is NULL");
  t = full_table(), t.rows = -4;
  BAD(rpt_truth_table_add(db, run, &t, &seq), "rpt_truth_table_add: table.rows -4 is negative");
  t = full_table(), t.cols = -5;
  BAD(rpt_truth_table_add(db, run, &t, &seq), "table.cols -5 is negative");
  rpt_truth_cell cell = full_cell();
  cell.probe_seq = 0;
  BAD(rpt_truth_cell_add(db, run, 1, &cell), "rpt_truth_cell_add: table_seq 1 names no truth table of run 1 (none written yet)");
  BAD(rpt_truth_cell_add(db, run, 1, NULL), "rpt_truth_cell_add: cell is NULL");
  const char *cell_fields[] = {"row", "col", "proto", "expected", "actual", "outcome"};
  for (int i = 0; i < 6; i++) {
    cell = full_cell();
    const char **f[] = {&cell.row, &cell.col, &cell.proto, &cell.expected, &cell.actual, &cell.outcome};
    char want[64];
    *f[i] = NULL;
    snprintf(want, sizeof want, "rpt_truth_cell_add: cell.%s is NULL", cell_fields[i]);
    BAD(rpt_truth_cell_add(db, run, 1, &cell), want);
    if (i == 3) continue; /* expected may be "" */
    *f[i] = "";
    snprintf(want, sizeof want, "rpt_truth_cell_add: cell.%s is empty", cell_fields[i]);
    BAD(rpt_truth_cell_add(db, run, 1, &cell), want);
  }
  cell = full_cell(), cell.dport = 70000;
  BAD(rpt_truth_cell_add(db, run, 1, &cell), "cell.dport 70000 is not a port (0 .. 65535)");
  cell = full_cell(), cell.outcome = "right";
  BAD(rpt_truth_cell_add(db, run, 1, &cell),
      "cell.outcome 'right' is not one of correct, wrong, unexpected_pass, ignored");

  /* faults */
  rpt_fault f;
  BAD(rpt_fault_add(db, run, NULL, &seq), "rpt_fault_add: fault is NULL");
  f = full_fault(), f.sim_time_ns = -1;
  BAD(rpt_fault_add(db, run, &f, &seq), "fault.sim_time_ns -1 is negative");
  f = full_fault(), f.kind = "";
  BAD(rpt_fault_add(db, run, &f, &seq), "rpt_fault_add: fault.kind is empty");
  const char *fault_fields[] = {"host", "kind", "target", "detail", "origin"};
  for (int i = 0; i < 5; i++) {
    f = full_fault();
    const char **fp[] = {&f.host, &f.kind, &f.target, &f.detail, &f.origin};
    char want[64];
    *fp[i] = NULL;
    snprintf(want, sizeof want, "rpt_fault_add: fault.%s is NULL", fault_fields[i]);
    BAD(rpt_fault_add(db, run, &f, &seq), want);
  }

  /* snapshots */
  rpt_snapshot s;
  BAD(rpt_snapshot_add(db, run, NULL, &seq), "rpt_snapshot_add: snapshot is NULL");
  s = full_snapshot(), s.sim_time_ns = -1;
  BAD(rpt_snapshot_add(db, run, &s, &seq), "snapshot.sim_time_ns -1 is negative");
  s = full_snapshot(), s.host = "";
  BAD(rpt_snapshot_add(db, run, &s, &seq), "snapshot.host is empty");
  s = full_snapshot(), s.label = NULL;
  BAD(rpt_snapshot_add(db, run, &s, &seq), "snapshot.label is NULL");
  s = full_snapshot(), s.document = "";
  BAD(rpt_snapshot_add(db, run, &s, &seq), "snapshot.document is empty");
  s = full_snapshot(), s.document = "{\"Networks\": [1, 2,]}";
  BAD(rpt_snapshot_add(db, run, &s, &seq), "rpt_snapshot_add: snapshot.document is not valid JSON: '{\"Networks\": [1, 2,]}'");
  s = full_snapshot(), s.document = "{\"a\": \"this document is long enough to be cut short in the message\"";
  BAD(rpt_snapshot_add(db, run, &s, &seq), "is not valid JSON: '{\"a\": \"this document is long enough to b...'");

  /* Nothing was written, no seq moved, out_seq untouched. */
  assert_int_equal(seq, -7);
  assert_int_equal(rpt_db_flush(db), RPT_OK);
  assert_int_equal(detail_rows(db), 0);
  p = full_probe();
  assert_int_equal(rpt_probe_add(db, run, &p, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  assert_string_equal(rpt_db_errmsg(db), "no error");

  /* A hop or cell naming a probe or table past the last one written. */
  h = full_hop();
  BAD(rpt_hop_add(db, run, 2, &h), "rpt_hop_add: probe_seq 2 names no probe of run 1 (written: 1 .. 1)");
  BAD(rpt_hop_add(db, run, -1, &h), "probe_seq -1 names no probe");
  h = full_hop();
  assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
  t = full_table();
  assert_int_equal(rpt_truth_table_add(db, run, &t, &seq), RPT_OK);
  cell = full_cell();
  BAD(rpt_truth_cell_add(db, run, 2, &cell), "table_seq 2 names no truth table of run 1 (written: 1 .. 1)");
  cell.probe_seq = 2;
  BAD(rpt_truth_cell_add(db, run, 1, &cell),
      "rpt_truth_cell_add: cell.probe_seq 2 names no probe of run 1 (written: 1 .. 1, or 0 for none)");
  cell.probe_seq = -1;
  BAD(rpt_truth_cell_add(db, run, 1, &cell), "cell.probe_seq -1 names no probe");
  cell.probe_seq = 1;
  assert_int_equal(rpt_truth_cell_add(db, run, 1, &cell), RPT_OK);
  assert_int_equal(rpt_db_flush(db), RPT_OK);
  assert_int_equal(query_int(db->sql, "SELECT idx FROM probe_hops"), 1);
  assert_int_equal(query_int(db->sql, "SELECT idx FROM truth_cells"), 1);
  assert_int_equal(detail_rows(db), 4);

  /* An HNSCall refused for lacking its method or path is recorded as made. */
  c = bare_call(), c.method = NULL, c.path = "";
  assert_int_equal(rpt_hcn_call_add(db, run, &c, &seq), RPT_OK);
  assert_int_equal(seq, 1);
  assert_int_equal(rpt_db_flush(db), RPT_OK); /* SQL on the connection sees flushed rows */
  assert_int_equal(query_int(db->sql, "SELECT method IS NULL AND path = '' FROM hcn_calls"), 1);

  /* A run this handle did not begin, or has finished: RPT_E_STATE. */
  c = full_call();
  assert_int_equal(rpt_hcn_call_add(db, run + 1, &c, NULL), RPT_E_STATE);
  assert_msg(db, "rpt_hcn_call_add: run 2 is not open for writing");
  assert_int_equal(rpt_run_finish(db, run, 1, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_E_STATE);
  s = full_snapshot();
  assert_int_equal(rpt_snapshot_add(db, run, &s, NULL), RPT_E_STATE);
  rpt_fault ff = full_fault();
  assert_int_equal(rpt_fault_add(NULL, run, &ff, NULL), RPT_E_INVAL);

  /* Readers. */
  assert_int_equal(rpt_probe_foreach(db, 99, seen_probe, NULL), RPT_E_NOTFOUND);
  assert_msg(db, "no run with id 99");
  assert_int_equal(rpt_hop_foreach(db, 99, 0, seen_hop, NULL), RPT_E_NOTFOUND);
  assert_int_equal(rpt_hop_foreach(db, run, -1, seen_hop, NULL), RPT_E_INVAL);
  assert_msg(db, "rpt_hop_foreach: probe_seq -1 is negative");
  assert_int_equal(rpt_truth_cell_foreach(db, run, -2, seen_cell, NULL), RPT_E_INVAL);
  assert_msg(db, "table_seq -2 is negative");
  assert_int_equal(rpt_fault_foreach(db, run, NULL, NULL), RPT_E_INVAL);
  assert_msg(db, "rpt_fault_foreach: fn is NULL");
  assert_int_equal(rpt_snapshot_foreach(NULL, run, NULL, seen_snapshot, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_hcn_call_foreach(db, 99, seen_call, NULL), RPT_E_NOTFOUND);
  assert_int_equal(rpt_truth_table_foreach(db, 99, seen_table, NULL), RPT_E_NOTFOUND);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* --- the schema's own checks -------------------------------------------------- */

static void schema_checks_rows_from_elsewhere(void **state) {
  (void)state;
  rpt_db *db = open_db("schema.db");
  sqlite3 *sql = db->sql;
  const char *tables[] = {"hcn_calls", "probe_rows", "hop_rows", "truth_tables", "cell_rows", "faults", "snapshots",
                          "strings"};
  for (int i = 0; i < 8; i++) {
    char q[160];
    snprintf(q, sizeof q, "SELECT strict FROM pragma_table_list WHERE name = '%s'", tables[i]);
    assert_int_equal(query_int(sql, q), 1);
  }
  assert_int_equal(query_int(sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN"
                                  " ('hcn_calls_by_host', 'snapshots_by_label')"),
                   2);
  /* Probes, hops and cells are read and written through views over rows
   * of string ids (rpt_schema.c, step 4 -> 5). */
  assert_int_equal(query_int(sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'view' AND name IN"
                                  " ('probes', 'probe_hops', 'truth_cells')"),
                   3);
  /* No CHECK of a table rows are written to at speed tests a set with
   * IN (...): SQLite builds a temporary table for it on every row
   * (rpt_schema.c, step 2 -> 3). runs keeps its own; it gets a row a run. */
  assert_int_equal(query_int(sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name <> 'runs'"
                                  " AND sql LIKE '% IN (''%'"),
                   0);
  int64_t run;
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  /* Each statement breaks exactly one rule the writer checks. */
  const char *bad[] = {
      "INSERT INTO hcn_calls VALUES (1, 1, 0, 'h', 'frob', 'network', NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, 0, '')",
      "INSERT INTO hcn_calls VALUES (1, 1, 0, 'h', 'create', 'network', NULL, NULL, NULL, NULL, NULL, 4294967296, NULL, NULL, 0, 0, '')",
      "INSERT INTO hcn_calls VALUES (1, 1, 0, 'h', 'create', 'network', NULL, NULL, NULL, NULL, NULL, -1, NULL, NULL, 0, 0, '')",
      "INSERT INTO hcn_calls VALUES (1, 1, 0, 'h', 'create', '', NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, 0, '')",
      "INSERT INTO hcn_calls VALUES (1, 1, 0, 'h', 'create', 'network', NULL, 'GET', NULL, NULL, NULL, 0, NULL, NULL, 0, 0, '')",
      "INSERT INTO probes VALUES (1, 1, 10, 'a', 'b', 'tcp', 80, 'delivered', 'request', '', NULL, NULL, NULL, 9, '')",
      "INSERT INTO probes VALUES (1, 1, 10, 'a', 'b', 'tcp', 65536, 'delivered', 'request', '', NULL, NULL, NULL, 10, '')",
      "INSERT INTO probes VALUES (1, 1, 10, 'a', 'b', 'tcp', 80, 'delivered', 'forward', '', NULL, NULL, NULL, 10, '')",
      "INSERT INTO probes VALUES (1, 1, 10, '', 'b', 'tcp', 80, 'delivered', 'request', '', NULL, NULL, NULL, 10, '')",
      "INSERT INTO probes VALUES (1, 1, 10, 'a', 'b', 'tcp', 80, 'delivered', 'request', '', NULL, NULL, NULL, 10, NULL)",
      "INSERT INTO probes VALUES (99, 1, 10, 'a', 'b', 'tcp', 80, 'delivered', 'request', '', NULL, NULL, NULL, 10, '')",
      "INSERT INTO probe_hops VALUES (1, 1, 1, 0, 'request', 'h', '', '', '', '', '', 'pass', '', '')", /* no probe 1 */
      "INSERT INTO truth_cells VALUES (1, 1, 1, 'a', 'b', 'tcp', 80, '', 'delivered', 'correct', 0)", /* no table 1 */
      "INSERT INTO truth_tables VALUES (1, 1, 0, '', '', -1, 0)",
      "INSERT INTO faults VALUES (1, 1, 0, '', '', '', '', '')",
      "INSERT INTO snapshots VALUES (1, 1, 0, 'h', 'end', '{not json')",
      "INSERT INTO snapshots VALUES (1, 1, 0, 'h', '', '{}')",
      "INSERT INTO faults VALUES (1, 1, 'soon', '', 'x', '', '', '')", /* STRICT */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = sqlite3_exec(sql, bad[i], NULL, NULL, NULL);
    if ((rc & 0xff) != SQLITE_CONSTRAINT) fail_msg("accepted (%d): %s", rc, bad[i]);
  }
  /* Good rows go in, and deleting the run deletes every one of them. */
  const char *good =
      "INSERT INTO probes VALUES (1, 1, 10, 'a', 'b', 'tcp', 80, 'delivered', 'request', '', NULL, NULL, NULL, 10, '');"
      "INSERT INTO probe_hops VALUES (1, 1, 1, 0, 'request', 'h', '', '', '', '', '', 'pass', '', '');"
      "INSERT INTO truth_tables VALUES (1, 1, 0, '', '', 1, 1);"
      "INSERT INTO truth_cells VALUES (1, 1, 1, 'a', 'b', 'tcp', 80, '', 'delivered', 'correct', 1);"
      "INSERT INTO hcn_calls VALUES (1, 1, 0, 'h', 'hnscall', '', NULL, 'GET', '/', NULL, NULL, 4294967295, NULL, NULL, 0, 0, '');"
      "INSERT INTO faults VALUES (1, 1, 0, '', 'x', '', '', '');"
      "INSERT INTO snapshots VALUES (1, 1, 0, 'h', 'end', '{}');";
  assert_int_equal(query_int(sql, "SELECT count(*) FROM strings"), 0); /* the refused rows left none */
  assert_int_equal(sqlite3_exec(sql, good, NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(detail_rows(db), 7);
  /* ... and read back through the views as they went in. */
  assert_int_equal(query_int(sql, "SELECT count(*) FROM probes WHERE from_name = 'a' AND sent IS NULL"
                                  " AND leg = 'request' AND finished_ns = 10 AND origin = ''"),
                   1);
  assert_int_equal(query_int(sql, "SELECT count(*) FROM probe_hops WHERE host = 'h' AND verdict = 'pass'"
                                  " AND flow_after = ''"),
                   1);
  assert_int_equal(query_int(sql, "SELECT count(*) FROM truth_cells WHERE row_name = 'a' AND actual = 'delivered'"
                                  " AND outcome = 'correct' AND probe_seq = 1"),
                   1);
  assert_int_equal(sqlite3_exec(sql, "DELETE FROM runs", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(detail_rows(db), 0);
  assert_int_equal(query_int(sql, "SELECT (SELECT count(*) FROM strings) + (SELECT count(*) FROM probe_rows)"
                                  " + (SELECT count(*) FROM hop_rows) + (SELECT count(*) FROM cell_rows)"),
                   0);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* --- digests ------------------------------------------------------------------- */

/* Writes the standard run, one row of every table (and a log line), with
 * change number `change` made (0: none); puts its digest in `out` and
 * returns how many changes there are. Each change alters one field of one
 * row, or adds a row. */
#define CHANGES 80

static int write_standard(rpt_db *db, int change, char out[RPT_SHA256_HEX_SIZE]) {
  int64_t run;
  int k = 0; /* counts fields: field k is altered when k == change */
#define ALT(lvalue, other) \
  do {                     \
    if (++k == change) (lvalue) = (other); \
  } while (0)
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(rpt_log(db, run, 1, RPT_LOG_INFO, "scenario", "start"), RPT_OK);
  rpt_fault f = full_fault();
  ALT(f.sim_time_ns, 101); ALT(f.host, "node9"); ALT(f.kind, "hang"); ALT(f.target, "x"); ALT(f.detail, "y");
  ALT(f.origin, "rows.lua:6");
  assert_int_equal(rpt_fault_add(db, run, &f, NULL), RPT_OK);
  rpt_hcn_call c = full_call();
  ALT(c.sim_time_ns, 1001); ALT(c.host, "node9"); ALT(c.op, "modify"); ALT(c.object_type, "endpoint");
  ALT(c.object_id, NULL); ALT(c.request, ""); ALT(c.response, NULL); ALT(c.hresult, 0);
  ALT(c.error_record, "{}"); ALT(c.detail, NULL); ALT(c.cost_ns, 0); ALT(c.fault_id, 0); ALT(c.origin, "");
  assert_int_equal(rpt_hcn_call_add(db, run, &c, NULL), RPT_OK);
  rpt_hcn_call c2 = bare_call();
  ALT(c2.method, "POST"); ALT(c2.path, "/endpoints/"); ALT(c2.object_type, "endpoint");
  assert_int_equal(rpt_hcn_call_add(db, run, &c2, NULL), RPT_OK);
  rpt_probe p = full_probe();
  ALT(p.sim_time_ns, 4999); ALT(p.from, "pod-z"); ALT(p.to, "pod-y"); ALT(p.proto, "udp"); ALT(p.dport, 1);
  ALT(p.verdict, "no route"); ALT(p.leg, "request"); ALT(p.reason, ""); ALT(p.sent, NULL); ALT(p.received, "");
  ALT(p.reply, NULL); ALT(p.finished_ns, 6000); ALT(p.origin, "");
  assert_int_equal(rpt_probe_add(db, run, &p, NULL), RPT_OK);
  rpt_hop h = full_hop();
  ALT(h.sim_time_ns, 1); ALT(h.leg, "reply"); ALT(h.host, "router"); ALT(h.compartment, ""); ALT(h.port, "");
  ALT(h.stage, "vswitch"); ALT(h.rule, ""); ALT(h.reason, "x"); ALT(h.verdict, "drop"); ALT(h.before, "");
  ALT(h.after, "");
  assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
  rpt_truth_table t = full_table();
  ALT(t.sim_time_ns, 1); ALT(t.name, ""); ALT(t.origin, "x"); ALT(t.rows, 1); ALT(t.cols, 1);
  assert_int_equal(rpt_truth_table_add(db, run, &t, NULL), RPT_OK);
  rpt_truth_cell cell = full_cell();
  ALT(cell.row, "r"); ALT(cell.col, "c"); ALT(cell.proto, "tcp"); ALT(cell.dport, 54); ALT(cell.expected, "");
  ALT(cell.actual, "delivered"); ALT(cell.outcome, "correct"); ALT(cell.probe_seq, 0);
  assert_int_equal(rpt_truth_cell_add(db, run, 1, &cell), RPT_OK);
  rpt_snapshot s = full_snapshot();
  ALT(s.sim_time_ns, 1); ALT(s.host, "node2"); ALT(s.label, "start"); ALT(s.document, "{}");
  assert_int_equal(rpt_snapshot_add(db, run, &s, NULL), RPT_OK);
  /* Rows added or left out change it too. */
  if (++k == change) assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
  if (++k == change) assert_int_equal(rpt_fault_add(db, run, &f, NULL), RPT_OK);
  if (++k == change) assert_int_equal(rpt_truth_cell_add(db, run, 1, &cell), RPT_OK);
  assert_int_equal(rpt_run_finish(db, run, 20000, RPT_RUN_PASSED), RPT_OK);
  assert_true(k < CHANGES);
  if (change > k) fail_msg("change %d is past the last field (%d)", change, k);
#undef ALT
  rpt_run_summary sum;
  assert_int_equal(rpt_run_get(db, run, &sum), RPT_OK);
  memcpy(out, sum.digest, RPT_SHA256_HEX_SIZE);
  rpt_run_summary_clear(&sum);
  assert_int_equal(rpt_run_verify(db, run), RPT_OK);
  return k;
}

static void every_field_takes_part_in_the_digest(void **state) {
  (void)state;
  char digests[CHANGES][RPT_SHA256_HEX_SIZE];
  rpt_db *a = open_db("digest-a.db");
  rpt_db *b = open_db("digest-b.db");
  char again[RPT_SHA256_HEX_SIZE];
  int n = write_standard(a, 0, digests[0]);
  assert_true(n > 50);
  write_standard(b, 0, again);
  assert_string_equal(digests[0], again); /* equal rows, equal digest, another file */
  for (int i = 1; i <= n; i++) {
    write_standard(a, i, digests[i]);
    for (int j = 0; j < i; j++)
      if (strcmp(digests[i], digests[j]) == 0) fail_msg("changes %d and %d give one digest", i, j);
  }
  assert_int_equal(rpt_db_close(a), RPT_OK);
  assert_int_equal(rpt_db_close(b), RPT_OK);
}

/* An edited detailed row is caught by rpt_run_verify. */
static void edited_rows_fail_verification(void **state) {
  (void)state;
  rpt_db *db = open_db("edit.db");
  char d[RPT_SHA256_HEX_SIZE];
  const char *edits[] = {
      "UPDATE hcn_calls SET hresult = 1 WHERE seq = 1",
      "UPDATE hcn_calls SET object_id = NULL WHERE seq = 1",
      "UPDATE probe_rows SET sent = NULL",
      "UPDATE hop_rows SET flow_after = flow_before",
      "UPDATE truth_tables SET n_cols = 9",
      "UPDATE cell_rows SET outcome = actual",
      "UPDATE strings SET text = text || 'x' WHERE id = 1",
      "UPDATE faults SET detail = 'z'",
      "UPDATE snapshots SET document = '{\"a\":1}'",
      "DELETE FROM hop_rows",
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    write_standard(db, 0, d);
    int64_t run;
    assert_int_equal(rpt_run_last(db, &run), RPT_OK);
    char q[256];
    snprintf(q, sizeof q, "%s%s run_id = %lld", edits[i], strstr(edits[i], "WHERE") ? " AND" : " WHERE", (long long)run);
    assert_int_equal(sqlite3_exec(db->sql, q, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db->sql) > 0, 1);
    assert_int_equal(rpt_run_verify(db, run), RPT_E_DIGEST);
  }
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* Computed outside hnsim (Python's hashlib and struct) from the encoding as
 * docs/results-schema.md states it; the run also has one row of each of the
 * first three tables, so the older sections keep their place. If this
 * fails, the encoding changed and every stored digest with it. */
static void golden_digest_with_detailed_rows(void **state) {
  (void)state;
  rpt_db *db = open_db("golden.db");
  rpt_run_info info = {"golden", 7, "ws2022", "sim", "0.1.0"};
  int64_t run;
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_OK);
  assert_int_equal(rpt_log(db, run, 10, RPT_LOG_INFO, "scenario", "start"), RPT_OK);
  assert_int_equal(rpt_expectation(db, run, 30, "reach", 1, NULL), RPT_OK);
  assert_int_equal(rpt_metric(db, run, 50, "rtt", 0.25), RPT_OK);
  rpt_hcn_call c = full_call(), c2 = bare_call();
  assert_int_equal(rpt_hcn_call_add(db, run, &c, NULL), RPT_OK);
  assert_int_equal(rpt_hcn_call_add(db, run, &c2, NULL), RPT_OK);
  rpt_probe p = full_probe(), p2 = bare_probe();
  assert_int_equal(rpt_probe_add(db, run, &p, NULL), RPT_OK);
  assert_int_equal(rpt_probe_add(db, run, &p2, NULL), RPT_OK);
  rpt_hop h = full_hop();
  assert_int_equal(rpt_hop_add(db, run, 2, &h), RPT_OK);
  assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
  rpt_truth_table t = full_table();
  assert_int_equal(rpt_truth_table_add(db, run, &t, NULL), RPT_OK);
  rpt_truth_cell cell = full_cell();
  assert_int_equal(rpt_truth_cell_add(db, run, 1, &cell), RPT_OK);
  /* No faults: an empty section is left out. */
  rpt_snapshot s = full_snapshot();
  assert_int_equal(rpt_snapshot_add(db, run, &s, NULL), RPT_OK);
  assert_int_equal(rpt_run_finish(db, run, 1000000, RPT_RUN_PASSED), RPT_OK);
  rpt_run_summary sum;
  assert_int_equal(rpt_run_get(db, run, &sum), RPT_OK);
  assert_string_equal(sum.digest, "6282bb8785de1c48261658c574fd0154f50cd393929116b2904378fc099ef9e3");
  rpt_run_summary_clear(&sum);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* --- summary, batching, callbacks ---------------------------------------------- */

static void summary_counts(void **state) {
  (void)state;
  rpt_db *db = open_db("summary.db");
  int64_t run, other;
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(rpt_run_begin(db, &k_info, &other), RPT_OK);
  rpt_hcn_call c = full_call();
  rpt_probe ok = bare_probe(), bad = full_probe();
  rpt_fault f = full_fault();
  rpt_snapshot s = full_snapshot();
  for (int i = 0; i < 5; i++) assert_int_equal(rpt_hcn_call_add(db, run, &c, NULL), RPT_OK);
  for (int i = 0; i < 4; i++) assert_int_equal(rpt_probe_add(db, run, i % 2 ? &bad : &ok, NULL), RPT_OK);
  bad.verdict = "timed out";
  assert_int_equal(rpt_probe_add(db, run, &bad, NULL), RPT_OK);
  for (int i = 0; i < 3; i++) assert_int_equal(rpt_fault_add(db, run, &f, NULL), RPT_OK);
  for (int i = 0; i < 2; i++) assert_int_equal(rpt_snapshot_add(db, run, &s, NULL), RPT_OK);
  assert_int_equal(rpt_probe_add(db, other, &ok, NULL), RPT_OK);
  rpt_run_summary sum;
  assert_int_equal(rpt_run_get(db, run, &sum), RPT_OK); /* while running, from the batch */
  assert_int_equal(sum.hcn_calls, 5);
  assert_int_equal(sum.probes, 5);
  assert_int_equal(sum.probes_failed, 3);
  assert_int_equal(sum.faults, 3);
  assert_int_equal(sum.snapshots, 2);
  assert_int_equal(sum.log_rows, 0);
  rpt_run_summary_clear(&sum);
  assert_int_equal(rpt_run_finish(db, run, 1, RPT_RUN_FAILED), RPT_OK);
  assert_int_equal(rpt_run_get(db, other, &sum), RPT_OK);
  assert_int_equal(sum.hcn_calls + sum.probes_failed + sum.faults + sum.snapshots, 0);
  assert_int_equal(sum.probes, 1);
  rpt_run_summary_clear(&sum);
  assert_int_equal(query_int(db->sql, "SELECT probes_failed FROM run_summary WHERE id = 1"), 3);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

static void detailed_rows_join_the_run_transaction(void **state) {
  (void)state;
  int64_t run;
  sqlite3 *peek;
  rpt_db *db = open_db_with_peek("batch.db", &k_info, &run, &peek);
  rpt_probe p = bare_probe();
  rpt_hop h = full_hop();
  int written = 0;
  /* A probe, then its hops, and a log line every so often: several of the
   * writer's queues' worth, none of it visible to another connection. */
  while (written < 3 * RPT__QUEUE_ROWS + 10) {
    int64_t probe;
    assert_int_equal(rpt_probe_add(db, run, &p, &probe), RPT_OK);
    written++;
    for (int i = 0; i < 6; i++, written++) assert_int_equal(rpt_hop_add(db, run, probe, &h), RPT_OK);
    assert_int_equal(rpt_log(db, run, 0, RPT_LOG_DEBUG, "t", "x"), RPT_OK);
    written++;
  }
  assert_int_equal(query_int(peek, "SELECT (SELECT count(*) FROM probes) + (SELECT count(*) FROM probe_hops)"
                                   " + (SELECT count(*) FROM log)"),
                   0);
  /* The writer's own handle reads every row, the queued ones too. */
  struct seen seen = {0};
  assert_int_equal(rpt_hop_foreach(db, run, 1, seen_hop, &seen), RPT_OK);
  assert_int_equal(seen.n, 6);
  assert_int_equal(rpt_run_finish(db, run, 1, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(query_int(peek, "SELECT (SELECT count(*) FROM probes) + (SELECT count(*) FROM probe_hops)"
                                   " + (SELECT count(*) FROM log)"),
                   written);
  sqlite3_close(peek);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

struct inside {
  rpt_db *db;
  int64_t run;
  int write, other_read, same_read, calls;
};

static int fault_seen(void *arg, const rpt_fault *r) {
  (void)arg;
  (void)r;
  return 0;
}

static int probe_inside(void *arg, const rpt_probe *r) {
  struct inside *in = arg;
  (void)r;
  rpt_probe p = bare_probe();
  in->calls++;
  in->write = rpt_probe_add(in->db, in->run, &p, NULL);
  in->other_read = rpt_fault_foreach(in->db, in->run, fault_seen, NULL);
  in->same_read = rpt_probe_foreach(in->db, in->run, probe_inside, arg);
  return 17;
}

static void callbacks_stop_and_may_not_write(void **state) {
  (void)state;
  struct inside in = {0};
  in.db = open_db("inside.db");
  assert_int_equal(rpt_run_begin(in.db, &k_info, &in.run), RPT_OK);
  rpt_probe p = bare_probe();
  for (int i = 0; i < 3; i++) assert_int_equal(rpt_probe_add(in.db, in.run, &p, NULL), RPT_OK);
  assert_int_equal(rpt_probe_foreach(in.db, in.run, probe_inside, &in), 17);
  assert_int_equal(in.calls, 1);
  assert_int_equal(in.write, RPT_E_STATE);
  assert_int_equal(in.other_read, RPT_OK);
  assert_int_equal(in.same_read, RPT_E_STATE);
  assert_int_equal(rpt_db_flush(in.db), RPT_OK);
  assert_int_equal(query_int(in.db->sql, "SELECT count(*) FROM probes"), 3);
  assert_int_equal(rpt_db_close(in.db), RPT_OK);
}

/* --- migration ------------------------------------------------------------------ */

static void version_2_file_migrates_with_its_data(void **state) {
  (void)state;
  /* The digest of a finished run of log rows, as schema 2 stored it. */
  char old_digest[RPT_SHA256_HEX_SIZE];
  {
    rpt_db *db = open_db("digest-source.db");
    rpt_run_info info = {"old_done", 8, "ws2022", "hcn", "0.0.1"};
    int64_t run;
    assert_int_equal(rpt_run_begin(db, &info, &run), RPT_OK);
    assert_int_equal(rpt_log(db, run, 10, RPT_LOG_INFO, "scenario", "hello"), RPT_OK);
    assert_int_equal(rpt_expectation(db, run, 30, "ping", 0, "timed out"), RPT_OK);
    assert_int_equal(rpt_run_finish(db, run, 1500, RPT_RUN_FAILED), RPT_OK);
    assert_int_equal(rpt_run_digest(db, run, old_digest), RPT_OK);
    assert_int_equal(rpt_db_close(db), RPT_OK);
  }
  char path[512];
  snprintf(path, sizeof path, "%s", db_path("v2.db"));
  sqlite3 *sql;
  assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
  assert_int_equal(rpt__db_migrate_to(sql, 2), RPT_OK);
  assert_int_equal(query_int(sql, "PRAGMA user_version"), 2);
  assert_int_equal(query_int(sql, "SELECT count(*) FROM sqlite_schema WHERE name = 'probes'"), 0);
  char rows[1024];
  snprintf(rows, sizeof rows,
           "INSERT INTO runs (id, scenario, seed, profile, backend, wall_start, hnsim_version)"
           " VALUES (1, 'old_running', 7, 'ws2019', 'sim', '2024-01-01T00:00:00.000Z', '0.0.1');"
           "INSERT INTO runs VALUES (2, 'old_done', 8, 'ws2022', 'hcn', '2024-01-01T00:00:00.000Z',"
           " '2024-01-01T00:00:01.000Z', 1500, 'failed', '0.0.1', '%s');"
           "INSERT INTO log VALUES (1, 1, 10, 'info', 'scenario', 'a'), (1, 2, 20, 'warn', 'hns', 'b'),"
           " (2, 1, 10, 'info', 'scenario', 'hello');"
           "INSERT INTO expectations VALUES (2, 1, 30, 'ping', 0, 'timed out');"
           "INSERT INTO metrics VALUES (1, 1, 40, 'rtt_ms', 0.25);",
           old_digest);
  assert_int_equal(sqlite3_exec(sql, rows, NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(query_int(sql, "SELECT count(*) FROM pragma_table_info('run_summary')"), 15);
  sqlite3_close(sql);

  rpt_db *db;
  assert_int_equal(rpt_db_open(path, &db), RPT_OK);
  assert_int_equal(query_int(db->sql, "PRAGMA user_version"), RPT__SCHEMA_LATEST);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM pragma_table_info('run_summary')"), 20);
  /* The log table was rebuilt (its level CHECK without IN), rows and all. */
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM sqlite_schema WHERE name = 'log'"
                                      " AND sql LIKE '%level = ''debug'' OR%'"),
                   1);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM sqlite_schema WHERE name = 'log_v3'"), 0);
  assert_int_equal(query_int(db->sql, "SELECT strict FROM pragma_table_list WHERE name = 'log'"), 1);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM log WHERE run_id = 1 AND seq = 2 AND level = 'warn'"
                                      " AND source = 'hns' AND message = 'b' AND sim_time_ns = 20"),
                   1);
  assert_int_equal(sqlite3_exec(db->sql, "INSERT INTO log VALUES (1, 3, 0, 'loud', 's', 'm')", NULL, NULL, NULL) & 0xff,
                   SQLITE_CONSTRAINT);
  assert_int_equal(sqlite3_exec(db->sql, "INSERT INTO log VALUES (99, 1, 0, 'info', 's', 'm')", NULL, NULL, NULL) & 0xff,
                   SQLITE_CONSTRAINT); /* the foreign key to runs came along */
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, 1, &s), RPT_OK);
  assert_string_equal(s.scenario, "old_running");
  assert_int_equal(s.state, RPT_RUN_INCOMPLETE);
  assert_int_equal(s.log_rows, 2);
  assert_int_equal(s.metric_rows, 1);
  assert_int_equal(s.hcn_calls + s.probes + s.probes_failed + s.faults + s.snapshots, 0);
  rpt_run_summary_clear(&s);
  assert_int_equal(rpt_run_get(db, 2, &s), RPT_OK);
  assert_int_equal(s.state, RPT_RUN_FAILED);
  assert_int_equal(s.expectations_failed, 1);
  assert_string_equal(s.digest, old_digest);
  rpt_run_summary_clear(&s);
  /* The digest schema 2 stored still verifies under schema 3. */
  assert_int_equal(rpt_run_verify(db, 2), RPT_OK);
  struct seen seen = {0};
  assert_int_equal(rpt_probe_foreach(db, 2, seen_probe, &seen), RPT_OK);
  assert_int_equal(seen.n, 0);

  /* New runs with detailed rows beside the old ones. */
  int64_t run;
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(run, 3);
  rpt_probe p = full_probe();
  rpt_hop h = full_hop();
  assert_int_equal(rpt_probe_add(db, run, &p, NULL), RPT_OK);
  assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
  assert_int_equal(rpt_run_finish(db, run, 1, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(rpt_run_get(db, run, &s), RPT_OK);
  assert_int_equal(s.probes, 1);
  assert_int_equal(s.probes_failed, 1);
  rpt_run_summary_clear(&s);
  assert_int_equal(rpt_db_close(db), RPT_OK);

  /* Opening again changes nothing. */
  assert_int_equal(rpt_db_open(path, &db), RPT_OK);
  assert_int_equal(query_int(db->sql, "PRAGMA user_version"), RPT__SCHEMA_LATEST);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM probe_hops"), 1);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* Copies every row of `tables` (NULL-terminated; runs first) from the file
 * at `source` into the same tables of `sql`: through the views' insert
 * triggers where a name is a view. */
static void copy_rows(sqlite3 *sql, const char *source, const char *const *tables) {
  char q[640];
  snprintf(q, sizeof q, "ATTACH '%s' AS src", source);
  assert_int_equal(sqlite3_exec(sql, q, NULL, NULL, NULL), SQLITE_OK);
  for (const char *const *t = tables; *t; t++) {
    snprintf(q, sizeof q, "INSERT INTO main.%s SELECT * FROM src.%s", *t, *t);
    assert_int_equal(sqlite3_exec(sql, q, NULL, NULL, NULL), SQLITE_OK);
  }
  assert_int_equal(sqlite3_exec(sql, "DETACH src", NULL, NULL, NULL), SQLITE_OK);
}

/* A finished run with probes (one with NULL flows), hops repeating their
 * strings, and cells, as a schema-4 file held them: the rows are copied
 * from the views of a file the writer made (their columns are the old
 * tables'). After the migration the run's stored digest still verifies,
 * which it does only if every field of every row reads back as before. */
static void version_4_file_migrates_probes_hops_and_cells(void **state) {
  (void)state;
  char source[512], path[512], digest[RPT_SHA256_HEX_SIZE];
  snprintf(source, sizeof source, "%s", db_path("v4-source.db"));
  snprintf(path, sizeof path, "%s", db_path("v4.db"));
  {
    rpt_db *db = open_db("v4-source.db");
    int64_t run;
    assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
    rpt_probe p = full_probe(), p2 = bare_probe();
    rpt_hop h = full_hop();
    rpt_truth_table t = full_table();
    rpt_truth_cell c = full_cell();
    assert_int_equal(rpt_probe_add(db, run, &p, NULL), RPT_OK);
    assert_int_equal(rpt_probe_add(db, run, &p2, NULL), RPT_OK);
    for (int i = 0; i < 3; i++) assert_int_equal(rpt_hop_add(db, run, 1, &h), RPT_OK);
    h.host = "node2";
    assert_int_equal(rpt_hop_add(db, run, 2, &h), RPT_OK);
    assert_int_equal(rpt_truth_table_add(db, run, &t, NULL), RPT_OK);
    assert_int_equal(rpt_truth_cell_add(db, run, 1, &c), RPT_OK);
    c.outcome = "correct";
    c.actual = "delivered";
    assert_int_equal(rpt_truth_cell_add(db, run, 1, &c), RPT_OK);
    assert_int_equal(rpt_run_finish(db, run, 9000, RPT_RUN_FAILED), RPT_OK);
    assert_int_equal(rpt_run_digest(db, run, digest), RPT_OK);
    assert_int_equal(rpt_db_close(db), RPT_OK);
  }
  sqlite3 *sql;
  assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
  assert_int_equal(rpt__db_migrate_to(sql, 4), RPT_OK);
  static const char *const tables[] = {"runs", "probes", "probe_hops", "truth_tables", "truth_cells", NULL};
  copy_rows(sql, source, tables);
  assert_int_equal(query_int(sql, "SELECT count(*) FROM probe_hops"), 4);
  assert_int_equal(query_int(sql, "SELECT type = 'table' FROM sqlite_schema WHERE name = 'probe_hops'"), 1);
  sqlite3_close(sql);

  rpt_db *db;
  assert_int_equal(rpt_db_open(path, &db), RPT_OK);
  assert_int_equal(query_int(db->sql, "PRAGMA user_version"), RPT__SCHEMA_LATEST);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM sqlite_schema WHERE name IN ('probes', 'probe_hops',"
                                      " 'truth_cells') AND type = 'view'"),
                   3);
  assert_int_equal(rpt_run_verify(db, 1), RPT_OK);
  /* Each distinct string once: the hops' repeats share ids. */
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM strings"),
                   query_int(db->sql, "SELECT count(DISTINCT text) FROM strings"));
  assert_int_equal(query_int(db->sql, "SELECT count(DISTINCT flow_before) FROM hop_rows"), 1);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM probe_rows WHERE seq = 2 AND sent IS NULL"
                                      " AND received IS NULL AND reply IS NULL"),
                   1);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM sqlite_schema WHERE name = 'strings_migrating'"), 0);
  struct seen seen = {0};
  assert_int_equal(rpt_probe_foreach(db, 1, seen_probe, &seen), RPT_OK);
  assert_int_equal(seen.n, 2);
  assert_string_equal(seen.text[0][6], "TCP 10.244.0.10:49152 -> 10.244.1.11:65535");
  assert_int_equal(seen.null[1][6], 1);
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, 1, &s), RPT_OK);
  assert_int_equal(s.probes, 2);
  assert_int_equal(s.probes_failed, 1);
  rpt_run_summary_clear(&s);
  /* A new run on the migrated file numbers its own strings from 1. */
  int64_t run;
  rpt_probe p = bare_probe();
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  assert_int_equal(rpt_probe_add(db, run, &p, NULL), RPT_OK);
  assert_int_equal(rpt_run_finish(db, run, 1, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(query_int(db->sql, "SELECT min(id) FROM strings WHERE run_id = 2"), 1);
  assert_int_equal(rpt_run_verify(db, 1), RPT_OK);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* Hop i of digest_reads_texts_by_id_as_the_views_do: its flow and port. */
static void big_hop_strings(int i, char flow[64], char port[32]) {
  snprintf(flow, 64, "TCP 10.244.%d.%d:%d -> 10.96.0.1:80", i / 250, i % 250, 1024 + i);
  snprintf(port, 32, "ep-%d", i);
}

/* Checks each hop read against the one written (see below); counts them. */
static int check_big_hop(void *arg, const rpt_hop *h) {
  char flow[64], port[32];
  int i = (int)h->idx - 1 + (h->probe_seq == 1 ? 17500 : 0);
  big_hop_strings(i, flow, port);
  assert_string_equal(h->before, flow);
  assert_string_equal(h->port, port);
  assert_string_equal(h->after, "TCP 10.244.0.10:49152 -> 10.244.1.11:8080");
  ++*(int *)arg;
  return 0;
}

/* The digest reads hop, probe and cell texts by id through a cache of the
 * run's strings (reports/rpt_strings.c), the views through joins. A run
 * with more distinct strings than the cache has slots, its hops written
 * out of the order they are read in, is copied into another file through
 * the views' insert triggers, which give every string a new id: the copy
 * verifies against the digest the writer stored, so both read every text
 * alike. The readers take the same path: every hop reads back as written.
 * A string gone makes verification fail, as it takes the hop out of the
 * view, and the readers leave the hop out too. */
static void digest_reads_texts_by_id_as_the_views_do(void **state) {
  (void)state;
  char source[512], flow[64], port[32];
  snprintf(source, sizeof source, "%s", db_path("ids-source.db"));
  rpt_db *db = open_db("ids-source.db");
  int64_t run;
  assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
  rpt_probe p = full_probe(), p2 = bare_probe();
  assert_int_equal(rpt_probe_add(db, run, &p, NULL), RPT_OK);
  assert_int_equal(rpt_probe_add(db, run, &p2, NULL), RPT_OK);
  for (int i = 0; i < 35000; i++) { /* probe 2's hops first: they get the lower ids */
    rpt_hop h = full_hop();
    big_hop_strings(i, flow, port);
    h.before = flow;
    h.port = port;
    assert_int_equal(rpt_hop_add(db, run, i < 17500 ? 2 : 1, &h), RPT_OK);
  }
  assert_int_equal(rpt_run_finish(db, run, 1, RPT_RUN_FAILED), RPT_OK);
  assert_true(query_int(db->sql, "SELECT count(*) FROM strings") > (int64_t)RPT__STRINGS_SLOTS);
  int n = 0;
  assert_int_equal(rpt_hop_foreach(db, run, 0, check_big_hop, &n), RPT_OK);
  assert_int_equal(n, 35000);
  assert_int_equal(rpt_db_close(db), RPT_OK);

  rpt_db *b = open_db("ids-copy.db");
  static const char *const tables[] = {"runs", "probes", "probe_hops", NULL};
  copy_rows(b->sql, source, tables);
  assert_int_equal(query_int(b->sql, "SELECT count(*) FROM probe_hops"), 35000);
  assert_int_equal(query_int(b->sql, "SELECT count(*) FROM strings"), 35000 * 10 + 2 * 7 + 3);
  assert_int_equal(rpt_run_verify(b, 1), RPT_OK);
  /* A hop's string gone: the view loses the hop, the digest sees it. */
  assert_int_equal(sqlite3_exec(b->sql, "DELETE FROM strings WHERE id = (SELECT port FROM hop_rows"
                                        " WHERE probe_seq = 1 AND idx = 5)", NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(query_int(b->sql, "SELECT count(*) FROM probe_hops"), 34999);
  assert_int_equal(rpt_run_verify(b, 1), RPT_E_DIGEST);
  n = 0;
  assert_int_equal(rpt_hop_foreach(b, 1, 0, check_big_hop, &n), RPT_OK);
  assert_int_equal(n, 34999);
  /* A probe's optional flow gone reads as NULL, as the view's LEFT JOIN has it. */
  assert_int_equal(sqlite3_exec(b->sql, "DELETE FROM strings WHERE id = (SELECT reply FROM probe_rows WHERE seq = 1)",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  struct seen seen = {0};
  assert_int_equal(rpt_probe_foreach(b, 1, seen_probe, &seen), RPT_OK);
  assert_int_equal(seen.n, 2);
  assert_int_equal(seen.null[0][8], 1);
  assert_int_equal(seen.null[0][7], 0);
  assert_int_equal(query_int(b->sql, "SELECT count(*) FROM probes WHERE seq = 1 AND reply IS NULL"), 1);
  assert_int_equal(rpt_db_close(b), RPT_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_table_round_trips),
      cmocka_unit_test(seq_per_run_and_table_idx_per_parent),
      cmocka_unit_test(bad_arguments_name_field_and_value),
      cmocka_unit_test(schema_checks_rows_from_elsewhere),
      cmocka_unit_test(every_field_takes_part_in_the_digest),
      cmocka_unit_test(edited_rows_fail_verification),
      cmocka_unit_test(golden_digest_with_detailed_rows),
      cmocka_unit_test(summary_counts),
      cmocka_unit_test(detailed_rows_join_the_run_transaction),
      cmocka_unit_test(callbacks_stop_and_may_not_write),
      cmocka_unit_test(version_2_file_migrates_with_its_data),
      cmocka_unit_test(version_4_file_migrates_probes_hops_and_cells),
      cmocka_unit_test(digest_reads_texts_by_id_as_the_views_do),
  };
  return cmocka_run_group_tests(tests, tmpdir_create, tmpdir_remove);
}
