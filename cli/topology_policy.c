/* topology_policy.c: the built-in topologies whose paths depend on HNS
 * policies (hnsmock/hns_model_policy.c and its neighbours carry them into
 * the model): flannel's VXLAN overlay, WinNAT to the internet, a Service
 * VIP load-balanced by kube-proxy, and a network policy (an ACL).
 *
 * Addresses follow topology_seed.c: the VNet 10.240.0.0/16 behind router
 * "azure", node N at 10.240.0.(N+3) with its pods in 10.244.N.0/24, the
 * service CIDR 10.96.0.0/12, "web" at 203.0.113.10. */
#include <stdio.h>
#include <string.h>
#include "hns_profile.h"
#include "sim_policy.h"
#include "topology_int.h"

/* ---- overlay: flannel's vxlan backend with win-overlay ---- */

/* The Overlay network flannel makes on a node (flannel-io/flannel
 * pkg/backend/vxlan/device_windows.go): its lease as the subnet, gateway
 * .1, the VSID subnet policy with the VNI (4096, flannel's Windows default
 * and minimum), bound to the NIC, non-persistent (Flags 8); then the
 * HostRoute policy flannel adds. Windows HNS gives the network a
 * DrMacAddress policy of its own, which flannel reads back as its VTEP
 * MAC; hnsim's HNS does not, so the document carries one in Hyper-V's
 * 00-15-5D range (inferred). */
static int overlay_node(topology *t, const char *host, const char *addr, const char *mac, int n) {
  char net_id[37];
  if (topo_windows_host(t, host, addr, mac) ||
      topo_create(t, host, HNS_NETWORK, NULL, net_id,
                  "{\"Name\":\"vxlan0\",\"Type\":\"Overlay\",\"Flags\":8,\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
                  "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"10.244.%d.0/24\","
                  "\"Routes\":[{\"NextHop\":\"10.244.%d.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}],"
                  "\"Policies\":[{\"Type\":\"VSID\",\"Settings\":{\"IsolationId\":4096}}]}]}],"
                  "\"Policies\":[{\"Type\":\"NetAdapterName\",\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"}},"
                  "{\"Type\":\"DrMacAddress\",\"Settings\":{\"Address\":\"00-15-5D-BB-00-0%d\"}}]}",
                  n, n, n + 3) ||
      topo_modify(t, host, HNS_NETWORK, net_id,
                  "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":"
                  "[{\"Type\":\"HostRoute\",\"Settings\":{}}]}}"))
    return -1;
  return 0;
}

/* A pod as win-overlay's v2 path makes it (consumers §2.1): MAC
 * "0E-2A-" + the IP's bytes, the gateway from the network's subnet, the
 * flannel sample's OutBoundNAT exceptions and service route
 * (sdn_flannel_overlay_cni.conf) and the PA policy with the node's IP. */
static int overlay_pod(topology *t, const char *host, const char *sandbox, int n, const char *node_ip) {
  char ip[32], gw[32], mac[32], policies[512];
  snprintf(ip, sizeof ip, "10.244.%d.5", n);
  snprintf(gw, sizeof gw, "10.244.%d.1", n);
  snprintf(mac, sizeof mac, "0E-2A-0A-F4-%02X-05", (unsigned)n);
  snprintf(policies, sizeof policies,
           "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.244.0.0/16\",\"10.96.0.0/12\"]}},"
           "{\"Type\":\"SDNRoute\",\"Settings\":{\"DestinationPrefix\":\"10.96.0.0/12\",\"NeedEncap\":true}},"
           "{\"Type\":\"ProviderAddress\",\"Settings\":{\"ProviderAddress\":\"%s\"}}",
           node_ip);
  topo_pod_spec p = {"vxlan0", sandbox, ip, gw, mac, policies};
  return topo_pod_on(t, host, &p, NULL, NULL);
}

/* flannel on `host` learns a peer's lease (vxlan_network_windows.go): a
 * RemoteSubnetRoute to the peer's IP with its VTEP (DR) MAC. */
static int flannel_peer(topology *t, const char *host, int peer) {
  char net_id[37];
  return topo_network_id(t, host, "vxlan0", net_id) ||
         topo_modify(t, host, HNS_NETWORK, net_id,
                     "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":"
                     "\"RemoteSubnetRoute\",\"Settings\":{\"DestinationPrefix\":\"10.244.%d.0/24\",\"IsolationId\":4096,"
                     "\"ProviderAddress\":\"10.240.0.%d\",\"DistributedRouterMacAddress\":\"00-15-5D-BB-00-0%d\"}}]}}",
                     peer, peer + 3, peer + 3);
}

