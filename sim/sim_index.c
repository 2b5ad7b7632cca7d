/* sim_index.c: open addressing with linear probing and backward-shift
 * removal (sim_index.h). */
#include "sim_index.h"
#include <stdlib.h>
#include "sim_status.h"

static int alloc_slots(sim_index *ix, size_t slots) {
  uint64_t *h = malloc(slots * sizeof *h);
  uint32_t *v = malloc(slots * sizeof *v);
  if (!h || !v) {
    free(h);
    free(v);
    return SIM_E_NOMEM;
  }
  for (size_t i = 0; i < slots; i++) v[i] = SIM_INDEX_EMPTY;
  ix->hash = h;
  ix->value = v;
  ix->mask = slots - 1;
  ix->count = 0;
  return SIM_OK;
}

int sim_index_init(sim_index *ix, size_t expected) {
  size_t slots = 16;
  while (slots < 2 * expected + 2) slots *= 2;
  return alloc_slots(ix, slots);
}

void sim_index_fini(sim_index *ix) {
  free(ix->hash);
  free(ix->value);
  ix->hash = NULL;
  ix->value = NULL;
  ix->mask = 0;
  ix->count = 0;
}

int sim_index_find(const sim_index *ix, uint64_t h, sim_index_match_fn match, const void *ctx, const void *key,
                   uint32_t *out) {
  for (size_t i = (size_t)h & ix->mask;; i = (i + 1) & ix->mask) {
    if (ix->value[i] == SIM_INDEX_EMPTY) return 0;
    if (ix->hash[i] == h && match(ctx, ix->value[i], key)) {
      *out = ix->value[i];
      return 1;
    }
  }
}

static void place(sim_index *ix, uint64_t h, uint32_t value) {
  size_t i = (size_t)h & ix->mask;
  while (ix->value[i] != SIM_INDEX_EMPTY) i = (i + 1) & ix->mask;
  ix->hash[i] = h;
  ix->value[i] = value;
  ix->count++;
}

int sim_index_add(sim_index *ix, uint64_t h, uint32_t value) {
  if (value == SIM_INDEX_EMPTY) return SIM_E_INVAL;
  if (2 * (ix->count + 1) > ix->mask + 1) {
    sim_index old = *ix;
    int rc = alloc_slots(ix, 2 * (old.mask + 1));
    if (rc < 0) {
      *ix = old;
      return rc;
    }
    for (size_t i = 0; i <= old.mask; i++)
      if (old.value[i] != SIM_INDEX_EMPTY) place(ix, old.hash[i], old.value[i]);
    sim_index_fini(&old);
  }
  place(ix, h, value);
  return SIM_OK;
}

int sim_index_remove(sim_index *ix, uint64_t h, uint32_t value) {
  size_t i = (size_t)h & ix->mask;
  while (!(ix->value[i] == value && ix->hash[i] == h)) {
    if (ix->value[i] == SIM_INDEX_EMPTY) return SIM_E_NOTFOUND;
    i = (i + 1) & ix->mask;
  }
  /* Shift back every later entry of the run whose home slot is not in
   * (i, j], so each stays reachable from its home without tombstones. */
  for (size_t j = (i + 1) & ix->mask; ix->value[j] != SIM_INDEX_EMPTY; j = (j + 1) & ix->mask) {
    size_t home = (size_t)ix->hash[j] & ix->mask;
    int between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
    if (between) continue;
    ix->hash[i] = ix->hash[j];
    ix->value[i] = ix->value[j];
    i = j;
  }
  ix->value[i] = SIM_INDEX_EMPTY;
  ix->count--;
  return SIM_OK;
}

uint64_t sim_index_hash_str(const char *s, uint64_t seed) {
  uint64_t h = 0xCBF29CE484222325ull ^ seed;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001B3ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}
