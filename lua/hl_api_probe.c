/* hl_api_probe.c: asking the data plane:
 *   probe{from=, to=, proto=, port=}  one probe, with its hop trace
 *   truth{sources=, targets=, proto=, port=, expect=, except=}  a truth table
 * A probe runs at once with sim_probe_run, at the current simulated time:
 * it schedules no event and the clock does not move (its result still
 * carries the times its packets would take). `from` is "host/endpoint"
 * (an endpoint attached to a compartment), "host/compartment", "host" (its
 * host compartment) or a host object; `to` is an IP address,
 * "host/interface" (the interface's first address), "host" (its first
 * NIC's address) or a host object. proto is "tcp" (default), "udp" or
 * "icmp"; port defaults to 80. Each probe is a log row (source "probe");
 * a truth table is one. */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hl_probe_text.h"
#include "hl_scenario_int.h"
#include "sim_net_query.h"
#include "sim_truth.h"

typedef struct endpoint_ref {
  const char *label; /* as given (anchored on the Lua stack) */
  char host[SIM_QUERY_NAME];
  char port[SIM_QUERY_NAME];        /* an endpoint, or "" */
  char compartment[SIM_QUERY_NAME]; /* a compartment, or "" */
} endpoint_ref;

/* "host/x" or "host" or a host object, as a sender. */
static void read_from(lua_State *L, hl_rt *rt, int idx, const char *fn, endpoint_ref *out) {
  memset(out, 0, sizeof *out);
  if (luaL_testudata(L, idx, "hnsim.host")) {
    hl_host *h = hl__host_arg(L, idx, fn);
    snprintf(out->host, sizeof out->host, "%s", h->name);
    out->label = h->name;
    return;
  }
  if (lua_type(L, idx) != LUA_TSTRING)
    hl__error(L, "%s: from must be \"host/endpoint\", \"host\" or a host object, not %s", fn, luaL_typename(L, idx));
  const char *s = out->label = lua_tostring(L, idx);
  const char *slash = strchr(s, '/');
  size_t n = slash ? (size_t)(slash - s) : strlen(s);
  snprintf(out->host, sizeof out->host, "%.*s", (int)(n < SIM_QUERY_NAME ? n : SIM_QUERY_NAME - 1), s);
  if (!hl__host_find(rt, out->host)) hl__error(L, "%s: from: '%s': no host '%s'", fn, s, out->host);
  if (!slash) return;
  sim_iface_info info;
  if (!sim_net_iface_info(rt->net, out->host, slash + 1, &info)) {
    if (info.kind != SIM_IFACE_ENDPOINT)
      hl__error(L, "%s: from: '%s' is not an endpoint; give \"%s\" for its host", fn, s, out->host);
    if (!info.compartment[0]) hl__error(L, "%s: from: endpoint '%s' is attached to no compartment", fn, s);
    snprintf(out->port, sizeof out->port, "%s", slash + 1);
  } else {
    snprintf(out->compartment, sizeof out->compartment, "%s", slash + 1);
  }
}

/* An IP, "host/interface", "host" or a host object, as a destination. */
static void read_to(lua_State *L, hl_rt *rt, int idx, const char *fn, sim_ip *out) {
  char host[SIM_QUERY_NAME];
  sim_iface_info info;
  size_t count = 0;
  if (luaL_testudata(L, idx, "hnsim.host")) {
    hl_host *h = hl__host_arg(L, idx, fn);
    if (!sim_net_host_nics(rt->net, h->name, &info, 1, &count) && count) {
      *out = info.addr[0].addr;
      return;
    }
    hl__error(L, "%s: to: host %s has no NIC", fn, h->name);
  }
  if (lua_type(L, idx) != LUA_TSTRING)
    hl__error(L, "%s: to must be an IP address, \"host/interface\", \"host\" or a host object, not %s", fn,
              luaL_typename(L, idx));
  const char *s = lua_tostring(L, idx);
  if (!sim_ip_parse(s, out)) return;
  const char *slash = strchr(s, '/');
  size_t n = slash ? (size_t)(slash - s) : strlen(s);
  snprintf(host, sizeof host, "%.*s", (int)(n < SIM_QUERY_NAME ? n : SIM_QUERY_NAME - 1), s);
  if (slash && !sim_net_iface_info(rt->net, host, slash + 1, &info) && info.addr[0].addr.family) {
    *out = info.addr[0].addr;
    return;
  }
  if (!slash && !sim_net_host_nics(rt->net, host, &info, 1, &count) && count) {
    *out = info.addr[0].addr;
    return;
  }
  hl__error(L, "%s: to: '%s' is not an IP address, nor a \"host/interface\" or \"host\" with an address", fn, s);
}

