/* test_rpt_report_fixture.h: a results database with every kind of row, for
 * the report writers' tests (tests/test_rpt_report.c) and the command-line
 * tests of `hnsim report` (tests/test_rpt_report_db.c writes it to a file).
 *
 * Four runs: "fixture-a" on ws2022, failed, with every kind of row and text
 * that must be escaped (markup, quotes, a control character XML forbids,
 * bytes that are not UTF-8); "fixture-b" on ws2019, which could not be
 * carried out (state error, its reason in the log); "fixture-c" on ws2022,
 * passed; "fixture-d", left unfinished (incomplete). */
#ifndef TEST_RPT_REPORT_FIXTURE_H
#define TEST_RPT_REPORT_FIXTURE_H
#include <math.h>
#include <stdint.h>
#include "rpt.h"
#include "rpt_rows.h"

/* What the tests look for in the reports. */
#define FIXTURE_TRACE "hop 3 node2 vfp ACL drop: rule deny-all <priority 100>"
#define FIXTURE_FAILED_NAME "deny pod-a -> pod-c tcp/80"
#define FIXTURE_ERROR "fixture-b.lua:3: attempt to call a nil value (global 'frob')"
#define FIXTURE_MARKUP "<script>alert(\"x\")</script> & 'q'"

#define FIXTURE_NET1 \
  "{\"ID\":\"287ADB5D-3792-405A-BDE4-951008DB30A4\",\"Name\":\"cbr0\",\"Type\":\"L2Bridge\"," \
  "\"Policies\":[{\"Type\":\"NetAdapterName\",\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"}}]," \
  "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/24\"}]}]}"
/* node1's NICs, as a scenario run records them beside the HNS state
 * (lua/hl_scenario_rows.c); node2's snapshot has none, as an imported
 * host's or an older run's. */
#define FIXTURE_NIC1 \
  "{\"Name\":\"Ethernet\",\"Address\":\"10.240.0.4/16\",\"Segment\":\"vnet\",\"Mac\":\"00-15-5D-00-00-04\"}"
#define FIXTURE_NIC2 \
  "{\"Name\":\"Storage <nic>\",\"Address\":\"10.250.0.4/24\",\"Segment\":\"san\",\"Mac\":\"00-15-5D-00-01-04\"}"
#define FIXTURE_NODE1 \
  "{\"Profile\":\"ws2022\",\"Networks\":[" FIXTURE_NET1 "],\"Endpoints\":[" \
  "{\"ID\":\"98750688-9FBE-4FE8-A9B9-012C45D39898\",\"Name\":\"pod-a_cbr0\"," \
  "\"HostComputeNetwork\":\"287adb5d-3792-405a-bde4-951008db30a4\"," \
  "\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.5\",\"PrefixLength\":24}]}," \
  "{\"ID\":\"EBEC8A1B-452F-413E-8129-5FE865EF838D\"," \
  "\"Name\":\"pod-b_cbr0 with a name far too long to fit in the box drawn for its host\"," \
  "\"HostComputeNetwork\":\"287ADB5D-3792-405A-BDE4-951008DB30A4\"," \
  "\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.6\",\"PrefixLength\":24}]}," \
  "{\"ID\":\"11111111-2222-3333-4444-555555555555\",\"Name\":\"stray<ep>\",\"HostComputeNetwork\":\"nowhere\"}]," \
  "\"LoadBalancers\":[{\"ID\":\"AAAAAAAA-0000-0000-0000-000000000001\",\"FrontendVIPs\":[\"10.96.0.10\"]," \
  "\"PortMappings\":[{\"Protocol\":6,\"ExternalPort\":80,\"InternalPort\":8080}]," \
  "\"HostComputeEndpoints\":[\"98750688-9FBE-4FE8-A9B9-012C45D39898\"]}],\"Namespaces\":[{\"ID\":\"n1\"}]," \
  "\"Nics\":[" FIXTURE_NIC1 "," FIXTURE_NIC2 "]}"
