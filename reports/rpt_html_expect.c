/* rpt_html_expect.c: one run's expectations in the HTML report: why a run
 * in state error could not be carried out, a notice for an incomplete one,
 * each failed expectation with its detail (the hop trace) unfolded in a
 * <pre>, then the ones that held in a table, folded unless asked. */
#include <inttypes.h>
#include <stdlib.h>
#include "rpt_html_int.h"

struct expect_walk {
  FILE *out;
  int open;       /* show the ones that held unfolded */
  int held_table; /* the table of those that held has been started */
};

static int expectation(void *arg, const rpt_expectation_row *r) {
  struct expect_walk *w = arg;
  FILE *out = w->out;
  if (!r->passed) {
    fputs("<div class=\"fail\"><div class=\"head\">FAIL: ", out);
    rpt__html(out, r->name);
    fprintf(out, " <span class=\"muted\">#%" PRId64 " at ", r->seq);
    rpt__sim_seconds(out, r->sim_time_ns);
    fputs(" s</span></div>\n", out);
    if (r->detail[0]) {
      fputs("<pre class=\"trace\">", out);
      rpt__html(out, r->detail);
      fputs("</pre>", out);
    }
    fputs("</div>\n", out);
    return 0;
  }
  if (!w->held_table) {
    fprintf(out, "<details%s><summary>expectations that held</summary>\n", w->open ? " open" : "");
    fputs("<table>\n<tr><th class=\"num\">#</th><th class=\"num\">sim time (s)</th><th>name</th>"
          "<th>detail</th></tr>\n",
          out);
    w->held_table = 1;
  }
  fprintf(out, "<tr><td class=\"num\">%" PRId64 "</td><td class=\"num\">", r->seq);
  rpt__sim_seconds(out, r->sim_time_ns);
  fputs("</td><td>", out);
  rpt__html(out, r->name);
  fputs("</td><td>", out);
  rpt__html(out, r->detail);
  fputs("</td></tr>\n", out);
  return 0;
}

int rpt__html_expectations(rpt_db *db, FILE *out, const rpt_run_summary *s, int open) {
  fprintf(out, "<h3 id=\"exp-%" PRId64 "\"><a href=\"#run-%" PRId64 "\">", s->id, s->id);
  rpt__html_run_name(out, s);
  fprintf(out, "</a> <span class=\"state %s\">%s</span> <span class=\"muted\">run %" PRId64 ": %" PRId64
               " of %" PRId64 " failed</span></h3>\n",
          rpt_run_state_name(s->state), rpt_run_state_name(s->state), s->id, s->expectations_failed,
          s->expectations);
  if (s->state == RPT_RUN_INCOMPLETE)
    fputs("<p class=\"notice\">This run is <b>incomplete</b>: its writer has not finished it. It may "
          "still be going, or it stopped (crashed); what follows is what it had committed.</p>\n",
          out);
  if (s->state == RPT_RUN_ERROR) {
    char *errors;
    int status = rpt__run_errors(db, s->id, &errors);
    if (status != RPT_OK) return status;
    fputs("<div class=\"fail\"><div class=\"head\">The run could not be carried out</div>\n", out);
    if (errors[0]) {
      fputs("<pre class=\"trace\">", out);
      rpt__html(out, errors);
      fputs("</pre>", out);
    }
    fputs("</div>\n", out);
    free(errors);
  }
  if (!s->expectations) {
    fputs("<p class=\"muted\">No expectations were recorded.</p>\n", out);
    return RPT_OK;
  }
  struct expect_walk w = {out, open, 0};
  int status = rpt_expectation_foreach(db, s->id, RPT_ORDER_FAILED_FIRST, expectation, &w);
  if (w.held_table) fputs("</table>\n</details>\n", out);
  return status;
}
