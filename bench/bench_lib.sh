# bench_lib.sh: what the bench/*.sh scripts share; sourced, not run. Sets
# root (the project) and build (the Release build tree: HNSIM_BUILD, default
# build/), and gives bench_help (a script's --help: its header comment) and
# bench_build (a benchmark binary built when it is missing).
# shellcheck shell=bash
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HNSIM_BUILD:-$root/build}

# bench_help LAST: lines 2 .. LAST of the running script, without their
# "# ", then the environment it reads.
bench_help() {
  sed -n "2,${1}p" "$0" | sed 's/^# \{0,1\}//'
  echo "Environment: HNSIM_BUILD (the Release build tree, default build/)."
}

# bench_build TARGET: configures the Release tree and builds bench/TARGET
# in it, unless that binary is there already.
bench_build() {
  if [[ ! -x $build/bench/$1 ]]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" --target "$1" -j "$(nproc)" >/dev/null
  fi
}
