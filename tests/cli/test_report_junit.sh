#!/usr/bin/env bash
# test_report_junit.sh: `hnsim report --format junit` as CI reads it: the
# XML of the report fixture (every kind of run: failed, error, passed,
# incomplete) and of a real `hnsim run` with a failing expectation validates
# against tests/corpus/junit/junit.xsd (xmllint), and a failed
# expectation's <failure> body carries its hop trace. Fails, not skips,
# without xmllint: quickstart.sh installs libxml2-utils.
# Usage: test_report_junit.sh HNSIM TEST_RPT_REPORT_DB JUNIT_XSD SCENARIO
set -u
hnsim=$1 fixture_db=$2 xsd=$3 scenario=$4
subcommand=report
. "$(dirname "$0")/expect_lib.sh"


failure_bodies() { # failure_bodies FILE: the text of every <failure> element, tags and all
  awk '/<failure /{on=1} on{print} /<\/failure>/{on=0}' "$1"
}

if ! command -v xmllint >/dev/null; then
  echo "FAIL: xmllint not found (apt-get install libxml2-utils; quickstart.sh test installs it)"
  exit 1
fi

cd "$work"
"$fixture_db" fixture.db >/dev/null || { echo "FAIL: writing the fixture"; exit 1; }
"$hnsim" run --db run.db "$scenario" >/dev/null
[ $? -eq 1 ] || { echo "FAIL: the scenario's expectation should fail (exit 1)"; exit 1; }

expect 0 --db fixture.db --runs 1-4 --format junit -o fixture.xml -- "4 runs written to fixture.xml"
check "the fixture's JUnit XML validates" xmllint --noout --schema "$xsd" fixture.xml
check "one testsuite per run" test "$(grep -c '<testsuite ' fixture.xml)" -eq 4
check "the failed run's suite" \
  grep -qF '<testsuite name="fixture-a [ws2022]" tests="3" failures="1" errors="0"' fixture.xml
check "a run in state error is an errored case" \
  grep -qF "<error message=\"fixture-b.lua:3: attempt to call a nil value (global 'frob')\" type=\"error\">" fixture.xml
check "an incomplete run is an errored case" grep -qF '<error message="the run is incomplete' fixture.xml
failure_bodies fixture.xml >fixture.failures
check "the failure body carries the trace, escaped" \
  grep -qF 'hop 3 node2 vfp ACL drop: rule deny-all &lt;priority 100&gt;</failure>' fixture.failures
check "no wall-clock time" bash -c '! grep -qE "[0-9]{4}-[0-9]{2}-[0-9]{2}T" fixture.xml'

expect 0 --db run.db --runs 1-2 --format junit -o run.xml -- "2 runs written to run.xml"
check "a real run's JUnit XML validates" xmllint --noout --schema "$xsd" run.xml
check "a suite per scenario and profile" \
  grep -qF '<testsuite name="report-two-nodes [ws2022]" tests="1" failures="1"' run.xml
check "the testcase is named by expectation and seq" \
  grep -qF 'classname="report-two-nodes" name="reach node1/pod-a_cbr0 -&gt; node2/pod-c_cbr0 tcp/80 #1"' run.xml
failure_bodies run.xml >run.failures
check "the failure body carries the probe's hop trace" grep -qF 'DROP: no route to 10.244.2.5' run.failures
check "the failure body carries the hop table" grep -qF 'request: 11 hops' run.failures

# The schema does check: a suite without a name, or a count that is not one, is refused.
sed 's/<testsuite name="[^"]*"/<testsuite/' run.xml >unnamed.xml
check "the schema refuses a suite without a name" bash -c "! xmllint --noout --schema '$xsd' unnamed.xml"
sed 's/ failures="1" errors/ failures="one" errors/' run.xml >badcount.xml
check "the schema refuses a count that is not a number" bash -c "! xmllint --noout --schema '$xsd' badcount.xml"

echo "report_junit: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
