#!/usr/bin/env bash
# The user-space driver on the VM rig's vfio-pci controller ($XNVME_VM_VFIO_BDF): runs INSIDE the
# guest, by itself or from tests/nvme/suite.sh.
#   tests/vm/rig.sh run -- tests/pcie/vm_vfio.sh [BUILD]
# 0. refusals: the controller bound to nvme, its IOMMU group open in another process;
# 1. identify: the controller is bound to nvme, nvme-cli's id-ctrl/id-ns captured, bound back to
#    vfio-pci; `xnvme idfy-ctrl/idfy-ns BDF` through the driver must equal them field by field;
# 2. buffers' IOVAs, round trips, xnvme_mem_map, no locked memory after close (test_pcie_vfio_dev),
#    by the full and the short PCI address and by be=spdk;
# 3. the shared target bodies (tests/target) on the BDF;
# 4. fio's xnvme engine, randwrite + verify, default and --xnvme_be=spdk (FIO: the binary; its
#    library from FIO_PREFIX/lib, else BUILD/lib);
# 5. kill -9 mid-I/O, then the controller opens again and moves data.
set -uo pipefail
build=${1:-build}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2

[[ "${XNVME_VM:-}" == 1 ]] || { echo "vm_vfio: run it in the VM rig's guest" >&2; exit 2; }
bdf=${XNVME_VM_VFIO_BDF:?no vfio controller in this guest}
xnvme="$build/tools/xnvme"
t="$build/tests"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nfail=0
run() { # run NAME COMMAND...
	local name=$1 rc start
	shift
	echo "=== vfio-$name: $*"
	start=$(date +%s%N)
	"$@"
	rc=$?
	if [[ $rc -eq 0 ]]; then
		echo "PASS vfio-$name ($((($(date +%s%N) - start) / 1000000)) ms)"
	else
		echo "FAIL vfio-$name (exit $rc)"
		nfail=$((nfail + 1))
	fi
}

driver() { basename "$(readlink -f "/sys/bus/pci/devices/$bdf/driver")"; }

# The kernel's view of the controller: bound to nvme just long enough for nvme-cli
kernel_idfy() {
	local c ctrl="" i
	scripts/xnvme-driver.sh detach "$bdf" || return 1
	for i in $(seq 300); do
		for c in /sys/class/nvme/nvme*; do
			[[ "$(readlink -f "$c/device")" == */"$bdf" ]] && ctrl=$(basename "$c")
		done
		[[ -n "$ctrl" && -b "/dev/${ctrl}n1" ]] && break
		sleep 0.1
	done
	echo "kernel: $bdf is $ctrl ($(cat "/sys/class/nvme/$ctrl/serial" 2>/dev/null))"
	nvme id-ctrl "/dev/$ctrl" -o json >"$tmp/id-ctrl.json" &&
		nvme id-ns "/dev/${ctrl}n1" -o json >"$tmp/id-ns.json"
	local rc=$?
	scripts/xnvme-driver.sh attach "$bdf" || return 1
	[[ "$(driver)" == vfio-pci ]] && return $rc
}
# Refusals with the reason: bound to the kernel's driver, and the group held by another process
refuse_nvme() {
	local out rc
	scripts/xnvme-driver.sh detach "$bdf" || return 1
	out=$("$xnvme" info "$bdf" 2>&1)
	rc=$?
	scripts/xnvme-driver.sh attach "$bdf" || return 1
	echo "$out" | tail -2
	[[ $rc -ne 0 && "$out" == *"is bound to nvme, not vfio-pci"*"xnvme-driver.sh attach"* ]]
}
refuse_busy() {
	local out rc pid
	"$t/pcie/test_pcie_vfio_dev" "$bdf" --loop 30 >"$tmp/busy" 2>&1 &
	pid=$!
	for i in $(seq 100); do
		grep -q looping "$tmp/busy" && break
		sleep 0.1
	done
	out=$("$xnvme" info "$bdf" 2>&1)
	rc=$?
	kill "$pid"
	wait "$pid" 2>/dev/null
	echo "$out" | tail -2
	[[ $rc -ne 0 && "$out" == *"open in another process"* ]]
}
run "refuse-nvme" refuse_nvme
run "refuse-busy" refuse_busy
run "kernel-idfy" kernel_idfy
run "idfy-vs-nvme-cli" python3 "$repo/tests/nvme/compare_idfy.py" "$xnvme" "$bdf" \
	"$tmp/id-ctrl.json" "$tmp/id-ns.json"
