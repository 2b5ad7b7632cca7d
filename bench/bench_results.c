/* bench_results.c: how fast a run's rows go into the results database
 * (issue: "Inserts batched in one transaction per run: >= 1 000 000 rows/s
 * in a benchmark (a bare prepared insert does about 1.5 M rows/s on these
 * machines)").
 *
 * One run in a fresh database file (WAL, on the file system of --dir) gets
 * --rows rows in groups as a traced probe leaves them: a probe, --hops hops
 * of its trace, and a log line. The rows' strings are made before the clock
 * starts (4096 distinct groups, cycled), so only the writer is timed.
 * --kind log, metric or cells writes --rows rows of that one kind instead
 * (log lines, metric samples, cells of one truth table), to compare kinds
 * of rows; --kind reference times the yardstick alone (see
 * run_reference).
 * --payload full (the default) gives the rows the strings a trace of the
 * seed's ACS cluster has (pod and host names, GUID ports, routes, reasons,
 * flows: about 200 bytes a hop); --payload small gives one- or two-letter
 * strings and empty ones (about 40 bytes a hop), to show what the size of
 * a row costs.
 * Phases, each the median of --repeat runs, each run in its own new file:
 *   rpt    rpt_probe_add, rpt_hop_add and rpt_log with every check, the
 *          seq and idx numbering and the writer's queue, all in the run's
 *          one transaction, then rpt_db_flush (the commit): rows_per_s, and
 *          rows_per_cpu_s (per second of this process's CPU time, user and
 *          system, which a busy shared machine disturbs less). Then
 *          rpt_run_finish, which hashes every row into the run's digest
 *          and commits it: finish_s, and the whole run's rate with it.
 *   bare   the same rows into the same file (made by rpt_db_open: same
 *          page size) through one SQLite connection with the same pragmas,
 *          one prepared INSERT per table stepped once per row and nothing
 *          else, in one transaction: what SQLite costs when it is used the
 *          usual way. Probes, hops and cells go in as text, into tables
 *          shaped as schema 4 stored them (TEXT_TABLES); log and metric
 *          rows into the writer's own tables.
 * The digest printed is the same on every run with the same options (it is
 * a check, not a measurement). Only this program reads the clock; nothing
 * here is a test. */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench_args.h"
#include "bench_clock.h"
#include "rpt_db.h"
#include "rpt_digest.h"
#include "rpt_read.h"
#include "rpt_rows.h"
#include "rpt_write.h"

#define NGROUPS 4096
#define MAX_RUNS 99
#define MAX_HOPS 32

static void die(const char *what, const char *why) {
  fprintf(stderr, "bench_results: %s: %s\n", what, why);
  exit(3);
}

