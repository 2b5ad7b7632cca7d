/* sim_world.h: the world, the root of one simulation.
 *
 * A world owns the simulated clock, the pending events and the master seed
 * that random streams derive from. There is no global state: two worlds in one
 * process are independent. Time only moves forward, to the time of the event
 * being run; scheduling before the current time is refused. */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H
#include <stddef.h>
#include <stdint.h>
#include "sim_queue.h"
#include "sim_rng.h"
#include "sim_status.h"
#include "sim_time.h"

int sim_world_create(uint64_t seed, sim_world **out);
void sim_world_destroy(sim_world *w);

sim_time sim_now(const sim_world *w);
uint64_t sim_world_seed(const sim_world *w);

/* The stream `name` of this world's seed (see sim_rng.h). */
void sim_world_stream(const sim_world *w, const char *name, sim_rng *out);

/* Schedules fn(world, arg) at absolute time `when` (SIM_E_PAST if when < now)
 * or `delay` after now (SIM_E_INVAL if delay < 0). `out_id` may be NULL. */
int sim_schedule_at(sim_world *w, sim_time when, sim_event_fn fn, void *arg, sim_event_id *out_id);
int sim_schedule_in(sim_world *w, sim_time delay, sim_event_fn fn, void *arg, sim_event_id *out_id);

int sim_cancel(sim_world *w, sim_event_id id);

/* Runs the earliest pending event. `*out_ran` is 1 if one ran, 0 if none was pending. */
int sim_step(sim_world *w, int *out_ran);

/* Runs every event with time <= limit, in order, then sets the clock to
 * `limit` (unless stopped early). `out_count` (may be NULL) receives how many ran. */
int sim_run_until(sim_world *w, sim_time limit, uint64_t *out_count);

/* Runs until no event is pending or sim_stop is called. */
int sim_run(sim_world *w, uint64_t *out_count);

/* Makes the current sim_run / sim_run_until return after the running event. */
void sim_stop(sim_world *w);

size_t sim_pending(const sim_world *w);
uint64_t sim_events_run(const sim_world *w);

#endif
