/* test_hl_json.c: JSON in the sandbox (lua/hl_json.c): object keys in byte
 * order whatever the insertion order, arrays for keys 1..n, {} and
 * json.array(), integers kept to 64 bits, floats read back exactly,
 * json.null both ways, errors naming the path of the bad value, decoding
 * with the byte where bad text fails, and the C conversions the scenario
 * API uses. Each case runs a chunk in a real sandbox (through its internal
 * handle) and compares what it returns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <lauxlib.h>
#include <string.h>
#include "hl_json.h"
#include "hl_sandbox_int.h"

typedef struct fixture {
  hl_sandbox *sb;
} fixture;

static int setup(void **state) {
  static fixture f;
  hl_config cfg = HL_CONFIG_DEFAULTS;
  if (hl_sandbox_create(&cfg, &f.sb) != HL_OK) return -1;
  hl__open_json(f.sb->L);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  hl_sandbox_destroy(((fixture *)*state)->sb);
  return 0;
}

/* Runs `code` (a chunk returning a string); 1 with its result in out, or 0
 * with the error message in out. */
static int run(void **state, const char *code, char *out, size_t size) {
  lua_State *L = ((fixture *)*state)->sb->L;
  int ok = luaL_loadbufferx(L, code, strlen(code), "=t", "t") == LUA_OK && lua_pcall(L, 0, 1, 0) == LUA_OK;
  snprintf(out, size, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : luaL_typename(L, -1));
  lua_settop(L, 0);
  return ok;
}

static void expect_result(void **state, const char *code, const char *want) {
  char got[1024];
  if (!run(state, code, got, sizeof got)) fail_msg("%s\nfailed: %s", code, got);
  if (strcmp(got, want)) fail_msg("%s\ngave  %s\nwanted %s", code, got, want);
}

static void expect_error(void **state, const char *code, const char *want) {
  char got[1024];
  if (run(state, code, got, sizeof got)) fail_msg("%s\nsucceeded with %s", code, got);
  if (!strstr(got, want)) fail_msg("%s\nfailed with  %s\nnot with     %s", code, got, want);
}

static void keys_in_byte_order(void **state) {
  expect_result(state, "return json.encode({b = 1, a = 2, A = 3, ['a b'] = 4, ['\\xff'] = 5, [''] = 6})",
                "{\"\":6,\"A\":3,\"a\":2,\"a b\":4,\"b\":1,\"\xff\":5}");
  /* The same keys inserted in two orders (and so in two hash orders) give one text. */
  expect_result(state,
                "local a, b = {}, {}\n"
                "for i = 1, 200 do a['k' .. i] = i end\n"
                "for i = 200, 1, -1 do b['k' .. i] = i end\n"
                "b.k7 = nil; b.k7 = 7\n"
                "return tostring(json.encode(a) == json.encode(b))",
                "true");
  expect_result(state,
                "return json.encode({Name = 'cbr0', Type = 'L2Bridge', Policies = {{Type = 'NetAdapterName', "
                "Settings = {NetworkAdapterName = 'Ethernet'}}}})",
                "{\"Name\":\"cbr0\",\"Policies\":[{\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"},\"Type\":"
                "\"NetAdapterName\"}],\"Type\":\"L2Bridge\"}");
}

static void arrays_and_empty_tables(void **state) {
  expect_result(state, "return json.encode({1, 'two', true, false})", "[1,\"two\",true,false]");
  expect_result(state, "return json.encode({})", "{}");
  expect_result(state, "return json.encode(json.array())", "[]");
  expect_result(state, "return json.encode({Subnets = json.array({})})", "{\"Subnets\":[]}");
  expect_result(state, "return json.encode(json.array({3, 4}))", "[3,4]");
  expect_result(state, "return getmetatable(json.array())", "json.array");
  expect_result(state, "return json.encode({[1] = 'a', [2] = 'b'})", "[\"a\",\"b\"]");
}

static void numbers(void **state) {
  expect_result(state, "return json.encode({9007199254740993, math.maxinteger, math.mininteger, -5, 0})",
                "[9007199254740993,9223372036854775807,-9223372036854775808,-5,0]");
  expect_result(state, "return json.encode({0.1, 1.5, 2.0, 1e300, -0.0, 1/3})",
                "[0.1,1.5,2.0,1e+300,-0.0,0.3333333333333333]");
  expect_result(state,
                "local v = json.decode('[0.1, 2, 2.5, -7, 1e3, 12345678901234]')\n"
                "return math.type(v[1])..math.type(v[2])..math.type(v[3])..v[4]..' '..math.type(v[5])..' '..v[6]",
                "floatintegerfloat-7 integer 12345678901234");
  expect_result(state, "return tostring(json.decode(json.encode(0.1)) == 0.1)", "true");
}

