/* test_sim_queue.c: the event queue: (time, insertion) ordering, ties,
 * cancellation, refusal of the past, sequence wrap-around, and a randomized
 * 1 000 000-operation comparison against a plain reference queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "sim_queue.h"
#include "sim_queue_int.h"
#include "sim_rng.h"
#include "sim_status.h"

static void noop(sim_world *w, void *arg) {
  (void)w;
  (void)arg;
}

/* Pops everything and returns the arguments, as integers, in pop order. */
static size_t drain(sim_queue *q, uintptr_t *out, size_t max) {
  size_t n = 0;
  sim_time t, prev = 0;
  sim_event_fn fn;
  void *arg;
  while (sim_queue_pop(q, SIM_TIME_MAX, &t, &fn, &arg) == 1) {
    assert_true(t >= prev);
    assert_ptr_equal(fn, noop);
    prev = t;
    assert_true(n < max);
    out[n++] = (uintptr_t)arg;
  }
  return n;
}

static void orders_by_time(void **state) {
  (void)state;
  sim_queue *q;
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  sim_time times[] = {50, 10, 40, 20, 30, 0, 1000000000000};
  for (uintptr_t i = 0; i < 7; i++) assert_int_equal(sim_queue_push(q, times[i], noop, (void *)i, NULL), SIM_OK);
  assert_int_equal(sim_queue_size(q), 7);
  sim_time first;
  assert_true(sim_queue_peek(q, &first));
  assert_int_equal(first, 0);
  uintptr_t got[8];
  assert_int_equal(drain(q, got, 8), 7);
  uintptr_t want[] = {5, 1, 3, 4, 2, 0, 6};
  for (int i = 0; i < 7; i++) assert_int_equal(got[i], want[i]);
  assert_false(sim_queue_peek(q, NULL));
  sim_queue_destroy(q);
}

static void ties_run_in_insertion_order(void **state) {
  (void)state;
  sim_queue *q;
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  /* Interleave two times so ties reach bucket 0 both by redistribution and
   * by being added at the current time. */
  for (uintptr_t i = 0; i < 100; i++) assert_int_equal(sim_queue_push(q, i % 2 ? 7 : 3, noop, (void *)i, NULL), 0);
  sim_time t;
  sim_event_fn fn;
  void *arg;
  assert_int_equal(sim_queue_pop(q, SIM_TIME_MAX, &t, &fn, &arg), 1);
  assert_int_equal(t, 3);
  assert_int_equal((uintptr_t)arg, 0);
  /* Added now, at the current time: after every earlier event at 3. */
  assert_int_equal(sim_queue_push(q, 3, noop, (void *)1000, NULL), 0);
  uintptr_t got[128];
  size_t n = drain(q, got, 128);
  assert_int_equal(n, 100);
  size_t k = 0;
  for (uintptr_t i = 2; i < 100; i += 2) assert_int_equal(got[k++], i);
  assert_int_equal(got[k++], 1000);
  for (uintptr_t i = 1; i < 100; i += 2) assert_int_equal(got[k++], i);
  sim_queue_destroy(q);
}

static void refuses_the_past_and_bad_arguments(void **state) {
  (void)state;
  sim_queue *q;
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  assert_int_equal(sim_queue_push(q, 10, NULL, NULL, NULL), SIM_E_INVAL);
  assert_int_equal(sim_queue_push(q, -1, noop, NULL, NULL), SIM_E_PAST);
  assert_int_equal(sim_queue_push(q, 100, noop, NULL, NULL), SIM_OK);
  assert_int_equal(sim_queue_pop(q, SIM_TIME_MAX, NULL, NULL, NULL), 1);
  assert_int_equal(sim_queue_push(q, 99, noop, NULL, NULL), SIM_E_PAST);
  assert_int_equal(sim_queue_size(q), 0);
  assert_int_equal(sim_queue_push(q, 100, noop, NULL, NULL), SIM_OK);
  assert_int_equal(sim_queue_size(q), 1);
  sim_queue_destroy(q);
}

