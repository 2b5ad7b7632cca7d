/* sim_test_values.h: addresses, prefixes and 5-tuples from text, for the
 * data-plane tests; a value that does not parse fails the test. Include
 * after <cmocka.h>. */
#ifndef SIM_TEST_VALUES_H
#define SIM_TEST_VALUES_H
#include <string.h>
#include "sim_packet.h"

static inline sim_ip ip(const char *s) {
  sim_ip a;
  memset(&a, 0, sizeof a);
  assert_int_equal(sim_ip_parse(s, &a), 0);
  return a;
}

static inline sim_prefix pfx(const char *s) {
  sim_prefix p;
  memset(&p, 0, sizeof p);
  assert_int_equal(sim_prefix_parse(s, &p), 0);
  return p;
}

static inline sim_flow flow(const char *src, uint16_t sport, const char *dst, uint16_t dport, uint8_t proto) {
  sim_flow f;
  memset(&f, 0, sizeof f);
  f.src = ip(src), f.dst = ip(dst);
  f.sport = sport, f.dport = dport, f.proto = proto;
  return f;
}

#endif
