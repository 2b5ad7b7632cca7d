/* sim_acl_index.c: the port hash and the interval map of sim_acl_int.h.
 * Invariants: every rank list is ascending (builders take entries in rank
 * order and append in that order); an imap's segments partition the whole
 * key space, so every key falls in exactly one. */
#include <stdlib.h>
#include <string.h>
#include "sim_acl_int.h"
#include "sim_status.h"

static int acl__u64_cmp(const void *pa, const void *pb) {
  uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
  return a < b ? -1 : a > b;
}

/* The segment holding k: the last start <= k (starts[0] is 0, so one). */
static uint32_t acl__segment(const uint64_t *starts, uint32_t nseg, uint64_t k) {
  uint32_t lo = 0, hi = nseg; /* answer in [lo, hi) */
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (starts[mid] <= k)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

void acl_imap_free(acl_imap *m) {
  free(m->starts);
  free(m->off);
  free(m->ranks);
  memset(m, 0, sizeof *m);
  m->min_rank = UINT32_MAX;
}

int acl_imap_build(acl_imap *m, const acl_imap_entry *e, size_t n) {
  memset(m, 0, sizeof *m);
  m->min_rank = UINT32_MAX;
  if (n == 0) return SIM_OK;
  uint64_t *b = malloc((2 * n + 1) * sizeof *b);
  if (!b) return SIM_E_NOMEM;
  size_t nb = 0;
  b[nb++] = 0;
  for (size_t i = 0; i < n; i++) {
    b[nb++] = e[i].iv.lo;
    if (e[i].iv.hi != UINT64_MAX) b[nb++] = e[i].iv.hi + 1;
  }
  qsort(b, nb, sizeof *b, acl__u64_cmp);
  size_t u = 0;
  for (size_t i = 0; i < nb; i++)
    if (u == 0 || b[u - 1] != b[i]) b[u++] = b[i];
  uint32_t nseg = (uint32_t)u;
  uint32_t *off = calloc((size_t)nseg + 1, sizeof *off);
  if (!off) {
    free(b);
    return SIM_E_NOMEM;
  }
  /* Count per segment into off[s + 1], then prefix-sum into offsets. */
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t s0 = acl__segment(b, nseg, e[i].iv.lo), s1 = acl__segment(b, nseg, e[i].iv.hi);
    for (uint32_t s = s0; s <= s1; s++) off[s + 1]++;
    total += (size_t)(s1 - s0) + 1;
  }
  for (uint32_t s = 0; s < nseg; s++) off[s + 1] += off[s];
  uint32_t *ranks = malloc((total ? total : 1) * sizeof *ranks);
  uint32_t *fill = malloc((size_t)nseg * sizeof *fill);
  if (!ranks || !fill || total > UINT32_MAX) {
    free(b), free(off), free(ranks), free(fill);
    return SIM_E_NOMEM;
  }
  memcpy(fill, off, (size_t)nseg * sizeof *fill);
  for (size_t i = 0; i < n; i++) {
    uint32_t s0 = acl__segment(b, nseg, e[i].iv.lo), s1 = acl__segment(b, nseg, e[i].iv.hi);
    for (uint32_t s = s0; s <= s1; s++) ranks[fill[s]++] = e[i].rank;
  }
  free(fill);
  m->starts = b;
  m->off = off;
  m->ranks = ranks;
  m->nseg = nseg;
  m->min_rank = e[0].rank;
  return SIM_OK;
}

const uint32_t *acl_imap_find(const acl_imap *m, uint64_t k, uint32_t *len) {
  if (m->nseg == 0) {
    *len = 0;
    return NULL;
  }
  uint32_t s = acl__segment(m->starts, m->nseg, k);
  *len = m->off[s + 1] - m->off[s];
  return m->ranks + m->off[s];
}

/* Fibonacci hashing of the port into the table's bits. */
static uint32_t acl__slot(uint16_t port, uint32_t mask) { return ((uint32_t)port * 2654435761u >> 16) & mask; }

/* The slot holding port, or the empty slot where it would go. */
static uint32_t acl__probe(const acl_phash_slot *slots, uint32_t mask, uint16_t port) {
  uint32_t i = acl__slot(port, mask);
  while (slots[i].used && slots[i].port != port) i = (i + 1) & mask;
  return i;
}

void acl_phash_free(acl_phash *h) {
  free(h->slots);
  free(h->ranks);
  memset(h, 0, sizeof *h);
  h->min_rank = UINT32_MAX;
}

int acl_phash_build(acl_phash *h, const acl_phash_entry *e, size_t n) {
  memset(h, 0, sizeof *h);
  h->min_rank = UINT32_MAX;
  if (n == 0) return SIM_OK;
  if (n > UINT32_MAX / 4) return SIM_E_NOMEM;
  uint32_t cap = 8;
  while (cap < 2 * n) cap *= 2; /* at most half full, counting every entry as a distinct port */
  acl_phash_slot *slots = calloc(cap, sizeof *slots);
  uint32_t *ranks = malloc(n * sizeof *ranks);
  if (!slots || !ranks) {
    free(slots), free(ranks);
    return SIM_E_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    acl_phash_slot *s = &slots[acl__probe(slots, cap - 1, e[i].port)];
    s->used = 1;
    s->port = e[i].port;
    s->len++;
  }
  /* Offsets in slot order, then each slot's len counts up again as it fills. */
  uint32_t at = 0;
  for (uint32_t i = 0; i < cap; i++) {
    slots[i].off = at;
    at += slots[i].len;
    slots[i].len = 0;
  }
  for (size_t i = 0; i < n; i++) {
    acl_phash_slot *s = &slots[acl__probe(slots, cap - 1, e[i].port)];
    ranks[s->off + s->len++] = e[i].rank;
  }
  h->slots = slots;
  h->ranks = ranks;
  h->mask = cap - 1;
  h->min_rank = e[0].rank;
  return SIM_OK;
}

const uint32_t *acl_phash_find(const acl_phash *h, uint16_t port, uint32_t *len) {
  *len = 0;
  if (!h->slots) return NULL;
  const acl_phash_slot *s = &h->slots[acl__probe(h->slots, h->mask, port)];
  if (!s->used) return NULL;
  *len = s->len;
  return h->ranks + s->off;
}
