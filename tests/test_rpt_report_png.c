/* test_rpt_report_png.c: checks that a screenshot (a PNG as Chromium writes
 * it: 8-bit RGB or RGBA, not interlaced) shows a rendered page rather than a
 * blank one: its size is the window's, enough of it is not white, it has
 * enough distinct colours, and each colour named on the command line covers
 * some pixels (a colour the report's style sheet uses, so the CSS was
 * applied). For tests/cli/test_report_html.sh.
 *
 * The image data is inflated by test_png_inflate.c (no zlib needed); this
 * file owns the PNG chunks, the scanline filters and the pixel counts.
 *
 * usage: test_rpt_report_png FILE WIDTH HEIGHT [RRGGBB ...]
 * exit: 0 rendered, 1 blank or a colour missing, 2 not a PNG it reads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_png_inflate.h"

/* A page counts as rendered past these: a blank page is one colour. */
#define MIN_INK_PERMILLE 20
#define MIN_COLOURS 32
/* A colour named on the command line must cover this many pixels. */
#define MIN_COLOUR_PIXELS 100
/* The largest width or height read (PNG allows 2^31 - 1). */
#define MAX_SIDE 32768u

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
      if (!grown) {
        free(buf), fclose(f);
        return NULL;
      }
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

/* An image as the checks read it: scanlines unfiltered, each a filter type
 * byte then w * bpp bytes of pixels. */
typedef struct image {
  uint32_t w, h;
  int bpp;
  unsigned char *raw;
} image;

/* Reads path into img, whose size must be want_w x want_h. Returns the exit
 * code: 0 read (img->raw to free), 1 another size, 2 not read (why on
 * stderr). */
static int read_png(const char *path, const char *want_w, const char *want_h, image *img) {
  size_t len = 0, idat_len = 0, raw_len = 0, at = 0;
  unsigned char *png = slurp(path, &len), *idat = NULL;
  int rc = 2;
  img->raw = NULL;
  if (!png || len < 33 || memcmp(png, "\x89PNG\r\n\x1a\n", 8) || memcmp(png + 12, "IHDR", 4)) {
    fprintf(stderr, "%s: not a PNG file\n", path);
    goto done;
  }
  img->w = be32(png + 16), img->h = be32(png + 20);
  int depth = png[24], type = png[25], interlace = png[28];
  img->bpp = type == 6 ? 4 : 3;
  if (depth != 8 || (type != 2 && type != 6) || interlace) {
    fprintf(stderr, "%s: depth %d, colour type %d, interlace %d: only 8-bit RGB(A), not interlaced, is read\n", path,
            depth, type, interlace);
    goto done;
  }
  if (img->w != strtoul(want_w, NULL, 10) || img->h != strtoul(want_h, NULL, 10)) {
    printf("FAIL: the screenshot is %ux%u, not %sx%s\n", (unsigned)img->w, (unsigned)img->h, want_w, want_h);
    rc = 1;
    goto done;
  }
  if (!img->w || !img->h || img->w > MAX_SIDE || img->h > MAX_SIDE) { /* keeps the sizes below from overflowing */
    fprintf(stderr, "%s: %ux%u: only sides of 1 to %u pixels are read\n", path, (unsigned)img->w, (unsigned)img->h,
            MAX_SIDE);
    goto done;
  }
  for (size_t chunk = 8; chunk + 12 <= len;) { /* gather the IDAT chunks */
    uint32_t n = be32(png + chunk);
    if (n > len - chunk - 12) break;
    if (!memcmp(png + chunk + 4, "IDAT", 4) && n) {
      unsigned char *grown = realloc(idat, idat_len + n);
      if (!grown) goto done;
      memcpy((idat = grown) + idat_len, png + chunk + 8, n);
      idat_len += n;
    }
    chunk += 12 + (size_t)n;
  }
  /* Each scanline is a filter type byte and its pixels (PNG spec, 7.2). */
  size_t raw_want = (size_t)img->h * ((size_t)img->w * (size_t)img->bpp + 1);
  if (!(img->raw = malloc(raw_want))) goto done;
  png_inflate_status st = png_inflate(idat, idat_len, img->raw, raw_want, &raw_len, &at);
  if (st) {
    fprintf(stderr, "%s: its image data does not inflate: %s (at byte %zu of %zu)\n", path, png_inflate_message(st),
            at, idat_len);
  } else if (raw_len != raw_want) {
    fprintf(stderr, "%s: its image data inflates to %zu bytes, not the %zu of a %ux%u image\n", path, raw_len,
            raw_want, (unsigned)img->w, (unsigned)img->h);
  } else if (unfilter(img->raw, img->w, img->h, img->bpp)) {
    fprintf(stderr, "%s: a scanline has an unknown filter type\n", path);
  } else {
    rc = 0;
  }
done:
  free(png), free(idat);
  if (rc) free(img->raw), img->raw = NULL;
  return rc;
}

/* The page's ink, its colours, and the pixels of each colour of
 * want_hex[0..wanted). Returns the exit code. */
static int judge(const char *path, const image *img, char **want_hex, size_t wanted) {
  unsigned char *seen = calloc(1 << 21, 1); /* one bit per 24-bit colour */
  size_t ink = 0, colours = 0, *hits = calloc(wanted + 1, sizeof *hits);
  unsigned long *want = calloc(wanted + 1, sizeof *want);
  int rc = 2, ok;
  if (!seen || !hits || !want) goto done;
  for (size_t k = 0; k < wanted; k++) want[k] = strtoul(want_hex[k], NULL, 16);
  for (uint32_t y = 0; y < img->h; y++) {
    const unsigned char *p = img->raw + y * ((size_t)img->w * (size_t)img->bpp + 1) + 1;
    for (uint32_t x = 0; x < img->w; x++, p += img->bpp) {
      unsigned long rgb = (unsigned long)p[0] << 16 | (unsigned long)p[1] << 8 | p[2];
      if (rgb != 0xFFFFFF) ink++;
      if (!(seen[rgb >> 3] & (1u << (rgb & 7)))) {
        seen[rgb >> 3] |= (unsigned char)(1u << (rgb & 7));
        colours++;
      }
      for (size_t k = 0; k < wanted; k++) hits[k] += rgb == want[k];
    }
  }
  size_t permille = ink * 1000 / ((size_t)img->w * img->h);
  ok = permille >= MIN_INK_PERMILLE && colours >= MIN_COLOURS;
  printf("%s: %ux%u, %zu.%zu%% not white, %zu colours\n", path, (unsigned)img->w, (unsigned)img->h, permille / 10,
         permille % 10, colours);
  for (size_t k = 0; k < wanted; k++) {
    printf("  #%06lx: %zu pixels\n", want[k], hits[k]);
    ok &= hits[k] >= MIN_COLOUR_PIXELS;
  }
  if (!ok) printf("FAIL: the page looks blank or unstyled\n");
  rc = ok ? 0 : 1;
done:
  free(seen), free(hits), free(want);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: test_rpt_report_png FILE WIDTH HEIGHT [RRGGBB ...]\n");
    return 2;
  }
  image img;
  int rc = read_png(argv[1], argv[2], argv[3], &img);
  if (rc) return rc;
  rc = judge(argv[1], &img, argv + 4, (size_t)argc - 4);
  free(img.raw);
  return rc;
}
