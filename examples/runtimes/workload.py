# SPDX-License-Identifier: GPL-2.0-only
"""The workload every program in examples/runtimes/ shares with the C demos.

Options, the ioserver's wire protocol, the CPU work and the one summary
line; each program keeps only its concurrency model.  See README.md.
"""
import argparse
import math
import resource
import socket
import struct
import sys
import threading
import time

MAGIC = 0x6B736565                  # "ksee"
MSG = struct.Struct("=QII")         # 16 bytes, host byte order: id, delay_ms or status, magic

RANGES = {"requests": (1, 10_000_000), "concurrency": (1, 100_000),
          "io_ms": (0, 60_000), "cpu_us": (0, 10_000_000), "workers": (1, 1024)}


def parse_args(name, about, workers_help="not used by this model"):
    """The C demos' options; a usage error exits 2 (argparse's code)."""
    p = argparse.ArgumentParser(
        prog=name, description=about + " Serves R requests, at most C in flight: "
        "each sends a request to the ioserver, waits D ms for the answer, then "
        "computes for W us. Prints one summary line; exits 1 if any request failed.")
    p.add_argument("-r", "--requests", type=int, default=100, metavar="R",
                   help="requests to serve (default 100)")
    p.add_argument("-c", "--concurrency", type=int, default=10, metavar="C",
                   help="requests in flight at most (default 10)")
    p.add_argument("-d", "--io-ms", type=int, default=20, metavar="D",
                   help="server delay per request in ms (default 20)")
    p.add_argument("-w", "--cpu-us", type=int, default=500, metavar="W",
                   help="CPU work per request in us (default 500)")
    p.add_argument("-n", "--workers", type=int, default=4, metavar="N",
                   help=workers_help + " (default 4)")
    p.add_argument("-s", "--server", required=True, metavar="ADDR",
                   help="ioserver: unix:/path or tcp:127.0.0.1:PORT")
    a = p.parse_args()
    for key, (lo, hi) in RANGES.items():
        if not lo <= getattr(a, key) <= hi:
            p.error("invalid --%s '%d' (want %d..%d)"
                    % (key.replace("_", "-"), getattr(a, key), lo, hi))
    try:
        a.family, a.address = parse_addr(a.server)
    except ValueError:
        p.error("invalid --server '%s' (want unix:/path or tcp:127.0.0.1:PORT)" % a.server)
    return a


def parse_addr(s):
    """unix:/path or tcp:127.0.0.1:PORT as (family, address) for socket.connect."""
    if s.startswith("unix:") and len(s) > 5:
        return socket.AF_UNIX, s[5:]
    if s.startswith("tcp:"):
        host, _, port = s[4:].rpartition(":")
        if host == "127.0.0.1" and port.isdigit() and 0 < int(port) < 65536:
            return socket.AF_INET, (host, int(port))
    raise ValueError(s)


def connect(args):
    """A blocking connection to the server."""
    s = socket.socket(args.family, socket.SOCK_STREAM)
    s.connect(args.address)
    return s


def request(rid, delay_ms):
    return MSG.pack(rid, delay_ms, MAGIC)


def check_reply(data, rid):
    """Raise unless data is the good reply to request rid."""
    if len(data) != MSG.size:
        raise ConnectionResetError("short reply")
    got, status, magic = MSG.unpack(data)
    if magic != MAGIC or got != rid or status != 0:
        raise IOError("bad reply to request %d: id %d status %d" % (rid, got, status))


def recv_reply(sock, rid):
    """Wait for the reply to rid on a blocking socket."""
    data = b""
    while len(data) < MSG.size:
        chunk = sock.recv(MSG.size - len(data))
        if not chunk:
            break
        data += chunk
    check_reply(data, rid)


def cpu_work(us):
    """Compute until this thread's CPU time advanced by us; return the ns it took."""
    t0 = time.thread_time_ns()
    end, x = t0 + us * 1000, 1
    while (now := time.thread_time_ns()) < end:
        for _ in range(50):
            x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return now - t0


class Stats:
    """Per-request times and the summary line, as the C demos print it."""

    def __init__(self, args, model):
        self.args, self.model = args, model
        self.workers = 1
        self.start = [0] * args.requests
        self.lat_ms = [math.nan] * args.requests
        self.wait_ms = [math.nan] * args.requests
        self.work_ns = 0
        self.lock = threading.Lock()    # py_threads updates work_ns from N threads

    def begin(self):
        """Call right before the first request."""
        self.setup_cpu_ms = time.process_time_ns() / 1e6
        self.t0 = time.monotonic_ns()

    def started(self, rid):
        self.start[rid] = time.monotonic_ns()

    def replied(self, rid):
        """The reply to rid came: note the wait, do the CPU work W."""
        self.wait_ms[rid] = (time.monotonic_ns() - self.start[rid]) / 1e6
        ns = cpu_work(self.args.cpu_us)
        with self.lock:
            self.work_ns += ns

    def done(self, rid, err=None):
        if err is not None:
            print("%s: request %d: %s" % (self.model, rid, err), file=sys.stderr)
            return
        self.lat_ms[rid] = (time.monotonic_ns() - self.start[rid]) / 1e6

    def finish(self):
        """Print the summary line; the exit status (1 if any request failed)."""
        a = self.args
        wall_ms = (time.monotonic_ns() - self.t0) / 1e6
        ok = sum(not math.isnan(v) for v in self.lat_ms)
        # all CPU time, the worker processes' too (reaped by now)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_ms = time.process_time_ns() / 1e6 + (children.ru_utime + children.ru_stime) * 1e3
        print("model=%s requests=%d errors=%d wall_ms=%.1f p50_ms=%.2f p99_ms=%.2f "
              "concurrency=%d workers=%d io_ms=%d cpu_us=%d wait_p50_ms=%.3f "
              "wait_p99_ms=%.3f setup_cpu_ms=%.3f work_cpu_ms=%.3f cpu_ms=%.3f"
              % (self.model, ok, a.requests - ok, wall_ms, percentile(self.lat_ms, 50),
                 percentile(self.lat_ms, 99), a.concurrency, self.workers, a.io_ms,
                 a.cpu_us, percentile(self.wait_ms, 50), percentile(self.wait_ms, 99),
                 self.setup_cpu_ms, self.work_ns / 1e6, cpu_ms), flush=True)
        return 0 if ok == a.requests else 1


def percentile(values, p):
    """Nearest rank over the known values, as demos/lib/stats.c; nan if none."""
    v = sorted(x for x in values if not math.isnan(x))
    if not v:
        return math.nan
    return v[min(max(math.ceil(p / 100 * len(v)), 1), len(v)) - 1]
