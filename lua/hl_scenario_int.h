/* hl_scenario_int.h: one scenario run's state (hl_rt) and what the
 * hl_scenario* and hl_api_* files share. Only lua/ includes it.
 *
 * Invariants:
 *   - one hl_rt per sandbox, found from Lua through the registry
 *     (hl__rt); everything it owns (world, model, backends, timers) lives
 *     in C, outside the Lua heap and its cap;
 *   - while inspecting, no API call but scenario{} does anything: the
 *     first call of any API function ends the inspection;
 *   - nothing a script can observe, schedule or record depends on pairs()
 *     order or an address: option tables are read by field name, unknown
 *     fields are reported in byte order, hosts and timers are numbered in
 *     creation order;
 *   - once a callback failed (fatal_status), the clock is stopped and every
 *     later API call raises, so the run ends at the first error. */
#ifndef HL_SCENARIO_INT_H
#define HL_SCENARIO_INT_H
#include <lua.h>
#include <stddef.h>
#include <stdint.h>
#include "hl_sandbox_int.h"
#include "hl_scenario.h"
#include "hns_backend.h"
#include "hns_profile.h"
#include "rpt_write.h"
#include "sim_net.h"
#include "sim_probe.h"
#include "sim_trace.h"
#include "sim_truth.h"

typedef struct hl_host {
  char *name;
  sim_host_kind kind;
  const hns_profile *profile; /* Windows hosts */
  hns_backend *backend;       /* Windows hosts; NULL for Linux */
} hl_host;

typedef struct hl_segment {
  char *name;
  sim_time latency;
  double loss;
} hl_segment;

typedef struct hl_timer {
  struct hl_rt *rt;
  struct hl_timer *next;
  int64_t id;         /* 1, 2, ... in scheduling order */
  int ref;            /* the callback, in the registry */
  sim_time period;    /* every(): > 0; at() and after(): 0 */
  int64_t remaining;  /* every(): firings left, -1 for no end */
  sim_event_id event; /* the pending firing, or SIM_EVENT_NONE */
  int firing, cancelled;
  char where[96]; /* "file.lua:12", where it was scheduled */
} hl_timer;

typedef struct hl_rt {
  hl_sandbox *sb;
  lua_State *L;
  const char *path; /* the scenario file as given */
  const char *file; /* its name without the folder, as rows show it */
  const char *module_dir; /* require()'s folder (lua/), whose parent is the project's; or NULL */

  /* inspecting (hl_scenario_inspect) */
  int inspecting, inspect_stopped;
  hl_scenario_info *info;
  int api_used;  /* an API function other than scenario{} was called */
  int meta_seen; /* scenario{} was called */

  /* running (hl_scenario_run) */
  sim_world *world;
  sim_net *net;
  sim_trace *trace;
  const hns_profile *profile;
  uint64_t seed;
  rpt_db *db;
  int64_t run_id;
  int db_status; /* the first database failure, 0 if none */
  hl_host *hosts;
  size_t nhosts, cap_hosts;
  hl_segment *segments;
  size_t nsegments, cap_segments;
  hl_timer *timers; /* live timers, newest first */
  int64_t next_timer_id;
  size_t unbounded; /* live every() timers without a count */
  int running;      /* the clock is running (run{} or the final run) */
  int ran;          /* run{} was called */
  int expectations, failures;
  uint64_t hns_calls, probes;
  int fatal_status;           /* a callback failed: its status */
  char fatal[HL_ERRMSG_SIZE]; /* ... and its message and traceback */
  hl_scenario_echo_fn *echo;
  void *echo_ctx;
  const hl_scenario_preload *preload; /* host states to load, or NULL (hl_api_fabric.c) */
  unsigned char *preload_used;        /* per preloaded state: a host took it */
} hl_rt;

/* ---- hl_scenario_api.c: the globals, and the entry of every API call ---- */

/* Sets every API global (scenario, fabric, hosts, time, fault, probe,
 * truth, expect, json) in the sandbox, and ties `rt` to it. */
void hl__open_scenario_api(hl_rt *rt);

