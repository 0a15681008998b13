#!/usr/bin/env bash
# Builds fio 3.33 from Debian's source package against an installed libxnvme, with fio's xnvme
# engine (engines/xnvme.c) unmodified. The source is cached in <repo>/.cache/fio (git-ignored).
#   fio_build.sh PREFIX     prints the path of the fio binary on its last line
set -euo pipefail
prefix=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache="$repo/.cache/fio"
mkdir -p "$cache"

die() { echo "fio_build: $*" >&2; exit 1; }

# Debian source packages need a deb-src entry; derive it from the machine's own sources.
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
	[[ -f /etc/apt/sources.list.d/debian.sources ]] || die "no deb-src entry and no debian.sources to derive one from"
	sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
		>/etc/apt/sources.list.d/xnvme-deb-src.sources
	apt-get update -qq
fi

src=$(find "$cache" -maxdepth 1 -type d -name 'fio-3.33*' | head -n1)
if [[ -z "$src" ]]; then
	(cd "$cache" && apt-get source --download-only fio=3.33-3 >/dev/null 2>&1 || apt-get source --download-only fio >/dev/null) \
		|| die "apt-get source fio failed"
	orig=$(find "$cache" -maxdepth 1 -name 'fio_3.33*.orig.tar.*' | head -n1)
	[[ -n "$orig" ]] || die "fio 3.33 source tarball not found in $cache"
	tar -C "$cache" -xf "$orig"
	src=$(find "$cache" -maxdepth 1 -type d -name 'fio-3.33*' | head -n1)
fi
[[ -d "$src" ]] || die "fio source not unpacked"

# The engine must be exactly fio's own
orig=$(find "$cache" -maxdepth 1 -name 'fio_3.33*.orig.tar.*' | head -n1)
tar -xOf "$orig" "$(basename "$src")/engines/xnvme.c" | cmp -s - "$src/engines/xnvme.c" \
	|| die "engines/xnvme.c differs from the pristine source"

pc=$(find "$prefix" -name xnvme.pc | head -n1)
[[ -n "$pc" ]] || die "no xnvme.pc under $prefix"
libdir=$(dirname "$(dirname "$pc")")

# One build per install prefix: a sanitized and a plain library do not rebuild each other
# --disable-native: the binary also runs in the VM rig's guest, whose CPU model is not the host's
build="$cache/build-3.33-$(printf '%s' "$prefix" | md5sum | cut -c1-8)"
if [[ ! -x "$build/fio" || "$libdir/libxnvme.so" -nt "$build/fio" ]]; then
	rm -rf "$build"
	cp -r "$src" "$build"
	(cd "$build" && PKG_CONFIG_PATH="$(dirname "$pc")" ./configure --disable-native >configure.log 2>&1) \
		|| { tail -20 "$build/configure.log" >&2; die "fio configure failed"; }
	grep -Eq '^xnvme engine +yes' "$build/configure.log" \
		|| { grep -i xnvme "$build/configure.log" >&2; die "fio's configure did not enable the xnvme engine"; }
	make -C "$build" -j"$(nproc)" fio t/io_uring >"$build/make.log" 2>&1 \
		|| { tail -30 "$build/make.log" >&2; die "fio build failed"; }
fi
echo "$build/fio"
