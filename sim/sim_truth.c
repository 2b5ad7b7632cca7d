/* sim_truth.c: truth tables: rows and columns by label (found through a
 * sim_map, kept in arrays in the order added), one expected and one
 * observed byte per cell in row-major order, and the probe's reason of
 * every wrong or unexpected-pass cell, in row-major order too.
 *
 * Invariants: the cell arrays exist once an expectation was set or a fill
 * ran, and the shape (rows, columns) is fixed from then on. `filled` is 1
 * only after a fill that probed every cell, with the expectations it was
 * compared against: changing an expectation clears it, so a tally never
 * mixes two sets of expectations. */
#include "sim_truth.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_map.h"

#define TRUTH_ERRLEN 512
enum { SCOPE_ROW = 0, SCOPE_COL = 1 };

typedef struct truth_row {
  char label[SIM_TRUTH_LABEL_MAX + 1];
  char *host, *from_port, *from_compartment;
} truth_row;

typedef struct truth_col {
  char label[SIM_TRUTH_LABEL_MAX + 1];
  sim_ip dst;
  uint8_t proto;
  uint16_t port;
} truth_col;

/* The reason of one wrong or unexpected-pass cell; `cell` is row * columns + column. */
typedef struct truth_note {
  size_t cell;
  char *reason;
} truth_note;

typedef struct truth_notes {
  truth_note *v;
  size_t n, cap;
} truth_notes;

struct sim_truth {
  truth_row *rows;
  truth_col *cols;
  size_t nrows, ncols, caprows, capcols;
  sim_map *labels;
  uint8_t *expected, *observed; /* NULL until shaped */
  int filled;
  sim_truth_tally tally;
  truth_notes notes;
  char err[TRUTH_ERRLEN];
};

static int fail(sim_truth *t, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(sim_truth *t, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->err, sizeof(t->err), fmt, ap);
  va_end(ap);
  return status;
}

static int ok(sim_truth *t) {
  t->err[0] = '\0';
  return SIM_OK;
}

static void notes_free(truth_notes *n) {
  for (size_t i = 0; i < n->n; i++) free(n->v[i].reason);
  free(n->v);
  memset(n, 0, sizeof(*n));
}

int sim_truth_create(sim_truth **out) {
  if (!out) return SIM_E_INVAL;
  sim_truth *t = calloc(1, sizeof(*t));
  if (!t || sim_map_create(&t->labels)) {
    free(t);
    *out = NULL;
    return SIM_E_NOMEM;
  }
  *out = t;
  return SIM_OK;
}

void sim_truth_destroy(sim_truth *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nrows; i++) {
    free(t->rows[i].host);
    free(t->rows[i].from_port);
    free(t->rows[i].from_compartment);
  }
  free(t->rows);
  free(t->cols);
  sim_map_destroy(t->labels);
  free(t->expected);
  free(t->observed);
  notes_free(&t->notes);
  free(t);
}

const char *sim_truth_last_error(const sim_truth *t) { return t ? t->err : "sim_truth: NULL"; }
size_t sim_truth_rows(const sim_truth *t) { return t ? t->nrows : 0; }
size_t sim_truth_columns(const sim_truth *t) { return t ? t->ncols : 0; }
const char *sim_truth_row_label(const sim_truth *t, size_t i) { return t && i < t->nrows ? t->rows[i].label : NULL; }
int sim_truth_column(const sim_truth *t, size_t j, sim_truth_target *out) {
  if (!t || !out || j >= t->ncols) return SIM_E_INVAL;
  const truth_col *c = &t->cols[j];
  *out = (sim_truth_target){c->label, c->dst, c->proto, c->port};
  return SIM_OK;
}

const char *sim_truth_expect_name(sim_truth_expect e) {
  switch (e) {
  case SIM_TRUTH_DELIVERED:
  case SIM_TRUTH_DROPPED:
  case SIM_TRUTH_NO_ROUTE:
  case SIM_TRUTH_REFUSED:
  case SIM_TRUTH_TIMED_OUT: return sim_probe_verdict_name((sim_probe_verdict)e);
  case SIM_TRUTH_BLOCKED: return "blocked";
  case SIM_TRUTH_IGNORED: return "ignored";
  }
  return "";
}

