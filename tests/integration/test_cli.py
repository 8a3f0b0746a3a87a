"""The command line as a user meets it: version, help, usage errors, list."""
import json

from conftest import ROOT


def test_version(run_acmespec):
    r = run_acmespec("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("acmespec ")


def test_help_lists_commands(run_acmespec):
    r = run_acmespec("--help")
    assert r.returncode == 0
    assert "Usage: acmespec" in r.stdout
    assert "list" in r.stdout


def test_unknown_flag_is_a_usage_error(run_acmespec):
    r = run_acmespec("--no-such-flag")
    assert r.returncode == 2
    assert "unknown option '--no-such-flag'" in r.stderr
    assert "Usage: acmespec" in r.stderr


def test_unknown_command_option_is_a_usage_error(run_acmespec):
    r = run_acmespec("list", "--bogus")
    assert r.returncode == 2
    assert "--bogus: unknown option" in r.stderr


def test_list_prints_every_catalogued_check(run_acmespec):
    r = run_acmespec("list", "--checks")
    assert r.returncode == 0, r.stderr
    catalogue = json.loads((ROOT / "scenarios" / "requirements.json").read_text())
    ids = [req["id"] for req in catalogue["requirements"]]
    assert len(ids) >= 100
    for rid in ids:
        assert rid in r.stdout
    assert f"Checks ({len(ids)}):" in r.stdout


def test_list_reports_a_malformed_catalogue(run_acmespec, tmp_path):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "requirements.json").write_text('{"version": 1, "requirements": [42]}')
    r = run_acmespec("list", "--data-dir", tmp_path)
    assert r.returncode == 2
    assert "requirements.json: requirements[0]: not an object" in r.stderr


def test_list_prints_server_and_client_scenarios(run_acmespec):
    r = run_acmespec("list", "--scenarios")
    assert r.returncode == 0, r.stderr
    client_files = sorted((ROOT / "scenarios" / "client").rglob("*.json"))
    ids = [json.loads(f.read_text())["id"] for f in client_files]
    assert f"Client scenarios ({len(ids)}; acmespec client --scenario ID):" in r.stdout
    for sid in ids:
        assert f"\n  {sid} " in r.stdout, sid
    assert "faults: resource_decoy" in r.stdout
    assert "Checks (" not in r.stdout


def test_list_lints_client_scenarios(run_acmespec, tmp_path):
    import shutil
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    bad = tmp_path / "scenarios" / "client" / "broken.json"
    bad.write_text('{"id": "client-broken", "title": "B", "suites": ["x"], "challenge": "http-01",'
                   ' "identifiers": ["{domain}"], "expect": [], "client_should": "succeed",'
                   ' "faults": {"resource_decoy": "ftp"}}')
    r = run_acmespec("list", "--data-dir", tmp_path)
    assert r.returncode == 2
    assert "bad client scenario" in r.stderr and "broken.json" in r.stderr and "resource_decoy" in r.stderr, r.stderr


def test_ci_examples_call_the_binary_with_options_it_accepts(run_acmespec):
    """docs/ci/ pipelines: the binary path is where the default preset puts it, and every
    option they pass to an acmespec command is one that command accepts."""
    import re
    examples = sorted((ROOT / "docs" / "ci").glob("*.yml"))
    assert examples
    helps = {}
    seen = 0
    for example in examples:
        text = example.read_text()
        for path in re.findall(r"/opt/acmespec/(build/[\w/.-]+/acmespec)\b", text):
            assert path == "build/default/bin/acmespec", (example.name, path)
        # An invocation runs from "acmespec <command>" (or "$ACMESPEC <command>") to the end of
        # its shell command: continuation lines ("\" or YAML folding) join it, "--" ends the options.
        joined = re.sub(r"\\\n\s*", " ", text)
        joined = re.sub(r"\n\s{8,}(?=--)", " ", joined)
        for command, rest in re.findall(r"(?:/bin/acmespec|\$ACMESPEC) (server|client|report|fuzz|list) ([^\n]*)", joined):
            options = re.findall(r"(?<!\S)(--[a-z][a-z0-9-]*)", rest.split(" -- ")[0])
            if command not in helps:
                helps[command] = run_acmespec(command, "--help").stdout
            for option in options:
                assert f"  {option}" in helps[command], (example.name, command, option)
                seen += 1
    assert seen >= 10
