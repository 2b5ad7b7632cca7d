-- cni/winbridge.lua: the win-bridge CNI plugin (containernetworking/plugins
-- plugins/main/windows/win-bridge/win-bridge_windows.go, newest: cmdAdd,
-- cmdHnsAdd, cmdHcnAdd, processEndpointArgs, cmdDel, cmdCheck), acting on
-- the simulated host through the scenario API.
--
-- ADD: the HNS network named by the netconf's `name` must exist (flannel
-- or a setup script made it) and be L2Bridge or L2Tunnel. The endpoint is
-- "<sandbox ID>_<network>" (cni.common.endpoint_name). A new endpoint:
--   * IPAM (when ipam.type is set; else HNS picks the address): the first
--     IP, and the gateway at the subnet's address + 2 (the bridge
--     endpoint the setup made at x.2, consumers §3.1);
--   * an OutBoundNAT exception for ipMasqNetwork, the runtime's port
--     mappings (v1 NAT / v2 PortMapping), DNS (the runtime's wins), and the
--     loopback DSR policy when loopbackDSR is set and HNS supports DSR;
--   * apiVersion 1: HNSEndpoint through HNSCall, hot-attached to the
--     container (dockershim); apiVersion 2: HostComputeEndpoint through
--     HCN, added to the HostComputeNamespace named by netns (containerd).
-- An ADD that fails gives its IPAM address back. DEL: IPAM release, then
-- detach (an app container) or remove the endpoint. CHECK: the plugin
-- does nothing (cmdCheck is a TODO upstream).
--
-- add(h, conf, args) -> the CNI result as printed for the netconf's
-- cniVersion, and a table {endpoint, network, name, created, attach,
-- result}; or nil and the plugin's error. args: container_id, netns
-- ("none", "container:<pause>", a namespace GUID), ifname (default eth0),
-- args (K8S_POD_NAMESPACE ...), runtime_config (added to the netconf as
-- libcni does for the capabilities it turns on).

local common = require("cni.common")
local hcsshim = require("cni.hcsshim")
local endpoint = require("cni.endpoint")
local ipaddr = require("cni.ipaddr")

local M = {name = "win-bridge"}

local function load(conf, args) return require("cni.plugin").load("win-bridge", conf, args) end

-- processEndpointArgs: IPAM, gateway x.2, ipMasqNetwork, port mappings, DNS.
local function endpoint_args(h, nc, args, pols, name)
  local info = {name = name, dns = nil, ip = "", gateway = ""}
  if (nc.ipam.type or "") ~= "" then
    local r, err = endpoint.ipam_add(h, nc, nc.ipam, args)
    if not r then return nil, common.annotate("error while executing IPAM addition", err) end
    if #r.ips == 0 then return nil, "IPAM plugin return is missing IP config" end
    local first = r.ips[1]
    local ip = ipaddr.parse(first.ip)
    local gw = ipaddr.mask(ip, first.prefix)
    -- Gateway[len-1] += 2: the last byte, without carry
    gw.b[#gw.b] = (gw.b[#gw.b] + 2) % 256
    info.ip, info.gateway = first.ip, ipaddr.format(gw)
  end
  common.apply_outbound_nat(pols, nc.api_version, nc.ip_masq_network)
  common.apply_port_mappings(pols, nc.api_version, nc.runtime.port_mappings)
  info.dns = common.get_dns(nc)
  return info
end

local function check_type(net_type, name)
  if not (net_type and (net_type:lower() == "l2bridge" or net_type:lower() == "l2tunnel")) then
    return string.format("network %s is of unexpected type: %s", name, tostring(net_type))
  end
end

local function hns_add(h, nc, args)
  local net, err, kind = hcsshim.v1_get_network_by_name(h, nc.name)
  if not net then
    if kind == "not_found" then return nil, string.format("network %s is not found", nc.name) end
    return nil, common.annotate("error while getting network " .. nc.name, err)
  end
  local terr = check_type(net.Type, nc.name)
  if terr then return nil, terr end
  local name = common.endpoint_name(args.container_id, args.netns, nc.name)
  local pols = common.policies(nc)
  local ep, info = endpoint.add_hns(h, name, net.ID, args.container_id, args.netns, function()
    local ei, e = endpoint_args(h, nc, args, pols, name)
    if not ei then return nil, common.annotate("error while processing endpoint args", e) end
    ei.network_id = net.ID
    local doc, ge = endpoint.generate_hns(h, ei, nc, pols)
    if not doc then return nil, common.annotate("error while generating HNSEndpoint", ge) end
    return doc
  end)
  return require("cni.plugin").finish("hns", net, name, ep, info)
end

local function hcn_add(h, nc, args)
  local net, err, kind = hcsshim.get_network_by_name(h, nc.name)
  if not net then
    if kind == "not_found" then return nil, string.format("network %s is not found", nc.name) end
    return nil, common.annotate("error while getting network " .. nc.name, err)
  end
  if net.Type ~= "L2Bridge" and net.Type ~= "L2Tunnel" then
    return nil, string.format("network %s is of unexpected type: %s", nc.name, tostring(net.Type))
  end
  local name = common.endpoint_name(args.container_id, args.netns, nc.name)
  local pols = common.policies(nc)
  local ep, info = endpoint.add_hcn(h, name, net.ID, args.netns, function()
    local ei, e = endpoint_args(h, nc, args, pols, name)
    if not ei then return nil, common.annotate("error while processing endpoint args", e) end
    ei.network_id = net.ID
    local doc, ge = endpoint.generate_hcn(h, ei, nc, pols)
    if not doc then return nil, common.annotate("error while generating HostComputeEndpoint", ge) end
    return doc
  end)
  return require("cni.plugin").finish("hcn", net, name, ep, info)
end

local entries = require("cni.plugin").entries("winbridge", "win-bridge", hns_add, hcn_add)
M.add, M.del, M.check = entries.add, entries.del, entries.check

return M
