#!/usr/bin/env python3
# Floods the DHCPv6 client port on the LAN as any host can (issue 13), from
# the server namespace, for SECONDS at about RATE packets a second:
#   flood.py IFNAME RATE SECONDS
# It listens on port 547 for the client's SOLICITs (multicast, seen by every
# host on the link) and sends to the client's address: one packet in three
# for another transaction, one a truncated message with the client's xid,
# one an ADVERTISE "for" the client (its xid and DUID) with NoAddrsAvail
# and a long domain list: nothing to take, everything to parse and log.
import signal
import socket
import struct
import sys
import time

ifname, rate, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
ifindex = socket.if_nametoindex(ifname)
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
s.bind(("::", 547))
mreq = socket.inet_pton(socket.AF_INET6, "ff02::1:2") + struct.pack("@I", ifindex)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
s.setblocking(False)
print("ready", flush=True)
# Killed by the test: still say how much was sent.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def opt(code, data):
    return struct.pack(">HH", code, len(data)) + data


SERVER = opt(2, bytes.fromhex("0003000102fa4e0000ff"))
domains = b"".join(bytes([40]) + b"x" * 40 + b"\x07example\x00" for _ in range(20))
client, xid, duid, iaid = None, b"\0\0\0", b"", b"\0\0\0\0"
sent, start = 0, time.monotonic()


def flood():
    global client, xid, duid, iaid, sent
    while time.monotonic() - start < seconds:
        try:
            while True:
                data, src = s.recvfrom(4096)
                if len(data) >= 4 and data[0] == 1:
                    client, xid = src, data[1:4]
                    off = 4
                    while off + 4 <= len(data):
                        code, ln = struct.unpack(">HH", data[off:off + 4])
                        if code == 1:
                            duid = data[off + 4:off + 4 + ln]
                        elif code == 3:
                            iaid = data[off + 4:off + 8]
                        off += 4 + ln
        except BlockingIOError:
            pass
        if client is None:
            time.sleep(0.01)
            continue
        ia = opt(3, iaid + b"\0" * 8 + opt(13, b"\0\x02no addresses"))
        ours = bytes([2]) + xid + opt(1, duid) + SERVER + ia + opt(24, domains)
        other = bytes([2]) + bytes([xid[0] ^ 0x5a]) + xid[1:] + opt(1, duid) + SERVER + ia + opt(24, domains)
        for _ in range(10):
            k = sent % 3
            pkt = other if k == 0 else ours[:-3] if k == 1 else ours
            try:
                s.sendto(pkt, client)
            except OSError:
                pass
            sent += 1
        ahead = sent / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)


try:
    flood()
finally:
    print("sent %d packets in %.1f s" % (sent, time.monotonic() - start), flush=True)
