/* test_hns_hostdump.c: the host-dump codecs (hnsmock/hns_hostdump.h) over
 * the samples of tests/corpus/hostdump (SOURCES.md says which are
 * transcribed from public threads and which are synthetic): each format
 * read into the host state document with its fields checked; several files
 * of one host merged by ID; bad input refused naming the file and why; and
 * round trips, state -> each export format -> import -> the same objects,
 * as far as each format carries them (docs/import-export.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "hns_check.h"
#include "hns_hostdump.h"

#ifndef HNSIM_CORPUS_DIR
#define HNSIM_CORPUS_DIR "tests/corpus/hostdump"
#endif

/* ---- helpers ---- */

static char g_notes[16384];

static void keep_note(void *ctx, int level, const char *message) {
  (void)ctx;
  size_t n = strlen(g_notes);
  snprintf(g_notes + n, sizeof g_notes - n, "%s %s\n", level == HNS_DUMP_NOTE_WARN ? "warn" : "info", message);
}

static hns_dump_import *new_import(void) {
  hns_dump_import *im = NULL;
  g_notes[0] = '\0';
  assert_int_equal(hns_dump_import_create(keep_note, NULL, &im), HNS_S_OK);
  return im;
}

static char *corpus_path(const char *name) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", HNSIM_CORPUS_DIR, name);
  return path;
}

/* Imports corpus files `names` (NULL-terminated) into one host and returns
 * its state, parsed. */
static cJSON *import_all(const char *const *names, hns_dump_format format, const char *profile) {
  hns_dump_import *im = new_import();
  for (size_t i = 0; names[i]; i++) {
    hns_hr hr = hns_dump_import_path(im, corpus_path(names[i]), format);
    if (HNS_FAILED(hr)) fail_msg("%s: %s", names[i], hns_dump_import_error(im));
  }
  char *text = NULL;
  hns_hr hr = hns_dump_import_finish(im, profile, &text);
  if (HNS_FAILED(hr)) fail_msg("finish: %s", hns_dump_import_error(im));
  hns_dump_import_destroy(im);
  cJSON *state = cJSON_Parse(text);
  assert_non_null(state);
  free(text);
  return state;
}

static cJSON *import_one(const char *name, hns_dump_format format, const char *profile) {
  const char *names[] = {name, NULL};
  return import_all(names, format, profile);
}

static const cJSON *list(const cJSON *state, const char *key) {
  const cJSON *l = cJSON_GetObjectItem(state, key);
  assert_true(cJSON_IsArray(l));
  return l;
}

static const cJSON *by_id(const cJSON *state, const char *key, const char *id) {
  for (const cJSON *o = list(state, key)->child; o; o = o->next)
    if (!strcasecmp(cJSON_GetStringValue(cJSON_GetObjectItem(o, "ID")), id)) return o;
  fail_msg("%s has no object %s", key, id);
  return NULL;
}

static const char *str(const cJSON *o, const char *path) {
  char key[64];
  const cJSON *v = o;
  for (const char *p = path; v && *p;) {
    size_t n = strcspn(p, ".");
    snprintf(key, sizeof key, "%.*s", (int)n, p);
    v = key[0] >= '0' && key[0] <= '9' ? cJSON_GetArrayItem(v, atoi(key)) : cJSON_GetObjectItem(v, key);
    p += n + (p[n] == '.');
  }
  return cJSON_GetStringValue(v);
}

static double num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  if (!cJSON_IsNumber(v)) fail_msg("%s is not a number", key);
  return v->valuedouble;
}

static int count(const cJSON *state, const char *key) { return cJSON_GetArraySize(list(state, key)); }

/* The policy of `type` in o.Policies, or NULL. */
static const cJSON *policy(const cJSON *o, const char *type) {
  const cJSON *p = cJSON_GetObjectItem(o, "Policies");
  for (const cJSON *x = p ? p->child : NULL; x; x = x->next)
    if (!strcasecmp(str(x, "Type"), type)) return x;
  return NULL;
}

/* Imports bytes under `name` and expects a refusal whose text has every
 * string of `wants` (NULL-terminated). */
static void refused(const char *name, const char *bytes, size_t len, hns_dump_format format, const char *const *wants) {
  hns_dump_import *im = new_import();
  assert_int_equal(hns_dump_import_text(im, name, bytes, len, format), HNS_E_INVALIDARG);
  for (size_t i = 0; wants[i]; i++)
    if (!strstr(hns_dump_import_error(im), wants[i])) fail_msg("'%s' lacks '%s'", hns_dump_import_error(im), wants[i]);
  char *text = NULL; /* nothing was added */
  assert_int_equal(hns_dump_import_finish(im, "ws2022", &text), HNS_S_OK);
  assert_non_null(strstr(text, "\"Networks\":[],\"Endpoints\":[],\"LoadBalancers\":[]"));
  free(text);
  hns_dump_import_destroy(im);
}

static void refused_file(const char *name, hns_dump_format format, const char *const *wants) {
  hns_dump_import *im = new_import();
  assert_int_equal(hns_dump_import_path(im, corpus_path(name), format), HNS_E_INVALIDARG);
  assert_non_null(strstr(hns_dump_import_error(im), name));
  for (size_t i = 0; wants[i]; i++)
    if (!strstr(hns_dump_import_error(im), wants[i])) fail_msg("'%s' lacks '%s'", hns_dump_import_error(im), wants[i]);
  hns_dump_import_destroy(im);
}

