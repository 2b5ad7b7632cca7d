/* hns_addr.h: IP addresses, address prefixes and MAC addresses as they
 * appear in HNS documents (IpAddress, IpAddressPrefix, DestinationPrefix,
 * MacAddress, MacPool ranges), with the arithmetic IPAM and MAC pools need.
 *
 * Values are plain structs with no padding-dependent meaning: unused address
 * bytes are always zero, so structs compare and hash the same on every
 * build. */
#ifndef HNS_ADDR_H
#define HNS_ADDR_H
#include <stdint.h>

typedef struct hns_ip {
  uint8_t family; /* 4 or 6 */
  uint8_t b[16];  /* network order; IPv4 in b[0..3], the rest zero */
} hns_ip;

/* IPv4 dotted quad or IPv6 text, as inet_pton reads them (glibc: no leading
 * zeros, no octal/hex, no shorthand like "10.1"; no IPv6 zone). Returns 0, or
 * -1 with *out untouched. */
int hns_ip_parse(const char *s, hns_ip *out);

/* The canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, longest
 * zero run compressed), via inet_ntop. An invalid family gives "". */
void hns_ip_format(const hns_ip *ip, char out[46]);

int hns_ip_equal(const hns_ip *a, const hns_ip *b);
/* Family (4 before 6), then the address bytes. */
int hns_ip_compare(const hns_ip *a, const hns_ip *b);

typedef struct hns_prefix {
  hns_ip addr; /* as given: host bits may be set ("10.0.0.1/24") */
  uint8_t len;
} hns_prefix;

/* "10.0.0.0/24", "fd00::/64": an address, "/", and a decimal length of 0..32
 * (IPv4) or 0..128 (IPv6) with no sign and no leading zero. The length is
 * required. Host bits may be set; see hns_prefix_network. Returns 0, or -1
 * with *out untouched. */
int hns_prefix_parse(const char *s, hns_prefix *out);

/* "addr/len", with the address as given. */
void hns_prefix_format(const hns_prefix *p, char out[50]);

/* The address with its host bits cleared ("10.0.0.1/24" -> 10.0.0.0). */
void hns_prefix_network(const hns_prefix *p, hns_ip *out);

/* 1 if ip is of the same family and its first len bits match, else 0. */
int hns_prefix_contains(const hns_prefix *p, const hns_ip *ip);

/* 1 if the two prefixes share at least one address, else 0. */
int hns_prefix_overlaps(const hns_prefix *a, const hns_prefix *b);

/* The number of addresses, 2^(bits - len), saturating at UINT64_MAX (so a
 * /64 and anything larger report UINT64_MAX). */
uint64_t hns_prefix_size(const hns_prefix *p);

/* The n-th address counting from the network address (n = 0 is the network
 * address itself). Returns 0, or -1 (and *out untouched) when n is outside
 * the prefix. */
int hns_prefix_nth(const hns_prefix *p, uint64_t n, hns_ip *out);

typedef struct hns_mac {
  uint8_t b[6];
} hns_mac;

/* Six two-digit hex groups of any case, separated all by '-' (HNS's form,
 * "00-15-5D-52-C0-00") or all by ':' ("00:15:5d:52:c0:00"). Returns 0, or -1
 * with *out untouched. */
int hns_mac_parse(const char *s, hns_mac *out);

/* HNS's form: upper case with dashes, "00-15-5D-52-C0-00" (hns-api-facts.md
 * §3.3, MacPool). */
void hns_mac_format(const hns_mac *m, char out[18]);

/* The 48 bits as an integer (b[0] most significant), for pool arithmetic. */
uint64_t hns_mac_to_u64(const hns_mac *m);
/* The low 48 bits of v; higher bits are ignored. */
void hns_mac_from_u64(uint64_t v, hns_mac *out);

#endif
