/* sim_math.c: a platform-independent natural logarithm.
 *
 * x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln(m) = 2 atanh(s) with
 * s = (m-1)/(m+1), |s| <= 0.1716, summed as an odd series in s whose 12th
 * term is below 2^-60 of the first. The exponent is split off by bit
 * manipulation (exact) and the rest is + - * / in a fixed order, so the result
 * is bit-identical wherever IEEE 754 double arithmetic is (the build sets
 * -ffp-contract=off so no compiler fuses a multiply-add). */
#include "sim_math.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ln(2) split so that e * LN2_HI is exact for any double exponent. */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10

double sim_ln(double x) {
  if (isnan(x) || x < 0.0) return NAN;
  if (x == 0.0) return -INFINITY;
  if (isinf(x)) return x;

  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int e = (int)((bits >> 52) & 0x7FF);
  if (e == 0) { /* subnormal: scale into the normal range first (exact) */
    x *= 0x1.0p54;
    memcpy(&bits, &x, sizeof bits);
    e = (int)((bits >> 52) & 0x7FF) - 54;
  }
  e -= 1022; /* x = m * 2^e with m in [0.5, 1) */
  bits = (bits & 0x800FFFFFFFFFFFFFull) | (1022ull << 52);
  double m;
  memcpy(&m, &bits, sizeof m);
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }
  double s = (m - 1.0) / (m + 1.0);
  /* p = sum over k = 0..11 of y^k / (2k+1), y = s^2, by Estrin's scheme:
   * pairs, then pairs of pairs, so the multiplies do not wait on each other. */
  double y = s * s, y2 = y * y, y4 = y2 * y2, y8 = y4 * y4;
  double q0 = 1.0 + y * (1.0 / 3), q1 = 1.0 / 5 + y * (1.0 / 7), q2 = 1.0 / 9 + y * (1.0 / 11);
  double q3 = 1.0 / 13 + y * (1.0 / 15), q4 = 1.0 / 17 + y * (1.0 / 19), q5 = 1.0 / 21 + y * (1.0 / 23);
  double p = (q0 + y2 * q1) + y4 * (q2 + y2 * q3) + y8 * (q4 + y2 * q5);
  double de = (double)e;
  return de * LN2_HI + (2.0 * s * p + de * LN2_LO);
}