/* ---- each format read ---- */

/* collectlogs.ps1's folder (HnsSchemaVersion 1): UTF-16 files with a
 * Format-Table preamble, the detailed network dump merged with the plain
 * one, policy lists to load balancers, an SDN route and a namespace left
 * out, hnsdiag.txt's rows merged into the JSON's objects, ports.txt not
 * read; the profile from the objects' Version (9.3). */
static void test_collectlogs_folder(void **state) {
  (void)state;
  cJSON *s = import_one("collectlogs-v1", HNS_DUMP_ANY, NULL);
  assert_string_equal(str(s, "Profile"), "ws2019");
  assert_int_equal(count(s, "Networks"), 2);
  assert_int_equal(count(s, "Endpoints"), 3);
  assert_int_equal(count(s, "LoadBalancers"), 1);
  const cJSON *cbr0 = by_id(s, "Networks", "6cdae810-4436-4d45-95f7-b95feeb65312");
  assert_string_equal(str(cbr0, "Name"), "cbr0");
  assert_string_equal(str(cbr0, "Type"), "L2Bridge");
  assert_string_equal(str(cbr0, "Ipams.0.Subnets.0.IpAddressPrefix"), "10.244.1.0/24");
  assert_string_equal(str(cbr0, "Ipams.0.Subnets.0.Routes.0.NextHop"), "10.244.1.1");
  assert_string_equal(str(policy(cbr0, "ProviderAddress"), "Settings.ProviderAddress"), "10.240.0.4");
  assert_non_null(cJSON_GetObjectItem(cbr0, "Resources")); /* from networkdetailed.txt */
  const cJSON *nat = by_id(s, "Networks", "F413E630-CC75-4B89-9ED4-FCD57324153B");
  assert_string_equal(str(nat, "Type"), "nat");
  assert_int_equal(
      (int)num(
          cJSON_GetObjectItem(
              policy(cJSON_GetArrayItem(
                         cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(nat, "Ipams"), 0), "Subnets"), 0),
                     "VLAN"),
              "Settings"),
          "IsolationId"),
      1);
  const cJSON *pod = by_id(s, "Endpoints", "87632616-4b3d-41c0-a34d-4553c41a151a");
  assert_string_equal(str(pod, "HostComputeNetwork"), "6CDAE810-4436-4D45-95F7-B95FEEB65312");
  assert_string_equal(str(pod, "IpConfigurations.0.IpAddress"), "10.244.1.6");
  assert_int_equal((int)num(cJSON_GetArrayItem(cJSON_GetObjectItem(pod, "IpConfigurations"), 0), "PrefixLength"), 24);
  assert_string_equal(str(pod, "Routes.0.NextHop"), "10.244.1.2");
  assert_string_equal(str(pod, "Dns.Search.1"), "svc.cluster.local");
  assert_int_equal((int)num(pod, "State"), 3);
  assert_string_equal(str(pod, "HostComputeNamespace"), "0d04541b-9ed2-4364-bc79-97efbc2b3b5a");
  assert_string_equal(str(pod, "Health.Extra.SharedContainers.1"),
                      "437cdcccbad47d99dca87acb3b0256d2aa988a19b5fba17241c14ba6e9d86da0");
  assert_string_equal(str(policy(pod, "OutBoundNAT"), "Settings.Exceptions.1"), "10.96.0.0/12");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(policy(pod, "SDNRoute"), "Settings"), "NeedEncap")));
  assert_string_equal(str(policy(pod, "ACL"), "Settings.Protocols"), "256");
  const cJSON *remote = by_id(s, "Endpoints", "74844d9d-620b-4e95-aea0-f5b5a94c12f9");
  assert_int_equal((int)num(remote, "Flags"), 1);
  assert_string_equal(str(remote, "MacAddress"), "00:11:22:33:44:55");
  assert_non_null(policy(remote, "L2Driver"));
  const cJSON *lb = by_id(s, "LoadBalancers", "68e79efb-7654-4076-969e-c4a183fdc4a3");
  assert_string_equal(str(lb, "FrontendVIPs.0"), "10.96.0.20");
  assert_int_equal((int)num(lb, "Flags"), 1); /* IsDSR */
  assert_int_equal((int)num(lb, "State"), 2);
  assert_string_equal(str(lb, "HostComputeEndpoints.1"), "74844d9d-620b-4e95-aea0-f5b5a94c12f9");
  const cJSON *pm = cJSON_GetArrayItem(cJSON_GetObjectItem(lb, "PortMappings"), 0);
  assert_int_equal((int)num(pm, "Protocol"), 6);
  assert_int_equal((int)num(pm, "InternalPort"), 8080);
  assert_int_equal((int)num(pm, "ExternalPort"), 80);
  assert_non_null(strstr(g_notes, "holds ROUTE policies, an SDN route"));
  assert_non_null(strstr(g_notes, "is a namespace, which a host state does not hold"));
  assert_non_null(strstr(g_notes, "hnsdiag list all: 2 networks, 3 endpoints, 1 load balancer; 6 of them read before"));
  assert_null(strstr(g_notes, "ports.txt"));
  assert_non_null(strstr(g_notes, "profile ws2019: the newest object's Version is HNS 9.3"));
  /* the imported host passes the invariants, as hns_check reads it */
  char *text = cJSON_PrintUnformatted(s);
  hns_check_host host = {"node1", NULL, text};
  hns_check_report r;
  assert_int_equal(hns_check_run(&host, 1, NULL, &r), HNS_S_OK);
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  free(text);
  cJSON_Delete(s);
}

