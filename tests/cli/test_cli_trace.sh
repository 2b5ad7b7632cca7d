#!/usr/bin/env bash
# test_cli_trace.sh: `hnsim trace` as a user runs it over the seed's
# topologies: each path's verdict, exit status and key hops; the negative
# UDR case naming the router; the same output and pcap on every run; the
# pcap decoded by tshark (when installed) with the probe's addresses; and
# the messages of bad input. Usage: test_cli_trace.sh PATH-TO-HNSIM
set -u
hnsim=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

bad() { echo "FAIL: $*"; cat "$work/out" "$work/err"; failures=$((failures + 1)); }

# expect CODE ARGS... -- PATTERN...: the exit code and every pattern (a
# fixed string, or a regular expression when it starts with ~).
expect() {
  local want=$1; shift
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  "$hnsim" trace "${args[@]}" >"$work/out" 2>"$work/err"
  local got=$?
  checks=$((checks + 1))
  if [ "$got" != "$want" ]; then bad "hnsim trace ${args[*]} exited $got, want $want"; return; fi
  for p in "$@"; do
    if [[ $p == "~"* ]]; then
      grep -qE -- "${p#\~}" "$work/out" "$work/err" || { bad "hnsim trace ${args[*]}: no line matching '${p#\~}'"; return; }
    else
      grep -qF -- "$p" "$work/out" "$work/err" || { bad "hnsim trace ${args[*]}: no line with '$p'"; return; }
    fi
  done
}

# The topologies, and the ones that wait for the policy wiring.
expect 0 --list -- "acs-udr" "acs-no-udr" "mixed-linux" "ws2016-two-endpoint" "localhost" \
  "~^overlay .*" "not available yet: VXLAN encapsulation"

# one-host: pod to pod through the L2Bridge vSwitch, without leaving the host.
expect 0 one-host node1/pod-a_cbr0 node1/pod-b_cbr0 -- "verdict:  delivered" \
  "~node1 +- +cbr0 +vswitch .*to endpoint pod-b_cbr0" "~node1 +ns3 +pod-b_cbr0 +deliver"
# ... and from the host compartment, through the host endpoint cbr0_ep.
expect 0 one-host node1 node1/pod-a_cbr0 icmp -- "sent:     icmp 10.244.1.2 -> 10.244.1.5" "~host +cbr0_ep +route"

# acs-udr: node1's pod to node2's across the cloud router's UDR, and back.
expect 0 acs-udr node1/pod-a_cbr0 node2/pod-c_cbr0 tcp/80 -- "verdict:  delivered, reply received +0.400ms" \
  "received: tcp 10.244.1.5:49152 -> 10.244.2.5:80" "reply:    tcp 10.244.2.5:80 -> 10.244.1.5:49152" \
  "~node1 +host +cbr0_ep +forward" "~azure +- +vnet +router +udr 10.244.2.0/24" "~node2 +- +cbr0 +mac-rewrite" \
  "~node2 +ns2 +pod-c_cbr0 +deliver" "~azure +- +vnet +router +udr 10.244.1.0/24 "
# An external client reaches a pod: the pod /24 is routable (ACS).
expect 0 acs-udr web node1/pod-a_cbr0 -- "verdict:  delivered" "~\+1\.000ms azure +- +vnet +router +udr 10.244.1.0/24"
# acs-no-udr: without node2's UDR the router has no route, and says so.
expect 1 acs-no-udr node1/pod-a_cbr0 10.244.2.5 icmp -- "verdict:  no route" \
  "reason:   no route to 10.244.2.5 at router azure" "~azure +- +vnet +router +- +DROP: no route to 10.244.2.5" "reply: 0 hops"
# node2's pods still reach node1's, whose UDR exists; the reply is what dies.
expect 1 acs-no-udr node2/pod-c_cbr0 node1/pod-a_cbr0 -- "received: tcp 10.244.2.5:49152 -> 10.244.1.5:80" \
  "reason:   no route to 10.244.2.5 at router azure"

# mixed-linux: a Windows pod to a pod behind the Linux host's bridge.
expect 0 mixed-linux node1/pod-a_cbr0 10.244.3.5 -- "verdict:  delivered" "~lnx +host +cbr0 +bridge" \
  "~lnx +host +cbr0 +deliver .*delivered to a pod behind the bridge"
