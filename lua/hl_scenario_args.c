/* hl_scenario_args.c: reading the arguments of API calls. Every refusal
 * names the function, the field and the value ("segment: latency: '5 sec'
 * is not a duration ..."), raised with the scenario line in front
 * (hl__error). Option tables are read by field name; unknown fields are
 * found with one traversal whose result does not depend on its order: the
 * smallest unknown key in byte order is the one reported. */
#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hl_scenario_int.h"

static int is_field(const char *key, const char *const *fields) {
  for (; *fields; fields++)
    if (!strcmp(key, *fields)) return 1;
  return 0;
}

void hl__check_fields(lua_State *L, int idx, const char *fn, const char *const *fields) {
  idx = lua_absindex(L, idx);
  const char *worst = NULL;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      return (void)hl__error(L, "%s: the options are a table of named fields, not a list (a key of type %s)", fn,
                             luaL_typename(L, -1));
    const char *key = lua_tostring(L, -1); /* anchored by the table */
    if (!is_field(key, fields) && (!worst || strcmp(key, worst) < 0)) worst = key;
  }
  if (!worst) return;
  char list[512] = "";
  for (size_t used = 0; *fields && used < sizeof list; fields++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *fields);
  hl__error(L, "%s: unknown field '%s' (fields: %s)", fn, worst, list);
}

const char *hl__field_string(lua_State *L, int idx, const char *fn, const char *field, int required) {
  int type = lua_getfield(L, idx, field);
  if (type == LUA_TNIL && !required) {
    lua_pop(L, 1);
    return NULL;
  }
  if (type != LUA_TSTRING) hl__error(L, "%s: %s must be a string, not %s", fn, field, luaL_typename(L, -1));
  const char *s = lua_tostring(L, -1);
  lua_pop(L, 1); /* still anchored by the table */
  return s;
}

static const struct {
  const char *name;
  sim_time ns;
} units[] = {{"ns", 1}, {"us", SIM_US(1)}, {"ms", SIM_MS(1)}, {"s", SIM_S(1)}, {"min", SIM_S(60)}, {"h", SIM_S(3600)}};

/* "<digits>[.<digits>]<unit>" into ns, exactly; -1 when it is not one, or
 * is not a whole number of ns, or overflows. */
static int parse_duration(const char *s, sim_time *out) {
  const char *p = s;
  uint64_t whole = 0, frac = 0, scale = 1;
  if (*p < '0' || *p > '9') return -1;
  for (; *p >= '0' && *p <= '9'; p++) {
    if (whole > (UINT64_MAX - 9) / 10) return -1;
    whole = whole * 10 + (uint64_t)(*p - '0');
  }
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9') return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
      if (scale > UINT64_MAX / 100) return -1;
      frac = frac * 10 + (uint64_t)(*p - '0');
      scale *= 10;
    }
  }
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    if (strcmp(p, units[i].name)) continue;
    uint64_t unit = (uint64_t)units[i].ns;
    if (whole > (uint64_t)SIM_TIME_MAX / unit) return -1;
    uint64_t ns = whole * unit;
    if (frac) {
      if (frac > UINT64_MAX / unit || (frac * unit) % scale) return -1;
      ns += frac * unit / scale;
    }
    if (ns > (uint64_t)SIM_TIME_MAX) return -1;
    *out = (sim_time)ns;
    return 0;
  }
  return -1;
}

sim_time hl__duration(lua_State *L, int idx, const char *fn, const char *what) {
  sim_time ns = 0;
  int exact = 0;
  if (lua_type(L, idx) == LUA_TNUMBER) {
    lua_Integer v = lua_tointegerx(L, idx, &exact);
    if (!exact) hl__error(L, "%s: %s: %s is not a whole number of ns", fn, what, lua_tostring(L, idx));
    if (v < 0) hl__error(L, "%s: %s: %lld ns is negative", fn, what, (long long)v);
    return (sim_time)v;
  }
  if (lua_type(L, idx) != LUA_TSTRING)
    hl__error(L, "%s: %s: a duration is a whole number of ns or a string such as \"100ms\", not %s", fn, what,
              luaL_typename(L, idx));
  if (parse_duration(lua_tostring(L, idx), &ns))
    hl__error(L,
              "%s: %s: '%s' is not a duration (a whole number of ns, or a number and a unit: \"100ms\", "
              "\"2s\", \"500us\", \"1.5s\"; units ns, us, ms, s, min, h)",
              fn, what, lua_tostring(L, idx));
  return ns;
}

sim_time hl__field_duration(lua_State *L, int idx, const char *fn, const char *field, sim_time dflt) {
  sim_time v = dflt;
  if (lua_getfield(L, idx, field) != LUA_TNIL) v = hl__duration(L, -1, fn, field);
  lua_pop(L, 1);
  return v;
}

double hl__field_probability(lua_State *L, int idx, const char *fn, const char *field, double dflt) {
  double v = dflt;
  if (lua_getfield(L, idx, field) != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TNUMBER)
      hl__error(L, "%s: %s must be a number from 0 to 1, not %s", fn, field, luaL_typename(L, -1));
    v = lua_tonumber(L, -1);
    if (!(v >= 0 && v <= 1))
      hl__error(L, "%s: %s: %s is not a probability from 0 to 1", fn, field, lua_tostring(L, -1));
  }
  lua_pop(L, 1);
  return v;
}

