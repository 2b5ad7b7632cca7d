/* sim_queue.c: the pending-event set, a radix heap over simulated time with
 * a sorted run at its bottom.
 *
 * Why this shape: simulated time never goes backwards (an event may not be
 * scheduled before the last one taken out), which is the condition for a
 * radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990). Relative to a base
 * time, bucket k (1..64) holds the events whose time first differs from the
 * base in bit k-1; adding an event is an append, and every bucket is a
 * contiguous array, so large populations cost cache bandwidth rather than one
 * miss per tree level as in a binary heap.
 *
 * Events are handed out from the run: a sorted array of the earliest events,
 * consumed from its head, all no later than `run_max`, while every bucket
 * holds only later events. When the run is empty, the lowest non-empty bucket
 * supplies the next one: its earliest time becomes the base and, if it is
 * small (RUN_SORT_MAX entries), it is sorted into the run whole; if it is
 * large it is split into lower buckets first (the classic radix-heap step),
 * which sends the events at the new base into the run. Sorting small buckets
 * at once spares each event the log2(bucket size) moves that splitting bit by
 * bit would cost; a ladder queue's bottom rung does the same.
 *
 * An event added at or before `run_max` is inserted into the run at its
 * sorted place. Ties: the run is ordered by (time, sequence), and a new
 * event's sequence is the newest, so same-time events run first in, first out.
 *
 * Cancellation is paid for only by events that may be cancelled: an event
 * added with an out-id gets a slot (a generation and a state) that makes its
 * sim_event_id distinct from every earlier user of the slot; other events
 * carry NO_SLOT. Cancelling marks the slot; a cancelled entry is dropped when
 * it is met, and everything is swept once cancelled entries outnumber live
 * ones, so cancel-heavy use cannot grow memory unbounded.
 *
 * Invariants: run entries from `head0` are sorted by (time, seq) and have
 * time <= run_max; bucket k>0 entries have time > run_max and highest bit
 * differing from `base` k-1, and `min` is their earliest time (cancelled ones
 * included); `occupied` has bit k-1 set iff bucket k is non-empty; base <=
 * last_out <= every pending time; `cancelled` counts entries whose slot is
 * CANCELLED; (time, seq) pairs are unique. When the 32-bit sequence is about
 * to wrap, all entries are renumbered 0..n-1 in (time, seq) order, which
 * keeps their relative order. */
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
#define RUN_SORT_MAX 48 /* buckets up to this size are sorted into the run whole */
#define NO_SLOT 0xFFFFFFFFu
#define MAX_SLOTS 0xFFFFFFFEu

struct sim_queue {
  bucket b[NBUCKETS]; /* b[0] is the run */
  size_t head0;       /* next entry of the run to hand out */
  uint64_t occupied;  /* bit k-1: bucket k (1..64) non-empty */
  sim_time base;      /* what bucket numbers are relative to */
  sim_time run_max;   /* every run entry is at or before it, every bucket entry after */
  sim_time last_out;  /* time of the last event taken out (0 before any) */
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

/* Appends to bucket k (k >= 1); the caller has reserved room. */
static inline void append(sim_queue *q, unsigned k, const entry *e) {
  bucket *b = &q->b[k];
  b->e[b->n++] = *e;
  if (e->time < b->min) b->min = e->time;
  q->occupied |= 1ull << (k - 1);
}

static inline void empty_bucket(sim_queue *q, unsigned k) {
  q->b[k].n = 0;
  q->b[k].min = SIM_TIME_MAX;
  if (k) q->occupied &= ~(1ull << (k - 1));
}

/* Sorts a few entries by (time, seq): insertion sort, since runs are small
 * and often nearly sorted; qsort beyond that. */
static void sort_entries(entry *e, size_t n) {
  if (n > 4 * RUN_SORT_MAX) {
    qsort(e, n, sizeof(entry), by_time_then_seq);
    return;
  }
  for (size_t i = 1; i < n; i++) {
    entry x = e[i];
    size_t j = i;
    while (j > 0 && before(&x, &e[j - 1])) {
      e[j] = e[j - 1];
      j--;
    }
    e[j] = x;
  }
}

/* Makes room at the end of the run, first dropping what was handed out. */
static int run_reserve(sim_queue *q, size_t more) {
  bucket *run = &q->b[0];
  if (q->head0 && run->n + more > run->cap) {
    memmove(run->e, run->e + q->head0, (run->n - q->head0) * sizeof(entry));
    run->n -= q->head0;
    q->head0 = 0;
  }
  return reserve(run, run->n + more);
}

/* Inserts into the run at its sorted place; room is reserved. */
static void run_insert(sim_queue *q, const entry *e) {
  bucket *run = &q->b[0];
  size_t lo = q->head0, hi = run->n;
  while (lo < hi) { /* first entry after e */
    size_t mid = lo + (hi - lo) / 2;
    if (before(e, &run->e[mid]))
      hi = mid;
    else
      lo = mid + 1;
  }
  memmove(run->e + lo + 1, run->e + lo, (run->n - lo) * sizeof(entry));
  run->e[lo] = *e;
  run->n++;
}

/* Where an entry at `time` belongs: 0 for the run, else its bucket. */
static inline unsigned place_of(const sim_queue *q, sim_time time) {
  return time <= q->run_max ? 0u : bucket_of(q->base, time);
}

static int place(sim_queue *q, const entry *e) {
  unsigned k = place_of(q, e->time);
  if (k == 0) {
    int rc = run_reserve(q, 1);
    if (rc) return rc;
    run_insert(q, e);
    return SIM_OK;
  }
  int rc = reserve(&q->b[k], q->b[k].n + 1);
  if (rc) return rc;
  append(q, k, e);
  return SIM_OK;
}

/* Gives the entries sequence numbers 0..n-1 in (time, seq) order and puts
 * them back where they were: placement depends on time only, and sorted
 * order keeps the run sorted. */
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
    unsigned b = place_of(q, all[i].time);
    if (b == 0)
      q->b[0].e[q->b[0].n++] = all[i]; /* room: every bucket held these before */
    else
      append(q, b, &all[i]);
  }
  q->next_seq = (uint32_t)k;
  free(all);
  return SIM_OK;
}

