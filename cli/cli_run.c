/* cli_run.c: `hnsim run`: gathers the scenarios named on the command line
 * (files, folders, built-ins), runs each into the results database, prints
 * one line per scenario and a summary, and sets the exit code. */
#include <dirent.h>
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
#include "hnsim_version.h"
#include "rpt_read.h"

#define BUILTIN_PREFIX "builtin:"

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
          "database. A SCENARIO is a scenario file (*.lua), a folder (searched recursively\n"
          "for *.lua files, run in name order) or a built-in scenario, builtin:NAME.\n"
          "With no SCENARIO, every built-in scenario runs.\n"
          "\n"
          "options:\n"
          "  --db PATH          results database (default %s; created if missing)\n"
          "  --seed N           master seed, 0 to 9223372036854775807 (default %d)\n"
          "  --profile NAME     Windows version profile (default %s; docs/profiles.md):\n"
          "                     %s\n"
          "  --backend sim|hcn  simulated HNS, or the real one (Windows build only)\n"
          "  --list             list the built-in scenarios and exit\n"
          "  -h, --help         this help\n"
          "\n"
          "exit status: 0 every expectation held, 1 an expectation failed,\n"
          "             2 usage or input error, 3 internal error\n",
          CLI_DEFAULT_DB, CLI_DEFAULT_SEED, hns_profile_default_name(), profile_names());
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

/* Runs one scenario. Returns its state (RPT_RUN_*) or a negative status. */
static int run_one(rpt_db *db, const cli_common *c, const char *name, int64_t *out_run_id) {
  const builtin_scenario *b = builtin_find(name + strlen(BUILTIN_PREFIX));
  rpt_run_info info = {name, c->seed, c->profile, c->backend, HNSIM_VERSION};
  run_recorder rec;
  int rc = run_recorder_begin(&rec, db, &info);
  if (rc) return rc;
  *out_run_id = rec.run_id;
  return run_recorder_finish(&rec, b->run(&rec) != 0);
}

static int print_result(rpt_db *db, int64_t run_id) {
  rpt_run_summary s;
  int rc = rpt_run_get(db, run_id, &s);
  if (rc) return rc;
  printf("  %-6s %-28s %-8s %3lld/%-3lld expectations held  run %lld  digest %.12s\n",
         s.state == RPT_RUN_PASSED ? "PASS" : s.state == RPT_RUN_FAILED ? "FAIL" : "ERROR", s.scenario, s.profile,
         (long long)(s.expectations - s.expectations_failed), (long long)s.expectations, (long long)s.id, s.digest);
  rpt_run_summary_clear(&s);
  return 0;
}

static int print_failures(void *arg, const rpt_expectation_row *row) {
  (void)arg;
  if (!row->passed) printf("         FAILED: %s (%s)\n", row->name, row->detail);
  return 0;
}

int cli_run(int argc, char **argv) {
  cli_common c;
  cli_common_defaults(&c);
  name_list scenarios = {0};
  int status = CLI_EXIT_OK, named = 0;
  for (int i = 1; i < argc && status == CLI_EXIT_OK; i++) {
    int r = cli_common_option(&c, argc, argv, &i);
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
  for (int k = 0; status == CLI_EXIT_OK && !scenarios.n && builtin_all[k]; k++) {
    char name[128];
    snprintf(name, sizeof name, BUILTIN_PREFIX "%s", builtin_all[k]->name);
    if (list_add(&scenarios, name)) status = CLI_EXIT_INTERNAL;
  }
  for (size_t k = 0; status == CLI_EXIT_OK && k < scenarios.n; k++) {
    if (strncmp(scenarios.v[k], BUILTIN_PREFIX, strlen(BUILTIN_PREFIX))) {
      fprintf(stderr,
              "hnsim run: '%s': this build cannot run Lua scenario files yet (its Lua layer is not built); "
              "built-in scenarios run as builtin:NAME (hnsim run --list)\n",
              scenarios.v[k]);
      status = CLI_EXIT_USAGE;
    }
  }
  if (status != CLI_EXIT_OK) {
    list_free(&scenarios);
    return status;
  }

  rpt_db *db;
  int rc = rpt_db_open(c.db, &db);
  if (rc) {
    fprintf(stderr, "hnsim run: results database '%s': %s\n", c.db, rpt_db_errmsg(db));
    rpt_db_close(db);
    list_free(&scenarios);
    return rc == RPT_E_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
  }
  printf("hnsim run: %zu scenario%s, profile %s, seed %llu, backend %s\n", scenarios.n, scenarios.n == 1 ? "" : "s",
         c.profile, (unsigned long long)c.seed, c.backend);
  int passed = 0, failed = 0, errors = 0;
  int64_t first_id = 0, last_id = 0;
  int tty = isatty(fileno(stderr));
  for (size_t k = 0; k < scenarios.n; k++) {
    if (tty) fprintf(stderr, "[%zu/%zu] %s ...\r", k + 1, scenarios.n, scenarios.v[k]);
    int64_t run_id = 0;
    int state = run_one(db, &c, scenarios.v[k], &run_id);
    if (tty) fprintf(stderr, "\033[K");
    if (state < 0) {
      fprintf(stderr, "hnsim run: %s: results database: %s\n", scenarios.v[k], rpt_db_errmsg(db));
      status = CLI_EXIT_INTERNAL;
      break;
    }
    if (!first_id) first_id = run_id;
    last_id = run_id;
    print_result(db, run_id);
    passed += state == RPT_RUN_PASSED;
    failed += state == RPT_RUN_FAILED;
    errors += state == RPT_RUN_ERROR;
    if (state != RPT_RUN_PASSED) rpt_expectation_foreach(db, run_id, RPT_ORDER_FAILED_FIRST, print_failures, NULL);
  }
  printf("summary: %d passed, %d failed, %d errors\n", passed, failed, errors);
  if (first_id) {
    char *abs = realpath(c.db, NULL);
    printf("results: %s (run%s %lld", abs ? abs : c.db, first_id == last_id ? "" : "s", (long long)first_id);
    if (last_id != first_id) printf("..%lld", (long long)last_id);
    printf(")\nreport:  hnsim report --db %s --last --format md -o report.md\n", c.db);
    free(abs);
  }
  if (rpt_db_close(db) && status == CLI_EXIT_OK) status = CLI_EXIT_INTERNAL;
  list_free(&scenarios);
  if (status != CLI_EXIT_OK) return status;
  return errors ? CLI_EXIT_INTERNAL : failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
