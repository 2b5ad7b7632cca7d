/* test_hns_errors.c: the catalogue of HNS refusals (issue 3, points 4 and 8).
 *
 * Each case builds a state, makes one call HNS refuses, and runs twice: once
 * through the UTF-8 API (hns_api.h), once through the Windows signatures
 * (computenetwork.h: UTF-16 documents, CoTaskMem'd outputs). Every run checks
 * what a caller sees: the HRESULT; the ErrorRecord, exactly
 * {"Success":false,"Error":"<message> ","ErrorCode":<HRESULT as unsigned
 * decimal>}; the detail hnsim adds (hns_service_last_detail); no handle or
 * output after the failure; no ErrorRecord after any success of the setup;
 * no notification. And that the refusal left no trace: the whole service
 * (every kind enumerated, every object queried) reads the same after it as
 * before, and the same follow-up calls (an endpoint on every network, a
 * namespace) give the same answers as on a twin service that never saw it.
 *
 * The comment above each case says what the real HNS returns and where that
 * comes from (docs/errors.md, docs/profiles.md, hns-api-facts.md); (inferred)
 * marks a code no public source shows for that condition, chosen from the
 * code's name or documented text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <computenetwork.h>

#include "hcn_utf16.h"
#include "hns_api.h"
#include "hns_profile.h"
#include "hnsim_hcn.h"

/* ---- the documents the cases use ------------------------------------------ */

#define NET "6E000000-0000-4000-8000-000000000001"
#define NET2 "6E000000-0000-4000-8000-000000000002"
#define EP "0E000000-0000-4000-8000-000000000001"
#define EP2 "0E000000-0000-4000-8000-000000000002"
#define NS "5E000000-0000-4000-8000-000000000001"
#define NS2 "5E000000-0000-4000-8000-000000000002"
#define LB "1B000000-0000-4000-8000-000000000001"
#define RT "2E000000-0000-4000-8000-000000000001"
#define NOBODY "0badf00d-0000-4000-8000-000000000001" /* never created */
#define BACKEND_FMT "0E000000-0000-4000-8001-%012d"    /* the nth of many endpoints */

/* A NAT network, 172.20.0.0/24 with its gateway at .1 (hns-api-facts.md §3.3). */
#define NAT_NET                                                                                                     \
  "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"nat\",\"Type\":\"NAT\",\"Ipams\":[{\"Type\":\"Static\"," \
  "\"Subnets\":[{\"IpAddressPrefix\":\"172.20.0.0/24\",\"Routes\":[{\"NextHop\":\"172.20.0.1\","                  \
  "\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"
/* A /30: network .0, gateway .1, broadcast .3: one address to hand out. */
#define SMALL_NET                                                                                          \
  "{\"Name\":\"small\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"172.21.0.0/30\"," \
  "\"Routes\":[{\"NextHop\":\"172.21.0.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"
/* A MacPool of one MAC. */
#define ONE_MAC_NET                                                                                                \
  "{\"Name\":\"onemac\",\"Type\":\"L2Bridge\",\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-AA-00-09\"," \
  "\"EndMacAddress\":\"00-15-5D-AA-00-09\"}]},\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"172.22.0.0/24\"}]}]}"
/* No Ipams: nothing to take an address from. */
#define BARE_NET "{\"Name\":\"bare\",\"Type\":\"L2Bridge\"}"

#define EP_DOC "{\"Name\":\"ep1\",\"MacAddress\":\"00-15-5D-AA-00-01\"}" /* gets 172.20.0.2 */
#define EP_REQ(type, id) \
  "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"" type "\",\"Settings\":{\"EndpointId\":\"" id "\"}}"
#define CONTAINER_REQ(type) \
  "{\"ResourceType\":\"Container\",\"RequestType\":\"" type "\",\"Settings\":{\"ContainerId\":\"pause-1\"}}"
#define POLICY_REQ(type, policies) \
  "{\"ResourceType\":\"Policy\",\"RequestType\":\"" type "\",\"Settings\":{\"Policies\":[" policies "]}}"
#define ACL_POLICY "{\"Type\":\"ACL\",\"Settings\":{\"Action\":\"Block\",\"Direction\":\"In\",\"Priority\":200}}"
#define PORT_80 "\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":8080,\"ExternalPort\":80}]"
#define LB_DOC(vip) "{\"HostComputeEndpoints\":[\"" EP "\"],\"FrontendVIPs\":[\"" vip "\"]," PORT_80 "}"
#define ROUTE_DOC(ep) \
  "{\"HostComputeEndpoints\":[\"" ep "\"],\"Setting\":[{\"DestinationPrefix\":\"10.0.0.0/8\",\"NextHop\":\"172.20.0.1\"}]}"

/* ---- the table ------------------------------------------------------------ */

typedef enum op { END = 0, CREATE, OPEN, MODIFY, QUERY, DELETE, ENUMERATE } op;

/* One call. With count > 0 it is made count times and `id` and `json` are
 * printf formats given n = 1..count. */
typedef struct call {
  op op;
  hns_object_kind kind;
  const char *id;     /* CREATE: the ID to give (NULL: HNS chooses); else the object's */
  const char *parent; /* CREATE of an endpoint: its network's ID */
  const char *json;   /* settings, or the query of QUERY and ENUMERATE */
  int count;
  char *(*make_json)(void); /* builds `json` when it is too long to write (malloc'd) */
} call;

typedef struct error_case {
  const char *name;
  const char *profile;
  call setup[5];
  call refused;
  hns_hr hr;
  const char *detail; /* a part of hns_service_last_detail */
} error_case;

#define C(op, kind, id, parent, json) {op, kind, id, parent, json, 0, NULL}
#define MAKE_NET C(CREATE, HNS_NETWORK, NET, NULL, NAT_NET)
#define MAKE_EP C(CREATE, HNS_ENDPOINT, EP, NET, EP_DOC)
#define MAKE_NS C(CREATE, HNS_NAMESPACE, NS, NULL, "{}")
#define ATTACH_EP C(MODIFY, HNS_NAMESPACE, NS, NULL, EP_REQ("Add", EP))

/* An LB over one more backend than ws2019 takes (max_lb_backends 64). */
static char *lb_with_65_backends(void) {
  char *json = malloc(65 * 40 + 128);
  size_t n = (size_t)sprintf(json, "{\"HostComputeEndpoints\":[");
  for (int i = 1; i <= 65; i++) n += (size_t)sprintf(json + n, "%s\"" BACKEND_FMT "\"", i > 1 ? "," : "", i);
  sprintf(json + n, "]," PORT_80 "}");
  return json;
}

