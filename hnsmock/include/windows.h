/* windows.h (hnsim, for Linux): what a HCN client takes from <windows.h>,
 * so that a program written for Windows finds the header it includes. On
 * Windows the SDK's own header is used; here every name an HCN client needs
 * (base types, HRESULT macros, CoTaskMemFree, the Hcn* API) comes from
 * hnsim's computenetwork.h. */
#ifndef HNSIM_WINDOWS_H
#define HNSIM_WINDOWS_H
#include "computenetwork.h"
#endif
