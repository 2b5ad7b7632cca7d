-- cni/sdn.lua: the core the sdnbridge and sdnoverlay plugins share
-- (microsoft/windows-container-networking common/core/network.go Add,
-- Delete, allocateIpam, getOrCreateNetwork, addEndpointGatewaysFromConfig;
-- cni/cni.go GetNetworkInfo, GetEndpointInfo, GetCurrResult,
-- getInACLRule; network/policy.go GetPortMappingPolicy,
-- GetLoopbackDSRPolicy; network/endpoint.go GetHostComputeEndpoint;
-- network/manager.go CreateEndpoint, DeleteEndpoint), HCN v2 only,
-- acting through the scenario API.
--
-- What differs from win-bridge (cni.winbridge), as that code reads:
--   * the endpoint is "<container ID>_<network>": the container ID as
--     given, netns "container:<id>" is not looked into;
--   * the network is created when missing (HCN, Type = the netconf's
--     `type` as written, e.g. "sdnbridge", which HNS then refuses: in
--     practice it is made beforehand), except with enableDualStack, where
--     it must exist and be L2Bridge;
--   * an endpoint of that name already on that network: ADD answers with
--     it and changes nothing (idempotent ADD); on another network the
--     plugin goes on and creates a second one (no "corrupted" delete);
--   * policies: every AdditionalArgs entry named exactly "EndpointPolicy"
--     (entries whose name contains "Policy" are collected, EndpointPolicy
--     ones go on the endpoint), read as hcn.EndpointPolicy;
--   * port mappings from runtimeConfig: PortMapping with Flags
--     LocalRoutedVip (1) when optionalFlags.localRoutedPortMapping, a
--     second IPv6 one (flags | 2) with enableDualStack, and an inbound
--     ACL allow per mapping (Protocols, LocalPorts = the container port,
--     Priority 1000) with allowAclPortMapping;
--   * DNS: the first search suffix is prefixed with the pod's namespace
--     (K8S_POD_NAMESPACE); runtime servers, searches and options win;
--   * gateway: the IPAM's, or x.2 with forceBridgeGateway, or the default
--     route of additionalRoutes with gatewayFromAdditionalRoutes;
--   * loopbackDSR: on an HNS without DSR the ADD fails;
--   * the IPAM sees, without dual stack, only the fields cni.go's
--     IpamConfig keeps (type, subnet, routes ...; not ranges, rangeStart,
--     rangeEnd or gateway), and with it the whole netconf;
--   * a failure to add the endpoint to the namespace leaves the endpoint;
--   * DEL ignores "not found" at every step; CHECK does nothing;
--   * the result has no DNS, and its interface is args.ifname (the MAC
--     as text; the plugin writes the six raw bytes, (inferred) harmless).

local netconf = require("cni.netconf")
local common = require("cni.common")
local hcsshim = require("cni.hcsshim")
local endpoint = require("cni.endpoint")
local ipaddr = require("cni.ipaddr")

local M = {}

local NAT_LOCAL_ROUTED_VIP, NAT_IPV6 = 1, 2

local function load(conf, args, plugin) return require("cni.plugin").load(plugin, conf, args) end

local function k8s_namespace(args)
  return common.k8s_args(args).K8S_POD_NAMESPACE or ""
end

