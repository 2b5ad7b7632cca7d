/* hns_hostdump_print.c: JSON laid out as the tools that dump HNS state lay
 * it out, so that exported files read like the real ones.
 *
 *  - ConvertTo-Json of PowerShell 7: two-space indentation, "key": value,
 *    empty arrays and objects as [] and {}, one value per line. (Windows
 *    PowerShell 5.1 indents differently and escapes <, >, ', & as \uXXXX;
 *    every JSON reader, PowerShell's included, reads both alike.) Piped
 *    items give nothing for none, the item for one, an array for several
 *    (collectlogs.ps1 and networkhealth.ps1 pipe their lists so).
 *  - hnsdiag list ... -d: four-space indentation, "key":value with no
 *    space, an empty object or array opened and closed on lines of their own
 *    with an empty line between (microsoft/WSL#6457, #6769, #7127 quote
 *    `hnsdiag list all -df`).
 * Numbers that are whole print without a fraction (Version values such as
 * 55834574851 included); strings escape what JSON requires and no more.
 * Keys keep their order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_hostdump_int.h"

typedef struct buf {
  char *p;
  size_t n, cap;
  int oom;
} buf;

static void put(buf *b, const char *s, size_t len) {
  if (b->oom) return;
  if (b->n + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + len + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, len);
  b->n += len;
  b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void indent(buf *b, int style, int depth) {
  for (int i = 0; i < depth * (style == HNS_DUMP_STYLE_HNSDIAG ? 4 : 2); i++) put(b, " ", 1);
}

static void string(buf *b, const char *s) {
  put(b, "\"", 1);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    char esc[8];
    switch (*c) {
    case '"': puts_(b, "\\\""); break;
    case '\\': puts_(b, "\\\\"); break;
    case '\n': puts_(b, "\\n"); break;
    case '\r': puts_(b, "\\r"); break;
    case '\t': puts_(b, "\\t"); break;
    case '\b': puts_(b, "\\b"); break;
    case '\f': puts_(b, "\\f"); break;
    default:
      if (*c < 0x20) {
        snprintf(esc, sizeof esc, "\\u%04x", *c);
        puts_(b, esc);
      } else {
        put(b, (const char *)c, 1);
      }
    }
  }
  put(b, "\"", 1);
}

static void number(buf *b, double d) {
  char text[64];
  if (d != d || d > 1.7976931348623157e308 || d < -1.7976931348623157e308)
    snprintf(text, sizeof text, "null"); /* JSON has no NaN or infinity */
  else if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(long long)d)
    snprintf(text, sizeof text, "%lld", (long long)d);
  else
    snprintf(text, sizeof text, "%.17g", d);
  puts_(b, text);
}

static void value(buf *b, const cJSON *v, int style, int depth) {
  if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
    int obj = cJSON_IsObject(v);
    put(b, obj ? "{" : "[", 1);
    if (!v->child) {
      if (style == HNS_DUMP_STYLE_HNSDIAG) {
        puts_(b, "\n\n");
        indent(b, style, depth);
      }
      put(b, obj ? "}" : "]", 1);
      return;
    }
    for (const cJSON *c = v->child; c; c = c->next) {
      put(b, "\n", 1);
      indent(b, style, depth + 1);
      if (obj) {
        string(b, c->string ? c->string : "");
        puts_(b, style == HNS_DUMP_STYLE_HNSDIAG ? ":" : ": ");
      }
      value(b, c, style, depth + 1);
      if (c->next) put(b, ",", 1);
    }
    put(b, "\n", 1);
    indent(b, style, depth);
    put(b, obj ? "}" : "]", 1);
  } else if (cJSON_IsString(v)) {
    string(b, v->valuestring);
  } else if (cJSON_IsNumber(v)) {
    number(b, v->valuedouble);
  } else if (cJSON_IsBool(v)) {
    puts_(b, cJSON_IsTrue(v) ? "true" : "false");
  } else if (cJSON_IsRaw(v)) {
    puts_(b, v->valuestring);
  } else {
    puts_(b, "null");
  }
}

char *hns__dump_print(const cJSON *v, int style) {
  buf b = {0};
  value(&b, v, style, 0);
  put(&b, "\n", 1);
  if (b.oom) {
    free(b.p);
    return NULL;
  }
  return b.p;
}

char *hns__dump_print_pipeline(const cJSON *a) {
  int n = cJSON_GetArraySize(a);
  if (!n) return calloc(1, 1);
  return hns__dump_print(n == 1 ? a->child : a, HNS_DUMP_STYLE_PWSH);
}
