/* hl_api_hns.c: a Windows host's HNS, reached only through its backend
 * (hns_backend.h) with JSON documents, as a CNI plugin or kube-proxy
 * reaches the real one:
 *   h:hcn(op, kind, {id=, parent=, document=})  op: enumerate create modify query delete
 *   h:create_network(doc)  h:create_endpoint(network, doc)  h:create_namespace(doc)
 *   h:create_loadbalancer(doc)  h:modify(kind, id, request)  h:query(kind, id[, query])
 *   h:delete(kind, id)  h:enumerate(kind[, query])  h:hnscall(method, path[, body])
 *   h:must(result)
 * A document is a table (encoded by hl_json.c, keys in byte order) or JSON
 * text; an id is a GUID string or the result of the call that made it.
 *
 * Every call returns a result table and never raises for a refusal:
 *   {hr=, hr_name=, ok=, id=, output=, error=, error_record=, detail=,
 *    what=, elapsed=, fault=}
 * (docs/scenarios.md "HNS"); h:must(result) raises for a failed one.
 * Every call is recorded as a log row (source "hns") with its request,
 * answer and scenario line; the full call log is issue 6's. A hang
 * (fault.hang) in the file's main code runs the clock over its duration,
 * so events due meanwhile happen; inside a callback the clock cannot move
 * and only `elapsed` tells. */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include "hl_json.h"
#include "hl_scenario_int.h"

static const char *const kind_names[] = {"network", "endpoint", "namespace", "loadbalancer", "sdnroute", NULL};

static hns_object_kind kind_arg(lua_State *L, int idx, const char *fn) {
  const char *k = luaL_checkstring(L, idx);
  for (int i = 0; kind_names[i]; i++)
    if (!strcmp(k, kind_names[i])) return (hns_object_kind)i;
  hl__error(L, "%s: kind: '%s' is not network, endpoint, namespace, loadbalancer or sdnroute", fn, k);
  return HNS_NETWORK;
}

/* An id: a string, or a result table's `id`. */
static const char *id_arg(lua_State *L, int idx, const char *fn, const char *what) {
  if (lua_type(L, idx) == LUA_TSTRING) return lua_tostring(L, idx);
  if (lua_type(L, idx) == LUA_TTABLE) {
    lua_getfield(L, idx, "id");
    const char *id = lua_tostring(L, -1);
    lua_pop(L, 1); /* anchored by the table */
    if (lua_type(L, idx) == LUA_TTABLE && id) return id;
    hl__error(L, "%s: %s: the result given has no id (did the call fail?)", fn, what);
  }
  hl__error(L, "%s: %s must be an object's ID or the result of the call that made it, not %s", fn, what,
            luaL_typename(L, idx));
  return NULL;
}

/* A document: JSON text as given, or a table encoded; pushes the text. */
static const char *document_arg(lua_State *L, int idx, const char *fn) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    lua_pushvalue(L, idx);
    return lua_tostring(L, -1);
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    hl__error(L, "%s: document must be a table or JSON text, not %s", fn, luaL_typename(L, idx));
  return hl__json_encode(L, idx, fn, "document", NULL);
}

typedef struct call_ctx {
  hl_rt *rt;
  hl_host *host;
  const hns_backend_request *req;
  const char *what;
  hns_backend_answer a;
} call_ctx;

/* Sets t[field] to the decoded JSON text, or the text itself if it is not JSON. */
static void set_json(lua_State *L, const char *field, const char *text) {
  char err[8];
  if (!text) return;
  if (hl__json_decode(L, text, strlen(text), err, sizeof err)) lua_pushstring(L, text);
  lua_setfield(L, -2, field);
}

/* Run protected (argument: the call_ctx), so that a refused allocation
 * cannot leak the answer's strings: pushes the result table. */
