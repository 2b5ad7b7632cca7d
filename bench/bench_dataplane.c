/* bench_dataplane.c: the data plane's speed and size (issue 4 point 9):
 * a pods x pods truth table (target: 1 000 x 1 000 in <= 2 s), probes per
 * second between pods on different hosts with traces off and on, and the
 * bytes the model spends per endpoint and per load balancer.
 *
 * The cluster is the seed's ACS design, built through sim/sim_net.h as
 * tests/net_fixture.h builds it: one "vnet" segment (100 us) with a router
 * "azure" (10.240.0.1/16) holding one user-defined route per host; `--hosts`
 * Windows hosts (10.240.0.4, .5, ...), each with an L2Bridge network cbr0
 * bound to its NIC whose host vNIC holds the gateway 10.244.H.2 of the
 * host's pod /24; `--pods` pods spread round-robin over the hosts, each a
 * compartment with one endpoint 10.244.H.(10+k) and a default route to the
 * gateway. Every compartment accepts every port.
 *
 * Phases:
 *   memory        a fresh sim_net with one host and one L2Bridge network
 *                 (a /12) gets `--endpoints` pods (compartment, endpoint,
 *                 attach, default route); the heap in use (glibc's
 *                 mallinfo2, mapped chunks included) and the resident set
 *                 grown, divided by N. Run
 *                 first, so the RSS figure comes from a fresh heap.
 *   memory_lb     `--lbs` load balancers of `--backends` backends each (one
 *                 VIP, TCP 80 -> 8080) in one host's sim_lb table: heap per
 *                 load balancer. The table is sim_lb's; the walk does not
 *                 consult it yet (sim/sim_policy.h will wire it).
 *   truth_table   sim_truth over the cluster: every pod's endpoint x every
 *                 pod's address, TCP 80, all expected delivered; the
 *                 seconds sim_truth_fill takes (built and expected before
 *                 the clock starts), the best of `--repeat` fills.
 *   probes        sim_probe_run between pods on different hosts (pairs
 *                 drawn before the clock starts, 4096 of them, cycled),
 *                 `--probes` per run, without a trace and with one reused
 *                 trace; the median of `--repeat` runs.
 *   policy        the point 9 case through sim/sim_policy.h: `--lbs`
 *                 load balancers of `--backends` backends (VIP 10.96.x.y
 *                 TCP 80 -> 8080, backends the cluster's pods) on node000,
 *                 and `--rules` Calico-shaped ACL rules (bench_acl.c's
 *                 shape: peers in 10.2.0.0/16, 120 service ports, Allow
 *                 and Block, then an Allow-all per direction) on every
 *                 sender's endpoint there; probes from every other pod of
 *                 node000 (its other pods are the local backends, so no
 *                 sender is given itself: hairpin is not modelled) to
 *                 random VIPs, 4096 flows (each its own source port)
 *                 cycled, so after the first cycle the LB stage finds them
 *                 in connection tracking; trace off, the median of
 *                 `--repeat` runs; heap per load balancer as added there.
 * The check values fold every verdict and completion time and must be equal
 * on every run with the same options. Only this program reads the clock;
 * nothing here is a test. */
#define _GNU_SOURCE /* mallinfo2 */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_args.h"
#include "bench_clock.h"
#include "sim_lb.h"
#include "sim_net.h"
#include "sim_probe.h"
#include "sim_rng.h"
#include "sim_truth.h"
#include "sim_policy.h"

#define NPAIRS 4096
#define MAX_RUNS 99
#define MAX_PODS_PER_HOST 240 /* 10.244.H.10 .. .249 */
#define MAX_HOSTS 250         /* 10.244.0.0/24 .. 10.244.249.0/24 */

static void die(const char *what, const char *why) {
  fprintf(stderr, "bench_dataplane: %s: %s\n", what, why);
  exit(3);
}

