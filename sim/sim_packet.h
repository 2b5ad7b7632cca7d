/* sim_packet.h: a packet as the data plane handles it: headers as typed
 * fields, never bytes (sim_frame.c writes the bytes a pcap needs), the
 * 5-tuple every filtering stage matches on, and the VXLAN outer header an
 * overlay network adds.
 *
 * Values are plain structs whose unused bytes are zero (sim_addr.h), so a
 * flow can be hashed and compared as data; sim_flow_hash is the one hash the
 * stages use (conntrack, load-balancer backend choice), keyed by a seed so
 * that no result depends on an address or a platform. */
#ifndef SIM_PACKET_H
#define SIM_PACKET_H
#include <stddef.h>
#include <stdint.h>
#include "sim_addr.h"

/* IP protocol numbers (IANA), as HNS policies write them (6 TCP, 17 UDP). */
enum { SIM_IPPROTO_ICMP = 1, SIM_IPPROTO_TCP = 6, SIM_IPPROTO_UDP = 17, SIM_IPPROTO_ICMPV6 = 58 };

/* TCP flags (RFC 9293). */
enum { SIM_TCP_FIN = 0x01, SIM_TCP_SYN = 0x02, SIM_TCP_RST = 0x04, SIM_TCP_ACK = 0x10 };

/* The 5-tuple. For ICMP echo, sport carries the echo identifier and dport
 * is 0, so a reply's reversed tuple finds the request's connection. */
typedef struct sim_flow {
  sim_ip src, dst;
  uint16_t sport, dport;
  uint8_t proto;
} sim_flow;

/* The outer headers of a VXLAN-encapsulated packet (RFC 7348): Ethernet,
 * IP, UDP to `dport` (4789 unless a VxlanPort policy says otherwise), and
 * the 24-bit VNI (HNS: the network's VSID). */
typedef struct sim_vxlan {
  sim_mac eth_src, eth_dst;
  sim_ip src, dst; /* provider addresses */
  uint16_t sport, dport;
  uint32_t vni;
} sim_vxlan;

typedef struct sim_packet {
  uint64_t id;             /* the probe that sent it (traces, pcap) */
  sim_mac eth_src, eth_dst;
  uint16_t vlan;           /* 802.1Q VLAN ID; 0 for untagged */
  sim_flow flow;
  uint8_t ttl;             /* IPv4 TTL or IPv6 hop limit */
  uint8_t tcp_flags;       /* TCP only */
  uint8_t icmp_type, icmp_code; /* ICMP / ICMPv6 only */
  uint16_t payload_len;    /* bytes after the L4 header */
  uint8_t encapsulated;    /* 1 when `outer` is in use */
  sim_vxlan outer;
} sim_packet;

int sim_flow_equal(const sim_flow *a, const sim_flow *b);

/* The flow as the other side sends it: addresses and ports swapped. */
void sim_flow_reverse(const sim_flow *f, sim_flow *out);

/* A 64-bit hash of the whole tuple, keyed by `seed`; the same on every
 * platform and build. */
uint64_t sim_flow_hash(const sim_flow *f, uint64_t seed);

/* "tcp 10.0.0.5:49152 -> 10.96.0.10:53" ("icmp 10.0.0.5 -> 8.8.8.8" without
 * ports; IPv6 addresses in brackets when a port follows). */
#define SIM_FLOW_TEXT 128
void sim_flow_format(const sim_flow *f, char out[SIM_FLOW_TEXT]);

/* The protocol's name ("tcp", "udp", "icmp", "icmpv6"), or its number as
 * text for others, written to out (at least 8 bytes). */
void sim_proto_name(uint8_t proto, char out[8]);

#endif
