/* cli_report.c: `hnsim report`: writes a report of a set of runs from the
 * results database, as Markdown, HTML, JUnit XML or JSON (docs/reports.md).
 * It reads only the database, so it works on any machine, long after the
 * runs. Which runs a command line means is decided in one place,
 * resolve_runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "rpt_html.h"
#include "rpt_json.h"
#include "rpt_junit.h"
#include "rpt_markdown.h"
#include "rpt_read.h"

typedef int (*report_fn)(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out);

static const struct format {
  const char *name;
  report_fn write;
} formats[] = {
    {"md", rpt_report_markdown_runs},
    {"html", rpt_report_html},
    {"junit", rpt_report_junit},
    {"json", rpt_report_json},
};

/* The runs the command line names: --run and --runs in the order given, or
 * none for --last (the default); --suite's are added when resolved. */
struct selection {
  int64_t *ids;
  size_t n, cap;
  int last;
  int64_t suite; /* --suite N, or 0 */
};

static void report_usage(FILE *f) {
  fprintf(f,
          "usage: hnsim report [--db PATH] [--run ID]... [--runs FROM-TO]... [--suite N | --last]\n"
          "                    [--format md|html|junit|json] [-o FILE]\n"
          "\n"
          "Writes a report of a set of runs from the results database.\n"
          "  --db PATH        results database (default %s)\n"
          "  --run ID         a run to report (repeatable)\n"
          "  --runs FROM-TO   the runs FROM to TO, both included (repeatable)\n"
          "  --suite N        the runs of suite N (one `hnsim run` command makes one)\n"
          "  --last           the runs of the most recent suite, or the most recent run\n"
          "                   when it belongs to none (the default)\n"
          "  --format F       md (Markdown, the default), html (one self-contained page),\n"
          "                   junit (JUnit XML for CI) or json (every row)\n"
          "  -o FILE          write to FILE instead of standard output\n"
          "\n"
          "examples:\n"
          "  hnsim report --last --format html -o report.html\n"
          "  hnsim report --runs 1-35 --format junit -o junit.xml\n"
          "\n"
          "exit status: 0 written, 2 usage error or no such run, 3 internal error\n",
          CLI_DEFAULT_DB);
}

static int add_id(struct selection *sel, int64_t id) {
  if (sel->n == sel->cap) {
    size_t cap = sel->cap ? 2 * sel->cap : 16;
    int64_t *grown = realloc(sel->ids, cap * sizeof *grown);
    if (!grown) return -1;
    sel->ids = grown;
    sel->cap = cap;
  }
  sel->ids[sel->n++] = id;
  return 0;
}

struct placed {
  int64_t id;
  size_t at;
};

static int by_id_then_place(const void *a, const void *b) {
  const struct placed *x = a, *y = b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return (x->at > y->at) - (x->at < y->at);
}

static int by_place(const void *a, const void *b) {
  const struct placed *x = a, *y = b;
  return (x->at > y->at) - (x->at < y->at);
}

/* A run named twice is reported once, where it was first named. */
static int dedupe(struct selection *sel) {
  if (sel->n < 2) return 0;
  struct placed *p = malloc(sel->n * sizeof *p);
  if (!p) return -1;
  for (size_t i = 0; i < sel->n; i++) p[i] = (struct placed){sel->ids[i], i};
  qsort(p, sel->n, sizeof *p, by_id_then_place);
  size_t kept = 0;
  for (size_t i = 0; i < sel->n; i++)
    if (!kept || p[i].id != p[kept - 1].id) p[kept++] = p[i];
  qsort(p, kept, sizeof *p, by_place);
  for (size_t i = 0; i < kept; i++) sel->ids[i] = p[i].id;
  sel->n = kept;
  free(p);
  return 0;
}

static const struct format *find_format(const char *name) {
  for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++)
    if (!strcmp(name, formats[k].name)) return &formats[k];
  return NULL;
}

