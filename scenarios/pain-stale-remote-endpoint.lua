-- pain-stale-remote-endpoint.lua: pain point P5 (consumers-and-pain-points.md
-- §4; kubernetes#135144, fixed by PR#135146; the symptom of
-- Windows-Containers#631 and kubernetes#137381: "remote endpoints stay after
-- delete"): pod churn on node2 takes a backend from each of two Services in
-- the same sync. kube-proxy's terminatedEndpoints is cleared once per changed
-- Service, so only the last Service's terminated remote endpoint is deleted;
-- the other stays on node1, named by no load balancer, standing for a pod
-- that no longer exists (lua/kubeproxy/README.md; hnsim walks the Services
-- in byte order, one of the orders Go's map gives). The leak is the rule of
-- the invariants remote-endpoints-referenced and remote-endpoints-live
-- (docs/invariants.md): computed here from HNS's answers with
-- kubeproxy.inspect, and caught by the checks themselves
-- (expect.violation). After the leaked endpoint is
-- removed by hand (`hnsdiag delete endpoints`), and with PR#135146's fix on a
-- second round of the same churn, both invariants hold.
scenario{
  name = "pain-stale-remote-endpoint",
  description = "P5, kubernetes#135144: a remote endpoint left on node1 after pod churn on node2, and the fix",
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
local n1, n2 = tb.nodes.node1, tb.nodes.node2

-- A pod on node2 that can be deleted again (kubelet's DEL: out of its
-- namespace, then the endpoint and the namespace deleted).
local V2 = {Major = 2, Minor = 0}
local function pod2(sandbox, ip)
  local h = n2.host
  local ns = h:must(h:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = h:must(h:create_endpoint(n2.network, {Name = sandbox .. "_cbr0", HostComputeNetwork = n2.network.id,
    SchemaVersion = V2, IpConfigurations = {{IpAddress = ip, PrefixLength = 24}},
    Routes = {{NextHop = "10.244.2.2", DestinationPrefix = "0.0.0.0/0"}},
    Policies = {{Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16", "10.96.0.0/12", "10.240.0.0/16"}}}}}))
  h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add", Settings = {EndpointId = ep.id}}))
  return function()
    h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Remove", Settings = {EndpointId = ep.id}}))
    h:must(h:delete("endpoint", ep.id))
    h:must(h:delete("namespace", ns.id))
  end
end

-- The two rules, from what node1's and node2's HNS answer.
local function stale_on_node1()
  local named, held = {}, {}
  for _, lb in ipairs(inspect.loadbalancers(n1.host)) do
    for _, id in ipairs(lb.endpoints) do named[string.upper(id)] = true end
  end
  for _, e in ipairs(inspect.endpoints(n2.host)) do if not e.remote then held[e.ip] = true end end
  local unreferenced, dead = {}, {}
  for _, e in ipairs(inspect.remote_endpoints(n1.host)) do
    if not named[string.upper(e.id)] then unreferenced[#unreferenced + 1] = e.ip end
    if not held[e.ip] then dead[#dead + 1] = e.ip end
  end
  return {referenced = unreferenced, live = dead}
end

local function churn(round, clear_once, ip_a, ip_b)
  local cluster = require("kubeproxy.cluster").new()
  local kp = winkernel.new(n1.host, cluster, {hostname = "node1", node_ip = n1.address, network_name = "cbr0",
                                             clear_terminated_once = clear_once})
  kp:loop{period = "30s", min_sync = "1s"}
  local del_a, del_b = pod2("a-" .. round, ip_a), pod2("b-" .. round, ip_b)
  cluster:service{name = "a", cluster_ip = "10.96.1.1", ports = {{name = "http", port = 80, target_port = 8080}}}
  cluster:service{name = "b", cluster_ip = "10.96.1.2", ports = {{name = "http", port = 80, target_port = 8080}}}
  cluster:endpoints("a", {{ip = "10.244.1.6", node = "node1"}, {ip = ip_a, node = "node2"}})
  cluster:endpoints("b", {{ip = "10.244.1.6", node = "node1"}, {ip = ip_b, node = "node2"}})
  run{duration = "5s"}
  expect.equal(inspect.ips(inspect.remote_endpoints(n1.host)), {ip_a, ip_b}, round .. ": a remote endpoint per node2 backend")
  expect.invariant("remote-endpoints-referenced")
  expect.invariant("remote-endpoints-live")
  -- Both node2 pods are deleted (a rollout); both EndpointSlices change
  -- before kube-proxy's next sync.
  after("1s", function()
    del_a(); del_b()
    cluster:endpoints("a", {{ip = "10.244.1.6", node = "node1"}})
    cluster:endpoints("b", {{ip = "10.244.1.6", node = "node1"}})
  end)
  run{duration = "5s"}
  expect.equal(kp:failures(), {}, round .. ": HNS refused nothing")
  local stale = stale_on_node1()
  kp:stop()
  return stale
end

local leak = churn("as read", false, "10.244.2.21", "10.244.2.22")
expect.equal(leak, {referenced = {"10.244.2.21"}, live = {"10.244.2.21"}},
             "as read (kubernetes#135144): 10.244.2.21 stays on node1, named by no load balancer, its pod gone")
expect.violation("remote-endpoints-referenced", "10.244.2.21")
expect.violation("remote-endpoints-live", "10.244.2.21")
expect.reach{from = "node1/client_cbr0", to = "10.96.1.1", proto = "tcp", port = 80, sport = 50001,
             what = "service a still answers, from its node1 backend"}

-- hnsdiag delete endpoints: the operator's clean-up.
for _, e in ipairs(inspect.remote_endpoints(n1.host)) do n1.host:must(n1.host:delete("endpoint", e.id)) end
expect.invariant("remote-endpoints-referenced")
expect.invariant("remote-endpoints-live")

local fixed = churn("with PR#135146", true, "10.244.2.31", "10.244.2.32")
expect.equal(fixed, {referenced = {}, live = {}}, "with PR#135146's fix no remote endpoint is left")
expect.invariant("remote-endpoints-referenced")
expect.invariant("remote-endpoints-live")
expect.invariant()
