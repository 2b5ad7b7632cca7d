/* sim_walk.c: one packet's walk through the model, as DESIGN.md "The
 * model" draws it: the sender compartment's route lookup, its endpoint's
 * port and stages, the vSwitch, then a local endpoint, the host vNIC into
 * the host compartment, or the uplink NIC onto a segment, routers, and the
 * receiving host in reverse, until the packet arrives at an address of a
 * compartment or stops.
 *
 * A walk is a loop over steps, each a lookup (a route table or a hash
 * probe, never a scan); it records one trace hop per step and stage (and
 * formats text only then, or for a leg's end) and allocates nothing. It
 * returns to the caller only to cross a segment (the caller
 * waits the latency, as an event or in a sum) or when the leg ends.
 * Inside a host nothing takes time (inferred: host and vSwitch processing
 * is far below link latency). */
#include <stdio.h>
#include <string.h>
#include "sim_policy_int.h"

typedef enum walk_step { ST_SEND, ST_SWITCH, ST_WIRE, ST_NIC_IN, ST_ROUTER, ST_PORT_IN, ST_RECEIVE, ST_END } walk_step;

/* Where the packet is between steps. */
typedef struct walk_pos {
  uint32_t comp, iface, vswitch, from_port, rif;
  sim_ip nh;      /* the L2 next hop: the neighbour the frame is addressed to */
  int forwarded;  /* the host compartment forwards it (not its own packet) */
  int outer_nh;   /* nh is the underlay next hop of an encapsulated packet */
  int to_host;    /* an SDN route hands it to the host */
} walk_pos;

#define IFACE(net, i) NET_AT((net)->ifaces, net_iface, i)
#define COMP(net, c) NET_AT((net)->comps, net_comp, c)
#define HOSTN(net, h) (NET_AT((net)->hosts, net_host, h)->name)
#define VSW(net, v) NET_AT((net)->vswitches, net_vswitch, v)

static const char *ipstr(const sim_ip *ip, char buf[46]) {
  sim_ip_format(ip, buf);
  return buf;
}

static void hop_rec(net_walk *w, const char *host, const char *comp, const char *port, const char *stage,
                    const char *rule, sim_stage_verdict v, const sim_flow *before, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
static void hop_rec(net_walk *w, const char *host, const char *comp, const char *port, const char *stage,
                    const char *rule, sim_stage_verdict v, const sim_flow *before, const char *fmt, ...) {
  char reason[SIM_PROBE_REASON];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reason, sizeof(reason), fmt, ap);
  va_end(ap);
  sim_hop h = {w->now, w->leg, host, comp, port, stage, rule, reason, v, before ? *before : w->pkt.flow, w->pkt.flow};
  sim_trace_add(w->trace, &h);
}

/* Records a hop only when there is a trace, so a walk without one formats
 * nothing but its end. */
#define HOP(w, ...)                         \
  do {                                      \
    if ((w)->trace) hop_rec((w), __VA_ARGS__); \
  } while (0)

static walk_step end_walk(net_walk *w, net_walk_end e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static walk_step end_walk(net_walk *w, net_walk_end e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->reason, sizeof(w->reason), fmt, ap);
  va_end(ap);
  w->end = e;
  return ST_END;
}

/* The end of a leg at its destination: no reason, and nothing to format. */
static walk_step arrived(net_walk *w) {
  w->reason[0] = '\0';
  w->end = WALK_ARRIVED;
  return ST_END;
}

static void capture(net_walk *w, const char *host, const char *iface, const char *point) {
  if (!w->net->capture) return;
  sim_capture_place place = {host, iface, point, w->leg};
  w->net->capture(w->net->capture_ctx, w->now, &place, &w->pkt);
}

static int is_loopback(const sim_ip *ip) {
  static const uint8_t v6_loopback[16] = {[15] = 1};
  return (ip->family == 4 && ip->b[0] == 127) || (ip->family == 6 && !memcmp(ip->b, v6_loopback, 16));
}

/* 1 if ip is an address of compartment c; *iface is its interface, or
 * NET_NONE for loopback. */
static int is_local(const sim_net *net, uint32_t c, const sim_ip *ip, uint32_t *iface) {
  *iface = NET_NONE;
  return is_loopback(ip) || net_addr_get(net, SCOPE_LOCAL | c, ip, iface);
}

static int has_addr(const net_iface *f, const sim_ip *ip) {
  const sim_prefix *p = net_iface_addr(f, ip->family);
  return p && sim_ip_equal(&p->addr, ip);
}

/* The destination the underlay routes on: the provider address of an
 * encapsulated packet (its outer header), else the packet's own. */
static const sim_ip *fabric_dst(const net_walk *w) {
  return w->pkt.encapsulated ? &w->pkt.outer.dst : &w->pkt.flow.dst;
}

