/* rpt_markdown.c: the Markdown report of one run. Reads only through the
 * public read API (inside one read snapshot), so it shows what any reader
 * would: 'running' as incomplete.
 *
 * Determinism: numbers are printed from integers (simulated time as seconds
 * with nine decimals, from nanoseconds) or, for metric values, with the
 * shortest %.{15,16,17}g that reads back as the same double, so the text does
 * not depend on the platform's default float formatting. Table cells are
 * escaped so a value cannot break the table: backslash, '|', '<', '>' and '&' are
 * escaped, and line breaks become <br>. */
#include "rpt_markdown.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_db_int.h"
#include "rpt_read.h"

static void cell(FILE *out, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '\\': fputs("\\\\", out); break;
    case '|': fputs("\\|", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '&': fputs("&amp;", out); break;
    case '\r':
      if (s[1] == '\n') s++;
      fputs("<br>", out);
      break;
    case '\n': fputs("<br>", out); break;
    default: fputc(*s, out);
    }
  }
}

static void sim_seconds(FILE *out, int64_t ns) {
  fprintf(out, "%" PRId64 ".%09" PRId64, ns / 1000000000, ns % 1000000000);
}

static void real(FILE *out, double v) {
  char buf[40];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (prec == 17 || strtod(buf, NULL) == v) break;
  }
  fputs(buf, out);
}

static int expectation_row(void *arg, const rpt_expectation_row *r) {
  FILE *out = arg;
  fprintf(out, "| %" PRId64 " | ", r->seq);
  sim_seconds(out, r->sim_time_ns);
  fputs(r->passed ? " | pass | " : " | **FAIL** | ", out);
  cell(out, r->name);
  fputs(" | ", out);
  cell(out, r->detail);
  fputs(" |\n", out);
  return 0;
}

static int metric_row(void *arg, const rpt_metric_row *r) {
  FILE *out = arg;
  fprintf(out, "| %" PRId64 " | ", r->seq);
  sim_seconds(out, r->sim_time_ns);
  fputs(" | ", out);
  cell(out, r->name);
  fputs(" | ", out);
  real(out, r->value);
  fputs(" |\n", out);
  return 0;
}

static int log_row(void *arg, const rpt_log_row *r) {
  FILE *out = arg;
  fprintf(out, "| %" PRId64 " | ", r->seq);
  sim_seconds(out, r->sim_time_ns);
  fprintf(out, " | %s | ", rpt_log_level_name(r->level));
  cell(out, r->source);
  fputs(" | ", out);
  cell(out, r->message);
  fputs(" |\n", out);
  return 0;
}

static void field(FILE *out, const char *name, const char *value) {
  fprintf(out, "| %s | ", name);
  cell(out, value);
  fputs(" |\n", out);
}

static void header(FILE *out, const rpt_run_summary *s) {
  fprintf(out, "# hnsim run %" PRId64 ": ", s->id);
  cell(out, s->scenario);
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
  if (s->has_sim_end) sim_seconds(out, s->sim_end_ns);
  else fputs("—", out);
  fputs(" |\n", out);
  field(out, "hnsim version", s->hnsim_version);
  field(out, "wall start (UTC)", s->wall_start);
  field(out, "wall end (UTC)", s->wall_end ? s->wall_end : "—");
  if (s->digest[0]) fprintf(out, "| digest (SHA-256) | `%s` |\n", s->digest);
  else fputs("| digest (SHA-256) | — |\n", out);
}

int rpt_report_markdown(rpt_db *db, int64_t run_id, FILE *out) {
  rpt_run_summary s;
  int started;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!out) return rpt__err(db, RPT_E_INVAL, "rpt_report_markdown: out is NULL");
  if ((status = rpt__read_begin(db, &started)) != RPT_OK) return status;
  status = rpt_run_get(db, run_id, &s);
  if (status == RPT_OK) {
    header(out, &s);

    fprintf(out, "\n## Expectations: %" PRId64 " of %" PRId64 " failed\n\n",
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
    fprintf(out, "\n## Metrics: %" PRId64 " samples\n\n", s.metric_rows);
    if (s.metric_rows > 0)
      fputs("| seq | sim time (s) | name | value |\n| ---: | ---: | --- | ---: |\n", out);
    else
      fputs("No metrics were recorded.\n", out);
    status = rpt_metric_foreach(db, run_id, metric_row, out);
  }
  if (status == RPT_OK) {
    fprintf(out, "\n## Log: %" PRId64 " lines\n\n", s.log_rows);
    if (s.log_rows > 0)
      fputs("| seq | sim time (s) | level | source | message |\n"
            "| ---: | ---: | --- | --- | --- |\n",
            out);
    else
      fputs("The log is empty.\n", out);
    status = rpt_log_foreach(db, run_id, log_row, out);
  }
  rpt_run_summary_clear(&s);
  rpt__read_end(db, started);
  if (status == RPT_OK && (fflush(out) != 0 || ferror(out)))
    status = rpt__err(db, RPT_E_IO, "rpt_report_markdown: writing the report failed");
  return status;
}
