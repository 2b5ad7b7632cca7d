/* rpt_html_topo_fabric.c: the fabric under the hosts of the topology
 * drawing, and the drawing as a whole (rpt_html_topo_int.h).
 *
 * A scenario run's snapshots carry each host's NICs ("Nics": name, address,
 * segment, MAC; lua/hl_scenario_rows.c), so the fabric is drawn as the
 * model has it: one horizontal line per distinct segment, sorted by name
 * (strcmp) and labelled in a margin on the left, and each host linked to
 * the segments of its NICs, each link labelled with the NIC's name and
 * address.
 *
 * What a snapshot does not say is not drawn as if known: a host whose
 * snapshot records no NIC on a segment (a real host's imported state, a run
 * recorded before snapshots carried NICs) hangs from one line, "fabric",
 * its link labelled with what its networks do record (the adapter of a
 * NetAdapterName policy, the address of a ProviderAddress policy), and a
 * note says so. When no host records a NIC, that line is the whole fabric.
 *
 * A host's links leave the bottom of its box from the left, LINK_GAP apart,
 * the link to the lowest line first; each label sits right of its link,
 * just above the line it ends on. The links further right end on higher
 * lines, so none crosses a label; a label is cut where the host's column
 * ends, or at the next link when two NICs share a segment. */
#include <stdlib.h>
#include <string.h>
#include "rpt_html_topo_int.h"

#define CHAR_W RPT__TOPO_CHAR_W
#define TOP RPT__TOPO_TOP
#define HOST_GAP RPT__TOPO_HOST_GAP
/* Wide enough for the notes under the fabric. */
#define MIN_W 700.0
#define SEG_GAP 36.0
#define LINK_GAP 16.0
#define MARGIN_MAX 150.0
/* The line of the hosts that record no NIC. */
#define FALLBACK "fabric"

static const char *str_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsString(v) ? v->valuestring : "";
}

static char *copy(const char *s) {
  char *c = malloc(strlen(s) + 1);
  return c ? strcpy(c, s) : NULL;
}

int rpt__topo_nics(struct rpt__topo_host *h, const cJSON *doc) {
  const cJSON *nics = cJSON_GetObjectItem(doc, "Nics"), *nic;
  int n = cJSON_IsArray(nics) ? cJSON_GetArraySize(nics) : 0;
  if (n <= 0) return RPT_OK;
  if (!(h->nics = calloc((size_t)n, sizeof *h->nics))) return RPT_E_NOMEM;
  cJSON_ArrayForEach(nic, nics) {
    struct rpt__topo_nic *c = &h->nics[h->nnics++];
    if (!(c->name = copy(str_of(nic, "Name"))) || !(c->address = copy(str_of(nic, "Address"))) ||
        !(c->segment = copy(str_of(nic, "Segment"))))
      return RPT_E_NOMEM;
  }
  return RPT_OK;
}

static int by_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Links in drawing order: the lowest line (the last segment) first, NICs
 * on no segment last; then by name and address, so that the order never
 * depends on qsort's. */
static int by_link(const void *pa, const void *pb) {
  const struct rpt__topo_nic *a = pa, *b = pb;
  int drawn_a = a->segment[0] != '\0', drawn_b = b->segment[0] != '\0';
  if (drawn_a != drawn_b) return drawn_b - drawn_a;
  if (a->seg != b->seg) return a->seg > b->seg ? -1 : 1;
  int c = strcmp(a->name, b->name);
  return c ? c : strcmp(a->address, b->address);
}

/* t->segs: the distinct segments of every NIC, by name; each NIC's index
 * into them; each host's NICs in drawing order. */