/* Runs a stage table; 1 if the packet goes on, 0 if the walk ended. */
static int run_stages(net_walk *w, const net_stages *t, const char *host, const char *comp, const char *network,
                      const char *port, sim_dir dir) {
  for (uint32_t k = 0; k < t->n; k++) {
    const net_stage *s = &t->v[k];
    sim_flow before = w->pkt.flow;
    sim_stage_decision d = {SIM_STAGE_PASS, NULL, 0};
    sim_stage_place place = {host, network, port, w->now};
    int rc = s->fn(s->state, &w->pkt, dir, &place, &d);
    const char *rule = d.rule ? d.rule : "";
    if (rc) {
      HOP(w, host, comp, port, s->name, rule, SIM_STAGE_DROP, &before, "failed: %s", sim_strerror(rc));
      end_walk(w, WALK_DROPPED, "stage %s failed at %s of host %s: %s", s->name, port, host, sim_strerror(rc));
      return 0;
    }
    if (d.verdict != SIM_STAGE_PASS && d.verdict != SIM_STAGE_DROP && d.verdict != SIM_STAGE_CONSUMED) {
      HOP(w, host, comp, port, s->name, rule, SIM_STAGE_DROP, &before, "returned verdict %d", (int)d.verdict);
      end_walk(w, WALK_DROPPED, "stage %s returned verdict %d at %s of host %s", s->name, (int)d.verdict, port, host);
      return 0;
    }
    HOP(w, host, comp, port, s->name, rule, d.verdict, &before, "%s %s%s", dir == SIM_DIR_IN ? "in" : "out",
        d.verdict == SIM_STAGE_PASS ? "pass" : d.verdict == SIM_STAGE_DROP ? "drop" : "consumed",
        d.translated ? ", translated" : "");
    if (d.verdict == SIM_STAGE_DROP) {
      end_walk(w, WALK_DROPPED, "dropped by stage %s%s%s at %s of host %s", s->name, rule[0] ? " rule " : "", rule,
               port, host);
      return 0;
    }
    if (d.verdict == SIM_STAGE_CONSUMED) {
      end_walk(w, WALK_DROPPED, "consumed by stage %s%s%s at %s of host %s", s->name, rule[0] ? " rule " : "", rule,
               port, host);
      return 0;
    }
  }
  return 1;
}

/* Makes a built-in stage's output empty, asking for its words when the walk
 * records hops (net_pol_out). Only the small fields are set: the text
 * arrays start as empty strings. */
static void pol_init(const net_walk *w, net_pol_out *o) {
  o->words = w->trace != NULL;
  o->verdict = SIM_STAGE_PASS;
  o->translated = 0;
  o->rule[0] = '\0';
  o->why[0] = '\0';
  o->to_host = 0;
  o->has_nh = 0;
  memset(&o->nh, 0, sizeof(o->nh));
}

/* Records a built-in policy stage's hop (sim_policy.h): rc is what the
 * stage returned (0: nothing configured there, no hop). 1 if the packet
 * goes on, 0 if the walk ended. */
static int builtin(net_walk *w, int rc, const net_pol_out *o, const sim_flow *before, const char *host,
                   const char *comp, const char *port, const char *stage) {
  if (rc == 0) return 1;
  if (rc < 0) {
    HOP(w, host, comp, port, stage, "", SIM_STAGE_DROP, before, "failed: %s", sim_strerror(rc));
    end_walk(w, WALK_DROPPED, "stage %s failed at %s of host %s: %s", stage, port, host, sim_strerror(rc));
    return 0;
  }
  HOP(w, host, comp, port, stage, o->rule, o->verdict, before, "%s%s", o->why, o->translated ? ", translated" : "");
  if (o->verdict == SIM_STAGE_PASS) return 1;
  end_walk(w, WALK_DROPPED, "dropped by stage %s%s%s at %s of host %s: %s", stage, o->rule[0] ? " rule " : "", o->rule,
           port, host, o->why);
  return 0;
}

/* The NAT direction of a stage on this leg: a reply makes no new
 * translation, it only takes its connection's (inferred: VFP and WinNAT
 * keep flow state, so the answer of a connection that came in
 * untranslated leaves untranslated, as the ACL stage lets it pass). */
static int nat_dir(const net_walk *w, int dir) { return w->leg == SIM_LEG_REPLY ? dir | SIM_NAT_TRACKED_ONLY : dir; }

/* The NAT stage where a packet of the host's stack leaves by a NIC
 * (WinNAT, sim_policy_nat.c). */
static int host_egress(net_walk *w, uint32_t h, const char *nic) {
  net_pol_out o;
  pol_init(w, &o);
  sim_flow before = w->pkt.flow;
  int rc = w->pkt.encapsulated ? 0 : net_pol_nat(w->net, h, nat_dir(w, SIM_NAT_OUTBOUND), &w->pkt, w->now, &o);
  return builtin(w, rc, &o, &before, HOSTN(w->net, h), SIM_HOST_COMPARTMENT, nic, "nat");
}

/* The LB and NAT stages where a packet enters the host from a NIC
 * (NodePort, port mappings, replies of translated connections). */
static int host_ingress(net_walk *w, uint32_t h, const char *nic) {
  const char *host = HOSTN(w->net, h);
  net_pol_out o;
  pol_init(w, &o);
  sim_flow before = w->pkt.flow;
  int rc = net_pol_lb(w->net, h, NET_NONE, LB_HOST_IN, &w->pkt, w->now, &o);
  if (!builtin(w, rc, &o, &before, host, SIM_HOST_COMPARTMENT, nic, "lb")) return 0;
  net_pol_out n;
  pol_init(w, &n);
  before = w->pkt.flow;
  rc = net_pol_nat(w->net, h, nat_dir(w, SIM_NAT_INBOUND), &w->pkt, w->now, &n);
  return builtin(w, rc, &n, &before, host, SIM_HOST_COMPARTMENT, nic, "nat");
}

static walk_step nic_out(net_walk *w, walk_pos *p, uint32_t nic) {
  sim_net *net = w->net;
  const net_iface *f = IFACE(net, nic);
  const char *host = HOSTN(net, f->host);
  const char *seg = NET_AT(net->segments, net_segment, f->segment)->name;
  if (!w->pkt.encapsulated) w->pkt.eth_src = f->mac;
  capture(w, host, f->name, "nic-out");
  HOP(w, host, "", f->name, "nic-out", "", SIM_STAGE_PASS, NULL, "onto segment %s", seg);
  w->segment = f->segment;
  /* An encapsulated packet goes to its provider address: through the
   * underlay next hop the encap stage found, or (encapsulated by a hook
   * stage) on-link (inferred). */
  w->nh = w->pkt.encapsulated && !p->outer_nh ? w->pkt.outer.dst : p->nh;
  return ST_WIRE;
}

