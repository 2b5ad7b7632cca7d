-- seed/lan.lua: the on-premises network the CNI samples assume, shared by
-- the scenarios that run them: segment "lan" (100 us a crossing), router
-- "gw" between it and the internet 203.0.113.0/24 (1 ms), and a web server
-- at 203.0.113.10. `gateway` is the router's LAN address with its prefix
-- length ("10.127.130.1/24"), the nodes' default gateway.
local lan = {}

function lan.lay(gateway)
  segment("lan", {latency = "100us"})
  segment("internet", {latency = "1ms"})
  router("gw", {
    {name = "lan", segment = "lan", address = gateway},
    {name = "internet", segment = "internet", address = "203.0.113.1/24"},
  })
  host("web", {os = "linux", nics = {{name = "eth0", segment = "internet", address = "203.0.113.10/24"}},
               gateway = "203.0.113.1"})
end

return lan
