"""`acmespec client` against real ACME clients (Debian's lego and certbot) and
against stand-in commands whose behaviour is known, so that every check can
be seen both passing and failing.

Each run starts its own mock CA and DNS responder on ephemeral loopback ports,
so these tests need no port lock.
"""
import json
import pathlib
import shutil
import subprocess
from xml.etree import ElementTree

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"

LEGO_SCENARIOS = [
    "client-happy-http-01", "client-happy-tls-alpn-01", "client-happy-dns-01", "client-order-reordered",
    "client-non-certificate-pem",
    "client-bad-nonce-first-request", "client-bad-nonce-new-order", "client-rate-limited-new-order",
    "client-server-internal-new-account", "client-order-processing", "client-authz-pending",
    "client-challenge-invalid", "client-terms-changed", "client-eab-required", "client-alternate-chains",
    "client-several-identifiers", "client-invalid-nonce", "client-validation-delayed-http-01", "client-validation-delayed-tls-alpn-01",
    "client-no-tos-opt-in",
]
CERTBOT_SCENARIOS = [
    "client-happy-http-01", "client-happy-dns-01", "client-happy-tls-alpn-01", "client-invalid-nonce",
    "client-order-reordered", "client-non-certificate-pem",
    "client-bad-nonce-first-request", "client-bad-nonce-twice", "client-rate-limited-always",
    "client-server-internal-new-account", "client-order-processing",
    "client-challenge-invalid", "client-terms-changed", "client-eab-required", "client-alternate-chains",
    "client-validation-delayed-http-01", "client-no-tos-opt-in",
]


def run_client(run_acmespec, report_dir, scenarios, *args, timeout=240):
    selection = [a for s in scenarios for a in ("--scenario", s)]
    proc = run_acmespec("client", "--report-dir", report_dir, "--quiet", *selection, *args, timeout=timeout)
    run_json = pathlib.Path(report_dir) / "run.json"
    record = json.loads(run_json.read_text()) if run_json.exists() else None
    junit = pathlib.Path(report_dir) / "junit.xml"
    if proc.returncode == 0 and junit.exists():
        # The test report agrees with the gate: expected findings (profile or baseline) are skipped.
        root = ElementTree.parse(junit).getroot()
        assert root.get("failures") == "0" and root.get("errors") == "0", junit.read_text()[:3000]
    return proc, record


def checks_by_scenario(record):
    return {s["id"]: {c["id"]: c for c in s["checks"]} for s in record["scenarios"]}


def assert_profile_run(proc, record, profile_name, skipped_ok=()):
    assert record is not None, proc.stdout + proc.stderr
    assert record["mode"] == "client"
    profile = json.loads((PROFILES / f"{profile_name}.json").read_text())
    for scenario in record["scenarios"]:
        if scenario["id"] in skipped_ok:
            assert scenario["skipped"], scenario["id"]
            continue
        assert scenario["skipped"] is None, (scenario["id"], scenario["skipped"])
        assert scenario["error"] is None, (scenario["id"], scenario["error"])
        for check in scenario["checks"]:
            # Every deviation is either a finding the profile records with a reason, or a regression.
            if check["outcome"] in ("fail", "warn", "error"):
                assert "expected_finding" in check, (scenario["id"], check["id"], check["message"])
    happy = checks_by_scenario(record)
    for sid in happy:
        if sid.startswith("client-happy") and sid not in skipped_ok:
            assert happy[sid]["RFC8555-7.4.2-client-completes-issuance"]["outcome"] == "pass", sid
    # The findings the profile lists for named scenarios did occur in this run.
    for finding in profile["expected_findings"]:
        if finding["scenario"] in happy:
            assert happy[finding["scenario"]][finding["check"]]["outcome"] in ("fail", "warn"), finding
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    expected_failures = sum(c["outcome"] == "fail" and "expected_finding" in c
                            for s in record["scenarios"] for c in s["checks"])
    if expected_failures:
        assert f"{expected_failures} failed check" in proc.stdout and "0 not \u2014 gate PASS (exit 0)" in proc.stdout, \
            proc.stdout[-2000:]
    # No private key or MAC key material in the reports.
    text = json.dumps(record)
    assert "PRIVATE KEY" not in text


