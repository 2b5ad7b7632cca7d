/* rpt_report_text.c: text helpers the report writers share: XML/HTML
 * escaping of arbitrary bytes, UTF-8 character counts, and numbers printed
 * from integers or as the shortest round-trip text, never from the
 * platform's defaults, and the style rules both HTML pages start with. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_report_int.h"

/* Decodes the UTF-8 sequence at s (at most `left` bytes): its code point
 * and length, or -1 for a byte that does not start a valid sequence
 * (overlong forms, surrogates and values past U+10FFFF are invalid). */
static long utf8_decode(const unsigned char *s, size_t left, size_t *len) {
  unsigned char c = s[0];
  long cp;
  size_t need;
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  if (c >= 0xC2 && c <= 0xDF) need = 1, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) need = 2, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) need = 3, cp = c & 0x07;
  else return -1;
  if (need >= left) return -1;
  for (size_t i = 1; i <= need; i++) {
    if ((s[i] & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  static const long min_of[] = {0, 0x80, 0x800, 0x10000};
  if (cp < min_of[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  *len = need + 1;
  return cp;
}

void rpt__esc_xmln(FILE *out, const char *str, size_t n, int mode) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, len;
  while (i < n) {
    long cp = utf8_decode(s + i, n - i, &len);
    if (cp < 0) {
      fputs("\xEF\xBF\xBD", out); /* U+FFFD REPLACEMENT CHARACTER */
      i++;
      continue;
    }
    switch (cp) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs(mode == RPT__ESC_ATTR ? "&quot;" : "\"", out); break;
    case '\t': fputs(mode == RPT__ESC_ATTR ? "&#9;" : "\t", out); break;
    case '\n': fputs(mode == RPT__ESC_ATTR ? "&#10;" : "\n", out); break;
    case '\r': fputs("&#13;", out); break; /* a bare CR would read back as LF */
    default:
      if (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF) fwrite(s + i, 1, len, out);
    }
    i += len;
  }
}

void rpt__esc_xml(FILE *out, const char *s, int mode) {
  if (s) rpt__esc_xmln(out, s, strlen(s), mode);
}

size_t rpt__utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

size_t rpt__utf8_prefix(const char *s, size_t chars) {
  size_t i = 0;
  for (; s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && chars-- == 0) break;
  return i;
}

int rpt__utf8_valid(const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str), len;
  for (size_t i = 0; i < n; i += len)
    if (utf8_decode(s + i, n - i, &len) < 0) return 0;
  return 1;
}

char *rpt__utf8_repaired(const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str), len, o = 0;
  char *copy = malloc(3 * n + 1); /* each byte becomes at most 3 */
  if (!copy) return NULL;
  for (size_t i = 0; i < n; i += len) {
    if (utf8_decode(s + i, n - i, &len) < 0) {
      memcpy(copy + o, "\xEF\xBF\xBD", 3);
      o += 3;
      len = 1;
    } else {
      memcpy(copy + o, s + i, len);
      o += len;
    }
  }
  copy[o] = '\0';
  return copy;
}

void rpt__sim_seconds(FILE *out, int64_t ns) {
  fprintf(out, "%" PRId64 ".%09" PRId64, ns / 1000000000, ns % 1000000000);
}

void rpt__real(char buf[40], double v) {
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, 40, "%.*g", prec, v);
    if (prec == 17 || strtod(buf, NULL) == v) break;
  }
}

/* Backslash, '|', '`', '*', '_', '[' and ']' escaped; '<', '>' and '&' as
 * entities; a line break as <br>. */
void rpt__md_cell(FILE *out, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '\\': case '|': case '`': case '*': case '_': case '[': case ']':
      fputc('\\', out);
      fputc(*s, out);
      break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '&': fputs("&amp;", out); break;
    case '\r':
      if (s[1] == '\n') s++;
      fputs("<br>", out);
      break;
    case '\n': fputs("<br>", out); break;
    default: fputc(*s, out);
    }
  }
}

const char rpt__css_common[] =
    "body{font-family:sans-serif;margin:1.5em auto;max-width:1400px;padding:0 1em;color:#1a1a1a;"
    "background:#fff;line-height:1.4}\n"
    "h1{font-size:1.6em;border-bottom:2px solid #37474f;padding-bottom:.2em}\n"
    "h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #b0bec5}\n"
    "table{border-collapse:collapse;margin:.4em 0;font-size:.9em}\n"
    "th,td{border:1px solid #cfd8dc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
    "th{background:#eceff1}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".state{display:inline-block;padding:0 .5em;border-radius:.6em;font-weight:bold;font-size:.9em}\n"
    ".passed{background:#c8e6c9;color:#1b5e20}\n"
    ".failed{background:#ffcdd2;color:#b71c1c}\n"
    ".error{background:#e1bee7;color:#4a148c}\n"
    ".incomplete{background:#ffe0b2;color:#e65100}\n"
    ".notice{border-left:4px solid #e65100;background:#fff3e0;padding:.4em .8em}\n"
    ".muted{color:#607d8b;font-size:.9em}\n";
