-- kubeproxy/inspect.lua: read-only views of what a host's HNS holds, for
-- scenarios that check kube-proxy's work: its load balancers and endpoints,
-- read the way any HCN client reads them (enumerate, then query each), never
-- from the model. A refused read raises (h:must), naming the call.
local M = {}

local V2 = {Major = 2, Minor = 0}

local function all(h, kind)
  local out = {}
  for _, id in ipairs(h:must(h:enumerate(kind, {SchemaVersion = V2, Flags = 0})).output or {}) do
    out[#out + 1] = h:must(h:query(kind, id)).output
  end
  return out
end

-- Every endpoint: {id, name, ip, mac, remote, provider_address, network},
-- sorted by IP then ID.
function M.endpoints(h)
  local out = {}
  for _, d in ipairs(all(h, "endpoint")) do
    local e = {id = d.ID, name = d.Name, ip = ((d.IpConfigurations or {})[1] or {}).IpAddress or "",
               mac = d.MacAddress or "", remote = ((d.Flags or 0) & 1) ~= 0, network = d.HostComputeNetwork}
    for _, pol in ipairs(d.Policies or {}) do
      if pol.Type == "ProviderAddress" and type(pol.Settings) == "table" then e.provider_address = pol.Settings.ProviderAddress end
    end
    out[#out + 1] = e
  end
  table.sort(out, function(a, b) if a.ip ~= b.ip then return a.ip < b.ip end return a.id < b.id end)
  return out
end

-- The remote endpoints (Flags RemoteEndpoint), sorted by IP.
function M.remote_endpoints(h)
  local out = {}
  for _, e in ipairs(M.endpoints(h)) do if e.remote then out[#out + 1] = e end end
  return out
end

-- The IPs of a list of endpoints, in its order.
function M.ips(list)
  local out = {}
  for i, e in ipairs(list) do out[i] = e.ip end
  return out
end

-- Every load balancer, one entry per port mapping: {id, vip ("" for a
-- NodePort), protocol, internal_port, external_port, distribution, pm_flags,
-- flags, dsr, source_vip, endpoints (IDs), backends (their IPs, sorted)},
-- sorted by VIP, protocol, external port, ID.
function M.loadbalancers(h)
  local ip_of = {}
  for _, e in ipairs(M.endpoints(h)) do ip_of[string.upper(e.id)] = e.ip end
  local out = {}
  for _, d in ipairs(all(h, "loadbalancer")) do
    for _, pm in ipairs(d.PortMappings or {}) do
      local lb = {
        id = d.ID, vip = (d.FrontendVIPs or {})[1] or "", protocol = pm.Protocol or 0, internal_port = pm.InternalPort or 0,
        external_port = pm.ExternalPort or 0, distribution = pm.DistributionType or 0, pm_flags = pm.Flags or 0,
        flags = d.Flags or 0, dsr = ((d.Flags or 0) & 1) ~= 0, source_vip = d.SourceVIP or "",
        endpoints = d.HostComputeEndpoints or {}, backends = {},
      }
      for i, id in ipairs(lb.endpoints) do lb.backends[i] = ip_of[string.upper(id)] or ("?" .. id) end
      table.sort(lb.backends)
      out[#out + 1] = lb
    end
  end
  table.sort(out, function(a, b)
    if a.vip ~= b.vip then return a.vip < b.vip end
    if a.protocol ~= b.protocol then return a.protocol < b.protocol end
    if a.external_port ~= b.external_port then return a.external_port < b.external_port end
    return a.id < b.id
  end)
  return out
end

-- The load balancers answering vip:port (vip "" for a NodePort), protocol
-- 6 unless given.
function M.find(h, vip, port, protocol)
  local out = {}
  for _, lb in ipairs(M.loadbalancers(h)) do
    if lb.vip == vip and lb.external_port == port and lb.protocol == (protocol or 6) then out[#out + 1] = lb end
  end
  return out
end

-- A one-line summary per load balancer, for expect.equal over the whole table:
-- "<vip>:<port>/<proto> -> <internal> [<backends>] flags=<f> pm=<pmflags> dist=<d>".
function M.summary(h)
  local out = {}
  for _, lb in ipairs(M.loadbalancers(h)) do
    out[#out + 1] = string.format("%s:%d/%d -> %d [%s] flags=%d pm=%d dist=%d%s", lb.vip ~= "" and lb.vip or "<node>",
                                  lb.external_port, lb.protocol, lb.internal_port, table.concat(lb.backends, ","), lb.flags,
                                  lb.pm_flags, lb.distribution, lb.source_vip ~= "" and (" src=" .. lb.source_vip) or "")
  end
  return out
end

return M
