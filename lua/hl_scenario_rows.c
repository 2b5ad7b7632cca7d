/* hl_scenario_rows.c: a run's detailed rows (reports/rpt_rows.h) as the
 * scenario produces them: every HNS call, every probe with its hops, truth
 * tables cell by cell, faults, and snapshots of each Windows host's HNS
 * state with the host's NICs beside it. Each row names the scenario line that made it (hl__line). A
 * database failure is kept (hl__note_db) and ends the run as HL_E_DB;
 * it never raises into the scenario. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hl_scenario_int.h"
#include "hns_api.h"
#include "hns_check.h"
#include "hns_hresult.h"
#include "rpt_rows.h"
#include "sim_net_query.h"

static const char *const kind_names[] = {"network", "endpoint", "namespace", "loadbalancer", "sdnroute"};

void hl__row_call(hl_rt *rt, lua_State *L, const hl_host *h, const hns_backend_request *req,
                  const hns_backend_answer *a) {
  if (!rt->db) return;
  char line[128];
  hl__line(L, line, sizeof line);
  int hnscall = req->op == HNS_OP_HNSCALL;
  rpt_hcn_call c = {0,
                    sim_now(rt->world),
                    h->name,
                    hns_backend_op_name(req->op),
                    hnscall ? "" : kind_names[req->kind],
                    req->id,
                    hnscall ? req->method : NULL,
                    hnscall ? req->path : NULL,
                    req->document,
                    a->output,
                    (uint32_t)a->hr,
                    a->error_record,
                    a->detail,
                    a->elapsed,
                    a->fault_id,
                    line};
  hl__note_db(rt, rpt_hcn_call_add(rt->db, rt->run_id, &c, NULL));
}

static const char *leg_name(sim_leg leg) { return leg == SIM_LEG_FORWARD ? "request" : "reply"; }

static const char *stage_verdict_name(sim_stage_verdict v) {
  return v == SIM_STAGE_DROP ? "drop" : v == SIM_STAGE_CONSUMED ? "consumed" : "pass";
}

void hl__row_probe(hl_rt *rt, lua_State *L, const char *from, const char *to, const sim_probe_spec *spec,
                   const sim_probe_result *r, const sim_trace *t) {
  if (!rt->db) return;
  char line[128], proto[8], sent[SIM_FLOW_TEXT], received[SIM_FLOW_TEXT], reply[SIM_FLOW_TEXT];
  hl__line(L, line, sizeof line);
  sim_proto_name(spec->proto, proto);
  sim_flow_format(&r->sent, sent);
  if (r->reached) sim_flow_format(&r->received, received);
  if (r->replied || r->reply_received.proto) sim_flow_format(&r->reply_received, reply);
  rpt_probe p = {0,
                 r->started,
                 from,
                 to,
                 proto,
                 spec->dport,
                 sim_probe_verdict_name(r->verdict),
                 leg_name(r->leg),
                 r->reason,
                 sent,
                 r->reached ? received : NULL,
                 r->replied || r->reply_received.proto ? reply : NULL,
                 r->finished,
                 line};
  int64_t seq = 0;
  int rc = rpt_probe_add(rt->db, rt->run_id, &p, &seq);
  for (size_t i = 0; !rc && t && i < sim_trace_count(t); i++) {
    sim_hop h;
    char before[SIM_FLOW_TEXT], after[SIM_FLOW_TEXT];
    if (sim_trace_hop(t, i, &h)) break;
    sim_flow_format(&h.before, before);
    sim_flow_format(&h.after, after);
    rpt_hop row = {seq, 0, h.time, leg_name(h.leg), h.host[0] ? h.host : "-", h.compartment, h.port,
                   h.stage, h.rule, h.reason, stage_verdict_name(h.verdict), before, after};
    rc = rpt_hop_add(rt->db, rt->run_id, seq, &row);
  }
  hl__note_db(rt, rc);
}

static const char *outcome_name(sim_truth_outcome o) {
  switch (o) {
  case SIM_TRUTH_CORRECT: return "correct";
  case SIM_TRUTH_WRONG: return "wrong";
  case SIM_TRUTH_UNEXPECTED_PASS: return "unexpected_pass";
  default: return "ignored";
  }
}

void hl__row_truth(hl_rt *rt, lua_State *L, const char *name, sim_truth *t) {
  if (!rt->db) return;
  char line[128];
  hl__line(L, line, sizeof line);
  size_t rows = sim_truth_rows(t), cols = sim_truth_columns(t);
  rpt_truth_table tt = {0, sim_now(rt->world), name ? name : "", line, (int64_t)rows, (int64_t)cols};
  int64_t seq = 0;
  int rc = rpt_truth_table_add(rt->db, rt->run_id, &tt, &seq);
  for (size_t j = 0; !rc && j < cols; j++) {
    sim_truth_target col;
    char proto[8];
    if (sim_truth_column(t, j, &col)) break;
    sim_proto_name(col.proto, proto);
    for (size_t i = 0; !rc && i < rows; i++) {
      const char *row = sim_truth_row_label(t, i);
      sim_truth_cell cell;
      if (sim_truth_cell_get(t, row, col.label, &cell)) break;
      rpt_truth_cell c = {seq,
                          0,
                          row,
                          col.label,
                          proto,
                          col.port,
                          cell.expected == SIM_TRUTH_IGNORED ? "" : sim_truth_expect_name(cell.expected),
                          sim_probe_verdict_name(cell.observed),
                          outcome_name(cell.outcome),
                          0};
      rc = rpt_truth_cell_add(rt->db, rt->run_id, seq, &c);
    }
  }
  hl__note_db(rt, rc);
}

void hl__row_fault(hl_rt *rt, lua_State *L, const char *host, const char *kind, const char *target,
                   const char *fmt, ...) {
  char detail[512], line[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  hl__log(rt, RPT_LOG_INFO, "fault", "%s", detail);
  if (!rt->db) return;
  hl__line(L, line, sizeof line);
  rpt_fault f = {0, sim_now(rt->world), host ? host : "", kind, target ? target : "", detail, line};
  hl__note_db(rt, rpt_fault_add(rt->db, rt->run_id, &f, NULL));
}

/* The host's NICs as the snapshot's top-level "Nics", in name order:
 * [{"Name", "Address" ("10.240.0.4/16", "" for none), "Segment", "Mac"}].
 * HNS knows nothing of them; the fabric is the model's, so the report can
 * draw which segment each host hangs from. Both state loaders (hns_check's
 * and hns_state_load) read only the keys they know, so the document stays
 * loadable. Returns `json` itself when the host has no NIC or the NICs
 * cannot be added (out of memory, a host unknown to the model): the
 * snapshot is then what hns_check_state wrote, as before. */
