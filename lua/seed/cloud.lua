-- seed/cloud.lua: the cloud of the seed's ACS design, shared by the
-- scenario files: the cluster's VNet 10.240.0.0/16 (100 us a crossing),
-- the internet 203.0.113.0/24 (1 ms), the cloud router "azure" at
-- 10.240.0.1 between them where the user-defined routes live, and a web
-- server at 203.0.113.10 (seed-windows-networking-for-kubernetes.txt,
-- "Kubernetes networking in Azure Container Service").
local cloud = {}

-- Lays the segments, the router and the web server; opts.cloud makes the
-- VNet a cloud subnet (docs/scenarios.md: only NIC addresses are known,
-- anything else goes to router azure and its UDRs).
function cloud.lay(opts)
  segment("vnet", {latency = "100us", cloud = opts and opts.cloud or nil})
  segment("internet", {latency = "1ms"})
  router("azure", {
    {name = "vnet", segment = "vnet", address = "10.240.0.1/16"},
    {name = "internet", segment = "internet", address = "203.0.113.1/24"},
  })
  host("web", {
    os = "linux",
    nics = {{name = "eth0", segment = "internet", address = "203.0.113.10/24", mac = "00-0D-3A-00-00-10"}},
    gateway = "203.0.113.1",
  })
end

-- A Windows node on the VNet: node N at 10.240.0.(N+3) with NIC Ethernet.
function cloud.windows_node(n)
  return host("node" .. n, {
    nics = {{name = "Ethernet", segment = "vnet", address = "10.240.0." .. (n + 3) .. "/16",
             mac = string.format("00-15-5D-00-00-%02X", n + 3)}},
    gateway = "10.240.0.1",
  })
end

return cloud
