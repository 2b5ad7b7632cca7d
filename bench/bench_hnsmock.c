/* bench_hnsmock.c: calls per second of hnsmock's HCN API, JSON in and out,
 * on a host that already has a population of endpoints (issue 3 point 9:
 * target >= 200 000 calls/s at 10 000 endpoints).
 *
 * Setup, per population: a ws2022 service, one L2Bridge network (a /12, so
 * that 100 000 endpoints fit, and a MacPool of 2^24 MACs), then N endpoints
 * created from JSON with the address and MAC left to the service. Phases, run
 * in turn `--repeat` times so that load from other processes spreads over all
 * of them, each run timing about `--calls` counted calls; the median run is
 * reported:
 *   create_query       hns_create (endpoint JSON in) + hns_query_properties
 *                      (JSON out) + hns_close; 2 calls counted. The endpoints
 *                      are deleted in batches of BATCH, timed apart
 *                      (delete, 1 call), so the population stays within
 *                      N .. N + BATCH.
 *   create_query_wide  the same through computenetwork.h (UTF-16 in and out,
 *                      CoTaskMemFree); delete_wide is HcnDeleteEndpoint.
 *   open_query         hns_open by ID + query + close on random existing
 *                      endpoints (kube-proxy); 2 calls counted.
 *   enum_name, enum_id hns_enumerate with a Filter on Name (hcsshim
 *                      GetEndpointByName) or ID; 1 call counted.
 *   lb_create_query    a load balancer over 1..4 random existing endpoints:
 *                      create + query + close, 2 calls; lb_delete apart.
 * Queries are hcsshim's defaultQuery. Request documents are built before the
 * clock starts; the ID a client needs is read back from the properties, as
 * hcsshim does, and every returned document is folded into the check value,
 * which must be equal on every run with the same options. Memory: the heap
 * in use (glibc's mallinfo2) and the resident set grown while the N
 * endpoints were created, divided by N; the RSS figure is honest only in a
 * fresh process (hnsmock.sh runs one per population). Only this program
 * reads the clock; nothing here is a test. */
#define _GNU_SOURCE /* mallinfo2 */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "bench_args.h"
#include "bench_clock.h"
#include "computenetwork.h"
#include "hns_api.h"
#include "hns_profile.h"
#include "hnsim_hcn.h"

#define BATCH 100     /* endpoints or load balancers created before they are deleted */
#define LB_RING 4096  /* distinct load balancer documents (frontend VIPs) */
#define MAX_RUNS 99

#define QUERY "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Flags\":0}"
#define NETWORK                                                                                                     \
  "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"MacPool\":{\"Ranges\":[{" \
  "\"StartMacAddress\":\"00-15-5D-00-00-00\",\"EndMacAddress\":\"00-15-5D-FF-FF-FF\"}]},\"Ipams\":[{\"Type\":"     \
  "\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"10.0.0.0/12\",\"Routes\":[{\"NextHop\":\"10.0.0.1\","             \
  "\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"
/* What win-bridge CNI asks for through hcsshim: name, network, DNS, outbound
 * NAT with the cluster's exceptions and a route to the service CIDR. */
#define ENDPOINT                                                                                                       \
  "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"%s\",\"HostComputeNetwork\":\"%s\",\"Dns\":{\"Search\":" \
  "[\"default.svc.cluster.local\",\"svc.cluster.local\"],\"ServerList\":[\"10.96.0.10\"]},\"Policies\":[{\"Type\":"  \
  "\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.0.0.0/8\",\"10.96.0.0/12\"]}},{\"Type\":\"SDNRoute\","        \
  "\"Settings\":{\"DestinationPrefix\":\"10.96.0.0/12\",\"NeedEncap\":true}}]}"

typedef struct bench {
  hns_service *svc;
  hns_handle *net;
  HCN_NETWORK net_wide;
  char net_id[37];
  size_t n;
  char (*ids)[37];      /* the population's IDs, in creation order */
  hns_guid *guids;
  char **by_name;       /* enumerate queries, one per endpoint */
  char **by_id;
  char *ep_docs[BATCH]; /* create documents of the timed phases (names free again after each batch) */
  WCHAR *ep_docs_wide[BATCH];
  char *lb_docs[LB_RING];
  WCHAR *query_wide;
  hns_guid batch[BATCH];
  uint64_t rng, check, lb_next;
} bench;

