/* rpt_status.c: names for the results layer's status codes. */
#include "rpt_status.h"

const char *rpt_strerror(int status) {
  switch (status) {
  case RPT_OK: return "success";
  case RPT_E_INVAL: return "invalid argument";
  case RPT_E_NOMEM: return "out of memory";
  case RPT_E_SQLITE: return "database error";
  case RPT_E_SCHEMA: return "unsupported database schema";
  case RPT_E_NOTFOUND: return "no such run";
  case RPT_E_STATE: return "not allowed in the current state";
  case RPT_E_BUSY: return "database is locked";
  case RPT_E_DIGEST: return "digest mismatch";
  case RPT_E_IO: return "write error";
  default: return "unknown status";
  }
}
