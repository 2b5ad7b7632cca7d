/* rpt_html_topo.c: the drawing of a run's hosts in the HTML report, as
 * inline SVG, from the snapshots labelled "end" (one per host, the document
 * hns_check_state writes: Profile, Networks, Endpoints, LoadBalancers, and
 * Namespaces when present; a scenario run adds the host's Nics). Per host a
 * box; in it each network (type, name, subnets) with its endpoints (name,
 * IP addresses; remote ones marked), then its load balancers. Below the
 * hosts, the fabric (rpt_html_topo_fabric.c).
 *
 * Layout is computed from character counts (a monospace font of 11 px is
 * taken as 6.6 px a character); text too long for its box is cut with an
 * ellipsis and the whole of it kept in a <title> (a tooltip). */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rpt_html_topo_int.h"
#include "rpt_rows.h"

#define CHAR_W RPT__TOPO_CHAR_W
#define HOST_MIN_W 180.0
#define HOST_MAX_W 480.0

enum line_kind {
  L_HOST,     /* the host's name */
  L_INFO,     /* a line about the host */
  L_NET,      /* a network's title: its box starts here */
  L_NET_INFO, /* a line about the network */
  L_EP,       /* an endpoint */
  L_NET_END,  /* the network's box ends here */
  L_LB        /* a load balancer */
};

/* Each kind's text: its indent from the host box's left edge, the room it
 * keeps free on the right (inside the network's and the endpoint's boxes),
 * and the line's height. */
static const double indent_of[] = {10, 10, 16, 16, 24, 0, 10};
static const double right_of[] = {10, 10, 14, 14, 24, 0, 10};
static const double height_of[] = {20, 16, 22, 16, 18, 6, 16};

static void line_add(struct rpt__topo *t, struct rpt__topo_host *h, int kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void line_add(struct rpt__topo *t, struct rpt__topo_host *h, int kind, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (h->n == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 16;
    struct rpt__topo_line *grown = realloc(h->lines, cap * sizeof *grown);
    if (!grown) {
      t->oom = 1;
      return;
    }
    h->lines = grown;
    h->cap = cap;
  }
  char *text = malloc(strlen(buf) + 1);
  if (!text) {
    t->oom = 1;
    return;
  }
  strcpy(text, buf);
  h->lines[h->n++] = (struct rpt__topo_line){kind, text, 0, 0};
}

/* A string member, any case of the key matching (as hns_check_state reads
 * documents), or "" when there is none. */
static const char *str_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsString(v) ? v->valuestring : "";
}

/* Appends `s` to buf (of `size`) after a separator if buf is not empty. */
static void join(char *buf, size_t size, const char *sep, const char *s) {
  size_t used = strlen(buf);
  snprintf(buf + used, size - used, "%s%s", used ? sep : "", s);
}

/* IDs are GUIDs, compared in any case (hns_check_state.c); "" names nothing. */
static int same_id(const char *a, const char *b) {
  if (!*a) return 0;
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
  return *a == *b;
}

/* A whole-number member in [0, 2^32), or -1: documents are any JSON, and a
 * double past an integer's range must not be converted. */
static double num_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 4294967296.0 ? v->valuedouble : -1;
}

static void endpoint_line(struct rpt__topo *t, struct rpt__topo_host *h, const cJSON *ep) {
  char ips[256] = "";
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItem(ep, "IpConfigurations")) {
    join(ips, sizeof ips, ", ", str_of(c, "IpAddress"));
  }
  double flags = num_of(ep, "Flags");
  int remote = flags >= 0 && ((uint32_t)flags & 1u); /* EndpointFlags.RemoteEndpoint */
  const char *name = str_of(ep, "Name");
  line_add(t, h, L_EP, "%s  %s%s", name[0] ? name : str_of(ep, "ID"), ips[0] ? ips : "(no IP)",
           remote ? "  (remote)" : "");
}

static int on_network(const cJSON *ep, const cJSON *net) {
  return same_id(str_of(ep, "HostComputeNetwork"), str_of(net, "ID"));
}

/* What a network's policy says of the host's link to the fabric, or "". */
static void uplink_of(const cJSON *policy, char *item, size_t size) {
  const cJSON *settings = cJSON_GetObjectItem(policy, "Settings");
  const char *type = str_of(policy, "Type");
  item[0] = '\0';
  if (!strcasecmp(type, "NetAdapterName")) snprintf(item, size, "%s", str_of(settings, "NetworkAdapterName"));
  else if (!strcasecmp(type, "ProviderAddress")) snprintf(item, size, "PA %s", str_of(settings, "ProviderAddress"));
}