@pytest.mark.skipif(shutil.which("lego") is None, reason="lego is not installed")
def test_lego_profile(run_acmespec, tmp_path):
    proc, record = run_client(run_acmespec, tmp_path / "lego", LEGO_SCENARIOS, "--profile", PROFILES / "lego.json")
    assert_profile_run(proc, record, "lego")
    checks = checks_by_scenario(record)
    assert checks["client-bad-nonce-first-request"]["RFC8555-6.5-client-retry-uses-error-nonce"]["outcome"] == "pass"
    assert checks["client-challenge-invalid"]["RFC8555-6.7-client-fails-visibly"]["outcome"] == "pass"
    assert checks["client-eab-required"]["RFC8555-7.4.2-client-completes-issuance"]["outcome"] == "pass"
    assert len(record["scenarios"]) == len(LEGO_SCENARIOS)
    # The VA held its request back 3 s and reported when it came, as evidence.
    delayed = next(s for s in record["scenarios"] if s["id"] == "client-validation-delayed-http-01")
    process = delayed["exchanges"][0]
    assert process["validation_delay_s"] == 3 and len(process["validation_attempts"]) == 1
    # At the accepted finalize lego's own listener no longer serves the key authorization.
    assert checks["client-happy-http-01"]["RFC8555-8.3-client-deprovisions-resource"]["outcome"] == "pass"
    # While it serves its challenge, lego's listener answers a never-issued token with 404.
    echoed = checks["client-happy-http-01"]["RFC8555-8.3-client-checks-echoed-token"]
    assert echoed["outcome"] == "pass" and "answered 404" in echoed["message"], echoed


@pytest.mark.skipif(shutil.which("certbot") is None, reason="certbot is not installed")
def test_certbot_profile(run_acmespec, tmp_path):
    proc, record = run_client(run_acmespec, tmp_path / "certbot", CERTBOT_SCENARIOS, "--profile", PROFILES / "certbot.json")
    # certbot has no TLS-ALPN-01 support: the profile gives no command line for it.
    assert_profile_run(proc, record, "certbot", skipped_ok=("client-happy-tls-alpn-01",))
    checks = checks_by_scenario(record)
    assert checks["client-bad-nonce-first-request"]["RFC8555-6.5-client-retries-bad-nonce"]["outcome"] == "pass"
    assert checks["client-server-internal-new-account"]["RFC8555-6.7-client-displays-error-detail"]["outcome"] == "pass"
    assert checks["client-happy-http-01"]["RFC8555-8.3-client-deprovisions-resource"]["outcome"] == "pass"
    # certbot's standalone server closes the connection for a token it did not provision.
    assert checks["client-happy-http-01"]["RFC8555-8.3-client-checks-echoed-token"]["outcome"] == "pass"


def test_a_client_that_never_talks_fails_issuance(run_acmespec, tmp_path):
    proc, record = run_client(run_acmespec, tmp_path, ["client-happy-http-01"], "--", "/bin/sh", "-c",
                              "echo would contact {directory} for {domain}; exit 0")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    checks = checks_by_scenario(record)["client-happy-http-01"]
    assert checks["RFC8555-7.4.2-client-completes-issuance"]["outcome"] == "fail"
    assert "without downloading a certificate" in checks["RFC8555-7.4.2-client-completes-issuance"]["message"]
    assert checks["RFC8555-6.2-client-alg-allowed"]["outcome"] == "skip"
    process = record["scenarios"][0]["exchanges"][0]
    assert process["id"] == "client-process"
    assert "/dir for c" in process["response"]["body"]  # placeholders were expanded
    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")


