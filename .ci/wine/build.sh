#!/usr/bin/env bash
# Builds the test-only bcryptprimitives.dll shim (see bcryptprimitives.c)
# into the folder given as $1 (default: target/wine-shim).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../target/wine-shim}"
mkdir -p "$out"
x86_64-w64-mingw32-gcc -O2 -shared -o "$out/bcryptprimitives.dll" \
  "$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -lbcrypt
echo "$out/bcryptprimitives.dll"
