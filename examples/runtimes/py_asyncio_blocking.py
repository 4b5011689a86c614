#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Python asyncio with the mistake the asyncio notes warn about: the
# coroutines call a synchronous client (a blocking socket recv) instead
# of awaiting the reply.  It is py_asyncio.py with its client changed.
#
# The claim it speaks to: a blocking call inside a coroutine blocks the
# whole event loop.  The kernel sees the one loop thread asleep in a
# read of the socket for D ms per request, one request after another:
# C coroutines, but no concurrency (wall time near R x (D + W)).
import asyncio
import sys

sys.dont_write_bytecode = True    # no __pycache__ beside the programs
import py_asyncio    # noqa: E402
import workload    # noqa: E402


def sync_call(sock, rid, delay_ms):
    """What a synchronous client library does: send, then wait for the reply."""
    sock.sendall(workload.request(rid, delay_ms))
    workload.recv_reply(sock, rid)


async def client(args, stats, ids):
    """Serve requests from ids one after another on one connection."""
    sock = workload.connect(args)
    for rid in ids:
        stats.started(rid)
        try:
            sync_call(sock, rid, args.io_ms)    # the mistake: no await, the loop stops here
        except OSError as e:
            stats.done(rid, e)
            break
        stats.replied(rid)
        stats.done(rid)
        await asyncio.sleep(0)                  # let the other coroutines run
    sock.close()


if __name__ == "__main__":
    args = workload.parse_args(
        "py-asyncio-blocking",
        "Python asyncio with a blocking call inside the coroutines (the mistake).")
    sys.exit(asyncio.run(py_asyncio.main(args, client, "py-asyncio-blocking")))