#define RPT(db, call)                                   \
  do {                                                  \
    if ((call) != RPT_OK) die(#call, rpt_db_errmsg(db)); \
  } while (0)

/* The strings of one group: a probe between two pods, its hops, a log line. */
struct group {
  char from[16], to[24], sent[64], received[64], reply[64], origin[24];
  char host[MAX_HOPS][16], compartment[MAX_HOPS][16], port[MAX_HOPS][48], rule[MAX_HOPS][24];
  char reason[MAX_HOPS][48], before[MAX_HOPS][64], after[MAX_HOPS][64];
  char message[96];
};

static const char *const k_stages[] = {"route", "port-out", "vswitch", "segment", "vswitch", "port-in", "accept"};

/* The small payload: the same rows with the shortest strings allowed. */
static void make_small_groups(struct group *g, int hops) {
  for (int i = 0; i < NGROUPS; i++) {
    struct group *x = &g[i];
    memset(x, 0, sizeof *x);
    snprintf(x->from, sizeof x->from, "p%d", i % 10);
    snprintf(x->to, sizeof x->to, "q%d", i % 10);
    for (int h = 0; h < hops; h++) snprintf(x->host[h], sizeof x->host[h], "n%d", h % 2);
    snprintf(x->message, sizeof x->message, "ok");
  }
}

static void make_groups(struct group *g, int hops) {
  for (int i = 0; i < NGROUPS; i++) {
    int src = i % 997, dst = (i * 7 + 3) % 991, sh = src % 50, dh = dst % 50;
    struct group *x = &g[i];
    snprintf(x->from, sizeof x->from, "pod%04d", src);
    snprintf(x->to, sizeof x->to, "10.244.%d.%d", dh, 10 + dst % 240);
    snprintf(x->sent, sizeof x->sent, "TCP 10.244.%d.%d:%d -> 10.244.%d.%d:80", sh, 10 + src % 240,
             49152 + i % 1000, dh, 10 + dst % 240);
    snprintf(x->received, sizeof x->received, "%s", x->sent);
    snprintf(x->reply, sizeof x->reply, "TCP 10.244.%d.%d:80 -> 10.244.%d.%d:%d", dh, 10 + dst % 240, sh,
             10 + src % 240, 49152 + i % 1000);
    snprintf(x->origin, sizeof x->origin, "bench.lua:%d", 10 + i % 90);
    for (int h = 0; h < hops; h++) {
      int on_src = h < hops / 2;
      snprintf(x->host[h], sizeof x->host[h], "node%03d", on_src ? sh : dh);
      snprintf(x->compartment[h], sizeof x->compartment[h], "pod%04d", on_src ? src : dst);
      snprintf(x->port[h], sizeof x->port[h], "5f0c1d52-%04x-4000-8000-%012x", (unsigned)h, (unsigned)(on_src ? src : dst));
      snprintf(x->rule[h], sizeof x->rule[h], h % 3 ? "10.244.%d.0/24" : "0.0.0.0/0", dh);
      snprintf(x->reason[h], sizeof x->reason[h], "%s via 10.244.%d.2", h % 3 ? "route" : "default route", dh);
      snprintf(x->before[h], sizeof x->before[h], "%s", x->sent);
      snprintf(x->after[h], sizeof x->after[h], "%s", x->sent);
    }
    snprintf(x->message, sizeof x->message, "probe %s -> %s:80 delivered in %d us", x->from, x->to, 200 + i % 300);
  }
}

static void fill_probe(const struct group *x, int64_t t, rpt_probe *p) {
  memset(p, 0, sizeof *p);
  p->sim_time_ns = t;
  p->from = x->from;
  p->to = x->to;
  p->proto = "tcp";
  p->dport = 80;
  p->verdict = "delivered";
  p->leg = "reply";
  p->reason = "";
  p->sent = x->sent;
  p->received = x->received;
  p->reply = x->reply;
  p->finished_ns = t + 200000;
  p->origin = x->origin;
}

static void fill_hop(const struct group *x, int h, int hops, int64_t t, rpt_hop *hop) {
  hop->sim_time_ns = t + (h < hops / 2 ? 0 : 100000);
  hop->leg = "request";
  hop->host = x->host[h];
  hop->compartment = x->compartment[h];
  hop->port = x->port[h];
  hop->stage = k_stages[h % 7];
  hop->rule = x->rule[h];
  hop->reason = x->reason[h];
  hop->verdict = h == hops - 1 ? "deliver" : "pass";
  hop->before = x->before[h];
  hop->after = x->after[h];
}

static const rpt_run_info k_info = {"bench/results", 1, "ws2022", "sim", "bench"};

static void remove_db(const char *path) {
  char p[600];
  const char *suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s%s", path, suffix[i]);
    unlink(p);
  }
}

/* CPU seconds (user and system) this process has used: on a shared machine
 * rows per CPU second says more than rows per wall second. */
static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
         (double)ru.ru_stime.tv_usec * 1e-6;
}

struct timing {
  double insert_s, insert_cpu_s, finish_s;
  uint64_t rows;
  char digest[RPT_SHA256_HEX_SIZE];
  double file_mb;
};

enum kind { KIND_TRACE, KIND_LOG, KIND_METRIC, KIND_CELLS, KIND_REFERENCE };
static const char *const k_kinds[] = {"trace", "log", "metric", "cells", "reference"};

