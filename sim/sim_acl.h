/* sim_acl.h: one port's ACL rules (HNS "ACL" endpoint policies and
 * "NetworkACL" network policies, hns-api-facts.md §3.8) and the lookup that
 * decides a flow: the first matching rule in priority order, or the
 * default. The semantics and their sources are in docs/dataplane.md, "ACL
 * stage"; in short:
 *   - lower Priority numbers are evaluated first (hcsshim#1059, Windows-
 *     Containers#616, Calico felix policysets);
 *   - at equal priority Block beats Allow (Windows Firewall, MS-FASP
 *     FW_RULE_ACTION; Calico notes HNS does not break ties by order), Pass
 *     comes last and, among rules of one action, the first added reports
 *     (both inferred);
 *   - LocalAddresses/LocalPorts are the endpoint's side (Calico felix);
 *   - a port list only matches TCP and UDP (inferred);
 *   - no rule of the looked-up rule type on the port: the profile's
 *     defaults (network-isolation-security.md); any such rule: what no rule
 *     matches is blocked (Windows-Containers#616, hcsshim#1059).
 *
 * Rules are typed: lists are parsed once (sim_acl_rule_parse) from HNS's
 * strings ("6,17", "10.0.0.0/24,10.1.0.5", "80,443,8000-8080"), so a lookup
 * never reads text. A set copies what it is given; results come back as
 * values and insertion indexes, never as pointers into the set. */
#ifndef SIM_ACL_H
#define SIM_ACL_H
#include <stddef.h>
#include <stdint.h>
#include "sim_addr.h"
#include "sim_packet.h"

typedef enum sim_acl_dir { SIM_ACL_IN = 0, SIM_ACL_OUT = 1 } sim_acl_dir;
typedef enum sim_acl_action { SIM_ACL_ALLOW = 0, SIM_ACL_BLOCK = 1, SIM_ACL_PASS = 2 } sim_acl_action;
/* "Switch": VFP on the vSwitch port; "Host": the Windows Firewall (WFP)
 * (hns-api-facts.md §3.10 RuleType). */
typedef enum sim_acl_rule_type { SIM_ACL_SWITCH = 0, SIM_ACL_HOST = 1 } sim_acl_rule_type;

/* The defaults of a port with no rules of the looked-up type
 * (network-isolation-security.md, hns-api-facts.md §6):
 *   PROCESS      Windows Server containers from 1709: Out allow all; In
 *                allow TCP, UDP, ICMP (and ICMPv6, inferred) and IGMP,
 *                block everything else.
 *   PRE_1709     the same before 1709 (WS2016): In blocks everything.
 *   HYPERV       Hyper-V isolated containers: allow all both ways. */
typedef enum sim_acl_profile {
  SIM_ACL_PROFILE_PROCESS = 0,
  SIM_ACL_PROFILE_PRE_1709 = 1,
  SIM_ACL_PROFILE_HYPERV = 2
} sim_acl_profile;

typedef struct sim_acl_port_range {
  uint16_t lo, hi; /* inclusive, 1 <= lo <= hi */
} sim_acl_port_range;

/* The protocols a rule matches: a bit per IP protocol number. No bit set
 * means any protocol (HNS "" or "256"). */
typedef struct sim_acl_protos {
  uint64_t bits[4];
} sim_acl_protos;

/* A rule as typed fields. Empty lists mean "any". The caller owns the
 * arrays; sim_acl_set_add copies them. */
typedef struct sim_acl_rule {
  const char *id; /* NULL is "" */
  uint16_t priority;
  sim_acl_dir direction;
  sim_acl_action action;
  sim_acl_rule_type rule_type;
  sim_acl_protos protocols;
  const sim_prefix *local_addrs, *remote_addrs; /* IPv4 and IPv6 mixed */
  size_t n_local_addrs, n_remote_addrs;
  const sim_acl_port_range *local_ports, *remote_ports;
  size_t n_local_ports, n_remote_ports;
} sim_acl_rule;

/* Error messages name the field and the offending value. */
#define SIM_ACL_ERRLEN 160

