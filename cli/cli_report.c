/* cli_report.c: `hnsim report`: writes a report of one run from the results
 * database. It reads only the database, so it works on any machine, long
 * after the run. */
#include <stdio.h>
#include <string.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "rpt_read.h"
#include "rpt_markdown.h"

static void report_usage(FILE *f) {
  fprintf(f,
          "usage: hnsim report [--db PATH] [--run ID | --last] [--format md] [-o FILE]\n"
          "\n"
          "Writes a report of one run from the results database.\n"
          "  --db PATH     results database (default %s)\n"
          "  --run ID      the run to report\n"
          "  --last        the most recent run (the default)\n"
          "  --format md   Markdown (the only format so far)\n"
          "  -o FILE       write to FILE instead of standard output\n"
          "\n"
          "exit status: 0 written, 2 usage error or no such run, 3 internal error\n",
          CLI_DEFAULT_DB);
}

int cli_report(int argc, char **argv) {
  cli_common c;
  cli_common_defaults(&c);
  uint64_t run_id = 0;
  const char *out_path = NULL, *v;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int r = cli_common_option(&c, argc, argv, &i);
    if (r < 0) return CLI_EXIT_USAGE;
    if (r > 0) continue;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      report_usage(stdout);
      return CLI_EXIT_OK;
    } else if (!strcmp(a, "--last")) {
      run_id = 0;
    } else if (!strcmp(a, "--run")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
      if (cli_parse_u64(v, INT64_MAX, &run_id) || run_id == 0) {
        fprintf(stderr, "hnsim report: --run: '%s' is not a run id (a whole number from 1)\n", v);
        return CLI_EXIT_USAGE;
      }
    } else if (!strcmp(a, "--format")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
      if (strcmp(v, "md")) {
        fprintf(stderr, "hnsim report: --format: '%s' is not a format this build writes (md)\n", v);
        return CLI_EXIT_USAGE;
      }
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (!(out_path = cli_flag_value(argc, argv, &i))) return CLI_EXIT_USAGE;
    } else {
      fprintf(stderr, "hnsim report: unknown argument '%s'\n", a);
      report_usage(stderr);
      return CLI_EXIT_USAGE;
    }
  }

  rpt_db *db;
  if (rpt_db_open(c.db, &db)) {
    fprintf(stderr, "hnsim report: results database '%s': %s\n", c.db, rpt_db_errmsg(db));
    rpt_db_close(db);
    return CLI_EXIT_USAGE;
  }
  int64_t id = (int64_t)run_id;
  int rc = id ? 0 : rpt_run_last(db, &id);
  rpt_run_summary s;
  if (!rc) rc = rpt_run_get(db, id, &s);
  if (rc) {
    if (run_id)
      fprintf(stderr, "hnsim report: '%s' has no run %lld\n", c.db, (long long)run_id);
    else
      fprintf(stderr, "hnsim report: '%s' has no runs yet\n", c.db);
    rpt_db_close(db);
    return rc == RPT_E_NOTFOUND ? CLI_EXIT_USAGE : CLI_EXIT_INTERNAL;
  }
  rpt_run_summary_clear(&s);

  FILE *out = out_path ? fopen(out_path, "w") : stdout;
  if (!out) {
    fprintf(stderr, "hnsim report: -o: cannot write '%s'\n", out_path);
    rpt_db_close(db);
    return CLI_EXIT_USAGE;
  }
  rc = rpt_report_markdown(db, id, out);
  if (out_path && fclose(out) && !rc) rc = RPT_E_IO;
  if (rc) fprintf(stderr, "hnsim report: %s\n", rpt_db_errmsg(db));
  else if (out_path) fprintf(stderr, "hnsim report: run %lld written to %s\n", (long long)id, out_path);
  rpt_db_close(db);
  return rc ? CLI_EXIT_INTERNAL : CLI_EXIT_OK;
}
