/* test_sim_frame.c: packets as wire bytes. Each kind of frame is compared
 * byte for byte with a known-good frame (built field by field by a separate
 * implementation, and decoded cleanly by tshark in tests/pcap); the
 * checksums are also verified here with a checksum routine of the test's
 * own; then the TCP handshake numbering, the length limits, and refusals
 * that name the field and leave the buffer as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_frame.h"
#include "sim_status.h"

static sim_packet packet(uint64_t id, const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t proto,
                         uint8_t ttl) {
  sim_packet p;
  memset(&p, 0, sizeof p);
  p.id = id;
  assert_int_equal(sim_mac_parse("00-15-5D-01-02-03", &p.eth_src), 0);
  assert_int_equal(sim_mac_parse("00-15-5D-0A-0B-0C", &p.eth_dst), 0);
  assert_int_equal(sim_ip_parse(src, &p.flow.src), 0);
  assert_int_equal(sim_ip_parse(dst, &p.flow.dst), 0);
  p.flow.sport = sport, p.flow.dport = dport, p.flow.proto = proto;
  p.ttl = ttl;
  return p;
}

static void encapsulate(sim_packet *p, const char *src, const char *dst, uint32_t vni) {
  p->encapsulated = 1;
  assert_int_equal(sim_mac_parse("00-15-5D-AA-00-01", &p->outer.eth_src), 0);
  assert_int_equal(sim_mac_parse("00-15-5D-AA-00-02", &p->outer.eth_dst), 0);
  assert_int_equal(sim_ip_parse(src, &p->outer.src), 0);
  assert_int_equal(sim_ip_parse(dst, &p->outer.dst), 0);
  p->outer.sport = 49876;
  p->outer.dport = SIM_VXLAN_PORT;
  p->outer.vni = vni;
}

/* Hex digits in pairs; spaces between fields are skipped. */
static size_t unhex(const char *hex, uint8_t *out) {
  size_t n = 0;
  for (const char *c = hex; *c; c += 2) {
    while (*c == ' ') c++;
    if (!*c) break;
    unsigned v;
    assert_int_equal(sscanf(c, "%2x", &v), 1);
    out[n++] = (uint8_t)v;
  }
  return n;
}

static uint8_t g_frame[SIM_FRAME_MAX];

/* Writes p and checks it against the expected hex, byte by byte. */
static size_t expect_frame(const sim_packet *p, const char *hex) {
  static uint8_t want[512];
  size_t want_len = unhex(hex, want), len = 0;
  char err[SIM_FRAME_ERR] = "";
  assert_int_equal(sim_frame_write(p, g_frame, sizeof g_frame, &len, err), SIM_OK);
  assert_int_equal(len, want_len);
  for (size_t i = 0; i < len; i++) {
    if (g_frame[i] != want[i]) fail_msg("byte %zu: got 0x%02x, want 0x%02x", i, g_frame[i], want[i]);
  }
  return len;
}

/* The test's own RFC 1071 sum: a header or segment whose checksum is right
 * sums (with its pseudo-header) to 0xFFFF. */
static uint32_t ones_sum(uint32_t sum, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++) sum += (i % 2 == 0) ? (uint32_t)b[i] << 8 : b[i];
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return sum;
}

static uint32_t pseudo4(const uint8_t *ip, uint8_t proto, size_t len) {
  return ones_sum(0, ip + 12, 8) + proto + (uint32_t)len;
}

static uint32_t pseudo6(const uint8_t *ip, uint8_t proto, size_t len) {
  return ones_sum(0, ip + 8, 32) + proto + (uint32_t)len;
}

