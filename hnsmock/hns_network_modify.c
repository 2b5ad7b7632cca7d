/* hns_network_modify.c: HcnModifyNetwork's requests, one per ResourceType
 * (facts §3.3; ordinals from SDN hns.v2.psm1): DNS, Extension, Policy,
 * Subnet and IPSubnet, each with the RequestTypes that make sense for it.
 * The request is applied to a copy of the network's document, swapped in
 * only when every check passed and the data-plane model took the new
 * policies (hns_model_netpolicy.c), so a refusal changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_addr.h"
#include "hns_doc_policy.h"
#include "hns_model_int.h"
#include "hns_service_int.h"

enum { RES_DNS = 0, RES_EXTENSION, RES_POLICY, RES_SUBNET, RES_IP_SUBNET };
enum { REQ_ADD = 0, REQ_REMOVE, REQ_UPDATE };

const hns_switch_extension hns_switch_extensions[HNS_EXT_COUNT] = {
    [HNS_EXT_WFP] = {"Microsoft Windows Filtering Platform", {"E7C3B2F0-F3C5-48DF-AF2B-10FED6D72E7A", NULL}},
    [HNS_EXT_VFP] = {"Microsoft Azure VFP Switch Extension",
                     {"E9B59CFA-2BE1-4B21-828F-B6FBDBDDC017", "F74F241B-440F-4433-BB28-00F89EAD20D8"}},
    [HNS_EXT_CAPTURE] = {"Microsoft NDIS Capture",
                         {"430BDADD-BAB0-41AB-A369-94B67FA5BE0A", "EA24CD6C-D17A-4348-9190-09F0D5BE83DD"}},
};

static hns_hr unsupported(hns_service *svc, char **er, const hns_modify_doc *m) {
  return hns__fail(svc, er, HCN_E_REQUEST_UNSUPPORTED, "ResourceType %s with RequestType %s is not supported",
                   hns_enum_name(hns_network_resource_types, m->resource_type),
                   hns_enum_name(hns_request_types, m->request_type));
}

/* Parses the request's Settings with `schema`; `what` names the document a
 * missing Settings should have been. */
static hns_hr settings_as(hns_service *svc, char **er, const hns_modify_doc *m, const hns_schema *schema, void *out,
                          hns_hr missing_hr, const char *what) {
  hns_perr err;
  if (!m->settings) return hns__fail(svc, er, missing_hr, "Settings: a %s is needed", what);
  return hns_doc_parse(schema, m->settings, out, NULL, &err) ? hns__refuse_doc(svc, er, HNS_NETWORK, &err) : HNS_S_OK;
}

static hns_hr modify_policies(hns_service *svc, char **er, const hns_modify_doc *m, hns_network_doc *next) {
  hns_policy_request_doc req = {0};
  hns_hr hr = settings_as(svc, er, m, &hns_network_policy_request_schema, &req, HCN_E_INVALID_POLICY, "PolicyNetworkRequest");
  if (HNS_SUCCEEDED(hr)) hr = hns__check_policy_gates(svc, er, &req.policies, "Settings.Policies");
  if (HNS_SUCCEEDED(hr)) hr = hns__apply_policy_request(svc, er, &next->policies, &req.policies, m->request_type, "network");
  hns_doc_free(&hns_network_policy_request_schema, &req);
  return hr;
}

/* DNS Add and Update replace the network's Dns; Remove clears it (inferred:
 * the docs list the request types, not what each does to DNS). */
static hns_hr modify_dns(hns_service *svc, char **er, const hns_modify_doc *m, hns_network_doc *next) {
  if (m->request_type == REQ_REMOVE) {
    hns_doc_free(&hns_dns_schema, &next->dns);
    memset(&next->dns, 0, sizeof next->dns);
    return HNS_S_OK;
  }
  if (m->request_type != REQ_ADD && m->request_type != REQ_UPDATE) return unsupported(svc, er, m);
  hns_dns_doc dns = {0};
  hns_hr hr = settings_as(svc, er, m, &hns_dns_schema, &dns, HNS_E_INVALIDARG, "Dns document");
  if (HNS_FAILED(hr)) return hr;
  hns_doc_free(&hns_dns_schema, &next->dns);
  next->dns = dns;
  return HNS_S_OK;
}

