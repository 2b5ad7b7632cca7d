/* sim_lpm.c: the binary tries behind sim_lpm.h.
 *
 * Nodes and entries live in two arrays addressed by index (0 is "none"), so
 * the structure holds no pointers of its own and reuses freed slots through
 * free lists. Node 1 is the IPv4 root, node 2 the IPv6 root; a node at
 * depth d stands for the prefixes of length d on its path. Invariants: every
 * node other than a root has entries or children (empty branches are pruned
 * on removal); a node's entries form a list sorted by (metric, insertion
 * sequence), so the head is the node's best entry. */
#include "sim_lpm.h"
#include <stdlib.h>
#include <string.h>

enum { ROOT4 = 1, ROOT6 = 2 };

typedef struct lpm_node {
  uint32_t child[2];
  uint32_t parent;
  uint32_t head; /* first entry, or 0 */
} lpm_node;

typedef struct lpm_item {
  sim_lpm_entry e;
  uint64_t seq;  /* insertion order, kept by replace */
  uint32_t next; /* next entry of the same node, or the next free slot */
} lpm_item;

struct sim_lpm {
  lpm_node *nodes;
  uint32_t n_nodes, cap_nodes, free_nodes;
  lpm_item *items;
  uint32_t n_items, cap_items, free_items;
  size_t count;
  uint64_t next_seq;
};

static int grow(void **arr, uint32_t *cap, size_t elem) {
  uint32_t ncap = *cap ? *cap * 2 : 16;
  if (ncap < *cap) return SIM_E_NOMEM;
  void *p = realloc(*arr, (size_t)ncap * elem);
  if (!p) return SIM_E_NOMEM;
  *arr = p;
  *cap = ncap;
  return SIM_OK;
}

int sim_lpm_create(sim_lpm **out) {
  if (!out) return SIM_E_INVAL;
  *out = NULL;
  sim_lpm *t = calloc(1, sizeof(*t));
  if (!t || grow((void **)&t->nodes, &t->cap_nodes, sizeof(lpm_node))) {
    free(t);
    return SIM_E_NOMEM;
  }
  memset(t->nodes, 0, 3 * sizeof(lpm_node));
  t->n_nodes = 3;
  t->n_items = 1; /* slot 0 is "none" */
  *out = t;
  return SIM_OK;
}

void sim_lpm_destroy(sim_lpm *t) {
  if (!t) return;
  free(t->nodes);
  free(t->items);
  free(t);
}

size_t sim_lpm_count(const sim_lpm *t) { return t ? t->count : 0; }

static int bit_at(const sim_ip *ip, unsigned d) { return (ip->b[d >> 3] >> (7 - (d & 7))) & 1; }

static int prefix_ok(const sim_prefix *p) {
  return p && ((p->addr.family == 4 && p->len <= 32) || (p->addr.family == 6 && p->len <= 128));
}

/* The node of prefix p, or 0 when the trie has no node for it. */
static uint32_t find_node(const sim_lpm *t, const sim_prefix *p) {
  uint32_t n = p->addr.family == 4 ? ROOT4 : ROOT6;
  for (unsigned d = 0; d < p->len && n; d++) n = t->nodes[n].child[bit_at(&p->addr, d)];
  return n;
}

/* The entry slot of `value` in node n, and the slot before it (0 if first). */
static uint32_t find_item(const sim_lpm *t, uint32_t n, uint64_t value, uint32_t *prev) {
  uint32_t before = 0;
  for (uint32_t i = t->nodes[n].head; i; before = i, i = t->items[i].next) {
    if (t->items[i].e.value == value) {
      if (prev) *prev = before;
      return i;
    }
  }
  return 0;
}

/* Links entry i into node n's list at its (metric, seq) place. */
static void link_sorted(sim_lpm *t, uint32_t n, uint32_t i) {
  uint32_t *at = &t->nodes[n].head;
  const lpm_item *it = &t->items[i];
  while (*at) {
    const lpm_item *o = &t->items[*at];
    if (o->e.metric > it->e.metric || (o->e.metric == it->e.metric && o->seq > it->seq)) break;
    at = &t->items[*at].next;
  }
  t->items[i].next = *at;
  *at = i;
}

static void unlink_item(sim_lpm *t, uint32_t n, uint32_t i, uint32_t prev) {
  if (prev) t->items[prev].next = t->items[i].next;
  else t->nodes[n].head = t->items[i].next;
  t->items[i].next = 0;
}

