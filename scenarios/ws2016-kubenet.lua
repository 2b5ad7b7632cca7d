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

local kubenet = require("seed.kubenet2016")
local node1 = kubenet.cluster()
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

-- The seed's service VIP: "Service IPs can only be associated with one
-- Container Host and will not be load-balanced". WS2016's HNS has no load
-- balancer, so the VIP is put on node1 outside HNS (h:service_vip, whose
-- mechanism is inferred: docs/scenarios.md). Backends: pod-b on node1 and
-- pod-c on node2.
kubenet.pod(node1, 1, "pod-b", 6)
node1:service_vip{vip = "10.96.0.50", port = 80, target_port = 8080, backends = {"10.244.2.5", "10.244.1.6"}}
local seen = {}
for sport = 50000, 50007 do
  local _, p = expect.reach{from = "node1/pod-a_transparent", to = "10.96.0.50", proto = "tcp", port = 80, sport = sport,
                            what = "pod-a -> the service VIP (sport " .. sport .. ")"}
  seen[#seen + 1] = (p.received or ""):match("-> ([%d%.]+:%d+)$")
end
expect.equal(seen, {"10.244.1.6:8080", "10.244.1.6:8080", "10.244.1.6:8080", "10.244.1.6:8080",
                    "10.244.1.6:8080", "10.244.1.6:8080", "10.244.1.6:8080", "10.244.1.6:8080"},
             "not load-balanced: every connection goes to node1's own backend pod-b, never to node2's pod-c")
local _, far = expect.blocked{from = "node2/pod-c_transparent", to = "10.96.0.50", proto = "tcp", port = 80,
                              what = "associated with one host: node2's pod does not reach the VIP"}
local left_node2 = false
for _, hop in ipairs(far.hops) do
  if hop.host == "node2" and hop.stage == "nic-out" then left_node2 = true end
end
expect.truthy(left_node2, "node2 holds no VIP: its pod's packet leaves node2 for the VNet, which does not know it")