static const error_case cases[] = {
    /* ---- documents HNS cannot read ---- */
    /* HCN_E_INVALID_JSON "Invalid JSON document string.": HNS's own parser
     * answers it for a document it refuses ({{Field,Reason}} seen, docs/errors.md);
     * for unparsable text, facts §7.8 (inferred from the code's name). */
    {"malformed JSON on create", "ws2022", {{0}}, C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"x\","),
     HCN_E_INVALID_JSON, "not valid JSON"},
    {"malformed JSON on modify", "ws2022", {MAKE_NET, MAKE_EP}, C(MODIFY, HNS_ENDPOINT, EP, NULL, "{\"ResourceType\":"),
     HCN_E_INVALID_JSON, "not valid JSON"},
    {"malformed query on enumerate", "ws2022", {MAKE_NET}, C(ENUMERATE, HNS_NETWORK, NULL, NULL, "{\"Filter\":"),
     HCN_E_INVALID_JSON, "query is not valid JSON"},
    {"query Filter that is not an object", "ws2022", {MAKE_NET}, C(ENUMERATE, HNS_NETWORK, NULL, NULL, "{\"Filter\":\"[1]\"}"),
     HCN_E_INVALID_JSON, "Filter"},
    {"malformed query on query properties", "ws2022", {MAKE_NET}, C(QUERY, HNS_NETWORK, NET, NULL, "{"),
     HCN_E_INVALID_JSON, "query is not valid JSON"},
    /* A value of the wrong JSON type, and an enum name HNS does not know:
     * schema violations, HCN_E_INVALID_JSON as above. */
    {"wrong JSON type", "ws2022", {{0}}, C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":7}"), HCN_E_INVALID_JSON, "Name"},
    {"unknown enum name", "ws2022", {{0}}, C(CREATE, HNS_NAMESPACE, NULL, NULL, "{\"Type\":\"Bogus\"}"),
     HCN_E_INVALID_JSON, "Type"},
    {"unknown enum name in a request", "ws2022", {MAKE_NET, MAKE_EP},
     C(MODIFY, HNS_ENDPOINT, EP, NULL, POLICY_REQ("Frob", ACL_POLICY)), HCN_E_INVALID_JSON, "RequestType"},
    /* A field only HNS sets: E_INVALIDARG (inferred). */
    {"read-only field on create", "ws2022", {MAKE_NET},
     C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"HostComputeNamespace\":\"" NS "\"}"), HNS_E_INVALIDARG, "HostComputeNamespace"},
    /* VDOCS HCNHResult.md "Invalid network type" (inferred for an unknown name). */
    {"unknown network type", "ws2022", {{0}}, C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"x\",\"Type\":\"Bridge\"}"),
     HCN_E_INVALID_NETWORK_TYPE, "Type"},
    /* VDOCS "The provided network configuration is invalid or missing parameters" (inferred). */
    {"network without a name", "ws2022", {{0}}, C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Type\":\"L2Bridge\"}"),
     HCN_E_INVALID_NETWORK, "Name"},
    /* Facts §7.8: an invalid policy type is HCN_E_INVALID_POLICY_TYPE (inferred from the name). */
    {"unknown network policy type", "ws2022", {{0}},
     C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"x\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"Frob\"}]}"),
     HCN_E_INVALID_POLICY_TYPE, "Policies[0].Type"},
    {"unknown endpoint policy type", "ws2022", {MAKE_NET}, C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"Policies\":[{\"Type\":\"Frob\"}]}"),
     HCN_E_INVALID_POLICY_TYPE, "Policies[0].Type"},
    /* HCN_E_INVALID_POLICY: seen for malformed policies, calico#8465 (0x803b000d). */
    {"malformed policy settings", "ws2022", {{0}},
     C(CREATE, HNS_NETWORK, NULL, NULL,
       "{\"Name\":\"x\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"VxlanPort\",\"Settings\":{\"Port\":\"x\"}}]}"),
     HCN_E_INVALID_POLICY, "Policies[0].Settings.Port"},
    /* VDOCS "The prefix provided is invalid" (docs only; inferred). */
    {"bad prefix", "ws2022", {{0}},
     C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"x\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.0.0.0/33\"}]}]}"),
     HCN_E_INVALID_PREFIX, "IpAddressPrefix"},
    /* VDOCS "The provided subnet configuration is invalid or missing parameters" (inferred). */
    {"subnet without a prefix", "ws2022", {{0}}, C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"x\",\"Ipams\":[{\"Subnets\":[{}]}]}"),
     HCN_E_INVALID_SUBNET, "IpAddressPrefix is missing"},
    /* VDOCS "IP address is either invalid or not part of any configured subnet(s)". */
    {"bad IP", "ws2022", {MAKE_NET}, C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"IpConfigurations\":[{\"IpAddress\":\"172.20.0.300\"}]}"),
     HCN_E_INVALID_IP, "IpAddress"},
    /* No HCN code names MACs: E_INVALIDARG (inferred). */
    {"bad MAC", "ws2022", {MAKE_NET}, C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"MacAddress\":\"00-15-5D-00-00\"}"),
     HNS_E_INVALIDARG, "MacAddress"},
    {"MAC range that ends before it starts", "ws2022", {{0}},
     C(CREATE, HNS_NETWORK, NULL, NULL,
       "{\"Name\":\"x\",\"MacPool\":{\"Ranges\":[{\"StartMacAddress\":\"00-15-5D-00-00-10\",\"EndMacAddress\":\"00-15-5D-00-00-01\"}]}}"),
     HNS_E_INVALIDARG, "MacPool.Ranges[0]"},
    /* VDOCS "Failed to interpret a parameter as a GUID" (inferred for a document's ID). */
    {"bad GUID", "ws2022", {{0}}, C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"x\",\"ID\":\"not-a-guid\"}"),
     HCN_E_GUID_CONVERSION_FAILURE, "ID"},

    /* ---- addresses ---- */
    /* VDOCS "IP address is either invalid or not part of any configured subnet(s)";
     * facts §7.8. */
    {"IP outside every subnet", "ws2022", {MAKE_NET},
     C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"IpConfigurations\":[{\"IpAddress\":\"10.9.9.9\"}]}"), HCN_E_INVALID_IP,
     "10.9.9.9 is outside every subnet of network 'nat'"},
    /* "An address provided is invalid or reserved": seen when kube-proxy's
     * source-VIP endpoint asked for an address HNS would not give
     * (sig-windows-tools#71, kubernetes#100962); for the gateway and for an
     * address in use (inferred). */
    {"gateway address", "ws2022", {MAKE_NET},
     C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"IpConfigurations\":[{\"IpAddress\":\"172.20.0.1\"}]}"),
     HCN_E_ADDR_INVALID_OR_RESERVED, "gateway"},
    {"duplicate IP", "ws2022", {MAKE_NET, MAKE_EP},
     C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"IpConfigurations\":[{\"IpAddress\":\"172.20.0.2\"}]}"),
     HCN_E_ADDR_INVALID_OR_RESERVED, "172.20.0.2 is already used by endpoint " EP},
    {"duplicate MAC", "ws2022", {MAKE_NET, MAKE_EP}, C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"MacAddress\":\"00-15-5d-aa-00-01\"}"),
     HCN_E_ADDR_INVALID_OR_RESERVED, "00-15-5D-AA-00-01 is already used"},
    /* Pools running out: no source shows HNS's code; E_OUTOFMEMORY "Not
     * enough memory resources" (inferred: the code HNS gave when
     * hcnCreateLoadBalancer found no ports left, plugins#613). */
    {"IP pool exhausted", "ws2022", {C(CREATE, HNS_NETWORK, NET2, NULL, SMALL_NET), C(CREATE, HNS_ENDPOINT, EP2, NET2, "{}")},
     C(CREATE, HNS_ENDPOINT, NULL, NET2, "{}"), HNS_E_OUTOFMEMORY, "no free IPv4 address"},
    {"MAC pool exhausted", "ws2022", {C(CREATE, HNS_NETWORK, NET2, NULL, ONE_MAC_NET), C(CREATE, HNS_ENDPOINT, EP2, NET2, "{}")},
     C(CREATE, HNS_ENDPOINT, NULL, NET2, "{}"), HNS_E_OUTOFMEMORY, "no free MAC address"},
    /* VDOCS "The network does not have a subnet for this endpoint". */
    {"no subnet to take an address from", "ws2022", {C(CREATE, HNS_NETWORK, NET2, NULL, BARE_NET)},
     C(CREATE, HNS_ENDPOINT, NULL, NET2, "{}"), HCN_E_SUBNET_NOT_FOUND, "no subnet"},
    /* (inferred) */
    {"endpoint naming another network", "ws2022", {MAKE_NET, C(CREATE, HNS_NETWORK, NET2, NULL, BARE_NET)},
     C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"HostComputeNetwork\":\"" NET2 "\"}"), HNS_E_INVALIDARG, "HostComputeNetwork"},

    /* ---- names and IDs ---- */
    /* VDOCS "A network with this name already exists" (names compare without case, inferred). */
    {"duplicate network name", "ws2022", {MAKE_NET}, C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"NAT\",\"Type\":\"L2Bridge\"}"),
     HCN_E_NETWORK_ALREADY_EXISTS, "'NAT' already exists"},
    {"network ID in use", "ws2022", {MAKE_NET}, C(CREATE, HNS_NETWORK, NET, NULL, "{\"Name\":\"other\",\"Type\":\"L2Bridge\"}"),
     HCN_E_NETWORK_ALREADY_EXISTS, "ID " NET " already exists"},
    /* ERROR_ALREADY_EXISTS, seen as 0xb7 on a create after an HNS restart
     * (kubernetes#139519); for these conditions (inferred). */
    {"duplicate endpoint name", "ws2022", {MAKE_NET, MAKE_EP}, C(CREATE, HNS_ENDPOINT, NULL, NET, "{\"Name\":\"EP1\"}"),
     HNS_E_ALREADY_EXISTS, "'EP1' already exists"},
    {"endpoint ID in use", "ws2022", {MAKE_NET, MAKE_EP}, C(CREATE, HNS_ENDPOINT, EP, NET, "{}"), HNS_E_ALREADY_EXISTS,
     "ID " EP " already exists"},
    {"namespace ID in use", "ws2022", {MAKE_NS}, C(CREATE, HNS_NAMESPACE, NS, NULL, "{}"), HNS_E_ALREADY_EXISTS,
     "ID " NS " already exists"},

    /* ---- objects that do not exist ---- */
    /* hcsshim/hnslib check HCN_E_NETWORK_NOT_FOUND and HCN_E_ENDPOINT_NOT_FOUND;
     * the other kinds have no code, ERROR_NOT_FOUND (facts §7.3, inferred). */
    {"open an unknown network", "ws2022", {{0}}, C(OPEN, HNS_NETWORK, NOBODY, NULL, NULL), HCN_E_NETWORK_NOT_FOUND, NOBODY},
    {"open an unknown endpoint", "ws2022", {{0}}, C(OPEN, HNS_ENDPOINT, NOBODY, NULL, NULL), HCN_E_ENDPOINT_NOT_FOUND, NOBODY},
    {"open an unknown namespace", "ws2022", {{0}}, C(OPEN, HNS_NAMESPACE, NOBODY, NULL, NULL), HNS_E_ELEMENT_NOT_FOUND, NOBODY},
    {"open an unknown load balancer", "ws2022", {{0}}, C(OPEN, HNS_LOADBALANCER, NOBODY, NULL, NULL), HNS_E_ELEMENT_NOT_FOUND,
     NOBODY},
    {"open an unknown SDN route", "ws2022", {{0}}, C(OPEN, HNS_SDNROUTE, NOBODY, NULL, NULL), HNS_E_ELEMENT_NOT_FOUND, NOBODY},
    {"delete an unknown network", "ws2022", {MAKE_NET}, C(DELETE, HNS_NETWORK, NOBODY, NULL, NULL), HCN_E_NETWORK_NOT_FOUND, NOBODY},
    {"delete an unknown endpoint", "ws2022", {MAKE_NET, MAKE_EP}, C(DELETE, HNS_ENDPOINT, NOBODY, NULL, NULL),
     HCN_E_ENDPOINT_NOT_FOUND, NOBODY},
    {"delete an unknown namespace", "ws2022", {MAKE_NS}, C(DELETE, HNS_NAMESPACE, NOBODY, NULL, NULL), HNS_E_ELEMENT_NOT_FOUND,
     NOBODY},
    {"delete an unknown load balancer", "ws2022", {{0}}, C(DELETE, HNS_LOADBALANCER, NOBODY, NULL, NULL),
     HNS_E_ELEMENT_NOT_FOUND, NOBODY},
    {"delete an unknown SDN route", "ws2022", {{0}}, C(DELETE, HNS_SDNROUTE, NOBODY, NULL, NULL), HNS_E_ELEMENT_NOT_FOUND, NOBODY},
    /* The network handle outlives its network: the endpoint's parent is gone. */
    {"endpoint on a deleted network", "ws2022",
     {C(CREATE, HNS_NETWORK, NET2, NULL, BARE_NET), C(DELETE, HNS_NETWORK, NET2, NULL, NULL)},
     C(CREATE, HNS_ENDPOINT, NULL, NET2, "{}"), HCN_E_NETWORK_NOT_FOUND, "no network with ID"},
    {"modify a deleted endpoint through its handle", "ws2022", {MAKE_NET, MAKE_EP, C(DELETE, HNS_ENDPOINT, EP, NULL, NULL)},
     C(MODIFY, HNS_ENDPOINT, EP, NULL, POLICY_REQ("Add", ACL_POLICY)), HCN_E_ENDPOINT_NOT_FOUND, "no endpoint with ID"},
    {"query a deleted namespace through its handle", "ws2022", {MAKE_NS, C(DELETE, HNS_NAMESPACE, NS, NULL, NULL)},
     C(QUERY, HNS_NAMESPACE, NS, NULL, NULL), HNS_E_ELEMENT_NOT_FOUND, "no namespace with ID"},
    /* Naming an endpoint that does not exist: HCN_E_ENDPOINT_NOT_FOUND (inferred from the name). */
    {"load balancer naming a missing endpoint", "ws2022", {{0}}, C(CREATE, HNS_LOADBALANCER, NULL, NULL, LB_DOC("10.96.0.10")),
     HCN_E_ENDPOINT_NOT_FOUND, "HostComputeEndpoints[0]: no endpoint with ID " EP},
    {"SDN route naming a missing endpoint", "ws2022", {{0}}, C(CREATE, HNS_SDNROUTE, NULL, NULL, ROUTE_DOC(NOBODY)),
     HCN_E_ENDPOINT_NOT_FOUND, "HostComputeEndpoints[0]: no endpoint with ID " NOBODY},
    {"attach a missing endpoint", "ws2022", {MAKE_NS}, C(MODIFY, HNS_NAMESPACE, NS, NULL, EP_REQ("Add", NOBODY)),
     HCN_E_ENDPOINT_NOT_FOUND, "Settings.EndpointId"},
    {"namespace created with a missing endpoint", "ws2022", {{0}},
     C(CREATE, HNS_NAMESPACE, NULL, NULL, "{\"Resources\":[{\"Type\":\"Endpoint\",\"Data\":{\"ID\":\"" NOBODY "\"}}]}"),
     HCN_E_ENDPOINT_NOT_FOUND, "Resources[0]"},

    /* ---- namespaces ---- */
    /* VDOCS "This requested operation is invalid as endpoint is already part
     * of a network namespace" (inferred for these calls). */
    {"endpoint already in this namespace", "ws2022", {MAKE_NET, MAKE_EP, MAKE_NS, ATTACH_EP},
     C(MODIFY, HNS_NAMESPACE, NS, NULL, EP_REQ("Add", EP)), HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS,
     "already in namespace " NS},
    {"endpoint already in another namespace", "ws2022",
     {MAKE_NET, MAKE_EP, MAKE_NS, ATTACH_EP, C(CREATE, HNS_NAMESPACE, NS2, NULL, "{}")},
     C(MODIFY, HNS_NAMESPACE, NS2, NULL, EP_REQ("Add", EP)), HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS,
     "already in namespace " NS},
    {"namespace created with an endpoint in another", "ws2022", {MAKE_NET, MAKE_EP, MAKE_NS, ATTACH_EP},
     C(CREATE, HNS_NAMESPACE, NULL, NULL, "{\"Resources\":[{\"Type\":\"Endpoint\",\"Data\":{\"ID\":\"" EP "\"}}]}"),
     HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "Resources[0]"},
    {"namespace created with one endpoint twice", "ws2022", {MAKE_NET, MAKE_EP},
     C(CREATE, HNS_NAMESPACE, NULL, NULL,
       "{\"Resources\":[{\"Type\":\"Endpoint\",\"Data\":{\"ID\":\"" EP "\"}},{\"Type\":\"Endpoint\",\"Data\":{\"ID\":\"" EP "\"}}]}"),
     HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "Resources[1]"},
    /* VDOCS "The endpoint must be attached to complete the operation" (docs only; inferred). */
    {"remove an endpoint the namespace lacks", "ws2022", {MAKE_NET, MAKE_EP, MAKE_NS},
     C(MODIFY, HNS_NAMESPACE, NS, NULL, EP_REQ("Remove", EP)), HCN_E_ENDPOINT_NOT_ATTACHED, "is not in namespace"},
    /* VDOCS "The specified request is unsupported" (seen as 0x803b0015, Windows-Containers#485). */
    {"namespace request Update", "ws2022", {MAKE_NET, MAKE_EP, MAKE_NS},
     C(MODIFY, HNS_NAMESPACE, NS, NULL, EP_REQ("Update", EP)), HCN_E_REQUEST_UNSUPPORTED, "Update"},
    /* (inferred) */
    {"namespace request without EndpointId", "ws2022", {MAKE_NS},
     C(MODIFY, HNS_NAMESPACE, NS, NULL, "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{}}"),
     HNS_E_INVALIDARG, "Settings.EndpointId is missing"},
    {"container added twice", "ws2022", {MAKE_NS, C(MODIFY, HNS_NAMESPACE, NS, NULL, CONTAINER_REQ("Add"))},
     C(MODIFY, HNS_NAMESPACE, NS, NULL, CONTAINER_REQ("Add")), HNS_E_ALREADY_EXISTS, "pause-1"},
    /* "Element not found" is what the v1 namespace client looks for (facts §2.2). */
    {"remove a container the namespace lacks", "ws2022", {MAKE_NS},
     C(MODIFY, HNS_NAMESPACE, NS, NULL, CONTAINER_REQ("Remove")), HNS_E_ELEMENT_NOT_FOUND, "pause-1"},

    /* ---- objects others still name ---- */
    /* Facts §7.8: HCN_E_ENTITY_HAS_REFERENCES (inferred from the code's name). */
    {"delete a network with an endpoint", "ws2022", {MAKE_NET, MAKE_EP}, C(DELETE, HNS_NETWORK, NET, NULL, NULL),
     HCN_E_ENTITY_HAS_REFERENCES, "still referenced by 1 object"},
    {"delete an endpoint a load balancer names", "ws2022",
     {MAKE_NET, MAKE_EP, C(CREATE, HNS_LOADBALANCER, LB, NULL, LB_DOC("10.96.0.10"))}, C(DELETE, HNS_ENDPOINT, EP, NULL, NULL),
     HCN_E_ENTITY_HAS_REFERENCES, "still referenced"},
    {"delete an endpoint an SDN route names", "ws2022", {MAKE_NET, MAKE_EP, C(CREATE, HNS_SDNROUTE, RT, NULL, ROUTE_DOC(EP))},
     C(DELETE, HNS_ENDPOINT, EP, NULL, NULL), HCN_E_ENTITY_HAS_REFERENCES, "still referenced"},

    /* ---- load balancers ---- */
    /* Seen: "hcnCreateLoadBalancer failed in Win32: The specified port already
     * exists." (kubernetes/community#8883; facts §7.8). */
    {"second load balancer on one VIP, protocol and port", "ws2022",
     {MAKE_NET, MAKE_EP, C(CREATE, HNS_LOADBALANCER, LB, NULL, LB_DOC("10.96.0.10"))},
     C(CREATE, HNS_LOADBALANCER, NULL, NULL, LB_DOC("10.96.0.10")), HCN_E_PORT_ALREADY_EXISTS, "10.96.0.10|6|80"},
    {"second load balancer on one NodePort", "ws2022", {C(CREATE, HNS_LOADBALANCER, LB, NULL, "{" PORT_80 "}")},
     C(CREATE, HNS_LOADBALANCER, NULL, NULL, "{" PORT_80 "}"), HCN_E_PORT_ALREADY_EXISTS, "node|6|80"},
    /* VDOCS "The internal port must exist and cannot be zero". */
    {"internal port zero", "ws2022", {{0}},
     C(CREATE, HNS_LOADBALANCER, NULL, NULL, "{\"PortMappings\":[{\"Protocol\":6,\"ExternalPort\":80}]}"),
     HCN_E_INVALID_INTERNAL_PORT, "InternalPort"},
    /* (inferred) */
    {"load balancer without port mappings", "ws2022", {{0}},
     C(CREATE, HNS_LOADBALANCER, NULL, NULL, "{\"FrontendVIPs\":[\"10.96.0.10\"]}"), HNS_E_INVALIDARG, "PortMappings"},
    /* Seen: "The parameter is incorrect. (0x57) ... invalid number of
     * destinations" for 65 backends on WS2019 (kubernetes#98680). */
    {"backends over the profile's limit", "ws2019", {MAKE_NET, {CREATE, HNS_ENDPOINT, BACKEND_FMT, NET, "{}", 65, NULL}},
     {CREATE, HNS_LOADBALANCER, NULL, NULL, NULL, 0, lb_with_65_backends}, HNS_E_INVALIDARG, "65 backends, ws2019 takes at most 64"},
    /* Features the profile lacks (docs/profiles.md gates DSR 9.3, SessionAffinity
     * 12.0, IPv6DualStack 11.10): E_INVALIDARG (inferred). */
    {"DSR on ws2019-rtm", "ws2019-rtm", {{0}}, C(CREATE, HNS_LOADBALANCER, NULL, NULL, "{\"Flags\":1," PORT_80 "}"),
     HNS_E_INVALIDARG, "DSR"},
    {"session affinity on ws2019", "ws2019", {{0}},
     C(CREATE, HNS_LOADBALANCER, NULL, NULL,
       "{\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":80,\"DistributionType\":2}]}"),
     HNS_E_INVALIDARG, "session affinity"},
    {"IPv6 load balancer on ws2019", "ws2019", {{0}}, C(CREATE, HNS_LOADBALANCER, NULL, NULL, "{\"Flags\":2," PORT_80 "}"),
     HNS_E_INVALIDARG, "IPv6"},
    /* 256 blocks of 64 ephemeral ports (49152-65535), one per non-DSR load
     * balancer, no pool sharing before KB4551853: "The specified port already
     * exists" (VDOCS common-problems @074c6dd9; docs/profiles.md note 16). */
    {"ephemeral port blocks run out", "ws2019-rtm",
     {{CREATE, HNS_LOADBALANCER, NULL, NULL, "{\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":%d}]}",
       256, NULL}},
     C(CREATE, HNS_LOADBALANCER, NULL, NULL, "{\"FrontendVIPs\":[\"10.97.0.1\"]," PORT_80 "}"), HCN_E_PORT_ALREADY_EXISTS,
     "no ephemeral port block left"},
    /* HcnModifyLoadBalancer from HNS 15.4 (hcsshim's ModifyLoadbalancer
     * range); before it the request is unsupported (inferred code). */
    {"modify a load balancer on ws2022", "ws2022", {C(CREATE, HNS_LOADBALANCER, LB, NULL, "{" PORT_80 "}")},
     C(MODIFY, HNS_LOADBALANCER, LB, NULL, "{\"FrontendVIPs\":[\"10.96.0.11\"]," PORT_80 "}"), HCN_E_REQUEST_UNSUPPORTED,
     "needs HNS 15.4"},
    {"modify a load balancer to a missing endpoint", "ws2025", {C(CREATE, HNS_LOADBALANCER, LB, NULL, "{" PORT_80 "}")},
     C(MODIFY, HNS_LOADBALANCER, LB, NULL, LB_DOC("10.96.0.10")), HCN_E_ENDPOINT_NOT_FOUND, "HostComputeEndpoints[0]"},

    /* ---- modify requests and policies ---- */
    /* VDOCS "An expected policy was not found" (inferred for Remove). */
    {"remove an endpoint policy type it lacks", "ws2022",
     {MAKE_NET, MAKE_EP, C(MODIFY, HNS_ENDPOINT, EP, NULL, POLICY_REQ("Add", ACL_POLICY))},
     C(MODIFY, HNS_ENDPOINT, EP, NULL, POLICY_REQ("Remove", "{\"Type\":\"ACL\"},{\"Type\":\"OutBoundNAT\"}")),
     HCN_E_POLICY_NOT_FOUND, "no OutBoundNAT policy"},
    {"remove a network policy type it lacks", "ws2022", {MAKE_NET},
     C(MODIFY, HNS_NETWORK, NET, NULL, POLICY_REQ("Remove", "{\"Type\":\"HostRoute\",\"Settings\":{}}")),
     HCN_E_POLICY_NOT_FOUND, "no HostRoute policy"},
    /* VDOCS "The specified request is unsupported" (inferred for these requests). */
    {"policy RequestType Refresh", "ws2022", {MAKE_NET, MAKE_EP},
     C(MODIFY, HNS_ENDPOINT, EP, NULL, POLICY_REQ("Refresh", ACL_POLICY)), HCN_E_REQUEST_UNSUPPORTED, "Refresh"},
    {"network subnet request Update", "ws2022", {MAKE_NET},
     C(MODIFY, HNS_NETWORK, NET, NULL, "{\"ResourceType\":\"Subnet\",\"RequestType\":\"Update\",\"Settings\":{}}"),
     HCN_E_REQUEST_UNSUPPORTED, "Subnet with RequestType Update"},
    /* VDOCS "The provided policy configuration is invalid or missing parameters". */
    {"policy request without Settings", "ws2022", {MAKE_NET, MAKE_EP},
     C(MODIFY, HNS_ENDPOINT, EP, NULL, "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\"}"), HCN_E_INVALID_POLICY,
     "PolicyEndpointRequest"},
    /* VDOCS "The provided subnet configuration is invalid or missing parameters" (inferred). */
    {"subnet added to a network without Ipams", "ws2022", {C(CREATE, HNS_NETWORK, NET2, NULL, BARE_NET)},
     C(MODIFY, HNS_NETWORK, NET2, NULL,
       "{\"ResourceType\":\"Subnet\",\"RequestType\":\"Add\",\"Settings\":{\"Subnets\":[{\"IpAddressPrefix\":\"10.1.0.0/24\"}]}}"),
     HCN_E_INVALID_SUBNET, "no Ipams"},
    /* hcsshim: "HCNRoute doesn't implement modify functionality" (facts §1.2). */
    {"modify an SDN route", "ws2022", {MAKE_NET, MAKE_EP, C(CREATE, HNS_SDNROUTE, RT, NULL, ROUTE_DOC(EP))},
     C(MODIFY, HNS_SDNROUTE, RT, NULL, ROUTE_DOC(EP)), HNS_E_NOTIMPL, "cannot be modified"},
    /* A policy newer than the profile's HNS (HostRoute and RemoteSubnet at 9.2):
     * refused as an invalid policy type, as an HNS that predates it (inferred). */
    {"HostRoute policy on ws2019-rtm", "ws2019-rtm", {{0}},
     C(CREATE, HNS_NETWORK, NULL, NULL, "{\"Name\":\"l2\",\"Type\":\"L2Bridge\",\"Policies\":[{\"Type\":\"HostRoute\",\"Settings\":{}}]}"),
     HCN_E_INVALID_POLICY_TYPE, "HostRoute policies need HostRoute"},
    {"RemoteSubnetRoute added on ws2019-rtm", "ws2019-rtm", {MAKE_NET},
     C(MODIFY, HNS_NETWORK, NET, NULL,
       POLICY_REQ("Add", "{\"Type\":\"RemoteSubnetRoute\",\"Settings\":{\"DestinationPrefix\":\"192.168.2.0/24\","
                         "\"IsolationId\":5000,\"ProviderAddress\":\"10.0.0.5\",\"DistributedRouterMacAddress\":\"00-12-34-56-78-9a\"}}")),
     HCN_E_INVALID_POLICY_TYPE, "RemoteSubnetRoute policies need RemoteSubnet"},

    /* ---- builds without the HCN v2 API ---- */
    /* computenetwork.dll arrived with 1809; a lazy loader (hcsshim
     * hcn/zsyscall_windows.go) gets ERROR_MOD_NOT_FOUND (docs/profiles.md note 5). */
    {"v2 API on ws2016", "ws2016", {{0}}, C(CREATE, HNS_NETWORK, NULL, NULL, NAT_NET), HNS_E_MOD_NOT_FOUND, "no HCN v2 API"},
    {"v2 API on 1709", "1709", {{0}}, C(ENUMERATE, HNS_ENDPOINT, NULL, NULL, NULL), HNS_E_MOD_NOT_FOUND, "no HCN v2 API"},
    {"v2 API on 1803", "1803", {{0}}, C(OPEN, HNS_NAMESPACE, NOBODY, NULL, NULL), HNS_E_MOD_NOT_FOUND, "no HCN v2 API"},
    {"v2 API delete on 1803", "1803", {{0}}, C(DELETE, HNS_LOADBALANCER, NOBODY, NULL, NULL), HNS_E_MOD_NOT_FOUND,
     "no HCN v2 API"},
};

