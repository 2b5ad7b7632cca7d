#!/usr/bin/env bash
# test_cli_trace.sh: `hnsim trace` as a user runs it over the seed's
# topologies: each path's verdict, exit status and key hops (UDRs, VXLAN,
# WinNAT, a service VIP on ws2019 and ws2016, an ACL); the negative UDR
# case naming the router; the same output and pcap on every run; the pcaps
# decoded by tshark (when installed) with the probe's addresses, the
# overlay's outer provider addresses and VNI; and the messages of bad input. Usage: test_cli_trace.sh PATH-TO-HNSIM
set -u
hnsim=$1
subcommand=trace
. "$(dirname "$0")/expect_lib.sh"

# The topologies.
expect 0 --list -- "acs-udr" "acs-no-udr" "mixed-linux" "ws2016-two-endpoint" "localhost" \
  "~^overlay .*VNI 4096" "~^nat-internet " "~^service-vip .*ws2016" "~^network-policy "

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
# ... and the pod answers from its own address: a reply makes no new
# OutBoundNAT translation.
expect 0 acs-udr web node1/pod-a_cbr0 -- "reply:    tcp 10.244.1.5:80 -> 203.0.113.10:49152" \
  "~node1 +ns2 +pod-a_cbr0 +nat .*a reply of a connection that came in untranslated"
# acs-no-udr: without node2's UDR the router has no route, and says so.
expect 1 acs-no-udr node1/pod-a_cbr0 10.244.2.5 icmp -- "verdict:  no route" \
  "reason:   no route to 10.244.2.5 at router azure" "~azure +- +vnet +router +- +DROP: no route to 10.244.2.5" "reply: 0 hops"
# overlay: a pod reaches the internet through OutBoundNAT, leaving
# unencapsulated with the host's MAC; the host reaches its own pod by
# flannel's HostRoute policy.
expect 0 overlay node1/pod-a_vxlan0 web -- "received: tcp 10.240.0.4:49152 -> 203.0.113.10:80" \
  "~node1 +- +vxlan0 +vswitch .*to uplink Ethernet, unencapsulated, via 10.240.0.1" "~node1 +- +vxlan0 +mac-rewrite"
expect 0 overlay node1 node1/pod-a_vxlan0 -- "~node1 +host +Ethernet +route +vxlan0 HostRoute 10.244.1.0/24" \
  "reply:    tcp 10.244.1.5:80 -> 10.240.0.4:49152"
# A scenario file: it runs, then the probe goes through the world it built;
# the issue's --from/--to form with a :PORT/PROTO suffix.
scen=$(cd "$(dirname "$0")/../../scenarios" && pwd)
expect 1 "$scen/acs-no-udr.lua" --from node1/pod-a_cbr0 --to node2/pod-c_cbr0:80/tcp -- \
  "trace scenario acs-no-udr (profile ws2019, seed 1): tcp/80 from node1/pod-a_cbr0 to node2/pod-c_cbr0 (10.244.2.5)" \
  "reason:   no route to 10.244.2.5 at router azure"
expect 0 --profile ws2022 "$scen/overlay.lua" node1/pod-a_vxlan0 web udp/53 -- \
  "trace scenario overlay (profile ws2022, seed 1): udp/53" "~node1 +- +vxlan0 +vswitch .*unencapsulated"
expect 2 "$scen/acs-udr.lua" --from node9 --to web -- "FROM 'node9': scenario acs-udr has no host 'node9'"
expect 2 "$work/none.lua" a b -- "cannot open"
expect 2 one-host --from node1 -- "--from and --to go together"

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
# ... and the NAT endpoint's leg to the internet returns through WinNAT.
expect 0 ws2016-two-endpoint node1/pod-a_nat web -- "received: tcp 10.240.0.4:49152 -> 203.0.113.10:80" \
  "~node1 +host +Ethernet +nat +nat WinNAT\[0\] +WinNAT, translated" "reply:    tcp 203.0.113.10:80 -> 172.20.0.2:49152"

# nat-internet: Docker's NAT network; WinNAT out, the published port in.
expect 0 nat-internet node1/ctr-a_nat web tcp/80 -- "received: tcp 10.240.0.4:49152 -> 203.0.113.10:80" \
  "~node1 +host +Ethernet +nat +nat WinNAT\[0\] .*reply of a tracked WinNAT connection"
expect 0 nat-internet web node1 tcp/8080 -- "received: tcp 203.0.113.10:49152 -> 172.20.0.2:80" \
  "reply:    tcp 10.240.0.4:8080 -> 203.0.113.10:49152"

# overlay: flannel's VXLAN between two hosts, VNI = the VSID 4096.
expect 0 overlay node1/pod-a_vxlan0 node2/pod-c_vxlan0 -- "received: tcp 10.244.1.5:49152 -> 10.244.2.5:80" \
  "~node1 +- +vxlan0 +vswitch +RemoteSubnetRoute 10.244.2.0/24" \
  "~node1 +- +Ethernet +encap .*VXLAN VNI 4096, 10.240.0.4 -> 10.240.0.5 udp/4789" \
  "~node2 +- +Ethernet +decap +VNI 4096" "~node2 +ns2 +pod-c_vxlan0 +deliver"

# service-vip: kube-proxy's ClusterIP. On ws2019 the seed decides the
# backend: seed 1 reaches node2's pod-c, seed 3 node1's pod-b.
expect 0 service-vip node1/pod-a_cbr0 10.96.0.50 tcp/80 -- "(profile ws2019, seed 1)" \
  "received: tcp 10.244.1.5:49152 -> 10.244.2.5:8080" "reply:    tcp 10.96.0.50:80 -> 10.244.1.5:49152" \
  "~node1 +ns2 +pod-a_cbr0 +lb .*to backend 1 \(10.244.2.5, remote\)" "~azure +- +vnet +router +udr 10.244.2.0/24" \
  "~node1 +host +Ethernet +lb .*reply of a tracked connection"
