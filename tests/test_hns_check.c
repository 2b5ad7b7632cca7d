/* test_hns_check.c: the invariant checks (hnsmock/hns_check.h) as a user
 * sees them: a cluster built through the HCN API passes every check; each
 * invariant is then broken the way its pain point breaks it (a pod deleted
 * on one host while another keeps its remote endpoint, a DNS VIP with UDP
 * only, ports used up, an imported state with an endpoint deleted behind a
 * load balancer's back ...) and the exact violation is asserted; bad input
 * is refused naming the check, host, field and value; the order of
 * violations never depends on the order of the hosts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "hns_api.h"
#include "hns_check.h"
#include "hns_profile.h"
#include "hns_test_calls.h"

/* An L2Bridge pod network; %s is the pod subnet's first three octets. */
#define POD_NET                                                                                                        \
  "{\"Name\":\"cbr0\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{\"IpAddressPrefix\":"        \
  "\"%s.0/24\",\"Routes\":[{\"NextHop\":\"%s.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}"

typedef struct node {
  hns_service *svc;
  hns_handle *net;
  char net_id[37];
} node;

static node node_make(const char *profile, const char *name, const char *subnet, uint64_t seed) {
  node n = {NULL, NULL, ""};
  hns_service_config cfg = {hns_profile_find(profile), name, seed};
  assert_int_equal(hns_service_create(&cfg, &n.svc), HNS_S_OK);
  char json[512];
  snprintf(json, sizeof json, POD_NET, subnet, subnet);
  n.net = create(n.svc, HNS_NETWORK, NULL, json);
  cJSON *doc = query(n.net);
  snprintf(n.net_id, sizeof n.net_id, "%s", cJSON_GetObjectItem(doc, "ID")->valuestring);
  cJSON_Delete(doc);
  return n;
}

static void node_free(node *n) {
  hns_close(n->net);
  hns_service_destroy(n->svc);
}

/* Creates an object and returns its ID (out, 37 bytes). */
static void make(hns_service *svc, hns_object_kind kind, hns_handle *parent, const char *json, char *out) {
  hns_handle *h = create(svc, kind, parent, json);
  cJSON *doc = query(h);
  snprintf(out, 37, "%s", cJSON_GetObjectItem(doc, "ID")->valuestring);
  cJSON_Delete(doc);
  hns_close(h);
}

/* A pod: an endpoint with `ip` in a namespace of its own, as the CNI
 * plugins make it under containerd (consumers §2.4). */
static void pod(node *n, const char *ip, char *ep_id) {
  char json[256], ns_id[37];
  snprintf(json, sizeof json, "{\"IpConfigurations\":[{\"IpAddress\":\"%s\"}]}", ip);
  make(n->svc, HNS_ENDPOINT, n->net, json, ep_id);
  snprintf(json, sizeof json, "{\"Resources\":[{\"Type\":\"Endpoint\",\"Data\":{\"ID\":\"%s\"}}]}", ep_id);
  make(n->svc, HNS_NAMESPACE, NULL, json, ns_id);
}

/* A remote endpoint for a pod of another host, as kube-proxy makes it. */
static void remote(node *n, const char *ip, char *ep_id) {
  char json[128];
  snprintf(json, sizeof json, "{\"IpConfigurations\":[{\"IpAddress\":\"%s\"}],\"Flags\":1}", ip);
  make(n->svc, HNS_ENDPOINT, n->net, json, ep_id);
}

/* A load balancer VIP:port/protocol -> backends (IDs joined by "\",\""). */
static void lb(node *n, const char *vip, unsigned protocol, unsigned port, const char *backends, unsigned flags,
               char *id) {
  char json[512];
  snprintf(json, sizeof json,
           "{\"HostComputeEndpoints\":[%s%s%s],\"FrontendVIPs\":[\"%s\"],\"PortMappings\":[{\"Protocol\":%u,"
           "\"InternalPort\":%u,\"ExternalPort\":%u}],\"Flags\":%u}",
           *backends ? "\"" : "", backends, *backends ? "\"" : "", vip, protocol, port, port, flags);
  make(n->svc, HNS_LOADBALANCER, NULL, json, id);
}

static hns_check_host live(const char *name, node *n) { return (hns_check_host){name, n->svc, NULL}; }

/* Runs `check` and returns the report, failing the test if the run fails. */
static hns_check_report run(const hns_check_host *hosts, size_t n, const char *check) {
  hns_check_report r;
  hns_hr hr = hns_check_run(hosts, n, check, &r);
  if (hr != HNS_S_OK) fail_msg("run failed 0x%08X: %s", (unsigned)hr, r.error);
  assert_string_equal(r.error, "");
  return r;
}

