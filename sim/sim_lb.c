/* sim_lb.c: the load balancers of one host and the load-balancing stage
 * (sim_lb.h).
 *
 * Load balancers and frontends live in arrays whose freed slots are reused
 * last-freed first, so slot numbers depend only on the order of calls; they
 * are never iterated into a result. Each live frontend is in `by_key` under
 * its (address or "every host address", protocol, ExternalPort); each live
 * LB is in `by_id`. */
#include "sim_lb.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_index.h"
#include "sim_portkey.h"
#include "sim_status.h"

#define NONE UINT32_MAX
/* aux of a tracked connection: backend index << 2 | hairpin << 1 | local. */
#define AUX(idx, hairpin, local) ((uint32_t)(idx) << 2 | (uint32_t)(hairpin) << 1 | (uint32_t)(local))

typedef struct lb {
  char id[SIM_RULE_ID_MAX];
  sim_ip *vips;
  size_t n_vips;
  sim_lb_mapping *maps;
  size_t n_maps;
  sim_lb_backend *bk;
  size_t n_bk;
  int first_local; /* the first local backend, -1 if none */
  uint32_t flags;
  int has_svip;
  sim_ip svip;
  uint16_t port_first, port_count;
  uint32_t cursor; /* next SNAT port offset in the block */
  uint32_t *fes;   /* its frontends */
  size_t n_fes;
  uint32_t next_free;
  int live;
} lb;

typedef struct fe {
  sim_flow key;
  uint32_t lb, map, next_free;
} fe;

struct sim_lb_table {
  sim_lb_profile prof;
  uint64_t seed;
  sim_hostaddrs host;
  lb *lbs;
  size_t n_lbs, cap_lbs, live_lbs;
  size_t live_dsr; /* live DSR load balancers: none, and sim_lb_new_dsr looks nothing up */
  uint32_t lb_free;
  fe *fes;
  size_t n_fes, cap_fes;
  uint32_t fe_free;
  sim_index by_key, by_id;
  char err[224];
};

static int fail(sim_lb_table *t, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(sim_lb_table *t, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->err, sizeof t->err, fmt, ap);
  va_end(ap);
  return rc;
}

int sim_lb_table_create(const sim_lb_profile *profile, uint64_t seed, sim_lb_table **out) {
  if (!profile || !out) return SIM_E_INVAL;
  sim_lb_table *t = calloc(1, sizeof *t);
  if (!t) return SIM_E_NOMEM;
  if (sim_index_init(&t->by_key, 64) < 0) {
    free(t);
    return SIM_E_NOMEM;
  }
  if (sim_index_init(&t->by_id, 16) < 0) {
    sim_index_fini(&t->by_key);
    free(t);
    return SIM_E_NOMEM;
  }
  t->prof = *profile;
  t->seed = seed;
  t->lb_free = t->fe_free = NONE;
  *out = t;
  return SIM_OK;
}

static void free_lb(lb *l) {
  free(l->vips);
  free(l->maps);
  free(l->bk);
  free(l->fes);
  l->vips = NULL;
  l->maps = NULL;
  l->bk = NULL;
  l->fes = NULL;
}

void sim_lb_table_destroy(sim_lb_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n_lbs; i++) free_lb(&t->lbs[i]);
  free(t->lbs);
  free(t->fes);
  sim_index_fini(&t->by_key);
  sim_index_fini(&t->by_id);
  free(t);
}

int sim_lb_set_host_addresses(sim_lb_table *t, const sim_ip *addrs, size_t n) {
  if (!t) return SIM_E_INVAL;
  size_t bad;
  if (sim_hostaddrs_set(&t->host, addrs, n, &bad) < 0)
    return fail(t, SIM_E_INVAL, "host address %zu is invalid, unspecified or repeated (at most %d addresses)", bad,
                SIM_HOSTADDRS_MAX);
  return SIM_OK;
}

static int key_match(const void *ctx, uint32_t value, const void *key) {
  return sim_flow_equal(&((const sim_lb_table *)ctx)->fes[value].key, key);
}

static int id_match(const void *ctx, uint32_t value, const void *key) {
  return strcmp(((const sim_lb_table *)ctx)->lbs[value].id, key) == 0;
}

static int find_lb(const sim_lb_table *t, const char *id, uint32_t *out) {
  return sim_index_find(&t->by_id, sim_index_hash_str(id, t->seed), id_match, t, id, out);
}

