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

/* ---- networks ---- */

static cJSON *network_view(const hns_object *obj, const cJSON *v2) {
  const hns_network_doc *d = obj->doc;
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  hns__v1v_copy_key(v2, "ID", out, "ID");
  hns__v1v_copy_key(v2, "Name", out, "Name");
  cJSON_AddStringToObject(out, "Type", obj->type_text[0] ? obj->type_text : hns_enum_name(hns_network_types, d->type));
  if (hns__v1v_network_body(v2, out)) {
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
  hns__v1v_copy_rest(v2, out, hns__v1v_network_skip);
  return out;
}

/* ---- endpoints ---- */

/* The default route's next hop of the network subnet holding the
 * endpoint's address of `family`: HNS writes the subnet's gateway into a
 * local endpoint's GatewayAddress when the endpoint names none (real v1
 * output of container endpoints; the fallback rule is (inferred)). */
static const char *subnet_gateway(const hns_object *obj, const cJSON *v2, int family) {
  if (!obj->network) return NULL;
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
  cJSON *out = cJSON_CreateObject();
  if (!out) return NULL;
  hns__v1v_copy_key(v2, "ID", out, "ID");
  hns__v1v_copy_key(v2, "Name", out, "Name");
  hns__v1v_copy_key(v2, "HostComputeNetwork", out, "VirtualNetwork");
  if (obj->network && ((hns_network_doc *)obj->network->doc)->name)
    cJSON_AddStringToObject(out, "VirtualNetworkName", ((hns_network_doc *)obj->network->doc)->name);
  const char *const gw[2] = {subnet_gateway(obj, v2, 4), subnet_gateway(obj, v2, 6)};
  if (hns__v1v_endpoint_body(v2, gw, out)) {
    cJSON_Delete(out);
    return NULL;
  }
  cJSON_AddNumberToObject(out, "State", hns__v1_endpoint_state(obj));
  namespace_ref_view(svc, obj->doc, out);
  const cJSON *shared = hns__v1_shared_containers(obj);
  if (shared) cJSON_AddItemToObject(out, "SharedContainers", cJSON_Duplicate(shared, 1));
  hns__v1v_copy_rest(v2, out, hns__v1v_endpoint_skip);
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
