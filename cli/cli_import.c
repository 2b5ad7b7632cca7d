/* cli_import.c: `hnsim import`: the HNS state real Windows hosts dumped
 * (collectlogs folders, Get-Hns* | ConvertTo-Json, HNSCall envelopes, HCN
 * v2 JSON, hnsdiag text, networkhealth dumps, saved host states: the
 * formats of hnsmock/hns_hostdump.h), recorded in the results database as
 * a run of backend "real": one snapshot per host, a log line per file read
 * and per object left out, the run passed. `hnsim check --run`, report,
 * compare and export then read a real host as they read a simulated one.
 * Nothing is written unless every host's files are read whole.
 * docs/import-export.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "hns_hostdump.h"
#include "hnsim_version.h"
#include "rpt_rows.h"
#include "rpt_write.h"

#define MAX_HOSTS 64
#define MAX_PATHS 256

static void usage(FILE *f) {
  fprintf(f,
          "usage: hnsim import --host NAME [--db PATH] [--label L] [--format F] [--profile P] [--name S] FILE|DIR...\n"
          "       hnsim import --host NAME=PATH [--host NAME=PATH]... [options]\n"
          "Reads the HNS state real Windows hosts dumped and records it as a new run\n"
          "(backend 'real') in the results database: one snapshot per host, labelled 'end',\n"
          "which hnsim check --run, report, compare and export read. A FILE is read in\n"
          "the format its content shows; a DIR is a collectlogs.ps1 or networkhealth.ps1\n"
          "folder, or one hnsim export wrote (docs/import-export.md).\n"
          "\n"
          "formats: a host state (hnsim check --save-state), Get-HnsNetwork / Get-HnsEndpoint /\n"
          "Get-HnsPolicyList | ConvertTo-Json, an HNSCall envelope, HCN v2 JSON,\n"
          "`hnsdiag list all [-d]` text, networkhealth's endpointdata.json and the others.\n"
          "\n"
          "options:\n"
          "  --host NAME         the host the FILEs and DIRs that follow are from\n"
          "  --host NAME=PATH    PATH is from host NAME (several hosts in one run)\n"
          "  --db PATH           results database (default %s)\n"
          "  --label L           the snapshots' label (default end)\n"
          "  --format F          read every file as F: state, json, hnscall, v2, hnsdiag,\n"
          "                      networkhealth (default: from the content)\n"
          "  --profile P         the hosts' Windows version, when the files do not tell it\n"
          "                      (objects carry their HNS version; networkhealth's and\n"
          "                      hnsdiag's tables do not)\n"
          "  --name S            the run's scenario name (default import:HOST,...)\n"
          "\n"
          "output: a line per host, then 'imported run ID'.\n"
          "\n"
          "example:\n"
          "  hnsim import --host node1 C:/k/debug/abc123/ && hnsim check --last\n"
          "\n"
          "exit status: 0 imported, 2 usage or input error (a file none of the formats,\n"
          "             an object the state cannot hold), 3 internal error (database)\n",
          CLI_DEFAULT_DB);
}

typedef struct host_arg {
  const char *name;
  const char *paths[MAX_PATHS];
  size_t npaths;
} host_arg;

typedef struct import_args {
  host_arg hosts[MAX_HOSTS];
  size_t nhosts;
  const char *db, *label, *profile, *name;
  int format;
} import_args;

static host_arg *host_named(import_args *a, const char *name) {
  for (size_t i = 0; i < a->nhosts; i++)
    if (!strcmp(a->hosts[i].name, name)) return &a->hosts[i];
  if (a->nhosts == MAX_HOSTS) {
    fprintf(stderr, "hnsim import: --host: more than %d hosts\n", MAX_HOSTS);
    return NULL;
  }
  host_arg *h = &a->hosts[a->nhosts++];
  h->name = name;
  h->npaths = 0;
  return h;
}

static int add_path(host_arg *h, const char *path) {
  if (h->npaths == MAX_PATHS) {
    fprintf(stderr, "hnsim import: host %s: more than %d files and folders\n", h->name, MAX_PATHS);
    return -1;
  }
  h->paths[h->npaths++] = path;
  return 0;
}

/* NAME=PATH: argv's text is cut at the '=' to give the name. */
static int host_path(import_args *a, char *v) {
  char *eq = strchr(v, '=');
  if (eq == v || !eq[1]) {
    fprintf(stderr, "hnsim import: --host '%s' is not NAME or NAME=PATH\n", v);
    return -1;
  }
  *eq = '\0';
  host_arg *h = host_named(a, v);
  return h ? add_path(h, eq + 1) : -1;
}

