/* sim_nat.c: the NAT rules of one host and the NAT stage (sim_nat.h).
 *
 * Rules live in one array whose freed slots are reused last-freed first.
 * Lookups: `by_id` (ID), `by_ep` (endpoint address -> its first OutBoundNAT
 * policy; the rest follow by `next` in the order added), `by_key` (port
 * mapping key) and `winnat` (longest internal prefix). Nothing is iterated
 * into a result; rebuilding `winnat` after a removal walks the array, and
 * its answers do not depend on order (prefixes are distinct). */
#include "sim_nat.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_index.h"
#include "sim_portkey.h"
#include "sim_prefix_map.h"
#include "sim_status.h"

#define NONE UINT32_MAX

typedef struct rule {
  int kind, live;
  char id[SIM_RULE_ID_MAX];
  /* SNAT (WinNAT, OutBoundNAT) */
  int has_snat;
  sim_ip snat;
  uint16_t port_first;
  uint32_t port_count, cursor;
  sim_prefix internal; /* WinNAT */
  /* OutBoundNAT */
  sim_ip endpoint;
  sim_prefix_map exc, dsts;
  uint32_t next;
  /* PortMapping */
  sim_flow key;
  sim_ip target;
  uint16_t internal_port;
  uint32_t flags;
  int vfp;
  uint32_t next_free;
} rule;

struct sim_nat {
  uint64_t seed;
  sim_hostaddrs host;
  rule *r;
  size_t n, cap, live;
  uint32_t free, free_after; /* free_after: the free list once take_slot's slot is used */
  sim_index by_id, by_ep, by_key;
  sim_prefix_map winnat;
  char err[224];
};

