/* rpt.h: the results layer's whole public API in one include: the results
 * database (SQLite), its writer and readers, run digests, the reports
 * (Markdown, HTML, JUnit XML, JSON; docs/reports.md) and pcapng captures.
 * docs/results-schema.md describes the database file itself. */
#ifndef RPT_H
#define RPT_H
#include "rpt_status.h"
#include "rpt_types.h"
#include "rpt_db.h"
#include "rpt_write.h"
#include "rpt_read.h"
#include "rpt_digest.h"
#include "rpt_rows.h"
#include "rpt_markdown.h"
#include "rpt_html.h"
#include "rpt_junit.h"
#include "rpt_json.h"
#include "rpt_compare.h"
#include "rpt_pcap.h"
#include "rpt_sha256.h"
#endif