/* hnsdiag list all's tables (kubernetes-sigs/sig-windows-tools#168): names,
 * IDs, endpoints' networks by name, load balancers' VIPs and endpoints;
 * no Version, so the profile must be named. */
static void test_hnsdiag_table(void **state) {
  (void)state;
  hns_dump_import *im = new_import();
  assert_int_equal(hns_dump_import_path(im, corpus_path("hnsdiag-table-sig-windows-tools-168.txt"), HNS_DUMP_ANY),
                   HNS_S_OK);
  char *text = NULL;
  assert_int_equal(hns_dump_import_finish(im, NULL, &text), HNS_E_INVALIDARG);
  assert_non_null(strstr(hns_dump_import_error(im), "do not tell the host's Windows version"));
  hns_dump_import_destroy(im);
  cJSON *s = import_one("hnsdiag-table-sig-windows-tools-168.txt", HNS_DUMP_ANY, "ws2019");
  assert_int_equal(count(s, "Networks"), 2);
  assert_int_equal(count(s, "Endpoints"), 11);
  assert_int_equal(count(s, "LoadBalancers"), 3);
  assert_string_equal(str(by_id(s, "Networks", "B5A22566-BEBC-400C-ABEF-B6717DE7AF59"), "Name"), "vpcbr06684cbed472");
  const cJSON *cid = by_id(s, "Endpoints", "391799da-1903-461b-9fb7-8562ab235445");
  assert_string_equal(str(cid, "Name"), "cid-69c0f0e20c3fa8664ea297a06f7c73b205ac053f0928219c333731aa9f7ecd81");
  assert_string_equal(str(cid, "HostComputeNetwork"), "B5A22566-BEBC-400C-ABEF-B6717DE7AF59");
  assert_null(cJSON_GetObjectItem(cid, "VirtualNetworkName"));
  assert_null(cJSON_GetObjectItem(cid, "IpConfigurations")); /* the table has none */
  const cJSON *nodeport = by_id(s, "LoadBalancers", "5a2ad38e-693d-43cf-8510-2facee763aa1");
  assert_null(cJSON_GetObjectItem(nodeport, "FrontendVIPs"));
  assert_string_equal(str(nodeport, "HostComputeEndpoints.0"), "391799da-1903-461b-9fb7-8562ab235445");
  const cJSON *dns = by_id(s, "LoadBalancers", "3c89c920-c65a-4c81-a1de-056fe4097e95");
  assert_string_equal(str(dns, "FrontendVIPs.0"), "10.96.0.10");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(dns, "HostComputeEndpoints")), 2);
  cJSON_Delete(s);
}

/* hnsdiag list all -df as WSL's networking.bat prints it (microsoft/WSL
 * #6769, #7127): a title, then v1 JSON objects one after another; HNS 11.10
 * (20H2) is the ws2019 profile. */
static void test_hnsdiag_df(void **state) {
  (void)state;
  cJSON *s = import_one("hnsdiag-df-wsl.txt", HNS_DUMP_ANY, NULL);
  assert_string_equal(str(s, "Profile"), "ws2019");
  const cJSON *net = by_id(s, "Networks", "b95d0c5e-57d4-412b-b571-18a81a16e005");
  assert_string_equal(str(net, "Type"), "ICS");
  assert_string_equal(str(net, "Dns.ServerList.0"), "172.18.16.1");
  const cJSON *ep = by_id(s, "Endpoints", "1bf040e5-83b5-49f5-bb36-c18907154107");
  assert_string_equal(str(ep, "IpConfigurations.0.IpAddress"), "172.18.20.65");
  assert_string_equal(str(ep, "HostComputeNetwork"), "b95d0c5e-57d4-412b-b571-18a81a16e005");
  assert_string_equal(str(ep, "AdditionalParams.SwitchId"), "56457093-3678-4351-9694-974FA549AED6"); /* kept */
  assert_int_equal((int)num(ep, "State"), 2);
  cJSON_Delete(s);
}

/* networkhealth.ps1's four files (UTF-16 endpointdata.json): endpoints with
 * their state and remote flag, one network with its management IP, load
 * balancers (two records under one Identifier are one load balancer with two
 * port mappings; a VIP of two addresses; NodePort's LocalRoutedVip). */
