-- cni/netconf.lua: reading a CNI network configuration (netconf) the way
-- the Windows plugins read theirs, into one normalised table.
--
-- Three dialects, by the plugin `type`:
--   * containernetworking/plugins (win-bridge, win-overlay): pkg/hns
--     netconf_windows.go NetConf (apiVersion, policies, runtimeConfig,
--     loopbackDSR) plus win-bridge's ipMasqNetwork and win-overlay's ipMasq
--     and endpointMacPrefix (win-bridge_windows.go, win-overlay_windows.go);
--   * microsoft/windows-container-networking (sdnbridge, sdnoverlay):
--     cni/cni.go NetworkConfig (AdditionalArgs, optionalFlags,
--     additionalRoutes, runtimeConfig);
--   * the 2018 wincni (microsoft/SDN Kubernetes/wincni/cni/cni.go): the
--     sdn shape without optionalFlags, HNS v1 only.
-- A flannel configuration (flannel-io/cni-plugin flannel.go) is read too:
-- its `delegate` is what cni.flannel turns into one of the above.
--
-- The plugins are Go programs: encoding/json matches a field name in any
-- case (the samples mix "Policies"/"policies", "Name"/"name",
-- "Nameservers"), ignores unknown fields, reads null as the zero value and
-- refuses a value of the wrong JSON type. This module does the same; an
-- exact-case key wins, else the first matching key in byte order
-- (inferred: Go takes the last one in document order, which a decoded Lua
-- table no longer has). Inside a policy value the plugins look keys up
-- with jsonparser, which is case-sensitive; cni.common does that part.
--
-- parse() returns the table, or nil and an error naming the field and the
-- value ("netconf: delegate.apiVersion: expected a number, got string \"2\"").

local M = {}

local NULL = json and json.null

-- The plugin types hnsim models, and their dialect.
M.dialects = {
  ["win-bridge"] = "cni-plugins",
  ["win-overlay"] = "cni-plugins",
  ["sdnbridge"] = "sdn",
  ["sdnoverlay"] = "sdn",
  ["wincni"] = "wincni",
  ["wincni.exe"] = "wincni",
  ["flannel"] = "flannel",
}

local function describe(v)
  if type(v) == "string" then return string.format("string %q", v) end
  if type(v) == "table" then
    return (getmetatable(v) == "json.array" or rawget(v, 1) ~= nil) and "an array" or "an object"
  end
  if type(v) == "number" then return "number " .. tostring(v) end
  return type(v) .. " " .. tostring(v)
end

local function fail(path, msg)
  error({netconf_error = "netconf: " .. path .. ": " .. msg}, 0)
end

-- is_array(t): a JSON array as json.decode marks it, or a Lua sequence.
function M.is_array(t)
  if type(t) ~= "table" then return false end
  if getmetatable(t) == "json.array" then return true end
  if next(t) == nil then return false end
  for k in sorted_pairs(t) do
    if type(k) ~= "number" then return false end
  end
  return true
end

-- field(t, key) -> value, the key as written; Go's case-insensitive match.
function M.field(t, key)
  if type(t) ~= "table" or M.is_array(t) then return nil end
  local v = rawget(t, key)
  if v ~= nil then
    if v == NULL then return nil, key end
    return v, key
  end
  local lk = key:lower()
  for k, val in sorted_pairs(t) do
    if type(k) == "string" and k:lower() == lk then
      if val == NULL then return nil, k end
      return val, k
    end
  end
  return nil
end

local function join(path, key) return path == "" and key or (path .. "." .. key) end

local function want_string(t, key, path)
  local v, k = M.field(t, key)
  if v == nil then return nil end
  if type(v) ~= "string" then fail(join(path, k), "expected a string, got " .. describe(v)) end
  return v
end

local function want_bool(t, key, path)
  local v, k = M.field(t, key)
  if v == nil then return nil end
  if type(v) ~= "boolean" then fail(join(path, k), "expected true or false, got " .. describe(v)) end
  return v