static void ipv4_tcp_syn(void **state) {
  (void)state;
  sim_packet p = packet(1, "10.244.1.5", 49152, "10.96.0.1", 443, SIM_IPPROTO_TCP, 128);
  p.tcp_flags = SIM_TCP_SYN;
  size_t len = expect_frame(&p, "00155d0a0b0c 00155d010203 0800" /* Ethernet II: IPv4 */
                                "45 00 0028 0001 4000 80 06 e475 0af40105 0a600001" /* IPv4: id 1, DF, TTL 128 */
                                "c000 01bb 084cacee 00000000 50 02 ffff 2293 0000"); /* TCP: SYN */
  assert_int_equal(len, 54);
  const uint8_t *ip = g_frame + 14, *tcp = ip + 20;
  assert_int_equal(ones_sum(0, ip, 20), 0xFFFF);
  assert_int_equal(ones_sum(pseudo4(ip, 6, 20), tcp, 20), 0xFFFF);
}

static void ipv4_udp_tagged_odd_payload(void **state) {
  (void)state;
  sim_packet p = packet(0x12345, "192.168.100.5", 40002, "192.168.100.6", 40003, SIM_IPPROTO_UDP, 64);
  p.vlan = 100;
  p.payload_len = 5;
  expect_frame(&p, "00155d0a0b0c 00155d010203 8100 0064 0800" /* 802.1Q tag: VLAN 100 */
                   "45 00 0021 2345 4000 40 11 ce2a c0a86405 c0a86406" /* id: low 16 bits of 0x12345 */
                   "9c42 9c43 000d 7df1 0000000000"); /* UDP length 13, odd payload */
  const uint8_t *ip = g_frame + 18, *udp = ip + 20;
  assert_int_equal(ones_sum(pseudo4(ip, 17, 13), udp, 13), 0xFFFF);
}

static void ipv4_icmp_echo(void **state) {
  (void)state;
  sim_packet p = packet(3, "10.244.1.5", 7, "8.8.8.8", 0, SIM_IPPROTO_ICMP, 128);
  p.icmp_type = 8;
  p.payload_len = 4;
  expect_frame(&p, "00155d0a0b0c 00155d010203 0800"
                   "45 00 0020 0003 4000 80 01 ded1 0af40105 08080808"
                   "08 00 f7f5 0007 0003 00000000"); /* echo: identifier 7, sequence 3 */
  assert_int_equal(ones_sum(0, g_frame + 34, 12), 0xFFFF); /* no pseudo-header for ICMPv4 */
  /* Another type keeps its type and code, with no identifier or sequence. */
  p.icmp_type = 3, p.icmp_code = 1;
  size_t len;
  assert_int_equal(sim_frame_write(&p, g_frame, sizeof g_frame, &len, NULL), SIM_OK);
  assert_int_equal(g_frame[34], 3);
  assert_int_equal(g_frame[35], 1);
  assert_int_equal(g_frame[38] | g_frame[39] | g_frame[40] | g_frame[41], 0);
  assert_int_equal(ones_sum(0, g_frame + 34, 12), 0xFFFF);
}

static void ipv6_tcp_and_icmpv6(void **state) {
  (void)state;
  sim_packet p = packet(4, "fd00::5", 40000, "fd00::a", 80, SIM_IPPROTO_TCP, 64);
  p.tcp_flags = SIM_TCP_SYN | SIM_TCP_ACK;
  p.payload_len = 3;
  expect_frame(&p, "00155d0a0b0c 00155d010203 86dd"
                   "60000000 0017 06 40" /* payload length 23, TCP, hop limit 64 */
                   "fd000000000000000000000000000005 fd00000000000000000000000000000a"
                   "9c40 0050 77cc9007 5a843fe5 50 12 ffff 76f1 0000 000000"); /* seq and ack pinned, SYN+ACK */
  const uint8_t *ip = g_frame + 14;
  assert_int_equal(ones_sum(pseudo6(ip, 6, 23), ip + 40, 23), 0xFFFF);

  p = packet(5, "fd00::5", 9, "fd00::a", 0, SIM_IPPROTO_ICMPV6, 255);
  p.icmp_type = 128;
  expect_frame(&p, "00155d0a0b0c 00155d010203 86dd"
                   "60000000 0008 3a ff"
                   "fd000000000000000000000000000005 fd00000000000000000000000000000a"
                   "80 00 859e 0009 0005"); /* echo request: id 9, sequence 5 */
  assert_int_equal(ones_sum(pseudo6(ip, 58, 8), ip + 40, 8), 0xFFFF);
}

