/* hns_hostdump_nh.c: the files networkhealth.ps1 dumps to replay a node
 * offline (microsoft/SDN Kubernetes/windows/debug/networkmonitor/
 * networkhealth.ps1: `GetEndpointData() | ConvertTo-Json -depth 100 |
 * Out-File "endpointdata.json"`, the same for networkdata.json,
 * loadbalancerdata.json and nodedata.json; its FakeDiagnosticDataProvider
 * reads them back under -Replay), both ways.
 *
 * The shapes are its classes, properties in declaration order:
 *   EndpointData {Identifier, IPAddress, MacAddress, EndpointState (int),
 *     IsRemoteEndpoint, CompartmentId, NeighborCache {}, VfpPort}
 *   NetworkData {Name, Identifier, ManagementIpAddress, ClusterCidr,
 *     ServiceCidr, DnsIp, HostVfpPort, ExternalVfpPort}: ONE network, the
 *     one -NetworkName names
 *   LoadBalancerPolicyData {Identifier, NetworkId, State, VIP, ExternalPort,
 *     InternalPort, Protocol, IsDSR, LocalRoutedVip, Endpoints [],
 *     EndpointIpAddresses [], ServiceType (Unknown 0, Cluster 1, NodePort 2,
 *     LoadBalancer 3)}, one per policy list, its fields those of the
 *     list's (one) ELB policy
 *   NodeData {HNSData {ProcessId, MemoryUsage, ThreadInfo []},
 *     AvailableTCPDynamicPortRanges, AvailableUDPDynamicPortRanges, NeighborCache {}}
 *
 * Read: endpoints keep ID, address, MAC, State and the remote flag (no
 * network, name or policy); the network its ID, name and management IP (as
 * the ProviderAddress policy, hnsmock's v1 ManagementIP); a load balancer
 * its ID, State, VIPs (VIP is the list's VIPs joined by spaces when there
 * are several: PowerShell's [string] conversion), ports, protocol, DSR,
 * LocalRoutedVip (port-mapping flag 2) and endpoints; records with one ID
 * are one load balancer's port mappings. Node data holds no HNS object.
 *
 * Written (inferred where the script reads what HNS does not hold):
 * EndpointState and State are the state's (a load balancer without one: 2,
 * what HNS shows for an applied list, facts §5.4, and what hnsmock's v1
 * view implies with IsApplied); CompartmentId 0 (the script reads a
 * misspelled "CompartmendId", so real dumps show 0 too); VfpPort
 * {Identifier null, PortState "Unblocked", Layers []} for a local endpoint
 * (hnsim models no VFP port), null for a remote one; the network is the
 * one with the most local endpoints; ClusterCidr and ServiceCidr (from
 * kubeclusterconfig.json, not HNS) null; DnsIp the VIP that has a port-53
 * frontend (as hnsim's dns-vip-both-protocols check reads it); a load
 * balancer with several port mappings gives one record per mapping, under
 * one Identifier; NetworkId null (v1 lists have none, so the script reads
 * none); ServiceType Cluster for a VIP, NodePort for LocalRoutedVip
 * without one (ServiceCidr is not known); the free 64-port ranges are the
 * profile's dynamic range less one block per non-DSR load balancer where
 * HNS reserves them (as hnsim's ephemeral-ports check counts), for UDP too;
 * HNSData zeros (no HNS process). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"
#include "sim_addr.h"

#define REMOTE_ENDPOINT 1u  /* EndpointFlags (facts §3.10) */
#define LB_DSR 1u           /* LoadBalancerFlags */
#define LOCAL_ROUTED_VIP 2u /* LoadBalancerPortMappingFlags */
#define RANGE_SIZE 64       /* networkhealth's and collectlogs' portRangeSize */
#define APPLIED_LIST_STATE 2

/* ---- read ---- */

static hns_hr bad(hns_dump_import *im, const char *where, const char *key, const char *value, const char *want) {
  return hns__dump_fail(im, "%s: %s: '%.64s' is not %s", where, key, value, want);
}

static const char *text_of(const cJSON *o, const char *key) {
  const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
  return s && *s ? s : NULL;
}

static hns_hr uint_of(hns_dump_import *im, const cJSON *o, const char *key, double max, const char *where,
                      double *out) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  *out = 0;
  if (!v || cJSON_IsNull(v)) return HNS_S_OK;
  if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= max) ||
      v->valuedouble != (double)(int64_t)v->valuedouble)
    return hns__dump_fail(im, "%s: %s is not a whole number from 0 to %.0f", where, key, max);
  *out = v->valuedouble;
  return HNS_S_OK;
}

