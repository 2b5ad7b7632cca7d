/* hcn_machine.c: "the machine's HNS" for a program that was written for
 * Windows and only relinked: linking this object gives the process one
 * simulated HNS, created before main() and bound to the Hcn* functions
 * (hnsim_hcn.h), as a Windows process finds the machine's HNS already
 * running. Without it, the program would have to call hnsim_hcn_bind, which
 * no Windows program does.
 *
 * The simulated machine is chosen from the environment:
 *   HNSIM_PROFILE  the Windows version (hns_profiles(); default: ws2022)
 *   HNSIM_SEED     the seed the IDs and MACs derive from (default: 1)
 *   HNSIM_HOST     the host's name in messages (default: "host")
 * A value it cannot use is reported on stderr, naming the variable and the
 * value, and the HNS stays stopped: every call then fails with
 * HCN_E_MANAGER_STOPPED, as on a Windows machine whose HNS is not running. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "hns_api.h"
#include "hns_profile.h"
#include "hnsim_hcn.h"

static hns_service *machine;

static void list_profiles(void) {
  fputs("hnsim: known profiles:", stderr);
  for (const hns_profile *const *p = hns_profiles(); *p; p++) fprintf(stderr, " %s", (*p)->name);
  fputc('\n', stderr);
}

__attribute__((constructor)) static void machine_start(void) {
  const char *profile_name = getenv("HNSIM_PROFILE"), *seed_text = getenv("HNSIM_SEED");
  hns_service_config cfg = {hns_profile_find(profile_name ? profile_name : hns_profile_default_name()), getenv("HNSIM_HOST"), 1};
  if (!cfg.profile) {
    fprintf(stderr, "hnsim: HNSIM_PROFILE=%s is not a profile; the HNS stays stopped\n", profile_name);
    list_profiles();
    return;
  }
  if (seed_text) {
    char *end;
    errno = 0;
    unsigned long long seed = strtoull(seed_text, &end, 10);
    if (errno || end == seed_text || *end || *seed_text == '-') {
      fprintf(stderr, "hnsim: HNSIM_SEED=%s is not a decimal number from 0 to 18446744073709551615; the HNS stays stopped\n",
              seed_text);
      return;
    }
    cfg.seed = seed;
  }
  if (HNS_SUCCEEDED(hns_service_create(&cfg, &machine))) hnsim_hcn_bind(machine);
}

__attribute__((destructor)) static void machine_stop(void) {
  if (hnsim_hcn_bound() == machine) hnsim_hcn_bind(NULL);
  hns_service_destroy(machine);
  machine = NULL;
}
