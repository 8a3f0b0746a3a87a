"""The hostile-CA suite (`--suite hostile`, docs/security.md "Client checks")
against Debian's lego and certbot, and against stand-in commands that fall for
each case, so every hostile check is seen failing as well as passing.

Each run starts its own mock CA, DNS responder and webroot server on
ephemeral loopback ports, so these tests need no port lock.  The hostile
scenarios carry their own short timeouts (30-60 s).
"""
import json
import shutil

import pytest

from test_client_mode import PROFILES, assert_profile_run, checks_by_scenario, run_client

HOSTILE = [
    "client-hostile-webroot-happy", "client-hostile-token-traversal", "client-hostile-token-shell",
    "client-hostile-problem-injection", "client-hostile-certificate-wrong-key", "client-hostile-certificate-wrong-names",
    "client-hostile-endless-processing", "client-hostile-retry-after-far", "client-hostile-oversized-directory",
    "client-hostile-nested-json", "client-hostile-extra-identifiers", "client-hostile-directory-plain-http",
    "client-hostile-directory-other-host", "client-hostile-identifier-injection", "client-hostile-url-injection",
    "client-hostile-url-semicolon", "client-hostile-authz-plain-http", "client-hostile-authz-other-host",
]


def run_suite(run_acmespec, report_dir, profile):
    proc, record = run_client(run_acmespec, report_dir, [], "--suite", "hostile", "--profile", PROFILES / f"{profile}.json",
                              timeout=400)
    assert_profile_run(proc, record, profile)
    assert sorted(s["id"] for s in record["scenarios"]) == sorted(HOSTILE)
    checks = checks_by_scenario(record)
    # The webroot mode works, so the token cases judge a working setup.
    happy = checks["client-hostile-webroot-happy"]
    assert happy["RFC8555-7.4.2-client-completes-issuance"]["outcome"] == "pass", happy
    assert happy["RFC8555-8.3-client-token-confined"]["outcome"] == "pass"
    for scenario in record["scenarios"]:
        for check in scenario["checks"]:
            assert check["category"] == "security" or not check["id"].startswith(
                ("RFC8555-8.3-client-token", "RFC8555-6.7-client-no-command")), check
    return record, checks


@pytest.mark.skipif(shutil.which("lego") is None, reason="lego is not installed")
def test_lego_hostile_suite(run_acmespec, tmp_path):
    record, checks = run_suite(run_acmespec, tmp_path / "lego", "lego")
    by_id = {sc["id"]: sc for sc in record["scenarios"]}
    assert by_id["client-hostile-directory-plain-http"]["exchanges"][0]["decoy_hits"][0].endswith("HEAD /nonce HTTP/1.1")
    # The signed POST-as-GET of the authorization went to the plain-HTTP decoy.
    assert " POST /authz/" in by_id["client-hostile-authz-plain-http"]["exchanges"][0]["decoy_hits"][0]
    assert checks["client-hostile-problem-injection"]["RFC8555-6.7-client-no-command-from-server-text"]["outcome"] == "pass"
    # lego's own 30 s --cert.timeout ends the endless processing order within the 40 s bound.
    assert checks["client-hostile-endless-processing"]["RFC8555-7.4-client-gives-up-in-time"]["outcome"] == "pass"
    assert checks["client-hostile-nested-json"]["RFC8555-7.4-client-gives-up-in-time"]["outcome"] == "pass"
    # Decorated resource URLs: sent back verbatim, never run, issuance completes.
    for sid in ("client-hostile-url-injection", "client-hostile-url-semicolon"):
        assert checks[sid]["RFC8555-7.4.2-client-completes-issuance"]["outcome"] == "pass", sid
        assert checks[sid]["RFC8555-6.4-client-url-exact-string"]["outcome"] == "pass", sid


@pytest.mark.skipif(shutil.which("certbot") is None, reason="certbot is not installed")
def test_certbot_hostile_suite(run_acmespec, tmp_path):
    record, checks = run_suite(run_acmespec, tmp_path / "certbot", "certbot")
    assert checks["client-hostile-token-traversal"]["RFC8555-8.3-client-token-confined"]["outcome"] == "pass"
    assert checks["client-hostile-oversized-directory"]["RFC8555-7.4-client-gives-up-in-time"]["outcome"] == "pass"
    # The hang cases were bounded by the scenarios' own timeouts, not the profile's 90 s.
    by_id = {sc["id"]: sc for sc in record["scenarios"]}
    assert by_id["client-hostile-retry-after-far"]["exchanges"][0]["duration_ms"] < 30000
    assert " POST /authz/" in by_id["client-hostile-authz-plain-http"]["exchanges"][0]["decoy_hits"][0]
    assert checks["client-hostile-problem-injection"]["RFC8555-6.7-client-no-command-from-server-text"]["outcome"] == "pass"
    # Decorated URLs without a raw ';' are sent back verbatim and issuance completes; a ';' loses the "up" Link.
    assert checks["client-hostile-url-injection"]["RFC8555-7.4.2-client-completes-issuance"]["outcome"] == "pass"
    assert checks["client-hostile-url-injection"]["RFC8555-6.4-client-url-exact-string"]["outcome"] == "pass"
    assert '"up" Link header missing' in checks["client-hostile-url-semicolon"]["RFC8555-7.4.2-client-completes-issuance"]["message"]


