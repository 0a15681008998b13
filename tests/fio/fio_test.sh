#!/usr/bin/env bash
# fio's xnvme engine on a file, through each async interface and the sync psync path:
# randwrite + verify must pass with our freshly installed library.
#   fio_test.sh PREFIX SCRATCH
# XNVME_FIO_PRELOAD, when set, is preloaded into the fio runs (not the build): the sanitizer
# runtimes, for a library built with -fsanitize.
set -euo pipefail
prefix=$(realpath "$1")
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$scratch"
fio=$("$here/fio_build.sh" "$prefix" | tail -n1)
pc=$(find "$prefix" -name xnvme.pc | head -n1)
libdir=$(dirname "$(dirname "$pc")")
export LD_LIBRARY_PATH="$libdir"

if ! ldd "$fio" | grep -q "$libdir/libxnvme.so"; then
	echo "FAIL fio: $fio does not load libxnvme from $libdir" >&2
	ldd "$fio" | grep xnvme >&2 || true
	exit 1
fi

nfail=0
img="$scratch/fio.img"
run_case() {
	local name=$1
	shift
	rm -f "$img"
	truncate -s 64M "$img"
	local out="$scratch/$name.json"
	if ! LD_PRELOAD="${XNVME_FIO_PRELOAD:-}" "$fio" --output-format=json --output="$out" --name="$name" --filename="$img" \
		--ioengine=xnvme --thread=1 --size=32M --bs=4k --iodepth=16 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 "$@" >"$scratch/$name.log" 2>&1; then
		echo "FAIL fio $name: fio exited non-zero: $(tail -3 "$scratch/$name.log" | tr '\n' ' ')"
		nfail=$((nfail + 1))
		return
	fi
	if ! python3 - "$out" <<'PY'; then
import json, sys
doc = json.load(open(sys.argv[1]))
job = doc["jobs"][0]
assert job["error"] == 0, f"error {job['error']}"
assert job["write"]["io_bytes"] == 32 << 20, f"wrote {job['write']['io_bytes']} bytes"
assert job["read"]["io_bytes"] == 32 << 20, f"verified {job['read']['io_bytes']} bytes"
PY
		echo "FAIL fio $name: job report wrong"
		nfail=$((nfail + 1))
		return
	fi
	echo "PASS fio $name"
}

for async in io_uring libaio thrpool emu posix; do
	run_case "randwrite-$async" --rw=randwrite --xnvme_async="$async"
done
run_case "randwrite-psync" --rw=randwrite --xnvme_async=emu --xnvme_sync=psync
run_case "write-io_uring-vectored" --rw=write --xnvme_async=io_uring --xnvme_iovec=1
run_case "randwrite-io_uring-direct" --rw=randwrite --xnvme_async=io_uring --direct=1

# The engine's errors must surface: an interface that does not exist fails the job.
rm -f "$img"
truncate -s 64M "$img"
if LD_PRELOAD="${XNVME_FIO_PRELOAD:-}" "$fio" --name=bad --filename="$img" --ioengine=xnvme --thread=1 --size=1M --rw=read \
	--xnvme_async=doesnotexist >"$scratch/bad.log" 2>&1; then
	echo "FAIL fio bad-interface: fio succeeded with --xnvme_async=doesnotexist"
	nfail=$((nfail + 1))
else
	echo "PASS fio bad-interface"
fi

echo "$nfail failed"
[[ $nfail -eq 0 ]]