int sim_queue_push(sim_queue *q, sim_time time, sim_event_fn fn, void *arg, sim_event_id *out_id) {
  if (!q || !fn) return SIM_E_INVAL;
  if (time < q->last_out) return SIM_E_PAST;
  if (q->n >= MAX_SLOTS) return SIM_E_FULL;
  int rc;
  if (q->next_seq == UINT32_MAX && (rc = renumber(q))) return rc;
  uint32_t slot = NO_SLOT;
  sim_event_id id = SIM_EVENT_NONE;
  if (out_id && (rc = track(q, &slot, &id))) return rc;
  entry e = {time, q->next_seq, slot, fn, arg};
  if ((rc = place(q, &e))) {
    if (slot != NO_SLOT) release_slot(q, slot);
    return rc;
  }
  q->next_seq++;
  q->n++;
  if (out_id) *out_id = id;
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

/* Drops every cancelled entry from the run and every bucket. */
static void purge_cancelled(sim_queue *q) {
  for (int i = 0; i < NBUCKETS; i++) sweep_bucket(q, (unsigned)i, i ? 0 : q->head0);
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

/* The lowest non-empty bucket whose earliest entry is live; cancelled
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

/* The run is empty: refills it from bucket k, the lowest non-empty one, whose
 * earliest time becomes the new base. A small bucket is sorted into the run
 * whole; a large one is split into lower buckets, its earliest events going
 * to the run. Room is reserved first, so running out of memory leaves the
 * queue as it was. */
static int refill_run(sim_queue *q, unsigned k) {
  bucket *src = &q->b[k], *run = &q->b[0];
  sim_time base = src->min;
  run->n = q->head0 = 0;
  if (src->n <= RUN_SORT_MAX) {
    int rc = reserve(run, src->n);
    if (rc) return rc;
    sim_time max = base;
    for (size_t j = 0; j < src->n; j++)
      if (src->e[j].time > max) max = src->e[j].time;
    memcpy(run->e, src->e, src->n * sizeof(entry));
    run->n = src->n;
    sort_entries(run->e, run->n);
    q->base = base;
    q->run_max = max;
    empty_bucket(q, k);
    return SIM_OK;
  }
  size_t count[NBUCKETS] = {0};
  for (size_t j = 0; j < src->n; j++) count[bucket_of(base, src->e[j].time)]++;
  for (unsigned d = 0; d < k; d++)
    if (count[d] && reserve(&q->b[d], q->b[d].n + count[d])) return SIM_E_NOMEM;
  q->base = base;
  q->run_max = base;
  for (size_t j = 0; j < src->n; j++) {
    unsigned d = bucket_of(base, src->e[j].time);
    if (d == 0)
      run->e[run->n++] = src->e[j];
    else
      append(q, d, &src->e[j]);
  }
  empty_bucket(q, k);
  sort_entries(run->e, run->n);
  return SIM_OK;
}

/* Drops cancelled entries at the head of the run; 1 if a live one remains. */
static int live_head(sim_queue *q) {
  bucket *run = &q->b[0];
  while (q->head0 < run->n) {
    entry *e = &run->e[q->head0];
    if (!q->cancelled || !is_cancelled(q, e)) return 1;
    release_slot(q, e->slot);
    q->head0++;
    q->cancelled--;
    q->n--;
  }
  run->n = q->head0 = 0;
  return 0;
}

int sim_queue_peek(sim_queue *q, sim_time *out_time) {
  if (!q) return 0;
  unsigned k;
  sim_time t;
  if (live_head(q))
    t = q->b[0].e[q->head0].time;
  else if (lowest(q, &k))
    t = q->b[k].min;
  else
    return 0;
  if (out_time) *out_time = t;
  return 1;
}

int sim_queue_pop(sim_queue *q, sim_time limit, sim_time *out_time, sim_event_fn *out_fn, void **out_arg) {
  if (!q) return SIM_E_INVAL;
  while (!live_head(q)) {
    unsigned k;
    if (!lowest(q, &k) || q->b[k].min > limit) return 0;
    int rc = refill_run(q, k);
    if (rc) return rc;
  }
  entry *e = &q->b[0].e[q->head0];
  if (e->time > limit) return 0;
  q->head0++;
  if (e->slot != NO_SLOT) release_slot(q, e->slot);
  q->n--;
  q->last_out = e->time;
  if (out_time) *out_time = e->time;
  if (out_fn) *out_fn = e->fn;
  if (out_arg) *out_arg = e->arg;
  return 1;
}

size_t sim_queue_size(const sim_queue *q) { return q ? q->n - q->cancelled : 0; }

void sim__queue_set_next_seq(sim_queue *q, uint32_t next) { q->next_seq = next; }
