/* rpt_pcap.h: writing simulated frames to a pcapng file that Wireshark and
 * tshark read: one section, one interface per capture point (a vSwitch port,
 * a NIC, ...), one packet block per frame with its simulated time and an
 * optional comment (the probe and the stage that saw it).
 *
 * The format is pcapng as the IETF draft describes it
 * (draft-ietf-opsawg-pcapng, "PCAP Now Generic (pcapng) Capture File
 * Format"), written little-endian. Every interface is Ethernet
 * (LINKTYPE_ETHERNET) with nanosecond timestamps (if_tsresol 9), since
 * simulated time is a count of nanoseconds.
 *
 * The file holds only what the caller passes, in the order passed: no clock,
 * no host name, no version string, so the same calls give the same bytes.
 *
 * Errors: every function returns an rpt_status; the handle keeps a message
 * naming what was wrong with the most recent failed call (rpt_pcap_errmsg).
 * After a failed write the file's end is unknown, so the handle writes no
 * more (RPT_E_STATE) and the file should be discarded. */
#ifndef RPT_PCAP_H
#define RPT_PCAP_H
#include <stddef.h>
#include <stdint.h>
#include "rpt_status.h"

typedef struct rpt_pcap rpt_pcap;

/* The longest frame a packet block takes. Wireshark refuses larger Ethernet
 * packets (its WTAP_MAX_PACKET_SIZE_STANDARD); a simulated frame is at most
 * SIM_FRAME_MAX (65593) bytes. */
#define RPT_PCAP_FRAME_MAX 262144u

/* The longest interface name or comment in bytes: an option's value length
 * is a 16-bit field (draft-ietf-opsawg-pcapng §3.5). */
#define RPT_PCAP_TEXT_MAX 65535u

/* Creates (or truncates) the file at `path` and writes its Section Header
 * Block.
 *
 * On success *out is the handle. On failure *out is still a handle, unless
 * `out` is NULL or the handle could not be allocated (then *out is NULL and
 * the status RPT_E_NOMEM): rpt_pcap_errmsg says what went wrong (the path
 * and the system's reason), every other call on it returns RPT_E_STATE, and
 * it must be passed to rpt_pcap_close. */
int rpt_pcap_open(const char *path, rpt_pcap **out);

/* Writes an Interface Description Block named `name` (UTF-8, non-empty, at
 * most RPT_PCAP_TEXT_MAX bytes; e.g. "node1/vSwitch cbr0/port 0E00...") and
 * gives its index in *out_index: 0 for the first, then 1, 2, ... */
int rpt_pcap_add_interface(rpt_pcap *pc, const char *name, uint32_t *out_index);

/* Writes an Enhanced Packet Block: `len` bytes of `frame` seen on interface
 * `iface` at simulated time `time_ns` (>= 0; pcapng counts it from the Unix
 * epoch, so a run's first nanosecond reads as 1970-01-01), with `comment`
 * (UTF-8, at most RPT_PCAP_TEXT_MAX bytes) when it is neither NULL nor
 * empty. len is 1..RPT_PCAP_FRAME_MAX; the frame is stored whole. */
int rpt_pcap_write(rpt_pcap *pc, uint32_t iface, int64_t time_ns, const uint8_t *frame, size_t len,
                   const char *comment);

/* Closes the file and frees the handle (always, even on failure; NULL is
 * accepted). Returns RPT_E_IO when flushing or closing the file fails, or
 * when an earlier write did (the file is then incomplete); a caller that
 * wants the message for a failure calls rpt_pcap_flush first. */
int rpt_pcap_close(rpt_pcap *pc);

/* Pushes what was written so far to the file, so that a reader sees every
 * block written. */
int rpt_pcap_flush(rpt_pcap *pc);

/* What was wrong with the most recent failed call on this handle, e.g.
 * "cannot create 'out/run.pcapng': No such file or directory"; "no error"
 * if that call succeeded. Never NULL; valid until the next call on the
 * handle. For a NULL handle: a message saying there is none. */
const char *rpt_pcap_errmsg(const rpt_pcap *pc);

#endif
