/* hl_probe_text.c: a probe and its hops as text (hl_probe_text.h); moved
 * here from cli/trace_print.c so that `hnsim trace` and the scenario
 * expectations print the same table. Column widths come from the hops, so
 * the text depends on the probe alone. */
#include "hl_probe_text.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { C_TIME, C_HOST, C_COMP, C_PORT, C_STAGE, C_RULE, C_COUNT };
static const char *const heads[C_COUNT] = {"TIME", "HOST", "COMPARTMENT", "PORT", "STAGE", "RULE"};

/* "+1.500ms": simulated time since the probe started, to the microsecond. */
static void time_text(sim_time t, char out[32]) {
  if (t < 0) t = 0;
  snprintf(out, 32, "+%" PRId64 ".%03" PRId64 "ms", (int64_t)(t / SIM_MS(1)), (int64_t)(t % SIM_MS(1) / SIM_US(1)));
}

static void cells(const sim_hop *h, sim_time start, char time[32], const char *out[C_COUNT]) {
  time_text(h->time - start, time);
  out[C_TIME] = time;
  out[C_HOST] = h->host[0] ? h->host : "-";
  out[C_COMP] = h->compartment[0] ? h->compartment : "-";
  out[C_PORT] = h->port[0] ? h->port : "-";
  out[C_STAGE] = h->stage;
  out[C_RULE] = h->rule[0] ? h->rule : "-";
}

static void flow_line(FILE *f, const char *label, int have, const sim_flow *fl) {
  char text[SIM_FLOW_TEXT];
  if (have) sim_flow_format(fl, text);
  fprintf(f, "%-10s%s\n", label, have ? text : "-");
}

static void print_leg(FILE *f, const sim_trace *t, sim_leg leg, sim_time start, const size_t width[C_COUNT]) {
  size_t count = 0;
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    sim_hop h;
    if (sim_trace_hop(t, i, &h) == SIM_OK && h.leg == leg) count++;
  }
  fprintf(f, "\n%s: %zu hop%s\n", leg == SIM_LEG_FORWARD ? "request" : "reply", count, count == 1 ? "" : "s");
  if (!count) return;
  fprintf(f, " ");
  for (int c = 0; c < C_COUNT; c++) fprintf(f, " %-*s", (int)width[c], heads[c]);
  fprintf(f, " NOTE\n");
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    sim_hop h;
    char time[32];
    const char *cell[C_COUNT];
    if (sim_trace_hop(t, i, &h) != SIM_OK || h.leg != leg) continue;
    cells(&h, start, time, cell);
    fprintf(f, " ");
    for (int c = 0; c < C_COUNT; c++) fprintf(f, " %-*s", (int)width[c], cell[c]);
    fprintf(f, " %s%s", h.verdict == SIM_STAGE_DROP ? "DROP: " : h.verdict == SIM_STAGE_CONSUMED ? "CONSUMED: " : "",
            h.reason);
    if (!sim_flow_equal(&h.before, &h.after)) {
      char a[SIM_FLOW_TEXT], b[SIM_FLOW_TEXT];
      sim_flow_format(&h.before, a);
      sim_flow_format(&h.after, b);
      fprintf(f, " [%s -> %s]", a, b);
    }
    fprintf(f, "\n");
  }
}

void hl_probe_print(FILE *f, const sim_probe_result *r, const sim_trace *t) {
  size_t width[C_COUNT];
  for (int c = 0; c < C_COUNT; c++) width[c] = strlen(heads[c]);
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    sim_hop h;
    char time[32];
    const char *cell[C_COUNT];
    if (sim_trace_hop(t, i, &h) != SIM_OK) continue;
    cells(&h, r->started, time, cell);
    for (int c = 0; c < C_COUNT; c++)
      if (strlen(cell[c]) > width[c]) width[c] = strlen(cell[c]);
  }
  char took[32];
  time_text(r->finished - r->started, took);
  fprintf(f, "verdict:  %s%s%s\n", sim_probe_verdict_name(r->verdict),
          r->verdict == SIM_PROBE_DELIVERED ? ", reply received " : " at ", took);
  fprintf(f, "reason:   %s\n", r->reason[0] ? r->reason : "-");
  flow_line(f, "sent:", 1, &r->sent);
  flow_line(f, "received:", r->reached, &r->received);
  flow_line(f, "reply:", r->replied, &r->reply_received);
  print_leg(f, t, SIM_LEG_FORWARD, r->started, width);
  print_leg(f, t, SIM_LEG_REPLY, r->started, width);
  if (sim_trace_truncated(t)) fprintf(f, "\n(the trace is incomplete: out of memory recording hops)\n");
}

char *hl_probe_text(const sim_probe_result *r, const sim_trace *t) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return NULL;
  hl_probe_print(f, r, t);
  if (fclose(f)) {
    free(text);
    return NULL;
  }
  return text;
}