/* A network's lines, and what its policies say of the host's uplink. */
static void network_lines(struct rpt__topo *t, struct rpt__topo_host *h, const cJSON *net, const cJSON *eps,
                          char *uplink, size_t uplink_size) {
  char subnets[256] = "", item[80];
  const cJSON *ipam, *sub, *p, *ep;
  line_add(t, h, L_NET, "%s %s", str_of(net, "Type"), str_of(net, "Name"));
  cJSON_ArrayForEach(ipam, cJSON_GetObjectItem(net, "Ipams")) {
    cJSON_ArrayForEach(sub, cJSON_GetObjectItem(ipam, "Subnets")) {
      join(subnets, sizeof subnets, ", ", str_of(sub, "IpAddressPrefix"));
    }
  }
  line_add(t, h, L_NET_INFO, "%s", subnets[0] ? subnets : "no subnets");
  cJSON_ArrayForEach(p, cJSON_GetObjectItem(net, "Policies")) {
    uplink_of(p, item, sizeof item);
    if (item[0] && !strstr(uplink, item)) join(uplink, uplink_size, ", ", item);
  }
  cJSON_ArrayForEach(ep, eps) {
    if (on_network(ep, net)) endpoint_line(t, h, ep);
  }
  line_add(t, h, L_NET_END, "%s", "");
}

static int on_some_network(const cJSON *ep, const cJSON *nets) {
  const cJSON *net;
  cJSON_ArrayForEach(net, nets) {
    if (on_network(ep, net)) return 1;
  }
  return 0;
}

static void lb_line(struct rpt__topo *t, struct rpt__topo_host *h, const cJSON *lb) {
  char vips[160] = "", ports[160] = "", one[64];
  const cJSON *v, *m;
  cJSON_ArrayForEach(v, cJSON_GetObjectItem(lb, "FrontendVIPs")) {
    if (cJSON_IsString(v)) join(vips, sizeof vips, ",", v->valuestring);
  }
  cJSON_ArrayForEach(m, cJSON_GetObjectItem(lb, "PortMappings")) {
    double proto = num_of(m, "Protocol");
    if (proto == 6 || proto == 17) snprintf(one, sizeof one, "%s", proto == 6 ? "tcp" : "udp");
    else snprintf(one, sizeof one, "proto %.0f", proto);
    snprintf(one + strlen(one), sizeof one - strlen(one), " %.0f>%.0f", num_of(m, "ExternalPort"),
             num_of(m, "InternalPort"));
    join(ports, sizeof ports, ", ", one);
  }
  line_add(t, h, L_LB, "LB %s %s -> %d endpoints", vips[0] ? vips : "(no VIP)", ports,
           cJSON_GetArraySize(cJSON_GetObjectItem(lb, "HostComputeEndpoints")));
}

static int snapshot(void *arg, const rpt_snapshot *s) {
  struct rpt__topo *t = arg;
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 4;
    struct rpt__topo_host *grown = realloc(t->hosts, cap * sizeof *grown);
    if (!grown) return RPT_E_NOMEM;
    t->hosts = grown;
    t->cap = cap;
  }
  struct rpt__topo_host *h = &t->hosts[t->n++];
  memset(h, 0, sizeof *h);
  char uplink[256] = "";
  line_add(t, h, L_HOST, "%s", s->host);
  cJSON *doc = cJSON_Parse(s->document);
  if (!cJSON_IsObject(doc)) {
    line_add(t, h, L_INFO, "%s", "(its state is not a JSON object)");
  } else {
    const cJSON *nets = cJSON_GetObjectItem(doc, "Networks"), *eps = cJSON_GetObjectItem(doc, "Endpoints");
    const cJSON *net, *ep, *lb, *ns = cJSON_GetObjectItem(doc, "Namespaces");
    line_add(t, h, L_INFO, "profile %s", str_of(doc, "Profile"));
    if (cJSON_IsArray(ns)) line_add(t, h, L_INFO, "namespaces: %d", cJSON_GetArraySize(ns));
    cJSON_ArrayForEach(net, nets) {
      network_lines(t, h, net, eps, uplink, sizeof uplink);
    }
    int orphans = 0;
    cJSON_ArrayForEach(ep, eps) {
      orphans += !on_some_network(ep, nets);
    }
    if (orphans) {
      line_add(t, h, L_NET, "%s", "endpoints of no network in this state");
      cJSON_ArrayForEach(ep, eps) {
        if (!on_some_network(ep, nets)) endpoint_line(t, h, ep);
      }
      line_add(t, h, L_NET_END, "%s", "");
    }
    cJSON_ArrayForEach(lb, cJSON_GetObjectItem(doc, "LoadBalancers")) {
      lb_line(t, h, lb);
    }
  }
  int rc = rpt__topo_nics(h, doc);
  cJSON_Delete(doc);
  if (rc || !(h->uplink = malloc(strlen(uplink) + 1))) return RPT_E_NOMEM;
  strcpy(h->uplink, uplink);
  return t->oom ? RPT_E_NOMEM : 0;
}

