/* sim_map.c: records in an array (freed ones reused through a free list)
 * found through a sim_index keyed by the hash of (scope, key).
 *
 * Invariants: every live record is in the index exactly once, under the
 * hash of its scope and key; a key of at most SIM_MAP_INLINE bytes lives
 * zero-padded in the record, so two such keys compare as three words; a
 * longer one is an owned copy. A lookup pads the key it is given once and
 * hashes and compares those words. */
#include "sim_map.h"
#include <stdlib.h>
#include <string.h>
#include "sim_index.h"

#define WORDS (SIM_MAP_INLINE / 8)
_Static_assert(WORDS == 3, "make_key fills three words");
#define NO_REC UINT32_MAX

typedef struct map_rec {
  uint32_t scope;
  uint32_t len;
  uint32_t value;
  uint32_t next_free; /* free list, while the record is free */
  union {
    uint64_t w[WORDS]; /* len <= SIM_MAP_INLINE: the key, zero-padded */
    unsigned char *heap; /* a longer key's copy */
  } key;
} map_rec;

struct sim_map {
  sim_index ix;
  map_rec *recs;
  uint32_t n, cap, free_head;
  size_t count;
};

/* A key as the map sees it: padded words when short, else the caller's bytes. */
typedef struct map_key {
  uint32_t scope;
  uint32_t len;
  uint64_t w[WORDS];
  const unsigned char *bytes;
} map_key;

/* Words are read little-endian on every platform, so the hash is the same
 * everywhere; a compiler turns these into single loads. */
