/* hns_hostdump.h: the formats in which real Windows hosts dump their HNS
 * state, converted to and from the host state document (hns_check.h:
 * {"Profile","Networks","Endpoints","LoadBalancers"}, HCN v2 documents),
 * the document snapshots hold and `hnsim check --state` reads.
 * docs/import-export.md lists every format, the fields each carries and
 * what each loses, with the sources.
 *
 * Import reads any number of files of one host, in any of the formats
 * below (detected from the content, or forced), converts every object to
 * its HCN v2 document and merges them: an object read twice (network.txt
 * and networkdetailed.txt, or a table row of hnsdiag and its JSON) is one
 * object, by ID in any case, the first reading of a field winning. Export
 * writes one host's state as the files Microsoft's tools write.
 *
 * Conventions (as the rest of hnsmock): calls return an HRESULT; on failure
 * hns_dump_import_error / the `err` buffer says why, naming the file, the
 * object, the field and the value ("'endpoint.txt': object 3 (ID 8CC6...):
 * IPAddress: '10.1' is not an IP address"); outputs are malloc'd and the
 * caller frees them. Nothing here reads a clock or depends on addresses:
 * the same files give byte-identical documents. */
#ifndef HNS_HOSTDUMP_H
#define HNS_HOSTDUMP_H
#include <stddef.h>
#include "hns_hresult.h"

typedef enum hns_dump_format {
  HNS_DUMP_ANY = 0,       /* import: tell from the content */
  HNS_DUMP_STATE,         /* "state": a host state document itself */
  HNS_DUMP_JSON,          /* "json": Get-HnsNetwork / Get-HnsEndpoint / Get-HnsPolicyList | ConvertTo-Json (v1) */
  HNS_DUMP_HNSCALL,       /* "hnscall": HNSCall's envelope {"Success":true,"Output":...} */
  HNS_DUMP_V2,            /* "v2": HCN v2 documents (HcnQuery*Properties, Get-Hns* -Version 2) */
  HNS_DUMP_HNSDIAG,       /* "hnsdiag": `hnsdiag list all [-d]` text */
  HNS_DUMP_NETWORKHEALTH, /* "networkhealth": networkhealth.ps1's endpointdata.json, networkdata.json,
                             loadbalancerdata.json, nodedata.json */
  HNS_DUMP_FORMAT_COUNT   /* not a format */
} hns_dump_format;

/* "state", "json", ...; NULL outside the enum. */
const char *hns_dump_format_name(hns_dump_format f);
/* The format called `name` (exact), or -1. */
int hns_dump_format_lookup(const char *name);

/* ---- import ---- */

enum { HNS_DUMP_NOTE_INFO = 0, HNS_DUMP_NOTE_WARN = 1 };

/* Receives one line per file read (its format and what it held), per
 * object left out and why (a namespace, an SDN route, a v1 policy type
 * with no v2 counterpart, a value ConvertTo-Json cut off), and the
 * profile chosen; `message` is valid during the call only. */
typedef void (*hns_dump_note_fn)(void *ctx, int level, const char *message);

typedef struct hns_dump_import hns_dump_import;

/* `note` may be NULL. */
hns_hr hns_dump_import_create(hns_dump_note_fn note, void *ctx, hns_dump_import **out);
void hns_dump_import_destroy(hns_dump_import *im);

/* Reads one file's bytes (UTF-8, or UTF-16 with a byte-order mark, as
 * Windows PowerShell's `>` writes it), called `name` in messages, in
 * `format` (HNS_DUMP_ANY: detected). An empty file holds no object (what
 * ConvertTo-Json prints for no input). E_INVALIDARG for a file that is
 * none of the formats, or an object the host state cannot take, with
 * hns_dump_import_error naming the file and why; E_OUTOFMEMORY. A failed
 * call adds nothing. */
hns_hr hns_dump_import_text(hns_dump_import *im, const char *name, const char *bytes, size_t len,
                            hns_dump_format format);

/* Reads a file, or the files of a folder that Microsoft's scripts and
 * hnsim export write (collectlogs.ps1's networkdetailed.txt, network.txt,
 * endpoint.txt, policy.txt, namespaces.txt, hnsdiag.txt; networkhealth's
 * four files; network.json, endpoint.json, policylist.json), in the order
 * docs/import-export.md gives; other files of the folder are not read.
 * E_INVALIDARG also for a path that does not exist or a folder with none
 * of those files. */
hns_hr hns_dump_import_path(hns_dump_import *im, const char *path, hns_dump_format format);

/* The host state document of everything read (malloc'd). Its Profile is
 * `profile` when not NULL; else the Profile of a state document read; else
 * the one the newest object's HNS version implies (docs/import-export.md);
 * E_INVALIDARG when there is none (or `profile` names no profile). An
 * endpoint whose network only a name gave (an hnsdiag table) gets that
 * network's ID. */
hns_hr hns_dump_import_finish(hns_dump_import *im, const char *profile, char **out_state);

/* Why the last call failed, or "". */
const char *hns_dump_import_error(const hns_dump_import *im);

/* ---- export ---- */

typedef struct hns_dump_file {
  char *name; /* the file's name, as the tool names it ("endpointdata.json") */
  char *text; /* its content, UTF-8 */
} hns_dump_file;

typedef struct hns_dump_files {
  hns_dump_file *v;
  size_t n;
} hns_dump_files;

/* The files a host with state `state_json` gives in `format`:
 *   HNS_DUMP_JSON          network.json, endpoint.json, policylist.json (ConvertTo-Json of the v1 views)
 *   HNS_DUMP_HNSDIAG       hnsdiag.txt (`hnsdiag list all -d`)
 *   HNS_DUMP_NETWORKHEALTH endpointdata.json, networkdata.json, loadbalancerdata.json, nodedata.json
 * E_INVALIDARG (with `err` saying why) for another format or a state that
 * is not what hns_check_state writes; E_OUTOFMEMORY. *out is empty on
 * failure. */
hns_hr hns_dump_export(const char *state_json, hns_dump_format format, hns_dump_files *out, char *err, size_t len);
void hns_dump_files_free(hns_dump_files *f);

#endif
