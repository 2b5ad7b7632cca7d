-- acs-no-udr.lua: the seed's negative case of its ACS design: "In the absence of
-- ACS-managed User-Defined Routes, Out-of-Band (OOB) configuration of these
-- routes need to be realized in the Cloud Service Provider network"
-- (seed-windows-networking-for-kubernetes.txt). The cluster of acs-udr.lua,
-- with the UDR of node1's pod /24 but not node2's: node1's pods cannot reach
-- node2's, the router azure has no route to 10.244.2.0/24 and the probe's
-- trace says so; node2's pods still reach node1's host, and node1's pods the
-- internet.

scenario{
  name = "acs-no-udr",
  description = "acs-udr without node2's UDR: cross-node pod traffic stops at router azure",
  profiles = {"ws2019", "ws2022"},
}

local V2 = {Major = 2, Minor = 0}

-- The cloud: the VNet, the internet, the router between them, a web server.
segment("vnet", {latency = "100us"})
segment("internet", {latency = "1ms"})
router("azure", {
  {name = "vnet", segment = "vnet", address = "10.240.0.1/16"},
  {name = "internet", segment = "internet", address = "203.0.113.1/24"},
})
host("web", {
  os = "linux",
  nics = {{name = "eth0", segment = "internet", address = "203.0.113.10/24", mac = "00-0D-3A-00-00-10"}},
  gateway = "203.0.113.1",
})

-- A Windows node as the SDN scripts leave it: network cbr0 on its pod /24
-- and the host endpoint cbr0_ep at .2, attached to the host compartment.
local function l2bridge_node(name, address, mac, pod_net)
  local h = host(name, {
    nics = {{name = "Ethernet", segment = "vnet", address = address, mac = mac}},
    gateway = "10.240.0.1",
  })
  local net = h:must(h:create_network{
    Name = "cbr0", Type = "L2Bridge", SchemaVersion = V2,
    Ipams = {{Type = "Static", Subnets = {{
      IpAddressPrefix = pod_net .. ".0/24",
      Routes = {{NextHop = pod_net .. ".1", DestinationPrefix = "0.0.0.0/0"}},
    }}}},
    Policies = {{Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}}},
  })
  local ep = h:must(h:create_endpoint(net, {
    Name = "cbr0_ep", HostComputeNetwork = net.id, SchemaVersion = V2,
    IpConfigurations = {{IpAddress = pod_net .. ".2", PrefixLength = 24}},
  }))
  h:must(h:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {SystemType = "Host", CompartmentId = 1}))
  return h, net
end

-- A pod: its namespace, then win-bridge's endpoint, added to the namespace.
local function pod(h, net, sandbox, ip)
  local gateway = ip:match("^(%d+%.%d+%.%d+)%.") .. ".2"
  local ns = h:must(h:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = h:must(h:create_endpoint(net, {
    Name = sandbox .. "_cbr0", HostComputeNetwork = net.id, SchemaVersion = V2,
    IpConfigurations = {{IpAddress = ip, PrefixLength = 24}},
    Routes = {{NextHop = gateway, DestinationPrefix = "0.0.0.0/0"}},
    Dns = {ServerList = {"10.96.0.10"}, Search = {"svc.cluster.local"}},
    Policies = {{Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16", "10.96.0.0/12", "10.240.0.0/16"}}}},
  }))
  h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add", Settings = {EndpointId = ep.id}}))
  return ep
end

local node1, cbr0_1 = l2bridge_node("node1", "10.240.0.4/16", "00-15-5D-00-00-04", "10.244.1")
pod(node1, cbr0_1, "pod-a", "10.244.1.5")
pod(node1, cbr0_1, "pod-b", "10.244.1.6")
local node2, cbr0_2 = l2bridge_node("node2", "10.240.0.5/16", "00-15-5D-00-00-05", "10.244.2")
pod(node2, cbr0_2, "pod-c", "10.244.2.5")

-- Only node1's UDR: node2's pod /24 is routed nowhere.
route("azure", "10.244.1.0/24", "10.240.0.4")

-- Across hosts to node2's pod: no route at the router, and the trace names it.
expect.blocked{from = "node1/pod-a_cbr0", to = "node2/pod-c_cbr0", proto = "tcp", port = 80,
               verdict = "no route", reason = "no route to 10.244.2.5 at router azure"}
expect.blocked{from = "node1/pod-a_cbr0", to = "10.244.2.5", proto = "icmp", verdict = "no route"}
-- node2's pod reaches node1's pod, but the reply has no way back.
expect.blocked{from = "node2/pod-c_cbr0", to = "node1/pod-a_cbr0", proto = "tcp", port = 80,
               reason = "no route to 10.244.2.5 at router azure"}

-- What needs no UDR of node2's still works: pods on one host, and the
-- internet through OutBoundNAT (the reply comes back to node1's address).
expect.reach{from = "node1/pod-a_cbr0", to = "node1/pod-b_cbr0", proto = "tcp", port = 80}
expect.reach{from = "node2/pod-c_cbr0", to = "web", proto = "tcp", port = 443}
