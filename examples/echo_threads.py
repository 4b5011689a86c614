# SPDX-License-Identifier: GPL-2.0-only
# 200 echo requests over local sockets, 20 in flight, a thread per
# connection on each side. Example for `ksee compare --cmd` (README).
import os
import socket
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

REQUESTS, IN_FLIGHT, DELAY = 200, 20, 0.01


def handle(conn):
    with conn, conn.makefile("rb") as r:
        for line in r:
            time.sleep(DELAY)	# the server's "work": 10 ms per request
            conn.sendall(line)


def serve(sock):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def client(path, n):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        r = s.makefile("rb")
        for i in range(n):
            s.sendall(b"ping %d\n" % i)
            r.readline()


path = os.path.join(tempfile.mkdtemp(), "echo.sock")
server = socket.socket(socket.AF_UNIX)
server.bind(path)
server.listen(IN_FLIGHT)
threading.Thread(target=serve, args=(server,), daemon=True).start()
with ThreadPoolExecutor(IN_FLIGHT) as pool:
    for _ in range(IN_FLIGHT):
        pool.submit(client, path, REQUESTS // IN_FLIGHT)
server.close()
os.unlink(path)
