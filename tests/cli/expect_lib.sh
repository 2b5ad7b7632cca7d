# expect_lib.sh: what the command-line tests share, sourced after they set
# `hnsim` (the binary) and `subcommand` (run, trace, truth, check): a
# scratch folder removed on exit, the counters, and
#   expect CODE ARGS... -- PATTERN...
# which runs `hnsim SUBCOMMAND ARGS` and checks its exit code and that its
# output (stdout and stderr) has every pattern: a fixed string, or an
# extended regular expression when it starts with ~. `bad MESSAGE` counts
# a failure and shows the last output.
#   check DESCRIPTION COMMAND...
# counts a check that COMMAND succeeds, and shows its output when it does not.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

bad() { echo "FAIL: $*"; cat "$work/out" "$work/err"; failures=$((failures + 1)); }

expect() {
  local want=$1; shift
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  "$hnsim" "$subcommand" "${args[@]}" >"$work/out" 2>"$work/err"
  local got=$?
  checks=$((checks + 1))
  if [ "$got" != "$want" ]; then bad "hnsim $subcommand ${args[*]} exited $got, want $want"; return; fi
  for p in "$@"; do
    if [[ $p == "~"* ]]; then
      grep -qE -- "${p#\~}" "$work/out" "$work/err" || { bad "hnsim $subcommand ${args[*]}: no line matching '${p#\~}'"; return; }
    else
      grep -qF -- "$p" "$work/out" "$work/err" || { bad "hnsim $subcommand ${args[*]}: no line with '$p'"; return; }
    fi
  done
}

check() {
  checks=$((checks + 1))
  "${@:2}" >"$work/check.out" 2>&1 || { echo "FAIL: $1"; cat "$work/check.out"; failures=$((failures + 1)); }
}
