/* sim_net.c: the data plane's world: it owns every model object (through
 * the pools of sim_net_int.h), the name and address indexes, the last
 * error message and the capture hook. The object kinds themselves are in
 * sim_fabric.c, sim_host.c and sim_vswitch.c. Invariant: an object is in
 * the name map exactly while its pool slot is used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_policy_int.h"

void net_pool_init(net_pool *p, size_t item_size) {
  memset(p, 0, sizeof(*p));
  p->size = item_size;
}

void net_pool_fini(net_pool *p) {
  free(p->items);
  free(p->used);
  free(p->free);
  memset(p, 0, sizeof(*p));
}

/* The array pointer is read and written with memcpy, so any T* can be
 * passed without reading it through a void* lvalue. */
int net_array_reserve(void *array_ptr, uint32_t n, uint32_t *cap, size_t size, uint32_t first) {
  if (n < *cap) return SIM_OK;
  uint32_t ncap = *cap ? 2 * *cap : first;
  void *v;
  memcpy(&v, array_ptr, sizeof v);
  void *grown = realloc(v, (size_t)ncap * size);
  if (!grown) return SIM_E_NOMEM;
  memcpy(array_ptr, &grown, sizeof grown);
  *cap = ncap;
  return SIM_OK;
}

int net_pool_take(net_pool *p, uint32_t *out) {
  uint32_t i;
  if (p->nfree) {
    i = p->free[--p->nfree];
  } else {
    if (p->n == p->cap) {
      uint32_t ncap = p->cap ? p->cap * 2 : 16;
      char *items = realloc(p->items, (size_t)ncap * p->size);
      if (!items) return SIM_E_NOMEM;
      p->items = items;
      uint8_t *used = realloc(p->used, ncap);
      if (!used) return SIM_E_NOMEM;
      p->used = used;
      /* Room for every slot on the free list, so put never allocates. */
      uint32_t *fr = realloc(p->free, (size_t)ncap * sizeof(uint32_t));
      if (!fr) return SIM_E_NOMEM;
      p->free = fr;
      p->cap = ncap;
    }
    i = p->n++;
  }
  memset(p->items + (size_t)i * p->size, 0, p->size);
  p->used[i] = 1;
  *out = i;
  return SIM_OK;
}

void net_pool_put(net_pool *p, uint32_t i) {
  p->used[i] = 0;
  p->free[p->nfree++] = i;
}

int net_stages_add(net_stages *t, const char *name, sim_stage_fn fn, void *state) {
  if (t->n == t->cap) {
    uint32_t ncap = t->cap ? t->cap * 2 : 4;
    net_stage *v = realloc(t->v, ncap * sizeof(*v));
    if (!v) return SIM_E_NOMEM;
    t->v = v;
    t->cap = ncap;
  }
  char *copy = net_strdup(name);
  if (!copy) return SIM_E_NOMEM;
  t->v[t->n++] = (net_stage){copy, fn, state};
  return SIM_OK;
}

void net_stages_fini(net_stages *t) {
  for (uint32_t i = 0; i < t->n; i++) free(t->v[i].name);
  free(t->v);
  memset(t, 0, sizeof(*t));
}

int net_fail(sim_net *net, int status, const char *fmt, ...) {
  if (net) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(net->error, sizeof(net->error), fmt, ap);
    va_end(ap);
  }
  return status;
}

int net_ok(sim_net *net) {
  net->error[0] = '\0';
  return SIM_OK;
}

char *net_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

int net_name_ok(sim_net *net, const char *field, const char *name) {
  if (!name) return net_fail(net, SIM_E_INVAL, "%s: NULL", field);
  if (!name[0]) return net_fail(net, SIM_E_INVAL, "%s: empty", field);
  return SIM_OK;
}

int net_find(sim_net *net, uint32_t scope, const char *name, const char *field, const char *what, uint32_t *out) {
  int rc = net_name_ok(net, field, name);
  if (rc) return rc;
  if (!sim_map_get(net->names, scope, name, strlen(name), out))
    return net_fail(net, SIM_E_NOTFOUND, "%s \"%s\": no such %s", field, name, what);
  return SIM_OK;
}

int net_find_host(sim_net *net, const char *name, uint32_t *out) {
  return net_find(net, SCOPE_HOST, name, "host", "host", out);
}

int net_find_on_host(sim_net *net, uint32_t h, uint32_t scope, const char *name, const char *field, const char *what,
                     uint32_t *out) {
  int rc = net_name_ok(net, field, name);
  if (rc) return rc;
  if (!sim_map_get(net->names, scope | h, name, strlen(name), out))
    return net_fail(net, SIM_E_NOTFOUND, "%s \"%s\": no such %s on host \"%s\"", field, name, what,
                    NET_AT(net->hosts, net_host, h)->name);
  return SIM_OK;
}

int net_find_in_host(sim_net *net, const char *host, uint32_t scope, const char *name, const char *field,
                     const char *what, uint32_t *out_host, uint32_t *out) {
  uint32_t h;
  int rc = net_find_host(net, host, &h);
  if (rc) return rc;
  if (out_host) *out_host = h;
  return net_find_on_host(net, h, scope, name, field, what, out);
}

/* The address-map key of an IP is the sim_ip itself: 17 bytes with no
 * padding, its unused bytes zero (sim_addr.h), read in place. */
