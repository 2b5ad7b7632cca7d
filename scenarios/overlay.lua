-- overlay.lua: the seed's other way to connect pods across nodes, "an
-- overlay (e.g. vxlan) network" (seed-windows-networking-for-kubernetes.txt):
-- flannel's VXLAN backend with win-overlay pods on two Windows hosts, as
-- flannel makes it (flannel-io/flannel pkg/backend/vxlan/device_windows.go
-- and vxlan_network_windows.go): an Overlay network per node on its lease
-- with the VSID policy carrying the VNI 4096, the HostRoute policy "for
-- local host to local pod connectivity", and per peer a RemoteSubnetRoute
-- to the peer's provider address and VTEP MAC. Pods get win-overlay's
-- policies (sdn_flannel_overlay_cni.conf: OutBoundNAT with the cluster and
-- service CIDRs as exceptions, an encapsulated route to the services, the
-- node's provider address). Kubernetes overlay networking on Windows needs
-- HNS 9.2's RemoteSubnet (KB4489899, docs/profiles.md): ws2019 and later.
local cloud = require("seed.cloud")

scenario{
  name = "overlay",
  description = "flannel VXLAN (VNI 4096) between two Windows hosts with win-overlay pods",
  profiles = {"ws2019", "ws2022", "ws2025"},
}

local V2 = {Major = 2, Minor = 0}

cloud.lay()

-- Node n: its Overlay network vxlan0 on 10.244.n.0/24, then HostRoute.
local function overlay_node(n)
  local h = cloud.windows_node(n)
  local net = h:must(h:create_network{
    Name = "vxlan0", Type = "Overlay", Flags = 8, SchemaVersion = V2,
    Ipams = {{Type = "Static", Subnets = {{
      IpAddressPrefix = "10.244." .. n .. ".0/24",
      Routes = {{NextHop = "10.244." .. n .. ".1", DestinationPrefix = "0.0.0.0/0"}},
      Policies = {{Type = "VSID", Settings = {IsolationId = 4096}}},
    }}}},
    Policies = {
      {Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}},
      -- HNS gives an Overlay network its DR MAC, which flannel reads back as
      -- its VTEP MAC; hnsim's HNS does not, so the document carries one in
      -- Hyper-V's range (inferred).
      {Type = "DrMacAddress", Settings = {Address = string.format("00-15-5D-BB-00-%02X", n + 3)}},
    },
  })
  h:must(h:modify("network", net, {ResourceType = "Policy", RequestType = "Add",
                                   Settings = {Policies = {{Type = "HostRoute", Settings = {}}}}}))
  return h, net
end

-- A pod as containerd and win-overlay's v2 path make it.
local function pod(h, net, n, sandbox)
  local ip = "10.244." .. n .. ".5"
  local ns = h:must(h:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = h:must(h:create_endpoint(net, {
    Name = sandbox .. "_vxlan0", HostComputeNetwork = net.id, SchemaVersion = V2,
    MacAddress = string.format("0E-2A-0A-F4-%02X-05", n),
    IpConfigurations = {{IpAddress = ip, PrefixLength = 24}},
    Routes = {{NextHop = "10.244." .. n .. ".1", DestinationPrefix = "0.0.0.0/0"}},
    Policies = {
      {Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16", "10.96.0.0/12"}}},
      {Type = "SDNRoute", Settings = {DestinationPrefix = "10.96.0.0/12", NeedEncap = true}},
      {Type = "ProviderAddress", Settings = {ProviderAddress = "10.240.0." .. (n + 3)}},
    },
  }))
  h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add", Settings = {EndpointId = ep.id}}))
end

-- flannel learns the peer's lease: a RemoteSubnetRoute to its node.
local function peer(h, net, n)
  h:must(h:modify("network", net, {ResourceType = "Policy", RequestType = "Add", Settings = {Policies = {{
    Type = "RemoteSubnetRoute",
    Settings = {DestinationPrefix = "10.244." .. n .. ".0/24", IsolationId = 4096,
                ProviderAddress = "10.240.0." .. (n + 3),
                DistributedRouterMacAddress = string.format("00-15-5D-BB-00-%02X", n + 3)},
  }}}}))
end

local node1, vx1 = overlay_node(1)
local node2, vx2 = overlay_node(2)
pod(node1, vx1, 1, "pod-a")
pod(node2, vx2, 2, "pod-c")
peer(node1, vx1, 2)
peer(node2, vx2, 1)

-- No UDR at the cloud router: pods cross in VXLAN between the nodes'
-- addresses, and pod-c sees pod-a's own address.
local _, across = expect.reach{from = "node1/pod-a_vxlan0", to = "node2/pod-c_vxlan0", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 10.244.1.5:49152 -> 10.244.2.5:80", "pod-c sees pod-a's own address")
local encap
for _, hop in ipairs(across.hops) do
  if hop.stage == "encap" and hop.leg == "request" then encap = hop end
end
expect.truthy(encap and encap.reason:find("VNI 4096, 10.240.0.4 -> 10.240.0.5", 1, true),
              "the request is encapsulated with VNI 4096 between the provider addresses")
expect.reach{from = "node2/pod-c_vxlan0", to = "node1/pod-a_vxlan0", proto = "icmp"}

-- Out of the cluster through OutBoundNAT, unencapsulated, as the node.
local _, out = expect.reach{from = "node1/pod-a_vxlan0", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.240.0.4:49152 -> 203.0.113.10:443", "the internet sees node1's address")

-- The node reaches its own pod (HostRoute); the internet does not reach a
-- pod, whose /24 exists only inside the overlay.
expect.reach{from = "node1", to = "node1/pod-a_vxlan0", proto = "tcp", port = 80}
expect.blocked{from = "web", to = "node2/pod-c_vxlan0", proto = "tcp", port = 80, verdict = "no route",
               reason = "at router azure"}
expect.invariant()
