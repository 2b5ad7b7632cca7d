-- kubeproxy/cluster.lua: the small Kubernetes state a scenario gives
-- kube-proxy: Services and the endpoints behind them (one EndpointSlice per
-- Service). It plays the API server and the informers: every kube-proxy made
-- over one cluster sees the same objects, and is told when they change.
--
-- Owns: the Services by "namespace/name" and their slices, each copied and
-- checked when given (a scenario may reuse its tables afterwards). Fields are
-- those of the Kubernetes objects kube-proxy winkernel reads (proxier.go
-- newServiceInfo, newEndpointInfo; consumers-and-pain-points.md §1.4, §1.7):
--
--   c:service{name = "web", namespace = "default", cluster_ip = "10.96.0.20",
--             ports = {{name = "http", protocol = "TCP", port = 80,
--                       target_port = 8080, node_port = 30080}},
--             external_ips = {...}, ingress_ips = {...},
--             session_affinity = "ClientIP" | "None",
--             external_traffic_policy = "Cluster" | "Local",
--             internal_traffic_policy = "Cluster" | "Local",
--             health_check_node_port = 32000,
--             annotations = {["preserve-destination"] = "true", winProxyOptimization = "DISABLED"}}
--   c:endpoints("default/web", {{ip = "10.244.1.6", node = "node1", ready = true,
--                                serving = true, terminating = false}, ...}
--               [, {{name = "http", port = 8080, protocol = "TCP"}, ...}])
--   c:delete_service("default/web")     -- the slice goes with it (owner reference)
--   c:delete_endpoints("default/web")
--
-- Invariant: nothing here is iterated with pairs() into anything that
-- reaches HNS or a record; callers walk services with c:service_names().
local M = {}
local Cluster = {}
Cluster.__index = Cluster

-- ---- checks, each naming the field and the value ----

local function fail(level, fmt, ...) error("kubeproxy: " .. string.format(fmt, ...), level + 1) end

local function is_ipv4(s)
  if type(s) ~= "string" then return false end
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return false end
  for _, x in ipairs({a, b, c, d}) do
    if #x > 3 or tonumber(x) > 255 then return false end
  end
  return true
end

local function is_ipv6(s)
  return type(s) == "string" and s:find(":", 1, true) ~= nil and s:match("^[%x:%.]+$") ~= nil
end

M.is_ipv4, M.is_ipv6 = is_ipv4, is_ipv6
function M.is_ip(s) return is_ipv4(s) or is_ipv6(s) end

