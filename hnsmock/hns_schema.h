/* hns_schema.h: typed C structures <-> HNS JSON, driven by field tables.
 *
 * Every HNS document (HostComputeNetwork, an ACL policy's settings, a
 * HostComputeQuery ...) is a C struct plus a table of hns_field entries that
 * say, for each JSON key, what kind of value it holds and where it lives in the
 * struct. One parser and one writer serve every document, so all of them obey
 * the same rules, which are HNS's (hns-api-facts.md §3.1):
 *
 *  - keys are PascalCase on output; on input they match case-insensitively,
 *    as Go's encoding/json does for hcsshim's structs (whether HNS's own parser
 *    folds case is not documented: (inferred));
 *  - enums are accepted as their name (any case) or their integer ordinal and
 *    written as the name;
 *  - zero values are left out of the output (hcsshim's omitempty), unless a
 *    field is marked HNS_F_KEEP_ZERO; a NAT network's Type (ordinal 0) is thus
 *    omitted, which is what HNS does;
 *  - keys the table does not know are kept, in order, and written back after
 *    the known ones (HNS documents carry many fields no client models);
 *  - a value of the wrong type or out of range is refused with the path of the
 *    field and the value ("Policies[1].Settings.InternalPort: expected an
 *    integer from 0 to 65535, got 70000"), and the output struct is left
 *    zeroed, so a caller never sees half a document.
 *
 * Structs parsed here own their memory; hns_doc_free releases it. */
#ifndef HNS_SCHEMA_H
#define HNS_SCHEMA_H
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

typedef enum hns_kind {
  HNS_K_STRING,   /* char *, any string */
  HNS_K_BOOL,     /* int, JSON true/false */
  HNS_K_U8,       /* uint8_t */
  HNS_K_U16,      /* uint16_t */
  HNS_K_U32,      /* uint32_t */
  HNS_K_U64,      /* uint64_t */
  HNS_K_ENUM,     /* int; aux: const hns_enum * */
  HNS_K_GUID,     /* char *, a GUID as given (braces removed) */
  HNS_K_IP,       /* char *, an IPv4 or IPv6 address */
  HNS_K_PREFIX,   /* char *, an address prefix "a.b.c.d/n" */
  HNS_K_MAC,      /* char *, a MAC address */
  HNS_K_STRINGS,  /* hns_strv; aux: element kind as (const hns_kind *) or NULL for plain strings */
  HNS_K_OBJECT,   /* embedded struct; aux: const hns_schema * */
  HNS_K_ARRAY,    /* hns_vec of structs; aux: const hns_schema * */
  HNS_K_RAW,      /* cJSON *, any JSON kept as given */
  HNS_K_POLICIES  /* hns_policies; aux: const hns_policy_scope * */
} hns_kind;

enum hns_field_flags {
  HNS_F_KEEP_ZERO = 1, /* write the value even when zero/false/empty */
  HNS_F_READONLY = 2,  /* set by HNS; refused on input (hns_parse_opts.refuse_readonly) */
  HNS_F_NAMES_ONLY = 4 /* an enum HNS documents only by name: integers are refused */
};

typedef struct hns_enum {
  const char *name;
  int value;
} hns_enum; /* tables end with {NULL, 0} */

typedef struct hns_field {
  const char *json;  /* the key as HNS writes it */
  hns_kind kind;
  size_t offset;     /* of the member in the struct */
  unsigned flags;    /* hns_field_flags */
  const void *aux;   /* see hns_kind */
  const char *alias; /* another accepted input spelling, or NULL */
} hns_field;

typedef struct hns_schema {
  const char *name;     /* for messages: "HostComputeNetwork" */
  size_t size;          /* sizeof the struct */
  const hns_field *fields;
  size_t nfields;
  size_t extras_offset; /* offset of a cJSON *extras member (unknown keys), or HNS_NO_EXTRAS */
} hns_schema;

#define HNS_NO_EXTRAS ((size_t)-1)

