/* hl_api_expect.c: expectations, each one expectation row in the results
 * database (name, passed, and a detail that starts with the scenario line):
 *   expect.reach{from=, to=, proto=, port=, what=}
 *   expect.blocked{from=, to=, proto=, port=, verdict=, reason=, what=}
 *   expect.hresult(result, hr[, what])
 *   expect.equal(actual, expected[, what])
 *   expect.truthy(value[, what])
 *   expect.truth{sources=, targets=, ..., what=}
 * Each returns whether it held (reach and blocked also the probe's result,
 * truth the table's). A failed reach or blocked records the probe's whole
 * hop trace in its detail, which `hnsim run` prints; a blocked one that
 * held records the verdict and its reason (where the packet stopped). A
 * failed expectation never raises: the run goes on and ends as failed. */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include "hl_json.h"
#include "hl_scenario_int.h"
#include "sim_truth.h"

/* The `what` of the options at idx, or the default pushed. */
static const char *name_of(lua_State *L, int idx, const char *dflt_fmt, const char *arg) {
  const char *what = lua_istable(L, idx) ? hl__field_string(L, idx, "expect", "what", 0) : NULL;
  return what ? what : hl__pushf(L, dflt_fmt, arg);
}

static int probe_expectation(lua_State *L, int blocked) {
  static const char *const reach_fields[] = {"from", "to", "proto", "port", "sport", "what", NULL};
  static const char *const blocked_fields[] = {"from", "to", "proto", "port", "sport", "what", "verdict", "reason", NULL};
  const char *fn = blocked ? "expect.blocked" : "expect.reach";
  hl_rt *rt = hl__api(L, fn);
  luaL_checktype(L, 1, LUA_TTABLE);
  hl__check_fields(L, 1, fn, blocked ? blocked_fields : reach_fields);
  sim_truth_expect want = SIM_TRUTH_BLOCKED;
  const char *reason = NULL;
  if (lua_getfield(L, 1, "verdict") != LUA_TNIL) {
    static const char *const verdicts[] = {"dropped", "no route", "refused", "timed out", NULL};
    int v = lua_type(L, -1) == LUA_TSTRING ? 0 : -1;
    while (v >= 0 && verdicts[v] && strcmp(verdicts[v], lua_tostring(L, -1))) v++;
    if (v < 0 || !verdicts[v])
      return hl__error(L, "%s: verdict: '%s' is not dropped, no route, refused or timed out", fn,
                       hl__tostring(L, -1, NULL));
    want = (sim_truth_expect)(v + 1);
  }
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "reason") != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TSTRING) return hl__error(L, "%s: reason must be a string", fn);
    reason = lua_tostring(L, -1);
  }
  sim_probe_verdict got;
  hl__probe_table(L, 1, fn, blocked ? blocked_fields : reach_fields, &got);
  int result = lua_gettop(L);
  lua_getfield(L, result, "label");
  const char *name = name_of(L, 1, blocked ? "blocked %s" : "reach %s", lua_tostring(L, -1));
  lua_getfield(L, result, "reason");
  const char *why = lua_tostring(L, -1);
  int passed = blocked ? got != SIM_PROBE_DELIVERED && (want == SIM_TRUTH_BLOCKED || (int)got == (int)want) &&
                             (!reason || strstr(why, reason))
                       : got == SIM_PROBE_DELIVERED;
  if (passed) {
    hl__pushf(L, "%s%s%s", sim_probe_verdict_name(got), why[0] ? ": " : "", why);
  } else {
    char want_text[64];
    snprintf(want_text, sizeof want_text, "%s%s%s%s", blocked ? "blocked" : "delivered",
             want != SIM_TRUTH_BLOCKED ? " (" : "", want != SIM_TRUTH_BLOCKED ? sim_truth_expect_name(want) : "",
             want != SIM_TRUTH_BLOCKED ? ")" : "");
    hl__pushf(L, "expected %s%s%s%s, got %s%s%s\n", want_text, reason ? " with a reason containing '" : "",
              reason ? reason : "", reason ? "'" : "", sim_probe_verdict_name(got), why[0] ? ": " : "", why);
    lua_getfield(L, result, "text");
    lua_concat(L, 2);
  }
  lua_pushboolean(L, hl__expect_row(rt, L, name, passed, lua_tostring(L, -1)));
  lua_pushvalue(L, result);
  return 2;
}

static int e_reach(lua_State *L) { return probe_expectation(L, 0); }
static int e_blocked(lua_State *L) { return probe_expectation(L, 1); }

