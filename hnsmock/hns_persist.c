/* hns_persist.c: an HNS service restart and a host reboot (hns_lifecycle.h):
 * which objects HNS re-hydrates from its store and which are lost, the
 * ServiceDisconnect its clients hear, and the stale handles they keep.
 *
 * Invariants: lost objects leave through the same release functions as a
 * delete, dependents first (load balancers and SDN routes, then namespaces,
 * then endpoints, then networks), so every index (IDs, names, addresses,
 * frontends, port blocks, refs, namespace attachments) holds exactly the
 * objects kept. Which objects are lost depends only on the objects and the
 * profile, decided in creation order; the temporary set of lost objects is a
 * map that is never iterated. Counters continue (hns_lifecycle.h).
 *
 * Sources, cited beside each rule (docs/profiles.md "Persistence" has the
 * addresses; keys as in hns_profile.c):
 *   WC#19       ws2019 2020-08 update: "HNS policies not re-hydrate correctly
 *               upon restarting the service", fixed in the 2020-11 update
 *   KK#139519   load balancers "restored through the HNS backup/restore
 *               (rehydration) mechanism" after an HNS restart
 *   VDOCS-CP20  "users can delete HNS objects by deleting the HNS.data file"
 *               (Stop-Service HNS, rm ...\HNS\HNS.data, Start-Service HNS)
 *   FACTS6, moby#38358  NAT networks not persisted across reboot from WS2019;
 *               "Starting from RS5, HNS will not persist NAT and ICS networks"
 *   moby#38358 (daschott)  transparent networks not persisted after reboot on
 *               1809, a platform bug fixed by KB4482887
 *   ACN#2911, ACN#4355  transparent networks survive a reboot unless created
 *               with EnableNonPersistent (8), which makes them go at reboot
 *   moby#47576, moby#36603  endpoints of a container that no longer runs
 *               are still listed after a reboot (WS2016, 2024 builds)
 *   VDOCS#1087, moby#49179  containers do not survive a reboot; Docker
 *               creates its "nat" network again when it starts
 *   calico#5164 endpoints gone after an HNS restart on WS2022 (the
 *               networks-only mode) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_lifecycle.h"
#include "hns_model_int.h"
#include "hns_service_int.h"
#include "hns_types.h"

_Static_assert(HNS_LIFECYCLE_KINDS == HNS_KINDS, "one report count per kind");

#define SERVICE_DISCONNECT 0x01000000u /* HcnNotificationServiceDisconnect (facts §1.3) */
#define NETWORK_NON_PERSISTENT 8u      /* NetworkFlags.EnableNonPersistent (hcsshim hcn/hcnnetwork.go) */
#define KB4482887_UBR 348u             /* 17763.348, the 2019-03-01 update (inferred from the KB number) */

static const char *const mode_names[HNS_REHYDRATE_COUNT] = {"profile", "all", "networks-only", "hns-data-deleted"};

const char *hns_rehydration_name(hns_rehydration mode) {
  return (unsigned)mode < HNS_REHYDRATE_COUNT ? mode_names[mode] : NULL;
}

int hns_rehydration_lookup(const char *name) {
  for (int i = 0; name && i < HNS_REHYDRATE_COUNT; i++)
    if (!strcmp(name, mode_names[i])) return i;
  return -1;
}

/* ---- which objects are lost ---- */

/* Whether a network comes back after a reboot. */
static int persists_reboot(const hns_profile *p, const hns_network_doc *net) {
  if (net->flags & NETWORK_NON_PERSISTENT) return 0; /* ACN#2911, ACN#4355; on every build (inferred) */
  if ((net->type == HNS_NET_NAT || net->type == HNS_NET_ICS) && !p->nat_networks_persist) return 0; /* FACTS6, moby#38358 */
  if (net->type == HNS_NET_TRANSPARENT && p->build == 17763 && p->ubr_min < KB4482887_UBR) return 0; /* moby#38358 */
  return 1; /* L2Bridge, Overlay, ...: ACN#2911, moby#47576; Private and Internal (inferred) */
}

typedef struct plan {
  hns_service *svc;
  hns_map lost; /* "<kind>|<lower-case id>" -> object; never iterated */
  int boot, lose_all, lose_endpoints, lose_policies;
} plan;

static void lost_key(char *out, size_t len, hns_object_kind kind, const hns_guid *id) {
  char text[37];
  hns_guid_format(id, 0, text);
  snprintf(out, len, "%d|%s", (int)kind, text);
}