static void assert_violation(const hns_check_report *r, size_t i, const char *check, const char *host, const char *kind,
                             const char *id, const char *message) {
  assert_true(i < r->count);
  assert_string_equal(r->violations[i].check, check);
  assert_string_equal(r->violations[i].host, host);
  assert_string_equal(r->violations[i].kind, kind);
  assert_string_equal(r->violations[i].id, id);
  assert_string_equal(r->violations[i].message, message);
}

/* The host's state with `edit` applied to its parsed document. */
static char *edited_state(hns_service *svc, void (*edit)(cJSON *root, void *arg), void *arg) {
  char *text = NULL;
  assert_int_equal(hns_check_state(svc, &text), HNS_S_OK);
  cJSON *root = cJSON_Parse(text);
  free(text);
  assert_non_null(root);
  edit(root, arg);
  text = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return text;
}

/* Two hosts, each with a pod, a remote endpoint for the other's pod, and
 * kube-dns's ClusterIP on TCP/53 and UDP/53 over both pods (consumers §1.4). */
typedef struct cluster {
  node n1, n2;
  char pod1[37], pod2[37], rem1[37], rem2[37], udp1[37], tcp1[37], udp2[37], tcp2[37];
} cluster;

static void cluster_make(cluster *c, const char *profile) {
  char both[96];
  c->n1 = node_make(profile, "node1", "10.244.1", 1);
  c->n2 = node_make(profile, "node2", "10.244.2", 2);
  pod(&c->n1, "10.244.1.5", c->pod1);
  pod(&c->n2, "10.244.2.5", c->pod2);
  remote(&c->n1, "10.244.2.5", c->rem1);
  remote(&c->n2, "10.244.1.5", c->rem2);
  snprintf(both, sizeof both, "%s\",\"%s", c->pod1, c->rem1);
  lb(&c->n1, "10.96.0.10", 17, 53, both, 0, c->udp1);
  lb(&c->n1, "10.96.0.10", 6, 53, both, 0, c->tcp1);
  snprintf(both, sizeof both, "%s\",\"%s", c->pod2, c->rem2);
  lb(&c->n2, "10.96.0.10", 17, 53, both, 0, c->udp2);
  lb(&c->n2, "10.96.0.10", 6, 53, both, 0, c->tcp2);
}

static void cluster_free(cluster *c) {
  node_free(&c->n1);
  node_free(&c->n2);
}

/* ---- the catalogue ---- */

static void catalogue_names_every_check(void **state) {
  (void)state;
  static const char *const names[] = {"lb-endpoints-exist",
                                      "lb-state",
                                      "dns-vip-both-protocols",
                                      "endpoint-state",
                                      "duplicate-ip-mac",
                                      "remote-shadows-local",
                                      "remote-endpoints-referenced",
                                      "remote-endpoints-live",
                                      "ephemeral-ports",
                                      "management-ip"};
  assert_int_equal(hns_check_count(), sizeof names / sizeof names[0]);
  for (size_t i = 0; i < hns_check_count(); i++) {
    const hns_check_info *c = hns_check_get(i);
    assert_string_equal(c->name, names[i]);
    assert_true(strlen(c->description) > 20);
    assert_true(strlen(c->source) > 5);
    assert_ptr_equal(hns_check_find(names[i]), c);
  }
  assert_null(hns_check_get(hns_check_count()));
  assert_null(hns_check_find("no-such-check"));
  assert_null(hns_check_find(NULL));
}

/* ---- a healthy cluster ---- */

static void healthy_cluster_passes_every_check(void **state) {
  (void)state;
  cluster c;
  cluster_make(&c, "ws2022");
  hns_check_host hosts[] = {live("node1", &c.n1), live("node2", &c.n2)};
  hns_check_report r = run(hosts, 2, NULL);
  for (size_t i = 0; i < r.count; i++) print_message("unexpected: %s\n", r.violations[i].message);
  assert_int_equal(r.count, 0);
  assert_int_equal(r.checks_run, hns_check_count());
  hns_check_report_free(&r);
  /* The same hosts from their state documents: the same answer. */
  char *s1 = NULL, *s2 = NULL;
  assert_int_equal(hns_check_state(c.n1.svc, &s1), HNS_S_OK);
  assert_int_equal(hns_check_state(c.n2.svc, &s2), HNS_S_OK);
  hns_check_host saved[] = {{"node1", NULL, s1}, {"node2", NULL, s2}};
  r = run(saved, 2, NULL);
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  /* The state holds the v2 documents and the v1 State of each endpoint. */
  cJSON *root = cJSON_Parse(s1);
  assert_string_equal(cJSON_GetObjectItem(root, "Profile")->valuestring, "ws2022");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "Networks")), 1);
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "LoadBalancers")), 2);
  const cJSON *ep = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "Endpoints"), 0);
  assert_string_equal(cJSON_GetObjectItem(ep, "ID")->valuestring, c.pod1);
  assert_int_equal(cJSON_GetObjectItem(ep, "State")->valueint, 3); /* AttachedSharing: in a namespace */
  cJSON_Delete(root);
  free(s1);
  free(s2);
  cluster_free(&c);
}

