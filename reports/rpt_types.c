/* rpt_types.c: names of run states and log levels. The level and state names
 * are the strings stored in the database (except "incomplete", which only the
 * run_summary view produces), so they must not change without a migration. */
#include "rpt_types.h"
#include <string.h>
#include "rpt_status.h"

static const char *const state_names[] = {"incomplete", "passed", "failed", "error"};
static const char *const level_names[] = {"debug", "info", "warn", "error"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *rpt_run_state_name(int state) {
  return state >= 0 && state < COUNT(state_names) ? state_names[state] : NULL;
}

const char *rpt_log_level_name(int level) {
  return level >= 0 && level < COUNT(level_names) ? level_names[level] : NULL;
}

static int parse(const char *const *names, int n, const char *name, int *out) {
  if (!name || !out) return RPT_E_INVAL;
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) {
      *out = i;
      return RPT_OK;
    }
  return RPT_E_INVAL;
}

int rpt_run_state_parse(const char *name, int *out) {
  return parse(state_names, COUNT(state_names), name, out);
}

int rpt_log_level_parse(const char *name, int *out) {
  return parse(level_names, COUNT(level_names), name, out);
}