static walk_step deliver_to_bridge_pod(net_walk *w, walk_pos *p, const net_iface *f) {
  sim_net *net = w->net;
  const char *host = HOSTN(net, f->host);
  char a[46];
  if (!sim_prefix_contains(&f->addr[0], &p->nh)) {
    HOP(w, host, SIM_HOST_COMPARTMENT, f->name, "bridge", "", SIM_STAGE_DROP, NULL, "no pod %s behind the bridge",
        ipstr(&p->nh, a));
    return end_walk(w, WALK_DROPPED, "no pod %s behind bridge %s of host %s", ipstr(&p->nh, a), f->name, host);
  }
  /* A Linux pod is the end of the walk: its namespace is not modelled and
   * answers every port (inferred). */
  HOP(w, host, SIM_HOST_COMPARTMENT, f->name, "bridge", "", SIM_STAGE_PASS, NULL, "to the pod %s",
      ipstr(&w->pkt.flow.dst, a));
  HOP(w, host, SIM_HOST_COMPARTMENT, f->name, "deliver", "", SIM_STAGE_PASS, NULL, "%s",
      w->leg == SIM_LEG_FORWARD ? "delivered to a pod behind the bridge" : "reply received");
  w->end_comp = p->comp;
  w->end_comp_serial = COMP(net, p->comp)->serial;
  return arrived(w);
}

static void note_sent(net_walk *w) {
  if (w->sent_set || w->leg != SIM_LEG_FORWARD) return;
  w->sent = w->pkt.flow;
  w->sent_set = 1;
}

/* The host's own packet meets the LB stage before its route lookup, so a
 * VIP translated to a backend is routed to the backend (sim_policy_lb.c);
 * so does a packet to its own address, which may be a NodePort. The source
 * is picked first, as the route lookup would. */
static int host_out_lb(net_walk *w, uint32_t ci) {
  sim_net *net = w->net;
  const net_comp *c = COMP(net, ci);
  const net_hpol *hp = NET_AT(net->hosts, net_host, c->host)->pol;
  if (!hp || !hp->lb || is_loopback(&w->pkt.flow.dst)) return 1;
  if (!w->pkt.flow.src.family) {
    sim_lpm_entry e;
    if (sim_lpm_lookup(c->routes, &w->pkt.flow.dst, &e)) return 1; /* the route step says why */
    const net_route *r = NET_AT(net->routes, net_route, (uint32_t)e.value);
    w->pkt.flow.src = net_iface_addr(IFACE(net, r->iface), w->pkt.flow.dst.family)->addr;
  }
  note_sent(w);
  net_pol_out o;
  pol_init(w, &o);
  sim_flow before = w->pkt.flow;
  int rc = net_pol_lb(net, c->host, NET_NONE, LB_HOST_OUT, &w->pkt, w->now, &o);
  return builtin(w, rc, &o, &before, HOSTN(net, c->host), c->name, "", "lb");
}

/* The ACL stage: it decides a probe's request; its reply passes as a
 * packet of a connection the rules allowed (inferred: VFP and the Windows
 * Firewall keep flow state, so a reply is not matched against the rules). */
static int acl_stage(net_walk *w, uint32_t port, sim_dir dir, const char *host, const char *comp) {
  net_pol_out o;
  pol_init(w, &o);
  int rc = net_pol_acl(w->net, port, dir, w->leg == SIM_LEG_REPLY, &w->pkt, &o);
  return builtin(w, rc, &o, NULL, host, comp, IFACE(w->net, port)->name, "acl");
}

/* The endpoint's built-in OUT stages in VFP layer order (sim_policy.h):
 * acl, sdn-route, then on VFP networks lb and nat. */
static int port_out_policies(net_walk *w, walk_pos *p, uint32_t port, const char *host, const char *comp) {
  sim_net *net = w->net;
  const net_iface *f = IFACE(net, port);
  sim_flow before = w->pkt.flow;
  net_pol_out r, l, n;
  pol_init(w, &r);
  pol_init(w, &l);
  pol_init(w, &n);
  if (!acl_stage(w, port, SIM_DIR_OUT, host, comp) ||
      !builtin(w, net_pol_route(net, port, &w->pkt, &r), &r, &before, host, comp, f->name, "sdn-route"))
    return 0;
  p->to_host = r.to_host;
  if (r.has_nh) p->nh = r.nh;
  if (!net_pol_vfp(VSW(net, f->vswitch)->type)) return 1;
  if (!builtin(w, net_pol_lb(net, f->host, port, LB_PORT_OUT, &w->pkt, w->now, &l), &l, &before, host, comp, f->name,
               "lb"))
    return 0;
  before = w->pkt.flow;
  return builtin(w, net_pol_nat(net, f->host, nat_dir(w, SIM_NAT_OUTBOUND), &w->pkt, w->now, &n), &n, &before, host, comp,
                 f->name, "nat");
}

/* In compartment p->comp, the packet is sent (or forwarded): local
 * delivery, or the route lookup and out of the route's interface. */
