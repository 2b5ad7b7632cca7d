/* rpt_compare_norm.c: what makes two runs' documents comparable: GUIDs and
 * MAC addresses are per instance (HNS draws them when an object is made;
 * hnsmock from each host's seed stream), so a comparison replaces each GUID
 * by the role of the object it names ("<network cbr0>"), or "<guid>" when
 * it names nothing the snapshot holds, and each MAC by "<mac>".
 *
 * Both are found anywhere in a string (an HNSCall path carries a GUID in
 * its middle), but only as whole tokens: a GUID or MAC must not have a
 * letter or digit next to it, and a MAC not another ':' or '-' pair, so an
 * IPv6 address is never taken for one. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rpt_compare_int.h"
#include "rpt_status.h"

#define GUID_LEN 36
#define MAC_LEN 17

static int is_hex(char ch) { return isxdigit((unsigned char)ch) != 0; }
static int is_alnum(char ch) { return isalnum((unsigned char)ch) != 0; }

/* Whether s[0..36) is a GUID: 8-4-4-4-12 hex digits. */
static int guid_at(const char *s) {
  for (int i = 0; i < GUID_LEN; i++) {
    int dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (!s[i] || (dash ? s[i] != '-' : !is_hex(s[i]))) return 0;
  }
  return 1;
}

/* Whether s[0..17) is a MAC: six hex pairs joined by one separator, '-' or ':'. */
static int mac_at(const char *s) {
  for (int i = 0; i < MAC_LEN; i++) {
    if (!s[i]) return 0;
    if (i % 3 == 2 ? s[i] != s[2] || (s[i] != '-' && s[i] != ':') : !is_hex(s[i])) return 0;
  }
  return 1;
}

/* Whether the token that would end before s[end] and start at s[start] stands alone. */
static int alone(const char *s, size_t start, size_t end, int mac) {
  char before = start ? s[start - 1] : '\0', after = s[end];
  if (is_alnum(before) || is_alnum(after)) return 0;
  if (!mac) return 1;
  return before != ':' && before != '-' && !((after == ':' || after == '-') && is_hex(s[end + 1]));
}

static void upper(char *dst, const char *src, size_t n) {
  for (size_t i = 0; i < n; i++) dst[i] = (char)toupper((unsigned char)src[i]);
  dst[n] = '\0';
}

static int by_guid(const void *x, const void *y) {
  return strcmp(((const struct rpt__cmp_role *)x)->guid, ((const struct rpt__cmp_role *)y)->guid);
}

int rpt__cmp_roles_add(struct rpt__cmp_roles *r, const char *guid, const char *role) {
  if (strlen(guid) != GUID_LEN || !guid_at(guid)) return RPT_OK;
  struct rpt__cmp_role *grown = rpt__cmp_grow(r->v, &r->cap, r->n, sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  r->v = grown;
  struct rpt__cmp_role *e = &r->v[r->n];
  upper(e->guid, guid, GUID_LEN);
  if (!(e->role = rpt__cmp_dup(role))) return RPT_E_NOMEM;
  r->n++;
  return RPT_OK;
}

void rpt__cmp_roles_sort(struct rpt__cmp_roles *r) {
  if (r->n) qsort(r->v, r->n, sizeof *r->v, by_guid);
}

void rpt__cmp_roles_free(struct rpt__cmp_roles *r) {
  for (size_t i = 0; i < r->n; i++) free(r->v[i].role);
  free(r->v);
  *r = (struct rpt__cmp_roles){NULL, 0, 0};
}

static const char *role_of(const struct rpt__cmp_roles *roles, const char *at) {
  struct rpt__cmp_role key;
  upper(key.guid, at, GUID_LEN);
  const struct rpt__cmp_role *hit = roles && roles->n ? bsearch(&key, roles->v, roles->n, sizeof key, by_guid) : NULL;
  return hit ? hit->role : "<guid>";
}

/* Writes the normalised s to out (NULL: only counts); returns its length. */
static size_t norm_into(char *out, const char *s, const struct rpt__cmp_roles *roles) {
  size_t o = 0, i = 0;
  while (s[i]) {
    const char *put = NULL;
    size_t skip = 0;
    if (guid_at(s + i) && alone(s, i, i + GUID_LEN, 0)) put = role_of(roles, s + i), skip = GUID_LEN;
    else if (mac_at(s + i) && alone(s, i, i + MAC_LEN, 1)) put = "<mac>", skip = MAC_LEN;
    if (put) {
      size_t len = strlen(put);
      if (out) memcpy(out + o, put, len);
      o += len;
      i += skip;
    } else {
      if (out) out[o] = s[i];
      o++, i++;
    }
  }
  if (out) out[o] = '\0';
  return o;
}

char *rpt__cmp_norm(const char *s, const struct rpt__cmp_roles *roles) {
  char *out = malloc(norm_into(NULL, s, roles) + 1);
  if (out) norm_into(out, s, roles);
  return out;
}

static int skipped(const char *key, const char *const *skip) {
  for (; skip && *skip; skip++)
    if (!strcasecmp(key, *skip)) return 1;
  return 0;
}

cJSON *rpt__cmp_norm_tree(const cJSON *doc, const struct rpt__cmp_roles *roles, const char *const *skip) {
  if (cJSON_IsString(doc)) {
    char *s = rpt__cmp_norm(doc->valuestring, roles);
    cJSON *copy = s ? cJSON_CreateString(s) : NULL;
    free(s);
    return copy;
  }
  if (!cJSON_IsObject(doc) && !cJSON_IsArray(doc)) return cJSON_Duplicate(doc, 0);
  cJSON *copy = cJSON_IsObject(doc) ? cJSON_CreateObject() : cJSON_CreateArray();
  for (const cJSON *m = doc->child; m && copy; m = m->next) {
    if (m->string && skipped(m->string, skip)) continue;
    cJSON *v = rpt__cmp_norm_tree(m, roles, NULL);
    int added = v && (m->string ? cJSON_AddItemToObject(copy, m->string, v) : cJSON_AddItemToArray(copy, v));
    if (!added) {
      cJSON_Delete(v);
      cJSON_Delete(copy);
      copy = NULL;
    }
  }
  return copy;
}
