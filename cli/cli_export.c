/* cli_export.c: `hnsim export`: the hosts of a recorded run, as its
 * snapshots hold them, written as the files Microsoft's tools write
 * (hnsmock/hns_hostdump.h): Get-Hns* | ConvertTo-Json (network.json,
 * endpoint.json, policylist.json), `hnsdiag list all -d` (hnsdiag.txt), or
 * networkhealth.ps1's replay dump (endpointdata.json, networkdata.json,
 * loadbalancerdata.json, nodedata.json), one folder per host: DIR/HOST/.
 * So simulated state can be read by those tools (networkhealth.ps1
 * -Replay) and by `hnsim import`. docs/import-export.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "hns_hostdump.h"
#include "rpt_read.h"
#include "rpt_rows.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: hnsim export --run ID|--last [--db PATH] [--label L] --format json|hnsdiag|networkhealth DIR\n"
          "Writes each host of a recorded run, as its snapshot holds it, in the files a\n"
          "Windows tool writes, into DIR/HOST/ (DIR and the host folders are made):\n"
          "  json           network.json, endpoint.json, policylist.json: Get-HnsNetwork,\n"
          "                 Get-HnsEndpoint, Get-HnsPolicyList | ConvertTo-Json\n"
          "  hnsdiag        hnsdiag.txt: hnsdiag list all -d\n"
          "  networkhealth  endpointdata.json, networkdata.json, loadbalancerdata.json,\n"
          "                 nodedata.json: what networkhealth.ps1 -Replay reads\n"
          "hnsim import reads them back (docs/import-export.md says what each format loses).\n"
          "\n"
          "options:\n"
          "  --run ID, --last    the run, or the most recent one\n"
          "  --label L           which of its snapshots (default end)\n"
          "  --db PATH           results database (default %s)\n"
          "\n"
          "example:\n"
          "  hnsim run scenarios/service-lb.lua && hnsim export --last --format networkhealth out\n"
          "\n"
          "exit status: 0 written, 2 usage or input error (no such run or snapshot), 3 a\n"
          "             file could not be written\n",
          CLI_DEFAULT_DB);
}

typedef struct export_args {
  const char *db, *label, *dir;
  int64_t run_id; /* -1: --last */
  int format;
} export_args;

/* -1 on a usage error (reported), 1 for --help, 0 otherwise. */
static int parse_args(int argc, char **argv, export_args *a) {
  cli_common c;
  cli_common_defaults(&c);
  memset(a, 0, sizeof *a);
  a->label = "end";
  a->format = -1;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    if (!strcmp(argv[i], "--run")) {
      if (!(v = cli_flag_value(argc, argv, &i)) || cli_parse_id("export", "--run", "run", v, &a->run_id)) return -1;
    } else if (!strcmp(argv[i], "--last")) {
      a->run_id = -1;
    } else if (!strcmp(argv[i], "--label")) {
      if (!(a->label = cli_flag_value(argc, argv, &i))) return -1;
    } else if (!strcmp(argv[i], "--format")) {
      if (!(v = cli_flag_value(argc, argv, &i))) return -1;
      a->format = hns_dump_format_lookup(v);
      if (a->format != HNS_DUMP_JSON && a->format != HNS_DUMP_HNSDIAG && a->format != HNS_DUMP_NETWORKHEALTH) {
        fprintf(stderr, "hnsim export: --format: '%s' is not json, hnsdiag or networkhealth\n", v);
        return -1;
      }
    } else if (!strcmp(argv[i], "--db")) {
      if (cli_common_option(&c, argc, argv, &i) < 0) return -1;
    } else if (!strncmp(argv[i], "--", 2)) {
      fprintf(stderr, "hnsim export: unknown option '%s'\n", argv[i]);
      return -1;
    } else if (a->dir) {
      fprintf(stderr, "hnsim export: too many arguments ('%s')\n", argv[i]);
      return -1;
    } else {
      a->dir = argv[i];
    }
  }
  a->db = c.db;
  if (!a->run_id || a->format < 0 || !a->dir) {
    fprintf(stderr, "hnsim export: give --run ID (or --last), --format and the folder DIR\n");
    return -1;
  }
  return 0;
}

