-- kubeproxy/hns.lua: kube-proxy winkernel's HNS client: the HCN v2 documents
-- it sends and the calls it makes, through a scenario host's HNS methods
-- (h:enumerate, h:query, h:create_endpoint, h:create_loadbalancer, h:modify,
-- h:delete, h:hnscall), never into the model.
--
-- Sources: kubernetes/kubernetes pkg/proxy/winkernel/hns.go and hcnutils.go
-- (getNetworkByName, getAllEndpointsByNetwork, getEndpointByName,
-- createEndpoint, deleteEndpoint, getAllLoadBalancers, getLoadBalancer,
-- updateLoadBalancer, deleteLoadBalancer, hashEndpoints,
-- DeleteAllHnsLoadBalancerPolicy and the older v1 deleteAllHnsLoadBalancerPolicy);
-- hcsshim hcn/*.go for what each library call sends: a "Get...ByName/ByID"
-- or "List..." is HcnEnumerate* with a HostComputeQuery {SchemaVersion 2.0,
-- Flags 0, Filter "<JSON>"} and then HcnQuery*Properties of each ID;
-- ListEndpointsOfNetwork filters on {"VirtualNetwork": id};
-- CreateRemoteEndpoint sets Flags RemoteEndpoint (1) and HostComputeNetwork;
-- structs are written with omitempty, so zero fields are left out.
-- Constants: LB Flags DSR 1, IPv6 2 (kube-proxy's own); port-mapping flags
-- ILB 1, LocalRoutedVIP 2, UseMux 4, PreserveDIP 8, VipExternalIP 16
-- (kube-proxy's own); DistributionType SourceIP 2 (consumers §1.4).
--
-- A client `c` is {h = host, failures = {...}, calls = n, log = fn}: every
-- refused call is kept in c.failures (its result table, with `context`), as
-- kube-proxy logs it and goes on.
local M = {}

local V2 = {Major = 2, Minor = 0}

M.LB_FLAG_DSR, M.LB_FLAG_IPV6 = 1, 2
M.PM_ILB, M.PM_LOCAL_ROUTED_VIP, M.PM_USE_MUX, M.PM_PRESERVE_DIP, M.PM_VIP_EXTERNAL_IP = 1, 2, 4, 8, 16
M.DISTRIBUTION_SOURCE_IP = 2
M.ENDPOINT_FLAG_REMOTE = 1

-- Records a call's result; a failure is kept with what kube-proxy was doing.
local function note(c, r, context)
  c.calls = c.calls + 1
  if not r.ok then
    r.context = context
    c.failures[#c.failures + 1] = r
    c.log("error", "%s: %s failed: 0x%08X %s%s", context, r.what or "call", r.hr or 0, r.hr_name or "",
          r.detail and (" (" .. r.detail .. ")") or "")
  end
  return r
end

local function query_doc(filter)
  local q = {SchemaVersion = V2, Flags = 0}
  if filter then q.Filter = json.encode(filter) end
  return q
end

-- hcsshim List*Query: enumerate with the query, then query each ID's
-- properties with it. Returns the documents in HNS's order, or nil and the
-- failed result.
function M.list(c, kind, filter, context)
  local q = query_doc(filter)
  local r = note(c, c.h:enumerate(kind, q), context)
  if not r.ok then return nil, r end
  local out = {}
  for _, id in ipairs(r.output or {}) do
    local qr = note(c, c.h:query(kind, id, q), context)
    if not qr.ok then return nil, qr end
    out[#out + 1] = qr.output
  end
  return out
end

-- ---- networks ----

-- getNetworkByName: the network's ID, name, type and its RemoteSubnetRoute
-- policies (overlay). nil and a reason when there is none (hcsshim
-- NetworkNotFoundError) or a call failed.
function M.get_network_by_name(c, name, context)
  local list, err = M.list(c, "network", {Name = name}, context or "getNetworkByName")
  if not list then return nil, err end
  if #list == 0 then return nil, {not_found = true, what = "network '" .. name .. "' not found"} end
  local n = list[1]
  local info = {id = n.ID, name = n.Name, type = n.Type or "", remote_subnets = {}}
  for _, p in ipairs(n.Policies or {}) do
    if p.Type == "RemoteSubnetRoute" and type(p.Settings) == "table" then
      info.remote_subnets[#info.remote_subnets + 1] = {
        destination_prefix = p.Settings.DestinationPrefix or "",
        isolation_id = p.Settings.IsolationId,
        provider_address = p.Settings.ProviderAddress or "",
        dr_mac_address = p.Settings.DistributedRouterMacAddress,
      }
    end
  end
  return info
end

function M.is_overlay(network) return string.lower(network.type) == "overlay" end

local function ipv4_number(s)
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return nil end
  return ((tonumber(a) * 256 + tonumber(b)) * 256 + tonumber(c)) * 256 + tonumber(d)
end

local function cidr_contains(prefix, ip)
  local base, len = prefix:match("^([%d%.]+)/(%d+)$")
  local b, x = base and ipv4_number(base), ipv4_number(ip)
  len = tonumber(len)
  if not b or not x or not len or len > 32 then return false end
  local shift = 32 - len
  return (b >> shift) == (x >> shift)
end

-- findRemoteSubnetProviderAddress: the PA of the remote subnet holding `ip`,
-- or of the node whose PA `ip` is; the last match wins, "" for none (a
-- "public" IP). IPv4 only: overlay is single-stack IPv4 (consumers §1.2).
function M.find_provider_address(network, ip)
  local pa = ""
  for _, rs in ipairs(network.remote_subnets) do
    if cidr_contains(rs.destination_prefix, ip) then pa = rs.provider_address end
    if ip == rs.provider_address then pa = rs.provider_address end
  end
  return pa
end

-- ---- endpoints ----

local function endpoint_info(doc, ip)
  return {
    ip = ip, is_local = ((doc.Flags or 0) & M.ENDPOINT_FLAG_REMOTE) == 0, mac = doc.MacAddress or "",
    hns_id = doc.ID, name = doc.Name,
    -- "only ready and not terminating endpoints were added to HNS"
    ready = true, serving = true, terminating = false,
  }
end

-- getAllEndpointsByNetwork: every endpoint of the network, indexed by its ID
-- and by each of its (first two) addresses; an endpoint without addresses is
-- skipped. A later endpoint with the same address replaces an earlier one in
-- the address index, as the Go map does.
function M.list_endpoints_of_network(c, network_name)
  local net, err = M.get_network_by_name(c, network_name, "getAllEndpointsByNetwork")
  if not net then return nil, err end
  local list, lerr = M.list(c, "endpoint", {VirtualNetwork = net.id}, "getAllEndpointsByNetwork")
  if not list then return nil, lerr end
  local index = {}
  for _, doc in ipairs(list) do
    local ipc = doc.IpConfigurations or {}
    if #ipc > 0 then
      index[doc.ID] = endpoint_info(doc, ipc[1].IpAddress)
      index[ipc[1].IpAddress] = index[doc.ID]
      if #ipc > 1 then index[ipc[2].IpAddress] = endpoint_info(doc, ipc[2].IpAddress) end
    end
  end
  return index
end

function M.get_endpoint_by_name(c, name)
  local list, err = M.list(c, "endpoint", {Name = name}, "getEndpointByName")
  if not list then return nil, err end
  if #list == 0 or not (list[1].IpConfigurations or {})[1] then return nil, {not_found = true} end
  return endpoint_info(list[1], list[1].IpConfigurations[1].IpAddress)
end

-- createEndpoint: a remote endpoint (Flags RemoteEndpoint, a ProviderAddress
-- policy when ep.provider_address is set) or a local one, on the named
-- network.
function M.create_endpoint(c, ep, network_name, context)
  local net, err = M.get_network_by_name(c, network_name, context)
  if not net then return nil, err end
  local doc = {
    IpConfigurations = {{IpAddress = ep.ip}},
    HostComputeNetwork = net.id,
    SchemaVersion = V2,
  }
  if ep.mac and ep.mac ~= "" then doc.MacAddress = ep.mac end
  if not ep.is_local then
    doc.Flags = M.ENDPOINT_FLAG_REMOTE
    if ep.provider_address and ep.provider_address ~= "" then
      doc.Policies = {{Type = "ProviderAddress", Settings = {ProviderAddress = ep.provider_address}}}
    end
  end
  local r = note(c, c.h:create_endpoint(net.id, doc), context)
  if not r.ok then return nil, r end
  local out = r.output or {}
  local info = endpoint_info(out, ((out.IpConfigurations or {})[1] or {}).IpAddress or ep.ip)
  info.provider_address = ep.provider_address
  return info
end

-- deleteEndpoint: find it by ID, then delete it.
function M.delete_endpoint(c, hns_id, context)
  local list, err = M.list(c, "endpoint", {ID = hns_id}, context)
  if not list then return false, err end
  if #list == 0 then return false, {not_found = true} end
  local r = note(c, c.h:delete("endpoint", list[1].ID), context)
  return r.ok, r
end

-- ---- load balancers ----

-- hashEndpoints: kube-proxy XORs the SHA-1 of each backend ID (upper-cased
-- when the ID comes from its own endpoint list, as HNS wrote it when it comes
-- from a listed load balancer), so the hash is that of a set in which an ID
-- given twice cancels out. Here the same set, written out: the IDs that occur
-- an odd number of times, sorted. (Two different sets never collide here,
-- where SHA-1 XORs could; kube-proxy accepts that risk.)
local function backend_set(ids)
  local count, out = {}, {}
  for _, id in ipairs(ids) do
    if id ~= "" then count[id] = (count[id] or 0) + 1 end
  end
  for id, n in sorted_pairs(count) do
    if n % 2 == 1 then out[#out + 1] = id end
  end
  return table.concat(out, ",")
end

-- loadBalancerIdentifier {protocol, internalPort, externalPort, vip,
-- endpointsHash} as one text; vip "" for a NodePort (no frontend).
function M.identity(protocol, internal_port, external_port, vip, ids)
  return string.format("%d|%d|%d|%s|%s", protocol, internal_port, external_port, vip or "", backend_set(ids))
end

function M.endpoint_ids(endpoints)
  local ids = {}
  for i, ep in ipairs(endpoints) do ids[i] = string.upper(ep.hns_id or "") end
  return ids
end

-- getAllLoadBalancers: identity -> {hns_id}, from the first port mapping and
-- the first frontend VIP of each (a later one with the same identity wins).
function M.list_load_balancers(c)
  local list, err = M.list(c, "loadbalancer", nil, "getAllLoadBalancers")
  if not list then return nil, err end
  local out = {}
  for _, lb in ipairs(list) do
    local pm = (lb.PortMappings or {})[1] or {}
    local vip = (lb.FrontendVIPs or {})[1] or ""
    out[M.identity(pm.Protocol or 0, pm.InternalPort or 0, pm.ExternalPort or 0, vip, lb.HostComputeEndpoints or {})] =
      {hns_id = lb.ID}
  end
  return out
end

-- The HostComputeLoadBalancer kube-proxy writes for these flags
-- (hns.go getLoadBalancer).
function M.load_balancer_doc(endpoints, flags, source_vip, vip, protocol, internal_port, external_port)
  local pm_flags = 0
  if flags.is_ilb then pm_flags = pm_flags | M.PM_ILB end
  if flags.use_mux then pm_flags = pm_flags | M.PM_USE_MUX end
  if flags.preserve_dip then pm_flags = pm_flags | M.PM_PRESERVE_DIP end
  if flags.local_routed_vip then pm_flags = pm_flags | M.PM_LOCAL_ROUTED_VIP end
  if flags.is_vip_external_ip then pm_flags = pm_flags | M.PM_VIP_EXTERNAL_IP end
  local lb_flags = 0
  if flags.is_dsr then lb_flags = lb_flags | M.LB_FLAG_DSR end
  if flags.is_ipv6 then lb_flags = lb_flags | M.LB_FLAG_IPV6 end
  local pm = {Protocol = protocol, InternalPort = internal_port, ExternalPort = external_port}
  if flags.session_affinity then pm.DistributionType = M.DISTRIBUTION_SOURCE_IP end
  if pm_flags ~= 0 then pm.Flags = pm_flags end
  local doc = {PortMappings = {pm}, SchemaVersion = V2}
  if source_vip and source_vip ~= "" then doc.SourceVIP = source_vip end
  if vip and vip ~= "" then doc.FrontendVIPs = {vip} end
  if lb_flags ~= 0 then doc.Flags = lb_flags end
  if #endpoints > 0 then
    doc.HostComputeEndpoints = {}
    for i, ep in ipairs(endpoints) do doc.HostComputeEndpoints[i] = ep.hns_id end
  end
  return doc
end

-- getLoadBalancer: the load balancer already listed (or made this sync) with
-- the same identity, else a new one. `known` is the identity map of the sync
-- and gains the new one.
function M.get_load_balancer(c, endpoints, flags, source_vip, vip, protocol, internal_port, external_port, known, context)
  local id = M.identity(protocol, internal_port, external_port, vip, M.endpoint_ids(endpoints))
  if known[id] then
    c.log("info", "%s: found cached HNS load balancer %s", context, known[id].hns_id)
    return known[id]
  end
  local doc = M.load_balancer_doc(endpoints, flags, source_vip, vip, protocol, internal_port, external_port)
  local r = note(c, c.h:create_loadbalancer(doc), context)
  if not r.ok then return nil, r end
  local info = {hns_id = r.id}
  known[id] = info
  return info
end

-- updateLoadBalancer (kube-proxy with ModifyLoadbalancer): HcnModifyLoadBalancer
-- with the whole document (hcsshim LoadBalancer.Update). The identity map is
-- updated only on success.
function M.update_load_balancer(c, hns_id, endpoints, flags, source_vip, vip, protocol, internal_port, external_port, known,
                                context)
  local doc = M.load_balancer_doc(endpoints, flags, source_vip, vip, protocol, internal_port, external_port)
  local r = note(c, c.h:modify("loadbalancer", hns_id, doc), context)
  if not r.ok then return nil, r end
  local info = {hns_id = hns_id}
  known[M.identity(protocol, internal_port, external_port, vip, M.endpoint_ids(endpoints))] = info
  return info
end

-- hcn IsNotImplemented (inferred mapping): E_NOTIMPL, or the "request
-- unsupported" HNS answers on builds without the modify call.
function M.is_not_implemented(r)
  return r and (r.hr == 0x80004001 or r.hr_name == "HCN_E_REQUEST_UNSUPPORTED")
end

-- deleteLoadBalancer: look it up by ID (not found: success, silently), delete
-- it, and try once more if that fails ("a bug in Windows Server 2019").
function M.delete_load_balancer(c, hns_id, context)
  local list = M.list(c, "loadbalancer", {ID = hns_id}, context)
  if not list or #list == 0 then return true end
  local r = note(c, c.h:delete("loadbalancer", list[1].ID), context)
  if r.ok then return true end
  r = note(c, c.h:delete("loadbalancer", list[1].ID), context .. " (retry)")
  return r.ok, r
end

-- The start-up delete-all. "loadbalancers": hcnutils.go
-- DeleteAllHnsLoadBalancerPolicy, every HCN load balancer listed and
-- deleted. "policylists": the v1 way of older kube-proxy releases
-- (hcsshim HNSListPolicyListRequest, then PolicyList.Delete) and of the SDN
-- scripts' `Get-HnsPolicyList | Remove-HnsPolicyList`: every policy list,
-- which is also every SDN route object (docs/v1-api.md). Failures are
-- logged and skipped. Returns how many were deleted.
function M.delete_all(c, mode)
  local n = 0
  if mode == "policylists" then
    local r = note(c, c.h:hnscall("GET", "/policylists"), "deleteAllHnsLoadBalancerPolicy")
    if not r.ok then return 0 end
    for _, pl in ipairs(r.output or {}) do
      local d = note(c, c.h:hnscall("DELETE", "/policylists/" .. pl.ID), "deleteAllHnsLoadBalancerPolicy")
      if d.ok then n = n + 1 end
    end
    return n
  end
  local list = M.list(c, "loadbalancer", nil, "DeleteAllHnsLoadBalancerPolicy")
  for _, lb in ipairs(list or {}) do
    if note(c, c.h:delete("loadbalancer", lb.ID), "DeleteAllHnsLoadBalancerPolicy").ok then n = n + 1 end
  end
  return n
end

return M
