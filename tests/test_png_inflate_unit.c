/* test_png_inflate_unit.c: the zlib/DEFLATE decoder of test_png_inflate.c:
 * hand-built stored, fixed-Huffman and dynamic-Huffman streams (a bit writer
 * here puts codes as RFC 1951 orders them), streams from zlib itself (made
 * once with python3's zlib and embedded, with the data they hold regenerated
 * here), every malformation the decoder names, and truncated, bit-flipped
 * and corrupted copies of good streams, which must fail (or, where the flip
 * lands in ignored padding, give the same output) without reading or
 * writing out of bounds: inputs and outputs are heap blocks of exact size so
 * ASan sees any overrun. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_png_inflate.h"

/* ---- data the embedded streams hold, and their source ---------------- */

/* The generator the embedded streams' data came from (the C library's
 * example rand: x = x * 1103515245 + 12345 mod 2^31, its bits 16..30). */
static unsigned lcg_next(uint32_t *x) {
  *x = (*x * 1103515245u + 12345u) & 0x7FFFFFFFu;
  return *x >> 16;
}

/* n bytes of words from a small list: compressible, with matches. */
static void make_text(unsigned char *out, size_t n, uint32_t seed) {
  static const char *const words[8] = {"the ", "packet ", "drops ", "at ", "node2 ", "route ", "10.244.2.5 ", "policy "};
  size_t at = 0;
  while (at < n) {
    const char *w = words[lcg_next(&seed) % 8];
    for (size_t i = 0; w[i] && at < n; i++) out[at++] = (unsigned char)w[i];
  }
}

/* n bytes of noise: zlib stores them. */
static void make_noise(unsigned char *out, size_t n, uint32_t seed) {
  for (size_t i = 0; i < n; i++) out[i] = (unsigned char)(lcg_next(&seed) & 0xFF);
}

/* Made once with python3 (zlib 1.2.13) from the same generator:
 *   def lcg(x): x = (x * 1103515245 + 12345) & 0x7fffffff; return x, x >> 16
 *   text(n, seed): words as make_text; noise(n, seed): bytes as make_noise
 *   c = zlib.compressobj(9)
 *   mixed_z = c.compress(text(600, 1)) + c.flush(zlib.Z_SYNC_FLUSH)
 *             + c.compress(noise(300, 2)) + c.flush()
 *   c = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_FIXED)
 *   fixed_z = c.compress(text(600, 3)) + c.flush()
 * mixed_z is a dynamic block, the sync flush's empty stored block, then a
 * final stored block of the 300 bytes of noise; fixed_z one fixed block. */
static const unsigned char mixed_z[464] = {
    0x78, 0xda, 0x7c, 0x52, 0x61, 0x0a, 0x86, 0x20, 0x0c, 0xbd, 0x8a, 0x27, 0x90, 0x4f, 0xe9, 0x3b,
    0x90, 0x94, 0x50, 0x14, 0x29, 0x65, 0x3f, 0xba, 0x7d, 0xc8, 0x5b, 0xb5, 0xa5, 0x05, 0x3a, 0xa7,
    0xdb, 0xde, 0x7b, 0x53, 0xcd, 0x4f, 0xdb, 0xa6, 0xd1, 0x56, 0xff, 0x95, 0xb9, 0xdd, 0xe8, 0xda,
    0xd1, 0x27, 0xe5, 0xce, 0xd1, 0x2d, 0x21, 0xae, 0xd9, 0x99, 0x43, 0xe7, 0x2d, 0xcf, 0x5c, 0xc2,
    0x96, 0xbc, 0x8a, 0x61, 0x1a, 0xda, 0x9d, 0xa2, 0xb0, 0x04, 0x41, 0x91, 0xea, 0xce, 0x54, 0xb9,
    0xc1, 0x75, 0x66, 0x8a, 0x85, 0x2b, 0x14, 0x48, 0xa8, 0x49, 0xbd, 0x97, 0xe4, 0x38, 0x66, 0x55,
    0xbc, 0x1b, 0x52, 0x8e, 0xcc, 0xbb, 0x14, 0x56, 0xb4, 0x55, 0xb2, 0x23, 0x7c, 0x41, 0x91, 0xe4,
    0x27, 0x94, 0xab, 0x28, 0x78, 0x6d, 0xe1, 0x71, 0x43, 0x6f, 0xcc, 0xb2, 0x99, 0xcc, 0x05, 0x2d,
    0xb0, 0x5f, 0x74, 0x88, 0x15, 0x0f, 0xc8, 0x5c, 0x71, 0x77, 0x00, 0x2c, 0xe5, 0x96, 0xbf, 0x24,
    0x8b, 0xc8, 0xd3, 0xf1, 0xf7, 0x3d, 0x00, 0x00, 0x00, 0xff, 0xff, 0x01, 0x2c, 0x01, 0xd3, 0xfe,
    0x8c, 0x21, 0xff, 0x72, 0xed, 0xd7, 0x18, 0xd9, 0x4e, 0x13, 0x95, 0x13, 0xdc, 0x1b, 0x63, 0xfc,
    0x93, 0x06, 0xf6, 0xbf, 0x9c, 0xe5, 0x06, 0xe0, 0x6d, 0xb0, 0x0a, 0x05, 0x9f, 0xf2, 0x75, 0x87,
    0x8e, 0x34, 0xb3, 0xbc, 0xb3, 0x2b, 0xe2, 0x02, 0xc0, 0xa1, 0x51, 0x8c, 0x80, 0x23, 0xb9, 0xec,
    0x6d, 0x6f, 0x3d, 0x64, 0x0e, 0x9c, 0x23, 0xec, 0x17, 0x07, 0x50, 0x03, 0x3f, 0x01, 0x85, 0x36,
    0xdf, 0x3a, 0x5c, 0x71, 0x4f, 0xec, 0x00, 0x09, 0x00, 0xc7, 0xaf, 0x85, 0x59, 0xa0, 0xf1, 0x30,
    0x53, 0xd8, 0x95, 0x5f, 0xd3, 0x8d, 0x70, 0x82, 0xca, 0x83, 0xd5, 0xed, 0x0f, 0xd1, 0xd3, 0x64,
    0xf7, 0x4b, 0x31, 0x68, 0xba, 0xb3, 0x2b, 0x44, 0x85, 0x9e, 0xe9, 0xd6, 0x5e, 0x28, 0xc3, 0x1e,
    0xbc, 0x57, 0x37, 0x88, 0xe2, 0x50, 0xa6, 0xf9, 0xff, 0x3c, 0xd1, 0x9c, 0x07, 0xf7, 0x17, 0x69,
    0x4f, 0x7f, 0x6c, 0x7a, 0xeb, 0x17, 0x19, 0x0d, 0xc7, 0x3e, 0x36, 0x58, 0x88, 0x53, 0xe7, 0x10,
    0x20, 0x05, 0x59, 0xb8, 0x33, 0x7c, 0x7b, 0xaa, 0x2d, 0x49, 0x7d, 0xe6, 0x20, 0x0e, 0x09, 0x9e,
    0x5e, 0xed, 0x44, 0x7d, 0xda, 0xb1, 0x83, 0xbb, 0x3f, 0xbf, 0xcd, 0xe2, 0xce, 0xbb, 0x15, 0x5d,
    0xf8, 0xf9, 0x34, 0xc5, 0xbf, 0xaa, 0xa8, 0xeb, 0xcd, 0xc3, 0x0f, 0xa5, 0x51, 0xac, 0x61, 0x59,
    0x9d, 0xae, 0xf0, 0x4b, 0x81, 0x19, 0x21, 0xa6, 0x65, 0x38, 0xe8, 0x4c, 0x28, 0xf6, 0x05, 0x5d,
    0xbc, 0x4c, 0x00, 0x89, 0x7d, 0x72, 0xe5, 0x16, 0x56, 0xc1, 0xc0, 0xb0, 0x92, 0x6a, 0xd7, 0xf4,
    0x83, 0xd9, 0xaa, 0xbb, 0xd5, 0xe7, 0xab, 0x26, 0xaf, 0xc2, 0xbd, 0x6e, 0x8f, 0x9c, 0x6e, 0x69,
    0xe2, 0x16, 0xf5, 0xdb, 0x66, 0x6b, 0xea, 0x82, 0x40, 0x5d, 0xc7, 0xdf, 0xdd, 0xe0, 0x23, 0xc6,
    0x89, 0x87, 0xa8, 0xa5, 0xd0, 0xb2, 0xd9, 0x94, 0x98, 0x75, 0x86, 0x20, 0xfa, 0x47, 0x0a, 0xd7,
    0xe5, 0x6f, 0x4b, 0x93, 0x71, 0x2e, 0x6f, 0x87, 0x04, 0xad, 0x5e, 0x0b, 0x27, 0xa5, 0xfc, 0x27,
    0x26, 0xd0, 0x23, 0xe1, 0x69, 0x13, 0x63, 0x47, 0x95, 0x68, 0x79, 0x3b, 0xd3, 0xf8, 0x4f, 0x63,
};

