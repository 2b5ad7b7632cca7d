/* hl_probe_text.h: a probe's result and hop trace as text, the form
 * `hnsim trace` prints and a failed reach/blocked expectation records:
 * the verdict and its reason, the request as sent and as received, the
 * reply as the sender saw it, then the hops of each leg as an aligned
 * table (time since the probe started, host, compartment, port, stage,
 * rule, note; a translating stage shows [before -> after]). The text
 * depends on the probe alone, so the same probe gives the same bytes. */
#ifndef HL_PROBE_TEXT_H
#define HL_PROBE_TEXT_H
#include <stdio.h>
#include "sim_probe.h"
#include "sim_trace.h"

void hl_probe_print(FILE *f, const sim_probe_result *r, const sim_trace *t);

/* The same text, malloc'd (the caller frees it); NULL when memory runs out. */
char *hl_probe_text(const sim_probe_result *r, const sim_trace *t);

#endif
