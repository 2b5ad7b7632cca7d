/* hns_model_host.h: the fixture of the tests that drive one simulated HNS
 * attached to the data-plane model: one Windows host "node1" with the NIC
 * "Ethernet" 10.240.0.4/16 on the segment "lan", its HNS (a profile and a
 * seed) attached to the model, and a trace to probe with. Header-only:
 * each test binary includes it once, after cmocka.h. */
#ifndef HNS_MODEL_HOST_H
#define HNS_MODEL_HOST_H
#include <stdint.h>
#include "hns_api.h"
#include "hns_model.h"
#include "hns_profile.h"
#include "sim_probe.h"

typedef struct fx {
  sim_world *world;
  sim_net *net;
  hns_service *svc;
  sim_trace *trace;
} fx;

static fx setup(const char *profile, uint64_t seed) {
  fx f;
  sim_prefix a;
  sim_mac m;
  assert_int_equal(sim_world_create(1, &f.world), SIM_OK);
  assert_int_equal(sim_net_create(f.world, &f.net), SIM_OK);
  assert_int_equal(sim_net_segment_add(f.net, "lan", SIM_US(100), 0.0), SIM_OK);
  assert_int_equal(sim_net_host_add(f.net, "node1", SIM_HOST_WINDOWS), SIM_OK);
  sim_prefix_parse("10.240.0.4/16", &a);
  sim_mac_parse("00-15-5D-00-00-04", &m);
  assert_int_equal(sim_net_nic_add(f.net, "node1", "Ethernet", "lan", &a, &m), SIM_OK);
  hns_service_config cfg = {hns_profile_find(profile), "node1", seed};
  assert_int_equal(hns_service_create(&cfg, &f.svc), HNS_S_OK);
  assert_int_equal(hns_service_attach_model(f.svc, f.net, "node1"), HNS_S_OK);
  assert_int_equal(sim_trace_create(&f.trace), SIM_OK);
  return f;
}

static void teardown(fx *f) {
  sim_trace_destroy(f->trace);
  hns_service_destroy(f->svc);
  sim_net_destroy(f->net);
  sim_world_destroy(f->world);
}

#endif
