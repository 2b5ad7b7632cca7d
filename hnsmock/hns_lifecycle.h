/* hns_lifecycle.h: what happens to a simulated HNS when its service restarts
 * or its host reboots: which objects come back and which are lost. The fault
 * layer calls these; docs/profiles.md "Persistence" gives the rules per
 * Windows version with their sources.
 *
 * What a caller sees afterwards:
 *  - the objects kept have the same IDs, names, addresses and MACs as
 *    before; everything lost is gone from every index, so its name, IP,
 *    MAC, load-balancer frontend and ephemeral port block are free again;
 *  - the service's ID counter continues: a later object never takes the ID
 *    of a kept or lost one, and the same calls give the same IDs on every
 *    run;
 *  - handles opened before are stale: every call on them fails with
 *    E_HANDLE; open the object again (hns_open) to reach it;
 *  - every registered service callback receives HcnNotificationServiceDisconnect
 *    (0x01000000) with NULL data, and then nothing more: register again to
 *    hear the new service. Unregistering the old registration still works;
 *  - no NetworkDelete or NamespaceDelete is sent for what was lost. */
#ifndef HNS_LIFECYCLE_H
#define HNS_LIFECYCLE_H
#include <stddef.h>
#include "hns_api.h"

/* What the service re-hydrates from its store (HNS.data) when it starts. */
typedef enum hns_rehydration {
  HNS_REHYDRATE_PROFILE = 0,      /* as the profile's Windows does, quirks included
                                   * (ws2019: policies are lost) */
  HNS_REHYDRATE_ALL,              /* everything stored comes back, policies too
                                   * (ws2019 with the 2020-11 fix) */
  HNS_REHYDRATE_NETWORKS_ONLY,    /* networks come back, endpoints and what names
                                   * them do not (calico#5164 on WS2022) */
  HNS_REHYDRATE_HNS_DATA_DELETED, /* HNS.data was deleted while HNS was stopped:
                                   * nothing comes back */
  HNS_REHYDRATE_COUNT             /* number of modes above; not a mode */
} hns_rehydration;

/* The mode's name ("profile", "all", "networks-only", "hns-data-deleted"),
 * or NULL for a value outside the enum. */
const char *hns_rehydration_name(hns_rehydration mode);

/* The mode called `name` (exact), or -1. */
int hns_rehydration_lookup(const char *name);

#define HNS_LIFECYCLE_KINDS 5 /* one count per hns_object_kind */

/* What one restart or reboot kept and lost, per hns_object_kind. */
typedef struct hns_lifecycle_report {
  size_t kept[HNS_LIFECYCLE_KINDS];
  size_t dropped[HNS_LIFECYCLE_KINDS];
  size_t policies_dropped; /* endpoint and network policies not re-hydrated */
} hns_lifecycle_report;

/* Stops the HNS service and starts it again, re-hydrating as `mode` says.
 * `report` may be NULL. E_POINTER for a NULL service, E_INVALIDARG for an
 * unknown mode (nothing changes then). */
hns_hr hns_service_restart(hns_service *svc, hns_rehydration mode, hns_lifecycle_report *report);

/* Reboots the host: containers and their compartments are gone, networks
 * the profile does not persist are gone with their endpoints, and HNS
 * re-hydrates the rest as HNS_REHYDRATE_PROFILE. `report` may be NULL. */
hns_hr hns_service_reboot(hns_service *svc, hns_lifecycle_report *report);

#endif
