/* hns_check.c: the catalogue of checks, a run over a set of hosts, and its
 * report: which checks run, the hosts read (live or from a state
 * document), the violations collected and sorted so that the same state
 * always gives the same report, byte for byte.
 *
 * Invariants: the catalogue is static data in the order docs/invariants.md
 * gives; a failed run leaves the report with no violations and a reason in
 * `error`; violations are sorted on every field, so their order never
 * depends on the order of the hosts, of HNS's lists or of qsort. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_check_int.h"

typedef struct check {
  hns_check_info info;
  hns__ck_fn *run;
} check;

/* The sources in short; docs/invariants.md gives addresses and commits.
 * networkhealth.ps1 is microsoft/SDN's Kubernetes/windows/debug/networkmonitor/networkhealth.ps1. */
static const check checks[] = {
    {{"lb-endpoints-exist", "every endpoint a load balancer names in HostComputeEndpoints exists on its host",
      "networkhealth.ps1 LoadBalancerStaleRemoteEndpoints; pain points P3, P5 (kubernetes#135802)"},
     hns__ck_lb_endpoints_exist},
    {{"lb-state", "every load balancer that reports a State reports 2", "networkhealth.ps1 LoadBalancerPolicyState"},
     hns__ck_lb_state},
    {{"dns-vip-both-protocols",
      "a VIP with a frontend on port 53 has TCP/53 and UDP/53, each with an endpoint that exists",
      "pain point P13; hnsautomitigator2019.yaml IsDnsMissing; networkhealth.ps1 ValidDNSLoadbalancerPolicy"},
     hns__ck_dns_vip_both_protocols},
    {{"endpoint-state", "every local endpoint that reports a State is attached: 2 (Attached) or 3 (AttachedSharing)",
      "networkhealth.ps1 EndpointStateTest; hcsshim EndpointState; pain point P5 (kubernetes#68511)"},
     hns__ck_endpoint_state},
    {{"duplicate-ip-mac", "no two local endpoints of a network share an IP address or a MAC address",
      "kube-proxy winkernel hns.go (a WS2019 bug gave two endpoints one IP)"},
     hns__ck_duplicate_ip_mac},
    {{"remote-shadows-local", "no remote endpoint of a network has the IP of a local endpoint of that network",
      "pain point P5 (kubernetes#130963, PR#138000)"},
     hns__ck_remote_shadows_local},
    {{"remote-endpoints-referenced", "every remote endpoint is named by a load balancer on its host",
      "networkhealth.ps1 StaleRemoteEndpoints; pain point P5 (Windows-Containers#631, kubernetes#137381)"},
     hns__ck_remote_endpoints_referenced},
    {{"remote-endpoints-live", "every remote endpoint's IP is held by a local endpoint on another host of the set",
      "pain point P5 (stale remote endpoints after pod churn; hcsshim#994)"},
     hns__ck_remote_endpoints_live},
    {{"ephemeral-ports", "more than 10 blocks of 64 ephemeral ports stay free for non-DSR load balancers",
      "networkhealth.ps1 PortExhaustionTest; pain point P10 (Azure/AKS#1375, kubernetes/website#17930)"},
     hns__ck_ephemeral_ports},
    {{"management-ip", "no network's management IP (ProviderAddress) is an APIPA address (169.254.0.0/16)",
      "networkhealth.ps1 IncorrectManagementIpTest"},
     hns__ck_management_ip},
};
#define N_CHECKS (sizeof checks / sizeof checks[0])

size_t hns_check_count(void) { return N_CHECKS; }

const hns_check_info *hns_check_get(size_t i) { return i < N_CHECKS ? &checks[i].info : NULL; }

static const check *find(const char *name) {
  for (size_t i = 0; name && i < N_CHECKS; i++)
    if (!strcmp(checks[i].info.name, name)) return &checks[i];
  return NULL;
}

const hns_check_info *hns_check_find(const char *name) {
  const check *c = find(name);
  return c ? &c->info : NULL;
}

/* ---- the sink ---- */

struct hns__ck_sink {
  hns_check_report *out;
  const char *check;
  size_t cap;
  int oom;
};

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  return d ? memcpy(d, s, n) : NULL;
}

void hns__ck_violation(hns__ck_sink *s, const hns__ck_host *h, const char *kind, const char *id, const char *fmt, ...) {
  if (s->oom) return;
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *message = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (message) {
    va_start(ap, fmt);
    vsnprintf(message, (size_t)len + 1, fmt, ap);
    va_end(ap);
  }
  hns_check_report *r = s->out;
  if (message && r->count == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    hns_check_violation *v = realloc(r->violations, cap * sizeof *v);
    if (v) {
      r->violations = v;
      s->cap = cap;
    }
  }
  hns_check_violation v = {s->check, copy(h->name), kind, copy(id), message};
  if (!message || r->count == s->cap || !v.host || !v.id) {
    free(v.host);
    free(v.id);
    free(message);
    s->oom = 1;
    return;
  }
  r->violations[r->count++] = v;
}

