/* test_rpt_report.c: the report writers (Markdown, HTML, JUnit, JSON) over
 * the fixture of test_rpt_report_fixture.h: what each shows of every kind of
 * row, escaping (markup, control characters, bytes that are not UTF-8), the
 * order of failures, errors and incomplete runs, sets of runs, and the
 * determinism the writers promise: the same rows in two database files give
 * the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpt.h"
#include "rpt_db_int.h"
#include "rpt_html.h"
#include "rpt_json.h"
#include "rpt_junit.h"
#include "rpt_report_int.h"
#include "test_rpt_report_fixture.h"

#define TEST_TMPDIR_TAG "rpt-report"
#include "test_tmpdir.h"

typedef int (*writer)(rpt_db *, const int64_t *, size_t, FILE *);

static rpt_db *g_db;
static int64_t g_ids[4];

static rpt_db *fixture_db(const char *name, int64_t ids[4]) {
  char path[512];
  rpt_db *db;
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  if (rpt_db_open(path, &db) || fixture_write(db, ids)) fail_msg("%s: %s", path, rpt_db_errmsg(db));
  return db;
}

static int setup(void **state) {
  if (tmpdir_create(state)) return -1;
  g_db = fixture_db("fixture.db", g_ids);
  return 0;
}

static int teardown(void **state) {
  rpt_db_close(g_db);
  return tmpdir_remove(state);
}

/* The report of ids[0..n) by `w`, as a string; the status must be `want`. */
static char *report(writer w, rpt_db *db, const int64_t *ids, size_t n, int want) {
  static char *buf; /* static: GCC 12 takes a local's address given to open_memstream for a dangling pointer */
  static size_t len;
  buf = NULL;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  int rc = w(db, ids, n, f);
  if (rc != want) fail_msg("status %d, want %d: %s", rc, want, rpt_db_errmsg(db));
  fclose(f);
  return buf;
}

static const char *after(const char *hay, const char *needle) {
  const char *p = strstr(hay, needle);
  if (!p) fail_msg("no '%s' in the report", needle);
  return p;
}

/* --- JUnit --------------------------------------------------------------- */

static void junit_suites_cases_failures(void **state) {
  (void)state;
  char *x = report(rpt_report_junit, g_db, g_ids, 4, RPT_OK);
  assert_true(rpt__utf8_valid(x));
  assert_null(strchr(x, '\x01'));
  assert_non_null(strstr(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hnsim\" tests=\"7\" "
                            "failures=\"1\" errors=\"2\" skipped=\"0\" time=\"0.009000010\">"));
  const char *a = after(x, "<testsuite name=\"fixture-a [ws2022]\" tests=\"3\" failures=\"1\" errors=\"0\" "
                           "skipped=\"0\" time=\"0.009000000\">");
  after(a, "<property name=\"seed\" value=\"7\"/>");
  const char *fail = after(a, "<testcase classname=\"fixture-a\" name=\"deny pod-a -&gt; pod-c tcp/80 #2\">\n"
                              "      <failure message=\"expected dropped, got delivered\" type=\"expectation\">"
                              "expected dropped, got delivered\nhop 1 node1 acl pass\n");
  /* The trace is the failure's body, escaped. */
  after(fail, "hop 3 node2 vfp ACL drop: rule deny-all &lt;priority 100&gt;</failure>");
  after(a, "name=\"quote &quot;this&quot; &amp; &lt;that&gt; #3\"/>");
  /* Warnings and errors of the log, stripped of what XML 1.0 forbids. */
  after(a, "<system-err>[warn] 0.000000500 s hns: control  char and bad UTF-8 \xEF\xBF\xBD\xEF\xBF\xBD here\n"
           "[error] 0.000000600 s hns: endpoint create refused\n</system-err>");
  const char *b = after(x, "<testsuite name=\"fixture-b [ws2019]\" tests=\"1\" failures=\"0\" errors=\"1\"");
  after(b, "<testcase classname=\"fixture-b\" name=\"run\">\n      <error message=\"fixture-b.lua:3: attempt to "
           "call a nil value (global 'frob')\" type=\"error\">fixture-b.lua:3: attempt to call a nil value "
           "(global 'frob')\nstack: fixture-b.lua:3</error>");
  const char *d = after(x, "<testsuite name=\"fixture-d [ws2022]\" tests=\"2\" failures=\"0\" errors=\"1\" "
                           "skipped=\"0\">");
  after(d, "<error message=\"the run is incomplete");
  assert_non_null(strstr(x, "</testsuites>\n"));
  /* No wall-clock time. */
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(g_db, g_ids[0], &s), RPT_OK);
  assert_null(strstr(x, s.wall_start));
  rpt_run_summary_clear(&s);
  free(x);
}

