#!/usr/bin/env bash
# `make run`: what the library does, in one screen. It builds only the programs it runs (BUILD,
# default build-run: release, no LTO, shared library only; the build's output goes to
# out/run/build.log), then on a ramdisk (an NVMe controller modelled in memory: no hardware, no
# kernel driver) shows the device, its identify data as xNVMe 0.7.5 prints it, I/O with the rates
# through each interface and a verify, a ramdisk kept across two commands in an image file, and
# one summary line. Every step's full output is kept in out/run/. Exit 0 only if all passed.
#
# usage: scripts/run.sh [BUILD]   (MESON_OPTS: more options for a new BUILD)
set -euo pipefail
build=${1:-build-run}
dir=out/run
dev="ramdisk:64MiB"
file="$dir/xnvme-default.img"
kvdev="ramdisk:1MiB,kv=1,file=$dir/kv.img"
mib=32
mkdir -p "$dir"

fail() {
	printf 'make run: FAILED: %s\n' "$*" >&2
	exit 1
}

# A step's output into out/run/NAME.yaml, or its error on screen and the run stopped
save() {
	local name=$1
	shift
	if ! "$@" >"$dir/$name.yaml" 2>"$dir/$name.err"; then
		cat "$dir/$name.err" >&2
		fail "$* (exit status above; output in $dir/$name.yaml)"
	fi
}

# The build: the three programs the run uses, in a tree of its own (Makefile: why no LTO)
t0=$(date +%s)
if [[ ! -f "$build/build.ninja" ]]; then
	# shellcheck disable=SC2086 # MESON_OPTS is a list of options
	meson setup "$build" -Dwerror=true --buildtype=release -Db_lto=false \
		-Ddefault_library=shared ${MESON_OPTS:-} >"$dir/build.log" 2>&1 ||
		{ tail -20 "$dir/build.log" >&2; fail "meson setup $build (log: $dir/build.log)"; }
fi
ninja -C "$build" tools/xnvme tools/kvs examples/xnvme_io_async >>"$dir/build.log" 2>&1 ||
	{ tail -20 "$dir/build.log" >&2; fail "ninja -C $build (log: $dir/build.log)"; }
x="$build/tools/xnvme"
printf 'make run: the xNVMe C API, no hardware needed (%s ready in %s s)\n' "$build" \
	"$(($(date +%s) - t0))"
printf '  every step'\''s full output is kept in %s/\n' "$dir"

# The library: its version, the backends built and the host's async interfaces
save library-info "$x" library-info
printf '\n# xnvme library-info (excerpt)\n'
grep '^xnvme_ver' "$dir/library-info.yaml"
awk -F"'" '/^  - name: /{b = b (b ? ", " : "") $2}
	/io_uring:|libaio:/{sub(/^ *- /, ""); gsub(/'\''/, ""); f = f (f ? ", " : "") $0}
	END{printf "backends: %s; %s\n", b, f}' "$dir/library-info.yaml"

save enum "$x" enum
printf '\n# xnvme enum\n'
cat "$dir/enum.yaml"

# The device, condensed to one line a part; upstream's full form is in the file
save info "$x" info "$dev"
printf '\n# xnvme info %s (condensed: %s/info.yaml)\n' "$dev" "$dir"
awk '/^  xnvme_ident:|^  xnvme_be:|^  xnvme_geo:/{sec = $1; next}
	/^  [a-z]/{sec = ""}
	sec == "xnvme_ident:" && /uri|dtype|nsid|csi/{v[sec] = v[sec] (v[sec] ? ", " : "") $1 " " $2}
	sec == "xnvme_be:" && /admin|sync|async|mem/{
		id = $0; sub(/.*id: /, "", id); sub(/}.*/, "", id); gsub(/'\''/, "", id)
		v[sec] = v[sec] (v[sec] ? ", " : "") $1 " " id}
	sec == "xnvme_geo:" && /^    (nsect|lba_nbytes|tbytes):/{
		v[sec] = v[sec] (v[sec] ? ", " : "") $1 " " $2}
	END{n = split("xnvme_ident: xnvme_be: xnvme_geo:", k, " ")
		for (i = 1; i <= n; ++i) printf "  %s {%s}\n", k[i], v[k[i]]}' "$dir/info.yaml"

# Identify namespace as xNVMe 0.7.5 prints it: its first fields and the nlbaf+1 LBA formats
save idfy-ns "$x" idfy-ns "$dev"
printf '\n# xnvme idfy-ns %s (the first fields and the LBA formats)\n' "$dev"
nlines=$(wc -l <"$dir/idfy-ns.yaml")
head -5 "$dir/idfy-ns.yaml"
lbaf_at=$(grep -n '^  lbaf:' "$dir/idfy-ns.yaml" | cut -d: -f1)
printf '  # ... %d lines more in %s/idfy-ns.yaml\n' $((lbaf_at - 6)) "$dir"
tail -n +"$lbaf_at" "$dir/idfy-ns.yaml"
[[ $((lbaf_at - 1 + $(tail -n +"$lbaf_at" "$dir/idfy-ns.yaml" | wc -l))) -eq $nlines ]] ||
	fail "idfy-ns: the LBA formats are not the last lines of its output"

# I/O: write, read back, compare, through the ramdisk's interfaces and the host's on a file
truncate -s 256M "$file"
printf '\n# I/O: %d MiB written in 4 KiB commands at queue depth 32, read back, compared\n' $mib
printf '  %-28s %-9s %11s %11s  %s\n' device interface "write MiB/s" "read MiB/s" verify
nverify=0
declare -A sums # per kind (ramdisk, file): "interface write/read, ..."
io() {
	local uri=$1 async=$2 kind=$3 name="io-$3-$2" w r
	save "$name" "$build/examples/xnvme_io_async" "$uri" --async "$async" --qd 32 --mib "$mib"
	grep -q '^  verify: ok$' "$dir/$name.yaml" || fail "$name: no 'verify: ok' in $dir/$name.yaml"
	w=$(awk '/write_mib_per_s/{printf "%.0f", $2}' "$dir/$name.yaml")
	r=$(awk '/read_mib_per_s/{printf "%.0f", $2}' "$dir/$name.yaml")
	printf '  %-28s %-9s %11s %11s  ok\n' "$uri" "$async" "$w" "$r"
	nverify=$((nverify + 1))
	sums[$kind]+="${sums[$kind]:+ }$async $w/$r"
	[[ $kind$async != ramdiskthrpool ]] ||
		printf '  %s\n' "(thrpool hands each command to a worker thread and back: a wake-up each way)"
}
for async in emu thrpool; do
	io "$dev" "$async" ramdisk
done
for async in io_uring libaio thrpool posix; do
	io "$file" "$async" file
done

# A ramdisk kept across commands: an image file (file=), one process stores, the next retrieves
rm -f "$dir/kv.img"
printf '\n# kept across commands: %s\n' "$kvdev"
save kvs-store "$build/tools/kvs" store "$kvdev" --key hello --value "written by pid $$"
save kvs-retrieve "$build/tools/kvs" retrieve "$kvdev" --key hello
got=$(awk -F'"' '/^  value:/{print $2}' "$dir/kvs-retrieve.yaml")
[[ "$got" == "written by pid $$" ]] || fail "kvs retrieve: '$got', not the value stored"
printf '  kvs store --key hello --value "%s"\n' "written by pid $$"
printf '  kvs retrieve --key hello, another process: "%s"\n' "$got"

printf '\nmake run: ok (%d verifies, 1 value kept); MiB/s write/read: ramdisk %s, file %s\n' \
	"$nverify" "${sums[ramdisk]}" "${sums[file]}"
