/* run_jobs.c: `hnsim run`'s jobs (run_jobs.h): a built-in scenario or a
 * Lua scenario file on one profile and seed, each run into the results
 * database, its line printed from what the database holds; and the host
 * states a recorded run's snapshots hold, read for --from-run. */
#include "run_jobs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "builtin_scenarios.h"
#include "cli_exit.h"
#include "hns_profile.h"
#include "hnsim_version.h"
#include "rpt_read.h"
#include "rpt_rows.h"

static int push(run_jobs *jobs, const run_job *job) {
  if (jobs->n == jobs->cap) {
    size_t cap = jobs->cap ? jobs->cap * 2 : 16;
    run_job *v = realloc(jobs->v, cap * sizeof *v);
    if (!v) return -1;
    jobs->v = v;
    jobs->cap = cap;
  }
  jobs->v[jobs->n++] = *job;
  return 0;
}

void run_jobs_free(run_jobs *jobs) {
  free(jobs->v);
  *jobs = (run_jobs){0};
}

int run_jobs_add(run_jobs *jobs, const run_settings *s, const char *target) {
  const cli_common *c = s->common;
  run_job job = {target, "", c->profile ? c->profile : hns_profile_default_name(), c->seed};
  if (!strncmp(target, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX))) {
    snprintf(job.name, sizeof job.name, "%s", target);
    return push(jobs, &job);
  }
  hl_scenario_info info;
  char err[HL_ERRMSG_SIZE];
  hl_scenario_inspect(target, &s->limits, s->module_dir, &info, err, sizeof err);
  snprintf(job.name, sizeof job.name, "%s", info.name);
  if (!c->seed_given && info.has_seed) job.seed = info.seed;
  if (c->profile || !info.nprofiles) return push(jobs, &job); /* an error is recorded by the run itself */
  for (size_t k = 0; k < info.nprofiles; k++) {
    job.profile = info.profiles[k];
    if (push(jobs, &job)) return -1;
  }
  return 0;
}

static int print_line(rpt_db *db, int64_t run_id) {
  rpt_run_summary s;
  int rc = rpt_run_get(db, run_id, &s);
  if (rc) return rc;
  printf("  %-6s %-28s %-10s %3lld/%-3lld expectations held  run %lld  digest %.12s\n",
         s.state == RPT_RUN_PASSED   ? "PASS"
         : s.state == RPT_RUN_FAILED ? "FAIL"
                                     : "ERROR",
         s.scenario, s.profile, (long long)(s.expectations - s.expectations_failed), (long long)s.expectations,
         (long long)s.id, s.digest);
  rpt_run_summary_clear(&s);
  return 0;
}

/* A failed expectation: its name, then its detail with every line
 * indented (a probe's hop trace is many lines). */
static int print_failure(void *arg, const rpt_expectation_row *row) {
  (void)arg;
  if (row->passed) return 0;
  printf("         FAILED: %s\n", row->name);
  for (const char *line = row->detail; *line;) {
    const char *nl = strchr(line, '\n');
    int len = nl ? (int)(nl - line) : (int)strlen(line);
    printf("%s%.*s\n", len ? "           " : "", len, line);
    line = nl ? nl + 1 : line + len;
  }
  return 0;
}

static void echo_line(void *ctx, const char *line, size_t len) {
  printf("         %s: %.*s\n", (const char *)ctx, (int)len, line);
}

static int run_builtin(rpt_db *db, const run_job *job, job_result *out) {
  const builtin_scenario *b = builtin_find(job->target + strlen(BUILTIN_PREFIX));
  rpt_run_info info = {job->target, job->seed, job->profile, "sim", HNSIM_VERSION};
  run_recorder rec;
  int rc = run_recorder_begin(&rec, db, &info);
  if (rc) return rc;
  out->run_id = rec.run_id;
  rc = run_recorder_finish(&rec, b->run(&rec) != 0);
  if (rc < 0) return rc;
  out->state = rc;
  return 0;
}

static int db_failed(rpt_db *db, const run_job *job) {
  fprintf(stderr, "hnsim run: %s: results database: %s\n", job->target, rpt_db_errmsg(db));
  return -1;
}

