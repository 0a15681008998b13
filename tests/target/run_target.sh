#!/usr/bin/env bash
# Runs a target test program against a fresh target of the given kind, and always cleans up.
#   run_target.sh KIND PROGRAM [ARGS...]   KIND: file | loop
# XNVME_TARGET_RUNNER, when set, runs PROGRAM (wine: the Windows build's tests, tests/windows).
# A loop device needs root and the loop driver. Without them this fails; a developer can skip
# loop targets explicitly with XNVME_SKIP_LOOP=1 (the test then reports SKIP, exit 77).
set -euo pipefail
kind=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/xnvme-target.XXXXXX")
loopdev=
cleanup() {
	[[ -n "$loopdev" ]] && losetup -d "$loopdev" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

img="$tmp/target.img"
truncate -s 64M "$img"
case "$kind" in
file) target=$img ;;
loop)
	if [[ "${XNVME_SKIP_LOOP:-0}" == 1 ]]; then
		echo "SKIP: loop targets skipped on request (XNVME_SKIP_LOOP=1)"
		exit 77
	fi
	if ! loopdev=$(losetup -f --show "$img" 2>"$tmp/losetup.err"); then
		echo "FAIL: cannot set up a loop device: $(cat "$tmp/losetup.err") (root and the loop driver are required; XNVME_SKIP_LOOP=1 skips explicitly)" >&2
		exit 1
	fi
	target=$loopdev
	;;
*)
	echo "usage: $0 file|loop PROGRAM [ARGS...]" >&2
	exit 2
	;;
esac
prog=$1
shift
${XNVME_TARGET_RUNNER:+$XNVME_TARGET_RUNNER} "$prog" "$target" "$@"
