/* sim_acl.c: one port's ACL rule set: rules copied in as typed values, an
 * index per (rule type, direction), and the lookup (semantics and sources:
 * sim_acl.h and docs/dataplane.md "ACL stage").
 *
 * Index. A table's rules are ranked in evaluation order: priority ascending,
 * then Block, Allow, Pass, then insertion order; the first matching rank
 * decides. Each table splits by protocol into buckets (one per protocol any
 * rule names, TCP and UDP always, and one for all other protocols, which
 * holds only any-protocol rules). In a bucket a rule is filed under one kind
 * of key, the first it has: its local ports (a hash for single ports, an
 * interval map for ranges), else its remote ports, else its remote
 * addresses (an interval map per family), else the wildcard list, which so
 * holds only rules with no port and no remote address. A lookup reads at
 * most six rank lists, each ascending, and stops each at the first full
 * match or at a rank no better than the best so far; every candidate is
 * checked on all fields. No lookup walks the whole table.
 *
 * Invariants: rules[] is in insertion order and never reordered; `built`
 * is 1 only while the index reflects every rule; a table's ranked[] holds
 * copies of its rules in rank order whose lists are rules[]'s (owned and
 * freed there); per-rule port and address lists are merged (sorted,
 * disjoint), as acl_iv64_contains and acl_ival_contains need. */
#include "sim_acl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_acl_int.h"
#include "sim_status.h"

#define ACL_TYPES 2
#define ACL_DIRS 2
#define ACL_OTHER 256 /* the bucket for protocols no rule names */

typedef struct acl__list {
  acl_ival *v;
  uint32_t n;
} acl__list;

typedef struct acl__l64 {
  acl_iv64 *v;
  uint32_t n;
} acl__l64;

/* What a lookup reads comes first, in as few cache lines as it fits. */
typedef struct acl__rule {
  acl__l64 lports, rports;
  acl__l64 laddr4, raddr4;
  acl__list laddr6, raddr6;
  uint8_t laddr_any, raddr_any; /* no address list at all (a list of one family matches no other) */
  uint8_t dir, action, type, proto_any;
  uint16_t priority;
  sim_acl_protos protos;
  char *id;
} acl__rule;

typedef struct acl__bucket {
  acl_phash lsingle, rsingle;
  acl_imap lrange, rrange, raddr[2];
  uint32_t *wild, nwild;
} acl__bucket;

typedef struct acl__table {
  uint32_t n;
  uint32_t *by_rank; /* rank -> insertion index */
  acl__rule *ranked; /* the rules in rank order: copies sharing rules[]'s lists, read by lookups */
  uint16_t bucket_of[256];
  acl__bucket *buckets;
  uint32_t nbuckets;
} acl__table;

struct sim_acl_set {
  sim_acl_profile profile;
  acl__rule *rules;
  size_t n, cap;
  int built;
  size_t typed[ACL_TYPES]; /* rules of each rule type */
  acl__table tables[ACL_TYPES][ACL_DIRS];
};

/* ---- keys ---- */

static acl_key acl__ip_key(const sim_ip *ip) {
  acl_key k = {0, 0};
  if (ip->family == 4) {
    for (int i = 0; i < 4; i++) k.lo = k.lo << 8 | ip->b[i];
  } else {
    for (int i = 0; i < 8; i++) k.hi = k.hi << 8 | ip->b[i];
    for (int i = 8; i < 16; i++) k.lo = k.lo << 8 | ip->b[i];
  }
  return k;
}

/* A prefix as the interval of the addresses it contains. */
static acl_ival acl__prefix_ival(const sim_prefix *p) {
  acl_key k = acl__ip_key(&p->addr);
  int host = (p->addr.family == 4 ? 32 : 128) - p->len;
  uint64_t mhi = host >= 128 ? UINT64_MAX : host > 64 ? (UINT64_MAX >> (128 - host)) : 0;
  uint64_t mlo = host >= 64 ? UINT64_MAX : host == 0 ? 0 : (UINT64_MAX >> (64 - host));
  acl_ival iv = {{k.hi & ~mhi, k.lo & ~mlo}, {k.hi | mhi, k.lo | mlo}};
  return iv;
}

