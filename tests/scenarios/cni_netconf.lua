-- cni_netconf.lua: reading netconfs (cni.netconf) the way the Go plugins
-- do, the errors that name the field and the value, and the plugins'
-- refusals before they touch an endpoint: every sample parses, keys match
-- in any case, a wrong JSON type is refused, flannel's delegate rules, a
-- network of the wrong type or missing, win-overlay's MAC prefix; plus
-- the address helpers and host-local's allocator.

scenario{name = "cni_netconf", description = "netconf parsing and the plugins' refusals", profiles = {"ws2022"}}

local netconf = require("cni.netconf")
local samples = require("cni.samples")
local ipaddr = require("cni.ipaddr")
local hostlocal = require("cni.hostlocal")
local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")
local common = require("cni.common")

-- Every sample parses, as its plugin reads it.
local seen = {}
for _, name in ipairs(samples.names) do
  local nc, err = netconf.parse(samples[name])
  expect.truthy(nc, name .. " parses: " .. tostring(err))
  if nc then
    local d = nc
    if nc.dialect == "flannel" then
      local dt = assert(flannel.delegate(samples[name], {network = "10.244.0.0/16", subnet = "10.244.1.0/24", mtu = 1500, ipmasq = true}))
      d = assert(netconf.parse(dt))
    end
    seen[#seen + 1] = string.format("%s: %s api %d, %d policies", name, d.type, d.api_version,
                                    #(d.policies or d.additional_args))
  end
end
expect.equal(seen, {
  "cniplugins_win-bridge_sample-v2.conf: win-bridge api 2, 3 policies",
  "sdn_flannel_l2bridge_cni.conf: win-bridge api 1, 3 policies",
  "sdn_flannel_overlay_cni.conf: win-overlay api 1, 2 policies",
  "sdn_wincni_l2bridge.conf: wincni.exe api 1, 3 policies",
  "wcn_sdnbridge_dualstack_host-local.conf: sdnbridge api 2, 4 policies",
}, "what each sample is")

-- Keys in any case: "Policies", "Name"/"Value", "Nameservers" (the overlay sample).
local ov = assert(flannel.delegate(samples["sdn_flannel_overlay_cni.conf"],
                                   {network = "192.168.0.0/16", subnet = "192.168.1.0/24", mtu = 1450, ipmasq = false}))
local ovc = assert(netconf.parse(ov))
expect.equal(ovc.dns.nameservers, {"11.0.0.10"}, "\"Nameservers\" read as nameservers")
expect.equal(ovc.policies[1].name, "EndpointPolicy", "\"Name\" read as name")
expect.equal(ov.ipam, {type = "host-local", subnet = "192.168.1.0/24"}, "flannel's ipam for the delegate")
expect.equal({ov.name, ov.ipMasq, ov.ipMasqNetwork, ov.cniVersion}, {"vxlan0", false, "192.168.0.0/16", "0.2.0"},
             "flannel's other delegate fields")

-- The sdnbridge sample's optional flags and ranges.
local sdn = assert(netconf.parse(samples["wcn_sdnbridge_dualstack_host-local.conf"]))
expect.equal(sdn.flags, {local_routed_port_mapping = true, allow_acl_port_mapping = true, force_bridge_gateway = false,
                         enable_dual_stack = true, loopback_dsr = false, gateway_from_additional_routes = false},
             "optionalFlags")
expect.equal(#sdn.ipam.ranges, 2, "two range sets")

-- Errors name the field and the value.
local function perr(t) return select(2, netconf.parse(t)) end
expect.equal(perr('{"name":"cbr0","type":"win-bridge","apiVersion":"2"}'),
             'netconf: apiVersion: expected a whole number, got string "2"', "apiVersion as a string")
expect.equal(perr('{"name":"cbr0","type":"win-bridge","policies":{"name":"EndpointPolicy"}}'),
             "netconf: policies: expected an array, got an object", "policies as an object")
expect.equal(perr('{"name":"cbr0","type":"win-bridge","policies":[{"name":1,"value":{}}]}'),
             "netconf: policies[1].name: expected a string, got number 1", "a policy's name as a number")
expect.equal(perr('{"name":"cbr0","type":"win-bridge","loopbackDSR":"yes"}'),
             'netconf: loopbackDSR: expected true or false, got string "yes"', "loopbackDSR as a string")
expect.equal(perr('{"name":"cbr0","type":"sdnbridge","optionalFlags":{"enableDualStack":1}}'),
             "netconf: optionalFlags.enableDualStack: expected true or false, got number 1", "a flag as a number")
expect.equal(perr('{"name":"cbr0","type":"win-bridge","ipam":{"type":"host-local","routes":[{"dst":"10.0.0.0"}]}}'),
             'netconf: ipam.routes[1].dst: "10.0.0.0" is not a prefix', "a route without a prefix length")
expect.equal(perr('{"name":"cbr0","type":"bridge"}'),
             'netconf: type: "bridge" is not a plugin hnsim models (win-bridge, win-overlay, sdnbridge, sdnoverlay, wincni, flannel)',
             "a Linux plugin")
expect.equal(perr('{"type":"win-bridge"}'), "netconf: name: missing: the HNS network name", "no name")
expect.equal(perr("{not json"):sub(1, 21), "netconf: json.decode:", "not JSON")
local v3 = assert(netconf.parse('{"name":"cbr0","type":"win-bridge","apiVersion":3}'))
expect.equal({v3.api_version, v3.warnings[1]}, {1, "apiVersion: 3 is neither 1 nor 2; win-bridge takes the HNS v1 path as for 1"},
             "apiVersion 3 is the v1 path, as in the plugin, with a warning")

-- flannel's delegate rules (flannel-io/cni-plugin flannel.go cmdAdd).
local ENV = {network = "10.244.0.0/16", subnet = "10.244.1.0/24", mtu = 1500, ipmasq = true}
expect.equal(select(2, flannel.delegate('{"name":"cbr0","type":"flannel","delegate":{"name":"x"}}', ENV)),
             "'delegate' dictionary must not have 'name' field, it'll be set by flannel", "delegate with a name")
expect.equal(select(2, flannel.delegate('{"name":"cbr0","type":"flannel","delegate":{"ipam":{}}}', ENV)),
             "'delegate' dictionary must not have 'ipam' field, it'll be set by flannel", "delegate with an ipam")
expect.equal(select(2, flannel.delegate('{"name":"cbr0","type":"flannel","delegate":{"type":7}}', ENV)),
             "'delegate' dictionary, if present, must have (string) 'type' field", "delegate type as a number")
expect.equal(select(2, flannel.delegate('{"name":"cbr0","type":"flannel"}', {network = "10.244.0.0/16", subnet = "10.244.1.0/24"})),
             "/run/flannel/subnet.env is missing FLANNEL_MTU, FLANNEL_IPMASQ", "an incomplete subnet.env")
local dflt = assert(flannel.delegate('{"name":"cbr0","type":"flannel"}', ENV))
expect.equal(dflt.type, "win-bridge", "the default delegate is win-bridge")

-- The plugins' refusals before any endpoint.
segment("lan")
local n1 = host("node1", {nics = {{name = "Ethernet", segment = "lan", address = "10.0.0.4/24"}}})
flannel.vxlan(n1, {name = "vxlan0", subnet = "192.168.1.0/24", provider_address = "10.0.0.4", dr_mac = "00-15-5D-AA-00-04"})
local WB = '{"cniVersion":"0.3.1","name":"vxlan0","type":"win-bridge","apiVersion":2}'
local r, err = kubelet.add(n1, WB, {container_id = "c1", netns = "11111111-2222-3333-4444-555555555555"})
expect.equal(err, "win-bridge ADD: network vxlan0 is of unexpected type: Overlay", "win-bridge on an Overlay network")
r, err = kubelet.add(n1, '{"name":"cbr9","type":"win-bridge"}', {container_id = "c1", netns = "none"})
expect.equal(err, "win-bridge ADD: network cbr9 is not found", "a network that does not exist")
local WO = '{"name":"vxlan0","type":"win-overlay","endpointMacPrefix":"0E2A","ipam":{"type":"host-local","subnet":"192.168.1.0/24"}}'
r, err = kubelet.add(n1, WO, {container_id = "c1", netns = "none"})
expect.equal(err, "win-overlay ADD: endpointMacPrefix [0E2A] is invalid, value must be of the format xx-xx", "a bad MAC prefix")
local WO6 = '{"name":"vxlan0","type":"win-overlay","ipam":{"type":"host-local","subnet":"fd00::/64"}}'
r, err = kubelet.add(n1, WO6, {container_id = "c1", netns = "none"})
expect.truthy(err and err:find("win-overlay doesn't support IPv6 now", 1, true), tostring(err))
expect.equal(hostlocal.allocated(n1, "vxlan0"), {}, "the refused ADD gave its address back")
expect.equal(#n1:must(n1:hnscall("GET", "/endpoints/")).output, 0, "and made no endpoint")
local ok, uerr = pcall(kubelet.add, n1, WB, {netns = "none"})
expect.truthy(not ok and tostring(uerr):find("args.container_id", 1, true), "a scenario's missing container ID is an error")

-- Endpoint names (pkg/hns ConstructEndpointName).
expect.equal(common.endpoint_name("app", "container:pause", "cbr0"), "pause_cbr0", "an app container's endpoint: the pause's")
expect.equal(common.endpoint_name("pause", "none", "cbr0"), "pause_cbr0", "the pause container's")
expect.equal(common.endpoint_name("sb", "0C7F5A2E-0000-4000-8000-000000000001", "cbr0"), "sb_cbr0", "a namespace GUID")

-- Addresses as Go writes them.
expect.equal({ipaddr.canonical("fd00:0:0::102"), ipaddr.canonical("::"), ipaddr.canonical("2001:db8:0:0:1:0:0:1"),
              ipaddr.canonical("FD00::1:0:0:0:1"), ipaddr.canonical("10.0.0.1"), ipaddr.canonical("010.0.0.1")},
             {"fd00::102", "::", "2001:db8::1:0:0:1", "fd00:0:0:1::1", "10.0.0.1", nil}, "addresses in Go's text")

-- host-local: ranges, the gateway skipped, exhaustion, release.
local ipam = {type = "host-local", subnet = "10.9.0.0/29"}
local got = {}
for i = 1, 5 do
  local res = assert(hostlocal.add(n1, "tiny", ipam, "c" .. i, "eth0"))
  got[i] = res.ips[1].address .. " gw " .. res.ips[1].gateway
end
expect.equal(got, {"10.9.0.2/29 gw 10.9.0.1", "10.9.0.3/29 gw 10.9.0.1", "10.9.0.4/29 gw 10.9.0.1",
                   "10.9.0.5/29 gw 10.9.0.1", "10.9.0.6/29 gw 10.9.0.1"}, "a /29: .2 to .6")
expect.equal(select(2, hostlocal.add(n1, "tiny", ipam, "c6", "eth0")),
             "host-local: failed to allocate for range 0: no IP addresses available in range set: 10.9.0.1-10.9.0.6",
             "exhausted")
expect.equal(select(2, hostlocal.add(n1, "tiny", ipam, "c1", "eth0")),
             "host-local: 10.9.0.2 has been allocated to c1, duplicate allocation is not allowed", "one address per container")
hostlocal.del(n1, "tiny", ipam, "c3", "eth0")
expect.equal(assert(hostlocal.add(n1, "tiny", ipam, "c7", "eth0")).ips[1].ip, "10.9.0.4", "a released address is found again")
expect.equal(select(2, hostlocal.add(n1, "x", {subnet = "10.9.0.1/24"}, "c", "eth0")),
             "host-local: range set 1, range 1: Network has host bits set. For a subnet mask of length 24 the network address is 10.9.0.0",
             "a subnet with host bits")
