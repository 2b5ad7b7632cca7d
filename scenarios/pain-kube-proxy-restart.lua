-- pain-kube-proxy-restart.lua: pain point P1 (consumers-and-pain-points.md
-- §4; kubernetes#109162: "services unreachable meanwhile" at kube-proxy start,
-- PR#109124), the outage a kube-proxy restart causes on a Windows node:
-- NewProxier deletes every HNS load balancer at start-up
-- (hcnutils.go DeleteAllHnsLoadBalancerPolicy, §1.2 step 3), and they come
-- back only at the first sync after the informers have listed the cluster.
-- Every Service VIP of the node is unanswered in between, DNS included;
-- after the resync they answer again, as new objects, with the remote
-- endpoints (never deleted at start-up, proxier.go "TODO: Delete all Hns
-- Remote endpoints") reused by IP. The window here is the informers' 15 s
-- (lua/kubeproxy/README.md: hnsim charges no time per HNS call, so P1's
-- 30 s per policy at scale is not part of it). Node2's kube-proxy is not
-- restarted: its Services answer throughout.
scenario{
  name = "pain-kube-proxy-restart",
  description = "P1, kubernetes#109162: the kube-proxy restart deletes every load balancer; VIPs unanswered until the resync",
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

local kps = {}
for _, n in ipairs({n1, n2}) do
  kps[n.name] = winkernel.new(n.host, cluster, {hostname = n.name, node_ip = n.address, network_name = "cbr0",
                                                informer_sync = "15s"})
  kps[n.name]:loop{period = "30s"}
end
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:service{name = "kube-dns", namespace = "kube-system", cluster_ip = "10.96.0.10",
                ports = {{name = "dns", protocol = "UDP", port = 53, target_port = 53},
                         {name = "dns-tcp", protocol = "TCP", port = 53, target_port = 53}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
cluster:endpoints("kube-system/kube-dns", {{ip = "10.244.2.6", node = "node2"}})

-- Each probe is a new connection (its own source port): none rides on a
-- connection tracked before the load balancers went.
local sport = 50000
local function vip(label, from, to, proto, port, up)
  sport = sport + 1
  local p = {from = from, to = to, proto = proto, port = port, sport = sport, what = label}
  if up then return expect.reach(p) end
  return expect.blocked(p)
end
local function all_vips(t, up)
  for _, node in ipairs({"node1", "node2"}) do
    local from = node .. "/client_cbr0"
    local u = up or node == "node2"
    local state = u and "answers" or "outage"
    vip(t .. ": " .. node .. " pod -> web (" .. state .. ")", from, "10.96.0.20", "tcp", 80, u)
    vip(t .. ": " .. node .. " pod -> DNS udp (" .. state .. ")", from, "10.96.0.10", "udp", 53, u)
    vip(t .. ": " .. node .. " pod -> DNS tcp (" .. state .. ")", from, "10.96.0.10", "tcp", 53, u)
  end
end

run{to = "10s"}
expect.equal(#inspect.loadbalancers(n1.host), 3, "10s: node1 has web and DNS udp/tcp load balancers")
local remote_before = inspect.remote_endpoints(n1.host)
all_vips("10s", true)
expect.invariant()

at("40s", function() kps.node1:restart() end)
run{to = "41s"}
expect.equal(kps.node1.deleted_at_start, 3, "41s: the new kube-proxy deleted node1's 3 load balancers at start-up")
expect.equal(inspect.loadbalancers(n1.host), {}, "41s: node1 has no load balancer")
expect.equal(inspect.ips(inspect.remote_endpoints(n1.host)), inspect.ips(remote_before), "41s: the remote endpoints stay")
all_vips("41s", false)
run{to = "54s"}
all_vips("54s", false)

-- 55 s: the first sync after the restart (40 s + informer_sync 15 s).
run{to = "56s"}
expect.equal(#inspect.loadbalancers(n1.host), 3, "56s: node1's load balancers are back")
expect.equal(inspect.remote_endpoints(n1.host)[1].id, remote_before[1].id, "56s: the remote endpoint was reused by its IP")
all_vips("56s", true)
expect.equal(kps.node1:failures(), {}, "HNS refused nothing")
expect.invariant()
