/* sim_frame.c: a sim_packet as wire bytes. Every field is checked and every
 * length computed before the first byte is written, so a refused packet
 * leaves the caller's buffer as it was. Header layouts and checksums follow:
 * IEEE 802.3 / 802.1Q (Ethernet II, the 4-byte tag), RFC 791 (IPv4), RFC
 * 8200 (IPv6), RFC 9293 (TCP), RFC 768 (UDP), RFC 792 (ICMP), RFC 4443
 * (ICMPv6), RFC 1071 (the Internet checksum) and RFC 7348 (VXLAN). */
#include "sim_frame.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "sim_status.h"

enum {
  ETH_HDR = 14,
  VLAN_TAG = 4,
  IP4_HDR = 20,
  IP6_HDR = 40,
  TCP_HDR = 20, /* no options: data offset 5 */
  UDP_HDR = 8,
  ICMP_HDR = 8, /* type, code, checksum, identifier, sequence */
  VXLAN_HDR = 8,
  IP_LEN_MAX = 65535 /* the 16-bit IPv4 total length, IPv6 payload length and UDP length fields */
};
enum { ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86DD, ETHERTYPE_VLAN = 0x8100 };
enum { ICMP_ECHO_REPLY = 0, ICMP_ECHO = 8, ICMPV6_ECHO = 128, ICMPV6_ECHO_REPLY = 129 };
enum { VLAN_MAX = 4094, VNI_MAX = 0xFFFFFF, OUTER_TTL = 128, TCP_WINDOW = 65535, VXLAN_FLAG_VNI = 0x08 };
/* The key of the TCP sequence-number hash ("TCP ISN" in ASCII). Changing it
 * changes every TCP frame, so tests pin its effect. */
#define TCP_ISN_SEED 0x005443502049534Eull

static int fail(char *err, int status, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, SIM_FRAME_ERR, fmt, ap);
    va_end(ap);
  }
  return status;
}

static void put16(uint8_t *b, uint32_t v) {
  b[0] = (uint8_t)(v >> 8);
  b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v) {
  put16(b, v >> 16);
  put16(b + 2, v);
}

/* RFC 1071: the one's-complement sum of big-endian 16-bit words, an odd
 * last byte padded with zero. Carries are folded in by checksum(); 32 bits
 * hold the sum of a whole 65535-byte segment and its pseudo-header. */
static uint32_t sum_words(uint32_t sum, const uint8_t *b, size_t n) {
  for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t)b[i] << 8 | b[i + 1];
  if (n & 1) sum += (uint32_t)b[n - 1] << 8;
  return sum;
}

static uint16_t checksum(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return (uint16_t)~sum;
}

/* The pseudo-header's sum: RFC 9293 §3.1 for IPv4 (addresses, protocol,
 * 16-bit length), RFC 8200 §8.1 for IPv6 (addresses, 32-bit length, next
 * header). Both add up to the same words apart from the address sizes. */
static uint32_t pseudo_sum(const sim_ip *src, const sim_ip *dst, uint8_t proto, size_t l4_len) {
  size_t alen = src->family == 4 ? 4 : 16;
  uint32_t sum = sum_words(0, src->b, alen);
  sum = sum_words(sum, dst->b, alen);
  return sum + proto + (uint32_t)(l4_len >> 16) + (uint32_t)(l4_len & 0xFFFF);
}

static int check_family(const sim_ip *src, const sim_ip *dst, const char *what, char *err) {
  if (src->family != 4 && src->family != 6)
    return fail(err, SIM_E_INVAL, "%s.src.family %u: not 4 or 6", what, (unsigned)src->family);
  if (dst->family != src->family)
    return fail(err, SIM_E_INVAL, "%s.dst.family %u differs from %s.src.family %u", what, (unsigned)dst->family,
                what, (unsigned)src->family);
  return SIM_OK;
}

static int l4_header_len(const sim_packet *p, size_t *out, char *err) {
  uint8_t proto = p->flow.proto, family = p->flow.src.family;
  if (proto == SIM_IPPROTO_TCP) *out = TCP_HDR;
  else if (proto == SIM_IPPROTO_UDP) *out = UDP_HDR;
  else if ((proto == SIM_IPPROTO_ICMP && family == 4) || (proto == SIM_IPPROTO_ICMPV6 && family == 6)) *out = ICMP_HDR;
  else
    return fail(err, SIM_E_INVAL, "flow.proto %u over IPv%u: frames carry TCP, UDP, ICMP over IPv4 or ICMPv6 over IPv6",
                (unsigned)proto, (unsigned)family);
  return SIM_OK;
}

