/* sim_trace.c: hops in an array and their strings in one text arena,
 * addressed by offset so the arena can grow without invalidating a hop.
 * Invariant: every stored offset points at a NUL-terminated string inside
 * the arena's used part. */
#include "sim_trace.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STR_HOST, STR_COMP, STR_PORT, STR_STAGE, STR_RULE, STR_REASON, STR_COUNT };

typedef struct trace_hop {
  sim_time time;
  sim_leg leg;
  sim_stage_verdict verdict;
  sim_flow before, after;
  size_t str[STR_COUNT];
} trace_hop;

struct sim_trace {
  trace_hop *hops;
  size_t n, cap;
  char *text;
  size_t text_len, text_cap;
  int truncated;
};

int sim_trace_create(sim_trace **out) {
  if (!out) return SIM_E_INVAL;
  *out = calloc(1, sizeof(**out));
  return *out ? SIM_OK : SIM_E_NOMEM;
}

void sim_trace_destroy(sim_trace *t) {
  if (!t) return;
  free(t->hops);
  free(t->text);
  free(t);
}

void sim_trace_reset(sim_trace *t) {
  if (!t) return;
  t->n = 0;
  t->text_len = 0;
  t->truncated = 0;
}

size_t sim_trace_count(const sim_trace *t) { return t ? t->n : 0; }
int sim_trace_truncated(const sim_trace *t) { return t ? t->truncated : 0; }

static int reserve_text(sim_trace *t, size_t more) {
  if (t->text_len + more <= t->text_cap) return SIM_OK;
  size_t ncap = t->text_cap ? t->text_cap : 1024;
  while (ncap < t->text_len + more) ncap *= 2;
  char *p = realloc(t->text, ncap);
  if (!p) return SIM_E_NOMEM;
  t->text = p;
  t->text_cap = ncap;
  return SIM_OK;
}

int sim_trace_add(sim_trace *t, const sim_hop *hop) {
  if (!t || !hop) return SIM_E_INVAL;
  const char *s[STR_COUNT] = {hop->host, hop->compartment, hop->port, hop->stage, hop->rule, hop->reason};
  size_t len[STR_COUNT], total = 0;
  for (int i = 0; i < STR_COUNT; i++) {
    len[i] = s[i] ? strlen(s[i]) : 0;
    total += len[i] + 1;
  }
  if (t->n == t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 32;
    trace_hop *p = realloc(t->hops, ncap * sizeof(*p));
    if (!p) {
      t->truncated = 1;
      return SIM_E_NOMEM;
    }
    t->hops = p;
    t->cap = ncap;
  }
  if (reserve_text(t, total)) {
    t->truncated = 1;
    return SIM_E_NOMEM;
  }
  trace_hop *h = &t->hops[t->n++];
  h->time = hop->time;
  h->leg = hop->leg;
  h->verdict = hop->verdict;
  h->before = hop->before;
  h->after = hop->after;
  for (int i = 0; i < STR_COUNT; i++) {
    h->str[i] = t->text_len;
    if (len[i]) memcpy(t->text + t->text_len, s[i], len[i]);
    t->text[t->text_len + len[i]] = '\0';
    t->text_len += len[i] + 1;
  }
  return SIM_OK;
}

int sim_trace_hop(const sim_trace *t, size_t i, sim_hop *out) {
  if (!t || !out || i >= t->n) return SIM_E_INVAL;
  const trace_hop *h = &t->hops[i];
  out->time = h->time;
  out->leg = h->leg;
  out->verdict = h->verdict;
  out->before = h->before;
  out->after = h->after;
  out->host = t->text + h->str[STR_HOST];
  out->compartment = t->text + h->str[STR_COMP];
  out->port = t->text + h->str[STR_PORT];
  out->stage = t->text + h->str[STR_STAGE];
  out->rule = t->text + h->str[STR_RULE];
  out->reason = t->text + h->str[STR_REASON];
  return SIM_OK;
}

static const char *verdict_name(sim_stage_verdict v) {
  switch (v) {
  case SIM_STAGE_PASS: return "pass";
  case SIM_STAGE_DROP: return "drop";
  case SIM_STAGE_CONSUMED: return "consumed";
  }
  return "?";
}

size_t sim_hop_format(const sim_hop *hop, char *out, size_t cap) {
  if (!hop) return 0;
  char before[SIM_FLOW_TEXT], after[SIM_FLOW_TEXT];
  sim_flow_format(&hop->before, before);
  int translated = !sim_flow_equal(&hop->before, &hop->after);
  if (translated) sim_flow_format(&hop->after, after);
  /* Time as milliseconds with nanosecond digits, exact: no floating point. */
  long long ns = (long long)hop->time;
  int n = snprintf(out, cap, "+%lld.%06lldms %s %s/%s/%s %s [%s] %s: %s (%s%s%s)", ns / 1000000, ns % 1000000,
                   hop->leg == SIM_LEG_REPLY ? "rep" : "fwd", hop->host, hop->compartment, hop->port, hop->stage,
                   hop->rule, verdict_name(hop->verdict), hop->reason, before, translated ? " -> " : "",
                   translated ? after : "");
  return n < 0 ? 0 : (size_t)n;
}
