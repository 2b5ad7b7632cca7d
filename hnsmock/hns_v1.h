/* hns_v1.h: HNS's older entry point, HNSCall(method, path, request), over one
 * simulated HNS, in UTF-8. hcn_wide_v1.c puts the Windows signature on top.
 *
 * The v1 API and the HCN v2 API (hns_api.h) are two views of the same
 * objects under the same IDs: a network POSTed to /networks is the network
 * HcnEnumerateNetworks lists; a v2 load balancer is a /policylists entry with
 * ELB policies, and an SDN route one with ROUTE policies. docs/v1-api.md
 * lists the routes, the bodies, the policy mapping and their sources.
 *
 * The envelope (hcsshim internal/hns hnsfuncs.go hnsResponse):
 *  - success: {"Success":true,"Output":<object or array>}; Output is left out
 *    where the call returns nothing (DELETE, attach, detach) (inferred);
 *  - failure: {"Success":false,"Error":"<HNS's message>","ErrorCode":<the
 *    HRESULT as unsigned decimal>}, the same text HCN's ErrorRecord carries.
 * The returned HRESULT is the failure's as well: clients log "hnsCall failed
 * in Win32: <message> (0x...)" (hcsshim hnsCallRawResponse wraps a failing
 * HRESULT that way; such lines are quoted in VDOCS common-problems and the
 * IoT Edge troubleshooting guide), while SDN hns.psm1 declares HNSCall void
 * and reads the envelope's Error. Both get what they look for.
 *
 * As everywhere in hnsmock, a refused call changes nothing, and
 * hns_service_last_detail names the field and value refused. */
#ifndef HNS_V1_H
#define HNS_V1_H
#include "hns_api.h"

/* One HNSCall. `method` is GET, POST or DELETE (any case), `path` a route of
 * docs/v1-api.md (trailing slashes and the case of IDs do not matter),
 * `request` the JSON body or NULL / "" for none. *response receives the
 * envelope, malloc'd (free() it), on success and on failure; it is NULL only
 * when memory runs out or an argument is NULL (E_POINTER). */
hns_hr hns_call(hns_service *svc, const char *method, const char *path, const char *request, char **response);

/* What HCS does for hcsshim's HotAttachEndpoint / HotDetachEndpoint (root
 * package hnsendpoint.go): add the endpoint to, or remove it from, a running
 * container through ModifyComputeSystem, not through HNSCall. An endpoint
 * may be shared this way by several containers (the pause container's
 * endpoint under dockershim), which HNSCall's /attach refuses.
 *  - hot attach to a container the endpoint is already in, and hot detach
 *    from one it is not in, succeed without change (hcsshim checks
 *    IsAttached first and returns);
 *  - profiles without endpoint_hot_attach (WS2016) refuse with
 *    ERROR_NOT_SUPPORTED, which hcsshim turns into ErrPlatformNotSupported
 *    (exact code (inferred)). */
hns_hr hns_hot_attach(hns_service *svc, const char *container_id, const char *endpoint_id);
hns_hr hns_hot_detach(hns_service *svc, const char *container_id, const char *endpoint_id);

#endif
