/* hnsim_main.c: the hnsim command: dispatches to its subcommands. */
#include <stdio.h>
#include <string.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "hnsim_version.h"

static void usage(FILE *f) {
  fprintf(f,
          "hnsim %s: a deterministic simulator and test harness for Windows container\n"
          "networking (the Host Networking Service and its HCN API).\n"
          "\n"
          "usage: hnsim COMMAND [options]\n"
          "\n"
          "commands:\n"
          "  run       run scenarios and record their results (hnsim run --help)\n"
          "  report    write a report of runs from the results database: HTML,\n"
          "            Markdown, JUnit XML or JSON\n"
          "  hns       send HNSCall requests to a simulated HNS of one Windows version\n"
          "  trace     send one probe through a built-in topology and print its hops\n"
          "  truth     probe every source to every target of a built-in topology and\n"
          "            compare the verdicts with what the seed implies (a truth table)\n"
          "  check     check the HNS invariants (networkhealth, known failures) over a\n"
          "            built-in topology's hosts, saved host states or a recorded run\n"
          "  compare   compare two runs: HNS objects, truth tables, HCN calls and\n"
          "            their HRESULTs, timing (e.g. a real host's run with the simulator's)\n"
          "  import    record real hosts' HNS dumps (collectlogs, Get-Hns* JSON, hnsdiag,\n"
          "            networkhealth) as a run, for check, report and compare\n"
          "  export    write a run's hosts as Get-Hns* JSON, hnsdiag or networkhealth files\n"
          "  version   print the version\n"
          "  help      this text\n"
          "\n"
          "Results go to one SQLite database (--db, default hnsim-results.db); the same\n"
          "scenario and seed give byte-identical results, proved by a digest per run.\n"
          "\n"
          "exit status: 0 every expectation held, 1 an expectation failed,\n"
          "             2 usage or input error, 3 internal error\n",
          HNSIM_VERSION);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "run")) return cli_run(argc - 1, argv + 1);
  if (!strcmp(cmd, "report")) return cli_report(argc - 1, argv + 1);
  if (!strcmp(cmd, "hns")) return cli_hns(argc - 1, argv + 1);
  if (!strcmp(cmd, "trace")) return cli_trace(argc - 1, argv + 1);
  if (!strcmp(cmd, "truth")) return cli_truth(argc - 1, argv + 1);
  if (!strcmp(cmd, "check")) return cli_check(argc - 1, argv + 1);
  if (!strcmp(cmd, "compare")) return cli_compare(argc - 1, argv + 1);
  if (!strcmp(cmd, "import")) return cli_import(argc - 1, argv + 1);
  if (!strcmp(cmd, "export")) return cli_export(argc - 1, argv + 1);
  if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    printf("hnsim %s\n", HNSIM_VERSION);
    return CLI_EXIT_OK;
  }
  if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    if (argc > 2 && !strcmp(argv[2], "run")) return cli_run(2, (char *[]){"run", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "report")) return cli_report(2, (char *[]){"report", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "hns")) return cli_hns(2, (char *[]){"hns", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "trace")) return cli_trace(2, (char *[]){"trace", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "truth")) return cli_truth(2, (char *[]){"truth", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "check")) return cli_check(2, (char *[]){"check", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "compare")) return cli_compare(2, (char *[]){"compare", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "import")) return cli_import(2, (char *[]){"import", "--help", NULL});
    if (argc > 2 && !strcmp(argv[2], "export")) return cli_export(2, (char *[]){"export", "--help", NULL});
    usage(stdout);
    return CLI_EXIT_OK;
  }
  fprintf(stderr, "hnsim: unknown command '%s'\n\n", cmd);
  usage(stderr);
  return CLI_EXIT_USAGE;
}
