/* trace_pcap.c: the --pcap file of `hnsim trace`: sim_net's capture hook
 * (sim_net.h: port-out, port-in, nic-out, nic-in, router) turns each
 * packet into wire bytes (sim_frame_write) and rpt_pcap writes them with
 * their simulated time. Interfaces are added in the order the walk first
 * meets them, so the file depends on the probe alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpt_pcap.h"
#include "sim_frame.h"
#include "trace_out.h"

#define MAX_POINTS 64

struct trace_pcap {
  rpt_pcap *pc;
  sim_net *net;
  char *names[MAX_POINTS];
  uint32_t index[MAX_POINTS];
  size_t n;
  uint8_t *frame; /* SIM_FRAME_MAX bytes */
  char err[TRACE_ERR];
};

/* Keeps the first failure: "<where>: <why>". */
static void note(trace_pcap *tp, const char *where, const char *why) {
  if (!tp->err[0]) snprintf(tp->err, sizeof tp->err, "%.150s: %.150s", where, why);
}

/* The pcapng interface of a capture point, added on first use. */
static int point_index(trace_pcap *tp, const char *name, uint32_t *out) {
  for (size_t i = 0; i < tp->n; i++)
    if (!strcmp(tp->names[i], name)) {
      *out = tp->index[i];
      return 0;
    }
  if (tp->n == MAX_POINTS) {
    note(tp, name, "more than 64 capture points");
    return -1;
  }
  if (!(tp->names[tp->n] = strdup(name)) || rpt_pcap_add_interface(tp->pc, name, &tp->index[tp->n])) {
    free(tp->names[tp->n]);
    note(tp, name, rpt_pcap_errmsg(tp->pc));
    return -1;
  }
  *out = tp->index[tp->n++];
  return 0;
}

static void capture(void *ctx, sim_time time, const sim_capture_place *place, const sim_packet *pkt) {
  trace_pcap *tp = ctx;
  char name[320], comment[96], ferr[SIM_FRAME_ERR];
  size_t len;
  uint32_t iface;
  snprintf(name, sizeof name, "%s/%s", place->host, place->iface);
  if (tp->err[0] || point_index(tp, name, &iface)) return;
  if (sim_frame_write(pkt, tp->frame, SIM_FRAME_MAX, &len, ferr)) {
    note(tp, name, ferr);
    return;
  }
  snprintf(comment, sizeof comment, "probe %llu %s %s", (unsigned long long)pkt->id,
           place->leg == SIM_LEG_FORWARD ? "request" : "reply", place->point);
  if (rpt_pcap_write(tp->pc, iface, time, tp->frame, len, comment)) note(tp, name, rpt_pcap_errmsg(tp->pc));
}

int trace_pcap_open(const char *path, sim_net *net, trace_pcap **out, char err[TRACE_ERR]) {
  *out = NULL;
  trace_pcap *tp = calloc(1, sizeof *tp);
  if (!tp || !(tp->frame = malloc(SIM_FRAME_MAX))) {
    free(tp);
    snprintf(err, TRACE_ERR, "out of memory");
    return -1;
  }
  if (rpt_pcap_open(path, &tp->pc)) {
    snprintf(err, TRACE_ERR, "--pcap: %.300s", rpt_pcap_errmsg(tp->pc));
    rpt_pcap_close(tp->pc);
    free(tp->frame);
    free(tp);
    return -1;
  }
  tp->net = net;
  sim_net_set_capture(net, capture, tp);
  *out = tp;
  return 0;
}

int trace_pcap_close(trace_pcap *tp, char err[TRACE_ERR]) {
  if (!tp) return 0;
  sim_net_set_capture(tp->net, NULL, NULL);
  int rc = tp->err[0] ? -1 : 0;
  if (rc) snprintf(err, TRACE_ERR, "--pcap: %.300s", tp->err);
  if (!rc && rpt_pcap_flush(tp->pc)) {
    snprintf(err, TRACE_ERR, "--pcap: %.300s", rpt_pcap_errmsg(tp->pc));
    rc = -1;
  }
  if (rpt_pcap_close(tp->pc) && !rc) {
    snprintf(err, TRACE_ERR, "--pcap: the file could not be closed");
    rc = -1;
  }
  for (size_t i = 0; i < tp->n; i++) free(tp->names[i]);
  free(tp->frame);
  free(tp);
  return rc;
}
