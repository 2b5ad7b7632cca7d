-- cni_wincni_l2bridge.lua: tests/corpus/cni-samples/sdn_wincni_l2bridge.conf as
-- given (microsoft/SDN Kubernetes/windows/cni/config/l2bridge.conf): the
-- 2018 wincni.exe plugin, AdditionalArgs with HNS v1 policies, no IPAM
-- type (HNS picks the address), the gateway from ipam.routes[0].GW,
-- portMappings as a capability, under dockershim.
--
-- node1 is set up as that era's start-kubelet.ps1 did (consumers §3.1):
-- an L2Bridge network "l2bridge" on the pod subnet with gateway x.1 and a
-- host endpoint at x.2 in compartment 1. node2 has no network: wincni
-- makes one itself, of type "l2bridge" (the netconf's name), with the
-- gateway x.2 from ipam.routes.
--
-- Expected (Kubernetes/wincni cni/network/network.go Add, Delete):
--   * endpoint "<pause>_l2bridge", IP chosen by HNS (x.3 on node1), gateway
--     x.2, DNSSuffix "<pod namespace>.svc.cluster.local", the file's
--     OutBoundNAT and ROUTEs, and a NAT policy for the pod's port mapping;
--   * the app container's ADD answers with the same endpoint;
--   * pod to the internet as the node, pod to its node by the /32 ROUTE;
--   * DEL of the pause container deletes the endpoint.

scenario{
  name = "cni_wincni_l2bridge",
  description = "sdn_wincni_l2bridge.conf: wincni.exe (HNS v1), dockershim, with and without a pre-made network",
  profiles = {"1803", "ws2019", "ws2022"},
}

local samples = require("cni.samples")
local kubelet = require("cni.kubelet")

local CONF = samples["sdn_wincni_l2bridge.conf"]

segment("lan", {latency = "100us"})
segment("lan2", {latency = "100us"})
segment("internet", {latency = "1ms"})
router("gw", {
  {name = "lan", segment = "lan", address = "10.124.24.1/23"},
  {name = "lan2", segment = "lan2", address = "10.124.30.1/24"},
  {name = "internet", segment = "internet", address = "203.0.113.1/24"},
})
host("web", {os = "linux", nics = {{name = "eth0", segment = "internet", address = "203.0.113.10/24"}},
             gateway = "203.0.113.1"})

local n1 = host("node1", {nics = {{name = "Ethernet", segment = "lan", address = "10.124.24.196/23"}}, gateway = "10.124.24.1"})
-- start-kubelet.ps1 (2018): the pod network and the host's endpoint at x.2
local net = n1:must(n1:hnscall("POST", "/networks/", {Name = "l2bridge", Type = "L2Bridge", NetworkAdapterName = "Ethernet",
  Subnets = {{AddressPrefix = "192.168.1.0/24", GatewayAddress = "192.168.1.1"}}})).output
local host_ep = n1:must(n1:hnscall("POST", "/endpoints/", {Name = "cbr0", VirtualNetwork = net.ID, IPAddress = "192.168.1.2"})).output
n1:must(n1:hnscall("POST", "/endpoints/" .. host_ep.ID .. "/attach", {SystemType = "Host", CompartmentId = 1}))

local pod = {name = "web-1", namespace = "default", sandbox = "pause-w", containers = {"app-w"},
             runtime_config = {portMappings = {{hostPort = 8080, containerPort = 80, protocol = "tcp"}}}}
local st, err = kubelet.dockershim_run(n1, CONF, pod)
assert(st, err)
expect.equal(st.result, {ip4 = {ip = "192.168.1.3/24", gateway = "192.168.1.2"}, dns = {}},
             "wincni's 0.2.0 result: HNS chose x.3 (x.1 the gateway, x.2 the host's)")
local ep = n1:must(n1:hnscall("GET", "/endpoints/" .. st.info.endpoint.ID)).output
expect.equal(ep.Name, "pause-w_l2bridge", "endpoint name")
expect.equal(ep.GatewayAddress, "192.168.1.2", "gateway from ipam.routes[0].GW")
expect.equal(ep.DNSSuffix, "default.svc.cluster.local", "the pod's namespace before the search suffix")
expect.equal(ep.DNSServerList, "11.0.0.10", "DNS servers")
expect.equal(ep.Policies, {
  {Type = "NAT", Protocol = "TCP", InternalPort = 80, ExternalPort = 8080},
  {Type = "OutBoundNAT", ExceptionList = {"192.168.0.0/16", "11.0.0.0/8", "10.124.24.0/23"}},
  {Type = "ROUTE", DestinationPrefix = "11.0.0.0/8", NeedEncap = true},
  {Type = "ROUTE", DestinationPrefix = "10.124.24.196/32", NeedEncap = true},
}, "the port mapping's NAT policy, then the file's AdditionalArgs")
expect.equal(ep.SharedContainers, {"pause-w", "app-w"}, "the pause container's, shared by its app container (hot attach)")
expect.equal(st.apps[1].info.endpoint.ID, ep.ID, "the app container's ADD answers with the same endpoint")

local _, out = expect.reach{from = "node1/pause-w_l2bridge", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.124.24.196:49152 -> 203.0.113.10:443", "pod to the internet leaves as the node")
expect.reach{from = "node1/pause-w_l2bridge", to = "10.124.24.196", proto = "tcp", port = 10250,
             what = "pod reaches its node by the /32 ROUTE"}

assert(kubelet.dockershim_stop(n1, CONF, st))
expect.hresult(n1:hnscall("GET", "/endpoints/" .. ep.ID), "ERROR_NOT_FOUND", "DEL removed the endpoint")
expect.equal(kubelet.dockershim_stop(n1, CONF, st), true, "a second DEL is no error")

-- node2: no network yet; wincni creates it.
local n2 = host("node2", {nics = {{name = "Ethernet", segment = "lan2", address = "10.124.30.5/24"}}, gateway = "10.124.30.1"})
local st2 = assert(kubelet.dockershim_run(n2, CONF, {name = "web-2", namespace = "prod", sandbox = "pause-p"}))
local net2 = n2:must(n2:hnscall("GET", "/networks/")).output[1]
expect.equal({net2.Name, net2.Type, net2.Subnets[1].AddressPrefix, net2.Subnets[1].GatewayAddress, net2.DNSServerList},
             {"l2bridge", "l2bridge", "192.168.1.0/24", "192.168.1.2", "11.0.0.10"},
             "the network wincni made: its type is the netconf's name")
local ep2 = n2:must(n2:hnscall("GET", "/endpoints/" .. st2.info.endpoint.ID)).output
expect.equal(ep2.DNSSuffix, "prod.svc.cluster.local", "the pod's namespace")
expect.equal(ep2.IPAddress, "192.168.1.1", "HNS's first free address (x.2 is this network's gateway)")