/* ---- Rows and columns ---------------------------------------------------- */

static int shaped(const sim_truth *t) { return t->expected != NULL; }

/* A label names a line of the matrix: 1..SIM_TRUTH_LABEL_MAX bytes, no
 * control characters (the text form stays one line per row). */
static int label_ok(sim_truth *t, const char *field, const char *label, uint32_t scope) {
  size_t len = strlen(label);
  if (len == 0) return fail(t, SIM_E_INVAL, "%s \"\": empty", field);
  if (len > SIM_TRUTH_LABEL_MAX)
    return fail(t, SIM_E_INVAL, "%s \"%.*s...\": longer than %d bytes", field, 24, label, SIM_TRUTH_LABEL_MAX);
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
      return fail(t, SIM_E_INVAL, "%s \"%s\": control character at byte %zu", field, label, i);
  uint32_t v;
  if (sim_map_get(t->labels, scope, label, len, &v))
    return fail(t, SIM_E_EXISTS, "%s \"%s\": already a %s", field, label, scope == SCOPE_ROW ? "row" : "column");
  return SIM_OK;
}

static int name_ok(sim_truth *t, const char *field, const char *name) {
  if (name && !name[0]) return fail(t, SIM_E_INVAL, "%s \"\": empty", field);
  return SIM_OK;
}

static char *dup_or_null(const char *s, int *nomem) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) *nomem = 1;
  return d;
}

static int grow(void **v, size_t *cap, size_t n, size_t item) {
  if (n < *cap) return SIM_OK;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *p = realloc(*v, ncap * item);
  if (!p) return SIM_E_NOMEM;
  *v = p;
  *cap = ncap;
  return SIM_OK;
}

int sim_truth_source_add(sim_truth *t, const sim_truth_source *src) {
  if (!t) return SIM_E_INVAL;
  if (!src) return fail(t, SIM_E_INVAL, "source: NULL");
  if (shaped(t)) return fail(t, SIM_E_BUSY, "source: the cells exist (an expectation was set or the table filled)");
  if (!src->host || !src->host[0]) return fail(t, SIM_E_INVAL, "host \"%s\": empty", src->host ? src->host : "(null)");
  int rc = name_ok(t, "from_port", src->from_port);
  if (!rc) rc = name_ok(t, "from_compartment", src->from_compartment);
  if (rc) return rc;
  if (src->from_port && src->from_compartment)
    return fail(t, SIM_E_INVAL, "from_port \"%s\" and from_compartment \"%s\": give one", src->from_port,
                src->from_compartment);
  truth_row row;
  memset(&row, 0, sizeof(row));
  const char *what = src->from_port ? src->from_port : src->from_compartment;
  int n = src->label ? snprintf(row.label, sizeof(row.label), "%s", src->label)
                     : snprintf(row.label, sizeof(row.label), "%s%s%s", src->host, what ? "/" : "", what ? what : "");
  if (n < 0 || (size_t)n >= sizeof(row.label))
    return fail(t, SIM_E_INVAL, "label \"%s...\": longer than %d bytes", row.label, SIM_TRUTH_LABEL_MAX);
  if ((rc = label_ok(t, "label", row.label, SCOPE_ROW))) return rc;
  int nomem = 0;
  row.host = dup_or_null(src->host, &nomem);
  row.from_port = dup_or_null(src->from_port, &nomem);
  row.from_compartment = dup_or_null(src->from_compartment, &nomem);
  if (nomem || grow((void **)&t->rows, &t->caprows, t->nrows, sizeof(*t->rows)) ||
      sim_map_put(t->labels, SCOPE_ROW, row.label, strlen(row.label), (uint32_t)t->nrows)) {
    free(row.host);
    free(row.from_port);
    free(row.from_compartment);
    return fail(t, SIM_E_NOMEM, "source \"%s\": out of memory", row.label);
  }
  t->rows[t->nrows++] = row;
  return ok(t);
}

