/* test_hns_guid.c: GUID text round trips, braces and case, refusal of bad
 * text (leaving the output as it was), ordering, and deterministic
 * version-4 IDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hns_guid.h"

static void parse_format_round_trip(void **state) {
  (void)state;
  hns_guid g;
  char s[37];
  assert_int_equal(hns_guid_parse("0f3f6c5c-330c-40fc-9d52-aeb44d267c33", &g), 0);
  assert_int_equal(g.Data1, 0x0F3F6C5Cu);
  assert_int_equal(g.Data2, 0x330C);
  assert_int_equal(g.Data3, 0x40FC);
  const uint8_t d4[8] = {0x9D, 0x52, 0xAE, 0xB4, 0x4D, 0x26, 0x7C, 0x33};
  assert_memory_equal(g.Data4, d4, 8);
  hns_guid_format(&g, 0, s);
  assert_string_equal(s, "0f3f6c5c-330c-40fc-9d52-aeb44d267c33");
  hns_guid_format(&g, 1, s);
  assert_string_equal(s, "0F3F6C5C-330C-40FC-9D52-AEB44D267C33");
  assert_int_equal(sizeof(hns_guid), 16);
}

static void braces_and_case(void **state) {
  (void)state;
  hns_guid a, b, c;
  assert_int_equal(hns_guid_parse("{0F3F6C5C-330C-40FC-9D52-AEB44D267C33}", &a), 0);
  assert_int_equal(hns_guid_parse("0f3f6c5c-330C-40fc-9D52-aeb44D267c33", &b), 0);
  assert_int_equal(hns_guid_parse("0f3f6c5c-330c-40fc-9d52-aeb44d267c33", &c), 0);
  assert_true(hns_guid_equal(&a, &b));
  assert_true(hns_guid_equal(&b, &c));
  assert_int_equal(hns_guid_compare(&a, &c), 0);
}

static void bad_inputs_refused_and_out_untouched(void **state) {
  (void)state;
  static const char *bad[] = {
    "",
    "0f3f6c5c-330c-40fc-9d52-aeb44d267c3",     /* short */
    "0f3f6c5c-330c-40fc-9d52-aeb44d267c333",   /* long */
    "0f3f6c5c330c40fc9d52aeb44d267c33",        /* no hyphens */
    "0f3f6c5c-330c-40fc-9d52_aeb44d267c33",    /* wrong separator */
    "0f3f6c5g-330c-40fc-9d52-aeb44d267c33",    /* not hex */
    "{0f3f6c5c-330c-40fc-9d52-aeb44d267c33",   /* unbalanced */
    "0f3f6c5c-330c-40fc-9d52-aeb44d267c33}",
    "(0f3f6c5c-330c-40fc-9d52-aeb44d267c33)",
    " 0f3f6c5c-330c-40fc-9d52-aeb44d267c33",
    "0f3f6c5c-330c-40fc-9d52-aeb44d267c33 ",
    "0f3f6c5c-330c-40fc-9d5-2aeb44d267c33",    /* hyphen moved */
    "+f3f6c5c-330c-40fc-9d52-aeb44d267c33",
  };
  hns_guid sentinel, g;
  memset(&sentinel, 0xA5, sizeof sentinel);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    g = sentinel;
    assert_int_equal(hns_guid_parse(bad[i], &g), -1);
    assert_memory_equal(&g, &sentinel, sizeof g);
  }
  g = sentinel;
  assert_int_equal(hns_guid_parse(NULL, &g), -1);
  assert_memory_equal(&g, &sentinel, sizeof g);
}

static void zero_guid(void **state) {
  (void)state;
  hns_guid g;
  assert_int_equal(hns_guid_parse("00000000-0000-0000-0000-000000000000", &g), 0);
  assert_true(hns_guid_is_zero(&g));
  g.Data4[7] = 1;
  assert_false(hns_guid_is_zero(&g));
}

static void order_is_the_text_order(void **state) {
  (void)state;
  static const char *sorted[] = {
    "00000000-0000-0000-0000-000000000000",
    "00000000-0000-0000-0000-000000000001",
    "00000000-0000-0000-0100-000000000000",
    "00000000-0000-0001-0000-000000000000",
    "00000000-0001-0000-0000-000000000000",
    "00000001-0000-0000-0000-000000000000",
    "ffffffff-0000-0000-0000-000000000000",
  };
  size_t n = sizeof sorted / sizeof sorted[0];
  for (size_t i = 0; i + 1 < n; i++) {
    hns_guid a, b;
    assert_int_equal(hns_guid_parse(sorted[i], &a), 0);
    assert_int_equal(hns_guid_parse(sorted[i + 1], &b), 0);
    assert_true(hns_guid_compare(&a, &b) < 0);
    assert_true(hns_guid_compare(&b, &a) > 0);
    assert_false(hns_guid_equal(&a, &b));
    assert_true(strcmp(sorted[i], sorted[i + 1]) < 0);
  }
}

static void from_u64_is_version_4_and_deterministic(void **state) {
  (void)state;
  static const uint64_t seeds[][2] = {
    {0, 0},
    {UINT64_MAX, UINT64_MAX},
    {UINT64_C(0x0123456789abcdef), UINT64_C(0xfedcba9876543210)},
  };
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    hns_guid g, h, back;
    char s[37], t[37];
    hns_guid_from_u64(seeds[i][0], seeds[i][1], &g);
    hns_guid_from_u64(seeds[i][0], seeds[i][1], &h);
    assert_true(hns_guid_equal(&g, &h));
    hns_guid_format(&g, 0, s);
    hns_guid_format(&h, 0, t);
    assert_string_equal(s, t);
    assert_int_equal(s[14], '4');                /* version */
    assert_non_null(strchr("89ab", s[19]));      /* variant 10xx */
    assert_int_equal(hns_guid_parse(s, &back), 0);
    assert_true(hns_guid_equal(&g, &back));
    assert_false(hns_guid_is_zero(&g));
  }
  /* Pinned: a change here would change every recorded ID. */
  hns_guid g;
  char s[37];
  hns_guid_from_u64(UINT64_C(0x0123456789abcdef), UINT64_C(0xfedcba9876543210), &g);
  hns_guid_format(&g, 0, s);
  assert_string_equal(s, "01234567-89ab-4def-bedc-ba9876543210");
  hns_guid_from_u64(0, 0, &g);
  hns_guid_format(&g, 1, s);
  assert_string_equal(s, "00000000-0000-4000-8000-000000000000");
  /* Different bits, different IDs. */
  hns_guid a, b;
  hns_guid_from_u64(1, 2, &a);
  hns_guid_from_u64(1, 3, &b);
  assert_false(hns_guid_equal(&a, &b));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parse_format_round_trip),
    cmocka_unit_test(braces_and_case),
    cmocka_unit_test(bad_inputs_refused_and_out_untouched),
    cmocka_unit_test(zero_guid),
    cmocka_unit_test(order_is_the_text_order),
    cmocka_unit_test(from_u64_is_version_4_and_deterministic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
