-- cni/ipaddr.lua: IPv4 and IPv6 addresses and prefixes for the CNI modules,
-- as Go's net package reads and writes them (the plugins are Go programs):
-- parse, format (net.IP.String: dotted quad; IPv6 lowercase with the longest
-- run of zero groups shortened to "::", RFC 5952), masks, add, compare.
--
-- An address is a table {family = 4 | 6, n = <bytes>, b = {byte1, ...}}
-- with 4 or 16 bytes, most significant first. Nothing here keeps state.

local M = {}

local function new(family, bytes)
  return {family = family, b = bytes}
end

local function parse4(s)
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return nil end
  local out = {}
  for i, part in ipairs({a, b, c, d}) do
    -- Go's parser refuses leading zeros ("010") and values above 255.
    if #part > 3 or (#part > 1 and part:sub(1, 1) == "0") then return nil end
    local v = tonumber(part)
    if v > 255 then return nil end
    out[i] = v
  end
  return new(4, out)
end

local function parse6(s)
  if s:find("[^0-9a-fA-F:%.]") then return nil end
  local head, tail = s, nil
  local dbl = s:find("::", 1, true)
  if dbl then
    head, tail = s:sub(1, dbl - 1), s:sub(dbl + 2)
    if tail:find("::", 1, true) then return nil end
  end
  local function groups(part, allow_v4_tail)
    local g = {}
    if part == "" then return g end
    local fields = {}
    for f in (part .. ":"):gmatch("([^:]*):") do fields[#fields + 1] = f end
    for i, f in ipairs(fields) do
      if f == "" then return nil end
      if i == #fields and allow_v4_tail and f:find(".", 1, true) then
        local v4 = parse4(f)
        if not v4 then return nil end
        g[#g + 1] = v4.b[1] * 256 + v4.b[2]
        g[#g + 1] = v4.b[3] * 256 + v4.b[4]
      else
        if #f > 4 or f:find("[^0-9a-fA-F]") then return nil end
        g[#g + 1] = tonumber(f, 16)
      end
    end
    return g
  end
  local hg = groups(head, tail == nil)
  local tg = tail and groups(tail, true) or {}
  if not hg or not tg then return nil end
  local all = {}
  if dbl then
    local missing = 8 - #hg - #tg
    if missing < 1 then return nil end
    for _, v in ipairs(hg) do all[#all + 1] = v end
    for _ = 1, missing do all[#all + 1] = 0 end
    for _, v in ipairs(tg) do all[#all + 1] = v end
  else
    all = hg
  end
  if #all ~= 8 then return nil end
  local out = {}
  for i, v in ipairs(all) do
    out[2 * i - 1] = v // 256
    out[2 * i] = v % 256
  end
  return new(6, out)
end

-- parse(text) -> address, or nil when text is not an IPv4 or IPv6 address.
function M.parse(s)
  if type(s) ~= "string" then return nil end
  if s:find(":", 1, true) then return parse6(s) end
  return parse4(s)
end

-- format(address) -> text as Go's net.IP.String writes it.
function M.format(a)
  if a.family == 4 then
    return string.format("%d.%d.%d.%d", a.b[1], a.b[2], a.b[3], a.b[4])
  end
  local g = {}
  for i = 1, 8 do g[i] = a.b[2 * i - 1] * 256 + a.b[2 * i] end
  -- The longest run of two or more zero groups becomes "::" (the first one
  -- when two runs are as long), as RFC 5952 and Go do.
  local best, best_len, i = 0, 0, 1
  while i <= 8 do
    if g[i] == 0 then
      local j = i
      while j <= 8 and g[j] == 0 do j = j + 1 end
      if j - i > best_len then best, best_len = i, j - i end
      i = j
    else
      i = i + 1
    end
  end
  local hex = {}
  for k = 1, 8 do hex[k] = string.format("%x", g[k]) end
  if best_len < 2 then return table.concat(hex, ":") end
  local left = table.concat(hex, ":", 1, best - 1)
  local right = best + best_len <= 8 and table.concat(hex, ":", best + best_len, 8) or ""
  return left .. "::" .. right
end

-- parse_cidr(text) -> address, prefix length, network address; as Go's
-- net.ParseCIDR (the address keeps its host bits, the network does not).
function M.parse_cidr(s)
  if type(s) ~= "string" then return nil end
  local addr, len = s:match("^([^/]+)/(%d+)$")
  if not addr then return nil end
  local a = M.parse(addr)
  if not a then return nil end
  len = tonumber(len)
  if len > (a.family == 4 and 32 or 128) then return nil end
  return a, len, M.mask(a, len)
end

function M.bits(a) return a.family == 4 and 32 or 128 end

-- mask(address, len) -> the address with its host bits cleared.
function M.mask(a, len)
  local out = {}
  for i = 1, #a.b do
    local keep = len - (i - 1) * 8
    if keep >= 8 then
      out[i] = a.b[i]
    elseif keep <= 0 then
      out[i] = 0
    else
      local m = 256 - (1 << (8 - keep))
      out[i] = a.b[i] & m
    end
  end
  return new(a.family, out)
end

-- last(network, len) -> the prefix's last address (all host bits set).
function M.last(a, len)
  local out = {}
  for i = 1, #a.b do
    local keep = len - (i - 1) * 8
    if keep >= 8 then
      out[i] = a.b[i]
    elseif keep <= 0 then
      out[i] = 255
    else
      local host = (1 << (8 - keep)) - 1
      out[i] = (a.b[i] & (255 - host)) | host
    end
  end
  return new(a.family, out)
end

-- add(address, n) -> the address n further on (n may be negative), or nil
-- when that leaves the family's address space.
function M.add(a, n)
  local out = {}
  for i = 1, #a.b do out[i] = a.b[i] end
  local i = #out
  while n ~= 0 and i >= 1 do
    local v = out[i] + n
    out[i] = v % 256
    n = v // 256
    i = i - 1
  end
  if n ~= 0 then return nil end
  return new(a.family, out)
end

-- cmp(a, b) -> -1, 0, 1 (IPv4 before IPv6).
function M.cmp(a, b)
  if a.family ~= b.family then return a.family < b.family and -1 or 1 end
  for i = 1, #a.b do
    if a.b[i] ~= b.b[i] then return a.b[i] < b.b[i] and -1 or 1 end
  end
  return 0
end

function M.equal(a, b) return a and b and M.cmp(a, b) == 0 end

-- contains(network, len, address) -> whether the address is in the prefix.
function M.contains(net, len, a)
  return net.family == a.family and M.cmp(M.mask(a, len), M.mask(net, len)) == 0
end

-- text(s) -> s formatted canonically, or nil when it is not an address.
function M.canonical(s)
  local a = M.parse(s)
  return a and M.format(a) or nil
end

return M
