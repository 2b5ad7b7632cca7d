#!/usr/bin/env bash
# test_cli_hns.sh: `hnsim hns` as a user runs it: HNS's answers per Windows
# version, the v1 shape of what was created, a refusal's exit code and
# detail, reboot dropping a NAT network where Windows does, and the
# messages of a bad command line. Usage: test_cli_hns.sh PATH-TO-HNSIM
set -u
hnsim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

expect() { # expect CODE PATTERN ARGS...: exit code and a line of the output
  local want=$1 pattern=$2; shift 2
  "$hnsim" hns "$@" >"$work/out" 2>"$work/err"
  local got=$?
  checks=$((checks + 1))
  if [ "$got" != "$want" ]; then
    echo "FAIL: hnsim hns $* exited $got, want $want"; cat "$work/out" "$work/err"; failures=$((failures + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$work/out" "$work/err"; then
    echo "FAIL: hnsim hns $*: no line with '$pattern'"; cat "$work/out" "$work/err"; failures=$((failures + 1))
  fi
}

nat='{"Name":"nat","Type":"nat","Subnets":[{"AddressPrefix":"172.20.0.0/24","GatewayAddress":"172.20.0.1"}]}'
l2='{"Name":"cbr0","Type":"L2Bridge","Subnets":[{"AddressPrefix":"10.244.1.0/24","GatewayAddress":"10.244.1.1"}]}'
printf '%s' "$l2" >"$work/l2.json"

# /globals/version per profile: hcsshim's feature detection reads it.
expect 0 '{"Success":true,"Output":{"Major":9,"Minor":3}}' --profile ws2019 GET /globals/version
expect 0 '{"Success":true,"Output":{"Major":13,"Minor":3}}' --profile ws2022 GET /globals/version
expect 1 '"ErrorCode":2147942487' --profile ws2016 GET /globals/version
# An endpoint takes the first free address and the subnet's gateway.
expect 0 '"IPAddress":"172.20.0.2","PrefixLength":24,"GatewayAddress":"172.20.0.1","State":1' \
  --profile ws2019 POST /networks "$nat" POST /endpoints '{"VirtualNetworkName":"nat"}'
# The same seed gives the same IDs on every run.
"$hnsim" hns --seed 7 POST /networks "$nat" >"$work/a"; "$hnsim" hns --seed 7 POST /networks "$nat" >"$work/b"
checks=$((checks + 1)); cmp -s "$work/a" "$work/b" || { echo "FAIL: same seed, different output"; failures=$((failures + 1)); }
# A duplicate network name is refused: exit 1, HNS's answer and the detail.
expect 1 '# 0x803B0010 Name: a network called' POST /networks "$nat" POST /networks "$nat"
# NAT networks are not persisted across a reboot from WS2019; L2Bridge ones are.
expect 0 '"Dropped":{"Networks":1' --profile ws2019 POST /networks "$nat" reboot
expect 0 '"Kept":{"Networks":1' --profile ws2019 POST /networks @"$work/l2.json" reboot GET /networks
expect 0 '"Kept":{"Networks":1' --profile ws2016 POST /networks "$nat" reboot
expect 0 '"Dropped":{"Networks":1' --profile ws2022 POST /networks "$nat" restart hns-data-deleted
# Bad command lines.
expect 2 "no steps given"
expect 2 "unknown option '--db'" --db x.db GET /networks
expect 2 "unknown profile 'ws2030'" --profile ws2030 GET /networks
expect 2 "POST /networks needs a BODY" POST /networks
expect 2 "cannot read BODY file" POST /networks @"$work/missing.json"
expect 2 "'PUT' is not a step" PUT /networks
expect 0 "restart [MODE]" --help

echo "cli hns: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
