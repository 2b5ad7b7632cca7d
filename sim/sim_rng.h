/* sim_rng.h: named random streams.
 *
 * A stream's state is derived from the run's master seed and the stream's
 * name only, so adding a stream never shifts the numbers another stream
 * produces (the way ns-3 separates runs and streams). The generator is
 * xoshiro256** (Blackman and Vigna); the helpers use only integer arithmetic
 * and correctly rounded IEEE operations, so every platform draws the same
 * values. A stream is a small value type the caller owns. */
#ifndef SIM_RNG_H
#define SIM_RNG_H
#include <stddef.h>
#include <stdint.h>

typedef struct sim_rng {
  uint64_t s[4];
} sim_rng;

/* Initialises `rng` for stream `name` (a NUL-terminated string) under `seed`. */
void sim_rng_init(sim_rng *rng, uint64_t seed, const char *name);

/* The next 64 uniformly distributed bits. */
uint64_t sim_rng_u64(sim_rng *rng);

/* A uniform double in [0, 1), with 53 random bits. */
double sim_rng_uniform(sim_rng *rng);

/* A uniform integer in [lo, hi], without modulo bias.
 * SIM_E_INVAL when lo > hi; `*out` is then unchanged. */
int sim_rng_range(sim_rng *rng, int64_t lo, int64_t hi, int64_t *out);

/* An exponentially distributed value with the given mean (mean > 0). */
double sim_rng_exponential(sim_rng *rng, double mean);

/* A uniform index in [0, n), n > 0. */
size_t sim_rng_choice(sim_rng *rng, size_t n);

/* An index in [0, n) drawn with probability weights[i] / sum(weights).
 * SIM_E_INVAL when n is 0, a weight is negative or not finite, or all are 0. */
int sim_rng_weighted_choice(sim_rng *rng, const double *weights, size_t n, size_t *out);

#endif
