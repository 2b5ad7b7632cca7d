/* sim_vswitch.c: HNS networks as vSwitches and endpoints as their ports,
 * with the stage tables of the pipeline hook (sim_net.h).
 *
 * Invariants: an external network (Transparent, L2Bridge, L2Tunnel,
 * Overlay) is bound to exactly one NIC and a NIC to at most one network
 * ("each external-vSwitch network needs its own NIC", hns-api-facts.md
 * §6); every endpoint address is in its network's port index, and, on the
 * networks whose containers sit on the physical network (Transparent,
 * L2Bridge, L2Tunnel: §6), in the uplink segment's neighbours, so routers
 * and hosts there reach it. Overlay endpoints are not on the underlay:
 * their traffic crosses it encapsulated, by the uplink's stages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_policy_int.h"

const char *sim_net_type_name(sim_net_type type) {
  switch (type) {
  case SIM_NET_NAT: return "NAT";
  case SIM_NET_ICS: return "ICS";
  case SIM_NET_TRANSPARENT: return "Transparent";
  case SIM_NET_L2BRIDGE: return "L2Bridge";
  case SIM_NET_L2TUNNEL: return "L2Tunnel";
  case SIM_NET_OVERLAY: return "Overlay";
  case SIM_NET_PRIVATE: return "Private";
  case SIM_NET_INTERNAL: return "Internal";
  }
  return "";
}

/* External vSwitches are bound to a NIC, internal ones are not
 * (hns-api-facts.md §6: NAT "internal vSwitch"; transparent, overlay,
 * l2bridge "external vSwitch"; l2tunnel "like l2bridge"). ICS, Private and
 * Internal are not Docker drivers; they are host-only switches (§6, ICS
 * backs the Hyper-V Default Switch; Private and Internal inferred from
 * Hyper-V's switch types of those names). */
int net_is_external(sim_net_type t) {
  return t == SIM_NET_TRANSPARENT || t == SIM_NET_L2BRIDGE || t == SIM_NET_L2TUNNEL || t == SIM_NET_OVERLAY;
}

/* Endpoints that answer on the physical network (§6: transparent "sit
 * directly on the physical network"; l2bridge with the host's MAC). */
static int on_underlay(sim_net_type t) {
  return t == SIM_NET_TRANSPARENT || t == SIM_NET_L2BRIDGE || t == SIM_NET_L2TUNNEL;
}

