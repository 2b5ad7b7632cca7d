/* phold_model.h: the PHOLD workload shared by every queue the benchmark runs.
 *
 * PHOLD (Fujimoto): N logical processes, 10 initial events each at
 * round(Exp(MEAN)); an event at process i schedules one new event at a
 * uniformly chosen process, LOOKAHEAD + round(Exp(MEAN)) later. All draws come
 * from one sim_rng stream "phold" in a fixed order (per initial event: the
 * delay; per event: the destination, then the delay), so every implementation
 * processes the same events and must end with the same check value. */
#ifndef PHOLD_MODEL_H
#define PHOLD_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include "sim_rng.h"
#include "sim_time.h"

#define PHOLD_EVENTS_PER_LP 10
#define PHOLD_MEAN_NS 1000000.0
#define PHOLD_LOOKAHEAD_NS 100000

typedef struct phold_run {
  sim_rng rng;
  size_t nlp;
  uint64_t *count; /* events processed per process */
} phold_run;

int phold_run_init(phold_run *r, uint64_t seed, size_t population);
void phold_run_free(phold_run *r);

/* The delay of an initial event. */
sim_time phold_initial_delay(phold_run *r);
/* Draws the destination and delay of the event that one processed event sends. */
void phold_next(phold_run *r, size_t *dest, sim_time *delay);

/* sum over processes of count[i] * (i + 1), modulo 2^64. */
uint64_t phold_check(const phold_run *r);

#endif
