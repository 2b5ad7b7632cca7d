/* topology.h: the topologies `hnsim trace` builds, each one of the seed's
 * designs (seed-windows-networking-for-kubernetes.txt) as a user's cluster
 * would be: hnsim lays the fabric and the hosts through sim_net.h (the
 * cloud, the LAN, NICs, a Linux node's bridge), and every HNS object is
 * made only through hnsmock's API with the JSON documents a CNI plugin,
 * flannel, kube-proxy or the setup scripts send; the objects reach the
 * model through the bridge (hnsmock/hns_model.h) alone. One exception, no
 * HNS object: on ws2016, which has no HNS load balancer, service-vip puts
 * the seed's single-host VIP in the model itself (topology_policy.c).
 *
 * A built topology owns its world, its model and one simulated HNS per
 * Windows host. The same name, profile and seed build the same topology:
 * the same IDs, MACs and model, so traces and pcaps are byte-identical. */
#ifndef TOPOLOGY_H
#define TOPOLOGY_H
#include <stddef.h>
#include <stdint.h>
#include "hns_api.h"
#include "sim_net.h"
#include "sim_world.h"

#define TOPO_MAX_HOSTS 4
#define TOPO_ERR 512

typedef struct topology {
  sim_world *world;
  sim_net *net;
  const char *profile; /* the Windows version its HNS services model */
  uint64_t seed;
  size_t nsvc;
  char svc_host[TOPO_MAX_HOSTS][16];
  hns_service *svc[TOPO_MAX_HOSTS];
  char error[TOPO_ERR]; /* why the last step failed */
} topology;

typedef struct topology_def {
  const char *name;
  const char *summary;     /* what it is, and where the seed describes it */
  const char *profile;     /* the profile it is built on without --profile */
  const char *hosts;       /* its hosts, endpoints and addresses, for --list */
  const char *unavailable; /* NULL, or why it cannot be built yet */
  int (*build)(topology *t);
  /* For `hnsim truth`: addresses that are no host's or endpoint's (a
   * service VIP), space-separated, or NULL; and the verdicts the seed
   * implies on `profile`, as rules "ROW COLUMN VERDICT" one per line
   * (cli_truth.c), or NULL when every probe is expected delivered. */
  const char *targets;
  const char *(*expect)(const char *profile);
} topology_def;

/* The external host of every topology's fabric (topo_fabric): a truth
 * table's target, never its source (the internet does not route to a
 * cluster's private addresses). */
#define TOPO_EXTERNAL "web"

/* The topologies in --list order, NULL-terminated. */
extern const topology_def *const topology_all[];
const topology_def *topology_find(const char *name);

/* Builds `def` on `profile` (NULL: its own) with `seed`. Returns 0 with
 * *out, or -1 with the reason in err (a refused HNS call names the call,
 * its HRESULT and hnsmock's detail). */
int topology_build(const topology_def *def, const char *profile, uint64_t seed, topology **out, char err[TOPO_ERR]);
void topology_destroy(topology *t);

/* What `hnsim <command> TOPOLOGY` does first: finds the topology called
 * `name` and builds it; NULL, with the reason printed to stderr as
 * "hnsim <command>: ...", for an unknown name or a failed build. *def
 * receives its definition. */
topology *topology_open(const char *command, const char *name, const char *profile, uint64_t seed,
                        const topology_def **def);

#endif
