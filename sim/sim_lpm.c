/* sim_lpm.c: the tables behind sim_lpm.h: one record per distinct prefix,
 * found by a sim_index keyed by (family, length, network), and the
 * lengths present: IPv4's, then IPv6's, each longest first, with the
 * number of records of each.
 *
 * Prefix records and entries live in two arrays addressed by index and
 * reuse freed slots through free lists, so the structure holds no pointers
 * of its own. Invariants: a prefix record is live (in the index, its length
 * counted) exactly while it has entries; a record's entries form a list
 * sorted by (metric, insertion sequence), so the head is its best entry;
 * entry slot 0 is "none". */
#include "sim_lpm.h"
#include <stdlib.h>
#include <string.h>
#include "sim_index.h"

#define NONE UINT32_MAX

/* A prefix as two 64-bit words, most significant bit first (IPv4 in the
 * top 32 bits of hi), with the host bits cleared. */
typedef struct lpm_key {
  uint64_t hi, lo;
  uint8_t family, len;
} lpm_key;

typedef struct lpm_pfx {
  lpm_key k;
  uint32_t head;      /* first entry; 0 while the record is free */
  uint32_t next_free; /* free list, while free */
} lpm_pfx;

typedef struct lpm_item {
  sim_lpm_entry e;
  uint64_t seq;  /* insertion order, kept by replace */
  uint32_t next; /* next entry of the same prefix, or the next free slot */
} lpm_item;

/* A distinct prefix length of one family: how many records have it, the
 * record while it is the only one ever added since the length appeared
 * (else NONE), and a range holding all their networks (widened on add,
 * kept on remove: a filter, never an answer). */
typedef struct lpm_len {
  uint32_t uses, only;
  uint64_t min_hi, min_lo, max_hi, max_lo;
  uint8_t len;
} lpm_len;

/* What a lookup reads comes first, in one cache line. */
struct sim_lpm {
  sim_index ix;  /* lpm_key -> prefix record */
  lpm_len *lens; /* IPv4's lengths, then IPv6's, each longest first */
  uint32_t n4, n6, cap_lens;
  lpm_pfx *pfx;
  lpm_item *items;
  uint32_t n_pfx, cap_pfx, free_pfx;
  uint32_t n_items, cap_items, free_items;
  size_t count;
  uint64_t next_seq;
};

static int grow(void **arr, uint32_t *cap, size_t elem) {
  uint32_t ncap = *cap ? *cap * 2 : 4;
  if (ncap < *cap) return SIM_E_NOMEM;
  void *p = realloc(*arr, (size_t)ncap * elem);
  if (!p) return SIM_E_NOMEM;
  *arr = p;
  *cap = ncap;
  return SIM_OK;
}

int sim_lpm_create(sim_lpm **out) {
  if (!out) return SIM_E_INVAL;
  *out = NULL;
  sim_lpm *t = calloc(1, sizeof(*t));
  if (!t || sim_index_init(&t->ix, 2) || grow((void **)&t->items, &t->cap_items, sizeof(lpm_item))) {
    if (t) sim_index_fini(&t->ix);
    free(t);
    return SIM_E_NOMEM;
  }
  t->free_pfx = NONE;
  t->n_items = 1; /* slot 0 is "none" */
  *out = t;
  return SIM_OK;
}

void sim_lpm_destroy(sim_lpm *t) {
  if (!t) return;
  sim_index_fini(&t->ix);
  free(t->pfx);
  free(t->items);
  free(t->lens);
  free(t);
}

size_t sim_lpm_count(const sim_lpm *t) { return t ? t->count : 0; }

static int prefix_ok(const sim_prefix *p) {
  return p && ((p->addr.family == 4 && p->len <= 32) || (p->addr.family == 6 && p->len <= 128));
}

static uint64_t be64(const uint8_t *b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | b[i];
  return v;
}

/* The address (hi, lo)'s first `len` bits as a key. */
static void key_cut(uint64_t hi, uint64_t lo, uint8_t family, unsigned len, lpm_key *k) {
  if (len <= 64) {
    hi &= len ? ~0ull << (64 - len) : 0;
    lo = 0;
  } else {
    lo &= ~0ull << (128 - len);
  }
  k->hi = hi;
  k->lo = lo;
  k->family = family;
  k->len = (uint8_t)len;
}

static void key_of(const sim_ip *ip, unsigned len, lpm_key *k) {
  key_cut(be64(ip->b), be64(ip->b + 8), ip->family, len, k);
}