/* ---- the two layers ---------------------------------------------------------
 * Both take and give UTF-8 and malloc'd strings, so one runner drives both;
 * the Windows layer converts at the Hcn* boundary and frees every output it
 * receives with CoTaskMemFree. Handles are the layer's own (hns_handle * or
 * HCN_*). */

typedef struct layer {
  const char *name;
  hns_hr (*create)(hns_service *svc, hns_object_kind kind, void *parent, const hns_guid *id, const char *json, void **out,
                   char **record);
  hns_hr (*open)(hns_service *svc, hns_object_kind kind, const hns_guid *id, void **out, char **record);
  hns_hr (*modify)(hns_object_kind kind, void *h, const char *json, char **record);
  hns_hr (*query)(hns_object_kind kind, void *h, const char *json, char **out, char **record);
  hns_hr (*del)(hns_service *svc, hns_object_kind kind, const hns_guid *id, char **record);
  hns_hr (*enumerate)(hns_service *svc, hns_object_kind kind, const char *json, char **out, char **record);
  hns_hr (*close)(hns_object_kind kind, void *h);
} layer;

static hns_hr utf8_create(hns_service *svc, hns_object_kind kind, void *parent, const hns_guid *id, const char *json,
                          void **out, char **record) {
  hns_handle *h = (hns_handle *)1; /* the API must clear it */
  hns_hr hr = hns_create(svc, kind, parent, id, json, &h, record);
  *out = h;
  return hr;
}
static hns_hr utf8_open(hns_service *svc, hns_object_kind kind, const hns_guid *id, void **out, char **record) {
  hns_handle *h = (hns_handle *)1;
  hns_hr hr = hns_open(svc, kind, id, &h, record);
  *out = h;
  return hr;
}
static hns_hr utf8_modify(hns_object_kind kind, void *h, const char *json, char **record) {
  (void)kind;
  return hns_modify(h, json, record);
}
static hns_hr utf8_query(hns_object_kind kind, void *h, const char *json, char **out, char **record) {
  (void)kind;
  return hns_query_properties(h, json, out, record);
}
static hns_hr utf8_delete(hns_service *svc, hns_object_kind kind, const hns_guid *id, char **record) {
  return hns_delete(svc, kind, id, record);
}
static hns_hr utf8_enumerate(hns_service *svc, hns_object_kind kind, const char *json, char **out, char **record) {
  return hns_enumerate(svc, kind, json, out, record);
}
static hns_hr utf8_close(hns_object_kind kind, void *h) {
  (void)kind;
  return hns_close(h);
}

