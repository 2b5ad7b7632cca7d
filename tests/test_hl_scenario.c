/* test_hl_scenario.c: the scenario runtime (lua/hl_scenario.h) end to end,
 * into an in-memory results database: API errors name the scenario line;
 * a refused HNS call gives its HRESULT and h:must raises with it; faults;
 * at/after/every run in a deterministic order; expectation rows land with
 * the right outcome and the scenario line; a failed reach records the hop
 * trace; a failing callback or an exhausted budget ends the run with
 * file:line and a traceback; inspection reads scenario{}; and the same
 * file and seed give the same digest twice; and the detailed rows (HNS
 * calls, probes and hops, truth tables and cells, faults, snapshots) hold
 * what the scenario did.
 *
 * Scenario files are written to a mkdtemp folder that is the current
 * directory, so messages show them by their short names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "hl_scenario.h"
#include "rpt.h"
#include "rpt_rows.h"

#define TEST_TMPDIR_TAG "hl-scenario"
#include "test_tmpdir.h"

static int enter_tmpdir(void **state) {
  if (tmpdir_create(state) != 0) return -1;
  return chdir(g_dir);
}

static int leave_tmpdir(void **state) {
  if (chdir("/") != 0) return -1;
  return tmpdir_remove(state);
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(name, "w");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
}

static void assert_contains(const char *text, const char *needle) {
  if (!strstr(text, needle)) fail_msg("\"%s\"\ndoes not contain\n\"%s\"", text, needle);
}

/* The fabric most tests share: one Windows host on a segment. */
#define ONE_HOST                                                                                                       \
  "segment('vnet', {latency = '100us'})\n"                                                                             \
  "local n1 = host('node1', {nics = {{name = 'Ethernet', segment = 'vnet', address = '10.240.0.4/16'}}})\n"

typedef struct run_result {
  int rc;
  hl_scenario_outcome out;
  rpt_db *db;
} run_result;

/* Runs `name` (written from `text`) on ws2022 with `seed` into a fresh
 * in-memory database the caller closes. */
static void run_scenario(const char *name, const char *text, uint64_t seed, run_result *r) {
  write_file(name, text);
  assert_int_equal(rpt_db_open(":memory:", &r->db), RPT_OK);
  hl_scenario_config cfg = {name, "test", "ws2022", seed, HL_LIMITS_DEFAULTS, NULL, r->db, "test", NULL, NULL, NULL, NULL};
  r->rc = hl_scenario_run(&cfg, &r->out);
  assert_int_equal(r->rc, HL_OK);
}

static int print_failure(void *arg, const rpt_expectation_row *row) {
  (void)arg;
  if (!row->passed) fprintf(stderr, "FAILED: %s: %s\n", row->name, row->detail);
  return 0;
}

/* The run passed; else its failed expectations or its error are shown. */
static void assert_passed(run_result *r) {
  if (r->out.state == RPT_RUN_PASSED) return;
  rpt_expectation_foreach(r->db, r->out.run_id, RPT_ORDER_SEQ, print_failure, NULL);
  fail_msg("the run ended %d: %s", r->out.state, r->out.error);
}

static void expect_error(const char *name, const char *text, int status, const char *message) {
  run_result r;
  run_scenario(name, text, 1, &r);
  if (r.out.state != RPT_RUN_ERROR) fail_msg("%s ended %d, not in an error", name, r.out.state);
  assert_int_equal(r.out.status, status);
  assert_contains(r.out.error, message);
  rpt_db_close(r.db);
}