/* The run of the sandbox `L` belongs to. */
hl_rt *hl__rt(lua_State *L);

/* Ends an inspection: raises the private mark hl_scenario_inspect looks for. */
int hl__inspect_stop(lua_State *L, hl_rt *rt);

/* The first thing an API function `fn` does: returns the run, or raises
 * (inspection over, run ended by a failed callback). */
hl_rt *hl__api(lua_State *L, const char *fn);

/* ---- hl_scenario_args.c: reading arguments, with errors naming them ---- */

/* Raises "file:line: " and the message, formatted as printf does (Lua's
 * luaL_error knows only a few formats). */
int hl__error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Pushes the text formatted as printf does and returns it. */
const char *hl__pushf(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Raises "<fn>: unknown field '<key>' (fields: a, b, c)" for the first
 * key of the table at idx (byte order) not in the NULL-terminated
 * `fields`, or for a key that is not a string. */
void hl__check_fields(lua_State *L, int idx, const char *fn, const char *const *fields);

/* The string field `field` of the table at idx; NULL when absent and not
 * `required`. Raises when it has another type. */
const char *hl__field_string(lua_State *L, int idx, const char *fn, const char *field, int required);

/* The value at idx as a duration in ns: an integer, or "<number><unit>"
 * with unit ns, us, ms, s, min or h ("100ms", "1.5s"); `what` names it in
 * errors. Raises for anything else, a negative value or an overflow. */
sim_time hl__duration(lua_State *L, int idx, const char *fn, const char *what);

/* The field `field` as a duration; `dflt` when absent. */
sim_time hl__field_duration(lua_State *L, int idx, const char *fn, const char *field, sim_time dflt);

/* A number in [0, 1] (a loss probability); `dflt` when absent. */
double hl__field_probability(lua_State *L, int idx, const char *fn, const char *field, double dflt);

/* An integer field in [min, max]; `dflt` when absent. */
lua_Integer hl__field_integer(lua_State *L, int idx, const char *fn, const char *field, lua_Integer min,
                              lua_Integer max, lua_Integer dflt);

/* The length of the list at idx, raising unless its keys are exactly 1..n. */
lua_Integer hl__list_len(lua_State *L, int idx, const char *fn, const char *what);

/* The prefix, address or MAC in the text at idx (`what` names it). */
void hl__prefix(lua_State *L, int idx, const char *fn, const char *what, sim_prefix *out);
void hl__ip(lua_State *L, int idx, const char *fn, const char *what, sim_ip *out);

/* A host: a host object or its name. Raises when there is no such host. */
hl_host *hl__host_arg(lua_State *L, int idx, const char *fn);

/* The host called `name`, or NULL. */
hl_host *hl__host_find(hl_rt *rt, const char *name);

/* An HRESULT given as a number (0x803B0001) or a name ("HCN_E_NETWORK_NOT_FOUND",
 * "E_INVALIDARG", "S_OK"); raises naming `what` otherwise. */
hns_hr hl__hresult(lua_State *L, int idx, const char *fn, const char *what);

/* Raises "<fn>: <what>: <sim_net's reason for its last failure>". */
int hl__net_error(lua_State *L, hl_rt *rt, const char *fn, const char *what);

/* ---- hl_scenario_record.c: rows of the results database ---- */

/* "file.lua:12": the innermost Lua line running, with the file's folder
 * left out, so rows do not depend on how the file was named. "" when no
 * Lua function runs. */
void hl__line(lua_State *L, char *out, size_t size);

/* Keeps the first failed database status `rc` (0: nothing to keep). */
void hl__note_db(hl_rt *rt, int rc);
/* A log row at the current simulated time. */
void hl__log(hl_rt *rt, int level, const char *source, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- hl_scenario_rows.c: the detailed rows (reports/rpt_rows.h) ---- */
/* One HNS call as the backend answered it. */
void hl__row_call(hl_rt *rt, lua_State *L, const hl_host *h, const hns_backend_request *req,
                  const hns_backend_answer *a);
/* One probe and its hops (the trace may be NULL); `from` and `to` as the
 * scenario named them. */
void hl__row_probe(hl_rt *rt, lua_State *L, const char *from, const char *to, const sim_probe_spec *spec,
                   const sim_probe_result *r, const sim_trace *t);
/* A filled truth table and its cells. */
void hl__row_truth(hl_rt *rt, lua_State *L, const char *name, sim_truth *t);
/* A fault: recorded as a fault row and a log row with the same text. */
void hl__row_fault(hl_rt *rt, lua_State *L, const char *host, const char *kind, const char *target,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Every Windows host's HNS state (hns_check_state, plus its NICs as
 * "Nics") as a snapshot row with `label`; a host whose state cannot be
 * read gets a warning log row. */
void hl__row_snapshots(hl_rt *rt, const char *label);

/* expect.invariant and expect.violation (hl_api_invariant.c). */
int hl__expect_invariant(lua_State *L);
int hl__expect_violation(lua_State *L);

/* An expectation row: `name`, and the detail prefixed with the scenario
 * line. Returns `passed`; raises for an empty name, which the database
 * refuses. */
int hl__expect_row(hl_rt *rt, lua_State *L, const char *name, int passed, const char *detail);

/* Pushes the malloc'd `text` and frees it, also when the push fails at the
 * memory cap (the error is raised after the text is freed). */
void hl__push_owned(lua_State *L, char *text);

/* The hl_print_fn of a run: each line becomes a log row (source "print")
 * and goes to the echo callback. */
void hl__print_line(void *ctx, const char *text, size_t len);

/* ---- the API families, each setting its globals or methods ---- */

void hl__open_api_meta(lua_State *L);   /* hl_api_meta.c: scenario{} */
void hl__open_api_fabric(lua_State *L); /* hl_api_fabric.c: segment, router, route, host */
void hl__open_api_time(lua_State *L);   /* hl_api_time.c: at, after, every, cancel, now, run */
void hl__open_api_fault(lua_State *L);  /* hl_api_fault.c: fault.* */
void hl__open_api_probe(lua_State *L);  /* hl_api_probe.c: probe, truth */
void hl__open_api_expect(lua_State *L); /* hl_api_expect.c: expect.* */
void hl__open_api_file(lua_State *L);   /* hl_api_file.c: read_file, list_files */
void hl__open_api_snapshot(lua_State *L); /* hl_api_invariant.c: snapshot */

/* hl_api_hns.c: the HNS methods of a host object, set in the methods
 * table at the top of the stack. */
void hl__host_hns_methods(lua_State *L);
void hl__host_hcs_methods(lua_State *L); /* hl_api_hcs.c: hot_attach, hot_detach */
void hl__host_vip_methods(lua_State *L); /* hl_api_vip.c: service_vip */

/* hl_api_time.c: runs the clock to `until` (bounded) or until no event is
 * left; a failed callback ends the run (fatal_status). 0, or -1 when a
 * callback failed or the engine refused (fatal set either way). */
int hl__run_clock(hl_rt *rt, int bounded, sim_time until);

/* hl_api_time.c: raises the failed callback's message (its first line,
 * which names its own file and line) into the code that ran the clock. */
int hl__raise_fatal(lua_State *L, hl_rt *rt);

/* hl_api_time.c: when the file ends without having called run{}, runs
 * the clock until no event is left (an every() without a count is an
 * error then); a failure sets fatal_status. */
void hl__final_run(hl_rt *rt);

/* hl_api_time.c: frees every timer (the end of a run, after the sandbox). */
void hl__timers_free(hl_rt *rt);

/* hl_api_probe.c: probe{...}'s spec from the table at idx (the fields it
 * may have: `fields`), run at once; pushes the result table (the trace as
 * text in its `text`) and fills *verdict. */
void hl__probe_table(lua_State *L, int idx, const char *fn, const char *const *fields, sim_probe_verdict *verdict);

/* hl_api_probe.c: truth{...}'s table from the options at idx, filled;
 * pushes {ok=, tally={correct=, wrong=, unexpected_pass=, ignored=}, text=}. */
void hl__truth_table(lua_State *L, int idx, const char *fn);

#endif
