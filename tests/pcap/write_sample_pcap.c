/* write_sample_pcap.c: writes the pcapng file that test_pcap_tshark.sh has
 * tshark decode: one frame of each kind sim_frame writes (IPv4 TCP SYN, UDP
 * to the DNS port, ICMP echo, IPv6 TCP, ICMPv6 echo, an 802.1Q-tagged frame,
 * TCP inside VXLAN over IPv4 and over IPv6) on two capture points, each with
 * a nanosecond timestamp and a comment naming its probe.
 * Usage: write_sample_pcap OUT.pcapng. Exit 0, or 1 with a message. */
#include <stdio.h>
#include <string.h>
#include "rpt_pcap.h"
#include "sim_frame.h"
#include "sim_status.h"

static sim_packet base(uint64_t id, const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t proto) {
  sim_packet p;
  memset(&p, 0, sizeof p);
  p.id = id;
  sim_mac_parse("00-15-5D-01-02-03", &p.eth_src);
  sim_mac_parse("00-15-5D-0A-0B-0C", &p.eth_dst);
  sim_ip_parse(src, &p.flow.src);
  sim_ip_parse(dst, &p.flow.dst);
  p.flow.sport = sport, p.flow.dport = dport, p.flow.proto = proto;
  p.ttl = 128;
  return p;
}

static void vxlan(sim_packet *p, const char *outer_src, const char *outer_dst) {
  p->encapsulated = 1;
  sim_mac_parse("00-15-5D-AA-00-01", &p->outer.eth_src);
  sim_mac_parse("00-15-5D-AA-00-02", &p->outer.eth_dst);
  sim_ip_parse(outer_src, &p->outer.src);
  sim_ip_parse(outer_dst, &p->outer.dst);
  p->outer.sport = 49876;
  p->outer.dport = SIM_VXLAN_PORT;
  p->outer.vni = 4096;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: write_sample_pcap OUT.pcapng\n");
    return 1;
  }
  sim_packet p[8];
  p[0] = base(1, "10.244.1.5", 49152, "10.96.0.1", 443, SIM_IPPROTO_TCP);
  p[0].tcp_flags = SIM_TCP_SYN;
  p[1] = base(2, "10.244.1.5", 53000, "10.96.0.10", 53, SIM_IPPROTO_UDP);
  p[1].payload_len = 12; /* a DNS header of zeros: a query with no questions */
  p[2] = base(3, "10.244.1.5", 7, "8.8.8.8", 0, SIM_IPPROTO_ICMP);
  p[2].icmp_type = 8;
  p[2].payload_len = 32;
  p[3] = base(4, "fd00::5", 40000, "fd00::a", 80, SIM_IPPROTO_TCP);
  p[3].tcp_flags = SIM_TCP_SYN | SIM_TCP_ACK;
  p[3].payload_len = 10;
  p[4] = base(5, "fd00::5", 9, "fd00::a", 0, SIM_IPPROTO_ICMPV6);
  p[4].icmp_type = 128;
  p[4].payload_len = 8;
  p[5] = base(6, "192.168.100.5", 40002, "192.168.100.6", 40003, SIM_IPPROTO_UDP);
  p[5].vlan = 100;
  p[5].payload_len = 5; /* odd, so the checksum pads a byte */
  p[6] = base(7, "10.244.1.5", 49153, "10.244.2.7", 80, SIM_IPPROTO_TCP);
  p[6].tcp_flags = SIM_TCP_SYN;
  vxlan(&p[6], "10.127.130.36", "10.127.130.38");
  p[7] = base(8, "10.244.1.5", 49154, "10.244.2.7", 8080, SIM_IPPROTO_TCP);
  p[7].tcp_flags = SIM_TCP_ACK;
  p[7].payload_len = 100;
  vxlan(&p[7], "fd00:127::36", "fd00:127::38");
  static const int64_t when[8] = {1000000001, 1000000002, 1500000000, 2000000123, 2000000999, 3000000000, 4000000007,
                                  5123456789};

  rpt_pcap *pc = NULL;
  uint32_t port, nic;
  int rc = rpt_pcap_open(argv[1], &pc);
  if (rc == RPT_OK) rc = rpt_pcap_add_interface(pc, "node1/vSwitch cbr0/port 0E00", &port);
  if (rc == RPT_OK) rc = rpt_pcap_add_interface(pc, "node1/NIC Ethernet0", &nic);
  static uint8_t frame[SIM_FRAME_MAX];
  for (int i = 0; i < 8 && rc == RPT_OK; i++) {
    size_t len;
    char err[SIM_FRAME_ERR];
    int src = sim_frame_write(&p[i], frame, sizeof frame, &len, err);
    if (src != SIM_OK) {
      fprintf(stderr, "write_sample_pcap: frame %d: %s\n", i + 1, err);
      rpt_pcap_close(pc);
      return 1;
    }
    char comment[64];
    snprintf(comment, sizeof comment, "probe %d stage %s", i + 1, p[i].encapsulated ? "encap" : "port-out");
    rc = rpt_pcap_write(pc, p[i].encapsulated ? nic : port, when[i], frame, len, comment);
  }
  if (rc == RPT_OK) rc = rpt_pcap_flush(pc);
  if (rc != RPT_OK) fprintf(stderr, "write_sample_pcap: %s\n", rpt_pcap_errmsg(pc));
  if (rpt_pcap_close(pc) != RPT_OK && rc == RPT_OK) {
    fprintf(stderr, "write_sample_pcap: closing '%s' failed\n", argv[1]);
    rc = RPT_E_IO;
  }
  return rc == RPT_OK ? 0 : 1;
}