#define FIXTURE_NODE2 \
  "{\"Profile\":\"ws2022\",\"Networks\":[{\"ID\":\"99482F86-1FEB-4CB1-9F67-E55551540B31\",\"Name\":\"vxlan0\"," \
  "\"Type\":\"Overlay\",\"Policies\":[{\"Type\":\"ProviderAddress\"," \
  "\"Settings\":{\"ProviderAddress\":\"10.240.0.5\"}}]," \
  "\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.2.0/24\"},{\"IpAddressPrefix\":\"10.244.3.0/24\"}]}]}]," \
  "\"Endpoints\":[{\"ID\":\"4DD83460-4433-487E-92BF-0827CF8E03BC\",\"Name\":\"pod-c_vxlan0\"," \
  "\"HostComputeNetwork\":\"99482F86-1FEB-4CB1-9F67-E55551540B31\"," \
  "\"IpConfigurations\":[{\"IpAddress\":\"10.244.2.5\"}]}," \
  "{\"ID\":\"5DD83460-4433-487E-92BF-0827CF8E03BC\",\"Name\":\"remote-a\",\"Flags\":1," \
  "\"HostComputeNetwork\":\"99482F86-1FEB-4CB1-9F67-E55551540B31\"," \
  "\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.5\"}]}],\"LoadBalancers\":[]}"

static int fixture_hops(rpt_db *db, int64_t run, int64_t probe, int dropped) {
  const char *a = "tcp 10.244.1.5:40000 -> 10.244.2.5:80", *b = "tcp 10.240.0.4:40000 -> 10.244.2.5:80";
  rpt_hop hops[] = {
      {0, 0, 1000, "request", "node1", "1", "pod-a_cbr0", "acl", "", "", "pass", a, a},
      {0, 0, 2000, "request", "node1", "1", "ext", "nat", "OutBoundNAT", "", "pass", a, b},
      {0, 0, 3000, "request", "node2", "1", "pod-c_vxlan0", "acl", dropped ? "deny-all" : "", dropped ? "rule" : "",
       dropped ? "drop" : "deliver", b, b},
  };
  int rc = 0;
  for (size_t i = 0; i < 3 && !rc; i++) rc = rpt_hop_add(db, run, probe, &hops[i]);
  return rc;
}