static int is_lost(const plan *pl, hns_object_kind kind, const char *id_text) {
  hns_guid g;
  char key[48];
  if (!id_text || hns_guid_parse(id_text, &g)) return 0;
  lost_key(key, sizeof key, kind, &g);
  return hns_map_get(&pl->lost, key) != NULL;
}

static int names_lost(const plan *pl, const hns_strv *endpoints, const char *network) {
  for (size_t i = 0; i < endpoints->n; i++)
    if (is_lost(pl, HNS_ENDPOINT, endpoints->v[i])) return 1;
  return is_lost(pl, HNS_NETWORK, network);
}

/* Whether obj is lost; every object it depends on was decided before it. */
static int loses(const plan *pl, const hns_object *obj) {
  switch (obj->kind) {
  case HNS_NETWORK: return pl->lose_all || (pl->boot && !persists_reboot(pl->svc->profile, obj->doc));
  case HNS_ENDPOINT: return pl->lose_endpoints || is_lost(pl, HNS_NETWORK, obj->network->id_text);
  /* A namespace is a compartment of the running host: it outlives an HNS
   * restart and dies with the containers at a reboot (VDOCS#1087) (inferred). */
  case HNS_NAMESPACE: return pl->lose_all || pl->boot;
  /* Load balancers and SDN routes are HNS's policy lists (facts §5.4): they
   * are the "HNS policies" WC#19 lost (inferred), and they go with any
   * endpoint or network they name (inferred). KK#139519 shows them kept. */
  case HNS_LOADBALANCER: {
    const hns_loadbalancer_doc *lb = obj->doc;
    return pl->lose_endpoints || pl->lose_policies || names_lost(pl, &lb->host_compute_endpoints, lb->host_compute_network);
  }
  case HNS_SDNROUTE: {
    const hns_sdnroute_doc *r = obj->doc;
    return pl->lose_endpoints || pl->lose_policies || names_lost(pl, &r->host_compute_endpoints, r->host_compute_network);
  }
  }
  return 0;
}

/* Decides every object, in dependency order, then creation order. */
static int decide(plan *pl) {
  static const hns_object_kind order[HNS_KINDS] = {HNS_NETWORK, HNS_ENDPOINT, HNS_NAMESPACE, HNS_LOADBALANCER, HNS_SDNROUTE};
  for (int k = 0; k < HNS_KINDS; k++)
    for (size_t i = 0; i < pl->svc->count[order[k]]; i++) {
      hns_object *obj = pl->svc->objects[order[k]][i];
      char key[48];
      lost_key(key, sizeof key, obj->kind, &obj->id);
      if (loses(pl, obj) && hns_map_put(&pl->lost, key, obj)) return -1;
    }
  return 0;
}

/* ---- losing them ---- */

static void release(hns_service *svc, hns_object *obj) {
  switch (obj->kind) {
  case HNS_ENDPOINT: hns__endpoint_release(svc, obj); break;
  case HNS_NAMESPACE: hns__namespace_release(svc, obj); break;
  case HNS_LOADBALANCER: hns__loadbalancer_release(svc, obj); break;
  case HNS_SDNROUTE: hns__sdnroute_release(svc, obj); break;
  case HNS_NETWORK: break;
  }
}

/* Removes the lost objects, dependents first, so that no object is removed
 * while a kept or not yet removed one still names it. */
static void drop(plan *pl, hns_lifecycle_report *r) {
  static const hns_object_kind order[HNS_KINDS] = {HNS_LOADBALANCER, HNS_SDNROUTE, HNS_NAMESPACE, HNS_ENDPOINT, HNS_NETWORK};
  hns_service *svc = pl->svc;
  for (int k = 0; k < HNS_KINDS; k++) {
    hns_object_kind kind = order[k];
    for (size_t i = svc->count[kind]; i-- > 0;) { /* from the end: fewer moves */
      hns_object *obj = svc->objects[kind][i];
      if (!is_lost(pl, kind, obj->id_text)) continue;
      hns__model_forget(svc, obj);
      release(svc, obj);
      hns__remove(svc, obj);
      r->dropped[kind]++;
    }
    r->kept[kind] = svc->count[kind];
  }
}

static size_t clear_policies(hns_policies *ps) {
  size_t n = ps->n;
  for (size_t i = 0; i < n; i++) hns_policy_clear(&ps->v[i]);
  free(ps->v);
  ps->v = NULL;
  ps->n = 0;
  return n;
}

/* WC#19: the objects come back, their policies do not. Subnet policies
 * (VLAN, VSID) describe the network itself and are kept (inferred). */
