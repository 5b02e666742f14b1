#!/usr/bin/env python3
# Floods UDP port 68 on the LAN as any host can (issue 13), from the server
# namespace, for SECONDS at about RATE packets a second:
#   flood.py IFNAME RATE SECONDS
# Half the packets are for another client (another chaddr); the other half
# copy the xid and chaddr of the last DHCPDISCOVER seen, so they are "for"
# the client under test.  All are DHCPOFFERs of a loopback address (never
# to be taken) with an option 119 of 2-byte compression pointers, each to
# the one before it: invalid names, and a quadratic walk for a naive decoder.
import socket
import struct
import sys
import time

ifname, rate, seconds = sys.argv[1].encode(), int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname)
s.bind(("0.0.0.0", 67))
s.setblocking(False)

data = bytearray(b"\x01;\x00")
while len(data) + 2 <= 1000:
    target = 0 if len(data) == 3 else len(data) - 2
    data += bytes([0xc0 | target >> 8, target & 0xff])
search = b""
for o in range(0, len(data), 250):
    chunk = bytes(data[o:o + 250])
    search += bytes([119, len(chunk)]) + chunk


def offer(xid, chaddr):
    hdr = struct.pack("!BBBB", 2, 1, 6, 0) + xid + b"\0" * 8 + socket.inet_aton("127.0.0.9") \
        + socket.inet_aton("10.88.0.1") + b"\0" * 4 + chaddr + b"\0" * 192 + b"\x63\x82\x53\x63"
    return hdr + bytes([53, 1, 2, 54, 4]) + socket.inet_aton("10.88.0.1") + search + b"\xff"


xid, chaddr = b"\0\0\0\0", b"\x02" + b"\0" * 15
other = offer(b"\x12\x34\x56\x78", b"\x02\x99\x99\x99\x99\x99" + b"\0" * 10)
sent, start = 0, time.monotonic()
while time.monotonic() - start < seconds:
    try:
        req, _ = s.recvfrom(4096)
        if len(req) >= 240 and req[0] == 1:
            xid, chaddr = req[4:8], req[28:44]
    except BlockingIOError:
        pass
    for _ in range(10):
        s.sendto(other if sent % 2 == 0 else offer(xid, chaddr), ("255.255.255.255", 68))
        sent += 1
    ahead = sent / rate - (time.monotonic() - start)
    if ahead > 0:
        time.sleep(ahead)
print("sent %d packets in %.1f s" % (sent, time.monotonic() - start))
