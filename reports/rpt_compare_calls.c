/* rpt_compare_calls.c: the calls section of a comparison: each host's HCN
 * calls (hosts by name), in the order they were made, aligned between the
 * runs by what they did: operation, object type, and for HNSCall its method
 * and path with GUIDs as "<guid>" (an object's ID is per instance). The
 * alignment is a shortest edit script, so a call one run made and the
 * other did not shifts nothing after it. Aligned calls are compared by
 * HRESULT; those that differ, and those one run made alone, are kept.
 *
 * Past ALIGN_MAX calls on one side only, aligning costs too much (time and
 * memory grow with that count squared): that host's calls are then taken
 * by position, and a note says so.
 *
 * Timing: per operation, the number of calls and the simulated time they
 * were charged (cost_ns) in each run. */
#include <stdlib.h>
#include <string.h>
#include "rpt_compare_int.h"
#include "rpt_rows.h"

#define ALIGN_MAX 1000

struct call {
  char *host, *what, *op;
  int64_t seq, cost;
  uint32_t hr;
};

struct calls {
  struct call *v;
  size_t n, cap;
};

/* "op type method path", each part only when there is one. */
static char *what_of(const rpt_hcn_call *r) {
  char *path = r->path ? rpt__cmp_norm(r->path, NULL) : NULL;
  if (r->path && !path) return NULL;
  size_t len = strlen(r->op) + strlen(r->object_type) + (r->method ? strlen(r->method) : 0) +
               (path ? strlen(path) : 0) + 4;
  char *w = malloc(len);
  if (w) {
    snprintf(w, len, "%s", r->op);
    const char *parts[] = {r->object_type, r->method, path};
    for (size_t i = 0; i < 3; i++)
      if (parts[i] && parts[i][0]) strcat(strcat(w, " "), parts[i]);
  }
  free(path);
  return w;
}

