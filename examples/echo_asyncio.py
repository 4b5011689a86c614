# SPDX-License-Identifier: GPL-2.0-only
# 200 echo requests over local sockets, 20 in flight, asyncio: one event loop.
# Example for `ksee compare --cmd` (README, "Comparing your own programs").
import asyncio
import os
import tempfile

REQUESTS, IN_FLIGHT, DELAY = 200, 20, 0.01


async def handle(reader, writer):
    while data := await reader.readline():
        await asyncio.sleep(DELAY)	# the server's "work": 10 ms per request
        writer.write(data)
        await writer.drain()
    writer.close()


async def client(path, n):
    reader, writer = await asyncio.open_unix_connection(path)
    for i in range(n):
        writer.write(b"ping %d\n" % i)
        await writer.drain()
        await reader.readline()
    writer.close()


async def main():
    path = os.path.join(tempfile.mkdtemp(), "echo.sock")
    server = await asyncio.start_unix_server(handle, path)
    await asyncio.gather(*(client(path, REQUESTS // IN_FLIGHT) for _ in range(IN_FLIGHT)))
    server.close()
    os.unlink(path)


asyncio.run(main())