static const char *proto_name(uint8_t proto) {
  switch (proto) {
  case SIM_IPPROTO_TCP: return "tcp";
  case SIM_IPPROTO_UDP: return "udp";
  case SIM_IPPROTO_ICMP: return "icmp";
  case SIM_IPPROTO_ICMPV6: return "icmpv6";
  }
  return "?";
}

int sim_truth_target_add(sim_truth *t, const sim_truth_target *dst) {
  if (!t) return SIM_E_INVAL;
  if (!dst) return fail(t, SIM_E_INVAL, "target: NULL");
  if (shaped(t)) return fail(t, SIM_E_BUSY, "target: the cells exist (an expectation was set or the table filled)");
  if (dst->dst.family != 4 && dst->dst.family != 6)
    return fail(t, SIM_E_INVAL, "dst: family %u is not 4 or 6", (unsigned)dst->dst.family);
  uint8_t icmp = dst->dst.family == 4 ? SIM_IPPROTO_ICMP : SIM_IPPROTO_ICMPV6;
  int l4 = dst->proto == SIM_IPPROTO_TCP || dst->proto == SIM_IPPROTO_UDP;
  if (!l4 && dst->proto != icmp)
    return fail(t, SIM_E_INVAL, "proto %u: not TCP (6), UDP (17) or ICMP for IPv%u (%u)", (unsigned)dst->proto,
                (unsigned)dst->dst.family, (unsigned)icmp);
  if (l4 && dst->port == 0) return fail(t, SIM_E_INVAL, "port 0: a %s target needs a port 1..65535", proto_name(dst->proto));
  if (!l4 && dst->port != 0) return fail(t, SIM_E_INVAL, "port %u: an ICMP target takes none (0)", (unsigned)dst->port);
  truth_col col;
  memset(&col, 0, sizeof(col));
  char ip[46];
  sim_ip_format(&dst->dst, ip);
  int n = dst->label ? snprintf(col.label, sizeof(col.label), "%s", dst->label)
          : l4       ? snprintf(col.label, sizeof(col.label), "%s %s/%u", ip, proto_name(dst->proto), (unsigned)dst->port)
                     : snprintf(col.label, sizeof(col.label), "%s %s", ip, proto_name(dst->proto));
  if (n < 0 || (size_t)n >= sizeof(col.label))
    return fail(t, SIM_E_INVAL, "label \"%s...\": longer than %d bytes", col.label, SIM_TRUTH_LABEL_MAX);
  int rc = label_ok(t, "label", col.label, SCOPE_COL);
  if (rc) return rc;
  col.dst = dst->dst;
  col.proto = dst->proto;
  col.port = dst->port;
  if (grow((void **)&t->cols, &t->capcols, t->ncols, sizeof(*t->cols)) ||
      sim_map_put(t->labels, SCOPE_COL, col.label, strlen(col.label), (uint32_t)t->ncols))
    return fail(t, SIM_E_NOMEM, "target \"%s\": out of memory", col.label);
  t->cols[t->ncols++] = col;
  return ok(t);
}

/* ---- Expectations ---------------------------------------------------------- */

/* Allocates the cells (every one expected delivered) on first use. */
static int shape(sim_truth *t) {
  if (shaped(t)) return SIM_OK;
  if (t->ncols && t->nrows > SIZE_MAX / t->ncols)
    return fail(t, SIM_E_NOMEM, "%zu rows x %zu columns: too many cells", t->nrows, t->ncols);
  size_t n = t->nrows * t->ncols;
  t->expected = calloc(n ? n : 1, 1);
  t->observed = calloc(n ? n : 1, 1);
  if (!t->expected || !t->observed) {
    free(t->expected);
    free(t->observed);
    t->expected = t->observed = NULL;
    return fail(t, SIM_E_NOMEM, "%zu cells: out of memory", n);
  }
  return SIM_OK;
}

static int find(sim_truth *t, uint32_t scope, const char *label, size_t *out) {
  const char *field = scope == SCOPE_ROW ? "row" : "column";
  if (!label) return fail(t, SIM_E_INVAL, "%s: NULL", field);
  uint32_t v;
  if (!sim_map_get(t->labels, scope, label, strlen(label), &v))
    return fail(t, SIM_E_NOTFOUND, "%s \"%s\": no such %s", field, label, field);
  *out = v;
  return SIM_OK;
}

