/* cli_options.h: the options every hnsim subcommand shares (--db, --seed,
 * --profile, --backend), parsed with messages that name the flag and value.
 * Profile names are hnsmock's (hns_profile.h, docs/profiles.md). */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H
#include <stdint.h>

#define CLI_DEFAULT_DB "hnsim-results.db"
#define CLI_DEFAULT_SEED 1

typedef struct cli_common {
  const char *db;      /* results database path */
  uint64_t seed;       /* master seed */
  int seed_given;      /* --seed was on the command line */
  const char *profile; /* Windows version profile */
  const char *backend; /* "sim" or "hcn" */
} cli_common;

void cli_common_defaults(cli_common *c);

/* If argv[*i] is a common option, consumes it (and its value), advancing *i,
 * and returns 1; returns 0 if it is not one; on a bad value prints a message
 * to stderr and returns -1. */
int cli_common_option(cli_common *c, int argc, char **argv, int *i);

/* Checks combinations the individual flags cannot (e.g. a backend this build
 * lacks). Prints the reason and returns -1 when invalid. */
int cli_common_validate(const cli_common *c);

/* Parses a decimal integer in [0, max] into *out; -1 on anything else. */
int cli_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* A run or suite id (a whole number from 1) into *out; on anything else
 * prints "hnsim CMD: WHAT: 'S' is not a KIND id (a whole number from 1)"
 * (no "WHAT: " when what is NULL) and returns -1. */
int cli_parse_id(const char *cmd, const char *what, const char *kind, const char *s, int64_t *out);

/* "tcp/PORT", "udp/PORT" (PORT 1-65535; "tcp" alone is tcp/80) or "icmp"
 * into a protocol (SIM_IPPROTO_TCP, _UDP, _ICMP) and port (0 for ICMP);
 * -1 on anything else. */
int cli_parse_proto(const char *s, uint8_t *proto, uint16_t *port);

/* The value after a flag, or NULL (with a message naming the flag) if missing. */
const char *cli_flag_value(int argc, char **argv, int *i);

#endif
