/* test_png_inflate.h: inflating the zlib stream (RFC 1950) of a PNG's IDAT
 * chunks, whose blocks are DEFLATE (RFC 1951): stored, fixed-Huffman and
 * dynamic-Huffman. For the screenshot checker (test_rpt_report_png.c), so the
 * tests need no zlib. Malformed input is refused with a status, never read or
 * written out of bounds: the output goes to a buffer the caller sizes (a
 * PNG's image size says how much its data inflates to). */
#ifndef TEST_PNG_INFLATE_H
#define TEST_PNG_INFLATE_H

#include <stddef.h>
#include <stdint.h>

/* The result of png_inflate; png_inflate_message names each. */
typedef enum png_inflate_status {
  PNG_INFLATE_OK = 0,
  PNG_INFLATE_TRUNCATED,        /* the input ends inside the stream */
  PNG_INFLATE_BAD_HEADER,       /* not method 8, window over 32K, or a bad FCHECK */
  PNG_INFLATE_PRESET_DICTIONARY, /* FDICT set: PNG forbids one */
  PNG_INFLATE_BAD_BLOCK_TYPE,   /* BTYPE 11 */
  PNG_INFLATE_BAD_STORED_LENGTH, /* a stored block's NLEN is not ~LEN */
  PNG_INFLATE_BAD_CODE_COUNTS,  /* HLIT over 286 or HDIST over 30 */
  PNG_INFLATE_BAD_CODE_LENGTHS, /* lengths that make no prefix code, a repeat
                                   with nothing to repeat or past the end, no
                                   end-of-block code */
  PNG_INFLATE_BAD_CODE,         /* bits that are no code of the block's code */
  PNG_INFLATE_BAD_SYMBOL,       /* length symbol 286/287, distance 30/31, or
                                   length 284 with extras past 257 */
  PNG_INFLATE_BAD_DISTANCE,     /* a distance before the output's start or
                                   past the header's window */
  PNG_INFLATE_OUTPUT_FULL,      /* more output than the caller's buffer */
  PNG_INFLATE_BAD_ADLER,        /* the Adler-32 does not match the output */
  PNG_INFLATE_TRAILING_DATA,    /* bytes after the Adler-32 */
  PNG_INFLATE_NO_MEMORY,
} png_inflate_status;

/* Inflates the zlib stream in[0..in_len) into out[0..out_cap). On return
 * *out_len is the bytes written and *in_at the input's byte offset reached
 * (where the error is, on an error); either may be NULL. */
png_inflate_status png_inflate(const unsigned char *in, size_t in_len, unsigned char *out, size_t out_cap,
                               size_t *out_len, size_t *in_at);

/* A sentence naming a status, for error messages. */
const char *png_inflate_message(png_inflate_status status);

/* Adler-32 (RFC 1950, section 8.2) of data[0..len), continuing from adler
 * (1 to start). */
uint32_t png_adler32(uint32_t adler, const unsigned char *data, size_t len);

#endif
