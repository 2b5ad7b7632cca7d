/* test_sim_world.c: the world's clock and run loop: time moves to each
 * event, the past is refused, run-until stops at its limit, stop and step
 * work, and two worlds with one seed behave identically. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "sim_world.h"

typedef struct {
  sim_time seen[16];
  int n;
  sim_event_id to_cancel;
} log_t;

static log_t *g_log; /* test-local sink for callbacks (one world per test) */

static void record(sim_world *w, void *arg) {
  (void)arg;
  g_log->seen[g_log->n++] = sim_now(w);
}

static void record_and_reschedule(sim_world *w, void *arg) {
  record(w, arg);
  if (g_log->n < 5) assert_int_equal(sim_schedule_in(w, SIM_MS(1), record_and_reschedule, arg, NULL), SIM_OK);
}

static void clock_follows_events(void **state) {
  (void)state;
  log_t lg = {0};
  g_log = &lg;
  sim_world *w;
  assert_int_equal(sim_world_create(1, &w), SIM_OK);
  assert_int_equal(sim_now(w), 0);
  assert_int_equal(sim_schedule_at(w, SIM_US(3), record_and_reschedule, NULL, NULL), SIM_OK);
  uint64_t ran;
  assert_int_equal(sim_run(w, &ran), SIM_OK);
  assert_int_equal(ran, 5);
  sim_time want[] = {SIM_US(3), SIM_US(3) + SIM_MS(1), SIM_US(3) + SIM_MS(2), SIM_US(3) + SIM_MS(3),
                     SIM_US(3) + SIM_MS(4)};
  for (int i = 0; i < 5; i++) assert_int_equal(lg.seen[i], want[i]);
  assert_int_equal(sim_now(w), want[4]);
  assert_int_equal(sim_events_run(w), 5);
  sim_world_destroy(w);
}

static void past_and_negative_delays_refused(void **state) {
  (void)state;
  sim_world *w;
  assert_int_equal(sim_world_create(1, &w), SIM_OK);
  assert_int_equal(sim_run_until(w, SIM_S(1), NULL), SIM_OK);
  assert_int_equal(sim_now(w), SIM_S(1));
  assert_int_equal(sim_schedule_at(w, SIM_S(1) - 1, record, NULL, NULL), SIM_E_PAST);
  assert_int_equal(sim_schedule_in(w, -1, record, NULL, NULL), SIM_E_INVAL);
  assert_int_equal(sim_schedule_in(w, SIM_TIME_MAX, record, NULL, NULL), SIM_E_INVAL);
  assert_int_equal(sim_run_until(w, 5, NULL), SIM_E_PAST);
  assert_int_equal(sim_pending(w), 0);
  sim_world_destroy(w);
}

static void run_until_stops_at_limit(void **state) {
  (void)state;
  log_t lg = {0};
  g_log = &lg;
  sim_world *w;
  assert_int_equal(sim_world_create(1, &w), SIM_OK);
  for (int i = 1; i <= 4; i++) assert_int_equal(sim_schedule_at(w, SIM_MS(i * 10), record, NULL, NULL), SIM_OK);
  uint64_t ran;
  assert_int_equal(sim_run_until(w, SIM_MS(25), &ran), SIM_OK);
  assert_int_equal(ran, 2);
  assert_int_equal(sim_now(w), SIM_MS(25));
  /* Between the clock and the next event: still allowed. */
  assert_int_equal(sim_schedule_at(w, SIM_MS(26), record, NULL, NULL), SIM_OK);
  assert_int_equal(sim_run_until(w, SIM_MS(30), &ran), SIM_OK);
  assert_int_equal(ran, 2);
  assert_int_equal(lg.seen[2], SIM_MS(26));
  assert_int_equal(lg.seen[3], SIM_MS(30));
  assert_int_equal(sim_pending(w), 1);
  sim_world_destroy(w);
}

static void stopper(sim_world *w, void *arg) {
  (void)arg;
  record(w, arg);
  sim_stop(w);
}

static void canceller(sim_world *w, void *arg) {
  (void)arg;
  record(w, arg);
  assert_int_equal(sim_cancel(w, g_log->to_cancel), SIM_OK);
}

static void stop_step_and_cancel(void **state) {
  (void)state;
  log_t lg = {0};
  g_log = &lg;
  sim_world *w;
  assert_int_equal(sim_world_create(1, &w), SIM_OK);
  assert_int_equal(sim_schedule_at(w, 10, canceller, NULL, NULL), SIM_OK);
  assert_int_equal(sim_schedule_at(w, 20, record, NULL, &lg.to_cancel), SIM_OK);
  assert_int_equal(sim_schedule_at(w, 30, stopper, NULL, NULL), SIM_OK);
  assert_int_equal(sim_schedule_at(w, 40, record, NULL, NULL), SIM_OK);
  uint64_t ran;
  assert_int_equal(sim_run(w, &ran), SIM_OK);
  assert_int_equal(ran, 2); /* canceller, stopper; the event at 20 was cancelled */
  assert_int_equal(sim_now(w), 30);
  assert_int_equal(sim_pending(w), 1);
  int did;
  assert_int_equal(sim_step(w, &did), SIM_OK);
  assert_int_equal(did, 1);
  assert_int_equal(sim_now(w), 40);
  assert_int_equal(sim_step(w, &did), SIM_OK);
  assert_int_equal(did, 0);
  assert_int_equal(lg.n, 3);
  sim_world_destroy(w);
}

static void seed_and_streams(void **state) {
  (void)state;
  sim_world *a, *b;
  assert_int_equal(sim_world_create(2024, &a), SIM_OK);
  assert_int_equal(sim_world_create(2024, &b), SIM_OK);
  assert_int_equal(sim_world_seed(a), 2024);
  sim_rng ra, rb;
  sim_world_stream(a, "hns", &ra);
  sim_world_stream(b, "hns", &rb);
  for (int i = 0; i < 100; i++) assert_int_equal(sim_rng_u64(&ra), sim_rng_u64(&rb));
  sim_world_destroy(a);
  sim_world_destroy(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(clock_follows_events),
      cmocka_unit_test(past_and_negative_delays_refused),
      cmocka_unit_test(run_until_stops_at_limit),
      cmocka_unit_test(stop_step_and_cancel),
      cmocka_unit_test(seed_and_streams),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
