#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: compiles the fuzz targets with the
# toolchain the infrastructure provides and installs into $OUT, for each
# target: the binary, <target>_seed_corpus.zip, <target>.dict and
# <target>.options.
#
# Honours $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $SRC $OUT (and $WORK
# for the build tree).  Extra knobs for local use:
#   ACMESPEC_OSS_FUZZ_TARGETS   space-separated subset of targets to build
#   ACMESPEC_OSS_FUZZ_JOBS      parallel jobs (default: nproc)
#   ACMESPEC_OSS_FUZZ_LAUNCHER  compiler launcher, e.g. ccache
# The checkout: $SRC/acmespec on the infrastructure, else the tree holding this script.
if [[ -n "${SRC:-}" && -f "$SRC/acmespec/CMakeLists.txt" ]]; then
  src="$SRC/acmespec"
else
  src=$(cd "$(dirname "$0")/../.." && pwd)
fi
: "${OUT:?set OUT to the output folder}"
: "${LIB_FUZZING_ENGINE:?set LIB_FUZZING_ENGINE, e.g. -fsanitize=fuzzer}"
build="${WORK:-$(mktemp -d)}/acmespec-build"
jobs=${ACMESPEC_OSS_FUZZ_JOBS:-$(nproc)}

targets=${ACMESPEC_OSS_FUZZ_TARGETS:-}
if [[ -z "$targets" ]]; then
  for f in "$src"/fuzz/*_fuzzer.cc; do targets+=" $(basename "$f" .cc)"; done
fi

launcher=()
if [[ -n "${ACMESPEC_OSS_FUZZ_LAUNCHER:-}" ]]; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$ACMESPEC_OSS_FUZZ_LAUNCHER")
fi

# CMake passes CMAKE_CXX_FLAGS to the link as well, so the sanitizers the
# infrastructure chose reach every object and every binary.
cmake -S "$src" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER="${CC:-clang}" -DCMAKE_CXX_COMPILER="${CXX:-clang++}" \
  -DCMAKE_C_FLAGS="${CFLAGS:-}" -DCMAKE_CXX_FLAGS="${CXXFLAGS:-}" \
  -DCMAKE_BUILD_TYPE= -DACMESPEC_BUILD_TESTS=OFF \
  -DACMESPEC_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DACMESPEC_FUZZ_TARGETS="$(echo $targets | tr ' ' ';')" \
  "${launcher[@]}"

built=()
for t in $targets; do
  # A target over a component this tree does not have yet is not generated.
  if ninja -C "$build" -t targets all | grep -q "^fuzz/$t:\|^$t:"; then
    built+=("$t")
  else
    echo "skipping $t: not part of this tree's build" >&2
  fi
done
ninja -C "$build" -j "$jobs" "${built[@]}"

mkdir -p "$OUT"
for t in "${built[@]}"; do
  cp "$build/fuzz/$t" "$OUT/$t"
  [[ -f "$src/fuzz/$t.dict" ]] && cp "$src/fuzz/$t.dict" "$OUT/$t.dict"
  [[ -f "$src/fuzz/$t.options" ]] && cp "$src/fuzz/$t.options" "$OUT/$t.options"
  if [[ -d "$src/corpus/$t" ]]; then
    rm -f "$OUT/${t}_seed_corpus.zip"
    # Flat archive: the engines unpack every entry into one corpus folder.
    (cd "$src/corpus/$t" && find . -type f -print0 | sort -z | xargs -0 python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name in sys.argv[2:]:
        z.write(name, name[2:] if name.startswith("./") else name)
' "$OUT/${t}_seed_corpus.zip")
  fi
done
echo "installed into $OUT: ${built[*]}"
