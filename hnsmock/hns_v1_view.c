/* hns_v1_view.c: every object in its HNS v1 shape (hcsshim internal/hns
 * HNSNetwork, HNSEndpoint, Namespace; facts §5), built from the v2 document
 * as hns_doc_emit writes it. The inverse of hns_v1_request.c: a view POSTed
 * back makes the same object.
 *
 * Keys are PascalCase, the ID key is "ID", zero values are left out (hcsshim
 * marshals v1 structs with omitempty). From real captures (facts §5.1,
 * §5.2, §5.4, §3.10): a network's Type as its creator wrote it ("nat"),
 * written for NAT too; Subnets with AddressPrefix, GatewayAddress, ID and
 * IpSubnets; Extensions [{Id, IsEnabled, Name}]; the VLAN/VSID policy
 * shapes; an endpoint's State numbers and SharedContainers; IsApplied on
 * policy lists. (inferred): Type "NAT" for a NAT network made through v2
 * without one; a subnet's routes other than the default one, and an
 * endpoint's, are not shown (v1 has only the gateway); Health and
 * SchemaVersion are not shown; Namespace on an endpoint is {ID,
 * CompartmentId} (IsDefault when it is one). Keys hnsmock does not know are
 * echoed, as in v2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sim_addr.h"
#include "hns_v1_int.h"

/* Copies the keys of `from` that `skip` does not name. */
static void copy_rest(const cJSON *from, cJSON *to, const char *const *skip) {
  for (const cJSON *k = from ? from->child : NULL; k; k = k->next) {
    int skipped = cJSON_GetObjectItemCaseSensitive(to, k->string) != NULL;
    for (size_t i = 0; !skipped && skip[i]; i++) skipped = !strcmp(skip[i], k->string);
    if (!skipped) cJSON_AddItemToObject(to, k->string, cJSON_Duplicate(k, 1));
  }
}

static void copy_key(const cJSON *from, const char *key, cJSON *to, const char *as) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
  if (v) cJSON_AddItemToObject(to, as, cJSON_Duplicate(v, 1));
}

/* v2 lists of strings -> v1's comma-separated text (DNSServerList). */
static void join_key(const cJSON *from, const char *key, cJSON *to, const char *as) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(from, key);
  size_t len = 1;
  for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
    if (cJSON_IsString(e)) len += strlen(e->valuestring) + 1;
  if (len == 1) return;
  char *text = malloc(len);
  if (!text) return;
  text[0] = '\0';
  for (const cJSON *e = list->child; e; e = e->next)
    if (cJSON_IsString(e)) {
      if (*text) strcat(text, ",");
      strcat(text, e->valuestring);
    }
  cJSON_AddStringToObject(to, as, text);
  free(text);
}

/* The next hop of the default route of `family` (4 or 6) in a v2 Routes list. */
static const char *gateway(const cJSON *routes, int family) {
  for (const cJSON *r = routes ? routes->child : NULL; r; r = r->next) {
    const char *dest = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "DestinationPrefix"));
    const char *hop = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "NextHop"));
    sim_prefix p;
    if (dest && hop && !sim_prefix_parse(dest, &p) && p.len == 0 && p.addr.family == family) return hop;
  }
  return NULL;
}

/* Writes the v1 form of `v2`'s Policies into `to` (fields, and "Policies"
 * when any are left). */
static int policies_view(const cJSON *v2, unsigned scope, cJSON *to) {
  cJSON *list = cJSON_CreateArray();
  if (!list || hns__v1_policies_out(cJSON_GetObjectItemCaseSensitive(v2, "Policies"), scope, list, to)) {
    cJSON_Delete(list);
    return -1;
  }
  if (list->child) cJSON_AddItemToObject(to, "Policies", list);
  else cJSON_Delete(list);
  return 0;
}

/* ---- networks ---- */

