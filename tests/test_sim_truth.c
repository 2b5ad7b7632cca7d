/* test_sim_truth.c: truth tables over the ACS cluster of net_fixture.h:
 * every cell probed in row-major order, compared with its expectation and
 * tallied (correct, wrong, unexpected pass, ignored), the matrix text
 * pinned, and bad specs refused with messages that name them. */
#include "net_fixture.h"
#include "sim_truth.h"

/* Drops TCP to port 81: a stand-in for an ACL on pod-c's port. */
static int drop_tcp_81(void *state, sim_packet *pkt, sim_dir dir, const sim_stage_place *place,
                       sim_stage_decision *out) {
  (void)state, (void)dir, (void)place;
  int hit = pkt->flow.proto == SIM_IPPROTO_TCP && pkt->flow.dport == 81;
  out->verdict = hit ? SIM_STAGE_DROP : SIM_STAGE_PASS;
  out->rule = hit ? "deny-81" : "";
  out->translated = 0;
  return SIM_OK;
}

typedef struct cluster {
  sim_world *world;
  sim_net *net;
} cluster;

/* The ACS cluster; pod-c listens on TCP 80 and 81 and drops TCP 81 at its port. */
static cluster cluster_new(void) {
  cluster c;
  assert_int_equal(sim_world_create(7, &c.world), SIM_OK);
  c.net = acs_cluster(c.world);
  NET_OK(c.net, sim_net_listen(c.net, "node2", "pod-c", SIM_IPPROTO_TCP, 80));
  NET_OK(c.net, sim_net_listen(c.net, "node2", "pod-c", SIM_IPPROTO_TCP, 81));
  NET_OK(c.net, sim_net_port_stage_add(c.net, "node2", "ep-c", SIM_DIR_IN, "acl", drop_tcp_81, NULL));
  return c;
}

static void cluster_free(cluster *c) {
  sim_net_destroy(c->net);
  sim_world_destroy(c->world);
}