/* ---- lb-endpoints-exist ---- */

static void drop_endpoint(cJSON *root, void *id) {
  cJSON *eps = cJSON_GetObjectItem(root, "Endpoints");
  int i = 0;
  for (const cJSON *e = eps->child; e; e = e->next, i++)
    if (!strcmp(cJSON_GetObjectItem(e, "ID")->valuestring, id)) {
      cJSON_DeleteItemFromArray(eps, i);
      return;
    }
  fail_msg("no endpoint %s in the state", (const char *)id);
}

/* HNS here refuses to delete an endpoint a load balancer names, so the
 * invariant holds on a simulated host; a real host's state, where the
 * endpoint was deleted behind kube-proxy's back (pain point P3), breaks it. */
static void lb_naming_a_deleted_endpoint(void **state) {
  (void)state;
  cluster c;
  cluster_make(&c, "ws2022");
  hns_guid g;
  assert_int_equal(hns_guid_parse(c.rem1, &g), 0);
  assert_int_equal(hns_delete(c.n1.svc, HNS_ENDPOINT, &g, NULL), HCN_E_ENTITY_HAS_REFERENCES);
  hns_check_host hosts[] = {live("node1", &c.n1)};
  hns_check_report r = run(hosts, 1, "lb-endpoints-exist");
  assert_int_equal(r.count, 0);
  assert_int_equal(r.checks_run, 1);
  hns_check_report_free(&r);

  char *imported = edited_state(c.n1.svc, drop_endpoint, c.rem1);
  hns_check_host real[] = {{"node1", NULL, imported}};
  r = run(real, 1, "lb-endpoints-exist");
  assert_int_equal(r.count, 2);
  const char *first = strcmp(c.tcp1, c.udp1) < 0 ? c.tcp1 : c.udp1, *second = first == c.tcp1 ? c.udp1 : c.tcp1;
  char want[512];
  snprintf(
      want, sizeof want,
      "load balancer %s (10.96.0.10:53/%s) names endpoint %s (HostComputeEndpoints[1]), which does not exist on this "
      "host",
      first, first == c.tcp1 ? "tcp" : "udp", c.rem1);
  assert_violation(&r, 0, "lb-endpoints-exist", "node1", "load balancer", first, want);
  snprintf(
      want, sizeof want,
      "load balancer %s (10.96.0.10:53/%s) names endpoint %s (HostComputeEndpoints[1]), which does not exist on this "
      "host",
      second, second == c.tcp1 ? "tcp" : "udp", c.rem1);
  assert_violation(&r, 1, "lb-endpoints-exist", "node1", "load balancer", second, want);
  hns_check_report_free(&r);
  free(imported);
  cluster_free(&c);
}

/* ---- remote endpoints ---- */

/* Pod churn (pain point P5): the pod on node2 goes, node1 keeps the remote
 * endpoint that stood for it. */
static void remote_endpoint_outlives_its_pod(void **state) {
  (void)state;
  node n1 = node_make("ws2022", "node1", "10.244.1", 1), n2 = node_make("ws2022", "node2", "10.244.2", 2);
  char pod1[37], pod2[37], rem[37], svc_lb[37], both[96];
  pod(&n1, "10.244.1.5", pod1);
  pod(&n2, "10.244.2.5", pod2);
  remote(&n1, "10.244.2.5", rem);
  snprintf(both, sizeof both, "%s\",\"%s", pod1, rem);
  lb(&n1, "10.96.0.20", 6, 80, both, 0, svc_lb);
  hns_check_host hosts[] = {live("node1", &n1), live("node2", &n2)};
  hns_check_report r = run(hosts, 2, "remote-endpoints-live");
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  /* Alone, node1 has no other host to ask: nothing is judged. */
  r = run(hosts, 1, "remote-endpoints-live");
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);

  hns_guid g;
  assert_int_equal(hns_guid_parse(pod2, &g), 0);
  assert_int_equal(hns_delete(n2.svc, HNS_ENDPOINT, &g, NULL), HNS_S_OK);
  r = run(hosts, 2, "remote-endpoints-live");
  char want[512];
  snprintf(want, sizeof want,
           "remote endpoint %s (10.244.2.5) stands for 10.244.2.5, but the other host has no local endpoint or "
           "management IP "
           "with that address: the pod it stood for is gone",
           rem);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "remote-endpoints-live", "node1", "endpoint", rem, want);
  hns_check_report_free(&r);
  node_free(&n1);
  node_free(&n2);
}

/* networkhealth's StaleRemoteEndpoints: a remote endpoint no load balancer
 * names. The overlay service-VIP endpoint (IP = a VIP) is not one. */