end

local function want_int(t, key, path, lo, hi)
  local v, k = M.field(t, key)
  if v == nil then return nil end
  if math.type(v) ~= "integer" then
    if type(v) == "number" and v == math.floor(v) then
      v = math.tointeger(v)
    else
      fail(join(path, k), "expected a whole number, got " .. describe(v))
    end
  end
  if (lo and v < lo) or (hi and v > hi) then
    fail(join(path, k), string.format("%d is out of range (%d to %d)", v, lo, hi))
  end
  return v
end

local function want_object(t, key, path)
  local v, k = M.field(t, key)
  if v == nil then return nil end
  if type(v) ~= "table" or getmetatable(v) == "json.array" or M.is_array(v) then
    fail(join(path, k), "expected an object, got " .. describe(v))
  end
  return v, k
end

local function want_array(t, key, path)
  local v, k = M.field(t, key)
  if v == nil then return nil end
  if type(v) ~= "table" or (not M.is_array(v) and next(v) ~= nil) then
    fail(join(path, k), "expected an array, got " .. describe(v))
  end
  return v, k
end

local function want_strings(t, key, path)
  local arr, k = want_array(t, key, path)
  if not arr then return nil end
  local out = {}
  for i, s in ipairs(arr) do
    if s == NULL then s = "" end
    if type(s) ~= "string" then fail(string.format("%s[%d]", join(path, k), i), "expected a string, got " .. describe(s)) end
    out[i] = s
  end
  return json.array(out)
end

-- types.DNS: nameservers, domain, search, options.
local function read_dns(t, key, path)
  local d, k = want_object(t, key, path)
  if not d then return {} end
  local p = join(path, k)
  return {
    nameservers = want_strings(d, "nameservers", p),
    domain = want_string(d, "domain", p),
    search = want_strings(d, "search", p),
    options = want_strings(d, "options", p),
  }
end

-- types.Route {dst, gw}: both optional; an address that is not one is an
-- error, as Go's IPNet and net.IP unmarshalling refuse it.
local function read_routes(t, key, path)
  local arr, k = want_array(t, key, path)
  if not arr then return nil end
  local ipaddr = require("cni.ipaddr")
  local out = {}
  for i, r in ipairs(arr) do
    local p = string.format("%s[%d]", join(path, k), i)
    if type(r) ~= "table" then fail(p, "expected an object, got " .. describe(r)) end
    local dst, gw = want_string(r, "dst", p), want_string(r, "gw", p)
    if dst and not ipaddr.parse_cidr(dst) then fail(p .. ".dst", string.format("%q is not a prefix", dst)) end
    if gw and not ipaddr.parse(gw) then fail(p .. ".gw", string.format("%q is not an IP address", gw)) end
    out[i] = {dst = dst, gw = gw}
  end
  return out
end

-- host-local's range: subnet, rangeStart, rangeEnd, gateway.
local function read_range(r, p)
  if type(r) ~= "table" or M.is_array(r) then fail(p, "expected an object, got " .. describe(r)) end
  return {
    subnet = want_string(r, "subnet", p),
    range_start = want_string(r, "rangeStart", p),
    range_end = want_string(r, "rangeEnd", p),
    gateway = want_string(r, "gateway", p),
  }
end

local function read_ipam(t, path)
  local ipam, k = want_object(t, "ipam", path)
  if not ipam then return {} end
  local p = join(path, k)
  local out = {
    type = want_string(ipam, "type", p),
    environment = want_string(ipam, "environment", p),
    subnet = want_string(ipam, "subnet", p),
    range_start = want_string(ipam, "rangeStart", p),
    range_end = want_string(ipam, "rangeEnd", p),
    gateway = want_string(ipam, "gateway", p),
    routes = read_routes(ipam, "routes", p),
    data_dir = want_string(ipam, "dataDir", p),
  }
  local ranges, rk = want_array(ipam, "ranges", p)
  if ranges then
    out.ranges = {}
    for i, set in ipairs(ranges) do
      local sp = string.format("%s.%s[%d]", p, rk, i)
      if not M.is_array(set) then fail(sp, "expected an array of ranges, got " .. describe(set)) end
      local rs = {}
      for j, r in ipairs(set) do rs[j] = read_range(r, string.format("%s[%d]", sp, j)) end
      out.ranges[i] = rs
    end
  end
  return out
