#!/usr/bin/python3
"""Writes the seed certificates of tls_alpn_cert_fuzzer into corpus/tls_alpn_cert_fuzzer/.

Each seed is a DER certificate for the identifiers and key authorization that
fuzz/tls_alpn_cert_support.cc judges, named by the one rule it keeps or breaks.
Run with Debian's python3 (python3-cryptography).
"""
import datetime
import hashlib
import ipaddress
import pathlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

OUT = pathlib.Path(__file__).resolve().parents[1] / "corpus" / "tls_alpn_cert_fuzzer"
KEYAUTH = b"fuzz-token.fuzz-thumbprint"
ACME_ID = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.31")
LEGACY_ID = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.30.1")


def cert(names, oid=ACME_ID, critical=True, digest=None):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    value = b"\x04\x20" + (digest or hashlib.sha256(KEYAUTH).digest())
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acme challenge")]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "acme challenge")]))
               .public_key(key.public_key()).serial_number(1)
               .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=7))
               .add_extension(x509.SubjectAlternativeName(names), critical=False)
               .add_extension(x509.UnrecognizedExtension(oid, value), critical=critical))
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    dns = x509.DNSName("fuzz.example")
    seeds = {
        "valid-dns": cert([dns]),
        "valid-ip": cert([x509.IPAddress(ipaddress.ip_address("192.0.2.1"))]),
        "extension-not-critical": cert([dns], critical=False),
        "legacy-oid": cert([dns], oid=LEGACY_ID),
        "extra-san": cert([dns, x509.DNSName("extra.fuzz.example")]),
        "wrong-digest": cert([dns], digest=hashlib.sha256(b"another key authorization").digest()),
        "other-name": cert([x509.DNSName("other.example")]),
    }
    for name, der in seeds.items():
        (OUT / f"{name}.der").write_bytes(der)


if __name__ == "__main__":
    main()
