/* rpt.h: the results layer's whole public API in one include: the results
 * database (SQLite), its writer and readers, run digests, the Markdown
 * report and pcapng captures. docs/results-schema.md describes the database
 * file itself. */
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
#include "rpt_pcap.h"
#include "rpt_sha256.h"
#endif
