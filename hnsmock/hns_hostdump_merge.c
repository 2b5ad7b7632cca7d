/* hns_hostdump_merge.c: one object of a dump to its place in the host's
 * state: classified, converted to its v2 document, checked to have a GUID
 * "ID", and merged with what was read before under the same ID (in any
 * case: real output mixes cases, facts §3.1).
 *
 * Merging (inferred: no tool merges dumps): the same object read twice
 * (network.txt and networkdetailed.txt; an hnsdiag table row and its JSON)
 * keeps the first reading of each field and gains the fields only the
 * later one has; PortMappings, which networkhealth writes one record per
 * mapping, are joined. A file's objects stay pending until the whole file
 * is read, so a file refused adds nothing. Every converted document gets
 * SchemaVersion 2.0 when it has none, as hnsmock's v2 documents carry it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"

void hns__dump_where(const cJSON *o, size_t index, char *out, size_t len) {
  const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(o, "ID"));
  if (!id) id = cJSON_GetStringValue(cJSON_GetObjectItem(o, "Identifier"));
  if (id)
    snprintf(out, len, "object %zu (ID %.40s)", index, id);
  else
    snprintf(out, len, "object %zu", index);
}

static cJSON *find(const cJSON *list, const char *id) {
  for (cJSON *o = list->child; o; o = o->next)
    if (!strcasecmp(cJSON_GetStringValue(cJSON_GetObjectItem(o, "ID")), id)) return o;
  return NULL;
}

/* Moves into `have` what `doc` (deleted) has and it lacks. */
static void merge_into(cJSON *have, cJSON *doc) {
  for (cJSON *k = doc->child, *next; k; k = next) {
    next = k->next;
    cJSON *mine = cJSON_GetObjectItem(have, k->string);
    if (!mine) {
      cJSON_AddItemToObject(have, k->string, cJSON_DetachItemViaPointer(doc, k));
    } else if (!strcasecmp(k->string, "PortMappings") && cJSON_IsArray(mine) && cJSON_IsArray(k)) {
      for (cJSON *m = k->child, *after; m; m = after) {
        after = m->next;
        int seen = 0;
        for (const cJSON *x = mine->child; x && !seen; x = x->next) seen = cJSON_Compare(x, m, 1);
        if (!seen) cJSON_AddItemToArray(mine, cJSON_DetachItemViaPointer(k, m));
      }
    }
  }
  cJSON_Delete(doc);
}

hns_hr hns__dump_add(hns_dump_import *im, int list, cJSON *doc, const char *where) {
  cJSON *id = cJSON_GetObjectItem(doc, "ID");
  hns_guid g;
  if (!cJSON_IsString(id) || !*id->valuestring) {
    cJSON_Delete(doc);
    return hns__dump_fail(im, "%s has no ID", where);
  }
  if (hns_guid_parse(id->valuestring, &g)) {
    hns_hr hr = hns__dump_fail(im, "%s: ID '%.64s' is not a GUID", where, id->valuestring);
    cJSON_Delete(doc);
    return hr;
  }
  if (strcmp(id->string, "ID")) { /* "Id" or "id": the ID key is "ID" (facts §3.1) */
    cJSON *moved = cJSON_DetachItemViaPointer(doc, id);
    cJSON_AddItemToObject(doc, "ID", moved);
  }
  if (!cJSON_GetObjectItem(doc, "SchemaVersion")) {
    cJSON *v = cJSON_AddObjectToObject(doc, "SchemaVersion");
    if (!v || !cJSON_AddNumberToObject(v, "Major", 2) || !cJSON_AddNumberToObject(v, "Minor", 0)) {
      cJSON_Delete(doc);
      return hns__dump_oom(im);
    }
  }
  cJSON *have = find(im->pending[list], cJSON_GetStringValue(cJSON_GetObjectItem(doc, "ID")));
  if (have)
    merge_into(have, doc);
  else
    cJSON_AddItemToArray(im->pending[list], doc);
  return HNS_S_OK;
}