static int build_overlay(topology *t) {
  return topo_fabric(t, "azure") || overlay_node(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04", 1) ||
         overlay_node(t, "node2", "10.240.0.5/16", "00-15-5D-00-00-05", 2) ||
         overlay_pod(t, "node1", "pod-a", 1, "10.240.0.4") || overlay_pod(t, "node2", "pod-c", 2, "10.240.0.5") ||
         flannel_peer(t, "node1", 2) || flannel_peer(t, "node2", 1);
}

/* ---- nat-internet: Docker's NAT network and WinNAT ---- */

/* A container on the NAT network, as Docker makes it through HNSCall
 * (facts §6: "Port forwarding host->container supported"): its endpoint
 * with a v1 NAT policy publishing host port 8080 to its port 80, attached
 * to the container. */
static int build_nat_internet(topology *t) {
  char ep[37], path[80];
  if (topo_fabric(t, "azure") || topo_windows_host(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04") ||
      topo_hnscall(t, "node1", "POST", "/networks", NULL,
                   "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\","
                   "\"GatewayAddress\":\"172.20.0.1\"}]}") ||
      topo_hnscall(t, "node1", "POST", "/endpoints", ep,
                   "{\"Name\":\"ctr-a_nat\",\"VirtualNetworkName\":\"nat\",\"IPAddress\":\"172.20.0.2\",\"Policies\":"
                   "[{\"Type\":\"NAT\",\"Protocol\":\"TCP\",\"InternalPort\":80,\"ExternalPort\":8080}]}"))
    return -1;
  snprintf(path, sizeof path, "/endpoints/%s/attach", ep);
  return topo_hnscall(t, "node1", "POST", path, NULL, "{\"ContainerId\":\"ctr-a\",\"SystemType\":\"Container\"}");
}

/* ---- service-vip: a ClusterIP across two hosts ---- */

#define VIP "10.96.0.50"

/* kube-proxy's remote endpoint for a backend on another node (consumers
 * §1.4: Flags RemoteEndpoint, MAC "02-11-" + the IP's bytes; on l2bridge
 * no ProviderAddress, §1.5). */
static int remote_endpoint(topology *t, const char *host, int n, char id[37]) {
  char net_id[37];
  return topo_network_id(t, host, "cbr0", net_id) ||
         topo_create(t, host, HNS_ENDPOINT, net_id, id,
                     "{\"Name\":\"remote-10.244.%d.5\",\"HostComputeNetwork\":\"%s\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
                     "\"IpConfigurations\":[{\"IpAddress\":\"10.244.%d.5\"}],\"MacAddress\":\"02-11-0A-F4-%02X-05\",\"Flags\":1}",
                     n, net_id, n, (unsigned)n);
}

/* kube-proxy's ClusterIP LB (consumers §1.4): the VIP, targetPort 8080 ->
 * port 80, every backend. */
static int cluster_ip_lb(topology *t, const char *host, const char *a, const char *b) {
  return topo_create(t, host, HNS_LOADBALANCER, NULL, NULL,
                     "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"HostComputeEndpoints\":[\"%s\",\"%s\"],"
                     "\"FrontendVIPs\":[\"" VIP "\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":8080,"
                     "\"ExternalPort\":80,\"DistributionType\":0,\"Flags\":0}],\"Flags\":0}",
                     a, b);
}

/* The ACS design (two L2Bridge hosts, UDRs) with a client pod-a and a
 * backend pod-b on node1, a backend pod-c (10.244.2.5) on node2, and each
 * node's kube-proxy programming the service: the other node's backend as
 * a remote endpoint, then the LB over both. */
static int service_vip_hns(topology *t) {
  char b[37], c[37], rb[37], rc[37];
  topo_pod_spec pb = {"cbr0", "pod-b", "10.244.1.6", "10.244.1.2", NULL, TOPO_OUTBOUND_NAT};
  topo_pod_spec pc = {"cbr0", "pod-c", "10.244.2.5", "10.244.2.2", NULL, TOPO_OUTBOUND_NAT};
  return topo_fabric(t, "azure") || topo_windows_host(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04") ||
         topo_l2bridge_node(t, "node1", "10.244.1") || topo_pod(t, "node1", "pod-a", "10.244.1.5", NULL) ||
         topo_pod_on(t, "node1", &pb, b, NULL) ||
         topo_windows_host(t, "node2", "10.240.0.5/16", "00-15-5D-00-00-05") ||
         topo_l2bridge_node(t, "node2", "10.244.2") || topo_pod_on(t, "node2", &pc, c, NULL) ||
         topo_udr(t, "azure", "10.244.1.0/24", "10.240.0.4") || topo_udr(t, "azure", "10.244.2.0/24", "10.240.0.5") ||
         remote_endpoint(t, "node1", 2, rc) || cluster_ip_lb(t, "node1", b, rc) ||
         remote_endpoint(t, "node2", 1, rb) || cluster_ip_lb(t, "node2", c, rb);
}

/* WS2016 has no HNS load balancer (docs/profiles.md): the seed's kube-proxy
 * served a VIP "associated with one Container Host" and "not
 * load-balanced". The same design on WS2016's two endpoints per pod, with
 * the seed's static route for the service CIDR on the Transparent
 * endpoint ("the container endpoint attached to the service network"),
 * and the VIP on node1 only, put in the model directly since it is no HNS
 * object; the host's profile (service_vip_balanced 0) ties it to node1's
 * local backend (all inferred). */
static int service_vip_ws2016(topology *t) {
  static const char *const pods[][2] = {{"node1", "pod-a"}, {"node1", "pod-b"}, {"node2", "pod-c"}};
  if (topo_fabric(t, "azure") ||
      topo_ws2016_node(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04", "10.244.1", "pod-a", "10.244.1.5") ||
      topo_ws2016_endpoint(t, "node1", "pod-b", "nat", NULL) ||
      topo_ws2016_endpoint(t, "node1", "pod-b", "transparent", "10.244.1.6") ||
      topo_ws2016_node(t, "node2", "10.240.0.5/16", "00-15-5D-00-00-05", "10.244.2", "pod-c", "10.244.2.5") ||
      topo_static_route(t, "node1", "pod-b", "10.244.0.0/16", NULL, "pod-b_transparent"))
    return -1;
  for (size_t i = 0; i < sizeof pods / sizeof pods[0]; i++) {
    char iface[64];
    snprintf(iface, sizeof iface, "%s_transparent", pods[i][1]);
    if (topo_static_route(t, pods[i][0], pods[i][1], "10.96.0.0/12", NULL, iface)) return -1;
  }
  sim_ip vip;
  sim_ip_parse(VIP, &vip);
  sim_lb_mapping m = {6, 8080, 80, 0, 0};
  sim_lb_backend be[2] = {{{4, {10, 244, 1, 6}}, 1}, {{4, {10, 244, 2, 5}}, 0}};
  sim_lb_spec spec = {"kube-proxy " VIP, &vip, 1, &m, 1, be, 2, 0, NULL, 0, 0};
  if (sim_policy_lb_add(t->net, "node1", &spec)) {
    snprintf(t->error, sizeof t->error, "the VIP on node1: %s", sim_net_last_error(t->net));
    return -1;
  }
  return 0;
}

static int build_service_vip(topology *t) {
  const hns_profile *p = hns_profile_find(t->profile);
  return p && !p->max_lb_backends ? service_vip_ws2016(t) : service_vip_hns(t);
}

/* ---- network-policy: an ACL blocking a port ---- */

/* Calico-shaped ACL policies (docs/dataplane.md "ACL stage"): allow all
 * both ways at priority 1000, block inbound TCP 81 at 100. */
static int build_network_policy(topology *t) {
  topo_pod_spec pb = {"cbr0", "pod-b", "10.244.1.6", "10.244.1.2", NULL,
                      TOPO_OUTBOUND_NAT ","
                      "{\"Type\":\"ACL\",\"Settings\":{\"Id\":\"allow-in\",\"Action\":\"Allow\",\"Direction\":\"In\","
                      "\"RuleType\":\"Switch\",\"Priority\":1000}},"
                      "{\"Type\":\"ACL\",\"Settings\":{\"Id\":\"allow-out\",\"Action\":\"Allow\",\"Direction\":\"Out\","
                      "\"RuleType\":\"Switch\",\"Priority\":1000}},"
                      "{\"Type\":\"ACL\",\"Settings\":{\"Id\":\"deny-tcp-81\",\"Protocols\":\"6\",\"Action\":\"Block\","
                      "\"Direction\":\"In\",\"LocalPorts\":\"81\",\"RuleType\":\"Switch\",\"Priority\":100}}"};
  return topo_fabric(t, "azure") || topo_windows_host(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04") ||
         topo_l2bridge_node(t, "node1", "10.244.1") || topo_pod(t, "node1", "pod-a", "10.244.1.5", NULL) ||
         topo_pod_on(t, "node1", &pb, NULL, NULL);
}

/* Truth-table rules. overlay: pods reach each other and, through
 * OutBoundNAT, the other node and the internet; flannel's HostRoute
 * policy is "for local host to local pod connectivity" (flannel-io/flannel
 * pkg/backend/vxlan/device_windows.go), so a host reaches its own pods;
 * nothing says how a host reaches another host's pods, or a pod its own
 * host's address through OutBoundNAT (ignored). */
static const char *expect_overlay(const char *profile) {
  (void)profile;
  return "node1 node2/*:* ignored\nnode2 node1/*:* ignored\nnode1/* node1:* ignored\nnode2/* node2:* ignored\n";
}

/* service-vip: every pod reaches the VIP from ws2019 on; on ws2016 the
 * VIP is "associated with one Container Host", node1 (the seed), so
 * node2's pods do not reach it. Whether a host reaches a ClusterIP
 * itself no source here says (ignored). A backend may be given itself
 * (hairpin): this load balancer has no DSR, and users find a hairpin
 * answers once DSR is off (AKS#2608, calico#5522), so from ws2019 on those
 * cells are expected delivered like the rest; on ws2016, whose HNS has no
 * load balancer at all, nothing says (ignored). */
static const char *expect_service_vip(const char *profile) {
  const hns_profile *p = hns_profile_find(profile);
  if (p && !p->max_lb_backends)
    return TOPO_WS2016_RULES "node? " VIP ":* ignored\nnode2/* " VIP ":* blocked\nnode1/pod-b* " VIP ":* ignored\n";
  return "node? " VIP ":* ignored\n";
}

/* network-policy: the ACL blocks TCP 81 into pod-b, from anyone (it names
 * no remote address); nothing else. */
static const char *expect_network_policy(const char *profile) {
  (void)profile;
  return "* node1/pod-b_cbr0:tcp/81 blocked\n";
}

const topology_def topo_overlay = {
    "overlay",
    "flannel's VXLAN backend (VNI 4096) with win-overlay pods on two hosts; each node's RemoteSubnetRoute to the other",
    "ws2022",
    "node1 (Windows, Ethernet 10.240.0.4): pod-a_vxlan0 10.244.1.5; node2 (Windows, Ethernet 10.240.0.5): "
    "pod-c_vxlan0 10.244.2.5; web (external) 203.0.113.10",
    NULL, build_overlay, NULL, expect_overlay};
const topology_def topo_nat_internet = {
    "nat-internet", "a container on Docker's NAT network reaching the internet through WinNAT; host port 8080 to its 80",
    "ws2022", "node1 (Windows, Ethernet 10.240.0.4): ctr-a_nat 172.20.0.2; web (external) 203.0.113.10", NULL,
    build_nat_internet, NULL, NULL};
const topology_def topo_service_vip = {
    "service-vip",
    "ClusterIP " VIP ":80 -> 8080 on backends on two hosts (kube-proxy's LBs); balanced from ws2019 on, tied to "
    "node1's backend on --profile ws2016",
    "ws2019",
    "as acs-udr, plus pod-b_cbr0 10.244.1.6 on node1; backends pod-b and pod-c (10.244.2.5); on ws2016: "
    "pod-a_transparent, pod-b_transparent, pod-c_transparent (and their _nat endpoints)",
    NULL, build_service_vip, VIP, expect_service_vip};
const topology_def topo_network_policy = {
    "network-policy", "one-host with ACL policies on pod-b: inbound TCP 81 blocked (Id deny-tcp-81), the rest allowed",
    "ws2022", WIN_NODE1_TEXT ", pod-a_cbr0 10.244.1.5, pod-b_cbr0 10.244.1.6", NULL, build_network_policy, NULL, expect_network_policy};