static void api_errors_name_the_line(void **state) {
  (void)state;
  expect_error("dur.lua", "scenario{name = 'x'}\n\nsegment('vnet', {latency = '5 sec'})\n", HL_E_RUNTIME,
               "dur.lua:3: segment: latency: '5 sec' is not a duration");
  expect_error("field.lua", ONE_HOST "route('azure', '10.0.0.0/8', '10.240.0.1', {metrc = 1})\n", HL_E_RUNTIME,
               "field.lua:3: route: unknown field 'metrc' (fields: metric, id)");
  expect_error("prefix.lua", ONE_HOST "n1:route('10.244.0/16', '10.240.0.1')\n", HL_E_RUNTIME,
               "prefix.lua:3: route: prefix: '10.244.0/16' is not an address with a prefix length");
  expect_error("host.lua", "host('h', {os = 'bsd'})\n", HL_E_RUNTIME,
               "host.lua:1: host: os: 'bsd' is not \"windows\" or \"linux\"");
  expect_error("gw.lua",
               "segment('s')\nhost('h', {nics = {{name = 'e', segment = 's', address = '10.0.0.2/24'}}, gateway = "
               "'10.1.0.1'})\n",
               HL_E_RUNTIME, "gw.lua:2: host: gateway: 10.1.0.1 is on no NIC's prefix");
  expect_error("kind.lua", ONE_HOST "n1:query('switch', 'x')\n", HL_E_RUNTIME,
               "kind.lua:3: query: kind: 'switch' is not network, endpoint, namespace, loadbalancer or sdnroute");
  expect_error("order.lua", "segment('s')\nscenario{name = 'late'}\n", HL_E_RUNTIME,
               "order.lua:2: scenario: scenario{...} must come before every other call of the scenario API");
  expect_error("doc.lua", ONE_HOST "n1:create_network{Name = 'x', Policies = {{}, {Settings = print}}}\n", HL_E_RUNTIME,
               "doc.lua:3: create_network: document.Policies[2].Settings: a function cannot be encoded");
  expect_error("probe.lua", ONE_HOST "probe{from = 'node9', to = '10.0.0.1'}\n", HL_E_RUNTIME,
               "probe.lua:3: probe: from: 'node9': no host 'node9'");
  expect_error("vip.lua", ONE_HOST "n1:service_vip{vip = '10.96.0.1', proto = 'sctp', backends = {'10.1.0.1'}}\n",
               HL_E_RUNTIME, "vip.lua:3: service_vip: proto: 'sctp' is not \"tcp\" or \"udp\"");
  expect_error("vip2.lua", ONE_HOST "n1:service_vip{vip = '10.96.0.1', backends = {'10.1.0.1', 'x'}}\n",
               HL_E_RUNTIME, "vip2.lua:3: service_vip: backends[2]: 'x' is not an IP address");
  expect_error("vip3.lua", ONE_HOST "n1:service_vip{vip = '10.96.0.1', backends = {}}\n", HL_E_RUNTIME,
               "vip3.lua:3: service_vip: backends: 0 addresses, not 1 to 64");
}

/* A refused call returns its HRESULT without raising; h:must raises with it. */
static void hns_refusals(void **state) {
  (void)state;
  run_result r;
  run_scenario("hr.lua",
               ONE_HOST "local r = n1:create_endpoint('11111111-2222-3333-4444-555555555555', {Name = 'ep'})\n"
                        "expect.truthy(not r.ok, 'refused')\n"
                        "expect.hresult(r, 'HCN_E_NETWORK_NOT_FOUND')\n"
                        "expect.equal(r.hr, 0x803B0001, 'hr is the unsigned HRESULT')\n"
                        "expect.equal(r.hr_name, 'HCN_E_NETWORK_NOT_FOUND')\n"
                        "expect.truthy(type(r.error) == 'string' and #r.error > 0, 'HNS error text')\n"
                        "local q = n1:delete('network', '11111111-2222-3333-4444-555555555555')\n"
                        "expect.hresult(q, 0x803B0001)\n"
                        "local ok = n1:create_network{Name = 'nat', Type = 'NAT', Ipams = {{Type = 'Static', Subnets = "
                        "{{IpAddressPrefix = '172.20.0.0/24'}}}}}\n"
                        "expect.hresult(ok, 'S_OK')\n"
                        "expect.truthy(ok.id and #ok.id == 36, 'the created network has an ID')\n"
                        "local list = n1:enumerate('network')\n"
                        "expect.equal(list.output, {ok.id}, 'enumerate lists it')\n",
               1, &r);
  assert_passed(&r);
  assert_int_equal(r.out.expectations, 9);
  rpt_db_close(r.db);
  expect_error("must.lua",
               ONE_HOST "n1:must(n1:create_network{Name = 'nat', Type = 'NAT'})\n"
                        "n1:must(n1:create_network{Name = 'nat', Type = 'NAT'})\n",
               HL_E_RUNTIME, "must.lua:4: create network 'nat' failed: 0x803B0010 HCN_E_NETWORK_ALREADY_EXISTS");
}

