/* rpt_strings.h: a run's strings read back by id (private to reports/).
 *
 * The digest reads probes, hops and cells as rows of string ids
 * (rpt_schema.c, step 4 -> 5) and needs each id's text. Joining the strings
 * table ten times per hop cost more than hashing the hop; instead this
 * cache holds the texts of up to RPT__STRINGS_SLOTS ids, and on a miss
 * reads the RPT__STRINGS_WINDOW ids from the missing one on in one range
 * scan. Ids are given in the order strings were first met and rows are read
 * in about the order they were written, so a run's strings are mostly read
 * once, in order. Memory: the slots and the texts they hold. */
#ifndef RPT_STRINGS_H
#define RPT_STRINGS_H
#include <stddef.h>
#include <stdint.h>

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

#endif
