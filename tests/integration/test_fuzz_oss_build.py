"""fuzz/oss-fuzz/build.sh, run here the way OSS-Fuzz and ClusterFuzzLite run it.

The build is limited to one small target (ACMESPEC_OSS_FUZZ_TARGETS) and uses
ccache when present, so the test costs a couple of minutes at most.
"""
import os
import pathlib
import shutil
import subprocess
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = "jwk_fuzzer"


def _have_libfuzzer():
    if not shutil.which("clang++"):
        return False
    probe = subprocess.run(["clang++", "-print-file-name=libclang_rt.fuzzer-x86_64.a"],
                           capture_output=True, text=True)
    # clang prints the bare name back when it cannot find the library.
    found = probe.stdout.strip()
    if os.path.isabs(found):
        return True
    return any(pathlib.Path("/usr/lib").glob("llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a"))


@pytest.mark.skipif(not _have_libfuzzer(), reason="clang++ with libFuzzer (libclang-rt-14-dev) is not installed")
def test_build_sh_installs_target_corpus_dict_and_options(tmp_path):
    out = tmp_path / "out"
    work = pathlib.Path(os.environ.get("ACMESPEC_OSS_FUZZ_TEST_WORK", tmp_path / "work"))
    work.mkdir(parents=True, exist_ok=True)
    flags = "-O1 -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link"
    env = dict(os.environ, CC="clang", CXX="clang++", CFLAGS=flags, CXXFLAGS=flags,
               LIB_FUZZING_ENGINE="-fsanitize=fuzzer", SRC=str(tmp_path / "no-src"), OUT=str(out),
               WORK=str(work), ACMESPEC_OSS_FUZZ_TARGETS=TARGET, ACMESPEC_OSS_FUZZ_JOBS="2")
    if shutil.which("ccache"):
        env["ACMESPEC_OSS_FUZZ_LAUNCHER"] = "ccache"
    build = subprocess.run([str(ROOT / "fuzz" / "oss-fuzz" / "build.sh")], env=env, capture_output=True,
                           text=True, timeout=1500)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    binary = out / TARGET
    assert binary.is_file() and os.access(binary, os.X_OK)
    assert (out / f"{TARGET}.dict").read_text() == (ROOT / "fuzz" / f"{TARGET}.dict").read_text()
    assert "max_len" in (out / f"{TARGET}.options").read_text()
    seeds = sorted(p.name for p in (ROOT / "corpus" / TARGET).iterdir() if p.is_file())
    with zipfile.ZipFile(out / f"{TARGET}_seed_corpus.zip") as z:
        assert sorted(z.namelist()) == seeds

    # The binary is a real libFuzzer target: it replays the unpacked seeds and
    # then fuzzes a bounded number of runs.
    corpus = tmp_path / "corpus"
    with zipfile.ZipFile(out / f"{TARGET}_seed_corpus.zip") as z:
        z.extractall(corpus)
    run = subprocess.run([str(binary), "-runs=2000", "-seed=1", f"-dict={out / (TARGET + '.dict')}", str(corpus)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done 2000 runs" in run.stderr
