"""`acmespec fuzz` against a live Pebble: bounded, reproducible findings, replay.

Pebble has known leniencies, so findings against it are reported, not
forbidden; what must hold is that the run stays within its bounds, writes
well-formed finding files, and that a finding of a deterministic oracle
replays.
"""
import json
import re

import pytest

DETERMINISTIC = {"invalid-request-accepted", "foreign-kid-accepted", "bad-signature-accepted",
                 "finalize-accepted-while-pending"}


def test_fuzz_against_pebble_is_bounded_and_findings_replay(run_acmespec, pebble, tmp_path):
    out = tmp_path / "findings"
    r = run_acmespec("fuzz", "--directory", pebble.directory_url, "--ca-bundle", pebble.ca_bundle,
                     "--duration", "20", "--max-requests", "2000", "--seed", "7", "--out", out, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    m = re.search(r"(\d+) mutated requests, (\d+) requests in ([\d.]+) s \((\d+) requests/s\)", r.stdout)
    assert m, r.stdout
    assert int(m.group(1)) > 20
    assert float(m.group(3)) < 40
    files = sorted(out.glob("finding-*.json")) if out.exists() else []
    assert (r.returncode == 1) == bool(files)
    oracles = set()
    for f in files:
        doc = json.loads(f.read_text())
        assert doc["seed"] == 7 and isinstance(doc["iteration"], int)
        assert doc["request"]["url"].startswith(pebble.base_url)
        assert "PRIVATE KEY" not in f.read_text()
        oracles.add(doc["oracle"])
        # Pebble never answers a fuzzed request with a 5xx or a hang.
        assert doc["oracle"] not in ("server-error-5xx", "hang-or-reset"), doc
    for f in files:
        doc = json.loads(f.read_text())
        if doc["oracle"] not in DETERMINISTIC:
            continue
        replay = run_acmespec("fuzz", "--replay", f, "--directory", pebble.directory_url,
                              "--ca-bundle", pebble.ca_bundle, "--out", tmp_path / "replay", timeout=60)
        assert replay.returncode == 1, replay.stdout + replay.stderr
        assert doc["oracle"] in replay.stdout
        break


def test_fuzz_usage_errors(run_acmespec, tmp_path):
    r = run_acmespec("fuzz")
    assert r.returncode == 2 and "--directory" in r.stderr
    r = run_acmespec("fuzz", "--directory", "https://127.0.0.1:1/dir", "--duration", "0")
    assert r.returncode == 2 and "--duration" in r.stderr
    bad = tmp_path / "finding.json"
    bad.write_text('{"seed": "x"}')
    r = run_acmespec("fuzz", "--replay", bad, "--directory", "https://127.0.0.1:1/dir")
    assert r.returncode == 2 and "seed" in r.stderr


def test_fuzz_unreachable_directory_is_a_harness_error(run_acmespec):
    r = run_acmespec("fuzz", "--directory", "https://127.0.0.1:1/dir", "--duration", "5", timeout=60)
    assert r.returncode == 2
    assert "directory" in r.stderr


def test_fuzz_against_mock_ca_finds_nothing(acmespec_bin, tmp_path):
    """The mock CA is strict where the RFC says MUST: the fuzzer must find nothing there."""
    import subprocess
    import time
    bundle = tmp_path / "mock-ca.pem"
    ca = subprocess.Popen([str(acmespec_bin), "mock-ca", "--listen", "127.0.0.1:0", "--ca-bundle-out", str(bundle)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        directory = None
        deadline = time.monotonic() + 60
        while directory is None and time.monotonic() < deadline:
            line = ca.stdout.readline()
            if not line:
                break
            if line.startswith("Directory: "):
                directory = line.split(" ", 1)[1].strip()
        assert directory, ca.stderr.read() if ca.poll() is not None else "no directory line"
        r = subprocess.run([str(acmespec_bin), "fuzz", "--directory", directory, "--ca-bundle", str(bundle),
                            "--duration", "20", "--max-requests", "3000", "--seed", "7", "--out", str(tmp_path / "f")],
                           capture_output=True, text=True, timeout=120)
        assert "requests/s" in r.stdout, r.stdout + r.stderr
        assert r.returncode == 0, r.stdout + r.stderr
    finally:
        ca.terminate()
        try:
            ca.wait(timeout=30)
        except subprocess.TimeoutExpired:
            ca.kill()
            ca.wait()
