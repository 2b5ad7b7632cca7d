/* phold_ns3.cc: PHOLD on ns-3's event schedulers, the peer hnsim's engine is
 * measured against (bench/bench_phold.c runs the same model on hnsim).
 *
 * Owns: the ns-3 side of the PHOLD comparison only. The model must stay
 * identical to bench/phold_model.h: N = P/10 processes, 10 initial events per
 * process at round(Exp(MEAN)); an event at process i counts itself, draws a
 * destination uniformly among the N and sends one event there at
 * now + LOOKAHEAD + round(Exp(MEAN)). Every draw comes from one sim_rng stream
 * "phold" (never ns-3's RNG: the schedulers are measured, not RNGs) in a fixed
 * order, and ns-3 breaks timestamp ties by insertion order like hnsim, so
 * every scheduler here and hnsim's engine must end with the same check value
 * (sum of count[i] * (i + 1) mod 2^64) and the same final simulated time.
 * Time is in nanoseconds, ns-3's default resolution. */
#include <ns3/nstime.h>
#include <ns3/object-factory.h>
#include <ns3/simulator.h>
#include <ns3/type-id.h>

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <vector>

extern "C" {
#include "sim_rng.h"
}

namespace {

constexpr uint64_t kEventsPerLp = 10;
constexpr double kMeanNs = 1000000.0;
constexpr int64_t kLookaheadNs = 100000;

/* ns-3 handlers are free functions with bound arguments; the one run in
 * progress is global so the handler's only argument is the process index. */
struct Phold {
  sim_rng rng;
  size_t nlp = 0;
  std::vector<uint64_t> count;
  uint64_t processed = 0;
  uint64_t stop_at = 0;
};
Phold g_run;

void OnEvent(uint32_t lp) {
  g_run.count[lp]++;
  uint32_t dest = (uint32_t)sim_rng_choice(&g_run.rng, g_run.nlp);
  int64_t delay = kLookaheadNs + (int64_t)std::llround(sim_rng_exponential(&g_run.rng, kMeanNs));
  ns3::Simulator::Schedule(ns3::NanoSeconds(delay), &OnEvent, dest);
  /* Stop() only raises a flag: the run loop returns after this event. */
  if (++g_run.processed == g_run.stop_at) ns3::Simulator::Stop();
}

double Seconds() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct Result {
  double seconds;
  uint64_t check;
  int64_t end_ns;
};

/* One PHOLD run on a fresh simulator using `scheduler`; the timed span covers
 * exactly events W+1 .. W+M. */
Result RunOnce(const std::string &scheduler, uint64_t population, uint64_t warmup, uint64_t events,
               uint64_t seed) {
  ns3::ObjectFactory factory;
  factory.SetTypeId("ns3::" + scheduler);
  ns3::Simulator::SetScheduler(factory);

  g_run.nlp = population / kEventsPerLp;
  g_run.count.assign(g_run.nlp, 0);
  g_run.processed = 0;
  sim_rng_init(&g_run.rng, seed, "phold");
  for (uint32_t i = 0; i < g_run.nlp; i++)
    for (uint64_t k = 0; k < kEventsPerLp; k++) {
      int64_t t = (int64_t)std::llround(sim_rng_exponential(&g_run.rng, kMeanNs));
      ns3::Simulator::Schedule(ns3::NanoSeconds(t), &OnEvent, i);
    }

  if (warmup) {
    g_run.stop_at = warmup;
    ns3::Simulator::Run();
  }
  g_run.stop_at = warmup + events;
  double t0 = Seconds();
  ns3::Simulator::Run();
  Result r;
  r.seconds = Seconds() - t0;
  r.end_ns = ns3::Simulator::Now().GetNanoSeconds();
  r.check = 0;
  for (size_t i = 0; i < g_run.nlp; i++) r.check += g_run.count[i] * (uint64_t)(i + 1);
  if (g_run.processed != warmup + events) {
    std::fprintf(stderr, "phold_ns3: %s stopped after %" PRIu64 " events, wanted %" PRIu64 "\n",
                 scheduler.c_str(), g_run.processed, warmup + events);
    std::exit(3);
  }
  ns3::Simulator::Destroy();
  return r;
}

void Usage(FILE *f) {
  std::fprintf(f,
               "usage: phold_ns3 [--populations P,P,...] [--warmup N] [--events N] [--seed N]\n"
               "                 [--schedulers S,S,...]\n"
               "PHOLD on ns-3's schedulers, same model and draws as hnsim's bench_phold.\n"
               "  --populations  pending events (10 per process); default 10000,100000,1000000\n"
               "  --warmup       events run before timing; default 1000000\n"
               "  --events       events timed; default 4000000\n"
               "  --seed         master seed of the sim_rng 'phold' stream; default 1\n"
               "  --schedulers   ns-3 scheduler classes; default\n"
               "                 MapScheduler,HeapScheduler,CalendarScheduler,PriorityQueueScheduler\n"
               "                 (ListScheduler is O(n) per insert and left out unless named)\n"
               "Prints per run: ns3 <Scheduler> population=P events=M seconds=S events_per_s=R\n"
               "check=C sim_end_ns=T; then per population the fastest scheduler.\n");
}

bool ParseU64(const char *s, uint64_t *out) {
  if (!s || !*s || *s == '-') return false;
  char *end;
  errno = 0;
  unsigned long long v = std::strtoull(s, &end, 10);
  if (*end || errno) return false;
  *out = v;
  return true;
}

/* Splits a comma- or space-separated list. */
std::vector<std::string> SplitList(const char *s) {
  std::vector<std::string> out;
  std::string cur;
  for (const char *p = s;; p++) {
    if (*p == ',' || *p == ' ' || *p == '\0') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      if (!*p) break;
    } else {
      cur += *p;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char **argv) {
  const char *pops = "10000,100000,1000000";
  const char *scheds = nullptr;
  uint64_t warmup = 1000000, events = 4000000, seed = 1;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    const char *v = nullptr;
    size_t eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      v = argv[i] + eq + 1;
      a.resize(eq);
    } else if (i + 1 < argc && a != "--help" && a != "-h") {
      v = argv[++i];
    }
    bool ok = true;
    if (a == "--help" || a == "-h") {
      Usage(stdout);
      return 0;
    } else if (a == "--populations" && v) {
      pops = v;
    } else if (a == "--schedulers" && v) {
      scheds = v;
    } else if (a == "--warmup" && v) {
      ok = ParseU64(v, &warmup);
    } else if (a == "--events" && v) {
      ok = ParseU64(v, &events) && events > 0;
    } else if (a == "--seed" && v) {
      ok = ParseU64(v, &seed);
    } else {
      std::fprintf(stderr, "phold_ns3: unknown or incomplete option '%s'\n", a.c_str());
      Usage(stderr);
      return 2;
    }
    if (!ok) {
      std::fprintf(stderr, "phold_ns3: %s needs a whole number%s, got '%s'\n", a.c_str(),
                   a == "--events" ? " >= 1" : "", v);
      return 2;
    }
  }