static int acl__ival_cmp(const void *pa, const void *pb) {
  const acl_ival *a = pa, *b = pb;
  if (a->lo.hi != b->lo.hi) return a->lo.hi < b->lo.hi ? -1 : 1;
  if (a->lo.lo != b->lo.lo) return a->lo.lo < b->lo.lo ? -1 : 1;
  if (a->hi.hi != b->hi.hi) return a->hi.hi < b->hi.hi ? -1 : 1;
  if (a->hi.lo != b->hi.lo) return a->hi.lo < b->hi.lo ? -1 : 1;
  return 0;
}

/* Sorts and merges overlapping or adjacent intervals in place. */
static void acl__merge(acl__list *l) {
  if (l->n < 2) return;
  qsort(l->v, l->n, sizeof *l->v, acl__ival_cmp);
  uint32_t out = 0;
  for (uint32_t i = 1; i < l->n; i++) {
    acl_ival *last = &l->v[out];
    int at_end = last->hi.hi == UINT64_MAX && last->hi.lo == UINT64_MAX;
    acl_key next = {last->hi.hi + (last->hi.lo == UINT64_MAX), last->hi.lo + 1};
    if (at_end || acl_key_le(l->v[i].lo, next)) {
      if (!acl_key_le(l->v[i].hi, last->hi)) last->hi = l->v[i].hi;
    } else {
      l->v[++out] = l->v[i];
    }
  }
  l->n = out + 1;
}

/* ---- adding ---- */

static void acl__rule_free(acl__rule *r) {
  free(r->id);
  free(r->lports.v), free(r->rports.v);
  free(r->laddr4.v), free(r->raddr4.v);
  free(r->laddr6.v), free(r->raddr6.v);
}

static int acl__check_addrs(const char *field, const sim_prefix *a, size_t n, char err[SIM_ACL_ERRLEN]) {
  if (n && !a) {
    if (err) snprintf(err, SIM_ACL_ERRLEN, "%s: %zu entries but no array", field, n);
    return SIM_E_INVAL;
  }
  for (size_t i = 0; i < n; i++) {
    int fam = a[i].addr.family, bits = fam == 4 ? 32 : 128;
    if ((fam != 4 && fam != 6) || a[i].len > bits) {
      if (err) snprintf(err, SIM_ACL_ERRLEN, "%s[%zu]: family %d, length %d is not an IPv4 or IPv6 prefix", field, i,
                        fam, a[i].len);
      return SIM_E_INVAL;
    }
  }
  return SIM_OK;
}

static int acl__check_ports(const char *field, const sim_acl_port_range *p, size_t n, char err[SIM_ACL_ERRLEN]) {
  if (n && !p) {
    if (err) snprintf(err, SIM_ACL_ERRLEN, "%s: %zu entries but no array", field, n);
    return SIM_E_INVAL;
  }
  for (size_t i = 0; i < n; i++) {
    if (p[i].lo == 0 || p[i].lo > p[i].hi) {
      if (err) snprintf(err, SIM_ACL_ERRLEN, "%s[%zu]: \"%u-%u\" is not a range of ports 1..65535, low end first",
                        field, i, p[i].lo, p[i].hi);
      return SIM_E_INVAL;
    }
  }
  return SIM_OK;
}

