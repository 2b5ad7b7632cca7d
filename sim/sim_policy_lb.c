/* sim_policy_lb.c: a host's load balancers by name and the LB stage of the
 * walk (sim_lb underneath).
 *
 * Where it runs and which conntrack table it uses (docs/dataplane.md,
 * "Stages in the walk"):
 *   - endpoint OUT, a container's packet (origin local): first the
 *     endpoint's own DSR table (a reply of its DSR connection, or a later
 *     packet of one); then a new DSR connection is recorded there, any other
 *     in the host's LB table. DSR: "IP fixups and LB-NAT happen at the
 *     container vSwitch port", replies bypass the LB (hns-api-facts.md §6,
 *     K8SWEB; "Direct Server Return (DSR) in a nutshell", 2019);
 *   - endpoint IN: only the endpoint's DSR table (the backend's reply gets
 *     the VIP back at the client's port);
 *   - host OUT (the host's own packets, origin host) and host ingress
 *     (origin network: NodePort, external IPs, and the replies of non-DSR
 *     connections, which "traverse all components" both ways, the DSR
 *     blog): the host's LB table.
 * Invariant: a stage call allocates nothing, except an endpoint's DSR table
 * at its first DSR connection. */
#include <stdio.h>
#include <string.h>
#include "sim_policy_int.h"

int sim_policy_lb_add(sim_net *net, const char *host, const sim_lb_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t h;
  net_hpol *p;
  int rc = net_find_host(net, host, &h);
  if (rc || (rc = net_hpol_get(net, h, &p))) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "load balancer: NULL");
  int made = 0;
  if (!p->lb) {
    if (sim_lb_table_create(&p->prof, p->seed, &p->lb))
      return net_fail(net, SIM_E_NOMEM, "host \"%s\": out of memory", host);
    made = 1;
    net_policy_host_addrs(net, h);
  }
  if ((rc = sim_lb_add(p->lb, spec))) {
    int status = net_fail(net, rc, "load balancer: %s", sim_lb_errmsg(p->lb));
    if (made) {
      sim_lb_table_destroy(p->lb);
      p->lb = NULL;
    }
    return status;
  }
  if ((rc = net_ct_make(&p->lb_ct, p->ct_cap, p->seed ^ 0x4c42u))) {
    sim_lb_remove(p->lb, spec->id);
    return net_fail(net, rc, "host \"%s\": out of memory for its LB connections", host);
  }
  return net_ok(net);
}

int sim_policy_lb_remove(sim_net *net, const char *host, const char *id) {
  if (!net) return SIM_E_INVAL;
  uint32_t h;
  int rc = net_find_host(net, host, &h);
  if (rc) return rc;
  if (!id) return net_fail(net, SIM_E_INVAL, "id: NULL");
  net_hpol *p = NET_AT(net->hosts, net_host, h)->pol;
  if (!p || !p->lb) return net_fail(net, SIM_E_NOTFOUND, "load balancer \"%s\": host \"%s\" has none", id, host);
  if ((rc = sim_lb_remove(p->lb, id))) return net_fail(net, rc, "load balancer: %s", sim_lb_errmsg(p->lb));
  return net_ok(net);
}

static const char *reason_text(int reason) {
  switch (reason) {
  case SIM_LB_NO_BACKEND: return "no backend can serve it";
  case SIM_LB_ILB_EXTERNAL: return "an internal load balancer, and the sender is another machine";
  case SIM_LB_HOST_NO_VIP: return "this Windows version does not let the host reach service VIPs";
  case SIM_LB_HOST_NO_NODEPORT: return "this Windows version does not let the host reach its own NodePort";
  case SIM_LB_PORTS_EXHAUSTED: return "every source port of the load balancer's block is in use";
  case SIM_LB_TUPLE_IN_USE: return "the translated flow is another connection's";
  }
  return "";
}

