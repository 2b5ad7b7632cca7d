/* hns_profile.c: the Windows version profile table and hcsshim's HCN feature
 * version-range table, and the questions they answer (hns_profile.h).
 *
 * Invariants: everything here is const data; nothing allocates or keeps state.
 * Profiles are listed oldest build first. Gates are computed from the version
 * ranges, never written per profile.
 *
 * Sources, cited as [key] beside each value (keys of hns-api-facts.md §0 plus
 * these; docs/profiles.md lists them with addresses):
 *   HCSSHIM   microsoft/hcsshim hcn/hcnglobals.go, hcn/hcnsupport.go
 *   HNSLIB    microsoft/hnslib hcn/hcnglobals.go (what kube-proxy imports)
 *   SEED      seed-windows-networking-for-kubernetes.txt (WS2016-era limits)
 *   VDOCS-ISO  VDOCS container-networking/network-isolation-security.md
 *   VDOCS-DRV  VDOCS container-networking/network-drivers-topologies.md
 *   VDOCS-K8S  VDOCS historical Kubernetes docs @f370f6d2 (2017-12)
 *   VDOCS-CP17 VDOCS kubernetes/common-problems.md, 2017-11 revision
 *   VDOCS-CP20 VDOCS kubernetes/common-problems.md @074c6dd9 (2020-08)
 *   VDOCS-MAP  VDOCS HCN "Schema Version Map" (schema 2.0 = 1809)
 *   FACTS §n  hns-api-facts.md section n; FACTS6 = §6 (driver table, compiled
 *             from VDOCS and K8SWEB)
 *   K8SWEB    kubernetes/website windows-networking.md @038a69be
 *   hcsshim#436, #485   HNS 9.2 = "RS5 plus Remote Subnet DCR"; V2 moved to 9.2
 *   KK#93304  "Windows Server, version 1809 with HNS version 9.3"
 *   WC#19     DSR on WS2019 with the 2020-08 update; policy re-hydration
 *             regression fixed in the 2020-11 update
 *   calico-node#1015, KK#62046  DSR from 17763.1432 / KB4571748
 *   SDN#273   overlay needs "Windows Server, version 1809 with KB4489899"
 *   flannel#1112  "The wrong diskette is in the drive. (0x22)" on 1809 after
 *             an update
 *   KK#98680, WC#93, KK#135518  64-backend LB limit (2021), raised to 1024
 *   KK#131466 "HNS version 15.4" on Windows Server 2025; ModifyLoadBalancer
 *             accepted but backends unchanged
 *   ACN#1002, hcsshim#2571  L4WFPProxy policy "available on Windows Server
 *             2022"; used on 20348.4297
 *   hcsshim#184  HNS global version and the 1803 ACL features
 *   website#26465  "Accessing service VIPs from nodes will be available with a
 *             future release of Windows Server" (2021-02)
 * "(inferred)" marks a value no source states; docs/profiles.md says why. */
#include "hns_profile.h"

#include <stddef.h>
#include <string.h>

/* ---- the feature version-range table (HCSSHIM hcnglobals.go) ----------- */

#define HNS_VMAX INT32_MAX /* hcsshim's math.MaxInt32: unbounded */

typedef struct hns_vrange {
  int min_major, min_minor;
  int max_major, max_minor;
} hns_vrange;

#define HNS_MAX_RANGES 5 /* L4Proxy has five */

typedef struct hns_gate {
  const char *name; /* SupportedFeatures JSON key path */
  int nranges;
  hns_vrange r[HNS_MAX_RANGES];
} hns_gate;

/* From version M.m up, without end. */
#define FROM(M, m) {M, m, HNS_VMAX, HNS_VMAX}
/* From M.m to the end of major M (hcsshim's {M, MaxInt32} upper bound). */
#define WITHIN(M, m) {M, m, M, HNS_VMAX}