static int acl__check(const sim_acl_rule *r, char err[SIM_ACL_ERRLEN]) {
  const char *bad = NULL;
  int v = 0;
  if ((unsigned)r->direction > SIM_ACL_OUT) bad = "Direction", v = (int)r->direction;
  else if ((unsigned)r->action > SIM_ACL_PASS) bad = "Action", v = (int)r->action;
  else if ((unsigned)r->rule_type > SIM_ACL_HOST) bad = "RuleType", v = (int)r->rule_type;
  if (bad) {
    if (err) snprintf(err, SIM_ACL_ERRLEN, "%s: %d is not one of its values", bad, v);
    return SIM_E_INVAL;
  }
  int rc;
  if ((rc = acl__check_addrs("LocalAddresses", r->local_addrs, r->n_local_addrs, err)) ||
      (rc = acl__check_addrs("RemoteAddresses", r->remote_addrs, r->n_remote_addrs, err)) ||
      (rc = acl__check_ports("LocalPorts", r->local_ports, r->n_local_ports, err)) ||
      (rc = acl__check_ports("RemotePorts", r->remote_ports, r->n_remote_ports, err)))
    return rc;
  if (r->n_local_addrs > UINT32_MAX || r->n_remote_addrs > UINT32_MAX || r->n_local_ports > UINT32_MAX ||
      r->n_remote_ports > UINT32_MAX) {
    if (err) snprintf(err, SIM_ACL_ERRLEN, "rule: a list has more than %u entries", UINT32_MAX);
    return SIM_E_INVAL;
  }
  return SIM_OK;
}

/* A merged list whose keys fit in 64 bits (ports, IPv4) in its compact
 * form; frees the wide one. */
static int acl__narrow(acl__list *w, acl__l64 *out) {
  if (w->n && !(out->v = malloc(w->n * sizeof *out->v))) return SIM_E_NOMEM;
  for (uint32_t i = 0; i < w->n; i++) out->v[i] = (acl_iv64){w->v[i].lo.lo, w->v[i].hi.lo};
  out->n = w->n;
  free(w->v);
  w->v = NULL, w->n = 0;
  return SIM_OK;
}

static int acl__ports_list(acl__l64 *out, const sim_acl_port_range *p, size_t n) {
  acl__list w = {NULL, 0};
  if (n && !(w.v = malloc(n * sizeof *w.v))) return SIM_E_NOMEM;
  for (size_t i = 0; i < n; i++) w.v[i] = (acl_ival){{0, p[i].lo}, {0, p[i].hi}};
  w.n = (uint32_t)n;
  acl__merge(&w);
  int rc = acl__narrow(&w, out);
  free(w.v);
  return rc;
}

/* The IPv4 prefixes of a list into v4, merged; the IPv6 ones into v6. */
static int acl__addr_lists(acl__l64 *v4, acl__list *v6, const sim_prefix *a, size_t n) {
  acl__list l[2] = {{NULL, 0}, {NULL, 0}};
  for (int f = 0; f < 2; f++) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += a[i].addr.family == (f ? 6 : 4);
    if (count && !(l[f].v = malloc(count * sizeof *l[f].v))) {
      free(l[0].v);
      return SIM_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
      if (a[i].addr.family == (f ? 6 : 4)) l[f].v[l[f].n++] = acl__prefix_ival(&a[i]);
    acl__merge(&l[f]);
  }
  *v6 = l[1];
  int rc = acl__narrow(&l[0], v4);
  free(l[0].v);
  return rc;
}

int sim_acl_set_add(sim_acl_set *s, const sim_acl_rule *r, char err[SIM_ACL_ERRLEN]) {
  if (!s || !r) return SIM_E_INVAL;
  int rc = acl__check(r, err);
  if (rc) return rc;
  if (s->n >= UINT32_MAX) {
    if (err) snprintf(err, SIM_ACL_ERRLEN, "rule: the set already holds %zu rules", s->n);
    return SIM_E_INVAL;
  }
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    acl__rule *v = realloc(s->rules, cap * sizeof *v);
    if (!v) return SIM_E_NOMEM;
    s->rules = v;
    s->cap = cap;
  }
  acl__rule c;
  memset(&c, 0, sizeof c);
  c.priority = r->priority;
  c.dir = (uint8_t)r->direction;
  c.action = (uint8_t)r->action;
  c.type = (uint8_t)r->rule_type;
  c.protos = r->protocols;
  c.proto_any = !(c.protos.bits[0] | c.protos.bits[1] | c.protos.bits[2] | c.protos.bits[3]);
  c.laddr_any = r->n_local_addrs == 0;
  c.raddr_any = r->n_remote_addrs == 0;
  if (!(c.id = strdup(r->id ? r->id : "")) || acl__ports_list(&c.lports, r->local_ports, r->n_local_ports) ||
      acl__ports_list(&c.rports, r->remote_ports, r->n_remote_ports) ||
      acl__addr_lists(&c.laddr4, &c.laddr6, r->local_addrs, r->n_local_addrs) ||
      acl__addr_lists(&c.raddr4, &c.raddr6, r->remote_addrs, r->n_remote_addrs)) {
    acl__rule_free(&c);
    return SIM_E_NOMEM;
  }
  s->rules[s->n++] = c;
  s->typed[c.type]++;
  s->built = 0;
  return SIM_OK;
}

