"""A target that misbehaves yields a harness error or failed checks with the
cause, within the configured timeout: never a crash, a hang or a huge memory
footprint."""
import json
import os
import subprocess
import time

import pytest

from misbehaving import MisbehavingServer


def run(acmespec_bin, url, report_dir, *extra, timeout=120):
    cmd = [str(acmespec_bin), "server", "--directory", url, "--report-dir", str(report_dir), "--timeout", "2",
           "--poll-timeout", "2", "--no-responders", "--quiet", *extra]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - started


@pytest.mark.parametrize("mode, cause", [
    ("silent", "timed out"),
    ("reset", ""),
    ("drip", ""),
    ("huge", ""),
    ("nested", "not an ACME directory"),
    ("garbage", ""),
])
def test_unusable_directory_is_a_harness_error(acmespec_bin, tmp_path, mode, cause):
    with MisbehavingServer(mode) as server:
        proc, elapsed = run(acmespec_bin, server.url, tmp_path / "r")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "cannot start" in proc.stderr
    assert cause in proc.stderr
    assert "Segmentation" not in proc.stderr
    assert elapsed < 30, f"took {elapsed:.1f} s"


@pytest.mark.parametrize("mode", ["acme-500", "acme-html"])
def test_broken_acme_server_fails_checks_with_the_cause(acmespec_bin, tmp_path, mode):
    with MisbehavingServer(mode) as server:
        proc, elapsed = run(acmespec_bin, server.url, tmp_path / "r", "--scenario", "issue-one-name-http-01")
    assert proc.returncode in (1, 2), proc.stdout + proc.stderr
    record = json.loads((tmp_path / "r" / "run.json").read_text())
    assert record["complete"] is True
    checks = record["scenarios"][0]["checks"]
    failed = [c for c in checks if c["outcome"] == "fail"]
    assert failed, checks
    assert all(c["message"] for c in checks)
    # Later steps were not reached, and their checks say why.
    not_reached = [c for c in checks if c["outcome"] == "skip" and c["message"].startswith("not reached: step ")]
    assert not_reached, checks
    assert all("failed" in c["message"] for c in not_reached)
    assert elapsed < 60


def test_huge_body_does_not_exhaust_memory(acmespec_bin, tmp_path):
    # The peak RSS of this one child, from wait4: RUSAGE_CHILDREN would also
    # count every earlier child of the test process (browsers, clients, ...).
    with MisbehavingServer("huge") as server:
        cmd = [str(acmespec_bin), "server", "--directory", server.url, "--report-dir", str(tmp_path / "r"),
               "--timeout", "2", "--poll-timeout", "2", "--no-responders", "--quiet"]
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while True:
            pid, _, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                pytest.fail("acmespec did not finish within 120 s")
            time.sleep(0.05)
        child.returncode = 0  # reaped above
    # The response body is capped at a few MiB; 100 MiB never lands in memory.
    assert usage.ru_maxrss < 80 * 1024, f"peak RSS {usage.ru_maxrss} KiB"


def test_unreachable_target(acmespec_bin, tmp_path):
    proc, elapsed = run(acmespec_bin, "https://127.0.0.1:1/dir", tmp_path / "r")
    assert proc.returncode == 2
    assert "cannot start" in proc.stderr
    assert elapsed < 10


def test_tls_verification_is_on_by_default(acmespec_bin, pebble, tmp_path):
    proc, _ = run(acmespec_bin, pebble.directory_url, tmp_path / "r")
    assert proc.returncode == 2
    assert "cannot start" in proc.stderr
    assert "certificate" in proc.stderr.lower() or "verif" in proc.stderr.lower()


def test_malformed_scenario_is_rejected_with_file_path_reason(acmespec_bin, tmp_path):
    data = tmp_path / "data"
    (data / "scenarios" / "server").mkdir(parents=True)
    import shutil
    from conftest import ROOT
    shutil.copy(ROOT / "scenarios" / "requirements.json", data / "scenarios" / "requirements.json")
    (data / "scenarios" / "server" / "bad.json").write_text(json.dumps({
        "id": "bad", "title": "t", "suites": ["core"], "sections": ["7.4"],
        "steps": [{"op": "new-ordr"}]}))
    proc, _ = run(acmespec_bin, "https://127.0.0.1:1/dir", tmp_path / "r", "--data-dir", str(data))
    assert proc.returncode == 2
    assert "bad.json: steps[0].op: unknown operation \"new-ordr\"" in proc.stderr
    listing = subprocess.run([str(acmespec_bin), "list", "--data-dir", str(data)], capture_output=True, text=True,
                             timeout=30)
    assert listing.returncode == 2
    assert "bad.json" in listing.stderr


def test_unknown_scenario_is_a_usage_error(acmespec_bin, tmp_path):
    proc, _ = run(acmespec_bin, "https://127.0.0.1:1/dir", tmp_path / "r", "--scenario", "no-such-scenario")
    assert proc.returncode == 2
    assert "no such scenario" in proc.stderr
