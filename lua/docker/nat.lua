-- docker/nat.lua: Docker's NAT network on a Windows host as dockerd's
-- Windows network driver makes it through HNSCall (hns-api-facts.md §6:
-- the default network "nat" on an internal vSwitch with prefix
-- 172.16.0.0/16 by default; "Outbound routed through the host mgmt vNIC
-- bound to WinNAT. Port forwarding host->container supported"; the v1 NAT
-- policy {"Type":"NAT","Protocol","InternalPort","ExternalPort"}, hcsshim
-- internal/hns/hnspolicy.go). It acts only through the host's HNS, so
-- every call is recorded. Endpoint names: "<container>_nat" (inferred;
-- dockerd names HNS endpoints by its own endpoint ID).
local nat = {}
nat.__index = nat

local PREFIX, GATEWAY = "172.16.0.0/16", "172.16.0.1"

-- The daemon on host `h`: finds its "nat" network, or creates it as dockerd
-- does at start when HNS has none (after a reboot on WS2019 and later, NAT
-- networks are not persisted: §6).
function nat.daemon(h)
  local d = setmetatable({host = h, containers = {}}, nat)
  d:ensure_network()
  return d
end

-- The "nat" network's ID, created when HNS has none; returns it and
-- whether this call created it.
function nat:ensure_network()
  local list = self.host:must(self.host:hnscall("GET", "/networks/"))
  for _, n in ipairs(list.output or {}) do
    if n.Name == "nat" then
      self.network = n.ID
      return n.ID, false
    end
  end
  local n = self.host:must(self.host:hnscall("POST", "/networks", {
    Name = "nat", Type = "nat", Subnets = {{AddressPrefix = PREFIX, GatewayAddress = GATEWAY}},
  }))
  self.network = n.id
  return n.id, true
end

-- docker run: the container's endpoint on "nat" (HNS picks its address)
-- with one NAT policy per published port, attached to the container.
-- publish: {{host = 8080, container = 80, proto = "tcp"}, ...}. Returns the
-- endpoint's address, or nil and HNS's error.
function nat:run(name, publish)
  local policies = {}
  for _, p in ipairs(publish or {}) do
    policies[#policies + 1] = {Type = "NAT", Protocol = string.upper(p.proto or "tcp"),
                               InternalPort = p.container, ExternalPort = p.host}
  end
  local body = {Name = name .. "_nat", VirtualNetworkName = "nat"}
  if #policies > 0 then body.Policies = policies end
  local ep = self.host:hnscall("POST", "/endpoints", body)
  if not ep.ok then return nil, ep.error end
  local at = self.host:hnscall("POST", "/endpoints/" .. ep.id .. "/attach", {ContainerId = name, SystemType = "Container"})
  if not at.ok then
    self.host:hnscall("DELETE", "/endpoints/" .. ep.id)
    return nil, at.error
  end
  self.containers[name] = ep.id
  return ep.output.IPAddress
end

-- docker rm: the endpoint detached and deleted; false when there is none.
function nat:rm(name)
  local id = self.containers[name]
  if not id then return false end
  self.host:must(self.host:hnscall("POST", "/endpoints/" .. id .. "/detach", {ContainerId = name, SystemType = "Container"}))
  self.host:must(self.host:hnscall("DELETE", "/endpoints/" .. id))
  self.containers[name] = nil
  return true
end

return nat
