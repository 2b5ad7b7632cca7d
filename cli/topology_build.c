/* topology_build.c: building a topology (topology.h) and the steps the
 * built-in ones share (topology_int.h).
 *
 * Layers: the fabric and hosts go through sim_net.h, as hnsim's own setup;
 * HNS objects go only through hnsmock's API (hns_api.h, hns_v1.h), and
 * reach the model through the service's bridge (hns_model.h). Each
 * Windows host's HNS gets a seed derived from the run's seed and the
 * host's position, so two hosts never draw the same IDs and MACs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hns_model.h"
#include "hns_profile.h"
#include "hns_v1.h"
#include "topology_int.h"

#define VNET_LATENCY SIM_US(100)
#define INET_LATENCY SIM_MS(1)

static int fail(topology *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(topology *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->error, sizeof t->error, fmt, ap);
  va_end(ap);
  return -1;
}

/* A sim_net call: 0, or -1 naming the step and the model's reason. */
static int net_step(topology *t, int rc, const char *what) {
  return rc == SIM_OK ? 0 : fail(t, "%s: %s", what, sim_net_last_error(t->net));
}

static int prefix(topology *t, const char *text, sim_prefix *out) {
  return sim_prefix_parse(text, out) ? fail(t, "'%s' is not a prefix", text) : 0;
}

int topo_fabric(topology *t, const char *router) {
  sim_prefix gw, inet, web;
  sim_mac mac;
  sim_route_spec def = {SIM_HOST_COMPARTMENT, {{4, {0}}, 0}, {4, {203, 0, 113, 1}}, "eth0", 0, NULL};
  sim_mac_parse("00-0D-3A-00-00-10", &mac);
  if (prefix(t, "10.240.0.1/16", &gw) || prefix(t, "203.0.113.1/24", &inet) || prefix(t, "203.0.113.10/24", &web)) return -1;
  return net_step(t, sim_net_segment_add(t->net, "vnet", VNET_LATENCY, 0.0), "segment vnet") ||
         net_step(t, sim_net_segment_add(t->net, "internet", INET_LATENCY, 0.0), "segment internet") ||
         net_step(t, sim_net_router_add(t->net, router), "router") ||
         net_step(t, sim_net_router_iface_add(t->net, router, "vnet", "vnet", &gw), "router interface vnet") ||
         net_step(t, sim_net_router_iface_add(t->net, router, "internet", "internet", &inet), "router interface internet") ||
         net_step(t, sim_net_host_add(t->net, TOPO_EXTERNAL, SIM_HOST_LINUX), "host web") ||
         net_step(t, sim_net_nic_add(t->net, TOPO_EXTERNAL, "eth0", "internet", &web, &mac), "web's NIC") ||
         net_step(t, sim_net_route_add(t->net, TOPO_EXTERNAL, &def), "web's default route");
}

int topo_windows_host(topology *t, const char *host, const char *addr, const char *mac_text) {
  sim_prefix a;
  sim_mac mac;
  sim_route_spec def = {SIM_HOST_COMPARTMENT, {{4, {0}}, 0}, {4, {10, 240, 0, 1}}, "Ethernet", 0, NULL};
  if (t->nsvc == TOPO_MAX_HOSTS) return fail(t, "host %s: more than %d Windows hosts", host, TOPO_MAX_HOSTS);
  if (prefix(t, addr, &a) || sim_mac_parse(mac_text, &mac)) return -1;
  if (net_step(t, sim_net_host_add(t->net, host, SIM_HOST_WINDOWS), host) ||
      net_step(t, sim_net_nic_add(t->net, host, "Ethernet", "vnet", &a, &mac), "NIC Ethernet") ||
      net_step(t, sim_net_route_add(t->net, host, &def), "default route"))
    return -1;
  const hns_profile *p = hns_profile_find(t->profile);
  hns_service_config cfg = {p, host, t->seed * 0x9E3779B97F4A7C15ull + t->nsvc + 1};
  hns_service *svc;
  if (HNS_FAILED(hns_service_create(&cfg, &svc))) return fail(t, "host %s: out of memory", host);
  snprintf(t->svc_host[t->nsvc], sizeof t->svc_host[0], "%s", host);
  t->svc[t->nsvc++] = svc;
  hns_hr hr = hns_service_attach_model(svc, t->net, host);
  return HNS_FAILED(hr) ? fail(t, "host %s: %s", host, hns_service_last_detail(svc)) : 0;
}

