-- acs-no-udr.lua: the seed's negative case of its ACS design: "In the absence of
-- ACS-managed User-Defined Routes, Out-of-Band (OOB) configuration of these
-- routes need to be realized in the Cloud Service Provider network"
-- (seed-windows-networking-for-kubernetes.txt). The cluster of acs-udr.lua,
-- with the UDR of node1's pod /24 but not node2's: node1's pods cannot reach
-- node2's, the router azure has no route to 10.244.2.0/24 and the probe's
-- trace says so; node2's pods still reach node1's host, and node1's pods the
-- internet.

scenario{
  name = "acs-no-udr",
  description = "acs-udr without node2's UDR: cross-node pod traffic stops at router azure",
  profiles = {"ws2019", "ws2022"},
}

require("seed.acs").cluster()

-- Only node1's UDR: node2's pod /24 is routed nowhere.
route("azure", "10.244.1.0/24", "10.240.0.4")

-- Across hosts to node2's pod: no route at the router, and the trace names it.
expect.blocked{from = "node1/pod-a_cbr0", to = "node2/pod-c_cbr0", proto = "tcp", port = 80,
               verdict = "no route", reason = "no route to 10.244.2.5 at router azure"}
expect.blocked{from = "node1/pod-a_cbr0", to = "10.244.2.5", proto = "icmp", verdict = "no route"}
-- node2's pod reaches node1's pod, but the reply has no way back.
expect.blocked{from = "node2/pod-c_cbr0", to = "node1/pod-a_cbr0", proto = "tcp", port = 80,
               reason = "no route to 10.244.2.5 at router azure"}

-- What needs no UDR of node2's still works: pods on one host, and the
-- internet through OutBoundNAT (the reply comes back to node1's address).
expect.reach{from = "node1/pod-a_cbr0", to = "node1/pod-b_cbr0", proto = "tcp", port = 80}
expect.reach{from = "node2/pod-c_cbr0", to = "web", proto = "tcp", port = 443}