#define T_OK(t, call)                                                                 \
  do {                                                                                \
    int rc_ = (call);                                                                 \
    if (rc_ != SIM_OK) fail_msg("%s: %d %s", #call, rc_, sim_truth_last_error(t));    \
  } while (0)

static void add_source(sim_truth *t, const char *label, const char *host, const char *port, const char *comp) {
  sim_truth_source s = {label, host, port, comp};
  T_OK(t, sim_truth_source_add(t, &s));
}

static void add_target(sim_truth *t, const char *label, const char *ip, uint8_t proto, uint16_t port) {
  sim_truth_target d = {label, ip_of(ip), proto, port};
  T_OK(t, sim_truth_target_add(t, &d));
}

/* Rows: pod-a by its endpoint, pod-b by its compartment, node2's host
 * compartment, the web server. Columns: pod-a:80, pod-c:80 (listens),
 * pod-c:81 (dropped at its port), pod-c:8080 (refused), an address no
 * router knows. */
static sim_truth *table_new(void) {
  sim_truth *t;
  assert_int_equal(sim_truth_create(&t), SIM_OK);
  add_source(t, "a", "node1", "ep-a", NULL);
  add_source(t, NULL, "node1", NULL, "pod-b");
  add_source(t, NULL, "node2", NULL, NULL);
  add_source(t, "web", "web", NULL, NULL);
  add_target(t, "a:80", "10.244.1.5", SIM_IPPROTO_TCP, 80);
  add_target(t, "c:80", "10.244.2.5", SIM_IPPROTO_TCP, 80);
  add_target(t, "c:81", "10.244.2.5", SIM_IPPROTO_TCP, 81);
  add_target(t, NULL, "10.244.2.5", SIM_IPPROTO_TCP, 8080);
  add_target(t, "void", "10.250.0.9", SIM_IPPROTO_TCP, 80);
  return t;
}

/* What the cluster does: every pod and host reaches pod-a and pod-c:80,
 * 81 is dropped, 8080 refused, 10.250.0.9 has no route. */
static void expect_what_the_cluster_does(sim_truth *t) {
  T_OK(t, sim_truth_expect_all(t, SIM_TRUTH_DELIVERED));
  T_OK(t, sim_truth_expect_column(t, "c:81", SIM_TRUTH_DROPPED));
  T_OK(t, sim_truth_expect_column(t, "10.244.2.5 tcp/8080", SIM_TRUTH_REFUSED));
  T_OK(t, sim_truth_expect_column(t, "void", SIM_TRUTH_NO_ROUTE));
}

static sim_truth_cell cell(sim_truth *t, const char *row, const char *col) {
  sim_truth_cell c;
  T_OK(t, sim_truth_cell_get(t, row, col, &c));
  return c;
}

static void a_correct_table_tallies_every_cell_correct(void **state) {
  (void)state;
  cluster c = cluster_new();
  sim_truth *t = table_new();
  assert_int_equal(sim_truth_rows(t), 4);
  assert_int_equal(sim_truth_columns(t), 5);
  /* Labels as given, or made from the source and the target. */
  assert_string_equal(sim_truth_row_label(t, 0), "a");
  assert_string_equal(sim_truth_row_label(t, 1), "node1/pod-b");
  assert_string_equal(sim_truth_row_label(t, 2), "node2");
  assert_null(sim_truth_row_label(t, 4));
  sim_truth_target col;
  T_OK(t, sim_truth_column(t, 3, &col));
  assert_string_equal(col.label, "10.244.2.5 tcp/8080");
  assert_int_equal(col.proto, SIM_IPPROTO_TCP);
  assert_int_equal(col.port, 8080);
  assert_int_equal(sim_truth_column(t, 5, &col), SIM_E_INVAL);
  expect_what_the_cluster_does(t);
  T_OK(t, sim_truth_fill(t, c.net));
  assert_string_equal(sim_truth_last_error(t), "");
  sim_truth_tally tally;
  T_OK(t, sim_truth_tally_get(t, &tally));
  assert_int_equal(tally.correct, 20);
  assert_int_equal(tally.wrong + tally.unexpected_pass + tally.ignored, 0);
  sim_truth_cell x = cell(t, "node1/pod-b", "c:81");
  assert_int_equal(x.expected, SIM_TRUTH_DROPPED);
  assert_int_equal(x.observed, SIM_PROBE_DROPPED);
  assert_int_equal(x.outcome, SIM_TRUTH_CORRECT);
  assert_int_equal(cell(t, "web", "void").observed, SIM_PROBE_NO_ROUTE);
  assert_int_equal(cell(t, "node2", "10.244.2.5 tcp/8080").observed, SIM_PROBE_REFUSED);
  /* A correct cell keeps no reason. */
  char why[SIM_PROBE_REASON];
  assert_int_equal(sim_truth_reason(t, "a", "c:81", why, sizeof(why)), SIM_E_NOTFOUND);
  sim_truth_destroy(t);
  cluster_free(&c);
}

/* "Delivered everywhere" is wrong where the port drops: expected pass, got blocked. */
static void a_blocked_cell_expected_to_pass_is_wrong(void **state) {
  (void)state;
  cluster c = cluster_new();
  sim_truth *t = table_new();
  expect_what_the_cluster_does(t);
  T_OK(t, sim_truth_expect_cell(t, "a", "c:81", SIM_TRUTH_DELIVERED));
  T_OK(t, sim_truth_fill(t, c.net));
  sim_truth_tally tally;
  T_OK(t, sim_truth_tally_get(t, &tally));
  assert_int_equal(tally.correct, 19);
  assert_int_equal(tally.wrong, 1);
  assert_int_equal(tally.unexpected_pass, 0);
  sim_truth_cell x = cell(t, "a", "c:81");
  assert_int_equal(x.expected, SIM_TRUTH_DELIVERED);
  assert_int_equal(x.observed, SIM_PROBE_DROPPED);
  assert_int_equal(x.outcome, SIM_TRUTH_WRONG);
  char why[SIM_PROBE_REASON];
  T_OK(t, sim_truth_reason(t, "a", "c:81", why, sizeof(why)));
  assert_non_null(strstr(why, "acl"));
  assert_non_null(strstr(why, "deny-81"));
  assert_int_equal(sim_truth_reason(t, "a", "c:81", why, 4), SIM_E_SHORT);
  sim_truth_destroy(t);
  cluster_free(&c);
}

/* Expected blocked, got through: an unexpected pass; blocked another way
 * than expected is wrong; an ignored cell is not compared. */
static void a_cell_that_gets_through_is_an_unexpected_pass(void **state) {
  (void)state;
  cluster c = cluster_new();
  sim_truth *t = table_new();
  expect_what_the_cluster_does(t);
  T_OK(t, sim_truth_expect_row(t, "web", SIM_TRUTH_BLOCKED));
  T_OK(t, sim_truth_expect_cell(t, "a", "void", SIM_TRUTH_DROPPED));
  T_OK(t, sim_truth_expect_cell(t, "a", "a:80", SIM_TRUTH_IGNORED));
  T_OK(t, sim_truth_fill(t, c.net));
  sim_truth_tally tally;
  T_OK(t, sim_truth_tally_get(t, &tally));
  /* web's row: a:80 and c:80 get through; c:81, 8080 and void are blocked as expected. */
  assert_int_equal(tally.unexpected_pass, 2);
  assert_int_equal(tally.wrong, 1);
  assert_int_equal(tally.ignored, 1);
  assert_int_equal(tally.correct, 16);
  assert_int_equal(cell(t, "web", "c:80").outcome, SIM_TRUTH_UNEXPECTED_PASS);
  assert_int_equal(cell(t, "web", "c:81").outcome, SIM_TRUTH_CORRECT);
  sim_truth_cell x = cell(t, "a", "void");
  assert_int_equal(x.observed, SIM_PROBE_NO_ROUTE);
  assert_int_equal(x.outcome, SIM_TRUTH_WRONG);
  assert_int_equal(cell(t, "a", "a:80").outcome, SIM_TRUTH_NOT_COMPARED);
  char why[SIM_PROBE_REASON];
  T_OK(t, sim_truth_reason(t, "web", "c:80", why, sizeof(why)));
  assert_string_equal(why, ""); /* delivered: nothing stopped it */
  T_OK(t, sim_truth_reason(t, "a", "void", why, sizeof(why)));
  assert_non_null(strstr(why, "10.250.0.9"));
  /* A new expectation makes the table read as not filled. */
  T_OK(t, sim_truth_expect_cell(t, "a", "void", SIM_TRUTH_NO_ROUTE));
  assert_int_equal(sim_truth_tally_get(t, &tally), SIM_E_INVAL);
  assert_int_equal(sim_truth_format(t, NULL, 0), 0);
  T_OK(t, sim_truth_fill(t, c.net));
  T_OK(t, sim_truth_tally_get(t, &tally));
  assert_int_equal(tally.wrong, 0);
  sim_truth_destroy(t);
  cluster_free(&c);
}

static const char expected_text[] =
    "truth table: 4 sources x 5 targets\n"
    "             a:80  c:80  c:81  10.244.2.5 tcp/8080  void\n"
    "a            .?    .     dX    r                    nX\n"
    "node1/pod-b  .     .     d     r                    n\n"
    "node2        .     .     d     r                    n\n"
    "web          .+    .+    d     r                    n\n"
    "legend: . delivered, d dropped, n no route, r refused, t timed out; then X wrong, + unexpected pass, ?"
    " ignored, nothing when correct\n"
    "tally: 15 correct, 2 wrong, 2 unexpected pass, 1 ignored\n"
    "wrong: a -> c:81: expected delivered, observed dropped: dropped by stage acl rule deny-81 at ep-c of host node2\n"
    "wrong: a -> void: expected dropped, observed no route: no route to 10.250.0.9 at router azure\n"
    "unexpected pass: web -> a:80: expected blocked, observed delivered\n"
    "unexpected pass: web -> c:80: expected blocked, observed delivered\n";

static void the_matrix_text_is_pinned(void **state) {
  (void)state;
  cluster c = cluster_new();
  sim_truth *t = table_new();
  expect_what_the_cluster_does(t);
  T_OK(t, sim_truth_expect_row(t, "web", SIM_TRUTH_BLOCKED));
  T_OK(t, sim_truth_expect_cell(t, "web", "c:81", SIM_TRUTH_DROPPED));
  T_OK(t, sim_truth_expect_cell(t, "a", "void", SIM_TRUTH_DROPPED));
  T_OK(t, sim_truth_expect_cell(t, "a", "c:81", SIM_TRUTH_DELIVERED));
  T_OK(t, sim_truth_expect_cell(t, "a", "a:80", SIM_TRUTH_IGNORED));
  T_OK(t, sim_truth_fill(t, c.net));
  const char *want = expected_text;
  char text[4096];
  size_t need = sim_truth_format(t, text, sizeof(text));
  assert_string_equal(text, want);
  assert_int_equal(need, strlen(want));
  /* A short buffer gets the start and the whole length. */
  char small[40];
  assert_int_equal(sim_truth_format(t, small, sizeof(small)), need);
  assert_int_equal(strlen(small), sizeof(small) - 1);
  assert_memory_equal(small, want, sizeof(small) - 1);
  assert_int_equal(sim_truth_format(t, NULL, 0), need);
  sim_truth_destroy(t);
  cluster_free(&c);
}

/* Flows seen leaving the sources' ports, in order. */
typedef struct seen {
  char lines[64][SIM_FLOW_TEXT];
  int n;
} seen;

static void on_capture(void *ctx, sim_time time, const sim_capture_place *place, const sim_packet *pkt) {
  (void)time;
  seen *s = ctx;
  if (strcmp(place->point, "nic-out") || place->leg != SIM_LEG_FORWARD || s->n == 64) return;
  if (strcmp(place->host, "node1") && strcmp(place->host, "node2")) return;
  sim_flow_format(&pkt->flow, s->lines[s->n++]);
}

/* Row-major order, one probe per cell, and the same text on a fresh
 * cluster with the same seed. */
static void cells_are_probed_in_row_major_order_and_repeat(void **state) {
  (void)state;
  char text[2][4096];
  for (int k = 0; k < 2; k++) {
    cluster c = cluster_new();
    sim_truth *t;
    assert_int_equal(sim_truth_create(&t), SIM_OK);
    add_source(t, "a", "node1", "ep-a", NULL);
    add_source(t, "c", "node2", "ep-c", NULL);
    add_target(t, "x", "10.250.0.1", SIM_IPPROTO_UDP, 53);
    add_target(t, "y", "10.250.0.2", SIM_IPPROTO_UDP, 53);
    T_OK(t, sim_truth_expect_all(t, SIM_TRUTH_NO_ROUTE));
    seen s = {{{0}}, 0};
    sim_net_set_capture(c.net, on_capture, &s);
    T_OK(t, sim_truth_fill(t, c.net));
    sim_net_set_capture(c.net, NULL, NULL);
    assert_int_equal(s.n, 4);
    assert_non_null(strstr(s.lines[0], "10.244.1.5") && strstr(s.lines[0], "10.250.0.1"));
    assert_non_null(strstr(s.lines[1], "10.244.1.5") && strstr(s.lines[1], "10.250.0.2"));
    assert_non_null(strstr(s.lines[2], "10.244.2.5") && strstr(s.lines[2], "10.250.0.1"));
    assert_non_null(strstr(s.lines[3], "10.244.2.5") && strstr(s.lines[3], "10.250.0.2"));
    /* Four probes: the next one is the fifth. */
    sim_probe_result r = probe(c.net, from_port("node1", "ep-a", "10.244.2.5", SIM_IPPROTO_TCP, 80), NULL);
    assert_int_equal(r.id, 5);
    sim_truth_format(t, text[k], sizeof(text[k]));
    sim_truth_destroy(t);
    cluster_free(&c);
  }
  assert_string_equal(text[0], text[1]);
}

static void bad_specs_are_refused_with_their_names(void **state) {
  (void)state;
  cluster c = cluster_new();
  sim_truth *t;
  assert_int_equal(sim_truth_create(&t), SIM_OK);
  sim_truth_source s = {"both", "node1", "ep-a", "pod-a"};
  assert_int_equal(sim_truth_source_add(t, &s), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "from_port \"ep-a\" and from_compartment \"pod-a\""));
  s = (sim_truth_source){"nohost", NULL, NULL, NULL};
  assert_int_equal(sim_truth_source_add(t, &s), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "host"));
  s = (sim_truth_source){"bad\nlabel", "node1", NULL, NULL};
  assert_int_equal(sim_truth_source_add(t, &s), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "control character at byte 3"));
  add_source(t, "ghost", "node1", "ep-x", NULL);
  s = (sim_truth_source){"ghost", "node2", NULL, NULL};
  assert_int_equal(sim_truth_source_add(t, &s), SIM_E_EXISTS);
  assert_non_null(strstr(sim_truth_last_error(t), "label \"ghost\": already a row"));

  sim_truth_target d = {"zero", ip_of("10.244.2.5"), SIM_IPPROTO_TCP, 0};
  assert_int_equal(sim_truth_target_add(t, &d), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "port 0"));
  d = (sim_truth_target){"ping", ip_of("10.244.2.5"), SIM_IPPROTO_ICMPV6, 0};
  assert_int_equal(sim_truth_target_add(t, &d), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "proto 58"));
  d = (sim_truth_target){"ping", ip_of("10.244.2.5"), SIM_IPPROTO_ICMP, 7};
  assert_int_equal(sim_truth_target_add(t, &d), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "port 7"));
  memset(&d, 0, sizeof(d));
  assert_int_equal(sim_truth_target_add(t, &d), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "dst: family 0"));
  add_target(t, NULL, "10.244.2.5", SIM_IPPROTO_ICMP, 0);
  add_target(t, "c:80", "10.244.2.5", SIM_IPPROTO_TCP, 80);

  /* Unknown labels and expectations. */
  assert_int_equal(sim_truth_expect_cell(t, "ghost", "nowhere", SIM_TRUTH_DROPPED), SIM_E_NOTFOUND);
  assert_non_null(strstr(sim_truth_last_error(t), "column \"nowhere\": no such column"));
  assert_int_equal(sim_truth_expect_row(t, "spook", SIM_TRUTH_DROPPED), SIM_E_NOTFOUND);
  assert_non_null(strstr(sim_truth_last_error(t), "row \"spook\""));
  assert_int_equal(sim_truth_expect_all(t, (sim_truth_expect)9), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "expect 9"));
  sim_truth_tally tally;
  assert_int_equal(sim_truth_tally_get(t, &tally), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "not filled"));

  /* The unknown endpoint is named when the table is filled, and nothing reads as filled. */
  assert_int_equal(sim_truth_fill(t, c.net), SIM_E_NOTFOUND);
  const char *err = sim_truth_last_error(t);
  assert_non_null(strstr(err, "row \"ghost\" column \"10.244.2.5 icmp\""));
  assert_non_null(strstr(err, "\"ep-x\""));
  assert_int_equal(sim_truth_tally_get(t, &tally), SIM_E_INVAL);
  sim_truth_cell x;
  assert_int_equal(sim_truth_cell_get(t, "ghost", "c:80", &x), SIM_E_INVAL);
  assert_int_equal(sim_truth_format(t, NULL, 0), 0);

  /* The cells exist now: the shape is fixed. */
  s = (sim_truth_source){"late", "node2", NULL, NULL};
  assert_int_equal(sim_truth_source_add(t, &s), SIM_E_BUSY);
  d = (sim_truth_target){"late", ip_of("10.244.2.5"), SIM_IPPROTO_UDP, 53};
  assert_int_equal(sim_truth_target_add(t, &d), SIM_E_BUSY);
  assert_int_equal(sim_truth_fill(t, NULL), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "net: NULL"));
  sim_truth_destroy(t);

  /* A detached endpoint is the model's refusal too. */
  assert_int_equal(sim_truth_create(&t), SIM_OK);
  NET_OK(c.net, sim_net_port_detach(c.net, "node1", "ep-b"));
  add_source(t, "b", "node1", "ep-b", NULL);
  add_target(t, "c:80", "10.244.2.5", SIM_IPPROTO_TCP, 80);
  assert_int_equal(sim_truth_fill(t, c.net), SIM_E_INVAL);
  assert_non_null(strstr(sim_truth_last_error(t), "from_port \"ep-b\": not attached"));
  sim_truth_destroy(t);
  cluster_free(&c);
}

/* An empty table fills and prints its header, legend and tally. */
static void an_empty_table_fills(void **state) {
  (void)state;
  cluster c = cluster_new();
  sim_truth *t;
  assert_int_equal(sim_truth_create(&t), SIM_OK);
  T_OK(t, sim_truth_fill(t, c.net));
  char text[512];
  sim_truth_format(t, text, sizeof(text));
  assert_non_null(strstr(text, "truth table: 0 sources x 0 targets\n\n"));
  assert_non_null(strstr(text, "tally: 0 correct, 0 wrong, 0 unexpected pass, 0 ignored\n"));
  sim_truth_destroy(t);
  cluster_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_correct_table_tallies_every_cell_correct),
      cmocka_unit_test(a_blocked_cell_expected_to_pass_is_wrong),
      cmocka_unit_test(a_cell_that_gets_through_is_an_unexpected_pass),
      cmocka_unit_test(the_matrix_text_is_pinned),
      cmocka_unit_test(cells_are_probed_in_row_major_order_and_repeat),
      cmocka_unit_test(bad_specs_are_refused_with_their_names),
      cmocka_unit_test(an_empty_table_fills),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
