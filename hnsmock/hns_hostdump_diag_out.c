/* hns_hostdump_diag_out.c: a host state as `hnsdiag list all -d` prints it
 * (the layout hns_hostdump_diag_in.c reads, from the same threads):
 *
 *   Networks:            "%-16s %s" name, ID
 *   Endpoints:           "%-16s %s %s" name, ID, its network's name
 *   Namespaces:          "%s | %s" namespace ID, its endpoints' IDs (from the
 *                        endpoints' HostComputeNamespace)
 *   LoadBalancers:       "%s |  %-16s| %s" ID, VIPs, endpoint IDs
 *
 * each title line, then the column header line, then a row per object,
 * sections apart by an empty line. With -d hnsdiag "dumps the json of the
 * object" (its usage text, microsoft/SDN#520), laid out as -df prints it
 * (hns_hostdump_print.c); here the v1 view of each network, endpoint and
 * load balancer follows its row, which is where -d's JSON stands
 * (inferred: the threads quote the tables and -df's JSON, never -d's
 * mixture). IDs are written as the state has them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_hostdump_int.h"

typedef struct text {
  char *p;
  size_t n, cap;
  int oom;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...) {
  va_list ap;
  if (t->oom) return;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    t->oom = 1;
    return;
  }
  if (t->n + (size_t)n + 1 > t->cap) {
    size_t cap = (t->n + (size_t)n + 1) * 2;
    char *p = realloc(t->p, cap);
    if (!p) {
      t->oom = 1;
      return;
    }
    t->p = p;
    t->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
  va_end(ap);
  t->n += (size_t)n;
}

static const char *str(const cJSON *o, const char *key) {
  const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
  return s ? s : "";
}

/* The object's v1 JSON, as -d dumps it. */
static void dump(text *t, const hns__dump_state *s, int list, const cJSON *doc) {
  cJSON *view = hns__dump_v1_view(s, list, doc);
  char *json = view ? hns__dump_print(view, HNS_DUMP_STYLE_HNSDIAG) : NULL;
  cJSON_Delete(view);
  if (!json)
    t->oom = 1;
  else
    add(t, "%s", json);
  free(json);
}

/* Writes the strings of array `a` apart by spaces. */
static void words(text *t, const cJSON *a) {
  int first = 1;
  for (const cJSON *e = cJSON_IsArray(a) ? a->child : NULL; e; e = e->next)
    if (cJSON_IsString(e)) {
      add(t, "%s%s", first ? "" : " ", e->valuestring);
      first = 0;
    }
}

static void namespaces(text *t, const hns__dump_state *s) {
  const cJSON *eps = s->lists[HNS_DUMP_ENDPOINTS];
  for (const cJSON *ep = eps->child; ep; ep = ep->next) {
    const char *ns = cJSON_GetStringValue(cJSON_GetObjectItem(ep, "HostComputeNamespace"));
    int seen = 0;
    for (const cJSON *before = eps->child; ns && before != ep && !seen; before = before->next)
      seen = !strcasecmp(str(before, "HostComputeNamespace"), ns);
    if (!ns || seen) continue;
    add(t, "%s |", ns);
    for (const cJSON *member = ep; member; member = member->next)
      if (!strcasecmp(str(member, "HostComputeNamespace"), ns)) add(t, " %s", str(member, "ID"));
    add(t, "\n");
  }
}

int hns__dump_hnsdiag_out(const hns__dump_state *s, hns_dump_files *out) {
  text t = {0};
  add(&t, "Networks:\n%-16s %s\n", "Name", "ID");
  for (const cJSON *net = s->lists[HNS_DUMP_NETWORKS]->child; net; net = net->next) {
    add(&t, "%-16s %s\n", str(net, "Name"), str(net, "ID"));
    dump(&t, s, HNS_DUMP_NETWORKS, net);
  }
  add(&t, "\nEndpoints:\n%-16s %-36s %s\n", "Name", "ID", "Virtual Network Name");
  for (const cJSON *ep = s->lists[HNS_DUMP_ENDPOINTS]->child; ep; ep = ep->next) {
    const char *net_id = str(ep, "HostComputeNetwork");
    const cJSON *net = *net_id ? hns__dump_find(s, HNS_DUMP_NETWORKS, net_id) : NULL;
    add(&t, "%-16s %s %s\n", str(ep, "Name"), str(ep, "ID"), net && *str(net, "Name") ? str(net, "Name") : net_id);
    dump(&t, s, HNS_DUMP_ENDPOINTS, ep);
  }
  add(&t, "\nNamespaces:\n%-36s | %s\n", "ID", "Endpoint IDs");
  namespaces(&t, s);
  add(&t, "\nLoadBalancers:\n%-36s | %-16s | %s\n", "ID", "Virtual IPs", "Direct IP IDs");
  for (const cJSON *lb = s->lists[HNS_DUMP_LBS]->child; lb; lb = lb->next) {
    text vips = {0};
    words(&vips, cJSON_GetObjectItem(lb, "FrontendVIPs"));
    add(&t, "%s |  %-16s| ", str(lb, "ID"), vips.p ? vips.p : "");
    t.oom |= vips.oom;
    free(vips.p);
    words(&t, cJSON_GetObjectItem(lb, "HostComputeEndpoints"));
    add(&t, "\n");
    dump(&t, s, HNS_DUMP_LBS, lb);
  }
  if (t.oom) {
    free(t.p);
    return -1;
  }
  return hns__dump_add_file(out, "hnsdiag.txt", t.p);
}
