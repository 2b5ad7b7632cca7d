/* bench_acl.c: ACL lookups per second on one port holding Calico-shaped
 * rules (issue 4 point 3: a probe walks several stages and must reach
 * >= 1 000 000 probes/s with 1 000 ACL rules on a port, so the ACL lookup
 * alone should do >= 10 000 000/s).
 *
 * The rule set is what Calico's Windows dataplane writes for one pod (felix
 * dataplane/windows/policysets): Switch rules only; a host-to-endpoint Allow
 * at priority 900; policy rules from 1000 up, the priority moving on
 * whenever the action changes; each rule a protocol (TCP or UDP), a port
 * (the local port inbound, the remote port outbound) drawn from 120
 * service ports, one in ten a range, and a list of 1 to 16 peer addresses
 * (/32 pod IPs, or a /24) from 10.2.0.0/16; one rule in eight a Block; then
 * an any-protocol Block per direction at the end. 60 % of rules are
 * inbound. Flows are drawn before the clock starts: half aimed at a rule's
 * port and peer, half random, in both directions; 4096 of them, cycled.
 *
 * Options: --rules N (default 1000), --lookups N (default 20 000 000),
 * --repeat N (default 5; the median run is reported). The check value sums
 * the decisions and must be equal on every run with the same options. Only
 * this program reads the clock; nothing here is a test. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_args.h"
#include "bench_clock.h"
#include "sim_acl.h"
#include "sim_rng.h"

#define NFLOWS 4096
#define MAX_RUNS 99
#define MAX_PEERS 16

static uint16_t service_port(sim_rng *g) {
  static const uint16_t common[] = {53, 80, 443, 8080, 8443, 9090, 6379, 5432, 3306, 27017};
  size_t i = sim_rng_choice(g, 120);
  return i < 10 ? common[i] : (uint16_t)(10000 + 37 * i);
}

static sim_ip peer(sim_rng *g) {
  sim_ip ip;
  memset(&ip, 0, sizeof ip);
  ip.family = 4;
  ip.b[0] = 10, ip.b[1] = 2, ip.b[2] = (uint8_t)sim_rng_choice(g, 256), ip.b[3] = (uint8_t)sim_rng_choice(g, 256);
  return ip;
}

typedef struct shaped {
  sim_acl_rule r;
  sim_prefix peers[MAX_PEERS];
  sim_acl_port_range port;
} shaped;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  uint64_t nrules = 1000, nlookups = 20000000, repeat = 5;
  for (int i = 1; i < argc; i++) {
    uint64_t *dst = !strcmp(argv[i], "--rules") ? &nrules : !strcmp(argv[i], "--lookups") ? &nlookups
                                                          : !strcmp(argv[i], "--repeat")  ? &repeat
                                                                                          : NULL;
    if (!dst || i + 1 >= argc || bench_parse_u64(argv[++i], dst) || (dst == &repeat && (repeat < 1 || repeat > MAX_RUNS))) {
      fprintf(stderr, "usage: %s [--rules N] [--lookups N] [--repeat 1..%d]\n", argv[0], MAX_RUNS);
      return 2;
    }
  }
  sim_rng g;
  sim_rng_init(&g, 42, "bench-acl");
  sim_acl_set *set = sim_acl_set_new(SIM_ACL_PROFILE_PROCESS);
  shaped *rules = calloc(nrules ? nrules : 1, sizeof *rules);
  if (!set || !rules) return 1;
  sim_ip local;
  sim_ip_parse("10.1.0.5", &local);
  char err[SIM_ACL_ERRLEN];
  uint16_t prio[2] = {1000, 1000};
  int last_action[2] = {-1, -1};
  for (uint64_t i = 0; i < nrules; i++) {
    shaped *x = &rules[i];
    sim_acl_rule *r = &x->r;
    r->rule_type = SIM_ACL_SWITCH;
    r->direction = sim_rng_choice(&g, 10) < 6 ? SIM_ACL_IN : SIM_ACL_OUT;
    int d = r->direction;
    if (i == 0) { /* host to endpoint */
      r->id = "allow-host-to-endpoint", r->direction = SIM_ACL_IN, r->priority = 900, r->action = SIM_ACL_ALLOW;
      sim_prefix_parse("10.1.0.1/32", &x->peers[0]);
      r->remote_addrs = x->peers, r->n_remote_addrs = 1;
    } else if (i + 2 >= nrules) { /* the default Block per direction */
      r->id = "default-block", r->direction = (sim_acl_dir)(nrules - i - 1), r->action = SIM_ACL_BLOCK;
      r->priority = (uint16_t)(prio[r->direction] + 1);
    } else {
      r->id = "policy-rule";
      r->action = sim_rng_choice(&g, 8) ? SIM_ACL_ALLOW : SIM_ACL_BLOCK;
      if (last_action[d] >= 0 && last_action[d] != (int)r->action) prio[d]++;
      last_action[d] = (int)r->action;
      r->priority = prio[d];
      unsigned p = sim_rng_choice(&g, 4) ? 6 : 17;
      r->protocols.bits[0] = (uint64_t)1 << p;
      uint16_t port = service_port(&g);
      x->port.lo = port, x->port.hi = sim_rng_choice(&g, 10) ? port : (uint16_t)(port + 100);
      if (d == SIM_ACL_IN)
        r->local_ports = &x->port, r->n_local_ports = 1;
      else
        r->remote_ports = &x->port, r->n_remote_ports = 1;
      size_t np = 1 + sim_rng_choice(&g, MAX_PEERS);
      for (size_t k = 0; k < np; k++) {
        x->peers[k].addr = peer(&g);
        x->peers[k].len = sim_rng_choice(&g, 10) ? 32 : 24;
      }
      r->remote_addrs = x->peers, r->n_remote_addrs = np;
    }
    if (sim_acl_set_add(set, r, err)) {
      fprintf(stderr, "rule %" PRIu64 ": %s\n", i, err);
      return 1;
    }
  }
  double t0 = bench_seconds();
  if (sim_acl_set_build(set)) return 1;
  double build_s = bench_seconds() - t0;

  static sim_flow flows[NFLOWS];
  static sim_acl_dir dirs[NFLOWS];
  for (int i = 0; i < NFLOWS; i++) {
    sim_flow *f = &flows[i];
    memset(f, 0, sizeof *f);
    dirs[i] = sim_rng_choice(&g, 2) ? SIM_ACL_IN : SIM_ACL_OUT;
    sim_ip remote = peer(&g);
    uint16_t rport = (uint16_t)(1024 + sim_rng_choice(&g, 60000)), lport = service_port(&g);
    f->proto = sim_rng_choice(&g, 4) ? 6 : 17;
    if (nrules > 3 && sim_rng_choice(&g, 2)) { /* aimed at a policy rule */
      const shaped *x = &rules[1 + sim_rng_choice(&g, nrules - 3)];
      dirs[i] = x->r.direction;
      remote = x->peers[sim_rng_choice(&g, x->r.n_remote_addrs)].addr;
      lport = x->port.lo;
      f->proto = (uint8_t)(x->r.protocols.bits[0] >> 6 & 1 ? 6 : 17);
    }
    /* The service port is the endpoint's inbound and the peer's outbound. */
    if (dirs[i] == SIM_ACL_IN)
      f->src = remote, f->dst = local, f->sport = rport, f->dport = lport;
    else
      f->src = local, f->dst = remote, f->sport = rport, f->dport = lport;
  }

  double rates[MAX_RUNS];
  uint64_t check = 0, allowed = 0;
  for (uint64_t run = 0; run < repeat; run++) {
    uint64_t sum = 0, allow = 0;
    double t = bench_seconds();
    for (uint64_t i = 0; i < nlookups; i++) {
      sim_acl_decision d;
      unsigned k = (unsigned)(i & (NFLOWS - 1));
      if (sim_acl_lookup(set, SIM_ACL_SWITCH, dirs[k], &flows[k], &d)) return 1;
      sum += (uint64_t)(d.rule + 1) * 3 + d.action;
      allow += d.action == SIM_ACL_ALLOW;
    }
    rates[run] = (double)nlookups / (bench_seconds() - t);
    if (run == 0) check = sum, allowed = allow;
    else if (sum != check) {
      fprintf(stderr, "check value differs between runs\n");
      return 1;
    }
  }
  qsort(rates, repeat, sizeof *rates, cmp_double);
  printf("rules %" PRIu64 "  build %.3f ms  lookups %" PRIu64 " x %" PRIu64 "  median %.2f M lookups/s"
         "  (min %.2f, max %.2f)  allowed %.1f %%  check %" PRIu64 "\n",
         nrules, build_s * 1e3, nlookups, repeat, rates[repeat / 2] / 1e6, rates[0] / 1e6, rates[repeat - 1] / 1e6,
         nlookups ? 100.0 * (double)allowed / (double)nlookups : 0.0, check);
  sim_acl_set_free(set);
  free(rules);
  return 0;
}
