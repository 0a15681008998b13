#!/usr/bin/env bash
# The Debian packages (debian/, docs/testing.md "Debian packages"): built from the tree's tracked
# files, checked by lintian, installed, tried as a user would, and removed without a trace.
#   tests/deb/test_deb.sh [OUT]        (make test-deb; OUT defaults to out/deb)
# 1. copies the files git tracks into OUT/src (no build trees, no caches) and runs
#    `dpkg-buildpackage -b -us -uc` there; the .debs land in OUT
# 2. lintian on the .changes: any E: fails (the whole report is in OUT/lintian.txt)
# 3. installs libxnvme0, libxnvme-dev, xnvme-tools and python3-xnvme with apt-get
# 4. pkg-config finds xnvme; examples/xnvme_io_async.c compiles against the installed headers
#    (shared and static library) and runs on a ramdisk; the tools run from /usr/bin; the man
#    pages are found; python3's `import xnvme` loads the installed library and does I/O
# 5. purges the four packages (and any dependency step 3 pulled in) and checks that none of their
#    files is left
# The machine is left as found, whatever fails: the purge runs from an EXIT trap. It refuses to
# start when one of the packages or their files is there already (a `make install` into /usr, or
# a run killed with SIGKILL): removing them would change the machine. Root, or sudo for apt-get.
# Prints one summary line: "test-deb: PASS ..." or "test-deb: FAIL (step): reason".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(realpath -m "${1:-$root/out/deb}")
packages=(libxnvme0 libxnvme-dev xnvme-tools python3-xnvme)
start=$SECONDS
step=setup
installed=0

fail() {
	echo "test-deb: FAIL ($step): $*" >&2
	exit 1
}

if [[ $(id -u) -eq 0 ]]; then
	SUDO=()
elif command -v sudo >/dev/null; then
	SUDO=(sudo)
else
	fail "installing packages needs root or sudo"
fi
for tool in dpkg-buildpackage dh lintian fakeroot apt-get gcc pkg-config /usr/bin/python3 git; do
	command -v "$tool" >/dev/null || fail "$tool not found: run scripts/deps.sh"
done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# The packages' version is the project's (meson.build): debian/changelog follows it
project_ver=$(sed -n "s/^  version: '\([^']*\)',$/\1/p" "$root/meson.build")
deb_ver=$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)
[[ -n "$project_ver" && "${deb_ver%%-*}" == "$project_ver" ]] ||
	fail "debian/changelog's version $deb_ver is not meson.build's ${project_ver:-?}: add an entry"
libdir=/usr/lib/$multiarch

# Files the packages install that must not be there before (nor after)
leftovers() {
	compgen -G "/usr/include/libxnvme*.h" || true
	compgen -G "$libdir/libxnvme*" || true
	compgen -G "$libdir/pkgconfig/xnvme.pc" || true
	compgen -G "/usr/lib/python3/dist-packages/xnvme" || true
	compgen -G "/usr/bin/xnvme" || true
	compgen -G "/usr/share/man/man1/xnvme.1*" || true
}

# dpkg's view of a package: "installed", "config-files" (removed, not purged) or empty
pkg_state() {
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true
}

installed_set() {
	dpkg-query -W -f='${db:Status-Status} ${Package}:${Architecture}\n' 2>/dev/null |
		awk '$1 == "installed" { print $2 }' | sort
}

# Removes what step 3 installed: the four packages and the dependencies apt-get pulled in (a
# package installed before is never touched). Runs from the EXIT trap, also after a failure.
purge() {
	local extra=()
	[[ $installed -eq 1 ]] || return 0
	installed=0
	mapfile -t extra < <(comm -13 "$out/before.txt" <(installed_set) |
		grep -v -E "^($(IFS='|'; echo "${packages[*]}")):" || true)
	echo "test-deb: purging ${packages[*]} ${extra[*]}"
	DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get purge -y -qq "${packages[@]}" "${extra[@]}" \
		>"$out/purge.log" 2>&1 || { cat "$out/purge.log" >&2; return 1; }
}

