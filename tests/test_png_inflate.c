/* test_png_inflate.c: a zlib stream (RFC 1950) inflated: the two-byte
 * header, DEFLATE blocks (RFC 1951: stored, fixed-Huffman, dynamic-Huffman)
 * and the Adler-32 of the output. Written from the RFCs for the screenshot
 * checker, which must not need zlib.
 *
 * Invariants: the reader never looks past in[in_len) (bits past the end read
 * as zeros and a code or field that needs them is TRUNCATED); the writer
 * never passes out[out_cap); a back-reference reaches only output already
 * written. Codes are checked as they are built: over-subscribed lengths are
 * refused, and so are incomplete ones unless they hold a single code (RFC
 * 1951, 3.2.7: one distance code is sent with one bit), so a table entry is
 * either exactly one symbol or empty (BAD_CODE). */
#include "test_png_inflate.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CODE_BITS 15    /* RFC 1951, 3.2.7: code lengths are 0..15 */
#define LITLEN_SYMBOLS 288  /* 286 and 287 take part in the fixed code, never in data */
#define DIST_SYMBOLS 32     /* likewise 30 and 31 */
#define CLEN_SYMBOLS 19
#define MAX_HLIT 286
#define MAX_HDIST 30
#define END_OF_BLOCK 256
#define MAX_MATCH 258
#define ADLER_MOD 65521u
/* Bytes summed before reducing mod 65521: from s1, s2 < 65521, after n
 * bytes s2 < 65521 * (n + 1) + 255 * n * (n + 1) / 2, under 2^32 for 4096. */
#define ADLER_CHUNK 4096

/* Lengths 3..258 and distances 1..32768: each symbol's base and how many
 * extra bits follow it (RFC 1951, 3.2.5). */
static const uint16_t length_base[29] = {3,  4,  5,  6,  7,  8,  9,  10,  11,  13,  15,  17,  19,  23, 27,
                                         31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                         2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,    65,    97,    129,
                                       193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* The order a dynamic block sends its code length code's lengths in
 * (RFC 1951, 3.2.7). */
static const uint8_t clen_order[CLEN_SYMBOLS] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* The input as bits, each byte's least significant bit first (RFC 1951,
 * 3.1.1). `bits` holds `count` bits read from in[] but not yet consumed; its
 * bits above `count` are zero. */
typedef struct bit_reader {
  const unsigned char *in;
  size_t len, pos;
  uint64_t bits;
  unsigned count;
} bit_reader;

/* A prefix code as a table indexed by the next `width` input bits (width is
 * the code's longest length): each entry is symbol << 4 | code length, or 0
 * where no code starts with those bits. */
typedef struct huffman {
  unsigned width;
  uint16_t entry[1u << MAX_CODE_BITS];
} huffman;

typedef struct inflater {
  bit_reader br;
  unsigned char *out;
  size_t out_cap, out_len;
  size_t window; /* the farthest back a distance may reach (the header's CINFO) */
  huffman litlen, dist, clen;
} inflater;

static void br_fill(bit_reader *br) {
  while (br->count <= 56 && br->pos < br->len) {
    br->bits |= (uint64_t)br->in[br->pos++] << br->count;
    br->count += 8;
  }
}

/* Takes the next n (at most 32) bits as a number, the first bit lowest.
 * Returns 0 if the input ends first. */
static int br_take(bit_reader *br, unsigned n, uint32_t *value) {
  if (br->count < n) br_fill(br);
  if (br->count < n) return 0;
  *value = (uint32_t)(br->bits & (((uint64_t)1 << n) - 1));
  br->bits >>= n;
  br->count -= n;
  return 1;
}

/* Skips to the next byte boundary. The whole bytes still held go back to
 * the input, so that in[pos] is the next byte: stored blocks and the
 * Adler-32 are read as bytes. */
static void br_align(bit_reader *br) {
  br->pos -= br->count / 8;
  br->bits = 0;
  br->count = 0;
}

/* The offset of the byte holding the next bit not consumed. */
static size_t br_offset(const bit_reader *br) {
  return br->pos - (br->count + 7) / 8;
}

/* Builds the canonical code of lengths[0..n) (RFC 1951, 3.2.2: codes of one
 * length are consecutive in symbol order, shorter codes first). Codes are
 * sent most significant bit first, so a code's entries sit at its reversed
 * bits, for every value of the table bits past its length. */
