/* sim_policy_acl.c: an endpoint's ACL rules by name and the ACL stage of
 * the walk (sim_acl underneath: docs/dataplane.md "ACL stage").
 *
 * Which rule types a port enforces (hns-api-facts.md §6): the Windows
 * Firewall ("Host" rules) on NAT and Transparent networks, the Firewall and
 * VFP ("Switch" rules) on L2Bridge, L2Tunnel and Overlay; ICS, Private and
 * Internal are taken as Firewall only (inferred: not documented). A packet
 * passes when every enforced type allows it; leaving, the Firewall (in the
 * container's stack) decides before VFP (on the port), arriving the
 * reverse (inferred from where each sits). Pass ends the set and lets the
 * packet on (inferred: no TierAcl tiers are modelled). The hop names the
 * deciding rule: the first that blocked, else the last that allowed, else
 * "default". A reply of a connection the rules allowed is not looked up
 * (inferred: VFP and the Firewall keep flow state; sim_walk.c). */
#include <stdio.h>
#include <string.h>
#include "sim_policy_int.h"

int sim_policy_acl_set(sim_net *net, const char *host, const char *endpoint, sim_acl_profile profile,
                       const sim_acl_rule_text *rules, size_t n) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = net_pol_find_port(net, host, endpoint, &h, &i);
  if (rc) return rc;
  if (n && !rules) return net_fail(net, SIM_E_INVAL, "rules: NULL with n %zu", n);
  if (profile != SIM_ACL_PROFILE_PROCESS && profile != SIM_ACL_PROFILE_PRE_1709 && profile != SIM_ACL_PROFILE_HYPERV)
    return net_fail(net, SIM_E_INVAL, "profile %d: not a sim_acl_profile", (int)profile);
  sim_acl_set *set = sim_acl_set_new(profile);
  if (!set) return net_fail(net, SIM_E_NOMEM, "endpoint \"%s\": out of memory", endpoint);
  char err[SIM_ACL_ERRLEN];
  for (size_t k = 0; k < n; k++) {
    sim_acl_parsed parsed;
    if ((rc = sim_acl_rule_parse(&rules[k], &parsed, err)) == SIM_OK) {
      rc = sim_acl_set_add(set, &parsed.rule, err);
      sim_acl_parsed_free(&parsed);
    }
    if (rc) {
      sim_acl_set_free(set);
      if (rc == SIM_E_NOMEM) return net_fail(net, rc, "endpoint \"%s\": out of memory", endpoint);
      return net_fail(net, rc, "rules[%zu] %s", k, err);
    }
  }
  net_ppol *p;
  if (sim_acl_set_build(set) || (rc = net_ppol_get(net, i, &p))) {
    sim_acl_set_free(set);
    return net_fail(net, SIM_E_NOMEM, "endpoint \"%s\": out of memory", endpoint);
  }
  sim_acl_set_free(p->acl);
  p->acl = set;
  return net_ok(net);
}

int sim_policy_acl_clear(sim_net *net, const char *host, const char *endpoint) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = net_pol_find_port(net, host, endpoint, &h, &i);
  if (rc) return rc;
  net_ppol *p = NET_AT(net->ifaces, net_iface, i)->pol;
  if (p) {
    sim_acl_set_free(p->acl);
    p->acl = NULL;
  }
  return net_ok(net);
}

static void rule_name(const sim_acl_set *s, int32_t idx, char out[SIM_RULE_ID_MAX]) {
  if (idx < 0) {
    snprintf(out, SIM_RULE_ID_MAX, "default");
    return;
  }
  sim_acl_rule_id(s, idx, out, SIM_RULE_ID_MAX);
  if (!out[0]) snprintf(out, SIM_RULE_ID_MAX, "#%d", (int)idx);
}

int net_pol_acl(sim_net *net, uint32_t port, sim_dir dir, int reply, const sim_packet *pkt, net_pol_out *o) {
  const net_iface *f = NET_AT(net->ifaces, net_iface, port);
  if (!f->pol || !f->pol->acl) return 0;
  if (reply) { /* passes (the walk's rule); a flow no lookup takes still fails as one would */
    int fam = pkt->flow.src.family;
    if ((fam != 4 && fam != 6) || pkt->flow.dst.family != fam) return SIM_E_INVAL;
    if (o->words) snprintf(o->why, sizeof(o->why), "reply of an allowed connection");
    return 1;
  }
  sim_net_type t = NET_AT(net->vswitches, net_vswitch, f->vswitch)->type;
  int vfp = t == SIM_NET_L2BRIDGE || t == SIM_NET_L2TUNNEL || t == SIM_NET_OVERLAY;
  sim_acl_rule_type order[2] = {SIM_ACL_HOST, SIM_ACL_SWITCH};
  if (dir == SIM_DIR_IN) {
    order[0] = SIM_ACL_SWITCH;
    order[1] = SIM_ACL_HOST;
  }
  sim_acl_dir adir = dir == SIM_DIR_IN ? SIM_ACL_IN : SIM_ACL_OUT;
  int32_t last = -1;
  const char *last_type = "";
  for (int k = 0; k < 2; k++) {
    if (order[k] == SIM_ACL_SWITCH && !vfp) continue;
    const char *type = order[k] == SIM_ACL_SWITCH ? "Switch (VFP)" : "Host (Firewall)";
    sim_acl_decision d;
    int rc = sim_acl_lookup(f->pol->acl, order[k], adir, &pkt->flow, &d);
    if (rc) return rc;
    if (d.action == SIM_ACL_BLOCK) { /* a drop: always in words */
      rule_name(f->pol->acl, d.rule, o->rule);
      o->verdict = SIM_STAGE_DROP;
      snprintf(o->why, sizeof(o->why), "%s rules block %s", type, d.rule < 0 ? "by default" : "it");
      return 1;
    }
    if (d.rule >= 0 || last < 0) {
      last = d.rule;
      last_type = type;
    }
  }
  if (!o->words) return 1;
  rule_name(f->pol->acl, last, o->rule);
  snprintf(o->why, sizeof(o->why), "%s rules allow %s", last_type, last < 0 ? "by default" : "it");
  return 1;
}