static void remote_endpoint_no_load_balancer_names(void **state) {
  (void)state;
  cluster c;
  cluster_make(&c, "ws2022");
  char stale[37], vip_ep[37];
  remote(&c.n1, "10.244.2.6", stale);
  remote(&c.n1, "10.96.0.10", vip_ep);
  hns_check_host hosts[] = {live("node1", &c.n1), live("node2", &c.n2)};
  hns_check_report r = run(hosts, 2, "remote-endpoints-referenced");
  char want[256];
  snprintf(
      want, sizeof want,
      "remote endpoint %s (10.244.2.6) is named by no load balancer on this host: a remote endpoint no service uses is "
      "stale",
      stale);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "remote-endpoints-referenced", "node1", "endpoint", stale, want);
  hns_check_report_free(&r);
  cluster_free(&c);
}

static void add_endpoint_doc(cJSON *root, void *json) {
  cJSON_AddItemToArray(cJSON_GetObjectItem(root, "Endpoints"), cJSON_Parse(json));
}

/* L2Bridge IP reuse (kubernetes#130963): a remote endpoint with the IP of a
 * local pod. HNS here refuses it; an imported state can hold it. */
static void remote_endpoint_shadows_a_local_pod(void **state) {
  (void)state;
  cluster c;
  cluster_make(&c, "ws2022");
  char json[256], *er = NULL;
  hns_handle *h = NULL;
  snprintf(json, sizeof json, "{\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.5\"}],\"Flags\":1}");
  assert_int_equal(hns_create(c.n1.svc, HNS_ENDPOINT, c.n1.net, NULL, json, &h, &er), HCN_E_ADDR_INVALID_OR_RESERVED);
  free(er);
  snprintf(json, sizeof json,
           "{\"ID\":\"0a0a0a0a-0000-0000-0000-000000000001\",\"HostComputeNetwork\":\"%s\",\"IpConfigurations\":[{"
           "\"IpAddress\":\"10.244.1.5\"}],\"Flags\":1}",
           c.n1.net_id);
  char *imported = edited_state(c.n1.svc, add_endpoint_doc, json);
  hns_check_host real[] = {{"node1", NULL, imported}};
  hns_check_report r = run(real, 1, "remote-shadows-local");
  char want[512];
  snprintf(want, sizeof want,
           "remote endpoint 0a0a0a0a-0000-0000-0000-000000000001 (10.244.1.5) has the IP address 10.244.1.5 of local "
           "endpoint %s on network 'cbr0': packets for 10.244.1.5 may leave for another host",
           c.pod1);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "remote-shadows-local", "node1", "endpoint", "0a0a0a0a-0000-0000-0000-000000000001", want);
  hns_check_report_free(&r);
  free(imported);
  cluster_free(&c);
}

/* ---- DNS ---- */

static void dns_vip_with_udp_only(void **state) {
  (void)state;
  node n = node_make("ws2022", "node1", "10.244.1", 1);
  char dns_pod[37], udp[37], tcp[37], empty[37];
  pod(&n, "10.244.1.5", dns_pod);
  lb(&n, "10.96.0.10", 17, 53, dns_pod, 0, udp);
  hns_check_host hosts[] = {live("node1", &n)};
  hns_check_report r = run(hosts, 1, "dns-vip-both-protocols");
  char want[512];
  snprintf(
      want, sizeof want,
      "load balancer %s (10.96.0.10:53/udp) serves DNS VIP 10.96.0.10, which has no TCP/53 load balancer on this host: "
      "DNS needs both UDP/53 and TCP/53",
      udp);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "dns-vip-both-protocols", "node1", "load balancer", udp, want);
  hns_check_report_free(&r);
  /* kube-proxy adds TCP/53: the VIP is whole. */
  lb(&n, "10.96.0.10", 6, 53, dns_pod, 0, tcp);
  r = run(hosts, 1, "dns-vip-both-protocols");
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  /* A second DNS VIP whose load balancers name no endpoint (P13: ">= 1 existing backend"). */
  lb(&n, "10.96.0.11", 6, 53, "", 0, empty);
  r = run(hosts, 1, "dns-vip-both-protocols");
  assert_int_equal(r.count, 2);
  snprintf(
      want, sizeof want,
      "load balancer %s (10.96.0.11:53/tcp) serves DNS VIP 10.96.0.11, which has no UDP/53 load balancer on this host: "
      "DNS needs both UDP/53 and TCP/53",
      empty);
  assert_violation(&r, 1, "dns-vip-both-protocols", "node1", "load balancer", empty, want); /* ',' sorts after ' ' */
  snprintf(want, sizeof want,
           "load balancer %s (10.96.0.11:53/tcp) serves DNS VIP 10.96.0.11 with no endpoint that exists", empty);
  assert_violation(&r, 0, "dns-vip-both-protocols", "node1", "load balancer", empty, want);
  hns_check_report_free(&r);
  node_free(&n);
}

/* ---- states ---- */

/* A pod that never started leaves an endpoint never attached (pain point
 * P5, kubernetes#68511); one removed from its namespace is detached. */
