/* sim_conntrack.c: the connection table (sim_conntrack.h).
 *
 * Connections live in a fixed array of nodes; free nodes form a stack, so
 * which node a connection gets depends only on the order of calls. Each
 * live node is in exactly one class list (ordered by last use, hence by
 * expiry) and has exactly two index entries: its original tuple (value
 * node*2) and the reverse of its translated tuple (value node*2+1).
 * head_exp[c] is the expiry of class c's head (INT64_MAX when empty), so
 * the expiry check every call makes reads no node. */
#include "sim_conntrack.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_index.h"
#include "sim_portkey.h"
#include "sim_status.h"

#define NONE UINT32_MAX
#define MAX_CAPACITY ((size_t)1 << 30)

typedef struct node {
  sim_ct_entry e;
  uint32_t prev, next; /* class list, or free stack (next) */
  uint8_t closing;     /* TCP FIN or RST seen */
} node;

struct sim_ct {
  node *nodes;
  size_t cap, count;
  uint32_t free_top;
  sim_index ix;
  uint64_t seed;
  sim_ct_timeouts to;
  uint32_t head[SIM_CT_NCLASS], tail[SIM_CT_NCLASS];
  sim_time head_exp[SIM_CT_NCLASS];
  sim_time last_now;
  sim_ct_stats st;
  char err[192];
};

void sim_ct_default_timeouts(sim_ct_timeouts *out) {
  out->tcp_established = SIM_S(1800);
  out->tcp_transient = SIM_S(120);
  out->udp = SIM_S(120);
  out->icmp = SIM_S(30);
  out->other = SIM_S(120);
}

int sim_ct_create(size_t capacity, uint64_t seed, const sim_ct_timeouts *timeouts, sim_ct **out) {
  if (!out || capacity == 0 || capacity > MAX_CAPACITY) return SIM_E_INVAL;
  sim_ct_timeouts to;
  if (timeouts) {
    to = *timeouts;
    if (to.tcp_established <= 0 || to.tcp_transient <= 0 || to.udp <= 0 || to.icmp <= 0 || to.other <= 0)
      return SIM_E_INVAL;
  } else {
    sim_ct_default_timeouts(&to);
  }
  sim_ct *ct = calloc(1, sizeof *ct);
  if (!ct) return SIM_E_NOMEM;
  ct->nodes = calloc(capacity, sizeof *ct->nodes);
  /* The index grows with the connections (two keys each), not with the
   * capacity, so a large idle table stays small. */
  if (!ct->nodes || sim_index_init(&ct->ix, 2 * capacity < 64 ? 2 * capacity : 64) < 0) {
    free(ct->nodes);
    free(ct);
    return SIM_E_NOMEM;
  }
  ct->cap = capacity;
  ct->seed = seed;
  ct->to = to;
  /* The free stack pops node 0 first. */
  for (size_t i = 0; i < capacity; i++) ct->nodes[i].next = i + 1 < capacity ? (uint32_t)(i + 1) : NONE;
  ct->free_top = 0;
  for (int c = 0; c < SIM_CT_NCLASS; c++) {
    ct->head[c] = ct->tail[c] = NONE;
    ct->head_exp[c] = INT64_MAX;
  }
  ct->last_now = INT64_MIN;
  *out = ct;
  return SIM_OK;
}

void sim_ct_destroy(sim_ct *ct) {
  if (!ct) return;
  sim_index_fini(&ct->ix);
  free(ct->nodes);
  free(ct);
}

static int fail(sim_ct *ct, int rc, const char *fmt, const char *field, long long value) {
  snprintf(ct->err, sizeof ct->err, fmt, field, value);
  return rc;
}

static int fail_flow(sim_ct *ct, const char *field) {
  snprintf(ct->err, sizeof ct->err, "%s is not a valid flow (families 4 or 6, one family, unused bytes zero)", field);
  return SIM_E_INVAL;
}

static int check_now(sim_ct *ct, sim_time now) {
  if (now < ct->last_now) return fail(ct, SIM_E_PAST, "%s %lld is before the last time seen", "now", (long long)now);
  ct->last_now = now;
  return SIM_OK;
}

static void key_of(const node *n, int reply, sim_flow *out) {
  if (reply) sim_flow_reverse(&n->e.xlat, out);
  else *out = n->e.orig;
}

static int ip_same(const sim_ip *a, const sim_ip *b) { return a->family == b->family && !memcmp(a->b, b->b, 16); }

/* key_of(node, reply) == *key, compared in place (unused address bytes are
 * zero, so whole addresses compare as sim_ip_equal does). */
