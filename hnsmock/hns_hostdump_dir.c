/* hns_hostdump_dir.c: a dump on disk, a file or a folder, into the import.
 *
 * A folder is what a tool leaves: collectlogs.ps1's random-named folder
 * (microsoft/SDN Kubernetes/windows/debug/collectlogs.ps1: networkdetailed.txt,
 * network.txt, endpoint.txt, policy.txt, namespaces.txt, hnsdiag.txt, next
 * to ports.txt, vfpOutput.txt, routes.txt, event logs and more that hold no
 * HNS object), networkhealth.ps1's (endpointdata.json, networkdata.json,
 * loadbalancerdata.json, nodedata.json), or hnsim export's (network.json,
 * endpoint.json, policylist.json, hnsdiag.txt, or networkhealth's four).
 * Those files are read, matched in any case (files copied off Windows keep
 * whatever case they had), in the order below: the detailed network dump
 * first, so that its fields win when the same network is read again
 * (hns_hostdump_merge.c), JSON before hnsdiag's tables, networkhealth's
 * reduced copies last. Every other file of the folder is left alone. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "hns_hostdump_int.h"

#define MAX_DUMP_BYTES (1024L * 1024 * 1024) /* a dump larger than 1 GiB is not an HNS dump */

static const char *const known[] = {"networkdetailed.txt", "network.txt",
                                    "network.json",        "endpoint.txt",
                                    "endpoint.json",       "policy.txt",
                                    "policylist.json",     "namespaces.txt",
                                    "hnsdiag.txt",         "networkdata.json",
                                    "endpointdata.json",   "loadbalancerdata.json",
                                    "nodedata.json",       NULL};

/* Fails for `path`, which is not (yet) the file being read. */
static hns_hr path_fail(hns_dump_import *im, const char *path, const char *why) {
  im->file = path;
  hns_hr hr = hns__dump_fail(im, "%s", why);
  im->file = NULL;
  return hr;
}

static hns_hr read_file(hns_dump_import *im, const char *path, hns_dump_format format) {
  FILE *f = fopen(path, "rb");
  long n = -1;
  if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
    if (f) fclose(f);
    return path_fail(im, path, "cannot be read");
  }
  if (n > MAX_DUMP_BYTES) {
    fclose(f);
    return path_fail(im, path, "larger than any HNS dump hnsim reads (1 GiB)");
  }
  char *bytes = malloc((size_t)n + 1);
  size_t got = bytes ? fread(bytes, 1, (size_t)n, f) : 0;
  fclose(f);
  hns_hr hr = !bytes             ? hns__dump_oom(im)
              : got != (size_t)n ? path_fail(im, path, "cannot be read to its end")
                                 : hns_dump_import_text(im, path, bytes, (size_t)n, format);
  free(bytes);
  return hr;
}

/* The entry of `dir` whose name is `want` in any case, into `out`. */
static int find_entry(const char *dir, const char *want, char *out, size_t len) {
  DIR *d = opendir(dir);
  int found = 0;
  for (struct dirent *e; d && !found && (e = readdir(d));) {
    struct stat st;
    if (strcasecmp(e->d_name, want)) continue;
    snprintf(out, len, "%s/%s", dir, e->d_name);
    found = !stat(out, &st) && S_ISREG(st.st_mode);
  }
  if (d) closedir(d);
  return found;
}

hns_hr hns_dump_import_path(hns_dump_import *im, const char *path, hns_dump_format format) {
  struct stat st;
  if (!im || !path) return HNS_E_POINTER;
  im->error[0] = '\0';
  if (stat(path, &st)) return path_fail(im, path, "no such file or folder");
  if (!S_ISDIR(st.st_mode)) return read_file(im, path, format);
  size_t read = 0;
  for (size_t i = 0; known[i]; i++) {
    char file[4096];
    if (!find_entry(path, known[i], file, sizeof file)) continue;
    hns_hr hr = read_file(im, file, format);
    if (HNS_FAILED(hr)) return hr;
    read++;
  }
  return read ? HNS_S_OK
              : path_fail(im, path,
                          "a folder with none of the files hnsim reads (network.txt, endpoint.txt, policy.txt, "
                          "hnsdiag.txt, network.json, endpointdata.json, ...: docs/import-export.md)");
}