static int segments(struct rpt__topo *t) {
  size_t total = 0;
  for (size_t i = 0; i < t->n; i++)
    for (size_t j = 0; j < t->hosts[i].nnics; j++) total += t->hosts[i].nics[j].segment[0] != '\0';
  if (!total) return RPT_OK;
  if (!(t->segs = malloc(total * sizeof *t->segs))) return RPT_E_NOMEM;
  for (size_t i = 0; i < t->n; i++)
    for (size_t j = 0; j < t->hosts[i].nnics; j++)
      if (t->hosts[i].nics[j].segment[0]) t->segs[t->nsegs++] = t->hosts[i].nics[j].segment;
  qsort(t->segs, t->nsegs, sizeof *t->segs, by_str);
  size_t distinct = 1;
  for (size_t k = 1; k < t->nsegs; k++)
    if (strcmp(t->segs[k], t->segs[distinct - 1])) t->segs[distinct++] = t->segs[k];
  t->nsegs = distinct;
  for (size_t i = 0; i < t->n; i++) {
    struct rpt__topo_host *h = &t->hosts[i];
    for (size_t j = 0; j < h->nnics; j++) {
      const char *const *at = bsearch(&h->nics[j].segment, t->segs, t->nsegs, sizeof *t->segs, by_str);
      h->nics[j].seg = at ? (size_t)(at - t->segs) : t->nsegs;
    }
    if (h->nnics > 1) qsort(h->nics, h->nnics, sizeof *h->nics, by_link);
  }
  return RPT_OK;
}

/* How many of h's NICs are drawn: they come first (by_link). */
static size_t links_of(const struct rpt__topo_host *h) {
  size_t m = 0;
  while (m < h->nnics && h->nics[m].segment[0]) m++;
  return m;
}

/* A horizontal line of the fabric at y from x to `right`, its name in the margin. */
static void fabric_line(FILE *out, double left, double right, double y, const char *name) {
  fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"fabric\"/>\n", left, y, right, y);
  rpt__topo_text_fit(out, 10, y + 4, left - 18, "netname", name);
}

/* h's links to the segments of its NICs; `line_y` gives each segment's line, `right` ends the labels. */
static void nic_links(FILE *out, const struct rpt__topo_host *h, size_t m, double first, double right) {
  double gap = m > 1 && 28 + LINK_GAP * (double)(m - 1) > h->w ? (h->w - 28) / (double)(m - 1) : LINK_GAP;
  double column_end = h->x + h->w + HOST_GAP - 6;
  if (column_end > right) column_end = right;
  char label[512];
  for (size_t j = 0; j < m; j++) {
    const struct rpt__topo_nic *c = &h->nics[j];
    double x = h->x + 14 + gap * (double)j, y = first + SEG_GAP * (double)c->seg, room = column_end - x - 5;
    if (j + 1 < m && h->nics[j + 1].seg == c->seg && gap - 10 < room) room = gap - 10;
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"link\"/>\n", x, TOP + h->h, x, y);
    fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" class=\"port\"/>\n", x, y);
    snprintf(label, sizeof label, "%s%s%s", c->name, c->address[0] ? " " : "", c->address);
    rpt__topo_text_fit(out, x + 5, y - 5, room, "note", label);
  }
}

