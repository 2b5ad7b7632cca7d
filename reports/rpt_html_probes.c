/* rpt_html_probes.c: what a run did to the modelled network, in the HTML
 * report: the faults it injected, and the probes it sent, each with its
 * flows and hop trace folded. Truth tables send a probe per cell, so past
 * PROBES_LISTED probes only those not delivered are listed (the section
 * says so). */
#include <inttypes.h>
#include <string.h>
#include "rpt_html_int.h"
#include "rpt_rows.h"

#define PROBES_LISTED 200

static int fault_row(void *arg, const rpt_fault *r) {
  FILE *out = arg;
  fprintf(out, "<tr><td class=\"num\">%" PRId64 "</td><td class=\"num\">", r->seq);
  rpt__sim_seconds(out, r->sim_time_ns);
  fputs("</td>", out);
  rpt__html_td(out, r->host[0] ? r->host : "(fabric)");
  rpt__html_td(out, r->kind);
  rpt__html_td(out, r->target);
  rpt__html_td(out, r->detail);
  rpt__html_td(out, r->origin);
  fputs("</tr>\n", out);
  return 0;
}

int rpt__html_faults(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  fputs("<h3>Faults</h3>\n", out);
  if (!s->faults) {
    fputs("<p class=\"muted\">No faults were injected.</p>\n", out);
    return RPT_OK;
  }
  fputs("<table>\n<tr><th class=\"num\">#</th><th class=\"num\">sim time (s)</th><th>host</th><th>kind</th>"
        "<th>target</th><th>detail</th><th>origin</th></tr>\n",
        out);
  int status = rpt_fault_foreach(db, s->id, fault_row, out);
  fputs("</table>\n", out);
  return status;
}

static int hop_row(void *arg, const rpt_hop *h) {
  FILE *out = arg;
  fprintf(out, "<tr%s><td class=\"num\">%" PRId64 "</td><td class=\"num\">",
          strcmp(h->verdict, "drop") ? "" : " class=\"bad\"", h->idx);
  rpt__sim_seconds(out, h->sim_time_ns);
  fputs("</td>", out);
  rpt__html_td(out, h->leg);
  rpt__html_td(out, h->host);
  rpt__html_td(out, h->compartment);
  rpt__html_td(out, h->port);
  rpt__html_td(out, h->stage);
  rpt__html_td(out, h->rule);
  rpt__html_td(out, h->verdict);
  rpt__html_td(out, h->reason);
  fputs("<td class=\"mono\">", out);
  rpt__html(out, h->before);
  if (strcmp(h->before, h->after)) {
    fputs(" → ", out);
    rpt__html(out, h->after);
  }
  fputs("</td></tr>\n", out);
  return 0;
}

struct probe_walk {
  rpt_db *db;
  int64_t run_id;
  FILE *out;
  int all; /* list delivered probes too */
};

static void flow(FILE *out, const char *label, const char *f) {
  if (!f) return;
  fprintf(out, "<div class=\"mono\">%s: ", label);
  rpt__html(out, f);
  fputs("</div>\n", out);
}

static int probe_row(void *arg, const rpt_probe *p) {
  struct probe_walk *w = arg;
  FILE *out = w->out;
  int delivered = !strcmp(p->verdict, "delivered");
  if (delivered && !w->all) return 0;
  fprintf(out, "<tr%s><td class=\"num\">%" PRId64 "</td><td class=\"num\">", delivered ? "" : " class=\"bad\"",
          p->seq);
  rpt__sim_seconds(out, p->sim_time_ns);
  fputs("</td>", out);
  rpt__html_td(out, p->from);
  rpt__html_td(out, p->to);
  fputs("<td>", out);
  rpt__html(out, p->proto);
  if (p->dport) fprintf(out, "/%d", p->dport);
  fputs("</td>", out);
  rpt__html_td(out, p->verdict);
  rpt__html_td(out, p->leg);
  rpt__html_td(out, p->reason);
  rpt__html_td(out, p->origin);
  fputs("<td><details><summary>trace</summary>\n", out);
  flow(out, "sent", p->sent);
  flow(out, "received", p->received);
  flow(out, "reply", p->reply);
  fputs("<table>\n<tr><th class=\"num\">#</th><th class=\"num\">sim time (s)</th><th>leg</th><th>host</th>"
        "<th>compartment</th><th>port</th><th>stage</th><th>rule</th><th>verdict</th><th>reason</th>"
        "<th>packet</th></tr>\n",
        out);
  int status = rpt_hop_foreach(w->db, w->run_id, p->seq, hop_row, out);
  fputs("</table>\n</details></td></tr>\n", out);
  return status;
}

int rpt__html_probes(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  fputs("<h3>Probes</h3>\n", out);
  if (!s->probes) {
    fputs("<p class=\"muted\">No probes were sent.</p>\n", out);
    return RPT_OK;
  }
  struct probe_walk w = {db, s->id, out, s->probes <= PROBES_LISTED};
  fprintf(out, "<details%s><summary>%" PRId64 " probes, %" PRId64 " not delivered%s</summary>\n",
          s->probes_failed && s->probes_failed <= PROBES_LISTED ? " open" : "", s->probes, s->probes_failed,
          w.all ? "" : " (only those are listed)");
  if (!w.all && !s->probes_failed) {
    fputs("</details>\n", out);
    return RPT_OK;
  }
  fputs("<div class=\"scroll\"><table>\n<tr><th class=\"num\">#</th><th class=\"num\">sim time (s)</th>"
        "<th>from</th><th>to</th><th>proto</th><th>verdict</th><th>deciding leg</th><th>reason</th>"
        "<th>origin</th><th>hops</th></tr>\n",
        out);
  int status = rpt_probe_foreach(db, s->id, probe_row, &w);
  fputs("</table></div>\n</details>\n", out);
  return status;
}
