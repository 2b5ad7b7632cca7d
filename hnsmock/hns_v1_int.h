/* hns_v1_int.h: what the v1 modules share (private to hnsmock).
 *
 *   hns_v1_call.c     the router: method and path, the envelope, via_v1
 *   hns_v1_routes.c   one handler per route, over the v2 operations
 *   hns_v1_request.c  v1 network and endpoint bodies -> v2 documents
 *   hns_v1_policylist.c  PolicyList <-> load balancer / SDN route
 *   hns_v1_view.c     objects -> their v1 shape
 *   hns_v1_policy.c   the one table of v1 flat <-> v2 typed policies
 *   hns_v1_attach.c   endpoint attach state, v1 namespaces and their resources
 *
 * Invariant: a v1 request is turned into a v2 document and handed to the
 * same hns_create / hns_modify / hns_delete an HCN caller reaches, so both
 * APIs validate alike and share one object model. */
#ifndef HNS_V1_INT_H
#define HNS_V1_INT_H
#include "hns_service_int.h"
#include "hns_v1.h"

/* ---- routes (hns_v1_routes.c) ---- */

/* What follows a route's collection in its path: nothing, an object's ID,
 * or the word "version" (/globals/version). */
enum { HNS_V1_NO_ID, HNS_V1_ID, HNS_V1_VERSION };

typedef struct hns_v1_route hns_v1_route;

/* A route's handler: `route` is the route matched (its kind and flag serve
 * handlers shared by several routes), `id` the path's ID (a valid GUID) or
 * NULL, `body` the parsed request of a POST or NULL; *output, left NULL for
 * none, is the envelope's Output. */
typedef hns_hr (*hns_v1_handler)(hns_service *svc, const hns_v1_route *route, const char *id, const cJSON *body,
                                 cJSON **output);

struct hns_v1_route {
  const char *method, *collection;
  int target;            /* HNS_V1_NO_ID, _ID, _VERSION */
  const char *action;    /* the segment after the ID ("attach"), or NULL */
  hns_v1_handler fn;
  hns_object_kind kind;  /* the objects the collection holds */
  int add;               /* attach / addresource (1) or detach / removeresource (0) */
};

extern const hns_v1_route hns__v1_routes[];
extern const size_t hns__v1_route_count;

/* ---- policies (hns_v1_policy.c) ---- */

/* Where a policy list sits; a v1 type maps only where its v2 type exists. */
enum { HNS_V1_ENDPOINT = 1, HNS_V1_NETWORK = 2, HNS_V1_SUBNET = 4 };

/* One v1 policy at `path` (e.g. "Policies[2]") -> a new v2 {Type, Settings}
 * policy in *out; refusals name the path, the key and the value. */
hns_hr hns__v1_policy_in(hns_service *svc, const cJSON *p, unsigned scope, const char *path, cJSON **out);
/* The same for an array of them at `where` ("Policies"). */
hns_hr hns__v1_policies_in(hns_service *svc, const cJSON *v1, unsigned scope, const char *where, cJSON **out);

/* v1 fields that are policies in v2 (a network's NetworkAdapterName, an
 * endpoint's EncapOverhead, ...): whether `key` is one, and the policies for
 * those `v1` sets, appended to `policies`. */
int hns__v1_is_policy_field(const char *key, unsigned scope);
hns_hr hns__v1_fields_in(hns_service *svc, const cJSON *v1, unsigned scope, cJSON *policies);

/* Appends to `out` the v1 form of v2 policies as hns_doc_emit writes them;
 * those that are v1 fields are set on `v1_object` instead (when not NULL).
 * 0, or -1 when memory runs out. */
int hns__v1_policies_out(const cJSON *v2, unsigned scope, cJSON *out, cJSON *v1_object);

/* ---- request bodies (hns_v1_request.c) ---- */

/* A field of a v1 body as a string, checked as `kind` (HNS_K_STRING, _IP,
 * _PREFIX, _MAC, _GUID); *out is NULL when the field is absent or "". A
 * refusal names "<where><key>" and the value. */