/* Indexed by hns_feature. Each row is hcsshim's VersionRanges for the
 * feature, ranges ORed. */
static const hns_gate gates[HNS_FEATURE_COUNT] = {
  /* HNSVersion1803 "added ACL functionality" [HCSSHIM] */
  [HNS_FEATURE_ACL_ADDRESS_LISTS] = {"ACL.AclAddressLists", 1, {FROM(7, 2)}},
  [HNS_FEATURE_ACL_HOST_RULE_PRIORITY] = {"ACL.AclHostRulePriority", 1, {FROM(7, 2)}},
  [HNS_FEATURE_ACL_PORT_RANGES] = {"ACL.AclPortRanges", 1, {FROM(7, 2)}},
  [HNS_FEATURE_ACL_RULE_ID] = {"ACL.AclRuleId", 1, {FROM(7, 2)}},
  /* hcsshim sets V1 true whenever GetGlobals succeeds [HCSSHIM hcnsupport.go] */
  [HNS_FEATURE_API_V1] = {"API.V1", 1, {FROM(0, 0)}},
  [HNS_FEATURE_API_V2] = {"API.V2", 1, {FROM(9, 2)}},
  [HNS_FEATURE_REMOTE_SUBNET] = {"RemoteSubnet", 1, {FROM(9, 2)}},
  [HNS_FEATURE_HOST_ROUTE] = {"HostRoute", 1, {FROM(9, 2)}},
  [HNS_FEATURE_DSR] = {"DSR", 2, {WITHIN(9, 3), FROM(10, 2)}},
  [HNS_FEATURE_SLASH32_ENDPOINT_PREFIXES] = {"Slash32EndpointPrefixes", 2,
                                             {WITHIN(9, 3), FROM(10, 4)}},
  /* The hcsshim comment says 9.3/10.4, its code says 11.0; the code decides
   * what clients see [HCSSHIM]. */
  [HNS_FEATURE_ACL_PROTOCOL_252] = {"AclSupportForProtocol252", 1, {FROM(11, 0)}},
  [HNS_FEATURE_SESSION_AFFINITY] = {"SessionAffinity", 1, {FROM(12, 0)}},
  /* hcsshim#1003 moved this from 10.5-10.max + 12.0 to 11.10 [HCSSHIM] */
  [HNS_FEATURE_IPV6_DUAL_STACK] = {"IPv6DualStack", 1, {FROM(11, 10)}},
  [HNS_FEATURE_SET_POLICY] = {"SetPolicy", 1, {FROM(13, 0)}},
  [HNS_FEATURE_VXLAN_PORT] = {"VxlanPort", 1, {FROM(10, 3)}},
  [HNS_FEATURE_L4_PROXY] = {"L4Proxy", 5,
                            {WITHIN(9, 5), WITHIN(10, 5), WITHIN(11, 11), WITHIN(12, 1),
                             FROM(13, 1)}},
  [HNS_FEATURE_L4_WFP_PROXY] = {"L4WfpProxy", 1, {FROM(13, 2)}},
  [HNS_FEATURE_TIER_ACL] = {"TierAcl", 1, {FROM(14, 0)}},
  [HNS_FEATURE_NETWORK_ACL] = {"NetworkACL", 1, {FROM(15, 0)}},
  [HNS_FEATURE_NESTED_IPSET] = {"NestedIpSet", 1, {FROM(15, 0)}},
  [HNS_FEATURE_DISABLE_HOST_PORT] = {"DisableHostPort", 1, {FROM(15, 1)}},
  /* hnslib: "15.5+ ... in Zn and 16.0+ ... in Ge". hcsshim says >= 15.4, but
   * on 15.4 (WS2025) the call did not change the backends (KK#131466) and
   * kube-proxy imports hnslib, so hnslib's ranges are the ones modelled
   * [HNSLIB]. */
  [HNS_FEATURE_MODIFY_LOADBALANCER] = {"ModifyLoadbalancer", 2, {WITHIN(15, 5), FROM(16, 0)}},
  [HNS_FEATURE_ACCELNET] = {"Accelnet", 1, {FROM(15, 4)}},
};