expect 0 mixed-linux lnx node1/pod-a_cbr0 udp/53 -- "sent:     udp 10.240.0.6:49152 -> 10.244.1.5:53"

# ws2016-two-endpoint: pod to pod by the Transparent endpoints and the
# static route added in the container; the NAT endpoint holds the default.
expect 0 ws2016-two-endpoint node1/pod-a_transparent node2/pod-c_transparent -- "(profile ws2016, seed 1)" \
  "~pod-a +pod-a_transparent +route +10.244.0.0/16 on-link" "~vnet +segment .*to 10.244.2.5" \
  "~node2 +pod-c +pod-c_transparent +deliver"
expect 0 ws2016-two-endpoint node1/pod-a_nat node1 -- "~pod-a +pod-a_nat +route +0.0.0.0/0 via 172.20.0.1" \
  "~vEthernet \(nat\) +deliver"

# localhost: a pod's containers talk over loopback; nothing leaves.
expect 0 localhost node1/pod-a_cbr0 127.0.0.1 -- "request: 2 hops" "~ns2 +loopback +local"

# Same topology and seed: the same text and the same pcap, byte for byte.
for k in 1 2; do
  "$hnsim" trace --seed 9 --pcap "$work/p$k.pcapng" acs-udr node1/pod-a_cbr0 node2/pod-c_cbr0 >"$work/t$k" 2>&1
done
checks=$((checks + 1))
cmp -s "$work/t1" "$work/t2" && cmp -s "$work/p1.pcapng" "$work/p2.pcapng" || { echo "FAIL: two runs differ"; failures=$((failures + 1)); }

# The pcap decodes in tshark: one interface per capture point, the
# probe's addresses and the SYN / SYN-ACK, no malformed frame.
tshark=$(command -v tshark || true)
if [ -n "$tshark" ]; then
  "$tshark" -r "$work/p1.pcapng" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
    -T fields -e frame.interface_name -e ip.src -e ip.dst -e tcp.flags -e frame.comment >"$work/out" 2>"$work/err"
  checks=$((checks + 1))
  grep -qP '^node1/pod-a_cbr0\t10.244.1.5\t10.244.2.5\t0x0002\tprobe 1 request port-out$' "$work/out" &&
    grep -qP '^azure/vnet\t10.244.2.5\t10.244.1.5\t0x0012\tprobe 1 reply router$' "$work/out" &&
    grep -qP '^node2/pod-c_cbr0\t10.244.1.5\t10.244.2.5\t0x0002\tprobe 1 request port-in$' "$work/out" &&
    [ "$(wc -l <"$work/out")" -eq 12 ] || bad "tshark did not show the probe's 12 frames"
  "$tshark" -r "$work/p1.pcapng" -o tcp.check_checksum:TRUE -Y '_ws.malformed || _ws.expert.severity >= error' \
    >"$work/out" 2>"$work/err"
  checks=$((checks + 1))
  [ ! -s "$work/out" ] || bad "tshark found malformed frames or bad checksums"
else
  echo "tshark not found: the pcap is not decoded (apt-get install tshark)"
fi

# Bad input: a message naming it, exit 2.
expect 2 nosuch a b -- "unknown topology 'nosuch'"
expect 2 acs-udr node1/nope 10.244.2.5 -- "host node1 has no endpoint 'nope'"
expect 2 acs-udr node9 10.244.2.5 -- "has no host 'node9'"
expect 2 acs-udr node1/pod-a_cbr0 10.244.2.500 -- "TO '10.244.2.500' is not an IP address"
expect 2 acs-udr node1/pod-a_cbr0 10.244.2.5 sctp/9 -- "PROTO 'sctp/9'"
expect 2 overlay node1 10.0.0.1 -- "topology 'overlay' is not available yet"
expect 2 --profile ws2016 acs-udr node1/pod-a_cbr0 10.244.2.5 -- "has no HCN v2 API"
expect 2 --pcap /nonexistent/dir/x.pcapng one-host node1 10.244.1.5 -- "--pcap: cannot create"
expect 2 acs-udr node1 -- "TOPOLOGY, FROM and TO are needed"
expect 0 --help -- "exit status: 0 delivered"

echo "cli trace: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
