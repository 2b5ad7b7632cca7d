/* rpt_markdown.h: a report of a set of runs as Markdown (GitHub-flavoured
 * tables). */
#ifndef RPT_MARKDOWN_H
#define RPT_MARKDOWN_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "rpt_db.h"

/* Writes the report of the runs run_ids[0..n) to `out`, in that order.
 * One run: a title, the run's fields (an unfinished run shows as
 * incomplete), its expectations (failed first, then in seq order), its
 * metrics and its log. Several: a title, a table of the runs with their
 * states and the totals, then each run as above one heading level down.
 * The bytes depend only on the database's rows (the wall-clock start and
 * end are rows too). Every run is checked before anything is written:
 * RPT_E_NOTFOUND for one that does not exist. RPT_E_IO if writing to `out`
 * fails; what was written before the failure stays. */
int rpt_report_markdown_runs(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out);

/* The report of one run: rpt_report_markdown_runs(db, &run_id, 1, out). */
int rpt_report_markdown(rpt_db *db, int64_t run_id, FILE *out);

#endif