static cJSON *subnet_view(const cJSON *s) {
  static const char *const skip[] = {"IpAddressPrefix", "Routes", "Policies", NULL};
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  copy_key(s, "IpAddressPrefix", out, "AddressPrefix");
  const char *gw = gateway(cJSON_GetObjectItemCaseSensitive(s, "Routes"), 4);
  if (!gw) gw = gateway(cJSON_GetObjectItemCaseSensitive(s, "Routes"), 6);
  if (gw) cJSON_AddStringToObject(out, "GatewayAddress", gw);
  if (policies_view(s, HNS_V1_SUBNET, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  copy_rest(s, out, skip);
  return out;
}

static cJSON *network_view(const hns_object *obj, const cJSON *v2) {
  static const char *const skip[] = {"Ipams", "MacPool", "Dns", "Policies", "SchemaVersion", "Health", NULL};
  const hns_network_doc *d = obj->doc;
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  copy_key(v2, "ID", out, "ID");
  copy_key(v2, "Name", out, "Name");
  cJSON_AddStringToObject(out, "Type", obj->type_text[0] ? obj->type_text : hns_enum_name(hns_network_types, d->type));
  cJSON *subnets = cJSON_CreateArray();
  const cJSON *ipams = cJSON_GetObjectItemCaseSensitive(v2, "Ipams");
  for (const cJSON *ipam = ipams ? ipams->child : NULL; subnets && ipam; ipam = ipam->next) {
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(ipam, "Subnets");
    for (const cJSON *s = list ? list->child : NULL; s; s = s->next) cJSON_AddItemToArray(subnets, subnet_view(s));
  }
  if (subnets && subnets->child) cJSON_AddItemToObject(out, "Subnets", subnets);
  else cJSON_Delete(subnets);
  copy_key(cJSON_GetObjectItemCaseSensitive(v2, "MacPool"), "Ranges", out, "MacPools");
  const cJSON *dns = cJSON_GetObjectItemCaseSensitive(v2, "Dns");
  copy_key(dns, "Domain", out, "DNSSuffix");
  join_key(dns, "ServerList", out, "DNSServerList");
  if (policies_view(v2, HNS_V1_NETWORK, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  cJSON *extensions = cJSON_AddArrayToObject(out, "Extensions");
  for (int i = 0; extensions && i < HNS_EXT_COUNT; i++) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToArray(extensions, e);
    cJSON_AddStringToObject(e, "Id", hns_switch_extensions[i].ids[0]);
    cJSON_AddBoolToObject(e, "IsEnabled", (obj->extensions >> i) & 1u);
    cJSON_AddStringToObject(e, "Name", hns_switch_extensions[i].name);
  }
  copy_rest(v2, out, skip);
  return out;
}

/* ---- endpoints ---- */

/* The first IpConfiguration of `family`, written as v1's address fields. */
static void address_view(const cJSON *v2, int family, cJSON *out, const char *ip_key, const char *len_key) {
  const cJSON *configs = cJSON_GetObjectItemCaseSensitive(v2, "IpConfigurations");
  for (const cJSON *c = configs ? configs->child : NULL; c; c = c->next) {
    const char *ip = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "IpAddress"));
    sim_ip parsed;
    if (!ip || sim_ip_parse(ip, &parsed) || parsed.family != family) continue;
    cJSON_AddStringToObject(out, ip_key, ip);
    copy_key(c, "PrefixLength", out, len_key);
    return;
  }
}

/* The endpoint's gateway of one family: its own default route's next hop,
 * else that of the network subnet its address is in. HNS writes the
 * subnet's gateway into a local endpoint's GatewayAddress when the endpoint
 * names none (real v1 output of container endpoints; the fallback rule is
 * (inferred)). */
static const char *endpoint_gateway(const hns_object *obj, const cJSON *v2, int family) {
  const char *own = gateway(cJSON_GetObjectItemCaseSensitive(v2, "Routes"), family);
  if (own || !obj->network) return own;
  const cJSON *configs = cJSON_GetObjectItemCaseSensitive(v2, "IpConfigurations");
  const hns_network_doc *net = obj->network->doc;
  for (const cJSON *c = configs ? configs->child : NULL; c; c = c->next) {
    sim_ip ip;
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "IpAddress"));
    if (!text || sim_ip_parse(text, &ip) || ip.family != family) continue;
    for (size_t i = 0; i < net->ipams.n; i++) {
      const hns_ipam_doc *ipam = HNS_VEC_AT(net->ipams, hns_ipam_doc, i);
      for (size_t j = 0; j < ipam->subnets.n; j++) {
        const hns_subnet_doc *sub = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
        sim_prefix p;
        if (!sub->ip_address_prefix || sim_prefix_parse(sub->ip_address_prefix, &p) || !sim_prefix_contains(&p, &ip)) continue;
        for (size_t r = 0; r < sub->routes.n; r++) {
          const hns_route_doc *route = HNS_VEC_AT(sub->routes, hns_route_doc, r);
          sim_prefix d;
          if (route->destination_prefix && route->next_hop && !sim_prefix_parse(route->destination_prefix, &d) && d.len == 0)
            return route->next_hop;
        }
      }
    }
  }
  return NULL;
}