static walk_step do_send(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  const net_comp *c = COMP(net, p->comp);
  const char *host = HOSTN(net, c->host);
  sim_ip *dst = &w->pkt.flow.dst;
  char a[46], b[46];
  uint32_t li;
  if (!p->forwarded && p->comp == NET_AT(net->hosts, net_host, c->host)->comp && !host_out_lb(w, p->comp))
    return ST_END;
  /* A forwarded packet was found not local here just before (do_receive). */
  if (!p->forwarded && is_local(net, p->comp, dst, &li)) {
    if (!w->pkt.flow.src.family) w->pkt.flow.src = *dst;
    note_sent(w);
    HOP(w, host, c->name, li == NET_NONE ? "loopback" : IFACE(net, li)->name, "local", "", SIM_STAGE_PASS, NULL,
        "%s is an address of this compartment: the packet stays in it", ipstr(dst, a));
    p->iface = li;
    return ST_RECEIVE;
  }
  sim_lpm_entry e;
  if (sim_lpm_lookup(c->routes, dst, &e)) {
    HOP(w, host, c->name, "", "route", "", SIM_STAGE_DROP, NULL, "no route to %s", ipstr(dst, a));
    return end_walk(w, WALK_NO_ROUTE, "no route to %s in compartment %s of host %s", ipstr(dst, a), c->name, host);
  }
  const net_route *r = NET_AT(net->routes, net_route, (uint32_t)e.value);
  const net_iface *f = IFACE(net, r->iface);
  /* Route validation keeps an address of the destination's family on it. */
  if (!w->pkt.flow.src.family) w->pkt.flow.src = net_iface_addr(f, dst->family)->addr;
  note_sent(w);
  p->nh = r->nh.family ? r->nh : *dst;
  HOP(w, host, c->name, f->name, "route", r->id, SIM_STAGE_PASS, NULL, "to %s via %s dev %s", ipstr(dst, a),
      ipstr(&p->nh, b), f->name);
  switch (f->kind) {
  case IF_PORT: {
    const net_vswitch *vs = VSW(net, f->vswitch);
    w->pkt.eth_src = f->mac;
    capture(w, host, f->name, "port-out");
    HOP(w, host, c->name, f->name, "port-out", "", SIM_STAGE_PASS, NULL, "into network %s (%s)", vs->name,
        sim_net_type_name(vs->type));
    sim_ip before = *dst;
    if (!port_out_policies(w, p, r->iface, host, c->name) ||
        !run_stages(w, &f->stages[SIM_DIR_OUT], host, c->name, vs->name, f->name, SIM_DIR_OUT))
      return ST_END;
    /* A translated destination that is an endpoint of this network is
     * switched to it; any other keeps the routed next hop (inferred), and
     * an SDN route to the host no longer applies to it (inferred). */
    uint32_t port;
    if (!sim_ip_equal(&before, dst)) {
      p->to_host = 0;
      if (net_addr_get(net, SCOPE_VSPORT | f->vswitch, dst, &port)) p->nh = *dst;
    }
    p->vswitch = f->vswitch;
    p->from_port = r->iface;
    return ST_SWITCH;
  }
  case IF_VNIC:
    HOP(w, host, c->name, f->name, "host-vnic", "", SIM_STAGE_PASS, NULL, "into network %s",
        VSW(net, f->vswitch)->name);
    p->vswitch = f->vswitch;
    p->from_port = NET_NONE;
    return ST_SWITCH;
  case IF_NIC:
    if (f->vswitch == NET_NONE) return host_egress(w, c->host, f->name) ? nic_out(w, p, r->iface) : ST_END;
    /* The NIC is bound to an external vSwitch: the host's address lives on
     * its management vNIC, a port of that vSwitch (hns-api-facts.md §6). */
    HOP(w, host, c->name, f->name, "host-vnic", "", SIM_STAGE_PASS, NULL, "into network %s (management vNIC)",
        VSW(net, f->vswitch)->name);
    p->vswitch = f->vswitch;
    p->from_port = NET_NONE;
    return ST_SWITCH;
  case IF_BRIDGE: return deliver_to_bridge_pod(w, p, f);
  }
  return end_walk(w, WALK_DROPPED, "interface %s of host %s has no kind", f->name, host);
}

/* An SDN route with NeedEncap hands the packet to the host's stack, by
 * the network's host vNIC or the management vNIC of its uplink. */
static walk_step switch_to_host(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  const net_vswitch *vs = VSW(net, p->vswitch);
  const char *host = HOSTN(net, vs->host);
  p->to_host = 0;
  uint32_t in = vs->vnic != NET_NONE ? vs->vnic : vs->uplink;
  if (in == NET_NONE) {
    HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_DROP, NULL, "an SDN route to the host, and no way into it");
    return end_walk(w, WALK_DROPPED, "network %s of host %s has no host vNIC or uplink for an SDN route to the host",
                    vs->name, host);
  }
  HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_PASS, NULL, "to the host by %s (SDN route)",
      IFACE(net, in)->name);
  p->comp = NET_AT(net->hosts, net_host, vs->host)->comp;
  p->iface = in;
  return ST_RECEIVE;
}

/* The underlay next hop towards `dst` by the uplink of Overlay network
 * `vs`, as the host's own routes give it (the route must leave by the
 * uplink, or dst be on its subnet); -1 when there is none. */
static int underlay_nh(sim_net *net, const net_vswitch *vs, const sim_ip *dst, sim_ip *nh) {
  sim_lpm_entry e;
  const net_comp *hc = COMP(net, NET_AT(net->hosts, net_host, vs->host)->comp);
  if (!sim_lpm_lookup(hc->routes, dst, &e) && NET_AT(net->routes, net_route, (uint32_t)e.value)->iface == vs->uplink) {
    const net_route *r = NET_AT(net->routes, net_route, (uint32_t)e.value);
    *nh = r->nh.family ? r->nh : *dst;
    return 0;
  }
  if (!sim_prefix_contains(&IFACE(net, vs->uplink)->addr[0], dst)) return -1;
  *nh = *dst;
  return 0;
}

