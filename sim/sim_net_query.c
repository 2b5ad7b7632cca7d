/* sim_net_query.c: the read-only questions of sim_net_query.h. It reads the
 * model's storage (sim_net_int.h) and changes nothing but the last error.
 * Listing hosts or a host's interfaces scans a pool once: it serves
 * network creation and the command line, never a packet's walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_net_int.h"
#include "sim_net_query.h"

static sim_iface_kind kind_of(net_if_kind k) {
  switch (k) {
  case IF_NIC: return SIM_IFACE_NIC;
  case IF_PORT: return SIM_IFACE_ENDPOINT;
  case IF_VNIC: return SIM_IFACE_HOST_VNIC;
  case IF_BRIDGE: return SIM_IFACE_BRIDGE;
  }
  return SIM_IFACE_NIC;
}

static void fill(const sim_net *net, uint32_t i, sim_iface_info *out) {
  const net_iface *f = NET_AT(net->ifaces, net_iface, i);
  memset(out, 0, sizeof(*out));
  snprintf(out->name, sizeof(out->name), "%s", f->name);
  out->kind = kind_of(f->kind);
  if (f->comp != NET_NONE) snprintf(out->compartment, sizeof(out->compartment), "%s", NET_AT(net->comps, net_comp, f->comp)->name);
  if (f->vswitch != NET_NONE)
    snprintf(out->network, sizeof(out->network), "%s", NET_AT(net->vswitches, net_vswitch, f->vswitch)->name);
  if (f->kind == IF_NIC && f->segment != NET_NONE)
    snprintf(out->segment, sizeof(out->segment), "%s", NET_AT(net->segments, net_segment, f->segment)->name);
  out->addr[0] = f->addr[0];
  out->addr[1] = f->addr[1];
  out->mac = f->mac;
}

int sim_net_iface_info(sim_net *net, const char *host, const char *iface, sim_iface_info *out) {
  if (!net) return SIM_E_INVAL;
  if (!out) return net_fail(net, SIM_E_INVAL, "out: NULL");
  uint32_t i;
  int rc = net_find_in_host(net, host, SCOPE_IFACE, iface, "iface", "interface", NULL, &i);
  if (rc) return rc;
  fill(net, i, out);
  return net_ok(net);
}

typedef struct name_ref {
  const char *name;
  uint32_t i;
} name_ref;

static int by_name(const void *a, const void *b) { return strcmp(((const name_ref *)a)->name, ((const name_ref *)b)->name); }

/* The host's interfaces of `kind` (-1: every kind) in name order. */
static int list_ifaces(sim_net *net, const char *host, int kind, sim_iface_info *out, size_t cap, size_t *count) {
  if (!net) return SIM_E_INVAL;
  if (!count || (cap && !out)) return net_fail(net, SIM_E_INVAL, "out or count: NULL");
  uint32_t h;
  int rc = net_find_host(net, host, &h);
  if (rc) return rc;
  size_t n = 0;
  name_ref *refs = malloc(((size_t)net->ifaces.n + 1) * sizeof(*refs));
  if (!refs) return net_fail(net, SIM_E_NOMEM, "host \"%s\": out of memory listing interfaces", host);
  for (uint32_t i = 0; i < net->ifaces.n; i++) {
    const net_iface *f = NET_AT(net->ifaces, net_iface, i);
    if (net->ifaces.used[i] && f->host == h && (kind < 0 || f->kind == (net_if_kind)kind)) refs[n++] = (name_ref){f->name, i};
  }
  qsort(refs, n, sizeof(*refs), by_name);
  for (size_t k = 0; k < n && k < cap; k++) fill(net, refs[k].i, &out[k]);
  free(refs);
  *count = n;
  return net_ok(net);
}

int sim_net_host_nics(sim_net *net, const char *host, sim_iface_info *out, size_t cap, size_t *count) {
  return list_ifaces(net, host, IF_NIC, out, cap, count);
}

int sim_net_host_ifaces(sim_net *net, const char *host, sim_iface_info *out, size_t cap, size_t *count) {
  return list_ifaces(net, host, -1, out, cap, count);
}

int sim_net_hosts(sim_net *net, sim_host_info *out, size_t cap, size_t *count) {
  if (!net) return SIM_E_INVAL;
  if (!count || (cap && !out)) return net_fail(net, SIM_E_INVAL, "out or count: NULL");
  size_t n = 0;
  name_ref *refs = malloc(((size_t)net->hosts.n + 1) * sizeof(*refs));
  if (!refs) return net_fail(net, SIM_E_NOMEM, "hosts: out of memory listing them");
  for (uint32_t i = 0; i < net->hosts.n; i++)
    if (net->hosts.used[i]) refs[n++] = (name_ref){NET_AT(net->hosts, net_host, i)->name, i};
  qsort(refs, n, sizeof(*refs), by_name);
  for (size_t k = 0; k < n && k < cap; k++) {
    const net_host *h = NET_AT(net->hosts, net_host, refs[k].i);
    memset(&out[k], 0, sizeof(out[k]));
    snprintf(out[k].name, sizeof(out[k].name), "%s", h->name);
    out[k].kind = h->kind;
  }
  free(refs);
  *count = n;
  return net_ok(net);
}
