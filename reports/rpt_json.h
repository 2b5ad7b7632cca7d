/* rpt_json.h: a set of runs, every row of them, as one JSON document, for
 * programs that want the results without SQL (docs/reports.md shows its
 * shape). */
#ifndef RPT_JSON_H
#define RPT_JSON_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "rpt_db.h"

/* Writes {"format":"hnsim-report","version":1,"runs":[...]} with one object
 * per run of run_ids[0..n), in that order: the run's fields and counts, then
 * its expectations, metrics, log, HCN calls, probes (each with its hops),
 * truth tables (each with its cells), faults and snapshots (each with its
 * HNS state as an embedded JSON object). Keys come in a fixed order;
 * integers are exact (64-bit); a string the writer may leave NULL is null.
 * The bytes depend only on the rows. Every run is checked first
 * (RPT_E_NOTFOUND); RPT_E_IO if writing fails. */
int rpt_report_json(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out);

#endif