/* The lengths of one frame, checked against the 16-bit length fields. */
typedef struct frame_plan {
  size_t l4_len;    /* the inner L4 header and its payload */
  size_t inner_len; /* the packet's own frame, from its Ethernet header */
  size_t total;     /* what is written: inner_len, or the outer headers too */
} frame_plan;

static int plan(const sim_packet *p, frame_plan *pl, char *err) {
  int rc = check_family(&p->flow.src, &p->flow.dst, "flow", err);
  if (rc != SIM_OK) return rc;
  size_t l4_hdr = 0;
  if ((rc = l4_header_len(p, &l4_hdr, err)) != SIM_OK) return rc;
  if (p->vlan > VLAN_MAX)
    return fail(err, SIM_E_INVAL, "vlan %u: above %u (802.1Q reserves 4095)", (unsigned)p->vlan, (unsigned)VLAN_MAX);
  if (p->encapsulated > 1)
    return fail(err, SIM_E_INVAL, "encapsulated %u: not 0 or 1", (unsigned)p->encapsulated);
  pl->l4_len = l4_hdr + p->payload_len;
  int v4 = p->flow.src.family == 4;
  size_t ip_len = v4 ? IP4_HDR + pl->l4_len : pl->l4_len;
  if (ip_len > IP_LEN_MAX)
    return fail(err, SIM_E_INVAL, "payload_len %u: the %s would be %zu, above %u", (unsigned)p->payload_len,
                v4 ? "IPv4 total length" : "IPv6 payload length", ip_len, (unsigned)IP_LEN_MAX);
  pl->inner_len = ETH_HDR + (p->vlan ? VLAN_TAG : 0) + (v4 ? IP4_HDR : IP6_HDR) + pl->l4_len;
  pl->total = pl->inner_len;
  if (!p->encapsulated) return SIM_OK;
  if ((rc = check_family(&p->outer.src, &p->outer.dst, "outer", err)) != SIM_OK) return rc;
  if (p->outer.vni > VNI_MAX)
    return fail(err, SIM_E_INVAL, "outer.vni %lu: above 24 bits (%u)", (unsigned long)p->outer.vni, (unsigned)VNI_MAX);
  int outer_v4 = p->outer.src.family == 4;
  size_t udp_len = UDP_HDR + VXLAN_HDR + pl->inner_len;
  size_t outer_ip_len = outer_v4 ? IP4_HDR + udp_len : udp_len;
  if (outer_ip_len > IP_LEN_MAX)
    return fail(err, SIM_E_INVAL, "payload_len %u: the outer %s would be %zu, above %u", (unsigned)p->payload_len,
                outer_v4 ? "IPv4 total length" : "UDP length", outer_ip_len, (unsigned)IP_LEN_MAX);
  pl->total = ETH_HDR + (outer_v4 ? IP4_HDR : IP6_HDR) + udp_len;
  return SIM_OK;
}

