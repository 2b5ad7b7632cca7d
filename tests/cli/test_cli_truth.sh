#!/usr/bin/env bash
# test_cli_truth.sh: `hnsim truth` as a user runs it: every built-in
# topology's table holds on its profile (and service-vip on ws2016); the
# cells the seed's designs turn on (no UDR, the WS2016 VIP on one host, an
# ACL on one port, overlay through OutBoundNAT); rules that fail the table
# with exit 1 and name the cell and its reason; the same text and pcap on
# every run; the whole table's frames decoded by tshark (when installed);
# and the messages of bad input. Usage: test_cli_truth.sh PATH-TO-HNSIM
set -u
hnsim=$1
subcommand=truth
. "$(dirname "$0")/expect_lib.sh"

# Every topology holds its seed-derived table on its own profile.
for t in one-host acs-udr acs-no-udr mixed-linux ws2016-two-endpoint localhost overlay nat-internet service-vip \
  network-policy; do
  expect 0 "$t" -- "~^truth $t \(profile [a-z0-9]+, seed 1\): tcp/80$" "~^tally: [0-9]+ correct, 0 wrong, 0 unexpected pass"
done

# acs-udr: all 25 cells delivered, a pod's probe to itself ignored.
expect 0 acs-udr -- "truth table: 5 sources x 6 targets" "tally: 25 correct, 0 wrong, 0 unexpected pass, 5 ignored" \
  "~^node1/pod-a_cbr0  \.  +\.\? +\. +\. +\. +\. *$" \
  "targets: node1 10.240.0.4, node1/pod-a_cbr0 10.244.1.5, node1/pod-b_cbr0 10.244.1.6, node2 10.240.0.5"
# acs-no-udr: node1 to node2's pod dies at the router, and node2's pod
# gets no reply from node1's side; both expected, so the table holds.
expect 0 acs-no-udr -- "~^node1/pod-a_cbr0  \. +\.\? +\. +\. +n +\. *$" "~^node2/pod-c_cbr0  n +n +n +\. +\.\? +\. *$"
# Expecting otherwise fails the table, naming each cell and why.
expect 1 acs-no-udr --expect 'node1/* node2/*:* delivered' -- "tally: 23 correct, 2 wrong, 0 unexpected pass" \
  "wrong: node1/pod-a_cbr0 -> node2/pod-c_cbr0:tcp/80: expected delivered, observed no route: no route to 10.244.2.5 at router azure"
# An unexpected pass: the internet is reached, through OutBoundNAT.
expect 1 one-host --expect '*/* web:* blocked' -- "tally: 7 correct, 0 wrong, 2 unexpected pass" \
  "unexpected pass: node1/pod-b_cbr0 -> web:tcp/80: expected blocked, observed delivered"

# network-policy: the ACL drops TCP 81 into pod-b from the host and pod-a;
# port 80 passes.
expect 0 --proto tcp/80,tcp/81 network-policy -- "tally: 18 correct, 0 wrong, 0 unexpected pass, 6 ignored" \
  "~^node1/pod-a_cbr0  \. +\. +\.\? +\.\? +\. +d +\. +\. *$"
expect 1 --proto tcp/81 network-policy --expect '* node1/pod-b_cbr0:tcp/81 delivered' -- \
  "~wrong: node1/pod-a_cbr0 -> node1/pod-b_cbr0:tcp/81: expected delivered, observed dropped: .*deny-tcp-81"

# service-vip: every pod reaches the VIP on ws2019; on ws2016 node2's pod
# does not (the seed: the VIP is "associated with one Container Host").
# A backend given itself (hairpin) answers too: the load balancer has no
# DSR, and the hairpinned request gets the VIP as its source.
expect 0 service-vip -- "targets: node1 10.240.0.4" "10.96.0.50 10.96.0.50" "~^node1/pod-a_cbr0 .* \. *$" \
  "~^node1/pod-b_cbr0 .* \. *$"
expect 0 --profile ws2016 service-vip -- "~^node1/pod-a +.* \. *$" "~^node2/pod-c +.* d *$" \
  "sources: node1, node1/pod-a, node1/pod-b, node2, node2/pod-c"

# overlay: pods across hosts through VXLAN, and out through OutBoundNAT.
expect 0 overlay -- "~^node1/pod-a_vxlan0 +d\? +\.\? +\. +\. +\. *$"

# Protocols: ICMP and UDP columns.
expect 0 --proto icmp,udp/53 acs-udr -- "node2/pod-c_cbr0:icmp" "node2/pod-c_cbr0:udp/53" "tally: 50 correct"

# Same topology and seed: the same text and pcap, byte for byte.
for k in 1 2; do
  "$hnsim" truth --pcap "$work/o$k.pcapng" overlay >"$work/t$k" 2>&1
done
checks=$((checks + 1))
cmp -s "$work/t1" "$work/t2" && cmp -s "$work/o1.pcapng" "$work/o2.pcapng" ||
  { echo "FAIL: two runs differ"; failures=$((failures + 1)); }

# The pcap holds every probe of the table: inner pod addresses, the VXLAN
# outer provider addresses, and the SNATed probe to the internet.
tshark=$(command -v tshark || true)
if [ -n "$tshark" ]; then
  checks=$((checks + 1))
  "$tshark" -r "$work/o1.pcapng" -T fields -e ip.src -e ip.dst -e vxlan.vni >"$work/out" 2>"$work/err" ||
    bad "tshark cannot read the table's pcap"
  grep -qE '^10\.240\.0\.4,10\.244\.1\.5	10\.240\.0\.5,10\.244\.2\.5	4096$' "$work/out" ||
    bad "tshark did not show node1's pod to node2's pod in VXLAN (VNI 4096)"
  grep -qE '^10\.240\.0\.4	203\.0\.113\.10	$' "$work/out" || bad "tshark did not show pod-a's SNATed probe to web"
  "$tshark" -r "$work/o1.pcapng" -Y '_ws.malformed || _ws.expert.severity >= error' >"$work/out" 2>"$work/err"
  [ ! -s "$work/out" ] || bad "tshark found malformed frames in the table's pcap"
else
  echo "tshark not found: the pcap is not decoded (apt-get install tshark)"
fi

# Bad input: a clear message and exit 2.
expect 2 -- "TOPOLOGY is needed"
expect 2 nowhere -- "unknown topology 'nowhere'"
expect 2 --proto tcp/0 one-host -- "--proto: 'tcp/0' is not tcp/PORT"
expect 2 --expect 'node1 web:* maybe' one-host -- "--expect rule 'node1 web:* maybe' is not \"ROW COLUMN VERDICT\""
expect 2 --expect 'node9 *:* blocked' one-host -- "--expect rule 'node9 *:* blocked' matches no cell"
expect 2 --pcap /nonexistent/dir/x.pcapng one-host -- "--pcap: cannot create"
expect 2 --profile ws2016 overlay -- "hnsim truth: "
expect 0 --help -- "usage: hnsim truth" "ROW COLUMN VERDICT"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
