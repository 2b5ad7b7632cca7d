-- kubeproxy/features.lua: the HNS features kube-proxy reads before it
-- programs anything, computed the way its HCN library does: from the HNS
-- version that `GET /globals/version` answers, against a table of version
-- ranges.
--
-- Sources: hcsshim hcn/hcnglobals.go and hcn/hcnsupport.go (GetGlobals is an
-- HNSCall GET /globals/version; GetSupportedFeatures checks each feature's
-- ranges; a failed version query turns every feature off), hnslib's range for
-- ModifyLoadbalancer (kube-proxy imports hnslib since kubernetes#131506), as
-- tabulated in docs/profiles.md "HCN feature gates". Only the features
-- winkernel reads are listed (proxier.go NewProxier and newServiceInfo:
-- Api.V2, DSR, RemoteSubnet, SessionAffinity, IPv6DualStack,
-- ModifyLoadbalancer).
local M = {}

local MAX = math.maxinteger -- "9.max" in hcsshim's notation

-- Each feature: a list of {min major, min minor[, max major, max minor]}
-- ranges, ORed; a range without a maximum is open-ended.
local RANGES = {
  ApiV2 = {{9, 2}},
  RemoteSubnet = {{9, 2}},
  DSR = {{9, 3, 9, MAX}, {10, 2}},
  SessionAffinity = {{12, 0}},
  IPv6DualStack = {{11, 10}},
  ModifyLoadbalancer = {{15, 5, 15, MAX}, {16, 0}},
}

-- The names a scenario may give in an override table, in a fixed order.
M.NAMES = {"ApiV1", "ApiV2", "DSR", "IPv6DualStack", "ModifyLoadbalancer", "RemoteSubnet", "SessionAffinity"}

local function at_least(major, minor, a, b) return major > a or (major == a and minor >= b) end
local function at_most(major, minor, a, b) return major < a or (major == a and minor <= b) end

-- The features of an HNS at version major.minor.
function M.for_version(major, minor)
  local f = {ApiV1 = true, version = {major, minor}}
  for _, name in ipairs(M.NAMES) do
    local ranges = RANGES[name]
    if ranges then
      local on = false
      for _, r in ipairs(ranges) do
        if at_least(major, minor, r[1], r[2]) and (r[3] == nil or at_most(major, minor, r[3], r[4])) then on = true end
      end
      f[name] = on
    end
  end
  return f
end

-- Every feature off: what hcsshim reports when the version query fails
-- (before 1803, "this is expected on pre 1803 builds").
function M.none()
  local f = {}
  for _, name in ipairs(M.NAMES) do f[name] = false end
  return f
end

-- Reads the host's HNS version as the HCN library does and returns the
-- features, plus the call's result table.
function M.read(h)
  local r = h:hnscall("GET", "/globals/version")
  if not r.ok or type(r.output) ~= "table" or math.type(r.output.Major) ~= "integer" then return M.none(), r end
  return M.for_version(r.output.Major, r.output.Minor or 0), r
end

-- Applies a scenario's override {DSR = true, ...} on top of `f`; an unknown
-- name is an error naming it, raised at `level` as seen from the caller.
function M.override(f, over, level)
  level = level + 1
  if over == nil then return f end
  if type(over) ~= "table" then error("kubeproxy: features: expected a table of feature = boolean", level) end
  for name, v in sorted_pairs(over) do
    local known = false
    for _, n in ipairs(M.NAMES) do if n == name then known = true end end
    if not known then
      error(string.format("kubeproxy: features: unknown feature '%s' (known: %s)", tostring(name), table.concat(M.NAMES, ", ")), level)
    end
    if type(v) ~= "boolean" then error(string.format("kubeproxy: features.%s: expected a boolean", name), level) end
    f[name] = v
  end
  return f
end

return M
