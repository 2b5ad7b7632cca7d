/* hl_api_time.c: simulated time in a scenario:
 *   at(t, fn)  after(d, fn)  every(d, fn[, count])  cancel(id)  now()  run{to=|duration=}
 * Times and durations are ns or strings ("100ms", hl__duration). Each
 * callback is an event of the run's sim_world, so callbacks due at the same
 * time run in the order they were scheduled, never in an order that hash
 * tables or addresses decide. at/after/every return the timer's id (1, 2,
 * ... in scheduling order) for cancel().
 *
 * A callback runs in the sandbox (its budget and cap apply) through
 * hl__call; if it fails, the clock stops, the run ends with the callback's
 * "file:line: message" and traceback (fatal_status), and run{} raises the
 * same message to the file's main code. run{} cannot be called from a
 * callback (the clock is already running). The clock runs only in run{}
 * (and in a hung HNS call); a file that never calls run{} is run to its
 * last event when it ends (hl_scenario.c). */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hl_scenario_int.h"

static void timer_drop(hl_rt *rt, hl_timer *t) {
  for (hl_timer **p = &rt->timers; *p; p = &(*p)->next)
    if (*p == t) {
      *p = t->next;
      break;
    }
  if (t->remaining < 0) rt->unbounded--;
  luaL_unref(rt->L, LUA_REGISTRYINDEX, t->ref);
  free(t);
}

static void set_fatal(hl_rt *rt, int status, const char *message) {
  if (rt->fatal_status) return;
  rt->fatal_status = status;
  snprintf(rt->fatal, sizeof rt->fatal, "%s", message);
}

static void fire(sim_world *w, void *arg) {
  hl_timer *t = arg;
  hl_rt *rt = t->rt;
  t->event = SIM_EVENT_NONE;
  t->firing = 1;
  lua_rawgeti(rt->L, LUA_REGISTRYINDEX, t->ref);
  int status = hl__call(rt->sb, 0);
  t->firing = 0;
  if (status != HL_OK) {
    set_fatal(rt, status, hl_sandbox_errmsg(rt->sb));
    sim_stop(w);
    timer_drop(rt, t);
    return;
  }
  if (t->remaining > 0) t->remaining--;
  if (t->cancelled || t->period == 0 || t->remaining == 0) {
    timer_drop(rt, t);
    return;
  }
  if (sim_schedule_in(w, t->period, fire, t, &t->event)) {
    set_fatal(rt, HL_E_RUNTIME, "every(): the engine refused to schedule the next firing");
    sim_stop(w);
    timer_drop(rt, t);
  }
}

/* Schedules the function at fn_idx at `when`; pushes the timer's id. */
static int schedule(lua_State *L, hl_rt *rt, const char *fn, int fn_idx, sim_time when, sim_time period,
                    int64_t count) {
  luaL_checktype(L, fn_idx, LUA_TFUNCTION);
  if (when < sim_now(rt->world))
    return hl__error(L, "%s: %lld ns is in the past (now is %lld ns)", fn, (long long)when,
                     (long long)sim_now(rt->world));
  lua_pushvalue(L, fn_idx);
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  hl_timer *t = calloc(1, sizeof *t);
  if (!t) {
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
    return hl__error(L, "%s: out of memory", fn);
  }
  *t = (hl_timer){.rt = rt, .id = rt->next_timer_id + 1, .ref = ref, .period = period, .remaining = count};
  hl__line(L, t->where, sizeof t->where);
  if (sim_schedule_at(rt->world, when, fire, t, &t->event)) {
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
    free(t);
    return hl__error(L, "%s: the engine refused the event", fn);
  }
  rt->next_timer_id++;
  t->next = rt->timers;
  rt->timers = t;
  if (count < 0) rt->unbounded++;
  lua_pushinteger(L, t->id);
  return 1;
}

static int api_at(lua_State *L) {
  hl_rt *rt = hl__api(L, "at");
  return schedule(L, rt, "at", 2, hl__duration(L, 1, "at", "time"), 0, 1);
}

static int api_after(lua_State *L) {
  hl_rt *rt = hl__api(L, "after");
  sim_time d = hl__duration(L, 1, "after", "delay");
  if (d > SIM_TIME_MAX - sim_now(rt->world)) return hl__error(L, "after: the delay runs past the end of time");
  return schedule(L, rt, "after", 2, sim_now(rt->world) + d, 0, 1);
}

