-- acs-udr.lua: the seed's ACS design (seed-windows-networking-for-kubernetes.txt,
-- "Kubernetes networking in Azure Container Service"): no overlay; "a /24 CIDR
-- IP pool (routable between container host VMs) is allocated to each
-- container host with one IP assigned per Pod", and user-defined routes (UDRs)
-- at the cloud router send each /24 to its host.
--
-- Two Windows hosts on the cluster's VNet 10.240.0.0/16 with L2Bridge pods,
-- as lua/seed/acs.lua builds them: every HNS object through the host's HNS
-- with the JSON documents the SDN scripts, containerd and win-bridge send.
-- acs-no-udr.lua is the same cluster without node2's UDR.

scenario{
  name = "acs-udr",
  description = "two Windows hosts, L2Bridge pods, each pod /24 routed to its host by a UDR at router azure",
  profiles = {"ws2019", "ws2022"},
}

require("seed.acs").cluster()

-- The UDRs: each host's pod /24 to the host.
route("azure", "10.244.1.0/24", "10.240.0.4")
route("azure", "10.244.2.0/24", "10.240.0.5")

-- Pod to pod on one host, and across hosts both ways, without NAT.
expect.reach{from = "node1/pod-a_cbr0", to = "node1/pod-b_cbr0", proto = "tcp", port = 80}
local _, across = expect.reach{from = "node1/pod-a_cbr0", to = "node2/pod-c_cbr0", proto = "tcp", port = 80}
expect.equal(across.received, "tcp 10.244.1.5:49152 -> 10.244.2.5:80", "pod-c sees pod-a's own address")
expect.reach{from = "node2/pod-c_cbr0", to = "node1/pod-a_cbr0", proto = "icmp"}

-- Pod to the internet: OutBoundNAT gives it the node's address.
local _, out = expect.reach{from = "node1/pod-a_cbr0", to = "web", proto = "tcp", port = 443}
expect.equal(out.received, "tcp 10.240.0.4:49152 -> 203.0.113.10:443", "the internet sees node1's address")

-- The pod /24s are routable: the internet reaches a pod.
expect.reach{from = "web", to = "node2/pod-c_cbr0", proto = "tcp", port = 80}
