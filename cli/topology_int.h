/* topology_int.h: the steps the built-in topologies are made of
 * (topology_build.c): the fabric and hosts through sim_net, and HNS calls
 * through hnsmock's API with the documents a CNI plugin sends. Each step
 * returns 0, or -1 with t->error saying what failed. */
#ifndef TOPOLOGY_INT_H
#define TOPOLOGY_INT_H
#include "topology.h"

/* node1 of the L2Bridge topologies, for --list. */
#define WIN_NODE1_TEXT "node1 (Windows, Ethernet 10.240.0.4): cbr0_ep 10.244.1.2 (host endpoint)"

/* The topologies of topology_policy.c, listed by topology_seed.c. */
extern const topology_def topo_overlay, topo_nat_internet, topo_service_vip, topo_network_policy;

/* The cloud of the seed's ACS design: segment "vnet" 10.240.0.0/16, router
 * `router` at 10.240.0.1 with an interface on "internet" 203.0.113.0/24,
 * and the external host "web" at 203.0.113.10. */
int topo_fabric(topology *t, const char *router);

/* A Windows host: NIC "Ethernet" at `addr` (a /16 of vnet) with `mac`, a
 * default route to 10.240.0.1, and its own HNS attached to the model. */
int topo_windows_host(topology *t, const char *host, const char *addr, const char *mac);

/* A user-defined route at the router: `prefix` to `via` (the seed's pod
 * /24 per host). */
int topo_udr(topology *t, const char *router, const char *prefix, const char *via);

/* A route a user adds by hand in a compartment (the seed's static routes
 * in WS2016 containers); next hop NULL: on-link. */
int topo_static_route(topology *t, const char *host, const char *compartment, const char *prefix, const char *via,
                      const char *iface);

hns_service *topo_service(topology *t, const char *host);

/* hnsmock calls with printf-built JSON. An ID comes back in id[37]. */
int topo_create(topology *t, const char *host, hns_object_kind kind, const char *parent_id, char id[37], const char *fmt,
                ...) __attribute__((format(printf, 6, 7)));
int topo_modify(topology *t, const char *host, hns_object_kind kind, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* One HNSCall; the new object's ID (when the answer has one) in id[37]. */
int topo_hnscall(topology *t, const char *host, const char *method, const char *path, char id[37], const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The L2Bridge node of the SDN setup scripts (consumers §3.1): network
 * "cbr0" on `pod_cidr` (x.y.z.0/24) with gateway .1 and the NetAdapterName
 * Ethernet, and the host endpoint "cbr0_ep" at .2 attached to the host. */
int topo_l2bridge_node(topology *t, const char *host, const char *pod_net);

/* The ID of the network `name` on host. */
int topo_network_id(topology *t, const char *host, const char *name, char id[37]);

/* win-bridge's OutBoundNAT with the cluster CIDR, the service CIDR and the
 * node subnet as exceptions (consumers §2.1; cniplugins_win-bridge
 * sample-v2.conf). */
#define TOPO_OUTBOUND_NAT                                                                                           \
  "{\"Type\":\"OutBoundNAT\",\"Settings\":{\"Exceptions\":[\"10.244.0.0/16\",\"10.96.0.0/12\",\"10.240.0.0/16\"]}}"

/* A pod as containerd and a CNI plugin's v2 path make it (consumers §2.1,
 * §2.4): a namespace, the endpoint "<sandbox>_<network>" at `ip` (a /24)
 * with its default route via `gateway`, its MAC (NULL: HNS's), DNS and
 * `policies` (JSON objects, comma-separated), added to the namespace. */
typedef struct topo_pod_spec {
  const char *network, *sandbox, *ip, *gateway, *mac, *policies;
} topo_pod_spec;
/* The endpoint's and the namespace's IDs come back in ep_id and ns_id (each may be NULL). */
int topo_pod_on(topology *t, const char *host, const topo_pod_spec *p, char ep_id[37], char ns_id[37]);

/* A win-bridge pod on cbr0: "<sandbox>_cbr0" at `ip`, gateway .2,
 * TOPO_OUTBOUND_NAT. */
int topo_pod(topology *t, const char *host, const char *sandbox, const char *ip, char ns_id[37]);

/* The seed's WS2016 kubenet design (topology_seed.c), through HNSCall: an
 * endpoint "<pod>_<network>" (its IP from HNS when ip is NULL) attached
 * to the container `pod`; a host with a NAT network "nat" 172.20.0.0/24
 * and a Transparent network on `pod_net`.0/24, and one pod with both
 * endpoints and the cluster range routed on-link through the Transparent one. */
int topo_ws2016_endpoint(topology *t, const char *host, const char *pod, const char *network, const char *ip);
int topo_ws2016_node(topology *t, const char *host, const char *addr, const char *mac, const char *pod_net,
                     const char *pod, const char *pod_ip);

/* Truth-table rules (topology.h) for the seed's WS2016 hosts: each host's
 * NAT prefix 172.20.0.0/24 is private to it, so another host's NAT
 * endpoint's address names the sender's own (ignored); the seed says
 * nothing of a host reaching pods on the Transparent network (ignored). */
#define TOPO_WS2016_RULES                                                                                        \
  "node1* node2/*_nat:* ignored\nnode2* node1/*_nat:* ignored\nnode? node?/*_transparent:* ignored\n"

#endif
