#!/usr/bin/env bash
# The guest half of tests/tcp/vm_tcp.sh: runs INSIDE the VM rig's guest, next to its nvmet-tcp
# target ($XNVME_VM_TCP_TRADDR:$XNVME_VM_TCP_TRSVCID, subsystem $XNVME_VM_TCP_SUBNQN).
#   tests/vm/rig.sh run --results DIR -- tests/tcp/vm_guest_tcp.sh [BUILD]
# 1. the kernel's initiator (nvme-cli connect, nvme-tcp) reads identify controller / namespace
#    from the target: kernel-id-ctrl.json, kernel-id-ns.json in the results share;
# 2. with FIO set: CPU time per I/O, 4 KiB random reads at QD 32 over loopback, of the kernel's
#    initiator (fio io_uring on its block device) and of ours (fio's xnvme engine), printed;
# 3. says guest-ready, then serves the host's requests (files in the results share): req-stop
#    takes the subsystem off the port (its connections drop), req-start puts it back (each
#    answered by ack-stop / ack-start), host-done ends it. Bounded: 20 minutes at most.
set -uo pipefail
build=${1:-build}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2
[[ "${XNVME_VM:-}" == 1 ]] || { echo "vm_guest_tcp: run it in the VM rig's guest" >&2; exit 2; }
res=${XNVME_VM_RESULTS:?}
nqn=${XNVME_VM_TCP_SUBNQN:?}
addr=${XNVME_VM_TCP_TRADDR:?}
port=${XNVME_VM_TCP_TRSVCID:?}
hostnqn=nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-0000000c0ffe
cfg=/sys/kernel/config/nvmet
rc=0

kernel_ctrl() { # the kernel's controller of the subsystem over tcp, e.g. nvme3
	local c
	for c in /sys/class/nvme/nvme*; do
		[[ "$(cat "$c/transport" 2>/dev/null)" == tcp &&
			"$(cat "$c/subsysnqn" 2>/dev/null)" == "$nqn" ]] && basename "$c"
	done
}

echo "== kernel initiator: nvme connect -t tcp -a $addr -s $port -n $nqn"
if nvme connect -t tcp -a "$addr" -s "$port" -n "$nqn" -q "$hostnqn"; then
	# The namespace's block device: with native multipath the controller's own node
	# (nvmeXcYnZ) is hidden and the disk is the subsystem's head, nvmeXnZ
	ctrl="" blk=""
	for _ in $(seq 100); do
		ctrl=$(kernel_ctrl | head -1)
		for b in /sys/block/nvme*n*; do
			[[ "$(basename "$b")" =~ ^nvme[0-9]+n[0-9]+$ ]] || continue # not a hidden path
			[[ "$(cat "$b/device/subsysnqn" 2>/dev/null)" == "$nqn" ]] &&
				blk=/dev/$(basename "$b") && break
		done
		[[ -n "$ctrl" && -n "$blk" && -b "$blk" ]] && break
		sleep 0.1
	done
	echo "kernel: $ctrl, namespace $blk"
	nvme id-ctrl "/dev/$ctrl" -o json >"$res/kernel-id-ctrl.json" || rc=1
	nvme id-ns "/dev/$ctrl" -n 1 -o json >"$res/kernel-id-ns.json" || rc=1
	if [[ -n "${FIO:-}" && -b "$blk" ]]; then
		# CPU time per I/O, figures (not checks): the two initiators, one after the other
		# fio's own CPU leaves out the kernel initiator's workqueue (io_work) and softirqs: the
		# whole guest's busy time (/proc/stat) is reported too, the target's share in both
		busy_ticks() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
		cpu_per_io() { # cpu_per_io NAME FIO-ARGS...
			local name=$1 b0 b1
			shift
			b0=$(busy_ticks)
			"$FIO" --name="$name" --thread=1 --bs=4k --iodepth=32 --rw=randread --size=64M \
				--time_based=1 --runtime=5 --output-format=json "$@" >"/tmp/$name.json" ||
				return 1
			b1=$(busy_ticks)
			python3 -c 'import json, os, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
ios = j["read"]["total_ios"]
cpu_ms = (j["usr_cpu"] + j["sys_cpu"]) / 100 * j["job_runtime"]
sys_ms = int(sys.argv[3]) * 1000 / os.sysconf("SC_CLK_TCK")
print("cpu-per-io %s: %d I/Os in %d ms, usr %.1f%% sys %.1f%%: %.1f us CPU per I/O (fio), "
      "%.1f us (whole guest, target included), %.0f IOPS" % (
    sys.argv[2], ios, j["job_runtime"], j["usr_cpu"], j["sys_cpu"], cpu_ms * 1000 / max(ios, 1),
    sys_ms * 1000 / max(ios, 1), ios * 1000 / max(j["job_runtime"], 1)))' "/tmp/$name.json" \
				"$name" "$((b1 - b0))" | tee -a "$res/cpu-per-io.txt"
		}
		cpu_per_io kernel-nvme-tcp --ioengine=io_uring --direct=1 --filename="$blk" || rc=1
		cpu_per_io xnvme-tcp --ioengine=xnvme \
			--filename="nvme+tcp\\://$addr\\:$port/${nqn//:/\\:}" || rc=1
	fi
	nvme disconnect -n "$nqn" >/dev/null || rc=1
else
	echo "FAIL: the kernel's initiator cannot connect"
	rc=1
fi

echo "== serving the host's requests"
touch "$res/guest-ready"
link="$cfg/ports/1/subsystems/$nqn"
for _ in $(seq 12000); do
	if [[ -e "$res/req-stop" ]]; then
		rm -f "$res/req-stop"
		rm "$link" && echo "target: $nqn taken off port 1" && touch "$res/ack-stop"
	fi
	if [[ -e "$res/req-start" ]]; then
		rm -f "$res/req-start"
		ln -s "$cfg/subsystems/$nqn" "$link" && echo "target: $nqn back on port 1" &&
			touch "$res/ack-start"
	fi
	[[ -e "$res/host-done" ]] && exit $rc
	sleep 0.1
done
echo "FAIL: the host never said host-done"
exit 1
