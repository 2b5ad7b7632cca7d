/* hl_status.h: the status codes every hl_ function returns, and their names.
 * 0 is success; failures are negative so callers can test `rc < 0`. A
 * sandbox handle also keeps a message naming what was wrong
 * (hl_sandbox_errmsg). */
#ifndef HL_STATUS_H
#define HL_STATUS_H

enum hl_status {
  HL_OK = 0,
  HL_E_INVAL = -1,   /* an argument is out of its range (NULL, a zero cap or budget, no such folder) */
  HL_E_NOMEM = -2,   /* the host's own allocator failed (not the sandbox's cap) */
  HL_E_STATE = -3,   /* the handle failed to be created and can only be destroyed */
  HL_E_IO = -4,      /* the scenario file cannot be opened or read */
  HL_E_SYNTAX = -5,  /* the file is not Lua source text (a syntax error, or a binary chunk) */
  HL_E_RUNTIME = -6, /* the script raised an error */
  HL_E_BUDGET = -7,  /* the instruction budget is exhausted */
  HL_E_MEMORY = -8,  /* an allocation would have taken the Lua heap past the memory cap */
  HL_E_DB = -9       /* the results database refused a write (hl_scenario.h) */
};

/* A short English description of a status code, never NULL. */
const char *hl_strerror(int status);

#endif
