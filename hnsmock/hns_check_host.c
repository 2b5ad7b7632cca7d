/* hns_check_host.c: the checks on a host as a whole and on its networks.
 *
 *  - ephemeral-ports: more than 10 blocks of ephemeral ports stay free.
 *    Non-DSR load balancers each reserve one block of lb_port_block (64)
 *    ports of the dynamic range, and when none is left HNS refuses the next
 *    with "The specified port already exists" (VDOCS common-problems
 *    @074c6dd9, facts §6); port-pool sharing (KB4551853) lifts that, and
 *    hnsmock then counts no block at all (hns_loadbalancer.c, (inferred)),
 *    so neither does this check. The threshold is networkhealth.ps1's
 *    PortExhaustionTest, which fails at 10 or fewer free 64-port ranges, and
 *    collectlogs.ps1 test-reserves 10 such ranges (pain point P10,
 *    kubernetes/website#17930; Azure/AKS#1375 ran out at ~100 services).
 *    What else holds ports on a real host (netsh excluded ranges, sockets,
 *    the sizes netsh gives the dynamic range) is not HNS state: the check
 *    takes the range and block size of the host's profile (docs/profiles.md).
 *  - management-ip: no network's management IP is an APIPA address
 *    (169.254.0.0/16). networkhealth.ps1's IncorrectManagementIpTest ("Recreate
 *    the HNS network"). In v2 the management IP is the network's
 *    ProviderAddress policy (hnsmock's v1 ManagementIP, hns_v1_policy.c). */
#include "hns_check_int.h"

#define MIN_FREE_BLOCKS 10 /* networkhealth.ps1 fails at <= 10 */

void hns__ck_ephemeral_ports(const hns__ck_host *hosts, size_t n, hns__ck_sink *s) {
  for (size_t i = 0; i < n; i++) {
    const hns_profile *p = hosts[i].profile;
    if (!p->lb_port_block || p->lb_port_pool_sharing) continue;
    uint32_t total = (uint32_t)(p->ephemeral_port_last - p->ephemeral_port_first + 1) / (uint32_t)p->lb_port_block;
    size_t held = 0;
    for (size_t j = 0; j < hosts[i].n_lbs; j++) held += !(hosts[i].lbs[j].flags & HNS_CK_LB_DSR);
    size_t free_blocks = held < total ? total - held : 0;
    if (free_blocks > MIN_FREE_BLOCKS) continue;
    if (!free_blocks)
      hns__ck_violation(
          s, &hosts[i], "host", hosts[i].name,
          "ephemeral ports %u-%u (%s): %zu non-DSR load balancers hold all %u blocks of %d ports; the next "
          "one fails with HCN_E_PORT_ALREADY_EXISTS",
          (unsigned)p->ephemeral_port_first, (unsigned)p->ephemeral_port_last, p->name, held, (unsigned)total,
          p->lb_port_block);
    else
      hns__ck_violation(s, &hosts[i], "host", hosts[i].name,
                        "ephemeral ports %u-%u (%s): %zu of %u blocks of %d ports free, %zu held by non-DSR load "
                        "balancers; networkhealth fails at %d or fewer",
                        (unsigned)p->ephemeral_port_first, (unsigned)p->ephemeral_port_last, p->name, free_blocks,
                        (unsigned)total, p->lb_port_block, held, MIN_FREE_BLOCKS);
  }
}

void hns__ck_management_ip(const hns__ck_host *hosts, size_t n, hns__ck_sink *s) {
  sim_prefix apipa;
  sim_prefix_parse("169.254.0.0/16", &apipa);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < hosts[i].n_nets; j++) {
      const hns__ck_network *net = &hosts[i].nets[j];
      if (!net->has_pa || !sim_prefix_contains(&apipa, &net->pa)) continue;
      char label[HNS_CK_LABEL], ip[46];
      hns__ck_network_label(net, label);
      sim_ip_format(&net->pa, ip);
      hns__ck_violation(s, &hosts[i], "network", net->id,
                        "%s has management IP %s (its ProviderAddress policy), an APIPA address; networkhealth's "
                        "remedy is to create the network again",
                        label, ip);
    }
}