/* Checks the expectation and the labels (NULL: every row or column) and
 * shapes the table; on success *r and *c are the indexes or SIZE_MAX. */
static int expect_begin(sim_truth *t, sim_truth_expect e, const char *row, const char *col, int want_row,
                        int want_col, size_t *r, size_t *c) {
  if ((unsigned)e > SIM_TRUTH_IGNORED) return fail(t, SIM_E_INVAL, "expect %d: not a sim_truth_expect", (int)e);
  *r = *c = SIZE_MAX;
  int rc = want_row ? find(t, SCOPE_ROW, row, r) : SIM_OK;
  if (!rc && want_col) rc = find(t, SCOPE_COL, col, c);
  if (!rc) rc = shape(t);
  if (!rc) t->filled = 0;
  return rc;
}

int sim_truth_expect_all(sim_truth *t, sim_truth_expect e) {
  size_t r = 0, c = 0;
  if (!t) return SIM_E_INVAL;
  int rc = expect_begin(t, e, NULL, NULL, 0, 0, &r, &c);
  if (rc) return rc;
  memset(t->expected, (int)e, t->nrows * t->ncols);
  return ok(t);
}

int sim_truth_expect_row(sim_truth *t, const char *row, sim_truth_expect e) {
  size_t r = 0, c = 0;
  if (!t) return SIM_E_INVAL;
  int rc = expect_begin(t, e, row, NULL, 1, 0, &r, &c);
  if (rc) return rc;
  memset(t->expected + r * t->ncols, (int)e, t->ncols);
  return ok(t);
}

int sim_truth_expect_column(sim_truth *t, const char *column, sim_truth_expect e) {
  size_t r = 0, c = 0;
  if (!t) return SIM_E_INVAL;
  int rc = expect_begin(t, e, NULL, column, 0, 1, &r, &c);
  if (rc) return rc;
  for (r = 0; r < t->nrows; r++) t->expected[r * t->ncols + c] = (uint8_t)e;
  return ok(t);
}

int sim_truth_expect_cell(sim_truth *t, const char *row, const char *column, sim_truth_expect e) {
  size_t r = 0, c = 0;
  if (!t) return SIM_E_INVAL;
  int rc = expect_begin(t, e, row, column, 1, 1, &r, &c);
  if (rc) return rc;
  t->expected[r * t->ncols + c] = (uint8_t)e;
  return ok(t);
}

/* ---- Filling and comparing ------------------------------------------------- */

static sim_truth_outcome compare(uint8_t expected, uint8_t observed) {
  if (expected == SIM_TRUTH_IGNORED) return SIM_TRUTH_NOT_COMPARED;
  if (expected == observed || (expected == SIM_TRUTH_BLOCKED && observed != SIM_PROBE_DELIVERED))
    return SIM_TRUTH_CORRECT;
  return observed == SIM_PROBE_DELIVERED ? SIM_TRUTH_UNEXPECTED_PASS : SIM_TRUTH_WRONG;
}

static void count(sim_truth_tally *tally, sim_truth_outcome o) {
  switch (o) {
  case SIM_TRUTH_CORRECT: tally->correct++; break;
  case SIM_TRUTH_WRONG: tally->wrong++; break;
  case SIM_TRUTH_UNEXPECTED_PASS: tally->unexpected_pass++; break;
  case SIM_TRUTH_NOT_COMPARED: tally->ignored++; break;
  }
}

static int note_add(truth_notes *n, size_t cell, const char *reason) {
  if (grow((void **)&n->v, &n->cap, n->n, sizeof(*n->v))) return SIM_E_NOMEM;
  char *copy = strdup(reason);
  if (!copy) return SIM_E_NOMEM;
  n->v[n->n].cell = cell;
  n->v[n->n++].reason = copy;
  return SIM_OK;
}

