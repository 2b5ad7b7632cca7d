-- cni/flannel.lua: flannel on a Windows node, the two parts the CNI plugins
-- meet, acting through the scenario API:
--
-- 1. The flannel CNI meta-plugin (flannel-io/cni-plugin flannel.go cmdAdd,
--    cmdDel, loadFlannelSubnetEnv; flannel_windows.go doCmdAdd, doCmdDel):
--    it reads the node's subnet.env (FLANNEL_NETWORK, FLANNEL_SUBNET,
--    FLANNEL_MTU, FLANNEL_IPMASQ, all required), refuses a delegate that
--    sets `name` or `ipam` or has a non-string `type`, and hands the
--    delegate (default type win-bridge) to that plugin with
--      name = flannel's name, ipMasq = FLANNEL_IPMASQ,
--      ipMasqNetwork = FLANNEL_NETWORK, cniVersion = flannel's (else
--      0.2.0), ipam = {type host-local, subnet FLANNEL_SUBNET},
--      runtimeConfig = flannel's runtimeConfig;
--    the rendered delegate is kept per sandbox ID (its scratch file) for
--    DEL, which is a no-op when that file is gone.
--
-- 2. flanneld's Windows backends, which make the network the delegate
--    expects:
--    * host-gw (flannel pkg/backend/hostgw/hostgw_windows.go
--      RegisterNetwork): an L2Bridge network (HNS v1, default name cbr0)
--      on the node's subnet with gateway x.1, a bridge endpoint
--      "<name>_ep" at x.2 attached to the host compartment (1); then a
--      host route per peer subnet via the peer's address (RouteNetwork,
--      the Windows route table: h:route, not HNS);
--    * vxlan (pkg/backend/vxlan/vxlan_windows.go RegisterNetwork,
--      device_windows.go newVXLANDevice / ensureNetwork,
--      vxlan_network_windows.go handleSubnetEvents): an Overlay network
--      (HCN, default name flannel.<VNI>, VNI >= 4096) with the subnet's
--      VSID policy and gateway x.1, NetAdapterName, flag
--      EnableNonPersistent, then a HostRoute policy; per peer lease a
--      RemoteSubnetRoute {DestinationPrefix, IsolationId, ProviderAddress,
--      DistributedRouterMacAddress}, replacing one for the same prefix.
--    flanneld waits until HNS reports the network's ManagementIP (and, for
--    vxlan, reads its DrMacAddress back). HNS fills both in; hnsmock does
--    not, so the setup here gives them as the network's ProviderAddress
--    and DrMacAddress policies, which is how HNS reports them (inferred;
--    see lua/cni/README.md, "what the API lacks").

local netconf = require("cni.netconf")
local common = require("cni.common")
local hcsshim = require("cni.hcsshim")
local ipaddr = require("cni.ipaddr")

local M = {}

-- ---- the meta-plugin ----

local scratch = {}

local function scratch_key(h, data_dir, sandbox)
  return string.format("%s\0%s\0%s", h.name, data_dir or "/var/lib/cni/flannel", sandbox)
end

