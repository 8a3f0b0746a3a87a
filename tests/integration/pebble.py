"""Run Debian's Pebble (Let's Encrypt's test ACME server) for integration tests.

Two pieces:

* `make_pebble_ca(dir)` generates a throwaway CA and a TLS server certificate for
  localhost / 127.0.0.1 / ::1. Pebble serves its ACME API and its management
  interface with that certificate, so the CA PEM is the bundle clients must trust.
  (This CA is unrelated to the CA Pebble issues ACME certificates from: that one
  is regenerated at every launch and fetched with `PebbleServer.roots_pem()`.)
* `PebbleServer`, a context manager that writes a config, starts `/usr/bin/pebble`
  on free loopback ports, waits until the directory answers, and stops it again.

Only the standard library and `cryptography` are used.
"""
from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import itertools
import json
import os
import pathlib
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from typing import Mapping, Optional

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PEBBLE_BIN = "/usr/bin/pebble"
DEFAULT_DNS_SERVER = "127.0.0.1:8053"
DEFAULT_HTTP_PORT = 5002
DEFAULT_TLS_PORT = 5001
STARTUP_TIMEOUT = 20.0
STOP_GRACE = 5.0
REQUEST_TIMEOUT = 5.0
LOG_TAIL_BYTES = 4000


class PebbleError(RuntimeError):
    """Pebble could not be started, or did not answer as expected."""


# --------------------------------------------------------------------------- TLS material


@dataclasses.dataclass(frozen=True)
class PebbleCA:
    """Paths of the throwaway TLS material Pebble's HTTPS listeners use."""

    directory: pathlib.Path
    ca_cert: pathlib.Path   # PEM bundle for clients: the only thing that makes Pebble trusted
    ca_key: pathlib.Path    # kept so further loopback certificates could be signed later
    cert: pathlib.Path      # server certificate: localhost, 127.0.0.1, ::1
    key: pathlib.Path

    @property
    def bundle(self) -> pathlib.Path:
        return self.ca_cert


