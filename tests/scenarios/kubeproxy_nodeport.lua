-- kubeproxy_nodeport.lua: the other load balancers of a Service
-- (consumers-and-pain-points.md §1.4; loadbalancer.go manageNodePort-,
-- manageExternalIP- and manageIngressIPLoadbalancers): the NodePort one with
-- no frontend VIP (every node address) and the port-mapping flags
-- VipExternalIP (16) + LocalRoutedVIP (2); one per external IP
-- (VipExternalIP); one per ingress IP plus, with --forward-healthcheck-vip,
-- a health-check one to the root HNS endpoint; externalTrafficPolicy Local
-- keeping only local backends with DSR; and clients outside reaching the
-- NodePort on either node.
scenario{
  name = "kubeproxy-nodeport",
  description = "kube-proxy winkernel: NodePort, external IP, ingress and health-check load balancers",
  profiles = {"ws2019", "ws2022"},
}

local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local inspect = require("kubeproxy.inspect")
local cluster = require("kubeproxy.cluster").new()

local tb = testbed.l2bridge{nodes = {
  {name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
  {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"},
}}
tb:pod("node1", "web-1", "10.244.1.6")
tb:pod("node2", "web-2", "10.244.2.6")
local n1, n2 = tb.nodes.node1, tb.nodes.node2
local function proxy(n)
  return winkernel.new(n.host, cluster, {hostname = n.name, node_ip = n.address, network_name = "cbr0",
                                         forward_healthcheck_vip = true, root_hns_endpoint_name = "cbr0_ep"})
end
local kp1, kp2 = proxy(n1), proxy(n2)

cluster:service{name = "web", cluster_ip = "10.96.0.20",
                ports = {{name = "http", port = 80, target_port = 8080, node_port = 30080}},
                external_ips = {"10.240.0.100"}, ingress_ips = {"10.240.0.200"}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1"}, {ip = "10.244.2.6", node = "node2"}})
kp1:sync()
kp2:sync()

-- Five load balancers on node1: ClusterIP, NodePort (no VIP), external IP,
-- ingress IP and its health check (10256, kube-proxy's healthz port, to the
-- host endpoint cbr0_ep at 10.244.1.2).
expect.equal(inspect.summary(n1.host), {
  "<node>:30080/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=18 dist=0",
  "10.240.0.100:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=16 dist=0",
  "10.240.0.200:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=16 dist=0",
  "10.240.0.200:10256/6 -> 10256 [10.244.1.2] flags=0 pm=0 dist=0",
  "10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0",
}, "node1: ClusterIP, NodePort, external IP, ingress IP and health-check load balancers")
local s = kp1:services()["default/web:http"]
expect.truthy(s.applied and s.node_port ~= "" and s.health_checks["10.240.0.200"] ~= "", "kube-proxy keeps each ID")

-- A client outside the cluster reaches the NodePort on both nodes, whichever
-- node holds the chosen backend.
expect.reach{from = "web", to = "10.240.0.4", proto = "tcp", port = 30080, what = "internet -> node1:30080"}
expect.reach{from = "web", to = "10.240.0.5", proto = "tcp", port = 30080, what = "internet -> node2:30080"}

-- externalTrafficPolicy Local: NodePort, external and ingress load balancers
-- keep the local backend only, with DSR; the ClusterIP one keeps both.
cluster:service{name = "web", cluster_ip = "10.96.0.20",
                ports = {{name = "http", port = 80, target_port = 8080, node_port = 30080}},
                external_ips = {"10.240.0.100"}, ingress_ips = {"10.240.0.200"},
                external_traffic_policy = "Local", health_check_node_port = 32100}
kp1:sync()
expect.equal(inspect.summary(n1.host), {
  "<node>:30080/6 -> 8080 [10.244.1.6] flags=1 pm=18 dist=0",
  "10.240.0.100:80/6 -> 8080 [10.244.1.6] flags=1 pm=16 dist=0",
  "10.240.0.200:80/6 -> 8080 [10.244.1.6] flags=1 pm=16 dist=0",
  "10.240.0.200:32100/6 -> 32100 [10.244.1.2] flags=0 pm=0 dist=0",
  "10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0",
}, "node1 with externalTrafficPolicy Local: local backends and DSR outside the cluster; health check on the service's port")
expect.equal(kp1:failures(), {}, "HNS refused nothing")
expect.reach{from = "web", to = "10.240.0.4", proto = "tcp", port = 30080, what = "internet -> node1:30080 (Local, DSR)"}

-- internalTrafficPolicy Local on top: the ClusterIP load balancer keeps the
-- local backend; with both policies Local the remote backend is not used at
-- all, so node1's remote endpoint for it goes.
cluster:service{name = "web", cluster_ip = "10.96.0.20",
                ports = {{name = "http", port = 80, target_port = 8080, node_port = 30080}},
                external_traffic_policy = "Local", internal_traffic_policy = "Local"}
kp1:sync()
expect.equal(inspect.summary(n1.host), {
  "<node>:30080/6 -> 8080 [10.244.1.6] flags=1 pm=18 dist=0",
  "10.96.0.20:80/6 -> 8080 [10.244.1.6] flags=0 pm=0 dist=0",
}, "both traffic policies Local")
expect.equal(inspect.remote_endpoints(n1.host), {}, "no remote endpoint is kept")

-- Every endpoint terminating but still serving (KEP-1669, for Services with
-- ingress IPs): the ClusterIP load balancer uses them, but no load balancer
-- that faces outside is made ("endpointsAvailableForLB" is false).
cluster:service{name = "web", cluster_ip = "10.96.0.20",
                ports = {{name = "http", port = 80, target_port = 8080, node_port = 30080}},
                external_ips = {"10.240.0.100"}, ingress_ips = {"10.240.0.200"}}
cluster:endpoints("web", {{ip = "10.244.1.6", node = "node1", ready = false, serving = true, terminating = true},
                          {ip = "10.244.2.6", node = "node2", ready = false, serving = true, terminating = true}})
kp1:sync()
expect.equal(inspect.summary(n1.host), {"10.96.0.20:80/6 -> 8080 [10.244.1.6,10.244.2.6] flags=0 pm=0 dist=0"},
             "all endpoints terminating: only the ClusterIP load balancer, over the serving-terminating ones")