static uint64_t key_hash(const lpm_key *k) {
  uint64_t h = (k->hi ^ ((uint64_t)k->family << 8 | k->len)) * 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 32) ^ k->lo) * 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 29);
}

static int pfx_match(const void *ctx, uint32_t value, const void *key) {
  const lpm_key *a = &((const sim_lpm *)ctx)->pfx[value].k, *b = key;
  return a->hi == b->hi && a->lo == b->lo && a->len == b->len && a->family == b->family;
}

static int find_pfx(const sim_lpm *t, const lpm_key *k, uint32_t *out) {
  return sim_index_find(&t->ix, key_hash(k), pfx_match, t, k, out);
}

/* Where family's lengths start in t->lens, and how many there are. */
static uint32_t lens_at(const sim_lpm *t, int family, uint32_t *n) {
  *n = family == 4 ? t->n4 : t->n6;
  return family == 4 ? 0 : t->n4;
}

static int key_below(uint64_t ahi, uint64_t alo, uint64_t bhi, uint64_t blo) {
  return ahi < bhi || (ahi == bhi && alo < blo);
}

/* Counts record r (key k) under its length; the caller has made room. */
static void lens_add(sim_lpm *t, const lpm_key *k, uint32_t r) {
  uint32_t n, at = lens_at(t, k->family, &n), i = at;
  while (i < at + n && t->lens[i].len > k->len) i++;
  if (i < at + n && t->lens[i].len == k->len) {
    lpm_len *l = &t->lens[i];
    l->uses++;
    l->only = NONE;
    if (key_below(k->hi, k->lo, l->min_hi, l->min_lo)) l->min_hi = k->hi, l->min_lo = k->lo;
    if (key_below(l->max_hi, l->max_lo, k->hi, k->lo)) l->max_hi = k->hi, l->max_lo = k->lo;
    return;
  }
  memmove(t->lens + i + 1, t->lens + i, (t->n4 + t->n6 - i) * sizeof(*t->lens));
  t->lens[i] = (lpm_len){1, r, k->hi, k->lo, k->hi, k->lo, k->len};
  if (k->family == 4) t->n4++;
  else t->n6++;
}

static void lens_drop(sim_lpm *t, int family, uint8_t len) {
  uint32_t n, i = lens_at(t, family, &n);
  while (t->lens[i].len != len) i++;
  if (--t->lens[i].uses) return;
  memmove(t->lens + i, t->lens + i + 1, (t->n4 + t->n6 - i - 1) * sizeof(*t->lens));
  if (family == 4) t->n4--;
  else t->n6--;
}

/* The entry slot of `value` in prefix record p, and the slot before it (0
 * if first). */
static uint32_t find_item(const sim_lpm *t, uint32_t p, uint64_t value, uint32_t *prev) {
  uint32_t before = 0;
  for (uint32_t i = t->pfx[p].head; i; before = i, i = t->items[i].next) {
    if (t->items[i].e.value == value) {
      if (prev) *prev = before;
      return i;
    }
  }
  return 0;
}

/* Links entry i into record p's list at its (metric, seq) place. */
static void link_sorted(sim_lpm *t, uint32_t p, uint32_t i) {
  uint32_t *at = &t->pfx[p].head;
  const lpm_item *it = &t->items[i];
  while (*at) {
    const lpm_item *o = &t->items[*at];
    if (o->e.metric > it->e.metric || (o->e.metric == it->e.metric && o->seq > it->seq)) break;
    at = &t->items[*at].next;
  }
  t->items[i].next = *at;
  *at = i;
}

static void unlink_item(sim_lpm *t, uint32_t p, uint32_t i, uint32_t prev) {
  if (prev) t->items[prev].next = t->items[i].next;
  else t->pfx[p].head = t->items[i].next;
  t->items[i].next = 0;
}

