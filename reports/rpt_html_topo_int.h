/* rpt_html_topo_int.h: the topology drawing of the HTML report, in two
 * parts: the host boxes read from the "end" snapshots (rpt_html_topo.c) and
 * the fabric under them (rpt_html_topo_fabric.c). Everything is laid out
 * from character counts and the snapshots' order, so the same rows give the
 * same drawing. */
#ifndef RPT_HTML_TOPO_INT_H
#define RPT_HTML_TOPO_INT_H
#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>
#include "rpt_html_int.h"

/* A monospace font of 11 px is taken as 6.6 px a character. */
#define RPT__TOPO_CHAR_W 6.6
#define RPT__TOPO_HOST_GAP 30.0
#define RPT__TOPO_TOP 10.0

/* One line of text in a host's box; kinds in rpt_html_topo.c. */
struct rpt__topo_line {
  int kind;
  char *text;
  double y;   /* the top of the line, from the host box's top */
  size_t end; /* a network's title: the index of the line that ends its box */
};

/* A NIC of the host, from the snapshot's "Nics" (lua/hl_scenario_rows.c). */
struct rpt__topo_nic {
  char *name, *address, *segment;
  size_t seg; /* the index of its segment in rpt__topo.segs; nsegs: not drawn (no segment) */
};

struct rpt__topo_host {
  struct rpt__topo_line *lines;
  size_t n, cap;
  char *uplink; /* what the host's networks say of its link to the fabric; "" if nothing */
  struct rpt__topo_nic *nics;
  size_t nnics;
  double x, w, h;
};

struct rpt__topo {
  rpt_db *db;
  struct rpt__topo_host *hosts;
  size_t n, cap;
  int oom;
  const char **segs; /* the distinct segments of every host's NICs, by strcmp; into the NICs' strings */
  size_t nsegs;
};

/* <text> at (x, y) holding as much of s as fits in `width`; the whole in a
 * <title> (a tooltip) when cut (rpt_html_topo.c). */
void rpt__topo_text_fit(FILE *out, double x, double y, double width, const char *cls, const char *s);
/* Positions every line of h and sets its size; draws its box (rpt_html_topo.c). */
void rpt__topo_measure(struct rpt__topo_host *h);
void rpt__topo_draw_host(FILE *out, const struct rpt__topo_host *h);

/* Reads the document's "Nics" into h; a host without them keeps none
 * (rpt_html_topo_fabric.c). 0 or RPT_E_NOMEM. */
int rpt__topo_nics(struct rpt__topo_host *h, const cJSON *doc);
/* The whole drawing: the hosts in a row, the fabric under them. Writes
 * nothing and returns RPT_E_NOMEM when out of memory, else RPT_OK. */
int rpt__topo_draw(FILE *out, struct rpt__topo *t);

#endif