static size_t lose_policies(hns_service *svc) {
  size_t n = 0;
  /* The model follows first: each object's entries become those of its
   * document without policies (a view sharing the rest of the document). */
  for (size_t i = 0; i < svc->count[HNS_NETWORK]; i++) {
    hns_object *obj = svc->objects[HNS_NETWORK][i];
    hns_network_doc bare = *(hns_network_doc *)obj->doc;
    bare.policies = (hns_policies){NULL, 0};
    hns__model_network_policies(svc, obj, obj->doc, &bare, NULL);
    n += clear_policies(&((hns_network_doc *)obj->doc)->policies);
  }
  for (size_t i = 0; i < svc->count[HNS_ENDPOINT]; i++) {
    hns_object *obj = svc->objects[HNS_ENDPOINT][i];
    hns_endpoint_doc bare = *(hns_endpoint_doc *)obj->doc;
    bare.policies = (hns_policies){NULL, 0};
    hns__model_endpoint_policies(svc, obj, obj->network, obj->doc, &bare, NULL);
    n += clear_policies(&((hns_endpoint_doc *)obj->doc)->policies);
  }
  return n;
}

/* Tells every registration of the stopping service, once. Registrations
 * made during the delivery belong to the new service and are not told; a
 * callback may unregister itself. Whether registrations outlive the
 * service is undocumented: they are RPC state of the process that stops,
 * so they hear nothing more (inferred). The data is NULL: the notification
 * names no object (inferred). */
static void disconnect(hns_service *svc) {
  for (hns_callback *cb = svc->callbacks; cb; cb = cb->next)
    if (!cb->disconnected) cb->disconnected = 1; /* 1: to be told */
  for (hns_callback *cb = svc->callbacks, *next; cb; cb = next) {
    next = cb->next;
    if (cb->disconnected != 1) continue;
    cb->disconnected = 2; /* 2: told */
    cb->fn(SERVICE_DISCONNECT, cb->context, HNS_S_OK, NULL);
  }
}

/* ---- restart and reboot ---- */

static hns_hr cycle(hns_service *svc, hns_rehydration mode, int boot, hns_lifecycle_report *report) {
  if (!svc) return HNS_E_POINTER;
  hns_lifecycle_report r;
  memset(&r, 0, sizeof r);
  if (report) *report = r;
  svc->detail[0] = '\0';
  if ((unsigned)mode >= HNS_REHYDRATE_COUNT)
    return hns__fail(svc, NULL, HNS_E_INVALIDARG,
                     "rehydration mode %d is not one of profile, all, networks-only, hns-data-deleted", (int)mode);
  disconnect(svc);
  svc->epoch++;
  plan pl = {svc, {0}, boot, 0, 0, 0};
  pl.lose_all = mode == HNS_REHYDRATE_HNS_DATA_DELETED;                                 /* VDOCS-CP20 */
  pl.lose_endpoints = pl.lose_all || mode == HNS_REHYDRATE_NETWORKS_ONLY;
  pl.lose_policies = mode != HNS_REHYDRATE_ALL && svc->profile->restart_loses_policies; /* WC#19 */
  /* Out of memory here leaves every object as it was, the restart done. */
  if (decide(&pl)) {
    hns_map_free(&pl.lost);
    return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory deciding what the restart keeps; everything was kept");
  }
  drop(&pl, &r);
  hns_map_free(&pl.lost);
  if (pl.lose_policies) r.policies_dropped = lose_policies(svc);
  /* No namespace or container outlives a reboot; compartment IDs start
   * again where a new service starts them (hns_service_create) (inferred). */
  if (boot) {
    svc->next_compartment = 2;
    for (size_t i = 0; i < svc->count[HNS_ENDPOINT]; i++) {
      hns__model_forget_containers(svc, svc->objects[HNS_ENDPOINT][i]);
      hns__endpoint_forget_containers(svc->objects[HNS_ENDPOINT][i]);
    }
  }
  if (report) *report = r;
  return HNS_S_OK;
}

hns_hr hns_service_restart(hns_service *svc, hns_rehydration mode, hns_lifecycle_report *report) {
  return cycle(svc, mode, 0, report);
}

/* At boot HNS re-hydrates from the same store as after a restart, so the
 * profile's re-hydration quirks apply too (inferred). */
hns_hr hns_service_reboot(hns_service *svc, hns_lifecycle_report *report) {
  return cycle(svc, HNS_REHYDRATE_PROFILE, 1, report);
}
