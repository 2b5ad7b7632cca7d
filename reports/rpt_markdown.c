/* rpt_markdown.c: the Markdown report of a set of runs: for one run its
 * fields, expectations (failed first), metrics and log; for several, a
 * summary table first and then each run the same way one heading level
 * down. Reads only through the public read API (inside one read snapshot),
 * so it shows what any reader would: 'running' as incomplete.
 *
 * Determinism: numbers are printed from integers (simulated time as seconds
 * with nine decimals, from nanoseconds) or, for metric values, with the
 * shortest %.{15,16,17}g that reads back as the same double (rpt__real).
 * Table cells are escaped so a value cannot break the table: backslash, '|',
 * '<', '>' and '&' are escaped, and line breaks become <br>. */
#include "rpt_markdown.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_db_int.h"
#include "rpt_read.h"
#include "rpt_report_int.h"

static void real(FILE *out, double v) {
  char buf[40];
  rpt__real(buf, v);
  fputs(buf, out);
}

static int expectation_row(void *arg, const rpt_expectation_row *r) {
  FILE *out = arg;
  fprintf(out, "| %" PRId64 " | ", r->seq);
  rpt__sim_seconds(out, r->sim_time_ns);
  fputs(r->passed ? " | pass | " : " | **FAIL** | ", out);
  rpt__md_cell(out, r->name);
  fputs(" | ", out);
  rpt__md_cell(out, r->detail);
  fputs(" |\n", out);
  return 0;
}

static int metric_row(void *arg, const rpt_metric_row *r) {
  FILE *out = arg;
  fprintf(out, "| %" PRId64 " | ", r->seq);
  rpt__sim_seconds(out, r->sim_time_ns);
  fputs(" | ", out);
  rpt__md_cell(out, r->name);
  fputs(" | ", out);
  real(out, r->value);
  fputs(" |\n", out);
  return 0;
}

static int log_row(void *arg, const rpt_log_row *r) {
  FILE *out = arg;
  fprintf(out, "| %" PRId64 " | ", r->seq);
  rpt__sim_seconds(out, r->sim_time_ns);
  fprintf(out, " | %s | ", rpt_log_level_name(r->level));
  rpt__md_cell(out, r->source);
  fputs(" | ", out);
  rpt__md_cell(out, r->message);
  fputs(" |\n", out);
  return 0;
}

static void field(FILE *out, const char *name, const char *value) {
  fprintf(out, "| %s | ", name);
  rpt__md_cell(out, value);
  fputs(" |\n", out);
}

/* `h` is the run title's heading ("#" alone, "##" in a set). */
static void header(FILE *out, const rpt_run_summary *s, const char *h) {
  fprintf(out, "%s hnsim run %" PRId64 ": ", h, s->id);
  rpt__md_cell(out, s->scenario);
  fputs("\n\n", out);
  if (s->state == RPT_RUN_INCOMPLETE)
    fputs("> This run is **incomplete**: its writer has not finished it. It may still be "
          "going, or it stopped (crashed); what follows is what it had committed.\n\n",
          out);
  fputs("| field | value |\n| --- | --- |\n", out);
  fprintf(out, "| state | **%s** |\n", rpt_run_state_name(s->state));
  field(out, "scenario", s->scenario);
  fprintf(out, "| seed | %" PRIu64 " |\n", s->seed);
  field(out, "profile", s->profile);
  field(out, "backend", s->backend);
  fputs("| simulated end (s) | ", out);
  if (s->has_sim_end) rpt__sim_seconds(out, s->sim_end_ns);
  else fputs("—", out);
  fputs(" |\n", out);
  field(out, "hnsim version", s->hnsim_version);
  field(out, "wall start (UTC)", s->wall_start);
  field(out, "wall end (UTC)", s->wall_end ? s->wall_end : "—");
  if (s->digest[0]) fprintf(out, "| digest (SHA-256) | `%s` |\n", s->digest);
  else fputs("| digest (SHA-256) | — |\n", out);
}

