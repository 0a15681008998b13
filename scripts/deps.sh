#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when any is missing.
# Idempotent: with everything present it only checks (no network).
set -euo pipefail

packages=(
	build-essential meson ninja-build pkg-config
	libfuse3-dev fuse3
	liburing-dev libaio-dev
	python3 python3-yaml groff-base gnuplot-nox
	python3-pytest python3-venv # python/: its pytest suite; a venv to pip install ./python into
	dpkg-dev zlib1g-dev util-linux strace clang
	debhelper dh-python fakeroot lintian man-db # debian/ and make test-deb (tests/deb)
	libclang-rt-14-dev # libFuzzer and the sanitizers of clang: make test-fuzz
	gcc-mingw-w64-x86-64 wine wine64 # make test-windows: the Windows build, run under Wine
)

missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
	exit 0
fi

echo "deps: installing ${missing[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
	SUDO=sudo
	command -v sudo >/dev/null || { echo "deps: not root and no sudo: install ${missing[*]} by hand" >&2; exit 1; }
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
