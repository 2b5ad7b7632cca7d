/* bench_args.h: what the benchmarks' command lines share: reading a whole
 * number the way every option of theirs takes one. */
#ifndef BENCH_ARGS_H
#define BENCH_ARGS_H
#include <stdint.h>

/* Reads `s` as an unsigned decimal with nothing after it; 0 on success, -1
 * (and *out untouched) for NULL, "", a sign or trailing text. */
int bench_parse_u64(const char *s, uint64_t *out);

#endif