static int key_match(const void *ctx, uint32_t value, const void *key) {
  const node *n = &((const sim_ct *)ctx)->nodes[value >> 1];
  const sim_flow *k = key;
  if (value & 1) {
    const sim_flow *x = &n->e.xlat;
    return x->proto == k->proto && x->sport == k->dport && x->dport == k->sport && ip_same(&x->dst, &k->src) &&
           ip_same(&x->src, &k->dst);
  }
  const sim_flow *o = &n->e.orig;
  return o->proto == k->proto && o->sport == k->sport && o->dport == k->dport && ip_same(&o->src, &k->src) &&
         ip_same(&o->dst, &k->dst);
}

static uint64_t hash_of(const sim_ct *ct, const sim_flow *f) { return sim_flow_hash(f, ct->seed); }

static int find(const sim_ct *ct, const sim_flow *f, uint32_t *value) {
  return sim_index_find(&ct->ix, hash_of(ct, f), key_match, ct, f, value);
}

static sim_time timeout_of(const sim_ct *ct, int cls) {
  switch (cls) {
  case SIM_CT_TCP_TRANSIENT: return ct->to.tcp_transient;
  case SIM_CT_TCP_ESTABLISHED: return ct->to.tcp_established;
  case SIM_CT_UDP: return ct->to.udp;
  case SIM_CT_ICMP: return ct->to.icmp;
  default: return ct->to.other;
  }
}

/* The node's expiry must be final before it becomes a head. */
static void set_head(sim_ct *ct, int c, uint32_t i) {
  ct->head[c] = i;
  ct->head_exp[c] = i == NONE ? INT64_MAX : ct->nodes[i].e.expires;
}

static void unlink_node(sim_ct *ct, uint32_t i) {
  node *n = &ct->nodes[i];
  int c = n->e.cls;
  if (n->prev != NONE) ct->nodes[n->prev].next = n->next;
  else set_head(ct, c, n->next);
  if (n->next != NONE) ct->nodes[n->next].prev = n->prev;
  else ct->tail[c] = n->prev;
}

static void append_node(sim_ct *ct, uint32_t i, int cls) {
  node *n = &ct->nodes[i];
  n->e.cls = cls;
  n->prev = ct->tail[cls];
  n->next = NONE;
  if (ct->tail[cls] != NONE) ct->nodes[ct->tail[cls]].next = i;
  else set_head(ct, cls, i);
  ct->tail[cls] = i;
}

static void remove_node(sim_ct *ct, uint32_t i) {
  sim_flow k;
  for (int reply = 0; reply < 2; reply++) {
    key_of(&ct->nodes[i], reply, &k);
    sim_index_remove(&ct->ix, hash_of(ct, &k), i * 2 + (uint32_t)reply);
  }
  unlink_node(ct, i);
  ct->nodes[i].next = ct->free_top;
  ct->free_top = i;
  ct->count--;
}

static int expire(sim_ct *ct, sim_time now) {
  int n = 0;
  for (int c = 0; c < SIM_CT_NCLASS; c++) {
    while (ct->head_exp[c] <= now) {
      remove_node(ct, ct->head[c]);
      n++;
    }
  }
  ct->st.expired += (uint64_t)n;
  return n;
}

int sim_ct_expire(sim_ct *ct, sim_time now) {
  if (!ct) return SIM_E_INVAL;
  int rc = check_now(ct, now);
  return rc < 0 ? rc : expire(ct, now);
}

static int class_for(uint8_t proto, int established) {
  switch (proto) {
  case SIM_IPPROTO_TCP: return established ? SIM_CT_TCP_ESTABLISHED : SIM_CT_TCP_TRANSIENT;
  case SIM_IPPROTO_UDP: return SIM_CT_UDP;
  case SIM_IPPROTO_ICMP:
  case SIM_IPPROTO_ICMPV6: return SIM_CT_ICMP;
  default: return SIM_CT_OTHER;
  }
}

/* The connection nearest its expiry: the earliest class head. */
static void evict_one(sim_ct *ct) {
  uint32_t victim = NONE;
  sim_time best = 0;
  for (int c = 0; c < SIM_CT_NCLASS; c++) {
    if (ct->head[c] != NONE && (victim == NONE || ct->head_exp[c] < best)) {
      victim = ct->head[c];
      best = ct->head_exp[c];
    }
  }
  remove_node(ct, victim);
  ct->st.evicted++;
}

