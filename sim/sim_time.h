/* sim_time.h: simulated time. An integer count of nanoseconds since the start
 * of the run, so arithmetic is exact and the same on every platform. */
#ifndef SIM_TIME_H
#define SIM_TIME_H
#include <stdint.h>

typedef int64_t sim_time;

#define SIM_NS(x) ((sim_time)(x))
#define SIM_US(x) ((sim_time)(x) * 1000)
#define SIM_MS(x) ((sim_time)(x) * 1000000)
#define SIM_S(x) ((sim_time)(x) * 1000000000)
#define SIM_TIME_MAX INT64_MAX

#endif
