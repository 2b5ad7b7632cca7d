/* rpt_compare.h: two runs side by side, for `hnsim compare` (docs/compare.md):
 * typically what a real host did (an imported run) beside what the
 * simulator predicted for it.
 *
 * A comparison is built once from the two runs' rows and then written as
 * text, Markdown or HTML. Three sections:
 *   objects  the HNS objects of each host's snapshot under one label
 *            ("end" by default), matched by name, then by address, then by
 *            content, GUIDs and MACs normalised, compared field by field;
 *   truth    truth-table cells matched by table name, row, column,
 *            protocol and port, compared by the verdict observed;
 *   calls    each host's HCN calls aligned in order (operation, object type,
 *            HNSCall method and path), compared by HRESULT; with the
 *            simulated cost of each operation in both runs.
 * Nothing depends on anything but the rows: the same two runs give the same
 * bytes. The runs may be in one database or in two. */
#ifndef RPT_COMPARE_H
#define RPT_COMPARE_H
#include <stdint.h>
#include <stdio.h>
#include "rpt_db.h"

typedef struct rpt_compare rpt_compare;

/* A section's count of matched things that are the same (truth: agree),
 * that differ, and of things one run has and the other has not. */
typedef struct rpt_compare_tally {
  int64_t same, differ, only_a, only_b;
} rpt_compare_tally;

enum rpt_compare_section { RPT_COMPARE_OBJECTS = 0, RPT_COMPARE_TRUTH = 1, RPT_COMPARE_CALLS = 2 };

enum rpt_compare_format { RPT_COMPARE_TEXT = 0, RPT_COMPARE_MD = 1, RPT_COMPARE_HTML = 2 };

/* Compares run `run_a` of db_a with run `run_b` of db_b (db_b may be db_a),
 * objects from the snapshots labelled `label` (not empty). Each database is
 * read in one snapshot of its own. RPT_E_NOTFOUND when a run does not
 * exist; RPT_E_INVAL for a bad argument. The message of a failure is on
 * db_a, whichever database it came from. On success *out is the comparison
 * (free it with rpt_compare_free); on failure it is NULL. When either run
 * has no snapshot under `label`, objects are not compared (their tally is
 * zero, and the output says so): rpt_compare_snapshot_hosts tells. */
int rpt_compare_runs(rpt_db *db_a, int64_t run_a, rpt_db *db_b, int64_t run_b, const char *label,
                     rpt_compare **out);

/* NULL is accepted. */
void rpt_compare_free(rpt_compare *c);

/* The tally of one section (enum rpt_compare_section). */
rpt_compare_tally rpt_compare_tally_of(const rpt_compare *c, int section);

/* 1 when any section has something that differs or is in one run only,
 * else 0. Timing is never a difference. */
int rpt_compare_differs(const rpt_compare *c);

/* How many hosts have a snapshot under the label in run A and in run B. */
void rpt_compare_snapshot_hosts(const rpt_compare *c, int64_t *hosts_a, int64_t *hosts_b);

/* Writes the comparison as `format` (enum rpt_compare_format): text and
 * Markdown end with the one-line summary; HTML is one self-contained page
 * (no script, nothing fetched). RPT_E_INVAL for an unknown format, RPT_E_IO
 * if writing to `out` fails. */
int rpt_compare_write(const rpt_compare *c, int format, FILE *out);

/* The one-line summary and a newline: "objects: 12 same, 1 differ, 0 only
 * in A, 0 only in B; truth: ...; calls: ...". RPT_E_IO if writing fails. */
int rpt_compare_summary(const rpt_compare *c, FILE *out);

#endif
