/* sim_map.c: open addressing with linear probing and backward-shift
 * deletion (no tombstones). Invariants: the capacity is a power of two and
 * at most half full; a slot is empty exactly when its key is NULL; every
 * key lies between its home slot and the first empty slot after it. */
#include "sim_map.h"
#include <stdlib.h>
#include <string.h>

typedef struct map_slot {
  uint64_t hash;
  uint32_t scope, value;
  size_t len;
  unsigned char *key; /* owned copy; NULL = empty */
} map_slot;

struct sim_map {
  map_slot *slots;
  size_t cap, count;
};

static uint64_t fnv(uint32_t scope, const void *key, size_t len) {
  uint64_t h = 14695981039346656037ull;
  for (int i = 0; i < 4; i++) {
    h ^= (scope >> (8 * i)) & 0xff;
    h *= 1099511628211ull;
  }
  const unsigned char *k = key;
  for (size_t i = 0; i < len; i++) {
    h ^= k[i];
    h *= 1099511628211ull;
  }
  return h;
}

int sim_map_create(sim_map **out) {
  if (!out) return SIM_E_INVAL;
  *out = NULL;
  sim_map *m = calloc(1, sizeof(*m));
  if (!m) return SIM_E_NOMEM;
  m->cap = 16;
  m->slots = calloc(m->cap, sizeof(map_slot));
  if (!m->slots) {
    free(m);
    return SIM_E_NOMEM;
  }
  *out = m;
  return SIM_OK;
}

void sim_map_destroy(sim_map *m) {
  if (!m) return;
  for (size_t i = 0; i < m->cap; i++) free(m->slots[i].key);
  free(m->slots);
  free(m);
}

size_t sim_map_count(const sim_map *m) { return m ? m->count : 0; }

static size_t find(const sim_map *m, uint64_t h, uint32_t scope, const void *key, size_t len) {
  size_t mask = m->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const map_slot *s = &m->slots[i];
    if (!s->key) return i;
    if (s->hash == h && s->scope == scope && s->len == len && memcmp(s->key, key, len) == 0) return i;
  }
}

static int grow(sim_map *m) {
  size_t ncap = m->cap * 2;
  map_slot *ns = calloc(ncap, sizeof(map_slot));
  if (!ns) return SIM_E_NOMEM;
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].key) continue;
    size_t j = m->slots[i].hash & (ncap - 1);
    while (ns[j].key) j = (j + 1) & (ncap - 1);
    ns[j] = m->slots[i];
  }
  free(m->slots);
  m->slots = ns;
  m->cap = ncap;
  return SIM_OK;
}

int sim_map_put(sim_map *m, uint32_t scope, const void *key, size_t len, uint32_t value) {
  if (!m || (!key && len)) return SIM_E_INVAL;
  uint64_t h = fnv(scope, key, len);
  if (m->slots[find(m, h, scope, key, len)].key) return SIM_E_EXISTS;
  if ((m->count + 1) * 2 > m->cap && grow(m)) return SIM_E_NOMEM;
  unsigned char *copy = malloc(len ? len : 1);
  if (!copy) return SIM_E_NOMEM;
  if (len) memcpy(copy, key, len);
  map_slot *s = &m->slots[find(m, h, scope, key, len)];
  *s = (map_slot){h, scope, value, len, copy};
  m->count++;
  return SIM_OK;
}

int sim_map_get(const sim_map *m, uint32_t scope, const void *key, size_t len, uint32_t *out) {
  if (!m || (!key && len)) return 0;
  const map_slot *s = &m->slots[find(m, fnv(scope, key, len), scope, key, len)];
  if (!s->key) return 0;
  if (out) *out = s->value;
  return 1;
}

int sim_map_del(sim_map *m, uint32_t scope, const void *key, size_t len) {
  if (!m || (!key && len)) return SIM_E_INVAL;
  size_t mask = m->cap - 1;
  size_t i = find(m, fnv(scope, key, len), scope, key, len);
  if (!m->slots[i].key) return SIM_E_NOTFOUND;
  free(m->slots[i].key);
  m->slots[i].key = NULL;
  m->count--;
  /* Shift later members of the cluster back so no lookup stops early. */
  for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
    size_t home = m->slots[j].hash & mask;
    int movable = (i <= j) ? (home <= i || home > j) : (home <= i && home > j);
    if (movable) {
      m->slots[i] = m->slots[j];
      m->slots[j].key = NULL;
      i = j;
    }
  }
  return SIM_OK;
}