end

-- [{name, value}] (the samples write Name/Value too). The value is kept as
-- decoded: the plugins pass it on as raw JSON.
local function read_kvps(t, key, path)
  local arr, k = want_array(t, key, path)
  if not arr then return nil end
  local out = {}
  for i, e in ipairs(arr) do
    local p = string.format("%s[%d]", join(path, k), i)
    if type(e) ~= "table" or M.is_array(e) then fail(p, "expected an object {name, value}, got " .. describe(e)) end
    out[i] = {name = want_string(e, "name", p) or "", value = (M.field(e, "value"))}
  end
  return out
end

-- runtimeConfig: portMappings and dns, as the runtime (libcni) injects them.
local function read_runtime(t, path)
  local rc, k = want_object(t, "runtimeConfig", path)
  if not rc then return {dns = {}, port_mappings = {}} end
  local p = join(path, k)
  local out = {dns = {}, port_mappings = {}}
  local d, dk = want_object(rc, "dns", p)
  if d then
    local dp = join(p, dk)
    out.dns = {servers = want_strings(d, "servers", dp), searches = want_strings(d, "searches", dp),
               options = want_strings(d, "options", dp)}
  end
  local pms, pk = want_array(rc, "portMappings", p)
  for i, pm in ipairs(pms or {}) do
    local pp = string.format("%s.%s[%d]", p, pk, i)
    if type(pm) ~= "table" then fail(pp, "expected an object, got " .. describe(pm)) end
    out.port_mappings[i] = {
      host_port = want_int(pm, "hostPort", pp) or 0,
      container_port = want_int(pm, "containerPort", pp) or 0,
      protocol = want_string(pm, "protocol", pp) or "",
      host_ip = want_string(pm, "hostIP", pp) or "",
    }
  end
  return out
end

local function read_capabilities(t, path)
  local c, k = want_object(t, "capabilities", path)
  local out = {}
  if not c then return out end
  for name, v in sorted_pairs(c) do
    if type(v) ~= "boolean" then fail(join(path, k) .. "." .. tostring(name), "expected true or false, got " .. describe(v)) end
    out[name] = v
  end
  return out
end

-- decode(conf) -> table: JSON text through the sandbox's json.decode, or a
-- table used as it is.
function M.decode(conf)
  if type(conf) == "table" then return conf end
  if type(conf) ~= "string" then
    return nil, "netconf: expected JSON text or a table, got " .. type(conf)
  end
  local ok, t = pcall(json.decode, conf)
  if not ok then return nil, "netconf: " .. tostring(t) end
  if type(t) ~= "table" or M.is_array(t) then return nil, "netconf: the configuration is not a JSON object" end
  return t
end

