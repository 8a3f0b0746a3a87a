"""The mock CA as acmespec's reference ACME server.

`acmespec server` without --directory runs the whole server suite against an
embedded mock CA; every MUST check passes, or is skipped for a feature the
mock CA deliberately lacks (listed below with the reason).  The same suite
also passes against `acmespec mock-ca` started as a separate process.
"""
import json
import signal
import subprocess
import time

import pytest

from pebble import free_port, https_request

# (scenario id, check id) -> why a skip is expected of the mock CA.
EXPECTED_SKIPS = {
    ("rate-limit-burst", "RFC8555-6.6-rate-limited-error-type"):
        "no rate limits by default; rateLimited comes from a fault plan",
    ("tos-change-user-action-required", "RFC8555-7.3.3-tos-change-user-action-required"):
        "the terms change only through the terms_changed fault",
    ("eab-missing-binding-refused", "RFC8555-7.3.4-eab-required-advertised"):
        "external account binding is optional unless the eab_required fault is set",
    ("new-authz-pre-authorization", "RFC8555-7.4.1-new-authz-201-pending"):
        "pre-authorization (newAuthz) is optional and not offered",
}


def must_checks(record):
    return [(s["id"], c["id"], c["outcome"], c.get("message", "")) for s in record["scenarios"]
            for c in s["checks"] if c.get("level") == "MUST"]


def assert_reference(proc, record):
    problems = []
    for s in record["scenarios"]:
        for c in s["checks"]:
            if c["outcome"] == "error":
                problems.append(f"error: {s['id']} / {c['id']}: {c.get('message', '')}")
    for scenario, check, outcome, message in must_checks(record):
        if outcome == "fail":
            problems.append(f"MUST failed: {scenario} / {check}: {message}")
        if outcome == "skip" and (scenario, check) not in EXPECTED_SKIPS:
            problems.append(f"unexpected MUST skip: {scenario} / {check}: {message}")
    assert not problems, "\n".join(problems) + f"\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def load_record(report_dir, proc):
    path = report_dir / "run.json"
    assert path.is_file(), f"no run record\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return json.loads(path.read_text())


def test_embedded_mock_ca_passes_every_must_check(acmespec_bin, tmp_path):
    report = tmp_path / "report"
    proc = subprocess.run([str(acmespec_bin), "server", "--report-dir", str(report), "--quiet", "--seed", "7"],
                          capture_output=True, text=True, timeout=900)
    assert "embedded mock CA" in proc.stdout
    record = load_record(report, proc)
    assert len(record["scenarios"]) > 50
    assert sum(1 for s in record["scenarios"] for c in s["checks"] if c["outcome"] == "pass") > 200
    assert_reference(proc, record)


class MockCaProcess:
    def __init__(self, acmespec_bin, workdir, *extra):
        self.port = free_port()
        self.bundle = workdir / "mock-ca-bundle.pem"
        self.proc = subprocess.Popen(
            [str(acmespec_bin), "mock-ca", "--listen", f"127.0.0.1:{self.port}", "--ca-bundle-out", str(self.bundle),
             *map(str, extra)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.directory = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("Directory: "):
                self.directory = line.split(" ", 1)[1].strip()
                break
        if self.directory is None:
            self.proc.kill()
            out, err = self.proc.communicate(timeout=10)
            pytest.fail(f"acmespec mock-ca did not start\nstdout:\n{out}\nstderr:\n{err}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


def test_standalone_mock_ca_passes_the_server_suite(acmespec_bin, tmp_path):
    mock = MockCaProcess(acmespec_bin, tmp_path, "--http-port", 5002, "--tls-port", 5001,
                         "--dns-server", "127.0.0.1:8053", "--observations-out", tmp_path / "observations.json")
    try:
        assert mock.directory == f"https://127.0.0.1:{mock.port}/dir"
        with https_request(mock.directory, cafile=mock.bundle) as resp:
            directory = json.loads(resp.read())
            assert resp.headers.get("Link") == f'<{mock.directory}>;rel="index"'
        assert directory["meta"]["externalAccountRequired"] is False
        report = tmp_path / "report"
        proc = subprocess.run([str(acmespec_bin), "server", "--directory", mock.directory, "--ca-bundle",
                               str(mock.bundle), "--report-dir", str(report), "--quiet"],
                              capture_output=True, text=True, timeout=900)
        record = load_record(report, proc)
        # Without --eab-kid the harness has no binding credentials for this CA.
        expected = dict(EXPECTED_SKIPS)
        for s in record["scenarios"]:
            if s["id"].startswith("eab-"):
                for c in s["checks"]:
                    if c["outcome"] == "skip":
                        expected[(s["id"], c["id"])] = "no EAB credentials given"
        problems = [f"{sc} / {ch}: {outcome} {msg}" for sc, ch, outcome, msg in must_checks(record)
                    if outcome == "fail" or (outcome == "skip" and (sc, ch) not in expected)]
        problems += [f"error: {s['id']} / {c['id']}" for s in record["scenarios"] for c in s["checks"]
                     if c["outcome"] == "error"]
        assert not problems, "\n".join(problems)
        assert proc.returncode == 0, proc.stdout[-3000:]
    finally:
        assert mock.stop() == 0
    observations = json.loads((tmp_path / "observations.json").read_text())
    assert any(o["endpoint"] == "finalize" and o["status"] == 200 for o in observations)
    assert all("replay_nonce" in o for o in observations)


def test_mock_ca_faults_file_applies(acmespec_bin, tmp_path):
    plan = tmp_path / "faults.json"
    plan.write_text(json.dumps({"errors": [{"endpoint": "newNonce", "nth": [1], "type": "serverInternal",
                                            "status": 500}]}))
    mock = MockCaProcess(acmespec_bin, tmp_path, "--faults", plan)
    try:
        nonce_url = mock.directory.replace("/dir", "/nonce")
        import urllib.error
        with pytest.raises(urllib.error.HTTPError) as first:
            https_request(nonce_url, cafile=mock.bundle, method="HEAD")
        assert first.value.code == 500
        with https_request(nonce_url, cafile=mock.bundle, method="HEAD") as resp:
            assert resp.status == 200
            assert resp.headers.get("Replay-Nonce")
            assert resp.headers.get("Cache-Control") == "no-store"
    finally:
        assert mock.stop() == 0


def test_mock_ca_refuses_bad_options(run_acmespec, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"errors": [{"endpoint": "nowhere"}]}')
    proc = run_acmespec("mock-ca", "--listen", "127.0.0.1:0", "--faults", bad,
                        "--ca-bundle-out", tmp_path / "b.pem")
    assert proc.returncode == 2
    assert "bad.json" in proc.stderr and "endpoint" in proc.stderr
    proc = run_acmespec("mock-ca", "--listen", "0.0.0.0:0", "--ca-bundle-out", tmp_path / "b.pem")
    assert proc.returncode == 2
    assert "loopback" in proc.stderr
    proc = run_acmespec("mock-ca", "--http-port", "99999")
    assert proc.returncode == 2
