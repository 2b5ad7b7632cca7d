/* hl_sandbox_int.h: the sandbox handle's layout and the functions the hl_
 * files share. Only lua/ includes it.
 *
 * Invariants: memory_used <= memory_cap at every moment (hl_alloc.c refuses
 * the allocation that would break it); once `limit` is set it never goes
 * back to HL_LIMIT_NONE, and the count hook then fires on every instruction
 * and raises limit_message, so no Lua code runs past a limit. */
#ifndef HL_SANDBOX_INT_H
#define HL_SANDBOX_INT_H
#include <lua.h>
#include <stddef.h>
#include <stdint.h>
#include "hl_sandbox.h"

/* Size of a traceback kept in a C buffer (Lua's 21 levels fit). */
#define HL_TRACEBACK_SIZE 4096

enum hl_limit { HL_LIMIT_NONE, HL_LIMIT_BUDGET, HL_LIMIT_MEMORY };

/* The state of math.random: xoshiro256**. */
typedef struct hl_rng {
  uint64_t s[4];
} hl_rng;

struct hl_sandbox {
  lua_State *L; /* NULL when creation failed */
  size_t memory_cap;
  size_t memory_used;
  size_t memory_peak;
  uint64_t budget;      /* the configured instruction budget */
  uint64_t budget_left; /* instructions not yet handed to the count hook */
  hl_rng rng;
  char *module_dir; /* NULL: require refuses every name */
  hl_print_fn *print;
  void *print_ctx;
  const char *running_path; /* the file hl_sandbox_run_file is loading or running */
  enum hl_limit limit;
  char limit_message[512];                 /* "file:line: ... budget/cap ...", raised after a limit */
  char limit_traceback[HL_TRACEBACK_SIZE]; /* the stack when the limit was reached */
  /* The most recent refused allocation, described when it happened, because a
   * memory error unwinds the stack without calling any message handler. */
  unsigned long refusals;
  size_t refused_bytes;
  char refused_where[256];
  char refused_traceback[HL_TRACEBACK_SIZE];
  char errmsg[HL_ERRMSG_SIZE];
};

/* The sandbox that owns `L` (its allocator's user data). */
hl_sandbox *hl__sandbox_of(lua_State *L);

/* hl_alloc.c: the lua_Alloc that enforces the cap. `ud` is the sandbox. */
void *hl__alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* hl_alloc.c: whether the error object at `idx` is a refused allocation:
 * Lua reports every allocation failure as "not enough memory" (as a memory
 * error, or as an ordinary error from lauxlib's buffers), so that text after
 * at least one refusal is taken for one (a script raising that very text with
 * error(msg, 0) near the cap would be taken for one too). */
int hl__is_memory_error(lua_State *L, int idx);

/* hl_sandbox.c: calls the function below the `nargs` arguments on the top
 * of the stack as hl_sandbox_run_file runs a file: under the same message
 * handler, limits and outcome (HL_OK, or a status with "file:line: message"
 * and the traceback in hl_sandbox_errmsg). Pops the function and its
 * arguments; results are dropped. The scenario runtime calls the callbacks
 * it schedules (at, after, every) with it, from C, outside any chunk. */
int hl__call(hl_sandbox *sb, int nargs);

/* hl_sandbox.c: makes the limit permanent and raises its message. */
int hl__limit_reached(lua_State *L, enum hl_limit limit);

/* hl_trace.c: text built in C buffers, never on the Lua heap, so that it
 * can be written while the heap is at its cap. Appends to the NUL-terminated
 * text in `buf`, cutting it at `size` - 1 bytes. */
void hl__appendf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Writes "source:line" of the innermost Lua function at `level` or above
 * into `buf`; "" when no Lua function is running. */
void hl__where(lua_State *L, int level, char *buf, size_t size);
/* Appends "stack traceback:" and a line per level from `level` outwards. */
void hl__traceback(lua_State *L, int level, char *buf, size_t size);

/* hl_base.c: sets the safe base functions in the global table. */
void hl__open_base(lua_State *L);
/* hl_base.c: pushes the sandbox's text for the value at `idx` (tostring's
 * rule in hl_sandbox.h: never an address) and returns it. */
const char *hl__tostring(lua_State *L, int idx, size_t *len);

/* hl_random.c: fills the generator's state from `seed`. */
void hl__rng_seed(hl_rng *rng, uint64_t seed);

/* hl_string.c, hl_random.c, hl_sorted.c, hl_require.c: each library's
 * sandboxed form, set in the global table. */
void hl__open_string(lua_State *L);
void hl__open_math(lua_State *L);
void hl__open_sorted_pairs(lua_State *L);
void hl__open_require(lua_State *L);

#endif
