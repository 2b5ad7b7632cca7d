/* net_fixture.h: the clusters the data-plane tests build, in the seed's
 * shapes (seed-windows-networking-for-kubernetes.txt): ACS's routable pod
 * /24 per host with user-defined routes at the cloud router, a Linux node
 * with a bridge, an external web server behind the router, and helpers to
 * probe and read hops. Header-only: each test binary includes it once. */
#ifndef NET_FIXTURE_H
#define NET_FIXTURE_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "sim_net.h"
#include "sim_probe.h"

#define VNET_LATENCY SIM_US(100)
#define INET_LATENCY SIM_MS(1)

static inline sim_ip ip_of(const char *s) {
  sim_ip ip;
  assert_int_equal(sim_ip_parse(s, &ip), 0);
  return ip;
}

static inline sim_prefix pfx(const char *s) {
  sim_prefix p;
  assert_int_equal(sim_prefix_parse(s, &p), 0);
  return p;
}

static inline sim_mac mac_of(const char *s) {
  sim_mac m;
  assert_int_equal(sim_mac_parse(s, &m), 0);
  return m;
}

/* Asserts SIM_OK and shows the model's message when not. */
#define NET_OK(net, call)                                                             \
  do {                                                                                \
    int rc_ = (call);                                                                 \
    if (rc_ != SIM_OK) fail_msg("%s: %d %s", #call, rc_, sim_net_last_error(net));    \
  } while (0)

static inline void route(sim_net *net, const char *host, const char *comp, const char *dst, const char *via,
                  const char *iface, uint32_t metric) {
  sim_route_spec r = {comp, pfx(dst), {0, {0}}, iface, metric, NULL};
  if (via) r.next_hop = ip_of(via);
  NET_OK(net, sim_net_route_add(net, host, &r));
}

static inline void nic(sim_net *net, const char *host, const char *name, const char *seg, const char *addr, const char *mac) {
  sim_prefix p = pfx(addr);
  sim_mac m = mac_of(mac);
  NET_OK(net, sim_net_nic_add(net, host, name, seg, &p, &m));
}

/* A pod: a compartment with one endpoint on `network` and a default route
 * via `gw` through it. */
static inline void pod(sim_net *net, const char *host, const char *network, const char *comp, const char *ep,
                const char *addr, const char *mac, const char *gw) {
  sim_port_spec s = {ep, network, {pfx(addr), {{0, {0}}, 0}}, mac_of(mac)};
  NET_OK(net, sim_net_compartment_add(net, host, comp));
  NET_OK(net, sim_net_port_add(net, host, &s));
  NET_OK(net, sim_net_port_attach(net, host, ep, comp));
  if (gw) route(net, host, comp, "0.0.0.0/0", gw, ep, 0);
}

/* A Windows node of the ACS design: NIC on "vnet", an L2Bridge network
 * "cbr0" bound to it whose host vNIC holds the pod /24's gateway (.2),
 * and the host's default route to the cloud router. */
static inline void windows_node(sim_net *net, const char *host, const char *nic_addr, const char *nic_mac,
                         const char *vnic_addr) {
  NET_OK(net, sim_net_host_add(net, host, SIM_HOST_WINDOWS));
  nic(net, host, "Ethernet", "vnet", nic_addr, nic_mac);
  route(net, host, SIM_HOST_COMPARTMENT, "0.0.0.0/0", "10.240.0.1", "Ethernet", 0);
  sim_prefix v = pfx(vnic_addr);
  sim_network_spec n = {"cbr0", SIM_NET_L2BRIDGE, "Ethernet", "vEthernet (cbr0)", &v};
  NET_OK(net, sim_net_network_add(net, host, &n));
}

/* The cluster:
 *   vnet 10.240.0.0/16 (100 us) -- router "azure" .1 -- internet 203.0.113.0/24 (1 ms) -- web .10
 *   node1 10.240.0.4: pods 10.244.1.0/24 (pod-a 10.244.1.5, pod-b 10.244.1.6), gateway 10.244.1.2
 *   node2 10.240.0.5: pods 10.244.2.0/24 (pod-c 10.244.2.5), gateway 10.244.2.2
 *   lnx   10.240.0.6: Linux, bridge cbr0 10.244.3.1/24
 *   UDRs at "azure": each pod /24 to its node. */
static inline sim_net *acs_cluster(sim_world *world) {
  sim_net *net;
  assert_int_equal(sim_net_create(world, &net), SIM_OK);
  NET_OK(net, sim_net_segment_add(net, "vnet", VNET_LATENCY, 0.0));
  NET_OK(net, sim_net_segment_add(net, "internet", INET_LATENCY, 0.0));
  NET_OK(net, sim_net_router_add(net, "azure"));
  sim_prefix gw = pfx("10.240.0.1/16"), inet = pfx("203.0.113.1/24");
  NET_OK(net, sim_net_router_iface_add(net, "azure", "gw", "vnet", &gw));
  NET_OK(net, sim_net_router_iface_add(net, "azure", "inet", "internet", &inet));

  windows_node(net, "node1", "10.240.0.4/16", "00-15-5D-00-00-04", "10.244.1.2/24");
  pod(net, "node1", "cbr0", "pod-a", "ep-a", "10.244.1.5/24", "00-15-5D-01-01-05", "10.244.1.2");
  pod(net, "node1", "cbr0", "pod-b", "ep-b", "10.244.1.6/24", "00-15-5D-01-01-06", "10.244.1.2");
  windows_node(net, "node2", "10.240.0.5/16", "00-15-5D-00-00-05", "10.244.2.2/24");
  pod(net, "node2", "cbr0", "pod-c", "ep-c", "10.244.2.5/24", "00-15-5D-01-02-05", "10.244.2.2");

  NET_OK(net, sim_net_host_add(net, "lnx", SIM_HOST_LINUX));
  nic(net, "lnx", "eth0", "vnet", "10.240.0.6/16", "00-0D-3A-00-00-06");
  sim_prefix br = pfx("10.244.3.1/24");
  NET_OK(net, sim_net_bridge_add(net, "lnx", "cbr0", &br));
  route(net, "lnx", SIM_HOST_COMPARTMENT, "0.0.0.0/0", "10.240.0.1", "eth0", 0);

  NET_OK(net, sim_net_host_add(net, "web", SIM_HOST_LINUX));
  nic(net, "web", "eth0", "internet", "203.0.113.10/24", "00-0D-3A-00-00-10");
  route(net, "web", SIM_HOST_COMPARTMENT, "0.0.0.0/0", "203.0.113.1", "eth0", 0);

  const char *udr[][2] = {{"10.244.1.0/24", "10.240.0.4"}, {"10.244.2.0/24", "10.240.0.5"},
                          {"10.244.3.0/24", "10.240.0.6"}};
  for (size_t i = 0; i < 3; i++) {
    sim_prefix d = pfx(udr[i][0]);
    sim_ip h = ip_of(udr[i][1]);
    char id[40];
    snprintf(id, sizeof(id), "udr-%s", udr[i][0]);
    NET_OK(net, sim_net_router_route_add(net, "azure", &d, &h, 0, id));
  }
  return net;
}

static inline sim_probe_spec from_port(const char *host, const char *port, const char *dst, uint8_t proto, uint16_t dport) {
  sim_probe_spec s = {host, port, NULL, ip_of(dst), proto, dport, 0, 0};
  return s;
}

static inline sim_probe_spec from_host(const char *host, const char *dst, uint8_t proto, uint16_t dport) {
  sim_probe_spec s = {host, NULL, NULL, ip_of(dst), proto, dport, 0, 0};
  return s;
}

static inline sim_probe_result probe(sim_net *net, sim_probe_spec s, sim_trace *trace) {
  sim_probe_result r;
  NET_OK(net, sim_probe_run(net, &s, trace, &r));
  return r;
}

/* The hops as "leg host/compartment/port stage" lines joined by '\n', the
 * shape a user reads a trace in. */
static inline void hop_lines(const sim_trace *t, char *out, size_t cap) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sim_trace_count(t); i++) {
    sim_hop h;
    assert_int_equal(sim_trace_hop(t, i, &h), SIM_OK);
    int n = snprintf(out + used, cap - used, "%s %s/%s/%s %s\n", h.leg == SIM_LEG_FORWARD ? "fwd" : "rep", h.host,
                     h.compartment, h.port, h.stage);
    assert_true(n > 0 && (size_t)n < cap - used);
    used += (size_t)n;
  }
}

static inline const char *flow_text(const sim_flow *f, char out[SIM_FLOW_TEXT]) {
  sim_flow_format(f, out);
  return out;
}

#endif