static void flags_view(const cJSON *v2, cJSON *out) {
  static const struct { const char *key; uint32_t bit; } bits[] = {
      {"IsRemoteEndpoint", 1}, {"DisableICC", 2}, {"EnableLowMetric", 8}};
  const cJSON *flags = cJSON_GetObjectItemCaseSensitive(v2, "Flags");
  uint32_t left = cJSON_IsNumber(flags) ? (uint32_t)flags->valuedouble : 0u;
  for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
    if (left & bits[i].bit) {
      cJSON_AddTrueToObject(out, bits[i].key);
      left &= ~bits[i].bit;
    }
  if (left) cJSON_AddNumberToObject(out, "Flags", left);
}

static void namespace_ref_view(hns_service *svc, const hns_endpoint_doc *d, cJSON *out) {
  const hns_object *ns = d->host_compute_namespace ? hns__lookup_text(svc, HNS_NAMESPACE, d->host_compute_namespace) : NULL;
  if (!ns) return;
  const hns_namespace_doc *nd = ns->doc;
  cJSON *o = cJSON_AddObjectToObject(out, "Namespace");
  if (!o) return;
  cJSON_AddStringToObject(o, "ID", ns->id_text);
  if (nd->type == 1 || nd->type == 3) cJSON_AddTrueToObject(o, "IsDefault"); /* HostDefault, GuestDefault */
  cJSON_AddNumberToObject(o, "CompartmentId", nd->namespace_id);
}

