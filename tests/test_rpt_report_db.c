/* test_rpt_report_db.c: writes the report fixture (test_rpt_report_fixture.h)
 * into the results database named on the command line, for the command-line
 * tests of `hnsim report` (tests/cli/test_report_*.sh). Prints the four run
 * ids, one a line. */
#include <inttypes.h>
#include <stdio.h>
#include "test_rpt_report_fixture.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_rpt_report_db DATABASE\n");
    return 2;
  }
  rpt_db *db;
  int64_t ids[4];
  int rc = rpt_db_open(argv[1], &db);
  if (!rc) rc = fixture_write(db, ids);
  if (rc) {
    fprintf(stderr, "test_rpt_report_db: %s: %s\n", argv[1], rpt_db_errmsg(db));
    rpt_db_close(db);
    return 1;
  }
  for (int i = 0; i < 4; i++) printf("%" PRId64 "\n", ids[i]);
  return rpt_db_close(db) ? 1 : 0;
}
