/* hns_map.h: a string-keyed hash map for the service's indexes: IDs, names,
 * addresses. It is a sim_index (sim/sim_index.h, the data plane's hash
 * index) over an array of records, so the probing, growth and removal are
 * the simulator's one implementation. It is never iterated, so its layout
 * cannot reach a result. Keys are copied; values are the caller's. A
 * zeroed hns_map is an empty map. */
#ifndef HNS_MAP_H
#define HNS_MAP_H
#include <stddef.h>
#include <stdint.h>
#include "sim_index.h"

typedef struct hns_map {
  struct hns_map_rec *recs;   /* freed records are reused */
  uint32_t n, cap, free_next; /* free_next: first free record + 1, 0 when none */
  sim_index ix;               /* hash -> record; no slots until the first put */
} hns_map;

/* The value stored under `key`, or NULL. */
void *hns_map_get(const hns_map *m, const char *key);
/* Stores value under key (replacing any). 0, or -1 when out of memory. */
int hns_map_put(hns_map *m, const char *key, void *value);
/* Removes key if present. */
void hns_map_del(hns_map *m, const char *key);
void hns_map_free(hns_map *m);

#endif