static int build_result(lua_State *L) {
  call_ctx *c = lua_touserdata(L, 1);
  const hns_backend_answer *a = &c->a;
  int hnscall = c->req->op == HNS_OP_HNSCALL;
  int ok = HNS_SUCCEEDED(a->hr);
  lua_createtable(L, 0, 12);
  lua_pushinteger(L, (lua_Integer)(uint32_t)a->hr);
  lua_setfield(L, -2, "hr");
  lua_pushstring(L, hns_hr_name(a->hr) ? hns_hr_name(a->hr) : "unknown");
  lua_setfield(L, -2, "hr_name");
  lua_pushstring(L, c->what);
  lua_setfield(L, -2, "what");
  lua_pushinteger(L, a->elapsed);
  lua_setfield(L, -2, "elapsed");
  if (a->fault_id) {
    lua_pushinteger(L, a->fault_id);
    lua_setfield(L, -2, "fault");
  }
  if (a->detail) {
    lua_pushstring(L, a->detail);
    lua_setfield(L, -2, "detail");
  }
  if (a->error_record) {
    lua_pushstring(L, a->error_record);
    lua_setfield(L, -2, "error_record");
    set_json(L, "error", a->error_record);
    if (lua_getfield(L, -1, "error") == LUA_TTABLE) { /* the record's "Error" text */
      lua_getfield(L, -1, "Error");
      lua_setfield(L, -3, "error");
    }
    lua_pop(L, 1);
  }
  set_json(L, hnscall ? "response" : "output", a->output);
  if (hnscall && lua_getfield(L, -1, "response") == LUA_TTABLE) { /* the envelope {"Success":..,"Output"|"Error":..} */
    lua_getfield(L, -1, "Output");
    lua_setfield(L, -3, "output");
    if (lua_getfield(L, -1, "Success") == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
      ok = 0;
      lua_getfield(L, -2, "Error");
      lua_setfield(L, -4, "error");
    }
    lua_pop(L, 1);
  }
  if (hnscall) lua_pop(L, 1);
  lua_pushboolean(L, ok);
  lua_setfield(L, -2, "ok");
  if (c->req->op == HNS_OP_CREATE || hnscall) { /* the new object's ID */
    if (lua_getfield(L, -1, "output") == LUA_TTABLE)
      lua_getfield(L, -1, "ID");
    else
      lua_pushnil(L);
    if (lua_type(L, -1) == LUA_TSTRING)
      lua_setfield(L, -3, "id");
    else
      lua_pop(L, 1);
    lua_pop(L, 1);
  } else if (c->req->id) {
    lua_pushstring(L, c->req->id);
    lua_setfield(L, -2, "id");
  }
  return 1;
}

static void log_call(hl_rt *rt, lua_State *L, const call_ctx *c) {
  char line[128], extra[96] = "";
  const hns_backend_answer *a = &c->a;
  hl__line(L, line, sizeof line);
  if (a->fault_id) snprintf(extra, sizeof extra, " (fault %d)", a->fault_id);
  if (a->elapsed)
    snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " after %lld ns", (long long)a->elapsed);
  hl__log(rt, HNS_SUCCEEDED(a->hr) ? RPT_LOG_INFO : RPT_LOG_WARN, "hns",
          "%s %s (%s): 0x%08X %s%s; request %s; answer %s%s%s%s%s", c->host->name, c->what, line, (unsigned)a->hr,
          hns_hr_name(a->hr) ? hns_hr_name(a->hr) : "unknown", extra, c->req->document ? c->req->document : "-",
          a->output ? a->output : "-", a->error_record ? "; error " : "", a->error_record ? a->error_record : "",
          a->detail ? "; detail " : "", a->detail ? a->detail : "");
}

/* Makes the call, records it, pushes the result table. */
static int hns_call(lua_State *L, hl_host *h, const hns_backend_request *req, const char *what) {
  hl_rt *rt = hl__rt(L);
  if (!h->backend) return hl__error(L, "%s: host %s runs Linux: it has no HNS", what, h->name);
  call_ctx c = {rt, h, req, what, {0}};
  hns_backend_call(h->backend, req, &c.a);
  rt->hns_calls++;
  log_call(rt, L, &c);
  hl__row_call(rt, L, h, req, &c.a);
  lua_pushcfunction(L, build_result);
  lua_pushlightuserdata(L, &c);
  int status = lua_pcall(L, 1, 1, 0);
  sim_time elapsed = c.a.elapsed;
  hns_backend_answer_free(&c.a);
  if (status != LUA_OK) return lua_error(L);
  if (elapsed > 0 && !rt->running && hl__run_clock(rt, 1, sim_now(rt->world) + elapsed)) return hl__raise_fatal(L, rt);
  return 1;
}

