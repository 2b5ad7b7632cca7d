#!/usr/bin/env bash
# test_pcap_tshark.sh: the pcapng files hnsim writes, as Wireshark's own
# decoders read them: write_sample_pcap's frames (sim_frame) in a file
# (rpt_pcap), decoded by tshark with checksum validation on. Checks the
# inner and outer addresses, ports, VLAN, VNI, ICMP types, TCP flags, the
# capture points, comments and nanosecond timestamps; that no frame is
# malformed, has a bad checksum or draws a warning; that a corrupted copy is
# caught (so the checks can fail); and that two writes give the same bytes.
# Usage: test_pcap_tshark.sh PATH-TO-write_sample_pcap PATH-TO-tshark
set -u
writer=$1 tshark=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# tshark with every checksum check on; its "Running as root" notice goes to
# stderr, which is kept for the damaged-file check.
decode() { # decode FILE TSHARK-ARGS...
  local file=$1; shift
  "$tshark" -r "$file" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
    "$@" 2>>"$work/stderr"
}

same() { # same DESCRIPTION WANT GOT
  checks=$((checks + 1))
  if [ "$2" != "$3" ]; then
    fail "$1"
    diff <(echo "$2") <(echo "$3")
  fi
}

if ! "$writer" "$work/a.pcapng" || ! "$writer" "$work/b.pcapng"; then
  echo "FAIL: write_sample_pcap failed"
  exit 1
fi
checks=$((checks + 1))
cmp -s "$work/a.pcapng" "$work/b.pcapng" || fail "two writes of the same frames differ"

# Addresses, flags and ports; with occurrence=a a VXLAN frame lists the
# outer value, then the inner one.
fields=(-T fields -E separator='|' -E occurrence=a)
got=$(decode "$work/a.pcapng" "${fields[@]}" -e frame.number -e eth.src -e ip.src -e ip.dst -e ipv6.src \
  -e tcp.flags -e udp.dstport -e vxlan.vni -e icmp.type)
same "addresses, flags, ports, VNI" "1|00:15:5d:01:02:03|10.244.1.5|10.96.0.1||0x0002|||
2|00:15:5d:01:02:03|10.244.1.5|10.96.0.10|||53||
3|00:15:5d:01:02:03|10.244.1.5|8.8.8.8|||||8
4|00:15:5d:01:02:03|||fd00::5|0x0012|||
5|00:15:5d:01:02:03|||fd00::5||||
6|00:15:5d:01:02:03|192.168.100.5|192.168.100.6|||40003||
7|00:15:5d:aa:00:01,00:15:5d:01:02:03|10.127.130.36,10.244.1.5|10.127.130.38,10.244.2.7||0x0002|4789|4096|
8|00:15:5d:aa:00:01,00:15:5d:01:02:03|10.244.1.5|10.244.2.7|fd00:127::36|0x0010|4789|4096|" "$got"

got=$(decode "$work/a.pcapng" "${fields[@]}" -e frame.number -e eth.dst -e vlan.id -e ipv6.dst -e ip.ttl \
  -e ipv6.hlim -e ip.flags.df -e tcp.srcport -e tcp.dstport -e udp.srcport -e icmp.ident -e icmp.seq \
  -e icmpv6.type -e icmpv6.echo.identifier -e frame.len)
same "the other header fields" "1|00:15:5d:0a:0b:0c|||128||1|49152|443||||||54
2|00:15:5d:0a:0b:0c|||128||1|||53000|||||54
3|00:15:5d:0a:0b:0c|||128||1||||7|3|||74
4|00:15:5d:0a:0b:0c||fd00::a||128||40000|80||||||84
5|00:15:5d:0a:0b:0c||fd00::a||128|||||||128|0x0009|70
6|00:15:5d:0a:0b:0c|100||128||1|||40002|||||51
7|00:15:5d:aa:00:02,00:15:5d:0a:0b:0c|||128,128||1,1|49153|80|49876|||||104
8|00:15:5d:aa:00:02,00:15:5d:0a:0b:0c||fd00:127::38|128|128|1|49154|8080|49876|||||224" "$got"

# Capture points, comments and the simulated nanoseconds.
got=$(decode "$work/a.pcapng" "${fields[@]}" -e frame.number -e frame.time_epoch -e frame.interface_name \
  -e frame.comment)
same "capture points, comments, timestamps" "1|1.000000001|node1/vSwitch cbr0/port 0E00|probe 1 stage port-out
2|1.000000002|node1/vSwitch cbr0/port 0E00|probe 2 stage port-out
3|1.500000000|node1/vSwitch cbr0/port 0E00|probe 3 stage port-out
4|2.000000123|node1/vSwitch cbr0/port 0E00|probe 4 stage port-out
5|2.000000999|node1/vSwitch cbr0/port 0E00|probe 5 stage port-out
6|3.000000000|node1/vSwitch cbr0/port 0E00|probe 6 stage port-out
7|4.000000007|node1/NIC Ethernet0|probe 7 stage encap
8|5.123456789|node1/NIC Ethernet0|probe 8 stage encap" "$got"

# Checksum status: 1 is good; 3 (not present) only for the outer UDP of
# VXLAN over IPv4, which RFC 7348 lets be 0.
got=$(decode "$work/a.pcapng" "${fields[@]}" -e frame.number -e ip.checksum.status -e tcp.checksum.status \
  -e udp.checksum.status -e icmp.checksum.status -e icmpv6.checksum.status)
same "checksums" "1|1|1|||
2|1||1||
3|1|||1|
4||1|||
5|||||1
6|1||1||
7|1,1|1|3||
8|1|1|1||" "$got"

# Nothing malformed, no checksum complaint, nothing at warning or above.
bad_filter='_ws.malformed or _ws.expert.group == 0x01000000 or _ws.expert.severity >= 0x00600000'
got=$(decode "$work/a.pcapng" -Y "$bad_filter" -T fields -e frame.number)
same "frames that tshark flags" "" "$got"
checks=$((checks + 1))
grep -v '^Running as user' "$work/stderr" && fail "tshark printed errors"

# The same checks catch a broken frame: frame 1's TCP checksum lies at 242
# = SHB 44 + IDB 64 + IDB 56 + EPB header 28 + Ethernet 14 + IPv4 20 + 16.
cp "$work/a.pcapng" "$work/bad.pcapng"
printf '\xde\xad' | dd of="$work/bad.pcapng" bs=1 seek=242 conv=notrunc status=none
got=$(decode "$work/bad.pcapng" -Y "$bad_filter" "${fields[@]}" -e frame.number -e tcp.checksum.status)
same "a corrupted TCP checksum is flagged (status 0: bad)" "1|0" "$got"

echo "$checks checks, $failures failures ($("$tshark" --version 2>/dev/null | head -1))"
[ "$failures" -eq 0 ]
