/* sim_queue.c: the pending-event set, a radix heap over simulated time.
 *
 * Why this shape: simulated time never goes backwards (an event may not be
 * scheduled before the last one taken out), which is the condition for a
 * radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990). Bucket 0 holds the
 * events at exactly `last`, the time of the last event taken out; bucket k
 * (1..64) holds those whose time first differs from `last` in bit k-1,
 * counting from the least significant. Adding an event is an append; taking
 * one out either reads bucket 0 or, when it is empty, scans the lowest
 * non-empty bucket for its earliest time, makes that the new `last` and
 * redistributes the bucket into strictly lower ones. Every step is a
 * sequential pass over a contiguous array, so large populations cost cache
 * bandwidth rather than one miss per tree level as in a binary heap.
 *
 * Ties: events at the same time run in insertion order. Entries reach
 * bucket 0 either by redistribution (then they are sorted by sequence) or by
 * being added at time `last` (then their sequence is the newest), so bucket 0
 * is always in sequence order and is consumed from its head.
 *
 * Cancellation is paid for only by events that may be cancelled: an event
 * added with an out-id gets a slot (a generation and a state) that makes its
 * sim_event_id distinct from every earlier user of the slot; other events
 * carry NO_SLOT. Cancelling marks the slot; a cancelled entry is dropped when
 * it is met, and every bucket is swept once cancelled entries outnumber live
 * ones, so cancel-heavy use cannot grow memory unbounded.
 *
 * Invariants: every entry in bucket k>0 has time > last and highest differing
 * bit k-1; bucket 0 entries have time == last and ascending seq from `head0`;
 * `occupied` has bit k set iff bucket k is non-empty, and bucket k's `min` is
 * the earliest time in it (counting cancelled entries); `cancelled` counts
 * entries whose slot is CANCELLED; (time, seq) pairs are unique. When the
 * 32-bit sequence is about to wrap, all entries are renumbered 0..n-1 in
 * (time, seq) order, which keeps their relative order. */
#include "sim_queue.h"
#include <stdlib.h>
#include <string.h>
#include "sim_queue_int.h"
#include "sim_status.h"

typedef struct {
  sim_time time;
  uint32_t seq;
  uint32_t slot;
  sim_event_fn fn;
  void *arg;
} entry;

typedef struct {
  entry *e;
  size_t n, cap;
  sim_time min; /* earliest time in e[0..n), SIM_TIME_MAX when empty */
} bucket;

enum { SLOT_FREE, SLOT_PENDING, SLOT_CANCELLED };

typedef struct {
  uint32_t gen;
  uint32_t state;
} slot_rec;

#define NBUCKETS 65
#define NO_SLOT 0xFFFFFFFFu
#define MAX_SLOTS 0xFFFFFFFEu

struct sim_queue {
  bucket b[NBUCKETS];
  size_t head0;       /* next entry of bucket 0 to hand out */
  uint64_t occupied;  /* bit k: bucket k (1..64) non-empty; bucket 0 tracked by head0 */
  sim_time last;      /* time of the last event taken out (0 before any) */
  size_t n;           /* entries held, cancelled ones included */
  size_t cancelled;
  slot_rec *slots;
  uint32_t *free_slots; /* stack of reusable slot numbers */
  uint32_t nslots, slot_cap, nfree;
  uint32_t next_seq;
};