run "info" bash -c "'$xnvme' info '$bdf' | tee '$tmp/info' | head -30 && grep -q \"be: 'pcie'\" '$tmp/info'"
run "enum" bash -c "'$xnvme' enum | tee '$tmp/enum' && grep -q '$bdf' '$tmp/enum'"

run "dev" "$t/pcie/test_pcie_vfio_dev" "$bdf"
run "dev-short" "$t/pcie/test_pcie_vfio_dev" "${bdf#0000:}"
run "dev-spdk" "$t/pcie/test_pcie_vfio_dev" "$bdf" spdk

run "md-xfer" "$t/test_md_xfer" "$bdf"
run "nvm-cmds" "$t/test_nvm_cmds" "$bdf"
run "limits" "$t/test_limits" "$bdf"
run "bad-input" "$t/test_bad_input" "$bdf"
run "xfer-matrix" env XFER_QDS="1 32" "$t/test_xfer_matrix" "$bdf"
run "shared-handle" "$t/test_shared_handle" "$bdf"
run "adm" "$t/test_adm" "$bdf"

if [[ -n "${FIO:-}" ]]; then
	lib=${FIO_PREFIX:+$FIO_PREFIX/lib}
	fio_job() { # fio_job NAME ARGS...
		local name=$1
		shift
		run "fio-$name" env LD_LIBRARY_PATH="${lib:-$repo/$build/lib}" "$FIO" --name="$name" \
			--filename="${bdf//:/\\:}" --ioengine=xnvme --thread=1 --bs=4k --iodepth=16 \
			--rw=randwrite --size=32M --verify=crc32c --do_verify=1 --verify_fatal=1 \
			--verify_state_save=0 "$@"
	}
	fio_job randwrite-verify
	fio_job randwrite-verify-spdk --xnvme_be=spdk
	# CPU time per I/O (figures, not checks): the driver polls; io_uring_cmd on the kernel's
	# controller of the same QEMU model ($XNVME_VM_NG_4K), 4 KiB random reads at QD 16, 5 s each
	cpu_per_io() { # cpu_per_io NAME FILE ARGS...
		local name=$1 file=$2
		shift 2
		env LD_LIBRARY_PATH="${lib:-$repo/$build/lib}" "$FIO" --name="$name" \
			--filename="$file" --ioengine=xnvme --thread=1 --bs=4k --iodepth=16 \
			--rw=randread --size=32M --time_based=1 --runtime=5 --output-format=json "$@" \
			>"$tmp/$name.json" || return 1
		python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
ios = j["read"]["total_ios"]
cpu_ms = (j["usr_cpu"] + j["sys_cpu"]) / 100 * j["job_runtime"]
print("cpu-per-io %s: %d I/Os in %d ms, usr %.1f%% sys %.1f%%: %.1f us CPU per I/O, %.0f IOPS" % (
    sys.argv[2], ios, j["job_runtime"], j["usr_cpu"], j["sys_cpu"], cpu_ms * 1000 / max(ios, 1),
    ios * 1000 / max(j["job_runtime"], 1)))' "$tmp/$name.json" "$name"
	}
	run "cpu-per-io-driver" cpu_per_io driver "${bdf//:/\\:}"
	if [[ -n "${XNVME_VM_NG_4K:-}" ]]; then
		run "cpu-per-io-io_uring_cmd" cpu_per_io io_uring_cmd "$XNVME_VM_NG_4K" \
			--xnvme_async=io_uring_cmd
	fi
else
	echo "FAIL vfio-fio: FIO is not set: the fio cases did not run"
	nfail=$((nfail + 1))
fi

# kill -9 while commands are outstanding; the next open resets the controller
kill_reopen() {
	local pid i
	"$t/pcie/test_pcie_vfio_dev" "$bdf" --loop 60 >"$tmp/loop" 2>&1 &
	pid=$!
	for i in $(seq 100); do
		grep -q looping "$tmp/loop" && break
		sleep 0.1
	done
	sleep 1
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	cat "$tmp/loop"
	grep -q looping "$tmp/loop" && "$t/pcie/test_pcie_vfio_dev" "$bdf"
}
run "kill-reopen" kill_reopen

echo "vfio: $nfail failed"
[[ $nfail -eq 0 ]]
