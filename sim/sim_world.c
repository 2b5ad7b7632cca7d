/* sim_world.c: the simulated clock and the run loop over one event queue.
 * The clock moves only to the time of the event being run (or to the limit of
 * sim_run_until), never backwards. */
#include "sim_world.h"
#include <stdlib.h>

struct sim_world {
  sim_time now;
  uint64_t seed;
  sim_queue *queue;
  uint64_t events_run;
  int stopping;
};

int sim_world_create(uint64_t seed, sim_world **out) {
  if (!out) return SIM_E_INVAL;
  *out = NULL;
  sim_world *w = calloc(1, sizeof(*w));
  if (!w) return SIM_E_NOMEM;
  int rc = sim_queue_create(&w->queue);
  if (rc) {
    free(w);
    return rc;
  }
  w->seed = seed;
  *out = w;
  return SIM_OK;
}

void sim_world_destroy(sim_world *w) {
  if (!w) return;
  sim_queue_destroy(w->queue);
  free(w);
}

sim_time sim_now(const sim_world *w) { return w->now; }
uint64_t sim_world_seed(const sim_world *w) { return w->seed; }
size_t sim_pending(const sim_world *w) { return sim_queue_size(w->queue); }
uint64_t sim_events_run(const sim_world *w) { return w->events_run; }

void sim_world_stream(const sim_world *w, const char *name, sim_rng *out) {
  sim_rng_init(out, w->seed, name);
}

int sim_schedule_at(sim_world *w, sim_time when, sim_event_fn fn, void *arg, sim_event_id *out_id) {
  if (!w || !fn) return SIM_E_INVAL;
  if (when < w->now) return SIM_E_PAST;
  return sim_queue_push(w->queue, when, fn, arg, out_id);
}

int sim_schedule_in(sim_world *w, sim_time delay, sim_event_fn fn, void *arg, sim_event_id *out_id) {
  if (!w || delay < 0 || delay > SIM_TIME_MAX - w->now) return SIM_E_INVAL;
  return sim_schedule_at(w, w->now + delay, fn, arg, out_id);
}

int sim_cancel(sim_world *w, sim_event_id id) {
  if (!w) return SIM_E_INVAL;
  return sim_queue_cancel(w->queue, id);
}

/* Pops and runs one event due at or before `limit`: 1 if one ran, 0 if none
 * was due, or a negative status. */
static inline int run_one(sim_world *w, sim_time limit) {
  sim_time t = 0;
  sim_event_fn fn = NULL;
  void *arg = NULL;
  int rc = sim_queue_pop(w->queue, limit, &t, &fn, &arg);
  if (rc <= 0) return rc;
  w->now = t;
  w->events_run++;
  fn(w, arg);
  return 1;
}

int sim_step(sim_world *w, int *out_ran) {
  if (!w) return SIM_E_INVAL;
  int rc = run_one(w, SIM_TIME_MAX);
  if (rc < 0) return rc;
  if (out_ran) *out_ran = rc;
  return SIM_OK;
}

/* Runs due events until none is left by `limit` or sim_stop is called. */
static int run_loop(sim_world *w, sim_time limit, uint64_t *out_count) {
  uint64_t count = 0;
  int rc = 0;
  w->stopping = 0;
  while (!w->stopping && (rc = run_one(w, limit)) > 0) count++;
  if (out_count) *out_count = count;
  return rc < 0 ? rc : SIM_OK;
}

int sim_run_until(sim_world *w, sim_time limit, uint64_t *out_count) {
  if (!w) return SIM_E_INVAL;
  if (limit < w->now) return SIM_E_PAST;
  int rc = run_loop(w, limit, out_count);
  if (!rc && !w->stopping) w->now = limit;
  return rc;
}

int sim_run(sim_world *w, uint64_t *out_count) {
  if (!w) return SIM_E_INVAL;
  return run_loop(w, SIM_TIME_MAX, out_count);
}

void sim_stop(sim_world *w) {
  if (w) w->stopping = 1;
}
