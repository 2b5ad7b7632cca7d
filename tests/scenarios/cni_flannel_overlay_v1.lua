-- cni_flannel_overlay_v1.lua: tests/corpus/cni-samples/sdn_flannel_overlay_cni.conf
-- as given (microsoft/SDN Kubernetes/flannel/overlay/cni/config/cni.conf):
-- flannel delegating to win-overlay with HNS v1 policies ("Policies",
-- "Nameservers" in mixed case), under dockershim.
--
-- The cluster the file was written for: pods 192.168.0.0/16, services
-- 11.0.0.0/8. flanneld's vxlan backend makes the Overlay network vxlan0
-- on each node (VSID 4096, gateway x.1, HostRoute) and a
-- RemoteSubnetRoute per peer lease (cni.flannel). node1 runs flanneld with
-- FLANNEL_IPMASQ=false, node2 with true.
--
-- Expected (win-overlay_windows.go cmdHnsAdd):
--   * the endpoint "<pause>_vxlan0": IP x.2 (nothing holds x.2 on an
--     overlay network), gateway x.1, MAC 0E-2A-<the IP's four bytes>;
--   * policies: the file's OutBoundNAT and ROUTE, a PA policy with the
--     network's ManagementIP, and with ipMasq (node2) a second OutBoundNAT
--     whose only exception is the node's own subnet (the newest
--     ApplyOutboundNatPolicy appends rather than edits);
--   * pod to pod across nodes over VXLAN, keeping node1's pod address;
--     pod to the internet as the node; DEL removes the endpoint.

scenario{
  name = "cni_flannel_overlay_v1",
  description = "sdn_flannel_overlay_cni.conf: flannel vxlan + win-overlay (HNS v1), dockershim",
  profiles = {"ws2019", "ws2022"},
}

local samples = require("cni.samples")
local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")

local CONF = samples["sdn_flannel_overlay_cni.conf"]

require("seed.lan").lay("10.0.0.1/24")

local function node(name, address, subnet, dr_mac, ipmasq)
  local h = host(name, {nics = {{name = "Ethernet", segment = "lan", address = address .. "/24"}}, gateway = "10.0.0.1"})
  flannel.vxlan(h, {name = "vxlan0", subnet = subnet, provider_address = address, dr_mac = dr_mac})
  return h, {network = "192.168.0.0/16", subnet = subnet, mtu = 1450, ipmasq = ipmasq}
end

local n1, env1 = node("node1", "10.0.0.4", "192.168.1.0/24", "00-15-5D-AA-00-04", false)
local n2, env2 = node("node2", "10.0.0.5", "192.168.2.0/24", "00-15-5D-AA-00-05", true)
-- flanneld's lease events: each node learns the other's subnet, address and DR MAC.
assert(flannel.vxlan_lease(n1, "vxlan0", {subnet = "192.168.2.0/24", public_ip = "10.0.0.5", vtep_mac = "00:15:5d:aa:00:05"}))
assert(flannel.vxlan_lease(n2, "vxlan0", {subnet = "192.168.1.0/24", public_ip = "10.0.0.4", vtep_mac = "00:15:5d:aa:00:04"}))

local net1 = n1:must(n1:hnscall("GET", "/networks/")).output[1]
expect.equal({net1.Type, net1.ManagementIP, net1.Subnets[1].GatewayAddress}, {"Overlay", "10.0.0.4", "192.168.1.1"},
             "flannel's overlay network as win-overlay reads it (v1 view)")

local st = assert(kubelet.dockershim_run(n1, CONF, {name = "pod-a", sandbox = "pause-a", containers = {"app-a"}},
                                         {subnet_env = env1}))
expect.equal(st.result.ip4, {ip = "192.168.1.2/24", gateway = "192.168.1.1"}, "pod-a's address and the network's gateway")
local ep = n1:must(n1:hnscall("GET", "/endpoints/" .. st.info.endpoint.ID)).output
expect.equal(ep.Name, "pause-a_vxlan0", "endpoint name")
expect.equal(ep.MacAddress, "0E-2A-C0-A8-01-02", "MAC from the IP (0E-2A-c0-a8-01-02 as the plugin writes it)")
expect.equal(ep.GatewayAddress, "192.168.1.1", "gateway")
expect.equal(ep.DNSServerList, "11.0.0.10", "DNS servers from the file's \"Nameservers\"")
expect.equal(ep.Policies, {
  {Type = "OutBoundNAT", ExceptionList = {"192.168.0.0/16", "11.0.0.0/8"}},
  {Type = "ROUTE", DestinationPrefix = "11.0.0.0/8", NeedEncap = true},
  {Type = "PA", PA = "10.0.0.4"},
}, "the file's policies and the provider address")
expect.equal(st.apps[1].info.endpoint.ID, ep.ID, "the app container shares the endpoint")

local st2 = assert(kubelet.dockershim_run(n2, CONF, {name = "pod-c", sandbox = "pause-c"}, {subnet_env = env2}))
local ep2 = n2:must(n2:hnscall("GET", "/endpoints/" .. st2.info.endpoint.ID)).output
expect.equal(ep2.Policies, {
  {Type = "OutBoundNAT", ExceptionList = {"192.168.0.0/16", "11.0.0.0/8"}},
  {Type = "ROUTE", DestinationPrefix = "11.0.0.0/8", NeedEncap = true},
  {Type = "PA", PA = "10.0.0.5"},
  {Type = "OutBoundNAT", ExceptionList = {"192.168.2.0/24"}},
}, "ipMasq adds a second OutBoundNAT for the node's own subnet")

local _, across = expect.reach{from = "node1/pause-a_vxlan0", to = "node2/pause-c_vxlan0", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 192.168.1.2:49152 -> 192.168.2.2:80", "over VXLAN with the pod's own address")
local encap = false
for _, hop in ipairs(across.hops) do
  if hop.stage == "encap" and hop.rule == "RemoteSubnetRoute 192.168.2.0/24" then encap = true end
end
expect.truthy(encap, "encapsulated by flannel's RemoteSubnetRoute")
-- With node2's second OutBoundNAT (exception: its own subnet only),
-- hnsmock translates pod-c's traffic to node1's pods too; whether HNS
-- applies two OutBoundNAT policies one after the other is not documented.
local _, back = expect.reach{from = "node2/pause-c_vxlan0", to = "node1/pause-a_vxlan0", proto = "tcp", port = 80}
print("pod-c -> pod-a arrives as: " .. tostring(back.received))
local _, out = expect.reach{from = "node1/pause-a_vxlan0", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.0.0.4:49152 -> 203.0.113.10:443", "pod to the internet leaves as the node")

assert(kubelet.dockershim_stop(n1, CONF, st))
expect.hresult(n1:hnscall("GET", "/endpoints/" .. ep.ID), "ERROR_NOT_FOUND", "DEL removed the endpoint")
expect.equal(kubelet.dockershim_stop(n1, CONF, st), true, "a second DEL is no error")
