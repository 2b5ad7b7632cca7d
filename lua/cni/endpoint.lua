-- cni/endpoint.lua: containernetworking/plugins pkg/hns/endpoint_windows.go
-- (newest, commit 0c39335): how win-bridge and win-overlay find, reuse,
-- make, attach and remove their endpoint, over cni.hcsshim. Also the IPAM
-- exec (pkg/ipam ExecAdd/ExecDel) both plugins call.
--
-- AddHnsEndpoint (HNS v1, dockershim):
--   1. GetHNSEndpointByName(name); a lookup error other than "not found"
--      fails the ADD;
--   2. an app container (netns other than "none") needs the endpoint to
--      exist already: the pause container's ADD made it;
--   3. an endpoint of that name on another network is "corrupted": it is
--      deleted, and a new one made;
--   4. none: the maker runs (IPAM, policies) and the endpoint is created
--      (POST /endpoints/);
--   5. HotAttachEndpoint(containerID, endpointID); if that fails a new
--      endpoint is removed again, and a compute system that no longer
--      exists is no error for an existing one.
-- AddHcnEndpoint (HCN v2, containerd): the same lookup, corrupted rule
-- and maker; then AddNamespaceEndpoint(netns, id), the namespace being the
-- HostComputeNamespace the runtime made; a failure removes a new endpoint.
-- RemoveHnsEndpoint: an empty netns or a missing endpoint is no error; an
-- app container is only detached (ContainerDetach); the pause container's
-- endpoint is hot-detached and deleted, errors ignored so nothing leaks
-- an error. RemoveHcnEndpoint: missing is no error; out of its namespace
-- if that still exists; then deleted.

local common = require("cni.common")
local hcsshim = require("cni.hcsshim")
local hostlocal = require("cni.hostlocal")
local ipaddr = require("cni.ipaddr")

local M = {}

local function eq_fold(a, b) return type(a) == "string" and type(b) == "string" and a:lower() == b:lower() end

-- ---- IPAM exec ----

-- ipam_add(h, nc, ipam, args) -> current result {ips, routes} or nil, err.
-- ipam is the part of the netconf's ipam the plugin passes on.
function M.ipam_add(h, nc, ipam, args)
  local t = ipam.type or ""
  if t == "host-local" then return hostlocal.add(h, nc.name, ipam, args.container_id, args.ifname) end
  if t == "" then return nil, "could not find plugin \"\": plugin type missing" end
  return nil, string.format("failed to find plugin %q in path [/opt/cni/bin] (hnsim models the host-local IPAM only)", t)
end

function M.ipam_del(h, nc, ipam, args)
  local t = ipam.type or ""
  if t == "host-local" then return hostlocal.del(h, nc.name, ipam, args.container_id, args.ifname) end
  if t == "" then return nil, "could not find plugin \"\": plugin type missing" end
  return nil, string.format("failed to find plugin %q in path [/opt/cni/bin]", t)
end

-- ---- v1 ----

-- add_hns(h, name, network_id, container_id, netns, maker) -> endpoint (v1
-- document), {created=, attach=}, or nil and an error.
function M.add_hns(h, name, network_id, container_id, netns, maker)
  local ep, err, kind = hcsshim.v1_get_endpoint_by_name(h, name)
  if not ep and kind ~= "not_found" then return nil, common.annotate("failed to find HNSEndpoint " .. name, err) end
  if netns ~= common.PAUSE_NETNS and not ep then
    return nil, common.annotate("failed to find HNSEndpoint " .. name, err)
  end
  local info = {created = false}
  if ep and not eq_fold(ep.VirtualNetwork, network_id) then
    local ok, derr = hcsshim.v1_delete_endpoint(h, ep.ID)
    if not ok then return nil, common.annotate("failed to delete corrupted HNSEndpoint " .. name, derr) end
    info.deleted_corrupted = ep.ID
    ep = nil
  end
  if not ep then
    local doc, merr = maker()
    if not doc then return nil, common.annotate("failed to make a new HNSEndpoint", merr) end
    local cerr
    ep, cerr = hcsshim.v1_create_endpoint(h, doc)
    if not ep then return nil, common.annotate("failed to create the new HNSEndpoint", cerr) end
    info.created = true
  end
  local ok, how = hcsshim.hot_attach(h, container_id, ep.ID)
  if not ok then
    if info.created then
      local rok, rerr = M.remove_hns(h, name, netns, container_id)
      if not rok then
        return nil, common.annotate(string.format("failed to remove the new HNSEndpoint %s after attaching container %s failure",
                                                  ep.ID, container_id), rerr)
      end
    end
    return nil, common.annotate(string.format("failed to attach container %s to HNSEndpoint %s", container_id, ep.ID), how)
  end
  info.attach = how
  return ep, info