on_exit() {
	local rc=$?
	trap - EXIT
	if ! purge; then
		echo "test-deb: FAIL (cleanup): apt-get purge failed (above); remove ${packages[*]} by hand" >&2
		rc=1
	fi
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

for pkg in "${packages[@]}"; do
	[[ -z $(pkg_state "$pkg") ]] || fail "$pkg is on this machine already ($(pkg_state "$pkg")):" \
		"remove it first (apt-get purge ${packages[*]}), the test would remove it"
done
found=$(leftovers)
[[ -z "$found" ]] || fail "xnvme files are installed already (a make install into /usr?):" "${found//$'\n'/ }"

# 1. Build from the tracked files only: the working copy's content, so an uncommitted change to
# debian/ is what gets built, but no build tree, cache or untracked file goes in.
step=build
rm -rf "$out"
mkdir -p "$out/src"
git -C "$root" ls-files -z | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$out/src"
# At most two jobs (the machine is shared); a DEB_BUILD_OPTIONS of the caller's is kept
opts=${DEB_BUILD_OPTIONS:-}
[[ "$opts" == *parallel=* ]] || opts="${opts:+$opts }parallel=2"
t0=$SECONDS
if ! (cd "$out/src" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -b -us -uc >"$out/build.log" 2>&1); then
	tail -n 40 "$out/build.log" >&2
	fail "dpkg-buildpackage failed (the log: $out/build.log)"
fi
build_s=$((SECONDS - t0))
debs=()
for pkg in "${packages[@]}"; do
	deb=$(compgen -G "$out/${pkg}_*.deb") || fail "no $pkg .deb in $out"
	debs+=("$deb")
done
changes=$(compgen -G "$out/xnvme_*.changes") || fail "no .changes in $out"

# The library's file name, its soname and the symbols file's control entry
step=library
so=$(dpkg-deb -c "${debs[0]}" | awk '{ print $6 }' | grep -E '/libxnvme\.so\.0\.[0-9.]+$') ||
	fail "libxnvme0 holds no libxnvme.so.0.x.y"
dpkg-deb -x "${debs[0]}" "$out/libxnvme0"
soname=$(objdump -p "$out/libxnvme0/$so" | awk '$1 == "SONAME" { print $2 }')
[[ "$soname" == libxnvme.so.0 ]] || fail "soname of $so is '$soname', not libxnvme.so.0"
dpkg-deb -I "${debs[0]}" symbols >/dev/null 2>&1 || fail "libxnvme0 has no symbols control file"

# 2. lintian: no error; the warnings and notes are counted, the report kept
step=lintian
t0=$SECONDS
# Its exit status: 0 clean, 1 errors found, 2 and above lintian itself failed
lrc=0
lintian -I --pedantic "$changes" >"$out/lintian.txt" 2>&1 || lrc=$?
lintian_s=$((SECONDS - t0))
[[ $lrc -le 1 ]] || { cat "$out/lintian.txt" >&2; fail "lintian did not run (exit $lrc)"; }
nerr=$(grep -c '^E: ' "$out/lintian.txt" || true)
nwarn=$(grep -c '^W: ' "$out/lintian.txt" || true)
ninfo=$(grep -c '^[IP]: ' "$out/lintian.txt" || true)
if [[ $nerr -ne 0 ]]; then
	grep '^E: ' "$out/lintian.txt" >&2
	fail "lintian: $nerr errors"
fi
grep '^W: ' "$out/lintian.txt" || true

# 3. Install, as a user would: apt-get resolves the dependencies
step=install
installed_set >"$out/before.txt"
installed=1
if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
	"${debs[@]}" >"$out/install.log" 2>&1; then
	cat "$out/install.log" >&2
	fail "apt-get install of the four packages failed"
fi
for pkg in "${packages[@]}"; do
	[[ $(pkg_state "$pkg") == installed ]] || fail "$pkg is not installed after apt-get install"
done
# Every file they put on the machine, for the check after the purge
dpkg -L "${packages[@]}" | sort -u | while read -r f; do [[ -d "$f" ]] || echo "$f"; done \
	>"$out/files.txt"

# 4. Use them, from a directory outside the tree and with nothing pointing at a build
step=use
work="$out/work"
mkdir -p "$work"
cd "$work"
unset LD_LIBRARY_PATH XNVME_LIBRARY PYTHONPATH PKG_CONFIG_PATH
pc=$(pkg-config --cflags --libs xnvme) || fail "pkg-config --cflags --libs xnvme failed"
[[ " $pc " == *" -lxnvme "* ]] || fail "pkg-config --libs xnvme gave '$pc'"
debver=$(dpkg-query -W -f='${Version}' libxnvme-dev)
[[ $(pkg-config --modversion xnvme) == "${debver%%-*}" ]] ||
	fail "xnvme.pc's version $(pkg-config --modversion xnvme) is not the package's"
# shellcheck disable=SC2046 # pkg-config's flags are words
gcc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags xnvme) -o io_async \
	"$root/examples/xnvme_io_async.c" $(pkg-config --libs xnvme) ||
	fail "examples/xnvme_io_async.c does not build against the installed library"