/* HNS's string forms, as an AclPolicySetting carries them. NULL or "" is
 * "any" for the five list fields. */
typedef struct sim_acl_rule_text {
  const char *id, *protocols, *local_addresses, *remote_addresses, *local_ports, *remote_ports;
  uint16_t priority;
  sim_acl_dir direction;
  sim_acl_action action;
  sim_acl_rule_type rule_type;
} sim_acl_rule_text;

/* A parsed rule: `rule` points into the arrays it owns. */
typedef struct sim_acl_parsed {
  sim_acl_rule rule;
  char *id;
  sim_prefix *local_addrs, *remote_addrs;
  sim_acl_port_range *local_ports, *remote_ports;
} sim_acl_parsed;

/* Protocols: decimal protocol numbers 0..255 separated by commas, or 256
 * for any (hcsshim#1059; Azure NPM). Names ("TCP") are refused
 * (windows-container-networking#41). */
int sim_acl_parse_protocols(const char *s, sim_acl_protos *out, char err[SIM_ACL_ERRLEN]);

/* Addresses: IPs (a /32 or /128) and prefixes separated by commas; "Any"
 * and other words are refused, as HNS does (hcsshim#1059). `field` names
 * the field in messages. On success *out (malloc'd, NULL when empty) and *n
 * are set; on failure they are untouched. */
int sim_acl_parse_addrs(const char *field, const char *s, sim_prefix **out, size_t *n, char err[SIM_ACL_ERRLEN]);

/* Ports: "80", "8000-8080", comma-separated; ports are 1..65535 and a
 * range's low end is at most its high end (Calico writes ranges as
 * "LOW-HIGH"). Same ownership as sim_acl_parse_addrs. */
int sim_acl_parse_ports(const char *field, const char *s, sim_acl_port_range **out, size_t *n,
                        char err[SIM_ACL_ERRLEN]);

/* All fields of `t`. Returns SIM_OK, SIM_E_INVAL (message in err, *out
 * untouched) or SIM_E_NOMEM. Free with sim_acl_parsed_free. */
int sim_acl_rule_parse(const sim_acl_rule_text *t, sim_acl_parsed *out, char err[SIM_ACL_ERRLEN]);
void sim_acl_parsed_free(sim_acl_parsed *p);

typedef struct sim_acl_set sim_acl_set;

sim_acl_set *sim_acl_set_new(sim_acl_profile profile); /* NULL on bad profile or no memory */
void sim_acl_set_free(sim_acl_set *s);

/* Copies `r` into the set. A bad rule (enum out of range, an address of
 * no family or a prefix length past it, a port 0 or a range upside down)
 * returns SIM_E_INVAL with a message and changes nothing. Adding makes the
 * set unbuilt until the next sim_acl_set_build. */
int sim_acl_set_add(sim_acl_set *s, const sim_acl_rule *r, char err[SIM_ACL_ERRLEN]);

/* Builds the lookup index. SIM_OK or SIM_E_NOMEM (the set stays unbuilt). */
int sim_acl_set_build(sim_acl_set *s);

size_t sim_acl_set_count(const sim_acl_set *s);

typedef struct sim_acl_decision {
  sim_acl_action action;
  int32_t rule; /* insertion index (0 = first added) of the deciding rule; -1: the default */
} sim_acl_decision;

/* Decides `flow` as seen at the port in direction `dir`: for SIM_ACL_OUT the
 * endpoint is the source (local = src, sport), for SIM_ACL_IN the
 * destination (local = dst, dport). SIM_E_INVAL for NULL arguments, an
 * unbuilt set, enums out of range or a flow whose addresses are not both of
 * family 4 or both of family 6. */
int sim_acl_lookup(const sim_acl_set *s, sim_acl_rule_type type, sim_acl_dir dir, const sim_flow *flow,
                   sim_acl_decision *out);

/* Copies rule `index`'s Id into out (truncated to cap - 1 bytes). Returns
 * the Id's full length, or SIM_E_INVAL for a bad index or NULL out. */
int sim_acl_rule_id(const sim_acl_set *s, int32_t index, char *out, size_t cap);

#endif
