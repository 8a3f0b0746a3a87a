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


# --------------------------------------------------------------------------- Pebble
# Helpers live in pebble.py; see its docstrings for every PebbleServer option.
from pebble import PebbleServer, make_pebble_ca  # noqa: E402


@pytest.fixture(scope="session")
def pebble_ca(tmp_path_factory):
    """Throwaway TLS CA + loopback server certificate shared by every Pebble of the session."""
    return make_pebble_ca(tmp_path_factory.mktemp("pebble-ca"))


@pytest.fixture
def pebble_factory(pebble_ca, tmp_path):
    """`make(**options)` starts a PebbleServer (options as its constructor) and returns it.

    Every server made is stopped at teardown, including ones a test already stopped.
    """
    servers = []

    def make(**options):
        server = PebbleServer(pebble_ca, tmp_path / "pebble", **options)
        servers.append(server)
        return server.start()

    yield make
    for server in reversed(servers):
        server.stop()


@pytest.fixture
def pebble(pebble_factory):
    """A deterministic Pebble (no nonce rejection, no authz reuse), DNS at 127.0.0.1:8053."""
    return pebble_factory()