/* Parses --runs' FROM-TO into *from and *to; -1 on anything else. */
static int parse_range(const char *v, int64_t *from, int64_t *to) {
  char first[32];
  const char *dash = strchr(v, '-');
  uint64_t a, b;
  if (!dash || (size_t)(dash - v) >= sizeof first) return -1;
  memcpy(first, v, (size_t)(dash - v));
  first[dash - v] = '\0';
  if (cli_parse_u64(first, INT64_MAX, &a) || cli_parse_u64(dash + 1, INT64_MAX, &b) || a == 0 || a > b) return -1;
  *from = (int64_t)a;
  *to = (int64_t)b;
  return 0;
}

/* Adds the runs of `suite` to the selection; an exit code. */
static int add_suite(rpt_db *db, const char *db_path, struct selection *sel, int64_t suite) {
  size_t n = 0;
  int rc = rpt_suite_runs(db, suite, NULL, 0, &n);
  int64_t *ids = rc == RPT_OK && n ? malloc(n * sizeof *ids) : NULL;
  if (rc == RPT_OK && n && !ids) return CLI_EXIT_INTERNAL;
  if (rc == RPT_OK) rc = rpt_suite_runs(db, suite, ids, n, &n);
  for (size_t i = 0; rc == RPT_OK && i < n; i++)
    if (add_id(sel, ids[i])) rc = RPT_E_NOMEM;
  free(ids);
  if (rc == RPT_E_NOTFOUND) {
    fprintf(stderr, "hnsim report: '%s' has no suite %lld\n", db_path, (long long)suite);
    return CLI_EXIT_USAGE;
  }
  if (rc) fprintf(stderr, "hnsim report: %s\n", rc == RPT_E_NOMEM ? "out of memory" : rpt_db_errmsg(db));
  return rc ? CLI_EXIT_INTERNAL : CLI_EXIT_OK;
}

/* The one place that decides which runs a report covers: the runs named,
 * each checked to exist; --suite's; or for --last the runs of the suite of
 * the most recent run (all that its `hnsim run` made), or that run alone
 * when it belongs to no suite. Returns an exit code, with a message on
 * failure. */
static int resolve_runs(rpt_db *db, const char *db_path, struct selection *sel) {
  int64_t last, suite;
  int rc = rpt_suite_last(db, &last, &suite);
  if (rc == RPT_E_NOTFOUND) {
    fprintf(stderr, "hnsim report: '%s' has no runs yet\n", db_path);
    return CLI_EXIT_USAGE;
  }
  if (rc) {
    fprintf(stderr, "hnsim report: %s\n", rpt_db_errmsg(db));
    return CLI_EXIT_INTERNAL;
  }
  if (sel->suite) return add_suite(db, db_path, sel, sel->suite);
  if (sel->n == 0 && suite) return add_suite(db, db_path, sel, suite);
  if (sel->n == 0) return add_id(sel, last) ? CLI_EXIT_INTERNAL : CLI_EXIT_OK;
  for (size_t i = 0; i < sel->n; i++) {
    rpt_run_summary s;
    if ((rc = rpt_run_get(db, sel->ids[i], &s)) == RPT_OK) {
      rpt_run_summary_clear(&s);
      continue;
    }
    if (rc == RPT_E_NOTFOUND) {
      fprintf(stderr, "hnsim report: '%s' has no run %lld\n", db_path, (long long)sel->ids[i]);
      return CLI_EXIT_USAGE;
    }
    fprintf(stderr, "hnsim report: %s\n", rpt_db_errmsg(db));
    return CLI_EXIT_INTERNAL;
  }
  return CLI_EXIT_OK;
}