static int find_fe(const sim_lb_table *t, const sim_flow *key, uint32_t *out) {
  return sim_index_find(&t->by_key, sim_flow_hash(key, t->seed), key_match, t, key, out);
}

/* Field checks; a message names the field and value. */
static int check_spec(sim_lb_table *t, const sim_lb_spec *s, int family) {
  char a[46];
  if (!s->id || !s->id[0] || strlen(s->id) >= SIM_RULE_ID_MAX)
    return fail(t, SIM_E_INVAL, "id must be 1..%d bytes", SIM_RULE_ID_MAX - 1);
  if (s->flags & ~(uint32_t)(SIM_LB_DSR | SIM_LB_IPV6))
    return fail(t, SIM_E_INVAL, "%s: flags %u has unknown bits", s->id, (unsigned)s->flags);
  if (s->n_mappings == 0 || !s->mappings) return fail(t, SIM_E_INVAL, "%s: mappings is empty", s->id);
  if ((s->n_vips && !s->vips) || (s->n_backends && !s->backends))
    return fail(t, SIM_E_INVAL, "%s: vips or backends is NULL with a count", s->id);
  for (size_t i = 0; i < s->n_mappings; i++) {
    const sim_lb_mapping *m = &s->mappings[i];
    if (m->protocol != SIM_IPPROTO_TCP && m->protocol != SIM_IPPROTO_UDP && m->protocol != 132)
      return fail(t, SIM_E_INVAL, "%s: mappings[%zu].protocol %u is not 6, 17 or 132", s->id, i, m->protocol);
    if (m->internal_port == 0 || m->external_port == 0)
      return fail(t, SIM_E_INVAL, "%s: mappings[%zu] has port 0", s->id, i);
    if (m->distribution > SIM_LB_DIST_SOURCE_IP)
      return fail(t, SIM_E_INVAL, "%s: mappings[%zu].distribution %u is not 0, 1 or 2", s->id, i,
                  (unsigned)m->distribution);
    if (m->flags & ~(uint32_t)15)
      return fail(t, SIM_E_INVAL, "%s: mappings[%zu].flags %u has unknown bits", s->id, i, (unsigned)m->flags);
  }
  for (size_t i = 0; i < s->n_vips; i++) {
    if (!sim_ip_is_valid(&s->vips[i]) || s->vips[i].family != family || sim_ip_is_unspecified(&s->vips[i])) {
      sim_ip_format(&s->vips[i], a);
      return fail(t, SIM_E_INVAL, "%s: vips[%zu] \"%s\" is not a usable IPv%d address", s->id, i, a, family);
    }
  }
  for (size_t i = 0; i < s->n_backends; i++) {
    if (!sim_ip_is_valid(&s->backends[i].ip) || s->backends[i].ip.family != family) {
      sim_ip_format(&s->backends[i].ip, a);
      return fail(t, SIM_E_INVAL, "%s: backends[%zu] \"%s\" is not an IPv%d address", s->id, i, a, family);
    }
  }
  if (s->source_vip &&
      (!sim_ip_is_valid(s->source_vip) || s->source_vip->family != family || sim_ip_is_unspecified(s->source_vip))) {
    sim_ip_format(s->source_vip, a);
    return fail(t, SIM_E_INVAL, "%s: source_vip \"%s\" is not a usable IPv%d address", s->id, a, family);
  }
  if (s->snat_port_count && (s->snat_port_first == 0 || (uint32_t)s->snat_port_first + s->snat_port_count - 1 > 65535))
    return fail(t, SIM_E_INVAL, "%s: snat port block %u+%u is outside 1..65535", s->id, s->snat_port_first,
                s->snat_port_count);
  return SIM_OK;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return SIM_OK;
  size_t c = *cap ? *cap : 8;
  while (c < need) c *= 2;
  void *p = realloc(*arr, c * elem);
  if (!p) return SIM_E_NOMEM;
  *arr = p;
  *cap = c;
  return SIM_OK;
}

static void *dup_array(const void *src, size_t n, size_t elem) {
  void *p = malloc(n ? n * elem : 1);
  if (p && n) memcpy(p, src, n * elem);
  return p;
}

static void drop_frontends(sim_lb_table *t, lb *l) {
  for (size_t i = 0; i < l->n_fes; i++) {
    uint32_t f = l->fes[i];
    sim_index_remove(&t->by_key, sim_flow_hash(&t->fes[f].key, t->seed), f);
    t->fes[f].next_free = t->fe_free;
    t->fe_free = f;
  }
  l->n_fes = 0;
}