expect 0 --seed 3 service-vip node1/pod-a_cbr0 10.96.0.50 tcp/80 -- "received: tcp 10.244.1.5:49152 -> 10.244.1.6:8080" \
  "~lb .*to backend 0 \(10.244.1.6, local\)"
# On ws2016 the VIP is node1's, tied to its local backend on every seed,
# and node2's pods cannot reach it.
for seed in 1 3; do
  expect 0 --profile ws2016 --seed $seed service-vip node1/pod-a_transparent 10.96.0.50 -- "(profile ws2016, seed $seed)" \
    "received: tcp 10.244.1.5:49152 -> 10.244.1.6:8080" "~lb +kube-proxy 10.96.0.50 +to backend 0 \(10.244.1.6, local\)"
done
expect 1 --profile ws2016 service-vip node2/pod-c_transparent 10.96.0.50 -- "verdict:  dropped" \
  "reason:   no host or router has 10.96.0.50 on segment vnet"

# network-policy: the ACL's Id names the block; other ports pass.
expect 1 network-policy node1/pod-a_cbr0 node1/pod-b_cbr0 tcp/81 -- "verdict:  dropped" \
  "reason:   dropped by stage acl rule deny-tcp-81 at pod-b_cbr0 of host node1"
expect 0 network-policy node1/pod-a_cbr0 node1/pod-b_cbr0 tcp/80 -- "verdict:  delivered" "~pod-b_cbr0 +acl +allow-in"

# localhost: a pod's containers talk over loopback; nothing leaves.
expect 0 localhost node1/pod-a_cbr0 127.0.0.1 -- "request: 2 hops" "~ns2 +loopback +local"

# Same topology and seed: the same text and the same pcap, byte for byte.
for k in 1 2; do
  "$hnsim" trace --seed 9 --pcap "$work/p$k.pcapng" acs-udr node1/pod-a_cbr0 node2/pod-c_cbr0 >"$work/t$k" 2>&1
  "$hnsim" trace --seed 9 --pcap "$work/s$k.pcapng" service-vip node1/pod-a_cbr0 10.96.0.50 >"$work/u$k" 2>&1
done
checks=$((checks + 1))
cmp -s "$work/t1" "$work/t2" && cmp -s "$work/p1.pcapng" "$work/p2.pcapng" && cmp -s "$work/u1" "$work/u2" &&
  cmp -s "$work/s1.pcapng" "$work/s2.pcapng" || { echo "FAIL: two runs differ"; failures=$((failures + 1)); }

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
  # The overlay path: outer provider addresses, VNI 4096 on UDP 4789 around
  # the pods' own addresses, on the wire both ways.
  "$hnsim" trace --pcap "$work/ov.pcapng" overlay node1/pod-a_vxlan0 node2/pod-c_vxlan0 >/dev/null 2>&1
  "$tshark" -r "$work/ov.pcapng" -o ip.check_checksum:TRUE -T fields -e frame.interface_name -e ip.src -e ip.dst \
    -e udp.dstport -e vxlan.vni -e frame.comment >"$work/out" 2>"$work/err"
  checks=$((checks + 1))
  grep -qP '^node1/Ethernet\t10.240.0.4,10.244.1.5\t10.240.0.5,10.244.2.5\t4789\t4096\tprobe 1 request nic-out$' "$work/out" &&
    grep -qP '^node2/Ethernet\t10.240.0.5,10.244.2.5\t10.240.0.4,10.244.1.5\t4789\t4096\tprobe 1 reply nic-out$' "$work/out" &&
    grep -qP '^node2/pod-c_vxlan0\t10.244.1.5\t10.244.2.5\t\t\tprobe 1 request port-in$' "$work/out" ||
    bad "tshark did not show the overlay's VXLAN frames"
  "$tshark" -r "$work/ov.pcapng" -Y '_ws.malformed || _ws.expert.severity >= error' >"$work/out" 2>"$work/err"
  checks=$((checks + 1))
  [ ! -s "$work/out" ] || bad "tshark found malformed overlay frames"
else
  echo "tshark not found: the pcap is not decoded (apt-get install tshark)"
fi

# Bad input: a message naming it, exit 2.
expect 2 nosuch a b -- "unknown topology 'nosuch'"
expect 2 acs-udr node1/nope 10.244.2.5 -- "host node1 has no endpoint 'nope'"
expect 2 acs-udr node9 10.244.2.5 -- "has no host 'node9'"
expect 2 acs-udr node1/pod-a_cbr0 10.244.2.500 -- "TO '10.244.2.500' is not an IP address"
expect 2 acs-udr node1/pod-a_cbr0 10.244.2.5 sctp/9 -- "PROTO 'sctp/9'"
expect 2 --profile ws2016 overlay node1 10.0.0.1 -- "topology 'overlay' on ws2016: node1: HcnCreateNetwork"
expect 2 --profile ws2016 acs-udr node1/pod-a_cbr0 10.244.2.5 -- "has no HCN v2 API"
expect 2 --pcap /nonexistent/dir/x.pcapng one-host node1 10.244.1.5 -- "--pcap: cannot create"
expect 2 acs-udr node1 -- "TOPOLOGY, FROM and TO are needed"
expect 0 --help -- "exit status: 0 delivered"

echo "cli trace: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
