/* test_rpt_digest.c: SHA-256 against the FIPS 180-2 vectors, and run digests:
 * the same rows give the same digest in two files (whatever the run ids,
 * wall clock and hnsim version), one changed metric value or log message
 * changes it, the recomputed digest equals the stored one, and a fixed set of
 * rows hashes to a digest computed independently from the documented
 * encoding (docs/results-schema.md), which pins the encoding itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rpt.h"
#include "rpt_db_int.h"

#define TEST_TMPDIR_TAG "rpt-digest"
#include "test_tmpdir.h"
#include "rpt_test_db.h"

/* --- SHA-256 ------------------------------------------------------------ */

static void sha256_fips_vectors(void **state) {
  (void)state;
  char hex[RPT_SHA256_HEX_SIZE];
  assert_int_equal(rpt_sha256_hex("abc", 3, hex), RPT_OK);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  assert_int_equal(rpt_sha256_hex(m448, strlen(m448), hex), RPT_OK);
  assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  assert_int_equal(rpt_sha256_hex("", 0, hex), RPT_OK);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  /* One million 'a', fed in uneven pieces to cross every block boundary case. */
  static char a[1000000];
  memset(a, 'a', sizeof a);
  const char *million = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  assert_int_equal(rpt_sha256_hex(a, sizeof a, hex), RPT_OK);
  assert_string_equal(hex, million);
  rpt_sha256 ctx;
  uint8_t raw[RPT_SHA256_SIZE];
  assert_int_equal(rpt_sha256_init(&ctx), RPT_OK);
  size_t done = 0, piece = 1;
  while (done < sizeof a) {
    size_t n = piece < sizeof a - done ? piece : sizeof a - done;
    assert_int_equal(rpt_sha256_update(&ctx, a + done, n), RPT_OK);
    done += n;
    piece = piece * 7 % 131 + 1;
  }
  assert_int_equal(rpt_sha256_final(&ctx, raw), RPT_OK);
  assert_int_equal(rpt_sha256_to_hex(raw, hex), RPT_OK);
  assert_string_equal(hex, million);

  /* Padding edge: 55, 56 and 64 bytes (one or two final blocks). */
  assert_int_equal(rpt_sha256_hex(a, 55, hex), RPT_OK);
  assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  assert_int_equal(rpt_sha256_hex(a, 56, hex), RPT_OK);
  assert_string_equal(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  assert_int_equal(rpt_sha256_hex(a, 64, hex), RPT_OK);
  assert_string_equal(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");

  assert_int_equal(rpt_sha256_update(NULL, "x", 1), RPT_E_INVAL);
  assert_int_equal(rpt_sha256_update(&ctx, NULL, 1), RPT_E_INVAL);
  assert_int_equal(rpt_sha256_hex(NULL, 0, hex), RPT_OK);
}

/* --- run digests -------------------------------------------------------- */

/* Which row, if any, a variant of the standard run changes. */
enum variant { SAME, METRIC_VALUE, LOG_MESSAGE, SEED };

static const rpt_run_info k_info = {"scenarios/digest.lua", 1234, "ws2025", "sim", "0.1.0"};

/* Writes the standard run (a few hundred rows of every kind) and returns its
 * stored digest. */
static int64_t write_run(rpt_db *db, enum variant v, const char *version, char out[RPT_SHA256_HEX_SIZE]) {
  rpt_run_info info = k_info;
  info.hnsim_version = version;
  if (v == SEED) info.seed++;
  int64_t run;
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_OK);
  for (int i = 0; i < 300; i++) {
    char msg[64];
    snprintf(msg, sizeof msg, "event %d", i);
    if (v == LOG_MESSAGE && i == 150) msg[0] = 'E';
    assert_int_equal(rpt_log(db, run, i * 10, i % 4, "engine", msg), RPT_OK);
    assert_int_equal(rpt_expectation(db, run, i * 10 + 1, "probe", i % 7 != 0, i % 7 ? "" : "lost"), RPT_OK);
    double value = i * 0.001;
    if (v == METRIC_VALUE && i == 299) { /* one ulp up (bit pattern + 1; no libm) */
      uint64_t bits;
      memcpy(&bits, &value, sizeof bits);
      bits++;
      memcpy(&value, &bits, sizeof value);
    }
    assert_int_equal(rpt_metric(db, run, i * 10 + 2, "latency_s", value), RPT_OK);
  }
  assert_int_equal(rpt_run_finish(db, run, 3000, RPT_RUN_FAILED), RPT_OK);
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, run, &s), RPT_OK);
  assert_int_equal(strlen(s.digest), 64);
  memcpy(out, s.digest, RPT_SHA256_HEX_SIZE);
  rpt_run_summary_clear(&s);
  return run;
}

