/* hl_api_fault.c: faults a scenario injects, each recorded as a log row
 * (source "fault"):
 *   fault.fail{host=, op=, kind=, path=, hr=, times=}        a call fails with hr
 *   fault.hang{host=, op=, kind=, path=, duration=, times=}  a call takes simulated time
 *   fault.no_effect{host=, op=, kind=, path=, times=}        a call answers S_OK, changes nothing
 *   fault.remove(host, id)   fault.hits(host, id)
 *   fault.restart(host[, mode])   fault.reboot(host)         HNS restarts / the host reboots
 *   fault.link{segment=, latency=, loss=}                     a segment's link changes
 * The HNS faults are the backend's (hns_backend.h): op is enumerate,
 * create, modify, query, delete or hnscall (none: every op); kind one of
 * the object kinds (none: every kind); path an HNSCall path prefix; times
 * how many matching calls the fault decides (default 1; 0: every one). */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include "hl_scenario_int.h"

static const char *const kind_names[] = {"network", "endpoint", "namespace", "loadbalancer", "sdnroute"};

static hl_host *windows_host(lua_State *L, int idx, const char *fn) {
  hl_host *h = hl__host_arg(L, idx, fn);
  if (!h->backend) hl__error(L, "%s: host %s runs Linux: it has no HNS", fn, h->name);
  return h;
}

static int add_fault(lua_State *L, hns_fault_action action, const char *fn) {
  static const char *const fields[] = {"host", "op", "kind", "path", "hr", "duration", "times", NULL};
  hl_rt *rt = hl__api(L, fn);
  luaL_checktype(L, 1, LUA_TTABLE);
  hl__check_fields(L, 1, fn, fields);
  lua_getfield(L, 1, "host");
  hl_host *h = windows_host(L, -1, fn);
  hns_fault_spec spec = {HNS_OP_COUNT, 1, HNS_NETWORK, NULL, action, HNS_S_OK, 0, 1};
  const char *op = hl__field_string(L, 1, fn, "op", 0);
  if (op) {
    for (spec.op = 0; spec.op < HNS_OP_COUNT && strcmp(op, hns_backend_op_name(spec.op)); spec.op++) {
    }
    if (spec.op == HNS_OP_COUNT)
      return hl__error(L, "%s: op: '%s' is not enumerate, create, modify, query, delete or hnscall", fn, op);
  }
  const char *kind = hl__field_string(L, 1, fn, "kind", 0);
  if (kind) {
    int k = 0;
    while (k < 5 && strcmp(kind, kind_names[k])) k++;
    if (k == 5)
      return hl__error(L, "%s: kind: '%s' is not network, endpoint, namespace, loadbalancer or sdnroute", fn, kind);
    spec.any_kind = 0;
    spec.kind = (hns_object_kind)k;
  }
  spec.path_prefix = hl__field_string(L, 1, fn, "path", 0);
  if (lua_getfield(L, 1, "hr") != LUA_TNIL) spec.hr = hl__hresult(L, -1, fn, "hr");
  if (action != HNS_FAULT_FAIL && !lua_isnil(L, -1)) return hl__error(L, "%s: hr is for fault.fail only", fn);
  if (action == HNS_FAULT_FAIL && !HNS_FAILED(spec.hr))
    return hl__error(L, "%s: hr must be a failure HRESULT (0x8...), such as \"HCN_E_NETWORK_NOT_FOUND\"", fn);
  if (lua_getfield(L, 1, "duration") != LUA_TNIL) {
    if (action != HNS_FAULT_HANG) return hl__error(L, "%s: duration is for fault.hang only", fn);
    spec.duration = hl__duration(L, -1, fn, "duration");
  }
  if (action == HNS_FAULT_HANG && spec.duration <= 0) return hl__error(L, "%s: duration must be more than 0 ns", fn);
  spec.times = (uint32_t)hl__field_integer(L, 1, fn, "times", 0, UINT32_MAX, 1);
  int id = 0;
  if (HNS_FAILED(hns_backend_fault_add(h->backend, &spec, &id)))
    return hl__error(L, "%s: %s", fn, hns_backend_last_detail(h->backend));
  char act[128], times[32];
  if (action == HNS_FAULT_FAIL)
    snprintf(act, sizeof act, "fail with 0x%08X %s", (unsigned)spec.hr,
             hns_hr_name(spec.hr) ? hns_hr_name(spec.hr) : "");
  else if (action == HNS_FAULT_HANG)
    snprintf(act, sizeof act, "hang %lld ns", (long long)spec.duration);
  else
    snprintf(act, sizeof act, "answer S_OK without effect");
  if (spec.times)
    snprintf(times, sizeof times, "%u time%s", (unsigned)spec.times, spec.times == 1 ? "" : "s");
  else
    snprintf(times, sizeof times, "every time");
  static const char *const action_names[] = {"fail", "hang", "no_effect"};
  hl__row_fault(rt, L, h->name, action_names[action], op ? op : "all", "%s: fault %d: %s on %s calls%s%s%s%s, %s",
                h->name, id, act, op ? op : "all",
          kind ? " of kind " : "", kind ? kind : "", spec.path_prefix ? " under " : "",
          spec.path_prefix ? spec.path_prefix : "", times);
  lua_pushinteger(L, id);
  return 1;
}

static int f_fail(lua_State *L) { return add_fault(L, HNS_FAULT_FAIL, "fault.fail"); }
static int f_hang(lua_State *L) { return add_fault(L, HNS_FAULT_HANG, "fault.hang"); }
static int f_no_effect(lua_State *L) { return add_fault(L, HNS_FAULT_NO_EFFECT, "fault.no_effect"); }

