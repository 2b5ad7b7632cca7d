/* hl_json.c: json.encode, json.decode, json.array and json.null, through
 * cJSON, deterministic: object keys in byte order, never in pairs() order
 * (hl_json.h has the mapping).
 *
 * Memory: cJSON trees and texts live outside the Lua heap. Every step that
 * can raise a Lua error (a refused allocation at the memory cap, a stack
 * that cannot grow) runs inside a protected call whose C state the caller
 * owns and frees afterwards, then the error is raised again unchanged, so
 * nothing leaks and the sandbox still sees its limits. A value JSON cannot
 * hold is not a Lua error while the tree is built: the builder returns -1
 * with the message in the encoder, and the error is raised once the tree
 * is freed. */
#include "hl_json.h"
#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char array_key[] = "hnsim.json.array"; /* registry: the metatable marking arrays */
static const char null_key[] = "hnsim.json.null";   /* registry: the json.null value */

/* Deeper than this is refused: far beyond any HNS document, and it keeps
 * the C stack of the recursion small. */
#define JSON_MAX_DEPTH 200

typedef struct encoder {
  cJSON *holder; /* an array holding the root, so one delete frees all */
  char *text;
  int visiting; /* stack index of the set of tables being encoded */
  int depth;
  size_t path_len;
  char path[512];
  char err[256];
} encoder;

static int enc_fail(encoder *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int enc_fail(encoder *e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->err, sizeof e->err, fmt, ap);
  va_end(ap);
  return -1;
}

static void path_push(encoder *e, const char *fmt, const char *key, long long index, size_t *saved) {
  *saved = e->path_len;
  int n = key ? snprintf(e->path + e->path_len, sizeof e->path - e->path_len, fmt, key)
              : snprintf(e->path + e->path_len, sizeof e->path - e->path_len, fmt, index);
  if (n > 0) e->path_len += (size_t)n < sizeof e->path - e->path_len ? (size_t)n : sizeof e->path - e->path_len - 1;
}

static void path_pop(encoder *e, size_t saved) {
  e->path_len = saved;
  e->path[saved] = '\0';
}

/* The shortest of %.15g, %.16g and %.17g that reads back as `d`, with
 * ".0" added when it looks like an integer (Lua's own rule). */
static void format_float(double d, char out[40]) {
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(out, 40, "%.*g", prec, d);
    if (strtod(out, NULL) == d) break;
  }
  if (!strpbrk(out, ".eE")) strcat(out, ".0");
}

static int attach(encoder *e, cJSON *parent, const char *key, cJSON *item) {
  if (!item) return enc_fail(e, "out of memory");
  if (key ? !cJSON_AddItemToObject(parent, key, item) : !cJSON_AddItemToArray(parent, item)) {
    cJSON_Delete(item);
    return enc_fail(e, "out of memory");
  }
  return 0;
}

static int encode_value(lua_State *L, encoder *e, int idx, cJSON *parent, const char *key);

typedef struct key_ref {
  const char *text;
  size_t len;
} key_ref;

static int compare_key_refs(const void *pa, const void *pb) {
  const key_ref *a = pa, *b = pb;
  int c = memcmp(a->text, b->text, a->len < b->len ? a->len : b->len);
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int is_array_marked(lua_State *L, int idx) {
  if (!lua_getmetatable(L, idx)) return 0;
  lua_getfield(L, LUA_REGISTRYINDEX, array_key);
  int marked = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return marked;
}

/* Object members in byte order of their keys; `n` keys, all strings. */
static int encode_object(lua_State *L, encoder *e, int idx, cJSON *obj, lua_Integer n) {
  lua_createtable(L, (int)n, 0); /* anchors the key strings */
  int keys = lua_gettop(L);
  lua_Integer k = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++k);
  }
  key_ref *refs = lua_newuserdatauv(L, (size_t)n * sizeof *refs, 0);
  for (lua_Integer i = 0; i < n; i++) {
    lua_rawgeti(L, keys, i + 1);
    refs[i].text = lua_tolstring(L, -1, &refs[i].len);
    lua_pop(L, 1);
  }
  qsort(refs, (size_t)n, sizeof *refs, compare_key_refs);
  for (lua_Integer i = 0; i < n; i++) {
    size_t saved;
    if (memchr(refs[i].text, '\0', refs[i].len)) return enc_fail(e, "a key with a NUL byte cannot be encoded");
    path_push(e, e->path_len ? ".%s" : "%s", refs[i].text, 0, &saved);
    lua_pushlstring(L, refs[i].text, refs[i].len);
    lua_rawget(L, idx);
    int rc = encode_value(L, e, lua_gettop(L), obj, refs[i].text);
    lua_pop(L, 1);
    if (rc) return -1;
    path_pop(e, saved);
  }
  lua_pop(L, 2);
  return 0;
}

