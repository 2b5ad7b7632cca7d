-- ws2016-kubenet-no-udr.lua: the seed's design (b): ws2016-kubenet.lua
-- without the user-defined routes. "In the absence of ACS-managed
-- User-Defined Routes, Out-of-Band (OOB) configuration of these routes need
-- to be realized in the Cloud Service Provider network"
-- (seed-windows-networking-for-kubernetes.txt): the VNet knows no pod
-- address, so cross-node pod traffic dies at the cloud router, and the trace
-- names it; what needs no UDR still works.
scenario{
  name = "ws2016-kubenet-no-udr",
  description = "ws2016-kubenet without UDRs: cross-node pod traffic stops at router azure",
  profiles = {"ws2016"},
}

require("seed.kubenet2016").cluster()

expect.blocked{from = "node1/pod-a_transparent", to = "node2/pod-c_transparent", proto = "tcp", port = 80,
               verdict = "no route", reason = "no route to 10.244.2.5 at router azure"}
expect.blocked{from = "lnx", to = "node1/pod-a_transparent", proto = "icmp", verdict = "no route",
               reason = "no route to 10.244.1.5 at router azure"}
-- The internet through the NAT endpoint needs no UDR.
expect.reach{from = "node2/pod-c", to = "web", proto = "tcp", port = 443}
