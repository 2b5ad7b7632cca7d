#!/usr/bin/env bash
# test_cli_scenarios.sh: `hnsim run` on Lua scenario files, as a user runs
# it: the seed's ACS scenario across its profiles (exit 0, one line per
# profile, the summary, equal digests on every run and whatever the path
# it is named by); --profile and --seed overriding the file's; a failing
# expectation (exit 1, its hop trace printed and in the report); a runtime
# error, a syntax error and an exhausted budget (exit 2, file:line and
# traceback); the sandbox flags' checks; builtin:smoke beside a file.
# Usage: test_cli_scenarios.sh PATH-TO-HNSIM PATH-TO-SCENARIOS-FOLDER
set -u
hnsim=$1
scenarios=$2
subcommand=run
. "$(dirname "$0")/expect_lib.sh"


digest_of() { # digest_of DB RUN: the full digest from the report
  "$hnsim" report --db "$1" --run "$2" | sed -n 's/^| digest (SHA-256) | `\([0-9a-f]*\)` |$/\1/p'
}

cd "$work"
cp "$scenarios/acs-udr.lua" "$scenarios/acs-no-udr.lua" .

# The seed's ACS design on both profiles it names.
expect 0 --db a.db acs-udr.lua -- "hnsim run: 1 scenario, 2 runs" \
  "~^  PASS +acs-udr +ws2019 +7/7 +expectations held  run 1" "~^  PASS +acs-udr +ws2022 +7/7 +expectations held  run 2" \
  "summary: 2 passed, 0 failed, 0 errors"
expect 0 --db a.db "$scenarios/acs-udr.lua" -- "summary: 2 passed, 0 failed, 0 errors"
check "the same file and seed: the same digest (ws2019)" test "$(digest_of a.db 1)" = "$(digest_of a.db 3)"
check "... by another path too (ws2022)" test "$(digest_of a.db 2)" = "$(digest_of a.db 4)"
check "another profile: another digest" test "$(digest_of a.db 1)" != "$(digest_of a.db 2)"
expect 0 --db a.db --seed 9 --profile ws2022 acs-udr.lua -- "hnsim run: 1 scenario, 1 run, profile ws2022, seed 9" \
  "~PASS +acs-udr +ws2022 .* run 5 " "summary: 1 passed"
check "another seed: another digest" test "$(digest_of a.db 2)" != "$(digest_of a.db 5)"
expect 0 --db a.db acs-no-udr.lua -- "~PASS +acs-no-udr +ws2019 +5/5" "~PASS +acs-no-udr +ws2022 +5/5"
check "the report shows the router in the blocked probe's reason" \
  grep -q "no route to 10.244.2.5 at router azure" <("$hnsim" report --db a.db --last)
check "the report lists the HNS calls with their JSON" \
  grep -q 'node2 create network .cbr0. (acs.lua:[0-9]* via acs-no-udr.lua:[0-9]*): 0x00000000 S\\_OK; request {"Ipams"' <("$hnsim" report --db a.db --last)

# A failing expectation: exit 1, the expectation and its trace printed.
sed -e 's/^route("azure", "10.244.2.0\/24", "10.240.0.5")$//' -e 's/profiles = {"ws2019", "ws2022"}/profiles = {"ws2022"}/' \
  acs-udr.lua >broken.lua
expect 1 --db b.db broken.lua -- "~^  FAIL +acs-udr +ws2022 +3/7 " "FAILED: reach node1/pod-a_cbr0 -> node2/pod-c_cbr0 tcp/80" \
  "broken.lua:26: expected delivered, got no route: no route to 10.244.2.5 at router azure" \
  "~^ +request: 13 hops" "~azure +- +vnet +router +- +DROP: no route to 10.244.2.5" "summary: 0 passed, 1 failed, 0 errors"
check "the trace is in the database too" grep -q "DROP: no route to 10.244.2.5" <("$hnsim" report --db b.db --last)

# Scenario errors: exit 2 with file:line (and a traceback for runtime errors).
cat >cb.lua <<'EOF'
scenario{name = "callback-error"}
local function lookup(t)
  return t.missing.field
