/* hnsim_hcn.h: the one hnsim-only entry point of the Windows-signature layer
 * (computenetwork.h, hcn_wide.c): which simulated HNS the Hcn* functions talk
 * to.
 *
 * On Windows a process has exactly one HNS to talk to, the machine's, so
 * computenetwork.h's functions take no service argument. hnsim has one
 * hns_service per simulated host; the binding below is the one piece of
 * global state in the layer, the stand-in for "the machine's HNS", and the
 * price of keeping the Windows signatures exact. Everything else (handles,
 * callbacks) belongs to the service that made it: a handle opened before a
 * rebind keeps talking to its own service.
 *
 * Not synchronised: bind before the calls that use it, as a test or the
 * simulator does when it switches hosts (the simulator is single-threaded). */
#ifndef HNSIM_HCN_H
#define HNSIM_HCN_H

#ifdef __cplusplus
extern "C" {
#endif

struct hns_service;

/* Makes svc the HNS that the Hcn* functions talk to from now on; NULL
 * unbinds, after which calls that need a service fail with
 * HCN_E_MANAGER_STOPPED, as when the machine's HNS is not running. The layer
 * does not own svc: destroy it only after unbinding or rebinding. */
void hnsim_hcn_bind(struct hns_service *svc);

/* The service bound now, or NULL. */
struct hns_service *hnsim_hcn_bound(void);

#ifdef __cplusplus
}
#endif

#endif /* HNSIM_HCN_H */
