#!/usr/bin/env bash
# test_cli_run.sh: the hnsim command as a user runs it: exit codes, messages
# that name the bad flag and value, the results database, equal digests for
# equal seeds, and the report. Usage: test_cli_run.sh PATH-TO-HNSIM
set -u
hnsim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

check() { # check DESCRIPTION COMMAND...: the command must succeed
  checks=$((checks + 1))
  if ! "${@:2}"; then
    echo "FAIL: $1"
    failures=$((failures + 1))
  fi
}

expect_exit() { # expect_exit CODE PATTERN ARGS...: exit code and a stderr/stdout line
  local want=$1 pattern=$2; shift 2
  "$hnsim" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  checks=$((checks + 1))
  if [ "$got" != "$want" ]; then
    echo "FAIL: hnsim $* exited $got, want $want"; cat "$work/err"; failures=$((failures + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$work/out" "$work/err"; then
    echo "FAIL: hnsim $*: no line with '$pattern'"; cat "$work/out" "$work/err"; failures=$((failures + 1))
  fi
}

digest_of() { # digest_of DB RUN: the full digest from the report
  "$hnsim" report --db "$1" --run "$2" | sed -n 's/^| digest (SHA-256) | `\([0-9a-f]*\)` |$/\1/p'
}

cd "$work"
expect_exit 0 "hnsim 0." version
expect_exit 0 "commands:" help
expect_exit 0 "--seed N" help run
expect_exit 2 "" 
expect_exit 2 "unknown command 'frobnicate'" frobnicate
expect_exit 2 "--seed: 'abc' is not a whole number" run --seed abc
expect_exit 2 "--seed: '-1' is not a whole number" run --seed -1
expect_exit 2 "--seed: '9223372036854775808' is not a whole number" run --seed 9223372036854775808
expect_exit 2 "--profile: unknown profile 'ws1999' (known: ws2016 1709 1803 ws2019-rtm ws2019 ws2022 ws2025)" run --profile ws1999
expect_exit 0 "ws2019-rtm" help run
expect_exit 2 "--backend: 'vmware' is not a backend" run --backend vmware
expect_exit 2 "only in the Windows build" run --backend hcn
expect_exit 2 "--db needs a value" run --db
expect_exit 2 "unknown option '--frob'" run --frob
expect_exit 2 "'missing.lua': no such file or folder" run missing.lua
expect_exit 2 "unknown built-in scenario 'builtin:nope'" run builtin:nope
mkdir empty && expect_exit 2 "no scenario files" run empty
echo 'not a scenario' > notes.txt && expect_exit 2 "'notes.txt' is not a scenario file" run notes.txt
echo 'garbage that is not sqlite, long enough to fill a header page......' > bad.db
expect_exit 2 "results database 'bad.db'" run --db bad.db
check "nothing was written for rejected runs" test ! -e hnsim-results.db

expect_exit 0 "builtin:smoke" run --list
expect_exit 0 "PASS   builtin:smoke" run --db a.db --seed 7
expect_exit 0 "results: $work/a.db (run 2, suite 2)" run --db a.db --seed 7 builtin:smoke
expect_exit 0 "summary: 1 passed, 0 failed, 0 errors" run --db b.db --seed 7
expect_exit 0 "" run --db a.db --seed 8
expect_exit 0 "" run --db b.db --seed 7 --profile ws2019
d1=$(digest_of a.db 1); d2=$(digest_of a.db 2); d3=$(digest_of b.db 1); d4=$(digest_of a.db 3); d5=$(digest_of b.db 2)
check "a digest is 64 hex digits" test ${#d1} -eq 64
check "same seed, same database: same digest" test "$d1" = "$d2"
check "same seed, another database file: same digest" test "$d1" = "$d3"
check "another seed: another digest" test "$d1" != "$d4"
check "another profile is another result: another digest" test "$d1" != "$d5"
check "default database in the working folder" test ! -e hnsim-results.db

expect_exit 0 "" run --seed 7
check "the default database is hnsim-results.db" test -s hnsim-results.db
expect_exit 0 "written to r.md" report --db a.db --run 2 -o r.md
check "the report names its run" grep -q "^# hnsim run 2: builtin:smoke" r.md
check "the report shows the state" grep -q "| state | \*\*passed\*\* |" r.md
check "the report lists the expectations" grep -q "every delivery cancelled its own timer" r.md
expect_exit 0 "# hnsim run 3" report --db a.db --last
expect_exit 2 "has no run 99" report --db a.db --run 99
expect_exit 2 "--run: 'x' is not a run id" report --db a.db --run x
expect_exit 2 "--format: 'pdf'" report --db a.db --format pdf
expect_exit 2 "has no runs yet" report --db fresh.db

echo "cli: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
