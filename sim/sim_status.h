/* sim_status.h: the status codes every sim_ function returns, and their names.
 * 0 is success; failures are negative so callers can test `rc < 0`. */
#ifndef SIM_STATUS_H
#define SIM_STATUS_H

enum sim_status {
  SIM_OK = 0,
  SIM_E_INVAL = -1,    /* an argument is out of its range (NULL, negative delay, ...) */
  SIM_E_PAST = -2,     /* an event was scheduled before the current simulated time */
  SIM_E_NOMEM = -3,    /* an allocation failed; the object is unchanged */
  SIM_E_NOTFOUND = -4, /* no pending event has that id (never scheduled, ran, or cancelled) */
  SIM_E_FULL = -5,     /* a fixed capacity (pending events) is reached */
  SIM_E_SHORT = -6,    /* the caller's buffer is too small for the result */
  SIM_E_EXISTS = -7,   /* a name, key or address is already present */
  SIM_E_BUSY = -8      /* the object is still in use (a network with endpoints, ...) */
};

/* A short English description of a status code, never NULL. */
const char *sim_strerror(int status);

#endif
