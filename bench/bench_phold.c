/* bench_phold.c: PHOLD on the hnsim engine beside a plain binary heap.
 *
 * For each population it runs the same PHOLD (phold_model.h) on sim_world
 * (callbacks scheduled through the public API) and on the baseline heap,
 * prints events/s for both and their ratio, and checks that both processed
 * the same events (equal check values and end times). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_args.h"
#include "bench_clock.h"
#include "binary_heap_phold.h"
#include "phold_model.h"
#include "sim_world.h"

typedef struct engine_phold {
  phold_run run;
  uint64_t processed, stop_at;
  struct lp_ref *lps;
} engine_phold;

/* The argument of every event: which process it is for. */
typedef struct lp_ref {
  engine_phold *ctx;
  size_t index;
} lp_ref;

static void on_event(sim_world *w, void *arg) {
  lp_ref *lp = arg;
  engine_phold *ctx = lp->ctx;
  ctx->run.count[lp->index]++;
  size_t dest;
  sim_time delay;
  phold_next(&ctx->run, &dest, &delay);
  sim_schedule_in(w, delay, on_event, &ctx->lps[dest], NULL);
  if (++ctx->processed == ctx->stop_at) sim_stop(w);
}

static int engine_phold_run(engine_phold *ctx, uint64_t warmup, uint64_t events, double *seconds,
                            sim_time *end_time) {
  sim_world *w;
  if (sim_world_create(0, &w)) return -1;
  ctx->lps = malloc(ctx->run.nlp * sizeof(lp_ref));
  if (!ctx->lps) return -1;
  for (size_t i = 0; i < ctx->run.nlp; i++) ctx->lps[i] = (lp_ref){ctx, i};
  for (size_t i = 0; i < ctx->run.nlp; i++)
    for (int k = 0; k < PHOLD_EVENTS_PER_LP; k++)
      if (sim_schedule_at(w, phold_initial_delay(&ctx->run), on_event, &ctx->lps[i], NULL)) return -1;
  ctx->stop_at = warmup;
  if (warmup) sim_run(w, NULL);
  ctx->stop_at = warmup + events;
  double t0 = bench_seconds();
  sim_run(w, NULL);
  *seconds = bench_seconds() - t0;
  *end_time = sim_now(w);
  sim_world_destroy(w);
  free(ctx->lps);
  return 0;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: bench_phold [--populations P,P,...] [--warmup N] [--events N] [--seed N]\n"
          "PHOLD on the hnsim engine and on a plain binary heap, same draws, same events.\n"
          "  --populations  pending events (10 per process); default 10000,100000,1000000\n"
          "  --warmup       events run before timing; default 1000000\n"
          "  --events       events timed; default 4000000\n"
          "  --seed         master seed of the 'phold' stream; default 1\n");
}

int main(int argc, char **argv) {
  const char *pops = "10000,100000,1000000";
  uint64_t warmup = 1000000, events = 4000000, seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--populations") && v) {
      pops = v;
    } else if (!strcmp(a, "--warmup") && v) {
      bad = bench_parse_u64(v, &warmup);
    } else if (!strcmp(a, "--events") && v) {
      bad = bench_parse_u64(v, &events);
    } else if (!strcmp(a, "--seed") && v) {
      bad = bench_parse_u64(v, &seed);
    } else {
      fprintf(stderr, "bench_phold: unknown or incomplete option '%s'\n", a);
      usage(stderr);
      return 2;
    }
    if (bad || events == 0) {
      fprintf(stderr, "bench_phold: %s needs a whole number >= %d, got '%s'\n", a, !strcmp(a, "--events"), v);
      return 2;
    }
    i++;
  }

  char *list = strdup(pops);
  int status = 0;
  for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
    uint64_t population;
    if (bench_parse_u64(tok, &population) || population < PHOLD_EVENTS_PER_LP) {
      fprintf(stderr, "bench_phold: --populations: '%s' is not a whole number >= %d\n", tok, PHOLD_EVENTS_PER_LP);
      status = 2;
      break;
    }
    engine_phold eng = {0};
    phold_run base;
    double es, bs;
    sim_time eend, bend;
    if (phold_run_init(&eng.run, seed, population) || phold_run_init(&base, seed, population) ||
        engine_phold_run(&eng, warmup, events, &es, &eend) || binary_heap_phold(&base, warmup, events, &bs, &bend)) {
      fprintf(stderr, "bench_phold: out of memory at population %" PRIu64 "\n", population);
      status = 3;
      break;
    }
    uint64_t echeck = phold_check(&eng.run), bcheck = phold_check(&base);
    printf("engine      population=%" PRIu64 " events=%" PRIu64 " seconds=%.3f events_per_s=%.0f check=%" PRIu64
           " sim_end_ns=%" PRId64 "\n",
           population, events, es, events / es, echeck, eend);
    printf("binary-heap population=%" PRIu64 " events=%" PRIu64 " seconds=%.3f events_per_s=%.0f check=%" PRIu64
           " sim_end_ns=%" PRId64 "\n",
           population, events, bs, events / bs, bcheck, bend);
    printf("ratio       population=%" PRIu64 " engine/binary-heap=%.2f\n", population, bs / es);
    fflush(stdout);
    if (echeck != bcheck || eend != bend) {
      fprintf(stderr, "bench_phold: the engine and the baseline processed different events\n");
      status = 3;
    }
    phold_run_free(&eng.run);
    phold_run_free(&base);
  }
  free(list);
  return status;
}
