/* hns_check_remote.c: the checks on remote endpoints (Flags RemoteEndpoint,
 * the stand-ins kube-proxy creates on a host for pods of other hosts,
 * consumers §1.4 and §1.8).
 *
 *  - remote-endpoints-referenced: every remote endpoint is named by a load
 *    balancer on its host. networkhealth.ps1's StaleRemoteEndpoints (a
 *    remote endpoint whose IP is no LB's backend IP is stale); kube-proxy
 *    deletes a remote endpoint when its reference count falls to 0
 *    (consumers §1.8); pain point P5 (Windows-Containers#631,
 *    kubernetes#137381: remote endpoints left after pod churn). hnsim
 *    matches by ID, which HostComputeEndpoints holds, not by IP: of two
 *    remote endpoints with one IP, the unreferenced one is the stale one
 *    (inferred).
 *  - remote-endpoints-live: across the hosts of the set, every remote
 *    endpoint's IP is held by another host: by one of its local endpoints,
 *    or as a network's management IP (ProviderAddress policy; kube-proxy
 *    makes remote endpoints for node IPs too, consumers §1.5) (inferred).
 *    Pain point P5 (hcsshim#994 and kubernetes#137381: stale remote
 *    endpoints after pod churn). With fewer than two hosts there is no
 *    other host to ask, and nothing is judged (inferred). Pods on hosts
 *    outside the set (Linux nodes) look gone: run it over every host that
 *    holds pods.
 * Both leave out the overlay service-VIP endpoint kube-proxy makes per
 * ClusterIP (a remote endpoint whose IP is a load balancer's FrontendVIP
 * on the host, consumers §1.4): no load balancer names it and no host
 * holds its IP (inferred from that table). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_check_int.h"

static int is_service_vip_endpoint(const hns__ck_host *h, const hns__ck_endpoint *e) {
  for (size_t i = 0; i < e->n_ips; i++)
    if (hns__ck_is_vip(h, &e->ips[i])) return 1;
  return 0;
}

void hns__ck_remote_endpoints_referenced(const hns__ck_host *hosts, size_t n, hns__ck_sink *s) {
  for (size_t i = 0; i < n; i++) {
    const hns__ck_host *h = &hosts[i];
    if (!h->n_eps) continue;
    unsigned char *named = calloc(h->n_eps, 1);
    if (!named) {
      hns__ck_out_of_memory(s);
      return;
    }
    for (size_t j = 0; j < h->n_lbs; j++)
      for (const cJSON *b = h->lbs[j].backends ? h->lbs[j].backends->child : NULL; b; b = b->next) {
        const hns__ck_endpoint *e = hns__ck_endpoint_find(h, b->valuestring);
        if (e) named[e - h->eps] = 1;
      }
    for (size_t j = 0; j < h->n_eps; j++) {
      const hns__ck_endpoint *e = &h->eps[j];
      if (!e->remote || named[j] || is_service_vip_endpoint(h, e)) continue;
      char label[HNS_CK_LABEL];
      hns__ck_endpoint_label(e, label);
      hns__ck_violation(s, h, "endpoint", e->id,
                        "%s is named by no load balancer on this host: a remote endpoint no service uses is stale",
                        label);
    }
    free(named);
  }
}

/* An address a host holds: a local endpoint's IP or a management IP. */
typedef struct held {
  sim_ip ip;
  size_t host;
} held;

static int by_ip_then_host(const void *a, const void *b) {
  const held *x = a, *y = b;
  int c = sim_ip_compare(&x->ip, &y->ip);
  return c ? c : (x->host > y->host) - (x->host < y->host);
}

/* 1 if a host other than `self` holds `ip`. */
static int held_elsewhere(const held *all, size_t count, const sim_ip *ip, size_t self) {
  size_t lo = 0, hi = count;
  while (lo < hi) { /* the first entry not below ip */
    size_t mid = lo + (hi - lo) / 2;
    if (sim_ip_compare(&all[mid].ip, ip) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < count && sim_ip_equal(&all[lo].ip, ip); lo++)
    if (all[lo].host != self) return 1;
  return 0;
}

static held *held_addresses(const hns__ck_host *hosts, size_t n, size_t *count) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < hosts[i].n_eps; j++) total += hosts[i].eps[j].remote ? 0 : hosts[i].eps[j].n_ips;
    for (size_t j = 0; j < hosts[i].n_nets; j++) total += hosts[i].nets[j].has_pa;
  }
  *count = 0;
  held *all = malloc((total ? total : 1) * sizeof *all);
  for (size_t i = 0; all && i < n; i++) {
    for (size_t j = 0; j < hosts[i].n_eps; j++)
      for (size_t k = 0; !hosts[i].eps[j].remote && k < hosts[i].eps[j].n_ips; k++)
        all[(*count)++] = (held){hosts[i].eps[j].ips[k], i};
    for (size_t j = 0; j < hosts[i].n_nets; j++)
      if (hosts[i].nets[j].has_pa) all[(*count)++] = (held){hosts[i].nets[j].pa, i};
  }
  if (*count) qsort(all, *count, sizeof *all, by_ip_then_host);
  return all;
}

void hns__ck_remote_endpoints_live(const hns__ck_host *hosts, size_t n, hns__ck_sink *s) {
  if (n < 2) return;
  size_t count;
  held *all = held_addresses(hosts, n, &count);
  if (!all) {
    hns__ck_out_of_memory(s);
    return;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < hosts[i].n_eps; j++) {
      const hns__ck_endpoint *e = &hosts[i].eps[j];
      if (!e->remote || is_service_vip_endpoint(&hosts[i], e)) continue;
      for (size_t k = 0; k < e->n_ips; k++) {
        if (held_elsewhere(all, count, &e->ips[k], i)) continue;
        char label[HNS_CK_LABEL], ip[46];
        hns__ck_endpoint_label(e, label);
        sim_ip_format(&e->ips[k], ip);
        char others[64] = "the other host has no";
        if (n > 2) snprintf(others, sizeof others, "none of the other %zu hosts has a", n - 1);
        hns__ck_violation(
            s, &hosts[i], "endpoint", e->id,
            "%s stands for %s, but %s local endpoint or management IP with that address: the pod it stood "
            "for is gone",
            label, ip, others);
      }
    }
  free(all);
}
