#!/usr/bin/env bash
# test_report_html.sh: `hnsim report --format html` opened in a browser.
# The pages of the report fixture (every kind of row and run) and of a real
# `hnsim run` with a failing expectation must be self-contained (no script,
# nothing fetched: no URL, no external resource), and headless Chromium must
# render each (the screenshot is the window's size, not blank, and shows the
# style sheet's colours) without a console message. Fails, not skips,
# without Chromium: quickstart.sh installs it.
# Usage: test_report_html.sh HNSIM TEST_RPT_REPORT_DB TEST_RPT_REPORT_PNG SCENARIO
set -u
hnsim=$1 fixture_db=$2 png_check=$3 scenario=$4
subcommand=report
. "$(dirname "$0")/expect_lib.sh"


chromium=$(command -v chromium || command -v chromium-browser) || {
  echo "FAIL: chromium not found (apt-get install chromium; quickstart.sh test installs it)"
  exit 1
}

# Colours of the style sheet (reports/rpt_html.c) each page must show: the
# failed state's badge and the table headers' background; the fixture's
# page also the passed state's badge (the real run has no passed run).
declare -A colours=([fixture.html]="ffcdd2 eceff1 c8e6c9" [run.html]="ffcdd2 eceff1")

# render PAGE: a screenshot of PAGE (1200 x 2000) in PAGE.png and Chromium's
# log in PAGE.log; console messages (script errors among them) are logged
# as ":CONSOLE" lines.
render() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 --window-size=1200,2000 --screenshot="$work/$1.png" "file://$work/$1" \
    >"$work/$1.log" 2>&1
}

self_contained() { # self_contained PAGE: nothing in it can run or fetch
  ! grep -nE '<script|<link|<iframe|<object|<embed|<img|src=|url\(|@import|https?:' "$1"
}

cd "$work"
"$fixture_db" fixture.db >/dev/null || { echo "FAIL: writing the fixture"; exit 1; }
"$hnsim" run --db run.db "$scenario" >/dev/null
[ $? -eq 1 ] || { echo "FAIL: the scenario's expectation should fail (exit 1)"; exit 1; }
expect 0 --db fixture.db --runs 1-4 --format html -o fixture.html -- "4 runs written to fixture.html"
expect 0 --db run.db --runs 1-2 --format html -o run.html -- "2 runs written to run.html"
check "the run's page shows the failed expectation's trace" grep -qF 'DROP: no route to 10.244.2.5' run.html
check "the run's page draws both hosts" grep -qF '>node2</text>' run.html

for page in fixture.html run.html; do
  check "$page is self-contained" self_contained $page
  check "Chromium renders $page" render $page
  check "$page logs no console message" bash -c "! grep -E ':CONSOLE|Uncaught' '$work/$page.log'"
  check "$page's screenshot is a rendered page" "$png_check" $page.png 1200 2000 ${colours[$page]}
done

echo "report_html: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