/* ---- the index ---- */

static void acl__table_free(acl__table *t) {
  for (uint32_t b = 0; b < t->nbuckets; b++) {
    acl__bucket *k = &t->buckets[b];
    acl_phash_free(&k->lsingle), acl_phash_free(&k->rsingle);
    acl_imap_free(&k->lrange), acl_imap_free(&k->rrange);
    acl_imap_free(&k->raddr[0]), acl_imap_free(&k->raddr[1]);
    free(k->wild);
  }
  free(t->buckets);
  free(t->by_rank);
  free(t->ranked);
  memset(t, 0, sizeof *t);
}

/* Block before Allow before Pass at equal priority (sim_acl.h). */
static int acl__action_rank(uint8_t a) { return a == SIM_ACL_BLOCK ? 0 : a == SIM_ACL_ALLOW ? 1 : 2; }

/* A rule's place in evaluation order as one number: priority, then action
 * rank, then insertion index, so sorting the numbers sorts the rules. */
static uint64_t acl__order(const acl__rule *r, size_t index) {
  return (uint64_t)r->priority << 34 | (uint64_t)acl__action_rank(r->action) << 32 | (uint64_t)index;
}

static int acl__u64_cmp(const void *pa, const void *pb) {
  uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
  return a < b ? -1 : a > b;
}

static int acl__has_proto(const acl__rule *r, unsigned p) { return (r->protos.bits[p >> 6] >> (p & 63)) & 1; }

/* Whether rule r belongs in the bucket of protocol p (ACL_OTHER: protocols
 * no rule names). Port lists match only TCP and UDP. */
static int acl__in_bucket(const acl__rule *r, unsigned p) {
  if (p == ACL_OTHER ? !r->proto_any : !(r->proto_any || acl__has_proto(r, p))) return 0;
  if (r->lports.n || r->rports.n) return p == SIM_IPPROTO_TCP || p == SIM_IPPROTO_UDP;
  return 1;
}

/* Growable arrays of entries for one bucket's structures. */
typedef struct acl__grow {
  void *v;
  size_t n, cap, size;
} acl__grow;

static void *acl__push(acl__grow *g) {
  if (g->n == g->cap) {
    size_t cap = g->cap ? 2 * g->cap : 16;
    void *v = realloc(g->v, cap * g->size);
    if (!v) return NULL;
    g->v = v;
    g->cap = cap;
  }
  return (char *)g->v + g->size * g->n++;
}

/* Puts rule `rank` into its side's single-port hash entries or range entries. */
static int acl__push_ports(const acl__l64 *l, uint32_t rank, acl__grow *single, acl__grow *range) {
  for (uint32_t i = 0; i < l->n; i++) {
    if (l->v[i].lo == l->v[i].hi) {
      acl_phash_entry *e = acl__push(single);
      if (!e) return SIM_E_NOMEM;
      *e = (acl_phash_entry){(uint16_t)l->v[i].lo, rank};
    } else {
      acl_imap_entry *e = acl__push(range);
      if (!e) return SIM_E_NOMEM;
      *e = (acl_imap_entry){l->v[i], rank};
    }
  }
  return SIM_OK;
}