static int encode_table(lua_State *L, encoder *e, int idx, cJSON *parent, const char *key) {
  if (e->depth >= JSON_MAX_DEPTH) return enc_fail(e, "nested deeper than 200 tables");
  lua_pushvalue(L, idx);
  if (lua_rawget(L, e->visiting) != LUA_TNIL) return enc_fail(e, "a table that contains itself cannot be encoded");
  lua_pop(L, 1);
  luaL_checkstack(L, 8, "json.encode: nested too deeply");
  lua_Integer n = 0, nstr = 0, nint = 0, max_int = 0;
  int below_one = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    n++;
    if (lua_type(L, -1) == LUA_TSTRING) {
      nstr++;
    } else if (lua_isinteger(L, -1)) {
      lua_Integer i = lua_tointeger(L, -1);
      nint++;
      if (i < 1)
        below_one = 1;
      else if (i > max_int)
        max_int = i;
    }
  }
  int marked = is_array_marked(L, idx);
  if (nstr + nint < n) return enc_fail(e, "a table key that is neither a string nor an integer cannot be encoded");
  if (nstr && nint) return enc_fail(e, "a table with both string keys and integer keys cannot be encoded");
  if (nint && (below_one || max_int != n))
    return enc_fail(e, "a table whose integer keys are not exactly 1..%lld cannot be encoded (a hole?)", (long long)n);
  if (nstr && marked) return enc_fail(e, "a table marked json.array() has string keys");
  int array = nint > 0 || (n == 0 && marked);
  cJSON *node = array ? cJSON_CreateArray() : cJSON_CreateObject();
  if (attach(e, parent, key, node)) return -1;
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, e->visiting);
  e->depth++;
  int rc = 0;
  if (array) {
    for (lua_Integer i = 1; i <= n && !rc; i++) {
      size_t saved;
      path_push(e, "[%lld]", NULL, (long long)i, &saved);
      lua_rawgeti(L, idx, i);
      rc = encode_value(L, e, lua_gettop(L), node, NULL);
      lua_pop(L, 1);
      if (!rc) path_pop(e, saved);
    }
  } else if (n > 0) {
    rc = encode_object(L, e, idx, node, n);
  }
  e->depth--;
  lua_pushvalue(L, idx);
  lua_pushnil(L);
  lua_rawset(L, e->visiting);
  return rc;
}

static int encode_value(lua_State *L, encoder *e, int idx, cJSON *parent, const char *key) {
  char number[40];
  switch (lua_type(L, idx)) {
  case LUA_TNIL: return attach(e, parent, key, cJSON_CreateNull());
  case LUA_TBOOLEAN: return attach(e, parent, key, cJSON_CreateBool(lua_toboolean(L, idx)));
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) {
      snprintf(number, sizeof number, "%lld", (long long)lua_tointeger(L, idx));
    } else {
      double d = lua_tonumber(L, idx);
      if (!isfinite(d))
        return enc_fail(e, "%s cannot be encoded (JSON has no NaN or infinity)", isnan(d) ? "NaN" : "an infinity");
      format_float(d, number);
    }
    return attach(e, parent, key, cJSON_CreateRaw(number));
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (memchr(s, '\0', len)) return enc_fail(e, "a string with a NUL byte cannot be encoded");
    return attach(e, parent, key, cJSON_CreateString(s));
  }
  case LUA_TTABLE: return encode_table(L, e, idx, parent, key);
  case LUA_TUSERDATA:
    lua_getfield(L, LUA_REGISTRYINDEX, null_key);
    if (lua_rawequal(L, -1, idx)) {
      lua_pop(L, 1);
      return attach(e, parent, key, cJSON_CreateNull());
    }
    lua_pop(L, 1);
    return enc_fail(e, "a userdata cannot be encoded");
  default: return enc_fail(e, "a %s cannot be encoded", lua_typename(L, lua_type(L, idx)));
  }
}

/* Arguments: the encoder, the value. Result: the text, or false when the
 * value cannot be encoded (the reason in the encoder). */
static int encode_protected(lua_State *L) {
  encoder *e = lua_touserdata(L, 1);
  lua_newtable(L);
  e->visiting = lua_gettop(L);
  if (encode_value(L, e, 2, e->holder, NULL)) {
    lua_pushboolean(L, 0);
    return 1;
  }
  e->text = cJSON_PrintUnformatted(cJSON_GetArrayItem(e->holder, 0));
  if (!e->text) return luaL_error(L, "out of memory writing JSON text");
  lua_pushstring(L, e->text);
  return 1;
}

const char *hl__json_encode(lua_State *L, int idx, const char *what, const char *root, size_t *len) {
  idx = lua_absindex(L, idx);
  encoder e;
  memset(&e, 0, sizeof e);
  e.holder = cJSON_CreateArray();
  if (!e.holder) luaL_error(L, "%s: out of memory", what);
  snprintf(e.path, sizeof e.path, "%s", root);
  e.path_len = strlen(e.path);
  lua_pushcfunction(L, encode_protected);
  lua_pushlightuserdata(L, &e);
  lua_pushvalue(L, idx);
  int status = lua_pcall(L, 2, 1, 0);
  cJSON_Delete(e.holder);
  free(e.text);
  if (status != LUA_OK) lua_error(L);
  if (!lua_isstring(L, -1)) {
    lua_pop(L, 1);
    if (e.path_len) luaL_error(L, "%s: %s: %s", what, e.path, e.err);
    luaL_error(L, "%s: %s", what, e.err);
  }
  return lua_tolstring(L, -1, len);
}