static void pop_respects_limit(void **state) {
  (void)state;
  sim_queue *q;
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  assert_int_equal(sim_queue_push(q, 500, noop, NULL, NULL), SIM_OK);
  assert_int_equal(sim_queue_pop(q, 499, NULL, NULL, NULL), 0);
  /* Declining to pop did not move time: an event before 500 is still allowed. */
  assert_int_equal(sim_queue_push(q, 200, noop, (void *)7, NULL), SIM_OK);
  void *arg;
  sim_time t;
  assert_int_equal(sim_queue_pop(q, 499, &t, NULL, &arg), 1);
  assert_int_equal(t, 200);
  assert_int_equal((uintptr_t)arg, 7);
  assert_int_equal(sim_queue_pop(q, 500, &t, NULL, NULL), 1);
  assert_int_equal(t, 500);
  sim_queue_destroy(q);
}

static void cancel_removes_only_its_event(void **state) {
  (void)state;
  sim_queue *q;
  sim_event_id a, b, c;
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  assert_int_equal(sim_queue_push(q, 10, noop, (void *)1, &a), SIM_OK);
  assert_int_equal(sim_queue_push(q, 20, noop, (void *)2, &b), SIM_OK);
  assert_int_equal(sim_queue_push(q, 30, noop, (void *)3, &c), SIM_OK);
  assert_int_not_equal(a, SIM_EVENT_NONE);
  assert_int_equal(sim_queue_cancel(q, b), SIM_OK);
  assert_int_equal(sim_queue_cancel(q, b), SIM_E_NOTFOUND);
  assert_int_equal(sim_queue_cancel(q, SIM_EVENT_NONE), SIM_E_NOTFOUND);
  assert_int_equal(sim_queue_cancel(q, (sim_event_id)12345 << 32 | 999), SIM_E_NOTFOUND);
  assert_int_equal(sim_queue_size(q), 2);
  uintptr_t got[4];
  assert_int_equal(drain(q, got, 4), 2);
  assert_int_equal(got[0], 1);
  assert_int_equal(got[1], 3);
  /* Ran already: cannot be cancelled, and a new event reusing the slot is safe. */
  assert_int_equal(sim_queue_cancel(q, a), SIM_E_NOTFOUND);
  sim_event_id d;
  assert_int_equal(sim_queue_push(q, 40, noop, (void *)4, &d), SIM_OK);
  assert_int_not_equal(d, a);
  assert_int_equal(sim_queue_cancel(q, a), SIM_E_NOTFOUND);
  assert_int_equal(sim_queue_size(q), 1);
  sim_queue_destroy(q);
}

static void mass_cancel_keeps_order_and_count(void **state) {
  (void)state;
  sim_queue *q;
  enum { N = 10000 };
  sim_event_id *ids = malloc(N * sizeof *ids);
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  for (uintptr_t i = 0; i < N; i++) assert_int_equal(sim_queue_push(q, (sim_time)(i * 7919 % N), noop, (void *)i, &ids[i]), 0);
  for (size_t i = 0; i < N; i++)
    if (i % 3) assert_int_equal(sim_queue_cancel(q, ids[i]), SIM_OK);
  assert_int_equal(sim_queue_size(q), (N + 2) / 3);
  uintptr_t *got = malloc(N * sizeof *got);
  size_t n = drain(q, got, N);
  assert_int_equal(n, (N + 2) / 3);
  for (size_t i = 0; i < n; i++) assert_int_equal(got[i] % 3, 0);
  free(got);
  free(ids);
  sim_queue_destroy(q);
}