static const layer utf8_layer = {"UTF-8 API", utf8_create, utf8_open, utf8_modify, utf8_query,
                                 utf8_delete, utf8_enumerate, utf8_close};

/* What a Windows caller holds per kind (computenetwork.h). */
typedef struct family {
  HRESULT (*enumerate)(PCWSTR query, PWSTR *result, PWSTR *error_record);
  HRESULT (*open)(REFGUID id, void **out, PWSTR *error_record);
  HRESULT (*modify)(void *h, PCWSTR settings, PWSTR *error_record);
  HRESULT (*query)(void *h, PCWSTR query, PWSTR *properties, PWSTR *error_record);
  HRESULT (*del)(REFGUID id, PWSTR *error_record);
  HRESULT (*close)(void *h);
} family;

static const family families[] = {
    [HNS_NETWORK] = {HcnEnumerateNetworks, HcnOpenNetwork, HcnModifyNetwork, HcnQueryNetworkProperties, HcnDeleteNetwork,
                     HcnCloseNetwork},
    [HNS_ENDPOINT] = {HcnEnumerateEndpoints, HcnOpenEndpoint, HcnModifyEndpoint, HcnQueryEndpointProperties,
                      HcnDeleteEndpoint, HcnCloseEndpoint},
    [HNS_NAMESPACE] = {HcnEnumerateNamespaces, HcnOpenNamespace, HcnModifyNamespace, HcnQueryNamespaceProperties,
                       HcnDeleteNamespace, HcnCloseNamespace},
    [HNS_LOADBALANCER] = {HcnEnumerateLoadBalancers, HcnOpenLoadBalancer, HcnModifyLoadBalancer,
                          HcnQueryLoadBalancerProperties, HcnDeleteLoadBalancer, HcnCloseLoadBalancer},
    [HNS_SDNROUTE] = {HcnEnumerateSdnRoutes, HcnOpenSdnRoute, HcnModifySdnRoute, HcnQuerySdnRouteProperties,
                      HcnDeleteSdnRoute, HcnCloseSdnRoute},
};

