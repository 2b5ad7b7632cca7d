/* rpt_compare.c: the frame of a comparison (rpt_compare.h): the arguments,
 * one read snapshot of each database, the two runs' summaries, the three
 * parts in turn, the message of a failure moved to db_a; and what every
 * writer shares: the tallies, the summary line, HRESULTs and ratios as
 * text. Printing is from integers only, so it is the same everywhere. */
#include "rpt_compare.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_compare_int.h"
#include "rpt_db_int.h"

#define WHO "rpt_compare_runs"

void *rpt__cmp_grow(void *items, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return items;
  size_t grown_cap = *cap ? 2 * *cap : 16;
  void *grown = realloc(items, grown_cap * size);
  if (grown) *cap = grown_cap;
  return grown;
}

char *rpt__cmp_dup(const char *s) {
  if (!s) return NULL;
  char *d = malloc(strlen(s) + 1);
  return d ? strcpy(d, s) : NULL;
}

int rpt__cmp_note(rpt_compare *c, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char **grown = rpt__cmp_grow(c->notes, &c->cap_notes, c->n_notes, sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  c->notes = grown;
  if (!(c->notes[c->n_notes] = rpt__cmp_dup(buf))) return RPT_E_NOMEM;
  c->n_notes++;
  return RPT_OK;
}

int rpt__cmp_failed(struct rpt__cmp_ctx *x, int side, int status) {
  if (status == RPT_E_NOMEM) return rpt__err(x->db[0], status, WHO ": out of memory");
  if (side == 1 && x->db[1] != x->db[0]) return rpt__err(x->db[0], status, "run B: %s", rpt_db_errmsg(x->db[1]));
  return status;
}

void rpt_compare_free(rpt_compare *c) {
  if (!c) return;
  rpt_run_summary_clear(&c->a);
  rpt_run_summary_clear(&c->b);
  free(c->label);
  for (size_t i = 0; i < c->n_objects; i++) {
    struct rpt__cmp_object *o = &c->objects[i];
    for (size_t f = 0; f < o->n_fields; f++) free(o->fields[f].path), free(o->fields[f].a), free(o->fields[f].b);
    free(o->fields), free(o->host), free(o->name);
  }
  for (size_t i = 0; i < c->n_cells; i++) {
    struct rpt__cmp_cell *e = &c->cells[i];
    free(e->table), free(e->row), free(e->col), free(e->proto), free(e->a), free(e->b);
  }
  for (size_t i = 0; i < c->n_calls; i++) free(c->calls[i].host), free(c->calls[i].what);
  for (size_t i = 0; i < c->n_ops; i++) free(c->ops[i].op);
  for (size_t i = 0; i < c->n_notes; i++) free(c->notes[i]);
  free(c->objects), free(c->cells), free(c->calls), free(c->ops), free(c->notes);
  free(c);
}

/* The two runs' summaries (RPT_E_NOTFOUND for one that is not there), then
 * the parts; every failure goes through rpt__cmp_failed. */
static int build(struct rpt__cmp_ctx *x, const char *label) {
  rpt_compare *c = x->c;
  int status = rpt_run_get(x->db[0], x->run[0], &c->a);
  if (status != RPT_OK) return rpt__cmp_failed(x, 0, status);
  if ((status = rpt_run_get(x->db[1], x->run[1], &c->b)) != RPT_OK) return rpt__cmp_failed(x, 1, status);
  if (!(c->label = rpt__cmp_dup(label))) return rpt__cmp_failed(x, 0, RPT_E_NOMEM);
  if ((status = rpt__cmp_objects(x, label)) == RPT_OK && (status = rpt__cmp_truth(x)) == RPT_OK)
    status = rpt__cmp_calls(x);
  return status;
}

int rpt_compare_runs(rpt_db *db_a, int64_t run_a, rpt_db *db_b, int64_t run_b, const char *label,
                     rpt_compare **out) {
  int status = rpt__enter(db_a);
  if (status != RPT_OK) return status;
  if (!out) return rpt__err(db_a, RPT_E_INVAL, WHO ": out is NULL");
  *out = NULL;
  if (!label || !*label) return rpt__err(db_a, RPT_E_INVAL, WHO ": the snapshot label is NULL or empty");
  if ((status = rpt__enter(db_b)) != RPT_OK) return rpt__err(db_a, status, WHO ": db_b: %s", rpt_db_errmsg(db_b));
  struct rpt__cmp_ctx x = {calloc(1, sizeof(rpt_compare)), {db_a, db_b}, {run_a, run_b}};
  if (!x.c) return rpt__err(db_a, RPT_E_NOMEM, WHO ": out of memory");
  int started_a = 0, started_b = 0;
  status = rpt__read_begin(db_a, &started_a);
  if (status == RPT_OK && (status = rpt__read_begin(db_b, &started_b)) != RPT_OK)
    status = rpt__cmp_failed(&x, 1, status);
  if (status == RPT_OK) status = build(&x, label);
  rpt__read_end(db_b, started_b);
  rpt__read_end(db_a, started_a);
  if (status != RPT_OK) {
    rpt_compare_free(x.c);
    return status;
  }
  *out = x.c;
  return RPT_OK;
}

rpt_compare_tally rpt_compare_tally_of(const rpt_compare *c, int section) {
  rpt_compare_tally none = {0, 0, 0, 0};
  return c && section >= RPT_COMPARE_OBJECTS && section <= RPT_COMPARE_CALLS ? c->tally[section] : none;
}

int rpt_compare_differs(const rpt_compare *c) {
  for (int s = RPT_COMPARE_OBJECTS; c && s <= RPT_COMPARE_CALLS; s++)
    if (c->tally[s].differ || c->tally[s].only_a || c->tally[s].only_b) return 1;
  return 0;
}

void rpt_compare_snapshot_hosts(const rpt_compare *c, int64_t *hosts_a, int64_t *hosts_b) {
  *hosts_a = c ? c->hosts_a : 0;
  *hosts_b = c ? c->hosts_b : 0;
}

void rpt__cmp_hr(char buf[11], uint32_t hr) { snprintf(buf, 11, "0x%08" PRIX32, hr); }

void rpt__cmp_tally_text(FILE *out, const rpt_compare_tally *t, const char *same) {
  fprintf(out, "%" PRId64 " %s, %" PRId64 " differ, %" PRId64 " only in A, %" PRId64 " only in B", t->same, same,
          t->differ, t->only_a, t->only_b);
}

void rpt__cmp_secs(char buf[32], int64_t ns) {
  snprintf(buf, 32, "%" PRId64 ".%09" PRId64, ns / 1000000000, ns % 1000000000);
}

/* Rounded to three decimals, half up, with integers only: the whole part,
 * then the remainder in thousandths (both scaled down when a is so large
 * that r * 2000 could overflow; the rounding is then still exact enough). */
void rpt__cmp_ratio(char buf[32], int64_t a, int64_t b) {
  if (a <= 0) {
    snprintf(buf, 32, "n/a");
    return;
  }
  int64_t whole = b / a, r = b % a;
  while (a > INT64_MAX / 2000) a /= 2, r /= 2;
  int64_t milli = (r * 2000 / a + 1) / 2;
  if (milli == 1000) whole++, milli = 0;
  snprintf(buf, 32, "%" PRId64 ".%03" PRId64, whole, milli);
}

int rpt_compare_summary(const rpt_compare *c, FILE *out) {
  if (!c || !out) return RPT_E_INVAL;
  fputs("objects: ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_OBJECTS], "same");
  fputs("; truth: ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_TRUTH], "agree");
  fputs("; calls: ", out);
  rpt__cmp_tally_text(out, &c->tally[RPT_COMPARE_CALLS], "same");
  fputc('\n', out);
  return ferror(out) ? RPT_E_IO : RPT_OK;
}

int rpt_compare_write(const rpt_compare *c, int format, FILE *out) {
  if (!c || !out) return RPT_E_INVAL;
  switch (format) {
  case RPT_COMPARE_TEXT: rpt__cmp_write_text(c, out); break;
  case RPT_COMPARE_MD: rpt__cmp_write_md(c, out); break;
  case RPT_COMPARE_HTML: rpt__cmp_write_html(c, out); break;
  default: return RPT_E_INVAL;
  }
  return fflush(out) != 0 || ferror(out) ? RPT_E_IO : RPT_OK;
}
