/* builtin_scenarios.c: the table of scenarios compiled into hnsim. */
#include "builtin_scenarios.h"
#include <string.h>

const builtin_scenario *const builtin_all[] = {&builtin_smoke, NULL};

const builtin_scenario *builtin_find(const char *name) {
  for (int k = 0; builtin_all[k]; k++)
    if (!strcmp(builtin_all[k]->name, name)) return builtin_all[k];
  return NULL;
}