/* A new object appended to array `key` of `o` (made when absent). */
static cJSON *append_object(cJSON *o, const char *key) {
  cJSON *arr = cJSON_GetObjectItem(o, key), *item = cJSON_CreateObject();
  if (!arr) arr = cJSON_AddArrayToObject(o, key);
  if (!arr || !item) {
    cJSON_Delete(item);
    return NULL;
  }
  cJSON_AddItemToArray(arr, item);
  return item;
}

static hns_hr network_in(hns_dump_import *im, const cJSON *o, const char *where, cJSON *v2) {
  const char *name = text_of(o, "Name"), *mgmt = text_of(o, "ManagementIpAddress");
  sim_ip ip;
  if (mgmt && sim_ip_parse(mgmt, &ip)) return bad(im, where, "ManagementIpAddress", mgmt, "an IP address");
  if (name && !cJSON_AddStringToObject(v2, "Name", name)) return hns__dump_oom(im);
  if (!mgmt) return HNS_S_OK;
  cJSON *p = append_object(v2, "Policies");
  if (!p || !cJSON_AddStringToObject(p, "Type", "ProviderAddress") ||
      !cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "Settings"), "ProviderAddress", mgmt))
    return hns__dump_oom(im);
  return HNS_S_OK;
}

static hns_hr endpoint_in(hns_dump_import *im, const cJSON *o, const char *where, cJSON *v2) {
  const char *ip = text_of(o, "IPAddress"), *mac = text_of(o, "MacAddress");
  sim_ip parsed;
  sim_mac m;
  double state;
  if (ip && sim_ip_parse(ip, &parsed)) return bad(im, where, "IPAddress", ip, "an IP address");
  if (mac && sim_mac_parse(mac, &m)) return bad(im, where, "MacAddress", mac, "a MAC address");
  hns_hr hr = uint_of(im, o, "EndpointState", 65535, where, &state);
  if (HNS_FAILED(hr)) return hr;
  cJSON *config = ip ? append_object(v2, "IpConfigurations") : NULL;
  if ((ip && (!config || !cJSON_AddStringToObject(config, "IpAddress", ip))) ||
      (mac && !cJSON_AddStringToObject(v2, "MacAddress", mac)) ||
      (cJSON_IsTrue(cJSON_GetObjectItem(o, "IsRemoteEndpoint")) &&
       !cJSON_AddNumberToObject(v2, "Flags", REMOTE_ENDPOINT)) ||
      (cJSON_GetObjectItem(o, "EndpointState") && !cJSON_AddNumberToObject(v2, "State", state)))
    return hns__dump_oom(im);
  return HNS_S_OK;
}

/* VIP: one address, or several joined by spaces (PowerShell's [string] of an array). */
static hns_hr vips_in(hns_dump_import *im, const cJSON *o, const char *where, cJSON *v2) {
  const char *vip = text_of(o, "VIP");
  if (!vip) return HNS_S_OK;
  cJSON *list = cJSON_AddArrayToObject(v2, "FrontendVIPs");
  if (!list) return hns__dump_oom(im);
  for (const char *p = vip + strspn(vip, " "); *p; p += strspn(p, " ")) {
    char one[64];
    size_t n = strcspn(p, " ");
    sim_ip ip;
    snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), p);
    if (sim_ip_parse(one, &ip)) return bad(im, where, "VIP", one, "an IP address");
    cJSON_AddItemToArray(list, cJSON_CreateString(one));
    p += n;
  }
  return HNS_S_OK;
}

