/* rpt_compare_text.c: a comparison as plain text, for a terminal and for
 * grep: the two runs, then one line per difference, each whole on its own
 * ("node1 endpoint web_cbr0: Policies[0].Settings.Exceptions[1]:
 * "10.96.0.0/12" -> "10.97.0.0/12""), the timing table, the notes, and
 * the summary line last. Values are JSON as cJSON prints it; text from the
 * rows is written as it is. */
#include <inttypes.h>
#include <string.h>
#include "rpt_compare_int.h"
#include "rpt_types.h"

static void run_line(FILE *out, const char *side, const rpt_run_summary *s) {
  fprintf(out, "%s: run %" PRId64 "  %s [%s]  backend %s  seed %" PRIu64 "  %s  digest %.12s\n", side, s->id,
          s->scenario, s->profile, s->backend, s->seed, rpt_run_state_name(s->state), s->digest[0] ? s->digest : "-");
}

static void objects(FILE *out, const rpt_compare *c) {
  fprintf(out, "\nobjects (snapshots labelled \"%s\"): ", c->label);
  if (!c->hosts_a || !c->hosts_b) {
    fputs("not compared (see the notes)\n", out);
    return;
  }
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_OBJECTS], "same");
  fputc('\n', out);
  for (size_t i = 0; i < c->n_objects; i++) {
    const struct rpt__cmp_object *o = &c->objects[i];
    if (o->state != RPT__CMP_DIFFER) {
      fprintf(out, "  %s %s %s: only in %s\n", o->host, o->kind, o->name, o->state == RPT__CMP_ONLY_A ? "A" : "B");
      continue;
    }
    for (size_t f = 0; f < o->n_fields; f++)
      fprintf(out, "  %s %s %s: %s: %s -> %s\n", o->host, o->kind, o->name, o->fields[f].path,
              o->fields[f].a ? o->fields[f].a : "(absent)", o->fields[f].b ? o->fields[f].b : "(absent)");
  }
}

/* Whether col already names the protocol and port, as the scenario API
 * names columns ("b tcp/80", "b icmp"). */
static int names_port(const struct rpt__cmp_cell *e) {
  char suffix[48];
  if (e->dport) snprintf(suffix, sizeof suffix, " %s/%d", e->proto, e->dport);
  else snprintf(suffix, sizeof suffix, " %s", e->proto);
  size_t n = strlen(e->col), k = strlen(suffix);
  return n >= k && !strcmp(e->col + n - k, suffix);
}

static void truth(FILE *out, const rpt_compare *c) {
  fputs("\ntruth cells: ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_TRUTH], "agree");
  fputc('\n', out);
  for (size_t i = 0; i < c->n_cells; i++) {
    const struct rpt__cmp_cell *e = &c->cells[i];
    fputs("  ", out);
    if (e->table[0]) fprintf(out, "table \"%s\": ", e->table);
    fprintf(out, "%s -> %s", e->row, e->col);
    if (!names_port(e)) fprintf(out, " %s/%d", e->proto, e->dport);
    fputs(": ", out);
    if (e->state == RPT__CMP_DIFFER) fprintf(out, "%s -> %s\n", e->a, e->b);
    else fprintf(out, "only in %s (%s)\n", e->a ? "A" : "B", e->a ? e->a : e->b);
  }
}

static void calls(FILE *out, const rpt_compare *c) {
  char ha[11], hb[11];
  fputs("\nHCN calls: ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_CALLS], "same");
  fputc('\n', out);
  for (size_t i = 0; i < c->n_calls; i++) {
    const struct rpt__cmp_call *e = &c->calls[i];
    rpt__cmp_hr(ha, e->hr_a);
    rpt__cmp_hr(hb, e->hr_b);
    if (e->state == RPT__CMP_DIFFER)
      fprintf(out, "  %s A#%" PRId64 " B#%" PRId64 " %s: %s -> %s\n", e->host, e->seq_a, e->seq_b, e->what, ha, hb);
    else if (e->state == RPT__CMP_ONLY_A)
      fprintf(out, "  %s A#%" PRId64 " %s: only in A (%s)\n", e->host, e->seq_a, e->what, ha);
    else
      fprintf(out, "  %s B#%" PRId64 " %s: only in B (%s)\n", e->host, e->seq_b, e->what, hb);
  }
}

static void timing_row(FILE *out, const char *name, const char *n_a, const char *n_b, int64_t a, int64_t b) {
  char sa[32], sb[32], r[32];
  rpt__cmp_secs(sa, a);
  rpt__cmp_secs(sb, b);
  rpt__cmp_ratio(r, a, b);
  fprintf(out, "  %-12s %8s %8s %18s %18s %8s\n", name, n_a, n_b, sa, sb, r);
}

static void timing(FILE *out, const rpt_compare *c) {
  fputs("\ntiming (simulated seconds charged to the calls; B/A):\n", out);
  fprintf(out, "  %-12s %8s %8s %18s %18s %8s\n", "op", "calls A", "calls B", "A", "B", "B/A");
  for (size_t i = 0; i < c->n_ops; i++) {
    const struct rpt__cmp_op *o = &c->ops[i];
    char n_a[24], n_b[24];
    snprintf(n_a, sizeof n_a, "%" PRId64, o->n_a);
    snprintf(n_b, sizeof n_b, "%" PRId64, o->n_b);
    timing_row(out, o->op, n_a, n_b, o->cost_a, o->cost_b);
  }
  if (c->a.has_sim_end && c->b.has_sim_end) timing_row(out, "(run end)", "", "", c->a.sim_end_ns, c->b.sim_end_ns);
}

void rpt__cmp_write_text(const rpt_compare *c, FILE *out) {
  fputs("hnsim compare\n", out);
  run_line(out, "A", &c->a);
  run_line(out, "B", &c->b);
  objects(out, c);
  truth(out, c);
  calls(out, c);
  timing(out, c);
  if (c->n_notes) fputs("\nnotes:\n", out);
  for (size_t i = 0; i < c->n_notes; i++) fprintf(out, "  %s\n", c->notes[i]);
  fputc('\n', out);
  rpt_compare_summary(c, out);
}