/* A packet of an Overlay endpoint to a remote endpoint: the hook's uplink
 * OUT stages, VXLAN encapsulation to the remote provider address, and the
 * uplink, towards the underlay next hop the host's routes give for that
 * address (sim_overlay.c). */
static walk_step overlay_out(net_walk *w, walk_pos *p, uint32_t entry) {
  sim_net *net = w->net;
  const net_vswitch *vs = VSW(net, p->vswitch);
  const net_iface *nic = IFACE(net, vs->uplink);
  const char *host = HOSTN(net, vs->host);
  char a[46];
  HOP(w, host, "", vs->name, "vswitch", VSW(net, p->vswitch)->ovl->rem[entry].id, SIM_STAGE_PASS, NULL,
      "to remote endpoint %s by uplink %s", ipstr(&w->pkt.flow.dst, a), nic->name);
  if (!run_stages(w, &vs->stages[SIM_DIR_OUT], host, "", vs->name, nic->name, SIM_DIR_OUT)) return ST_END;
  net_pol_out o;
  pol_init(w, &o);
  sim_flow before = w->pkt.flow;
  net_overlay_encap(net, p->vswitch, entry, &w->pkt, &o);
  builtin(w, 1, &o, &before, host, "", nic->name, "encap");
  const sim_ip *pa = &w->pkt.outer.dst;
  if (underlay_nh(net, vs, pa, &p->nh)) {
    HOP(w, host, "", nic->name, "encap", "", SIM_STAGE_DROP, NULL, "no route to provider address %s by %s",
        ipstr(pa, a), nic->name);
    return end_walk(w, WALK_NO_ROUTE, "no route to provider address %s by uplink %s of host %s", ipstr(pa, a),
                    nic->name, host);
  }
  p->outer_nh = 1;
  return nic_out(w, p, vs->uplink);
}

/* An Overlay endpoint's packet to no remote endpoint (after OutBoundNAT,
 * the host's address is its source): the distributed router hands it to
 * the underlay unencapsulated, with the host's MAC, towards the next hop
 * the host's routes give (hns-api-facts.md §6: on WS2019+ overlay
 * "outbound uses VFP NAT rules"; that it then leaves as the host's
 * traffic, by the host's routes, is inferred). */
static walk_step overlay_underlay_out(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  const net_vswitch *vs = VSW(net, p->vswitch);
  const net_iface *nic = IFACE(net, vs->uplink);
  const char *host = HOSTN(net, vs->host);
  char a[46], m1[18], m2[18];
  if (underlay_nh(net, vs, &w->pkt.flow.dst, &p->nh)) {
    HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_DROP, NULL, "no underlay route to %s by %s",
        ipstr(&w->pkt.flow.dst, a), nic->name);
    return end_walk(w, WALK_NO_ROUTE, "no underlay route to %s by uplink %s of host %s", ipstr(&w->pkt.flow.dst, a),
                    nic->name, host);
  }
  HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_PASS, NULL, "to uplink %s, unencapsulated, via %s", nic->name,
      ipstr(&p->nh, a));
  sim_mac old = w->pkt.eth_src;
  w->pkt.eth_src = nic->mac;
  HOP(w, host, "", vs->name, "mac-rewrite", "", SIM_STAGE_PASS, NULL, "source MAC %s -> %s (the host's)",
      (sim_mac_format(&old, m1), m1), (sim_mac_format(&nic->mac, m2), m2));
  if (!run_stages(w, &vs->stages[SIM_DIR_OUT], host, "", vs->name, nic->name, SIM_DIR_OUT)) return ST_END;
  return nic_out(w, p, vs->uplink);
}

/* The vSwitch p->vswitch switches a frame addressed to p->nh, coming from
 * endpoint p->from_port or from the host side (NET_NONE). */
