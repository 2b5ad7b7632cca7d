-- service-lb.lua: the seed's design (f), issue 5 point 5: kube-proxy
-- service load balancing across two Windows hosts, the way that replaced
-- the seed's "Service IPs can only be associated with one Container Host and
-- will not be load-balanced" (seed-windows-networking-for-kubernetes.txt,
-- scenarios/acs-udr.lua's era): kube-proxy winkernel on every node programs
-- an HNS load balancer per Service port with every backend of the cluster,
-- local pods as they are, remote pods as remote endpoints
-- (consumers-and-pain-points.md §1.4 the object table, §1.5 remote
-- endpoints; lua/kubeproxy/README.md). Two kube-proxy configurations in one
-- run: first without --enable-dsr on both nodes, then both kube-proxies
-- restarted with --enable-dsr (its start-up delete-all clears the first
-- configuration's load balancers), where the ClusterIP load balancer carries
-- the DSR flag 1 (hns.go getLoadBalancer; §1.2, P8). HNS has DSR from 9.3
-- (the 2020-08 WS2019 update) on: ws2019 and ws2022 (docs/profiles.md).
-- In both, pods on both nodes reach the ClusterIP, several connections are
-- spread over both backends, and the table read back from HNS is the one
-- §1.4 gives. The DSR hairpin (a pod reaching a Service whose chosen backend
-- is itself) is pain-dsr-hairpin.lua.
scenario{
  name = "service-lb",
  description = "kube-proxy winkernel load balancing a ClusterIP across two Windows nodes, without and with DSR",
  profiles = {"ws2019", "ws2022"},
}

local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local inspect = require("kubeproxy.inspect")
local cluster = require("kubeproxy.cluster").new()

local tb = testbed.l2bridge{nodes = {
  {name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
  {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"},
}}
tb:pod("node1", "client", "10.244.1.5")
tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "client", "10.244.2.5")
tb:pod("node2", "web-2", "10.244.2.6")
local n1, n2 = tb.nodes.node1, tb.nodes.node2

cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})

local function proxies(dsr)
  local kps = {}
  for _, n in ipairs({n1, n2}) do
    kps[#kps + 1] = winkernel.new(n.host, cluster, {hostname = n.name, node_ip = n.address, network_name = "cbr0",
                                                     enable_dsr = dsr})
  end
  for _, kp in ipairs(kps) do kp:sync() end
  return kps
end

-- From `client` on `node`, connections with source ports from `sport0`:
-- which backends answered (the destination the backend saw), and which
-- source address the backends saw.
local function spread(node, sport0, label)
  local backends, sources = {}, {}
  for i = 0, 7 do
    local _, p = expect.reach{from = node .. "/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80,
                              sport = sport0 + i, what = string.format("%s: %s pod -> ClusterIP (sport %d)", label, node, sport0 + i)}
    local src, dst = (p.received or ""):match("^tcp ([%d%.]+):%d+ %-> ([%d%.]+):8080$")
    if dst then backends[dst] = true end
    if src then sources[src] = true end
  end
  local b, s = {}, {}
  for k in sorted_pairs(backends) do b[#b + 1] = k end
  for k in sorted_pairs(sources) do s[#s + 1] = k end
  return b, s
end

local BOTH = {"10.244.1.6", "10.244.2.6"}

-- 1. Without DSR.
local kps = proxies(false)
for _, n in ipairs({n1, n2}) do
  expect.equal(inspect.summary(n.host), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0"},
               n.name .. " (no DSR): one ClusterIP load balancer, both backends, port 80 -> 8080, no DSR flag")
end
expect.equal(inspect.ips(inspect.remote_endpoints(n1.host)), {"10.244.2.6"}, "node1: web-2 is a remote endpoint")
expect.equal(inspect.ips(inspect.remote_endpoints(n2.host)), {"10.244.1.6"}, "node2: web-1 is a remote endpoint")
for _, node in ipairs({"node1", "node2"}) do
  local b, s = spread(node, 50000, "no DSR")
  local own = node == "node1" and "10.244.1.5" or "10.244.2.5"
  expect.equal(b, BOTH, "no DSR: " .. node .. "'s connections are spread over both backends")
  -- L2Bridge: SourceVIP empty, so the load balancer only rewrites the
  -- destination (§1.4); hnsim shows no other difference on this path.
  expect.equal(s, {own}, "no DSR: the backends see the client pod's own address (no source VIP on L2Bridge)")
end
for _, kp in ipairs(kps) do expect.equal(kp:failures(), {}, kp.hostname .. " (no DSR): HNS refused nothing") end
expect.invariant()

-- 2. kube-proxy restarted with --enable-dsr on both nodes, a minute on (the
-- clock also ends the first configuration's tracked connections' relevance:
-- new source ports are used below anyway).
for _, kp in ipairs(kps) do kp:stop() end
run{to = "60s"}
kps = proxies(true)
for _, kp in ipairs(kps) do
  expect.equal(kp.features.DSR, true, kp.hostname .. ": HNS " .. kp.host.profile .. " reports DSR")
  expect.equal(kp.deleted_at_start, 1, kp.hostname .. ": the restarted kube-proxy deleted the old load balancer at start-up")
end
for _, n in ipairs({n1, n2}) do
  expect.equal(inspect.summary(n.host), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=1 pm=0 dist=0"},
               n.name .. " (DSR): the ClusterIP load balancer carries the DSR flag")
  expect.equal(#inspect.remote_endpoints(n.host), 1, n.name .. " (DSR): the remote endpoint was found by its IP and reused")
end
for _, node in ipairs({"node1", "node2"}) do
  local b, s = spread(node, 51000, "DSR")
  local own = node == "node1" and "10.244.1.5" or "10.244.2.5"
  expect.equal(b, BOTH, "DSR: " .. node .. "'s connections are spread over both backends")
  expect.equal(s, {own}, "DSR: the backends see the client pod's own address")
end
for _, kp in ipairs(kps) do expect.equal(kp:failures(), {}, kp.hostname .. " (DSR): HNS refused nothing") end
expect.invariant()