end

function M.remove_hns(h, name, netns, container_id)
  if netns == nil or netns == "" then return true, "no netns" end
  local ep, err, kind = hcsshim.v1_get_endpoint_by_name(h, name)
  if not ep then
    if kind == "not_found" then return true, "not found" end
    return nil, common.annotate("failed to find HNSEndpoint " .. name, err)
  end
  if netns ~= common.PAUSE_NETNS then
    hcsshim.v1_container_detach(h, ep.ID, container_id) -- errors ignored, as the plugin does
    return true, "detached"
  end
  hcsshim.hot_detach(h, container_id, ep.ID)
  hcsshim.v1_delete_endpoint(h, ep.ID)
  return true, "deleted"
end

-- GenerateHnsEndpoint: looks the name up once more (an endpoint on the
-- same network is an error, one on another is deleted), applies loopback
-- DSR, and writes the HNSEndpoint document (hcsshim's struct: empty fields
-- left out).
function M.generate_hns(h, ep_info, nc, pols)
  local existing, err, kind = hcsshim.v1_get_endpoint_by_name(h, ep_info.name)
  if not existing and kind ~= "not_found" then
    return nil, common.annotate("failed to get HNSEndpoint " .. ep_info.name, err)
  end
  if existing then
    if eq_fold(existing.VirtualNetwork, ep_info.network_id) then
      return nil, string.format("HNSEndpoint %s is already existed", ep_info.name)
    end
    local ok, derr = hcsshim.v1_delete_endpoint(h, existing.ID)
    if not ok then return nil, common.annotate("failed to delete corrupted HNSEndpoint " .. ep_info.name, derr) end
  end
  if nc.loopback_dsr then common.apply_loopback_dsr(pols, 1, ep_info.ip, hcsshim.dsr_supported(h)) end
  local doc = {Name = ep_info.name, VirtualNetwork = ep_info.network_id}
  local dns = ep_info.dns or {}
  if dns.nameservers and #dns.nameservers > 0 then doc.DNSServerList = table.concat(dns.nameservers, ",") end
  if dns.search and #dns.search > 0 then doc.DNSSuffix = table.concat(dns.search, ",") end
  if ep_info.gateway and ep_info.gateway ~= "" then doc.GatewayAddress = ep_info.gateway end
  if ep_info.ip and ep_info.ip ~= "" then doc.IPAddress = ep_info.ip end
  if ep_info.mac and ep_info.mac ~= "" then doc.MacAddress = ep_info.mac end
  local values = common.hns_endpoint_policies(pols)
  if #values > 0 then doc.Policies = values end
  return doc
end

-- ---- v2 ----

