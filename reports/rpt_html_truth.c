/* rpt_html_truth.c: a run's truth tables in the HTML report, each as a heat
 * map: a grid of sources (rows) by targets (columns), each cell coloured by
 * its outcome (correct, wrong, unexpected_pass, ignored) and showing the
 * verdict the probe actually got; the expectation and the probe are in the
 * cell's tooltip. Rows and columns come in the order their first cell was
 * written. A column is a target with a protocol and port; the protocol is
 * shown only when the table probes more than one. A grid past GRID_MAX
 * cells is counted, not drawn. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_html_int.h"
#include "rpt_rows.h"

/* The largest grid drawn (rows × columns); a table past it is only counted. */
#define GRID_MAX 250000

struct table {
  int64_t seq, sim_time_ns, rows, cols;
  char *name, *origin;
};

struct cell {
  int64_t table_seq, probe_seq;
  char *row, *col, *proto, *expected, *actual, *outcome;
  int dport;
  size_t r, c; /* its place in the grid */
};

struct truth {
  struct table *tables;
  size_t n_tables, cap_tables;
  struct cell *cells;
  size_t n_cells, cap_cells;
};

static char *dup(const char *s) {
  char *d = malloc(strlen(s) + 1);
  return d ? strcpy(d, s) : NULL;
}

/* The capacity after `cap` when n items fill it. */
static size_t next_cap(size_t n, size_t cap) { return n < cap ? cap : cap ? 2 * cap : 16; }

