-- kubeproxy_modify.lua: the update-in-place path (loadbalancer.go
-- manageLoadbalancer with supportedFeatures.ModifyLoadbalancer). No profile
-- has that feature by hnslib's ranges (HNS 15.5+), so it is forced on here,
-- as a kube-proxy with hcsshim's range (15.4+) would have it:
--  - ws2025 (HNS 15.4) answers the modify with success and keeps the old
--    backends (kubernetes#131466; docs/profiles.md note 19): the load
--    balancer keeps its ID and its stale backend list;
--  - ws2022 has no modify call: kube-proxy takes the refusal as "not
--    implemented" (PR#124092), turns the feature off and deletes and
--    creates instead (a new ID, the right backends). Which HRESULT hcn's
--    IsNotImplemented matches is inferred (lua/kubeproxy/hns.lua).
scenario{
  name = "kubeproxy-modify",
  description = "kube-proxy winkernel updating load balancers in place: ignored on ws2025, refused on ws2022",
  profiles = {"ws2022", "ws2025"},
}

local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local inspect = require("kubeproxy.inspect")
local cluster = require("kubeproxy.cluster").new()

local tb = testbed.l2bridge{nodes = {
  {name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
  {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"},
}}
tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "web-2", "10.244.2.6")
tb:pod("node2", "web-3", "10.244.2.7")
local h = tb.nodes.node1.host
local kp = winkernel.new(h, cluster, {hostname = "node1", node_ip = "10.240.0.4", network_name = "cbr0",
                                      features = {ModifyLoadbalancer = true}})
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
kp:sync()
local before = inspect.find(h, "10.96.0.20", 80)[1]
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.7", node = "node2"}})
kp:sync()
local after = inspect.find(h, "10.96.0.20", 80)[1]

if h.profile == "ws2025" then
  expect.equal(after.id, before.id, "ws2025: updated in place, the same load balancer")
  expect.equal(after.backends, {"10.244.1.6", "10.244.2.6"},
               "ws2025: HNS said yes and kept the old backends (kubernetes#131466)")
  expect.equal(kp.features.ModifyLoadbalancer, true, "kube-proxy believes the update worked")
  -- It then deletes 10.244.2.6's remote endpoint, which the unchanged load
  -- balancer still names: HNS refuses.
  expect.hresult(kp:failure("terminated endpoint 10.244.2.6"), "HCN_E_ENTITY_HAS_REFERENCES",
                 "ws2025: the old backend's remote endpoint cannot go while the load balancer names it")
else
  expect.hresult(kp:failure("updateLoadBalancer"), "HCN_E_REQUEST_UNSUPPORTED", "ws2022: HNS has no modify call")
  expect.equal(kp.features.ModifyLoadbalancer, false, "kube-proxy turned the feature off")
  expect.truthy(after.id ~= before.id, "ws2022: deleted and made again")
  expect.equal(after.backends, {"10.244.1.6", "10.244.2.7"}, "ws2022: the new backends")
end
