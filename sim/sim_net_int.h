/* sim_net_int.h: the model's storage, shared by sim_net.c, sim_fabric.c,
 * sim_host.c, sim_vswitch.c, sim_walk.c and sim_probe.c; nothing outside
 * sim/ includes it.
 *
 * Objects live in pools addressed by index (uint32_t; NET_NONE is none);
 * a removed object's slot is reused, so an index is only kept where the
 * object cannot go away meanwhile (or with its serial, for compartments).
 * Names and addresses are found through two sim_maps whose scope is a tag
 * and an owner index, so a host's endpoint names never meet another
 * host's. Lists that results depend on are arrays or linked lists in
 * insertion order; the maps only find. */
#ifndef SIM_NET_INT_H
#define SIM_NET_INT_H
#include <stdarg.h>
#include "sim_lpm.h"
#include "sim_map.h"
#include "sim_net.h"
#include "sim_probe.h"
#include "sim_rng.h"

#define NET_NONE UINT32_MAX
#define NET_ERRLEN 256
/* Every sender's initial TTL / hop limit (inferred: a loop guard, below
 * both Windows' 128 and Linux's 64 defaults would change no verdict). */
#define NET_TTL 64

/* A growable array of fixed-size items with a free list. */
typedef struct net_pool {
  char *items;
  uint8_t *used;
  size_t size;
  uint32_t n, cap;
  uint32_t *free;
  uint32_t nfree;
} net_pool;

void net_pool_init(net_pool *p, size_t item_size);
void net_pool_fini(net_pool *p);
/* A zeroed slot; SIM_E_NOMEM. */
int net_pool_take(net_pool *p, uint32_t *out);
void net_pool_put(net_pool *p, uint32_t i);
#define NET_AT(pool, type, i) ((type *)((pool).items + (size_t)(i) * (pool).size))

/* Makes room for one more item in the array *array_ptr (a T **) of n items
 * of `size` bytes and capacity *cap, doubling from `first`; SIM_E_NOMEM
 * leaves it as it was. */
int net_array_reserve(void *array_ptr, uint32_t n, uint32_t *cap, size_t size, uint32_t first);

typedef struct net_stage {
  char *name;
  sim_stage_fn fn;
  void *state;
} net_stage;

typedef struct net_stages {
  net_stage *v;
  uint32_t n, cap;
} net_stages;

int net_stages_add(net_stages *t, const char *name, sim_stage_fn fn, void *state);
void net_stages_fini(net_stages *t);

typedef struct net_segment {
  char *name;
  sim_time latency;
  double loss;
  sim_rng rng;
  int cloud; /* sim_net_segment_set_cloud */
} net_segment;

typedef struct net_router {
  char *name;
  sim_lpm *routes; /* value: index in net->rroutes */
  uint32_t *rifs;  /* its interfaces, in the order added */
  uint32_t nrifs;
} net_router;

typedef struct net_rif {
  char *name;
  uint32_t router, segment;
  sim_prefix addr;
} net_rif;

typedef struct net_rroute {
  uint32_t router, rif;
  sim_prefix dst; /* network address */
  sim_ip nh;      /* family 0: on-link */
  char *id;
} net_rroute;

/* Policy state (sim_policy_int.h), NULL until configured. */
struct net_hpol;
struct net_ppol;
struct net_opol;

typedef struct net_host {
  char *name;
  sim_host_kind kind;
  uint32_t comp; /* the host compartment */
  struct net_hpol *pol;
} net_host;

typedef struct net_comp {
  char *name;
  uint32_t host;
  uint64_t serial;  /* unique over the run, so a stale index is detected */
  sim_lpm *routes;  /* value: index in net->routes */
  uint32_t nifaces; /* interfaces attached */
  uint32_t *listen; /* (proto << 16 | port), sorted; none: accept all */
  uint32_t nlisten, cap_listen;
} net_comp;

typedef enum net_if_kind { IF_NIC, IF_PORT, IF_VNIC, IF_BRIDGE } net_if_kind;

typedef struct net_iface {
  char *name;
  net_if_kind kind;
  uint32_t host;
  uint32_t comp;    /* NET_NONE: a detached endpoint */
  uint32_t vswitch; /* PORT, VNIC: its network; NIC: the network bound to it, or NET_NONE */
  uint32_t segment; /* NIC only */
  sim_mac mac;
  sim_prefix addr[2]; /* family 0: unused */
  uint32_t routes;    /* first route through it (net_route.next_on_iface), or NET_NONE */
  net_stages stages[2]; /* PORT: by sim_dir */
  struct net_ppol *pol; /* PORT: its policies */
} net_iface;

typedef struct net_vswitch {
  char *name;
  uint32_t host;
  sim_net_type type;
  uint32_t uplink, vnic; /* iface indexes, or NET_NONE */
  uint32_t nports;
  net_stages stages[2]; /* the uplink's, by sim_dir */
  struct net_opol *ovl; /* Overlay: its VXLAN settings and remote endpoints */
} net_vswitch;

typedef struct net_route {
  uint32_t comp, iface, next_on_iface;
  sim_prefix dst; /* network address */
  sim_ip nh;      /* family 0: on-link */
  uint32_t metric;
  char *id;
} net_route;