static hns_hr lb_in(hns_dump_import *im, const cJSON *o, const char *where, cJSON *v2) {
  double state, ext, in, proto;
  hns_hr hr = uint_of(im, o, "State", 65535, where, &state);
  if (HNS_SUCCEEDED(hr)) hr = uint_of(im, o, "ExternalPort", 65535, where, &ext);
  if (HNS_SUCCEEDED(hr)) hr = uint_of(im, o, "InternalPort", 65535, where, &in);
  if (HNS_SUCCEEDED(hr)) hr = uint_of(im, o, "Protocol", 255, where, &proto);
  if (HNS_SUCCEEDED(hr)) hr = vips_in(im, o, where, v2);
  if (HNS_FAILED(hr)) return hr;
  const cJSON *eps = cJSON_GetObjectItem(o, "Endpoints");
  cJSON *list = cJSON_AddArrayToObject(v2, "HostComputeEndpoints");
  size_t i = 0;
  for (const cJSON *e = cJSON_IsArray(eps) ? eps->child : NULL; e && list; e = e->next, i++) {
    hns_guid g;
    if (!cJSON_IsString(e) || hns_guid_parse(e->valuestring, &g)) {
      char at[32];
      snprintf(at, sizeof at, "Endpoints[%zu]", i);
      return bad(im, where, at, cJSON_IsString(e) ? e->valuestring : "(not a string)", "an endpoint ID");
    }
    cJSON_AddItemToArray(list, cJSON_CreateString(e->valuestring));
  }
  /* A record of zeros names no port: nothing to balance (inferred). */
  if (ext || in || proto) {
    cJSON *pm = append_object(v2, "PortMappings");
    if (!pm || !cJSON_AddNumberToObject(pm, "Protocol", proto) || !cJSON_AddNumberToObject(pm, "InternalPort", in) ||
        !cJSON_AddNumberToObject(pm, "ExternalPort", ext) ||
        (cJSON_IsTrue(cJSON_GetObjectItem(o, "LocalRoutedVip")) &&
         !cJSON_AddNumberToObject(pm, "Flags", LOCAL_ROUTED_VIP)))
      return hns__dump_oom(im);
  }
  if (!list || (cJSON_IsTrue(cJSON_GetObjectItem(o, "IsDSR")) && !cJSON_AddNumberToObject(v2, "Flags", LB_DSR)) ||
      (cJSON_GetObjectItem(o, "State") && !cJSON_AddNumberToObject(v2, "State", state)))
    return hns__dump_oom(im);
  return HNS_S_OK;
}

hns_hr hns__dump_nh_in(hns_dump_import *im, hns__dk k, const cJSON *o, const char *where, cJSON **v2) {
  *v2 = NULL;
  if (k == HNS_DK_NH_NODE) {
    im->skipped++;
    hns__dump_note(im, HNS_DUMP_NOTE_INFO,
                   "'%s': %s is node data (HNS threads, free port ranges), no HNS object; left out", im->file, where);
    return HNS_S_OK;
  }
  const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(o, "Identifier"));
  cJSON *out = cJSON_CreateObject();
  if (!out || (id && !cJSON_AddStringToObject(out, "ID", id))) {
    cJSON_Delete(out);
    return hns__dump_oom(im);
  }
  hns_hr hr = k == HNS_DK_NH_NETWORK    ? network_in(im, o, where, out)
              : k == HNS_DK_NH_ENDPOINT ? endpoint_in(im, o, where, out)
                                        : lb_in(im, o, where, out);
  if (HNS_FAILED(hr)) {
    cJSON_Delete(out);
    return hr;
  }
  *v2 = out;
  return HNS_S_OK;
}

/* ---- write ---- */

static uint32_t u32_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsNumber(v) && v->valuedouble >= 0 ? (uint32_t)v->valuedouble : 0u;
}

static cJSON *string_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *endpoint_out(const cJSON *ep) {
  int remote = (u32_of(ep, "Flags") & REMOTE_ENDPOINT) != 0;
  cJSON *o = cJSON_CreateObject(), *port = remote ? cJSON_CreateNull() : cJSON_CreateObject();
  if (!o || !port) {
    cJSON_Delete(o);
    cJSON_Delete(port);
    return NULL;
  }
  cJSON_AddItemToObject(o, "Identifier", string_or_null(cJSON_GetStringValue(cJSON_GetObjectItem(ep, "ID"))));
  cJSON_AddItemToObject(o, "IPAddress", string_or_null(hns__dump_endpoint_ip(ep)));
  cJSON_AddItemToObject(o, "MacAddress", string_or_null(cJSON_GetStringValue(cJSON_GetObjectItem(ep, "MacAddress"))));
  cJSON_AddNumberToObject(o, "EndpointState", u32_of(ep, "State"));
  cJSON_AddBoolToObject(o, "IsRemoteEndpoint", remote);
  cJSON_AddNumberToObject(o, "CompartmentId", 0);
  cJSON_AddObjectToObject(o, "NeighborCache");
  if (!remote) {
    cJSON_AddNullToObject(port, "Identifier");
    cJSON_AddStringToObject(port, "PortState", "Unblocked");
    cJSON_AddArrayToObject(port, "Layers");
  }
  cJSON_AddItemToObject(o, "VfpPort", port);
  return o;
}

