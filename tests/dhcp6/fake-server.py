#!/usr/bin/env python3
# fake-server.py IFNAME ADDRESS [PREFERRED VALID T1 T2 [LOG]]: a
# deliberately hostile DHCPv6 server for tests.  It answers SOLICIT
# (ADVERTISE, or REPLY with rapid commit), REQUEST/RENEW/REBIND (REPLY)
# and RELEASE on IFNAME, always offering
# ADDRESS, DNS server fd88::53 and a domain list (option 24) whose names
# carry shell metacharacters, a newline, an over-long name and a
# compression pointer next to one good name, "good.example".  The
# lifetimes of the address and T1/T2 default to 120/180 and 60/90; LOG
# gets one line per message received (its type number).
import socket, struct, sys

ifname, address = sys.argv[1], sys.argv[2]
pref, valid, t1, t2 = (int(v) for v in sys.argv[3:7]) if len(sys.argv) >= 7 else (120, 180, 60, 90)
log = open(sys.argv[7], "a", buffering=1) if len(sys.argv) >= 8 else None
ifindex = socket.if_nametoindex(ifname)
SERVER_DUID = bytes.fromhex("00030001") + bytes.fromhex("02fa4e000001")

def opt(code, data):
    return struct.pack(">HH", code, len(data)) + data

def name(*labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"

# A label of more than 63 bytes cannot be encoded (its length byte would
# read as a pointer), so the over-long name is five 60-byte labels.
domains = (name(b"bad;rm", b"example") + name(b"x$(id)", b"example") +
           name(b"new\nline", b"example") + name(b"good", b"example") +
           name(*([b"a" * 60] * 5)) + b"\x05a`b`c\xc0\x0c")

s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
s.bind(("::", 547))
mreq = socket.inet_pton(socket.AF_INET6, "ff02::1:2") + struct.pack("@I", ifindex)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
print("ready", flush=True)
while True:
    data, src = s.recvfrom(4096)
    if len(data) < 4:
        continue
    mtype, xid = data[0], data[1:4]
    if log:
        log.write("%d\n" % mtype)
    opts, off = {}, 4
    while off + 4 <= len(data):
        code, l = struct.unpack(">HH", data[off:off + 4])
        opts.setdefault(code, data[off + 4:off + 4 + l])
        off += 4 + l
    if 1 not in opts or 3 not in opts:
        continue
    iaid = opts[3][:4]
    ia = iaid + struct.pack(">II", t1, t2) + opt(5, socket.inet_pton(socket.AF_INET6, address) + struct.pack(">II", pref, valid))
    body = opt(1, opts[1]) + opt(2, SERVER_DUID) + opt(3, ia)
    body += opt(23, socket.inet_pton(socket.AF_INET6, "fd88::53")) + opt(24, domains)
    if mtype == 1:
        if 14 in opts:
            reply = bytes([7]) + xid + body + opt(14, b"")
        else:
            reply = bytes([2]) + xid + body + opt(7, b"\xff")
    elif mtype in (3, 5, 6):
        reply = bytes([7]) + xid + body
    elif mtype == 8:
        reply = bytes([7]) + xid + opt(1, opts[1]) + opt(2, SERVER_DUID) + opt(13, b"\0\0")
    else:
        continue
    s.sendto(reply, src)
