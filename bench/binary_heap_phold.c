/* binary_heap_phold.c: the baseline: a textbook binary min-heap of
 * (time, sequence, process) entries, ties broken by sequence like the engine. */
#include "binary_heap_phold.h"
#include <stdlib.h>
#include "bench_clock.h"

typedef struct {
  sim_time time;
  uint64_t seq;
  uint64_t lp;
} bh_entry;

typedef struct {
  bh_entry *a;
  size_t n;
  uint64_t seq;
} bheap;

static int bh_less(const bh_entry *x, const bh_entry *y) {
  return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static void bh_push(bheap *h, sim_time t, uint64_t lp) {
  bh_entry e = {t, h->seq++, lp};
  size_t i = h->n++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!bh_less(&e, &h->a[p])) break;
    h->a[i] = h->a[p];
    i = p;
  }
  h->a[i] = e;
}

static bh_entry bh_pop(bheap *h) {
  bh_entry top = h->a[0], last = h->a[--h->n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && bh_less(&h->a[c + 1], &h->a[c])) c++;
    if (!bh_less(&h->a[c], &last)) break;
    h->a[i] = h->a[c];
    i = c;
  }
  if (h->n) h->a[i] = last;
  return top;
}

static sim_time run_events(bheap *h, phold_run *r, uint64_t n) {
  sim_time now = 0;
  for (uint64_t k = 0; k < n; k++) {
    bh_entry e = bh_pop(h);
    now = e.time;
    r->count[e.lp]++;
    size_t dest;
    sim_time delay;
    phold_next(r, &dest, &delay);
    bh_push(h, now + delay, dest);
  }
  return now;
}

int binary_heap_phold(phold_run *r, uint64_t warmup, uint64_t events, double *seconds, sim_time *end_time) {
  bheap h = {malloc(r->nlp * PHOLD_EVENTS_PER_LP * sizeof(bh_entry)), 0, 0};
  if (!h.a) return -1;
  for (size_t i = 0; i < r->nlp; i++)
    for (int k = 0; k < PHOLD_EVENTS_PER_LP; k++) bh_push(&h, phold_initial_delay(r), i);
  run_events(&h, r, warmup);
  double t0 = bench_seconds();
  *end_time = run_events(&h, r, events);
  *seconds = bench_seconds() - t0;
  free(h.a);
  return 0;
}
