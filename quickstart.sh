#!/usr/bin/env bash
# quickstart.sh: the two things a newcomer (and CI) does, each from a fresh
# Debian 12 with only git: install what is missing, configure, build, then
#   ./quickstart.sh run    run the scenario suite on the simulated backend and
#                          write its reports (HTML, Markdown, JUnit XML)
#   ./quickstart.sh test   run the whole test suite: unit and scenario tests,
#                          plus the same tests built with ASan and UBSan
# Idempotent: packages already installed and trees already configured are
# reused. Runs as root, or through sudo when it is present.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

packages=(build-essential cmake pkg-config libsqlite3-dev libcjson-dev liblua5.4-dev libcmocka-dev)
# The tests also build tests/windows/ as a real Windows program.
test_packages=(gcc-mingw-w64-x86-64-win32 tshark chromium libxml2-utils)

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
}

install_missing() { # install_missing PACKAGE...
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "quickstart: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "quickstart: need root (or sudo) to install ${missing[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  # tshark's wireshark-common asks whether non-root users may capture; sudo
  # drops DEBIAN_FRONTEND, so answer no (its default) before apt-get runs.
  if [[ " ${missing[*]} " == *" tshark "* ]]; then
    echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo[@]}" debconf-set-selections
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

jobs=$(nproc 2>/dev/null || echo 2)

build_tree() { # build_tree DIR CMAKE-ARGS...
  local dir=$1; shift
  cmake -S "$root" -B "$dir" -DHNSIM_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" >/dev/null
}

case "${1:-}" in
run)
  install_missing "${packages[@]}"
  build_tree build -DCMAKE_BUILD_TYPE=Release
  mkdir -p results
  status=0
  build/cli/hnsim run --db results/hnsim-results.db builtin:smoke scenarios/ || status=$?
  [ "$status" -le 1 ] || exit "$status"
  # --last: every run of the command above (one suite).
  for f in html:report.html junit:junit.xml md:report.md; do
    build/cli/hnsim report --db results/hnsim-results.db --last --format "${f%%:*}" -o "results/${f#*:}" 2>/dev/null
  done
  echo "quickstart: results database: $root/results/hnsim-results.db"
  echo "quickstart: report:           $root/results/report.html (also report.md, and junit.xml for CI)"
  exit "$status"
  ;;
test)
  install_missing "${packages[@]}" "${test_packages[@]}"
  # The sanitizer tree's tests are listed in the main tree's ctest, so one
  # run, and one closing summary, covers both builds.
  build_tree build-san -DCMAKE_BUILD_TYPE=Debug -DHNSIM_SANITIZE=ON -DHNSIM_BENCH=OFF \
    -DHNSIM_TEST_PREFIX=asan-ubsan.
  build_tree build -DCMAKE_BUILD_TYPE=Release -DHNSIM_SANITIZER_TREE="$root/build-san"
  ctest --test-dir build -j "$jobs" --output-on-failure 2>&1
  ;;
-h|--help|help)
  usage
  ;;
*)
  usage >&2
  exit 2
  ;;
esac
