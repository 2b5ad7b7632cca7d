/* hns_profile.h: Windows version profiles. A profile names a Windows build and
 * records what its Host Networking Service (HNS) supports: the version HNS
 * reports, which API surfaces exist, the HCN feature gates clients compute
 * from that version, the network types it offers, and its documented limits
 * and quirks. The simulator fails a call the profile does not support the way
 * that Windows version fails; this module only answers the questions, other
 * modules act on the answers.
 *
 * Invariants:
 *  - every profile is read-only static data; there is no mutable global
 *    state, so every function here is safe to call from anywhere;
 *  - feature gates are never written per profile: hns_profile_has evaluates
 *    hcsshim's version-range table (hcn/hcnglobals.go) against the profile's
 *    HNS version, exactly as hcsshim's isFeatureSupported does;
 *  - every value in the profile table cites its source in hns_profile.c, and
 *    docs/profiles.md is the readable form of the same table. Values no
 *    source states are marked (inferred) in both places.
 *
 * Source keys (STYLE: cite the source of every modelled behaviour) are those
 * of /work/shared/reference/hns-api-facts.md §0 plus the GitHub threads listed
 * at the top of hns_profile.c. */
#ifndef HNS_PROFILE_H
#define HNS_PROFILE_H
#include <stdint.h>
#include "hns_types.h"

/* ---- HCN feature gates ------------------------------------------------- */

/* Every feature of hcsshim's/hnslib's SupportedFeatures. The comment gives
 * the HNS versions (major.minor, ranges ORed) that turn it on; the data lives
 * in hns_profile.c. */
typedef enum hns_feature {
  HNS_FEATURE_ACL_ADDRESS_LISTS = 0,  /* >= 7.2 ("HNSVersion1803") */
  HNS_FEATURE_ACL_HOST_RULE_PRIORITY, /* >= 7.2; Go field AclNoHostRulePriority */
  HNS_FEATURE_ACL_PORT_RANGES,        /* >= 7.2 */
  HNS_FEATURE_ACL_RULE_ID,            /* >= 7.2 */
  HNS_FEATURE_API_V1,                 /* always, once /globals/version answers */
  HNS_FEATURE_API_V2,                 /* >= 9.2: v2 API and schema */
  HNS_FEATURE_REMOTE_SUBNET,          /* >= 9.2: RemoteSubnetRoute on overlay */
  HNS_FEATURE_HOST_ROUTE,             /* >= 9.2: HostRoute network policy */
  HNS_FEATURE_DSR,                    /* 9.3-9.max, >= 10.2: Direct Server Return LBs */
  HNS_FEATURE_SLASH32_ENDPOINT_PREFIXES, /* 9.3-9.max, >= 10.4 */
  HNS_FEATURE_ACL_PROTOCOL_252,       /* >= 11.0: ACLs on protocol 252 (VXLAN) */
  HNS_FEATURE_SESSION_AFFINITY,       /* >= 12.0: LB DistributionType SourceIP */
  HNS_FEATURE_IPV6_DUAL_STACK,        /* >= 11.10 */
  HNS_FEATURE_SET_POLICY,             /* >= 13.0: IP sets (SetPolicy) */
  HNS_FEATURE_VXLAN_PORT,             /* >= 10.3: VxlanPort network policy */
  HNS_FEATURE_L4_PROXY,               /* 9.5-9.max, 10.5-10.max, 11.11-11.max, 12.1-12.max, >= 13.1 */
  HNS_FEATURE_L4_WFP_PROXY,           /* >= 13.2: L4WFPPROXY endpoint policy */
  HNS_FEATURE_TIER_ACL,               /* >= 14.0 */
  HNS_FEATURE_NETWORK_ACL,            /* >= 15.0 */
  HNS_FEATURE_NESTED_IPSET,           /* >= 15.0 */
  HNS_FEATURE_DISABLE_HOST_PORT,      /* >= 15.1: network flag 1024 */
  HNS_FEATURE_MODIFY_LOADBALANCER,    /* 15.5-15.max, >= 16.0 (hnslib; hcsshim says >= 15.4) */
  HNS_FEATURE_ACCELNET,               /* >= 15.4 */
  HNS_FEATURE_COUNT                   /* number of features above; not a feature */
} hns_feature;

/* The feature's key path in hcsshim's SupportedFeatures JSON, e.g. "DSR",
 * "API.V2", "ACL.AclAddressLists"; NULL for a value outside the enum. */
const char *hns_feature_name(hns_feature f);

/* The feature whose key path is `name` (exact, case-sensitive), or -1. */
int hns_feature_lookup(const char *name);

/* 1 if HNS version major.minor lies in one of the feature's version ranges,
 * else 0 (also for a value outside the enum). This is the table itself,
 * without a profile: tests and reports use it to probe any version. */
int hns_feature_at_version(hns_feature f, int major, int minor);

/* ---- Profiles ---------------------------------------------------------- */

/* The inbound default for a container's endpoint when no ACL says otherwise
 * (VDOCS network-isolation-security.md). */
typedef enum hns_inbound_default {
  HNS_INBOUND_DENY_ALL = 0,          /* before 1709: deny all inbound */
  HNS_INBOUND_ALLOW_TCP_UDP_ICMP_IGMP /* 1709 on: allow TCP, UDP, ICMP, IGMP; deny the rest */
} hns_inbound_default;

/* How far IPv6 works on one network type. */
typedef enum hns_ipv6_support {
  HNS_IPV6_NONE = 0,        /* no IPv6 for containers */
  HNS_IPV6_SELF_ASSIGNED,   /* only addresses the container assigns itself; no HNS IPAM, LB or ACL */
  HNS_IPV6_FULL             /* HNS assigns IPv6 and applies policies to it */
} hns_ipv6_support;

