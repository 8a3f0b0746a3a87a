"""The HTML report opened in a real browser (Debian's headless chromium).

Each page is loaded twice: once for a screenshot, kept under
tests/integration/artifacts/ for people to look at, and once with
--dump-dom, so the assertions read the DOM after the page's script ran: the
counts it shows and the counts its script computed must equal a recount of the
run record done here, independently of the C++ renderer.
"""
import json
import re
import pathlib
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from test_report_cli import GOLDEN, recount

ARTIFACTS = ROOT / "tests" / "integration" / "artifacts"
OUTCOMES = ("pass", "fail", "warn", "info", "skip", "error")


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("chromium is not installed: run scripts/install-deps.sh as root")
    return path


@pytest.fixture(scope="module")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")
    return ARTIFACTS


def browse(chromium, tmp_path, url, *args):
    cmd = [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=10000", *args, url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


class PageFacts(HTMLParser):
    """Collects what the page shows: data-count / data-js-count texts, the
    number of check entries (and of hidden ones), #shown, #verdict, and
    whether the script finished (body data-ready)."""

    def __init__(self):
        super().__init__()
        self.counts, self.js_counts = {}, {}
        self.entries = self.hidden_entries = 0
        self.ready = None
        self.texts = {}
        self._capture = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "body":
            self.ready = a.get("data-ready")
        if tag == "details" and "check" in classes:
            self.entries += 1
            self.hidden_entries += "hidden" in classes
        key = None
        if "data-count" in a:
            key = (self.counts, a["data-count"])
        elif "data-js-count" in a:
            key = (self.js_counts, a["data-js-count"])
        elif a.get("id") in ("shown", "verdict", "js-total"):
            key = (self.texts, a["id"])
        if key:
            self._capture.append([tag, key, ""])

    def handle_data(self, data):
        for item in self._capture:
            item[2] += data

    def handle_endtag(self, tag):
        if self._capture and self._capture[-1][0] == tag:
            _, (table, name), text = self._capture.pop()
            table[name] = text.strip()


def facts(dom):
    parser = PageFacts()
    parser.feed(dom)
    return parser


def verdict(counts):
    return "error" if counts["error"] else "fail" if counts["fail"] else "pass"


def check_page(chromium, tmp_path, artifacts, html_path, record, name, filters=True):
    expected = recount(record)
    url = pathlib.Path(html_path).resolve().as_uri()
    shot = artifacts / f"report-{name}.png"
    shot.unlink(missing_ok=True)
    browse(chromium, tmp_path, url, f"--screenshot={shot}", "--window-size=1280,2400")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "no screenshot written"
    assert shot.stat().st_size > 10_000  # a blank page compresses far below this
    shutil.copy(html_path, artifacts / f"report-{name}.html")

    page = facts(browse(chromium, tmp_path, url, "--dump-dom"))
    assert page.ready == "1", "the page's script did not run to the end"
    shown = {o: int(page.counts[o]) for o in OUTCOMES}
    computed = {o: int(page.js_counts[o]) for o in OUTCOMES}
    assert shown == expected
    assert computed == expected
    assert page.entries == sum(expected.values())
    assert int(page.texts["js-total"]) == page.entries
    assert int(page.texts["shown"]) == page.entries
    assert page.texts["verdict"] == verdict(expected)

    if not filters:
        return expected
    # A filter in the address is applied on load and hides every other entry.
    for outcome in ("pass", "fail"):
        filtered = facts(browse(chromium, tmp_path, f"{url}#outcome={outcome}", "--dump-dom"))
        assert int(filtered.texts["shown"]) == expected[outcome]
        assert filtered.entries - filtered.hidden_entries == expected[outcome]

    # The check-id search and the level filter combine with it.
    checks = [c for sc in record["scenarios"] if isinstance(sc, dict) for c in sc.get("checks", [])
              if isinstance(c, dict) and isinstance(c.get("id"), str) and c["id"]]
    if checks:
        needle = checks[0]["id"][-12:].lower()
        level = checks[0].get("level") or "-"
        want = sum(1 for c in checks if needle in c["id"].lower() and (c.get("level") or "-") == level)
        filtered = facts(browse(chromium, tmp_path, f"{url}#q={needle}&level={level}", "--dump-dom"))
        assert int(filtered.texts["shown"]) == want, (needle, level)
    return expected


@pytest.mark.parametrize("name", ["all-outcomes", "partial", "hostile"])
def test_golden_record_in_chromium(chromium, artifacts, tmp_path, run_acmespec, name):
    record = json.loads((GOLDEN / f"{name}.json").read_text())
    html_path = tmp_path / f"{name}.html"
    proc = run_acmespec("report", GOLDEN / f"{name}.json", "--html", html_path)
    assert html_path.is_file(), proc.stderr
    # The filters are exercised on one record; the others only need their counts.
    check_page(chromium, tmp_path, artifacts, html_path, record, name, filters=name == "all-outcomes")


def test_pebble_run_report_in_chromium(chromium, artifacts, tmp_path, acmespec_bin, pebble):
    report_dir = tmp_path / "report"
    md = tmp_path / "summary.md"
    cmd = [str(acmespec_bin), "server", "--directory", pebble.directory_url, "--ca-bundle", str(pebble.ca_bundle),
           "--report-dir", str(report_dir), "--section", "6.2", "--markdown", str(md), "--seed", "7"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    record = json.loads((report_dir / "run.json").read_text())
    assert (report_dir / "report.html").is_file(), proc.stdout
    expected = check_page(chromium, tmp_path, artifacts, report_dir / "report.html", record, "pebble")
    assert sum(expected.values()) > 10  # a real run, not an empty page
    # The Markdown summary of the same run carries the same numbers.
    row = " ".join(str(expected[o]) + " |" for o in OUTCOMES)
    assert "| " + row in md.read_text()
    # No private key material of the run's accounts reached the page.
    page = (report_dir / "report.html").read_text()
    assert "PRIVATE KEY-----" not in page
    for member in ("d", "p", "q", "dp", "dq", "qi", "k"):
        for match in re.finditer(f"&quot;{member}&quot;: &quot;", page):
            assert page.startswith("&lt;redacted&gt;", match.end()), page[match.start():match.end() + 60]
