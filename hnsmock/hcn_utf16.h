/* hcn_utf16.h: conversions between UTF-16, the encoding of every string the
 * HCN API takes and returns (PCWSTR / PWSTR, hns-api-facts.md §1.1), and
 * UTF-8, the encoding of hnsmock's own API (hns_api.h).
 *
 * The two directions are deliberately not symmetric:
 *  - UTF-16 -> UTF-8 is strict. It carries what a caller sends into the
 *    service, so an unpaired surrogate (which has no UTF-8 form) is refused
 *    with E_INVALIDARG and nothing reaches the service.
 *  - UTF-8 -> UTF-16 never refuses. It carries what the service hands back,
 *    after the call has already taken effect, so an ill-formed byte sequence
 *    becomes U+FFFD, one per maximal subpart (Unicode 15 §3.9, "U+FFFD
 *    Substitution of Maximal Subparts"), as Windows' MultiByteToWideChar does
 *    without MB_ERR_INVALID_CHARS.
 *
 * Both take NUL-terminated strings and return new NUL-terminated ones; an
 * empty string converts to an allocated empty string, never to NULL. Nothing
 * here keeps state. */
#ifndef HCN_UTF16_H
#define HCN_UTF16_H
#include <stddef.h>
#include <stdint.h>
#include "hns_hresult.h"

/* An allocator for the UTF-16 result: CoTaskMemAlloc for strings handed to a
 * Windows-API caller, malloc (pass NULL) for strings freed with free(). */
typedef void *(*hcn_alloc_fn)(size_t size);

/* Number of 16-bit units before the terminating 0. */
size_t hcn_utf16_len(const uint16_t *s);

/* UTF-16 to UTF-8, malloc'd. Returns HNS_S_OK; HNS_E_POINTER when in or out
 * is NULL; HNS_E_INVALIDARG for an unpaired surrogate; HNS_E_OUTOFMEMORY.
 * On failure *out is NULL. */
hns_hr hcn_utf16_to_utf8(const uint16_t *in, char **out);

/* UTF-8 to UTF-16 allocated with alloc (malloc when NULL); ill-formed input
 * becomes U+FFFD as described above. Returns HNS_S_OK; HNS_E_POINTER when in
 * or out is NULL; HNS_E_OUTOFMEMORY. On failure *out is NULL. */
hns_hr hcn_utf8_to_utf16(const char *in, hcn_alloc_fn alloc, uint16_t **out);

#endif
