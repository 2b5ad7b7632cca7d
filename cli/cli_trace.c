/* cli_trace.c: `hnsim trace`: one probe through a built-in topology
 * (topology.h) or through the world a scenario file built once it has run
 * (hl_scenario.h), from an endpoint, a host or an external host to an IP,
 * an endpoint or a host, printed as the verdict, the 5-tuples and the hops
 * of both legs (hl_probe_text.h), optionally with a pcapng of every frame.
 * The exit status says whether it was delivered, so CI can assert a path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "hl_scenario.h"
#include "hns_profile.h"
#include "hnsim_version.h"
#include "rpt_write.h"
#include "sim_net_query.h"
#include "topology.h"
#include "trace_out.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: hnsim trace [--profile P] [--seed N] [--pcap FILE] TOPOLOGY|SCENARIO FROM TO [PROTO[/PORT]]\n"
          "       hnsim trace [options] TOPOLOGY|SCENARIO --from FROM --to TO[:PORT/PROTO]\n"
          "       hnsim trace --list\n"
          "Builds a topology of the seed's designs (its HNS objects made through the simulated\n"
          "HNS with the JSON a CNI plugin sends), or runs a scenario file (*.lua) and takes\n"
          "the world it built, sends one probe and prints where it goes.\n"
          "\n"
          "  TOPOLOGY  a name from --list (one-host, acs-udr, acs-no-udr, mixed-linux,\n"
          "            ws2016-two-endpoint, localhost, overlay, nat-internet, service-vip,\n"
          "            network-policy)\n"
          "  SCENARIO  a scenario file (docs/scenarios.md), run on --profile or the first\n"
          "            profile it names, into a database in memory\n"
          "  FROM      HOST/ENDPOINT (a pod's endpoint), HOST (its host compartment), or an\n"
          "            external host such as web\n"
          "  TO        an IP address, HOST/ENDPOINT or HOST (its first NIC's address)\n"
          "  PROTO     tcp/PORT, udp/PORT or icmp (default tcp/80); with --to, a suffix\n"
          "            :PORT/tcp, :PORT/udp or :icmp\n"
          "\n"
          "options:\n"
          "  --profile P   the Windows version the hosts run (default: the topology's own;\n"
          "                docs/profiles.md)\n"
          "  --seed N      the seed IDs, MACs and random draws derive from (default %d)\n"
          "  --pcap FILE   also write every frame of the probe to FILE (pcapng; one\n"
          "                interface per capture point, HOST/INTERFACE)\n"
          "  --list        the topologies, their hosts and endpoints\n"
          "\n"
          "output: the verdict and its reason; the request as sent and as received and the\n"
          "reply as the sender saw it (5-tuples); then each leg's hops in order: time since\n"
          "the probe started, host, compartment, port, stage, the rule or route that\n"
          "decided, and a note (a translation shows as [before -> after]).\n"
          "\n"
          "example:\n"
          "  hnsim trace acs-udr node1/pod-a_cbr0 node2/pod-c_cbr0 tcp/80\n"
          "  hnsim trace acs-no-udr node1/pod-a_cbr0 10.244.2.5 icmp   # no route at router azure\n"
          "  hnsim trace service-vip node1/pod-a_cbr0 10.96.0.50 tcp/80  # a ClusterIP, balanced\n"
          "  hnsim trace --profile ws2016 service-vip node1/pod-a_transparent 10.96.0.50\n"
          "  hnsim trace scenarios/acs-no-udr.lua --from node1/pod-a_cbr0 --to node2/pod-c_cbr0:80/tcp\n"
          "\n"
          "exit status: 0 delivered (the reply came back), 1 not delivered (dropped, no\n"
          "             route, refused, timed out), 2 usage or input error (unknown\n"
          "             topology, host or endpoint, bad address or protocol, a topology\n"
          "             the profile cannot build, a scenario that fails to run), 3 internal error\n",
          CLI_DEFAULT_SEED);
}

static void list(void) {
  for (int i = 0; topology_all[i]; i++) {
    const topology_def *d = topology_all[i];
    printf("%-20s %s\n", d->name, d->summary);
    if (d->unavailable) printf("%-20s   not available yet: %s\n", "", d->unavailable);
    else printf("%-20s   profile %s; %s\n", "", d->profile, d->hosts);
  }
}

/* Splits "host/iface" (iface "" when there is no '/'). */
static void split(const char *arg, char host[SIM_QUERY_NAME], char iface[SIM_QUERY_NAME]) {
  const char *slash = strchr(arg, '/');
  size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
  snprintf(host, SIM_QUERY_NAME, "%.*s", (int)(n < SIM_QUERY_NAME ? n : SIM_QUERY_NAME - 1), arg);
  snprintf(iface, SIM_QUERY_NAME, "%s", slash ? slash + 1 : "");
}