static int api_every(lua_State *L) {
  hl_rt *rt = hl__api(L, "every");
  sim_time d = hl__duration(L, 1, "every", "period");
  if (d == 0) return hl__error(L, "every: the period must be more than 0 ns");
  if (d > SIM_TIME_MAX - sim_now(rt->world)) return hl__error(L, "every: the period runs past the end of time");
  lua_Integer count = -1;
  if (!lua_isnoneornil(L, 3)) {
    if (!lua_isinteger(L, 3) || lua_tointeger(L, 3) < 1)
      return hl__error(L, "every: count must be a whole number of at least 1 (leave it out for no end)");
    count = lua_tointeger(L, 3);
  }
  return schedule(L, rt, "every", 2, sim_now(rt->world) + d, d, count);
}

/* cancel(id): true when the timer had firings left, false otherwise. */
static int api_cancel(lua_State *L) {
  hl_rt *rt = hl__api(L, "cancel");
  lua_Integer id = luaL_checkinteger(L, 1);
  for (hl_timer *t = rt->timers; t; t = t->next) {
    if (t->id != id) continue;
    if (t->firing) {
      t->cancelled = 1; /* fire() drops it once the callback returns */
    } else {
      sim_cancel(rt->world, t->event);
      timer_drop(rt, t);
    }
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  return 1;
}

static int api_now(lua_State *L) {
  hl_rt *rt = hl__api(L, "now");
  lua_pushinteger(L, sim_now(rt->world));
  return 1;
}

int hl__run_clock(hl_rt *rt, int bounded, sim_time until) {
  rt->running = 1;
  int rc = bounded ? sim_run_until(rt->world, until, NULL) : sim_run(rt->world, NULL);
  rt->running = 0;
  if (rc) set_fatal(rt, HL_E_RUNTIME, sim_strerror(rc));
  return rt->fatal_status ? -1 : 0;
}

int hl__raise_fatal(lua_State *L, hl_rt *rt) {
  const char *nl = strchr(rt->fatal, '\n');
  lua_pushlstring(L, rt->fatal, nl ? (size_t)(nl - rt->fatal) : strlen(rt->fatal));
  return lua_error(L);
}

static const hl_timer *oldest_unbounded(const hl_rt *rt) {
  const hl_timer *found = NULL;
  for (const hl_timer *t = rt->timers; t; t = t->next)
    if (t->remaining < 0 && (!found || t->id < found->id)) found = t;
  return found;
}

/* run{to=} or run{duration=}: the clock runs to `to` (a time) or for
 * `duration`; run{} runs until no event is left. ("until" is a Lua keyword:
 * run{["until"] = t} is accepted as run{to = t}.) */
static int api_run(lua_State *L) {
  static const char *const fields[] = {"to", "duration", "until", NULL};
  hl_rt *rt = hl__api(L, "run");
  if (rt->running) return hl__error(L, "run: not from inside a callback (the clock is already running)");
  sim_time now = sim_now(rt->world), to = 0;
  int bounded = 0;
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TTABLE);
    hl__check_fields(L, 1, "run", fields);
    for (int i = 0; i < 3; i++) {
      if (lua_getfield(L, 1, fields[i]) == LUA_TNIL) continue;
      if (bounded) return hl__error(L, "run: give one of to, duration and until");
      sim_time t = hl__duration(L, -1, "run", fields[i]);
      if (i == 1 && t > SIM_TIME_MAX - now) return hl__error(L, "run: duration runs past the end of time");
      to = i == 1 ? now + t : t;
      bounded = 1;
    }
    if (bounded && to < now) return hl__error(L, "run: %lld ns is before now (%lld ns)", (long long)to, (long long)now);
  }
  if (!bounded && rt->unbounded)
    return hl__error(L, "run: the every() of %s has no count and would never end: give run{to=...}",
                     oldest_unbounded(rt)->where);
  rt->ran = 1;
  if (hl__run_clock(rt, bounded, to)) return hl__raise_fatal(L, rt);
  return 0;
}

void hl__final_run(hl_rt *rt) {
  if (rt->ran || rt->fatal_status) return;
  if (rt->unbounded) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s: every() without a count never ends: call run{to=...} in the file",
             oldest_unbounded(rt)->where);
    set_fatal(rt, HL_E_RUNTIME, msg);
    return;
  }
  hl__run_clock(rt, 0, 0);
}

void hl__timers_free(hl_rt *rt) {
  while (rt->timers) {
    hl_timer *t = rt->timers;
    rt->timers = t->next;
    free(t);
  }
  rt->unbounded = 0;
}

void hl__open_api_time(lua_State *L) {
  static const luaL_Reg globals[] = {
      {"at", api_at},   {"after", api_after}, {"every", api_every}, {"cancel", api_cancel},
      {"now", api_now}, {"run", api_run},     {NULL, NULL}};
  for (const luaL_Reg *r = globals; r->name; r++) {
    lua_pushcfunction(L, r->func);
    lua_setglobal(L, r->name);
  }
}
