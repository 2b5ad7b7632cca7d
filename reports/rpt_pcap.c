/* rpt_pcap.c: the pcapng writer. Block layouts are those of
 * draft-ietf-opsawg-pcapng: the general block structure (§3.1: type, total
 * length, body padded to 32 bits, total length again), options (§3.5: code,
 * length, value padded to 32 bits, a closing opt_endofopt), strings (§3.6.3:
 * UTF-8, no terminating NUL), the Section Header Block (§4.1), the Interface
 * Description Block (§4.2) and the Enhanced Packet Block (§4.3).
 *
 * Every argument is checked before a block's first byte is written, so a
 * refused call leaves the file as it was. A write the system refuses leaves
 * a partial block behind: the handle is then marked broken and writes no
 * more. */
#include "rpt_pcap.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  BT_SHB = 0x0A0D0D0A, /* §4.1; its byte pattern also tells a reader the byte order */
  BT_IDB = 0x00000001, /* §4.2 */
  BT_EPB = 0x00000006, /* §4.3 */
  BYTE_ORDER_MAGIC = 0x1A2B3C4D,
  LINKTYPE_ETHERNET = 1,
  OPT_ENDOFOPT = 0,
  OPT_COMMENT = 1,
  SHB_USERAPPL = 4,
  IF_NAME = 2,
  IF_TSRESOL = 9,
  TSRESOL_NS = 9 /* the MSB clear: 10^-9 seconds per unit */
};

/* Names the application that wrote the file; constant, so files stay equal. */
static const char USERAPPL[] = "hnsim";

struct rpt_pcap {
  FILE *f;          /* NULL when the open failed */
  char *path;       /* for messages */
  uint32_t ifaces;  /* interfaces defined so far */
  int broken;       /* a write failed: the file's end is unknown */
  char errmsg[512];
};

static int fail(rpt_pcap *pc, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(pc->errmsg, sizeof pc->errmsg, fmt, ap);
  va_end(ap);
  return status;
}

static int enter(rpt_pcap *pc) {
  if (!pc) return RPT_E_INVAL;
  if (!pc->f) return RPT_E_STATE; /* keep the open failure's message */
  if (pc->broken)
    return fail(pc, RPT_E_STATE, "an earlier write to '%s' failed; this handle writes no more", pc->path);
  pc->errmsg[0] = '\0';
  return RPT_OK;
}

static size_t pad4(size_t n) {
  return (n + 3) & ~(size_t)3;
}

static size_t option_size(size_t value_len) {
  return 4 + pad4(value_len);
}

static void le16(uint8_t *b, uint32_t v) {
  b[0] = (uint8_t)v;
  b[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *b, uint32_t v) {
  le16(b, v);
  le16(b + 2, v >> 16);
}

static int emit(rpt_pcap *pc, const void *data, size_t n) {
  if (n == 0 || fwrite(data, 1, n, pc->f) == n) return RPT_OK;
  pc->broken = 1;
  return fail(pc, RPT_E_IO, "writing '%s': %s", pc->path, strerror(errno));
}

/* `data`, then zeros up to the next multiple of 4 bytes. */
static int emit_padded(rpt_pcap *pc, const void *data, size_t n) {
  static const uint8_t zeros[4];
  int rc = emit(pc, data, n);
  return rc != RPT_OK ? rc : emit(pc, zeros, pad4(n) - n);
}

static int emit_option(rpt_pcap *pc, uint32_t code, const void *value, size_t n) {
  uint8_t h[4];
  le16(h, code);
  le16(h + 2, (uint32_t)n);
  int rc = emit(pc, h, sizeof h);
  return rc != RPT_OK ? rc : emit_padded(pc, value, n);
}

/* The options' closing opt_endofopt, then the block's trailing length. */
static int emit_block_end(rpt_pcap *pc, uint32_t total) {
  uint8_t b[8];
  le32(b, OPT_ENDOFOPT);
  le32(b + 4, total);
  return emit(pc, b, sizeof b);
}

/* RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Returns -1 when s[0..n) is valid, else the offset of the first bad byte. */
static long utf8_error_at(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    size_t more;
    uint32_t cp, min;
    if (c < 0x80) { i++; continue; }
    if ((c & 0xE0) == 0xC0) more = 1, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) more = 2, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) more = 3, cp = c & 0x07, min = 0x10000;
    else return (long)i;
    if (n - i <= more) return (long)i;
    for (size_t k = 1; k <= more; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return (long)(i + k);
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return (long)i;
    i += more + 1;
  }
  return -1;
}

/* A name or comment: at most RPT_PCAP_TEXT_MAX bytes of UTF-8. */
static int check_text(rpt_pcap *pc, const char *what, const char *s, size_t *len) {
  size_t n = strlen(s);
  if (n > RPT_PCAP_TEXT_MAX)
    return fail(pc, RPT_E_INVAL, "%s of %zu bytes: longer than %u", what, n, RPT_PCAP_TEXT_MAX);
  long bad = utf8_error_at((const uint8_t *)s, n);
  if (bad >= 0)
    return fail(pc, RPT_E_INVAL, "%s is not UTF-8: byte %ld is 0x%02X", what, bad, (unsigned)(uint8_t)s[bad]);
  *len = n;
  return RPT_OK;
}

static int write_shb(rpt_pcap *pc) {
  size_t app = sizeof USERAPPL - 1;
  uint32_t total = (uint32_t)(8 + 16 + option_size(app) + 4 + 4);
  uint8_t b[24];
  le32(b, BT_SHB);
  le32(b + 4, total);
  le32(b + 8, BYTE_ORDER_MAGIC);
  le16(b + 12, 1); /* version 1.0 */
  le16(b + 14, 0);
  memset(b + 16, 0xFF, 8); /* section length -1: not given */
  int rc = emit(pc, b, sizeof b);
  if (rc == RPT_OK) rc = emit_option(pc, SHB_USERAPPL, USERAPPL, app);
  return rc != RPT_OK ? rc : emit_block_end(pc, total);
}

