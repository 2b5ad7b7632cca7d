/* hl_sandbox.c: the sandbox's life: creating the Lua state with the capped
 * allocator and only the safe libraries, the instruction budget (a count
 * hook), running a file under a message handler, and turning every way a
 * run can fail into a status and a "file:line: message" text with a
 * traceback.
 *
 * Errors are written into C buffers, never onto the Lua heap, so that a run
 * that ended at the memory cap can still be reported. A limit (budget or
 * cap) is described when it is reached, because by the time the error
 * reaches the top the stack is gone. */
#include <inttypes.h>
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hl_sandbox_int.h"

hl_sandbox *hl__sandbox_of(lua_State *L) {
  void *sb;
  lua_getallocf(L, &sb);
  return sb;
}

static void set_errmsg(hl_sandbox *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_errmsg(hl_sandbox *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sb->errmsg, sizeof sb->errmsg, fmt, ap);
  va_end(ap);
}

static void count_hook(lua_State *L, lua_Debug *ar);

/* Hands the count hook the next stretch of the budget (lua_sethook takes an
 * int count, the budget is 64-bit). */
static void arm_budget_hook(hl_sandbox *sb) {
  int stretch = sb->budget_left < INT_MAX ? (int)sb->budget_left : INT_MAX;
  sb->budget_left -= (uint64_t)stretch;
  lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, stretch);
}

/* Records the limit and its description, and makes the hook fire on every
 * instruction from now on, so that nothing runs past it. */
static void enter_limit(hl_sandbox *sb, enum hl_limit limit) {
  lua_State *L = sb->L;
  char where[256];
  sb->limit = limit;
  sb->limit_traceback[0] = '\0';
  if (limit == HL_LIMIT_BUDGET) {
    hl__where(L, 0, where, sizeof where);
    hl__traceback(L, 0, sb->limit_traceback, sizeof sb->limit_traceback);
  } else {
    memcpy(where, sb->refused_where, sizeof where);
    memcpy(sb->limit_traceback, sb->refused_traceback, sizeof sb->limit_traceback);
  }
  /* No Lua function was running (a file too big to parse): the file is the place. */
  const char *place = where[0] ? where : sb->running_path ? sb->running_path : "?";
  if (limit == HL_LIMIT_BUDGET)
    snprintf(sb->limit_message, sizeof sb->limit_message, "%s: instruction budget of %" PRIu64 " instructions exhausted",
             place, sb->budget);
  else
    snprintf(sb->limit_message, sizeof sb->limit_message,
             "%s: memory cap of %zu bytes reached (an allocation of %zu more bytes was refused)", place,
             sb->memory_cap, sb->refused_bytes);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
}

int hl__limit_reached(lua_State *L, enum hl_limit limit) {
  hl_sandbox *sb = hl__sandbox_of(L);
  enter_limit(sb, limit);
  lua_pushstring(L, sb->limit_message);
  return lua_error(L);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  hl_sandbox *sb = hl__sandbox_of(L);
  if (sb->limit == HL_LIMIT_NONE) {
    if (sb->budget_left > 0) {
      arm_budget_hook(sb);
      return;
    }
    hl__limit_reached(L, HL_LIMIT_BUDGET);
  }
  lua_pushstring(L, sb->limit_message);
  lua_error(L);
}

/* The message handler of a run: the message and the traceback from where the
 * error was raised (level 1; level 0 is this handler). */
static int message_handler(lua_State *L) {
  hl_sandbox *sb = hl__sandbox_of(L);
  sb->errmsg[0] = '\0';
  if (lua_isstring(L, 1)) {
    hl__appendf(sb->errmsg, sizeof sb->errmsg, "%s\n", lua_tostring(L, 1));
  } else {
    char where[256];
    hl__where(L, 1, where, sizeof where);
    hl__appendf(sb->errmsg, sizeof sb->errmsg, "%s: (error object is a %s value)\n", where, luaL_typename(L, 1));
  }
  hl__traceback(L, 1, sb->errmsg, sizeof sb->errmsg);
  return 1;
}