static void faults(void **state) {
  (void)state;
  run_result r;
  run_scenario("fault.lua",
               ONE_HOST
               "local id = fault.fail{host = n1, op = 'create', kind = 'network', hr = 'E_ACCESSDENIED', times = 2}\n"
               "local doc = {Name = 'nat', Type = 'NAT'}\n"
               "expect.hresult(n1:create_network(doc), 'E_ACCESSDENIED')\n"
               "expect.hresult(n1:create_network(doc), 0x80070005)\n"
               "expect.hresult(n1:create_network(doc), 'S_OK')\n"
               "expect.equal(fault.hits(n1, id), 2)\n"
               "fault.hang{host = 'node1', op = 'query', duration = '2s'}\n"
               "local fired = false\n"
               "after('1s', function() fired = true end)\n"
               "local q = n1:enumerate('network')\n"
               "expect.equal(now(), 0, 'enumerate did not hang')\n"
               "local net = n1:enumerate('network').output[1]\n"
               "local hung = n1:query('network', net)\n"
               "expect.equal(hung.elapsed, 2000000000, 'the query hung 2 s')\n"
               "expect.equal(now(), 2000000000, 'the clock ran over the hang')\n"
               "expect.truthy(fired, 'an event due during the hang ran')\n"
               "local rep = fault.restart(n1, 'hns-data-deleted')\n"
               "expect.equal(rep.dropped.network, 1, 'the network is gone')\n"
               "expect.equal(#n1:enumerate('network').output, 0)\n",
               1, &r);
  assert_passed(&r);
  rpt_db_close(r.db);
}

/* Expectations' order over time: same time, scheduling order. */
static void time_order(void **state) {
  (void)state;
  run_result r;
  run_scenario("time.lua",
               "local log = {}\n"
               "local function mark(s) log[#log + 1] = s .. '@' .. now() // 1000000 end\n"
               "every('10ms', function() mark('every') end, 3)\n"
               "at('20ms', function() mark('at') end)\n"
               "after(20000000, function() mark('after') end)\n"
               "at('5ms', function() mark('at5'); after('15ms', function() mark('nested') end) end)\n"
               "local never = after('15ms', function() mark('cancelled') end)\n"
               "expect.truthy(cancel(never), 'cancel finds it')\n"
               "local forever = every('7ms', function() mark('tick') end)\n"
               "at('15ms', function() cancel(forever) end)\n"
               "run{to = '1s'}\n"
               "expect.equal(table.concat(log, ' '), "
               "'at5@5 tick@7 every@10 tick@14 at@20 after@20 nested@20 every@20 every@30', 'the order')\n"
               "expect.equal(now(), 1000000000, 'run{to} ends there')\n"
               "expect.truthy(not cancel(never), 'a cancelled timer is gone')\n",
               1, &r);
  assert_passed(&r);
  rpt_db_close(r.db);
  expect_error("forever.lua", "every('1s', function() end)\n", HL_E_RUNTIME,
               "forever.lua:1: every() without a count never ends: call run{to=...} in the file");
  expect_error("past.lua", "run{to = '1s'}\nat('10ms', function() end)\n", HL_E_RUNTIME,
               "past.lua:2: at: 10000000 ns is in the past (now is 1000000000 ns)");
  expect_error("nested.lua", "after(1, function() run{} end)\nrun{}\n", HL_E_RUNTIME,
               "nested.lua:1: run: not from inside a callback (the clock is already running)");
}

typedef struct rows {
  int n;
  char names[8][64];
  int passed[8];
  char details[8][4096];
} rows;

static int collect(void *arg, const rpt_expectation_row *row) {
  rows *r = arg;
  if (r->n < 8) {
    snprintf(r->names[r->n], sizeof r->names[0], "%s", row->name);
    snprintf(r->details[r->n], sizeof r->details[0], "%s", row->detail);
    r->passed[r->n++] = row->passed;
  }
  return 0;
}

