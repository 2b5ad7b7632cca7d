/* test_rpt_compare.c: comparing two runs (reports/rpt_compare.h): runs
 * written with the rpt_write/rpt_rows writers into in-memory databases,
 * each a variant of one base run (two hosts' snapshots, a truth table, HCN
 * calls), compared with the base: an identical copy shows no difference in
 * any section; a copy whose GUIDs and MACs all differ shows none either; a
 * copy with one endpoint policy value changed shows exactly that field;
 * an object only in B, a truth cell that differs, a call whose HRESULT
 * differs and a call only in B each show as exactly that. Also: the
 * writers' lines, escaping and determinism; runs in two databases; the
 * refusals; a run without snapshots; and the normaliser and the aligner on
 * their own (GUIDs and MACs as whole tokens only, an edit script, the
 * position fallback past the aligner's limit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpt.h"
#include "rpt_compare.h"
#include "rpt_compare_int.h"
#include "rpt_rows.h"

/* What makes a run differ from the base one. */
struct variant {
  int guid_set;          /* GUIDs and MACs are drawn from this set */
  const char *exception; /* web_cbr0's second OutBoundNAT exception */
  int extra_lb;          /* node1 has a second load balancer */
  const char *cell_b_a;  /* the verdict observed in cell (b, a tcp/80) */
  uint32_t lb_hr;        /* the HRESULT of creating the load balancer */
  int extra_call;        /* node1 queries an endpoint in the middle */
  int snapshots;         /* write snapshots at all */
  const char *node2;     /* node2's name */
  int64_t cost;          /* each call's cost_ns */
};

static const struct variant base = {1, "10.0.0.0/8", 0, "delivered", 0, 0, 1, "node2", 1000};

static void guid(char out[37], int set, int n) { snprintf(out, 37, "%08X-0000-4000-8000-%012X", set * 4099, n); }
static void mac(char out[18], int set, int n) { snprintf(out, 18, "00-15-5D-%02X-F0-%02X", set & 0xFF, n); }

#define NODE1_FMT                                                                                                   \
  "{\"Profile\":\"ws2022\",\"Networks\":[{\"ID\":\"%s\",\"Name\":\"cbr0\",\"Type\":\"L2Bridge\","                    \
  "\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"%s\",\"EndMacAddress\":\"00-15-5D-9F-FF-FF\"}]},"                 \
  "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"ID\":\"%s\",\"IpAddressPrefix\":\"10.244.1.0/24\"}]}]}],"         \
  "\"Endpoints\":[{\"ID\":\"%s\",\"Name\":\"web_cbr0\",\"HostComputeNetwork\":\"%s\","                              \
  "\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.244.0.0/16\",\"%s\"]}}],"              \
  "\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.6\",\"PrefixLength\":24}],\"MacAddress\":\"%s\"},"                \
  "{\"ID\":\"%s\",\"HostComputeNetwork\":\"%s\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.2.6\"}],"              \
  "\"MacAddress\":\"%s\",\"Flags\":1}],"                                                                            \
  "\"LoadBalancers\":[{\"ID\":\"%s\",\"HostComputeEndpoints\":[\"%s\",\"%s\"],\"FrontendVIPs\":[\"10.96.0.20\"],"    \
  "\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":80}]}%s],"                               \
  "\"Namespaces\":[{\"ID\":\"%s\",\"Type\":\"HostDefault\",\"Resources\":[{\"Type\":\"Endpoint\","                  \
  "\"Data\":{\"Id\":\"%s\"}}]}]}"
#define EXTRA_LB                                                                                                    \
  ",{\"ID\":\"AAAAAAAA-0000-4000-8000-000000000099\",\"FrontendVIPs\":[\"10.96.0.10\"],"                            \
  "\"PortMappings\":[{\"Protocol\":17,\"InternalPort\":53,\"ExternalPort\":53}]}"
#define NODE2_FMT                                                                                                   \
  "{\"Profile\":\"ws2022\",\"Networks\":[{\"ID\":\"%s\",\"Name\":\"cbr0\",\"Type\":\"L2Bridge\","                    \
  "\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.2.0/24\"}]}]}],\"Endpoints\":[],\"LoadBalancers\":[]}"