/* A document as the caller passes it: UTF-16, or NULL for NULL. */
static WCHAR *to_wide(const char *utf8) {
  uint16_t *w = NULL;
  if (utf8) assert_int_equal(hcn_utf8_to_utf16(utf8, NULL, &w), HNS_S_OK);
  return w;
}

/* A CoTaskMem'd output as UTF-8 (malloc'd), the output freed as Windows requires. */
static char *from_task_mem(PWSTR w) {
  char *utf8 = NULL;
  if (!w) return NULL;
  assert_int_equal(hcn_utf16_to_utf8(w, &utf8), HNS_S_OK);
  CoTaskMemFree(w);
  return utf8;
}

static hns_hr wide_create(hns_service *svc, hns_object_kind kind, void *parent, const hns_guid *id, const char *json,
                          void **out, char **record) {
  (void)svc; /* the bound one */
  WCHAR *settings = to_wide(json);
  PWSTR er = NULL;
  HRESULT hr = E_UNEXPECTED;
  *out = (void *)1; /* the layer must clear it */
  switch (kind) {
  case HNS_NETWORK: hr = HcnCreateNetwork(id, settings, out, &er); break;
  case HNS_ENDPOINT: hr = HcnCreateEndpoint(parent, id, settings, out, &er); break;
  case HNS_NAMESPACE: hr = HcnCreateNamespace(id, settings, out, &er); break;
  case HNS_LOADBALANCER: hr = HcnCreateLoadBalancer(id, settings, out, &er); break;
  case HNS_SDNROUTE: hr = HcnCreateSdnRoute(id, settings, out, &er); break;
  }
  free(settings);
  *record = from_task_mem(er);
  return hr;
}
static hns_hr wide_open(hns_service *svc, hns_object_kind kind, const hns_guid *id, void **out, char **record) {
  (void)svc;
  PWSTR er = NULL;
  *out = (void *)1;
  HRESULT hr = families[kind].open(id, out, &er);
  *record = from_task_mem(er);
  return hr;
}
static hns_hr wide_modify(hns_object_kind kind, void *h, const char *json, char **record) {
  WCHAR *settings = to_wide(json);
  PWSTR er = NULL;
  HRESULT hr = families[kind].modify(h, settings, &er);
  free(settings);
  *record = from_task_mem(er);
  return hr;
}
static hns_hr wide_query(hns_object_kind kind, void *h, const char *json, char **out, char **record) {
  WCHAR *query = to_wide(json);
  PWSTR er = NULL, props = NULL;
  HRESULT hr = families[kind].query(h, query, &props, &er);
  free(query);
  *out = from_task_mem(props);
  *record = from_task_mem(er);
  return hr;
}
static hns_hr wide_delete(hns_service *svc, hns_object_kind kind, const hns_guid *id, char **record) {
  (void)svc;
  PWSTR er = NULL;
  HRESULT hr = families[kind].del(id, &er);
  *record = from_task_mem(er);
  return hr;
}
static hns_hr wide_enumerate(hns_service *svc, hns_object_kind kind, const char *json, char **out, char **record) {
  (void)svc;
  WCHAR *query = to_wide(json);
  PWSTR er = NULL, ids = NULL;
  HRESULT hr = families[kind].enumerate(query, &ids, &er);
  free(query);
  *out = from_task_mem(ids);
  *record = from_task_mem(er);
  return hr;
}
static hns_hr wide_close(hns_object_kind kind, void *h) { return families[kind].close(h); }