/* hcsshim's isFeatureInRange, test for test. */
static int in_range(const hns_vrange *r, int major, int minor) {
  if (major < r->min_major) return 0;
  if (major > r->max_major) return 0;
  if (major == r->min_major && minor < r->min_minor) return 0;
  if (major == r->max_major && minor > r->max_minor) return 0;
  return 1;
}

static int valid_feature(hns_feature f) {
  return (int)f >= 0 && (int)f < HNS_FEATURE_COUNT;
}

const char *hns_feature_name(hns_feature f) {
  return valid_feature(f) ? gates[f].name : NULL;
}

int hns_feature_lookup(const char *name) {
  if (name == NULL) return -1;
  for (int f = 0; f < HNS_FEATURE_COUNT; f++)
    if (strcmp(gates[f].name, name) == 0) return f;
  return -1;
}

int hns_feature_at_version(hns_feature f, int major, int minor) {
  if (!valid_feature(f)) return 0;
  for (int i = 0; i < gates[f].nranges; i++)
    if (in_range(&gates[f].r[i], major, minor)) return 1;
  return 0;
}

/* ---- the profiles ------------------------------------------------------ */

/* Network types: WS2016 drivers [VDOCS-DRV]; ICS from 1709 (inferred: the
 * ICS-backed Default Switch arrived with 1709); Private and Internal with the
 * v2 schema from 1809 (hcsshim's v2 NetworkType list has Private; Internal is
 * in the v2 NetworkMode docs) (inferred for the first build). */
#define NETS_WS2016                                                                      \
  (HNS_NET_BIT(HNS_NET_NAT) | HNS_NET_BIT(HNS_NET_TRANSPARENT) |                         \
   HNS_NET_BIT(HNS_NET_L2BRIDGE) | HNS_NET_BIT(HNS_NET_L2TUNNEL) |                       \
   HNS_NET_BIT(HNS_NET_OVERLAY))
#define NETS_RS3 (NETS_WS2016 | HNS_NET_BIT(HNS_NET_ICS))
#define NETS_RS5 (NETS_RS3 | HNS_NET_BIT(HNS_NET_PRIVATE) | HNS_NET_BIT(HNS_NET_INTERNAL))

/* E_INVALIDARG (0x80070057) as a signed HRESULT. */
#define PROF_E_INVALIDARG ((int32_t)-2147024809)

