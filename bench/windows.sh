#!/usr/bin/env bash
# make bench-windows: xnvme-perf of the Windows build (build-win, tests/windows/run.sh makes it)
# under Wine on a file, for every async interface the windows backend offers there, at queue
# depths 1, 32 and 256: 4 KiB random reads of a 64 MiB file (in the page cache), medians of
# REPS runs, IOPS. Wine's figures: Wine runs a file's overlapped I/O inside the call and posts the
# completion through its server, so they say little about Windows (docs/windows.md).
set -euo pipefail
build=${1:-build-win}
reps=${REPS:-3}
ios=${IOS:-200000}
cd "$(dirname "$0")/.."
[ -f "$build/build.ninja" ] || { echo "bench-windows: no $build: run make test-windows first" >&2; exit 1; }
ninja -C "$build" tools/xnvme-perf.exe tools/xnvme.exe >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xnvme-bench-win.XXXXXX")
prefix=$tmp/wine
mkdir -p "$prefix"
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'wineserver -k 2>/dev/null || true; rm -rf "$tmp"' EXIT
cp "$build"/tools/xnvme-perf.exe "$build"/tools/xnvme.exe "$build"/lib/libxnvme-0.dll "$tmp"/
head -c $((64 << 20)) /dev/urandom > "$tmp/f.bin"
# the async interfaces offered here: listed for the windows backend, available, moving data
ifaces=$(wine "$tmp/xnvme.exe" library-info | python3 -c '
import re, sys
doc = sys.stdin.read().split("name: '"'"'windows'"'"'", 1)[-1].split("  - name:", 1)[0]
doc = doc.split("async:", 1)[-1].split("mem:", 1)[0]
for i, d in re.findall(r"id: '"'"'([^'"'"']+)'"'"', descr: '"'"'([^'"'"']*)", doc):
    if i != "nil" and not d.startswith(("not built", "not available")):
        print(i)')
printf "%-9s" "qdepth"; for i in $ifaces; do printf "%12s" "$i"; done; echo
for qd in 1 32 256; do
	printf "%-9s" "$qd"
	for i in $ifaces; do
		runs=()
		for _ in $(seq "$reps"); do
			runs+=("$(wine "$tmp/xnvme-perf.exe" run "$tmp/f.bin" --async "$i" --qdepth "$qd" \
				--ios "$ios" | sed -n 's/^ *iops: *\([0-9.]*\).*/\1/p')")
		done
		printf "%12s" "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((reps + 1) / 2))p")"
	done
	echo
done
echo "IOPS, Wine $(wine --version 2>/dev/null | sed 's/^wine-//'), 4 KiB random reads, medians of $reps runs of $ios I/Os"
