"""Shared fixtures for acmespec's integration tests.

The tests drive the real `acmespec` binary (built by scripts/build.sh) and
the real implementations it is run against.
"""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def acmespec_bin():
    path = pathlib.Path(os.environ.get("ACMESPEC_BIN", ROOT / "build" / "default" / "bin" / "acmespec"))
    if not path.is_file():
        pytest.fail(f"acmespec binary not found at {path}: build it with scripts/build.sh first")
    return path


@pytest.fixture
def run_acmespec(acmespec_bin):
    def run(*args, timeout=60, **kwargs):
        return subprocess.run([str(acmespec_bin), *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, **kwargs)
    return run