static int acl__bucket_build(const acl__table *t, unsigned p, acl__bucket *k) {
  enum { LS, LR, RS, RR, A4, A6, W, NG };
  acl__grow g[NG];
  size_t sizes[NG] = {sizeof(acl_phash_entry), sizeof(acl_imap_entry), sizeof(acl_phash_entry),
                      sizeof(acl_imap_entry),  sizeof(acl_imap_entry), sizeof(acl_imap_entry), sizeof(uint32_t)};
  for (int i = 0; i < NG; i++) g[i] = (acl__grow){NULL, 0, 0, sizes[i]};
  int rc = SIM_OK;
  for (uint32_t rank = 0; rank < t->n && !rc; rank++) {
    const acl__rule *r = &t->ranked[rank];
    if (!acl__in_bucket(r, p)) continue;
    if (r->lports.n) {
      rc = acl__push_ports(&r->lports, rank, &g[LS], &g[LR]);
    } else if (r->rports.n) {
      rc = acl__push_ports(&r->rports, rank, &g[RS], &g[RR]);
    } else if (!r->raddr_any) {
      for (uint32_t i = 0; i < r->raddr4.n && !rc; i++) {
        acl_imap_entry *e = acl__push(&g[A4]);
        if (!e) rc = SIM_E_NOMEM;
        else *e = (acl_imap_entry){r->raddr4.v[i], rank};
      }
      /* IPv6 by the upper 64 bits: a coarser map, every candidate checked. */
      for (uint32_t i = 0; i < r->raddr6.n && !rc; i++) {
        acl_imap_entry *e = acl__push(&g[A6]);
        if (!e) rc = SIM_E_NOMEM;
        else *e = (acl_imap_entry){{r->raddr6.v[i].lo.hi, r->raddr6.v[i].hi.hi}, rank};
      }
    } else {
      uint32_t *e = acl__push(&g[W]);
      if (!e) rc = SIM_E_NOMEM;
      else *e = rank;
    }
  }
  if (!rc) rc = acl_phash_build(&k->lsingle, g[LS].v, g[LS].n);
  if (!rc) rc = acl_imap_build(&k->lrange, g[LR].v, g[LR].n);
  if (!rc) rc = acl_phash_build(&k->rsingle, g[RS].v, g[RS].n);
  if (!rc) rc = acl_imap_build(&k->rrange, g[RR].v, g[RR].n);
  if (!rc) rc = acl_imap_build(&k->raddr[0], g[A4].v, g[A4].n);
  if (!rc) rc = acl_imap_build(&k->raddr[1], g[A6].v, g[A6].n);
  for (int i = 0; i < W; i++) free(g[i].v);
  k->wild = g[W].v;
  k->nwild = (uint32_t)g[W].n;
  return rc;
}

static int acl__table_build(const sim_acl_set *s, unsigned type, unsigned dir, acl__table *t) {
  memset(t, 0, sizeof *t);
  for (size_t i = 0; i < s->n; i++) t->n += s->rules[i].type == type && s->rules[i].dir == dir;
  uint64_t *order = malloc((t->n ? t->n : 1) * sizeof *order);
  if (!order || !(t->by_rank = malloc((t->n ? t->n : 1) * sizeof *t->by_rank))) {
    free(order);
    return SIM_E_NOMEM;
  }
  sim_acl_protos named = {{0, 0, 0, 0}};
  uint32_t j = 0;
  for (size_t i = 0; i < s->n; i++) {
    const acl__rule *r = &s->rules[i];
    if (r->type != type || r->dir != dir) continue;
    order[j++] = acl__order(r, i);
    for (int w = 0; w < 4; w++) named.bits[w] |= r->protos.bits[w];
  }
  qsort(order, t->n, sizeof *order, acl__u64_cmp);
  for (uint32_t i = 0; i < t->n; i++) t->by_rank[i] = (uint32_t)order[i];
  free(order);
  if (!(t->ranked = malloc((t->n ? t->n : 1) * sizeof *t->ranked))) return SIM_E_NOMEM;
  for (uint32_t i = 0; i < t->n; i++) t->ranked[i] = s->rules[t->by_rank[i]];
  named.bits[0] |= (uint64_t)1 << SIM_IPPROTO_TCP | (uint64_t)1 << SIM_IPPROTO_UDP;
  unsigned protos[257], np = 0;
  for (unsigned p = 0; p < 256; p++)
    if ((named.bits[p >> 6] >> (p & 63)) & 1) protos[np++] = p;
  protos[np++] = ACL_OTHER;
  if (!(t->buckets = calloc(np, sizeof *t->buckets))) return SIM_E_NOMEM;
  t->nbuckets = np;
  for (unsigned p = 0; p < 256; p++) t->bucket_of[p] = (uint16_t)(np - 1);
  for (unsigned b = 0; b < np; b++) {
    if (protos[b] != ACL_OTHER) t->bucket_of[protos[b]] = (uint16_t)b;
    int rc = acl__bucket_build(t, protos[b], &t->buckets[b]);
    if (rc) return rc;
  }
  return SIM_OK;
}