static int f_remove(lua_State *L) {
  hl_rt *rt = hl__api(L, "fault.remove");
  hl_host *h = windows_host(L, 1, "fault.remove");
  lua_Integer id = luaL_checkinteger(L, 2);
  if (id < 1 || id > INT32_MAX || HNS_FAILED(hns_backend_fault_remove(h->backend, (int)id)))
    return hl__error(L, "fault.remove: host %s has no fault %lld", h->name, (long long)id);
  hl__row_fault(rt, L, h->name, "remove", lua_tostring(L, 2), "%s: fault %lld removed", h->name, (long long)id);
  return 0;
}

static int f_hits(lua_State *L) {
  hl__api(L, "fault.hits");
  hl_host *h = windows_host(L, 1, "fault.hits");
  lua_Integer id = luaL_checkinteger(L, 2);
  uint32_t hits = 0;
  if (id < 1 || id > INT32_MAX || HNS_FAILED(hns_backend_fault_hits(h->backend, (int)id, &hits)))
    return hl__error(L, "fault.hits: host %s has no fault %lld", h->name, (long long)id);
  lua_pushinteger(L, hits);
  return 1;
}

/* Pushes {kept={network=..}, dropped={..}, policies_dropped=} and logs it. */
static int lifecycle_result(lua_State *L, hl_rt *rt, hl_host *h, const char *kind, const char *what,
                            const hns_lifecycle_report *r) {
  char text[512];
  size_t used = (size_t)snprintf(text, sizeof text, "%s: %s; kept", h->name, what);
  lua_createtable(L, 0, 3);
  for (int side = 0; side < 2; side++) {
    const size_t *counts = side ? r->dropped : r->kept;
    lua_createtable(L, 0, HNS_LIFECYCLE_KINDS);
    if (side) used += (size_t)snprintf(text + used, used < sizeof text ? sizeof text - used : 0, "; dropped");
    for (int k = 0; k < HNS_LIFECYCLE_KINDS; k++) {
      lua_pushinteger(L, (lua_Integer)counts[k]);
      lua_setfield(L, -2, kind_names[k]);
      used += (size_t)snprintf(text + used, used < sizeof text ? sizeof text - used : 0, " %s %zu", kind_names[k],
                               counts[k]);
    }
    lua_setfield(L, -2, side ? "dropped" : "kept");
  }
  lua_pushinteger(L, (lua_Integer)r->policies_dropped);
  lua_setfield(L, -2, "policies_dropped");
  hl__row_fault(rt, L, h->name, kind, "", "%s; policies dropped %zu", text, r->policies_dropped);
  return 1;
}

static int f_restart(lua_State *L) {
  hl_rt *rt = hl__api(L, "fault.restart");
  hl_host *h = windows_host(L, 1, "fault.restart");
  const char *mode = luaL_optstring(L, 2, "profile");
  int m = hns_rehydration_lookup(mode);
  if (m < 0)
    return hl__error(L, "fault.restart: mode: '%s' is not profile, all, networks-only or hns-data-deleted", mode);
  hns_lifecycle_report r;
  memset(&r, 0, sizeof r);
  if (HNS_FAILED(hns_backend_restart(h->backend, (hns_rehydration)m, &r)))
    return hl__error(L, "fault.restart: %s: %s", h->name, hns_backend_last_detail(h->backend));
  return lifecycle_result(L, rt, h, "restart", hl__pushf(L, "HNS restarted (rehydration %s)", mode), &r);
}

static int f_reboot(lua_State *L) {
  hl_rt *rt = hl__api(L, "fault.reboot");
  hl_host *h = windows_host(L, 1, "fault.reboot");
  hns_lifecycle_report r;
  memset(&r, 0, sizeof r);
  if (HNS_FAILED(hns_backend_reboot(h->backend, &r)))
    return hl__error(L, "fault.reboot: %s: %s", h->name, hns_backend_last_detail(h->backend));
  return lifecycle_result(L, rt, h, "reboot", "host rebooted", &r);
}

static int f_link(lua_State *L) {
  static const char *const fields[] = {"segment", "latency", "loss", NULL};
  hl_rt *rt = hl__api(L, "fault.link");
  luaL_checktype(L, 1, LUA_TTABLE);
  hl__check_fields(L, 1, "fault.link", fields);
  const char *name = hl__field_string(L, 1, "fault.link", "segment", 1);
  hl_segment *seg = NULL;
  for (size_t i = 0; i < rt->nsegments && !seg; i++)
    if (!strcmp(rt->segments[i].name, name)) seg = &rt->segments[i];
  if (!seg) return hl__error(L, "fault.link: segment: no segment '%s' (segment() makes one)", name);
  sim_time latency = hl__field_duration(L, 1, "fault.link", "latency", seg->latency);
  double loss = hl__field_probability(L, 1, "fault.link", "loss", seg->loss);
  if (sim_net_segment_set_link(rt->net, name, latency, loss)) return hl__net_error(L, rt, "fault.link", name);
  seg->latency = latency;
  seg->loss = loss;
  hl__row_fault(rt, L, "", "link", name, "segment %s: latency %lld ns, loss %g from now on", name, (long long)latency,
                loss);
  return 0;
}

void hl__open_api_fault(lua_State *L) {
  static const luaL_Reg fns[] = {{"fail", f_fail},     {"hang", f_hang}, {"no_effect", f_no_effect},
                                 {"remove", f_remove}, {"hits", f_hits}, {"restart", f_restart},
                                 {"reboot", f_reboot}, {"link", f_link}, {NULL, NULL}};
  luaL_newlib(L, fns);
  lua_setglobal(L, "fault");
}
