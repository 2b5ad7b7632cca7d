/* rpt_markdown.h: a run's report as Markdown (GitHub-flavoured tables). */
#ifndef RPT_MARKDOWN_H
#define RPT_MARKDOWN_H
#include <stdint.h>
#include <stdio.h>
#include "rpt_db.h"

/* Writes run `run_id`'s report to `out`: a title, the run's fields (an
 * unfinished run shows as incomplete), its expectations (failed first, then
 * in seq order), its metrics and its log. The bytes depend only on the
 * database's rows, except the wall-clock start and end lines. RPT_E_IO if
 * writing to `out` fails; what was written before the failure stays. */
int rpt_report_markdown(rpt_db *db, int64_t run_id, FILE *out);

#endif
