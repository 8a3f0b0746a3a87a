"""fuzz/harvest_seeds.py over a fresh run record of the embedded mock CA.

One `acmespec server` run (core suite, responders on free loopback ports)
feeds the harvester; the seeds it writes must be valid inputs of each
target, named by content hash, free of private keys, stable across reruns,
and replay cleanly through the targets' replay binaries of the same build.
"""
import base64
import hashlib
import json
import pathlib
import re
import socket
import subprocess
import sys

import pytest
from cryptography import x509

ROOT = pathlib.Path(__file__).resolve().parents[2]
HARVESTER = ROOT / "fuzz" / "harvest_seeds.py"
TARGETS = ("jws_fuzzer", "jwk_fuzzer", "resource_fuzzer", "http_headers_fuzzer", "mockca_request_fuzzer",
           "csr_fuzzer", "tls_alpn_cert_fuzzer")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def harvest(*args):
    return subprocess.run([sys.executable, str(HARVESTER), *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def max_len(target):
    text = (ROOT / "fuzz" / f"{target}.options").read_text()
    return int(re.search(r"max_len\s*=\s*(\d+)", text).group(1))


@pytest.fixture(scope="module")
def run_record(acmespec_bin, tmp_path_factory):
    report = tmp_path_factory.mktemp("seed-run")
    ports = [free_port() for _ in range(3)]
    done = subprocess.run([str(acmespec_bin), "server", "--report-dir", str(report), "--quiet", "--seed", "11",
                           "--suite", "core", "--http01", f"127.0.0.1:{ports[0]}",
                           "--tls-alpn", f"127.0.0.1:{ports[1]}", "--dns", f"127.0.0.1:{ports[2]}"],
                          capture_output=True, text=True, timeout=300)
    assert (report / "run.json").is_file(), done.stdout + done.stderr
    return report / "run.json"


@pytest.fixture(scope="module")
def corpus(run_record, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    done = harvest("--corpus", out, run_record)
    assert done.returncode == 0, done.stderr
    for target in TARGETS:
        assert re.search(rf"^{target}: \d+ new seeds", done.stdout, re.M), done.stdout
    return out


def seeds(corpus, target):
    files = sorted((corpus / target).iterdir())
    assert files, f"no {target} seeds harvested"
    return files


def test_seeds_are_named_by_content_and_fit_max_len(corpus):
    for target in TARGETS:
        files = seeds(corpus, target)
        assert len(files) <= 40
        for f in files:
            data = f.read_bytes()
            assert f.name == hashlib.sha1(data).hexdigest()
            assert 0 < len(data) <= max_len(target), f
            assert b"PRIVATE KEY" not in data


def test_jws_seeds_are_flattened_jws(corpus):
    kinds = set()
    for f in seeds(corpus, "jws_fuzzer"):
        doc = json.loads(f.read_bytes())
        assert {"protected", "payload", "signature"} <= doc.keys(), f
        header = json.loads(b64url(doc["protected"]))
        assert isinstance(header, dict) and "alg" in header, f
        kinds.add("jwk" if "jwk" in header else "kid" if "kid" in header else "other")
    assert {"jwk", "kid"} <= kinds


def test_jwk_seeds_are_public_keys(corpus):
    for f in seeds(corpus, "jwk_fuzzer"):
        jwk = json.loads(f.read_bytes())
        assert jwk["kty"] in ("EC", "RSA", "OKP"), f
        assert not {"d", "p", "q", "dp", "dq", "qi", "k"} & jwk.keys(), f


def test_resource_seeds_hold_resources_and_problems(corpus):
    docs = [json.loads(f.read_bytes()) for f in seeds(corpus, "resource_fuzzer")]
    assert any(isinstance(d, dict) and "newNonce" in d for d in docs), "no directory"
    assert any(isinstance(d, dict) and str(d.get("type", "")).startswith("urn:ietf:params:acme:error:")
               for d in docs), "no problem document"
    assert any(isinstance(d, dict) and "identifiers" in d and "status" in d for d in docs), "no order"


def test_header_and_request_seeds_use_their_targets_formats(corpus):
    values = [f.read_text() for f in seeds(corpus, "http_headers_fuzzer")]
    assert any('rel="index"' in v for v in values)
    for v in values:
        assert all(line.strip() for line in v.split("\n")), repr(v)
    methods = set()
    for f in seeds(corpus, "mockca_request_fuzzer"):
        line = f.read_bytes().split(b"\n", 1)[0].decode()
        assert re.fullmatch(r"(GET|HEAD|POST) /\S*", line), line
        methods.add(line.split()[0])
    assert "POST" in methods


def test_der_seeds_parse(corpus):
    for f in seeds(corpus, "csr_fuzzer"):
        csr = x509.load_der_x509_csr(f.read_bytes())
        assert csr.is_signature_valid
    for f in seeds(corpus, "tls_alpn_cert_fuzzer"):
        x509.load_der_x509_certificate(f.read_bytes())


def test_rerun_writes_nothing_new(corpus, run_record):
    before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    done = harvest("--corpus", corpus, run_record)
    assert done.returncode == 0, done.stderr
    assert re.findall(r": (\d+) new seeds", done.stdout) == ["0"] * len(TARGETS), done.stdout
    assert {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} == before


def test_harvested_seeds_replay(corpus, acmespec_bin):
    replay_dir = pathlib.Path(acmespec_bin).resolve().parent.parent / "fuzz"
    missing = [t for t in TARGETS if not (replay_dir / t).is_file()]
    if missing:
        pytest.skip(f"replay binaries not built in {replay_dir}: {', '.join(missing)}")
    for target in TARGETS:
        done = subprocess.run([str(replay_dir / target), str(corpus / target)], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, f"{target}: {done.stdout}{done.stderr}"


def test_bad_record_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "run.json"
    bad.write_text('{"scenarios": 3}')
    done = harvest("--corpus", tmp_path / "c", bad)
    assert done.returncode == 2
    assert str(bad) in done.stderr and "scenarios" in done.stderr
    bad.write_text("{not json")
    done = harvest("--corpus", tmp_path / "c", tmp_path)
    assert done.returncode == 2 and "not JSON" in done.stderr
    assert not (tmp_path / "c").exists()