/* The v2 document of an object of kind `k`, or NULL (left out). */
static hns_hr convert(hns_dump_import *im, hns__dk k, const cJSON *o, const char *where, cJSON **doc) {
  *doc = NULL;
  switch (k) {
  case HNS_DK_V1_NETWORK: return hns__dump_v1_network(im, o, where, doc);
  case HNS_DK_V1_ENDPOINT: return hns__dump_v1_endpoint(im, o, where, doc);
  case HNS_DK_V1_POLICYLIST: return hns__dump_v1_policylist(im, o, where, doc);
  case HNS_DK_V2_NETWORK:
  case HNS_DK_V2_ENDPOINT:
  case HNS_DK_V2_LB: return (*doc = cJSON_Duplicate(o, 1)) ? HNS_S_OK : hns__dump_oom(im);
  case HNS_DK_NH_NETWORK:
  case HNS_DK_NH_ENDPOINT:
  case HNS_DK_NH_LB:
  case HNS_DK_NH_NODE: return hns__dump_nh_in(im, k, o, where, doc);
  case HNS_DK_V2_ROUTE:
  case HNS_DK_NAMESPACE:
    im->skipped++;
    hns__dump_note(im, HNS_DUMP_NOTE_INFO, "'%s': %s is %s, which a host state does not hold; left out", im->file,
                   where, hns__dump_kind_name(k));
    return HNS_S_OK;
  case HNS_DK_UNKNOWN: break;
  }
  return HNS_E_UNEXPECTED;
}

static int list_of(hns__dk k) {
  switch (k) {
  case HNS_DK_V1_NETWORK:
  case HNS_DK_V2_NETWORK:
  case HNS_DK_NH_NETWORK: return HNS_DUMP_NETWORKS;
  case HNS_DK_V1_ENDPOINT:
  case HNS_DK_V2_ENDPOINT:
  case HNS_DK_NH_ENDPOINT: return HNS_DUMP_ENDPOINTS;
  default: return HNS_DUMP_LBS;
  }
}

/* "ID, Name, Foo, ..." : the first keys of an object, for a refusal. */
static void key_list(const cJSON *o, char *out, size_t len) {
  size_t used = 0, n = 0;
  out[0] = '\0';
  for (const cJSON *k = o->child; k && used < len; k = k->next, n++)
    used += (size_t)snprintf(out + used, len - used, "%s%s", n ? ", " : "", n < 8 ? k->string : "...");
}

