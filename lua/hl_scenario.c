/* hl_scenario.c: one scenario run from start to finish (hl_scenario.h):
 * the world, the model and the sandbox made from the run's seed, the run
 * begun in the results database, the file run, then (if it never called
 * run{}) its remaining events, the outcome recorded and everything freed;
 * and the inspection that reads a file's metadata first.
 *
 * Seeds: the world takes the run's seed; math.random takes the stream
 * "lua.math.random" of it; each Windows host's HNS the stream
 * "hns:<host>" (hl_api_fabric.c). So a run is a function of the file, the
 * profile and the seed (and the host states it was given to start from),
 * and its digest proves it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hl_scenario_int.h"

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* The file's name without folder and ".lua". */
static void default_name(const char *path, char *out, size_t size) {
  const char *base = base_name(path);
  size_t len = strlen(base);
  if (len > 4 && !strcmp(base + len - 4, ".lua")) len -= 4;
  snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), base);
}

static int open_api_protected(lua_State *L) {
  hl__open_scenario_api(lua_touserdata(L, 1));
  return 0;
}

/* Sets the API's globals; HL_E_MEMORY when they do not fit under the cap. */
static int open_api(hl_rt *rt, char *err, size_t errsz) {
  lua_pushcfunction(rt->L, open_api_protected);
  lua_pushlightuserdata(rt->L, rt);
  if (lua_pcall(rt->L, 1, 0, 0) == LUA_OK) return HL_OK;
  lua_pop(rt->L, 1);
  snprintf(err, errsz, "%s: the scenario API does not fit in the memory cap of %zu bytes", rt->path,
           rt->sb->memory_cap);
  return HL_E_MEMORY;
}

static int make_sandbox(hl_rt *rt, const hl_limits *limits, uint64_t seed, const char *module_dir, char *err,
                        size_t errsz) {
  hl_config cfg = HL_CONFIG_DEFAULTS;
  cfg.memory_cap = limits->memory_cap;
  cfg.instruction_budget = limits->instruction_budget;
  cfg.seed = seed;
  cfg.module_dir = module_dir;
  rt->module_dir = module_dir;
  cfg.print = rt->inspecting ? NULL : hl__print_line;
  cfg.print_ctx = rt;
  int rc = hl_sandbox_create(&cfg, &rt->sb);
  if (rc != HL_OK) {
    snprintf(err, errsz, "%s", hl_sandbox_errmsg(rt->sb));
    return rc == HL_E_MEMORY || rc == HL_E_NOMEM ? rc : HL_E_INVAL;
  }
  rt->L = rt->sb->L;
  return open_api(rt, err, errsz);
}

int hl_scenario_inspect(const char *path, const hl_limits *limits, const char *module_dir, hl_scenario_info *out,
                        char *err, size_t errsz) {
  memset(out, 0, sizeof *out);
  err[0] = '\0';
  if (!path || !limits) {
    snprintf(err, errsz, "hl_scenario_inspect: path and limits are needed");
    return HL_E_INVAL;
  }
  default_name(path, out->name, sizeof out->name);
  hl_rt rt;
  memset(&rt, 0, sizeof rt);
  rt.path = path;
  rt.file = base_name(path);
  rt.inspecting = 1;
  rt.info = out;
  int rc = make_sandbox(&rt, limits, 0, module_dir, err, errsz);
  if (rc == HL_OK) {
    rc = hl_sandbox_run_file(rt.sb, path);
    if (rt.inspect_stopped)
      rc = HL_OK;
    else if (rc != HL_OK)
      snprintf(err, errsz, "%s", hl_sandbox_errmsg(rt.sb));
  }
  hl_sandbox_destroy(rt.sb);
  return rc;
}

/* ---- a run ---- */

