/* hns_hostdump_version.c: the HNS version a dump tells, and the profile
 * (docs/profiles.md) a host of that version runs.
 *
 * HNS stamps every object it makes with its version as one number,
 * (major << 32) | minor: 21474836481 = 5.1, 38654705666 = 9.2, 55834574851 =
 * 13.3 in real output (hns-api-facts.md §3.1, (inferred) there from the
 * samples). Objects persist across updates with the Version of the HNS
 * that made them, so the newest Version of a host's objects is the least
 * its HNS can be (inferred).
 *
 * Version -> profile, by the ranges docs/profiles.md and facts §4 give
 * (the first row at or below the version):
 *   >= 15.4  ws2025      "HNS version 15.4" on Windows Server 2025 (kubernetes#131466)
 *   >= 12.0  ws2022      12.x is Windows Server 2022 (SessionAffinity >= 12.0, the k8s
 *                        docs' "Windows Server 2022"); 13.x-15.3 seen on later 2022 updates (inferred)
 *   >= 9.3   ws2019      9.3 is 1809 with the 2020-08 update (kubernetes#93304); 10.x and 11.x
 *                        are the semi-annual builds 1903-20H2, which have no profile: the LTSC
 *                        before them (inferred)
 *   >= 9.0   ws2019-rtm  9.1/9.2 (microsoft/hcsshim#436, #485)
 *   >= 7.2   1803        hcsshim HNSVersion1803
 *   >= 5.0   1709        5.1 in 2017 samples (docs/profiles.md, inferred there)
 * Below 5.0 nothing: ws2016's HNS version is unknown, and its objects carry
 * none (docs/profiles.md). */
#include <string.h>
#include "hns_hostdump_int.h"

uint64_t hns__dump_version_of(const hns_profile *p) {
  return p && p->hns_major > 0 ? (uint64_t)p->hns_major << 32 | (uint32_t)p->hns_minor : 0;
}

const hns_profile *hns__dump_profile_at(uint64_t v) {
  static const struct {
    uint32_t major, minor;
    const char *profile;
  } floors[] = {{15, 4, "ws2025"},    {12, 0, "ws2022"}, {9, 3, "ws2019"},
                {9, 0, "ws2019-rtm"}, {7, 2, "1803"},    {5, 0, "1709"}};
  uint32_t major = (uint32_t)(v >> 32), minor = (uint32_t)v;
  for (size_t i = 0; i < sizeof floors / sizeof floors[0]; i++)
    if (major > floors[i].major || (major == floors[i].major && minor >= floors[i].minor))
      return hns_profile_find(floors[i].profile);
  return NULL;
}
