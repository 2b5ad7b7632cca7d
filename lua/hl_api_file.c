/* hl_api_file.c: read_file(path) and list_files(folder): a scenario reads
 * the project's own files (a CNI sample netconf "as given",
 * tests/corpus/...), nothing else. A path is relative to the project's
 * folder (the parent of require()'s lua/ folder), made of names of
 * letters, digits, '.', '_' and '-' joined by '/', none of them "." or
 * ".."; a file is at most HL_READ_MAX bytes. They are inputs, not
 * actions: they may come before scenario{} and are not recorded. Errors
 * name the path. */
#include <dirent.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "hl_scenario_int.h"

#define HL_READ_MAX ((size_t)1 << 20)

static int name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

/* "<project>/<rel>" into out, or raises naming what is wrong with rel. */
static void project_path(lua_State *L, const char *fn, const char *rel, char *out, size_t size) {
  hl_rt *rt = hl__rt(L);
  if (!rt || !rt->module_dir) hl__error(L, "%s: '%s': this run has no project folder to read from", fn, rel);
  const char *p = rel;
  if (!*p) hl__error(L, "%s: the path is empty", fn);
  while (*p) {
    const char *start = p;
    while (*p && *p != '/') {
      if (!name_char(*p)) hl__error(L, "%s: '%s': only letters, digits, '.', '_', '-' and '/' may name a project file", fn, rel);
      p++;
    }
    size_t n = (size_t)(p - start);
    if (n == 0 || (n == 1 && start[0] == '.') || (n == 2 && start[0] == '.' && start[1] == '.'))
      hl__error(L, "%s: '%s': a path inside the project, relative to its folder, without '.' or '..'", fn, rel);
    if (*p) p++;
  }
  if ((size_t)snprintf(out, size, "%s/../%s", rt->module_dir, rel) >= size) hl__error(L, "%s: '%s': too long", fn, rel);
}

static int api_read_file(lua_State *L) {
  const char *rel = luaL_checkstring(L, 1);
  char path[4096];
  project_path(L, "read_file", rel, path, sizeof path);
  FILE *f = fopen(path, "rb");
  if (!f) return hl__error(L, "read_file: '%s': cannot be opened", rel);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  char chunk[4096];
  size_t total = 0, n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    total += n;
    if (total > HL_READ_MAX) {
      fclose(f);
      return hl__error(L, "read_file: '%s': more than %zu bytes", rel, HL_READ_MAX);
    }
    luaL_addlstring(&b, chunk, n);
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) return hl__error(L, "read_file: '%s': a read failed", rel);
  luaL_pushresult(&b);
  return 1;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The regular files of a project folder, sorted by name (byte order). */
static int api_list_files(lua_State *L) {
  const char *rel = luaL_checkstring(L, 1);
  char path[4096], file[8192];
  project_path(L, "list_files", rel, path, sizeof path);
  DIR *d = opendir(path);
  if (!d) return hl__error(L, "list_files: '%s': not a folder of the project", rel);
  char **names = NULL;
  size_t n = 0, cap = 0;
  int oom = 0;
  for (struct dirent *e; !oom && (e = readdir(d));) {
    struct stat st;
    snprintf(file, sizeof file, "%s/%s", path, e->d_name);
    if (e->d_name[0] == '.' || stat(file, &st) || !S_ISREG(st.st_mode)) continue;
    if (n == cap) {
      char **v = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *v);
      if (!v) oom = 1;
      else names = v;
    }
    if (!oom && !(names[n] = strdup(e->d_name))) oom = 1;
    if (!oom) n++;
  }
  closedir(d);
  if (!oom) qsort(names, n, sizeof *names, by_name);
  /* A push refused at the memory cap ends the run and leaves these few
   * names unfreed. */
  lua_createtable(L, oom ? 0 : (int)n, 0);
  for (size_t i = 0; !oom && i < n; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  if (oom) return hl__error(L, "list_files: out of memory");
  return 1;
}

void hl__open_api_file(lua_State *L) {
  lua_register(L, "read_file", api_read_file);
  lua_register(L, "list_files", api_list_files);
}
