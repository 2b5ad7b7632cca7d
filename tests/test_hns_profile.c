/* test_hns_profile.c: Windows version profiles. The feature table evaluates as
 * hcsshim's isFeatureSupported does at every range boundary; each profile
 * reports the HNS version and gates docs/profiles.md promises; lookup by name,
 * list order and the network-type bitmask. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hns_profile.h"

static int at(hns_feature f, int major, int minor) {
  return hns_feature_at_version(f, major, minor);
}

static void dsr_ranges_boundaries(void **state) {
  (void)state;
  /* 9.3 through 9.max, then 10.2 on (hcsshim PR#848). */
  assert_false(at(HNS_FEATURE_DSR, 9, 2));
  assert_true(at(HNS_FEATURE_DSR, 9, 3));
  assert_true(at(HNS_FEATURE_DSR, 9, 5));
  assert_true(at(HNS_FEATURE_DSR, 9, INT32_MAX));
  assert_false(at(HNS_FEATURE_DSR, 10, 0));
  assert_false(at(HNS_FEATURE_DSR, 10, 1));
  assert_true(at(HNS_FEATURE_DSR, 10, 2));
  assert_true(at(HNS_FEATURE_DSR, 11, 0));
  assert_true(at(HNS_FEATURE_DSR, 15, 4));
  assert_false(at(HNS_FEATURE_DSR, 8, 99));
}

