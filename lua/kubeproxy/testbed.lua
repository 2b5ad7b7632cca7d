-- kubeproxy/testbed.lua: the cluster kube-proxy's scenarios run on, made
-- the way the setup scripts and the CNI make it, through each host's HNS:
-- Windows nodes on a cloud VNet, each with the L2Bridge network "cbr0" on its
-- pod /24 and the host endpoint "cbr0_ep" at .2 in compartment 1
-- (consumers-and-pain-points.md §3.1), pods as win-bridge makes them under
-- containerd (§2.1, §2.4: a namespace, an endpoint "<sandbox>_cbr0" with the
-- default route via .2 and OutBoundNAT except the cluster, service and node
-- CIDRs), the cloud router's UDRs sending each pod /24 to its node (the
-- seed's ACS design, as scenarios/acs-udr.lua), and a client "web" on the
-- internet side. It is a fixture, not a behaviour module: the CNI module
-- (lua/cni/) is the faithful win-bridge.
--
--   local tb = require("kubeproxy.testbed").l2bridge{
--     nodes = {{name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
--              {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"}}}
--   tb:pod("node1", "pod-a", "10.244.1.5")   -- its endpoint: "node1/pod-a_cbr0"
local M = {}
local Testbed = {}
Testbed.__index = Testbed

local V2 = {Major = 2, Minor = 0}

M.CLUSTER_CIDR, M.SERVICE_CIDR, M.NODE_CIDR = "10.244.0.0/16", "10.96.0.0/12", "10.240.0.0/16"

local function mac_of(address)
  local c, d = address:match("^%d+%.%d+%.(%d+)%.(%d+)$")
  return string.format("00-15-5D-00-%02X-%02X", tonumber(c), tonumber(d))
end

function M.l2bridge(o)
  local tb = setmetatable({nodes = {}, order = {}}, Testbed)
  segment("vnet", {latency = "100us"})
  segment("internet", {latency = "1ms"})
  router("azure", {
    {name = "vnet", segment = "vnet", address = "10.240.0.1/16"},
    {name = "internet", segment = "internet", address = "203.0.113.1/24"},
  })
  tb.web = host("web", {
    os = "linux",
    nics = {{name = "eth0", segment = "internet", address = "203.0.113.10/24", mac = "00-0D-3A-00-00-10"}},
    gateway = "203.0.113.1",
  })
  for _, n in ipairs(o.nodes) do
    local h = host(n.name, {
      profile = n.profile,
      nics = {{name = "Ethernet", segment = "vnet", address = n.address .. "/16", mac = mac_of(n.address)}},
      gateway = "10.240.0.1",
    })
    local net = h:must(h:create_network{
      Name = "cbr0", Type = "L2Bridge", SchemaVersion = V2,
      Ipams = {{Type = "Static", Subnets = {{
        IpAddressPrefix = n.pod_net .. ".0/24",
        Routes = {{NextHop = n.pod_net .. ".1", DestinationPrefix = "0.0.0.0/0"}},
      }}}},
      Policies = {{Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}}},
    })
    local ep = h:must(h:create_endpoint(net, {
      Name = "cbr0_ep", HostComputeNetwork = net.id, SchemaVersion = V2,
      IpConfigurations = {{IpAddress = n.pod_net .. ".2", PrefixLength = 24}},
    }))
    h:must(h:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {SystemType = "Host", CompartmentId = 1}))
    route("azure", n.pod_net .. ".0/24", n.address)
    local node = {name = n.name, host = h, network = net, address = n.address, mac = mac_of(n.address), pod_net = n.pod_net}
    tb.nodes[n.name] = node
    tb.order[#tb.order + 1] = node
  end
  return tb
end

-- A pod on `node` with address `ip`: its namespace and its endpoint, added to
-- the namespace. Returns the endpoint's create result.
function Testbed:pod(node, sandbox, ip)
  local n = self.nodes[node]
  if not n then error("testbed: no node '" .. tostring(node) .. "'", 2) end
  local h = n.host
  local ns = h:must(h:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = h:must(h:create_endpoint(n.network, {
    Name = sandbox .. "_cbr0", HostComputeNetwork = n.network.id, SchemaVersion = V2,
    IpConfigurations = {{IpAddress = ip, PrefixLength = 24}},
    Routes = {{NextHop = n.pod_net .. ".2", DestinationPrefix = "0.0.0.0/0"}},
    Policies = {{Type = "OutBoundNAT", Settings = {Exceptions = {M.CLUSTER_CIDR, M.SERVICE_CIDR, M.NODE_CIDR}}}},
  }))
  h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add", Settings = {EndpointId = ep.id}}))
  return ep
end

return M