static char *with_nics(hl_rt *rt, const char *host, char *json) {
  size_t n = 0;
  if (sim_net_host_nics(rt->net, host, NULL, 0, &n) || !n) return json;
  sim_iface_info *nics = malloc(n * sizeof(*nics));
  cJSON *root = nics ? cJSON_Parse(json) : NULL;
  cJSON *list = root ? cJSON_AddArrayToObject(root, "Nics") : NULL;
  int ok = list && !sim_net_host_nics(rt->net, host, nics, n, &n);
  for (size_t i = 0; ok && i < n; i++) {
    char addr[50] = "", mac[18];
    if (nics[i].addr[0].addr.family) sim_prefix_format(&nics[i].addr[0], addr);
    sim_mac_format(&nics[i].mac, mac);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(list, o)) {
      cJSON_Delete(o);
      ok = 0;
      break;
    }
    ok = cJSON_AddStringToObject(o, "Name", nics[i].name) && cJSON_AddStringToObject(o, "Address", addr) &&
         cJSON_AddStringToObject(o, "Segment", nics[i].segment) && cJSON_AddStringToObject(o, "Mac", mac);
  }
  char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  free(nics);
  if (!text) return json;
  free(json);
  return text;
}

void hl__row_snapshots(hl_rt *rt, const char *label) {
  if (!rt->db) return;
  for (size_t i = 0; i < rt->nhosts; i++) {
    const hl_host *h = &rt->hosts[i];
    hns_service *svc = h->backend ? hns_backend_service(h->backend) : NULL;
    if (!svc) continue;
    char *json = NULL;
    hns_hr hr = hns_check_state(svc, &json);
    if (HNS_FAILED(hr)) {
      hl__log(rt, RPT_LOG_WARN, "snapshot", "host %s: its HNS state cannot be read (0x%08X): %s", h->name,
              (unsigned)hr, hns_service_last_detail(svc));
    } else {
      json = with_nics(rt, h->name, json);
      rpt_snapshot s = {0, sim_now(rt->world), h->name, label, json};
      hl__note_db(rt, rpt_snapshot_add(rt->db, rt->run_id, &s, NULL));
    }
    free(json);
  }
}
