/* rpt_compare_html.c: a comparison as one self-contained HTML5 page: the
 * summary and the two runs first, then a table per part (a field that
 * differs, an object, cell or call one run lacks: each a row, marked), the
 * timing table and the notes. No script, nothing fetched: the style sheet
 * is inline and names only generic font families: the HTML report's common
 * rules (rpt__css_common) and this page's own. Everything from the rows is escaped. */
#include <inttypes.h>
#include "rpt_compare_int.h"
#include "rpt_report_int.h"
#include "rpt_types.h"

static const char style[] =
    "code,.mono{font-family:monospace;word-break:break-all}\n"
    "tr.differ td{background:#ffebee}\n"
    "tr.only_a td{background:#fff3e0}\n"
    "tr.only_b td{background:#e3f2fd}\n"
    ".summary{font-weight:bold}\n";

static void esc(FILE *out, const char *s) { rpt__esc_xml(out, s, RPT__ESC_TEXT); }

static void td(FILE *out, const char *s) {
  fputs("<td>", out);
  if (s) esc(out, s);
  else fputs("—", out);
  fputs("</td>", out);
}

static void td_code(FILE *out, const char *s) {
  if (!s) {
    fputs("<td class=\"muted\">absent</td>", out);
    return;
  }
  fputs("<td><code>", out);
  esc(out, s);
  fputs("</code></td>", out);
}

static const char *row_class(int state) {
  return state == RPT__CMP_DIFFER ? "differ" : state == RPT__CMP_ONLY_A ? "only_a" : "only_b";
}

static const char *state_words(int state) {
  return state == RPT__CMP_DIFFER ? "differs" : state == RPT__CMP_ONLY_A ? "only in A" : "only in B";
}

static void tally(FILE *out, const rpt_compare_tally *t, const char *same) {
  fputs("<p>", out);
  rpt__cmp_tally_text(out, t, same);
  fputs(".</p>\n", out);
}

static void run_row(FILE *out, const char *side, const rpt_run_summary *s) {
  const char *state = rpt_run_state_name(s->state);
  fprintf(out, "<tr><th>%s</th><td class=\"num\">%" PRId64 "</td>", side, s->id);
  td(out, s->scenario);
  td(out, s->profile);
  td(out, s->backend);
  fprintf(out, "<td class=\"num\">%" PRIu64 "</td><td><span class=\"state %s\">%s</span></td>", s->seed, state, state);
  fprintf(out, "<td class=\"mono\">%.12s</td></tr>\n", s->digest[0] ? s->digest : "—");
}

static void objects(FILE *out, const rpt_compare *c) {
  fputs("<section id=\"objects\">\n<h2>Objects</h2>\n<p class=\"muted\">From the snapshots labelled <code>", out);
  esc(out, c->label);
  fputs("</code>; GUIDs and MAC addresses normalised.</p>\n", out);
  if (!c->hosts_a || !c->hosts_b) {
    fputs("<p class=\"notice\">Not compared: see the notes.</p>\n</section>\n", out);
    return;
  }
  tally(out, &c->tally[RPT_COMPARE_OBJECTS], "same");
  if (c->n_objects)
    fputs("<table>\n<tr><th>host</th><th>kind</th><th>object</th><th>matched by</th><th>field</th><th>A</th>"
          "<th>B</th></tr>\n",
          out);
  for (size_t i = 0; i < c->n_objects; i++) {
    const struct rpt__cmp_object *o = &c->objects[i];
    for (size_t f = 0; f < (o->state == RPT__CMP_DIFFER ? o->n_fields : 1); f++) {
      fprintf(out, "<tr class=\"%s\">", row_class(o->state));
      td(out, o->host);
      td(out, o->kind);
      td(out, o->name);
      td(out, o->state == RPT__CMP_DIFFER ? o->by : state_words(o->state));
      if (o->state == RPT__CMP_DIFFER) {
        fputs("<td class=\"mono\">", out);
        esc(out, o->fields[f].path);
        fputs("</td>", out);
        td_code(out, o->fields[f].a);
        td_code(out, o->fields[f].b);
      } else {
        fprintf(out, "<td></td><td>%s</td><td>%s</td>", o->state == RPT__CMP_ONLY_A ? "present" : "—",
                o->state == RPT__CMP_ONLY_B ? "present" : "—");
      }
      fputs("</tr>\n", out);
    }
  }
  if (c->n_objects) fputs("</table>\n", out);
  fputs("</section>\n", out);
}

static void truth(FILE *out, const rpt_compare *c) {
  fputs("<section id=\"truth\">\n<h2>Truth tables</h2>\n", out);
  tally(out, &c->tally[RPT_COMPARE_TRUTH], "agree");
  if (c->n_cells)
    fputs("<table>\n<tr><th>table</th><th>row</th><th>column</th><th>port</th><th>A</th><th>B</th><th></th></tr>\n",
          out);
  for (size_t i = 0; i < c->n_cells; i++) {
    const struct rpt__cmp_cell *e = &c->cells[i];
    fprintf(out, "<tr class=\"%s\">", row_class(e->state));
    td(out, e->table);
    td(out, e->row);
    td(out, e->col);
    fputs("<td>", out);
    esc(out, e->proto);
    fprintf(out, "/%d</td>", e->dport);
    td(out, e->a);
    td(out, e->b);
    fprintf(out, "<td>%s</td></tr>\n", state_words(e->state));
  }
  if (c->n_cells) fputs("</table>\n", out);
  fputs("</section>\n", out);
}

