#!/usr/bin/env bash
# results.sh: the results-database benchmark in one command. Runs
# bench_results (a fresh process per payload) with full trace strings and
# with the shortest ones, prints the table README's Performance section
# records, and says whether the writer reaches the issue's target of
# 1 000 000 rows/s. Options are bench_results's (--rows, --hops, --repeat,
# --dir, --phase; see bench_results --help); --payload is set here.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HNSIM_BUILD:-$root/build}
case ${1:-} in
  -h | --help)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    echo "Environment: HNSIM_BUILD (the Release build tree, default build/)."
    exit 0 ;;
esac
if [[ ! -x $build/bench/bench_results ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target bench_results -j "$(nproc)" >/dev/null
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for payload in full small; do
  echo "results: bench_results --payload $payload $*" >&2
  "$build/bench/bench_results" --payload "$payload" "$@" | tee -a "$out" >&2
done

# Lines look like "results phase=P payload=L rows=N ... rows_per_s=R ...".
awk '
  function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  function rate(r) { return r >= 1e6 ? sprintf("%.2f M/s", r / 1e6) : sprintf("%.0f k/s", r / 1e3) }
  $1 != "results" { next }
  {
    what = field("phase") == "rpt" ? "hnsim writer (checks, numbering, queue, one transaction)" \
                                   : "bare SQLite, same rows and schema, one transaction"
    line = sprintf("| %s rows (%s probes, %s hops, %s log lines), %s strings: %s | %s (%s per CPU s) |",
                   field("rows"), field("probes"), field("hops"), field("log"), field("payload"), what,
                   rate(field("rows_per_s")), rate(field("rows_per_cpu_s")))
    if (field("phase") == "rpt") {
      line = line sprintf(" >= 1 M/s |")
      fin[++nf] = sprintf("| finishing the %s-strings run (digest of every row, commit) | %s s (%s with it) | |",
                          field("payload"), field("finish_s"), rate(field("with_finish_rows_per_s")))
      if (field("rows_per_s") + 0 < 1e6) miss = miss " " field("payload") "(" rate(field("rows_per_s")) ")"
    } else line = line " |"
    rows[++n] = line
  }
  END {
    print "| measure | result | target |"
    print "| --- | ---: | ---: |"
    for (i = 1; i <= n; i++) print rows[i]
    for (i = 1; i <= nf; i++) print fin[i]
    if (miss != "") print "results: target missed:" miss > "/dev/stderr"
  }' "$out"