static const char *provider_address(const cJSON *net) {
  const cJSON *policies = cJSON_GetObjectItem(net, "Policies");
  for (const cJSON *p = cJSON_IsArray(policies) ? policies->child : NULL; p; p = p->next) {
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(p, "Type"));
    const char *pa = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "Settings"), "ProviderAddress"));
    if (type && pa && !strcasecmp(type, "ProviderAddress")) return pa;
  }
  return NULL;
}

/* The first VIP with a frontend on port 53. */
static const char *dns_vip(const hns__dump_state *s) {
  for (const cJSON *lb = s->lists[HNS_DUMP_LBS]->child; lb; lb = lb->next) {
    const cJSON *maps = cJSON_GetObjectItem(lb, "PortMappings"), *vips = cJSON_GetObjectItem(lb, "FrontendVIPs");
    for (const cJSON *m = cJSON_IsArray(maps) ? maps->child : NULL; m; m = m->next)
      if (u32_of(m, "ExternalPort") == 53 && cJSON_IsArray(vips) && cJSON_IsString(vips->child))
        return vips->child->valuestring;
  }
  return NULL;
}

/* The network with the most local endpoints (the first of equals), or NULL. */
static const cJSON *main_network(const hns__dump_state *s) {
  const cJSON *best = NULL;
  size_t most = 0;
  for (const cJSON *net = s->lists[HNS_DUMP_NETWORKS]->child; net; net = net->next) {
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(net, "ID"));
    size_t n = 0;
    for (const cJSON *ep = s->lists[HNS_DUMP_ENDPOINTS]->child; ep; ep = ep->next) {
      const char *on = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "HostComputeNetwork"));
      n += on && !strcasecmp(on, id) && !(u32_of(ep, "Flags") & REMOTE_ENDPOINT);
    }
    if (!best || n > most) best = net, most = n;
  }
  return best;
}

static cJSON *network_out(const hns__dump_state *s) {
  const cJSON *net = main_network(s);
  if (!net) return cJSON_CreateNull();
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddItemToObject(o, "Name", string_or_null(cJSON_GetStringValue(cJSON_GetObjectItem(net, "Name"))));
  cJSON_AddItemToObject(o, "Identifier", string_or_null(cJSON_GetStringValue(cJSON_GetObjectItem(net, "ID"))));
  cJSON_AddItemToObject(o, "ManagementIpAddress", string_or_null(provider_address(net)));
  cJSON_AddNullToObject(o, "ClusterCidr");
  cJSON_AddNullToObject(o, "ServiceCidr");
  cJSON_AddItemToObject(o, "DnsIp", string_or_null(dns_vip(s)));
  cJSON_AddNullToObject(o, "HostVfpPort");
  cJSON_AddNullToObject(o, "ExternalVfpPort");
  return o;
}

/* FrontendVIPs joined by spaces, as PowerShell turns an array into a [string]. */
static cJSON *vip_out(const cJSON *lb) {
  const cJSON *vips = cJSON_GetObjectItem(lb, "FrontendVIPs");
  char text[512] = "";
  size_t used = 0;
  for (const cJSON *v = cJSON_IsArray(vips) ? vips->child : NULL; v; v = v->next)
    if (cJSON_IsString(v) && used < sizeof text)
      used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", used ? " " : "", v->valuestring);
  return used ? cJSON_CreateString(text) : cJSON_CreateNull();
}