static void endpoint_left_unattached(void **state) {
  (void)state;
  node n = node_make("ws2022", "node1", "10.244.1", 1);
  char leaked[37], json[256];
  make(n.svc, HNS_ENDPOINT, n.net, "{\"Name\":\"pause_cbr0\",\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.9\"}]}",
       leaked);
  hns_check_host hosts[] = {live("node1", &n)};
  hns_check_report r = run(hosts, 1, "endpoint-state");
  char want[256];
  snprintf(want, sizeof want,
           "endpoint %s 'pause_cbr0' (10.244.1.9) has State 1 (Created): a local endpoint in use is Attached (2) or "
           "AttachedSharing (3)",
           leaked);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "endpoint-state", "node1", "endpoint", leaked, want);
  hns_check_report_free(&r);
  /* In a namespace: AttachedSharing. */
  snprintf(json, sizeof json, "{\"Resources\":[{\"Type\":\"Endpoint\",\"Data\":{\"ID\":\"%s\"}}]}", leaked);
  hns_handle *nsh = create(n.svc, HNS_NAMESPACE, NULL, json);
  r = run(hosts, 1, "endpoint-state");
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  /* Out of it again: Detached. */
  snprintf(json, sizeof json,
           "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Remove\",\"Settings\":{\"EndpointId\":\"%s\"}}", leaked);
  assert_int_equal(hns_modify(nsh, json, NULL), HNS_S_OK);
  r = run(hosts, 1, "endpoint-state");
  snprintf(want, sizeof want,
           "endpoint %s 'pause_cbr0' (10.244.1.9) has State 4 (Detached): a local endpoint in use is Attached (2) or "
           "AttachedSharing (3)",
           leaked);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "endpoint-state", "node1", "endpoint", leaked, want);
  hns_check_report_free(&r);
  hns_close(nsh);
  node_free(&n);
}

static void set_lb_state(cJSON *root, void *value) {
  cJSON *lb0 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "LoadBalancers"), 0);
  cJSON_AddNumberToObject(lb0, "State", *(int *)value);
}

/* hnsmock reports no load-balancer State; a real host's v1 policy list
 * does, and networkhealth wants 2. */
static void load_balancer_state_not_2(void **state) {
  (void)state;
  cluster c;
  cluster_make(&c, "ws2022");
  hns_check_host hosts[] = {live("node1", &c.n1)};
  hns_check_report r = run(hosts, 1, "lb-state");
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  int value = 2;
  char *good = edited_state(c.n1.svc, set_lb_state, &value);
  value = 1;
  char *bad = edited_state(c.n1.svc, set_lb_state, &value);
  hns_check_host real[] = {{"node1", NULL, good}};
  r = run(real, 1, "lb-state");
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  real[0].state = bad;
  r = run(real, 1, "lb-state");
  char want[256];
  snprintf(want, sizeof want, "load balancer %s (10.96.0.10:53/udp) has State 1; a load balancer in force has State 2",
           c.udp1);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "lb-state", "node1", "load balancer", c.udp1, want);
  hns_check_report_free(&r);
  free(good);
  free(bad);
  cluster_free(&c);
}

/* ---- ports ---- */

/* 1000 services on ws2019 before port-pool sharing (pain point P10): each
 * non-DSR load balancer holds one of 256 blocks of 64 ephemeral ports. */
static void ephemeral_ports_run_out(void **state) {
  (void)state;
  node n = node_make("ws2019-rtm", "node1", "10.244.1", 1);
  char backend[37], id[37], vip[32];
  pod(&n, "10.244.1.5", backend);
  for (unsigned i = 0; i < 245; i++) {
    snprintf(vip, sizeof vip, "10.96.%u.%u", i / 200, i % 200 + 1);
    lb(&n, vip, 6, 80, backend, 0, id);
  }
  hns_check_host hosts[] = {live("node1", &n)};
  hns_check_report r = run(hosts, 1, "ephemeral-ports");
  assert_int_equal(r.count, 0); /* 11 blocks free */
  hns_check_report_free(&r);
  lb(&n, "10.96.9.1", 6, 80, backend, 0, id);
  r = run(hosts, 1, "ephemeral-ports");
  assert_int_equal(r.count, 1);
  assert_violation(
      &r, 0, "ephemeral-ports", "node1", "host", "node1",
      "ephemeral ports 49152-65535 (ws2019-rtm): 10 of 256 blocks of 64 ports free, 246 held by non-DSR load "
      "balancers; networkhealth fails at 10 or fewer");
  hns_check_report_free(&r);
  for (unsigned i = 0; i < 10; i++) {
    snprintf(vip, sizeof vip, "10.96.10.%u", i + 1);
    lb(&n, vip, 6, 80, backend, 0, id);
  }
  r = run(hosts, 1, "ephemeral-ports");
  assert_int_equal(r.count, 1);
  assert_violation(
      &r, 0, "ephemeral-ports", "node1", "host", "node1",
      "ephemeral ports 49152-65535 (ws2019-rtm): 256 non-DSR load balancers hold all 256 blocks of 64 ports; "
      "the next one fails with HCN_E_PORT_ALREADY_EXISTS");
  hns_check_report_free(&r);
  /* ... as it does. */
  hns_handle *h = NULL;
  assert_int_equal(
      hns_create(n.svc, HNS_LOADBALANCER, NULL, NULL,
                 "{\"FrontendVIPs\":[\"10.96.11.1\"],\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,"
                 "\"ExternalPort\":80}]}",
                 &h, NULL),
      HCN_E_PORT_ALREADY_EXISTS);
  node_free(&n);
}

