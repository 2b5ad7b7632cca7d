/* rpt_compare_md.c: a comparison as Markdown (GitHub tables): the two runs
 * in a table, then a section per part, each difference a table row, the
 * timing table, the notes, and the summary line last. Every value from the
 * rows goes through rpt__md_cell(), so none can break a table or be read as
 * emphasis or markup. */
#include <inttypes.h>
#include <string.h>
#include "rpt_compare_int.h"
#include "rpt_report_int.h"
#include "rpt_types.h"

/* s as a code span: delimited by one backtick more than its longest run of
 * them (padded with spaces if it starts or ends with one), '|' escaped (GFM
 * reads that escape inside a table's code spans too), line breaks as
 * spaces. Nothing else is read inside a code span. */
static void code(FILE *out, const char *s) {
  size_t longest = 0, run = 0;
  for (const char *p = s; *p; p++) {
    run = *p == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  int pad = s[0] == '`' || (s[0] && s[strlen(s) - 1] == '`');
  for (size_t i = 0; i <= longest; i++) fputc('`', out);
  if (pad) fputc(' ', out);
  for (; *s; s++) {
    if (*s == '|') fputs("\\|", out);
    else fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
  }
  if (pad) fputc(' ', out);
  for (size_t i = 0; i <= longest; i++) fputc('`', out);
}

/* "| " s " " : one cell of a row, "—" for NULL. */
static void td(FILE *out, const char *s) {
  fputs("| ", out);
  if (s) rpt__md_cell(out, s);
  else fputs("—", out);
  fputc(' ', out);
}

/* The same with s as a code span. */
static void td_code(FILE *out, const char *s) {
  fputs("| ", out);
  if (s) code(out, s);
  else fputs("—", out);
  fputc(' ', out);
}

static void run_row(FILE *out, const char *side, const rpt_run_summary *s) {
  fprintf(out, "| %s | %" PRId64 " ", side, s->id);
  td(out, s->scenario);
  td(out, s->profile);
  td(out, s->backend);
  fprintf(out, "| %" PRIu64 " | %s | %.12s |\n", s->seed, rpt_run_state_name(s->state),
          s->digest[0] ? s->digest : "—");
}

static const char *only(int state) { return state == RPT__CMP_ONLY_A ? "only in A" : "only in B"; }

static void objects(FILE *out, const rpt_compare *c) {
  fputs("\n## Objects\n\nFrom the snapshots labelled ", out);
  code(out, c->label);
  if (!c->hosts_a || !c->hosts_b) {
    fputs(": not compared (see the notes).\n", out);
    return;
  }
  fputs(": ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_OBJECTS], "same");
  fputs(".\n", out);
  if (!c->n_objects) return;
  fputs("\n| host | kind | object | matched by | field | A | B |\n|---|---|---|---|---|---|---|\n", out);
  for (size_t i = 0; i < c->n_objects; i++) {
    const struct rpt__cmp_object *o = &c->objects[i];
    for (size_t f = 0; f < (o->state == RPT__CMP_DIFFER ? o->n_fields : 1); f++) {
      td(out, o->host);
      td(out, o->kind);
      td(out, o->name);
      td(out, o->state == RPT__CMP_DIFFER ? o->by : only(o->state));
      if (o->state == RPT__CMP_DIFFER) {
        td_code(out, o->fields[f].path);
        td_code(out, o->fields[f].a);
        td_code(out, o->fields[f].b);
      } else {
        fprintf(out, "| | %s | %s ", o->state == RPT__CMP_ONLY_A ? "present" : "—",
                o->state == RPT__CMP_ONLY_B ? "present" : "—");
      }
      fputs("|\n", out);
    }
  }
}

static void truth(FILE *out, const rpt_compare *c) {
  fputs("\n## Truth tables\n\nCells: ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_TRUTH], "agree");
  fputs(".\n", out);
  if (!c->n_cells) return;
  fputs("\n| table | row | column | port | A | B |\n|---|---|---|---|---|---|\n", out);
  for (size_t i = 0; i < c->n_cells; i++) {
    const struct rpt__cmp_cell *e = &c->cells[i];
    td(out, e->table);
    td(out, e->row);
    td(out, e->col);
    fputs("| ", out);
    rpt__md_cell(out, e->proto);
    fprintf(out, "/%d ", e->dport);
    td(out, e->a);
    td(out, e->b);
    fputs("|\n", out);
  }
}

static void calls(FILE *out, const rpt_compare *c) {
  char ha[11], hb[11];
  fputs("\n## HCN calls\n\nCalls: ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_CALLS], "same");
  fputs(".\n", out);
  if (!c->n_calls) return;
  fputs("\n| host | call | # in A | # in B | HRESULT in A | HRESULT in B |\n|---|---|---|---|---|---|\n", out);
  for (size_t i = 0; i < c->n_calls; i++) {
    const struct rpt__cmp_call *e = &c->calls[i];
    rpt__cmp_hr(ha, e->hr_a);
    rpt__cmp_hr(hb, e->hr_b);
    td(out, e->host);
    td_code(out, e->what);
    if (e->seq_a) fprintf(out, "| %" PRId64 " ", e->seq_a);
    else fputs("| — ", out);
    if (e->seq_b) fprintf(out, "| %" PRId64 " ", e->seq_b);
    else fputs("| — ", out);
    fprintf(out, "| %s | %s |\n", e->state == RPT__CMP_ONLY_B ? "—" : ha, e->state == RPT__CMP_ONLY_A ? "—" : hb);
  }
}

static void timing_row(FILE *out, int64_t n_a, int64_t n_b, int64_t a, int64_t b) {
  char sa[32], sb[32], r[32];
  rpt__cmp_secs(sa, a);
  rpt__cmp_secs(sb, b);
  rpt__cmp_ratio(r, a, b);
  if (n_a >= 0) fprintf(out, "| %" PRId64 " | %" PRId64 " ", n_a, n_b);
  else fputs("| | ", out);
  fprintf(out, "| %s | %s | %s |\n", sa, sb, r);
}

static void timing(FILE *out, const rpt_compare *c) {
  fputs("\n## Timing\n\nSimulated seconds charged to the calls of each operation, and B's over A's.\n\n"
        "| op | calls in A | calls in B | A (s) | B (s) | B/A |\n|---|---|---|---|---|---|\n",
        out);
  for (size_t i = 0; i < c->n_ops; i++) {
    td(out, c->ops[i].op);
    timing_row(out, c->ops[i].n_a, c->ops[i].n_b, c->ops[i].cost_a, c->ops[i].cost_b);
  }
  if (c->a.has_sim_end && c->b.has_sim_end) {
    fputs("| (run end) ", out);
    timing_row(out, -1, -1, c->a.sim_end_ns, c->b.sim_end_ns);
  }
}

void rpt__cmp_write_md(const rpt_compare *c, FILE *out) {
  fprintf(out, "# hnsim compare: run %" PRId64 " and run %" PRId64 "\n\n", c->a.id, c->b.id);
  fputs("| | run | scenario | profile | backend | seed | state | digest |\n|---|---|---|---|---|---|---|---|\n", out);
  run_row(out, "A", &c->a);
  run_row(out, "B", &c->b);
  objects(out, c);
  truth(out, c);
  calls(out, c);
  timing(out, c);
  if (c->n_notes) fputs("\n## Notes\n\n", out);
  for (size_t i = 0; i < c->n_notes; i++) {
    fputs("- ", out);
    rpt__md_cell(out, c->notes[i]);
    fputc('\n', out);
  }
  fputc('\n', out);
  rpt_compare_summary(c, out);
}