int topo_udr(topology *t, const char *router, const char *dst, const char *via) {
  sim_prefix d;
  sim_ip nh;
  char id[64];
  if (prefix(t, dst, &d) || sim_ip_parse(via, &nh)) return -1;
  snprintf(id, sizeof id, "udr %s", dst);
  return net_step(t, sim_net_router_route_add(t->net, router, &d, &nh, 0, id), "user-defined route");
}

int topo_static_route(topology *t, const char *host, const char *compartment, const char *dst, const char *via,
                      const char *iface) {
  sim_route_spec r = {compartment, {{0, {0}}, 0}, {0, {0}}, iface, 0, NULL};
  if (prefix(t, dst, &r.dst) || (via && sim_ip_parse(via, &r.next_hop))) return -1;
  return net_step(t, sim_net_route_add(t->net, host, &r), "static route");
}

hns_service *topo_service(topology *t, const char *host) {
  for (size_t i = 0; i < t->nsvc; i++)
    if (!strcmp(t->svc_host[i], host)) return t->svc[i];
  return NULL;
}

/* ---- HNS calls ---- */

static const char *const call_names[] = {"Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute"};

static int hns_step(topology *t, const char *host, hns_hr hr, const char *call, const char *body) {
  if (HNS_SUCCEEDED(hr)) return 0;
  return fail(t, "%s: %s %s: HNS answered 0x%08X: %s", host, call, body, (unsigned)hr,
              hns_service_last_detail(topo_service(t, host)));
}

