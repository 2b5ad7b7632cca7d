-- ws2016-kubenet.lua: the seed's design (a), Kubernetes on Windows Server
-- 2016 in Azure Container Service (seed-windows-networking-for-kubernetes.txt):
-- per host a Transparent network for pod traffic and a NAT network for the
-- outside, two endpoints per container with static routes inside it, a /24
-- per host, and user-defined routes at the cloud router for "Pod
-- communication between Linux and Windows cluster node VMs". Built by
-- lua/seed/kubenet2016.lua (its header says which routes are inferred).
-- ws2016-kubenet-no-udr.lua is the same cluster without the UDRs.
scenario{
  name = "ws2016-kubenet",
  description = "WS2016 kubenet on ACS: Transparent + NAT networks, two endpoints per container, UDRs per host /24",
  profiles = {"ws2016"},
}

require("seed.kubenet2016").cluster()
route("azure", "10.244.1.0/24", "10.240.0.4")
route("azure", "10.244.2.0/24", "10.240.0.5")
route("azure", "10.244.3.0/24", "10.240.0.6")

-- Pod to pod across Windows nodes, by the Transparent endpoints and the UDRs.
local _, across = expect.reach{from = "node1/pod-a_transparent", to = "node2/pod-c_transparent", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 10.244.1.5:49152 -> 10.244.2.5:80", "pod-c sees pod-a's own address")
local via_router = false
for _, hop in ipairs(across.hops) do
  if hop.stage == "router" and hop.leg == "request" then via_router = true end
end
expect.truthy(via_router, "the VNet hands pod traffic to the cloud router, whose UDR takes it to node2")
-- ... and to a pod of the Linux node, and back.
expect.reach{from = "node1/pod-a_transparent", to = "10.244.3.5", proto = "tcp", port = 80,
             what = "a Windows pod reaches a pod behind the Linux node's bridge"}
expect.reach{from = "lnx", to = "node2/pod-c_transparent", proto = "icmp"}
-- Pod to the internet: the container's default route is its NAT endpoint,
-- and WinNAT gives it the node's address.
local _, out = expect.reach{from = "node1/pod-a", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.240.0.4:49152 -> 203.0.113.10:443", "the internet sees node1's address")
-- The node reaches its own pod through its route to the pod /24 (inferred
-- in lua/seed/kubenet2016.lua), and the other node's through the UDR.
expect.reach{from = "node1", to = "node1/pod-a_transparent", proto = "tcp", port = 80}
expect.reach{from = "node1", to = "node2/pod-c_transparent", proto = "tcp", port = 80}