static void test_networkhealth_folder(void **state) {
  (void)state;
  cJSON *s = import_one("networkhealth", HNS_DUMP_ANY, "ws2022");
  assert_int_equal(count(s, "Networks"), 1);
  assert_int_equal(count(s, "Endpoints"), 3);
  assert_int_equal(count(s, "LoadBalancers"), 4);
  const cJSON *net = by_id(s, "Networks", "B5A22566-BEBC-400C-ABEF-B6717DE7AF59");
  assert_string_equal(str(net, "Name"), "azure");
  assert_string_equal(str(policy(net, "ProviderAddress"), "Settings.ProviderAddress"), "10.240.0.4");
  const cJSON *remote = by_id(s, "Endpoints", "3d5af403-857a-44d3-b2d0-c69a8a214863");
  assert_int_equal((int)num(remote, "Flags"), 1);
  assert_int_equal((int)num(remote, "State"), 1);
  assert_string_equal(str(remote, "IpConfigurations.0.IpAddress"), "10.240.0.77");
  const cJSON *ext = by_id(s, "LoadBalancers", "0b4f6bc6-973c-49c9-b623-56bcdaf44f3b");
  assert_string_equal(str(ext, "FrontendVIPs.1"), "20.81.112.102");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ext, "PortMappings")), 2);
  const cJSON *np = by_id(s, "LoadBalancers", "5a2ad38e-693d-43cf-8510-2facee763aa1");
  assert_null(cJSON_GetObjectItem(np, "FrontendVIPs"));
  assert_int_equal((int)num(cJSON_GetArrayItem(cJSON_GetObjectItem(np, "PortMappings"), 0), "Flags"), 2);
  assert_int_equal((int)num(by_id(s, "LoadBalancers", "3c89c920-c65a-4c81-a1de-056fe4097e95"), "Flags"), 1);
  assert_non_null(strstr(g_notes, "is node data"));
  cJSON_Delete(s);
}

/* HNSCall's envelope (hnsmock's own GET /networks, hnsim hns). */
static void test_hnscall_envelope(void **state) {
  (void)state;
  cJSON *s = import_one("hnscall-get-networks.json", HNS_DUMP_ANY, "ws2022");
  assert_int_equal(count(s, "Networks"), 2);
  const cJSON *cbr0 = list(s, "Networks")->child;
  assert_string_equal(str(cbr0, "Name"), "cbr0");
  assert_string_equal(str(policy(cbr0, "ProviderAddress"), "Settings.ProviderAddress"), "10.240.0.4");
  assert_string_equal(str(policy(cbr0, "NetAdapterName"), "Settings.NetworkAdapterName"), "Ethernet");
  assert_non_null(strstr(g_notes, "HNSCall envelope: 2 networks"));
  cJSON_Delete(s);
  static const char *const error[] = {"hnscall-error.json", "an HNSCall error envelope", "Element not found.",
                                      "0x80070490", NULL};
  refused_file("bad/hnscall-error.json", HNS_DUMP_ANY, error);
}

/* HCN v2 documents: an array and a single object, merged into one host;
 * Version 13.3 is ws2022. */
static void test_v2_json(void **state) {
  (void)state;
  const char *names[] = {"v2-network-single.json", "v2-endpoints.json", NULL};
  cJSON *s = import_all(names, HNS_DUMP_V2, NULL);
  assert_string_equal(str(s, "Profile"), "ws2022");
  assert_int_equal(count(s, "Networks"), 1);
  assert_int_equal(count(s, "Endpoints"), 2);
  const cJSON *client = by_id(s, "Endpoints", "8CC6F234-D0E6-46EF-8E92-6A4567648422");
  assert_string_equal(str(client, "Dns.Search.0"), "svc.cluster.local");
  assert_string_equal(str(by_id(s, "Endpoints", "74844D9D-620B-4E95-AEA0-F5B5A94C12F9"), "Policies.0.Type"),
                      "ProviderAddress");
  cJSON_Delete(s);
}

/* A host state document (hnsim check --save-state): its Profile is used. */
static void test_state_document(void **state) {
  (void)state;
  cJSON *s = import_one("state-ws2019.json", HNS_DUMP_STATE, NULL);
  assert_string_equal(str(s, "Profile"), "ws2019");
  assert_string_equal(str(by_id(s, "Endpoints", "20C707A8-AC6D-4ACB-AEF8-8707781A4396"), "Name"), "web");
  cJSON_Delete(s);
  static const char *const bad[] = {"state-bad-profile.json", "Profile 'ws2012' is not a profile hnsim knows", NULL};
  refused_file("bad/state-bad-profile.json", HNS_DUMP_ANY, bad);
}

/* ConvertTo-Json without -Depth: the values it cut off are left out with a
 * warning; the rest is read. */
static void test_depth_cut_off(void **state) {
  (void)state;
  cJSON *s = import_one("policylist-depth2.json", HNS_DUMP_ANY, NULL);
  const cJSON *lb = by_id(s, "LoadBalancers", "3c89c920-c65a-4c81-a1de-056fe4097e95");
  assert_null(cJSON_GetObjectItem(lb, "FrontendVIPs"));
  assert_null(cJSON_GetObjectItem(lb, "Resources"));
  assert_int_equal((int)num(cJSON_GetArrayItem(cJSON_GetObjectItem(lb, "PortMappings"), 0), "ExternalPort"), 53);
  assert_non_null(strstr(g_notes, "warn '"));
  assert_non_null(
      strstr(g_notes, "2 values cut off by ConvertTo-Json's -Depth (Policies[0].VIPs = 'System.Object[]')"));
  cJSON_Delete(s);
}

/* ---- merging and the profile ---- */

