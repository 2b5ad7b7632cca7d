/* hns_map.c: open-addressing hash map with FNV-1a hashing and tombstones. */
#include "hns_map.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct hns_map_slot {
  char *key; /* NULL: empty; TOMBSTONE: deleted */
  void *value;
};

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

static uint64_t hash(const char *s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
  return h ^ (h >> 29);
}

static struct hns_map_slot *find(const hns_map *m, const char *key) {
  if (!m->cap) return NULL;
  size_t mask = m->cap - 1;
  for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
    struct hns_map_slot *s = &m->slots[i];
    if (!s->key) return NULL;
    if (s->key != TOMBSTONE && !strcmp(s->key, key)) return s;
  }
}

void *hns_map_get(const hns_map *m, const char *key) {
  struct hns_map_slot *s = find(m, key);
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
    size_t j = hash(s->key) & (cap - 1);
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
  struct hns_map_slot *s = find(m, key);
  if (s) {
    s->value = value;
    return 0;
  }
  if ((m->used + 1) * 4 > m->cap * 3 && grow(m)) return -1;
  char *k = malloc(strlen(key) + 1);
  if (!k) return -1;
  strcpy(k, key);
  size_t mask = m->cap - 1;
  size_t i = hash(key) & mask;
  while (m->slots[i].key && m->slots[i].key != TOMBSTONE) i = (i + 1) & mask;
  if (!m->slots[i].key) m->used++;
  m->slots[i].key = k;
  m->slots[i].value = value;
  m->live++;
  return 0;
}

void hns_map_del(hns_map *m, const char *key) {
  struct hns_map_slot *s = find(m, key);
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