/* RFC 7348 §5: the outer UDP checksum is 0 over IPv4; the VXLAN header is
 * flags 0x08, then the VNI in the top 24 bits of its second word. */
static void vxlan_over_ipv4(void **state) {
  (void)state;
  sim_packet p = packet(7, "10.244.1.5", 49153, "10.244.2.7", 80, SIM_IPPROTO_TCP, 127);
  p.tcp_flags = SIM_TCP_SYN;
  encapsulate(&p, "10.127.130.36", "10.127.130.38", 4096);
  size_t len = expect_frame(&p, "00155daa0002 00155daa0001 0800"
                                "45 00 005a 0007 4000 80 11 e143 0a7f8224 0a7f8226" /* outer IPv4: TTL 128, UDP */
                                "c2d4 12b5 0046 0000" /* UDP 49876 -> 4789, checksum 0 */
                                "08 000000 001000 00" /* VXLAN: I flag, VNI 4096 */
                                "00155d0a0b0c 00155d010203 0800"
                                "45 00 0028 0007 4000 7f 06 e2d5 0af40105 0af40207"
                                "c001 0050 79ab47fb 00000000 50 02 ffff 14f7 0000");
  assert_int_equal(len, 104);
}

static void vxlan_over_ipv6(void **state) {
  (void)state;
  sim_packet p = packet(8, "10.244.1.5", 49154, "10.244.2.7", 8080, SIM_IPPROTO_UDP, 127);
  p.payload_len = 1;
  encapsulate(&p, "fd00:127::36", "fd00:127::38", 0xABCDEF);
  expect_frame(&p, "00155daa0002 00155daa0001 86dd"
                   "60000000 003b 11 80"
                   "fd000127000000000000000000000036 fd000127000000000000000000000038"
                   "c2d4 12b5 003b d42b" /* outer UDP checksum computed (RFC 8200 §8.1) */
                   "08 000000 abcdef 00"
                   "00155d0a0b0c 00155d010203 0800"
                   "45 00 001d 0008 4000 7f 11 e2d4 0af40105 0af40207"
                   "c002 1f90 0009 0756 00");
  const uint8_t *ip = g_frame + 14;
  assert_int_equal(ones_sum(pseudo6(ip, 17, 59), ip + 40, 59), 0xFFFF);
}

