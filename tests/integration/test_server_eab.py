"""External account binding (RFC 8555 §7.3.4) against a Pebble that requires it.

The EAB scenarios declare `"requires": ["eab"]`: they run only when acmespec
is given --eab-kid and --eab-hmac-key, and are skipped (with the reason) when
it is not. The MAC key is a secret the CA hands out, so it must never reach a
report.
"""
import base64
import json
import os
import subprocess

EAB_SCENARIOS = {"eab-new-account-with-binding", "eab-missing-binding-refused", "eab-invalid-binding-refused"}
KID = "kid-1"


def run_server(acmespec_bin, pebble, report_dir, *extra, timeout=300):
    cmd = [str(acmespec_bin), "server", "--directory", pebble.directory_url, "--ca-bundle", str(pebble.ca_bundle),
           "--report-dir", str(report_dir), "--quiet", *map(str, extra)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    record_path = report_dir / "run.json"
    assert record_path.is_file(), f"no run record\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc, json.loads(record_path.read_text())


def eab_scenarios(record):
    return {s["id"]: s for s in record["scenarios"] if s["id"] in EAB_SCENARIOS}


def test_eab_scenarios_pass_against_pebble_requiring_binding(acmespec_bin, pebble_factory, tmp_path):
    mac_key = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    pebble = pebble_factory(eab_required=True, eab_mac_keys={KID: mac_key})
    assert pebble.directory()["meta"]["externalAccountRequired"] is True

    report = tmp_path / "report"
    proc, record = run_server(acmespec_bin, pebble, report, "--suite", "eab", "--eab-kid", KID,
                              "--eab-hmac-key", mac_key)
    print(proc.stdout[-4000:])
    assert record["complete"] is True
    scenarios = eab_scenarios(record)
    assert set(scenarios) == EAB_SCENARIOS
    for sid, scenario in scenarios.items():
        assert scenario["skipped"] is None, sid
        assert scenario["error"] is None, (sid, scenario["error"])
        not_passed = [(c["id"], c["outcome"], c["message"]) for c in scenario["checks"] if c["outcome"] != "pass"]
        assert not_passed == [], sid
        assert scenario["checks"], sid
    # Every faulty binding was judged, not only the worst one.
    invalid = next(c for c in scenarios["eab-invalid-binding-refused"]["checks"]
                   if c["id"] == "RFC8555-7.3.4-eab-invalid-binding-refused")
    assert invalid["evaluations"] == 5
    # The bound account really exists: newAccount answered 201 with a binding in the request.
    bound = scenarios["eab-new-account-with-binding"]["exchanges"]
    assert any(x["response"]["status"] == 201 and isinstance(x["request"].get("jws", {}).get("payload"), dict)
               and "externalAccountBinding" in x["request"]["jws"]["payload"] for x in bound)

    # The MAC key (in either base64 spelling) appears in no report and no output.
    padded = base64.b64encode(base64.urlsafe_b64decode(mac_key + "=" * (-len(mac_key) % 4))).decode()
    for name in ("run.json", "junit.xml"):
        text = (report / name).read_text()
        assert mac_key not in text, name
        assert padded not in text and padded.rstrip("=") not in text, name
    assert mac_key not in proc.stdout + proc.stderr


def test_eab_scenarios_skip_without_credentials(acmespec_bin, pebble, tmp_path):
    proc, record = run_server(acmespec_bin, pebble, tmp_path / "report", "--suite", "eab")
    scenarios = eab_scenarios(record)
    assert set(scenarios) == EAB_SCENARIOS
    for sid, scenario in scenarios.items():
        assert "--eab-kid" in (scenario["skipped"] or ""), sid
        assert {c["outcome"] for c in scenario["checks"]} == {"skip"}, sid
    assert proc.returncode == 0, proc.stdout + proc.stderr