/* --- JSON ---------------------------------------------------------------- */

static const cJSON *at(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!v) fail_msg("no key '%s'", key);
  return v;
}

static void json_every_row(void **state) {
  (void)state;
  char *text = report(rpt_report_json, g_db, g_ids, 4, RPT_OK);
  assert_true(rpt__utf8_valid(text));
  cJSON *doc = cJSON_Parse(text);
  assert_non_null(doc);
  assert_string_equal(at(doc, "format")->valuestring, "hnsim-report");
  const cJSON *runs = at(doc, "runs");
  assert_int_equal(cJSON_GetArraySize(runs), 4);
  const cJSON *a = cJSON_GetArrayItem(runs, 0);
  /* Keys in a fixed order. */
  static const char *const keys[] = {"id", "scenario", "profile", "seed", "backend", "hnsim_version", "state",
                                     "wall_start", "wall_end", "sim_end_ns", "digest", "counts", "expectations",
                                     "metrics", "log", "hcn_calls", "probes", "truth_tables", "faults", "snapshots"};
  const cJSON *k = a->child;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++, k = k->next) {
    assert_non_null(k);
    assert_string_equal(k->string, keys[i]);
  }
  assert_null(k);
  assert_string_equal(at(a, "state")->valuestring, "failed");
  assert_int_equal(at(a, "seed")->valueint, 7);
  assert_int_equal(at(at(a, "counts"), "probes_failed")->valueint, 1);
  const cJSON *e = cJSON_GetArrayItem(at(a, "expectations"), 1);
  assert_true(cJSON_IsFalse(at(e, "passed")));
  assert_non_null(strstr(at(e, "detail")->valuestring, FIXTURE_TRACE));
  const cJSON *m = at(a, "metrics");
  assert_string_equal(at(cJSON_GetArrayItem(m, 7), "value")->valuestring, "inf");
  assert_true(cJSON_IsNumber(at(cJSON_GetArrayItem(m, 8), "value")));
  const cJSON *probe = cJSON_GetArrayItem(at(a, "probes"), 1);
  assert_string_equal(at(probe, "verdict")->valuestring, "dropped");
  assert_true(cJSON_IsNull(at(probe, "received")));
  const cJSON *hops = at(probe, "hops");
  assert_int_equal(cJSON_GetArraySize(hops), 3);
  assert_string_equal(at(cJSON_GetArrayItem(hops, 2), "verdict")->valuestring, "drop");
  const cJSON *call = cJSON_GetArrayItem(at(a, "hcn_calls"), 1);
  assert_string_equal(at(call, "hresult")->valuestring, "0x803B0013");
  assert_true(cJSON_IsNull(at(call, "object_id")));
  const cJSON *tables = at(a, "truth_tables");
  assert_int_equal(cJSON_GetArraySize(tables), 2);
  assert_int_equal(cJSON_GetArraySize(at(cJSON_GetArrayItem(tables, 0), "cells")), 9);
  assert_int_equal(cJSON_GetArraySize(at(cJSON_GetArrayItem(tables, 1), "cells")), 0);
  assert_int_equal(cJSON_GetArraySize(at(a, "faults")), 2);
  const cJSON *snap = cJSON_GetArrayItem(at(a, "snapshots"), 1);
  assert_string_equal(at(snap, "label")->valuestring, "end");
  const cJSON *net = cJSON_GetArrayItem(at(at(snap, "document"), "Networks"), 0);
  assert_string_equal(at(net, "Name")->valuestring, "cbr0");
  /* The log line with bytes that are not UTF-8 has U+FFFD for them. */
  assert_non_null(strstr(at(cJSON_GetArrayItem(at(a, "log"), 1), "message")->valuestring, "\xEF\xBF\xBD"));
  const cJSON *d = cJSON_GetArrayItem(runs, 3);
  assert_string_equal(at(d, "state")->valuestring, "incomplete");
  assert_true(cJSON_IsNull(at(d, "sim_end_ns")));
  assert_true(cJSON_IsNull(at(d, "digest")));
  cJSON_Delete(doc);
  free(text);
}

