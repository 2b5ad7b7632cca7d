/* rpt_junit.h: a set of runs as JUnit XML, for CI systems that show test
 * results (tests/corpus/junit/junit.xsd is the format as hnsim writes it). */
#ifndef RPT_JUNIT_H
#define RPT_JUNIT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "rpt_db.h"

/* Writes the runs run_ids[0..n) as one <testsuites> document: one
 * <testsuite> per run, named "SCENARIO [PROFILE]", and in it one <testcase>
 * per expectation in seq order (classname the scenario, name "NAME #SEQ");
 * a failed expectation carries a <failure> whose body is its detail (the
 * hop trace of a probe). A run in state error, or an incomplete one, gets
 * one more testcase, "run", with an <error> holding the run's error log
 * lines. Times are simulated seconds; no wall-clock time is written, so the
 * bytes depend only on the rows. Text is escaped and stripped of what
 * XML 1.0 forbids. Every run is checked first (RPT_E_NOTFOUND); RPT_E_IO if
 * writing fails. */
int rpt_report_junit(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out);

#endif