/* proto= and port= of the table at idx, or the defaults alone when idx is 0. */
static void read_proto(lua_State *L, int idx, const char *fn, const char *dflt_proto, lua_Integer dflt_port,
                       uint8_t *proto, uint16_t *port) {
  const char *p = idx ? hl__field_string(L, idx, fn, "proto", 0) : NULL;
  if (!p) p = dflt_proto;
  *proto = !strcmp(p, "tcp")    ? SIM_IPPROTO_TCP
           : !strcmp(p, "udp")  ? SIM_IPPROTO_UDP
           : !strcmp(p, "icmp") ? SIM_IPPROTO_ICMP
                                : 0;
  if (!*proto) hl__error(L, "%s: proto: '%s' is not \"tcp\", \"udp\" or \"icmp\"", fn, p);
  if (*proto == SIM_IPPROTO_ICMP)
    *port = 0;
  else
    *port = (uint16_t)(idx ? hl__field_integer(L, idx, fn, "port", 1, 65535, dflt_port) : dflt_port);
}

static void proto_text(uint8_t proto, uint16_t port, char out[24]) {
  if (proto == SIM_IPPROTO_ICMP || proto == SIM_IPPROTO_ICMPV6)
    snprintf(out, 24, "icmp");
  else
    snprintf(out, 24, "%s/%u", proto == SIM_IPPROTO_TCP ? "tcp" : "udp", (unsigned)port);
}

static void set_flow(lua_State *L, const char *field, int have, const sim_flow *f) {
  char text[SIM_FLOW_TEXT];
  if (!have) return;
  sim_flow_format(f, text);
  lua_pushstring(L, text);
  lua_setfield(L, -2, field);
}

