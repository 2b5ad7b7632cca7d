/* vmcompute.h (hnsim, for Linux): HNSCall, HNS's v1 entry point, which
 * vmcompute.dll exports on every Windows build that has containers.
 *
 * No Windows SDK header declares HNSCall: the programs that call it declare
 * it themselves (hcsshim's `//sys _hnsCall(...) (hr error) =
 * vmcompute.HNSCall?` line, SDN hns.psm1's DllImport), so a C program
 * written for Windows carries its own one-line declaration. On Linux this
 * header gives that same declaration with computenetwork.h's Windows types;
 * such a program includes it instead of (or keeps, if it matches) its own.
 * hcn_wide_v1.c implements it over the simulated HNS that hnsim_hcn_bind
 * chose (hns_v1.h is the UTF-8 API underneath).
 *
 * The contract (hns_v1.h, docs/v1-api.md):
 *  - method "GET", "POST" or "DELETE"; path such as L"/networks/" or
 *    L"/endpoints/<id>/attach"; request the JSON body, or NULL / L"" for none;
 *  - *response receives {"Success":...,"Error":...,"Output":...}, UTF-16,
 *    allocated with CoTaskMemAlloc: free it with CoTaskMemFree. It is set on
 *    failure too (psm1 reads the Error there);
 *  - the HRESULT is S_OK or the failure's code (hcsshim reads that).
 * hns.psm1 declares the function void; on x64 a caller that ignores the
 * return value sees the same call. */
#ifndef HNSIM_VMCOMPUTE_H
#define HNSIM_VMCOMPUTE_H

#include "computenetwork.h"

#ifdef __cplusplus
extern "C" {
#endif

HRESULT WINAPI HNSCall(PCWSTR Method, PCWSTR Path, PCWSTR Request, PWSTR *Response);

#ifdef __cplusplus
}
#endif

#endif /* HNSIM_VMCOMPUTE_H */