static png_inflate_status huffman_build(huffman *h, const uint8_t *lengths, unsigned n) {
  unsigned count[MAX_CODE_BITS + 1] = {0}, next[MAX_CODE_BITS + 1], codes = 0;
  for (unsigned s = 0; s < n; s++) count[lengths[s]]++;
  count[0] = 0;
  /* Kraft's inequality, counted in codes of each length still free. */
  long free_codes = 1;
  h->width = 1;
  for (unsigned len = 1; len <= MAX_CODE_BITS; len++) {
    free_codes = 2 * free_codes - (long)count[len];
    if (free_codes < 0) return PNG_INFLATE_BAD_CODE_LENGTHS; /* over-subscribed */
    codes += count[len];
    if (count[len]) h->width = len;
  }
  if (free_codes > 0 && codes > 1) return PNG_INFLATE_BAD_CODE_LENGTHS; /* incomplete */
  unsigned code = 0;
  for (unsigned len = 1; len <= MAX_CODE_BITS; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  size_t size = (size_t)1 << h->width;
  memset(h->entry, 0, size * sizeof h->entry[0]);
  for (unsigned s = 0; s < n; s++) {
    unsigned len = lengths[s], c, reversed = 0;
    if (!len) continue;
    c = next[len]++;
    for (unsigned b = 0; b < len; b++) reversed |= ((c >> b) & 1u) << (len - 1 - b);
    for (size_t at = reversed; at < size; at += (size_t)1 << len) h->entry[at] = (uint16_t)(s << 4 | len);
  }
  return PNG_INFLATE_OK;
}

static png_inflate_status huffman_decode(bit_reader *br, const huffman *h, unsigned *symbol) {
  if (br->count < h->width) br_fill(br);
  unsigned e = h->entry[br->bits & (((uint64_t)1 << h->width) - 1)], len = e & 15u;
  /* Short of bits after a fill means the input has ended: the zeros read
   * past it may well form no code. */
  if (!len) return br->count < h->width ? PNG_INFLATE_TRUNCATED : PNG_INFLATE_BAD_CODE;
  if (len > br->count) return PNG_INFLATE_TRUNCATED;
  br->bits >>= len;
  br->count -= len;
  *symbol = e >> 4;
  return PNG_INFLATE_OK;
}

static png_inflate_status inflate_stored(inflater *z) {
  bit_reader *br = &z->br;
  br_align(br);
  if (br->len - br->pos < 4) return PNG_INFLATE_TRUNCATED;
  const unsigned char *p = br->in + br->pos;
  size_t len = (size_t)p[0] | (size_t)p[1] << 8, nlen = (size_t)p[2] | (size_t)p[3] << 8;
  if (len != (~nlen & 0xFFFFu)) return PNG_INFLATE_BAD_STORED_LENGTH;
  br->pos += 4;
  if (br->len - br->pos < len) return PNG_INFLATE_TRUNCATED;
  if (z->out_cap - z->out_len < len) return PNG_INFLATE_OUTPUT_FULL;
  memcpy(z->out + z->out_len, br->in + br->pos, len);
  z->out_len += len;
  br->pos += len;
  return PNG_INFLATE_OK;
}

/* The symbols of a Huffman block, up to its end-of-block (RFC 1951, 3.2.5). */
static png_inflate_status inflate_codes(inflater *z) {
  for (;;) {
    unsigned symbol;
    uint32_t extra;
    png_inflate_status st = huffman_decode(&z->br, &z->litlen, &symbol);
    if (st) return st;
    if (symbol < END_OF_BLOCK) {
      if (z->out_len == z->out_cap) return PNG_INFLATE_OUTPUT_FULL;
      z->out[z->out_len++] = (unsigned char)symbol;
      continue;
    }
    if (symbol == END_OF_BLOCK) return PNG_INFLATE_OK;
    symbol -= END_OF_BLOCK + 1;
    if (symbol >= sizeof length_base / sizeof length_base[0]) return PNG_INFLATE_BAD_SYMBOL;
    if (!br_take(&z->br, length_extra[symbol], &extra)) return PNG_INFLATE_TRUNCATED;
    size_t length = length_base[symbol] + (size_t)extra;
    /* 284 covers 227..257 by the RFC's table; its 5 extra bits could say 258. */
    if (symbol == 284 - (END_OF_BLOCK + 1) && length == MAX_MATCH) return PNG_INFLATE_BAD_SYMBOL;
    st = huffman_decode(&z->br, &z->dist, &symbol);
    if (st) return st;
    if (symbol >= sizeof dist_base / sizeof dist_base[0]) return PNG_INFLATE_BAD_SYMBOL;
    if (!br_take(&z->br, dist_extra[symbol], &extra)) return PNG_INFLATE_TRUNCATED;
    size_t distance = dist_base[symbol] + (size_t)extra;
    if (distance > z->out_len || distance > z->window) return PNG_INFLATE_BAD_DISTANCE;
    if (length > z->out_cap - z->out_len) return PNG_INFLATE_OUTPUT_FULL;
    /* Byte by byte: a copy may overlap what it writes (distance < length). */
    unsigned char *to = z->out + z->out_len, *from = to - distance;
    for (size_t i = 0; i < length; i++) to[i] = from[i];
    z->out_len += length;
  }
}

/* RFC 1951, 3.2.6. */
static png_inflate_status inflate_fixed(inflater *z) {
  uint8_t lengths[LITLEN_SYMBOLS];
  unsigned s = 0;
  for (; s < 144; s++) lengths[s] = 8;
  for (; s < 256; s++) lengths[s] = 9;
  for (; s < 280; s++) lengths[s] = 7;
  for (; s < LITLEN_SYMBOLS; s++) lengths[s] = 8;
  png_inflate_status st = huffman_build(&z->litlen, lengths, LITLEN_SYMBOLS);
  if (st) return st;
  memset(lengths, 5, DIST_SYMBOLS);
  st = huffman_build(&z->dist, lengths, DIST_SYMBOLS);
  return st ? st : inflate_codes(z);
}

/* RFC 1951, 3.2.7: the counts, the code length code, then the literal/length
 * and distance code lengths as one sequence (a repeat may run from one into
 * the other). */
static png_inflate_status inflate_dynamic(inflater *z) {
  bit_reader *br = &z->br;
  uint32_t hlit, hdist, hclen, value;
  if (!br_take(br, 5, &hlit) || !br_take(br, 5, &hdist) || !br_take(br, 4, &hclen)) return PNG_INFLATE_TRUNCATED;
  hlit += 257, hdist += 1, hclen += 4;
  if (hlit > MAX_HLIT || hdist > MAX_HDIST) return PNG_INFLATE_BAD_CODE_COUNTS;
  uint8_t clens[CLEN_SYMBOLS] = {0}, lengths[MAX_HLIT + MAX_HDIST];
  for (uint32_t i = 0; i < hclen; i++) {
    if (!br_take(br, 3, &value)) return PNG_INFLATE_TRUNCATED;
    clens[clen_order[i]] = (uint8_t)value;
  }
  png_inflate_status st = huffman_build(&z->clen, clens, CLEN_SYMBOLS);
  if (st) return st;
  for (uint32_t n = 0, total = hlit + hdist; n < total;) {
    unsigned symbol, repeat, copied = 0;
    st = huffman_decode(br, &z->clen, &symbol);
    if (st) return st;
    if (symbol < 16) {
      lengths[n++] = (uint8_t)symbol;
      continue;
    }
    if (symbol == 16) { /* the previous length, 3..6 times */
      if (n == 0) return PNG_INFLATE_BAD_CODE_LENGTHS;
      copied = lengths[n - 1];
      if (!br_take(br, 2, &value)) return PNG_INFLATE_TRUNCATED;
      repeat = 3 + value;
    } else if (symbol == 17) { /* zero, 3..10 times */
      if (!br_take(br, 3, &value)) return PNG_INFLATE_TRUNCATED;
      repeat = 3 + value;
    } else { /* zero, 11..138 times */
      if (!br_take(br, 7, &value)) return PNG_INFLATE_TRUNCATED;
      repeat = 11 + value;
    }
    if (repeat > total - n) return PNG_INFLATE_BAD_CODE_LENGTHS;
    while (repeat--) lengths[n++] = (uint8_t)copied;
  }
  if (!lengths[END_OF_BLOCK]) return PNG_INFLATE_BAD_CODE_LENGTHS;
  st = huffman_build(&z->litlen, lengths, hlit);
  if (!st) st = huffman_build(&z->dist, lengths + hlit, hdist);
  return st ? st : inflate_codes(z);
}

static png_inflate_status inflate_stream(inflater *z) {
  bit_reader *br = &z->br;
  if (br->len < 2) return PNG_INFLATE_TRUNCATED;
  unsigned cmf = br->in[0], flg = br->in[1];
  /* RFC 1950, 2.2: CM 8 is deflate, CINFO the log2 of the window less 8
   * (at most 7), FCHECK makes CMF * 256 + FLG a multiple of 31. */
  if ((cmf & 15u) != 8 || cmf >> 4 > 7 || (cmf * 256 + flg) % 31) return PNG_INFLATE_BAD_HEADER;
  if (flg & 0x20u) return PNG_INFLATE_PRESET_DICTIONARY;
  z->window = (size_t)1 << ((cmf >> 4) + 8);
  br->pos = 2;
  uint32_t final, type;
  do {
    if (!br_take(br, 1, &final) || !br_take(br, 2, &type)) return PNG_INFLATE_TRUNCATED;
    png_inflate_status st = type == 0   ? inflate_stored(z)
                            : type == 1 ? inflate_fixed(z)
                            : type == 2 ? inflate_dynamic(z)
                                        : PNG_INFLATE_BAD_BLOCK_TYPE;
    if (st) return st;
  } while (!final);
  /* The Adler-32 follows the last block's padding, most significant byte first. */
  br_align(br);
  if (br->len - br->pos < 4) return PNG_INFLATE_TRUNCATED;
  const unsigned char *p = br->in + br->pos;
  uint32_t adler = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
  if (adler != png_adler32(1, z->out, z->out_len)) return PNG_INFLATE_BAD_ADLER;
  br->pos += 4;
  return br->pos == br->len ? PNG_INFLATE_OK : PNG_INFLATE_TRAILING_DATA;
}

png_inflate_status png_inflate(const unsigned char *in, size_t in_len, unsigned char *out, size_t out_cap,
                               size_t *out_len, size_t *in_at) {
  inflater *z = malloc(sizeof *z);
  if (out_len) *out_len = 0;
  if (in_at) *in_at = 0;
  if (!z) return PNG_INFLATE_NO_MEMORY;
  z->br = (bit_reader){.in = in, .len = in_len};
  z->out = out, z->out_cap = out_cap, z->out_len = 0;
  png_inflate_status st = inflate_stream(z);
  if (out_len) *out_len = z->out_len;
  if (in_at) *in_at = br_offset(&z->br);
  free(z);
  return st;
}

const char *png_inflate_message(png_inflate_status status) {
  switch (status) {
  case PNG_INFLATE_OK: return "inflated";
  case PNG_INFLATE_TRUNCATED: return "the zlib stream is cut short";
  case PNG_INFLATE_BAD_HEADER: return "the zlib header is not deflate with a window of at most 32K and a valid check";
  case PNG_INFLATE_PRESET_DICTIONARY: return "the zlib header asks for a preset dictionary, which PNG forbids";
  case PNG_INFLATE_BAD_BLOCK_TYPE: return "a deflate block has the reserved type 3";
  case PNG_INFLATE_BAD_STORED_LENGTH: return "a stored block's length does not match its complement";
  case PNG_INFLATE_BAD_CODE_COUNTS: return "a dynamic block declares more than 286 length or 30 distance codes";
  case PNG_INFLATE_BAD_CODE_LENGTHS: return "a dynamic block's code lengths do not make a valid prefix code";
  case PNG_INFLATE_BAD_CODE: return "the data holds bits that are no code of its block";
  case PNG_INFLATE_BAD_SYMBOL: return "the data holds an invalid length or distance symbol";
  case PNG_INFLATE_BAD_DISTANCE: return "a back-reference reaches before the start of the output or past the window";
  case PNG_INFLATE_OUTPUT_FULL: return "the data inflates to more than expected";
  case PNG_INFLATE_BAD_ADLER: return "the Adler-32 does not match the inflated data";
  case PNG_INFLATE_TRAILING_DATA: return "bytes follow the end of the zlib stream";
  case PNG_INFLATE_NO_MEMORY: return "out of memory";
  }
  return "unknown inflate status";
}

uint32_t png_adler32(uint32_t adler, const unsigned char *data, size_t len) {
  uint32_t s1 = adler & 0xFFFFu, s2 = adler >> 16;
  while (len) {
    size_t n = len < ADLER_CHUNK ? len : ADLER_CHUNK;
    len -= n;
    while (n--) {
      s1 += *data++;
      s2 += s1;
    }
    s1 %= ADLER_MOD;
    s2 %= ADLER_MOD;
  }
  return s2 << 16 | s1;
}