static int is_host(sim_net *net, const char *host) {
  size_t n;
  return sim_net_host_nics(net, host, NULL, 0, &n) == SIM_OK;
}

/* FROM: fills the probe's host and endpoint. */
static int resolve_from(sim_net *net, const char *where, const char *arg, char host[SIM_QUERY_NAME],
                        char port[SIM_QUERY_NAME]) {
  sim_iface_info info;
  split(arg, host, port);
  if (!is_host(net, host)) {
    fprintf(stderr, "hnsim trace: FROM '%s': %s has no host '%s'\n", arg, where, host);
    return -1;
  }
  if (!port[0]) return 0;
  if (sim_net_iface_info(net, host, port, &info)) {
    fprintf(stderr, "hnsim trace: FROM '%s': host %s has no endpoint '%s' (hnsim trace --list)\n", arg, host, port);
    return -1;
  }
  if (info.kind != SIM_IFACE_ENDPOINT || !info.compartment[0]) {
    fprintf(stderr, "hnsim trace: FROM '%s': '%s' is %s; give an endpoint attached to a pod, or the host alone\n", arg,
            port, info.kind != SIM_IFACE_ENDPOINT ? "not an endpoint" : "an endpoint attached to no compartment");
    return -1;
  }
  return 0;
}

/* TO: an IP, host/interface (its address) or host (its first NIC's). */
static int resolve_to(sim_net *net, const char *where, const char *arg, sim_ip *out) {
  char host[SIM_QUERY_NAME], iface[SIM_QUERY_NAME];
  sim_iface_info info;
  size_t n = 0;
  if (!sim_ip_parse(arg, out)) return 0;
  split(arg, host, iface);
  if (iface[0] && !sim_net_iface_info(net, host, iface, &info) && info.addr[0].addr.family) {
    *out = info.addr[0].addr;
    return 0;
  }
  if (!iface[0] && !sim_net_host_nics(net, host, &info, 1, &n) && n) {
    *out = info.addr[0].addr;
    return 0;
  }
  fprintf(stderr, "hnsim trace: TO '%s' is not an IP address, nor a HOST/ENDPOINT or HOST of %s with an address\n", arg,
          where);
  return -1;
}

typedef struct trace_args {
  const char *profile, *pcap, *pos[4], *from, *to;
  char to_addr[256], proto[16]; /* --to split into its address and PORT/PROTO */
  uint64_t seed;
  int npos, list;
} trace_args;

/* --from A --to B[:PORT/PROTO] (the form) as the positional
 * FROM TO [PROTO]; B's suffix is ":80/tcp", ":53/udp" or ":icmp". */