/* -1 on a usage error (reported), 1 for --help, 0 otherwise. */
static int parse_args(int argc, char **argv, import_args *a) {
  cli_common c;
  cli_common_defaults(&c);
  memset(a, 0, sizeof *a);
  c.profile = NULL;
  a->label = "end";
  host_arg *current = NULL;
  for (int i = 1; i < argc; i++) {
    char *v;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    if (!strcmp(argv[i], "--host")) {
      if (!(v = (char *)cli_flag_value(argc, argv, &i))) return -1;
      if (!*v) {
        fprintf(stderr, "hnsim import: --host: the name is empty\n");
        return -1;
      }
      if (strchr(v, '=')) {
        if (host_path(a, v)) return -1;
      } else if (!(current = host_named(a, v))) {
        return -1;
      }
    } else if (!strcmp(argv[i], "--label")) {
      if (!(a->label = cli_flag_value(argc, argv, &i))) return -1;
      if (!*a->label) {
        fprintf(stderr, "hnsim import: --label: the label is empty\n");
        return -1;
      }
    } else if (!strcmp(argv[i], "--name")) {
      if (!(a->name = cli_flag_value(argc, argv, &i))) return -1;
      if (!*a->name) {
        fprintf(stderr, "hnsim import: --name: the name is empty\n");
        return -1;
      }
    } else if (!strcmp(argv[i], "--format")) {
      const char *f = cli_flag_value(argc, argv, &i);
      if (!f) return -1;
      if ((a->format = hns_dump_format_lookup(f)) < 0) {
        fprintf(stderr,
                "hnsim import: --format: '%s' is not a format (state, json, hnscall, v2, hnsdiag, networkhealth)\n", f);
        return -1;
      }
    } else if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--profile")) {
      if (cli_common_option(&c, argc, argv, &i) < 0) return -1;
    } else if (!strncmp(argv[i], "--", 2)) {
      fprintf(stderr, "hnsim import: unknown option '%s'\n", argv[i]);
      return -1;
    } else if (!current) {
      fprintf(stderr, "hnsim import: '%s': give --host NAME before the files of that host\n", argv[i]);
      return -1;
    } else if (add_path(current, argv[i])) {
      return -1;
    }
  }
  a->db = c.db;
  a->profile = c.profile;
  if (!a->nhosts) {
    fprintf(stderr, "hnsim import: give --host NAME and the host's files or folders\n");
    return -1;
  }
  for (size_t i = 0; i < a->nhosts; i++)
    if (!a->hosts[i].npaths) {
      fprintf(stderr, "hnsim import: host %s: no file or folder given\n", a->hosts[i].name);
      return -1;
    }
  return 0;
}

/* ---- reading the hosts ---- */

typedef struct note_line {
  int level;
  char *text;
} note_line;

typedef struct host_result {
  const char *name;
  char *state;
  note_line *notes;
  size_t nnotes;
  int oom;
} host_result;

static void keep_note(void *ctx, int level, const char *message) {
  host_result *r = ctx;
  note_line *v = realloc(r->notes, (r->nnotes + 1) * sizeof *v);
  char *text = v ? strdup(message) : NULL;
  if (v) r->notes = v;
  if (!text) {
    r->oom = 1;
    return;
  }
  r->notes[r->nnotes++] = (note_line){level, text};
  if (level == HNS_DUMP_NOTE_WARN) fprintf(stderr, "hnsim import: host %s: %s\n", r->name, message);
}

static void result_free(host_result *r) {
  for (size_t i = 0; i < r->nnotes; i++) free(r->notes[i].text);
  free(r->notes);
  free(r->state);
}

