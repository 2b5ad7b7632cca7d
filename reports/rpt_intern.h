/* rpt_intern.h: the strings an open run's hops and truth cells name by id
 * (private to reports/ and its tests).
 *
 * From schema 5 a hop or a cell stores each of its strings as an id into the
 * run's `strings` table (rpt_schema.c, step 4 -> 5). The writer keeps, per
 * open run, a hash table from text to id, so that a string is written once
 * however many rows repeat it, and a row is integers only.
 *
 * Ids count up from 1 in the order strings are first met, so the same rows
 * written in the same order get the same ids. The table holds at most
 * RPT__INTERN_MAX_STRINGS strings or RPT__INTERN_MAX_TEXT bytes; past that
 * it forgets them all and goes on numbering, so a string seen again gets a
 * second id: a run's memory stays bounded, and readers, who see texts
 * through the views, cannot tell. */
#ifndef RPT_INTERN_H
#define RPT_INTERN_H
#include <stddef.h>
#include <stdint.h>

#define RPT__INTERN_MAX_STRINGS (1u << 18)
#define RPT__INTERN_MAX_TEXT (16u << 20)

/* Lookups name the column they are for (0 .. RPT__INTERN_COLUMNS-1): a
 * column's string is compared with the one it had last before the hash
 * table is searched, since a trace repeats its host, compartment, flows...
 * from one hop to the next. */
#define RPT__INTERN_COLUMNS 32

struct rpt__intern_entry {
  size_t off; /* of its text in the arena */
  size_t len;
  uint64_t hash;
};

struct rpt__intern {
  uint32_t *slots; /* 0 empty, else 1 + an index into entries */
  size_t nslots;   /* a power of two, at least twice n */
  struct rpt__intern_entry *entries;
  size_t n, cap;
  char *text;
  size_t text_len, text_cap;
  int64_t before; /* entries[i] has id before + 1 + i */
  uint32_t last[RPT__INTERN_COLUMNS]; /* per column: 0, or 1 + the entry it had last */
};

/* A zeroed struct is an empty table. */

/* The id of `s` in column `column`: its own (*is_new 0), or the one it
 * would get (*is_new 1), which is only its once rpt__intern_keep(in, s,
 * column) follows; a caller that does not keep it may look up another
 * string, which then gets that id. */
int64_t rpt__intern_find(struct rpt__intern *in, const char *s, unsigned column, int *is_new);

/* Keeps `s` (just looked up in `column`, not found) under the id
 * rpt__intern_find gave it. Returns 0, or -1 when out of memory: then `s` is not kept, but its id
 * is used up (the caller has written it), so the next string gets the
 * next one. */
int rpt__intern_keep(struct rpt__intern *in, const char *s, unsigned column);

/* Frees everything; the table is empty again, numbering from 1. */
void rpt__intern_free(struct rpt__intern *in);

#endif
