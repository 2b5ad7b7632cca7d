/* hns_sdnroute.c: SDN routes (HostComputeRoute): the endpoints they apply to
 * must exist and are held while the route does (facts §3.7); the routes
 * reach the data-plane model through hns_model_lb.c. */
#include "hns_model_int.h"
#include "hns_service_int.h"

static void hold(hns_service *svc, hns_object *obj, int add) {
  hns_sdnroute_doc *r = obj->doc;
  for (size_t i = 0; i < r->host_compute_endpoints.n; i++) {
    hns_object *ep = hns__lookup_text(svc, HNS_ENDPOINT, r->host_compute_endpoints.v[i]);
    if (ep) ep->refs += add ? 1u : (uint32_t)-1;
  }
}

hns_hr hns__sdnroute_create(hns_service *svc, hns_object *obj, char **er) {
  hns_sdnroute_doc *r = obj->doc;
  for (size_t i = 0; i < r->host_compute_endpoints.n; i++)
    if (!hns__lookup_text(svc, HNS_ENDPOINT, r->host_compute_endpoints.v[i]))
      return hns__fail(svc, er, HCN_E_ENDPOINT_NOT_FOUND, "HostComputeEndpoints[%zu]: no endpoint with ID %s", i,
                       r->host_compute_endpoints.v[i]);
  if (!r->schema_version.major) r->schema_version = (hns_version_doc){2, 0, NULL};
  hns_hr hr = hns__model_sdnroute_add(svc, obj, er);
  if (HNS_FAILED(hr)) return hr;
  if (hns__insert(svc, obj)) {
    hns__model_sdnroute_remove(svc, obj);
    return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  }
  hold(svc, obj, 1);
  return HNS_S_OK;
}

void hns__sdnroute_release(hns_service *svc, hns_object *obj) { hold(svc, obj, 0); }
