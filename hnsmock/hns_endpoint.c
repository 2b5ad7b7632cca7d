/* hns_endpoint.c: creating, modifying and releasing endpoints: addresses
 * checked against the network's subnets or allocated from them, MACs from
 * the network's pool, uniqueness of name, IP and MAC within the network.
 * Sources: hns-api-facts.md §3.4 (fields, modify requests), §3.10 (flags);
 * the error choices are documented in docs/errors.md and marked (inferred)
 * where no source gives HNS's code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_addr.h"
#include "hns_doc_policy.h"
#include "hns_model_int.h"
#include "hns_service_int.h"

#define REMOTE_ENDPOINT 1u /* EndpointFlags.RemoteEndpoint */

static void addr_key(char *out, size_t len, const hns_object *network, const char *what, const char *value) {
  if (snprintf(out, len, "%s|%s|%s", network->id_text, what, value) < 0) out[0] = '\0';
}

static void ip_key(char *out, size_t len, const hns_object *network, const sim_ip *ip) {
  char text[46];
  sim_ip_format(ip, text);
  addr_key(out, len, network, "ip", text);
}

/* The subnet's gateway: the next hop of its default route. */
int hns__subnet_gateway(const hns_subnet_doc *s, sim_ip *out) {
  for (size_t i = 0; i < s->routes.n; i++) {
    const hns_route_doc *r = HNS_VEC_AT(s->routes, hns_route_doc, i);
    sim_prefix p;
    if (r->destination_prefix && r->next_hop && !sim_prefix_parse(r->destination_prefix, &p) && p.len == 0 &&
        !sim_ip_parse(r->next_hop, out))
      return 1;
  }
  return 0;
}

/* Calls fn for each subnet of the network until it returns non-zero. */
static const hns_subnet_doc *each_subnet(const hns_network_doc *net, int (*fn)(const hns_subnet_doc *, void *), void *arg) {
  for (size_t i = 0; i < net->ipams.n; i++) {
    const hns_ipam_doc *ipam = HNS_VEC_AT(net->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      const hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      if (fn(s, arg)) return s;
    }
  }
  return NULL;
}

static int contains_ip(const hns_subnet_doc *s, void *arg) {
  sim_prefix p;
  return s->ip_address_prefix && !sim_prefix_parse(s->ip_address_prefix, &p) && sim_prefix_contains(&p, arg);
}

static int is_reserved(const hns_subnet_doc *s, const sim_prefix *p, const sim_ip *ip) {
  sim_ip gw, net, last;
  if (!(s->flags & 1u) && hns__subnet_gateway(s, &gw) && sim_ip_equal(&gw, ip)) return 1; /* DoNotReserveGatewayAddress */
  sim_prefix_network(p, &net);
  if (sim_ip_equal(&net, ip)) return 1;
  /* IPv4's broadcast address is never handed out (inferred). */
  return ip->family == 4 && p->len < 31 && !sim_prefix_nth(p, sim_prefix_size(p) - 1, &last) && sim_ip_equal(&last, ip);
}

typedef struct alloc_ctx {
  hns_service *svc;
  hns_object *network;
  int family;
  sim_ip found;
  uint8_t prefix_len;
} alloc_ctx;

/* Finds the next free address of one family, starting from the network's
 * cursor so that 10 000 allocations cost 10 000 steps, not 10 000^2/2. */
static int first_free(const hns_subnet_doc *s, void *arg) {
  alloc_ctx *c = arg;
  sim_prefix p;
  if (!s->ip_address_prefix || sim_prefix_parse(s->ip_address_prefix, &p) || p.addr.family != c->family) return 0;
  uint64_t size = sim_prefix_size(&p);
  for (uint64_t tried = 0; tried < size && tried < (1u << 24); tried++) {
    uint64_t n = (c->network->next_ip + tried) % size;
    sim_ip ip;
    char key[128];
    if (sim_prefix_nth(&p, n, &ip) || is_reserved(s, &p, &ip)) continue;
    ip_key(key, sizeof key, c->network, &ip);
    if (hns_map_get(&c->svc->addresses, key)) continue;
    c->network->next_ip = n + 1;
    c->found = ip;
    c->prefix_len = p.len;
    return 1;
  }
  return 0;
}