static uint32_t be32(const uint8_t *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* SYN, SYN-ACK, ACK of one connection read as one handshake: each ack is
 * the other side's seq + 1, and the opener's seq moves on by one after SYN. */
static void tcp_handshake_numbers(void **state) {
  (void)state;
  sim_packet syn = packet(9, "10.0.0.5", 50000, "10.0.0.9", 80, SIM_IPPROTO_TCP, 128);
  syn.tcp_flags = SIM_TCP_SYN;
  sim_packet synack = packet(9, "10.0.0.9", 80, "10.0.0.5", 50000, SIM_IPPROTO_TCP, 128);
  synack.tcp_flags = SIM_TCP_SYN | SIM_TCP_ACK;
  sim_packet ack = syn;
  ack.tcp_flags = SIM_TCP_ACK;
  uint8_t a[64], b[64], c[64];
  size_t len;
  assert_int_equal(sim_frame_write(&syn, a, sizeof a, &len, NULL), SIM_OK);
  assert_int_equal(sim_frame_write(&synack, b, sizeof b, &len, NULL), SIM_OK);
  assert_int_equal(sim_frame_write(&ack, c, sizeof c, &len, NULL), SIM_OK);
  const size_t seq = 14 + 20 + 4, acko = seq + 4;
  assert_int_equal(be32(a + acko), 0); /* no ACK flag: ack number 0 */
  assert_int_equal(be32(b + acko), be32(a + seq) + 1);
  assert_int_equal(be32(c + seq), be32(a + seq) + 1);
  assert_int_equal(be32(c + acko), be32(b + seq) + 1);
  assert_true(be32(a + seq) != be32(b + seq));
}

/* The largest payloads the 16-bit length fields allow, and one more byte. */
static void length_limits(void **state) {
  (void)state;
  uint8_t *buf = malloc(SIM_FRAME_MAX);
  assert_non_null(buf);
  size_t len;
  char err[SIM_FRAME_ERR];
  sim_packet p = packet(1, "fd00::5", 1, "fd00::a", 2, SIM_IPPROTO_TCP, 64);
  p.vlan = 4094;
  p.payload_len = 65535 - 20;
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_OK);
  assert_int_equal(len, SIM_FRAME_MAX); /* the bound is reached, and holds */
  assert_int_equal(buf[18 + 4], 0xFF);   /* IPv6 payload length 65535 */
  assert_int_equal(buf[18 + 5], 0xFF);
  p.payload_len++;
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_E_INVAL);
  assert_string_equal(err, "payload_len 65516: the IPv6 payload length would be 65536, above 65535");

  p = packet(1, "10.0.0.5", 1, "10.0.0.9", 2, SIM_IPPROTO_UDP, 64);
  p.payload_len = 65535 - 28;
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_OK);
  assert_int_equal(len, 14 + 65535);
  p.payload_len++;
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_E_INVAL);
  assert_string_equal(err, "payload_len 65508: the IPv4 total length would be 65536, above 65535");

  /* Encapsulated: the outer UDP length bounds the inner frame. */
  p.payload_len = 65535 - 16 - 14 - 28 - 20;
  encapsulate(&p, "10.1.0.1", "10.1.0.2", 1);
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_OK);
  assert_int_equal(len, 14 + 65535);
  p.payload_len++;
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_E_INVAL);
  assert_string_equal(err, "payload_len 65458: the outer IPv4 total length would be 65536, above 65535");
  encapsulate(&p, "fd01::1", "fd01::2", 1);
  p.payload_len = 65535 - 16 - 14 - 28;
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_OK);
  assert_int_equal(len, 14 + 40 + 65535);
  p.payload_len++;
  assert_int_equal(sim_frame_write(&p, buf, SIM_FRAME_MAX, &len, err), SIM_E_INVAL);
  assert_string_equal(err, "payload_len 65478: the outer UDP length would be 65536, above 65535");
  free(buf);
}

/* A refusal names the field and value and leaves the buffer untouched. */
static void expect_refusal(const sim_packet *p, int status, const char *msg) {
  uint8_t buf[128];
  memset(buf, 0xA5, sizeof buf);
  size_t len = 7;
  char err[SIM_FRAME_ERR] = "";
  assert_int_equal(sim_frame_write(p, buf, sizeof buf, &len, err), status);
  assert_string_equal(err, msg);
  for (size_t i = 0; i < sizeof buf; i++) assert_int_equal(buf[i], 0xA5);
  assert_int_equal(sim_frame_write(p, buf, sizeof buf, &len, NULL), status); /* err is optional */
}

