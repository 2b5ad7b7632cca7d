/* hl_status.c: names for the Lua host's status codes. */
#include "hl_status.h"

const char *hl_strerror(int status) {
  switch (status) {
  case HL_OK: return "success";
  case HL_E_INVAL: return "invalid argument";
  case HL_E_NOMEM: return "out of memory";
  case HL_E_STATE: return "the sandbox could not be created";
  case HL_E_IO: return "cannot read the file";
  case HL_E_SYNTAX: return "not Lua source text";
  case HL_E_RUNTIME: return "script error";
  case HL_E_BUDGET: return "instruction budget exhausted";
  case HL_E_MEMORY: return "memory cap reached";
  case HL_E_DB: return "the results database failed";
  default: return "unknown status";
  }
}
