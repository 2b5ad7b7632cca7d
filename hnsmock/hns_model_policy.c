/* hns_model_policy.c: an endpoint's policies in the data-plane model
 * (hns_model.h), through sim/sim_policy.h:
 *
 *  - ACL (hns-api-facts.md §3.8 AclPolicySetting) -> sim_policy_acl_set,
 *    every ACL policy of the endpoint as one rule set, its Id kept so that a
 *    probe's reason names it; the defaults are the profile's
 *    (inbound_default: deny before 1709, VDOCS network-isolation-security).
 *    On profiles without network_policy_acl (ws2016: "Policy specifications
 *    (e.g. network security) are not supported", the seed; 1709: inferred)
 *    ACL policies are accepted and change nothing. An endpoint without ACL
 *    policies gets no ACL stage (inferred: the defaults are not applied to
 *    it, so WS2016's deny-inbound default does not cut the seed's pods off).
 *    A missing Action or Direction is refused; a missing RuleType is
 *    "Switch" (both inferred).
 *  - OutBoundNAT {VirtualIP, Exceptions, Destinations} -> an OutBoundNAT
 *    rule (consumers §2.1); on a NAT network, whose traffic WinNAT
 *    translates, it changes nothing (inferred).
 *  - PortMapping {Protocol, InternalPort, ExternalPort, VIP, Flags} -> a
 *    port mapping (facts §3.8; NatFlags LocalRoutedVip 1 and IPv6 2 are the
 *    model's, ExternalPortReserved 4 changes nothing).
 *  - SDNRoute {DestinationPrefix, NextHop, NeedEncap} -> an SDN route
 *    (consumers §2.1, win-bridge's "let pods reach the host" routes).
 *  - a remote endpoint (Flags RemoteEndpoint) on an Overlay network with a
 *    ProviderAddress policy -> a remote entry per address: a /32 or /128
 *    to that PA with the endpoint's MAC (kube-proxy, consumers §1.4, §1.5);
 *    without a ProviderAddress, or on another network type, nothing (the
 *    fabric routes to it; inferred).
 *  - TierAcl, L4Proxy and L4WFPPROXY change where and whether packets go
 *    in ways the model has no stage for: refused with E_UNEXPECTED, as the
 *    bridge refuses what the model cannot hold (inferred). Every other type
 *    (QOS, L2Driver, PortName, EncapOverhead, Iov, InterfaceConstraint,
 *    Encryption, VLAN, InterfaceParameters, a local endpoint's
 *    ProviderAddress) is accepted and changes nothing in the model
 *    (inferred: none decides whether a probe arrives).
 *
 * Invariant: the model's entries of an endpoint are exactly those its
 * document's policies make, named by hns__model_rule_id, so the entries of
 * the document before a change can be found again and taken out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_doc_policy.h"
#include "hns_model_int.h"
#include "hns_types.h"
#include "sim_policy.h"

#define REMOTE_ENDPOINT 1u
#define MAX_PREFIXES 64 /* Exceptions or Destinations of one OutBoundNAT (inferred: CNI lists hold a few) */
#define PM_MODEL_FLAGS (SIM_NAT_PM_LOCAL_ROUTED_VIP | SIM_NAT_PM_IPV6)

void hns__model_rule_id(char out[64], const hns_object *obj, const char *name, const char *type, size_t k) {
  int n = snprintf(out, 64, "%s %s[%zu]", name && *name ? name : obj->id_text, type, k);
  if (n < 0 || n >= 64) snprintf(out, 64, "%s %s[%zu]", obj->id_text, type, k);
}

typedef struct ep_ctx {
  hns_service *svc;
  hns_object *ep;
  const char *port;
  const hns_network_doc *network;
  char why[200]; /* what the bridge itself refused, when the model did not */
} ep_ctx;

static int is_type(const hns_policy *p, const char *name) { return !strcmp(p->type->name, name); }

/* The index of policy i among the policies of its type. */
static size_t nth_of_type(const hns_policies *ps, size_t i) {
  size_t k = 0;
  for (size_t j = 0; j < i; j++)
    if (ps->v[j].type == ps->v[i].type) k++;
  return k;
}