static const layer wide_layer = {"Windows layer", wide_create, wide_open, wide_modify, wide_query,
                                 wide_delete, wide_enumerate, wide_close};

/* ---- one run of a case -------------------------------------------------- */

#define MAX_HANDLES 16

/* A service and the handles its setup created, kept open to the end of the
 * run (a handle outlives its object, hns_api.h), found by ID. */
typedef struct run {
  const error_case *c;
  const layer *layer;
  hns_service *svc;
  struct {
    char id[40];
    hns_object_kind kind;
    void *h;
  } handles[MAX_HANDLES];
  int nhandles;
} run;

static void *handle_of(const run *r, const char *id) {
  for (int i = 0; i < r->nhandles; i++)
    if (!strcmp(r->handles[i].id, id)) return r->handles[i].h;
  fail_msg("%s: no handle for %s in the setup", r->c->name, id);
  return NULL;
}

static void keep(run *r, const char *id, hns_object_kind kind, void *h) {
  assert_true(r->nhandles < MAX_HANDLES);
  snprintf(r->handles[r->nhandles].id, sizeof r->handles[0].id, "%s", id);
  r->handles[r->nhandles].kind = kind;
  r->handles[r->nhandles++].h = h;
}

/* Makes call c (its n-th repetition) through the run's layer. Checks the
 * outputs a failure must leave empty; keeps the handle a create returns. */
