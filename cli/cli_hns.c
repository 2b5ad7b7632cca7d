/* cli_hns.c: `hnsim hns`: a sequence of HNSCall requests against one
 * simulated HNS of a chosen Windows version, from the shell, with HNS's
 * answers printed as it gives them. Steps `restart [MODE]` and `reboot` put
 * the service through hns_lifecycle.h between calls. For trying what a
 * given Windows version answers before writing a scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli_commands.h"
#include "cli_exit.h"
#include "cli_options.h"
#include "hns_api.h"
#include "hns_lifecycle.h"
#include "hns_profile.h"
#include "hns_v1.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: hnsim hns [--profile P] [--seed N] STEP...\n"
          "Sends HNSCall requests (HNS's v1 API, docs/v1-api.md) to one simulated HNS and\n"
          "prints each answer, {\"Success\":...}, on the line after the request.\n"
          "\n"
          "steps:\n"
          "  GET PATH | DELETE PATH   e.g. GET /networks, DELETE /endpoints/<id>\n"
          "  POST PATH BODY           BODY is JSON text, or @FILE to read it from a file\n"
          "  restart [MODE]           restart the HNS service; MODE: profile (default), all,\n"
          "                           networks-only, hns-data-deleted (docs/profiles.md)\n"
          "  reboot                   reboot the host\n"
          "\n"
          "options:\n"
          "  --profile P   the Windows version (default %s; docs/profiles.md)\n"
          "  --seed N      the seed the IDs and MACs HNS chooses derive from (default %d)\n"
          "\n"
          "example:\n"
          "  hnsim hns --profile ws2019 GET /globals/version \\\n"
          "    POST /networks '{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\",\n"
          "                     \"GatewayAddress\":\"172.20.0.1\"}]}' reboot GET /networks\n"
          "\n"
          "exit status: 0 every request succeeded, 1 HNS refused one (its answer says why),\n"
          "             2 usage error or unreadable BODY file, 3 internal error\n",
          hns_profile_default_name(), CLI_DEFAULT_SEED);
}

/* The text of a BODY argument: itself, or the contents of @FILE (caller frees). */
static char *body_text(const char *arg) {
  if (arg[0] != '@') return strdup(arg);
  FILE *f = fopen(arg + 1, "rb");
  if (!f) {
    fprintf(stderr, "hnsim hns: cannot read BODY file '%s'\n", arg + 1);
    return NULL;
  }
  size_t len = 0, cap = 4096;
  char *buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
    len += got;
    if (len + 1 == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger) free(buf);
      buf = bigger;
    }
  }
  fclose(f);
  if (buf) buf[len] = '\0';
  return buf;
}

/* Runs a restart or reboot and prints, as JSON, what it kept and dropped. */
static int lifecycle_step(hns_service *svc, const char *step, const char *mode_name) {
  hns_lifecycle_report r;
  hns_hr hr;
  if (!strcmp(step, "reboot")) {
    hr = hns_service_reboot(svc, &r);
  } else {
    int mode = mode_name ? hns_rehydration_lookup(mode_name) : HNS_REHYDRATE_PROFILE;
    hr = hns_service_restart(svc, (hns_rehydration)mode, &r);
  }
  if (HNS_FAILED(hr)) return CLI_EXIT_INTERNAL;
  static const char *const kinds[HNS_LIFECYCLE_KINDS] = {"Networks", "Endpoints", "Namespaces", "LoadBalancers",
                                                         "SdnRoutes"};
  printf("{\"Kept\":{");
  for (int k = 0; k < HNS_LIFECYCLE_KINDS; k++) printf("%s\"%s\":%zu", k ? "," : "", kinds[k], r.kept[k]);
  printf("},\"Dropped\":{");
  for (int k = 0; k < HNS_LIFECYCLE_KINDS; k++) printf("%s\"%s\":%zu", k ? "," : "", kinds[k], r.dropped[k]);
  printf("},\"PoliciesDropped\":%zu}\n", r.policies_dropped);
  return CLI_EXIT_OK;
}

static int is_method(const char *s) { return !strcasecmp(s, "GET") || !strcasecmp(s, "POST") || !strcasecmp(s, "DELETE"); }

/* Runs the steps argv[i..]; the exit code (cli_exit.h). */
static int run_steps(hns_service *svc, int argc, char **argv, int i) {
  int status = CLI_EXIT_OK;
  while (i < argc) {
    const char *step = argv[i++];
    if (!strcmp(step, "reboot") || !strcmp(step, "restart")) {
      const char *mode = !strcmp(step, "restart") && i < argc && hns_rehydration_lookup(argv[i]) >= 0 ? argv[i++] : NULL;
      printf("> %s%s%s\n", step, mode ? " " : "", mode ? mode : "");
      int rc = lifecycle_step(svc, step, mode);
      if (rc != CLI_EXIT_OK) return rc;
      continue;
    }
    if (!is_method(step) || i >= argc) {
      fprintf(stderr, "hnsim hns: '%s' is not a step (GET/POST/DELETE PATH, restart, reboot; see --help)\n", step);
      return CLI_EXIT_USAGE;
    }
    const char *path = argv[i++];
    char *body = NULL;
    if (!strcasecmp(step, "POST")) {
      if (i >= argc) {
        fprintf(stderr, "hnsim hns: POST %s needs a BODY (JSON text or @FILE)\n", path);
        return CLI_EXIT_USAGE;
      }
      if (!(body = body_text(argv[i++]))) return CLI_EXIT_USAGE;
    }
    char *response = NULL;
    hns_hr hr = hns_call(svc, step, path, body, &response);
    printf("> %s %s\n%s\n", step, path, response ? response : "");
    if (HNS_FAILED(hr)) {
      printf("# 0x%08X %s\n", (unsigned)hr, hns_service_last_detail(svc));
      status = CLI_EXIT_FAILED;
    }
    free(response);
    free(body);
  }
  return status;
}

int cli_hns(int argc, char **argv) {
  cli_common c;
  cli_common_defaults(&c);
  int i = 1;
  for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
    if (!strcmp(argv[i], "--help")) {
      usage(stdout);
      return CLI_EXIT_OK;
    }
    if (strcmp(argv[i], "--profile") && strcmp(argv[i], "--seed")) {
      fprintf(stderr, "hnsim hns: unknown option '%s'\n", argv[i]);
      usage(stderr);
      return CLI_EXIT_USAGE;
    }
    if (cli_common_option(&c, argc, argv, &i) < 0) return CLI_EXIT_USAGE;
  }
  if (i >= argc) {
    fprintf(stderr, "hnsim hns: no steps given\n");
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  hns_service_config cfg = {hns_profile_find(c.profile), "host", c.seed};
  hns_service *svc;
  if (HNS_FAILED(hns_service_create(&cfg, &svc))) return CLI_EXIT_INTERNAL;
  int status = run_steps(svc, argc, argv, i);
  hns_service_destroy(svc);
  return status;
}
