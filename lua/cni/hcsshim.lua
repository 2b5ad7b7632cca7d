-- cni/hcsshim.lua: the HNS calls the Windows CNI plugins make through
-- microsoft/hcsshim, each made through the host object of the scenario API
-- (h:hnscall for the v1 `internal/hns` package, h:enumerate / h:query /
-- h:create_endpoint / h:modify / h:delete for the v2 `hcn` package), with
-- the same lookups hcsshim does:
--   * v1 GetHNSNetworkByName / GetHNSEndpointByName list every object
--     (GET /networks/, GET /endpoints/) and compare names exactly
--     (internal/hns hnsnetwork.go, hnsendpoint.go);
--   * v2 GetNetworkByName / GetEndpointByName / GetNamespaceByID enumerate
--     with a HostComputeQuery {SchemaVersion 2.0, Flags 0, Filter} and
--     query each ID found (hcn/hcnnetwork.go, hcnendpoint.go,
--     hcnnamespace.go); "not found" is decided on the client, as
--     hcsshim's NetworkNotFoundError and friends are;
--   * AddNamespaceEndpoint / RemoveNamespaceEndpoint are a namespace
--     modify {ResourceType Endpoint, RequestType Add|Remove,
--     Settings {EndpointId}};
--   * hcn.DSRSupported reads GET /globals/version (hcnglobals.go) and
--     checks hcsshim's DSR ranges 9.3-9.max and 10.2 and later
--     (hcnsupport.go DSRVersion).
--
-- HotAttachEndpoint / HotDetachEndpoint are not HNS calls: hcsshim checks
-- IsAttached (GET /endpoints/<id>, SharedContainers) and then asks HCS to
-- add the NIC to the running compute system (ModifyComputeSystem): the
-- host object's `hot_attach`/`hot_detach` (docs/scenarios.md). A host
-- without them (not the sim backend) falls back to HNS's own container
-- attach (POST /endpoints/<id>/attach {SystemType Container}) for the first
-- container, and a further container sharing the endpoint is recorded in
-- the result but makes no call (inferred stand-in).
--
-- Every function returns its value, or nil, an error text and a kind:
-- "not_found" when hcsshim would report a NotFound error, else "hns".

local M = {}

local V2 = {Major = 2, Minor = 0}

local function failure(r)
  local text = string.format("%s failed: 0x%08X %s: %s", r.what or "HNS call", r.hr or 0, r.hr_name or "?",
                             r.error or "")
  if r.detail and r.detail ~= "" then text = text .. " (" .. r.detail .. ")" end
  return text
end
M.failure = failure

-- 0x80070490 ERROR_NOT_FOUND ("Element not found."), the code HNS gives an
-- unknown ID, and HCN_E_*_NOT_FOUND: hcsshim's IsNotExist/IsNotFoundError.
local function is_not_found(r)
  local n = r.hr_name or ""
  return n == "ERROR_NOT_FOUND" or n:match("_NOT_FOUND$") ~= nil
end

local function call(h, method, path, body)
  local r = h:hnscall(method, path, body)
  if r.ok then return r.output == nil and true or r.output end
  return nil, failure(r), is_not_found(r) and "not_found" or "hns"
end

local function query_doc(filter)
  return {SchemaVersion = V2, Flags = 0, Filter = json.encode(filter)}
end

-- ---- v1: internal/hns ----

function M.v1_list_networks(h) return call(h, "GET", "/networks/") end

function M.v1_get_network_by_name(h, name)
  local list, err, kind = M.v1_list_networks(h)
  if not list then return nil, err, kind end
  for _, n in ipairs(list) do
    if n.Name == name then return n end
  end
  return nil, string.format("Network name %q not found", name), "not_found"
end

function M.v1_get_network_by_id(h, id) return call(h, "GET", "/networks/" .. id) end

function M.v1_create_network(h, doc) return call(h, "POST", "/networks/", doc) end

function M.v1_delete_network(h, id) return call(h, "DELETE", "/networks/" .. id) end

function M.v1_get_endpoint_by_id(h, id) return call(h, "GET", "/endpoints/" .. id) end

function M.v1_get_endpoint_by_name(h, name)
  local list, err, kind = call(h, "GET", "/endpoints/")
  if not list then return nil, err, kind end
  for _, e in ipairs(list) do
    if e.Name == name then return e end
  end
  return nil, string.format("Endpoint %s not found", name), "not_found"
end

function M.v1_create_endpoint(h, doc) return call(h, "POST", "/endpoints/", doc) end

function M.v1_delete_endpoint(h, id) return call(h, "DELETE", "/endpoints/" .. id) end

function M.v1_container_attach(h, id, container)
  return call(h, "POST", "/endpoints/" .. id .. "/attach", {ContainerId = container, SystemType = "Container"})
end

function M.v1_container_detach(h, id, container)
  return call(h, "POST", "/endpoints/" .. id .. "/detach", {ContainerId = container, SystemType = "Container"})
end

function M.v1_host_attach(h, id, compartment)
  return call(h, "POST", "/endpoints/" .. id .. "/attach", {SystemType = "Host", CompartmentId = compartment})
end

local function shared_with(ep, container)
  for _, c in ipairs(ep.SharedContainers or {}) do
    if type(c) == "string" and c:lower() == container:lower() then return true end
  end
  return false
end

-- IsAttached: the endpoint as HNS reports it lists the container.
function M.is_attached(h, id, container)
  local ep, err, kind = M.v1_get_endpoint_by_id(h, id)
  if not ep then return nil, err, kind end
  return shared_with(ep, container), ep
