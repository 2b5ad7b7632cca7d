-- kubeproxy_affinity.lua: sessionAffinity ClientIP. kube-proxy asks for
-- DistributionType SourceIP (2) on every load balancer of the Service
-- (hns.go getLoadBalancer), and where HNS lacks the SessionAffinity feature
-- (HNS < 12.0: ws2019) it only logs "Session Affinity is not supported on
-- this version of Windows" and asks anyway (proxier.go syncProxyRules).
-- hnsmock then refuses the load balancer (E_INVALIDARG, hns_loadbalancer.c:
-- HNS's own answer to an unknown distribution is not documented, so this
-- outcome rests on hnsmock's inferred refusal).
scenario{
  name = "kubeproxy-affinity",
  description = "kube-proxy winkernel: session affinity with and without HNS support",
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
local n1 = tb.nodes.node1
local kp = winkernel.new(n1.host, cluster, {hostname = "node1", node_ip = n1.address, network_name = "cbr0"})
cluster:service{name = "web", cluster_ip = "10.96.0.20", session_affinity = "ClientIP",
                ports = {{name = "http", port = 80, target_port = 8080, node_port = 30080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
kp:sync()

if kp.features.SessionAffinity then
  expect.equal(inspect.summary(n1.host), {
    "<node>:30080/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=18 dist=2",
    "10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=2",
  }, "ClientIP affinity: DistributionType SourceIP on the ClusterIP and NodePort load balancers")
  -- One client keeps its backend across load balancers: through the
  -- ClusterIP, then through the NodePort. A probe always uses source port
  -- 49152, so the second would be translated onto the first's tracked
  -- connection (same client, backend and ports) and dropped as a clash;
  -- the clock is run past TCP's 1800 s idle timeout between the two.
  local a = probe{from = "node1/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80}
  run{duration = "31min"}
  local b = probe{from = "node1/client_cbr0", to = "10.240.0.4", proto = "tcp", port = 30080}
  expect.equal({a.verdict, b.verdict}, {"delivered", "delivered"}, "both probes delivered")
  expect.equal(a.received and a.received:match("-> ([%d%.]+):"), b.received and b.received:match("-> ([%d%.]+):"),
               "the same client reaches the same backend through the ClusterIP and the NodePort")
else
  local refused = kp:failure("ClusterIP")
  expect.hresult(refused, "E_INVALIDARG", n1.host.profile .. ": HNS refuses the SourceIP distribution")
  expect.equal(kp:services()["default/web:http"].applied, false, "the policy is not applied")
  expect.truthy(#kp.events > 0 and (function()
    for _, e in ipairs(kp.events) do if e.text:find("session affinity is not supported", 1, true) then return true end end
  end)(), "kube-proxy logged that this Windows has no session affinity")
  -- Without affinity the Service works.
  cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080, node_port = 30080}}}
  kp:sync()
  expect.equal(#inspect.loadbalancers(n1.host), 2, "sessionAffinity None: both load balancers are made")
  expect.reach{from = "node1/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80}
end