loaded=$(ldd ./io_async | awk '$1 == "libxnvme.so.0" { print $3 }')
# /lib is /usr/lib on a merged-/usr system: the same file either way
[[ -n "$loaded" && $(realpath "$loaded") == "$(realpath "$libdir/libxnvme.so.0")" ]] ||
	fail "the example loads libxnvme from '$loaded', not the package's $libdir/libxnvme.so.0"
./io_async ramdisk:64MiB --mib 8 >io_async.out || fail "the example failed on ramdisk:64MiB"
# The static library (libxnvme-dev) with pkg-config --static's private libraries
# shellcheck disable=SC2046
gcc -std=c11 $(pkg-config --cflags xnvme) -o io_async_static "$root/examples/xnvme_io_async.c" \
	-Wl,-Bstatic -lxnvme -Wl,-Bdynamic $(pkg-config --static --libs xnvme | sed 's/-lxnvme\b//') ||
	fail "the example does not link against libxnvme.a"
if ldd ./io_async_static | grep -q libxnvme; then
	fail "the static build still loads libxnvme.so"
fi
./io_async_static ramdisk:64MiB --mib 8 >/dev/null || fail "the static example failed"

[[ $(command -v xnvme) == /usr/bin/xnvme ]] || fail "xnvme is not /usr/bin/xnvme: $(command -v xnvme)"
/usr/bin/xnvme library-info >library-info.out || fail "xnvme library-info failed"
grep -q "0.7.5" library-info.out || fail "xnvme library-info does not name version 0.7.5"
/usr/bin/xnvme info ramdisk:64MiB >info.out || fail "xnvme info ramdisk:64MiB failed"
for tool in xnvme lblk zoned kvs xnvme_file xdd xnvme-perf; do
	[[ -x /usr/bin/$tool ]] || fail "/usr/bin/$tool is missing"
	/usr/bin/$tool --help >/dev/null || fail "$tool --help failed"
	[[ -f /usr/share/bash-completion/completions/$tool ]] || fail "no bash completion for $tool"
	if command -v man >/dev/null; then
		man -w "$tool" >/dev/null 2>&1 || fail "man -w $tool finds no page"
	else
		[[ -f /usr/share/man/man1/$tool.1.gz ]] || fail "no /usr/share/man/man1/$tool.1.gz"
	fi
done

# Debian's python3, whose dist-packages the package fills (PATH may lead to another python first)
/usr/bin/python3 - <<'EOF' || fail "python3-xnvme: import or I/O on a ramdisk failed"
import os
import xnvme

assert xnvme.__file__.startswith("/usr/lib/python3/dist-packages/xnvme/"), xnvme.__file__
assert xnvme.LIBRARY.startswith("/usr/lib/"), xnvme.LIBRARY
with xnvme.Device("ramdisk:64MiB") as dev:
    nbytes = 8 * dev.geo.lba_nbytes
    data = os.urandom(nbytes)
    buf = dev.buffer(nbytes)
    buf[:] = data
    dev.write(0, 8, buf)
    buf[:] = bytes(nbytes)
    dev.read(0, 8, buf)
    assert bytes(buf) == data, "read back differs"
print("python3-xnvme:", xnvme.version(), xnvme.LIBRARY)
EOF

# 5. Remove, and look for anything left behind
step=purge
cd "$root"
purge || fail "apt-get purge failed"
for pkg in "${packages[@]}"; do
	[[ -z $(pkg_state "$pkg") ]] || fail "$pkg is still known to dpkg ($(pkg_state "$pkg"))"
	if dpkg -L "$pkg" >/dev/null 2>&1; then fail "dpkg -L $pkg still lists files"; fi
done
left=$( (while read -r f; do [[ -e "$f" || -L "$f" ]] && echo "$f"; done <"$out/files.txt"; leftovers) |
	sort -u)
[[ -z "$left" ]] || fail "left after the purge:" "${left//$'\n'/ }"
new=$(comm -13 "$out/before.txt" <(installed_set))
[[ -z "$new" ]] || fail "packages left installed:" "${new//$'\n'/ }"

echo "test-deb: PASS: built ${#debs[@]} packages in ${build_s}s, lintian ${nerr} errors" \
	"${nwarn} warnings ${ninfo} notes (${lintian_s}s), installed, example (shared and static)," \
	"tools, man pages and python checked, purged clean; $((SECONDS - start))s in all"