static int remote(const hns_object *ep) { return (((const hns_endpoint_doc *)ep->doc)->flags & REMOTE_ENDPOINT) != 0; }

/* "10.0.0.0/8" or a bare address as its /32 or /128. */
static int parse_prefix(const char *s, sim_prefix *out) {
  if (s && !sim_prefix_parse(s, out)) return 0;
  if (!s || sim_ip_parse(s, &out->addr)) return -1;
  out->len = out->addr.family == 4 ? 32 : 128;
  return 0;
}

static int parse_list(ep_ctx *c, const hns_strv *sv, const char *field, sim_prefix *out, size_t *n) {
  if (sv->n > MAX_PREFIXES) {
    snprintf(c->why, sizeof c->why, "OutBoundNAT %s: %zu entries, the model takes %d", field, sv->n, MAX_PREFIXES);
    return -1;
  }
  for (size_t i = 0; i < sv->n; i++)
    if (parse_prefix(sv->v[i], &out[i])) {
      snprintf(c->why, sizeof c->why, "OutBoundNAT %s[%zu]: '%.60s' is not an IP address or prefix", field, i,
               sv->v[i] ? sv->v[i] : "");
      return -1;
    }
  *n = sv->n;
  return 0;
}

static int add_outbound(ep_ctx *c, const hns_outbound_nat_policy *o, const char *id) {
  sim_prefix exc[MAX_PREFIXES], dst[MAX_PREFIXES];
  sim_ip vip;
  sim_policy_outbound_spec spec = {id, 0, NULL, exc, 0, dst, 0, 0, 0};
  if (o) {
    if (parse_list(c, &o->exceptions, "Exceptions", exc, &spec.n_exceptions) ||
        parse_list(c, &o->destinations, "Destinations", dst, &spec.n_destinations))
      return SIM_E_INVAL;
    if (o->virtual_ip && *o->virtual_ip) {
      if (sim_ip_parse(o->virtual_ip, &vip)) {
        snprintf(c->why, sizeof c->why, "OutBoundNAT VirtualIP: '%.60s' is not an IP address", o->virtual_ip);
        return SIM_E_INVAL;
      }
      spec.virtual_ip = &vip;
      spec.family = vip.family;
    }
  }
  return sim_policy_outbound_nat_add(c->svc->model->net, c->svc->model->host, c->port, &spec);
}

static int add_portmap(ep_ctx *c, const hns_port_mapping_policy *m, const char *id) {
  sim_ip vip;
  if (!m || m->protocol > 255) {
    snprintf(c->why, sizeof c->why, "PortMapping Protocol: %u is not an IP protocol", m ? (unsigned)m->protocol : 0u);
    return SIM_E_INVAL;
  }
  sim_policy_portmap_spec spec = {id, (uint8_t)m->protocol, m->internal_port, m->external_port, NULL,
                                  m->flags & PM_MODEL_FLAGS};
  if (m->vip && *m->vip) {
    if (sim_ip_parse(m->vip, &vip)) {
      snprintf(c->why, sizeof c->why, "PortMapping VIP: '%.60s' is not an IP address", m->vip);
      return SIM_E_INVAL;
    }
    spec.vip = &vip;
  }
  return sim_policy_portmap_add(c->svc->model->net, c->svc->model->host, c->port, &spec);
}

static int add_route(ep_ctx *c, const hns_sdn_route_setting_doc *r, const char *id) {
  sim_policy_route_spec spec = {id, {{0, {0}}, 0}, {0, {0}}, r ? r->need_encap : 0};
  if (!r || parse_prefix(r->destination_prefix, &spec.dst) ||
      (r->next_hop && *r->next_hop && sim_ip_parse(r->next_hop, &spec.next_hop))) {
    snprintf(c->why, sizeof c->why, "SDNRoute: a DestinationPrefix (and a NextHop, if any) must be addresses");
    return SIM_E_INVAL;
  }
  return sim_policy_sdn_route_add(c->svc->model->net, c->svc->model->host, c->port, &spec);
}