/* With port-pool sharing (ws2022) load balancers hold no block; DSR ones
 * never do (a ws2019-rtm state: that build has no DSR, so it is imported). */
static void ephemeral_ports_shared_or_dsr(void **state) {
  (void)state;
  node shared = node_make("ws2022", "node1", "10.244.1", 1);
  char backend[37], id[37], vip[32];
  pod(&shared, "10.244.1.5", backend);
  for (unsigned i = 0; i < 260; i++) {
    snprintf(vip, sizeof vip, "10.96.%u.%u", i / 200, i % 200 + 1);
    lb(&shared, vip, 6, 80, backend, 0, id);
  }
  hns_check_host hosts[] = {live("node1", &shared)};
  hns_check_report r = run(hosts, 1, "ephemeral-ports");
  assert_int_equal(r.count, 0);
  hns_check_report_free(&r);
  node_free(&shared);
  cJSON *root = cJSON_CreateObject(), *lbs = cJSON_AddArrayToObject(root, "LoadBalancers");
  cJSON_AddStringToObject(root, "Profile", "ws2019-rtm");
  for (unsigned i = 0; i < 260 + 246; i++) {
    cJSON *one = cJSON_CreateObject();
    snprintf(id, sizeof id, "lb-%u", i);
    cJSON_AddStringToObject(one, "ID", id);
    cJSON_AddNumberToObject(one, "Flags", i < 260 ? 1 : 0); /* EnableDirectServerReturn */
    cJSON_AddItemToArray(lbs, one);
  }
  char *text = cJSON_PrintUnformatted(root);
  hns_check_host real[] = {{"node2", NULL, text}};
  r = run(real, 1, "ephemeral-ports");
  assert_int_equal(r.count, 1);
  assert_violation(
      &r, 0, "ephemeral-ports", "node2", "host", "node2",
      "ephemeral ports 49152-65535 (ws2019-rtm): 10 of 256 blocks of 64 ports free, 246 held by non-DSR load "
      "balancers; networkhealth fails at 10 or fewer");
  hns_check_report_free(&r);
  free(text);
  cJSON_Delete(root);
}

/* ---- addresses ---- */

static void duplicate_first_endpoint(cJSON *root, void *new_id) {
  cJSON *eps = cJSON_GetObjectItem(root, "Endpoints");
  cJSON *copy = cJSON_Duplicate(cJSON_GetArrayItem(eps, 0), 1);
  cJSON_ReplaceItemInObject(copy, "ID", cJSON_CreateString(new_id));
  cJSON_AddItemToArray(eps, copy);
}

/* kube-proxy's note of a WS2019 bug: two endpoints with one IP. */
static void two_endpoints_share_ip_and_mac(void **state) {
  (void)state;
  node n = node_make("ws2022", "node1", "10.244.1", 1);
  char a[37];
  pod(&n, "10.244.1.5", a);
  const char *b = "ffffffff-0000-0000-0000-000000000001"; /* sorts after a */
  char *imported = edited_state(n.svc, duplicate_first_endpoint, (void *)b);
  cJSON *root = cJSON_Parse(imported);
  const char *mac =
      cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "Endpoints"), 0), "MacAddress")->valuestring;
  hns_check_host real[] = {{"node1", NULL, imported}};
  hns_check_report r = run(real, 1, "duplicate-ip-mac");
  assert_int_equal(r.count, 4);
  char want[512];
  snprintf(want, sizeof want,
           "endpoint %s (10.244.1.5) has IP address 10.244.1.5 on network 'cbr0', as endpoint %s does", a, b);
  assert_violation(&r, 0, "duplicate-ip-mac", "node1", "endpoint", a, want);
  snprintf(want, sizeof want, "endpoint %s (10.244.1.5) has MAC address %s on network 'cbr0', as endpoint %s does", a,
           mac, b);
  assert_violation(&r, 1, "duplicate-ip-mac", "node1", "endpoint", a, want);
  snprintf(want, sizeof want,
           "endpoint %s (10.244.1.5) has IP address 10.244.1.5 on network 'cbr0', as endpoint %s does", b, a);
  assert_violation(&r, 2, "duplicate-ip-mac", "node1", "endpoint", b, want);
  snprintf(want, sizeof want, "endpoint %s (10.244.1.5) has MAC address %s on network 'cbr0', as endpoint %s does", b,
           mac, a);
  assert_violation(&r, 3, "duplicate-ip-mac", "node1", "endpoint", b, want);
  hns_check_report_free(&r);
  cJSON_Delete(root);
  free(imported);
  node_free(&n);
}

