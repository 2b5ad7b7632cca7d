/* cli_options.c: parsing of the options shared by hnsim's subcommands. */
#include "cli_options.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_profile.h"
#include "sim_packet.h"

void cli_common_defaults(cli_common *c) {
  c->db = CLI_DEFAULT_DB;
  c->seed = CLI_DEFAULT_SEED;
  c->seed_given = 0;
  c->profile = hns_profile_default_name();
  c->backend = "sim";
}

int cli_parse_u64(const char *s, uint64_t max, uint64_t *out) {
  if (!s || *s < '0' || *s > '9') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v > max) return -1;
  *out = v;
  return 0;
}

int cli_parse_id(const char *cmd, const char *what, const char *kind, const char *s, int64_t *out) {
  uint64_t v;
  if (!cli_parse_u64(s, INT64_MAX, &v) && v > 0) {
    *out = (int64_t)v;
    return 0;
  }
  fprintf(stderr, "hnsim %s: %s%s'%s' is not a %s id (a whole number from 1)\n", cmd, what ? what : "",
          what ? ": " : "", s, kind);
  return -1;
}

const char *cli_flag_value(int argc, char **argv, int *i) {
  if (*i + 1 >= argc) {
    fprintf(stderr, "hnsim: %s needs a value\n", argv[*i]);
    return NULL;
  }
  return argv[++*i];
}

int cli_common_option(cli_common *c, int argc, char **argv, int *i) {
  const char *flag = argv[*i], *v;
  if (!strcmp(flag, "--db")) {
    if (!(v = cli_flag_value(argc, argv, i))) return -1;
    if (!*v) {
      fprintf(stderr, "hnsim: --db: the path is empty\n");
      return -1;
    }
    c->db = v;
  } else if (!strcmp(flag, "--seed")) {
    if (!(v = cli_flag_value(argc, argv, i))) return -1;
    if (cli_parse_u64(v, INT64_MAX, &c->seed)) {
      fprintf(stderr, "hnsim: --seed: '%s' is not a whole number from 0 to %lld\n", v, (long long)INT64_MAX);
      return -1;
    }
    c->seed_given = 1;
  } else if (!strcmp(flag, "--profile")) {
    if (!(v = cli_flag_value(argc, argv, i))) return -1;
    if (!hns_profile_find(v)) {
      fprintf(stderr, "hnsim: --profile: unknown profile '%s' (known:", v);
      for (const hns_profile *const *p = hns_profiles(); *p; p++) fprintf(stderr, " %s", (*p)->name);
      fprintf(stderr, ")\n");
      return -1;
    }
    c->profile = v;
  } else if (!strcmp(flag, "--backend")) {
    if (!(v = cli_flag_value(argc, argv, i))) return -1;
    if (strcmp(v, "sim") && strcmp(v, "hcn")) {
      fprintf(stderr, "hnsim: --backend: '%s' is not a backend (sim or hcn)\n", v);
      return -1;
    }
    c->backend = v;
  } else {
    return 0;
  }
  return 1;
}

int cli_common_validate(const cli_common *c) {
#ifndef _WIN32
  if (!strcmp(c->backend, "hcn")) {
    fprintf(stderr,
            "hnsim: --backend hcn drives the real Host Networking Service through computenetwork.dll "
            "and exists only in the Windows build; use --backend sim here\n");
    return -1;
  }
#endif
  (void)c;
  return 0;
}

int cli_parse_proto(const char *s, uint8_t *proto, uint16_t *port) {
  uint64_t v = 80;
  const char *slash = strchr(s, '/');
  size_t n = slash ? (size_t)(slash - s) : strlen(s);
  if (n == 4 && !strncmp(s, "icmp", 4) && !slash) {
    *proto = SIM_IPPROTO_ICMP;
    *port = 0;
    return 0;
  }
  if (n == 3 && (!strncmp(s, "tcp", 3) || !strncmp(s, "udp", 3)) && (!slash || (!cli_parse_u64(slash + 1, 65535, &v) && v))) {
    *proto = s[0] == 't' ? SIM_IPPROTO_TCP : SIM_IPPROTO_UDP;
    *port = (uint16_t)v;
    return 0;
  }
  return -1;
}
