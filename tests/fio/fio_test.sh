#!/usr/bin/env bash
# fio's xnvme engine (fio 3.33, unmodified; built by fio_build.sh) on a regular file, through each
# async interface and the sync psync path: write + verify must pass with our freshly installed
# library, and an interface that does not exist must fail the job.
#   fio_test.sh PREFIX SCRATCH
# PREFIX: where libxnvme is installed; SCRATCH: a directory for the image, logs and JSON reports.
# Prints one line per case, "PASS fio NAME" or "FAIL fio NAME: reason"; exits non-zero if any failed.
# XNVME_FIO_PRELOAD, when set, is preloaded into the fio runs (not the build): the sanitizer
# runtimes, for a library built with -fsanitize. FIO_TIMEOUT (seconds, default 300) bounds each run.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: fio_test.sh PREFIX SCRATCH" >&2; exit 2; }
[[ -d "$1" ]] || { echo "FAIL fio: install prefix '$1' is not a directory" >&2; exit 1; }
prefix=$(realpath "$1")
mkdir -p "$2"
scratch=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
timeout_s=${FIO_TIMEOUT:-300}
size_mib=32

if ! fio=$("$here/fio_build.sh" "$prefix" | tail -n1); then
	echo "FAIL fio build: fio_build.sh $prefix failed (its reason is above)" >&2
	exit 1
fi
pc=$(find "$prefix" -name xnvme.pc -path '*/pkgconfig/*' | head -n1)
libdir=$(dirname "$(dirname "$pc")")
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# fio must load OUR library, the one just installed under PREFIX.
linked=$(ldd "$fio" | awk '$1 ~ /^libxnvme\.so/ { print $3 }')
if [[ "$linked" != "$libdir/libxnvme.so"* ]]; then
	echo "FAIL fio: $fio loads libxnvme from '${linked:-nowhere}', not from $libdir" >&2
	exit 1
fi
echo "fio: $fio, libxnvme: $(realpath "$linked")"

run_fio() {
	LD_PRELOAD="${XNVME_FIO_PRELOAD:-}" timeout -k 10 "$timeout_s" "$fio" "$@"
}

img="$scratch/fio.img"
fresh_image() {
	rm -f "$img"
	truncate -s $((2 * size_mib))M "$img"
}

nfail=0
fail() {
	echo "FAIL fio $1: $2"
	nfail=$((nfail + 1))
}

# The JSON report: every job without error, SIZE bytes written and SIZE bytes read back (verify).
check_report() {
	python3 - "$1" "$2" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
size = int(sys.argv[2])
try:
    doc = json.loads(text[text.index("{"):])  # fio may print notes before the JSON
except ValueError as e:
    sys.exit(f"no JSON report in {sys.argv[1]}: {e}")
jobs = doc.get("jobs", [])
if not jobs:
    sys.exit("the report has no jobs")
for job in jobs:
    name = job.get("jobname", "?")
    if job["error"] != 0:
        sys.exit(f"job {name}: error {job['error']}")
    if job["write"]["io_bytes"] != size:
        sys.exit(f"job {name}: wrote {job['write']['io_bytes']} bytes, not {size}")
    if job["read"]["io_bytes"] != size:
        sys.exit(f"job {name}: verified {job['read']['io_bytes']} bytes, not {size}")
PY
}

# One write + verify job on a fresh image; extra fio options follow the name.
run_case() {
	local name=$1
	shift
	local out="$scratch/$name.json" log="$scratch/$name.log" rc=0 verdict
	fresh_image
	rm -f "$out"
	run_fio --output-format=json --output="$out" --name="$name" --filename="${CASE_FILE:-$img}" \
		--ioengine=xnvme --thread=1 --size=${size_mib}M --bs=4k --iodepth=16 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 "$@" >"$log" 2>&1 || rc=$?
	if ((rc == 124)); then
		fail "$name" "timed out after ${timeout_s}s (log: $log)"
	elif ((rc != 0)); then
		fail "$name" "fio exited with $rc: $(tail -n3 "$log" | tr '\n' ' ')"
	elif ! verdict=$(check_report "$out" $((size_mib << 20)) 2>&1); then
		fail "$name" "$(tail -n1 <<<"$verdict")"
	else
		echo "PASS fio $name"
	fi
}