/* Windows Server 2016 */
static const hns_profile p_ws2016 = {
  .name = "ws2016",
  .windows = "Windows Server 2016 (1607)",
  .build = 14393,
  .ubr_min = 1066, /* KB4015217 = 14393.1066: overlay and the IPv6 requirement [VDOCS-DRV, FACTS6]; UBR number (inferred) */
  .update = "KB4015217",
  .hns_major = 0, .hns_minor = 0, /* unknown: no globals call, no object sample (inferred) */
  .has_globals_version = 0,       /* "expected on pre 1803 builds" [HCSSHIM] */
  .globals_version_hr = PROF_E_INVALIDARG, /* the exact failure is undocumented (inferred) */
  .has_v2_api = 0,                /* HCN v2 from 1809 [VDOCS-MAP] */
  .network_types = NETS_WS2016,   /* nat, transparent, overlay (KB4015217), l2bridge [VDOCS-DRV]; l2tunnel (inferred) */
  .endpoints_per_container = 2,   /* one NAT, one Transparent [SEED] */
  .shared_compartment = 0,        /* one container per pod [SEED, VDOCS-K8S] */
  .cni_supported = 0,             /* "CNI Network Plugins are not supported" [SEED] */
  .endpoint_hot_attach = 0,       /* no hot-add of NICs while running [FACTS6] */
  .inbound_default = HNS_INBOUND_DENY_ALL, /* "before 1709 the default inbound was deny" [VDOCS-ISO] */
  .network_policy_acl = 0,        /* "Policy specifications ... are not supported" [SEED] */
  .multiple_nat_networks = 0,     /* one internal NAT prefix [FACTS6, VDOCS-DRV] */
  .nat_networks_persist = 1,      /* not-persisted is stated for WS2019+ only [VDOCS, FACTS6] (inferred) */
  .overlay_outbound_needs_nat_endpoint = 1, /* "requires second container endpoint attached to NAT network" [VDOCS-DRV] */
  .ipv6_overlay = HNS_IPV6_NONE,  /* no IPv6 on overlay [K8SWEB] */
  .ipv6_l2bridge = HNS_IPV6_NONE, /* IPv6 on l2bridge from WS2022 [FACTS6] */
  .ipv6_transparent = HNS_IPV6_NONE, /* stated for WS2022+ only [FACTS6] (inferred) */
  .service_vip_balanced = 0,      /* "associated with one Container Host and will not be load-balanced" [SEED] */
  .max_lb_backends = 0,           /* no HNS load balancer [SEED] */
  .lb_port_block = 0,             /* no HNS load balancer [SEED] */
  .ephemeral_port_first = 49152, .ephemeral_port_last = 65535, /* Windows dynamic range [VDOCS-CP20] */
  .lb_port_pool_sharing = 0,      /* no HNS load balancer [SEED] */
  .host_reaches_service_vip = 0,  /* VIP bound to one host, no kernel LB [SEED] (inferred) */
  .host_reaches_local_nodeport = 0, /* (inferred) */
  .hns_data_incompatible_after_update = 1, /* "Windows Server 2019 (and earlier)" [VDOCS-CP20] */
  .restart_loses_policies = 0,    /* no source reports it (inferred) */
  .lb_modify_ignored = 0,         /* no ModifyLoadBalancer */
};

/* Windows Server, version 1709 */
static const hns_profile p_1709 = {
  .name = "1709",
  .windows = "Windows Server, version 1709",
  .build = 16299,
  .ubr_min = 0,
  .update = NULL,
  .hns_major = 5, .hns_minor = 1, /* object Version 5.1 in 2017-18 flannel samples [FACTS §3.1, §4] (inferred) */
  .has_globals_version = 0,       /* "expected on pre 1803 builds" [HCSSHIM] */
  .globals_version_hr = PROF_E_INVALIDARG, /* (inferred) */
  .has_v2_api = 0,                /* [VDOCS-MAP] */
  .network_types = NETS_RS3,      /* [VDOCS-DRV]; ICS (inferred) */
  .endpoints_per_container = 1,   /* shared pod compartments with 1709 + k8s 1.9 [VDOCS-K8S] */
  .shared_compartment = 1,        /* [VDOCS-K8S] */
  .cni_supported = 1,             /* 1709/1803 k8s guides use CNI (wincni, flannel) [VDOCS-K8S] */
  .endpoint_hot_attach = 1,       /* the WS2016 limit is not repeated for later builds (inferred) */
  .inbound_default = HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP, /* [VDOCS-ISO] */
  .network_policy_acl = 0,        /* ACLs arrived with HNS 7.2 / 1803 [HCSSHIM] (inferred) */
  .multiple_nat_networks = 1,     /* "Multiple NAT networks ... Creators Update" [VDOCS-DRV] */
  .nat_networks_persist = 1,      /* (inferred) */
  .overlay_outbound_needs_nat_endpoint = 1, /* pre-WS2019 [VDOCS-DRV] */
  .ipv6_overlay = HNS_IPV6_NONE,  /* [K8SWEB] */
  .ipv6_l2bridge = HNS_IPV6_NONE, /* [FACTS6] */
  .ipv6_transparent = HNS_IPV6_NONE, /* (inferred) */
  .service_vip_balanced = 1,      /* kernel-based LB from 1709 [VDOCS-K8S] */
  .max_lb_backends = 64,          /* the WS2019 limit [KK#98680] assumed for older builds (inferred) */
  .lb_port_block = 64,            /* documented for WS2019 [VDOCS-CP20] (inferred for 1709) */
  .ephemeral_port_first = 49152, .ephemeral_port_last = 65535, /* [VDOCS-CP20] */
  .lb_port_pool_sharing = 0,      /* sharing came in KB4551853 (2020) [VDOCS-CP20] */
  .host_reaches_service_vip = 0,  /* "My Windows node cannot access my services" [VDOCS-CP17] */
  .host_reaches_local_nodeport = 0, /* [VDOCS-CP20, K8SWEB] (inferred for 1709) */
  .hns_data_incompatible_after_update = 1, /* [VDOCS-CP20] */
  .restart_loses_policies = 0,    /* (inferred) */
  .lb_modify_ignored = 0,
};