static void push_hops(lua_State *L, const sim_trace *t) {
  static const char *const verdicts[] = {"pass", "drop", "consumed"};
  lua_createtable(L, (int)sim_trace_count(t), 0);
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    sim_hop h;
    if (sim_trace_hop(t, i, &h) != SIM_OK) continue;
    lua_createtable(L, 0, 11);
    lua_pushinteger(L, h.time);
    lua_setfield(L, -2, "time");
    lua_pushstring(L, h.leg == SIM_LEG_FORWARD ? "request" : "reply");
    lua_setfield(L, -2, "leg");
    const char *strings[][2] = {{"host", h.host}, {"compartment", h.compartment},
                                {"port", h.port}, {"stage", h.stage},
                                {"rule", h.rule}, {"reason", h.reason}};
    for (size_t k = 0; k < sizeof strings / sizeof *strings; k++) {
      lua_pushstring(L, strings[k][1]);
      lua_setfield(L, -2, strings[k][0]);
    }
    lua_pushstring(L, verdicts[h.verdict]);
    lua_setfield(L, -2, "verdict");
    set_flow(L, "before", 1, &h.before);
    set_flow(L, "after", 1, &h.after);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* The result table of a probe, with the trace as text (hl_probe_text.h). */
static void push_result(lua_State *L, const sim_probe_result *r, const sim_trace *t) {
  lua_createtable(L, 0, 12);
  lua_pushstring(L, sim_probe_verdict_name(r->verdict));
  lua_setfield(L, -2, "verdict");
  lua_pushboolean(L, r->verdict == SIM_PROBE_DELIVERED);
  lua_setfield(L, -2, "delivered");
  lua_pushstring(L, r->reason);
  lua_setfield(L, -2, "reason");
  set_flow(L, "sent", 1, &r->sent);
  set_flow(L, "received", r->reached, &r->received);
  set_flow(L, "reply", r->replied, &r->reply_received);
  lua_pushinteger(L, r->started);
  lua_setfield(L, -2, "started");
  lua_pushinteger(L, r->finished);
  lua_setfield(L, -2, "finished");
  push_hops(L, t);
  lua_setfield(L, -2, "hops");
  char *text = hl_probe_text(r, t);
  if (!text) hl__error(L, "probe: out of memory");
  hl__push_owned(L, text);
  lua_setfield(L, -2, "text");
}

void hl__probe_table(lua_State *L, int idx, const char *fn, const char *const *fields, sim_probe_verdict *verdict) {
  hl_rt *rt = hl__rt(L);
  idx = lua_absindex(L, idx);
  luaL_checktype(L, idx, LUA_TTABLE);
  hl__check_fields(L, idx, fn, fields);
  endpoint_ref from;
  sim_probe_spec spec;
  memset(&spec, 0, sizeof spec);
  lua_getfield(L, idx, "from");
  read_from(L, rt, -1, fn, &from);
  lua_getfield(L, idx, "to");
  read_to(L, rt, -1, fn, &spec.dst);
  /* The target as the scenario named it: a name or address, or a host object's name. */
  const char *to = luaL_testudata(L, -1, "hnsim.host") ? hl__host_arg(L, -1, fn)->name : lua_tostring(L, -1);
  read_proto(L, idx, fn, "tcp", 80, &spec.proto, &spec.dport);
  if (spec.proto == SIM_IPPROTO_ICMP && spec.dst.family == 6) spec.proto = SIM_IPPROTO_ICMPV6;
  /* 0 when absent: the probe's default (SIM_PROBE_DEFAULT_SPORT). */
  lua_getfield(L, idx, "sport");
  if (!lua_isnil(L, -1)) spec.sport = (uint16_t)hl__field_integer(L, idx, fn, "sport", 1, 65535, 0);
  lua_pop(L, 1);
  spec.host = from.host;
  spec.from_port = from.port[0] ? from.port : NULL;
  spec.from_compartment = from.compartment[0] ? from.compartment : NULL;
  sim_probe_result r;
  if (sim_probe_run(rt->net, &spec, rt->trace, &r))
    hl__error(L, "%s: the probe cannot start: %s", fn, sim_net_last_error(rt->net));
  rt->probes++;
  char dst[46], proto[24];
  sim_ip_format(&spec.dst, dst);
  proto_text(spec.proto, spec.dport, proto);
  hl__log(rt, r.verdict == SIM_PROBE_DELIVERED ? RPT_LOG_INFO : RPT_LOG_WARN, "probe", "%s -> %s (%s) %s: %s%s%s",
          from.label, to, dst, proto, sim_probe_verdict_name(r.verdict), r.reason[0] ? ": " : "", r.reason);
  hl__row_probe(rt, L, from.label, to, &spec, &r, rt->trace);
  *verdict = r.verdict;
  push_result(L, &r, rt->trace);
  hl__pushf(L, "%s -> %s %s", from.label, to, proto);
  lua_setfield(L, -2, "label");
}

static int api_probe(lua_State *L) {
  static const char *const fields[] = {"from", "to", "proto", "port", "sport", NULL};
  hl__api(L, "probe");
  sim_probe_verdict v;
  hl__probe_table(L, 1, "probe", fields, &v);
  return 1;
}

/* ---- truth tables ---- */

static sim_truth_expect expect_arg(lua_State *L, int idx, const char *fn, const char *what) {
  static const char *const names[] = {"delivered", "dropped", "no route", "refused",
                                      "timed out", "blocked", "ignored",  NULL};
  const char *s = lua_tostring(L, idx);
  for (int i = 0; s && lua_type(L, idx) == LUA_TSTRING && names[i]; i++)
    if (!strcmp(s, names[i])) return (sim_truth_expect)i;
  hl__error(L, "%s: %s: '%s' is not delivered, dropped, no route, refused, timed out, blocked or ignored", fn, what,
            s ? s : luaL_typename(L, idx));
  return SIM_TRUTH_DELIVERED;
}

typedef struct truth_ctx {
  sim_truth *t;
  char *text;
} truth_ctx;

/* Fills the table (argument 2) with the truth table's rows and columns;
 * run protected, the sim_truth owned by the caller (argument 1). */
static int truth_build(lua_State *L) {
  static const char *const fields[] = {"sources", "targets", "proto", "port", "expect", "except", "what", NULL};
  static const char *const target_fields[] = {"to", "proto", "port", NULL};
  static const char *const except_fields[] = {"from", "to", "expect", NULL};
  truth_ctx *c = lua_touserdata(L, 1);
  hl_rt *rt = hl__rt(L);
  const char *fn = "truth";
  luaL_checktype(L, 2, LUA_TTABLE);
  hl__check_fields(L, 2, fn, fields);
  const char *dproto = hl__field_string(L, 2, fn, "proto", 0);
  lua_Integer dport = hl__field_integer(L, 2, fn, "port", 1, 65535, 80);
  lua_getfield(L, 2, "sources");
  lua_Integer nsrc = hl__list_len(L, -1, fn, "sources");
  for (lua_Integer i = 1; i <= nsrc; i++) {
    endpoint_ref from;
    lua_rawgeti(L, -1, i);
    read_from(L, rt, -1, fn, &from);
    if (strlen(from.label) > SIM_TRUTH_LABEL_MAX)
      hl__error(L, "%s: sources[%lld]: '%s' is longer than %d bytes", fn, (long long)i, from.label,
                SIM_TRUTH_LABEL_MAX);
    sim_truth_source src = {from.label, from.host, from.port[0] ? from.port : NULL,
                            from.compartment[0] ? from.compartment : NULL};
    if (sim_truth_source_add(c->t, &src))
      hl__error(L, "%s: sources[%lld]: %s", fn, (long long)i, sim_truth_last_error(c->t));
    lua_pop(L, 1);
  }
  lua_getfield(L, 2, "targets");
  lua_Integer ndst = hl__list_len(L, -1, fn, "targets");
  for (lua_Integer i = 1; i <= ndst; i++) {
    sim_truth_target dst = {NULL, {0, {0}}, 0, 0};
    char proto[24];
    lua_rawgeti(L, -1, i);
    int item = lua_gettop(L);
    if (lua_istable(L, item)) {
      hl__check_fields(L, item, fn, target_fields);
      lua_getfield(L, item, "to");
      read_proto(L, item, fn, dproto ? dproto : "tcp", dport, &dst.proto, &dst.port);
    } else {
      lua_pushvalue(L, item);
      read_proto(L, 0, fn, dproto ? dproto : "tcp", dport, &dst.proto, &dst.port);
    }
    read_to(L, rt, -1, fn, &dst.dst);
    if (dst.proto == SIM_IPPROTO_ICMP && dst.dst.family == 6) dst.proto = SIM_IPPROTO_ICMPV6;
    proto_text(dst.proto, dst.port, proto);
    dst.label = hl__pushf(
        L, "%s %s", luaL_testudata(L, -1, "hnsim.host") ? hl__host_arg(L, -1, fn)->name : lua_tostring(L, -1), proto);
    if (strlen(dst.label) > SIM_TRUTH_LABEL_MAX)
      hl__error(L, "%s: targets[%lld]: '%s' is longer than %d bytes", fn, (long long)i, dst.label, SIM_TRUTH_LABEL_MAX);
    if (sim_truth_target_add(c->t, &dst))
      hl__error(L, "%s: targets[%lld]: %s", fn, (long long)i, sim_truth_last_error(c->t));
    lua_settop(L, item - 1);
  }
  if (lua_getfield(L, 2, "expect") != LUA_TNIL) sim_truth_expect_all(c->t, expect_arg(L, -1, fn, "expect"));
  if (lua_getfield(L, 2, "except") != LUA_TNIL) {
    lua_Integer n = hl__list_len(L, -1, fn, "except");
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      luaL_checktype(L, -1, LUA_TTABLE);
      hl__check_fields(L, -1, fn, except_fields);
      const char *row = hl__field_string(L, -1, fn, "from", 0);
      const char *col = hl__field_string(L, -1, fn, "to", 0);
      lua_getfield(L, -1, "expect");
      sim_truth_expect e = expect_arg(L, -1, fn, "except.expect");
      lua_pop(L, 1);
      int rc = row && col ? sim_truth_expect_cell(c->t, row, col, e)
               : row      ? sim_truth_expect_row(c->t, row, e)
               : col      ? sim_truth_expect_column(c->t, col, e)
                          : sim_truth_expect_all(c->t, e);
      if (rc)
        hl__error(L, "%s: except[%lld]: %s (a column is named \"<to> <proto>\", such as \"web tcp/80\")", fn,
                  (long long)i, sim_truth_last_error(c->t));
      lua_pop(L, 1);
    }
  }
  if (sim_truth_fill(c->t, rt->net)) hl__error(L, "%s: %s", fn, sim_truth_last_error(c->t));
  hl__row_truth(rt, L, lua_getfield(L, 2, "what") == LUA_TSTRING ? lua_tostring(L, -1) : "", c->t);
  rt->probes += (uint64_t)(nsrc * ndst);
  size_t need = sim_truth_format(c->t, NULL, 0);
  if (!(c->text = malloc(need + 1))) hl__error(L, "%s: out of memory", fn);
  sim_truth_format(c->t, c->text, need + 1);
  return 0;
}