static int snapshots(rpt_db *db, int64_t run, const struct variant *v) {
  char net[37], sub[37], ep[37], remote[37], lb[37], ns[37], net2[37], lower[37], m0[18], m1[18], m2[18];
  int s = v->guid_set;
  guid(net, s, 1), guid(sub, s, 2), guid(ep, s, 3), guid(remote, s, 4), guid(lb, s, 5), guid(ns, s, 6);
  guid(net2, s, 7);
  mac(m0, s, 0), mac(m1, s, 1), mac(m2, s, 2);
  for (size_t i = 0; i < 37; i++) lower[i] = (char)(net[i] >= 'A' && net[i] <= 'F' ? net[i] + 32 : net[i]);
  static char node1[4096], node2[1024];
  snprintf(node1, sizeof node1, NODE1_FMT, net, m0, sub, ep, lower, v->exception, m1, remote, net, m2, lb, ep, remote,
           v->extra_lb ? EXTRA_LB : "", ns, ep);
  snprintf(node2, sizeof node2, NODE2_FMT, net2);
  rpt_snapshot a = {0, 5000, "node1", "end", node1}, b = {0, 5000, v->node2, "end", node2};
  int rc = rpt_snapshot_add(db, run, &a, NULL);
  return rc ? rc : rpt_snapshot_add(db, run, &b, NULL);
}

static int truth(rpt_db *db, int64_t run, const struct variant *v) {
  rpt_truth_table t = {0, 4000, "pods", "t.lua:9", 2, 2};
  int64_t table;
  int rc = rpt_truth_table_add(db, run, &t, &table);
  static const char *const names[] = {"a", "b"};
  for (int r = 0; r < 2 && !rc; r++)
    for (int c = 0; c < 2 && !rc; c++) {
      const char *actual = r == 1 && c == 0 ? v->cell_b_a : "delivered";
      rpt_truth_cell cell = {0, 0, names[r], c ? "b tcp/80" : "a tcp/80", "tcp", 80, "delivered", actual,
                             strcmp(actual, "delivered") ? "wrong" : "correct", 0};
      rc = rpt_truth_cell_add(db, run, table, &cell);
    }
  return rc;
}

static int calls(rpt_db *db, int64_t run, const struct variant *v) {
  char ep[37], path[64];
  guid(ep, v->guid_set, 3);
  snprintf(path, sizeof path, "/endpoints/%s/attach", ep);
  rpt_hcn_call c[] = {
      {0, 100, "node1", "create", "network", NULL, NULL, NULL, "{}", "{}", 0, NULL, NULL, v->cost, 0, ""},
      {0, 200, "node1", "create", "endpoint", NULL, NULL, NULL, "{}", "{}", 0, NULL, NULL, v->cost, 0, ""},
      {0, 250, "node1", "query", "endpoint", ep, NULL, NULL, "{}", "{}", 0, NULL, NULL, v->cost, 0, ""},
      {0, 300, "node1", "hnscall", "", NULL, "POST", path, "{}", "{}", 0, NULL, NULL, v->cost, 0, ""},
      {0, 400, "node1", "create", "loadbalancer", NULL, NULL, NULL, "{}", "{}", v->lb_hr, NULL, NULL, v->cost, 0, ""},
      {0, 500, "node2", "create", "network", NULL, NULL, NULL, "{}", "{}", 0, NULL, NULL, v->cost, 0, ""},
  };
  int rc = 0;
  for (size_t i = 0; i < 6 && !rc; i++)
    if (i != 2 || v->extra_call) rc = rpt_hcn_call_add(db, run, &c[i], NULL);
  return rc;
}

