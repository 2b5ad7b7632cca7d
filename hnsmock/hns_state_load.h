/* hns_state_load.h: loading a host's HNS state, as hns_check_state writes
 * it (hns_check.h: {"Profile", "Networks", "Endpoints", "LoadBalancers"},
 * HCN v2 documents), into an empty simulated HNS, so that probes and
 * traces run on a recorded or imported host ("why can't this pod reach DNS
 * on node 7?").
 *
 * Every object is made through the calls a client makes (HcnCreateNetwork,
 * HcnOpenNetwork + HcnCreateEndpoint, HcnCreateLoadBalancer; namespaces and
 * attaches as below), keeping the ID the document gives it, so the
 * profile's gates, the validation and the data-plane model (hns_model.h)
 * all apply, and traces name the objects as the host does. An object the
 * service refuses fails the whole load: whatever was made is deleted again
 * and the service is as it was, with no object; *detail names the object
 * and the HRESULT. docs/scenarios.md "Running on a recorded or imported
 * host state" lists what is inferred. */
#ifndef HNS_STATE_LOAD_H
#define HNS_STATE_LOAD_H
#include <stddef.h>
#include "hns_api.h"

struct hns_profile;

/* What one load made, per hns_object_kind (namespaces are the ones the
 * endpoints' HostComputeNamespace implies), and the attaches it made. */
typedef struct hns_state_load_report {
  size_t created[5];         /* indexed by hns_object_kind */
  size_t host_attached;      /* endpoints attached to the host compartment (their State 2) */
  size_t container_attached; /* endpoints attached to their SharedContainers */
} hns_state_load_report;

/* Loads `state_json` into `svc`, which must hold no object yet.
 *
 * In order: each network, each endpoint (on the network its
 * HostComputeNetwork names; then added to the namespace its
 * HostComputeNamespace names, made with that ID on first use, or attached
 * to its SharedContainers, or to the host when its State is 2 and nothing
 * else holds it), each load balancer; each in the document's order. The
 * fields the state carries beside what a client sends (an endpoint's
 * HostComputeNamespace, its SharedContainers, an endpoint's or load
 * balancer's State) are taken out of the document and made true by those
 * calls; every other field, unknown ones too, goes to the create as it is.
 * The document's Profile is not compared with the service's: the caller
 * chooses (hns_state_profile).
 *
 * Returns S_OK, with *report (may be NULL) filled and *detail (may be NULL)
 * set to NULL; or the HRESULT of the refused call, with *detail a malloc'd
 * sentence naming the object ("Endpoints[2] 'web-1_cbr0' 1A2B...: HcnCreateEndpoint
 * answered 0x803B0005 HCN_E_INVALID_IP: ...") and the service empty;
 * HCN_E_INVALID_JSON for a document that is not a JSON object or whose
 * lists are not arrays of objects; HCN_E_GUID_CONVERSION_FAILURE for an
 * object without an ID that is a GUID; E_INVALIDARG for a service that
 * already holds objects; E_POINTER for a NULL svc or state_json.
 * hns_service_last_detail repeats *detail. Once loaded, the service draws
 * the IDs it chooses from a sequence of its own (see hns_state_load.c). */
hns_hr hns_state_load(hns_service *svc, const char *state_json, char **detail, hns_state_load_report *report);

/* The profile the document's Profile names, or NULL in *out when it names
 * none. E_INVALIDARG, with *detail (may be NULL) a malloc'd sentence, when
 * the text is not a JSON object, Profile is not a string, or no profile
 * has that name; E_POINTER for NULL state_json or out. */
hns_hr hns_state_profile(const char *state_json, const struct hns_profile **out, char **detail);

#endif
