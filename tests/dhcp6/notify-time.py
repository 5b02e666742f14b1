#!/usr/bin/env python3
# notify-time.py TIMEOUT CMD...: runs CMD with $NOTIFY_SOCKET pointing at a
# socket of our own and prints "SECONDS RSS_KIB": the time from spawning CMD
# to its READY=1, and its resident memory then.  Then sends it SIGTERM and
# waits for it.  Exit 1 (and "fail") when CMD ends or TIMEOUT passes first.
import atexit, os, signal, socket, subprocess, sys, tempfile, time

timeout = float(sys.argv[1])
cmd = sys.argv[2:]
d = tempfile.mkdtemp(prefix="nh-notify.")
path = os.path.join(d, "notify")


def remove_socket_dir():
    try:
        os.unlink(path)
    except OSError:
        pass
    try:
        os.rmdir(d)
    except OSError:
        pass


# Interrupted or failing, the socket and its directory go as well.
atexit.register(remove_socket_dir)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(0.05)
env = dict(os.environ, NOTIFY_SOCKET=path)
t0 = time.monotonic()
p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ready = None
while ready is None and time.monotonic() - t0 < timeout:
    try:
        msg = s.recv(4096).decode(errors="replace")
        if "READY=1" in msg.splitlines():
            ready = time.monotonic() - t0
    except socket.timeout:
        if p.poll() is not None:
            break
rss = 0
if ready is not None:
    try:
        with open("/proc/%d/status" % p.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
if p.poll() is None:
    p.send_signal(signal.SIGTERM)
    p.wait()
if ready is None:
    print("fail")
    sys.exit(1)
print("%.4f %d" % (ready, rss))
