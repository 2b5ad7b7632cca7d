/* cli_check.c: `hnsim check`: the invariants of hnsmock/hns_check.h over
 * the HNS state of a set of hosts — a built-in topology's hosts as built
 * (topology.h), or host states saved before (with --save-state, or a real
 * host's state written in the same shape) — printed one violation per
 * line; exit 1 when any invariant is broken, so CI can hold a design or a
 * real host to them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "hns_check.h"
#include "rpt_read.h"
#include "rpt_rows.h"
#include "topology.h"

#define MAX_STATES 64

static void usage(FILE *f) {
  fprintf(f,
          "usage: hnsim check [--check NAME] [--profile P] [--seed N] [--save-state DIR] TOPOLOGY\n"
          "       hnsim check [--check NAME] --state HOST=FILE [--state HOST=FILE]...\n"
          "       hnsim check [--check NAME] [--db PATH] --run ID|--last [--label L]\n"
          "       hnsim check --list\n"
          "Checks the invariants Microsoft's networkhealth script and users' reported\n"
          "failures imply (docs/invariants.md) over the HNS state of a set of hosts: the\n"
          "hosts of a built-in topology (hnsim trace --list) as built, or saved host\n"
          "states, or the hosts of a recorded run as its snapshots hold them (a scenario\n"
          "run takes one labelled 'end' when it finishes, and one per snapshot(label)).\n"
          "Checks that compare hosts (remote endpoints) see the whole set.\n"
          "\n"
          "options:\n"
          "  --check NAME        run only this check (default: every check)\n"
          "  --profile P         the topology's Windows version (default: its own)\n"
          "  --seed N            the topology's seed (default %d)\n"
          "  --save-state DIR    also write each host's state to DIR/HOST.json\n"
          "  --state HOST=FILE   a host's state, as --save-state writes it\n"
          "  --run ID, --last    the snapshots of this run, or of the most recent one\n"
          "  --label L           which of the run's snapshots (default end)\n"
          "  --db PATH           results database for --run (default %s)\n"
          "  --list              the checks, their rules and sources\n"
          "\n"
          "output: one line per violation, 'HOST KIND ID: CHECK: message', sorted by host,\n"
          "kind and ID; then 'N checks over M hosts: K violations'.\n"
          "\n"
          "example:\n"
          "  hnsim check service-vip\n"
          "  hnsim check --save-state states overlay && hnsim check --state node1=states/node1.json \\\n"
          "      --state node2=states/node2.json --check remote-endpoints-live\n"
          "\n"
          "exit status: 0 every invariant holds, 1 a violation, 2 usage or input error\n"
          "             (unknown check or topology, unreadable state, no such run or\n"
          "             snapshot), 3 internal error\n",
          CLI_DEFAULT_SEED, CLI_DEFAULT_DB);
}

typedef struct check_args {
  const char *check, *profile, *save_dir, *topology, *db, *label;
  int64_t run_id; /* 0: none; -1: --last */
  const char *states[MAX_STATES];
  size_t nstates;
  uint64_t seed;
  int list;
} check_args;

/* -1 on a usage error (already reported), 1 for --help, 0 otherwise. */
static int parse_args(int argc, char **argv, check_args *a) {
  cli_common c;
  cli_common_defaults(&c);
  c.profile = NULL;
  memset(a, 0, sizeof *a);
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    if (!strcmp(argv[i], "--list")) {
      a->list = 1;
    } else if (!strcmp(argv[i], "--check")) {
      if (!(a->check = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--save-state")) {
      if (!(a->save_dir = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--state")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return -1;
      if (a->nstates == MAX_STATES) {
        fprintf(stderr, "hnsim check: --state: more than %d hosts\n", MAX_STATES);
        return -1;
      }
      a->states[a->nstates++] = v;
    } else if (!strcmp(argv[i], "--run")) {
      if (!(v = cli_flag_value(argc, argv, &i)) || cli_parse_id("check", "--run", "run", v, &a->run_id)) return -1;
    } else if (!strcmp(argv[i], "--last")) {
      a->run_id = -1;
    } else if (!strcmp(argv[i], "--label")) {
      if (!(a->label = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--profile") || !strcmp(argv[i], "--seed") || !strcmp(argv[i], "--db")) {
      if (cli_common_option(&c, argc, argv, &i) < 0) return -1;
    } else if (!strncmp(argv[i], "--", 2)) {
      fprintf(stderr, "hnsim check: unknown option '%s'\n", argv[i]);
      return -1;
    } else if (a->topology) {
      fprintf(stderr, "hnsim check: too many arguments ('%s')\n", argv[i]);
      return -1;
    } else {
      a->topology = argv[i];
    }
  }
  a->profile = c.profile;
  a->seed = c.seed;
  a->db = c.db;
  if (a->list) return 0;
  if (a->check && !hns_check_find(a->check)) {
    fprintf(stderr, "hnsim check: --check: no check '%s' (hnsim check --list)\n", a->check);
    return -1;
  }
  if ((a->topology != NULL) + (a->nstates > 0) + (a->run_id != 0) != 1) {
    fprintf(stderr, "hnsim check: give one of a TOPOLOGY, --state HOST=FILE or --run ID\n");
    return -1;
  }
  if (a->label && !a->run_id) {
    fprintf(stderr, "hnsim check: --label goes with --run\n");
    return -1;
  }
  if (a->nstates && (a->save_dir || a->profile)) {
    fprintf(stderr, "hnsim check: --save-state and --profile go with a TOPOLOGY, not --state\n");
    return -1;
  }
  return 0;
}

static void list(void) {
  for (size_t i = 0; i < hns_check_count(); i++) {
    const hns_check_info *c = hns_check_get(i);
    printf("%-28s %s\n%-28s   source: %s\n", c->name, c->description, "", c->source);
  }
}

/* The file's whole text (malloc'd), or NULL with a message. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long n = -1;
  if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
      (text = malloc((size_t)n + 1)) && fread(text, 1, (size_t)n, f) == (size_t)n) {
    text[n] = '\0';
    fclose(f);
    return text;
  }
  fprintf(stderr, "hnsim check: --state: cannot read '%s'\n", path);
  free(text);
  if (f) fclose(f);
  return NULL;
}

static int save_state(const char *dir, const char *host, const char *json) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.json", dir, host);
  FILE *f = fopen(path, "wb");
  int ok = f && fputs(json, f) >= 0 && fputc('\n', f) != EOF;
  if (f && fclose(f)) ok = 0;
  if (!ok) fprintf(stderr, "hnsim check: --save-state: cannot write '%s'\n", path);
  return ok ? 0 : -1;
}

/* Prints the report; the exit status. */
static int report(const check_args *a, const hns_check_host *hosts, size_t n) {
  hns_check_report r;
  hns_hr hr = hns_check_run(hosts, n, a->check, &r);
  if (HNS_FAILED(hr)) {
    fprintf(stderr, "hnsim check: %s (0x%08X)\n", r.error, (unsigned)hr);
    hns_check_report_free(&r);
    return CLI_EXIT_USAGE;
  }
  for (size_t i = 0; i < r.count; i++) {
    const hns_check_violation *v = &r.violations[i];
    printf("%s %s %s: %s: %s\n", v->host, v->kind, v->id, v->check, v->message);
  }
  printf("%zu checks over %zu hosts: %zu violations\n", r.checks_run, n, r.count);
  int status = r.count ? CLI_EXIT_FAILED : CLI_EXIT_OK;
  hns_check_report_free(&r);
  return status;
}

static int check_states(const check_args *a) {
  hns_check_host hosts[MAX_STATES];
  char *texts[MAX_STATES] = {0}, names[MAX_STATES][128];
  int status = CLI_EXIT_USAGE;
  size_t n = 0;
  for (; n < a->nstates; n++) {
    const char *eq = strchr(a->states[n], '=');
    if (!eq || eq == a->states[n] || (size_t)(eq - a->states[n]) >= sizeof names[n] || !eq[1]) {
      fprintf(stderr, "hnsim check: --state '%s' is not HOST=FILE\n", a->states[n]);
      goto done;
    }
    snprintf(names[n], sizeof names[n], "%.*s", (int)(eq - a->states[n]), a->states[n]);
    if (!(texts[n] = read_file(eq + 1))) goto done;
    hosts[n] = (hns_check_host){names[n], NULL, texts[n]};
  }
  status = report(a, hosts, n);
done:
  for (size_t i = 0; i < a->nstates; i++) free(texts[i]);
  return status;
}

typedef struct run_states {
  hns_check_host hosts[MAX_STATES];
  char *names[MAX_STATES], *texts[MAX_STATES];
  size_t n;
  int too_many;
} run_states;

static int keep_snapshot(void *arg, const rpt_snapshot *s) {
  run_states *r = arg;
  if (r->n == MAX_STATES) {
    r->too_many = 1;
    return 1;
  }
  if (!(r->names[r->n] = strdup(s->host)) || !(r->texts[r->n] = strdup(s->document))) return -1;
  r->hosts[r->n] = (hns_check_host){r->names[r->n], NULL, r->texts[r->n]};
  r->n++;
  return 0;
}

/* The invariants over a recorded run's snapshots labelled a->label. */
static int check_run(const check_args *a) {
  const char *label = a->label ? a->label : "end";
  rpt_db *db;
  if (rpt_db_open(a->db, &db)) {
    fprintf(stderr, "hnsim check: results database '%s': %s\n", a->db, rpt_db_errmsg(db));
    rpt_db_close(db);
    return CLI_EXIT_USAGE;
  }
  int64_t id = a->run_id;
  int rc = id > 0 ? RPT_OK : rpt_run_last(db, &id);
  run_states r;
  memset(&r, 0, sizeof r);
  if (!rc) rc = rpt_snapshot_foreach(db, id, label, keep_snapshot, &r);
  int status = CLI_EXIT_USAGE;
  if (rc == RPT_E_NOTFOUND)
    fprintf(stderr, "hnsim check: '%s' has no run %s\n", a->db, a->run_id > 0 ? "with that id" : "yet");
  else if (r.too_many)
    fprintf(stderr, "hnsim check: run %lld has more than %d host snapshots labelled '%s'\n", (long long)id,
            MAX_STATES, label);
  else if (rc)
    fprintf(stderr, "hnsim check: run %lld: %s\n", (long long)id, rc < 0 ? "out of memory" : rpt_db_errmsg(db));
  else if (!r.n)
    fprintf(stderr,
            "hnsim check: run %lld has no snapshot labelled '%s' (hosts without the HCN v2 API, ws2016 to 1803, "
            "give none: the run's log says why)\n",
            (long long)id, label);
  else {
    printf("check run %lld, snapshot '%s'\n", (long long)id, label);
    status = report(a, r.hosts, r.n);
  }
  for (size_t i = 0; i < r.n + (r.n < MAX_STATES); i++) {
    free(r.names[i]);
    free(r.texts[i]);
  }
  rpt_db_close(db);
  return status;
}

static int check_topology(const check_args *a) {
  const topology_def *def;
  topology *t = topology_open("check", a->topology, a->profile, a->seed, &def);
  if (!t) return CLI_EXIT_USAGE;
  hns_check_host hosts[TOPO_MAX_HOSTS];
  int status = CLI_EXIT_OK;
  for (size_t i = 0; i < t->nsvc; i++) {
    hosts[i] = (hns_check_host){t->svc_host[i], t->svc[i], NULL};
    if (!a->save_dir || status) continue;
    char *json = NULL;
    hns_hr hr = hns_check_state(t->svc[i], &json);
    if (HNS_FAILED(hr)) {
      fprintf(stderr, "hnsim check: host %s: its state cannot be read (0x%08X): %s\n", t->svc_host[i], (unsigned)hr,
              hns_service_last_detail(t->svc[i]));
      status = CLI_EXIT_USAGE;
    } else if (save_state(a->save_dir, t->svc_host[i], json)) {
      status = CLI_EXIT_USAGE;
    }
    free(json);
  }
  if (!status) {
    printf("check %s (profile %s, seed %llu)\n", def->name, t->profile, (unsigned long long)a->seed);
    status = report(a, hosts, t->nsvc);
  }
  topology_destroy(t);
  return status;
}

int cli_check(int argc, char **argv) {
  check_args a;
  int p = parse_args(argc, argv, &a);
  if (p) {
    usage(p > 0 ? stdout : stderr);
    return p > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
  }
  if (a.list) {
    list();
    return CLI_EXIT_OK;
  }
  return a.topology ? check_topology(&a) : a.run_id ? check_run(&a) : check_states(&a);
}