/* A remote endpoint's entries: one per address, named "<id>" and "<id>[1]". */
static void remote_id(char out[64], const hns_object *ep, size_t i) {
  if (i) snprintf(out, 64, "%s[%zu]", ep->id_text, i);
  else snprintf(out, 64, "%s", ep->id_text);
}

static int add_remote(ep_ctx *c, const hns_endpoint_doc *d, const hns_text_policy *pa) {
  sim_remote_spec spec;
  char id[64];
  memset(&spec, 0, sizeof spec);
  if (!pa || !pa->value || sim_ip_parse(pa->value, &spec.pa)) {
    snprintf(c->why, sizeof c->why, "ProviderAddress: '%.60s' is not an IP address", pa && pa->value ? pa->value : "");
    return SIM_E_INVAL;
  }
  if (d->mac_address) sim_mac_parse(d->mac_address, &spec.mac); /* kube-proxy's made-up MAC; none: zero */
  for (size_t i = 0; i < d->ip_configurations.n; i++) {
    const char *text = HNS_VEC_AT(d->ip_configurations, hns_ip_config_doc, i)->ip_address;
    if (parse_prefix(text, &spec.dst) || spec.dst.len != (spec.dst.addr.family == 4 ? 32 : 128)) continue;
    remote_id(id, c->ep, i);
    spec.id = id;
    int rc = sim_policy_remote_add(c->svc->model->net, c->svc->model->host, c->network->name, &spec);
    if (rc) {
      while (i-- > 0) {
        remote_id(id, c->ep, i);
        sim_policy_remote_remove(c->svc->model->net, c->svc->model->host, c->network->name, id);
      }
      return rc;
    }
  }
  return SIM_OK;
}

/* The entry policy i makes (a NAT rule, an SDN route, remote entries), or
 * SIM_OK for none; ACLs are set whole (set_acl). */
static int add_one(ep_ctx *c, const hns_endpoint_doc *d, size_t i) {
  const hns_policy *p = &d->policies.v[i];
  char id[64];
  hns__model_rule_id(id, c->ep, d->name, p->type->name, nth_of_type(&d->policies, i));
  if (remote(c->ep))
    return is_type(p, "ProviderAddress") && c->network->type == HNS_NET_OVERLAY ? add_remote(c, d, p->settings) : SIM_OK;
  if (is_type(p, "OutBoundNAT"))
    return c->network->type == HNS_NET_NAT || c->network->type == HNS_NET_ICS ? SIM_OK : add_outbound(c, p->settings, id);
  if (is_type(p, "PortMapping")) return add_portmap(c, p->settings, id);
  if (is_type(p, "SDNRoute")) return add_route(c, p->settings, id);
  return SIM_OK;
}

static void remove_one(ep_ctx *c, const hns_endpoint_doc *d, size_t i) {
  const hns_policy *p = &d->policies.v[i];
  sim_net *net = c->svc->model->net;
  const char *host = c->svc->model->host;
  char id[64];
  hns__model_rule_id(id, c->ep, d->name, p->type->name, nth_of_type(&d->policies, i));
  if (remote(c->ep)) {
    if (!is_type(p, "ProviderAddress")) return;
    for (size_t k = 0; k < d->ip_configurations.n; k++) {
      remote_id(id, c->ep, k);
      sim_policy_remote_remove(net, host, c->network->name, id); /* absent entries: nothing to do */
    }
  } else if (is_type(p, "OutBoundNAT") || is_type(p, "PortMapping")) {
    sim_policy_nat_remove(net, host, id);
  } else if (is_type(p, "SDNRoute")) {
    sim_policy_sdn_route_remove(net, host, c->port, id);
  }
}

static void remove_all(ep_ctx *c, const hns_endpoint_doc *d, size_t n) {
  for (size_t i = 0; d && i < n && i < d->policies.n; i++) remove_one(c, d, i);
}

/* Adds every entry of d; on a refusal the ones added are taken out again. */
static int add_all(ep_ctx *c, const hns_endpoint_doc *d) {
  for (size_t i = 0; d && i < d->policies.n; i++) {
    int rc = add_one(c, d, i);
    if (rc) {
      remove_all(c, d, i);
      return rc;
    }
  }
  return SIM_OK;
}

