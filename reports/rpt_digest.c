/* rpt_digest.c: the canonical encoding of a run's result and its SHA-256.
 *
 * The encoding is a sequence of items, each a one-byte tag, a length as an
 * unsigned 64-bit big-endian integer, and that many bytes:
 *   'T' text: its UTF-8 bytes, no terminator
 *   'I' integer: 8 bytes, two's complement, big-endian
 *   'R' real: 8 bytes, the IEEE-754 binary64 bit pattern, big-endian
 *       (-0.0 is written as +0.0: SQLite does not keep the sign of a zero)
 *   'S' section: the section's name as bytes
 *   'W' row: no bytes; starts each row of a section
 *   'N' null: no bytes; a column that holds SQL NULL
 * The stream is: T "hnsim-digest-v1"; S "run", T scenario, I seed, T profile,
 * T backend, I sim_end_ns, T state; S "log", then per row W, I seq,
 * I sim_time_ns, T level, T source, T message; S "expectations", per row W,
 * I seq, I sim_time_ns, T name, I passed, T detail; S "metrics", per row W,
 * I seq, I sim_time_ns, T name, R value. Then the detailed rows of
 * rpt_rows.h, table by table in the order of `k_detail` below, each section
 * only when the run has rows in that table: so a run without any hashes to
 * exactly what it did before they existed, and every digest an older hnsim
 * stored still verifies. Every item says its own length, so no two different
 * results encode to the same bytes. Changing any of this changes digests:
 * bump the "v1" and say so in docs/results-schema.md.
 * Probes, hops and cells are hashed as their views (probes, probe_hops,
 * truth_cells) read, texts and all, but read from their stored rows of
 * string ids with the texts looked up in rpt_strings.h's cache: the same
 * items, without a join per text. */
#include "rpt_digest.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "rpt_db_int.h"
#include "rpt_strings.h"

#define DIGEST_VERSION "hnsim-digest-v1"

static void put_head(rpt_sha256 *h, char tag, uint64_t len) {
  uint8_t b[9];
  b[0] = (uint8_t)tag;
  for (int i = 0; i < 8; i++) b[1 + i] = (uint8_t)(len >> (56 - 8 * i));
  rpt_sha256_update(h, b, sizeof b);
}

static void put_u64(rpt_sha256 *h, char tag, uint64_t v) {
  uint8_t b[8];
  put_head(h, tag, 8);
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (56 - 8 * i));
  rpt_sha256_update(h, b, sizeof b);
}

static void put_int(rpt_sha256 *h, int64_t v) { put_u64(h, 'I', (uint64_t)v); }

static void put_real(rpt_sha256 *h, double v) {
  uint64_t bits;
  if (v == 0) v = 0.0; /* +0.0 for both zeros */
  memcpy(&bits, &v, sizeof bits);
  put_u64(h, 'R', bits);
}

static void put_bytes(rpt_sha256 *h, char tag, const void *s, size_t n) {
  put_head(h, tag, n);
  rpt_sha256_update(h, s, n);
}

static void put_text(rpt_sha256 *h, const char *s) { put_bytes(h, 'T', s, strlen(s)); }

/* A text column: its bytes as stored (length from SQLite, not strlen). */
static void put_column_text(rpt_sha256 *h, sqlite3_stmt *st, int col) {
  const unsigned char *s = sqlite3_column_text(st, col);
  int n = sqlite3_column_bytes(st, col);
  put_bytes(h, 'T', s, s ? (size_t)n : 0);
}

/* The run's header fields, as stored. `status` is the raw runs.status. */
struct head {
  int64_t sim_end_ns;
  int has_sim_end;
  char status[16];
  char digest[RPT_SHA256_HEX_SIZE]; /* "" if none */
};

static const char head_sql[] =
    "SELECT scenario, seed, profile, backend, sim_end_ns, status, digest FROM runs WHERE id = ?1";

/* Reads the header of run `run_id`; if `h` is given, hashes its first four
 * fields into it. */
