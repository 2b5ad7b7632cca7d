/* hns_model_int.h: the hooks that carry hnsmock's accepted object changes
 * into the data-plane model (hns_model.h), private to hnsmock.
 *
 * Every hook does nothing and succeeds when the service has no model.
 * Hooks that may be refused run after hnsmock has validated the call and
 * before it commits; on a refusal the model is as before and the hook
 * returns E_UNEXPECTED with the model's reason in the detail. Hooks named
 * *_undo and hns__model_forget cannot be refused: they follow what hnsmock
 * has already decided (an allocation that failed after the model changed,
 * a restart or reboot that lost the object). */
#ifndef HNS_MODEL_INT_H
#define HNS_MODEL_INT_H
#include "hns_model.h"
#include "hns_service_int.h"

struct hns_model {
  sim_net *net;
  char host[64];
};

/* Where an endpoint's port is attached (hns_object.model_kind). */
enum { HNS_MODEL_DETACHED = 0, HNS_MODEL_IN_NAMESPACE, HNS_MODEL_IN_CONTAINER, HNS_MODEL_IN_HOST };

/* The model's name of an endpoint's port: its Name, else its ID. */
const char *hns__model_port_name(const hns_object *ep);

/* The refusal: E_UNEXPECTED, "the data-plane model refused <what>: <why>". */
hns_hr hns__model_refused(hns_service *svc, char **er, const char *what);

hns_hr hns__model_network_add(hns_service *svc, hns_object *net, char **er);
void hns__model_network_undo(hns_service *svc, hns_object *net);
hns_hr hns__model_network_remove(hns_service *svc, hns_object *net, char **er);

/* `network` is passed because ep->network is set only when it commits. */
hns_hr hns__model_endpoint_add(hns_service *svc, hns_object *ep, hns_object *network, char **er);
void hns__model_endpoint_undo(hns_service *svc, hns_object *ep);
hns_hr hns__model_endpoint_remove(hns_service *svc, hns_object *ep, char **er);

/* Attaches the endpoint's port to a namespace's compartment, a container's
 * (created on its first endpoint) or the host's; detaches it (a
 * container's compartment goes with its last endpoint). */
hns_hr hns__model_attach(hns_service *svc, hns_object *ep, int kind, const char *compartment, char **er);
hns_hr hns__model_detach(hns_service *svc, hns_object *ep, char **er);

/* A namespace's compartment, with the endpoints its Resources name. */
hns_hr hns__model_namespace_add(hns_service *svc, hns_object *ns, char **er);
void hns__model_namespace_undo(hns_service *svc, hns_object *ns);
hns_hr hns__model_namespace_remove(hns_service *svc, hns_object *ns, char **er);
/* The compartment name of a namespace: "ns<NamespaceId>". */
void hns__model_namespace_name(const hns_object *ns, char out[24]);

/* ---- policies (hns_model_policy.c, hns_model_netpolicy.c, hns_model_lb.c) ----
 * Each programs what a document says into the model in place of what the
 * document before it said (NULL: nothing), all or nothing: on a refusal
 * the old entries are back and the hook returns E_UNEXPECTED. */

/* The model's ID of an entry an object's policy makes ("pod-a_cbr0
 * OutBoundNAT[0]"): the object's name, or its ID when the name does not
 * fit, then the policy type and its index among the policies of that type. */
void hns__model_rule_id(char out[64], const hns_object *obj, const char *name, const char *type, size_t k);

/* An endpoint's policies (ACL, OutBoundNAT, PortMapping, SDNRoute; a
 * remote endpoint's ProviderAddress). `network` as for endpoint_add. */
hns_hr hns__model_endpoint_policies(hns_service *svc, hns_object *ep, hns_object *network, const hns_endpoint_doc *old,
                                    const hns_endpoint_doc *next, char **er);
/* The endpoint's host-wide entries (NAT rules, remote entries) leave the
 * model; its port's ACL and SDN routes leave with the port. */
void hns__model_endpoint_policies_drop(hns_service *svc, hns_object *ep);

/* A network's policies: WinNAT on a NAT network; an Overlay network's VXLAN
 * settings and RemoteSubnetRoutes. */
hns_hr hns__model_network_policies(hns_service *svc, hns_object *net, const hns_network_doc *old,
                                   const hns_network_doc *next, char **er);
void hns__model_network_policies_drop(hns_service *svc, hns_object *net);

/* The host's load-balancer profile, set when the service is attached. */
int hns__model_host_profile(hns_service *svc);
/* A load balancer, before hnsmock inserts it; its removal. */
hns_hr hns__model_lb_add(hns_service *svc, hns_object *lb, char **er);
void hns__model_lb_remove(hns_service *svc, hns_object *lb);
/* An SDN route object (HostComputeRoute): its routes on each endpoint it names. */
hns_hr hns__model_sdnroute_add(hns_service *svc, hns_object *route, char **er);
void hns__model_sdnroute_remove(hns_service *svc, hns_object *route);

/* A restart or reboot lost `obj`: its counterpart leaves the model. */
void hns__model_forget(hns_service *svc, hns_object *obj);
/* A reboot ended every container: the endpoint leaves a container's or
 * the host's compartment. */
void hns__model_forget_containers(hns_service *svc, hns_object *ep);

#endif