static int e_hresult(lua_State *L) {
  hl_rt *rt = hl__api(L, "expect.hresult");
  luaL_checktype(L, 1, LUA_TTABLE);
  hns_hr want = hl__hresult(L, 2, "expect.hresult", "hr");
  if (lua_getfield(L, 1, "hr") != LUA_TNUMBER)
    return hl__error(
        L, "expect.hresult: give the result of an HNS call, such as expect.hresult(h:create_network{...}, 0)");
  hns_hr got = hl__hresult(L, -1, "expect.hresult", "result.hr");
  lua_getfield(L, 1, "what");
  const char *call = lua_isstring(L, -1) ? lua_tostring(L, -1) : "the call";
  char want_text[32];
  if (hns_hr_name(want))
    snprintf(want_text, sizeof want_text, "%s", hns_hr_name(want));
  else
    snprintf(want_text, sizeof want_text, "0x%08X", (unsigned)want);
  const char *name = lua_isstring(L, 3) ? lua_tostring(L, 3) : hl__pushf(L, "%s answers %s", call, want_text);
  lua_getfield(L, 1, "detail");
  hl__pushf(L, "got 0x%08X %s, expected 0x%08X %s%s%s", (unsigned)got, hns_hr_name(got) ? hns_hr_name(got) : "",
            (unsigned)want, hns_hr_name(want) ? hns_hr_name(want) : "", lua_isstring(L, -1) ? "; " : "",
            lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
  lua_pushboolean(L, hl__expect_row(rt, L, name, got == want, lua_tostring(L, -1)));
  return 1;
}

/* Deep equality: same type; tables with the same keys and equal values
 * (keys compared raw, as rawequal does); numbers by value. */
static int deep_equal(lua_State *L, int a, int b, int depth) {
  if (lua_type(L, a) != lua_type(L, b)) return 0;
  if (lua_type(L, a) != LUA_TTABLE || lua_rawequal(L, a, b))
    return lua_rawequal(L, a, b) || lua_compare(L, a, b, LUA_OPEQ);
  if (depth > 100) hl__error(L, "expect.equal: tables nested deeper than 100 levels (a cycle?)");
  luaL_checkstack(L, 4, "expect.equal: nested too deeply");
  lua_Integer na = 0, nb = 0;
  lua_pushnil(L);
  while (lua_next(L, a)) {
    na++;
    lua_pushvalue(L, -2);
    lua_rawget(L, b);
    int same = !lua_isnil(L, -1) && deep_equal(L, lua_gettop(L) - 1, lua_gettop(L), depth + 1);
    lua_pop(L, 2);
    if (!same) {
      lua_pop(L, 1);
      return 0;
    }
  }
  lua_pushnil(L);
  while (lua_next(L, b)) {
    nb++;
    lua_pop(L, 1);
  }
  return na == nb;
}

/* The value at idx as text for a detail: JSON when it can be encoded
 * (deterministic: keys in byte order), else what tostring gives. */
static int describe_protected(lua_State *L) {
  hl__json_encode(L, 1, "expect", "", NULL);
  return 1;
}

static const char *describe(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_isnil(L, idx)) return lua_pushliteral(L, "nil");
  lua_pushcfunction(L, describe_protected);
  lua_pushvalue(L, idx);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) return lua_tostring(L, -1);
  if (hl__rt(L)->sb->limit != HL_LIMIT_NONE || hl__is_memory_error(L, -1)) lua_error(L);
  lua_pop(L, 1);
  return hl__tostring(L, idx, NULL);
}

static int e_equal(lua_State *L) {
  hl_rt *rt = hl__api(L, "expect.equal");
  luaL_checkany(L, 2);
  lua_settop(L, 3);
  int passed = deep_equal(L, 1, 2, 0);
  const char *name = lua_isstring(L, 3) ? lua_tostring(L, 3) : "values are equal";
  const char *got = describe(L, 1);
  const char *want = describe(L, 2);
  hl__pushf(L, passed ? "%s" : "got %s, expected %s", got, want);
  lua_pushboolean(L, hl__expect_row(rt, L, name, passed, lua_tostring(L, -1)));
  return 1;
}

static int e_truthy(lua_State *L) {
  hl_rt *rt = hl__api(L, "expect.truthy");
  luaL_checkany(L, 1);
  lua_settop(L, 2);
  const char *name = lua_isstring(L, 2) ? lua_tostring(L, 2) : "value is true";
  int passed = lua_toboolean(L, 1);
  hl__pushf(L, "got %s", describe(L, 1));
  lua_pushboolean(L, hl__expect_row(rt, L, name, passed, lua_tostring(L, -1)));
  return 1;
}

static int e_truth(lua_State *L) {
  static const char *const counts[] = {"correct", "wrong", "unexpected_pass", "ignored"};
  hl_rt *rt = hl__api(L, "expect.truth");
  luaL_checktype(L, 1, LUA_TTABLE);
  hl__truth_table(L, 1, "expect.truth");
  int result = lua_gettop(L);
  lua_Integer n[4];
  lua_getfield(L, result, "tally");
  for (int i = 0; i < 4; i++) {
    lua_getfield(L, -1, counts[i]);
    n[i] = lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  lua_getfield(L, result, "ok");
  int passed = lua_toboolean(L, -1);
  const char *name = name_of(L, 1, "truth table%s", "");
  hl__pushf(L, "%d correct, %d wrong, %d unexpected pass, %d ignored", (int)n[0], (int)n[1], (int)n[2], (int)n[3]);
  if (!passed) {
    lua_pushliteral(L, "\n");
    lua_getfield(L, result, "text");
    lua_concat(L, 3);
  }
  lua_pushboolean(L, hl__expect_row(rt, L, name, passed, lua_tostring(L, -1)));
  lua_pushvalue(L, result);
  return 2;
}

void hl__open_api_expect(lua_State *L) {
  static const luaL_Reg fns[] = {{"reach", e_reach}, {"blocked", e_blocked}, {"hresult", e_hresult},
                                 {"equal", e_equal}, {"truthy", e_truthy},   {"truth", e_truth},
                                 {"invariant", hl__expect_invariant}, {"violation", hl__expect_violation},
                                 {NULL, NULL}};
  luaL_newlib(L, fns);
  lua_setglobal(L, "expect");
}
