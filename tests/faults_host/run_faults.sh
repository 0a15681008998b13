#!/usr/bin/env bash
# Faults of real file systems on the host, no VM: a full tmpfs (ENOSPC) and faultfs, a FUSE file
# system that fails I/O where told (EIO), through the library (test_fault_status, every interface)
# and the xnvme_file tool (its error line and exit code).
# usage: run_faults.sh TEST_FAULT_STATUS XNVME_FILE IFACES [FAULTFS]
#   IFACES: tests/target/ifaces (the interfaces the library offers on a file)
#   Needs root (mount). Without root, or without FAULTFS (no libfuse3 in the build) or
#   /dev/fuse, the part that needs it is skipped, loudly; exit 77 when nothing could run.
set -uo pipefail

test_bin=$1
file_bin=$2
ifaces=$3
faultfs=${4:-}
fails=0
ran=0
skips=0
mnt=
ffs_pid=

cleanup() {
	if [[ -n $mnt ]]; then
		umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
		[[ -n $ffs_pid ]] && wait "$ffs_pid" 2>/dev/null
		rmdir "$mnt" 2>/dev/null
	fi
	mnt=
	ffs_pid=
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# A tool run that must fail (exit 1, within 30 s) with one error line naming the cause
expect_tool_error() {
	local want=$1 out rc
	shift
	out=$(timeout -s KILL 30 "$file_bin" "$@" 2>&1 >/dev/null)
	rc=$?
	ran=$((ran + 1))
	if [[ $rc -ne 1 ]]; then
		fail "xnvme_file $*: exit $rc (expected 1); stderr: $out"
	elif [[ $out != *"$want"* ]]; then
		fail "xnvme_file $*: stderr '$out' does not say '$want'"
	else
		echo "ok: xnvme_file $1 ($*): $out"
	fi
}

if [[ $(id -u) -ne 0 ]]; then
	echo "SKIP: not root: cannot mount the file systems"
	exit 77
fi

# ENOSPC: a tmpfs of 1 MiB
mnt=$(mktemp -d)
if ! mount -t tmpfs -o size=1m tmpfs "$mnt"; then
	rmdir "$mnt"
	mnt=
	echo "SKIP: cannot mount a tmpfs"
	skips=$((skips + 1))
else
	"$test_bin" enospc "$mnt" || fail "test_fault_status enospc"
	ran=$((ran + 1))
	touch "$mnt/probe"
	asyncs=$("$ifaces" "$mnt/probe" | awk '$1 == "async" {print $2}')
	rm -f "$mnt/probe"
	head -c $((700 << 10)) /dev/urandom >"$mnt/src"
	[[ -n $asyncs ]] || fail "no async interface listed for a file by $ifaces"
	for a in $asyncs; do
		rm -f "$mnt/dst"
		expect_tool_error "No space left on device" dump-async "$mnt/dst" --data-nbytes 2097152 --async "$a"
		rm -f "$mnt/dst"
		expect_tool_error "No space left on device" copy-async "$mnt/src" "$mnt/dst" --async "$a"
	done
	rm -f "$mnt/dst"
	expect_tool_error "No space left on device" dump-sync "$mnt/dst" --data-nbytes 2097152
	rm -f "$mnt/dst"
	expect_tool_error "No space left on device" dump-sync-iovec "$mnt/dst" --data-nbytes 2097152
	rm -f "$mnt/dst"
	expect_tool_error "No space left on device" copy-sync "$mnt/src" "$mnt/dst"
	rm -f "$mnt/dst"
	expect_tool_error "No space left on device" write-read "$mnt/dst" 2097152
	cleanup
fi

# EIO: faultfs, 4 MiB; writes fail from 1 MiB + 64 KiB, reads from 3 MiB + 64 KiB, every fsync
wfail=$(((1 << 20) + (64 << 10)))
rfail=$(((3 << 20) + (64 << 10)))
if [[ -z $faultfs || ! -c /dev/fuse ]]; then
	echo "SKIP: EIO: ${faultfs:+no /dev/fuse}${faultfs:-faultfs not built (libfuse3-dev missing)}"
	skips=$((skips + 1))
else
	mnt=$(mktemp -d)
	"$faultfs" "$mnt" $((4 << 20)) $wfail $rfail 1 &
	ffs_pid=$!
	for _ in $(seq 50); do
		[[ -f $mnt/disk ]] && break
		sleep 0.1
	done
	if [[ ! -f $mnt/disk ]] && ! kill -0 "$ffs_pid" 2>/dev/null; then
		echo "SKIP: EIO: faultfs could not mount (FUSE not permitted here?)"
		skips=$((skips + 1))
	elif [[ ! -f $mnt/disk ]]; then
		fail "faultfs runs but /disk did not appear"
	else
		"$test_bin" eio "$mnt/disk" $wfail $rfail || fail "test_fault_status eio"
		ran=$((ran + 1))
		expect_tool_error "Input/output error" load-sync "$mnt/disk"
		# the first async interface the build offers on a file (io_uring may not be built)
		a=$("$ifaces" "$mnt/disk" | awk '$1 == "async" {print $2; exit}')
		[[ -n $a ]] || fail "no async interface listed for a file by $ifaces"
		expect_tool_error "Input/output error" load-async "$mnt/disk" --async "${a:-none}"
		expect_tool_error "Input/output error" export "$mnt/disk" --data-output /dev/null
	fi
	cleanup
fi

echo "faults_host: $((ran - fails)) passed, $fails failed, $skips skipped"
if ((ran == 0)); then
	exit 77
fi
((fails == 0))
