/* rpt_schema.c: the results database's schema and its forward migrations.
 *
 * The schema version is PRAGMA user_version. `steps[k]` takes a database from
 * version k to k+1; each step runs in its own transaction together with the
 * user_version update, so a crash mid-migration leaves a database at some
 * whole version, never between two. Steps are only ever appended: a released
 * step is never edited, since databases in the field were made by it.
 * Version 0 is an empty file. There are no downward migrations: a database
 * newer than this build is refused before anything is written to it. */
#include <stdio.h>
#include <string.h>
#include "rpt_db_int.h"
#include "rpt_status.h"

struct step {
  const char *what; /* named in the error message if the step fails */
  const char *sql;
};

#define STR_(x) #x
#define STR(x) STR_(x)

static const struct step steps[RPT__SCHEMA_LATEST] = {
    /* 0 -> 1 */
    {"create the runs, log, expectations and metrics tables",
     "PRAGMA application_id = " STR(RPT__APPLICATION_ID) ";"
     "CREATE TABLE runs ("
     "  id INTEGER PRIMARY KEY,"
     "  scenario TEXT NOT NULL CHECK (scenario <> ''),"
     "  seed INTEGER NOT NULL CHECK (seed >= 0),"
     "  profile TEXT NOT NULL CHECK (profile <> ''),"
     "  backend TEXT NOT NULL CHECK (backend <> ''),"
     "  wall_start TEXT NOT NULL,"
     "  wall_end TEXT,"
     "  sim_end_ns INTEGER CHECK (sim_end_ns >= 0),"
     "  status TEXT NOT NULL DEFAULT 'running'"
     "    CHECK (status IN ('running', 'passed', 'failed', 'error')),"
     "  hnsim_version TEXT NOT NULL,"
     "  digest TEXT CHECK (length(digest) = 64 AND digest NOT GLOB '*[^0-9a-f]*'),"
     /* A running run has none of the end fields; a finished one has all. */
     "  CHECK (CASE WHEN status = 'running'"
     "    THEN wall_end IS NULL AND sim_end_ns IS NULL AND digest IS NULL"
     "    ELSE wall_end IS NOT NULL AND sim_end_ns IS NOT NULL AND digest IS NOT NULL END)"
     ") STRICT;"
     "CREATE TABLE log ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),"
     "  source TEXT NOT NULL,"
     "  message TEXT NOT NULL,"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE expectations ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  name TEXT NOT NULL CHECK (name <> ''),"
     "  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),"
     "  detail TEXT NOT NULL,"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE metrics ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  name TEXT NOT NULL CHECK (name <> ''),"
     "  value REAL NOT NULL,"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"},
    /* 1 -> 2 */
    {"add the run_summary view",
     /* What readers use instead of runs: never the raw 'running', which a
      * reader cannot tell from a writer that died (docs/results-schema.md). */
     "CREATE VIEW run_summary AS SELECT"
     "  r.id, r.scenario, r.seed, r.profile, r.backend, r.wall_start, r.wall_end,"
     "  r.sim_end_ns,"
     "  CASE r.status WHEN 'running' THEN 'incomplete' ELSE r.status END AS state,"
     "  r.hnsim_version, r.digest,"
     "  (SELECT count(*) FROM log l WHERE l.run_id = r.id) AS log_rows,"
     "  (SELECT count(*) FROM expectations e WHERE e.run_id = r.id) AS expectations,"
     "  (SELECT count(*) FROM expectations e WHERE e.run_id = r.id AND e.passed = 0)"
     "    AS expectations_failed,"
     "  (SELECT count(*) FROM metrics m WHERE m.run_id = r.id) AS metric_rows"
     " FROM runs r;"},
    /* 2 -> 3 */
    {"add the hcn_calls, probes, probe_hops, truth_tables, truth_cells, faults and snapshots "
     "tables; rebuild log",
     /* The CHECKs repeat the writer's (rpt_rows_write.c), so a row that some
      * other writer puts in is held to the same rules. hcn_calls and
      * snapshots carry JSON documents of kilobytes: rowid tables, as SQLite
      * advises for rows past about 1/20 of a page; the others are small and
      * WITHOUT ROWID, one b-tree per table. A hop or a cell names its probe
      * or table by a foreign key, so deleting a run deletes them either way.
      *
      * A set of names is checked with `=` and OR, never `IN (...)`: SQLite
      * (3.40) codes an IN list of three or more constants in a CHECK as a
      * temporary table built again for every row inserted, which made a log
      * row cost 2.5 times what it does with ORs (rpt_log: 0.37 M against
      * 0.91 M rows/s, docs/results-schema.md). For the same reason this step
      * rebuilds the log table of step 0 with its level CHECK written that
      * way, keeping its rows. */
     "CREATE TABLE log_v3 ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  level TEXT NOT NULL"
     "    CHECK (level = 'debug' OR level = 'info' OR level = 'warn' OR level = 'error'),"
     "  source TEXT NOT NULL,"
     "  message TEXT NOT NULL,"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"
     "INSERT INTO log_v3 (run_id, seq, sim_time_ns, level, source, message)"
     "  SELECT run_id, seq, sim_time_ns, level, source, message FROM log;"
     "DROP VIEW run_summary;"
     "DROP TABLE log;"
     "ALTER TABLE log_v3 RENAME TO log;"
     "CREATE TABLE hcn_calls ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  host TEXT NOT NULL CHECK (host <> ''),"
     "  op TEXT NOT NULL"
     "    CHECK (op = 'create' OR op = 'modify' OR op = 'query' OR op = 'delete'"
     "      OR op = 'enumerate' OR op = 'hnscall'),"
     "  object_type TEXT NOT NULL,"
     "  object_id TEXT,"
     "  method TEXT,"
     "  path TEXT,"
     "  request TEXT,"
     "  response TEXT,"
     "  hresult INTEGER NOT NULL CHECK (hresult BETWEEN 0 AND 4294967295),"
     "  error_record TEXT,"
     "  detail TEXT,"
     "  cost_ns INTEGER NOT NULL CHECK (cost_ns >= 0),"
     "  fault_id INTEGER NOT NULL CHECK (fault_id >= 0),"
     "  origin TEXT NOT NULL,"
     /* Only an HNSCall has a method and a path (NULL when the caller gave
      * none: a refused call is recorded too); an HCN call names the type
      * of object it acts on. */
     "  CHECK (op = 'hnscall' OR (method IS NULL AND path IS NULL AND object_type <> '')),"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT;"
     "CREATE INDEX hcn_calls_by_host ON hcn_calls (run_id, host);"
     "CREATE TABLE probes ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  from_name TEXT NOT NULL CHECK (from_name <> ''),"
     "  to_name TEXT NOT NULL CHECK (to_name <> ''),"
     "  proto TEXT NOT NULL CHECK (proto <> ''),"
     "  dport INTEGER NOT NULL CHECK (dport BETWEEN 0 AND 65535),"
     "  verdict TEXT NOT NULL CHECK (verdict <> ''),"
     "  leg TEXT NOT NULL CHECK (leg = 'request' OR leg = 'reply'),"
     "  reason TEXT NOT NULL,"
     "  sent TEXT,"
     "  received TEXT,"
     "  reply TEXT,"
     "  finished_ns INTEGER NOT NULL CHECK (finished_ns >= sim_time_ns),"
     "  origin TEXT NOT NULL,"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE INDEX probes_by_verdict ON probes (run_id, verdict);"
     "CREATE TABLE probe_hops ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  probe_seq INTEGER NOT NULL CHECK (probe_seq >= 1),"
     "  idx INTEGER NOT NULL CHECK (idx >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  leg TEXT NOT NULL CHECK (leg = 'request' OR leg = 'reply'),"
     "  host TEXT NOT NULL CHECK (host <> ''),"
     "  compartment TEXT NOT NULL,"
     "  port TEXT NOT NULL,"
     "  stage TEXT NOT NULL,"
     "  rule TEXT NOT NULL,"
     "  reason TEXT NOT NULL,"
     "  verdict TEXT NOT NULL CHECK (verdict <> ''),"
     "  flow_before TEXT NOT NULL,"
     "  flow_after TEXT NOT NULL,"
     "  PRIMARY KEY (run_id, probe_seq, idx),"
     "  FOREIGN KEY (run_id, probe_seq) REFERENCES probes (run_id, seq) ON DELETE CASCADE"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE truth_tables ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  name TEXT NOT NULL,"
     "  origin TEXT NOT NULL,"
     "  n_rows INTEGER NOT NULL CHECK (n_rows >= 0),"
     "  n_cols INTEGER NOT NULL CHECK (n_cols >= 0),"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE truth_cells ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  table_seq INTEGER NOT NULL CHECK (table_seq >= 1),"
     "  idx INTEGER NOT NULL CHECK (idx >= 1),"
     "  row_name TEXT NOT NULL CHECK (row_name <> ''),"
     "  col_name TEXT NOT NULL CHECK (col_name <> ''),"
     "  proto TEXT NOT NULL CHECK (proto <> ''),"
     "  dport INTEGER NOT NULL CHECK (dport BETWEEN 0 AND 65535),"
     "  expected TEXT NOT NULL,"
     "  actual TEXT NOT NULL CHECK (actual <> ''),"
     "  outcome TEXT NOT NULL CHECK (outcome = 'correct' OR outcome = 'wrong'"
     "    OR outcome = 'unexpected_pass' OR outcome = 'ignored'),"
     "  probe_seq INTEGER NOT NULL CHECK (probe_seq >= 0),"
     "  PRIMARY KEY (run_id, table_seq, idx),"
     "  FOREIGN KEY (run_id, table_seq) REFERENCES truth_tables (run_id, seq) ON DELETE CASCADE"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE faults ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  host TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind <> ''),"
     "  target TEXT NOT NULL,"
     "  detail TEXT NOT NULL,"
     "  origin TEXT NOT NULL,"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE snapshots ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  host TEXT NOT NULL CHECK (host <> ''),"
     "  label TEXT NOT NULL CHECK (label <> ''),"
     "  document TEXT NOT NULL CHECK (document <> '' AND json_valid(document)),"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT;"
     "CREATE INDEX snapshots_by_label ON snapshots (run_id, label, host);"
     /* The view again (dropped above), with the new tables' counts after
      * the old columns. */
     "CREATE VIEW run_summary AS SELECT"
     "  r.id, r.scenario, r.seed, r.profile, r.backend, r.wall_start, r.wall_end,"
     "  r.sim_end_ns,"
     "  CASE r.status WHEN 'running' THEN 'incomplete' ELSE r.status END AS state,"
     "  r.hnsim_version, r.digest,"
     "  (SELECT count(*) FROM log l WHERE l.run_id = r.id) AS log_rows,"
     "  (SELECT count(*) FROM expectations e WHERE e.run_id = r.id) AS expectations,"
     "  (SELECT count(*) FROM expectations e WHERE e.run_id = r.id AND e.passed = 0)"
     "    AS expectations_failed,"
     "  (SELECT count(*) FROM metrics m WHERE m.run_id = r.id) AS metric_rows,"
     "  (SELECT count(*) FROM hcn_calls c WHERE c.run_id = r.id) AS hcn_calls,"
     "  (SELECT count(*) FROM probes p WHERE p.run_id = r.id) AS probes,"
     "  (SELECT count(*) FROM probes p WHERE p.run_id = r.id AND p.verdict <> 'delivered')"
     "    AS probes_failed,"
     "  (SELECT count(*) FROM faults f WHERE f.run_id = r.id) AS faults,"
     "  (SELECT count(*) FROM snapshots s WHERE s.run_id = r.id) AS snapshots"
     " FROM runs r;"},
    /* 3 -> 4 */
    {"add the suites table and runs.suite",
     /* A suite is the runs one `hnsim run` made, so that a report of "the
      * last run" covers all of them (docs/results-schema.md). */
     "CREATE TABLE suites ("
     "  id INTEGER PRIMARY KEY,"
     "  wall_start TEXT NOT NULL,"
     "  command TEXT NOT NULL"
     ") STRICT;"
     "ALTER TABLE runs ADD COLUMN suite INTEGER REFERENCES suites (id);"
     "CREATE INDEX runs_by_suite ON runs (suite, id);"},
};