static int read_head(rpt_db *db, int64_t run_id, struct head *out, rpt_sha256 *h) {
  sqlite3_stmt *st;
  int status = rpt__stmt(db, RPT__ST_RUN_HEAD, head_sql, &st);
  if (status != RPT_OK) return status;
  sqlite3_bind_int64(st, 1, run_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    if (h) {
      put_column_text(h, st, 0);
      put_int(h, sqlite3_column_int64(st, 1));
      put_column_text(h, st, 2);
      put_column_text(h, st, 3);
    }
    out->has_sim_end = sqlite3_column_type(st, 4) != SQLITE_NULL;
    out->sim_end_ns = sqlite3_column_int64(st, 4);
    const unsigned char *s = sqlite3_column_text(st, 5);
    snprintf(out->status, sizeof out->status, "%s", s ? (const char *)s : "");
    s = sqlite3_column_text(st, 6);
    snprintf(out->digest, sizeof out->digest, "%s", s ? (const char *)s : "");
    status = RPT_OK;
  } else if (rc == SQLITE_DONE) {
    status = rpt__err(db, RPT_E_NOTFOUND, "no run with id %" PRId64, run_id);
  } else {
    status = rpt__sqlerr(db, rc, "reading the run");
  }
  rpt__stmt_done(st);
  return status;
}

/* One table's rows as the digest takes them. `kinds` gives each selected
 * column's item type ('T', 'I' or 'R'); a NULL in any column is 'N'. 'X'
 * and 'x' are string ids hashed as their texts ('T'): a row with an 'X'
 * whose string is missing is left out, and an 'x' whose string is missing
 * is 'N', as the view's JOIN and LEFT JOIN have it. */
struct section {
  const char *name;
  enum rpt__stmt_id id;
  const char *sql; /* ?1 is the run id; rows in the digest's order */
  const char *kinds;
};

/* Hashes every row of one table for run `run_id`. The section's S item is
 * written before the first row, or with no row at all when `always`. */
static int hash_rows(rpt_db *db, rpt_sha256 *h, int64_t run_id, const struct section *sec, int always,
                     struct rpt__strings *strings) {
  sqlite3_stmt *st;
  struct rpt__row_texts texts = {0};
  int status = rpt__stmt(db, sec->id, sec->sql, &st);
  if (status != RPT_OK) return status;
  if (always) put_bytes(h, 'S', sec->name, strlen(sec->name));
  sqlite3_bind_int64(st, 1, run_id);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (!rpt__strings_row(strings, st, sec->kinds, &texts, &status)) {
      if (status != RPT_OK) break;
      continue;
    }
    if (!always) {
      put_bytes(h, 'S', sec->name, strlen(sec->name));
      always = 1;
    }
    put_head(h, 'W', 0);
    for (int c = 0; sec->kinds[c]; c++) {
      char k = sec->kinds[c];
      if (k == 'X' || k == 'x') {
        size_t len;
        const char *text = rpt__row_text(&texts, c, &len);
        if (text) put_bytes(h, 'T', text, len);
        else put_head(h, 'N', 0);
      } else if (sqlite3_column_type(st, c) == SQLITE_NULL) put_head(h, 'N', 0);
      else if (k == 'T') put_column_text(h, st, c);
      else if (k == 'I') put_int(h, sqlite3_column_int64(st, c));
      else put_real(h, sqlite3_column_double(st, c));
    }
  }
  if (status == RPT_OK && rc != SQLITE_DONE) status = rpt__sqlerr(db, rc, "reading rows for the digest");
  rpt__stmt_done(st);
  rpt__row_texts_free(&texts);
  return status;
}

/* The three sections every digest has, even when empty. */
static const struct section k_base[] = {
    {"log", RPT__ST_DIGEST_LOG,
     "SELECT seq, sim_time_ns, level, source, message FROM log WHERE run_id = ?1 ORDER BY seq",
     "IITTT"},
    {"expectations", RPT__ST_DIGEST_EXPECTATIONS,
     "SELECT seq, sim_time_ns, name, passed, detail FROM expectations WHERE run_id = ?1 ORDER BY seq",
     "IITIT"},
    {"metrics", RPT__ST_DIGEST_METRICS,
     "SELECT seq, sim_time_ns, name, value FROM metrics WHERE run_id = ?1 ORDER BY seq", "IITR"},
};

/* The detailed rows (rpt_rows.h), in this order; a section only when it has
 * rows. Columns as in the table, run_id left out. */
