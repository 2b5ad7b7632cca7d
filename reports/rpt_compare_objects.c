/* rpt_compare_objects.c: the objects section of a comparison: each host's
 * HNS state as the snapshots under one label record it (the document
 * hns_check_state writes: Networks, Endpoints and LoadBalancers as HCN v2
 * documents, Namespaces when present), host by host (by name), kind by
 * kind.
 *
 * Matching, in three passes over what is still unmatched:
 *   1. by Name;
 *   2. by address: a network's subnet prefixes (Ipams[*].Subnets[*].
 *      IpAddressPrefix), an endpoint's first IpConfigurations[].IpAddress,
 *      a load balancer's frontend VIPs ("*" when none) and each port
 *      mapping's protocol and external port ("10.96.0.10 tcp/80");
 *   3. by content: the normalised documents are equal (what a namespace,
 *      which has neither, is matched by).
 * A key held by several objects pairs the k-th of A with the k-th of B.
 * Then each object's document is normalised: a GUID becomes the role of
 * the object it names in its own run ("<network cbr0>", by the key it was
 * matched by, so both runs name it alike), a MAC "<mac>"; the members that
 * are per instance are left out at the top level (per_instance below).
 * Matched objects are compared member by member (keys in any case, as HNS
 * clients read them), arrays element by element in order. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_compare_int.h"
#include "rpt_db_int.h"
#include "rpt_rows.h"

/* An object's own ID (its role stands for it), HNS's runtime health and
 * its version counter differ between any two instances of the same object. */
static const char *const per_instance[] = {"ID", "Health", "Version", NULL};

#define N_KINDS 4
static const struct kind {
  const char *member, *name;
} kinds[N_KINDS] = {
    {"Networks", "network"}, {"Endpoints", "endpoint"}, {"LoadBalancers", "loadbalancer"}, {"Namespaces", "namespace"}};

/* ---- the snapshots of one run ---- */

struct host {
  char *name;
  cJSON *doc;
};

struct hosts {
  struct host *v;
  size_t n, cap;
  rpt_db *db;
  int64_t run;
};

static int snapshot(void *arg, const rpt_snapshot *s) {
  struct hosts *h = arg;
  cJSON *doc = cJSON_Parse(s->document);
  if (!doc)
    return rpt__err(h->db, RPT_E_INVAL,
                    "run %" PRId64 ": snapshot %" PRId64 " of host '%s': cJSON could not read it (out of memory, or "
                    "nested too deep)",
                    h->run, s->seq, s->host);
  for (size_t i = 0; i < h->n; i++)
    if (!strcmp(h->v[i].name, s->host)) { /* a later snapshot under the label: the host's last one counts */
      cJSON_Delete(h->v[i].doc);
      h->v[i].doc = doc;
      return 0;
    }
  struct host *grown = rpt__cmp_grow(h->v, &h->cap, h->n, sizeof *grown);
  char *name = grown ? rpt__cmp_dup(s->host) : NULL;
  if (!name) {
    if (grown) h->v = grown;
    cJSON_Delete(doc);
    return RPT_E_NOMEM;
  }
  h->v = grown;
  h->v[h->n++] = (struct host){name, doc};
  return 0;
}

static int by_host_name(const void *x, const void *y) {
  return strcmp(((const struct host *)x)->name, ((const struct host *)y)->name);
}

static void hosts_free(struct hosts *h) {
  for (size_t i = 0; i < h->n; i++) free(h->v[i].name), cJSON_Delete(h->v[i].doc);
  free(h->v);
}

/* ---- one kind of object of one host in one run ---- */

struct obj {
  const cJSON *doc;
  char *name, *addr; /* the keys, NULL when it has none */
  char *label;       /* name, else addr, else its place "[i]" */
  ptrdiff_t partner; /* its match in the other run, -1 if none */
  const char *by;    /* what matched it: "name", "address", "content" */
  cJSON *norm;       /* the normalised document */
  char *content;     /* norm printed, for pass 3; NULL until then */
};

struct objs {
  struct obj *v;
  size_t n;
};

