/* sim_truth.h: truth tables over a sim_net: sources (an endpoint, a
 * compartment or a host, as a probe names its sender) times targets (an
 * address, a protocol and a port), the observed verdict of every pair,
 * compared with the verdict expected of it, and the tally, as Cyclonus
 * reports a Kubernetes network policy run ("17 wrong, 0 ignored, 64
 * correct", and an "actual vs expected" matrix of "." same, "X" different,
 * "?" ignored: mattfenwick/cyclonus docs/test-runs.md and
 * pkg/connectivity/comparisontable.go).
 *
 * Cyclonus has two outcomes per cell, allowed and blocked, and counts every
 * difference as "wrong". A probe here has five verdicts, so the tally
 * splits Cyclonus's "wrong" in two (the split is the issue's, inferred):
 *   correct          the observed verdict is the expected one (or in the
 *                    expected class: SIM_TRUTH_BLOCKED is any verdict but
 *                    delivered);
 *   unexpected pass  expected anything but delivered, got delivered;
 *   wrong            every other difference: expected delivered and the
 *                    probe was stopped, or stopped another way than
 *                    expected (expected dropped, got no route);
 *   ignored          SIM_TRUTH_IGNORED cells (Cyclonus ignores a pod's
 *                    probe to itself when asked to).
 *
 * Rows and columns are named by labels the table copies; every call takes
 * labels, none takes or returns a pointer into the model or the table. A
 * table holds no sim_net: sim_truth_fill is given one and probes it with
 * sim_probe_run, without a trace, in row-major order (row 0 column 0, row
 * 0 column 1, ...), so the same model and seed give the same table, probe
 * ids and random draws.
 *
 * Functions return SIM_OK or a negative status (SIM_E_INVAL, SIM_E_NOTFOUND
 * for an unknown label, SIM_E_EXISTS for a duplicate label, SIM_E_BUSY for
 * a row or column added once the cells exist, SIM_E_NOMEM, SIM_E_SHORT);
 * on failure the table is unchanged (except sim_truth_fill, below) and
 * sim_truth_last_error names the field and the value. */
#ifndef SIM_TRUTH_H
#define SIM_TRUTH_H
#include <stddef.h>
#include <stdint.h>
#include "sim_addr.h"
#include "sim_net.h"
#include "sim_probe.h"

typedef struct sim_truth sim_truth;

/* What a cell is expected to show: one of the probe verdicts (same values
 * as sim_probe_verdict), any verdict but delivered, or nothing compared. */
typedef enum sim_truth_expect {
  SIM_TRUTH_DELIVERED = SIM_PROBE_DELIVERED,
  SIM_TRUTH_DROPPED = SIM_PROBE_DROPPED,
  SIM_TRUTH_NO_ROUTE = SIM_PROBE_NO_ROUTE,
  SIM_TRUTH_REFUSED = SIM_PROBE_REFUSED,
  SIM_TRUTH_TIMED_OUT = SIM_PROBE_TIMED_OUT,
  SIM_TRUTH_BLOCKED,
  SIM_TRUTH_IGNORED
} sim_truth_expect;

/* How a filled cell compares with its expectation. */
typedef enum sim_truth_outcome {
  SIM_TRUTH_CORRECT = 0,
  SIM_TRUTH_WRONG,
  SIM_TRUTH_UNEXPECTED_PASS,
  SIM_TRUTH_NOT_COMPARED /* the cell is SIM_TRUTH_IGNORED */
} sim_truth_outcome;

typedef struct sim_truth_tally {
  size_t correct, wrong, unexpected_pass, ignored;
} sim_truth_tally;

/* A row: who sends. At most one of from_port and from_compartment;
 * neither is the host compartment (sim_probe_spec). `label` names the row
 * (NULL: "host/from_port", "host/from_compartment" or "host"). */
typedef struct sim_truth_source {
  const char *label;
  const char *host;
  const char *from_port;
  const char *from_compartment;
} sim_truth_source;

/* A column: where to. `port` is 1..65535 for TCP and UDP and 0 for ICMP.
 * `label` names the column (NULL: "10.244.1.5 tcp/80", "10.244.1.5 icmp"). */
