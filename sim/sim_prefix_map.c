/* sim_prefix_map.c: per-length hash probes (sim_prefix_map.h). */
#include "sim_prefix_map.h"
#include <stdlib.h>
#include <string.h>
#include "sim_packet.h"
#include "sim_portkey.h"
#include "sim_status.h"

/* The fixed seed of these keys: the map's contents decide every answer, the
 * hash only where entries sit. */
#define PREFIX_SEED 0x5052454649584D41ull

static void network_of(const sim_ip *ip, uint8_t len, sim_ip *out) {
  sim_prefix p = {*ip, len};
  sim_prefix_network(&p, out);
}

static uint64_t key_hash(const sim_ip *net, uint8_t len) {
  sim_flow k;
  memset(&k, 0, sizeof k);
  k.dst = *net;
  k.src.family = net->family;
  k.dport = len;
  return sim_flow_hash(&k, PREFIX_SEED);
}

static int match(const void *ctx, uint32_t value, const void *key) {
  const sim_prefix *have = &((const sim_prefix_map *)ctx)->pfx[value];
  const sim_prefix *want = key;
  return have->len == want->len && sim_ip_equal(&have->addr, &want->addr);
}

int sim_prefix_map_init(sim_prefix_map *m) {
  memset(m, 0, sizeof *m);
  return sim_index_init(&m->ix, 4);
}

void sim_prefix_map_fini(sim_prefix_map *m) {
  sim_index_fini(&m->ix);
  free(m->pfx);
  free(m->val);
  memset(m, 0, sizeof *m);
}

static void add_len(uint8_t *lens, uint8_t *n, uint8_t len) {
  size_t i = 0;
  while (i < *n && lens[i] > len) i++;
  if (i < *n && lens[i] == len) return;
  memmove(lens + i + 1, lens + i, *n - i);
  lens[i] = len;
  (*n)++;
}

int sim_prefix_map_add(sim_prefix_map *m, const sim_prefix *p, uint32_t value) {
  if (!p || !sim_ip_is_valid(&p->addr) || p->len > (p->addr.family == 4 ? 32 : 128)) return SIM_E_INVAL;
  sim_prefix net = {{0}, p->len};
  network_of(&p->addr, p->len, &net.addr);
  uint64_t h = key_hash(&net.addr, net.len);
  uint32_t found;
  if (sim_index_find(&m->ix, h, match, m, &net, &found)) return SIM_E_EXISTS;
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 4;
    sim_prefix *np = realloc(m->pfx, cap * sizeof *np);
    if (!np) return SIM_E_NOMEM;
    m->pfx = np;
    uint32_t *nv = realloc(m->val, cap * sizeof *nv);
    if (!nv) return SIM_E_NOMEM;
    m->val = nv;
    m->cap = cap;
  }
  int rc = sim_index_add(&m->ix, h, (uint32_t)m->n);
  if (rc < 0) return rc;
  m->pfx[m->n] = net;
  m->val[m->n] = value;
  m->n++;
  if (net.addr.family == 4) add_len(m->lens4, &m->nlens4, net.len);
  else add_len(m->lens6, &m->nlens6, net.len);
  return SIM_OK;
}

int sim_prefix_map_lookup(const sim_prefix_map *m, const sim_ip *ip, uint32_t *out) {
  if (!sim_ip_is_valid(ip)) return 0;
  const uint8_t *lens = ip->family == 4 ? m->lens4 : m->lens6;
  size_t n = ip->family == 4 ? m->nlens4 : m->nlens6;
  for (size_t i = 0; i < n; i++) {
    sim_prefix want = {{0}, lens[i]};
    network_of(ip, lens[i], &want.addr);
    uint32_t found;
    if (sim_index_find(&m->ix, key_hash(&want.addr, want.len), match, m, &want, &found)) {
      if (out) *out = m->val[found];
      return 1;
    }
  }
  return 0;
}

size_t sim_prefix_map_count(const sim_prefix_map *m) { return m->n; }