/* ---- decoding ---- */

static void push_array_mark(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_getfield(L, LUA_REGISTRYINDEX, array_key);
  lua_setmetatable(L, idx);
}

static void push_item(lua_State *L, const cJSON *item) {
  luaL_checkstack(L, 4, "json.decode: nested too deeply");
  if (cJSON_IsNull(item)) {
    hl__json_push_null(L);
  } else if (cJSON_IsBool(item)) {
    lua_pushboolean(L, cJSON_IsTrue(item));
  } else if (cJSON_IsNumber(item)) {
    double d = item->valuedouble;
    if (d == floor(d) && d >= -0x1p63 && d < 0x1p63)
      lua_pushinteger(L, (lua_Integer)d);
    else
      lua_pushnumber(L, d);
  } else if (cJSON_IsString(item)) {
    lua_pushstring(L, item->valuestring);
  } else if (cJSON_IsArray(item)) {
    lua_createtable(L, cJSON_GetArraySize(item), 0);
    lua_Integer i = 0;
    for (const cJSON *c = item->child; c; c = c->next) {
      push_item(L, c);
      lua_rawseti(L, -2, ++i);
    }
    push_array_mark(L, -1);
  } else {
    lua_createtable(L, 0, cJSON_GetArraySize(item));
    for (const cJSON *c = item->child; c; c = c->next) {
      push_item(L, c);
      lua_setfield(L, -2, c->string);
    }
  }
}

static int decode_protected(lua_State *L) {
  push_item(L, lua_touserdata(L, 1));
  return 1;
}

int hl__json_decode(lua_State *L, const char *text, size_t len, char *err, size_t errsz) {
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (root) {
    while (end < text + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')) end++;
    if (end != text + len) {
      cJSON_Delete(root);
      root = NULL;
    }
  }
  if (!root) { /* cJSON points at the last byte when the text ends too soon */
    size_t at = end && end >= text && end < text + len ? (size_t)(end - text) : len;
    if (at == len)
      snprintf(err, errsz, "not JSON: the text is empty");
    else
      snprintf(err, errsz, "not JSON: error at byte %zu, near '%.*s'", at + 1, (int)(len - at < 12 ? len - at : 12),
               text + at);
    return -1;
  }
  lua_pushcfunction(L, decode_protected);
  lua_pushlightuserdata(L, root);
  int status = lua_pcall(L, 1, 1, 0);
  cJSON_Delete(root);
  if (status != LUA_OK) lua_error(L);
  return 0;
}

void hl__json_push_null(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, null_key); }

/* ---- the library ---- */

static int json_encode(lua_State *L) {
  luaL_checkany(L, 1);
  hl__json_encode(L, 1, "json.encode", "", NULL);
  return 1;
}

static int json_decode(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  char err[160];
  if (hl__json_decode(L, text, len, err, sizeof err)) return luaL_error(L, "json.decode: %s", err);
  return 1;
}

/* json.array([t]): marks t (or a new table) as an array, so that it
 * encodes as [] while empty; returns it. */
static int json_array(lua_State *L) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_newtable(L);
  } else {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    if (lua_getmetatable(L, 1)) {
      lua_getfield(L, LUA_REGISTRYINDEX, array_key);
      if (!lua_rawequal(L, -1, -2)) return luaL_error(L, "json.array: the table has a metatable already");
      lua_pop(L, 2);
    }
  }
  push_array_mark(L, 1);
  return 1;
}

static int null_tostring(lua_State *L) {
  lua_pushliteral(L, "null");
  return 1;
}

void hl__open_json(lua_State *L) {
  lua_createtable(L, 0, 2); /* the array marker: getmetatable shows its name only */
  lua_pushliteral(L, "json.array");
  lua_setfield(L, -2, "__metatable");
  lua_pushliteral(L, "json.array");
  lua_setfield(L, -2, "__name");
  lua_setfield(L, LUA_REGISTRYINDEX, array_key);
  lua_newuserdatauv(L, 0, 0);
  lua_createtable(L, 0, 3);
  lua_pushcfunction(L, null_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushliteral(L, "json.null");
  lua_setfield(L, -2, "__metatable");
  lua_pushliteral(L, "json.null");
  lua_setfield(L, -2, "__name");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, null_key);
  static const luaL_Reg fns[] = {{"encode", json_encode}, {"decode", json_decode}, {"array", json_array}, {NULL, NULL}};
  luaL_newlib(L, fns);
  hl__json_push_null(L);
  lua_setfield(L, -2, "null");
  lua_setglobal(L, "json");
}