/* The longest address key kept (a longer one is cut: still a key). */
#define ADDR_MAX 512

/* Appends s to the key in buf (of `size`), after `sep` when not the first. */
static void key_add(char *buf, size_t size, const char *sep, const char *s) {
  size_t used = strlen(buf);
  snprintf(buf + used, size - used, "%s%s", used ? sep : "", s);
}

static const char *str_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* The address key of an object of kind k (see the top) into buf; "" if it has none. */
static void addr_of(int k, const cJSON *doc, char buf[ADDR_MAX]) {
  char ports[256] = "";
  const cJSON *e;
  if (k == 0) {
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "Ipams")) {
      const cJSON *sub;
      cJSON_ArrayForEach(sub, cJSON_GetObjectItem(e, "Subnets")) {
        const char *p = str_of(sub, "IpAddressPrefix");
        if (p) key_add(buf, ADDR_MAX, ",", p);
      }
    }
  } else if (k == 1) {
    const char *ip = str_of(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "IpConfigurations"), 0), "IpAddress");
    if (ip) key_add(buf, ADDR_MAX, "", ip);
  } else if (k == 2) {
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "FrontendVIPs")) {
      if (cJSON_IsString(e)) key_add(buf, ADDR_MAX, ",", e->valuestring);
    }
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(doc, "PortMappings")) {
      char one[48];
      const cJSON *p = cJSON_GetObjectItem(e, "Protocol"), *port = cJSON_GetObjectItem(e, "ExternalPort");
      int proto = cJSON_IsNumber(p) ? p->valueint : 0, number = cJSON_IsNumber(port) ? port->valueint : 0;
      if (proto == 6 || proto == 17) snprintf(one, sizeof one, "%s/%d", proto == 6 ? "tcp" : "udp", number);
      else snprintf(one, sizeof one, "%d/%d", proto, number);
      key_add(ports, sizeof ports, ",", one);
    }
    if (ports[0]) {
      if (!buf[0]) key_add(buf, ADDR_MAX, "", "*");
      key_add(buf, ADDR_MAX, " ", ports);
    }
  }
}

/* The objects of kind k in a host's document (NULL: none); RPT_E_NOMEM on failure. */
static int objs_load(struct objs *o, int k, const cJSON *host_doc) {
  const cJSON *list = host_doc ? cJSON_GetObjectItem(host_doc, kinds[k].member) : NULL, *e;
  size_t n = 0;
  cJSON_ArrayForEach(e, list) n += cJSON_IsObject(e);
  o->n = 0;
  if (!(o->v = calloc(n ? n : 1, sizeof *o->v))) return RPT_E_NOMEM;
  size_t place = 0;
  cJSON_ArrayForEach(e, list) {
    if (!cJSON_IsObject(e)) {
      place++;
      continue;
    }
    struct obj *b = &o->v[o->n++];
    char where[32], addr[ADDR_MAX] = "";
    snprintf(where, sizeof where, "[%zu]", place++);
    addr_of(k, e, addr);
    b->doc = e;
    b->partner = -1;
    b->name = rpt__cmp_dup(str_of(e, "Name"));
    b->addr = addr[0] ? rpt__cmp_dup(addr) : NULL;
    b->label = rpt__cmp_dup(b->name ? b->name : b->addr ? b->addr : where);
    if (!b->label || (str_of(e, "Name") && !b->name) || (addr[0] && !b->addr)) return RPT_E_NOMEM;
  }
  return RPT_OK;
}

static void objs_free(struct objs *o) {
  for (size_t i = 0; i < o->n; i++) {
    struct obj *b = &o->v[i];
    free(b->name), free(b->addr), free(b->label), free(b->content), cJSON_Delete(b->norm);
  }
  free(o->v);
}

/* One matching pass: pairs the objects still unmatched by the key `key`
 * gives (NULL: the object has none). */
