/* hl_sandbox.h: the sandboxed Lua 5.4 state that runs scenario files.
 *
 * What a script can reach:
 *   - base functions: assert, error, getmetatable, ipairs, next, pairs,
 *     pcall, xpcall, print, rawequal, rawget, rawlen, rawset, select,
 *     setmetatable, tonumber, tostring, type, _G, _VERSION;
 *   - the string, table, math and utf8 libraries;
 *   - require(name) for the project's own modules, and sorted_pairs(t).
 * Nothing else: no io, os, debug, package or coroutine; no load, loadfile,
 * dofile or collectgarbage; no string.dump. Scenario files and modules are
 * loaded in text mode only, so no bytecode ever runs.
 *
 * Changed from stock Lua, so that a run cannot reach the host or vary:
 *   - require(name): `name` must match [a-z0-9_]+ words joined by '.'; it
 *     maps to <module_dir>/<name with '.' as '/'>.lua, loaded as text, run
 *     once with the name as its argument; its result (true if it returns
 *     nil) is cached for the sandbox's life. Anything else is refused.
 *   - math.random: xoshiro256** seeded from hl_config.seed (hl_random.c);
 *     math.randomseed(n) restarts it as a sandbox seeded with n would.
 *   - pairs() and next() order over string keys differs from run to run
 *     (Lua seeds its string hash from the clock and addresses): everything a
 *     scenario schedules, records or prints must iterate with
 *     sorted_pairs(t), which visits numbers (ascending), then strings (byte
 *     order), then false and true, and refuses other key types.
 *   - tostring(v) of a table, function or other reference without a
 *     __tostring metamethod gives its type name ("table", "function"), never
 *     an address; print and string.format's %s use the same rule, and
 *     string.format refuses %p.
 *   - setmetatable refuses metatables with __gc or __mode: when the garbage
 *     collector runs depends on the Lua build, so finalizers and weak tables
 *     would let it change results.
 *   - print goes to hl_config.print, one call per line; dropped when NULL.
 *   - getmetatable("") is false: the string metatable is locked.
 *
 * Limits (both end the run; a script's pcall cannot catch them):
 *   - memory cap: the Lua heap may not grow past hl_config.memory_cap bytes;
 *     the allocation that would is refused, and the run ends with
 *     "file:line: memory cap of N bytes reached ...".
 *   - instruction budget: hl_config.instruction_budget Lua VM instructions
 *     over the sandbox's whole life (every run_file, every module); then
 *     "file:line: instruction budget of N instructions exhausted". Time spent
 *     inside one C library call (a string pattern that backtracks a lot,
 *     table.move over a huge range) is not counted: the budget stops runaway
 *     scripts, not a hostile author.
 * Once a limit is reached the sandbox stays there: a later run_file ends the
 * same way at its first instruction.
 *
 * Errors: a failed run's message is "file:line: message" (file names as given
 * to hl_sandbox_run_file, or the module's path; Lua shows at most 59 bytes of
 * a name, keeping its end) followed by "stack traceback:" and one line per
 * call level, innermost first. A syntax error has no traceback (nothing ran).
 *
 * A sandbox is used by one thread at a time. The host must not change the C
 * locale: Lua's string comparison (<) uses strcoll. */
#ifndef HL_SANDBOX_H
#define HL_SANDBOX_H
#include <stddef.h>
#include <stdint.h>
#include "hl_status.h"

typedef struct hl_sandbox hl_sandbox;

/* 64 MiB: the Lua heap holds only what a script builds (the HNS objects and
 * the model live in C, outside the cap), so a scenario that needs more is
 * almost surely growing without end; a memory bomb reaches it in well under
 * a second. */
#define HL_DEFAULT_MEMORY_CAP ((size_t)64 << 20)

/* One billion VM instructions: a few seconds of a tight loop, far above what
 * a scenario of thousands of objects and events runs, yet a runaway loop
 * stops before a CI job notices. */
#define HL_DEFAULT_INSTRUCTION_BUDGET UINT64_C(1000000000)

/* Receives one line of print() output: its text without the newline (it may
 * contain NUL bytes; `len` is its length) and the caller's context. */
typedef void hl_print_fn(void *ctx, const char *text, size_t len);

typedef struct hl_config {
  size_t memory_cap;           /* bytes the Lua heap may hold, > 0 */
  uint64_t instruction_budget; /* VM instructions over the sandbox's life, > 0 */
  uint64_t seed;               /* seeds math.random */
  const char *module_dir;      /* require's folder (copied); NULL: require refuses every name */
  hl_print_fn *print;          /* print's destination; NULL: print output is dropped */
  void *print_ctx;             /* passed to `print` */
} hl_config;

/* The defaults: hl_config cfg = HL_CONFIG_DEFAULTS; */
#define HL_CONFIG_DEFAULTS {HL_DEFAULT_MEMORY_CAP, HL_DEFAULT_INSTRUCTION_BUDGET, 0, NULL, NULL, NULL}

/* Creates a sandbox from `cfg`, which need not outlive the call.
 *
 * On success *out is the handle. On failure *out is still a handle, unless
 * `out` is NULL or the handle itself could not be allocated (then *out is NULL
 * and the status HL_E_NOMEM): hl_sandbox_errmsg names the field and value
 * that were wrong (or the cap too small to hold the libraries, HL_E_MEMORY),
 * every other call on it returns HL_E_STATE, and it must be destroyed. */
int hl_sandbox_create(const hl_config *cfg, hl_sandbox **out);

/* Closes the Lua state and frees the handle. NULL is accepted. */
void hl_sandbox_destroy(hl_sandbox *sb);

/* Loads the Lua source file at `path` (chunk name "@path") and runs it in
 * the sandbox's global environment, which persists from one run to the next.
 * HL_OK, or: HL_E_IO (cannot open or read it), HL_E_SYNTAX (syntax error or
 * binary chunk), HL_E_RUNTIME, HL_E_BUDGET, HL_E_MEMORY, with the message in
 * hl_sandbox_errmsg. */
int hl_sandbox_run_file(hl_sandbox *sb, const char *path);

/* What was wrong with the most recent failed call on this handle, "no error"
 * if it succeeded. Never NULL; valid until the next call on the handle; at
 * most HL_ERRMSG_SIZE - 1 bytes (longer messages are cut). For a NULL handle:
 * a message saying there is none. */
const char *hl_sandbox_errmsg(const hl_sandbox *sb);

#define HL_ERRMSG_SIZE 8192

/* The Lua heap's size now and the most it has been, in bytes (never more than
 * the memory cap). */
int hl_sandbox_memory(const hl_sandbox *sb, size_t *out_used, size_t *out_peak);

#endif