/* Loads sb->running_path as text and runs it under the message handler.
 * Argument: where to write the Lua status; result: the error object (or
 * nothing). Itself run protected, so that an allocation failing before the
 * chunk starts cannot escape. */
static int load_and_run(lua_State *L) {
  int *status = lua_touserdata(L, 1);
  lua_pushcfunction(L, message_handler); /* 2 */
  *status = luaL_loadfilex(L, hl__sandbox_of(L)->running_path, "t");
  if (*status == LUA_OK) *status = lua_pcall(L, 0, 0, 2);
  return *status == LUA_OK ? 0 : 1;
}

/* The hl_status of a run that ended with Lua status `status` and, when it
 * failed, the error object on the top of the stack; writes the message. */
static int run_outcome(hl_sandbox *sb, int status) {
  lua_State *L = sb->L;
  if (status == LUA_OK) {
    set_errmsg(sb, "no error");
    return HL_OK;
  }
  if (sb->limit == HL_LIMIT_NONE && hl__is_memory_error(L, -1)) enter_limit(sb, HL_LIMIT_MEMORY);
  if (sb->limit != HL_LIMIT_NONE) {
    set_errmsg(sb, "%s\n%s", sb->limit_message, sb->limit_traceback);
    return sb->limit == HL_LIMIT_BUDGET ? HL_E_BUDGET : HL_E_MEMORY;
  }
  const char *path = sb->running_path ? sb->running_path : "?";
  switch (status) {
  case LUA_ERRFILE: set_errmsg(sb, "%s", lua_tostring(L, -1)); return HL_E_IO;
  case LUA_ERRSYNTAX: set_errmsg(sb, "%s", lua_tostring(L, -1)); return HL_E_SYNTAX;
  case LUA_ERRMEM: set_errmsg(sb, "%s: the host ran out of memory", path); return HL_E_NOMEM;
  default:
    /* The handler wrote the message, unless it failed itself ("error in error handling"). */
    if (sb->errmsg[0] == '\0')
      set_errmsg(sb, "%s: %s", path, lua_isstring(L, -1) ? lua_tostring(L, -1) : "error");
    return HL_E_RUNTIME;
  }
}

int hl__call(hl_sandbox *sb, int nargs) {
  lua_State *L = sb->L;
  int base = lua_gettop(L) - nargs; /* the function */
  sb->errmsg[0] = '\0';
  lua_pushcfunction(L, message_handler);
  lua_insert(L, base);
  int rc = run_outcome(sb, lua_pcall(L, nargs, 0, base));
  lua_settop(L, base - 1);
  return rc;
}

int hl_sandbox_run_file(hl_sandbox *sb, const char *path) {
  if (!sb) return HL_E_INVAL;
  if (!sb->L) return HL_E_STATE;
  if (!path) {
    set_errmsg(sb, "hl_sandbox_run_file: path is NULL");
    return HL_E_INVAL;
  }
  lua_State *L = sb->L;
  int status = LUA_OK;
  sb->errmsg[0] = '\0';
  sb->running_path = path;
  lua_pushcfunction(L, load_and_run);
  lua_pushlightuserdata(L, &status);
  int outer = lua_pcall(L, 1, 1, 0);
  int rc = run_outcome(sb, outer != LUA_OK ? outer : status);
  lua_settop(L, 0);
  sb->running_path = NULL;
  return rc;
}

/* Run protected: any of these may fail at a small memory cap. */
static int open_libraries(lua_State *L) {
  hl__open_base(L);
  hl__open_string(L);
  hl__open_math(L);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
  hl__open_sorted_pairs(L);
  hl__open_require(L);
  return 0;
}

