#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Python asyncio with the mistake the asyncio notes warn about: a
# synchronous call inside a coroutine.  Each coroutine is py_asyncio.py's,
# but one request in 8 also makes a synchronous call as slow as the
# server's reply, D ms (time.sleep stands for a blocking DNS lookup, a
# file write, a database driver without async support), instead of
# awaiting it.
#
# The claim it speaks to: a blocking call inside a coroutine blocks the
# whole event loop.  The kernel sees the one loop thread asleep in
# epoll_wait, as an event loop should be, but also asleep in nanosleep,
# D ms at a time, during which no other coroutine runs: ksee warns
# loop-blocked when the loop has idle time to show it is a loop.  (Were
# every request made synchronously, or the loop busy computing all the
# time, it would never wait in epoll_wait, and the kernel would see the
# sequential blocking program.)
import asyncio
import sys
import time

sys.dont_write_bytecode = True    # no __pycache__ beside the programs
import py_asyncio    # noqa: E402
import workload    # noqa: E402

SYNC_CALL_EVERY = 8


def blocking_call(args, rid):
    """One request in 8: a synchronous call as slow as the server's reply."""
    if rid % SYNC_CALL_EVERY == SYNC_CALL_EVERY - 1:
        time.sleep(args.io_ms / 1000)   # the mistake: the loop stops here


async def client(args, stats, ids):
    """py_asyncio.py's coroutine, with the blocking call after each reply."""
    await py_asyncio.client(args, stats, ids, after_reply=blocking_call)


if __name__ == "__main__":
    args = workload.parse_args(
        "py-asyncio-blocking",
        "Python asyncio with a blocking call inside the coroutines (the mistake).")
    sys.exit(asyncio.run(py_asyncio.main(args, client, "py-asyncio-blocking")))
