/* rpt_report_int.h: what the report writers (rpt_markdown.c, rpt_html*.c,
 * rpt_junit.c, rpt_json.c) share, private to reports/: escaping arbitrary
 * bytes for XML and HTML, numbers printed the same on every platform, and
 * the frame of a report over a set of runs (one read snapshot, every run
 * checked before a byte is written). */
#ifndef RPT_REPORT_INT_H
#define RPT_REPORT_INT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "rpt_db.h"

/* ---- text (rpt_report_text.c) ---- */

enum rpt__esc_mode {
  RPT__ESC_TEXT = 0, /* element content: & < > escaped */
  RPT__ESC_ATTR = 1  /* a double-quoted attribute: also " and tab, CR, LF as references */
};

/* Writes the first `n` bytes of `s` as XML 1.0 (and so HTML) text: invalid
 * UTF-8 becomes U+FFFD, characters XML 1.0 forbids (C0 controls other than
 * tab, LF and CR; U+FFFE, U+FFFF) are dropped, markup characters escaped. */
void rpt__esc_xmln(FILE *out, const char *s, size_t n, int mode);
/* The same for a whole string; NULL writes nothing. */
void rpt__esc_xml(FILE *out, const char *s, int mode);

/* The number of characters (UTF-8 code points) in s, and the byte length of
 * its first `chars` characters: what truncation to a width needs. */
size_t rpt__utf8_chars(const char *s);
size_t rpt__utf8_prefix(const char *s, size_t chars);

/* Whether s is valid UTF-8, and a copy of it with each byte that is not
 * replaced by U+FFFD (malloc'd; NULL if out of memory): JSON text must be
 * UTF-8, and a database row may hold any bytes. */
int rpt__utf8_valid(const char *s);
char *rpt__utf8_repaired(const char *s);

/* s inside a Markdown (GitHub) table cell: backslash, '|', '`', '*', '_',
 * '[' and ']' escaped, '<', '>' and '&' as entities, a line break as <br>,
 * so no value can break the table or read as emphasis or markup. */
void rpt__md_cell(FILE *out, const char *s);

/* The style rules both HTML pages (the report, the comparison) start with:
 * the body, headings, tables, the run-state badges, notices, muted text.
 * Generic font families only, so nothing is fetched. */
extern const char rpt__css_common[];

/* Simulated nanoseconds as seconds with nine decimals ("2.500000000"). */
void rpt__sim_seconds(FILE *out, int64_t ns);

/* The shortest of %.15g, %.16g, %.17g that reads back as v, so the text does
 * not depend on the platform's default float formatting. */
void rpt__real(char buf[40], double v);

/* ---- a report over a set of runs (rpt_report_set.c) ---- */

/* Starts a report: checks the arguments (`who` names the writer in
 * messages), opens one read snapshot for the whole report and checks that
 * every run in ids[0..n) exists (RPT_E_NOTFOUND naming the first that does
 * not), so that a report is written whole or not at all. *started is for
 * rpt__report_end. */
int rpt__report_begin(rpt_db *db, const int64_t *ids, size_t n, FILE *out, const char *who, int *started);

/* Ends what rpt__report_begin started and returns `status`, or RPT_E_IO if
 * it was RPT_OK but writing to `out` failed. */
int rpt__report_end(rpt_db *db, FILE *out, const char *who, int started, int status);

/* A run's error text: its log lines at level error, in seq order, joined by
 * newlines (a run in state error wrote why there). *out is malloc'd ("" if
 * there are none); the caller frees it. */
int rpt__run_errors(rpt_db *db, int64_t run_id, char **out);

#endif
