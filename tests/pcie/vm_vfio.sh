#!/usr/bin/env bash
# The user-space driver on the VM rig's vfio-pci controller ($XNVME_VM_VFIO_BDF): runs INSIDE the
# guest, by itself or from tests/nvme/suite.sh.
#   tests/vm/rig.sh run -- tests/pcie/vm_vfio.sh [BUILD]
# 0. refusals: the controller bound to nvme, its IOMMU group open in another process, no permission
#    on the group's node, RLIMIT_MEMLOCK too low to pin the queues;
# 1. identify: the controller is bound to nvme, nvme-cli's id-ctrl and id-ns of every namespace
#    captured, bound back to vfio-pci; `xnvme idfy-ctrl/idfy-ns BDF` through the driver must equal
#    them field by field; `xnvme enum` lists each namespace;
# 2. buffers' IOVAs, round trips, xnvme_mem_map, no locked memory after close (test_pcie_vfio_dev),
#    by the full and the short PCI address and by be=spdk;
# 3. the shared target bodies (tests/target) on the BDF's namespaces (XNVME_TEST_NSID): the plain
#    one, 8 bytes of separate metadata, a zoned one; SGLs (QEMU's controller has them) and PRPs
#    (XNVME_PCIE_SGL=0);
# 4. fio's xnvme engine, randwrite + verify, default and --xnvme_be=spdk (FIO: the binary; its
#    library from FIO_PREFIX/lib, else BUILD/lib);
# 5. kill -9 mid-I/O, then the controller opens again and moves data; a close shuts the
#    controller down (CC.SHN, as QEMU's controller traces it).
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