static void test_merge_first_reading_wins(void **state) {
  (void)state;
  static const char first[] =
      "{\"ID\":\"6cdae810-4436-4d45-95f7-b95feeb65312\",\"Name\":\"cbr0\",\"Type\":\"L2Bridge\"}";
  static const char second[] =
      "[{\"ID\":\"6CDAE810-4436-4D45-95F7-B95FEEB65312\",\"Name\":\"renamed\",\"Type\":\"L2Bridge\",\"Flags\":8}]";
  hns_dump_import *im = new_import();
  assert_int_equal(hns_dump_import_text(im, "a.json", first, strlen(first), HNS_DUMP_ANY), HNS_S_OK);
  assert_int_equal(hns_dump_import_text(im, "b.json", second, strlen(second), HNS_DUMP_ANY), HNS_S_OK);
  assert_int_equal(hns_dump_import_text(im, "empty.txt", "\r\n", 2, HNS_DUMP_ANY), HNS_S_OK);
  char *text = NULL;
  assert_int_equal(hns_dump_import_finish(im, "ws2025", &text), HNS_S_OK);
  cJSON *s = cJSON_Parse(text);
  assert_int_equal(count(s, "Networks"), 1);
  const cJSON *net = list(s, "Networks")->child;
  assert_string_equal(str(net, "Name"), "cbr0");
  assert_int_equal((int)num(net, "Flags"), 8);
  assert_string_equal(str(s, "Profile"), "ws2025");
  assert_non_null(strstr(g_notes, "1 of them read before, merged"));
  cJSON_Delete(s);
  free(text);
  /* a profile asked for wins over the dump's, with a warning; an unknown one is refused */
  static const char v[] =
      "{\"ID\":\"6cdae810-4436-4d45-95f7-b95feeb65312\",\"Name\":\"x\",\"Type\":\"NAT\",\"Version\":38654705667}";
  assert_int_equal(hns_dump_import_text(im, "v.json", v, strlen(v), HNS_DUMP_ANY), HNS_S_OK);
  assert_int_equal(hns_dump_import_finish(im, "ws2022", &text), HNS_S_OK);
  assert_non_null(
      strstr(g_notes, "warn profile ws2022 as asked, though the newest object's Version is HNS 9.3 (ws2019)"));
  free(text);
  assert_int_equal(hns_dump_import_finish(im, "ws2012", &text), HNS_E_INVALIDARG);
  assert_non_null(strstr(hns_dump_import_error(im), "profile 'ws2012' is not a profile hnsim knows"));
  hns_dump_import_destroy(im);
}

/* ---- refusals ---- */

static void test_bad_inputs(void **state) {
  (void)state;
  static const char *const not_dump[] = {"not-a-dump.txt", "none of the formats hnsim imports", "'hello world'", NULL};
  refused_file("bad/not-a-dump.txt", HNS_DUMP_ANY, not_dump);
  static const char *const cut[] = {"cut-short.json", "its JSON breaks at line", NULL};
  refused_file("bad/cut-short.json", HNS_DUMP_ANY, cut);
  static const char *const unknown[] = {"no-hns-object.json", "object 1 is none of the HNS objects", "Foo, Bar", NULL};
  refused_file("bad/no-hns-object.json", HNS_DUMP_ANY, unknown);
  static const char *const ip[] = {"bad-ip.json", "object 1 (ID 20c707a8-ac6d-4acb-aef8-8707781a4396)", "IPAddress",
                                   "10.244.0", NULL};
  refused_file("bad/bad-ip.json", HNS_DUMP_ANY, ip);
  static const char *const id[] = {"bad-id.json", "ID 'EPID-1' is not a GUID", NULL};
  refused_file("bad/bad-id.json", HNS_DUMP_ANY, id);
  static const char *const missing[] = {"nowhere", "no such file or folder", NULL};
  refused_file("nowhere", HNS_DUMP_ANY, missing);
  static const char *const folder[] = {"bad", "a folder with none of the files hnsim reads", NULL};
  refused_file("bad", HNS_DUMP_ANY, folder);
  /* forced formats */
  static const char *const not_v1[] = {"v2-network-single.json", "is an HCN v2 network, not json", NULL};
  refused_file("v2-network-single.json", HNS_DUMP_JSON, not_v1);
  static const char *const not_state[] = {"hnscall-get-networks.json", "an HNSCall envelope, not state", NULL};
  refused_file("hnscall-get-networks.json", HNS_DUMP_STATE, not_state);
  /* bytes */
  static const char nul[] = "{\"ID\":\0}";
  static const char *const binary[] = {"x.bin", "byte 6 is NUL: not a text file", NULL};
  refused("x.bin", nul, sizeof nul - 1, HNS_DUMP_ANY, binary);
  static const char odd[] = "\xff\xfe{\x00\"";
  static const char *const utf16[] = {"odd.txt", "UTF-16 text with an odd number of bytes", NULL};
  refused("odd.txt", odd, sizeof odd - 1, HNS_DUMP_ANY, utf16);
  static const char row[] = "Networks:\nName  ID\ncbr0  not-an-id\n";
  static const char *const diag[] = {"diag.txt", "line 3", "has no ID: not a row of the Networks table", NULL};
  refused("diag.txt", row, sizeof row - 1, HNS_DUMP_ANY, diag);
  static const char vip[] = "LoadBalancers:\nID | Virtual IPs | Direct IP IDs\n"
                            "326f84d7-35ec-4355-a60a-e82e2b05ec24 |  10.96.0.999 | \n";
  static const char *const badvip[] = {"lb.txt", "line 3: Virtual IPs: '10.96.0.999' is not an IP address", NULL};
  refused("lb.txt", vip, sizeof vip - 1, HNS_DUMP_ANY, badvip);
  static const char open_json[] = "Endpoints:\n{\n  \"ID\": \"x\"\n";
  static const char *const never[] = {"open.txt", "line 2: the JSON object there never closes", NULL};
  refused("open.txt", open_json, sizeof open_json - 1, HNS_DUMP_ANY, never);
  static const char nh[] = "{\"Identifier\":\"4c68c44c-9120-40ac-a69c-cf0a323fb557\",\"IPAddress\":\"10.1.1.1\","
                           "\"EndpointState\":\"three\",\"IsRemoteEndpoint\":false}";
  static const char *const state_text[] = {"ep.json", "EndpointState is not a whole number", NULL};
  refused("ep.json", nh, sizeof nh - 1, HNS_DUMP_ANY, state_text);
}