static walk_step do_switch(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  const net_vswitch *vs = VSW(net, p->vswitch);
  const char *host = HOSTN(net, vs->host);
  char a[46], m1[18], m2[18];
  uint32_t port, entry;
  if (p->to_host) return switch_to_host(w, p);
  /* L2Tunnel hair-pins all endpoint traffic to the physical host
   * (hns-api-facts.md §6): even a local endpoint is reached by the wire. */
  int hairpin = vs->type == SIM_NET_L2TUNNEL && p->from_port != NET_NONE;
  if (hairpin)
    HOP(w, host, "", vs->name, "hairpin", "", SIM_STAGE_PASS, NULL,
        "L2Tunnel: to the physical host by the wire, where its SDN policy applies");
  if (!hairpin && net_addr_get(net, SCOPE_VSPORT | p->vswitch, &p->nh, &port)) {
    /* Back to the port it came from: a load balancer or NAT rule made the
     * sender its own destination (a service whose backend is the sender,
     * consumers P8); VFP returns it to that port (inferred). */
    if (port == p->from_port)
      HOP(w, host, "", vs->name, "hairpin", "", SIM_STAGE_PASS, NULL, "back to endpoint %s, its sender",
          IFACE(net, port)->name);
    else
      HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_PASS, NULL, "to endpoint %s", IFACE(net, port)->name);
    p->iface = port;
    return ST_PORT_IN;
  }
  /* An Overlay endpoint's packet to a remote endpoint is encapsulated,
   * whatever its routed next hop (the gateway, on-link). */
  if (p->from_port != NET_NONE && net_overlay_find(net, p->vswitch, &w->pkt.flow.dst, &entry))
    return overlay_out(w, p, entry);
  if (p->from_port != NET_NONE && vs->vnic != NET_NONE && has_addr(IFACE(net, vs->vnic), &p->nh)) {
    HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_PASS, NULL, "to host vNIC %s", IFACE(net, vs->vnic)->name);
    p->comp = NET_AT(net->hosts, net_host, vs->host)->comp;
    p->iface = vs->vnic;
    return ST_RECEIVE;
  }
  if (p->from_port != NET_NONE && vs->uplink != NET_NONE && has_addr(IFACE(net, vs->uplink), &p->nh)) {
    HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_PASS, NULL, "to the host's management vNIC of %s",
        IFACE(net, vs->uplink)->name);
    p->comp = NET_AT(net->hosts, net_host, vs->host)->comp;
    p->iface = vs->uplink;
    return ST_RECEIVE;
  }
  if (vs->uplink == NET_NONE) {
    HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_DROP, NULL, "no endpoint or host vNIC has %s",
        ipstr(&p->nh, a));
    return end_walk(w, WALK_DROPPED, "no endpoint or host vNIC has %s on network %s of host %s", ipstr(&p->nh, a),
                    vs->name, host);
  }
  const net_iface *nic = IFACE(net, vs->uplink);
  if (p->from_port != NET_NONE && vs->type == SIM_NET_OVERLAY) return overlay_underlay_out(w, p);
  HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_PASS, NULL, "to uplink %s", nic->name);
  if (p->from_port != NET_NONE && (vs->type == SIM_NET_L2BRIDGE || vs->type == SIM_NET_L2TUNNEL)) {
    /* L2Bridge: container traffic leaves with the host's MAC
     * (hns-api-facts.md §6, "L2 address translation"). */
    sim_mac old = w->pkt.eth_src;
    w->pkt.eth_src = nic->mac;
    HOP(w, host, "", vs->name, "mac-rewrite", "", SIM_STAGE_PASS, NULL, "source MAC %s -> %s (the host's)",
        (sim_mac_format(&old, m1), m1), (sim_mac_format(&nic->mac, m2), m2));
  }
  if (p->from_port == NET_NONE && !host_egress(w, vs->host, nic->name)) return ST_END;
  if (!run_stages(w, &vs->stages[SIM_DIR_OUT], host, "", vs->name, nic->name, SIM_DIR_OUT)) return ST_END;
  return nic_out(w, p, vs->uplink);
}

/* A frame arrives from a segment at NIC p->iface, addressed to p->nh. */
static walk_step do_nic_in(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  const net_iface *nic = IFACE(net, p->iface);
  const char *host = HOSTN(net, nic->host);
  uint32_t host_comp = NET_AT(net->hosts, net_host, nic->host)->comp;
  char m1[18], m2[18];
  capture(w, host, nic->name, "nic-in");
  HOP(w, host, "", nic->name, "nic-in", "", SIM_STAGE_PASS, NULL, "from segment %s",
      NET_AT(net->segments, net_segment, nic->segment)->name);
  p->comp = host_comp;
  if (nic->vswitch == NET_NONE) return host_ingress(w, nic->host, nic->name) ? ST_RECEIVE : ST_END;
  const net_vswitch *vs = VSW(net, nic->vswitch);
  int was_encapsulated = w->pkt.encapsulated;
  net_pol_out o;
  pol_init(w, &o);
  sim_flow before = w->pkt.flow;
  if (!builtin(w, net_overlay_decap(net, nic->vswitch, &w->pkt, &o), &o, &before, host, "", nic->name, "decap") ||
      !run_stages(w, &vs->stages[SIM_DIR_IN], host, "", vs->name, nic->name, SIM_DIR_IN))
    return ST_END;
  if (w->pkt.encapsulated) {
    HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_DROP, NULL, "encapsulated, and no stage decapsulated it");
    return end_walk(w, WALK_DROPPED, "an encapsulated packet reached network %s of host %s and no stage decapsulated it",
                    vs->name, host);
  }
  /* A frame for an endpoint: Transparent frames carry the container's own
   * MAC (found by the next hop); L2Bridge and L2Tunnel frames carry the
   * host's MAC, which the vSwitch rewrites to the endpoint's on the way in
   * (§6); a decapsulated packet is switched on its inner destination. */
  sim_ip dst_before = w->pkt.flow.dst;
  if (!host_ingress(w, nic->host, nic->name)) return ST_END;
  /* A destination the ingress stages translated is switched on, as a
   * decapsulated one is. */
  int moved = !sim_ip_equal(&dst_before, &w->pkt.flow.dst);
  uint32_t port;
  int l2_rewrite = vs->type == SIM_NET_L2BRIDGE || vs->type == SIM_NET_L2TUNNEL;
  if ((!moved && net_addr_get(net, SCOPE_VSPORT | nic->vswitch, &p->nh, &port)) ||
      ((l2_rewrite || was_encapsulated || moved) &&
       net_addr_get(net, SCOPE_VSPORT | nic->vswitch, &w->pkt.flow.dst, &port))) {
    const net_iface *f = IFACE(net, port);
    HOP(w, host, "", vs->name, "vswitch", "", SIM_STAGE_PASS, NULL, "to endpoint %s", f->name);
    if (l2_rewrite && !was_encapsulated) {
      sim_mac old = w->pkt.eth_dst;
      w->pkt.eth_dst = f->mac;
      HOP(w, host, "", vs->name, "mac-rewrite", "", SIM_STAGE_PASS, NULL, "destination MAC %s -> %s (the endpoint's)",
          (sim_mac_format(&old, m1), m1), (sim_mac_format(&f->mac, m2), m2));
    }
    p->iface = port;
    return ST_PORT_IN;
  }
  HOP(w, host, SIM_HOST_COMPARTMENT, nic->name, "host-vnic", "", SIM_STAGE_PASS, NULL,
      "from network %s to the host (management vNIC)", vs->name);
  return ST_RECEIVE;
}

