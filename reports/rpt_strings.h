/* rpt_strings.h: a run's strings read back by id (private to reports/).
 *
 * The digest reads probes, hops and cells as rows of string ids
 * (rpt_schema.c, step 4 -> 5) and needs each id's text. Joining the strings
 * table ten times per hop cost more than hashing the hop; instead this
 * cache holds the texts of up to RPT__STRINGS_SLOTS ids, and on a miss
 * reads the RPT__STRINGS_WINDOW ids from the missing one on in one range
 * scan. Ids are given in the order strings were first met and rows are read
 * in about the order they were written, so a run's strings are mostly read
 * once, in order. Memory: the slots and the texts they hold.
 *
 * The digest and the readers of probes, hops and cells take a row's texts
 * through rpt__strings_row, which copies them out of the cache: looking up
 * a later column may load a window over the slot of an earlier one. */
#ifndef RPT_STRINGS_H
#define RPT_STRINGS_H
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

typedef struct rpt_db rpt_db;

#define RPT__STRINGS_SLOTS 65536u /* a power of two */
#define RPT__STRINGS_WINDOW 1024

struct rpt__string_slot {
  int64_t id; /* 0: empty */
  char *text;
  size_t len, cap;
};

struct rpt__strings {
  rpt_db *db;
  int64_t run_id;
  struct rpt__string_slot *slots;
};

/* Starts reading run `run_id`'s strings. RPT_E_NOMEM, or RPT_OK. */
int rpt__strings_open(rpt_db *db, int64_t run_id, struct rpt__strings *out);

/* The text of string `id`: *text and *len, or *text NULL when the run has
 * no string with that id. Returns RPT_OK, or an error from reading. */
int rpt__strings_get(struct rpt__strings *s, int64_t id, const char **text, size_t *len);

void rpt__strings_close(struct rpt__strings *s);

/* The texts of one row's string ids, each NUL-terminated in `buf`. */
#define RPT__ROW_MAX_COLUMNS 16
struct rpt__row_texts {
  char *buf;
  size_t used, cap;
  size_t off[RPT__ROW_MAX_COLUMNS], len[RPT__ROW_MAX_COLUMNS];
  int has[RPT__ROW_MAX_COLUMNS];
};

/* Looks up the texts of the current row of `st`. `kinds` has a letter per
 * column: 'X' a string id the row cannot do without, 'x' one that may be
 * NULL, anything else a column that is no id. Returns 1, or 0 when the row
 * is left out - an 'X' whose string is missing, as the views' JOIN would
 * leave it out - or on an error (then *status says which). */
int rpt__strings_row(struct rpt__strings *s, sqlite3_stmt *st, const char *kinds, struct rpt__row_texts *r,
                     int *status);

/* Column `col`'s text, or NULL (a NULL id, or an 'x' whose string is
 * missing). *len, if given, gets its length. */
const char *rpt__row_text(const struct rpt__row_texts *r, int col, size_t *len);

void rpt__row_texts_free(struct rpt__row_texts *r);

#endif