static int64_t write_run(rpt_db *db, const struct variant *v) {
  rpt_run_info info = {"t", 1, "ws2022", "sim", "0.0-test"};
  int64_t run;
  int rc = rpt_run_begin(db, &info, &run);
  if (!rc && v->snapshots) rc = snapshots(db, run, v);
  if (!rc) rc = truth(db, run, v);
  if (!rc) rc = calls(db, run, v);
  if (!rc) rc = rpt_run_finish(db, run, 6000 * v->cost, RPT_RUN_PASSED);
  if (rc) fail_msg("writing a run: %s", rpt_db_errmsg(db));
  return run;
}

static rpt_db *mem_db(void) {
  rpt_db *db;
  if (rpt_db_open(":memory:", &db)) fail_msg("%s", rpt_db_errmsg(db));
  return db;
}

/* The base run and a variant in one database, compared. */
static rpt_compare *compare_with(const struct variant *v, rpt_db **out_db) {
  rpt_db *db = mem_db();
  int64_t a = write_run(db, &base), b = write_run(db, v);
  rpt_compare *c;
  if (rpt_compare_runs(db, a, db, b, "end", &c)) fail_msg("%s", rpt_db_errmsg(db));
  *out_db = db;
  return c;
}

static char *written(const rpt_compare *c, int format) {
  static char *buf; /* static: GCC 12 takes a local's address given to open_memstream for a dangling pointer */
  static size_t len;
  buf = NULL;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(rpt_compare_write(c, format, f), RPT_OK);
  fclose(f);
  return buf;
}

static void assert_tally(const rpt_compare *c, int section, int64_t same, int64_t differ, int64_t only_a,
                         int64_t only_b) {
  rpt_compare_tally t = rpt_compare_tally_of(c, section);
  if (t.same != same || t.differ != differ || t.only_a != only_a || t.only_b != only_b)
    fail_msg("section %d: %lld same, %lld differ, %lld only in A, %lld only in B; want %lld %lld %lld %lld", section,
             (long long)t.same, (long long)t.differ, (long long)t.only_a, (long long)t.only_b, (long long)same,
             (long long)differ, (long long)only_a, (long long)only_b);
}

static void assert_has(const char *text, const char *needle) {
  if (!text || !strstr(text, needle)) fail_msg("no '%s' in:\n%s", needle, text ? text : "(nothing)");
}

/* Base: node1 has a network, 2 endpoints, a load balancer and a
 * namespace; node2 a network: 6 objects. 4 cells; 5 calls. */
static void assert_no_difference(const rpt_compare *c) {
  assert_tally(c, RPT_COMPARE_OBJECTS, 6, 0, 0, 0);
  assert_tally(c, RPT_COMPARE_TRUTH, 4, 0, 0, 0);
  assert_tally(c, RPT_COMPARE_CALLS, 5, 0, 0, 0);
  assert_int_equal(rpt_compare_differs(c), 0);
}

