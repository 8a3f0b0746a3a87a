"""Terminal output of `acmespec server` and `acmespec report`: a progress line
rewritten in place and colour on a TTY, plain lines without one, --quiet and
--verbose; and the report options of `acmespec server` (--html, --markdown,
--expect-failures) against a real Pebble."""
import json
import os
import pty
import select
import subprocess
import time

from test_report_cli import GOLDEN, recount

SCENARIOS = ["--scenario", "es256-account-key-accepted", "--scenario", "unknown-kid-refused", "--no-sanity"]


def server_cmd(acmespec_bin, pebble, report_dir, *extra):
    return [str(acmespec_bin), "server", "--directory", pebble.directory_url, "--ca-bundle", str(pebble.ca_bundle),
            "--report-dir", str(report_dir), *SCENARIOS, *map(str, extra)]


def run_in_pty(cmd, timeout=300):
    """Runs cmd with a pseudo-terminal as stdout; returns (exit code, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
            raise AssertionError(f"{cmd} still running after {timeout} s")
        return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(master)


def test_plain_progress_lines_without_a_terminal(acmespec_bin, pebble, tmp_path):
    proc = subprocess.run(server_cmd(acmespec_bin, pebble, tmp_path / "r"), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert "\x1b" not in proc.stdout and "\r" not in proc.stdout
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("[1/2] es256-account-key-accepted: ") and "s elapsed" in lines[0]
    assert lines[1].startswith("[2/2] unknown-kid-refused: ") and "failing so far" in lines[1]
    assert lines[-1].endswith("report.html")
    assert (tmp_path / "r" / "report.html").is_file()


def test_progress_line_and_colour_on_a_terminal(acmespec_bin, pebble, tmp_path):
    code, out = run_in_pty(server_cmd(acmespec_bin, pebble, tmp_path / "r"))
    assert code in (0, 1), out
    assert "\r\x1b[K[1/2] es256-account-key-accepted: " in out
    assert "\r\x1b[K[2/2] unknown-kid-refused: " in out
    assert "\x1b[" in out.split("[2/2]", 1)[1]  # the summary is coloured


def test_quiet_keeps_a_passing_run_to_one_line(acmespec_bin, pebble, tmp_path):
    proc = subprocess.run(server_cmd(acmespec_bin, pebble, tmp_path / "r", "--quiet"), capture_output=True,
                          text=True, timeout=300)
    record = json.loads((tmp_path / "r" / "run.json").read_text())
    assert "[1/2]" not in proc.stdout
    lines = proc.stdout.splitlines()
    if record["verdict"] == "pass":
        assert proc.returncode == 0
        assert len(lines) == 2 and lines[0].endswith("verdict pass"), proc.stdout
    else:  # problems are still listed
        assert "FAIL" in proc.stdout or "ERROR" in proc.stdout


def test_verbose_adds_the_transcript_of_failing_checks(run_acmespec):
    plain = run_acmespec("report", GOLDEN / "all-outcomes.json").stdout
    verbose = run_acmespec("report", GOLDEN / "all-outcomes.json", "--verbose").stdout
    assert "POST https://127.0.0.1:14000/order-plz" not in plain
    assert "POST https://127.0.0.1:14000/order-plz" in verbose


def test_server_writes_html_and_markdown_and_gates_on_a_baseline(acmespec_bin, pebble, tmp_path):
    html, md = tmp_path / "extra.html", tmp_path / "summary.md"
    proc = subprocess.run(server_cmd(acmespec_bin, pebble, tmp_path / "r", "--html", html, "--markdown", md),
                          capture_output=True, text=True, timeout=300)
    record = json.loads((tmp_path / "r" / "run.json").read_text())
    counts = recount(record)
    assert proc.returncode == (1 if counts["fail"] else 2 if counts["error"] else 0), proc.stdout
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert "| " + " ".join(f"{counts[o]} |" for o in ("pass", "fail", "warn", "info", "skip", "error")) in md.read_text()

    # Every problem of that run baselined: the same run passes the gate.
    problems = [{"check": c["id"], "scenario": s["id"], "reason": "known in this Pebble"}
                for s in record["scenarios"] for c in s["checks"] if c["outcome"] in ("fail", "error")]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"format": "acmespec-baseline/1", "expected_failures": problems}))
    proc = subprocess.run(server_cmd(acmespec_bin, pebble, tmp_path / "r2", "--expect-failures", baseline),
                          capture_output=True, text=True, timeout=300)
    assert "gate PASS" in proc.stdout, proc.stdout
    assert proc.returncode == 0, proc.stdout


def test_server_refuses_a_malformed_baseline_before_any_request(acmespec_bin, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"format": "acmespec-baseline/1", "expected_failures": [{"check": "x", "reason": ""}]}')
    # The directory is unreachable: the baseline error must come first.
    proc = subprocess.run([str(acmespec_bin), "server", "--directory", "https://127.0.0.1:1/dir", "--insecure",
                           "--no-responders", "--report-dir", str(tmp_path / "r"), "--expect-failures", str(baseline)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "malformed baseline" in proc.stderr and "expected_failures[0].reason" in proc.stderr
    assert not (tmp_path / "r" / "run.json").exists()