  std::vector<uint64_t> populations;
  for (const std::string &p : SplitList(pops)) {
    uint64_t n;
    if (!ParseU64(p.c_str(), &n) || n < kEventsPerLp || n / kEventsPerLp > UINT32_MAX) {
      std::fprintf(stderr, "phold_ns3: --populations: '%s' is not a whole number >= %" PRIu64 "\n",
                   p.c_str(), kEventsPerLp);
      return 2;
    }
    populations.push_back(n);
  }
  std::vector<std::string> schedulers;
  if (scheds) {
    schedulers = SplitList(scheds);
  } else {
    schedulers = {"MapScheduler", "HeapScheduler", "CalendarScheduler", "PriorityQueueScheduler"};
    std::printf("ns3 note: ListScheduler skipped (O(n) per insert); name it in --schedulers to run it\n");
  }
  for (const std::string &s : schedulers) {
    ns3::TypeId tid;
    if (!ns3::TypeId::LookupByNameFailSafe("ns3::" + s, &tid) ||
        !tid.IsChildOf(ns3::TypeId::LookupByName("ns3::Scheduler"))) {
      std::fprintf(stderr, "phold_ns3: '%s' is not an ns-3 scheduler\n", s.c_str());
      return 2;
    }
  }
  if (schedulers.empty() || populations.empty()) {
    std::fprintf(stderr, "phold_ns3: nothing to run\n");
    return 2;
  }

  int status = 0;
  std::map<uint64_t, std::pair<std::string, double>> best;
  std::map<uint64_t, Result> first;
  for (const std::string &s : schedulers) {
    for (uint64_t p : populations) {
      Result r = RunOnce(s, p, warmup, events, seed);
      double rate = (double)events / r.seconds;
      std::printf("ns3 %s population=%" PRIu64 " events=%" PRIu64 " seconds=%.3f events_per_s=%.0f check=%" PRIu64
                  " sim_end_ns=%" PRId64 "\n",
                  s.c_str(), p, events, r.seconds, rate, r.check, r.end_ns);
      std::fflush(stdout);
      if (!best.count(p) || rate > best[p].second) best[p] = {s, rate};
      if (!first.count(p)) {
        first[p] = r;
      } else if (first[p].check != r.check || first[p].end_ns != r.end_ns) {
        std::fprintf(stderr, "phold_ns3: %s processed different events from %s at population %" PRIu64 "\n",
                     s.c_str(), schedulers[0].c_str(), p);
        status = 3;
      }
    }
  }
  for (uint64_t p : populations)
    std::printf("ns3 best population=%" PRIu64 " scheduler=%s events_per_s=%.0f\n", p, best[p].first.c_str(),
                best[p].second);
  return status;
}