int sim_truth_fill(sim_truth *t, sim_net *net) {
  if (!t) return SIM_E_INVAL;
  if (!net) return fail(t, SIM_E_INVAL, "net: NULL");
  int rc = shape(t);
  if (rc) return rc;
  t->filled = 0;
  notes_free(&t->notes);
  memset(&t->tally, 0, sizeof(t->tally));
  sim_truth_tally tally = {0, 0, 0, 0};
  truth_notes notes = {NULL, 0, 0};
  sim_probe_spec spec;
  memset(&spec, 0, sizeof(spec));
  sim_probe_result res;
  for (size_t r = 0; r < t->nrows; r++) {
    const truth_row *row = &t->rows[r];
    spec.host = row->host;
    spec.from_port = row->from_port;
    spec.from_compartment = row->from_compartment;
    for (size_t c = 0; c < t->ncols; c++) {
      const truth_col *col = &t->cols[c];
      size_t i = r * t->ncols + c;
      spec.dst = col->dst;
      spec.proto = col->proto;
      spec.dport = col->port;
      if ((rc = sim_probe_run(net, &spec, NULL, &res))) {
        notes_free(&notes);
        return fail(t, rc, "row \"%s\" column \"%s\": %s", row->label, col->label, sim_net_last_error(net));
      }
      t->observed[i] = (uint8_t)res.verdict;
      sim_truth_outcome o = compare(t->expected[i], t->observed[i]);
      count(&tally, o);
      if ((o == SIM_TRUTH_WRONG || o == SIM_TRUTH_UNEXPECTED_PASS) && note_add(&notes, i, res.reason)) {
        notes_free(&notes);
        return fail(t, SIM_E_NOMEM, "row \"%s\" column \"%s\": out of memory", row->label, col->label);
      }
    }
  }
  t->notes = notes;
  t->tally = tally;
  t->filled = 1;
  return ok(t);
}

int sim_truth_tally_get(sim_truth *t, sim_truth_tally *out) {
  if (!t || !out) return SIM_E_INVAL;
  if (!t->filled) return fail(t, SIM_E_INVAL, "the table is not filled: call sim_truth_fill");
  *out = t->tally;
  return ok(t);
}

/* The filled cell at (row, column). */
static int cell_at(sim_truth *t, const char *row, const char *column, size_t *out) {
  if (!t->filled) return fail(t, SIM_E_INVAL, "the table is not filled: call sim_truth_fill");
  size_t r = 0, c = 0;
  int rc = find(t, SCOPE_ROW, row, &r);
  if (!rc) rc = find(t, SCOPE_COL, column, &c);
  if (!rc) *out = r * t->ncols + c;
  return rc;
}

int sim_truth_cell_get(sim_truth *t, const char *row, const char *column, sim_truth_cell *out) {
  if (!t || !out) return SIM_E_INVAL;
  size_t i = 0;
  int rc = cell_at(t, row, column, &i);
  if (rc) return rc;
  out->expected = (sim_truth_expect)t->expected[i];
  out->observed = (sim_probe_verdict)t->observed[i];
  out->outcome = compare(t->expected[i], t->observed[i]);
  return ok(t);
}

/* The note of cell i (notes are in row-major order), or NULL. */
static const truth_note *note_of(const sim_truth *t, size_t i) {
  size_t lo = 0, hi = t->notes.n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->notes.v[mid].cell < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < t->notes.n && t->notes.v[lo].cell == i ? &t->notes.v[lo] : NULL;
}

int sim_truth_reason(sim_truth *t, const char *row, const char *column, char *out, size_t cap) {
  if (!t || (!out && cap)) return SIM_E_INVAL;
  size_t i = 0;
  int rc = cell_at(t, row, column, &i);
  if (rc) return rc;
  const truth_note *n = note_of(t, i);
  if (!n) return fail(t, SIM_E_NOTFOUND, "row \"%s\" column \"%s\": neither wrong nor an unexpected pass", row, column);
  size_t len = strlen(n->reason);
  if (len >= cap) return fail(t, SIM_E_SHORT, "reason: %zu bytes needed, %zu given", len + 1, cap);
  memcpy(out, n->reason, len + 1);
  return ok(t);
}