hns_hr hns__v1_text(hns_service *svc, const cJSON *body, const char *key, int kind, const char *where, const char **out);
/* An unsigned 32-bit field (Flags); *out 0 when absent. */
hns_hr hns__v1_u32(hns_service *svc, const cJSON *body, const char *key, const char *where, uint32_t *out);
/* A boolean field; *out 0 when absent. */
hns_hr hns__v1_bool(hns_service *svc, const cJSON *body, const char *key, const char *where, int *out);

/* POST /networks: the HostComputeNetwork for a v1 HNSNetwork. */
hns_hr hns__v1_network_in(hns_service *svc, const cJSON *v1, cJSON **v2);
/* POST /endpoints and /endpoints/<id>: the HostComputeEndpoint for a v1
 * HNSEndpoint, and its network. `fixed` is the network of the endpoint an
 * update names (NULL on create). */
hns_hr hns__v1_endpoint_in(hns_service *svc, const cJSON *v1, hns_object *fixed, hns_object **network, cJSON **v2);
/* POST /policylists: a HostComputeLoadBalancer (ELB policies) or a
 * HostComputeRoute (ROUTE policies); *kind says which. */
hns_hr hns__v1_policylist_in(hns_service *svc, const cJSON *v1, hns_object_kind *kind, cJSON **v2);

/* The v1 PolicyList view of a load balancer or SDN route, from its v2
 * document as hns_doc_emit writes it. NULL when out of memory. */
cJSON *hns__v1_policylist_view(const cJSON *v2, hns_object_kind kind);

/* ---- the document-only parts of a view (hns_v1_viewparts.c) ---- */

/* from[key] (matched in any case) as to[as], unless `to` has `as` already. */
void hns__v1v_copy_key(const cJSON *from, const char *key, cJSON *to, const char *as);
/* The keys of `from` that neither `skip` names nor `to` has. */
void hns__v1v_copy_rest(const cJSON *from, cJSON *to, const char *const *skip);
/* The v2 keys a network's or an endpoint's v1 view writes in its own form
 * or leaves out: what hns__v1v_copy_rest skips after the body (NULL-ended). */
extern const char *const hns__v1v_network_skip[];
extern const char *const hns__v1v_endpoint_skip[];
/* A list of strings as v1's comma-separated text (DNSServerList). */
void hns__v1v_join_key(const cJSON *from, const char *key, cJSON *to, const char *as);
/* The next hop of the default route of `family` (4 or 6) in a v2 Routes list. */
const char *hns__v1v_gateway(const cJSON *routes, int family);
/* v2's Policies in their v1 form, into `to` (fields, and "Policies" when
 * any are left); -1 when out of memory. */
int hns__v1v_policies(const cJSON *v2, unsigned scope, cJSON *to);
/* A network's Subnets, MacPools, DNS fields and policies; -1 on failure. */
int hns__v1v_network_body(const cJSON *v2, cJSON *out);
/* An endpoint's policies, MAC, addresses, DNS, gateways (its own default
 * routes, else subnet_gateway[0] for IPv4 and [1] for IPv6, each may be
 * NULL) and flags; -1 on failure. */
int hns__v1v_endpoint_body(const cJSON *v2, const char *const subnet_gateway[2], cJSON *out);

/* ---- views (hns_v1_view.c) ---- */

/* GET /endpointstats/<id>. NULL when out of memory. */
cJSON *hns__v1_stats(const hns_object *ep);

/* ---- attach state (hns_v1_attach.c) ---- */

/* The endpoint's EndpointState: Created 1, Attached 2, AttachedSharing 3, Detached 4. */
int hns__v1_endpoint_state(const hns_object *ep);
/* POST /namespaces: the HostComputeNamespace for {"IsDefault":bool}. */
hns_hr hns__v1_namespace_in(hns_service *svc, const cJSON *v1, cJSON **v2);
/* The v2 ModifyNamespaceSettingRequest for a v1 /addresource (add = 1) or
 * /removeresource body {"Type":"Endpoint"|"Container","Data":{"Id":...}}. */
hns_hr hns__v1_resource_in(hns_service *svc, const cJSON *v1, int add, cJSON **v2);
/* POST /endpoints/<id>/attach (attach = 1) and /detach (attach = 0). */
hns_hr hns__v1_attach(hns_service *svc, hns_object *ep, const cJSON *body, int attach);

#endif