static int pragma_int(sqlite3 *sql, const char *pragma, int64_t *out) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(sql, pragma, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      *out = sqlite3_column_int64(st, 0);
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

static int fail(sqlite3 *sql, int rc, char *err, size_t errlen, const char *what) {
  snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(sql));
  return rpt__status_of(rc);
}

int rpt__schema_check(sqlite3 *sql, int *out_version, char *err, size_t errlen) {
  int64_t version = 0, app = 0, objects = 0;
  int rc = pragma_int(sql, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK) rc = pragma_int(sql, "PRAGMA application_id", &app);
  if (rc == SQLITE_OK) rc = pragma_int(sql, "SELECT count(*) FROM sqlite_schema", &objects);
  if (rc != SQLITE_OK) return fail(sql, rc, err, errlen, "reading the schema version");
  if (app != RPT__APPLICATION_ID && (app != 0 || version != 0 || objects != 0)) {
    snprintf(err, errlen,
             "not an hnsim results database (application_id %lld, user_version %lld, "
             "%lld schema objects)",
             (long long)app, (long long)version, (long long)objects);
    return RPT_E_SCHEMA;
  }
  if (version > RPT__SCHEMA_LATEST) {
    snprintf(err, errlen, "database schema version %lld is newer than this hnsim supports (%d)",
             (long long)version, RPT__SCHEMA_LATEST);
    return RPT_E_SCHEMA;
  }
  if (version < 0) {
    snprintf(err, errlen, "database schema version %lld is negative", (long long)version);
    return RPT_E_SCHEMA;
  }
  *out_version = (int)version;
  return RPT_OK;
}

