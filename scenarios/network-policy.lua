-- network-policy.lua: a Kubernetes network policy as HNS ACLs on a pod's
-- endpoint, across Windows versions. The seed lists, among WS2016's
-- restrictions, "Policy specifications (e.g. network security) are not
-- supported" (seed-windows-networking-for-kubernetes.txt); ACLs arrived with
-- HNS 7.2 / 1803 (hcsshim: "HNSVersion1803 added ACL functionality";
-- docs/profiles.md). On WS2016 the ACL policy is taken by HNSCall and has no
-- effect on traffic; from WS2019 on, Calico-shaped ACLs (allow both ways at
-- priority 1000, block inbound TCP 81 at 100) are enforced on the port.
local cloud = require("seed.cloud")

scenario{
  name = "network-policy",
  description = "ACLs blocking TCP 81 into pod-b: not enforced on ws2016, enforced from ws2019 on",
  profiles = {"ws2016", "ws2019", "ws2022"},
}

local V2 = {Major = 2, Minor = 0}
cloud.lay()
local node1 = cloud.windows_node(1)
local ws2016 = node1.profile == "ws2016"

if ws2016 then
  -- WS2016 has only HNSCall (docs/profiles.md): a Transparent network for
  -- pod traffic and one endpoint per container, attached to it.
  local net = node1:must(node1:hnscall("POST", "/networks", {
    Name = "transparent", Type = "transparent", NetworkAdapterName = "Ethernet",
    Subnets = {{AddressPrefix = "10.244.1.0/24"}},
  }))
  local function container(name, ip, policies)
    local ep = node1:must(node1:hnscall("POST", "/endpoints", {
      Name = name .. "_transparent", VirtualNetworkName = "transparent", IPAddress = ip, Policies = policies,
    }))
    node1:must(node1:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {ContainerId = name, SystemType = "Container"}))
    node1:route("10.244.0.0/16", nil, {dev = name .. "_transparent", compartment = name})
    return ep
  end
  container("pod-a", "10.244.1.5", json.array())
  -- The v1 ACL policy (hcsshim internal/hns/hnspolicy.go ACLPolicy): HNS
  -- stores it with the endpoint.
  local pod_b = container("pod-b", "10.244.1.6", {{Type = "ACL", Action = "Block", Direction = "In", Protocol = 6,
                                                   LocalPorts = "81", Priority = 100}})
  local got = node1:must(node1:hnscall("GET", "/endpoints/" .. pod_b.id))
  expect.equal(got.output.Policies[1].Type, "ACL", "WS2016's HNS stores the ACL policy with pod-b's endpoint")
  expect.truthy(net.ok, "WS2016's HNS takes the Transparent network by HNSCall")
else
  local net = node1:must(node1:create_network{
    Name = "cbr0", Type = "L2Bridge", SchemaVersion = V2,
    Ipams = {{Type = "Static", Subnets = {{
      IpAddressPrefix = "10.244.1.0/24",
      Routes = {{NextHop = "10.244.1.1", DestinationPrefix = "0.0.0.0/0"}},
    }}}},
    Policies = {{Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}}},
  })
  local function pod(sandbox, ip, policies)
    local ns = node1:must(node1:create_namespace{Type = "HostDefault", SchemaVersion = V2})
    local ep = node1:must(node1:create_endpoint(net, {
      Name = sandbox .. "_cbr0", HostComputeNetwork = net.id, SchemaVersion = V2,
      IpConfigurations = {{IpAddress = ip, PrefixLength = 24}},
      Routes = {{NextHop = "10.244.1.1", DestinationPrefix = "0.0.0.0/0"}},
      Policies = policies,
    }))
    node1:must(node1:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add",
                                              Settings = {EndpointId = ep.id}}))
  end
  pod("pod-a", "10.244.1.5", json.array())
  pod("pod-b", "10.244.1.6", {
    {Type = "ACL", Settings = {Id = "allow-in", Action = "Allow", Direction = "In", RuleType = "Switch", Priority = 1000}},
    {Type = "ACL", Settings = {Id = "allow-out", Action = "Allow", Direction = "Out", RuleType = "Switch", Priority = 1000}},
    {Type = "ACL", Settings = {Id = "deny-tcp-81", Protocols = "6", Action = "Block", Direction = "In",
                               LocalPorts = "81", RuleType = "Switch", Priority = 100}},
  })
end

local b = ws2016 and "node1/pod-b_transparent" or "node1/pod-b_cbr0"
local a = ws2016 and "node1/pod-a_transparent" or "node1/pod-a_cbr0"

-- Port 80 is allowed everywhere.
expect.reach{from = a, to = b, proto = "tcp", port = 80}
if ws2016 then
  -- Not supported: the policy is stored, the traffic flows.
  expect.reach{from = a, to = b, proto = "tcp", port = 81, what = "ws2016 does not enforce the ACL: TCP 81 reaches pod-b"}
else
  expect.blocked{from = a, to = b, proto = "tcp", port = 81, verdict = "dropped", reason = "deny-tcp-81"}
  expect.reach{from = b, to = a, proto = "tcp", port = 81, what = "the ACL is inbound only: pod-b reaches pod-a on 81"}
end
