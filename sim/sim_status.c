/* sim_status.c: names for the engine's status codes. */
#include "sim_status.h"

const char *sim_strerror(int status) {
  switch (status) {
  case SIM_OK: return "success";
  case SIM_E_INVAL: return "invalid argument";
  case SIM_E_PAST: return "time is before the current simulated time";
  case SIM_E_NOMEM: return "out of memory";
  case SIM_E_NOTFOUND: return "no pending event with that id";
  case SIM_E_FULL: return "too many pending events";
  default: return "unknown status";
  }
}
