/* sim_acl_parse.c: HNS's string forms of an ACL rule's lists (Protocols,
 * Local/RemoteAddresses, Local/RemotePorts; hns-api-facts.md §3.8) read into
 * sim_acl.h's typed fields, so no lookup ever reads text.
 *
 * Every list is comma-separated items with nothing else: no spaces, no empty
 * items, no trailing comma. HNS documents no grammar; clients write these
 * lists joined with "," (Calico felix policysets, Azure NPM), and we refuse
 * anything else (inferred). A failed parse leaves every output untouched and
 * writes a message naming the field and the offending item. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_acl.h"
#include "sim_status.h"

#define ACL_ITEM_MAX 64 /* longer items are refused: no IP, prefix or port is this long */

/* The item starting at *p, up to the next comma or the end; advances *p past
 * the comma. Returns the item's length (which may exceed ACL_ITEM_MAX). */
static size_t acl__item(const char **p, const char **start) {
  *start = *p;
  const char *c = strchr(*p, ',');
  size_t len = c ? (size_t)(c - *p) : strlen(*p);
  *p += len + (c ? 1 : 0);
  return len;
}

static void acl__copy_item(char buf[ACL_ITEM_MAX + 1], const char *start, size_t len) {
  size_t n = len < ACL_ITEM_MAX ? len : ACL_ITEM_MAX;
  memcpy(buf, start, n);
  buf[n] = '\0';
}

/* Counts items, or returns 0 for "" (a list of no items). */
static size_t acl__count(const char *s) {
  if (!*s) return 0;
  size_t n = 1;
  for (; *s; s++) n += *s == ',';
  return n;
}

