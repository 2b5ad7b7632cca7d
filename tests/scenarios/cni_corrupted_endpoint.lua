-- cni_corrupted_endpoint.lua: the endpoint-reuse and "corrupted endpoint"
-- rules of the Windows plugins (containernetworking/plugins pkg/hns
-- endpoint_windows.go AddHnsEndpoint / AddHcnEndpoint; consumers §2.1 step
-- 3), and how sdnbridge differs (common/core/network.go Add).
--
-- An endpoint already named "<sandbox>_<network>" is
--   * on the expected network: reused (no IPAM, no new endpoint);
--   * on another network ("corrupted": left from a network that was
--     re-created, or by hand): win-bridge deletes it and makes a new one,
--     through HNS v1 and through HCN v2 alike;
--   * sdnbridge does not delete it: it goes on to create a second endpoint
--     of the same name, which hnsmock refuses (HNS's behaviour with two
--     endpoints of one name is not documented: (inferred) refusal); the
--     runtime's clean-up DEL then deletes the old one by name, and the
--     retry succeeds.
-- The netconfs here are hnsim's own, in the shape of the samples.

scenario{
  name = "cni_corrupted_endpoint",
  description = "win-bridge reuses its endpoint, deletes one left on another network; sdnbridge does not",
  profiles = {"ws2019", "ws2022"},
}

local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")
local hostlocal = require("cni.hostlocal")

local V2 = {Major = 2, Minor = 0}

local function conf(api)
  return json.encode{
    cniVersion = "0.3.1", name = "cbr0", type = "win-bridge", apiVersion = api,
    ipam = {type = "host-local", subnet = "10.244.1.0/24", rangeStart = "10.244.1.10"},
    dns = {nameservers = {"10.96.0.10"}, search = {"default.svc.cluster.local"}},
    policies = {{name = "EndpointPolicy", value = api == 2
      and {Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16"}}}
      or {Type = "OutBoundNAT", ExceptionList = {"10.244.0.0/16"}}}},
  }
end
local V1CONF, V2CONF = conf(1), conf(2)

segment("lan", {latency = "100us"})
router("gw", {{name = "lan", segment = "lan", address = "10.0.0.1/24"}})
local n1 = host("node1", {nics = {{name = "Ethernet", segment = "lan", address = "10.0.0.4/24"}}, gateway = "10.0.0.1"})
flannel.host_gw(n1, {subnet = "10.244.1.0/24"})
-- another network on the host: where the stale endpoints were left
local other = n1:must(n1:create_network{Name = "nat", Type = "NAT", SchemaVersion = V2,
  Ipams = {{Type = "Static", Subnets = {{IpAddressPrefix = "172.20.0.0/24",
    Routes = {{NextHop = "172.20.0.1", DestinationPrefix = "0.0.0.0/0"}}}}}}})

-- HNS v1, dockershim: a stale "pause-x_cbr0" on the NAT network.
local stale = n1:must(n1:hnscall("POST", "/endpoints/", {Name = "pause-x_cbr0", VirtualNetwork = other.id})).output
local st = assert(kubelet.dockershim_run(n1, V1CONF, {name = "x", sandbox = "pause-x"}))
expect.equal(st.info.deleted_corrupted, stale.ID, "win-bridge (v1) deleted the endpoint left on another network")
expect.hresult(n1:hnscall("GET", "/endpoints/" .. stale.ID), "ERROR_NOT_FOUND", "the stale endpoint is gone")
local ep = n1:must(n1:hnscall("GET", "/endpoints/" .. st.info.endpoint.ID)).output
expect.equal({ep.Name, ep.VirtualNetworkName, ep.IPAddress}, {"pause-x_cbr0", "cbr0", "10.244.1.10"},
             "a new endpoint of that name on cbr0")

-- A repeated ADD for the pause container reuses it: same ID, no IPAM.
local st_again = assert(kubelet.dockershim_run(n1, V1CONF, {name = "x", sandbox = "pause-x"}))
expect.equal(st_again.info.endpoint.ID, ep.ID, "the same endpoint")
expect.equal(st_again.info.created, false, "nothing created")
expect.equal(hostlocal.allocated(n1, "cbr0"), {"10.244.1.10 pause-x/eth0"}, "no second address")

-- HCN v2, containerd: a stale "sb-y_cbr0" on the NAT network.
local stale2 = n1:must(n1:create_endpoint(other, {Name = "sb-y_cbr0", HostComputeNetwork = other.id, SchemaVersion = V2}))
local st2 = assert(kubelet.containerd_run(n1, V2CONF, {name = "y", sandbox = "sb-y"}))
expect.equal(st2.info.deleted_corrupted, stale2.id, "win-bridge (v2) deleted the endpoint left on another network")
expect.hresult(n1:query("endpoint", stale2.id), "HCN_E_ENDPOINT_NOT_FOUND", "the stale endpoint is gone")
local ep2 = n1:must(n1:query("endpoint", st2.info.endpoint.ID)).output
expect.equal({ep2.Name, ep2.HostComputeNetwork, ep2.HostComputeNamespace},
             {"sb-y_cbr0", st.info.network.ID, st2.namespace}, "the new endpoint: on cbr0, in the pod's namespace")

-- sdnbridge: no corrupted rule.
local SDN = json.encode{
  cniVersion = "0.3.1", name = "cbr0", type = "sdnbridge",
  ipam = {type = "host-local", subnet = "10.244.1.0/24"},
  optionalFlags = {forceBridgeGateway = true},
  AdditionalArgs = {{Name = "EndpointPolicy", Value = {Type = "OutBoundNAT", Settings = {Exceptions = {"10.244.0.0/16"}}}}},
}
local stale3 = n1:must(n1:create_endpoint(other, {Name = "sb-z_cbr0", HostComputeNetwork = other.id, SchemaVersion = V2}))
local st3, err3 = kubelet.containerd_run(n1, SDN, {name = "z", sandbox = "sb-z"})
expect.equal(st3, nil, "sdnbridge's ADD fails")
expect.truthy(err3 and err3:find("already exists", 1, true), "it tried to create a second 'sb-z_cbr0': " .. tostring(err3))
-- containerd's clean-up DEL after the failed set-up finds the endpoint by
-- name, whatever its network, and deletes it (sdnbridge DEL does not look
-- at the network): the sandbox's retry then succeeds.
expect.hresult(n1:query("endpoint", stale3.id), "HCN_E_ENDPOINT_NOT_FOUND", "the clean-up DEL removed it")
local st3b = assert(kubelet.containerd_run(n1, SDN, {name = "z", sandbox = "sb-z"}))
expect.equal(st3b.info.endpoint.HostComputeNetwork, st.info.network.ID, "the retry's endpoint is on cbr0")

-- and sdnbridge's own gateway rule: forceBridgeGateway makes x.2 the gateway
local st4 = assert(kubelet.containerd_run(n1, SDN, {name = "w", sandbox = "sb-w"}))
expect.equal(st4.info.endpoint.Routes, {{DestinationPrefix = "0.0.0.0/0", NextHop = "10.244.1.2"}},
             "forceBridgeGateway: the gateway is x.2 (microsoft/windows-container-networking#40)")
expect.equal(st4.info.endpoint.Name, "sb-w_cbr0", "sdnbridge's endpoint name")
