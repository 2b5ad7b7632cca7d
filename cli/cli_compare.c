/* cli_compare.c: `hnsim compare RUN_A RUN_B`: two runs side by side (HNS
 * objects, truth tables, HCN calls and their timing), as text, Markdown or
 * HTML (docs/compare.md); typically a real host's run, imported, beside
 * the simulator's prediction of it. Both runs come from --db, or run B from
 * --db-b. Every check of the command line and the runs is made before a
 * byte of the comparison is written. */
#include <stdio.h>
#include <string.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "rpt_compare.h"
#include "rpt_read.h"

static const struct format {
  const char *name;
  int id;
} formats[] = {{"text", RPT_COMPARE_TEXT}, {"md", RPT_COMPARE_MD}, {"html", RPT_COMPARE_HTML}};

struct args {
  const char *db, *db_b, *label, *out_path;
  int format, fail_on_diff, label_given;
  int64_t run[2];
  int n_runs;
};

static void compare_usage(FILE *f) {
  fprintf(f,
          "usage: hnsim compare [--db PATH] [--db-b PATH] [--label L] [--format text|md|html]\n"
          "                     [-o FILE] [--fail-on-diff] RUN_A RUN_B\n"
          "\n"
          "Compares two runs: the HNS objects of each host's snapshot (matched by name,\n"
          "then address, GUIDs and MACs normalised; field by field), the truth-table\n"
          "cells (verdicts), the HCN calls of each host in order (HRESULTs), and the\n"
          "simulated time charged to each operation. Typically run A is what a real\n"
          "host did (an imported run) and run B what the simulator predicted.\n"
          "  --db PATH        results database of both runs (default %s)\n"
          "  --db-b PATH      run B is in this database instead\n"
          "  --label L        compare the snapshots labelled L (default end)\n"
          "  --format F       text (the default), md (Markdown) or html (one page)\n"
          "  -o FILE          write to FILE instead of standard output\n"
          "  --fail-on-diff   exit 1 when anything differs\n"
          "\n"
          "examples:\n"
          "  hnsim compare 3 4\n"
          "  hnsim compare --db real.db --db-b sim.db 1 1 --format html -o compare.html\n"
          "\n"
          "exit status: 0 compared (differences or not, without --fail-on-diff),\n"
          "             1 something differs (with --fail-on-diff), 2 usage error, no such\n"
          "             run or no snapshot under --label, 3 internal error\n",
          CLI_DEFAULT_DB);
}

/* Parses the arguments after `compare`; returns -1 to go on, else an exit code. */
static int parse(int argc, char **argv, struct args *a) {
  const char *v;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
      compare_usage(stdout);
      return CLI_EXIT_OK;
    } else if (!strcmp(arg, "--db") || !strcmp(arg, "--db-b")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
      if (!*v) {
        fprintf(stderr, "hnsim compare: %s: the path is empty\n", arg);
        return CLI_EXIT_USAGE;
      }
      if (!strcmp(arg, "--db")) a->db = v;
      else a->db_b = v;
    } else if (!strcmp(arg, "--label")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
      if (!*v) {
        fprintf(stderr, "hnsim compare: --label: the label is empty\n");
        return CLI_EXIT_USAGE;
      }
      a->label = v, a->label_given = 1;
    } else if (!strcmp(arg, "--format")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
      size_t k = 0, n = sizeof formats / sizeof formats[0];
      while (k < n && strcmp(v, formats[k].name)) k++;
      if (k == n) {
        fprintf(stderr, "hnsim compare: --format: '%s' is not a format compare writes (text, md, html)\n", v);
        return CLI_EXIT_USAGE;
      }
      a->format = formats[k].id;
    } else if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
      if (!(a->out_path = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
    } else if (!strcmp(arg, "--fail-on-diff")) {
      a->fail_on_diff = 1;
    } else if (arg[0] == '-') {
      fprintf(stderr, "hnsim compare: unknown argument '%s'\n", arg);
      compare_usage(stderr);
      return CLI_EXIT_USAGE;
    } else {
      int64_t id;
      if (cli_parse_id("compare", NULL, "run", arg, &id)) return CLI_EXIT_USAGE;
      if (a->n_runs == 2) {
        fprintf(stderr, "hnsim compare: '%s': compare takes two runs, RUN_A and RUN_B\n", arg);
        return CLI_EXIT_USAGE;
      }
      a->run[a->n_runs++] = id;
    }
  }
  if (a->n_runs != 2) {
    fprintf(stderr, "hnsim compare: give two runs, RUN_A and RUN_B\n");
    compare_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  return -1;
}

