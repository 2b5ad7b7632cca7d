/* hcn_utf16.c: UTF-16 <-> UTF-8 for the Windows-signature layer (see
 * hcn_utf16.h for why one direction refuses and the other substitutes).
 *
 * Each direction makes two passes over its input with one routine: the first
 * counts the output (out == NULL), the second writes it, so the result is
 * allocated once at its exact size with the caller's allocator (which may be
 * CoTaskMemAlloc, for which there is no realloc in this layer). A leading
 * run of ASCII, which is all of nearly every JSON document, is measured by a
 * plain scan and copied unit for byte; the routines start after it (an ASCII
 * unit is never part of a longer sequence, so where they start changes
 * nothing). */
#include "hcn_utf16.h"

#include <stdlib.h>

#define HCN__REPLACEMENT 0xFFFDu

size_t hcn_utf16_len(const uint16_t *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* ---- UTF-16 -> UTF-8 ---------------------------------------------------- */

static size_t hcn__ascii_units(const uint16_t *s) {
  size_t n = 0;
  while (s[n] && s[n] < 0x80u) n++;
  return n;
}

/* Encodes `in` as UTF-8 into out (when non-NULL); returns the byte count, or
 * SIZE_MAX at the first unpaired surrogate. High surrogates are D800..DBFF,
 * low DC00..DFFF; a pair gives 0x10000 + ((hi - D800) << 10) + (lo - DC00)
 * (Unicode 15 §3.9, D91). */
static size_t hcn__encode_utf8(const uint16_t *in, unsigned char *out) {
  size_t n = 0;
  for (size_t i = 0; in[i]; i++) {
    uint32_t c = in[i];
    if (c >= 0xD800u && c <= 0xDBFFu) {
      uint32_t lo = in[i + 1]; /* the terminator (0) is not a low surrogate */
      if (lo < 0xDC00u || lo > 0xDFFFu) return SIZE_MAX;
      c = 0x10000u + ((c - 0xD800u) << 10) + (lo - 0xDC00u);
      i++;
    } else if (c >= 0xDC00u && c <= 0xDFFFu) {
      return SIZE_MAX;
    }
    if (c < 0x80u) {
      if (out) out[n] = (unsigned char)c;
      n += 1;
    } else if (c < 0x800u) {
      if (out) {
        out[n] = (unsigned char)(0xC0u | (c >> 6));
        out[n + 1] = (unsigned char)(0x80u | (c & 0x3Fu));
      }
      n += 2;
    } else if (c < 0x10000u) {
      if (out) {
        out[n] = (unsigned char)(0xE0u | (c >> 12));
        out[n + 1] = (unsigned char)(0x80u | ((c >> 6) & 0x3Fu));
        out[n + 2] = (unsigned char)(0x80u | (c & 0x3Fu));
      }
      n += 3;
    } else {
      if (out) {
        out[n] = (unsigned char)(0xF0u | (c >> 18));
        out[n + 1] = (unsigned char)(0x80u | ((c >> 12) & 0x3Fu));
        out[n + 2] = (unsigned char)(0x80u | ((c >> 6) & 0x3Fu));
        out[n + 3] = (unsigned char)(0x80u | (c & 0x3Fu));
      }
      n += 4;
    }
  }
  return n;
}

hns_hr hcn_utf16_to_utf8(const uint16_t *in, char **out) {
  if (!out) return HNS_E_POINTER;
  *out = NULL;
  if (!in) return HNS_E_POINTER;
  size_t ascii = hcn__ascii_units(in);
  size_t rest = hcn__encode_utf8(in + ascii, NULL);
  if (rest == SIZE_MAX) return HNS_E_INVALIDARG;
  size_t n = ascii + rest;
  unsigned char *buf = malloc(n + 1);
  if (!buf) return HNS_E_OUTOFMEMORY;
  for (size_t i = 0; i < ascii; i++) buf[i] = (unsigned char)in[i];
  hcn__encode_utf8(in + ascii, buf + ascii);
  buf[n] = 0;
  *out = (char *)buf;
  return HNS_S_OK;
}

/* ---- UTF-8 -> UTF-16 ---------------------------------------------------- */

/* The well-formed byte sequences (Unicode 15 Table 3-7): given the lead byte,
 * how many continuation bytes follow and the allowed range of the first one
 * (the others are always 80..BF). Returns 0 for a byte that cannot lead. */
static int hcn__utf8_lead(unsigned char b, unsigned char *lo, unsigned char *hi) {
  *lo = 0x80;
  *hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) return 1;
  if (b == 0xE0) { *lo = 0xA0; return 2; }
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return 2;
  if (b == 0xED) { *hi = 0x9F; return 2; } /* no encoded surrogates */
  if (b == 0xF0) { *lo = 0x90; return 3; }
  if (b >= 0xF1 && b <= 0xF3) return 3;
  if (b == 0xF4) { *hi = 0x8F; return 3; } /* nothing above U+10FFFF */
  return 0;
}

/* Decodes `in` into UTF-16 units written to out (when non-NULL); returns the
 * unit count. An ill-formed sequence yields one U+FFFD for its maximal
 * subpart: the longest prefix of a well-formed sequence, or one byte. The
 * terminating 0 is never a continuation byte, so a sequence cut short by the
 * end of the string is handled like any other. */
static size_t hcn__decode_utf8(const unsigned char *in, uint16_t *out) {
  size_t n = 0;
  size_t i = 0;
  while (in[i]) {
    unsigned char b = in[i];
    uint32_t c;
    size_t used;
    if (b < 0x80) {
      c = b;
      used = 1;
    } else {
      unsigned char lo, hi;
      int more = hcn__utf8_lead(b, &lo, &hi);
      c = (uint32_t)b & (more == 1 ? 0x1Fu : more == 2 ? 0x0Fu : 0x07u);
      used = 1;
      int k = 0;
      for (; k < more; k++) {
        unsigned char t = in[i + used];
        if (t < (k == 0 ? lo : 0x80) || t > (k == 0 ? hi : 0xBF)) break;
        c = (c << 6) | (t & 0x3Fu);
        used++;
      }
      if (more == 0 || k < more) c = HCN__REPLACEMENT;
    }
    i += used;
    if (c >= 0x10000u) {
      if (out) {
        out[n] = (uint16_t)(0xD800u + ((c - 0x10000u) >> 10));
        out[n + 1] = (uint16_t)(0xDC00u + ((c - 0x10000u) & 0x3FFu));
      }
      n += 2;
    } else {
      if (out) out[n] = (uint16_t)c;
      n += 1;
    }
  }
  return n;
}

hns_hr hcn_utf8_to_utf16(const char *in, hcn_alloc_fn alloc, uint16_t **out) {
  if (!out) return HNS_E_POINTER;
  *out = NULL;
  if (!in) return HNS_E_POINTER;
  const unsigned char *s = (const unsigned char *)in;
  size_t ascii = 0;
  while (s[ascii] && s[ascii] < 0x80u) ascii++;
  size_t n = ascii + hcn__decode_utf8(s + ascii, NULL);
  if (n > SIZE_MAX / sizeof(uint16_t) - 1) return HNS_E_OUTOFMEMORY;
  uint16_t *buf = alloc ? alloc((n + 1) * sizeof *buf) : malloc((n + 1) * sizeof *buf);
  if (!buf) return HNS_E_OUTOFMEMORY;
  for (size_t i = 0; i < ascii; i++) buf[i] = s[i];
  hcn__decode_utf8(s + ascii, buf + ascii);
  buf[n] = 0;
  *out = buf;
  return HNS_S_OK;
}
