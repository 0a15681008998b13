#!/usr/bin/env bash
# make check-freebsd (docs/backends.md, "FreeBSD"): compiles every source a FreeBSD build
# contains (library, backends, tools, examples: what meson itself selects for a FreeBSD host, the
# freebsd backend enabled) with clang for x86_64-unknown-freebsd13.4 against FreeBSD's own
# headers, -Wall -Wextra -Werror. Objects only: there are no FreeBSD libraries here to link, and
# nothing here runs FreeBSD code.
#
# How: a meson cross build (host_machine.system() == 'freebsd'), configured only, its sanity
# check skipped (it would link). Then ninja builds the object files listed in its
# compile_commands.json, never a link step.
#
# usage: scripts/check_freebsd.sh [BUILD]   (default build-freebsd)
#   FREEBSD_SYSROOT  the headers (default: ../shared/freebsd-13.4-sysroot beside the source tree)
#   JOBS             ninja's parallel jobs (default 2)
# Without the sysroot it prints SKIP and why, and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${1:-build-freebsd}
sysroot=${FREEBSD_SYSROOT:-$src/../shared/freebsd-13.4-sysroot}
target=x86_64-unknown-freebsd13.4

if [[ ! -f "$sysroot/usr/include/dev/nvme/nvme.h" ]]; then
	echo "SKIP: check-freebsd: no FreeBSD sysroot at $sysroot (set FREEBSD_SYSROOT)"
	exit 0
fi
sysroot=$(cd "$sysroot" && pwd)
command -v clang >/dev/null || { echo "check-freebsd: clang not found (scripts/deps.sh)" >&2; exit 1; }

mkdir -p "$build"
build=$(cd "$build" && pwd)

# Headers that are symbolic links on FreeBSD (aio.h -> sys/aio.h, errno.h, fcntl.h, stdint.h,
# poll.h, ...) may reach us as one-line files holding the link's target, which do not compile. A
# shim directory, searched before the sysroot, gives each such name a header that includes the
# target. A sysroot with real links needs no shim: the directory is then empty.
shim=$build/shim
rm -rf "$shim"
mkdir -p "$shim"
nshim=0
while IFS= read -r -d '' f; do
	rel=${f#"$sysroot/usr/include/"}
	tgt=$(head -c 256 "$f")
	[[ "$tgt" =~ ^[A-Za-z0-9_./-]+\.h$ ]] || continue
	tdir=$(dirname "$f")
	[[ -f "$tdir/$tgt" ]] || continue
	mkdir -p "$shim/$(dirname "$rel")"
	printf '/* check_freebsd.sh: %s is a link to %s in FreeBSD */\n#include "%s"\n' \
		"$rel" "$tgt" "$(cd "$(dirname "$tdir/$tgt")" && pwd)/$(basename "$tgt")" >"$shim/$rel"
	nshim=$((nshim + 1))
done < <(find "$sysroot/usr/include" -type f -size -257c -print0)

# The search order of a FreeBSD system: clang's own headers, then /usr/include (the shim in front of
# it). clang's <stdint.h> includes the next one: the sysroot's, through the shim. In the compiler's
# command, not c_args: meson drops an -isystem of a directory the compiler searches by default.
resdir=$(clang -print-resource-dir)
cross=$build/cross.ini
cat >"$cross" <<EOF
# Written by scripts/check_freebsd.sh
[binaries]
c = ['clang', '--target=$target', '--sysroot=$sysroot', '-nostdinc', '-isystem', '$resdir/include', '-isystem', '$shim', '-isystem', '$sysroot/usr/include']
ar = 'ar'
strip = 'strip'

[properties]
skip_sanity_check = true

[host_machine]
system = 'freebsd'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'
EOF

mb=$build/meson
if [[ ! -f "$mb/build.ninja" ]]; then
	meson setup "$mb" --cross-file "$cross" -Dtests=false -Dwerror=true --buildtype=plain \
		-Db_lto=false -Dbe_freebsd=enabled >"$build/setup.log" 2>&1 ||
		{ tail -20 "$build/setup.log" >&2; echo "check-freebsd: meson setup failed ($build/setup.log)" >&2; exit 1; }
fi

# A meson.build changed since the last run: regenerate first, so that the list below is today's
ninja -C "$mb" build.ninja >/dev/null ||
	{ echo "check-freebsd: meson could not regenerate $mb" >&2; exit 1; }
mapfile -t objs < <(python3 -c '
import json, sys
for e in json.load(open(sys.argv[1])):
    print(e["output"])
' "$mb/compile_commands.json")
[[ ${#objs[@]} -gt 0 ]] || { echo "check-freebsd: no sources in $mb/compile_commands.json" >&2; exit 1; }

# Every error, not only the first file's: -k 0
if ! ninja -C "$mb" -k 0 -j "${JOBS:-2}" "${objs[@]}"; then
	echo "check-freebsd: FAILED: the FreeBSD build does not compile (errors above)" >&2
	exit 1
fi
backends=$(sed -n 's/^extern const struct xnvme_be xnvme_be_\(.*\);/\1/p' "$mb/lib/be/be_registry.c" | paste -sd, -)
echo "check-freebsd: ${#objs[@]} objects compiled for $target (backends: $backends;" \
	"$nshim linked headers shimmed)"