/* ---- round trips ---- */

static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)n + 1);
  assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
  text[n] = '\0';
  fclose(f);
  return text;
}

/* The state exported as `format`, and imported back from those files. */
static cJSON *round_trip(const char *state_text, hns_dump_format format, const char *profile) {
  hns_dump_files files;
  char err[256];
  assert_int_equal(hns_dump_export(state_text, format, &files, err, sizeof err), HNS_S_OK);
  hns_dump_import *im = new_import();
  for (size_t i = 0; i < files.n; i++)
    if (HNS_FAILED(hns_dump_import_text(im, files.v[i].name, files.v[i].text, strlen(files.v[i].text), HNS_DUMP_ANY)))
      fail_msg("%s: %s\n%s", files.v[i].name, hns_dump_import_error(im), files.v[i].text);
  char *text = NULL;
  if (HNS_FAILED(hns_dump_import_finish(im, profile, &text))) fail_msg("%s", hns_dump_import_error(im));
  hns_dump_import_destroy(im);
  hns_dump_files_free(&files);
  cJSON *s = cJSON_Parse(text);
  free(text);
  return s;
}

static void same(const cJSON *a, const cJSON *b, const char *key) {
  const cJSON *x = cJSON_GetObjectItem(a, key), *y = cJSON_GetObjectItem(b, key);
  if ((x || y) && !cJSON_Compare(x, y, 1)) {
    char *p = cJSON_PrintUnformatted(x), *q = cJSON_PrintUnformatted(y);
    fail_msg("%s: %s became %s", key, p ? p : "(absent)", q ? q : "(absent)");
  }
}

/* Every item of a[key] is in b[key], and as many. */
static void same_set(const cJSON *a, const cJSON *b, const char *key) {
  const cJSON *x = cJSON_GetObjectItem(a, key), *y = cJSON_GetObjectItem(b, key);
  assert_int_equal(cJSON_GetArraySize(x), cJSON_GetArraySize(y));
  for (const cJSON *i = x ? x->child : NULL; i; i = i->next) {
    int found = 0;
    for (const cJSON *j = y->child; j && !found; j = j->next) found = cJSON_Compare(i, j, 1);
    if (!found) {
      char *p = cJSON_PrintUnformatted(i);
      fail_msg("%s: %s is lost", key, p);
    }
  }
}

/* What the v1 views (json and hnsdiag -d) carry: everything the state
 * holds but a network's Type for NAT (written, so read back) and the
 * default route an endpoint's gateway gives where it had none. */
static void check_v1_round_trip(const cJSON *orig, const cJSON *back) {
  assert_string_equal(str(back, "Profile"), "ws2022"); /* from the Version the export stamps */
  for (const cJSON *n = list(orig, "Networks")->child; n; n = n->next) {
    const cJSON *m = by_id(back, "Networks", str(n, "ID"));
    same(n, m, "Name");
    same(n, m, "Ipams");
    same(n, m, "MacPool");
    same(n, m, "Dns");
    same_set(n, m, "Policies");
    assert_string_equal(str(m, "Type"), str(n, "Type") ? str(n, "Type") : "NAT");
  }
  for (const cJSON *e = list(orig, "Endpoints")->child; e; e = e->next) {
    const cJSON *f = by_id(back, "Endpoints", str(e, "ID"));
    static const char *const keys[] = {"Name",
                                       "HostComputeNetwork",
                                       "HostComputeNamespace",
                                       "IpConfigurations",
                                       "Dns",
                                       "MacAddress",
                                       "Flags",
                                       "State",
                                       "Health"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) same(e, f, keys[i]);
    same_set(e, f, "Policies");
    const cJSON *routes = cJSON_GetObjectItem(e, "Routes");
    for (const cJSON *r = routes ? routes->child : NULL; r; r = r->next) {
      int found = 0;
      for (const cJSON *q = cJSON_GetObjectItem(f, "Routes")->child; q && !found; q = q->next)
        found = cJSON_Compare(r, q, 1);
      assert_true(found);
    }
  }
  for (const cJSON *l = list(orig, "LoadBalancers")->child; l; l = l->next) {
    const cJSON *k = by_id(back, "LoadBalancers", str(l, "ID"));
    static const char *const keys[] = {"HostComputeEndpoints", "FrontendVIPs", "Flags", "SourceVIP", "State"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) same(l, k, keys[i]);
    same_set(l, k, "PortMappings");
  }
  assert_int_equal(count(orig, "Networks"), count(back, "Networks"));
  assert_int_equal(count(orig, "Endpoints"), count(back, "Endpoints"));
  assert_int_equal(count(orig, "LoadBalancers"), count(back, "LoadBalancers"));
}

