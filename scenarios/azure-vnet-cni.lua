-- azure-vnet-cni.lua: the seed's design (e), Azure VNet CNI: pods take their
-- IPs from the node subnet, "a single flat L3 Azure subnet" where
-- containers are first-class citizens of the VNet, in the plugin's default
-- l2-tunnel mode (Azure/azure-container-networking docs/network.md: "l2-tunnel
-- ... the recommended and default option"), with an OutBoundNAT policy whose
-- exception is the private range (the Windows l2tunnel netconf of that
-- project: azure-vnet-ipam on the VNet prefix, OutBoundNAT ExceptionList
-- 10.0.0.0/8). Since the VNet knows every pod address, no user-defined
-- route is needed: pods on two nodes reach each other directly, the
-- L2Tunnel vSwitch sending even a neighbour's traffic by the wire
-- (hns-api-facts.md §6); the internet sees the node's address. The network
-- and endpoints are made with the HCN documents such a plugin sends (the
-- endpoint layout of win-bridge's v2 path; which policies azure-vnet adds
-- beyond OutBoundNAT is not modelled, inferred).
local cloud = require("seed.cloud")

scenario{
  name = "azure-vnet-cni",
  description = "Azure VNet CNI (l2-tunnel): pod IPs from the node subnet, no UDRs, pods reach across nodes directly",
  profiles = {"ws2019", "ws2022"},
}

local V2 = {Major = 2, Minor = 0}
cloud.lay()

-- Node n: the L2Tunnel network on the VNet's prefix, gateway the cloud router.
local function node(n)
  local h = cloud.windows_node(n)
  local net = h:must(h:create_network{
    Name = "azure", Type = "L2Tunnel", SchemaVersion = V2,
    Ipams = {{Type = "Static", Subnets = {{
      IpAddressPrefix = "10.240.0.0/16",
      Routes = {{NextHop = "10.240.0.1", DestinationPrefix = "0.0.0.0/0"}},
    }}}},
    Policies = {{Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}}},
  })
  return h, net
end

-- A pod with an address of the node subnet (the IPAM gives it from the VNet).
local function pod(h, net, sandbox, ip)
  local ns = h:must(h:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = h:must(h:create_endpoint(net, {
    Name = sandbox .. "_azure", HostComputeNetwork = net.id, SchemaVersion = V2,
    IpConfigurations = {{IpAddress = ip, PrefixLength = 16}},
    Routes = {{NextHop = "10.240.0.1", DestinationPrefix = "0.0.0.0/0"}},
    Policies = {{Type = "OutBoundNAT", Settings = {Exceptions = {"10.0.0.0/8"}}}},
  }))
  h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add", Settings = {EndpointId = ep.id}}))
end

local node1, net1 = node(1)
local node2, net2 = node(2)
pod(node1, net1, "pod-a", "10.240.0.20")
pod(node1, net1, "pod-b", "10.240.0.21")
pod(node2, net2, "pod-c", "10.240.0.30")

-- No UDR at router azure: the pod addresses are the VNet's own.
local _, across = expect.reach{from = "node1/pod-a_azure", to = "node2/pod-c_azure", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 10.240.0.20:49152 -> 10.240.0.30:80", "pod-c sees pod-a's own VNet address")
local _, local_ = expect.reach{from = "node1/pod-a_azure", to = "node1/pod-b_azure", proto = "tcp", port = 80}
local wire = false
for _, hop in ipairs(local_.hops) do
  if hop.stage == "hairpin" then wire = true end
end
expect.truthy(wire, "L2Tunnel: pod-a reaches its neighbour pod-b by the wire (hairpin)")
-- A node reaches a pod of the other node, and the pods reach the nodes.
expect.reach{from = "node2", to = "node1/pod-a_azure", proto = "tcp", port = 80}
expect.reach{from = "node1/pod-a_azure", to = "node2", proto = "tcp", port = 80}
-- The internet sees the node: OutBoundNAT outside 10.0.0.0/8.
local _, out = expect.reach{from = "node2/pod-c_azure", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.240.0.5:49152 -> 203.0.113.10:443", "the internet sees node2's address")
expect.invariant()
