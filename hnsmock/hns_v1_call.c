/* hns_v1_call.c: hns_call, the router of the v1 entry point: it splits the
 * path, finds the route (hns_v1_routes.c), parses the body, and wraps the
 * answer in HNS's envelope (hns_v1.h says which, and why).
 *
 * Paths match whatever their slashes ("/networks", "networks/",
 * "/networks//<id>/") and case; IDs are GUIDs of any case (facts §3.1).
 * While a route runs, svc->via_v1 is raised, so that the v2 operations it
 * calls also work on builds without the HCN v2 API (WS2016 to 1803 answer
 * HNSCall only); it is lowered again on every way out.
 *
 * Refusals before a route runs (codes (inferred)): no route for the method
 * and path, E_NOTIMPL; an ID that is not a GUID,
 * HCN_E_GUID_CONVERSION_FAILURE ("parameter not a GUID"); a body that is not
 * JSON, HCN_E_INVALID_JSON, as HCN gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_v1_int.h"

#define MAX_SEGMENTS 3

typedef struct v1_path {
  char seg[MAX_SEGMENTS][80];
  int n;
} v1_path;

/* Splits on '/', empty segments skipped; -1 when the path has more segments
 * than any route or one too long to be an ID. */
static int split_path(const char *path, v1_path *out) {
  out->n = 0;
  for (const char *p = path; *p;) {
    size_t len = strcspn(p, "/");
    if (len) {
      if (out->n == MAX_SEGMENTS || len >= sizeof out->seg[0]) return -1;
      memcpy(out->seg[out->n], p, len);
      out->seg[out->n++][len] = '\0';
    }
    p += len;
    if (*p == '/') p++;
  }
  return 0;
}

static int target_of(const v1_path *p) {
  if (p->n == 1) return HNS_V1_NO_ID;
  return p->n == 2 && !strcasecmp(p->seg[1], "version") ? HNS_V1_VERSION : HNS_V1_ID;
}

/* The route for method and path, or NULL with the refusal's detail set. */
static const hns_v1_route *find_route(hns_service *svc, const char *method, const char *path, const v1_path *p) {
  int target = target_of(p), path_known = 0;
  const char *action = p->n == 3 ? p->seg[2] : NULL;
  for (size_t i = 0; i < hns__v1_route_count; i++) {
    const hns_v1_route *r = &hns__v1_routes[i];
    if (strcasecmp(r->collection, p->seg[0]) || r->target != target) continue;
    if ((r->action == NULL) != (action == NULL) || (action && strcasecmp(r->action, action))) continue;
    path_known = 1;
    if (!strcasecmp(r->method, method)) return r;
  }
  if (path_known) hns__fail(svc, NULL, HNS_E_NOTIMPL, "%s is not a method of %s (GET, POST or DELETE, see docs/v1-api.md)", method, path);
  else hns__fail(svc, NULL, HNS_E_NOTIMPL, "no HNSCall route %s %s (docs/v1-api.md lists them)", method, path);
  return NULL;
}

static hns_hr dispatch(hns_service *svc, const char *method, const char *path, const char *request, cJSON **output) {
  v1_path p;
  if (!method || !path) return hns__fail(svc, NULL, HNS_E_INVALIDARG, "HNSCall needs a method and a path");
  if (split_path(path, &p) || p.n == 0)
    return hns__fail(svc, NULL, HNS_E_NOTIMPL, "no HNSCall route %s %.96s (docs/v1-api.md lists them)", method, path);
  const hns_v1_route *route = find_route(svc, method, path, &p);
  if (!route) return HNS_E_NOTIMPL;
  hns_guid id;
  if (route->target == HNS_V1_ID && hns_guid_parse(p.seg[1], &id))
    return hns__fail(svc, NULL, HCN_E_GUID_CONVERSION_FAILURE, "%s: '%s' is not a GUID", path, p.seg[1]);
  cJSON *body = NULL;
  if (!strcasecmp(route->method, "POST") && !(body = cJSON_Parse(request ? request : ""))) {
    const char *at = cJSON_GetErrorPtr();
    return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "the request body is not valid JSON (near '%.24s')", at ? at : "");
  }
  hns_hr hr = route->fn(svc, route, route->target == HNS_V1_ID ? p.seg[1] : NULL, body, output);
  cJSON_Delete(body);
  if (HNS_FAILED(hr)) {
    cJSON_Delete(*output);
    *output = NULL;
  }
  return hr;
}

/* {"Success":true[,"Output":...]}, taking `output`; or the ErrorRecord's
 * {"Success":false,"Error":...,"ErrorCode":...}. */
static char *envelope(hns_hr hr, cJSON *output) {
  if (HNS_FAILED(hr)) {
    cJSON_Delete(output);
    return hns_error_record(hr);
  }
  cJSON *env = cJSON_CreateObject();
  if (!env) {
    cJSON_Delete(output);
    return NULL;
  }
  cJSON_AddTrueToObject(env, "Success");
  if (output) cJSON_AddItemToObject(env, "Output", output);
  char *text = cJSON_PrintUnformatted(env);
  cJSON_Delete(env);
  return text;
}

hns_hr hns_call(hns_service *svc, const char *method, const char *path, const char *request, char **response) {
  if (!response) return HNS_E_POINTER;
  *response = NULL;
  if (!svc) return HNS_E_POINTER;
  svc->detail[0] = '\0';
  cJSON *output = NULL;
  svc->via_v1++;
  hns_hr hr = dispatch(svc, method, path, request, &output);
  svc->via_v1--;
  *response = envelope(hr, output);
  if (!*response && HNS_SUCCEEDED(hr)) return HNS_E_OUTOFMEMORY;
  return hr;
}
