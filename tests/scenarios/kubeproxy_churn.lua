-- kubeproxy_churn.lua: endpoint churn and the reference counts of remote
-- endpoints (consumers-and-pain-points.md §1.8, P5), with kube-proxy's sync
-- loop running on the simulated clock. A remote endpoint shared by two
-- Services stays while one of them still uses it and goes with the last
-- reference; and when two Services lose backends in the same sync, the
-- revision read leaves one of the unreferenced remote endpoints behind
-- (kubernetes#135144), which the fix of PR#135146 removes.
scenario{
  name = "kubeproxy-churn",
  description = "kube-proxy winkernel: remote endpoints created, shared, and deleted with their last reference under pod churn",
  profiles = {"ws2019", "ws2022"},
}

local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local inspect = require("kubeproxy.inspect")

local tb = testbed.l2bridge{nodes = {
  {name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
  {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"},
}}
tb:pod("node1", "client", "10.244.1.5")
tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "web-2", "10.244.2.6")
tb:pod("node2", "web-3", "10.244.2.7")
tb:pod("node2", "api-2", "10.244.2.9")
local n1 = tb.nodes.node1

local function remote_ips() return inspect.ips(inspect.remote_endpoints(n1.host)) end
local function count_of(kp, ip)
  for _, e in ipairs(inspect.remote_endpoints(n1.host)) do
    if e.ip == ip then return kp:refcounts()[e.id] or 0 end
  end
  return nil
end

-- Part 1: one kube-proxy with its loop (every 10 s, and 1 s after a change).
local cluster = require("kubeproxy.cluster").new()
local kp = winkernel.new(n1.host, cluster, {hostname = "node1", node_ip = n1.address, network_name = "cbr0"})
kp:loop{period = "10s", min_sync = "1s"}
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:service{name = "api", cluster_ip = "10.96.0.30", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}, {ip = "10.244.2.7", node = "node2"}})
cluster:endpoints("api", {{ip = "10.244.2.6", node = "node2"}})
run{to = "5s"}
expect.equal(remote_ips(), {"10.244.2.6", "10.244.2.7"}, "5s: a remote endpoint per remote backend")
expect.equal({count_of(kp, "10.244.2.6"), count_of(kp, "10.244.2.7")}, {2, 1}, "5s: 10.244.2.6 is shared by web and api")

-- 20s: web's pod 10.244.2.7 goes away (scale down): its remote endpoint goes
-- at the next sync, web's load balancer is remade without it.
at("20s", function()
  cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
end)
run{to = "25s"}
expect.equal(remote_ips(), {"10.244.2.6"}, "25s: 10.244.2.7's remote endpoint was deleted with its last reference")
expect.equal(inspect.find(n1.host, "10.96.0.20", 80)[1].backends, {"10.244.1.6", "10.244.2.6"}, "25s: web's backends")

-- 30s: 10.244.2.6 leaves web only: api still uses it, so it stays.
at("30s", function() cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}}) end)
run{to = "35s"}
expect.equal(remote_ips(), {"10.244.2.6"}, "35s: still used by api, the shared remote endpoint stays")
expect.equal(count_of(kp, "10.244.2.6"), 1, "35s: one reference left")

-- 40s: api is scaled to a new pod: the last reference goes.
at("40s", function() cluster:endpoints("api", {{ip = "10.244.2.9", node = "node2"}}) end)
run{to = "45s"}
expect.equal(remote_ips(), {"10.244.2.9"}, "45s: 10.244.2.6 deleted with its last reference, 10.244.2.9 made")
expect.equal(inspect.summary(n1.host), {
  "10.96.0.20:80/6 -> 8080 [10.244.1.6] flags=0 pm=0 dist=0",
  "10.96.0.30:80/6 -> 8080 [10.244.2.9] flags=0 pm=0 dist=0",
}, "45s: each Service's load balancer has its current backends only")
expect.reach{from = "node1/client_cbr0", to = "10.96.0.30", proto = "tcp", port = 80, what = "45s: client -> api (remote backend)"}

-- 50s: api loses every endpoint: its load balancer goes too.
at("50s", function() cluster:delete_endpoints("api") end)
run{to = "55s"}
expect.equal(remote_ips(), {}, "55s: no remote endpoint left")
expect.equal(#inspect.find(n1.host, "10.96.0.30", 80), 0, "55s: no load balancer for a Service without endpoints")
expect.equal(kp:failures(), {}, "HNS refused nothing")
expect.truthy(kp.syncs >= 6, "the loop synced (" .. kp.syncs .. " syncs)")

-- Part 2: two Services lose a remote backend each in the same sync, with a
-- fresh kube-proxy each time (part 1's is stopped first).
kp:stop()
local function two_services(clear_once)
  local c = require("kubeproxy.cluster").new()
  local k = winkernel.new(n1.host, c, {hostname = "node1", node_ip = n1.address, network_name = "cbr0",
                                        clear_terminated_once = clear_once})
  c:service{name = "a", cluster_ip = "10.96.1.1", ports = {{name = "http", port = 80, target_port = 8080}}}
  c:service{name = "b", cluster_ip = "10.96.1.2", ports = {{name = "http", port = 80, target_port = 8080}}}
  c:endpoints("a", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.21", node = "node2"}})
  c:endpoints("b", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.22", node = "node2"}})
  k:sync()
  c:endpoints("a", {{ip = "10.244.1.6", node = "node1"}})
  c:endpoints("b", {{ip = "10.244.1.6", node = "node1"}})
  k:sync()
  local left = remote_ips()
  c:delete_service("a")
  c:delete_service("b")
  k:sync()
  return left
end
expect.equal(two_services(false), {"10.244.2.21"},
             "as read (before PR#135146): only the last Service's terminated remote endpoint is deleted; 10.244.2.21 stays, unreferenced")
-- the leak removed by hand (hnsdiag delete endpoints) before the second try
for _, e in ipairs(inspect.remote_endpoints(n1.host)) do n1.host:must(n1.host:delete("endpoint", e.id)) end
expect.equal(two_services(true), {}, "with PR#135146's fix both are deleted")
run{to = "60s"}
