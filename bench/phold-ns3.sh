#!/usr/bin/env bash
# phold-ns3.sh: builds and runs bench/ns3/phold_ns3.cc, PHOLD on ns-3's
# schedulers (the peer bench_phold's numbers are compared with).
# Owns only that build: C parts of sim/ (the RNG) with the flags the engine
# uses, the C++ driver with -O2, linked against the installed ns-3 core.
# Skips with exit status 0 when ns-3 is not installed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HNSIM_BENCH_BUILD:-$root/build/bench-ns3}
CC=${CC:-gcc}
CXX=${CXX:-g++}

usage() {
  cat <<EOF
usage: bench/phold-ns3.sh [options passed to phold_ns3]
Builds PHOLD on ns-3 (bench/ns3/phold_ns3.cc) into \$HNSIM_BENCH_BUILD
(now: $build) with -O2 and runs it. The model and random draws are those of
hnsim's bench_phold, so the check values of the two must agree.
Options (passed through):
  --populations P,P,...  pending events (10 per process); default 10000,100000,1000000
  --warmup N             events run before timing; default 1000000
  --events N             events timed; default 4000000
  --seed N               master seed of the sim_rng 'phold' stream; default 1
  --schedulers S,S,...   ns-3 scheduler classes; default MapScheduler,HeapScheduler,
                         CalendarScheduler,PriorityQueueScheduler (ListScheduler only if named)
Environment: HNSIM_BENCH_BUILD (build folder), CC, CXX.
Needs ns-3's development files (Debian: apt-get install libns3-dev); without
them the script says so and exits 0.
EOF
}
for a in "$@"; do
  if [[ $a == --help || $a == -h ]]; then usage; exit 0; fi
done

# Find ns-3's core module: pkg-config under the names ns-3's CMake (ns3-core)
# and older waf builds (libns3.NN-core[-profile]) install, else bare headers.
pc=""
if command -v pkg-config >/dev/null 2>&1; then
  if pkg-config --exists ns3-core 2>/dev/null; then
    pc=ns3-core
  else
    pc=$(pkg-config --list-all 2>/dev/null | awk '{print $1}' |
      grep -E '^(lib)?ns3(\.[0-9.]+)?-core(-[a-z]+)?$' | head -n1 || true)
  fi
fi
cflags=() libs=()
if [[ -n $pc ]]; then
  # Debian 12's ns3-core.pc carries a stray "-I/usr;" and names libgsl.so
  # files that exist only with libgsl-dev: keep include folders that exist,
  # -L/-l flags, and library paths that exist (libns3-core already needs gsl).
  for t in $(pkg-config --cflags "$pc"); do
    [[ $t == -I* && -d ${t#-I} ]] && cflags+=("$t")
  done
  for t in $(pkg-config --libs "$pc"); do
    if [[ $t == -L* || $t == -l* ]]; then libs+=("$t")
    elif [[ $t == /* && -e $t ]]; then libs+=("$t")
    fi
  done
elif [[ -f /usr/include/ns3/simulator.h || -f /usr/local/include/ns3/simulator.h ]]; then
  [[ -f /usr/local/include/ns3/simulator.h ]] && cflags+=(-I/usr/local/include) libs+=(-L/usr/local/lib)
  libs+=(-lns3-core)
else
  echo "phold-ns3: ns-3 is not installed (apt-get install libns3-dev); skipping the ns-3 peer"
  exit 0
fi

mkdir -p "$build"
bin=$build/phold_ns3
srcs=("$root/bench/ns3/phold_ns3.cc" "$root/sim/sim_rng.c" "$root/sim/sim_math.c"
  "$root/sim/sim_status.c" "$root/sim/sim_rng.h" "$root/sim/sim_math.h" "$root/sim/sim_status.h"
  "${BASH_SOURCE[0]}")
stale=0
[[ -x $bin ]] || stale=1
for s in "${srcs[@]}"; do [[ $s -nt $bin ]] && stale=1; done
if ((stale)); then
  for c in sim_rng sim_math sim_status; do
    "$CC" -O2 -std=c11 -ffp-contract=off -D_POSIX_C_SOURCE=200809L -I"$root/sim" \
      -c "$root/sim/$c.c" -o "$build/$c.o"
  done
  "$CXX" -O2 -std=c++17 "${cflags[@]}" -I"$root/sim" -c "$root/bench/ns3/phold_ns3.cc" \
    -o "$build/phold_ns3.o"
  "$CXX" -o "$bin" "$build/phold_ns3.o" "$build"/sim_rng.o "$build"/sim_math.o \
    "$build"/sim_status.o "${libs[@]}" -lm
fi
exec "$bin" "$@"