def test_a_client_writing_outside_the_challenge_folder_is_caught(run_acmespec, tmp_path):
    # Writes the file where a naive join of webroot, challenge path and token puts it.
    proc, record = run_client(run_acmespec, tmp_path, ["client-hostile-token-traversal"], "--", "/bin/sh", "-c",
                              "mkdir -p {webroot}/.well-known/acme-challenge && cd {webroot}/.well-known/acme-challenge && "
                              "mkdir -p ../../../canary && echo x > ../../../canary/acmespec-token-escape; exit 1")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    check = checks_by_scenario(record)["client-hostile-token-traversal"]["RFC8555-8.3-client-token-confined"]
    assert check["outcome"] == "fail"
    assert "canary/acmespec-token-escape" in check["message"]
    assert check["category"] == "security"
    process = record["scenarios"][0]["exchanges"][0]
    assert "canary/acmespec-token-escape" in process["site_changes"]


def test_a_client_running_server_text_and_echoing_escapes_is_caught(run_acmespec, tmp_path):
    proc, record = run_client(run_acmespec, tmp_path, ["client-hostile-problem-injection"], "--", "/bin/sh", "-c",
                              "touch acmespec-canary-detail; printf 'Error: \\033]0;acmespec-title\\007 order refused\\n'; exit 1")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    checks = checks_by_scenario(record)["client-hostile-problem-injection"]
    assert checks["RFC8555-6.7-client-no-command-from-server-text"]["outcome"] == "fail"
    assert "acmespec-canary-detail" in checks["RFC8555-6.7-client-no-command-from-server-text"]["message"]
    assert checks["RFC8555-6.7-client-filters-terminal-escapes"]["outcome"] == "warn"
    assert checks["RFC8555-6.7-client-fails-visibly"]["outcome"] == "pass"


def test_a_client_accepting_a_mismatched_certificate_is_caught(run_acmespec, tmp_path):
    # The stand-in never downloads a certificate: the check has no occasion.
    proc, record = run_client(run_acmespec, tmp_path, ["client-hostile-certificate-wrong-key"], "--", "/bin/true")
    check = checks_by_scenario(record)["client-hostile-certificate-wrong-key"]["RFC8555-7.4.2-client-verifies-issued-certificate"]
    assert check["outcome"] == "skip"
    assert "never downloaded" in check["message"]


@pytest.mark.skipif(shutil.which("lego") is None, reason="lego is not installed")
def test_a_deploy_step_running_and_decoding_a_resource_url_is_caught(run_acmespec, tmp_path):
    # lego issues through the decorated URLs; a naive deploy step then re-parses the certificate URL
    # lego saved with eval and logs it percent-decoded.
    script = ("lego --server {directory} --accept-tos --email x@acmespec.test --domains {domain} --http "
              "--http.port 127.0.0.1:{http_port} --path {workdir}/lego run >/dev/null 2>&1 || exit 1; "
              "url=$(sed -n 's/.*\"certUrl\": \"\\(.*\\)\",/\\1/p' {workdir}/lego/certificates/*.json); "
              "eval \"echo deployed from $url\" >/dev/null; "
              "python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' \"$url\"")
    proc, record = run_client(run_acmespec, tmp_path, ["client-hostile-url-injection"], "--", "/bin/sh", "-c", script)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    checks = checks_by_scenario(record)["client-hostile-url-injection"]
    assert checks["RFC8555-7.4.2-client-completes-issuance"]["outcome"] == "pass"
    assert checks["RFC8555-6.7-client-no-command-from-server-text"]["outcome"] == "fail"
    assert "acmespec-canary-url" in checks["RFC8555-6.7-client-no-command-from-server-text"]["message"]
    assert checks["RFC8555-6.7-client-filters-terminal-escapes"]["outcome"] == "warn"