static int check_config(const hl_scenario_config *cfg, hl_scenario_outcome *out) {
  char *bad = out->error;
  size_t size = sizeof out->error;
  if (!cfg)
    snprintf(bad, size, "hl_scenario_run: the configuration is NULL");
  else if (!cfg->path || !*cfg->path)
    snprintf(bad, size, "hl_scenario_run: path is empty");
  else if (!cfg->name || !*cfg->name)
    snprintf(bad, size, "hl_scenario_run: name is empty");
  else if (!cfg->profile || !hns_profile_find(cfg->profile))
    snprintf(bad, size, "hl_scenario_run: profile: '%s' is not a known profile",
             cfg->profile ? cfg->profile : "(null)");
  else if (!cfg->db)
    snprintf(bad, size, "hl_scenario_run: db is NULL");
  else if (!cfg->hnsim_version)
    snprintf(bad, size, "hl_scenario_run: hnsim_version is NULL");
  else if (cfg->seed > (uint64_t)INT64_MAX)
    snprintf(bad, size, "hl_scenario_run: seed %llu is above 2^63-1", (unsigned long long)cfg->seed);
  return bad[0] ? HL_E_INVAL : HL_OK;
}

/* Every preloaded state names a host and has a document; no host twice
 * (a handful of hosts: the pairs are compared). */
static int check_preload(const hl_scenario_preload *p, hl_scenario_outcome *out) {
  for (size_t i = 0; p && i < p->n; i++) {
    const hl_host_state *h = &p->hosts[i];
    if (!h->host || !*h->host || !h->state) {
      snprintf(out->error, sizeof out->error, "hl_scenario_run: preload.hosts[%zu] needs a host name and a state", i);
      return HL_E_INVAL;
    }
    for (size_t j = 0; j < i; j++)
      if (!strcmp(p->hosts[j].host, h->host)) {
        snprintf(out->error, sizeof out->error, "hl_scenario_run: preload: two states for host '%s'", h->host);
        return HL_E_INVAL;
      }
  }
  return HL_OK;
}

/* The run's first row names the states it starts from; its last ones, any
 * that no host took. */
static void log_preload(hl_rt *rt, int at_end) {
  const hl_scenario_preload *p = rt->preload;
  const char *origin = p->origin ? p->origin : "given to the run";
  for (size_t i = 0; i < p->n; i++) {
    if (!at_end)
      hl__log(rt, RPT_LOG_INFO, "scenario", "host state of '%s' preloaded (%s)", p->hosts[i].host, origin);
    else if (!rt->preload_used[i])
      hl__log(rt, RPT_LOG_WARN, "scenario",
              "host state of '%s' (%s) was not used: the scenario made no Windows host of that name",
              p->hosts[i].host, origin);
  }
}

static void teardown(hl_rt *rt) {
  hl_sandbox_destroy(rt->sb);
  hl__timers_free(rt);
  for (size_t i = 0; i < rt->nhosts; i++) {
    hns_backend_destroy(rt->hosts[i].backend);
    free(rt->hosts[i].name);
  }
  for (size_t i = 0; i < rt->nsegments; i++) free(rt->segments[i].name);
  free(rt->hosts);
  free(rt->segments);
  sim_trace_destroy(rt->trace);
  sim_net_destroy(rt->net);
  sim_world_destroy(rt->world);
  free(rt->preload_used);
  free(rt);
}

/* The error as recorded: the scenario path as given replaced by the
 * file's name, so that the row does not depend on how it was named. */
static void record_error(hl_rt *rt, const char *message) {
  size_t plen = strlen(rt->path);
  char *copy = malloc(strlen(message) + 1);
  if (!copy || rt->file == rt->path) {
    hl__log(rt, RPT_LOG_ERROR, "scenario", "%s", message);
    free(copy);
    return;
  }
  char *w = copy;
  for (const char *m = message; *m;) {
    if (!strncmp(m, rt->path, plen)) {
      w += sprintf(w, "%s", rt->file);
      m += plen;
    } else {
      *w++ = *m++;
    }
  }
  *w = '\0';
  hl__log(rt, RPT_LOG_ERROR, "scenario", "%s", copy);
  free(copy);
}

