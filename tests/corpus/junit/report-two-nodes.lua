-- report-two-nodes.lua: a scenario for the tests of `hnsim report`
-- (tests/cli/test_report_*.sh): two Windows hosts with an L2Bridge pod each
-- and no route between the pod subnets, so its one expectation fails with a
-- hop trace, in two profiles (two runs). After docs/scenarios.md's first
-- scenario, without its user-defined routes.
scenario{
  name = "report-two-nodes",
  description = "two Windows hosts, L2Bridge pods, no route between the pod subnets",
  profiles = {"ws2019", "ws2022"},
}

segment("vnet", {latency = "100us"})
router("azure", {{name = "vnet", segment = "vnet", address = "10.240.0.1/16"}})

local V2 = {Major = 2, Minor = 0}

local function node(name, address, pod_net)
  local h = host(name, {
    nics = {{name = "Ethernet", segment = "vnet", address = address}},
    gateway = "10.240.0.1",
  })
  local net = h:must(h:create_network{
    Name = "cbr0", Type = "L2Bridge", SchemaVersion = V2,
    Ipams = {{Type = "Static", Subnets = {{IpAddressPrefix = pod_net .. ".0/24",
      Routes = {{NextHop = pod_net .. ".1", DestinationPrefix = "0.0.0.0/0"}}}}}},
    Policies = {{Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}}},
  })
  local ep = h:must(h:create_endpoint(net, {Name = "cbr0_ep", HostComputeNetwork = net.id,
    SchemaVersion = V2, IpConfigurations = {{IpAddress = pod_net .. ".2", PrefixLength = 24}}}))
  h:must(h:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {SystemType = "Host", CompartmentId = 1}))
  return h, net
end

local function pod(h, net, sandbox, ip, gateway)
  local ns = h:must(h:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = h:must(h:create_endpoint(net, {Name = sandbox .. "_cbr0", HostComputeNetwork = net.id,
    SchemaVersion = V2, IpConfigurations = {{IpAddress = ip, PrefixLength = 24}},
    Routes = {{NextHop = gateway, DestinationPrefix = "0.0.0.0/0"}}}))
  h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add",
                                    Settings = {EndpointId = ep.id}}))
end

local node1, net1 = node("node1", "10.240.0.4/16", "10.244.1")
local node2, net2 = node("node2", "10.240.0.5/16", "10.244.2")
pod(node1, net1, "pod-a", "10.244.1.5", "10.244.1.2")
pod(node2, net2, "pod-c", "10.244.2.5", "10.244.2.2")

-- No user-defined routes: the cloud router does not know the pod subnets.
expect.reach{from = "node1/pod-a_cbr0", to = "node2/pod-c_cbr0", proto = "tcp", port = 80}