/* Windows Server, version 1803 */
static const hns_profile p_1803 = {
  .name = "1803",
  .windows = "Windows Server, version 1803",
  .build = 17134,
  .ubr_min = 0,
  .update = NULL,
  .hns_major = 7, .hns_minor = 2, /* HNSVersion1803 [HCSSHIM, hcsshim#184] */
  .has_globals_version = 1,       /* fails only "on pre 1803 builds" [HCSSHIM] */
  .globals_version_hr = 0,
  .has_v2_api = 0,                /* [VDOCS-MAP] */
  .network_types = NETS_RS3,      /* [VDOCS-DRV]; ICS (inferred) */
  .endpoints_per_container = 1,   /* [VDOCS-K8S] */
  .shared_compartment = 1,        /* [VDOCS-K8S] */
  .cni_supported = 1,             /* [VDOCS-K8S] */
  .endpoint_hot_attach = 1,       /* (inferred) */
  .inbound_default = HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP, /* [VDOCS-ISO] */
  .network_policy_acl = 1,        /* "HNSVersion1803 added ACL functionality" [HCSSHIM] */
  .multiple_nat_networks = 1,     /* [VDOCS-DRV] */
  .nat_networks_persist = 1,      /* (inferred) */
  .overlay_outbound_needs_nat_endpoint = 1, /* pre-WS2019 [VDOCS-DRV] */
  .ipv6_overlay = HNS_IPV6_NONE,  /* [K8SWEB] */
  .ipv6_l2bridge = HNS_IPV6_NONE, /* [FACTS6] */
  .ipv6_transparent = HNS_IPV6_NONE, /* (inferred) */
  .service_vip_balanced = 1,      /* [VDOCS-K8S] */
  .max_lb_backends = 64,          /* (inferred, see 1709) */
  .lb_port_block = 64,            /* (inferred, see 1709) */
  .ephemeral_port_first = 49152, .ephemeral_port_last = 65535, /* [VDOCS-CP20] */
  .lb_port_pool_sharing = 0,      /* [VDOCS-CP20] */
  .host_reaches_service_vip = 0,  /* 1709-1809 era [VDOCS-CP17, VDOCS-CP20] */
  .host_reaches_local_nodeport = 0, /* (inferred, see 1709) */
  .hns_data_incompatible_after_update = 1, /* [VDOCS-CP20] */
  .restart_loses_policies = 0,    /* (inferred) */
  .lb_modify_ignored = 0,
};

/* Windows Server 2019 as released (17763.1), before KB4489899 (2019-03) and
 * the 2020 updates. */
