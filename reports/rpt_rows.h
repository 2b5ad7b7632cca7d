/* rpt_rows.h: the detailed rows of a run, beside rpt_write.h's log lines,
 * expectations and metrics: every HCN call, every probe and its hops, truth
 * tables and their cells, faults, and snapshots of each host's HNS state.
 * Reports, `hnsim check --run`, compare and export read them back.
 *
 * Writing follows rpt_write.h's rules: only the handle that began a run
 * writes to it (else RPT_E_STATE); rows go into the run's one transaction
 * with the others (rpt_db.h); each table numbers its rows per run
 * 1, 2, ... in call order (a hop and a truth cell are numbered within their
 * probe or table, whatever order the probes' hops come in); arguments are
 * checked before anything is written, a bad one giving RPT_E_INVAL and a
 * message naming the field and the value, writing nothing and leaving
 * *out_seq as it was; strings are copied. A string that "may be NULL" is
 * stored as NULL when NULL and read back as NULL; every other string must
 * not be NULL (it may be "" unless it says "not empty"). The database's
 * CHECKs repeat these rules (docs/results-schema.md). Every row written
 * takes part in the run's digest.
 *
 * Reading follows rpt_read.h's rules: rows come to a callback one at a
 * time, strings valid during the call only, in seq order, from one snapshot
 * of the database; RPT_E_NOTFOUND when there is no such run. */
#ifndef RPT_ROWS_H
#define RPT_ROWS_H
#include <stdint.h>
#include "rpt_db.h"

/* One call through the HNS backend interface (hnsmock/hns_backend.h). */
typedef struct rpt_hcn_call {
  int64_t seq;               /* set by readers; ignored by the writer */
  int64_t sim_time_ns;       /* when the call was made, >= 0 */
  const char *host;          /* not empty */
  const char *op;            /* create, modify, query, delete, enumerate or hnscall */
  const char *object_type;   /* network, endpoint, loadbalancer, namespace, ...; not empty
                                unless op is hnscall (then usually "") */
  const char *object_id;     /* may be NULL */
  const char *method, *path; /* HNSCall's (may be NULL: a call refused for lacking one is
                                recorded too); NULL for every other op */
  const char *request;       /* the JSON document sent; may be NULL */
  const char *response;      /* the JSON answered; may be NULL */
  uint32_t hresult;          /* stored as an INTEGER 0 .. 4294967295 */
  const char *error_record;  /* HNS's ErrorRecord on failure; may be NULL */
  const char *detail;        /* hnsim's words on a refusal or the fault that decided; may be NULL */
  int64_t cost_ns;           /* simulated time the call was charged, >= 0 */
  int64_t fault_id;          /* the injected fault that decided the answer, 0 if none, >= 0 */
  const char *origin;        /* the scenario line that made it, "file.lua:N"; may be "" */
} rpt_hcn_call;

/* One probe: a request and its reply through the modelled data path. Flows
 * are written as text, "PROTO SRC:SPORT -> DST:DPORT" (may be NULL when that
 * leg did not happen). */
typedef struct rpt_probe {
  int64_t seq;          /* set by readers */
  int64_t sim_time_ns;  /* when it was sent, >= 0 */
  const char *from, *to;/* as the scenario named them; not empty */
  const char *proto;    /* tcp, udp, icmp; not empty */
  int dport;            /* 0 .. 65535 (0 for icmp) */
  const char *verdict;  /* delivered, dropped, no route, ... (sim_probe_verdict_name); not empty;
                           anything but "delivered" counts in run_summary's probes_failed */
  const char *leg;      /* "request" or "reply": the leg that decided */
  const char *reason;   /* "" when delivered */
  const char *sent, *received, *reply; /* flows; may be NULL */
  int64_t finished_ns;  /* >= sim_time_ns */
  const char *origin;   /* "file.lua:N", may be "" */
} rpt_probe;

/* One hop of a probe's trace, in the order the packet met them. */
typedef struct rpt_hop {
  int64_t probe_seq;    /* the probe's seq; set by readers, given to the writer as an argument */
  int64_t idx;          /* 1, 2, ... within the probe; set by readers */
  int64_t sim_time_ns;  /* >= 0 */
  const char *leg;      /* "request" or "reply" */
  const char *host;     /* host or router; not empty */
  const char *compartment, *port, *stage, *rule, *reason; /* may be "" */
  const char *verdict;  /* pass, drop, deliver, ...; not empty */
  const char *before, *after; /* flows (may be ""); equal unless the stage translated the packet */
} rpt_hop;

/* A truth table: every row source probing every column target. */
typedef struct rpt_truth_table {
  int64_t seq;          /* set by readers */
  int64_t sim_time_ns;  /* >= 0 */
  const char *name;     /* the scenario's label for it, or "" */
  const char *origin;   /* "file.lua:N", may be "" */
  int64_t rows, cols;   /* >= 0 */
} rpt_truth_table;

