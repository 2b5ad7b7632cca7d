-- kubeproxy_startup.lua: kube-proxy's start-up and what its sync does not
-- check (consumers-and-pain-points.md §1.2, §1.3, P3):
--  - the network does not exist yet: kube-proxy waits for the CNI to make it
--    (NewProxier retries getNetworkInfo every second; here, every sync);
--  - the delete-all at start-up, in its two forms: HCN load balancers only
--    (hcnutils.go DeleteAllHnsLoadBalancerPolicy), or every v1 policy list,
--    which also takes the SDN route objects (older kube-proxy and
--    `Get-HnsPolicyList | Remove-HnsPolicyList`);
--  - a load balancer deleted behind kube-proxy's back is not made again
--    while the Service and its endpoints stay the same (policyApplied,
--    kubernetes#135802), only when they change.
scenario{
  name = "kubeproxy-startup",
  description = "kube-proxy winkernel: waiting for the network, the two start-up delete-alls, an out-of-band deletion never repaired",
  profiles = {"ws2022"},
}

local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local inspect = require("kubeproxy.inspect")
local V2 = {Major = 2, Minor = 0}

local tb = testbed.l2bridge{nodes = {
  {name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
  {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"},
}}
tb:pod("node1", "client-1", "10.244.1.5")
tb:pod("node1", "client-2", "10.244.1.7")
tb:pod("node1", "client-3", "10.244.1.8")
local web1 = tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "web-2", "10.244.2.6")
local n1 = tb.nodes.node1
local h = n1.host
local cluster = require("kubeproxy.cluster").new()
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})

-- 1. A node whose CNI has not made the network yet.
local n3 = host("node3", {nics = {{name = "Ethernet", segment = "vnet", address = "10.240.0.6/16", mac = "00-15-5D-00-00-06"}},
                          gateway = "10.240.0.1"})
local kp3 = winkernel.new(n3, cluster, {hostname = "node3", node_ip = "10.240.0.6", network_name = "cbr0"})
expect.equal(kp3:sync(), "waiting for network", "no network cbr0 yet: kube-proxy waits")
n3:must(n3:create_network{Name = "cbr0", Type = "L2Bridge", SchemaVersion = V2,
  Ipams = {{Type = "Static", Subnets = {{IpAddressPrefix = "10.244.3.0/24",
    Routes = {{NextHop = "10.244.3.1", DestinationPrefix = "0.0.0.0/0"}}}}}},
  Policies = {{Type = "NetAdapterName", Settings = {NetworkAdapterName = "Ethernet"}}}})
expect.equal(kp3:sync(), "synced", "the network is there: the first sync runs")
expect.equal(inspect.ips(inspect.remote_endpoints(n3)), {"10.244.1.6", "10.244.2.6"}, "node3: both backends are remote")

-- 2. The two delete-alls. A kube-proxy programs node1; an SDN route object
-- (a policy list of ROUTE policies in v1 terms) sits beside its load balancer.
local kp = winkernel.new(h, cluster, {hostname = "node1", node_ip = n1.address, network_name = "cbr0"})
kp:sync()
h:must(h:hcn("create", "sdnroute", {document = {SchemaVersion = V2, HostComputeEndpoints = {web1.id},
                                                Setting = {{DestinationPrefix = "10.250.0.0/16", NeedEncap = false}}}}))
local function count(kind) return #h:must(h:enumerate(kind)).output end
expect.equal({count("loadbalancer"), count("sdnroute")}, {1, 1}, "one load balancer and one SDN route")
kp = winkernel.new(h, cluster, {hostname = "node1", node_ip = n1.address, network_name = "cbr0"})
expect.equal({kp.deleted_at_start, count("loadbalancer"), count("sdnroute")}, {1, 0, 1},
             "HCN delete-all: the load balancer goes, the SDN route stays")
kp:sync()
kp = winkernel.new(h, cluster, {hostname = "node1", node_ip = n1.address, network_name = "cbr0",
                                delete_all_at_start = "policylists"})
expect.equal({kp.deleted_at_start, count("loadbalancer"), count("sdnroute")}, {2, 0, 0},
             "v1 delete-all (Remove-HnsPolicyList): every policy list goes, the SDN route with the load balancer")
kp:sync()
expect.reach{from = "node1/client-1_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "programmed again"}

-- 3. Someone deletes the load balancer (hnsdiag delete loadbalancers): the
-- Service is "applied", so no later sync looks at it again.
local id = kp:services()["default/web:http"].cluster_ip
h:must(h:delete("loadbalancer", id))
kp:sync()
kp:sync()
expect.equal(count("loadbalancer"), 0, "two syncs later the load balancer is still missing (kubernetes#135802)")
expect.blocked{from = "node1/client-2_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "the Service is down"}
expect.equal(kp:services()["default/web:http"].cluster_ip, id, "kube-proxy still holds the deleted load balancer's ID")
-- A change of the endpoints makes kube-proxy program the Service again.
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}})
kp:sync()
expect.equal(#inspect.find(h, "10.96.0.20", 80), 1, "after an endpoint change the load balancer is back")
expect.reach{from = "node1/client-3_cbr0", to = "10.96.0.20", proto = "tcp", port = 80, what = "the Service is back"}