/* --kind log, metric, cells: `rows` rows of that kind. */
static void write_one_kind(rpt_db *db, int64_t run, enum kind kind, const struct group *g, uint64_t rows) {
  int64_t table = 0;
  if (kind == KIND_CELLS) {
    rpt_truth_table tt = {0, 0, "pods", "bench.lua:1", (int64_t)rows / 1000 + 1, 1000};
    RPT(db, rpt_truth_table_add(db, run, &tt, &table));
  }
  for (uint64_t i = 0; i < rows; i++) {
    const struct group *x = &g[i % NGROUPS];
    if (kind == KIND_LOG) {
      RPT(db, rpt_log(db, run, (int64_t)i * 1000, RPT_LOG_INFO, "probe", x->message));
    } else if (kind == KIND_METRIC) {
      RPT(db, rpt_metric(db, run, (int64_t)i * 1000, "latency_s", (double)(i % 1000) * 1e-6));
    } else {
      rpt_truth_cell c = {table, 0, x->from, g[(i / 1000) % NGROUPS].to, "tcp", 80, "delivered",
                          i % 97 ? "delivered" : "dropped", i % 97 ? "correct" : "wrong", 0};
      RPT(db, rpt_truth_cell_add(db, run, table, &c));
    }
  }
}

static void run_rpt(const char *path, enum kind kind, const struct group *g, uint64_t rows, int hops,
                    struct timing *out) {
  rpt_db *db;
  int64_t run;
  uint64_t groups = rows / (uint64_t)(hops + 2);
  remove_db(path);
  if (rpt_db_open(path, &db) != RPT_OK) die(path, rpt_db_errmsg(db));
  RPT(db, rpt_run_begin(db, &k_info, &run));
  rpt_probe p;
  rpt_hop hop;
  double c0 = cpu_seconds(), t0 = bench_seconds();
  if (kind != KIND_TRACE) {
    write_one_kind(db, run, kind, g, rows);
    groups = 0;
  }
  for (uint64_t i = 0; i < groups; i++) {
    const struct group *x = &g[i % NGROUPS];
    int64_t t = (int64_t)i * 1000000, seq;
    fill_probe(x, t, &p);
    RPT(db, rpt_probe_add(db, run, &p, &seq));
    for (int h = 0; h < hops; h++) {
      fill_hop(x, h, hops, t, &hop);
      RPT(db, rpt_hop_add(db, run, seq, &hop));
    }
    RPT(db, rpt_log(db, run, t + 200000, RPT_LOG_INFO, "probe", x->message));
  }
  RPT(db, rpt_db_flush(db));
  double t1 = bench_seconds(), c1 = cpu_seconds();
  RPT(db, rpt_run_finish(db, run, (int64_t)groups * 1000000, RPT_RUN_PASSED));
  double t2 = bench_seconds();
  RPT(db, rpt_run_digest(db, run, out->digest));
  RPT(db, rpt_db_close(db));
  struct stat st;
  out->file_mb = stat(path, &st) == 0 ? (double)st.st_size / 1e6 : 0;
  out->insert_s = t1 - t0;
  out->insert_cpu_s = c1 - c0;
  out->finish_s = t2 - t1;
  out->rows = kind == KIND_TRACE ? groups * (uint64_t)(hops + 2) : rows;
  remove_db(path);
}

static void sql_ok(sqlite3 *sql, int rc, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) die(what, sqlite3_errmsg(sql));
}

static void bind(sqlite3_stmt *st, int col, const char *s) { sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC); }

/* The end of every bare phase: the commit (timed with the rows), the
 * statements and the connection closed, the timing filled in, the file
 * removed. */
static void end_bare(sqlite3 *sql, sqlite3_stmt **sts, int n, const char *path, uint64_t rows, double t0,
                     double c0, struct timing *out) {
  sql_ok(sql, sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL), "commit");
  double t1 = bench_seconds(), c1 = cpu_seconds();
  for (int i = 0; i < n; i++) sqlite3_finalize(sts[i]);
  sqlite3_close(sql);
  out->insert_s = t1 - t0;
  out->insert_cpu_s = c1 - c0;
  out->finish_s = 0;
  out->rows = rows;
  out->digest[0] = '\0';
  out->file_mb = 0;
  remove_db(path);
}

/* The bare phase's tables for the rows the writer stores as string ids:
 * probes, hops and cells as text, with the columns, CHECKs and foreign
 * keys schema 4 gave them (reports/rpt_schema.c, step 2 -> 3). */