/* Reads one host's files into r->state; the exit status. */
static int read_host(const import_args *a, const host_arg *h, host_result *r) {
  hns_dump_import *im;
  r->name = h->name;
  if (HNS_FAILED(hns_dump_import_create(keep_note, r, &im))) {
    fprintf(stderr, "hnsim import: out of memory\n");
    return CLI_EXIT_INTERNAL;
  }
  hns_hr hr = HNS_S_OK;
  for (size_t i = 0; HNS_SUCCEEDED(hr) && i < h->npaths; i++) hr = hns_dump_import_path(im, h->paths[i], a->format);
  if (HNS_SUCCEEDED(hr)) hr = hns_dump_import_finish(im, a->profile, &r->state);
  if (HNS_FAILED(hr)) fprintf(stderr, "hnsim import: host %s: %s\n", h->name, hns_dump_import_error(im));
  hns_dump_import_destroy(im);
  if (r->oom && HNS_SUCCEEDED(hr)) {
    fprintf(stderr, "hnsim import: out of memory\n");
    return CLI_EXIT_INTERNAL;
  }
  return hr == HNS_E_OUTOFMEMORY ? CLI_EXIT_INTERNAL : HNS_FAILED(hr) ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

/* "ws2022: 1 network, 4 endpoints, 1 load balancer" into out, the profile's name into profile. */
static void summary(const host_result *r, char *out, size_t len, char *profile, size_t plen) {
  static const char *const keys[] = {"Networks", "Endpoints", "LoadBalancers"};
  static const char *const words[] = {"network", "endpoint", "load balancer"};
  cJSON *state = cJSON_Parse(r->state);
  const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(state, "Profile"));
  snprintf(profile, plen, "%s", name ? name : "?");
  int used = snprintf(out, len, "%s:", profile);
  for (int k = 0; k < 3 && used >= 0 && (size_t)used < len; k++) {
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(state, keys[k]));
    used += snprintf(out + used, len - (size_t)used, "%s %d %s%s", k ? "," : "", n, words[k], n == 1 ? "" : "s");
  }
  cJSON_Delete(state);
}

/* ---- recording ---- */

static int record(const import_args *a, host_result *r, size_t n) {
  char scenario[512], profile[64], line[256];
  size_t used = 0;
  if (a->name)
    snprintf(scenario, sizeof scenario, "%s", a->name);
  else
    for (size_t i = 0; i < n && used < sizeof scenario; i++)
      used += (size_t)snprintf(scenario + used, sizeof scenario - used, "%s%s", i ? "," : "import:", r[i].name);
  summary(&r[0], line, sizeof line, profile, sizeof profile);
  rpt_db *db;
  if (rpt_db_open(a->db, &db)) {
    fprintf(stderr, "hnsim import: results database '%s': %s\n", a->db, rpt_db_errmsg(db));
    rpt_db_close(db);
    return CLI_EXIT_USAGE;
  }
  rpt_run_info info = {scenario, 0, profile, "real", HNSIM_VERSION};
  int64_t run = 0;
  int rc = rpt_run_begin(db, &info, &run);
  for (size_t i = 0; !rc && i < n; i++) {
    char host_profile[64];
    summary(&r[i], line, sizeof line, host_profile, sizeof host_profile);
    for (size_t k = 0; !rc && k < r[i].nnotes; k++) {
      char message[1200];
      snprintf(message, sizeof message, "host %s: %s", r[i].name, r[i].notes[k].text);
      rc = rpt_log(db, run, 0, r[i].notes[k].level == HNS_DUMP_NOTE_WARN ? RPT_LOG_WARN : RPT_LOG_INFO, "import",
                   message);
    }
    if (!rc && strcmp(host_profile, profile)) {
      char message[256];
      snprintf(message, sizeof message, "host %s runs %s; the run is recorded under %s, the first host's", r[i].name,
               host_profile, profile);
      rc = rpt_log(db, run, 0, RPT_LOG_WARN, "import", message);
    }
    if (!rc) rc = rpt_snapshot_add(db, run, &(rpt_snapshot){0, 0, r[i].name, a->label, r[i].state}, NULL);
    if (!rc) printf("host %s: %s\n", r[i].name, line);
  }
  if (!rc) rc = rpt_run_finish(db, run, 0, RPT_RUN_PASSED);
  if (rc)
    fprintf(stderr, "hnsim import: results database '%s': %s\n", a->db, rpt_db_errmsg(db));
  else
    printf("imported run %lld\n", (long long)run);
  rpt_db_close(db);
  return rc ? CLI_EXIT_INTERNAL : CLI_EXIT_OK;
}

int cli_import(int argc, char **argv) {
  static import_args a;
  int p = parse_args(argc, argv, &a);
  if (p) {
    usage(p > 0 ? stdout : stderr);
    return p > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
  }
  host_result results[MAX_HOSTS];
  memset(results, 0, sizeof results);
  int status = CLI_EXIT_OK;
  for (size_t i = 0; status == CLI_EXIT_OK && i < a.nhosts; i++) status = read_host(&a, &a.hosts[i], &results[i]);
  if (status == CLI_EXIT_OK) status = record(&a, results, a.nhosts);
  for (size_t i = 0; i < a.nhosts; i++) result_free(&results[i]);
  return status;
}
