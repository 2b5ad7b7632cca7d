-- kubeproxy/winkernel.lua: kube-proxy's Windows kernel proxier ("winkernel")
-- on one simulated Windows node, acting on the node's HNS only through the
-- scenario API, as the real one acts through HCN.
--
--   local cluster = require("kubeproxy.cluster").new()
--   local winkernel = require("kubeproxy.winkernel")
--   local kp = winkernel.new(node1, cluster, {hostname = "node1", node_ip = "10.240.0.4",
--                                             network_name = "cbr0", enable_dsr = false})
--   cluster:service{...}; cluster:endpoints(...)
--   kp:sync()                       -- one syncProxyRules, now
--   kp:loop{period = "30s"}         -- or: every 30 s, and min_sync after each change
--   kp:restart()                    -- a new kube-proxy process: start-up (delete-all) again
--
-- This file owns the proxier's life: start-up (NewProxier), its in-memory
-- state, scheduling, and what a scenario can read back. The per-sync logic is
-- kubeproxy/sync.lua, the HNS documents and calls kubeproxy/hns.lua, the
-- Service and endpoint objects kubeproxy/model.lua. Sources: see
-- lua/kubeproxy/README.md; NewProxier is kubernetes/kubernetes
-- pkg/proxy/winkernel/proxier.go.
--
-- Invariants: the proxier's state lives only in this Lua object (a restart
-- forgets it, as a process does); HNS is only ever read and changed through
-- the host's methods; nothing iterates with pairs() into a call or a record.
local features = require("kubeproxy.features")
local hns = require("kubeproxy.hns")
local sync = require("kubeproxy.sync")
local M = {}
local Proxier = {}
Proxier.__index = Proxier

local OPTION_FIELDS = {
  hostname = true, node_ip = true, network_name = true, source_vip = true, host_mac = true, enable_dsr = true,
  features = true, delete_all_at_start = true, forward_healthcheck_vip = true, root_hns_endpoint_name = true,
  healthz_port = true, ip_family = true, verbose = true, informer_sync = true, clear_terminated_once = true,
}

local function fail(level, fmt, ...) error("kubeproxy: " .. string.format(fmt, ...), level + 1) end