static int pass(struct objs *a, struct objs *b, const char *by, const char *(*key)(const struct obj *)) {
  size_t na = a->n ? a->n : 1, nb = b->n ? b->n : 1;
  const char **ka = malloc(na * sizeof *ka), **kb = malloc(nb * sizeof *kb);
  ptrdiff_t *ab = malloc(na * sizeof *ab), *ba = malloc(nb * sizeof *ba);
  int status = ka && kb && ab && ba ? RPT_OK : RPT_E_NOMEM;
  for (size_t i = 0; status == RPT_OK && i < a->n; i++) ka[i] = a->v[i].partner < 0 ? key(&a->v[i]) : NULL, ab[i] = -1;
  for (size_t j = 0; status == RPT_OK && j < b->n; j++) kb[j] = b->v[j].partner < 0 ? key(&b->v[j]) : NULL, ba[j] = -1;
  if (status == RPT_OK) status = rpt__cmp_pair(ka, a->n, kb, b->n, ab, ba);
  for (size_t i = 0; status == RPT_OK && i < a->n; i++)
    if (ab[i] >= 0) a->v[i].partner = ab[i], b->v[ab[i]].partner = (ptrdiff_t)i, a->v[i].by = b->v[ab[i]].by = by;
  free(ka), free(kb), free(ab), free(ba);
  return status;
}

static const char *key_name(const struct obj *o) { return o->name; }
static const char *key_addr(const struct obj *o) { return o->addr; }
static const char *key_content(const struct obj *o) { return o->content; }

/* ---- one host ---- */

struct side {
  struct objs k[N_KINDS];
  struct rpt__cmp_roles roles;
};

/* The key an object is known by in both runs: the one it was matched by
 * (A's, which is B's too), else its own name or address; NULL if none. */
static const char *role_key(const struct obj *o) {
  if (o->by && !strcmp(o->by, "address")) return o->addr;
  return o->name ? o->name : o->addr;
}

/* Each object's role by its ID, "<kind key>"; objects with no key have none. */
static int roles_make(struct side *s) {
  for (int k = 0; k < N_KINDS; k++)
    for (size_t i = 0; i < s->k[k].n; i++) {
      const struct obj *o = &s->k[k].v[i];
      const char *key = role_key(o), *id = str_of(o->doc, "ID");
      if (!key || !id) continue;
      char role[600];
      snprintf(role, sizeof role, "<%s %s>", kinds[k].name, key);
      if (rpt__cmp_roles_add(&s->roles, id, role)) return RPT_E_NOMEM;
    }
  rpt__cmp_roles_sort(&s->roles);
  return RPT_OK;
}

/* Every object's normalised document, and for those still unmatched its
 * printed form (pass 3's key). */
static int normalise(struct side *s) {
  for (int k = 0; k < N_KINDS; k++)
    for (size_t i = 0; i < s->k[k].n; i++) {
      struct obj *o = &s->k[k].v[i];
      if (!(o->norm = rpt__cmp_norm_tree(o->doc, &s->roles, per_instance))) return RPT_E_NOMEM;
      if (o->partner < 0 && !(o->content = cJSON_PrintUnformatted(o->norm))) return RPT_E_NOMEM;
    }
  return RPT_OK;
}

/* ---- the differences of two matched objects ---- */

struct differ {
  struct rpt__cmp_object *o;
  int oom;
};

/* parent + ".key" (or "key" at the top), or parent + "[i]" when key is NULL. */
static char *child_path(const char *parent, const char *key, int i) {
  size_t len = strlen(parent) + (key ? strlen(key) + 2 : 24);
  char *p = malloc(len);
  if (!p) return NULL;
  if (key) snprintf(p, len, "%s%s%s", parent, parent[0] ? "." : "", key);
  else snprintf(p, len, "%s[%d]", parent, i);
  return p;
}

static int scalar_equal(const cJSON *a, const cJSON *b) {
  if ((a->type & 0xFF) != (b->type & 0xFF)) return 0;
  if (cJSON_IsNumber(a)) return a->valuedouble == b->valuedouble;
  if (cJSON_IsString(a)) return !strcmp(a->valuestring, b->valuestring);
  return 1; /* true, false, null */
}