static int same_prefix(const char *a, const char *b) {
  sim_prefix pa, pb;
  return a && b && !sim_prefix_parse(a, &pa) && !sim_prefix_parse(b, &pb) && pa.len == pb.len &&
         sim_ip_equal(&pa.addr, &pb.addr);
}

static int same_guid(const char *a, const char *b) {
  hns_guid ga, gb;
  return a && b && !hns_guid_parse(a, &ga) && !hns_guid_parse(b, &gb) && hns_guid_equal(&ga, &gb);
}

/* The subnet of `net` that `want` names: by ID when it has one, else by
 * prefix. Sets *ipam_at and *subnet_at. */
static int find_subnet(const hns_network_doc *net, const char *id, const char *prefix, size_t *ipam_at, size_t *subnet_at) {
  for (size_t i = 0; i < net->ipams.n; i++) {
    const hns_ipam_doc *ipam = HNS_VEC_AT(net->ipams, hns_ipam_doc, i);
    for (size_t j = 0; j < ipam->subnets.n; j++) {
      const hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
      if (id ? same_guid(id, s->id) : same_prefix(prefix, s->ip_address_prefix)) {
        *ipam_at = i;
        *subnet_at = j;
        return 1;
      }
    }
  }
  return 0;
}

/* The first endpoint of `network` with an address inside `prefix_text`;
 * *address is that address. */
static hns_object *endpoint_in(hns_service *svc, const hns_object *network, const char *prefix_text, const char **address) {
  sim_prefix p;
  if (!prefix_text || sim_prefix_parse(prefix_text, &p)) return NULL;
  for (size_t i = 0; i < svc->count[HNS_ENDPOINT]; i++) {
    hns_object *ep = svc->objects[HNS_ENDPOINT][i];
    const hns_endpoint_doc *d = ep->doc;
    if (ep->network != network) continue;
    for (size_t k = 0; k < d->ip_configurations.n; k++) {
      sim_ip ip;
      const char *text = HNS_VEC_AT(d->ip_configurations, hns_ip_config_doc, k)->ip_address;
      if (text && !sim_ip_parse(text, &ip) && sim_prefix_contains(&p, &ip)) {
        *address = text;
        return ep;
      }
    }
  }
  return NULL;
}

static hns_hr add_subnets(hns_service *svc, char **er, hns_subnet_request_doc *req, hns_network_doc *next) {
  if (!next->ipams.n) return hns__fail(svc, er, HCN_E_INVALID_SUBNET, "the network has no Ipams to add subnets to");
  hns_ipam_doc *ipam = HNS_VEC_AT(next->ipams, hns_ipam_doc, 0);
  hns_subnet_doc *v = realloc(ipam->subnets.v, (ipam->subnets.n + req->subnets.n) * sizeof *v);
  if (!v) return hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  memcpy(v + ipam->subnets.n, req->subnets.v, req->subnets.n * sizeof *v);
  ipam->subnets.v = v;
  ipam->subnets.n += req->subnets.n;
  req->subnets.n = 0; /* moved into the network */
  hns_hr hr = hns__network_check_subnets(svc, er, next);
  if (HNS_SUCCEEDED(hr)) hns__network_name_subnets(svc, next);
  return hr;
}

/* A subnet that still holds an endpoint's address is refused like any
 * object others reference (HCN_E_ENTITY_HAS_REFERENCES by name: (inferred)). */