static void same_rows_same_digest_anywhere(void **state) {
  (void)state;
  char d1[RPT_SHA256_HEX_SIZE], d2[RPT_SHA256_HEX_SIZE], d3[RPT_SHA256_HEX_SIZE];
  rpt_db *a = open_db("same-a.db");
  rpt_db *b = open_db("same-b.db");
  /* b's run gets another id and another hnsim version: neither is hashed. */
  char scratch[RPT_SHA256_HEX_SIZE];
  write_run(b, SEED, "9.9.9", scratch);
  int64_t ra = write_run(a, SAME, "0.1.0", d1);
  int64_t rb = write_run(b, SAME, "0.2.0", d2);
  assert_int_not_equal(ra, rb);
  assert_string_equal(d1, d2);
  assert_string_not_equal(d1, scratch); /* the seed is hashed */
  /* The same rows again in the same file, as a third run. */
  write_run(a, SAME, "0.1.0", d3);
  assert_string_equal(d1, d3);
  assert_int_equal(rpt_db_close(a), RPT_OK);
  assert_int_equal(rpt_db_close(b), RPT_OK);
}

static void one_changed_row_changes_digest(void **state) {
  (void)state;
  char base[RPT_SHA256_HEX_SIZE], metric[RPT_SHA256_HEX_SIZE], log[RPT_SHA256_HEX_SIZE];
  rpt_db *db = open_db("change.db");
  write_run(db, SAME, "0.1.0", base);
  write_run(db, METRIC_VALUE, "0.1.0", metric);
  write_run(db, LOG_MESSAGE, "0.1.0", log);
  assert_string_not_equal(base, metric);
  assert_string_not_equal(base, log);
  assert_string_not_equal(metric, log);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

static void recomputed_equals_stored(void **state) {
  (void)state;
  char stored[RPT_SHA256_HEX_SIZE], now[RPT_SHA256_HEX_SIZE];
  rpt_db *db = open_db("verify.db");
  int64_t run = write_run(db, SAME, "0.1.0", stored);
  assert_int_equal(rpt_run_digest(db, run, now), RPT_OK);
  assert_string_equal(stored, now);
  assert_int_equal(rpt_run_verify(db, run), RPT_OK);

  /* Wall clock, hnsim version and the id are outside the digest. */
  sqlite3 *sql = db->sql;
  assert_int_equal(sqlite3_exec(sql,
                                "UPDATE runs SET wall_start = '1999-12-31T23:59:59.999Z',"
                                " wall_end = '2100-01-01T00:00:00.000Z', hnsim_version = 'other'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(rpt_run_digest(db, run, now), RPT_OK);
  assert_string_equal(stored, now);
  assert_int_equal(rpt_run_verify(db, run), RPT_OK);

  /* A row edited after the fact is caught. */
  assert_int_equal(sqlite3_exec(sql, "UPDATE metrics SET value = value + 1 WHERE seq = 7", NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(rpt_run_digest(db, run, now), RPT_OK);
  assert_string_not_equal(stored, now);
  assert_int_equal(rpt_run_verify(db, run), RPT_E_DIGEST);
  char want[200];
  snprintf(want, sizeof want, "run %lld: stored digest %s, but its rows hash to %s", (long long)run, stored,
           now);
  assert_string_equal(rpt_db_errmsg(db), want);

  assert_int_equal(rpt_run_digest(db, 999, now), RPT_E_NOTFOUND);
  assert_int_equal(rpt_run_digest(db, run, NULL), RPT_E_INVAL);
  int64_t open_run;
  assert_int_equal(rpt_run_begin(db, &k_info, &open_run), RPT_OK);
  assert_int_equal(rpt_run_digest(db, open_run, now), RPT_E_STATE);
  assert_int_equal(rpt_run_verify(db, open_run), RPT_E_STATE);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

/* The expected value was computed outside hnsim (Python's hashlib and
 * struct) from the encoding as docs/results-schema.md states it. If this
 * fails, the encoding changed: every stored digest changes with it. The
 * value predates schema 3, so it also shows that a run without detailed
 * rows (HCN calls, probes, ...) hashes as it did before they existed. */
static void golden_digest(void **state) {
  (void)state;
  rpt_db *db = open_db("golden.db");
  rpt_run_info info = {"golden", 7, "ws2022", "sim", "0.1.0"};
  int64_t run;
  assert_int_equal(rpt_run_begin(db, &info, &run), RPT_OK);
  assert_int_equal(rpt_log(db, run, 10, RPT_LOG_INFO, "scenario", "start"), RPT_OK);
  assert_int_equal(rpt_log(db, run, 20, RPT_LOG_ERROR, "hns", "\xc3\x84 \xc3\xbcn\xc3\xaf" "code|"), RPT_OK);
  assert_int_equal(rpt_expectation(db, run, 30, "reach", 1, NULL), RPT_OK);
  assert_int_equal(rpt_expectation(db, run, 40, "deny", 0, "got through"), RPT_OK);
  assert_int_equal(rpt_metric(db, run, 50, "rtt", 0.25), RPT_OK);
  assert_int_equal(rpt_metric(db, run, 60, "neg", -1.5), RPT_OK);
  assert_int_equal(rpt_metric(db, run, 70, "zero", -0.0), RPT_OK);
  assert_int_equal(rpt_run_finish(db, run, 1000000, RPT_RUN_PASSED), RPT_OK);
  rpt_run_summary s;
  assert_int_equal(rpt_run_get(db, run, &s), RPT_OK);
  assert_string_equal(s.digest, "4ba2fd34a1a1c0c88e85befa6bc7d8ac416acb07418d942c6ec8012adb75a000");
  rpt_run_summary_clear(&s);
  /* Computed again from the rows, as stored. */
  char d[RPT_SHA256_HEX_SIZE];
  assert_int_equal(rpt_run_digest(db, run, d), RPT_OK);
  assert_string_equal(d, "4ba2fd34a1a1c0c88e85befa6bc7d8ac416acb07418d942c6ec8012adb75a000");
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

static void signed_zero_and_infinity(void **state) {
  (void)state;
  rpt_db *db = open_db("zero.db");
  char d[4][RPT_SHA256_HEX_SIZE];
  double values[4] = {0.0, -0.0, INFINITY, -INFINITY};
  for (int i = 0; i < 4; i++) {
    int64_t run;
    assert_int_equal(rpt_run_begin(db, &k_info, &run), RPT_OK);
    assert_int_equal(rpt_metric(db, run, 0, "v", values[i]), RPT_OK);
    assert_int_equal(rpt_run_finish(db, run, 0, RPT_RUN_PASSED), RPT_OK);
    assert_int_equal(rpt_run_digest(db, run, d[i]), RPT_OK);
    assert_int_equal(rpt_run_verify(db, run), RPT_OK);
  }
  assert_string_equal(d[0], d[1]);
  assert_string_not_equal(d[0], d[2]);
  assert_string_not_equal(d[2], d[3]);
  assert_int_equal(rpt_db_close(db), RPT_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sha256_fips_vectors),
      cmocka_unit_test(same_rows_same_digest_anywhere),
      cmocka_unit_test(one_changed_row_changes_digest),
      cmocka_unit_test(recomputed_equals_stored),
      cmocka_unit_test(golden_digest),
      cmocka_unit_test(signed_zero_and_infinity),
  };
  return cmocka_run_group_tests(tests, tmpdir_create, tmpdir_remove);
}
