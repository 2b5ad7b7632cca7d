-- stale_remote.lua: a run that leaves a stale remote endpoint, for the
-- shell tests of `hnsim check --run` and of import/export. kube-proxy on
-- node1 syncs a Service whose one backend is node2's pod, which makes
-- node1 a remote endpoint for it; a snapshot labelled "before" holds every
-- invariant; then node2's pod is deleted and nothing syncs again, so the
-- run's end leaves node1's remote endpoint standing for a pod that is gone
-- (kubernetes#135144's aftermath, without kube-proxy's next sync).
scenario{name = "stale", profiles = {"ws2022"}}
local testbed = require("kubeproxy.testbed")
local winkernel = require("kubeproxy.winkernel")
local cluster = require("kubeproxy.cluster").new()
local tb = testbed.l2bridge{nodes = {{name = "node1", address = "10.240.0.4", pod_net = "10.244.1"},
                                     {name = "node2", address = "10.240.0.5", pod_net = "10.244.2"}}}
local web = tb:pod("node2", "web", "10.244.2.6")
cluster:service{name = "web", cluster_ip = "10.96.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("web", {{ip = "10.244.2.6", node = "node2"}})
winkernel.new(tb.nodes.node1.host, cluster, {hostname = "node1", node_ip = "10.240.0.4", network_name = "cbr0"}):sync()
snapshot("before")
local h = tb.nodes.node2.host
h:must(h:delete("endpoint", web.id))
