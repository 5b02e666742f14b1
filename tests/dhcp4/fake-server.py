#!/usr/bin/env python3
# A hostile DHCPv4 server for the tests: answers every DISCOVER/REQUEST with
# a lease whose names carry injections (newlines, ';', NULs) next to good
# ones.  Runs inside the server namespace until killed.
#   fake-server.py IFNAME [KEY=VALUE...]
# Keys change the lease (defaults in brackets):
#   yiaddr [10.88.0.77]  mask [255.255.255.0]  router [10.88.0.1]
#   lease [3600]  t1, t2 [absent]
#   routes121: DST/LEN:GW,...  option 121 (GW 0.0.0.0: on-link) [absent]
#   names=good: no hostile names, only a plain DNS server and search list
#   log=FILE: append one line per message received ("DHCPREQUEST ciaddr=...")
#   reply=no: log, but answer nothing (a server that is down)
import socket
import struct
import sys

ifname = sys.argv[1].encode()
conf = dict(a.split("=", 1) for a in sys.argv[2:])
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


def routes121(text):
    out = b""
    for r in text.split(","):
        dst, gw = r.split(":")
        net, plen = dst.split("/")
        plen = int(plen)
        out += bytes([plen]) + socket.inet_aton(net)[:(plen + 7) // 8] + socket.inet_aton(gw)
    return out


NAMES = {1: "DHCPDISCOVER", 3: "DHCPREQUEST", 4: "DHCPDECLINE", 7: "DHCPRELEASE", 8: "DHCPINFORM"}
search = labels(b"good.test", b"bad;x.test", b"evil\nnameserver 6.6.6.6.test", b"nul\0x.test", b"ok.test")
yiaddr = socket.inet_aton(conf.get("yiaddr", "10.88.0.77"))
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
    if "log" in conf:
        with open(conf["log"], "a") as f:
            f.write("%s ciaddr=%s\n" % (NAMES.get(t, str(t)), socket.inet_ntoa(req[12:16])))
    reply_type = {1: 2, 3: 5}.get(t)
    if not reply_type or conf.get("reply") == "no":
        continue
    hdr = struct.pack("!BBBB", 2, 1, 6, 0) + xid + b"\0" * 8 + yiaddr \
        + socket.inet_aton("10.88.0.1") + b"\0" * 4 + chaddr + b"\0" * 192 + b"\x63\x82\x53\x63"
    opts = opt(53, bytes([reply_type])) + opt(54, socket.inet_aton("10.88.0.1")) \
        + opt(51, struct.pack("!I", int(conf.get("lease", "3600")))) \
        + opt(1, socket.inet_aton(conf.get("mask", "255.255.255.0"))) \
        + opt(3, socket.inet_aton(conf.get("router", "10.88.0.1"))) + opt(6, socket.inet_aton("10.88.0.53"))
    for k, code in (("t1", 58), ("t2", 59)):
        if k in conf:
            opts += opt(code, struct.pack("!I", int(conf[k])))
    if "routes121" in conf:
        opts += opt(121, routes121(conf["routes121"]))
    if conf.get("names") == "good":
        opts += opt(119, labels(b"good.test"))
    else:
        opts += opt(15, b"evil.test\nnameserver 6.6.6.6") + opt(12, b"host;rm -rf /") + opt(119, search)
    msg = hdr + opts + b"\xff"
    msg += b"\0" * max(0, 300 - len(msg))
    s.sendto(msg, ("255.255.255.255", 68))