static walk_step do_port_in(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  net_iface *f = IFACE(net, p->iface);
  const char *host = HOSTN(net, f->host);
  const char *comp = f->comp == NET_NONE ? "" : COMP(net, f->comp)->name;
  const char *network = VSW(net, f->vswitch)->name;
  if (!run_stages(w, &f->stages[SIM_DIR_IN], host, comp, network, f->name, SIM_DIR_IN)) return ST_END;
  /* The built-in IN stages, the reverse of OUT's order: a DSR reply gets
   * its VIP back at the client's port, then the ACLs. */
  net_pol_out l;
  pol_init(w, &l);
  sim_flow before = w->pkt.flow;
  int rc = net_pol_vfp(VSW(net, f->vswitch)->type) ? net_pol_lb(net, f->host, p->iface, LB_PORT_IN, &w->pkt, w->now, &l)
                                                   : 0;
  if (!builtin(w, rc, &l, &before, host, comp, f->name, "lb") || !acl_stage(w, p->iface, SIM_DIR_IN, host, comp))
    return ST_END;
  w->pkt.eth_dst = f->mac;
  capture(w, host, f->name, "port-in");
  if (f->comp == NET_NONE) {
    HOP(w, host, "", f->name, "port-in", "", SIM_STAGE_DROP, NULL, "the endpoint is not attached");
    return end_walk(w, WALK_DROPPED, "endpoint %s of host %s is not attached to a compartment", f->name, host);
  }
  HOP(w, host, comp, f->name, "port-in", "", SIM_STAGE_PASS, NULL, "from network %s", network);
  p->comp = f->comp;
  return ST_RECEIVE;
}

