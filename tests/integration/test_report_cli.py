"""`acmespec report`: re-rendering, baselines, diffs and interop matrices on
the checked-in golden run records (no network)."""
import json

from conftest import ROOT

GOLDEN = ROOT / "tests" / "unit" / "reports" / "golden"


def recount(record):
    counts = dict.fromkeys(["pass", "fail", "warn", "info", "skip", "error"], 0)
    for scenario in record["scenarios"]:
        if not isinstance(scenario, dict):
            continue
        if scenario.get("error") is not None:
            counts["error"] += 1
        for check in scenario.get("checks", []):
            if not isinstance(check, dict):
                continue
            outcome = check.get("outcome")
            counts[outcome if outcome in counts else "error"] += 1
    return counts


def write_baseline(path, entries):
    path.write_text(json.dumps({"format": "acmespec-baseline/1", "expected_failures": entries}))
    return path


def test_report_writes_every_format_and_exits_with_the_verdict(run_acmespec, tmp_path):
    out = {name: tmp_path / name for name in ("r.html", "r.md", "r.xml")}
    proc = run_acmespec("report", GOLDEN / "all-outcomes.json", "--html", out["r.html"], "--markdown", out["r.md"],
                        "--junit", out["r.xml"])
    assert proc.returncode == 2, proc.stderr  # the record holds an error
    assert "verdict ERROR" in proc.stdout
    page = out["r.html"].read_text()
    assert page.startswith("<!DOCTYPE html>") and "RFC8555-7.4-order-status-pending" in page
    assert "### Failures (1)" in out["r.md"].read_text()
    assert out["r.xml"].read_text().startswith("<?xml")


def test_report_refuses_what_is_not_a_run_record(run_acmespec, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{\"format\": ")
    proc = run_acmespec("report", bad)
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "not a run record" in proc.stderr
    proc = run_acmespec("report", tmp_path / "missing.json")
    assert proc.returncode == 2 and "missing.json" in proc.stderr


def test_baseline_gate_passes_on_known_failures_and_names_unexpected_passes(run_acmespec, tmp_path):
    record = json.loads((GOLDEN / "all-outcomes.json").read_text())
    problems = [(s["id"], c["id"]) for s in record["scenarios"] for c in s["checks"]
                if c["outcome"] in ("fail", "error")]
    assert len(problems) == 2
    entries = [{"check": c, "scenario": s, "reason": "known"} for s, c in problems]
    entries.append({"check": "RFC8555-6.5-nonce-on-post-response", "reason": "was flaky, fixed since"})
    md, junit = tmp_path / "gate.md", tmp_path / "gate.xml"
    proc = run_acmespec("report", GOLDEN / "all-outcomes.json", "--expect-failures",
                        write_baseline(tmp_path / "b.json", entries), "--markdown", md, "--junit", junit)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The listed failure is skipped in JUnit with the baseline's reason; the listed error stays an error.
    assert 'failures="0"' in junit.read_text() and "expected finding: baseline: known" in junit.read_text()
    assert "expected finding: baseline: known" in proc.stdout
    assert "Unexpected passes, listed in the baseline but not failing (1)" in proc.stdout
    assert "gate PASS" in proc.stdout
    assert "gate \u2705 PASS (baseline)" in md.read_text()

    # Drop one known failure from the baseline: that is a regression again.
    proc = run_acmespec("report", GOLDEN / "all-outcomes.json", "--expect-failures",
                        write_baseline(tmp_path / "b2.json", entries[1:]))
    assert proc.returncode == 1, proc.stdout
    assert "Regressions, not in the baseline (1)" in proc.stdout
    assert problems[0][1] in proc.stdout


def test_malformed_baseline_is_a_clear_usage_error(run_acmespec, tmp_path):
    bad = write_baseline(tmp_path / "b.json", [{"check": "RFC8555-7.4-x"}])
    proc = run_acmespec("report", GOLDEN / "all-outcomes.json", "--expect-failures", bad)
    assert proc.returncode == 2
    assert "malformed baseline" in proc.stderr and str(bad) in proc.stderr
    assert "expected_failures[0]" in proc.stderr and "reason" in proc.stderr
    assert proc.stdout == ""


def test_diff_exits_1_on_regressions_only(run_acmespec, tmp_path):
    old = json.loads((GOLDEN / "all-outcomes.json").read_text())
    new = json.loads(json.dumps(old))
    target = new["scenarios"][0]["checks"][0]
    assert target["outcome"] == "pass"
    target["outcome"] = "fail"
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    proc = run_acmespec("report", "--diff", tmp_path / "old.json", tmp_path / "new.json",
                        "--markdown", tmp_path / "diff.md")
    assert proc.returncode == 1, proc.stdout
    assert f"{target['id']}: pass -> fail" in proc.stdout
    assert "### Regressions (1)" in (tmp_path / "diff.md").read_text()
    proc = run_acmespec("report", "--diff", tmp_path / "new.json", tmp_path / "old.json")
    assert proc.returncode == 0, proc.stdout
    assert "Fixed (1)" in proc.stdout
    assert run_acmespec("report", "--diff", tmp_path / "old.json").returncode == 2


def test_matrix_has_a_column_per_run(run_acmespec, tmp_path):
    a = json.loads((GOLDEN / "all-outcomes.json").read_text())
    a["target"] = {"name": "server-a"}
    b = json.loads(json.dumps(a))
    b["target"] = {"name": "server-b"}
    b["scenarios"][0]["checks"][1]["outcome"] = "pass"
    for name, rec in (("a.json", a), ("b.json", b)):
        (tmp_path / name).write_text(json.dumps(rec))
    proc = run_acmespec("report", "--matrix", tmp_path / "a.json", tmp_path / "b.json",
                        "--html", tmp_path / "m.html", "--markdown", tmp_path / "m.md")
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "m.md").read_text()
    assert "| check | level | server-a | server-b |" in md
    row = next(line for line in md.splitlines() if "RFC8555-7.4-order-status-pending" in line)
    assert row.endswith("| \u274c fail | \u2705 pass |")
    assert "server-b" in (tmp_path / "m.html").read_text()