def _write_private_key(path: pathlib.Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    # Created with 0600 from the start so the key is never briefly world-readable.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(path, 0o600)


def make_pebble_ca(directory: os.PathLike, *, days: int = 7) -> PebbleCA:
    """Generate a P-256 CA and a server certificate for loopback into `directory`."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    # Backdated a little so small clock differences between processes do not matter.
    not_before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    not_after = not_before + datetime.timedelta(days=days)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acmespec test TLS CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    paths = PebbleCA(directory=directory, ca_cert=directory / "ca.pem", ca_key=directory / "ca.key",
                     cert=directory / "cert.pem", key=directory / "key.pem")
    paths.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_private_key(paths.ca_key, ca_key)
    _write_private_key(paths.key, key)
    return paths


# --------------------------------------------------------------------------- HTTPS helpers


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def tls_context(cafile: Optional[os.PathLike]) -> ssl.SSLContext:
    """A verifying client context trusting only `cafile` (or the system store when None)."""
    return ssl.create_default_context(cafile=str(cafile) if cafile is not None else None)


# Loopback traffic must never be sent to a proxy named in the environment.
_NO_PROXY = urllib.request.ProxyHandler({})


def https_request(url: str, *, cafile: Optional[os.PathLike], method: str = "GET",
                  timeout: float = REQUEST_TIMEOUT, data: Optional[bytes] = None,
                  headers: Optional[Mapping[str, str]] = None):
    """Open `url` with verification against `cafile`; returns the urllib response.

    HTTP error statuses come back as `urllib.error.HTTPError`, which is also a
    response object; TLS and connection failures raise `urllib.error.URLError`.
    """
    opener = urllib.request.build_opener(_NO_PROXY,
                                         urllib.request.HTTPSHandler(context=tls_context(cafile)))
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    return opener.open(req, timeout=timeout)


# --------------------------------------------------------------------------- the server

_instances = itertools.count()


class PebbleServer:
    """One Pebble process on free loopback ports, as a context manager.

    `deterministic=True` sets PEBBLE_WFE_NONCEREJECT=0 and PEBBLE_AUTHZREUSE=0, so
    no valid nonce is refused and every order gets fresh authorizations. With
    `deterministic=False` both are left unset and Pebble applies its own chaos
    defaults (5 % of nonces rejected, 50 % authorization reuse). `nonce_reject`
    and `authz_reuse` (0..100) override either mode. Any PEBBLE_* variable of the
    calling environment is dropped so runs do not depend on the caller's shell.
    """

    def __init__(self, ca: PebbleCA, workdir: os.PathLike, *,
                 dns_server: str = DEFAULT_DNS_SERVER,
                 http_port: int = DEFAULT_HTTP_PORT,
                 tls_port: int = DEFAULT_TLS_PORT,
                 deterministic: bool = True,
                 nonce_reject: Optional[int] = None,
                 authz_reuse: Optional[int] = None,
                 always_valid: bool = False,
                 eab_required: bool = False,
                 eab_mac_keys: Optional[Mapping[str, str]] = None,
                 strict: bool = False,
                 extra_env: Optional[Mapping[str, str]] = None,
                 binary: os.PathLike = PEBBLE_BIN,
                 startup_timeout: float = STARTUP_TIMEOUT,
                 stop_grace: float = STOP_GRACE):
        self.ca = ca
        self.workdir = pathlib.Path(workdir)
        self.dns_server = dns_server
        self.http_port = http_port
        self.tls_port = tls_port
        self.eab_required = eab_required
        self.eab_mac_keys = dict(eab_mac_keys or {})
        self.strict = strict
        self.binary = str(binary)
        self.startup_timeout = startup_timeout
        self.stop_grace = stop_grace
        self.env_overrides = self._pebble_env(deterministic, nonce_reject, authz_reuse,
                                              always_valid, extra_env)
        self.port: Optional[int] = None
        self.management_port: Optional[int] = None
        self.process: Optional[subprocess.Popen] = None
        self._log_file = None
        name = f"pebble-{next(_instances)}"
        self.config_path = self.workdir / f"{name}.json"
        self.log_path = self.workdir / f"{name}.log"

    @staticmethod
    def _pebble_env(deterministic, nonce_reject, authz_reuse, always_valid, extra_env):
        env = {"PEBBLE_VA_NOSLEEP": "1"}
        for var, value in (("PEBBLE_WFE_NONCEREJECT", nonce_reject),
                           ("PEBBLE_AUTHZREUSE", authz_reuse)):
            if value is not None:
                if not 0 <= int(value) <= 100:
                    raise ValueError(f"{var} must be a percentage, got {value}")
                env[var] = str(int(value))
            elif deterministic:
                env[var] = "0"
        if always_valid:
            env["PEBBLE_VA_ALWAYS_VALID"] = "1"
        env.update(extra_env or {})
        return env

    # -- addresses -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        self._require_ports()
        return f"https://127.0.0.1:{self.port}"

    @property
    def directory_url(self) -> str:
        return f"{self.base_url}/dir"

    @property
    def management_url(self) -> str:
        self._require_ports()
        return f"https://127.0.0.1:{self.management_port}"

    @property
    def ca_bundle(self) -> pathlib.Path:
        """The PEM file that makes Pebble's API and management interface trusted."""
        return self.ca.ca_cert

    @property
    def pid(self) -> Optional[int]:
        return self.process.pid if self.process is not None else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _require_ports(self) -> None:
        if self.port is None:
            raise PebbleError("Pebble has not been started")

    # -- lifecycle -----------------------------------------------------------------------

    def config(self) -> dict:
        """The configuration document as it is written for the current ports."""
        self._require_ports()
        body = {
            "listenAddress": f"127.0.0.1:{self.port}",
            "managementListenAddress": f"127.0.0.1:{self.management_port}",
            "certificate": str(self.ca.cert),
            "privateKey": str(self.ca.key),
            "httpPort": self.http_port,
            "tlsPort": self.tls_port,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": self.eab_required,
        }
        if self.eab_mac_keys:
            body["externalAccountMACKeys"] = self.eab_mac_keys
        return {"pebble": body}

    def command(self) -> list:
        cmd = [self.binary, "-config", str(self.config_path), "-dnsserver", self.dns_server]
        if self.strict:
            cmd.append("-strict")
        return cmd

    def start(self) -> "PebbleServer":
        if self.running():
            return self
        self.workdir.mkdir(parents=True, exist_ok=True)
        # A port found free can be taken by someone else before Pebble binds it; when
        # that is what went wrong, pick new ports and try again a couple of times.
        for attempt in range(3):
            self.port, self.management_port = free_port(), free_port()
            while self.management_port == self.port:
                self.management_port = free_port()
            self.config_path.write_text(json.dumps(self.config(), indent=2))
            self._spawn()
            try:
                self._wait_ready()
                return self
            except PebbleError:
                exited = not self.running()
                self.stop()
                if attempt < 2 and exited and "address already in use" in self.log_tail():
                    continue
                raise
        raise AssertionError("unreachable")

    def _spawn(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEBBLE_")}
        env.update(self.env_overrides)
        self._log_file = open(self.log_path, "ab")
        self._log_file.write(f"$ {' '.join(self.command())}\n".encode())
        self._log_file.flush()
        try:
            # Its own session: a Ctrl-C aimed at pytest must not reach Pebble before
            # teardown gets to stop it in order.
            self.process = subprocess.Popen(self.command(), env=env, cwd=self.workdir,
                                            stdin=subprocess.DEVNULL, stdout=self._log_file,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as e:
            self._close_log()
            raise PebbleError(f"cannot run {self.binary}: {e}") from e

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last = "no attempt made"
        while True:
            code = self.process.poll()
            if code is not None:
                raise PebbleError(f"pebble exited with status {code} before answering "
                                  f"{self.directory_url}\n--- {self.log_path} (tail) ---\n"
                                  f"{self.log_tail()}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PebbleError(f"pebble did not answer {self.directory_url} with 200 within "
                                  f"{self.startup_timeout:.0f} s (last: {last})\n"
                                  f"--- {self.log_path} (tail) ---\n{self.log_tail()}")
            try:
                with https_request(self.directory_url, cafile=self.ca_bundle,
                                   timeout=max(0.1, min(2.0, remaining))) as resp:
                    if resp.status == 200:
                        return
                    last = f"HTTP {resp.status}"
            except urllib.error.HTTPError as e:
                last = f"HTTP {e.code}"
            except (urllib.error.URLError, OSError) as e:
                last = str(getattr(e, "reason", e))
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a grace period; always reaps the process."""
        proc = self.process
        if proc is not None and proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=self.stop_grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_GRACE)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> "PebbleServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- inspection ----------------------------------------------------------------------

    def log_tail(self, limit: int = LOG_TAIL_BYTES) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return "(no log)"
        return data[-limit:].decode("utf-8", "replace")

    def _management_get(self, path: str, timeout: float) -> str:
        try:
            with https_request(self.management_url + path, cafile=self.ca_bundle,
                               timeout=timeout) as resp:
                return resp.read(1 << 20).decode("ascii")
        except urllib.error.URLError as e:
            raise PebbleError(f"GET {self.management_url}{path} failed: {e}") from e

    def roots_pem(self, index: int = 0, *, timeout: float = REQUEST_TIMEOUT) -> str:
        """PEM of the root Pebble issues ACME certificates under (new at every launch)."""
        return self._management_get(f"/roots/{index}", timeout)

    def intermediates_pem(self, index: int = 0, *, timeout: float = REQUEST_TIMEOUT) -> str:
        """PEM of the intermediate that signs Pebble's ACME certificates."""
        return self._management_get(f"/intermediates/{index}", timeout)

    def directory(self, *, timeout: float = REQUEST_TIMEOUT) -> dict:
        with https_request(self.directory_url, cafile=self.ca_bundle, timeout=timeout) as resp:
            return json.loads(resp.read(1 << 20))
