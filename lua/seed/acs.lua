-- seed/acs.lua: the cluster of the seed's ACS design, shared by
-- scenarios/acs-udr.lua and acs-no-udr.lua: on seed/cloud.lua's cloud, two
-- Windows nodes, each with the L2Bridge network the SDN setup scripts make
-- (consumers-and-pain-points.md §3.1: the pod /24, gateway .1,
-- NetAdapterName Ethernet, a host endpoint cbr0_ep at .2 in compartment 1),
-- and pods as containerd and win-bridge make them (§2.1, §2.4): a
-- namespace, an endpoint "<sandbox>_cbr0" with the default route via .2, the
-- cluster's DNS and OutBoundNAT for everything outside the cluster, added to
-- the namespace. node1 holds pod-a 10.244.1.5 and pod-b .6, node2 pod-c
-- 10.244.2.5. The UDRs are the scenario's to lay.
local cloud = require("seed.cloud")

local acs = {}
local V2 = {Major = 2, Minor = 0}

-- Node n as the SDN scripts leave it: network cbr0 on 10.244.n.0/24 and the
-- host endpoint at .2, attached to the host compartment.
function acs.l2bridge_node(n)
  local h = cloud.windows_node(n)
  local pod_net = "10.244." .. n
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
function acs.pod(h, net, sandbox, ip)
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

-- The whole cluster: the cloud, node1 with pod-a and pod-b, node2 with pod-c.
function acs.cluster()
  cloud.lay()
  local node1, cbr0_1 = acs.l2bridge_node(1)
  acs.pod(node1, cbr0_1, "pod-a", "10.244.1.5")
  acs.pod(node1, cbr0_1, "pod-b", "10.244.1.6")
  local node2, cbr0_2 = acs.l2bridge_node(2)
  acs.pod(node2, cbr0_2, "pod-c", "10.244.2.5")
  return node1, node2
end

return acs