/* Applies step k (k -> k+1) in one transaction. The version is read again
 * inside the transaction: another process may have migrated meanwhile, and
 * then there is nothing left to do. */
static int apply_step(sqlite3 *sql, int k, char *err, size_t errlen) {
  char what[160];
  snprintf(what, sizeof what, "migrating the schema from version %d to %d (%s)", k, k + 1,
           steps[k].what);
  int rc = sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK) return fail(sql, rc, err, errlen, what);
  int64_t now = 0;
  rc = pragma_int(sql, "PRAGMA user_version", &now);
  if (rc == SQLITE_OK && now == k) {
    char bump[64];
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d", k + 1);
    rc = sqlite3_exec(sql, steps[k].sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(sql, bump, NULL, NULL, NULL);
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    int status = fail(sql, rc, err, errlen, what);
    sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
    return status;
  }
  return RPT_OK;
}

int rpt__schema_migrate(sqlite3 *sql, int version, char *err, size_t errlen) {
  int current = 0;
  if (version < 0 || version > RPT__SCHEMA_LATEST) {
    snprintf(err, errlen, "schema version %d is not between 0 and %d", version,
             RPT__SCHEMA_LATEST);
    return RPT_E_INVAL;
  }
  int status = rpt__schema_check(sql, &current, err, errlen);
  if (status != RPT_OK) return status;
  if (current > version) {
    snprintf(err, errlen, "database schema version %d is newer than the %d asked for", current,
             version);
    return RPT_E_SCHEMA;
  }
  for (int k = current; k < version; k++) {
    status = apply_step(sql, k, err, errlen);
    if (status != RPT_OK) return status;
  }
  return RPT_OK;
}

int rpt__db_migrate_to(sqlite3 *sql, int version) {
  char err[RPT__ERRMSG_SIZE];
  if (!sql) return RPT_E_INVAL;
  return rpt__schema_migrate(sql, version, err, sizeof err);
}

int rpt_db_schema_latest(int *out_version) {
  if (!out_version) return RPT_E_INVAL;
  *out_version = RPT__SCHEMA_LATEST;
  return RPT_OK;
}
