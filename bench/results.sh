#!/usr/bin/env bash
# results.sh: the results-database benchmark in one command. Runs
# bench_results (a fresh process per case): the issue's yardstick (a bare
# prepared insert, about 1.5 M rows/s on these machines) first, then a
# run's trace rows (probes, hops, log lines) with real and with the
# shortest strings, then log lines, metric samples and truth-table cells
# alone. Prints the table README's Performance section records: the writer,
# its rate as a multiple of the yardstick measured minutes before (the
# issue's 1 M rows/s is 0.67 of 1.5 M), and bare SQLite on the same rows.
# Options are bench_results's (--rows, --repeat, --dir, ...; see
# bench_results --help) and go to every case, after its own.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
case ${1:-} in
  -h | --help)
    bench_help 11
    exit 0 ;;
esac
bench_build bench_results
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cases=("--kind reference --rows 1000000" "--payload full --rows 1000000" "--payload small --rows 1000000"
       "--kind log --payload full --rows 1000000"
       "--kind metric --rows 1000000" "--kind cells --payload full --rows 1000000")
for c in "${cases[@]}"; do
  # shellcheck disable=SC2086 # each case is a list of options
  echo "results: bench_results $c $*" >&2
  # shellcheck disable=SC2086
  "$build/bench/bench_results" $c "$@" | tee -a "$out" >&2
done

# Lines look like "results phase=P kind=K payload=L rows=N ... rows_per_s=R ...".
awk '
  function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  function rate(r) { return r >= 1e6 ? sprintf("%.2f M/s", r / 1e6) : sprintf("%.0f k/s", r / 1e3) }
  $1 != "results" { next }
  field("kind") == "reference" { ref = field("rows_per_s"); next }
  {
    k = field("kind")
    what = k == "trace" ? sprintf("%s rows: %s probes, %s hops, %s log lines", field("rows"), field("probes"), field("hops"), field("log")) \
                        : sprintf("%s %s rows", field("rows"), k)
    what = what (k == "metric" ? "" : ", " field("payload") " strings")
    key = k "/" field("payload")
    if (!(key in seen)) { seen[key] = 1; order[++n] = key; label[key] = what }
    rps[key, field("phase")] = field("rows_per_s")
    cpu[key, field("phase")] = field("rows_per_cpu_s")
    if (field("phase") == "rpt") fin[key] = field("finish_s")
  }
  END {
    printf("yardstick, a bare prepared insert (bench_results --kind reference): %s\n\n", rate(ref))
    print "| rows | hnsim writer | writer / yardstick (target 0.67) | bare SQLite, same rows | writer / bare | finishing (digest) |"
    print "| --- | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++) {
      key = order[i]; w = rps[key, "rpt"]; b = rps[key, "bare"]
      printf("| %s | %s (%s per CPU s) | %.2f | %s | %s | %s s |\n", label[key], rate(w), rate(cpu[key, "rpt"]),
             w / ref, b == "" ? "-" : rate(b), b == "" ? "-" : sprintf("%.2f", w / b), fin[key])
      if (w / ref < 1e6 / 1.5e6) miss = miss " " key "(" sprintf("%.2f", w / ref) ")"
    }
    if (miss != "") print "results: under 1 M rows/s at the yardstick'"'"'s 1.5 M:" miss > "/dev/stderr"
  }' "$out"
