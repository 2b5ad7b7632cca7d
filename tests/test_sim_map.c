/* test_sim_map.c: the model's byte-keyed map over sim_index: put, get and
 * delete with their status codes; scopes, lengths and bytes keep keys
 * apart (a key and the same key with a trailing zero byte, short keys kept
 * in the record and long ones copied); the map copies keys; and a
 * randomised run of puts and deletes checked against a plain array, so the
 * index's backward-shift removal and the records' reuse are exercised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "sim_map.h"
#include "sim_rng.h"

static uint32_t get(const sim_map *m, uint32_t scope, const void *key, size_t len) {
  uint32_t v = UINT32_MAX;
  return sim_map_get(m, scope, key, len, &v) ? v : UINT32_MAX;
}

static void put_get_del_and_status_codes(void **state) {
  (void)state;
  sim_map *m;
  assert_int_equal(sim_map_create(&m), SIM_OK);
  assert_int_equal(sim_map_put(m, 1, "node1", 5, 10), SIM_OK);
  assert_int_equal(sim_map_put(m, 1, "node1", 5, 11), SIM_E_EXISTS);
  assert_int_equal(get(m, 1, "node1", 5), 10);
  assert_int_equal(sim_map_get(m, 1, "node1", 5, NULL), 1);
  assert_int_equal(sim_map_count(m), 1);
  assert_int_equal(sim_map_del(m, 1, "node2", 5), SIM_E_NOTFOUND);
  assert_int_equal(sim_map_del(m, 1, "node1", 5), SIM_OK);
  assert_int_equal(sim_map_get(m, 1, "node1", 5, NULL), 0);
  assert_int_equal(sim_map_count(m), 0);
  /* The empty key is a key. */
  assert_int_equal(sim_map_put(m, 2, "", 0, 7), SIM_OK);
  assert_int_equal(get(m, 2, "", 0), 7);
  assert_int_equal(sim_map_put(NULL, 1, "a", 1, 1), SIM_E_INVAL);
  assert_int_equal(sim_map_put(m, 1, NULL, 1, 1), SIM_E_INVAL);
  assert_int_equal(sim_map_del(m, 1, NULL, 1), SIM_E_INVAL);
  assert_int_equal(sim_map_get(m, 1, NULL, 1, NULL), 0);
  assert_int_equal(sim_map_create(NULL), SIM_E_INVAL);
  sim_map_destroy(m);
  sim_map_destroy(NULL);
}

static void scopes_lengths_and_bytes_keep_keys_apart(void **state) {
  (void)state;
  sim_map *m;
  assert_int_equal(sim_map_create(&m), SIM_OK);
  static const char long_a[] = "a route key longer than twenty-four bytes, A";
  static const char long_b[] = "a route key longer than twenty-four bytes, B";
  assert_int_equal(sim_map_put(m, 1, "ab", 2, 1), SIM_OK);
  assert_int_equal(sim_map_put(m, 2, "ab", 2, 2), SIM_OK);
  assert_int_equal(sim_map_put(m, 1, "ab\0", 3, 3), SIM_OK); /* same bytes, one more zero */
  assert_int_equal(sim_map_put(m, 1, "abcdefghijklmnopqrstuvwx", 24, 4), SIM_OK); /* the longest kept in place */
  assert_int_equal(sim_map_put(m, 1, "abcdefghijklmnopqrstuvwxy", 25, 5), SIM_OK); /* the shortest copied */
  assert_int_equal(sim_map_put(m, 1, long_a, sizeof long_a, 6), SIM_OK);
  assert_int_equal(sim_map_put(m, 1, long_b, sizeof long_b, 7), SIM_OK);
  assert_int_equal(get(m, 1, "ab", 2), 1);
  assert_int_equal(get(m, 2, "ab", 2), 2);
  assert_int_equal(get(m, 1, "ab\0", 3), 3);
  assert_int_equal(get(m, 3, "ab", 2), UINT32_MAX);
  assert_int_equal(get(m, 1, "abcdefghijklmnopqrstuvwx", 24), 4);
  assert_int_equal(get(m, 1, "abcdefghijklmnopqrstuvwxy", 25), 5);
  assert_int_equal(get(m, 1, "abcdefghijklmnopqrstuvwxz", 25), UINT32_MAX);
  assert_int_equal(get(m, 1, long_a, sizeof long_a), 6);
  assert_int_equal(get(m, 1, long_b, sizeof long_b), 7);
  assert_int_equal(sim_map_put(m, 1, long_b, sizeof long_b, 8), SIM_E_EXISTS);
  /* Keys are copied: the caller's buffer may change. */
  char buf[40];
  snprintf(buf, sizeof buf, "%s", "ep-123456789012345678901234");
  assert_int_equal(sim_map_put(m, 5, buf, strlen(buf), 9), SIM_OK);
  buf[3] = 'X';
  assert_int_equal(get(m, 5, "ep-123456789012345678901234", 27), 9);
  assert_int_equal(sim_map_count(m), 8);
  sim_map_destroy(m);
}

/* Keys of 2 to 40 bytes (short and long) in 4 scopes, put and deleted at
 * random; after every step a sample of keys, present and absent, is
 * checked against the array. */
static void random_puts_and_deletes_match_an_array(void **state) {
  (void)state;
  enum { N = 600, STEPS = 6000 };
  static unsigned char keys[N][40];
  static size_t lens[N];
  static uint32_t scopes[N];
  static int live[N];
  sim_rng g;
  sim_rng_init(&g, 3, "test-map");
  for (int i = 0; i < N; i++) {
    lens[i] = 2 + (size_t)(sim_rng_u64(&g) % 39);
    scopes[i] = (uint32_t)(sim_rng_u64(&g) % 4) << 28;
    for (size_t b = 0; b < lens[i]; b++) keys[i][b] = (unsigned char)(sim_rng_u64(&g) % 3); /* few distinct bytes */
    /* Key i ends with its number, so no two entries are equal. */
    keys[i][lens[i] - 1] = (unsigned char)i;
    keys[i][lens[i] - 2] = (unsigned char)(i >> 8 | 0x80);
  }
  sim_map *m;
  assert_int_equal(sim_map_create(&m), SIM_OK);
  size_t count = 0;
  for (int s = 0; s < STEPS; s++) {
    int i = (int)(sim_rng_u64(&g) % N);
    if (live[i]) {
      assert_int_equal(sim_map_del(m, scopes[i], keys[i], lens[i]), SIM_OK);
      live[i] = 0;
      count--;
    } else {
      assert_int_equal(sim_map_put(m, scopes[i], keys[i], lens[i], (uint32_t)i), SIM_OK);
      live[i] = 1;
      count++;
    }
    assert_int_equal(sim_map_count(m), count);
    for (int q = 0; q < 8; q++) {
      int j = (int)(sim_rng_u64(&g) % N);
      assert_int_equal(get(m, scopes[j], keys[j], lens[j]), live[j] ? (uint32_t)j : UINT32_MAX);
      /* The same bytes in another scope are another key. */
      assert_int_equal(get(m, scopes[j] ^ 1, keys[j], lens[j]), UINT32_MAX);
    }
  }
  for (int j = 0; j < N; j++) assert_int_equal(get(m, scopes[j], keys[j], lens[j]), live[j] ? (uint32_t)j : UINT32_MAX);
  sim_map_destroy(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(put_get_del_and_status_codes),
    cmocka_unit_test(scopes_lengths_and_bytes_keep_keys_apart),
    cmocka_unit_test(random_puts_and_deletes_match_an_array),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