static void record_metrics(hl_rt *rt) {
  const struct {
    const char *name;
    double value;
  } m[] = {{"events_run", (double)sim_events_run(rt->world)},
           {"hns_calls", (double)rt->hns_calls},
           {"probes", (double)rt->probes},
           {"hosts", (double)rt->nhosts}};
  for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
    int rc = rpt_metric(rt->db, rt->run_id, sim_now(rt->world), m[i].name, m[i].value);
    if (rc && !rt->db_status) rt->db_status = rc;
  }
}

int hl_scenario_run(const hl_scenario_config *cfg, hl_scenario_outcome *out) {
  return hl_scenario_run_preloaded(cfg, NULL, out);
}

int hl_scenario_run_preloaded(const hl_scenario_config *cfg, const hl_scenario_preload *preload,
                              hl_scenario_outcome *out) {
  memset(out, 0, sizeof *out);
  int rc = check_config(cfg, out);
  if (rc == HL_OK) rc = check_preload(preload, out);
  if (rc != HL_OK) return rc;
  hl_rt *rt = calloc(1, sizeof *rt);
  if (!rt) return HL_E_NOMEM;
  if (preload && preload->n) {
    rt->preload = preload;
    if (!(rt->preload_used = calloc(preload->n, 1))) {
      free(rt);
      return HL_E_NOMEM;
    }
  }
  rt->path = cfg->path;
  rt->file = base_name(cfg->path);
  rt->profile = hns_profile_find(cfg->profile);
  rt->seed = cfg->seed;
  rt->db = cfg->db;
  rt->echo = cfg->echo;
  rt->echo_ctx = cfg->echo_ctx;
  if (sim_world_create(cfg->seed, &rt->world) || sim_net_create(rt->world, &rt->net) || sim_trace_create(&rt->trace)) {
    teardown(rt);
    return HL_E_NOMEM;
  }
  sim_rng rng;
  sim_world_stream(rt->world, "lua.math.random", &rng);
  rc = make_sandbox(rt, &cfg->limits, sim_rng_u64(&rng), cfg->module_dir, out->error, sizeof out->error);
  if (rc == HL_E_INVAL || rc == HL_E_NOMEM) {
    teardown(rt);
    return rc;
  }
  rpt_run_info info = {cfg->name, cfg->seed, rt->profile->name, "sim", cfg->hnsim_version};
  if (rpt_run_begin(cfg->db, &info, &rt->run_id)) {
    teardown(rt);
    return HL_E_DB;
  }
  out->run_id = rt->run_id;
  if (rt->preload) log_preload(rt, 0);
  if (rc == HL_OK) {
    rc = hl_sandbox_run_file(rt->sb, cfg->path);
    if (rc != HL_OK) snprintf(out->error, sizeof out->error, "%s", hl_sandbox_errmsg(rt->sb));
    if (rc == HL_OK) hl__final_run(rt);
    if (rt->fatal_status) {
      rc = rt->fatal_status;
      snprintf(out->error, sizeof out->error, "%s", rt->fatal);
    }
  }
  if (rc == HL_OK && cfg->after) cfg->after(cfg->after_ctx, rt->net);
  if (rc != HL_OK) record_error(rt, out->error);
  if (rt->preload) log_preload(rt, 1);
  hl__row_snapshots(rt, "end");
  record_metrics(rt);
  out->status = rc;
  out->expectations = rt->expectations;
  out->failed = rt->failures;
  out->state = rc != HL_OK ? RPT_RUN_ERROR : rt->failures ? RPT_RUN_FAILED : RPT_RUN_PASSED;
  int db = rt->db_status ? rt->db_status : rpt_run_finish(cfg->db, rt->run_id, sim_now(rt->world), out->state);
  teardown(rt);
  return db ? HL_E_DB : HL_OK;
}
