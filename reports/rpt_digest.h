/* rpt_digest.h: a finished run's digest, and checking it.
 *
 * The digest is the SHA-256 (lower-case hex) of a canonical encoding of the
 * run's result: its scenario, seed, profile, backend, sim_end_ns and state,
 * then every log, expectation and metric row, and every detailed row of
 * rpt_rows.h (HCN calls, probes, hops, truth tables and cells, faults,
 * snapshots), in table then seq order. Wall clock times, the run id and
 * hnsim_version are left out, so the same scenario and seed give the same
 * digest on any machine, in any database file. docs/results-schema.md gives
 * the encoding byte by byte.
 * rpt_run_finish stores it; these recompute it from the rows as they are. */
#ifndef RPT_DIGEST_H
#define RPT_DIGEST_H
#include <stdint.h>
#include "rpt_db.h"
#include "rpt_sha256.h"

/* Recomputes run `run_id`'s digest from the database into `out` (64 hex
 * digits and a NUL). RPT_E_NOTFOUND if there is no such run, RPT_E_STATE if
 * it is incomplete (a run has a digest only once finished). */
int rpt_run_digest(rpt_db *db, int64_t run_id, char out[RPT_SHA256_HEX_SIZE]);

/* RPT_OK if run `run_id`'s rows still hash to its stored digest; RPT_E_DIGEST,
 * with both digests in the message, if not. Errors as rpt_run_digest. */
int rpt_run_verify(rpt_db *db, int64_t run_id);

#endif
