/* hns_v1_policy.c: the one table that maps HNS v1 policies (flat objects:
 * {"Type":"OutBoundNAT","ExceptionList":[...]}, hcsshim internal/hns
 * hnspolicy.go, facts §5.3) to the v2 policies of the same meaning
 * ({"Type":"OutBoundNAT","Settings":{"Exceptions":[...]}}, facts §3.8), in
 * both directions, and the conversions that walk it.
 *
 * Rules (each (inferred) unless a row cites more):
 *  - a v1 key the row does not name is carried over under its own name, so
 *    it lands in the v2 settings' unknown keys and is echoed by both views;
 *  - a policy already in the v2 shape (it has a "Settings" object) passes
 *    through unchanged, so a v1 view of a v2-only policy can be posted back;
 *  - a v1 type with no v2 counterpart at that place (VNET, Isolation, ELB on
 *    an endpoint, VSID on an endpoint) is refused with
 *    HCN_E_INVALID_POLICY_TYPE, as hnsmock refuses an unknown v2 type:
 *    keeping it raw would make the two views of one object disagree;
 *  - v2 settings the v1 form cannot express are written under their v2 key
 *    (a PortMapping's VIP, a NAT flag other than ExternalPortReserved). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "hns_v1_int.h"

typedef enum key_how {
  KEY_SAME,          /* the value as is, under the other name */
  KEY_PROTOCOL_NAME, /* v1 "TCP"/"UDP" (any case) or a number <-> v2 6/17 */
  KEY_NUMBER_TEXT,   /* v1 number -> v2 decimal string (input only) */
  KEY_FLAG           /* v1 bool <-> a bit of v2 "Flags" */
} key_how;

typedef struct key_map {
  const char *v1, *v2;
  key_how how;
  uint32_t bit; /* KEY_FLAG */
} key_map;

typedef struct policy_map {
  const char *v1_type, *v2_type;
  unsigned scopes;
  const key_map *keys;
  size_t nkeys;
} policy_map;

#define ROW(v1, v2, scopes, keys) {v1, v2, scopes, keys, sizeof keys / sizeof keys[0]}

/* NAT <-> PortMapping: CNI plugins' v1/v2 policy table (consumers §2.1);
 * ExternalPortReserved is NatFlags bit 4 (SDN hns.v2.psm1, facts §3.10). */
static const key_map nat_keys[] = {
    {"Protocol", "Protocol", KEY_PROTOCOL_NAME, 0},
    {"InternalPort", "InternalPort", KEY_SAME, 0},
    {"ExternalPort", "ExternalPort", KEY_SAME, 0},
    {"ExternalPortReserved", "Flags", KEY_FLAG, 4},
};
/* ACL <-> ACL: the same names (hcsshim hnspolicy.go ACLPolicy, hcnpolicy.go
 * AclPolicySetting); v1's single-valued Protocol/LocalPort/RemotePort become
 * the v2 lists' text. InternalPort and ServiceName have no v2 field. */
static const key_map acl_keys[] = {
    {"Id", "Id", KEY_SAME, 0},
    {"Protocols", "Protocols", KEY_SAME, 0},
    {"Protocol", "Protocols", KEY_NUMBER_TEXT, 0},
    {"Action", "Action", KEY_SAME, 0},
    {"Direction", "Direction", KEY_SAME, 0},
    {"LocalAddresses", "LocalAddresses", KEY_SAME, 0},
    {"RemoteAddresses", "RemoteAddresses", KEY_SAME, 0},
    {"LocalPorts", "LocalPorts", KEY_SAME, 0},
    {"LocalPort", "LocalPorts", KEY_NUMBER_TEXT, 0},
    {"RemotePorts", "RemotePorts", KEY_SAME, 0},
    {"RemotePort", "RemotePorts", KEY_NUMBER_TEXT, 0},
    {"RuleType", "RuleType", KEY_SAME, 0},
    {"Priority", "Priority", KEY_SAME, 0},
};
/* PA <-> ProviderAddress: CNI plugins' table (consumers §2.1); hcsshim:
 * ProviderAddress "maps to VNET policy with PA". */
