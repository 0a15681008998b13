#!/usr/bin/env bash
# Signals to the tools mid-I/O, on a slow device (faultfs: every read and write of its /disk takes
# 20 ms, no faults): SIGINT or SIGTERM once the tool has moved its first MiB. Each tool must end
# within 5 s, killed by that signal (exit status 128 + its number); xnvme_file catches it, stops
# between commands and says how far it got ("the first N bytes ..."), and those N bytes are on the
# file, complete; lblk and xnvme-perf take the signal's default action.
# usage: run_signals.sh FAULTFS XNVME_FILE LBLK XNVME_PERF
#   Needs root, /dev/fuse and faultfs (libfuse3); exit 77 (skip) without them.
set -uo pipefail

faultfs=$1
file_bin=$2
lblk_bin=$3
perf_bin=$4
fails=0
ran=0
ffs=
tmp=
ffs_pid=

cleanup() {
	if [[ -n $ffs ]]; then
		umount "$ffs" 2>/dev/null || umount -l "$ffs" 2>/dev/null
		[[ -n $ffs_pid ]] && wait "$ffs_pid" 2>/dev/null
		rmdir "$ffs"
	fi
	if [[ -n $tmp ]]; then
		umount "$tmp" 2>/dev/null
		rmdir "$tmp"
	fi
	ffs=
	tmp=
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

if [[ $(id -u) -ne 0 || ! -c /dev/fuse || ! -x $faultfs ]]; then
	echo "SKIP: signals need root, /dev/fuse and faultfs (libfuse3)"
	exit 77
fi

# Bytes the process has read and written so far
moved() {
	awk '/^(rchar|wchar):/ {n += $2} END {print n + 0}' "/proc/$1/io" 2>/dev/null || echo 0
}

# Runs the tool (the rest of the arguments) in the background, sends signal $1 once it has moved
# 1 MiB, and checks it dies by that signal within 5 s. Leaves its stderr in $err.
signal_run() {
	local sig=$1 pid rc waited t0
	shift
	err=$(mktemp)
	# A background job of a script starts with SIGINT ignored: give the tool the default back
	env --default-signal=INT,TERM "$@" >/dev/null 2>"$err" &
	pid=$!
	for _ in $(seq 200); do
		(($(moved $pid) > (1 << 20))) && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	t0=$(date +%s%N)
	local at
	at=$(moved $pid)
	if ! kill -"$sig" $pid 2>/dev/null; then
		wait $pid
		fail "$*: ended (status $?) before SIG$sig could be sent (had moved $at bytes)"
		return 1
	fi
	# A bounded wait: past 5 s the tool is killed and the run fails
	for waited in $(seq 100); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 $pid 2>/dev/null; then
		kill -KILL $pid
		wait $pid 2>/dev/null
		fail "$*: still running 5 s after SIG$sig"
		return 1
	fi
	wait $pid
	rc=$?
	ran=$((ran + 1))
	local want=$((128 + $(kill -l "$sig")))
	if [[ $rc -ne $want ]]; then
		fail "$*: exit status $rc after SIG$sig at $at bytes moved, expected $want; stderr: $(cat "$err")"
		return 1
	fi
	echo "ok: SIG$sig at $at bytes moved: $* ended in $((($(date +%s%N) - t0) / 1000000)) ms, status $rc"
	return 0
}

# xnvme_file: "interrupted by SIG$1: the first N bytes of 'PATH' ..." with N < $2; sets n
interrupted_bytes() {
	local sig=$1 total=$2
	n=$(sed -n "s/.*interrupted by SIG$sig: the first \([0-9]*\) bytes.*/\1/p" "$err")
	if [[ -z $n ]]; then
		fail "no 'interrupted by SIG$sig: the first N bytes' line: $(cat "$err")"
		return 1
	fi
	if ((n >= total)); then
		fail "interrupted after all $total bytes: the signal came too late to test anything"
		return 1
	fi
	echo "    $(cat "$err")"
}

# Whether the first $1 bytes of faultfs's /disk are those of $2: read in 1 MiB requests (each
# request to faultfs takes its delay)
same_start() {
	cmp -s -n "$1" <(dd if="$ffs/disk" bs=1M iflag=count_bytes count="$1" status=none) "$2"
}

tmp=$(mktemp -d)
mount -t tmpfs -o size=96m tmpfs "$tmp" || {
	echo "SKIP: cannot mount a tmpfs"
	exit 77
}
ffs=$(mktemp -d)
"$faultfs" "$ffs" $((64 << 20)) $((64 << 20)) $((64 << 20)) 0 20000 &
ffs_pid=$!
for _ in $(seq 50); do
	[[ -f $ffs/disk ]] && break
	sleep 0.1
done
if [[ ! -f $ffs/disk ]] && ! kill -0 "$ffs_pid" 2>/dev/null; then
	echo "SKIP: faultfs could not mount (FUSE not permitted here?)"
	exit 77
fi
[[ -f $ffs/disk ]] || {
	fail "faultfs runs but /disk did not appear"
	exit 1
}
total=$((32 << 20))
head -c $total /dev/urandom >"$tmp/src"

# Copies: the first N bytes of the destination are the source's
for cmd in copy-async copy-sync; do
	for sig in INT TERM; do
		if signal_run $sig "$file_bin" $cmd "$tmp/src" "$ffs/disk" &&
			interrupted_bytes $sig $total; then
			if same_start "$n" "$tmp/src"; then
				echo "ok: $cmd SIG$sig: the first $n bytes are copied"
			else
				fail "$cmd: the first $n bytes of the copy differ from the source"
			fi
		fi
		rm -f "$err"
	done
done

# Dumps and loads: a report, and the status
# Dumps: the first N bytes are the dump's pattern (made on the tmpfs, uninterrupted); a load
"$file_bin" dump-sync "$tmp/ref" --data-nbytes $total >/dev/null || fail "dump-sync to tmpfs"
for cmd in dump-async dump-sync; do
	if signal_run INT "$file_bin" $cmd "$ffs/disk" --data-nbytes $total &&
		interrupted_bytes INT $total; then
		same_start "$n" "$tmp/ref" || fail "$cmd: the first $n bytes are not the dump's"
	fi
	rm -f "$err"
done
truncate -s $((64 << 20)) "$ffs/disk"
signal_run INT "$file_bin" load-async "$ffs/disk" && interrupted_bytes INT $((64 << 20))
rm -f "$err"
signal_run INT "$file_bin" import "$ffs/disk" --data-input "$tmp/src" && interrupted_bytes INT $total
rm -f "$err"
if signal_run TERM "$file_bin" import "$ffs/disk" --data-input "$tmp/src" &&
	interrupted_bytes TERM $total; then
	same_start "$n" "$tmp/src" || fail "import: the first $n bytes differ"
fi
rm -f "$err"

truncate -s $((64 << 20)) "$ffs/disk"
# lblk write of one command of 32 MiB (65536 blocks of 512 B), and xnvme-perf: default action
signal_run TERM "$lblk_bin" write "$ffs/disk" --slba 0 --nlb 65535 --data-input "$tmp/src"
rm -f "$err"
signal_run INT "$perf_bin" run "$ffs/disk" --rw randwrite --bs 65536 --runtime 30
rm -f "$err"
signal_run TERM "$perf_bin" run "$ffs/disk" --rw randread --bs 65536 --runtime 30 --threads 2
rm -f "$err"

echo "signals: $((ran - fails)) passed, $fails failed"
((fails == 0))
