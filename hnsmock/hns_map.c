/* hns_map.c: open-addressing hash map with linear probing and tombstones.
 * Each slot keeps its key's hash, so a probe compares strings only when the
 * hashes agree and growing never hashes a key again. */
#include "hns_map.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct hns_map_slot {
  char *key; /* NULL: empty; TOMBSTONE: deleted */
  void *value;
  uint64_t hash; /* of key, when it is one */
};

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

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

static struct hns_map_slot *find(const hns_map *m, const char *key, uint64_t h) {
  if (!m->cap) return NULL;
  size_t mask = m->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    struct hns_map_slot *s = &m->slots[i];
    if (!s->key) return NULL;
    if (s->hash == h && s->key != TOMBSTONE && !strcmp(s->key, key)) return s;
  }
}

void *hns_map_get(const hns_map *m, const char *key) {
  struct hns_map_slot *s = find(m, key, hash(key));
  return s ? s->value : NULL;
}

static int grow(hns_map *m) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  if (m->live * 4 < m->cap) cap = m->cap; /* mostly tombstones: rehash in place size */
  struct hns_map_slot *slots = calloc(cap, sizeof *slots);
  if (!slots) return -1;
  for (size_t i = 0; i < m->cap; i++) {
    struct hns_map_slot *s = &m->slots[i];
    if (!s->key || s->key == TOMBSTONE) continue;
    size_t j = s->hash & (cap - 1);
    while (slots[j].key) j = (j + 1) & (cap - 1);
    slots[j] = *s;
  }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  m->used = m->live;
  return 0;
}

int hns_map_put(hns_map *m, const char *key, void *value) {
  uint64_t h = hash(key);
  struct hns_map_slot *s = find(m, key, h);
  if (s) {
    s->value = value;
    return 0;
  }
  if ((m->used + 1) * 4 > m->cap * 3 && grow(m)) return -1;
  char *k = malloc(strlen(key) + 1);
  if (!k) return -1;
  strcpy(k, key);
  size_t mask = m->cap - 1;
  size_t i = h & mask;
  while (m->slots[i].key && m->slots[i].key != TOMBSTONE) i = (i + 1) & mask;
  if (!m->slots[i].key) m->used++;
  m->slots[i] = (struct hns_map_slot){k, value, h};
  m->live++;
  return 0;
}

void hns_map_del(hns_map *m, const char *key) {
  struct hns_map_slot *s = find(m, key, hash(key));
  if (!s) return;
  free(s->key);
  s->key = TOMBSTONE;
  s->value = NULL;
  m->live--;
}

void hns_map_free(hns_map *m) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].key && m->slots[i].key != TOMBSTONE) free(m->slots[i].key);
  free(m->slots);
  memset(m, 0, sizeof *m);
}