/* Pushes {ok=, tally={correct=, wrong=, unexpected_pass=, ignored=}, text=}. */
void hl__truth_table(lua_State *L, int idx, const char *fn) {
  hl_rt *rt = hl__rt(L);
  truth_ctx c = {NULL, NULL};
  if (sim_truth_create(&c.t)) hl__error(L, "%s: out of memory", fn);
  lua_pushcfunction(L, truth_build);
  lua_pushlightuserdata(L, &c);
  lua_pushvalue(L, idx);
  int status = lua_pcall(L, 2, 0, 0);
  sim_truth_tally tally = {0, 0, 0, 0};
  size_t rows = sim_truth_rows(c.t), cols = sim_truth_columns(c.t);
  if (status == LUA_OK) sim_truth_tally_get(c.t, &tally);
  sim_truth_destroy(c.t);
  if (status != LUA_OK) {
    free(c.text);
    /* Errors raised inside the protected builder carry no line: give them the scenario's. */
    if (lua_type(L, -1) == LUA_TSTRING && rt->sb->limit == HL_LIMIT_NONE && !hl__is_memory_error(L, -1)) {
      luaL_where(L, 1);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    lua_error(L);
  }
  int ok = tally.wrong == 0 && tally.unexpected_pass == 0;
  hl__log(rt, ok ? RPT_LOG_INFO : RPT_LOG_WARN, "probe",
          "truth table %zu x %zu: %zu correct, %zu wrong, %zu unexpected pass, %zu ignored", rows, cols, tally.correct,
          tally.wrong, tally.unexpected_pass, tally.ignored);
  lua_createtable(L, 0, 3);
  hl__push_owned(L, c.text);
  lua_setfield(L, -2, "text");
  lua_pushboolean(L, ok);
  lua_setfield(L, -2, "ok");
  lua_createtable(L, 0, 4);
  const struct {
    const char *name;
    size_t n;
  } counts[] = {{"correct", tally.correct},
                {"wrong", tally.wrong},
                {"unexpected_pass", tally.unexpected_pass},
                {"ignored", tally.ignored}};
  for (size_t i = 0; i < 4; i++) {
    lua_pushinteger(L, (lua_Integer)counts[i].n);
    lua_setfield(L, -2, counts[i].name);
  }
  lua_setfield(L, -2, "tally");
}

static int api_truth(lua_State *L) {
  hl__api(L, "truth");
  hl__truth_table(L, 1, "truth");
  return 1;
}

void hl__open_api_probe(lua_State *L) {
  lua_pushcfunction(L, api_probe);
  lua_setglobal(L, "probe");
  lua_pushcfunction(L, api_truth);
  lua_setglobal(L, "truth");
}