static uint32_t take_fe(sim_lb_table *t) {
  if (t->fe_free != NONE) {
    uint32_t f = t->fe_free;
    t->fe_free = t->fes[f].next_free;
    return f;
  }
  return (uint32_t)t->n_fes++;
}

int sim_lb_add(sim_lb_table *t, const sim_lb_spec *s) {
  if (!t) return SIM_E_INVAL;
  if (!s) return fail(t, SIM_E_INVAL, "spec is NULL");
  int family = (s->flags & SIM_LB_IPV6) ? 6 : 4;
  int rc = check_spec(t, s, family);
  if (rc < 0) return rc;
  uint32_t other;
  if (find_lb(t, s->id, &other)) return fail(t, SIM_E_EXISTS, "id \"%s\" already exists", s->id);

  size_t n_keys = (s->n_vips ? s->n_vips : 1) * s->n_mappings;
  if (grow((void **)&t->lbs, &t->cap_lbs, t->n_lbs + 1, sizeof *t->lbs) < 0 ||
      grow((void **)&t->fes, &t->cap_fes, t->n_fes + n_keys, sizeof *t->fes) < 0)
    return fail(t, SIM_E_NOMEM, "out of memory adding %s", s->id);
  lb l;
  memset(&l, 0, sizeof l);
  strcpy(l.id, s->id);
  l.vips = dup_array(s->vips, s->n_vips, sizeof *s->vips);
  l.maps = dup_array(s->mappings, s->n_mappings, sizeof *s->mappings);
  l.bk = dup_array(s->backends, s->n_backends, sizeof *s->backends);
  l.fes = malloc(n_keys * sizeof *l.fes);
  if (!l.vips || !l.maps || !l.bk || !l.fes) {
    free_lb(&l);
    return fail(t, SIM_E_NOMEM, "out of memory adding %s", s->id);
  }
  l.n_vips = s->n_vips;
  l.n_maps = s->n_mappings;
  l.n_bk = s->n_backends;
  l.first_local = -1;
  for (size_t i = 0; i < l.n_bk && l.first_local < 0; i++)
    if (l.bk[i].local) l.first_local = (int)i;
  l.flags = s->flags;
  l.has_svip = s->source_vip != NULL;
  if (l.has_svip) l.svip = *s->source_vip;
  l.port_first = s->snat_port_first;
  l.port_count = s->snat_port_count;
  l.live = 1;

  uint32_t slot = t->lb_free != NONE ? t->lb_free : (uint32_t)t->n_lbs;
  /* Frontends one by one; a key already present (here or in this spec)
   * undoes the ones added. */
  for (size_t v = 0; v < (s->n_vips ? s->n_vips : 1); v++) {
    for (size_t m = 0; m < s->n_mappings; m++) {
      sim_flow key;
      sim_portkey_make(s->n_vips ? &s->vips[v] : NULL, family, s->mappings[m].protocol, s->mappings[m].external_port,
                       &key);
      uint32_t hit;
      if (find_fe(t, &key, &hit)) {
        /* Only this spec's keys can name `slot` while it is being filled. */
        const char *owner = t->fes[hit].lb == slot ? s->id : t->lbs[t->fes[hit].lb].id;
        char a[46];
        sim_ip_format(&key.dst, a);
        fail(t, SIM_E_EXISTS, "%s: frontend %s proto %u port %u is already %s's", s->id,
             s->n_vips ? a : "(every host address)", key.proto, key.dport, owner);
        drop_frontends(t, &l);
        free_lb(&l);
        return SIM_E_EXISTS;
      }
      uint32_t f = take_fe(t);
      t->fes[f].key = key;
      t->fes[f].lb = slot;
      t->fes[f].map = (uint32_t)m;
      if (sim_index_add(&t->by_key, sim_flow_hash(&key, t->seed), f) < 0) {
        t->fes[f].next_free = t->fe_free;
        t->fe_free = f;
        drop_frontends(t, &l);
        free_lb(&l);
        return fail(t, SIM_E_NOMEM, "out of memory adding %s", s->id);
      }
      l.fes[l.n_fes++] = f;
    }
  }
  if (sim_index_add(&t->by_id, sim_index_hash_str(s->id, t->seed), slot) < 0) {
    drop_frontends(t, &l);
    free_lb(&l);
    return fail(t, SIM_E_NOMEM, "out of memory adding %s", s->id);
  }
  if (slot == t->n_lbs) t->n_lbs++;
  else t->lb_free = t->lbs[slot].next_free;
  t->lbs[slot] = l;
  t->live_lbs++;
  t->live_dsr += (l.flags & SIM_LB_DSR) != 0;
  return SIM_OK;
}