static const unsigned char fixed_z[171] = {
    0x78, 0x01, 0x4b, 0x2c, 0x51, 0x48, 0x2c, 0x51, 0x28, 0xca, 0x2f, 0x2d, 0x49, 0x55, 0x28, 0xc9,
    0x48, 0x55, 0x30, 0x34, 0xd0, 0x33, 0x32, 0x31, 0xd1, 0x33, 0xd2, 0x33, 0x55, 0xc8, 0xcb, 0x4f,
    0x49, 0x35, 0x82, 0x4a, 0x15, 0xe4, 0xe7, 0x64, 0x26, 0x57, 0x82, 0x55, 0x40, 0x99, 0x10, 0x71,
    0x24, 0xe5, 0x50, 0x85, 0x89, 0xc9, 0xd9, 0xa9, 0xc8, 0x06, 0x42, 0x4c, 0x81, 0x90, 0x40, 0x9b,
    0x40, 0x42, 0x50, 0x0a, 0x22, 0x86, 0x60, 0xa5, 0x14, 0xe5, 0x17, 0x14, 0x43, 0xd9, 0x28, 0xc6,
    0x40, 0x85, 0x90, 0xed, 0x85, 0xa8, 0x85, 0x90, 0x40, 0xe3, 0x90, 0x9c, 0x01, 0xe4, 0x41, 0x35,
    0x03, 0x59, 0xc8, 0x5e, 0x40, 0x31, 0x0b, 0xa2, 0x02, 0x95, 0x42, 0x56, 0x06, 0xb5, 0x0c, 0x45,
    0x35, 0xd8, 0xf3, 0x98, 0xee, 0x82, 0xfa, 0x06, 0x5f, 0xd0, 0x20, 0x87, 0x01, 0x92, 0x30, 0x48,
    0x0b, 0xc4, 0x0b, 0x68, 0x21, 0x8f, 0x62, 0x4b, 0x62, 0x09, 0x9a, 0x0f, 0x11, 0x5a, 0x30, 0x4c,
    0xc4, 0x15, 0x1d, 0x18, 0xba, 0x21, 0x24, 0x76, 0x9d, 0x50, 0x5f, 0xa0, 0x87, 0x22, 0x94, 0x8f,
    0xa1, 0x13, 0xc3, 0x11, 0x60, 0x01, 0x00, 0x82, 0x29, 0xbd, 0x35,
};

/* The Adler-32 by its definition (RFC 1950, 8.2), reduced every byte. */
static uint32_t adler_reference(const unsigned char *p, size_t n) {
  uint32_t s1 = 1, s2 = 0;
  for (size_t i = 0; i < n; i++) {
    s1 = (s1 + p[i]) % 65521u;
    s2 = (s2 + s1) % 65521u;
  }
  return s2 << 16 | s1;
}

/* ---- a bit writer, to build streams by hand ---------------------------- */

typedef struct stream {
  unsigned char *buf;
  size_t len, cap;
  unsigned pending; /* bits used in buf[len], not yet a whole byte */
} stream;