/* "create network 'cbr0'": the document's Name when it is a table with one. */
static const char *describe(lua_State *L, const char *op, hns_object_kind kind, int doc_idx, const char *id) {
  if (id) return hl__pushf(L, "%s %s %s", op, kind_names[kind], id);
  if (doc_idx && lua_type(L, doc_idx) == LUA_TTABLE && lua_getfield(L, doc_idx, "Name") == LUA_TSTRING) {
    const char *s = hl__pushf(L, "%s %s '%s'", op, kind_names[kind], lua_tostring(L, -1));
    lua_remove(L, -2);
    return s;
  }
  if (doc_idx && lua_type(L, doc_idx) == LUA_TTABLE) lua_pop(L, 1);
  return hl__pushf(L, "%s %s%s", op, kind_names[kind], !strcmp(op, "enumerate") ? "s" : "");
}

/* The generic call: op, kind, document at doc_idx (0: none), id, parent. */
static int do_call(lua_State *L, hl_host *h, hns_backend_op op, hns_object_kind kind, int doc_idx, const char *id,
                   const char *parent, const char *fn) {
  hns_backend_request req = {op, kind, id, parent, NULL, NULL, NULL};
  if (doc_idx && !lua_isnoneornil(L, doc_idx)) req.document = document_arg(L, doc_idx, fn);
  const char *what = describe(L, hns_backend_op_name(op), kind, doc_idx, op == HNS_OP_CREATE ? NULL : id);
  return hns_call(L, h, &req, what);
}

static int m_hcn(lua_State *L) {
  static const char *const fields[] = {"id", "parent", "document", NULL};
  static const char *const ops[] = {"enumerate", "create", "modify", "query", "delete", NULL};
  hl__api(L, "hcn");
  hl_host *h = hl__host_arg(L, 1, "hcn");
  int op = luaL_checkoption(L, 2, NULL, ops);
  hns_object_kind kind = kind_arg(L, 3, "hcn");
  const char *id = NULL, *parent = NULL;
  int doc = 0;
  if (!lua_isnoneornil(L, 4)) {
    luaL_checktype(L, 4, LUA_TTABLE);
    hl__check_fields(L, 4, "hcn", fields);
    if (lua_getfield(L, 4, "id") != LUA_TNIL) id = id_arg(L, -1, "hcn", "id");
    if (lua_getfield(L, 4, "parent") != LUA_TNIL) parent = id_arg(L, -1, "hcn", "parent");
    lua_getfield(L, 4, "document");
    doc = lua_gettop(L);
  }
  if ((op == HNS_OP_MODIFY || op == HNS_OP_QUERY || op == HNS_OP_DELETE) && !id)
    return hl__error(L, "hcn: %s needs {id=...}", ops[op]);
  if (op == HNS_OP_CREATE && kind == HNS_ENDPOINT && !parent)
    return hl__error(L, "hcn: create endpoint needs {parent=<network>}");
  if ((op == HNS_OP_CREATE || op == HNS_OP_MODIFY) && (!doc || lua_isnil(L, doc)))
    return hl__error(L, "hcn: %s needs {document=...}", ops[op]);
  return do_call(L, h, (hns_backend_op)op, kind, doc, id, parent, "hcn");
}

static int create_kind(lua_State *L, hns_object_kind kind, const char *fn) {
  hl__api(L, fn);
  hl_host *h = hl__host_arg(L, 1, fn);
  luaL_checkany(L, 2);
  return do_call(L, h, HNS_OP_CREATE, kind, 2, NULL, NULL, fn);
}

static int m_create_network(lua_State *L) { return create_kind(L, HNS_NETWORK, "create_network"); }
static int m_create_namespace(lua_State *L) { return create_kind(L, HNS_NAMESPACE, "create_namespace"); }
static int m_create_loadbalancer(lua_State *L) { return create_kind(L, HNS_LOADBALANCER, "create_loadbalancer"); }

static int m_create_endpoint(lua_State *L) {
  hl__api(L, "create_endpoint");
  hl_host *h = hl__host_arg(L, 1, "create_endpoint");
  const char *network = id_arg(L, 2, "create_endpoint", "network");
  luaL_checkany(L, 3);
  return do_call(L, h, HNS_OP_CREATE, HNS_ENDPOINT, 3, NULL, network, "create_endpoint");
}

