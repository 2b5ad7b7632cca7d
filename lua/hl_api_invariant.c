/* hl_api_invariant.c: expect.invariant([name]): the invariants of
 * hnsmock/hns_check.h (docs/invariants.md) over the run's Windows hosts as
 * their HNS holds them now, recorded as one expectation row whose detail
 * lists every violation. Checks that compare hosts (remote endpoints) see
 * every Windows host of the run. */
#include <stdio.h>
#include <stdlib.h>
#include "hns_check.h"
#include <lauxlib.h>
#include "hl_scenario_int.h"

/* The report as text (malloc'd): the tally, then one line per violation. */
static char *report_text(const hns_check_report *r, size_t nhosts) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return NULL;
  fprintf(f, "%zu violations of %zu checks over %zu hosts", r->count, r->checks_run, nhosts);
  for (size_t i = 0; i < r->count; i++) {
    const hns_check_violation *v = &r->violations[i];
    fprintf(f, "\n%s %s %s: %s: %s", v->host, v->kind, v->id, v->check, v->message);
  }
  if (fclose(f)) {
    free(text);
    return NULL;
  }
  return text;
}

int hl__expect_invariant(lua_State *L) {
  hl_rt *rt = hl__api(L, "expect.invariant");
  const char *name = luaL_optstring(L, 1, NULL);
  if (name && !hns_check_find(name)) return hl__error(L, "expect.invariant: no check '%s' (docs/invariants.md)", name);
  /* No Lua call may raise from here until the report is freed. */
  hns_check_host *hosts = calloc(rt->nhosts + 1, sizeof *hosts);
  if (!hosts) return hl__error(L, "expect.invariant: out of memory");
  size_t n = 0;
  for (size_t i = 0; i < rt->nhosts; i++)
    if (rt->hosts[i].backend && hns_backend_service(rt->hosts[i].backend))
      hosts[n++] = (hns_check_host){rt->hosts[i].name, hns_backend_service(rt->hosts[i].backend), NULL};
  hns_check_report r;
  hns_hr hr = hns_check_run(hosts, n, name, &r);
  free(hosts);
  if (HNS_FAILED(hr)) {
    char why[sizeof r.error];
    snprintf(why, sizeof why, "%s", r.error);
    hns_check_report_free(&r);
    return hl__error(L, "expect.invariant: the hosts' HNS state cannot be checked: %s (0x%08X)", why, (unsigned)hr);
  }
  int passed = r.count == 0;
  char *text = report_text(&r, n);
  hns_check_report_free(&r);
  if (!text) return hl__error(L, "expect.invariant: out of memory");
  hl__push_owned(L, text);
  const char *row = hl__pushf(L, "invariant %s", name ? name : "(every check)");
  lua_pushboolean(L, hl__expect_row(rt, L, row, passed, lua_tostring(L, -2)));
  return 1;
}
