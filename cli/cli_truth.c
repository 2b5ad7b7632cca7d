/* cli_truth.c: `hnsim truth`: a truth table over a built-in topology
 * (topology.h): every pod endpoint and cluster host as a source, every pod
 * endpoint, host, Linux bridge, external host and service address as a
 * target, for each protocol asked; the verdicts observed (sim_truth.h),
 * compared with the ones the seed implies for the topology on its profile
 * and with the user's own rules; optionally every frame of every probe as
 * one pcapng. Exit 1 when a cell is wrong or an unexpected pass, so CI can
 * hold a design to its matrix.
 *
 * Rules are "ROW COLUMN VERDICT": ROW and COLUMN are glob patterns
 * (fnmatch) over the labels, VERDICT one of delivered, dropped, no-route,
 * refused, timed-out, blocked (any verdict but delivered) or ignored.
 * Every cell starts expected delivered; the topology's rules apply in
 * order, then a source's probes to its own compartment are ignored (as
 * Cyclonus ignores a pod's probe to itself), then the --expect rules in
 * the order given. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "sim_net_query.h"
#include "sim_truth.h"
#include "topology.h"
#include "trace_out.h"

#define MAX_PROTOS 8
#define MAX_RULES 32
#define MAX_LABEL (SIM_TRUTH_LABEL_MAX + 1)

static void usage(FILE *f) {
  fprintf(f,
          "usage: hnsim truth [--profile P] [--seed N] [--proto LIST] [--expect RULE]... [--pcap FILE]\n"
          "                   TOPOLOGY\n"
          "Builds a topology of the seed's designs (hnsim trace --list), probes from every\n"
          "source to every target and prints the truth table: what was observed, compared\n"
          "with what the seed implies for that design on that Windows version.\n"
          "\n"
          "  sources   each pod (HOST/ENDPOINT; HOST/COMPARTMENT for a pod with several\n"
          "            endpoints, whose routes pick one) and each cluster host (HOST, its\n"
          "            host compartment); the external host web is a target only\n"
          "  targets   each pod endpoint, host (its first NIC), Linux bridge, the external\n"
          "            host and the topology's service addresses, as LABEL:PROTO\n"
          "\n"
          "options:\n"
          "  --profile P      the Windows version the hosts run (default: the topology's own)\n"
          "  --seed N         the seed IDs, MACs and random draws derive from (default %d)\n"
          "  --proto LIST     comma-separated tcp/PORT, udp/PORT or icmp (default tcp/80)\n"
          "  --expect RULE    \"ROW COLUMN VERDICT\": the cells whose labels match the glob\n"
          "                   patterns ROW and COLUMN are expected to show VERDICT: delivered,\n"
          "                   dropped, no-route, refused, timed-out, blocked (anything but\n"
          "                   delivered) or ignored; repeatable, later rules win, and they\n"
          "                   override the topology's own\n"
          "  --pcap FILE      write every frame of every probe to FILE (pcapng)\n"
          "\n"
          "output: the sources and targets with their addresses, the table (a row per\n"
          "source: '.' delivered, 'd' dropped, 'n' no route, 'r' refused, 't' timed out,\n"
          "followed by 'X' wrong, '+' unexpected pass, '?' ignored), the tally as Cyclonus\n"
          "gives it, and the reason of every cell that differs from its expectation.\n"
          "\n"
          "example:\n"
          "  hnsim truth acs-udr\n"
          "  hnsim truth acs-no-udr                     # node2's pods unreachable, as expected\n"
          "  hnsim truth --proto tcp/80,tcp/81 network-policy\n"
          "  hnsim truth --profile ws2016 service-vip   # the VIP answers on node1 only\n"
          "  hnsim truth --expect '* web:* blocked' one-host   # fails: the internet is reached\n"
          "\n"
          "exit status: 0 every cell as expected, 1 a cell wrong or an unexpected pass,\n"
          "             2 usage or input error, 3 internal error\n",
          CLI_DEFAULT_SEED);
}

typedef struct truth_args {
  const char *profile, *pcap, *topology, *protos;
  const char *rules[MAX_RULES];
  size_t nrules;
  uint64_t seed;
} truth_args;

/* -1 on a usage error (already reported), 1 for --help, 0 otherwise. */
static int parse_args(int argc, char **argv, truth_args *a) {
  cli_common c;
  cli_common_defaults(&c);
  c.profile = NULL;
  memset(a, 0, sizeof *a);
  a->protos = "tcp/80";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    if (!strcmp(argv[i], "--pcap")) {
      if (!(a->pcap = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--proto")) {
      if (!(a->protos = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--expect")) {
      const char *r = cli_flag_value(argc, argv, &i);
      if (!r) return -1;
      if (a->nrules == MAX_RULES) {
        fprintf(stderr, "hnsim truth: --expect: more than %d rules\n", MAX_RULES);
        return -1;
      }
      a->rules[a->nrules++] = r;
    } else if (!strcmp(argv[i], "--profile") || !strcmp(argv[i], "--seed")) {
      if (cli_common_option(&c, argc, argv, &i) < 0) return -1;
    } else if (!strncmp(argv[i], "--", 2)) {
      fprintf(stderr, "hnsim truth: unknown option '%s'\n", argv[i]);
      return -1;
    } else if (a->topology) {
      fprintf(stderr, "hnsim truth: too many arguments ('%s')\n", argv[i]);
      return -1;
    } else {
      a->topology = argv[i];
    }
  }
  a->profile = c.profile;
  a->seed = c.seed;
  if (!a->topology) {
    fprintf(stderr, "hnsim truth: TOPOLOGY is needed (hnsim trace --list)\n");
    return -1;
  }
  return 0;
}

typedef struct proto_arg {
  char name[16];
  uint8_t proto;
  uint16_t port;
} proto_arg;

static int parse_protos(const char *list, proto_arg out[MAX_PROTOS], size_t *n) {
  *n = 0;
  for (const char *s = list;;) {
    const char *comma = strchr(s, ',');
    size_t len = comma ? (size_t)(comma - s) : strlen(s);
    proto_arg *p = &out[*n];
    if (*n == MAX_PROTOS || len >= sizeof p->name) {
      fprintf(stderr, "hnsim truth: --proto '%s': at most %d protocols of a few characters each\n", list, MAX_PROTOS);
      return -1;
    }
    memcpy(p->name, s, len);
    p->name[len] = '\0';
    if (cli_parse_proto(p->name, &p->proto, &p->port)) {
      fprintf(stderr, "hnsim truth: --proto: '%s' is not tcp/PORT, udp/PORT or icmp (PORT 1-65535)\n", p->name);
      return -1;
    }
    if (p->proto == SIM_IPPROTO_TCP && !strchr(p->name, '/')) snprintf(p->name, sizeof p->name, "tcp/80");
    (*n)++;
    if (!comma) return 0;
    s = comma + 1;
  }
}

/* A target before its protocols: what it is called, where it is, and the
 * compartment it lives in ("" when it is no compartment of the cluster). */
typedef struct target {
  char label[MAX_LABEL], host[SIM_QUERY_NAME], comp[SIM_QUERY_NAME];
  sim_ip addr;
} target;

/* A source: from an endpoint (port), from a compartment (from_comp, whose
 * routes pick the endpoint) or from the host (neither); comp is the
 * compartment it lives in. */
typedef struct source {
  char label[MAX_LABEL], host[SIM_QUERY_NAME], port[SIM_QUERY_NAME], from_comp[SIM_QUERY_NAME], comp[SIM_QUERY_NAME];
} source;

typedef struct matrix {
  source *src;
  target *dst;
  size_t nsrc, ndst, cap_src, cap_dst;
} matrix;

static int grow(void **v, size_t n, size_t *cap, size_t size) {
  if (n < *cap) return 0;
  size_t c = *cap ? *cap * 2 : 16;
  void *p = realloc(*v, c * size);
  if (!p) return -1;
  *v = p;
  *cap = c;
  return 0;
}

static int add_target(matrix *m, const char *label, const char *host, const char *comp, const sim_ip *addr) {
  if (grow((void **)&m->dst, m->ndst, &m->cap_dst, sizeof *m->dst)) return -1;
  target *t = &m->dst[m->ndst++];
  snprintf(t->label, sizeof t->label, "%s", label);
  snprintf(t->host, sizeof t->host, "%s", host);
  snprintf(t->comp, sizeof t->comp, "%s", comp);
  t->addr = *addr;
  return 0;
}

static int add_source(matrix *m, const char *label, const char *host, const char *port, const char *from_comp,
                      const char *comp) {
  if (grow((void **)&m->src, m->nsrc, &m->cap_src, sizeof *m->src)) return -1;
  source *s = &m->src[m->nsrc++];
  snprintf(s->label, sizeof s->label, "%s", label);
  snprintf(s->host, sizeof s->host, "%s", host);
  snprintf(s->port, sizeof s->port, "%s", port);
  snprintf(s->from_comp, sizeof s->from_comp, "%s", from_comp);
  snprintf(s->comp, sizeof s->comp, "%s", comp);
  return 0;
}

/* The row of the pod whose endpoint is ifs[i]: the endpoint, when it is
 * its compartment's only one; else the compartment (its routes pick the
 * endpoint, as the seed's two-endpoint containers do), once, at its first
 * endpoint in name order. */
static int add_pod_source(matrix *m, const sim_iface_info *ifs, size_t n, size_t i, const char *host) {
  char label[256];
  size_t same = 0, first = i;
  for (size_t k = 0; k < n; k++)
    if (ifs[k].kind == SIM_IFACE_ENDPOINT && !strcmp(ifs[k].compartment, ifs[i].compartment) && !same++) first = k;
  if (same == 1) {
    snprintf(label, sizeof label, "%s/%s", host, ifs[i].name);
    return add_source(m, label, host, ifs[i].name, "", ifs[i].compartment);
  }
  if (first != i) return 0;
  snprintf(label, sizeof label, "%s/%s", host, ifs[i].compartment);
  return add_source(m, label, host, "", ifs[i].compartment, ifs[i].compartment);
}

/* One host's rows and columns: the host itself (unless external), its
 * pod endpoints, its bridges. */
static int add_host(matrix *m, sim_net *net, const char *host) {
  size_t n;
  char label[256];
  if (sim_net_host_ifaces(net, host, NULL, 0, &n)) return -1;
  sim_iface_info *ifs = calloc(n + 1, sizeof *ifs);
  if (!ifs || sim_net_host_ifaces(net, host, ifs, n, &n)) {
    free(ifs);
    return -1;
  }
  int external = !strcmp(host, TOPO_EXTERNAL), rc = 0;
  for (size_t i = 0; i < n && !rc; i++)
    if (ifs[i].kind == SIM_IFACE_NIC && ifs[i].addr[0].addr.family) {
      rc = (!external && add_source(m, host, host, "", "", SIM_HOST_COMPARTMENT)) ||
           add_target(m, host, host, external ? "" : SIM_HOST_COMPARTMENT, &ifs[i].addr[0].addr);
      break;
    }
  for (size_t i = 0; i < n && !rc; i++) {
    const sim_iface_info *f = &ifs[i];
    snprintf(label, sizeof label, "%s/%s", host, f->name);
    if (f->kind == SIM_IFACE_ENDPOINT && f->compartment[0] && strcmp(f->compartment, SIM_HOST_COMPARTMENT)) {
      rc = add_pod_source(m, ifs, n, i, host);
      if (!rc && f->addr[0].addr.family) rc = add_target(m, label, host, f->compartment, &f->addr[0].addr);
    } else if (f->kind == SIM_IFACE_BRIDGE && f->addr[0].addr.family) {
      rc = add_target(m, label, host, "", &f->addr[0].addr);
    }
  }
  free(ifs);
  return rc ? -1 : 0;
}

static int collect(matrix *m, const topology_def *def, sim_net *net) {
  size_t n;
  if (sim_net_hosts(net, NULL, 0, &n)) return -1;
  sim_host_info *hosts = calloc(n + 1, sizeof *hosts);
  int rc = !hosts || sim_net_hosts(net, hosts, n, &n);
  for (size_t i = 0; i < n && !rc; i++) rc = add_host(m, net, hosts[i].name);
  free(hosts);
  for (const char *s = def->targets; s && *s && !rc;) {
    char ip[64];
    size_t len = strcspn(s, " ");
    sim_ip addr;
    snprintf(ip, sizeof ip, "%.*s", (int)len, s);
    rc = sim_ip_parse(ip, &addr) || add_target(m, ip, "", "", &addr);
    s += len + (s[len] == ' ');
  }
  return rc ? -1 : 0;
}

static int parse_verdict(const char *s, sim_truth_expect *out) {
  static const struct {
    const char *name;
    sim_truth_expect e;
  } names[] = {{"delivered", SIM_TRUTH_DELIVERED}, {"dropped", SIM_TRUTH_DROPPED}, {"no-route", SIM_TRUTH_NO_ROUTE},
               {"refused", SIM_TRUTH_REFUSED},     {"timed-out", SIM_TRUTH_TIMED_OUT}, {"blocked", SIM_TRUTH_BLOCKED},
               {"ignored", SIM_TRUTH_IGNORED}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(s, names[i].name)) {
      *out = names[i].e;
      return 0;
    }
  return -1;
}

/* Applies one rule to the cells it matches; -1 with a message when it is
 * malformed, or when a user's rule matches nothing (a topology's rule may
 * name a protocol the table does not probe). */
static int apply_rule(sim_truth *t, const matrix *m, const proto_arg *protos, size_t nprotos, const char *rule,
                      int topology_rule) {
  const char *whose = topology_rule ? "the topology's" : "--expect";
  char row[128], col[128], verdict[32], extra;
  sim_truth_expect e;
  if (sscanf(rule, "%127s %127s %31s %c", row, col, verdict, &extra) != 3 || parse_verdict(verdict, &e)) {
    fprintf(stderr,
            "hnsim truth: %s rule '%s' is not \"ROW COLUMN VERDICT\" with VERDICT delivered, dropped, no-route, "
            "refused, timed-out, blocked or ignored\n",
            whose, rule);
    return -1;
  }
  size_t hits = 0;
  char label[256];
  for (size_t r = 0; r < m->nsrc; r++) {
    if (fnmatch(row, m->src[r].label, 0)) continue;
    for (size_t c = 0; c < m->ndst; c++)
      for (size_t p = 0; p < nprotos; p++) {
        snprintf(label, sizeof label, "%s:%s", m->dst[c].label, protos[p].name);
        if (fnmatch(col, label, 0)) continue;
        if (sim_truth_expect_cell(t, m->src[r].label, label, e)) return -1;
        hits++;
      }
  }
  if (!hits && !topology_rule) {
    fprintf(stderr, "hnsim truth: %s rule '%s' matches no cell (the labels are the table's)\n", whose, rule);
    return -1;
  }
  return 0;
}

/* Rows, columns and expectations; -1 with a message. */
static int make_table(sim_truth *t, const matrix *m, const proto_arg *protos, size_t nprotos, const topology_def *def,
                      const char *profile, const truth_args *a) {
  char label[256];
  for (size_t r = 0; r < m->nsrc; r++) {
    const source *s = &m->src[r];
    sim_truth_source src = {s->label, s->host, s->port[0] ? s->port : NULL, s->from_comp[0] ? s->from_comp : NULL};
    if (sim_truth_source_add(t, &src)) goto fail;
  }
  for (size_t c = 0; c < m->ndst; c++)
    for (size_t p = 0; p < nprotos; p++) {
      snprintf(label, sizeof label, "%s:%s", m->dst[c].label, protos[p].name);
      uint8_t proto = protos[p].proto;
      if (proto == SIM_IPPROTO_ICMP && m->dst[c].addr.family == 6) proto = SIM_IPPROTO_ICMPV6;
      sim_truth_target dst = {label, m->dst[c].addr, proto, protos[p].port};
      if (sim_truth_target_add(t, &dst)) goto fail;
    }
  const char *rules = def->expect ? def->expect(profile) : NULL;
  for (const char *s = rules; s && *s;) {
    char rule[256];
    size_t len = strcspn(s, "\n");
    snprintf(rule, sizeof rule, "%.*s", (int)len, s);
    if (apply_rule(t, m, protos, nprotos, rule, 1)) return -1;
    s += len + (s[len] == '\n');
  }
  for (size_t r = 0; r < m->nsrc; r++)
    for (size_t c = 0; c < m->ndst; c++) {
      if (strcmp(m->src[r].host, m->dst[c].host) || strcmp(m->src[r].comp, m->dst[c].comp)) continue;
      for (size_t p = 0; p < nprotos; p++) {
        snprintf(label, sizeof label, "%s:%s", m->dst[c].label, protos[p].name);
        if (sim_truth_expect_cell(t, m->src[r].label, label, SIM_TRUTH_IGNORED)) goto fail;
      }
    }
  for (size_t i = 0; i < a->nrules; i++)
    if (apply_rule(t, m, protos, nprotos, a->rules[i], 0)) return -1;
  return 0;
fail:
  fprintf(stderr, "hnsim truth: %s\n", sim_truth_last_error(t));
  return -1;
}

static void print_members(const matrix *m) {
  printf("sources:");
  for (size_t r = 0; r < m->nsrc; r++) printf("%s %s", r ? "," : "", m->src[r].label);
  printf("\ntargets:");
  for (size_t c = 0; c < m->ndst; c++) {
    char ip[46];
    sim_ip_format(&m->dst[c].addr, ip);
    printf("%s %s %s", c ? "," : "", m->dst[c].label, ip);
  }
  printf("\n");
}

/* Fills the table (capturing to --pcap) and prints it; the exit status. */
static int fill_and_print(sim_truth *t, topology *topo, const matrix *m, const truth_args *a, const topology_def *def) {
  char err[TRACE_ERR];
  trace_pcap *tp = NULL;
  if (a->pcap && trace_pcap_open(a->pcap, topo->net, &tp, err)) {
    fprintf(stderr, "hnsim truth: %s\n", err);
    return CLI_EXIT_USAGE;
  }
  int rc = sim_truth_fill(t, topo->net);
  if (rc) fprintf(stderr, "hnsim truth: %s\n", sim_truth_last_error(t));
  if (trace_pcap_close(tp, err) && !rc) {
    fprintf(stderr, "hnsim truth: %s\n", err);
    return CLI_EXIT_USAGE;
  }
  if (rc) return CLI_EXIT_INTERNAL;
  size_t len = sim_truth_format(t, NULL, 0);
  char *text = malloc(len + 1);
  sim_truth_tally tally;
  if (!text || sim_truth_tally_get(t, &tally)) {
    free(text);
    return CLI_EXIT_INTERNAL;
  }
  sim_truth_format(t, text, len + 1);
  printf("truth %s (profile %s, seed %llu): %s\n", def->name, topo->profile, (unsigned long long)a->seed, a->protos);
  print_members(m);
  fputs(text, stdout);
  free(text);
  return tally.wrong || tally.unexpected_pass ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cli_truth(int argc, char **argv) {
  truth_args a;
  proto_arg protos[MAX_PROTOS];
  size_t nprotos;
  int p = parse_args(argc, argv, &a);
  if (p) {
    usage(p > 0 ? stdout : stderr);
    return p > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
  }
  if (parse_protos(a.protos, protos, &nprotos)) return CLI_EXIT_USAGE;
  const topology_def *def;
  topology *topo = topology_open("truth", a.topology, a.profile, a.seed, &def);
  if (!topo) return CLI_EXIT_USAGE;
  matrix m;
  memset(&m, 0, sizeof m);
  sim_truth *t = NULL;
  int status = CLI_EXIT_INTERNAL;
  if (collect(&m, def, topo->net) || sim_truth_create(&t)) {
    fprintf(stderr, "hnsim truth: listing the topology's sources and targets failed: %s\n",
            sim_net_last_error(topo->net));
  } else if (make_table(t, &m, protos, nprotos, def, topo->profile, &a)) {
    status = CLI_EXIT_USAGE;
  } else {
    status = fill_and_print(t, topo, &m, &a, def);
  }
  sim_truth_destroy(t);
  free(m.src);
  free(m.dst);
  topology_destroy(topo);
  return status;
}