def test_html_counts_equal_the_record(run_acmespec, tmp_path):
    for name in ("all-outcomes", "partial", "hostile"):
        record = json.loads((GOLDEN / f"{name}.json").read_text())
        run_acmespec("report", GOLDEN / f"{name}.json", "--html", tmp_path / f"{name}.html")
        page = (tmp_path / f"{name}.html").read_text()
        for outcome, n in recount(record).items():
            assert f'data-count="{outcome}">{n}<' in page, (name, outcome)


def test_report_keeps_the_gate_of_a_client_run_with_expected_findings(run_acmespec, tmp_path):
    def record(*checks):
        return {"format": "acmespec-run/1", "mode": "client", "target": {"profile": "lego"}, "complete": True,
                "scenarios": [{"id": "client-x", "error": None, "checks": list(checks)}]}

    known = {"id": "RFC8555-6.1-client-https-only", "outcome": "fail", "level": "MUST", "message": "followed http://",
             "expected_finding": "lego follows http:// URLs"}
    path = tmp_path / "run.json"
    path.write_text(json.dumps(record(known)))
    junit = tmp_path / "junit.xml"
    proc = run_acmespec("report", path, "--junit", junit)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "profile lego: 1 failed check is an expected finding, 0 not \u2014 gate PASS (exit 0)" in proc.stdout
    assert "expected finding: lego follows http:// URLs" in proc.stdout
    assert 'failures="0"' in junit.read_text() and "expected finding: lego follows http:// URLs" in junit.read_text()

    path.write_text(json.dumps(record(known, {"id": "RFC8555-6.4-client-url-exact-string", "outcome": "fail",
                                              "level": "MUST", "message": "url differs"})))
    proc = run_acmespec("report", path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 not \u2014 gate FAIL (exit 1)" in proc.stdout
