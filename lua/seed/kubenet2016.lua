-- seed/kubenet2016.lua: the seed's Kubernetes design on Windows Server 2016
-- in Azure Container Service (seed-windows-networking-for-kubernetes.txt):
-- "one transparent and one NAT network is created on each Windows container
-- host for inter-Pod and external communication respectively. Two container
-- endpoints ... are required for each Windows container ... Static routes
-- must be added to the running Windows containers themselves on the
-- container endpoint attached to the service network", a /24 per host, and
-- the Azure VNet routing each /24 to its host by a UDR. WS2016 has only
-- HNSCall (docs/profiles.md), so every object is made through it.
--
-- The VNet is a cloud subnet (docs/scenarios.md): it knows the VMs' own
-- addresses only, so a pod address reaches a node through its UDR alone.
-- The routes hnsim adds by hand, where the seed only says routing is
-- "manually plumbed" (inferred): in each container the cluster range
-- 10.244.0.0/16 on-link through its Transparent endpoint (the seed's
-- static route; the default route stays on the NAT endpoint), the service
-- range 10.96.0.0/12 the same way (the seed's routes for services go "on
-- the container endpoint attached to the service network"), and in each
-- host its own pod /24 through the Transparent network's vNIC, so that
-- what the UDR brings to the node reaches its pods.
local cloud = require("seed.cloud")

local k = {SERVICE_CIDR = "10.96.0.0/12"}

-- A container `pod` on node `h` (node number n): its NAT endpoint (address
-- from HNS) and its Transparent endpoint at 10.244.n.<last>, both attached,
-- and the seed's static route.
function k.pod(h, n, pod, last)
  for _, net in ipairs({"nat", "transparent"}) do
    local body = {Name = pod .. "_" .. net, VirtualNetworkName = net}
    if net == "transparent" then body.IPAddress = "10.244." .. n .. "." .. last end
    local ep = h:must(h:hnscall("POST", "/endpoints", body))
    h:must(h:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {ContainerId = pod, SystemType = "Container"}))
  end
  h:route("10.244.0.0/16", nil, {dev = pod .. "_transparent", compartment = pod})
  h:route(k.SERVICE_CIDR, nil, {dev = pod .. "_transparent", compartment = pod})
end

-- Node n: its NAT and Transparent networks and its route to its pods.
function k.node(n)
  local h = cloud.windows_node(n)
  h:must(h:hnscall("POST", "/networks", {
    Name = "nat", Type = "nat", Subnets = {{AddressPrefix = "172.20.0.0/24", GatewayAddress = "172.20.0.1"}},
  }))
  h:must(h:hnscall("POST", "/networks", {
    Name = "transparent", Type = "transparent", NetworkAdapterName = "Ethernet",
    Subnets = {{AddressPrefix = "10.244." .. n .. ".0/24"}},
  }))
  h:route("10.244." .. n .. ".0/24", nil, {dev = "Ethernet"})
  return h
end

-- The cluster: the cloud (its VNet a cloud subnet), node1 with pod-a
-- (10.244.1.5), node2 with pod-c (10.244.2.5), and a Linux node lnx whose
-- pods sit behind its bridge 10.244.3.1/24 (the seed's mixed cluster).
function k.cluster()
  cloud.lay{cloud = true}
  local node1 = k.node(1)
  k.pod(node1, 1, "pod-a", 5)
  local node2 = k.node(2)
  k.pod(node2, 2, "pod-c", 5)
  host("lnx", {
    os = "linux",
    nics = {{name = "eth0", segment = "vnet", address = "10.240.0.6/16", mac = "00-0D-3A-00-00-06"}},
    gateway = "10.240.0.1",
    bridge = {name = "cbr0", address = "10.244.3.1/24"},
  })
  return node1, node2
end

return k
