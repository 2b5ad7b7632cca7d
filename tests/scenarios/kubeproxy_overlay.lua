-- kubeproxy_overlay.lua: kube-proxy winkernel on an Overlay (VXLAN)
-- network (consumers-and-pain-points.md §1.4, §1.5, P15): the source-VIP
-- endpoint (a local endpoint at --source-vip with the host's MAC), the
-- service-VIP endpoint (a remote endpoint at the ClusterIP, host MAC,
-- ProviderAddress = node IP), remote endpoints with the ProviderAddress of
-- the RemoteSubnetRoute holding their IP, and load balancers with the
-- source VIP as SourceVIP. The network is flannel's vxlan0 (VSID 4096, a
-- RemoteSubnetRoute per peer), made through HNS.
scenario{
  name = "kubeproxy-overlay",
  description = "kube-proxy winkernel on overlay: source VIP, service VIP and remote endpoints with provider addresses",
  profiles = {"ws2019", "ws2022"},
}

local winkernel = require("kubeproxy.winkernel")
local inspect = require("kubeproxy.inspect")
local cluster = require("kubeproxy.cluster").new()
local V2 = {Major = 2, Minor = 0}

segment("vnet", {latency = "100us"})
router("azure", {{name = "vnet", segment = "vnet", address = "10.240.0.1/16"}})

local nodes = {}
for i, n in ipairs({{name = "node1", address = "10.240.0.4", peer = "10.240.0.5"},
                    {name = "node2", address = "10.240.0.5", peer = "10.240.0.4"}}) do
  local mac = string.format("00-15-5D-00-00-0%d", 3 + i)
  local h = host(n.name, {nics = {{name = "Ethernet", segment = "vnet", address = n.address .. "/16", mac = mac}},
                          gateway = "10.240.0.1"})
  local net = h:must(h:create_network{
    Name = "vxlan0", Type = "Overlay", SchemaVersion = V2,
    Ipams = {{Type = "Static", Subnets = {{
      IpAddressPrefix = "10.244." .. i .. ".0/24",
      Routes = {{NextHop = "10.244." .. i .. ".1", DestinationPrefix = "0.0.0.0/0"}},
      Policies = {{Type = "VSID", Settings = {IsolationId = 4096}}},
    }}}},
  })
  h:must(h:modify("network", net, {ResourceType = "Policy", RequestType = "Add", Settings = {Policies = {{
    Type = "RemoteSubnetRoute",
    Settings = {DestinationPrefix = "10.244." .. (3 - i) .. ".0/24", IsolationId = 4096, ProviderAddress = n.peer,
                DistributedRouterMacAddress = "00-15-5D-BB-00-0" .. (3 - i)},
  }}}}))
  nodes[i] = {name = n.name, host = h, network = net, address = n.address, mac = mac,
              source_vip = "10.244." .. i .. ".254"}
end

local function pod(n, name, ip)
  local h = n.host
  local ns = h:must(h:create_namespace{Type = "HostDefault", SchemaVersion = V2})
  local ep = h:must(h:create_endpoint(n.network, {Name = name .. "_vxlan0", HostComputeNetwork = n.network.id,
                                                  SchemaVersion = V2, IpConfigurations = {{IpAddress = ip}}}))
  h:must(h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = "Add", Settings = {EndpointId = ep.id}}))
end
pod(nodes[1], "client", "10.244.1.5")
pod(nodes[1], "web-1", "10.244.1.6")
pod(nodes[2], "web-2", "10.244.2.6")

-- Without a host MAC kube-proxy cannot start on overlay (NewProxier: "could
-- not find host mac address"), and without --source-vip neither (P15).
local ok, err = pcall(winkernel.new, nodes[1].host, cluster, {hostname = "node1", node_ip = "10.240.0.4", network_name = "vxlan0",
                                                              host_mac = nodes[1].mac})
expect.equal(ok, false, "no --source-vip on overlay: kube-proxy does not start")
local msg = tostring(err):gsub("^[^:]*/", "") -- without the folder the file was run from
expect.truthy(msg:find("source-vip flag not set", 1, true), "it says so: " .. msg)

local kps = {}
for i, n in ipairs(nodes) do
  kps[i] = winkernel.new(n.host, cluster, {hostname = n.name, node_ip = n.address, network_name = "vxlan0",
                                           source_vip = n.source_vip, host_mac = n.mac})
end
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
for _, kp in ipairs(kps) do expect.equal(kp:sync(), "synced", kp.hostname .. " synced") end

local h1 = nodes[1].host
local eps = {}
for _, e in ipairs(inspect.endpoints(h1)) do eps[e.ip] = e end
expect.equal({eps["10.244.1.254"].remote, eps["10.244.1.254"].mac}, {false, "00-15-5D-00-00-04"},
             "the source-VIP endpoint: local, with the host's MAC")
expect.equal({eps["10.96.0.20"].remote, eps["10.96.0.20"].mac, eps["10.96.0.20"].provider_address},
             {true, "00-15-5D-00-00-04", "10.240.0.4"}, "the service-VIP endpoint: remote, host MAC, PA = node IP")
expect.equal({eps["10.244.2.6"].remote, eps["10.244.2.6"].mac, eps["10.244.2.6"].provider_address},
             {true, "02-11-0A-F4-02-06", "10.240.0.5"}, "a remote backend: PA = the peer from the RemoteSubnetRoute")
expect.equal(inspect.summary(h1), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0 src=10.244.1.254"},
             "the ClusterIP load balancer SNATs to the source VIP")
expect.equal(kps[1]:failures(), {}, "HNS refused nothing")

-- A backend outside every remote subnet (a "public" IP, here a node's own
-- address) gets the node IP as PA, and the load balancer the node IP as SourceVIP.
cluster:service{name = "ext", cluster_ip = "10.96.0.30", ports = {{name = "https", port = 443, target_port = 443}}}
cluster:endpoints("ext", {{ip = "10.240.0.9", node = "vm9"}})
kps[1]:sync()
expect.equal(inspect.find(h1, "10.96.0.30", 443)[1].source_vip, "10.240.0.4", "public backend: SourceVIP = node IP")
local pub
for _, e in ipairs(inspect.endpoints(h1)) do if e.ip == "10.240.0.9" then pub = e end end
expect.equal(pub and pub.provider_address, "10.240.0.4", "public backend: PA = node IP")

-- The data path: a pod on node1 reaches the Service; with its only backend
-- on node2 the request is SNATed to node1's source VIP and VXLAN-encapsulated
-- to node2's provider address, and the reply comes back to the source VIP.
expect.reach{from = "node1/client_vxlan0", to = "10.96.0.20", proto = "tcp", port = 80}
cluster:service{name = "remote-only", cluster_ip = "10.96.0.40", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("remote-only", {{ip = "10.244.2.6", node = "node2"}})
kps[1]:sync()
local _, p = expect.reach{from = "node1/client_vxlan0", to = "10.96.0.40", proto = "tcp", port = 80,
                          what = "node1 pod -> a Service whose backend is on node2"}
expect.truthy(p.received and p.received:find("^tcp 10%.244%.1%.254:%d+ %-> 10%.244%.2%.6:8080$"),
              "the backend sees node1's source VIP: " .. tostring(p.received))