local function check_env(env)
  if type(env) ~= "table" then
    return nil, "flannel: subnet_env: expected {network=, subnet=, mtu=, ipmasq=} (the node's subnet.env)"
  end
  local missing = {}
  if not env.network and not env.ipv6_network then
    missing[#missing + 1] = "FLANNEL_NETWORK"
    missing[#missing + 1] = "FLANNEL_IPV6_NETWORK"
  end
  if not env.subnet and not env.ipv6_subnet then
    missing[#missing + 1] = "FLANNEL_SUBNET"
    missing[#missing + 1] = "FLANNEL_IPV6_SUBNET"
  end
  if env.mtu == nil then missing[#missing + 1] = "FLANNEL_MTU" end
  if env.ipmasq == nil then missing[#missing + 1] = "FLANNEL_IPMASQ" end
  if #missing > 0 then return nil, "/run/flannel/subnet.env is missing " .. table.concat(missing, ", ") end
  for _, k in ipairs({"network", "subnet"}) do
    if env[k] then
      local a, len, net = ipaddr.parse_cidr(env[k])
      if not a then return nil, string.format("flannel: subnet_env.%s: %q is not a prefix", k, tostring(env[k])) end
      env[k .. "_net"] = ipaddr.format(net) .. "/" .. len -- net.ParseCIDR's network
    end
  end
  return env
end

-- delegate(conf, subnet_env, runtime_config) -> the delegate's netconf (a
-- table, as flannel writes it to its scratch file), or nil and an error.
function M.delegate(conf, subnet_env, runtime_config)
  local t, err = netconf.decode(conf)
  if not t then return nil, err end
  if runtime_config then t = netconf.inject_runtime_config(t, runtime_config) end
  local nc
  nc, err = netconf.parse(t)
  if not nc then return nil, err end
  if nc.type ~= "flannel" then return nil, string.format("netconf: type: %q is not flannel", nc.type) end
  local env
  env, err = check_env(subnet_env)
  if not env then return nil, err end
  local d = {}
  for k, v in sorted_pairs(nc.delegate) do d[k] = v end
  -- Go's map lookups are exact: "type", "name" and "ipam" only
  local dtype = rawget(d, "type")
  if dtype ~= nil and type(dtype) ~= "string" then
    return nil, "'delegate' dictionary, if present, must have (string) 'type' field"
  end
  if rawget(d, "name") ~= nil then return nil, "'delegate' dictionary must not have 'name' field, it'll be set by flannel" end
  if rawget(d, "ipam") ~= nil then return nil, "'delegate' dictionary must not have 'ipam' field, it'll be set by flannel" end
  if nc.runtime_config_raw ~= nil then d.runtimeConfig = nc.runtime_config_raw end
  d.name = nc.name
  if rawget(d, "type") == nil then d.type = "win-bridge" end
  d.ipMasq = env.ipmasq and true or false
  d.ipMasqNetwork = env.network_net
  d.cniVersion = nc.cni_version ~= "" and nc.cni_version or "0.2.0"
  d.ipam = {type = "host-local", subnet = env.subnet_net}
  return d
end

local function plugin_for(d)
  local t = netconf.field(d, "type")
  local mods = {["win-bridge"] = "cni.winbridge", ["win-overlay"] = "cni.winoverlay", sdnbridge = "cni.sdnbridge",
                sdnoverlay = "cni.sdnoverlay", wincni = "cni.wincni", ["wincni.exe"] = "cni.wincni"}
  local mod = mods[t]
  if not mod then return nil, string.format("failed to delegate add: unknown delegate type %q", tostring(t)) end
  return require(mod)
end

-- add(h, conf, args, subnet_env): flannel's ADD; the delegate's answer.
function M.add(h, conf, args, subnet_env)
  args = common.check_args("flannel.add", h, conf, args)
  local d, err = M.delegate(conf, subnet_env, args.runtime_config)
  if not d then return nil, "flannel ADD: " .. err end
  local plugin, perr = plugin_for(d)
  if not plugin then return nil, "flannel ADD: " .. perr end
  local sandbox = common.sandbox_id(args.container_id, args.netns)
  scratch[scratch_key(h, nil, sandbox)] = d
  local inner = {}
  for k, v in sorted_pairs(args) do inner[k] = v end
  inner.runtime_config = nil -- already in the delegate's runtimeConfig
  local res, info = plugin.add(h, d, inner)
  if not res then return nil, "flannel ADD: failed to delegate add: " .. info end
  if type(info) == "table" then info.delegate = d end
  return res, info
end

-- del(h, conf, args): the delegate's DEL with the netconf saved at ADD.
function M.del(h, conf, args)
  args = common.check_args("flannel.del", h, conf, args)
  local sandbox = common.sandbox_id(args.container_id, args.netns)
  local key = scratch_key(h, nil, sandbox)
  local d = scratch[key]
  if not d then return true, "no saved netconf (already removed)" end
  local plugin, perr = plugin_for(d)
  if not plugin then return nil, "flannel DEL: " .. perr end
  local inner = {}
  for k, v in sorted_pairs(args) do inner[k] = v end
  inner.runtime_config = nil
  local ok, how = plugin.del(h, d, inner)
  if not ok then return nil, "flannel DEL: " .. how end
  scratch[key] = nil
  return true, how
end

function M.check(h, conf, args)
  args = common.check_args("flannel.check", h, conf, args)
  return true
end

-- ---- flanneld's backends ----

local function subnet_of(s, what)
  local a, len, net = ipaddr.parse_cidr(s or "")
  if not a then error(string.format("flannel.%s: subnet: %q is not a prefix", what, tostring(s)), 3) end
  return net, len
end

-- host_gw(h, {subnet=, name="cbr0", dns_server_list=, management_ip=})
-- -> {network = v1 network, endpoint = v1 bridge endpoint}; raises when HNS
-- refuses (flanneld exits).
function M.host_gw(h, opts)
  local net, len = subnet_of(opts.subnet, "host_gw")
  local name = opts.name or "cbr0"
  local prefix = ipaddr.format(net) .. "/" .. len
  local gw = ipaddr.format(ipaddr.add(net, 1))
  local bridge_ip = ipaddr.format(ipaddr.add(net, 2))
  local existing = hcsshim.v1_get_network_by_name(h, name)
  local keep = false
  for _, s in ipairs(existing and existing.Subnets or {}) do
    if s.AddressPrefix == prefix and s.GatewayAddress == gw then keep = true end
  end
  local network = existing
  if not keep then
    if existing then
      local ok, err = hcsshim.v1_delete_network(h, existing.ID)
      if not ok then error("flannel host-gw: failed to delete existing HNSNetwork " .. name .. ": " .. err, 2) end
    end
    local doc = {Name = name, Type = "L2Bridge", Subnets = {{AddressPrefix = prefix, GatewayAddress = gw}}}
    if opts.dns_server_list then doc.DNSServerList = opts.dns_server_list end
    if opts.management_ip then
      -- what HNS reports as the network's ManagementIP (hnsmock: a policy)
      doc.ManagementIP = opts.management_ip
    end
    local err
    network, err = hcsshim.v1_create_network(h, doc)
    if not network then error("flannel host-gw: failed to create HNSNetwork " .. name .. ": " .. err, 2) end
  end
  local ep_name = name .. "_ep"
  local ep = hcsshim.v1_get_endpoint_by_name(h, ep_name)
  if not (ep and ep.IPAddress == bridge_ip) then
    if ep then hcsshim.v1_delete_endpoint(h, ep.ID) end
    local err
    ep, err = hcsshim.v1_create_endpoint(h, {Name = ep_name, IPAddress = bridge_ip, VirtualNetwork = network.ID})
    if not ep then error("flannel host-gw: failed to create bridge HNSEndpoint " .. ep_name .. ": " .. err, 2) end
  end
  local ok, err = hcsshim.v1_host_attach(h, ep.ID, 1)
  if not ok and not tostring(err):find("ALREADY_ATTACHED", 1, true) then
    error("flannel host-gw: failed to hot attach bridge HNSEndpoint " .. ep_name .. " to host compartment: " .. err, 2)
  end
  return {network = network, endpoint = ep, subnet = prefix, gateway = gw, bridge_ip = bridge_ip}
end

-- host_gw_route(h, peer_subnet, peer_address): the route flannel's
-- RouteNetwork adds for a peer's lease.
function M.host_gw_route(h, peer_subnet, peer_address)
  return h:route(peer_subnet, peer_address, {id = "flannel " .. peer_subnet})
end

-- vxlan(h, {subnet=, name=, vni=4096, interface="Ethernet",
-- provider_address=<node IP>, dr_mac=}) -> {network = v2 network,
-- dr_mac = the DR MAC peers must use}; raises when HNS refuses.
function M.vxlan(h, opts)
  local vni = opts.vni or 4096
  if vni < 4096 then
    error(string.format("flannel.vxlan: invalid VXLAN backend config. VNI [%d] must be greater than or equal to 4096 on Windows", vni), 2)
  end
  if not hcsshim.remote_subnet_supported(h) then
    error("flannel.vxlan: remote subnet routes are not supported by this HNS (hcn.RemoteSubnetSupported)", 2)
  end
  local net, len = subnet_of(opts.subnet, "vxlan")
  local name = opts.name or ("flannel." .. vni)
  local prefix = ipaddr.format(net) .. "/" .. len
  local doc = {
    Type = "Overlay", Name = name, Flags = 8, -- hcn.EnableNonPersistent
    SchemaVersion = {Major = 2, Minor = 0},
    Ipams = {{Type = "Static", Subnets = {{
      IpAddressPrefix = prefix,
      Routes = {{NextHop = ipaddr.format(ipaddr.add(net, 1)), DestinationPrefix = "0.0.0.0/0"}},
      Policies = {{Type = "VSID", Settings = {IsolationId = vni}}},
    }}}},
    Policies = {},
  }
  if opts.interface ~= false then
    doc.Policies[#doc.Policies + 1] = {Type = "NetAdapterName", Settings = {NetworkAdapterName = opts.interface or "Ethernet"}}
  end
  -- filled in by HNS on a real host (ManagementIP, DR MAC): (inferred)
  if opts.provider_address then
    doc.Policies[#doc.Policies + 1] = {Type = "ProviderAddress", Settings = {ProviderAddress = opts.provider_address}}
  end
  if opts.dr_mac then doc.Policies[#doc.Policies + 1] = {Type = "DrMacAddress", Settings = {Address = opts.dr_mac}} end
  local existing = hcsshim.get_network_by_name(h, name)
  local network = existing
  local same = existing and existing.Type == "Overlay" and existing.Ipams and existing.Ipams[1]
               and existing.Ipams[1].Subnets and existing.Ipams[1].Subnets[1]
               and existing.Ipams[1].Subnets[1].IpAddressPrefix == prefix
  if not same then
    if existing then
      local r = h:delete("network", existing.ID)
      if not r.ok then error("flannel vxlan: failed to delete existing HostComputeNetwork " .. name .. ": " .. hcsshim.failure(r), 2) end
    end
    local err
    network, err = hcsshim.create_network(h, doc)
    if not network then error("flannel vxlan: failed to create HostComputeNetwork " .. name .. ": " .. err, 2) end
  end
  local has_host_route = false
  for _, p in ipairs(network.Policies or {}) do
    if p.Type == "HostRoute" then has_host_route = true end
  end
  if not has_host_route then
    -- "Could not apply HostRoute policy" is only logged
    hcsshim.modify_network_policy(h, network.ID, "Add", {{Type = "HostRoute", Settings = {}}})
    network = hcsshim.get_network_by_id(h, network.ID) or network
  end
  return {network = network, name = name, vni = vni, dr_mac = opts.dr_mac, subnet = prefix}
end

-- vxlan_lease(h, network_name, {subnet=, public_ip=, vtep_mac=, vni=},
-- "added"|"removed"): handleSubnetEvents for one peer lease.
function M.vxlan_lease(h, network_name, lease, event)
  event = event or "added"
  local vni = lease.vni or 4096
  if vni < 4096 then return nil, "VNI is required to greater than or equal to 4096 on Windows." end
  local net, err = hcsshim.get_network_by_name(h, network_name)
  if not net then return nil, string.format("Unable to find network %s, error: %s", network_name, err) end
  local setting = {IsolationId = vni, DistributedRouterMacAddress = lease.vtep_mac or "",
                   ProviderAddress = lease.public_ip, DestinationPrefix = lease.subnet}
  if event == "added" then
    for _, p in ipairs(net.Policies or {}) do
      if p.Type == "RemoteSubnetRoute" and type(p.Settings) == "table" and p.Settings.DestinationPrefix == lease.subnet then
        hcsshim.modify_network_policy(h, net.ID, "Remove", {{Type = "RemoteSubnetRoute", Settings = p.Settings}})
      end
    end
    if setting.DistributedRouterMacAddress ~= "" then
      return hcsshim.modify_network_policy(h, net.ID, "Add", {{Type = "RemoteSubnetRoute", Settings = setting}})
    end
    return true
  end
  if setting.DistributedRouterMacAddress ~= "" then
    return hcsshim.modify_network_policy(h, net.ID, "Remove", {{Type = "RemoteSubnetRoute", Settings = setting}})
  end
  return true
end

return M
