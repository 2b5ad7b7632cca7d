/* binary_heap_phold.h: PHOLD on a plain binary heap, the baseline the engine
 * must match or beat. No callbacks, no cancellation: the least a queue can do. */
#ifndef BINARY_HEAP_PHOLD_H
#define BINARY_HEAP_PHOLD_H
#include <stdint.h>
#include "phold_model.h"

/* Seeds the initial events, runs `warmup` events untimed, then `events` timed.
 * Fills *seconds, *end_time; returns 0 or -1 when out of memory. */
int binary_heap_phold(phold_run *r, uint64_t warmup, uint64_t events, double *seconds, sim_time *end_time);

#endif