local function check_options(opts, level)
  if type(opts) ~= "table" then fail(level + 1, "winkernel.new: options: expected a table") end
  for k in sorted_pairs(opts) do
    if not OPTION_FIELDS[k] then
      local names = {}
      for n in sorted_pairs(OPTION_FIELDS) do names[#names + 1] = n end
      fail(level + 1, "winkernel.new: unknown option '%s' (options: %s)", tostring(k), table.concat(names, ", "))
    end
  end
  for _, k in ipairs({"hostname", "node_ip", "network_name"}) do
    if type(opts[k]) ~= "string" or opts[k] == "" then fail(level + 1, "winkernel.new: %s: a string is needed", k) end
  end
  if opts.delete_all_at_start ~= nil and opts.delete_all_at_start ~= true and opts.delete_all_at_start ~= false and
     opts.delete_all_at_start ~= "loadbalancers" and opts.delete_all_at_start ~= "policylists" then
    fail(level + 1, "winkernel.new: delete_all_at_start: '%s' is not true, false, \"loadbalancers\" or \"policylists\"",
         tostring(opts.delete_all_at_start))
  end
  if opts.ip_family ~= nil and opts.ip_family ~= "IPv4" and opts.ip_family ~= "IPv6" then
    fail(level + 1, "winkernel.new: ip_family: '%s' is not IPv4 or IPv6", tostring(opts.ip_family))
  end
end

-- Fresh in-memory state: what a new kube-proxy process starts with.
local function reset(p)
  p.svc_port_map, p.svc_sig, p.svc_ports_of = {}, {}, {}
  p.endpoints_map, p.ep_sig, p.ep_ports_of = {}, {}, {}
  p.ref_counts, p.stale_lbs, p.terminated = {}, {}, {}
  p.network = nil
  p.started = false
  p.c = {h = p.host, failures = {}, calls = 0, log = p.log}
end

-- The part of NewProxier after the network is found: the DSR check, then
-- overlay's (in that order in proxier.go).
local function finish_start(p, network, level)
  p.network = network
  if p.is_dsr and not p.features.DSR then
    fail(level + 1, "%s: --enable-dsr: DSR is not supported by this HNS (%s)", p.hostname, p.host.profile or "?")
  end
  if hns.is_overlay(network) then
    -- NewProxier sleeps 10 s here and reads the network again (remote subnets
    -- may come late); hnsim reads it once (the wait is not modelled).
    if not p.features.RemoteSubnet then
      fail(level + 1, "%s: overlay needs HNS RemoteSubnet support, %s does not have it", p.hostname, p.host.profile or "?")
    end
    if not p.source_vip or p.source_vip == "" then fail(level + 1, "%s: source-vip flag not set", p.hostname) end
    if not p.host_mac or p.host_mac == "" then
      fail(level + 1, "%s: could not find host mac address for %s (give host_mac)", p.hostname, p.node_ip)
    end
  end
  p.started = true
  p.log("info", "HNS network %s (%s, %s) loaded", network.name, network.type, network.id)
end

-- NewProxier: the features, then the delete-all of load balancers, then the
-- network (kube-proxy retries every second until the CNI made it; here the
-- retry is folded into the next sync).
local function start(p, level)
  reset(p)
  local f, r = features.read(p.host)
  p.features = features.override(f, p.feature_override, level + 1)
  p.version_result = r
  if not p.features.ApiV2 then
    fail(level + 1, "%s: Windows HNS Api V2 required. This version of windows does not support API V2 (%s, HNS %s)",
         p.hostname, p.host.profile or "?", r.ok and string.format("%d.%d", r.output.Major, r.output.Minor or 0) or r.hr_name)
  end
  p.deleted_at_start = 0
  if p.delete_all_mode then
    p.deleted_at_start = hns.delete_all(p.c, p.delete_all_mode)
    p.log("info", "deleted %d HNS %s at start-up", p.deleted_at_start, p.delete_all_mode == "policylists" and "policy lists" or "load balancers")
  end
  local network = hns.get_network_by_name(p.c, p.network_name, "NewProxier")
  if network then
    finish_start(p, network, level + 1)
  else
    p.log("error", "unable to find HNS network %s: waiting for the CNI", p.network_name)
  end
  p.starts = p.starts + 1
end

-- Makes a proxier for `h` over `cluster` and starts it (NewProxier).
-- Options (kube-proxy's flags and KubeProxyWinkernelConfiguration):
--   hostname, node_ip, network_name      required (--hostname-override, --bind-address, --network-name)
--   source_vip, host_mac                 overlay: --source-vip, and the MAC of the NIC holding node_ip
--   enable_dsr                           --enable-dsr (needs HNS DSR support)
--   forward_healthcheck_vip, root_hns_endpoint_name, healthz_port (default 10256)
--   ip_family                            "IPv4" (default) or "IPv6": the single-stack proxier's family
--   delete_all_at_start                  true/"loadbalancers" (default), "policylists" (v1, older releases
--                                        and Remove-HnsPolicyList), false
--   features                             override what HNS's version says: {DSR = true, ...}
--   clear_terminated_once                the fix of kubernetes PR#135146 (terminated endpoints cleared once
--                                        per sync, not once per changed Service); default false, as read
--   informer_sync                        after a restart, when the first sync runs under loop() (default "1s")
--   verbose                              print the proxier's log lines
function M.new(h, cluster, opts)
  check_options(opts, 2)
  if type(cluster) ~= "table" or type(cluster.service) ~= "function" then
    fail(2, "winkernel.new: the second argument must be a cluster (require(\"kubeproxy.cluster\").new())")
  end
  local p = setmetatable({}, Proxier)
  p.host, p.cluster = h, cluster
  p.hostname, p.node_ip, p.network_name = opts.hostname, opts.node_ip, opts.network_name
  p.source_vip, p.host_mac = opts.source_vip or "", opts.host_mac or ""
  p.is_dsr = opts.enable_dsr or false
  p.forward_healthcheck_vip = opts.forward_healthcheck_vip or false
  p.root_hns_endpoint_name = opts.root_hns_endpoint_name or ""
  p.healthz_port = opts.healthz_port or 10256
  p.family = opts.ip_family or "IPv4"
  p.feature_override = opts.features
  local mode = opts.delete_all_at_start
  if mode == nil or mode == true then mode = "loadbalancers" end
  p.delete_all_mode = mode or nil
  p.informer_sync = opts.informer_sync or "1s"
  p.verbose = opts.verbose or false
  p.clear_terminated_once = opts.clear_terminated_once or false
  p.events = {}
  p.syncs, p.starts = 0, 0
  p.running = true
  p.log = function(level, fmt, ...)
    local line = string.format("kube-proxy %s: [%s] " .. fmt, p.hostname, level, ...)
    p.events[#p.events + 1] = {time = now(), level = level, text = line}
    if p.verbose then print(line) end
  end
  start(p, 2)
  cluster:watch(function() p:_on_change() end)
  return p
end

-- One syncProxyRules now. Returns how it ended ("synced", "not running",
-- "waiting for network", "network changed", "query failed", ...).
function Proxier:sync()
  if not self.running then return "not running" end
  if not self.started then
    local network = hns.get_network_by_name(self.c, self.network_name, "NewProxier")
    if not network then return "waiting for network" end
    finish_start(self, network, 2)
  end
  self.syncs = self.syncs + 1
  self.last_sync = now()
  local outcome = sync.sync(self)
  self.last_outcome = outcome
  return outcome
end

-- BoundedFrequencyRunner, simplified: a sync every `period`, and one
-- `min_sync` after a change of the cluster (not sooner than `min_sync` after
-- the last one; burst and jitter are not modelled). Returns the periodic
-- timer's id. The clock must be given an end (run{to = ...}).
function Proxier:loop(o)
  o = o or {}
  if self.loop_timer then fail(2, "loop: this proxier already has a loop") end
  self.min_sync = o.min_sync or "1s"
  self.loop_timer = every(o.period or "30s", function() self:sync() end)
  return self.loop_timer
end

function Proxier:_on_change()
  if not self.loop_timer or self.pending_sync then return end
  self.pending_sync = after(self.min_sync, function()
    self.pending_sync = nil
    self:sync()
  end)
end

-- The kube-proxy process stops: no more syncs until restart().
function Proxier:stop()
  self.running = false
  self.log("info", "stopped")
end

-- A new kube-proxy process: every in-memory ID and count is forgotten, the
-- start-up runs again (with its delete-all), and under loop() the first sync
-- comes `informer_sync` later (the informers listing Services and slices:
-- OnServiceSynced / OnEndpointSlicesSynced sync at once).
function Proxier:restart()
  self.running = true
  start(self, 2)
  if self.loop_timer and not self.pending_sync then
    self.pending_sync = after(self.informer_sync, function()
      self.pending_sync = nil
      self:sync()
    end)
  end
end

-- ---- what a scenario can read back ----

-- The HNS calls kube-proxy made that HNS refused: their result tables, each
-- with `context` (what kube-proxy was doing).
function Proxier:failures() return self.c.failures end

-- The first refusal whose context or call text contains `pattern` (plain).
function Proxier:failure(pattern)
  for _, r in ipairs(self.c.failures) do
    if (r.context or ""):find(pattern, 1, true) or (r.what or ""):find(pattern, 1, true) then return r end
  end
  return nil
end

-- The shared reference count of each remote endpoint kube-proxy refers to:
-- HNS ID -> count (zero counts left out).
function Proxier:refcounts()
  local out = {}
  for id, r in sorted_pairs(self.ref_counts) do
    if r.n ~= 0 then out[id] = r.n end
  end
  return out
end

-- The proxier's view of each service port: its load balancer IDs and
-- whether its policy is applied.
function Proxier:services()
  local out = {}
  for spn, svc in sorted_pairs(self.svc_port_map) do
    local s = {cluster_ip = svc.hns_id, node_port = svc.node_port_hns_id, applied = svc.policy_applied,
               external_ips = {}, ingress_ips = {}, health_checks = {}}
    for _, e in ipairs(svc.external_ips) do s.external_ips[e.ip] = e.hns_id end
    for _, g in ipairs(svc.ingress_ips) do
      s.ingress_ips[g.ip] = g.hns_id
      s.health_checks[g.ip] = g.health_check_hns_id
    end
    out[spn] = s
  end
  return out
end


return M