static uint64_t load8(const unsigned char *p) {
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
         (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static uint64_t load4(const unsigned char *p) {
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

/* The n < 8 bytes at p, zero-padded, without a loop: two overlapping
 * 4-byte loads, or the first, middle and last byte. */
static uint64_t load_tail(const unsigned char *p, size_t n) {
  if (n >= 4) return load4(p) | load4(p + n - 4) << (8 * (n - 4));
  if (n == 0) return 0;
  return (uint64_t)p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) | (uint64_t)p[n - 1] << (8 * (n - 1));
}

/* MurmurHash3's finaliser: every input bit reaches the low bits, which
 * pick the slot. */
static uint64_t finish(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 33);
}

/* A short key's words are multiplied by distinct odd constants and summed
 * (independent multiplies), then finished; a long key is folded word by
 * word. */
static void make_key(uint32_t scope, const void *key, size_t len, map_key *k, uint64_t *hash) {
  const unsigned char *p = key;
  k->scope = scope;
  k->len = (uint32_t)len;
  k->bytes = p;
  uint64_t head = (uint64_t)scope << 32 | (uint32_t)len;
  if (len <= SIM_MAP_INLINE) {
    size_t full = len / 8;
    k->w[0] = full > 0 ? load8(p) : load_tail(p, len);
    k->w[1] = full > 1 ? load8(p + 8) : full == 1 ? load_tail(p + 8, len - 8) : 0;
    k->w[2] = full > 2 ? load8(p + 16) : full == 2 ? load_tail(p + 16, len - 16) : 0;
    *hash = finish(head * 0x9E3779B97F4A7C15ull + k->w[0] * 0xBF58476D1CE4E5B9ull + k->w[1] * 0x94D049BB133111EBull +
                   k->w[2] * 0xD6E8FEB86659FD93ull);
    return;
  }
  uint64_t h = head;
  size_t at = 0;
  for (; at + 8 <= len; at += 8) h = (h ^ load8(p + at)) * 0x9E3779B97F4A7C15ull;
  *hash = finish(h ^ load_tail(p + at, len - at));
}

static int rec_match(const void *ctx, uint32_t value, const void *key) {
  const map_rec *r = &((const sim_map *)ctx)->recs[value];
  const map_key *k = key;
  if (r->scope != k->scope || r->len != k->len) return 0;
  if (k->len > SIM_MAP_INLINE) return memcmp(r->key.heap, k->bytes, k->len) == 0;
  uint64_t diff = 0;
  for (size_t i = 0; i < WORDS; i++) diff |= r->key.w[i] ^ k->w[i];
  return diff == 0;
}

int sim_map_create(sim_map **out) {
  if (!out) return SIM_E_INVAL;
  *out = NULL;
  sim_map *m = calloc(1, sizeof(*m));
  if (!m) return SIM_E_NOMEM;
  if (sim_index_init(&m->ix, 8)) {
    free(m);
    return SIM_E_NOMEM;
  }
  m->free_head = NO_REC;
  *out = m;
  return SIM_OK;
}

void sim_map_destroy(sim_map *m) {
  if (!m) return;
  /* A free record is zeroed, so only live long keys have a copy. */
  for (uint32_t i = 0; i < m->n; i++)
    if (m->recs[i].len > SIM_MAP_INLINE) free(m->recs[i].key.heap);
  sim_index_fini(&m->ix);
  free(m->recs);
  free(m);
}

size_t sim_map_count(const sim_map *m) { return m ? m->count : 0; }

static int find(const sim_map *m, const map_key *k, uint64_t h, uint32_t *rec) {
  return sim_index_find(&m->ix, h, rec_match, m, k, rec);
}

int sim_map_put(sim_map *m, uint32_t scope, const void *key, size_t len, uint32_t value) {
  if (!m || (!key && len) || len > UINT32_MAX) return SIM_E_INVAL;
  map_key k;
  uint64_t h;
  uint32_t r;
  make_key(scope, key, len, &k, &h);
  if (find(m, &k, h, &r)) return SIM_E_EXISTS;
  if (m->free_head == NO_REC && m->n == m->cap) {
    uint32_t ncap = m->cap ? 2 * m->cap : 16;
    if (ncap <= m->cap) return SIM_E_NOMEM;
    map_rec *nr = realloc(m->recs, (size_t)ncap * sizeof(*nr));
    if (!nr) return SIM_E_NOMEM;
    m->recs = nr;
    m->cap = ncap;
  }
  unsigned char *copy = NULL;
  if (len > SIM_MAP_INLINE && !(copy = malloc(len))) return SIM_E_NOMEM;
  r = m->free_head != NO_REC ? m->free_head : m->n;
  if (sim_index_add(&m->ix, h, r)) {
    free(copy);
    return SIM_E_NOMEM;
  }
  if (r == m->free_head) m->free_head = m->recs[r].next_free;
  else m->n++;
  map_rec *rec = &m->recs[r];
  memset(rec, 0, sizeof(*rec));
  rec->scope = scope;
  rec->len = (uint32_t)len;
  rec->value = value;
  if (copy) {
    memcpy(copy, key, len);
    rec->key.heap = copy;
  } else {
    memcpy(rec->key.w, k.w, sizeof(k.w));
  }
  m->count++;
  return SIM_OK;
}

int sim_map_get(const sim_map *m, uint32_t scope, const void *key, size_t len, uint32_t *out) {
  if (!m || (!key && len) || len > UINT32_MAX) return 0;
  map_key k;
  uint64_t h;
  uint32_t r;
  make_key(scope, key, len, &k, &h);
  if (!find(m, &k, h, &r)) return 0;
  if (out) *out = m->recs[r].value;
  return 1;
}

int sim_map_del(sim_map *m, uint32_t scope, const void *key, size_t len) {
  if (!m || (!key && len) || len > UINT32_MAX) return SIM_E_INVAL;
  map_key k;
  uint64_t h;
  uint32_t r;
  make_key(scope, key, len, &k, &h);
  if (!find(m, &k, h, &r)) return SIM_E_NOTFOUND;
  sim_index_remove(&m->ix, h, r);
  map_rec *rec = &m->recs[r];
  if (rec->len > SIM_MAP_INLINE) free(rec->key.heap);
  memset(rec, 0, sizeof(*rec));
  rec->next_free = m->free_head;
  m->free_head = r;
  m->count--;
  return SIM_OK;
}
