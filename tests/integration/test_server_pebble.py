"""`acmespec server` against a real Pebble, judged through the run record.

acmespec starts its own challenge responders (HTTP-01 on 127.0.0.1:5002,
TLS-ALPN-01 on 5001, DNS on 8053) and Pebble resolves every name through that
DNS responder, so the whole suite runs on loopback.
"""
import json
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from conftest import ROOT


def run_server(acmespec_bin, pebble, report_dir, *extra, timeout=900):
    cmd = [str(acmespec_bin), "server", "--directory", pebble.directory_url, "--ca-bundle", str(pebble.ca_bundle),
           "--report-dir", str(report_dir), "--quiet", *map(str, extra)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    record_path = report_dir / "run.json"
    assert record_path.is_file(), f"no run record\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc, json.loads(record_path.read_text())


def outcomes(record, wanted):
    return [(s["id"], c["id"], c["message"]) for s in record["scenarios"] for c in s["checks"]
            if c["outcome"] in wanted]


def split_pem(text):
    marker = "-----END CERTIFICATE-----"
    return [x509.load_pem_x509_certificate((part + marker + "\n").encode())
            for part in text.split(marker) if "-----BEGIN CERTIFICATE-----" in part]


def signed_by(cert, issuer):
    key = issuer.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    else:
        raise AssertionError(f"unexpected issuer key {type(key)}")


def issued_chains(record):
    """(scenario id, ordered identifiers, chain PEM) of every certificate download that succeeded."""
    for scenario in record["scenarios"]:
        for exchange in scenario["exchanges"]:
            response = exchange.get("response") or {}
            headers = {name.lower(): value for name, value in response.get("headers", [])}
            if response.get("status") == 200 and headers.get("content-type", "").startswith(
                    "application/pem-certificate-chain"):
                yield scenario["id"], response["body"]


def test_suite_against_deterministic_pebble(acmespec_bin, pebble, tmp_path):
    proc, record = run_server(acmespec_bin, pebble, tmp_path / "report")
    print(proc.stdout[-4000:])
    assert record["complete"] is True
    assert record["summary"]["scenarios_run"] == record["summary"]["scenarios_total"] > 0
    assert outcomes(record, {"error"}) == []
    assert all(s["error"] is None for s in record["scenarios"])
    assert proc.returncode == (1 if record["verdict"] == "fail" else 0), proc.stderr
    # Every check that ran is one the catalogue knows, with its level.
    catalogue = {r["id"]: r for r in json.loads((ROOT / "scenarios" / "requirements.json").read_text())["requirements"]}
    for scenario in record["scenarios"]:
        for check in scenario["checks"]:
            assert catalogue[check["id"]]["level"] == check["level"]
    # Every fail or warn Pebble earns is a deviation documented with the RFC
    # text it departs from; a new one is either a harness bug or a new row.
    documented = set()
    for line in (ROOT / "docs" / "pebble-deviations.md").read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and cells[1].startswith("RFC"):
            documented.update(i.strip() for i in cells[1].split(","))
    undocumented = sorted({c["id"] for s in record["scenarios"] for c in s["checks"]
                           if c["outcome"] in ("fail", "warn")} - documented)
    assert undocumented == [], "fail/warn outcomes missing from docs/pebble-deviations.md"
    # JUnit rendered beside the record.
    junit = (tmp_path / "report" / "junit.xml").read_text()
    assert junit.startswith("<?xml")


def test_issued_certificate_chains_to_pebble_root(acmespec_bin, pebble, tmp_path):
    proc, record = run_server(acmespec_bin, pebble, tmp_path / "report", "--scenario", "issue-one-name-http-01")
    assert record["verdict"] == "pass", proc.stdout
    root = x509.load_pem_x509_certificate(pebble.roots_pem().encode())
    chains = list(issued_chains(record))
    assert chains, "no certificate was downloaded"
    for _, pem in chains:
        chain = split_pem(pem)
        for cert, issuer in zip(chain, chain[1:]):
            signed_by(cert, issuer)
        signed_by(chain[-1], root)
    # The leaf names exactly the ordered identifier.
    new_order = next(x for x in record["scenarios"][0]["exchanges"]
                     if x["request"]["method"] == "POST" and x["request"].get("jws", {}).get("payload", {}) and
                     isinstance(x["request"]["jws"]["payload"], dict) and "identifiers" in x["request"]["jws"]["payload"])
    wanted = sorted(i["value"] for i in new_order["request"]["jws"]["payload"]["identifiers"])
    leaf = split_pem(chains[0][1])[0]
    sans = sorted(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))
    assert sans == wanted


def test_suite_against_chaotic_pebble(acmespec_bin, pebble_factory, tmp_path):
    """Pebble's own defaults: 5% of nonces rejected, 50% authorization reuse.

    badNonce is retried where a scenario is not about nonces, so no check errors."""
    pebble = pebble_factory(deterministic=False)
    proc, record = run_server(acmespec_bin, pebble, tmp_path / "report")
    print(proc.stdout[-4000:])
    assert record["complete"] is True
    assert outcomes(record, {"error"}) == []


def test_no_private_keys_in_reports(acmespec_bin, pebble, tmp_path):
    run_server(acmespec_bin, pebble, tmp_path / "report", "--scenario", "issue-one-name-http-01")
    for name in ("run.json", "junit.xml"):
        text = (tmp_path / "report" / name).read_text()
        assert "PRIVATE KEY" not in text
        assert '"d":' not in text.replace(" ", "")


def test_alternate_chains_when_pebble_offers_them(acmespec_bin, pebble_factory, tmp_path):
    pebble = pebble_factory(extra_env={"PEBBLE_ALTERNATE_ROOTS": "2"})
    proc, record = run_server(acmespec_bin, pebble, tmp_path / "report", "--scenario", "certificate-alternate-chains")
    checks = {c["id"]: c for c in record["scenarios"][0]["checks"]}
    for cid in ("RFC8555-7.4.2-alternate-chain-links", "RFC8555-7.4.2-alternates-same-leaf"):
        assert checks[cid]["outcome"] == "pass", checks[cid]


def test_alternate_chain_checks_skip_without_them(acmespec_bin, pebble, tmp_path):
    proc, record = run_server(acmespec_bin, pebble, tmp_path / "report", "--scenario", "certificate-alternate-chains")
    checks = {c["id"]: c for c in record["scenarios"][0]["checks"]}
    assert checks["RFC8555-7.4.2-alternates-same-leaf"]["outcome"] == "skip"
    assert checks["RFC8555-7.4.2-alternates-same-leaf"]["message"]
