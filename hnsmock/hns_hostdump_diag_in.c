/* hns_hostdump_diag_in.c: `hnsdiag list all` and `hnsdiag list all -d`
 * text -> objects. hnsdiag has no published format; what is read is what
 * public threads show:
 *
 *  - the table layout (kubernetes-sigs/sig-windows-tools#84 and #168, a
 *    flannel overlay guide, an antrea development note):
 *        Networks:
 *        Name             ID
 *        nat              B5083512-BE1D-4326-B58F-56CA5154E8D5
 *        Endpoints:
 *        Name             ID                                   Virtual Network Name
 *        Ethernet         11796e63-07b3-4199-91d5-9bc25108fb41 vxlan0
 *        Namespaces:
 *        ID                                   | Endpoint IDs
 *        LoadBalancers:
 *        ID                                   | Virtual IPs      | Direct IP IDs
 *        326f84d7-35ec-4355-a60a-e82e2b05ec24 |  10.96.0.1       | ba06178e-...
 *    Names may hold spaces and run past their column; blank lines may fall
 *    inside a table (sig-windows-tools#168);
 *  - the block layout of newer builds (a Rancher RKE2 troubleshooting note:
 *    "Endpoint         : c9385412-..." then indented "Name : ...",
 *    "IP Address : ..."; microsoft/SDN#456 shows the same for adapters
 *    under a "////ADAPTERS////" banner): "Network", "Endpoint",
 *    "LoadBalancer" or "Namespace" and an ID, then "Key : value" lines;
 *    keys read: Name, Type, IP Address, Mac Address, Virtual Network,
 *    Virtual Network Name, Virtual IPs, Direct IP IDs (those beyond Name
 *    and IP Address (inferred));
 *  - -d: "dumps the json of the object" (hnsdiag's usage text, quoted in
 *    microsoft/SDN#520); `-df` prints one JSON object after another
 *    (microsoft/WSL#6457, #7127): v1 networks and endpoints. Each JSON
 *    object, wherever it stands, is read as the JSON formats are.
 * What the tables lack (types, addresses, ports) stays absent; namespaces
 * are not read (a host state holds none). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"
#include "sim_addr.h"

enum { SEC_NONE, SEC_NETWORKS, SEC_ENDPOINTS, SEC_NAMESPACES, SEC_LBS };

static const struct {
  const char *title; /* the table layout's line */
  const char *block; /* the block layout's kind */
  int section;
} sections[] = {{"Networks:", "Network", SEC_NETWORKS},
                {"Endpoints:", "Endpoint", SEC_ENDPOINTS},
                {"Namespaces:", "Namespace", SEC_NAMESPACES},
                {"LoadBalancers:", "LoadBalancer", SEC_LBS},
                {"Load Balancers:", "Load Balancer", SEC_LBS}};
#define NSECTIONS (sizeof sections / sizeof sections[0])

typedef struct line {
  char text[1024];   /* the line, without its end; longer lines are cut */
  const char *start; /* where it starts in the file's text */
  size_t no;         /* 1, 2, ... */
} line;

/* The next line of *p into *l; 0 at the end. */
static int next_line(const char **p, line *l) {
  if (!**p) return 0;
  l->start = *p;
  size_t n = strcspn(*p, "\n");
  size_t keep = n && (*p)[n - 1] == '\r' ? n - 1 : n;
  snprintf(l->text, sizeof l->text, "%.*s", (int)(keep < sizeof l->text ? keep : sizeof l->text - 1), *p);
  *p += n + ((*p)[n] == '\n');
  l->no++;
  return 1;
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  for (size_t n = strlen(s); n && isspace((unsigned char)s[n - 1]);) s[--n] = '\0';
  return s;
}

static int is_guid(const char *s, size_t n) {
  char id[40];
  hns_guid g;
  if (n != 36) return 0;
  memcpy(id, s, n);
  id[n] = '\0';
  return !hns_guid_parse(id, &g);
}

