/* hns_check_label.c: how violations name HNS objects: by kind, ID as HNS
 * wrote it, name, and the addresses a user knows them by ("load balancer
 * 5A.. (10.96.0.10:53/udp)", "endpoint 1F.. 'pod-a' (10.244.1.5)").
 * Every label fits HNS_CK_LABEL bytes, cut short if it must be. */
#include <stdio.h>
#include <string.h>
#include "hns_check_int.h"

/* Appends to a label, keeping it NUL-terminated when it fills up. */
static void add(char out[HNS_CK_LABEL], const char *fmt, const char *a, const char *b) {
  size_t used = strlen(out);
  if (used + 1 < HNS_CK_LABEL) snprintf(out + used, HNS_CK_LABEL - used, fmt, a, b);
}

/* "tcp", "udp", "sctp" (protocol numbers 6, 17, 132, consumers §1.4), or "proto <n>". */
static void protocol_name(uint32_t protocol, char out[16]) {
  const char *name = protocol == 6 ? "tcp" : protocol == 17 ? "udp" : protocol == 132 ? "sctp" : NULL;
  if (name)
    snprintf(out, 16, "%s", name);
  else
    snprintf(out, 16, "proto %u", (unsigned)protocol);
}

void hns__ck_endpoint_label(const hns__ck_endpoint *e, char out[HNS_CK_LABEL]) {
  out[0] = '\0';
  add(out, "%s%s", e->remote ? "remote endpoint " : "endpoint ", e->id);
  if (e->name && *e->name) add(out, "%s%s'", " '", e->name);
  for (size_t i = 0; i < e->n_ips; i++) {
    char ip[46];
    sim_ip_format(&e->ips[i], ip);
    add(out, "%s%s", i ? ", " : " (", ip);
  }
  if (e->n_ips) add(out, "%s%s", ")", "");
}

void hns__ck_lb_label(const hns__ck_lb *lb, char out[HNS_CK_LABEL]) {
  out[0] = '\0';
  add(out, "%s%s", "load balancer ", lb->id);
  size_t nv = lb->n_vips ? lb->n_vips : 1, k = 0;
  for (size_t i = 0; i < nv; i++)
    for (size_t j = 0; j < lb->n_maps; j++, k++) {
      char vip[46], port[32], proto[16];
      if (lb->n_vips)
        sim_ip_format(&lb->vips[i], vip);
      else
        snprintf(vip, sizeof vip, "*"); /* no VIP: every address of the host (NodePort, facts §3.6) */
      protocol_name(lb->maps[j].protocol, proto);
      snprintf(port, sizeof port, ":%u/%s", (unsigned)lb->maps[j].external_port, proto);
      add(out, "%s%s", k ? ", " : " (", vip);
      add(out, "%s%s", port, "");
    }
  if (k) add(out, "%s%s", ")", "");
}

void hns__ck_network_label(const hns__ck_network *n, char out[HNS_CK_LABEL]) {
  out[0] = '\0';
  add(out, "%s%s", "network ", n->id);
  if (n->name && *n->name) add(out, "%s%s'", " '", n->name);
}

const char *hns__ck_network_name(const hns__ck_host *h, const hns__ck_endpoint *e) {
  const hns__ck_network *n = hns__ck_network_find(h, e->network);
  return n && n->name && *n->name ? n->name : n ? n->id : e->network;
}
