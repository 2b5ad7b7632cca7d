/* rpt_status.h: the status codes every rpt_ function returns, and their names.
 * 0 is success; failures are negative so callers can test `rc < 0`. A db
 * handle also keeps a message naming what was wrong (rpt_db_errmsg). */
#ifndef RPT_STATUS_H
#define RPT_STATUS_H

enum rpt_status {
  RPT_OK = 0,
  RPT_E_INVAL = -1,    /* an argument is out of its range (NULL, empty name, seed > INT64_MAX, NaN) */
  RPT_E_NOMEM = -2,    /* an allocation failed */
  RPT_E_SQLITE = -3,   /* SQLite failed (I/O, corrupt file, not a database, ...) */
  RPT_E_SCHEMA = -4,   /* the file is not an hnsim database, or its schema is newer than this build */
  RPT_E_NOTFOUND = -5, /* no run with that id (or no run at all) */
  RPT_E_STATE = -6,    /* the run or handle is not in a state for this call (run not open for writing, ...) */
  RPT_E_BUSY = -7,     /* another connection held the database lock past the busy timeout */
  RPT_E_DIGEST = -8,   /* a run's rows no longer hash to its stored digest */
  RPT_E_IO = -9        /* writing a report to its FILE failed */
};

/* A short English description of a status code, never NULL. */
const char *rpt_strerror(int status);

#endif
