#!/usr/bin/env bash
# test_report_cli.sh: `hnsim report` as a user runs it: which runs a command
# line names (--run, --runs, --suite, --last: the last suite, the default),
# every format written, and
# messages that name the bad flag and value.
# Usage: test_report_cli.sh HNSIM TEST_RPT_REPORT_DB
set -u
hnsim=$1 fixture_db=$2
subcommand=report
. "$(dirname "$0")/expect_lib.sh"


cd "$work"
"$fixture_db" f.db >/dev/null || { echo "FAIL: writing the fixture"; exit 1; }

for format in md html junit json; do
  expect 0 --db f.db --runs 1-4 --format $format -o all.$format -- "4 runs written to all.$format"
  check "the $format report is not empty" test -s all.$format
done
check "the HTML page is one document" grep -qF '<h1>hnsim report: 4 runs</h1>' all.html
check "the JSON document" grep -qF '{"format":"hnsim-report","version":1,"runs":[' all.json
check "JUnit XML" grep -qF '<testsuites name="hnsim" tests="7" failures="1" errors="2"' all.junit

expect 0 --db f.db --run 3 --run 1 --run 3 -- "# hnsim report: 2 runs" "~^\| 3 \| fixture-c .*" "## hnsim run 1: fixture-a"
check "runs come in the order named, each once" \
  bash -c "grep -n '^| [0-9] | fixture' '$work/out' | cut -d'|' -f2 | tr -d ' \n' | grep -qx 31"
expect 0 --db f.db --runs 2-3 --run 1 --format junit -- '<testsuite name="fixture-b [ws2019]"' '<testsuite name="fixture-a [ws2022]"'
expect 0 --db f.db --last -- "# hnsim run 4: fixture-d" "**incomplete**"
expect 0 --db f.db -- "# hnsim run 4: fixture-d"
expect 0 --db f.db --run 2 --format html -- "<title>hnsim: fixture-b [ws2019]</title>"
expect 0 --db f.db --run 1 -o one.md -- "run 1 written to one.md"

# Suites: --last is every run the last `hnsim run` made; --suite N one of them.
"$hnsim" run --db s.db builtin:smoke >/dev/null
"$hnsim" run --db s.db --seed 3 builtin:smoke builtin:smoke >/dev/null
expect 0 --db s.db --format junit -- '<testsuites name="hnsim" tests="10"' '<property name="run" value="2"/>' \
  '<property name="run" value="3"/>'
expect 0 --db s.db --suite 1 --format junit -- '<testsuites name="hnsim" tests="5"'
expect 2 --db s.db --suite 3 -- "'s.db' has no suite 3"
expect 2 --db s.db --suite 1 --last -- "--last, --suite and --run/--runs name runs in different ways"

expect 2 --db f.db --runs 3-1 -- "--runs: '3-1' is not a range of run ids FROM-TO"
expect 2 --db f.db --runs 1- -- "--runs: '1-' is not a range"
expect 2 --db f.db --runs 0-2 -- "--runs: '0-2' is not a range"
expect 2 --db f.db --runs 1-9 -- "'f.db' has no run 5"
expect 2 --db f.db --run 9 -- "'f.db' has no run 9"
expect 2 --db f.db --run x -- "--run: 'x' is not a run id"
expect 2 --db f.db --last --run 1 -- "--last, --suite and --run/--runs name runs in different ways"
expect 2 --db f.db --format pdf -- "--format: 'pdf' is not a format this build writes (md, html, junit, json)"
expect 2 --db f.db -o "$work/no/such/dir/r.md" -- "-o: cannot write"
expect 2 --db empty.db -- "has no runs yet"
expect 2 --db f.db --frob -- "unknown argument '--frob'"
expect 0 --help -- "--runs FROM-TO" "md (Markdown, the default), html"
check "a refused report writes no file" test ! -e "$work/no"

echo "report_cli: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
