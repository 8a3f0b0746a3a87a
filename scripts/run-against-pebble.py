#!/usr/bin/env python3
"""Starts a throwaway Pebble on loopback and runs `acmespec server` against it.

Usage: run-against-pebble.py ACMESPEC_BINARY REPORT_DIR [--chaos] [-- extra acmespec server options]

Pebble gets a fresh TLS CA, resolves every name through acmespec's own DNS
responder (127.0.0.1:8053) and validates against acmespec's HTTP-01 (5002)
and TLS-ALPN-01 (5001) responders. Exits with acmespec's exit code.
"""
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from pebble import PebbleServer, make_pebble_ca  # noqa: E402


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary, report_dir, rest = argv[0], pathlib.Path(argv[1]).resolve(), argv[2:]
    chaos = "--chaos" in rest
    extra = rest[rest.index("--") + 1:] if "--" in rest else []
    work = pathlib.Path(tempfile.mkdtemp(prefix="acmespec-pebble-"))
    ca = make_pebble_ca(work / "ca")
    with PebbleServer(ca, work / "pebble", deterministic=not chaos) as pebble:
        print(f"Pebble {'(chaos defaults)' if chaos else '(deterministic)'} at {pebble.directory_url}", flush=True)
        cmd = [binary, "server", "--directory", pebble.directory_url, "--ca-bundle", str(pebble.ca_bundle),
               "--report-dir", str(report_dir), *extra]
        code = subprocess.run(cmd).returncode
    print(f"Pebble log: {pebble.log_path}")
    print(f"Reports in {report_dir}: run.json (the run record), junit.xml")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
