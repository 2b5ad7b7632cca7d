/* topology_seed.c: the built-in topologies, each a design of the seed
 * (seed-windows-networking-for-kubernetes.txt, "the seed" below), and the
 * table `hnsim trace --list` prints.
 *
 * Addresses follow the seed's ACS design: the cluster's VNet
 * 10.240.0.0/16, one routable pod /24 per host ("A /24 CIDR IP pool
 * (routable between container host VMs) is allocated to each container
 * host"), node N's pods in 10.244.N.0/24, the cloud router "azure" at
 * 10.240.0.1 holding the user-defined routes, and an external web server
 * at 203.0.113.10 behind it. */
#include <stdio.h>
#include <string.h>
#include "topology_int.h"

/* Two pods on one L2Bridge host: the CNI design the seed announces
 * ("a CNI plugin ... on Windows"), as win-bridge and the SDN scripts make
 * it (consumers §2.1, §3.1). */
static int build_one_host(topology *t) {
  return topo_fabric(t, "azure") || topo_windows_host(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04") ||
         topo_l2bridge_node(t, "node1", "10.244.1") || topo_pod(t, "node1", "pod-a", "10.244.1.5", NULL) ||
         topo_pod(t, "node1", "pod-b", "10.244.1.6", NULL);
}

/* The seed's ACS design: two Windows hosts, each pod /24 routed to its
 * host by a user-defined route at the cloud router ("configures
 * User-Defined Routes (UDR) ... for Pod communication"). `udr2`: whether
 * node2's /24 has its route; without it, the negative case: "In the
 * absence of ACS-managed User-Defined Routes, Out-of-Band (OOB)
 * configuration of these routes need to be realized". */
static int build_acs(topology *t, int udr2) {
  return topo_fabric(t, "azure") || topo_windows_host(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04") ||
         topo_l2bridge_node(t, "node1", "10.244.1") || topo_pod(t, "node1", "pod-a", "10.244.1.5", NULL) ||
         topo_pod(t, "node1", "pod-b", "10.244.1.6", NULL) ||
         topo_windows_host(t, "node2", "10.240.0.5/16", "00-15-5D-00-00-05") ||
         topo_l2bridge_node(t, "node2", "10.244.2") || topo_pod(t, "node2", "pod-c", "10.244.2.5", NULL) ||
         topo_udr(t, "azure", "10.244.1.0/24", "10.240.0.4") ||
         (udr2 && topo_udr(t, "azure", "10.244.2.0/24", "10.240.0.5"));
}

static int build_acs_udr(topology *t) { return build_acs(t, 1); }
static int build_acs_no_udr(topology *t) { return build_acs(t, 0); }

/* The seed's mixed cluster ("Pod communication between Linux and Windows
 * cluster node VMs"): a Windows host and a Linux host whose pods sit
 * behind a bridge (kubenet's cbr0), both /24s routed by the cloud. */
static int build_mixed_linux(topology *t) {
  sim_prefix eth0, br;
  sim_mac mac;
  sim_route_spec def = {SIM_HOST_COMPARTMENT, {{4, {0}}, 0}, {4, {10, 240, 0, 1}}, "eth0", 0, NULL};
  sim_prefix_parse("10.240.0.6/16", &eth0);
  sim_prefix_parse("10.244.3.1/24", &br);
  sim_mac_parse("00-0D-3A-00-00-06", &mac);
  if (topo_fabric(t, "azure") || topo_windows_host(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04") ||
      topo_l2bridge_node(t, "node1", "10.244.1") || topo_pod(t, "node1", "pod-a", "10.244.1.5", NULL))
    return -1;
  if (sim_net_host_add(t->net, "lnx", SIM_HOST_LINUX) || sim_net_nic_add(t->net, "lnx", "eth0", "vnet", &eth0, &mac) ||
      sim_net_bridge_add(t->net, "lnx", "cbr0", &br) || sim_net_route_add(t->net, "lnx", &def)) {
    snprintf(t->error, sizeof t->error, "Linux host lnx: %s", sim_net_last_error(t->net));
    return -1;
  }
  return topo_udr(t, "azure", "10.244.1.0/24", "10.240.0.4") || topo_udr(t, "azure", "10.244.3.0/24", "10.240.0.6");
}

/* A pod whose containers share one namespace and talk over localhost:
 * the seed's "multiple containers in a Pod ... communicate with each
 * other through localhost" (containerd's shared compartment, consumers
 * §2.4: the namespace lists both containers). */
static int build_localhost(topology *t) {
  char ns[37];
  return topo_fabric(t, "azure") || topo_windows_host(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04") ||
         topo_l2bridge_node(t, "node1", "10.244.1") || topo_pod(t, "node1", "pod-a", "10.244.1.5", ns) ||
         topo_modify(t, "node1", HNS_NAMESPACE, ns,
                     "{\"ResourceType\":\"Container\",\"RequestType\":\"Add\",\"Settings\":{\"ContainerId\":\"pod-a-app\"}}") ||
         topo_modify(t, "node1", HNS_NAMESPACE, ns,
                     "{\"ResourceType\":\"Container\",\"RequestType\":\"Add\",\"Settings\":{\"ContainerId\":\"pod-a-sidecar\"}}");
}

/* One WS2016 host of the seed's kubenet design: a NAT network for
 * external traffic and a Transparent one for pod traffic, two endpoints
 * per container ("Two container endpoints ... are required for each
 * Windows container"), made through HNSCall since WS2016 has no HCN v2
 * API (docs/profiles.md). */
/* An endpoint "<pod>_<network>" (its IP from HNS when ip is NULL),
 * attached to the container `pod` with HNSCall's /attach. */
int topo_ws2016_endpoint(topology *t, const char *host, const char *pod, const char *network, const char *ip) {
  char ep[37], path[80];
  if (ip ? topo_hnscall(t, host, "POST", "/endpoints", ep,
                        "{\"Name\":\"%s_%s\",\"VirtualNetworkName\":\"%s\",\"IPAddress\":\"%s\"}", pod, network,
                        network, ip)
         : topo_hnscall(t, host, "POST", "/endpoints", ep, "{\"Name\":\"%s_%s\",\"VirtualNetworkName\":\"%s\"}", pod,
                        network, network))
    return -1;
  snprintf(path, sizeof path, "/endpoints/%s/attach", ep);
  return topo_hnscall(t, host, "POST", path, NULL, "{\"ContainerId\":\"%s\",\"SystemType\":\"Container\"}", pod);
}

int topo_ws2016_node(topology *t, const char *host, const char *addr, const char *mac, const char *pod_net,
                       const char *pod, const char *pod_ip) {
  if (topo_windows_host(t, host, addr, mac) ||
      topo_hnscall(t, host, "POST", "/networks", NULL,
                   "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/24\","
                   "\"GatewayAddress\":\"172.20.0.1\"}]}") ||
      /* Containers on a Transparent network sit on the physical network
       * (facts §6); the pod /24 has no gateway: its routes are added in
       * the container by hand (below). */
      topo_hnscall(t, host, "POST", "/networks", NULL,
                   "{\"Name\":\"transparent\",\"Type\":\"transparent\",\"NetworkAdapterName\":\"Ethernet\","
                   "\"Subnets\":[{\"AddressPrefix\":\"%s.0/24\"}]}",
                   pod_net))
    return -1;
  if (topo_ws2016_endpoint(t, host, pod, "nat", NULL) || topo_ws2016_endpoint(t, host, pod, "transparent", pod_ip)) return -1;
  /* "Static routes must be added to the running Windows containers
   * themselves on the container endpoint attached to the service network"
   * (the seed): the cluster's pod range, on-link through the Transparent
   * endpoint; which routes, and reading "service network" as the
   * Transparent one, are (inferred). */
  char iface[64];
  snprintf(iface, sizeof iface, "%s_transparent", pod);
  return topo_static_route(t, host, pod, "10.244.0.0/16", NULL, iface);
}

static int build_ws2016(topology *t) {
  return topo_fabric(t, "azure") ||
         topo_ws2016_node(t, "node1", "10.240.0.4/16", "00-15-5D-00-00-04", "10.244.1", "pod-a", "10.244.1.5") ||
         topo_ws2016_node(t, "node2", "10.240.0.5/16", "00-15-5D-00-00-05", "10.244.2", "pod-c", "10.244.2.5");
}

/* Truth-table rules: without node2's UDR nothing reaches node2's pods
 * from node1, and node2's pods get no answer from node1's side, whose
 * replies to 10.244.2.0/24 find no route at the router (the seed: the
 * routes "need to be realized" out of band). */
static const char *expect_acs_no_udr(const char *profile) {
  (void)profile;
  return "node1* node2/*:* blocked\nnode2/* node1*:* blocked\n";
}

/* The seed: pod to pod across hosts works, pod to the internet through
 * the NAT endpoint; the rest TOPO_WS2016_RULES. */
static const char *expect_ws2016(const char *profile) {
  (void)profile;
  return TOPO_WS2016_RULES;
}

static const topology_def one_host = {
    "one-host", "two pods on one L2Bridge host (win-bridge v2, containerd namespaces)", "ws2022",
    WIN_NODE1_TEXT ", pod-a_cbr0 10.244.1.5, pod-b_cbr0 10.244.1.6", NULL, build_one_host, NULL, NULL};
static const topology_def acs_udr = {
    "acs-udr", "the seed's ACS design: two Windows hosts, each pod /24 routed to its host by a UDR at router azure",
    "ws2022",
    WIN_NODE1_TEXT ", pod-a_cbr0 10.244.1.5, pod-b_cbr0 10.244.1.6; node2 (Windows, Ethernet 10.240.0.5): cbr0_ep "
              "10.244.2.2, pod-c_cbr0 10.244.2.5; web (external) 203.0.113.10",
    NULL, build_acs_udr, NULL, NULL};
static const topology_def acs_no_udr = {
    "acs-no-udr", "acs-udr without node2's UDR: the seed's negative case (no route at router azure)", "ws2022",
    "as acs-udr", NULL, build_acs_no_udr, NULL, expect_acs_no_udr};
static const topology_def mixed_linux = {
    "mixed-linux", "the seed's mixed cluster: a Windows host and a Linux host with a bridge, both /24s routed by UDRs",
    "ws2022",
    WIN_NODE1_TEXT ", pod-a_cbr0 10.244.1.5; lnx (Linux, eth0 10.240.0.6): bridge cbr0 10.244.3.1/24, pods 10.244.3.2-254; "
              "web (external) 203.0.113.10",
    NULL, build_mixed_linux, NULL, NULL};
static const topology_def ws2016 = {
    "ws2016-two-endpoint",
    "the seed's WS2016 kubenet design: per container a NAT endpoint and a Transparent endpoint, static routes inside",
    "ws2016",
    "node1 (Windows, Ethernet 10.240.0.4): pod-a_nat 172.20.0.2, pod-a_transparent 10.244.1.5; node2 (Windows, "
    "Ethernet 10.240.0.5): pod-c_nat 172.20.0.2, pod-c_transparent 10.244.2.5; web (external) 203.0.113.10 "
    "(reached through the NAT endpoint and WinNAT)",
    NULL, build_ws2016, NULL, expect_ws2016};
static const topology_def localhost = {
    "localhost", "one pod, two containers sharing its namespace: traffic over localhost stays in the compartment",
    "ws2022", WIN_NODE1_TEXT ", pod-a_cbr0 10.244.1.5 (containers pod-a-app, pod-a-sidecar)", NULL, build_localhost, NULL, NULL};
const topology_def *const topology_all[] = {&one_host,         &acs_udr,           &acs_no_udr,       &mixed_linux,
                                            &ws2016,           &localhost,         &topo_overlay,     &topo_nat_internet,
                                            &topo_service_vip, &topo_network_policy, NULL};

const topology_def *topology_find(const char *name) {
  for (int i = 0; topology_all[i]; i++)
    if (!strcmp(topology_all[i]->name, name)) return topology_all[i];
  return NULL;
}
