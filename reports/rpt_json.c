/* rpt_json.c: the JSON report (rpt_json.h): the document's frame, a run's
 * fields, and its expectations, metrics and log; rpt_json_rows.c adds the
 * detailed rows. One run's tree is built, printed and freed before the
 * next, so memory follows the largest run, not the whole set.
 *
 * Numbers: 64-bit integers go out as their decimal digits (cJSON keeps
 * numbers as doubles, which would round seeds past 2^53); metric values as
 * the shortest text that reads back as the same double, and an infinity,
 * which JSON cannot write, as the string "inf" or "-inf". Strings that are
 * not valid UTF-8 (a row may hold any bytes) have those bytes replaced by
 * U+FFFD, as JSON text must be UTF-8. */
#include "rpt_json.h"
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include "rpt_db_int.h"
#include "rpt_read.h"
#include "rpt_report_int.h"
#include "rpt_json_int.h"

#define WHO "rpt_report_json"

static void *noted(rpt__json *b, void *p) {
  if (!p) b->oom = 1;
  return p;
}

cJSON *rpt__json_row(rpt__json *b) {
  cJSON *o = noted(b, cJSON_CreateObject());
  if (o && !cJSON_AddItemToArray(b->array, o)) {
    cJSON_Delete(o);
    o = noted(b, NULL);
  }
  return o;
}

void rpt__json_str(rpt__json *b, cJSON *o, const char *key, const char *s) {
  if (!o) return;
  if (!s) {
    noted(b, cJSON_AddNullToObject(o, key));
  } else if (rpt__utf8_valid(s)) {
    noted(b, cJSON_AddStringToObject(o, key, s));
  } else {
    char *fixed = noted(b, rpt__utf8_repaired(s));
    if (fixed) noted(b, cJSON_AddStringToObject(o, key, fixed));
    free(fixed);
  }
}

void rpt__json_i64(rpt__json *b, cJSON *o, const char *key, int64_t v) {
  char digits[24];
  snprintf(digits, sizeof digits, "%" PRId64, v);
  if (o) noted(b, cJSON_AddRawToObject(o, key, digits));
}

void rpt__json_bool(rpt__json *b, cJSON *o, const char *key, int v) {
  if (o) noted(b, cJSON_AddBoolToObject(o, key, v));
}

cJSON *rpt__json_array(rpt__json *b, cJSON *o, const char *key) {
  b->array = o ? noted(b, cJSON_AddArrayToObject(o, key)) : NULL;
  return b->array;
}

static void real(rpt__json *b, cJSON *o, const char *key, double v) {
  char text[40];
  if (isinf(v)) {
    rpt__json_str(b, o, key, v > 0 ? "inf" : "-inf");
    return;
  }
  rpt__real(text, v);
  if (o) noted(b, cJSON_AddRawToObject(o, key, text));
}

static int expectation(void *arg, const rpt_expectation_row *r) {
  rpt__json *b = arg;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "name", r->name);
  rpt__json_bool(b, o, "passed", r->passed);
  rpt__json_str(b, o, "detail", r->detail);
  return rpt__json_status(b);
}

static int metric(void *arg, const rpt_metric_row *r) {
  rpt__json *b = arg;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "name", r->name);
  real(b, o, "value", r->value);
  return rpt__json_status(b);
}

static int log_line(void *arg, const rpt_log_row *r) {
  rpt__json *b = arg;
  cJSON *o = rpt__json_row(b);
  rpt__json_i64(b, o, "seq", r->seq);
  rpt__json_i64(b, o, "sim_time_ns", r->sim_time_ns);
  rpt__json_str(b, o, "level", rpt_log_level_name(r->level));
  rpt__json_str(b, o, "source", r->source);
  rpt__json_str(b, o, "message", r->message);
  return rpt__json_status(b);
}

static void fields(rpt__json *b, cJSON *o, const rpt_run_summary *s) {
  rpt__json_i64(b, o, "id", s->id);
  rpt__json_str(b, o, "scenario", s->scenario);
  rpt__json_str(b, o, "profile", s->profile);
  rpt__json_i64(b, o, "seed", (int64_t)s->seed);
  rpt__json_str(b, o, "backend", s->backend);
  rpt__json_str(b, o, "hnsim_version", s->hnsim_version);
  rpt__json_str(b, o, "state", rpt_run_state_name(s->state));
  rpt__json_str(b, o, "wall_start", s->wall_start);
  rpt__json_str(b, o, "wall_end", s->wall_end);
  if (s->has_sim_end) rpt__json_i64(b, o, "sim_end_ns", s->sim_end_ns);
  else noted(b, cJSON_AddNullToObject(o, "sim_end_ns"));
  rpt__json_str(b, o, "digest", s->digest[0] ? s->digest : NULL);
  cJSON *c = noted(b, cJSON_AddObjectToObject(o, "counts"));
  if (!c) return;
  rpt__json_i64(b, c, "expectations", s->expectations);
  rpt__json_i64(b, c, "expectations_failed", s->expectations_failed);
  rpt__json_i64(b, c, "metrics", s->metric_rows);
  rpt__json_i64(b, c, "log", s->log_rows);
  rpt__json_i64(b, c, "hcn_calls", s->hcn_calls);
  rpt__json_i64(b, c, "probes", s->probes);
  rpt__json_i64(b, c, "probes_failed", s->probes_failed);
  rpt__json_i64(b, c, "faults", s->faults);
  rpt__json_i64(b, c, "snapshots", s->snapshots);
}

/* Run `run_id` as one object, printed without whitespace. */
static int run_text(rpt__json *b, int64_t run_id, char **text) {
  rpt_run_summary s;
  int status = rpt_run_get(b->db, run_id, &s);
  if (status != RPT_OK) return status;
  cJSON *o = noted(b, cJSON_CreateObject());
  if (o) {
    fields(b, o, &s);
    if (rpt__json_array(b, o, "expectations"))
      status = rpt_expectation_foreach(b->db, run_id, RPT_ORDER_SEQ, expectation, b);
    if (status == RPT_OK && rpt__json_array(b, o, "metrics")) status = rpt_metric_foreach(b->db, run_id, metric, b);
    if (status == RPT_OK && rpt__json_array(b, o, "log")) status = rpt_log_foreach(b->db, run_id, log_line, b);
    if (status == RPT_OK && !b->oom) status = rpt__json_detail(b, o, run_id);
  }
  if (status == RPT_OK && !b->oom) *text = noted(b, cJSON_PrintUnformatted(o));
  cJSON_Delete(o);
  rpt_run_summary_clear(&s);
  if (b->oom && (status == RPT_OK || status == RPT_E_NOMEM))
    status = rpt__err(b->db, RPT_E_NOMEM, WHO ": out of memory building run %" PRId64, run_id);
  return status;
}

int rpt_report_json(rpt_db *db, const int64_t *run_ids, size_t n, FILE *out) {
  int started;
  int status = rpt__report_begin(db, run_ids, n, out, WHO, &started);
  if (status != RPT_OK) return status;
  fputs("{\"format\":\"hnsim-report\",\"version\":1,\"runs\":[", out);
  for (size_t i = 0; i < n && status == RPT_OK; i++) {
    rpt__json b = {db, 0, NULL};
    char *text = NULL;
    status = run_text(&b, run_ids[i], &text);
    if (status == RPT_OK) fprintf(out, "%s\n%s", i ? "," : "", text);
    free(text);
  }
  if (status == RPT_OK) fputs("\n]}\n", out);
  return rpt__report_end(db, out, WHO, started, status);
}
