-- cni/common.lua: what the Windows CNI plugins share, in Lua: the endpoint
-- naming rule, the policy edits the plugins make to a netconf before they
-- ask HNS for an endpoint, DNS, port-mapping protocols, the CNI result and
-- its conversion to the version the runtime asked for.
--
-- Sources (containernetworking/plugins unless said):
--   pkg/hns/endpoint_windows.go   GetSandboxContainerID, ConstructEndpointName,
--                                 ConstructHnsResult, ConstructHcnResult
--   pkg/hns/netconf_windows.go    GetHNSEndpointPolicies,
--                                 GetHostComputeEndpointPolicies, GetDNS,
--                                 ApplyLoopbackDSRPolicy, ApplyOutboundNatPolicy,
--                                 ApplyDefaultPAPolicy, ApplyPortMappingPolicy,
--                                 PortMapEntry.GetProtocolEnum
--   containernetworking/cni pkg/types/100 (Result), 040 and 020 (the older
--   result shapes types.PrintResult converts to)
-- The Apply* functions follow the newest netconf_windows.go (commit
-- 5238c13): each looks for the value among the existing OutBoundNAT / PA /
-- ProviderAddress policies (keys read case-sensitively, as jsonparser
-- does) and, when it is not there, appends a new policy rather than edit
-- one (older releases rewrote the first OutBoundNAT's ExceptionList).

local ipaddr = require("cni.ipaddr")
local netconf = require("cni.netconf")

local M = {}

M.PAUSE_NETNS = "none"

-- GetSandboxContainerID: an app container of a dockershim pod names its
-- pause container in netns "container:<id>"; anything else is the sandbox.
function M.sandbox_id(container_id, netns)
  if netns and netns ~= "" and netns ~= M.PAUSE_NETNS then
    local rest = netns:match("^[^:]*:(.*)$")
    if rest then return rest end
  end
  return container_id
end

-- ConstructEndpointName: "<sandbox ID>_<network name>".
function M.endpoint_name(container_id, netns, network)
  return M.sandbox_id(container_id, netns) .. "_" .. network
end

local function arr(t) return json.array(t or {}) end

-- A copy of the netconf's policy list, so that one ADD's edits do not
-- reach the next (each plugin run reads its netconf afresh).
function M.policies(nc)
  local out = {}
  for i, p in ipairs(nc.policies or {}) do out[i] = {name = p.name, value = p.value} end
  return out
end

local function is_endpoint_policy(p) return p.name:lower() == "endpointpolicy" end

local function type_of(v)
  return type(v) == "table" and type(rawget(v, "Type")) == "string" and rawget(v, "Type") or nil
end

local function has_string(list, s)
  if type(list) ~= "table" then return false end
  for _, v in ipairs(list) do if v == s then return true end end
  return false
end

-- The value at a key path, read case-sensitively (jsonparser.Get).
local function path_get(v, keys)
  for _, k in ipairs(keys) do
    if type(v) ~= "table" then return nil end
    v = rawget(v, k)
  end
  return v
end

-- ApplyOutboundNatPolicy(exceptionCIDR)
function M.apply_outbound_nat(pols, api_version, cidr)
  if not cidr or cidr == "" then return end
  local keys = api_version == 2 and {"Settings", "Exceptions"} or {"ExceptionList"}
  for _, p in ipairs(pols) do
    if is_endpoint_policy(p) and type_of(p.value) == "OutBoundNAT" and has_string(path_get(p.value, keys), cidr) then
      return
    end
  end
  local value = api_version == 2 and {Type = "OutBoundNAT", Settings = {Exceptions = arr({cidr})}}
                or {Type = "OutBoundNAT", ExceptionList = arr({cidr})}
  pols[#pols + 1] = {name = "EndpointPolicy", value = value}
end

-- ApplyDefaultPAPolicy(address)
function M.apply_default_pa(pols, api_version, address)
  if not address or address == "" then return end
  for _, p in ipairs(pols) do
    local t = type_of(p.value)
    if is_endpoint_policy(p) and (t == "PA" or t == "ProviderAddress") then
      local v = path_get(p.value, api_version == 2 and {"Settings", "ProviderAddress"} or {"PA"})
      if v == address then return end
    end
  end
  local value = api_version == 2 and {Type = "ProviderAddress", Settings = {ProviderAddress = address}}
                or {Type = "PA", PA = address}
  pols[#pols + 1] = {name = "EndpointPolicy", value = value}
end

-- ApplyLoopbackDSRPolicy(ip): an OutBoundNAT whose Destinations hold the
-- pod's own address (hairpin through a DSR VIP), when HNS supports DSR and
-- no OutBoundNAT lists the address already. dsr_supported is the caller's
-- hcn.DSRSupported() answer.
function M.apply_loopback_dsr(pols, api_version, ip, dsr_supported)
  if not dsr_supported or not ip or ip == "" then return end
  local keys = api_version == 2 and {"Settings", "Destinations"} or {"Destinations"}
  for _, p in ipairs(pols) do
    if is_endpoint_policy(p) and type_of(p.value) == "OutBoundNAT" and has_string(path_get(p.value, keys), ip) then
      return
    end
  end
  local value = api_version == 2 and {Type = "OutBoundNAT", Settings = {Destinations = arr({ip})}}
                or {Type = "OutBoundNAT", Destinations = arr({ip})}
  pols[#pols + 1] = {name = "EndpointPolicy", value = value}
end

-- PortMapEntry.GetProtocolEnum: a number, or tcp/udp/icmpv4/igmp/icmpv6 in
-- any case; nil for anything else.
local protocols = {icmpv4 = 1, igmp = 2, tcp = 6, udp = 17, icmpv6 = 58}
function M.protocol_enum(p)
  if type(p) ~= "string" then return nil end
  local n
  if p:match("^0[xX]%x+$") then
    n = tonumber(p:sub(3), 16)
  elseif p:match("^0[0-7]+$") then
    n = tonumber(p, 8)
  elseif p:match("^%d+$") then
    n = tonumber(p)
  end
  if n then return n < 1024 and n or nil end -- ParseUint(p, 0, 10): 10 bits
  return protocols[p:lower()]
end

-- ApplyPortMappingPolicy(runtimeConfig.portMappings): v1 NAT policies, v2
-- PortMapping policies; entries with an unknown protocol are skipped.
function M.apply_port_mappings(pols, api_version, mappings)
  for _, pm in ipairs(mappings or {}) do
    local proto = M.protocol_enum(pm.protocol)
    if proto then
      local value
      if api_version == 2 then
        value = {Type = "PortMapping", Settings = {InternalPort = pm.container_port, ExternalPort = pm.host_port,
                                                   Protocol = proto, VIP = pm.host_ip or ""}}
      else
        value = {Type = "NAT", InternalPort = pm.container_port, ExternalPort = pm.host_port, Protocol = pm.protocol}
      end
      pols[#pols + 1] = {name = "EndpointPolicy", value = value}
    end
  end
end

-- GetHNSEndpointPolicies: the values of every EndpointPolicy, as written.
function M.hns_endpoint_policies(pols)
  local out = {}
  for _, p in ipairs(pols) do
    if is_endpoint_policy(p) then out[#out + 1] = p.value end
  end
  return out
end

-- GetHostComputeEndpointPolicies: each EndpointPolicy value read as
-- hcn.EndpointPolicy {Type, Settings} (keys in any case; other keys
-- dropped); a value that does not read so is skipped, as the plugin does.
function M.hcn_endpoint_policies(pols)
  local out = {}
  for _, p in ipairs(pols) do
    if is_endpoint_policy(p) then
      local v = p.value
      if type(v) == "table" and not netconf.is_array(v) then
        local t = netconf.field(v, "Type")
        local s = netconf.field(v, "Settings")
        if t == nil or type(t) == "string" then
          out[#out + 1] = {Type = t or "", Settings = s}
        end
      end
    end
  end
  return out
end

-- GetDNS: the runtime's DNS (runtimeConfig.dns) wins over the netconf's,
-- field by field (servers, searches).
function M.get_dns(nc)
  local d = {nameservers = nc.dns.nameservers, domain = nc.dns.domain, search = nc.dns.search,
             options = nc.dns.options}
  local rd = nc.runtime.dns or {}
  if rd.servers and #rd.servers > 0 then d.nameservers = rd.servers end
  if rd.searches and #rd.searches > 0 then d.search = rd.searches end
  return d
end

-- The k8s arguments a runtime passes in CNI_ARGS (K8S_POD_NAMESPACE ...):
-- a table, or the "K=V;K=V" text.
function M.k8s_args(args)
  local a = args.args
  if type(a) == "table" then return a end
  local out = {}
  if type(a) == "string" then
    for pair in a:gmatch("[^;]+") do
      local k, v = pair:match("^([^=]+)=(.*)$")
      if k then out[k] = v end
    end
  end
  return out
end

-- ---- results ----

local function split(s, sep)
  local out = {}
  s = s or ""
  local from = 1
  while true do
    local i = s:find(sep, from, true)
    if not i then
      out[#out + 1] = s:sub(from)
      return out
    end
    out[#out + 1] = s:sub(from, i - 1)
    from = i + 1
  end
end
M.split = split

local function prefix_len(cidr)
  local _, len = ipaddr.parse_cidr(cidr or "")
  return len
end
M.prefix_len = prefix_len

-- ConstructHnsResult(network, endpoint) from their v1 documents.
function M.hns_result(net, ep)
  local subnet = net.Subnets and net.Subnets[1] and net.Subnets[1].AddressPrefix
  local len = prefix_len(subnet)
  if not len then return nil, string.format("failed to parse CIDR from %s", tostring(subnet)) end
  local ipc = {address = (ep.IPAddress or "") .. "/" .. len}
  if ep.GatewayAddress and ep.GatewayAddress ~= "" then ipc.gateway = ep.GatewayAddress end
  return {
    cniVersion = "1.0.0",
    interfaces = {{name = ep.Name, mac = ep.MacAddress}},
    ips = {ipc},
    dns = {search = split(ep.DNSSuffix, ","), nameservers = split(ep.DNSServerList, ",")},
  }
end

-- ConstructHcnResult(network, endpoint) from their v2 documents.
function M.hcn_result(net, ep)
  local subnet = net.Ipams and net.Ipams[1] and net.Ipams[1].Subnets and net.Ipams[1].Subnets[1]
  local len = subnet and prefix_len(subnet.IpAddressPrefix)
  if not len then return nil, "failed to parse the network's first subnet" end
  local ipcfg = ep.IpConfigurations and ep.IpConfigurations[1]
  if not ipcfg then return nil, "the endpoint has no IP configuration" end
  local ipc = {address = ipcfg.IpAddress .. "/" .. len}
  local r = ep.Routes and ep.Routes[1]
  if r and r.NextHop and r.NextHop ~= "" then ipc.gateway = r.NextHop end
  local dns = ep.Dns or {}
  return {
    cniVersion = "1.0.0",
    interfaces = {{name = ep.Name, mac = ep.MacAddress}},
    ips = {ipc},
    dns = {search = dns.Search, nameservers = dns.ServerList, options = dns.Options, domain = dns.Domain},
  }
end

local function family_of(address)
  local a = ipaddr.parse_cidr(address or "")
  return a and a.family
end

-- print_result(result, version): types.PrintResult's conversion of a
-- 1.0.0 result to the version the configuration names. 0.1.0/0.2.0 have
-- ip4/ip6 and no interfaces; 0.3.x/0.4.0 add "version" to each IP.
function M.print_result(res, version)
  version = (version == nil or version == "") and "0.1.0" or version
  if version == "0.1.0" or version == "0.2.0" then
    local out = {cniVersion = version, dns = res.dns or {}}
    for _, ipc in ipairs(res.ips or {}) do
      local fam = family_of(ipc.address)
      local key = fam == 6 and "ip6" or "ip4"
      if not out[key] then out[key] = {ip = ipc.address, gateway = ipc.gateway} end
    end
    for _, rt in ipairs(res.routes or {}) do
      local key = family_of(rt.dst) == 6 and "ip6" or "ip4"
      if out[key] then
        out[key].routes = out[key].routes or {}
        table.insert(out[key].routes, rt)
      end
    end
    return out
  end
  local out = {cniVersion = version, interfaces = res.interfaces, dns = res.dns or {}, routes = res.routes}
  out.ips = {}
  for i, ipc in ipairs(res.ips or {}) do
    local c = {address = ipc.address, gateway = ipc.gateway, interface = ipc.interface}
    if version:match("^0%.[34]%.") then c.version = family_of(ipc.address) == 6 and "6" or "4" end
    out.ips[i] = c
  end
  return out
end

-- ---- errors and logging ----

-- annotate(msg, err): errors.Annotate's "msg: err".
function M.annotate(msg, err) return msg .. ": " .. tostring(err) end

function M.warn(nc)
  for _, w in ipairs(nc.warnings or {}) do print("cni: warning: " .. w) end
end

-- Arguments a plugin call takes, checked (raising on a scenario's misuse),
-- and returned as a copy with the defaults CNI gives (CNI_IFNAME eth0), so
-- the caller's table is left as it was.
function M.check_args(fname, h, conf, args)
  if type(h) ~= "table" and type(h) ~= "userdata" then
    error(fname .. ": host: expected a host object, got " .. type(h), 3)
  end
  if conf == nil then error(fname .. ": conf: expected a netconf (JSON text or a table)", 3) end
  if type(args) ~= "table" then error(fname .. ": args: expected a table {container_id=, netns=, ...}", 3) end
  if type(args.container_id) ~= "string" or args.container_id == "" then
    error(fname .. ": args.container_id: expected the container ID (a non-empty string), got " .. tostring(args.container_id), 3)
  end
  if args.netns ~= nil and type(args.netns) ~= "string" then
    error(fname .. ": args.netns: expected a string, got " .. type(args.netns), 3)
  end
  local copy = {}
  for k, v in sorted_pairs(args) do copy[k] = v end
  copy.ifname = copy.ifname or "eth0"
  return copy
end

return M
