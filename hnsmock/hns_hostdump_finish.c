/* hns_hostdump_finish.c: the host state document out of everything a host's
 * files held, and the names of the formats.
 *
 * Two things are settled only when every file is read:
 *  - an endpoint known with its network's name only (an hnsdiag table row)
 *    gets the ID of the network of that name (any case, as HNS matches
 *    names, docs/v1-api.md VirtualNetworkName); with no such network it
 *    keeps no network, with a note;
 *  - the Profile: the one asked for, else a state document's, else the one
 *    the newest object Version implies (hns_hostdump_version.c). A dump
 *    whose objects carry no Version (networkhealth's, hnsdiag's tables)
 *    needs it asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"

const char *const hns__dump_list_keys[HNS_DUMP_LISTS] = {"Networks", "Endpoints", "LoadBalancers"};

static const char *const format_names[HNS_DUMP_FORMAT_COUNT] = {"any", "state",   "json",         "hnscall",
                                                                "v2",  "hnsdiag", "networkhealth"};

const char *hns_dump_format_name(hns_dump_format f) {
  return (int)f >= 0 && f < HNS_DUMP_FORMAT_COUNT ? format_names[f] : NULL;
}

int hns_dump_format_lookup(const char *name) {
  for (int i = 0; name && i < HNS_DUMP_FORMAT_COUNT; i++)
    if (!strcmp(format_names[i], name)) return i;
  return -1;
}

static void resolve_networks(hns_dump_import *im) {
  for (cJSON *ep = im->lists[HNS_DUMP_ENDPOINTS]->child; ep; ep = ep->next) {
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "VirtualNetworkName"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "ID"));
    if (name && !cJSON_GetObjectItem(ep, "HostComputeNetwork")) {
      const char *net_id = NULL;
      for (const cJSON *net = im->lists[HNS_DUMP_NETWORKS]->child; net && !net_id; net = net->next) {
        const char *net_name = cJSON_GetStringValue(cJSON_GetObjectItem(net, "Name"));
        if (net_name && !strcasecmp(net_name, name)) net_id = cJSON_GetStringValue(cJSON_GetObjectItem(net, "ID"));
      }
      if (net_id)
        cJSON_AddStringToObject(ep, "HostComputeNetwork", net_id);
      else
        hns__dump_note(im, HNS_DUMP_NOTE_WARN, "endpoint %s names network '%s', which no file held: it has no network",
                       id, name);
    }
    cJSON_DeleteItemFromObject(ep, "VirtualNetworkName");
  }
}

/* The profile, and why, or NULL with im->error set. */
static const hns_profile *choose_profile(hns_dump_import *im, const char *asked) {
  const hns_profile *given = asked ? hns_profile_find(asked) : NULL;
  const hns_profile *dumped =
      im->state_profile ? hns_profile_find(im->state_profile) : hns__dump_profile_at(im->newest);
  char why[128];
  if (im->state_profile)
    snprintf(why, sizeof why, "the state document's Profile");
  else
    snprintf(why, sizeof why, "the newest object's Version is HNS %u.%u", (unsigned)(im->newest >> 32),
             (unsigned)(uint32_t)im->newest);
  if (asked && !given) {
    snprintf(im->error, sizeof im->error, "profile '%.64s' is not a profile hnsim knows (docs/profiles.md)", asked);
    return NULL;
  }
  if (!given && !dumped) {
    snprintf(im->error, sizeof im->error,
             "the files do not tell the host's Windows version (no state Profile, no object Version%s): name its "
             "profile (hnsim import --profile; docs/profiles.md)",
             im->newest ? " of a known HNS" : "");
    return NULL;
  }
  if (given && dumped && given != dumped)
    hns__dump_note(im, HNS_DUMP_NOTE_WARN, "profile %s as asked, though %s (%s)", given->name, why, dumped->name);
  else if (!given)
    hns__dump_note(im, HNS_DUMP_NOTE_INFO, "profile %s: %s", dumped->name, why);
  return given ? given : dumped;
}

hns_hr hns_dump_import_finish(hns_dump_import *im, const char *profile, char **out_state) {
  if (!im || !out_state) return HNS_E_POINTER;
  *out_state = NULL;
  im->error[0] = '\0';
  resolve_networks(im);
  const hns_profile *p = choose_profile(im, profile);
  if (!p) return HNS_E_INVALIDARG;
  cJSON *root = cJSON_CreateObject();
  int ok = root && cJSON_AddStringToObject(root, "Profile", p->name);
  for (int l = 0; ok && l < HNS_DUMP_LISTS; l++) {
    cJSON *copy = cJSON_Duplicate(im->lists[l], 1);
    ok = copy && cJSON_AddItemToObject(root, hns__dump_list_keys[l], copy);
    if (!ok) cJSON_Delete(copy);
  }
  if (ok) *out_state = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  if (!*out_state) {
    snprintf(im->error, sizeof im->error, "out of memory");
    return HNS_E_OUTOFMEMORY;
  }
  return HNS_S_OK;
}