local function parse_body(t, path, forced_type)
  local nc = {raw = t, path = path, warnings = {}}
  nc.cni_version = want_string(t, "cniVersion", path) or ""
  nc.name = want_string(t, "name", path)
  nc.type = forced_type or want_string(t, "type", path)
  if not nc.type or nc.type == "" then fail(join(path, "type"), "missing: the plugin type names the binary to run") end
  nc.dialect = M.dialects[nc.type]
  if not nc.dialect then
    fail(join(path, "type"), string.format("%q is not a plugin hnsim models (win-bridge, win-overlay, sdnbridge, sdnoverlay, wincni, flannel)", nc.type))
  end
  nc.capabilities = read_capabilities(t, path)
  if nc.dialect == "flannel" then
    -- flannel-io/cni-plugin flannel.go: delegate must be an object whose
    -- type, if present, is a string; name and ipam are flannel's to set.
    nc.delegate = want_object(t, "delegate", path) or {}
    nc.runtime_config_raw = (M.field(t, "runtimeConfig"))
    nc.subnet_file = want_string(t, "subnetFile", path)
    return nc
  end
  if not nc.name or nc.name == "" then fail(join(path, "name"), "missing: the HNS network name") end
  nc.ipam = read_ipam(t, path)
  nc.dns = read_dns(t, "dns", path)
  nc.runtime = read_runtime(t, path)
  if nc.dialect == "cni-plugins" then
    local v = want_int(t, "apiVersion", path)
    if v == nil or v == 0 then
      nc.api_version = 1
    elseif v == 1 or v == 2 then
      nc.api_version = v
    else
      -- win-bridge/win-overlay cmdAdd: anything but 2 takes the HNS v1 path.
      nc.api_version = 1
      nc.warnings[#nc.warnings + 1] = string.format("%s: %d is neither 1 nor 2; %s takes the HNS v1 path as for 1",
                                                    join(path, "apiVersion"), v, nc.type)
    end
    nc.policies = read_kvps(t, "policies", path) or {}
    nc.loopback_dsr = want_bool(t, "loopbackDSR", path) or false
    if nc.type == "win-bridge" then
      nc.ip_masq_network = want_string(t, "ipMasqNetwork", path) or ""
    else
      nc.ip_masq = want_bool(t, "ipMasq", path) or false
      nc.endpoint_mac_prefix = want_string(t, "endpointMacPrefix", path) or ""
    end
  else
    nc.api_version = nc.dialect == "wincni" and 1 or 2
    nc.additional_args = read_kvps(t, "AdditionalArgs", path) or {}
    if nc.dialect == "sdn" then
      local f, fk = want_object(t, "optionalFlags", path)
      f = f or {}
      local fp = join(path, fk or "optionalFlags")
      nc.flags = {
        local_routed_port_mapping = want_bool(f, "localRoutedPortMapping", fp) or false,
        allow_acl_port_mapping = want_bool(f, "allowAclPortMapping", fp) or false,
        force_bridge_gateway = want_bool(f, "forceBridgeGateway", fp) or false,
        enable_dual_stack = want_bool(f, "enableDualStack", fp) or false,
        loopback_dsr = want_bool(f, "loopbackDSR", fp) or false,
        gateway_from_additional_routes = want_bool(f, "gatewayFromAdditionalRoutes", fp) or false,
      }
      nc.additional_routes = read_routes(t, "additionalRoutes", path) or {}
    end
  end
  return nc
end

-- parse(conf[, opts]) -> normalised netconf, or nil and an error.
-- opts.type forces the plugin type (a delegate flannel has not typed yet);
-- opts.path prefixes field names in errors ("delegate").
function M.parse(conf, opts)
  opts = opts or {}
  local t, err = M.decode(conf)
  if not t then return nil, err end
  local ok, res = pcall(parse_body, t, opts.path or "", opts.type)
  if ok then return res end
  if type(res) == "table" and res.netconf_error then return nil, res.netconf_error end
  error(res, 0)
end

-- The runtime's view of a configuration's capabilities (libcni
-- injectRuntimeConfig): only capabilities the configuration turns on are
-- given to it, under runtimeConfig.
function M.inject_runtime_config(t, runtime)
  if not runtime then return t end
  local caps = M.field(t, "capabilities")
  local rc = {}
  local any = false
  if type(caps) == "table" then
    for cap, on in sorted_pairs(caps) do
      if on == true and runtime[cap] ~= nil then
        rc[cap] = runtime[cap]
        any = true
      end
    end
  end
  if not any then return t end
  local copy = {}
  for k, v in sorted_pairs(t) do copy[k] = v end
  local old = M.field(copy, "runtimeConfig")
  if type(old) == "table" then
    for k, v in sorted_pairs(old) do if rc[k] == nil then rc[k] = v end end
  end
  copy.runtimeConfig = rc
  return copy
end

return M
