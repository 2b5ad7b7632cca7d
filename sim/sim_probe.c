/* sim_probe.c: probes: a request leg and, when it arrives, a reply leg,
 * each a walk (sim_walk.c), driven either at once (sim_probe_run) or as
 * events (sim_probe_start). Both drivers share leg_end and the deadline
 * rule, so they give the same result: a crossing that would land after
 * started + timeout, or a loss, makes the probe time out at the deadline.
 * Invariant: a started probe is freed exactly once, by its completion
 * event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_net_int.h"

const char *sim_probe_verdict_name(sim_probe_verdict v) {
  switch (v) {
  case SIM_PROBE_DELIVERED: return "delivered";
  case SIM_PROBE_DROPPED: return "dropped";
  case SIM_PROBE_NO_ROUTE: return "no route";
  case SIM_PROBE_REFUSED: return "refused";
  case SIM_PROBE_TIMED_OUT: return "timed out";
  }
  return "";
}

typedef struct probe {
  sim_net *net;
  net_walk w;
  sim_probe_result r;
  uint32_t origin;
  uint64_t origin_serial;
  sim_time deadline;
  sim_probe_done_fn done;
  void *ctx;
} probe;

static int spec_ok(sim_net *net, const sim_probe_spec *s, uint32_t *comp, sim_ip *src) {
  uint32_t h, i;
  char a[46];
  if (!s) return net_fail(net, SIM_E_INVAL, "spec: NULL");
  int rc = net_find_host(net, s->host, &h);
  if (rc) return rc;
  if (s->from_port && s->from_compartment)
    return net_fail(net, SIM_E_INVAL, "from_port \"%s\" and from_compartment \"%s\": give one", s->from_port,
                    s->from_compartment);
  if (s->dst.family != 4 && s->dst.family != 6)
    return net_fail(net, SIM_E_INVAL, "dst: family %u is not 4 or 6", (unsigned)s->dst.family);
  int icmp = s->dst.family == 4 ? SIM_IPPROTO_ICMP : SIM_IPPROTO_ICMPV6;
  if (s->proto != SIM_IPPROTO_TCP && s->proto != SIM_IPPROTO_UDP && s->proto != icmp)
    return net_fail(net, SIM_E_INVAL, "proto %u: not TCP (6), UDP (17) or ICMP for IPv%u (%d)", (unsigned)s->proto,
                    (unsigned)s->dst.family, icmp);
  if (s->timeout < 0) return net_fail(net, SIM_E_INVAL, "timeout %lld: negative", (long long)s->timeout);
  memset(src, 0, sizeof(*src));
  *comp = NET_AT(net->hosts, net_host, h)->comp;
  if (s->from_compartment)
    return net_find_on_host(net, h, SCOPE_COMP, s->from_compartment, "from_compartment", "compartment", comp);
  if (!s->from_port) return SIM_OK;
  if ((rc = net_find_on_host(net, h, SCOPE_IFACE, s->from_port, "from_port", "endpoint", &i))) return rc;
  const net_iface *f = NET_AT(net->ifaces, net_iface, i);
  if (f->kind != IF_PORT) return net_fail(net, SIM_E_INVAL, "from_port \"%s\": not an endpoint", s->from_port);
  if (f->comp == NET_NONE) return net_fail(net, SIM_E_INVAL, "from_port \"%s\": not attached", s->from_port);
  const sim_prefix *addr = net_iface_addr(f, s->dst.family);
  if (!addr)
    return net_fail(net, SIM_E_INVAL, "from_port \"%s\": no IPv%u address to reach %s", s->from_port,
                    (unsigned)s->dst.family, (sim_ip_format(&s->dst, a), a));
  *comp = f->comp;
  *src = addr->addr;
  return SIM_OK;
}

static void set_icmp_echo(sim_packet *pkt, int reply) {
  if (pkt->flow.dst.family == 4) pkt->icmp_type = reply ? 0 : 8; /* RFC 792 */
  else pkt->icmp_type = reply ? 129 : 128;                       /* RFC 4443 */
  pkt->icmp_code = 0;
}