end
after("1ms", function() lookup({}) end)
run{}
EOF
expect 2 --db c.db cb.lua -- "~^  ERROR +callback-error +ws2022 +0/0" "cb.lua:3: attempt to index a nil value (field 'missing')" \
  "stack traceback:" "cb.lua:5: in function <cb.lua:5>" "cb.lua:6: in main chunk" "summary: 0 passed, 0 failed, 1 errors"
check "the error is recorded" grep -q "cb.lua:3: attempt to index a nil value" <("$hnsim" report --db c.db --last)
printf 'scenario{name = "x"\nsegment("vnet")\n' >syntax.lua
expect 2 --db c.db syntax.lua -- "syntax.lua:2: '}' expected (to close '{' at line 1) near 'segment'"
printf 'segment("vnet", {latency = "fast"})\n' >badarg.lua
expect 2 --db c.db badarg.lua -- "badarg.lua:1: segment: latency: 'fast' is not a duration"
printf 'scenario{name = "loop"}\nwhile true do end\n' >loop.lua
expect 2 --db c.db --lua-budget 100000 loop.lua -- "loop.lua:2: instruction budget of 100000 instructions exhausted"
printf 'local t = {}\nwhile true do t[#t + 1] = ("x"):rep(1000) end\n' >grow.lua
expect 2 --db c.db --lua-memory 4M grow.lua -- "~grow.lua:2: memory cap of 4194304 bytes reached"
# A failed expectation and an error together: the error decides (2).
expect 2 --db c.db broken.lua cb.lua -- "summary: 0 passed, 1 failed, 1 errors"

# The flags.
expect 2 --lua-memory 0 acs-udr.lua -- "--lua-memory: '0' is not a size in bytes"
expect 2 --lua-memory 12X acs-udr.lua -- "--lua-memory: '12X' is not a size in bytes"
expect 2 --lua-budget -3 acs-udr.lua -- "--lua-budget: '-3' is not a whole number of instructions"
expect 0 --help -- "--lua-memory N" "--lua-budget N" "scenario{profiles=...}"
printf 'scenario{name = "talk"}\nprint("hello", 42)\n' >talk.lua
expect 0 --db c.db -v talk.lua -- "talk: hello	42"
check "print() lines are in the log" grep -q "| print | hello" <("$hnsim" report --db c.db --last)

# Built-in scenarios still run, beside files.
expect 0 --db d.db builtin:smoke acs-no-udr.lua -- "~PASS +builtin:smoke +ws2022 +5/5" "summary: 3 passed"

# expect.invariant: the checks of docs/invariants.md over the run's hosts;
# a DNS VIP with UDP/53 only breaks dns-vip-both-protocols, named with the
# load balancer; lb-endpoints-exist holds; an unknown check is a script error.
cat >inv.lua <<'EOF2'
scenario{name = "invariants", profiles = {"ws2022"}}
local V2 = {Major = 2, Minor = 0}
segment("vnet", {})
local h = host("node1", {nics = {{name = "Ethernet", segment = "vnet", address = "10.240.0.4/16", mac = "00-15-5D-00-00-04"}}})
local net = h:must(h:create_network{Name = "nat", Type = "NAT", SchemaVersion = V2,
  Ipams = {{Type = "Static", Subnets = {{IpAddressPrefix = "172.20.0.0/24"}}}}})
local ep = h:must(h:create_endpoint(net, {Name = "dns", HostComputeNetwork = net.id, SchemaVersion = V2}))
h:must(h:create_loadbalancer{SchemaVersion = V2, HostComputeEndpoints = {ep.id}, FrontendVIPs = {"10.96.0.10"},
  PortMappings = {{Protocol = 17, InternalPort = 53, ExternalPort = 53}}})
expect.invariant("lb-endpoints-exist")
expect.invariant("dns-vip-both-protocols")
expect.violation("dns-vip-both-protocols", "has no TCP/53 load balancer")
expect.violation("lb-endpoints-exist")
EOF2
expect 1 --db e.db inv.lua -- "~FAIL +invariants +ws2022 +2/4" "FAILED: invariant dns-vip-both-protocols" \
  "FAILED: violation of lb-endpoints-exist" "inv.lua:13: 0 violations of 1 checks over 1 hosts" \
  "inv.lua:11: 1 violations of 1 checks over 1 hosts" \
  "~node1 load balancer [0-9A-F-]{36}: dns-vip-both-protocols: .*10.96.0.10:53/udp.*has no TCP/53 load balancer"