int sim_net_network_add(sim_net *net, const char *host, const sim_network_spec *spec) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, uplink = NET_NONE, vnic = NET_NONE, v;
  int rc = net_find_host(net, host, &h);
  if (rc) return rc;
  if (!spec) return net_fail(net, SIM_E_INVAL, "network: NULL");
  if ((rc = net_name_ok(net, "network", spec->name))) return rc;
  const char *name = spec->name;
  if (NET_AT(net->hosts, net_host, h)->kind != SIM_HOST_WINDOWS)
    return net_fail(net, SIM_E_INVAL, "host \"%s\": a Linux host has no HNS networks (use a bridge)", host);
  if (!sim_net_type_name(spec->type)[0])
    return net_fail(net, SIM_E_INVAL, "network \"%s\" type %d: not a network type", name, (int)spec->type);
  if (sim_map_get(net->names, SCOPE_NETWORK | h, name, strlen(name), NULL))
    return net_fail(net, SIM_E_EXISTS, "network \"%s\": host \"%s\" has it already", name, host);
  const char *type = sim_net_type_name(spec->type);
  if (net_is_external(spec->type)) {
    if (!spec->uplink)
      return net_fail(net, SIM_E_INVAL, "network \"%s\" uplink: NULL; a %s network needs a NIC", name, type);
    if ((rc = net_find_in_host(net, host, SCOPE_IFACE, spec->uplink, "uplink", "interface", NULL, &uplink))) return rc;
    const net_iface *f = NET_AT(net->ifaces, net_iface, uplink);
    if (f->kind != IF_NIC) return net_fail(net, SIM_E_INVAL, "uplink \"%s\": not a NIC", spec->uplink);
    if (f->vswitch != NET_NONE)
      return net_fail(net, SIM_E_BUSY, "uplink \"%s\": bound to network \"%s\" already (one NIC per external network)",
                      spec->uplink, NET_AT(net->vswitches, net_vswitch, f->vswitch)->name);
  } else if (spec->uplink) {
    return net_fail(net, SIM_E_INVAL, "network \"%s\" uplink \"%s\": a %s network is an internal vSwitch, with no NIC",
                    name, spec->uplink, type);
  }
  if (spec->host_vnic) {
    if (spec->type == SIM_NET_PRIVATE)
      return net_fail(net, SIM_E_INVAL, "network \"%s\" host_vnic \"%s\": a Private network reaches no host", name,
                      spec->host_vnic);
    if ((rc = net_name_ok(net, "host_vnic", spec->host_vnic)) || (rc = net_iface_addr_ok(net, "vnic_addr", spec->vnic_addr)))
      return rc;
  }
  char *copy = net_strdup(name);
  if (!copy || net_pool_take(&net->vswitches, &v)) {
    free(copy);
    return net_fail(net, SIM_E_NOMEM, "network \"%s\": out of memory", name);
  }
  if ((rc = sim_map_put(net->names, SCOPE_NETWORK | h, name, strlen(name), v))) {
    free(copy);
    net_pool_put(&net->vswitches, v);
    return net_fail(net, SIM_E_NOMEM, "network \"%s\": out of memory", name);
  }
  net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, v);
  vs->name = copy;
  vs->host = h;
  vs->type = spec->type;
  vs->uplink = uplink;
  vs->vnic = NET_NONE;
  if (spec->host_vnic) {
    if ((rc = net_iface_new(net, h, spec->host_vnic, IF_VNIC, &vnic)) == SIM_OK) {
      net_iface *f = NET_AT(net->ifaces, net_iface, vnic);
      f->vswitch = v;
      f->addr[0] = *spec->vnic_addr;
      if ((rc = net_iface_join(net, vnic, NET_AT(net->hosts, net_host, h)->comp))) net_iface_free(net, vnic);
    }
    if (rc) {
      vs = NET_AT(net->vswitches, net_vswitch, v);
      sim_map_del(net->names, SCOPE_NETWORK | h, name, strlen(name));
      free(vs->name);
      net_pool_put(&net->vswitches, v);
      return rc;
    }
    NET_AT(net->vswitches, net_vswitch, v)->vnic = vnic;
  }
  if (uplink != NET_NONE) NET_AT(net->ifaces, net_iface, uplink)->vswitch = v;
  return net_ok(net);
}

int sim_net_network_remove(sim_net *net, const char *host, const char *network) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, v;
  int rc = net_find_in_host(net, host, SCOPE_NETWORK, network, "network", "network", &h, &v);
  if (rc) return rc;
  net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, v);
  if (vs->nports)
    return net_fail(net, SIM_E_BUSY, "network \"%s\": %u endpoint(s) still on it", network, (unsigned)vs->nports);
  if (vs->vnic != NET_NONE) net_iface_free(net, vs->vnic);
  vs = NET_AT(net->vswitches, net_vswitch, v);
  if (vs->uplink != NET_NONE) NET_AT(net->ifaces, net_iface, vs->uplink)->vswitch = NET_NONE;
  sim_map_del(net->names, SCOPE_NETWORK | h, vs->name, strlen(vs->name));
  free(vs->name);
  net_stages_fini(&vs->stages[0]);
  net_stages_fini(&vs->stages[1]);
  net_opol_free(vs->ovl);
  vs->ovl = NULL;
  net_pool_put(&net->vswitches, v);
  return net_ok(net);
}

/* Registers (or, with undo, removes) port i's addresses in its network's
 * index and, where the network is on the underlay, on the uplink segment.
 * Registration stops at the first address taken and reports it. */
