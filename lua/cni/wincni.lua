-- cni/wincni.lua: the 2018 "wincni.exe" plugin of microsoft/SDN
-- (Kubernetes/wincni: cni/network/network.go Add and Delete, cni/cni.go
-- GetNetworkInfo, GetEndpointInfo, GetResult020, network/manager.go,
-- network/endpoint.go), HNS v1 only, for the dockershim era; the
-- configuration of tests/corpus/cni-samples/sdn_wincni_l2bridge.conf.
--
-- What it does, as that code reads:
--   * network: looked up by the netconf's name (GET /networks/); when
--     missing it is created (POST /networks/) with Type = the netconf's
--     *name* (so "l2bridge" makes an l2bridge network), the ipam.subnet and
--     its gateway, the netconf's DNS, and the AdditionalArgs entries named
--     "NetworkPolicy";
--   * the gateway: ipam.routes[0].gw, else the subnet's address + 1;
--   * the endpoint: "<sandbox>_<network>" (netns "container:<id>" names the
--     sandbox); no address unless an IPAM type is given (HNS allocates
--     from the subnet); DNSSuffix "<pod namespace>.<search, joined>";
--     every AdditionalArgs "EndpointPolicy" value as written (v1 policies)
--     plus NAT policies for the runtime's port mappings;
--   * an endpoint of that name on that network: an app container (netns
--     not "none") is hot-attached to it, and ADD answers with it; one on
--     another network is not deleted (creating a second one then fails in
--     hnsmock, which refuses a second endpoint of one name);
--   * a new endpoint is hot-attached to the container; if that fails it is
--     deleted and the ADD fails;
--   * DEL: an app container (netns not "none") is only detached; the
--     pause container's endpoint is hot-detached and deleted. A missing
--     endpoint is no error.
-- The plugin answers a 0.2.0 result (ip4) whatever cniVersion says, and
-- returns success with no result when the netconf does not parse; hnsim
-- returns that as an error instead (inferred: kubelet fails on it).

local netconf = require("cni.netconf")
local common = require("cni.common")
local hcsshim = require("cni.hcsshim")
local endpoint = require("cni.endpoint")
local ipaddr = require("cni.ipaddr")

local M = {name = "wincni"}

local function load(conf, args)
  local t, err = netconf.decode(conf)
  if not t then return nil, err end
  if args.runtime_config then t = netconf.inject_runtime_config(t, args.runtime_config) end
  local nc
  nc, err = netconf.parse(t)
  if not nc then return nil, err end
  if nc.dialect ~= "wincni" then return nil, string.format("netconf: type: %q is not wincni", nc.type) end
  common.warn(nc)
  return nc
end

local function pod_namespace(args)
  -- ParseCniArgs: "default" when CNI_ARGS does not parse, else the value
  -- (empty when K8S_POD_NAMESPACE is not given)
  if args.args == nil then return "default" end
  return common.k8s_args(args).K8S_POD_NAMESPACE or ""
end