static void test_round_trip_json(void **state) {
  (void)state;
  char *text = read_text(corpus_path("state-roundtrip.json"));
  cJSON *orig = cJSON_Parse(text), *back = round_trip(text, HNS_DUMP_JSON, NULL);
  check_v1_round_trip(orig, back);
  cJSON_Delete(back);
  /* and a second time: the first import's state exports and reads back to itself */
  cJSON *first = round_trip(text, HNS_DUMP_JSON, NULL);
  char *again = cJSON_PrintUnformatted(first);
  cJSON *second = round_trip(again, HNS_DUMP_JSON, NULL);
  assert_true(cJSON_Compare(first, second, 1));
  cJSON_Delete(first);
  cJSON_Delete(second);
  free(again);
  cJSON_Delete(orig);
  free(text);
}

static void test_round_trip_hnsdiag(void **state) {
  (void)state;
  char *text = read_text(corpus_path("state-roundtrip.json"));
  cJSON *orig = cJSON_Parse(text), *back = round_trip(text, HNS_DUMP_HNSDIAG, NULL);
  check_v1_round_trip(orig, back);
  cJSON_Delete(back);
  cJSON_Delete(orig);
  free(text);
}

/* networkhealth carries: endpoints' ID, first IPv4 address, MAC, State and
 * remote flag; one network's ID, name and management IP; load balancers'
 * ID, VIPs, ports, protocol, DSR, LocalRoutedVip, endpoints and State (2
 * where the state has none). It carries no Version: the profile is named. */
static void test_round_trip_networkhealth(void **state) {
  (void)state;
  char *text = read_text(corpus_path("state-roundtrip.json"));
  cJSON *orig = cJSON_Parse(text), *back = round_trip(text, HNS_DUMP_NETWORKHEALTH, "ws2022");
  assert_int_equal(count(back, "Networks"), 1);
  const cJSON *n = by_id(orig, "Networks", "6CDAE810-4436-4D45-95F7-B95FEEB65312"),
              *m = by_id(back, "Networks", "6CDAE810-4436-4D45-95F7-B95FEEB65312");
  same(n, m, "Name");
  assert_string_equal(str(policy(m, "ProviderAddress"), "Settings.ProviderAddress"), "10.240.0.4");
  assert_int_equal(count(orig, "Endpoints"), count(back, "Endpoints"));
  for (const cJSON *e = list(orig, "Endpoints")->child; e; e = e->next) {
    const cJSON *f = by_id(back, "Endpoints", str(e, "ID"));
    same(e, f, "MacAddress");
    same(e, f, "State");
    same(e, f, "Flags");
    assert_string_equal(str(f, "IpConfigurations.0.IpAddress"), str(e, "IpConfigurations.0.IpAddress"));
    assert_null(cJSON_GetObjectItem(f, "HostComputeNetwork"));
  }
  for (const cJSON *l = list(orig, "LoadBalancers")->child; l; l = l->next) {
    const cJSON *k = by_id(back, "LoadBalancers", str(l, "ID"));
    same(l, k, "HostComputeEndpoints");
    same(l, k, "FrontendVIPs");
    assert_int_equal((int)num(k, "State"), 2);
    const cJSON *maps = cJSON_GetObjectItem(l, "PortMappings"), *back_maps = cJSON_GetObjectItem(k, "PortMappings");
    assert_int_equal(cJSON_GetArraySize(maps), cJSON_GetArraySize(back_maps));
    for (int i = 0; i < cJSON_GetArraySize(maps); i++) {
      const cJSON *p = cJSON_GetArrayItem(maps, i), *q = cJSON_GetArrayItem(back_maps, i);
      same(p, q, "Protocol");
      same(p, q, "InternalPort");
      same(p, q, "ExternalPort");
    }
  }
  assert_int_equal((int)num(by_id(back, "LoadBalancers", "68E79EFB-7654-4076-969E-C4A183FDC4A3"), "Flags"), 1);
  const cJSON *np = by_id(back, "LoadBalancers", "5A2AD38E-693D-43CF-8510-2FACEE763AA1");
  assert_int_equal((int)num(cJSON_GetArrayItem(cJSON_GetObjectItem(np, "PortMappings"), 0), "Flags"), 2);
  cJSON_Delete(back);
  cJSON_Delete(orig);
  free(text);
}

/* ---- export: the files and their shape ---- */

