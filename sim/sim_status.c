/* sim_status.c: names for the engine's status codes. */
#include "sim_status.h"

const char *sim_strerror(int status) {
  switch (status) {
  case SIM_OK: return "success";
  case SIM_E_INVAL: return "invalid argument";
  case SIM_E_PAST: return "time is before the current simulated time";
  case SIM_E_NOMEM: return "out of memory";
  case SIM_E_NOTFOUND: return "no pending event with that id";
  case SIM_E_FULL: return "a fixed capacity is reached";
  case SIM_E_EXISTS: return "already exists";
  case SIM_E_BUSY: return "still in use";
  case SIM_E_SHORT: return "buffer too small";
  default: return "unknown status";
  }
}
