#!/usr/bin/env bash
# The long soak (`make soak`): tests/soak/soak.c over a file, a loop device and three ramdisks
# (512 B and 4 KiB blocks, and a zoned one), every interface the library offers on each, SECONDS
# in all (default 300, shared equally by the targets and, within one, by its interfaces). Each
# interface prints one summary line; exit 1 when any target fails. A loop device needs root and
# the loop driver: without them that target says SKIP. Extra arguments go to every soak run (e.g.
# --threads 8 --qdepth 32).
#   tests/soak/soak.sh [BUILD [SECONDS [SOAK ARGS...]]]
set -uo pipefail
build=${1:-build}
seconds=${2:-300}
shift $(($# > 2 ? 2 : $#))
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
soak="$build/tests/soak/soak"
[[ -x "$soak" ]] || { echo "soak: $soak is not built" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/xnvme-soak.XXXXXX")
loopdev=
cleanup() {
	[[ -n "$loopdev" ]] && losetup -d "$loopdev" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
truncate -s 256M "$tmp/file.img" "$tmp/loop.img"
targets=("$tmp/file.img")
if loopdev=$(losetup -f --show "$tmp/loop.img" 2>/dev/null); then
	targets+=("$loopdev")
else
	loopdev=
	echo "SKIP: loop device target (needs root and the loop driver)"
fi
targets+=("ramdisk:256MiB" "ramdisk:256MiB,lbads=4096" "ramdisk:256MiB,zoned=1,zsze=4096,mor=8,mar=12")
each=$(awk -v s="$seconds" -v n="${#targets[@]}" 'BEGIN { printf "%.1f", s / n }')

# The figures of the summary lines, added up: commands, bytes written and verified, mismatches
totals() {
	awk '/^soak: .* mismatches=/ {
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] ~ /^(read|write|wzeroes|dealloc|compare_eq|compare_ne|zone_reset|final_read)$/) cmds += kv[2]
			if (kv[1] == "bytes_written") w += kv[2]
			if (kv[1] == "bytes_verified") v += kv[2]
			if (kv[1] == "mismatches") m += kv[2]
			if (kv[1] == "errors") e += kv[2]
		}
		n++
	}
	END { printf "soak total: %d interface runs, %d commands, %.2f GiB written, %.2f GiB verified, %d mismatches, %d errors\n", n, cmds, w / 2^30, v / 2^30, m, e }'
}

nfail=0
for target in "${targets[@]}"; do
	echo "=== soak $target: $each s"
	"$soak" "$target" --seconds "$each" "$@" | tee -a "$tmp/out"
	[[ ${PIPESTATUS[0]} -eq 0 ]] || nfail=$((nfail + 1))
done
totals <"$tmp/out"
echo "soak: ${#targets[@]} targets, $nfail failed"
[[ $nfail -eq 0 ]]