static int probe_init(sim_net *net, const sim_probe_spec *s, sim_trace *trace, probe *pr) {
  uint32_t comp;
  sim_ip src;
  int rc = spec_ok(net, s, &comp, &src);
  if (rc) return rc;
  memset(pr, 0, sizeof(*pr));
  pr->net = net;
  pr->origin = comp;
  pr->origin_serial = NET_AT(net->comps, net_comp, comp)->serial;
  net_walk *w = &pr->w;
  w->net = net;
  w->trace = trace;
  w->leg = SIM_LEG_FORWARD;
  w->now = sim_now(net->world);
  sim_packet *pkt = &w->pkt;
  pkt->id = net->next_probe++;
  pkt->ttl = NET_TTL;
  pkt->flow.src = src;
  pkt->flow.dst = s->dst;
  pkt->flow.proto = s->proto;
  pkt->flow.sport = s->sport ? s->sport : SIM_PROBE_DEFAULT_SPORT;
  if (s->proto == SIM_IPPROTO_TCP || s->proto == SIM_IPPROTO_UDP) pkt->flow.dport = s->dport;
  if (s->proto == SIM_IPPROTO_TCP) pkt->tcp_flags = SIM_TCP_SYN;
  else if (s->proto != SIM_IPPROTO_UDP) set_icmp_echo(pkt, 0);
  pr->r.id = pkt->id;
  pr->r.started = w->now;
  pr->deadline = w->now + (s->timeout ? s->timeout : SIM_PROBE_DEFAULT_TIMEOUT);
  sim_trace_reset(trace);
  return net_ok(net);
}

static void set_verdict(probe *pr, sim_probe_verdict v) {
  pr->r.verdict = v;
  pr->r.leg = pr->w.leg;
  memcpy(pr->r.reason, pr->w.reason, strlen(pr->w.reason) + 1); /* both are SIM_PROBE_REASON bytes */
}

static void time_out(probe *pr, const char *why) {
  pr->r.verdict = SIM_PROBE_TIMED_OUT;
  pr->r.leg = pr->w.leg;
  snprintf(pr->r.reason, sizeof(pr->r.reason), "%s", why);
  pr->r.finished = pr->deadline;
}

/* Builds the receiver's answer to what it received (a SYN-ACK or RST, the
 * UDP answer or an ICMP port unreachable, kept as the reversed UDP flow,
 * an echo reply) and starts it from the receiver's compartment. */
static int start_reply(probe *pr, int refused) {
  net_walk *w = &pr->w;
  sim_packet *pkt = &w->pkt;
  sim_flow received = pkt->flow;
  sim_flow_reverse(&received, &pkt->flow);
  sim_mac mac = pkt->eth_src;
  pkt->eth_src = pkt->eth_dst;
  pkt->eth_dst = mac;
  pkt->ttl = NET_TTL;
  pkt->encapsulated = 0;
  if (received.proto == SIM_IPPROTO_TCP) {
    pkt->tcp_flags = refused ? (SIM_TCP_RST | SIM_TCP_ACK) : (SIM_TCP_SYN | SIM_TCP_ACK);
  } else if (received.proto == SIM_IPPROTO_UDP) {
    if (refused) { /* port unreachable: RFC 792 type 3 code 3, RFC 4443 type 1 code 4 */
      pkt->icmp_type = received.dst.family == 4 ? 3 : 1;
      pkt->icmp_code = received.dst.family == 4 ? 3 : 4;
    }
  } else {
    set_icmp_echo(pkt, 1);
  }
  w->leg = SIM_LEG_REPLY;
  return net_walk_send(w, w->end_comp);
}

/* 1 when `reply` is the request's 5-tuple reversed: only then does the
 * sender's TCP/UDP socket or ICMP echo take it (a translation the reply
 * leg missed would show here). */
static int answers(const sim_flow *request, const sim_flow *reply) {
  sim_flow want;
  sim_flow_reverse(request, &want);
  return sim_flow_equal(&want, reply);
}

/* 1 when the request came back to its sender still carrying the sender's
 * own address as its source (a load balancer chose the sender itself and
 * only rewrote the destination): its answer is then to the sender's own
 * address and never leaves the sender's stack, so nothing gives the VIP
 * back (calico#5522). */
static int hairpinned(const sim_probe_result *r) {
  return sim_ip_equal(&r->received.src, &r->sent.src) && sim_ip_equal(&r->received.dst, &r->sent.src);
}

#define HAIRPIN_HINT                                                                                   \
  ": a hairpin, the service chose the sender and the request kept the sender's address, so the answer " \
  "never left its stack to get the VIP back (DSR needs loopback DSR, calico#5522)"

/* Decides what the end of a leg means. Returns 1 when a reply leg has
 * started (*in_flight tells whether it is on a segment), 0 when the probe
 * is complete. */
