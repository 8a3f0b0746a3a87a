#!/bin/bash -eu
# ClusterFuzzLite entry point; the real work is shared with OSS-Fuzz.
exec "$SRC/acmespec/fuzz/oss-fuzz/build.sh"
