/* hns_hostdump_decode.c: a dump file's bytes as text, and the JSON in it.
 *
 *  - Encoding: Windows PowerShell 5.1's `>` and Out-File write UTF-16LE
 *    with a byte-order mark (collectlogs.ps1 writes network.txt with `>`,
 *    networkhealth.ps1 its dumps with Out-File); PowerShell 7 writes UTF-8
 *    without one; some editors add a UTF-8 mark. All are read; UTF-16
 *    without a mark is recognised by its zero high bytes (inferred).
 *  - JSON: one value, an array, or several values one after another
 *    (hnsdiag list all -df prints one object after another, seen in
 *    microsoft/WSL#6457 and #7127); Windows PowerShell wraps some arrays as
 *    {"value":[...],"Count":n}. A Format-Table preamble may come first
 *    (collectlogs.ps1: `Get-HnsNetwork | Select Name, Type, Id,
 *    AddressPrefix > network.txt` then `ConvertTo-Json >> network.txt`).
 *  - ConvertTo-Json writes values deeper than its -Depth (default 2) as
 *    their text: "@{Type=ELB; ...}" for an object, "System.Object[]" for an
 *    array (as Format-List shows them in issue threads, e.g. the
 *    Get-HnsEndpoint output quoted in Azure/acs-engine#1903). Such values
 *    carry nothing; they are removed and counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hns_hostdump_int.h"

/* ---- bytes -> UTF-8 ---- */

static void put_utf8(char *out, size_t *n, uint32_t c) {
  if (c < 0x80) {
    out[(*n)++] = (char)c;
  } else if (c < 0x800) {
    out[(*n)++] = (char)(0xC0 | c >> 6);
    out[(*n)++] = (char)(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out[(*n)++] = (char)(0xE0 | c >> 12);
    out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[(*n)++] = (char)(0x80 | (c & 0x3F));
  } else {
    out[(*n)++] = (char)(0xF0 | c >> 18);
    out[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[(*n)++] = (char)(0x80 | (c & 0x3F));
  }
}

static hns_hr from_utf16(hns_dump_import *im, const unsigned char *b, size_t len, int big, char **text) {
  if (len % 2) return hns__dump_fail(im, "UTF-16 text with an odd number of bytes (%zu)", len);
  char *out = malloc(len / 2 * 3 + 1); /* a UTF-16 unit gives at most 3 bytes; a pair 4 for 2 units */
  if (!out) return hns__dump_oom(im);
  size_t n = 0;
  for (size_t i = 0; i < len; i += 2) {
    uint32_t u = big ? (uint32_t)(b[i] << 8 | b[i + 1]) : (uint32_t)(b[i + 1] << 8 | b[i]);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < len) {
      uint32_t lo = big ? (uint32_t)(b[i + 2] << 8 | b[i + 3]) : (uint32_t)(b[i + 3] << 8 | b[i + 2]);
      if (lo >= 0xDC00 && lo < 0xE000) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
    }
    if ((u >= 0xD800 && u < 0xE000) || u == 0) {
      free(out);
      return hns__dump_fail(im, "byte %zu: %s in UTF-16 text", i, u ? "a lone surrogate" : "a NUL character");
    }
    put_utf8(out, &n, u);
  }
  out[n] = '\0';
  *text = out;
  return HNS_S_OK;
}

hns_hr hns__dump_decode(hns_dump_import *im, const char *bytes, size_t len, char **text) {
  const unsigned char *b = (const unsigned char *)bytes;
  *text = NULL;
  if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) return from_utf16(im, b + 2, len - 2, 0, text);
  if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) return from_utf16(im, b + 2, len - 2, 1, text);
  if (len >= 4 && b[0] && !b[1] && b[2] && !b[3]) return from_utf16(im, b, len, 0, text);
  if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) b += 3, len -= 3;
  const unsigned char *nul = memchr(b, 0, len);
  if (nul) return hns__dump_fail(im, "byte %zu is NUL: not a text file", (size_t)(nul - b));
  char *out = malloc(len + 1);
  if (!out) return hns__dump_oom(im);
  memcpy(out, b, len);
  out[len] = '\0';
  *text = out;
  return HNS_S_OK;
}

/* ---- JSON values ---- */

static const char *skip_space(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
  return p;
}

/* Windows PowerShell's array wrapper: exactly "value" (an array) and "Count". */
static cJSON *unwrap(cJSON *v) {
  cJSON *value = cJSON_GetObjectItemCaseSensitive(v, "value");
  if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsArray(value) ||
      !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(v, "Count")))
    return v;
  return cJSON_DetachItemViaPointer(v, value);
}

static void append_value(cJSON *all, cJSON *v) {
  if (cJSON_IsNull(v)) {
    cJSON_Delete(v);
  } else if (cJSON_IsArray(v)) {
    for (cJSON *item = v->child; item; item = v->child) cJSON_AddItemToArray(all, cJSON_DetachItemViaPointer(v, item));
    cJSON_Delete(v);
  } else {
    cJSON_AddItemToArray(all, v);
  }
}

int hns__dump_json_values(const char *text, cJSON **out, const char **fail_at) {
  cJSON *all = cJSON_CreateArray();
  *out = NULL;
  if (!all) return -2;
  for (const char *p = skip_space(text); *p; p = skip_space(p)) {
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithOpts(p, &end, 0);
    if (!v) {
      *fail_at = cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : p;
      cJSON_Delete(all);
      return -1;
    }
    cJSON *u = unwrap(v);
    if (u != v) {
      cJSON_Delete(v);
      v = u;
    }
    append_value(all, v);
    p = end;
  }
  *out = all;
  return 0;
}

const char *hns__dump_json_line(const char *text, const char *from) {
  for (const char *line = from; line && *line;) {
    if ((line == text || line[-1] == '\n') && (*line == '{' || *line == '[')) return line;
    line = strchr(line, '\n');
    if (line) line++;
  }
  return NULL;
}

/* ---- values ConvertTo-Json cut off ---- */

static int is_cut_off(const cJSON *v) {
  const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
  return s && (!strncmp(s, "@{", 2) || !strcmp(s, "System.Object[]") || !strcmp(s, "System.Collections.Hashtable") ||
               !strcmp(s, "System.Management.Automation.PSCustomObject"));
}

static size_t scrub(cJSON *o, char *path, size_t used, size_t cap, char *example, size_t len) {
  size_t count = 0, i = 0;
  for (cJSON *v = o->child, *next; v; v = next, i++) {
    next = v->next;
    int n = cJSON_IsObject(o) ? snprintf(path + used, cap - used, "%s%s", used ? "." : "", v->string ? v->string : "")
                              : snprintf(path + used, cap - used, "[%zu]", i);
    size_t at = used + (n > 0 && (size_t)n < cap - used ? (size_t)n : 0);
    if (is_cut_off(v)) {
      if (!count && !*example) snprintf(example, len, "%s = '%.40s'", path, v->valuestring);
      cJSON_Delete(cJSON_DetachItemViaPointer(o, v));
      count++;
    } else if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
      count += scrub(v, path, at, cap, example, len);
    }
    path[used] = '\0';
  }
  return count;
}

size_t hns__dump_scrub(cJSON *o, char *example, size_t len) {
  char path[256] = "";
  if (len) example[0] = '\0';
  return cJSON_IsObject(o) || cJSON_IsArray(o) ? scrub(o, path, 0, sizeof path, example, len) : 0;
}