static hns_hr make_call(run *r, const call *c, int n, char **record) {
  const layer *L = r->layer;
  char id_text[40] = "", *made = NULL;
  const char *json = c->json;
  hns_guid id = {0};
  if (c->id) {
    if (c->count) snprintf(id_text, sizeof id_text, c->id, n);
    else snprintf(id_text, sizeof id_text, "%s", c->id);
    assert_int_equal(hns_guid_parse(id_text, &id), 0);
  }
  if (c->make_json) {
    json = made = c->make_json();
  } else if (c->json && c->count) {
    size_t len = strlen(c->json) + 16;
    json = made = malloc(len);
    snprintf(made, len, c->json, n);
  }
  void *h = NULL;
  char *out = NULL;
  hns_hr hr = HNS_E_UNEXPECTED;
  switch (c->op) {
  case CREATE:
    hr = L->create(r->svc, c->kind, c->parent ? handle_of(r, c->parent) : NULL, c->id ? &id : NULL, json, &h, record);
    if (HNS_FAILED(hr)) assert_null(h);
    else if (c->id && !c->count) keep(r, id_text, c->kind, h);
    else assert_int_equal(L->close(c->kind, h), HNS_S_OK);
    break;
  case OPEN:
    hr = L->open(r->svc, c->kind, &id, &h, record);
    if (HNS_FAILED(hr)) assert_null(h);
    else assert_int_equal(L->close(c->kind, h), HNS_S_OK);
    break;
  case MODIFY: hr = L->modify(c->kind, handle_of(r, id_text), json, record); break;
  case QUERY: hr = L->query(c->kind, handle_of(r, id_text), json, &out, record); break;
  case DELETE: hr = L->del(r->svc, c->kind, &id, record); break;
  case ENUMERATE: hr = L->enumerate(r->svc, c->kind, json, &out, record); break;
  case END: break;
  }
  if (HNS_FAILED(hr)) assert_null(out);
  free(out);
  free(made);
  return hr;
}

/* A fresh service with the case's profile, its setup made through the layer:
 * every step succeeds and leaves no ErrorRecord. */
static void start(run *r, const error_case *c, const layer *L) {
  *r = (run){.c = c, .layer = L};
  hns_service_config config = {hns_profile_find(c->profile), "node1", 1};
  assert_non_null(config.profile);
  assert_int_equal(hns_service_create(&config, &r->svc), HNS_S_OK);
  hnsim_hcn_bind(r->svc);
  for (const call *s = c->setup; s < c->setup + sizeof c->setup / sizeof c->setup[0] && s->op != END; s++)
    for (int n = 1; n <= (s->count ? s->count : 1); n++) {
      char *record = (char *)"set before the call";
      hns_hr hr = make_call(r, s, n, &record);
      if (hr != HNS_S_OK)
        fail_msg("%s (%s): setup step %d failed 0x%08X: %s", c->name, L->name, (int)(s - c->setup), (unsigned)hr,
                 hns_service_last_detail(r->svc));
      assert_null(record);
    }
}

