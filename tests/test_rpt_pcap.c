/* test_rpt_pcap.c: the pcapng writer: a small file compared byte for byte
 * with blocks laid out by hand from draft-ietf-opsawg-pcapng, refusals that
 * name the argument and leave the file as it was, and I/O failures (a
 * missing folder, a full disk) that say so and stop the handle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>
#define TEST_TMPDIR_TAG "pcap"
#include "test_tmpdir.h"
#include "rpt_pcap.h"

static size_t read_file(const char *path, uint8_t *buf, size_t cap) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t n = fread(buf, 1, cap, f);
  fclose(f);
  return n;
}

static long file_size(const char *path) {
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  return (long)st.st_size;
}

/* SHB, IDB, one EPB with a comment and one without, all little-endian. */
static void layout_byte_for_byte(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/layout.pcapng", g_dir);
  rpt_pcap *pc;
  uint32_t idx = 99;
  const uint8_t frame[5] = {1, 2, 3, 4, 5};
  assert_int_equal(rpt_pcap_open(path, &pc), RPT_OK);
  assert_int_equal(rpt_pcap_add_interface(pc, "eth", &idx), RPT_OK);
  assert_int_equal(idx, 0);
  assert_int_equal(rpt_pcap_write(pc, 0, 0x123456789ll, frame, sizeof frame, "ab"), RPT_OK);
  assert_int_equal(rpt_pcap_write(pc, 0, 7, frame, 4, ""), RPT_OK);
  assert_string_equal(rpt_pcap_errmsg(pc), "no error");
  assert_int_equal(rpt_pcap_close(pc), RPT_OK);

  static const uint8_t want[] = {
      /* SHB (§4.1): type, length 44, byte-order magic, version 1.0, section length -1 */
      0x0A, 0x0D, 0x0D, 0x0A, 44, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,
      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
      4, 0, 5, 0, 'h', 'n', 's', 'i', 'm', 0, 0, 0, /* shb_userappl, padded */
      0, 0, 0, 0, 44, 0, 0, 0,                      /* opt_endofopt, length again */
      /* IDB (§4.2): length 40, LINKTYPE_ETHERNET, reserved, snaplen 262144 */
      1, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 0x00, 0x00, 0x04, 0x00,
      2, 0, 3, 0, 'e', 't', 'h', 0,                 /* if_name "eth", padded */
      9, 0, 1, 0, 9, 0, 0, 0,                       /* if_tsresol 9: nanoseconds */
      0, 0, 0, 0, 40, 0, 0, 0,
      /* EPB (§4.3): length 52, interface 0, timestamp 0x1:0x23456789, lengths 5 */
      6, 0, 0, 0, 52, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x89, 0x67, 0x45, 0x23, 5, 0, 0, 0, 5, 0, 0, 0,
      1, 2, 3, 4, 5, 0, 0, 0,                       /* the frame, padded to 32 bits */
      1, 0, 2, 0, 'a', 'b', 0, 0,                   /* opt_comment "ab" */
      0, 0, 0, 0, 52, 0, 0, 0,
      /* EPB without options: length 36, time 7, 4 bytes needing no padding */
      6, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0,
      1, 2, 3, 4, 36, 0, 0, 0,
  };
  uint8_t got[256];
  size_t n = read_file(path, got, sizeof got);
  assert_int_equal(n, sizeof want);
  assert_memory_equal(got, want, sizeof want);
}

static void interfaces_count_up(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/ifaces.pcapng", g_dir);
  rpt_pcap *pc;
  uint32_t a, b, c;
  const uint8_t frame[1] = {0};
  assert_int_equal(rpt_pcap_open(path, &pc), RPT_OK);
  assert_int_equal(rpt_pcap_add_interface(pc, "node1/vSwitch cbr0/port 0E00", &a), RPT_OK);
  assert_int_equal(rpt_pcap_write(pc, a, 1, frame, 1, NULL), RPT_OK);
  assert_int_equal(rpt_pcap_add_interface(pc, "n\xC5\x93ud/port \xE2\x9C\x93", &b), RPT_OK); /* UTF-8 */
  assert_int_equal(rpt_pcap_add_interface(pc, "\xF0\x9F\x90\xB3", &c), RPT_OK);
  assert_int_equal(a, 0);
  assert_int_equal(b, 1);
  assert_int_equal(c, 2);
  assert_int_equal(rpt_pcap_write(pc, c, 2, frame, 1, NULL), RPT_OK);
  assert_int_equal(rpt_pcap_close(pc), RPT_OK);
}