static hns_hr remove_subnets(hns_service *svc, char **er, const hns_object *network, hns_subnet_request_doc *req,
                             hns_network_doc *next) {
  for (size_t r = 0; r < req->subnets.n; r++) {
    const hns_subnet_doc *want = HNS_VEC_AT(req->subnets, hns_subnet_doc, r);
    size_t i, j;
    if (!find_subnet(next, want->id, want->ip_address_prefix, &i, &j))
      return hns__fail(svc, er, HCN_E_SUBNET_NOT_FOUND, "Settings.Subnets[%zu]: the network has no subnet %s", r,
                       want->id ? want->id : want->ip_address_prefix ? want->ip_address_prefix : "(no ID or prefix)");
    hns_ipam_doc *ipam = HNS_VEC_AT(next->ipams, hns_ipam_doc, i);
    hns_subnet_doc *s = HNS_VEC_AT(ipam->subnets, hns_subnet_doc, j);
    const char *address = NULL;
    hns_object *ep = endpoint_in(svc, network, s->ip_address_prefix, &address);
    if (ep)
      return hns__fail(svc, er, HCN_E_ENTITY_HAS_REFERENCES, "Settings.Subnets[%zu]: %s: endpoint %s still has address %s in it",
                       r, s->ip_address_prefix, ep->id_text, address);
    hns_doc_free(&hns_subnet_schema, s);
    memmove(s, s + 1, (ipam->subnets.n - j - 1) * sizeof *s);
    ipam->subnets.n--;
  }
  return HNS_S_OK;
}

static hns_hr modify_subnets(hns_service *svc, char **er, const hns_object *network, const hns_modify_doc *m,
                             hns_network_doc *next) {
  if (m->request_type != REQ_ADD && m->request_type != REQ_REMOVE) return unsupported(svc, er, m);
  hns_subnet_request_doc req = {0};
  hns_hr hr = settings_as(svc, er, m, &hns_subnet_request_schema, &req, HCN_E_INVALID_SUBNET, "SubnetNetworkRequest");
  if (HNS_SUCCEEDED(hr))
    hr = m->request_type == REQ_ADD ? add_subnets(svc, er, &req, next) : remove_subnets(svc, er, network, &req, next);
  hns_doc_free(&hns_subnet_request_schema, &req);
  return hr;
}

/* IPSubnetNetworkRequest {SubnetId, IpSubnets} adds IP subnets to, or
 * removes them (matched by ID, else prefix) from, one subnet. An IP subnet
 * outside its subnet's prefix is refused as an invalid prefix (inferred). */
static hns_hr modify_ip_subnets(hns_service *svc, char **er, const hns_modify_doc *m, hns_network_doc *next) {
  if (m->request_type != REQ_ADD && m->request_type != REQ_REMOVE) return unsupported(svc, er, m);
  hns_ip_subnet_request_doc req = {0};
  hns_hr hr = settings_as(svc, er, m, &hns_ip_subnet_request_schema, &req, HCN_E_INVALID_SUBNET, "IPSubnetNetworkRequest");
  size_t i, j;
  if (HNS_SUCCEEDED(hr) && (!req.subnet_id || !find_subnet(next, req.subnet_id, NULL, &i, &j)))
    hr = hns__fail(svc, er, HCN_E_SUBNET_NOT_FOUND, "Settings.SubnetId: the network has no subnet %s",
                   req.subnet_id ? req.subnet_id : "(missing)");
  hns_subnet_doc *s = HNS_SUCCEEDED(hr) ? HNS_VEC_AT(HNS_VEC_AT(next->ipams, hns_ipam_doc, i)->subnets, hns_subnet_doc, j) : NULL;
  for (size_t k = 0; s && k < req.ip_subnets.n; k++) {
    hns_ip_subnet_doc *ips = HNS_VEC_AT(req.ip_subnets, hns_ip_subnet_doc, k);
    sim_prefix outer, inner;
    size_t at = s->ip_subnets.n;
    for (size_t x = 0; x < s->ip_subnets.n; x++) {
      const hns_ip_subnet_doc *have = HNS_VEC_AT(s->ip_subnets, hns_ip_subnet_doc, x);
      if (ips->id ? same_guid(ips->id, have->id) : same_prefix(ips->ip_address_prefix, have->ip_address_prefix)) at = x;
    }
    if (m->request_type == REQ_REMOVE) {
      if (at == s->ip_subnets.n) {
        hr = hns__fail(svc, er, HCN_E_SUBNET_NOT_FOUND, "Settings.IpSubnets[%zu]: subnet %s has no such IP subnet", k, s->id);
        break;
      }
      hns_ip_subnet_doc *v = s->ip_subnets.v;
      hns_doc_free(&hns_ip_subnet_schema, &v[at]);
      memmove(&v[at], &v[at + 1], (s->ip_subnets.n - at - 1) * sizeof *v);
      s->ip_subnets.n--;
      continue;
    }
    if (!ips->ip_address_prefix || sim_prefix_parse(ips->ip_address_prefix, &inner) ||
        sim_prefix_parse(s->ip_address_prefix, &outer) || inner.len < outer.len || !sim_prefix_contains(&outer, &inner.addr)) {
      hr = hns__fail(svc, er, HCN_E_INVALID_PREFIX, "Settings.IpSubnets[%zu].IpAddressPrefix: %s is not inside subnet %s", k,
                     ips->ip_address_prefix ? ips->ip_address_prefix : "(missing)", s->ip_address_prefix);
      break;
    }
    hns_ip_subnet_doc *v = realloc(s->ip_subnets.v, (s->ip_subnets.n + 1) * sizeof *v);
    if (!v) {
      hr = hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
      break;
    }
    s->ip_subnets.v = v;
    v[s->ip_subnets.n++] = *ips;
    memset(ips, 0, sizeof *ips); /* moved into the subnet */
  }
  if (HNS_SUCCEEDED(hr)) hns__network_name_subnets(svc, next);
  hns_doc_free(&hns_ip_subnet_request_schema, &req);
  return hr;
}

