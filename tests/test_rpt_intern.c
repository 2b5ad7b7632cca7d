/* test_rpt_intern.c: the per-run table of interned strings
 * (reports/rpt_intern.h): ids from 1 in the order strings are first met, a
 * string met again keeps its id in any column, a string not kept leaves its
 * id to the next one, and a full table forgets its strings and numbers on
 * (a string met again then gets a second id) - and, through the writer,
 * hops whose strings outgrow the table still read back as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpt.h"
#include "rpt_db_int.h"
#include "rpt_intern.h"
#include "rpt_rows.h"

#define TEST_TMPDIR_TAG "rpt-intern"
#include "test_tmpdir.h"
#include "rpt_test_db.h"

static int64_t intern(struct rpt__intern *in, const char *s, unsigned column, int *is_new) {
  int64_t id = rpt__intern_find(in, s, column, is_new);
  if (*is_new) assert_int_equal(rpt__intern_keep(in, s, column), 0);
  return id;
}

static void ids_in_order_of_first_meeting(void **state) {
  (void)state;
  struct rpt__intern in = {0};
  int is_new;
  assert_int_equal(intern(&in, "node1", 0, &is_new), 1);
  assert_true(is_new);
  assert_int_equal(intern(&in, "", 1, &is_new), 2);
  assert_true(is_new);
  assert_int_equal(intern(&in, "node1", 0, &is_new), 1); /* same column */
  assert_false(is_new);
  assert_int_equal(intern(&in, "node1", 5, &is_new), 1); /* another column */
  assert_false(is_new);
  assert_int_equal(intern(&in, "node", 0, &is_new), 3); /* a prefix of the column's last */
  assert_true(is_new);
  assert_int_equal(intern(&in, "node12", 0, &is_new), 4); /* longer than it */
  assert_true(is_new);
  assert_int_equal(intern(&in, "", 0, &is_new), 2);
  assert_false(is_new);
  /* Looked up but not kept: the id goes to the next new string. */
  assert_int_equal(rpt__intern_find(&in, "dropped", 2, &is_new), 5);
  assert_true(is_new);
  assert_int_equal(intern(&in, "other", 2, &is_new), 5);
  assert_int_equal(intern(&in, "dropped", 3, &is_new), 6);
  /* Many strings: the table grows and every one keeps its id. */
  char s[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(s, sizeof s, "10.244.%d.%d", i / 250, i % 250);
    assert_int_equal(intern(&in, s, (unsigned)i % RPT__INTERN_COLUMNS, &is_new), 7 + i);
  }
  for (int i = 4999; i >= 0; i--) {
    snprintf(s, sizeof s, "10.244.%d.%d", i / 250, i % 250);
    assert_int_equal(intern(&in, s, 7, &is_new), 7 + i);
    assert_false(is_new);
  }
  rpt__intern_free(&in);
  /* Freed: from 1 again, an empty string first. */
  assert_int_equal(intern(&in, "", 0, &is_new), 1);
  assert_int_equal(intern(&in, "node1", 0, &is_new), 2);
  assert_int_equal(intern(&in, "", 1, &is_new), 1);
  assert_false(is_new);
  rpt__intern_free(&in);
}

/* Strings of 1 MiB: the 17th passes RPT__INTERN_MAX_TEXT (16 MiB). */
#define BIG (1u << 20)

static char *big_string(char fill) {
  char *s = malloc(BIG + 1);
  assert_non_null(s);
  memset(s, fill, BIG);
  s[BIG] = '\0';
  return s;
}

static void a_full_table_forgets_and_numbers_on(void **state) {
  (void)state;
  struct rpt__intern in = {0};
  int is_new;
  char *s[18];
  for (int i = 0; i < 18; i++) s[i] = big_string((char)('a' + i));
  for (int i = 0; i < 16; i++) assert_int_equal(intern(&in, s[i], 0, &is_new), i + 1);
  assert_int_equal(intern(&in, s[3], 1, &is_new), 4); /* still there */
  assert_false(is_new);
  assert_int_equal(intern(&in, s[16], 0, &is_new), 17); /* forgets 1 .. 16 */
  assert_true(is_new);
  assert_int_equal(in.n, 1);
  assert_int_equal(intern(&in, s[3], 1, &is_new), 18); /* a second id */
  assert_true(is_new);
  assert_int_equal(intern(&in, s[16], 2, &is_new), 17);
  assert_false(is_new);
  for (int i = 0; i < 18; i++) free(s[i]);
  rpt__intern_free(&in);
}

static int check_hop(void *arg, const rpt_hop *h) {
  char **want = arg;
  int i = (int)h->idx - 1;
  assert_true(i >= 0 && i < 19);
  assert_string_equal(h->before, want[i]);
  assert_string_equal(h->host, "node1");
  return 0;
}

/* Through the writer: 18 hops, each with another 1 MiB flow, then the first
 * flow again; every hop reads back with its own flow and the run verifies,
 * although the first flow is stored twice under two ids. */
static void hops_outgrowing_the_table_read_back(void **state) {
  (void)state;
  rpt_db *db = open_db("big.db");
  static const rpt_run_info info = {"big.lua", 1, "ws2022", "sim", "0.1.0"};
  int64_t run, probe;
  char *flows[19];
  for (int i = 0; i < 18; i++) flows[i] = big_string((char)('a' + i));
  flows[18] = flows[0];
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_OK);
  rpt_probe p = {0, 0, "a", "b", "tcp", 80, "delivered", "request", "", NULL, NULL, NULL, 0, ""};
  assert_int_equal(rpt_probe_add(db, run, &p, &probe), RPT_OK);
  for (int i = 0; i < 19; i++) {
    rpt_hop h = {0, 0, i, "request", "node1", "c", "p", "route", "r", "", "pass", flows[i], ""};
    assert_int_equal(rpt_hop_add(db, run, probe, &h), RPT_OK);
  }
  assert_int_equal(rpt_run_finish(db, run, 100, RPT_RUN_PASSED), RPT_OK);
  assert_int_equal(rpt_hop_foreach(db, run, probe, check_hop, flows), RPT_OK);
  assert_int_equal(rpt_run_verify(db, run), RPT_OK);
  assert_int_equal(query_int(db->sql, "SELECT count(*) FROM strings WHERE length(text) = 1048576"), 19);
  assert_int_equal(query_int(db->sql, "SELECT count(DISTINCT flow_before) FROM hop_rows"), 19);
  for (int i = 0; i < 18; i++) free(flows[i]);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ids_in_order_of_first_meeting),
      cmocka_unit_test(a_full_table_forgets_and_numbers_on),
      cmocka_unit_test(hops_outgrowing_the_table_read_back),
  };
  return cmocka_run_group_tests(tests, tmpdir_create, tmpdir_remove);
}
