/* hns_service_int.h: what the service's modules share: the objects, the
 * service's tables and indexes, and the refusal helper. Private to hnsmock. */
#ifndef HNS_SERVICE_INT_H
#define HNS_SERVICE_INT_H
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_doc.h"
#include "hns_map.h"
#include "hns_profile.h"
#include "sim_addr.h"

#define HNS_KINDS 5

/* An endpoint's traffic counters, as GET /endpointstats/<id> reports them
 * (hns-api-facts.md §1.5). hnsmock moves no packets yet, so they stay 0; the
 * data plane bumps them. */
typedef struct hns_endpoint_counters {
  uint64_t bytes_received, bytes_sent, packets_received, packets_sent;
  uint64_t dropped_packets_incoming, dropped_packets_outgoing;
} hns_endpoint_counters;

/* One HNS object: its canonical document and what HNS keeps beside it. */
typedef struct hns_object {
  hns_object_kind kind;
  hns_guid id;
  char id_text[37]; /* as it is written back (the case given on create) */
  void *doc;        /* hns_network_doc, hns_endpoint_doc, ... */
  struct hns_object *network; /* an endpoint's network */
  uint32_t refs;    /* objects naming this one (endpoints of a network, LBs and routes of an endpoint) */
  uint64_t next_ip, next_mac; /* a network's allocation cursors */
  unsigned extensions; /* a network's enabled switch extensions: bits of hns_switch_extensions */
  uint64_t seq;        /* insertion order in the service (hns__insert): objects[kind] is sorted by it */
  /* What the v1 API (hns_v1_*.c) keeps beside the document. An endpoint's
   * attached containers live in its document's Health.Extra.SharedContainers. */
  char type_text[16];    /* a network's Type as its creator wrote it ("nat"); the v1 view echoes it */
  uint8_t attach_system; /* an endpoint's v1 attach without a container: 0 none, 1 Host, 2 VirtualMachine */
  uint8_t was_attached;  /* set by every attach, so that a detached endpoint reports State 4, not 1 */
  hns_endpoint_counters counters;
  /* The data-plane model's side (hns_model*.c): whether the object is in
   * the model, and where an endpoint's port is attached there. */
  uint8_t in_model, model_kind;
  char *model_comp;
} hns_object;

/* The vSwitch extensions HNS reports on a network (facts §5.1, real v1
 * output), each under the IDs seen for it. */
typedef struct hns_switch_extension {
  const char *name;
  const char *ids[2]; /* the first is the one hnsim writes */
} hns_switch_extension;
enum { HNS_EXT_WFP, HNS_EXT_VFP, HNS_EXT_CAPTURE, HNS_EXT_COUNT };
extern const hns_switch_extension hns_switch_extensions[HNS_EXT_COUNT];

struct hns_handle {
  hns_service *svc;
  hns_object_kind kind;
  hns_guid id;
  uint32_t epoch; /* the service's epoch when opened: stale once it differs (hns_persist.c) */
};

struct hns_callback {
  hns_service *svc;
  hns_notify_fn fn;
  void *context;
  int disconnected; /* its service stopped (hns_persist.c): 1 while being told, 2 once told; hears nothing more */
  struct hns_callback *next;
};

struct hns_service {
  const hns_profile *profile;
  char host[64];
  uint64_t seed, ids_issued, networks_made;
  uint64_t inserted; /* objects inserted so far: the next object's seq */
  uint32_t epoch; /* service restarts and host reboots so far (hns_persist.c) */
  uint32_t next_compartment;
  hns_object **objects[HNS_KINDS]; /* creation order */
  size_t count[HNS_KINDS], cap[HNS_KINDS];
  hns_map by_id[HNS_KINDS]; /* lower-case GUID text -> object */
  hns_map names;            /* "<kind>|<lower-case name>" -> object */
  hns_map addresses;        /* "<network id>|ip|<ip>" and "...|mac|<mac>" -> endpoint */
  hns_map frontends;        /* "<vip>|<protocol>|<port>" -> load balancer */
  uint32_t lb_port_blocks;  /* ephemeral port blocks held by non-DSR load balancers */
  hns_callback *callbacks;
  struct hns_model *model; /* the data-plane host it is mirrored into, or NULL (hns_model.h) */
  int via_v1; /* > 0 while HNSCall (the v1 entry point) works through the
               * v2 operations, which builds without the HCN v2 API allow */
  char detail[512];
};