static void management_ip_is_apipa(void **state) {
  (void)state;
  hns_service_config cfg = {hns_profile_find("ws2022"), "node1", 1};
  hns_service *svc;
  assert_int_equal(hns_service_create(&cfg, &svc), HNS_S_OK);
  char good[37], bad[37];
  make(svc, HNS_NETWORK, NULL,
       "{\"Name\":\"vxlan0\",\"Type\":\"Overlay\",\"Policies\":[{\"Type\":\"ProviderAddress\",\"Settings\":{"
       "\"ProviderAddress\":\"10.0.0.4\"}}],\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.244.1.0/"
       "24\",\"Routes\":[{"
       "\"NextHop\":\"10.244.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}",
       good);
  make(svc, HNS_NETWORK, NULL,
       "{\"Name\":\"vxlan1\",\"Type\":\"Overlay\",\"Policies\":[{\"Type\":\"ProviderAddress\",\"Settings\":{"
       "\"ProviderAddress\":\"169.254.20.7\"}}],\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.245.1.0/"
       "24\",\"Routes\":[{"
       "\"NextHop\":\"10.245.1.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}]}",
       bad);
  hns_check_host hosts[] = {{"node1", svc, NULL}};
  hns_check_report r = run(hosts, 1, "management-ip");
  char want[256];
  snprintf(want, sizeof want,
           "network %s 'vxlan1' has management IP 169.254.20.7 (its ProviderAddress policy), an APIPA address; "
           "networkhealth's "
           "remedy is to create the network again",
           bad);
  assert_int_equal(r.count, 1);
  assert_violation(&r, 0, "management-ip", "node1", "network", bad, want);
  hns_check_report_free(&r);
  hns_service_destroy(svc);
}

/* ---- refusals ---- */

static void refused(const hns_check_host *hosts, size_t n, const char *check, hns_hr want, const char *error) {
  hns_check_report r;
  assert_int_equal(hns_check_run(hosts, n, check, &r), want);
  assert_string_equal(r.error, error);
  assert_int_equal(r.count, 0);
  assert_null(r.violations);
  hns_check_report_free(&r);
}

static void unknown_check_is_named(void **state) {
  (void)state;
  refused(NULL, 0, "no-such-check", HNS_E_INVALIDARG,
          "unknown check 'no-such-check'; the checks are: lb-endpoints-exist, lb-state, dns-vip-both-protocols, "
          "endpoint-state, duplicate-ip-mac, remote-shadows-local, remote-endpoints-referenced, remote-endpoints-live, "
          "ephemeral-ports, management-ip");
  assert_int_equal(hns_check_run(NULL, 0, NULL, NULL), HNS_E_POINTER);
  hns_check_report r = run(NULL, 0, NULL); /* no hosts: every check holds */
  assert_int_equal(r.count, 0);
  assert_int_equal(r.checks_run, hns_check_count());
  hns_check_report_free(&r);
}