static int flags_to_pos(trace_args *a) {
  if (!a->from || !a->to || a->npos != 1) {
    fprintf(stderr, "hnsim trace: --from and --to go together, after TOPOLOGY or SCENARIO alone\n");
    return -1;
  }
  snprintf(a->to_addr, sizeof a->to_addr, "%s", a->to);
  char *colon = strrchr(a->to_addr, ':');
  unsigned port;
  char proto[8], extra;
  if (colon && !strcmp(colon, ":icmp")) {
    snprintf(a->proto, sizeof a->proto, "icmp");
    *colon = '\0';
  } else if (colon && sscanf(colon, ":%u/%7[a-z]%c", &port, proto, &extra) == 2) {
    snprintf(a->proto, sizeof a->proto, "%s/%u", proto, port);
    *colon = '\0';
  }
  a->pos[1] = a->from;
  a->pos[2] = a->to_addr;
  a->npos = 3;
  if (a->proto[0]) a->pos[a->npos++] = a->proto;
  return 0;
}

/* -1 on a usage error (already reported), 1 for --help, 0 otherwise. */
static int parse_args(int argc, char **argv, trace_args *a) {
  cli_common c;
  cli_common_defaults(&c);
  c.profile = NULL;
  memset(a, 0, sizeof *a);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    if (!strcmp(argv[i], "--list")) {
      a->list = 1;
    } else if (!strcmp(argv[i], "--pcap")) {
      if (!(a->pcap = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--from")) {
      if (!(a->from = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--to")) {
      if (!(a->to = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--profile") || !strcmp(argv[i], "--seed")) {
      if (cli_common_option(&c, argc, argv, &i) < 0) return -1;
    } else if (!strncmp(argv[i], "--", 2)) {
      fprintf(stderr, "hnsim trace: unknown option '%s'\n", argv[i]);
      return -1;
    } else if (a->npos == 4) {
      fprintf(stderr, "hnsim trace: too many arguments ('%s')\n", argv[i]);
      return -1;
    } else {
      a->pos[a->npos++] = argv[i];
    }
  }
  a->profile = c.profile;
  a->seed = c.seed;
  if ((a->from || a->to) && flags_to_pos(a)) return -1;
  if (!a->list && a->npos < 3) {
    fprintf(stderr, "hnsim trace: TOPOLOGY, FROM and TO are needed\n");
    return -1;
  }
  return 0;
}

/* Probes `net` (the world of `what`: "topology acs-udr", "scenario
 * x.lua") as the arguments say and prints the trace; the exit status. */
static int probe_world(const trace_args *a, sim_net *net, const char *what, const char *profile) {
  char host[SIM_QUERY_NAME], port[SIM_QUERY_NAME], err[TRACE_ERR];
  const char *proto_arg = a->npos > 3 ? a->pos[3] : "tcp/80";
  sim_probe_spec spec;
  memset(&spec, 0, sizeof spec);
  if (cli_parse_proto(proto_arg, &spec.proto, &spec.dport)) {
    fprintf(stderr, "hnsim trace: PROTO '%s' is not tcp/PORT, udp/PORT or icmp (PORT 1-65535)\n", proto_arg);
    return CLI_EXIT_USAGE;
  }
  if (resolve_from(net, what, a->pos[1], host, port) || resolve_to(net, what, a->pos[2], &spec.dst))
    return CLI_EXIT_USAGE;
  if (spec.proto == SIM_IPPROTO_ICMP && spec.dst.family == 6) spec.proto = SIM_IPPROTO_ICMPV6;
  spec.host = host;
  spec.from_port = port[0] ? port : NULL;
  trace_pcap *tp = NULL;
  if (a->pcap && trace_pcap_open(a->pcap, net, &tp, err)) {
    fprintf(stderr, "hnsim trace: %s\n", err);
    return CLI_EXIT_USAGE;
  }
  sim_trace *trace = NULL;
  sim_probe_result r;
  if (sim_trace_create(&trace)) {
    trace_pcap_close(tp, err);
    return CLI_EXIT_INTERNAL;
  }
  int rc = sim_probe_run(net, &spec, trace, &r);
  if (rc) fprintf(stderr, "hnsim trace: the probe cannot start: %s\n", sim_net_last_error(net));
  if (trace_pcap_close(tp, err) && !rc) {
    fprintf(stderr, "hnsim trace: %s\n", err);
    rc = SIM_E_INVAL;
  }
  char dst[46];
  sim_ip_format(&spec.dst, dst);
  if (!rc) {
    printf("trace %s (profile %s, seed %llu): %s from %s to %s (%s)\n", what, profile, (unsigned long long)a->seed,
           proto_arg, a->pos[1], a->pos[2], dst);
    hl_probe_print(stdout, &r, trace);
  }
  sim_trace_destroy(trace);
  if (rc) return CLI_EXIT_USAGE;
  return r.verdict == SIM_PROBE_DELIVERED ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int is_scenario(const char *arg) {
  size_t n = strlen(arg);
  return n > 4 && !strcmp(arg + n - 4, ".lua");
}

typedef struct scenario_trace {
  const trace_args *a;
  const char *what, *profile;
  int status;
} scenario_trace;

static void after_scenario(void *ctx, sim_net *net) {
  scenario_trace *st = ctx;
  st->status = probe_world(st->a, net, st->what, st->profile);
}

/* TOPOLOGY is a scenario file: it runs (on --profile, else the first
 * profile it names) into a database in memory, and the probe goes through
 * the world it built once it has run. */
static int trace_scenario(const trace_args *a) {
  hl_limits limits = HL_LIMITS_DEFAULTS;
  hl_scenario_info info;
  char err[HL_ERRMSG_SIZE];
  if (hl_scenario_inspect(a->pos[0], &limits, HNSIM_LUA_MODULE_DIR, &info, err, sizeof err) != HL_OK) {
    fprintf(stderr, "hnsim trace: %s\n", err);
    return CLI_EXIT_USAGE;
  }
  const char *profile = a->profile ? a->profile : info.nprofiles ? info.profiles[0] : hns_profile_default_name();
  char what[HL_SCENARIO_NAME_MAX + 16];
  snprintf(what, sizeof what, "scenario %s", info.name);
  rpt_db *db = NULL;
  if (rpt_db_open(":memory:", &db)) {
    fprintf(stderr, "hnsim trace: %s\n", rpt_db_errmsg(db));
    rpt_db_close(db);
    return CLI_EXIT_INTERNAL;
  }
  scenario_trace st = {a, what, profile, CLI_EXIT_INTERNAL};
  hl_scenario_config cfg = {a->pos[0], info.name, profile, a->seed, limits, HNSIM_LUA_MODULE_DIR, db, HNSIM_VERSION,
                            NULL,      NULL,      after_scenario, &st};
  hl_scenario_outcome out;
  int rc = hl_scenario_run(&cfg, &out);
  rpt_db_close(db);
  if (rc == HL_E_INVAL) {
    fprintf(stderr, "hnsim trace: %s\n", out.error);
    return CLI_EXIT_USAGE;
  }
  if (rc != HL_OK) return CLI_EXIT_INTERNAL;
  if (out.state == RPT_RUN_ERROR) {
    fprintf(stderr, "hnsim trace: %s on %s: script error:\n%s\n", a->pos[0], profile, out.error);
    return CLI_EXIT_USAGE;
  }
  return st.status;
}

int cli_trace(int argc, char **argv) {
  trace_args a;
  int p = parse_args(argc, argv, &a);
  if (p) {
    usage(p > 0 ? stdout : stderr);
    return p > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
  }
  if (a.list) {
    list();
    return CLI_EXIT_OK;
  }
  if (is_scenario(a.pos[0])) return trace_scenario(&a);
  const topology_def *def;
  topology *t = topology_open("trace", a.pos[0], a.profile, a.seed, &def);
  if (!t) return CLI_EXIT_USAGE;
  char what[160];
  snprintf(what, sizeof what, "topology %s", def->name);
  int status = probe_world(&a, t->net, what, t->profile);
  topology_destroy(t);
  return status;
}
