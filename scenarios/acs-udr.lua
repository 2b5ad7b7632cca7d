-- acs-udr.lua: the seed's ACS design (seed-windows-networking-for-kubernetes.txt,
-- "Kubernetes networking in Azure Container Service"): no overlay; "a /24 CIDR
-- IP pool (routable between container host VMs) is allocated to each
-- container host with one IP assigned per Pod", and user-defined routes (UDRs)
-- at the cloud router send each /24 to its host.
--
-- Two Windows hosts on the cluster's VNet 10.240.0.0/16, each with the L2Bridge
-- network the SDN setup scripts make (consumers-and-pain-points.md §3.1: the
-- pod /24, gateway .1, NetAdapterName Ethernet, a host endpoint at .2 in
-- compartment 1), and pods as containerd and win-bridge make them (§2.1,
-- §2.4): a namespace, an endpoint "<sandbox>_cbr0" with the default route via
-- .2 and OutBoundNAT for everything outside the cluster, added to the
-- namespace. Every HNS object is made through the host's HNS with these JSON
-- documents. acs-no-udr.lua is the same cluster without node2's UDR.

scenario{
  name = "acs-udr",
  description = "two Windows hosts, L2Bridge pods, each pod /24 routed to its host by a UDR at router azure",
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

-- The UDRs: each host's pod /24 to the host.
route("azure", "10.244.1.0/24", "10.240.0.4")
route("azure", "10.244.2.0/24", "10.240.0.5")

-- Pod to pod on one host, and across hosts both ways, without NAT.
expect.reach{from = "node1/pod-a_cbr0", to = "node1/pod-b_cbr0", proto = "tcp", port = 80}
local _, across = expect.reach{from = "node1/pod-a_cbr0", to = "node2/pod-c_cbr0", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 10.244.1.5:49152 -> 10.244.2.5:80", "pod-c sees pod-a's own address")
expect.reach{from = "node2/pod-c_cbr0", to = "node1/pod-a_cbr0", proto = "icmp"}

-- Pod to the internet: OutBoundNAT gives it the node's address.
local _, out = expect.reach{from = "node1/pod-a_cbr0", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.240.0.4:49152 -> 203.0.113.10:443", "the internet sees node1's address")

-- The pod /24s are routable: the internet reaches a pod.
expect.reach{from = "web", to = "node2/pod-c_cbr0", proto = "tcp", port = 80}
