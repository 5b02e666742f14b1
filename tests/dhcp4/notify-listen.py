#!/usr/bin/env python3
# A minimal sd_notify receiver for the tests: binds a datagram socket at
# SOCKET, writes every message it receives to OUT, and exits 0 as soon as one
# holds the line READY=1, or 1 after TIMEOUT seconds.
#   notify-listen.py SOCKET OUT TIMEOUT
import os
import socket
import sys

path, out, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s.bind(path)
s.settimeout(timeout)
try:
    with open(out, "a") as f:
        while True:
            msg = s.recv(4096).decode("utf-8", "replace")
            f.write(msg + "\n")
            f.flush()
            if "READY=1" in msg.split("\n"):
                sys.exit(0)
except socket.timeout:
    sys.exit(1)
finally:
    os.unlink(path)