static void expectation_rows(void **state) {
  (void)state;
  run_result r;
  run_scenario("rows.lua",
               "segment('s')\n"
               "host('a', {os = 'linux', nics = {{name = 'eth0', segment = 's', address = '10.0.0.1/24'}}})\n"
               "host('b', {os = 'linux', nics = {{name = 'eth0', segment = 's', address = '10.0.0.2/24'}}})\n"
               "expect.truthy(true, 'holds')\n"
               "expect.truthy(false, 'does not hold')\n"
               "expect.reach{from = 'a', to = 'b', proto = 'tcp', port = 80}\n"
               "expect.reach{from = 'a', to = '10.9.9.9', proto = 'icmp', what = 'nowhere'}\n"
               "expect.blocked{from = 'a', to = '10.9.9.9', proto = 'icmp', verdict = 'no route'}\n",
               1, &r);
  assert_int_equal(r.out.state, RPT_RUN_FAILED);
  assert_int_equal(r.out.expectations, 5);
  assert_int_equal(r.out.failed, 2);
  rows rw = {0};
  assert_int_equal(rpt_expectation_foreach(r.db, r.out.run_id, RPT_ORDER_SEQ, collect, &rw), RPT_OK);
  assert_int_equal(rw.n, 5);
  assert_string_equal(rw.names[0], "holds");
  assert_int_equal(rw.passed[0], 1);
  assert_string_equal(rw.details[0], "rows.lua:4: got true");
  assert_string_equal(rw.names[1], "does not hold");
  assert_int_equal(rw.passed[1], 0);
  assert_string_equal(rw.names[2], "reach a -> b tcp/80");
  assert_int_equal(rw.passed[2], 1);
  assert_string_equal(rw.names[3], "nowhere");
  assert_int_equal(rw.passed[3], 0);
  assert_contains(rw.details[3], "rows.lua:7: expected delivered, got no route");
  assert_contains(rw.details[3], "request: 1 hop"); /* the trace */
  assert_string_equal(rw.names[4], "blocked a -> 10.9.9.9 icmp");
  assert_int_equal(rw.passed[4], 1);
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(r.db, r.out.run_id, &s), RPT_OK);
  assert_int_equal(s.state, RPT_RUN_FAILED);
  assert_int_equal(s.expectations_failed, 2);
  rpt_run_summary_clear(&s);
  rpt_db_close(r.db);
}

/* Probes, truth tables, listeners, a Linux bridge, link loss, the v1 API
 * and a fault without effect, on the profile without the v2 API too. */
static const char probes_file[] =
    "segment('vnet', {latency = '100us'})\n"
    "router('azure', {{segment = 'vnet', address = '10.240.0.1/16'}})\n"
    "local n1 = host('node1', {nics = {{name = 'Ethernet', segment = 'vnet', address = '10.240.0.4/16'}}, gateway = "
    "'10.240.0.1'})\n"
    "local lnx = host('lnx', {os = 'linux', nics = {{name = 'eth0', segment = 'vnet', address = '10.240.0.6/16'}},\n"
    "                 gateway = '10.240.0.1', bridge = {name = 'cbr0', address = '10.244.3.1/24'}})\n"
    "route('azure', '10.244.3.0/24', '10.240.0.6')\n"
    "local r = n1:hnscall('POST', '/networks', {Name = 'nat', Type = 'nat', Subnets = {{AddressPrefix = "
    "'172.20.0.0/24', GatewayAddress = '172.20.0.1'}}})\n"
    "expect.truthy(r.ok and r.id and r.response.Success, 'v1 network')\n"
    "local e = n1:must(n1:hnscall('POST', '/endpoints', {Name = 'c_nat', VirtualNetworkName = 'nat'}))\n"
    "n1:must(n1:hnscall('POST', '/endpoints/' .. e.id .. '/attach', {ContainerId = 'c', SystemType = 'Container'}))\n"
    "local _, p = expect.reach{from = 'node1/c_nat', to = '10.244.3.7', proto = 'icmp'}\n"
    "expect.equal(p.verdict, 'delivered')\n"
    "expect.equal(p.received, 'icmp 10.240.0.4 -> 10.244.3.7', 'WinNAT gives the node address')\n"
    "expect.equal(p.hops[1].stage, 'route')\n"
    "expect.equal(p.hops[1].leg, 'request')\n"
    "expect.truthy(p.text:find('request: ', 1, true), 'the trace text')\n"
    "local g = n1:hnscall('GET', '/networks/' .. string.rep('0', 8) .. '-0000-0000-0000-' .. string.rep('0', 12))\n"
    "expect.truthy(not g.ok and type(g.error) == 'string', 'a GET of nothing fails with HNS text')\n"
    "local f = fault.no_effect{host = n1, op = 'hnscall', path = '/endpoints'}\n"
    "local ghost = n1:hnscall('POST', '/endpoints', {Name = 'ghost', VirtualNetworkName = 'nat'})\n"
    "expect.truthy(ghost.ok and ghost.fault == f, 'no effect decided')\n"
    "lnx:listen('host', 'tcp', 22)\n"
    "expect.blocked{from = 'node1', to = 'lnx', proto = 'tcp', port = 80, verdict = 'refused'}\n"
    "expect.reach{from = 'node1', to = lnx, proto = 'tcp', port = 22}\n"
    "fault.link{segment = 'vnet', loss = 1}\n"
    "expect.blocked{from = 'node1/c_nat', to = '10.244.3.7', proto = 'icmp', verdict = 'timed out'}\n"
    "fault.link{segment = 'vnet', loss = 0}\n"
    "local t = expect.truth{sources = {'node1', 'lnx'}, targets = {'lnx', {to = 'lnx', port = 22}, {to = 'node1', "
    "proto = 'icmp'}},\n"
    "                       except = {{to = 'lnx tcp/80', expect = 'refused'}}, what = 'the matrix'}\n"
    "local _, tt = expect.truth{sources = {'node1'}, targets = {'lnx'}}\n"
    "expect.equal(tt.tally, {correct = 0, wrong = 1, unexpected_pass = 0, ignored = 0}, 'a wrong cell is counted')\n"
    "expect.truthy(tt.text:find('wrong: node1 -> lnx tcp/80', 1, true), 'and named with its reason')\n";