_Static_assert(sizeof(sim_ip) == 17, "sim_ip has no padding");
int net_addr_put(sim_net *net, uint32_t scope, const sim_ip *ip, uint32_t value) {
  return sim_map_put(net->addrs, scope, ip, sizeof(*ip), value);
}

int net_addr_get(const sim_net *net, uint32_t scope, const sim_ip *ip, uint32_t *out) {
  return sim_map_get(net->addrs, scope, ip, sizeof(*ip), out);
}

void net_addr_del(sim_net *net, uint32_t scope, const sim_ip *ip) { sim_map_del(net->addrs, scope, ip, sizeof(*ip)); }

int net_iface_addr_ok(sim_net *net, const char *field, const sim_prefix *p) {
  char text[50];
  if (!p) return net_fail(net, SIM_E_INVAL, "%s: NULL", field);
  if (p->addr.family != 4 && p->addr.family != 6)
    return net_fail(net, SIM_E_INVAL, "%s: family %u is not 4 or 6", field, (unsigned)p->addr.family);
  sim_prefix_format(p, text);
  if (p->len > (p->addr.family == 4 ? 32 : 128))
    return net_fail(net, SIM_E_INVAL, "%s %s: prefix length out of range", field, text);
  static const uint8_t zero[16];
  if (!memcmp(p->addr.b, zero, 16)) return net_fail(net, SIM_E_INVAL, "%s %s: the unspecified address", field, text);
  return SIM_OK;
}

int sim_net_create(sim_world *world, sim_net **out) {
  if (!out) return SIM_E_INVAL;
  *out = NULL;
  if (!world) return SIM_E_INVAL;
  sim_net *net = calloc(1, sizeof(*net));
  if (!net) return SIM_E_NOMEM;
  net->world = world;
  net_pool_init(&net->segments, sizeof(net_segment));
  net_pool_init(&net->routers, sizeof(net_router));
  net_pool_init(&net->rifs, sizeof(net_rif));
  net_pool_init(&net->rroutes, sizeof(net_rroute));
  net_pool_init(&net->hosts, sizeof(net_host));
  net_pool_init(&net->comps, sizeof(net_comp));
  net_pool_init(&net->ifaces, sizeof(net_iface));
  net_pool_init(&net->vswitches, sizeof(net_vswitch));
  net_pool_init(&net->routes, sizeof(net_route));
  if (sim_map_create(&net->names) || sim_map_create(&net->addrs)) {
    sim_net_destroy(net);
    return SIM_E_NOMEM;
  }
  net->next_serial = 1;
  net->next_probe = 1;
  *out = net;
  return SIM_OK;
}

void sim_net_destroy(sim_net *net) {
  if (!net) return;
  net_policy_free_all(net);
  for (uint32_t i = 0; i < net->segments.n; i++)
    if (net->segments.used[i]) free(NET_AT(net->segments, net_segment, i)->name);
  for (uint32_t i = 0; i < net->routers.n; i++) {
    if (!net->routers.used[i]) continue;
    net_router *r = NET_AT(net->routers, net_router, i);
    free(r->name);
    free(r->rifs);
    sim_lpm_destroy(r->routes);
  }
  for (uint32_t i = 0; i < net->rifs.n; i++)
    if (net->rifs.used[i]) free(NET_AT(net->rifs, net_rif, i)->name);
  for (uint32_t i = 0; i < net->rroutes.n; i++)
    if (net->rroutes.used[i]) free(NET_AT(net->rroutes, net_rroute, i)->id);
  for (uint32_t i = 0; i < net->hosts.n; i++)
    if (net->hosts.used[i]) free(NET_AT(net->hosts, net_host, i)->name);
  for (uint32_t i = 0; i < net->comps.n; i++) {
    if (!net->comps.used[i]) continue;
    net_comp *c = NET_AT(net->comps, net_comp, i);
    free(c->name);
    free(c->listen);
    sim_lpm_destroy(c->routes);
  }
  for (uint32_t i = 0; i < net->ifaces.n; i++) {
    if (!net->ifaces.used[i]) continue;
    net_iface *f = NET_AT(net->ifaces, net_iface, i);
    free(f->name);
    net_stages_fini(&f->stages[0]);
    net_stages_fini(&f->stages[1]);
  }
  for (uint32_t i = 0; i < net->vswitches.n; i++) {
    if (!net->vswitches.used[i]) continue;
    net_vswitch *v = NET_AT(net->vswitches, net_vswitch, i);
    free(v->name);
    net_stages_fini(&v->stages[0]);
    net_stages_fini(&v->stages[1]);
  }
  for (uint32_t i = 0; i < net->routes.n; i++)
    if (net->routes.used[i]) free(NET_AT(net->routes, net_route, i)->id);
  net_pool_fini(&net->segments);
  net_pool_fini(&net->routers);
  net_pool_fini(&net->rifs);
  net_pool_fini(&net->rroutes);
  net_pool_fini(&net->hosts);
  net_pool_fini(&net->comps);
  net_pool_fini(&net->ifaces);
  net_pool_fini(&net->vswitches);
  net_pool_fini(&net->routes);
  sim_map_destroy(net->names);
  sim_map_destroy(net->addrs);
  free(net);
}

const char *sim_net_last_error(const sim_net *net) { return net ? net->error : "net: NULL"; }

void sim_net_set_capture(sim_net *net, sim_capture_fn fn, void *ctx) {
  if (!net) return;
  net->capture = fn;
  net->capture_ctx = fn ? ctx : NULL;
}
