#!/usr/bin/env python3
# A hostile DHCPv4 server for hostile.sh: answers every DISCOVER/REQUEST with
# a valid lease whose names carry injections (newlines, ';', NULs) next to
# good ones.  Runs inside the server namespace until killed.
#   fake-server.py IFNAME
import socket
import struct
import sys

ifname = sys.argv[1].encode()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname)
s.bind(("0.0.0.0", 67))


def opt(code, data):
    return bytes([code, len(data)]) + data


def labels(*names):
    out = b""
    for n in names:
        for l in n.split(b"."):
            out += bytes([len(l)]) + l
        out += b"\0"
    return out


search = labels(b"good.test", b"bad;x.test", b"evil\nnameserver 6.6.6.6.test", b"nul\0x.test", b"ok.test")
while True:
    req, _ = s.recvfrom(4096)
    if len(req) < 240 or req[0] != 1:
        continue
    xid, chaddr = req[4:8], req[28:44]
    t, p = 0, 240
    while p + 1 < len(req) and req[p] != 255:
        if req[p] == 0:
            p += 1
            continue
        if req[p] == 53:
            t = req[p + 2]
        p += 2 + req[p + 1]
    reply_type = {1: 2, 3: 5}.get(t)
    if not reply_type:
        continue
    hdr = struct.pack("!BBBB", 2, 1, 6, 0) + xid + b"\0" * 8 + socket.inet_aton("10.88.0.77") \
        + socket.inet_aton("10.88.0.1") + b"\0" * 4 + chaddr + b"\0" * 192 + b"\x63\x82\x53\x63"
    opts = opt(53, bytes([reply_type])) + opt(54, socket.inet_aton("10.88.0.1")) \
        + opt(51, struct.pack("!I", 3600)) + opt(1, socket.inet_aton("255.255.255.0")) \
        + opt(3, socket.inet_aton("10.88.0.1")) + opt(6, socket.inet_aton("10.88.0.53")) \
        + opt(15, b"evil.test\nnameserver 6.6.6.6") + opt(12, b"host;rm -rf /") \
        + opt(119, search) + b"\xff"
    msg = hdr + opts
    msg += b"\0" * max(0, 300 - len(msg))
    s.sendto(msg, ("255.255.255.255", 68))