static void null_both_ways(void **state) {
  expect_result(state, "return json.encode({a = json.null, b = {json.null}})", "{\"a\":null,\"b\":[null]}");
  expect_result(state, "local v = json.decode('{\"a\":null}') return tostring(v.a == json.null) .. tostring(v.a)",
                "truenull");
  expect_result(state, "return json.encode(nil)", "null");
}

static void decoding(void **state) {
  expect_result(state,
                "local v = json.decode('{\"a\":[1,2,{\"b\":\"x\"}],\"c\":true,\"d\":\"\\\\u00e9\"}')\n"
                "return v.a[3].b .. #v.a .. tostring(v.c) .. v.d",
                "x3true\xc3\xa9");
  expect_result(state, "return json.encode(json.decode(' {\"Subnets\" : [ ] , \"x\":{}} \\n'))",
                "{\"Subnets\":[],\"x\":{}}");
  expect_error(state, "return json.decode('{\"a\":1,}')", "json.decode: not JSON: error at byte 8, near '}'");
  expect_error(state, "return json.decode('[1, 2')", "json.decode: not JSON: error at byte 5, near '2'");
  expect_error(state, "return json.decode('[1] x')", "json.decode: not JSON: error at byte 5, near 'x'");
  expect_error(state, "return json.decode('')", "json.decode: not JSON: the text is empty");
}

static void errors_name_the_path(void **state) {
  expect_error(state, "return json.encode({Policies = {{Type = 'ACL'}, {Settings = print}}})",
               "json.encode: Policies[2].Settings: a function cannot be encoded");
  expect_error(state, "return json.encode(print)", "json.encode: a function cannot be encoded");
  expect_error(state, "return json.encode({a = {b = 0/0}})", "json.encode: a.b: NaN cannot be encoded");
  expect_error(state, "return json.encode({x = 1/0})", "json.encode: x: an infinity cannot be encoded");
  expect_error(state, "return json.encode({1, 2, x = 3})",
               "json.encode: a table with both string keys and integer keys cannot be encoded");
  expect_error(state, "return json.encode({Routes = {[1] = 'a', [3] = 'c'}})",
               "json.encode: Routes: a table whose integer keys are not exactly 1..2 cannot be encoded");
  expect_error(state, "return json.encode({[true] = 1})",
               "a table key that is neither a string nor an integer cannot be encoded");
  expect_error(state, "local t = {} t.self = t return json.encode({a = t})",
               "json.encode: a.self: a table that contains itself cannot be encoded");
  expect_error(state, "return json.encode({s = 'a\\0b'})",
               "json.encode: s: a string with a NUL byte cannot be encoded");
  expect_error(state, "return json.encode(json.array({x = 1}))", "a table marked json.array() has string keys");
  expect_error(state, "return json.array(setmetatable({}, {}))", "json.array: the table has a metatable already");
  /* A table that appears twice without a cycle is fine. */
  expect_result(state, "local t = {1} return json.encode({a = t, b = t})", "{\"a\":[1],\"b\":[1]}");
}

static int encode_bad_document(lua_State *L) {
  lua_newtable(L);
  lua_pushcfunction(L, encode_bad_document);
  lua_setfield(L, -2, "Settings");
  hl__json_encode(L, -1, "create_network", "document", NULL);
  return 0;
}

/* The C side: hl__json_encode with a root name, hl__json_decode's refusal. */
static void c_conversions(void **state) {
  lua_State *L = ((fixture *)*state)->sb->L;
  char err[128];
  assert_int_equal(hl__json_decode(L, "{\"ID\":\"x\"}", 10, err, sizeof err), 0);
  assert_int_equal(lua_type(L, -1), LUA_TTABLE);
  size_t len;
  const char *text = hl__json_encode(L, -1, "create_network", "document", &len);
  assert_string_equal(text, "{\"ID\":\"x\"}");
  assert_int_equal(len, 10);
  lua_settop(L, 0);
  assert_int_equal(hl__json_decode(L, "nope", 4, err, sizeof err), -1);
  assert_int_equal(lua_gettop(L), 0);
  assert_string_equal(err, "not JSON: error at byte 1, near 'nope'");
  lua_pushcfunction(L, encode_bad_document);
  assert_int_not_equal(lua_pcall(L, 0, 0, 0), LUA_OK);
  assert_string_equal(lua_tostring(L, -1), "create_network: document.Settings: a function cannot be encoded");
  lua_settop(L, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keys_in_byte_order),
      cmocka_unit_test(arrays_and_empty_tables),
      cmocka_unit_test(numbers),
      cmocka_unit_test(null_both_ways),
      cmocka_unit_test(decoding),
      cmocka_unit_test(errors_name_the_path),
      cmocka_unit_test(c_conversions),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
