/* phold_model.c: PHOLD's random draws and bookkeeping (see phold_model.h). */
#include "phold_model.h"
#include <math.h>
#include <stdlib.h>

int phold_run_init(phold_run *r, uint64_t seed, size_t population) {
  r->nlp = population / PHOLD_EVENTS_PER_LP;
  if (r->nlp == 0) return -1;
  r->count = calloc(r->nlp, sizeof(uint64_t));
  if (!r->count) return -1;
  sim_rng_init(&r->rng, seed, "phold");
  return 0;
}

void phold_run_free(phold_run *r) { free(r->count); }

sim_time phold_initial_delay(phold_run *r) {
  return (sim_time)llround(sim_rng_exponential(&r->rng, PHOLD_MEAN_NS));
}

void phold_next(phold_run *r, size_t *dest, sim_time *delay) {
  *dest = sim_rng_choice(&r->rng, r->nlp);
  *delay = PHOLD_LOOKAHEAD_NS + (sim_time)llround(sim_rng_exponential(&r->rng, PHOLD_MEAN_NS));
}

uint64_t phold_check(const phold_run *r) {
  uint64_t sum = 0;
  for (size_t i = 0; i < r->nlp; i++) sum += r->count[i] * (uint64_t)(i + 1);
  return sum;
}
