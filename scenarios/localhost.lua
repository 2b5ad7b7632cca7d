-- localhost.lua: a pod of two containers, an app listening on TCP 8080 and
-- a sidecar calling it on localhost. Kubernetes' pod model has the
-- containers of a pod share one network namespace and "communicate with
-- each other through localhost"; the seed lists for WS2016 "One container
-- per Pod" (seed-windows-networking-for-kubernetes.txt): there each
-- container has its own endpoint and compartment, so the sidecar's
-- localhost is its own and the call is refused. From 1709 on, HNS
-- namespaces put both containers in one compartment (HNSCall
-- /namespaces addresource on 1709 and 1803, hcsshim
-- AddNamespaceEndpoint; the HCN namespace with its containers from
-- ws2019, as containerd makes it), and localhost works.
local cloud = require("seed.cloud")

scenario{
  name = "localhost",
  description = "a pod's sidecar calls its app on localhost: refused on ws2016 (one container per pod), works from 1709",
  profiles = {"ws2016", "1709", "1803", "ws2019"},
}

local V2 = {Major = 2, Minor = 0}
cloud.lay()
local node1 = cloud.windows_node(1)
local v1 = node1.profile == "ws2016" or node1.profile == "1709" or node1.profile == "1803"

local net
if v1 then
  net = node1:must(node1:hnscall("POST", "/networks", {
    Name = "nat", Type = "nat", Subnets = {{AddressPrefix = "172.20.0.0/24", GatewayAddress = "172.20.0.1"}},
  }))
else
  net = node1:must(node1:create_network{
    Name = "nat", Type = "NAT", SchemaVersion = V2,
    Ipams = {{Type = "Static", Subnets = {{IpAddressPrefix = "172.20.0.0/24",
      Routes = {{NextHop = "172.20.0.1", DestinationPrefix = "0.0.0.0/0"}}}}}},
  })
end

local app, sidecar -- where each container's traffic starts: "host/compartment"
if node1.profile == "ws2016" then
  -- One container per pod: each container its own endpoint, attached to it.
  for _, c in ipairs({"pod-a-app", "pod-a-sidecar"}) do
    local ep = node1:must(node1:hnscall("POST", "/endpoints", {Name = c .. "_nat", VirtualNetworkName = "nat"}))
    node1:must(node1:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {ContainerId = c, SystemType = "Container"}))
  end
  app, sidecar = "pod-a-app", "pod-a-sidecar"
elseif v1 then
  -- A v1 namespace holding the pod's endpoint and both containers.
  local ns = node1:must(node1:hnscall("POST", "/namespaces/", {IsDefault = false}))
  local ep = node1:must(node1:hnscall("POST", "/endpoints", {Name = "pod-a_nat", VirtualNetworkName = "nat"}))
  node1:must(node1:hnscall("POST", "/namespaces/" .. ns.id .. "/addresource", {Type = "Endpoint", Data = {Id = ep.id}}))
  for _, c in ipairs({"pod-a-app", "pod-a-sidecar"}) do
    node1:must(node1:hnscall("POST", "/namespaces/" .. ns.id .. "/addresource", {Type = "Container", Data = {Id = c}}))
  end
  app = "ns" .. ns.output.CompartmentId
  sidecar = app
else
  -- containerd: the namespace, the endpoint in it, both containers in it.
  local ns = node1:must(node1:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = node1:must(node1:create_endpoint(net, {Name = "pod-a_nat", HostComputeNetwork = net.id, SchemaVersion = V2}))
  node1:must(node1:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add", Settings = {EndpointId = ep.id}}))
  for _, c in ipairs({"pod-a-app", "pod-a-sidecar"}) do
    node1:must(node1:modify("namespace", ns, {ResourceType = "Container", RequestType = "Add", Settings = {ContainerId = c}}))
  end
  app = "ns" .. node1:must(node1:query("namespace", ns)).output.NamespaceId
  sidecar = app
end

-- The app listens on TCP 8080, the sidecar on its own 9090 (a compartment
-- answers every port until told what it listens on); the sidecar calls
-- localhost:8080.
node1:listen(app, "tcp", 8080)
node1:listen(sidecar, "tcp", 9090)
if node1.profile == "ws2016" then
  expect.blocked{from = "node1/" .. sidecar, to = "127.0.0.1", proto = "tcp", port = 8080, verdict = "refused",
                 what = "ws2016: the sidecar's localhost is its own compartment, where nothing listens on 8080"}
else
  local _, p = expect.reach{from = "node1/" .. sidecar, to = "127.0.0.1", proto = "tcp", port = 8080,
                            what = "the sidecar reaches the app over localhost, in the pod's one compartment"}
  expect.equal(p.received, "tcp 127.0.0.1:49152 -> 127.0.0.1:8080", "the app sees a localhost connection")
end