static const hns_profile p_ws2019_rtm = {
  .name = "ws2019-rtm",
  .windows = "Windows Server 2019 (1809), as released",
  .build = 17763,
  .ubr_min = 1,                   /* 17763.1, the RTM build */
  .update = NULL,
  .hns_major = 9, .hns_minor = 1, /* below 9.2 = "RS5 plus Remote Subnet DCR" [hcsshim#436, #485]; 9.1 seen in object samples [FACTS §3.1] (inferred) */
  .has_globals_version = 1,       /* [HCSSHIM] */
  .globals_version_hr = 0,
  .has_v2_api = 1,                /* schema 2.0 = 1809 [VDOCS-MAP]; the API.V2 gate (9.2) is still off */
  .network_types = NETS_RS5,      /* overlay type exists (Swarm); k8s overlay needs KB4489899 = RemoteSubnet [SDN#273] */
  .endpoints_per_container = 1,   /* [VDOCS-K8S] */
  .shared_compartment = 1,        /* [VDOCS-K8S] */
  .cni_supported = 1,             /* [K8SWEB] */
  .endpoint_hot_attach = 1,       /* (inferred) */
  .inbound_default = HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP, /* [VDOCS-ISO] */
  .network_policy_acl = 1,        /* [HCSSHIM] */
  .multiple_nat_networks = 1,     /* [VDOCS-DRV] */
  .nat_networks_persist = 0,      /* "not persisted across reboot" on WS2019+ [FACTS6] */
  .overlay_outbound_needs_nat_endpoint = 0, /* WS2019 overlay uses VFP NAT [VDOCS-DRV] */
  .ipv6_overlay = HNS_IPV6_NONE,  /* [K8SWEB] */
  .ipv6_l2bridge = HNS_IPV6_NONE, /* from WS2022 [FACTS6] */
  .ipv6_transparent = HNS_IPV6_NONE, /* (inferred) */
  .service_vip_balanced = 1,      /* [K8SWEB] */
  .max_lb_backends = 64,          /* [KK#98680] */
  .lb_port_block = 64,            /* [VDOCS-CP20] */
  .ephemeral_port_first = 49152, .ephemeral_port_last = 65535, /* [VDOCS-CP20] */
  .lb_port_pool_sharing = 0,      /* KB4551853 (2020) not installed [VDOCS-CP20] */
  .host_reaches_service_vip = 0,  /* [VDOCS-CP20] */
  .host_reaches_local_nodeport = 0, /* "addressed with ... KB4571748" [VDOCS-CP20] */
  .hns_data_incompatible_after_update = 1, /* [VDOCS-CP20, flannel#1112] */
  .restart_loses_policies = 0,    /* the regression came with the 2020-08 update [WC#19] */
  .lb_modify_ignored = 0,
};

/* Windows Server 2019 with the August 2020 cumulative update (17763.1432+),
 * the one that brought DSR. */
