/* topology_int.h: the steps the built-in topologies are made of
 * (topology_build.c): the fabric and hosts through sim_net, and HNS calls
 * through hnsmock's API with the documents a CNI plugin sends. Each step
 * returns 0, or -1 with t->error saying what failed. */
#ifndef TOPOLOGY_INT_H
#define TOPOLOGY_INT_H
#include "topology.h"

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

/* A pod as containerd and win-bridge's v2 path make it (consumers §2.1,
 * §2.4): a namespace, the endpoint "<sandbox>_cbr0" at `ip` with the
 * default route via .2 and OutBoundNAT exceptions, added to the namespace.
 * The namespace's ID comes back in ns_id (may be NULL). */
int topo_pod(topology *t, const char *host, const char *sandbox, const char *ip, char ns_id[37]);

#endif