int sim_lb_remove(sim_lb_table *t, const char *id) {
  if (!t) return SIM_E_INVAL;
  if (!id) return fail(t, SIM_E_INVAL, "id is NULL");
  uint32_t slot;
  if (!find_lb(t, id, &slot)) return fail(t, SIM_E_NOTFOUND, "no load balancer has id \"%s\"", id);
  lb *l = &t->lbs[slot];
  drop_frontends(t, l);
  sim_index_remove(&t->by_id, sim_index_hash_str(id, t->seed), slot);
  free_lb(l);
  l->live = 0;
  l->next_free = t->lb_free;
  t->lb_free = slot;
  t->live_lbs--;
  t->live_dsr -= (l->flags & SIM_LB_DSR) != 0;
  return SIM_OK;
}

size_t sim_lb_count(const sim_lb_table *t) { return t ? t->live_lbs : 0; }

/* The backend a new connection gets: a hash of the fields the distribution
 * keeps (hcsshim hcn/hcnloadbalancer.go: None per connection,
 * SourceIPProtocol per client address and protocol, SourceIP per client
 * address). */
static size_t choose(const sim_lb_table *t, const sim_flow *f, uint32_t distribution, size_t n) {
  sim_flow k;
  memset(&k, 0, sizeof k);
  switch (distribution) {
  case SIM_LB_DIST_SOURCE_IP_PROTOCOL:
    k.src = f->src;
    k.dst = f->dst;
    k.proto = f->proto;
    break;
  case SIM_LB_DIST_SOURCE_IP: k.src = f->src; break;
  default: k = *f; break;
  }
  return (size_t)(sim_flow_hash(&k, t->seed) % n);
}

static void start(sim_lb_decision *d, const sim_flow *flow) {
  memset(d, 0, sizeof *d);
  d->before = *flow;
  d->after = *flow;
  d->backend = -1;
}

static void refuse(sim_lb_decision *d, int reason) {
  d->verdict = SIM_LB_DROP;
  d->reason = reason;
  d->after = d->before;
  d->backend = -1;
  d->backend_local = 0;
  d->hairpin = 0;
}

static void from_tracked(sim_lb_decision *d, const sim_ct_hit *h) {
  d->verdict = h->dir == SIM_CT_ORIGINAL ? SIM_LB_FORWARD : SIM_LB_REPLY;
  d->after = h->out;
  strcpy(d->rule_id, h->entry.owner);
  d->backend = (int)(h->entry.aux >> 2);
  d->hairpin = (int)((h->entry.aux >> 1) & 1);
  d->backend_local = (int)(h->entry.aux & 1);
  d->dsr = (h->entry.flags & SIM_CT_DSR) != 0;
  d->from_conntrack = 1;
}

/* The frontend a new connection of `flow` reaches (*fe; *nodeport when
 * through "every host address") and whether `origin` may use it and a
 * backend exists: SIM_LB_OK or the refusal's reason, or -1 when no
 * frontend matches. */
static int admit(const sim_lb_table *t, const sim_flow *flow, int origin, uint32_t *fe, int *nodeport) {
  sim_flow key;
  *nodeport = 0;
  sim_portkey_make(&flow->dst, flow->dst.family, flow->proto, flow->dport, &key);
  if (!find_fe(t, &key, fe)) {
    if (!sim_hostaddrs_contains(&t->host, &flow->dst)) return -1;
    sim_portkey_make(NULL, flow->dst.family, flow->proto, flow->dport, &key);
    if (!find_fe(t, &key, fe)) return -1;
    *nodeport = 1;
  }
  const lb *l = &t->lbs[t->fes[*fe].lb];
  const sim_lb_mapping *m = &l->maps[t->fes[*fe].map];
  /* Who may use the frontend. */
  if (origin == SIM_LB_FROM_NETWORK && (m->flags & SIM_LB_PM_ILB)) return SIM_LB_ILB_EXTERNAL;
  if (origin == SIM_LB_FROM_HOST) {
    if (*nodeport && !(t->prof.host_reaches_local_nodeport && (m->flags & SIM_LB_PM_LOCAL_ROUTED_VIP)))
      return SIM_LB_HOST_NO_NODEPORT;
    if (!*nodeport && !t->prof.host_reaches_service_vip) return SIM_LB_HOST_NO_VIP;
  }
  /* Unbalanced, only a local backend serves. */
  if (t->prof.service_vip_balanced ? l->n_bk == 0 : l->first_local < 0) return SIM_LB_NO_BACKEND;
  return SIM_LB_OK;
}

