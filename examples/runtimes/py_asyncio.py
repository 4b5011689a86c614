#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Python asyncio, one event loop: C coroutines, each with its own
# connection to the ioserver, share the R requests.
#
# The claims it speaks to: the kernel sees one thread running all the
# Python code (C1); an await is a return to the loop, not a kernel
# context switch (C2); after an await the coroutine resumes on that same
# thread (C3); while one coroutine computes, every ready reply waits (C5).
import asyncio
import sys

sys.dont_write_bytecode = True    # no __pycache__ beside the programs
import workload    # noqa: E402


async def client(args, stats, ids, after_reply=None):
    """Serve requests from ids one after another on one connection.

    after_reply(args, rid), if given, runs in the coroutine after each
    reply (py_asyncio_blocking.py's synchronous call)."""
    if args.family == workload.socket.AF_UNIX:
        reader, writer = await asyncio.open_unix_connection(args.address)
    else:   # a numeric address: no getaddrinfo, so no executor thread
        reader, writer = await asyncio.open_connection(*args.address)
    for rid in ids:
        stats.started(rid)
        try:
            writer.write(workload.request(rid, args.io_ms))
            reply = await reader.readexactly(workload.MSG.size)
            workload.check_reply(reply, rid)
            if after_reply:
                after_reply(args, rid)
        except (OSError, asyncio.IncompleteReadError) as e:
            stats.done(rid, e)
            break
        stats.replied(rid)
        stats.done(rid)
    writer.close()


async def main(args, client=client, model="py-asyncio"):
    """C clients (at most R) share the request ids; the summary line."""
    stats = workload.Stats(args, model)
    ids = iter(range(args.requests))
    stats.begin()
    results = await asyncio.gather(*(client(args, stats, ids)
                                     for _ in range(min(args.concurrency, args.requests))),
                                   return_exceptions=True)
    errors = [e for e in results if isinstance(e, Exception)]
    if errors:  # the first is enough: the others are mostly the same
        print("%s: %s (server %s)" % (model, errors[0], args.server), file=sys.stderr)
    return stats.finish()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(workload.parse_args(
        "py-asyncio", "Python asyncio: one event loop, C coroutines."))))
