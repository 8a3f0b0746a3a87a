"""A small HTTP server that misbehaves on purpose, for robustness tests.

It speaks just enough HTTP/1.1 over plain TCP on loopback. The mode decides
what every request gets:

  silent    accepts and never answers
  reset     accepts, reads the request and resets the connection
  drip      answers one byte every 200 ms, forever
  huge      announces and streams a 100 MiB body
  nested    a 200 JSON body nested 100000 levels deep
  garbage   random bytes instead of a status line
  acme-500  a valid ACME directory, then HTTP 500 with garbage for everything else
  acme-html a valid ACME directory, then 200 text/html for everything else
"""
import json
import os
import socket
import struct
import threading
import time


class MisbehavingServer:
    def __init__(self, mode):
        self.mode = mode
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.threads = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/dir"

    def __enter__(self):
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self.threads.append(t)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.sock.close()

    def _accept(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()

    def _read_request(self, conn):
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip() or 0)
        while len(rest) < length:
            chunk = conn.recv(4096)
            if not chunk:
                break
            rest += chunk
        return lines[0] if lines else ""

    def _send(self, conn, status, body, content_type="application/json", extra=""):
        conn.sendall((f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                      f"Connection: close\r\n{extra}\r\n").encode() + body)

    def _directory(self):
        base = f"http://127.0.0.1:{self.port}"
        return json.dumps({"newNonce": base + "/nonce", "newAccount": base + "/acct", "newOrder": base + "/order",
                           "revokeCert": base + "/revoke", "keyChange": base + "/key"}).encode()

    def _serve(self, conn):
        try:
            request_line = self._read_request(conn)
            mode = self.mode
            if mode == "silent":
                self.stopping.wait(60)
            elif mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif mode == "drip":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
                while not self.stopping.is_set():
                    conn.sendall(b"{")
                    time.sleep(0.2)
            elif mode == "huge":
                size = 100 << 20
                conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n".encode())
                chunk = b" " * 65536
                for _ in range(size // len(chunk)):
                    if self.stopping.is_set():
                        break
                    conn.sendall(chunk)
            elif mode == "nested":
                self._send(conn, 200, b"[" * 100000 + b"]" * 100000)
            elif mode == "garbage":
                conn.sendall(os.urandom(4096))
            elif mode.startswith("acme-"):
                if request_line.startswith("GET /dir "):
                    self._send(conn, 200, self._directory())
                elif mode == "acme-500":
                    self._send(conn, 500, os.urandom(512), content_type="application/octet-stream")
                else:
                    self._send(conn, 200, b"<html>hello</html>", content_type="text/html",
                               extra="Replay-Nonce: bm9uY2U\r\n")
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass
