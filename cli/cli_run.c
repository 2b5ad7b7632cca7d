/* cli_run.c: `hnsim run`: gathers the scenarios named on the command line
 * (files, folders, built-ins), turns them into jobs (a Lua file runs once
 * per profile it names; run_jobs.h), runs each into the results database,
 * prints one line per run and a summary, and sets the exit code. With
 * --from-run, the scenarios' Windows hosts start from the HNS state a
 * recorded run's snapshots hold (docs/scenarios.md "Running on a recorded
 * or imported host state"). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "builtin_scenarios.h"
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "hns_profile.h"
#include "rpt_read.h"
#include "run_jobs.h"

/* "ws2016 1709 ..." for the help text. */
static const char *profile_names(void) {
  static char names[256];
  size_t used = 0;
  names[0] = '\0';
  for (const hns_profile *const *p = hns_profiles(); *p && used < sizeof names; p++)
    used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? " " : "", (*p)->name);
  return names;
}

static void run_usage(FILE *f) {
  fprintf(f,
          "usage: hnsim run [options] [SCENARIO ...]\n"
          "\n"
          "Runs scenarios on the chosen backend and records every result in the results\n"
          "database. A SCENARIO is a scenario file (*.lua; docs/scenarios.md), a folder\n"
          "(searched recursively for *.lua files, run in name order) or a built-in\n"
          "scenario, builtin:NAME. With no SCENARIO, every built-in scenario runs.\n"
          "A scenario file runs once per profile its scenario{profiles=...} names, or on\n"
          "--profile; one line per run, then a summary.\n"
          "\n"
          "options:\n"
          "  --db PATH          results database (default %s; created if missing)\n"
          "  --seed N           master seed, 0 to 9223372036854775807 (default: the\n"
          "                     scenario's scenario{seed=...}, else %d)\n"
          "  --profile NAME     run on this Windows version profile only (default: each\n"
          "                     scenario's own, else %s; docs/profiles.md):\n"
          "                     %s\n"
          "  --backend sim|hcn  simulated HNS, or the real one (Windows build only)\n"
          "  --lua-memory N     memory cap of a scenario's Lua heap in bytes, or with a\n"
          "                     suffix K, M or G (default %zuM)\n"
          "  --lua-budget N     instruction budget of a scenario (default %llu)\n"
          "  -v, --verbose      also show the scenarios' print() lines\n"
          "  --from-run ID      start each Windows host the scenario makes from the HNS\n"
          "                     state run ID recorded for the host of that name (its\n"
          "                     snapshot, or a real host's imported state); the scenario\n"
          "                     still lays the fabric. Runs on that run's profile unless\n"
          "                     --profile is given. Scenario files only\n"
          "  --label L          the snapshots --from-run takes (default end)\n"
          "  --from-db PATH     the database --from-run reads (default: --db)\n"
          "  --list             list the built-in scenarios and exit\n"
          "  -h, --help         this help\n"
          "\n"
          "example:\n"
          "  hnsim run --db r.db scenarios/service-lb.lua\n"
          "  hnsim run --db r.db --from-run 1 probe.lua   # probe run 1's hosts again\n"
          "\n"
          "exit status: 0 every expectation held, 1 an expectation failed,\n"
          "             2 usage or input error, or a scenario error (syntax, runtime\n"
          "               error, budget or memory cap; file:line and traceback printed),\n"
          "             3 internal error\n",
          CLI_DEFAULT_DB, CLI_DEFAULT_SEED, hns_profile_default_name(), profile_names(),
          HL_DEFAULT_MEMORY_CAP >> 20, (unsigned long long)HL_DEFAULT_INSTRUCTION_BUDGET);
}

/* "64M", "65536", "1G" into bytes, at least 1; -1 on anything else. */
static int parse_size(const char *s, size_t *out) {
  char digits[32];
  size_t n = strlen(s);
  uint64_t shift = 0, v;
  if (n && (s[n - 1] == 'K' || s[n - 1] == 'M' || s[n - 1] == 'G')) {
    shift = s[n - 1] == 'K' ? 10 : s[n - 1] == 'M' ? 20 : 30;
    n--;
  }
  if (!n || n >= sizeof digits) return -1;
  memcpy(digits, s, n);
  digits[n] = '\0';
  if (cli_parse_u64(digits, SIZE_MAX >> shift, &v) || !v) return -1;
  *out = (size_t)(v << shift);
  return 0;
}

/* --from-run and the options that go with it. */
typedef struct from_run {
  int64_t run_id; /* 0: not given */
  const char *label, *db;
} from_run;

/* Options of `hnsim run` alone: 1 consumed, 0 not one, -1 bad (reported). */
static int run_option(run_settings *s, from_run *f, int argc, char **argv, int *i) {
  const char *v;
  uint64_t n;
  if (!strcmp(argv[*i], "-v") || !strcmp(argv[*i], "--verbose")) {
    s->echo = 1;
  } else if (!strcmp(argv[*i], "--from-run")) {
    if (!(v = cli_flag_value(argc, argv, i)) || cli_parse_id("run", "--from-run", "run", v, &f->run_id)) return -1;
  } else if (!strcmp(argv[*i], "--label")) {
    if (!(f->label = cli_flag_value(argc, argv, i))) return -1;
  } else if (!strcmp(argv[*i], "--from-db")) {
    if (!(f->db = cli_flag_value(argc, argv, i))) return -1;
  } else if (!strcmp(argv[*i], "--lua-memory")) {
    if (!(v = cli_flag_value(argc, argv, i))) return -1;
    if (parse_size(v, &s->limits.memory_cap)) {
      fprintf(stderr, "hnsim run: --lua-memory: '%s' is not a size in bytes (such as 67108864 or 64M)\n", v);
      return -1;
    }
  } else if (!strcmp(argv[*i], "--lua-budget")) {
    if (!(v = cli_flag_value(argc, argv, i))) return -1;
    if (cli_parse_u64(v, UINT64_MAX, &n) || !n) {
      fprintf(stderr, "hnsim run: --lua-budget: '%s' is not a whole number of instructions, at least 1\n", v);
      return -1;
    }
    s->limits.instruction_budget = n;
  } else {
    return 0;
  }
  return 1;
}

/* A growable list of scenario names (built-in names or file paths). */
typedef struct name_list {
  char **v;
  size_t n, cap;
} name_list;

static int list_add(name_list *l, const char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v) return -1;
    l->v = v;
    l->cap = cap;
  }
  if (!(l->v[l->n] = strdup(s))) return -1;
  l->n++;
  return 0;
}

static void list_free(name_list *l) {
  for (size_t k = 0; k < l->n; k++) free(l->v[k]);
  free(l->v);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* Adds the *.lua files under `dir`, in name order at every level so the order
 * never depends on the file system. -1 on error (message printed). */
static int collect_dir(name_list *out, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "hnsim run: cannot read folder '%s'\n", dir);
    return -1;
  }
  name_list entries = {0};
  int rc = 0;
  for (struct dirent *e; (e = readdir(d)) && !rc;)
    if (e->d_name[0] != '.') rc = list_add(&entries, e->d_name);
  closedir(d);
  if (entries.n) qsort(entries.v, entries.n, sizeof *entries.v, by_name);
  for (size_t k = 0; k < entries.n && !rc; k++) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, entries.v[k]);
    if (stat(path, &st)) continue;
    if (S_ISDIR(st.st_mode))
      rc = collect_dir(out, path);
    else if (ends_with(path, ".lua"))
      rc = list_add(out, path);
  }
  list_free(&entries);
  return rc;
}

/* Resolves one command-line SCENARIO into `out`. -1 with a message if bad. */
static int collect(name_list *out, const char *arg) {
  if (!strncmp(arg, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX))) {
    if (!builtin_find(arg + strlen(BUILTIN_PREFIX))) {
      fprintf(stderr, "hnsim run: unknown built-in scenario '%s' (hnsim run --list shows them)\n", arg);
      return -1;
    }
    return list_add(out, arg);
  }
  struct stat st;
  if (stat(arg, &st)) {
    fprintf(stderr, "hnsim run: '%s': no such file or folder\n", arg);
    return -1;
  }
  if (S_ISDIR(st.st_mode)) return collect_dir(out, arg);
  if (!ends_with(arg, ".lua")) {
    fprintf(stderr, "hnsim run: '%s' is not a scenario file (*.lua) or a folder\n", arg);
    return -1;
  }
  return list_add(out, arg);
}

/* Begins the suite of this command's runs, named by its command line. */
static int suite_begin(rpt_db *db, int argc, char **argv, int64_t *out) {
  size_t len = strlen("hnsim run") + 1;
  for (int i = 1; i < argc; i++) len += strlen(argv[i]) + 1;
  char *command = malloc(len);
  if (!command) return RPT_E_NOMEM;
  strcpy(command, "hnsim run");
  for (int i = 1; i < argc; i++) strcat(strcat(command, " "), argv[i]);
  int rc = rpt_suite_begin(db, command, out);
  free(command);
  return rc;
}

/* --from-run's checks; then the recorded run's host states into *pre,
 * and its profile for every run when --profile is not given. */
static int read_from_run(const from_run *f, const name_list *scenarios, cli_common *c, run_settings *settings,
                         run_preload *pre) {
  if (!f->run_id) {
    if (!f->label && !f->db) return CLI_EXIT_OK;
    fprintf(stderr, "hnsim run: --label and --from-db go with --from-run\n");
    return CLI_EXIT_USAGE;
  }
  if (!scenarios->n) {
    fprintf(stderr, "hnsim run: --from-run needs scenario files: they lay the fabric the hosts' states sit on\n");
    return CLI_EXIT_USAGE;
  }
  for (size_t k = 0; k < scenarios->n; k++)
    if (!strncmp(scenarios->v[k], BUILTIN_PREFIX, strlen(BUILTIN_PREFIX))) {
      fprintf(stderr, "hnsim run: --from-run takes scenario files, not built-in scenarios ('%s')\n", scenarios->v[k]);
      return CLI_EXIT_USAGE;
    }
  int status = run_preload_read(f->db ? f->db : c->db, f->run_id, f->label ? f->label : "end", pre);
  if (status != CLI_EXIT_OK) return status;
  const hns_profile *p = hns_profile_find(pre->profile);
  if (!c->profile && p) c->profile = p->name;
  settings->preload = &pre->preload;
  return CLI_EXIT_OK;
}

int cli_run(int argc, char **argv) {
  cli_common c;
  cli_common_defaults(&c);
  c.profile = NULL; /* given or not: each scenario's own profiles otherwise */
  run_settings settings = {&c, HL_LIMITS_DEFAULTS, HNSIM_LUA_MODULE_DIR, 0, NULL};
  from_run from = {0, NULL, NULL};
  run_preload pre;
  memset(&pre, 0, sizeof pre);
  name_list scenarios = {0};
  int status = CLI_EXIT_OK, named = 0;
  for (int i = 1; i < argc && status == CLI_EXIT_OK; i++) {
    int r = cli_common_option(&c, argc, argv, &i);
    if (r == 0) r = run_option(&settings, &from, argc, argv, &i);
    if (r < 0) {
      status = CLI_EXIT_USAGE;
    } else if (r == 0 && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
      run_usage(stdout);
      list_free(&scenarios);
      return CLI_EXIT_OK;
    } else if (r == 0 && !strcmp(argv[i], "--list")) {
      for (int k = 0; builtin_all[k]; k++) printf("builtin:%-12s %s\n", builtin_all[k]->name, builtin_all[k]->summary);
      list_free(&scenarios);
      return CLI_EXIT_OK;
    } else if (r == 0 && argv[i][0] == '-') {
      fprintf(stderr, "hnsim run: unknown option '%s'\n", argv[i]);
      run_usage(stderr);
      status = CLI_EXIT_USAGE;
    } else if (r == 0) {
      named = 1;
      if (collect(&scenarios, argv[i])) status = CLI_EXIT_USAGE;
    }
  }
  if (status == CLI_EXIT_OK && named && !scenarios.n) {
    fprintf(stderr, "hnsim run: no scenario files (*.lua) in the folders given\n");
    status = CLI_EXIT_USAGE;
  }
  if (status == CLI_EXIT_OK && cli_common_validate(&c)) status = CLI_EXIT_USAGE;
  if (status == CLI_EXIT_OK) status = read_from_run(&from, &scenarios, &c, &settings, &pre);
  for (int k = 0; status == CLI_EXIT_OK && !scenarios.n && builtin_all[k]; k++) {
    char name[128];
    snprintf(name, sizeof name, BUILTIN_PREFIX "%s", builtin_all[k]->name);
    if (list_add(&scenarios, name)) status = CLI_EXIT_INTERNAL;
  }
  run_jobs jobs = {0};
  for (size_t k = 0; status == CLI_EXIT_OK && k < scenarios.n; k++)
    if (run_jobs_add(&jobs, &settings, scenarios.v[k])) status = CLI_EXIT_INTERNAL;
  if (status != CLI_EXIT_OK) {
    run_jobs_free(&jobs);
    list_free(&scenarios);
    run_preload_free(&pre);
    return status;
  }

  rpt_db *db;
  int rc = rpt_db_open(c.db, &db);
  if (rc) {
    fprintf(stderr, "hnsim run: results database '%s': %s\n", c.db, rpt_db_errmsg(db));
    rpt_db_close(db);
    run_jobs_free(&jobs);
    list_free(&scenarios);
    run_preload_free(&pre);
    return rc == RPT_E_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
  }
  /* The runs this command makes form one suite: `hnsim report --last` covers them all. */
  int64_t suite = 0;
  if (jobs.n && suite_begin(db, argc, argv, &suite)) {
    fprintf(stderr, "hnsim run: results database '%s': %s\n", c.db, rpt_db_errmsg(db));
    rpt_db_close(db);
    run_jobs_free(&jobs);
    list_free(&scenarios);
    return CLI_EXIT_INTERNAL;
  }
  const char *profile = jobs.n ? jobs.v[0].profile : hns_profile_default_name();
  char seed[32];
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)(jobs.n ? jobs.v[0].seed : c.seed));
  for (size_t k = 1; k < jobs.n; k++) {
    if (strcmp(jobs.v[k].profile, profile)) profile = "as each scenario names them";
    if (jobs.v[k].seed != jobs.v[0].seed) snprintf(seed, sizeof seed, "as each scenario names it");
  }
  printf("hnsim run: %zu scenario%s, %zu run%s, profile %s, seed %s, backend %s\n", scenarios.n,
         scenarios.n == 1 ? "" : "s", jobs.n, jobs.n == 1 ? "" : "s", profile, seed, c.backend);
  if (settings.preload) {
    printf("host states: %s:", pre.origin);
    for (size_t k = 0; k < pre.preload.n; k++) printf(" %s", pre.hosts[k].host);
    printf("\n");
  }
  int passed = 0, failed = 0, errors = 0, scenario_errors = 0;
  int64_t first_id = 0, last_id = 0;
  int tty = isatty(fileno(stderr));
  for (size_t k = 0; k < jobs.n; k++) {
    if (tty) fprintf(stderr, "[%zu/%zu] %s %s ...\r", k + 1, jobs.n, jobs.v[k].name, jobs.v[k].profile);
    fflush(stdout);
    job_result r;
    int failed_db = run_job_execute(db, &settings, &jobs.v[k], &r);
    if (tty) fprintf(stderr, "\033[K");
    if (failed_db) {
      status = CLI_EXIT_INTERNAL;
      break;
    }
    if (!first_id) first_id = r.run_id;
    last_id = r.run_id;
    passed += r.state == RPT_RUN_PASSED;
    failed += r.state == RPT_RUN_FAILED;
    errors += r.state == RPT_RUN_ERROR;
    scenario_errors += r.scenario_error;
  }
  printf("summary: %d passed, %d failed, %d errors\n", passed, failed, errors);
  if (first_id) {
    char *abs = realpath(c.db, NULL);
    printf("results: %s (run%s %lld", abs ? abs : c.db, first_id == last_id ? "" : "s", (long long)first_id);
    if (last_id != first_id) printf("..%lld", (long long)last_id);
    printf(", suite %lld)\nreport:  hnsim report --db %s --last --format html -o report.html\n", (long long)suite,
           c.db);
    free(abs);
  }
  if (rpt_db_close(db) && status == CLI_EXIT_OK) status = CLI_EXIT_INTERNAL;
  run_jobs_free(&jobs);
  list_free(&scenarios);
  run_preload_free(&pre);
  if (status != CLI_EXIT_OK) return status;
  if (errors > scenario_errors) return CLI_EXIT_INTERNAL;
  return scenario_errors ? CLI_EXIT_USAGE : failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
