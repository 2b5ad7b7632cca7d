/* hns_api.h: the HCN API of one simulated Host Networking Service, in UTF-8.
 *
 * This is computenetwork.h's API (hns-api-facts.md §1.2) with char strings
 * instead of UTF-16 and an explicit service instead of the machine's single
 * HNS: each simulated host has its own hns_service. hcn_wide.c puts the exact
 * Windows signatures on top of it.
 *
 * Conventions, as the real API's (VDOCS Reference pages; hcsshim's hcn package):
 *  - every call returns an HRESULT (hns_hresult.h); documents go in and out
 *    as JSON text;
 *  - output strings are malloc'd and the caller frees them with free() (the
 *    Windows layer copies them into CoTaskMemAlloc'd UTF-16);
 *  - `error_record` may be NULL; on failure it receives HNS's ErrorRecord
 *    {"Success":false,"Error":"...","ErrorCode":N}; on success it is set to
 *    NULL, because hcsshim treats any non-empty record as a failure;
 *  - a failed call changes nothing;
 *  - Create takes an ID: the zero GUID (or NULL) lets the service choose one,
 *    deterministically from the service's seed; Delete takes an ID, Close a
 *    handle; handles stay valid until closed, even if their object is deleted
 *    (calls on them then fail as "not found").
 *
 * hns_service_last_detail gives, for the most recent failed call, what the
 * ErrorRecord cannot: the field and value that were refused
 * ("IpConfigurations[0].IpAddress: 10.9.9.9 is outside every subnet of
 * network 'nat'"). hnsim records it beside the call; HNS itself has no such
 * text. */
#ifndef HNS_API_H
#define HNS_API_H
#include <stdint.h>
#include "hns_guid.h"
#include "hns_hresult.h"

typedef struct hns_service hns_service;
typedef struct hns_handle hns_handle;
struct hns_profile;

/* The kinds of object the API manages. */
typedef enum hns_object_kind {
  HNS_NETWORK = 0,
  HNS_ENDPOINT = 1,
  HNS_NAMESPACE = 2,
  HNS_LOADBALANCER = 3,
  HNS_SDNROUTE = 4
} hns_object_kind;

typedef struct hns_service_config {
  const struct hns_profile *profile; /* the Windows version modelled; NULL for the default */
  const char *host;                  /* the host's name, for messages; may be NULL */
  uint64_t seed;                     /* IDs and MACs the service chooses derive from it */
} hns_service_config;

hns_hr hns_service_create(const hns_service_config *config, hns_service **out);
void hns_service_destroy(hns_service *svc);
const struct hns_profile *hns_service_profile(const hns_service *svc);

/* The refusal behind the most recent failed call on this service, or "". */
const char *hns_service_last_detail(const hns_service *svc);

/* Enumerate: a JSON array of the IDs of the objects matching `query` (a
 * HostComputeQuery, or NULL / "" for all). */
hns_hr hns_enumerate(hns_service *svc, hns_object_kind kind, const char *query, char **out_ids, char **error_record);

/* Create: `parent` is the network handle for an endpoint and NULL otherwise. */
hns_hr hns_create(hns_service *svc, hns_object_kind kind, hns_handle *parent, const hns_guid *id, const char *settings,
                  hns_handle **out, char **error_record);

hns_hr hns_open(hns_service *svc, hns_object_kind kind, const hns_guid *id, hns_handle **out, char **error_record);

hns_hr hns_modify(hns_handle *h, const char *settings, char **error_record);

/* QueryProperties: the object in the shape `query`'s SchemaVersion asks for
 * (1.x: the v1 HNS document; 2.x or none: HostCompute*). */
hns_hr hns_query_properties(hns_handle *h, const char *query, char **out_properties, char **error_record);

hns_hr hns_delete(hns_service *svc, hns_object_kind kind, const hns_guid *id, char **error_record);

/* Releases a handle (never fails for a valid handle; E_HANDLE for NULL). */
hns_hr hns_close(hns_handle *h);

/* The kind of object a handle is for. */
hns_object_kind hns_handle_kind(const hns_handle *h);

/* Service notifications (HCN_NOTIFICATIONS, VDOCS HCN_NOTIFICATIONS.md):
 * `data` is the JSON {"ID":"<guid>","Flags":0}. */
typedef void (*hns_notify_fn)(uint32_t type, void *context, hns_hr status, const char *data);
typedef struct hns_callback hns_callback;
hns_hr hns_register_service_callback(hns_service *svc, hns_notify_fn fn, void *context, hns_callback **out);
hns_hr hns_unregister_service_callback(hns_callback *cb);

#endif