/* Opens an existing results database (never creating one at a mistyped
 * path); an exit code, with a message on failure. */
static int open_db(const char *path, rpt_db **db) {
  FILE *probe = fopen(path, "rb");
  *db = NULL;
  if (!probe) {
    fprintf(stderr, "hnsim compare: results database '%s' does not exist or cannot be read\n", path);
    return CLI_EXIT_USAGE;
  }
  fclose(probe);
  if (rpt_db_open(path, db)) {
    fprintf(stderr, "hnsim compare: results database '%s': %s\n", path, rpt_db_errmsg(*db));
    return CLI_EXIT_USAGE;
  }
  return CLI_EXIT_OK;
}

/* Run `id` must be in `db`; an exit code, with a message naming the file. */
static int check_run(rpt_db *db, const char *path, int64_t id) {
  rpt_run_summary s;
  int rc = rpt_run_get(db, id, &s);
  rpt_run_summary_clear(&s);
  if (rc == RPT_E_NOTFOUND) fprintf(stderr, "hnsim compare: '%s' has no run %lld\n", path, (long long)id);
  else if (rc) fprintf(stderr, "hnsim compare: %s\n", rpt_db_errmsg(db));
  return rc == RPT_OK ? CLI_EXIT_OK : rc == RPT_E_NOTFOUND ? CLI_EXIT_USAGE : CLI_EXIT_INTERNAL;
}

/* With --label, both runs must have a snapshot under it. */
static int check_snapshots(const struct args *a, const rpt_compare *c) {
  int64_t hosts[2];
  rpt_compare_snapshot_hosts(c, &hosts[0], &hosts[1]);
  for (int i = 0; i < 2 && a->label_given; i++)
    if (!hosts[i]) {
      fprintf(stderr, "hnsim compare: run %lld of '%s' has no snapshot labelled '%s'\n", (long long)a->run[i],
              i && a->db_b ? a->db_b : a->db, a->label);
      return CLI_EXIT_USAGE;
    }
  return CLI_EXIT_OK;
}

/* Writes the comparison where -o says; an exit code. */
static int write_out(const struct args *a, const rpt_compare *c) {
  FILE *out = a->out_path ? fopen(a->out_path, "w") : stdout;
  if (!out) {
    fprintf(stderr, "hnsim compare: -o: cannot write '%s'\n", a->out_path);
    return CLI_EXIT_USAGE;
  }
  int st = rpt_compare_write(c, a->format, out);
  if (a->out_path && fclose(out) && !st) st = RPT_E_IO;
  if (st) {
    fprintf(stderr, "hnsim compare: writing %s failed\n", a->out_path ? a->out_path : "the comparison");
    return CLI_EXIT_INTERNAL;
  }
  if (a->out_path) {
    printf("hnsim compare: run %lld and run %lld written to %s\n", (long long)a->run[0], (long long)a->run[1],
           a->out_path);
    rpt_compare_summary(c, stdout);
  }
  return CLI_EXIT_OK;
}

int cli_compare(int argc, char **argv) {
  struct args a = {CLI_DEFAULT_DB, NULL, "end", NULL, RPT_COMPARE_TEXT, 0, 0, {0, 0}, 0};
  int rc = parse(argc, argv, &a);
  if (rc >= 0) return rc;
  rpt_db *db = NULL, *db_b = NULL;
  int two = a.db_b && strcmp(a.db_b, a.db);
  rc = open_db(a.db, &db);
  if (rc == CLI_EXIT_OK && two) rc = open_db(a.db_b, &db_b);
  rpt_db *of_b = two ? db_b : db;
  if (rc == CLI_EXIT_OK) rc = check_run(db, a.db, a.run[0]);
  if (rc == CLI_EXIT_OK) rc = check_run(of_b, two ? a.db_b : a.db, a.run[1]);
  rpt_compare *c = NULL;
  if (rc == CLI_EXIT_OK && rpt_compare_runs(db, a.run[0], of_b, a.run[1], a.label, &c)) {
    fprintf(stderr, "hnsim compare: %s\n", rpt_db_errmsg(db));
    rc = CLI_EXIT_INTERNAL;
  }
  if (rc == CLI_EXIT_OK) rc = check_snapshots(&a, c);
  if (rc == CLI_EXIT_OK) rc = write_out(&a, c);
  if (rc == CLI_EXIT_OK && a.fail_on_diff && rpt_compare_differs(c)) rc = CLI_EXIT_FAILED;
  rpt_compare_free(c);
  rpt_db_close(db_b);
  rpt_db_close(db);
  return rc;
}
