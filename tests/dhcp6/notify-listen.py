#!/usr/bin/env python3
# notify-listen.py SOCKET OUTFILE TIMEOUT: a minimal $NOTIFY_SOCKET: binds a
# datagram socket at SOCKET, writes each message it receives to OUTFILE
# (one line per variable, prefixed by the CLOCK_MONOTONIC time in seconds)
# and exits 0 after READY=1, or 1 after TIMEOUT seconds without it.
import os, socket, sys, time

path, out, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
open(out + ".bound", "w").close()
end = time.monotonic() + timeout
with open(out, "a") as f:
    while True:
        left = end - time.monotonic()
        if left <= 0:
            sys.exit(1)
        s.settimeout(left)
        try:
            msg = s.recv(4096).decode(errors="replace")
        except socket.timeout:
            sys.exit(1)
        now = time.monotonic()
        for line in msg.splitlines():
            f.write("%.6f %s\n" % (now, line))
        f.flush()
        if "READY=1" in msg.splitlines():
            sys.exit(0)