static int m_modify(lua_State *L) {
  hl__api(L, "modify");
  hl_host *h = hl__host_arg(L, 1, "modify");
  hns_object_kind kind = kind_arg(L, 2, "modify");
  const char *id = id_arg(L, 3, "modify", "id");
  luaL_checkany(L, 4);
  return do_call(L, h, HNS_OP_MODIFY, kind, 4, id, NULL, "modify");
}

static int m_query(lua_State *L) {
  hl__api(L, "query");
  hl_host *h = hl__host_arg(L, 1, "query");
  hns_object_kind kind = kind_arg(L, 2, "query");
  const char *id = id_arg(L, 3, "query", "id");
  return do_call(L, h, HNS_OP_QUERY, kind, lua_isnoneornil(L, 4) ? 0 : 4, id, NULL, "query");
}

static int m_delete(lua_State *L) {
  hl__api(L, "delete");
  hl_host *h = hl__host_arg(L, 1, "delete");
  hns_object_kind kind = kind_arg(L, 2, "delete");
  const char *id = id_arg(L, 3, "delete", "id");
  return do_call(L, h, HNS_OP_DELETE, kind, 0, id, NULL, "delete");
}

static int m_enumerate(lua_State *L) {
  hl__api(L, "enumerate");
  hl_host *h = hl__host_arg(L, 1, "enumerate");
  hns_object_kind kind = kind_arg(L, 2, "enumerate");
  return do_call(L, h, HNS_OP_ENUMERATE, kind, lua_isnoneornil(L, 3) ? 0 : 3, NULL, NULL, "enumerate");
}

static int m_hnscall(lua_State *L) {
  hl__api(L, "hnscall");
  hl_host *h = hl__host_arg(L, 1, "hnscall");
  const char *method = luaL_checkstring(L, 2);
  const char *path = luaL_checkstring(L, 3);
  hns_backend_request req = {HNS_OP_HNSCALL, HNS_NETWORK, NULL, NULL, NULL, method, path};
  if (!lua_isnoneornil(L, 4)) req.document = document_arg(L, 4, "hnscall");
  return hns_call(L, h, &req, hl__pushf(L, "HNSCall %s %s", method, path));
}

/* h:must(result): the result when it is ok, else raises with what failed,
 * the HRESULT and its name, HNS's error text and hnsim's detail. */
static int m_must(lua_State *L) {
  hl__api(L, "must");
  hl__host_arg(L, 1, "must");
  if (lua_type(L, 2) != LUA_TTABLE || lua_getfield(L, 2, "ok") != LUA_TBOOLEAN)
    return hl__error(L, "must: give the result of an HNS call, such as h:must(h:create_network{...})");
  if (lua_toboolean(L, -1)) {
    lua_settop(L, 2);
    return 1;
  }
  lua_getfield(L, 2, "what");
  lua_getfield(L, 2, "hr");
  lua_getfield(L, 2, "hr_name");
  lua_getfield(L, 2, "error");
  lua_getfield(L, 2, "detail");
  return hl__error(L, "%s failed: 0x%08X %s%s%s%s%s%s", lua_isstring(L, -5) ? lua_tostring(L, -5) : "the call",
                   (unsigned)lua_tointeger(L, -4), lua_isstring(L, -3) ? lua_tostring(L, -3) : "unknown",
                   lua_isstring(L, -2) ? ": " : "", lua_isstring(L, -2) ? lua_tostring(L, -2) : "",
                   lua_isstring(L, -1) ? " (" : "", lua_isstring(L, -1) ? lua_tostring(L, -1) : "",
                   lua_isstring(L, -1) ? ")" : "");
}

void hl__host_hns_methods(lua_State *L) {
  static const luaL_Reg methods[] = {{"hcn", m_hcn},
                                     {"create_network", m_create_network},
                                     {"create_endpoint", m_create_endpoint},
                                     {"create_namespace", m_create_namespace},
                                     {"create_loadbalancer", m_create_loadbalancer},
                                     {"modify", m_modify},
                                     {"query", m_query},
                                     {"delete", m_delete},
                                     {"enumerate", m_enumerate},
                                     {"hnscall", m_hnscall},
                                     {"must", m_must},
                                     {NULL, NULL}};
  luaL_setfuncs(L, methods, 0);
}