static void put_byte(stream *s, unsigned byte) {
  if (s->len == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 256;
    s->buf = realloc(s->buf, s->cap);
    assert_non_null(s->buf);
  }
  s->buf[s->len++] = (unsigned char)byte;
}

/* value's n low bits, least significant first (header fields, extras). */
static void put_bits(stream *s, uint32_t value, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    if (!s->pending) put_byte(s, 0);
    s->buf[s->len - 1] |= (unsigned char)(((value >> i) & 1u) << s->pending);
    s->pending = (s->pending + 1) % 8;
  }
}

/* A Huffman code of n bits, most significant first (RFC 1951, 3.1.1). */
static void put_code(stream *s, uint32_t code, unsigned n) {
  while (n--) put_bits(s, code >> n, 1);
}

static void put_align(stream *s) {
  s->pending = 0;
}

static void put_zlib_header(stream *s) {
  put_byte(s, 0x78), put_byte(s, 0x01); /* deflate, 32K window; 0x7801 = 31 * 991 */
}

static void put_adler(stream *s, const unsigned char *data, size_t n) {
  uint32_t a = adler_reference(data, n);
  put_align(s);
  for (int shift = 24; shift >= 0; shift -= 8) put_byte(s, (a >> shift) & 0xFF);
}

static void put_stored(stream *s, int final, const unsigned char *data, size_t n) {
  put_bits(s, (uint32_t)final, 1), put_bits(s, 0, 2);
  put_align(s);
  put_byte(s, n & 0xFF), put_byte(s, n >> 8 & 0xFF), put_byte(s, ~n & 0xFF), put_byte(s, ~n >> 8 & 0xFF);
  for (size_t i = 0; i < n; i++) put_byte(s, data[i]);
}

/* The fixed code's literal/length symbols (RFC 1951, 3.2.6). */
static void put_fixed_symbol(stream *s, unsigned sym) {
  if (sym < 144) put_code(s, 0x30 + sym, 8);
  else if (sym < 256) put_code(s, 0x190 + sym - 144, 9);
  else if (sym < 280) put_code(s, sym - 256, 7);
  else put_code(s, 0xC0 + sym - 280, 8);
}

/* Length and distance symbols, derived here from the pattern of RFC 1951's
 * table rather than copied from it: lengths 257..264 have no extra bits,
 * then each four symbols one more (285 is 258 alone); distances 0..3 none,
 * then each two one more. */
static void length_symbol(unsigned length, unsigned *sym, unsigned *extra_bits, unsigned *extra) {
  *sym = *extra_bits = *extra = 0;
  if (length == 258) {
    *sym = 285, *extra_bits = 0, *extra = 0;
    return;
  }
  unsigned base = 3;
  for (unsigned i = 0; i < 28; i++) {
    unsigned bits = i < 8 ? 0 : (i - 4) / 4;
    if (length < base + (1u << bits)) {
      *sym = 257 + i, *extra_bits = bits, *extra = length - base;
      return;
    }
    base += 1u << bits;
  }
  fail_msg("length %u out of range", length);
}

static void distance_symbol(unsigned distance, unsigned *sym, unsigned *extra_bits, unsigned *extra) {
  *sym = *extra_bits = *extra = 0;
  unsigned base = 1;
  for (unsigned i = 0; i < 30; i++) {
    unsigned bits = i < 4 ? 0 : (i - 2) / 2;
    if (distance < base + (1u << bits)) {
      *sym = i, *extra_bits = bits, *extra = distance - base;
      return;
    }
    base += 1u << bits;
  }
  fail_msg("distance %u out of range", distance);
}

static void put_fixed_match(stream *s, unsigned length, unsigned distance) {
  unsigned sym = 0, bits = 0, extra = 0;
  length_symbol(length, &sym, &bits, &extra);
  put_fixed_symbol(s, sym), put_bits(s, extra, bits);
  distance_symbol(distance, &sym, &bits, &extra);
  put_code(s, sym, 5), put_bits(s, extra, bits);
}

/* ---- running the decoder on exact-size heap copies --------------------- */

typedef struct result {
  png_inflate_status status;
  size_t out_len, at;
  unsigned char *out; /* out_cap bytes, freed by the caller */
} result;

static result run(const unsigned char *in, size_t in_len, size_t out_cap) {
  result r = {0};
  unsigned char *copy = malloc(in_len ? in_len : 1);
  r.out = malloc(out_cap ? out_cap : 1);
  assert_non_null(copy), assert_non_null(r.out);
  if (in_len) memcpy(copy, in, in_len);
  r.status = png_inflate(copy, in_len, r.out, out_cap, &r.out_len, &r.at);
  free(copy);
  assert_true(r.out_len <= out_cap);
  assert_true(r.at <= in_len);
  return r;
}

/* in must inflate to exactly want[0..n), also into a buffer of exactly n. */
static void assert_inflates_to(const unsigned char *in, size_t in_len, const unsigned char *want, size_t n) {
  result r = run(in, in_len, n);
  if (r.status) fail_msg("%s (at byte %zu)", png_inflate_message(r.status), r.at);
  assert_int_equal(r.out_len, n);
  assert_memory_equal(r.out, want, n);
  assert_int_equal(r.at, in_len);
  free(r.out);
}

static void assert_refused(const unsigned char *in, size_t in_len, size_t out_cap, png_inflate_status want) {
  result r = run(in, in_len, out_cap);
  if (r.status != want)
    fail_msg("got \"%s\", wanted \"%s\"", png_inflate_message(r.status), png_inflate_message(want));
  free(r.out);
}

/* ---- Adler-32 ---------------------------------------------------------- */

static void adler32_known_values(void **state) {
  (void)state;
  assert_int_equal(png_adler32(1, NULL, 0), 1);
  assert_int_equal(png_adler32(1, (const unsigned char *)"Wikipedia", 9), 0x11E60398); /* its article's example */
  assert_int_equal(png_adler32(1, (const unsigned char *)"hello", 5), 0x062C0215);      /* python3 zlib.adler32 */
}

