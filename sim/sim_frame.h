/* sim_frame.h: a sim_packet written as the bytes a wire (and a pcap) would
 * carry: Ethernet II with an optional 802.1Q tag, IPv4 or IPv6, then TCP,
 * UDP, ICMP echo or ICMPv6 echo, then payload_len zero bytes; when the packet
 * is encapsulated, that whole frame inside outer Ethernet, IP, UDP and VXLAN
 * headers.
 *
 * Invariants: every length and checksum field is correct for the bytes
 * written; the bytes depend only on the packet's fields (no clock, no random
 * stream, no memory address), so the same packet always gives the same frame;
 * the only memory written is the caller's buffer (and message). */
#ifndef SIM_FRAME_H
#define SIM_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include "sim_packet.h"

/* The longest frame sim_frame_write can produce: Ethernet with an 802.1Q tag
 * (18 bytes), an IPv6 header (40) and the largest IPv6 payload (65535). An
 * encapsulated frame is bounded by its outer UDP length (65535) and is
 * shorter. A buffer of this size always suffices. */
#define SIM_FRAME_MAX (18 + 40 + 65535)

/* Room for the message sim_frame_write leaves in `err`. */
#define SIM_FRAME_ERR 128

/* The UDP port IANA assigned to VXLAN (RFC 7348 §5). */
#define SIM_VXLAN_PORT 4789

/* Writes `p` as a frame into buf[0..cap) and its length into *len.
 *
 * The fields that sim_packet does not carry are fixed, so they never vary
 * between runs or capture points:
 * - IPv4: DF set, identification = the low 16 bits of p->id (RFC 6864 §4.1:
 *   the field has no meaning in an atomic datagram), no options; IPv6:
 *   traffic class and flow label 0, no extension headers.
 * - TCP: no options, window 65535; seq is a hash of the 5-tuple as written
 *   (+1 once SYN is clear), ack (when ACK is set) that of the reversed tuple
 *   + 1, so a SYN, SYN-ACK and ACK seen at one capture point read as one
 *   handshake. The model has no byte stream: seq does not advance with data.
 * - ICMP/ICMPv6 echo (types 8/0, 128/129): identifier = flow.sport, sequence
 *   = the low 16 bits of p->id, so a probe's request and reply pair up. Other
 *   ICMP types get a zero rest-of-header and do not quote the datagram that
 *   caused them.
 * - The 802.1Q tag (when p->vlan != 0) belongs to the packet's own Ethernet
 *   header, the inner one when encapsulated.
 * - VXLAN (RFC 7348 §5): outer Ethernet untagged, outer IPv4 TTL / IPv6 hop
 *   limit 128 (Windows' default TTL; the host writes the outer header:
 *   inferred), outer UDP checksum 0 over IPv4 (RFC 7348 §5 allows it) and
 *   computed over IPv6 (RFC 8200 §8.1), VXLAN flags 0x08 (VNI valid).
 *
 * Returns SIM_OK; SIM_E_INVAL for a field out of range (a family other than
 * 4 or 6 or differing between src and dst, a protocol other than TCP, UDP,
 * ICMP over IPv4 or ICMPv6 over IPv6, a VLAN ID above 4094, a VNI above 24
 * bits, a payload too long for the IP length fields) or a NULL argument; or
 * SIM_E_SHORT when cap is below the frame's length, which is then in *len
 * (buf may be NULL when cap is 0, to ask for the length). On failure buf is
 * untouched and, when `err` is not NULL, it holds a message naming the field
 * and its value. */
int sim_frame_write(const sim_packet *p, uint8_t *buf, size_t cap, size_t *len, char err[SIM_FRAME_ERR]);

#endif
