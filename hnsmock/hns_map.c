/* hns_map.c: records {key copy, value} found through a sim_index keyed by
 * the hash of the key. Invariants: a live record has a key and is in the
 * index once, under its key's hash; a free record has no key and is on the
 * free list. */
#include "hns_map.h"
#include <stdlib.h>
#include <string.h>
#include "sim_status.h"

struct hns_map_rec {
  char *key; /* NULL: free */
  void *value;
  uint32_t free_next; /* while free: the next free record + 1, 0 at the end */
};

/* Eight bytes per step (the keys are GUIDs and addresses, 10 to 60 bytes),
 * then a finaliser (MurmurHash3's fmix64) so that the low bits, which pick
 * the slot, depend on every byte. */
static uint64_t hash(const char *s) {
  size_t n = strlen(s);
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
  for (; n >= 8; s += 8, n -= 8) {
    memcpy(&w, s, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  w = 0;
  memcpy(&w, s, n);
  h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}

static int key_match(const void *ctx, uint32_t value, const void *key) {
  return strcmp(((const hns_map *)ctx)->recs[value].key, key) == 0;
}

/* 1 with the record of key, else 0. */
static int find(const hns_map *m, const char *key, uint64_t h, uint32_t *rec) {
  return m->ix.slot && sim_index_find(&m->ix, h, key_match, m, key, rec);
}

void *hns_map_get(const hns_map *m, const char *key) {
  uint32_t r;
  return find(m, key, hash(key), &r) ? m->recs[r].value : NULL;
}

int hns_map_put(hns_map *m, const char *key, void *value) {
  uint64_t h = hash(key);
  uint32_t r;
  if (find(m, key, h, &r)) {
    m->recs[r].value = value;
    return 0;
  }
  if (!m->ix.slot && sim_index_init(&m->ix, 32) != SIM_OK) return -1;
  if (!m->free_next && m->n == m->cap) {
    uint32_t cap = m->cap ? 2 * m->cap : 32;
    struct hns_map_rec *recs = cap > m->cap ? realloc(m->recs, (size_t)cap * sizeof *recs) : NULL;
    if (!recs) return -1;
    m->recs = recs;
    m->cap = cap;
  }
  char *k = malloc(strlen(key) + 1);
  if (!k) return -1;
  strcpy(k, key);
  r = m->free_next ? m->free_next - 1 : m->n;
  if (sim_index_add(&m->ix, h, r) != SIM_OK) {
    free(k);
    return -1;
  }
  if (m->free_next) m->free_next = m->recs[r].free_next;
  else m->n++;
  m->recs[r] = (struct hns_map_rec){k, value, 0};
  return 0;
}

void hns_map_del(hns_map *m, const char *key) {
  uint64_t h = hash(key);
  uint32_t r;
  if (!find(m, key, h, &r)) return;
  sim_index_remove(&m->ix, h, r);
  free(m->recs[r].key);
  m->recs[r] = (struct hns_map_rec){NULL, NULL, m->free_next};
  m->free_next = r + 1;
}

void hns_map_free(hns_map *m) {
  for (uint32_t i = 0; i < m->n; i++) free(m->recs[i].key);
  free(m->recs);
  sim_index_fini(&m->ix);
  memset(m, 0, sizeof *m);
}