static void adler32_long_input_matches_definition(void **state) {
  (void)state;
  /* All 0xFF bytes make the sums grow fastest: the chunked reduction must
   * not overflow. Also continued across a split. */
  size_t n = 1000003;
  unsigned char *p = malloc(n);
  assert_non_null(p);
  memset(p, 0xFF, n);
  assert_int_equal(png_adler32(1, p, n), adler_reference(p, n));
  assert_int_equal(png_adler32(png_adler32(1, p, 4097), p + 4097, n - 4097), adler_reference(p, n));
  make_noise(p, n, 9);
  assert_int_equal(png_adler32(1, p, n), adler_reference(p, n));
  free(p);
}

/* ---- the zlib header ---------------------------------------------------- */

/* The FLG (no dictionary, level 0) that makes CMF * 256 + FLG a multiple of 31. */
static unsigned char fcheck(unsigned cmf) {
  return (unsigned char)((31 - cmf * 256 % 31) % 31);
}

static void header_checks(void **state) {
  (void)state;
  /* Empty stored final block after the header; Adler-32 of nothing is 1. */
  unsigned char s[] = {0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01};
  assert_inflates_to(s, sizeof s, (const unsigned char *)"", 0);
  s[0] = 0x77, s[1] = fcheck(0x77);
  assert_refused(s, sizeof s, 0, PNG_INFLATE_BAD_HEADER); /* method 7 */
  s[0] = 0x88, s[1] = fcheck(0x88);
  assert_refused(s, sizeof s, 0, PNG_INFLATE_BAD_HEADER); /* a 64K window */
  s[0] = 0x78, s[1] = 0x02;
  assert_refused(s, sizeof s, 0, PNG_INFLATE_BAD_HEADER); /* FCHECK off by one */
  s[1] = 0xBB; /* 0x78BB = 31 * 997, FDICT set */
  assert_refused(s, sizeof s, 0, PNG_INFLATE_PRESET_DICTIONARY);
  s[0] = 0x08, s[1] = 0x1D; /* a 256-byte window: 0x081D = 31 * 67 */
  assert_inflates_to(s, sizeof s, (const unsigned char *)"", 0);
  assert_refused(s, 1, 0, PNG_INFLATE_TRUNCATED);
  assert_refused(s, 0, 0, PNG_INFLATE_TRUNCATED);
}

/* ---- stored blocks ------------------------------------------------------ */

static void stored_blocks(void **state) {
  (void)state;
  /* By hand: "hello" in one final stored block. */
  static const unsigned char hello[] = {0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF, 'h', 'e',
                                        'l',  'l',  'o',  0x06, 0x2C, 0x02, 0x15};
  assert_inflates_to(hello, sizeof hello, (const unsigned char *)"hello", 5);

  /* The largest stored block, an empty one, and a short one. */
  size_t n = 65535 + 3;
  unsigned char *data = malloc(n);
  assert_non_null(data);
  make_noise(data, n, 4);
  stream s = {0};
  put_zlib_header(&s);
  put_stored(&s, 0, data, 65535);
  put_stored(&s, 0, data, 0);
  put_stored(&s, 1, data + 65535, 3);
  put_adler(&s, data, n);
  assert_inflates_to(s.buf, s.len, data, n);
  assert_refused(s.buf, s.len, n - 1, PNG_INFLATE_OUTPUT_FULL);
  free(data);
  free(s.buf);

  unsigned char bad[sizeof hello];
  memcpy(bad, hello, sizeof hello);
  bad[5] = 0xFB; /* NLEN not ~LEN */
  assert_refused(bad, sizeof bad, 5, PNG_INFLATE_BAD_STORED_LENGTH);
  memcpy(bad, hello, sizeof hello);
  bad[3] = 0x06, bad[5] = 0xF9; /* 6 bytes claimed, 5 and the Adler-32 there */
  assert_refused(bad, 11, 6, PNG_INFLATE_TRUNCATED);
  assert_refused(hello, 5, 5, PNG_INFLATE_TRUNCATED); /* inside LEN/NLEN */
}

static void block_type_3_refused(void **state) {
  (void)state;
  static const unsigned char s[] = {0x78, 0x01, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01};
  assert_refused(s, sizeof s, 16, PNG_INFLATE_BAD_BLOCK_TYPE);
}

static void adler_and_trailing_bytes(void **state) {
  (void)state;
  static const unsigned char hello[] = {0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF, 'h',  'e',
                                        'l',  'l',  'o',  0x06, 0x2C, 0x02, 0x15, 0x00};
  assert_refused(hello, sizeof hello, 5, PNG_INFLATE_TRAILING_DATA);
  unsigned char bad[sizeof hello - 1];
  memcpy(bad, hello, sizeof bad);
  bad[15] ^= 1;
  assert_refused(bad, sizeof bad, 5, PNG_INFLATE_BAD_ADLER);
  memcpy(bad, hello, sizeof bad);
  bad[8] = 'E';
  assert_refused(bad, sizeof bad, 5, PNG_INFLATE_BAD_ADLER);
}

/* ---- fixed-Huffman blocks ----------------------------------------------- */

static void fixed_by_hand(void **state) {
  (void)state;
  /* zlib's own "a" (python3: zlib.compress(b"a")), bits worked out by hand:
   * BFINAL 1, BTYPE 01 (sent 1 then 0), 'a' = 97 -> 0x30 + 97 = 10010001
   * (8 bits, sent from the top), end-of-block 0000000 (7 bits). Packed from
   * the lowest bit: 1,1,0 | 1,0,0,1,0 = 0x4B; 0,0,1 | 0000000 = 0x04; then
   * padding and the Adler-32 of "a": s1 = 98, s2 = 98. */
  static const unsigned char a[] = {0x78, 0x9C, 0x4B, 0x04, 0x00, 0x00, 0x62, 0x00, 0x62};
  assert_inflates_to(a, sizeof a, (const unsigned char *)"a", 1);

  /* The writer's version of the same block gives the same bytes. */
  stream s = {0};
  put_byte(&s, 0x78), put_byte(&s, 0x9C);
  put_bits(&s, 1, 1), put_bits(&s, 1, 2);
  put_fixed_symbol(&s, 'a'), put_fixed_symbol(&s, 256);
  put_adler(&s, (const unsigned char *)"a", 1);
  assert_int_equal(s.len, sizeof a);
  assert_memory_equal(s.buf, a, sizeof a);
  free(s.buf);
}

