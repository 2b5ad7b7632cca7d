-- pain-dsr-hairpin.lua: consumers-and-pain-points.md P8, calico#5522:
-- "if the service selects the pod you are running on it will fail". With
-- kube-proxy's --enable-dsr, a pod calling a Service whose chosen backend
-- is itself times out unless its endpoint carries the loopback DSR policy,
-- an OutBoundNAT whose Destinations is the pod's own address (calico
-- PR#5523 added it to Calico; win-bridge adds it for "loopbackDSR": true,
-- containernetworking/plugins pkg/hns ApplyLoopbackDSRPolicy; sdnbridge
-- lacked it until 2021, sig-windows-tools#119). Turning DSR off is the
-- workaround users were given (AKS#2608).
--
-- One flannel host-gw node with the real cniplugins_win-bridge_sample-v2.conf
-- (tests/corpus/cni-samples): pod-a from the file with "loopbackDSR" set to
-- false, pod-b from the file as given (true). Service svc-a's only backend is
-- pod-a, svc-b's pod-b. Expected:
--   * with DSR: pod-a -> svc-a fails on the reply leg (its answer to itself
--     never gets the VIP back), and the trace says hairpin; pod-b -> svc-b
--     answers (loopback DSR); pod-a -> svc-b answers (no hairpin);
--   * kube-proxy restarted without DSR: pod-a -> svc-a answers.
-- HNS has DSR from the 2020-08 WS2019 update (docs/profiles.md): ws2019,
-- ws2022. How VFP turns the packet back to its port, and the source a
-- hairpin gets without DSR, are inferred (docs/dataplane.md "Hairpin").
scenario{
  name = "pain-dsr-hairpin",
  description = "calico#5522: with DSR, a pod calling its own Service times out without loopback DSR",
  profiles = {"ws2019", "ws2022"},
}

local samples = require("cni.samples")
local flannel = require("cni.flannel")
local kubelet = require("cni.kubelet")
local winkernel = require("kubeproxy.winkernel")
local cluster = require("kubeproxy.cluster").new()

local CONF = samples["cniplugins_win-bridge_sample-v2.conf"]
local no_loopback = json.decode(CONF)
no_loopback.delegate.loopbackDSR = false
local CONF_NO_LOOPBACK = json.encode(no_loopback)

require("seed.lan").lay("10.137.196.1/22")
local n1 = host("node1", {nics = {{name = "Ethernet", segment = "lan", address = "10.137.198.27/22"}},
                          gateway = "10.137.196.1"})
flannel.host_gw(n1, {subnet = "192.168.1.0/24"})
local env = {subnet_env = {network = "192.168.0.0/16", subnet = "192.168.1.0/24", mtu = 1500, ipmasq = true}}

-- containerd's first ADD on a fresh flannel node collides with cbr0_ep at
-- x.2 (microsoft/SDN#333, tests/scenarios/cni_winbridge_v2.lua); the
-- retry succeeds.
local function run_pod(conf, pod)
  local st = kubelet.containerd_run(n1, conf, pod, {subnet_env = env.subnet_env})
  return st or assert(kubelet.containerd_run(n1, conf, pod, {subnet_env = env.subnet_env}))
end
local a = run_pod(CONF_NO_LOOPBACK, {name = "pod-a", namespace = "default", sandbox = "sandbox-a"})
local b = run_pod(CONF, {name = "pod-b", namespace = "default", sandbox = "sandbox-b"})
local ip_a, ip_b = a.result.ip4.ip:match("^[^/]+"), b.result.ip4.ip:match("^[^/]+")

local function has_loopback_policy(st, ip)
  local ep = n1:must(n1:query("endpoint", st.info.endpoint.ID)).output
  for _, p in ipairs(ep.Policies) do
    if p.Type == "OutBoundNAT" and p.Settings.Destinations and p.Settings.Destinations[1] == ip then return true end
  end
  return false
end
expect.equal(has_loopback_policy(a, ip_a), false, "pod-a (loopbackDSR false): no loopback DSR policy")
expect.equal(has_loopback_policy(b, ip_b), true, "pod-b (loopbackDSR true): OutBoundNAT Destinations [its IP]")

cluster:service{name = "svc-a", cluster_ip = "11.0.0.20", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("svc-a", {{ip = ip_a, node = "node1"}})
cluster:service{name = "svc-b", cluster_ip = "11.0.0.21", ports = {{name = "http", port = 80, target_port = 8080}}}
cluster:endpoints("svc-b", {{ip = ip_b, node = "node1"}})

local POD_A, POD_B = "node1/sandbox-a_cbr0", "node1/sandbox-b_cbr0"

-- 1. kube-proxy with --enable-dsr.
local kp = winkernel.new(n1, cluster, {hostname = "node1", node_ip = "10.137.198.27", network_name = "cbr0",
                                       enable_dsr = true})
kp:sync()
expect.equal(kp:failures(), {}, "DSR: kube-proxy's load balancers were all created")
local _, p = expect.blocked{from = POD_A, to = "11.0.0.20", proto = "tcp", port = 80, verdict = "dropped",
                            reason = "a hairpin", what = "DSR: pod-a -> its own service svc-a times out (no loopback DSR)"}
expect.equal(p.received, string.format("tcp %s:49152 -> %s:8080", ip_a, ip_a),
             "DSR: pod-a's request came back to it with its own address as the source")
expect.reach{from = POD_B, to = "11.0.0.21", proto = "tcp", port = 80,
             what = "DSR: pod-b -> its own service svc-b answers (loopback DSR)"}
expect.reach{from = POD_A, to = "11.0.0.21", proto = "tcp", port = 80,
             what = "DSR: pod-a -> svc-b answers (another pod, no hairpin)"}

-- 2. The workaround: kube-proxy restarted without DSR.
kp:stop()
run{to = "60s"}
kp = winkernel.new(n1, cluster, {hostname = "node1", node_ip = "10.137.198.27", network_name = "cbr0",
                                  enable_dsr = false})
kp:sync()
expect.equal(kp.deleted_at_start, 2, "the restarted kube-proxy deleted both DSR load balancers at start-up")
-- A new connection (a new source port): the DSR attempt's tracked flow
-- outlives its load balancer (docs/dataplane.md).
expect.reach{from = POD_A, to = "11.0.0.20", proto = "tcp", port = 80, sport = 50000,
             what = "no DSR: pod-a -> its own service svc-a answers (AKS#2608's workaround)"}
expect.invariant()