static hns_hr add_ip_config(hns_service *svc, char **er, hns_endpoint_doc *doc, const sim_ip *ip, uint8_t len) {
  hns_ip_config_doc *v = realloc(doc->ip_configurations.v, (doc->ip_configurations.n + 1) * sizeof *v);
  if (!v) return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  doc->ip_configurations.v = v;
  char text[46];
  sim_ip_format(ip, text);
  v[doc->ip_configurations.n++] = (hns_ip_config_doc){hns_strdup(text), len, NULL, NULL};
  return HNS_S_OK;
}

static int has_family(const hns_subnet_doc *s, void *arg) {
  sim_prefix p;
  return s->ip_address_prefix && !sim_prefix_parse(s->ip_address_prefix, &p) && p.addr.family == *(int *)arg;
}

static hns_hr check_addresses(hns_service *svc, char **er, hns_object *network, hns_endpoint_doc *doc) {
  hns_network_doc *net = network->doc;
  int remote = (doc->flags & REMOTE_ENDPOINT) != 0;
  for (size_t i = 0; i < doc->ip_configurations.n; i++) {
    hns_ip_config_doc *c = HNS_VEC_AT(doc->ip_configurations, hns_ip_config_doc, i);
    sim_ip ip;
    if (!c->ip_address || sim_ip_parse(c->ip_address, &ip))
      return hns__fail(svc, er, HCN_E_INVALID_IP, "IpConfigurations[%zu].IpAddress is missing", i);
    const hns_subnet_doc *s = each_subnet(net, contains_ip, &ip);
    /* Remote endpoints stand for pods on other hosts, whose addresses need
     * not be in this host's subnets (kube-proxy, facts §5.6): (inferred). */
    if (!s && !remote)
      return hns__fail(svc, er, HCN_E_INVALID_IP, "IpConfigurations[%zu].IpAddress: %s is outside every subnet of network '%s'",
                       i, c->ip_address, net->name);
    sim_prefix p;
    if (s && !sim_prefix_parse(s->ip_address_prefix, &p)) {
      if (is_reserved(s, &p, &ip))
        return hns__fail(svc, er, HCN_E_ADDR_INVALID_OR_RESERVED,
                         "IpConfigurations[%zu].IpAddress: %s is the gateway or network address of %s", i, c->ip_address,
                         s->ip_address_prefix);
      if (!c->prefix_length) c->prefix_length = p.len;
    }
    char key[128];
    ip_key(key, sizeof key, network, &ip);
    hns_object *other = hns_map_get(&svc->addresses, key);
    if (other)
      return hns__fail(svc, er, HCN_E_ADDR_INVALID_OR_RESERVED,
                       "IpConfigurations[%zu].IpAddress: %s is already used by endpoint %s", i, c->ip_address, other->id_text);
  }
  if (doc->ip_configurations.n || remote) return HNS_S_OK;
  /* No address given: one per address family the network has (dual stack). */
  int any = 0;
  for (int family = 4; family <= 6; family += 2) {
    if (!each_subnet(net, has_family, &family)) continue;
    alloc_ctx c = {svc, network, family, {0}, 0};
    if (!each_subnet(net, first_free, &c))
      return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "network '%s' has no free IPv%d address left", net->name, family);
    hns_hr hr = add_ip_config(svc, er, doc, &c.found, c.prefix_len);
    if (HNS_FAILED(hr)) return hr;
    any = 1;
  }
  if (!any) return hns__fail(svc, er, HCN_E_SUBNET_NOT_FOUND, "network '%s' has no subnet to take an address from", net->name);
  return HNS_S_OK;
}

static hns_hr check_mac(hns_service *svc, char **er, hns_object *network, hns_endpoint_doc *doc) {
  hns_network_doc *net = network->doc;
  char key[128];
  if (doc->flags & REMOTE_ENDPOINT) return HNS_S_OK; /* see owns_mac */
  if (doc->mac_address) {
    addr_key(key, sizeof key, network, "mac", doc->mac_address);
    hns_object *other = hns_map_get(&svc->addresses, key);
    if (other)
      return hns__fail(svc, er, HCN_E_ADDR_INVALID_OR_RESERVED, "MacAddress: %s is already used by endpoint %s",
                       doc->mac_address, other->id_text);
    return HNS_S_OK;
  }
  for (size_t i = 0; i < net->mac_pool.ranges.n; i++) {
    hns_mac_range_doc *r = HNS_VEC_AT(net->mac_pool.ranges, hns_mac_range_doc, i);
    sim_mac a, b;
    if (sim_mac_parse(r->start_mac_address, &a) || sim_mac_parse(r->end_mac_address, &b)) continue;
    uint64_t lo = sim_mac_to_u64(&a), hi = sim_mac_to_u64(&b), span = hi - lo + 1;
    for (uint64_t tried = 0; tried < span; tried++) {
      uint64_t v = lo + (network->next_mac + tried) % span;
      sim_mac m;
      char text[18];
      sim_mac_from_u64(v, &m);
      sim_mac_format(&m, text);
      addr_key(key, sizeof key, network, "mac", text);
      if (hns_map_get(&svc->addresses, key)) continue;
      network->next_mac = (v - lo) + 1;
      doc->mac_address = hns_strdup(text);
      return doc->mac_address ? HNS_S_OK : hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
    }
  }
  return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "network '%s' has no free MAC address left in its MacPool", net->name);
}

