-- cni/winoverlay.lua: the win-overlay CNI plugin (containernetworking/plugins
-- plugins/main/windows/win-overlay/win-overlay_windows.go, newest: cmdAdd,
-- cmdHnsAdd, cmdHcnAdd, processEndpointArgs, cmdDel, cmdCheck), acting on
-- the simulated host through the scenario API.
--
-- Differences from win-bridge (cni.winbridge):
--   * the network must be of type Overlay (flannel's vxlan backend makes
--     it); IPv4 only ("win-overlay doesn't support IPv6 now");
--   * the MAC is made from the IP: "<endpointMacPrefix>-xx-xx-xx-xx" with
--     the four address bytes in lowercase hex, the prefix "0E-2A" unless
--     endpointMacPrefix ("xx-xx") says otherwise;
--   * the gateway is the network's (its first subnet's GatewayAddress in
--     the v1 view, read in both API versions), not x.2;
--   * a PA / ProviderAddress policy with the network's ManagementIP (its
--     provider address) unless one with that address is there already;
--   * ipMasq: the network's own subnet becomes an OutBoundNAT exception;
--   * no port mappings;
--   * apiVersion 1 runs IPAM whatever ipam.type says (an empty type fails).
-- DEL and CHECK as win-bridge.

local common = require("cni.common")
local hcsshim = require("cni.hcsshim")
local endpoint = require("cni.endpoint")
local ipaddr = require("cni.ipaddr")

local M = {name = "win-overlay"}

local function load(conf, args) return require("cni.plugin").load("win-overlay", conf, args) end

local function mac_prefix(nc)
  local p = nc.endpoint_mac_prefix or ""
  if p == "" then return "0E-2A" end
  if #p ~= 5 or p:sub(3, 3) ~= "-" then
    return nil, string.format("endpointMacPrefix [%s] is invalid, value must be of the format xx-xx", p)
  end
  return p
end

local function overlay_mac(prefix, ip)
  local a = ipaddr.parse(ip)
  return string.format("%s-%02x-%02x-%02x-%02x", prefix, a.b[1], a.b[2], a.b[3], a.b[4])
end

-- IPAM, IPv4 only.
local function ipam_ipv4(h, nc, args)
  local r, err = endpoint.ipam_add(h, nc, nc.ipam, args)
  if not r then return nil, err end
  if #r.ips == 0 then return nil, "IPAM plugin return is missing IP config" end
  return r.ips[1]
end

local function v1_subnet(net)
  return net.Subnets and net.Subnets[1] or {}
end

local function hns_add(h, nc, args)
  local prefix, perr = mac_prefix(nc)
  if not prefix then return nil, perr end
  local net, err, kind = hcsshim.v1_get_network_by_name(h, nc.name)
  if not net then
    if kind == "not_found" then return nil, string.format("network %s not found", nc.name) end
    return nil, common.annotate(string.format("error while GETHNSNewtorkByName(%s)", nc.name), err)
  end
  if not (net.Type and net.Type:lower() == "overlay") then
    return nil, string.format("network %s is of an unexpected type: %s", nc.name, tostring(net.Type))
  end
  local name = common.endpoint_name(args.container_id, args.netns, nc.name)
  local pols = common.policies(nc)
  local ep, info = endpoint.add_hns(h, name, net.ID, args.container_id, args.netns, function()
    local first, ierr = ipam_ipv4(h, nc, args)
    if not first then return nil, common.annotate("error while ipam.ExecAdd", ierr) end
    if ipaddr.parse(first.ip).family ~= 4 then return nil, "win-overlay doesn't support IPv6 now" end
    local sub = v1_subnet(net)
    common.apply_default_pa(pols, 1, net.ManagementIP)
    if nc.ip_masq then common.apply_outbound_nat(pols, 1, sub.AddressPrefix) end
    local dns = common.get_dns(nc)
    if nc.loopback_dsr then common.apply_loopback_dsr(pols, 1, first.ip, hcsshim.dsr_supported(h)) end
    local doc = {Name = name, VirtualNetwork = net.ID, IPAddress = first.ip, MacAddress = overlay_mac(prefix, first.ip)}
    if dns.nameservers and #dns.nameservers > 0 then doc.DNSServerList = table.concat(dns.nameservers, ",") end
    if dns.search and #dns.search > 0 then doc.DNSSuffix = table.concat(dns.search, ",") end
    if sub.GatewayAddress and sub.GatewayAddress ~= "" then doc.GatewayAddress = sub.GatewayAddress end
    local values = common.hns_endpoint_policies(pols)
    if #values > 0 then doc.Policies = values end
    return doc
  end)
  if not ep then
    return nil, common.annotate(string.format("error while AddHnsEndpoint(%s,%s,%s)", name, net.ID, args.container_id), info)
  end
  local res, rerr = common.hns_result(net, ep)
  if not res then return nil, common.annotate("error while constructResult", rerr) end
  info.endpoint, info.network, info.name, info.result = ep, net, name, res
  return res, info