static void probes_and_truth(void **state) {
  (void)state;
  for (int k = 0; k < 2; k++) {
    run_result r;
    write_file("probes.lua", probes_file);
    assert_int_equal(rpt_db_open(":memory:", &r.db), RPT_OK);
    hl_scenario_config cfg = {
        "probes.lua", "probes", k ? "ws2016" : "ws2022", 1, HL_LIMITS_DEFAULTS, NULL, r.db, "test", NULL, NULL, NULL, NULL};
    assert_int_equal(hl_scenario_run(&cfg, &r.out), HL_OK);
    rows rw = {0};
    rpt_expectation_foreach(r.db, r.out.run_id, RPT_ORDER_FAILED_FIRST, collect, &rw);
    if (r.out.failed != 1) rpt_expectation_foreach(r.db, r.out.run_id, RPT_ORDER_SEQ, print_failure, NULL);
    assert_int_equal(r.out.expectations, 16);
    assert_int_equal(r.out.failed, 1); /* the truth table meant to fail */
    assert_string_equal(rw.names[0], "truth table");
    assert_int_equal(rw.passed[0], 0);
    rpt_db_close(r.db);
  }
}

/* What the detailed rows of one run hold (reports/rpt_rows.h). */
typedef struct detail {
  int calls, failed_calls, no_effect_fault, probes, hops, first_hop_route, tables, cells, wrong_cells, faults,
      snapshots;
  char first_call[160], first_table[64], fault_kinds[64], snapshot_host[16];
  int snapshot_nics; /* the snapshot lists node1's NIC, its address and segment */
} detail;

static int on_call(void *arg, const rpt_hcn_call *c) {
  detail *d = arg;
  if (!d->calls++)
    snprintf(d->first_call, sizeof d->first_call, "%s %s %s %s 0x%08X %s", c->host, c->op, c->method, c->path,
             (unsigned)c->hresult, c->origin);
  if (c->hresult & 0x80000000u) d->failed_calls += c->error_record != NULL;
  if (c->fault_id) d->no_effect_fault++;
  return 0;
}
static int on_probe(void *arg, const rpt_probe *p) {
  (void)p;
  ((detail *)arg)->probes++;
  return 0;
}
static int on_hop(void *arg, const rpt_hop *h) {
  detail *d = arg;
  if (h->probe_seq == 1 && h->idx == 1) d->first_hop_route = !strcmp(h->stage, "route") && !strcmp(h->leg, "request");
  d->hops++;
  return 0;
}
static int on_table(void *arg, const rpt_truth_table *t) {
  detail *d = arg;
  if (!d->tables++) snprintf(d->first_table, sizeof d->first_table, "%s %lldx%lld", t->name, (long long)t->rows,
                             (long long)t->cols);
  return 0;
}
static int on_cell(void *arg, const rpt_truth_cell *c) {
  detail *d = arg;
  d->cells++;
  d->wrong_cells += !strcmp(c->outcome, "wrong");
  return 0;
}
static int on_fault(void *arg, const rpt_fault *f) {
  detail *d = arg;
  d->faults++;
  strncat(d->fault_kinds, f->kind, sizeof d->fault_kinds - strlen(d->fault_kinds) - 2);
  strcat(d->fault_kinds, " ");
  return 0;
}
static int on_snapshot(void *arg, const rpt_snapshot *s) {
  detail *d = arg;
  d->snapshots++;
  snprintf(d->snapshot_host, sizeof d->snapshot_host, "%s", s->host);
  d->snapshot_nics = strstr(s->document, ",\"Nics\":[{\"Name\":\"Ethernet\",\"Address\":\"10.240.0.4/16\","
                                         "\"Segment\":\"vnet\",\"Mac\":\"") != NULL;
  return !strstr(s->document, "\"Networks\"");
}