/* Remote endpoints stand for pods elsewhere and kube-proxy gives them all
 * one made-up MAC (facts §5.6), so their MACs are neither checked nor
 * indexed; a remote endpoint without one gets none (inferred). */
static int owns_mac(const hns_endpoint_doc *doc) { return doc->mac_address && !(doc->flags & REMOTE_ENDPOINT); }

/* Adds or removes the endpoint's address keys. */
static int index_addresses(hns_service *svc, hns_object *obj, int add) {
  hns_endpoint_doc *doc = obj->doc;
  char key[128];
  for (size_t i = 0; i < doc->ip_configurations.n; i++) {
    sim_ip ip;
    if (sim_ip_parse(HNS_VEC_AT(doc->ip_configurations, hns_ip_config_doc, i)->ip_address, &ip)) continue;
    ip_key(key, sizeof key, obj->network, &ip);
    if (!add) {
      if (hns_map_get(&svc->addresses, key) == obj) hns_map_del(&svc->addresses, key);
    } else if (hns_map_put(&svc->addresses, key, obj))
      return -1;
  }
  if (owns_mac(doc)) {
    addr_key(key, sizeof key, obj->network, "mac", doc->mac_address);
    if (!add) {
      if (hns_map_get(&svc->addresses, key) == obj) hns_map_del(&svc->addresses, key);
    } else if (hns_map_put(&svc->addresses, key, obj))
      return -1;
  }
  return 0;
}

hns_hr hns__endpoint_create(hns_service *svc, hns_object *obj, hns_object *network, char **er) {
  hns_endpoint_doc *doc = obj->doc;
  hns_guid g;
  if (doc->host_compute_network && (hns_guid_parse(doc->host_compute_network, &g) || !hns_guid_equal(&g, &network->id)))
    return hns__fail(svc, er, HNS_E_INVALIDARG, "HostComputeNetwork: %s is not the network the endpoint is created on (%s)",
                     doc->host_compute_network, network->id_text);
  /* Two endpoints with one name: refused like the kube-proxy fake does
   * (facts §5.6); HNS's own code is not documented: (inferred). */
  if (doc->name && *doc->name && hns__find_name(svc, HNS_ENDPOINT, doc->name))
    return hns__fail(svc, er, HNS_E_ALREADY_EXISTS, "Name: an endpoint called '%s' already exists", doc->name);
  /* Allocation moves the network's cursors: a refusal puts them back, or the
   * next endpoint would skip the address a refused one was offered. */
  uint64_t next_ip = network->next_ip, next_mac = network->next_mac;
  hns_hr hr = hns__check_policy_gates(svc, er, &doc->policies, "Policies");
  if (HNS_SUCCEEDED(hr)) hr = check_addresses(svc, er, network, doc);
  if (HNS_SUCCEEDED(hr)) hr = check_mac(svc, er, network, doc);
  if (HNS_SUCCEEDED(hr)) hr = hns__model_endpoint_add(svc, obj, network, er);
  if (HNS_FAILED(hr)) {
    network->next_ip = next_ip;
    network->next_mac = next_mac;
    return hr;
  }
  free(doc->host_compute_network);
  doc->host_compute_network = hns_strdup(network->id_text);
  if (!doc->schema_version.major) doc->schema_version = (hns_version_doc){2, 0, NULL};
  obj->network = network;
  if (index_addresses(svc, obj, 1) || hns__insert(svc, obj)) {
    index_addresses(svc, obj, 0);
    hns__model_endpoint_undo(svc, obj);
    return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  }
  network->refs++;
  return HNS_S_OK;
}