static void field(struct differ *d, const char *path, const cJSON *a, const cJSON *b) {
  struct rpt__cmp_object *o = d->o;
  struct rpt__cmp_field *grown = rpt__cmp_grow(o->fields, &o->cap_fields, o->n_fields, sizeof *grown);
  if (!grown) {
    d->oom = 1;
    return;
  }
  o->fields = grown;
  struct rpt__cmp_field *f = &o->fields[o->n_fields];
  f->path = rpt__cmp_dup(path);
  f->a = a ? cJSON_PrintUnformatted(a) : NULL;
  f->b = b ? cJSON_PrintUnformatted(b) : NULL;
  o->n_fields++;
  if (!f->path || (a && !f->a) || (b && !f->b)) d->oom = 1;
}

static void diff(struct differ *d, const char *path, const cJSON *a, const cJSON *b);

static void diff_child(struct differ *d, const char *path, const char *key, int i, const cJSON *a, const cJSON *b) {
  char *p = child_path(path, key, i);
  if (!p) {
    d->oom = 1;
    return;
  }
  diff(d, p, a, b);
  free(p);
}

static void diff(struct differ *d, const char *path, const cJSON *a, const cJSON *b) {
  const cJSON *m;
  if (d->oom) return;
  if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
    cJSON_ArrayForEach(m, a) diff_child(d, path, m->string, 0, m, cJSON_GetObjectItem(b, m->string));
    cJSON_ArrayForEach(m, b) if (!cJSON_GetObjectItem(a, m->string)) diff_child(d, path, m->string, 0, NULL, m);
  } else if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
    int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
    for (int i = 0; i < na || i < nb; i++)
      diff_child(d, path, NULL, i, cJSON_GetArrayItem(a, i), cJSON_GetArrayItem(b, i));
  } else if (!a || !b || !scalar_equal(a, b)) {
    field(d, path, a, b);
  }
}

/* ---- what a host adds to the comparison ---- */

static struct rpt__cmp_object *emit(rpt_compare *c, const char *host, int k, const char *name, const char *by,
                                    int state) {
  struct rpt__cmp_object *grown = rpt__cmp_grow(c->objects, &c->cap_objects, c->n_objects, sizeof *grown);
  if (!grown) return NULL;
  c->objects = grown;
  struct rpt__cmp_object *o = &c->objects[c->n_objects];
  *o = (struct rpt__cmp_object){rpt__cmp_dup(host), kinds[k].name, rpt__cmp_dup(name), by, state, NULL, 0, 0};
  c->n_objects++; /* counted before the check, so that rpt_compare_free frees what was copied */
  return o->host && o->name ? o : NULL;
}

/* Kind k of one host: A's objects in A's order (matched ones compared),
 * then B's unmatched ones in B's order. */
static int host_kind(rpt_compare *c, const char *host, int k, const struct objs *a, const struct objs *b) {
  rpt_compare_tally *t = &c->tally[RPT_COMPARE_OBJECTS];
  for (size_t i = 0; i < a->n; i++) {
    const struct obj *o = &a->v[i];
    if (o->partner < 0) {
      t->only_a++;
      if (!emit(c, host, k, o->label, NULL, RPT__CMP_ONLY_A)) return RPT_E_NOMEM;
      continue;
    }
    struct rpt__cmp_object scratch = {0};
    struct differ d = {&scratch, 0};
    diff(&d, "", o->norm, b->v[o->partner].norm);
    struct rpt__cmp_object *e = !d.oom && scratch.n_fields ? emit(c, host, k, role_key(o), o->by, RPT__CMP_DIFFER)
                                                             : NULL;
    if (e) e->fields = scratch.fields, e->n_fields = scratch.n_fields, e->cap_fields = scratch.cap_fields;
    else {
      for (size_t f = 0; f < scratch.n_fields; f++)
        free(scratch.fields[f].path), free(scratch.fields[f].a), free(scratch.fields[f].b);
      free(scratch.fields);
      if (d.oom || scratch.n_fields) return RPT_E_NOMEM;
    }
    if (scratch.n_fields) t->differ++;
    else t->same++;
  }
  for (size_t j = 0; j < b->n; j++)
    if (b->v[j].partner < 0) {
      t->only_b++;
      if (!emit(c, host, k, b->v[j].label, NULL, RPT__CMP_ONLY_B)) return RPT_E_NOMEM;
    }
  return RPT_OK;
}

