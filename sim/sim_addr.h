/* sim_addr.h: IP addresses, address prefixes and MAC addresses, for the
 * model and its packets and for the HNS documents that name them
 * (IpAddress, IpAddressPrefix, DestinationPrefix, MacAddress, MacPool
 * ranges), with the arithmetic IPAM, MAC pools and route tables need.
 *
 * Values are plain structs with no padding-dependent meaning: unused address
 * bytes are always zero, so structs compare and hash the same on every
 * build. */
#ifndef SIM_ADDR_H
#define SIM_ADDR_H
#include <stdint.h>

typedef struct sim_ip {
  uint8_t family; /* 4 or 6 */
  uint8_t b[16];  /* network order; IPv4 in b[0..3], the rest zero */
} sim_ip;

/* IPv4 dotted quad or IPv6 text, as inet_pton reads them (glibc: no leading
 * zeros, no octal/hex, no shorthand like "10.1"; no IPv6 zone). Returns 0, or
 * -1 with *out untouched. */
int sim_ip_parse(const char *s, sim_ip *out);

/* The canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, longest
 * zero run compressed), as inet_ntop prints them (IPv4 is written by hand,
 * IPv6 by inet_ntop). An invalid family gives "". */
void sim_ip_format(const sim_ip *ip, char out[46]);

int sim_ip_equal(const sim_ip *a, const sim_ip *b);
/* Family (4 before 6), then the address bytes. */
int sim_ip_compare(const sim_ip *a, const sim_ip *b);

typedef struct sim_prefix {
  sim_ip addr; /* as given: host bits may be set ("10.0.0.1/24") */
  uint8_t len;
} sim_prefix;

/* "10.0.0.0/24", "fd00::/64": an address, "/", and a decimal length of 0..32
 * (IPv4) or 0..128 (IPv6) with no sign and no leading zero. The length is
 * required. Host bits may be set; see sim_prefix_network. Returns 0, or -1
 * with *out untouched. */
int sim_prefix_parse(const char *s, sim_prefix *out);

/* "addr/len", with the address as given. */
void sim_prefix_format(const sim_prefix *p, char out[50]);

/* The address with its host bits cleared ("10.0.0.1/24" -> 10.0.0.0). */
void sim_prefix_network(const sim_prefix *p, sim_ip *out);

/* 1 if ip is of the same family and its first len bits match, else 0. */
int sim_prefix_contains(const sim_prefix *p, const sim_ip *ip);

/* 1 if the two prefixes share at least one address, else 0. */
int sim_prefix_overlaps(const sim_prefix *a, const sim_prefix *b);

/* The number of addresses, 2^(bits - len), saturating at UINT64_MAX (so a
 * /64 and anything larger report UINT64_MAX). */
uint64_t sim_prefix_size(const sim_prefix *p);

/* The n-th address counting from the network address (n = 0 is the network
 * address itself). Returns 0, or -1 (and *out untouched) when n is outside
 * the prefix. */
int sim_prefix_nth(const sim_prefix *p, uint64_t n, sim_ip *out);

typedef struct sim_mac {
  uint8_t b[6];
} sim_mac;

/* Six two-digit hex groups of any case, separated all by '-' (HNS's form,
 * "00-15-5D-52-C0-00") or all by ':' ("00:15:5d:52:c0:00"). Returns 0, or -1
 * with *out untouched. */
int sim_mac_parse(const char *s, sim_mac *out);

/* HNS's form: upper case with dashes, "00-15-5D-52-C0-00" (hns-api-facts.md
 * §3.3, MacPool). */
void sim_mac_format(const sim_mac *m, char out[18]);

/* The 48 bits as an integer (b[0] most significant), for pool arithmetic. */
uint64_t sim_mac_to_u64(const sim_mac *m);
/* The low 48 bits of v; higher bits are ignored. */
void sim_mac_from_u64(uint64_t v, sim_mac *out);

#endif