static const key_map pa_keys[] = {{"PA", "ProviderAddress", KEY_SAME, 0}};
/* VLAN <-> VLAN {IsolationId}: subnet policy (facts §3.8) and the docs-only
 * endpoint VLAN (2.4). VSID <-> VSID {IsolationId}: subnet policy; v1 puts
 * it on subnets too (Flannel's {"Type":"VSID","VSID":9999}, facts §5.1). */
static const key_map vlan_keys[] = {{"VLAN", "IsolationId", KEY_SAME, 0}};
static const key_map vsid_keys[] = {{"VSID", "IsolationId", KEY_SAME, 0}};
/* QOS <-> QOS: same key (hnspolicy.go QosPolicy, hcnpolicy.go QosPolicySetting). */
static const key_map qos_keys[] = {{"MaximumOutgoingBandwidthInBytes", "MaximumOutgoingBandwidthInBytes", KEY_SAME, 0}};
/* OutBoundNAT <-> OutBoundNAT: CNI plugins' table (ExceptionList <->
 * Exceptions, Destinations); VIP <-> VirtualIP and MaxPortPoolUsage from
 * hnspolicy.go OutboundNatPolicy vs hcnpolicy.go OutboundNatPolicySetting. */
static const key_map outbound_nat_keys[] = {
    {"VIP", "VirtualIP", KEY_SAME, 0},
    {"ExceptionList", "Exceptions", KEY_SAME, 0},
    {"Destinations", "Destinations", KEY_SAME, 0},
    {"MaxPortPoolUsage", "MaxPortPoolUsage", KEY_SAME, 0},
};
/* ROUTE <-> SDNRoute: CNI plugins' table; same keys (hnspolicylist.go
 * RoutePolicy, hcnpolicy.go SDNRoutePolicySetting). */
static const key_map route_keys[] = {
    {"DestinationPrefix", "DestinationPrefix", KEY_SAME, 0},
    {"NextHop", "NextHop", KEY_SAME, 0},
    {"NeedEncap", "NeedEncap", KEY_SAME, 0},
};
/* PROXY <-> L4Proxy: hnspolicy.go ProxyPolicy {IP, Port, ExceptionList,
 * Destination, OutboundNat} vs hcnpolicy.go L4ProxyPolicySetting; the docs
 * spell the v2 keys as v1 does (facts §3.8, §9): the same policy (inferred). */
static const key_map proxy_keys[] = {
    {"IP", "IP", KEY_SAME, 0},
    {"Port", "Port", KEY_SAME, 0},
    {"ExceptionList", "Exceptions", KEY_SAME, 0},
    {"Destination", "Destination", KEY_SAME, 0},
    {"OutboundNat", "OutboundNAT", KEY_SAME, 0},
};
static const policy_map rows[] = {
    ROW("NAT", "PortMapping", HNS_V1_ENDPOINT, nat_keys),
    ROW("ACL", "ACL", HNS_V1_ENDPOINT, acl_keys),
    ROW("PA", "ProviderAddress", HNS_V1_ENDPOINT, pa_keys),
    ROW("VLAN", "VLAN", HNS_V1_ENDPOINT | HNS_V1_SUBNET, vlan_keys),
    ROW("VSID", "VSID", HNS_V1_SUBNET, vsid_keys),
    /* L2Driver has no fields in either form (facts §5.3, ISSUES microsoft/SDN#227). */
    {"L2Driver", "L2Driver", HNS_V1_ENDPOINT, NULL, 0},
    ROW("QOS", "QOS", HNS_V1_ENDPOINT, qos_keys),
    ROW("OutBoundNAT", "OutBoundNAT", HNS_V1_ENDPOINT, outbound_nat_keys),
    ROW("ROUTE", "SDNRoute", HNS_V1_ENDPOINT, route_keys),
    ROW("PROXY", "L4Proxy", HNS_V1_ENDPOINT, proxy_keys),
};
#define NROWS (sizeof rows / sizeof rows[0])