#define HNS_FIELD(json, kind, type, member) {json, kind, offsetof(type, member), 0, NULL, NULL}
#define HNS_FIELD_X(json, kind, type, member, flags, aux, alias) \
  {json, kind, offsetof(type, member), flags, aux, alias}
#define HNS_SCHEMA(name, type, fields) \
  {name, sizeof(type), fields, sizeof(fields) / sizeof(fields[0]), offsetof(type, extras)}

/* A list of strings. */
typedef struct hns_strv {
  char **v;
  size_t n;
} hns_strv;

/* A list of structs of one schema, stored contiguously. */
typedef struct hns_vec {
  void *v;
  size_t n;
} hns_vec;

#define HNS_VEC_AT(vec, type, i) (&((type *)(vec).v)[i])

/* A policy type: its name in "Type", the schema of its "Settings" (NULL when
 * it has none), and the feature gate it needs (an hns_feature, or -1). */
typedef struct hns_policy_type {
  const char *name;
  const hns_schema *settings;
  int feature;
} hns_policy_type;

/* The policy types one kind of object accepts (endpoint, network, subnet). */
typedef struct hns_policy_scope {
  const char *name; /* "endpoint" */
  const hns_policy_type *types;
  size_t ntypes;
} hns_policy_scope;

/* One policy: {"Type": ..., "Settings": {...}}. */
typedef struct hns_policy {
  const hns_policy_type *type;
  void *settings; /* a struct of type->settings, or NULL */
  cJSON *extras;  /* keys beside Type and Settings */
} hns_policy;

typedef struct hns_policies {
  hns_policy *v;
  size_t n;
} hns_policies;

/* What kind of refusal: the layer above picks the HRESULT from it. */
enum hns_perr_code {
  HNS_PERR_NONE = 0,
  HNS_PERR_SHAPE,       /* wrong JSON type, out of range, not an object */
  HNS_PERR_VALUE,       /* a malformed GUID, IP, prefix or MAC */
  HNS_PERR_READONLY,    /* a field only HNS may set */
  HNS_PERR_POLICY_TYPE, /* an unknown policy Type */
  HNS_PERR_POLICY       /* a policy's Settings are malformed */
};

/* Why a document was refused: the field's path and what was wrong with it. */
typedef struct hns_perr {
  int code;       /* hns_perr_code */
  int value_kind; /* for HNS_PERR_VALUE: the hns_kind that failed (GUID, IP, PREFIX, MAC) */
  char path[160];
  char msg[224];
} hns_perr;

typedef struct hns_parse_opts {
  int refuse_readonly; /* a read-only field present in the input is an error */
} hns_parse_opts;

/* Parses `json` (an object) into `out` (a zeroed struct of schema->size
 * bytes). 0 on success; -1 with *err filled and `out` zeroed on refusal. */
int hns_doc_parse(const hns_schema *schema, const cJSON *json, void *out, const hns_parse_opts *opts, hns_perr *err);

/* Writes `doc` in HNS's output shape. NULL only when out of memory. */
cJSON *hns_doc_emit(const hns_schema *schema, const void *doc);

/* Frees what `doc` owns and zeroes it (the struct itself is the caller's). */
void hns_doc_free(const hns_schema *schema, void *doc);

/* Copies `src` into the zeroed `dst` (deep). 0, or -1 when out of memory. */
int hns_doc_copy(const hns_schema *schema, const void *src, void *dst);

/* The name of enum value `v`, or NULL; and the value for a name (any case). */
const char *hns_enum_name(const hns_enum *table, int v);
int hns_enum_lookup(const hns_enum *table, const char *name, int *out);

/* Prints into err (for the layers that build their own refusals). */
void hns_perr_set(hns_perr *err, int code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Frees what one policy owns and zeroes it. */
void hns_policy_clear(hns_policy *p);

/* The policy type called `name` (any case) in `scope`, or NULL. */
const hns_policy_type *hns_policy_type_find(const hns_policy_scope *scope, const char *name);

/* Strings owned by documents are allocated with these (NULL-safe). */
char *hns_strdup(const char *s);
int hns_strv_push(hns_strv *sv, const char *s);
void hns_strv_free(hns_strv *sv);

#endif
