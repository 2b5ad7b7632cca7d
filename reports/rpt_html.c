/* rpt_html.c: the HTML report's page (rpt_html.h): the head with the whole
 * style sheet (rpt__css_common and the report's own rules), the title and contents, the summary of the runs, the
 * expectations of every run (runs that did not pass first), then one
 * section per run whose parts the other rpt_html_*.c write.
 *
 * Self-contained by construction: no element refers to anything by URL
 * (links are fragment links within the page), the style sheet names only
 * generic font families, and there is no script. */
#include "rpt_html.h"
#include <inttypes.h>
#include <stdlib.h>
#include "rpt_html_int.h"

#define WHO "rpt_report_html"

static const char style[] =
    "h3{font-size:1.1em;margin:1.2em 0 .4em}\n"
    "nav ul{columns:3;font-size:.9em}\n"
    "pre{background:#f5f5f5;border:1px solid #e0e0e0;padding:.5em;overflow-x:auto;white-space:pre-wrap;"
    "margin:.3em 0}\n"
    "pre.trace{background:#fff8f8;border-color:#ef9a9a}\n"
    "code,pre,.mono{font-family:monospace}\n"
    ".fail{border:1px solid #ef9a9a;border-left:6px solid #c62828;margin:.5em 0;padding:.3em .6em}\n"
    ".fail .head{font-weight:bold;color:#b71c1c}\n"
    "tr.bad td{background:#ffebee}\n"
    "details{margin:.4em 0}\n"
    "summary{cursor:pointer;color:#263238}\n"
    ".scroll{overflow-x:auto}\n"
    "table.heat td{text-align:center;min-width:5em}\n"
    "table.heat th.row{text-align:right}\n"
    ".correct{background:#a5d6a7}\n"
    ".wrong{background:#ef5350;color:#fff;font-weight:bold}\n"
    ".unexpected_pass{background:#ffb74d;font-weight:bold}\n"
    ".ignored{background:#e0e0e0;color:#455a64}\n"
    ".legend span{display:inline-block;padding:0 .6em;margin-right:.4em}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:1em}\n"
    "svg text{font-family:monospace}\n";

void rpt__html_run_name(FILE *out, const rpt_run_summary *s) {
  rpt__html(out, s->scenario);
  fputs(" [", out);
  rpt__html(out, s->profile);
  fputc(']', out);
}

static void state_badge(FILE *out, int state) {
  const char *name = rpt_run_state_name(state);
  fprintf(out, "<span class=\"state %s\">%s</span>", name, name);
}

static void head(FILE *out, const rpt_run_summary *only, size_t n) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
        out);
  if (only) {
    fputs("hnsim: ", out);
    rpt__html_run_name(out, only);
  } else {
    fprintf(out, "hnsim report: %zu runs", n);
  }
  fprintf(out, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<h1>", rpt__css_common, style);
  if (only) {
    fprintf(out, "hnsim run %" PRId64 ": ", only->id);
    rpt__html_run_name(out, only);
  } else {
    fprintf(out, "hnsim report: %zu runs", n);
  }
  fputs("</h1>\n", out);
}

static void summary_row(FILE *out, const rpt_run_summary *s) {
  fprintf(out, "<tr><td class=\"num\"><a href=\"#run-%" PRId64 "\">%" PRId64 "</a></td><td>", s->id, s->id);
  rpt__html(out, s->scenario);
  fputs("</td><td>", out);
  rpt__html(out, s->profile);
  fputs("</td><td>", out);
  state_badge(out, s->state);
  fprintf(out,
          "</td><td class=\"num\">%" PRId64 " / %" PRId64 "</td><td class=\"num\">%" PRId64 " / %" PRId64
          "</td><td class=\"num\">%" PRId64 "</td><td class=\"num\">%" PRId64 "</td><td class=\"num\">",
          s->expectations_failed, s->expectations, s->probes_failed, s->probes, s->hcn_calls, s->faults);
  if (s->has_sim_end) rpt__sim_seconds(out, s->sim_end_ns);
  else fputs("—", out);
  fprintf(out, "</td><td class=\"num\">%" PRIu64 "</td><td class=\"mono\">%.12s</td></tr>\n", s->seed,
          s->digest[0] ? s->digest : "—");
}

static void summary(FILE *out, const rpt_run_summary *runs, size_t n) {
  int counts[4] = {0};
  fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n<tr><th>run</th><th>scenario</th>"
        "<th>profile</th><th>state</th><th>expectations failed</th><th>probes not delivered</th>"
        "<th>HCN calls</th><th>faults</th><th>simulated end (s)</th><th>seed</th><th>digest</th></tr>\n",
        out);
  for (size_t i = 0; i < n; i++) {
    counts[runs[i].state]++;
    summary_row(out, &runs[i]);
  }
  fprintf(out, "</table>\n<p>%zu runs: %d passed, %d failed, %d errors, %d incomplete.</p>\n</section>\n", n,
          counts[RPT_RUN_PASSED], counts[RPT_RUN_FAILED], counts[RPT_RUN_ERROR], counts[RPT_RUN_INCOMPLETE]);
}