static int accepts(const net_comp *c, uint8_t proto, uint16_t port) {
  if ((proto != SIM_IPPROTO_TCP && proto != SIM_IPPROTO_UDP) || !c->nlisten) return 1;
  uint32_t key = (uint32_t)proto << 16 | port, lo = 0, hi = c->nlisten;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (c->listen[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->nlisten && c->listen[lo] == key;
}

/* The packet is in compartment p->comp, arrived by p->iface. */
static walk_step do_receive(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  const net_comp *c = COMP(net, p->comp);
  const net_host *h = NET_AT(net->hosts, net_host, c->host);
  const sim_flow *fl = &w->pkt.flow;
  const char *at = p->iface == NET_NONE ? "loopback" : IFACE(net, p->iface)->name;
  char a[46], proto[8];
  uint32_t li;
  if (is_local(net, p->comp, &fl->dst, &li)) {
    w->end_comp = p->comp;
    w->end_comp_serial = c->serial;
    if (w->leg == SIM_LEG_FORWARD && !accepts(c, fl->proto, fl->dport)) {
      sim_proto_name(fl->proto, proto);
      HOP(w, h->name, c->name, at, "refuse", "", SIM_STAGE_DROP, NULL, "nothing listens on %s port %u", proto,
          (unsigned)fl->dport);
      return end_walk(w, WALK_REFUSED, "nothing listens on %s port %u in compartment %s of host %s", proto,
                      (unsigned)fl->dport, c->name, h->name);
    }
    HOP(w, h->name, c->name, at, "deliver", "", SIM_STAGE_PASS, NULL, "%s",
        w->leg == SIM_LEG_FORWARD ? "delivered" : "reply received");
    return arrived(w);
  }
  if (p->comp != h->comp) {
    HOP(w, h->name, c->name, at, "deliver", "", SIM_STAGE_DROP, NULL, "%s is not an address of this compartment",
        ipstr(&fl->dst, a));
    /* A container compartment does not route for others (inferred). */
    return end_walk(w, WALK_DROPPED, "%s is not an address of compartment %s of host %s, which does not forward",
                    ipstr(&fl->dst, a), c->name, h->name);
  }
  if (w->pkt.ttl <= 1) {
    HOP(w, h->name, c->name, at, "forward", "", SIM_STAGE_DROP, NULL, "TTL exceeded");
    return end_walk(w, WALK_DROPPED, "TTL exceeded at host %s", h->name);
  }
  w->pkt.ttl--;
  HOP(w, h->name, c->name, at, "forward", "", SIM_STAGE_PASS, NULL, "%s is not the host's: forwarded",
      ipstr(&fl->dst, a));
  p->forwarded = 1;
  return ST_SEND;
}

/* On a cloud segment (sim_net_segment_set_cloud): whether the cloud itself
 * delivers to neighbour `v`: a router interface, a NIC, or an endpoint of
 * an L2Tunnel network; not a Transparent or L2Bridge endpoint. */
static int cloud_knows(const sim_net *net, uint32_t v) {
  if (v & NEIGH_RIF) return 1;
  const net_iface *f = IFACE(net, v);
  return f->kind != IF_PORT || VSW(net, f->vswitch)->type == SIM_NET_L2TUNNEL;
}

/* The first router interface (in creation order) on segment `seg`, or
 * NET_NONE; a cloud segment has few, and this runs only for a frame the
 * cloud must route. */
static uint32_t cloud_router(const sim_net *net, uint32_t seg) {
  for (uint32_t i = 0; i < net->rifs.n; i++)
    if (net->rifs.used[i] && NET_AT(net->rifs, net_rif, i)->segment == seg) return i;
  return NET_NONE;
}

static walk_step do_router(net_walk *w, walk_pos *p) {
  sim_net *net = w->net;
  const net_rif *in = NET_AT(net->rifs, net_rif, p->rif);
  const net_router *r = NET_AT(net->routers, net_router, in->router);
  const sim_ip *dst = fabric_dst(w);
  char a[46], b[46];
  capture(w, r->name, in->name, "router");
  if (w->pkt.ttl <= 1) {
    HOP(w, r->name, "", in->name, "router", "", SIM_STAGE_DROP, NULL, "TTL exceeded");
    return end_walk(w, WALK_DROPPED, "TTL exceeded at router %s", r->name);
  }
  sim_lpm_entry e;
  if (sim_lpm_lookup(r->routes, dst, &e)) {
    HOP(w, r->name, "", in->name, "router", "", SIM_STAGE_DROP, NULL, "no route to %s", ipstr(dst, a));
    return end_walk(w, WALK_NO_ROUTE, "no route to %s at router %s", ipstr(dst, a), r->name);
  }
  const net_rroute *rr = NET_AT(net->rroutes, net_rroute, (uint32_t)e.value);
  const net_rif *out = NET_AT(net->rifs, net_rif, rr->rif);
  w->pkt.ttl--;
  w->segment = out->segment;
  w->nh = rr->nh.family ? rr->nh : *dst;
  /* The cloud's own router hands a frame only to an address the cloud
   * knows; anything else would come straight back to it. */
  const net_segment *os = NET_AT(net->segments, net_segment, out->segment);
  uint32_t v;
  if (os->cloud && (!net_addr_get(net, SCOPE_NEIGH | out->segment, &w->nh, &v) || !cloud_knows(net, v))) {
    HOP(w, r->name, "", out->name, "router", rr->id, SIM_STAGE_DROP, NULL, "cloud subnet %s: no NIC has %s",
        os->name, ipstr(&w->nh, b));
    return end_walk(w, WALK_DROPPED, "cloud subnet %s has no NIC with %s (router %s)", os->name, ipstr(&w->nh, b),
                    r->name);
  }
  HOP(w, r->name, "", out->name, "router", rr->id, SIM_STAGE_PASS, NULL, "to %s via %s dev %s", ipstr(dst, a),
      ipstr(&w->nh, b), out->name);
  return ST_WIRE;
}

/* Leaves on segment w->segment towards w->nh: 1 in flight, 0 lost. */
static int depart(net_walk *w) {
  net_segment *s = NET_AT(w->net->segments, net_segment, w->segment);
  if (s->loss > 0.0 && (s->loss >= 1.0 || sim_rng_uniform(&s->rng) < s->loss)) {
    HOP(w, "", "", s->name, "segment", "", SIM_STAGE_DROP, NULL, "lost (loss %g)", s->loss);
    end_walk(w, WALK_LOST, "lost on segment %s", s->name);
    return 0;
  }
  w->delay = s->latency;
  return 1;
}

static int run(net_walk *w, walk_pos *p, walk_step st) {
  for (;;) {
    switch (st) {
    case ST_SEND: st = do_send(w, p); break;
    case ST_SWITCH: st = do_switch(w, p); break;
    case ST_NIC_IN: st = do_nic_in(w, p); break;
    case ST_ROUTER: st = do_router(w, p); break;
    case ST_PORT_IN: st = do_port_in(w, p); break;
    case ST_RECEIVE: st = do_receive(w, p); break;
    case ST_WIRE: return depart(w);
    case ST_END: return 0;
    }
  }
}

static const walk_pos no_pos = {NET_NONE, NET_NONE, NET_NONE, NET_NONE, NET_NONE, {0, {0}}, 0, 0, 0};

int net_walk_send(net_walk *w, uint32_t c) {
  walk_pos p = no_pos;
  p.comp = c;
  return run(w, &p, ST_SEND);
}

int net_walk_arrive(net_walk *w) {
  sim_net *net = w->net;
  const net_segment *s = NET_AT(net->segments, net_segment, w->segment);
  char a[46];
  walk_pos p = no_pos;
  p.nh = w->nh;
  uint32_t v;
  int known = net_addr_get(net, SCOPE_NEIGH | w->segment, &w->nh, &v);
  if (s->cloud && (!known || !cloud_knows(net, v))) {
    uint32_t rif = cloud_router(net, w->segment);
    if (rif != NET_NONE) {
      HOP(w, "", "", s->name, "segment", "", SIM_STAGE_PASS, NULL, "cloud: %s is no NIC's here; to router %s",
          ipstr(&w->nh, a), NET_AT(net->routers, net_router, NET_AT(net->rifs, net_rif, rif)->router)->name);
      p.rif = rif;
      return run(w, &p, ST_ROUTER);
    }
    known = 0;
  }
  if (!known) {
    HOP(w, "", "", s->name, "segment", "", SIM_STAGE_DROP, NULL, "nobody answers for %s", ipstr(&w->nh, a));
    end_walk(w, WALK_DROPPED, "no host or router has %s on segment %s", ipstr(&w->nh, a), s->name);
    return 0;
  }
  HOP(w, "", "", s->name, "segment", "", SIM_STAGE_PASS, NULL, "to %s", ipstr(&w->nh, a));
  if (v & NEIGH_RIF) {
    p.rif = v & ~NEIGH_RIF;
    return run(w, &p, ST_ROUTER);
  }
  const net_iface *f = IFACE(net, v);
  /* An endpoint on the underlay is reached through its network's uplink,
   * under its own MAC (Transparent) or the host's (L2Bridge, L2Tunnel:
   * hns-api-facts.md §6). */
  p.iface = f->kind == IF_PORT ? VSW(net, f->vswitch)->uplink : v;
  int own_mac = f->kind == IF_NIC || VSW(net, f->vswitch)->type == SIM_NET_TRANSPARENT;
  if (w->pkt.encapsulated) w->pkt.outer.eth_dst = IFACE(net, p.iface)->mac;
  else w->pkt.eth_dst = own_mac ? f->mac : IFACE(net, p.iface)->mac;
  return run(w, &p, ST_NIC_IN);
}
