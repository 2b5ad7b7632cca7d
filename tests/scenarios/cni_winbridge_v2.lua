-- cni_winbridge_v2.lua: tests/corpus/cni-samples/cniplugins_win-bridge_sample-v2.conf
-- as given (containernetworking/plugins plugins/main/windows/win-bridge/
-- sample-v2.conf): flannel delegating to win-bridge with "apiVersion": 2
-- (HCN v2 policies, HostComputeNamespace) and loopbackDSR, under
-- containerd.
--
-- The cluster the file was written for: pods 192.168.0.0/16, services
-- 11.0.0.0/8, nodes on 10.137.196.0/23 plus this node 10.137.198.27 (its
-- /32 SDNRoute; the file's two prefixes do not meet, so the node's NIC is
-- a /22 holding both). flanneld host-gw makes cbr0 and cbr0_ep (x.2) on
-- both nodes; containerd makes one namespace per pod and calls ADD once.
--
-- Expected:
--   * the first ADD collides with cbr0_ep at x.2 (microsoft/SDN#333);
--     containerd removes the namespace, and its retry gets x.3;
--   * the HCN endpoint "<sandbox>_cbr0": IpConfigurations x.3, the
--     default route to x.2, DNS, the file's OutBoundNAT and two SDNRoutes,
--     and where HNS supports DSR (9.3 and later: ws2019 with the 2020-08
--     update and later, not ws2019-rtm) the loopback DSR policy
--     OutBoundNAT {Destinations: [pod IP]} (pkg/hns ApplyLoopbackDSRPolicy);
--   * the endpoint is in the pod's namespace and the namespace lists it;
--   * a second ADD into the same namespace fails: HNS refuses to add an
--     endpoint already in a namespace (win-bridge v2 ADD is not
--     idempotent, unlike sdnbridge's);
--   * pod to pod across nodes, pod to the internet (as the node); pod to
--     its own node fails with this file as given (see below);
--   * DEL takes the endpoint out of the namespace and deletes it; a second
--     DEL is no error; the namespace goes with the runtime's teardown.

scenario{
  name = "cni_winbridge_v2",
  description = "cniplugins_win-bridge_sample-v2.conf: flannel host-gw + win-bridge (HCN v2, loopbackDSR), containerd",
  profiles = {"ws2019-rtm", "ws2019", "ws2022", "ws2025"},
}

local samples = require("cni.samples")
local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")
local hostlocal = require("cni.hostlocal")

local CONF = samples["cniplugins_win-bridge_sample-v2.conf"]

require("seed.lan").lay("10.137.196.1/22")

local function node(name, address, subnet)
  local h = host(name, {nics = {{name = "Ethernet", segment = "lan", address = address .. "/22"}}, gateway = "10.137.196.1"})
  flannel.host_gw(h, {subnet = subnet})
  return h, {network = "192.168.0.0/16", subnet = subnet, mtu = 1500, ipmasq = true}
end

local n1, env1 = node("node1", "10.137.198.27", "192.168.1.0/24")
local n2, env2 = node("node2", "10.137.198.28", "192.168.2.0/24")
flannel.host_gw_route(n1, "192.168.2.0/24", "10.137.198.28")
flannel.host_gw_route(n2, "192.168.1.0/24", "10.137.198.27")

local function namespaces(h)
  return h:must(h:enumerate("namespace")).output
end

local pod_a = {name = "pod-a", namespace = "default", sandbox = "sandbox-a"}
local st, err = kubelet.containerd_run(n1, CONF, pod_a, {subnet_env = env1})
expect.equal(st, nil, "the first pod's ADD fails")
expect.truthy(err and err:find("192.168.1.2 is already used", 1, true), "HNS refuses x.2: " .. tostring(err))
expect.equal(#namespaces(n1), 0, "containerd removed the failed sandbox's namespace")

st, err = kubelet.containerd_run(n1, CONF, pod_a, {subnet_env = env1})
assert(st, err)
expect.equal(st.result, {
  cniVersion = "0.2.0",
  ip4 = {ip = "192.168.1.3/24", gateway = "192.168.1.2"},
  dns = {nameservers = {"11.0.0.10"}, search = {"svc.cluster.local"}},
}, "the CNI result (flannel's default cniVersion 0.2.0)")

local ep = n1:must(n1:query("endpoint", st.info.endpoint.ID)).output
expect.equal(ep.Name, "sandbox-a_cbr0", "endpoint name")
expect.equal(ep.IpConfigurations, {{IpAddress = "192.168.1.3", PrefixLength = 24}}, "endpoint IP")
expect.equal(ep.Routes, {{DestinationPrefix = "0.0.0.0/0", NextHop = "192.168.1.2"}}, "default route to x.2")
expect.equal(ep.Dns, {ServerList = {"11.0.0.10"}, Search = {"svc.cluster.local"}}, "DNS")
local want = {
  {Type = "OutBoundNAT", Settings = {Exceptions = {"192.168.0.0/16", "11.0.0.0/8", "10.137.196.0/23"}}},
  {Type = "SDNRoute", Settings = {DestinationPrefix = "11.0.0.0/8", NeedEncap = true}},
  {Type = "SDNRoute", Settings = {DestinationPrefix = "10.137.198.27/32", NeedEncap = true}},
}
local dsr = n1.profile ~= "ws2019-rtm"
if dsr then want[4] = {Type = "OutBoundNAT", Settings = {Destinations = {"192.168.1.3"}}} end
expect.equal(ep.Policies, want, dsr and "the file's policies and the loopback DSR policy"
                                   or "the file's policies; no loopback DSR policy on an HNS without DSR (9.1)")
expect.equal(ep.HostComputeNamespace, st.namespace, "in the pod's namespace")
local ns = n1:must(n1:query("namespace", st.namespace)).output
expect.equal(ns.Resources, {{Type = "Endpoint", Data = {ID = ep.ID}}}, "the namespace lists the endpoint")

local again, aerr = kubelet.add(n1, CONF, {container_id = "sandbox-a", netns = st.namespace}, {subnet_env = env1})
expect.equal(again, nil, "a second ADD into the namespace fails")
expect.truthy(aerr and aerr:find("HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS", 1, true), tostring(aerr))
expect.equal(n1:must(n1:query("endpoint", ep.ID)).output.HostComputeNamespace, st.namespace,
             "and leaves the existing endpoint where it was")

local pod_c = {name = "pod-c", namespace = "default", sandbox = "sandbox-c"}
expect.equal(kubelet.containerd_run(n2, CONF, pod_c, {subnet_env = env2}), nil, "node2's first ADD fails too")
local st_c = assert(kubelet.containerd_run(n2, CONF, pod_c, {subnet_env = env2}))

local _, across = expect.reach{from = "node1/sandbox-a_cbr0", to = "node2/sandbox-c_cbr0", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 192.168.1.3:49152 -> 192.168.2.3:80", "pod to pod keeps the pod's address")
local _, out = expect.reach{from = "node1/sandbox-a_cbr0", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.137.198.27:49152 -> 203.0.113.10:443", "pod to the internet leaves as the node")
-- The file's own values do not meet: its exceptions name the node subnet
-- 10.137.196.0/23, which does not hold the node's address 10.137.198.27
-- that its /32 SDNRoute names. So the SDNRoute hands pod-to-node traffic
-- to the host, but OutBoundNAT has translated it to the node's own address
-- first, and the node's answer stays in the host: hnsim predicts the pod
-- cannot reach its node with this file as given (the exception list should
-- hold the node's address).
expect.blocked{from = "node1/sandbox-a_cbr0", to = "10.137.198.27", proto = "tcp", port = 10250,
               verdict = "dropped", reason = "not the sender",
               what = "pod to its own node: SNATed to the node's address, the reply stays in the host"}

local ok, how = kubelet.containerd_stop(n1, CONF, st)
expect.truthy(ok, "DEL and namespace removal succeed: " .. tostring(how))
expect.hresult(n1:query("endpoint", ep.ID), "HCN_E_ENDPOINT_NOT_FOUND", "the endpoint is gone")
expect.equal(#namespaces(n1), 0, "the namespace is gone")
expect.equal(hostlocal.allocated(n1, "cbr0"), {}, "the address is free")
expect.equal(kubelet.del(n1, CONF, {container_id = "sandbox-a", netns = st.namespace}), true, "a second DEL is no error")
expect.truthy(st_c.info.endpoint.ID, "node2's pod stays")
