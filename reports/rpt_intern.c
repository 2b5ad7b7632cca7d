/* rpt_intern.c: the per-run table of interned strings (rpt_intern.h): an
 * open-addressing hash table over an arena of texts. */
#include "rpt_intern.h"
#include <stdlib.h>
#include <string.h>

/* A multiply-and-fold hash over 8 bytes at a time (a byte-at-a-time hash
 * cost more than the rest of a hop's insert). It only places strings in
 * slots: ids do not depend on it. */
static uint64_t hash_of(const char *s, size_t len) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  w = 0;
  memcpy(&w, s + i, len - i);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

static int64_t next_id(const struct rpt__intern *in) { return in->before + (int64_t)in->n + 1; }

/* Forgets every string; numbering goes on from `before` + 1. */
static void forget(struct rpt__intern *in, int64_t before) {
  in->before = before;
  in->n = 0;
  in->text_len = 0;
  if (in->slots) memset(in->slots, 0, in->nslots * sizeof *in->slots);
  memset(in->last, 0, sizeof in->last);
}

/* Whether entry e (1 + its index) holds `s`, of `len` bytes. */
static int holds(const struct rpt__intern *in, uint32_t e, const char *s, size_t len) {
  const struct rpt__intern_entry *x = &in->entries[e - 1];
  return x->len == len && memcmp(in->text + x->off, s, len) == 0;
}

/* The slot that holds `s`, or the empty one where it would go. */
static size_t slot_of(const struct rpt__intern *in, const char *s, size_t len, uint64_t h) {
  size_t mask = in->nslots - 1, i = (size_t)h & mask;
  for (;;) {
    uint32_t e = in->slots[i];
    if (!e || (in->entries[e - 1].hash == h && holds(in, e, s, len))) return i;
    i = (i + 1) & mask;
  }
}

int64_t rpt__intern_find(struct rpt__intern *in, const char *s, unsigned column, int *is_new) {
  size_t len = strlen(s);
  uint32_t e = in->last[column];
  if (e && holds(in, e, s, len)) {
    *is_new = 0;
    return in->before + (int64_t)e;
  }
  if (in->nslots) {
    e = in->slots[slot_of(in, s, len, hash_of(s, len))];
    if (e) {
      in->last[column] = e;
      *is_new = 0;
      return in->before + (int64_t)e;
    }
  }
  /* Full: forget every string, keep numbering (see the header). */
  if (in->n >= RPT__INTERN_MAX_STRINGS || in->text_len + len > RPT__INTERN_MAX_TEXT)
    forget(in, next_id(in) - 1);
  *is_new = 1;
  return next_id(in);
}

static int grow_slots(struct rpt__intern *in) {
  size_t n = in->nslots ? 2 * in->nslots : 1024;
  uint32_t *slots = calloc(n, sizeof *slots);
  if (!slots) return -1;
  uint32_t *old = in->slots;
  size_t old_n = in->nslots;
  in->slots = slots;
  in->nslots = n;
  for (size_t i = 0; i < old_n; i++)
    if (old[i]) {
      const struct rpt__intern_entry *x = &in->entries[old[i] - 1];
      in->slots[slot_of(in, in->text + x->off, x->len, x->hash)] = old[i];
    }
  free(old);
  return 0;
}

static int reserve(void **buf, size_t *cap, size_t need, size_t size, size_t first) {
  if (need <= *cap) return 0;
  size_t n = *cap ? *cap : first;
  while (n < need) n *= 2;
  void *p = realloc(*buf, n * size);
  if (!p) return -1;
  *buf = p;
  *cap = n;
  return 0;
}

int rpt__intern_keep(struct rpt__intern *in, const char *s, unsigned column) {
  size_t len = strlen(s);
  if ((2 * (in->n + 1) > in->nslots && grow_slots(in) != 0) ||
      reserve((void **)&in->entries, &in->cap, in->n + 1, sizeof *in->entries, 256) != 0 ||
      reserve((void **)&in->text, &in->text_cap, in->text_len + len + 1, 1, 1u << 14) != 0) {
    forget(in, next_id(in)); /* its id is used up: number on after it */
    return -1;
  }
  uint64_t h = hash_of(s, len);
  struct rpt__intern_entry *x = &in->entries[in->n];
  x->off = in->text_len;
  x->len = len;
  x->hash = h;
  memcpy(in->text + in->text_len, s, len);
  in->text_len += len;
  in->slots[slot_of(in, s, len, h)] = (uint32_t)(++in->n);
  in->last[column] = (uint32_t)in->n;
  return 0;
}

void rpt__intern_free(struct rpt__intern *in) {
  free(in->slots);
  free(in->entries);
  free(in->text);
  memset(in, 0, sizeof *in);
}