static const char k_text_tables[] =
    "CREATE TABLE text_probes (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL CHECK (seq >= 1), sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
    " from_name TEXT NOT NULL CHECK (from_name <> ''), to_name TEXT NOT NULL CHECK (to_name <> ''),"
    " proto TEXT NOT NULL CHECK (proto <> ''), dport INTEGER NOT NULL CHECK (dport BETWEEN 0 AND 65535),"
    " verdict TEXT NOT NULL CHECK (verdict <> ''), leg TEXT NOT NULL CHECK (leg = 'request' OR leg = 'reply'),"
    " reason TEXT NOT NULL, sent TEXT, received TEXT, reply TEXT,"
    " finished_ns INTEGER NOT NULL CHECK (finished_ns >= sim_time_ns), origin TEXT NOT NULL,"
    " PRIMARY KEY (run_id, seq)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX text_probes_by_verdict ON text_probes (run_id, verdict);"
    "CREATE TABLE text_hops (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
    " probe_seq INTEGER NOT NULL CHECK (probe_seq >= 1), idx INTEGER NOT NULL CHECK (idx >= 1),"
    " sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
    " leg TEXT NOT NULL CHECK (leg = 'request' OR leg = 'reply'), host TEXT NOT NULL CHECK (host <> ''),"
    " compartment TEXT NOT NULL, port TEXT NOT NULL, stage TEXT NOT NULL, rule TEXT NOT NULL,"
    " reason TEXT NOT NULL, verdict TEXT NOT NULL CHECK (verdict <> ''), flow_before TEXT NOT NULL,"
    " flow_after TEXT NOT NULL, PRIMARY KEY (run_id, probe_seq, idx),"
    " FOREIGN KEY (run_id, probe_seq) REFERENCES text_probes (run_id, seq) ON DELETE CASCADE)"
    " STRICT, WITHOUT ROWID;"
    "CREATE TABLE text_tables (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (run_id, seq))"
    " STRICT, WITHOUT ROWID;"
    "INSERT INTO text_tables VALUES (1, 1);"
    "CREATE TABLE text_cells (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
    " table_seq INTEGER NOT NULL CHECK (table_seq >= 1), idx INTEGER NOT NULL CHECK (idx >= 1),"
    " row_name TEXT NOT NULL CHECK (row_name <> ''), col_name TEXT NOT NULL CHECK (col_name <> ''),"
    " proto TEXT NOT NULL CHECK (proto <> ''), dport INTEGER NOT NULL CHECK (dport BETWEEN 0 AND 65535),"
    " expected TEXT NOT NULL, actual TEXT NOT NULL CHECK (actual <> ''),"
    " outcome TEXT NOT NULL CHECK (outcome = 'correct' OR outcome = 'wrong'"
    "   OR outcome = 'unexpected_pass' OR outcome = 'ignored'),"
    " probe_seq INTEGER NOT NULL CHECK (probe_seq >= 0), PRIMARY KEY (run_id, table_seq, idx),"
    " FOREIGN KEY (run_id, table_seq) REFERENCES text_tables (run_id, seq) ON DELETE CASCADE)"
    " STRICT, WITHOUT ROWID;";

/* A new file at `path` with hnsim's schema and one run (*run), as hnsim
 * makes them, opened the bare way: the writer's pragmas, and the text
 * tables. */
static sqlite3 *new_bare_file(const char *path, int64_t *run) {
  rpt_db *db;
  sqlite3 *sql;
  remove_db(path);
  if (rpt_db_open(path, &db) != RPT_OK) die(path, rpt_db_errmsg(db));
  RPT(db, rpt_run_begin(db, &k_info, run));
  RPT(db, rpt_db_close(db));
  if (sqlite3_open(path, &sql) != SQLITE_OK) die(path, "sqlite3_open");
  sql_ok(sql, sqlite3_exec(sql, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                           NULL, NULL, NULL), "pragmas");
  sql_ok(sql, sqlite3_exec(sql, k_text_tables, NULL, NULL, NULL), "text tables");
  return sql;
}

