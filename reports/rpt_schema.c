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
    /* 4 -> 5 */
    {"store the strings of probes, hops and truth cells once per run",
     /* A probe, a hop or a cell names each of its strings by an id into the
      * run's strings table: the writer keeps the run's strings in memory
      * and writes each one once (rpt_intern.h). A row of integers costs
      * SQLite a fraction of a row of text, and a run's traces repeat their
      * hosts, ports, rules and flows row after row (docs/results-schema.md,
      * "How fast"). probe_rows, hop_rows and cell_rows are the stored rows;
      * probes, probe_hops and truth_cells become views with the old tables'
      * columns, so readers, the digest and report queries read what they
      * read before. The views take INSERTs: their triggers check what the
      * old tables' CHECKs and foreign keys did and store each string of the
      * row anew, so the file still holds other writers to the same rules.
      * The stored rows have no foreign keys (hnsim's writer checks a row's
      * run and parent itself, and those lookups cost a sixth of a row's
      * insert); deleting a run deletes them by the trigger runs_delete_rows,
      * its strings by their foreign key. Ids are numbered per run; a
      * probe's sent, received and reply may be NULL, and then have no id. */
     "CREATE TABLE strings ("
     "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
     "  id INTEGER NOT NULL CHECK (id >= 1),"
     "  text TEXT NOT NULL,"
     "  PRIMARY KEY (run_id, id)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE probe_rows ("
     "  run_id INTEGER NOT NULL,"
     "  seq INTEGER NOT NULL CHECK (seq >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  from_name INTEGER NOT NULL,"
     "  to_name INTEGER NOT NULL,"
     "  proto INTEGER NOT NULL,"
     "  dport INTEGER NOT NULL CHECK (dport BETWEEN 0 AND 65535),"
     "  verdict INTEGER NOT NULL,"
     "  leg INTEGER NOT NULL,"
     "  reason INTEGER NOT NULL,"
     "  sent INTEGER,"
     "  received INTEGER,"
     "  reply INTEGER,"
     "  finished_ns INTEGER NOT NULL CHECK (finished_ns >= sim_time_ns),"
     "  origin INTEGER NOT NULL,"
     "  PRIMARY KEY (run_id, seq)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE hop_rows ("
     "  run_id INTEGER NOT NULL,"
     "  probe_seq INTEGER NOT NULL CHECK (probe_seq >= 1),"
     "  idx INTEGER NOT NULL CHECK (idx >= 1),"
     "  sim_time_ns INTEGER NOT NULL CHECK (sim_time_ns >= 0),"
     "  leg INTEGER NOT NULL,"
     "  host INTEGER NOT NULL,"
     "  compartment INTEGER NOT NULL,"
     "  port INTEGER NOT NULL,"
     "  stage INTEGER NOT NULL,"
     "  rule INTEGER NOT NULL,"
     "  reason INTEGER NOT NULL,"
     "  verdict INTEGER NOT NULL,"
     "  flow_before INTEGER NOT NULL,"
     "  flow_after INTEGER NOT NULL,"
     "  PRIMARY KEY (run_id, probe_seq, idx)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TABLE cell_rows ("
     "  run_id INTEGER NOT NULL,"
     "  table_seq INTEGER NOT NULL CHECK (table_seq >= 1),"
     "  idx INTEGER NOT NULL CHECK (idx >= 1),"
     "  row_name INTEGER NOT NULL,"
     "  col_name INTEGER NOT NULL,"
     "  proto INTEGER NOT NULL,"
     "  dport INTEGER NOT NULL CHECK (dport BETWEEN 0 AND 65535),"
     "  expected INTEGER NOT NULL,"
     "  actual INTEGER NOT NULL,"
     "  outcome INTEGER NOT NULL,"
     "  probe_seq INTEGER NOT NULL CHECK (probe_seq >= 0),"
     "  PRIMARY KEY (run_id, table_seq, idx)"
     ") STRICT, WITHOUT ROWID;"
     "CREATE TRIGGER runs_delete_rows AFTER DELETE ON runs BEGIN"
     "  DELETE FROM probe_rows WHERE run_id = OLD.id;"
     "  DELETE FROM hop_rows WHERE run_id = OLD.id;"
     "  DELETE FROM cell_rows WHERE run_id = OLD.id;"
     "END;"
     /* The old rows: each run's distinct strings, numbered in text order. */
     "INSERT INTO strings (run_id, id, text)"
     "  SELECT run_id, row_number() OVER (PARTITION BY run_id ORDER BY text), text FROM ("
     "    SELECT run_id, from_name AS text FROM probes UNION"
     "    SELECT run_id, to_name FROM probes UNION"
     "    SELECT run_id, proto FROM probes UNION"
     "    SELECT run_id, verdict FROM probes UNION"
     "    SELECT run_id, leg FROM probes UNION"
     "    SELECT run_id, reason FROM probes UNION"
     "    SELECT run_id, sent FROM probes WHERE sent IS NOT NULL UNION"
     "    SELECT run_id, received FROM probes WHERE received IS NOT NULL UNION"
     "    SELECT run_id, reply FROM probes WHERE reply IS NOT NULL UNION"
     "    SELECT run_id, origin FROM probes UNION"
     "    SELECT run_id, leg FROM probe_hops UNION"
     "    SELECT run_id, host FROM probe_hops UNION"
     "    SELECT run_id, compartment FROM probe_hops UNION"
     "    SELECT run_id, port FROM probe_hops UNION"
     "    SELECT run_id, stage FROM probe_hops UNION"
     "    SELECT run_id, rule FROM probe_hops UNION"
     "    SELECT run_id, reason FROM probe_hops UNION"
     "    SELECT run_id, verdict FROM probe_hops UNION"
     "    SELECT run_id, flow_before FROM probe_hops UNION"
     "    SELECT run_id, flow_after FROM probe_hops UNION"
     "    SELECT run_id, row_name FROM truth_cells UNION"
     "    SELECT run_id, col_name FROM truth_cells UNION"
     "    SELECT run_id, proto FROM truth_cells UNION"
     "    SELECT run_id, expected FROM truth_cells UNION"
     "    SELECT run_id, actual FROM truth_cells UNION"
     "    SELECT run_id, outcome FROM truth_cells"
     "  );"
     "CREATE INDEX strings_migrating ON strings (run_id, text);"
     "INSERT INTO probe_rows SELECT"
     "  p.run_id,"
     "  p.seq,"
     "  p.sim_time_ns,"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.from_name),"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.to_name),"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.proto),"
     "  p.dport,"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.verdict),"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.leg),"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.reason),"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.sent),"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.received),"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.reply),"
     "  p.finished_ns,"
     "  (SELECT id FROM strings s WHERE s.run_id = p.run_id AND s.text = p.origin)"
     "  FROM probes p;"
     "INSERT INTO hop_rows SELECT"
     "  h.run_id,"
     "  h.probe_seq,"
     "  h.idx,"
     "  h.sim_time_ns,"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.leg),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.host),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.compartment),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.port),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.stage),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.rule),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.reason),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.verdict),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.flow_before),"
     "  (SELECT id FROM strings s WHERE s.run_id = h.run_id AND s.text = h.flow_after)"
     "  FROM probe_hops h;"
     "INSERT INTO cell_rows SELECT"
     "  c.run_id,"
     "  c.table_seq,"
     "  c.idx,"
     "  (SELECT id FROM strings s WHERE s.run_id = c.run_id AND s.text = c.row_name),"
     "  (SELECT id FROM strings s WHERE s.run_id = c.run_id AND s.text = c.col_name),"
     "  (SELECT id FROM strings s WHERE s.run_id = c.run_id AND s.text = c.proto),"
     "  c.dport,"
     "  (SELECT id FROM strings s WHERE s.run_id = c.run_id AND s.text = c.expected),"
     "  (SELECT id FROM strings s WHERE s.run_id = c.run_id AND s.text = c.actual),"
     "  (SELECT id FROM strings s WHERE s.run_id = c.run_id AND s.text = c.outcome),"
     "  c.probe_seq"
     "  FROM truth_cells c;"
     "DROP INDEX strings_migrating;"
     "DROP VIEW run_summary;"
     "DROP TABLE probe_hops;"
     "DROP TABLE truth_cells;"
     "DROP TABLE probes;"
     "CREATE VIEW probes AS SELECT"
     "  p.run_id,"
     "  p.seq,"
     "  p.sim_time_ns,"
     "  s0.text AS from_name,"
     "  s1.text AS to_name,"
     "  s2.text AS proto,"
     "  p.dport,"
     "  s3.text AS verdict,"
     "  s4.text AS leg,"
     "  s5.text AS reason,"
     "  s6.text AS sent,"
     "  s7.text AS received,"
     "  s8.text AS reply,"
     "  p.finished_ns,"
     "  s9.text AS origin"
     "  FROM probe_rows p"
     "  JOIN strings s0 ON s0.run_id = p.run_id AND s0.id = p.from_name"
     "  JOIN strings s1 ON s1.run_id = p.run_id AND s1.id = p.to_name"
     "  JOIN strings s2 ON s2.run_id = p.run_id AND s2.id = p.proto"
     "  JOIN strings s3 ON s3.run_id = p.run_id AND s3.id = p.verdict"
     "  JOIN strings s4 ON s4.run_id = p.run_id AND s4.id = p.leg"
     "  JOIN strings s5 ON s5.run_id = p.run_id AND s5.id = p.reason"
     "  LEFT JOIN strings s6 ON s6.run_id = p.run_id AND s6.id = p.sent"
     "  LEFT JOIN strings s7 ON s7.run_id = p.run_id AND s7.id = p.received"
     "  LEFT JOIN strings s8 ON s8.run_id = p.run_id AND s8.id = p.reply"
     "  JOIN strings s9 ON s9.run_id = p.run_id AND s9.id = p.origin;"
     "CREATE VIEW probe_hops AS SELECT"
     "  h.run_id,"
     "  h.probe_seq,"
     "  h.idx,"
     "  h.sim_time_ns,"
     "  s0.text AS leg,"
     "  s1.text AS host,"
     "  s2.text AS compartment,"
     "  s3.text AS port,"
     "  s4.text AS stage,"
     "  s5.text AS rule,"
     "  s6.text AS reason,"
     "  s7.text AS verdict,"
     "  s8.text AS flow_before,"
     "  s9.text AS flow_after"
     "  FROM hop_rows h"
     "  JOIN strings s0 ON s0.run_id = h.run_id AND s0.id = h.leg"
     "  JOIN strings s1 ON s1.run_id = h.run_id AND s1.id = h.host"
     "  JOIN strings s2 ON s2.run_id = h.run_id AND s2.id = h.compartment"
     "  JOIN strings s3 ON s3.run_id = h.run_id AND s3.id = h.port"
     "  JOIN strings s4 ON s4.run_id = h.run_id AND s4.id = h.stage"
     "  JOIN strings s5 ON s5.run_id = h.run_id AND s5.id = h.rule"
     "  JOIN strings s6 ON s6.run_id = h.run_id AND s6.id = h.reason"
     "  JOIN strings s7 ON s7.run_id = h.run_id AND s7.id = h.verdict"
     "  JOIN strings s8 ON s8.run_id = h.run_id AND s8.id = h.flow_before"
     "  JOIN strings s9 ON s9.run_id = h.run_id AND s9.id = h.flow_after;"
     "CREATE VIEW truth_cells AS SELECT"
     "  c.run_id,"
     "  c.table_seq,"
     "  c.idx,"
     "  s0.text AS row_name,"
     "  s1.text AS col_name,"
     "  s2.text AS proto,"
     "  c.dport,"
     "  s3.text AS expected,"
     "  s4.text AS actual,"
     "  s5.text AS outcome,"
     "  c.probe_seq"
     "  FROM cell_rows c"
     "  JOIN strings s0 ON s0.run_id = c.run_id AND s0.id = c.row_name"
     "  JOIN strings s1 ON s1.run_id = c.run_id AND s1.id = c.col_name"
     "  JOIN strings s2 ON s2.run_id = c.run_id AND s2.id = c.proto"
     "  JOIN strings s3 ON s3.run_id = c.run_id AND s3.id = c.expected"
     "  JOIN strings s4 ON s4.run_id = c.run_id AND s4.id = c.actual"
     "  JOIN strings s5 ON s5.run_id = c.run_id AND s5.id = c.outcome;"
     "CREATE TRIGGER probes_insert INSTEAD OF INSERT ON probes BEGIN"
     "  SELECT RAISE(ABORT, 'probes: no run (run_id) for this probe')"
     "    WHERE NOT EXISTS (SELECT 1 FROM runs WHERE id = NEW.run_id);"
     "  SELECT RAISE(ABORT, 'probes: a text column is NULL')"
     "    WHERE NEW.from_name IS NULL OR NEW.to_name IS NULL OR NEW.proto IS NULL OR"
     "      NEW.verdict IS NULL OR NEW.leg IS NULL OR NEW.reason IS NULL OR NEW.origin IS NULL;"
     "  SELECT RAISE(ABORT, 'probes: from_name, to_name, proto or verdict is empty')"
     "    WHERE NEW.from_name = '' OR NEW.to_name = '' OR NEW.proto = '' OR NEW.verdict = '';"
     "  SELECT RAISE(ABORT, 'probes: leg is not request or reply')"
     "    WHERE NEW.leg IS NOT 'request' AND NEW.leg IS NOT 'reply';"
     "  INSERT INTO strings (run_id, id, text)"
     "    SELECT NEW.run_id, b.last + v.k, v.t"
     "    FROM (SELECT coalesce(max(id), 0) AS last FROM strings WHERE run_id = NEW.run_id) b,"
     "      (SELECT 1 AS k, NEW.from_name AS t"
     "       UNION ALL SELECT 2, NEW.to_name"
     "       UNION ALL SELECT 3, NEW.proto"
     "       UNION ALL SELECT 4, NEW.verdict"
     "       UNION ALL SELECT 5, NEW.leg"
     "       UNION ALL SELECT 6, NEW.reason"
     "       UNION ALL SELECT 7, NEW.sent"
     "       UNION ALL SELECT 8, NEW.received"
     "       UNION ALL SELECT 9, NEW.reply"
     "       UNION ALL SELECT 10, NEW.origin"
     "      ) v WHERE v.t IS NOT NULL;"
     "  INSERT INTO probe_rows SELECT"
     "    NEW.run_id,"
     "    NEW.seq,"
     "    NEW.sim_time_ns,"
     "    m - 9,"
     "    m - 8,"
     "    m - 7,"
     "    NEW.dport,"
     "    m - 6,"
     "    m - 5,"
     "    m - 4,"
     "    CASE WHEN NEW.sent IS NULL THEN NULL ELSE m - 3 END,"
     "    CASE WHEN NEW.received IS NULL THEN NULL ELSE m - 2 END,"
     "    CASE WHEN NEW.reply IS NULL THEN NULL ELSE m - 1 END,"
     "    NEW.finished_ns,"
     "    m"
     "    FROM (SELECT max(id) AS m FROM strings WHERE run_id = NEW.run_id);"
     "END;"
     "CREATE TRIGGER probe_hops_insert INSTEAD OF INSERT ON probe_hops BEGIN"
     "  SELECT RAISE(ABORT, 'probe_hops: a text column is NULL')"
     "    WHERE NEW.leg IS NULL OR NEW.host IS NULL OR NEW.compartment IS NULL OR"
     "      NEW.port IS NULL OR NEW.stage IS NULL OR NEW.rule IS NULL OR NEW.reason IS NULL OR"
     "      NEW.verdict IS NULL OR NEW.flow_before IS NULL OR NEW.flow_after IS NULL;"
     "  SELECT RAISE(ABORT, 'probe_hops: no probe (run_id, probe_seq) for this hop')"
     "    WHERE NOT EXISTS (SELECT 1 FROM probe_rows WHERE run_id = NEW.run_id AND seq = NEW.probe_seq);"
     "  SELECT RAISE(ABORT, 'probe_hops: leg is not request or reply')"
     "    WHERE NEW.leg IS NOT 'request' AND NEW.leg IS NOT 'reply';"
     "  SELECT RAISE(ABORT, 'probe_hops: host or verdict is empty')"
     "    WHERE NEW.host = '' OR NEW.verdict = '';"
     "  INSERT INTO strings (run_id, id, text)"
     "    SELECT NEW.run_id, b.last + v.k, v.t"
     "    FROM (SELECT coalesce(max(id), 0) AS last FROM strings WHERE run_id = NEW.run_id) b,"
     "      (SELECT 1 AS k, NEW.leg AS t"
     "       UNION ALL SELECT 2, NEW.host"
     "       UNION ALL SELECT 3, NEW.compartment"
     "       UNION ALL SELECT 4, NEW.port"
     "       UNION ALL SELECT 5, NEW.stage"
     "       UNION ALL SELECT 6, NEW.rule"
     "       UNION ALL SELECT 7, NEW.reason"
     "       UNION ALL SELECT 8, NEW.verdict"
     "       UNION ALL SELECT 9, NEW.flow_before"
     "       UNION ALL SELECT 10, NEW.flow_after"
     "      ) v WHERE v.t IS NOT NULL;"
     "  INSERT INTO hop_rows SELECT"
     "    NEW.run_id,"
     "    NEW.probe_seq,"
     "    NEW.idx,"
     "    NEW.sim_time_ns,"
     "    m - 9,"
     "    m - 8,"
     "    m - 7,"
     "    m - 6,"
     "    m - 5,"
     "    m - 4,"
     "    m - 3,"
     "    m - 2,"
     "    m - 1,"
     "    m"
     "    FROM (SELECT max(id) AS m FROM strings WHERE run_id = NEW.run_id);"
     "END;"
     "CREATE TRIGGER truth_cells_insert INSTEAD OF INSERT ON truth_cells BEGIN"
     "  SELECT RAISE(ABORT, 'truth_cells: a text column is NULL')"
     "    WHERE NEW.row_name IS NULL OR NEW.col_name IS NULL OR NEW.proto IS NULL OR"
     "      NEW.expected IS NULL OR NEW.actual IS NULL OR NEW.outcome IS NULL;"
     "  SELECT RAISE(ABORT, 'truth_cells: no truth table (run_id, table_seq) for this cell')"
     "    WHERE NOT EXISTS (SELECT 1 FROM truth_tables WHERE run_id = NEW.run_id AND seq = NEW.table_seq);"
     "  SELECT RAISE(ABORT, 'truth_cells: row_name, col_name, proto or actual is empty')"
     "    WHERE NEW.row_name = '' OR NEW.col_name = '' OR NEW.proto = '' OR NEW.actual = '';"
     "  SELECT RAISE(ABORT, 'truth_cells: outcome is not correct, wrong, unexpected_pass or ignored')"
     "    WHERE NEW.outcome IS NOT 'correct' AND NEW.outcome IS NOT 'wrong' AND"
     "      NEW.outcome IS NOT 'unexpected_pass' AND NEW.outcome IS NOT 'ignored';"
     "  INSERT INTO strings (run_id, id, text)"
     "    SELECT NEW.run_id, b.last + v.k, v.t"
     "    FROM (SELECT coalesce(max(id), 0) AS last FROM strings WHERE run_id = NEW.run_id) b,"
     "      (SELECT 1 AS k, NEW.row_name AS t"
     "       UNION ALL SELECT 2, NEW.col_name"
     "       UNION ALL SELECT 3, NEW.proto"
     "       UNION ALL SELECT 4, NEW.expected"
     "       UNION ALL SELECT 5, NEW.actual"
     "       UNION ALL SELECT 6, NEW.outcome"
     "      ) v WHERE v.t IS NOT NULL;"
     "  INSERT INTO cell_rows SELECT"
     "    NEW.run_id,"
     "    NEW.table_seq,"
     "    NEW.idx,"
     "    m - 5,"
     "    m - 4,"
     "    m - 3,"
     "    NEW.dport,"
     "    m - 2,"
     "    m - 1,"
     "    m,"
     "    NEW.probe_seq"
     "    FROM (SELECT max(id) AS m FROM strings WHERE run_id = NEW.run_id);"
     "END;"
     /* The summary again (dropped above, as it read the probes table), with
      * the same columns; it counts probes in probe_rows, where a count
      * needs no string. */
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
     "  (SELECT count(*) FROM probe_rows p WHERE p.run_id = r.id) AS probes,"
     "  (SELECT count(*) FROM probe_rows p JOIN strings v ON v.run_id = p.run_id AND v.id = p.verdict"
     "    WHERE p.run_id = r.id AND v.text <> 'delivered') AS probes_failed,"
     "  (SELECT count(*) FROM faults f WHERE f.run_id = r.id) AS faults,"
     "  (SELECT count(*) FROM snapshots s WHERE s.run_id = r.id) AS snapshots"
     " FROM runs r;"},
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
