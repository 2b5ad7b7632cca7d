-- cni_call_patterns.lua: the two ways kubelet's runtime calls a Windows CNI
-- plugin (consumers-and-pain-points.md §2.4), with win-bridge:
--
--   * dockershim, HNS v1 (apiVersion 1): ADD for the pause container
--     (netns "none"), then ADD for each app container (netns
--     "container:<pause ID>"): one endpoint, named after the pause
--     container, one address for the pod; the app containers' DEL only
--     detaches; the pause container's DEL deletes the endpoint;
--   * containerd, HCN v2 (apiVersion 2): one HostComputeNamespace per pod,
--     one ADD with netns = its ID, the endpoint added to the namespace;
--   * each API version under the other pattern fails the way the plugin
--     does: v1 with a namespace GUID looks for an endpoint an app
--     container would share ("failed to find HNSEndpoint"); v2 with netns
--     "none" cannot add the endpoint to a namespace called "none", and
--     removes the endpoint it made.
-- Also: the runtime's DNS wins over the netconf's (GetDNS), port mappings
-- reach HNS as NAT (v1) / PortMapping (v2) policies (which HNS does not
-- apply on L2Bridge without LocalRoutedVip), and the result has
-- the shape of cniVersion 0.3.1 (interfaces, ips with "version").
-- The netconfs are hnsim's own, in the shape of the win-bridge samples,
-- with rangeStart .10 so the bridge endpoint's x.2 is not handed out.

scenario{
  name = "cni_call_patterns",
  description = "dockershim (ADD per container, HNS v1) and containerd (namespace per pod, HCN v2) with win-bridge",
  profiles = {"ws2019", "ws2022"},
}

local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")
local hostlocal = require("cni.hostlocal")