/* The decision's words (net_pol_out's rule and why). */
static void put_words(const sim_lb_decision *d, net_pol_out *o, const char *table) {
  char a[46];
  snprintf(o->rule, sizeof(o->rule), "%s", d->rule_id);
  switch (d->verdict) {
  case SIM_LB_NONE: snprintf(o->why, sizeof(o->why), "no frontend"); return;
  case SIM_LB_DROP: snprintf(o->why, sizeof(o->why), "%s", reason_text(d->reason)); return;
  case SIM_LB_REPLY:
    snprintf(o->why, sizeof(o->why), "reply of a tracked %sconnection (%s table): source back to the frontend",
             d->dsr ? "DSR " : "", table);
    return;
  default:
    sim_ip_format(&d->after.dst, a);
    if (d->from_conntrack)
      snprintf(o->why, sizeof(o->why), "tracked %sconnection (%s table)", d->dsr ? "DSR " : "", table);
    else
      snprintf(o->why, sizeof(o->why), "%s%s backend %d (%s, %s)%s", d->nodeport ? "NodePort, " : "",
               d->dsr ? "DSR," : "to", d->backend, a, d->backend_local ? "local" : "remote",
               d->hairpin ? ", the sender itself" : "");
  }
}

/* The decision as a stage's output; words only when asked or dropped. */
static void put(const sim_lb_decision *d, sim_packet *pkt, net_pol_out *o, const char *table) {
  if (d->verdict == SIM_LB_DROP) o->verdict = SIM_STAGE_DROP;
  if (o->words || d->verdict == SIM_LB_DROP) put_words(d, o, table);
  if (d->verdict == SIM_LB_NONE || d->verdict == SIM_LB_DROP) return;
  o->translated = !sim_flow_equal(&pkt->flow, &d->after);
  pkt->flow = d->after;
}

static int process(net_hpol *p, net_ct *c, const sim_packet *pkt, int origin, sim_time now, sim_lb_decision *d) {
  return sim_lb_process(p->lb, c ? c->ct : NULL, &pkt->flow, pkt->tcp_flags, origin, c ? net_ct_now(c, now) : now,
                        d);
}

/* A packet of the endpoint's DSR table: 1 with *o filled, 0 when none. */
static int dsr_tracked(net_ppol *pp, sim_packet *pkt, sim_time now, net_pol_out *o, int *status) {
  *status = SIM_OK;
  if (!pp || !pp->dsr_ct.ct) return 0;
  sim_ct_hit hit;
  int rc = sim_ct_lookup(pp->dsr_ct.ct, &pkt->flow, pkt->tcp_flags, net_ct_now(&pp->dsr_ct, now), &hit);
  if (rc <= 0) {
    *status = rc;
    return 0;
  }
  sim_lb_decision d;
  memset(&d, 0, sizeof(d));
  d.verdict = hit.dir == SIM_CT_ORIGINAL ? SIM_LB_FORWARD : SIM_LB_REPLY;
  d.after = hit.out;
  d.dsr = 1;
  d.from_conntrack = 1;
  snprintf(d.rule_id, sizeof(d.rule_id), "%s", hit.entry.owner);
  put(&d, pkt, o, "endpoint's DSR");
  return 1;
}

int net_pol_lb(sim_net *net, uint32_t h, uint32_t port, net_lb_place where, sim_packet *pkt, sim_time now,
               net_pol_out *o) {
  net_hpol *p = NET_AT(net->hosts, net_host, h)->pol;
  if (!p || !p->lb) return 0;
  net_ppol *pp = port == NET_NONE ? NULL : NET_AT(net->ifaces, net_iface, port)->pol;
  int rc;
  if (where == LB_PORT_IN || where == LB_PORT_OUT) {
    if (dsr_tracked(pp, pkt, now, o, &rc)) return 1;
    if (rc) return rc;
    if (where == LB_PORT_IN) return 0;
  }
  int origin = where == LB_PORT_OUT ? SIM_LB_FROM_LOCAL : where == LB_HOST_OUT ? SIM_LB_FROM_HOST : SIM_LB_FROM_NETWORK;
  sim_lb_decision d;
  /* A new DSR connection belongs at this endpoint (sim_lb_new_dsr asks the
   * frontends only; its later packets were found above). */
  if (where == LB_PORT_OUT && sim_lb_new_dsr(p->lb, &pkt->flow, origin)) {
    if ((rc = net_ppol_get(net, port, &pp)) || (rc = net_ct_make(&pp->dsr_ct, p->ct_cap, p->seed ^ port))) return rc;
    if ((rc = process(p, &pp->dsr_ct, pkt, origin, now, &d))) return rc;
    put(&d, pkt, o, "endpoint's DSR");
    return 1;
  }
  if ((rc = process(p, &p->lb_ct, pkt, origin, now, &d))) return rc;
  put(&d, pkt, o, "host's");
  return 1;
}
