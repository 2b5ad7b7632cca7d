/* rpt_sha256.h: SHA-256 (FIPS 180-4), written here so the results layer needs
 * nothing beyond SQLite. Used for run digests; not for anything secret (no
 * attempt is made to be constant-time).
 *
 * The context is a public struct so it can live on the stack; its fields are
 * private to rpt_sha256.c. */
#ifndef RPT_SHA256_H
#define RPT_SHA256_H
#include <stddef.h>
#include <stdint.h>

#define RPT_SHA256_SIZE 32 /* bytes in a digest */
#define RPT_SHA256_HEX_SIZE 65 /* 64 lower-case hex digits and a NUL */

typedef struct rpt_sha256 {
  uint32_t h[8];
  uint64_t bytes; /* message length so far */
  uint8_t block[64];
  size_t used; /* bytes waiting in block */
} rpt_sha256;

/* Each returns RPT_E_INVAL for a NULL context (or NULL data with len > 0). */
int rpt_sha256_init(rpt_sha256 *ctx);
int rpt_sha256_update(rpt_sha256 *ctx, const void *data, size_t len);
/* Writes the 32-byte digest; the context must be initialised again before reuse. */
int rpt_sha256_final(rpt_sha256 *ctx, uint8_t out[RPT_SHA256_SIZE]);

/* One call: the lower-case hex digest of `len` bytes, NUL-terminated. */
int rpt_sha256_hex(const void *data, size_t len, char out[RPT_SHA256_HEX_SIZE]);

/* Converts a 32-byte digest to lower-case hex, NUL-terminated. */
int rpt_sha256_to_hex(const uint8_t digest[RPT_SHA256_SIZE], char out[RPT_SHA256_HEX_SIZE]);

#endif
