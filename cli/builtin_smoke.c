/* builtin_smoke.c: builtin:smoke, an end-to-end check of the engine and the
 * results database that needs no scenario file.
 *
 * Eight nodes pass 32 messages around a ring over a lossy link (1 % loss,
 * 50 us + Exp(200 us) latency). Every send arms a 5 ms retransmission timer;
 * a delivery cancels it, a loss lets it fire and the sender sends again. After
 * one simulated second the scenario checks what the engine promises: time
 * never ran backwards, every cancel found its timer, timers fired only for
 * lost messages, and every loss was either retransmitted or is still waiting.
 * All randomness comes from the run's seed, so a seed gives one digest. */
#include <math.h>
#include <stdlib.h>
#include "builtin_scenarios.h"

#define NODES 8
#define MESSAGES 32
#define HORIZON SIM_S(1)
#define LOSS 0.01
#define BASE_DELAY SIM_US(50)
#define MEAN_DELAY_NS 200000.0
#define RTO SIM_MS(5)

struct smoke;

typedef struct message {
  struct smoke *ctx;
  int at;          /* node that sends it next, or that holds it */
  int lost;        /* the current transmission was dropped */
  sim_time sent;   /* when the current transmission left */
  sim_event_id timer;
} message;

typedef struct smoke {
  run_recorder *rec;
  sim_rng link, loss;
  message msgs[MESSAGES];
  sim_time last_now;
  int clock_ok;
  uint64_t sends, deliveries, drops, timeouts, bad_cancels, bad_timeouts;
  double latency_sum_ns;
} smoke;

static void on_deliver(sim_world *w, void *arg);
static void on_timeout(sim_world *w, void *arg);

static void tick(smoke *s, sim_world *w) {
  if (sim_now(w) < s->last_now) s->clock_ok = 0;
  s->last_now = sim_now(w);
}

static int send_msg(sim_world *w, message *m) {
  smoke *s = m->ctx;
  s->sends++;
  m->sent = sim_now(w);
  m->lost = sim_rng_uniform(&s->loss) < LOSS;
  int rc = sim_schedule_in(w, RTO, on_timeout, m, &m->timer);
  if (rc) return rc;
  if (m->lost) {
    s->drops++;
    return 0;
  }
  sim_time delay = BASE_DELAY + (sim_time)llround(sim_rng_exponential(&s->link, MEAN_DELAY_NS));
  return sim_schedule_in(w, delay, on_deliver, m, NULL);
}

static void on_deliver(sim_world *w, void *arg) {
  message *m = arg;
  smoke *s = m->ctx;
  tick(s, w);
  if (sim_cancel(w, m->timer) != SIM_OK) s->bad_cancels++;
  s->deliveries++;
  s->latency_sum_ns += (double)(sim_now(w) - m->sent);
  m->at = (m->at + 1) % NODES;
  if (send_msg(w, m)) sim_stop(w);
}

static void on_timeout(sim_world *w, void *arg) {
  message *m = arg;
  smoke *s = m->ctx;
  tick(s, w);
  s->timeouts++;
  if (!m->lost) s->bad_timeouts++;
  rec_log(s->rec, RPT_LOG_DEBUG, "smoke", "message %d lost at node %d; resending", (int)(m - s->msgs), m->at);
  if (send_msg(w, m)) sim_stop(w);
}

static int smoke_run(run_recorder *rec) {
  smoke *s = calloc(1, sizeof *s);
  if (!s) return SIM_E_NOMEM;
  sim_world *w = rec->world;
  s->rec = rec;
  s->clock_ok = 1;
  sim_world_stream(w, "smoke.link", &s->link);
  sim_world_stream(w, "smoke.loss", &s->loss);
  rec_log(rec, RPT_LOG_INFO, "smoke", "%d nodes, %d messages, loss %.2f, horizon %lld ns", NODES, MESSAGES, LOSS,
          (long long)HORIZON);
  int rc = 0;
  for (int k = 0; k < MESSAGES && !rc; k++) {
    s->msgs[k] = (message){.ctx = s, .at = k % NODES};
    rc = send_msg(w, &s->msgs[k]);
  }
  uint64_t ran = 0;
  if (!rc) rc = sim_run_until(w, HORIZON, &ran);
  if (rc) {
    rec_log(rec, RPT_LOG_ERROR, "smoke", "engine failed: %s", sim_strerror(rc));
    free(s);
    return rc;
  }

  uint64_t waiting = 0; /* lost transmissions whose timer is still pending */
  for (int k = 0; k < MESSAGES; k++) waiting += s->msgs[k].lost;
  rec_expect(rec, "the clock never ran backwards", s->clock_ok, "last event at %lld ns", (long long)s->last_now);
  rec_expect(rec, "every delivery cancelled its own timer", s->bad_cancels == 0,
             "%llu deliveries, %llu cancels refused", (unsigned long long)s->deliveries,
             (unsigned long long)s->bad_cancels);
  rec_expect(rec, "timers fired only for lost messages", s->bad_timeouts == 0, "%llu timeouts, %llu for delivered messages",
             (unsigned long long)s->timeouts, (unsigned long long)s->bad_timeouts);
  rec_expect(rec, "every loss was retransmitted or is awaiting its timer", s->drops == s->timeouts + waiting,
             "%llu losses = %llu timeouts + %llu waiting", (unsigned long long)s->drops,
             (unsigned long long)s->timeouts, (unsigned long long)waiting);
  rec_expect(rec, "the run reached its horizon", sim_now(w) == HORIZON, "clock at %lld ns", (long long)sim_now(w));
  rec_metric(rec, "events_run", (double)ran);
  rec_metric(rec, "messages_sent", (double)s->sends);
  rec_metric(rec, "messages_delivered", (double)s->deliveries);
  rec_metric(rec, "messages_lost", (double)s->drops);
  rec_metric(rec, "mean_latency_ns", s->deliveries ? s->latency_sum_ns / (double)s->deliveries : 0.0);
  rec_metric(rec, "events_pending_at_end", (double)sim_pending(w));
  rec_log(rec, RPT_LOG_INFO, "smoke", "%llu events run, %llu delivered, %llu lost", (unsigned long long)ran,
          (unsigned long long)s->deliveries, (unsigned long long)s->drops);
  free(s);
  return 0;
}

const builtin_scenario builtin_smoke = {
    "smoke", "engine and results self-check: 32 messages on a lossy 8-node ring for 1 simulated second", smoke_run};