lua_Integer hl__field_integer(lua_State *L, int idx, const char *fn, const char *field, lua_Integer min,
                              lua_Integer max, lua_Integer dflt) {
  lua_Integer v = dflt;
  if (lua_getfield(L, idx, field) != LUA_TNIL) {
    if (!lua_isinteger(L, -1))
      hl__error(L, "%s: %s must be a whole number from %lld to %lld, not %s", fn, field, (long long)min, (long long)max,
                lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
    v = lua_tointeger(L, -1);
    if (v < min || v > max)
      hl__error(L, "%s: %s: %lld is not from %lld to %lld", fn, field, (long long)v, (long long)min, (long long)max);
  }
  lua_pop(L, 1);
  return v;
}

void hl__prefix(lua_State *L, int idx, const char *fn, const char *what, sim_prefix *out) {
  const char *s = lua_tostring(L, idx);
  if (lua_type(L, idx) != LUA_TSTRING || sim_prefix_parse(s, out))
    hl__error(L, "%s: %s: '%s' is not an address with a prefix length, such as \"10.244.1.0/24\"", fn, what,
              s ? s : luaL_typename(L, idx));
}

void hl__ip(lua_State *L, int idx, const char *fn, const char *what, sim_ip *out) {
  const char *s = lua_tostring(L, idx);
  if (lua_type(L, idx) != LUA_TSTRING || sim_ip_parse(s, out))
    hl__error(L, "%s: %s: '%s' is not an IP address", fn, what, s ? s : luaL_typename(L, idx));
}

hl_host *hl__host_find(hl_rt *rt, const char *name) {
  for (size_t i = 0; i < rt->nhosts; i++)
    if (!strcmp(rt->hosts[i].name, name)) return &rt->hosts[i];
  return NULL;
}

hl_host *hl__host_arg(lua_State *L, int idx, const char *fn) {
  hl_rt *rt = hl__rt(L);
  const size_t *index = luaL_testudata(L, idx, "hnsim.host");
  if (index) return &rt->hosts[*index];
  if (lua_type(L, idx) != LUA_TSTRING)
    hl__error(L, "%s: a host is a host object or its name, not %s", fn, luaL_typename(L, idx));
  hl_host *h = hl__host_find(rt, lua_tostring(L, idx));
  if (!h) hl__error(L, "%s: no host '%s' (host() makes one)", fn, lua_tostring(L, idx));
  return h;
}

hns_hr hl__hresult(lua_State *L, int idx, const char *fn, const char *what) {
  if (lua_isinteger(L, idx)) {
    lua_Integer v = lua_tointeger(L, idx);
    if (v >= INT32_MIN && v <= (lua_Integer)UINT32_MAX) return (hns_hr)(uint32_t)v;
    hl__error(L, "%s: %s: %lld is not a 32-bit HRESULT", fn, what, (long long)v);
  }
  if (lua_type(L, idx) == LUA_TSTRING) {
    const char *name = lua_tostring(L, idx);
    if (!strcmp(name, "S_OK")) return HNS_S_OK;
    for (size_t i = 0; i < hns_hr_known_count(); i++) {
      const char *known = hns_hr_name(hns_hr_known_at(i));
      if (known && !strcmp(known, name)) return hns_hr_known_at(i);
    }
    hl__error(L, "%s: %s: '%s' is not an HRESULT name hnsim knows (docs/errors.md); give its number instead", fn, what,
              name);
  }
  hl__error(L,
            "%s: %s: an HRESULT is a number such as 0x803B0001 or a name such as \"HCN_E_NETWORK_NOT_FOUND\", not %s",
            fn, what, luaL_typename(L, idx));
  return 0;
}

int hl__net_error(lua_State *L, hl_rt *rt, const char *fn, const char *what) {
  return hl__error(L, "%s: %s: %s", fn, what, sim_net_last_error(rt->net));
}

lua_Integer hl__list_len(lua_State *L, int idx, const char *fn, const char *what) {
  if (lua_type(L, idx) != LUA_TTABLE)
    hl__error(L, "%s: %s must be a list (a table), not %s", fn, what, luaL_typename(L, idx));
  idx = lua_absindex(L, idx);
  lua_Integer n = 0, len = (lua_Integer)lua_rawlen(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    n++;
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > len)
      hl__error(L, "%s: %s must be a list {a, b, ...} with keys 1..n only", fn, what);
  }
  if (n != len) hl__error(L, "%s: %s must be a list {a, b, ...} without holes", fn, what);
  return n;
}

/* printf's formatting into a malloc'd text; NULL when memory runs out. */
static char *vformat(const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  char *s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

const char *hl__pushf(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = vformat(fmt, ap);
  va_end(ap);
  if (!s) luaL_error(L, "out of memory");
  hl__push_owned(L, s);
  return lua_tostring(L, -1);
}

int hl__error(lua_State *L, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = vformat(fmt, ap);
  va_end(ap);
  if (!s) return luaL_error(L, "out of memory");
  luaL_where(L, 1);
  hl__push_owned(L, s);
  lua_concat(L, 2);
  return lua_error(L);
}