static int fixture_run_a(rpt_db *db, int64_t *out) {
  rpt_run_info info = {"fixture-a", 7, "ws2022", "sim", "0.0-test"};
  int64_t run, seq, table;
  int rc = rpt_run_begin(db, &info, &run);
  if (rc) return rc;
  *out = run;
  rc = rpt_log(db, run, 0, RPT_LOG_INFO, "scenario", "fixture-a: two hosts, " FIXTURE_MARKUP);
  if (!rc) rc = rpt_log(db, run, 500, RPT_LOG_WARN, "hns", "control \x01 char and bad UTF-8 \xff\xfe here");
  if (!rc) rc = rpt_log(db, run, 600, RPT_LOG_ERROR, "hns", "endpoint create refused");
  if (!rc) rc = rpt_expectation(db, run, 1000, "reach pod-a -> pod-b tcp/80", 1, "delivered in 2 hops");
  if (!rc)
    rc = rpt_expectation(db, run, 2000, FIXTURE_FAILED_NAME, 0,
                         "expected dropped, got delivered\nhop 1 node1 acl pass\nhop 2 node1 nat OutBoundNAT\n"
                         FIXTURE_TRACE);
  if (!rc) rc = rpt_expectation(db, run, 3000, "quote \"this\" & <that>", 1, "");
  for (int i = 0; i < 6 && !rc; i++) rc = rpt_metric(db, run, i * 1000000, "queue_depth", (double)(i * i % 7));
  for (int i = 0; i < 3 && !rc; i++) rc = rpt_metric(db, run, i * 2000000, "rtt_ms", i == 1 ? INFINITY : 0.25 * i);
  if (!rc) rc = rpt_metric(db, run, 9000000, "hns_calls", 3);
  rpt_hcn_call calls[] = {
      {0, 100, "node1", "create", "network", "287ADB5D-3792-405A-BDE4-951008DB30A4", NULL, NULL,
       "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\"}", "{\"ID\":\"287ADB5D\"}", 0, NULL, NULL, 2000000, 0,
       "fixture-a.lua:4"},
      {0, 200, "node1", "create", "endpoint", NULL, NULL, NULL, "{\"Name\":\"<bad>\"}", NULL, 0x803B0013u,
       "{\"Success\":false,\"Error\":\"The endpoint already exists\"}", "refused: name taken", 1000000, 1,
       "fixture-a.lua:9"},
      {0, 300, "node2", "hnscall", "", NULL, "GET", "/networks/", NULL, "[]", 0, NULL, NULL, 500000, 0, ""},
  };
  for (size_t i = 0; i < 3 && !rc; i++) rc = rpt_hcn_call_add(db, run, &calls[i], NULL);
  rpt_probe ok = {0, 1000, "pod-a", "pod-c", "tcp", 80, "delivered", "reply", "",
                  "tcp 10.244.1.5:40000 -> 10.244.2.5:80", "tcp 10.240.0.4:40000 -> 10.244.2.5:80",
                  "tcp 10.244.2.5:80 -> 10.240.0.4:40000", 5000, "fixture-a.lua:20"};
  rpt_probe bad = ok;
  bad.sim_time_ns = 2000, bad.finished_ns = 3000, bad.verdict = "dropped", bad.leg = "request";
  bad.reason = "ACL deny-all", bad.received = NULL, bad.reply = NULL;
  if (!rc) rc = rpt_probe_add(db, run, &ok, &seq);
  if (!rc) rc = fixture_hops(db, run, seq, 0);
  if (!rc) rc = rpt_probe_add(db, run, &bad, &seq);
  if (!rc) rc = fixture_hops(db, run, seq, 1);
  rpt_truth_table t = {0, 4000, "pods <&> services", "fixture-a.lua:30", 3, 3};
  if (!rc) rc = rpt_truth_table_add(db, run, &t, &table);
  static const char *const names[] = {"pod-a", "pod-b", "pod-c"};
  static const char *const outcomes[] = {"correct", "wrong", "unexpected_pass", "ignored"};
  for (int r = 0; r < 3 && !rc; r++)
    for (int c = 0; c < 3 && !rc; c++) {
      const char *outcome = outcomes[(r * 3 + c) % 4];
      rpt_truth_cell cell = {0, 0, names[r], names[c], c == 2 ? "udp" : "tcp", c == 2 ? 53 : 80,
                             outcome[0] == 'i' ? "" : "delivered", outcome[0] == 'w' ? "dropped" : "delivered",
                             outcome, r == 0 && c == 0 ? seq : 0};
      rc = rpt_truth_cell_add(db, run, table, &cell);
    }
  rpt_truth_table empty = {0, 4500, "", "", 0, 0};
  if (!rc) rc = rpt_truth_table_add(db, run, &empty, NULL);
  rpt_fault faults[] = {
      {0, 1500, "node1", "restart", "hns", "HNS restarted; endpoints re-hydrated", "fixture-a.lua:40"},
      {0, 1600, "", "link", "vnet", "loss 100%", ""},
  };
  for (size_t i = 0; i < 2 && !rc; i++) rc = rpt_fault_add(db, run, &faults[i], NULL);
  rpt_snapshot snaps[] = {
      {0, 0, "node1", "start", "{\"Profile\":\"ws2022\",\"Networks\":[],\"Endpoints\":[],\"LoadBalancers\":[]}"},
      {0, 9000000, "node1", "end", FIXTURE_NODE1},
      {0, 9000000, "node2", "end", FIXTURE_NODE2},
  };
  for (size_t i = 0; i < 3 && !rc; i++) rc = rpt_snapshot_add(db, run, &snaps[i], NULL);
  return rc ? rc : rpt_run_finish(db, run, 9000000, RPT_RUN_FAILED);
}

/* Writes the four runs; ids[] receives their ids. 0 or the first failure. */
static int fixture_write(rpt_db *db, int64_t ids[4]) {
  rpt_run_info b = {"fixture-b", 1, "ws2019", "sim", "0.0-test"};
  rpt_run_info c = {"fixture-c", 1, "ws2022", "sim", "0.0-test"};
  rpt_run_info d = {"fixture-d", 1, "ws2022", "sim", "0.0-test"};
  int rc = fixture_run_a(db, &ids[0]);
  if (!rc) rc = rpt_run_begin(db, &b, &ids[1]);
  if (!rc) rc = rpt_log(db, ids[1], 0, RPT_LOG_ERROR, "scenario", FIXTURE_ERROR);
  if (!rc) rc = rpt_log(db, ids[1], 0, RPT_LOG_ERROR, "scenario", "stack: fixture-b.lua:3");
  if (!rc) rc = rpt_run_finish(db, ids[1], 0, RPT_RUN_ERROR);
  if (!rc) rc = rpt_run_begin(db, &c, &ids[2]);
  if (!rc) rc = rpt_expectation(db, ids[2], 10, "reach pod-a -> pod-b tcp/80", 1, "delivered");
  if (!rc) rc = rpt_run_finish(db, ids[2], 10, RPT_RUN_PASSED);
  if (!rc) rc = rpt_run_begin(db, &d, &ids[3]);
  if (!rc) rc = rpt_expectation(db, ids[3], 10, "committed before the crash", 1, "");
  if (!rc) rc = rpt_db_flush(db);
  return rc;
}

#endif
