-- kubeproxy_dsr.lua: --enable-dsr. Where HNS has DSR (HNS 9.3 on the
-- 2020-08 Windows Server 2019 update, and later: docs/profiles.md), kube-proxy
-- sets the DSR flag on ClusterIP load balancers and pods reach the Service
-- with DSR on one node and without it on the other. Where HNS lacks it
-- (ws2019-rtm, HNS 9.1), kube-proxy refuses to start; a kube-proxy made to
-- believe in DSR anyway gets HNS's refusal of the load balancer.
-- Sources: proxier.go NewProxier ("if isDSR && DsrSupported() err: return
-- err"; no API V2: panic), hns.go getLoadBalancer (Flags DSR 1),
-- consumers-and-pain-points.md §1.2, §1.4, P8.
scenario{
  name = "kubeproxy-dsr",
  description = "kube-proxy winkernel with and without --enable-dsr, across HNS versions with and without DSR",
  profiles = {"ws2019-rtm", "ws2019", "ws2022"},
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
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})

local n1, n2 = tb.nodes.node1, tb.nodes.node2
local has_dsr = ({["ws2019-rtm"] = false, ws2019 = true, ws2022 = true})[n1.host.profile]

local function options(n, dsr, extra)
  local o = {hostname = n.name, node_ip = n.address, network_name = "cbr0", enable_dsr = dsr}
  for k, v in sorted_pairs(extra or {}) do o[k] = v end
  return o
end

if has_dsr then
  local kp1 = winkernel.new(n1.host, cluster, options(n1, true))
  local kp2 = winkernel.new(n2.host, cluster, options(n2, false))
  expect.equal(kp1.features.DSR, true, "HNS " .. n1.host.profile .. " reports DSR")
  kp1:sync()
  kp2:sync()
  expect.equal(inspect.summary(n1.host), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=1 pm=0 dist=0"},
               "node1 (--enable-dsr): the ClusterIP load balancer has the DSR flag")
  expect.equal(inspect.summary(n2.host), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0"},
               "node2 (no --enable-dsr): no DSR flag")
  expect.equal(kp1:failures(), {}, "HNS refused nothing on node1")
  -- With DSR the backend sees the client's own address and answers it
  -- directly; both nodes' pods reach the Service.
  local _, p = expect.reach{from = "node1/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "DSR: node1 pod -> ClusterIP"}
  expect.truthy(p.received and p.received:match("^tcp 10%.244%.1%.5:"), "DSR keeps the client's address: " .. tostring(p.received))
  expect.reach{from = "node2/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "no DSR: node2 pod -> ClusterIP"}
else
  -- kube-proxy refuses to start: this HNS has neither the v2 API nor DSR.
  local ok, err = pcall(winkernel.new, n1.host, cluster, options(n1, true))
  expect.equal(ok, false, "kube-proxy does not start on " .. n1.host.profile)
  local msg = tostring(err):gsub("^[^:]*/", "") -- without the folder the file was run from
  expect.truthy(msg:find("Api V2 required", 1, true), "it says why: " .. msg)
  -- With the v2 API granted, --enable-dsr still stops it: DsrSupported() fails.
  local ok2, err2 = pcall(winkernel.new, n1.host, cluster, options(n1, true, {features = {ApiV2 = true}}))
  local msg2 = tostring(err2):gsub("^[^:]*/", "")
  expect.equal(ok2, false, "--enable-dsr without HNS DSR: kube-proxy does not start")
  expect.truthy(msg2:find("DSR is not supported", 1, true), "it says why: " .. msg2)
  -- Told that HNS has v2 and DSR, it asks for a DSR load balancer, and HNS
  -- refuses it; the Service stays unapplied and unreachable.
  local kp = winkernel.new(n1.host, cluster, options(n1, true, {features = {ApiV2 = true, DSR = true}}))
  kp:sync()
  local refused = kp:failure("ClusterIP")
  expect.hresult(refused, "E_INVALIDARG", "HNS refuses a DSR load balancer it cannot make")
  expect.truthy(refused and refused.detail and refused.detail:find("DSR", 1, true), "the refusal names DSR: " .. tostring(refused and refused.detail))
  expect.equal(inspect.loadbalancers(n1.host), {}, "no load balancer was made")
  expect.equal(kp:services()["default/web:http"].applied, false, "the policy is not applied (retried every sync)")
  expect.blocked{from = "node1/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "no load balancer: the ClusterIP is not answered"}
  -- Without --enable-dsr the same kube-proxy programs the Service.
  local kp2 = winkernel.new(n2.host, cluster, options(n2, false, {features = {ApiV2 = true}}))
  kp2:sync()
  expect.equal(inspect.summary(n2.host), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0"},
               "without DSR the load balancer is made")
  expect.reach{from = "node2/client_cbr0", to = "10.96.0.20", proto = "tcp", port = 80}
end
