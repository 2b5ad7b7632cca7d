/* sim_index.h: the hash index the data-plane stages and sim_map look
 * things up in. It maps a 64-bit hash to a 32-bit value, the position of a
 * record in the caller's own array; the caller says whether a record
 * matches the key, so one index serves flows, (address, protocol, port)
 * keys, ID strings, prefixes and sim_map's byte keys.
 *
 * Open addressing with linear probing; the slot count is a power of two and
 * at least twice the entries, so a probe ends at an empty slot quickly.
 * A slot keeps the hash beside the value (12 bytes, one cache line for a
 * probe run). Removal shifts later entries back (no tombstones), so the
 * slots hold the same entries whatever the history of adds and removes.
 * Nothing here is ever iterated into a result: callers find by key only. */
#ifndef SIM_INDEX_H
#define SIM_INDEX_H
#include <stddef.h>
#include <stdint.h>

#define SIM_INDEX_EMPTY UINT32_MAX

/* 1 if the caller's record `value` has the key `key`, else 0. */
typedef int (*sim_index_match_fn)(const void *ctx, uint32_t value, const void *key);

typedef struct sim_index_slot {
  uint32_t value;       /* SIM_INDEX_EMPTY when free */
  uint32_t hash_lo, hash_hi;
} sim_index_slot;

typedef struct sim_index {
  sim_index_slot *slot;
  size_t mask; /* slots - 1 */
  size_t count;
} sim_index;

/* An empty index sized for `expected` entries without growing. */
int sim_index_init(sim_index *ix, size_t expected);
void sim_index_fini(sim_index *ix);

/* The value of the first record under hash `h` that `match` accepts, in
 * *out; returns 1, or 0 when none does. Inline, so that each caller's
 * match function is inlined into its probe loop. */
static inline int sim_index_find(const sim_index *ix, uint64_t h, sim_index_match_fn match, const void *ctx,
                                 const void *key, uint32_t *out) {
  for (size_t i = (size_t)h & ix->mask;; i = (i + 1) & ix->mask) {
    const sim_index_slot *s = &ix->slot[i];
    if (s->value == SIM_INDEX_EMPTY) return 0;
    if (s->hash_lo == (uint32_t)h && s->hash_hi == (uint32_t)(h >> 32) && match(ctx, s->value, key)) {
      *out = s->value;
      return 1;
    }
  }
}

/* Adds (h, value); the caller has checked the key is absent. Grows (once in
 * a while, not per call) to keep the load at most one half. SIM_E_INVAL for
 * SIM_INDEX_EMPTY as a value, SIM_E_NOMEM (index unchanged). */
int sim_index_add(sim_index *ix, uint64_t h, uint32_t value);

/* Grows now, if needed, so that `more` adds need no allocation (a caller
 * that must not fail halfway reserves first). SIM_E_NOMEM (unchanged). */
int sim_index_reserve(sim_index *ix, size_t more);

/* Removes the entry (h, value); SIM_E_NOTFOUND if it is not there. */
int sim_index_remove(sim_index *ix, uint64_t h, uint32_t value);

/* A 64-bit hash of a NUL-terminated string under `seed` (FNV-1a, then
 * mixed), the same on every platform. */
uint64_t sim_index_hash_str(const char *s, uint64_t seed);

#endif
