/* sim_acl_int.h: the two structures sim_acl.c's index is built from, private
 * to sim_acl*.c.
 *
 * Both map a key to a list of rule ranks (a rule's place in its table's
 * evaluation order, 0 first), each list ascending, so a lookup walks a list
 * only until a match or a rank no better than one already found:
 *   acl_phash  a single port -> ranks of rules naming that port: open
 *              addressing, linear probing, a fixed multiplicative hash (no
 *              seed, no pointer: the same layout on every run);
 *   acl_imap   a 64-bit key (a port, an IPv4 address, the upper half of an
 *              IPv6 address) -> ranks of rules with an interval containing
 *              it: the space cut into elementary segments at every interval
 *              end, one list per segment, found by binary search. Lists
 *              may hold more candidates than match (IPv6 by its upper
 *              half); the caller checks every candidate in full.
 * Builders take entries in ascending rank order and never fail half-way: on
 * SIM_E_NOMEM the structure is left empty. Each keeps its best rank, so a
 * lookup that already holds a better match skips the structure unread. */
#ifndef SIM_ACL_INT_H
#define SIM_ACL_INT_H
#include <stddef.h>
#include <stdint.h>

/* 128-bit keys for IPv6 addresses. */
typedef struct acl_key {
  uint64_t hi, lo;
} acl_key;

static inline int acl_key_le(acl_key a, acl_key b) { return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo); }

typedef struct acl_ival {
  acl_key lo, hi; /* inclusive */
} acl_ival;

/* 64-bit intervals: ports, IPv4 addresses, and the upper half of IPv6
 * addresses where a map only needs to narrow the candidates. */
typedef struct acl_iv64 {
  uint64_t lo, hi; /* inclusive */
} acl_iv64;

/* Whether k is in iv[0..n), sorted disjoint intervals: the per-rule tests.
 * Short lists (most rules name a few ports or peers) are read in order,
 * longer ones searched. */
static inline int acl_iv64_contains(const acl_iv64 *iv, size_t n, uint64_t k) {
  size_t lo = 0;
  if (n <= 8) {
    while (lo < n && iv[lo].hi < k) lo++;
  } else {
    for (size_t hi = n; lo < hi;) { /* the first interval with hi >= k */
      size_t mid = lo + (hi - lo) / 2;
      if (iv[mid].hi < k)
        lo = mid + 1;
      else
        hi = mid;
    }
  }
  return lo < n && iv[lo].lo <= k;
}

static inline int acl_ival_contains(const acl_ival *iv, size_t n, acl_key k) {
  size_t lo = 0;
  for (size_t hi = n; lo < hi;) { /* the first interval with hi >= k */
    size_t mid = lo + (hi - lo) / 2;
    if (acl_key_le(k, iv[mid].hi))
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo < n && acl_key_le(iv[lo].lo, k);
}

typedef struct acl_imap_entry {
  acl_iv64 iv;
  uint32_t rank;
} acl_imap_entry;

typedef struct acl_imap {
  uint64_t *starts; /* nseg segment starts, ascending; starts[0] is 0 */
  uint32_t *off;    /* nseg + 1 offsets into ranks */
  uint32_t *ranks;
  uint32_t nseg;
  uint32_t min_rank; /* the best rank anywhere in the map; UINT32_MAX when empty */
} acl_imap;

int acl_imap_build(acl_imap *m, const acl_imap_entry *e, size_t n);
void acl_imap_free(acl_imap *m);
/* The ranks of the segment holding k; *len 0 when none. */
const uint32_t *acl_imap_find(const acl_imap *m, uint64_t k, uint32_t *len);

typedef struct acl_phash_entry {
  uint16_t port;
  uint32_t rank;
} acl_phash_entry;

typedef struct acl_phash_slot {
  uint16_t port, used;
  uint32_t off, len;
} acl_phash_slot;

typedef struct acl_phash {
  acl_phash_slot *slots;
  uint32_t *ranks;
  uint32_t mask;     /* capacity - 1; 0 when empty */
  uint32_t min_rank; /* as for acl_imap */
} acl_phash;

int acl_phash_build(acl_phash *h, const acl_phash_entry *e, size_t n);
void acl_phash_free(acl_phash *h);
const uint32_t *acl_phash_find(const acl_phash *h, uint16_t port, uint32_t *len);

#endif