/* Each refusal names what was wrong and writes nothing. */
static void refusals(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/refused.pcapng", g_dir);
  rpt_pcap *pc;
  uint32_t idx;
  const uint8_t frame[4] = {0};
  assert_int_equal(rpt_pcap_open(path, &pc), RPT_OK);
  assert_int_equal(rpt_pcap_write(pc, 0, 1, frame, 4, NULL), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "interface 0: no interface is defined yet");
  assert_int_equal(rpt_pcap_add_interface(pc, "port", &idx), RPT_OK);
  assert_int_equal(rpt_pcap_flush(pc), RPT_OK);
  long size = file_size(path);

  assert_int_equal(rpt_pcap_add_interface(pc, "", &idx), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "interface name is empty");
  assert_int_equal(rpt_pcap_add_interface(pc, NULL, &idx), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "interface name is NULL");
  assert_int_equal(rpt_pcap_add_interface(pc, "port", NULL), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "out_index is NULL");
  assert_int_equal(rpt_pcap_add_interface(pc, "bad\xFF", &idx), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "interface name is not UTF-8: byte 3 is 0xFF");
  assert_int_equal(rpt_pcap_add_interface(pc, "\xC0\x80", &idx), RPT_E_INVAL); /* overlong NUL */
  assert_string_equal(rpt_pcap_errmsg(pc), "interface name is not UTF-8: byte 0 is 0xC0");
  assert_int_equal(rpt_pcap_add_interface(pc, "x\xED\xA0\x80", &idx), RPT_E_INVAL); /* a surrogate */
  assert_string_equal(rpt_pcap_errmsg(pc), "interface name is not UTF-8: byte 1 is 0xED");
  assert_int_equal(rpt_pcap_add_interface(pc, "ab\xE2\x9C", &idx), RPT_E_INVAL); /* cut short */
  assert_string_equal(rpt_pcap_errmsg(pc), "interface name is not UTF-8: byte 2 is 0xE2");

  assert_int_equal(rpt_pcap_write(pc, 1, 1, frame, 4, NULL), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "interface 1: only 0..0 are defined");
  assert_int_equal(rpt_pcap_write(pc, 0, -5, frame, 4, NULL), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "time_ns -5: negative");
  assert_int_equal(rpt_pcap_write(pc, 0, 1, NULL, 4, NULL), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "frame is NULL");
  assert_int_equal(rpt_pcap_write(pc, 0, 1, frame, 0, NULL), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "frame length 0: not 1..262144");
  assert_int_equal(rpt_pcap_write(pc, 0, 1, frame, RPT_PCAP_FRAME_MAX + 1, NULL), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "frame length 262145: not 1..262144");
  char *big = malloc(RPT_PCAP_TEXT_MAX + 2);
  assert_non_null(big);
  memset(big, 'a', RPT_PCAP_TEXT_MAX + 1);
  big[RPT_PCAP_TEXT_MAX + 1] = '\0';
  assert_int_equal(rpt_pcap_write(pc, 0, 1, frame, 4, big), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "comment of 65536 bytes: longer than 65535");
  big[RPT_PCAP_TEXT_MAX] = '\0'; /* the longest an option holds */
  assert_int_equal(rpt_pcap_flush(pc), RPT_OK);
  assert_int_equal(file_size(path), size);
  assert_int_equal(rpt_pcap_write(pc, 0, 1, frame, 4, big), RPT_OK);
  free(big);
  assert_int_equal(rpt_pcap_close(pc), RPT_OK);
  assert_int_equal(file_size(path), size + 8 + 20 + 4 + (4 + 65536) + 4 + 4);
}

static void open_failure(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/missing/x.pcapng", g_dir);
  rpt_pcap *pc = NULL;
  uint32_t idx;
  const uint8_t frame[1] = {0};
  assert_int_equal(rpt_pcap_open(path, &pc), RPT_E_IO);
  assert_non_null(pc);
  char want[400];
  snprintf(want, sizeof want, "cannot create '%s': No such file or directory", path);
  assert_string_equal(rpt_pcap_errmsg(pc), want);
  assert_int_equal(rpt_pcap_add_interface(pc, "port", &idx), RPT_E_STATE);
  assert_int_equal(rpt_pcap_write(pc, 0, 1, frame, 1, NULL), RPT_E_STATE);
  assert_int_equal(rpt_pcap_flush(pc), RPT_E_STATE);
  assert_string_equal(rpt_pcap_errmsg(pc), want); /* the open failure stays the message */
  assert_int_equal(rpt_pcap_close(pc), RPT_OK);

  assert_int_equal(rpt_pcap_open("", &pc), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "pcap path is empty");
  rpt_pcap_close(pc);
  assert_int_equal(rpt_pcap_open(NULL, &pc), RPT_E_INVAL);
  assert_string_equal(rpt_pcap_errmsg(pc), "pcap path is NULL");
  rpt_pcap_close(pc);
  assert_int_equal(rpt_pcap_open(path, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_pcap_add_interface(NULL, "port", &idx), RPT_E_INVAL);
  assert_int_equal(rpt_pcap_write(NULL, 0, 1, frame, 1, NULL), RPT_E_INVAL);
  assert_int_equal(rpt_pcap_flush(NULL), RPT_E_INVAL);
  assert_int_equal(rpt_pcap_close(NULL), RPT_OK);
  assert_string_equal(rpt_pcap_errmsg(NULL), "no pcap handle (NULL)");
}

/* /dev/full takes the open and fails the first real write: the handle says
 * so, then writes no more, and close reports the file as bad. */
static void full_disk(void **state) {
  (void)state;
  if (access("/dev/full", W_OK) != 0) skip();
  rpt_pcap *pc;
  uint32_t idx;
  const uint8_t frame[64] = {0};
  assert_int_equal(rpt_pcap_open("/dev/full", &pc), RPT_OK);
  assert_int_equal(rpt_pcap_add_interface(pc, "port", &idx), RPT_OK);
  assert_int_equal(rpt_pcap_write(pc, idx, 1, frame, sizeof frame, NULL), RPT_OK); /* still buffered */
  assert_int_equal(rpt_pcap_flush(pc), RPT_E_IO);
  assert_string_equal(rpt_pcap_errmsg(pc), "writing '/dev/full': No space left on device");
  assert_int_equal(rpt_pcap_write(pc, idx, 2, frame, sizeof frame, NULL), RPT_E_STATE);
  assert_string_equal(rpt_pcap_errmsg(pc), "an earlier write to '/dev/full' failed; this handle writes no more");
  assert_int_equal(rpt_pcap_close(pc), RPT_E_IO);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(layout_byte_for_byte),
      cmocka_unit_test(interfaces_count_up),
      cmocka_unit_test(refusals),
      cmocka_unit_test(open_failure),
      cmocka_unit_test(full_disk),
  };
  return cmocka_run_group_tests(tests, tmpdir_create, tmpdir_remove);
}