/* --- HTML ---------------------------------------------------------------- */

static void html_sections(void **state) {
  (void)state;
  char *h = report(rpt_report_html, g_db, g_ids, 4, RPT_OK);
  assert_true(rpt__utf8_valid(h));
  assert_true(!strncmp(h, "<!DOCTYPE html>\n", 16));
  assert_non_null(strstr(h, "</html>\n"));
  /* Self-contained: no script, nothing fetched. */
  assert_null(strstr(h, "<script"));
  assert_null(strstr(h, "http:"));
  assert_null(strstr(h, "https:"));
  assert_null(strstr(h, "src="));
  assert_null(strstr(h, "url("));
  assert_null(strchr(h, '\x01'));
  assert_non_null(strstr(h, "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'q'"));
  /* Runs that did not pass come first among the expectations, failures
   * first in a run, with their trace unfolded. */
  const char *exp = after(h, "<section id=\"expectations\">");
  const char *ea = after(exp, "<h3 id=\"exp-1\">"), *eb = after(exp, "<h3 id=\"exp-2\">"),
             *ed = after(exp, "<h3 id=\"exp-4\">"), *ec = after(exp, "<h3 id=\"exp-3\">");
  assert_true(ea < eb && eb < ed && ed < ec);
  const char *fail = after(ea, "FAIL: deny pod-a -&gt; pod-c tcp/80");
  const char *trace = after(fail, "<pre class=\"trace\">expected dropped, got delivered\n");
  after(trace, "hop 3 node2 vfp ACL drop: rule deny-all &lt;priority 100&gt;</pre>");
  assert_true(fail < after(ea, "reach pod-a -&gt; pod-b tcp/80"));
  after(eb, "The run could not be carried out");
  after(eb, "fixture-b.lua:3: attempt to call a nil value (global 'frob')");
  after(ed, "This run is <b>incomplete</b>");
  /* The drawing: both hosts, networks, endpoints, the fabric. */
  const char *run1 = after(h, "<section class=\"run\" id=\"run-1\">");
  const char *svg = after(run1, "<svg");
  after(svg, ">node1</text>");
  after(svg, ">L2Bridge cbr0</text>");
  after(svg, ">pod-a_cbr0  10.244.1.5</text>");
  after(svg, "…<title>pod-b_cbr0 with a name far too long to fit in the box drawn for its host  10.244.1.6</title>");
  after(svg, ">stray&lt;ep&gt;  (no IP)</text>");
  after(svg, ">LB 10.96.0.10 tcp 80&gt;8080 -&gt; 1 endpoints</text>");
  after(svg, ">Overlay vxlan0</text>");
  after(svg, ">10.244.2.0/24, 10.244.3.0/24</text>");
  after(svg, ">remote-a  10.244.1.5  (remote)</text>");
  after(svg, ">PA 10.240.0.5</text>");
  after(svg, "class=\"fabric\"/>");
  /* node1 records its NICs: a line per segment, by name, each named in the
   * margin, and node1 linked to both, each link labelled with its NIC;
   * node2 records none and hangs from the one line "fabric", with a note. */
  const char *san = after(svg, "class=\"netname\">san</text>"), *vnet = after(svg, "class=\"netname\">vnet</text>");
  assert_true(san < vnet && vnet < after(svg, "class=\"netname\">fabric</text>"));
  after(svg, "class=\"note\">Ethernet 10.240.0.4/16</text>");
  after(svg, "class=\"note\">Storage &lt;nic&gt; 10.250.0.4/24</text>");
  after(svg, "class=\"port\"/>");
  after(svg, "Hosts whose snapshots record no NICs (imported hosts, older runs) hang from the line 'fabric'.");
  assert_null(strstr(svg, "every host is drawn on one line"));
  const char *svg_end = after(svg, "</svg>"), *second = strstr(strstr(svg, ">node1</text>") + 1, ">node1</text>");
  assert_true(!second || second > svg_end); /* node1's "start" snapshot is not drawn */
  /* The truth table as a heat map. */
  const char *heat = after(run1, "<h4>pods &lt;&amp;&gt; services — fixture-a [ws2022]</h4>");
  after(heat, "<td class=\"wrong\" title=\"pod-a → pod-b tcp/80: expected delivered, got dropped (wrong)\">"
              "dropped</td>");
  after(heat, "<td class=\"correct\" title=\"pod-a → pod-a tcp/80: expected delivered, got delivered (correct), "
              "probe #2\">");
  after(heat, "udp/53</span></th>");
  after(heat, "The table has no cells.");
  /* Charts for metrics sampled more than once, a table for the rest. */
  const char *metrics = after(run1, "<h3>Metrics</h3>");
  const char *q = after(metrics, ">queue_depth (6 samples)</text>");
  after(q, "<polyline class=\"plot\" points=\"78.0,");
  after(metrics, ">rtt_ms (3 samples, 1 infinite, not drawn)</text>");
  after(metrics, "<tr><td>hns_calls</td><td class=\"num\">3</td>");
  /* Faults, probes with hops, the call log, the log. */
  after(run1, "<td>(fabric)</td><td>link</td>");
  after(run1, "2 probes, 1 not delivered</summary>");
  after(run1, "<td>ACL deny-all</td>");
  after(run1, "<td>deny-all</td><td>drop</td>");
  after(run1, "tcp 10.244.1.5:40000 -&gt; 10.244.2.5:80 → tcp 10.240.0.4:40000 -&gt; 10.244.2.5:80");
  after(run1, "<tr class=\"bad\"><td class=\"num\">2</td>");
  after(run1, "<td class=\"mono\">0x803B0013</td>");
  after(run1, "<summary>request</summary><pre>{\"Name\":\"&lt;bad&gt;\"}</pre>");
  after(run1, "<details open><summary>3 lines</summary>");
  free(h);
}