/* A decimal with no sign, no leading zero and at most 5 digits; -1 if not. */
static long acl__decimal(const char *s) {
  size_t len = strlen(s);
  if (len == 0 || len > 5 || (len > 1 && s[0] == '0')) return -1;
  long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static void acl__msg(char err[SIM_ACL_ERRLEN], const char *field, const char *item, const char *what) {
  if (err) snprintf(err, SIM_ACL_ERRLEN, "%s: \"%s\" %s", field, item, what);
}

int sim_acl_parse_protocols(const char *s, sim_acl_protos *out, char err[SIM_ACL_ERRLEN]) {
  if (!out) return SIM_E_INVAL;
  sim_acl_protos set;
  memset(&set, 0, sizeof set);
  int any = 0;
  const char *p = s ? s : "";
  for (size_t i = 0, n = acl__count(p); i < n; i++) {
    const char *start;
    char buf[ACL_ITEM_MAX + 1];
    size_t len = acl__item(&p, &start);
    acl__copy_item(buf, start, len);
    long v = len > ACL_ITEM_MAX ? -1 : acl__decimal(buf);
    if (v < 0 || v > 256) {
      acl__msg(err, "Protocols", buf, "is not a protocol number (0..255, or 256 for any)");
      return SIM_E_INVAL;
    }
    if (v == 256)
      any = 1;
    else
      set.bits[v >> 6] |= (uint64_t)1 << (v & 63);
  }
  if (any) memset(&set, 0, sizeof set);
  *out = set;
  return SIM_OK;
}

int sim_acl_parse_addrs(const char *field, const char *s, sim_prefix **out, size_t *n, char err[SIM_ACL_ERRLEN]) {
  if (!field || !out || !n) return SIM_E_INVAL;
  const char *p = s ? s : "";
  size_t count = acl__count(p);
  sim_prefix *v = NULL;
  if (count && !(v = calloc(count, sizeof *v))) return SIM_E_NOMEM;
  for (size_t i = 0; i < count; i++) {
    const char *start;
    char buf[ACL_ITEM_MAX + 1];
    size_t len = acl__item(&p, &start);
    acl__copy_item(buf, start, len);
    int bad = len > ACL_ITEM_MAX;
    if (!bad && strchr(buf, '/')) {
      bad = sim_prefix_parse(buf, &v[i]) != 0;
    } else if (!bad) {
      bad = sim_ip_parse(buf, &v[i].addr) != 0;
      v[i].len = (uint8_t)(v[i].addr.family == 4 ? 32 : 128);
    }
    if (bad) {
      acl__msg(err, field, buf, "is not an IP address or prefix");
      free(v);
      return SIM_E_INVAL;
    }
  }
  *out = v;
  *n = count;
  return SIM_OK;
}

int sim_acl_parse_ports(const char *field, const char *s, sim_acl_port_range **out, size_t *n,
                        char err[SIM_ACL_ERRLEN]) {
  if (!field || !out || !n) return SIM_E_INVAL;
  const char *p = s ? s : "";
  size_t count = acl__count(p);
  sim_acl_port_range *v = NULL;
  if (count && !(v = calloc(count, sizeof *v))) return SIM_E_NOMEM;
  for (size_t i = 0; i < count; i++) {
    const char *start;
    char buf[ACL_ITEM_MAX + 1], lo[ACL_ITEM_MAX + 1];
    size_t len = acl__item(&p, &start);
    acl__copy_item(buf, start, len);
    const char *dash = strchr(buf, '-');
    acl__copy_item(lo, buf, dash ? (size_t)(dash - buf) : strlen(buf));
    long a = len > ACL_ITEM_MAX ? -1 : acl__decimal(lo);
    long b = dash ? acl__decimal(dash + 1) : a;
    if (a < 1 || a > 65535 || b < 1 || b > 65535) {
      acl__msg(err, field, buf, "is not a port (1..65535) or a range LOW-HIGH");
      free(v);
      return SIM_E_INVAL;
    }
    if (a > b) {
      acl__msg(err, field, buf, "is a range whose low end is above its high end");
      free(v);
      return SIM_E_INVAL;
    }
    v[i].lo = (uint16_t)a;
    v[i].hi = (uint16_t)b;
  }
  *out = v;
  *n = count;
  return SIM_OK;
}

void sim_acl_parsed_free(sim_acl_parsed *p) {
  if (!p) return;
  free(p->id);
  free(p->local_addrs);
  free(p->remote_addrs);
  free(p->local_ports);
  free(p->remote_ports);
  memset(p, 0, sizeof *p);
}

int sim_acl_rule_parse(const sim_acl_rule_text *t, sim_acl_parsed *out, char err[SIM_ACL_ERRLEN]) {
  if (!t || !out) return SIM_E_INVAL;
  sim_acl_parsed r;
  memset(&r, 0, sizeof r);
  int rc;
  if ((rc = sim_acl_parse_protocols(t->protocols, &r.rule.protocols, err)) ||
      (rc = sim_acl_parse_addrs("LocalAddresses", t->local_addresses, &r.local_addrs, &r.rule.n_local_addrs, err)) ||
      (rc = sim_acl_parse_addrs("RemoteAddresses", t->remote_addresses, &r.remote_addrs, &r.rule.n_remote_addrs,
                                err)) ||
      (rc = sim_acl_parse_ports("LocalPorts", t->local_ports, &r.local_ports, &r.rule.n_local_ports, err)) ||
      (rc = sim_acl_parse_ports("RemotePorts", t->remote_ports, &r.remote_ports, &r.rule.n_remote_ports, err))) {
    sim_acl_parsed_free(&r);
    return rc;
  }
  if (!(r.id = strdup(t->id ? t->id : ""))) {
    sim_acl_parsed_free(&r);
    return SIM_E_NOMEM;
  }
  r.rule.id = r.id;
  r.rule.priority = t->priority;
  r.rule.direction = t->direction;
  r.rule.action = t->action;
  r.rule.rule_type = t->rule_type;
  r.rule.local_addrs = r.local_addrs;
  r.rule.remote_addrs = r.remote_addrs;
  r.rule.local_ports = r.local_ports;
  r.rule.remote_ports = r.remote_ports;
  *out = r;
  return SIM_OK;
}
