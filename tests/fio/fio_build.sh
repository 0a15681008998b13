#!/usr/bin/env bash
# Builds fio 3.33 from Debian's source package against an installed libxnvme, with fio's xnvme
# engine (engines/xnvme.c) unmodified.
#   fio_build.sh PREFIX     PREFIX: where libxnvme is installed (lib*/pkgconfig/xnvme.pc under it)
# The last line of stdout is the path of the fio binary; t/io_uring is built next to it.
#
# Cache (git-ignored): <repo>/.cache/fio/
#   fio_3.33-*.dsc, fio_3.33.orig.tar.*, ...   what `apt-get source --download-only` fetched
#   src-3.33/                                  that source unpacked by dpkg-source (Debian's patches applied)
#   build-3.33-<hash of PREFIX>/               a copy of src-3.33 configured and built (fio has no
#                                              out-of-tree build); one per prefix
# A prefix's first build starts from a finished build for another prefix when there is one: only
# fio's xnvme engine sees the library (its headers, its link), so only that object and the
# binaries are made again (~10 s instead of ~75 s on 2 cores).
# A second run downloads nothing, and rebuilds only when the installed library (libxnvme*, the
# headers, xnvme.pc) is newer than the fio binary or the build recipe below changed.
set -euo pipefail

fio_version=3.33
# --disable-native: the binary also runs in the VM rig's guest, whose CPU model is not the host's
configure_flags=(--disable-native)
build_packages=(build-essential dpkg-dev pkg-config zlib1g-dev libaio-dev)

die() { echo "fio_build: $*" >&2; exit 1; }
note() { echo "fio_build: $*" >&2; }

as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "not root and no sudo; run by hand: $*"
	fi
}