-- GetNetworkInfo
local function network_info(nc)
  local info = {name = nc.name, subnet = nil, gateway = nil, policies = {}}
  if nc.ipam.subnet then
    local a, len, net = ipaddr.parse_cidr(nc.ipam.subnet)
    if not a or a.family ~= 4 then return nil, string.format("ipam.subnet: %q is not an IPv4 prefix", nc.ipam.subnet) end
    local gw = ipaddr.parse(ipaddr.format(a))
    gw.b[4] = (gw.b[4] + 1) % 256
    local r1 = nc.ipam.routes and nc.ipam.routes[1]
    if r1 and r1.gw then gw = ipaddr.parse(r1.gw) end
    info.subnet = ipaddr.format(net) .. "/" .. len
    info.gateway = ipaddr.format(gw)
  end
  info.servers = nc.dns.nameservers
  info.suffix = table.concat(nc.dns.search or {}, ",")
  for _, kvp in ipairs(nc.additional_args or {}) do
    if kvp.name:find("Policy", 1, true) then info.policies[#info.policies + 1] = {name = kvp.name, value = kvp.value} end
  end
  return info
end

local function create_network(h, nc, ninfo)
  local doc = {Name = nc.name, Type = nc.name}
  if ninfo.subnet then doc.Subnets = {{AddressPrefix = ninfo.subnet, GatewayAddress = ninfo.gateway}} end
  if ninfo.servers and #ninfo.servers > 0 then doc.DNSServerList = table.concat(ninfo.servers, ",") end
  if ninfo.suffix ~= "" then doc.DNSSuffix = ninfo.suffix end
  local pols = {}
  for _, p in ipairs(ninfo.policies) do
    if p.name == "NetworkPolicy" then pols[#pols + 1] = p.value end
  end
  if #pols > 0 then doc.Policies = pols end
  return hcsshim.v1_create_network(h, doc)
end

local function result(net, ep)
  local subnet = net.Subnets and net.Subnets[1] and net.Subnets[1].AddressPrefix
  local len = common.prefix_len(subnet) or 0
  local out = {ip4 = {ip = (ep.IPAddress or "") .. "/" .. len}, dns = {}}
  if ep.GatewayAddress and ep.GatewayAddress ~= "" then out.ip4.gateway = ep.GatewayAddress end
  return out
end

function M.add(h, conf, args)
  args = common.check_args("wincni.add", h, conf, args)
  local nc, err = load(conf, args)
  if not nc then return nil, "wincni ADD: " .. err end
  local function fail(msg) return nil, "wincni ADD: " .. msg end
  local ninfo, nerr = network_info(nc)
  if not ninfo then return fail(nerr) end
  local sandbox = common.sandbox_id(args.container_id, args.netns)
  local name = sandbox .. "_" .. nc.name
  local ei = {ip = "", gateway = ninfo.gateway or ""}
  local policies = {}
  for _, pm in ipairs(nc.runtime.port_mappings or {}) do
    -- hcsshim.NatPolicy {Type NAT, Protocol, InternalPort, ExternalPort}
    local v = {Type = "NAT"}
    if pm.protocol ~= "" then v.Protocol = pm.protocol end
    if pm.container_port ~= 0 then v.InternalPort = pm.container_port end
    if pm.host_port ~= 0 then v.ExternalPort = pm.host_port end
    policies[#policies + 1] = {name = "EndpointPolicy", value = v}
  end
  if (nc.ipam.type or "") ~= "" then
    local r, ierr = endpoint.ipam_add(h, nc, nc.ipam, args)
    if not r then return fail("Failed to allocate pool: " .. ierr) end
    for _, ip in ipairs(r.ips) do
      if ip.family == 4 then
        ei.ip, ei.gateway = ip.ip, ip.gateway
        break
      end
    end
  end
  local net, gerr, kind = hcsshim.v1_get_network_by_name(h, nc.name)
  if not net then
    if kind ~= "not_found" then return fail(gerr) end
    net, gerr = create_network(h, nc, ninfo)
    if not net then return fail("Failed to create network: " .. gerr) end
  end
  local existing = hcsshim.v1_get_endpoint_by_name(h, name)
  if existing and (existing.VirtualNetwork or ""):lower() == (net.ID or ""):lower() then
    local how = "existing"
    if args.netns ~= common.PAUSE_NETNS then
      -- "Failed to hot attach shared endpoint" is only logged
      local ok, h_how = hcsshim.hot_attach(h, args.container_id, existing.ID)
      how = ok and h_how or how
    end
    local res = result(net, existing)
    return res, {endpoint = existing, network = net, name = name, created = false, attach = how, result = res}
  end
  for _, p in ipairs(ninfo.policies) do policies[#policies + 1] = p end
  local doc = {Name = name, VirtualNetwork = net.ID}
  if ninfo.servers and #ninfo.servers > 0 then doc.DNSServerList = table.concat(ninfo.servers, ",") end
  doc.DNSSuffix = pod_namespace(args) .. "." .. ninfo.suffix
  if ei.gateway ~= "" then doc.GatewayAddress = ei.gateway else doc.GatewayAddress = "<nil>" end
  if ei.ip ~= "" then doc.IPAddress = ei.ip end
  local values = {}
  for _, p in ipairs(policies) do
    if p.name == "EndpointPolicy" then values[#values + 1] = p.value end
  end
  if #values > 0 then doc.Policies = values end
  local ep, cerr = hcsshim.v1_create_endpoint(h, doc)
  if not ep then return fail("Failed to create endpoint: " .. cerr) end
  local ok, aerr = hcsshim.hot_attach(h, args.container_id, ep.ID)
  if not ok then
    hcsshim.v1_delete_endpoint(h, ep.ID)
    return fail(string.format("Failed to HotAdd endpoint %s: %s", ep.ID, aerr))
  end
  local now = hcsshim.v1_get_endpoint_by_id(h, ep.ID) or ep
  local res = result(net, now)
  return res, {endpoint = now, network = net, name = name, created = true, attach = aerr, result = res}
end

function M.del(h, conf, args)
  args = common.check_args("wincni.del", h, conf, args)
  local nc, err = load(conf, args)
  if not nc then return nil, "wincni DEL: " .. err end
  local name = common.sandbox_id(args.container_id, args.netns) .. "_" .. nc.name
  local ep = hcsshim.v1_get_endpoint_by_name(h, name)
  if not ep then return true, "not found" end
  if args.netns ~= common.PAUSE_NETNS then
    hcsshim.v1_container_detach(h, ep.ID, args.container_id) -- an error is only logged
    return true, "detached"
  end
  hcsshim.hot_detach(h, args.container_id, ep.ID)
  hcsshim.v1_delete_endpoint(h, ep.ID) -- an error is only logged
  return true, "deleted"
end

function M.check(h, conf, args)
  args = common.check_args("wincni.check", h, conf, args)
  local nc, err = load(conf, args)
  if not nc then return nil, err end
  return true
end

return M
