#!/usr/bin/env bash
# phold.sh: the engine benchmark in one command. Runs PHOLD on hnsim's engine
# and on a plain binary heap (bench_phold), then on ns-3's schedulers
# (phold-ns3.sh, skipped when ns-3 is absent), checks that all processed the
# same events, and prints the table README's Performance section records.
# Arguments are passed to both (--populations, --warmup, --events, --seed).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
for a in "$@"; do
  if [[ $a == -h || $a == --help ]]; then
    bench_help 6
    exit 0
  fi
done
bench_build bench_phold
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "phold: hnsim engine and binary heap ..." >&2
"$build/bench/bench_phold" "$@" | tee -a "$out" >&2
echo "phold: ns-3 (a few minutes: CalendarScheduler is slow at 1M) ..." >&2
"$root/bench/phold-ns3.sh" "$@" | tee -a "$out" >&2

# Lines look like "<impl> ... population=P ... events_per_s=R check=C sim_end_ns=T".
awk '
  function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  $1 == "engine"      { p = field("population"); eng[p] = field("events_per_s"); echk[p] = field("check") field("sim_end_ns"); order[++n] = p }
  $1 == "binary-heap" { p = field("population"); heap[p] = field("events_per_s") }
  $1 == "ns3" && $2 != "best" && $2 != "note:" {
    p = field("population"); r = field("events_per_s") + 0
    if (field("check") field("sim_end_ns") != echk[p]) bad = bad " " $2 "@" p
    if (r > best[p]) { best[p] = r; bestname[p] = $2 }
  }
  END {
    print "| pending events | hnsim engine | plain binary heap | ns-3 best scheduler | engine / heap | engine / ns-3 |"
    print "| ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++) {
      p = order[i]
      ns = best[p] ? sprintf("%.2f M (%s)", best[p] / 1e6, bestname[p]) : "not installed"
      rn = best[p] ? sprintf("%.2f", eng[p] / best[p]) : "-"
      printf "| %d | %.2f M/s | %.2f M/s | %s | %.2f | %s |\n", p, eng[p] / 1e6, heap[p] / 1e6, ns, eng[p] / heap[p], rn
    }
    if (bad != "") { print "phold: ns-3 processed different events than hnsim:" bad > "/dev/stderr"; exit 3 }
  }' "$out"
