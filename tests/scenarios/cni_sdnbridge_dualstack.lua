-- cni_sdnbridge_dualstack.lua: tests/corpus/cni-samples/wcn_sdnbridge_dualstack_host-local.conf
-- as given (microsoft/windows-container-networking
-- example/l2bridgedualstack_host-local_ipam.conf): sdnbridge with
-- enableDualStack, localRoutedPortMapping and allowAclPortMapping, host-local
-- ranges for IPv4 and IPv6, v2 policies in AdditionalArgs, under
-- containerd. Dual stack on L2Bridge needs Windows Server 2022 or later.
--
-- With enableDualStack the plugin does not make the network: it must
-- exist and be L2Bridge (common/core/network.go Add). The setup here is
-- what that repository's tests do (test/utilities: CreateTestNetwork, a
-- gateway endpoint): network winl2bridge on 192.168.1.0/24 and
-- fd00::100/120, and the host's endpoint at 192.168.1.2, the gateway the
-- IPAM range names.
--
-- Expected:
--   * endpoint "<container ID>_winl2bridge" with 192.168.1.10 (rangeStart)
--     and fd00::102, default routes to 192.168.1.2 and fd00::101 (the
--     ranges' gateways);
--   * DNS servers from the file, search "default.svc.cluster.local" (the
--     pod's namespace before the first suffix);
--   * policies: for the pod's port mapping an IPv4 PortMapping with
--     LocalRoutedVip (1), an IPv6 one (1|2), an inbound ACL allow on the
--     container port; then the file's two OutBoundNATs and two SDNRoutes;
--   * in the pod's namespace; a 0.2.0 result with ip4 and ip6, no DNS;
--   * ADD again: the same endpoint, nothing new (idempotent ADD);
--   * the internet reaches the pod's port through the node's 8080; the ACL
--     makes that pod default-deny (see below); a pod without a port
--     mapping reaches it and the internet; DEL removes the endpoint, twice.

scenario{
  name = "cni_sdnbridge_dualstack",
  description = "wcn_sdnbridge_dualstack_host-local.conf: sdnbridge dual stack, containerd",
  profiles = {"ws2022", "ws2025"},
}

local samples = require("cni.samples")
local kubelet = require("cni.kubelet")
local hostlocal = require("cni.hostlocal")

local CONF = samples["wcn_sdnbridge_dualstack_host-local.conf"]
local V2 = {Major = 2, Minor = 0}

require("seed.lan").lay("10.124.24.1/23")

local n1 = host("node1", {nics = {{name = "Ethernet", segment = "lan", address = "10.124.24.196/23"}}, gateway = "10.124.24.1"})
local net = n1:must(n1:create_network{
  Name = "winl2bridge", Type = "L2Bridge", SchemaVersion = V2,
  Ipams = {{Type = "Static", Subnets = {
    {IpAddressPrefix = "192.168.1.0/24", Routes = {{NextHop = "192.168.1.1", DestinationPrefix = "0.0.0.0/0"}}},
    {IpAddressPrefix = "fd00::100/120", Routes = {{NextHop = "fd00::101", DestinationPrefix = "::/0"}}},
  }}},
  Policies = {{Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}}},
})
local gw_ep = n1:must(n1:create_endpoint(net, {Name = "winl2bridge_gw", HostComputeNetwork = net.id, SchemaVersion = V2,
                                               IpConfigurations = {{IpAddress = "192.168.1.2"}}}))
n1:must(n1:hnscall("POST", "/endpoints/" .. gw_ep.id .. "/attach", {SystemType = "Host", CompartmentId = 1}))

local RUNTIME = {portMappings = {{hostPort = 8080, containerPort = 80, protocol = "tcp"}}}
local pod = {name = "web-1", namespace = "default", sandbox = "sb1", runtime_config = RUNTIME}
local st, err = kubelet.containerd_run(n1, CONF, pod)
assert(st, err)
expect.equal(st.result, {
  cniVersion = "0.2.0",
  ip4 = {ip = "192.168.1.10/24", gateway = "192.168.1.2"},
  ip6 = {ip = "fd00::102/120", gateway = "fd00::101"},
  dns = {},
}, "the 0.2.0 result: ip4 and ip6, no DNS")

local ep = n1:must(n1:query("endpoint", st.info.endpoint.ID)).output
expect.equal(ep.Name, "sb1_winl2bridge", "endpoint name")
expect.equal(ep.IpConfigurations, {{IpAddress = "192.168.1.10", PrefixLength = 24}, {IpAddress = "fd00::102", PrefixLength = 120}},
             "one address from each range")
expect.equal(ep.Routes, {{DestinationPrefix = "0.0.0.0/0", NextHop = "192.168.1.2"},
                         {DestinationPrefix = "::/0", NextHop = "fd00::101"}}, "default routes to the ranges' gateways")
expect.equal(ep.Dns, {ServerList = {"10.127.130.7"}, Search = {"default.svc.cluster.local"}}, "DNS")
expect.equal(ep.Policies, {
  {Type = "PortMapping", Settings = {Protocol = 6, InternalPort = 80, ExternalPort = 8080, Flags = 1}},
  {Type = "PortMapping", Settings = {Protocol = 6, InternalPort = 80, ExternalPort = 8080, Flags = 3}},
  {Type = "ACL", Settings = {Protocols = "6", Action = "Allow", Direction = "In", LocalPorts = "80", Priority = 1000}},
  {Type = "OutBoundNAT", Settings = {Exceptions = {"192.168.0.0/16", "11.0.0.0/8", "10.124.24.0/23"}}},
  {Type = "OutBoundNAT", Settings = {VirtualIP = "fc00::123", Destinations = {"fd01::192", "fd01::193"},
                                     Exceptions = {"fd03::100/120", "fd04::100/120"}}},
  {Type = "SDNRoute", Settings = {DestinationPrefix = "11.0.0.0/8", NeedEncap = true}},
  {Type = "SDNRoute", Settings = {DestinationPrefix = "fd00::200/120", NeedEncap = true}},
}, "port-mapping policies, then the file's AdditionalArgs")
expect.equal(ep.HostComputeNamespace, st.namespace, "in the pod's namespace")
expect.equal(n1:must(n1:query("namespace", st.namespace)).output.Resources, {{Type = "Endpoint", Data = {ID = ep.ID}}},
             "the namespace lists the endpoint")

-- sdnbridge's ADD is idempotent: the same endpoint answers again.
local again = assert(kubelet.add(n1, CONF, {container_id = "sb1", netns = st.namespace, args = {K8S_POD_NAMESPACE = "default"},
                                            runtime_config = RUNTIME}))
expect.equal(again.ip4.ip, "192.168.1.10/24", "a repeated ADD answers with the endpoint")
expect.equal(hostlocal.allocated(n1, "winl2bridge"), {"192.168.1.10 sb1/eth0", "fd00::102 sb1/eth0"},
             "and allocates nothing more")

local st2 = assert(kubelet.containerd_run(n1, CONF, {name = "web-2", namespace = "default", sandbox = "sb2"}))
expect.equal(st2.result.ip4.ip, "192.168.1.11/24", "the next pod's address")

-- sb1's port mapping brought an ACL (allowAclPortMapping), and an
-- endpoint with any ACL is default-deny in both directions
-- (microsoft/Windows-Containers#616, docs/dataplane.md): sb1 accepts its
-- mapped port only, and its own connections out are blocked. sb2 has no
-- port mapping, hence no ACL.
expect.reach{from = "node1/sb2_winl2bridge", to = "node1/sb1_winl2bridge", proto = "tcp", port = 80,
             what = "a pod reaches sb1's mapped port (allowed by the ACL)"}
expect.blocked{from = "node1/sb2_winl2bridge", to = "node1/sb1_winl2bridge", proto = "tcp", port = 22,
               verdict = "dropped", reason = "block by default", what = "sb1 refuses any other port"}
expect.blocked{from = "node1/sb1_winl2bridge", to = "web", proto = "tcp", port = 443, verdict = "dropped",
               reason = "block by default", what = "sb1's own connections are blocked by its ACL's default"}
local _, out = expect.reach{from = "node1/sb2_winl2bridge", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.124.24.196:49152 -> 203.0.113.10:443", "pod to the internet leaves as the node")
local _, inbound = expect.reach{from = "web", to = "10.124.24.196", proto = "tcp", port = 8080,
                                what = "the internet reaches the pod through the node's port 8080"}
expect.equal(inbound.received, "tcp 203.0.113.10:49152 -> 192.168.1.10:80", "the port mapping's translation")

assert(kubelet.containerd_stop(n1, CONF, st))
expect.hresult(n1:query("endpoint", ep.ID), "HCN_E_ENDPOINT_NOT_FOUND", "DEL removed the endpoint")
expect.equal(hostlocal.allocated(n1, "winl2bridge"), {"192.168.1.11 sb2/eth0", "fd00::103 sb2/eth0"}, "sb1's addresses are free")
expect.equal(kubelet.del(n1, CONF, {container_id = "sb1", netns = st.namespace}), true, "a second DEL is no error")