-- GetNetworkInfo(podNamespace)
local function network_info(h, nc, pod_ns)
  if nc.flags.loopback_dsr and not hcsshim.dsr_supported(h) then
    return nil, "DSR is not supported by this HNS version (hcn.DSRSupported): loopbackDSR cannot be enabled"
  end
  local info = {name = nc.name, type = nc.type, subnets = {}, policies = {}}
  if nc.ipam.subnet then
    local a, len, net = ipaddr.parse_cidr(nc.ipam.subnet)
    if not a then return nil, string.format("ipam.subnet: %q is not a prefix", nc.ipam.subnet) end
    -- gatewayIP := ip.To4(); gatewayIP[3]++ (the address as written, its
    -- last byte without carry); an IPv6 subnet makes the plugin panic
    if a.family ~= 4 then return nil, "the plugin panics: ipam.subnet " .. nc.ipam.subnet .. " is not IPv4" end
    local gw = ipaddr.parse(ipaddr.format(a))
    gw.b[4] = (gw.b[4] + 1) % 256
    local r1 = nc.ipam.routes and nc.ipam.routes[1]
    if r1 and r1.gw then gw = ipaddr.parse(r1.gw) end
    info.subnets[1] = {prefix = ipaddr.format(net) .. "/" .. len, gateway = gw and ipaddr.format(gw) or ""}
  end
  local search = {}
  for i, s in ipairs(nc.dns.search or {}) do search[i] = s end
  if #search > 0 and pod_ns ~= "" then search[1] = pod_ns .. "." .. search[1] end
  local dns = {nameservers = nc.dns.nameservers, search = json.array(search), domain = nc.dns.domain,
               options = nc.dns.options}
  local rd = nc.runtime.dns or {}
  if rd.servers and #rd.servers > 0 then dns.nameservers = rd.servers end
  if rd.searches and #rd.searches > 0 then dns.search = rd.searches end
  if rd.options and #rd.options > 0 then dns.options = rd.options end
  info.dns = dns
  for _, kvp in ipairs(nc.additional_args or {}) do
    if kvp.name:find("Policy", 1, true) then info.policies[#info.policies + 1] = {name = kvp.name, value = kvp.value} end
  end
  return info
end

local function port_mapping_policy(pm, host_ip, flags)
  local proto = common.protocol_enum(pm.protocol)
  if not proto then return nil, "invalid protocol supplied to port mapping policy" end
  -- hcn.PortMappingPolicySetting: every field omitempty
  local s = {Protocol = proto}
  if pm.host_port ~= 0 then s.ExternalPort = pm.host_port end
  if pm.container_port ~= 0 then s.InternalPort = pm.container_port end
  if host_ip ~= "" then s.VIP = host_ip end
  if flags ~= 0 then s.Flags = flags end
  return {name = "EndpointPolicy", value = {Type = "PortMapping", Settings = s}}
end

-- GetEndpointInfo(networkInfo, containerID, netns)
local function endpoint_info(nc, ninfo, container_id)
  local ei = {name = container_id .. "_" .. ninfo.name, dns = ninfo.dns, policies = {}, ip = "", gateway = ""}
  if ninfo.subnets[1] then ei.gateway = ninfo.subnets[1].gateway end
  local flags = nc.flags.local_routed_port_mapping and NAT_LOCAL_ROUTED_VIP or 0
  for _, pm in ipairs(nc.runtime.port_mappings or {}) do
    local p, err = port_mapping_policy(pm, pm.host_ip or "", flags)
    if not p then return nil, "failed during GetEndpointInfo from netconf: " .. err end
    ei.policies[#ei.policies + 1] = p
    if nc.flags.enable_dual_stack then
      ei.policies[#ei.policies + 1] = port_mapping_policy(pm, "", flags | NAT_IPV6)
    end
    if nc.flags.allow_acl_port_mapping then
      -- getInACLRule: hcn.AclPolicySetting, omitempty fields
      ei.policies[#ei.policies + 1] = {name = "EndpointPolicy", value = {Type = "ACL", Settings = {
        Protocols = tostring(common.protocol_enum(pm.protocol)), Action = "Allow", Direction = "In",
        LocalPorts = tostring(pm.container_port), Priority = 1000}}}
    end
  end
  return ei
end

-- the HNS network as the plugin's NetworkInfo reads it
local function read_network(net)
  local subnets = {}
  for _, ipam in ipairs(net.Ipams or {}) do
    for _, s in ipairs(ipam.Subnets or {}) do subnets[#subnets + 1] = s end
  end
  return {id = net.ID, name = net.Name, type = net.Type, subnets = subnets, doc = net}
end

local function get_or_create_network(h, nc, ninfo)
  local net, err, kind = hcsshim.get_network_by_name(h, nc.name)
  if net then return net end
  if kind ~= "not_found" then return nil, err end
  -- network.go GetHostComputeNetworkConfig
  local subnets = {}
  for i, s in ipairs(ninfo.subnets) do
    subnets[i] = {IpAddressPrefix = s.prefix, Routes = {{NextHop = s.gateway ~= "" and s.gateway or nil}}}
  end
  local doc = {Name = nc.name, Type = ninfo.type, SchemaVersion = {Major = 2, Minor = 0},
               Ipams = {{Type = "Static", Subnets = json.array(subnets)}},
               Dns = {Search = ninfo.dns.search, ServerList = ninfo.dns.nameservers}}
  local pols = {}
  for _, p in ipairs(ninfo.policies) do
    if p.name == "NetworkPolicy" and type(p.value) == "table" then pols[#pols + 1] = p.value end
  end
  if #pols > 0 then doc.Policies = pols end
  local created, cerr = hcsshim.create_network(h, doc)
  if not created then return nil, "failed to create network: " .. cerr end
  return created
end

-- allocateIpam
local function allocate_ipam(h, nc, ei, args)
  local ipam = nc.ipam
  if not nc.flags.enable_dual_stack then
    ipam = {type = ipam.type, subnet = ipam.subnet, routes = ipam.routes, data_dir = ipam.data_dir}
  end
  local r, err = endpoint.ipam_add(h, nc, ipam, args)
  if not r then return nil, err end
  -- types 0.2.0: the first IPv4 and the first IPv6 address
  local ip4, ip6
  for _, ip in ipairs(r.ips) do
    if ip.family == 4 and not ip4 then ip4 = ip end
    if ip.family == 6 and not ip6 then ip6 = ip end
  end
  if ip4 then
    ei.ip, ei.prefix4, ei.gateway = ip4.ip, ip4.prefix, ip4.gateway
    if nc.flags.force_bridge_gateway then
      local g = ipaddr.mask(ipaddr.parse(ip4.ip), ip4.prefix)
      g.b[4] = 2
      ei.gateway = ipaddr.format(g)
    end
  end
  if nc.flags.enable_dual_stack and ip6 then
    ei.ip6, ei.prefix6, ei.gateway6 = ip6.ip, ip6.prefix, ip6.gateway
  end
  ei.routes = r.routes
  return true
end

local function gateways_from_additional_routes(nc, ei)
  for _, rt in ipairs(nc.additional_routes or {}) do
    local gw = rt.gw and ipaddr.parse(rt.gw)
    if gw then
      if gw.family == 4 and (ei.gateway or "") == "" and rt.dst == "0.0.0.0/0" then ei.gateway = rt.gw end
      if gw.family == 6 and not ei.gateway6 and rt.dst == "::/0" then ei.gateway6 = rt.gw end
    end
    if (ei.gateway or "") ~= "" and ei.gateway6 then break end
  end
end

-- GetHostComputeEndpoint
local function endpoint_doc(ei, network_id)
  local ipc, routes = {}, {}
  if ei.ip ~= "" then ipc[#ipc + 1] = {IpAddress = ei.ip} end
  if ei.ip6 then ipc[#ipc + 1] = {IpAddress = ei.ip6} end
  routes[1] = {NextHop = ei.gateway ~= "" and ei.gateway or nil, DestinationPrefix = "0.0.0.0/0"}
  if ei.gateway6 then routes[2] = {NextHop = ei.gateway6, DestinationPrefix = "::/0"} end
  local pols = {}
  for _, p in ipairs(ei.policies) do
    if p.name == "EndpointPolicy" then
      local v = p.value
      if type(v) ~= "table" or netconf.is_array(v) then
        return nil, "the plugin panics: an EndpointPolicy value is not an hcn.EndpointPolicy object"
      end
      local t = netconf.field(v, "Type")
      if t ~= nil and type(t) ~= "string" then
        return nil, "the plugin panics: an EndpointPolicy's Type is not a string"
      end
      pols[#pols + 1] = {Type = t or "", Settings = netconf.field(v, "Settings")}
    end
  end
  local dns = ei.dns or {}
  local doc = {Name = ei.name, HostComputeNetwork = network_id, SchemaVersion = {Major = 2, Minor = 0},
               Dns = {Domain = dns.domain, Search = dns.search, ServerList = dns.nameservers, Options = dns.options},
               Routes = routes, IpConfigurations = json.array(ipc)}
  if #pols > 0 then doc.Policies = pols end
  return doc
end

-- GetCurrResult: from the network as HNS has it and the endpoint.
local function result(net, ep, args, nc)
  local res = {cniVersion = "1.0.0", ips = {}, routes = json.array(), interfaces = {{name = args.ifname, mac = ep.MacAddress}}}
  local ipcs = ep.IpConfigurations or {}
  if not nc.flags.enable_dual_stack then
    local s = read_network(net).subnets[1]
    local len = s and common.prefix_len(s.IpAddressPrefix) or 0
    local gw = ep.Routes and ep.Routes[1] and ep.Routes[1].NextHop
    res.ips[1] = {address = (ipcs[1] and ipcs[1].IpAddress or "") .. "/" .. len, gateway = gw, interface = 0}
  else
    local ip4, ip6
    for _, c in ipairs(ipcs) do
      local a = ipaddr.parse(c.IpAddress or "")
      if a and a.family == 6 and not ip6 then ip6 = c elseif a and a.family == 4 and not ip4 then ip4 = c end
    end
    local gw4, gw6
    for _, r in ipairs(ep.Routes or {}) do
      local a = ipaddr.parse(r.NextHop or "")
      if a and a.family == 6 and not gw6 then gw6 = r.NextHop elseif a and a.family == 4 and not gw4 then gw4 = r.NextHop end
    end
    if ip4 then res.ips[#res.ips + 1] = {address = ip4.IpAddress .. "/" .. (ip4.PrefixLength or 32), gateway = gw4, interface = 0} end
    if ip6 then res.ips[#res.ips + 1] = {address = ip6.IpAddress .. "/" .. (ip6.PrefixLength or 128), gateway = gw6, interface = 0} end
  end
  return res
end

function M.add(plugin, h, conf, args)
  args = common.check_args(plugin .. ".add", h, conf, args)
  local nc, err = load(conf, args, plugin)
  if not nc then return nil, err end
  local function fail(msg) return nil, plugin .. " ADD: " .. msg end
  local ninfo, nerr = network_info(h, nc, k8s_namespace(args))
  if not ninfo then return fail(nerr) end
  local ei, eerr = endpoint_info(nc, ninfo, args.container_id)
  if not ei then return fail(eerr) end
  if (args.netns or "") == "" then return fail("cannot create endpoint without a namespace") end
  local net, gerr
  if not nc.flags.enable_dual_stack then
    net, gerr = get_or_create_network(h, nc, ninfo)
  else
    -- the network must be created beforehand, and be L2Bridge
    net, gerr = hcsshim.get_network_by_name(h, nc.name)
    if net and net.Type ~= "L2Bridge" then return fail("Dual stack specified with non l2bridge network") end
  end
  if not net then return fail(gerr) end
  local existing = hcsshim.get_endpoint_by_name(h, ei.name)
  if existing and (existing.HostComputeNetwork or ""):lower() == (net.ID or ""):lower() then
    -- "Endpoint exists on same network, ignoring add"
    local res = result(net, existing, args, nc)
    return common.print_result(res, nc.cni_version),
           {endpoint = existing, network = net, name = ei.name, created = false, attach = "existing", result = res}
  end
  local ipam_used = (nc.ipam.type or "") ~= ""
  local function undo_ipam()
    if ipam_used then
      local ipam = nc.ipam
      if not nc.flags.enable_dual_stack then ipam = {type = ipam.type, subnet = ipam.subnet, data_dir = ipam.data_dir} end
      endpoint.ipam_del(h, nc, ipam, args)
    end
  end
  if ipam_used then
    local ok, ierr = allocate_ipam(h, nc, ei, args)
    if not ok then return fail(ierr) end
  end
  if nc.flags.gateway_from_additional_routes then gateways_from_additional_routes(nc, ei) end
  for _, p in ipairs(ninfo.policies) do ei.policies[#ei.policies + 1] = p end
  if nc.flags.loopback_dsr then
    ei.policies[#ei.policies + 1] = {name = "EndpointPolicy",
                                     value = {Type = "OutBoundNAT", Settings = {Destinations = json.array({ei.ip})}}}
  end
  local doc, derr = endpoint_doc(ei, net.ID)
  if not doc then
    undo_ipam()
    return fail(derr)
  end
  local ep, cerr = hcsshim.create_endpoint(h, net.ID, doc)
  if not ep then
    undo_ipam()
    return fail("Failed to create endpoint: error creating endpoint: " .. cerr)
  end
  local ok, aerr = hcsshim.add_namespace_endpoint(h, args.netns, ep.ID)
  if not ok then
    -- manager.go CreateEndpoint returns without removing the endpoint
    undo_ipam()
    return fail("error adding endpoint to namespace: " .. aerr)
  end
  local now = hcsshim.get_endpoint_by_id(h, ep.ID) or ep
  local res = result(net, now, args, nc)
  return common.print_result(res, nc.cni_version),
         {endpoint = now, network = net, name = ei.name, created = true, attach = "namespace", result = res}
end

function M.del(plugin, h, conf, args)
  args = common.check_args(plugin .. ".del", h, conf, args)
  local nc, err = load(conf, args, plugin)
  if not nc then return nil, err end
  if (nc.ipam.type or "") ~= "" then
    local ipam = nc.ipam
    if not nc.flags.enable_dual_stack then ipam = {type = ipam.type, subnet = ipam.subnet, data_dir = ipam.data_dir} end
    local ok, ierr = endpoint.ipam_del(h, nc, ipam, args)
    if not ok then return nil, plugin .. " DEL: ipam deletion failed, " .. ierr end
  end
  local name = args.container_id .. "_" .. nc.name
  local ep, gerr, kind = hcsshim.get_endpoint_by_name(h, name)
  if not ep then
    if kind == "not_found" then return true, "not found" end
    return nil, plugin .. " DEL: " .. gerr
  end
  local ns_id = ep.HostComputeNamespace or ""
  local ns, nerr, nkind = hcsshim.get_namespace_by_id(h, ns_id)
  if not ns and nkind ~= "not_found" and ns_id ~= "" then
    return nil, plugin .. " DEL: error while attempting to get namespace, err:" .. nerr
  end
  if ns then
    local ok, rerr, rkind = hcsshim.remove_namespace_endpoint(h, ns_id, ep.ID)
    if not ok and rkind ~= "not_found" then return nil, plugin .. " DEL: error removing endpoint from namespace " .. rerr end
  end
  local ok, derr, dkind = hcsshim.delete_endpoint(h, ep.ID)
  if not ok then
    -- retried lookup: gone in the meantime is "not found", which DEL ignores
    local again = hcsshim.get_endpoint_by_name(h, name)
    if not again or dkind == "not_found" then return true, "not found" end
    return nil, plugin .. " DEL: " .. derr
  end
  return true, "deleted"
end

function M.check(plugin, h, conf, args)
  args = common.check_args(plugin .. ".check", h, conf, args)
  local nc, err = load(conf, args, plugin)
  if not nc then return nil, err end
  return true
end

return M