int rpt_pcap_open(const char *path, rpt_pcap **out) {
  if (!out) return RPT_E_INVAL;
  rpt_pcap *pc = calloc(1, sizeof *pc);
  *out = pc;
  if (!pc) return RPT_E_NOMEM;
  if (!path || !*path) return fail(pc, RPT_E_INVAL, "pcap path is %s", path ? "empty" : "NULL");
  pc->path = strdup(path);
  if (!pc->path) return fail(pc, RPT_E_NOMEM, "out of memory copying the pcap path");
  FILE *f = fopen(path, "wb");
  if (!f) return fail(pc, RPT_E_IO, "cannot create '%s': %s", path, strerror(errno));
  pc->f = f;
  int rc = write_shb(pc);
  if (rc == RPT_OK) pc->errmsg[0] = '\0';
  return rc;
}

int rpt_pcap_add_interface(rpt_pcap *pc, const char *name, uint32_t *out_index) {
  int rc = enter(pc);
  if (rc != RPT_OK) return rc;
  if (!out_index) return fail(pc, RPT_E_INVAL, "out_index is NULL");
  if (!name || !*name) return fail(pc, RPT_E_INVAL, "interface name is %s", name ? "empty" : "NULL");
  if (pc->ifaces == UINT32_MAX) return fail(pc, RPT_E_INVAL, "interface '%s': too many interfaces", name);
  size_t n;
  if ((rc = check_text(pc, "interface name", name, &n)) != RPT_OK) return rc;
  const uint8_t tsresol = TSRESOL_NS;
  uint32_t total = (uint32_t)(8 + 8 + option_size(n) + option_size(1) + 4 + 4);
  uint8_t b[16];
  le32(b, BT_IDB);
  le32(b + 4, total);
  le16(b + 8, LINKTYPE_ETHERNET);
  le16(b + 10, 0); /* reserved */
  le32(b + 12, RPT_PCAP_FRAME_MAX); /* snaplen */
  rc = emit(pc, b, sizeof b);
  if (rc == RPT_OK) rc = emit_option(pc, IF_NAME, name, n);
  if (rc == RPT_OK) rc = emit_option(pc, IF_TSRESOL, &tsresol, 1);
  if (rc == RPT_OK) rc = emit_block_end(pc, total);
  if (rc == RPT_OK) *out_index = pc->ifaces++;
  return rc;
}

int rpt_pcap_write(rpt_pcap *pc, uint32_t iface, int64_t time_ns, const uint8_t *frame, size_t len,
                   const char *comment) {
  int rc = enter(pc);
  if (rc != RPT_OK) return rc;
  if (iface >= pc->ifaces) {
    if (pc->ifaces == 0)
      return fail(pc, RPT_E_INVAL, "interface %lu: no interface is defined yet", (unsigned long)iface);
    return fail(pc, RPT_E_INVAL, "interface %lu: only 0..%lu are defined", (unsigned long)iface,
                (unsigned long)(pc->ifaces - 1));
  }
  if (time_ns < 0) return fail(pc, RPT_E_INVAL, "time_ns %lld: negative", (long long)time_ns);
  if (!frame) return fail(pc, RPT_E_INVAL, "frame is NULL");
  if (len == 0 || len > RPT_PCAP_FRAME_MAX)
    return fail(pc, RPT_E_INVAL, "frame length %zu: not 1..%u", len, RPT_PCAP_FRAME_MAX);
  size_t clen = 0;
  if (comment && *comment && (rc = check_text(pc, "comment", comment, &clen)) != RPT_OK) return rc;
  size_t opts = clen ? option_size(clen) + 4 : 0;
  uint32_t total = (uint32_t)(8 + 20 + pad4(len) + opts + 4);
  uint64_t ts = (uint64_t)time_ns;
  uint8_t b[28];
  le32(b, BT_EPB);
  le32(b + 4, total);
  le32(b + 8, iface);
  le32(b + 12, (uint32_t)(ts >> 32));
  le32(b + 16, (uint32_t)ts);
  le32(b + 20, (uint32_t)len); /* captured */
  le32(b + 24, (uint32_t)len); /* original */
  rc = emit(pc, b, sizeof b);
  if (rc == RPT_OK) rc = emit_padded(pc, frame, len);
  if (rc != RPT_OK) return rc;
  if (clen) {
    rc = emit_option(pc, OPT_COMMENT, comment, clen);
    return rc != RPT_OK ? rc : emit_block_end(pc, total);
  }
  uint8_t t[4];
  le32(t, total);
  return emit(pc, t, sizeof t);
}

int rpt_pcap_flush(rpt_pcap *pc) {
  int rc = enter(pc);
  if (rc != RPT_OK) return rc;
  if (fflush(pc->f) == 0) return RPT_OK;
  pc->broken = 1;
  return fail(pc, RPT_E_IO, "writing '%s': %s", pc->path, strerror(errno));
}

int rpt_pcap_close(rpt_pcap *pc) {
  if (!pc) return RPT_OK;
  int rc = RPT_OK;
  if (pc->f && (fclose(pc->f) != 0 || pc->broken)) rc = RPT_E_IO;
  free(pc->path);
  free(pc);
  return rc;
}

const char *rpt_pcap_errmsg(const rpt_pcap *pc) {
  if (!pc) return "no pcap handle (NULL)";
  return pc->errmsg[0] ? pc->errmsg : "no error";
}
