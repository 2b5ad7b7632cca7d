/* test_tmpdir.h: a scratch folder for one test program, made before its
 * group of tests and removed (with the files in it) after. Define
 * TEST_TMPDIR_TAG (a short name) before including; the folder's path is in
 * g_dir. Only for tests: the folder holds flat files, no subfolders. */
#ifndef TEST_TMPDIR_H
#define TEST_TMPDIR_H
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_dir[256];

static int tmpdir_create(void **state) {
  (void)state;
  const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(g_dir, sizeof g_dir, "%s/hnsim-%s-XXXXXX", base, TEST_TMPDIR_TAG);
  return mkdtemp(g_dir) ? 0 : -1;
}

static int tmpdir_remove(void **state) {
  (void)state;
  DIR *d = opendir(g_dir);
  if (!d) return -1;
  struct dirent *e;
  char path[512];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", g_dir, e->d_name);
    unlink(path);
  }
  closedir(d);
  return rmdir(g_dir);
}

#endif