/* Every literal, every length symbol with its smallest and largest extra,
 * every distance symbol likewise, an overlapping copy and the farthest
 * distance, 32768. */
static void fixed_every_symbol(void **state) {
  (void)state;
  size_t cap = 200000, n = 0;
  unsigned char *want = malloc(cap);
  assert_non_null(want);
  stream s = {0};
  put_zlib_header(&s);
  put_bits(&s, 1, 1), put_bits(&s, 1, 2);
  for (unsigned c = 0; c < 256; c++) put_fixed_symbol(&s, c), want[n++] = (unsigned char)c;
  for (unsigned length = 3; length <= 258; length++) { /* every length, distance 1 */
    put_fixed_match(&s, length, 1);
    for (unsigned i = 0; i < length; i++, n++) want[n] = want[n - 1];
  }
  for (unsigned distance = 1; distance <= 32768; distance++) { /* each distance symbol's ends */
    unsigned sym, at, bits, extra, other;
    distance_symbol(distance, &sym, &bits, &extra);
    int first = distance == 1 || (distance_symbol(distance - 1, &other, &bits, &at), other != sym);
    int last = distance == 32768 || (distance_symbol(distance + 1, &other, &bits, &at), other != sym);
    if (!first && !last) continue;
    put_fixed_match(&s, 3, distance);
    for (unsigned i = 0; i < 3; i++, n++) want[n] = want[n - distance];
  }
  put_fixed_match(&s, 258, 32768);
  for (unsigned i = 0; i < 258; i++, n++) want[n] = want[n - 32768];
  put_fixed_match(&s, 10, 3); /* overlapping: distance < length */
  for (unsigned i = 0; i < 10; i++, n++) want[n] = want[n - 3];
  put_fixed_symbol(&s, 256);
  put_adler(&s, want, n);
  assert_true(n < cap && n > 32768);
  assert_inflates_to(s.buf, s.len, want, n);
  free(s.buf);
  free(want);
}

/* A fixed stream: literals "abc", the literal/length symbol given with its
 * extra bits, the distance symbol given (if not -1), end-of-block, and the
 * Adler-32 of "abc" (so a bad one if a match was decoded). */
static stream fixed_with(unsigned lit_or_len_sym, int raw_dist_sym, unsigned length_extra, unsigned nbits) {
  stream s = {0};
  put_zlib_header(&s);
  put_bits(&s, 1, 1), put_bits(&s, 1, 2);
  put_fixed_symbol(&s, 'a'), put_fixed_symbol(&s, 'b'), put_fixed_symbol(&s, 'c');
  put_fixed_symbol(&s, lit_or_len_sym);
  put_bits(&s, length_extra, nbits);
  if (raw_dist_sym >= 0) put_code(&s, (uint32_t)raw_dist_sym, 5); /* those used have no extra bits */
  put_fixed_symbol(&s, 256);
  put_adler(&s, (const unsigned char *)"abc", 3);
  return s;
}

static void fixed_invalid_symbols(void **state) {
  (void)state;
  stream s = fixed_with(286, -1, 0, 0);
  assert_refused(s.buf, s.len, 1000, PNG_INFLATE_BAD_SYMBOL);
  free(s.buf);
  s = fixed_with(287, -1, 0, 0);
  assert_refused(s.buf, s.len, 1000, PNG_INFLATE_BAD_SYMBOL);
  free(s.buf);
  s = fixed_with(257, 30, 0, 0);
  assert_refused(s.buf, s.len, 1000, PNG_INFLATE_BAD_SYMBOL);
  free(s.buf);
  s = fixed_with(257, 31, 0, 0);
  assert_refused(s.buf, s.len, 1000, PNG_INFLATE_BAD_SYMBOL);
  free(s.buf);
  s = fixed_with(284, 0, 31, 5); /* 227 + 31 = 258: past 284's range */
  assert_refused(s.buf, s.len, 1000, PNG_INFLATE_BAD_SYMBOL);
  free(s.buf);
  s = fixed_with(257, 2, 0, 0); /* distance 3 reaches "a": decodes, so the Adler-32 fails */
  assert_refused(s.buf, s.len, 1000, PNG_INFLATE_BAD_ADLER);
  free(s.buf);
  s = fixed_with(257, 3, 0, 0); /* distance 4, output is 3 bytes */
  assert_refused(s.buf, s.len, 1000, PNG_INFLATE_BAD_DISTANCE);
  free(s.buf);
  s = fixed_with(257, 2, 0, 0);
  assert_refused(s.buf, s.len, 5, PNG_INFLATE_OUTPUT_FULL); /* 3 + 3 > 5 */
  free(s.buf);
  s = fixed_with('d', -1, 0, 0);
  assert_refused(s.buf, s.len, 3, PNG_INFLATE_OUTPUT_FULL); /* a literal past the end */
  free(s.buf);
}

static void window_limits_distance(void **state) {
  (void)state;
  /* A 256-byte window (CINFO 0): distance 256 is fine, 257 is not. */
  unsigned char want[300];
  for (unsigned i = 0; i < 257; i++) want[i] = (unsigned char)(i * 7);
  for (unsigned far = 256; far <= 257; far++) {
    stream s = {0};
    put_byte(&s, 0x08), put_byte(&s, 0x1D);
    put_bits(&s, 1, 1), put_bits(&s, 1, 2);
    for (unsigned i = 0; i < 257; i++) put_fixed_symbol(&s, want[i]);
    put_fixed_match(&s, 3, far);
    put_fixed_symbol(&s, 256);
    for (unsigned i = 257; i < 260; i++) want[i] = want[i - far];
    put_adler(&s, want, 260);
    if (far == 256) assert_inflates_to(s.buf, s.len, want, 260);
    else assert_refused(s.buf, s.len, 260, PNG_INFLATE_BAD_DISTANCE);
    free(s.buf);
  }
}

