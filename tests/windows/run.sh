#!/usr/bin/env bash
# make test-windows: cross-builds the library, tools, example and Windows tests with mingw-w64
# (scripts/cross/mingw-w64-x86_64.ini) in BUILD_DIR and runs the tests (meson suite windows)
# under Wine, headless, in a throw-away Wine prefix. Exit status: meson test's.
set -euo pipefail
build=${1:-build-win}
cd "$(dirname "$0")/../.."
for prog in x86_64-w64-mingw32-gcc wine wineserver; do
	command -v "$prog" >/dev/null || { echo "test-windows: FAIL: $prog missing (make deps installs it)" >&2; exit 1; }
done
[ -f "$build/build.ninja" ] || meson setup "$build" --cross-file scripts/cross/mingw-w64-x86_64.ini \
	-Dwerror=true --buildtype=debugoptimized -Db_lto=false >/dev/null
ninja -C "$build"
# Wine's prefix: made by the first program (~8 s, ~700 MB), removed afterwards
prefix=$(mktemp -d "${TMPDIR:-/tmp}/xnvme-wine.XXXXXX")
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'wineserver -k 2>/dev/null || true; rm -rf "$prefix"' EXIT
meson test -C "$build" --print-errorlogs --num-processes 1 --suite windows
