#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Python multiprocessing: a Pool of N worker processes (at most C), each
# with its own blocking connection; the parent hands out the requests
# and collects the times.
#
# The claim it speaks to: several processes give real CPU parallelism
# (C9), as each has its own interpreter and its own GIL.  The kernel
# sees N + 1 processes (the workers are forked, never exec'd), whose CPU
# work overlaps: parallelism above 1 when CPUs are free.
import multiprocessing
import sys
import time

sys.dont_write_bytecode = True    # no __pycache__ beside the programs
import workload    # noqa: E402

conn = None     # this worker process's connection


def serve(job):
    """One request in a worker: (rid, start_ns, wait_ns, work_ns, end_ns, error)."""
    global conn
    args, rid = job
    start = time.monotonic_ns()
    try:
        if conn is None:
            conn = workload.connect(args)
        conn.sendall(workload.request(rid, args.io_ms))
        workload.recv_reply(conn, rid)
    except OSError as e:
        conn = None
        return rid, start, 0, 0, 0, "%s (server %s)" % (e, args.server)
    wait = time.monotonic_ns()
    work = workload.cpu_work(args.cpu_us)
    return rid, start, wait - start, work, time.monotonic_ns(), None


def main(args):
    stats = workload.Stats(args, "py-procs")
    stats.workers = min(args.workers, args.concurrency, args.requests)
    # fork, not spawn or forkserver: N + 1 processes, no helper process
    ctx = multiprocessing.get_context("fork")
    stats.begin()
    with ctx.Pool(stats.workers) as pool:
        jobs = ((args, rid) for rid in range(args.requests))
        for rid, start, wait, work, end, err in pool.imap_unordered(serve, jobs):
            stats.start[rid] = start
            if err:
                stats.done(rid, err)
                continue
            stats.wait_ms[rid] = wait / 1e6
            stats.lat_ms[rid] = (end - start) / 1e6
            stats.work_ns += work
        pool.close()    # the workers exit on their own, and are reaped
        pool.join()
    return stats.finish()


if __name__ == "__main__":
    sys.exit(main(workload.parse_args(
        "py-procs", "Python multiprocessing: a Pool of N worker processes.",
        "worker processes (at most C)")))