/* ---- dynamic-Huffman blocks --------------------------------------------- */

/* The canonical codes of lengths[0..n) (RFC 1951, 3.2.2), for writing. */
static void canonical_codes(const uint8_t *lengths, unsigned n, uint32_t *codes) {
  unsigned count[16] = {0};
  uint32_t next[16] = {0}, code = 0;
  for (unsigned i = 0; i < n; i++) count[lengths[i]]++;
  count[0] = 0;
  for (unsigned len = 1; len < 16; len++) next[len] = code = (code + count[len - 1]) << 1;
  for (unsigned i = 0; i < n; i++)
    if (lengths[i]) codes[i] = next[lengths[i]]++;
}

/* A dynamic block's header sending lengths[0..hlit + hdist) one by one:
 * its code length code gives symbols 0..15 four bits each (so a length's
 * code is the length itself) and 16..18 none. */
static void put_dynamic_plain(stream *s, int final, const uint8_t *lengths, unsigned hlit, unsigned hdist) {
  put_bits(s, (uint32_t)final, 1), put_bits(s, 2, 2);
  put_bits(s, hlit - 257, 5), put_bits(s, hdist - 1, 5), put_bits(s, 19 - 4, 4);
  static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  for (unsigned i = 0; i < 19; i++) put_bits(s, order[i] < 16 ? 4 : 0, 3);
  for (unsigned i = 0; i < hlit + hdist; i++) put_code(s, lengths[i], 4);
}

/* One final dynamic block sending lengths[0..hlit + hdist) plainly, then
 * `text` as literals, if `with_match` symbol 257 and distance symbol 0 (a
 * match of 3 at distance 1), and end-of-block; no Adler-32 yet. */
static stream dynamic_literals(const char *text, const uint8_t *lengths, unsigned hlit, unsigned hdist, int with_match) {
  uint32_t codes[286 + 30] = {0};
  canonical_codes(lengths, hlit, codes);
  canonical_codes(lengths + hlit, hdist, codes + hlit);
  stream s = {0};
  put_zlib_header(&s);
  put_dynamic_plain(&s, 1, lengths, hlit, hdist);
  for (size_t i = 0; text[i]; i++) put_code(&s, codes[(unsigned char)text[i]], lengths[(unsigned char)text[i]]);
  if (with_match) put_code(&s, codes[257], lengths[257]), put_code(&s, codes[hlit], lengths[hlit]);
  put_code(&s, codes[256], lengths[256]);
  return s;
}

static void dynamic_by_hand(void **state) {
  (void)state;
  uint8_t lengths[286 + 30] = {0};
  /* 'a', 'b', end-of-block, 257 two bits each (complete); one distance
   * code, symbol 0, of one bit (the single-code case RFC 1951, 3.2.7 names). */
  lengths['a'] = lengths['b'] = lengths[256] = lengths[257] = 2;
  lengths[258] = 1;
  stream s = dynamic_literals("abba", lengths, 258, 1, 1);
  put_adler(&s, (const unsigned char *)"abbaaaa", 7);
  assert_inflates_to(s.buf, s.len, (const unsigned char *)"abbaaaa", 7);
  free(s.buf);

  /* No distance codes at all (one of zero bits): literals only. */
  lengths[257] = 0, lengths['c'] = 2, lengths[258] = 0;
  s = dynamic_literals("cab", lengths, 258, 1, 0);
  put_adler(&s, (const unsigned char *)"cab", 3);
  assert_inflates_to(s.buf, s.len, (const unsigned char *)"cab", 3);
  free(s.buf);
  /* ... where a match can then be no code. */
  lengths['c'] = 0, lengths[257] = 2;
  uint32_t codes[258];
  canonical_codes(lengths, 258, codes);
  s = (stream){0};
  put_zlib_header(&s);
  put_dynamic_plain(&s, 1, lengths, 258, 1);
  put_code(&s, codes['a'], 2), put_code(&s, codes[257], 2), put_bits(&s, 0, 16);
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE);
  free(s.buf);
}

/* The run-length symbols 16, 17 and 18 of the code length alphabet. The
 * lengths sent: 18 (97 zeros: 0..96), 3 ('a'), 16 three times ('b' 'c' 'd',
 * or four with `d_run` 4: 'e' too), 18 and 18 (138 zeros, the most one
 * sends, then the rest up to 255), 2 (256), 2 (257),
 * 17 (3 zeros: `last_zeros` 18 sends 11), 1. With hlit 261 and hdist 1 the
 * 17 covers 258..260 and the 1 is distance symbol 0 (distance 1); with hlit
 * 258 and hdist 4 the 17 runs into the distance lengths and the 1 is symbol
 * 3 (distance 4). The data: "abcd", a match of 3 (symbol 257), end. */
static stream dynamic_repeats_stream(int repeat_first, unsigned d_run, unsigned last_zeros, unsigned hlit,
                                     unsigned hdist) {
  /* The code length code: 18 and 3 two bits, 1, 2, 16, 17 three (complete). */
  static const uint8_t clen[19] = {[1] = 3, [2] = 3, [3] = 2, [16] = 3, [17] = 3, [18] = 2};
  static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  uint32_t ccode[19] = {0};
  canonical_codes(clen, 19, ccode);
  stream s = {0};
  put_zlib_header(&s);
  put_bits(&s, 1, 1), put_bits(&s, 2, 2);
  put_bits(&s, hlit - 257, 5), put_bits(&s, hdist - 1, 5), put_bits(&s, 19 - 4, 4);
  for (unsigned i = 0; i < 19; i++) put_bits(&s, clen[order[i]], 3);
#define CL(sym) put_code(&s, ccode[sym], clen[sym])
  if (repeat_first) CL(16), put_bits(&s, 0, 2);
  CL(18), put_bits(&s, 97 - 11, 7);
  CL(3);
  CL(16), put_bits(&s, d_run - 3, 2);
  CL(18), put_bits(&s, 138 - 11, 7), CL(18), put_bits(&s, 256 - (98 + d_run) - 138 - 11, 7);
  CL(2), CL(2);
  if (last_zeros == 18) CL(18), put_bits(&s, 0, 7);
  else CL(17), put_bits(&s, 0, 3);
  CL(1);
#undef CL
  /* The data's codes: 'a'..'d' 3 bits (100..111), 256 and 257 two (00, 01);
   * the one distance code is the bit 0. */
  for (unsigned c = 0; c < 4; c++) put_code(&s, 4 + c, 3);
  put_code(&s, 1, 2), put_code(&s, 0, 1);
  put_code(&s, 0, 2);
  return s;
}

