/* hns_map.h: a string-keyed hash map (open addressing, linear probing) for
 * the service's indexes: IDs, names, addresses. It is never iterated, so its
 * layout cannot reach a result. Keys are copied; values are the caller's. */
#ifndef HNS_MAP_H
#define HNS_MAP_H
#include <stddef.h>

typedef struct hns_map {
  struct hns_map_slot *slots;
  size_t cap, used, live; /* used counts tombstones too */
} hns_map;

/* The value stored under `key`, or NULL. */
void *hns_map_get(const hns_map *m, const char *key);
/* Stores value under key (replacing any). 0, or -1 when out of memory. */
int hns_map_put(hns_map *m, const char *key, void *value);
/* Removes key if present. */
void hns_map_del(hns_map *m, const char *key);
void hns_map_free(hns_map *m);

#endif