static const hns_profile p_ws2019 = {
  .name = "ws2019",
  .windows = "Windows Server 2019 (1809), 2020-08 update",
  .build = 17763,
  .ubr_min = 1432,                /* DSR from 17763.1432 [calico-node#1015, WC#19] */
  .update = "KB4571748",          /* [KK#62046] */
  .hns_major = 9, .hns_minor = 3, /* "1809 with HNS version 9.3" [KK#93304]; DSR range 9.3-9.max [HCSSHIM] */
  .has_globals_version = 1,       /* [HCSSHIM] */
  .globals_version_hr = 0,
  .has_v2_api = 1,                /* [VDOCS-MAP] */
  .network_types = NETS_RS5,      /* [VDOCS-DRV, K8SWEB] */
  .endpoints_per_container = 1,   /* [K8SWEB] */
  .shared_compartment = 1,        /* [K8SWEB] */
  .cni_supported = 1,             /* [K8SWEB] */
  .endpoint_hot_attach = 1,       /* (inferred) */
  .inbound_default = HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP, /* [VDOCS-ISO] */
  .network_policy_acl = 1,        /* [HCSSHIM] */
  .multiple_nat_networks = 1,     /* [VDOCS-DRV] */
  .nat_networks_persist = 0,      /* [FACTS6] */
  .overlay_outbound_needs_nat_endpoint = 0, /* [VDOCS-DRV] */
  .ipv6_overlay = HNS_IPV6_NONE,  /* [K8SWEB] */
  .ipv6_l2bridge = HNS_IPV6_NONE, /* [FACTS6] */
  .ipv6_transparent = HNS_IPV6_NONE, /* (inferred) */
  .service_vip_balanced = 1,      /* [K8SWEB] */
  .max_lb_backends = 64,          /* still 64 in 2021 [KK#98680]; a later update raised it to 1024 [WC#93] */
  .lb_port_block = 64,            /* [VDOCS-CP20] */
  .ephemeral_port_first = 49152, .ephemeral_port_last = 65535, /* [VDOCS-CP20] */
  .lb_port_pool_sharing = 1,      /* KB4551853 "and all newer cumulative updates" [VDOCS-CP20] */
  .host_reaches_service_vip = 0,  /* still "a future release" in 2021-02 [website#26465] */
  .host_reaches_local_nodeport = 1, /* fixed by KB4571748 [VDOCS-CP20]; K8SWEB still lists it as a limit */
  .hns_data_incompatible_after_update = 1, /* [VDOCS-CP20] */
  .restart_loses_policies = 1,    /* regression in the 2020-08 update, fixed in 2020-11 [WC#19] */
  .lb_modify_ignored = 0,
};

/* Windows Server 2022 */
static const hns_profile p_ws2022 = {
  .name = "ws2022",
  .windows = "Windows Server 2022",
  .build = 20348,
  .ubr_min = 0,
  .update = NULL,
  .hns_major = 13, .hns_minor = 3, /* >= 13.2: L4WFPProxy on WS2022 [ACN#1002, hcsshim#2571]; 13.3 from a sample [FACTS §4] (inferred) */
  .has_globals_version = 1,       /* [HCSSHIM] */
  .globals_version_hr = 0,
  .has_v2_api = 1,                /* [VDOCS-MAP] */
  .network_types = NETS_RS5,      /* [K8SWEB] */
  .endpoints_per_container = 1,   /* [K8SWEB] */
  .shared_compartment = 1,        /* [K8SWEB] */
  .cni_supported = 1,             /* [K8SWEB] */
  .endpoint_hot_attach = 1,       /* (inferred) */
  .inbound_default = HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP, /* [VDOCS-ISO] */
  .network_policy_acl = 1,        /* [HCSSHIM] */
  .multiple_nat_networks = 1,     /* [VDOCS-DRV] */
  .nat_networks_persist = 0,      /* WS2019+ [FACTS6] */
  .overlay_outbound_needs_nat_endpoint = 0, /* [VDOCS-DRV] */
  .ipv6_overlay = HNS_IPV6_NONE,  /* [K8SWEB] */
  .ipv6_l2bridge = HNS_IPV6_FULL, /* from WS2022 [FACTS6] */
  .ipv6_transparent = HNS_IPV6_SELF_ASSIGNED, /* self-assigned only, no HNS IPAM/LB/ACL [FACTS6] */
  .service_vip_balanced = 1,      /* [K8SWEB] */
  .max_lb_backends = 1024,        /* [K8SWEB, WC#93, KK#135518] */
  .lb_port_block = 64,            /* [VDOCS-CP20] (inferred still so) */
  .ephemeral_port_first = 49152, .ephemeral_port_last = 65535, /* [VDOCS-CP20] */
  .lb_port_pool_sharing = 1,      /* "all newer cumulative updates" [VDOCS-CP20] (inferred for WS2022) */
  .host_reaches_service_vip = 1,  /* the "future release" of [website#26465]; gone from [K8SWEB] limits (inferred) */
  .host_reaches_local_nodeport = 1, /* as ws2019 [VDOCS-CP20]; K8SWEB still lists it (inferred) */
  .hns_data_incompatible_after_update = 0, /* HNS.data remedy is for WS2019 and earlier [VDOCS-CP20] (inferred) */
  .restart_loses_policies = 0,    /* (inferred) */
  .lb_modify_ignored = 0,         /* no ModifyLoadbalancer gate at 13.x [HNSLIB] */
};