static void run_bare(const char *path, const struct group *g, uint64_t groups, int hops, struct timing *out) {
  int64_t run;
  sqlite3 *sql = new_bare_file(path, &run);
  sqlite3_stmt *sp, *sh, *sl;
  sql_ok(sql, sqlite3_prepare_v2(sql, "INSERT INTO text_probes VALUES (?1, ?2, ?3, ?4, ?5, 'tcp', 80, 'delivered', 'reply',"
                                      " '', ?6, ?7, ?8, ?9, ?10)", -1, &sp, NULL), "prepare probes");
  sql_ok(sql, sqlite3_prepare_v2(sql, "INSERT INTO text_hops VALUES (?1, ?2, ?3, ?4, 'request', ?5, ?6, ?7, ?8, ?9,"
                                      " ?10, ?11, ?12, ?13)", -1, &sh, NULL), "prepare hops");
  sql_ok(sql, sqlite3_prepare_v2(sql, "INSERT INTO log VALUES (?1, ?2, ?3, 'info', 'probe', ?4)", -1, &sl, NULL),
         "prepare log");
  double c0 = cpu_seconds(), t0 = bench_seconds();
  sql_ok(sql, sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
  for (uint64_t i = 0; i < groups; i++) {
    const struct group *x = &g[i % NGROUPS];
    int64_t t = (int64_t)i * 1000000, seq = (int64_t)i + 1;
    sqlite3_bind_int64(sp, 1, run);
    sqlite3_bind_int64(sp, 2, seq);
    sqlite3_bind_int64(sp, 3, t);
    bind(sp, 4, x->from);
    bind(sp, 5, x->to);
    bind(sp, 6, x->sent);
    bind(sp, 7, x->received);
    bind(sp, 8, x->reply);
    sqlite3_bind_int64(sp, 9, t + 200000);
    bind(sp, 10, x->origin);
    sql_ok(sql, sqlite3_step(sp), "insert probe");
    sqlite3_reset(sp);
    for (int h = 0; h < hops; h++) {
      rpt_hop hop;
      fill_hop(x, h, hops, t, &hop);
      sqlite3_bind_int64(sh, 1, run);
      sqlite3_bind_int64(sh, 2, seq);
      sqlite3_bind_int64(sh, 3, h + 1);
      sqlite3_bind_int64(sh, 4, hop.sim_time_ns);
      bind(sh, 5, hop.host);
      bind(sh, 6, hop.compartment);
      bind(sh, 7, hop.port);
      bind(sh, 8, hop.stage);
      bind(sh, 9, hop.rule);
      bind(sh, 10, hop.reason);
      bind(sh, 11, hop.verdict);
      bind(sh, 12, hop.before);
      bind(sh, 13, hop.after);
      sql_ok(sql, sqlite3_step(sh), "insert hop");
      sqlite3_reset(sh);
    }
    sqlite3_bind_int64(sl, 1, run);
    sqlite3_bind_int64(sl, 2, seq);
    sqlite3_bind_int64(sl, 3, t + 200000);
    bind(sl, 4, x->message);
    sql_ok(sql, sqlite3_step(sl), "insert log");
    sqlite3_reset(sl);
  }
  sqlite3_stmt *sts[] = {sp, sh, sl};
  end_bare(sql, sts, 3, path, groups * (uint64_t)(hops + 2), t0, c0, out);
}

/* --kind log, metric, cells through bare SQLite: the same rows into the same
 * schema with one prepared INSERT per row, in one transaction. */
static void run_bare_kind(const char *path, enum kind kind, const struct group *g, uint64_t rows,
                          struct timing *out) {
  int64_t run;
  sqlite3 *sql = new_bare_file(path, &run);
  sqlite3_stmt *st;
  const char *insert = kind == KIND_LOG      ? "INSERT INTO log VALUES (?1, ?2, ?3, 'info', 'probe', ?4)"
                       : kind == KIND_METRIC ? "INSERT INTO metrics VALUES (?1, ?2, ?3, 'latency_s', ?4)"
                                             : "INSERT INTO text_cells VALUES (?1, 1, ?2, ?3, ?4, 'tcp', 80,"
                                               " 'delivered', ?5, ?6, 0)";
  sql_ok(sql, sqlite3_prepare_v2(sql, insert, -1, &st, NULL), "prepare");
  double c0 = cpu_seconds(), t0 = bench_seconds();
  sql_ok(sql, sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
  for (uint64_t i = 0; i < rows; i++) {
    const struct group *x = &g[i % NGROUPS];
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (int64_t)i + 1);
    if (kind == KIND_LOG) {
      sqlite3_bind_int64(st, 3, (int64_t)i * 1000);
      bind(st, 4, x->message);
    } else if (kind == KIND_METRIC) {
      sqlite3_bind_int64(st, 3, (int64_t)i * 1000);
      sqlite3_bind_double(st, 4, (double)(i % 1000) * 1e-6);
    } else {
      bind(st, 3, x->from);
      bind(st, 4, g[(i / 1000) % NGROUPS].to);
      bind(st, 5, i % 97 ? "delivered" : "dropped");
      bind(st, 6, i % 97 ? "correct" : "wrong");
    }
    sql_ok(sql, sqlite3_step(st), "insert");
    sqlite3_reset(st);
  }
  end_bare(sql, &st, 1, path, rows, t0, c0, out);
}

/* --kind reference: the yardstick, "a bare prepared insert", as
 * anyone would first write it: a new file with SQLite's defaults, WAL,
 * synchronous=NORMAL, a table (id INTEGER PRIMARY KEY, n INTEGER, s TEXT)
 * and one prepared INSERT stepped per row in one transaction. Measured
 * beside the writer, so that a machine's speed of the moment (a shared
 * one's changes by a third within the hour) can be told from the
 * writer's. */
static void run_reference(const char *path, const struct group *g, uint64_t rows, struct timing *out) {
  sqlite3 *sql;
  sqlite3_stmt *st;
  remove_db(path);
  if (sqlite3_open(path, &sql) != SQLITE_OK) die(path, "sqlite3_open");
  sql_ok(sql, sqlite3_exec(sql, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                                " CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT)",
                           NULL, NULL, NULL), "schema");
  sql_ok(sql, sqlite3_prepare_v2(sql, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &st, NULL), "prepare");
  double c0 = cpu_seconds(), t0 = bench_seconds();
  sql_ok(sql, sqlite3_exec(sql, "BEGIN", NULL, NULL, NULL), "begin");
  for (uint64_t i = 0; i < rows; i++) {
    sqlite3_bind_int64(st, 1, (int64_t)i + 1);
    sqlite3_bind_int64(st, 2, (int64_t)i * 1000);
    bind(st, 3, g[i % NGROUPS].from);
    sql_ok(sql, sqlite3_step(st), "insert");
    sqlite3_reset(st);
  }
  end_bare(sql, &st, 1, path, rows, t0, c0, out);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, uint64_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: bench_results [--rows N] [--hops N] [--repeat N] [--dir D] [--phase rpt|bare|both]\n"
          "                     [--payload full|small] [--kind trace|log|metric|cells|reference]\n"
          "Rows of one run into a results database file: probes, their hops, log lines.\n"
          "  --rows    rows per run (a probe, its hops and a log line per group); default 2000000\n"
          "  --hops    hops per probe, 1 .. %d; default 6\n"
          "  --repeat  runs of each phase, each in a new file; the median is reported; default 3\n"
          "  --dir     where the database files go; default $TMPDIR or /tmp\n"
          "  --phase   which phases to run; default both\n"
          "  --payload full: strings as a real trace has them (about 200 B a hop); small: the\n"
          "            shortest allowed (about 40 B a hop); default full\n"
          "  --kind    trace: probes, hops and log lines (the default); log, metric or cells:\n"
          "            --rows rows of that kind only; reference: the bare prepared insert\n"
          "            of the issue's yardstick (phase bare only)\n",
          MAX_HOPS);
}