static int port_register(sim_net *net, uint32_t i, int *done) {
  const net_iface *f = NET_AT(net->ifaces, net_iface, i);
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, f->vswitch);
  uint32_t seg = on_underlay(vs->type) ? NET_AT(net->ifaces, net_iface, vs->uplink)->segment : NET_NONE;
  char text[46];
  for (*done = 0; *done < 2 && f->addr[*done].addr.family; (*done)++) {
    const sim_ip *ip = &f->addr[*done].addr;
    sim_ip_format(ip, text);
    uint32_t other;
    if (net_addr_get(net, SCOPE_VSPORT | f->vswitch, ip, &other))
      return net_fail(net, SIM_E_EXISTS, "addr %s: endpoint \"%s\" of network \"%s\" has it already", text,
                      NET_AT(net->ifaces, net_iface, other)->name, vs->name);
    if (seg != NET_NONE && net_addr_get(net, SCOPE_NEIGH | seg, ip, NULL))
      return net_fail(net, SIM_E_EXISTS, "addr %s: already on segment \"%s\"",
                      text, NET_AT(net->segments, net_segment, seg)->name);
    if (net_addr_put(net, SCOPE_VSPORT | f->vswitch, ip, i))
      return net_fail(net, SIM_E_NOMEM, "endpoint \"%s\": out of memory", f->name);
    if (seg != NET_NONE && net_addr_put(net, SCOPE_NEIGH | seg, ip, i)) {
      net_addr_del(net, SCOPE_VSPORT | f->vswitch, ip);
      return net_fail(net, SIM_E_NOMEM, "endpoint \"%s\": out of memory", f->name);
    }
  }
  return SIM_OK;
}

static void port_unregister(sim_net *net, uint32_t i, int count) {
  const net_iface *f = NET_AT(net->ifaces, net_iface, i);
  const net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, f->vswitch);
  uint32_t seg = on_underlay(vs->type) ? NET_AT(net->ifaces, net_iface, vs->uplink)->segment : NET_NONE;
  for (int k = 0; k < count; k++) {
    net_addr_del(net, SCOPE_VSPORT | f->vswitch, &f->addr[k].addr);
    if (seg != NET_NONE) net_addr_del(net, SCOPE_NEIGH | seg, &f->addr[k].addr);
  }
}

static int port_addrs_ok(sim_net *net, const sim_port_spec *spec) {
  int rc = net_iface_addr_ok(net, "addr[0]", &spec->addr[0]);
  if (rc || !spec->addr[1].addr.family) return rc;
  if ((rc = net_iface_addr_ok(net, "addr[1]", &spec->addr[1]))) return rc;
  if (spec->addr[1].addr.family == spec->addr[0].addr.family)
    return net_fail(net, SIM_E_INVAL, "addr[1]: a second IPv%u address; dual stack is one IPv4 and one IPv6",
                    (unsigned)spec->addr[1].addr.family);
  return SIM_OK;
}

int sim_net_port_add(sim_net *net, const char *host, const sim_port_spec *spec) {
  if (!net) return SIM_E_INVAL;
  if (!spec) return net_fail(net, SIM_E_INVAL, "endpoint: NULL");
  uint32_t h, v, i;
  int rc = net_find_in_host(net, host, SCOPE_NETWORK, spec->network, "network", "network", &h, &v);
  if (rc || (rc = net_name_ok(net, "endpoint", spec->name)) || (rc = port_addrs_ok(net, spec))) return rc;
  if ((rc = net_iface_new(net, h, spec->name, IF_PORT, &i))) return rc;
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  f->vswitch = v;
  f->mac = spec->mac;
  f->addr[0] = spec->addr[0];
  if (spec->addr[1].addr.family) f->addr[1] = spec->addr[1];
  int done;
  if ((rc = port_register(net, i, &done))) {
    port_unregister(net, i, done);
    net_iface_free(net, i);
    return rc;
  }
  NET_AT(net->vswitches, net_vswitch, v)->nports++;
  return net_ok(net);
}