int sim_lpm_add(sim_lpm *t, const sim_prefix *p, uint32_t metric, uint64_t value) {
  if (!t || !prefix_ok(p)) return SIM_E_INVAL;
  lpm_key k;
  key_of(&p->addr, p->len, &k);
  uint32_t r;
  int have = find_pfx(t, &k, &r);
  if (have && find_item(t, r, value, NULL)) return SIM_E_EXISTS;
  /* Room first, so nothing changes before this can fail. */
  if (!have && t->free_pfx == NONE && t->n_pfx == t->cap_pfx && grow((void **)&t->pfx, &t->cap_pfx, sizeof(lpm_pfx)))
    return SIM_E_NOMEM;
  if (!t->free_items && t->n_items == t->cap_items && grow((void **)&t->items, &t->cap_items, sizeof(lpm_item)))
    return SIM_E_NOMEM;
  if (!have && t->n4 + t->n6 == t->cap_lens && grow((void **)&t->lens, &t->cap_lens, sizeof(lpm_len)))
    return SIM_E_NOMEM;
  if (!have) {
    r = t->free_pfx != NONE ? t->free_pfx : t->n_pfx;
    if (sim_index_add(&t->ix, key_hash(&k), r)) return SIM_E_NOMEM;
    if (r == t->free_pfx) t->free_pfx = t->pfx[r].next_free;
    else t->n_pfx++;
    t->pfx[r].k = k;
    t->pfx[r].head = 0;
    lens_add(t, &k, r);
  }
  uint32_t i;
  if (t->free_items) {
    i = t->free_items;
    t->free_items = t->items[i].next;
  } else {
    i = t->n_items++;
  }
  lpm_item *it = &t->items[i];
  memset(it, 0, sizeof(*it));
  it->e.prefix.len = p->len;
  sim_prefix_network(p, &it->e.prefix.addr);
  it->e.metric = metric;
  it->e.value = value;
  it->seq = t->next_seq++;
  link_sorted(t, r, i);
  t->count++;
  return SIM_OK;
}

/* Finds the entry (p, value): 1 with its record, slot and predecessor. */
static int find_entry(const sim_lpm *t, const sim_prefix *p, uint64_t value, uint32_t *r, uint32_t *i, uint32_t *prev) {
  lpm_key k;
  key_of(&p->addr, p->len, &k);
  return find_pfx(t, &k, r) && (*i = find_item(t, *r, value, prev)) != 0;
}

int sim_lpm_remove(sim_lpm *t, const sim_prefix *p, uint64_t value) {
  if (!t || !prefix_ok(p)) return SIM_E_INVAL;
  uint32_t r, i, prev = 0;
  if (!find_entry(t, p, value, &r, &i, &prev)) return SIM_E_NOTFOUND;
  unlink_item(t, r, i, prev);
  t->items[i].next = t->free_items;
  t->free_items = i;
  t->count--;
  if (!t->pfx[r].head) {
    lpm_pfx *x = &t->pfx[r];
    sim_index_remove(&t->ix, key_hash(&x->k), r);
    lens_drop(t, x->k.family, x->k.len);
    x->next_free = t->free_pfx;
    t->free_pfx = r;
  }
  return SIM_OK;
}

int sim_lpm_replace(sim_lpm *t, const sim_prefix *p, uint64_t value, uint32_t new_metric, uint64_t new_value) {
  if (!t || !prefix_ok(p)) return SIM_E_INVAL;
  uint32_t r, i, prev = 0;
  if (!find_entry(t, p, value, &r, &i, &prev)) return SIM_E_NOTFOUND;
  if (new_value != value && find_item(t, r, new_value, NULL)) return SIM_E_EXISTS;
  unlink_item(t, r, i, prev);
  t->items[i].e.metric = new_metric;
  t->items[i].e.value = new_value;
  link_sorted(t, r, i);
  return SIM_OK;
}

int sim_lpm_lookup(const sim_lpm *t, const sim_ip *ip, sim_lpm_entry *out) {
  if (!t || !ip || !out || (ip->family != 4 && ip->family != 6)) return SIM_E_INVAL;
  uint32_t n, at = lens_at(t, ip->family, &n);
  uint64_t hi = be64(ip->b), lo = be64(ip->b + 8);
  for (uint32_t i = at; i < at + n; i++) {
    const lpm_len *l = &t->lens[i];
    lpm_key k;
    uint32_t r;
    key_cut(hi, lo, ip->family, l->len, &k);
    /* Outside the length's range: no probe; its only prefix: no hash. */
    if (key_below(k.hi, k.lo, l->min_hi, l->min_lo) || key_below(l->max_hi, l->max_lo, k.hi, k.lo)) continue;
    if (l->only != NONE) r = l->only;
    else if (!find_pfx(t, &k, &r)) continue;
    *out = t->items[t->pfx[r].head].e;
    return SIM_OK;
  }
  return SIM_E_NOTFOUND;
}