/* "Endpoint : <ID>": the section of the block, or -1. */
static int block_start(const char *t, char id[40]) {
  const char *colon = strchr(t, ':');
  if (!colon) return -1;
  char kind[32];
  size_t n = (size_t)(colon - t);
  while (n && isspace((unsigned char)t[n - 1])) n--;
  const char *v = colon + 1 + strspn(colon + 1, " \t");
  size_t vn = strcspn(v, " \t");
  if (n >= sizeof kind || !is_guid(v, vn) || v[vn + strspn(v + vn, " \t")]) return -1;
  snprintf(kind, sizeof kind, "%.*s", (int)n, t);
  for (size_t i = 0; i < NSECTIONS; i++)
    if (!strcasecmp(kind, sections[i].block)) {
      snprintf(id, 40, "%.36s", v);
      return sections[i].section;
    }
  return -1;
}

static int title_of(const char *t) {
  for (size_t i = 0; i < NSECTIONS; i++)
    if (!strcasecmp(t, sections[i].title)) return sections[i].section;
  /* a "////////NETWORKS////////" banner (microsoft/SDN#456's layout) */
  if (!strncmp(t, "///", 3)) {
    char word[32];
    size_t n = strspn(t, "/");
    snprintf(word, sizeof word, "%.*s", (int)strcspn(t + n, "/"), t + n);
    for (size_t i = 0; i < NSECTIONS; i++) {
      char plural[40];
      snprintf(plural, sizeof plural, "%sS", sections[i].block);
      if (!strcasecmp(word, plural)) return sections[i].section;
    }
  }
  return -1;
}

int hns__dump_is_hnsdiag(const char *text) {
  const char *p = text;
  line l = {.no = 0};
  char id[40];
  while (next_line(&p, &l)) {
    char *t = trim(l.text);
    if (title_of(t) >= 0 || block_start(t, id) >= 0) return 1;
  }
  return 0;
}

/* ---- building objects ---- */

typedef struct reader {
  hns_dump_import *im;
  int section;
  cJSON *block;   /* the block being filled, or NULL */
  int block_list; /* its list */
  size_t line_no; /* its first line */
  size_t objects; /* objects read so far, for "object N" */
} reader;

static hns_hr add_doc(reader *r, int list, cJSON *doc, size_t line_no) {
  char where[48];
  snprintf(where, sizeof where, "line %zu", line_no);
  r->objects++;
  return hns__dump_add(r->im, list, doc, where);
}

static hns_hr flush_block(reader *r) {
  cJSON *doc = r->block;
  r->block = NULL;
  return doc ? add_doc(r, r->block_list, doc, r->line_no) : HNS_S_OK;
}

/* Adds the addresses of `text` (split by spaces) to doc[key], checked as
 * IPs (ips) or GUIDs. */
static hns_hr words(reader *r, cJSON *doc, const char *key, const char *text, int ips, size_t line_no,
                    const char *what) {
  cJSON *arr = cJSON_GetObjectItem(doc, key);
  if (!arr) arr = cJSON_AddArrayToObject(doc, key);
  if (!arr) return hns__dump_oom(r->im);
  for (const char *p = text + strspn(text, " \t"); *p; p += strspn(p, " \t")) {
    char w[64];
    size_t n = strcspn(p, " \t");
    sim_ip ip;
    snprintf(w, sizeof w, "%.*s", (int)(n < sizeof w ? n : sizeof w - 1), p);
    if (ips ? sim_ip_parse(w, &ip) != 0 : !is_guid(p, n))
      return hns__dump_fail(r->im, "line %zu: %s: '%s' is not %s", line_no, what, w, ips ? "an IP address" : "an ID");
    cJSON_AddItemToArray(arr, cJSON_CreateString(w));
    p += n;
  }
  return HNS_S_OK;
}

