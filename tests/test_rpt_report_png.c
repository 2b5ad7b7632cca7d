/* test_rpt_report_png.c: checks that a screenshot (a PNG as Chromium writes
 * it: 8-bit RGB or RGBA, not interlaced) shows a rendered page rather than a
 * blank one: its size is the window's, enough of it is not white, it has
 * enough distinct colours, and each colour named on the command line covers
 * some pixels (a colour the report's style sheet uses, so the CSS was
 * applied). For tests/cli/test_report_html.sh.
 *
 * usage: test_rpt_report_png FILE WIDTH HEIGHT [RRGGBB ...]
 * exit: 0 rendered, 1 blank or a colour missing, 2 not a PNG it reads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A page counts as rendered past these: a blank page is one colour. */
#define MIN_INK_PERMILLE 20
#define MIN_COLOURS 32
/* A colour named on the command line must cover this many pixels. */
#define MIN_COLOUR_PIXELS 100

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (!f) return NULL;
  do {
    if (n == cap) {
      unsigned char *grown = realloc(buf, cap = cap ? 2 * cap : 1 << 16);
      if (!grown) break;
      buf = grown;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got);
  fclose(f);
  *len = n;
  return buf;
}

static int paeth(int a, int b, int c) {
  int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the PNG filters of each scanline in place (PNG spec, section 9). */
static int unfilter(unsigned char *data, uint32_t w, uint32_t h, int bpp) {
  size_t stride = (size_t)w * (size_t)bpp;
  for (uint32_t y = 0; y < h; y++) {
    unsigned char *line = data + y * (stride + 1), *cur = line + 1;
    unsigned char *prev = y ? data + (y - 1) * (stride + 1) + 1 : NULL;
    for (size_t i = 0; i < stride; i++) {
      int a = i >= (size_t)bpp ? cur[i - (size_t)bpp] : 0, b = prev ? prev[i] : 0;
      int c = prev && i >= (size_t)bpp ? prev[i - (size_t)bpp] : 0;
      switch (line[0]) {
      case 0: break;
      case 1: cur[i] = (unsigned char)(cur[i] + a); break;
      case 2: cur[i] = (unsigned char)(cur[i] + b); break;
      case 3: cur[i] = (unsigned char)(cur[i] + (a + b) / 2); break;
      case 4: cur[i] = (unsigned char)(cur[i] + paeth(a, b, c)); break;
      default: return -1;
      }
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: test_rpt_report_png FILE WIDTH HEIGHT [RRGGBB ...]\n");
    return 2;
  }
  size_t len = 0, idat_len = 0;
  unsigned char *png = slurp(argv[1], &len), *idat = NULL;
  if (!png || len < 33 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) || memcmp(png + 12, "IHDR", 4)) {
    fprintf(stderr, "%s: not a PNG file\n", argv[1]);
    return 2;
  }
  uint32_t w = be32(png + 16), h = be32(png + 20);
  int depth = png[24], type = png[25], interlace = png[28], bpp = type == 6 ? 4 : 3;
  if (depth != 8 || (type != 2 && type != 6) || interlace) {
    fprintf(stderr, "%s: depth %d, colour type %d, interlace %d: only 8-bit RGB(A), not interlaced, is read\n",
            argv[1], depth, type, interlace);
    return 2;
  }
  if (w != strtoul(argv[2], NULL, 10) || h != strtoul(argv[3], NULL, 10)) {
    printf("FAIL: the screenshot is %ux%u, not %sx%s\n", (unsigned)w, (unsigned)h, argv[2], argv[3]);
    return 1;
  }
  for (size_t at = 8; at + 12 <= len;) { /* gather the IDAT chunks */
    uint32_t n = be32(png + at);
    if (n > len - at - 12) break;
    if (!memcmp(png + at + 4, "IDAT", 4)) {
      unsigned char *grown = realloc(idat, idat_len + n);
      if (!grown) return 2;
      memcpy((idat = grown) + idat_len, png + at + 8, n);
      idat_len += n;
    }
    at += 12 + (size_t)n;
  }
  uLongf raw_len = (uLongf)h * ((uLongf)w * (uLongf)bpp + 1);
  unsigned char *raw = malloc(raw_len);
  if (!raw || uncompress(raw, &raw_len, idat, idat_len) != Z_OK || raw_len != (uLongf)h * ((uLongf)w * bpp + 1) ||
      unfilter(raw, w, h, bpp)) {
    fprintf(stderr, "%s: its image data does not decode\n", argv[1]);
    return 2;
  }
  unsigned char *seen = calloc(1 << 21, 1); /* one bit per 24-bit colour */
  size_t ink = 0, colours = 0, wanted = (size_t)argc - 4;
  size_t *hits = calloc(wanted + 1, sizeof *hits);
  unsigned long *want = calloc(wanted + 1, sizeof *want);
  if (!seen || !hits || !want) return 2;
  for (size_t k = 0; k < wanted; k++) want[k] = strtoul(argv[4 + k], NULL, 16);
  for (uint32_t y = 0; y < h; y++) {
    const unsigned char *p = raw + y * ((size_t)w * bpp + 1) + 1;
    for (uint32_t x = 0; x < w; x++, p += bpp) {
      unsigned long rgb = (unsigned long)p[0] << 16 | (unsigned long)p[1] << 8 | p[2];
      if (rgb != 0xFFFFFF) ink++;
      if (!(seen[rgb >> 3] & (1u << (rgb & 7)))) {
        seen[rgb >> 3] |= (unsigned char)(1u << (rgb & 7));
        colours++;
      }
      for (size_t k = 0; k < wanted; k++) hits[k] += rgb == want[k];
    }
  }
  size_t permille = ink * 1000 / ((size_t)w * h);
  int ok = permille >= MIN_INK_PERMILLE && colours >= MIN_COLOURS;
  printf("%s: %ux%u, %zu.%zu%% not white, %zu colours\n", argv[1], (unsigned)w, (unsigned)h, permille / 10,
         permille % 10, colours);
  for (size_t k = 0; k < wanted; k++) {
    printf("  #%06lx: %zu pixels\n", want[k], hits[k]);
    ok &= hits[k] >= MIN_COLOUR_PIXELS;
  }
  if (!ok) printf("FAIL: the page looks blank or unstyled\n");
  free(png), free(idat), free(raw), free(seen), free(hits), free(want);
  return ok ? 0 : 1;
}
