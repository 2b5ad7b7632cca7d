/* rpt_report_set.c: the frame every report writer puts around its output:
 * a report covers a set of runs, read from one snapshot of the database, and
 * is refused whole (nothing written) when one of its runs does not exist. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_db_int.h"
#include "rpt_read.h"
#include "rpt_report_int.h"

int rpt__report_begin(rpt_db *db, const int64_t *ids, size_t n, FILE *out, const char *who, int *started) {
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!out) return rpt__err(db, RPT_E_INVAL, "%s: out is NULL", who);
  if (n && !ids) return rpt__err(db, RPT_E_INVAL, "%s: run_ids is NULL", who);
  if ((status = rpt__read_begin(db, started)) != RPT_OK) return status;
  for (size_t i = 0; i < n && status == RPT_OK; i++) {
    rpt_run_summary s;
    status = rpt_run_get(db, ids[i], &s);
    rpt_run_summary_clear(&s);
  }
  if (status != RPT_OK) rpt__read_end(db, *started);
  return status;
}

int rpt__report_end(rpt_db *db, FILE *out, const char *who, int started, int status) {
  rpt__read_end(db, started);
  if (status == RPT_OK && (fflush(out) != 0 || ferror(out)))
    status = rpt__err(db, RPT_E_IO, "%s: writing the report failed", who);
  return status;
}

struct errors {
  char *text;
  size_t len;
};

static int error_line(void *arg, const rpt_log_row *row) {
  struct errors *e = arg;
  if (row->level != RPT_LOG_ERROR) return 0;
  size_t add = strlen(row->message) + (e->len ? 1 : 0);
  char *grown = realloc(e->text, e->len + add + 1);
  if (!grown) return RPT_E_NOMEM;
  if (e->len) grown[e->len++] = '\n';
  strcpy(grown + e->len, row->message);
  e->len += strlen(row->message);
  e->text = grown;
  return 0;
}

int rpt__run_errors(rpt_db *db, int64_t run_id, char **out) {
  struct errors e = {NULL, 0};
  int status = rpt_log_foreach(db, run_id, error_line, &e);
  if (status == RPT_OK && !e.text && !(e.text = calloc(1, 1))) status = RPT_E_NOMEM;
  if (status != RPT_OK) {
    free(e.text);
    *out = NULL;
    return status == RPT_E_NOMEM ? rpt__err(db, status, "out of memory reading run %" PRId64 "'s errors", run_id)
                                 : status;
  }
  *out = e.text;
  return RPT_OK;
}
