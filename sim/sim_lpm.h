/* sim_lpm.h: longest-prefix-match tables for compartment route tables,
 * fabric routers and prefix sets.
 *
 * An entry is (prefix, metric, value): the value is an opaque number the
 * caller chooses (a route's index, a rule's index), never a pointer. An
 * entry is named by its prefix (host bits ignored) and its value, so one
 * prefix may hold several entries (routes to one destination through
 * different interfaces). A lookup returns the entry of the longest prefix
 * that contains the address; among that prefix's entries the lowest metric
 * wins, then the one added first. A replace keeps the entry's place in that
 * insertion order. A lookup is one hash probe per distinct prefix length
 * of the address's family in the table, longest first (a route table holds
 * a handful of lengths: /0, the connected /24 and /16, /32 host routes);
 * nothing scans the entries, and no result depends on an address in
 * memory. */
#ifndef SIM_LPM_H
#define SIM_LPM_H
#include <stddef.h>
#include <stdint.h>
#include "sim_addr.h"
#include "sim_status.h"

typedef struct sim_lpm sim_lpm;

typedef struct sim_lpm_entry {
  sim_prefix prefix; /* the network address: host bits cleared */
  uint32_t metric;
  uint64_t value;
} sim_lpm_entry;

int sim_lpm_create(sim_lpm **out);
void sim_lpm_destroy(sim_lpm *t);

/* SIM_E_INVAL for a NULL argument or a prefix that is not IPv4 /0../32 or
 * IPv6 /0../128; SIM_E_EXISTS when the prefix already holds `value`;
 * SIM_E_NOMEM. The table is unchanged on failure. */
int sim_lpm_add(sim_lpm *t, const sim_prefix *p, uint32_t metric, uint64_t value);

/* Removes the entry (p, value); SIM_E_NOTFOUND when there is none. */
int sim_lpm_remove(sim_lpm *t, const sim_prefix *p, uint64_t value);

/* Gives the entry (p, value) a new metric and value, keeping its place in
 * insertion order. SIM_E_NOTFOUND when there is no such entry,
 * SIM_E_EXISTS when new_value is another entry of p. */
int sim_lpm_replace(sim_lpm *t, const sim_prefix *p, uint64_t value, uint32_t new_metric, uint64_t new_value);

/* The best entry for `ip`; SIM_E_NOTFOUND (and *out untouched) when no
 * prefix of its family contains it. */
int sim_lpm_lookup(const sim_lpm *t, const sim_ip *ip, sim_lpm_entry *out);

/* The number of entries. */
size_t sim_lpm_count(const sim_lpm *t);

#endif
