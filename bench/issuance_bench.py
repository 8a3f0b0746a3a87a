#!/usr/bin/python3
"""Issuance throughput of the mock CA and of Debian's Pebble, with one driver.

Not a test: it prints figures.  Each flow is a full issuance: new account,
new order, HTTP-01 validation (served by this script), finalize, download.
Both servers run on loopback on free ports and resolve names through
`acmespec responders` (DNS only is used).  For each server and each
concurrency it prints flows/s, p50 and p99 flow latency, the server's CPU time
per flow and its peak RSS (VmHWM), then the ratios.

flows/s counts the whole machine: driver, server and validation share its
cores, so on a small machine the Python driver bounds it for a fast server.
Server CPU per flow (utime + stime of the server process, from /proc) is the
figure that compares the servers themselves.

--soak N runs N flows against the mock CA alone (concurrency 8)
and prints its RSS every N/10 flows: the memory a long-running mock CA needs.

    bench/issuance_bench.py --acmespec build/default/bin/acmespec [--flows 40] [--concurrency 1 8]
    bench/issuance_bench.py --acmespec build/default/bin/acmespec --soak 10000
"""
import argparse
import base64
import concurrent.futures
import hashlib
import http.client
import http.server
import json
import os
import pathlib
import secrets
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.x509.oid import NameOID

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "integration"))
from pebble import PebbleServer, free_port, make_pebble_ca  # noqa: E402

