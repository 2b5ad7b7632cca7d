/* sim_math.h: floating-point functions whose results are the same on every
 * platform. libm's transcendental functions are not required to be correctly
 * rounded and differ between C libraries (glibc, mingw's msvcrt); anything
 * that feeds simulated time or a recorded result uses these instead. */
#ifndef SIM_MATH_H
#define SIM_MATH_H

/* Natural logarithm of x > 0, within 4 ulp of glibc's log (checked over 7
 * million inputs, the worst close to x = 1), computed with basic IEEE
 * operations only. Returns -inf for 0 and NaN for negative or NaN input. */
double sim_ln(double x);

#endif
