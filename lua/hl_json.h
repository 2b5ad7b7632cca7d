/* hl_json.h: JSON in the sandbox (hl_json.c): the `json` library scripts
 * use, and the two conversions the scenario API uses to hand documents to
 * the HNS backend and give its answers back as tables. Internal to lua/
 * and its tests.
 *
 * The mapping, both ways (docs/scenarios.md "JSON"):
 *   - a table whose keys are exactly 1..n is an array; a table whose keys
 *     are all strings is an object, written with its keys in byte order;
 *     an empty table is {} unless marked with json.array(); any other
 *     table is refused;
 *   - integers are written as integers (all 64 bits); floats in the
 *     shortest form that reads back the same, with ".0" when integral;
 *     NaN and infinities are refused;
 *   - json.null is null; decoded null becomes json.null, so a key whose
 *     value is null stays in the table;
 *   - decoded numbers with an integral value that fits a Lua integer
 *     become integers (exact up to 2^53: cJSON reads numbers as doubles);
 *     decoded arrays are marked as json.array() tables, so an empty one
 *     encodes back as [].
 * Errors name the path of the bad value, indexes as Lua counts them
 * ("Policies[2].Settings: a function cannot be encoded"). */
#ifndef HL_JSON_H
#define HL_JSON_H
#include <lua.h>
#include <stddef.h>

/* Sets the global table `json`: encode, decode, array, null. */
void hl__open_json(lua_State *L);

/* Encodes the value at `idx`, pushes the text and returns it (valid while
 * it stays on the stack). A value JSON cannot hold raises
 * "<what>: <root><path>: <problem>" (`root` may be ""). */
const char *hl__json_encode(lua_State *L, int idx, const char *what, const char *root, size_t *len);

/* Decodes `text` (`len` bytes) and pushes the value: 0. Text that is not
 * one JSON value pushes nothing and returns -1 with the reason (the byte
 * where it fails) in err. */
int hl__json_decode(lua_State *L, const char *text, size_t len, char *err, size_t errsz);

/* Pushes json.null. */
void hl__json_push_null(lua_State *L);

#endif
