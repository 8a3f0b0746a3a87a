"""The Pebble fixtures themselves: TLS trust, directory, nonces, chain, lifecycle, options."""
import json
import os
import re
import socket
import ssl
import stat
import urllib.error

import pytest
from cryptography import x509

from pebble import PebbleError, PebbleServer, https_request

TIMEOUT = 5.0
NONCE = re.compile(r"^[A-Za-z0-9_-]+$")


def _environ_of(pid):
    raw = open(f"/proc/{pid}/environ", "rb").read()
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)


def test_tls_material_is_loopback_and_private(pebble_ca):
    cert = x509.load_pem_x509_certificate(pebble_ca.cert.read_bytes())
    ca = x509.load_pem_x509_certificate(pebble_ca.ca_cert.read_bytes())
    assert cert.issuer == ca.subject
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["localhost"]
    assert {str(ip) for ip in sans.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    for key in (pebble_ca.key, pebble_ca.ca_key):
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600


def test_directory_lists_the_rfc8555_resources(pebble):
    with https_request(pebble.directory_url, cafile=pebble.ca_bundle, timeout=TIMEOUT) as resp:
        assert resp.status == 200
        directory = json.loads(resp.read())
    for name in ("newNonce", "newAccount", "newOrder", "revokeCert", "keyChange"):
        assert directory[name].startswith(pebble.base_url + "/"), name


def test_the_ca_bundle_is_what_makes_tls_verify(pebble):
    # The system store (what a client gets by default) must not trust Pebble ...
    with pytest.raises(urllib.error.URLError) as failure:
        https_request(pebble.directory_url, cafile=None, timeout=TIMEOUT).close()
    assert isinstance(failure.value.reason, ssl.SSLCertVerificationError)
    # ... and the same request verifies once the generated bundle is trusted.
    with https_request(pebble.directory_url, cafile=pebble.ca_bundle, timeout=TIMEOUT) as resp:
        assert resp.status == 200


def test_head_new_nonce_returns_fresh_nonces(pebble):
    url = pebble.directory(timeout=TIMEOUT)["newNonce"]
    nonces = []
    for _ in range(2):
        with https_request(url, cafile=pebble.ca_bundle, method="HEAD", timeout=TIMEOUT) as resp:
            assert resp.status == 200
            nonce = resp.headers.get("Replay-Nonce")
            assert nonce and NONCE.match(nonce), nonce
            nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_roots_and_intermediates_form_a_chain(pebble):
    root_pem = pebble.roots_pem(timeout=TIMEOUT)
    assert root_pem.lstrip().startswith("-----BEGIN CERTIFICATE-----")
    root = x509.load_pem_x509_certificate(root_pem.encode())
    assert root.subject == root.issuer
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    intermediate = x509.load_pem_x509_certificate(pebble.intermediates_pem(timeout=TIMEOUT).encode())
    assert intermediate.issuer == root.subject
    # Pebble's ACME CA is its own, not the TLS CA generated for the API.
    tls_ca = x509.load_pem_x509_certificate(pebble.ca_bundle.read_bytes())
    assert root.subject != tls_ca.subject


def test_process_is_gone_after_the_context_exits(pebble_ca, tmp_path):
    with PebbleServer(pebble_ca, tmp_path) as server:
        pid, port = server.pid, server.port
        assert server.running()
        os.kill(pid, 0)  # exists
    assert not server.running()
    assert server.process.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT).close()
    assert "Listening on" in server.log_path.read_text()


def test_modes_set_the_chaos_knobs(pebble_factory):
    deterministic = _environ_of(pebble_factory().pid)
    assert deterministic["PEBBLE_WFE_NONCEREJECT"] == "0"
    assert deterministic["PEBBLE_AUTHZREUSE"] == "0"
    assert deterministic["PEBBLE_VA_NOSLEEP"] == "1"
    assert "PEBBLE_VA_ALWAYS_VALID" not in deterministic

    chaos = _environ_of(pebble_factory(deterministic=False, always_valid=True).pid)
    assert "PEBBLE_WFE_NONCEREJECT" not in chaos
    assert "PEBBLE_AUTHZREUSE" not in chaos
    assert chaos["PEBBLE_VA_ALWAYS_VALID"] == "1"


def test_config_carries_ports_dns_and_eab(pebble_factory):
    server = pebble_factory(http_port=5080, tls_port=5443, dns_server="127.0.0.1:5353",
                            eab_required=True, eab_mac_keys={"kid-a": "c2VjcmV0LWhtYWMta2V5LWZvci10ZXN0cw"})
    written = json.loads(server.config_path.read_text())["pebble"]
    assert written["httpPort"] == 5080 and written["tlsPort"] == 5443
    assert written["listenAddress"] == f"127.0.0.1:{server.port}"
    assert written["managementListenAddress"] == f"127.0.0.1:{server.management_port}"
    assert written["ocspResponderURL"] == ""
    assert "-dnsserver 127.0.0.1:5353" in " ".join(server.command())
    assert server.directory(timeout=TIMEOUT)["meta"]["externalAccountRequired"] is True


def test_factory_servers_do_not_collide(pebble_factory):
    a, b = pebble_factory(), pebble_factory()
    assert len({a.port, a.management_port, b.port, b.management_port}) == 4
    assert a.roots_pem(timeout=TIMEOUT) != b.roots_pem(timeout=TIMEOUT)


def test_a_server_that_dies_at_start_fails_with_its_log(pebble_ca, tmp_path):
    server = PebbleServer(pebble_ca, tmp_path, binary="/bin/false", startup_timeout=5)
    with pytest.raises(PebbleError, match="exited with status 1") as failure:
        server.start()
    assert str(server.log_path) in str(failure.value)
    assert not server.running()


def test_a_server_that_never_answers_is_bounded_and_killed(pebble_ca, tmp_path):
    # Ignores SIGTERM (inherited by the exec'd sleep), so only the SIGKILL fallback ends it.
    fake = tmp_path / "silent-pebble"
    fake.write_text("#!/bin/sh\necho pretending to start\ntrap '' TERM\nexec sleep 60\n")
    fake.chmod(0o755)
    server = PebbleServer(pebble_ca, tmp_path, binary=fake, startup_timeout=1, stop_grace=0.5)
    with pytest.raises(PebbleError, match="did not answer .* within 1 s") as failure:
        server.start()
    assert "pretending to start" in str(failure.value)
    assert server.process.returncode == -9
