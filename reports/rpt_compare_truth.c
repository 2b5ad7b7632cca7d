/* rpt_compare_truth.c: the truth section of a comparison: every cell of
 * every truth table of both runs, matched by its table's name, its row,
 * column, protocol and port (a key that comes back, a table probed again
 * later in the run, pairs its k-th cell of A with its k-th of B), and
 * compared by the verdict observed (`actual`): what the expectation was is
 * the scenario's word, not the host's. Cells that differ or that one run
 * lacks are kept, in A's order, then B's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_compare_int.h"
#include "rpt_rows.h"

struct cell {
  char *table, *row, *col, *proto, *actual;
  int dport;
  char *key;
};

struct cells {
  char **tables; /* names by seq - 1 */
  size_t n_tables, cap_tables;
  struct cell *v;
  size_t n, cap;
};

static int table_row(void *arg, const rpt_truth_table *t) {
  struct cells *s = arg;
  char **grown = rpt__cmp_grow(s->tables, &s->cap_tables, s->n_tables, sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  s->tables = grown;
  if (!(s->tables[s->n_tables] = rpt__cmp_dup(t->name))) return RPT_E_NOMEM;
  s->n_tables++;
  return 0;
}

static int cell_row(void *arg, const rpt_truth_cell *r) {
  struct cells *s = arg;
  struct cell *grown = rpt__cmp_grow(s->v, &s->cap, s->n, sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  s->v = grown;
  /* A cell's table was written before it, so its seq is a place in s->tables. */
  const char *table = r->table_seq >= 1 && (size_t)r->table_seq <= s->n_tables ? s->tables[r->table_seq - 1] : "";
  struct cell *c = &s->v[s->n++];
  *c = (struct cell){rpt__cmp_dup(table), rpt__cmp_dup(r->row), rpt__cmp_dup(r->col), rpt__cmp_dup(r->proto),
                     rpt__cmp_dup(r->actual), r->dport, NULL};
  size_t len = strlen(table) + strlen(r->row) + strlen(r->col) + strlen(r->proto) + 16;
  if ((c->key = malloc(len)))
    snprintf(c->key, len, "%s\x1f%s\x1f%s\x1f%s\x1f%d", table, r->row, r->col, r->proto, r->dport);
  return c->table && c->row && c->col && c->proto && c->actual && c->key ? 0 : RPT_E_NOMEM;
}

static void cells_free(struct cells *s) {
  for (size_t i = 0; i < s->n_tables; i++) free(s->tables[i]);
  for (size_t i = 0; i < s->n; i++) {
    struct cell *c = &s->v[i];
    free(c->table), free(c->row), free(c->col), free(c->proto), free(c->actual), free(c->key);
  }
  free(s->tables), free(s->v);
}

/* Keeps cell a (and b, its match, if any) as `state`. */
static int keep(rpt_compare *c, const struct cell *a, const struct cell *b, int state) {
  struct rpt__cmp_cell *grown = rpt__cmp_grow(c->cells, &c->cap_cells, c->n_cells, sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  c->cells = grown;
  const struct cell *any = a ? a : b;
  struct rpt__cmp_cell *e = &c->cells[c->n_cells++];
  *e = (struct rpt__cmp_cell){rpt__cmp_dup(any->table), rpt__cmp_dup(any->row), rpt__cmp_dup(any->col),
                              rpt__cmp_dup(any->proto), any->dport, a ? rpt__cmp_dup(a->actual) : NULL,
                              b ? rpt__cmp_dup(b->actual) : NULL, state};
  int ok = e->table && e->row && e->col && e->proto && (!a || e->a) && (!b || e->b);
  return ok ? RPT_OK : RPT_E_NOMEM;
}

static int compare(rpt_compare *c, const struct cells *a, const struct cells *b) {
  size_t na = a->n ? a->n : 1, nb = b->n ? b->n : 1;
  const char **ka = malloc(na * sizeof *ka), **kb = malloc(nb * sizeof *kb);
  ptrdiff_t *ab = malloc(na * sizeof *ab), *ba = malloc(nb * sizeof *ba);
  int status = ka && kb && ab && ba ? RPT_OK : RPT_E_NOMEM;
  for (size_t i = 0; status == RPT_OK && i < a->n; i++) ka[i] = a->v[i].key, ab[i] = -1;
  for (size_t j = 0; status == RPT_OK && j < b->n; j++) kb[j] = b->v[j].key, ba[j] = -1;
  if (status == RPT_OK) status = rpt__cmp_pair(ka, a->n, kb, b->n, ab, ba);
  rpt_compare_tally *t = &c->tally[RPT_COMPARE_TRUTH];
  for (size_t i = 0; status == RPT_OK && i < a->n; i++) {
    const struct cell *p = &a->v[i], *q = ab[i] >= 0 ? &b->v[ab[i]] : NULL;
    if (!q) t->only_a++, status = keep(c, p, NULL, RPT__CMP_ONLY_A);
    else if (strcmp(p->actual, q->actual)) t->differ++, status = keep(c, p, q, RPT__CMP_DIFFER);
    else t->same++;
  }
  for (size_t j = 0; status == RPT_OK && j < b->n; j++)
    if (ba[j] < 0) t->only_b++, status = keep(c, NULL, &b->v[j], RPT__CMP_ONLY_B);
  free(ka), free(kb), free(ab), free(ba);
  return status;
}

int rpt__cmp_truth(struct rpt__cmp_ctx *x) {
  struct cells s[2] = {{0}, {0}};
  int status = RPT_OK;
  for (int i = 0; i < 2 && status == RPT_OK; i++) {
    status = rpt_truth_table_foreach(x->db[i], x->run[i], table_row, &s[i]);
    if (status == RPT_OK) status = rpt_truth_cell_foreach(x->db[i], x->run[i], 0, cell_row, &s[i]);
    if (status != RPT_OK) status = rpt__cmp_failed(x, i, status);
  }
  if (status == RPT_OK && (status = compare(x->c, &s[0], &s[1])) != RPT_OK) status = rpt__cmp_failed(x, 0, status);
  cells_free(&s[0]), cells_free(&s[1]);
  return status;
}