POLL_INTERVAL = 0.02
MAX_POLLS = 500
TIMEOUT = 30


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Tokens(http.server.BaseHTTPRequestHandler):
    table = {}
    lock = threading.Lock()

    def do_GET(self):
        token = self.path.rsplit("/", 1)[-1]
        with self.lock:
            body = self.table.get(token)
        self.send_response(200 if body else 404)
        data = (body or "not found").encode()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class Flow:
    """One ACME client: its own key and its own keep-alive connection."""

    def __init__(self, directory, cafile):
        self.dir_url = directory
        u = urllib.parse.urlsplit(directory)
        self.host, self.port = u.hostname, u.port
        self.ctx = ssl.create_default_context(cafile=str(cafile))
        self.conn = None
        self.key = ec.generate_private_key(ec.SECP256R1())
        nums = self.key.public_key().public_numbers()
        self.jwk = {"crv": "P-256", "kty": "EC", "x": b64(nums.x.to_bytes(32, "big")), "y": b64(nums.y.to_bytes(32, "big"))}
        self.thumb = b64(hashlib.sha256(json.dumps(self.jwk, separators=(",", ":"), sort_keys=True).encode()).digest())
        self.kid = None
        self.nonce = None

    def request(self, method, url, body=None, headers=None):
        path = urllib.parse.urlsplit(url)
        target = path.path + ("?" + path.query if path.query else "")
        for attempt in range(3):
            if self.conn is None:
                self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=TIMEOUT)
            try:
                self.conn.request(method, target, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return resp, data
            except (http.client.HTTPException, ConnectionError, ssl.SSLError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")

    def post(self, url, payload):
        for _ in range(5):
            if self.nonce is None:
                resp, _ = self.request("HEAD", self.directory["newNonce"])
                self.nonce = resp.getheader("Replay-Nonce")
            header = {"alg": "ES256", "nonce": self.nonce, "url": url}
            if self.kid:
                header["kid"] = self.kid
            else:
                header["jwk"] = self.jwk
            protected = b64(json.dumps(header).encode())
            body_b64 = "" if payload is None else b64(json.dumps(payload).encode())
            der = self.key.sign(f"{protected}.{body_b64}".encode(), ec.ECDSA(hashes.SHA256()))
            r, s = utils.decode_dss_signature(der)
            sig = b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
            jws = json.dumps({"protected": protected, "payload": body_b64, "signature": sig})
            resp, data = self.request("POST", url, jws, {"Content-Type": "application/jose+json"})
            self.nonce = resp.getheader("Replay-Nonce")
            if resp.status == 400 and b"badNonce" in data:
                continue
            return resp, data
        raise RuntimeError("too many badNonce answers")

    def poll(self, url, want):
        for _ in range(MAX_POLLS):
            resp, data = self.post(url, None)
            obj = json.loads(data)
            if obj["status"] in want:
                return obj
            if obj["status"] == "invalid":
                raise RuntimeError(f"{url} went invalid: {obj}")
            time.sleep(POLL_INTERVAL)
        raise RuntimeError(f"{url} stayed {obj['status']}")

    def issue(self, name):
        resp, data = self.request("GET", self.dir_url)
        self.directory = json.loads(data)
        resp, data = self.post(self.directory["newAccount"], {"termsOfServiceAgreed": True})
        assert resp.status in (200, 201), data
        self.kid = resp.getheader("Location")
        resp, data = self.post(self.directory["newOrder"], {"identifiers": [{"type": "dns", "value": name}]})
        assert resp.status == 201, data
        order_url, order = resp.getheader("Location"), json.loads(data)
        for authz_url in order["authorizations"]:
            _, data = self.post(authz_url, None)
            chall = next(c for c in json.loads(data)["challenges"] if c["type"] == "http-01")
            with Tokens.lock:
                Tokens.table[chall["token"]] = f"{chall['token']}.{self.thumb}"
            self.post(chall["url"], {})
            self.poll(authz_url, {"valid"})
        cert_key = ec.generate_private_key(ec.SECP256R1())
        csr = (x509.CertificateSigningRequestBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
               .sign(cert_key, hashes.SHA256()))
        resp, data = self.post(order["finalize"], {"csr": b64(csr.public_bytes(serialization.Encoding.DER))})
        assert resp.status == 200, data
        done = self.poll(order_url, {"valid"})
        resp, data = self.post(done["certificate"], None)
        assert resp.status == 200 and b"BEGIN CERTIFICATE" in data, data
        if self.conn:
            self.conn.close()


def status_kib(pid, field):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def peak_rss_kib(pid):
    return status_kib(pid, "VmHWM")


def cpu_seconds(pid):
    """utime + stime of a process and of its children it has waited for, in seconds."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def one_flow(args):
    directory, cafile, i = args
    start = time.perf_counter()
    Flow(directory, cafile).issue(f"f{i}-{secrets.token_hex(4)}.bench.test")
    return time.perf_counter() - start


def run(directory, cafile, flows, concurrency, pid):
    latencies = []
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        for lat in pool.map(one_flow, [(directory, cafile, i) for i in range(flows)]):
            latencies.append(lat)
    wall = time.perf_counter() - started
    cpu_ms = (cpu_seconds(pid) - cpu_before) * 1000 / flows
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return flows / wall, statistics.median(latencies), p99, cpu_ms


def soak(directory, cafile, flows, pid):
    """N flows at concurrency 8 against the mock CA; prints its RSS every N/10 flows."""
    step = max(1, flows // 10)
    done = 0
    started = time.perf_counter()
    print(f"mock-ca soak: {flows} flows, RSS before {status_kib(pid, 'VmRSS') / 1024:.1f} MiB", flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        while done < flows:
            batch = min(step, flows - done)
            list(pool.map(one_flow, [(directory, cafile, done + i) for i in range(batch)]))
            done += batch
            print(f"  after {done:6d} flows ({time.perf_counter() - started:6.1f} s): RSS "
                  f"{status_kib(pid, 'VmRSS') / 1024:6.1f} MiB, peak {peak_rss_kib(pid) / 1024:6.1f} MiB", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--acmespec", default="build/default/bin/acmespec")
    ap.add_argument("--flows", type=int, default=40, help="flows per measurement")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--skip-pebble", action="store_true")
    ap.add_argument("--mock-ca-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for `acmespec mock-ca` (repeat)")
    ap.add_argument("--soak", type=int, default=0, metavar="N", help="run N flows against the mock CA alone, printing RSS")
    args = ap.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="acmespec-bench-"))
    http_port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), Tokens)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    dns_port = free_port()
    responders = subprocess.Popen([args.acmespec, "responders", "--dns", f"127.0.0.1:{dns_port}",
                                   "--http", f"127.0.0.1:{free_port()}", "--tls-alpn", f"127.0.0.1:{free_port()}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    procs = [responders]
    results = {}
    try:
        mock_port = free_port()
        bundle = work / "mock-ca-bundle.pem"
        mock = subprocess.Popen([args.acmespec, "mock-ca", "--listen", f"127.0.0.1:{mock_port}", "--ca-bundle-out",
                                 str(bundle), "--http-port", str(http_port), "--dns-server", f"127.0.0.1:{dns_port}", *args.mock_ca_arg],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        procs.append(mock)
        directory = mock.stdout.readline().split(" ", 1)[1].strip()
        targets = [("mock-ca", directory, bundle, mock.pid)]
        if args.soak:
            soak(directory, bundle, args.soak, mock.pid)
            return
        if not args.skip_pebble:
            pebble = PebbleServer(make_pebble_ca(work / "pebble-ca"), work / "pebble", dns_server=f"127.0.0.1:{dns_port}",
                                  http_port=http_port).start()
            targets.append(("pebble", pebble.directory_url, pebble.ca_bundle, pebble.pid))
        for name, url, cafile, pid in targets:
            for c in args.concurrency:
                rate, p50, p99, cpu_ms = run(url, cafile, args.flows, c, pid)
                results[(name, c)] = (rate, cpu_ms)
                print(f"{name:8s} concurrency {c}: {rate:7.1f} flows/s  p50 {p50 * 1000:7.1f} ms  "
                      f"p99 {p99 * 1000:7.1f} ms  server CPU {cpu_ms:6.2f} ms/flow  "
                      f"peak RSS {peak_rss_kib(pid) / 1024:6.1f} MiB", flush=True)
        for c in args.concurrency:
            if ("pebble", c) in results:
                (mr, mc), (pr, pc) = results[("mock-ca", c)], results[("pebble", c)]
                print(f"concurrency {c}: flows/s mock-ca/pebble {mr / pr:.2f}x, "
                      f"server CPU per flow pebble/mock-ca {pc / mc:.2f}x")
    finally:
        if not args.skip_pebble and "pebble" in locals():
            pebble.stop()
        for p in procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        httpd.shutdown()


if __name__ == "__main__":
    main()
