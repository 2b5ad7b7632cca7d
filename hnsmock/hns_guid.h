/* hns_guid.h: GUIDs as HNS uses them for object IDs: parsing the text forms
 * clients send, printing, comparing, and making deterministic IDs from the
 * run's seed.
 *
 * The struct has the Windows GUID layout (Data1..Data4, 16 bytes, no
 * padding), so the Windows-signature layer can cast a REFGUID to it. Text is
 * 8-4-4-4-12 hex (VDOCS "JSON type" Guid pattern); real HNS output mixes upper
 * and lower case and clients compare case-insensitively (hns-api-facts.md
 * §3.1, K8S hnsV2.go strings.EqualFold), which binary comparison gives. */
#ifndef HNS_GUID_H
#define HNS_GUID_H
#include <stdint.h>

typedef struct hns_guid {
  uint32_t Data1;
  uint16_t Data2;
  uint16_t Data3;
  uint8_t Data4[8];
} hns_guid;

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", hex of any case, optionally inside
 * one pair of braces ("{...}", as .NET and the REFGUID docs print it).
 * Nothing else: no surrounding spaces, no missing hyphens. Returns 0, or -1
 * with *out untouched. */
int hns_guid_parse(const char *s, hns_guid *out);

/* 36 characters and a NUL; upper != 0 for "A-F", else "a-f". */
void hns_guid_format(const hns_guid *g, int upper, char out[37]);

/* 1 if all 128 bits are zero (the "let the service pick" ID that hcsshim and
 * hns.v2.psm1 pass to Create*, hns-api-facts.md §1.1), else 0. */
int hns_guid_is_zero(const hns_guid *g);

/* 1 if equal, else 0. */
int hns_guid_equal(const hns_guid *a, const hns_guid *b);

/* <0, 0, >0: Data1, Data2, Data3, then Data4's bytes. This is also the order
 * of the formatted text compared case-insensitively. */
int hns_guid_compare(const hns_guid *a, const hns_guid *b);

/* A version-4-shaped GUID (RFC 4122: version nibble 4, variant bits 10) made
 * from 128 bits the caller draws from the run's seed; the 6 fixed bits are
 * overwritten, the other 122 come from a (high 64) and b (low 64). */
void hns_guid_from_u64(uint64_t a, uint64_t b, hns_guid *out);

#endif
