/* rpt_strings.c: a run's strings read back by id through a direct-mapped
 * cache filled a window of ids at a time, and a row's texts copied out of
 * it (rpt_strings.h). */
#include "rpt_strings.h"
#include <stdlib.h>
#include <string.h>
#include "rpt_db_int.h"

int rpt__strings_open(rpt_db *db, int64_t run_id, struct rpt__strings *out) {
  out->db = db;
  out->run_id = run_id;
  out->slots = calloc(RPT__STRINGS_SLOTS, sizeof *out->slots);
  if (!out->slots) return rpt__err(db, RPT_E_NOMEM, "out of memory reading the run's strings");
  return RPT_OK;
}

static struct rpt__string_slot *slot_of(struct rpt__strings *s, int64_t id) {
  return &s->slots[(uint64_t)id & (RPT__STRINGS_SLOTS - 1)];
}

static int keep(struct rpt__strings *s, int64_t id, const unsigned char *text, size_t len) {
  struct rpt__string_slot *x = slot_of(s, id);
  if (len + 1 > x->cap) {
    char *p = realloc(x->text, len + 1);
    if (!p) return rpt__err(s->db, RPT_E_NOMEM, "out of memory reading the run's strings");
    x->text = p;
    x->cap = len + 1;
  }
  if (len) memcpy(x->text, text, len);
  x->text[len] = '\0';
  x->len = len;
  x->id = id;
  return RPT_OK;
}

/* Reads ids [first, first + RPT__STRINGS_WINDOW) into their slots. */
static int load_window(struct rpt__strings *s, int64_t first) {
  sqlite3_stmt *st;
  int status = rpt__stmt(s->db, RPT__ST_STRINGS_WINDOW,
                         "SELECT id, text FROM strings WHERE run_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id", &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_int64(st, 1, s->run_id);
  sqlite3_bind_int64(st, 2, first);
  sqlite3_bind_int64(st, 3, first + RPT__STRINGS_WINDOW);
  int rc;
  while (status == RPT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *text = sqlite3_column_text(st, 1);
    size_t len = (size_t)sqlite3_column_bytes(st, 1);
    status = keep(s, sqlite3_column_int64(st, 0), text ? text : (const unsigned char *)"", len);
  }
  if (status == RPT_OK && rc != SQLITE_DONE) status = rpt__sqlerr(s->db, rc, "reading the run's strings");
  rpt__stmt_done(st);
  return status;
}

int rpt__strings_get(struct rpt__strings *s, int64_t id, const char **text, size_t *len) {
  struct rpt__string_slot *x = slot_of(s, id);
  if (id >= 1 && x->id != id) {
    int status = load_window(s, id);
    if (status != RPT_OK) return status;
  }
  *text = id >= 1 && x->id == id ? x->text : NULL;
  *len = *text ? x->len : 0;
  return RPT_OK;
}

void rpt__strings_close(struct rpt__strings *s) {
  if (s->slots)
    for (size_t i = 0; i < RPT__STRINGS_SLOTS; i++) free(s->slots[i].text);
  free(s->slots);
  s->slots = NULL;
}

static int copy_text(struct rpt__strings *s, struct rpt__row_texts *r, int c, const char *text, size_t len) {
  if (r->used + len + 1 > r->cap) {
    size_t cap = r->cap ? r->cap : 1024;
    while (cap < r->used + len + 1) cap *= 2;
    char *p = realloc(r->buf, cap);
    if (!p) return rpt__err(s->db, RPT_E_NOMEM, "out of memory reading a row's strings");
    r->buf = p;
    r->cap = cap;
  }
  memcpy(r->buf + r->used, text, len);
  r->buf[r->used + len] = '\0';
  r->off[c] = r->used;
  r->len[c] = len;
  r->has[c] = 1;
  r->used += len + 1;
  return RPT_OK;
}

int rpt__strings_row(struct rpt__strings *s, sqlite3_stmt *st, const char *kinds, struct rpt__row_texts *r,
                     int *status) {
  r->used = 0;
  *status = RPT_OK;
  for (int c = 0; kinds[c] && c < RPT__ROW_MAX_COLUMNS; c++) {
    const char *text;
    size_t len;
    r->has[c] = 0;
    if ((kinds[c] != 'X' && kinds[c] != 'x') || sqlite3_column_type(st, c) == SQLITE_NULL) continue;
    if ((*status = rpt__strings_get(s, sqlite3_column_int64(st, c), &text, &len)) != RPT_OK) return 0;
    if (!text) {
      if (kinds[c] == 'X') return 0;
      continue;
    }
    if ((*status = copy_text(s, r, c, text, len)) != RPT_OK) return 0;
  }
  return 1;
}

const char *rpt__row_text(const struct rpt__row_texts *r, int col, size_t *len) {
  if (!r->has[col]) return NULL;
  if (len) *len = r->len[col];
  return r->buf + r->off[col];
}

void rpt__row_texts_free(struct rpt__row_texts *r) {
  free(r->buf);
  memset(r, 0, sizeof *r);
}