static void contents(FILE *out, const rpt_run_summary *runs, size_t n) {
  fputs("<nav>\n<ul>\n<li><a href=\"#summary\">Summary</a></li>\n<li><a href=\"#expectations\">"
        "Expectations</a></li>\n",
        out);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "<li><a href=\"#run-%" PRId64 "\">Run %" PRId64 ": ", runs[i].id, runs[i].id);
    rpt__html_run_name(out, &runs[i]);
    fputs("</a></li>\n", out);
  }
  fputs("</ul>\n</nav>\n", out);
}

/* The expectations of every run: first those that did not pass, then the rest. */
static int expectations(rpt_db *db, FILE *out, const rpt_run_summary *runs, size_t n) {
  int status = RPT_OK;
  fputs("<section id=\"expectations\">\n<h2>Expectations</h2>\n", out);
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n && status == RPT_OK; i++)
      if ((runs[i].state == RPT_RUN_PASSED) == pass) status = rpt__html_expectations(db, out, &runs[i], n == 1);
  fputs("</section>\n", out);
  return status;
}

static void fields(FILE *out, const rpt_run_summary *s) {
  fputs("<table>\n", out);
  fputs("<tr><th>state</th><td>", out);
  state_badge(out, s->state);
  fputs("</td></tr>\n<tr><th>scenario</th><td>", out);
  rpt__html(out, s->scenario);
  fputs("</td></tr>\n<tr><th>profile</th><td>", out);
  rpt__html(out, s->profile);
  fprintf(out, "</td></tr>\n<tr><th>seed</th><td>%" PRIu64 "</td></tr>\n<tr><th>backend</th><td>", s->seed);
  rpt__html(out, s->backend);
  fputs("</td></tr>\n<tr><th>simulated end (s)</th><td>", out);
  if (s->has_sim_end) rpt__sim_seconds(out, s->sim_end_ns);
  else fputs("—", out);
  fputs("</td></tr>\n<tr><th>hnsim version</th><td>", out);
  rpt__html(out, s->hnsim_version);
  fputs("</td></tr>\n<tr><th>wall start (UTC)</th><td>", out);
  rpt__html(out, s->wall_start);
  fputs("</td></tr>\n<tr><th>wall end (UTC)</th><td>", out);
  rpt__html(out, s->wall_end ? s->wall_end : "—");
  fprintf(out, "</td></tr>\n<tr><th>digest (SHA-256)</th><td class=\"mono\">%s</td></tr>\n</table>\n",
          s->digest[0] ? s->digest : "—");
}

static int run_section(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  fprintf(out, "<section class=\"run\" id=\"run-%" PRId64 "\">\n<h2>Run %" PRId64 ": ", s->id, s->id);
  rpt__html_run_name(out, s);
  fputs("</h2>\n", out);
  fields(out, s);
  int status = rpt__html_topology(db, out, s);
  if (status == RPT_OK) status = rpt__html_truth(db, out, s);
  if (status == RPT_OK) status = rpt__html_metrics(db, out, s);
  if (status == RPT_OK) status = rpt__html_faults(db, out, s);
  if (status == RPT_OK) status = rpt__html_probes(db, out, s);
  if (status == RPT_OK) status = rpt__html_calls(db, out, s);
  if (status == RPT_OK) status = rpt__html_log(db, out, s);
  fputs("</section>\n", out);
  return status;
}

int rpt_report_html(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out) {
  int started;
  int status = rpt__report_begin(db, run_ids, n, out, WHO, &started);
  if (status != RPT_OK) return status;
  rpt_run_summary *runs = n ? calloc(n, sizeof *runs) : NULL;
  if (n && !runs) status = rpt__err(db, RPT_E_NOMEM, WHO ": out of memory");
  for (size_t i = 0; i < n && status == RPT_OK; i++) status = rpt_run_get(db, run_ids[i], &runs[i]);
  if (status == RPT_OK) {
    head(out, n == 1 ? &runs[0] : NULL, n);
    if (n > 1) contents(out, runs, n);
    summary(out, runs, n);
  }
  if (status == RPT_OK) status = expectations(db, out, runs, n);
  for (size_t i = 0; i < n && status == RPT_OK; i++) status = run_section(db, out, &runs[i]);
  if (status == RPT_OK) fputs("</body>\n</html>\n", out);
  for (size_t i = 0; runs && i < n; i++) rpt_run_summary_clear(&runs[i]);
  free(runs);
  return rpt__report_end(db, out, WHO, started, status);
}
