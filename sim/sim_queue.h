/* sim_queue.h: the pending-event set of one world.
 *
 * Events are ordered by (time, insertion sequence): two events at the same
 * time run in the order they were scheduled, whatever their addresses or the
 * platform. Each event carries a callback and an opaque argument and is named
 * (when its scheduler asks for one) by a sim_event_id; a stale id never
 * cancels a newer event that reuses its storage (ids repeat only after one
 * storage slot has been reused 2^32 times).
 *
 * Most programs use sim_world (sim_world.h), which owns a queue and the clock;
 * the queue is public so it can be tested and benchmarked on its own. */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H
#include <stddef.h>
#include <stdint.h>
#include "sim_time.h"

typedef struct sim_world sim_world;
typedef struct sim_queue sim_queue;

/* What an event runs. `arg` is the pointer given when it was scheduled. */
typedef void (*sim_event_fn)(sim_world *world, void *arg);

/* Names a scheduled event. 0 (SIM_EVENT_NONE) never names one. */
typedef uint64_t sim_event_id;
#define SIM_EVENT_NONE ((sim_event_id)0)

int sim_queue_create(sim_queue **out);
void sim_queue_destroy(sim_queue *q);

/* Adds an event at `time`, which may not be earlier than the last event
 * popped (SIM_E_PAST): time only moves forward. Only an event scheduled with a non-NULL `out_id`
 * can be cancelled later; leave it NULL for events that never will be, which
 * saves the bookkeeping. */
int sim_queue_push(sim_queue *q, sim_time time, sim_event_fn fn, void *arg, sim_event_id *out_id);

/* Removes a pending event; SIM_E_NOTFOUND if it already ran or was cancelled. */
int sim_queue_cancel(sim_queue *q, sim_event_id id);

/* The time of the earliest pending event; 0 (false) when none is pending. */
int sim_queue_peek(sim_queue *q, sim_time *out_time);

/* Removes the earliest pending event if its time is <= `limit` and hands back
 * its time, callback and argument. Returns 1 when it did, 0 when no event is
 * due by `limit`, or a negative status (the queue is then unchanged). */
int sim_queue_pop(sim_queue *q, sim_time limit, sim_time *out_time, sim_event_fn *out_fn, void **out_arg);

/* The number of pending (scheduled, not yet run, not cancelled) events. */
size_t sim_queue_size(const sim_queue *q);

#endif
