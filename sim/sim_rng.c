/* sim_rng.c: xoshiro256** streams keyed by (master seed, stream name).
 *
 * Seeding: the name is hashed with 64-bit FNV-1a, mixed with the seed through
 * the SplitMix64 finaliser, and SplitMix64 then fills the four state words
 * (the seeding Vigna recommends for xoshiro). Different names give unrelated
 * states; the same (seed, name) always gives the same one. */
#include "sim_rng.h"
#include <math.h>
#include "sim_math.h"
#include "sim_status.h"

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t fnv1a64(const char *s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001B3ull;
  }
  return h;
}

void sim_rng_init(sim_rng *rng, uint64_t seed, const char *name) {
  uint64_t x = seed;
  uint64_t mixed = splitmix64(&x) ^ fnv1a64(name ? name : "");
  for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&mixed);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sim_rng_u64(sim_rng *rng) {
  uint64_t *s = rng->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double sim_rng_uniform(sim_rng *rng) { return (double)(sim_rng_u64(rng) >> 11) * 0x1.0p-53; }

/* The high and low 64 bits of x * y, in portable C11 (32-bit halves). */
static uint64_t mul_hi(uint64_t x, uint64_t y, uint64_t *lo) {
  uint64_t a = x >> 32, b = x & 0xFFFFFFFFu, c = y >> 32, d = y & 0xFFFFFFFFu;
  uint64_t ad = a * d, bc = b * c, bd = b * d;
  uint64_t mid = (bd >> 32) + (ad & 0xFFFFFFFFu) + (bc & 0xFFFFFFFFu);
  *lo = x * y;
  return a * c + (ad >> 32) + (bc >> 32) + (mid >> 32);
}

/* Uniform in [0, bound) for bound >= 1, by Lemire's multiply-and-reject:
 * the high word of x * bound, redrawn in the rare case it would be biased. */
static uint64_t bounded(sim_rng *rng, uint64_t bound) {
  uint64_t lo, hi = mul_hi(sim_rng_u64(rng), bound, &lo);
  if (lo < bound) {
    uint64_t threshold = (0 - bound) % bound;
    while (lo < threshold) hi = mul_hi(sim_rng_u64(rng), bound, &lo);
  }
  return hi;
}

int sim_rng_range(sim_rng *rng, int64_t lo, int64_t hi, int64_t *out) {
  if (!rng || !out || lo > hi) return SIM_E_INVAL;
  uint64_t span = (uint64_t)hi - (uint64_t)lo; /* modular: exact for any lo <= hi */
  uint64_t r = span == UINT64_MAX ? sim_rng_u64(rng) : bounded(rng, span + 1);
  *out = (int64_t)((uint64_t)lo + r);
  return SIM_OK;
}

double sim_rng_exponential(sim_rng *rng, double mean) {
  /* 1 - u is in (0, 1], so the logarithm is finite. */
  return -mean * sim_ln(1.0 - sim_rng_uniform(rng));
}

size_t sim_rng_choice(sim_rng *rng, size_t n) { return n ? (size_t)bounded(rng, (uint64_t)n) : 0; }

int sim_rng_weighted_choice(sim_rng *rng, const double *weights, size_t n, size_t *out) {
  if (!rng || !weights || !out || n == 0) return SIM_E_INVAL;
  double total = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(weights[i]) || weights[i] < 0.0) return SIM_E_INVAL;
    total += weights[i];
  }
  if (!(total > 0.0) || !isfinite(total)) return SIM_E_INVAL;
  double target = sim_rng_uniform(rng) * total;
  size_t last = 0;
  for (size_t i = 0; i < n; i++) {
    if (weights[i] <= 0.0) continue;
    last = i;
    if (target < weights[i]) {
      *out = i;
      return SIM_OK;
    }
    target -= weights[i];
  }
  *out = last; /* rounding left a sliver past the last positive weight */
  return SIM_OK;
}