static void dynamic_repeats(void **state) {
  (void)state;
  stream s = dynamic_repeats_stream(0, 3, 17, 261, 1);
  put_adler(&s, (const unsigned char *)"abcdddd", 7);
  assert_inflates_to(s.buf, s.len, (const unsigned char *)"abcdddd", 7);
  free(s.buf);
  s = dynamic_repeats_stream(0, 3, 17, 258, 4); /* the 17 runs on into the distance lengths */
  put_adler(&s, (const unsigned char *)"abcdabc", 7);
  assert_inflates_to(s.buf, s.len, (const unsigned char *)"abcdabc", 7);
  free(s.buf);
  s = dynamic_repeats_stream(1, 3, 17, 261, 1); /* 16 with no length before it */
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
  s = dynamic_repeats_stream(0, 3, 18, 261, 1); /* 11 zeros where 4 lengths are left */
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
  s = dynamic_repeats_stream(0, 4, 17, 261, 1); /* five 3-bit codes and two 2-bit: over-subscribed */
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
}

static void dynamic_bad_codes(void **state) {
  (void)state;
  uint8_t lengths[286 + 30] = {0};
  /* Over-subscribed: three codes of one bit. */
  lengths['a'] = lengths['b'] = lengths[256] = 1, lengths[257] = 1;
  stream s = dynamic_literals("ab", lengths, 257, 1, 0);
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
  /* Incomplete: two codes of two bits. */
  lengths['a'] = lengths[256] = 2, lengths['b'] = 0;
  s = dynamic_literals("a", lengths, 257, 1, 0);
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
  /* No end-of-block code. */
  lengths['a'] = lengths['b'] = 1, lengths[256] = 0;
  s = dynamic_literals("ab", lengths, 257, 1, 0);
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
  /* A distance code over-subscribed. */
  lengths['a'] = lengths[256] = 1, lengths['b'] = 0;
  lengths[257] = lengths[258] = lengths[259] = 1;
  s = dynamic_literals("a", lengths, 257, 3, 0);
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
  /* Too many codes declared: HLIT 30 (287) or HDIST 30 (31). */
  for (int which = 0; which < 2; which++) {
    s = (stream){0};
    put_zlib_header(&s);
    put_bits(&s, 1, 1), put_bits(&s, 2, 2);
    put_bits(&s, which ? 0 : 30, 5), put_bits(&s, which ? 30 : 0, 5), put_bits(&s, 15, 4);
    put_bits(&s, 0, 32), put_bits(&s, 0, 32);
    assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_COUNTS);
    free(s.buf);
  }
  /* A code length code over-subscribed: 16, 17, 18 one bit each. */
  s = (stream){0};
  put_zlib_header(&s);
  put_bits(&s, 1, 1), put_bits(&s, 2, 2);
  put_bits(&s, 0, 5), put_bits(&s, 0, 5), put_bits(&s, 0, 4);
  put_bits(&s, 1, 3), put_bits(&s, 1, 3), put_bits(&s, 1, 3), put_bits(&s, 0, 3);
  put_bits(&s, 0, 32), put_bits(&s, 0, 32);
  assert_refused(s.buf, s.len, 100, PNG_INFLATE_BAD_CODE_LENGTHS);
  free(s.buf);
}

/* A dynamic block whose code uses every length 1..15 (a table as deep as it
 * goes), then a second block, fixed. */
static void dynamic_deep_code(void **state) {
  (void)state;
  uint8_t lengths[286 + 30] = {0};
  /* Symbols 0..13 take lengths 1..14, 14 and 256 take 15: 1/2 + 1/4 +
   * ... + 1/2^14 + 2/2^15 = 1, complete. */
  for (unsigned i = 0; i < 14; i++) lengths[i] = (uint8_t)(i + 1);
  lengths[14] = 15, lengths[256] = 15;
  uint32_t codes[286 + 30] = {0};
  canonical_codes(lengths, 257, codes);
  unsigned char want[40];
  size_t n = 0;
  stream s = {0};
  put_zlib_header(&s);
  put_dynamic_plain(&s, 0, lengths, 257, 1);
  for (unsigned i = 0; i < 15; i++) put_code(&s, codes[i], lengths[i]), want[n++] = (unsigned char)i;
  for (unsigned i = 15; i-- > 0;) put_code(&s, codes[i], lengths[i]), want[n++] = (unsigned char)i;
  put_code(&s, codes[256], lengths[256]);
  put_bits(&s, 1, 1), put_bits(&s, 1, 2); /* then a final fixed block */
  put_fixed_symbol(&s, 'z'), want[n++] = 'z';
  put_fixed_symbol(&s, 256);
  put_adler(&s, want, n);
  assert_inflates_to(s.buf, s.len, want, n);
  free(s.buf);
}

/* ---- zlib's own streams, and damaged copies ------------------------------ */

typedef struct vector {
  const char *name;
  unsigned char *z, *want;
  size_t z_len, n;
} vector;