static int reserve(sim_lpm *t, unsigned new_nodes) {
  while (t->n_nodes + new_nodes > t->cap_nodes)
    if (grow((void **)&t->nodes, &t->cap_nodes, sizeof(lpm_node))) return SIM_E_NOMEM;
  if (!t->free_items && t->n_items >= t->cap_items)
    if (grow((void **)&t->items, &t->cap_items, sizeof(lpm_item))) return SIM_E_NOMEM;
  return SIM_OK;
}

static uint32_t take_node(sim_lpm *t, uint32_t parent) {
  uint32_t n;
  if (t->free_nodes) {
    n = t->free_nodes;
    t->free_nodes = t->nodes[n].child[0];
  } else {
    n = t->n_nodes++;
  }
  t->nodes[n] = (lpm_node){{0, 0}, parent, 0};
  return n;
}

int sim_lpm_add(sim_lpm *t, const sim_prefix *p, uint32_t metric, uint64_t value) {
  if (!t || !prefix_ok(p)) return SIM_E_INVAL;
  uint32_t n = p->addr.family == 4 ? ROOT4 : ROOT6;
  unsigned d = 0;
  for (; d < p->len && t->nodes[n].child[bit_at(&p->addr, d)]; d++) n = t->nodes[n].child[bit_at(&p->addr, d)];
  if (d == p->len && find_item(t, n, value, NULL)) return SIM_E_EXISTS;
  /* Free nodes are reused one at a time, so reserving fresh room for every
   * missing node is enough; nothing changes before this can fail. */
  if (reserve(t, p->len - d)) return SIM_E_NOMEM;
  for (; d < p->len; d++) {
    uint32_t c = take_node(t, n);
    t->nodes[n].child[bit_at(&p->addr, d)] = c;
    n = c;
  }
  uint32_t i;
  if (t->free_items) {
    i = t->free_items;
    t->free_items = t->items[i].next;
  } else {
    i = t->n_items++;
  }
  lpm_item *it = &t->items[i];
  memset(it, 0, sizeof(*it));
  it->e.prefix.len = p->len;
  sim_prefix_network(p, &it->e.prefix.addr);
  it->e.metric = metric;
  it->e.value = value;
  it->seq = t->next_seq++;
  link_sorted(t, n, i);
  t->count++;
  return SIM_OK;
}

static void prune(sim_lpm *t, uint32_t n) {
  while (n > ROOT6 && !t->nodes[n].head && !t->nodes[n].child[0] && !t->nodes[n].child[1]) {
    uint32_t parent = t->nodes[n].parent;
    lpm_node *pn = &t->nodes[parent];
    if (pn->child[0] == n) pn->child[0] = 0;
    else pn->child[1] = 0;
    t->nodes[n].child[0] = t->free_nodes;
    t->free_nodes = n;
    n = parent;
  }
}

int sim_lpm_remove(sim_lpm *t, const sim_prefix *p, uint64_t value) {
  if (!t || !prefix_ok(p)) return SIM_E_INVAL;
  uint32_t n = find_node(t, p), prev = 0, i;
  if (!n || !(i = find_item(t, n, value, &prev))) return SIM_E_NOTFOUND;
  unlink_item(t, n, i, prev);
  t->items[i].next = t->free_items;
  t->free_items = i;
  t->count--;
  prune(t, n);
  return SIM_OK;
}

int sim_lpm_replace(sim_lpm *t, const sim_prefix *p, uint64_t value, uint32_t new_metric, uint64_t new_value) {
  if (!t || !prefix_ok(p)) return SIM_E_INVAL;
  uint32_t n = find_node(t, p), prev = 0, i;
  if (!n || !(i = find_item(t, n, value, &prev))) return SIM_E_NOTFOUND;
  if (new_value != value && find_item(t, n, new_value, NULL)) return SIM_E_EXISTS;
  unlink_item(t, n, i, prev);
  t->items[i].e.metric = new_metric;
  t->items[i].e.value = new_value;
  link_sorted(t, n, i);
  return SIM_OK;
}

int sim_lpm_lookup(const sim_lpm *t, const sim_ip *ip, sim_lpm_entry *out) {
  if (!t || !ip || !out || (ip->family != 4 && ip->family != 6)) return SIM_E_INVAL;
  unsigned bits = ip->family == 4 ? 32 : 128;
  uint32_t n = ip->family == 4 ? ROOT4 : ROOT6;
  uint32_t best = t->nodes[n].head;
  for (unsigned d = 0; d < bits; d++) {
    n = t->nodes[n].child[bit_at(ip, d)];
    if (!n) break;
    if (t->nodes[n].head) best = t->nodes[n].head;
  }
  if (!best) return SIM_E_NOTFOUND;
  *out = t->items[best].e;
  return SIM_OK;
}