int main(int argc, char **argv) {
  uint64_t rows = 2000000, hops = 6, repeat = 3;
  const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", *phase = "both", *payload = "full";
  enum kind kind = KIND_TRACE;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--rows") && v) {
      bad = bench_parse_u64(v, &rows) || rows < 100;
    } else if (!strcmp(a, "--hops") && v) {
      bad = bench_parse_u64(v, &hops) || hops < 1 || hops > MAX_HOPS;
    } else if (!strcmp(a, "--repeat") && v) {
      bad = bench_parse_u64(v, &repeat) || repeat < 1 || repeat > MAX_RUNS;
    } else if (!strcmp(a, "--dir") && v) {
      dir = v;
    } else if (!strcmp(a, "--phase") && v) {
      phase = v;
      bad = strcmp(v, "rpt") && strcmp(v, "bare") && strcmp(v, "both");
    } else if (!strcmp(a, "--kind") && v) {
      bad = 1;
      for (int k = 0; k < 5; k++)
        if (!strcmp(v, k_kinds[k])) kind = (enum kind)k, bad = 0;
    } else if (!strcmp(a, "--payload") && v) {
      payload = v;
      bad = strcmp(v, "full") && strcmp(v, "small");
    } else {
      fprintf(stderr, "bench_results: unknown or incomplete option '%s'\n", a);
      usage(stderr);
      return 2;
    }
    if (bad) {
      fprintf(stderr, "bench_results: %s: '%s' is out of range\n", a, v);
      return 2;
    }
    i++;
  }
  struct group *g = calloc(NGROUPS, sizeof *g);
  if (!g) die("calloc", "out of memory");
  if (!strcmp(payload, "full")) make_groups(g, (int)hops);
  else make_small_groups(g, (int)hops);
  uint64_t groups = rows / (hops + 2);
  char path[512];
  snprintf(path, sizeof path, "%s/bench_results-%ld.db", dir, (long)getpid());

  for (int which = 0; which < 2; which++) {
    const char *name = which == 0 ? "rpt" : "bare";
    if (strcmp(phase, "both") && strcmp(phase, name)) continue;
    if (which == 0 && kind == KIND_REFERENCE) continue; /* SQLite alone */
    double insert[MAX_RUNS], per_cpu[MAX_RUNS], finish[MAX_RUNS], total[MAX_RUNS];
    struct timing t = {0};
    char digest[RPT_SHA256_HEX_SIZE] = "";
    for (uint64_t r = 0; r < repeat; r++) {
      if (which == 0) run_rpt(path, kind, g, rows, (int)hops, &t);
      else if (kind == KIND_TRACE) run_bare(path, g, groups, (int)hops, &t);
      else if (kind == KIND_REFERENCE) run_reference(path, g, rows, &t);
      else run_bare_kind(path, kind, g, rows, &t);
      insert[r] = (double)t.rows / t.insert_s;
      per_cpu[r] = (double)t.rows / t.insert_cpu_s;
      finish[r] = t.finish_s;
      total[r] = (double)t.rows / (t.insert_s + t.finish_s);
      if (r > 0 && strcmp(digest, t.digest) != 0) die("digest", "two runs of the same rows disagree");
      memcpy(digest, t.digest, sizeof digest);
    }
    double lo = insert[0], hi = insert[0];
    for (uint64_t r = 1; r < repeat; r++) {
      lo = insert[r] < lo ? insert[r] : lo;
      hi = insert[r] > hi ? insert[r] : hi;
    }
    double rate = median(insert, repeat);
    uint64_t probes = kind == KIND_TRACE ? groups : 0, logs = kind == KIND_TRACE ? groups : kind == KIND_LOG ? rows : 0;
    printf("results phase=%s kind=%s payload=%s rows=%" PRIu64 " probes=%" PRIu64 " hops=%" PRIu64 " log=%" PRIu64 " runs=%" PRIu64
           " rows_per_s=%.0f ns_per_row=%.1f min_rows_per_s=%.0f max_rows_per_s=%.0f"
           " rows_per_cpu_s=%.0f",
           name, k_kinds[kind], payload, t.rows, probes, probes * hops, logs, repeat, rate, 1e9 / rate, lo,
           hi, median(per_cpu, repeat));
    if (which == 0)
      printf(" finish_s=%.3f with_finish_rows_per_s=%.0f file_mb=%.0f digest=%s", median(finish, repeat),
             median(total, repeat), t.file_mb, digest);
    printf("\n");
    fflush(stdout);
  }
  free(g);
  return 0;
}
