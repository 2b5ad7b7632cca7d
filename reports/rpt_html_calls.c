/* rpt_html_calls.c: the two logs of a run in the HTML report, each folded
 * in a <details>: every HCN call (the run's call log: operation, object,
 * HRESULT, cost, the fault that decided it, and the JSON sent and answered,
 * folded again), failed calls marked; and the run's log, warnings and
 * errors marked, unfolded when short. */
#include <inttypes.h>
#include "rpt_html_int.h"
#include "rpt_rows.h"

/* A log of at most this many lines is shown unfolded. */
#define LOG_OPEN_MAX 40

static void document(FILE *out, const char *label, const char *text) {
  if (!text || !text[0]) return;
  fprintf(out, "<details><summary>%s</summary><pre>", label);
  rpt__html(out, text);
  fputs("</pre></details>", out);
}

static int call_row(void *arg, const rpt_hcn_call *c) {
  FILE *out = arg;
  int failed = (c->hresult & 0x80000000u) != 0; /* an HRESULT's severity bit */
  fprintf(out, "<tr%s><td class=\"num\">%" PRId64 "</td><td class=\"num\">", failed ? " class=\"bad\"" : "", c->seq);
  rpt__sim_seconds(out, c->sim_time_ns);
  fputs("</td>", out);
  rpt__html_td(out, c->host);
  rpt__html_td(out, c->op);
  fputs("<td>", out);
  rpt__html(out, c->object_type);
  if (c->method || c->path) {
    fputs(" ", out);
    rpt__html(out, c->method);
    fputs(" ", out);
    rpt__html(out, c->path);
  }
  if (c->object_id) {
    fputs("<br><span class=\"mono muted\">", out);
    rpt__html(out, c->object_id);
    fputs("</span>", out);
  }
  fprintf(out, "</td><td class=\"mono\">0x%08X</td><td class=\"num\">", (unsigned)c->hresult);
  rpt__sim_seconds(out, c->cost_ns);
  fputs("</td><td class=\"num\">", out);
  if (c->fault_id) fprintf(out, "%" PRId64, c->fault_id);
  fputs("</td>", out);
  rpt__html_td(out, c->origin);
  fputs("<td>", out);
  rpt__html(out, c->detail);
  document(out, "request", c->request);
  document(out, "response", c->response);
  document(out, "error record", c->error_record);
  fputs("</td></tr>\n", out);
  return 0;
}

int rpt__html_calls(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  fputs("<h3>HCN calls</h3>\n", out);
  if (!s->hcn_calls) {
    fputs("<p class=\"muted\">No HCN calls were recorded.</p>\n", out);
    return RPT_OK;
  }
  fprintf(out,
          "<details><summary>%" PRId64 " calls (failed ones marked)</summary>\n<div class=\"scroll\"><table>\n"
          "<tr><th class=\"num\">#</th><th class=\"num\">sim time (s)</th><th>host</th><th>op</th><th>object</th>"
          "<th>HRESULT</th><th class=\"num\">cost (s)</th><th class=\"num\">fault</th><th>origin</th>"
          "<th>detail</th></tr>\n",
          s->hcn_calls);
  int status = rpt_hcn_call_foreach(db, s->id, call_row, out);
  fputs("</table></div>\n</details>\n", out);
  return status;
}

static int log_row(void *arg, const rpt_log_row *r) {
  FILE *out = arg;
  fprintf(out, "<tr%s><td class=\"num\">%" PRId64 "</td><td class=\"num\">",
          r->level >= RPT_LOG_WARN ? " class=\"bad\"" : "", r->seq);
  rpt__sim_seconds(out, r->sim_time_ns);
  fprintf(out, "</td><td>%s</td>", rpt_log_level_name(r->level));
  rpt__html_td(out, r->source);
  fputs("<td><pre>", out);
  rpt__html(out, r->message);
  fputs("</pre></td></tr>\n", out);
  return 0;
}

int rpt__html_log(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  fputs("<h3>Log</h3>\n", out);
  if (!s->log_rows) {
    fputs("<p class=\"muted\">The log is empty.</p>\n", out);
    return RPT_OK;
  }
  fprintf(out,
          "<details%s><summary>%" PRId64 " lines</summary>\n<table>\n<tr><th class=\"num\">#</th>"
          "<th class=\"num\">sim time (s)</th><th>level</th><th>source</th><th>message</th></tr>\n",
          s->log_rows <= LOG_OPEN_MAX ? " open" : "", s->log_rows);
  int status = rpt_log_foreach(db, s->id, log_row, out);
  fputs("</table>\n</details>\n", out);
  return status;
}