int run_job_execute(rpt_db *db, const run_settings *s, const run_job *job, job_result *out) {
  *out = (job_result){0};
  if (!strncmp(job->target, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX))) {
    if (run_builtin(db, job, out) || print_line(db, out->run_id)) return db_failed(db, job);
  } else {
    hl_scenario_config cfg = {job->target,
                              job->name,
                              job->profile,
                              job->seed,
                              s->limits,
                              s->module_dir,
                              db,
                              HNSIM_VERSION,
                              s->echo ? echo_line : NULL,
                              (void *)job->name,
                              NULL,
                              NULL};
    hl_scenario_outcome o;
    int rc = hl_scenario_run_preloaded(&cfg, s->preload, &o);
    if (rc == HL_E_DB) return db_failed(db, job);
    if (rc != HL_OK) {
      fprintf(stderr, "hnsim run: %s: %s\n", job->target, o.error[0] ? o.error : hl_strerror(rc));
      return -1;
    }
    out->run_id = o.run_id;
    out->state = o.state;
    out->scenario_error = o.state == RPT_RUN_ERROR;
    if (print_line(db, out->run_id)) return db_failed(db, job);
    if (out->scenario_error) {
      fflush(stdout);
      fprintf(stderr, "hnsim run: %s on %s: %s:\n%s\n", job->target, job->profile, hl_strerror(o.status), o.error);
    }
  }
  if (out->state != RPT_RUN_PASSED)
    rpt_expectation_foreach(db, out->run_id, RPT_ORDER_FAILED_FIRST, print_failure, NULL);
  return 0;
}

/* ---- --from-run: a recorded run's host states ---- */

void run_preload_free(run_preload *p) {
  for (size_t i = 0; i < p->preload.n; i++) {
    free((char *)p->hosts[i].host);
    free((char *)p->hosts[i].state);
  }
  free(p->hosts);
  memset(p, 0, sizeof *p);
}

#define READ_NOMEM 1 /* keep_snapshot's stop: memory ran out (rpt statuses are negative) */

/* One snapshot: a new host's state, or a later state of a host already
 * read, which replaces it. */
static int keep_snapshot(void *arg, const rpt_snapshot *row) {
  run_preload *p = arg;
  size_t i = 0;
  while (i < p->preload.n && strcmp(p->hosts[i].host, row->host)) i++;
  char *state = strdup(row->document);
  if (!state) return READ_NOMEM;
  if (i < p->preload.n) {
    free((char *)p->hosts[i].state);
    p->hosts[i].state = state;
    return 0;
  }
  if (p->preload.n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 8;
    hl_host_state *v = realloc(p->hosts, cap * sizeof *v);
    if (!v) {
      free(state);
      return READ_NOMEM;
    }
    p->hosts = v;
    p->cap = cap;
  }
  char *host = strdup(row->host);
  if (!host) {
    free(state);
    return READ_NOMEM;
  }
  p->hosts[p->preload.n++] = (hl_host_state){host, state};
  return 0;
}

int run_preload_read(const char *db_path, int64_t run_id, const char *label, run_preload *out) {
  memset(out, 0, sizeof *out);
  struct stat st;
  if (stat(db_path, &st)) {
    fprintf(stderr, "hnsim run: --from-run: results database '%s' does not exist\n", db_path);
    return CLI_EXIT_USAGE;
  }
  rpt_db *db;
  int rc = rpt_db_open(db_path, &db), status = CLI_EXIT_OK;
  rpt_run_summary run = {0};
  if (!rc) rc = rpt_run_get(db, run_id, &run);
  if (!rc) rc = rpt_snapshot_foreach(db, run_id, label, keep_snapshot, out);
  if (rc == RPT_E_NOTFOUND) {
    fprintf(stderr, "hnsim run: --from-run: '%s' has no run %lld\n", db_path, (long long)run_id);
    status = CLI_EXIT_USAGE;
  } else if (rc) {
    fprintf(stderr, "hnsim run: --from-run: results database '%s': %s\n", db_path,
            rc == READ_NOMEM ? "out of memory" : rpt_db_errmsg(db));
    status = rc == READ_NOMEM || rc == RPT_E_NOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
  } else if (!out->preload.n) {
    fprintf(stderr,
            "hnsim run: --from-run: run %lld has no snapshot labelled '%s' (hosts without the HCN v2 API, ws2016 to "
            "1803, give none: the run's log says why)\n",
            (long long)run_id, label);
    status = CLI_EXIT_USAGE;
  } else {
    snprintf(out->origin, sizeof out->origin, "--from-run %lld: scenario %.64s on %.32s, backend %.16s, snapshot '%.64s'",
             (long long)run_id, run.scenario, run.profile, run.backend, label);
    snprintf(out->profile, sizeof out->profile, "%s", run.profile);
    out->preload = (hl_scenario_preload){out->hosts, out->preload.n, out->origin};
  }
  rpt_run_summary_clear(&run);
  rpt_db_close(db);
  return status;
}