static void calls(FILE *out, const rpt_compare *c) {
  char ha[11], hb[11];
  fputs("<section id=\"calls\">\n<h2>HCN calls</h2>\n", out);
  tally(out, &c->tally[RPT_COMPARE_CALLS], "same");
  if (c->n_calls)
    fputs("<table>\n<tr><th>host</th><th>call</th><th class=\"num\"># in A</th><th class=\"num\"># in B</th>"
          "<th>HRESULT in A</th><th>HRESULT in B</th><th></th></tr>\n",
          out);
  for (size_t i = 0; i < c->n_calls; i++) {
    const struct rpt__cmp_call *e = &c->calls[i];
    rpt__cmp_hr(ha, e->hr_a);
    rpt__cmp_hr(hb, e->hr_b);
    fprintf(out, "<tr class=\"%s\">", row_class(e->state));
    td(out, e->host);
    fputs("<td class=\"mono\">", out);
    esc(out, e->what);
    fputs("</td>", out);
    if (e->seq_a) fprintf(out, "<td class=\"num\">%" PRId64 "</td>", e->seq_a);
    else fputs("<td class=\"num\">—</td>", out);
    if (e->seq_b) fprintf(out, "<td class=\"num\">%" PRId64 "</td>", e->seq_b);
    else fputs("<td class=\"num\">—</td>", out);
    fprintf(out, "<td class=\"mono\">%s</td><td class=\"mono\">%s</td><td>%s</td></tr>\n",
            e->state == RPT__CMP_ONLY_B ? "—" : ha, e->state == RPT__CMP_ONLY_A ? "—" : hb, state_words(e->state));
  }
  if (c->n_calls) fputs("</table>\n", out);
  fputs("</section>\n", out);
}

static void timing_cells(FILE *out, int64_t a, int64_t b) {
  char sa[32], sb[32], r[32];
  rpt__cmp_secs(sa, a);
  rpt__cmp_secs(sb, b);
  rpt__cmp_ratio(r, a, b);
  fprintf(out, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n", sa, sb, r);
}

static void timing(FILE *out, const rpt_compare *c) {
  fputs("<section id=\"timing\">\n<h2>Timing</h2>\n<p class=\"muted\">Simulated seconds charged to the calls of "
        "each operation, and B's over A's.</p>\n<table>\n<tr><th>op</th><th class=\"num\">calls in A</th>"
        "<th class=\"num\">calls in B</th><th class=\"num\">A (s)</th><th class=\"num\">B (s)</th>"
        "<th class=\"num\">B/A</th></tr>\n",
        out);
  for (size_t i = 0; i < c->n_ops; i++) {
    const struct rpt__cmp_op *o = &c->ops[i];
    fputs("<tr>", out);
    td(out, o->op);
    fprintf(out, "<td class=\"num\">%" PRId64 "</td><td class=\"num\">%" PRId64 "</td>", o->n_a, o->n_b);
    timing_cells(out, o->cost_a, o->cost_b);
  }
  if (c->a.has_sim_end && c->b.has_sim_end) {
    fputs("<tr><td>(run end)</td><td></td><td></td>", out);
    timing_cells(out, c->a.sim_end_ns, c->b.sim_end_ns);
  }
  fputs("</table>\n</section>\n", out);
}

void rpt__cmp_write_html(const rpt_compare *c, FILE *out) {
  fprintf(out,
          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>hnsim compare: run %" PRId64 " and run %" PRId64 "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n"
          "<h1>hnsim compare: run %" PRId64 " and run %" PRId64 "</h1>\n<p class=\"summary\">",
          c->a.id, c->b.id, rpt__css_common, style, c->a.id, c->b.id);
  rpt_compare_summary(c, out);
  fputs("</p>\n<table>\n<tr><th></th><th class=\"num\">run</th><th>scenario</th><th>profile</th><th>backend</th>"
        "<th class=\"num\">seed</th><th>state</th><th>digest</th></tr>\n",
        out);
  run_row(out, "A", &c->a);
  run_row(out, "B", &c->b);
  fputs("</table>\n", out);
  objects(out, c);
  truth(out, c);
  calls(out, c);
  timing(out, c);
  if (c->n_notes) fputs("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n", out);
  for (size_t i = 0; i < c->n_notes; i++) {
    fputs("<li>", out);
    esc(out, c->notes[i]);
    fputs("</li>\n", out);
  }
  if (c->n_notes) fputs("</ul>\n</section>\n", out);
  fputs("</body>\n</html>\n", out);
}