static int table_row(void *arg, const rpt_truth_table *r) {
  struct truth *t = arg;
  size_t cap = next_cap(t->n_tables, t->cap_tables);
  struct table *grown = cap == t->cap_tables ? t->tables : realloc(t->tables, cap * sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  t->tables = grown;
  t->cap_tables = cap;
  struct table *tb = &t->tables[t->n_tables++];
  *tb = (struct table){r->seq, r->sim_time_ns, r->rows, r->cols, dup(r->name), dup(r->origin)};
  return tb->name && tb->origin ? 0 : RPT_E_NOMEM;
}

static int cell_row(void *arg, const rpt_truth_cell *r) {
  struct truth *t = arg;
  size_t cap = next_cap(t->n_cells, t->cap_cells);
  struct cell *grown = cap == t->cap_cells ? t->cells : realloc(t->cells, cap * sizeof *grown);
  if (!grown) return RPT_E_NOMEM;
  t->cells = grown;
  t->cap_cells = cap;
  struct cell *c = &t->cells[t->n_cells++];
  *c = (struct cell){r->table_seq, r->probe_seq, dup(r->row), dup(r->col), dup(r->proto), dup(r->expected),
                     dup(r->actual), dup(r->outcome), r->dport, 0, 0};
  return c->row && c->col && c->proto && c->expected && c->actual && c->outcome ? 0 : RPT_E_NOMEM;
}

static void truth_free(struct truth *t) {
  for (size_t i = 0; i < t->n_tables; i++) {
    free(t->tables[i].name);
    free(t->tables[i].origin);
  }
  for (size_t i = 0; i < t->n_cells; i++) {
    struct cell *c = &t->cells[i];
    free(c->row), free(c->col), free(c->proto), free(c->expected), free(c->actual), free(c->outcome);
  }
  free(t->tables);
  free(t->cells);
}

static void proto_port(FILE *out, const struct cell *c) {
  rpt__html(out, c->proto);
  if (c->dport) fprintf(out, "/%d", c->dport);
}

static int same_column(const struct cell *a, const struct cell *b) {
  return !strcmp(a->col, b->col) && !strcmp(a->proto, b->proto) && a->dport == b->dport;
}

static const char *const outcomes[] = {"correct", "wrong", "unexpected_pass", "ignored"};

/* The class of an outcome, or "" for one this report does not know. */
static const char *outcome_class(const char *outcome) {
  for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
    if (!strcmp(outcome, outcomes[i])) return outcomes[i];
  return "";
}

/* One table's cells are cells[0..n): places each in the grid and writes it. */
static int heat_map(FILE *out, const rpt_run_summary *s, const struct table *tb, struct cell *cells, size_t n) {
  struct cell **rows = calloc(n ? n : 1, sizeof *rows), **cols = calloc(n ? n : 1, sizeof *cols);
  struct cell **grid = NULL;
  size_t nr = 0, nc = 0, counts[4] = {0};
  int several = 0;
  for (size_t i = 0; rows && cols && i < n; i++) {
    struct cell *c = &cells[i];
    for (c->r = 0; c->r < nr && strcmp(rows[c->r]->row, c->row); c->r++) continue;
    if (c->r == nr) rows[nr++] = c;
    for (c->c = 0; c->c < nc && !same_column(cols[c->c], c); c->c++) continue;
    if (c->c == nc) cols[nc++] = c;
    several |= strcmp(c->proto, cells[0].proto) || c->dport != cells[0].dport;
  }
  int drawn = n && nr * nc <= GRID_MAX;
  if (rows && cols && drawn) grid = calloc(nr * nc, sizeof *grid);
  if (!rows || !cols || (drawn && !grid)) {
    free(rows), free(cols), free(grid);
    return RPT_E_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    if (grid) grid[cells[i].r * nc + cells[i].c] = &cells[i];
    for (size_t k = 0; k < 4; k++) counts[k] += !strcmp(cells[i].outcome, outcomes[k]);
  }

  fputs("<h4>", out);
  rpt__html(out, tb->name[0] ? tb->name : "truth table");
  fputs(" — ", out);
  rpt__html_run_name(out, s);
  fprintf(out, "</h4>\n<p class=\"muted\">%" PRId64 " sources × %" PRId64 " targets at ", tb->rows, tb->cols);
  rpt__sim_seconds(out, tb->sim_time_ns);
  fputs(" s", out);
  if (tb->origin[0]) {
    fputs(", ", out);
    rpt__html(out, tb->origin);
  }
  fprintf(out, ". <span class=\"legend\"><span class=\"correct\">correct %zu</span><span class=\"wrong\">wrong %zu"
               "</span><span class=\"unexpected_pass\">unexpected pass %zu</span><span class=\"ignored\">ignored %zu"
               "</span></span></p>\n",
          counts[0], counts[1], counts[2], counts[3]);
  if (!n) {
    fputs("<p class=\"muted\">The table has no cells.</p>\n", out);
  } else if (!grid) {
    fprintf(out,
            "<p class=\"muted\">%zu × %zu is too large a grid to draw here; the JSON report has every "
            "cell.</p>\n",
            nr, nc);
  } else {
    fputs("<div class=\"scroll\"><table class=\"heat\">\n<tr><th>from \\ to</th>", out);
    for (size_t j = 0; j < nc; j++) {
      fputs("<th>", out);
      rpt__html(out, cols[j]->col);
      if (several) {
        fputs("<br><span class=\"muted\">", out);
        proto_port(out, cols[j]);
        fputs("</span>", out);
      }
      fputs("</th>", out);
    }
    fputs("</tr>\n", out);
    for (size_t i = 0; i < nr; i++) {
      fputs("<tr><th class=\"row\">", out);
      rpt__html(out, rows[i]->row);
      fputs("</th>", out);
      for (size_t j = 0; j < nc; j++) {
        const struct cell *c = grid[i * nc + j];
        if (!c) {
          fputs("<td>—</td>", out);
          continue;
        }
        fprintf(out, "<td class=\"%s\" title=\"", outcome_class(c->outcome));
        rpt__html_attr(out, c->row);
        fputs(" → ", out);
        rpt__html_attr(out, c->col);
        fputc(' ', out);
        proto_port(out, c);
        fputs(": expected ", out);
        rpt__html_attr(out, c->expected[0] ? c->expected : "nothing");
        fputs(", got ", out);
        rpt__html_attr(out, c->actual);
        fputs(" (", out);
        rpt__html_attr(out, c->outcome);
        fputc(')', out);
        if (c->probe_seq) fprintf(out, ", probe #%" PRId64, c->probe_seq);
        fputs("\">", out);
        rpt__html(out, c->actual);
        fputs("</td>", out);
      }
      fputs("</tr>\n", out);
    }
    fputs("</table></div>\n", out);
  }
  free(rows), free(cols), free(grid);
  return RPT_OK;
}

int rpt__html_truth(rpt_db *db, FILE *out, const rpt_run_summary *s) {
  struct truth t = {0};
  fputs("<h3>Truth tables</h3>\n", out);
  int status = rpt_truth_table_foreach(db, s->id, table_row, &t);
  if (status == RPT_OK) status = rpt_truth_cell_foreach(db, s->id, 0, cell_row, &t);
  size_t first = 0; /* cells come by table, then index */
  for (size_t i = 0; i < t.n_tables && status == RPT_OK; i++) {
    while (first < t.n_cells && t.cells[first].table_seq < t.tables[i].seq) first++;
    size_t end = first;
    while (end < t.n_cells && t.cells[end].table_seq == t.tables[i].seq) end++;
    status = heat_map(out, s, &t.tables[i], t.cells + first, end - first);
    first = end;
  }
  if (status == RPT_OK && !t.n_tables) fputs("<p class=\"muted\">No truth table was recorded.</p>\n", out);
  truth_free(&t);
  if (status == RPT_E_NOMEM) status = rpt__err(db, status, "rpt_report_html: out of memory reading truth tables");
  return status;
}