typedef struct hns_profile {
  /* -- identity -- */
  const char *name;     /* profile name as the CLI takes it: "ws2019-rtm" */
  const char *windows;  /* marketing name: "Windows Server 2019 (1809)" */
  uint32_t build;       /* OS build number: 17763 */
  uint32_t ubr_min;     /* update build revision the profile assumes at least
                         * (17763.1432 -> 1432); 0 when not tied to an update */
  const char *update;   /* the cumulative update that ubr_min stands for
                         * ("KB4571748"), or NULL */

  /* -- the HNS service -- */
  int hns_major;        /* HNS version major, as GET /globals/version reports it;
                         * where that call does not exist, the version stamped in
                         * objects' Version field ((major << 32) | minor), or 0
                         * when unknown */
  int hns_minor;        /* HNS version minor (see hns_major) */
  int has_globals_version; /* 1 if the v1 call GET /globals/version answers; 0 on
                            * pre-1803 builds, where every client feature check
                            * reads "not supported" */
  int32_t globals_version_hr; /* the HRESULT (hns_hr) GET /globals/version fails
                               * with when has_globals_version is 0; 0 otherwise */
  int has_v2_api;       /* 1 if the HCN v2 API (computenetwork.dll, JSON schema 2.x)
                         * exists; clients may still refuse it when the
                         * HNS_FEATURE_API_V2 gate is off */
  unsigned network_types; /* bitmask of HNS_NET_BIT(hns_network_type) the build
                           * lets you create */

  /* -- containers and pods -- */
  int endpoints_per_container; /* endpoints (vNICs) a Kubernetes pod container
                                * needs: 2 on WS2016 (one NAT, one Transparent) */
  int shared_compartment;  /* 1 if containers of a pod share one network
                            * compartment, so localhost works across them */
  int cni_supported;       /* 1 if Kubernetes CNI plugins can drive this build */
  int endpoint_hot_attach; /* 1 if an endpoint can be attached to a running
                            * container (and its network changed while it runs) */
  hns_inbound_default inbound_default; /* endpoint inbound default without ACLs */
  int network_policy_acl;  /* 1 if ACL policies (network policy) are supported */

  /* -- networks -- */
  int multiple_nat_networks; /* 1 if more than one NAT network (NAT prefix) can exist */
  int nat_networks_persist;  /* 1 if NAT networks survive a host reboot */
  int overlay_outbound_needs_nat_endpoint; /* 1 if an overlay container needs a
                                            * second endpoint on a NAT network to
                                            * reach outside; 0 where VFP NAT does it */
  hns_ipv6_support ipv6_overlay;     /* IPv6 on Overlay networks */
  hns_ipv6_support ipv6_l2bridge;    /* IPv6 on L2Bridge networks */
  hns_ipv6_support ipv6_transparent; /* IPv6 on Transparent networks */

  /* -- services and load balancers -- */
  int service_vip_balanced; /* 1 if a service VIP is load-balanced by HNS across
                             * backends on any host; 0 = tied to one host, not
                             * balanced (WS2016) */
  int max_lb_backends;      /* most backends (unique destinations) one load
                             * balancer takes; more fails E_INVALIDARG "Unable to
                             * initialize VFP LB rule: invalid number of
                             * destinations."; 0 where there is no HNS LB */
  int lb_port_block;        /* ephemeral ports each non-DSR load balancer reserves
                             * on the node, in one block; 0 where there is no HNS LB */
  uint16_t ephemeral_port_first; /* first port of the dynamic (ephemeral) range */
  uint16_t ephemeral_port_last;  /* last port of the dynamic range, inclusive */
  int lb_port_pool_sharing; /* 1 if non-DSR load balancers share port-pool
                             * blocks ("intelligent port pool sharing") */
  int host_reaches_service_vip;   /* 1 if the node itself can reach ClusterIP VIPs
                                   * (pods always can where LBs exist) */
  int host_reaches_local_nodeport; /* 1 if the node can reach a NodePort on itself */

  /* -- quirks -- */
  int hns_data_incompatible_after_update; /* 1 if objects persisted in HNS.data by
                                           * an older HNS can fail after an update
                                           * with "The wrong diskette is in the
                                           * drive." (0x80070022) */
  int restart_loses_policies;  /* 1 if policies are not re-hydrated when the HNS
                                * service restarts */
  int lb_modify_ignored;       /* 1 if HcnModifyLoadBalancer succeeds but HNS keeps
                                * the old backend list */
} hns_profile;

/* The profile named `name` (exact, case-sensitive), or NULL. */
const hns_profile *hns_profile_find(const char *name);

/* Every profile, oldest build first, then a NULL. */
const hns_profile *const *hns_profiles(void);

/* The profile a run uses when none is named: "ws2022". */
const char *hns_profile_default_name(void);

/* 1 if the profile's HNS turns feature `f` on, as hcsshim/hnslib would compute
 * it: 0 for every feature when /globals/version does not exist on the build
 * (hcsshim: "expected on pre 1803 builds"), else the feature's version ranges
 * evaluated at the profile's HNS version. 0 for a NULL profile. */
int hns_profile_has(const hns_profile *p, hns_feature f);

/* 1 if the profile lets you create networks of `type` (an hns_network_type),
 * else 0 (also for NULL or an out-of-range type). */
int hns_profile_has_network_type(const hns_profile *p, int type);

#endif /* HNS_PROFILE_H */