void rpt__topo_measure(struct rpt__topo_host *h) {
  double y = 0, w = HOST_MIN_W;
  size_t open = 0;
  for (size_t i = 0; i < h->n; i++) {
    struct rpt__topo_line *l = &h->lines[i];
    l->y = y;
    y += height_of[l->kind];
    if (l->kind == L_NET) open = i;
    if (l->kind == L_NET_END) h->lines[open].end = i;
    double need = indent_of[l->kind] + right_of[l->kind] + CHAR_W * (double)rpt__utf8_chars(l->text);
    if (need > w) w = need;
  }
  h->w = w > HOST_MAX_W ? HOST_MAX_W : w;
  h->h = y + 8;
}

void rpt__topo_text_fit(FILE *out, double x, double y, double width, const char *cls, const char *s) {
  size_t fits = width > CHAR_W ? (size_t)(width / CHAR_W) : 1, chars = rpt__utf8_chars(s);
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\">", x, y, cls);
  if (chars <= fits) {
    rpt__html(out, s);
  } else {
    rpt__esc_xmln(out, s, rpt__utf8_prefix(s, fits - 1), RPT__ESC_TEXT);
    fputs("…<title>", out);
    rpt__html(out, s);
    fputs("</title>", out);
  }
  fputs("</text>\n", out);
}

void rpt__topo_draw_host(FILE *out, const struct rpt__topo_host *h) {
  double x = h->x, top = RPT__TOPO_TOP;
  fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" class=\"host\"/>\n", x, top,
          h->w, h->h);
  for (size_t i = 0; i < h->n; i++) {
    const struct rpt__topo_line *l = &h->lines[i];
    double y = top + l->y, tx = x + indent_of[l->kind], room = h->w - indent_of[l->kind] - right_of[l->kind];
    switch (l->kind) {
    case L_HOST: rpt__topo_text_fit(out, tx, y + 15, room, "hostname", l->text); break;
    case L_INFO: rpt__topo_text_fit(out, tx, y + 12, room, "info", l->text); break;
    case L_NET:
      fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" class=\"net\"/>\n", x + 8,
              y + 4, h->w - 16, h->lines[l->end].y + height_of[L_NET_END] - l->y - 6);
      rpt__topo_text_fit(out, tx, y + 17, room, "netname", l->text);
      break;
    case L_NET_INFO: rpt__topo_text_fit(out, tx, y + 12, room, "info", l->text); break;
    case L_EP:
      fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"15\" rx=\"3\" class=\"ep\"/>\n", x + 18,
              y + 1, h->w - 36);
      rpt__topo_text_fit(out, tx, y + 12.5, room, "epname", l->text);
      break;
    case L_LB: rpt__topo_text_fit(out, tx, y + 12, room, "lb", l->text); break;
    default: break;
    }
  }
}

static void topo_free(struct rpt__topo *t) {
  for (size_t i = 0; i < t->n; i++) {
    for (size_t j = 0; j < t->hosts[i].n; j++) free(t->hosts[i].lines[j].text);
    free(t->hosts[i].lines);
    free(t->hosts[i].uplink);
    for (size_t j = 0; j < t->hosts[i].nnics; j++) {
      free(t->hosts[i].nics[j].name);
      free(t->hosts[i].nics[j].address);
      free(t->hosts[i].nics[j].segment);
    }
    free(t->hosts[i].nics);
  }
  free(t->hosts);
  free(t->segs);
}

int rpt__html_topology(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  struct rpt__topo t = {db, NULL, 0, 0, 0, NULL, 0};
  fputs("<h3>Topology at the end of the run</h3>\n", out);
  int status = rpt_snapshot_foreach(db, s->id, "end", snapshot, &t);
  if (status == RPT_OK && t.oom) status = RPT_E_NOMEM;
  if (status == RPT_OK && t.n) status = rpt__topo_draw(out, &t);
  else if (status == RPT_OK)
    fputs("<p class=\"muted\">No end-of-run snapshot of the hosts' HNS state was recorded.</p>\n", out);
  if (status == RPT_E_NOMEM)
    status = rpt__err(db, RPT_E_NOMEM, "rpt_report_html: out of memory drawing run %" PRId64, s->id);
  topo_free(&t);
  return status;
}
