-- cni/kubelet.lua: how a Windows node's container runtime calls the CNI
-- plugins, so a scenario can run a pod the way kubelet does:
--
--   * dispatch by the netconf's `type` to cni.winbridge, cni.winoverlay,
--     cni.sdnbridge, cni.sdnoverlay, cni.wincni, or cni.flannel (which
--     needs the node's subnet.env, opts.subnet_env);
--   * the runtime's capabilities (port mappings, DNS) reach the plugin as
--     runtimeConfig, only for the capabilities the netconf turns on
--     (libcni injectRuntimeConfig);
--   * CNI_ARGS: IgnoreUnknown=1, K8S_POD_NAMESPACE, K8S_POD_NAME,
--     K8S_POD_INFRA_CONTAINER_ID.
--
-- Two call patterns (consumers-and-pain-points.md §2.4):
--   * dockershim: ADD for the pause container with netns "none", then ADD
--     again for every app container with netns "container:<pause ID>"
--     (kubernetes#64188, #57253, #70279); the plugins name the endpoint
--     after the pause container and attach the same endpoint to each
--     container. Teardown is DEL for the pause container (TearDownPod);
--     opts.del_app_containers first sends DEL for each app container too.
--   * containerd: one HostComputeNamespace per pod (made by the runtime
--     through HCN, hcn.NewNamespace(HostDefault).Create()), one ADD with
--     netns = the namespace ID, and at teardown DEL, then the namespace
--     is deleted.
-- The functions return the plugin's answer; the pod table they return
-- carries what a scenario asserts on (results, the endpoint document,
-- the namespace).

local netconf = require("cni.netconf")

local M = {}

local modules = {
  ["win-bridge"] = "cni.winbridge",
  ["win-overlay"] = "cni.winoverlay",
  sdnbridge = "cni.sdnbridge",
  sdnoverlay = "cni.sdnoverlay",
  wincni = "cni.wincni",
  ["wincni.exe"] = "cni.wincni",
  flannel = "cni.flannel",
}

-- plugin(conf) -> the module for the netconf's type, its type.
function M.plugin(conf)
  local t, err = netconf.decode(conf)
  if not t then return nil, err end
  local ty = netconf.field(t, "type")
  local mod = type(ty) == "string" and modules[ty]
  if not mod then
    return nil, string.format("netconf: type: %q is not a plugin hnsim models (win-bridge, win-overlay, sdnbridge, sdnoverlay, wincni, flannel)",
                              tostring(ty))
  end
  return require(mod), ty
end

local function call(verb, h, conf, args, opts)
  local plugin, ty = M.plugin(conf)
  if not plugin then return nil, ty end
  if ty == "flannel" and verb == "add" then return plugin.add(h, conf, args, (opts or {}).subnet_env) end
  return plugin[verb](h, conf, args)
end

function M.add(h, conf, args, opts) return call("add", h, conf, args, opts) end
function M.del(h, conf, args, opts) return call("del", h, conf, args, opts) end
function M.check(h, conf, args, opts) return call("check", h, conf, args, opts) end

local function cni_args(pod, sandbox)
  return {IgnoreUnknown = "1", K8S_POD_NAMESPACE = pod.namespace or "default", K8S_POD_NAME = pod.name or sandbox,
          K8S_POD_INFRA_CONTAINER_ID = sandbox}
end

local function check_pod(fname, pod)
  if type(pod) ~= "table" then error(fname .. ": pod: expected a table {name=, sandbox=, ...}", 3) end
  if type(pod.sandbox) ~= "string" or pod.sandbox == "" then
    error(fname .. ": pod.sandbox: expected the sandbox (pause) container ID, got " .. tostring(pod.sandbox), 3)
  end
end

-- dockershim_run(h, conf, pod, opts) -> pod state, or nil and the first
-- error. pod: {name=, namespace=, sandbox=<pause ID>, containers={IDs},
-- runtime_config={portMappings=, dns=}}.
function M.dockershim_run(h, conf, pod, opts)
  check_pod("kubelet.dockershim_run", pod)
  local state = {pattern = "dockershim", pod = pod, sandbox = pod.sandbox, apps = {}}
  local args = {container_id = pod.sandbox, netns = "none", ifname = "eth0", args = cni_args(pod, pod.sandbox),
                runtime_config = pod.runtime_config}
  local res, info = M.add(h, conf, args, opts)
  if not res then
    -- the runtime tears the sandbox's network down after a failed set-up
    -- (dockershim RunPodSandbox) (inferred: the errors are only logged)
    M.del(h, conf, {container_id = pod.sandbox, netns = "none", ifname = "eth0", args = cni_args(pod, pod.sandbox)}, opts)
    return nil, info
  end
  state.result, state.info = res, info
  for _, c in ipairs(pod.containers or {}) do
    local a = {container_id = c, netns = "container:" .. pod.sandbox, ifname = "eth0", args = cni_args(pod, pod.sandbox),
               runtime_config = pod.runtime_config}
    local r, i = M.add(h, conf, a, opts)
    if not r then return nil, i end
    state.apps[#state.apps + 1] = {container = c, result = r, info = i}
  end
  return state
end

function M.dockershim_stop(h, conf, state, opts)
  opts = opts or {}
  local pod = state.pod
  if opts.del_app_containers then
    for _, app in ipairs(state.apps) do
      local ok, err = M.del(h, conf, {container_id = app.container, netns = "container:" .. pod.sandbox, ifname = "eth0",
                                      args = cni_args(pod, pod.sandbox)}, opts)
      if not ok then return nil, err end
    end
  end
  return M.del(h, conf, {container_id = pod.sandbox, netns = "none", ifname = "eth0", args = cni_args(pod, pod.sandbox)}, opts)
end

-- containerd_run(h, conf, pod, opts) -> pod state {namespace = its ID,
-- result, info}, or nil and an error.
function M.containerd_run(h, conf, pod, opts)
  check_pod("kubelet.containerd_run", pod)
  local ns = h:create_namespace{Type = "HostDefault", SchemaVersion = {Major = 2, Minor = 0}}
  if not ns.ok then
    return nil, string.format("failed to create network namespace for sandbox %s: %s", pod.sandbox, tostring(ns.error))
  end
  local state = {pattern = "containerd", pod = pod, sandbox = pod.sandbox, namespace = ns.id}
  local args = {container_id = pod.sandbox, netns = ns.id, ifname = "eth0", args = cni_args(pod, pod.sandbox),
                runtime_config = pod.runtime_config}
  local res, info = M.add(h, conf, args, opts)
  if not res then
    -- containerd RunPodSandbox: on a failed set-up, CNI DEL, then the
    -- namespace is removed (its deferred cleanup; errors only logged)
    M.del(h, conf, {container_id = pod.sandbox, netns = ns.id, ifname = "eth0", args = cni_args(pod, pod.sandbox)}, opts)
    h:delete("namespace", ns.id)
    return nil, info
  end
  state.result, state.info = res, info
  return state
end

function M.containerd_stop(h, conf, state, opts)
  local pod = state.pod
  local ok, err = M.del(h, conf, {container_id = pod.sandbox, netns = state.namespace, ifname = "eth0",
                                  args = cni_args(pod, pod.sandbox)}, opts)
  if not ok then return nil, err end
  local r = h:delete("namespace", state.namespace)
  if not r.ok then return nil, "failed to remove network namespace: " .. tostring(r.error) end
  return true, err
end

return M
