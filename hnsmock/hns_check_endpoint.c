/* hns_check_endpoint.c: the checks on one host's endpoints.
 *
 *  - endpoint-state: a local endpoint that reports a State is attached.
 *    networkhealth.ps1's EndpointStateTest fails every local endpoint whose
 *    State is not 3; in hcsshim's EndpointState enum (internal/hns) 0
 *    Uninitialized, 1 Created, 2 Attached, 3 AttachedSharing, 4 Detached,
 *    5 Degraded, 6 Destroyed. hnsim also takes 2: hnsmock reports it for an
 *    endpoint in one container, the host compartment or a VM
 *    (hns_v1_attach.c), as Docker's containers and the host endpoint cbr0
 *    are, and those work (inferred). 1 (never attached) and 4 (detached)
 *    are endpoints left behind (pain point P5, kubernetes#68511: a pod that
 *    fails to start leaks endpoints). Remote endpoints are not judged, as
 *    networkhealth does not judge them.
 *  - duplicate-ip-mac: no two local endpoints of one network share an IP
 *    or a MAC. kube-proxy's hns.go indexes endpoints by IP and notes a
 *    WS2019 bug that made two endpoints with the same IP (consumers §1.3).
 *    hnsmock refuses both per network (hns_endpoint.c), so only an imported
 *    state breaks it there. Remote endpoints are left out: kube-proxy gives
 *    them made-up MACs (facts §5.6) and their IPs are remote-shadows-local's.
 *  - remote-shadows-local: no remote endpoint of a network has the IP of a
 *    local endpoint of that network. Pain point P5: on L2Bridge a pod IP
 *    reused on another node leaves a remote endpoint with the IP of a new
 *    local one and DNS traffic goes to the wrong node (kubernetes#130963,
 *    PR#138000). hnsmock refuses the overlap too, (inferred).
 * Addresses are compared per network: networks are separate vSwitches and
 * overlay networks may reuse addresses (facts §6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_check_int.h"

static const char *const state_names[] = {"Uninitialized", "Created",  "Attached", "AttachedSharing",
                                          "Detached",      "Degraded", "Destroyed"};

void hns__ck_endpoint_state(const hns__ck_host *hosts, size_t n, hns__ck_sink *s) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < hosts[i].n_eps; j++) {
      const hns__ck_endpoint *e = &hosts[i].eps[j];
      if (e->remote || !e->has_state || e->state == 2 || e->state == 3) continue;
      char label[HNS_CK_LABEL];
      hns__ck_endpoint_label(e, label);
      const char *name = e->state >= 0 && e->state < 7 ? state_names[e->state] : "unknown";
      hns__ck_violation(s, &hosts[i], "endpoint", e->id,
                        "%s has State %d (%s): a local endpoint in use is Attached (2) or AttachedSharing (3)", label,
                        e->state, name);
    }
}

/* One address of one endpoint: an IP (is_mac 0) or a MAC. */
typedef struct address {
  const hns__ck_endpoint *ep;
  int is_mac;
  sim_ip ip;
  sim_mac mac;
} address;

static int same_address(const address *x, const address *y) {
  int c = strcmp(x->ep->network, y->ep->network);
  if (!c) c = x->is_mac - y->is_mac;
  if (!c) c = x->is_mac ? memcmp(x->mac.b, y->mac.b, sizeof x->mac.b) : sim_ip_compare(&x->ip, &y->ip);
  return c;
}

static int by_address_then_id(const void *a, const void *b) {
  const address *x = a, *y = b;
  int c = same_address(x, y);
  return c ? c : strcmp(x->ep->key, y->ep->key);
}

/* The host's addresses, sorted; with_remote adds remote endpoints' IPs,
 * with_mac local endpoints' MACs. NULL with *count 0 when there are none
 * or memory ran out (*oom set). */
static address *addresses(const hns__ck_host *h, int with_remote, int with_mac, size_t *count, int *oom) {
  size_t total = 0;
  for (size_t i = 0; i < h->n_eps; i++)
    if (with_remote || !h->eps[i].remote)
      total += h->eps[i].n_ips + (with_mac && h->eps[i].has_mac && !h->eps[i].remote);
  *count = 0;
  *oom = 0;
  address *a = total ? malloc(total * sizeof *a) : NULL;
  if (total && !a) *oom = 1;
  for (size_t i = 0; a && i < h->n_eps; i++) {
    const hns__ck_endpoint *e = &h->eps[i];
    if (e->remote && !with_remote) continue;
    for (size_t j = 0; j < e->n_ips; j++) a[(*count)++] = (address){e, 0, e->ips[j], {{0}}};
    if (with_mac && e->has_mac && !e->remote) a[(*count)++] = (address){e, 1, {0, {0}}, e->mac};
  }
  if (*count) qsort(a, *count, sizeof *a, by_address_then_id);
  return a;
}

static void address_text(const address *a, char out[46]) {
  if (a->is_mac)
    sim_mac_format(&a->mac, out);
  else
    sim_ip_format(&a->ip, out);
}

void hns__ck_duplicate_ip_mac(const hns__ck_host *hosts, size_t n, hns__ck_sink *s) {
  for (size_t i = 0; i < n; i++) {
    size_t count;
    int oom;
    address *a = addresses(&hosts[i], 0, 1, &count, &oom);
    if (oom) hns__ck_out_of_memory(s);
    for (size_t first = 0, end; first < count; first = end) {
      for (end = first + 1; end < count && !same_address(&a[end], &a[first]);) end++;
      for (size_t k = first; end - first > 1 && k < end; k++) {
        const address *other = &a[k == first ? first + 1 : first]; /* the first other, by ID */
        char label[HNS_CK_LABEL], text[46], more[40] = " does";
        hns__ck_endpoint_label(a[k].ep, label);
        address_text(&a[k], text);
        if (end - first > 2)
          snprintf(more, sizeof more, " and %zu other%s do", end - first - 2, end - first > 3 ? "s" : "");
        hns__ck_violation(s, &hosts[i], "endpoint", a[k].ep->id,
                          "%s has %s address %s on network '%s', as endpoint %s%s", label, a[k].is_mac ? "MAC" : "IP",
                          text, hns__ck_network_name(&hosts[i], a[k].ep), other->ep->id, more);
      }
    }
    free(a);
  }
}

void hns__ck_remote_shadows_local(const hns__ck_host *hosts, size_t n, hns__ck_sink *s) {
  for (size_t i = 0; i < n; i++) {
    size_t count;
    int oom;
    address *a = addresses(&hosts[i], 1, 0, &count, &oom);
    if (oom) hns__ck_out_of_memory(s);
    for (size_t first = 0, end; first < count; first = end) {
      const hns__ck_endpoint *local = NULL;
      for (end = first; end < count && !same_address(&a[end], &a[first]); end++)
        if (!local && !a[end].ep->remote) local = a[end].ep;
      for (size_t k = first; local && k < end; k++) {
        if (!a[k].ep->remote) continue;
        char label[HNS_CK_LABEL], text[46];
        hns__ck_endpoint_label(a[k].ep, label);
        address_text(&a[k], text);
        hns__ck_violation(s, &hosts[i], "endpoint", a[k].ep->id,
                          "%s has the IP address %s of local endpoint %s on network '%s': packets for %s may leave for "
                          "another host",
                          label, text, local->id, hns__ck_network_name(&hosts[i], a[k].ep), text);
      }
    }
    free(a);
  }
}