/* Extension {Id, IsEnabled} turns one of the switch's extensions on or off
 * (Add and Update alike, (inferred)); an ID the switch does not have gets
 * the code named for it, HCN_E_SWITCH_EXTENSION_NOT_FOUND. */
static hns_hr modify_extension(hns_service *svc, char **er, const hns_modify_doc *m, unsigned *extensions) {
  if (m->request_type != REQ_ADD && m->request_type != REQ_UPDATE) return unsupported(svc, er, m);
  hns_extension_request_doc req = {0};
  hns_hr hr = settings_as(svc, er, m, &hns_extension_request_schema, &req, HNS_E_INVALIDARG, "Extension document");
  int found = -1;
  for (int e = 0; HNS_SUCCEEDED(hr) && e < HNS_EXT_COUNT; e++)
    for (int k = 0; k < 2; k++)
      if (same_guid(req.id, hns_switch_extensions[e].ids[k])) found = e;
  if (HNS_SUCCEEDED(hr) && found < 0)
    hr = hns__fail(svc, er, HCN_E_SWITCH_EXTENSION_NOT_FOUND, "Settings.Id: the switch has no extension %s",
                   req.id ? req.id : "(missing)");
  if (HNS_SUCCEEDED(hr))
    *extensions = req.is_enabled ? *extensions | (1u << found) : *extensions & ~(1u << found);
  hns_doc_free(&hns_extension_request_schema, &req);
  return hr;
}

hns_hr hns__network_modify(hns_service *svc, hns_object *obj, const char *settings, char **er) {
  hns_modify_doc m = {0};
  hns_hr hr = hns__parse(svc, er, HNS_NETWORK, &hns_modify_network_schema, settings, &m);
  if (HNS_FAILED(hr)) return hr;
  hns_network_doc next = {0};
  unsigned extensions = obj->extensions;
  if (hns_doc_copy(&hns_network_schema, obj->doc, &next)) hr = hns__fail(svc, er, HNS_E_OUTOFMEMORY, "out of memory");
  if (HNS_SUCCEEDED(hr)) switch (m.resource_type) {
    case RES_DNS: hr = modify_dns(svc, er, &m, &next); break;
    case RES_EXTENSION: hr = modify_extension(svc, er, &m, &extensions); break;
    case RES_POLICY: hr = modify_policies(svc, er, &m, &next); break;
    case RES_SUBNET: hr = modify_subnets(svc, er, obj, &m, &next); break;
    case RES_IP_SUBNET: hr = modify_ip_subnets(svc, er, &m, &next); break;
    default: hr = unsupported(svc, er, &m); break;
    }
  if (HNS_SUCCEEDED(hr)) hr = hns__model_network_policies(svc, obj, obj->doc, &next, er);
  if (HNS_SUCCEEDED(hr)) {
    hns_doc_free(&hns_network_schema, obj->doc);
    *(hns_network_doc *)obj->doc = next;
    obj->extensions = extensions;
  } else {
    hns_doc_free(&hns_network_schema, &next);
  }
  hns_doc_free(&hns_modify_network_schema, &m);
  return hr;
}
