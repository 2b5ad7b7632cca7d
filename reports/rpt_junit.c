/* rpt_junit.c: the JUnit XML report (rpt_junit.h). The counts of every
 * <testsuite> and of the <testsuites> around them come from the run
 * summaries, read before anything is written, so each element's attributes
 * are right when its start tag goes out. Log lines at warn and error go to
 * the suite's <system-err>, where CI systems show them beside the cases. */
#include "rpt_junit.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_read.h"
#include "rpt_report_int.h"

#define WHO "rpt_report_junit"

/* A run that could not be carried out, or was not finished, counts as one
 * errored case besides its expectations. */
static int errored(const rpt_run_summary *s) {
  return s->state == RPT_RUN_ERROR || s->state == RPT_RUN_INCOMPLETE;
}

static void attr(FILE *out, const char *name, const char *value) {
  fprintf(out, " %s=\"", name);
  rpt__esc_xml(out, value, RPT__ESC_ATTR);
  fputc('"', out);
}

/* message="...": the first line of `text`, or `fallback` when it is empty. */
static void message_attr(FILE *out, const char *text, const char *fallback) {
  size_t n = strcspn(text, "\r\n");
  fputs(" message=\"", out);
  if (n) rpt__esc_xmln(out, text, n, RPT__ESC_ATTR);
  else rpt__esc_xml(out, fallback, RPT__ESC_ATTR);
  fputc('"', out);
}

/* What the callbacks of one <testsuite> share. */
struct suite {
  FILE *out;
  const char *classname;
  int system_err; /* <system-err> has been opened */
};

static int testcase(void *arg, const rpt_expectation_row *r) {
  struct suite *su = arg;
  FILE *out = su->out;
  fputs("    <testcase", out);
  attr(out, "classname", su->classname);
  fputs(" name=\"", out);
  rpt__esc_xml(out, r->name, RPT__ESC_ATTR);
  fprintf(out, " #%" PRId64 "\"", r->seq);
  if (r->passed) {
    fputs("/>\n", out);
    return 0;
  }
  fputs(">\n      <failure", out);
  message_attr(out, r->detail, r->name);
  fputs(" type=\"expectation\">", out);
  rpt__esc_xml(out, r->detail, RPT__ESC_TEXT);
  fputs("</failure>\n    </testcase>\n", out);
  return 0;
}

static int warn_line(void *arg, const rpt_log_row *r) {
  struct suite *su = arg;
  FILE *out = su->out;
  if (r->level < RPT_LOG_WARN) return 0;
  if (!su->system_err) fputs("    <system-err>", out);
  su->system_err = 1;
  fprintf(out, "[%s] ", rpt_log_level_name(r->level));
  rpt__sim_seconds(out, r->sim_time_ns);
  fputs(" s ", out);
  rpt__esc_xml(out, r->source, RPT__ESC_TEXT);
  fputs(": ", out);
  rpt__esc_xml(out, r->message, RPT__ESC_TEXT);
  fputc('\n', out);
  return 0;
}

static int run_error_case(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  char *errors;
  int status = rpt__run_errors(db, s->id, &errors);
  if (status != RPT_OK) return status;
  const char *why = s->state == RPT_RUN_INCOMPLETE
                        ? "the run is incomplete: its writer did not finish it (it may still be going, or it crashed)"
                        : "the run could not be carried out";
  fputs("    <testcase", out);
  attr(out, "classname", s->scenario);
  fputs(" name=\"run\">\n      <error", out);
  message_attr(out, errors, why);
  fprintf(out, " type=\"%s\">", s->state == RPT_RUN_INCOMPLETE ? "incomplete" : "error");
  rpt__esc_xml(out, errors[0] ? errors : why, RPT__ESC_TEXT);
  fputs("</error>\n    </testcase>\n", out);
  free(errors);
  return RPT_OK;
}

static void property(FILE *out, const char *name, const char *value) {
  fprintf(out, "      <property name=\"%s\"", name);
  attr(out, "value", value);
  fputs("/>\n", out);
}

static int suite(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  char num[32];
  fputs("  <testsuite name=\"", out);
  rpt__esc_xml(out, s->scenario, RPT__ESC_ATTR);
  fputs(" [", out);
  rpt__esc_xml(out, s->profile, RPT__ESC_ATTR);
  fprintf(out, "]\" tests=\"%" PRId64 "\" failures=\"%" PRId64 "\" errors=\"%d\" skipped=\"0\"",
          s->expectations + errored(s), s->expectations_failed, errored(s));
  if (s->has_sim_end) {
    fputs(" time=\"", out);
    rpt__sim_seconds(out, s->sim_end_ns);
    fputc('"', out);
  }
  fputs(">\n    <properties>\n", out);
  snprintf(num, sizeof num, "%" PRId64, s->id);
  property(out, "run", num);
  property(out, "scenario", s->scenario);
  property(out, "profile", s->profile);
  snprintf(num, sizeof num, "%" PRIu64, s->seed);
  property(out, "seed", num);
  property(out, "backend", s->backend);
  property(out, "state", rpt_run_state_name(s->state));
  if (s->digest[0]) property(out, "digest", s->digest);
  property(out, "hnsim_version", s->hnsim_version);
  fputs("    </properties>\n", out);

  struct suite su = {out, s->scenario, 0};
  int status = rpt_expectation_foreach(db, s->id, RPT_ORDER_SEQ, testcase, &su);
  if (status == RPT_OK && errored(s)) status = run_error_case(db, out, s);
  if (status == RPT_OK) status = rpt_log_foreach(db, s->id, warn_line, &su);
  if (su.system_err) fputs("</system-err>\n", out);
  fputs("  </testsuite>\n", out);
  return status;
}

int rpt_report_junit(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out) {
  int started;
  int status = rpt__report_begin(db, run_ids, n, out, WHO, &started);
  if (status != RPT_OK) return status;
  int64_t tests = 0, failures = 0, errors = 0, time_ns = 0;
  for (size_t i = 0; i < n && status == RPT_OK; i++) {
    rpt_run_summary s;
    if ((status = rpt_run_get(db, run_ids[i], &s)) != RPT_OK) break;
    tests += s.expectations + errored(&s);
    failures += s.expectations_failed;
    errors += errored(&s);
    time_ns += s.sim_end_ns;
    rpt_run_summary_clear(&s);
  }
  if (status == RPT_OK) {
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"hnsim\" tests=\"%" PRId64 "\" failures=\"%" PRId64 "\" errors=\"%" PRId64
            "\" skipped=\"0\" time=\"",
            tests, failures, errors);
    rpt__sim_seconds(out, time_ns);
    fputs("\">\n", out);
  }
  for (size_t i = 0; i < n && status == RPT_OK; i++) {
    rpt_run_summary s;
    if ((status = rpt_run_get(db, run_ids[i], &s)) != RPT_OK) break;
    status = suite(db, out, &s);
    rpt_run_summary_clear(&s);
  }
  if (status == RPT_OK) fputs("</testsuites>\n", out);
  return rpt__report_end(db, out, WHO, started, status);
}