static void acl__index_free(sim_acl_set *s) {
  for (int ty = 0; ty < ACL_TYPES; ty++)
    for (int d = 0; d < ACL_DIRS; d++) acl__table_free(&s->tables[ty][d]);
  s->built = 0;
}

int sim_acl_set_build(sim_acl_set *s) {
  if (!s) return SIM_E_INVAL;
  acl__index_free(s);
  for (unsigned ty = 0; ty < ACL_TYPES; ty++)
    for (unsigned d = 0; d < ACL_DIRS; d++) {
      int rc = acl__table_build(s, ty, d, &s->tables[ty][d]);
      if (rc) {
        acl__index_free(s);
        return rc;
      }
    }
  s->built = 1;
  return SIM_OK;
}

/* ---- the set ---- */

sim_acl_set *sim_acl_set_new(sim_acl_profile profile) {
  if ((unsigned)profile > SIM_ACL_PROFILE_HYPERV) return NULL;
  sim_acl_set *s = calloc(1, sizeof *s);
  if (s) s->profile = profile;
  return s;
}

void sim_acl_set_free(sim_acl_set *s) {
  if (!s) return;
  acl__index_free(s);
  for (size_t i = 0; i < s->n; i++) acl__rule_free(&s->rules[i]);
  free(s->rules);
  free(s);
}

size_t sim_acl_set_count(const sim_acl_set *s) { return s ? s->n : 0; }

int sim_acl_rule_id(const sim_acl_set *s, int32_t index, char *out, size_t cap) {
  if (!s || !out || cap == 0 || index < 0 || (size_t)index >= s->n) return SIM_E_INVAL;
  const char *id = s->rules[index].id;
  size_t len = strlen(id), n = len < cap - 1 ? len : cap - 1;
  memcpy(out, id, n);
  out[n] = '\0';
  return len > INT32_MAX ? INT32_MAX : (int)len;
}

/* ---- the lookup ---- */

typedef struct acl__query {
  const acl__table *t;
  acl_key laddr, raddr; /* IPv4 in .lo */
  int fam;              /* 0 IPv4, 1 IPv6 */
  uint16_t lport, rport;
  uint32_t best; /* best rank so far; UINT32_MAX: none */
} acl__query;

static int acl__addr_in(const acl__l64 *v4, const acl__list *v6, int fam, acl_key k) {
  return fam ? acl_ival_contains(v6->v, v6->n, k) : acl_iv64_contains(v4->v, v4->n, k.lo);
}

static int acl__matches(const acl__query *q, const acl__rule *r) {
  if (r->lports.n && !acl_iv64_contains(r->lports.v, r->lports.n, q->lport)) return 0;
  if (r->rports.n && !acl_iv64_contains(r->rports.v, r->rports.n, q->rport)) return 0;
  if (!r->raddr_any && !acl__addr_in(&r->raddr4, &r->raddr6, q->fam, q->raddr)) return 0;
  if (!r->laddr_any && !acl__addr_in(&r->laddr4, &r->laddr6, q->fam, q->laddr)) return 0;
  return 1;
}