static void bad_hosts_and_states_are_named(void **state) {
  (void)state;
  node n = node_make("ws2022", "node1", "10.244.1", 1);
  hns_check_host twice[] = {live("node1", &n), live("node1", &n)};
  refused(twice, 2, NULL, HNS_E_INVALIDARG, "hosts[0] and hosts[1] are both called 'node1'");
  hns_check_host both[] = {{"node1", n.svc, "{}"}};
  refused(both, 1, NULL, HNS_E_INVALIDARG, "host 'node1': give either its service or its state, not both");
  hns_check_host unnamed[] = {{NULL, n.svc, NULL}};
  refused(unnamed, 1, NULL, HNS_E_INVALIDARG, "hosts[0] has no name");
  hns_check_host s[] = {{"node9", NULL, "not json"}};
  refused(s, 1, NULL, HNS_E_INVALIDARG, "host 'node9': its state is not JSON");
  s[0].state = "{\"Networks\":[]}";
  refused(s, 1, NULL, HNS_E_INVALIDARG, "host 'node9': the state has no Profile");
  s[0].state = "{\"Profile\":\"ws2030\"}";
  refused(s, 1, NULL, HNS_E_INVALIDARG, "host 'node9': the state's Profile 'ws2030' is not a profile hnsim knows");
  s[0].state =
      "{\"Profile\":\"ws2022\",\"Endpoints\":[{\"ID\":\"e1\",\"IpConfigurations\":[{\"IpAddress\":\"10.1\"}]}]}";
  refused(s, 1, NULL, HNS_E_INVALIDARG,
          "host 'node9': Endpoints[0].IpConfigurations[0].IpAddress: '10.1' is not an IP address");
  s[0].state = "{\"Profile\":\"ws2022\",\"LoadBalancers\":[{\"ID\":\"L\"},{\"ID\":\"l\"}]}";
  refused(s, 1, NULL, HNS_E_INVALIDARG, "host 'node9': LoadBalancers: two objects have the ID l");
  s[0].state = "{\"Profile\":\"ws2022\",\"LoadBalancers\":[{\"ID\":\"L\",\"HostComputeEndpoints\":[7]}]}";
  refused(s, 1, NULL, HNS_E_INVALIDARG, "host 'node9': LoadBalancers[0].HostComputeEndpoints[0] is not a string");
  s[0].state = "{\"Profile\":\"ws2022\",\"Networks\":[{\"Name\":\"x\"}]}";
  refused(s, 1, NULL, HNS_E_INVALIDARG, "host 'node9': Networks[0] has no ID");
  /* ws2016 has no HCN v2 API: its HNS cannot be read this way. */
  hns_service_config cfg = {hns_profile_find("ws2016"), "old", 1};
  hns_service *old;
  assert_int_equal(hns_service_create(&cfg, &old), HNS_S_OK);
  hns_check_host hosts[] = {live("node1", &n), {"old", old, NULL}};
  refused(
      hosts, 2, "endpoint-state", HNS_E_MOD_NOT_FOUND,
      "host 'old': HcnEnumerateNetworks failed with 0x8007007E (ERROR_MOD_NOT_FOUND): ws2016 (HNS 0.0) has no HCN v2 "
      "API (computenetwork.dll); use HNSCall");
  hns_service_destroy(old);
  node_free(&n);
}

/* ---- order ---- */

static void violations_sort_by_host_kind_and_id(void **state) {
  (void)state;
  cluster c;
  cluster_make(&c, "ws2022");
  char s1[37], s2[37], s3[37], leak[37];
  remote(&c.n2, "10.244.3.1", s1);
  remote(&c.n1, "10.244.3.2", s2);
  remote(&c.n1, "10.244.3.3", s3);
  make(c.n1.svc, HNS_ENDPOINT, c.n1.net, "{\"IpConfigurations\":[{\"IpAddress\":\"10.244.1.77\"}]}", leak);
  /* node2 first: the report still starts with node1. */
  hns_check_host hosts[] = {live("node2", &c.n2), live("node1", &c.n1)};
  hns_check_report r = run(hosts, 2, NULL);
  for (size_t i = 1; i < r.count; i++) {
    const hns_check_violation *a = &r.violations[i - 1], *b = &r.violations[i];
    int order = strcmp(a->host, b->host);
    if (!order) order = strcmp(a->kind, b->kind);
    if (!order) order = strcmp(a->id, b->id);
    if (!order) order = strcmp(a->check, b->check);
    if (!order) order = strcmp(a->message, b->message);
    assert_true(order < 0);
  }
  /* node1: s2 and s3 stale and gone; the leak unattached; node2: s1 likewise. */
  assert_int_equal(r.count, 7);
  assert_string_equal(r.violations[0].host, "node1");
  assert_string_equal(r.violations[6].host, "node2");
  /* The same hosts in the other order give the same report. */
  hns_check_host swapped[] = {live("node1", &c.n1), live("node2", &c.n2)};
  hns_check_report again = run(swapped, 2, NULL);
  assert_int_equal(again.count, r.count);
  for (size_t i = 0; i < r.count; i++) {
    assert_string_equal(again.violations[i].check, r.violations[i].check);
    assert_string_equal(again.violations[i].id, r.violations[i].id);
    assert_string_equal(again.violations[i].message, r.violations[i].message);
  }
  hns_check_report_free(&again);
  hns_check_report_free(&r);
  cluster_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(catalogue_names_every_check),
      cmocka_unit_test(healthy_cluster_passes_every_check),
      cmocka_unit_test(lb_naming_a_deleted_endpoint),
      cmocka_unit_test(remote_endpoint_outlives_its_pod),
      cmocka_unit_test(remote_endpoint_no_load_balancer_names),
      cmocka_unit_test(remote_endpoint_shadows_a_local_pod),
      cmocka_unit_test(dns_vip_with_udp_only),
      cmocka_unit_test(endpoint_left_unattached),
      cmocka_unit_test(load_balancer_state_not_2),
      cmocka_unit_test(ephemeral_ports_run_out),
      cmocka_unit_test(ephemeral_ports_shared_or_dsr),
      cmocka_unit_test(two_endpoints_share_ip_and_mac),
      cmocka_unit_test(management_ip_is_apipa),
      cmocka_unit_test(unknown_check_is_named),
      cmocka_unit_test(bad_hosts_and_states_are_named),
      cmocka_unit_test(violations_sort_by_host_kind_and_id),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