local function check_fields(t, allowed, what, level)
  for k in sorted_pairs(t) do
    if not allowed[k] then
      local names = {}
      for n in sorted_pairs(allowed) do names[#names + 1] = n end
      fail(level + 1, "%s: unknown field '%s' (fields: %s)", what, tostring(k), table.concat(names, ", "))
    end
  end
end

local function check_ip(v, what, level)
  if not M.is_ip(v) then fail(level + 1, "%s: '%s' is not an IP address", what, tostring(v)) end
  return v
end

local function check_port(v, what, level, allow_zero)
  if math.type(v) ~= "integer" or v < (allow_zero and 0 or 1) or v > 65535 then
    fail(level + 1, "%s: %s is not a port (%s to 65535)", what, tostring(v), allow_zero and "0" or "1")
  end
  return v
end

local PROTOCOLS = {TCP = true, UDP = true, SCTP = true}

local function check_protocol(v, what, level)
  v = v or "TCP"
  if not PROTOCOLS[v] then fail(level + 1, "%s: '%s' is not TCP, UDP or SCTP", what, tostring(v)) end
  return v
end

local function check_enum(v, default, allowed, what, level)
  if v == nil then return default end
  for _, a in ipairs(allowed) do if v == a then return v end end
  fail(level + 1, "%s: '%s' is not %s", what, tostring(v), table.concat(allowed, " or "))
end

local function check_bool(v, default, what, level)
  if v == nil then return default end
  if type(v) ~= "boolean" then fail(level + 1, "%s: expected true or false, got %s", what, type(v)) end
  return v
end

local function ip_list(v, what, level)
  local out = {}
  if v == nil then return out end
  if type(v) ~= "table" then fail(level + 1, "%s: expected a list of IP addresses", what) end
  for i, ip in ipairs(v) do out[i] = check_ip(ip, string.format("%s[%d]", what, i), level + 1) end
  return out
end

-- "ns/name", or name alone in namespace `ns` (default "default").
local function key_of(name, ns, what, level)
  if type(name) ~= "string" or name == "" then fail(level + 1, "%s: a service name is needed", what) end
  if name:find("/", 1, true) then
    local a, b = name:match("^([^/]+)/([^/]+)$")
    if not a then fail(level + 1, "%s: '%s' is not 'namespace/name'", what, name) end
    return name, a, b
  end
  ns = ns or "default"
  return ns .. "/" .. name, ns, name
end

-- ---- the cluster ----

function M.new()
  return setmetatable({services = {}, slices = {}, watchers = {}, generation = 0}, Cluster)
end

-- Tells every kube-proxy watching this cluster that `key` changed (the
-- informer event that makes a proxier call Sync(), proxier.go OnServiceUpdate
-- and OnEndpointSliceUpdate). Watchers are called in the order they came.
function Cluster:_changed(key)
  self.generation = self.generation + 1
  for _, w in ipairs(self.watchers) do w(key) end
end

function Cluster:watch(fn) self.watchers[#self.watchers + 1] = fn end

local SERVICE_FIELDS = {
  name = true, namespace = true, cluster_ip = true, ports = true, external_ips = true, ingress_ips = true,
  session_affinity = true, external_traffic_policy = true, internal_traffic_policy = true,
  health_check_node_port = true, annotations = true, type = true,
}
local PORT_FIELDS = {name = true, protocol = true, port = true, target_port = true, node_port = true}

-- Adds or replaces a Service.
function Cluster:service(spec)
  local L = 2
  if type(spec) ~= "table" then fail(L, "service: expected a table") end
  check_fields(spec, SERVICE_FIELDS, "service", L)
  local key, ns, name = key_of(spec.name, spec.namespace, "service", L)
  local what = "service " .. key
  local s = {
    key = key, namespace = ns, name = name,
    cluster_ip = check_ip(spec.cluster_ip, what .. ": cluster_ip", L),
    external_ips = ip_list(spec.external_ips, what .. ": external_ips", L),
    ingress_ips = ip_list(spec.ingress_ips, what .. ": ingress_ips", L),
    session_affinity = check_enum(spec.session_affinity, "None", {"None", "ClientIP"}, what .. ": session_affinity", L),
    external_traffic_policy = check_enum(spec.external_traffic_policy, "Cluster", {"Cluster", "Local"},
                                         what .. ": external_traffic_policy", L),
    internal_traffic_policy = check_enum(spec.internal_traffic_policy, "Cluster", {"Cluster", "Local"},
                                         what .. ": internal_traffic_policy", L),
    health_check_node_port = check_port(spec.health_check_node_port or 0, what .. ": health_check_node_port", L, true),
    annotations = {},
    type = spec.type,
    ports = {},
  }
  if spec.annotations ~= nil then
    if type(spec.annotations) ~= "table" then fail(L, "%s: annotations: expected a table of strings", what) end
    for k, v in sorted_pairs(spec.annotations) do
      if type(k) ~= "string" or type(v) ~= "string" then fail(L, "%s: annotations: keys and values must be strings", what) end
      s.annotations[k] = v
    end
  end
  if type(spec.ports) ~= "table" or #spec.ports == 0 then fail(L, "%s: ports: at least one port is needed", what) end
  local seen = {}
  for i, p in ipairs(spec.ports) do
    local pw = string.format("%s: ports[%d]", what, i)
    if type(p) ~= "table" then fail(L, "%s: expected a table", pw) end
    check_fields(p, PORT_FIELDS, pw, L)
    local pname = p.name or ""
    if type(pname) ~= "string" then fail(L, "%s.name: expected a string", pw) end
    if seen[pname] then fail(L, "%s.name: '%s' is used twice", pw, pname) end
    if #spec.ports > 1 and pname == "" then fail(L, "%s.name: a Service with several ports must name each", pw) end
    seen[pname] = true
    local port = check_port(p.port, pw .. ".port", L)
    local target = p.target_port
    if target == nil then
      target = port
    elseif type(target) == "string" then
      if target == "" then fail(L, "%s.target_port: an empty name", pw) end
    else
      check_port(target, pw .. ".target_port", L)
    end
    s.ports[i] = {
      name = pname, protocol = check_protocol(p.protocol, pw .. ".protocol", L), port = port,
      target_port = target, node_port = check_port(p.node_port or 0, pw .. ".node_port", L, true),
    }
  end
  self.services[key] = s
  self:_changed(key)
  return key
end

function Cluster:delete_service(name)
  local key = key_of(name, nil, "delete_service", 2)
  if not self.services[key] then fail(2, "delete_service: no service '%s'", key) end
  self.services[key] = nil
  self.slices[key] = nil
  self:_changed(key)
end

local EP_FIELDS = {ip = true, node = true, ready = true, serving = true, terminating = true}
local SLICE_PORT_FIELDS = {name = true, port = true, protocol = true}

-- Sets the endpoints of a Service (its EndpointSlice, replaced whole).
-- `ports` are the slice's ports; without them they are the Service's ports
-- with their numeric target ports.
function Cluster:endpoints(name, list, ports)
  local L = 2
  local key = key_of(name, nil, "endpoints", L)
  local what = "endpoints " .. key
  if type(list) ~= "table" then fail(L, "%s: expected a list of endpoints", what) end
  local slice = {ports = {}, endpoints = {}}
  if ports == nil then
    local svc = self.services[key]
    if not svc then fail(L, "%s: no service '%s' to take the ports from (give the slice's ports)", what, key) end
    for i, p in ipairs(svc.ports) do
      if type(p.target_port) ~= "number" then
        fail(L, "%s: service port '%s' has the named target port '%s': give the slice's ports", what, p.name, p.target_port)
      end
      slice.ports[i] = {name = p.name, port = p.target_port, protocol = p.protocol}
    end
  else
    if type(ports) ~= "table" then fail(L, "%s: ports: expected a list", what) end
    for i, p in ipairs(ports) do
      local pw = string.format("%s: ports[%d]", what, i)
      if type(p) ~= "table" then fail(L, "%s: expected a table", pw) end
      check_fields(p, SLICE_PORT_FIELDS, pw, L)
      slice.ports[i] = {name = p.name or "", port = check_port(p.port, pw .. ".port", L),
                        protocol = check_protocol(p.protocol, pw .. ".protocol", L)}
    end
  end
  for i, e in ipairs(list) do
    local ew = string.format("%s[%d]", what, i)
    if type(e) ~= "table" then fail(L, "%s: expected a table", ew) end
    check_fields(e, EP_FIELDS, ew, L)
    local ready = check_bool(e.ready, true, ew .. ".ready", L)
    if e.node ~= nil and type(e.node) ~= "string" then fail(L, "%s.node: expected a node name", ew) end
    slice.endpoints[i] = {
      ip = check_ip(e.ip, ew .. ".ip", L), node = e.node or "",
      ready = ready, serving = check_bool(e.serving, ready, ew .. ".serving", L),
      terminating = check_bool(e.terminating, false, ew .. ".terminating", L),
    }
  end
  self.slices[key] = slice
  self:_changed(key)
end

function Cluster:delete_endpoints(name)
  local key = key_of(name, nil, "delete_endpoints", 2)
  self.slices[key] = nil
  self:_changed(key)
end

-- The Service keys that have a Service or a slice, in byte order.
function Cluster:names()
  local seen, out = {}, {}
  for k in sorted_pairs(self.services) do seen[k] = true end
  for k in sorted_pairs(self.slices) do seen[k] = true end
  for k in sorted_pairs(seen) do out[#out + 1] = k end
  return out
end

return M
