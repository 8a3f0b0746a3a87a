"""`acmespec responders` as a standalone process, driven through its management API."""
import json
import socket
import struct
import subprocess
import urllib.request

from pebble import free_port


def call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=5) as resp:
        return resp.status, resp.read()


def txt_query(port, name):
    qname = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    query = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", 16, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        s.sendto(query, ("127.0.0.1", port))
        answer, _ = s.recvfrom(4096)
    assert answer[:2] == b"\x12\x34"
    return answer


def test_standalone_responders(acmespec_bin):
    ports = {name: free_port() for name in ("http", "tls", "dns", "mgmt")}
    proc = subprocess.Popen([str(acmespec_bin), "responders", "--http", f"127.0.0.1:{ports['http']}",
                             "--tls-alpn", f"127.0.0.1:{ports['tls']}", "--dns", f"127.0.0.1:{ports['dns']}",
                             "--management", f"127.0.0.1:{ports['mgmt']}", "--duration", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "responders running" in line, proc.stderr.read() if proc.poll() is not None else line
        status, body = call(ports["mgmt"], "GET", "/health")
        assert status == 200 and json.loads(body)["status"] == "ok"

        call(ports["mgmt"], "POST", "/http-01", {"token": "tok123", "content": "tok123.thumb"})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                f"http://127.0.0.1:{ports['http']}/.well-known/acme-challenge/tok123", timeout=5) as resp:
            assert resp.read() == b"tok123.thumb"

        call(ports["mgmt"], "POST", "/set-txt", {"host": "_acme-challenge.example.test", "value": "digest-value"})
        assert b"digest-value" in txt_query(ports["dns"], "_acme-challenge.example.test")

        status, body = call(ports["mgmt"], "GET", "/history?kind=http")
        history = json.loads(body)
        assert any(h["path"] == "/.well-known/acme-challenge/tok123" for h in history)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "responders stopped" in out


def test_bad_address_is_a_usage_error(run_acmespec):
    r = run_acmespec("responders", "--dns", "nowhere")
    assert r.returncode == 2
    assert "--dns" in r.stderr