/* A run whose snapshots record no NICs (an imported host, an older run):
 * every host on one line, "fabric", and a note saying why. */
static void html_fabric_without_nics(void **state) {
  (void)state;
  char path[512];
  rpt_db *db;
  int64_t run;
  snprintf(path, sizeof path, "%s/no-nics.db", g_dir);
  assert_int_equal(rpt_db_open(path, &db), RPT_OK);
  rpt_run_info info = {"no-nics", 1, "ws2022", "sim", "0.0-test"};
  rpt_snapshot end = {0, 10, "node2", "end", FIXTURE_NODE2};
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_OK);
  assert_int_equal(rpt_snapshot_add(db, run, &end, NULL), RPT_OK);
  assert_int_equal(rpt_run_finish(db, run, 10, RPT_RUN_PASSED), RPT_OK);
  char *h = report(rpt_report_html, db, &run, 1, RPT_OK);
  const char *svg = after(h, "<svg");
  after(svg, "<line x1=\"10\" y1=");
  after(svg, "class=\"netname\">fabric</text>");
  after(svg, ">PA 10.240.0.5</text>");
  after(svg, "The snapshots record no fabric segments or host NIC addresses: every host is drawn on one line.");
  assert_null(strstr(svg, "class=\"port\""));
  assert_null(strstr(svg, "Hosts whose snapshots record no NICs"));
  free(h);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