int rpt__topo_draw(FILE *out, struct rpt__topo *t) {
  if (segments(t)) return RPT_E_NOMEM;
  size_t fallback = 0;
  int any_uplink = 0;
  double widest = 0;
  for (size_t i = 0; i < t->n; i++) {
    if (links_of(&t->hosts[i])) continue;
    fallback++;
    any_uplink |= t->hosts[i].uplink[0] != '\0';
  }
  for (size_t k = 0; k < t->nsegs; k++)
    if (CHAR_W * (double)rpt__utf8_chars(t->segs[k]) > widest) widest = CHAR_W * (double)rpt__utf8_chars(t->segs[k]);
  if (t->nsegs && fallback && CHAR_W * (double)strlen(FALLBACK) > widest) widest = CHAR_W * (double)strlen(FALLBACK);
  /* With segments, their names take a margin on the left; without, the
   * one line is named under its left end, as before NICs were recorded. */
  double left = t->nsegs ? 10 + (widest > MARGIN_MAX ? MARGIN_MAX : widest) + 12 : 10, x = left, tallest = 0;
  for (size_t i = 0; i < t->n; i++) {
    rpt__topo_measure(&t->hosts[i]);
    t->hosts[i].x = x;
    x += t->hosts[i].w + HOST_GAP;
    if (t->hosts[i].h > tallest) tallest = t->hosts[i].h;
  }
  double width = x - HOST_GAP + 10, first = TOP + tallest + 50;
  double fabric = first + SEG_GAP * (double)t->nsegs, last = fallback ? fabric : fabric - SEG_GAP;
  int notes = fallback ? 1 + any_uplink : 0;
  double height = t->nsegs ? last + 24 + 16 * notes : fabric + 64, note_y = t->nsegs ? last + 20 : fabric + 34;
  if (width < MIN_W) width = MIN_W;
  fprintf(out,
          "<div class=\"scroll\"><svg width=\"%.1f\" height=\"%.1f\" viewBox=\"0 0 %.1f %.1f\" role=\"img\" "
          "aria-label=\"hosts, networks, endpoints and the fabric at the end of the run\">\n"
          "<style>.host{fill:#eceff1;stroke:#37474f}.net{fill:#e3f2fd;stroke:#1565c0}.ep{fill:#fff;stroke:#90a4ae}"
          ".hostname{font-size:13px;font-weight:bold}.netname{font-size:11px;font-weight:bold;fill:#0d47a1}"
          ".info,.epname{font-size:11px}.lb{font-size:11px;fill:#6a1b9a}.link{stroke:#455a64;stroke-width:2}"
          ".fabric{stroke:#455a64;stroke-width:5}.port{fill:#455a64}.note{font-size:11px;fill:#546e7a}</style>\n",
          width, height, width, height);
  for (size_t k = 0; k < t->nsegs; k++) fabric_line(out, left, width - 10, first + SEG_GAP * (double)k, t->segs[k]);
  if (fallback && t->nsegs) {
    fabric_line(out, left, width - 10, fabric, FALLBACK);
  } else if (fallback) {
    fprintf(out, "<line x1=\"10\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"fabric\"/>\n", fabric, width - 10,
            fabric);
    fprintf(out, "<text x=\"10\" y=\"%.1f\" class=\"netname\">" FALLBACK "</text>\n", fabric + 18);
  }
  for (size_t i = 0; i < t->n; i++) {
    const struct rpt__topo_host *h = &t->hosts[i];
    size_t m = links_of(h);
    double cx = h->x + h->w / 2;
    rpt__topo_draw_host(out, h);
    if (m) {
      nic_links(out, h, m, first, width - 4);
      continue;
    }
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"link\"/>\n", cx, TOP + h->h, cx,
            fabric);
    if (h->uplink[0]) rpt__topo_text_fit(out, cx + 5, TOP + h->h + 16, h->w / 2 + HOST_GAP - 8, "note", h->uplink);
  }
  if (fallback && t->nsegs)
    fprintf(out,
            "<text x=\"10\" y=\"%.1f\" class=\"note\">Hosts whose snapshots record no NICs (imported hosts, older "
            "runs) hang from the line '" FALLBACK "'.</text>\n",
            note_y);
  else if (fallback)
    fprintf(out,
            "<text x=\"10\" y=\"%.1f\" class=\"note\">The snapshots record no fabric segments or host NIC "
            "addresses: every host is drawn on one line.</text>\n",
            note_y);
  if (any_uplink)
    fprintf(out,
            "<text x=\"10\" y=\"%.1f\" class=\"note\">A link is labelled with the adapters and provider "
            "addresses its host's networks name.</text>\n",
            note_y + 16);
  fputs("</svg></div>\n", out);
  return RPT_OK;
}
