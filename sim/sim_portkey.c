/* sim_portkey.c: frontend keys and the host's address set (sim_portkey.h). */
#include "sim_portkey.h"
#include <string.h>
#include "sim_status.h"

void sim_portkey_make(const sim_ip *ip, int family, uint8_t proto, uint16_t port, sim_flow *out) {
  memset(out, 0, sizeof *out);
  if (ip) out->dst = *ip;
  else out->dst.family = (uint8_t)family;
  out->src.family = out->dst.family;
  out->dport = port;
  out->proto = proto;
}

int sim_ip_is_unspecified(const sim_ip *ip) {
  for (int i = 0; i < 16; i++)
    if (ip->b[i]) return 0;
  return 1;
}

int sim_ip_is_valid(const sim_ip *ip) {
  if (ip->family == 6) return 1;
  if (ip->family != 4) return 0;
  for (int i = 4; i < 16; i++)
    if (ip->b[i]) return 0;
  return 1;
}

int sim_flow_is_valid(const sim_flow *f) {
  return sim_ip_is_valid(&f->src) && sim_ip_is_valid(&f->dst) && f->src.family == f->dst.family;
}

int sim_hostaddrs_set(sim_hostaddrs *h, const sim_ip *addrs, size_t n, size_t *bad_index) {
  if (n > SIM_HOSTADDRS_MAX || (n && !addrs)) {
    *bad_index = SIM_HOSTADDRS_MAX;
    return SIM_E_INVAL;
  }
  for (size_t i = 0; i < n; i++) {
    int bad = !sim_ip_is_valid(&addrs[i]) || sim_ip_is_unspecified(&addrs[i]);
    for (size_t j = 0; j < i && !bad; j++) bad = sim_ip_equal(&addrs[i], &addrs[j]);
    if (bad) {
      *bad_index = i;
      return SIM_E_INVAL;
    }
  }
  for (size_t i = 0; i < n; i++) h->a[i] = addrs[i];
  h->n = n;
  return SIM_OK;
}

int sim_hostaddrs_contains(const sim_hostaddrs *h, const sim_ip *ip) {
  for (size_t i = 0; i < h->n; i++)
    if (sim_ip_equal(&h->a[i], ip)) return 1;
  return 0;
}

const sim_ip *sim_hostaddrs_first(const sim_hostaddrs *h, int family) {
  for (size_t i = 0; i < h->n; i++)
    if (h->a[i].family == family) return &h->a[i];
  return NULL;
}