static inline int before(const entry *a, const entry *b) {
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline unsigned bucket_of(sim_time last, sim_time t) {
  uint64_t x = (uint64_t)last ^ (uint64_t)t;
  return x ? 64u - (unsigned)__builtin_clzll(x) : 0u;
}

static int reserve(bucket *b, size_t need) {
  if (need <= b->cap) return SIM_OK;
  size_t cap = b->cap ? b->cap : 16;
  while (cap < need) cap *= 2;
  entry *e = realloc(b->e, cap * sizeof(entry));
  if (!e) return SIM_E_NOMEM;
  b->e = e;
  b->cap = cap;
  return SIM_OK;
}

int sim_queue_create(sim_queue **out) {
  if (!out) return SIM_E_INVAL;
  sim_queue *q = calloc(1, sizeof(sim_queue));
  if (!q) return SIM_E_NOMEM;
  for (int k = 0; k < NBUCKETS; k++) q->b[k].min = SIM_TIME_MAX;
  *out = q;
  return SIM_OK;
}

void sim_queue_destroy(sim_queue *q) {
  if (!q) return;
  for (int k = 0; k < NBUCKETS; k++) free(q->b[k].e);
  free(q->slots);
  free(q->free_slots);
  free(q);
}

static int grow_slots(sim_queue *q) {
  if (q->slot_cap >= MAX_SLOTS) return SIM_E_FULL;
  uint32_t cap = q->slot_cap ? (q->slot_cap > MAX_SLOTS / 2 ? MAX_SLOTS : q->slot_cap * 2) : 1024;
  slot_rec *slots = realloc(q->slots, (size_t)cap * sizeof(slot_rec));
  if (!slots) return SIM_E_NOMEM;
  q->slots = slots;
  uint32_t *free_slots = realloc(q->free_slots, (size_t)cap * sizeof(uint32_t));
  if (!free_slots) return SIM_E_NOMEM;
  q->free_slots = free_slots;
  q->slot_cap = cap;
  return SIM_OK;
}

/* Takes a slot for an event that may be cancelled and names it in *out_id. */
static int track(sim_queue *q, uint32_t *out_slot, sim_event_id *out_id) {
  if (q->nfree == 0 && q->nslots == q->slot_cap) {
    int rc = grow_slots(q);
    if (rc) return rc;
  }
  uint32_t slot = q->nfree ? q->free_slots[--q->nfree] : q->nslots++;
  slot_rec *s = &q->slots[slot];
  s->gen = s->gen == UINT32_MAX ? 1 : s->gen + 1;
  s->state = SLOT_PENDING;
  *out_slot = slot;
  *out_id = ((sim_event_id)s->gen << 32) | slot;
  return SIM_OK;
}

static void release_slot(sim_queue *q, uint32_t slot) {
  q->slots[slot].state = SLOT_FREE;
  q->free_slots[q->nfree++] = slot;
}

static inline int is_cancelled(const sim_queue *q, const entry *e) {
  return e->slot != NO_SLOT && q->slots[e->slot].state == SLOT_CANCELLED;
}

static int by_time_then_seq(const void *a, const void *b) {
  const entry *x = a, *y = b;
  return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}

/* Appends to bucket k; the caller has reserved room. */
static inline void append(sim_queue *q, unsigned k, const entry *e) {
  bucket *b = &q->b[k];
  b->e[b->n++] = *e;
  if (e->time < b->min) b->min = e->time;
  if (k) q->occupied |= 1ull << (k - 1);
}

static inline void empty_bucket(sim_queue *q, unsigned k) {
  q->b[k].n = 0;
  q->b[k].min = SIM_TIME_MAX;
  if (k) q->occupied &= ~(1ull << (k - 1));
}

/* Gives the entries sequence numbers 0..n-1 in (time, seq) order and puts
 * them back. Sorted order refills bucket 0 in ascending sequence; the other
 * buckets' internal order does not matter. */
static int renumber(sim_queue *q) {
  entry *all = malloc((q->n ? q->n : 1) * sizeof(entry));
  if (!all) return SIM_E_NOMEM;
  size_t k = 0;
  for (int i = 0; i < NBUCKETS; i++) {
    for (size_t j = i ? 0 : q->head0; j < q->b[i].n; j++) all[k++] = q->b[i].e[j];
    empty_bucket(q, (unsigned)i);
  }
  q->head0 = 0;
  qsort(all, k, sizeof(entry), by_time_then_seq);
  for (size_t i = 0; i < k; i++) {
    all[i].seq = (uint32_t)i;
    append(q, bucket_of(q->last, all[i].time), &all[i]); /* room: each bucket held them before */
  }
  q->next_seq = (uint32_t)k;
  free(all);
  return SIM_OK;
}

int sim_queue_push(sim_queue *q, sim_time time, sim_event_fn fn, void *arg, sim_event_id *out_id) {
  if (!q || !fn) return SIM_E_INVAL;
  if (time < q->last) return SIM_E_PAST;
  if (q->n >= MAX_SLOTS) return SIM_E_FULL;
  unsigned k = bucket_of(q->last, time);
  int rc = reserve(&q->b[k], q->b[k].n + 1);
  if (rc) return rc;
  if (q->next_seq == UINT32_MAX && (rc = renumber(q))) return rc;
  uint32_t slot = NO_SLOT;
  if (out_id && (rc = track(q, &slot, out_id))) return rc;
  entry e = {time, q->next_seq++, slot, fn, arg};
  append(q, k, &e);
  q->n++;
  return SIM_OK;
}

/* Drops the cancelled entries of bucket k from index `from` on (entries
 * before it are discarded too: they were already handed out), keeping the
 * others in order, and recomputes the bucket's earliest time. */
static void sweep_bucket(sim_queue *q, unsigned k, size_t from) {
  bucket *b = &q->b[k];
  size_t kept = 0;
  sim_time min = SIM_TIME_MAX;
  for (size_t j = from; j < b->n; j++) {
    if (is_cancelled(q, &b->e[j])) {
      release_slot(q, b->e[j].slot);
      q->cancelled--;
      q->n--;
      continue;
    }
    if (b->e[j].time < min) min = b->e[j].time;
    b->e[kept++] = b->e[j];
  }
  if (kept)
    b->n = kept, b->min = min;
  else
    empty_bucket(q, k);
}

/* Drops every cancelled entry from every bucket, keeping the others' order. */
static void purge_cancelled(sim_queue *q) {
  for (int i = 0; i < NBUCKETS; i++) {
    sweep_bucket(q, (unsigned)i, i ? 0 : q->head0);
  }
  q->head0 = 0;
}

int sim_queue_cancel(sim_queue *q, sim_event_id id) {
  if (!q) return SIM_E_INVAL;
  uint32_t slot = (uint32_t)(id & 0xFFFFFFFFu), gen = (uint32_t)(id >> 32);
  if (id == SIM_EVENT_NONE || slot >= q->nslots) return SIM_E_NOTFOUND;
  slot_rec *s = &q->slots[slot];
  if (s->gen != gen || s->state != SLOT_PENDING) return SIM_E_NOTFOUND;
  s->state = SLOT_CANCELLED;
  q->cancelled++;
  if (q->cancelled > 1024 && q->cancelled * 2 > q->n) purge_cancelled(q);
  return SIM_OK;
}

/* The lowest non-empty bucket above 0 whose earliest entry is live; cancelled
 * entries are swept out of a bucket before it is trusted. 0 when none. */
static int lowest(sim_queue *q, unsigned *out_k) {
  while (q->occupied) {
    unsigned k = (unsigned)__builtin_ctzll(q->occupied) + 1;
    if (q->cancelled) {
      sweep_bucket(q, k, 0);
      if (!q->b[k].n) continue;
    }
    *out_k = k;
    return 1;
  }
  return 0;
}

/* Bucket 0 is empty: makes `new_last` (the earliest time in bucket k) the
 * new `last` and moves bucket k's entries into strictly lower buckets. Room is
 * reserved first, so running out of memory leaves the queue as it was. */
static int redistribute(sim_queue *q, unsigned k, sim_time new_last) {
  
  bucket *src = &q->b[k];
  int roomy = 1;
  for (unsigned d = 0; d < k && roomy; d++) roomy = q->b[d].cap - q->b[d].n >= src->n;
  if (!roomy) {
    size_t count[NBUCKETS] = {0};
    for (size_t j = 0; j < src->n; j++) count[bucket_of(new_last, src->e[j].time)]++;
    for (unsigned d = 0; d < k; d++)
      if (count[d] && reserve(&q->b[d], q->b[d].n + count[d])) return SIM_E_NOMEM;
  }
  q->last = new_last;
  for (size_t j = 0; j < src->n; j++) append(q, bucket_of(new_last, src->e[j].time), &src->e[j]);
  empty_bucket(q, k);
  if (q->b[0].n > 1) qsort(q->b[0].e, q->b[0].n, sizeof(entry), by_time_then_seq);
  return SIM_OK;
}

/* Drops cancelled entries at the head of bucket 0; 1 if a live one remains. */
static int live_head0(sim_queue *q) {
  bucket *b0 = &q->b[0];
  while (q->head0 < b0->n) {
    entry *e = &b0->e[q->head0];
    if (!q->cancelled || !is_cancelled(q, e)) return 1;
    release_slot(q, e->slot);
    q->head0++;
    q->cancelled--;
    q->n--;
  }
  empty_bucket(q, 0);
  q->head0 = 0;
  return 0;
}

int sim_queue_peek(sim_queue *q, sim_time *out_time) {
  if (!q) return 0;
  unsigned k;
  sim_time t;
  if (live_head0(q))
    t = q->last;
  else if (lowest(q, &k))
    t = q->b[k].min;
  else
    return 0;
  if (out_time) *out_time = t;
  return 1;
}

int sim_queue_pop(sim_queue *q, sim_time limit, sim_time *out_time, sim_event_fn *out_fn, void **out_arg) {
  if (!q) return SIM_E_INVAL;
  while (!live_head0(q)) {
    unsigned k;
    if (!lowest(q, &k) || q->b[k].min > limit) return 0;
    int rc = redistribute(q, k, q->b[k].min);
    if (rc) return rc;
  }
  if (q->last > limit) return 0;
  entry e = q->b[0].e[q->head0++];
  if (e.slot != NO_SLOT) release_slot(q, e.slot);
  q->n--;
  if (out_time) *out_time = e.time;
  if (out_fn) *out_fn = e.fn;
  if (out_arg) *out_arg = e.arg;
  return 1;
}

size_t sim_queue_size(const sim_queue *q) { return q ? q->n - q->cancelled : 0; }

void sim__queue_set_next_seq(sim_queue *q, uint32_t next) { q->next_seq = next; }