/* ---- Text ------------------------------------------------------------------ */

/* Appends to a caller's buffer as far as it fits and counts the whole
 * length. Spaces are held back until more text follows on the line, so no
 * line ends in spaces. */
typedef struct text_out {
  char *out;
  size_t cap, len, pending;
} text_out;

static void put(text_out *w, const char *s, size_t n) {
  for (; w->pending; w->pending--, w->len++)
    if (w->len + 1 < w->cap) w->out[w->len] = ' ';
  if (w->len + 1 < w->cap) memcpy(w->out + w->len, s, w->len + n < w->cap ? n : w->cap - 1 - w->len);
  w->len += n;
}

static void putf(text_out *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(text_out *w, const char *fmt, ...) {
  char buf[TRUTH_ERRLEN + 2 * SIM_TRUTH_LABEL_MAX + SIM_PROBE_REASON];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n > 0) put(w, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void newline(text_out *w) {
  w->pending = 0;
  put(w, "\n", 1);
}

/* Cell marks: the observed verdict, then the comparison. */
static const char verdict_mark[] = {'.', 'd', 'n', 'r', 't'};
static const char outcome_mark[] = {' ', 'X', '+', '?'};

size_t sim_truth_format(const sim_truth *t, char *out, size_t cap) {
  if (!t || !t->filled || (!out && cap)) return 0;
  text_out w = {out, cap, 0, 0};
  size_t lw = 0; /* the row labels' width */
  for (size_t r = 0; r < t->nrows; r++) {
    size_t n = strlen(t->rows[r].label);
    if (n > lw) lw = n;
  }
  putf(&w, "truth table: %zu sources x %zu targets", t->nrows, t->ncols);
  newline(&w);
  w.pending = lw;
  for (size_t c = 0; c < t->ncols; c++) {
    w.pending += 2;
    put(&w, t->cols[c].label, strlen(t->cols[c].label));
    size_t n = strlen(t->cols[c].label);
    w.pending = n < 2 ? 2 - n : 0;
  }
  newline(&w);
  for (size_t r = 0; r < t->nrows; r++) {
    size_t n = strlen(t->rows[r].label);
    put(&w, t->rows[r].label, n);
    w.pending = lw - n;
    for (size_t c = 0; c < t->ncols; c++) {
      size_t i = r * t->ncols + c;
      char cell[2] = {verdict_mark[t->observed[i]], outcome_mark[compare(t->expected[i], t->observed[i])]};
      size_t width = strlen(t->cols[c].label);
      w.pending += 2;
      put(&w, cell, cell[1] == ' ' ? 1 : 2);
      w.pending = (width < 2 ? 2 : width) - (cell[1] == ' ' ? 1 : 2);
    }
    newline(&w);
  }
  putf(&w, "legend: . delivered, d dropped, n no route, r refused, t timed out;"
           " then X wrong, + unexpected pass, ? ignored, nothing when correct");
  newline(&w);
  putf(&w, "tally: %zu correct, %zu wrong, %zu unexpected pass, %zu ignored", t->tally.correct, t->tally.wrong,
       t->tally.unexpected_pass, t->tally.ignored);
  newline(&w);
  for (size_t k = 0; k < t->notes.n; k++) {
    size_t i = t->notes.v[k].cell;
    const truth_row *row = &t->rows[i / t->ncols];
    const truth_col *col = &t->cols[i % t->ncols];
    sim_truth_outcome o = compare(t->expected[i], t->observed[i]);
    putf(&w, "%s: %s -> %s: expected %s, observed %s%s%s", o == SIM_TRUTH_WRONG ? "wrong" : "unexpected pass",
         row->label, col->label, sim_truth_expect_name((sim_truth_expect)t->expected[i]),
         sim_probe_verdict_name((sim_probe_verdict)t->observed[i]), t->notes.v[k].reason[0] ? ": " : "",
         t->notes.v[k].reason);
    newline(&w);
  }
  if (cap) out[w.len < cap ? w.len : cap - 1] = '\0';
  return w.len;
}
