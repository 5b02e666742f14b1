#!/usr/bin/env python3
# Writes the script seeds of tests/dhcp6/fuzz-dhcp6.c (see its header for
# the format) into DIR (default: tests/dhcp6/fuzz-seeds next to this file):
#   script-renew-rebind-fail  bind; RENEW gets NoBinding (REQUEST), then no
#                             address; REBIND no address; valid 0 (expiry);
#                             bind again and let RENEW, REBIND go unanswered
#   script-confirm            bind; link back: CONFIRM gets NotOnLink; bind;
#                             CONFIRM unanswered (kept); CONFIRM Success
#   script-restart-release    bind; restart from the saved REPLY (CONFIRM
#                             unanswered); stop: RELEASE and its REPLY
#   script-tiny-lease         lifetimes 0/1 s, T1 = T2 = 0: the floors
import os
import socket
import struct
import sys

DUID = bytes.fromhex("00010001329e4f7b02aa5d13da24")
SERVER = bytes.fromhex("00010001329e4f41dea09510322e")
IAID = 0x5d13da24
ADDR = socket.inet_pton(socket.AF_INET6, "fd88::18b")


def opt(code, data):
    return struct.pack(">HH", code, len(data)) + data


def status(code):
    return opt(13, struct.pack(">H", code) + b"status")


def reply(t1=1800, t2=2880, pref=3600, valid=7200, ia_status=None, top_status=None, addr=True):
    ia = struct.pack(">III", IAID, t1, t2)
    if addr:
        ia += opt(5, ADDR + struct.pack(">II", pref, valid))
    if ia_status is not None:
        ia += status(ia_status)
    m = bytes([7, 0, 0, 0]) + opt(1, DUID) + opt(2, SERVER) + opt(3, ia) + opt(14, b"")
    m += opt(23, socket.inet_pton(socket.AF_INET6, "fd88::53"))
    m += opt(24, b"\x04good\x07example\x00")
    if top_status is not None:
        m += status(top_status)
    return m


def rec(op, data=b""):
    return bytes([op]) + struct.pack(">H", len(data)) + data


def feed(m):
    return rec(0, m)


def secs(n):
    return rec(2, struct.pack(">H", n))


NEXT = rec(1)
CONFIRM = rec(3)
STOP = rec(4)
SUCCESS, NO_ADDRS, NO_BINDING, NOT_ON_LINK = 0, 2, 3, 4
good = reply()

seeds = {
    "script-renew-rebind-fail": [
        feed(good), secs(1801), feed(reply(addr=False, ia_status=NO_BINDING)), feed(good),
        secs(1801), feed(reply(addr=False, ia_status=NO_ADDRS)), secs(1200),
        feed(reply(addr=False, ia_status=NO_ADDRS)), feed(reply(pref=0, valid=0)),
        feed(good), secs(7300)],
    "script-confirm": [
        feed(good), CONFIRM, NEXT, feed(reply(addr=False, top_status=NOT_ON_LINK)),
        NEXT, feed(good), CONFIRM, secs(12), CONFIRM, NEXT, feed(reply(addr=False, top_status=SUCCESS))],
    "script-restart-release": [
        feed(good), secs(100), rec(5, struct.pack(">H", 100)), secs(12), STOP,
        feed(reply(addr=False, top_status=SUCCESS))],
    "script-tiny-lease": [feed(reply(t1=0, t2=0, pref=0, valid=1)), secs(30)],
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz-seeds")
for name, recs in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"".join(recs))