static void markdown_sets(void **state) {
  (void)state;
  char *md = report(rpt_report_markdown_runs, g_db, g_ids, 3, RPT_OK);
  const char *top = after(md, "# hnsim report: 3 runs\n");
  after(top, "| 1 | fixture-a | ws2022 | **failed** | 1 of 3 |");
  after(top, "1 passed, 1 failed, 1 errors, 0 incomplete");
  after(top, "## hnsim run 1: fixture-a\n");
  after(top, "### Expectations: 1 of 3 failed");
  after(top, "## hnsim run 3: fixture-c\n");
  free(md);
  /* One run: as before, no summary. */
  md = report(rpt_report_markdown_runs, g_db, g_ids + 2, 1, RPT_OK);
  assert_true(!strncmp(md, "# hnsim run 3: fixture-c\n", 25));
  assert_non_null(strstr(md, "\n## Expectations: 0 of 1 failed\n"));
  free(md);
}

/* --- what every writer shares ------------------------------------------- */

static const writer writers[] = {rpt_report_markdown_runs, rpt_report_html, rpt_report_junit, rpt_report_json};

static void refusals(void **state) {
  (void)state;
  int64_t ids[] = {g_ids[0], 99};
  for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
    char *out = report(writers[i], g_db, ids, 2, RPT_E_NOTFOUND);
    assert_string_equal(out, ""); /* nothing written */
    assert_non_null(strstr(rpt_db_errmsg(g_db), "99"));
    free(out);
    assert_int_equal(writers[i](g_db, ids, 1, NULL), RPT_E_INVAL);
    assert_int_equal(writers[i](g_db, NULL, 1, stdout), RPT_E_INVAL);
    assert_int_equal(writers[i](NULL, ids, 1, stdout), RPT_E_INVAL);
    /* An empty set is a valid, empty report. */
    free(report(writers[i], g_db, NULL, 0, RPT_OK));
    FILE *full = fopen("/dev/full", "w");
    if (full) {
      assert_int_equal(writers[i](g_db, g_ids, 4, full), RPT_E_IO);
      fclose(full);
    }
  }
  char *x = report(rpt_report_junit, g_db, NULL, 0, RPT_OK);
  assert_string_equal(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hnsim\" tests=\"0\" "
                         "failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000000000\">\n</testsuites>\n");
  free(x);
}

/* The same rows in another file, the wall clock made equal: the same bytes. */
static void same_rows_same_bytes(void **state) {
  (void)state;
  int64_t ids[4];
  rpt_db *other = fixture_db("other.db", ids);
  assert_memory_equal(ids, g_ids, sizeof ids);
  assert_int_equal(rpt_db_close(other), RPT_OK);
  char path[512], sql[1024];
  snprintf(path, sizeof path, "%s/other.db", g_dir);
  assert_int_equal(rpt_db_open(path, &other), RPT_OK);
  for (int i = 0; i < 4; i++) {
    rpt_run_summary s;
    assert_int_equal(rpt_run_get(g_db, g_ids[i], &s), RPT_OK);
    snprintf(sql, sizeof sql, "UPDATE runs SET wall_start = '%s', wall_end = %s%s%s WHERE id = %d", s.wall_start,
             s.wall_end ? "'" : "", s.wall_end ? s.wall_end : "NULL", s.wall_end ? "'" : "", i + 1);
    assert_int_equal(sqlite3_exec(other->sql, sql, NULL, NULL, NULL), SQLITE_OK);
    rpt_run_summary_clear(&s);
  }
  for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++) {
    char *a = report(writers[i], g_db, g_ids, 4, RPT_OK), *b = report(writers[i], other, ids, 4, RPT_OK);
    assert_string_equal(a, b);
    free(a);
    free(b);
  }
  rpt_db_close(other);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(junit_suites_cases_failures), cmocka_unit_test(json_every_row),
      cmocka_unit_test(html_sections),                cmocka_unit_test(html_fabric_without_nics),
      cmocka_unit_test(markdown_sets),
      cmocka_unit_test(refusals),                     cmocka_unit_test(same_rows_same_bytes),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
