-- pain-hns-restart.lua: pain point P6 (consumers-and-pain-points.md §4;
-- calico#5164 and docker/for-win#12425: after `Restart-Service hns` on WS2022
-- the endpoints were gone and not recreated). HNS restarts on node1 and
-- re-hydrates its networks only (fault.restart mode "networks-only",
-- hnsmock/hns_lifecycle.h; docs/profiles.md "Persistence": an object naming
-- a lost one is lost with it): cbr0 stays, with the same ID, but every
-- endpoint goes (the pods', the host's cbr0_ep, kube-proxy's remote ones)
-- and the load balancers with them. node1's pods are unreachable until
-- kubelet runs their sandboxes again (new endpoints, and a new pod IP from
-- the IPAM, whose store outlived HNS) and the node's setup makes cbr0_ep
-- again; the changed EndpointSlice then makes kube-proxy program the Service
-- again. The pods here are the testbed's win-bridge-like endpoints
-- (lua/kubeproxy/testbed.lua), not the CNI module's.
scenario{
  name = "pain-hns-restart",
  description = "P6, calico#5164: HNS restarts keeping networks only; pods lose their endpoints until recreated",
  profiles = {"ws2019", "ws2022"},
}

local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local inspect = require("kubeproxy.inspect")
local cluster = require("kubeproxy.cluster").new()
local V2 = {Major = 2, Minor = 0}

local tb = testbed.l2bridge{nodes = {
  {name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
  {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"},
}}
tb:pod("node1", "client", "10.244.1.5")
tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "client", "10.244.2.5")
local n1 = tb.nodes.node1
local h = n1.host

local kps = {}
for _, n in ipairs({n1, tb.nodes.node2}) do
  kps[n.name] = winkernel.new(n.host, cluster, {hostname = n.name, node_ip = n.address, network_name = "cbr0"})
  kps[n.name]:loop{period = "30s", min_sync = "1s"}
end
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}})

local sport = 50000
local function p(label, from, to, port, up)
  sport = sport + 1
  local t = {from = from, to = to, proto = "tcp", port = port, sport = sport, what = label}
  if up then return expect.reach(t) end
  return expect.blocked(t)
end

run{to = "10s"}
p("10s: node2 pod -> node1's web pod", "node2/client_cbr0", "10.244.1.6", 8080, true)
p("10s: node2 pod -> web ClusterIP", "node2/client_cbr0", "10.96.0.20", 80, true)
local net_id = n1.network.id

local report
at("20s", function() report = fault.restart(h, "networks-only") end)
run{to = "21s"}
expect.equal(report.kept.network, 1, "21s: cbr0 was re-hydrated")
expect.equal(h:must(h:enumerate("network")).output, {net_id}, "21s: with the same ID")
expect.equal(h:must(h:enumerate("endpoint")).output, {}, "21s: no endpoint is left on node1 (calico#5164)")
expect.equal(inspect.loadbalancers(h), {}, "21s: nor a load balancer")
p("21s: node2 pod -> node1's web pod: its endpoint is gone", "node2/client_cbr0", "10.244.1.6", 8080, false)
p("21s: node2 pod -> web ClusterIP: its only backend is gone", "node2/client_cbr0", "10.96.0.20", 80, false)
run{to = "50s"}
p("50s: kube-proxy's syncs alone bring nothing back", "node2/client_cbr0", "10.96.0.20", 80, false)

-- 60s: the node's setup makes cbr0_ep again; kubelet runs web-1's sandbox
-- again (new IP 10.244.1.7) and the EndpointSlice follows.
at("60s", function()
  local ep = h:must(h:create_endpoint(n1.network, {Name = "cbr0_ep", HostComputeNetwork = net_id, SchemaVersion = V2,
                                                   IpConfigurations = {{IpAddress = "10.244.1.2", PrefixLength = 24}}}))
  h:must(h:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {SystemType = "Host", CompartmentId = 1}))
  tb:pod("node1", "client-2", "10.244.1.8")
  tb:pod("node1", "web-1b", "10.244.1.7")
  cluster:endpoints("web", {{ip = "10.244.1.7", node = "node1"}})
end)
run{to = "65s"}
p("65s: node2 pod -> node1's new web pod", "node2/client_cbr0", "10.244.1.7", 8080, true)
p("65s: node2 pod -> web ClusterIP again", "node2/client_cbr0", "10.96.0.20", 80, true)
p("65s: node1 pod -> web ClusterIP", "node1/client-2_cbr0", "10.96.0.20", 80, true)
expect.equal(inspect.summary(h), {"10.96.0.20:80/6 -> 8080 [10.244.1.7] flags=0 pm=0 dist=0"}, "65s: node1's load balancer is back")
expect.invariant()