static int find_port(sim_net *net, const char *host, const char *port, uint32_t *h, uint32_t *i) {
  int rc = net_find_in_host(net, host, SCOPE_IFACE, port, "endpoint", "endpoint", h, i);
  if (rc) return rc;
  if (NET_AT(net->ifaces, net_iface, *i)->kind != IF_PORT)
    return net_fail(net, SIM_E_INVAL, "endpoint \"%s\": an interface of host \"%s\" but not an endpoint", port, host);
  return SIM_OK;
}

int sim_net_port_remove(sim_net *net, const char *host, const char *port) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = find_port(net, host, port, &h, &i);
  if (rc) return rc;
  net_iface *f = NET_AT(net->ifaces, net_iface, i);
  port_unregister(net, i, f->addr[1].addr.family ? 2 : 1);
  NET_AT(net->vswitches, net_vswitch, f->vswitch)->nports--;
  net_iface_free(net, i);
  return net_ok(net);
}

int sim_net_port_attach(sim_net *net, const char *host, const char *port, const char *compartment) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i, c;
  int rc = find_port(net, host, port, &h, &i);
  if (rc || (rc = net_find_in_host(net, host, SCOPE_COMP, compartment, "compartment", "compartment", NULL, &c)))
    return rc;
  const net_iface *f = NET_AT(net->ifaces, net_iface, i);
  if (f->comp != NET_NONE)
    return net_fail(net, SIM_E_BUSY, "endpoint \"%s\": attached to compartment \"%s\" already", port,
                    NET_AT(net->comps, net_comp, f->comp)->name);
  if ((rc = net_iface_join(net, i, c))) return rc;
  return net_ok(net);
}

int sim_net_port_detach(sim_net *net, const char *host, const char *port) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = find_port(net, host, port, &h, &i);
  if (rc) return rc;
  if (NET_AT(net->ifaces, net_iface, i)->comp == NET_NONE)
    return net_fail(net, SIM_E_INVAL, "endpoint \"%s\": not attached", port);
  net_iface_leave(net, i);
  return net_ok(net);
}

static int stage_args_ok(sim_net *net, sim_dir dir, const char *stage, sim_stage_fn fn) {
  if (dir != SIM_DIR_IN && dir != SIM_DIR_OUT)
    return net_fail(net, SIM_E_INVAL, "dir %d: not SIM_DIR_IN or SIM_DIR_OUT", (int)dir);
  int rc = net_name_ok(net, "stage", stage);
  if (rc) return rc;
  if (!fn) return net_fail(net, SIM_E_INVAL, "stage \"%s\" fn: NULL", stage);
  return SIM_OK;
}

int sim_net_port_stage_add(sim_net *net, const char *host, const char *port, sim_dir dir, const char *stage,
                           sim_stage_fn fn, void *state) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, i;
  int rc = find_port(net, host, port, &h, &i);
  if (rc || (rc = stage_args_ok(net, dir, stage, fn))) return rc;
  if (net_stages_add(&NET_AT(net->ifaces, net_iface, i)->stages[dir], stage, fn, state))
    return net_fail(net, SIM_E_NOMEM, "stage \"%s\": out of memory", stage);
  return net_ok(net);
}

int sim_net_network_stage_add(sim_net *net, const char *host, const char *network, sim_dir dir, const char *stage,
                              sim_stage_fn fn, void *state) {
  if (!net) return SIM_E_INVAL;
  uint32_t h, v;
  int rc = net_find_in_host(net, host, SCOPE_NETWORK, network, "network", "network", &h, &v);
  if (rc || (rc = stage_args_ok(net, dir, stage, fn))) return rc;
  net_vswitch *vs = NET_AT(net->vswitches, net_vswitch, v);
  if (vs->uplink == NET_NONE)
    return net_fail(net, SIM_E_INVAL, "network \"%s\": a %s network has no uplink for stages", network,
                    sim_net_type_name(vs->type));
  if (net_stages_add(&vs->stages[dir], stage, fn, state))
    return net_fail(net, SIM_E_NOMEM, "stage \"%s\": out of memory", stage);
  return net_ok(net);
}
