#!/usr/bin/env bash
# test_cli_compare.sh: `hnsim compare` as a user runs it, on runs of
# scenarios/network-policy.lua made by `hnsim run`: a run and its repeat
# (and one with another seed: other GUIDs and MACs) show no difference,
# even with --fail-on-diff; a copy of the scenario with one ACL port
# changed shows exactly that field, and --fail-on-diff exits 1; every
# format; runs in two databases; a run without snapshots (ws2016); and
# the messages for what is refused.
# Usage: test_cli_compare.sh HNSIM SCENARIOS_DIR
set -u
hnsim=$1 scenarios=$2
subcommand=compare
. "$(dirname "$0")/expect_lib.sh"


cd "$work"
mkdir changed
sed 's/LocalPorts = "81"/LocalPorts = "82"/' "$scenarios/network-policy.lua" >changed/network-policy.lua
check "the copy differs from the scenario" bash -c "! cmp -s '$scenarios/network-policy.lua' changed/network-policy.lua"
run() { "$hnsim" run --db "$1" --profile "$2" "${@:3}" >>runs.log 2>&1; }
run c.db ws2022 "$scenarios/network-policy.lua"          # run 1
run c.db ws2022 "$scenarios/network-policy.lua"          # run 2: the same
run c.db ws2022 --seed 7 "$scenarios/network-policy.lua" # run 3: other GUIDs and MACs
run c.db ws2022 changed/network-policy.lua              # run 4: one ACL port changed (its expectation fails)
run c.db ws2016 "$scenarios/network-policy.lua"          # run 5: no snapshots (no HCN v2 API)
run other.db ws2022 changed/network-policy.lua          # run 1 of another database
check "five runs recorded" grep -qE "^results: .*c\.db \(run 5, suite 5\)" runs.log

same='objects: 3 same, 0 differ, 0 only in A, 0 only in B; truth: 0 agree, 0 differ, 0 only in A, 0 only in B; calls: 7 same, 0 differ, 0 only in A, 0 only in B'
expect 0 --db c.db 1 2 --fail-on-diff -- "A: run 1  network-policy [ws2022]  backend sim" "$same"
check "the summary is the last line" bash -c "tail -n 1 '$work/out' | grep -qxF '$same'"
expect 0 --db c.db 1 3 --fail-on-diff -- "$same"

change='  node1 endpoint pod-b_cbr0: Policies[2].Settings.LocalPorts: "81" -> "82"'
expect 1 --db c.db 1 4 --fail-on-diff -- "$change" "objects: 2 same, 1 differ, 0 only in A, 0 only in B;"
check "exactly one difference is listed" bash -c "[ \$(grep -c '^  node' '$work/out') = 1 ]"
expect 0 --db c.db 1 4 -- "$change"
expect 1 --db c.db --db-b other.db 1 1 --fail-on-diff -- "$change" "B: run 1  network-policy [ws2022]"
expect 0 --db c.db 4 1 -- '  node1 endpoint pod-b_cbr0: Policies[2].Settings.LocalPorts: "82" -> "81"'

expect 0 --db c.db 1 4 --format md -- '| node1 | endpoint | pod-b\_cbr0 | name | `Policies[2].Settings.LocalPorts` | `"81"` | `"82"` |'
expect 0 --db c.db 1 4 --format html -o c.html -- "run 1 and run 4 written to c.html" "objects: 2 same, 1 differ"
check "the HTML page is whole" grep -qF '<td class="mono">Policies[2].Settings.LocalPorts</td><td><code>"81"</code></td>' c.html
check "the HTML page ends" bash -c "tail -n 1 c.html | grep -qxF '</html>'"
expect 0 --db c.db 1 4 --format text -o c.txt -- "written to c.txt"
check "the text file holds the change" grep -qF "$change" c.txt

expect 0 --db c.db 1 5 -- 'run B has no snapshot labelled "end": objects are not compared'
expect 2 --db c.db 1 5 --label end -- "run 5 of 'c.db' has no snapshot labelled 'end'"
expect 2 --db c.db 1 2 --label nope -- "run 1 of 'c.db' has no snapshot labelled 'nope'"
expect 2 --db c.db 1 9 -- "'c.db' has no run 9"
expect 2 --db c.db --db-b other.db 1 2 -- "'other.db' has no run 2"
expect 2 --db missing.db 1 2 -- "results database 'missing.db' does not exist"
check "no database is made at a mistyped path" test ! -e missing.db
expect 2 --db c.db 1 2 --format pdf -- "--format: 'pdf' is not a format compare writes (text, md, html)"
expect 2 --db c.db 1 -- "give two runs, RUN_A and RUN_B"
expect 2 --db c.db 1 2 3 -- "'3': compare takes two runs"
expect 2 --db c.db 1 x -- "'x' is not a run id"
expect 2 --db c.db 0 1 -- "'0' is not a run id"
expect 2 --db c.db 1 2 --frob -- "unknown argument '--frob'"
expect 2 --db c.db 1 2 -o "$work/no/such/dir/c.txt" -- "-o: cannot write"
expect 2 --db c.db 1 2 --label "" -- "--label: the label is empty"
expect 0 --help -- "--fail-on-diff" "--db-b PATH"
subcommand=help expect 0 compare -- "usage: hnsim compare"

echo "cli_compare: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