hns_hr hns__dump_object(hns_dump_import *im, const cJSON *o, size_t index, hns_dump_format force) {
  char where[96], example[128], keys[160];
  hns__dump_where(o, index, where, sizeof where);
  if (!cJSON_IsObject(o)) return hns__dump_fail(im, "%s is not a JSON object", where);
  cJSON *copy = cJSON_Duplicate(o, 1);
  if (!copy) return hns__dump_oom(im);
  size_t cut = hns__dump_scrub(copy, example, sizeof example);
  if (cut)
    hns__dump_note(im, HNS_DUMP_NOTE_WARN,
                   "'%s': %s: %zu value%s cut off by ConvertTo-Json's -Depth (%s) left out; dump with "
                   "ConvertTo-Json -Depth 20, as collectlogs.ps1 does",
                   im->file, where, cut, cut == 1 ? "" : "s", example);
  hns__dk k = hns__dump_classify(copy);
  hns_dump_format family = hns__dump_kind_format(k);
  hns_hr hr = HNS_S_OK;
  if (k == HNS_DK_UNKNOWN) {
    key_list(copy, keys, sizeof keys);
    hr = hns__dump_fail(im,
                        "%s is none of the HNS objects hnsim reads (a network, endpoint or load balancer of HNS v1, "
                        "HCN v2 or networkhealth): its keys are %s",
                        where, *keys ? keys : "none");
  } else if (force != HNS_DUMP_ANY && family != HNS_DUMP_ANY && family != force) {
    hr = hns__dump_fail(im, "%s is %s, not %s", where, hns__dump_kind_name(k), hns_dump_format_name(force));
  }
  const cJSON *version = cJSON_GetObjectItem(copy, "Version");
  if (HNS_SUCCEEDED(hr) && cJSON_IsNumber(version) && version->valuedouble > (double)im->pending_newest)
    im->pending_newest = (uint64_t)version->valuedouble;
  /* a file's objects tell its format, unless a wrapper (a state, an
   * envelope, hnsdiag's text) already did */
  if (HNS_SUCCEEDED(hr) && family != HNS_DUMP_ANY && im->family != family &&
      (im->family == HNS_DUMP_ANY || im->family == HNS_DUMP_JSON || im->family == HNS_DUMP_V2 ||
       im->family == HNS_DUMP_NETWORKHEALTH))
    im->family = im->family == HNS_DUMP_ANY ? family : HNS_DUMP_FORMAT_COUNT;
  cJSON *doc = NULL;
  if (HNS_SUCCEEDED(hr)) hr = convert(im, k, copy, where, &doc);
  cJSON_Delete(copy);
  if (HNS_FAILED(hr) || !doc) return hr;
  return hns__dump_add(im, list_of(k), doc, where);
}

/* ---- the file read whole, or not ---- */

static const char *family_name(hns_dump_format f) {
  switch (f) {
  case HNS_DUMP_STATE: return "host state";
  case HNS_DUMP_JSON: return "Get-Hns* | ConvertTo-Json (v1)";
  case HNS_DUMP_HNSCALL: return "HNSCall envelope";
  case HNS_DUMP_V2: return "HCN v2 JSON";
  case HNS_DUMP_HNSDIAG: return "hnsdiag list all";
  case HNS_DUMP_NETWORKHEALTH: return "networkhealth dump";
  case HNS_DUMP_ANY: return "no object";
  default: return "JSON of several kinds";
  }
}

hns_hr hns__dump_commit(hns_dump_import *im) {
  size_t count[HNS_DUMP_LISTS], merged = 0;
  for (int l = 0; l < HNS_DUMP_LISTS; l++) {
    count[l] = (size_t)cJSON_GetArraySize(im->pending[l]);
    for (cJSON *doc = im->pending[l]->child; doc; doc = im->pending[l]->child) {
      cJSON_DetachItemViaPointer(im->pending[l], doc);
      cJSON *have = find(im->lists[l], cJSON_GetStringValue(cJSON_GetObjectItem(doc, "ID")));
      if (have) {
        merge_into(have, doc);
        merged++;
      } else {
        cJSON_AddItemToArray(im->lists[l], doc);
      }
    }
  }
  if (im->pending_newest > im->newest) im->newest = im->pending_newest;
  char more[96] = "";
  if (merged) snprintf(more, sizeof more, "; %zu of them read before, merged", merged);
  if (im->skipped) snprintf(more + strlen(more), sizeof more - strlen(more), "; %zu left out", im->skipped);
  hns__dump_note(im, HNS_DUMP_NOTE_INFO, "'%s': %s: %zu network%s, %zu endpoint%s, %zu load balancer%s%s", im->file,
                 family_name(im->family), count[0], count[0] == 1 ? "" : "s", count[1], count[1] == 1 ? "" : "s",
                 count[2], count[2] == 1 ? "" : "s", more);
  return HNS_S_OK;
}

void hns__dump_rollback(hns_dump_import *im) {
  for (int l = 0; l < HNS_DUMP_LISTS; l++)
    for (cJSON *doc = im->pending[l]->child; doc; doc = im->pending[l]->child)
      cJSON_Delete(cJSON_DetachItemViaPointer(im->pending[l], doc));
}
