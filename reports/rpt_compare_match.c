/* rpt_compare_match.c: putting the things of two runs side by side: pairing
 * by key (objects by name or address, truth cells by table, row and
 * column), and aligning two sequences (the HCN calls of a host) by a
 * shortest edit script. Both are deterministic: ties go by index. */
#include <stdlib.h>
#include <string.h>
#include "rpt_compare_int.h"
#include "rpt_status.h"

struct keyed {
  const char *key;
  size_t i;
};

static int by_key_then_index(const void *x, const void *y) {
  const struct keyed *p = x, *q = y;
  int c = strcmp(p->key, q->key);
  return c ? c : (p->i > q->i) - (p->i < q->i);
}

/* The entries of keys[0..n) that are not NULL, sorted by key then index. */
static struct keyed *sorted(const char *const *keys, size_t n, size_t *out_n) {
  struct keyed *v = malloc((n ? n : 1) * sizeof *v);
  size_t m = 0;
  if (!v) return NULL;
  for (size_t i = 0; i < n; i++)
    if (keys[i]) v[m++] = (struct keyed){keys[i], i};
  qsort(v, m, sizeof *v, by_key_then_index);
  *out_n = m;
  return v;
}

int rpt__cmp_pair(const char *const *keys_a, size_t na, const char *const *keys_b, size_t nb, ptrdiff_t *a_to_b,
                  ptrdiff_t *b_to_a) {
  size_t ma, mb;
  struct keyed *sa = sorted(keys_a, na, &ma), *sb = sa ? sorted(keys_b, nb, &mb) : NULL;
  if (!sb) {
    free(sa);
    return RPT_E_NOMEM;
  }
  for (size_t i = 0, j = 0; i < ma && j < mb;) {
    int c = strcmp(sa[i].key, sb[j].key);
    if (c < 0) {
      i++;
    } else if (c > 0) {
      j++;
    } else {
      a_to_b[sa[i].i] = (ptrdiff_t)sb[j].i;
      b_to_a[sb[j].i] = (ptrdiff_t)sa[i].i;
      i++, j++;
    }
  }
  free(sa);
  free(sb);
  return RPT_OK;
}

/* The forward pass keeps, for each number of edits d, the furthest x
 * reached on each diagonal k = x - y (V); a copy of V[-d..d] as it was
 * when step d began is kept at trace[d*d ..], so the path can be walked
 * back. The first point to reach (na, nb) is on the grid: one past it on
 * either side would have a cheaper projection found at an earlier d. */
int rpt__cmp_align(const char *const *a, size_t na, const char *const *b, size_t nb, size_t max_d,
                   struct rpt__cmp_step **steps, size_t *n) {
  size_t dmax = na + nb < max_d ? na + nb : max_d;
  ptrdiff_t off = (ptrdiff_t)dmax + 1, found = -1;
  ptrdiff_t *v = calloc(2 * dmax + 3, sizeof *v), *trace = NULL;
  size_t trace_cap = 0;
  int status = v ? RPT_OK : RPT_E_NOMEM;
  for (ptrdiff_t d = 0; status == RPT_OK && found < 0 && d <= (ptrdiff_t)dmax; d++) {
    size_t need = (size_t)(d + 1) * (size_t)(d + 1);
    if (need > trace_cap) {
      size_t cap = trace_cap ? 4 * trace_cap : 64;
      ptrdiff_t *grown = realloc(trace, (cap < need ? need : cap) * sizeof *grown);
      if (!grown) {
        status = RPT_E_NOMEM;
        break;
      }
      trace = grown;
      trace_cap = cap < need ? need : cap;
    }
    memcpy(trace + d * d, v + off - d, (size_t)(2 * d + 1) * sizeof *v);
    for (ptrdiff_t k = -d; k <= d; k += 2) {
      ptrdiff_t x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
      ptrdiff_t y = x - k;
      while (x < (ptrdiff_t)na && y < (ptrdiff_t)nb && !strcmp(a[x], b[y])) x++, y++;
      v[off + k] = x;
      if (x >= (ptrdiff_t)na && y >= (ptrdiff_t)nb) {
        found = d;
        break;
      }
    }
  }
  free(v);
  struct rpt__cmp_step *out = status == RPT_OK && found >= 0 ? malloc((na + nb + 1) * sizeof *out) : NULL;
  if (status == RPT_OK && found >= 0 && !out) status = RPT_E_NOMEM;
  if (status != RPT_OK || found < 0) {
    free(trace);
    return status != RPT_OK ? status : 1;
  }
  /* Walk back from (na, nb), filling `out` from its end. */
  size_t at = na + nb + 1;
  ptrdiff_t x = (ptrdiff_t)na, y = (ptrdiff_t)nb;
  for (ptrdiff_t d = found; d > 0; d--) {
    const ptrdiff_t *vd = trace + d * d + d; /* vd[k] for k in [-d, d] */
    ptrdiff_t k = x - y;
    int down = k == -d || (k != d && vd[k - 1] < vd[k + 1]);
    ptrdiff_t px = vd[down ? k + 1 : k - 1], py = px - (down ? k + 1 : k - 1);
    ptrdiff_t mx = down ? px : px + 1, my = down ? py + 1 : py;
    while (x > mx && y > my) x--, y--, out[--at] = (struct rpt__cmp_step){x, y};
    out[--at] = down ? (struct rpt__cmp_step){-1, py} : (struct rpt__cmp_step){px, -1};
    x = px, y = py;
  }
  while (x > 0 && y > 0) x--, y--, out[--at] = (struct rpt__cmp_step){x, y};
  free(trace);
  *n = na + nb + 1 - at;
  memmove(out, out + at, *n * sizeof *out);
  *steps = out;
  return RPT_OK;
}
