-- kubeproxy_restart.lua: the kube-proxy restart outage (consumers-and-
-- pain-points.md P1, §1.2 step 3). A new kube-proxy process deletes every
-- HNS load balancer at start-up (NewProxier: DeleteAllHnsLoadBalancerPolicy),
-- then programs them again at its first sync: Service VIPs are unanswered in
-- between. hnsim charges no time per HNS call, so the window here is the
-- time until that first sync (`informer_sync`, 15 s: the process start and
-- the informers' first list); on a real node P1's slow programming adds to
-- it. Remote endpoints are not deleted at start-up ("TODO: Delete all Hns
-- Remote endpoints", proxier.go CleanupLeftovers) and are reused by IP.
-- Without the delete-all (node2) the restarted kube-proxy finds its load
-- balancers by their identity and keeps them: no outage.
scenario{
  name = "kubeproxy-restart",
  description = "kube-proxy winkernel restart: the start-up delete-all of load balancers, the outage, the resync",
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
for i = 1, 3 do
  tb:pod("node1", "client-" .. i, "10.244.1." .. (10 + i))
  tb:pod("node2", "client-" .. i, "10.244.2." .. (10 + i))
end
tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "web-2", "10.244.2.6")
local n1, n2 = tb.nodes.node1, tb.nodes.node2
-- The nodes themselves answer only kube-proxy's healthz port: a NodePort
-- without its load balancer is refused by the host.
n1.host:listen("host", "tcp", 10256)
n2.host:listen("host", "tcp", 10256)

local kp1 = winkernel.new(n1.host, cluster, {hostname = "node1", node_ip = n1.address, network_name = "cbr0",
                                             informer_sync = "15s"})
local kp2 = winkernel.new(n2.host, cluster, {hostname = "node2", node_ip = n2.address, network_name = "cbr0",
                                             informer_sync = "15s", delete_all_at_start = false})
kp1:loop{period = "30s"}
kp2:loop{period = "30s"}
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080, node_port = 30080}}}
cluster:service{name = "dns", namespace = "kube-system", cluster_ip = "10.96.0.10",
                ports = {{name = "dns", protocol = "UDP", port = 53, target_port = 53}, {name = "dns-tcp", protocol = "TCP", port = 53, target_port = 53}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
cluster:endpoints("kube-system/dns", {{ip = "10.244.2.6", node = "node2"}})

-- Before: every VIP answers on both nodes. Each phase probes from its own
-- client pod (and the internet client reaches node2 first, node1 later),
-- so no probe reuses a connection an earlier one left in the tracking
-- tables: hnsim keeps tracked connections of a deleted load balancer until
-- they expire (docs/dataplane.md, inferred), and a probe's source port is
-- always 49152.
run{to = "10s"}
local lbs_before = inspect.loadbalancers(n1.host)
local remote_before = inspect.remote_endpoints(n1.host)
expect.equal(#lbs_before, 4, "10s: node1 has web's ClusterIP and NodePort and DNS's UDP and TCP load balancers")
expect.reach{from = "node1/client-1_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "10s: node1 pod -> web"}
expect.reach{from = "node1/client-1_cbr0", to = "10.96.0.10", proto = "udp", port = 53, what = "10s: node1 pod -> DNS"}
expect.reach{from = "web", to = "10.240.0.5", proto = "tcp", port = 30080, what = "10s: internet -> node2:30080"}

-- 40s: both kube-proxies restart.
at("40s", function()
  kp1:restart()
  kp2:restart()
end)
run{to = "41s"}
expect.equal(kp1.deleted_at_start, 4, "node1's kube-proxy deleted the 4 load balancers at start-up")
expect.equal(inspect.loadbalancers(n1.host), {}, "41s: node1 has no load balancer")
expect.equal(inspect.ips(inspect.remote_endpoints(n1.host)), inspect.ips(remote_before), "41s: the remote endpoints stay")
expect.blocked{from = "node1/client-2_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "41s: outage: node1 pod -> web"}
expect.blocked{from = "node1/client-2_cbr0", to = "10.96.0.10", proto = "udp", port = 53, what = "41s: outage: node1 pod -> DNS"}
expect.blocked{from = "web", to = "10.240.0.4", proto = "tcp", port = 30080, verdict = "refused",
               what = "41s: outage: internet -> node1:30080 (no NodePort load balancer: the host refuses)"}
-- node2's kube-proxy kept its load balancers: no outage there.
expect.equal(kp2.deleted_at_start, 0, "node2's kube-proxy deletes nothing at start-up")
expect.reach{from = "node2/client-2_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "41s: node2 pod -> web (no delete-all)"}

-- 55s: the first sync after the restart programs everything again.
run{to = "56s"}
local lbs_after = inspect.loadbalancers(n1.host)
expect.equal(#lbs_after, 4, "56s: node1's load balancers are back")
expect.truthy(lbs_after[1].id ~= lbs_before[1].id, "56s: as new objects (new IDs)")
local same = {}
for i, e in ipairs(inspect.remote_endpoints(n1.host)) do same[i] = e.id == remote_before[i].id end
expect.equal(same, {true}, "56s: the remote endpoint was found by its IP and reused")
expect.reach{from = "node1/client-3_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "56s: node1 pod -> web again"}
expect.reach{from = "node1/client-3_cbr0", to = "10.96.0.10", proto = "udp", port = 53, what = "56s: node1 pod -> DNS again"}
expect.reach{from = "web", to = "10.240.0.4", proto = "tcp", port = 30080, what = "56s: internet -> node1:30080 again"}
-- node2 reused its load balancers by identity: the same IDs.
local ids = {}
for _, lb in ipairs(inspect.loadbalancers(n2.host)) do ids[#ids + 1] = lb.id end
local s2 = kp2:services()
local known = {}
for _, spn in ipairs({"default/web:http", "kube-system/dns:dns", "kube-system/dns:dns-tcp"}) do known[#known + 1] = s2[spn].cluster_ip end
table.sort(known)
local cluster_ids = {}
for _, lb in ipairs(inspect.loadbalancers(n2.host)) do if lb.vip ~= "" then cluster_ids[#cluster_ids + 1] = lb.id end end
table.sort(cluster_ids)
expect.equal(known, cluster_ids, "56s: node2's restarted kube-proxy adopted the load balancers it found")
expect.equal(#ids, 4, "56s: node2 still has 4 load balancers")
expect.equal(kp1:failures(), {}, "HNS refused nothing on node1")
expect.equal(kp2:failures(), {}, "HNS refused nothing on node2")
run{to = "60s"}