int sim_ct_insert(sim_ct *ct, const sim_flow *orig, const sim_flow *xlat, const char *owner, uint32_t flags,
                  uint32_t aux, uint8_t tcp_flags, sim_time now) {
  if (!ct) return SIM_E_INVAL;
  if (!orig || !sim_flow_is_valid(orig)) return fail_flow(ct, "orig");
  if (!xlat || !sim_flow_is_valid(xlat)) return fail_flow(ct, "xlat");
  if (orig->proto != xlat->proto)
    return fail(ct, SIM_E_INVAL, "%s protocol %lld differs from orig's", "xlat", (long long)xlat->proto);
  if (!owner || !owner[0] || strlen(owner) >= SIM_RULE_ID_MAX)
    return fail(ct, SIM_E_INVAL, "%s must be 1..%lld bytes", "owner", SIM_RULE_ID_MAX - 1);
  int rc = check_now(ct, now);
  if (rc < 0) return rc;
  expire(ct, now);
  sim_flow reply;
  sim_flow_reverse(xlat, &reply);
  uint32_t v;
  if (find(ct, orig, &v) || find(ct, &reply, &v)) {
    char t[SIM_FLOW_TEXT];
    sim_flow_format(find(ct, orig, &v) ? orig : xlat, t);
    snprintf(ct->err, sizeof ct->err, "a live connection already uses %s", t);
    return SIM_E_EXISTS;
  }
  if (sim_index_reserve(&ct->ix, 2) < 0) {
    snprintf(ct->err, sizeof ct->err, "out of memory");
    return SIM_E_NOMEM;
  }
  if (ct->count == ct->cap) evict_one(ct);
  uint32_t i = ct->free_top;
  node *n = &ct->nodes[i];
  ct->free_top = n->next;
  memset(n, 0, sizeof *n);
  n->e.orig = *orig;
  n->e.xlat = *xlat;
  strcpy(n->e.owner, owner);
  n->e.flags = flags;
  n->e.aux = aux;
  n->e.created = now;
  n->closing = orig->proto == SIM_IPPROTO_TCP && (tcp_flags & (SIM_TCP_FIN | SIM_TCP_RST));
  int cls = class_for(orig->proto, 0);
  n->e.expires = now + timeout_of(ct, cls);
  append_node(ct, i, cls);
  sim_index_add(&ct->ix, hash_of(ct, orig), i * 2); /* reserved above: cannot fail */
  sim_index_add(&ct->ix, hash_of(ct, &reply), i * 2 + 1);
  ct->count++;
  ct->st.inserted++;
  return SIM_OK;
}

int sim_ct_lookup(sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, sim_time now, sim_ct_hit *out) {
  if (!ct || !out) return SIM_E_INVAL;
  if (!flow || !sim_flow_is_valid(flow)) return fail_flow(ct, "flow");
  int rc = check_now(ct, now);
  if (rc < 0) return rc;
  expire(ct, now);
  uint32_t v;
  if (!find(ct, flow, &v)) return 0;
  uint32_t i = v >> 1;
  node *n = &ct->nodes[i];
  int dir = (v & 1) ? SIM_CT_REPLY : SIM_CT_ORIGINAL;
  int cls = n->e.cls;
  if (flow->proto == SIM_IPPROTO_TCP) {
    if (tcp_flags & (SIM_TCP_FIN | SIM_TCP_RST)) n->closing = 1;
    if (n->closing) cls = SIM_CT_TCP_TRANSIENT;
    else if (dir == SIM_CT_REPLY) cls = SIM_CT_TCP_ESTABLISHED;
  }
  unlink_node(ct, i);
  n->e.expires = now + timeout_of(ct, cls);
  append_node(ct, i, cls);
  out->dir = dir;
  if (dir == SIM_CT_ORIGINAL) out->out = n->e.xlat;
  else sim_flow_reverse(&n->e.orig, &out->out);
  out->entry = n->e;
  return 1;
}

int sim_ct_tuple_taken(sim_ct *ct, const sim_flow *f, sim_time now) {
  if (!ct) return SIM_E_INVAL;
  if (!f || !sim_flow_is_valid(f)) return fail_flow(ct, "tuple");
  int rc = check_now(ct, now);
  if (rc < 0) return rc;
  expire(ct, now);
  sim_flow r;
  sim_flow_reverse(f, &r);
  uint32_t v;
  return find(ct, f, &v) || find(ct, &r, &v);
}

int sim_ct_pick_port(sim_ct *ct, const sim_flow *tmpl, uint16_t first, uint32_t count, uint32_t *cursor, sim_time now,
                     uint16_t *port) {
  if (!ct || !cursor || !port) return SIM_E_INVAL;
  if (first == 0 || count == 0 || (uint32_t)first + count - 1 > 65535)
    return fail(ct, SIM_E_INVAL, "%s range starting at %lld is empty or past 65535", "port", (long long)first);
  sim_flow t = *tmpl;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t off = (*cursor + i) % count;
    t.sport = (uint16_t)(first + off);
    int taken = sim_ct_tuple_taken(ct, &t, now);
    if (taken < 0) return taken;
    if (!taken) {
      *cursor = (off + 1) % count;
      *port = t.sport;
      return 1;
    }
  }
  return 0;
}

size_t sim_ct_count(const sim_ct *ct) { return ct ? ct->count : 0; }
size_t sim_ct_capacity(const sim_ct *ct) { return ct ? ct->cap : 0; }

void sim_ct_get_stats(const sim_ct *ct, sim_ct_stats *out) {
  if (ct && out) *out = ct->st;
}

const char *sim_ct_errmsg(const sim_ct *ct) { return ct ? ct->err : "no table"; }