static int fail(sim_nat *nat, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(sim_nat *nat, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(nat->err, sizeof nat->err, fmt, ap);
  va_end(ap);
  return rc;
}

int sim_nat_create(uint64_t seed, sim_nat **out) {
  if (!out) return SIM_E_INVAL;
  sim_nat *nat = calloc(1, sizeof *nat);
  if (!nat) return SIM_E_NOMEM;
  int ok = sim_index_init(&nat->by_id, 16) == 0;
  ok = (sim_index_init(&nat->by_ep, 16) == 0) && ok;
  ok = (sim_index_init(&nat->by_key, 16) == 0) && ok;
  ok = (sim_prefix_map_init(&nat->winnat) == 0) && ok;
  if (!ok) {
    sim_nat_destroy(nat);
    return SIM_E_NOMEM;
  }
  nat->seed = seed;
  nat->free = NONE;
  *out = nat;
  return SIM_OK;
}

static void free_rule(rule *r) {
  if (r->kind == SIM_NAT_OUTBOUNDNAT) {
    sim_prefix_map_fini(&r->exc);
    sim_prefix_map_fini(&r->dsts);
  }
}

void sim_nat_destroy(sim_nat *nat) {
  if (!nat) return;
  for (size_t i = 0; i < nat->n; i++)
    if (nat->r[i].live) free_rule(&nat->r[i]);
  free(nat->r);
  sim_index_fini(&nat->by_id);
  sim_index_fini(&nat->by_ep);
  sim_index_fini(&nat->by_key);
  sim_prefix_map_fini(&nat->winnat);
  free(nat);
}

int sim_nat_set_host_addresses(sim_nat *nat, const sim_ip *addrs, size_t n) {
  if (!nat) return SIM_E_INVAL;
  size_t bad;
  if (sim_hostaddrs_set(&nat->host, addrs, n, &bad) < 0)
    return fail(nat, SIM_E_INVAL, "host address %zu is invalid, unspecified or repeated (at most %d addresses)", bad,
                SIM_HOSTADDRS_MAX);
  return SIM_OK;
}

static int id_match(const void *ctx, uint32_t v, const void *key) {
  return strcmp(((const sim_nat *)ctx)->r[v].id, key) == 0;
}
static int ep_match(const void *ctx, uint32_t v, const void *key) {
  return sim_ip_equal(&((const sim_nat *)ctx)->r[v].endpoint, key);
}
static int key_match(const void *ctx, uint32_t v, const void *key) {
  return sim_flow_equal(&((const sim_nat *)ctx)->r[v].key, key);
}

static uint64_t ep_hash(const sim_nat *nat, const sim_ip *ip) {
  sim_flow k;
  sim_portkey_make(ip, ip->family, 0, 0, &k);
  return sim_flow_hash(&k, nat->seed);
}

static int find_id(const sim_nat *nat, const char *id, uint32_t *out) {
  return sim_index_find(&nat->by_id, sim_index_hash_str(id, nat->seed), id_match, nat, id, out);
}

/* A free slot, its fields zeroed; SIM_E_NOMEM. */
static int take_slot(sim_nat *nat, uint32_t *out) {
  if (nat->free == NONE && nat->n == nat->cap) {
    size_t cap = nat->cap ? 2 * nat->cap : 8;
    rule *p = realloc(nat->r, cap * sizeof *p);
    if (!p) return SIM_E_NOMEM;
    nat->r = p;
    nat->cap = cap;
  }
  uint32_t i = nat->free != NONE ? nat->free : (uint32_t)nat->n;
  nat->free_after = nat->free != NONE ? nat->r[i].next_free : NONE;
  *out = i;
  return SIM_OK;
}

/* Makes slot i (filled by the caller) live under its ID. */
static int commit(sim_nat *nat, uint32_t i) {
  int rc = sim_index_add(&nat->by_id, sim_index_hash_str(nat->r[i].id, nat->seed), i);
  if (rc < 0) return rc;
  if (i == nat->n) nat->n++;
  else nat->free = nat->free_after;
  nat->r[i].live = 1;
  nat->live++;
  return SIM_OK;
}

static int check_id(sim_nat *nat, const char *id) {
  if (!id || !id[0] || strlen(id) >= SIM_RULE_ID_MAX)
    return fail(nat, SIM_E_INVAL, "id must be 1..%d bytes", SIM_RULE_ID_MAX - 1);
  uint32_t other;
  if (find_id(nat, id, &other)) return fail(nat, SIM_E_EXISTS, "id \"%s\" already exists", id);
  return SIM_OK;
}

static int check_range(sim_nat *nat, const char *id, uint16_t first, uint16_t last) {
  if (first == 0 || last < first)
    return fail(nat, SIM_E_INVAL, "%s: port range %u-%u is empty or starts at 0", id, first, last);
  return SIM_OK;
}

static int check_addr(sim_nat *nat, const char *id, const char *field, const sim_ip *ip, int family) {
  if (sim_ip_is_valid(ip) && ip->family == family && !sim_ip_is_unspecified(ip)) return SIM_OK;
  char a[46];
  sim_ip_format(ip, a);
  return fail(nat, SIM_E_INVAL, "%s: %s \"%s\" is not a usable IPv%d address", id, field, a, family);
}

static int rebuild_winnat(sim_nat *nat);
static void unchain_outbound(sim_nat *nat, uint32_t i);

static void set_snat(rule *r, const sim_ip *addr, uint16_t first, uint16_t last) {
  r->has_snat = addr != NULL;
  if (addr) r->snat = *addr;
  r->port_first = first;
  r->port_count = (uint32_t)last - first + 1;
  r->cursor = 0;
}

int sim_nat_add_winnat(sim_nat *nat, const sim_winnat_spec *s) {
  if (!nat) return SIM_E_INVAL;
  if (!s) return fail(nat, SIM_E_INVAL, "spec is NULL");
  int rc = check_id(nat, s->id);
  if (rc < 0) return rc;
  int family = s->internal.addr.family;
  if (!sim_ip_is_valid(&s->internal.addr) || s->internal.len > (family == 4 ? 32 : 128))
    return fail(nat, SIM_E_INVAL, "%s: internal is not a valid prefix", s->id);
  if (s->external && (rc = check_addr(nat, s->id, "external", s->external, family)) < 0) return rc;
  if ((rc = check_range(nat, s->id, s->port_first, s->port_last)) < 0) return rc;
  uint32_t i;
  if (take_slot(nat, &i) < 0) return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  rc = sim_prefix_map_add(&nat->winnat, &s->internal, i);
  if (rc < 0) {
    char p[50];
    sim_prefix_format(&s->internal, p);
    return fail(nat, rc, "%s: internal prefix %s %s", s->id, p,
                rc == SIM_E_EXISTS ? "is already another NAT network's" : "cannot be added");
  }
  rule *r = &nat->r[i];
  memset(r, 0, sizeof *r);
  r->kind = SIM_NAT_WINNAT;
  strcpy(r->id, s->id);
  sim_prefix_network(&s->internal, &r->internal.addr);
  r->internal.len = s->internal.len;
  set_snat(r, s->external, s->port_first, s->port_last);
  if (commit(nat, i) < 0) {
    rebuild_winnat(nat); /* drops slot i, which is not live */
    return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  }
  return SIM_OK;
}

static int fill_prefixes(sim_nat *nat, const char *id, const char *field, sim_prefix_map *m, const sim_prefix *p,
                         size_t n, int family) {
  if (n && !p) return fail(nat, SIM_E_INVAL, "%s: %s is NULL with a count", id, field);
  for (size_t i = 0; i < n; i++) {
    if (p[i].addr.family != family)
      return fail(nat, SIM_E_INVAL, "%s: %s[%zu] is not an IPv%d prefix", id, field, i, family);
    int rc = sim_prefix_map_add(m, &p[i], (uint32_t)i);
    /* A repeated prefix says nothing new; keep the first. */
    if (rc < 0 && rc != SIM_E_EXISTS) return fail(nat, rc, "%s: %s[%zu] is not a valid prefix", id, field, i);
  }
  return SIM_OK;
}

int sim_nat_add_outbound(sim_nat *nat, const sim_outbound_spec *s) {
  if (!nat) return SIM_E_INVAL;
  if (!s) return fail(nat, SIM_E_INVAL, "spec is NULL");
  int rc = check_id(nat, s->id);
  if (rc < 0) return rc;
  int family = s->endpoint.family;
  if ((rc = check_addr(nat, s->id, "endpoint", &s->endpoint, family == 6 ? 6 : 4)) < 0) return rc;
  if (s->virtual_ip && (rc = check_addr(nat, s->id, "virtual_ip", s->virtual_ip, family)) < 0) return rc;
  if ((rc = check_range(nat, s->id, s->port_first, s->port_last)) < 0) return rc;
  uint32_t i;
  if (take_slot(nat, &i) < 0) return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  rule nr;
  memset(&nr, 0, sizeof nr);
  if (sim_prefix_map_init(&nr.exc) < 0 || sim_prefix_map_init(&nr.dsts) < 0) {
    sim_prefix_map_fini(&nr.exc);
    return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  }
  nr.kind = SIM_NAT_OUTBOUNDNAT;
  if ((rc = fill_prefixes(nat, s->id, "exceptions", &nr.exc, s->exceptions, s->n_exceptions, family)) < 0 ||
      (rc = fill_prefixes(nat, s->id, "destinations", &nr.dsts, s->destinations, s->n_destinations, family)) < 0) {
    free_rule(&nr);
    return rc;
  }
  strcpy(nr.id, s->id);
  nr.endpoint = s->endpoint;
  nr.next = NONE;
  set_snat(&nr, s->virtual_ip, s->port_first, s->port_last);
  nat->r[i] = nr;
  /* Append to the endpoint's chain, or start it. */
  uint32_t head;
  uint64_t h = ep_hash(nat, &s->endpoint);
  if (sim_index_find(&nat->by_ep, h, ep_match, nat, &s->endpoint, &head)) {
    while (nat->r[head].next != NONE) head = nat->r[head].next;
    nat->r[head].next = i;
  } else if (sim_index_add(&nat->by_ep, h, i) < 0) {
    free_rule(&nat->r[i]);
    return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  }
  if (commit(nat, i) < 0) {
    unchain_outbound(nat, i);
    free_rule(&nat->r[i]);
    return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  }
  return SIM_OK;
}

int sim_nat_add_portmap(sim_nat *nat, const sim_portmap_spec *s) {
  if (!nat) return SIM_E_INVAL;
  if (!s) return fail(nat, SIM_E_INVAL, "spec is NULL");
  int rc = check_id(nat, s->id);
  if (rc < 0) return rc;
  int family = (s->flags & SIM_NAT_PM_IPV6) ? 6 : 4;
  if (s->flags & ~(uint32_t)(SIM_NAT_PM_LOCAL_ROUTED_VIP | SIM_NAT_PM_IPV6))
    return fail(nat, SIM_E_INVAL, "%s: flags %u has unknown bits", s->id, (unsigned)s->flags);
  if ((rc = check_addr(nat, s->id, "endpoint", &s->endpoint, family)) < 0) return rc;
  if (s->vip && (rc = check_addr(nat, s->id, "vip", s->vip, family)) < 0) return rc;
  if (s->protocol != SIM_IPPROTO_TCP && s->protocol != SIM_IPPROTO_UDP)
    return fail(nat, SIM_E_INVAL, "%s: protocol %u is not 6 or 17", s->id, s->protocol);
  if (s->internal_port == 0 || s->external_port == 0) return fail(nat, SIM_E_INVAL, "%s: a port is 0", s->id);
  sim_flow key;
  sim_portkey_make(s->vip, family, s->protocol, s->external_port, &key);
  uint32_t other;
  uint64_t h = sim_flow_hash(&key, nat->seed);
  if (sim_index_find(&nat->by_key, h, key_match, nat, &key, &other)) {
    char a[46] = "(every host address)";
    if (s->vip) sim_ip_format(s->vip, a);
    return fail(nat, SIM_E_EXISTS, "%s: %s proto %u port %u is already %s's", s->id, a, s->protocol,
                s->external_port, nat->r[other].id);
  }
  uint32_t i;
  if (take_slot(nat, &i) < 0) return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  rule *r = &nat->r[i];
  memset(r, 0, sizeof *r);
  r->kind = SIM_NAT_PORTMAP;
  strcpy(r->id, s->id);
  r->key = key;
  r->target = s->endpoint;
  r->internal_port = s->internal_port;
  r->flags = s->flags;
  r->vfp = s->vfp != 0;
  if (sim_index_add(&nat->by_key, h, i) < 0) return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  if (commit(nat, i) < 0) {
    sim_index_remove(&nat->by_key, h, i);
    return fail(nat, SIM_E_NOMEM, "out of memory adding %s", s->id);
  }
  return SIM_OK;
}

static void unchain_outbound(sim_nat *nat, uint32_t i) {
  uint64_t h = ep_hash(nat, &nat->r[i].endpoint);
  uint32_t head;
  if (!sim_index_find(&nat->by_ep, h, ep_match, nat, &nat->r[i].endpoint, &head)) return; /* every outbound rule is chained: keeps head defined */
  if (head == i) {
    sim_index_remove(&nat->by_ep, h, i);
    /* The index holds one fewer entry than before the remove, so no growth. */
    if (nat->r[i].next != NONE) sim_index_add(&nat->by_ep, h, nat->r[i].next);
    return;
  }
  while (nat->r[head].next != i) head = nat->r[head].next;
  nat->r[head].next = nat->r[i].next;
}

static int rebuild_winnat(sim_nat *nat) {
  sim_prefix_map m;
  if (sim_prefix_map_init(&m) < 0) return SIM_E_NOMEM;
  for (size_t j = 0; j < nat->n; j++) {
    if (nat->r[j].live && nat->r[j].kind == SIM_NAT_WINNAT && sim_prefix_map_add(&m, &nat->r[j].internal, (uint32_t)j) < 0) {
      sim_prefix_map_fini(&m);
      return SIM_E_NOMEM;
    }
  }
  sim_prefix_map_fini(&nat->winnat);
  nat->winnat = m;
  return SIM_OK;
}

int sim_nat_remove(sim_nat *nat, const char *id) {
  if (!nat) return SIM_E_INVAL;
  if (!id) return fail(nat, SIM_E_INVAL, "id is NULL");
  uint32_t i;
  if (!find_id(nat, id, &i)) return fail(nat, SIM_E_NOTFOUND, "no NAT rule has id \"%s\"", id);
  rule *r = &nat->r[i];
  if (r->kind == SIM_NAT_WINNAT) {
    r->live = 0; /* out of the rebuilt map */
    if (rebuild_winnat(nat) < 0) {
      r->live = 1;
      return fail(nat, SIM_E_NOMEM, "out of memory removing %s", id);
    }
  } else if (r->kind == SIM_NAT_OUTBOUNDNAT) {
    unchain_outbound(nat, i);
  } else {
    sim_index_remove(&nat->by_key, sim_flow_hash(&r->key, nat->seed), i);
  }
  sim_index_remove(&nat->by_id, sim_index_hash_str(id, nat->seed), i);
  free_rule(r);
  r->live = 0;
  r->next_free = nat->free;
  nat->free = i;
  nat->live--;
  return SIM_OK;
}

size_t sim_nat_count(const sim_nat *nat) { return nat ? nat->live : 0; }

const char *sim_nat_errmsg(const sim_nat *nat) { return nat ? nat->err : "no table"; }

/* -- the stage ---------------------------------------------------------- */

static void decide(sim_nat_decision *d, const rule *r, int verdict, int reason) {
  d->verdict = verdict;
  d->reason = reason;
  d->kind = r->kind;
  strcpy(d->rule_id, r->id);
}

static int has_ports(uint8_t proto) {
  return proto == SIM_IPPROTO_TCP || proto == SIM_IPPROTO_UDP || proto == SIM_IPPROTO_ICMP ||
         proto == SIM_IPPROTO_ICMPV6;
}

/* Records the translation flow -> x for rule r, so replies are reversed,
 * and decides TRANSLATE; a translated tuple already in use drops. */
static int track(sim_nat *nat, sim_ct *ct, const rule *r, const sim_flow *flow, const sim_flow *x, uint8_t tcp_flags,
                 sim_time now, sim_nat_decision *d) {
  int rc = sim_ct_insert(ct, flow, x, r->id, 0, (uint32_t)r->kind, tcp_flags, now);
  if (rc == SIM_E_EXISTS) {
    decide(d, r, SIM_NAT_DROP, SIM_NAT_TUPLE_IN_USE);
    return SIM_OK;
  }
  if (rc < 0) return fail(nat, rc, "conntrack: %s", sim_ct_errmsg(ct));
  decide(d, r, SIM_NAT_TRANSLATE, SIM_NAT_OK);
  d->after = *x;
  return SIM_OK;
}

/* Source NAT of a new connection by rule r. */
static int snat(sim_nat *nat, sim_ct *ct, rule *r, const sim_flow *flow, uint8_t tcp_flags, sim_time now,
                sim_nat_decision *d) {
  const sim_ip *addr = r->has_snat ? &r->snat : sim_hostaddrs_first(&nat->host, flow->src.family);
  if (!addr || addr->family != flow->src.family) {
    decide(d, r, SIM_NAT_DROP, SIM_NAT_NO_HOST_ADDRESS);
    return SIM_OK;
  }
  sim_flow x = *flow;
  x.src = *addr;
  if (has_ports(flow->proto)) {
    int got = sim_ct_pick_port(ct, &x, r->port_first, r->port_count, &r->cursor, now, &x.sport);
    if (got < 0) return fail(nat, got, "conntrack: %s", sim_ct_errmsg(ct));
    if (!got) {
      decide(d, r, SIM_NAT_DROP, SIM_NAT_PORTS_EXHAUSTED);
      return SIM_OK;
    }
  }
  return track(nat, ct, r, flow, &x, tcp_flags, now, d);
}

/* Why OutBoundNAT policy r leaves the packet alone, or SIM_NAT_OK. */
static int outbound_skip(const rule *r, const sim_flow *flow) {
  if (sim_prefix_map_lookup(&r->exc, &flow->dst, NULL)) return SIM_NAT_EXCEPTED;
  if (sim_prefix_map_count(&r->dsts) && !sim_prefix_map_lookup(&r->dsts, &flow->dst, NULL))
    return SIM_NAT_NOT_IN_DESTINATIONS;
  if (flow->proto == SIM_IPPROTO_ICMP || flow->proto == SIM_IPPROTO_ICMPV6) return SIM_NAT_ICMP_NOT_TRANSLATED;
  return SIM_NAT_OK;
}

static int outbound(sim_nat *nat, sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, sim_time now,
                    sim_nat_decision *d) {
  uint32_t w;
  if (sim_prefix_map_lookup(&nat->winnat, &flow->src, &w)) {
    rule *r = &nat->r[w];
    if (sim_prefix_contains(&r->internal, &flow->dst)) {
      decide(d, r, SIM_NAT_PASS, SIM_NAT_INSIDE_PREFIX);
      return SIM_OK;
    }
    return snat(nat, ct, r, flow, tcp_flags, now, d);
  }
  uint32_t i;
  if (!sim_index_find(&nat->by_ep, ep_hash(nat, &flow->src), ep_match, nat, &flow->src, &i)) return SIM_OK;
  int first_reason = SIM_NAT_OK;
  uint32_t first = i;
  for (; i != NONE; i = nat->r[i].next) {
    int why = outbound_skip(&nat->r[i], flow);
    if (why == SIM_NAT_OK) return snat(nat, ct, &nat->r[i], flow, tcp_flags, now, d);
    if (first_reason == SIM_NAT_OK) first_reason = why;
  }
  decide(d, &nat->r[first], SIM_NAT_PASS, first_reason);
  return SIM_OK;
}

static int inbound(sim_nat *nat, sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, sim_time now,
                   sim_nat_decision *d) {
  sim_flow key;
  uint32_t i;
  sim_portkey_make(&flow->dst, flow->dst.family, flow->proto, flow->dport, &key);
  if (!sim_index_find(&nat->by_key, sim_flow_hash(&key, nat->seed), key_match, nat, &key, &i)) {
    if (!sim_hostaddrs_contains(&nat->host, &flow->dst)) return SIM_OK;
    sim_portkey_make(NULL, flow->dst.family, flow->proto, flow->dport, &key);
    if (!sim_index_find(&nat->by_key, sim_flow_hash(&key, nat->seed), key_match, nat, &key, &i)) return SIM_OK;
  }
  rule *r = &nat->r[i];
  if (r->vfp && !(r->flags & SIM_NAT_PM_LOCAL_ROUTED_VIP)) {
    decide(d, r, SIM_NAT_PASS, SIM_NAT_PORTMAP_NOT_APPLIED);
    return SIM_OK;
  }
  sim_flow x = *flow;
  x.dst = r->target;
  x.dport = r->internal_port;
  return track(nat, ct, r, flow, &x, tcp_flags, now, d);
}

int sim_nat_process(sim_nat *nat, sim_ct *ct, const sim_flow *flow, uint8_t tcp_flags, int dir, sim_time now,
                    sim_nat_decision *out) {
  if (!nat) return SIM_E_INVAL;
  if (!ct || !out) return fail(nat, SIM_E_INVAL, "ct or out is NULL");
  if (!flow || !sim_flow_is_valid(flow)) return fail(nat, SIM_E_INVAL, "flow is not a valid flow");
  int tracked_only = dir & SIM_NAT_TRACKED_ONLY;
  dir &= ~SIM_NAT_TRACKED_ONLY;
  if (dir != SIM_NAT_OUTBOUND && dir != SIM_NAT_INBOUND)
    return fail(nat, SIM_E_INVAL, "dir %d is not 1 or 2 (with or without SIM_NAT_TRACKED_ONLY)", dir);
  sim_nat_decision d;
  memset(&d, 0, sizeof d);
  d.before = d.after = *flow;
  d.reason = SIM_NAT_NO_RULE;
  sim_ct_hit h;
  int hit = sim_ct_lookup(ct, flow, tcp_flags, now, &h);
  if (hit < 0) return fail(nat, hit, "conntrack: %s", sim_ct_errmsg(ct));
  int rc = SIM_OK;
  if (hit) {
    d.verdict = h.dir == SIM_CT_ORIGINAL ? SIM_NAT_TRANSLATE : SIM_NAT_REPLY;
    d.reason = SIM_NAT_OK;
    d.after = h.out;
    strcpy(d.rule_id, h.entry.owner);
    d.kind = (int)h.entry.aux;
    d.from_conntrack = 1;
  } else if (tracked_only) {
    d.reason = SIM_NAT_UNTRACKED_REPLY;
  } else if (dir == SIM_NAT_OUTBOUND) {
    rc = outbound(nat, ct, flow, tcp_flags, now, &d);
  } else {
    rc = inbound(nat, ct, flow, tcp_flags, now, &d);
  }
  if (rc < 0) return rc;
  *out = d;
  return SIM_OK;
}
