-- flannel-host-gw.lua: the seed's design (h), issue 5 point 5: flannel's
-- host-gw backend with the real cni.conf, sdn_flannel_l2bridge_cni.conf
-- (microsoft/SDN Kubernetes/flannel/l2bridge/cni/config/cni.conf, in
-- ../shared/reference/cni-samples/, read from tests/corpus/cni-samples), through
-- the CNI module (lua/cni/README.md): flanneld makes the L2Bridge network
-- cbr0 and the bridge endpoint cbr0_ep at x.2 and adds a host route per peer
-- lease (flannel pkg/backend/hostgw/hostgw_windows.go RouteNetwork: the
-- Windows route table, not the cloud router), and kubelet (dockershim, as the
-- file's era) runs the flannel meta-plugin delegating to win-bridge (HNS v1).
-- The file's OutBoundNAT exceptions (10.244.0.0/16 pods, 10.96.0.0/12
-- services, 10.127.130.0/24 nodes) decide what is not NATed
-- (consumers-and-pain-points.md P14, SDN#170): pod -> its node and pod ->
-- another node keep the pod's address, pod -> pod across nodes too, and pod
-- -> internet is SNATed to the node's address. The file's /32 ROUTE names
-- the node it was written for (10.127.130.38, node1 here): microsoft/SDN's
-- start scripts write the file per node, so node2 gets the same file with its
-- own address in that ROUTE. Before flanneld has learnt the peer's lease
-- there is no route to the peer's pods, and the trace says where.
-- tests/scenarios/cni_flannel_l2bridge_v1.lua holds the module's details
-- (the first ADD colliding with cbr0_ep, microsoft/SDN#333; results; DEL).
scenario{
  name = "flannel-host-gw",
  description = "flannel host-gw + win-bridge with sdn_flannel_l2bridge_cni.conf: OutBoundNAT exceptions across two nodes",
  profiles = {"1803", "ws2019", "ws2022"},
}

local samples = require("cni.samples")
local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")

local CONF1 = samples["sdn_flannel_l2bridge_cni.conf"]
local CONF2, subs = CONF1:gsub("10%.127%.130%.38/32", "10.127.130.39/32")
assert(subs == 1, "the sample's /32 ROUTE")

require("seed.lan").lay("10.127.130.1/24")

local function node(name, address, subnet)
  local h = host(name, {nics = {{name = "Ethernet", segment = "lan", address = address .. "/24"}}, gateway = "10.127.130.1"})
  flannel.host_gw(h, {subnet = subnet})
  return h, {network = "10.244.0.0/16", subnet = subnet, mtu = 1500, ipmasq = true}
end

-- kubelet runs the pod; its first ADD on a node meets cbr0_ep's x.2
-- (microsoft/SDN#333) and kubelet retries the sandbox.
local function pod(h, conf, env, name)
  local p = {name = name, namespace = "default", sandbox = "pause-" .. name, containers = {"app-" .. name}}
  local st = kubelet.dockershim_run(h, conf, p, {subnet_env = env})
  if not st then st = assert(kubelet.dockershim_run(h, conf, p, {subnet_env = env})) end
  return st, h.name .. "/pause-" .. name .. "_cbr0", st.result.ip4.ip:match("^[^/]+")
end

local n1, env1 = node("node1", "10.127.130.38", "10.244.1.0/24")
local n2, env2 = node("node2", "10.127.130.39", "10.244.2.0/24")
local _, a, ip_a = pod(n1, CONF1, env1, "a")
local _, c, ip_c = pod(n2, CONF2, env2, "c")
expect.equal({ip_a, ip_c}, {"10.244.1.3", "10.244.2.3"}, "host-local's addresses (x.2 is cbr0_ep's)")

-- Before flanneld learns the peer leases: node1 has no route to node2's pods.
-- The pod's packet, not NATed (10.244.0.0/16 is an exception), leaves node1
-- for its default gateway, which knows no pod subnet.
expect.blocked{from = a, to = ip_c, proto = "tcp", port = 80, verdict = "no route", reason = "at router gw",
               what = "no peer route yet: pod-a -> pod-c has no route"}

-- flanneld's RouteNetwork: a host route per peer lease.
flannel.host_gw_route(n1, "10.244.2.0/24", "10.127.130.39")
flannel.host_gw_route(n2, "10.244.1.0/24", "10.127.130.38")

local function received(label, from, to, port, want)
  local _, p = expect.reach{from = from, to = to, proto = "tcp", port = port, what = label}
  expect.equal(p.received, want, label .. ": as the receiver sees it")
end

-- Pod to pod across nodes, both ways: the pods' own addresses.
received("pod-a -> pod-c across nodes", a, ip_c, 80, "tcp 10.244.1.3:49152 -> 10.244.2.3:80")
received("pod-c -> pod-a across nodes", c, ip_a, 80, "tcp 10.244.2.3:49152 -> 10.244.1.3:80")
-- Pod to its node (the exception 10.127.130.0/24 and the /32 ROUTE): the pod's address.
received("pod-a -> its node", a, "10.127.130.38", 10250, "tcp 10.244.1.3:49152 -> 10.127.130.38:10250")
received("pod-c -> its node", c, "10.127.130.39", 10250, "tcp 10.244.2.3:49152 -> 10.127.130.39:10250")
-- Pod to the other node: the node subnet is an exception too.
received("pod-a -> node2", a, "10.127.130.39", 10250, "tcp 10.244.1.3:49152 -> 10.127.130.39:10250")
-- Pod to the internet: not an exception, SNATed to the node (OutBoundNAT).
received("pod-a -> internet", a, "web", 443, "tcp 10.127.130.38:49152 -> 203.0.113.10:443")
received("pod-c -> internet", c, "web", 443, "tcp 10.127.130.39:49152 -> 203.0.113.10:443")
-- The internet does not reach a pod: its /24 is known only to the nodes.
expect.blocked{from = "web", to = ip_a, proto = "tcp", port = 80, verdict = "no route", reason = "at router gw",
               what = "internet -> pod-a: no route at the gateway"}

if n1.profile ~= "1803" then expect.invariant() end -- 1803 has no v2 API to read
