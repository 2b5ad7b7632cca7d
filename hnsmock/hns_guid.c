/* hns_guid.c: GUID text parsing and printing, comparison, and deterministic
 * IDs. No randomness here: IDs come from bits the caller derives from the
 * run's seed, so the same run gives the same IDs. */
#include "hns_guid.h"

#include <string.h>

static int sim__hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads n hex digits at s; -1 if any is not hex. */
static int hns__hexn(const char *s, int n, uint32_t *v) {
  uint32_t x = 0;
  for (int i = 0; i < n; i++) {
    int d = sim__hexval(s[i]);
    if (d < 0) return -1;
    x = (x << 4) | (uint32_t)d;
  }
  *v = x;
  return 0;
}

int hns_guid_parse(const char *s, hns_guid *out) {
  if (!s || !out) return -1;
  size_t len = strlen(s);
  if (len == 38) {
    if (s[0] != '{' || s[37] != '}') return -1;
    s++;
  } else if (len != 36) {
    return -1;
  }
  if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return -1;
  uint32_t d1, d2, d3, b;
  hns_guid g;
  if (hns__hexn(s, 8, &d1) || hns__hexn(s + 9, 4, &d2) || hns__hexn(s + 14, 4, &d3)) return -1;
  g.Data1 = d1;
  g.Data2 = (uint16_t)d2;
  g.Data3 = (uint16_t)d3;
  for (int i = 0; i < 2; i++) {
    if (hns__hexn(s + 19 + 2 * i, 2, &b)) return -1;
    g.Data4[i] = (uint8_t)b;
  }
  for (int i = 0; i < 6; i++) {
    if (hns__hexn(s + 24 + 2 * i, 2, &b)) return -1;
    g.Data4[2 + i] = (uint8_t)b;
  }
  *out = g;
  return 0;
}

void hns_guid_format(const hns_guid *g, int upper, char out[37]) {
  const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char *p = out;
  for (int i = 7; i >= 0; i--) *p++ = hex[(g->Data1 >> (4 * i)) & 0xF];
  *p++ = '-';
  for (int i = 3; i >= 0; i--) *p++ = hex[(g->Data2 >> (4 * i)) & 0xF];
  *p++ = '-';
  for (int i = 3; i >= 0; i--) *p++ = hex[(g->Data3 >> (4 * i)) & 0xF];
  *p++ = '-';
  for (int i = 0; i < 8; i++) {
    if (i == 2) *p++ = '-';
    *p++ = hex[g->Data4[i] >> 4];
    *p++ = hex[g->Data4[i] & 0xF];
  }
  *p = '\0';
}

int hns_guid_is_zero(const hns_guid *g) {
  if (g->Data1 || g->Data2 || g->Data3) return 0;
  for (int i = 0; i < 8; i++)
    if (g->Data4[i]) return 0;
  return 1;
}

int hns_guid_equal(const hns_guid *a, const hns_guid *b) { return hns_guid_compare(a, b) == 0; }

int hns_guid_compare(const hns_guid *a, const hns_guid *b) {
  if (a->Data1 != b->Data1) return a->Data1 < b->Data1 ? -1 : 1;
  if (a->Data2 != b->Data2) return a->Data2 < b->Data2 ? -1 : 1;
  if (a->Data3 != b->Data3) return a->Data3 < b->Data3 ? -1 : 1;
  return memcmp(a->Data4, b->Data4, sizeof a->Data4);
}

/* In text form the version is the first digit of the third group and the
 * variant the first digit of the fourth, i.e. Data3's top nibble and
 * Data4[0]'s top two bits (RFC 4122 §4.1.3, §4.1.1; Microsoft's GUID byte
 * layout puts Data1..Data3 in the same positions of the text). */
void hns_guid_from_u64(uint64_t a, uint64_t b, hns_guid *out) {
  out->Data1 = (uint32_t)(a >> 32);
  out->Data2 = (uint16_t)(a >> 16);
  out->Data3 = (uint16_t)((a & 0x0FFFu) | 0x4000u);
  for (int i = 0; i < 8; i++) out->Data4[i] = (uint8_t)(b >> (56 - 8 * i));
  out->Data4[0] = (uint8_t)((out->Data4[0] & 0x3Fu) | 0x80u);
}
