/* sim_addr.c: parsing, printing and arithmetic for IP addresses, prefixes
 * and MACs. Text conversion of IPs is inet_pton/inet_ntop's, so what we
 * accept and print is what the C library does; everything else is byte
 * arithmetic on network-order arrays. How strictly HNS itself parses these
 * strings is not documented; the strict reading here is (inferred). */
#include "sim_addr.h"

#include <arpa/inet.h>
#include <string.h>

static int sim__ip_bytes(const sim_ip *ip) { return ip->family == 4 ? 4 : 16; }
static int sim__ip_bits(const sim_ip *ip) { return ip->family == 4 ? 32 : 128; }

int sim_ip_parse(const char *s, sim_ip *out) {
  if (!s || !out) return -1;
  unsigned char buf[16];
  sim_ip ip;
  memset(&ip, 0, sizeof ip);
  if (inet_pton(AF_INET, s, buf) == 1) {
    ip.family = 4;
    memcpy(ip.b, buf, 4);
  } else if (inet_pton(AF_INET6, s, buf) == 1) {
    ip.family = 6;
    memcpy(ip.b, buf, 16);
  } else {
    return -1;
  }
  *out = ip;
  return 0;
}

/* A dotted quad by hand (what inet_ntop prints, without its sprintf: the
 * walk formats an address on every traced hop); IPv6 through inet_ntop. */
void sim_ip_format(const sim_ip *ip, char out[46]) {
  out[0] = '\0';
  if (ip->family == 4) {
    char *p = out;
    for (int i = 0; i < 4; i++) {
      unsigned v = ip->b[i];
      if (i) *p++ = '.';
      if (v >= 100) *p++ = (char)('0' + v / 100);
      if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
      *p++ = (char)('0' + v % 10);
    }
    *p = '\0';
  } else if (ip->family == 6) {
    inet_ntop(AF_INET6, ip->b, out, 46);
  }
}

/* sim_ip_compare(a, b) == 0, with fixed-size compares (the data plane
 * compares addresses on every step). */
int sim_ip_equal(const sim_ip *a, const sim_ip *b) {
  if (a->family != b->family) return 0;
  return a->family == 4 ? !memcmp(a->b, b->b, 4) : !memcmp(a->b, b->b, 16);
}

int sim_ip_compare(const sim_ip *a, const sim_ip *b) {
  if (a->family != b->family) return a->family < b->family ? -1 : 1;
  return memcmp(a->b, b->b, (size_t)sim__ip_bytes(a));
}

/* Clears every bit from position len on. */
static void sim__mask(uint8_t b[16], int nbytes, int len) {
  for (int i = 0; i < nbytes; i++) {
    int keep = len - 8 * i; /* bits of this byte to keep */
    if (keep >= 8) continue;
    b[i] = keep <= 0 ? 0 : (uint8_t)(b[i] & (0xFFu << (8 - keep)));
  }
}

int sim_prefix_parse(const char *s, sim_prefix *out) {
  if (!s || !out) return -1;
  const char *slash = strchr(s, '/');
  if (!slash || strchr(slash + 1, '/')) return -1;
  size_t alen = (size_t)(slash - s);
  char abuf[46];
  if (alen == 0 || alen >= sizeof abuf) return -1;
  memcpy(abuf, s, alen);
  abuf[alen] = '\0';
  sim_ip ip;
  if (sim_ip_parse(abuf, &ip)) return -1;
  const char *l = slash + 1;
  size_t llen = strlen(l);
  if (llen == 0 || llen > 3 || (llen > 1 && l[0] == '0')) return -1;
  unsigned v = 0;
  for (size_t i = 0; i < llen; i++) {
    if (l[i] < '0' || l[i] > '9') return -1;
    v = v * 10 + (unsigned)(l[i] - '0');
  }
  if (v > (unsigned)sim__ip_bits(&ip)) return -1;
  out->addr = ip;
  out->len = (uint8_t)v;
  return 0;
}

