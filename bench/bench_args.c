/* bench_args.c: see bench_args.h. */
#include "bench_args.h"
#include <stdlib.h>

int bench_parse_u64(const char *s, uint64_t *out) {
  char *end;
  if (!s || !*s || *s == '-' || *s == '+') return -1;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end) return -1;
  *out = v;
  return 0;
}
