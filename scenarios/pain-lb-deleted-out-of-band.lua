-- pain-lb-deleted-out-of-band.lua: pain point P3 (consumers-and-pain-points.md
-- §4; kubernetes#135802): a load balancer deleted behind kube-proxy's back
-- (`hnsdiag delete loadbalancers`, or a CNI or kubelet restart doing it) is
-- never made again: the Service stays "policyApplied", and syncProxyRules
-- does not look at an applied Service's load balancer again
-- (lua/kubeproxy/README.md "What a sync checks before reusing"). Here with
-- kube-proxy's own loop on the clock (a sync every 30 s): ten minutes and
-- twenty syncs later the Service is still down on that node, kube-proxy still
-- holds the deleted ID and reports no failure, while the other node, whose
-- load balancer was left alone, serves throughout. Only a change of the
-- Service's endpoints makes kube-proxy program it again.
scenario{
  name = "pain-lb-deleted-out-of-band",
  description = "P3, kubernetes#135802: an out-of-band load balancer deletion never repaired by kube-proxy's sync loop",
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
tb:pod("node2", "web-3", "10.244.2.7")
local n1, n2 = tb.nodes.node1, tb.nodes.node2
local h = n1.host

local kps = {}
for _, n in ipairs({n1, n2}) do
  kps[n.name] = winkernel.new(n.host, cluster, {hostname = n.name, node_ip = n.address, network_name = "cbr0"})
  kps[n.name]:loop{period = "30s", min_sync = "1s"}
end
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})

local sport = 50000
local function probe_web(label, node, up)
  sport = sport + 1
  local p = {from = node .. "/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, sport = sport, what = label}
  if up then return expect.reach(p) end
  return expect.blocked(p)
end

run{to = "10s"}
local id = kps.node1:services()["default/web:http"].cluster_ip
expect.equal(#inspect.find(h, "10.96.0.20", 80), 1, "10s: node1 has web's ClusterIP load balancer")
probe_web("10s: node1 pod -> web", "node1", true)

-- 20s: an operator runs `hnsdiag delete loadbalancers <id>` on node1.
at("20s", function() h:must(h:delete("loadbalancer", id)) end)
run{to = "20s"}
local syncs = kps.node1.syncs
run{to = "620s"}
expect.truthy(kps.node1.syncs - syncs >= 20, string.format("620s: kube-proxy synced %d times since", kps.node1.syncs - syncs))
expect.equal(inspect.find(h, "10.96.0.20", 80), {}, "620s: node1's load balancer was never made again (kubernetes#135802)")
expect.equal(kps.node1:services()["default/web:http"].cluster_ip, id, "620s: kube-proxy still holds the deleted load balancer's ID")
expect.equal(kps.node1:services()["default/web:http"].applied, true, "620s: and counts the Service as applied")
expect.equal(kps.node1:failures(), {}, "620s: kube-proxy reports no failure")
probe_web("620s: node1 pod -> web: still down", "node1", false)
probe_web("620s: node2 pod -> web: node2's load balancer was left alone", "node2", true)

-- 630s: web scales up: the endpoints change, and the next sync programs
-- node1's load balancer again (winProxyOptimization keeps only one whose
-- identity HNS still holds).
at("630s", function()
  cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"},
                            {ip = "10.244.2.7", node = "node2"}})
end)
run{to = "635s"}
expect.equal(inspect.summary(h), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6,10.244.2.7] flags=0 pm=0 dist=0"},
             "635s: after an endpoint change node1's load balancer is back")
probe_web("635s: node1 pod -> web again", "node1", true)
expect.invariant()
