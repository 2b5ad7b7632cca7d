/* sim_packet.c: the 5-tuple's comparison, reversal, hash and text. */
#include "sim_packet.h"
#include <stdio.h>
#include <string.h>

int sim_flow_equal(const sim_flow *a, const sim_flow *b) {
  return a->proto == b->proto && a->sport == b->sport && a->dport == b->dport && sim_ip_equal(&a->src, &b->src) &&
         sim_ip_equal(&a->dst, &b->dst);
}

void sim_flow_reverse(const sim_flow *f, sim_flow *out) {
  sim_flow r = *f;
  r.src = f->dst;
  r.dst = f->src;
  r.sport = f->dport;
  r.dport = f->sport;
  *out = r;
}

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

static uint64_t take64(const uint8_t *b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | b[i];
  return v;
}

/* Fields are read byte by byte in a fixed order, so neither padding nor
 * byte order reaches the hash. */
uint64_t sim_flow_hash(const sim_flow *f, uint64_t seed) {
  uint64_t h = mix(seed ^ 0x9E3779B97F4A7C15ull);
  const sim_ip *ips[2] = {&f->src, &f->dst};
  for (int i = 0; i < 2; i++) {
    h = mix(h ^ ips[i]->family);
    h = mix(h ^ take64(ips[i]->b));
    h = mix(h ^ take64(ips[i]->b + 8));
  }
  return mix(h ^ ((uint64_t)f->sport << 24 | (uint64_t)f->dport << 8 | f->proto));
}

void sim_proto_name(uint8_t proto, char out[8]) {
  switch (proto) {
  case SIM_IPPROTO_TCP: strcpy(out, "tcp"); break;
  case SIM_IPPROTO_UDP: strcpy(out, "udp"); break;
  case SIM_IPPROTO_ICMP: strcpy(out, "icmp"); break;
  case SIM_IPPROTO_ICMPV6: strcpy(out, "icmpv6"); break;
  default: snprintf(out, 8, "%u", (unsigned)proto); break;
  }
}

static void endpoint_text(const sim_ip *ip, uint16_t port, int with_port, char out[56]) {
  char a[46];
  sim_ip_format(ip, a);
  if (!with_port) snprintf(out, 56, "%s", a);
  else if (ip->family == 6) snprintf(out, 56, "[%s]:%u", a, (unsigned)port);
  else snprintf(out, 56, "%s:%u", a, (unsigned)port);
}

void sim_flow_format(const sim_flow *f, char out[SIM_FLOW_TEXT]) {
  char proto[8], src[56], dst[56];
  int ports = f->proto == SIM_IPPROTO_TCP || f->proto == SIM_IPPROTO_UDP;
  sim_proto_name(f->proto, proto);
  endpoint_text(&f->src, f->sport, ports, src);
  endpoint_text(&f->dst, f->dport, ports, dst);
  snprintf(out, SIM_FLOW_TEXT, "%s %s -> %s", proto, src, dst);
}
