#!/bin/bash
# test_cni_samples_embedded.sh HNSIM CORPUS_DIR SCENARIO: lua/cni/samples.lua
# (the CNI samples as scenarios see them, tests/cni/gen_samples_lua.py) gives
# every file of the corpus byte for byte, and no other.
set -u
hnsim=$1 corpus=$2 scenario=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$hnsim" run -v --db "$tmp/run.db" "$scenario" >"$tmp/out" 2>&1; then
  cat "$tmp/out"
  echo "FAIL: hnsim run $scenario"
  exit 1
fi
fail=0
count=0
for f in "$corpus"/*.conf; do
  name=$(basename "$f")
  want="sample $name $(stat -c %s "$f") $(od -An -tx1 -v "$f" | tr -d ' \n')"
  if ! grep -qxF -- "$want" <(sed -n 's/^ *[^ ]*: \(sample .*\)$/\1/p' "$tmp/out"); then
    echo "FAIL: $name: lua/cni/samples.lua differs from the corpus (run tests/cni/gen_samples_lua.py)"
    fail=1
  fi
  count=$((count + 1))
done
embedded=$(grep -c ': sample ' "$tmp/out")
if [ "$embedded" != "$count" ]; then
  echo "FAIL: lua/cni/samples.lua has $embedded samples, the corpus $count"
  fail=1
fi
[ $fail = 0 ] && echo "PASS: $count samples embedded byte for byte"
exit $fail
