/* trace_out.h: what `hnsim trace` writes: the probe's result and hops as
 * text (hl_probe_print, lua/hl_probe_text.h, shared with the scenario
 * expectations) and, with --pcap, every frame the probe made as a pcapng
 * file (trace_pcap.c). Both depend on the probe alone, so the same
 * topology and seed give the same bytes. */
#ifndef TRACE_OUT_H
#define TRACE_OUT_H
#include <stdio.h>
#include "sim_net.h"
#include "sim_probe.h"
#include "sim_trace.h"
#include "hl_probe_text.h"

#define TRACE_ERR 320

typedef struct trace_pcap trace_pcap;

/* Creates `path` and captures every packet `net` walks into it from now
 * on (sim_net_set_capture), one pcapng interface per capture point
 * ("host/interface"), each frame commented with the probe, leg and point. */
int trace_pcap_open(const char *path, sim_net *net, trace_pcap **out, char err[TRACE_ERR]);
/* Stops capturing and closes the file; -1 with err when any frame or the
 * file failed (the file is then incomplete). tp may be NULL. */
int trace_pcap_close(trace_pcap *tp, char err[TRACE_ERR]);

#endif