static void test_export_files(void **state) {
  (void)state;
  char *text = read_text(corpus_path("state-roundtrip.json")), err[256];
  hns_dump_files f;
  assert_int_equal(hns_dump_export(text, HNS_DUMP_JSON, &f, err, sizeof err), HNS_S_OK);
  assert_int_equal(f.n, 3);
  assert_string_equal(f.v[0].name, "network.json");
  assert_string_equal(f.v[2].name, "policylist.json");
  assert_true(f.v[0].text[0] == '['); /* two networks: an array */
  assert_non_null(strstr(f.v[0].text, "\n    \"ManagementIP\": \"10.240.0.4\",\n"));
  assert_non_null(strstr(f.v[1].text, "\"IsRemoteEndpoint\": true"));
  assert_non_null(strstr(f.v[2].text, "\"References\": [\n      \"/endpoints/8CC6F234-D0E6-46EF-8E92-6A4567648422\""));
  assert_non_null(strstr(f.v[2].text, "\"Version\": 55834574851"));
  hns_dump_files_free(&f);
  assert_int_equal(hns_dump_export(text, HNS_DUMP_HNSDIAG, &f, err, sizeof err), HNS_S_OK);
  assert_string_equal(f.v[0].name, "hnsdiag.txt");
  assert_non_null(strstr(f.v[0].text,
                         "Networks:\nName             ID\ncbr0             6CDAE810-4436-4D45-95F7-B95FEEB65312\n{\n"
                         "    \"ID\":\"6CDAE810-4436-4D45-95F7-B95FEEB65312\",\n"));
  assert_non_null(strstr(f.v[0].text,
                         "\nLoadBalancers:\nID                                   | Virtual IPs      | Direct IP IDs\n"
                         "68E79EFB-7654-4076-969E-C4A183FDC4A3 |  10.96.0.20      | "
                         "8CC6F234-D0E6-46EF-8E92-6A4567648422 74844D9D-620B-4E95-AEA0-F5B5A94C12F9\n"));
  assert_non_null(strstr(f.v[0].text, "0D04541B-9ED2-4364-BC79-97EFBC2B3B5A | 8CC6F234-D0E6-46EF-8E92-6A4567648422\n"));
  hns_dump_files_free(&f);
  assert_int_equal(hns_dump_export(text, HNS_DUMP_NETWORKHEALTH, &f, err, sizeof err), HNS_S_OK);
  assert_int_equal(f.n, 4);
  assert_string_equal(f.v[3].name, "nodedata.json");
  /* ws2022: 256 blocks of 64 ports, shared by load balancers (port-pool sharing) */
  assert_non_null(strstr(f.v[3].text, "\"AvailableTCPDynamicPortRanges\": 256"));
  assert_non_null(strstr(f.v[1].text, "\"DnsIp\": \"10.96.0.20\""));
  assert_non_null(strstr(f.v[2].text, "\"ServiceType\": 2"));
  hns_dump_files_free(&f);
  /* ws2019-rtm, without port-pool sharing: the two non-DSR load balancers hold a block each */
  const char *at = strstr(text, "\"ws2022\"");
  char *rtm = malloc(strlen(text) + 8);
  sprintf(rtm, "%.*s\"ws2019-rtm\"%s", (int)(at - text), text, at + 8);
  assert_int_equal(hns_dump_export(rtm, HNS_DUMP_NETWORKHEALTH, &f, err, sizeof err), HNS_S_OK);
  assert_non_null(strstr(f.v[3].text, "\"AvailableTCPDynamicPortRanges\": 254"));
  free(rtm);
  hns_dump_files_free(&f);
  /* an empty host: ConvertTo-Json of nothing is nothing */
  static const char empty[] = "{\"Profile\":\"ws2016\",\"Networks\":[],\"Endpoints\":[],\"LoadBalancers\":[]}";
  assert_int_equal(hns_dump_export(empty, HNS_DUMP_JSON, &f, err, sizeof err), HNS_S_OK);
  assert_string_equal(f.v[0].text, "");
  hns_dump_files_free(&f);
  assert_int_equal(hns_dump_export(empty, HNS_DUMP_NETWORKHEALTH, &f, err, sizeof err), HNS_S_OK);
  assert_string_equal(f.v[1].text, "null\n");
  hns_dump_files_free(&f);
  /* refusals */
  assert_int_equal(hns_dump_export(text, HNS_DUMP_V2, &f, err, sizeof err), HNS_E_INVALIDARG);
  assert_string_equal(err, "hnsim exports json, hnsdiag and networkhealth, not v2");
  assert_int_equal(hns_dump_export("{\"Profile\":\"nt4\"}", HNS_DUMP_JSON, &f, err, sizeof err), HNS_E_INVALIDARG);
  assert_string_equal(err, "the state's Profile 'nt4' is not a profile hnsim knows");
  assert_int_equal(hns_dump_export("[1]", HNS_DUMP_JSON, &f, err, sizeof err), HNS_E_INVALIDARG);
  assert_int_equal(f.n, 0);
  free(text);
}

static void test_format_names(void **state) {
  (void)state;
  for (int f = 0; f < HNS_DUMP_FORMAT_COUNT; f++)
    assert_int_equal(hns_dump_format_lookup(hns_dump_format_name((hns_dump_format)f)), f);
  assert_int_equal(hns_dump_format_lookup("collectlogs"), -1);
  assert_null(hns_dump_format_name(HNS_DUMP_FORMAT_COUNT));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_collectlogs_folder),
      cmocka_unit_test(test_hnsdiag_table),
      cmocka_unit_test(test_hnsdiag_df),
      cmocka_unit_test(test_networkhealth_folder),
      cmocka_unit_test(test_hnscall_envelope),
      cmocka_unit_test(test_v2_json),
      cmocka_unit_test(test_state_document),
      cmocka_unit_test(test_depth_cut_off),
      cmocka_unit_test(test_merge_first_reading_wins),
      cmocka_unit_test(test_bad_inputs),
      cmocka_unit_test(test_round_trip_json),
      cmocka_unit_test(test_round_trip_hnsdiag),
      cmocka_unit_test(test_round_trip_networkhealth),
      cmocka_unit_test(test_export_files),
      cmocka_unit_test(test_format_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
