#!/usr/bin/env bash
# test_cli_check.sh: `hnsim check` as a user runs it: every invariant holds
# on the built-in topologies; saved host states give the same answer as the
# live hosts; a state where node2's pod is gone leaves node1's remote
# endpoint stale, reported with exit 1; one check at a time; a recorded
# run's snapshots; the messages of bad input. Usage: test_cli_check.sh PATH-TO-HNSIM
set -u
hnsim=$1
subcommand=check
. "$(dirname "$0")/expect_lib.sh"

for t in one-host acs-udr overlay nat-internet service-vip network-policy; do
  expect 0 "$t" -- "~^check $t \(profile [a-z0-9-]+, seed 1\)$" "~^10 checks over [12] hosts: 0 violations$"
done

# Saved states: the same answer; then node2 without its pod: node1's remote
# endpoint for it is stale (pain point: stale remote endpoints after churn).
mkdir "$work/st"
expect 0 --save-state "$work/st" service-vip -- "10 checks over 2 hosts: 0 violations"
expect 0 --state node1="$work/st/node1.json" --state node2="$work/st/node2.json" -- "10 checks over 2 hosts: 0 violations"
echo '{"Profile":"ws2019","Networks":[],"Endpoints":[],"LoadBalancers":[]}' >"$work/st/empty.json"
expect 1 --state node1="$work/st/node1.json" --state node2="$work/st/empty.json" -- \
  "~^node1 endpoint [0-9A-F-]{36}: remote-endpoints-live: remote endpoint .*'remote-10.244.2.5' \(10.244.2.5\).*the pod it stood for is gone$" \
  "10 checks over 2 hosts: 1 violations"
expect 0 --check dns-vip-both-protocols --state node1="$work/st/node1.json" --state node2="$work/st/empty.json" -- \
  "1 checks over 2 hosts: 0 violations"

# A recorded run: its snapshots. Before node2's pod is deleted every
# invariant holds; at the end node1 keeps a remote endpoint for it
# (kubernetes#135144's aftermath, without kube-proxy's next sync).
"$hnsim" run --db "$work/runs.db" "$(dirname "$0")/stale_remote.lua" >/dev/null 2>&1
expect 0 --db "$work/runs.db" --last --label before -- "check run 1, snapshot 'before'" "10 checks over 2 hosts: 0 violations"
expect 1 --db "$work/runs.db" --run 1 -- "check run 1, snapshot 'end'" \
  "~^node1 endpoint [0-9A-F-]{36}: remote-endpoints-live: remote endpoint .*\(10.244.2.6\).*the pod it stood for is gone$" \
  "10 checks over 2 hosts: 1 violations"
expect 2 --db "$work/runs.db" --run 1 --label nope -- "run 1 has no snapshot labelled 'nope'"
expect 2 --db "$work/runs.db" --run 7 -- "has no run with that id"
expect 2 --run x -- "--run: 'x' is not a run id"
expect 2 --label end one-host -- "--label goes with --run"

# The catalogue, and bad input.
expect 0 --list -- "~^lb-endpoints-exist +every endpoint" "~^remote-endpoints-live " "~source: networkhealth.ps1"
expect 2 -- "give one of a TOPOLOGY, --state HOST=FILE or --run ID"
expect 2 --check nope one-host -- "--check: no check 'nope' (hnsim check --list)"
expect 2 nowhere -- "unknown topology 'nowhere'"
expect 2 --state node1 -- "--state 'node1' is not HOST=FILE"
expect 2 --state node1="$work/missing.json" -- "--state: cannot read '$work/missing.json'"
echo '{"Profile":' >"$work/st/broken.json"
expect 2 --state node1="$work/st/broken.json" -- "hnsim check: "
expect 2 --profile ws2016 service-vip -- "ERROR_MOD_NOT_FOUND"
expect 0 --help -- "usage: hnsim check"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
