/* rpt_html_int.h: the parts of the HTML report (rpt_html.h). rpt_html.c
 * writes the page around them; each other rpt_html_*.c writes one kind of
 * section of one run, reading its rows through the public read API inside
 * the report's read snapshot. Every section returns an rpt_status. */
#ifndef RPT_HTML_INT_H
#define RPT_HTML_INT_H
#include <stdio.h>
#include "rpt_db_int.h"
#include "rpt_read.h"
#include "rpt_report_int.h"

/* Text and attribute values from the rows, escaped. */
static inline void rpt__html(FILE *out, const char *s) { rpt__esc_xml(out, s, RPT__ESC_TEXT); }
static inline void rpt__html_attr(FILE *out, const char *s) { rpt__esc_xml(out, s, RPT__ESC_ATTR); }
/* A table cell holding s. */
static inline void rpt__html_td(FILE *out, const char *s) {
  fputs("<td>", out);
  rpt__esc_xml(out, s, RPT__ESC_TEXT);
  fputs("</td>", out);
}

/* "SCENARIO [PROFILE]", escaped: how the report names a run. */
void rpt__html_run_name(FILE *out, const rpt_run_summary *s);

/* The run's expectations; `open` shows the ones that held unfolded
 * (rpt_html_expect.c). */
int rpt__html_expectations(rpt_db *db, FILE *out, const rpt_run_summary *s, int open);
/* Hosts, networks, endpoints and the fabric from the "end" snapshots (rpt_html_topo.c). */
int rpt__html_topology(rpt_db *db, FILE *out, const rpt_run_summary *s);
/* Truth tables as heat maps (rpt_html_truth.c). */
int rpt__html_truth(rpt_db *db, FILE *out, const rpt_run_summary *s);
/* A line chart per metric name (rpt_html_chart.c). */
int rpt__html_metrics(rpt_db *db, FILE *out, const rpt_run_summary *s);
/* Faults, and probes with their hops (rpt_html_probes.c). */
int rpt__html_faults(rpt_db *db, FILE *out, const rpt_run_summary *s);
int rpt__html_probes(rpt_db *db, FILE *out, const rpt_run_summary *s);
/* The HCN call log and the run's log (rpt_html_calls.c). */
int rpt__html_calls(rpt_db *db, FILE *out, const rpt_run_summary *s);
int rpt__html_log(rpt_db *db, FILE *out, const rpt_run_summary *s);

#endif
