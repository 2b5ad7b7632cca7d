-- kubeproxy_objects.lua: the HNS object table kube-proxy winkernel builds for
-- a ClusterIP Service with local and remote backends
-- (consumers-and-pain-points.md §1.4, §1.8), checked by reading each node's
-- HNS back, and a pod reaching the Service through it.
scenario{
  name = "kubeproxy-objects",
  description = "kube-proxy winkernel: ClusterIP load balancers and reference-counted remote endpoints on two L2Bridge nodes",
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
tb:pod("node2", "web-2", "10.244.2.6")
tb:pod("node2", "web-3", "10.244.2.7")

local function proxy(name)
  local n = tb.nodes[name]
  return winkernel.new(n.host, cluster, {hostname = name, node_ip = n.address, network_name = "cbr0"})
end
local kp1, kp2 = proxy("node1"), proxy("node2")

cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {
  {ip = "10.244.1.6", node = "node1"},
  {ip = "10.244.2.6", node = "node2"},
  {ip = "10.244.2.7", node = "node2"},
})
expect.equal(kp1:sync(), "synced", "node1's first sync")
expect.equal(kp2:sync(), "synced", "node2's first sync")

-- node1: one load balancer on the ClusterIP, 80 -> 8080, no flags (no DSR,
-- no affinity), no SourceVIP on l2bridge; its backends: the local pod's own
-- endpoint and two remote endpoints kube-proxy made.
local n1 = tb.nodes.node1.host
expect.equal(inspect.summary(n1), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6,10.244.2.7] flags=0 pm=0 dist=0"},
             "node1's load balancers")
local remote = inspect.remote_endpoints(n1)
expect.equal(inspect.ips(remote), {"10.244.2.6", "10.244.2.7"}, "node1's remote endpoints: node2's backends")
expect.equal(remote[1].mac, "02-11-0A-F4-02-06", "a remote endpoint's MAC is 02-11 and the IP's bytes (conjureMac)")
expect.equal(remote[1].provider_address, nil, "no ProviderAddress on l2bridge")
-- node2 sees the mirror image.
expect.equal(inspect.ips(inspect.remote_endpoints(tb.nodes.node2.host)), {"10.244.1.6"}, "node2's remote endpoint")
expect.equal(#inspect.loadbalancers(tb.nodes.node2.host), 1, "node2 has its own ClusterIP load balancer")

-- A second Service over two of the same backends shares their remote endpoints.
cluster:service{name = "web-alt", cluster_ip = "10.96.0.21", ports = {{name = "http", port = 8081, target_port = 8080}}}
cluster:endpoints("web-alt", {{ip = "10.244.2.6", node = "node2"}, {ip = "10.244.1.6", node = "node1"}})
kp1:sync()
kp2:sync()
local by_ip = {}
for _, e in ipairs(inspect.remote_endpoints(n1)) do by_ip[e.ip] = e.id end
local counts = kp1:refcounts()
expect.equal({counts[by_ip["10.244.2.6"]], counts[by_ip["10.244.2.7"]]}, {2, 1},
             "reference counts: 10.244.2.6 is used by two Services, 10.244.2.7 by one")
expect.equal(#inspect.remote_endpoints(n1), 2, "no new remote endpoint for the shared backend")
expect.equal(inspect.summary(n1), {
  "10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6,10.244.2.7] flags=0 pm=0 dist=0",
  "10.96.0.21:8081/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0",
}, "node1's load balancers with both Services")
expect.equal(kp1:failures(), {}, "HNS refused nothing")

-- A sync with nothing changed makes no new object and keeps the IDs.
local before = kp1:services()
kp1:sync()
expect.equal(kp1:services(), before, "an idle sync keeps every load balancer")

-- The data path: a pod on node1 reaches the Service, and so does a pod on
-- node2 through node2's own load balancer.
expect.reach{from = "node1/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80}
expect.reach{from = "node2/web-3_cbr0", to = "10.96.0.21", proto = "tcp", port = 8081}
local p = probe{from = "node1/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80}
expect.truthy(p.received and p.received:match(":8080$"), "the backend sees its target port 8080: " .. tostring(p.received))