#define NET(net, call)                                      \
  do {                                                      \
    if ((call) != SIM_OK) die(#call, sim_net_last_error(net)); \
  } while (0)

static sim_ip ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  sim_ip ip;
  memset(&ip, 0, sizeof(ip));
  ip.family = 4;
  ip.b[0] = (uint8_t)a, ip.b[1] = (uint8_t)b, ip.b[2] = (uint8_t)c, ip.b[3] = (uint8_t)d;
  return ip;
}

static sim_prefix pfx4(sim_ip ip, uint8_t len) {
  sim_prefix p;
  p.addr = ip;
  p.len = len;
  return p;
}

static size_t resident_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long size, resident = 0;
  if (f && fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
  if (f) fclose(f);
  return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* Bytes malloc has handed out: small chunks (uordblks) and the large ones
 * it maps apart (hblkhd), which uordblks alone would miss. */
static size_t heap_bytes(void) {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

/* A pod: compartment `comp`, endpoint `ep` on cbr0 with `addr`, default route via `gw`. */
static void add_pod(sim_net *net, const char *host, const char *comp, const char *ep, sim_prefix addr, uint64_t mac,
                    sim_ip gw) {
  sim_port_spec s;
  memset(&s, 0, sizeof(s));
  s.name = ep;
  s.network = "cbr0";
  s.addr[0] = addr;
  sim_mac_from_u64(mac, &s.mac);
  NET(net, sim_net_compartment_add(net, host, comp));
  NET(net, sim_net_port_add(net, host, &s));
  NET(net, sim_net_port_attach(net, host, ep, comp));
  sim_route_spec r = {comp, pfx4(ip4(0, 0, 0, 0), 0), gw, ep, 0, "default"};
  NET(net, sim_net_route_add(net, host, &r));
}

/* A Windows host with NIC `nic_ip`/16 on vnet, a default route to the
 * router, and an L2Bridge cbr0 whose host vNIC holds `gw`/`len`. */
static void add_windows_host(sim_net *net, const char *host, sim_ip nic_ip, uint64_t mac, sim_ip gw, uint8_t len) {
  NET(net, sim_net_host_add(net, host, SIM_HOST_WINDOWS));
  sim_prefix a = pfx4(nic_ip, 16);
  sim_mac m;
  sim_mac_from_u64(mac, &m);
  NET(net, sim_net_nic_add(net, host, "Ethernet", "vnet", &a, &m));
  sim_route_spec r = {SIM_HOST_COMPARTMENT, pfx4(ip4(0, 0, 0, 0), 0), ip4(10, 240, 0, 1), "Ethernet", 0, "default"};
  NET(net, sim_net_route_add(net, host, &r));
  sim_prefix v = pfx4(gw, len);
  sim_network_spec n = {"cbr0", SIM_NET_L2BRIDGE, "Ethernet", "vEthernet (cbr0)", &v};
  NET(net, sim_net_network_add(net, host, &n));
}

static void fabric(sim_net *net) {
  NET(net, sim_net_segment_add(net, "vnet", SIM_US(100), 0.0));
  NET(net, sim_net_router_add(net, "azure"));
  sim_prefix gw = pfx4(ip4(10, 240, 0, 1), 16);
  NET(net, sim_net_router_iface_add(net, "azure", "gw", "vnet", &gw));
}

typedef struct cluster {
  sim_world *world;
  sim_net *net;
  size_t hosts, pods;
  char (*host_of)[32]; /* per pod */
  char (*ep_of)[24];
  sim_ip *ip_of;
} cluster;

static void cluster_build(cluster *c, size_t hosts, size_t pods, uint64_t seed) {
  memset(c, 0, sizeof(*c));
  c->hosts = hosts, c->pods = pods;
  c->host_of = calloc(pods, sizeof(*c->host_of));
  c->ep_of = calloc(pods, sizeof(*c->ep_of));
  c->ip_of = calloc(pods, sizeof(*c->ip_of));
  if (!c->host_of || !c->ep_of || !c->ip_of) die("cluster", "out of memory");
  if (sim_world_create(seed, &c->world) || sim_net_create(c->world, &c->net)) die("cluster", "out of memory");
  fabric(c->net);
  for (size_t h = 0; h < hosts; h++) {
    char name[32];
    snprintf(name, sizeof(name), "node%03zu", h);
    sim_ip nic = ip4(10, 240, (unsigned)((4 + h) >> 8), (unsigned)((4 + h) & 255));
    add_windows_host(c->net, name, nic, 0x00155D000000ull + h, ip4(10, 244, (unsigned)h, 2), 24);
    sim_prefix pods_of_host = pfx4(ip4(10, 244, (unsigned)h, 0), 24);
    char id[48];
    snprintf(id, sizeof(id), "udr-%s", name);
    NET(c->net, sim_net_router_route_add(c->net, "azure", &pods_of_host, &nic, 0, id));
  }
  for (size_t k = 0; k < pods; k++) {
    size_t h = k % hosts, j = k / hosts;
    char comp[24];
    snprintf(c->host_of[k], sizeof(c->host_of[k]), "node%03zu", h);
    snprintf(c->ep_of[k], sizeof(c->ep_of[k]), "ep-%zu", k);
    snprintf(comp, sizeof(comp), "pod-%zu", k);
    c->ip_of[k] = ip4(10, 244, (unsigned)h, (unsigned)(10 + j));
    add_pod(c->net, c->host_of[k], comp, c->ep_of[k], pfx4(c->ip_of[k], 24), 0x00155E000000ull + k,
            ip4(10, 244, (unsigned)h, 2));
  }
}

static void cluster_free(cluster *c) {
  sim_net_destroy(c->net);
  sim_world_destroy(c->world);
  free(c->host_of);
  free(c->ep_of);
  free(c->ip_of);
}

/* ---- memory ------------------------------------------------------------------ */

static void phase_memory(size_t n, uint64_t seed) {
  sim_world *w;
  sim_net *net;
  if (sim_world_create(seed, &w) || sim_net_create(w, &net)) die("memory", "out of memory");
  fabric(net);
  add_windows_host(net, "node", ip4(10, 240, 0, 4), 0x00155D000000ull, ip4(10, 0, 0, 2), 12);
  size_t heap0 = heap_bytes(), rss0 = resident_bytes();
  for (size_t k = 0; k < n; k++) {
    char comp[24], ep[24];
    snprintf(comp, sizeof(comp), "pod-%zu", k);
    snprintf(ep, sizeof(ep), "ep-%zu", k);
    uint32_t a = (uint32_t)(10 + k);
    add_pod(net, "node", comp, ep, pfx4(ip4(10, a >> 16 & 15, a >> 8 & 255, a & 255), 12), 0x00155E000000ull + k,
            ip4(10, 0, 0, 2));
  }
  size_t heap = heap_bytes() - heap0, rss = resident_bytes() - rss0;
  printf("dataplane phase=memory endpoints=%zu heap_bytes_per_endpoint=%.0f rss_bytes_per_endpoint=%.0f\n", n,
         (double)heap / (double)n, (double)rss / (double)n);
  sim_net_destroy(net);
  sim_world_destroy(w);
}

static void phase_memory_lb(size_t nlb, size_t nbackends) {
  sim_lb_profile prof = {1, 1, 1};
  sim_lb_table *t;
  sim_lb_backend *be = calloc(nbackends ? nbackends : 1, sizeof(*be));
  if (!be || sim_lb_table_create(&prof, 1, &t)) die("memory_lb", "out of memory");
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  size_t heap0 = heap_bytes();
  for (size_t i = 0; i < nlb; i++) {
    char id[32];
    snprintf(id, sizeof(id), "svc-%zu", i);
    sim_ip vip = ip4(10, 96, (unsigned)(i >> 8 & 255), (unsigned)(i & 255));
    for (size_t b = 0; b < nbackends; b++) {
      size_t k = i * 7 + b * 131; /* spread over 10.244.0-9.x */
      be[b].ip = ip4(10, 244, (unsigned)(k % 10), (unsigned)(10 + k / 10 % 240));
      be[b].local = k % 10 == 0;
    }
    sim_lb_spec s = {id, &vip, 1, &m, 1, be, nbackends, 0, NULL, 0, 0};
    if (sim_lb_add(t, &s)) die("sim_lb_add", sim_lb_errmsg(t));
  }
  size_t heap = heap_bytes() - heap0;
  printf("dataplane phase=memory_lb lbs=%zu backends=%zu heap_bytes_per_lb=%.0f\n", nlb, nbackends,
         (double)heap / (double)nlb);
  sim_lb_table_destroy(t);
  free(be);
}

/* ---- truth table -------------------------------------------------------------- */

static void phase_truth(const cluster *c, uint64_t repeat) {
  sim_truth *t;
  if (sim_truth_create(&t)) die("truth", "out of memory");
  for (size_t k = 0; k < c->pods; k++) {
    char label[32];
    snprintf(label, sizeof(label), "p%zu", k);
    sim_truth_source s = {label, c->host_of[k], c->ep_of[k], NULL};
    if (sim_truth_source_add(t, &s)) die("sim_truth_source_add", sim_truth_last_error(t));
  }
  for (size_t k = 0; k < c->pods; k++) {
    char label[32];
    snprintf(label, sizeof(label), "p%zu:80", k);
    sim_truth_target d = {label, c->ip_of[k], SIM_IPPROTO_TCP, 80};
    if (sim_truth_target_add(t, &d)) die("sim_truth_target_add", sim_truth_last_error(t));
  }
  if (sim_truth_expect_all(t, SIM_TRUTH_DELIVERED)) die("sim_truth_expect_all", sim_truth_last_error(t));
  double best = 0;
  sim_truth_tally tally;
  for (uint64_t r = 0; r < repeat; r++) {
    double t0 = bench_seconds();
    if (sim_truth_fill(t, c->net)) die("sim_truth_fill", sim_truth_last_error(t));
    double s = bench_seconds() - t0;
    if (r == 0 || s < best) best = s;
  }
  if (sim_truth_tally_get(t, &tally)) die("sim_truth_tally_get", sim_truth_last_error(t));
  size_t cells = c->pods * c->pods;
  printf("dataplane phase=truth_table hosts=%zu pods=%zu cells=%zu runs=%" PRIu64
         " seconds=%.3f probes_per_s=%.0f correct=%zu wrong=%zu unexpected_pass=%zu ignored=%zu\n",
         c->hosts, c->pods, cells, repeat, best, (double)cells / best, tally.correct, tally.wrong,
         tally.unexpected_pass, tally.ignored);
  sim_truth_destroy(t);
}

/* ---- probes --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void phase_probes(const cluster *c, uint64_t probes, uint64_t repeat, int traced, uint64_t seed) {
  static sim_probe_spec specs[NPAIRS];
  sim_rng g;
  sim_rng_init(&g, seed, "bench-dataplane-pairs");
  for (int i = 0; i < NPAIRS; i++) {
    size_t a = (size_t)(sim_rng_u64(&g) % c->pods), b;
    do b = (size_t)(sim_rng_u64(&g) % c->pods);
    while (c->hosts > 1 && b % c->hosts == a % c->hosts);
    specs[i] = (sim_probe_spec){c->host_of[a], c->ep_of[a], NULL, c->ip_of[b], SIM_IPPROTO_TCP, 80, 0, 0};
  }
  sim_trace *trace = NULL;
  if (traced && sim_trace_create(&trace)) die("sim_trace_create", "out of memory");
  double rates[MAX_RUNS];
  uint64_t check = 0, hops = 0;
  for (uint64_t r = 0; r < repeat; r++) {
    uint64_t sum = 0;
    double t0 = bench_seconds();
    for (uint64_t i = 0; i < probes; i++) {
      sim_probe_result res;
      if (sim_probe_run(c->net, &specs[i & (NPAIRS - 1)], trace, &res)) die("sim_probe_run", sim_net_last_error(c->net));
      sum = (sum ^ ((uint64_t)(res.finished - res.started) << 3 | (uint64_t)res.verdict)) * 0x100000001B3ull;
      sum ^= sum >> 29;
    }
    rates[r] = (double)probes / (bench_seconds() - t0);
    if (r == 0) check = sum;
    else if (sum != check) die("probes", "the check value differs between runs");
  }
  if (trace) hops = sim_trace_count(trace);
  sim_trace_destroy(trace);
  qsort(rates, repeat, sizeof(*rates), cmp_double);
  double median = repeat % 2 ? rates[repeat / 2] : (rates[repeat / 2 - 1] + rates[repeat / 2]) / 2;
  printf("dataplane phase=probes trace=%s hosts=%zu pods=%zu probes=%" PRIu64 " runs=%" PRIu64
         " probes_per_s=%.0f ns_per_probe=%.1f min_probes_per_s=%.0f max_probes_per_s=%.0f hops_last=%" PRIu64
         " check=%016" PRIx64 "\n",
         traced ? "on" : "off", c->hosts, c->pods, probes, repeat, median, 1e9 / median, rates[0],
         rates[repeat - 1], hops, check);
}

/* ---- policy: LBs and ACLs on the path ------------------------------------------- */

#define RULE_TEXT 320

/* Rule i of n, as HNS's strings into `buf` (bench_acl.c's shape). */
static sim_acl_rule_text policy_rule(sim_rng *g, uint64_t i, uint64_t n, char buf[4][RULE_TEXT]) {
  static const uint16_t common[] = {53, 80, 443, 8080, 8443, 9090, 6379, 5432, 3306, 27017};
  sim_acl_rule_text r;
  memset(&r, 0, sizeof(r));
  r.rule_type = SIM_ACL_SWITCH;
  if (i + 2 >= n) { /* Allow-all, In then Out, last */
    r.id = "allow-all", r.priority = 65000, r.action = SIM_ACL_ALLOW;
    r.direction = i + 2 == n ? SIM_ACL_IN : SIM_ACL_OUT;
    return r;
  }
  r.id = "policy-rule";
  r.priority = (uint16_t)(1000 + i / 8);
  r.direction = sim_rng_u64(g) % 10 < 6 ? SIM_ACL_IN : SIM_ACL_OUT;
  r.action = sim_rng_u64(g) % 8 ? SIM_ACL_ALLOW : SIM_ACL_BLOCK;
  snprintf(buf[0], RULE_TEXT, "%u", sim_rng_u64(g) % 4 ? 6u : 17u);
  size_t k = (size_t)(sim_rng_u64(g) % 120);
  unsigned port = k < 10 ? common[k] : (unsigned)(10000 + 37 * k);
  if (sim_rng_u64(g) % 10) snprintf(buf[1], RULE_TEXT, "%u", port);
  else snprintf(buf[1], RULE_TEXT, "%u-%u", port, port + 100);
  size_t used = 0, np = 1 + (size_t)(sim_rng_u64(g) % 16);
  for (size_t p = 0; p < np; p++)
    used += (size_t)snprintf(buf[2] + used, RULE_TEXT - used, "%s10.2.%u.%u/%u", p ? "," : "",
                             (unsigned)(sim_rng_u64(g) % 256), (unsigned)(sim_rng_u64(g) % 256),
                             sim_rng_u64(g) % 10 ? 32u : 24u);
  r.protocols = buf[0];
  if (r.direction == SIM_ACL_IN) r.local_ports = buf[1];
  else r.remote_ports = buf[1];
  r.remote_addresses = buf[2];
  return r;
}

static void phase_policy(const cluster *c, size_t nlb, size_t nbackends, uint64_t nrules, uint64_t probes,
                         uint64_t repeat, uint64_t seed) {
  sim_rng g;
  sim_rng_init(&g, seed, "bench-dataplane-policy");
  sim_acl_rule_text *rules = calloc(nrules, sizeof(*rules));
  char (*text)[4][RULE_TEXT] = calloc(nrules, sizeof(*text));
  sim_lb_backend *be = calloc(nbackends ? nbackends : 1, sizeof(*be));
  if (!rules || !text || !be) die("policy", "out of memory");
  for (uint64_t i = 0; i < nrules; i++) rules[i] = policy_rule(&g, i, nrules, text[i]);
  /* Senders: every other pod of host 0; its other pods are the local
   * backends, so no sender is ever given itself (a hairpin, which the
   * model does not carry: such a probe ends dropped). */
  size_t senders = 0;
  for (size_t k = 0; k < c->pods; k += 2 * c->hosts, senders++)
    NET(c->net, sim_policy_acl_set(c->net, c->host_of[k], c->ep_of[k], SIM_ACL_PROFILE_PROCESS, rules, nrules));
  sim_lb_mapping m = {SIM_IPPROTO_TCP, 8080, 80, SIM_LB_DIST_NONE, 0};
  size_t heap0 = heap_bytes();
  for (size_t i = 0; i < nlb; i++) {
    char id[32];
    snprintf(id, sizeof(id), "svc-%zu", i);
    sim_ip vip = ip4(10, 96, (unsigned)(i >> 8 & 255), (unsigned)(i & 255));
    for (size_t b = 0; b < nbackends; b++) {
      size_t k = (size_t)(sim_rng_u64(&g) % c->pods);
      if (k % (2 * c->hosts) == 0) k = (k + c->hosts) % c->pods; /* a sender: its host-0 neighbour instead */
      be[b].ip = c->ip_of[k];
      be[b].local = k % c->hosts == 0;
    }
    sim_lb_spec s = {id, &vip, 1, &m, 1, be, nbackends, 0, NULL, 0, 0};
    NET(c->net, sim_policy_lb_add(c->net, c->host_of[0], &s));
  }
  double per_lb = (double)(heap_bytes() - heap0) / (double)nlb;
  static sim_probe_spec specs[NPAIRS];
  for (int i = 0; i < NPAIRS; i++) {
    size_t a = (size_t)(sim_rng_u64(&g) % senders) * 2 * c->hosts, v = (size_t)(sim_rng_u64(&g) % nlb);
    specs[i] = (sim_probe_spec){c->host_of[a], c->ep_of[a], NULL, ip4(10, 96, (unsigned)(v >> 8 & 255), (unsigned)(v & 255)),
                                SIM_IPPROTO_TCP, 80, (uint16_t)(1024 + i), 0};
  }
  double rates[MAX_RUNS];
  uint64_t delivered = 0;
  for (uint64_t r = 0; r < repeat; r++) {
    uint64_t ok = 0;
    double t0 = bench_seconds();
    for (uint64_t i = 0; i < probes; i++) {
      sim_probe_result res;
      if (sim_probe_run(c->net, &specs[i & (NPAIRS - 1)], NULL, &res)) die("sim_probe_run", sim_net_last_error(c->net));
      ok += res.verdict == SIM_PROBE_DELIVERED;
    }
    rates[r] = (double)probes / (bench_seconds() - t0);
    if (r == 0) delivered = ok;
  }
  qsort(rates, repeat, sizeof(*rates), cmp_double);
  double median = repeat % 2 ? rates[repeat / 2] : (rates[repeat / 2 - 1] + rates[repeat / 2]) / 2;
  printf("dataplane phase=policy lbs=%zu backends=%zu rules=%" PRIu64 " senders=%zu probes=%" PRIu64
         " runs=%" PRIu64 " probes_per_s=%.0f ns_per_probe=%.1f min_probes_per_s=%.0f max_probes_per_s=%.0f"
         " delivered=%" PRIu64 " heap_bytes_per_lb=%.0f\n",
         nlb, nbackends, nrules, senders, probes, repeat, median, 1e9 / median, rates[0], rates[repeat - 1],
         delivered, per_lb);
  free(rules);
  free(text);
  free(be);
}

/* ---- main ------------------------------------------------------------------------ */

static void usage(FILE *f) {
  fprintf(f,
          "usage: bench_dataplane [--hosts N] [--pods N] [--probes N] [--repeat N] [--endpoints N]\n"
          "                       [--lbs N] [--backends N] [--seed N]\n"
          "The data plane's truth table, probes/s and memory (see the top of bench_dataplane.c).\n"
          "  --hosts      Windows hosts of the cluster; default 10 (at most %d)\n"
          "  --pods       pods, spread over the hosts; the truth table is pods x pods; default 1000\n"
          "  --probes     probes per timed run; default 2000000\n"
          "  --repeat     runs of each timed phase; default 5 (1..%d)\n"
          "  --endpoints  pods on one host for the memory phase; default 100000 (at most 1000000)\n"
          "  --lbs        load balancers for memory_lb; default 10000 (at most 65536)\n"
          "  --backends   backends per load balancer; default 10\n"
          "  --rules      ACL rules per sender's endpoint (policy phase, 3..60000); default 1000\n"
          "  --seed       the world's seed and the pairs' draws; default 1\n",
          MAX_HOSTS, MAX_RUNS);
}

int main(int argc, char **argv) {
  uint64_t hosts = 10, pods = 1000, probes = 2000000, repeat = 5, endpoints = 100000, lbs = 10000, backends = 10,
           rules = 1000, seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    }
    uint64_t *dst = !strcmp(a, "--hosts")       ? &hosts
                    : !strcmp(a, "--pods")      ? &pods
                    : !strcmp(a, "--probes")    ? &probes
                    : !strcmp(a, "--repeat")    ? &repeat
                    : !strcmp(a, "--endpoints") ? &endpoints
                    : !strcmp(a, "--lbs")       ? &lbs
                    : !strcmp(a, "--backends")  ? &backends
                    : !strcmp(a, "--rules")     ? &rules
                    : !strcmp(a, "--seed")      ? &seed
                                                : NULL;
    if (!dst || i + 1 >= argc) {
      fprintf(stderr, "bench_dataplane: unknown or incomplete option '%s'\n", a);
      usage(stderr);
      return 2;
    }
    if (bench_parse_u64(argv[++i], dst)) {
      fprintf(stderr, "bench_dataplane: %s: '%s' is not a whole number\n", a, argv[i]);
      return 2;
    }
  }
  const char *bad = hosts < 1 || hosts > MAX_HOSTS               ? "--hosts"
                    : pods < 1 || pods > hosts * MAX_PODS_PER_HOST ? "--pods"
                    : probes < 1                                  ? "--probes"
                    : repeat < 1 || repeat > MAX_RUNS             ? "--repeat"
                    : endpoints < 1 || endpoints > 1000000        ? "--endpoints"
                    : lbs < 1 || lbs > 65536                      ? "--lbs"
                    : backends > 1000                             ? "--backends"
                    : rules < 3 || rules > 60000                  ? "--rules"
                                                                  : NULL;
  if (bad) {
    fprintf(stderr, "bench_dataplane: %s is out of range (--pods: at most %d per host)\n", bad, MAX_PODS_PER_HOST);
    return 2;
  }
  phase_memory((size_t)endpoints, seed);
  phase_memory_lb((size_t)lbs, (size_t)backends);
  cluster c;
  double t0 = bench_seconds();
  cluster_build(&c, (size_t)hosts, (size_t)pods, seed);
  printf("dataplane phase=setup hosts=%zu pods=%zu seconds=%.3f\n", c.hosts, c.pods, bench_seconds() - t0);
  phase_truth(&c, repeat);
  phase_probes(&c, probes, repeat, 0, seed);
  phase_probes(&c, probes, repeat, 1, seed);
  phase_policy(&c, (size_t)lbs, (size_t)backends, rules, probes, repeat, seed);
  fflush(stdout);
  cluster_free(&c);
  return 0;
}
