/* rpt_html_chart.c: a run's metrics in the HTML report: one inline SVG line
 * chart per metric name with two or more samples (x the simulated time, y
 * the value, the axes labelled with their ranges), names in byte order; a
 * metric sampled once is a row of a table instead, as one point is no line.
 * An infinite value (the writer keeps infinities) cannot be placed and is
 * counted under its chart instead. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_html_int.h"

#define CHART_W 560.0
#define CHART_H 220.0
#define PAD_L 78.0
#define PAD_R 16.0
#define PAD_T 28.0
#define PAD_B 40.0
/* Up to this many points, each is marked, with its value as a tooltip. */
#define MARKED_MAX 60

struct sample {
  char *name;
  int64_t seq, t;
  double v;
};

struct samples {
  struct sample *items;
  size_t n, cap;
};

static int sample_row(void *arg, const rpt_metric_row *r) {
  struct samples *m = arg;
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 64;
    struct sample *grown = realloc(m->items, cap * sizeof *grown);
    if (!grown) return RPT_E_NOMEM;
    m->items = grown;
    m->cap = cap;
  }
  char *name = malloc(strlen(r->name) + 1);
  if (!name) return RPT_E_NOMEM;
  m->items[m->n++] = (struct sample){strcpy(name, r->name), r->seq, r->sim_time_ns, r->value};
  return 0;
}

/* By name, then as written: the order of the charts and of their points. */
static int by_name_seq(const void *a, const void *b) {
  const struct sample *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static void seconds_text(FILE *out, double x, double y, const char *anchor, int64_t ns) {
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"axis\">", x, y, anchor);
  rpt__sim_seconds(out, ns);
  fputs(" s</text>\n", out);
}

static void value_text(FILE *out, double y, double v) {
  char buf[40];
  rpt__real(buf, v);
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"axis\">%s</text>\n", PAD_L - 6, y + 4, buf);
}

/* The ranges a chart maps onto its plot area. */
struct frame {
  int64_t t0, t1;
  double v0, v1;
};

static void place(const struct frame *f, const struct sample *p, double *x, double *y) {
  double pw = CHART_W - PAD_L - PAD_R, ph = CHART_H - PAD_T - PAD_B;
  *x = f->t1 > f->t0 ? PAD_L + pw * (double)(p->t - f->t0) / (double)(f->t1 - f->t0) : PAD_L + pw / 2;
  *y = f->v1 > f->v0 ? PAD_T + ph - ph * (p->v - f->v0) / (f->v1 - f->v0) : PAD_T + ph / 2;
}

/* One chart of the samples p[0..n) of one name. */
static void chart(FILE *out, const struct sample *p, size_t n) {
  struct frame f = {p[0].t, p[0].t, INFINITY, -INFINITY};
  size_t drawn = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i].t < f.t0) f.t0 = p[i].t;
    if (p[i].t > f.t1) f.t1 = p[i].t;
    if (isinf(p[i].v)) continue;
    drawn++;
    if (p[i].v < f.v0) f.v0 = p[i].v;
    if (p[i].v > f.v1) f.v1 = p[i].v;
  }
  double pw = CHART_W - PAD_L - PAD_R, ph = CHART_H - PAD_T - PAD_B, bottom = CHART_H - PAD_B, x, y;
  fprintf(out, "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", CHART_W,
          CHART_H, CHART_W, CHART_H);
  rpt__html_attr(out, p[0].name);
  fputs("\">\n<style>.axis{font-size:10px;fill:#455a64}.title{font-size:12px;font-weight:bold}"
        ".plot{fill:none;stroke:#1565c0;stroke-width:1.5}.pt{fill:#1565c0}.frame{fill:#fafafa;stroke:#b0bec5}"
        "</style>\n",
        out);
  fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>\n", PAD_L, PAD_T, pw, ph);
  fputs("<text x=\"4\" y=\"16\" class=\"title\">", out);
  rpt__html(out, p[0].name);
  fprintf(out, " (%zu samples", n);
  if (drawn < n) fprintf(out, ", %zu infinite, not drawn", n - drawn);
  fputs(")</text>\n", out);
  seconds_text(out, PAD_L, bottom + 16, "start", f.t0);
  seconds_text(out, CHART_W - PAD_R, bottom + 16, "end", f.t1);
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"axis\">simulated time</text>\n",
          PAD_L + pw / 2, bottom + 32);
  if (!drawn) {
    fputs("</svg>\n", out);
    return;
  }
  value_text(out, PAD_T, f.v1);
  value_text(out, bottom, f.v0);
  fputs("<polyline class=\"plot\" points=\"", out);
  for (size_t i = 0, k = 0; i < n; i++) {
    if (isinf(p[i].v)) continue;
    place(&f, &p[i], &x, &y);
    fprintf(out, "%s%.1f,%.1f", k++ ? " " : "", x, y);
  }
  fputs("\"/>\n", out);
  for (size_t i = 0; drawn <= MARKED_MAX && i < n; i++) {
    char buf[40];
    if (isinf(p[i].v)) continue;
    place(&f, &p[i], &x, &y);
    rpt__real(buf, p[i].v);
    fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" class=\"pt\"><title>", x, y);
    rpt__sim_seconds(out, p[i].t);
    fprintf(out, " s: %s</title></circle>\n", buf);
  }
  fputs("</svg>\n", out);
}

static void single_row(FILE *out, const struct sample *p) {
  char buf[40];
  rpt__real(buf, p->v);
  fputs("<tr><td>", out);
  rpt__html(out, p->name);
  fprintf(out, "</td><td class=\"num\">%s</td><td class=\"num\">", buf);
  rpt__sim_seconds(out, p->t);
  fputs("</td></tr>\n", out);
}

int rpt__html_metrics(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  struct samples m = {NULL, 0, 0};
  fputs("<h3>Metrics</h3>\n", out);
  int status = rpt_metric_foreach(db, s->id, sample_row, &m);
  if (status == RPT_OK && m.n) {
    qsort(m.items, m.n, sizeof *m.items, by_name_seq);
    size_t singles = 0, charts = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (size_t i = 0, j; i < m.n; i = j) {
        for (j = i + 1; j < m.n && !strcmp(m.items[j].name, m.items[i].name); j++) continue;
        if (pass == 0 && j - i > 1) {
          if (!charts++) fputs("<div class=\"charts\">\n", out);
          chart(out, m.items + i, j - i);
        } else if (pass == 1 && j - i == 1) {
          if (!singles++)
            fputs("<table>\n<tr><th>metric (one sample)</th><th class=\"num\">value</th><th class=\"num\">"
                  "sim time (s)</th></tr>\n",
                  out);
          single_row(out, &m.items[i]);
        }
      }
      if (pass == 0 && charts) fputs("</div>\n", out);
    }
    if (singles) fputs("</table>\n", out);
  } else if (status == RPT_OK) {
    fputs("<p class=\"muted\">No metrics were recorded.</p>\n", out);
  }
  for (size_t i = 0; i < m.n; i++) free(m.items[i].name);
  free(m.items);
  if (status == RPT_E_NOMEM) status = rpt__err(db, status, "rpt_report_html: out of memory reading metrics");
  return status;
}
