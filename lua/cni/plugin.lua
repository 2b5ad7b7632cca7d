-- cni/plugin.lua: the netconf loading and entry points win-bridge and
-- win-overlay share
-- (containernetworking/plugins: both plugins' cmdAdd, cmdDel and cmdCheck
-- have the same shape around their own network checks and endpoint
-- documents): ADD by apiVersion (1: HNSCall, 2: HCN) giving the IPAM
-- address back when it fails, DEL releasing IPAM then detaching or
-- removing the endpoint, CHECK doing nothing (a TODO upstream).
local common = require("cni.common")
local endpoint = require("cni.endpoint")
local netconf = require("cni.netconf")

local plugin = {}

-- The netconf of a plugin of type `label`: decoded, the runtime's config
-- injected (libcni's injectRuntimeConfig), parsed, its type checked.
function plugin.load(label, conf, args)
  local t, err = netconf.decode(conf)
  if not t then return nil, err end
  if args.runtime_config then t = netconf.inject_runtime_config(t, args.runtime_config) end
  local nc
  nc, err = netconf.parse(t)
  if not nc then return nil, err end
  if nc.type ~= label then
    return nil, string.format("netconf: type: %q is not %s", nc.type, label)
  end
  common.warn(nc)
  return nc
end

-- The end of an ADD on the `kind` ("hcn" or "hns") path: the endpoint
-- added (or why not) and its CNI result, as both plugins end cmdHcnAdd and
-- cmdHnsAdd.
function plugin.finish(kind, net, name, ep, info)
  local what = kind == "hcn" and "HostComputeEndpoint" or "HNSEndpoint"
  if not ep then return nil, common.annotate("error while adding " .. what, info) end
  local res, rerr = (kind == "hcn" and common.hcn_result or common.hns_result)(net, ep)
  if not res then return nil, common.annotate("error while constructing " .. what .. " addition result", rerr) end
  info.endpoint, info.network, info.name, info.result = ep, net, name, res
  return res, info
end

-- The add, del and check functions of the plugin whose module is `key`
-- ("winbridge") and CNI name `label` ("win-bridge"), from its v1 and v2
-- ADD paths.
function plugin.entries(key, label, hns_add, hcn_add)
  local function load(conf, args) return plugin.load(label, conf, args) end
  local e = {}

  function e.add(h, conf, args)
    args = common.check_args(key .. ".add", h, conf, args)
    local nc, err = load(conf, args)
    if not nc then return nil, err end
    local res, info
    if nc.api_version == 2 then
      res, info = hcn_add(h, nc, args)
    else
      res, info = hns_add(h, nc, args)
    end
    if not res then
      -- cmdAdd: ipam.ExecDel(n.IPAM.Type, ...) on any failure, its error ignored
      endpoint.ipam_del(h, nc, nc.ipam, args)
      return nil, label .. " ADD: " .. info
    end
    return common.print_result(res, nc.cni_version), info
  end

  function e.del(h, conf, args)
    args = common.check_args(key .. ".del", h, conf, args)
    local nc, err = load(conf, args)
    if not nc then return nil, err end
    if (nc.ipam.type or "") ~= "" then
      local ok, ierr = endpoint.ipam_del(h, nc, nc.ipam, args)
      if not ok then return nil, label .. " DEL: " .. ierr end
    end
    local name = common.endpoint_name(args.container_id, args.netns, nc.name)
    local ok, how
    if nc.api_version == 2 then
      ok, how = endpoint.remove_hcn(h, name)
    else
      ok, how = endpoint.remove_hns(h, name, args.netns, args.container_id)
    end
    if not ok then return nil, label .. " DEL: " .. how end
    return true, how
  end

  -- cmdCheck: not implemented upstream; succeeds without looking.
  function e.check(h, conf, args)
    args = common.check_args(key .. ".check", h, conf, args)
    local nc, err = load(conf, args)
    if not nc then return nil, err end
    return true
  end

  return e
end

return plugin