local function conf(api)
  return json.encode{
    cniVersion = "0.3.1", name = "cbr0", type = "win-bridge", apiVersion = api,
    capabilities = {portMappings = true, dns = true},
    ipam = {type = "host-local", subnet = "10.244.1.0/24", rangeStart = "10.244.1.10"},
    dns = {nameservers = {"10.96.0.10"}, search = {"svc.cluster.local"}},
    policies = {{name = "EndpointPolicy", value = api == 2
      and {Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16", "10.0.0.0/24"}}}
      or {Type = "OutBoundNAT", ExceptionList = {"10.244.0.0/16", "10.0.0.0/24"}}}},
  }
end
local V1CONF, V2CONF = conf(1), conf(2)

require("seed.lan").lay("10.0.0.1/24")
local n1 = host("node1", {nics = {{name = "Ethernet", segment = "lan", address = "10.0.0.4/24"}}, gateway = "10.0.0.1"})
flannel.host_gw(n1, {subnet = "10.244.1.0/24"})

local RUNTIME = {
  portMappings = {{hostPort = 8080, containerPort = 80, protocol = "tcp"}, {hostPort = 53, containerPort = 53, protocol = "sctp"}},
  dns = {servers = {"10.96.0.53"}, searches = {"team.svc.cluster.local", "svc.cluster.local"}},
}

-- ---- dockershim ----
local pod = {name = "pod-d", namespace = "team", sandbox = "pause-d", containers = {"app-d1", "app-d2"}, runtime_config = RUNTIME}
local st = assert(kubelet.dockershim_run(n1, V1CONF, pod))
expect.equal(st.result, {
  cniVersion = "0.3.1",
  interfaces = {{name = "pause-d_cbr0", mac = st.info.endpoint.MacAddress}},
  ips = {{version = "4", address = "10.244.1.10/24", gateway = "10.244.1.2"}},
  dns = {nameservers = {"10.96.0.53"}, search = {"team.svc.cluster.local", "svc.cluster.local"}},
}, "the 0.3.1 result: the runtime's DNS won")
for i, app in ipairs(st.apps) do
  expect.equal(app.info.endpoint.ID, st.info.endpoint.ID, "app container " .. i .. " shares the pause container's endpoint")
  expect.equal(app.result.ips[1].address, "10.244.1.10/24", "app container " .. i .. " has the pod's address")
end
local eps = n1:must(n1:hnscall("GET", "/endpoints/")).output
expect.equal(#eps, 2, "one endpoint for the pod (and cbr0_ep)")
local ep = n1:must(n1:hnscall("GET", "/endpoints/" .. st.info.endpoint.ID)).output
expect.equal(ep.Policies, {
  {Type = "OutBoundNAT", ExceptionList = {"10.244.0.0/16", "10.0.0.0/24"}},
  {Type = "NAT", Protocol = "TCP", InternalPort = 80, ExternalPort = 8080},
}, "the netconf's OutBoundNAT and the tcp port mapping (sctp has no protocol number the plugin knows: skipped)")
expect.equal(ep.DNSServerList, "10.96.0.53", "HNS has the runtime's DNS")
-- The app containers join the pause container's endpoint by HCS's hot
-- attach (h:hot_attach): HNS lists all three as sharing it.
expect.equal(ep.SharedContainers, {"pause-d", "app-d1", "app-d2"}, "HNS lists the pause and app containers")
expect.equal(st.apps[1].info.attach, "hcs", "the app containers join by HCS's hot attach")
expect.equal(hostlocal.allocated(n1, "cbr0"), {"10.244.1.10 pause-d/eth0"}, "one address for the pod")
local _, out = expect.reach{from = "node1/pause-d_cbr0", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.0.0.4:49152 -> 203.0.113.10:443", "the pod reaches the internet as the node")
-- win-bridge's port mapping carries no LocalRoutedVip flag, and on an
-- L2Bridge network HNS does not apply such a mapping
-- (microsoft/Windows-Containers#360, docs/dataplane.md): port 8080 of the
-- node stays the node's own, the pod is not reached through it.
local _, inbound = expect.reach{from = "web", to = "10.0.0.4", proto = "tcp", port = 8080, what = "the node's port 8080 answers"}
expect.equal(inbound.received, "tcp 203.0.113.10:49152 -> 10.0.0.4:8080",
             "the node itself answers: the NAT policy is not applied on L2Bridge")

-- dockershim's teardown: DEL for the pause container
assert(kubelet.dockershim_stop(n1, V1CONF, st))
expect.hresult(n1:hnscall("GET", "/endpoints/" .. st.info.endpoint.ID), "ERROR_NOT_FOUND", "TearDownPod's DEL deleted it")

-- the pod again, and a DEL per app container before the pause's
local st_b = assert(kubelet.dockershim_run(n1, V1CONF, pod))
for _, app in ipairs(st_b.apps) do
  local ok, how = kubelet.del(n1, V1CONF, {container_id = app.container, netns = "container:pause-d"})
  expect.equal({ok, how}, {true, "detached"}, "DEL of " .. app.container .. " only detaches")
end
expect.truthy(n1:hnscall("GET", "/endpoints/" .. st_b.info.endpoint.ID).ok, "the endpoint stays for the pause container")
local ok, how = kubelet.del(n1, V1CONF, {container_id = "pause-d", netns = "none"})
expect.equal({ok, how}, {true, "deleted"}, "DEL of the pause container deletes it")
expect.hresult(n1:hnscall("GET", "/endpoints/" .. st_b.info.endpoint.ID), "ERROR_NOT_FOUND", "gone")
expect.equal(hostlocal.allocated(n1, "cbr0"), {}, "and its address is free")

-- ---- containerd ----
local cpod = {name = "pod-c", namespace = "team", sandbox = "sandbox-c", runtime_config = RUNTIME}
local cst = assert(kubelet.containerd_run(n1, V2CONF, cpod))
local cep = n1:must(n1:query("endpoint", cst.info.endpoint.ID)).output
expect.equal(cep.HostComputeNamespace, cst.namespace, "the endpoint is in the pod's namespace")
expect.equal(cep.Dns, {ServerList = {"10.96.0.53"}, Search = {"team.svc.cluster.local", "svc.cluster.local"}}, "the runtime's DNS")
expect.equal(cep.Policies, {
  {Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16", "10.0.0.0/24"}}},
  {Type = "PortMapping", Settings = {InternalPort = 80, ExternalPort = 8080, Protocol = 6}},
}, "v2 policies: OutBoundNAT and a PortMapping (the empty VIP left out)")
expect.reach{from = "node1/sandbox-c_cbr0", to = "web", proto = "tcp", port = 443}
assert(kubelet.containerd_stop(n1, V2CONF, cst))
expect.hresult(n1:query("endpoint", cep.ID), "HCN_E_ENDPOINT_NOT_FOUND", "DEL removed the endpoint")

-- ---- each API version under the other pattern ----
local bad, berr = kubelet.containerd_run(n1, V1CONF, {name = "pod-x", sandbox = "sandbox-x"})
expect.equal(bad, nil, "apiVersion 1 under containerd fails")
expect.truthy(berr and berr:find("failed to find HNSEndpoint sandbox-x_cbr0", 1, true), tostring(berr))
local bad2, berr2 = kubelet.dockershim_run(n1, V2CONF, {name = "pod-y", sandbox = "pause-y"})
expect.equal(bad2, nil, "apiVersion 2 under dockershim fails")
expect.truthy(berr2 and berr2:find("HostComputeNamespace none", 1, true), tostring(berr2))
expect.equal(#n1:must(n1:hnscall("GET", "/endpoints/")).output, 1, "no endpoint left behind (only cbr0_ep)")
expect.equal(hostlocal.allocated(n1, "cbr0"), {}, "no address left behind")