for async in io_uring libaio thrpool emu posix; do
	run_case "$async" --rw=randwrite --xnvme_async="$async"
done
run_case psync --rw=randwrite --xnvme_async=emu --xnvme_sync=psync
run_case seqwrite-default --rw=write
run_case seqwrite-io_uring-iovec --rw=write --xnvme_async=io_uring --xnvme_iovec=1
if dd if=/dev/zero of="$scratch/direct.probe" bs=4k count=1 oflag=direct status=none 2>/dev/null; then
	run_case io_uring-direct --rw=randwrite --xnvme_async=io_uring --direct=1
else
	echo "SKIP fio io_uring-direct: $scratch does not support O_DIRECT"
fi
rm -f "$scratch/direct.probe"

# The user-space NVMe driver (backend pcie) over its in-memory controller: by its default, by
# xNVMe 0.7.5's backend name (jobs carry --xnvme_be=spdk) with the model's device thread, and on
# the PRP-only controller. Colons in a fio filename are escaped.
CASE_FILE="pcie-model\\:64MiB" run_case pcie-model --rw=randwrite
CASE_FILE="pcie-model\\:64MiB,proc=thread" run_case pcie-model-spdk-thread --rw=randwrite \
	--xnvme_be=spdk
CASE_FILE="pcie-model\\:64MiB,sgl=0" run_case pcie-model-prp --rw=randwrite --xnvme_iovec=1

# The engine's errors must surface: an interface that does not exist fails the job, through the
# engine's own report of xnvme_dev_open() failing (not a crash, not a hang). The engine first opens
# the device to size the file ("failed retrieving device handle"), later in init ("xnvme_dev_open()").
fresh_image
rc=0
run_fio --name=bad-interface --filename="$img" --ioengine=xnvme --thread=1 --size=1M --rw=read \
	--xnvme_async=doesnotexist >"$scratch/bad-interface.log" 2>&1 || rc=$?
if ((rc == 0)); then
	fail bad-interface "fio succeeded with --xnvme_async=doesnotexist"
elif ((rc >= 124)); then
	fail bad-interface "fio crashed or hung (exit $rc): $(tail -n3 "$scratch/bad-interface.log" | tr '\n' ' ')"
elif ! grep -Eq 'failed retrieving device handle|xnvme_dev_open\(\), err\(' "$scratch/bad-interface.log"; then
	fail bad-interface "fio failed, but not with the engine's xnvme_dev_open() error: $(tail -n3 "$scratch/bad-interface.log" | tr '\n' ' ')"
else
	echo "PASS fio bad-interface"
fi
rm -f "$img"

# A device's error must surface, never success: the ramdisk fails its 50th write with Write Fault
# (error injection, docs/backends.md). fio must exit non-zero, its JSON job error must be EIO, and
# the engine's print of the failed command must name the status. Colons in a fio filename are
# escaped (fio splits file names on ':').
for async in thrpool emu; do
	name=ramdisk-err-$async out="$scratch/ramdisk-err-$async.json" log="$scratch/ramdisk-err-$async.log"
	rc=0
	rm -f "$out"
	run_fio --output-format=json --output="$out" --name="$name" --ioengine=xnvme --thread=1 \
		--filename="ramdisk\\:8MiB,err=write@50\\:2/0x80" --size=8M --bs=4k --iodepth=8 --rw=write \
		--xnvme_async="$async" >"$log" 2>&1 || rc=$?
	if ((rc == 0)); then
		fail "$name" "fio succeeded though the 50th write failed"
	elif ((rc >= 124)); then
		fail "$name" "fio crashed or hung (exit $rc): $(tail -n3 "$log" | tr '\n' ' ')"
	elif ! python3 -c 'import json, sys; t = open(sys.argv[1]).read(); sys.exit(json.loads(t[t.index("{"):])["jobs"][0]["error"] != 5)' "$out" 2>/dev/null; then
		fail "$name" "the JSON report has no job error 5 (EIO): $out"
	elif ! grep -q "sct: 0x2, sc: 0x80" "$out" "$log"; then
		fail "$name" "no print of the failed command's status (sct 0x2, sc 0x80) in $out or $log"
	else
		echo "PASS fio $name"
	fi
done

echo "fio: $nfail failed"
((nfail == 0))