typedef struct rpt_truth_cell {
  int64_t table_seq;    /* set by readers, an argument to the writer */
  int64_t idx;          /* 1, 2, ... within the table; set by readers */
  const char *row, *col;/* source and target names; not empty */
  const char *proto;    /* not empty */
  int dport;            /* 0 .. 65535 */
  const char *expected; /* the expected verdict, or "" when nothing was expected */
  const char *actual;   /* the probe's verdict; not empty */
  const char *outcome;  /* correct, wrong, unexpected_pass or ignored */
  int64_t probe_seq;    /* the probe row that decided it (written before the cell), or 0 */
} rpt_truth_cell;

/* A fault injected by the scenario (hnsmock faults, restarts, reboots,
 * link loss, out-of-band deletions). */
typedef struct rpt_fault {
  int64_t seq;          /* set by readers */
  int64_t sim_time_ns;  /* >= 0 */
  const char *host;     /* "" for a fabric fault */
  const char *kind;     /* fail, hang, no_effect, restart, reboot, link, delete, remove ...; not empty */
  const char *target;   /* what it applies to (an op, an object ID, a segment); may be "" */
  const char *detail;   /* a sentence; may be "" */
  const char *origin;   /* "file.lua:N", may be "" */
} rpt_fault;

/* One host's HNS state at a moment: the document hns_check_state writes
 * (hnsmock/hns_check.h), so `hnsim check --run` and export read it as is. */
typedef struct rpt_snapshot {
  int64_t seq;          /* set by readers */
  int64_t sim_time_ns;  /* >= 0 */
  const char *host;     /* not empty */
  const char *label;    /* "end" for the one taken when the run finishes; else the scenario's; not empty */
  const char *document; /* JSON (RFC 8259, as SQLite's json_valid reads it); not empty */
} rpt_snapshot;

/* Writers. *out_seq (may be NULL) receives the row's seq. A struct's seq,
 * probe_seq, table_seq and idx fields that readers set are ignored. */
int rpt_hcn_call_add(rpt_db *db, int64_t run_id, const rpt_hcn_call *c, int64_t *out_seq);
int rpt_probe_add(rpt_db *db, int64_t run_id, const rpt_probe *p, int64_t *out_seq);
/* probe_seq must name a probe already written in this run (1 .. the last
 * probe's seq); the hop gets the next idx of that probe. */
int rpt_hop_add(rpt_db *db, int64_t run_id, int64_t probe_seq, const rpt_hop *h);
int rpt_truth_table_add(rpt_db *db, int64_t run_id, const rpt_truth_table *t, int64_t *out_seq);
/* table_seq must name a truth table already written in this run; the cell
 * gets the next idx of that table. */
int rpt_truth_cell_add(rpt_db *db, int64_t run_id, int64_t table_seq, const rpt_truth_cell *c);
int rpt_fault_add(rpt_db *db, int64_t run_id, const rpt_fault *f, int64_t *out_seq);
int rpt_snapshot_add(rpt_db *db, int64_t run_id, const rpt_snapshot *s, int64_t *out_seq);

/* Readers: a callback returns 0 to go on, anything else stops the walk and
 * is returned. As in rpt_read.h, a callback may read through the handle
 * (another kind of foreach) but not write, nor start the same foreach
 * (RPT_E_STATE). */
typedef int (*rpt_hcn_call_fn)(void *arg, const rpt_hcn_call *row);
typedef int (*rpt_probe_fn)(void *arg, const rpt_probe *row);
typedef int (*rpt_hop_fn)(void *arg, const rpt_hop *row);
typedef int (*rpt_truth_table_fn)(void *arg, const rpt_truth_table *row);
typedef int (*rpt_truth_cell_fn)(void *arg, const rpt_truth_cell *row);
typedef int (*rpt_fault_fn)(void *arg, const rpt_fault *row);
typedef int (*rpt_snapshot_fn)(void *arg, const rpt_snapshot *row);

int rpt_hcn_call_foreach(rpt_db *db, int64_t run_id, rpt_hcn_call_fn fn, void *arg);
int rpt_probe_foreach(rpt_db *db, int64_t run_id, rpt_probe_fn fn, void *arg);
/* probe_seq 0: every hop of the run, by probe then idx; negative: RPT_E_INVAL. */
int rpt_hop_foreach(rpt_db *db, int64_t run_id, int64_t probe_seq, rpt_hop_fn fn, void *arg);
int rpt_truth_table_foreach(rpt_db *db, int64_t run_id, rpt_truth_table_fn fn, void *arg);
/* table_seq 0: every cell of the run, by table then idx; negative: RPT_E_INVAL. */
int rpt_truth_cell_foreach(rpt_db *db, int64_t run_id, int64_t table_seq, rpt_truth_cell_fn fn, void *arg);
int rpt_fault_foreach(rpt_db *db, int64_t run_id, rpt_fault_fn fn, void *arg);
/* label NULL: every snapshot; else only those with that label. */
int rpt_snapshot_foreach(rpt_db *db, int64_t run_id, const char *label, rpt_snapshot_fn fn, void *arg);

#endif