/* Scopes of the name and address maps: a tag in the top 4 bits, the
 * owner's index below. */
enum {
  SCOPE_HOST = 1u << 28,     /* host names (owner 0) */
  SCOPE_SEGMENT = 2u << 28,  /* segment names (owner 0) */
  SCOPE_ROUTER = 3u << 28,   /* router names (owner 0) */
  SCOPE_RIF = 4u << 28,      /* router interface names, per router */
  SCOPE_IFACE = 5u << 28,    /* interface names, per host */
  SCOPE_COMP = 6u << 28,     /* compartment names, per host */
  SCOPE_NETWORK = 7u << 28,  /* network names, per host */
  SCOPE_NEIGH = 8u << 28,    /* addresses on a segment -> NEIGH_* value, per segment */
  SCOPE_LOCAL = 9u << 28,    /* a compartment's own addresses -> iface, per compartment */
  SCOPE_VSPORT = 10u << 28,  /* addresses of a network's endpoints -> iface, per vswitch */
  SCOPE_RROUTE = 11u << 28,  /* router route keys -> rroute, per router */
  SCOPE_ROUTE = 12u << 28    /* compartment route keys -> route, per compartment */
};
/* A segment neighbour is a router interface (this bit set) or an iface. */
#define NEIGH_RIF 0x80000000u

struct sim_net {
  sim_world *world;
  char error[NET_ERRLEN];
  net_pool segments, routers, rifs, rroutes, hosts, comps, ifaces, vswitches, routes;
  sim_map *names, *addrs;
  sim_capture_fn capture;
  void *capture_ctx;
  uint64_t next_serial, next_probe;
};

/* Sets the error message and returns status. */
int net_fail(sim_net *net, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int net_ok(sim_net *net);
/* A copy of s, or NULL. */
char *net_strdup(const char *s);

/* Finding objects by name: SIM_OK, or a status with the error naming
 * `field` and the value. */
int net_find(sim_net *net, uint32_t scope, const char *name, const char *field, const char *what, uint32_t *out);
int net_find_host(sim_net *net, const char *name, uint32_t *out);
int net_find_in_host(sim_net *net, const char *host, uint32_t scope, const char *name, const char *field,
                     const char *what, uint32_t *out_host, uint32_t *out);
/* The same on host h, found already. */
int net_find_on_host(sim_net *net, uint32_t h, uint32_t scope, const char *name, const char *field, const char *what,
                     uint32_t *out);
int net_name_ok(sim_net *net, const char *field, const char *name);

/* The address-map key of an IP. */
int net_addr_put(sim_net *net, uint32_t scope, const sim_ip *ip, uint32_t value);
int net_addr_get(const sim_net *net, uint32_t scope, const sim_ip *ip, uint32_t *out);
void net_addr_del(sim_net *net, uint32_t scope, const sim_ip *ip);

/* A prefix given as an interface address: a 4 or 6 address, a length in
 * range, not the unspecified address. */
int net_iface_addr_ok(sim_net *net, const char *field, const sim_prefix *p);

/* sim_host.c: the interface parts other files share. */
int net_iface_new(sim_net *net, uint32_t host, const char *name, net_if_kind kind, uint32_t *out);
void net_iface_free(sim_net *net, uint32_t i);
/* Puts iface i in compartment c: its addresses become local there and its
 * prefixes get connected routes. */
int net_iface_join(sim_net *net, uint32_t i, uint32_t c);
/* Takes iface i out of its compartment with every route through it. */
void net_iface_leave(sim_net *net, uint32_t i);
/* The address of iface i in `family`, or NULL. */
const sim_prefix *net_iface_addr(const net_iface *f, int family);
int net_is_external(sim_net_type t);

/* ---- The walk (sim_walk.c) ---- */

typedef enum net_walk_end {
  WALK_ARRIVED,  /* at a local address of a compartment (listener or reply) */
  WALK_REFUSED,  /* at a local address, nothing listening */
  WALK_DROPPED,
  WALK_NO_ROUTE,
  WALK_LOST
} net_walk_end;

typedef struct net_walk {
  sim_net *net;
  sim_trace *trace; /* may be NULL */
  sim_leg leg;
  sim_time now;
  sim_packet pkt;
  sim_flow sent; /* the forward packet as its sender's stack made it */
  int sent_set;
  /* in flight: the segment being crossed, the neighbour it goes to, how long */
  uint32_t segment;
  sim_ip nh;
  sim_time delay;
  /* the end of the leg */
  net_walk_end end;
  char reason[SIM_PROBE_REASON];
  uint32_t end_comp; /* where it arrived (ARRIVED, REFUSED) */
  uint64_t end_comp_serial;
} net_walk;

/* Starts a leg in compartment c (pkt.flow.src may be family 0: the route's
 * interface supplies it). Returns 1 when the packet is in flight (call
 * net_walk_arrive after w->delay), 0 when the leg has ended (w->end). */
int net_walk_send(net_walk *w, uint32_t c);
/* Continues after a crossing; w->now must already include the delay. */
int net_walk_arrive(net_walk *w);

#endif