static void acl__scan(acl__query *q, const uint32_t *ranks, uint32_t n) {
  for (uint32_t i = 0; i < n && ranks[i] < q->best; i++)
    if (acl__matches(q, &q->t->ranked[ranks[i]])) {
      q->best = ranks[i];
      return;
    }
}

/* The profile's decision for a port with no rules of the looked-up type. */
static sim_acl_action acl__profile_default(sim_acl_profile p, sim_acl_dir dir, uint8_t proto) {
  if (p == SIM_ACL_PROFILE_HYPERV || dir == SIM_ACL_OUT) return SIM_ACL_ALLOW;
  if (p == SIM_ACL_PROFILE_PRE_1709) return SIM_ACL_BLOCK;
  int listed = proto == SIM_IPPROTO_TCP || proto == SIM_IPPROTO_UDP || proto == SIM_IPPROTO_ICMP ||
               proto == 2 /* IGMP */ || proto == SIM_IPPROTO_ICMPV6;
  return listed ? SIM_ACL_ALLOW : SIM_ACL_BLOCK;
}

int sim_acl_lookup(const sim_acl_set *s, sim_acl_rule_type type, sim_acl_dir dir, const sim_flow *flow,
                   sim_acl_decision *out) {
  if (!s || !flow || !out || !s->built || (unsigned)type > SIM_ACL_HOST || (unsigned)dir > SIM_ACL_OUT)
    return SIM_E_INVAL;
  int fam = flow->src.family;
  if ((fam != 4 && fam != 6) || flow->dst.family != fam) return SIM_E_INVAL;
  if (!s->typed[type]) {
    *out = (sim_acl_decision){acl__profile_default(s->profile, dir, flow->proto), -1};
    return SIM_OK;
  }
  const acl__table *t = &s->tables[type][dir];
  const sim_ip *local = dir == SIM_ACL_OUT ? &flow->src : &flow->dst;
  const sim_ip *remote = dir == SIM_ACL_OUT ? &flow->dst : &flow->src;
  acl__query q = {t, acl__ip_key(local), acl__ip_key(remote), fam == 6,
                  dir == SIM_ACL_OUT ? flow->sport : flow->dport, dir == SIM_ACL_OUT ? flow->dport : flow->sport,
                  UINT32_MAX};
  const acl__bucket *k = &t->buckets[t->bucket_of[flow->proto]];
  const uint32_t *l;
  uint32_t n;
  /* Each structure is read only if it may hold a rank better than the best
   * so far. */
  if (flow->proto == SIM_IPPROTO_TCP || flow->proto == SIM_IPPROTO_UDP) {
    if (k->lsingle.min_rank < q.best) l = acl_phash_find(&k->lsingle, q.lport, &n), acl__scan(&q, l, n);
    if (k->lrange.min_rank < q.best) l = acl_imap_find(&k->lrange, q.lport, &n), acl__scan(&q, l, n);
    if (k->rsingle.min_rank < q.best) l = acl_phash_find(&k->rsingle, q.rport, &n), acl__scan(&q, l, n);
    if (k->rrange.min_rank < q.best) l = acl_imap_find(&k->rrange, q.rport, &n), acl__scan(&q, l, n);
  }
  if (k->raddr[q.fam].min_rank < q.best)
    l = acl_imap_find(&k->raddr[q.fam], q.fam ? q.raddr.hi : q.raddr.lo, &n), acl__scan(&q, l, n);
  acl__scan(&q, k->wild, k->nwild);
  if (q.best == UINT32_MAX) {
    /* Rules of this type exist, so what none matches is blocked. */
    *out = (sim_acl_decision){SIM_ACL_BLOCK, -1};
  } else {
    uint32_t i = t->by_rank[q.best];
    *out = (sim_acl_decision){(sim_acl_action)s->rules[i].action, (int32_t)i};
  }
  return SIM_OK;
}