static char *vformat(const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  char *s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

/* The "ID" of a JSON object, or of its "Output" (HNSCall's envelope). */
static void id_of(const char *json, char id[37]) {
  cJSON *doc = cJSON_Parse(json ? json : "");
  const cJSON *out = cJSON_GetObjectItemCaseSensitive(doc, "Output");
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(out ? out : doc, "ID");
  snprintf(id, 37, "%s", cJSON_IsString(v) ? v->valuestring : "");
  cJSON_Delete(doc);
}

int topo_create(topology *t, const char *host, hns_object_kind kind, const char *parent_id, char id[37], const char *fmt,
                ...) {
  hns_service *svc = topo_service(t, host);
  va_list ap;
  va_start(ap, fmt);
  char *body = vformat(fmt, ap);
  va_end(ap);
  if (!svc || !body) {
    free(body);
    return fail(t, "%s: no HNS here, or out of memory", host);
  }
  char call[48], *props = NULL, *er = NULL;
  snprintf(call, sizeof call, "HcnCreate%s", call_names[kind]);
  hns_handle *parent = NULL, *h = NULL;
  hns_guid g;
  hns_hr hr = HNS_S_OK;
  if (parent_id) hr = hns_guid_parse(parent_id, &g) ? HNS_E_INVALIDARG : hns_open(svc, HNS_NETWORK, &g, &parent, &er);
  if (HNS_SUCCEEDED(hr)) hr = hns_create(svc, kind, parent, NULL, body, &h, &er);
  if (HNS_SUCCEEDED(hr)) hr = hns_query_properties(h, NULL, &props, &er);
  int rc = hns_step(t, host, hr, call, body);
  if (!rc && id) id_of(props, id);
  hns_close(parent);
  hns_close(h);
  free(props);
  free(er);
  free(body);
  return rc;
}

int topo_modify(topology *t, const char *host, hns_object_kind kind, const char *id, const char *fmt, ...) {
  hns_service *svc = topo_service(t, host);
  va_list ap;
  va_start(ap, fmt);
  char *body = vformat(fmt, ap);
  va_end(ap);
  if (!svc || !body) {
    free(body);
    return fail(t, "%s: no HNS here, or out of memory", host);
  }
  char call[48], *er = NULL;
  snprintf(call, sizeof call, "HcnModify%s", call_names[kind]);
  hns_handle *h = NULL;
  hns_guid g;
  hns_hr hr = hns_guid_parse(id, &g) ? HNS_E_INVALIDARG : hns_open(svc, kind, &g, &h, &er);
  if (HNS_SUCCEEDED(hr)) hr = hns_modify(h, body, &er);
  int rc = hns_step(t, host, hr, call, body);
  hns_close(h);
  free(er);
  free(body);
  return rc;
}

int topo_hnscall(topology *t, const char *host, const char *method, const char *path, char id[37], const char *fmt, ...) {
  hns_service *svc = topo_service(t, host);
  va_list ap;
  va_start(ap, fmt);
  char *body = vformat(fmt, ap);
  va_end(ap);
  if (!svc || !body) {
    free(body);
    return fail(t, "%s: no HNS here, or out of memory", host);
  }
  char call[160], *resp = NULL;
  snprintf(call, sizeof call, "HNSCall %s %s", method, path);
  int rc = hns_step(t, host, hns_call(svc, method, path, body, &resp), call, body);
  if (!rc && id) id_of(resp, id);
  free(resp);
  free(body);
  return rc;
}

/* ---- the L2Bridge node and its pods ---- */

int topo_l2bridge_node(topology *t, const char *host, const char *pod_net) {
  char net_id[37], ep_id[37], path[64];
  /* The pod network: L2Bridge on the node's pod /24, gateway .1, bound to
   * the NIC "Ethernet" (consumers §3.1; hns.v2.psm1's NetAdapterName). */
  if (topo_create(t, host, HNS_NETWORK, NULL, net_id,
                  "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
                  "\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":\"%s.0/24\","
                  "\"Routes\":[{\"NextHop\":\"%s.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}],"
                  "\"Policies\":[{\"Type\":\"NetAdapterName\",\"Settings\":{\"NetworkAdapterName\":\"Ethernet\"}}]}",
                  pod_net, pod_net))
    return -1;
  /* The host endpoint at .2 in compartment 1: the pods' gateway
   * (consumers §3.1; flannel host-gw names it cbr0_ep). */
  if (topo_create(t, host, HNS_ENDPOINT, net_id, ep_id,
                  "{\"Name\":\"cbr0_ep\",\"HostComputeNetwork\":\"%s\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
                  "\"IpConfigurations\":[{\"IpAddress\":\"%s.2\",\"PrefixLength\":24}]}",
                  net_id, pod_net))
    return -1;
  snprintf(path, sizeof path, "/endpoints/%s/attach", ep_id);
  return topo_hnscall(t, host, "POST", path, NULL, "{\"SystemType\":\"Host\",\"CompartmentId\":1}");
}

int topo_network_id(topology *t, const char *host, const char *name, char id[37]) {
  char *ids = NULL, *er = NULL, query[96];
  snprintf(query, sizeof query, "{\"Filter\":\"{\\\"Name\\\":\\\"%s\\\"}\"}", name);
  hns_hr hr = hns_enumerate(topo_service(t, host), HNS_NETWORK, query, &ids, &er);
  cJSON *list = HNS_SUCCEEDED(hr) ? cJSON_Parse(ids) : NULL;
  const cJSON *first = cJSON_GetArrayItem(list, 0);
  snprintf(id, 37, "%s", cJSON_IsString(first) ? first->valuestring : "");
  cJSON_Delete(list);
  free(ids);
  free(er);
  return id[0] ? 0 : fail(t, "%s: no network called %s", host, name);
}

int topo_pod_on(topology *t, const char *host, const topo_pod_spec *p, char ep_id[37], char ns_id[37]) {
  char net_id[37], ep[37], ns[37], mac[64] = "";
  if (p->mac) snprintf(mac, sizeof mac, "\"MacAddress\":\"%s\",", p->mac);
  if (topo_network_id(t, host, p->network, net_id) ||
      topo_create(t, host, HNS_NAMESPACE, NULL, ns, "{\"Type\":\"HostDefault\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}") ||
      topo_create(t, host, HNS_ENDPOINT, net_id, ep,
                  "{\"Name\":\"%s_%s\",\"HostComputeNetwork\":\"%s\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
                  "\"IpConfigurations\":[{\"IpAddress\":\"%s\",\"PrefixLength\":24}],%s"
                  "\"Routes\":[{\"NextHop\":\"%s\",\"DestinationPrefix\":\"0.0.0.0/0\"}],"
                  "\"Dns\":{\"ServerList\":[\"10.96.0.10\"],\"Search\":[\"svc.cluster.local\"]},"
                  "\"Policies\":[%s]}",
                  p->sandbox, p->network, net_id, p->ip, mac, p->gateway, p->policies) ||
      topo_modify(t, host, HNS_NAMESPACE, ns, "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%s\"}}",
                  ep))
    return -1;
  if (ep_id) memcpy(ep_id, ep, 37);
  if (ns_id) memcpy(ns_id, ns, 37);
  return 0;
}

int topo_pod(topology *t, const char *host, const char *sandbox, const char *ip, char ns_id[37]) {
  char gw[46];
  sim_ip a;
  if (sim_ip_parse(ip, &a) || a.family != 4) return fail(t, "'%s' is not an IPv4 address", ip);
  snprintf(gw, sizeof gw, "%u.%u.%u.2", a.b[0], a.b[1], a.b[2]); /* win-bridge: the pod subnet + 2 (consumers §2.1) */
  topo_pod_spec p = {"cbr0", sandbox, ip, gw, NULL, TOPO_OUTBOUND_NAT};
  return topo_pod_on(t, host, &p, NULL, ns_id);
}

/* ---- building ---- */

void topology_destroy(topology *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nsvc; i++) hns_service_destroy(t->svc[i]);
  sim_net_destroy(t->net);
  sim_world_destroy(t->world);
  free(t);
}