void hns__ck_out_of_memory(hns__ck_sink *s) { s->oom = 1; }

static int by_fields(const void *a, const void *b) {
  const hns_check_violation *x = a, *y = b;
  int c = strcmp(x->host, y->host);
  if (!c) c = strcmp(x->kind, y->kind);
  if (!c) c = strcmp(x->id, y->id);
  if (!c) c = strcmp(x->check, y->check);
  return c ? c : strcmp(x->message, y->message);
}

/* ---- a run ---- */

void hns_check_report_free(hns_check_report *r) {
  if (!r) return;
  for (size_t i = 0; i < r->count; i++) {
    free(r->violations[i].host);
    free(r->violations[i].id);
    free(r->violations[i].message);
  }
  free(r->violations);
  r->violations = NULL;
  r->count = 0;
}

static hns_hr failed(hns_check_report *out, hns_hr hr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static hns_hr failed(hns_check_report *out, hns_hr hr, const char *fmt, ...) {
  hns_check_report_free(out);
  out->checks_run = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out->error, sizeof out->error, fmt, ap);
  va_end(ap);
  return hr;
}

static hns_hr unknown_check(hns_check_report *out, const char *name) {
  char known[sizeof out->error] = "";
  for (size_t i = 0; i < N_CHECKS; i++) {
    size_t used = strlen(known);
    snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", checks[i].info.name);
  }
  return failed(out, HNS_E_INVALIDARG, "unknown check '%s'; the checks are: %s", name, known);
}

static hns_hr check_names(const hns_check_host *hosts, size_t n, hns_check_report *out) {
  for (size_t i = 0; i < n; i++) {
    if (!hosts[i].name || !*hosts[i].name) return failed(out, HNS_E_INVALIDARG, "hosts[%zu] has no name", i);
    if (!hosts[i].svc == !hosts[i].state)
      return failed(out, HNS_E_INVALIDARG, "host '%s': give either its service or its state, not %s", hosts[i].name,
                    hosts[i].svc ? "both" : "neither");
    for (size_t j = 0; j < i; j++)
      if (!strcmp(hosts[i].name, hosts[j].name))
        return failed(out, HNS_E_INVALIDARG, "hosts[%zu] and hosts[%zu] are both called '%s'", j, i, hosts[i].name);
  }
  return HNS_S_OK;
}

/* Reads every host into `loaded` (n entries, zeroed by the caller). */
static hns_hr load_hosts(const hns_check_host *hosts, size_t n, hns__ck_host *loaded, hns_check_report *out) {
  char err[sizeof out->error - 64];
  for (size_t i = 0; i < n; i++) {
    cJSON *root = NULL;
    hns_hr hr = HNS_S_OK;
    if (hosts[i].svc) {
      hr = hns__ck_collect(hosts[i].svc, &root, err, sizeof err);
      if (HNS_FAILED(hr)) return failed(out, hr, "host '%s': %s", hosts[i].name, err);
    } else if (!(root = cJSON_Parse(hosts[i].state))) {
      return failed(out, HNS_E_INVALIDARG, "host '%s': its state is not JSON", hosts[i].name);
    }
    hr = hns__ck_host_load(&loaded[i], hosts[i].name, root, err, sizeof err);
    if (HNS_FAILED(hr)) return failed(out, hr, "%s", err);
  }
  return HNS_S_OK;
}

hns_hr hns_check_run(const hns_check_host *hosts, size_t n, const char *name, hns_check_report *out) {
  if (!out) return HNS_E_POINTER;
  memset(out, 0, sizeof *out);
  if (n && !hosts) return failed(out, HNS_E_POINTER, "hosts is NULL but n is %zu", n);
  const check *only = NULL;
  if (name && !(only = find(name))) return unknown_check(out, name);
  hns_hr hr = check_names(hosts, n, out);
  if (HNS_FAILED(hr)) return hr;
  hns__ck_host *loaded = calloc(n ? n : 1, sizeof *loaded);
  if (!loaded) return failed(out, HNS_E_OUTOFMEMORY, "out of memory");
  hr = load_hosts(hosts, n, loaded, out);
  hns__ck_sink sink = {out, NULL, 0, 0};
  for (size_t i = 0; HNS_SUCCEEDED(hr) && i < N_CHECKS; i++) {
    if (only && only != &checks[i]) continue;
    sink.check = checks[i].info.name;
    checks[i].run(loaded, n, &sink);
    out->checks_run++;
  }
  for (size_t i = 0; i < n; i++) hns__ck_host_free(&loaded[i]);
  free(loaded);
  if (HNS_FAILED(hr)) return hr;
  if (sink.oom) return failed(out, HNS_E_OUTOFMEMORY, "out of memory");
  if (out->count) qsort(out->violations, out->count, sizeof *out->violations, by_fields);
  return HNS_S_OK;
}
