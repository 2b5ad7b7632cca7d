/* builtin_scenarios.h: scenarios compiled into hnsim, named "builtin:NAME".
 * They exercise the engine and the results database end to end and need no
 * scenario file. */
#ifndef BUILTIN_SCENARIOS_H
#define BUILTIN_SCENARIOS_H
#include "run_recorder.h"

typedef struct builtin_scenario {
  const char *name; /* without the "builtin:" prefix */
  const char *summary;
  /* Runs the scenario in rec->world, recording into rec; 0 or an error status. */
  int (*run)(run_recorder *rec);
} builtin_scenario;

extern const builtin_scenario builtin_smoke;

/* The scenario called `name` (without prefix), or NULL. */
const builtin_scenario *builtin_find(const char *name);

/* The built-in scenarios in name order, NULL-terminated. */
extern const builtin_scenario *const builtin_all[];

#endif