/* The streams the damage tests start from: zlib's two and two built here. */
static size_t make_vectors(vector *v) {
  size_t count = 0;
  v[count] = (vector){"zlib mixed", malloc(sizeof mixed_z), malloc(900), sizeof mixed_z, 900};
  memcpy(v[count].z, mixed_z, sizeof mixed_z);
  make_text(v[count].want, 600, 1), make_noise(v[count].want + 600, 300, 2);
  count++;
  v[count] = (vector){"zlib fixed", malloc(sizeof fixed_z), malloc(600), sizeof fixed_z, 600};
  memcpy(v[count].z, fixed_z, sizeof fixed_z);
  make_text(v[count].want, 600, 3);
  count++;
  stream s = dynamic_repeats_stream(0, 3, 17, 258, 4);
  put_adler(&s, (const unsigned char *)"abcdabc", 7);
  v[count] = (vector){"dynamic repeats", s.buf, malloc(7), s.len, 7};
  memcpy(v[count].want, "abcdabc", 7);
  count++;
  static const unsigned char hello[] = {0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF, 'h', 'e',
                                        'l',  'l',  'o',  0x06, 0x2C, 0x02, 0x15};
  v[count] = (vector){"stored hello", malloc(sizeof hello), malloc(5), sizeof hello, 5};
  memcpy(v[count].z, hello, sizeof hello), memcpy(v[count].want, "hello", 5);
  count++;
  for (size_t i = 0; i < count; i++) assert_non_null(v[i].z), assert_non_null(v[i].want);
  return count;
}

static void free_vectors(vector *v, size_t count) {
  for (size_t i = 0; i < count; i++) free(v[i].z), free(v[i].want);
}

static void zlib_streams_inflate(void **state) {
  (void)state;
  vector v[8];
  size_t count = make_vectors(v);
  for (size_t i = 0; i < count; i++) {
    assert_inflates_to(v[i].z, v[i].z_len, v[i].want, v[i].n);
    assert_refused(v[i].z, v[i].z_len, v[i].n - 1, PNG_INFLATE_OUTPUT_FULL);
  }
  free_vectors(v, count);
}

/* Damage that decodes is fine only if it is invisible: the output the same. */
static void assert_refused_or_same(const vector *v, const unsigned char *z, size_t z_len, const char *what) {
  result r = run(z, z_len, v->n);
  if (r.status == PNG_INFLATE_OK && (r.out_len != v->n || memcmp(r.out, v->want, v->n)))
    fail_msg("%s, %s: inflated to different data", v->name, what);
  free(r.out);
}

static void truncated_streams_fail(void **state) {
  (void)state;
  vector v[8];
  size_t count = make_vectors(v);
  for (size_t i = 0; i < count; i++)
    for (size_t len = 0; len < v[i].z_len; len++) {
      result r = run(v[i].z, len, v[i].n);
      if (r.status == PNG_INFLATE_OK) fail_msg("%s cut to %zu bytes inflated", v[i].name, len);
      free(r.out);
    }
  free_vectors(v, count);
}

static void flipped_bits_fail(void **state) {
  (void)state;
  vector v[8];
  size_t count = make_vectors(v);
  for (size_t i = 0; i < count; i++)
    for (size_t bit = 0; bit < v[i].z_len * 8; bit++) {
      v[i].z[bit / 8] ^= (unsigned char)(1u << bit % 8);
      assert_refused_or_same(&v[i], v[i].z, v[i].z_len, "one bit flipped");
      v[i].z[bit / 8] ^= (unsigned char)(1u << bit % 8);
    }
  free_vectors(v, count);
}

/* Seeded: a few random bytes overwritten, each run the same damage. */
static void corrupted_bytes_fail(void **state) {
  (void)state;
  vector v[8];
  size_t count = make_vectors(v);
  uint32_t x = 2024;
  for (size_t i = 0; i < count; i++) {
    unsigned char *z = malloc(v[i].z_len);
    assert_non_null(z);
    for (int round = 0; round < 1000; round++) {
      memcpy(z, v[i].z, v[i].z_len);
      for (unsigned k = 1 + lcg_next(&x) % 4; k > 0; k--) z[lcg_next(&x) % v[i].z_len] = (unsigned char)lcg_next(&x);
      assert_refused_or_same(&v[i], z, v[i].z_len, "bytes overwritten");
    }
    free(z);
  }
  free_vectors(v, count);
}

/* Seeded noise after a valid header, as each block type: refused or not,
 * never out of bounds (run() checks what it reports). */
static void noise_never_overruns(void **state) {
  (void)state;
  uint32_t x = 77;
  unsigned char z[600];
  for (int round = 0; round < 3000; round++) {
    size_t len = 3 + lcg_next(&x) % (sizeof z - 3);
    z[0] = 0x78, z[1] = 0x9C;
    for (size_t i = 2; i < len; i++) z[i] = (unsigned char)lcg_next(&x);
    z[2] = (unsigned char)((z[2] & ~6u) | (unsigned)(round % 3) << 1); /* stored, fixed, dynamic */
    result r = run(z, len, (size_t)(lcg_next(&x) % 2000));
    free(r.out);
  }
}

static void messages_name_every_status(void **state) {
  (void)state;
  for (int a = PNG_INFLATE_OK; a <= PNG_INFLATE_NO_MEMORY; a++) {
    const char *m = png_inflate_message((png_inflate_status)a);
    assert_non_null(m);
    assert_null(strstr(m, "unknown"));
    for (int b = PNG_INFLATE_OK; b < a; b++) assert_string_not_equal(m, png_inflate_message((png_inflate_status)b));
  }
  assert_non_null(strstr(png_inflate_message((png_inflate_status)999), "unknown"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(adler32_known_values),
      cmocka_unit_test(adler32_long_input_matches_definition),
      cmocka_unit_test(header_checks),
      cmocka_unit_test(stored_blocks),
      cmocka_unit_test(block_type_3_refused),
      cmocka_unit_test(adler_and_trailing_bytes),
      cmocka_unit_test(fixed_by_hand),
      cmocka_unit_test(fixed_every_symbol),
      cmocka_unit_test(fixed_invalid_symbols),
      cmocka_unit_test(window_limits_distance),
      cmocka_unit_test(dynamic_by_hand),
      cmocka_unit_test(dynamic_repeats),
      cmocka_unit_test(dynamic_bad_codes),
      cmocka_unit_test(dynamic_deep_code),
      cmocka_unit_test(zlib_streams_inflate),
      cmocka_unit_test(truncated_streams_fail),
      cmocka_unit_test(flipped_bits_fail),
      cmocka_unit_test(corrupted_bytes_fail),
      cmocka_unit_test(noise_never_overruns),
      cmocka_unit_test(messages_name_every_status),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
