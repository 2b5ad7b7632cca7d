#!/usr/bin/env bash
# test_cli_from_run.sh: `hnsim run --from-run` as a user runs it: a run
# records its hosts' HNS state; a scenario that only lays the fabric and
# makes the hosts then probes them again from that state, and the probes'
# verdicts and hop traces are the original run's, load balancer and DSR
# included; --label picks another snapshot, --from-db another database; a
# state the host's profile refuses or the fabric cannot carry ends the run
# naming the host, the object and the HRESULT; a state no host takes is a
# warning; and the messages of bad input.
# Usage: test_cli_from_run.sh PATH-TO-HNSIM SCENARIOS-DIR
set -u
hnsim=$1
scenarios=$2
subcommand=run
. "$(dirname "$0")/expect_lib.sh"
db="$work/r.db"

# The original: two kube-proxy nodes (DSR), a snapshot before kube-proxy,
# and at the end the traces of a pod reaching the ClusterIP (two
# connections: a local and a remote backend) and a pod on the other node.
cat >"$work/orig.lua" <<'LUA'
scenario{name = "orig", profiles = {"ws2019"}}
local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local cluster = require("kubeproxy.cluster").new()
local tb = testbed.l2bridge{nodes = {{name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
                                     {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"}}}
tb:pod("node1", "client", "10.244.1.5")
tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "web-2", "10.244.2.6")
snapshot("pods")
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
for _, n in ipairs({"node1", "node2"}) do
  winkernel.new(tb.nodes[n].host, cluster, {hostname = n, node_ip = tb.nodes[n].address, network_name = "cbr0",
                                             enable_dsr = true}):sync()
end
for _, sport in ipairs({52000, 52001}) do
  print(probe{from = "node1/client_cbr0", to = "10.96.0.20", port = 80, sport = sport}.text)
end
print(probe{from = "node1/client_cbr0", to = "node2/web-2_cbr0", port = 8080}.text)
LUA

# The same fabric and hosts as the testbed lays, no HNS object, the same probes.
fabric='
segment("vnet", {latency = "100us"})
segment("internet", {latency = "1ms"})
router("azure", {{name = "vnet", segment = "vnet", address = "10.240.0.1/16"},
                 {name = "internet", segment = "internet", address = "203.0.113.1/24"}})
host("web", {os = "linux", nics = {{name = "eth0", segment = "internet", address = "203.0.113.10/24",
                                    mac = "00-0D-3A-00-00-10"}}, gateway = "203.0.113.1"})
for _, n in ipairs({{"node1", "10.240.0.4", "00-15-5D-00-00-04"}, {"node2", "10.240.0.5", "00-15-5D-00-00-05"}}) do
  host(n[1], {PROFILE nics = {{name = "NIC", segment = "vnet", address = n[2] .. "/16", mac = n[3]}}, gateway = "10.240.0.1"})
end
route("azure", "10.244.1.0/24", "10.240.0.4")
route("azure", "10.244.2.0/24", "10.240.0.5")
'
probes='
for _, sport in ipairs({52000, 52001}) do
  print(probe{from = "node1/client_cbr0", to = "10.96.0.20", port = 80, sport = sport}.text)
end
print(probe{from = "node1/client_cbr0", to = "node2/web-2_cbr0", port = 8080}.text)
expect.reach{from = "node1/client_cbr0", to = "10.96.0.20", port = 80, sport = 52002}
'
scenario() { # NAME PROFILE-FIELD NIC-NAME: a fabric-only scenario file
  { echo "scenario{name = \"$1\"}"; echo "$fabric" | sed "s/PROFILE /$2/; s/\"NIC\"/\"$3\"/"; echo "$probes"; } >"$work/$1.lua"
}
scenario probe "" Ethernet
scenario rtm 'profile = "ws2019-rtm", ' Ethernet
scenario nic "" "Ethernet 2"

# The trace lines a -v run printed (print() lines, without the run's name).
traces() { sed -n "s/^         $1: //p" "$work/out"; }

expect 0 --db "$db" -v "$work/orig.lua" -- "~PASS +orig +ws2019 .* run 1 "
traces orig >"$work/orig.traces"
grep -q "delivered" "$work/orig.traces" || bad "the original run printed no trace"

# Run 1's hosts again: the same traces, line for line; the run is on the
# recorded run's profile and says where its hosts' states came from.
expect 0 --db "$db" -v --from-run 1 "$work/probe.lua" -- \
  "host states: --from-run 1: scenario orig on ws2019, backend sim, snapshot 'end': node1 node2" \
  "~PASS +probe +ws2019 +1/1 .* run 2 " \
  "~node1 +ns2 +client_cbr0 +lb +[0-9A-F-]{36} +DSR, backend 0 \(10.244.1.6, local\)" \
  "~node1 +ns2 +client_cbr0 +lb +[0-9A-F-]{36} +DSR, backend 1 \(10.244.2.6, remote"
traces probe >"$work/probe.traces"
diff "$work/orig.traces" "$work/probe.traces" >"$work/diff" || bad "the traces differ from the original run's: $(cat "$work/diff")"
"$hnsim" report --db "$db" --run 2 --format md >"$work/report.md" 2>&1
grep -qF "host node1: HNS state loaded (--from-run 1: scenario orig on ws2019, backend sim, snapshot 'end'): 1 network, 4 endpoints (1 attached to the host, 0 to containers), 2 namespaces, 1 load balancer" "$work/report.md" ||
  bad "run 2's log has no row for node1's load"

# Another database (--from-db), another snapshot (--label): before
# kube-proxy there is no load balancer, the ClusterIP is not reached.
cp "$db" "$work/other.db"
expect 0 --db "$work/new.db" -v --from-db "$work/other.db" --from-run 1 "$work/probe.lua" -- "~PASS +probe .* run 1 "
traces probe >"$work/other.traces"
diff "$work/orig.traces" "$work/other.traces" >/dev/null || bad "--from-db: the traces differ from the original run's"
expect 1 --db "$db" --from-run 1 --label pods "$work/probe.lua" -- \
  "host states: --from-run 1: scenario orig on ws2019, backend sim, snapshot 'pods': node1 node2" \
  "~FAIL +probe" "FAILED: reach node1/client_cbr0 -> 10.96.0.20 tcp/80"

# A real scenario's run: service-lb.lua's hosts after DSR, probed again.
expect 0 --db "$db" --profile ws2022 "$scenarios/service-lb.lua" -- "~PASS +service-lb +ws2022 .* run 4 "
expect 0 --db "$db" -v --from-run 4 "$work/probe.lua" -- "scenario service-lb on ws2022" "~PASS +probe +ws2022 +1/1" \
  "~node1 +ns[0-9]+ +client_cbr0 +lb +[0-9A-F-]{36} +DSR, backend [01] "

# A profile that refuses an object: ws2019 as released has no DSR. The run
# ends as an error naming the host, the object and the HRESULT.
expect 2 --db "$db" --from-run 1 "$work/rtm.lua" -- "~ERROR +rtm" \
  "~rtm.lua:10: host: node1: its preloaded state \(--from-run 1: .*\) cannot be loaded on ws2019-rtm: LoadBalancers\[0\] [0-9A-F-]{36}: HcnCreateLoadBalancer answered 0x80070057 E_INVALIDARG: Flags: DSR needs HNS 9.3"
# A fabric the state cannot sit on: the network's adapter is not there.
expect 2 --db "$db" --from-run 1 "$work/nic.lua" -- \
  "~Networks\[0\] 'cbr0' [0-9A-F-]{36}: HcnCreateNetwork answered 0x8000FFFF E_UNEXPECTED: the data-plane model refused the network"
cat >"$work/linux.lua" <<'LUA'
segment("vnet", {})
host("node1", {os = "linux", nics = {{name = "eth0", segment = "vnet", address = "10.240.0.4/16"}}})
LUA
expect 2 --db "$db" --from-run 1 "$work/linux.lua" -- "linux.lua:2: host: node1: a state was preloaded for it" \
  "but a Linux host has no HNS"

# One host of two: the other state is a warning. A host without
# host{profile=} takes its state's profile, whatever the run's.
cat >"$work/one.lua" <<'LUA'
segment("vnet", {})
local h = host("node1", {nics = {{name = "Ethernet", segment = "vnet", address = "10.240.0.4/16"}}})
print("profile " .. h.profile)
LUA
expect 0 --db "$db" -v --profile ws2022 --from-run 1 "$work/one.lua" -- "one: profile ws2019" "~PASS +one +ws2022"
"$hnsim" report --db "$db" --last --format md >"$work/report.md" 2>&1
grep -qF "host state of 'node2' (--from-run 1: scenario orig on ws2019, backend sim, snapshot 'end') was not used: the scenario made no Windows host of that name" "$work/report.md" ||
  bad "no warning for node2's unused state"

# Bad input.
expect 2 --db "$db" --from-run 99 "$work/probe.lua" -- "hnsim run: --from-run: '$db' has no run 99"
expect 2 --db "$db" --from-run 1 --label nope "$work/probe.lua" -- "hnsim run: --from-run: run 1 has no snapshot labelled 'nope'"
expect 2 --db "$work/missing.db" --from-run 1 "$work/probe.lua" -- "results database '$work/missing.db' does not exist"
[ -e "$work/missing.db" ] && bad "--from-run created the database it was to read"
expect 2 --db "$db" --from-run 1 --from-db "$work/nope.db" "$work/probe.lua" -- "results database '$work/nope.db' does not exist"
expect 2 --db "$db" --from-run x "$work/probe.lua" -- "--from-run: 'x' is not a run id"
expect 2 --db "$db" --label end "$work/probe.lua" -- "--label and --from-db go with --from-run"
expect 2 --db "$db" --from-run 1 builtin:smoke -- "--from-run takes scenario files, not built-in scenarios"
expect 2 --db "$db" --from-run 1 -- "--from-run needs scenario files"
expect 0 --help -- "--from-run ID" "--label L" "--from-db PATH"

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