/* Sets the detail, builds the ErrorRecord, returns hr. */
hns_hr hns__fail(hns_service *svc, char **error_record, hns_hr hr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The HRESULT for a schema refusal of an object of `kind`. */
hns_hr hns__perr_hr(hns_object_kind kind, const hns_perr *err);
hns_hr hns__refuse_doc(hns_service *svc, char **error_record, hns_object_kind kind, const hns_perr *err);

/* Parses `text` as JSON for `kind`'s schema (refusing read-only fields). */
hns_hr hns__parse(hns_service *svc, char **error_record, hns_object_kind kind, const hns_schema *schema,
                  const char *text, void *out);

hns_object *hns__lookup(hns_service *svc, hns_object_kind kind, const hns_guid *id);
hns_object *hns__lookup_text(hns_service *svc, hns_object_kind kind, const char *id_text);
hns_object *hns__find_name(hns_service *svc, hns_object_kind kind, const char *name);
void hns__name_key(char *out, size_t len, hns_object_kind kind, const char *name);

/* Chooses the new object's ID: a non-zero `given`, else the document's own
 * "ID", else one derived from the service's seed. */
int hns__assign_id(hns_service *svc, const hns_guid *given, const char *doc_id, hns_object *obj);
/* A fresh deterministic GUID text (for subnets and the like). */
void hns__new_guid_text(hns_service *svc, char out[37]);

/* Adds obj to its tables (owning it) / removes and frees it. */
int hns__insert(hns_service *svc, hns_object *obj);
void hns__remove(hns_service *svc, hns_object *obj);
void hns__object_free(hns_object *obj);
const hns_schema *hns__schema_of(hns_object_kind kind);

void hns__notify(hns_service *svc, uint32_t type, const char *id_text);

/* Per-kind behaviour (hns_network.c, hns_endpoint.c, ...). Each validates
 * fully before changing anything. */
hns_hr hns__network_create(hns_service *svc, hns_object *obj, char **er);
hns_hr hns__network_modify(hns_service *svc, hns_object *obj, const char *settings, char **er);
/* Shared by create and modify (hns_network.c): subnet checks, subnet IDs,
 * the extensions a new network starts with. */
hns_hr hns__network_check_subnets(hns_service *svc, char **er, hns_network_doc *doc);
void hns__network_name_subnets(hns_service *svc, hns_network_doc *doc);
unsigned hns__network_default_extensions(int type);
/* The subnet's gateway: the next hop of its default route (hns_endpoint.c). */
int hns__subnet_gateway(const hns_subnet_doc *s, sim_ip *out);
hns_hr hns__endpoint_create(hns_service *svc, hns_object *obj, hns_object *network, char **er);
hns_hr hns__endpoint_modify(hns_service *svc, hns_object *obj, const char *settings, char **er);
void hns__endpoint_release(hns_service *svc, hns_object *obj);
/* Adds to an endpoint's v2 output what a Detailed query shows
 * (hns_endpoint.c); -1 when out of memory. */
int hns__endpoint_add_detail(const hns_object *ep, cJSON *out);
hns_hr hns__namespace_create(hns_service *svc, hns_object *obj, char **er);
hns_hr hns__namespace_modify(hns_service *svc, hns_object *obj, const char *settings, char **er);
void hns__namespace_release(hns_service *svc, hns_object *obj);
hns_hr hns__loadbalancer_create(hns_service *svc, hns_object *obj, char **er);
hns_hr hns__loadbalancer_modify(hns_service *svc, hns_object *obj, const char *settings, char **er);
void hns__loadbalancer_release(hns_service *svc, hns_object *obj);
hns_hr hns__sdnroute_create(hns_service *svc, hns_object *obj, char **er);
void hns__sdnroute_release(hns_service *svc, hns_object *obj);

/* Applies an Add (0), Remove (1) or Update (2) of policies to `target`;
 * validates first, so a refusal changes nothing. */
hns_hr hns__apply_policy_request(hns_service *svc, char **er, hns_policies *target, hns_policies *req, int request_type,
                                 const char *owner);

/* An endpoint's containers (hns_v1_attach.c): its SharedContainers (a JSON
 * array), or NULL when it has none; and dropping them all, which the host
 * reboot does (hns_persist.c). */
const cJSON *hns__v1_shared_containers(const hns_object *ep);
void hns__endpoint_forget_containers(hns_object *ep);

/* The object in its v1 (HNSNetwork, HNSEndpoint, PolicyList, Namespace)
 * shape (hns_v1_view.c); NULL when out of memory. */
cJSON *hns__v1_view(hns_service *svc, const hns_object *obj);

/* Checks the policies against the profile's feature gates. */
hns_hr hns__check_policy_gates(hns_service *svc, char **er, const hns_policies *ps, const char *where);

#endif
