-- kubeproxy/model.lua: kube-proxy winkernel's own view of Services and
-- endpoints, built from the cluster (kubeproxy/cluster.lua) the way its change
-- trackers build it: one serviceInfo per service port, one endpointInfo per
-- (service port, endpoint), and a signature per Service so a sync knows which
-- Services and which slices changed since the last one.
--
-- Sources (kubernetes/kubernetes, pkg/proxy): winkernel/proxier.go
-- newServiceInfo, newEndpointInfo, conjureMac, Enum; servicechangetracker.go
-- and endpointschangetracker.go (changes are tracked per Service, previous
-- against current, and collapse when equal); endpointslicecache.go (a
-- service port's endpoints are sorted by "ip:port", "to simplify diffing");
-- types.go ServicePortName.String() ("ns/name:port", or "ns/name" when the
-- port has no name).
--
-- Invariant: every object here is fresh for each change, as in kube-proxy:
-- an endpointInfo starts with no HNS ID and a private reference count, and a
-- serviceInfo with no load balancer IDs and policyApplied false.
local cluster = require("kubeproxy.cluster")
local M = {}

-- Protocol numbers HNS takes (proxier.go Enum): TCP 6, UDP 17, SCTP 132.
M.PROTOCOL = {TCP = 6, UDP = 17, SCTP = 132}

function M.family_of(ip) return cluster.is_ipv4(ip) and "IPv4" or "IPv6" end

function M.port_name(key, port) return port ~= "" and (key .. ":" .. port) or key end

-- The 16 bytes of an IPv6 address text (RFC 4291 forms, an embedded IPv4
-- tail included), or nil.
local function ipv6_bytes(s)
  local head, tail = s, nil
  local v4 = s:match(":(%d+%.%d+%.%d+%.%d+)$")
  if v4 then head = s:sub(1, #s - #v4) .. "0:0" end
  local left, right = head:match("^(.-)::(.-)$")
  local groups = {}
  local function split(part, into)
    if part == "" then return true end
    for g in (part .. ":"):gmatch("([^:]*):") do
      if not g:match("^%x%x?%x?%x?$") then return false end
      into[#into + 1] = tonumber(g, 16)
    end
    return true
  end
  if left then
    local l, r = {}, {}
    if not split(left, l) or not split(right, r) or #l + #r > 7 then return nil end
    for _, g in ipairs(l) do groups[#groups + 1] = g end
    for _ = 1, 8 - #l - #r do groups[#groups + 1] = 0 end
    for _, g in ipairs(r) do groups[#groups + 1] = g end
  elseif not split(head, groups) or #groups ~= 8 then
    return nil
  end
  local bytes = {}
  for _, g in ipairs(groups) do
    bytes[#bytes + 1] = g >> 8
    bytes[#bytes + 1] = g & 0xff
  end
  if v4 then
    local a, b, c, d = v4:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
    bytes[13], bytes[14], bytes[15], bytes[16] = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
  end
  return bytes
end

-- The MAC kube-proxy makes up for a remote endpoint (proxier.go conjureMac):
-- the prefix ("02-11") and the four bytes of an IPv4 address in lower-case
-- hex; for IPv6 the last four bytes, last first; "02-11-22-33-44-55" when the
-- text is no address. Never sent on the wire, only kept unique per backend.
function M.conjure_mac(prefix, ip)
  local a, b, c, d = ip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if a then return string.format("%s-%02x-%02x-%02x-%02x", prefix, tonumber(a), tonumber(b), tonumber(c), tonumber(d)) end
  local bytes = ipv6_bytes(ip)
  if bytes then return string.format("%s-%02x-%02x-%02x-%02x", prefix, bytes[16], bytes[15], bytes[14], bytes[13]) end
  return "02-11-22-33-44-55"
end

-- ---- services ----

-- What of a Service this proxier's family sees (a single-stack proxier
-- ignores a Service whose ClusterIP is of the other family, and external and
-- ingress IPs of the other family), as a canonical text: two Services with
-- the same text make the same serviceInfos.
function M.service_view(svc, family)
  if not svc or M.family_of(svc.cluster_ip) ~= family then return nil end
  local view = {
    cluster_ip = svc.cluster_ip, ports = svc.ports, session_affinity = svc.session_affinity,
    external_traffic_policy = svc.external_traffic_policy, internal_traffic_policy = svc.internal_traffic_policy,
    health_check_node_port = svc.health_check_node_port, annotations = svc.annotations,
    external_ips = {}, ingress_ips = {},
  }
  for _, ip in ipairs(svc.external_ips) do
    if M.family_of(ip) == family then view.external_ips[#view.external_ips + 1] = ip end
  end
  for _, ip in ipairs(svc.ingress_ips) do
    if M.family_of(ip) == family then view.ingress_ips[#view.ingress_ips + 1] = ip end
  end
  return view, json.encode(view)
end

-- newServiceInfo: one serviceInfo per port of the Service. `dsr_supported`
-- is hcn DsrSupported(): without it preserve-destination and the DSR of
-- externalTrafficPolicy Local are dropped (proxier.go newServiceInfo).
function M.service_infos(key, view, dsr_supported)
  local out = {}
  local preserve_dip = view.annotations["preserve-destination"] == "true"
  -- "winProxyOptimization" is on unless the annotation says DISABLED, in any case.
  local optimization = string.upper(view.annotations["winProxyOptimization"] or "") ~= "DISABLED"
  local local_dsr = view.external_traffic_policy == "Local"
  if not dsr_supported then
    preserve_dip, local_dsr = false, false
  end
  for _, p in ipairs(view.ports) do
    local spn = M.port_name(key, p.name)
    local info = {
      spn = spn, key = key, cluster_ip = view.cluster_ip, protocol = p.protocol, port = p.port,
      node_port = p.node_port,
      -- a named target port is 0 here and taken from the first endpoint at sync
      target_port = type(p.target_port) == "number" and p.target_port or 0,
      session_affinity_client_ip = view.session_affinity == "ClientIP",
      health_check_node_port = view.health_check_node_port,
      preserve_dip = preserve_dip, local_traffic_dsr = local_dsr,
      internal_traffic_local = view.internal_traffic_policy == "Local",
      win_proxy_optimization = optimization,
      hns_id = "", node_port_hns_id = "", policy_applied = false, remote_endpoint = nil,
      external_ips = {}, ingress_ips = {},
    }
    for i, ip in ipairs(view.external_ips) do info.external_ips[i] = {ip = ip, hns_id = ""} end
    for i, ip in ipairs(view.ingress_ips) do info.ingress_ips[i] = {ip = ip, hns_id = "", health_check_hns_id = ""} end
    out[spn] = info
  end
  return out
end

-- ---- endpoints ----

-- What of a slice this proxier sees: per port name, the endpoints of its
-- family with their port and whether they are on this node, sorted by
-- "ip:port" (endpointslicecache.go byEndpoint). nil when nothing is left.
function M.slice_view(slice, hostname, family)
  if not slice then return nil end
  local view = {}
  local any = false
  for _, p in ipairs(slice.ports) do
    local list = {}
    for _, e in ipairs(slice.endpoints) do
      if M.family_of(e.ip) == family then
        list[#list + 1] = {
          ip = e.ip, port = p.port, is_local = e.node ~= "" and e.node == hostname,
          ready = e.ready, serving = e.serving, terminating = e.terminating,
        }
      end
    end
    table.sort(list, function(x, y)
      local a, b = x.ip .. ":" .. x.port, y.ip .. ":" .. y.port
      return a < b
    end)
    if #list > 0 then
      view[p.name] = list
      any = true
    end
  end
  if not any then return nil end
  return view, json.encode(view)
end

-- newEndpointInfo for each endpoint of each port of the slice: spn -> list.
function M.endpoint_infos(key, view)
  local out = {}
  for pname, list in sorted_pairs(view) do
    local eps = {}
    for i, e in ipairs(list) do
      eps[i] = {
        ip = e.ip, port = e.port, is_local = e.is_local,
        mac = M.conjure_mac("02-11", e.ip),
        ready = e.ready, serving = e.serving, terminating = e.terminating,
        hns_id = "",
        -- Go's `refCount: new(uint16)`: a counter of its own until a sync
        -- points it at the shared one of its HNS endpoint.
        ref = {n = 0},
      }
    end
    out[M.port_name(key, pname)] = eps
  end
  return out
end

return M
