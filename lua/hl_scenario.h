/* hl_scenario.h: running a scenario file (docs/scenarios.md is the
 * contract of the API a file sees).
 *
 * One run is one scenario file x one profile x one seed: its own sandbox,
 * sim_world, sim_net and one simulated HNS backend per Windows host, and
 * one run in the results database, begun before the file runs and
 * finished after it, with every HNS call, fault, probe, print() line and
 * expectation as rows. A run ends:
 *   - passed: every expectation held;
 *   - failed: at least one did not;
 *   - error: the file could not be carried out (a syntax error, an error
 *     raised by the file or one of its callbacks, an exhausted instruction
 *     budget or memory cap); the message, "file:line: message" and a
 *     traceback, is recorded as an error log row and returned.
 *
 * Before running a file across profiles, a runner reads its metadata
 * (hl_scenario_inspect): the file runs until its first call of the
 * scenario API, which must be scenario{...} if the file has one. */
#ifndef HL_SCENARIO_H
#define HL_SCENARIO_H
#include <stddef.h>
#include <stdint.h>
#include "hl_sandbox.h"
#include "rpt_db.h"
#include "sim_net.h"

#define HL_SCENARIO_MAX_PROFILES 16
#define HL_SCENARIO_NAME_MAX 128

/* The sandbox limits a run gets: memory cap and instruction budget. */
typedef struct hl_limits {
  size_t memory_cap;
  uint64_t instruction_budget;
} hl_limits;

#define HL_LIMITS_DEFAULTS                                                                                             \
  { HL_DEFAULT_MEMORY_CAP, HL_DEFAULT_INSTRUCTION_BUDGET }

/* What scenario{...} says; name is the file's name without folder and
 * ".lua" when scenario{} gives none or the file has no scenario{}. */
typedef struct hl_scenario_info {
  char name[HL_SCENARIO_NAME_MAX];
  char description[256];
  int has_seed; /* scenario{seed=} was given */
  uint64_t seed;
  size_t nprofiles;                               /* 0: scenario{} named none */
  const char *profiles[HL_SCENARIO_MAX_PROFILES]; /* hnsmock's static profile names */
} hl_scenario_info;

/* Reads the metadata of the file at `path` (`module_dir` as in
 * hl_scenario_config). HL_OK with *out filled; or the sandbox's status of
 * the failure (HL_E_IO, HL_E_SYNTAX, HL_E_RUNTIME for a bad scenario{...}
 * or an error before it, HL_E_BUDGET, HL_E_MEMORY; HL_E_INVAL for bad
 * limits) with "file:line: message" and its traceback in err. */
int hl_scenario_inspect(const char *path, const hl_limits *limits, const char *module_dir, hl_scenario_info *out,
                        char *err, size_t errsz);

/* Receives one line of print() output from the scenario (without newline),
 * besides the log row it becomes. */
typedef void hl_scenario_echo_fn(void *ctx, const char *line, size_t len);

/* Called once the file has run without error (its expectations held or
 * not), with the model the scenario built, before the run is torn down:
 * `hnsim trace SCENARIO` probes that world. It must not keep `net`. */
typedef void hl_scenario_after_fn(void *ctx, sim_net *net);

typedef struct hl_scenario_config {
  const char *path;    /* the scenario file */
  const char *name;    /* the run's scenario name (hl_scenario_info.name) */
  const char *profile; /* a profile name (hns_profile_find) */
  uint64_t seed;       /* at most INT64_MAX */
  hl_limits limits;
  const char *module_dir;    /* require()'s folder, or NULL */
  rpt_db *db;                /* where the run is recorded */
  const char *hnsim_version; /* stored with the run */
  hl_scenario_echo_fn *echo; /* NULL: print() output goes to the database only */
  void *echo_ctx;
  hl_scenario_after_fn *after; /* NULL: nothing */
  void *after_ctx;
} hl_scenario_config;

typedef struct hl_scenario_outcome {
  int64_t run_id;
  int state;  /* RPT_RUN_PASSED, _FAILED or _ERROR */
  int status; /* HL_OK, or the sandbox status that made it an error */
  int expectations, failed;
  char error[HL_ERRMSG_SIZE]; /* state error: "file:line: message" and the traceback */
} hl_scenario_outcome;

/* Runs the file once into cfg->db. HL_OK when the run was carried out and
 * recorded, whatever its state (in *out); HL_E_INVAL for a bad
 * configuration (out->error says which field); HL_E_NOMEM; HL_E_DB when
 * the results database failed (rpt_db_errmsg says why; the run may be
 * left incomplete). */
int hl_scenario_run(const hl_scenario_config *cfg, hl_scenario_outcome *out);

/* One host's HNS state to preload: the document hns_check_state writes
 * (a snapshot of a recorded run, or a real host's imported state). */
typedef struct hl_host_state {
  const char *host;  /* the name the scenario's host() gives it; not empty */
  const char *state; /* the state document */
} hl_host_state;

/* Host states a run starts from (docs/scenarios.md "Running on a recorded
 * or imported host state"). When the file makes a Windows host whose name
 * has a state here, the host's HNS is loaded with it right after host()
 * made it (hnsmock/hns_state_load.h): the file still lays the fabric, the
 * NICs and routers, which a state does not hold. The host's profile is
 * host{profile=} when given, else the state's Profile, else the run's; a
 * state recorded on another profile than host{profile=} is loaded all the
 * same (a what-if), with a warning row. A state the host's HNS refuses, or
 * one for a Linux host, ends the run as an error naming the host, the
 * object and the HRESULT; a state no host takes is a warning row at the
 * end. The strings are the caller's and must outlive the run. */
typedef struct hl_scenario_preload {
  const hl_host_state *hosts; /* n states, host names unique */
  size_t n;
  const char *origin; /* where they come from, for the log ("run 12, snapshot 'end'"); may be NULL */
} hl_scenario_preload;

/* hl_scenario_run, with the run's Windows hosts starting from `preload`
 * (NULL: as hl_scenario_run). HL_E_INVAL also for a preload with a host
 * named twice or without a name or state. */
int hl_scenario_run_preloaded(const hl_scenario_config *cfg, const hl_scenario_preload *preload,
                              hl_scenario_outcome *out);

#endif