static void die(const bench *b, const char *what, hns_hr hr) {
  fprintf(stderr, "bench_hnsmock: %s failed: 0x%08" PRIX32 " %s\n", what, (uint32_t)hr,
          b->svc ? hns_service_last_detail(b->svc) : "");
  exit(3);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) {
    fprintf(stderr, "bench_hnsmock: out of memory\n");
    exit(3);
  }
  return p;
}

static char *xstrdup(const char *s) { return strcpy(xmalloc(strlen(s) + 1), s); }

static uint64_t next_random(bench *b) { /* xorshift64* */
  b->rng ^= b->rng >> 12;
  b->rng ^= b->rng << 25;
  b->rng ^= b->rng >> 27;
  return b->rng * 0x2545F4914F6CDD1Dull;
}

/* Folds bytes into the check value eight at a time (cheap beside the calls). */
static void fold(bench *b, const void *data, size_t len) {
  const unsigned char *p = data;
  uint64_t h = b->check ^ len;
  for (; len >= 8; p += 8, len -= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001B3ull;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  memcpy(&w, p, len);
  b->check = ((h ^ w) * 0x100000001B3ull) ^ (h >> 31);
}

static size_t wide_len(const WCHAR *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* Documents here are ASCII, so widening is a copy of each byte. */
static WCHAR *widen(const char *s) {
  size_t n = strlen(s);
  WCHAR *w = xmalloc((n + 1) * sizeof *w);
  for (size_t i = 0; i <= n; i++) w[i] = (unsigned char)s[i];
  return w;
}

/* The GUID of `"ID":"..."` in a properties document, as a client reads it. */
static void id_of(const bench *b, const char *props, hns_guid *out) {
  const char *at = strstr(props, "\"ID\":\"");
  char text[37];
  if (!at || snprintf(text, sizeof text, "%.36s", at + 6) != 36 || hns_guid_parse(text, out))
    die(b, "reading the ID back", E_FAIL);
}

static void id_of_wide(const bench *b, const WCHAR *props, hns_guid *out) {
  static const char key[] = "\"ID\":\"";
  for (size_t i = 0; props[i]; i++) {
    size_t k = 0;
    while (key[k] && props[i + k] == (WCHAR)key[k]) k++;
    if (key[k]) continue;
    char text[37];
    for (k = 0; k < 36 && props[i + 6 + k] && props[i + 6 + k] < 0x80; k++) text[k] = (char)props[i + 6 + k];
    text[k] = '\0';
    if (k == 36 && !hns_guid_parse(text, out)) return;
    break;
  }
  die(b, "reading the ID back (UTF-16)", E_FAIL);
}

static size_t resident_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long size, resident = 0;
  if (f && fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
  if (f) fclose(f);
  return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* ---- setup ---------------------------------------------------------------- */

static void setup(bench *b, size_t n, uint64_t seed, size_t *heap_delta, size_t *rss_delta) {
  memset(b, 0, sizeof *b);
  b->n = n;
  b->rng = seed * 0x9E3779B97F4A7C15ull + 1;
  hns_service_config cfg = {hns_profile_find("ws2022"), "bench", seed};
  char *er = NULL, *props = NULL, doc[1024];
  hns_hr hr = hns_service_create(&cfg, &b->svc);
  if (HNS_FAILED(hr)) die(b, "hns_service_create", hr);
  if (HNS_FAILED(hr = hns_create(b->svc, HNS_NETWORK, NULL, NULL, NETWORK, &b->net, &er))) die(b, "network create", hr);
  if (HNS_FAILED(hr = hns_query_properties(b->net, QUERY, &props, &er))) die(b, "network query", hr);
  hns_guid g;
  id_of(b, props, &g);
  hns_guid_format(&g, 1, b->net_id);
  free(props);
  hnsim_hcn_bind(b->svc);
  PWSTR wer = NULL;
  if (FAILED(hr = HcnOpenNetwork(&g, &b->net_wide, &wer))) die(b, "HcnOpenNetwork", hr);

  b->ids = xmalloc(n * sizeof *b->ids);
  b->guids = xmalloc(n * sizeof *b->guids);
  b->by_name = xmalloc(n * sizeof *b->by_name);
  b->by_id = xmalloc(n * sizeof *b->by_id);
  struct mallinfo2 m0 = mallinfo2();
  size_t rss0 = resident_bytes();
  for (size_t i = 0; i < n; i++) {
    char name[32];
    hns_handle *h;
    snprintf(name, sizeof name, "ep-%zu", i);
    snprintf(doc, sizeof doc, ENDPOINT, name, b->net_id);
    if (HNS_FAILED(hr = hns_create(b->svc, HNS_ENDPOINT, b->net, NULL, doc, &h, &er))) die(b, "endpoint create", hr);
    if (HNS_FAILED(hr = hns_query_properties(h, QUERY, &props, &er))) die(b, "endpoint query", hr);
    id_of(b, props, &b->guids[i]);
    hns_guid_format(&b->guids[i], 1, b->ids[i]);
    fold(b, props, strlen(props));
    free(props);
    hns_close(h);
  }
  *heap_delta = mallinfo2().uordblks - m0.uordblks;
  *rss_delta = resident_bytes() - rss0;

  for (size_t i = 0; i < n; i++) {
    char q[256];
    snprintf(q, sizeof q, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Flags\":0,\"Filter\":\"{\\\"Name\\\":\\\"ep-%zu\\\"}\"}",
             i);
    b->by_name[i] = xstrdup(q);
    snprintf(q, sizeof q, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Flags\":0,\"Filter\":\"{\\\"ID\\\":\\\"%s\\\"}\"}",
             b->ids[i]);
    b->by_id[i] = xstrdup(q);
  }
  for (int j = 0; j < BATCH; j++) {
    char name[32];
    snprintf(name, sizeof name, "bench-%d", j);
    snprintf(doc, sizeof doc, ENDPOINT, name, b->net_id);
    b->ep_docs[j] = xstrdup(doc);
    b->ep_docs_wide[j] = widen(doc);
  }
  for (int k = 0; k < LB_RING; k++) {
    int len = snprintf(doc, sizeof doc, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"HostComputeEndpoints\":[");
    for (int e = 0; e <= k % 4; e++)
      len += snprintf(doc + len, sizeof doc - (size_t)len, "%s\"%s\"", e ? "," : "", b->ids[next_random(b) % n]);
    snprintf(doc + len, sizeof doc - (size_t)len,
             "],\"SourceVIP\":\"10.0.0.2\",\"FrontendVIPs\":[\"10.96.%d.%d\"],\"PortMappings\":[{\"Protocol\":6,"
             "\"InternalPort\":8080,\"ExternalPort\":80}]}",
             (k + 1) / 256, (k + 1) % 256);
    b->lb_docs[k] = xstrdup(doc);
  }
  b->query_wide = widen(QUERY);
}

static void teardown(bench *b) {
  HcnCloseNetwork(b->net_wide);
  hnsim_hcn_bind(NULL);
  hns_close(b->net);
  hns_service_destroy(b->svc);
  for (size_t i = 0; i < b->n; i++) {
    free(b->by_name[i]);
    free(b->by_id[i]);
  }
  for (int j = 0; j < BATCH; j++) {
    free(b->ep_docs[j]);
    free(b->ep_docs_wide[j]);
  }
  for (int k = 0; k < LB_RING; k++) free(b->lb_docs[k]);
  free(b->query_wide);
  free(b->by_name);
  free(b->by_id);
  free(b->ids);
  free(b->guids);
}

/* ---- the timed phases ------------------------------------------------------- */

enum {
  P_CREATE,
  P_DELETE,
  P_CREATE_WIDE,
  P_DELETE_WIDE,
  P_OPEN,
  P_ENUM_NAME,
  P_ENUM_ID,
  P_LB,
  P_LB_DELETE,
  NPHASES
};
static const char *const phase_names[NPHASES] = {"create_query", "delete",   "create_query_wide",
                                                 "delete_wide",  "open_query", "enum_name",
                                                 "enum_id",      "lb_create_query", "lb_delete"};
static const int calls_per_iteration[NPHASES] = {2, 1, 2, 1, 2, 1, 1, 2, 1};

typedef struct timing {
  double seconds[NPHASES];
  uint64_t iterations[NPHASES];
} timing;

/* Creates BATCH objects of `kind` (create + query + close), each from the
 * next of `docs`, timed as phase `made`; then deletes them, timed as phase
 * `gone`. */
static void create_batch(bench *b, hns_object_kind kind, hns_handle *parent, char *const *docs, size_t ndocs,
                         uint64_t *next_doc, int made, int gone, timing *t) {
  char *er = NULL, *props;
  hns_hr hr;
  double t0 = bench_seconds();
  for (int j = 0; j < BATCH; j++) {
    hns_handle *h;
    const char *doc = docs[(*next_doc)++ % ndocs];
    if (HNS_FAILED(hr = hns_create(b->svc, kind, parent, NULL, doc, &h, &er))) die(b, "hns_create", hr);
    if (HNS_FAILED(hr = hns_query_properties(h, QUERY, &props, &er))) die(b, "hns_query_properties", hr);
    id_of(b, props, &b->batch[j]);
    fold(b, props, strlen(props));
    free(props);
    hns_close(h);
  }
  double t1 = bench_seconds();
  for (int j = 0; j < BATCH; j++)
    if (HNS_FAILED(hr = hns_delete(b->svc, kind, &b->batch[j], &er))) die(b, "hns_delete", hr);
  double t2 = bench_seconds();
  t->seconds[made] += t1 - t0;
  t->seconds[gone] += t2 - t1;
  t->iterations[made] += BATCH;
  t->iterations[gone] += BATCH;
}

static void endpoint_batch_wide(bench *b, timing *t) {
  PWSTR er = NULL, props;
  HRESULT hr;
  double t0 = bench_seconds();
  for (int j = 0; j < BATCH; j++) {
    HCN_ENDPOINT h;
    if (FAILED(hr = HcnCreateEndpoint(b->net_wide, NULL, b->ep_docs_wide[j], &h, &er))) die(b, "HcnCreateEndpoint", hr);
    if (FAILED(hr = HcnQueryEndpointProperties(h, b->query_wide, &props, &er))) die(b, "HcnQueryEndpointProperties", hr);
    id_of_wide(b, props, &b->batch[j]);
    fold(b, props, wide_len(props) * sizeof *props);
    CoTaskMemFree(props);
    HcnCloseEndpoint(h);
  }
  double t1 = bench_seconds();
  for (int j = 0; j < BATCH; j++)
    if (FAILED(hr = HcnDeleteEndpoint(&b->batch[j], &er))) die(b, "HcnDeleteEndpoint", hr);
  double t2 = bench_seconds();
  t->seconds[P_CREATE_WIDE] += t1 - t0;
  t->seconds[P_DELETE_WIDE] += t2 - t1;
  t->iterations[P_CREATE_WIDE] += BATCH;
  t->iterations[P_DELETE_WIDE] += BATCH;
}

static void open_query(bench *b, uint64_t iterations, timing *t) {
  char *er = NULL, *props;
  hns_hr hr;
  double t0 = bench_seconds();
  for (uint64_t i = 0; i < iterations; i++) {
    hns_handle *h;
    if (HNS_FAILED(hr = hns_open(b->svc, HNS_ENDPOINT, &b->guids[next_random(b) % b->n], &h, &er))) die(b, "hns_open", hr);
    if (HNS_FAILED(hr = hns_query_properties(h, QUERY, &props, &er))) die(b, "hns_query_properties", hr);
    fold(b, props, strlen(props));
    free(props);
    hns_close(h);
  }
  t->seconds[P_OPEN] += bench_seconds() - t0;
  t->iterations[P_OPEN] += iterations;
}

static void enumerate(bench *b, uint64_t iterations, int phase, char **queries, timing *t) {
  char *er = NULL, *ids;
  hns_hr hr;
  double t0 = bench_seconds();
  for (uint64_t i = 0; i < iterations; i++) {
    if (HNS_FAILED(hr = hns_enumerate(b->svc, HNS_ENDPOINT, queries[next_random(b) % b->n], &ids, &er)))
      die(b, "hns_enumerate", hr);
    fold(b, ids, strlen(ids));
    free(ids);
  }
  t->seconds[phase] += bench_seconds() - t0;
  t->iterations[phase] += iterations;
}

/* One run of every phase, each about `calls` counted calls. */
static void run_phases(bench *b, uint64_t calls, timing *t) {
  memset(t, 0, sizeof *t);
  uint64_t pairs = (calls / 2 + BATCH - 1) / BATCH;
  uint64_t ep_next = 0; /* each batch takes the BATCH endpoint documents in order */
  for (uint64_t k = 0; k < pairs; k++) create_batch(b, HNS_ENDPOINT, b->net, b->ep_docs, BATCH, &ep_next, P_CREATE, P_DELETE, t);
  for (uint64_t k = 0; k < pairs; k++) endpoint_batch_wide(b, t);
  open_query(b, calls / 2, t);
  enumerate(b, calls, P_ENUM_NAME, b->by_name, t);
  enumerate(b, calls, P_ENUM_ID, b->by_id, t);
  for (uint64_t k = 0; k < pairs; k++)
    create_batch(b, HNS_LOADBALANCER, NULL, b->lb_docs, LB_RING, &b->lb_next, P_LB, P_LB_DELETE, t);
}

/* ---- main ---------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: bench_hnsmock [--populations N,N,...] [--calls N] [--repeat N] [--seed N]\n"
          "hnsmock's HCN API, JSON in and out, with N endpoints already on the host.\n"
          "  --populations  endpoints created before timing; default 10000\n"
          "  --calls        counted calls per phase and run; default 400000\n"
          "  --repeat       runs of every phase; the median is reported; default 5\n"
          "  --seed         the service's seed and the benchmark's draws; default 1\n");
}

int main(int argc, char **argv) {
  const char *pops = "10000";
  uint64_t calls = 400000, repeat = 5, seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--populations") && v) {
      pops = v;
    } else if (!strcmp(a, "--calls") && v) {
      bad = bench_parse_u64(v, &calls) || calls < 2;
    } else if (!strcmp(a, "--repeat") && v) {
      bad = bench_parse_u64(v, &repeat) || repeat < 1 || repeat > MAX_RUNS;
    } else if (!strcmp(a, "--seed") && v) {
      bad = bench_parse_u64(v, &seed);
    } else {
      fprintf(stderr, "bench_hnsmock: unknown or incomplete option '%s'\n", a);
      usage(stderr);
      return 2;
    }
    if (bad) {
      fprintf(stderr, "bench_hnsmock: %s: '%s' is out of range\n", a, v);
      return 2;
    }
    i++;
  }
  char *list = xstrdup(pops);
  for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
    uint64_t n;
    if (bench_parse_u64(tok, &n) || n < 1 || n > 1000000) {
      fprintf(stderr, "bench_hnsmock: --populations: '%s' is not a whole number from 1 to 1000000\n", tok);
      free(list);
      return 2;
    }
    bench b;
    size_t heap, rss;
    double t0 = bench_seconds();
    setup(&b, (size_t)n, seed, &heap, &rss);
    double setup_s = bench_seconds() - t0;
    double rates[NPHASES][MAX_RUNS];
    uint64_t counted[NPHASES];
    for (uint64_t r = 0; r < repeat; r++) {
      timing t;
      run_phases(&b, calls, &t);
      for (int p = 0; p < NPHASES; p++) {
        counted[p] = t.iterations[p] * (uint64_t)calls_per_iteration[p];
        rates[p][r] = (double)counted[p] / t.seconds[p];
      }
    }
    for (int p = 0; p < NPHASES; p++) {
      qsort(rates[p], repeat, sizeof(double), cmp_double);
      double median = repeat % 2 ? rates[p][repeat / 2] : (rates[p][repeat / 2 - 1] + rates[p][repeat / 2]) / 2;
      printf("hnsmock population=%" PRIu64 " phase=%s calls=%" PRIu64 " runs=%" PRIu64
             " calls_per_s=%.0f ns_per_call=%.1f min_calls_per_s=%.0f max_calls_per_s=%.0f\n",
             n, phase_names[p], counted[p], repeat, median, 1e9 / median, rates[p][0], rates[p][repeat - 1]);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("hnsmock population=%" PRIu64 " check=%016" PRIx64 " setup_s=%.3f heap_bytes_per_endpoint=%.0f"
           " rss_bytes_per_endpoint=%.0f peak_rss_kb=%ld\n",
           n, b.check, setup_s, (double)heap / (double)n, (double)rss / (double)n, ru.ru_maxrss);
    fflush(stdout);
    teardown(&b);
  }
  free(list);
  return 0;
}