end

local function hcn_add(h, nc, args)
  local prefix, perr = mac_prefix(nc)
  if not prefix then return nil, perr end
  -- cmdHcnAdd reads the network twice: the v1 view (gateway, ManagementIP)
  -- and the v2 one (type, ID, the result's mask).
  local hns_net = hcsshim.v1_get_network_by_name(h, nc.name)
  local net, err, kind = hcsshim.get_network_by_name(h, nc.name)
  if not net then
    if kind == "not_found" then return nil, string.format("network %s is not found", nc.name) end
    return nil, common.annotate(string.format("error while hcn.GetNetworkByName(%s)", nc.name), err)
  end
  if not hns_net then return nil, string.format("network %s not found", nc.name) end
  if not (net.Type and net.Type:lower() == "overlay") then
    return nil, string.format("network %s is of an unexpected type: %s", nc.name, tostring(net.Type))
  end
  local name = common.endpoint_name(args.container_id, args.netns, nc.name)
  local pols = common.policies(nc)
  local ep, info = endpoint.add_hcn(h, name, net.ID, args.netns, function()
    -- processEndpointArgs
    local ei = {name = name, ip = "", gateway = ""}
    if (nc.ipam.type or "") ~= "" then
      local first, ierr = ipam_ipv4(h, nc, args)
      if not first then return nil, common.annotate("error while processing endpoint args",
                                                     common.annotate("error while executing IPAM addition", ierr)) end
      if ipaddr.parse(first.ip).family ~= 4 then
        return nil, "error while processing endpoint args: IPAM plugin return is missing valid IP Address"
      end
      ei.ip = first.ip
      ei.mac = overlay_mac(prefix, first.ip)
    end
    ei.dns = common.get_dns(nc)
    if nc.loopback_dsr then common.apply_loopback_dsr(pols, 2, ei.ip, hcsshim.dsr_supported(h)) end
    ei.network_id = net.ID
    local sub = v1_subnet(hns_net)
    local gw = ipaddr.parse(sub.GatewayAddress or "")
    ei.gateway = (gw and gw.family == 4) and ipaddr.format(gw) or ""
    common.apply_default_pa(pols, 2, hns_net.ManagementIP)
    if nc.ip_masq then common.apply_outbound_nat(pols, 2, sub.AddressPrefix) end
    local doc, ge = endpoint.generate_hcn(h, ei, nc, pols)
    if not doc then return nil, common.annotate("error while generating HostComputeEndpoint", ge) end
    return doc
  end)
  return require("cni.plugin").finish("hcn", net, name, ep, info)
end

local entries = require("cni.plugin").entries("winoverlay", "win-overlay", hns_add, hcn_add)
M.add, M.del, M.check = entries.add, entries.del, entries.check

return M