static int action_of(int a) { return a == HNS_ACTION_BLOCK ? SIM_ACL_BLOCK : a == HNS_ACTION_PASS ? SIM_ACL_PASS : SIM_ACL_ALLOW; }

/* The endpoint's ACL policies as one rule set, or no ACL stage. */
static int set_acl(ep_ctx *c, const hns_endpoint_doc *d) {
  const hns_profile *prof = c->svc->profile;
  sim_net *net = c->svc->model->net;
  const char *host = c->svc->model->host;
  size_t n = 0;
  for (size_t i = 0; d && i < d->policies.n; i++) n += is_type(&d->policies.v[i], "ACL");
  if (!n || !prof->network_policy_acl) return sim_policy_acl_clear(net, host, c->port);
  sim_acl_rule_text *rules = calloc(n, sizeof *rules);
  if (!rules) return SIM_E_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < d->policies.n; i++) {
    const hns_acl_policy *a = d->policies.v[i].settings;
    if (!is_type(&d->policies.v[i], "ACL")) continue;
    if (!a || !a->action || !a->direction) {
      snprintf(c->why, sizeof c->why, "ACL policy %zu: an ACL needs an Action and a Direction", k);
      free(rules);
      return SIM_E_INVAL;
    }
    rules[k++] = (sim_acl_rule_text){a->id,          a->protocols,   a->local_addresses, a->remote_addresses,
                                     a->local_ports, a->remote_ports, a->priority,
                                     a->direction == HNS_DIRECTION_OUT ? SIM_ACL_OUT : SIM_ACL_IN,
                                     (sim_acl_action)action_of(a->action),
                                     a->rule_type == HNS_RULE_HOST ? SIM_ACL_HOST : SIM_ACL_SWITCH};
  }
  sim_acl_profile defaults =
      prof->inbound_default == HNS_INBOUND_DENY_ALL ? SIM_ACL_PROFILE_PRE_1709 : SIM_ACL_PROFILE_PROCESS;
  int rc = sim_policy_acl_set(net, host, c->port, defaults, rules, n);
  free(rules);
  return rc;
}

/* Types the model has no stage for: refused before anything changes. */
static const char *unmodelled(const hns_endpoint_doc *d) {
  static const char *const types[] = {"TierAcl", "L4Proxy", "L4WFPPROXY"};
  for (size_t i = 0; i < d->policies.n; i++)
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
      if (is_type(&d->policies.v[i], types[t])) return types[t];
  return NULL;
}

static hns_hr refused(ep_ctx *c, char **er) {
  if (c->why[0]) return hns__fail(c->svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the endpoint's policies: %s", c->why);
  return hns__model_refused(c->svc, er, "the endpoint's policies");
}

hns_hr hns__model_endpoint_policies(hns_service *svc, hns_object *ep, hns_object *network, const hns_endpoint_doc *old,
                                    const hns_endpoint_doc *next, char **er) {
  if (!svc->model || (!ep->in_model && !remote(ep))) return HNS_S_OK;
  ep_ctx c = {svc, ep, hns__model_port_name(ep), network->doc, ""};
  const char *bad = unmodelled(next);
  if (bad)
    return hns__fail(svc, er, HNS_E_UNEXPECTED, "the data-plane model refused the endpoint's policies: %s has no stage in the model",
                     bad);
  remove_all(&c, old, SIZE_MAX);
  int rc = add_all(&c, next);
  if (!rc && !remote(ep) && (rc = set_acl(&c, next))) {
    /* Taking the other policies out again resets the model's message: keep it. */
    if (!c.why[0]) snprintf(c.why, sizeof c.why, "%s", sim_net_last_error(svc->model->net));
    remove_all(&c, next, SIZE_MAX);
  }
  if (!rc) return HNS_S_OK;
  hns_hr hr = refused(&c, er);
  add_all(&c, old); /* accepted before, so accepted again */
  return hr;
}

void hns__model_endpoint_policies_drop(hns_service *svc, hns_object *ep) {
  if (!svc->model || !ep->network) return;
  ep_ctx c = {svc, ep, hns__model_port_name(ep), ep->network->doc, ""};
  remove_all(&c, ep->doc, SIZE_MAX);
}