[[ $# -eq 1 ]] || die "usage: fio_build.sh PREFIX (the install prefix of libxnvme)"
[[ -d "$1" ]] || die "install prefix '$1' is not a directory"
prefix=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache="$repo/.cache/fio"
mkdir -p "$cache"

# ---- What fio's build needs: a compiler and make, pkg-config (configure finds xnvme with it),
# zlib and libaio (optional for fio; libaio is t/io_uring's legacy aio mode), dpkg-source.
missing=()
for pkg in "${build_packages[@]}"; do
	[[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
	note "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
		|| { as_root apt-get update -qq >&2 && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } \
		|| die "apt-get install ${missing[*]} failed"
fi

# ---- The source. Concurrent runs (make test-fio, test-sanitize, the VM suite) share the cache.
exec 8>"$cache/.lock"
flock 8

# The newest Debian revision of fio $fio_version that the deb-src entries offer.
# Without a deb-src entry apt-cache fails: that is "no version" (empty), not the end of the script.
debian_version() {
	{ apt-cache showsrc fio 2>/dev/null || true; } | sed -n "s/^Version: \(${fio_version//./\\.}-.*\)/\1/p" | sort -V | tail -n1
}

# Debian source packages need a deb-src entry; derive it from the machine's own sources, never
# from a host name written here.
ensure_deb_src() {
	local sources=/etc/apt/sources.list.d/debian.sources
	if grep -rqsE '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qsE '^deb-src ' /etc/apt/sources.list; then
		:
	elif [[ -f "$sources" ]]; then
		note "adding a deb-src entry derived from $sources"
		sed 's/^Types: deb$/Types: deb-src/' "$sources" | as_root tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
	elif grep -qsE '^deb ' /etc/apt/sources.list; then
		note "adding a deb-src entry derived from /etc/apt/sources.list"
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | as_root tee /etc/apt/sources.list.d/debian-src.list >/dev/null
	else
		die "no deb-src entry, and no $sources or /etc/apt/sources.list to derive one from"
	fi
	as_root apt-get update -qq >&2 || die "apt-get update failed"
}

dsc=$(find "$cache" -maxdepth 1 -name "fio_${fio_version}-*.dsc" | sort -V | tail -n1)
if [[ -z "$dsc" ]]; then
	ver=$(debian_version)
	if [[ -z "$ver" ]]; then
		ensure_deb_src
		ver=$(debian_version)
	fi
	[[ -n "$ver" ]] || die "apt-cache showsrc fio offers no version $fio_version (have: $(apt-cache showsrc fio 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' '))"
	note "downloading fio $ver source into $cache"
	(cd "$cache" && apt-get source --download-only -qq "fio=$ver" >&2) || die "apt-get source fio=$ver failed"
	dsc=$(find "$cache" -maxdepth 1 -name "fio_${fio_version}-*.dsc" | sort -V | tail -n1)
	[[ -n "$dsc" ]] || die "apt-get source fio=$ver left no fio_${fio_version}-*.dsc in $cache"
fi
orig=$(find "$cache" -maxdepth 1 -name "fio_${fio_version}.orig.tar.*" ! -name '*.asc' | head -n1)
[[ -n "$orig" ]] || die "the pristine tarball fio_${fio_version}.orig.tar.* is missing from $cache (delete $dsc to fetch again)"

src="$cache/src-$fio_version"
if [[ ! -f "$src/.unpacked" ]]; then
	rm -rf "$src" "$src.tmp"
	dpkg-source -x "$dsc" "$src.tmp" >"$cache/unpack.log" 2>&1 \
		|| { tail -5 "$cache/unpack.log" >&2; die "dpkg-source -x $dsc failed"; }
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

# The engine must be exactly fio's own: compare with the pristine upstream tarball.
listing=$(tar -tf "$orig") || die "cannot list $orig"
engine_in_tarball=$(grep -m1 '^[^/]*/engines/xnvme\.c$' <<<"$listing") || die "$orig has no engines/xnvme.c"
check_engine() {
	tar -xOf "$orig" "$engine_in_tarball" | cmp -s - "$1/engines/xnvme.c" \
		|| die "$1/engines/xnvme.c differs from $engine_in_tarball in $(basename "$orig"): fio's engine must be unmodified"
}
check_engine "$src"
flock -u 8

# ---- The build, one per install prefix (a sanitized and a plain library do not rebuild each other).
pc=$(find "$prefix" -name xnvme.pc -path '*/pkgconfig/*' | head -n1)
[[ -n "$pc" ]] || die "no pkgconfig/xnvme.pc under $prefix: is libxnvme installed there?"
libdir=$(dirname "$(dirname "$pc")")
[[ -e "$libdir/libxnvme.so" ]] || die "no libxnvme.so in $libdir (next to $pc)"

build="$cache/build-$fio_version-$(printf '%s' "$prefix" | md5sum | cut -c1-8)"
exec 9>"$build.lock"
flock 9

recipe="fio $(basename "$dsc" .dsc) configure ${configure_flags[*]} PKG_CONFIG_PATH=$(dirname "$pc")"
reason=""
if [[ ! -x "$build/fio" || ! -x "$build/t/io_uring" ]]; then
	reason="no build yet"
elif [[ "$(cat "$build/.recipe" 2>/dev/null)" != "$recipe" ]]; then
	reason="build recipe changed"
else
	newer=$(find "$prefix" \( -name 'libxnvme*' -o -name xnvme.pc \) -newer "$build/fio" -print -quit)
	[[ -z "$newer" ]] || reason="$newer is newer than the fio binary"
fi

# A finished build of the same fio and flags for another prefix (its .recipe is written last),
# not being rebuilt right now (its lock is free: never wait for it, two first builds could each
# wait for the other's)
seed_from() {
	local d
	for d in "$cache/build-$fio_version-"*/; do
		d=${d%/}
		[[ "$d" != "$build" && -x "$d/fio" && -x "$d/t/io_uring" ]] || continue
		[[ "$(sed 's/ PKG_CONFIG_PATH=.*//' "$d/.recipe" 2>/dev/null)" == "${recipe% PKG_CONFIG_PATH=*}" ]] || continue
		if (flock -n 7 || exit 1; cp -a "$d" "$build") 7>"$d.lock"; then
			echo "$d"
			return 0
		fi
		rm -rf "$build"
	done
	return 1
}

if [[ -n "$reason" ]]; then
	rm -rf "$build"
	if [[ "$reason" == "no build yet" ]] && seed=$(seed_from); then
		note "building fio in $build ($reason; starting from $(basename "$seed"))"
		# What saw the other library goes: the objects whose dependencies name libxnvme's
		# headers, and the binaries; make rebuilds those from the new configuration
		{ find "$build" -name '*.d' -exec grep -l 'libxnvme' {} + || true; } | while read -r dep; do
			rm -f "${dep%.d}.o" "$dep"
		done
		rm -f "$build/fio" "$build/.recipe"
	else
		note "building fio in $build ($reason)"
		seed=""
		cp -a "$src" "$build"
	fi
	(cd "$build" && PKG_CONFIG_PATH="$(dirname "$pc")" ./configure "${configure_flags[@]}" >configure.log 2>&1) \
		|| { tail -20 "$build/configure.log" >&2; die "fio's configure failed (log: $build/configure.log)"; }
	# configure writes config-host.h anew; the same content must not look changed to make
	if [[ -n "$seed" ]] && cmp -s "$build/config-host.h" "$seed/config-host.h"; then
		touch -r "$seed/config-host.h" "$build/config-host.h"
	fi
	if ! grep -Eq '^xnvme engine +yes$' "$build/configure.log"; then
		tail -20 "$build/configure.log" >&2
		note "pkg-config says: $(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --modversion xnvme 2>&1 | head -n1)"
		die "fio's configure did not enable the xnvme engine (needs 'pkg-config xnvme' >= 0.2.0; log: $build/configure.log)"
	fi
	make -C "$build" -j"$(nproc)" fio t/io_uring >"$build/make.log" 2>&1 \
		|| { tail -30 "$build/make.log" >&2; die "fio's build failed (log: $build/make.log)"; }
	printf '%s\n' "$recipe" >"$build/.recipe"
fi

# What was compiled is fio's own engine, linked against a libxnvme.
check_engine "$build"
[[ -f "$build/engines/xnvme.o" ]] || die "$build/fio was built without engines/xnvme.o"
dynamic=$(readelf -d "$build/fio") || die "readelf -d $build/fio failed"
grep -q 'NEEDED.*\[libxnvme\.so' <<<"$dynamic" || die "$build/fio does not link libxnvme"

echo "$build/fio"