typedef struct sim_truth_target {
  const char *label;
  sim_ip dst;
  uint8_t proto; /* SIM_IPPROTO_TCP, _UDP, or ICMP of dst's family */
  uint16_t port;
} sim_truth_target;

/* Labels are at most this many bytes (NUL excluded). */
#define SIM_TRUTH_LABEL_MAX 63

int sim_truth_create(sim_truth **out);
void sim_truth_destroy(sim_truth *t);

/* Why the last failed call failed ("" after a success), never NULL. */
const char *sim_truth_last_error(const sim_truth *t);

/* Rows and columns, in the order added. Names are checked against the
 * model when the table is filled, not here. SIM_E_BUSY once an
 * expectation was set or the table was filled. */
int sim_truth_source_add(sim_truth *t, const sim_truth_source *src);
int sim_truth_target_add(sim_truth *t, const sim_truth_target *dst);
size_t sim_truth_rows(const sim_truth *t);
size_t sim_truth_columns(const sim_truth *t);
/* The label of row i (given or made), NULL out of range. */
const char *sim_truth_row_label(const sim_truth *t, size_t i);
/* Column j, its label given or made (valid while the table lives);
 * SIM_E_INVAL out of range. */
int sim_truth_column(const sim_truth *t, size_t j, sim_truth_target *out);

/* Expectations, later calls overriding earlier ones on the cells they
 * cover: every cell starts as SIM_TRUTH_DELIVERED; then e.g. "delivered
 * everywhere except these cells" is a few sim_truth_expect_cell calls.
 * Setting one after a fill makes the table read as not filled until the
 * next fill, so a tally never mixes two sets of expectations. */
int sim_truth_expect_all(sim_truth *t, sim_truth_expect e);
int sim_truth_expect_row(sim_truth *t, const char *row, sim_truth_expect e);
int sim_truth_expect_column(sim_truth *t, const char *column, sim_truth_expect e);
int sim_truth_expect_cell(sim_truth *t, const char *row, const char *column, sim_truth_expect e);

/* Probes every cell of `net` in row-major order and compares. A probe the
 * model refuses (an unknown host or endpoint, a detached endpoint, no
 * source address of the target's family) stops the fill: the status is
 * the model's, the message names the row, the column and the model's
 * reason, and the table reads as not filled (the probes made before it
 * still advanced the model's probe ids and random streams). */
int sim_truth_fill(sim_truth *t, sim_net *net);

/* The tally of the last successful fill; SIM_E_INVAL before one. */
int sim_truth_tally_get(sim_truth *t, sim_truth_tally *out);

typedef struct sim_truth_cell {
  sim_truth_expect expected;
  sim_probe_verdict observed;
  sim_truth_outcome outcome;
} sim_truth_cell;

/* One filled cell by its row and column labels. */
int sim_truth_cell_get(sim_truth *t, const char *row, const char *column, sim_truth_cell *out);

/* The reason a cell that is wrong or an unexpected pass stopped where it
 * did (the probe's reason; "" when delivered), copied into out (cap bytes,
 * NUL included; SIM_E_SHORT when it does not fit); SIM_E_NOTFOUND for a
 * cell that is neither. Other cells' reasons are not kept: rerun the probe
 * with a trace to see their hops. */
int sim_truth_reason(sim_truth *t, const char *row, const char *column, char *out, size_t cap);

/* The table as text: a header of column labels, one line per row of
 * two-character cells (the observed verdict's mark, then a comparison
 * mark), a legend, the tally, and one line per wrong or unexpected-pass
 * cell with its reason. The same table always gives the same bytes.
 * Writes at most `cap` bytes (NUL included; out may be NULL when cap is 0)
 * and returns the length the whole text needs, as snprintf does; 0 with
 * nothing written before the table is filled. */
size_t sim_truth_format(const sim_truth *t, char *out, size_t cap);

/* "delivered", "dropped", "no route", "refused", "timed out", "blocked",
 * "ignored"; "" for another value. */
const char *sim_truth_expect_name(sim_truth_expect e);

#endif