static int call_row(void *arg, const rpt_hcn_call *r) {
  struct calls *s = arg;
  struct call *grown = rpt__cmp_grow(s->v, &s->cap, s->n, sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  s->v = grown;
  struct call *c = &s->v[s->n++];
  *c = (struct call){rpt__cmp_dup(r->host), what_of(r), rpt__cmp_dup(r->op), r->seq, r->cost_ns, r->hresult};
  return c->host && c->what && c->op ? 0 : RPT_E_NOMEM;
}

static void calls_free(struct calls *s) {
  for (size_t i = 0; i < s->n; i++) free(s->v[i].host), free(s->v[i].what), free(s->v[i].op);
  free(s->v);
}

static int by_host_then_seq(const void *x, const void *y) {
  const struct call *p = x, *q = y;
  int c = strcmp(p->host, q->host);
  return c ? c : (p->seq > q->seq) - (p->seq < q->seq);
}

/* ---- timing ---- */

static int op_add(rpt_compare *c, const struct call *k, int side) {
  size_t i = 0;
  while (i < c->n_ops && strcmp(c->ops[i].op, k->op)) i++;
  if (i == c->n_ops) {
    struct rpt__cmp_op *grown = rpt__cmp_grow(c->ops, &c->cap_ops, c->n_ops, sizeof *grown);
    if (!grown) return RPT_E_NOMEM;
    c->ops = grown;
    c->ops[i] = (struct rpt__cmp_op){rpt__cmp_dup(k->op), 0, 0, 0, 0};
    c->n_ops++;
    if (!c->ops[i].op) return RPT_E_NOMEM;
  }
  if (side) c->ops[i].n_b++, c->ops[i].cost_b += k->cost;
  else c->ops[i].n_a++, c->ops[i].cost_a += k->cost;
  return RPT_OK;
}

static int by_op(const void *x, const void *y) {
  return strcmp(((const struct rpt__cmp_op *)x)->op, ((const struct rpt__cmp_op *)y)->op);
}

/* ---- one host ---- */

/* Keeps call a and/or b (NULL on the side without it) as `state`. */
static int keep(rpt_compare *c, const struct call *a, const struct call *b, int state) {
  struct rpt__cmp_call *grown = rpt__cmp_grow(c->calls, &c->cap_calls, c->n_calls, sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  c->calls = grown;
  const struct call *any = a ? a : b;
  struct rpt__cmp_call *e = &c->calls[c->n_calls++];
  *e = (struct rpt__cmp_call){rpt__cmp_dup(any->host), rpt__cmp_dup(any->what), a ? a->seq : 0, b ? b->seq : 0,
                              a ? a->hr : 0, b ? b->hr : 0, state};
  return e->host && e->what ? RPT_OK : RPT_E_NOMEM;
}

/* One step of the host's alignment: a paired call or one on one side only. */
static int step(rpt_compare *c, const struct call *a, const struct call *b) {
  rpt_compare_tally *t = &c->tally[RPT_COMPARE_CALLS];
  if (!b) return t->only_a++, keep(c, a, NULL, RPT__CMP_ONLY_A);
  if (!a) return t->only_b++, keep(c, NULL, b, RPT__CMP_ONLY_B);
  if (a->hr != b->hr) return t->differ++, keep(c, a, b, RPT__CMP_DIFFER);
  t->same++;
  return RPT_OK;
}

/* The calls a[0..na) and b[0..nb) of one host (either may be empty). */
static int host(rpt_compare *c, const struct call *a, size_t na, const struct call *b, size_t nb) {
  const char **ka = malloc((na ? na : 1) * sizeof *ka), **kb = malloc((nb ? nb : 1) * sizeof *kb);
  struct rpt__cmp_step *steps = NULL;
  size_t n = 0;
  int status = ka && kb ? RPT_OK : RPT_E_NOMEM, aligned = 1;
  for (size_t i = 0; status == RPT_OK && i < na; i++) ka[i] = a[i].what;
  for (size_t j = 0; status == RPT_OK && j < nb; j++) kb[j] = b[j].what;
  if (status == RPT_OK && (status = rpt__cmp_align(ka, na, kb, nb, ALIGN_MAX, &steps, &n)) == 1) {
    aligned = 0;
    status = rpt__cmp_note(c, "host %s: the runs' calls differ in more than %d places: taken by position, not aligned",
                           (na ? a : b)->host, ALIGN_MAX);
  }
  for (size_t s = 0; status == RPT_OK && aligned && s < n; s++)
    status = step(c, steps[s].a >= 0 ? &a[steps[s].a] : NULL, steps[s].b >= 0 ? &b[steps[s].b] : NULL);
  for (size_t i = 0; status == RPT_OK && !aligned && (i < na || i < nb); i++) {
    if (i < na && i < nb && !strcmp(a[i].what, b[i].what)) status = step(c, &a[i], &b[i]);
    else if ((status = i < na ? step(c, &a[i], NULL) : RPT_OK) == RPT_OK && i < nb) status = step(c, NULL, &b[i]);
  }
  free(ka), free(kb), free(steps);
  return status;
}

static int compare(rpt_compare *c, struct calls *s) {
  int status = RPT_OK;
  for (int side = 0; side < 2; side++) {
    for (size_t i = 0; status == RPT_OK && i < s[side].n; i++) status = op_add(c, &s[side].v[i], side);
    if (s[side].n) qsort(s[side].v, s[side].n, sizeof *s[side].v, by_host_then_seq);
  }
  if (c->n_ops) qsort(c->ops, c->n_ops, sizeof *c->ops, by_op);
  const struct call *a = s[0].v, *b = s[1].v, *a_end = a + s[0].n, *b_end = b + s[1].n;
  while (status == RPT_OK && (a < a_end || b < b_end)) {
    int order = a == a_end ? 1 : b == b_end ? -1 : strcmp(a->host, b->host);
    const char *name = order <= 0 ? a->host : b->host;
    size_t na = 0, nb = 0;
    while (order <= 0 && a + na < a_end && !strcmp(a[na].host, name)) na++;
    while (order >= 0 && b + nb < b_end && !strcmp(b[nb].host, name)) nb++;
    status = host(c, a, na, b, nb);
    a += na, b += nb;
  }
  return status;
}

int rpt__cmp_calls(struct rpt__cmp_ctx *x) {
  struct calls s[2] = {{NULL, 0, 0}, {NULL, 0, 0}};
  int status = RPT_OK;
  for (int i = 0; i < 2 && status == RPT_OK; i++)
    if ((status = rpt_hcn_call_foreach(x->db[i], x->run[i], call_row, &s[i])) != RPT_OK)
      status = rpt__cmp_failed(x, i, status);
  if (status == RPT_OK && (status = compare(x->c, s)) != RPT_OK) status = rpt__cmp_failed(x, 0, status);
  calls_free(&s[0]), calls_free(&s[1]);
  return status;
}
