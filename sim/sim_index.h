/* sim_index.h: the hash index the data-plane stages look things up in. It
 * maps a 64-bit hash to a 32-bit value, the position of a record in the
 * caller's own array; the caller says whether a record matches the key, so
 * one index serves flows, (address, protocol, port) keys and ID strings.
 *
 * Open addressing with linear probing; the slot count is a power of two and
 * at least twice the entries, so a probe ends at an empty slot quickly.
 * Removal shifts later entries back (no tombstones), so the slots hold the
 * same entries whatever the history of adds and removes. Nothing here is
 * ever iterated into a result: callers find by key only. */
#ifndef SIM_INDEX_H
#define SIM_INDEX_H
#include <stddef.h>
#include <stdint.h>

#define SIM_INDEX_EMPTY UINT32_MAX

/* 1 if the caller's record `value` has the key `key`, else 0. */
typedef int (*sim_index_match_fn)(const void *ctx, uint32_t value, const void *key);

typedef struct sim_index {
  uint64_t *hash;  /* per slot */
  uint32_t *value; /* per slot; SIM_INDEX_EMPTY when free */
  size_t mask;     /* slots - 1 */
  size_t count;
} sim_index;

/* An empty index sized for `expected` entries without growing. */
int sim_index_init(sim_index *ix, size_t expected);
void sim_index_fini(sim_index *ix);

/* The value of the first record under hash `h` that `match` accepts, in
 * *out; returns 1, or 0 when none does. */
int sim_index_find(const sim_index *ix, uint64_t h, sim_index_match_fn match, const void *ctx, const void *key,
                   uint32_t *out);

/* Adds (h, value); the caller has checked the key is absent. Grows (once in
 * a while, not per call) to keep the load at most one half. SIM_E_INVAL for
 * SIM_INDEX_EMPTY as a value, SIM_E_NOMEM (index unchanged). */
int sim_index_add(sim_index *ix, uint64_t h, uint32_t value);

/* Removes the entry (h, value); SIM_E_NOTFOUND if it is not there. */
int sim_index_remove(sim_index *ix, uint64_t h, uint32_t value);

/* A 64-bit hash of a NUL-terminated string under `seed` (FNV-1a, then
 * mixed), the same on every platform. */
uint64_t sim_index_hash_str(const char *s, uint64_t seed);

#endif
