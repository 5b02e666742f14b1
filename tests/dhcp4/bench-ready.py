#!/usr/bin/env python3
# Time from spawning a command to its readiness, for bench-dhcp4.sh.
#   bench-ready.py notify|fifo PATH TIMEOUT CMD...
# notify: PATH becomes a NOTIFY_SOCKET (sd_notify), ready at READY=1.
# fifo:   PATH becomes a FIFO, ready at the first line written to it.
# Prints "MS PID"; the command keeps running (its output goes to $BENCH_LOG).
import os, select, socket, stat, subprocess, sys, time

mode, path, timeout, cmd = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
env = dict(os.environ)
if mode == "notify":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    fd = s.fileno()
    env["NOTIFY_SOCKET"] = path
else:
    os.mkfifo(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    # Keep a writer open so that poll does not report POLLHUP before the script writes.
    keep = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
log = open(os.environ.get("BENCH_LOG", "/dev/null"), "ab")
t0 = time.monotonic()
p = subprocess.Popen(cmd, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
end = t0 + timeout
ok = False
while not ok and time.monotonic() < end:
    r, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
    if not r:
        break
    data = s.recv(4096) if mode == "notify" else os.read(fd, 4096)
    ok = (b"READY=1" in data.split(b"\n")) if mode == "notify" else bool(data)
t1 = time.monotonic()
os.unlink(path)
if not ok:
    # Not ready: do not leave it running.
    p.terminate()
    p.wait()
    print("timeout %d" % p.pid)
    sys.exit(1)
print("%.2f %d" % ((t1 - t0) * 1000, p.pid))