static void finish(run *r) {
  for (int i = 0; i < r->nhandles; i++) assert_int_equal(r->layer->close(r->handles[i].kind, r->handles[i].h), HNS_S_OK);
  hnsim_hcn_bind(NULL);
  hns_service_destroy(r->svc);
}

/* ---- what a caller can read of the service ---------------------------------- */

typedef struct text {
  char *s;
  size_t n;
} text;

static void add(text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  t->s = realloc(t->s, t->n + (size_t)len + 1);
  assert_non_null(t->s);
  va_start(ap, fmt);
  vsnprintf(t->s + t->n, (size_t)len + 1, fmt, ap);
  va_end(ap);
  t->n += (size_t)len;
}

/* Every kind enumerated and every object queried, through the UTF-8 API. On
 * a build without the v2 API this reads only the refusals: nothing else is
 * visible there. */
static void read_all(hns_service *svc, text *t) {
  static const char *const kinds[] = {"networks", "endpoints", "namespaces", "load balancers", "SDN routes"};
  for (int k = HNS_NETWORK; k <= HNS_SDNROUTE; k++) {
    char *ids = NULL;
    hns_hr hr = hns_enumerate(svc, (hns_object_kind)k, NULL, &ids, NULL);
    add(t, "%s: 0x%08X %s\n", kinds[k], (unsigned)hr, ids ? ids : "");
    cJSON *list = cJSON_Parse(ids ? ids : "[]");
    const cJSON *id;
    cJSON_ArrayForEach(id, list) {
      hns_guid g;
      hns_handle *h = NULL;
      char *props = NULL;
      assert_int_equal(hns_guid_parse(id->valuestring, &g), 0);
      assert_int_equal(hns_open(svc, (hns_object_kind)k, &g, &h, NULL), HNS_S_OK);
      assert_int_equal(hns_query_properties(h, NULL, &props, NULL), HNS_S_OK);
      add(t, "  %s\n", props);
      free(props);
      hns_close(h);
    }
    cJSON_Delete(list);
    free(ids);
  }
}

static char *snapshot(hns_service *svc) {
  text t = {0};
  read_all(svc, &t);
  return t.s;
}

/* The same follow-up calls on any service: a namespace, and an endpoint with
 * an address and a MAC from every network's pools; then everything read.
 * IDs are given, so what HNS picks shows only in addresses, MACs and
 * compartments. */
static char *follow_up(hns_service *svc) {
  text t = {0};
  hns_guid g;
  hns_handle *h = NULL;
  assert_int_equal(hns_guid_parse("9e000000-0000-4000-8000-000000000000", &g), 0);
  add(&t, "namespace: 0x%08X\n", (unsigned)hns_create(svc, HNS_NAMESPACE, NULL, &g, "{}", &h, NULL));
  if (h) hns_close(h);
  char *ids = NULL;
  hns_enumerate(svc, HNS_NETWORK, NULL, &ids, NULL);
  cJSON *list = cJSON_Parse(ids ? ids : "[]");
  const cJSON *id;
  int n = 0;
  cJSON_ArrayForEach(id, list) {
    hns_handle *net = NULL, *ep = NULL;
    char ep_id[40];
    assert_int_equal(hns_guid_parse(id->valuestring, &g), 0);
    assert_int_equal(hns_open(svc, HNS_NETWORK, &g, &net, NULL), HNS_S_OK);
    snprintf(ep_id, sizeof ep_id, "9e000000-0000-4000-8001-%012d", ++n);
    assert_int_equal(hns_guid_parse(ep_id, &g), 0);
    add(&t, "endpoint on %s: 0x%08X\n", id->valuestring, (unsigned)hns_create(svc, HNS_ENDPOINT, net, &g, "{}", &ep, NULL));
    if (ep) hns_close(ep);
    hns_close(net);
  }
  cJSON_Delete(list);
  free(ids);
  read_all(svc, &t);
  return t.s;
}

static void count_notification(uint32_t type, void *context, hns_hr status, const char *data) {
  (void)type, (void)status, (void)data;
  ++*(int *)context;
}

/* ---- the check ------------------------------------------------------------ */

static void check_refusal(const error_case *c, const layer *L) {
  run r;
  start(&r, c, L);
  char *before = snapshot(r.svc);
  int notified = 0;
  hns_callback *cb = NULL;
  hns_register_service_callback(r.svc, count_notification, &notified, &cb); /* fails where the v2 API is missing */

  char *record = NULL;
  hns_hr hr = make_call(&r, &c->refused, 0, &record);
  char detail[512];
  snprintf(detail, sizeof detail, "%s", hns_service_last_detail(r.svc));

  if (cb) assert_int_equal(hns_unregister_service_callback(cb), HNS_S_OK);
  if (hr != c->hr)
    fail_msg("%s (%s): got 0x%08X (%s), want 0x%08X", c->name, L->name, (unsigned)hr, detail, (unsigned)c->hr);
  /* The record, built here from the message table and the code as unsigned decimal. */
  char want[256];
  snprintf(want, sizeof want, "{\"Success\":false,\"Error\":\"%s\",\"ErrorCode\":%lu}", hns_hr_message(c->hr),
           (unsigned long)(uint32_t)c->hr);
  char *built = hns_error_record(c->hr);
  assert_string_equal(built, want);
  if (!record || strcmp(record, want))
    fail_msg("%s (%s): ErrorRecord %s, want %s", c->name, L->name, record ? record : "(none)", want);
  if (!strstr(detail, c->detail)) fail_msg("%s (%s): detail '%s' lacks '%s'", c->name, L->name, detail, c->detail);
  assert_int_equal(notified, 0);
  char *after = snapshot(r.svc);
  if (strcmp(before, after)) fail_msg("%s (%s): the refusal changed the service:\n%s\n--- became ---\n%s", c->name, L->name, before, after);
  char *followed = follow_up(r.svc);
  finish(&r);

  run twin;
  start(&twin, c, L);
  char *expected = follow_up(twin.svc);
  finish(&twin);
  if (strcmp(followed, expected))
    fail_msg("%s (%s): later calls answer differently after the refusal:\n%s\n--- without it ---\n%s", c->name, L->name,
             followed, expected);
  free(expected);
  free(followed);
  free(after);
  free(built);
  free(record);
  free(before);
}

static void through_utf8_api(void **state) { check_refusal(*state, &utf8_layer); }
static void through_windows_layer(void **state) { check_refusal(*state, &wide_layer); }

int main(void) {
  enum { N = sizeof cases / sizeof cases[0] };
  struct CMUnitTest tests[2 * N];
  char names[2 * N][96];
  for (size_t i = 0; i < N; i++)
    for (int w = 0; w < 2; w++) {
      snprintf(names[2 * i + w], sizeof names[0], "%s: %s", w ? "Windows layer" : "UTF-8 API", cases[i].name);
      tests[2 * i + w] = (struct CMUnitTest){names[2 * i + w], w ? through_windows_layer : through_utf8_api, NULL, NULL,
                                             (void *)&cases[i]};
    }
  return cmocka_run_group_tests_name("hns_errors", tests, NULL, NULL);
}