/* Windows Server 2025 */
static const hns_profile p_ws2025 = {
  .name = "ws2025",
  .windows = "Windows Server 2025",
  .build = 26100,
  .ubr_min = 0,
  .update = NULL,
  .hns_major = 15, .hns_minor = 4, /* "HNS version 15.4" on WS2025 [KK#131466] */
  .has_globals_version = 1,       /* [HCSSHIM] */
  .globals_version_hr = 0,
  .has_v2_api = 1,                /* [VDOCS-MAP] */
  .network_types = NETS_RS5,      /* [K8SWEB] */
  .endpoints_per_container = 1,   /* [K8SWEB] */
  .shared_compartment = 1,        /* [K8SWEB] */
  .cni_supported = 1,             /* [K8SWEB] */
  .endpoint_hot_attach = 1,       /* (inferred) */
  .inbound_default = HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP, /* [VDOCS-ISO] */
  .network_policy_acl = 1,        /* [HCSSHIM] */
  .multiple_nat_networks = 1,     /* [VDOCS-DRV] */
  .nat_networks_persist = 0,      /* WS2019+ [FACTS6] */
  .overlay_outbound_needs_nat_endpoint = 0, /* [VDOCS-DRV] */
  .ipv6_overlay = HNS_IPV6_NONE,  /* [K8SWEB] */
  .ipv6_l2bridge = HNS_IPV6_FULL, /* WS2022+ [FACTS6] */
  .ipv6_transparent = HNS_IPV6_SELF_ASSIGNED, /* WS2022+ [FACTS6] */
  .service_vip_balanced = 1,      /* [K8SWEB] */
  .max_lb_backends = 1024,        /* [K8SWEB] */
  .lb_port_block = 64,            /* (inferred, see ws2022) */
  .ephemeral_port_first = 49152, .ephemeral_port_last = 65535, /* [VDOCS-CP20] */
  .lb_port_pool_sharing = 1,      /* (inferred, see ws2022) */
  .host_reaches_service_vip = 1,  /* (inferred, see ws2022) */
  .host_reaches_local_nodeport = 1, /* (inferred, see ws2022) */
  .hns_data_incompatible_after_update = 0, /* (inferred, see ws2022) */
  .restart_loses_policies = 0,    /* (inferred) */
  .lb_modify_ignored = 1,         /* modify "succeeded" but backends unchanged at 15.4 [KK#131466] */
};

/* Oldest build first; ws2019-rtm before ws2019 (same build, older update). */
static const hns_profile *const profiles[] = {
  &p_ws2016, &p_1709, &p_1803, &p_ws2019_rtm, &p_ws2019, &p_ws2022, &p_ws2025, NULL,
};

const hns_profile *hns_profile_find(const char *name) {
  if (name == NULL) return NULL;
  for (size_t i = 0; profiles[i] != NULL; i++)
    if (strcmp(profiles[i]->name, name) == 0) return profiles[i];
  return NULL;
}

const hns_profile *const *hns_profiles(void) { return profiles; }

const char *hns_profile_default_name(void) { return "ws2022"; }

int hns_profile_has(const hns_profile *p, hns_feature f) {
  /* hcsshim: when GET /globals/version fails, SupportedFeatures{} is all
   * false, API.V1 included. */
  if (p == NULL || !p->has_globals_version) return 0;
  return hns_feature_at_version(f, p->hns_major, p->hns_minor);
}

int hns_profile_has_network_type(const hns_profile *p, int type) {
  if (p == NULL || type < 0 || type >= HNS_NET_TYPE_COUNT) return 0;
  return (p->network_types & HNS_NET_BIT(type)) != 0;
}