function M.add_hcn(h, name, network_id, namespace, maker)
  local ep, err, kind = hcsshim.get_endpoint_by_name(h, name)
  if not ep and kind ~= "not_found" then return nil, common.annotate("failed to find HostComputeEndpoint " .. name, err) end
  local info = {created = false}
  if ep and not eq_fold(ep.HostComputeNetwork, network_id) then
    local ok, derr = hcsshim.delete_endpoint(h, ep.ID)
    if not ok then return nil, common.annotate("failed to delete corrupted HostComputeEndpoint " .. name, derr) end
    info.deleted_corrupted = ep.ID
    ep = nil
  end
  if not ep then
    local doc, merr = maker()
    if not doc then return nil, common.annotate("failed to make a new HostComputeEndpoint", merr) end
    local cerr
    ep, cerr = hcsshim.create_endpoint(h, doc.HostComputeNetwork, doc)
    if not ep then return nil, common.annotate("failed to create the new HostComputeEndpoint", cerr) end
    info.created = true
  end
  local ok, nerr = hcsshim.add_namespace_endpoint(h, namespace or "", ep.ID)
  if not ok then
    if info.created then
      local rok, rerr = M.remove_hcn(h, name)
      if not rok then
        return nil, common.annotate(string.format("failed to remove the new HostComputeEndpoint %s after adding HostComputeNamespace %s failure",
                                                  name, tostring(namespace)), rerr)
      end
    end
    return nil, common.annotate(string.format("failed to add HostComputeEndpoint %s to HostComputeNamespace %s", name,
                                              tostring(namespace)), nerr)
  end
  info.attach = "namespace"
  -- HNS's answer to the create does not name the namespace yet; the
  -- endpoint as it now is does.
  local now = hcsshim.get_endpoint_by_id(h, ep.ID)
  return now or ep, info
end

function M.remove_hcn(h, name)
  local ep, err, kind = hcsshim.get_endpoint_by_name(h, name)
  if not ep then
    if kind == "not_found" then return true, "not found" end
    return nil, common.annotate("failed to find HostComputeEndpoint " .. name, err)
  end
  local ns_id = ep.HostComputeNamespace or ""
  local ns, nerr, nkind = hcsshim.get_namespace_by_id(h, ns_id)
  if not ns and nkind ~= "not_found" then
    return nil, common.annotate("failed to get HostComputeNamespace " .. name, nerr)
  end
  if ns then
    local ok, rerr, rkind = hcsshim.remove_namespace_endpoint(h, ns_id, ep.ID)
    if not ok and rkind ~= "not_found" then
      return nil, common.annotate(string.format("error removing endpoint: %s from namespace", name), rerr)
    end
  end
  local ok, derr = hcsshim.delete_endpoint(h, ep.ID)
  if not ok then return nil, common.annotate("failed to remove HostComputeEndpoint " .. name, derr) end
  return true, "deleted"
end

-- GenerateHcnEndpoint: the same second lookup, loopback DSR, and the
-- HostComputeEndpoint document: one IP configuration, one default route
-- to the gateway (::/0 when the gateway is not IPv4), the DNS, the MAC
-- (win-overlay's), the policies read as hcn.EndpointPolicy.
function M.generate_hcn(h, ep_info, nc, pols)
  local existing, err, kind = hcsshim.get_endpoint_by_name(h, ep_info.name)
  if not existing and kind ~= "not_found" then
    return nil, common.annotate("failed to get HostComputeEndpoint " .. ep_info.name, err)
  end
  if existing then
    if eq_fold(existing.HostComputeNetwork, ep_info.network_id) then
      return nil, string.format("HostComputeNetwork %s is already existed", ep_info.name)
    end
    local ok, derr = hcsshim.delete_endpoint(h, existing.ID)
    if not ok then return nil, common.annotate("failed to delete corrupted HostComputeEndpoint " .. ep_info.name, derr) end
  end
  if nc.loopback_dsr then common.apply_loopback_dsr(pols, 2, ep_info.ip, hcsshim.dsr_supported(h)) end
  local gw = ep_info.gateway or ""
  local dst = (ipaddr.parse(gw) or {}).family == 4 and "0.0.0.0/0" or "::/0"
  local dns = ep_info.dns or {}
  local doc = {
    SchemaVersion = {Major = 2, Minor = 0},
    Name = ep_info.name,
    HostComputeNetwork = ep_info.network_id,
    Dns = {Domain = dns.domain, Search = dns.search, ServerList = dns.nameservers, Options = dns.options},
    Routes = {{NextHop = gw ~= "" and gw or nil, DestinationPrefix = dst}},
    IpConfigurations = {{IpAddress = ep_info.ip ~= "" and ep_info.ip or nil}},
  }
  if ep_info.mac and ep_info.mac ~= "" then doc.MacAddress = ep_info.mac end
  local hp = common.hcn_endpoint_policies(pols)
  if #hp > 0 then doc.Policies = hp end
  return doc
end

return M