/* One "Key : value" line of a block. */
static hns_hr block_field(reader *r, const char *t, size_t line_no) {
  const char *colon = strchr(t, ':');
  if (!colon)
    return hns__dump_fail(r->im, "line %zu: '%.64s' is not 'Key : value' in the block of line %zu", line_no, t,
                          r->line_no);
  char key[64];
  size_t n = (size_t)(colon - t);
  while (n && isspace((unsigned char)t[n - 1])) n--;
  snprintf(key, sizeof key, "%.*s", (int)(n < sizeof key ? n : sizeof key - 1), t);
  const char *v = colon + 1 + strspn(colon + 1, " \t");
  cJSON *doc = r->block;
  sim_ip ip;
  sim_mac mac;
  if (!*v) return HNS_S_OK;
  if (!strcasecmp(key, "Name") || !strcasecmp(key, "Type"))
    return cJSON_AddStringToObject(doc, strcasecmp(key, "Name") ? "Type" : "Name", v) ? HNS_S_OK : hns__dump_oom(r->im);
  if (r->block_list == HNS_DUMP_ENDPOINTS && !strcasecmp(key, "IP Address")) {
    if (sim_ip_parse(v, &ip))
      return hns__dump_fail(r->im, "line %zu: IP Address: '%.64s' is not an IP address", line_no, v);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "IpConfigurations"), c);
    return cJSON_AddStringToObject(c, "IpAddress", v) ? HNS_S_OK : hns__dump_oom(r->im);
  }
  if (r->block_list == HNS_DUMP_ENDPOINTS && !strcasecmp(key, "Mac Address")) {
    if (sim_mac_parse(v, &mac))
      return hns__dump_fail(r->im, "line %zu: Mac Address: '%.64s' is not a MAC address", line_no, v);
    return cJSON_AddStringToObject(doc, "MacAddress", v) ? HNS_S_OK : hns__dump_oom(r->im);
  }
  if (r->block_list == HNS_DUMP_ENDPOINTS &&
      (!strcasecmp(key, "Virtual Network") || !strcasecmp(key, "Virtual Network Name")))
    return cJSON_AddStringToObject(doc, is_guid(v, strlen(v)) ? "HostComputeNetwork" : "VirtualNetworkName", v)
               ? HNS_S_OK
               : hns__dump_oom(r->im);
  if (r->block_list == HNS_DUMP_LBS && !strcasecmp(key, "Virtual IPs"))
    return words(r, doc, "FrontendVIPs", v, 1, line_no, "Virtual IPs");
  if (r->block_list == HNS_DUMP_LBS && !strcasecmp(key, "Direct IP IDs"))
    return words(r, doc, "HostComputeEndpoints", v, 0, line_no, "Direct IP IDs");
  return HNS_S_OK;
}

/* The first (first = 1) or last whitespace-separated word of `t` that is a
 * GUID; *at its offset. */
static int find_guid(const char *t, int first, size_t *at) {
  int found = 0;
  for (size_t i = 0; t[i];) {
    size_t n = strcspn(t + i, " \t");
    if (is_guid(t + i, n)) {
      *at = i;
      found = 1;
      if (first) return 1;
    }
    i += n;
    i += strspn(t + i, " \t");
  }
  return found;
}

static hns_hr table_row(reader *r, char *t, size_t line_no) {
  size_t at;
  cJSON *doc = cJSON_CreateObject();
  if (!doc) return hns__dump_oom(r->im);
  int list = r->section == SEC_NETWORKS    ? HNS_DUMP_NETWORKS
             : r->section == SEC_ENDPOINTS ? HNS_DUMP_ENDPOINTS
                                           : HNS_DUMP_LBS;
  if (r->section == SEC_LBS) {
    char *cells[3] = {t, NULL, NULL};
    for (int c = 1; c < 3; c++) {
      char *bar = cells[c - 1] ? strchr(cells[c - 1], '|') : NULL;
      if (bar) *bar = '\0', cells[c] = bar + 1;
    }
    char *id = trim(cells[0]);
    if (!cells[1] || !is_guid(id, strlen(id))) {
      cJSON_Delete(doc);
      return hns__dump_fail(r->im, "line %zu: not 'ID | Virtual IPs | Direct IP IDs' of the LoadBalancers table",
                            line_no);
    }
    cJSON_AddStringToObject(doc, "ID", id);
    hns_hr hr = words(r, doc, "FrontendVIPs", cells[1], 1, line_no, "Virtual IPs");
    if (HNS_SUCCEEDED(hr) && cells[2])
      hr = words(r, doc, "HostComputeEndpoints", cells[2], 0, line_no, "Direct IP IDs");
    if (HNS_SUCCEEDED(hr) && !cJSON_GetArraySize(cJSON_GetObjectItem(doc, "FrontendVIPs")))
      cJSON_DeleteItemFromObject(doc, "FrontendVIPs"); /* no VIP: a NodePort frontend */
    if (HNS_FAILED(hr)) {
      cJSON_Delete(doc);
      return hr;
    }
    return add_doc(r, list, doc, line_no);
  }
  if (!find_guid(t, r->section == SEC_ENDPOINTS, &at)) {
    cJSON_Delete(doc);
    return hns__dump_fail(r->im, "line %zu: '%.64s' has no ID: not a row of the %s table", line_no, t,
                          r->section == SEC_NETWORKS ? "Networks" : "Endpoints");
  }
  char id[40], *name = t, *after = t + at + 36;
  snprintf(id, sizeof id, "%.36s", t + at);
  t[at] = '\0';
  name = trim(name);
  after = trim(after);
  cJSON_AddStringToObject(doc, "ID", id);
  if (*name) cJSON_AddStringToObject(doc, "Name", name);
  if (list == HNS_DUMP_ENDPOINTS && *after)
    cJSON_AddStringToObject(doc, is_guid(after, strlen(after)) ? "HostComputeNetwork" : "VirtualNetworkName", after);
  return add_doc(r, list, doc, line_no);
}