static void detailed_rows(void **state) {
  (void)state;
  run_result r;
  run_scenario("probes.lua", probes_file, 1, &r);
  detail d;
  memset(&d, 0, sizeof d);
  int64_t id = r.out.run_id;
  assert_int_equal(rpt_hcn_call_foreach(r.db, id, on_call, &d), RPT_OK);
  assert_int_equal(d.calls, 5);
  assert_string_equal(d.first_call, "node1 hnscall POST /networks 0x00000000 probes.lua:7");
  assert_int_equal(d.failed_calls, 1);    /* the GET of nothing, with its ErrorRecord */
  assert_int_equal(d.no_effect_fault, 1); /* the POST the fault swallowed */
  assert_int_equal(rpt_probe_foreach(r.db, id, on_probe, &d), RPT_OK);
  assert_int_equal(d.probes, 4); /* the four expectations; a truth cell is its own row */
  assert_int_equal(rpt_hop_foreach(r.db, id, 0, on_hop, &d), RPT_OK);
  assert_true(d.hops > 10);
  assert_true(d.first_hop_route);
  assert_int_equal(rpt_truth_table_foreach(r.db, id, on_table, &d), RPT_OK);
  assert_int_equal(rpt_truth_cell_foreach(r.db, id, 0, on_cell, &d), RPT_OK);
  assert_int_equal(d.tables, 2);
  assert_string_equal(d.first_table, "the matrix 2x3");
  assert_int_equal(d.cells, 7);
  assert_int_equal(d.wrong_cells, 1);
  assert_int_equal(rpt_fault_foreach(r.db, id, on_fault, &d), RPT_OK);
  assert_string_equal(d.fault_kinds, "no_effect link link ");
  assert_int_equal(rpt_snapshot_foreach(r.db, id, "end", on_snapshot, &d), RPT_OK);
  assert_int_equal(d.snapshots, 1);
  assert_string_equal(d.snapshot_host, "node1");
  assert_true(d.snapshot_nics); /* beside the HNS state, the fabric the report draws */
  rpt_db_close(r.db);
}

static void callback_errors_end_the_run(void **state) {
  (void)state;
  expect_error("cb.lua",
               "local function f(x)\n"
               "  return x.y\n"
               "end\n"
               "after('1ms', function() f(nil) end)\n"
               "run{}\n"
               "expect.truthy(true, 'not reached')\n",
               HL_E_RUNTIME, "cb.lua:2: attempt to index a nil value (local 'x')\nstack traceback:");
  expect_error("cb2.lua", "after('1ms', function() error('boom') end)\n", HL_E_RUNTIME, "cb2.lua:1: boom");
  expect_error("caught.lua",
               "after('1ms', function() error('boom') end)\n"
               "pcall(run, {})\n"
               "segment('s')\n",
               HL_E_RUNTIME, "caught.lua:1: boom");
  write_file("loop.lua", "every('1ms', function() while true do end end)\nrun{to = '1s'}\n");
  rpt_db *db;
  assert_int_equal(rpt_db_open(":memory:", &db), RPT_OK);
  hl_scenario_config cfg = {"loop.lua", "loop", "ws2022", 1,    {HL_DEFAULT_MEMORY_CAP, 100000},
                            NULL,       db,     "test",   NULL, NULL, NULL, NULL};
  hl_scenario_outcome out;
  assert_int_equal(hl_scenario_run(&cfg, &out), HL_OK);
  assert_int_equal(out.state, RPT_RUN_ERROR);
  assert_int_equal(out.status, HL_E_BUDGET);
  assert_contains(out.error, "loop.lua:1: instruction budget of 100000 instructions exhausted");
  rpt_db_close(db);
}