def test_client_runs_gate_on_a_baseline_and_write_every_report(run_acmespec, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"format": "acmespec-baseline/1", "expected_failures": [
        {"check": "RFC8555-7.4.2-client-completes-issuance", "reason": "the stand-in never talks to the CA"}]}))
    summary, page = tmp_path / "summary.md", tmp_path / "page.html"
    proc, record = run_client(run_acmespec, tmp_path / "r", ["client-happy-http-01"], "--expect-failures", baseline,
                              "--markdown", summary, "--html", page, "--", "/bin/sh", "-c", "exit 0")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "baseline: 0 regressions, 1 known failures" in proc.stdout and "gate PASS" in proc.stdout
    assert summary.read_text().startswith("## acmespec client: \u274c FAIL \u2014 gate \u2705 PASS (baseline)")
    assert "Target /bin/sh -c exit 0" in summary.read_text()
    assert page.read_text() == (tmp_path / "r" / "report.html").read_text()
    known = checks_by_scenario(record)["client-happy-http-01"]["RFC8555-7.4.2-client-completes-issuance"]
    assert known["expected_finding"] == "baseline: the stand-in never talks to the CA"
    # A malformed baseline is refused before any client runs.
    baseline.write_text("{}")
    proc, _ = run_client(run_acmespec, tmp_path / "bad", ["client-happy-http-01"], "--expect-failures", baseline,
                         "--", "/bin/sh", "-c", "touch {workdir}/ran; exit 0")
    assert proc.returncode == 2 and "--expect-failures" in proc.stderr, proc.stdout + proc.stderr
    assert not list((tmp_path / "bad").rglob("ran"))


def test_a_client_claiming_success_on_failure_is_caught(run_acmespec, tmp_path):
    proc, record = run_client(run_acmespec, tmp_path / "a", ["client-server-internal-new-account"], "--", "/bin/true")
    assert proc.returncode == 0  # a violated SHOULD warns
    checks = checks_by_scenario(record)["client-server-internal-new-account"]
    assert checks["RFC8555-6.7-client-fails-visibly"]["outcome"] == "warn"
    proc, record = run_client(run_acmespec, tmp_path / "b", ["client-server-internal-new-account"], "--strict", "--", "/bin/true")
    assert proc.returncode == 1
    checks = checks_by_scenario(record)["client-server-internal-new-account"]
    assert checks["RFC8555-6.7-client-fails-visibly"]["outcome"] == "fail"
    assert checks["RFC8555-6.7-client-displays-error-detail"]["outcome"] == "skip"


def test_a_hanging_client_is_killed_at_the_timeout(run_acmespec, tmp_path):
    proc, record = run_client(run_acmespec, tmp_path, ["client-challenge-invalid"], "--timeout", "2", "--strict", "--",
                              "/bin/sh", "-c", "sleep 60 & sleep 60")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    scenario = record["scenarios"][0]
    assert scenario["duration_ms"] < 30000
    assert scenario["exchanges"][0]["timed_out"] is True
    fails = scenario["checks"][0]
    assert fails["id"] == "RFC8555-6.7-client-fails-visibly" and fails["outcome"] == "fail"
    assert "timeout" in fails["message"]


def test_usage_errors_exit_2(run_acmespec, tmp_path):
    proc = run_acmespec("client", "--report-dir", tmp_path)
    assert proc.returncode == 2 and "give the client command" in proc.stderr
    proc = run_acmespec("client", "--scenario", "no-such-scenario", "--", "true")
    assert proc.returncode == 2 and "no such client scenario" in proc.stderr
    bad_profile = tmp_path / "p.json"
    bad_profile.write_text('{"name": "x", "client": "x", "command": ["x"], "colour": 1}')
    proc = run_acmespec("client", "--profile", bad_profile)
    assert proc.returncode == 2 and "colour: unknown member" in proc.stderr


def test_unknown_placeholder_is_a_harness_error(run_acmespec, tmp_path):
    proc, record = run_client(run_acmespec, tmp_path, ["client-happy-http-01"], "--", "echo", "{domian}")
    assert proc.returncode == 2
    assert "unknown placeholder {domian}" in record["scenarios"][0]["error"]


def test_malformed_client_scenario_is_refused_with_file_and_path(run_acmespec, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "scenarios", data / "scenarios")
    bad = data / "scenarios" / "client" / "happy" / "http-01.json"
    doc = json.loads(bad.read_text())
    doc["expect"].append("RFC8555-6.5-client-retries-bad-nonce")  # no badNonce in the plan
    bad.write_text(json.dumps(doc))
    proc = run_acmespec("client", "--data-dir", data, "--", "true")
    assert proc.returncode == 2
    assert "http-01.json: expect[" in proc.stderr and "injects no badNonce" in proc.stderr
    doc["expect"].pop()
    doc["faults"] = {"errors": [{"type": "badNonce", "nth": [0]}]}
    bad.write_text(json.dumps(doc))
    proc = run_acmespec("client", "--data-dir", data, "--", "true")
    assert proc.returncode == 2 and "faults.errors[0].nth[0]" in proc.stderr