# The controller's namespaces, from the rig (XNVME_VM_VFIO_NSID_<name>)
declare -A nsid_of=()
for v in ${!XNVME_VM_VFIO_NSID_@}; do
	nsid_of[${v#XNVME_VM_VFIO_NSID_}]=${!v}
done
((${#nsid_of[@]})) || { echo "vm_vfio: no XNVME_VM_VFIO_NSID_* from the rig" >&2; exit 2; }

# Starts test_pcie_vfio_dev looping I/O for $1 s in the background (output in $2), sets $loop_pid
# and waits until it says it loops; 1 when it never does.
start_loop() {
	"$t/pcie/test_pcie_vfio_dev" "$bdf" --loop "$1" >"$2" 2>&1 &
	loop_pid=$!
	for _ in $(seq 100); do
		grep -q looping "$2" && return 0
		sleep 0.1
	done
	return 1
}

# The kernel's view of the controller: bound to nvme just long enough for nvme-cli
kernel_idfy() {
	local c ctrl="" i name rc=0
	scripts/xnvme-driver.sh detach "$bdf" || return 1
	for i in $(seq 300); do
		for c in /sys/class/nvme/nvme*; do
			[[ "$(readlink -f "$c/device")" == */"$bdf" ]] && ctrl=$(basename "$c")
		done
		[[ -n "$ctrl" && -b "/dev/${ctrl}n1" ]] && break
		sleep 0.1
	done
	echo "kernel: $bdf is $ctrl ($(cat "/sys/class/nvme/$ctrl/serial" 2>/dev/null))"
	nvme id-ctrl "/dev/$ctrl" -o json >"$tmp/id-ctrl.json" || rc=1
	for name in "${!nsid_of[@]}"; do
		nvme id-ns "/dev/$ctrl" -n "${nsid_of[$name]}" -o json >"$tmp/id-ns-${nsid_of[$name]}.json" ||
			rc=1
	done
	scripts/xnvme-driver.sh attach "$bdf" || return 1
	[[ "$(driver)" == vfio-pci ]] && return $rc
}
# Refusals with the reason: bound to the kernel's driver, the group held by another process, the
# group's node not the user's, pinning over RLIMIT_MEMLOCK without CAP_IPC_LOCK
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
	local out rc
	start_loop 30 "$tmp/busy" || { cat "$tmp/busy"; return 1; }
	out=$("$xnvme" info "$bdf" 2>&1)
	rc=$?
	kill "$loop_pid"
	wait "$loop_pid" 2>/dev/null
	echo "$out" | tail -2
	[[ $rc -ne 0 && "$out" == *"open in another process"* ]]
}
# root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH meets the node's mode as any user would
refuse_perm() {
	local node=$XNVME_VM_VFIO_GROUP out rc mode owner
	read -r mode owner < <(stat -c '%a %u:%g' "$node")
	chown 65534:65534 "$node" && chmod 0600 "$node" || return 1
	out=$(setpriv --bounding-set -dac_override,-dac_read_search -- "$xnvme" info "$bdf" 2>&1)
	rc=$?
	chown "$owner" "$node"
	chmod "$mode" "$node"
	echo "$out" | tail -2
	[[ $rc -ne 0 && "$out" == *"permission denied"*"$node"* ]]
}
# without CAP_IPC_LOCK the IOMMU's pins count against RLIMIT_MEMLOCK: 0 pins nothing
refuse_memlock() {
	local out rc
	out=$(prlimit --memlock=0:0 setpriv --bounding-set -ipc_lock -- "$xnvme" info "$bdf" 2>&1)
	rc=$?
	echo "$out" | tail -2
	[[ $rc -ne 0 && "$out" == *"RLIMIT_MEMLOCK is 0 KiB; raise it"* ]]
}
run "refuse-nvme" refuse_nvme
run "refuse-busy" refuse_busy
run "refuse-perm" refuse_perm
run "refuse-memlock" refuse_memlock
run "kernel-idfy" kernel_idfy
for name in "${!nsid_of[@]}"; do
	run "idfy-vs-nvme-cli-$name" python3 "$repo/tests/nvme/compare_idfy.py" "$xnvme" "$bdf" \
		"$tmp/id-ctrl.json" "$tmp/id-ns-${nsid_of[$name]}.json" "${nsid_of[$name]}"
done
run "info" bash -c "'$xnvme' info '$bdf' | tee '$tmp/info' | head -30 && grep -q \"be: 'pcie'\" '$tmp/info'"
# Every namespace of the controller, each once
enum_all() {
	"$xnvme" enum >"$tmp/enum" || return 1
	python3 - "$tmp/enum" "$bdf" "${nsid_of[@]}" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1])) or {}
found = sorted(e["nsid"] for e in doc.get("xnvme_cli_enumeration") or [] if e.get("uri") == sys.argv[2])
want = sorted(int(n) for n in sys.argv[3:])
print("enum: %s: nsids %s, the rig's %s" % (sys.argv[2], found, want))
sys.exit(0 if found == want else 1)
PY
}
run "enum" enum_all

# The 4 MiB buffer from 2 MiB hugepages when the system has them, else from 4 KiB pages
with_hugepages() { # with_hugepages N COMMAND...: nr_hugepages N while COMMAND runs
	local before rc
	before=$(cat /proc/sys/vm/nr_hugepages)
	echo "$1" >/proc/sys/vm/nr_hugepages
	[[ "$(cat /proc/sys/vm/nr_hugepages)" == "$1" ]] || { echo "cannot reserve $1 hugepages"; return 1; }
	shift
	"$@"
	rc=$?
	echo "$before" >/proc/sys/vm/nr_hugepages
	return $rc
}
run "dev" with_hugepages 0 env XNVME_TEST_HUGEPAGES=0 "$t/pcie/test_pcie_vfio_dev" "$bdf"
run "dev-hugepages" with_hugepages 8 env XNVME_TEST_HUGEPAGES=1 "$t/pcie/test_pcie_vfio_dev" "$bdf"
run "dev-short" "$t/pcie/test_pcie_vfio_dev" "${bdf#0000:}"
run "dev-spdk" "$t/pcie/test_pcie_vfio_dev" "$bdf" spdk

# The plain namespace: SGLs, then PRPs where data moves
run "md-xfer" "$t/test_md_xfer" "$bdf"
run "nvm-cmds" "$t/test_nvm_cmds" "$bdf"
run "limits" "$t/test_limits" "$bdf"
run "bad-input" "$t/test_bad_input" "$bdf"
run "xfer-matrix" env XFER_QDS="1 32" "$t/test_xfer_matrix" "$bdf"
run "xfer-matrix-prp" env XNVME_PCIE_SGL=0 XFER_QDS="32" "$t/test_xfer_matrix" "$bdf"
run "nvm-cmds-prp" env XNVME_PCIE_SGL=0 "$t/test_nvm_cmds" "$bdf"
run "shared-handle" "$t/test_shared_handle" "$bdf"
run "adm" "$t/test_adm" "$bdf"
# 8 bytes of separate metadata (MPTR) and a zoned namespace, SGLs and PRPs
for sgl in 1 0; do
	path=$([[ $sgl == 1 ]] && echo sgl || echo prp)
	run "md-xfer-md8-$path" env XNVME_TEST_NSID="${nsid_of[VFIO_MD]}" XNVME_PCIE_SGL=$sgl \
		"$t/test_md_xfer" "$bdf"
	run "xfer-matrix-md8-$path" env XNVME_TEST_NSID="${nsid_of[VFIO_MD]}" XNVME_PCIE_SGL=$sgl \
		XFER_QDS="32" "$t/test_xfer_matrix" "$bdf"
	run "zns-$path" env XNVME_TEST_NSID="${nsid_of[VFIO_ZNS]}" XNVME_PCIE_SGL=$sgl \
		"$t/test_zns" "$bdf"
done
run "nvm-cmds-md8" env XNVME_TEST_NSID="${nsid_of[VFIO_MD]}" "$t/test_nvm_cmds" "$bdf"

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
	start_loop 60 "$tmp/loop" || { cat "$tmp/loop"; return 1; }
	sleep 1
	kill -9 "$loop_pid"
	wait "$loop_pid" 2>/dev/null
	cat "$tmp/loop"
	"$t/pcie/test_pcie_vfio_dev" "$bdf"
}
run "kill-reopen" kill_reopen

# Close shuts the controller down: vfio-pci resets the function when the last fd goes (FLR), so
# BAR0 shows nothing afterwards; QEMU's controller traces CC.SHN being set instead (rig.sh's
# -trace into the results share). The rig's other controllers are idle meanwhile.
shutdowns() { grep -c pci_nvme_mmio_shutdown_set "$XNVME_VM_RESULTS/qemu-trace.log" || true; }
shutdown_traced() {
	local before after
	[[ -f "$XNVME_VM_RESULTS/qemu-trace.log" ]] || { echo "no QEMU trace in $XNVME_VM_RESULTS"; return 1; }
	before=$(shutdowns)
	"$t/pcie/test_pcie_vfio_dev" "$bdf" >"$tmp/shut" 2>&1 || { cat "$tmp/shut"; return 1; }
	for _ in $(seq 20); do
		after=$(shutdowns)
		[[ "$after" != "$before" ]] && break
		sleep 0.1
	done
	sleep 0.2
	after=$(shutdowns)
	echo "QEMU's trace: CC.SHN set $((after - before)) time(s) by one open and close"
	((after == before + 1))
}
run "shutdown-at-close" shutdown_traced

echo "vfio: $nfail failed"
[[ $nfail -eq 0 ]]