void sim_prefix_format(const sim_prefix *p, char out[50]) {
  char a[46];
  sim_ip_format(&p->addr, a);
  if (!a[0]) {
    out[0] = '\0';
    return;
  }
  /* 45 + "/128" + NUL fits in 50. */
  size_t n = strlen(a);
  memcpy(out, a, n);
  out[n++] = '/';
  unsigned v = p->len;
  if (v >= 100) out[n++] = (char)('0' + v / 100);
  if (v >= 10) out[n++] = (char)('0' + (v / 10) % 10);
  out[n++] = (char)('0' + v % 10);
  out[n] = '\0';
}

void sim_prefix_network(const sim_prefix *p, sim_ip *out) {
  sim_ip ip = p->addr;
  sim__mask(ip.b, sim__ip_bytes(&ip), p->len);
  *out = ip;
}

int sim_prefix_contains(const sim_prefix *p, const sim_ip *ip) {
  if (ip->family != p->addr.family) return 0;
  sim_ip a = p->addr, b = *ip;
  sim__mask(a.b, sim__ip_bytes(&a), p->len);
  sim__mask(b.b, sim__ip_bytes(&b), p->len);
  return memcmp(a.b, b.b, (size_t)sim__ip_bytes(&a)) == 0;
}

/* Two prefixes overlap exactly when the shorter one contains the other's
 * network address. */
int sim_prefix_overlaps(const sim_prefix *a, const sim_prefix *b) {
  if (a->addr.family != b->addr.family) return 0;
  const sim_prefix *wide = a->len <= b->len ? a : b;
  const sim_prefix *narrow = wide == a ? b : a;
  return sim_prefix_contains(wide, &narrow->addr);
}

uint64_t sim_prefix_size(const sim_prefix *p) {
  int host = sim__ip_bits(&p->addr) - p->len;
  if (host >= 64) return UINT64_MAX;
  return (uint64_t)1 << host;
}

int sim_prefix_nth(const sim_prefix *p, uint64_t n, sim_ip *out) {
  int host = sim__ip_bits(&p->addr) - p->len;
  if (host < 0) return -1;
  if (host < 64 && n >= ((uint64_t)1 << host)) return -1;
  sim_ip ip;
  sim_prefix_network(p, &ip);
  /* n fits in the host bits, so adding it from the last byte up never
   * carries into the network bits. */
  int nb = sim__ip_bytes(&ip);
  unsigned carry = 0;
  for (int i = nb - 1; i >= 0 && (n || carry); i--) {
    unsigned sum = ip.b[i] + (unsigned)(n & 0xFF) + carry;
    ip.b[i] = (uint8_t)sum;
    carry = sum >> 8;
    n >>= 8;
  }
  *out = ip;
  return 0;
}

static int sim__hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int sim_mac_parse(const char *s, sim_mac *out) {
  if (!s || !out || strlen(s) != 17) return -1;
  char sep = s[2];
  if (sep != '-' && sep != ':') return -1;
  sim_mac m;
  for (int i = 0; i < 6; i++) {
    const char *g = s + 3 * i;
    if (i < 5 && g[2] != sep) return -1;
    int hi = sim__hexval(g[0]), lo = sim__hexval(g[1]);
    if (hi < 0 || lo < 0) return -1;
    m.b[i] = (uint8_t)(hi << 4 | lo);
  }
  *out = m;
  return 0;
}

void sim_mac_format(const sim_mac *m, char out[18]) {
  static const char hex[] = "0123456789ABCDEF";
  for (int i = 0; i < 6; i++) {
    out[3 * i] = hex[m->b[i] >> 4];
    out[3 * i + 1] = hex[m->b[i] & 0xF];
    out[3 * i + 2] = i < 5 ? '-' : '\0';
  }
}

uint64_t sim_mac_to_u64(const sim_mac *m) {
  uint64_t v = 0;
  for (int i = 0; i < 6; i++) v = (v << 8) | m->b[i];
  return v;
}

void sim_mac_from_u64(uint64_t v, sim_mac *out) {
  for (int i = 5; i >= 0; i--) {
    out->b[i] = (uint8_t)(v & 0xFF);
    v >>= 8;
  }
}
