/* sim_queue_int.h: hooks into the event queue for its own tests only. */
#ifndef SIM_QUEUE_INT_H
#define SIM_QUEUE_INT_H
#include "sim_queue.h"

/* Sets the next insertion sequence number, so a test can reach the point
 * where the 32-bit sequence wraps and the queue renumbers its entries. */
void sim__queue_set_next_seq(sim_queue *q, uint32_t next);

#endif
