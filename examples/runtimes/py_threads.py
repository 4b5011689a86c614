#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Python threads: a concurrent.futures.ThreadPoolExecutor with N worker
# threads (at most C), each with its own blocking connection.
#
# The claim it speaks to: threads under Python's global interpreter lock
# (GIL) give no CPU parallelism (C6).  The kernel sees N real threads
# that wait for the server in parallel, but only one at a time runs
# Python code: the others sleep in futex waiting for the GIL, so with CPU
# work the parallelism stays near 1.
import concurrent.futures
import sys
import threading

sys.dont_write_bytecode = True    # no __pycache__ beside the programs
import workload    # noqa: E402


def main(args):
    stats = workload.Stats(args, "py-threads")
    local = threading.local()

    def serve(rid):
        if not hasattr(local, "sock"):
            local.sock = workload.connect(args)
        stats.started(rid)
        try:
            local.sock.sendall(workload.request(rid, args.io_ms))
            workload.recv_reply(local.sock, rid)    # the GIL is released while it waits
        except OSError as e:
            local.sock.close()
            del local.sock
            return stats.done(rid, e)
        stats.replied(rid)                          # the work holds the GIL
        stats.done(rid)

    stats.workers = min(args.workers, args.concurrency, args.requests)
    stats.begin()
    with concurrent.futures.ThreadPoolExecutor(max_workers=stats.workers) as pool:
        for rid, f in enumerate([pool.submit(serve, rid) for rid in range(args.requests)]):
            if f.exception():   # no connection at all
                stats.done(rid, "%s (server %s)" % (f.exception(), args.server))
    return stats.finish()


if __name__ == "__main__":
    sys.exit(main(workload.parse_args(
        "py-threads", "Python threads: a ThreadPoolExecutor of N workers.",
        "worker threads (at most C)")))