static int leg_end(probe *pr, int *in_flight) {
  net_walk *w = &pr->w;
  switch (w->end) {
  case WALK_ARRIVED:
  case WALK_REFUSED:
    if (w->leg == SIM_LEG_FORWARD) {
      pr->r.reached = 1;
      pr->r.received = w->pkt.flow;
      set_verdict(pr, w->end == WALK_ARRIVED ? SIM_PROBE_DELIVERED : SIM_PROBE_REFUSED);
      pr->r.leg = SIM_LEG_FORWARD;
      *in_flight = start_reply(pr, w->end == WALK_REFUSED);
      return 1;
    }
    if (w->end_comp != pr->origin || w->end_comp_serial != pr->origin_serial) {
      const net_comp *c = NET_AT(pr->net->comps, net_comp, w->end_comp);
      pr->r.verdict = SIM_PROBE_DROPPED;
      pr->r.leg = SIM_LEG_REPLY;
      snprintf(pr->r.reason, sizeof(pr->r.reason), "the reply reached compartment %s of host %s, not the sender",
               c->name, NET_AT(pr->net->hosts, net_host, c->host)->name);
    } else if (!answers(&pr->r.sent, &w->pkt.flow)) {
      char got[SIM_FLOW_TEXT], sent[SIM_FLOW_TEXT];
      pr->r.verdict = SIM_PROBE_DROPPED;
      pr->r.leg = SIM_LEG_REPLY;
      pr->r.reply_received = w->pkt.flow;
      snprintf(pr->r.reason, sizeof(pr->r.reason),
               "the reply %.90s does not answer the request %.90s, so the sender's stack drops it%s",
               (sim_flow_format(&w->pkt.flow, got), got), (sim_flow_format(&pr->r.sent, sent), sent),
               hairpinned(&pr->r) ? HAIRPIN_HINT : "");
    } else {
      pr->r.replied = 1;
      pr->r.reply_received = w->pkt.flow;
    }
    break;
  case WALK_DROPPED: set_verdict(pr, SIM_PROBE_DROPPED); break;
  case WALK_NO_ROUTE: set_verdict(pr, SIM_PROBE_NO_ROUTE); break;
  case WALK_LOST: time_out(pr, w->reason); return 0;
  }
  pr->r.finished = w->now;
  return 0;
}

static void late(probe *pr) {
  char why[SIM_PROBE_REASON];
  snprintf(why, sizeof(why), "no %s within %lld ns", pr->w.leg == SIM_LEG_FORWARD ? "arrival" : "reply",
           (long long)(pr->deadline - pr->r.started));
  time_out(pr, why);
}

int sim_probe_run(sim_net *net, const sim_probe_spec *spec, sim_trace *trace, sim_probe_result *out) {
  if (!net) return SIM_E_INVAL;
  if (!out) return net_fail(net, SIM_E_INVAL, "out: NULL");
  probe pr;
  int rc = probe_init(net, spec, trace, &pr);
  if (rc) return rc;
  int in_flight = net_walk_send(&pr.w, pr.origin);
  pr.r.sent = pr.w.sent_set ? pr.w.sent : pr.w.pkt.flow;
  for (;;) {
    while (in_flight) {
      if (pr.w.delay > pr.deadline - pr.w.now) {
        late(&pr);
        *out = pr.r;
        return SIM_OK;
      }
      pr.w.now += pr.w.delay;
      in_flight = net_walk_arrive(&pr.w);
    }
    if (!leg_end(&pr, &in_flight)) break;
  }
  *out = pr.r;
  return SIM_OK;
}

static void probe_complete(sim_world *world, void *arg) {
  (void)world;
  probe *pr = arg;
  pr->done(pr->ctx, &pr->r);
  free(pr);
}

static void probe_arrive(sim_world *world, void *arg);

/* Goes on until the probe needs to wait; schedules the next crossing or
 * the completion. */
static void advance(probe *pr, int in_flight) {
  sim_world *world = pr->net->world;
  for (;;) {
    if (in_flight) {
      if (pr->w.delay > pr->deadline - pr->w.now) {
        late(pr);
        break;
      }
      if (sim_schedule_at(world, pr->w.now + pr->w.delay, probe_arrive, pr, NULL) == SIM_OK) return;
      late(pr); /* the queue is full: nothing more can happen for it */
      break;
    }
    if (!leg_end(pr, &in_flight)) break;
  }
  if (sim_schedule_at(world, pr->r.finished, probe_complete, pr, NULL) != SIM_OK) probe_complete(world, pr);
}

static void probe_arrive(sim_world *world, void *arg) {
  probe *pr = arg;
  pr->w.now = sim_now(world);
  advance(pr, net_walk_arrive(&pr->w));
}

int sim_probe_start(sim_net *net, const sim_probe_spec *spec, sim_trace *trace, sim_probe_done_fn done, void *ctx,
                    uint64_t *out_id) {
  if (!net) return SIM_E_INVAL;
  if (!done) return net_fail(net, SIM_E_INVAL, "done: NULL");
  probe *pr = malloc(sizeof(*pr));
  if (!pr) return net_fail(net, SIM_E_NOMEM, "probe: out of memory");
  int rc = probe_init(net, spec, trace, pr);
  if (rc) {
    free(pr);
    return rc;
  }
  pr->done = done;
  pr->ctx = ctx;
  if (out_id) *out_id = pr->r.id;
  int in_flight = net_walk_send(&pr->w, pr->origin);
  pr->r.sent = pr->w.sent_set ? pr->w.sent : pr->w.pkt.flow;
  advance(pr, in_flight);
  return SIM_OK;
}
