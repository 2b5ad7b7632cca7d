/* sim_index.c: open addressing with linear probing and backward-shift
 * removal (sim_index.h); the probe itself is inline in the header. */
#include "sim_index.h"
#include <stdlib.h>
#include "sim_status.h"

static uint64_t slot_hash(const sim_index_slot *s) { return (uint64_t)s->hash_hi << 32 | s->hash_lo; }

static int alloc_slots(sim_index *ix, size_t slots) {
  sim_index_slot *s = malloc(slots * sizeof *s);
  if (!s) return SIM_E_NOMEM;
  for (size_t i = 0; i < slots; i++) s[i].value = SIM_INDEX_EMPTY;
  ix->slot = s;
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
  free(ix->slot);
  ix->slot = NULL;
  ix->mask = 0;
  ix->count = 0;
}

static void place(sim_index *ix, uint64_t h, uint32_t value) {
  size_t i = (size_t)h & ix->mask;
  while (ix->slot[i].value != SIM_INDEX_EMPTY) i = (i + 1) & ix->mask;
  ix->slot[i] = (sim_index_slot){value, (uint32_t)h, (uint32_t)(h >> 32)};
  ix->count++;
}

int sim_index_reserve(sim_index *ix, size_t more) {
  size_t slots = ix->mask + 1;
  while (2 * (ix->count + more) > slots) slots *= 2;
  if (slots == ix->mask + 1) return SIM_OK;
  sim_index old = *ix;
  int rc = alloc_slots(ix, slots);
  if (rc < 0) {
    *ix = old;
    return rc;
  }
  for (size_t i = 0; i <= old.mask; i++)
    if (old.slot[i].value != SIM_INDEX_EMPTY) place(ix, slot_hash(&old.slot[i]), old.slot[i].value);
  sim_index_fini(&old);
  return SIM_OK;
}

int sim_index_add(sim_index *ix, uint64_t h, uint32_t value) {
  if (value == SIM_INDEX_EMPTY) return SIM_E_INVAL;
  int rc = sim_index_reserve(ix, 1);
  if (rc < 0) return rc;
  place(ix, h, value);
  return SIM_OK;
}

int sim_index_remove(sim_index *ix, uint64_t h, uint32_t value) {
  size_t i = (size_t)h & ix->mask;
  while (!(ix->slot[i].value == value && slot_hash(&ix->slot[i]) == h)) {
    if (ix->slot[i].value == SIM_INDEX_EMPTY) return SIM_E_NOTFOUND;
    i = (i + 1) & ix->mask;
  }
  /* Shift back every later entry of the run whose home slot is not in
   * (i, j], so each stays reachable from its home without tombstones. */
  for (size_t j = (i + 1) & ix->mask; ix->slot[j].value != SIM_INDEX_EMPTY; j = (j + 1) & ix->mask) {
    size_t home = (size_t)slot_hash(&ix->slot[j]) & ix->mask;
    int between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
    if (between) continue;
    ix->slot[i] = ix->slot[j];
    i = j;
  }
  ix->slot[i].value = SIM_INDEX_EMPTY;
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
