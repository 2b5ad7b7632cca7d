#!/usr/bin/env bash
# test_cli_import.sh: `hnsim export` and `hnsim import` as a user runs them.
# Scenario runs (scenarios/service-lb.lua on both its profiles, and a run
# whose end state leaves a stale remote endpoint, tests/cli/stale_remote.lua,
# also run by test_cli_check.sh) are exported as json, hnsdiag and networkhealth; each export is
# imported back as a new run of backend 'real', and `hnsim check --run` on
# it gives the verdict it gives on the original run: the same lines for
# json and hnsdiag, which carry every object's fields and the profile (the
# objects' Version); the same exit status and count for networkhealth,
# which keeps no names and one network, and needs --profile. Then the
# corpus' collectlogs folder, several hosts in one run, labels, and the
# messages of bad input. Usage: test_cli_import.sh PATH-TO-HNSIM SCENARIOS-DIR CORPUS-DIR
set -u
hnsim=$1
scenarios=$2
corpus=$3
subcommand=import
. "$(dirname "$0")/expect_lib.sh"
db=$work/runs.db

"$hnsim" run --db "$db" "$scenarios/service-lb.lua" >"$work/out" 2>&1 || bad "hnsim run service-lb.lua failed"
"$hnsim" run --db "$db" "$(dirname "$0")/stale_remote.lua" >"$work/out" 2>&1 || bad "hnsim run stale_remote.lua failed"

# check's verdict on a run: its exit status, then its lines without the
# first ("check run N, snapshot 'end'").
verdict() {
  "$hnsim" check --db "$db" --run "$1" >"$work/check" 2>&1
  echo "exit $?"
  tail -n +2 "$work/check"
}

# Runs 1 (service-lb, ws2019), 2 (service-lb, ws2022), 3 (stale, ws2022: one violation).
for run_profile in 1:ws2019 2:ws2022 3:ws2022; do
  run=${run_profile%%:*} profile=${run_profile#*:}
  for format in json hnsdiag networkhealth; do
    out=$work/export-$run-$format
    subcommand=export
    expect 0 --db "$db" --run "$run" --format "$format" "$out" -- \
      "exported run $run, snapshot 'end', 2 hosts, as $format, to $out" "host node1: $out/node1/"
    subcommand=import
    as=()
    [ "$format" = networkhealth ] && as=(--profile "$profile")
    expect 0 --db "$db" "${as[@]}" --host node1="$out/node1" --host node2="$out/node2" -- \
      "~^host node1: $profile: " "~^host node2: $profile: " "~^imported run [0-9]+$"
    new=$(sed -n 's/^imported run //p' "$work/out")
    [ -n "$new" ] || continue
    verdict "$run" >"$work/want"
    verdict "$new" >"$work/got"
    if [ "$format" = networkhealth ]; then
      { head -1 "$work/want"; tail -1 "$work/want"; } >"$work/want2" && mv "$work/want2" "$work/want"
      { head -1 "$work/got"; tail -1 "$work/got"; } >"$work/got2" && mv "$work/got2" "$work/got"
    fi
    checks=$((checks + 1))
    diff "$work/want" "$work/got" >"$work/err" || bad "run $run as $format: check on import $new differs"
  done
done
checks=$((checks + 1))
verdict 3 | grep -q "remote-endpoints-live" || bad "run 3's end state should break remote-endpoints-live"

# A real host's collectlogs folder; two hosts in one run with a label and a name.
expect 0 --db "$db" --host winnode1 "$corpus/collectlogs-v1" -- \
  "host winnode1: ws2019: 2 networks, 3 endpoints, 1 load balancer" "~^imported run [0-9]+$"
expect 0 --db "$db" --label before --name "aks-nodes" --profile ws2022 --host a="$corpus/networkhealth" \
  --host b "$corpus/hnsdiag-table-sig-windows-tools-168.txt" -- "host a: ws2022: 1 network, 3 endpoints, 4 load balancers" \
  "host b: ws2022: 2 networks, 11 endpoints, 3 load balancers"
new=$(sed -n 's/^imported run //p' "$work/out")
"$hnsim" check --db "$db" --run "$new" --label before >"$work/check" 2>&1
checks=$((checks + 1))
grep -q "^check run $new, snapshot 'before'" "$work/check" || bad "check --label before on run $new: $(cat "$work/check")"
# what ConvertTo-Json without -Depth cut off is named on stderr, and the file still read
expect 0 --db "$db" --host h "$corpus/policylist-depth2.json" -- \
  "hnsim import: host h: '$corpus/policylist-depth2.json': object 1 (ID 3c89c920-c65a-4c81-a1de-056fe4097e95): 2 values cut off by ConvertTo-Json's -Depth" \
  "host h: ws2019: 0 networks, 0 endpoints, 1 load balancer"

# Bad input: named file and reason; nothing recorded.
last_before=$("$hnsim" check --db "$db" --last 2>&1 | head -1)
expect 2 --db "$db" --host h "$corpus/bad/not-a-dump.txt" -- \
  "hnsim import: host h: '$corpus/bad/not-a-dump.txt': none of the formats hnsim imports" "its first line: 'hello world'"
expect 2 --db "$db" --host h "$corpus/bad/bad-ip.json" -- "object 1 (ID 20c707a8-ac6d-4acb-aef8-8707781a4396)" "IPAddress" "10.244.0"
expect 2 --db "$db" --host h "$corpus/bad/hnscall-error.json" -- "an HNSCall error envelope" "Element not found."
expect 2 --db "$db" --host h "$corpus/bad" -- "a folder with none of the files hnsim reads"
expect 2 --db "$db" --host h "$work/missing" -- "'$work/missing': no such file or folder"
expect 2 --db "$db" --host h "$corpus/hnsdiag-table-sig-windows-tools-168.txt" -- "name its profile (hnsim import --profile"
expect 2 --db "$db" --format json --host h "$corpus/v2-network-single.json" -- "is an HCN v2 network, not json"
checks=$((checks + 1))
[ "$("$hnsim" check --db "$db" --last 2>&1 | head -1)" = "$last_before" ] || bad "a refused import recorded a run"
expect 2 --db "$db" "$corpus/state-ws2019.json" -- "give --host NAME before the files of that host"
expect 2 --db "$db" --host h -- "host h: no file or folder given"
expect 2 --host h= -- "--host 'h=' is not NAME or NAME=PATH"
expect 2 --format xml --host h x -- "--format: 'xml' is not a format"
expect 2 --profile nt4 --host h x -- "unknown profile 'nt4'"
expect 2 -- "give --host NAME and the host's files or folders"
expect 0 --help -- "usage: hnsim import"

subcommand=export
expect 2 --db "$db" --run 99 --format json "$work/x" -- "has no run with that id"
expect 2 --db "$db" --run 1 --format v2 "$work/x" -- "--format: 'v2' is not json, hnsdiag or networkhealth"
expect 2 --db "$db" --run 1 --label nope --format json "$work/x" -- "run 1 has no snapshot labelled 'nope'"
expect 2 --db "$db" --format json "$work/x" -- "give --run ID (or --last), --format and the folder DIR"
expect 0 --db "$db" --last --format hnsdiag "$work/last" -- "~^exported run [0-9]+, snapshot 'end', 1 host, as hnsdiag"
expect 0 --help -- "usage: hnsim export"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