static const struct section k_detail[] = {
    {"hcn_calls", RPT__ST_DIGEST_HCN_CALLS,
     "SELECT seq, sim_time_ns, host, op, object_type, object_id, method, path, request, response,"
     " hresult, error_record, detail, cost_ns, fault_id, origin FROM hcn_calls"
     " WHERE run_id = ?1 ORDER BY seq",
     "IITTTTTTTTITTIIT"},
    {"probes", RPT__ST_DIGEST_PROBES,
     "SELECT seq, sim_time_ns, from_name, to_name, proto, dport, verdict, leg, reason, sent,"
     " received, reply, finished_ns, origin FROM probe_rows WHERE run_id = ?1 ORDER BY seq",
     "IIXXXIXXXxxxIX"},
    {"probe_hops", RPT__ST_DIGEST_HOPS,
     "SELECT probe_seq, idx, sim_time_ns, leg, host, compartment, port, stage, rule, reason,"
     " verdict, flow_before, flow_after FROM hop_rows WHERE run_id = ?1 ORDER BY probe_seq, idx",
     "IIIXXXXXXXXXX"},
    {"truth_tables", RPT__ST_DIGEST_TRUTH_TABLES,
     "SELECT seq, sim_time_ns, name, origin, n_rows, n_cols FROM truth_tables"
     " WHERE run_id = ?1 ORDER BY seq",
     "IITTII"},
    {"truth_cells", RPT__ST_DIGEST_TRUTH_CELLS,
     "SELECT table_seq, idx, row_name, col_name, proto, dport, expected, actual, outcome, probe_seq"
     " FROM cell_rows WHERE run_id = ?1 ORDER BY table_seq, idx",
     "IIXXXIXXXI"},
    {"faults", RPT__ST_DIGEST_FAULTS,
     "SELECT seq, sim_time_ns, host, kind, target, detail, origin FROM faults"
     " WHERE run_id = ?1 ORDER BY seq",
     "IITTTTT"},
    {"snapshots", RPT__ST_DIGEST_SNAPSHOTS,
     "SELECT seq, sim_time_ns, host, label, document FROM snapshots WHERE run_id = ?1 ORDER BY seq",
     "IITTT"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int rpt__digest_compute(rpt_db *db, int64_t run_id, int64_t sim_end_ns, const char *status_name,
                        char out[65]) {
  rpt_sha256 h;
  struct head head;
  uint8_t raw[RPT_SHA256_SIZE];
  int started, status = rpt__read_begin(db, &started);
  if (status != RPT_OK) return status;
  rpt_sha256_init(&h);
  put_text(&h, DIGEST_VERSION);
  put_bytes(&h, 'S', "run", 3);
  status = read_head(db, run_id, &head, &h);
  if (status == RPT_OK) {
    put_int(&h, sim_end_ns);
    put_text(&h, status_name);
  }
  struct rpt__strings strings = {0};
  if (status == RPT_OK) status = rpt__strings_open(db, run_id, &strings);
  for (size_t i = 0; status == RPT_OK && i < COUNT(k_base); i++)
    status = hash_rows(db, &h, run_id, &k_base[i], 1, &strings);
  for (size_t i = 0; status == RPT_OK && i < COUNT(k_detail); i++)
    status = hash_rows(db, &h, run_id, &k_detail[i], 0, &strings);
  rpt__strings_close(&strings);
  rpt__read_end(db, started);
  if (status != RPT_OK) return status;
  rpt_sha256_final(&h, raw);
  return rpt_sha256_to_hex(raw, out);
}

/* Recomputes a finished run's digest; `head` gets what is stored. */
static int recompute(rpt_db *db, int64_t run_id, struct head *head, char out[RPT_SHA256_HEX_SIZE]) {
  int started, status = rpt__read_begin(db, &started);
  if (status != RPT_OK) return status;
  status = read_head(db, run_id, head, NULL);
  if (status == RPT_OK && (strcmp(head->status, "running") == 0 || !head->has_sim_end))
    status = rpt__err(db, RPT_E_STATE, "run %" PRId64 " is incomplete: it has no digest", run_id);
  if (status == RPT_OK) status = rpt__digest_compute(db, run_id, head->sim_end_ns, head->status, out);
  rpt__read_end(db, started);
  return status;
}

int rpt_run_digest(rpt_db *db, int64_t run_id, char out[RPT_SHA256_HEX_SIZE]) {
  struct head head;
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if (!out) return rpt__err(db, RPT_E_INVAL, "rpt_run_digest: out is NULL");
  return recompute(db, run_id, &head, out);
}

int rpt_run_verify(rpt_db *db, int64_t run_id) {
  struct head head;
  char now[RPT_SHA256_HEX_SIZE];
  int status = rpt__enter(db);
  if (status != RPT_OK) return status;
  if ((status = recompute(db, run_id, &head, now)) != RPT_OK) return status;
  if (strcmp(now, head.digest) != 0)
    return rpt__err(db, RPT_E_DIGEST, "run %" PRId64 ": stored digest %s, but its rows hash to %s",
                    run_id, head.digest[0] ? head.digest : "(none)", now);
  return RPT_OK;
}