static void inspection(void **state) {
  (void)state;
  hl_limits limits = HL_LIMITS_DEFAULTS;
  hl_scenario_info info;
  char err[HL_ERRMSG_SIZE];
  write_file("meta.lua",
             "local x = 1\nscenario{name = 'm', description = 'd', seed = 42, profiles = {'ws2019', 'ws2022'}}\n"
             "error('not reached when inspecting')\n");
  assert_int_equal(hl_scenario_inspect("meta.lua", &limits, NULL, &info, err, sizeof err), HL_OK);
  assert_string_equal(info.name, "m");
  assert_string_equal(info.description, "d");
  assert_int_equal(info.has_seed, 1);
  assert_int_equal(info.seed, 42);
  assert_int_equal(info.nprofiles, 2);
  assert_string_equal(info.profiles[0], "ws2019");
  assert_string_equal(info.profiles[1], "ws2022");
  write_file("none.lua", "segment('s')\n");
  assert_int_equal(hl_scenario_inspect("none.lua", &limits, NULL, &info, err, sizeof err), HL_OK);
  assert_string_equal(info.name, "none");
  assert_int_equal(info.nprofiles, 0);
  write_file("badprof.lua", "scenario{profiles = {'ws2022', 'ws2018'}}\n");
  assert_int_equal(hl_scenario_inspect("badprof.lua", &limits, NULL, &info, err, sizeof err), HL_E_RUNTIME);
  assert_contains(err, "badprof.lua:1: scenario: profiles[2]: unknown profile 'ws2018' (known: ws2016");
  write_file("syntax.lua", "scenario{\n");
  assert_int_equal(hl_scenario_inspect("syntax.lua", &limits, NULL, &info, err, sizeof err), HL_E_SYNTAX);
  assert_contains(err, "syntax.lua:");
}

/* A scenario that draws on every source of variation a run has: IDs and
 * MACs from the HNS seeds, math.random, lossy links, timers. */
static const char determinism_file[] =
    "scenario{name = 'det'}\n"
    "segment('vnet', {latency = '100us', loss = 0.3})\n"
    "local n1 = host('node1', {nics = {{name = 'Ethernet', segment = 'vnet', address = '10.240.0.4/16'}}})\n"
    "local n2 = host('node2', {nics = {{name = 'Ethernet', segment = 'vnet', address = '10.240.0.5/16'}}})\n"
    "for _, h in ipairs({n1, n2}) do\n"
    "  local net = h:must(h:create_network{Name = 'nat', Type = 'NAT', Ipams = {{Type = 'Static', Subnets = "
    "{{IpAddressPrefix = '172.20.0.0/24', Routes = {{NextHop = '172.20.0.1', DestinationPrefix = '0.0.0.0/0'}}}}}}})\n"
    "  h:must(h:create_endpoint(net, {Name = 'ep', HostComputeNetwork = net.id}))\n"
    "end\n"
    "local t = {z = 1, a = 2, m = 3}\n"
    "for k, v in sorted_pairs(t) do print(k, v, math.random(1000)) end\n"
    "every('1ms', function() expect.reach{from = 'node1', to = 'node2', proto = 'icmp'} end, 5)\n"
    "run{to = '10ms'}\n";

static void digest_of(uint64_t seed, char out[RPT_SHA256_HEX_SIZE]) {
  run_result r;
  run_scenario("det.lua", determinism_file, seed, &r);
  assert_int_equal(r.out.state == RPT_RUN_ERROR, 0);
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(r.db, r.out.run_id, &s), RPT_OK);
  memcpy(out, s.digest, RPT_SHA256_HEX_SIZE);
  assert_int_equal(rpt_run_verify(r.db, r.out.run_id), RPT_OK);
  rpt_run_summary_clear(&s);
  rpt_db_close(r.db);
}

static void same_seed_same_digest(void **state) {
  (void)state;
  char a[RPT_SHA256_HEX_SIZE], b[RPT_SHA256_HEX_SIZE], c[RPT_SHA256_HEX_SIZE];
  digest_of(7, a);
  digest_of(7, b);
  digest_of(8, c);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(detailed_rows),
      cmocka_unit_test(api_errors_name_the_line),
      cmocka_unit_test(hns_refusals),
      cmocka_unit_test(faults),
      cmocka_unit_test(time_order),
      cmocka_unit_test(expectation_rows),
      cmocka_unit_test(probes_and_truth),
      cmocka_unit_test(callback_errors_end_the_run),
      cmocka_unit_test(inspection),
      cmocka_unit_test(same_seed_same_digest),
  };
  return cmocka_run_group_tests(tests, enter_tmpdir, leave_tmpdir);
}
