#!/usr/bin/env bash
# hnsmock.sh: the HCN API benchmark in one command. Runs bench_hnsmock once
# per population (a fresh process each, so that the memory per endpoint is
# measured on a fresh heap), checks that every phase of the issue-3 target
# reaches 200 000 calls/s at 10 000 endpoints, and prints the table README's
# Performance section records. Options: --populations N,N,... (default
# 1000,10000,100000), --calls N, --repeat N, --seed N (see bench_hnsmock --help).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
pops=1000,10000,100000
args=()
while (($#)); do
  case $1 in
    -h | --help)
      bench_help 7
      exit 0 ;;
    --populations) pops=${2:?--populations needs a list}; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
bench_build bench_hnsmock
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for p in ${pops//,/ }; do
  echo "hnsmock: $p endpoints ..." >&2
  "$build/bench/bench_hnsmock" --populations "$p" ${args[@]+"${args[@]}"} | tee -a "$out" >&2
done

# Lines look like "hnsmock population=P phase=X ... calls_per_s=R ns_per_call=T ..."
# and, once per population, "hnsmock population=P check=C ... peak_rss_kb=K".
awk '
  function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  function cell(r) { return sprintf("%.0f k/s (%.2f µs)", r / 1e3, 1e6 / r) }
  $1 == "hnsmock" && field("phase") != "" {
    p = field("population"); ph = field("phase")
    if (!(p in seenp)) { seenp[p] = 1; pops[++np] = p }
    if (!(ph in seenph)) { seenph[ph] = 1; phases[++nph] = ph }
    rate[p, ph] = field("calls_per_s")
  }
  $1 == "hnsmock" && field("check") != "" {
    p = field("population")
    mem[p] = sprintf("%s B/endpoint heap, %s B RSS; peak RSS %.1f MB; check %s", field("heap_bytes_per_endpoint"),
                     field("rss_bytes_per_endpoint"), field("peak_rss_kb") / 1024, field("check"))
  }
  END {
    head = "| phase |"; rule = "| --- |"
    for (i = 1; i <= np; i++) { head = head " " pops[i] " endpoints |"; rule = rule " ---: |" }
    print head; print rule
    for (j = 1; j <= nph; j++) {
      line = "| " phases[j] " |"
      for (i = 1; i <= np; i++) line = line " " cell(rate[pops[i], phases[j]]) " |"
      print line
      if ((10000, phases[j]) in rate && rate[10000, phases[j]] + 0 < 200000) miss = miss " " phases[j]
    }
    print ""
    for (i = 1; i <= np; i++) print pops[i] " endpoints: " mem[pops[i]]
    if (miss != "") print "hnsmock: below 200 000 calls/s at 10 000 endpoints:" miss > "/dev/stderr"
  }' "$out"