static cJSON *lb_record(const hns__dump_state *s, const cJSON *lb, const cJSON *pm) {
  const cJSON *state = cJSON_GetObjectItem(lb, "State"), *eps = cJSON_GetObjectItem(lb, "HostComputeEndpoints");
  cJSON *o = cJSON_CreateObject(), *vip = vip_out(lb);
  if (!o || !vip) {
    cJSON_Delete(o);
    cJSON_Delete(vip);
    return NULL;
  }
  int local_routed = (u32_of(pm, "Flags") & LOCAL_ROUTED_VIP) != 0;
  cJSON_AddItemToObject(o, "Identifier", string_or_null(cJSON_GetStringValue(cJSON_GetObjectItem(lb, "ID"))));
  cJSON_AddNullToObject(o, "NetworkId");
  cJSON_AddNumberToObject(o, "State", cJSON_IsNumber(state) ? state->valuedouble : APPLIED_LIST_STATE);
  int service_type = !cJSON_IsNull(vip) ? 1 : local_routed ? 2 : 0;
  cJSON_AddItemToObject(o, "VIP", vip);
  cJSON_AddNumberToObject(o, "ExternalPort", u32_of(pm, "ExternalPort"));
  cJSON_AddNumberToObject(o, "InternalPort", u32_of(pm, "InternalPort"));
  cJSON_AddNumberToObject(o, "Protocol", u32_of(pm, "Protocol"));
  cJSON_AddBoolToObject(o, "IsDSR", (u32_of(lb, "Flags") & LB_DSR) != 0);
  cJSON_AddBoolToObject(o, "LocalRoutedVip", local_routed);
  cJSON *ids = cJSON_AddArrayToObject(o, "Endpoints"), *ips = cJSON_AddArrayToObject(o, "EndpointIpAddresses");
  for (const cJSON *e = cJSON_IsArray(eps) ? eps->child : NULL; ids && ips && e; e = e->next) {
    if (!cJSON_IsString(e)) continue;
    cJSON_AddItemToArray(ids, cJSON_CreateString(e->valuestring));
    cJSON_AddItemToArray(ips,
                         string_or_null(hns__dump_endpoint_ip(hns__dump_find(s, HNS_DUMP_ENDPOINTS, e->valuestring))));
  }
  cJSON_AddNumberToObject(o, "ServiceType", service_type);
  return o;
}

static cJSON *node_out(const hns__dump_state *s) {
  const hns_profile *p = s->profile;
  size_t total = (size_t)(p->ephemeral_port_last - p->ephemeral_port_first + 1) / RANGE_SIZE, held = 0;
  if (p->lb_port_block && !p->lb_port_pool_sharing)
    for (const cJSON *lb = s->lists[HNS_DUMP_LBS]->child; lb; lb = lb->next) held += !(u32_of(lb, "Flags") & LB_DSR);
  size_t free_ranges = held < total ? total - held : 0;
  cJSON *o = cJSON_CreateObject(), *hns = cJSON_AddObjectToObject(o, "HNSData");
  if (!hns) {
    cJSON_Delete(o);
    return NULL;
  }
  cJSON_AddNumberToObject(hns, "ProcessId", 0);
  cJSON_AddNumberToObject(hns, "MemoryUsage", 0);
  cJSON_AddArrayToObject(hns, "ThreadInfo");
  cJSON_AddNumberToObject(o, "AvailableTCPDynamicPortRanges", (double)free_ranges);
  cJSON_AddNumberToObject(o, "AvailableUDPDynamicPortRanges", (double)free_ranges);
  cJSON_AddObjectToObject(o, "NeighborCache");
  return o;
}

/* Writes `v` (taken) as `$v | ConvertTo-Json` gives it into file `name`. */
static int add_json(hns_dump_files *out, const char *name, cJSON *v, int pipeline) {
  if (!v) return -1;
  char *text = pipeline ? hns__dump_print_pipeline(v) : hns__dump_print(v, HNS_DUMP_STYLE_PWSH);
  cJSON_Delete(v);
  return text ? hns__dump_add_file(out, name, text) : -1;
}

int hns__dump_nh_out(const hns__dump_state *s, hns_dump_files *out) {
  cJSON *eps = cJSON_CreateArray(), *lbs = cJSON_CreateArray();
  for (const cJSON *ep = s->lists[HNS_DUMP_ENDPOINTS]->child; eps && ep; ep = ep->next)
    cJSON_AddItemToArray(eps, endpoint_out(ep));
  for (const cJSON *lb = s->lists[HNS_DUMP_LBS]->child; lbs && lb; lb = lb->next) {
    const cJSON *maps = cJSON_GetObjectItem(lb, "PortMappings");
    if (!cJSON_IsArray(maps) || !maps->child) cJSON_AddItemToArray(lbs, lb_record(s, lb, NULL));
    for (const cJSON *m = cJSON_IsArray(maps) ? maps->child : NULL; m; m = m->next)
      cJSON_AddItemToArray(lbs, lb_record(s, lb, m));
  }
  int rc = add_json(out, "endpointdata.json", eps, 1);
  rc |= add_json(out, "networkdata.json", network_out(s), 0);
  rc |= add_json(out, "loadbalancerdata.json", lbs, 1);
  rc |= add_json(out, "nodedata.json", node_out(s), 0);
  return rc ? -1 : 0;
}