/* One run's report; `h` is its title's heading, its sections one level down. */
static int run_report(rpt_db *db, int64_t run_id, FILE *out, const char *h) {
  rpt_run_summary s;
  int status = rpt_run_get(db, run_id, &s);
  if (status == RPT_OK) {
    header(out, &s, h);

    fprintf(out, "\n%s# Expectations: %" PRId64 " of %" PRId64 " failed\n\n", h,
            s.expectations_failed, s.expectations);
    if (s.expectations > 0)
      fputs("| seq | sim time (s) | result | name | detail |\n"
            "| ---: | ---: | --- | --- | --- |\n",
            out);
    else
      fputs("No expectations were recorded.\n", out);
    status = rpt_expectation_foreach(db, run_id, RPT_ORDER_FAILED_FIRST, expectation_row, out);
  }
  if (status == RPT_OK) {
    fprintf(out, "\n%s# Metrics: %" PRId64 " samples\n\n", h, s.metric_rows);
    if (s.metric_rows > 0)
      fputs("| seq | sim time (s) | name | value |\n| ---: | ---: | --- | ---: |\n", out);
    else
      fputs("No metrics were recorded.\n", out);
    status = rpt_metric_foreach(db, run_id, metric_row, out);
  }
  if (status == RPT_OK) {
    fprintf(out, "\n%s# Log: %" PRId64 " lines\n\n", h, s.log_rows);
    if (s.log_rows > 0)
      fputs("| seq | sim time (s) | level | source | message |\n"
            "| ---: | ---: | --- | --- | --- |\n",
            out);
    else
      fputs("The log is empty.\n", out);
    status = rpt_log_foreach(db, run_id, log_row, out);
  }
  rpt_run_summary_clear(&s);
  return status;
}

/* The table that opens a report of several runs: one line per run. */
static int summary(rpt_db *db, const int64_t *ids, size_t n, FILE *out) {
  int counts[4] = {0};
  fprintf(out, "# hnsim report: %zu runs\n\n", n);
  fputs("| run | scenario | profile | state | expectations failed | digest |\n"
        "| ---: | --- | --- | --- | ---: | --- |\n",
        out);
  for (size_t i = 0; i < n; i++) {
    rpt_run_summary s;
    int status = rpt_run_get(db, ids[i], &s);
    if (status != RPT_OK) return status;
    counts[s.state]++;
    fprintf(out, "| %" PRId64 " | ", s.id);
    rpt__md_cell(out, s.scenario);
    fputs(" | ", out);
    rpt__md_cell(out, s.profile);
    fprintf(out, " | %s%s%s | %" PRId64 " of %" PRId64 " | %.12s |\n", s.state == RPT_RUN_PASSED ? "" : "**",
            rpt_run_state_name(s.state), s.state == RPT_RUN_PASSED ? "" : "**", s.expectations_failed,
            s.expectations, s.digest[0] ? s.digest : "—");
    rpt_run_summary_clear(&s);
  }
  fprintf(out, "\n%d passed, %d failed, %d errors, %d incomplete\n\n", counts[RPT_RUN_PASSED],
          counts[RPT_RUN_FAILED], counts[RPT_RUN_ERROR], counts[RPT_RUN_INCOMPLETE]);
  return RPT_OK;
}

int rpt_report_markdown_runs(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out) {
  int started;
  int status = rpt__report_begin(db, run_ids, n, out, "rpt_report_markdown", &started);
  if (status != RPT_OK) return status;
  if (n != 1) status = summary(db, run_ids, n, out);
  for (size_t i = 0; i < n && status == RPT_OK; i++) {
    if (i) fputs("\n", out);
    status = run_report(db, run_ids[i], out, n == 1 ? "#" : "##");
  }
  return rpt__report_end(db, out, "rpt_report_markdown", started, status);
}

int rpt_report_markdown(rpt_db *db, int64_t run_id, FILE *out) {
  return rpt_report_markdown_runs(db, &run_id, 1, out);
}