static void identical_runs(void **state) {
  (void)state;
  rpt_db *db;
  rpt_compare *c = compare_with(&base, &db);
  assert_no_difference(c);
  char *text = written(c, RPT_COMPARE_TEXT);
  const char *last = "objects: 6 same, 0 differ, 0 only in A, 0 only in B; truth: 4 agree, 0 differ, 0 only in A, "
                     "0 only in B; calls: 5 same, 0 differ, 0 only in A, 0 only in B\n";
  assert_string_equal(text + strlen(text) - strlen(last), last);
  assert_has(text, "  create              4        4        0.000004000        0.000004000    1.000\n");
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void guids_and_macs_only(void **state) {
  (void)state;
  struct variant v = base;
  v.guid_set = 2;
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  assert_no_difference(c);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void one_policy_changed(void **state) {
  (void)state;
  struct variant v = base;
  v.exception = "10.1.0.0/8";
  v.guid_set = 3; /* and every GUID and MAC too: only the policy shows */
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  assert_tally(c, RPT_COMPARE_OBJECTS, 5, 1, 0, 0);
  assert_tally(c, RPT_COMPARE_TRUTH, 4, 0, 0, 0);
  assert_tally(c, RPT_COMPARE_CALLS, 5, 0, 0, 0);
  assert_int_equal(rpt_compare_differs(c), 1);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "\n  node1 endpoint web_cbr0: Policies[0].Settings.Exceptions[1]: \"10.0.0.0/8\" -> \"10.1.0.0/8\"\n"
                   "\ntruth cells:");
  free(text);
  char *md = written(c, RPT_COMPARE_MD);
  assert_has(md, "| node1 | endpoint | web\\_cbr0 | name | `Policies[0].Settings.Exceptions[1]` | `\"10.0.0.0/8\"` | "
                 "`\"10.1.0.0/8\"` |\n");
  free(md);
  char *html = written(c, RPT_COMPARE_HTML);
  assert_has(html, "<tr class=\"differ\"><td>node1</td><td>endpoint</td><td>web_cbr0</td><td>name</td>"
                   "<td class=\"mono\">Policies[0].Settings.Exceptions[1]</td><td><code>\"10.0.0.0/8\"</code></td>"
                   "<td><code>\"10.1.0.0/8\"</code></td></tr>");
  assert_has(html, "</html>\n");
  assert_null(strstr(html, "http"));
  free(html);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void object_only_in_b(void **state) {
  (void)state;
  struct variant v = base;
  v.extra_lb = 1;
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  assert_tally(c, RPT_COMPARE_OBJECTS, 6, 0, 0, 1);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "\n  node1 loadbalancer 10.96.0.10 udp/53: only in B\n");
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void host_only_in_one_run(void **state) {
  (void)state;
  struct variant v = base;
  v.node2 = "node3";
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  assert_tally(c, RPT_COMPARE_OBJECTS, 5, 0, 1, 1);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "  node2 network cbr0: only in A\n  node3 network cbr0: only in B\n");
  assert_has(text, "notes:\n  host node2 has a snapshot labelled \"end\" in run A only\n"
                   "  host node3 has a snapshot labelled \"end\" in run B only\n");
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void truth_cell_differs(void **state) {
  (void)state;
  struct variant v = base;
  v.cell_b_a = "dropped";
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  assert_tally(c, RPT_COMPARE_OBJECTS, 6, 0, 0, 0);
  assert_tally(c, RPT_COMPARE_TRUTH, 3, 1, 0, 0);
  assert_tally(c, RPT_COMPARE_CALLS, 5, 0, 0, 0);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "\n  table \"pods\": b -> a tcp/80: delivered -> dropped\n");
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void call_hresult_differs(void **state) {
  (void)state;
  struct variant v = base;
  v.lb_hr = 0x803B0013u;
  v.cost = 3000;
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  assert_tally(c, RPT_COMPARE_OBJECTS, 6, 0, 0, 0);
  assert_tally(c, RPT_COMPARE_TRUTH, 4, 0, 0, 0);
  assert_tally(c, RPT_COMPARE_CALLS, 4, 1, 0, 0);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "\n  node1 A#4 B#4 create loadbalancer: 0x00000000 -> 0x803B0013\n");
  assert_has(text, "  create              4        4        0.000004000        0.000012000    3.000\n");
  assert_has(text, "  (run end)                             0.006000000        0.018000000    3.000\n");
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void call_only_in_b(void **state) {
  (void)state;
  struct variant v = base;
  v.extra_call = 1;
  v.guid_set = 2; /* the HNSCall path's GUID differs too: it still aligns */
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  assert_tally(c, RPT_COMPARE_CALLS, 5, 0, 0, 1);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "\n  node1 B#3 query endpoint: only in B (0x00000000)\n");
  assert_null(strstr(text, "POST"));
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

static void two_databases(void **state) {
  (void)state;
  rpt_db *da = mem_db(), *db = mem_db();
  struct variant v = base;
  v.exception = "10.1.0.0/8";
  int64_t a = write_run(da, &base);
  write_run(db, &base);
  int64_t b = write_run(db, &v);
  rpt_compare *c;
  assert_int_equal(rpt_compare_runs(da, a, db, b, "end", &c), RPT_OK);
  assert_tally(c, RPT_COMPARE_OBJECTS, 5, 1, 0, 0);
  char *html = written(c, RPT_COMPARE_HTML);
  assert_has(html, "<title>hnsim compare: run 1 and run 2</title>");
  free(html);
  rpt_compare_free(c);
  assert_int_equal(rpt_compare_runs(da, a, db, 9, "end", &c), RPT_E_NOTFOUND);
  assert_null(c);
  assert_has(rpt_db_errmsg(da), "run B: no run with id 9");
  assert_int_equal(rpt_compare_runs(da, 7, db, b, "end", &c), RPT_E_NOTFOUND);
  assert_has(rpt_db_errmsg(da), "no run with id 7");
  assert_int_equal(rpt_compare_runs(da, a, db, b, "", &c), RPT_E_INVAL);
  assert_int_equal(rpt_compare_runs(da, a, db, b, NULL, &c), RPT_E_INVAL);
  assert_int_equal(rpt_compare_runs(da, a, db, b, "end", NULL), RPT_E_INVAL);
  assert_int_equal(rpt_compare_write(NULL, RPT_COMPARE_TEXT, stdout), RPT_E_INVAL);
  rpt_db_close(da);
  rpt_db_close(db);
}

static void no_snapshots(void **state) {
  (void)state;
  struct variant v = base;
  v.snapshots = 0;
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  int64_t ha, hb;
  rpt_compare_snapshot_hosts(c, &ha, &hb);
  assert_int_equal(ha, 2);
  assert_int_equal(hb, 0);
  assert_tally(c, RPT_COMPARE_OBJECTS, 0, 0, 0, 0);
  assert_int_equal(rpt_compare_differs(c), 0);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "objects (snapshots labelled \"end\"): not compared (see the notes)\n");
  assert_has(text, "  run B has no snapshot labelled \"end\": objects are not compared\n");
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

/* Markup in names is escaped in HTML and Markdown; writing twice gives the same bytes. */
static void escaping_and_determinism(void **state) {
  (void)state;
  struct variant v = base;
  v.node2 = "<b>|x`";
  rpt_db *db;
  rpt_compare *c = compare_with(&v, &db);
  char *html = written(c, RPT_COMPARE_HTML), *again = written(c, RPT_COMPARE_HTML);
  assert_string_equal(html, again);
  assert_has(html, "<td>&lt;b&gt;|x`</td>");
  assert_null(strstr(html, "<b>"));
  free(html), free(again);
  char *md = written(c, RPT_COMPARE_MD);
  assert_has(md, "| &lt;b&gt;\\|x\\` | network |");
  free(md);
  assert_int_equal(rpt_compare_write(c, 9, stdout), RPT_E_INVAL);
  rpt_compare_free(c);
  rpt_db_close(db);
}

/* ---- the parts on their own ---- */

static void normaliser(void **state) {
  (void)state;
  struct rpt__cmp_roles roles = {NULL, 0, 0};
  assert_int_equal(rpt__cmp_roles_add(&roles, "6cdae810-4436-4d45-95f7-b95feeb65312", "<network cbr0>"), RPT_OK);
  assert_int_equal(rpt__cmp_roles_add(&roles, "not a guid", "<x>"), RPT_OK);
  rpt__cmp_roles_sort(&roles);
  static const char *const cases[][2] = {
      {"/endpoints/6CDAE810-4436-4D45-95F7-B95FEEB65312/attach", "/endpoints/<network cbr0>/attach"},
      {"{8CC6F234-D0E6-46EF-8E92-6A4567648422}", "{<guid>}"},
      {"00-15-5D-9F-F0-01 and 00:15:5d:9f:f0:02", "<mac> and <mac>"},
      {"fe80::1:2:3:4:5:6", "fe80::1:2:3:4:5:6"},            /* not a MAC: IPv6 */
      {"2001:db8:aa:bb:cc:dd:ee:ff", "2001:db8:aa:bb:cc:dd:ee:ff"}, /* nor its last six pairs */
      {"00-15-5D-9F-F0-01-02", "00-15-5D-9F-F0-01-02"},      /* seven pairs */
      {"x6CDAE810-4436-4D45-95F7-B95FEEB65312", "x6CDAE810-4436-4D45-95F7-B95FEEB65312"},
      {"00-15-5D-9F-F0:01", "00-15-5D-9F-F0:01"},            /* mixed separators */
      {"", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *got = rpt__cmp_norm(cases[i][0], &roles);
    assert_non_null(got);
    assert_string_equal(got, cases[i][1]);
    free(got);
  }
  rpt__cmp_roles_free(&roles);
}

static char *steps_text(const struct rpt__cmp_step *s, size_t n) {
  static char buf[256];
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++)
    used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%td:%td", i ? " " : "", s[i].a, s[i].b);
  return buf;
}

static void aligner(void **state) {
  (void)state;
  const char *a[] = {"c", "n", "e", "a", "q", "d"}, *b[] = {"c", "e", "a", "x", "q", "d", "d"};
  struct rpt__cmp_step *s = NULL;
  size_t n = 0;
  assert_int_equal(rpt__cmp_align(a, 6, b, 7, 100, &s, &n), 0);
  assert_string_equal(steps_text(s, n), "0:0 1:-1 2:1 3:2 -1:3 4:4 5:5 -1:6");
  free(s);
  assert_int_equal(rpt__cmp_align(a, 6, b, 7, 2, &s, &n), 1); /* 4 edits needed, 2 allowed */
  assert_int_equal(rpt__cmp_align(a, 0, b, 0, 0, &s, &n), 0);
  assert_int_equal(n, 0);
  free(s);
  assert_int_equal(rpt__cmp_align(a, 6, a, 6, 0, &s, &n), 0);
  assert_string_equal(steps_text(s, n), "0:0 1:1 2:2 3:3 4:4 5:5");
  free(s);
  assert_int_equal(rpt__cmp_align(a, 0, b, 2, 5, &s, &n), 0);
  assert_string_equal(steps_text(s, n), "-1:0 -1:1");
  free(s);
}

/* Past the aligner's limit (1000 calls on one side only), a host's calls
 * are taken by position, and a note says so. */
static void calls_by_position(void **state) {
  (void)state;
  rpt_db *db = mem_db();
  int64_t a = write_run(db, &base);
  rpt_run_info info = {"t", 1, "ws2022", "sim", "0.0-test"};
  int64_t b;
  assert_int_equal(rpt_run_begin(db, &info, &b), RPT_OK);
  for (int i = 0; i < 1001; i++) {
    rpt_hcn_call call = {0, i, "node1", i == 0 ? "create" : "query", "network", NULL, NULL, NULL, NULL, NULL,
                         0, NULL, NULL, 0, 0, ""};
    assert_int_equal(rpt_hcn_call_add(db, b, &call, NULL), RPT_OK);
  }
  assert_int_equal(rpt_run_finish(db, b, 0, RPT_RUN_PASSED), RPT_OK);
  rpt_compare *c;
  assert_int_equal(rpt_compare_runs(db, a, db, b, "end", &c), RPT_OK);
  /* node1: A's 4 calls against B's 1001: the first is the same by position,
   * the next three differ in what they are (one only in A and one only in
   * B each), the rest only in B; node2's one call is only in A. */
  assert_tally(c, RPT_COMPARE_CALLS, 1, 0, 4, 1000);
  char *text = written(c, RPT_COMPARE_TEXT);
  assert_has(text, "  host node1: the runs' calls differ in more than 1000 places: taken by position, not aligned\n");
  free(text);
  rpt_compare_free(c);
  rpt_db_close(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(identical_runs),       cmocka_unit_test(guids_and_macs_only),
      cmocka_unit_test(one_policy_changed),   cmocka_unit_test(object_only_in_b),
      cmocka_unit_test(host_only_in_one_run), cmocka_unit_test(truth_cell_differs),
      cmocka_unit_test(call_hresult_differs), cmocka_unit_test(call_only_in_b),
      cmocka_unit_test(two_databases),        cmocka_unit_test(no_snapshots),
      cmocka_unit_test(escaping_and_determinism), cmocka_unit_test(normaliser),
      cmocka_unit_test(aligner),              cmocka_unit_test(calls_by_position),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
