/* hns_types.h: small enums that several hnsmock modules share, with no code
 * behind them. It owns the list of HNS network types.
 *
 * Invariant: the values of enum hns_network_type are the NetworkMode ordinals
 * of the HNS JSON schema, so a value can be written as a JSON integer as is.
 * NAT=0, ICS=1 and Transparent=2 are confirmed by the 2018 HCN schema docs
 * (WSDOCS hcn-json-document-schemas.md); the ordinals after Transparent follow
 * the order of VDOCS HNS_Schema.md's NetworkMode list (inferred), see
 * hns-api-facts.md §3.10. */
#ifndef HNS_TYPES_H
#define HNS_TYPES_H

/* A network's "Type" (v1 and v2 schema). Mirrored, Infiniband and
 * ConstrainedICS exist in the schema docs but no profile models them. */
typedef enum hns_network_type {
  HNS_NET_NAT = 0,     /* "NAT": internal vSwitch + WinNAT; Docker's default */
  HNS_NET_ICS,         /* "ICS": Internet Connection Sharing (Hyper-V Default Switch, WSL) */
  HNS_NET_TRANSPARENT, /* "Transparent": external vSwitch, containers on the physical network */
  HNS_NET_L2BRIDGE,    /* "L2Bridge": external vSwitch, MAC rewritten to the host's */
  HNS_NET_L2TUNNEL,    /* "L2Tunnel": like L2Bridge, hair-pinned to the Azure host */
  HNS_NET_OVERLAY,     /* "Overlay": VXLAN between hosts */
  HNS_NET_PRIVATE,     /* "Private": private vSwitch, containers only */
  HNS_NET_INTERNAL,    /* "Internal": internal vSwitch, host and containers */
  HNS_NET_TYPE_COUNT   /* number of types above; not a type */
} hns_network_type;

/* The bit for type `t` in a bitmask of network types (hns_profile's
 * network_types). */
#define HNS_NET_BIT(t) (1u << (unsigned)(t))

#endif /* HNS_TYPES_H */