static void l4proxy_multi_range(void **state) {
  (void)state;
  static const struct { int major, minor, on; } cases[] = {
    {9, 4, 0},   {9, 5, 1},   {9, 100, 1}, {10, 0, 0},  {10, 4, 0},  {10, 5, 1},
    {11, 0, 0},  {11, 10, 0}, {11, 11, 1}, {12, 0, 0},  {12, 1, 1},  {13, 0, 0},
    {13, 1, 1},  {14, 0, 1},  {99, 0, 1},  {8, 5, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = at(HNS_FEATURE_L4_PROXY, cases[i].major, cases[i].minor);
    if (got != cases[i].on)
      fail_msg("L4Proxy at %d.%d: got %d, want %d", cases[i].major, cases[i].minor, got,
               cases[i].on);
  }
}

static void single_range_boundaries(void **state) {
  (void)state;
  assert_false(at(HNS_FEATURE_ACL_ADDRESS_LISTS, 7, 1));
  assert_true(at(HNS_FEATURE_ACL_ADDRESS_LISTS, 7, 2));
  assert_true(at(HNS_FEATURE_ACL_RULE_ID, 8, 0));
  assert_false(at(HNS_FEATURE_API_V2, 9, 1));
  assert_true(at(HNS_FEATURE_API_V2, 9, 2));
  assert_false(at(HNS_FEATURE_REMOTE_SUBNET, 9, 1));
  assert_true(at(HNS_FEATURE_HOST_ROUTE, 9, 2));
  assert_false(at(HNS_FEATURE_SLASH32_ENDPOINT_PREFIXES, 10, 3));
  assert_true(at(HNS_FEATURE_SLASH32_ENDPOINT_PREFIXES, 10, 4));
  assert_true(at(HNS_FEATURE_SLASH32_ENDPOINT_PREFIXES, 9, 3));
  /* The code says 11.0 though the comment says 9.3/10.4. */
  assert_false(at(HNS_FEATURE_ACL_PROTOCOL_252, 10, 4));
  assert_true(at(HNS_FEATURE_ACL_PROTOCOL_252, 11, 0));
  assert_false(at(HNS_FEATURE_IPV6_DUAL_STACK, 11, 9));
  assert_true(at(HNS_FEATURE_IPV6_DUAL_STACK, 11, 10));
  assert_false(at(HNS_FEATURE_IPV6_DUAL_STACK, 10, 5));
  assert_false(at(HNS_FEATURE_SESSION_AFFINITY, 11, 99));
  assert_true(at(HNS_FEATURE_SESSION_AFFINITY, 12, 0));
  assert_false(at(HNS_FEATURE_VXLAN_PORT, 10, 2));
  assert_true(at(HNS_FEATURE_VXLAN_PORT, 10, 3));
  assert_false(at(HNS_FEATURE_SET_POLICY, 12, 9));
  assert_true(at(HNS_FEATURE_SET_POLICY, 13, 0));
  assert_false(at(HNS_FEATURE_L4_WFP_PROXY, 13, 1));
  assert_true(at(HNS_FEATURE_L4_WFP_PROXY, 13, 2));
  assert_true(at(HNS_FEATURE_TIER_ACL, 14, 0));
  assert_false(at(HNS_FEATURE_NETWORK_ACL, 14, 9));
  assert_true(at(HNS_FEATURE_NESTED_IPSET, 15, 0));
  assert_false(at(HNS_FEATURE_DISABLE_HOST_PORT, 15, 0));
  assert_true(at(HNS_FEATURE_DISABLE_HOST_PORT, 15, 1));
  assert_false(at(HNS_FEATURE_ACCELNET, 15, 3));
  assert_true(at(HNS_FEATURE_ACCELNET, 15, 4));
  assert_true(at(HNS_FEATURE_API_V1, 0, 0));
}

static void modify_lb_follows_hnslib(void **state) {
  (void)state;
  /* hnslib: 15.5-15.max and 16.0+; 15.4 (where hcsshim said yes) is off. */
  assert_false(at(HNS_FEATURE_MODIFY_LOADBALANCER, 15, 4));
  assert_true(at(HNS_FEATURE_MODIFY_LOADBALANCER, 15, 5));
  assert_true(at(HNS_FEATURE_MODIFY_LOADBALANCER, 15, INT32_MAX));
  assert_true(at(HNS_FEATURE_MODIFY_LOADBALANCER, 16, 0));
  assert_false(at(HNS_FEATURE_MODIFY_LOADBALANCER, 14, 9));
}

static void feature_names_are_hcsshim_keys(void **state) {
  (void)state;
  assert_string_equal(hns_feature_name(HNS_FEATURE_API_V2), "API.V2");
  assert_string_equal(hns_feature_name(HNS_FEATURE_DSR), "DSR");
  assert_string_equal(hns_feature_name(HNS_FEATURE_ACL_ADDRESS_LISTS), "ACL.AclAddressLists");
  assert_string_equal(hns_feature_name(HNS_FEATURE_ACL_HOST_RULE_PRIORITY),
                      "ACL.AclHostRulePriority");
  assert_string_equal(hns_feature_name(HNS_FEATURE_ACL_PROTOCOL_252), "AclSupportForProtocol252");
  assert_string_equal(hns_feature_name(HNS_FEATURE_MODIFY_LOADBALANCER), "ModifyLoadbalancer");
  assert_string_equal(hns_feature_name(HNS_FEATURE_ACCELNET), "Accelnet");
  assert_null(hns_feature_name(HNS_FEATURE_COUNT));
  assert_null(hns_feature_name((hns_feature)-1));
  /* Every feature has a distinct name, and lookup inverts it. */
  for (int f = 0; f < HNS_FEATURE_COUNT; f++) {
    const char *n = hns_feature_name((hns_feature)f);
    assert_non_null(n);
    assert_int_equal(hns_feature_lookup(n), f);
  }
  assert_int_equal(hns_feature_lookup("dsr"), -1);
  assert_int_equal(hns_feature_lookup(NULL), -1);
  assert_false(hns_feature_at_version(HNS_FEATURE_COUNT, 99, 0));
}

static const hns_profile *must(const char *name) {
  const hns_profile *p = hns_profile_find(name);
  if (p == NULL) fail_msg("profile %s missing", name);
  return p;
}

static void profile_hns_versions(void **state) {
  (void)state;
  static const struct { const char *name; int major, minor, globals, v2; } want[] = {
    {"ws2016", 0, 0, 0, 0},      {"1709", 5, 1, 0, 0},    {"1803", 7, 2, 1, 0},
    {"ws2019-rtm", 9, 1, 1, 1}, {"ws2019", 9, 3, 1, 1},  {"ws2022", 13, 3, 1, 1},
    {"ws2025", 15, 4, 1, 1},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const hns_profile *p = must(want[i].name);
    assert_int_equal(p->hns_major, want[i].major);
    assert_int_equal(p->hns_minor, want[i].minor);
    assert_int_equal(p->has_globals_version, want[i].globals);
    assert_int_equal(p->has_v2_api, want[i].v2);
    /* Where the globals call exists it cannot fail; where it does not, the
     * failure has an HRESULT. */
    if (p->has_globals_version) assert_int_equal(p->globals_version_hr, 0);
    else assert_true(p->globals_version_hr < 0);
  }
  assert_int_equal(must("ws2016")->build, 14393);
  assert_int_equal(must("1709")->build, 16299);
  assert_int_equal(must("1803")->build, 17134);
  assert_int_equal(must("ws2019-rtm")->build, 17763);
  assert_int_equal(must("ws2019")->build, 17763);
  assert_int_equal(must("ws2019")->ubr_min, 1432);
  assert_int_equal(must("ws2022")->build, 20348);
  assert_int_equal(must("ws2025")->build, 26100);
}

static void profile_gates(void **state) {
  (void)state;
  const hns_profile *rtm = must("ws2019-rtm"), *ws2019 = must("ws2019");
  const hns_profile *ws2016 = must("ws2016"), *ws2022 = must("ws2022");
  const hns_profile *ws2025 = must("ws2025");

  assert_false(hns_profile_has(rtm, HNS_FEATURE_DSR));
  assert_true(hns_profile_has(ws2019, HNS_FEATURE_DSR));
  assert_true(hns_profile_has(ws2019, HNS_FEATURE_API_V2));
  assert_false(hns_profile_has(ws2019, HNS_FEATURE_SESSION_AFFINITY));
  assert_false(hns_profile_has(ws2019, HNS_FEATURE_VXLAN_PORT));
  assert_true(hns_profile_has(ws2022, HNS_FEATURE_SESSION_AFFINITY));
  assert_true(hns_profile_has(ws2022, HNS_FEATURE_IPV6_DUAL_STACK));
  assert_true(hns_profile_has(ws2022, HNS_FEATURE_L4_WFP_PROXY));
  assert_false(hns_profile_has(ws2022, HNS_FEATURE_MODIFY_LOADBALANCER));
  assert_false(hns_profile_has(ws2025, HNS_FEATURE_MODIFY_LOADBALANCER));
  assert_true(hns_profile_has(ws2025, HNS_FEATURE_ACCELNET));
  assert_true(ws2025->lb_modify_ignored);

  /* ws2016 and 1709 have no /globals/version: every gate is off, V1 too. */
  for (int f = 0; f < HNS_FEATURE_COUNT; f++) {
    assert_false(hns_profile_has(ws2016, (hns_feature)f));
    assert_false(hns_profile_has(must("1709"), (hns_feature)f));
  }
  assert_false(hns_profile_has(ws2016, HNS_FEATURE_API_V2));
  assert_false(ws2016->has_v2_api);
  assert_true(hns_profile_has(must("1803"), HNS_FEATURE_API_V1));
  assert_true(hns_profile_has(must("1803"), HNS_FEATURE_ACL_RULE_ID));
  assert_false(hns_profile_has(must("1803"), HNS_FEATURE_API_V2));
  assert_false(hns_profile_has(NULL, HNS_FEATURE_API_V1));
}

static void newer_profiles_keep_older_gates(void **state) {
  (void)state;
  /* With the versions the profiles carry, no newer profile loses a gate an
   * older one had (the table could allow it: DSR is off at 10.0-10.1). Guards
   * against a typo in a profile's version. */
  const hns_profile *const *list = hns_profiles();
  for (size_t i = 1; list[i] != NULL; i++)
    for (int f = 0; f < HNS_FEATURE_COUNT; f++)
      if (hns_profile_has(list[i - 1], (hns_feature)f) && !hns_profile_has(list[i], (hns_feature)f))
        fail_msg("%s has %s but newer %s does not", list[i - 1]->name,
                 hns_feature_name((hns_feature)f), list[i]->name);
}

static void find_by_name(void **state) {
  (void)state;
  const hns_profile *p = hns_profile_find("ws2019-rtm");
  assert_non_null(p);
  assert_string_equal(p->name, "ws2019-rtm");
  assert_null(hns_profile_find("WS2019"));
  assert_null(hns_profile_find("ws2019 "));
  assert_null(hns_profile_find("ws2012"));
  assert_null(hns_profile_find(""));
  assert_null(hns_profile_find(NULL));
  assert_string_equal(hns_profile_default_name(), "ws2022");
  assert_non_null(hns_profile_find(hns_profile_default_name()));
}

static void list_oldest_first(void **state) {
  (void)state;
  static const char *const order[] = {"ws2016", "1709",   "1803",  "ws2019-rtm",
                                      "ws2019", "ws2022", "ws2025"};
  const hns_profile *const *list = hns_profiles();
  size_t n = 0;
  for (; list[n] != NULL; n++) {
    assert_true(n < sizeof order / sizeof order[0]);
    assert_string_equal(list[n]->name, order[n]);
    assert_non_null(list[n]->windows);
    assert_true(strlen(list[n]->windows) > 0);
    assert_ptr_equal(hns_profile_find(list[n]->name), list[n]);
    if (n > 0) {
      const hns_profile *a = list[n - 1], *b = list[n];
      assert_true(a->build < b->build || (a->build == b->build && a->ubr_min < b->ubr_min));
    }
  }
  assert_int_equal(n, sizeof order / sizeof order[0]);
}

static void network_types(void **state) {
  (void)state;
  const hns_profile *ws2016 = must("ws2016"), *ws2022 = must("ws2022");
  assert_true(hns_profile_has_network_type(ws2016, HNS_NET_NAT));
  assert_true(hns_profile_has_network_type(ws2016, HNS_NET_TRANSPARENT));
  assert_true(hns_profile_has_network_type(ws2016, HNS_NET_OVERLAY));
  assert_false(hns_profile_has_network_type(ws2016, HNS_NET_ICS));
  assert_false(hns_profile_has_network_type(ws2016, HNS_NET_PRIVATE));
  for (int t = 0; t < HNS_NET_TYPE_COUNT; t++) {
    assert_true(hns_profile_has_network_type(ws2022, t));
    assert_true(hns_profile_has_network_type(must("ws2025"), t));
  }
  assert_false(hns_profile_has_network_type(ws2022, -1));
  assert_false(hns_profile_has_network_type(ws2022, HNS_NET_TYPE_COUNT));
  assert_false(hns_profile_has_network_type(NULL, HNS_NET_NAT));
  /* NetworkMode ordinals the JSON uses. */
  assert_int_equal(HNS_NET_NAT, 0);
  assert_int_equal(HNS_NET_ICS, 1);
  assert_int_equal(HNS_NET_TRANSPARENT, 2);
}

static void documented_limits(void **state) {
  (void)state;
  const hns_profile *ws2016 = must("ws2016"), *rtm = must("ws2019-rtm");
  const hns_profile *ws2019 = must("ws2019"), *ws2022 = must("ws2022");
  assert_int_equal(ws2016->endpoints_per_container, 2);
  assert_false(ws2016->shared_compartment);
  assert_false(ws2016->cni_supported);
  assert_false(ws2016->service_vip_balanced);
  assert_false(ws2016->network_policy_acl);
  assert_int_equal(ws2016->inbound_default, HNS_INBOUND_DENY_ALL);
  assert_int_equal(must("1709")->inbound_default, HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP);
  assert_true(must("1709")->shared_compartment);
  assert_true(must("1803")->nat_networks_persist);
  assert_false(rtm->nat_networks_persist);
  assert_false(rtm->lb_port_pool_sharing);
  assert_true(ws2019->lb_port_pool_sharing);
  assert_int_equal(ws2022->max_lb_backends, 1024);
  assert_int_equal(ws2022->lb_port_block, 64);
  assert_int_equal(ws2022->ephemeral_port_first, 49152);
  assert_int_equal(ws2022->ephemeral_port_last, 65535);
  assert_false(must("1803")->host_reaches_service_vip);
  assert_int_equal(ws2022->ipv6_transparent, HNS_IPV6_SELF_ASSIGNED);
  for (const hns_profile *const *p = hns_profiles(); *p != NULL; p++)
    assert_int_equal((*p)->ipv6_overlay, HNS_IPV6_NONE);
  assert_true(ws2019->hns_data_incompatible_after_update);
  assert_true(ws2019->restart_loses_policies);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(dsr_ranges_boundaries),
    cmocka_unit_test(l4proxy_multi_range),
    cmocka_unit_test(single_range_boundaries),
    cmocka_unit_test(modify_lb_follows_hnslib),
    cmocka_unit_test(feature_names_are_hcsshim_keys),
    cmocka_unit_test(profile_hns_versions),
    cmocka_unit_test(profile_gates),
    cmocka_unit_test(newer_profiles_keep_older_gates),
    cmocka_unit_test(find_by_name),
    cmocka_unit_test(list_oldest_first),
    cmocka_unit_test(network_types),
    cmocka_unit_test(documented_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