printf 'scenario{name = "x", profiles = {"ws2022"}}\nexpect.invariant("nope")\n' >inv2.lua
expect 2 --db e.db inv2.lua -- "inv2.lua:2: expect.invariant: no check 'nope' (docs/invariants.md)"

# An empty expectation name is a script error naming the line (it once
# ended the run as a database failure, exit 3).
printf 'scenario{name = "x", profiles = {"ws2022"}}\nexpect.equal(1, 1, "")\n' >empty.lua
expect 2 --db f.db empty.lua -- "empty.lua:2: expectation name '': give a text, or leave it out for the default"

# h:hot_attach: HCS shares an endpoint with a second container; WS2016
# cannot hot-add a NIC and refuses it.
cat >hot.lua <<'EOF2'
scenario{name = "hot", profiles = {"ws2016", "ws2019"}}
segment("vnet", {})
local h = host("node1", {nics = {{name = "Ethernet", segment = "vnet", address = "10.240.0.4/16"}}})
h:must(h:hnscall("POST", "/networks", {Name = "nat", Type = "nat", Subnets = {{AddressPrefix = "172.16.0.0/24", GatewayAddress = "172.16.0.1"}}}))
local ep = h:must(h:hnscall("POST", "/endpoints", {Name = "pause_nat", VirtualNetworkName = "nat"}))
h:must(h:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {ContainerId = "pause", SystemType = "Container"}))
local r = h:hot_attach("app", ep)
expect.equal(r.ok, h.profile ~= "ws2016", "hot attach works from 1709 on")
if r.ok then
  expect.equal(h:must(h:hnscall("GET", "/endpoints/" .. ep.id)).output.SharedContainers, {"pause", "app"}, "shared")
  expect.truthy(h:hot_detach("app", ep).ok, "hot detach")
end
EOF2
expect 0 --db g.db hot.lua -- "~PASS +hot +ws2016 +1/1" "~PASS +hot +ws2019 +3/3"

# read_file and list_files: the project's own files, nothing outside it.
cat >files.lua <<'EOF2'
scenario{name = "files", profiles = {"ws2022"}}
local names = list_files("tests/corpus/cni-samples")
expect.truthy(#names >= 6 and names[1] == "SOURCES.md", "the corpus lists its files, sorted by name")
expect.truthy(read_file("tests/corpus/cni-samples/sdn_flannel_l2bridge_cni.conf"):find('"type"', 1, true),
              "a sample reads as its JSON text")
EOF2
expect 0 --db h.db files.lua -- "~PASS +files +ws2022 +2/2"
for bad in "../x" "/etc/passwd" "tests/../../x" "tests/corpus/none.conf"; do
  printf 'read_file("%s")\n' "$bad" >rf.lua
  expect 2 --db h.db rf.lua -- "~rf.lua:1: read_file: '$bad': "
done

# probe{sport=}: the source port of a new connection; out of range is an error.
cat >sport.lua <<'EOF2'
scenario{name = "sport", profiles = {"ws2022"}}
require("seed.acs").cluster()
expect.equal(probe{from = "node1/pod-a_cbr0", to = "web", port = 443}.sent, "tcp 10.244.1.5:49152 -> 203.0.113.10:443")
expect.equal(probe{from = "node1/pod-a_cbr0", to = "web", port = 443, sport = 40000}.sent,
             "tcp 10.244.1.5:40000 -> 203.0.113.10:443")
EOF2
expect 0 --db f.db sport.lua -- "~PASS +sport +ws2022 +2/2"
printf 'scenario{name = "x", profiles = {"ws2022"}}\nrequire("seed.acs").cluster()\nprobe{from = "node1", to = "web", sport = 0}\n' >sport2.lua
expect 2 --db f.db sport2.lua -- "sport2.lua:3: probe: sport"

echo "cli scenarios: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