static hns_hr bad_field(hns_service *svc, const char *key, const cJSON *v) {
  char *shown = cJSON_PrintUnformatted(v);
  hns_hr hr = hns__fail(svc, NULL, HCN_E_INVALID_JSON, "%s: expected a number, got %.64s", key, shown ? shown : "?");
  free(shown);
  return hr;
}

/* v1 fields that are policies in v2 (inferred unless cited): a network's
 * NetworkAdapterName is the NetAdapterName policy (SDN hns.v2.psm1 writes
 * {"Type":"NetAdapterName","Settings":{"NetworkAdapterName":"Ethernet"}},
 * facts §3.8), SourceMac is SourceMacAddress, DrMacAddress (seen in real v1
 * output, facts §5.1) is DrMacAddress, AutomaticDNS is AutomaticDNS; the
 * ManagementIP win-overlay reads as its provider address (consumers §2.1) is
 * the network's ProviderAddress policy; an endpoint's EncapOverhead is the
 * EncapOverhead policy. */
typedef struct field_map {
  const char *v1_field;
  unsigned scope;
  const char *v2_type, *v2_key;
  int kind; /* HNS_K_STRING, _MAC, _IP, _BOOL, _U16 */
} field_map;

static const field_map fields[] = {
    {"NetworkAdapterName", HNS_V1_NETWORK, "NetAdapterName", "NetworkAdapterName", HNS_K_STRING},
    {"SourceMac", HNS_V1_NETWORK, "SourceMacAddress", "SourceMacAddress", HNS_K_MAC},
    {"ManagementIP", HNS_V1_NETWORK, "ProviderAddress", "ProviderAddress", HNS_K_IP},
    {"DrMacAddress", HNS_V1_NETWORK, "DrMacAddress", "Address", HNS_K_MAC},
    {"AutomaticDNS", HNS_V1_NETWORK, "AutomaticDNS", "Enable", HNS_K_BOOL},
    {"EncapOverhead", HNS_V1_ENDPOINT, "EncapOverhead", "Overhead", HNS_K_U16},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

int hns__v1_is_policy_field(const char *key, unsigned scope) {
  for (size_t i = 0; i < NFIELDS; i++)
    if (fields[i].scope == scope && !strcasecmp(fields[i].v1_field, key)) return 1;
  return 0;
}

hns_hr hns__v1_fields_in(hns_service *svc, const cJSON *v1, unsigned scope, cJSON *policies) {
  for (size_t i = 0; i < NFIELDS; i++) {
    const field_map *f = &fields[i];
    const cJSON *v = f->scope == scope ? cJSON_GetObjectItem(v1, f->v1_field) : NULL;
    const char *text = NULL;
    int on = 0;
    hns_hr hr = HNS_S_OK;
    if (!v || cJSON_IsNull(v)) continue;
    if (f->kind == HNS_K_BOOL) hr = hns__v1_bool(svc, v1, f->v1_field, "", &on);
    else if (f->kind == HNS_K_U16 && !cJSON_IsNumber(v)) hr = bad_field(svc, f->v1_field, v);
    else if (f->kind != HNS_K_U16) hr = hns__v1_text(svc, v1, f->v1_field, f->kind, "", &text);
    if (HNS_FAILED(hr)) return hr;
    if (f->kind == HNS_K_BOOL ? !on : f->kind == HNS_K_U16 ? v->valuedouble == 0 : !text) continue;
    cJSON *p = cJSON_CreateObject(), *settings = cJSON_CreateObject();
    if (!p || !settings) {
      cJSON_Delete(p);
      cJSON_Delete(settings);
      return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory");
    }
    cJSON_AddStringToObject(p, "Type", f->v2_type);
    cJSON_AddItemToObject(settings, f->v2_key, cJSON_Duplicate(v, 1));
    cJSON_AddItemToObject(p, "Settings", settings);
    cJSON_AddItemToArray(policies, p);
  }
  return HNS_S_OK;
}

/* The field row a v2 policy is written back as, or NULL. */
static const field_map *field_of(const char *v2_type, unsigned scope) {
  for (size_t i = 0; i < NFIELDS; i++)
    if (fields[i].scope == scope && !strcasecmp(fields[i].v2_type, v2_type)) return &fields[i];
  return NULL;
}

static const char *scope_name(unsigned scope) {
  return scope == HNS_V1_ENDPOINT ? "an endpoint" : scope == HNS_V1_NETWORK ? "a network" : "a subnet";
}

static const policy_map *row_v1(const char *type, unsigned scope) {
  for (size_t i = 0; i < NROWS; i++)
    if (!strcasecmp(rows[i].v1_type, type) && (rows[i].scopes & scope)) return &rows[i];
  return NULL;
}

static const policy_map *row_v2(const char *type, unsigned scope) {
  for (size_t i = 0; i < NROWS; i++)
    if (!strcasecmp(rows[i].v2_type, type) && (rows[i].scopes & scope)) return &rows[i];
  return NULL;
}

static const key_map *key_v1(const policy_map *row, const char *name) {
  for (size_t i = 0; i < row->nkeys; i++)
    if (!strcasecmp(row->keys[i].v1, name)) return &row->keys[i];
  return NULL;
}

/* The key a v2 setting is written back under: the first row key that can
 * be reversed (KEY_NUMBER_TEXT keys are input spellings only). */
static const key_map *key_v2(const policy_map *row, const char *name) {
  for (size_t i = 0; i < row->nkeys; i++)
    if (row->keys[i].how != KEY_NUMBER_TEXT && row->keys[i].how != KEY_FLAG && !strcasecmp(row->keys[i].v2, name))
      return &row->keys[i];
  return NULL;
}

static hns_hr bad_value(hns_service *svc, const char *path, const char *key, const cJSON *v, const char *want) {
  char *shown = cJSON_PrintUnformatted(v);
  hns_hr hr = hns__fail(svc, NULL, HCN_E_INVALID_POLICY, "%s.%s: expected %s, got %.64s", path, key, want,
                        shown ? shown : "?");
  free(shown);
  return hr;
}

/* One v1 key into `settings` under its v2 name. */
static hns_hr key_in(hns_service *svc, const char *path, const key_map *k, const cJSON *v, cJSON *settings,
                     uint32_t *flags) {
  cJSON *item = NULL;
  switch (k->how) {
  case KEY_SAME:
    item = cJSON_Duplicate(v, 1);
    break;
  case KEY_PROTOCOL_NAME:
    if (cJSON_IsString(v) && !strcasecmp(v->valuestring, "TCP")) item = cJSON_CreateNumber(6);
    else if (cJSON_IsString(v) && !strcasecmp(v->valuestring, "UDP")) item = cJSON_CreateNumber(17);
    else if (cJSON_IsNumber(v)) item = cJSON_Duplicate(v, 1);
    else return bad_value(svc, path, k->v1, v, "TCP, UDP or a protocol number");
    break;
  case KEY_NUMBER_TEXT: {
    char text[24];
    if (cJSON_IsString(v)) {
      item = cJSON_Duplicate(v, 1);
      break;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 65535 || v->valuedouble != (double)v->valueint)
      return bad_value(svc, path, k->v1, v, "an integer from 0 to 65535");
    /* 0 is hcsshim's unset uint16 (ACLPolicy's Protocol, LocalPort and
     * RemotePort are omitempty), which HNS echoes back in its GET output
     * (a Calico ACL in a collectlogs dump: "LocalPort": 0): no constraint,
     * so no v2 list (inferred). */
    if (v->valueint == 0) return HNS_S_OK;
    snprintf(text, sizeof text, "%d", v->valueint);
    item = cJSON_CreateString(text);
    break;
  }
  case KEY_FLAG:
    if (!cJSON_IsBool(v)) return bad_value(svc, path, k->v1, v, "true or false");
    if (cJSON_IsTrue(v)) *flags |= k->bit;
    return HNS_S_OK;
  }
  if (!item) return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory");
  cJSON_DeleteItemFromObject(settings, k->v2); /* a second spelling of one setting: the later wins */
  cJSON_AddItemToObject(settings, k->v2, item);
  return HNS_S_OK;
}

hns_hr hns__v1_policy_in(hns_service *svc, const cJSON *p, unsigned scope, const char *path, cJSON **out) {
  *out = NULL;
  const cJSON *type = cJSON_GetObjectItem(p, "Type");
  if (!cJSON_IsObject(p)) return hns__fail(svc, NULL, HCN_E_INVALID_POLICY, "%s: expected a policy object", path);
  if (!cJSON_IsString(type)) return hns__fail(svc, NULL, HCN_E_INVALID_POLICY, "%s.Type: a policy needs a type name", path);
  if (cJSON_IsObject(cJSON_GetObjectItem(p, "Settings"))) { /* already v2-shaped */
    *out = cJSON_Duplicate(p, 1);
    return *out ? HNS_S_OK : hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory");
  }
  const policy_map *row = row_v1(type->valuestring, scope);
  if (!row) {
    for (unsigned other = HNS_V1_ENDPOINT; other <= HNS_V1_SUBNET; other <<= 1)
      if (row_v1(type->valuestring, other))
        return hns__fail(svc, NULL, HCN_E_INVALID_POLICY_TYPE, "%s.Type: %s policies apply to %s, not to %s", path,
                         type->valuestring, scope_name(other), scope_name(scope));
    return hns__fail(svc, NULL, HCN_E_INVALID_POLICY_TYPE, "%s.Type: '%s' is not a v1 policy type with a v2 counterpart",
                     path, type->valuestring);
  }
  cJSON *settings = cJSON_CreateObject();
  uint32_t flags = 0;
  hns_hr hr = settings ? HNS_S_OK : hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory");
  for (const cJSON *k = p->child; k && HNS_SUCCEEDED(hr); k = k->next) {
    if (!strcasecmp(k->string, "Type")) continue;
    const key_map *km = key_v1(row, k->string);
    if (km) hr = key_in(svc, path, km, k, settings, &flags);
    else cJSON_AddItemToObject(settings, k->string, cJSON_Duplicate(k, 1));
  }
  uint32_t given = 0;
  if (HNS_SUCCEEDED(hr) && flags && HNS_SUCCEEDED(hr = hns__v1_u32(svc, settings, "Flags", path, &given))) {
    cJSON_DeleteItemFromObject(settings, "Flags");
    cJSON_AddNumberToObject(settings, "Flags", flags | given);
  }
  if (HNS_FAILED(hr)) {
    cJSON_Delete(settings);
    return hr;
  }
  *out = cJSON_CreateObject();
  if (!*out) {
    cJSON_Delete(settings);
    return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory");
  }
  cJSON_AddStringToObject(*out, "Type", row->v2_type);
  if (settings->child) cJSON_AddItemToObject(*out, "Settings", settings);
  else cJSON_Delete(settings);
  return HNS_S_OK;
}

hns_hr hns__v1_policies_in(hns_service *svc, const cJSON *v1, unsigned scope, const char *where, cJSON **out) {
  *out = NULL;
  if (!cJSON_IsArray(v1)) return hns__fail(svc, NULL, HCN_E_INVALID_JSON, "%s: expected an array of policies", where);
  cJSON *arr = cJSON_CreateArray();
  if (!arr) return hns__fail(svc, NULL, HNS_E_OUTOFMEMORY, "out of memory");
  size_t i = 0;
  for (const cJSON *p = v1->child; p; p = p->next, i++) {
    char path[96];
    cJSON *one;
    snprintf(path, sizeof path, "%s[%zu]", where, i);
    hns_hr hr = hns__v1_policy_in(svc, p, scope, path, &one);
    if (HNS_FAILED(hr)) {
      cJSON_Delete(arr);
      return hr;
    }
    cJSON_AddItemToArray(arr, one);
  }
  *out = arr;
  return HNS_S_OK;
}

/* One v2 setting under its v1 name. */
static cJSON *key_out(const key_map *k, const cJSON *v) {
  if (k->how == KEY_PROTOCOL_NAME && cJSON_IsNumber(v) && (v->valueint == 6 || v->valueint == 17))
    return cJSON_CreateString(v->valueint == 6 ? "TCP" : "UDP");
  return cJSON_Duplicate(v, 1);
}

static cJSON *one_out(const cJSON *p, const policy_map *row) {
  cJSON *flat = cJSON_CreateObject();
  if (!flat) return NULL;
  cJSON_AddStringToObject(flat, "Type", row->v1_type);
  const cJSON *settings = cJSON_GetObjectItem(p, "Settings");
  int has_flag_keys = 0;
  for (size_t i = 0; i < row->nkeys; i++) has_flag_keys |= row->keys[i].how == KEY_FLAG;
  /* Only rows with flag keys read Flags, and there it is a typed uint32. */
  const cJSON *flags = has_flag_keys ? cJSON_GetObjectItem(settings, "Flags") : NULL;
  uint32_t left = cJSON_IsNumber(flags) ? (uint32_t)flags->valuedouble : 0u;
  for (size_t i = 0; i < row->nkeys; i++)
    if (row->keys[i].how == KEY_FLAG && (left & row->keys[i].bit)) {
      cJSON_AddTrueToObject(flat, row->keys[i].v1);
      left &= ~row->keys[i].bit;
    }
  for (const cJSON *s = settings ? settings->child : NULL; s; s = s->next) {
    const key_map *km = key_v2(row, s->string);
    if (s == flags) {
      if (left) cJSON_AddNumberToObject(flat, "Flags", left);
    } else {
      cJSON_AddItemToObject(flat, km ? km->v1 : s->string, km ? key_out(km, s) : cJSON_Duplicate(s, 1));
    }
  }
  for (const cJSON *x = p->child; x; x = x->next) /* keys beside Type and Settings */
    if (strcasecmp(x->string, "Type") && strcasecmp(x->string, "Settings"))
      cJSON_AddItemToObject(flat, x->string, cJSON_Duplicate(x, 1));
  return flat;
}

int hns__v1_policies_out(const cJSON *v2, unsigned scope, cJSON *out, cJSON *v1_object) {
  for (const cJSON *p = v2 ? v2->child : NULL; p; p = p->next) {
    const cJSON *type = cJSON_GetObjectItem(p, "Type");
    const field_map *f = cJSON_IsString(type) && v1_object ? field_of(type->valuestring, scope) : NULL;
    const cJSON *value = f ? cJSON_GetObjectItem(cJSON_GetObjectItem(p, "Settings"), f->v2_key) : NULL;
    if (value && !cJSON_GetObjectItem(v1_object, f->v1_field)) { /* the first such policy is the field */
      cJSON_AddItemToObject(v1_object, f->v1_field, cJSON_Duplicate(value, 1));
      continue;
    }
    const policy_map *row = cJSON_IsString(type) ? row_v2(type->valuestring, scope) : NULL;
    cJSON *one = row ? one_out(p, row) : cJSON_Duplicate(p, 1);
    if (!one) return -1;
    cJSON_AddItemToArray(out, one);
  }
  return 0;
}
