/* hns_model.h: tying one simulated HNS to a host of the data plane's model
 * (sim/sim_net.h), so that the packets hnsim walks go where the HNS objects
 * say. Once attached, every object change the service accepts is made in
 * the model too, and nothing else reaches it: the data plane never reads a
 * JSON document (DESIGN.md "Layers").
 *
 * What becomes what (docs/dataplane.md "From HNS objects to the model"):
 *  - a network: a vSwitch of the same type on the host, bound for the
 *    external types (Transparent, L2Bridge, L2Tunnel, Overlay) to the NIC
 *    its NetAdapterName policy names, else to the host's first free NIC by
 *    name; NAT, ICS and Internal networks get the host vNIC
 *    "vEthernet (<name>)" holding their first subnet's gateway;
 *  - an endpoint: a port named by the endpoint's Name (its ID when it has
 *    none), with its IP configurations and MAC; remote endpoints are not
 *    ports;
 *  - a namespace: the compartment "ns<NamespaceId>", and adding an endpoint
 *    to it attaches the port there with the endpoint's Routes, or a
 *    default route via its subnet's gateway;
 *  - a v1 attach to a container: the compartment named by the container's
 *    ID, shared by that container's endpoints; to the host: the host
 *    compartment, with no route added;
 *  - policies: endpoint ACL, OutBoundNAT, PortMapping, SDNRoute and a
 *    remote endpoint's ProviderAddress; WinNAT for a NAT network, an
 *    Overlay network's VXLAN settings and RemoteSubnetRoutes; load
 *    balancers and SDN route objects; the host's load-balancing profile
 *    (docs/dataplane.md "Policies from HNS to the model");
 *  - deletes, and what an HNS restart or a host reboot loses, leave the
 *    model too.
 * When the model refuses a change the service accepted, the call fails
 * with E_UNEXPECTED, nothing changes in either, and
 * hns_service_last_detail gives the model's reason. */
#ifndef HNS_MODEL_H
#define HNS_MODEL_H
#include "hns_api.h"
#include "sim_net.h"

/* Mirrors `svc` into host `host` of `net` from now on. The service must
 * hold no object yet (E_INVALIDARG otherwise) and `net` must outlive it;
 * attaching again, to any host, is refused the same way. E_POINTER for a
 * NULL argument. */
hns_hr hns_service_attach_model(hns_service *svc, sim_net *net, const char *host);

#endif