int sim_lb_new_dsr(const sim_lb_table *t, const sim_flow *flow, int origin) {
  uint32_t f;
  int nodeport;
  if (!t || !t->live_dsr || !flow || !sim_flow_is_valid(flow) || origin < SIM_LB_FROM_LOCAL ||
      origin > SIM_LB_FROM_NETWORK || admit(t, flow, origin, &f, &nodeport) != SIM_LB_OK)
    return 0;
  return (t->lbs[t->fes[f].lb].flags & SIM_LB_DSR) != 0;
}

int sim_lb_process(sim_lb_table *t, sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, int origin, sim_time now,
                   sim_lb_decision *out) {
  if (!t) return SIM_E_INVAL;
  if (!out) return fail(t, SIM_E_INVAL, "out is NULL");
  if (!flow || !sim_flow_is_valid(flow)) return fail(t, SIM_E_INVAL, "flow is not a valid flow");
  if (origin < SIM_LB_FROM_LOCAL || origin > SIM_LB_FROM_NETWORK)
    return fail(t, SIM_E_INVAL, "origin %d is not 1, 2 or 3", origin);
  if (ct) {
    sim_ct_hit h;
    int hit = sim_ct_lookup(ct, flow, tcp_flags, now, &h);
    if (hit < 0) return fail(t, hit, "conntrack: %s", sim_ct_errmsg(ct));
    if (hit) { /* nothing can fail from here: fill *out in place */
      start(out, flow);
      from_tracked(out, &h);
      return SIM_OK;
    }
  }
  sim_lb_decision d;
  start(&d, flow);

  uint32_t f;
  int why = admit(t, flow, origin, &f, &d.nodeport);
  if (why < 0) goto done;
  lb *l = &t->lbs[t->fes[f].lb];
  const sim_lb_mapping *m = &l->maps[t->fes[f].map];
  strcpy(d.rule_id, l->id);
  d.dsr = (l->flags & SIM_LB_DSR) != 0;
  if (why != SIM_LB_OK) {
    refuse(&d, why);
    goto done;
  }

  /* Which backend. */
  size_t b = t->prof.service_vip_balanced ? choose(t, flow, m->distribution, l->n_bk) : (size_t)l->first_local;
  const sim_lb_backend *be = &l->bk[b];
  d.backend = (int)b;
  d.backend_local = be->local != 0;
  d.hairpin = sim_ip_equal(&be->ip, &flow->src);

  /* The translation. */
  if (!(m->flags & SIM_LB_PM_PRESERVE_DIP)) d.after.dst = be->ip;
  d.after.dport = m->internal_port;
  if (!d.dsr && l->has_svip) {
    d.after.src = l->svip;
    if (l->port_count) {
      uint16_t p = (uint16_t)(l->port_first + l->cursor);
      if (ct) {
        int got = sim_ct_pick_port(ct, &d.after, l->port_first, l->port_count, &l->cursor, now, &p);
        if (got < 0) return fail(t, got, "conntrack: %s", sim_ct_errmsg(ct));
        if (!got) {
          refuse(&d, SIM_LB_PORTS_EXHAUSTED);
          goto done;
        }
      }
      d.after.sport = p;
    }
  }
  /* A hairpin without DSR and without a source VIP: the backend would see
   * its own address as the source and answer itself inside its stack, yet
   * users find such a hairpin works once DSR is off (AKS#2608's workaround
   * for calico#5522). So the load balancer also gives it the frontend's
   * address as source, which brings the answer back through the vSwitch
   * port to be translated (the address chosen is inferred). */
  if (!d.dsr && d.hairpin && !l->has_svip) d.after.src = flow->dst;
  d.verdict = SIM_LB_FORWARD;
  if (ct) {
    int rc = sim_ct_insert(ct, flow, &d.after, l->id, d.dsr ? SIM_CT_DSR : 0, AUX(b, d.hairpin, d.backend_local),
                           tcp_flags, now);
    if (rc == SIM_E_EXISTS) refuse(&d, SIM_LB_TUPLE_IN_USE);
    else if (rc < 0) return fail(t, rc, "conntrack: %s", sim_ct_errmsg(ct));
  }
done:
  *out = d;
  return SIM_OK;
}

const char *sim_lb_errmsg(const sim_lb_table *t) { return t ? t->err : "no table"; }