void hns__endpoint_release(hns_service *svc, hns_object *obj) {
  hns_endpoint_doc *doc = obj->doc;
  if (doc->host_compute_namespace) { /* leaves its namespace with it */
    hns_object *ns = hns__lookup_text(svc, HNS_NAMESPACE, doc->host_compute_namespace);
    if (ns) {
      char settings[128];
      snprintf(settings, sizeof settings, "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Remove\",\"Settings\":{\"EndpointId\":\"%s\"}}",
               obj->id_text);
      hns__namespace_modify(svc, ns, settings, NULL);
    }
  }
  index_addresses(svc, obj, 0);
  if (obj->network) obj->network->refs--;
}

/* ModifyEndpointSettingRequest: Policy Add/Remove/Update (hcsshim
 * ApplyPolicy); Port requests hot-add a VM NIC port, which has no effect on
 * the simulated data path and is accepted as is (inferred). */
hns_hr hns__endpoint_modify(hns_service *svc, hns_object *obj, const char *settings, char **er) {
  hns_modify_doc m = {0};
  hns_hr hr = hns__parse(svc, er, HNS_ENDPOINT, &hns_modify_endpoint_schema, settings, &m);
  if (HNS_FAILED(hr)) return hr;
  hns_endpoint_doc *doc = obj->doc;
  hns_policy_request_doc req = {0};
  hns_perr err;
  if (m.resource_type == 0) {
    hr = HNS_S_OK;
  } else if (!m.settings || hns_doc_parse(&hns_endpoint_policy_request_schema, m.settings, &req, NULL, &err)) {
    hr = m.settings ? hns__refuse_doc(svc, er, HNS_ENDPOINT, &err)
                    : hns__fail(svc, er, HCN_E_INVALID_POLICY, "Settings: a PolicyEndpointRequest is needed");
  } else if (HNS_SUCCEEDED(hr = hns__check_policy_gates(svc, er, &req.policies, "Settings.Policies"))) {
    /* On a copy, so that the model (which may refuse) sees the old and the
     * new policies before either side changes. */
    hns_endpoint_doc next = {0};
    hr = hns_doc_copy(&hns_endpoint_schema, doc, &next) ? hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory")
                                                         : hns__apply_policy_request(svc, er, &next.policies,
                                                                                     &req.policies, m.request_type, "endpoint");
    if (HNS_SUCCEEDED(hr)) hr = hns__model_endpoint_policies(svc, obj, obj->network, doc, &next, er);
    if (HNS_SUCCEEDED(hr)) {
      hns_policies swap = doc->policies;
      doc->policies = next.policies;
      next.policies = swap;
    }
    hns_doc_free(&hns_endpoint_schema, &next);
  }
  hns_doc_free(&hns_endpoint_policy_request_schema, &req);
  hns_doc_free(&hns_modify_endpoint_schema, &m);
  return hr;
}

/* A query with Flags Detailed (1, hcsshim HostComputeQueryFlagsDetailed:
 * "returns an object with all properties") shows the endpoint's port as
 * Health.Extra.Resources {State}: 1 while the vNIC is not attached to the
 * switch, 3 once it is; without the flag HNS leaves Resources out (Calico's
 * Windows CNI polls for State 3 with a Detailed query before it adds the
 * endpoint to a namespace). hnsim counts the port attached once the
 * endpoint is in a namespace or a container (inferred: in HNS the attach
 * comes from the compute system, a moment later). */
int hns__endpoint_add_detail(const hns_object *ep, cJSON *out) {
  const hns_endpoint_doc *d = ep->doc;
  const cJSON *shared = hns__v1_shared_containers(ep);
  int attached = d->host_compute_namespace || ep->attach_system || cJSON_GetArraySize(shared) > 0;
  cJSON *health = cJSON_GetObjectItemCaseSensitive(out, "Health");
  if (!cJSON_IsObject(health)) {
    cJSON_DeleteItemFromObjectCaseSensitive(out, "Health");
    health = cJSON_AddObjectToObject(out, "Health");
  }
  cJSON *extra = health ? cJSON_GetObjectItemCaseSensitive(health, "Extra") : NULL;
  if (health && !cJSON_IsObject(extra)) {
    cJSON_DeleteItemFromObjectCaseSensitive(health, "Extra");
    extra = cJSON_AddObjectToObject(health, "Extra");
  }
  cJSON_DeleteItemFromObjectCaseSensitive(extra, "Resources");
  cJSON *resources = extra ? cJSON_AddObjectToObject(extra, "Resources") : NULL;
  return resources && cJSON_AddNumberToObject(resources, "State", attached ? 3 : 1) ? 0 : -1;
}