/* Parses the arguments after `report`; returns -1 to go on, else an exit code. */
static int parse(int argc, char **argv, cli_common *c, struct selection *sel, const struct format **fmt,
                 const char **out_path) {
  const char *v;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int r = cli_common_option(c, argc, argv, &i);
    if (r < 0) return CLI_EXIT_USAGE;
    if (r > 0) continue;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      report_usage(stdout);
      return CLI_EXIT_OK;
    } else if (!strcmp(a, "--last")) {
      sel->last = 1;
    } else if (!strcmp(a, "--run")) {
      int64_t id;
      if (!(v = cli_flag_value(argc, argv, &i)) || cli_parse_id("report", "--run", "run", v, &id)) return CLI_EXIT_USAGE;
      if (add_id(sel, id)) return CLI_EXIT_INTERNAL;
    } else if (!strcmp(a, "--suite")) {
      if (!(v = cli_flag_value(argc, argv, &i)) || cli_parse_id("report", "--suite", "suite", v, &sel->suite))
        return CLI_EXIT_USAGE;
    } else if (!strcmp(a, "--runs")) {
      int64_t from, to;
      if (!(v = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
      if (parse_range(v, &from, &to)) {
        fprintf(stderr, "hnsim report: --runs: '%s' is not a range of run ids FROM-TO (1 <= FROM <= TO)\n", v);
        return CLI_EXIT_USAGE;
      }
      if (to - from >= 1000000) {
        fprintf(stderr, "hnsim report: --runs: '%s' names more than a million runs\n", v);
        return CLI_EXIT_USAGE;
      }
      for (int64_t id = from; id <= to; id++)
        if (add_id(sel, id)) return CLI_EXIT_INTERNAL;
    } else if (!strcmp(a, "--format")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
      if (!(*fmt = find_format(v))) {
        fprintf(stderr, "hnsim report: --format: '%s' is not a format this build writes (md, html, junit, json)\n", v);
        return CLI_EXIT_USAGE;
      }
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (!(*out_path = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
    } else {
      fprintf(stderr, "hnsim report: unknown argument '%s'\n", a);
      report_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if ((sel->last != 0) + (sel->n != 0) + (sel->suite != 0) > 1) {
    fprintf(stderr, "hnsim report: --last, --suite and --run/--runs name runs in different ways: give one\n");
    return CLI_EXIT_USAGE;
  }
  return dedupe(sel) ? CLI_EXIT_INTERNAL : -1;
}

int cli_report(int argc, char **argv) {
  cli_common c;
  cli_common_defaults(&c);
  struct selection sel = {NULL, 0, 0, 0, 0};
  const struct format *fmt = &formats[0];
  const char *out_path = NULL;
  int rc = parse(argc, argv, &c, &sel, &fmt, &out_path);
  if (rc >= 0) {
    free(sel.ids);
    return rc;
  }

  rpt_db *db;
  if (rpt_db_open(c.db, &db)) {
    fprintf(stderr, "hnsim report: results database '%s': %s\n", c.db, rpt_db_errmsg(db));
    rpt_db_close(db);
    free(sel.ids);
    return CLI_EXIT_USAGE;
  }
  rc = resolve_runs(db, c.db, &sel);
  FILE *out = NULL;
  if (rc == CLI_EXIT_OK && !(out = out_path ? fopen(out_path, "w") : stdout)) {
    fprintf(stderr, "hnsim report: -o: cannot write '%s'\n", out_path);
    rc = CLI_EXIT_USAGE;
  }
  if (rc == CLI_EXIT_OK) {
    int st = fmt->write(db, sel.ids, sel.n, out);
    if (out_path && fclose(out) && !st) st = RPT_E_IO;
    if (st) {
      if (st == RPT_E_IO && out_path) fprintf(stderr, "hnsim report: -o: writing '%s' failed\n", out_path);
      else fprintf(stderr, "hnsim report: %s\n", rpt_db_errmsg(db));
      rc = CLI_EXIT_INTERNAL;
    } else if (out_path && sel.n == 1) {
      fprintf(stderr, "hnsim report: run %lld written to %s\n", (long long)sel.ids[0], out_path);
    } else if (out_path) {
      fprintf(stderr, "hnsim report: %zu runs written to %s\n", sel.n, out_path);
    }
  }
  rpt_db_close(db);
  free(sel.ids);
  return rc;
}