static cJSON *endpoint_view(hns_service *svc, const hns_object *obj, const cJSON *v2) {
  static const char *const skip[] = {"HostComputeNetwork", "HostComputeNamespace", "Policies", "IpConfigurations", "Dns",
                                     "Routes", "Flags", "Health", "SchemaVersion", NULL};
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  copy_key(v2, "ID", out, "ID");
  copy_key(v2, "Name", out, "Name");
  copy_key(v2, "HostComputeNetwork", out, "VirtualNetwork");
  if (obj->network && ((hns_network_doc *)obj->network->doc)->name)
    cJSON_AddStringToObject(out, "VirtualNetworkName", ((hns_network_doc *)obj->network->doc)->name);
  if (policies_view(v2, HNS_V1_ENDPOINT, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  copy_key(v2, "MacAddress", out, "MacAddress");
  address_view(v2, 4, out, "IPAddress", "PrefixLength");
  address_view(v2, 6, out, "IPv6Address", "IPv6PrefixLength");
  const cJSON *dns = cJSON_GetObjectItemCaseSensitive(v2, "Dns");
  join_key(dns, "Search", out, "DNSSuffix");
  join_key(dns, "ServerList", out, "DNSServerList");
  copy_key(dns, "Domain", out, "DNSDomain");
  const char *gw4 = endpoint_gateway(obj, v2, 4), *gw6 = endpoint_gateway(obj, v2, 6);
  if (gw4) cJSON_AddStringToObject(out, "GatewayAddress", gw4);
  if (gw6) cJSON_AddStringToObject(out, "GatewayAddressV6", gw6);
  flags_view(v2, out);
  cJSON_AddNumberToObject(out, "State", hns__v1_endpoint_state(obj));
  namespace_ref_view(svc, obj->doc, out);
  const cJSON *shared = hns__v1_shared_containers(obj);
  if (shared) cJSON_AddItemToObject(out, "SharedContainers", cJSON_Duplicate(shared, 1));
  copy_rest(v2, out, skip);
  return out;
}

/* ---- namespaces and stats ---- */

/* {ID, IsDefault, ResourceList [{Type, Data {Id}}], CompartmentId} (facts
 * §5.5); Data's key is "Id", which hcsshim's namespaceEndpointRequest reads. */
static cJSON *namespace_view(const hns_object *obj) {
  const hns_namespace_doc *d = obj->doc;
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  cJSON_AddStringToObject(out, "ID", obj->id_text);
  if (d->type == 1 || d->type == 3) cJSON_AddTrueToObject(out, "IsDefault");
  cJSON *list = d->resources.n ? cJSON_AddArrayToObject(out, "ResourceList") : NULL;
  for (size_t i = 0; list && i < d->resources.n; i++) {
    const hns_ns_resource_doc *r = HNS_VEC_AT(d->resources, hns_ns_resource_doc, i);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(r->data, "ID"));
    cJSON *item = cJSON_CreateObject();
    cJSON_AddItemToArray(list, item);
    cJSON_AddStringToObject(item, "Type", hns_enum_name(hns_ns_resource_types, r->type));
    cJSON_AddStringToObject(cJSON_AddObjectToObject(item, "Data"), "Id", id ? id : "");
  }
  cJSON_AddNumberToObject(out, "CompartmentId", d->namespace_id);
  return out;
}

/* Written digit for digit, as hns_schema.c writes uint64: a double rounds past 2^53. */
static void add_u64(cJSON *to, const char *key, uint64_t v) {
  char digits[24];
  snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
  cJSON_AddRawToObject(to, key, digits);
}

/* Every counter is written, 0 included: a counter is a reading, not an
 * option (inferred). InstanceId (a VFP port instance) is left out: hnsmock
 * has no such instance. */
cJSON *hns__v1_stats(const hns_object *ep) {
  const hns_endpoint_counters *c = &ep->counters;
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  add_u64(out, "BytesReceived", c->bytes_received);
  add_u64(out, "BytesSent", c->bytes_sent);
  add_u64(out, "DroppedPacketsIncoming", c->dropped_packets_incoming);
  add_u64(out, "DroppedPacketsOutgoing", c->dropped_packets_outgoing);
  cJSON_AddStringToObject(out, "EndpointId", ep->id_text);
  add_u64(out, "PacketsReceived", c->packets_received);
  add_u64(out, "PacketsSent", c->packets_sent);
  return out;
}

cJSON *hns__v1_view(hns_service *svc, const hns_object *obj) {
  if (obj->kind == HNS_NAMESPACE) return namespace_view(obj);
  cJSON *v2 = hns_doc_emit(hns__schema_of(obj->kind), obj->doc), *out = NULL;
  if (!v2) return NULL;
  switch (obj->kind) {
  case HNS_NETWORK: out = network_view(obj, v2); break;
  case HNS_ENDPOINT: out = endpoint_view(svc, obj, v2); break;
  case HNS_LOADBALANCER:
  case HNS_SDNROUTE: out = hns__v1_policylist_view(v2, obj->kind); break;
  case HNS_NAMESPACE: break;
  }
  cJSON_Delete(v2);
  return out;
}