static void sequence_wrap_keeps_order(void **state) {
  (void)state;
  sim_queue *q;
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  sim__queue_set_next_seq(q, UINT32_MAX - 3);
  /* Ten events at one time straddle the wrap: still first in, first out. */
  for (uintptr_t i = 0; i < 10; i++) assert_int_equal(sim_queue_push(q, 5, noop, (void *)i, NULL), SIM_OK);
  assert_int_equal(sim_queue_push(q, 4, noop, (void *)99, NULL), SIM_OK);
  uintptr_t got[16];
  assert_int_equal(drain(q, got, 16), 11);
  assert_int_equal(got[0], 99);
  for (uintptr_t i = 0; i < 10; i++) assert_int_equal(got[i + 1], i);
  sim_queue_destroy(q);
}

/* The reference: an unsorted array searched linearly for the least
 * (time, seq). Obviously right, and slow, which is why it stays small. */
typedef struct {
  sim_time time;
  uint64_t seq;
  uintptr_t tag;
  sim_event_id id;
} ref_event;

typedef struct {
  ref_event *e;
  size_t n;
  uint64_t seq;
} ref_queue;

static size_t ref_min(const ref_queue *r) {
  size_t m = 0;
  for (size_t i = 1; i < r->n; i++)
    if (r->e[i].time < r->e[m].time || (r->e[i].time == r->e[m].time && r->e[i].seq < r->e[m].seq)) m = i;
  return m;
}

static void matches_reference_over_a_million_operations(void **state) {
  (void)state;
  enum { OPS = 1000000, MAXPENDING = 512 };
  sim_queue *q;
  ref_queue r = {calloc(MAXPENDING, sizeof(ref_event)), 0, 0};
  sim_rng rng;
  sim_rng_init(&rng, 42, "queue-vs-reference");
  sim_time now = 0;
  uintptr_t tag = 0;
  assert_int_equal(sim_queue_create(&q), SIM_OK);
  for (int op = 0; op < OPS; op++) {
    size_t kind = sim_rng_choice(&rng, 10);
    if ((kind < 5 && r.n < MAXPENDING) || r.n == 0) {
      /* Small delays make many ties; occasional large ones span buckets. */
      int64_t delay;
      sim_rng_range(&rng, 0, sim_rng_choice(&rng, 8) ? 16 : (int64_t)1 << 40, &delay);
      sim_event_id id;
      int want_id = sim_rng_choice(&rng, 2);
      assert_int_equal(sim_queue_push(q, now + delay, noop, (void *)tag, want_id ? &id : NULL), SIM_OK);
      r.e[r.n++] = (ref_event){now + delay, r.seq++, tag++, want_id ? id : SIM_EVENT_NONE};
    } else if (kind < 8) {
      size_t m = ref_min(&r);
      sim_time t;
      void *arg;
      assert_int_equal(sim_queue_pop(q, SIM_TIME_MAX, &t, NULL, &arg), 1);
      assert_int_equal(t, r.e[m].time);
      assert_int_equal((uintptr_t)arg, r.e[m].tag);
      now = t;
      r.e[m] = r.e[--r.n];
    } else {
      size_t i = sim_rng_choice(&rng, r.n);
      if (r.e[i].id == SIM_EVENT_NONE) continue;
      assert_int_equal(sim_queue_cancel(q, r.e[i].id), SIM_OK);
      assert_int_equal(sim_queue_cancel(q, r.e[i].id), SIM_E_NOTFOUND);
      r.e[i] = r.e[--r.n];
    }
    assert_int_equal(sim_queue_size(q), r.n);
  }
  free(r.e);
  sim_queue_destroy(q);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(orders_by_time),
      cmocka_unit_test(ties_run_in_insertion_order),
      cmocka_unit_test(refuses_the_past_and_bad_arguments),
      cmocka_unit_test(pop_respects_limit),
      cmocka_unit_test(cancel_removes_only_its_event),
      cmocka_unit_test(mass_cancel_keeps_order_and_count),
      cmocka_unit_test(sequence_wrap_keeps_order),
      cmocka_unit_test(matches_reference_over_a_million_operations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