end

-- HotAttachEndpoint(containerID, endpointID); returns true and how it was
-- done: "already", "hcs", "container-attach" or "shared-not-modelled".
function M.hot_attach(h, container, id)
  local attached, ep_or_err, kind = M.is_attached(h, id, container)
  if attached == nil then return nil, ep_or_err, kind end
  if attached then return true, "already" end
  if h.hot_attach then
    local r = h:hot_attach(container, id)
    if not r.ok then return nil, failure(r), "hns" end
    return true, "hcs"
  end
  local ep = ep_or_err
  if ep.SharedContainers and #ep.SharedContainers > 0 then
    return true, "shared-not-modelled"
  end
  local ok, err, k = M.v1_container_attach(h, id, container)
  if not ok then return nil, err, k end
  return true, "container-attach"
end

-- HotDetachEndpoint(containerID, endpointID): nothing to do when the
-- container is not attached (hcsshim checks IsAttached first).
function M.hot_detach(h, container, id)
  local attached, ep_or_err, kind = M.is_attached(h, id, container)
  if attached == nil then return nil, ep_or_err, kind end
  if not attached then return true, "not-attached" end
  if h.hot_detach then
    local r = h:hot_detach(container, id)
    if not r.ok then return nil, failure(r), "hns" end
    return true, "hcs"
  end
  local ok, err, k = M.v1_container_detach(h, id, container)
  if not ok then return nil, err, k end
  return true, "container-detach"
end

-- ---- v2: hcn ----

local function list_query(h, kind, filter)
  local q = query_doc(filter)
  local r = h:enumerate(kind, q)
  if not r.ok then return nil, failure(r), "hns" end
  local out = {}
  for _, id in ipairs(r.output or {}) do
    local d = h:query(kind, id, q)
    if not d.ok then return nil, failure(d), is_not_found(d) and "not_found" or "hns" end
    out[#out + 1] = d.output
  end
  return out
end
M.list_query = list_query

local function first(h, kind, filter, what)
  local list, err, k = list_query(h, kind, filter)
  if not list then return nil, err, k end
  if #list == 0 then return nil, what .. " not found", "not_found" end
  return list[1]
end

function M.get_network_by_name(h, name)
  return first(h, "network", {Name = name}, string.format("Network name %q", name))
end

function M.get_network_by_id(h, id)
  return first(h, "network", {ID = id}, string.format("Network %q", id))
end

function M.get_endpoint_by_name(h, name)
  return first(h, "endpoint", {Name = name}, string.format("Endpoint name %q", name))
end

function M.get_endpoint_by_id(h, id)
  return first(h, "endpoint", {ID = id}, string.format("Endpoint %q", id))
end

function M.get_namespace_by_id(h, id)
  return first(h, "namespace", {ID = id}, string.format("Namespace %q", id))
end

function M.create_network(h, doc)
  local r = h:create_network(doc)
  if not r.ok then return nil, failure(r), "hns" end
  return r.output
end

function M.create_endpoint(h, network_id, doc)
  local r = h:create_endpoint(network_id, doc)
  if not r.ok then return nil, failure(r), is_not_found(r) and "not_found" or "hns" end
  return r.output
end

function M.delete_endpoint(h, id)
  local r = h:delete("endpoint", id)
  if not r.ok then return nil, failure(r), is_not_found(r) and "not_found" or "hns" end
  return true
end

local function namespace_request(h, ns, ep, request)
  local r = h:modify("namespace", ns, {ResourceType = "Endpoint", RequestType = request, Settings = {EndpointId = ep}})
  if not r.ok then return nil, failure(r), is_not_found(r) and "not_found" or "hns" end
  return true
end

function M.add_namespace_endpoint(h, ns, ep) return namespace_request(h, ns, ep, "Add") end

function M.remove_namespace_endpoint(h, ns, ep) return namespace_request(h, ns, ep, "Remove") end

function M.modify_network_policy(h, net_id, request, policies)
  local r = h:modify("network", net_id, {ResourceType = "Policy", RequestType = request, Settings = {Policies = policies}})
  if not r.ok then return nil, failure(r), "hns" end
  return true
end

-- ---- globals ----

-- globals_version(h) -> {Major, Minor}, or nil where the call fails (before
-- 1803: hcsshim then turns every feature off).
function M.globals_version(h)
  local v = call(h, "GET", "/globals/version")
  if type(v) ~= "table" then return nil end
  return v
end

local function in_ranges(v, ranges)
  for _, r in ipairs(ranges) do
    local lo, hi = r[1], r[2]
    local ge = v.Major > lo[1] or (v.Major == lo[1] and v.Minor >= lo[2])
    local le = hi == nil or v.Major < hi[1] or (v.Major == hi[1] and v.Minor <= hi[2])
    if ge and le then return true end
  end
  return false
end

-- hcsshim hcnsupport.go: DSRVersion = 9.3..9.max, 10.2..
function M.dsr_supported(h)
  local v = M.globals_version(h)
  return v ~= nil and in_ranges(v, {{{9, 3}, {9, math.maxinteger}}, {{10, 2}, nil}})
end

-- hcsshim: RemoteSubnetVersion 9.2..
function M.remote_subnet_supported(h)
  local v = M.globals_version(h)
  return v ~= nil and in_ranges(v, {{{9, 2}, nil}})
end

return M