/* One host; doc_a or doc_b is NULL when only the other run has it. */
static int host(rpt_compare *c, const char *name, const cJSON *doc_a, const cJSON *doc_b) {
  struct side s[2] = {{{{0}}, {0}}, {{{0}}, {0}}};
  int status = RPT_OK;
  for (int k = 0; k < N_KINDS && status == RPT_OK; k++)
    if ((status = objs_load(&s[0].k[k], k, doc_a)) == RPT_OK) status = objs_load(&s[1].k[k], k, doc_b);
  for (int k = 0; k < N_KINDS && status == RPT_OK; k++)
    if ((status = pass(&s[0].k[k], &s[1].k[k], "name", key_name)) == RPT_OK)
      status = pass(&s[0].k[k], &s[1].k[k], "address", key_addr);
  for (int i = 0; i < 2 && status == RPT_OK; i++)
    if ((status = roles_make(&s[i])) == RPT_OK) status = normalise(&s[i]);
  for (int k = 0; k < N_KINDS && status == RPT_OK; k++)
    if ((status = pass(&s[0].k[k], &s[1].k[k], "content", key_content)) == RPT_OK)
      status = host_kind(c, name, k, &s[0].k[k], &s[1].k[k]);
  for (int i = 0; i < 2; i++) {
    for (int k = 0; k < N_KINDS; k++) objs_free(&s[i].k[k]);
    rpt__cmp_roles_free(&s[i].roles);
  }
  return status;
}

int rpt__cmp_objects(struct rpt__cmp_ctx *x, const char *label) {
  rpt_compare *c = x->c;
  struct hosts h[2] = {{NULL, 0, 0, x->db[0], x->run[0]}, {NULL, 0, 0, x->db[1], x->run[1]}};
  int status = RPT_OK;
  for (int i = 0; i < 2 && status == RPT_OK; i++) {
    status = rpt_snapshot_foreach(x->db[i], x->run[i], label, snapshot, &h[i]);
    if (status != RPT_OK) status = rpt__cmp_failed(x, i, status);
    else if (h[i].n) qsort(h[i].v, h[i].n, sizeof *h[i].v, by_host_name);
  }
  c->hosts_a = (int64_t)h[0].n, c->hosts_b = (int64_t)h[1].n;
  if (status == RPT_OK && (!h[0].n || !h[1].n)) {
    if (!h[0].n && !h[1].n)
      status = rpt__cmp_note(c, "neither run has a snapshot labelled \"%s\": objects are not compared", label);
    else
      status = rpt__cmp_note(c, "run %s has no snapshot labelled \"%s\": objects are not compared",
                             h[0].n ? "B" : "A", label);
    if (status != RPT_OK) status = rpt__cmp_failed(x, 0, status);
    hosts_free(&h[0]), hosts_free(&h[1]);
    return status;
  }
  for (size_t i = 0, j = 0; status == RPT_OK && (i < h[0].n || j < h[1].n);) {
    int order = i == h[0].n ? 1 : j == h[1].n ? -1 : strcmp(h[0].v[i].name, h[1].v[j].name);
    const char *name = order <= 0 ? h[0].v[i].name : h[1].v[j].name;
    if (order)
      status = rpt__cmp_note(c, "host %s has a snapshot labelled \"%s\" in run %s only", name, label,
                             order < 0 ? "A" : "B");
    if (status == RPT_OK) status = host(c, name, order <= 0 ? h[0].v[i].doc : NULL, order >= 0 ? h[1].v[j].doc : NULL);
    if (order <= 0) i++;
    if (order >= 0) j++;
    if (status != RPT_OK) status = rpt__cmp_failed(x, 0, status);
  }
  hosts_free(&h[0]), hosts_free(&h[1]);
  return status;
}
