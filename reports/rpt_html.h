/* rpt_html.h: a set of runs as one self-contained HTML page. */
#ifndef RPT_HTML_H
#define RPT_HTML_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "rpt_db.h"

/* Writes the report of the runs run_ids[0..n) as one HTML5 file that
 * fetches nothing and runs no script (CSS inline, drawings inline SVG): a
 * summary of the runs; their expectations, runs with failures first and in
 * each the failed expectations first with their traces shown; then per run
 * a drawing of its hosts, networks, endpoints and fabric from the "end"
 * snapshots, its truth tables as heat maps, its metrics as charts, its
 * faults, probes (with hops), HCN calls and log. Everything from the rows is
 * escaped. The bytes depend only on the rows. Every run is checked first
 * (RPT_E_NOTFOUND); RPT_E_IO if writing fails. */
int rpt_report_html(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out);

#endif
