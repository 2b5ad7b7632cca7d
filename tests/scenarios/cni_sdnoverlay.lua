-- cni_sdnoverlay.lua: sdnoverlay (microsoft/windows-container-networking)
-- behind flannel's vxlan backend, under containerd: the configuration
-- shape flannel's Windows deployments use with it (kubernetes-sigs/
-- sig-windows-tools flannel "cni-conf-containerd.json": type sdnoverlay,
-- AdditionalArgs with OutBoundNAT, SDNRoute and ProviderAddress). The
-- values here are hnsim's own.
--
-- Expected (common/core/network.go Add): the network flannel made is
-- found by name (flannel.4096); the endpoint "<sandbox>_flannel.4096"
-- takes host-local's first address and gateway (x.1, the overlay's
-- distributed router), its MAC from HNS's pool (sdnoverlay derives none),
-- the AdditionalArgs policies as given; pods on two nodes reach each other
-- over VXLAN with their own addresses, and the internet as their node.

scenario{
  name = "cni_sdnoverlay",
  description = "flannel vxlan + sdnoverlay, containerd",
  profiles = {"ws2019", "ws2022"},
}

local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")

local function conf(node_ip)
  return json.encode{
    name = "flannel.4096", cniVersion = "0.3.1", type = "flannel",
    capabilities = {portMappings = true, dns = true},
    delegate = {
      type = "sdnoverlay",
      AdditionalArgs = {
        {Name = "EndpointPolicy", Value = {Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16", "10.96.0.0/12"}}}},
        {Name = "EndpointPolicy", Value = {Type = "SDNRoute", Settings = {DestinationPrefix = "10.96.0.0/12", NeedEncap = true}}},
        {Name = "EndpointPolicy", Value = {Type = "ProviderAddress", Settings = {ProviderAddress = node_ip}}},
      },
    },
  }
end

require("seed.lan").lay("10.0.0.1/24")

local function node(name, address, subnet, dr_mac)
  local h = host(name, {nics = {{name = "Ethernet", segment = "lan", address = address .. "/24"}}, gateway = "10.0.0.1"})
  flannel.vxlan(h, {subnet = subnet, provider_address = address, dr_mac = dr_mac})
  return h, {network = "10.244.0.0/16", subnet = subnet, mtu = 1450, ipmasq = false}
end
local n1, env1 = node("node1", "10.0.0.4", "10.244.1.0/24", "00-15-5D-AA-00-04")
local n2, env2 = node("node2", "10.0.0.5", "10.244.2.0/24", "00-15-5D-AA-00-05")
assert(flannel.vxlan_lease(n1, "flannel.4096", {subnet = "10.244.2.0/24", public_ip = "10.0.0.5", vtep_mac = "00:15:5d:aa:00:05"}))
assert(flannel.vxlan_lease(n2, "flannel.4096", {subnet = "10.244.1.0/24", public_ip = "10.0.0.4", vtep_mac = "00:15:5d:aa:00:04"}))

local a = assert(kubelet.containerd_run(n1, conf("10.0.0.4"), {name = "a", namespace = "default", sandbox = "sb-a"}, {subnet_env = env1}))
local c = assert(kubelet.containerd_run(n2, conf("10.0.0.5"), {name = "c", namespace = "default", sandbox = "sb-c"}, {subnet_env = env2}))
expect.equal(a.result, {cniVersion = "0.3.1", interfaces = {{name = "eth0", mac = a.info.endpoint.MacAddress}},
                        ips = {{version = "4", address = "10.244.1.2/24", gateway = "10.244.1.1", interface = 0}},
                        routes = {}, dns = {}},
             "sdnoverlay's result: interface eth0, no DNS")
local ep = n1:must(n1:query("endpoint", a.info.endpoint.ID)).output
expect.equal(ep.Name, "sb-a_flannel.4096", "endpoint name")
expect.equal(ep.Routes, {{DestinationPrefix = "0.0.0.0/0", NextHop = "10.244.1.1"}}, "gateway x.1")
expect.truthy(ep.MacAddress:sub(1, 8) == "00-15-5D", "a MAC from HNS's pool: " .. ep.MacAddress)
expect.equal(ep.Policies, {
  {Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16", "10.96.0.0/12"}}},
  {Type = "SDNRoute", Settings = {DestinationPrefix = "10.96.0.0/12", NeedEncap = true}},
  {Type = "ProviderAddress", Settings = {ProviderAddress = "10.0.0.4"}},
}, "the AdditionalArgs policies as given")
expect.equal(ep.HostComputeNamespace, a.namespace, "in the pod's namespace")

local _, across = expect.reach{from = "node1/sb-a_flannel.4096", to = "node2/sb-c_flannel.4096", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 10.244.1.2:49152 -> 10.244.2.2:80", "over VXLAN with the pod's address")
local _, out = expect.reach{from = "node2/sb-c_flannel.4096", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.0.0.5:49152 -> 203.0.113.10:443", "to the internet as the node")

assert(kubelet.containerd_stop(n1, conf("10.0.0.4"), a))
expect.hresult(n1:query("endpoint", ep.ID), "HCN_E_ENDPOINT_NOT_FOUND", "DEL removed the endpoint")
expect.equal(kubelet.del(n1, conf("10.0.0.4"), {container_id = "sb-a", netns = a.namespace}), true, "a second DEL is no error")
expect.truthy(c.info.endpoint.ID, "node2's pod stays")