int topology_build(const topology_def *def, const char *profile, uint64_t seed, topology **out, char err[TOPO_ERR]) {
  *out = NULL;
  err[0] = '\0';
  if (def->unavailable) {
    snprintf(err, TOPO_ERR, "topology '%s' is not available yet: %s", def->name, def->unavailable);
    return -1;
  }
  topology *t = calloc(1, sizeof *t);
  if (!t || sim_world_create(seed, &t->world) || sim_net_create(t->world, &t->net)) {
    topology_destroy(t);
    snprintf(err, TOPO_ERR, "out of memory");
    return -1;
  }
  t->profile = profile ? profile : def->profile;
  t->seed = seed;
  if (def->build(t)) {
    snprintf(err, TOPO_ERR, "topology '%s' on %s: %.440s", def->name, t->profile, t->error);
    topology_destroy(t);
    return -1;
  }
  *out = t;
  return 0;
}

topology *topology_open(const char *command, const char *name, const char *profile, uint64_t seed,
                        const topology_def **def) {
  *def = topology_find(name);
  if (!*def) {
    fprintf(stderr, "hnsim %s: unknown topology '%s' (hnsim trace --list)\n", command, name);
    return NULL;
  }
  topology *t;
  char err[TOPO_ERR];
  if (topology_build(*def, profile, seed, &t, err)) {
    fprintf(stderr, "hnsim %s: %s\n", command, err);
    return NULL;
  }
  return t;
}