/* A JSON object starting at line `l`: read, from the file's text, to its
 * closing brace; *p goes on after that brace's line. */
static hns_hr json_block(reader *r, const char **p, line *l) {
  int depth = 0, in_string = 0, escaped = 0;
  const char *c = l->start;
  for (; *c; c++) {
    if (escaped)
      escaped = 0;
    else if (in_string && *c == '\\')
      escaped = 1;
    else if (*c == '"')
      in_string = !in_string;
    else if (!in_string && *c == '{')
      depth++;
    else if (!in_string && *c == '}' && --depth == 0)
      break;
  }
  if (!*c) return hns__dump_fail(r->im, "line %zu: the JSON object there never closes", l->no);
  cJSON *o = cJSON_ParseWithLength(l->start, (size_t)(c + 1 - l->start));
  size_t start = l->no;
  for (const char *q = l->start; q < c; q++) l->no += *q == '\n';
  *p = c + 1 + strcspn(c + 1, "\n");
  if (**p == '\n') (*p)++;
  if (!o) return hns__dump_fail(r->im, "line %zu: the JSON object there is not valid JSON", start);
  hns_hr hr = hns__dump_object(r->im, o, ++r->objects, HNS_DUMP_ANY);
  cJSON_Delete(o);
  return hr;
}

hns_hr hns__dump_hnsdiag_in(hns_dump_import *im, const char *text) {
  reader r = {im, SEC_NONE, NULL, 0, 0, 0};
  const char *p = text;
  line l = {.no = 0};
  hns_hr hr = HNS_S_OK;
  while (HNS_SUCCEEDED(hr) && next_line(&p, &l)) {
    int indented = isspace((unsigned char)l.text[0]);
    char *t = trim(l.text), id[40];
    int section;
    if (!*t) continue;
    if (*t == '{') {
      if (HNS_SUCCEEDED(hr = flush_block(&r))) hr = json_block(&r, &p, &l);
    } else if ((section = title_of(t)) >= 0) {
      hr = flush_block(&r);
      r.section = section;
    } else if ((section = block_start(t, id)) >= 0) {
      if (HNS_SUCCEEDED(hr = flush_block(&r)) && section != SEC_NAMESPACES) {
        r.block = cJSON_CreateObject();
        r.block_list = section == SEC_NETWORKS    ? HNS_DUMP_NETWORKS
                       : section == SEC_ENDPOINTS ? HNS_DUMP_ENDPOINTS
                                                  : HNS_DUMP_LBS;
        r.line_no = l.no;
        hr = r.block && cJSON_AddStringToObject(r.block, "ID", id) ? HNS_S_OK : hns__dump_oom(im);
      }
      r.section = section;
    } else if (r.block && indented) {
      hr = block_field(&r, t, l.no);
    } else if (r.section == SEC_NONE || r.section == SEC_NAMESPACES || !strncmp(t, "Name ", 5) || !strcmp(t, "Name") ||
               !strncmp(t, "ID ", 3)) {
      continue; /* text before the first table, namespaces, table headers */
    } else {
      if (HNS_SUCCEEDED(hr = flush_block(&r))) hr = table_row(&r, t, l.no);
    }
  }
  if (HNS_SUCCEEDED(hr)) hr = flush_block(&r);
  cJSON_Delete(r.block);
  return hr;
}