static void refusals(void **state) {
  (void)state;
  sim_packet ok = packet(1, "10.0.0.5", 1, "10.0.0.9", 2, SIM_IPPROTO_TCP, 64), p;
  p = ok, p.flow.src.family = 5;
  expect_refusal(&p, SIM_E_INVAL, "flow.src.family 5: not 4 or 6");
  p = ok, assert_int_equal(sim_ip_parse("fd00::1", &p.flow.dst), 0);
  expect_refusal(&p, SIM_E_INVAL, "flow.dst.family 6 differs from flow.src.family 4");
  p = ok, p.flow.proto = 47;
  expect_refusal(&p, SIM_E_INVAL, "flow.proto 47 over IPv4: frames carry TCP, UDP, ICMP over IPv4 or ICMPv6 over IPv6");
  p = ok, p.flow.proto = SIM_IPPROTO_ICMPV6;
  expect_refusal(&p, SIM_E_INVAL, "flow.proto 58 over IPv4: frames carry TCP, UDP, ICMP over IPv4 or ICMPv6 over IPv6");
  p = ok, p.vlan = 4095;
  expect_refusal(&p, SIM_E_INVAL, "vlan 4095: above 4094 (802.1Q reserves 4095)");
  p = ok, p.encapsulated = 2;
  expect_refusal(&p, SIM_E_INVAL, "encapsulated 2: not 0 or 1");
  p = ok, encapsulate(&p, "10.1.0.1", "10.1.0.2", 0x1000000);
  expect_refusal(&p, SIM_E_INVAL, "outer.vni 16777216: above 24 bits (16777215)");
  p = ok, encapsulate(&p, "10.1.0.1", "10.1.0.2", 1), p.outer.dst.family = 0;
  expect_refusal(&p, SIM_E_INVAL, "outer.dst.family 0 differs from outer.src.family 4");
  p = ok, p.payload_len = 200;
  expect_refusal(&p, SIM_E_SHORT, "buffer of 128 bytes is too small for the 254-byte frame");

  size_t len = 0;
  char err[SIM_FRAME_ERR];
  assert_int_equal(sim_frame_write(NULL, g_frame, sizeof g_frame, &len, err), SIM_E_INVAL);
  assert_string_equal(err, "packet is NULL");
  assert_int_equal(sim_frame_write(&ok, g_frame, sizeof g_frame, NULL, err), SIM_E_INVAL);
  assert_string_equal(err, "len is NULL");
  assert_int_equal(sim_frame_write(&ok, NULL, 10, &len, err), SIM_E_INVAL);
  assert_string_equal(err, "buf is NULL with cap 10");
  /* cap 0 and no buffer: the length alone. */
  assert_int_equal(sim_frame_write(&ok, NULL, 0, &len, err), SIM_E_SHORT);
  assert_int_equal(len, 54);
  assert_string_equal(sim_strerror(SIM_E_SHORT), "buffer too small");
}

/* The same packet gives the same bytes, whatever the buffer held. */
static void deterministic(void **state) {
  (void)state;
  sim_packet p = packet(77, "10.244.1.5", 1234, "10.244.2.7", 80, SIM_IPPROTO_TCP, 128);
  p.tcp_flags = SIM_TCP_ACK;
  p.payload_len = 20;
  encapsulate(&p, "10.1.0.1", "10.1.0.2", 5000);
  uint8_t a[256], b[256];
  size_t la, lb;
  memset(a, 0x00, sizeof a);
  memset(b, 0xFF, sizeof b);
  assert_int_equal(sim_frame_write(&p, a, sizeof a, &la, NULL), SIM_OK);
  assert_int_equal(sim_frame_write(&p, b, sizeof b, &lb, NULL), SIM_OK);
  assert_int_equal(la, lb);
  assert_memory_equal(a, b, la);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ipv4_tcp_syn),
      cmocka_unit_test(ipv4_udp_tagged_odd_payload),
      cmocka_unit_test(ipv4_icmp_echo),
      cmocka_unit_test(ipv6_tcp_and_icmpv6),
      cmocka_unit_test(vxlan_over_ipv4),
      cmocka_unit_test(vxlan_over_ipv6),
      cmocka_unit_test(tcp_handshake_numbers),
      cmocka_unit_test(length_limits),
      cmocka_unit_test(refusals),
      cmocka_unit_test(deterministic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