static int make_dir(const char *path) {
  if (!mkdir(path, 0777) || errno == EEXIST) return 0;
  fprintf(stderr, "hnsim export: cannot make folder '%s': %s\n", path, strerror(errno));
  return -1;
}

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  int ok = f && fputs(text, f) >= 0;
  if (f && fclose(f)) ok = 0;
  if (!ok) fprintf(stderr, "hnsim export: cannot write '%s'\n", path);
  return ok ? 0 : -1;
}

typedef struct export_walk {
  const export_args *a;
  size_t hosts;
  int status; /* the exit status of the first failure */
} export_walk;

/* One snapshot: its host's files. A host name that cannot be a folder's
 * name (empty, '.', '..', with a slash) is refused. */
static int export_snapshot(void *arg, const rpt_snapshot *s) {
  export_walk *w = arg;
  char dir[4096], path[4200], err[512];
  if (!strcmp(s->host, ".") || !strcmp(s->host, "..") || strchr(s->host, '/') || strchr(s->host, '\\')) {
    fprintf(stderr, "hnsim export: host '%s' cannot name a folder\n", s->host);
    w->status = CLI_EXIT_USAGE;
    return 1;
  }
  hns_dump_files files;
  hns_hr hr = hns_dump_export(s->document, (hns_dump_format)w->a->format, &files, err, sizeof err);
  if (HNS_FAILED(hr)) {
    fprintf(stderr, "hnsim export: host %s: %s\n", s->host, err);
    w->status = hr == HNS_E_OUTOFMEMORY ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
    return 1;
  }
  snprintf(dir, sizeof dir, "%s/%s", w->a->dir, s->host);
  int rc = make_dir(w->a->dir) || make_dir(dir);
  printf("host %s:", s->host);
  for (size_t i = 0; !rc && i < files.n; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files.v[i].name);
    rc = write_file(path, files.v[i].text);
    printf(" %s", path);
  }
  printf("\n");
  hns_dump_files_free(&files);
  if (rc) {
    w->status = CLI_EXIT_INTERNAL;
    return 1;
  }
  w->hosts++;
  return 0;
}

int cli_export(int argc, char **argv) {
  export_args a;
  int p = parse_args(argc, argv, &a);
  if (p) {
    usage(p > 0 ? stdout : stderr);
    return p > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
  }
  rpt_db *db;
  if (rpt_db_open(a.db, &db)) {
    fprintf(stderr, "hnsim export: results database '%s': %s\n", a.db, rpt_db_errmsg(db));
    rpt_db_close(db);
    return CLI_EXIT_USAGE;
  }
  int64_t id = a.run_id;
  int rc = id > 0 ? RPT_OK : rpt_run_last(db, &id);
  export_walk w = {&a, 0, CLI_EXIT_OK};
  if (!rc) rc = rpt_snapshot_foreach(db, id, a.label, export_snapshot, &w);
  if (rc == RPT_E_NOTFOUND) {
    fprintf(stderr, "hnsim export: '%s' has no run %s\n", a.db, a.run_id > 0 ? "with that id" : "yet");
    w.status = CLI_EXIT_USAGE;
  } else if (rc && w.status == CLI_EXIT_OK) {
    fprintf(stderr, "hnsim export: run %lld: %s\n", (long long)id, rc < 0 ? "out of memory" : rpt_db_errmsg(db));
    w.status = CLI_EXIT_INTERNAL;
  } else if (w.status == CLI_EXIT_OK && !w.hosts) {
    fprintf(stderr, "hnsim export: run %lld has no snapshot labelled '%s'\n", (long long)id, a.label);
    w.status = CLI_EXIT_USAGE;
  } else if (w.status == CLI_EXIT_OK) {
    printf("exported run %lld, snapshot '%s', %zu host%s, as %s, to %s\n", (long long)id, a.label, w.hosts,
           w.hosts == 1 ? "" : "s", hns_dump_format_name((hns_dump_format)a.format), a.dir);
  }
  rpt_db_close(db);
  return w.status;
}