/* Copies `dir` without trailing slashes, so that messages show "dir/name.lua". */
static int set_module_dir(hl_sandbox *sb, const char *dir) {
  struct stat st;
  if (!dir) return HL_OK;
  if (!*dir) {
    set_errmsg(sb, "hl_config.module_dir is empty: give the folder of the project's Lua modules, or NULL for none");
    return HL_E_INVAL;
  }
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    set_errmsg(sb, "hl_config.module_dir '%s' is not a folder", dir);
    return HL_E_INVAL;
  }
  size_t len = strlen(dir);
  while (len > 1 && dir[len - 1] == '/') len--;
  sb->module_dir = malloc(len + 1);
  if (!sb->module_dir) {
    set_errmsg(sb, "out of memory copying hl_config.module_dir");
    return HL_E_NOMEM;
  }
  memcpy(sb->module_dir, dir, len);
  sb->module_dir[len] = '\0';
  return HL_OK;
}

static int configure(hl_sandbox *sb, const hl_config *cfg) {
  if (!cfg) {
    set_errmsg(sb, "hl_sandbox_create: the configuration is NULL");
    return HL_E_INVAL;
  }
  if (cfg->memory_cap == 0) {
    set_errmsg(sb, "hl_config.memory_cap is 0: the Lua heap needs room (the default is %zu bytes)",
               HL_DEFAULT_MEMORY_CAP);
    return HL_E_INVAL;
  }
  if (cfg->instruction_budget == 0) {
    set_errmsg(sb, "hl_config.instruction_budget is 0: nothing could run (the default is %" PRIu64 " instructions)",
               HL_DEFAULT_INSTRUCTION_BUDGET);
    return HL_E_INVAL;
  }
  sb->memory_cap = cfg->memory_cap;
  sb->budget = sb->budget_left = cfg->instruction_budget;
  hl__rng_seed(&sb->rng, cfg->seed);
  sb->print = cfg->print;
  sb->print_ctx = cfg->print_ctx;
  return set_module_dir(sb, cfg->module_dir);
}

/* The status and message of a creation that ran out of memory. */
static int creation_out_of_memory(hl_sandbox *sb, const char *what) {
  if (sb->refusals == 0) {
    set_errmsg(sb, "out of memory creating the %s", what);
    return HL_E_NOMEM;
  }
  set_errmsg(sb, "hl_config.memory_cap of %zu bytes is too small for the %s", sb->memory_cap, what);
  return HL_E_MEMORY;
}

int hl_sandbox_create(const hl_config *cfg, hl_sandbox **out) {
  if (!out) return HL_E_INVAL;
  hl_sandbox *sb = *out = calloc(1, sizeof *sb);
  if (!sb) return HL_E_NOMEM;
  int rc = configure(sb, cfg);
  if (rc != HL_OK) return rc;
  sb->L = lua_newstate(hl__alloc, sb);
  if (!sb->L) return creation_out_of_memory(sb, "Lua state");
  lua_pushcfunction(sb->L, open_libraries);
  if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
    lua_close(sb->L);
    sb->L = NULL;
    return creation_out_of_memory(sb, "sandbox's libraries");
  }
  arm_budget_hook(sb);
  set_errmsg(sb, "no error");
  return HL_OK;
}

void hl_sandbox_destroy(hl_sandbox *sb) {
  if (!sb) return;
  if (sb->L) lua_close(sb->L);
  free(sb->module_dir);
  free(sb);
}

const char *hl_sandbox_errmsg(const hl_sandbox *sb) {
  return sb ? sb->errmsg : "no sandbox (the handle is NULL)";
}

int hl_sandbox_memory(const hl_sandbox *sb, size_t *out_used, size_t *out_peak) {
  if (!sb) return HL_E_INVAL;
  if (!sb->L) return HL_E_STATE;
  if (out_used) *out_used = sb->memory_used;
  if (out_peak) *out_peak = sb->memory_peak;
  return HL_OK;
}
