-- kubeproxy/sync.lua: one kube-proxy winkernel sync (syncProxyRules) and the
-- clean-ups its change trackers trigger, over a proxier `p`
-- (kubeproxy/winkernel.lua owns it) and its HNS client (kubeproxy/hns.lua).
--
-- Sources, kubernetes/kubernetes pkg/proxy/winkernel: proxier.go (the
-- revision with ModifyLoadbalancer, winProxyOptimization and
-- terminatedEndpoints: syncProxyRules, serviceMapChange,
-- onServiceMapChange, endpointsMapChange, onEndpointsMapChange,
-- updateTerminatedEndpoints, cleanupAllPolicies, deleteLoadBalancerPolicy,
-- endpointInfo.Cleanup and DecrementRefCount, isAllEndpointsTerminating,
-- isAllEndpointsNonServing, deleteExistingLoadBalancer,
-- cleanupStaleLoadbalancers, MAX_COUNT_STALE_LOADBALANCERS) and
-- loadbalancer.go (manageLoadbalancer and one manage* per load-balancer
-- kind: ClusterIP, NodePort, ExternalIP, IngressIP, HealthCheck);
-- pkg/proxy/endpointschangetracker.go (the endpoints callback runs once per
-- changed Service, before the map is merged). Summary in
-- consumers-and-pain-points.md §1.3-§1.8.
--
-- Where kube-proxy walks a Go map (random order), hnsim walks it in byte
-- order of the key, so every run makes the same calls: service ports by
-- "ns/name:port", changed Services by "ns/name", stale load balancers and
-- terminated endpoints by ID and IP. This matters where the order changes
-- the outcome: terminatedEndpoints is cleared for each changed Service, so
-- when several Services' endpoints change in one sync, only the last one's
-- terminated remote endpoints are looked at and the others' stay in HNS
-- (kubernetes#135144, fixed by PR#135146: clear_terminated_once); which
-- Service is last is random there, the greatest name here.
local hns = require("kubeproxy.hns")
local model = require("kubeproxy.model")
local M = {}

-- ---- reference counts of remote endpoints (proxier.go endPointsRefCount) ----

-- The shared counter of an HNS endpoint, made on first use (getRefCount).
local function ref_of(p, hns_id)
  local r = p.ref_counts[hns_id]
  if not r then
    r = {n = 0}
    p.ref_counts[hns_id] = r
  end
  return r
end

-- Counters are Go uint16s: they wrap.
local function inc(r) r.n = (r.n + 1) % 65536 end
local function dec(r) r.n = (r.n - 1) % 65536 end

-- DecrementRefCount: an endpoint change under winProxyOptimization.
local function ep_decrement(ep)
  if not ep.is_local and ep.ref and ep.ref.n > 0 then dec(ep.ref) end
end

-- Cleanup: drop this service port's reference and delete the remote
-- endpoint when nobody refers to it. Local endpoints are the CNI's and are
-- never deleted.
local function ep_cleanup(p, ep)
  if ep.is_local or not ep.ref then return end
  dec(ep.ref)
  if ep.ref.n == 0 then
    p.log("info", "removing remote endpoint %s (%s): no service refers to it", ep.hns_id, ep.ip)
    if hns.delete_endpoint(p.c, ep.hns_id, "endpointInfo.Cleanup") then ep.hns_id = "" end
  end
  ep.ref = nil
end

-- ---- load balancer deletion ----

local function mark_stale(p, id) p.stale_lbs[id] = true end

-- deleteLoadBalancerPolicy: every load balancer of the service port. A failed
-- delete leaves the ID to cleanupStaleLoadbalancers; external IPs are marked
-- stale before the attempt, whatever its outcome (as proxier.go does).
local function delete_lb_policy(p, svc)
  if hns.delete_load_balancer(p.c, svc.hns_id, "deleteLoadBalancerPolicy ClusterIP") then svc.hns_id = ""
  else mark_stale(p, svc.hns_id) end
  if hns.delete_load_balancer(p.c, svc.node_port_hns_id, "deleteLoadBalancerPolicy NodePort") then svc.node_port_hns_id = ""
  else mark_stale(p, svc.node_port_hns_id) end
  for _, e in ipairs(svc.external_ips) do
    mark_stale(p, e.hns_id)
    if hns.delete_load_balancer(p.c, e.hns_id, "deleteLoadBalancerPolicy ExternalIP") then e.hns_id = "" end
  end
  for _, g in ipairs(svc.ingress_ips) do
    if hns.delete_load_balancer(p.c, g.hns_id, "deleteLoadBalancerPolicy IngressIP") then g.hns_id = ""
    else mark_stale(p, g.hns_id) end
    if g.health_check_hns_id ~= "" then
      if hns.delete_load_balancer(p.c, g.health_check_hns_id, "deleteLoadBalancerPolicy HealthCheck") then
        g.health_check_hns_id = ""
      else
        mark_stale(p, g.health_check_hns_id)
      end
    end
  end
end

-- serviceInfo.cleanupAllPolicies: an endpoint change under
-- winProxyOptimization keeps the load balancers and only lowers the counts;
-- anything else deletes them and drops the references.
local function cleanup_service(p, svc, endpoints, is_endpoint_change)
  local optimized = is_endpoint_change and svc.win_proxy_optimization
  if not optimized then delete_lb_policy(p, svc) end
  for _, ep in ipairs(endpoints or {}) do
    if optimized then ep_decrement(ep) else ep_cleanup(p, ep) end
  end
  if svc.remote_endpoint then ep_cleanup(p, svc.remote_endpoint) end
  svc.policy_applied = false
end

-- Proxier.cleanupAllPolicies: every service port (the network went away or
-- changed its ID).
function M.cleanup_all(p)
  for spn, svc in sorted_pairs(p.svc_port_map) do cleanup_service(p, svc, p.endpoints_map[spn], false) end
end

-- ---- applying the changes since the last sync ----

local function union_keys(a, b)
  local seen, out = {}, {}
  for k in sorted_pairs(a) do seen[k] = true end
  for k in sorted_pairs(b) do seen[k] = true end
  for k in sorted_pairs(seen) do out[#out + 1] = k end
  return out
end

-- ServicePortMap.Update with serviceMapChange as the callback: per changed
-- Service, the old serviceInfo of each of its ports (current ones first,
-- then removed ones) is cleaned up as a non-endpoint change, then the map
-- takes the new serviceInfos.
local function apply_service_changes(p)
  local names = union_keys(p.cluster.services, p.svc_sig)
  for _, key in ipairs(names) do
    local view, sig = model.service_view(p.cluster.services[key], p.family)
    if sig ~= p.svc_sig[key] then
      local current = view and model.service_infos(key, view, p.features.DSR) or {}
      local previous = p.svc_ports_of[key] or {}
      for spn in sorted_pairs(current) do
        local old = p.svc_port_map[spn]
        if old then cleanup_service(p, old, p.endpoints_map[spn], false) end
      end
      for _, spn in ipairs(previous) do
        if not current[spn] and p.svc_port_map[spn] then
          cleanup_service(p, p.svc_port_map[spn], p.endpoints_map[spn], false)
        end
      end
      for _, spn in ipairs(previous) do p.svc_port_map[spn] = nil end
      local spns = {}
      for spn, info in sorted_pairs(current) do
        p.svc_port_map[spn] = info
        spns[#spns + 1] = spn
      end
      p.svc_ports_of[key] = spns
      p.svc_sig[key] = sig
      p.log("info", "service %s changed: %d port(s)", key, #spns)
    end
  end
end

-- updateTerminatedEndpoints: remote endpoints of the old map are terminated
-- unless the new map still has their IP.
local function update_terminated(p, eps, is_old)
  for _, ep in ipairs(eps) do
    if not ep.is_local then p.terminated[ep.ip] = is_old or nil end
  end
end

local function on_endpoints_map_change(p, spn, redundant)
  local svc = p.svc_port_map[spn]
  if svc then
    if svc.win_proxy_optimization and redundant then return end
    cleanup_service(p, svc, p.endpoints_map[spn], true)
  else
    for _, ep in ipairs(p.endpoints_map[spn] or {}) do ep_cleanup(p, ep) end
  end
end

-- EndpointsMap.Update with endpointsMapChange as the callback, once per
-- changed Service, each time before that Service's ports are merged.
local function apply_endpoint_changes(p)
  local names = union_keys(p.cluster.slices, p.ep_sig)
  for _, key in ipairs(names) do
    local view, sig = model.slice_view(p.cluster.slices[key], p.hostname, p.family)
    if sig ~= p.ep_sig[key] then
      local current = view and model.endpoint_infos(key, view) or {}
      local previous = {}
      for _, spn in ipairs(p.ep_ports_of[key] or {}) do previous[spn] = p.endpoints_map[spn] end
      -- endpointsMapChange; before PR#135146 it starts by clearing the
      -- terminated endpoints, for every changed Service (kubernetes#135144)
      if not p.clear_terminated_once then p.terminated = {} end
      local seen = {}
      for spn, eps in sorted_pairs(previous) do
        seen[spn] = true
        update_terminated(p, eps, true)
        on_endpoints_map_change(p, spn, false)
      end
      for spn, eps in sorted_pairs(current) do
        update_terminated(p, eps, false)
        on_endpoints_map_change(p, spn, seen[spn] or false)
      end
      -- unmerge the previous, merge the current
      for spn in sorted_pairs(previous) do p.endpoints_map[spn] = nil end
      local spns = {}
      for spn, eps in sorted_pairs(current) do
        p.endpoints_map[spn] = eps
        spns[#spns + 1] = spn
      end
      p.ep_ports_of[key] = spns
      p.ep_sig[key] = sig
      p.log("info", "endpoints of %s changed", key)
    end
  end
end

-- ---- one load balancer (loadbalancer.go manageLoadbalancer) ----

local function requires_update(p, hns_id, count)
  return p.features.ModifyLoadbalancer and hns_id ~= "" and count > 0
end

-- deleteExistingLoadBalancer: under winProxyOptimization, the old load
-- balancer goes unless one with the identity the new one would have is
-- already in HNS.
local function delete_existing(p, cfg, queried_lbs)
  if not cfg.win_proxy_optimization or cfg.hns_id == "" then return false end
  local id = hns.identity(cfg.protocol, cfg.internal_port, cfg.external_port, cfg.vip, hns.endpoint_ids(cfg.endpoints))
  if queried_lbs[id] then return false end
  if not hns.delete_load_balancer(p.c, cfg.hns_id, "deleteExistingLoadBalancer " .. cfg.kind) then
    mark_stale(p, cfg.hns_id)
  end
  cfg.hns_id = ""
  return true
end

local function manage(p, cfg, queried_lbs)
  local context = cfg.kind .. " " .. (cfg.vip ~= "" and cfg.vip or "<node>") .. ":" .. cfg.external_port
  if requires_update(p, cfg.hns_id, #cfg.endpoints) and cfg.available then
    local lb, err = hns.update_load_balancer(p.c, cfg.hns_id, cfg.endpoints, cfg.flags, cfg.src_vip, cfg.vip, cfg.protocol,
                                             cfg.internal_port, cfg.external_port, queried_lbs, "updateLoadBalancer " .. context)
    if not lb then
      if hns.is_not_implemented(err) then
        p.log("warning", "updating load balancers is not implemented: falling back to delete and create")
        p.features.ModifyLoadbalancer = false
      else
        return false
      end
    end
  end
  if not requires_update(p, cfg.hns_id, #cfg.endpoints) then
    delete_existing(p, cfg, queried_lbs)
    if #cfg.endpoints > 0 and cfg.available then
      local lb = hns.get_load_balancer(p.c, cfg.endpoints, cfg.flags, cfg.src_vip, cfg.vip, cfg.protocol, cfg.internal_port,
                                       cfg.external_port, queried_lbs, "getLoadBalancer " .. context)
      if not lb then return false end
      cfg.hns_id = lb.hns_id
    else
      p.log("info", "%s: no load balancer made: no endpoints available", context)
    end
  end
  return true
end

local function base_flags(p, svc)
  return {session_affinity = svc.session_affinity_client_ip, is_ipv6 = p.family == "IPv6"}
end

local function lb_config(p, svc, kind, hns_id, src_vip, vip, internal, external, flags, endpoints, available)
  return {
    kind = kind, hns_id = hns_id, src_vip = src_vip, vip = vip, protocol = model.PROTOCOL[svc.protocol],
    internal_port = internal, external_port = external, flags = flags, endpoints = endpoints,
    win_proxy_optimization = svc.win_proxy_optimization, available = available,
  }
end

-- manageClusterIPLoadbalancer: DSR as --enable-dsr says, SourceIP
-- distribution for ClientIP affinity; always "available".
local function manage_cluster_ip(p, svc, src_vip, endpoints, queried_lbs)
  local flags = base_flags(p, svc)
  flags.is_dsr = p.is_dsr
  local cfg = lb_config(p, svc, "ClusterIP", svc.hns_id, src_vip, svc.cluster_ip, svc.target_port, svc.port, flags, endpoints, true)
  local ok = manage(p, cfg, queried_lbs)
  svc.hns_id = cfg.hns_id
  return ok
end

-- manageNodePortLoadbalancer: no frontend VIP (every node address),
-- VipExternalIP and LocalRoutedVIP, DSR only for externalTrafficPolicy Local.
local function manage_node_port(p, svc, src_vip, endpoints, queried_lbs, available)
  if svc.node_port <= 0 then return true end
  local flags = base_flags(p, svc)
  flags.is_vip_external_ip, flags.local_routed_vip, flags.is_dsr = true, true, svc.local_traffic_dsr
  local cfg = lb_config(p, svc, "NodePort", svc.node_port_hns_id, src_vip, "", svc.target_port, svc.node_port, flags, endpoints,
                        available)
  local ok = manage(p, cfg, queried_lbs)
  svc.node_port_hns_id = cfg.hns_id
  return ok
end

-- manageExternalIPLoadbalancers: one per external IP, VipExternalIP, DSR
-- only for externalTrafficPolicy Local.
local function manage_external_ips(p, svc, src_vip, endpoints, queried_lbs, available)
  for _, e in ipairs(svc.external_ips) do
    local flags = base_flags(p, svc)
    flags.is_vip_external_ip, flags.is_dsr = true, svc.local_traffic_dsr
    local cfg = lb_config(p, svc, "ExternalIP", e.hns_id, src_vip, e.ip, svc.target_port, svc.port, flags, endpoints, available)
    local ok = manage(p, cfg, queried_lbs)
    e.hns_id = cfg.hns_id
    if not ok then return false end
  end
  return true
end

-- manageIngressIPLoadbalancers: per ingress IP an ingress load balancer
-- (VipExternalIP; DSR for preserve-destination or externalTrafficPolicy
-- Local; UseMux and PreserveDIP for preserve-destination) and a health-check
-- one forwarding <ingress IP>:<health port> to the root HNS endpoint (only
-- with --forward-healthcheck-vip and that endpoint found; never DSR).
local function manage_ingress_ips(p, svc, src_vip, endpoints, queried_lbs, available)
  local health_port = svc.health_check_node_port ~= 0 and svc.health_check_node_port or p.healthz_port
  local gw_endpoints = {}
  if p.forward_healthcheck_vip and available then
    local gw = hns.get_endpoint_by_name(p.c, p.root_hns_endpoint_name)
    if gw then gw_endpoints[1] = gw end
  end
  for _, g in ipairs(svc.ingress_ips) do
    local flags = base_flags(p, svc)
    flags.is_vip_external_ip = true
    flags.is_dsr = svc.preserve_dip or svc.local_traffic_dsr
    flags.use_mux, flags.preserve_dip = svc.preserve_dip, svc.preserve_dip
    local cfg = lb_config(p, svc, "IngressIP", g.hns_id, src_vip, g.ip, svc.target_port, svc.port, flags, endpoints, available)
    local ok = manage(p, cfg, queried_lbs)
    g.hns_id = cfg.hns_id
    if not ok then return false end
    local hflags = {is_dsr = false, use_mux = svc.preserve_dip, preserve_dip = svc.preserve_dip, is_ipv6 = p.family == "IPv6"}
    local hcfg = lb_config(p, svc, "HealthCheck", g.health_check_hns_id, src_vip, g.ip, health_port, health_port, hflags,
                           gw_endpoints, available)
    ok = manage(p, hcfg, queried_lbs)
    g.health_check_hns_id = hcfg.hns_id
    if not ok then return false end
  end
  return true
end

-- ---- one service port ----

local function all_terminating(p, spn, local_dsr)
  for _, ep in ipairs(p.endpoints_map[spn] or {}) do
    if not (local_dsr and not ep.is_local) and (ep.ready or ep.terminating) and not ep.terminating then return false end
  end
  return true
end

local function all_non_serving(p, spn, local_dsr)
  for _, ep in ipairs(p.endpoints_map[spn] or {}) do
    if not (local_dsr and not ep.is_local) and ep.serving then return false end
  end
  return true
end

local function remember(queried, ep)
  queried[ep.hns_id] = ep
  queried[ep.ip] = ep
end

-- Returns "abort" when the whole sync must stop (the network is gone while
-- looking up a remote subnet).
local function sync_service(p, spn, svc, queried_eps, queried_lbs)
  if svc.policy_applied then return end
  local overlay = hns.is_overlay(p.network)
  -- Overlay: the service VIP as a remote endpoint, MAC = host MAC, PA = node IP.
  if overlay and not queried_eps[svc.cluster_ip] then
    local vip_ep = hns.create_endpoint(p.c, {ip = svc.cluster_ip, is_local = false, mac = p.host_mac,
                                              provider_address = p.node_ip}, p.network.name, "service VIP endpoint " .. spn)
    if not vip_ep then return end
    vip_ep.ref = ref_of(p, vip_ep.hns_id)
    inc(vip_ep.ref)
    svc.remote_endpoint = vip_ep
    remember(queried_eps, vip_ep)
  end

  local hns_eps, local_eps = {}, {}
  local contains_public, contains_node = false, false
  local every_terminating, every_non_serving, some_serving = false, false, true
  if #svc.ingress_ips > 0 then
    every_terminating = all_terminating(p, spn, svc.local_traffic_dsr)
    every_non_serving = all_non_serving(p, spn, svc.local_traffic_dsr)
    some_serving = not every_non_serving
  end

  for _, ep in ipairs(p.endpoints_map[spn] or {}) do
    local skip = false
    if svc.internal_traffic_local and svc.local_traffic_dsr and not ep.is_local then skip = true end
    if not skip and some_serving then
      if not every_terminating and not ep.ready then skip = true
      elseif not ep.serving then skip = true end
    end
    if not skip then
      if svc.target_port == 0 then svc.target_port = ep.port end
      local found
      if ep.hns_id ~= "" then found = queried_eps[ep.hns_id] end
      if not found then found = queried_eps[ep.ip] end
      if not found then
        if ep.is_local then
          p.log("error", "%s: local endpoint %s not found on network %s", spn, ep.ip, p.network.name)
          skip = true
        elseif overlay then
          local updated = hns.get_network_by_name(p.c, p.network.name, "remote subnet lookup")
          if not updated then
            p.log("error", "network %s not found while looking up remote subnets: cleaning up", p.network.name)
            M.cleanup_all(p)
            return "abort"
          end
          p.network = updated
          local pa = hns.find_provider_address(p.network, ep.ip)
          if pa == "" then pa = p.node_ip end -- "assuming it is a public IP"
          found = hns.create_endpoint(p.c, {ip = ep.ip, is_local = false, mac = model.conjure_mac("02-11", ep.ip),
                                            provider_address = pa}, p.network.name, "remote endpoint " .. ep.ip)
        else
          found = hns.create_endpoint(p.c, {ip = ep.ip, is_local = false, mac = ep.mac}, p.network.name,
                                      "remote endpoint " .. ep.ip)
        end
        if found then remember(queried_eps, found) elseif not skip then skip = true end
      end
      if not skip then
        -- SourceVIP choice on overlay: node IP when a backend is a node or "public" IP.
        if overlay and not ep.is_local then
          local pa = hns.find_provider_address(p.network, ep.ip)
          contains_node = contains_node or ep.ip == pa
          contains_public = contains_public or pa == ""
        end
        hns_eps[#hns_eps + 1] = found
        if found.is_local then
          local_eps[#local_eps + 1] = found
        else
          ep.ref = ref_of(p, found.hns_id)
          inc(ep.ref)
        end
        ep.hns_id = found.hns_id
      end
    end
  end

  if #hns_eps == 0 then
    if svc.win_proxy_optimization then delete_lb_policy(p, svc) end
    p.log("info", "%s: no endpoint information: no policy applied", spn)
    return
  end

  local src_vip = p.source_vip
  if contains_public or contains_node then src_vip = p.node_ip end
  if svc.session_affinity_client_ip and not p.features.SessionAffinity then
    p.log("info", "%s: session affinity is not supported on this version of Windows", spn)
  end
  local available = not every_terminating and not every_non_serving
  local cluster_eps = svc.internal_traffic_local and local_eps or hns_eps
  local external_eps = svc.local_traffic_dsr and local_eps or hns_eps
  local node_eps = (svc.preserve_dip or svc.local_traffic_dsr) and local_eps or hns_eps

  if not manage_cluster_ip(p, svc, src_vip, cluster_eps, queried_lbs) then return end
  if not manage_node_port(p, svc, src_vip, node_eps, queried_lbs, available) then return end
  if not manage_external_ips(p, svc, src_vip, external_eps, queried_lbs, available) then return end
  if not manage_ingress_ips(p, svc, src_vip, node_eps, queried_lbs, available) then return end
  svc.policy_applied = true
  p.log("info", "%s: policy applied", spn)
end

-- cleanupStaleLoadbalancers: at most 20 retried deletes per sync.
local MAX_COUNT_STALE_LOADBALANCERS = 20

local function cleanup_stale(p)
  local i = 0
  for id in sorted_pairs(p.stale_lbs) do
    i = i + 1
    if hns.delete_load_balancer(p.c, id, "cleanupStaleLoadbalancers") then p.stale_lbs[id] = nil end
    if i == MAX_COUNT_STALE_LOADBALANCERS then break end
  end
end

-- ---- syncProxyRules ----

-- Returns a word saying how the sync ended: "synced", "network changed",
-- "query failed", "source vip failed", "aborted".
function M.sync(p)
  local c = p.c
  local prev_id = p.network.id
  local updated, err = hns.get_network_by_name(c, p.network_name, "syncProxyRules")
  if not updated or updated.id ~= prev_id then
    p.log("info", "network %s is not present or has changed: cleaning up every policy (%s)", p.network_name,
          updated and "new ID " .. updated.id or (err and err.what or "query failed"))
    M.cleanup_all(p)
    if updated then p.network = updated end
    return "network changed"
  end

  -- PR#135146: cleared once, before the service and endpoint updates.
  if p.clear_terminated_once then p.terminated = {} end
  apply_service_changes(p)
  apply_endpoint_changes(p)

  local queried_eps = hns.list_endpoints_of_network(c, p.network_name)
  if not queried_eps then return "query failed" end
  local queried_lbs = hns.list_load_balancers(c)
  if not queried_lbs then return "query failed" end

  if hns.is_overlay(p.network) and not queried_eps[p.source_vip] then
    local sv = hns.create_endpoint(c, {ip = p.source_vip, is_local = true, mac = p.host_mac, provider_address = p.node_ip},
                                   p.network_name, "source VIP endpoint")
    if not sv then return "source vip failed" end
  end

  for spn, svc in sorted_pairs(p.svc_port_map) do
    if sync_service(p, spn, svc, queried_eps, queried_lbs) == "abort" then return "aborted" end
  end

  -- Remote endpoints of terminated backends that no service refers to.
  for ip in sorted_pairs(p.terminated) do
    local e = queried_eps[ip]
    if e and e.hns_id and e.hns_id ~= "" and ref_of(p, e.hns_id).n == 0 then
      p.log("info", "deleting unreferenced remote endpoint %s (%s)", e.hns_id, ip)
      hns.delete_endpoint(c, e.hns_id, "terminated endpoint " .. ip)
    end
  end
  cleanup_stale(p)
  return "synced"
end

return M
