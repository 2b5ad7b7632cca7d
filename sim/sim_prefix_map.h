/* sim_prefix_map.h: a small longest-prefix-match map from address prefixes
 * to values, for the prefix lists inside NAT rules (OutBoundNAT Exceptions
 * and Destinations, WinNAT internal prefixes). It is not sim_lpm (the route
 * tables, which look up the same way but keep metrics and several entries
 * per prefix): these lists hold a handful of prefixes and are built once.
 *
 * One hash probe per distinct prefix length of the family, longest first:
 * the network address and length are the key, so a lookup never scans the
 * prefixes. Prefixes are stored as networks ("10.0.0.1/8" is 10.0.0.0/8);
 * two entries with one network and length are refused. */
#ifndef SIM_PREFIX_MAP_H
#define SIM_PREFIX_MAP_H
#include <stddef.h>
#include <stdint.h>
#include "sim_addr.h"
#include "sim_index.h"

typedef struct sim_prefix_map {
  sim_index ix;
  sim_prefix *pfx; /* networks, in insertion order */
  uint32_t *val;
  size_t n, cap;
  uint8_t lens4[33], nlens4;  /* distinct lengths, longest first */
  uint8_t lens6[129], nlens6;
} sim_prefix_map;

int sim_prefix_map_init(sim_prefix_map *m);
void sim_prefix_map_fini(sim_prefix_map *m);

/* SIM_E_INVAL for an invalid prefix, SIM_E_EXISTS for one already present,
 * SIM_E_NOMEM; the map is then unchanged. */
int sim_prefix_map_add(sim_prefix_map *m, const sim_prefix *p, uint32_t value);

/* The value of the longest prefix containing ip in *out (may be NULL):
 * returns 1, or 0 when none contains it. */
int sim_prefix_map_lookup(const sim_prefix_map *m, const sim_ip *ip, uint32_t *out);

size_t sim_prefix_map_count(const sim_prefix_map *m);

#endif
