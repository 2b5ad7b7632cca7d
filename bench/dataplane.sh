#!/usr/bin/env bash
# dataplane.sh: the data-plane benchmark in one command. Runs bench_dataplane
# once (a fresh process, so that the memory per endpoint is measured on a
# fresh heap), checks the issue-4 targets it can (a 1 000 x 1 000 pod truth
# table in at most 2 s; every cell delivered as expected), and prints the
# table README's Performance section records. Options are bench_dataplane's
# (--hosts, --pods, --probes, --repeat, --endpoints, --lbs, --backends,
# --rules, --seed; see bench_dataplane --help).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
case ${1:-} in
  -h | --help)
    bench_help 8
    exit 0 ;;
esac
bench_build bench_dataplane
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "dataplane: bench_dataplane $*" >&2
"$build/bench/bench_dataplane" "$@" | tee "$out" >&2

# Lines look like "dataplane phase=X key=value ...".
awk '
  function field(name,   i) { for (i = 1; i <= NF; i++) if (index($i, name "=") == 1) return substr($i, length(name) + 2); return "" }
  function rate(r) { return r >= 1e6 ? sprintf("%.2f M/s", r / 1e6) : sprintf("%.0f k/s", r / 1e3) }
  $1 != "dataplane" { next }
  field("phase") == "truth_table" {
    tt = sprintf("| %s x %s pod truth table (%s hosts), seconds to fill | %.3f s (%s; %s correct, %s wrong, %s unexpected pass) | <= 2 s |",
                 field("pods"), field("pods"), field("hosts"), field("seconds"), rate(field("probes_per_s")),
                 field("correct"), field("wrong"), field("unexpected_pass"))
    if (field("seconds") + 0 > 2) miss = miss " truth_table(" field("seconds") " s)"
    if (field("wrong") + field("unexpected_pass") > 0) miss = miss " truth_table(cells not as expected)"
  }
  field("phase") == "probes" {
    pr[field("trace")] = sprintf("| probes between pods on different hosts, trace %s | %s (%.0f ns/probe) | |",
                                 field("trace"), rate(field("probes_per_s")), field("ns_per_probe"))
    chk[field("trace")] = field("check")
  }
  field("phase") == "memory" {
    mem = sprintf("| memory per endpoint (%s pods: compartment, endpoint, route) | %s B heap, %s B RSS | |",
                  field("endpoints"), field("heap_bytes_per_endpoint"), field("rss_bytes_per_endpoint"))
  }
  field("phase") == "memory_lb" {
    lb = sprintf("| memory per load balancer (%s LBs x %s backends, sim_lb table) | %s B heap | |",
                 field("lbs"), field("backends"), field("heap_bytes_per_lb"))
  }
  field("phase") == "policy" {
    pol = sprintf("| probes pod -> VIP, %s LBs x %s backends, %s ACL rules on the port | %s (%.0f ns/probe; %s B heap per LB) | >= 1 M/s |",
                  field("lbs"), field("backends"), field("rules"), rate(field("probes_per_s")), field("ns_per_probe"),
                  field("heap_bytes_per_lb"))
    if (field("probes_per_s") + 0 < 1e6) miss = miss " policy(" field("probes_per_s") "/s)"
    if (field("delivered") != field("probes")) miss = miss " policy(" field("delivered") " of " field("probes") " delivered)"
  }
  END {
    print "| measure | result | target |"
    print "| --- | ---: | ---: |"
    print tt; print pr["off"]; print pr["on"]; print mem; print lb
    print pol
    if (chk["off"] != chk["on"]) print "dataplane: probes with and without a trace disagree" > "/dev/stderr"
    if (miss != "") print "dataplane: target missed:" miss > "/dev/stderr"
  }' "$out"
