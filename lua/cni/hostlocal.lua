-- cni/hostlocal.lua: the host-local IPAM plugin (containernetworking/plugins
-- plugins/ipam/host-local), in Lua, deterministic: what the Windows plugins
-- get back from `ipam.ExecAdd("host-local", ...)`.
--
-- Modelled after host-local's backend/allocator (range.go Canonicalize,
-- allocator.go Get, range_set.go), with its store (disk/backend.go) as a
-- Lua table per host and network:
--   * a range is subnet, rangeStart (default the subnet's first address,
--     .1), rangeEnd (default the last address; for IPv4 the one before the
--     broadcast), gateway (default .1); the subnet must be a network
--     address and hold at least two hosts;
--   * `ranges` is a list of range sets, one address per set (dual stack);
--     the old top-level subnet/rangeStart/rangeEnd/gateway is one more set,
--     put first;
--   * an address is handed out from the one after the set's last reserved
--     address (last_reserved_ip.N), wrapping, skipping reserved addresses
--     and the range's gateway; a release does not move that cursor, so an
--     address is not handed out again at once;
--   * one allocation per (container ID, interface): a second ADD for the
--     same pair is refused ("duplicate allocation is not allowed").
-- This is why the first pod of a flannel host-gw node gets x.2, which
-- flannel already gave its bridge endpoint cbr0_ep, and HNS refuses it
-- (microsoft/SDN#333); the retry gets x.3.
--
-- The state belongs to the run (each run has its own sandbox): a host's
-- allocations live until DEL, as host-local's files do across restarts.

local ipaddr = require("cni.ipaddr")

local M = {}

local stores = {}

local function store_for(h, network, data_dir)
  local key = string.format("%s\0%s\0%s", h.name, data_dir or "/var/lib/cni/networks", network)
  local s = stores[key]
  if not s then
    s = {by_ip = {}, by_owner = {}, last = {}}
    stores[key] = s
  end
  return s
end

-- canonical range, or nil and host-local's error.
local function canonicalize(r, where)
  if not r.subnet then return nil, where .. ": a range needs a subnet" end
  local a, len, net = ipaddr.parse_cidr(r.subnet)
  if not a then return nil, string.format("%s: invalid CIDR address: %s", where, r.subnet) end
  local bits = ipaddr.bits(a)
  if len > bits - 2 then return nil, string.format("%s: Network %s too small to allocate from", where, r.subnet) end
  if not ipaddr.equal(a, net) then
    return nil, string.format("%s: Network has host bits set. For a subnet mask of length %d the network address is %s",
                              where, len, ipaddr.format(net))
  end
  local out = {net = net, len = len, subnet = r.subnet}
  local function inside(text, what)
    local ip = ipaddr.parse(text)
    if not ip then return nil, string.format("%s: %s %q is not an IP address", where, what, text) end
    if not ipaddr.contains(net, len, ip) then
      return nil, string.format("%s: %s %s not in network %s", where, what, text, r.subnet)
    end
    return ip
  end
  local err
  if r.gateway then
    out.gateway, err = inside(r.gateway, "gateway")
    if not out.gateway then return nil, err end
  else
    out.gateway = ipaddr.add(net, 1)
  end
  if r.range_start then
    out.start, err = inside(r.range_start, "RangeStart")
    if not out.start then return nil, err end
  else
    out.start = ipaddr.add(net, 1)
  end
  if r.range_end then
    out["end"], err = inside(r.range_end, "RangeEnd")
    if not out["end"] then return nil, err end
  else
    local last = ipaddr.last(net, len)
    out["end"] = net.family == 4 and ipaddr.add(last, -1) or last
  end
  return out
end

-- range_sets(ipam) -> list of sets of canonical ranges.
local function range_sets(ipam)
  local sets = {}
  if ipam.subnet then
    sets[#sets + 1] = {{subnet = ipam.subnet, range_start = ipam.range_start, range_end = ipam.range_end,
                        gateway = ipam.gateway}}
  end
  for _, set in ipairs(ipam.ranges or {}) do sets[#sets + 1] = set end
  if #sets == 0 then return nil, "no IP ranges specified" end
  local out = {}
  for i, set in ipairs(sets) do
    if #set == 0 then return nil, string.format("range set %d: no ranges", i) end
    local cs = {}
    for j, r in ipairs(set) do
      local c, err = canonicalize(r, string.format("range set %d, range %d", i, j))
      if not c then return nil, err end
      if j > 1 and c.net.family ~= cs[1].net.family then
        return nil, string.format("range set %d: mixed address families", i)
      end
      cs[j] = c
    end
    out[i] = cs
  end
  return out
end

local function range_of(set, ip)
  for i, r in ipairs(set) do
    if ipaddr.cmp(ip, r.start) >= 0 and ipaddr.cmp(ip, r["end"]) <= 0 then return i end
  end
end

local function set_text(set)
  local parts = {}
  for i, r in ipairs(set) do
    parts[i] = ipaddr.format(r.start) .. "-" .. ipaddr.format(r["end"])
  end
  return table.concat(parts, ",")
end

-- Allocates in one set; returns ip, range or nil, error.
local function allocate(store, idx, set, owner)
  local last = store.last[idx] and ipaddr.parse(store.last[idx])
  local ri, cur
  if last then ri = range_of(set, last) end
  if ri then
    cur = last
  else
    ri = #set
    cur = set[ri]["end"]
  end
  local first_ri, first = ri, cur
  local steps = 0
  while true do
    -- the next address after cur, moving to the next range at an end
    if ipaddr.cmp(cur, set[ri]["end"]) >= 0 then
      ri = ri % #set + 1
      cur = set[ri].start
    else
      cur = ipaddr.add(cur, 1)
    end
    steps = steps + 1
    local text = ipaddr.format(cur)
    if not store.by_ip[text] and not ipaddr.equal(cur, set[ri].gateway) then
      store.by_ip[text] = owner
      store.last[idx] = text
      return cur, set[ri]
    end
    if (ri == first_ri and ipaddr.equal(cur, first)) or steps > 1 << 20 then
      return nil, "no IP addresses available in range set: " .. set_text(set)
    end
  end
end

-- add(h, network, ipam, container_id, ifname) -> {ips = {{address, ip,
-- prefix, gateway, family}}, routes = {...}}, or nil and host-local's error.
-- ipam is the netconf's (cni.netconf) ipam table, or the part of it the
-- caller passes on.
function M.add(h, network, ipam, container_id, ifname)
  ifname = ifname or "eth0"
  local sets, err = range_sets(ipam)
  if not sets then return nil, "host-local: " .. err end
  local store = store_for(h, network, ipam.data_dir)
  local owner = container_id .. "\0" .. ifname
  if store.by_owner[owner] then
    return nil, string.format("host-local: %s has been allocated to %s, duplicate allocation is not allowed",
                              store.by_owner[owner][1], container_id)
  end
  local got, ips = {}, {}
  for idx, set in ipairs(sets) do
    local ip, r = allocate(store, idx, set, owner)
    if not ip then
      for _, text in ipairs(got) do store.by_ip[text] = nil end
      return nil, "host-local: failed to allocate for range " .. (idx - 1) .. ": " .. r
    end
    local text = ipaddr.format(ip)
    got[#got + 1] = text
    ips[#ips + 1] = {ip = text, prefix = r.len, address = text .. "/" .. r.len, gateway = ipaddr.format(r.gateway),
                     family = ip.family}
  end
  store.by_owner[owner] = got
  local routes = {}
  for i, rt in ipairs(ipam.routes or {}) do routes[i] = {dst = rt.dst, gw = rt.gw} end
  return {ips = ips, routes = routes}
end

-- del(h, network, ipam, container_id, ifname): releases what the pair
-- holds; nothing held is no error (host-local ReleaseByID).
function M.del(h, network, ipam, container_id, ifname)
  ifname = ifname or "eth0"
  local store = store_for(h, network, ipam and ipam.data_dir)
  local owner = container_id .. "\0" .. ifname
  for _, text in ipairs(store.by_owner[owner] or {}) do store.by_ip[text] = nil end
  store.by_owner[owner] = nil
  return true
end

-- allocated(h, network) -> sorted list of "ip owner" lines, for tests.
function M.allocated(h, network, data_dir)
  local store = store_for(h, network, data_dir)
  local out = {}
  for ip, owner in sorted_pairs(store.by_ip) do
    out[#out + 1] = ip .. " " .. (owner:gsub("%z", "/"))
  end
  return out
end

return M
