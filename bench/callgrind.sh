#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# User-space instructions per I/O of xnvme-perf, by callgrind, for the pairs make bench times:
# 4 KiB random reads of a file in the page cache through io_uring (--register, QD 32), libaio
# (QD 32), psync (QD 1, sync), and the ramdisk's nil interface (QD 64: the library's own cost).
#
# usage: bench/callgrind.sh BUILD [IOS]      (IOS: default 200000)
#
# Each case runs twice under callgrind, with IOS and with IOS/10 I/Os; the per-I/O figure is the
# difference of the two programs' total Ir divided by the difference of the I/O counts, so the
# setup (open, queue, ring, buffers, the file's first touches) cancels out. callgrind counts only
# user-space instructions: the kernel's share is not in it. The file (256 MiB, random bytes) is
# read once before the runs, so the reads find it in the page cache. Prints one line per case.
set -euo pipefail

build=${1:?usage: $0 BUILD [IOS]}
ios=${2:-200000}
few=$((ios / 10))
perf="$build/tools/xnvme-perf"
file=${XNVME_CALLGRIND_FILE:-/var/tmp/xnvme-callgrind.img}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

[ -x "$perf" ] || { echo "$perf: not built" >&2; exit 1; }
command -v valgrind > /dev/null || { echo "valgrind: not installed" >&2; exit 1; }
if [ ! -s "$file" ] || [ "$(stat -c %s "$file")" -ne $((256 << 20)) ]; then
	head -c $((256 << 20)) /dev/urandom > "$file"
fi
cat "$file" > /dev/null

# Total Ir of one run of xnvme-perf with N I/Os and the remaining arguments
total_ir() {
	local n=$1 tag=$2
	shift 2
	valgrind --tool=callgrind --callgrind-out-file="$out/$tag.$n" \
		"$perf" run "$@" --rw randread --bs 4096 --no-lat --ios "$n" > "$out/$tag.$n.log" 2>&1 ||
		{ cat "$out/$tag.$n.log" >&2; exit 1; }
	awk '/^totals:/ {print $2}' "$out/$tag.$n"
}

measure() {
	local tag=$1 a b
	shift
	a=$(total_ir "$ios" "$tag" "$@")
	b=$(total_ir "$few" "$tag" "$@")
	awk -v t="$tag" -v a="$a" -v b="$b" -v n="$ios" -v m="$few" \
		'BEGIN {printf "%-9s %7.1f instructions per I/O\n", t, (a - b) / (n - m)}'
}

measure io_uring "$file" --async io_uring --qdepth 32 --register
measure libaio "$file" --async libaio --qdepth 32
measure psync "$file" --sync psync
measure nil "ramdisk:1GiB,nil=1" --async nil --qdepth 64
