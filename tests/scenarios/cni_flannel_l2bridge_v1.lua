-- cni_flannel_l2bridge_v1.lua: tests/corpus/cni-samples/sdn_flannel_l2bridge_cni.conf
-- as given (microsoft/SDN Kubernetes/flannel/l2bridge/cni/config/cni.conf):
-- flannel delegating to win-bridge with HNS v1 policies, under dockershim.
--
-- The cluster the file was written for (its ExceptionList and ROUTEs):
-- pods 10.244.0.0/16, services 10.96.0.0/12, nodes on 10.127.130.0/24,
-- this node 10.127.130.38 (the /32 ROUTE lets pods reach their own host).
-- flanneld's host-gw backend makes network cbr0 (x.1 gateway) and the
-- bridge endpoint cbr0_ep at x.2 on each node, and a host route to each
-- peer's pod subnet (cni.flannel). Then kubelet (dockershim) runs pod-a:
-- ADD for its pause container (netns none) and ADD for its app container
-- (netns container:<pause>).
--
-- What the real stack does, and this scenario expects:
--   * host-local hands out x.2 first, which cbr0_ep holds: HNS refuses
--     the endpoint ("already used", microsoft/SDN#333), the ADD fails and
--     gives the address back; the retry gets x.3;
--   * the endpoint "<pause ID>_cbr0": IP x.3, gateway x.2, the file's
--     OutBoundNAT and ROUTE policies, DNS from the file;
--   * the app container's ADD reuses it: one endpoint, one IP;
--   * pod to pod across nodes keeps the pod's address, pod to the internet
--     leaves as the node (OutBoundNAT), pod to its node by the /32 ROUTE;
--   * DEL for the pause container deletes the endpoint, and again is no
--     error;
--   * a DEL per app container first (which dockershim does not send)
--     leaves the endpoint behind, through flannel's saved netconf.

scenario{
  name = "cni_flannel_l2bridge_v1",
  description = "sdn_flannel_l2bridge_cni.conf: flannel host-gw + win-bridge (HNS v1), dockershim",
  profiles = {"1803", "ws2019", "ws2022"},
}

local samples = require("cni.samples")
local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")
local hostlocal = require("cni.hostlocal")

local CONF = samples["sdn_flannel_l2bridge_cni.conf"]

require("seed.lan").lay("10.127.130.1/24")

local function node(name, address, subnet)
  local h = host(name, {nics = {{name = "Ethernet", segment = "lan", address = address .. "/24"}}, gateway = "10.127.130.1"})
  flannel.host_gw(h, {subnet = subnet})
  return h, {network = "10.244.0.0/16", subnet = subnet, mtu = 1500, ipmasq = true}
end

local n1, env1 = node("node1", "10.127.130.38", "10.244.1.0/24")
local n2, env2 = node("node2", "10.127.130.39", "10.244.2.0/24")
flannel.host_gw_route(n1, "10.244.2.0/24", "10.127.130.39")
flannel.host_gw_route(n2, "10.244.1.0/24", "10.127.130.38")

-- The first ADD collides with cbr0_ep (microsoft/SDN#333).
local pod_a = {name = "pod-a", namespace = "default", sandbox = "pause-a", containers = {"app-a"}}
local st, err = kubelet.dockershim_run(n1, CONF, pod_a, {subnet_env = env1})
expect.equal(st, nil, "the first pod's ADD fails")
expect.truthy(err and err:find("HCN_E_ADDR_INVALID_OR_RESERVED", 1, true) and err:find("10.244.1.2", 1, true),
              "HNS refuses 10.244.1.2, the bridge endpoint's address: " .. tostring(err))
expect.equal(hostlocal.allocated(n1, "cbr0"), {}, "the failed ADD gave its address back")

-- kubelet retries the sandbox.
st, err = kubelet.dockershim_run(n1, CONF, pod_a, {subnet_env = env1})
assert(st, err)
expect.equal(st.result, {
  cniVersion = "0.2.0",
  ip4 = {ip = "10.244.1.3/24", gateway = "10.244.1.2"},
  dns = {nameservers = {"10.96.0.10"}, search = {"svc.cluster.local"}},
}, "the CNI result as win-bridge prints it for cniVersion 0.2.0")

local list = n1:must(n1:hnscall("GET", "/endpoints/")).output
local names = {}
for _, e in ipairs(list) do names[#names + 1] = e.Name end
expect.equal(names, {"cbr0_ep", "pause-a_cbr0"}, "one endpoint for the pod, named after its pause container")

local ep = n1:must(n1:hnscall("GET", "/endpoints/" .. st.info.endpoint.ID)).output
expect.equal(ep.IPAddress, "10.244.1.3", "endpoint IP")
expect.equal(ep.GatewayAddress, "10.244.1.2", "gateway x.2, the bridge endpoint")
expect.equal(ep.VirtualNetworkName, "cbr0", "on cbr0")
expect.equal(ep.DNSServerList, "10.96.0.10", "DNS servers")
expect.equal(ep.DNSSuffix, "svc.cluster.local", "DNS suffix")
expect.equal(ep.Policies, {
  {Type = "OutBoundNAT", ExceptionList = {"10.244.0.0/16", "10.96.0.0/12", "10.127.130.0/24"}},
  {Type = "ROUTE", DestinationPrefix = "10.96.0.0/12", NeedEncap = true},
  {Type = "ROUTE", DestinationPrefix = "10.127.130.38/32", NeedEncap = true},
}, "the file's policies, ipMasqNetwork already among the exceptions")
expect.equal(ep.SharedContainers, {"pause-a", "app-a"}, "the pause container's, shared by its app container (hot attach)")

-- The app container's ADD: the same endpoint, the same address.
expect.equal(st.apps[1].result.ip4.ip, "10.244.1.3/24", "the app container gets the pod's address")
expect.equal(st.apps[1].info.created, false, "no second endpoint")
expect.equal(st.apps[1].info.endpoint.ID, st.info.endpoint.ID, "the pause container's endpoint")

-- Node 2's first pod: the same collision, then x.3.
local pod_c = {name = "pod-c", namespace = "default", sandbox = "pause-c"}
expect.equal(kubelet.dockershim_run(n2, CONF, pod_c, {subnet_env = env2}), nil, "node2's first ADD fails too")
local st_c = assert(kubelet.dockershim_run(n2, CONF, pod_c, {subnet_env = env2}))
expect.equal(st_c.result.ip4.ip, "10.244.2.3/24", "pod-c's address")

-- Reachability.
local _, across = expect.reach{from = "node1/pause-a_cbr0", to = "node2/pause-c_cbr0", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 10.244.1.3:49152 -> 10.244.2.3:80", "pod to pod across nodes keeps the pod's address")
local _, out = expect.reach{from = "node1/pause-a_cbr0", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.127.130.38:49152 -> 203.0.113.10:443", "pod to the internet leaves as the node")
local _, home = expect.reach{from = "node1/pause-a_cbr0", to = "10.127.130.38", proto = "tcp", port = 10250,
                             what = "pod reaches its own node by the /32 ROUTE"}
expect.equal(home.received, "tcp 10.244.1.3:49152 -> 10.127.130.38:10250", "the node sees the pod's address")

-- CHECK does nothing and succeeds.
expect.equal(kubelet.check(n1, CONF, {container_id = "pause-a", netns = "none"}), true, "CHECK succeeds")

-- Teardown: DEL for the sandbox (dockershim TearDownPod).
local ok, how = kubelet.dockershim_stop(n1, CONF, st)
expect.truthy(ok, "DEL succeeds: " .. tostring(how))
local r = n1:hnscall("GET", "/endpoints/" .. st.info.endpoint.ID)
expect.hresult(r, "ERROR_NOT_FOUND", "the endpoint is gone")
expect.equal(hostlocal.allocated(n1, "cbr0"), {}, "its address is free again")
ok = kubelet.dockershim_stop(n1, CONF, st)
expect.equal(ok, true, "a second DEL is no error")
expect.blocked{from = "node2/pause-c_cbr0", to = "10.244.1.3", proto = "tcp", port = 80, what = "the deleted pod no longer answers"}

-- Not what dockershim sends, but what a caller sending DEL per container
-- meets: the app container's DEL goes through flannel, which consumes the
-- netconf it saved for the sandbox (flannel_windows.go doCmdDel, keyed by
-- GetSandboxContainerID); win-bridge only detaches the app container; the
-- pause container's DEL then finds no saved netconf and never reaches
-- win-bridge: the endpoint leaks.
local st_b = assert(kubelet.dockershim_run(n1, CONF, {name = "pod-b", sandbox = "pause-b", containers = {"app-b"}},
                                           {subnet_env = env1}))
expect.equal(st_b.result.ip4.ip, "10.244.1.4/24", "host-local moves on from the last address it gave")
local ok_b, how_b = kubelet.dockershim_stop(n1, CONF, st_b, {del_app_containers = true})
expect.equal({ok_b, how_b}, {true, "no saved netconf (already removed)"}, "the sandbox's DEL stops in flannel")
expect.truthy(n1:hnscall("GET", "/endpoints/" .. st_b.info.endpoint.ID).ok, "the pod's endpoint is left behind")
