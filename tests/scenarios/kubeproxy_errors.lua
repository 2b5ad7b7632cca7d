-- kubeproxy_errors.lua: the kube-proxy module's refusals name the field and
-- the value, and point at the scenario line that made the mistake.
scenario{name = "kubeproxy-errors", description = "kube-proxy module: clear errors for bad Services, endpoints and options",
         profiles = {"ws2022"}}

local cluster = require("kubeproxy.cluster").new()
local winkernel = require("kubeproxy.winkernel")

-- The message without the folder the file was run from (results must not
-- depend on it: docs/scenarios.md "Determinism").
local function refused(fn, pattern, what)
  local ok, err = pcall(fn)
  local msg = tostring(err):gsub("^[^:]*/", "")
  expect.equal(ok, false, what .. ": refused")
  expect.truthy(not ok and msg:find(pattern, 1, true), what .. ": " .. msg)
  expect.truthy(not ok and msg:find("^kubeproxy_errors%.lua:%d+: kubeproxy: "), what .. ": names the scenario line")
end

refused(function() cluster:service{name = "web", cluster_ip = "10.96.0.300", ports = {{port = 80}}} end,
        "service default/web: cluster_ip: '10.96.0.300' is not an IP address", "a bad ClusterIP")
refused(function() cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{port = 70000}}} end,
        "service default/web: ports[1].port: 70000 is not a port (1 to 65535)", "a bad port")
refused(function() cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{port = 80, protocl = "TCP"}}} end,
        "unknown field 'protocl'", "a misspelt field")
refused(function() cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{port = 80, protocol = "ICMP"}}} end,
        "ports[1].protocol: 'ICMP' is not TCP, UDP or SCTP", "a bad protocol")
refused(function() cluster:service{name = "web", cluster_ip = "10.96.0.20", external_traffic_policy = "local", ports = {{port = 80}}} end,
        "external_traffic_policy: 'local' is not Cluster or Local", "a policy in the wrong case")
refused(function() cluster:endpoints("nosuch", {{ip = "10.244.1.6"}}) end,
        "no service 'default/nosuch' to take the ports from", "endpoints of an unknown Service without ports")
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = "http-alt"}}}
refused(function() cluster:endpoints("web", {{ip = "10.244.1.6"}}) end,
        "named target port 'http-alt': give the slice's ports", "a named target port needs the slice's ports")
refused(function() cluster:endpoints("web", {{ip = "10.244.1.6", ready = "yes"}}, {{name = "http", port = 8080}}) end,
        "endpoints default/web[1].ready: expected true or false", "a bad condition")
refused(function() cluster:delete_service("nosuch") end, "delete_service: no service 'default/nosuch'", "deleting an unknown Service")

local h = host("node1", {nics = {{name = "Ethernet", segment = segment("vnet", {}) or "vnet", address = "10.240.0.4/16"}}})
refused(function() winkernel.new(h, cluster, {hostname = "node1", node_ip = "10.240.0.4", network_name = "cbr0", enable_dsrr = true}) end,
        "winkernel.new: unknown option 'enable_dsrr'", "a misspelt option")
refused(function() winkernel.new(h, cluster, {hostname = "node1", network_name = "cbr0"}) end,
        "winkernel.new: node_ip: a string is needed", "a missing node IP")
refused(function() winkernel.new(h, cluster, {hostname = "node1", node_ip = "10.240.0.4", network_name = "cbr0", features = {Dsr = true}}) end,
        "features: unknown feature 'Dsr'", "an unknown feature name")