static size_t put_eth(uint8_t *b, const sim_mac *dst, const sim_mac *src, uint16_t vlan, uint8_t family) {
  size_t n = 12;
  memcpy(b, dst->b, 6);
  memcpy(b + 6, src->b, 6);
  if (vlan) { /* TPID, then PCP 0, DEI 0 and the VLAN ID */
    put16(b + n, ETHERTYPE_VLAN);
    put16(b + n + 2, vlan);
    n += VLAN_TAG;
  }
  put16(b + n, family == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
  return n + 2;
}

static size_t put_ip(uint8_t *b, const sim_ip *src, const sim_ip *dst, uint8_t proto, uint8_t ttl, uint16_t ident,
                     size_t l4_len) {
  if (src->family == 4) {
    b[0] = 0x45; /* version 4, IHL 5 words */
    b[1] = 0;    /* DSCP, ECN */
    put16(b + 2, (uint32_t)(IP4_HDR + l4_len));
    put16(b + 4, ident);
    put16(b + 6, 0x4000); /* DF, fragment offset 0 */
    b[8] = ttl;
    b[9] = proto;
    put16(b + 10, 0);
    memcpy(b + 12, src->b, 4);
    memcpy(b + 16, dst->b, 4);
    put16(b + 10, checksum(sum_words(0, b, IP4_HDR)));
    return IP4_HDR;
  }
  put32(b, 0x60000000u); /* version 6, traffic class 0, flow label 0 */
  put16(b + 4, (uint32_t)l4_len);
  b[6] = proto;
  b[7] = ttl;
  memcpy(b + 8, src->b, 16);
  memcpy(b + 24, dst->b, 16);
  return IP6_HDR;
}

static uint32_t tcp_isn(const sim_flow *f) {
  return (uint32_t)sim_flow_hash(f, TCP_ISN_SEED);
}

/* The L4 header, the zero payload, then the checksum over the pseudo-header
 * (none for ICMPv4, RFC 792) and the whole segment. */
static void put_l4(uint8_t *b, const sim_packet *p, size_t l4_len) {
  const sim_flow *f = &p->flow;
  size_t ck; /* where the checksum goes */
  memset(b, 0, l4_len);
  if (f->proto == SIM_IPPROTO_TCP) {
    sim_flow rev;
    sim_flow_reverse(f, &rev);
    put16(b, f->sport);
    put16(b + 2, f->dport);
    put32(b + 4, tcp_isn(f) + ((p->tcp_flags & SIM_TCP_SYN) ? 0 : 1));
    put32(b + 8, (p->tcp_flags & SIM_TCP_ACK) ? tcp_isn(&rev) + 1 : 0);
    b[12] = (TCP_HDR / 4) << 4;
    b[13] = p->tcp_flags;
    put16(b + 14, TCP_WINDOW);
    ck = 16;
  } else if (f->proto == SIM_IPPROTO_UDP) {
    put16(b, f->sport);
    put16(b + 2, f->dport);
    put16(b + 4, (uint32_t)l4_len);
    ck = 6;
  } else {
    b[0] = p->icmp_type;
    b[1] = p->icmp_code;
    int echo = f->proto == SIM_IPPROTO_ICMP ? (p->icmp_type == ICMP_ECHO || p->icmp_type == ICMP_ECHO_REPLY)
                                            : (p->icmp_type == ICMPV6_ECHO || p->icmp_type == ICMPV6_ECHO_REPLY);
    if (echo) {
      put16(b + 4, f->sport);
      put16(b + 6, (uint16_t)p->id);
    }
    ck = 2;
  }
  uint32_t sum = f->proto == SIM_IPPROTO_ICMP ? 0 : pseudo_sum(&f->src, &f->dst, f->proto, l4_len);
  uint16_t c = checksum(sum_words(sum, b, l4_len));
  /* RFC 768: a computed UDP checksum of zero is sent as all ones, since
   * zero means "none". */
  if (f->proto == SIM_IPPROTO_UDP && c == 0) c = 0xFFFF;
  put16(b + ck, c);
}

static size_t put_inner(uint8_t *b, const sim_packet *p, const frame_plan *pl) {
  size_t n = put_eth(b, &p->eth_dst, &p->eth_src, p->vlan, p->flow.src.family);
  n += put_ip(b + n, &p->flow.src, &p->flow.dst, p->flow.proto, p->ttl, (uint16_t)p->id, pl->l4_len);
  put_l4(b + n, p, pl->l4_len);
  return n + pl->l4_len;
}

/* RFC 7348 §5: outer Ethernet, outer IP, UDP, the VXLAN header (flags with
 * the I bit, 24 reserved bits, the VNI, 8 reserved bits), the inner frame. */
static void put_vxlan(uint8_t *b, const sim_packet *p, const frame_plan *pl) {
  const sim_vxlan *o = &p->outer;
  size_t udp_len = UDP_HDR + VXLAN_HDR + pl->inner_len;
  size_t n = put_eth(b, &o->eth_dst, &o->eth_src, 0, o->src.family);
  n += put_ip(b + n, &o->src, &o->dst, SIM_IPPROTO_UDP, OUTER_TTL, (uint16_t)p->id, udp_len);
  uint8_t *udp = b + n;
  put16(udp, o->sport);
  put16(udp + 2, o->dport);
  put16(udp + 4, (uint32_t)udp_len);
  put16(udp + 6, 0);
  uint8_t *vx = udp + UDP_HDR;
  put32(vx, (uint32_t)VXLAN_FLAG_VNI << 24);
  put32(vx + 4, o->vni << 8);
  put_inner(vx + VXLAN_HDR, p, pl);
  if (o->src.family == 6) {
    uint16_t c = checksum(sum_words(pseudo_sum(&o->src, &o->dst, SIM_IPPROTO_UDP, udp_len), udp, udp_len));
    put16(udp + 6, c == 0 ? 0xFFFF : c);
  }
}

int sim_frame_write(const sim_packet *p, uint8_t *buf, size_t cap, size_t *len, char err[SIM_FRAME_ERR]) {
  if (!p || !len) return fail(err, SIM_E_INVAL, "%s is NULL", p ? "len" : "packet");
  if (!buf && cap) return fail(err, SIM_E_INVAL, "buf is NULL with cap %zu", cap);
  frame_plan pl;
  int rc = plan(p, &pl, err);
  if (rc != SIM_OK) return rc;
  *len = pl.total;
  if (cap < pl.total)
    return fail(err, SIM_E_SHORT, "buffer of %zu bytes is too small for the %zu-byte frame", cap, pl.total);
  if (p->encapsulated) put_vxlan(buf, p, &pl);
  else put_inner(buf, p, &pl);
  return SIM_OK;
}
