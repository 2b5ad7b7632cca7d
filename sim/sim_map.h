/* sim_map.h: a hash map from (scope, key bytes) to a 32-bit value, for the
 * model's name and address indexes (a host's endpoints by name, a
 * segment's neighbours by IP) and truth-table labels. The scope keeps keys
 * of different owners apart in one map (the host index for names, the
 * segment index for addresses).
 *
 * The map copies keys: a key of at most SIM_MAP_INLINE bytes (an address
 * key, most names) is kept in its record, so a lookup compares it without
 * following a pointer; a longer one gets its own allocation. It has no
 * iteration on purpose: nothing may depend on the order of a hash table, so
 * callers keep their own ordered lists and use the map only to find. The
 * hash reads the key eight bytes at a time and is the same on every
 * platform. Underneath is sim_index (sim_index.h). */
#ifndef SIM_MAP_H
#define SIM_MAP_H
#include <stddef.h>
#include <stdint.h>
#include "sim_status.h"

#define SIM_MAP_INLINE 24

typedef struct sim_map sim_map;

int sim_map_create(sim_map **out);
void sim_map_destroy(sim_map *m);

/* SIM_E_EXISTS when (scope, key) is present, SIM_E_NOMEM; the map is then
 * unchanged. */
int sim_map_put(sim_map *m, uint32_t scope, const void *key, size_t len, uint32_t value);

/* 1 and *out set when present, else 0. */
int sim_map_get(const sim_map *m, uint32_t scope, const void *key, size_t len, uint32_t *out);

/* SIM_E_NOTFOUND when absent. */
int sim_map_del(sim_map *m, uint32_t scope, const void *key, size_t len);

size_t sim_map_count(const sim_map *m);

#endif
